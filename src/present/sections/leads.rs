//! Section 3.3, Leads and conversion (analysis: [`crate::analysis::leads`]): by source, conversion
//! against the overall rate, the funnel, prescribers.

use crate::analysis::figures::Money;
use crate::analysis::leads::LeadStats;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::LeadSource;

fn lead_row(
    b: &Builder<'_>,
    label: String,
    s: &LeadStats,
    cost: Option<Money>,
    emphasis: bool,
) -> Row {
    Row {
        cells: vec![
            cell(label),
            cell(b.count_opt(s.count)),
            cell(b.count_opt(s.qualified)),
            cell(b.count_opt(s.won)),
            cell(b.pct(s.conversion_rate)),
            cell(b.pct(s.win_rate)),
            cell(b.money_opt(s.won_value)),
            cell(b.money_cents(cost)),
            cell(b.quantity(s.median_cycle_days, 0)),
        ],
        emphasis,
    }
}

pub(crate) fn leads_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let l = &m.leads;
    let mut blocks = Vec::new();
    if b.e.leads.is_none() {
        blocks.push(b.unavailable("leads"));
        return section(
            "diagnostic-leads",
            b.t("report.sections.leads"),
            2,
            blocks,
            vec![],
        );
    }
    blocks.push(Block::Paragraph {
        text: b.tf(
            "report.leads.intro",
            &[
                ("count", &b.count_opt(l.total.stats.count)),
                ("won", &b.count_opt(l.total.stats.won)),
                ("conversion", &b.pct(l.total.stats.conversion_rate)),
            ],
        ),
    });
    // Deals won and new clients are both headline figures, and never equal: say why
    // where the reader meets them side by side.
    if let Some(won) = l.total.stats.won
        && won != b.m.clients.new
    {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.leads.won_vs_new",
                &[("won", &b.count(won)), ("new", &b.count(b.m.clients.new))],
            ),
        });
    }
    let mut rows: Vec<Row> = l
        .by_source
        .iter()
        .filter(|(_, s)| s.stats.count.unwrap_or(0) > 0)
        .map(|(src, s)| {
            lead_row(
                b,
                b.cap(&b.source_label(*src)),
                &s.stats,
                s.cost_per_lead,
                false,
            )
        })
        .collect();
    rows.push(lead_row(
        b,
        b.cap(&b.t("source.total")),
        &l.total.stats,
        l.total.cost_per_lead,
        true,
    ));
    blocks.push(Block::Table(Table {
        id: "leads-by-source".into(),
        caption: b.t("report.leads.table"),
        columns: vec![
            col(b.t("report.col.source"), Align::Left),
            col(b.t("report.col.leads"), Align::Right),
            col(b.t("report.col.qualified"), Align::Right),
            col(b.t("report.col.won"), Align::Right),
            col(b.t("report.col.conversion"), Align::Right),
            col(b.t("report.col.win_rate"), Align::Right),
            col(b.t("report.col.won_value"), Align::Right),
            col(b.t("report.col.cost_per_lead"), Align::Right),
            col(b.t("report.col.cycle_days"), Align::Right),
        ],
        rows,
        note: Some(b.t("report.leads.table_note")),
    }));

    let sources: Vec<(&LeadSource, &crate::analysis::leads::SourceStats)> = l
        .by_source
        .iter()
        .filter(|(_, s)| s.stats.count.unwrap_or(0) > 0)
        .collect();
    // The takeaway: the source that converts best, against the overall rate.
    let best = sources
        .iter()
        .filter_map(|(s, st)| st.stats.conversion_rate.map(|r| (*s, r)))
        .max_by(|x, y| x.1.0.cmp(&y.1.0));
    let title = match (best, l.total.stats.conversion_rate) {
        (Some((s, r)), Some(overall)) => b.tf(
            "report.leads.conversion_takeaway",
            &[
                ("source", &b.cap(&b.source_label(*s))),
                ("rate", &b.pct(Some(r))),
                ("overall", &b.pct(Some(overall))),
            ],
        ),
        _ => b.t("report.leads.conversion_chart"),
    };
    blocks.push(
        b.chart(
            "conversion-by-source",
            title,
            b.tf(
                "report.leads.conversion_alt",
                &[("overall", &b.pct(l.total.stats.conversion_rate))],
            ),
            ChartSpec::Bars {
                categories: sources
                    .iter()
                    .map(|(s, _)| b.cap(&b.source_label(**s)))
                    .collect(),
                series: vec![Series {
                    name: b.t("report.col.conversion"),
                    role: SeriesRole::Primary,
                    values: sources
                        .iter()
                        .map(|(_, s)| s.stats.conversion_rate.map(|r| f64_of(r.0)))
                        .collect(),
                }],
                unit: ValueUnit::Percent,
                horizontal: true,
                reference: l.total.stats.conversion_rate.map(|r| Reference {
                    value: f64_of(r.0),
                    label: b.tf("report.leads.overall", &[("rate", &b.pct(Some(r)))]),
                }),
            },
        ),
    );

    let f = &l.funnel;
    let counts: Vec<u64> = [f.new, f.contacted, f.qualified, f.proposal, f.won]
        .iter()
        .map(|c| c.unwrap_or(0) as u64)
        .collect();
    // The takeaway: the conversion, and the step where most leads drop out.
    let stages = ["new", "contacted", "qualified", "proposal", "won"];
    let reached = [f.new, f.contacted, f.qualified, f.proposal, f.won];
    let steepest = (0..stages.len() - 1)
        .filter_map(|i| {
            let (from, to) = (reached[i]?, reached[i + 1]?);
            let lost = crate::analysis::figures::ratio(
                rust_decimal::Decimal::from(from.saturating_sub(to) as u64),
                rust_decimal::Decimal::from(from as u64),
            )?;
            Some((i, lost))
        })
        .max_by(|x, y| x.1.0.cmp(&y.1.0).then(y.0.cmp(&x.0)));
    let funnel_title = match (steepest, l.total.stats.conversion_rate) {
        (Some((i, lost)), Some(rate)) => b.tf(
            "report.leads.funnel_takeaway",
            &[
                ("new", &b.count_opt(f.new)),
                ("won", &b.count_opt(f.won)),
                ("rate", &b.pct(Some(rate))),
                ("from", &b.t(&format!("stage.{}", stages[i]))),
                ("to", &b.t(&format!("stage.{}", stages[i + 1]))),
                ("lost", &b.pct(Some(lost))),
            ],
        ),
        _ => b.t("report.leads.funnel_chart"),
    };
    blocks.push(
        b.chart(
            "funnel",
            funnel_title,
            b.tf(
                "report.leads.funnel_alt",
                &[("new", &b.count_opt(f.new)), ("won", &b.count_opt(f.won))],
            ),
            ChartSpec::Funnel {
                stages: ["new", "contacted", "qualified", "proposal", "won"]
                    .iter()
                    .map(|s| b.cap(&b.t(&format!("stage.{s}"))))
                    .collect(),
                counts,
            },
        ),
    );

    if !l.prescribers.is_empty() {
        let rows = l
            .prescribers
            .iter()
            .take(b.e.settings.top_n)
            .map(|p| {
                row(vec![
                    cell(p.prescriber.clone()),
                    cell(b.count(p.leads)),
                    cell(b.count(p.won)),
                    cell(b.money(p.won_value)),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "prescribers".into(),
            caption: b.t("report.leads.prescribers_table"),
            columns: vec![
                col(b.t("report.col.prescriber"), Align::Left),
                col(b.t("report.col.leads"), Align::Right),
                col(b.t("report.col.won"), Align::Right),
                col(b.t("report.col.won_value"), Align::Right),
            ],
            rows,
            note: None,
        }));
    }
    section(
        "diagnostic-leads",
        b.t("report.sections.leads"),
        2,
        blocks,
        vec![],
    )
}
