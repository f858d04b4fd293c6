//! Section 3.1, Revenue and the 3 CA (analysis: [`crate::analysis::revenue`], [`crate::analysis::cuts`]'s
//! monthly series): FY against FY-1 by month, the 3 CA against their objectives, lost
//! revenue.

use rust_decimal::Decimal;

use crate::analysis::objectives::{ObjectiveKey, RevenueObjective};
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

    blocks.push(monthly_chart(b));
    three_ca(b, &mut blocks);
    section(
        "diagnostic-revenue",
        b.t("report.sections.revenue"),
        2,
        blocks,
        vec![],
    )
}

/// Monthly revenue of the fiscal year against the previous one.
fn monthly_chart(b: &Builder<'_>) -> Block {
    let m = b.m;
    let r = &m.revenue.figures;
    let months: Vec<String> = m
        .revenue
        .cuts
        .by_month
        .iter()
        .map(|mr| b.fmt.month(mr.month.0))
        .collect();
    let fy: Vec<Option<f64>> = m
        .revenue
        .cuts
        .by_month
        .iter()
        .map(|mr| mr.fy.map(|v| f64_of(v.0)))
        .collect();
    let fy_1: Vec<Option<f64>> = m
        .revenue
        .cuts
        .by_month
        .iter()
        .map(|mr| Some(f64_of(mr.fy_1.0)))
        .collect();
    // The caption states the takeaway; the neutral description stays the alt text.
    let title = match r.growth {
        Some(g) => b.tf(
            "report.revenue.monthly_takeaway",
            &[("total", &b.money(r.total)), ("growth", &b.growth(Some(g)))],
        ),
        None => b.t("report.revenue.monthly_chart"),
    };
    b.chart(
        "revenue-monthly",
        title,
        b.tf(
            "report.revenue.monthly_alt",
            &[
                ("total", &b.money(r.total)),
                ("previous", &b.money(r.previous_to_date)),
            ],
        ),
        ChartSpec::Bars {
            categories: months,
            series: vec![
                Series {
                    name: b.t("report.series.fy_1"),
                    role: SeriesRole::Comparison,
                    values: fy_1,
                },
                Series {
                    name: b.t("report.series.fy"),
                    role: SeriesRole::Primary,
                    values: fy,
                },
            ],
            unit: ValueUnit::Money,
            horizontal: false,
            reference: None,
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
                cell(o.map_or_else(|| b.na(), |o| b.figure(o.landing(), o.unit))),
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
            cell(total_objective.map_or_else(|| b.na(), |o| b.figure(o.landing(), o.unit))),
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
        let mut series = vec![Series {
            name: b.t("report.series.actual"),
            role: SeriesRole::Primary,
            values: actual,
        }];
        if projected.iter().any(Option::is_some) {
            series.push(Series {
                name: b.t("report.series.projection"),
                role: SeriesRole::Accent,
                values: projected,
            });
            series.push(Series {
                name: b.t("report.series.objective"),
                role: SeriesRole::Comparison,
                values: objective,
            });
        }
        // The takeaway: the category furthest behind its objective, against the time
        // elapsed.
        let behind = [
            RevenueObjective::Conquest,
            RevenueObjective::Retention,
            RevenueObjective::Reconquest,
        ]
        .into_iter()
        .filter_map(|c| {
            b.objective(&ObjectiveKey::Revenue(c))
                .and_then(|o| o.achievement)
                .map(|a| (c, a))
        })
        .min_by(|x, y| x.1.0.cmp(&y.1.0));
        let title = match behind {
            Some((c, a)) => b.cap(&b.tf(
                "report.revenue.split_takeaway",
                &[
                    ("category", &b.t(&format!("category.{}", c.name()))),
                    ("achievement", &b.pct(Some(a))),
                    ("elapsed", &b.fmt.percent(m.elapsed_share.0, 0)),
                ],
            )),
            None if has_objectives => b.t("report.revenue.split_chart"),
            None => b.t("report.revenue.split_chart_actual"),
        };
        blocks.push(b.chart(
            "three-ca",
            title,
            b.tf(
                "report.revenue.split_alt",
                &[
                    ("conquest", &b.money(r.conquest)),
                    ("retention", &b.money(r.retention)),
                    ("reconquest", &b.money(r.reconquest)),
                ],
            ),
            ChartSpec::Bars {
                categories,
                series,
                unit: ValueUnit::Money,
                horizontal: false,
                reference: None,
            },
        ));
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
