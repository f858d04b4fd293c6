//! Section 6, Mesure de la performance et ajustements: every objective's achievement (analysis:
//! [`crate::analysis::objectives`]), each action's KPI against its target, the actions to
//! adjust (assessment: [`crate::assess::followup`]).

use rust_decimal::Decimal;

use crate::analysis::objectives::ObjectiveKey;
use crate::assess::ActionReview;
use crate::assess::kpi::KpiKind;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::{Status, Vocabulary};

pub(crate) fn objective_label(b: &Builder<'_>, key: &ObjectiveKey) -> String {
    match key {
        ObjectiveKey::Rep(rep, what) => format!(
            "{} · {}",
            b.rep_name(rep),
            b.t(&format!("report.objective.rep_{}", what.name()))
        ),
        ObjectiveKey::LeadsFrom(source) => b.tf(
            "report.objective.leads_source",
            &[("source", &b.source_label(*source))],
        ),
        // `revenue_total`, `leads_conversion_rate`, `clients_new`: the key's words.
        _ => b.t(&format!(
            "report.objective.{}",
            key.to_string().replace('.', "_")
        )),
    }
}

/// The objectives table (all lines, or only the general ones).
pub(crate) fn objectives_table(
    b: &Builder<'_>,
    id: &str,
    caption: String,
    general_only: bool,
) -> Option<Block> {
    // The plan sets the objectives (general ones only, the salespeople's are in the
    // allocation table); the measurement judges them. One table each, never the same one
    // twice: the plan's shows the targets, the measurement's the actuals and landings.
    let targets_only = general_only;
    let lines: Vec<_> =
        b.m.objectives
            .iter()
            .filter(|o| !general_only || o.key.rep().is_none())
            .collect();
    if lines.is_empty() {
        return None;
    }
    let rows = lines
        .iter()
        .map(|o| {
            // For a rate, the projection is the rate itself: its achievement.
            let projected = match o.unit {
                crate::analysis::objectives::Unit::Rate => o.achievement,
                _ => o.projected_achievement(),
            };
            let tone = match o.unit {
                crate::analysis::objectives::Unit::Rate => achievement_tone(o.achievement),
                _ => achievement_tone(projected),
            };
            let mut cells = vec![
                cell(objective_label(b, &o.key)),
                cell(b.figure(Some(o.target), o.unit)),
            ];
            if !targets_only {
                cells.extend([
                    cell(b.figure(o.actual, o.unit)),
                    cell(b.pct(o.achievement)),
                    cell(b.landing(o.landing(), o.unit)),
                    toned(projected.map_or_else(|| b.na(), |r| b.pct(Some(r))), tone),
                ]);
            }
            Row {
                cells,
                emphasis: false,
            }
        })
        .collect();
    Some(Block::Table(Table {
        id: id.to_string(),
        caption,
        // "Indicateur | Objectif", never "Objectif | Objectif".
        columns: if targets_only {
            vec![
                col(b.t("report.col.kpi"), Align::Left),
                col(b.t("report.col.objective"), Align::Right),
            ]
        } else {
            vec![
                col(b.t("report.col.kpi"), Align::Left),
                col(b.t("report.col.objective"), Align::Right),
                col(b.t("report.col.actual"), Align::Right),
                col(b.t("report.col.achievement"), Align::Right),
                col(b.t("report.col.projection"), Align::Right),
                col(b.t("report.col.projected_achievement"), Align::Right),
            ]
        },
        rows,
        note: if targets_only {
            Some(b.t("report.plan.objectives_note"))
        } else {
            Some(b.t("report.measurement.objectives_note"))
        },
    }))
}

/// A reader's name for a KPI path, where levier knows one; the path otherwise.
pub(crate) fn kpi_label(b: &Builder<'_>, path: &str) -> String {
    let key = format!("report.objective.{}", path.replace('.', "_"));
    if b.labels.has(&key) {
        return b.t(&key);
    }
    let parts: Vec<&str> = path.split('.').collect();
    let source = |s: &str| crate::vocab::LeadSource::parse(s).map(|s| b.source_label(s));
    let activity = |a: &str| crate::vocab::ActivityKind::parse(a).map(|a| b.activity_label(a));
    let label = match parts.as_slice() {
        ["leads", "by_source", s, "count"] => {
            source(s).map(|s| b.tf("report.objective.leads_source", &[("source", &s)]))
        }
        ["leads", "by_source", s, "conversion_rate"] => {
            source(s).map(|s| b.tf("report.kpi_label.source_conversion", &[("source", &s)]))
        }
        ["leads", "total", "conversion_rate"] => {
            Some(b.t("report.objective.leads_conversion_rate"))
        }
        ["leads", "total", "count"] => Some(b.t("report.objective.leads_total")),
        ["time", "by_rep", rep, "by_activity", a, "share"] => activity(a).map(|a| {
            b.tf(
                "report.kpi_label.rep_activity_share",
                &[("rep", &b.rep_name(rep)), ("activity", &a)],
            )
        }),
        ["clients", "reconquered"] => Some(b.t("report.former.reconquered")),
        ["clients", "reconquest_rate"] => Some(b.t("report.former.rate")),
        _ => None,
    };
    // Any other figure: the glossary's label, never the path itself.
    label
        .or_else(|| crate::present::figures::label(b, path).map(|l| b.cap(&l)))
        .unwrap_or_else(|| b.t("report.measurement.indicator"))
}

/// How an action's KPI value is written, from its path.
pub(crate) fn kpi_value(b: &Builder<'_>, kpi: &str, kind: Option<KpiKind>, value: f64) -> String {
    let d = Decimal::from_f64_retain(value).unwrap_or_default();
    let last = kpi.rsplit('.').next().unwrap_or(kpi);
    if last.contains("rate") || last.contains("share") {
        b.fmt.percent(d, 1)
    } else if last == "gap_pts" {
        b.fmt.points(d)
    } else if kpi.starts_with("revenue.")
        || last.contains("value")
        || last.contains("cost")
        || last == "revenue_36m"
    {
        b.fmt.money(d, &b.e.info.currency)
    } else if kind == Some(KpiKind::Level) {
        b.fmt.number(d, 1)
    } else {
        b.fmt.number(d, 0)
    }
}

/// 6. Mesure de la performance et ajustements.
pub(crate) fn measurement(b: &Builder<'_>) -> Section {
    let mut children = Vec::new();
    // What changed since the last recorded measurement comes first: it is the question
    // every follow-up meeting opens with.
    children.extend(super::evolution::section(
        b,
        super::evolution::Scope::Engagement,
    ));
    let objectives = objectives_table(
        b,
        "achievement",
        b.t("report.measurement.objectives_table"),
        false,
    );
    children.push(sub(
        "measurement-objectives",
        b.t("report.measurement.objectives"),
        match objectives {
            Some(t) => vec![t],
            None => vec![b.unavailable("objectives")],
        },
    ));

    let followed: Vec<&ActionReview> = b.a.actions.iter().filter(|a| a.kpi.is_some()).collect();
    let mut blocks = Vec::new();
    if followed.is_empty() {
        blocks.push(b.unavailable("followup"));
    } else {
        let rows = followed
            .iter()
            .map(|a| {
                let kpi = a.kpi.as_deref().unwrap_or_default();
                let fmt_value =
                    |v: Option<f64>| v.map_or_else(|| b.na(), |v| kpi_value(b, kpi, a.kpi_kind, v));
                Row {
                    cells: vec![
                        cell(a.id.clone()),
                        cell(a.title.clone()),
                        cell(kpi_label(b, kpi)),
                        cell(fmt_value(a.target.map(|t| f64_of(t.0)))),
                        // A level (a rate, a share) is expected at its target all year.
                        cell(fmt_value(
                            a.expected_to_date
                                .map(|q| f64_of(q.0))
                                .or(a.target.map(|t| f64_of(t.0))),
                        )),
                        cell(fmt_value(a.current)),
                        match a.on_track {
                            Some(true) => status(b.t("report.measurement.on_track"), Tone::Good),
                            Some(false) => status(b.t("report.measurement.off_track"), Tone::Bad),
                            // Not measured: say why where the reason is the action's own.
                            None if a.status == Status::Dropped => {
                                status(a.status_label.clone(), Tone::Neutral)
                            }
                            None if a.start.is_some_and(|s| s > b.m.as_of) => {
                                status(b.t("report.measurement.not_started"), Tone::Neutral)
                            }
                            None => cell(b.na()),
                        },
                    ],
                    emphasis: false,
                }
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "followup".into(),
            caption: b.t("report.measurement.followup_table"),
            columns: vec![
                col(b.t("report.col.id"), Align::Left),
                col(b.t("report.col.action"), Align::Left),
                col(b.t("report.col.kpi"), Align::Left),
                col(b.t("report.col.target"), Align::Right),
                col(b.t("report.col.expected"), Align::Right),
                col(b.t("report.col.current"), Align::Right),
                col(b.t("report.col.on_track"), Align::Left),
            ],
            rows,
            note: Some(b.t("report.measurement.followup_note")),
        }));
    }
    children.push(sub(
        "measurement-actions",
        b.t("report.measurement.actions"),
        blocks,
    ));

    // Ajustements.
    let adjustments: Vec<&ActionReview> =
        b.a.plan_review
            .adjustments
            .iter()
            .filter_map(|id| b.a.actions.iter().find(|a| &a.id == id))
            .collect();
    let blocks = if b.a.actions.is_empty() {
        // "No action is late" says nothing of a plan with no action yet.
        vec![b.unavailable("actions")]
    } else if adjustments.is_empty() {
        vec![Block::Paragraph {
            text: b.t("report.measurement.no_adjustment"),
        }]
    } else {
        adjustments
            .iter()
            .map(|a| {
                let mut reasons = Vec::new();
                if a.overdue {
                    reasons.push(b.tf(
                        "report.measurement.overdue",
                        &[("date", &a.due.map_or_else(|| b.na(), |d| b.date(d)))],
                    ));
                }
                if a.on_track == Some(false) {
                    let kpi = a.kpi.as_deref().unwrap_or_default();
                    reasons.push(
                        b.tf(
                            "report.measurement.behind",
                            &[
                                ("kpi", &kpi_label(b, kpi)),
                                (
                                    "current",
                                    &a.current.map_or_else(
                                        || b.na(),
                                        |v| kpi_value(b, kpi, a.kpi_kind, v),
                                    ),
                                ),
                                (
                                    "expected",
                                    &a.expected_to_date
                                        .map(|q| f64_of(q.0))
                                        .or(a.target.map(|t| f64_of(t.0)))
                                        .map_or_else(
                                            || b.na(),
                                            |v| kpi_value(b, kpi, a.kpi_kind, v),
                                        ),
                                ),
                            ],
                        ),
                    );
                }
                Block::Callout {
                    tone: Tone::Bad,
                    title: format!("{} · {}", a.id, a.title),
                    text: reasons.join(" "),
                }
            })
            .collect()
    };
    children.push(sub(
        "measurement-adjustments",
        b.t("report.measurement.adjustments"),
        blocks,
    ));

    top(
        "measurement",
        b.t("report.sections.measurement"),
        vec![Block::Paragraph {
            text: b.tf(
                "report.measurement.intro",
                &[
                    ("date", &b.date(b.m.as_of)),
                    ("elapsed", &b.fmt.elapsed(b.m.elapsed_share.0)),
                ],
            ),
        }],
        children,
    )
}
