//! Sections 4 to 7 of the report: improvement points, the specific action plan,
//! performance measurement and adjustments, external growth. They turn the assessment
//! (findings, action follow-up, acquisition scores) into what the client reads.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::*;
use super::parts::*;
use super::report::{Builder, achievement_tone, f64_of};
use crate::analysis::objectives::ObjectiveKey;
use crate::assess::kpi::KpiKind;
use crate::assess::{ActionReview, Finding};
use crate::engagement::NoteSection;
use crate::levers;
use crate::vocab::{Language, Status, Vocabulary};

fn sub(id: &str, title: String, blocks: Vec<Block>) -> Section {
    section(id, title, 2, blocks, vec![])
}

fn top(id: &str, title: String, blocks: Vec<Block>, children: Vec<Section>) -> Section {
    section(id, title, 1, blocks, children)
}

/// A finding as the reader sees it, with its levers and whether the plan answers it.
fn finding_view(b: &Builder<'_>, f: &Finding) -> FindingView {
    let answering: Vec<&str> =
        b.a.actions
            .iter()
            .filter(|a| a.answers.contains(&f.rule) && a.status != Status::Dropped)
            .map(|a| a.id.as_str())
            .collect();
    let lang = b.e.info.language;
    FindingView {
        id: f.id.clone(),
        rule: f.rule,
        severity: f.severity,
        severity_label: b.t(&format!("severity.{}", f.severity.name())),
        title: f.title.clone(),
        explanation: f.explanation.clone(),
        levers: f
            .levers
            .iter()
            .filter_map(|id| levers::catalogue().get(id).map(|l| (id, l)))
            .map(|(id, l)| {
                let text = match lang {
                    Language::Fr => &l.fr,
                    Language::En => &l.en,
                };
                LeverView {
                    id: id.clone(),
                    label: text.label.clone(),
                    description: text.description.clone(),
                }
            })
            .collect(),
        covered: !answering.is_empty(),
        coverage: if answering.is_empty() {
            b.t("report.plan.not_covered")
        } else {
            b.tf(
                "report.plan.covered_by",
                &[("actions", &answering.join(", "))],
            )
        },
    }
}

/// The `n` first findings (they are ranked), for the synthesis.
pub(crate) fn top_findings(b: &Builder<'_>, n: usize) -> Vec<FindingView> {
    b.a.findings
        .iter()
        .take(n)
        .map(|f| finding_view(b, f))
        .collect()
}

/// 4. Points d'amélioration.
pub(crate) fn improvement_points(b: &Builder<'_>) -> Section {
    let mut blocks = Vec::new();
    if b.a.findings.is_empty() {
        blocks.push(b.unavailable("findings"));
    } else {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.improvement.intro",
                &[("count", &b.count(b.a.findings.len()))],
            ),
        });
        blocks.push(Block::Findings {
            items: b.a.findings.iter().map(|f| finding_view(b, f)).collect(),
            full: true,
        });
    }
    top(
        "improvement",
        b.t("report.sections.improvement"),
        blocks,
        vec![],
    )
}

fn objective_label(b: &Builder<'_>, key: &ObjectiveKey) -> String {
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
fn objectives_table(
    b: &Builder<'_>,
    id: &str,
    caption: String,
    general_only: bool,
) -> Option<Block> {
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
            Row {
                cells: vec![
                    cell(objective_label(b, &o.key)),
                    cell(b.figure(Some(o.target), o.unit)),
                    cell(b.figure(o.actual, o.unit)),
                    cell(b.pct(o.achievement)),
                    cell(b.figure(o.projection, o.unit)),
                    toned(projected.map_or_else(|| b.na(), |r| b.pct(Some(r))), tone),
                ],
                emphasis: false,
            }
        })
        .collect();
    Some(Block::Table(Table {
        id: id.to_string(),
        caption,
        columns: vec![
            col(b.t("report.col.objective_name"), Align::Left),
            col(b.t("report.col.objective"), Align::Right),
            col(b.t("report.col.actual"), Align::Right),
            col(b.t("report.col.achievement"), Align::Right),
            col(b.t("report.col.projection"), Align::Right),
            col(b.t("report.col.projected_achievement"), Align::Right),
        ],
        rows,
        note: Some(b.t("report.measurement.objectives_note")),
    }))
}

fn budget_table(b: &Builder<'_>) -> Option<Block> {
    let o = b.e.objectives.as_ref()?;
    if o.budget.is_empty() {
        return None;
    }
    let total: Decimal = o.budget.values().copied().sum();
    let mut rows: Vec<Row> = o
        .budget
        .iter()
        .map(|(k, v)| Row {
            cells: vec![
                cell(if b.labels.has(&format!("report.budget.{k}")) {
                    b.t(&format!("report.budget.{k}"))
                } else {
                    k.replace('_', " ")
                }),
                cell(b.fmt.money(*v, &b.e.info.currency)),
                cell(b.pct(crate::analysis::figures::ratio(*v, total))),
            ],
            emphasis: false,
        })
        .collect();
    rows.push(Row {
        cells: vec![
            cell(b.cap(&b.t("category.total"))),
            cell(b.fmt.money(total, &b.e.info.currency)),
            cell(b.fmt.percent(Decimal::ONE, 0)),
        ],
        emphasis: true,
    });
    Some(Block::Table(Table {
        id: "budgets".into(),
        caption: b.t("report.plan.budget_table"),
        columns: vec![
            col(b.t("report.col.budget_line"), Align::Left),
            col(b.t("report.col.amount"), Align::Right),
            col(b.t("report.col.share"), Align::Right),
        ],
        rows,
        note: None,
    }))
}

fn allocation_table(b: &Builder<'_>) -> Option<Block> {
    let o = b.e.objectives.as_ref()?;
    if o.reps.is_empty() {
        return None;
    }
    let money =
        |d: Option<Decimal>| d.map_or_else(|| b.na(), |d| b.fmt.money(d, &b.e.info.currency));
    let number = |d: Option<Decimal>| d.map_or_else(|| b.na(), |d| b.fmt.number(d, 0));
    let rows = o
        .reps
        .iter()
        .map(|r| Row {
            cells: vec![
                cell(b.rep_name(&r.id)),
                cell(r.zone.clone().unwrap_or_default()),
                cell(money(r.revenue)),
                cell(money(r.conquest)),
                cell(number(r.new_clients)),
                cell(
                    match o
                        .time_key_for(&r.id)
                        .get(&crate::vocab::ActivityKind::Visit)
                    {
                        Some(v) => b.fmt.percent(*v, 0),
                        None => b.na(),
                    },
                ),
            ],
            emphasis: false,
        })
        .collect();
    Some(Block::Table(Table {
        id: "allocation".into(),
        caption: b.t("report.plan.allocation_table"),
        columns: vec![
            col(b.t("report.col.salesperson"), Align::Left),
            col(b.t("report.col.zone"), Align::Left),
            col(b.t("report.col.revenue_objective"), Align::Right),
            col(b.t("report.col.conquest_objective"), Align::Right),
            col(b.t("report.col.new_clients_objective"), Align::Right),
            col(b.t("report.col.visit_key"), Align::Right),
        ],
        rows,
        note: None,
    }))
}

fn qualitative_table(b: &Builder<'_>) -> Option<Block> {
    if b.a.qualitative.is_empty() {
        return None;
    }
    Some(Block::Table(Table {
        id: "qualitative".into(),
        caption: b.t("report.plan.qualitative_table"),
        columns: vec![
            col(b.t("report.col.objective_name"), Align::Left),
            col(b.t("report.col.owner"), Align::Left),
            col(b.t("report.col.status"), Align::Left),
        ],
        rows: b
            .a
            .qualitative
            .iter()
            .map(|q| Row {
                cells: vec![
                    cell(q.objective.clone()),
                    cell(
                        q.owner
                            .as_deref()
                            .map_or_else(String::new, |o| b.rep_name(o)),
                    ),
                    toned(
                        q.status_label.clone(),
                        match q.status {
                            Status::Done => Tone::Good,
                            Status::Dropped => Tone::Neutral,
                            _ => Tone::Neutral,
                        },
                    ),
                ],
                emphasis: false,
            })
            .collect(),
        note: None,
    }))
}

fn note_blocks(b: &Builder<'_>, section: NoteSection) -> Vec<Block> {
    b.e.notes
        .iter()
        .filter(|n| n.section == section && n.rep.is_none())
        .map(|n| Block::Note {
            title: n.title.clone(),
            markdown: n.markdown.clone(),
        })
        .collect()
}

/// 5. Plan d'action commerciale.
pub(crate) fn action_plan(b: &Builder<'_>) -> Section {
    let mut children = Vec::new();

    // The general part: the chapters of the method, with figures where the data has them.
    for chapter in NoteSection::PLAN_CHAPTERS {
        let mut blocks = note_blocks(b, chapter);
        let figures = match chapter {
            NoteSection::Objectives => objectives_table(
                b,
                "plan-objectives",
                b.t("report.plan.objectives_table"),
                true,
            ),
            NoteSection::Budgets => budget_table(b),
            NoteSection::Allocation => allocation_table(b),
            _ => None,
        };
        if chapter == NoteSection::Allocation
            && let Some(q) = qualitative_table(b)
        {
            blocks.push(q);
        }
        if let Some(f) = figures {
            blocks.insert(blocks.len().min(1), f);
        }
        if !blocks.is_empty() {
            children.push(sub(
                &format!("plan-{}", chapter.name().replace('_', "-")),
                b.t(&format!("report.notes.{}", chapter.name())),
                blocks,
            ));
        }
    }

    // The actions, their timeline, and what they leave uncovered.
    children.push(sub(
        "plan-actions",
        b.t("report.plan.actions"),
        actions_of(b, None),
    ));

    // The salesperson part: general notes on the salesperson chapters.
    let mut rep_blocks: Vec<Block> = NoteSection::REP_CHAPTERS
        .iter()
        .flat_map(|s| {
            note_blocks(b, *s).into_iter().map(move |n| match n {
                Block::Note { title, markdown } => Block::Note {
                    title: title.or_else(|| Some(b.t(&format!("report.notes.{}", s.name())))),
                    markdown,
                },
                other => other,
            })
        })
        .collect();
    let reps = super::scorecard::reps_in(b.e, b.m);
    if !reps.is_empty() {
        rep_blocks.push(Block::Paragraph {
            text: b.tf(
                "report.plan.scorecards",
                &[(
                    "reps",
                    &reps
                        .iter()
                        .map(|r| b.rep_name(r))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            ),
        });
    }
    if !rep_blocks.is_empty() {
        children.push(sub(
            "plan-salespeople",
            b.t("report.plan.salespeople"),
            rep_blocks,
        ));
    }

    top(
        "plan",
        b.t("report.sections.plan"),
        vec![Block::Paragraph {
            text: b.t("report.plan.intro"),
        }],
        children,
    )
}

/// The actions table and timeline, for the whole plan or one salesperson.
pub(crate) fn actions_of(b: &Builder<'_>, owner: Option<&str>) -> Vec<Block> {
    let actions: Vec<&ActionReview> =
        b.a.actions
            .iter()
            .filter(|a| owner.is_none_or(|o| a.owner.as_deref() == Some(o)))
            .collect();
    if actions.is_empty() {
        return vec![b.unavailable("actions")];
    }
    let suffix = owner.map_or(String::new(), |o| format!("-{}", super::model_id(o)));
    let rows = actions
        .iter()
        .map(|a| Row {
            cells: vec![
                cell(a.id.clone()),
                cell(a.title.clone()),
                cell(a.lever_label.clone().unwrap_or_default()),
                cell(
                    a.owner
                        .as_deref()
                        .map_or_else(String::new, |o| b.rep_name(o)),
                ),
                cell(match a.due {
                    Some(d) => b.date(d),
                    None => b.na(),
                }),
                toned(a.status_label.clone(), action_tone(a)),
                cell(
                    a.answers
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
            emphasis: false,
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
        id: format!("actions{suffix}"),
        caption: b.t("report.plan.actions_table"),
        columns: vec![
            col(b.t("report.col.id"), Align::Left),
            col(b.t("report.col.action"), Align::Left),
            col(b.t("report.col.lever"), Align::Left),
            col(b.t("report.col.owner"), Align::Left),
            col(b.t("report.col.due"), Align::Right),
            col(b.t("report.col.status"), Align::Left),
            col(b.t("report.col.answers"), Align::Left),
        ],
        rows,
        note: None,
    })];
    if let Some(chart) = timeline(b, &actions, &suffix) {
        blocks.push(chart);
        blocks.push(Block::Paragraph {
            text: b.t("report.plan.timeline_legend"),
        });
    }
    if owner.is_none() && !b.a.plan_review.uncovered_findings.is_empty() {
        let titles: Vec<String> =
            b.a.plan_review
                .uncovered_findings
                .iter()
                .filter_map(|id| b.a.findings.iter().find(|f| &f.id == id))
                .map(|f| format!("{} ({})", f.title, f.id))
                .collect();
        blocks.push(Block::Callout {
            tone: Tone::Warning,
            title: b.t("report.plan.uncovered_title"),
            text: b.tf(
                "report.plan.uncovered_text",
                &[("findings", &titles.join(" ; "))],
            ),
        });
    }
    blocks
}

fn action_tone(a: &ActionReview) -> Tone {
    if a.status == Status::Done {
        Tone::Good
    } else if a.needs_adjustment {
        Tone::Bad
    } else {
        Tone::Neutral
    }
}

fn timeline(b: &Builder<'_>, actions: &[&ActionReview], suffix: &str) -> Option<Block> {
    let dated: Vec<(&&ActionReview, NaiveDate, NaiveDate)> = actions
        .iter()
        .filter(|a| a.status != Status::Dropped)
        .filter_map(|a| match (a.start, a.due) {
            (Some(s), Some(d)) => Some((a, s, d)),
            (None, Some(d)) => Some((a, b.m.fiscal_year.start.min(d), d)),
            _ => None,
        })
        .collect();
    if dated.is_empty() {
        return None;
    }
    let start = dated.iter().map(|d| d.1).min()?.min(b.m.fiscal_year.start);
    let end = dated.iter().map(|d| d.2).max()?.max(b.m.fiscal_year.end);
    let items = dated
        .iter()
        .map(|(a, s, d)| TimelineItem {
            label: format!("{} · {}", a.id, a.title),
            start: *s,
            end: *d,
            tone: match a.status {
                Status::Done => Tone::Good,
                _ if a.needs_adjustment => Tone::Bad,
                Status::InProgress => Tone::Neutral,
                _ => Tone::Warning,
            },
        })
        .collect();
    let late = actions.iter().filter(|a| a.overdue).count();
    Some(b.chart(
        &format!("timeline{suffix}"),
        b.t("report.plan.timeline_chart"),
        b.tf(
            "report.plan.timeline_alt",
            &[
                ("count", &b.count(dated.len())),
                ("late", &b.count(late)),
                ("date", &b.date(b.m.as_of)),
            ],
        ),
        ChartSpec::Timeline {
            start,
            end,
            as_of: b.m.as_of,
            as_of_label: b.tf(
                "report.plan.as_of_marker",
                &[("date", &b.fmt.month(b.m.as_of))],
            ),
            items,
        },
    ))
}

/// A reader's name for a KPI path, where levier knows one; the path otherwise.
fn kpi_label(b: &Builder<'_>, path: &str) -> String {
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
    label.unwrap_or_else(|| path.to_string())
}

/// How an action's KPI value is written, from its path.
fn kpi_value(b: &Builder<'_>, kpi: &str, kind: Option<KpiKind>, value: f64) -> String {
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
                        cell(fmt_value(a.expected_to_date.map(|q| f64_of(q.0)))),
                        cell(fmt_value(a.current)),
                        match a.on_track {
                            Some(true) => toned(b.t("report.measurement.on_track"), Tone::Good),
                            Some(false) => toned(b.t("report.measurement.off_track"), Tone::Bad),
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
    let blocks = if adjustments.is_empty() {
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
                                ("kpi", kpi),
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
                    ("elapsed", &b.fmt.percent(b.m.elapsed_share.0, 0)),
                ],
            ),
        }],
        children,
    )
}

/// 7. Croissance externe.
pub(crate) fn external_growth(b: &Builder<'_>) -> Section {
    let a = &b.a.acquisitions;
    let mut blocks = Vec::new();
    if a.targets.is_empty() {
        blocks.push(b.unavailable("acquisitions"));
    } else {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.external.intro",
                &[("count", &b.count(a.targets.len()))],
            ),
        });
        let score = |s: Option<u8>| s.map_or_else(|| b.na(), |s| format!("{s}/5"));
        let rows = a
            .targets
            .iter()
            .map(|t| Row {
                cells: vec![
                    cell(t.name.clone()),
                    cell(t.integration_label.clone()),
                    cell(t.zone.clone().unwrap_or_default()),
                    cell(b.money_opt(t.revenue)),
                    cell(score(t.fit)),
                    cell(score(t.synergy)),
                    cell(score(t.risk)),
                    toned(
                        t.score.map_or_else(|| b.na(), |s| b.fmt.number(s.0, 0)),
                        match t.score {
                            Some(s) if s.0 >= Decimal::from(70) => Tone::Good,
                            Some(s) if s.0 < Decimal::from(40) => Tone::Bad,
                            _ => Tone::Neutral,
                        },
                    ),
                ],
                emphasis: false,
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "acquisitions".into(),
            caption: b.t("report.external.table"),
            columns: vec![
                col(b.t("report.col.target_company"), Align::Left),
                col(b.t("report.col.integration"), Align::Left),
                col(b.t("report.col.zone"), Align::Left),
                col(b.t("report.col.revenue"), Align::Right),
                col(b.t("report.col.fit"), Align::Right),
                col(b.t("report.col.synergy"), Align::Right),
                col(b.t("report.col.risk"), Align::Right),
                col(b.t("report.col.score"), Align::Right),
            ],
            rows,
            note: Some(b.t("report.external.score_note")),
        }));
        for t in a.targets.iter().filter(|t| t.notes.is_some()) {
            blocks.push(Block::Callout {
                tone: Tone::Neutral,
                title: format!("{} · {}", t.name, t.integration_label),
                text: t.notes.clone().unwrap_or_default(),
            });
        }
    }
    top(
        "external-growth",
        b.t("report.sections.external"),
        blocks,
        vec![],
    )
}
