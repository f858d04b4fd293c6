//! Section 3.2, The client portfolio (analysis: [`crate::analysis::pareto`]): Pareto curve and ABC
//! classes, revenue against contact effort, ABC by maturity and by effort, top clients.

use rust_decimal::Decimal;

use crate::analysis::figures::Quantity;
use crate::analysis::pareto::{AbcClass, ClassFigures};
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

fn class_name(c: AbcClass) -> &'static str {
    match c {
        AbcClass::A => "A",
        AbcClass::B => "B",
        AbcClass::C => "C",
    }
}

pub(crate) fn portfolio_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let p = &m.pareto;
    let mut blocks = Vec::new();
    let classified = p.a.clients + p.b.clients + p.c.clients;
    if classified == 0 {
        blocks.push(b.unavailable("portfolio"));
        return section(
            "diagnostic-portfolio",
            b.t("report.sections.portfolio"),
            2,
            blocks,
            vec![],
        );
    }
    blocks.push(Block::Paragraph {
        text: b.tf(
            "report.portfolio.intro",
            &[
                ("a_clients", &b.count(p.a.clients)),
                ("classified", &b.count(classified)),
                (
                    "a_client_share",
                    &b.pct(crate::analysis::figures::ratio(
                        Decimal::from(p.a.clients as u64),
                        Decimal::from(classified as u64),
                    )),
                ),
                ("a_share", &b.pct(p.a.share)),
            ],
        ),
    });

    // Pareto curve from the top list is too short: rebuild the curve from class totals
    // and the classes map is per client; the chart uses the cumulative share per rank.
    blocks.push(pareto_chart(b));

    let class_rows: Vec<Row> = [
        (AbcClass::A, &p.a),
        (AbcClass::B, &p.b),
        (AbcClass::C, &p.c),
    ]
    .iter()
    .map(|(c, f): &(AbcClass, &ClassFigures)| {
        row(vec![
            cell(class_name(*c)),
            cell(b.count(f.clients)),
            cell(b.money(f.revenue)),
            cell(b.pct(f.share)),
            cell(b.quantity(f.hours, 0)),
            cell(b.pct(f.effort_share)),
        ])
    })
    .chain(std::iter::once(total_row(vec![
        cell(b.t("report.portfolio.classified")),
        cell(b.count(classified)),
        cell(b.money(p.positive_revenue)),
        cell(b.fmt.percent(Decimal::ONE, 1)),
        cell(b.quantity(
            match (p.a.hours, p.b.hours, p.c.hours) {
                (Some(a), Some(bb), Some(c)) => Some(Quantity(a.0 + bb.0 + c.0)),
                _ => None,
            },
            0,
        )),
        cell(if p.a.effort_share.is_some() {
            b.fmt.percent(Decimal::ONE, 1)
        } else {
            b.na()
        }),
    ])))
    .collect();
    let unclassified_note = b.tf(
        "report.portfolio.abc_note",
        &[
            ("a", &b.fmt.percent(p.a_cutoff.0, 0)),
            ("b", &b.fmt.percent(p.b_cutoff.0, 0)),
            ("unclassified", &b.count(p.unclassified)),
            ("unclassified_revenue", &b.money(p.unclassified_revenue)),
        ],
    );
    blocks.push(Block::Table(Table {
        id: "abc".into(),
        caption: b.t("report.portfolio.abc_table"),
        columns: vec![
            col(b.t("report.col.class"), Align::Left),
            col(b.t("report.col.clients"), Align::Right),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.revenue_share"), Align::Right),
            col(b.t("report.col.contact_hours"), Align::Right),
            col(b.t("report.col.effort_share"), Align::Right),
        ],
        rows: class_rows,
        note: Some(unclassified_note),
    }));

    effort_against_revenue(b, &mut blocks);
    classes_by_maturity(b, &mut blocks);
    classes_by_effort(b, &mut blocks);
    top_clients(b, &mut blocks);

    section(
        "diagnostic-portfolio",
        b.t("report.sections.portfolio"),
        2,
        blocks,
        vec![],
    )
}

/// Each class's share of revenue against its share of contact effort.
fn effort_against_revenue(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let m = b.m;
    let p = &m.pareto;
    // Revenue share vs effort share.
    if p.a.effort_share.is_some() {
        let classes = ["A", "B", "C"].map(String::from).to_vec();
        let figs = [&p.a, &p.b, &p.c];
        blocks.push(b.chart(
            "revenue-vs-effort",
            b.tf(
                "report.portfolio.effort_takeaway",
                &[
                    ("c_revenue", &b.pct(p.c.share)),
                    ("c_effort", &b.pct(p.c.effort_share)),
                ],
            ),
            b.tf(
                "report.portfolio.effort_alt",
                &[
                    ("c_revenue", &b.pct(p.c.share)),
                    ("c_effort", &b.pct(p.c.effort_share)),
                ],
            ),
            ChartSpec::Bars {
                categories: classes,
                series: vec![
                    Series {
                        name: b.t("report.series.revenue_share"),
                        role: SeriesRole::Primary,
                        values: figs.iter().map(|f| f.share.map(|s| f64_of(s.0))).collect(),
                    },
                    Series {
                        name: b.t("report.series.effort_share"),
                        role: SeriesRole::Accent,
                        values: figs.iter().map(|f| f.effort_share.map(|s| f64_of(s.0))).collect(),
                    },
                ],
                unit: ValueUnit::Percent,
                horizontal: false,
                reference: None,
            },
        ));
    } else {
        blocks.push(b.unavailable("effort"));
    }
}

/// The ABC classes crossed with client maturity.
fn classes_by_maturity(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let m = b.m;
    let p = &m.pareto;
    // ABC x maturity.
    let maturity_cols = ["new", "developing", "mature"];
    let mut rows = Vec::new();
    for c in AbcClass::ALL {
        let r = p.maturity.get(c);
        let cells = [&r.new, &r.developing, &r.mature];
        let mut cs = vec![cell(class_name(c))];
        for cc in cells {
            cs.push(cell(format!(
                "{} · {}",
                b.count(cc.clients),
                b.compact(cc.revenue)
            )));
        }
        rows.push(row(cs));
    }
    let mut columns = vec![col(b.t("report.col.class"), Align::Left)];
    columns.extend(
        maturity_cols
            .iter()
            .map(|k| col(b.cap(&b.t(&format!("maturity.{k}"))), Align::Right)),
    );
    blocks.push(Block::Table(Table {
        id: "abc-maturity".into(),
        caption: b.t("report.portfolio.maturity_table"),
        columns,
        rows,
        note: Some(b.t("report.portfolio.matrix_note")),
    }));
}

/// The ABC classes crossed with contact effort terciles.
fn classes_by_effort(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let m = b.m;
    let p = &m.pareto;
    // ABC x effort tercile.
    if p.a.effort_share.is_some() {
        let mut rows = Vec::new();
        for c in AbcClass::ALL {
            let r = p.effort.get(c);
            let mut cs = vec![cell(class_name(c))];
            for cc in [&r.low, &r.medium, &r.high] {
                cs.push(cell(format!(
                    "{} · {}",
                    b.count_opt(cc.clients),
                    cc.revenue.map_or_else(|| b.na(), |v| b.compact(v))
                )));
            }
            rows.push(row(cs));
        }
        let mut columns = vec![col(b.t("report.col.class"), Align::Left)];
        columns.extend(
            ["low", "medium", "high"]
                .iter()
                .map(|k| col(b.t(&format!("report.effort.{k}")), Align::Right)),
        );
        blocks.push(Block::Table(Table {
            id: "abc-effort".into(),
            caption: b.t("report.portfolio.effort_table"),
            columns,
            rows,
            note: Some(b.t("report.portfolio.effort_note")),
        }));
    }
}

/// The largest clients of the fiscal year.
fn top_clients(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let m = b.m;
    let p = &m.pareto;
    // Top clients.
    let rows = p
        .top
        .iter()
        .enumerate()
        .map(|(i, t)| {
            row(vec![
                cell((i + 1).to_string()),
                cell(t.name.clone().unwrap_or_else(|| t.client_id.clone())),
                cell(t.client_id.clone()),
                cell(class_name(t.class)),
                cell(b.money(t.revenue)),
                cell(b.pct(t.share)),
                cell(b.pct(t.cumulative_share)),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: "top-clients".into(),
        caption: b.tf(
            "report.portfolio.top_table",
            &[("n", &p.top.len().to_string())],
        ),
        columns: vec![
            col("#".into(), Align::Right),
            col(b.t("report.col.client"), Align::Left),
            col(b.t("report.col.client_id"), Align::Left),
            col(b.t("report.col.class"), Align::Center),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.share"), Align::Right),
            col(b.t("report.col.cumulative_share"), Align::Right),
        ],
        rows,
        note: None,
    }));
}

/// The Pareto curve, from the FY revenues of the classified clients.
fn pareto_chart(b: &Builder<'_>) -> Block {
    let p = &b.m.pareto;
    let revenues = &p.ranked_revenues;
    let total = p.positive_revenue.0;
    let n = revenues.len().max(1);
    let step = (n / 200).max(1);
    let mut points = vec![(0.0, 0.0)];
    let mut cum = Decimal::ZERO;
    for (i, r) in revenues.iter().enumerate() {
        cum += *r;
        if (i + 1) % step == 0 || i + 1 == n {
            let y = if total.is_zero() {
                0.0
            } else {
                f64_of(cum / total)
            };
            points.push(((i + 1) as f64 / n as f64, y));
        }
    }
    let classified = (p.a.clients + p.b.clients + p.c.clients).max(1) as f64;
    b.chart(
        "pareto",
        b.t("report.portfolio.pareto_chart"),
        b.tf(
            "report.portfolio.pareto_alt",
            &[
                (
                    "a_client_share",
                    &b.fmt.percent(
                        Decimal::from_f64_retain(p.a.clients as f64 / classified)
                            .unwrap_or_default(),
                        0,
                    ),
                ),
                ("a_share", &b.pct(p.a.share)),
            ],
        ),
        ChartSpec::Pareto {
            points,
            a_cutoff: f64_of(p.a_cutoff.0),
            b_cutoff: f64_of(p.b_cutoff.0),
            a_clients: p.a.clients as f64 / classified,
            ab_clients: (p.a.clients + p.b.clients) as f64 / classified,
            x_label: b.t("report.portfolio.pareto_x"),
            y_label: b.t("report.portfolio.pareto_y"),
        },
    )
}
