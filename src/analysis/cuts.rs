//! Other cuts of revenue (analyses.md, "Other cuts"): the monthly series of FY and FY-1,
//! and FY to date against the same period of FY-1 by rep, product, zone and segment.
//!
//! Decisions where analyses.md is silent:
//! - The "months" of the fiscal year are the 12 periods `[start + i months, start +
//!   i + 1 months)`, labelled "YYYY-MM" by their first day; for a fiscal year starting
//!   on the 1st (the usual case) these are calendar months. `fy` is null for a month
//!   that starts after as_of; the last month up to as_of holds the lines up to as_of
//!   only. `fy_1` is the same month of FY-1, in full.
//! - A key (rep, product, zone, segment) is listed when at least one sales line of FY
//!   to date or of the same period of FY-1 falls under it, even if it nets to zero.
//! - Rep and product come from the sales line; zone and segment from the clients
//!   table. An empty value, or a client missing from the clients table, goes under
//!   `unknown`. Without a clients table, `by_zone` and `by_segment` are empty and the
//!   absence is listed in `unavailable`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::clients::ClientIndex;
use super::figures::{Money, Rate, growth};
use super::periods::{Month, Periods, add_months};
use super::slots::{self, CutKey};
use crate::engagement::{Engagement, Label};

/// One month of the revenue series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRevenue {
    /// The month (written "YYYY-MM" of its first day).
    pub month: Month,
    /// FY revenue of the month up to as_of; null for months after as_of.
    pub fy: Option<Money>,
    /// The same month of FY-1, full month.
    pub fy_1: Money,
}

/// FY to date against the same period of FY-1.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cut {
    pub fy: Money,
    pub fy_1: Money,
    /// fy / fy_1 − 1; null when fy_1 <= 0.
    pub growth: Option<Rate>,
    /// fy / elapsed_share: the year-end landing at the pace to date; null before any of
    /// the year has elapsed.
    pub projection: Option<Money>,
    /// fy × previous_total / previous_to_date: the landing with last year's monthly
    /// profile (analyses.md, "Seasonal projection"); null when FY-1 is not covered.
    pub projection_seasonal: Option<Money>,
}

impl Cut {
    /// This cut's two year-end landings, from the year's elapsed share and the
    /// engagement's seasonal factor (`None` when FY-1 does not allow it).
    fn project(&mut self, elapsed: Decimal, seasonal: Option<Decimal>) {
        self.projection = super::figures::ratio(self.fy.0, elapsed).map(|r| Money(r.0));
        self.projection_seasonal =
            seasonal.and_then(|factor| self.fy.0.checked_mul(factor).map(Money));
    }
}

/// The cuts, as written inside `revenue` in metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cuts {
    pub by_month: Vec<MonthRevenue>,
    pub by_rep: BTreeMap<CutKey, Cut>,
    pub by_zone: BTreeMap<CutKey, Cut>,
    pub by_segment: BTreeMap<CutKey, Cut>,
    pub by_product: BTreeMap<CutKey, Cut>,
}

impl Cuts {
    /// Sets every cut's year-end landings (see [`Cut::project`]).
    pub fn project(&mut self, elapsed: Decimal, seasonal: Option<Decimal>) {
        for cuts in [
            &mut self.by_rep,
            &mut self.by_zone,
            &mut self.by_segment,
            &mut self.by_product,
        ] {
            for cut in cuts.values_mut() {
                cut.project(elapsed, seasonal);
            }
        }
    }
}

/// The 12 month starts of a fiscal year starting on `start`, plus the next year's start.
pub fn month_bounds(start: NaiveDate) -> [NaiveDate; 13] {
    std::array::from_fn(|i| add_months(start, i as i32))
}

/// The same months one year earlier: each month start − 12 months, ending on the
/// fiscal year's start. (Counting 12 months forward from FY-1's start would not land on
/// FY start when FY starts on 29 February.)
pub fn previous_month_bounds(fy: &[NaiveDate; 13]) -> [NaiveDate; 13] {
    std::array::from_fn(|i| {
        if i == 12 {
            fy[0]
        } else {
            add_months(fy[i], -12)
        }
    })
}

/// The month (0..12) of `date` within `bounds`, if inside.
#[inline]
pub fn month_index(bounds: &[NaiveDate; 13], date: NaiveDate) -> Option<usize> {
    if date < bounds[0] || date >= bounds[12] {
        return None;
    }
    Some(bounds.partition_point(|b| *b <= date) - 1)
}

#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    fy: Decimal,
    fy_1: Decimal,
    used: bool,
}

impl Acc {
    fn into_cut(self) -> Cut {
        Cut {
            fy: Money(self.fy),
            fy_1: Money(self.fy_1),
            growth: growth(self.fy, self.fy_1),
            ..Cut::default()
        }
    }
}

fn merge(a: &mut Acc, b: Acc) {
    a.fy += b.fy;
    a.fy_1 += b.fy_1;
}

fn finish(e: &Engagement, acc: Vec<Acc>) -> BTreeMap<CutKey, Cut> {
    slots::resolve(e, acc, |a| a.used, merge)
        .into_iter()
        .map(|(k, a)| (k, a.into_cut()))
        .collect()
}

pub fn analyse(e: &Engagement, p: &Periods, idx: &ClientIndex) -> Cuts {
    let fy_bounds = month_bounds(p.fy.first);
    let fy_1_bounds = previous_month_bounds(&fy_bounds);
    let mut fy_months = [Decimal::ZERO; 12];
    let mut fy_1_months = [Decimal::ZERO; 12];
    let mut by_rep = slots::slots(e, Acc::default());
    let mut by_product = slots::slots(e, Acc::default());
    for s in &e.sales {
        if p.in_fy(s.date) {
            if let Some(m) = month_index(&fy_bounds, s.date) {
                fy_months[m] += s.amount;
            }
            for (acc, label) in [(&mut by_rep, s.rep), (&mut by_product, s.product)] {
                let a = &mut acc[slots::slot(label)];
                a.fy += s.amount;
                a.used = true;
            }
        } else if let Some(m) = month_index(&fy_1_bounds, s.date) {
            fy_1_months[m] += s.amount;
            if p.fy_1_to_date.contains(s.date) {
                for (acc, label) in [(&mut by_rep, s.rep), (&mut by_product, s.product)] {
                    let a = &mut acc[slots::slot(label)];
                    a.fy_1 += s.amount;
                    a.used = true;
                }
            }
        }
    }
    let by_month = (0..12)
        .map(|i| MonthRevenue {
            month: Month(fy_bounds[i]),
            fy: (fy_bounds[i] <= p.as_of).then_some(Money(fy_months[i])),
            fy_1: Money(fy_1_months[i]),
        })
        .collect();
    let (by_zone, by_segment) = by_client_attribute(e, idx);
    Cuts {
        by_month,
        by_rep: finish(e, by_rep),
        by_zone,
        by_segment,
        by_product: finish(e, by_product),
    }
}

/// Zone and segment cuts, from the per-client figures (no pass over the lines).
fn by_client_attribute(
    e: &Engagement,
    idx: &ClientIndex,
) -> (BTreeMap<CutKey, Cut>, BTreeMap<CutKey, Cut>) {
    let Some(records) = &e.clients else {
        return (BTreeMap::new(), BTreeMap::new());
    };
    let mut attrs: Vec<(Option<Label>, Option<Label>)> = vec![(None, None); idx.facts.len()];
    for r in records {
        attrs[r.client.0 as usize] = (r.zone, r.segment);
    }
    let mut zones = slots::slots(e, Acc::default());
    let mut segments = slots::slots(e, Acc::default());
    for k in idx.keys() {
        let f = idx.get(k);
        if !(f.has_fy_line || f.has_fy_1_to_date_line) {
            continue;
        }
        let (zone, segment) = attrs[k.0 as usize];
        for (acc, label) in [(&mut zones, zone), (&mut segments, segment)] {
            let a = &mut acc[slots::slot(label)];
            a.fy += f.fy_revenue;
            a.fy_1 += f.fy_1_to_date_revenue;
            a.used = true;
        }
    }
    (finish(e, zones), finish(e, segments))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{EngagementBuilder, date, dec};

    fn run(e: &Engagement) -> Cuts {
        let p = Periods::of(e);
        analyse(e, &p, &ClientIndex::build(e, &p))
    }

    fn money(s: &str) -> Money {
        Money(dec(s))
    }

    #[test]
    fn month_index_follows_clamped_bounds() {
        let b = month_bounds(date("2025-01-31"));
        assert_eq!(b[1], date("2025-02-28"));
        assert_eq!(b[2], date("2025-03-31"));
        assert_eq!(month_index(&b, date("2025-02-27")), Some(0));
        assert_eq!(month_index(&b, date("2025-02-28")), Some(1));
        assert_eq!(month_index(&b, date("2026-01-30")), Some(11));
        assert_eq!(month_index(&b, date("2026-01-31")), None);
        assert_eq!(month_index(&b, date("2025-01-30")), None);
    }

    #[test]
    fn leap_day_fiscal_year_keeps_fy_1_last_day_in_its_last_month() {
        // Found by proptest: FY from 2024-02-29, FY-1 = 2023-02-28..2024-02-28.
        let e = EngagementBuilder::new("2024-02-29")
            .as_of("2024-03-10")
            .sale("2024-02-28", "C1", "0.01")
            .sale("2023-02-28", "C1", "1")
            .build();
        let c = run(&e);
        assert_eq!(c.by_month[0].fy_1, money("1"));
        assert_eq!(c.by_month[11].fy_1, money("0.01"));
        let b = previous_month_bounds(&month_bounds(date("2024-02-29")));
        assert_eq!(b[0], date("2023-02-28"));
        assert_eq!(b[1], date("2023-03-29"));
        assert_eq!(b[12], date("2024-02-29"));
    }

    #[test]
    fn monthly_series_of_a_fiscal_year_starting_in_july() {
        let e = EngagementBuilder::new("2025-07-01")
            .as_of("2025-09-15")
            .sale("2024-07-31", "C1", "10")
            .sale("2024-09-30", "C1", "20") // FY-1 September in full
            .sale("2025-06-30", "C1", "5") // FY-1's last month
            .sale("2025-07-01", "C1", "100")
            .sale("2025-09-15", "C1", "30")
            .sale("2025-09-16", "C1", "999") // after as_of
            .build();
        let c = run(&e);
        assert_eq!(c.by_month.len(), 12);
        assert_eq!(c.by_month[0].month, "2025-07");
        assert_eq!(c.by_month[0].fy, Some(money("100")));
        assert_eq!(c.by_month[0].fy_1, money("10"));
        assert_eq!(c.by_month[2].month, "2025-09");
        assert_eq!(c.by_month[2].fy, Some(money("30")));
        assert_eq!(c.by_month[2].fy_1, money("20"));
        assert_eq!(c.by_month[3].fy, None);
        assert_eq!(c.by_month[11].month, "2026-06");
        assert_eq!(c.by_month[11].fy_1, money("5"));
        // by_rep compares with 2024-07-01..2024-09-15 only.
        assert_eq!(
            c.by_rep["unknown"],
            Cut {
                fy: money("130"),
                fy_1: money("10"),
                growth: Some(Rate(dec("12"))),
                ..Cut::default()
            }
        );
    }

    #[test]
    fn cuts_by_rep_product_zone_segment() {
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-03-31")
            .sale_with("2024-02-01", "C1", "100", Some("JD"), Some("P1"))
            .sale_with("2024-05-01", "C1", "500", Some("JD"), Some("P1")) // outside FY-1 to date
            .sale_with("2025-02-01", "C1", "150", Some("JD"), Some("P1"))
            .sale_with("2025-02-01", "C2", "40", None, Some("P2"))
            .sale_with("2024-03-01", "C3", "-10", Some("MK"), None)
            .client("C1", |c| c.zone("North").segment("Retail"))
            .client("C3", |c| c.zone("North"))
            .build();
        let c = run(&e);
        assert_eq!(c.by_rep["JD"].fy, money("150"));
        assert_eq!(c.by_rep["JD"].fy_1, money("100"));
        assert_eq!(c.by_rep["JD"].growth, Some(Rate(dec("0.5"))));
        assert_eq!(c.by_rep["unknown"].growth, None);
        // MK's only line is a credit note in FY-1 to date: listed, growth null.
        assert_eq!(c.by_rep["MK"].fy_1, money("-10"));
        assert_eq!(c.by_rep["MK"].growth, None);
        assert_eq!(c.by_product["P2"].fy, money("40"));
        assert_eq!(c.by_product["unknown"].fy_1, money("-10"));
        assert_eq!(c.by_zone["North"].fy, money("150"));
        assert_eq!(c.by_zone["North"].fy_1, money("90"));
        assert_eq!(c.by_zone["unknown"].fy, money("40"));
        assert_eq!(c.by_segment["Retail"].fy, money("150"));
        assert_eq!(c.by_segment["unknown"].fy_1, money("-10"));
        assert_eq!(c.by_segment.len(), 2);
    }

    #[test]
    fn no_clients_table_no_zone_cut() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "C1", "1")
            .build();
        let c = run(&e);
        assert!(c.by_zone.is_empty() && c.by_segment.is_empty());
        assert_eq!(c.by_rep.len(), 1);
    }
}
