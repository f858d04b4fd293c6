//! Section 8, Annexes: how each figure is computed, data quality, provenance.
//!
//! A director may ask "where does this number come from?": the annex answers in the
//! report's language (the definitions of analyses.md), says what was read and what was
//! left aside, and ties the report to the exact files it was built from (content hashes).

use crate::present::builder::Builder;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::Vocabulary;

/// The terms defined in the annex, in reading order (keys of `report.definitions`).
const DEFINITIONS: &[&str] = &[
    "periods",
    "revenue",
    "categories",
    "lost",
    "former",
    "pareto",
    "maturity",
    "effort",
    "leads",
    "conversion",
    "cost_per_lead",
    "time",
    "projection",
    "rounding",
];

pub(crate) fn annexes(b: &Builder<'_>) -> Section {
    let definitions = Block::Definitions {
        items: DEFINITIONS
            .iter()
            .map(|k| Definition {
                term: b.t(&format!("report.definitions.{k}.term")),
                text: b.tf(
                    &format!("report.definitions.{k}.text"),
                    &[
                        ("dormancy", &b.e.settings.dormancy_months.to_string()),
                        ("a", &b.fmt.percent(b.e.settings.pareto_a, 0)),
                        ("b", &b.fmt.percent(b.e.settings.pareto_b, 0)),
                    ],
                ),
                anchor: None,
            })
            .collect(),
    };
    let children = vec![
        Section {
            id: "annex-definitions".into(),
            number: String::new(),
            title: b.t("report.sections.definitions"),
            level: 2,
            blocks: vec![definitions],
            children: vec![],
        },
        Section {
            id: "annex-quality".into(),
            number: String::new(),
            title: b.t("report.sections.data_quality"),
            level: 2,
            blocks: data_quality(b),
            children: vec![],
        },
    ];
    let mut children = children;
    // The version of levier and the files' hashes are for the consultant: the client's
    // report has them only when `[settings] technical_annex = true` (metrics.json always).
    if b.e.settings.technical_annex {
        children.push(Section {
            id: "annex-provenance".into(),
            number: String::new(),
            title: b.t("report.sections.provenance"),
            level: 2,
            blocks: provenance(b),
            children: vec![],
        });
    }
    Section {
        id: "annexes".into(),
        number: String::new(),
        title: b.t("report.sections.annexes"),
        level: 1,
        blocks: vec![],
        children,
    }
}

fn data_quality(b: &Builder<'_>) -> Vec<Block> {
    let q = &b.m.data_quality;
    let table_name =
        |kind: &crate::vocab::TableKind| b.t(&format!("report.quality.table_{}", kind.name()));
    let mut tables: Vec<_> = q.tables.iter().collect();
    tables.sort_by(|x, y| x.1.file.cmp(&y.1.file));
    let rows: Vec<Row> = tables
        .iter()
        .map(|(kind, t)| Row {
            cells: vec![
                cell(table_name(kind)),
                cell(t.file.clone()),
                cell(b.count(t.rows)),
                cell(b.count(t.rows_left_out.count + t.empty_rows_skipped)),
            ],
            emphasis: false,
        })
        .collect();
    let mut blocks = vec![Block::Paragraph { text: used_data(b) }];
    blocks.push(Block::Table(Table {
        id: "files-read".into(),
        caption: b.t("report.quality.files_table"),
        columns: vec![
            Column {
                label: b.t("report.col.table"),
                align: Align::Left,
            },
            Column {
                label: b.t("report.col.file"),
                align: Align::Left,
            },
            Column {
                label: b.t("report.col.rows"),
                align: Align::Right,
            },
            Column {
                label: b.t("report.col.rows_left_out"),
                align: Align::Right,
            },
        ],
        rows,
        note: Some(b.t("report.quality.files_note")),
    }));

    let mut items: Vec<(String, String)> = vec![(
        b.t("report.quality.credit_notes"),
        b.tf(
            "report.quality.lines_amount",
            &[
                ("lines", &b.count(q.credit_notes.lines)),
                ("amount", &b.money(q.credit_notes.amount)),
            ],
        ),
    )];
    items.push((
        b.t("report.quality.zero_lines"),
        b.count(q.zero_amount_lines),
    ));
    items.push((
        b.t("report.quality.after_as_of"),
        b.tf(
            "report.quality.lines_amount",
            &[
                ("lines", &b.count(q.sales_after_as_of.lines)),
                ("amount", &b.money(q.sales_after_as_of.amount)),
            ],
        ),
    ));
    if let (Some(first), Some(last)) = (q.sales_first_date, q.sales_last_date) {
        items.push((
            b.t("report.quality.sales_span"),
            b.tf(
                "report.quality.from_to",
                &[("first", &b.date(first)), ("last", &b.date(last))],
            ),
        ));
    }
    // Only against a clients file: records drawn from the sales lines themselves know
    // every client, and "0" would report a check that checked nothing.
    if let Some(u) = &q.unknown_clients
        && b.e.tables.contains_key(&crate::vocab::TableKind::Clients)
    {
        items.push((
            b.t("report.quality.unknown_clients"),
            b.tf(
                "report.quality.unknown_clients_value",
                &[
                    ("clients", &b.count(u.clients)),
                    ("lines", &b.count(u.lines)),
                    ("revenue", &b.money(u.revenue)),
                ],
            ),
        ));
    }
    for (key, value) in [
        ("leads_without_source", q.leads_without_source),
        ("won_without_closed", q.won_leads_without_closed),
        ("leads_outside_fy", q.leads_outside_fy),
        ("activities_outside_fy", q.activities_outside_fy),
    ] {
        if let Some(v) = value {
            items.push((b.t(&format!("report.quality.{key}")), b.count(v)));
        }
    }
    for (kind, t) in &tables {
        let left = &t.rows_left_out;
        if left.count == 0 {
            continue;
        }
        let reasons: Vec<String> = left
            .by_reason
            .iter()
            .map(|(reason, n)| {
                let why = match reason.split_once(' ') {
                    Some(("skip", column)) => {
                        b.tf("report.quality.reason_skip", &[("column", column)])
                    }
                    Some(("keep", column)) => {
                        b.tf("report.quality.reason_keep", &[("column", column)])
                    }
                    _ => b.t("report.quality.reason_empty_client"),
                };
                format!("{why} ({})", b.count(*n))
            })
            .collect();
        let value = if matches!(kind, crate::vocab::TableKind::Sales) {
            b.tf(
                "report.quality.lines_amount",
                &[
                    ("lines", &b.count(left.count)),
                    ("amount", &b.money(left.amount)),
                ],
            )
        } else {
            b.count(left.count)
        };
        items.push((
            b.tf(
                "report.quality.left_out",
                &[
                    ("table", &table_name(kind)),
                    ("reasons", &reasons.join(", ")),
                ],
            ),
            value,
        ));
    }
    blocks.push(Block::Table(Table {
        id: "data-quality".into(),
        caption: b.t("report.quality.checks_table"),
        columns: vec![
            Column {
                label: b.t("report.col.check"),
                align: Align::Left,
            },
            Column {
                label: b.t("report.col.value"),
                align: Align::Right,
            },
        ],
        rows: items
            .into_iter()
            .map(|(k, v)| Row {
                cells: vec![cell(k), cell(v)],
                emphasis: false,
            })
            .collect(),
        note: None,
    }));
    for u in &b.m.unavailable {
        blocks.push(Block::Unavailable {
            text: b.t(&format!("report.missing.{}", u.analysis.replace('.', "_"))),
        });
    }
    blocks
}

/// What the report was built from, in words: the files, the rows, the periods, the checks.
fn used_data(b: &Builder<'_>) -> String {
    let q = &b.m.data_quality;
    let mut tables: Vec<_> = q.tables.iter().collect();
    tables.sort_by_key(|(kind, _)| **kind);
    let files: Vec<String> = tables
        .iter()
        .map(|(kind, t)| {
            b.tf(
                "report.quality.used_file",
                &[
                    (
                        "table",
                        &b.t(&format!("report.quality.table_{}", kind.name()))
                            .to_lowercase(),
                    ),
                    ("file", &t.file),
                    ("rows", &b.count(t.rows)),
                ],
            )
        })
        .collect();
    let mut text = b.tf(
        if files.len() == 1 {
            "report.quality.used_intro_one"
        } else {
            "report.quality.used_intro"
        },
        &[
            ("count", &b.count(files.len())),
            ("files", &files.join(", ")),
        ],
    );
    if let (Some(first), Some(last)) = (q.sales_first_date, q.sales_last_date) {
        text.push(' ');
        text.push_str(&b.tf(
            "report.quality.used_periods",
            &[
                ("first", &b.date(first)),
                ("last", &b.date(last)),
                ("start", &b.date(b.m.fiscal_year.start)),
                ("as_of", &b.date(b.m.as_of)),
            ],
        ));
    }
    text.push(' ');
    text.push_str(&b.t("report.quality.used_checks"));
    text
}

fn provenance(b: &Builder<'_>) -> Vec<Block> {
    let mut files: Vec<(String, u64, String)> =
        b.e.tables
            .values()
            .map(|t| (t.file.clone(), t.bytes, t.blake3.clone()))
            .chain(
                b.e.sources
                    .iter()
                    .map(|s| (s.file.clone(), s.bytes, s.blake3.clone())),
            )
            .collect();
    files.sort();
    let rows = files
        .into_iter()
        .map(|(file, bytes, hash)| Row {
            cells: vec![
                cell(file),
                cell(b.fmt.number(rust_decimal::Decimal::from(bytes), 0)),
                cell(hash[..16].to_string()),
            ],
            emphasis: false,
        })
        .collect();
    vec![
        Block::Paragraph {
            text: b.tf(
                "report.provenance.intro",
                &[
                    (
                        "generator",
                        &format!("levier {}", env!("CARGO_PKG_VERSION")),
                    ),
                    ("engagement", &b.e.slug),
                ],
            ),
        },
        Block::Table(Table {
            id: "provenance".into(),
            caption: b.t("report.provenance.table"),
            columns: vec![
                Column {
                    label: b.t("report.col.file"),
                    align: Align::Left,
                },
                Column {
                    label: b.t("report.col.bytes"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.hash"),
                    align: Align::Left,
                },
            ],
            rows,
            note: Some(b.t("report.provenance.note")),
        }),
    ]
    .into_iter()
    .chain(b.e.warnings.iter().map(|w| Block::Callout {
        tone: Tone::Warning,
        title: b.t("report.quality.warning"),
        text: w.message.clone(),
    }))
    .collect()
}
