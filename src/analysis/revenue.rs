//! The 3 CA (conquest, retention, reconquest), lost revenue, growth, the clients block,
//! and the 3 CA split per rep and per zone (analyses.md, "Client categories and the
//! 3 CA").
//!
//! Every FY line, credit notes included, counts for its client's category, so the three
//! figures sum exactly to the total: they are sums of exact decimals over a partition
//! of the FY lines.
//!
//! Decisions where analyses.md is silent:
//! - `split_by_rep` attributes each FY line to the line's rep (`unknown` when empty);
//!   its client counts count a client under every rep that has at least one FY line
//!   for it, so they may add up to more than `clients.active`.
//! - `split_by_zone` attributes a client to the zone of the clients table (`unknown`
//!   when missing or empty). Without a clients table it is empty (see `unavailable`).
//! - `revenue.lost` is the net FY-1 revenue of the lost clients (the whole FY-1).
//! - `clients.former_at_start` counts clients whose last purchase before FY start is
//!   earlier than FY start − dormancy_months, whether they came back or not, so that
//!   `reconquest_rate` = reconquered / former_at_start is in [0, 1].

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::clients::{Category, ClientIndex};
use super::figures::{Money, Rate, count, growth, ratio};
use super::periods::Periods;
use super::slots::{self, CutKey};
use crate::engagement::Engagement;

/// The `revenue` figures of metrics.json (without the cuts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevenueFigures {
    /// Net revenue of the FY lines (FY start to as_of).
    pub total: Money,
    /// Net revenue of the whole FY-1.
    pub previous_total: Money,
    /// Net revenue of the same period of FY-1.
    pub previous_to_date: Money,
    /// total / previous_to_date − 1; null when previous_to_date <= 0.
    pub growth: Option<Rate>,
    pub conquest: Money,
    pub retention: Money,
    pub reconquest: Money,
    /// Net FY-1 revenue of the lost clients.
    pub lost: Money,
}

/// The `clients` block of metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientCounts {
    pub active: usize,
    pub new: usize,
    pub retained: usize,
    pub reconquered: usize,
    pub lost: usize,
    pub former_at_start: usize,
    /// reconquered / former_at_start; null when no former client at start.
    pub reconquest_rate: Option<Rate>,
}

/// Client counts per category inside a split.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SplitClients {
    pub active: usize,
    pub new: usize,
    pub retained: usize,
    pub reconquered: usize,
}

/// The 3 CA of one rep or zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Split {
    pub total: Money,
    pub conquest: Money,
    pub retention: Money,
    pub reconquest: Money,
    pub clients: SplitClients,
}

impl Split {
    fn add(&mut self, cat: Category, amount: Decimal) {
        self.total.0 += amount;
        match cat {
            Category::New => self.conquest.0 += amount,
            Category::Retained => self.retention.0 += amount,
            Category::Reconquered => self.reconquest.0 += amount,
        }
    }

    fn count(&mut self, cat: Category) {
        self.clients.active += 1;
        match cat {
            Category::New => self.clients.new += 1,
            Category::Retained => self.clients.retained += 1,
            Category::Reconquered => self.clients.reconquered += 1,
        }
    }

    fn merge(&mut self, o: Split) {
        self.total += o.total;
        self.conquest += o.conquest;
        self.retention += o.retention;
        self.reconquest += o.reconquest;
        self.clients.active += o.clients.active;
        self.clients.new += o.clients.new;
        self.clients.retained += o.clients.retained;
        self.clients.reconquered += o.clients.reconquered;
    }
}

/// Everything this module computes.
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueAnalysis {
    pub figures: RevenueFigures,
    pub clients: ClientCounts,
    pub split_by_rep: BTreeMap<CutKey, Split>,
    /// `None` without a clients table.
    pub split_by_zone: Option<BTreeMap<CutKey, Split>>,
}

pub fn analyse(e: &Engagement, p: &Periods, idx: &ClientIndex) -> RevenueAnalysis {
    let mut by_cat = [Decimal::ZERO; 3];
    let mut counts = [0usize; 3];
    let (mut previous_total, mut previous_to_date) = (Decimal::ZERO, Decimal::ZERO);
    let (mut lost, mut lost_revenue, mut former) = (0usize, Decimal::ZERO, 0usize);
    for k in idx.keys() {
        let f = idx.get(k);
        previous_total += f.fy_1_revenue;
        previous_to_date += f.fy_1_to_date_revenue;
        if f.has_fy_line {
            let c = idx.category(k).index();
            by_cat[c] += f.fy_revenue;
            counts[c] += 1;
        }
        if idx.is_lost(k) {
            lost += 1;
            lost_revenue += f.fy_1_revenue;
        }
        if idx.is_former_at_start(k) {
            former += 1;
        }
    }
    let total: Decimal = by_cat.iter().sum();
    let figures = RevenueFigures {
        total: Money(total),
        previous_total: Money(previous_total),
        previous_to_date: Money(previous_to_date),
        growth: growth(total, previous_to_date),
        conquest: Money(by_cat[0]),
        retention: Money(by_cat[1]),
        reconquest: Money(by_cat[2]),
        lost: Money(lost_revenue),
    };
    let clients = ClientCounts {
        active: counts.iter().sum(),
        new: counts[0],
        retained: counts[1],
        reconquered: counts[2],
        lost,
        former_at_start: former,
        reconquest_rate: ratio(count(counts[2]), count(former)),
    };
    RevenueAnalysis {
        figures,
        clients,
        split_by_rep: split_by_rep(e, p, idx),
        split_by_zone: split_by_zone(e, idx),
    }
}

/// The 3 CA per rep of the sales line, with client counts per rep.
fn split_by_rep(e: &Engagement, p: &Periods, idx: &ClientIndex) -> BTreeMap<CutKey, Split> {
    let mut acc: Vec<Split> = slots::slots(e, Split::default());
    let mut used = slots::slots(e, false);
    // A client is counted once per rep: the first rep seen for each client is
    // remembered in a dense vector; only lines of a client's other reps need a set.
    const NONE: u32 = u32::MAX;
    let mut first_rep = vec![NONE; idx.facts.len()];
    let mut others: FxHashSet<u64> = FxHashSet::default();
    for s in &e.sales {
        if !p.in_fy(s.date) {
            continue;
        }
        let slot = slots::slot(s.rep);
        let cat = idx.category(s.client);
        acc[slot].add(cat, s.amount);
        used[slot] = true;
        let first = &mut first_rep[s.client.0 as usize];
        let new_pair = if *first == NONE {
            *first = slot as u32;
            true
        } else if *first == slot as u32 {
            false
        } else {
            others.insert(((slot as u64) << 32) | s.client.0 as u64)
        };
        if new_pair {
            acc[slot].count(cat);
        }
    }
    let acc: Vec<(bool, Split)> = used.into_iter().zip(acc).collect();
    slots::resolve(e, acc, |(u, _)| *u, |a, (_, b)| a.1.merge(b))
        .into_iter()
        .map(|(k, (_, v))| (k, v))
        .collect()
}

/// The 3 CA per zone of the clients table.
fn split_by_zone(e: &Engagement, idx: &ClientIndex) -> Option<BTreeMap<CutKey, Split>> {
    let records = e.clients.as_ref()?;
    let mut zone_of = vec![None; idx.facts.len()];
    for r in records {
        zone_of[r.client.0 as usize] = r.zone;
    }
    let mut acc: Vec<(bool, Split)> = slots::slots(e, (false, Split::default()));
    for k in idx.keys() {
        let f = idx.get(k);
        if !f.has_fy_line {
            continue;
        }
        let cat = idx.category(k);
        let a = &mut acc[slots::slot(zone_of[k.0 as usize])];
        a.0 = true;
        a.1.add(cat, f.fy_revenue);
        a.1.count(cat);
    }
    let out = slots::resolve(e, acc, |(u, _)| *u, |a, (_, b)| a.1.merge(b));
    Some(out.into_iter().map(|(k, (_, v))| (k, v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::slots::UNKNOWN;
    use crate::analysis::testing::{EngagementBuilder, dec};

    fn run(e: &Engagement) -> RevenueAnalysis {
        let p = Periods::of(e);
        analyse(e, &p, &ClientIndex::build(e, &p))
    }

    /// A small engagement whose figures are computed by hand below.
    fn sample() -> Engagement {
        EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            // RET: retained (bought 2024-03-01), FY 300 - 50 credit note.
            .sale("2024-03-01", "RET", "1000")
            .sale_by("2025-02-01", "RET", "300", "JD")
            .sale_by("2025-03-01", "RET", "-50", "MK")
            // REC: last purchase 2023-06-01 < 2024-01-01: reconquered, FY 200.
            .sale("2023-06-01", "REC", "400")
            .sale_by("2025-04-01", "REC", "200", "JD")
            // NEW: conquest 150.
            .sale_by("2025-05-01", "NEW", "150", "")
            // LOST: bought in 2024 (in the dormancy window), nothing in FY.
            .sale("2024-08-01", "LOST", "500")
            .sale("2024-09-01", "LOST", "-20")
            // OLD: former at start, did not come back.
            .sale("2022-01-01", "OLD", "80")
            // CN: only a credit note in FY; was a client in 2024: retained.
            .sale("2024-02-01", "CN", "60")
            .sale_by("2025-02-15", "CN", "-60", "JD")
            // After as_of: ignored.
            .sale("2025-08-01", "NEW", "9999")
            .client("RET", |c| c.zone("North"))
            .client("REC", |c| c.zone("South"))
            .client("CN", |c| c)
            .build()
    }

    #[test]
    fn three_ca_lost_and_growth() {
        let r = run(&sample());
        let f = &r.figures;
        assert_eq!(f.retention, Money(dec("190"))); // 300 - 50 - 60
        assert_eq!(f.reconquest, Money(dec("200")));
        assert_eq!(f.conquest, Money(dec("150")));
        assert_eq!(f.total, Money(dec("540")));
        // FY-1 = 2024: 1000 + 500 - 20 + 60.
        assert_eq!(f.previous_total, Money(dec("1540")));
        // Same period of FY-1 = 2024-01-01..2024-06-30: 1000 + 60.
        assert_eq!(f.previous_to_date, Money(dec("1060")));
        assert_eq!(
            f.growth,
            Some(Rate(dec("540") / dec("1060") - Decimal::ONE))
        );
        assert_eq!(f.lost, Money(dec("480")));
        let c = &r.clients;
        assert_eq!(
            (c.active, c.new, c.retained, c.reconquered, c.lost),
            (4, 1, 2, 1, 1)
        );
        // REC and OLD were former clients at FY start; REC came back.
        assert_eq!(c.former_at_start, 2);
        assert_eq!(c.reconquest_rate, Some(Rate(dec("0.5"))));
    }

    #[test]
    fn splits_per_rep_and_zone() {
        let r = run(&sample());
        let jd = &r.split_by_rep["JD"];
        assert_eq!(jd.total, Money(dec("440"))); // 300 + 200 - 60
        assert_eq!(jd.retention, Money(dec("240")));
        assert_eq!(jd.reconquest, Money(dec("200")));
        assert_eq!(
            jd.clients,
            SplitClients {
                active: 3,
                new: 0,
                retained: 2,
                reconquered: 1
            }
        );
        assert_eq!(r.split_by_rep["MK"].retention, Money(dec("-50")));
        assert_eq!(r.split_by_rep["MK"].clients.active, 1);
        assert_eq!(r.split_by_rep[UNKNOWN].conquest, Money(dec("150")));
        let zones = r.split_by_zone.unwrap();
        assert_eq!(zones["North"].total, Money(dec("250")));
        assert_eq!(zones["South"].total, Money(dec("200")));
        // NEW is not in the clients table, CN has no zone.
        assert_eq!(zones[UNKNOWN].total, Money(dec("90")));
        assert_eq!(zones[UNKNOWN].clients.active, 2);
        let sum: Decimal = zones.values().map(|s| s.total.0).sum();
        assert_eq!(sum, dec("540"));
    }

    #[test]
    fn no_history_means_null_growth_and_no_clients_table_no_zone_split() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-03-01", "C1", "100")
            .build();
        let r = run(&e);
        assert_eq!(r.figures.growth, None);
        assert_eq!(r.clients.reconquest_rate, None);
        assert!(r.split_by_zone.is_none());
    }

    #[test]
    fn negative_previous_period_gives_null_growth() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2024-03-01", "C1", "-100")
            .sale("2025-03-01", "C1", "100")
            .build();
        assert_eq!(run(&e).figures.growth, None);
    }

    #[test]
    fn fiscal_year_not_starting_in_january() {
        // FY 2025-07-01..2026-06-30, dormancy 12 months -> boundary 2024-07-01.
        let e = EngagementBuilder::new("2025-07-01")
            .as_of("2026-01-31")
            .sale("2024-07-01", "RET", "10") // exactly on the boundary: retained
            .sale("2024-06-30", "REC", "10") // one day before: reconquered
            .sale("2025-06-30", "LAST", "5") // FY-1's last day; same period? no
            .sale("2025-01-31", "P", "7") // FY-1 to date ends 2025-01-31
            .sale("2025-07-01", "RET", "1")
            .sale("2026-01-31", "REC", "2")
            .sale("2025-12-01", "NEW", "4")
            .build();
        let r = run(&e);
        assert_eq!(r.figures.retention, Money(dec("1")));
        assert_eq!(r.figures.reconquest, Money(dec("2")));
        assert_eq!(r.figures.conquest, Money(dec("4")));
        assert_eq!(r.figures.previous_total, Money(dec("22")));
        assert_eq!(r.figures.previous_to_date, Money(dec("17")));
        // LAST and P bought in the window and have no FY line.
        assert_eq!(r.clients.lost, 2);
        assert_eq!(r.figures.lost, Money(dec("12")));
    }
}
