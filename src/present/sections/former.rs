//! Section 3.4, Former clients (analysis: [`crate::analysis::former`]): reconquest so far and the
//! reconquest targets.

use rust_decimal::Decimal;

use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

pub(crate) fn former_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let fc = &m.former_clients;
    let mut blocks = vec![Block::Kpis {
        tiles: vec![
            Kpi {
                label: b.t("report.former.former_at_start"),
                value: b.count(m.clients.former_at_start),
                detail: None,
                tone: Tone::Neutral,
                progress: None,
            },
            Kpi {
                label: b.t("report.former.reconquered"),
                value: b.count(m.clients.reconquered),
                detail: Some(b.tf(
                    "report.former.reconquered_detail",
                    &[("revenue", &b.money(m.revenue.figures.reconquest))],
                )),
                tone: Tone::Neutral,
                progress: None,
            },
            Kpi {
                label: b.t("report.former.rate"),
                value: b.pct(m.clients.reconquest_rate),
                detail: None,
                tone: match m.clients.reconquest_rate {
                    Some(r) if r.0 < Decimal::new(1, 1) => Tone::Bad,
                    Some(_) => Tone::Good,
                    None => Tone::Neutral,
                },
                progress: None,
            },
        ],
    }];
    blocks.push(client_counts(b));
    if fc.top.is_empty() {
        blocks.push(b.unavailable("former"));
    } else {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.former.intro",
                &[
                    ("count", &b.count(fc.count)),
                    ("months", &b.e.settings.dormancy_months.to_string()),
                    ("revenue", &b.money(fc.revenue_36m)),
                ],
            ),
        });
        let rows = fc
            .top
            .iter()
            .enumerate()
            .map(|(i, c)| {
                row(vec![
                    cell((i + 1).to_string()),
                    cell(c.name.clone().unwrap_or_else(|| c.client_id.clone())),
                    cell(c.client_id.clone()),
                    cell(b.date(c.last_purchase)),
                    cell(b.money(c.revenue_36m)),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "reconquest-targets".into(),
            caption: b.t("report.former.table"),
            columns: vec![
                col("#".into(), Align::Right),
                col(b.t("report.col.client"), Align::Left),
                col(b.t("report.col.client_id"), Align::Left),
                col(b.t("report.col.last_purchase"), Align::Right),
                col(b.t("report.col.revenue_36m"), Align::Right),
            ],
            rows,
            note: None,
        }));
    }
    section(
        "diagnostic-former",
        b.t("report.sections.former"),
        2,
        blocks,
        vec![],
    )
}

/// Every client count of the report in one table, each with its definition, so that
/// active, new, lost, former and won-back clients (which a reader meets on different
/// pages) add up in front of them.
fn client_counts(b: &Builder<'_>) -> Block {
    let m = b.m;
    let months = b.e.settings.dormancy_months.to_string();
    let line = |key: &str, count: usize, indent: bool| {
        let label = b.t(&format!("report.clients.{key}"));
        row(vec![
            cell(if indent {
                format!("\u{2003}{label}")
            } else {
                label
            }),
            cell(b.count(count)),
            cell(b.tf(
                &format!("report.clients.{key}_text"),
                &[("months", &months)],
            )),
        ])
    };
    let rows = vec![
        line("active", m.clients.active, false),
        line("new", m.clients.new, true),
        line("retained", m.clients.retained, true),
        line("reconquered", m.clients.reconquered, true),
        line("lost", m.clients.lost, false),
        line("former_at_start", m.clients.former_at_start, false),
        line("former_now", m.former_clients.count, false),
    ];
    Block::Table(Table {
        id: "client-counts".into(),
        caption: b.t("report.clients.table"),
        columns: vec![
            col(b.t("report.col.clients"), Align::Left),
            col(b.t("report.clients.count"), Align::Right),
            col(b.t("report.clients.definition"), Align::Left),
        ],
        rows,
        note: Some(b.tf("report.clients.note", &[("months", &months)])),
    })
}
