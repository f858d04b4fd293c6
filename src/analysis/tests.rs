//! Tests of the composed analysis: the shape of metrics.json, and properties that must
//! hold on any data (proptest).

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use super::testing::{EngagementBuilder, dec};
use super::*;
use crate::engagement::Objectives;
use crate::engagement::objectives::RepObjectives;
use crate::vocab::{ActivityKind, LeadSource, LeadStage, Maturity, VisitTarget};

fn json(m: &Metrics) -> Value {
    serde_json::to_value(m).expect("metrics serialise")
}

#[test]
fn missing_optional_tables_keep_every_key() {
    let e = EngagementBuilder::new("2025-01-01")
        .as_of("2025-03-31")
        .sale("2025-02-01", "C1", "100")
        .build();
    let v = json(&analyse(&e));
    assert_eq!(v["schema"], "levier.metrics/1");
    assert_eq!(v["fiscal_year"]["start"], "2025-01-01");
    assert_eq!(v["fiscal_year"]["end"], "2025-12-31");
    assert_eq!(v["as_of"], "2025-03-31");
    for key in [
        "total",
        "previous_total",
        "previous_to_date",
        "growth",
        "conquest",
        "retention",
        "reconquest",
        "lost",
        "by_month",
        "by_rep",
        "by_zone",
        "by_segment",
        "by_product",
        "split_by_rep",
        "split_by_zone",
    ] {
        assert!(v["revenue"].get(key).is_some(), "revenue.{key}");
    }
    assert!(v["revenue"]["growth"].is_null());
    for key in [
        "active",
        "new",
        "retained",
        "reconquered",
        "lost",
        "former_at_start",
        "reconquest_rate",
    ] {
        assert!(v["clients"].get(key).is_some(), "clients.{key}");
    }
    for key in [
        "a_cutoff",
        "b_cutoff",
        "A",
        "B",
        "C",
        "unclassified",
        "classes",
    ] {
        assert!(v["pareto"].get(key).is_some(), "pareto.{key}");
    }
    assert!(v["leads"]["total"]["count"].is_null());
    assert!(v["leads"]["total"]["median_cycle_days"].is_null());
    assert_eq!(v["leads"]["by_source"], serde_json::json!({}));
    assert!(v["leads"]["funnel"]["new"].is_null());
    assert!(v["time"]["total_hours"].is_null());
    assert_eq!(v["time"]["by_activity"], serde_json::json!({}));
    assert_eq!(v["time"]["by_rep"], serde_json::json!({}));
    assert_eq!(v["former_clients"]["count"], 0);
    assert_eq!(v["objectives"], serde_json::json!([]));
    // Figures only: the assessment's blocks are not the analysis's.
    assert!(v.get("findings").is_none() && v.get("actions").is_none());
    let unavailable: Vec<(&str, &str)> = v["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["analysis"].as_str().unwrap(),
                u["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(unavailable.contains(&("leads", "no leads table")));
    assert!(unavailable.contains(&("time", "no activities table")));
    assert!(unavailable.contains(&("objectives", "no objectives.toml")));
    assert!(unavailable.contains(&("revenue.by_zone", "no clients table")));
    assert!(unavailable.iter().any(|(a, _)| *a == "revenue.categories"));
}

#[test]
fn rounding_happens_only_when_writing() {
    // Three thirds: each line rounds to 0.33 but the exact sum is 1.00.
    let e = EngagementBuilder::new("2025-01-01")
        .sale("2024-01-01", "C1", "1")
        .sale("2025-02-01", "C1", "0.333")
        .sale("2025-02-01", "C2", "0.333")
        .sale("2025-02-01", "C3", "0.334")
        .build();
    let v = json(&analyse(&e));
    assert_eq!(v["revenue"]["total"], serde_json::json!(1.0));
    assert_eq!(v["revenue"]["conquest"], serde_json::json!(0.67));
    assert_eq!(v["revenue"]["retention"], serde_json::json!(0.33));
    // share of the first client: 0.334 / 1 = 0.334.
    assert_eq!(v["pareto"]["top"][0]["share"], serde_json::json!(0.334));
}

#[test]
fn short_history_is_flagged() {
    // Sales start 6 months before FY, dormancy is 12: a client last seen 8 months
    // before FY would be reconquered... or retained, and we cannot tell.
    let e = EngagementBuilder::new("2025-01-01")
        .sale("2024-07-01", "C1", "1")
        .sale("2025-02-01", "C1", "1")
        .build();
    let m = analyse(&e);
    let u = m
        .unavailable
        .iter()
        .find(|u| u.analysis == "revenue.categories")
        .expect("flagged");
    assert!(u.reason.contains("2024-07-01"), "{}", u.reason);
    // Exactly dormancy_months of history is what the format asks for: not flagged.
    let e = EngagementBuilder::new("2025-01-01")
        .sale("2024-01-01", "C1", "1")
        .sale("2025-02-01", "C1", "1")
        .build();
    assert!(
        !analyse(&e)
            .unavailable
            .iter()
            .any(|u| u.analysis == "revenue.categories")
    );
}

#[test]
fn full_history_has_no_unavailable_categories() {
    let e = EngagementBuilder::new("2025-01-01")
        .sale("2023-06-01", "C1", "1")
        .sale("2025-02-01", "C1", "1")
        .clients_table()
        .leads_table()
        .activities_table()
        .objectives(Objectives::default())
        .build();
    assert!(analyse(&e).unavailable.is_empty());
}

// ---------------------------------------------------------------------------
// Properties.

/// (days from FY start, client, cents, rep, product)
type SaleRow = (i64, u8, i64, u8, u8);
/// (days from FY start, source, stage, qualified, closed after, rep, value cents)
type LeadRow = (i64, u8, u8, u8, Option<i64>, u8, i64);
/// (days, rep, kind, quarter hours, target, client)
type ActivityRow = (i64, u8, u8, u32, u8, u8);

/// A generated row set, turned into an engagement in a given row order.
#[derive(Debug, Clone)]
struct Rows {
    fy_start: &'static str,
    as_of: Option<i64>,
    pareto_a: Decimal,
    dormancy: u32,
    sales: Vec<SaleRow>,
    /// client, zone, segment, rep, maturity
    clients: Vec<(u8, u8, u8, u8, u8)>,
    leads: Vec<LeadRow>,
    activities: Vec<ActivityRow>,
}

fn day(fy_start: &str, offset: i64) -> String {
    let d = testing::date(fy_start) + chrono::Duration::days(offset);
    d.format("%Y-%m-%d").to_string()
}

fn cents(c: i64) -> String {
    Decimal::new(c, 2).to_string()
}

fn name(prefix: &str, i: u8) -> String {
    format!("{prefix}{i}")
}

fn opt_name(prefix: &str, i: u8) -> Option<String> {
    // 0 means empty.
    (i != 0).then(|| name(prefix, i))
}

impl Rows {
    /// Builds the engagement with rows in the order given by each permutation.
    fn build(
        &self,
        sales_order: &[usize],
        lead_order: &[usize],
        act_order: &[usize],
    ) -> Engagement {
        let mut b = EngagementBuilder::new(self.fy_start).settings(|s| {
            s.pareto_a = self.pareto_a;
            s.dormancy_months = self.dormancy;
            s.top_n = 5;
        });
        if let Some(a) = self.as_of {
            b = b.as_of(&day(self.fy_start, a));
        }
        for &i in sales_order {
            let (d, c, amount, rep, product) = self.sales[i];
            let rep = opt_name("R", rep);
            let product = opt_name("P", product);
            b = b.sale_with(
                &day(self.fy_start, d),
                &name("C", c),
                &cents(amount),
                rep.as_deref(),
                product.as_deref(),
            );
        }
        for &(c, zone, segment, rep, maturity) in &self.clients {
            b = b.client(&name("C", c), |mut row| {
                if let Some(z) = opt_name("Z", zone) {
                    row = row.zone(&z);
                }
                if let Some(s) = opt_name("S", segment) {
                    row = row.segment(&s);
                }
                if let Some(r) = opt_name("R", rep) {
                    row = row.rep(&r);
                }
                if maturity < 3 {
                    row = row.maturity(Maturity::ALL[maturity as usize]);
                }
                row.name(&format!("Client {c}"))
            });
        }
        b = b.clients_table().leads_table().activities_table();
        for &i in lead_order {
            let (d, source, stage, qualified, closed, rep, value) = self.leads[i];
            let source = LeadSource::ALL.get(source as usize).copied();
            let stage = LeadStage::ALL[stage as usize % LeadStage::ALL.len()];
            let date = day(self.fy_start, d);
            b = b.lead(&date, source, stage, |mut l| {
                if qualified < 2 {
                    l = l.qualified(qualified == 1);
                }
                if let Some(after) = closed {
                    l = l.closed(&day(self.fy_start, d + after));
                }
                if let Some(r) = opt_name("R", rep) {
                    l = l.rep(&r);
                }
                if rep % 2 == 1 {
                    l = l.prescriber(&name("Pr", rep));
                }
                l.value(&cents(value))
            });
        }
        for &i in act_order {
            let (d, rep, kind, quarters, target, client) = self.activities[i];
            let hours = Decimal::new(quarters as i64 * 25, 2).to_string();
            let client = opt_name("C", client);
            b = b.activity(
                &day(self.fy_start, d),
                &name("R", rep),
                ActivityKind::ALL[kind as usize % ActivityKind::ALL.len()],
                &hours,
                VisitTarget::ALL.get(target as usize).copied(),
                client.as_deref(),
            );
        }
        let mut o = Objectives::default();
        o.revenue.total = Some(dec("100000"));
        o.revenue.conquest = Some(dec("20000"));
        o.leads.total = Some(dec("50"));
        o.leads.conversion_rate = Some(dec("0.2"));
        o.leads.by_source.insert(LeadSource::Online, dec("10"));
        o.new_clients = Some(dec("5"));
        o.time_allocation = [
            (ActivityKind::Visit, dec("0.6")),
            (ActivityKind::Admin, dec("0.4")),
        ]
        .into();
        o.budget.insert("marketing_online".into(), dec("1000"));
        o.reps.push(RepObjectives {
            id: "R1".into(),
            name: None,
            zone: None,
            revenue: Some(dec("30000")),
            conquest: None,
            retention: None,
            reconquest: None,
            new_clients: Some(dec("2")),
            leads: Some(dec("10")),
            time_allocation: [(ActivityKind::Visit, dec("0.7"))].into(),
        });
        b.objectives(o).build()
    }

    fn in_order(&self) -> Engagement {
        let ids = |n: usize| (0..n).collect::<Vec<_>>();
        self.build(
            &ids(self.sales.len()),
            &ids(self.leads.len()),
            &ids(self.activities.len()),
        )
    }
}

fn rows() -> impl Strategy<Value = Rows> {
    let fy_start =
        prop::sample::select(vec!["2025-01-01", "2025-07-01", "2024-03-31", "2024-02-29"]);
    let sale = (
        -1200i64..420,
        0u8..15,
        prop_oneof![
            6 => 1i64..300_000,
            2 => -50_000i64..0,
            1 => Just(0i64),
            // Repeated amounts make ties at cut-offs and in rankings likely.
            2 => Just(10_000i64),
        ],
        0u8..4,
        0u8..4,
    );
    let client = (0u8..15, 0u8..3, 0u8..3, 0u8..3, 0u8..5);
    let lead = (
        -60i64..420,
        0u8..6,
        0u8..6,
        0u8..3,
        prop::option::of(0i64..90),
        0u8..4,
        0i64..500_000,
    );
    let activity = (-60i64..420, 1u8..4, 0u8..7, 0u32..20, 0u8..5, 0u8..15);
    (
        fy_start,
        prop::option::of(0i64..365),
        prop::sample::select(vec![dec("0.5"), dec("0.8"), dec("0.95")]),
        prop::sample::select(vec![6u32, 12, 24]),
        prop::collection::vec(sale, 0..60),
        prop::collection::btree_map(0u8..15, client, 0..10),
        prop::collection::vec(lead, 0..30),
        prop::collection::vec(activity, 0..30),
    )
        .prop_map(
            |(fy_start, as_of, pareto_a, dormancy, sales, clients, leads, activities)| Rows {
                fy_start,
                as_of,
                pareto_a,
                dormancy,
                sales,
                clients: clients
                    .into_iter()
                    .map(|(id, (_, z, s, r, m))| (id, z, s, r, m))
                    .collect(),
                leads,
                activities,
            },
        )
}

fn shuffled(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<_>>()).prop_shuffle()
}

fn rows_and_orders() -> impl Strategy<Value = (Rows, Vec<usize>, Vec<usize>, Vec<usize>)> {
    rows().prop_flat_map(|r| {
        let (s, l, a) = (r.sales.len(), r.leads.len(), r.activities.len());
        (Just(r), shuffled(s), shuffled(l), shuffled(a))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn three_ca_sum_exactly_to_the_total(r in rows()) {
        let e = r.in_order();
        let m = analyse(&e);
        let f = &m.revenue.figures;
        prop_assert_eq!(f.conquest.0 + f.retention.0 + f.reconquest.0, f.total.0);
        // The total is the sum of the FY lines.
        let p = Periods::of(&e);
        let direct: Decimal = e.sales.iter().filter(|s| p.in_fy(s.date)).map(|s| s.amount).sum();
        prop_assert_eq!(f.total.0, direct);
        // Splits and cuts partition the same total.
        let by_rep: Decimal = m.revenue.split_by_rep.values().map(|s| s.total.0).sum();
        prop_assert_eq!(by_rep, f.total.0);
        let by_zone: Decimal = m.revenue.split_by_zone.values().map(|s| s.total.0).sum();
        prop_assert_eq!(by_zone, f.total.0);
        let by_product: Decimal = m.revenue.cuts.by_product.values().map(|c| c.fy.0).sum();
        prop_assert_eq!(by_product, f.total.0);
        let by_month: Decimal = m.revenue.cuts.by_month.iter().filter_map(|c| c.fy).map(|c| c.0).sum();
        prop_assert_eq!(by_month, f.total.0);
        let fy_1_months: Decimal = m.revenue.cuts.by_month.iter().map(|c| c.fy_1.0).sum();
        prop_assert_eq!(fy_1_months, f.previous_total.0);
        let by_segment_fy_1: Decimal = m.revenue.cuts.by_segment.values().map(|c| c.fy_1.0).sum();
        prop_assert_eq!(by_segment_fy_1, f.previous_to_date.0);
        // Client counts.
        let c = &m.clients;
        prop_assert_eq!(c.new + c.retained + c.reconquered, c.active);
        prop_assert!(c.reconquered <= c.former_at_start);
    }

    #[test]
    fn pareto_classes_cover_the_cut_offs(r in rows()) {
        let e = r.in_order();
        let m = analyse(&e);
        let pa = &m.pareto;
        let classified = pa.a.clients + pa.b.clients + pa.c.clients;
        prop_assert_eq!(classified + pa.unclassified, m.clients.active);
        prop_assert_eq!(pa.classes.len(), classified);
        let positive = pa.positive_revenue.0;
        prop_assert_eq!(pa.a.revenue.0 + pa.b.revenue.0 + pa.c.revenue.0, positive);
        prop_assert_eq!(positive + pa.unclassified_revenue.0, m.revenue.figures.total.0);
        if classified > 0 {
            prop_assert!(pa.a.clients >= 1);
            // A covers at least a of the positive revenue, A + B at least b.
            prop_assert!(pa.a.revenue.0 >= e.settings.pareto_a * positive);
            prop_assert!(pa.a.revenue.0 + pa.b.revenue.0 >= e.settings.pareto_b * positive);
            // Minimality: without its last client, A would not reach a.
            let mut a_revenues: Vec<Decimal> = pa.classes.iter()
                .filter(|(_, c)| **c == pareto::AbcClass::A)
                .map(|(id, _)| {
                    let k = crate::engagement::ClientKey(e.client_ids.get(id).unwrap());
                    ClientIndex::build(&e, &Periods::of(&e)).get(k).fy_revenue
                })
                .collect();
            a_revenues.sort();
            let smallest = a_revenues[0];
            prop_assert!(pa.a.revenue.0 - smallest < e.settings.pareto_a * positive);
        } else {
            prop_assert_eq!(pa.a.share, None);
        }
        // Matrices hold every classified client once.
        let mat: usize = [&pa.maturity.a, &pa.maturity.b, &pa.maturity.c]
            .iter()
            .map(|r| r.new.clients + r.developing.clients + r.mature.clients)
            .sum();
        prop_assert_eq!(mat, classified);
        let eff: usize = [&pa.effort.a, &pa.effort.b, &pa.effort.c]
            .iter()
            .map(|r| r.low.clients.unwrap() + r.medium.clients.unwrap() + r.high.clients.unwrap())
            .sum();
        prop_assert_eq!(eff, classified);
        let by_rep: usize = pa.by_rep.values().map(|r| r.a + r.b + r.c).sum();
        prop_assert_eq!(by_rep, classified);
        // Terciles as equal as possible.
        let sizes: Vec<usize> = (0..3).map(|t| {
            [&pa.effort.a, &pa.effort.b, &pa.effort.c].iter().map(|r| {
                [&r.low, &r.medium, &r.high][t].clients.unwrap()
            }).sum()
        }).collect();
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        prop_assert!(max - min <= 1);
        // The top list is sorted and its shares add up.
        for w in pa.top.windows(2) {
            prop_assert!(w[0].revenue >= w[1].revenue);
        }
    }

    #[test]
    fn lead_counts_add_up(r in rows()) {
        let e = r.in_order();
        let m = analyse(&e);
        let l = &m.leads;
        let t = &l.total.stats;
        prop_assert_eq!(t.won.unwrap() + t.lost.unwrap() + t.open.unwrap(), t.count.unwrap());
        prop_assert!(t.qualified.unwrap() <= t.count.unwrap());
        for field in [
            |s: &leads::LeadStats| s.count,
            |s: &leads::LeadStats| s.won,
            |s: &leads::LeadStats| s.lost,
            |s: &leads::LeadStats| s.open,
            |s: &leads::LeadStats| s.qualified,
        ] {
            let by_source: usize = l.by_source.values().map(|s| field(&s.stats).unwrap()).sum();
            prop_assert_eq!(Some(by_source), field(t));
            let by_rep: usize = l.by_rep.values().map(|s| field(s).unwrap()).sum();
            prop_assert_eq!(Some(by_rep), field(t));
        }
        let by_month: usize = l.by_month.iter().filter_map(|m| m.count).sum();
        prop_assert_eq!(Some(by_month), t.count);
        let won_value: Decimal = l.by_source.values().map(|s| s.stats.won_value.unwrap().0).sum();
        prop_assert_eq!(won_value, t.won_value.unwrap().0);
        // The funnel narrows.
        let f = &l.funnel;
        let stages = [f.new, f.contacted, f.qualified, f.proposal, f.won];
        prop_assert_eq!(f.new, t.count);
        prop_assert_eq!(f.won, t.won);
        for w in stages.windows(2) {
            prop_assert!(w[0] >= w[1]);
        }
        // Hours add up too.
        let time = &m.time;
        let hours: Decimal = time.total.by_activity.values().map(|a| a.hours.0).sum();
        prop_assert_eq!(Some(hours), time.total.total_hours.map(|q| q.0));
        let rep_hours: Decimal = time.by_rep.values().map(|r| r.total_hours.unwrap().0).sum();
        prop_assert_eq!(rep_hours, hours);
    }

    #[test]
    fn results_do_not_depend_on_row_order((r, s, l, a) in rows_and_orders()) {
        let original = serde_json::to_string(&analyse(&r.in_order())).unwrap();
        let shuffled = serde_json::to_string(&analyse(&r.build(&s, &l, &a))).unwrap();
        prop_assert_eq!(original, shuffled);
    }
}
