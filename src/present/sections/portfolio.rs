//! Section 3.2, The client portfolio (analysis: [`crate::analysis::pareto`]): Pareto curve and ABC
//! classes, revenue against contact effort, ABC by maturity and by effort, top clients.

use rust_decimal::Decimal;

use crate::analysis::figures::{Money, Quantity, Rate};
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
    // How the two matrices below group the clients, once for both.
    let mut matrix_note = b.t("report.portfolio.matrix_note");
    if p.a.effort_share.is_some() {
        matrix_note.push(' ');
        matrix_note.push_str(&b.t("report.portfolio.effort_note"));
    }
    blocks.push(Block::Paragraph { text: matrix_note });
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

/// "18 clients" / "1 client", agreed as the report's language agrees a count.
fn clients_label(b: &Builder<'_>, n: usize) -> String {
    let key = if b.is_singular(n) {
        "report.portfolio.client_one"
    } else {
        "report.portfolio.client_many"
    };
    b.tf(key, &[("count", &b.count(n))])
}

/// A heat map of the ABC classes (rows) against three groups of clients (columns),
/// each cell "18 clients · 142 k€" shaded by its share of the revenue.
struct Heat {
    /// Per class, per column: clients and revenue (`None`: not measured).
    cells: Vec<Vec<Option<(usize, Money)>>>,
    columns: Vec<String>,
}

impl Heat {
    fn share(&self, b: &Builder<'_>, i: usize, j: usize) -> Option<Rate> {
        let (_, revenue) = self.cells[i][j]?;
        crate::analysis::figures::ratio(revenue.0, b.m.pareto.positive_revenue.0)
    }

    /// The cell holding the most revenue: (class, column, clients, share).
    fn largest(&self, b: &Builder<'_>) -> Option<(usize, usize, usize, Rate)> {
        let mut best: Option<(usize, usize, usize, Rate)> = None;
        for (i, row) in self.cells.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                if let (Some((clients, _)), Some(share)) = (cell, self.share(b, i, j))
                    && best.is_none_or(|x| share.0 > x.3.0)
                {
                    best = Some((i, j, *clients, share));
                }
            }
        }
        best
    }

    fn spec(&self, b: &Builder<'_>) -> ChartSpec {
        let top = self.largest(b).map(|x| x.3);
        let top_share = top.map_or(0.0, |r| f64_of(r.0));
        let cells = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, row)| {
                row.iter()
                    .enumerate()
                    .map(|(j, cell)| match cell {
                        Some((clients, revenue)) => MatrixCell {
                            lines: vec![clients_label(b, *clients), b.compact(*revenue)],
                            shade: self.share(b, i, j).map(|s| {
                                if top_share > 0.0 {
                                    (f64_of(s.0) / top_share).max(0.0)
                                } else {
                                    0.0
                                }
                            }),
                        },
                        None => MatrixCell {
                            lines: vec![b.na()],
                            shade: None,
                        },
                    })
                    .collect()
            })
            .collect();
        ChartSpec::Matrix {
            corner: b.t("report.col.class"),
            rows: AbcClass::ALL
                .iter()
                .map(|c| class_name(*c).to_string())
                .collect(),
            columns: self.columns.clone(),
            cells,
            legend: b.t("report.portfolio.heat_legend"),
            legend_low: b.fmt.percent(Decimal::ZERO, 0),
            legend_high: top.map_or_else(|| b.na(), |r| b.pct(Some(r))),
        }
    }

    /// The figures in words, for the text alternative.
    fn alt(&self, b: &Builder<'_>) -> String {
        let mut parts = Vec::new();
        for (i, row) in self.cells.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                if let Some((clients, revenue)) = cell {
                    parts.push(format!(
                        "{} · {} : {} · {}",
                        class_name(AbcClass::ALL[i]),
                        self.columns[j],
                        clients_label(b, *clients),
                        b.compact(*revenue)
                    ));
                }
            }
        }
        parts.join(" ; ")
    }
}

/// The ABC classes crossed with client maturity, as a heat map.
fn classes_by_maturity(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let p = &b.m.pareto;
    let maturities = ["new", "developing", "mature"];
    let heat = Heat {
        cells: AbcClass::ALL
            .iter()
            .map(|c| {
                let r = p.maturity.get(*c);
                [&r.new, &r.developing, &r.mature]
                    .iter()
                    .map(|cell| Some((cell.clients, cell.revenue)))
                    .collect()
            })
            .collect(),
        columns: maturities
            .iter()
            .map(|k| b.cap(&b.t(&format!("maturity.{k}"))))
            .collect(),
    };
    let title = match heat.largest(b) {
        Some((i, j, clients, share)) => b.tf(
            "report.portfolio.maturity_takeaway",
            &[
                ("class", class_name(AbcClass::ALL[i])),
                ("maturity", &b.t(&format!("maturity.{}", maturities[j]))),
                ("clients", &clients_label(b, clients)),
                ("share", &b.pct(Some(share))),
            ],
        ),
        None => b.t("report.portfolio.maturity_table"),
    };
    blocks.push(b.chart("abc-maturity", title, heat.alt(b), heat.spec(b)));
}

/// The ABC classes crossed with contact effort terciles, as a heat map.
fn classes_by_effort(b: &Builder<'_>, blocks: &mut Vec<Block>) {
    let p = &b.m.pareto;
    if p.a.effort_share.is_none() {
        return;
    }
    let heat = Heat {
        cells: AbcClass::ALL
            .iter()
            .map(|c| {
                let r = p.effort.get(*c);
                [&r.low, &r.medium, &r.high]
                    .iter()
                    .map(|cell| cell.clients.zip(cell.revenue))
                    .collect()
            })
            .collect(),
        columns: ["low", "medium", "high"]
            .iter()
            .map(|k| b.t(&format!("report.effort.{k}")))
            .collect(),
    };
    // The takeaway: the class C clients who get the most contact, and what they bring.
    let c_high = heat.cells[2][2];
    let title = match (c_high, heat.share(b, 2, 2)) {
        (Some((clients, _)), Some(share)) if clients > 0 => b.tf(
            "report.portfolio.effort_heat_takeaway",
            &[
                ("clients", &clients_label(b, clients)),
                ("share", &b.pct(Some(share))),
            ],
        ),
        _ => b.t("report.portfolio.effort_table"),
    };
    blocks.push(b.chart("abc-effort", title, heat.alt(b), heat.spec(b)));
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
    // The takeaway: how few clients make class A, and how much they weigh.
    let title = b.tf(
        "report.portfolio.pareto_takeaway",
        &[
            ("a_clients", &b.count(p.a.clients)),
            (
                "a_client_share",
                &b.pct(crate::analysis::figures::ratio(
                    Decimal::from(p.a.clients as u64),
                    Decimal::from((p.a.clients + p.b.clients + p.c.clients) as u64),
                )),
            ),
            ("a_share", &b.pct(p.a.share)),
        ],
    );
    b.chart(
        "pareto",
        title,
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
