//! Calendar helpers: French public holidays, working days, month arithmetic and
//! seasonality-weighted date draws.
//!
//! Invoices and field activities only happen on working days, which makes the
//! examples look like real ERP / CRM exports (no sales on Sundays or on 14 July).

use chrono::{Datelike, Months, NaiveDate, Weekday};

use crate::rng::Rng;

/// Shorthand constructor; panics on an invalid literal date (generator constants only).
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date literal")
}

/// `date + n` months, day of month clamped (same rule as analyses.md).
pub fn add_months(date: NaiveDate, n: i32) -> NaiveDate {
    if n >= 0 {
        date.checked_add_months(Months::new(n as u32))
            .expect("date in range")
    } else {
        date.checked_sub_months(Months::new((-n) as u32))
            .expect("date in range")
    }
}

/// French public holidays 2021-2026 (Easter-based ones precomputed).
#[rustfmt::skip]
const HOLIDAYS: &[(i32, u32, u32)] = &[
    (2021, 1, 1), (2021, 4, 5), (2021, 5, 1), (2021, 5, 8), (2021, 5, 13), (2021, 5, 24),
    (2021, 7, 14), (2021, 8, 15), (2021, 11, 1), (2021, 11, 11), (2021, 12, 25),
    (2022, 1, 1), (2022, 4, 18), (2022, 5, 1), (2022, 5, 8), (2022, 5, 26), (2022, 6, 6),
    (2022, 7, 14), (2022, 8, 15), (2022, 11, 1), (2022, 11, 11), (2022, 12, 25),
    (2023, 1, 1), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 18), (2023, 5, 29),
    (2023, 7, 14), (2023, 8, 15), (2023, 11, 1), (2023, 11, 11), (2023, 12, 25),
    (2024, 1, 1), (2024, 4, 1), (2024, 5, 1), (2024, 5, 8), (2024, 5, 9), (2024, 5, 20),
    (2024, 7, 14), (2024, 8, 15), (2024, 11, 1), (2024, 11, 11), (2024, 12, 25),
    (2025, 1, 1), (2025, 4, 21), (2025, 5, 1), (2025, 5, 8), (2025, 5, 29), (2025, 6, 9),
    (2025, 7, 14), (2025, 8, 15), (2025, 11, 1), (2025, 11, 11), (2025, 12, 25),
    (2026, 1, 1), (2026, 4, 6), (2026, 5, 1), (2026, 5, 8), (2026, 5, 14), (2026, 5, 25),
    (2026, 7, 14), (2026, 8, 15), (2026, 11, 1), (2026, 11, 11), (2026, 12, 25),
];

/// Monday to Friday and not a French public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    let key = (date.year(), date.month(), date.day());
    HOLIDAYS.binary_search(&key).is_err()
}

/// Working days in [from, to] inclusive.
pub fn working_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|x| *x <= to)
        .filter(|x| is_working_day(*x))
        .collect()
}

/// The first working day on or after `date`.
pub fn next_working_day(mut date: NaiveDate) -> NaiveDate {
    while !is_working_day(date) {
        date = date.succ_opt().expect("date in range");
    }
    date
}

/// Monthly weights (index 0 = January) describing a segment's seasonality.
pub type Season = [f64; 12];

/// Working days of a window with their seasonal weights, for weighted draws.
pub struct DayPicker {
    days: Vec<NaiveDate>,
    cumulative: Vec<f64>,
}

impl DayPicker {
    /// Working days of [from, to] weighted by `season`.
    pub fn new(from: NaiveDate, to: NaiveDate, season: &Season) -> Self {
        let days = working_days(from, to);
        let mut acc = 0.0;
        let cumulative = days
            .iter()
            .map(|x| {
                acc += season[x.month0() as usize];
                acc
            })
            .collect();
        DayPicker { days, cumulative }
    }

    /// Total seasonal mass of the window (0 when it has no working day).
    pub fn mass(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// True when the window holds no working day.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// A working day drawn proportionally to its seasonal weight.
    pub fn draw(&self, rng: &mut Rng) -> NaiveDate {
        let x = rng.f64() * self.mass();
        let i = self.cumulative.partition_point(|c| *c <= x);
        self.days[i.min(self.days.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_clamp() {
        assert_eq!(add_months(d(2025, 3, 31), -1), d(2025, 2, 28));
        assert_eq!(add_months(d(2025, 1, 1), 12), d(2026, 1, 1));
    }

    #[test]
    fn holidays() {
        assert!(!is_working_day(d(2025, 7, 14)));
        assert!(!is_working_day(d(2025, 9, 27)));
        assert!(is_working_day(d(2025, 9, 30)));
    }
}
