//! Periods (analyses.md, "Periods"): the fiscal year, the data cut-off, the elapsed
//! share, FY-1 and the same period of FY-1.
//!
//! Every analysis compares like with like through these dates, so they are computed once
//! here and passed around.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use crate::engagement::Engagement;

/// `date + n months`, keeping the day of month, clamped to the month's last day
/// (31 March - 1 month = 28 or 29 February).
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let shifted = if months >= 0 {
        date.checked_add_months(Months::new(months as u32))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    // chrono clamps to the month's last day already; the fallback only guards against
    // dates beyond chrono's range, which CSV parsing cannot produce.
    shifted.unwrap_or(date)
}

/// A month of the fiscal year, by its first day; written `YYYY-MM` in metrics.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month(pub NaiveDate);

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m"))
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `month == "2025-07"`, as written in metrics.json.
impl PartialEq<&str> for Month {
    // Cold paths and tests only: clarity over an allocation.
    #[allow(clippy::cmp_owned)]
    fn eq(&self, other: &&str) -> bool {
        self.to_string() == *other
    }
}

/// An inclusive range of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// Number of days, both ends included (0 when `last < first`).
    pub fn days(&self) -> i64 {
        ((self.last - self.first).num_days() + 1).max(0)
    }
}

/// The dates every analysis works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// The whole fiscal year: [start, start + 12 months).
    pub fy: DateRange,
    /// The whole previous fiscal year.
    pub fy_1: DateRange,
    /// The data cut-off: configured, else the last sales date, capped at FY end.
    pub as_of: NaiveDate,
    /// FY start to as_of: the lines that count as "FY".
    pub fy_to_date: DateRange,
    /// FY-1 start to as_of - 12 months: what growth compares FY to date with.
    pub fy_1_to_date: DateRange,
    /// Days from FY start to as_of (inclusive) / days in FY, exact, in [0, 1].
    pub elapsed_share: Decimal,
}

impl Periods {
    /// Periods of an engagement, from its settings and sales dates.
    pub fn of(e: &Engagement) -> Periods {
        // Lines the loader found far after the rest (a typo year) do not move the
        // cut-off by themselves.
        let last_sale = e
            .quality
            .sales_end
            .or_else(|| e.sales.iter().map(|s| s.date).max());
        Periods::new(e.info.fiscal_year_start, e.info.as_of, last_sale)
    }

    pub fn new(
        fy_start: NaiveDate,
        configured_as_of: Option<NaiveDate>,
        last_sale: Option<NaiveDate>,
    ) -> Periods {
        let fy_end = add_months(fy_start, 12).pred_opt().unwrap_or(fy_start);
        let fy = DateRange {
            first: fy_start,
            last: fy_end,
        };
        let fy_1_start = add_months(fy_start, -12);
        let fy_1 = DateRange {
            first: fy_1_start,
            last: fy_start.pred_opt().unwrap_or(fy_start),
        };
        let as_of = configured_as_of.or(last_sale).unwrap_or(fy_end).min(fy_end);
        let fy_to_date = DateRange {
            first: fy_start,
            last: as_of,
        };
        let fy_1_to_date = DateRange {
            first: fy_1_start,
            last: add_months(as_of, -12),
        };
        let elapsed_share = if fy.days() == 0 {
            Decimal::ZERO
        } else {
            (Decimal::from(fy_to_date.days()) / Decimal::from(fy.days())).min(Decimal::ONE)
        };
        Periods {
            fy,
            fy_1,
            as_of,
            fy_to_date,
            fy_1_to_date,
            elapsed_share,
        }
    }

    /// Whether a sales line dated `date` belongs to FY (in FY and not after as_of).
    pub fn in_fy(&self, date: NaiveDate) -> bool {
        self.fy_to_date.contains(date)
    }

    /// The first day of the month of `date`.
    pub fn month_of(date: NaiveDate) -> NaiveDate {
        date.with_day(1).expect("day 1 exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(add_months(d(2025, 3, 31), -1), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 3, 31), -1), d(2024, 2, 29));
        assert_eq!(add_months(d(2025, 8, 31), -12), d(2024, 8, 31));
        assert_eq!(add_months(d(2024, 2, 29), 12), d(2025, 2, 28));
        assert_eq!(add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
    }

    #[test]
    fn calendar_fiscal_year_mid_year() {
        let p = Periods::new(d(2025, 1, 1), Some(d(2025, 9, 30)), None);
        assert_eq!(p.fy.last, d(2025, 12, 31));
        assert_eq!(
            p.fy_1,
            DateRange {
                first: d(2024, 1, 1),
                last: d(2024, 12, 31)
            }
        );
        assert_eq!(p.fy_1_to_date.last, d(2024, 9, 30));
        // 273 days of 365.
        assert_eq!(p.elapsed_share, Decimal::from(273) / Decimal::from(365));
    }

    #[test]
    fn fiscal_year_not_starting_in_january() {
        let p = Periods::new(d(2025, 7, 1), None, Some(d(2026, 2, 28)));
        assert_eq!(p.fy.last, d(2026, 6, 30));
        assert_eq!(p.as_of, d(2026, 2, 28));
        assert_eq!(p.fy_1.first, d(2024, 7, 1));
        assert_eq!(p.fy_1_to_date.last, d(2025, 2, 28));
        // FY 2025-07-01..2026-06-30 has 365 days; 2025-07-01..2026-02-28 is 243.
        assert_eq!(p.elapsed_share, Decimal::from(243) / Decimal::from(365));
    }

    #[test]
    fn as_of_is_capped_at_fy_end() {
        let p = Periods::new(d(2025, 1, 1), None, Some(d(2026, 3, 1)));
        assert_eq!(p.as_of, d(2025, 12, 31));
        assert_eq!(p.elapsed_share, Decimal::ONE);
    }

    #[test]
    fn leap_day_as_of_compares_with_28_february() {
        let p = Periods::new(d(2024, 1, 1), Some(d(2024, 2, 29)), None);
        assert_eq!(p.fy_1_to_date.last, d(2023, 2, 28));
    }
}
