//! "Évolution depuis la mesure du …": what changed since the last recorded measurement, at
//! the start of performance measurement (and of each scorecard's follow-up).
//!
//! The method is a cycle, and the first question of every follow-up meeting is "what
//! changed since last time?". The comparison itself is the assessment's
//! ([`crate::history::compare`], metrics.json `since_last`); this section says it in the
//! report's words: the headline figures before → now, the improvement points that
//! appeared, were resolved or persist, the actions that progressed, slipped or were
//! re-planned, and, from the third measurement on, the trend of revenue across them.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Number;

use crate::glossary::{self, Unit};
use crate::history::{FigureChange, Record, SinceLast};
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::{Status, Vocabulary};

/// The engagement's headline figures, in reading order.
const HEADLINE: &[&str] = &[
    "revenue.total",
    "revenue.conquest",
    "revenue.retention",
    "revenue.reconquest",
    "clients.active",
    "clients.new",
    "clients.lost",
    "leads.total.count",
    "leads.total.conversion_rate",
    "leads.total.win_rate",
];

/// Figures for which less is better.
const LOWER_IS_BETTER: &[&str] = &["clients.lost", "revenue.lost"];

/// Whose figures a comparison shows: the engagement's, or one salesperson's.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'a> {
    Engagement,
    Rep(&'a str),
}

impl Scope<'_> {
    fn paths(self, b: &Builder<'_>) -> Vec<String> {
        let mut paths: Vec<String> = match self {
            Scope::Engagement => HEADLINE.iter().map(|p| p.to_string()).collect(),
            Scope::Rep(rep) => [
                "revenue.split_by_rep.{}.total",
                "revenue.split_by_rep.{}.conquest",
                "revenue.split_by_rep.{}.retention",
                "revenue.split_by_rep.{}.reconquest",
                "revenue.split_by_rep.{}.clients.active",
                "revenue.split_by_rep.{}.clients.new",
                "leads.by_rep.{}.count",
                "leads.by_rep.{}.conversion_rate",
                "time.by_rep.{}.by_activity.visit.share",
                "time.by_rep.{}.by_activity.admin.share",
            ]
            .iter()
            .map(|p| p.replace("{}", rep))
            .collect(),
        };
        for o in &b.m.objectives {
            let mine = match self {
                Scope::Engagement => o.key.rep().is_none(),
                Scope::Rep(rep) => o.key.rep() == Some(rep),
            };
            // A rate objective has no projection, and its level is a headline figure
            // already in the table.
            if mine && o.unit != crate::analysis::objectives::Unit::Rate {
                // The year-end figure the report shows: seasonal where it is used.
                let figure = if o.seasonal_landing {
                    "projection_seasonal"
                } else {
                    "projection"
                };
                paths.push(format!("objectives.{}.{figure}", o.key));
            }
        }
        paths
    }
}

/// The last measurement this one is compared with, and the comparison.
fn comparison<'a>(b: &'a Builder<'_>) -> Option<(&'a Record, &'a SinceLast)> {
    let since = b.a.since_last.as_ref()?;
    let last =
        b.e.history
            .records
            .iter()
            .find(|r| r.as_of == since.as_of)?;
    Some((last, since))
}

/// The section's title: "Évolution depuis la mesure du 30 juin 2025".
fn title(b: &Builder<'_>, since: &SinceLast) -> String {
    b.tf("report.evolution.title", &[("date", &b.date(since.as_of))])
}

/// The sub-section of performance measurement (or of a scorecard), when a measurement
/// was recorded before this one.
pub(crate) fn section(b: &Builder<'_>, scope: Scope<'_>) -> Option<Section> {
    let (last, since) = comparison(b)?;
    let mut blocks = vec![Block::Paragraph {
        text: intro(b, since),
    }];
    if let Some(table) = figures_table(b, since, scope) {
        blocks.push(table);
    }
    blocks.extend(findings_blocks(b, last, since, scope));
    blocks.extend(actions_table(b, since, scope));
    if matches!(scope, Scope::Engagement) {
        blocks.extend(trend_chart(b, since));
    }
    let id = match scope {
        Scope::Engagement => "measurement-evolution".to_string(),
        Scope::Rep(_) => "evolution".to_string(),
    };
    Some(sub(&id, title(b, since), blocks))
}

/// One sentence for the synthesis: the change a director asks about first.
pub(crate) fn headline(b: &Builder<'_>) -> Option<Block> {
    let (_, since) = comparison(b)?;
    let total = since.figures.get("revenue.total")?;
    let (before, now) = (
        decimal(total.before.as_ref())?,
        decimal(total.now.as_ref())?,
    );
    let key = if since.year_over_year {
        "report.evolution.headline_yoy"
    } else {
        "report.evolution.headline"
    };
    let mut text = b.tf(
        key,
        &[
            ("date", &b.date(since.as_of)),
            ("before", &b.money(crate::analysis::figures::Money(before))),
            ("now", &b.money(crate::analysis::figures::Money(now))),
        ],
    );
    let (new, resolved) = (since.findings.new.len(), since.findings.resolved.len());
    if new + resolved > 0 {
        text.push(' ');
        text.push_str(&findings_sentence(b, new, resolved));
    }
    Some(Block::Paragraph { text })
}

fn findings_sentence(b: &Builder<'_>, new: usize, resolved: usize) -> String {
    let part = |n: usize, one: &str, many: &str| {
        b.tf(if n == 1 { one } else { many }, &[("count", &b.count(n))])
    };
    let new_text = part(
        new,
        "report.evolution.new_findings_one",
        "report.evolution.new_findings_many",
    );
    let resolved_text = part(
        resolved,
        "report.evolution.resolved_findings_one",
        "report.evolution.resolved_findings_many",
    );
    b.tf(
        "report.evolution.findings_sentence",
        &[("new", &new_text), ("resolved", &resolved_text)],
    )
}

fn intro(b: &Builder<'_>, since: &SinceLast) -> String {
    let dates = [("before", b.date(since.as_of)), ("now", b.date(b.m.as_of))];
    let pairs: Vec<(&str, &str)> = dates.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if since.year_over_year {
        b.tf("report.evolution.intro_yoy", &pairs)
    } else {
        b.tf("report.evolution.intro", &pairs)
    }
}

fn decimal(n: Option<&Number>) -> Option<Decimal> {
    n.and_then(|n| Decimal::from_str(&n.to_string()).ok())
        .or_else(|| {
            n.and_then(Number::as_f64)
                .and_then(|f| Decimal::try_from(f).ok())
        })
}

/// A figure of `unit` as the report writes it.
fn value(b: &Builder<'_>, unit: Unit, v: Decimal) -> String {
    let currency = &b.e.info.currency;
    match unit {
        Unit::Money => b.fmt.money(v, currency),
        Unit::MoneyCents => b.fmt.money_cents(v, currency),
        Unit::Share => b.fmt.percent(v, 1),
        Unit::Growth => b.fmt.growth(v),
        Unit::Points => b.fmt.points(v),
        Unit::Hours | Unit::Days => b.fmt.number(v, 1),
        _ => b.fmt.number(v, 0),
    }
}

/// A change of a figure of `unit`, signed: shares change by points.
fn change(b: &Builder<'_>, unit: Unit, d: Decimal) -> String {
    let signed = |text: String| {
        if d > Decimal::ZERO {
            format!("+{text}")
        } else {
            text
        }
    };
    match unit {
        Unit::Share | Unit::Growth => b.fmt.points(d * Decimal::ONE_HUNDRED),
        Unit::Points => b.fmt.points(d),
        _ => signed(value(b, unit, d)),
    }
}

fn unit_of(path: &str) -> Unit {
    glossary::unit_of(path).unwrap_or(Unit::Count)
}

fn figures_table(b: &Builder<'_>, since: &SinceLast, scope: Scope<'_>) -> Option<Block> {
    let rows: Vec<Row> = scope
        .paths(b)
        .iter()
        .filter_map(|path| {
            let FigureChange { before, now, .. } = since.figures.get(path.as_str())?;
            let unit = unit_of(path);
            let (before, now) = (decimal(before.as_ref()), decimal(now.as_ref()));
            if before.is_none() && now.is_none() {
                return None;
            }
            let label = super::super::figures::label(b, path).map(|l| b.cap(&l))?;
            let delta = before.zip(now).map(|(x, y)| y - x);
            let tone = match delta {
                Some(d) if d.is_zero() => Tone::Neutral,
                Some(d) => {
                    let better = (d > Decimal::ZERO) != LOWER_IS_BETTER.contains(&path.as_str());
                    if better { Tone::Good } else { Tone::Bad }
                }
                None => Tone::Neutral,
            };
            let shown = |v: Option<Decimal>| v.map_or_else(|| b.na(), |v| value(b, unit, v));
            Some(row(vec![
                cell(label),
                cell(shown(before)),
                cell(shown(now)),
                toned(delta.map_or_else(|| b.na(), |d| change(b, unit, d)), tone),
            ]))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Block::Table(Table {
        id: "evolution-figures".into(),
        caption: b.t("report.evolution.figures_table"),
        columns: vec![
            col(b.t("report.col.kpi"), Align::Left),
            col(b.date(since.as_of), Align::Right),
            col(b.date(b.m.as_of), Align::Right),
            col(b.t("report.evolution.change"), Align::Right),
        ],
        rows,
        note: since
            .year_over_year
            .then(|| b.t("report.evolution.yoy_note")),
    }))
}

fn findings_blocks(
    b: &Builder<'_>,
    last: &Record,
    since: &SinceLast,
    scope: Scope<'_>,
) -> Vec<Block> {
    // A salesperson's findings are those about them (`R8-SL`, `R10-SL`).
    let about_rep = |id: &str| match scope {
        Scope::Rep(rep) => id.split('-').nth(1).is_some_and(|r| r == rep),
        Scope::Engagement => true,
    };
    let current_title = |id: &str| {
        b.a.findings
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.title.clone())
    };
    let recorded_title = |id: &str| {
        last.findings
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.title.clone())
    };
    let mut rows = Vec::new();
    let mut add =
        |ids: &[String], status: &str, tone: Tone, title: &dyn Fn(&str) -> Option<String>| {
            for id in ids.iter().filter(|id| about_rep(id)) {
                rows.push(row(vec![
                    cell(id.clone()),
                    cell(title(id).unwrap_or_default()),
                    toned(b.t(&format!("report.evolution.finding_{status}")), tone),
                ]));
            }
        };
    add(&since.findings.new, "new", Tone::Bad, &current_title);
    add(
        &since.findings.resolved,
        "resolved",
        Tone::Good,
        &recorded_title,
    );
    add(
        &since.findings.persisting,
        "persisting",
        Tone::Warning,
        &current_title,
    );
    if rows.is_empty() {
        return Vec::new();
    }
    vec![Block::Table(Table {
        id: "evolution-findings".into(),
        caption: b.t("report.evolution.findings_table"),
        columns: vec![
            col(b.t("report.col.id"), Align::Left),
            col(b.t("report.col.finding"), Align::Left),
            col(b.t("report.evolution.situation"), Align::Left),
        ],
        rows,
        note: None,
    })]
}

/// Where an action's status stands in the plan's course.
fn rank(status: &str) -> u8 {
    match Status::parse(status) {
        Some(Status::Planned) => 0,
        Some(Status::InProgress) => 1,
        Some(Status::Done) => 2,
        Some(Status::Dropped) | None => 0,
    }
}

fn actions_table(b: &Builder<'_>, since: &SinceLast, scope: Scope<'_>) -> Option<Block> {
    let rows: Vec<Row> = since
        .actions
        .iter()
        .filter_map(|c| {
            let action = b.a.actions.iter().find(|a| a.id == c.id)?;
            if let Scope::Rep(rep) = scope
                && action.owner.as_deref() != Some(rep)
            {
                return None;
            }
            let status_label = |s: &str| {
                Status::parse(s)
                    .map_or_else(|| s.to_string(), |s| b.t(&format!("status.{}", s.name())))
            };
            let status = match &c.status_before {
                Some(before) if *before != c.status_now => {
                    format!("{} → {}", status_label(before), status_label(&c.status_now))
                }
                _ => status_label(&c.status_now),
            };
            let kpi = action.kpi.as_deref().unwrap_or_default();
            let shown = |n: Option<&Number>| {
                n.and_then(Number::as_f64).map_or_else(
                    || b.na(),
                    |v| super::measurement::kpi_value(b, kpi, action.kpi_kind, v),
                )
            };
            let indicator = if action.kpi.is_some() {
                format!(
                    "{} → {}",
                    shown(c.current_before.as_ref()),
                    shown(c.current_now.as_ref())
                )
            } else {
                b.na()
            };
            let dropped = Status::parse(&c.status_now) == Some(Status::Dropped);
            let (word, tone) = if c.status_before.is_none() {
                ("added", Tone::Neutral)
            } else if dropped && c.status_before.as_deref() != Some(c.status_now.as_str()) {
                ("dropped", Tone::Neutral)
            } else if dropped {
                ("unchanged", Tone::Neutral)
            } else if action.overdue {
                ("slipped", Tone::Bad)
            } else if action.on_track == Some(false) {
                ("behind", Tone::Bad)
            } else if c.replanned {
                ("replanned", Tone::Warning)
            } else if rank(&c.status_now) > c.status_before.as_deref().map_or(0, rank)
                || progressed(c.current_before.as_ref(), c.current_now.as_ref(), action)
            {
                ("progressed", Tone::Good)
            } else {
                ("unchanged", Tone::Neutral)
            };
            Some(row(vec![
                cell(action.id.clone()),
                cell(action.title.clone()),
                cell(status),
                cell(indicator),
                toned(b.t(&format!("report.evolution.action_{word}")), tone),
            ]))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Block::Table(Table {
        id: "evolution-actions".into(),
        caption: b.t("report.evolution.actions_table"),
        columns: vec![
            col(b.t("report.col.id"), Align::Left),
            col(b.t("report.col.action"), Align::Left),
            col(b.t("report.col.status"), Align::Left),
            col(b.t("report.col.kpi"), Align::Right),
            col(b.t("report.evolution.change"), Align::Left),
        ],
        rows,
        note: Some(b.t("report.evolution.actions_note")),
    }))
}

/// Whether an action's indicator moved the way its goal wants.
fn progressed(
    before: Option<&Number>,
    now: Option<&Number>,
    a: &crate::assess::ActionReview,
) -> bool {
    let (Some(x), Some(y)) = (
        before.and_then(Number::as_f64),
        now.and_then(Number::as_f64),
    ) else {
        return false;
    };
    match a.goal {
        crate::engagement::plan::Goal::AtLeast => y > x,
        crate::engagement::plan::Goal::AtMost => y < x,
    }
}

/// Revenue across the measurements of this fiscal year, when there are at least two
/// before this one.
fn trend_chart(b: &Builder<'_>, since: &SinceLast) -> Option<Block> {
    let fy_start = b.m.fiscal_year.start;
    let earlier: Vec<(NaiveDate, Option<Decimal>)> =
        b.e.history
            .records
            .iter()
            .filter(|r| r.as_of < b.m.as_of && r.fiscal_year.start == fy_start)
            .map(|r| {
                (
                    r.as_of,
                    decimal(r.figures.get("revenue.total").and_then(Option::as_ref)),
                )
            })
            .collect();
    if earlier.len() < 2 || since.year_over_year {
        return None;
    }
    let now = b.m.revenue.figures.total.0;
    let mut categories: Vec<String> = earlier.iter().map(|(d, _)| b.date(*d)).collect();
    categories.push(b.date(b.m.as_of));
    let mut values: Vec<Option<f64>> = earlier
        .iter()
        .map(|(_, v)| v.and_then(|v| rust_decimal::prelude::ToPrimitive::to_f64(&v)))
        .collect();
    values.push(rust_decimal::prelude::ToPrimitive::to_f64(&now));
    let first = earlier.first().map(|(d, _)| b.date(*d)).unwrap_or_default();
    // The takeaway: the revenue to date at the first measurement and now.
    let title = match earlier.first().and_then(|(_, v)| *v) {
        Some(before) => b.tf(
            "report.evolution.trend_takeaway",
            &[
                ("first", &first),
                ("before", &b.money(crate::analysis::figures::Money(before))),
                ("now", &b.money(crate::analysis::figures::Money(now))),
                ("date", &b.date(b.m.as_of)),
            ],
        ),
        None => b.tf(
            "report.evolution.trend_chart",
            &[("count", &b.count(categories.len())), ("first", &first)],
        ),
    };
    Some(b.chart(
        "evolution-trend",
        title,
        b.tf(
            "report.evolution.trend_alt",
            &[
                ("first", &first),
                ("now", &b.money(crate::analysis::figures::Money(now))),
            ],
        ),
        ChartSpec::Lines {
            categories,
            series: vec![Series {
                name: b.t("report.evolution.trend_series"),
                role: SeriesRole::Primary,
                values,
            }],
            unit: ValueUnit::Money,
        },
    ))
}

/// What changed since the last recorded measurement, one line per headline figure that
/// moved and one for the improvement points, for the run summary a reviewer reads in CI.
pub(crate) fn summary_lines(b: &Builder<'_>) -> Vec<String> {
    let Some((_, since)) = comparison(b) else {
        return Vec::new();
    };
    let mut lines = vec![title(b, since)];
    for path in Scope::Engagement.paths(b) {
        let Some(FigureChange { before, now, .. }) = since.figures.get(path.as_str()) else {
            continue;
        };
        let (Some(before), Some(now)) = (decimal(before.as_ref()), decimal(now.as_ref())) else {
            continue;
        };
        if before == now {
            continue;
        }
        let Some(label) = super::super::figures::label(b, &path) else {
            continue;
        };
        let unit = unit_of(&path);
        lines.push(format!(
            "{}: {} → {}",
            b.cap(&label),
            value(b, unit, before),
            value(b, unit, now)
        ));
    }
    let (new, resolved) = (since.findings.new.len(), since.findings.resolved.len());
    if new + resolved > 0 {
        lines.push(findings_sentence(b, new, resolved));
    }
    lines
}
