//! Tests of the assessment: each rule just below and just above its threshold (on
//! engagements built in code and run through the real analysis), overrides and disabled
//! rules, severity and ranking, KPI resolution with its diagnostics, the on-track
//! arithmetic, overdue actions, and acquisition scores.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::findings::{self, Finding, Severity, SubjectKind};
use super::followup::{self, on_track};
use super::kpi::KpiKind;
use super::*;
use crate::analysis::analyse;
use crate::analysis::figures::Money;
use crate::analysis::testing::{EngagementBuilder, dec};
use crate::diagnostic::Location;
use crate::engagement::objectives::RepObjectives;
use crate::engagement::plan::Goal;
use crate::engagement::toml_reader::{Origin, Sourced, TomlFile};
use crate::engagement::{Objectives, RuleSetting};
use crate::vocab::{ActivityKind, Language, LeadSource, LeadStage};

mod plan_and_acquisitions;

// ---------------------------------------------------------------------------
// Helpers

/// A full fiscal year 2024 to date, so that projections equal actuals.
fn year() -> EngagementBuilder {
    EngagementBuilder::new("2024-01-01").as_of("2024-12-31")
}

fn run(e: &Engagement) -> Vec<Finding> {
    findings::find(e, &analyse(e))
}

fn ids(found: &[Finding]) -> Vec<String> {
    found.iter().map(|f| f.id.to_string()).collect()
}

fn get<'a>(found: &'a [Finding], id: &str) -> &'a Finding {
    found
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no finding {id} in {:?}", ids(found)))
}

fn has(found: &[Finding], id: &str) -> bool {
    found.iter().any(|f| f.id == id)
}

fn origin() -> Origin {
    Origin {
        path: "engagement.toml".into(),
        location: Location::in_line(1, "", 0..0),
    }
}

fn set_rule(e: &mut Engagement, id: &str, setting: RuleSetting) {
    e.rules.insert(
        id.into(),
        Sourced {
            value: setting,
            origin: origin(),
        },
    );
}

fn override_threshold(e: &mut Engagement, id: &str, name: &str, value: &str) {
    let mut t = BTreeMap::new();
    t.insert(
        name.to_string(),
        Sourced {
            value: dec(value),
            origin: origin(),
        },
    );
    set_rule(e, id, RuleSetting::Thresholds(t));
}

fn rep(id: &str) -> RepObjectives {
    RepObjectives {
        id: id.into(),
        ..RepObjectives::default()
    }
}

/// `n` leads of `source`, `won` of them won (value 1000 each), the others lost.
fn leads(mut b: EngagementBuilder, source: LeadSource, n: usize, won: usize) -> EngagementBuilder {
    for i in 0..n {
        let stage = if i < won {
            LeadStage::Won
        } else {
            LeadStage::Lost
        };
        b = b.lead("2024-03-01", Some(source), stage, |l| l.value("1000"));
    }
    b
}

// ---------------------------------------------------------------------------
// R1: 3 CA projection against objectives

fn r1_engagement(conquest: &str) -> Engagement {
    let mut o = Objectives::default();
    o.revenue.conquest = Some(dec("100"));
    o.revenue.retention = Some(dec("1000"));
    // C1 is retained (bought in 2023), N1 new.
    year()
        .objectives(o)
        .sale("2023-06-01", "C1", "1000")
        .sale("2024-06-01", "C1", "1000")
        .sale("2024-06-01", "N1", conquest)
        .build()
}

#[test]
fn r1_fires_just_under_the_projection_ratio() {
    assert!(!has(&run(&r1_engagement("90")), "R1-conquest"));
    let found = run(&r1_engagement("89.99"));
    let f = get(&found, "R1-conquest");
    assert_eq!(f.rule, "R1");
    assert_eq!(f.subject.kind, SubjectKind::Category);
    assert_eq!(f.subject.key, "conquest");
    assert_eq!(
        f.levers,
        ["prospect_files", "online_marketing", "prescription"]
    );
    assert_eq!(f.at_stake, Some(Money(dec("10.01"))));
    assert_eq!(f.evidence["ratio"].value(), dec("0.8999"));
    assert_eq!(f.evidence["threshold"].value(), dec("0.90"));
    // Retention is on objective: no finding.
    assert!(!has(&found, "R1-retention"));
    assert_eq!(
        f.explanation,
        "Projected to year end, new business would bring in €90, 89.99% of the €100 objective."
    );
    assert_eq!(
        f.title,
        "New business: projected to fall short of its objective"
    );
}

#[test]
fn excluded_and_tried_levers_are_not_suggested() {
    let mut e = r1_engagement("50");
    e.settings.excluded_levers = vec!["online_marketing".into()];
    e.plan = Some(crate::engagement::Plan {
        tried: vec![crate::engagement::plan::TriedLever {
            lever: "prescription".into(),
            when: Some("2022-2024".into()),
            outcome: None,
        }],
        ..Default::default()
    });
    let found = run(&e);
    assert_eq!(get(&found, "R1-conquest").levers, ["prospect_files"]);
}

#[test]
fn a_single_client_dependency_is_not_answered_by_external_growth() {
    let found = run(&year()
        .sale("2024-02-01", "BIG", "900")
        .sale("2024-02-01", "C2", "100")
        .build());
    let f = get(&found, "R4-top_client");
    assert!(
        !f.levers.iter().any(|l| l == "external_growth"),
        "{:?}",
        f.levers
    );
    assert_eq!(f.levers[0], "key_accounts");
}

#[test]
fn r1_projects_mid_year() {
    // Half a year (183 of 366 days to 2024-07-01): 50 of conquest projects to 100.
    let mid_year = |objective: &str| {
        let mut o = Objectives::default();
        o.revenue.conquest = Some(dec(objective));
        EngagementBuilder::new("2024-01-01")
            .as_of("2024-07-01")
            .objectives(o)
            .sale("2024-03-01", "N1", "50")
            .build()
    };
    // 100 / 111.11 = 0.90001: no finding.
    assert!(!has(&run(&mid_year("111.11")), "R1-conquest"));
    // 100 / 112 = 0.893.
    let found = run(&mid_year("112"));
    let f = get(&found, "R1-conquest");
    assert_eq!(f.evidence["projection"].value(), dec("100"));
    assert_eq!(f.evidence["actual"].value(), dec("50"));
    assert_eq!(f.at_stake, Some(Money(dec("12"))));
}

// ---------------------------------------------------------------------------
// R2: lead volume

fn r2_engagement(online: usize) -> Engagement {
    let mut o = Objectives::default();
    o.leads.total = Some(dec("10"));
    o.leads.by_source.insert(LeadSource::Online, dec("10"));
    leads(
        year().objectives(o).sale("2024-06-01", "C1", "1"),
        LeadSource::Online,
        online,
        1,
    )
    .build()
}

#[test]
fn r2_fires_for_the_total_and_each_source_with_an_objective() {
    let found = run(&r2_engagement(9));
    assert!(!has(&found, "R2-total") && !has(&found, "R2-online"));
    let found = run(&r2_engagement(8));
    let total = get(&found, "R2-total");
    assert_eq!(total.subject.kind, SubjectKind::Leads);
    let online = get(&found, "R2-online");
    assert_eq!(online.subject.kind, SubjectKind::Source);
    assert_eq!(online.subject.label, "online marketing");
    // 2 leads missing × (1000 won / 8 leads).
    assert_eq!(online.at_stake, Some(Money(dec("250"))));
    assert_eq!(
        online.explanation,
        "At the current pace, the year would bring 8 leads from online marketing, 80.0% of the objective of 10 leads."
    );
}

// ---------------------------------------------------------------------------
// R3: conversion of a source against the overall rate

fn r3_engagement(online: usize, online_won: usize, sales_won: usize) -> Engagement {
    let b = year().sale("2024-06-01", "C1", "1");
    let b = leads(b, LeadSource::Online, online, online_won);
    leads(b, LeadSource::SalesAction, 10, sales_won).build()
}

#[test]
fn r3_fires_under_half_the_overall_rate() {
    // Online 1/10; overall (1 + 3) / 20 = 0.2; half of it is exactly 0.1: no finding.
    assert!(!has(&run(&r3_engagement(10, 1, 3)), "R3-online"));
    // Overall (1 + 4) / 20 = 0.25: 0.1 < 0.125.
    let found = run(&r3_engagement(10, 1, 4));
    let f = get(&found, "R3-online");
    assert_eq!(f.evidence["ratio_to_overall"].value(), dec("0.4"));
    // 10 leads × (0.25 − 0.1) × 1000 average won value of online leads.
    assert_eq!(f.at_stake, Some(Money(dec("1500"))));
    assert_eq!(f.severity, Severity::Low);
    assert!(!has(&found, "R3-sales_action"));
}

#[test]
fn r3_needs_enough_leads() {
    // Online converts at 0 against 5/19 overall, but with 9 leads only.
    assert!(!has(&run(&r3_engagement(9, 0, 5)), "R3-online"));
    let found = run(&r3_engagement(10, 0, 5));
    // No online lead won: the average won value is that of all leads.
    assert_eq!(
        get(&found, "R3-online").at_stake,
        Some(Money(dec("10") * dec("0.25") * dec("1000")))
    );
}

#[test]
fn r3_threshold_override_and_disabled() {
    let mut e = r3_engagement(10, 1, 4);
    override_threshold(&mut e, "R3", "max_ratio_to_overall", "0.3");
    // 0.1 < 0.3 × 0.25 = 0.075? No.
    assert!(!has(&run(&e), "R3-online"));
    override_threshold(&mut e, "R3", "min_leads", "11");
    assert!(!has(&run(&e), "R3-online"));
    let mut e = r3_engagement(10, 1, 4);
    set_rule(&mut e, "R3", RuleSetting::Enabled);
    assert!(has(&run(&e), "R3-online"));
    set_rule(&mut e, "R3", RuleSetting::Disabled);
    assert!(run(&e).iter().all(|f| f.rule != "R3"));
}

// ---------------------------------------------------------------------------
// R4: concentration

/// A top client worth `top`, and eight clients worth 10.
fn r4_engagement(top: &str) -> Engagement {
    let mut b = year()
        .sale("2024-06-01", "TOP", top)
        .client("TOP", |c| c.name("Rhône Restauration"));
    for i in 0..8 {
        b = b.sale("2024-06-01", &format!("C{i}"), "10");
    }
    b.build()
}

#[test]
fn r4_top_client_just_above_its_share() {
    // 20 / 100: exactly the threshold.
    assert!(!has(&run(&r4_engagement("20")), "R4-top_client"));
    let found = run(&r4_engagement("20.01"));
    let f = get(&found, "R4-top_client");
    assert_eq!(f.subject.kind, SubjectKind::Client);
    assert_eq!(f.subject.key, "TOP");
    assert_eq!(f.subject.label, "Rhône Restauration");
    assert_eq!(f.at_stake, Some(Money(dec("20.01"))));
    assert_eq!(f.severity, Severity::High);
    // 20.01 / 100.01 = 20.008 %: shown with the decimals that tell it from 20 %.
    assert!(f.explanation.contains("20.01%"), "{}", f.explanation);
}

#[test]
fn r4_top_client_threshold_override() {
    let mut e = r4_engagement("22");
    assert!(has(&run(&e), "R4-top_client"));
    override_threshold(&mut e, "R4", "top_client_share", "0.25");
    assert!(!has(&run(&e), "R4-top_client"));
}

/// One client worth 90 % of revenue and `others` small ones: class A is the big one.
fn r4_a_engagement(others: usize) -> Engagement {
    let mut b = year().sale("2024-06-01", "BIG", "900");
    for i in 0..others {
        b = b.sale("2024-06-01", &format!("C{i:02}"), "1");
    }
    b.build()
}

#[test]
fn r4_class_a_holding_at_most_a_tenth_of_clients() {
    // 1 A client of 9: 11 %.
    assert!(!has(&run(&r4_a_engagement(8)), "R4-a_class"));
    // 1 of 10: exactly 10 %, which fires ("<=").
    let found = run(&r4_a_engagement(9));
    let f = get(&found, "R4-a_class");
    assert_eq!(f.subject.kind, SubjectKind::Portfolio);
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.at_stake, None);
    // Both R4 findings can fire together; disabling R4 silences both.
    assert!(has(&found, "R4-top_client"));
    let mut e = r4_a_engagement(9);
    set_rule(&mut e, "R4", RuleSetting::Disabled);
    assert!(run(&e).iter().all(|f| f.rule != "R4"));
    // 1 of 20: 5 %, high.
    assert_eq!(
        get(&run(&r4_a_engagement(19)), "R4-a_class").severity,
        Severity::High
    );
}

// ---------------------------------------------------------------------------
// R5: effort on class C

/// X (A, 80), Y (B, 15), Z (C, 5), with contact hours 9 on X and `z_hours` on Z.
fn r5_engagement(z_hours: &str) -> Engagement {
    year()
        .sale("2024-06-01", "X", "80")
        .sale("2024-06-01", "Y", "15")
        .sale("2024-06-01", "Z", "5")
        .activity(
            "2024-06-01",
            "JD",
            ActivityKind::Visit,
            "9",
            None,
            Some("X"),
        )
        .activity(
            "2024-06-01",
            "JD",
            ActivityKind::Visit,
            z_hours,
            None,
            Some("Z"),
        )
        .build()
}

#[test]
fn r5_fires_above_twice_the_revenue_share() {
    let m = analyse(&r5_engagement("1"));
    assert_eq!(m.pareto.c.clients, 1);
    // 1 / 10 of the effort for 5 % of revenue: exactly twice.
    assert!(!has(&run(&r5_engagement("1")), "R5"));
    let found = run(&r5_engagement("1.01"));
    let f = get(&found, "R5");
    assert_eq!(f.subject.kind, SubjectKind::Class);
    assert_eq!(f.subject.key, "C");
    assert_eq!(f.severity, Severity::Low);
    // 2.018 times: written with the decimals that tell it from 2.
    assert!(f.explanation.contains("2.02 times"), "{}", f.explanation);
    // 4 times and more is high.
    assert_eq!(
        get(&run(&r5_engagement("3")), "R5").severity,
        Severity::High
    );
}

// ---------------------------------------------------------------------------
// R6: reconquest rate

/// `former` clients who last bought in 2022 (former at the start of 2024), `back` of
/// whom bought again in 2024.
fn r6_engagement(former: usize, back: usize) -> Engagement {
    let mut b = year();
    for i in 0..former {
        let id = format!("F{i:02}");
        b = b.sale("2022-03-01", &id, "300");
        if i < back {
            b = b.sale("2024-03-01", &id, "100");
        }
    }
    b.build()
}

#[test]
fn r6_fires_under_the_reconquest_rate() {
    // 1 of 10: exactly 10 %.
    assert!(!has(&run(&r6_engagement(10, 1)), "R6"));
    let found = run(&r6_engagement(11, 1));
    let f = get(&found, "R6");
    assert_eq!(f.subject.key, "reconquest");
    assert_eq!(f.evidence["reconquered"].value(), dec("1"));
    assert_eq!(f.evidence["former_at_start"].value(), dec("11"));
    // Missing: 0.1 × 11 − 1 = 0.1 client, at the yearly revenue of a former client.
    let yearly = f.evidence["former_client_yearly_revenue"].value();
    assert_eq!(f.at_stake, Some(Money(dec("0.1") * yearly)));
}

// ---------------------------------------------------------------------------
// R7: lost revenue

/// The sales start on 2023-01-01, exactly `dormancy_months` (12) before the fiscal year:
/// just enough history for R7.
fn r7_engagement(lost: &str) -> Engagement {
    year()
        .sale("2023-01-01", "KEPT", "90")
        .sale("2024-06-01", "KEPT", "90")
        .sale("2023-06-01", "LOST", lost)
        .build()
}

#[test]
fn r7_fires_above_the_lost_share() {
    // 10 of 100.
    assert!(!has(&run(&r7_engagement("10")), "R7"));
    let found = run(&r7_engagement("10.01"));
    let f = get(&found, "R7");
    assert_eq!(f.at_stake, Some(Money(dec("10.01"))));
    assert_eq!(f.subject.key, "retention");
    assert_eq!(f.evidence["lost_clients"].value(), dec("1"));
}

#[test]
fn rules_needing_history_are_not_evaluated_on_a_short_sales_history() {
    // The same engagement as R7's, its sales starting one day too late.
    let mut o = Objectives::default();
    o.revenue.conquest = Some(dec("1000"));
    o.revenue.retention = Some(dec("1000"));
    let e = year()
        .objectives(o)
        .sale("2023-01-02", "KEPT", "90")
        .sale("2024-06-01", "KEPT", "90")
        .sale("2023-06-01", "LOST", "50")
        .build();
    let m = analyse(&e);
    let found = findings::find(&e, &m);
    assert!(
        !has(&found, "R7") && !has(&found, "R6"),
        "{:?}",
        ids(&found)
    );
    // Conquest needs no history and is still judged; retention is not.
    assert!(has(&found, "R1-conquest") && !has(&found, "R1-retention"));
    let skipped: Vec<(String, Option<String>, &str)> = findings::not_evaluated(&e, &m)
        .into_iter()
        .map(|n| (n.rule.to_string(), n.subject, n.reason.name()))
        .collect();
    let short = "sales_history_too_short";
    assert_eq!(
        skipped,
        [
            ("R1".into(), Some("retention".into()), short),
            ("R2".into(), None, "no_leads"),
            ("R3".into(), None, "no_leads"),
            ("R5".into(), None, "no_activities"),
            ("R6".into(), None, short),
            ("R7".into(), None, short),
            ("R8".into(), None, "no_activities"),
            ("R9".into(), None, "no_leads"),
        ]
    );
    // One day earlier, R7 is judged.
    assert!(has(&run(&r7_engagement("50")), "R7"));
}

#[test]
fn a_disabled_rule_is_listed_as_not_evaluated() {
    let mut e = r7_engagement("50");
    set_rule(&mut e, "R7", RuleSetting::Disabled);
    let m = analyse(&e);
    let skipped = findings::not_evaluated(&e, &m);
    let r7 = skipped.iter().find(|n| n.rule == "R7").expect("R7 listed");
    assert_eq!(r7.reason.name(), "disabled");
    assert_eq!(
        serde_json::to_value(r7).unwrap(),
        serde_json::json!({"rule": "R7", "reason": "disabled"})
    );
}

// ---------------------------------------------------------------------------
// R8: time allocation per rep

fn r8_engagement(visit: &str, admin: &str, reporting: &str, other: &str) -> Engagement {
    let mut o = Objectives::default();
    o.time_allocation.insert(ActivityKind::Visit, dec("0.6"));
    o.time_allocation.insert(ActivityKind::Other, dec("0.4"));
    let mut sl = rep("SL");
    sl.name = Some("Sébastien Laurent".into());
    sl.time_allocation.insert(ActivityKind::Visit, dec("0.5"));
    o.reps.push(sl);
    year()
        .objectives(o)
        .sale("2024-06-01", "C1", "1")
        .activity("2024-06-01", "SL", ActivityKind::Visit, visit, None, None)
        .activity("2024-06-01", "SL", ActivityKind::Admin, admin, None, None)
        .activity(
            "2024-06-01",
            "SL",
            ActivityKind::Reporting,
            reporting,
            None,
            None,
        )
        .activity("2024-06-01", "SL", ActivityKind::Other, other, None, None)
        .build()
}

#[test]
fn r8_visit_gap_against_the_reps_own_key() {
    // 40 % of visits against the rep's own 50 %: exactly −10 pts.
    assert!(!has(&run(&r8_engagement("40", "10", "5", "45")), "R8-SL"));
    let found = run(&r8_engagement("39.99", "10", "5", "45.01"));
    let f = get(&found, "R8-SL");
    assert_eq!(f.subject.kind, SubjectKind::Rep);
    assert_eq!(f.subject.key, "SL");
    assert_eq!(f.subject.label, "Sébastien Laurent");
    assert_eq!(f.at_stake, None);
    assert!(!has(&found, "R8-SL-admin"));
}

#[test]
fn r8_admin_and_reporting_share() {
    // 15 + 10 = 25 %: exactly the threshold.
    assert!(!has(
        &run(&r8_engagement("60", "15", "10", "15")),
        "R8-SL-admin"
    ));
    let found = run(&r8_engagement("60", "15.01", "10", "14.99"));
    let f = get(&found, "R8-SL-admin");
    assert_eq!(f.evidence["share"].value(), dec("0.2501"));
    assert!(!has(&found, "R8-SL"));
    // Overridden to 30 %.
    let mut e = r8_engagement("60", "15.01", "10", "14.99");
    override_threshold(&mut e, "R8", "max_admin_share", "0.30");
    assert!(!has(&run(&e), "R8-SL-admin"));
}

// ---------------------------------------------------------------------------
// R9: conversion rate objective

fn r9_engagement(won: usize) -> Engagement {
    let mut o = Objectives::default();
    o.leads.conversion_rate = Some(dec("0.2"));
    leads(
        year().objectives(o).sale("2024-06-01", "C1", "1"),
        LeadSource::Online,
        100,
        won,
    )
    .build()
}

#[test]
fn r9_fires_under_the_conversion_objective() {
    assert!(!has(&run(&r9_engagement(20)), "R9"));
    let found = run(&r9_engagement(19));
    let f = get(&found, "R9");
    assert_eq!(f.subject.kind, SubjectKind::Leads);
    // 100 leads × 1 point × 1000 average.
    assert_eq!(f.at_stake, Some(Money(dec("1000"))));
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(
        f.explanation,
        "Leads convert at 19.0% (19 of 100) against an objective of 20%."
    );
}

// ---------------------------------------------------------------------------
// R10: rep revenue

fn r10_engagement(sl: &str) -> Engagement {
    let mut o = Objectives::default();
    let mut r = rep("SL");
    r.revenue = Some(dec("100"));
    o.reps.push(r);
    let mut jd = rep("JD");
    jd.revenue = Some(dec("100"));
    o.reps.push(jd);
    year()
        .objectives(o)
        .sale_by("2024-06-01", "C1", sl, "SL")
        .sale_by("2024-06-01", "C2", "100", "JD")
        .build()
}

#[test]
fn r10_fires_per_rep_under_the_projection_ratio() {
    assert!(!has(&run(&r10_engagement("85")), "R10-SL"));
    let found = run(&r10_engagement("84.99"));
    let f = get(&found, "R10-SL");
    assert_eq!(f.at_stake, Some(Money(dec("15.01"))));
    assert_eq!(f.levers, ["onboarding", "training", "activity_model"]);
    assert!(!has(&found, "R10-JD"));
}

// ---------------------------------------------------------------------------
// Severity, materiality, ranking, texts

#[test]
fn materiality_lowers_small_stakes() {
    // Conquest 70 % of objective (high by ratio), worth 30 on 1 000 of revenue: 3 %.
    let mut o = Objectives::default();
    o.revenue.conquest = Some(dec("100"));
    let e = year()
        .objectives(o.clone())
        .sale("2023-06-01", "C1", "1000")
        .sale("2024-06-01", "C1", "1000")
        .sale("2024-06-01", "N1", "70")
        .build();
    assert_eq!(get(&run(&e), "R1-conquest").severity, Severity::High);
    // The same gap on 10 000 of revenue (last year's): 0.3 %, one level lower.
    let e = year()
        .objectives(o)
        .sale("2023-06-01", "C1", "10000")
        .sale("2024-06-01", "C1", "10000")
        .sale("2024-06-01", "N1", "70")
        .build();
    assert_eq!(get(&run(&e), "R1-conquest").severity, Severity::Medium);
}

fn finding(id: &str, severity: Severity, at_stake: Option<&str>) -> Finding {
    Finding {
        id: {
            let (rule, about) = id.split_once('-').map_or((id, None), |(r, a)| (r, Some(a)));
            FindingId {
                rule: crate::rules::RuleId::parse(rule).unwrap(),
                about: about.map(String::from),
            }
        },
        rule: crate::rules::RuleId::parse(id.split('-').next().unwrap()).unwrap(),
        severity,
        subject: Subject {
            kind: SubjectKind::Portfolio,
            key: String::new(),
            label: String::new(),
        },
        title: String::new(),
        explanation: String::new(),
        evidence: BTreeMap::new(),
        levers: Vec::new(),
        at_stake: at_stake.map(|s| Money(dec(s))),
    }
}

#[test]
fn ranking_by_severity_then_money_then_id() {
    let mut f = vec![
        finding("R6", Severity::Low, Some("1000000")),
        finding("R8-SL", Severity::Medium, None),
        finding("R7", Severity::Medium, Some("400000")),
        finding("R5", Severity::High, None),
        finding("R1-conquest", Severity::High, Some("80000")),
        finding("R4-top_client", Severity::High, Some("640000")),
        finding("R3-online", Severity::Medium, Some("400000")),
        finding("R8-JD", Severity::Medium, None),
    ];
    findings::rank(&mut f);
    assert_eq!(
        ids(&f),
        [
            "R4-top_client",
            "R1-conquest",
            "R5",
            "R3-online",
            "R7",
            "R8-JD",
            "R8-SL",
            "R6"
        ]
    );
}

#[test]
fn french_texts_use_the_formatter() {
    let mut e = r7_engagement("20");
    e.info.language = Language::Fr;
    let found = run(&e);
    let f = get(&found, "R7");
    assert_eq!(
        f.title,
        "Clients perdus\u{a0}: une part importante du chiffre d'affaires"
    );
    assert_eq!(
        f.explanation,
        "Les clients perdus depuis le début de l'exercice (1) représentaient 20\u{a0}€, soit 18,2\u{202f}% du chiffre d'affaires de l'exercice précédent."
    );
    // Every rule's texts exist in both languages, with no placeholder left unfilled.
    let mut e = r1_engagement("50");
    e.info.language = Language::Fr;
    for f in run(&e) {
        assert!(
            !f.title.contains('{') && !f.explanation.contains('{'),
            "{f:?}"
        );
        assert!(f.title.starts_with(char::is_uppercase), "{}", f.title);
    }
}

#[test]
fn every_rule_text_and_lever_exists() {
    use crate::i18n::Labels;
    for lang in [Language::Fr, Language::En] {
        let labels = Labels::builtin(lang);
        for key in [
            "R1", "R2", "R3", "R4", "R4_a", "R5", "R6", "R7", "R8", "R8_admin", "R9", "R10",
        ] {
            for part in ["title", "explanation"] {
                assert!(
                    labels.has(&format!("findings.{key}.{part}")),
                    "{key}.{part}"
                );
            }
        }
        for key in [
            "subject.portfolio",
            "subject.class",
            "lead_origin.total",
            "lead_origin.sales_action",
            "lead_origin.offline",
            "lead_origin.online",
            "lead_origin.prescription",
            "lead_origin.other",
        ] {
            assert!(labels.has(key), "{key}");
        }
    }
}

#[test]
fn findings_of_a_rich_engagement_suggest_catalogue_levers() {
    let mut all = Vec::new();
    all.extend(run(&r1_engagement("10")));
    all.extend(run(&r2_engagement(5)));
    all.extend(run(&r3_engagement(10, 0, 5)));
    all.extend(run(&r4_a_engagement(19)));
    all.extend(run(&r5_engagement("3")));
    all.extend(run(&r6_engagement(11, 0)));
    all.extend(run(&r7_engagement("50")));
    all.extend(run(&r8_engagement("10", "30", "10", "50")));
    all.extend(run(&r9_engagement(5)));
    all.extend(run(&r10_engagement("10")));
    let rules: std::collections::BTreeSet<&str> = all.iter().map(|f| f.rule.name()).collect();
    assert_eq!(rules.len(), 10, "{rules:?}");
    for f in &all {
        assert!(!f.levers.is_empty(), "{}", f.id);
        for l in &f.levers {
            assert!(
                crate::levers::is_lever(l),
                "{} suggests unknown lever {l}",
                f.id
            );
        }
    }
}
