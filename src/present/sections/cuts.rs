//! Section 3.6, Other cuts (analysis: [`crate::analysis::cuts`]): revenue by zone, segment, product
//! and salesperson, FY to date against the same period of FY-1.

use crate::analysis::CutKey;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

/// What a cut says: its largest key and its share of the revenue to date, and the key
/// that falls furthest against last year (when one falls).
fn cut_takeaway(
    b: &Builder<'_>,
    cut: &std::collections::BTreeMap<CutKey, crate::analysis::cuts::Cut>,
) -> Option<String> {
    let total = b.m.revenue.figures.total.0;
    let (top_key, top) = cut
        .iter()
        .filter(|(k, _)| matches!(k, CutKey::Named(_)))
        .max_by(|x, y| x.1.fy.cmp(&y.1.fy).then_with(|| y.0.cmp(x.0)))?;
    let share = crate::analysis::figures::ratio(top.fy.0, total)?;
    let head = b.tf(
        "report.cuts.takeaway_top",
        &[
            ("key", &b.cut_label(top_key)),
            ("share", &b.pct(Some(share))),
        ],
    );
    let falling = cut
        .iter()
        .filter(|(k, _)| matches!(k, CutKey::Named(_)))
        .filter_map(|(k, c)| c.growth.filter(|g| g.0.is_sign_negative()).map(|g| (k, g)))
        .min_by(|x, y| x.1.0.cmp(&y.1.0).then_with(|| x.0.cmp(y.0)));
    Some(match falling {
        // The largest key is the one falling furthest: one clause says both.
        Some((k, g)) if k == top_key => b.tf(
            "report.cuts.takeaway_top_falling",
            &[("head", &head), ("growth", &b.growth(Some(g)))],
        ),
        Some((k, g)) => b.tf(
            "report.cuts.takeaway_falling",
            &[
                ("head", &head),
                ("key", &b.cut_label(k)),
                ("growth", &b.growth(Some(g))),
            ],
        ),
        None => b.tf("report.cuts.takeaway_growing", &[("head", &head)]),
    })
}

fn cut_table(
    b: &Builder<'_>,
    id: &str,
    caption: String,
    first: String,
    cut: &std::collections::BTreeMap<CutKey, crate::analysis::cuts::Cut>,
) -> Block {
    let mut entries: Vec<_> = cut.iter().collect();
    entries.sort_by(|x, y| y.1.fy.cmp(&x.1.fy).then_with(|| x.0.cmp(y.0)));
    let line = |label: String, c: &crate::analysis::cuts::Cut| {
        row(vec![
            cell(label),
            cell(b.money(c.fy)),
            cell(b.money(c.fy_1)),
            toned(b.growth(c.growth), growth_tone(c.growth)),
        ])
    };
    // The top `cuts_top_n` by FY revenue, then one row summing the rest: a long tail
    // of small keys hides the message (metrics.json keeps every key). A single key left
    // over is shown itself: "others (1)" would take the same row and say less.
    let top_n = b.e.settings.cuts_top_n;
    let rest = if entries.len() > top_n + 1 {
        entries.split_off(top_n)
    } else {
        Vec::new()
    };
    let mut rows: Vec<Row> = entries
        .into_iter()
        .map(|(k, c)| line(b.cut_label(k), c))
        .collect();
    if !rest.is_empty() {
        let fy: rust_decimal::Decimal = rest.iter().map(|(_, c)| c.fy.0).sum();
        let fy_1: rust_decimal::Decimal = rest.iter().map(|(_, c)| c.fy_1.0).sum();
        let others = crate::analysis::cuts::Cut {
            fy: crate::analysis::figures::Money(fy),
            fy_1: crate::analysis::figures::Money(fy_1),
            growth: crate::analysis::figures::growth(fy, fy_1),
            ..Default::default()
        };
        rows.push(line(
            b.tf("report.cuts.others", &[("count", &b.count(rest.len()))]),
            &others,
        ));
    }
    // The caption names the cut, then says what it shows.
    let caption = match cut_takeaway(b, cut) {
        Some(takeaway) => b.tf(
            "report.cuts.caption_takeaway",
            &[("caption", &caption), ("takeaway", &takeaway)],
        ),
        None => caption,
    };
    Block::Table(Table {
        id: id.to_string(),
        caption,
        columns: vec![
            col(first, Align::Left),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.same_period_fy_1"), Align::Right),
            col(b.t("report.col.growth"), Align::Right),
        ],
        rows,
        note: None,
    })
}

pub(crate) fn cuts_section(b: &Builder<'_>) -> Section {
    let c = &b.m.revenue.cuts;
    let mut blocks = vec![Block::Paragraph {
        text: b.t("report.cuts.intro"),
    }];
    if c.by_zone.is_empty() {
        blocks.push(b.unavailable("zones"));
    } else {
        let mut zones: Vec<_> = c.by_zone.iter().collect();
        zones.sort_by(|x, y| y.1.fy.cmp(&x.1.fy).then_with(|| x.0.cmp(y.0)));
        let title = cut_takeaway(b, &c.by_zone)
            .map_or_else(|| b.t("report.cuts.zone_chart"), |t| b.cap(&t));
        blocks.push(b.chart(
            "revenue-by-zone",
            title,
            b.tf(
                "report.cuts.zone_alt",
                &[("zone", zones.first().map_or("", |z| z.0.as_str()))],
            ),
            ChartSpec::Bars {
                categories: zones.iter().map(|(k, _)| b.cut_label(k)).collect(),
                series: vec![
                    Series {
                        name: b.t("report.series.fy_1_to_date"),
                        role: SeriesRole::Comparison,
                        values: zones.iter().map(|(_, z)| Some(f64_of(z.fy_1.0))).collect(),
                    },
                    Series {
                        name: b.t("report.series.fy_to_date"),
                        role: SeriesRole::Primary,
                        values: zones.iter().map(|(_, z)| Some(f64_of(z.fy.0))).collect(),
                    },
                ],
                unit: ValueUnit::Money,
                horizontal: true,
                reference: None,
            },
        ));
        blocks.push(cut_table(
            b,
            "cut-zone",
            b.t("report.cuts.zone_table"),
            b.t("report.col.zone"),
            &c.by_zone,
        ));
    }
    if !c.by_segment.is_empty() {
        blocks.push(cut_table(
            b,
            "cut-segment",
            b.t("report.cuts.segment_table"),
            b.t("report.col.segment"),
            &c.by_segment,
        ));
    }
    if !c.by_product.is_empty() {
        blocks.push(cut_table(
            b,
            "cut-product",
            b.t("report.cuts.product_table"),
            b.t("report.col.product"),
            &c.by_product,
        ));
    }
    if !c.by_rep.is_empty() {
        // Rows are sorted by the name shown ("Jeanne Dupont (JD)"), not the id.
        let named: std::collections::BTreeMap<CutKey, crate::analysis::cuts::Cut> = c
            .by_rep
            .iter()
            .map(|(k, v)| {
                let shown = match k {
                    CutKey::Named(rep) => CutKey::named(&b.rep_name(rep)),
                    CutKey::Unknown => CutKey::Unknown,
                };
                (shown, v.clone())
            })
            .collect();
        blocks.push(cut_table(
            b,
            "cut-rep",
            b.t("report.cuts.rep_table"),
            b.t("report.col.salesperson"),
            &named,
        ));
    }
    section(
        "diagnostic-cuts",
        b.t("report.sections.cuts"),
        2,
        blocks,
        vec![],
    )
}
