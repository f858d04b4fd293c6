//! The rules R1 to R10, one function each, in the catalogue's order: each reads the
//! figures through the parent's [`Context`] and pushes its findings (the table of
//! which rule fires on what is in the parent module's documentation).

use super::*;
/// The value a lead brought: won_value / count of `stats`, else of all leads.
fn value_per_lead(stats: &LeadStats, total: &LeadStats) -> Option<Decimal> {
    let of = |s: &LeadStats| match (s.won, s.won_value, s.count) {
        (Some(w), Some(v), Some(n)) if w > 0 && n > 0 => Some(v.0 / count(n)),
        _ => None,
    };
    of(stats).or_else(|| of(total))
}

/// The average won value of `stats`, else of all leads.
fn average_won_value(stats: &LeadStats, total: &LeadStats) -> Option<Decimal> {
    let of = |s: &LeadStats| match (s.won, s.won_value) {
        (Some(w), Some(v)) if w > 0 => Some(v.0 / count(w)),
        _ => None,
    };
    of(stats).or_else(|| of(total))
}

/// The (actual, target, projection) of an objective line, when projected and > 0.
fn projected(line: &ObjectiveLine) -> Option<(Option<Decimal>, Decimal, Decimal)> {
    let target = line.target.value();
    let projection = line.landing()?.value();
    (target > Decimal::ZERO).then_some((line.actual.map(|a| a.value()), target, projection))
}

const R1_LEVERS: [(RevenueObjective, &[&str]); 3] = [
    (
        RevenueObjective::Conquest,
        &["prospect_files", "online_marketing", "prescription"],
    ),
    (
        RevenueObjective::Retention,
        &["key_accounts", "crm_steering"],
    ),
    (RevenueObjective::Reconquest, &["reconquest_campaign"]),
];

/// R1: a 3 CA category's projection under its objective.
pub(super) fn r1(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R1) else {
        return;
    };
    let t = rule.threshold("min_projection_ratio");
    let short_history = not_evaluated::history_too_short(cx.m);
    for (category, levers) in R1_LEVERS {
        if short_history && category != RevenueObjective::Conquest {
            continue;
        }
        let Some(line) = cx.line(&ObjectiveKey::Revenue(category)) else {
            continue;
        };
        let category = category.name();
        let subject = || cx.category_subject(category);
        let shortfall = Shortfall {
            rule: RuleId::R1,
            about: Some(category.to_string()),
            placeholder: "category",
            levers,
        };
        out.extend(revenue_shortfall(cx, line, t, subject, shortfall));
    }
}

/// How R1 and R10 differ: which rule, which subject, which levers.
struct Shortfall {
    rule: RuleId,
    about: Option<String>,
    /// The placeholder the subject's label fills in the rule's texts.
    placeholder: &'static str,
    levers: &'static [&'static str],
}

/// A revenue objective whose projection falls under `t` times its target (R1, R10):
/// the same test, figures and money at stake for a 3 CA category or a salesperson.
fn revenue_shortfall(
    cx: &Context<'_>,
    line: &ObjectiveLine,
    t: Decimal,
    subject: impl FnOnce() -> Subject,
    s: Shortfall,
) -> Option<Finding> {
    let (actual, target, projection) = projected(line)?;
    if projection >= t * target {
        return None;
    }
    let ratio = projection / target;
    let subject = subject();
    Some(cx.finish(Draft {
        rule: s.rule,
        about: s.about,
        text: s.rule.name(),
        values: vec![
            (s.placeholder, subject.label.clone()),
            ("projection", cx.money(projection)),
            ("ratio", cx.percent_beyond(ratio, t)),
            ("target", cx.money(target)),
        ],
        subject,
        severity: below(ratio, "0.75", "0.85"),
        evidence: vec![
            ("objective", EvidenceValue::Money(Money(target))),
            (
                "actual",
                EvidenceValue::Money(Money(actual.unwrap_or_default())),
            ),
            ("projection", EvidenceValue::Money(Money(projection))),
            ("ratio", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
        ],
        levers: s.levers,
        at_stake: Some(target - projection),
    }))
}

/// R2: the lead volume (total, or a source's) projected under its objective.
pub(super) fn r2(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R2) else {
        return;
    };
    let t = rule.threshold("min_projection_ratio");
    let total = &cx.m.leads.total.stats;
    let groups = std::iter::once(None).chain(LeadSource::ALL.iter().copied().map(Some));
    for source in groups {
        let (key, subject, stats) = match source {
            None => ("total", cx.leads_subject(), Some(total)),
            Some(s) => (
                s.name(),
                cx.source_subject(s),
                cx.m.leads.by_source.get(&s).map(|x| &x.stats),
            ),
        };
        let line_key = match source {
            None => ObjectiveKey::Leads,
            Some(s) => ObjectiveKey::LeadsFrom(s),
        };
        let Some(line) = cx.line(&line_key) else {
            continue;
        };
        let Some((actual, target, projection)) = projected(line) else {
            continue;
        };
        if projection >= t * target {
            continue;
        }
        let ratio = projection / target;
        let per_lead = stats.and_then(|s| value_per_lead(s, total));
        let mut evidence = vec![
            ("objective", EvidenceValue::Quantity(Quantity(target))),
            (
                "actual",
                EvidenceValue::Quantity(Quantity(actual.unwrap_or_default())),
            ),
            ("projection", EvidenceValue::Quantity(Quantity(projection))),
            ("ratio", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
        ];
        if let Some(v) = per_lead {
            evidence.push(("value_per_lead", EvidenceValue::Money(Money(v))));
        }
        out.push(cx.finish(Draft {
            rule: RuleId::R2,
            about: Some(key.to_string()),
            text: "R2",
            values: vec![
                ("subject", subject.label.clone()),
                ("origin", cx.origin(key)),
                ("projection", cx.whole(projection)),
                ("ratio", cx.percent_beyond(ratio, t)),
                ("target", cx.whole(target)),
            ],
            subject,
            severity: below(ratio, "0.75", "0.85"),
            evidence,
            levers: &[
                "online_marketing",
                "offline_marketing",
                "prescription",
                "trade_shows",
            ],
            at_stake: per_lead.map(|v| (target - projection) * v),
        }));
    }
}

/// R3: a source that converts far below the overall rate, on enough leads.
pub(super) fn r3(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R3) else {
        return;
    };
    let t = rule.threshold("max_ratio_to_overall");
    let min_leads = rule.threshold("min_leads");
    let total = &cx.m.leads.total.stats;
    let Some(overall) = total.conversion_rate.map(|r| r.0) else {
        return;
    };
    for (&source, s) in &cx.m.leads.by_source {
        let (Some(n), Some(rate)) = (s.stats.count, s.stats.conversion_rate) else {
            continue;
        };
        if count(n) < min_leads || rate.0 >= t * overall {
            continue;
        }
        // rate >= 0 and rate < t × overall: overall > 0.
        let ratio = rate.0 / overall;
        let average = average_won_value(&s.stats, total);
        let mut evidence = vec![
            ("count", EvidenceValue::Count(n)),
            ("conversion_rate", EvidenceValue::Rate(rate)),
            ("overall_rate", EvidenceValue::Rate(Rate(overall))),
            ("ratio_to_overall", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
            ("min_leads", EvidenceValue::Quantity(Quantity(min_leads))),
        ];
        if let Some(v) = average {
            evidence.push(("average_won_value", EvidenceValue::Money(Money(v))));
        }
        out.push(cx.finish(Draft {
            rule: RuleId::R3,
            about: Some(source.to_string()),
            text: "R3",
            values: vec![
                ("origin", cx.origin(source.name())),
                ("rate", cx.percent(rate.0)),
                ("overall", cx.percent(overall)),
                ("count", cx.count(n)),
            ],
            subject: cx.source_subject(source),
            severity: below(ratio, "0.25", "0.40"),
            evidence,
            levers: &["lead_qualification", "smarketing", "training"],
            at_stake: average.map(|v| count(n) * (overall - rate.0) * v),
        }));
    }
}

const R4_LEVERS: &[&str] = &["new_territory", "prospect_files", "external_growth"];
/// A dependency on one client is answered by securing that account and spreading the
/// revenue, not by buying a company.
const R4_TOP_CLIENT_LEVERS: &[&str] = &["key_accounts", "prospect_files", "new_territory"];

/// R4: revenue concentrated on one client, or on a tiny class A.
pub(super) fn r4(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R4) else {
        return;
    };
    let p = &cx.m.pareto;
    let t_top = rule.threshold("top_client_share");
    if let Some(top) = p.top.first()
        && let Some(share) = top.share
        && share.0 > t_top
    {
        let label = top.name.clone().unwrap_or_else(|| top.client_id.clone());
        out.push(cx.finish(Draft {
            rule: RuleId::R4,
            about: Some("top_client".into()),
            text: "R4",
            values: vec![
                ("client", label.clone()),
                ("share", cx.percent_beyond(share.0, t_top)),
                ("threshold", cx.threshold_percent(t_top)),
            ],
            subject: Subject {
                kind: SubjectKind::Client,
                key: top.client_id.clone(),
                label,
            },
            severity: at_least(share.0, "0.20", "0.15"),
            evidence: vec![
                ("share", EvidenceValue::Rate(share)),
                ("revenue", EvidenceValue::Money(top.revenue)),
                ("threshold", EvidenceValue::Rate(Rate(t_top))),
            ],
            levers: R4_TOP_CLIENT_LEVERS,
            at_stake: Some(top.revenue.0),
        }));
    }
    let t_a = rule.threshold("min_a_client_share");
    let classified = p.a.clients + p.b.clients + p.c.clients;
    if classified > 0 {
        let a_client_share = count(p.a.clients) / count(classified);
        if a_client_share <= t_a {
            let a_share = p.a.share.map_or(Decimal::ZERO, |r| r.0);
            out.push(cx.finish(Draft {
                rule: RuleId::R4,
                about: Some("a_class".into()),
                text: "R4_a",
                values: vec![
                    ("a_clients", cx.count(p.a.clients)),
                    ("classified", cx.count(classified)),
                    ("a_client_share", cx.percent(a_client_share)),
                    ("a_share", cx.percent(a_share)),
                ],
                subject: Subject {
                    kind: SubjectKind::Portfolio,
                    key: "A".into(),
                    label: cx.labels.get("subject.portfolio").to_string(),
                },
                severity: if a_client_share <= d("0.05") {
                    Severity::High
                } else {
                    Severity::Medium
                },
                evidence: vec![
                    ("a_clients", EvidenceValue::Count(p.a.clients)),
                    ("classified", EvidenceValue::Count(classified)),
                    ("a_client_share", EvidenceValue::Rate(Rate(a_client_share))),
                    ("a_share", EvidenceValue::Rate(Rate(a_share))),
                    ("threshold", EvidenceValue::Rate(Rate(t_a))),
                ],
                levers: R4_LEVERS,
                at_stake: None,
            }));
        }
    }
}

/// R5: class C takes far more contact effort than its revenue weight.
pub(super) fn r5(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R5) else {
        return;
    };
    let t = rule.threshold("max_effort_ratio");
    let c = &cx.m.pareto.c;
    let (Some(revenue_share), Some(effort_share)) = (c.share, c.effort_share) else {
        return;
    };
    if c.clients == 0 || revenue_share.0 <= Decimal::ZERO || effort_share.0 <= t * revenue_share.0 {
        return;
    }
    let ratio = effort_share.0 / revenue_share.0;
    out.push(cx.finish(Draft {
        rule: RuleId::R5,
        about: None,
        text: "R5",
        values: vec![
            ("revenue_share", cx.percent(revenue_share.0)),
            ("effort_share", cx.percent(effort_share.0)),
            ("ratio", cx.number_beyond(ratio, t)),
        ],
        subject: Subject {
            kind: SubjectKind::Class,
            key: "C".into(),
            label: cx.labels.fill("subject.class", &[("class", "C")]),
        },
        severity: at_least(ratio, "4", "3"),
        evidence: vec![
            ("clients", EvidenceValue::Count(c.clients)),
            ("revenue_share", EvidenceValue::Rate(revenue_share)),
            ("effort_share", EvidenceValue::Rate(effort_share)),
            ("effort_ratio", EvidenceValue::Quantity(Quantity(ratio))),
            ("threshold", EvidenceValue::Quantity(Quantity(t))),
        ],
        levers: &["time_allocation", "auxiliary_sales_force", "key_accounts"],
        at_stake: None,
    }));
}

/// R6: too few former clients won back.
pub(super) fn r6(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R6) else {
        return;
    };
    if not_evaluated::history_too_short(cx.m) {
        return;
    }
    let t = rule.threshold("min_reconquest_rate");
    let clients = &cx.m.clients;
    let Some(rate) = clients.reconquest_rate else {
        return;
    };
    if rate.0 >= t {
        return;
    }
    let former = &cx.m.former_clients;
    let yearly = (former.count > 0 && former.revenue_36m.0 > Decimal::ZERO)
        .then(|| former.revenue_36m.0 / count(former.count) / Decimal::from(3));
    let missing = t * count(clients.former_at_start) - count(clients.reconquered);
    let mut evidence = vec![
        ("reconquered", EvidenceValue::Count(clients.reconquered)),
        (
            "former_at_start",
            EvidenceValue::Count(clients.former_at_start),
        ),
        ("reconquest_rate", EvidenceValue::Rate(rate)),
        ("threshold", EvidenceValue::Rate(Rate(t))),
    ];
    if let Some(y) = yearly {
        evidence.push((
            "former_client_yearly_revenue",
            EvidenceValue::Money(Money(y)),
        ));
    }
    out.push(cx.finish(Draft {
        rule: RuleId::R6,
        about: None,
        text: "R6",
        values: vec![
            ("reconquered", cx.count(clients.reconquered)),
            ("former", cx.count(clients.former_at_start)),
            ("rate", cx.percent_beyond(rate.0, t)),
            ("threshold", cx.threshold_percent(t)),
        ],
        subject: cx.category_subject("reconquest"),
        severity: below(rate.0, "0.05", "0.075"),
        evidence,
        levers: &["reconquest_campaign", "crm_steering"],
        at_stake: yearly.map(|y| missing * y),
    }));
}

/// R7: the clients lost since last year weighed a large share of its revenue.
pub(super) fn r7(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R7) else {
        return;
    };
    if not_evaluated::history_too_short(cx.m) {
        return;
    }
    let t = rule.threshold("max_lost_share");
    let f = &cx.m.revenue.figures;
    let previous = f.previous_total.0;
    if previous <= Decimal::ZERO || f.lost.0 <= t * previous {
        return;
    }
    let share = f.lost.0 / previous;
    out.push(cx.finish(Draft {
        rule: RuleId::R7,
        about: None,
        text: "R7",
        values: vec![
            ("lost_clients", cx.count(cx.m.clients.lost)),
            ("months", cx.count(cx.e.settings.dormancy_months as usize)),
            ("lost", cx.money(f.lost.0)),
            ("share", cx.percent_beyond(share, t)),
        ],
        subject: cx.category_subject("retention"),
        severity: at_least(share, "0.20", "0.10"),
        evidence: vec![
            ("lost", EvidenceValue::Money(f.lost)),
            ("lost_clients", EvidenceValue::Count(cx.m.clients.lost)),
            ("previous_total", EvidenceValue::Money(f.previous_total)),
            ("share", EvidenceValue::Rate(Rate(share))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
        ],
        levers: &["key_accounts", "crm_steering", "training"],
        at_stake: Some(f.lost.0),
    }));
}

const R8_LEVERS: &[&str] = &["time_allocation", "crm_steering", "sales_admin_support"];

/// R8: per rep, field visits well under their key, or too much admin and reporting.
pub(super) fn r8(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R8) else {
        return;
    };
    let t_gap = rule.threshold("max_visit_gap_pts");
    let t_admin = rule.threshold("max_admin_share");
    for (rep, alloc) in &cx.m.time.by_rep {
        let label = cx.rep_label(rep.as_str());
        if let Some(visit) = alloc.by_activity.get(&ActivityKind::Visit)
            && let (Some(share), Some(target), Some(gap)) =
                (visit.share, visit.target_share, visit.gap_pts)
            && gap.0 < -t_gap
        {
            out.push(cx.finish(Draft {
                rule: RuleId::R8,
                about: Some(rep.to_string()),
                text: "R8",
                values: vec![
                    ("rep", label.clone()),
                    ("visit_share", cx.percent(share.0)),
                    ("target_share", cx.threshold_percent(target.0)),
                    ("gap", cx.number_beyond(-gap.0, t_gap)),
                ],
                subject: cx.rep_subject(rep.as_str()),
                severity: if gap.0 <= d("-20") {
                    Severity::High
                } else if gap.0 <= d("-15") {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                evidence: vec![
                    ("visit_share", EvidenceValue::Rate(share)),
                    ("target_share", EvidenceValue::Rate(target)),
                    ("gap_pts", EvidenceValue::Quantity(gap)),
                    ("threshold", EvidenceValue::Quantity(Quantity(t_gap))),
                ],
                levers: R8_LEVERS,
                at_stake: None,
            }));
        }
        let share_of = |kind| {
            alloc
                .by_activity
                .get(&kind)
                .and_then(|a: &crate::analysis::time::ActivityTime| a.share)
        };
        if let (Some(admin), Some(reporting)) = (
            share_of(ActivityKind::Admin),
            share_of(ActivityKind::Reporting),
        ) {
            let both = admin.0 + reporting.0;
            if both > t_admin {
                out.push(cx.finish(Draft {
                    rule: RuleId::R8,
                    about: Some(format!("{rep}-admin")),
                    text: "R8_admin",
                    values: vec![
                        ("rep", label.clone()),
                        ("admin_share", cx.percent_beyond(both, t_admin)),
                        ("threshold", cx.threshold_percent(t_admin)),
                    ],
                    subject: cx.rep_subject(rep.as_str()),
                    severity: at_least(both, "0.35", "0.30"),
                    evidence: vec![
                        ("admin_share", EvidenceValue::Rate(admin)),
                        ("reporting_share", EvidenceValue::Rate(reporting)),
                        ("share", EvidenceValue::Rate(Rate(both))),
                        ("threshold", EvidenceValue::Rate(Rate(t_admin))),
                    ],
                    levers: R8_LEVERS,
                    at_stake: None,
                }));
            }
        }
    }
}

/// R9: the conversion rate under its objective.
pub(super) fn r9(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R9) else {
        return;
    };
    let t = rule.threshold("min_conversion_ratio");
    let Some(line) = cx.line(&ObjectiveKey::ConversionRate) else {
        return;
    };
    let target = line.target.value();
    let Some(rate) = line.actual.map(|a| a.value()) else {
        return;
    };
    if target <= Decimal::ZERO || rate >= t * target {
        return;
    }
    let total = &cx.m.leads.total.stats;
    let (won, n) = (total.won.unwrap_or(0), total.count.unwrap_or(0));
    let ratio = rate / target;
    out.push(cx.finish(Draft {
        rule: RuleId::R9,
        about: None,
        text: "R9",
        values: vec![
            ("rate", cx.percent_beyond(rate, t * target)),
            ("won", cx.count(won)),
            ("count", cx.count(n)),
            ("target", cx.threshold_percent(target)),
        ],
        subject: cx.leads_subject(),
        severity: below(ratio, "0.75", "0.90"),
        evidence: vec![
            ("conversion_rate", EvidenceValue::Rate(Rate(rate))),
            ("objective", EvidenceValue::Rate(Rate(target))),
            ("ratio", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
            ("won", EvidenceValue::Count(won)),
            ("count", EvidenceValue::Count(n)),
        ],
        levers: &["lead_qualification", "training", "smarketing"],
        at_stake: average_won_value(total, total).map(|v| count(n) * (target - rate) * v),
    }));
}

/// R10: a rep's revenue projected under their objective.
pub(super) fn r10(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R10) else {
        return;
    };
    let t = rule.threshold("min_projection_ratio");
    let Some(o) = &cx.e.objectives else { return };
    for rep in &o.reps {
        let Some(line) = cx.line(&ObjectiveKey::Rep(rep.id.clone(), RepObjective::Revenue)) else {
            continue;
        };
        let shortfall = Shortfall {
            rule: RuleId::R10,
            about: Some(rep.id.clone()),
            placeholder: "rep",
            levers: &["onboarding", "training", "activity_model"],
        };
        out.extend(revenue_shortfall(
            cx,
            line,
            t,
            || cx.rep_subject(&rep.id),
            shortfall,
        ));
    }
}
