//! Section 3.1, Revenue and the 3 CA (analysis: [`crate::analysis::revenue`], [`crate::analysis::cuts`]'s
//! monthly series): FY against FY-1 by month, the 3 CA against their objectives, lost
//! revenue.

use rust_decimal::Decimal;

use crate::analysis::objectives::{ObjectiveKey, RevenueObjective};
use crate::engagement::ProjectionMethod;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

pub(crate) fn revenue_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let r = &m.revenue.figures;
    let mut blocks = vec![Block::Paragraph {
        text: b.tf(
            "report.revenue.intro",
            &[
                ("total", &b.money(r.total)),
                ("growth", &b.growth(r.growth)),
                ("previous", &b.money(r.previous_to_date)),
                ("previous_total", &b.money(r.previous_total)),
            ],
        ),
    }];

    blocks.push(cumulative_chart(b));
    three_ca(b, &mut blocks);
    section(
        "diagnostic-revenue",
        b.t("report.sections.revenue"),
        2,
        blocks,
        vec![],
    )
}

/// Cumulative revenue of the fiscal year against the objective's path and last year,
/// with the year-end landing: where the year is heading, not only where it stands. It
/// replaces the monthly bars, which compared the same two years month by month and
/// said less (the growth to date is in the section's opening sentence).
fn cumulative_chart(b: &Builder<'_>) -> Block {
    let m = b.m;
    let r = &m.revenue.figures;
    let months = &m.revenue.cuts.by_month;
    let categories: Vec<String> = months.iter().map(|mr| b.fmt.month(mr.month.0)).collect();
    let running = |values: Vec<Option<f64>>| -> Vec<Option<f64>> {
        let mut sum = 0.0;
        values
            .into_iter()
            .map(|v| {
                v.map(|v| {
                    sum += v;
                    sum
                })
            })
            .collect()
    };
    let fy = running(months.iter().map(|mr| mr.fy.map(|v| f64_of(v.0))).collect());
    let has_last_year = r.previous_total.0 > Decimal::ZERO;
    let fy_1 = running(months.iter().map(|mr| Some(f64_of(mr.fy_1.0))).collect());
    // The share of the year each month closes: last year's profile when the landing
    // follows it, else the calendar.
    let n = months.len().max(1);
    let previous_total = f64_of(r.previous_total.0);
    let profile: Vec<f64> = (0..months.len())
        .map(|i| match (b.m.projection_method, fy_1[i]) {
            (ProjectionMethod::Seasonal, Some(c)) if previous_total > 0.0 => c / previous_total,
            _ => (i + 1) as f64 / n as f64,
        })
        .collect();
    let objective = b.objective(&ObjectiveKey::Revenue(RevenueObjective::Total));
    let landing = b.revenue_landing();
    let mut series = Vec::new();
    if has_last_year {
        series.push(Series {
            name: b.t("report.series.fy_1"),
            role: SeriesRole::Comparison,
            values: fy_1,
        });
    }
    if let Some(o) = objective {
        let target = f64_of(o.target.value());
        series.push(Series {
            name: b.t("report.revenue.objective_path"),
            role: SeriesRole::Objective,
            values: profile.iter().map(|s| Some(target * s)).collect(),
        });
    }
    series.push(Series {
        name: b.t("report.series.fy"),
        role: SeriesRole::Primary,
        values: fy.clone(),
    });
    // The projection runs from the last month measured to the landing at year end,
    // along the same profile.
    let last = fy.iter().rposition(Option::is_some);
    if let (Some(k), Some(landing)) = (last, landing)
        && k + 1 < months.len()
    {
        let from = fy[k].unwrap_or(0.0);
        let to = f64_of(landing.0);
        let done = profile[k];
        let values = (0..months.len())
            .map(|i| match i {
                i if i < k => None,
                i if i == k => Some(from),
                i => {
                    Some(from + (to - from) * ((profile[i] - done) / (1.0 - done)).clamp(0.0, 1.0))
                }
            })
            .collect();
        series.push(Series {
            name: b.t("report.series.projection"),
            role: SeriesRole::Projection,
            values,
        });
    }
    let title = match (landing, objective.and_then(|o| o.projected_achievement())) {
        (Some(l), Some(projected)) => b.tf(
            "report.revenue.cumulative_takeaway",
            &[
                ("landing", &b.money(l)),
                ("projected", &b.pct(Some(projected))),
                (
                    "objective",
                    &objective.map_or_else(|| b.na(), |o| b.figure(Some(o.target), o.unit)),
                ),
            ],
        ),
        (Some(l), None) if has_last_year => b.tf(
            "report.revenue.cumulative_takeaway_growth",
            &[
                ("landing", &b.money(l)),
                (
                    "growth",
                    &b.growth(crate::analysis::figures::growth(l.0, r.previous_total.0)),
                ),
                ("previous_total", &b.money(r.previous_total)),
            ],
        ),
        _ => b.t("report.revenue.cumulative_chart"),
    };
    b.chart(
        "revenue-cumulative",
        title,
        b.tf(
            "report.revenue.cumulative_alt",
            &[
                ("total", &b.money(r.total)),
                ("previous", &b.money(r.previous_to_date)),
                ("landing", &b.money_opt(landing)),
            ],
        ),
        ChartSpec::Lines {
            categories,
            series,
            unit: ValueUnit::Money,
        },
    )
}

/// The 3 CA against their objectives (table and chart), and the revenue lost.
fn three_ca(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let m = b.m;
    let r = &m.revenue.figures;
    if b.has_unavailable("revenue.categories") {
        blocks.push(Block::Callout {
            tone: Tone::Warning,
            title: b.t("report.revenue.history_title"),
            text: b.t("report.missing.revenue_categories"),
        });
    }
    {
        let mut rows = Vec::new();
        let mut categories = Vec::new();
        let mut actual = Vec::new();
        let mut projected = Vec::new();
        let mut objective = Vec::new();
        for (category, amount, clients) in [
            (RevenueObjective::Conquest, r.conquest, m.clients.new),
            (RevenueObjective::Retention, r.retention, m.clients.retained),
            (
                RevenueObjective::Reconquest,
                r.reconquest,
                m.clients.reconquered,
            ),
        ] {
            let key = category.name();
            let o = b.objective(&ObjectiveKey::Revenue(category));
            categories.push(b.cap(&b.t(&format!("category.{key}"))));
            actual.push(Some(f64_of(amount.0)));
            projected.push(o.and_then(|o| o.landing()).map(|p| f64_of(p.value())));
            objective.push(o.map(|o| f64_of(o.target.value())));
            rows.push(row(vec![
                cell(b.cap(&b.t(&format!("category.{key}")))),
                cell(b.count(clients)),
                cell(b.money(amount)),
                cell(b.pct(crate::analysis::figures::ratio(amount.0, r.total.0))),
                cell(o.map_or_else(|| b.na(), |o| b.figure(Some(o.target), o.unit))),
                cell(o.map_or_else(|| b.na(), |o| b.landing(o.landing(), o.unit))),
                toned(
                    o.and_then(|o| o.projected_achievement())
                        .map_or_else(|| b.na(), |r| b.pct(Some(r))),
                    o.map_or(Tone::Neutral, |o| {
                        achievement_tone(o.projected_achievement())
                    }),
                ),
            ]));
        }
        let total_objective = b.objective(&ObjectiveKey::Revenue(RevenueObjective::Total));
        rows.push(total_row(vec![
            cell(b.cap(&b.t("category.total"))),
            cell(b.count(m.clients.active)),
            cell(b.money(r.total)),
            cell(b.fmt.percent(Decimal::ONE, 1)),
            cell(total_objective.map_or_else(|| b.na(), |o| b.figure(Some(o.target), o.unit))),
            cell(total_objective.map_or_else(|| b.na(), |o| b.landing(o.landing(), o.unit))),
            {
                let projected = total_objective.and_then(|o| o.projected_achievement());
                toned(
                    projected.map_or_else(|| b.na(), |r| b.pct(Some(r))),
                    achievement_tone(projected),
                )
            },
        ]));
        let mut columns = vec![
            col(b.t("report.col.category"), Align::Left),
            col(b.t("report.col.clients"), Align::Right),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.share"), Align::Right),
            col(b.t("report.col.objective"), Align::Right),
            col(b.t("report.col.projection"), Align::Right),
            col(b.t("report.col.projected_achievement"), Align::Right),
        ];
        // Without any revenue objective, the three objective columns would only say
        // "n.d.": leave them out.
        let has_objectives =
            b.m.objectives
                .iter()
                .any(|o| matches!(o.key, ObjectiveKey::Revenue(_)));
        if !has_objectives {
            columns.truncate(4);
            for r in &mut rows {
                r.cells.truncate(4);
            }
        }
        blocks.push(Block::Table(Table {
            id: "three-ca".into(),
            caption: b.t("report.revenue.split_table"),
            columns,
            rows,
            note: Some(b.tf(
                "report.revenue.split_note",
                &[("method", &b.projection_method_sentence())],
            )),
        }));
        // The takeaway: the category furthest behind its objective, against the time
        // elapsed.
        let behind = RevenueObjective::CATEGORIES
            .into_iter()
            .filter_map(|c| {
                b.objective(&ObjectiveKey::Revenue(c))
                    .and_then(|o| o.achievement)
                    .map(|a| (c, a))
            })
            .min_by(|x, y| x.1.0.cmp(&y.1.0));
        let alt = b.tf(
            "report.revenue.split_alt",
            &[
                ("conquest", &b.money(r.conquest)),
                ("retention", &b.money(r.retention)),
                ("reconquest", &b.money(r.reconquest)),
            ],
        );
        match behind {
            // Each category against its own objective, not three bars on one money
            // scale where reconquest is a sliver.
            Some((c, a)) => {
                let rows = [
                    (RevenueObjective::Conquest, r.conquest),
                    (RevenueObjective::Retention, r.retention),
                    (RevenueObjective::Reconquest, r.reconquest),
                ]
                .into_iter()
                .map(|(category, amount)| {
                    super::dashboard::revenue_bullet(
                        b,
                        b.cap(&b.t(&format!("category.{}", category.name()))),
                        amount,
                        b.objective(&ObjectiveKey::Revenue(category)),
                    )
                })
                .collect();
                let elapsed = b.fmt.elapsed(m.elapsed_share.0);
                blocks.push(b.chart(
                    "three-ca",
                    b.cap(&b.tf(
                        "report.revenue.split_takeaway",
                        &[
                            ("category", &b.t(&format!("category.{}", c.name()))),
                            ("achievement", &b.pct(Some(a))),
                            ("elapsed", &elapsed),
                        ],
                    )),
                    alt,
                    ChartSpec::Bullets {
                        rows,
                        elapsed: f64_of(m.elapsed_share.0),
                        elapsed_label: b.tf("report.dashboard.elapsed", &[("elapsed", &elapsed)]),
                        legend: super::dashboard::legend(b),
                    },
                ));
            }
            // Without objectives: the amounts side by side, the caption saying each
            // category's share of the revenue.
            None => blocks.push(b.chart(
                "three-ca",
                {
                    let share = |amount: crate::analysis::figures::Money| {
                        b.pct(crate::analysis::figures::ratio(amount.0, r.total.0))
                    };
                    b.tf(
                        "report.revenue.split_takeaway_shares",
                        &[
                            ("conquest", &share(r.conquest)),
                            ("retention", &share(r.retention)),
                            ("reconquest", &share(r.reconquest)),
                        ],
                    )
                },
                alt,
                ChartSpec::Bars {
                    categories,
                    series: vec![Series {
                        name: b.t("report.series.actual"),
                        role: SeriesRole::Primary,
                        values: actual,
                    }],
                    unit: ValueUnit::Money,
                    horizontal: false,
                    reference: None,
                },
            )),
        }
        blocks.push(lost_revenue(b));
    }
}

/// The revenue of clients lost since the previous fiscal year.
fn lost_revenue(b: &Builder<'_>) -> Block {
    let m = b.m;
    let r = &m.revenue.figures;
    Block::Callout {
        tone: if m.clients.lost > 0 {
            Tone::Warning
        } else {
            Tone::Neutral
        },
        title: b.t("report.revenue.lost_title"),
        text: b.tf(
            "report.revenue.lost_text",
            &[
                ("clients", &b.count(m.clients.lost)),
                ("lost", &b.money(r.lost)),
                (
                    "share",
                    &b.pct(crate::analysis::figures::ratio(
                        r.lost.0,
                        r.previous_total.0,
                    )),
                ),
            ],
        ),
    }
}
