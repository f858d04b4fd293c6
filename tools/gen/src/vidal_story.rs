//! The Vidal example's objectives and its story, checked against the simulated figures
//! (`levier-gen stats` reports each check): kept apart from the simulation in
//! `vidal.rs`, which they only read.

use crate::Check;
use crate::model::{Kind, Source};
use crate::stats;
use crate::vidal::REPS;

/// The objectives written to objectives.toml, used by the checks.
pub struct Objectives {
    pub total: i64,
    pub conquest: i64,
    pub retention: i64,
    pub reconquest: i64,
    pub leads_total: i64,
    pub conversion_rate: f64,
    pub new_clients: i64,
    pub rep_revenue: [i64; 3],
    pub visit_target: f64,
    pub sl_visit_target: f64,
    pub rep_conquest: [i64; 3],
    pub rep_new_clients: [i64; 3],
    /// sales_action, offline, online, prescription, other.
    pub leads_by_source: [i64; 5],
    pub budget_offline: i64,
    pub budget_online: i64,
    pub budget_training: i64,
}

pub const OBJECTIVES: Objectives = Objectives {
    total: 3_660_000,
    conquest: 320_000,
    retention: 3_300_000,
    reconquest: 40_000,
    leads_total: 460,
    conversion_rate: 0.18,
    new_clients: 80,
    rep_revenue: [2_060_000, 700_000, 900_000],
    visit_target: 0.55,
    sl_visit_target: 0.50,
    rep_conquest: [150_000, 90_000, 80_000],
    rep_new_clients: [35, 25, 20],
    leads_by_source: [110, 75, 180, 60, 20],
    budget_offline: 38_000,
    budget_online: 52_000,
    budget_training: 9_500,
};

/// The story, checked against the figures.
pub(crate) fn checks(s: &stats::Stats) -> Vec<Check> {
    let o = &OBJECTIVES;
    let mut c = Vec::new();
    let mut check = |what: &str, value: String, ok: bool| {
        c.push(Check {
            what: what.to_string(),
            value,
            ok,
        })
    };
    let top = s.top_revenue as f64 / s.positive_total as f64;
    check(
        "R4 top client > 20 % of revenue",
        stats::pct(top),
        top > 0.2,
    );
    let lost = s.lost_revenue as f64 / s.previous_total as f64;
    check(
        "R7 lost revenue > 10 % of previous_total",
        stats::pct(lost),
        lost > 0.10,
    );
    let rr = s.reconquered as f64 / s.former_at_start as f64;
    check(
        "R6 reconquered < 10 % of former_at_start",
        stats::pct(rr),
        rr < 0.10,
    );
    let cp = s.projection(s.conquest) / o.conquest as f64;
    check(
        "R1 conquest projection < 90 % of objective",
        stats::pct(cp),
        cp < 0.9,
    );
    let rp = s.projection(s.retention) / o.retention as f64;
    check(
        "retention projection >= 90 % of objective (healthy)",
        stats::pct(rp),
        rp >= 0.9,
    );
    let qp = s.projection(s.reconquest) / o.reconquest as f64;
    check(
        "reconquest projection >= 90 % of objective (healthy)",
        stats::pct(qp),
        qp >= 0.9,
    );
    let online = s.leads[&Source::Online].conversion();
    let overall = s.leads_total.conversion();
    check(
        "R3 online conversion < half of overall",
        format!("{} vs {}", stats::pct(online), stats::pct(overall)),
        online < overall / 2.0 && s.leads[&Source::Online].count >= 10,
    );
    let pr = s.leads[&Source::Prescription].conversion();
    check(
        "prescription converts above overall (healthy)",
        stats::pct(pr),
        pr > overall,
    );
    check(
        "conversion >= objective (R9 silent)",
        stats::pct(overall),
        overall >= o.conversion_rate,
    );
    let lp = s.leads_total.count as f64 / s.elapsed_share / o.leads_total as f64;
    check(
        "leads projection >= 90 % of objective (R2 silent)",
        stats::pct(lp),
        lp >= 0.9,
    );
    for (i, src) in Source::ALL.iter().enumerate() {
        let p = s.leads[src].count as f64 / s.elapsed_share / o.leads_by_source[i] as f64;
        check(
            &format!("{} leads projection >= 90 % of objective", src.en()),
            stats::pct(p),
            p >= 0.9,
        );
    }
    let sl_ar = s.time_share("SL", &[Kind::Admin, Kind::Reporting]);
    check(
        "R8 SL admin + reporting > 25 %",
        stats::pct(sl_ar),
        sl_ar > 0.25,
    );
    let sl_v = s.time_share("SL", &[Kind::Visit]);
    check(
        "R8 SL visits < own target − 10 pts",
        stats::pct(sl_v),
        sl_v < o.sl_visit_target - 0.10,
    );
    for rep in ["JD", "MB"] {
        let ar = s.time_share(rep, &[Kind::Admin, Kind::Reporting]);
        let v = s.time_share(rep, &[Kind::Visit]);
        check(
            &format!("{rep} time healthy (admin+reporting <= 25 %, visits >= target − 10)"),
            format!("{} / {}", stats::pct(ar), stats::pct(v)),
            ar <= 0.25 && v >= o.visit_target - 0.10,
        );
    }
    let (cr, ce) = (s.class_revenue_share(2), s.class_effort_share(2));
    check(
        "R5 class C effort > 2x its revenue share",
        format!("{} vs {}", stats::pct(ce), stats::pct(cr)),
        ce > 2.0 * cr,
    );
    for (i, rep) in REPS.iter().enumerate() {
        let p = s.projection(s.revenue_by_rep.get(rep.id).copied().unwrap_or(0))
            / o.rep_revenue[i] as f64;
        let want_low = rep.id == "SL";
        check(
            &format!(
                "R10 {} revenue projection {} 85 % of objective",
                rep.id,
                if want_low { "<" } else { ">=" }
            ),
            stats::pct(p),
            if want_low { p < 0.85 } else { p >= 0.85 },
        );
    }
    check(
        "one client with only credit notes in FY",
        format!("{:?}", s.credit_only),
        s.credit_only.len() == 1,
    );
    check(
        "sales of client ids missing from clients.csv",
        format!("{:?}", s.missing_clients),
        !s.missing_clients.is_empty(),
    );
    let credit = s.credit_lines as f64 / s.sales_lines as f64;
    check(
        "credit notes 2-3 % of lines",
        stats::pct(credit),
        (0.02..=0.035).contains(&credit),
    );
    c
}
