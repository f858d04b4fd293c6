//! Section 5, Plan d'action commerciale: the general chapters from the notes with the objectives,
//! budgets and allocation per salesperson, the actions and their timeline (assessment:
//! [`crate::assess::followup`]), and what the plan leaves uncovered.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::measurement::objectives_table;
use crate::analysis::figures::Money;
use crate::assess::ActionReview;
use crate::engagement::NoteSection;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::{Status, Vocabulary};

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
            cell(b.fmt.percent(Decimal::ONE, 1)),
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
                        Some(v) => b.fmt.percent(*v, 1),
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
                    status(
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
            markdown: b.note_markdown(n),
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
    let reps = b.reps();
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
    let suffix = owner.map_or(String::new(), |o| {
        format!("-{}", crate::present::model_id(o))
    });
    // Budget is a column only when the plan gives one; the owner only in the whole plan
    // (a salesperson's own scorecard would repeat their name on every row).
    let with_budget = actions.iter().any(|a| a.budget.is_some());
    let with_owner = owner.is_none();
    let with_kpi = actions.iter().any(|a| a.kpi.is_some());
    let at_stake: Vec<Option<Money>> = actions.iter().map(|a| answered_at_stake(b, a)).collect();
    let with_at_stake = at_stake.iter().any(Option::is_some);
    let rows = actions
        .iter()
        .zip(&at_stake)
        .map(|(a, stake)| {
            // What the action answers goes under its title: a column of its own would
            // take the width the title needs.
            let mut title = cell(a.title.clone());
            if !a.answers.is_empty() {
                let ids: Vec<String> = a.answers.iter().map(ToString::to_string).collect();
                title.detail = Some(b.tf("report.plan.answers", &[("findings", &ids.join(", "))]));
            }
            let mut cells = vec![cell(a.id.clone()), title];
            // Initials: the allocation table just above names each salesperson with them.
            if with_owner {
                cells.push(cell(a.owner.clone().unwrap_or_default()));
            }
            cells.push(cell(period(b, a)));
            if with_kpi {
                cells.push(cell(match (a.kpi.as_deref(), a.target) {
                    (Some(k), Some(t)) => b.tf(
                        "report.plan.kpi_target",
                        &[
                            ("kpi", &super::measurement::kpi_label(b, k)),
                            (
                                "target",
                                &super::measurement::kpi_value(
                                    b,
                                    k,
                                    a.kpi_kind,
                                    crate::present::builder::f64_of(t.0),
                                ),
                            ),
                        ],
                    ),
                    (Some(k), None) => super::measurement::kpi_label(b, k),
                    _ => String::new(),
                }));
            }
            if with_budget {
                cells.push(cell(a.budget.map_or_else(String::new, |v| {
                    b.fmt.money(v.0, &b.e.info.currency)
                })));
            }
            if with_at_stake {
                cells.push(cell(stake.map_or_else(String::new, |m| b.money(m))));
            }
            cells.push(status_cell(b, a));
            Row {
                cells,
                emphasis: false,
            }
        })
        .collect();
    let mut columns = vec![
        col(b.t("report.col.id"), Align::Left),
        col(b.t("report.col.action"), Align::Left),
    ];
    if with_owner {
        columns.push(col(b.t("report.col.pilot"), Align::Left));
    }
    // Left, so that a period over two years may wrap after its dash.
    columns.push(col(b.t("report.col.period"), Align::Left));
    if with_kpi {
        columns.push(col(b.t("report.col.kpi_target"), Align::Left));
    }
    if with_budget {
        columns.push(col(b.t("report.col.budget"), Align::Right));
    }
    if with_at_stake {
        columns.push(col(b.t("report.col.at_stake"), Align::Right));
    }
    columns.push(col(b.t("report.col.status"), Align::Left));
    let mut blocks = vec![Block::Table(Table {
        id: format!("actions{suffix}"),
        caption: b.t("report.plan.actions_table"),
        columns,
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

/// The money at stake of the findings an action answers: the impact expected of it,
/// in the same figures as the findings' cards. `None` when none is priced.
fn answered_at_stake(b: &Builder<'_>, a: &ActionReview) -> Option<Money> {
    let priced: Vec<Money> =
        b.a.findings
            .iter()
            .filter(|f| a.answers.iter().any(|x| x.covers(f)))
            .filter_map(|f| f.at_stake)
            .collect();
    (!priced.is_empty()).then(|| Money(priced.iter().map(|m| m.0).sum()))
}

/// How an action stands, in words: a late action says so ("en retard"), an action
/// behind its KPI's path says so, rather than "en cours" in red.
pub(crate) fn status_cell(b: &Builder<'_>, a: &ActionReview) -> Cell {
    match a.status {
        Status::Done => status(a.status_label.clone(), Tone::Good),
        Status::Dropped => status(a.status_label.clone(), Tone::Neutral),
        _ if a.overdue => status(b.t("report.plan.status_late"), Tone::Bad),
        _ if a.on_track == Some(false) => status(b.t("report.plan.status_off_track"), Tone::Bad),
        _ => status(a.status_label.clone(), Tone::Neutral),
    }
}

/// An action's months: "févr.–déc. 2025", the year once when both ends share it. Its
/// spaces do not break, so that a period wraps only after its dash ("sept. 2025–" /
/// "mars 2026") in a narrow column.
fn period(b: &Builder<'_>, a: &ActionReview) -> String {
    period_text(b, a).replace(' ', "\u{a0}")
}

fn period_text(b: &Builder<'_>, a: &ActionReview) -> String {
    use chrono::Datelike;
    match (a.start, a.due) {
        (Some(s), Some(d)) if s.year() == d.year() && s.month() == d.month() => b.fmt.month(d),
        (Some(s), Some(d)) => {
            let start = b.fmt.month(s);
            let start = if s.year() == d.year() {
                let short = start.replace(&s.year().to_string(), "");
                let short = short.trim().trim_end_matches(',').trim().to_string();
                if short.is_empty() { start } else { short }
            } else {
                start
            };
            format!("{start}–{}", b.fmt.month(d))
        }
        (None, Some(d)) => b.tf("report.plan.due_by", &[("date", &b.fmt.month(d))]),
        (Some(s), None) => b.tf("report.plan.from", &[("date", &b.fmt.month(s))]),
        (None, None) => b.na(),
    }
}

fn timeline(b: &Builder<'_>, actions: &[&ActionReview], suffix: &str) -> Option<Block> {
    let dated: Vec<(&&ActionReview, NaiveDate, NaiveDate)> = actions
        .iter()
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
            dropped: a.status == Status::Dropped,
            tone: match a.status {
                Status::Done => Tone::Good,
                _ if a.needs_adjustment => Tone::Bad,
                Status::InProgress => Tone::Neutral,
                _ => Tone::Warning,
            },
        })
        .collect();
    let late = actions.iter().filter(|a| a.overdue).count();
    let done = actions.iter().filter(|a| a.status == Status::Done).count();
    let adjust = actions.iter().filter(|a| a.needs_adjustment).count();
    // The takeaway: how many actions need adjusting at the cut-off (the red bars), how
    // many of them are late, and how many are done.
    let values = [
        ("adjust", b.count(adjust)),
        ("late", b.count(late)),
        ("count", b.count(actions.len())),
        ("done", b.count(done)),
        ("date", b.date(b.m.as_of)),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let key = match (adjust, late) {
        (0, _) => "report.plan.timeline_takeaway",
        (_, 0) => "report.plan.timeline_takeaway_off_track",
        _ => "report.plan.timeline_takeaway_late",
    };
    let title = b.tf(key, &values);
    Some(b.chart(
        &format!("timeline{suffix}"),
        title,
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
