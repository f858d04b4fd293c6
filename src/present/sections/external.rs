//! Section 7, Croissance externe (assessment: [`crate::assess::acquisitions`]): acquisition
//! targets, scored.

use rust_decimal::Decimal;

use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

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
