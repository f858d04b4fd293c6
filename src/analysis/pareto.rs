//! Pareto / ABC classification of clients, maturity, contact effort, and the matrices
//! that cross them (analyses.md, "Pareto / ABC").
//!
//! The cut-off rule is applied exactly: walking clients by FY revenue descending (ties
//! by client id ascending, as strings), a client is A while the cumulative revenue of
//! the clients *before* it is < a × total, compared in `Decimal` (no division, no
//! float), then B while < b × total, else C. So the first client is always A and A
//! always covers at least `a` of the positive revenue.
//!
//! Decisions where analyses.md is silent:
//! - Clients with at least one FY line and FY net revenue <= 0 (for instance a client
//!   whose only FY lines are credit notes) are counted in `unclassified`, with their
//!   net revenue in `unclassified_revenue`. `positive_revenue` is the sum over the
//!   classified clients: the denominator of every `share`.
//! - Maturity from seniority: new if first purchase + maturity_months[0] months is after
//!   the FY's last day, developing if first purchase + maturity_months[1] months is,
//!   else mature; the clients table's `maturity` column overrides.
//! - Contact effort = hours of FY activities (to as_of) with the client's id.
//!   `effort_share` of a class = its hours / the hours of all classified clients
//!   (null when that is 0 or there is no activities table).
//! - Effort terciles: classified clients ranked by contact hours ascending (ties by
//!   client id), rank r of n goes to tercile floor(3r / n): low, medium, high. Groups
//!   differ by at most one client (the extra ones go to the lower groups), and clients
//!   with equal hours may fall on both sides of a boundary.
//!   Without an activities table, every effort figure is null (shape kept).
//! - `by_rep` counts classified clients per rep: the clients table's rep, else the rep
//!   with the largest FY revenue on the client's lines (ties by rep name), else
//!   `unknown`.
//! - `top` lists the first `top_n` clients of the ranking; `share` is the client's
//!   revenue / positive_revenue and `cumulative_share` includes the client.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::clients::ClientIndex;
use super::figures::{Money, Quantity, Rate, ratio};
use super::periods::{Periods, add_months};
use super::slots::{self, CutKey};
use crate::engagement::{ClientKey, Engagement, Label};
use crate::vocab::Maturity;

/// An ABC class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AbcClass {
    A,
    B,
    C,
}

impl AbcClass {
    pub const ALL: [AbcClass; 3] = [AbcClass::A, AbcClass::B, AbcClass::C];
}

/// One value per class, written `{"A": .., "B": .., "C": ..}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PerClass<T> {
    #[serde(rename = "A")]
    pub a: T,
    #[serde(rename = "B")]
    pub b: T,
    #[serde(rename = "C")]
    pub c: T,
}

impl<T> PerClass<T> {
    pub fn get_mut(&mut self, class: AbcClass) -> &mut T {
        match class {
            AbcClass::A => &mut self.a,
            AbcClass::B => &mut self.b,
            AbcClass::C => &mut self.c,
        }
    }

    pub fn get(&self, class: AbcClass) -> &T {
        match class {
            AbcClass::A => &self.a,
            AbcClass::B => &self.b,
            AbcClass::C => &self.c,
        }
    }
}

/// A class's clients, revenue, and effort.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClassFigures {
    pub clients: usize,
    pub revenue: Money,
    /// Class revenue / positive_revenue.
    pub share: Option<Rate>,
    /// Contact hours of the class's clients; null without an activities table.
    pub hours: Option<Quantity>,
    /// Class hours / hours of all classified clients.
    pub effort_share: Option<Rate>,
}

/// A cell of the ABC × maturity matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell {
    pub clients: usize,
    pub revenue: Money,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MaturityRow {
    pub new: Cell,
    pub developing: Cell,
    pub mature: Cell,
}

/// A cell of the ABC × effort-tercile matrix; null without an activities table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EffortCell {
    pub clients: Option<usize>,
    pub revenue: Option<Money>,
    pub hours: Option<Quantity>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EffortRow {
    pub low: EffortCell,
    pub medium: EffortCell,
    pub high: EffortCell,
}

/// A row of the top clients table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopClient {
    pub client_id: String,
    /// From the clients table; null when missing.
    pub name: Option<String>,
    pub revenue: Money,
    pub share: Option<Rate>,
    pub cumulative_share: Option<Rate>,
    pub class: AbcClass,
}

/// ABC client counts of one rep.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RepClasses {
    #[serde(rename = "A")]
    pub a: usize,
    #[serde(rename = "B")]
    pub b: usize,
    #[serde(rename = "C")]
    pub c: usize,
}

/// The `pareto` block of metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pareto {
    pub a_cutoff: Rate,
    pub b_cutoff: Rate,
    #[serde(rename = "A")]
    pub a: ClassFigures,
    #[serde(rename = "B")]
    pub b: ClassFigures,
    #[serde(rename = "C")]
    pub c: ClassFigures,
    /// FY-active clients with FY net revenue <= 0.
    pub unclassified: usize,
    pub unclassified_revenue: Money,
    /// Sum of the classified clients' revenue (the denominator of shares).
    pub positive_revenue: Money,
    pub classes: BTreeMap<String, AbcClass>,
    pub maturity: PerClass<MaturityRow>,
    pub effort: PerClass<EffortRow>,
    pub top: Vec<TopClient>,
    pub by_rep: BTreeMap<CutKey, RepClasses>,
    /// The FY revenue of every classified client, largest first: the points of the
    /// Pareto curve. Not written to metrics.json (it would list every client).
    #[serde(skip)]
    pub ranked_revenues: Vec<Decimal>,
}

impl Pareto {
    pub fn class(&self, class: AbcClass) -> &ClassFigures {
        match class {
            AbcClass::A => &self.a,
            AbcClass::B => &self.b,
            AbcClass::C => &self.c,
        }
    }

    fn class_mut(&mut self, class: AbcClass) -> &mut ClassFigures {
        match class {
            AbcClass::A => &mut self.a,
            AbcClass::B => &mut self.b,
            AbcClass::C => &mut self.c,
        }
    }
}

/// Classifies clients already sorted by revenue descending: the exact cut-off rule.
/// `revenues` are all > 0.
pub fn classify(revenues: &[Decimal], a: Decimal, b: Decimal) -> Vec<AbcClass> {
    let total: Decimal = revenues.iter().sum();
    let (a_limit, b_limit) = (a * total, b * total);
    let mut before = Decimal::ZERO;
    revenues
        .iter()
        .map(|r| {
            let class = if before < a_limit {
                AbcClass::A
            } else if before < b_limit {
                AbcClass::B
            } else {
                AbcClass::C
            };
            before += r;
            class
        })
        .collect()
}

/// The maturity of a client from its first purchase (see the module docs).
pub fn maturity_from_seniority(
    first_purchase: Option<chrono::NaiveDate>,
    fy_last: chrono::NaiveDate,
    bins_months: [u32; 2],
) -> Maturity {
    let Some(first) = first_purchase else {
        return Maturity::New;
    };
    if add_months(first, bins_months[0] as i32) > fy_last {
        Maturity::New
    } else if add_months(first, bins_months[1] as i32) > fy_last {
        Maturity::Developing
    } else {
        Maturity::Mature
    }
}

pub fn analyse(e: &Engagement, p: &Periods, idx: &ClientIndex) -> Pareto {
    // Ranking.
    let mut ranked: Vec<ClientKey> = Vec::new();
    let mut unclassified = 0usize;
    let mut unclassified_revenue = Decimal::ZERO;
    for k in idx.keys() {
        let f = idx.get(k);
        if !f.has_fy_line {
            continue;
        }
        if f.fy_revenue > Decimal::ZERO {
            ranked.push(k);
        } else {
            unclassified += 1;
            unclassified_revenue += f.fy_revenue;
        }
    }
    ranked.sort_unstable_by(|x, y| {
        idx.get(*y)
            .fy_revenue
            .cmp(&idx.get(*x).fy_revenue)
            .then_with(|| e.client_id(*x).cmp(e.client_id(*y)))
    });
    let revenues: Vec<Decimal> = ranked.iter().map(|k| idx.get(*k).fy_revenue).collect();
    let classes = classify(&revenues, e.settings.pareto_a, e.settings.pareto_b);
    let positive: Decimal = revenues.iter().sum();

    let records = e.client_records();
    let hours = contact_hours(e, p, idx.facts.len());

    let mut out = Pareto {
        a_cutoff: Rate(e.settings.pareto_a),
        b_cutoff: Rate(e.settings.pareto_b),
        a: ClassFigures::default(),
        b: ClassFigures::default(),
        c: ClassFigures::default(),
        unclassified,
        unclassified_revenue: Money(unclassified_revenue),
        positive_revenue: Money(positive),
        classes: BTreeMap::new(),
        maturity: PerClass::default(),
        effort: PerClass::default(),
        top: Vec::new(),
        by_rep: BTreeMap::new(),
        ranked_revenues: Vec::new(),
    };

    let mut class_hours = [Decimal::ZERO; 3];
    let mut cumulative = Decimal::ZERO;
    for (i, (&k, &class)) in ranked.iter().zip(&classes).enumerate() {
        let revenue = revenues[i];
        cumulative += revenue;
        let cf = out.class_mut(class);
        cf.clients += 1;
        cf.revenue.0 += revenue;
        if let Some(h) = &hours {
            class_hours[class as usize] += h[k.0 as usize];
        }
        out.classes.insert(e.client_id(k).to_string(), class);

        let record = records[k.0 as usize];
        let maturity = record.and_then(|r| r.maturity).unwrap_or_else(|| {
            maturity_from_seniority(
                idx.get(k).first_purchase,
                p.fy.last,
                e.settings.maturity_months,
            )
        });
        let row = out.maturity.get_mut(class);
        let cell = match maturity {
            Maturity::New => &mut row.new,
            Maturity::Developing => &mut row.developing,
            Maturity::Mature => &mut row.mature,
        };
        cell.clients += 1;
        cell.revenue.0 += revenue;

        if i < e.settings.top_n {
            out.top.push(TopClient {
                client_id: e.client_id(k).to_string(),
                name: record.and_then(|r| r.name.clone()),
                revenue: Money(revenue),
                share: ratio(revenue, positive),
                cumulative_share: ratio(cumulative, positive),
                class,
            });
        }
    }
    let classified_hours: Decimal = class_hours.iter().sum();
    for class in AbcClass::ALL {
        let cf = out.class_mut(class);
        cf.share = ratio(cf.revenue.0, positive);
        if hours.is_some() {
            let h = class_hours[class as usize];
            cf.hours = Some(Quantity(h));
            cf.effort_share = ratio(h, classified_hours);
        }
    }
    if let Some(h) = &hours {
        out.effort = effort_matrix(e, &ranked, &classes, &revenues, h);
    }
    out.by_rep = by_rep(e, p, &ranked, &classes, &records);
    out.ranked_revenues = revenues;
    out
}

/// FY contact hours per client, or `None` without an activities table.
fn contact_hours(e: &Engagement, p: &Periods, n: usize) -> Option<Vec<Decimal>> {
    let activities = e.activities.as_ref()?;
    let mut hours = vec![Decimal::ZERO; n];
    for a in activities {
        if let Some(c) = a.client
            && p.in_fy(a.date)
        {
            hours[c.0 as usize] += a.hours;
        }
    }
    Some(hours)
}

fn effort_matrix(
    e: &Engagement,
    ranked: &[ClientKey],
    classes: &[AbcClass],
    revenues: &[Decimal],
    hours: &[Decimal],
) -> PerClass<EffortRow> {
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_unstable_by(|&x, &y| {
        hours[ranked[x].0 as usize]
            .cmp(&hours[ranked[y].0 as usize])
            .then_with(|| e.client_id(ranked[x]).cmp(e.client_id(ranked[y])))
    });
    let n = order.len();
    let zero = || EffortCell {
        clients: Some(0),
        revenue: Some(Money::default()),
        hours: Some(Quantity::default()),
    };
    let mut m: PerClass<EffortRow> = PerClass::default();
    for class in AbcClass::ALL {
        *m.get_mut(class) = EffortRow {
            low: zero(),
            medium: zero(),
            high: zero(),
        };
    }
    for (rank, &i) in order.iter().enumerate() {
        let row = m.get_mut(classes[i]);
        let cell = match 3 * rank / n {
            0 => &mut row.low,
            1 => &mut row.medium,
            _ => &mut row.high,
        };
        *cell.clients.get_or_insert(0) += 1;
        cell.revenue.get_or_insert_with(Money::default).0 += revenues[i];
        cell.hours.get_or_insert_with(Quantity::default).0 += hours[ranked[i].0 as usize];
    }
    m
}

/// ABC counts per rep (see the module docs for a client's rep).
fn by_rep(
    e: &Engagement,
    p: &Periods,
    ranked: &[ClientKey],
    classes: &[AbcClass],
    records: &[Option<&crate::engagement::ClientRecord>],
) -> BTreeMap<CutKey, RepClasses> {
    const NONE: u32 = u32::MAX;
    const MANY: u32 = u32::MAX - 1;
    let n = records.len();
    // Clients whose rep comes from their lines: classified, without a table rep.
    let mut needs = vec![false; n];
    for &k in ranked {
        needs[k.0 as usize] = records[k.0 as usize].and_then(|r| r.rep).is_none();
    }
    // First pass: the single rep of each client's FY lines, or MANY.
    let mut line_rep = vec![NONE; n];
    for s in &e.sales {
        let c = s.client.0 as usize;
        if !needs[c] || !p.in_fy(s.date) {
            continue;
        }
        let Some(rep) = s.rep else { continue };
        let r = &mut line_rep[c];
        if *r == NONE {
            *r = rep.0;
        } else if *r != rep.0 {
            *r = MANY;
        }
    }
    // Second pass, only for clients with several reps: revenue per (client, rep).
    let mut shared: FxHashMap<(u32, u32), Decimal> = FxHashMap::default();
    if line_rep.contains(&MANY) {
        for s in &e.sales {
            let c = s.client.0 as usize;
            if line_rep[c] != MANY || !p.in_fy(s.date) {
                continue;
            }
            if let Some(rep) = s.rep {
                *shared.entry((s.client.0, rep.0)).or_default() += s.amount;
            }
        }
    }
    let mut best: FxHashMap<u32, (u32, Decimal)> = FxHashMap::default();
    for (&(client, rep), &revenue) in &shared {
        let entry = best.entry(client).or_insert((rep, revenue));
        let better = match revenue.cmp(&entry.1) {
            Ordering::Greater => true,
            Ordering::Equal => e.labels.name(rep) < e.labels.name(entry.0),
            Ordering::Less => false,
        };
        if better {
            *entry = (rep, revenue);
        }
    }

    let mut counts = slots::slots(e, (false, RepClasses::default()));
    for (&k, &class) in ranked.iter().zip(classes) {
        let c = k.0 as usize;
        let rep: Option<Label> = match records[c].and_then(|r| r.rep) {
            Some(r) => Some(r),
            None => match line_rep[c] {
                NONE => None,
                MANY => best.get(&k.0).map(|(r, _)| Label(*r)),
                r => Some(Label(r)),
            },
        };
        let (used, rc) = &mut counts[slots::slot(rep)];
        *used = true;
        match class {
            AbcClass::A => rc.a += 1,
            AbcClass::B => rc.b += 1,
            AbcClass::C => rc.c += 1,
        }
    }
    let out = slots::resolve(
        e,
        counts,
        |(u, _)| *u,
        |a, (_, b)| {
            a.1.a += b.a;
            a.1.b += b.b;
            a.1.c += b.c;
        },
    );
    out.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::slots::UNKNOWN;
    use crate::analysis::testing::{EngagementBuilder, date, dec};
    use crate::vocab::ActivityKind;

    fn run(e: &Engagement) -> Pareto {
        let p = Periods::of(e);
        analyse(e, &p, &ClientIndex::build(e, &p))
    }

    fn decs(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| dec(s)).collect()
    }

    #[test]
    fn exact_cut_offs() {
        use AbcClass::*;
        // Total 100: before = 0, 50, 80, 90, 95, 99.
        let c = classify(
            &decs(&["50", "30", "10", "5", "4", "1"]),
            dec("0.8"),
            dec("0.95"),
        );
        // 80 is not < 80: the third client is B; 95 is not < 95: the fifth is C.
        assert_eq!(c, vec![A, A, B, B, C, C]);
        // A single client is A.
        assert_eq!(classify(&decs(&["7"]), dec("0.8"), dec("0.95")), vec![A]);
        // A covers at least a: one dominant client.
        assert_eq!(
            classify(&decs(&["90", "5", "5"]), dec("0.8"), dec("0.95")),
            vec![A, B, C]
        );
    }

    #[test]
    fn ties_at_a_cut_off_are_ordered_by_client_id() {
        // Four clients of 25: before = 0, 25, 50, 75 (< 80: A). Cut-off a = 0.5:
        // the third client (before = 50) is B, whichever it is by id.
        let e = EngagementBuilder::new("2025-01-01")
            .settings(|s| s.pareto_a = dec("0.5"))
            .sale("2025-02-01", "D", "25")
            .sale("2025-02-01", "B", "25")
            .sale("2025-02-01", "C", "25")
            .sale("2025-02-01", "A", "25")
            .build();
        let p = run(&e);
        assert_eq!(p.classes["A"], AbcClass::A);
        assert_eq!(p.classes["B"], AbcClass::A);
        assert_eq!(p.classes["C"], AbcClass::B);
        assert_eq!(p.classes["D"], AbcClass::B);
        assert_eq!(p.a.share, Some(Rate(dec("0.5"))));
        let ids: Vec<&str> = p.top.iter().map(|t| t.client_id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "C", "D"]);
        assert_eq!(p.top[1].cumulative_share, Some(Rate(dec("0.5"))));
    }

    #[test]
    fn credit_note_only_clients_are_unclassified() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "C1", "100")
            .sale("2025-02-01", "CN", "-20")
            .sale("2025-02-01", "Z", "10")
            .sale("2025-03-01", "Z", "-10")
            .build();
        let p = run(&e);
        assert_eq!(p.unclassified, 2);
        assert_eq!(p.unclassified_revenue, Money(dec("-20")));
        assert_eq!(p.a.clients + p.b.clients + p.c.clients, 1);
        assert_eq!(p.positive_revenue, Money(dec("100")));
        assert!(!p.classes.contains_key("CN"));
    }

    #[test]
    fn maturity_bins_and_override() {
        let last = date("2025-12-31");
        let bins = [12, 36];
        let m = |d: &str| maturity_from_seniority(Some(date(d)), last, bins);
        assert_eq!(m("2025-01-01"), Maturity::New);
        // 2024-12-31 + 12 months = 2025-12-31: not after FY end, so one full year.
        assert_eq!(m("2024-12-31"), Maturity::Developing);
        assert_eq!(m("2025-01-01"), Maturity::New);
        assert_eq!(m("2023-01-01"), Maturity::Developing);
        assert_eq!(m("2022-12-31"), Maturity::Mature);

        let e = EngagementBuilder::new("2025-01-01")
            .sale("2020-01-01", "OLD", "1")
            .sale("2025-02-01", "OLD", "100")
            .sale("2025-02-01", "FORCED", "50")
            .client("FORCED", |c| c.maturity(Maturity::Mature))
            .build();
        let p = run(&e);
        assert_eq!(p.maturity.a.mature.clients, 2);
        assert_eq!(p.maturity.a.mature.revenue, Money(dec("150")));
        assert_eq!(p.maturity.a.new.clients, 0);
    }

    #[test]
    fn effort_shares_and_terciles() {
        // Revenues 60, 25, 10, 5 -> A, A, B, C (before: 0, 60, 85, 95).
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-12-31")
            .sale("2025-02-01", "W", "60")
            .sale("2025-02-01", "X", "25")
            .sale("2025-02-01", "Y", "10")
            .sale("2025-02-01", "Z", "5")
            .activity(
                "2025-03-01",
                "JD",
                ActivityKind::Visit,
                "2",
                None,
                Some("W"),
            )
            .activity(
                "2025-03-01",
                "JD",
                ActivityKind::Visit,
                "6",
                None,
                Some("Z"),
            )
            .activity(
                "2025-03-01",
                "JD",
                ActivityKind::Visit,
                "1",
                None,
                Some("Y"),
            )
            .activity(
                "2024-03-01",
                "JD",
                ActivityKind::Visit,
                "50",
                None,
                Some("X"),
            )
            .build();
        let p = run(&e);
        assert_eq!(
            (p.a.clients, p.b.clients, p.c.clients),
            (2, 1, 1),
            "classes"
        );
        assert_eq!(p.a.hours, Some(Quantity(dec("2"))));
        assert_eq!(p.c.hours, Some(Quantity(dec("6"))));
        assert_eq!(p.c.effort_share, Some(Rate(dec("6") / dec("9"))));
        assert_eq!(p.c.share, Some(Rate(dec("0.05"))));
        // Hours ascending: X 0, Y 1, W 2, Z 6 -> ranks 0..3, tercile floor(3r/4):
        // X low, Y low, W medium, Z high.
        assert_eq!(p.effort.a.low.clients, Some(1)); // X
        assert_eq!(p.effort.a.medium.clients, Some(1)); // W
        assert_eq!(p.effort.b.low.revenue, Some(Money(dec("10")))); // Y
        assert_eq!(p.effort.c.high.hours, Some(Quantity(dec("6")))); // Z
        assert_eq!(p.effort.b.high.clients, Some(0));
    }

    #[test]
    fn no_activities_table_gives_null_effort() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "W", "60")
            .build();
        let p = run(&e);
        assert_eq!(p.a.hours, None);
        assert_eq!(p.a.effort_share, None);
        assert_eq!(p.effort.a.low, EffortCell::default());
        let json = serde_json::to_value(&p.effort).unwrap();
        assert!(json["A"]["low"]["clients"].is_null());
    }

    #[test]
    fn rep_of_a_client() {
        let e = EngagementBuilder::new("2025-01-01")
            // TABLE: the clients table's rep wins over the lines.
            .sale_by("2025-02-01", "TABLE", "100", "MK")
            // SPLIT: JD 30 + 30, MK 50 -> JD.
            .sale_by("2025-02-01", "SPLIT", "30", "JD")
            .sale_by("2025-02-02", "SPLIT", "30", "JD")
            .sale_by("2025-02-03", "SPLIT", "50", "MK")
            // TIE: 40 each -> by name, AB before JD.
            .sale_by("2025-02-01", "TIE", "40", "JD")
            .sale_by("2025-02-01", "TIE", "40", "AB")
            // NOREP: no rep anywhere.
            .sale("2025-02-01", "NOREP", "10")
            .client("TABLE", |c| c.rep("ZZ"))
            .build();
        let p = run(&e);
        let total = |r: &RepClasses| r.a + r.b + r.c;
        assert_eq!(total(&p.by_rep["ZZ"]), 1);
        assert_eq!(total(&p.by_rep["JD"]), 1);
        assert_eq!(total(&p.by_rep["AB"]), 1);
        assert_eq!(total(&p.by_rep[UNKNOWN]), 1);
        assert!(!p.by_rep.contains_key("MK"));
    }
}
