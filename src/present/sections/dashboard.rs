//! Section 2, the dashboard (deliverable.md, "Dashboard (one page)"): every headline
//! indicator of the method on one page, revenue and the 3 CA, leads and conversion,
//! clients won and lost, each with its actual to date, objective, year-end landing and
//! last year, as bullet charts marked with the share of the year elapsed, then the
//! same figures in a table.
//!
//! Nothing is computed here: every figure is the assessment's (the objective lines and
//! their landing by `projection_method`, the revenue figures), written by the builder's
//! formatters, so the dashboard says what the tables and metrics.json say.

use rust_decimal::Decimal;

use crate::analysis::figures::{Money, Rate};
use crate::analysis::objectives::{Figure, ObjectiveKey, ObjectiveLine, RevenueObjective, Unit};
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

/// One indicator, before it becomes a bullet row and a table row.
struct Indicator {
    label: String,
    unit: Unit,
    actual: Option<Figure>,
    line: Option<ObjectiveLine>,
    /// The landing when the indicator has no objective line (the revenue total).
    landing: Option<Figure>,
    last_year: Option<Money>,
    last_year_full: Option<Money>,
    /// Overrides the status (clients lost: the revenue they took with them).
    status: Option<(String, Tone)>,
}

impl Indicator {
    fn new(label: String, unit: Unit, actual: Option<Figure>) -> Indicator {
        Indicator {
            label,
            unit,
            actual,
            line: None,
            landing: None,
            last_year: None,
            last_year_full: None,
            status: None,
        }
    }

    fn landing(&self) -> Option<Figure> {
        self.line
            .as_ref()
            .and_then(|l| l.landing())
            .or(self.landing)
    }
}

pub(crate) fn dashboard(b: &Builder<'_>) -> Section {
    let m = b.m;
    let r = &m.revenue.figures;
    let elapsed = b.fmt.elapsed(m.elapsed_share.0);
    let mut indicators = Vec::new();
    let mut left_out = Vec::new();

    // Last year's figures exist only where the sales cover it.
    let last_year = |v: Money| (r.previous_total.0 > Decimal::ZERO).then_some(v);
    let mut revenue = Indicator::new(
        b.t("report.kpi.revenue"),
        Unit::Money,
        Some(Figure::Money(r.total)),
    );
    revenue.line = b
        .objective(&ObjectiveKey::Revenue(RevenueObjective::Total))
        .cloned();
    revenue.landing = b.revenue_landing().map(Figure::Money);
    revenue.last_year = last_year(r.previous_to_date);
    revenue.last_year_full = last_year(r.previous_total);
    indicators.push(revenue);
    for (category, amount) in [
        (RevenueObjective::Conquest, r.conquest),
        (RevenueObjective::Retention, r.retention),
        (RevenueObjective::Reconquest, r.reconquest),
    ] {
        let mut i = Indicator::new(
            b.t(&format!("report.kpi.{}", category.name())),
            Unit::Money,
            Some(Figure::Money(amount)),
        );
        i.line = b.objective(&ObjectiveKey::Revenue(category)).cloned();
        indicators.push(i);
    }
    if b.e.leads.is_some() {
        let stats = &m.leads.total.stats;
        let mut leads = Indicator::new(
            b.t("report.dashboard.leads"),
            Unit::Count,
            stats.count.map(Figure::Count),
        );
        leads.line = b.objective(&ObjectiveKey::Leads).cloned();
        indicators.push(leads);
        let mut conversion = Indicator::new(
            b.t("report.kpi.conversion"),
            Unit::Rate,
            stats.conversion_rate.map(Figure::Rate),
        );
        conversion.line = b.objective(&ObjectiveKey::ConversionRate).cloned();
        indicators.push(conversion);
    } else {
        left_out.push(b.t("report.dashboard.no_leads"));
    }
    let mut won = Indicator::new(
        b.t("report.dashboard.new_clients"),
        Unit::Count,
        Some(Figure::Count(m.clients.new)),
    );
    won.line = b.objective(&ObjectiveKey::NewClients).cloned();
    indicators.push(won);
    let mut lost = Indicator::new(
        b.t("report.dashboard.lost_clients"),
        Unit::Count,
        Some(Figure::Count(m.clients.lost)),
    );
    lost.status = Some((
        b.tf(
            "report.dashboard.lost_status",
            &[("amount", &b.compact(r.lost))],
        ),
        if m.clients.lost > 0 {
            Tone::Warning
        } else {
            Tone::Neutral
        },
    ));
    indicators.push(lost);

    let rows: Vec<Bullet> = indicators.iter().map(|i| bullet(b, i)).collect();
    let mut blocks = vec![Block::Paragraph {
        text: b.tf(
            "report.dashboard.intro",
            &[("date", &b.date(m.as_of)), ("elapsed", &elapsed)],
        ),
    }];
    blocks.push(b.chart(
        "dashboard",
        takeaway(b, &indicators),
        b.tf("report.dashboard.alt", &[("elapsed", &elapsed)]),
        ChartSpec::Bullets {
            rows,
            elapsed: f64_of(m.elapsed_share.0),
            elapsed_label: b.tf("report.dashboard.elapsed", &[("elapsed", &elapsed)]),
            legend: legend(b),
        },
    ));
    blocks.push(Block::Table(table(b, &indicators)));
    if b.has_unavailable("revenue.categories") {
        left_out.push(b.t("report.missing.revenue_categories"));
    }
    for text in left_out {
        blocks.push(Block::Unavailable { text });
    }
    section(
        "dashboard",
        b.t("report.sections.dashboard"),
        1,
        blocks,
        vec![],
    )
}

/// The names of the bullet marks, shared by the dashboard and the 3 CA chart.
pub(crate) fn legend(b: &Builder<'_>) -> BulletLegend {
    BulletLegend {
        actual: b.t("report.series.actual"),
        projection: b.t("report.series.projection"),
        objective: b.t("report.series.objective"),
        last_year: b.t("report.series.fy_1_to_date"),
        last_year_full: b.t("report.series.fy_1"),
    }
}

fn number(f: Option<Figure>) -> Option<f64> {
    f.map(|f| f64_of(f.value()))
}

fn money(m: Option<Money>) -> Option<f64> {
    m.map(|m| f64_of(m.0))
}

/// What a row says at its right, and how it reads: the achievement to date and at year
/// end against the objective; else the change on last year.
fn status(b: &Builder<'_>, i: &Indicator) -> (String, Tone) {
    if let Some(s) = &i.status {
        return s.clone();
    }
    match &i.line {
        Some(line) if line.unit == Unit::Rate => (
            b.tf(
                "report.dashboard.status_rate",
                &[("achievement", &b.pct(line.achievement))],
            ),
            achievement_tone(line.achievement),
        ),
        Some(line) => match line.projected_achievement() {
            Some(projected) => (
                b.tf(
                    "report.dashboard.status",
                    &[
                        ("achievement", &b.pct(line.achievement)),
                        ("projected", &b.pct(Some(projected))),
                    ],
                ),
                achievement_tone(Some(projected)),
            ),
            None => (
                b.tf(
                    "report.dashboard.status_rate",
                    &[("achievement", &b.pct(line.achievement))],
                ),
                achievement_tone(line.achievement),
            ),
        },
        None => match (i.actual, i.last_year) {
            (Some(Figure::Money(a)), Some(ly)) => {
                let growth = crate::analysis::figures::growth(a.0, ly.0);
                (
                    b.tf(
                        "report.dashboard.status_growth",
                        &[("growth", &b.growth(growth))],
                    ),
                    growth_tone(growth),
                )
            }
            _ => (b.t("report.dashboard.no_objective"), Tone::Neutral),
        },
    }
}

fn bullet(b: &Builder<'_>, i: &Indicator) -> Bullet {
    let (status, tone) = status(b, i);
    Bullet {
        label: i.label.clone(),
        value: b.figure(i.actual, i.unit),
        actual: number(i.actual),
        objective: number(i.line.as_ref().map(|l| l.target)),
        projection: match i.unit {
            Unit::Rate => None,
            _ => number(i.landing()),
        },
        last_year: money(i.last_year),
        last_year_full: money(i.last_year_full),
        cumulative: i.unit != Unit::Rate,
        status,
        tone,
    }
}

/// The chart's title: how many indicators would reach their objective, and the one
/// furthest behind at year end.
fn takeaway(b: &Builder<'_>, indicators: &[Indicator]) -> String {
    let judged: Vec<(&Indicator, Rate)> = indicators
        .iter()
        .filter_map(|i| {
            let line = i.line.as_ref()?;
            let r = match line.unit {
                Unit::Rate => line.achievement,
                _ => line.projected_achievement(),
            }?;
            Some((i, r))
        })
        .collect();
    let Some((worst, worst_rate)) = judged.iter().min_by(|x, y| x.1.0.cmp(&y.1.0)) else {
        return b.t("report.dashboard.chart");
    };
    if judged.len() == 1 {
        return b.tf(
            "report.dashboard.takeaway_single",
            &[
                ("label", &worst.label),
                ("projected", &b.pct(Some(*worst_rate))),
            ],
        );
    }
    let reached = judged.iter().filter(|(_, r)| r.0 >= Decimal::ONE).count();
    if worst_rate.0 >= Decimal::ONE {
        return b.tf(
            "report.dashboard.takeaway_all",
            &[("count", &b.count(judged.len()))],
        );
    }
    // "0 indicateurs … atteindraient" reads wrong: none and one have their own sentence.
    let key = match reached {
        0 => "report.dashboard.takeaway_none",
        1 => "report.dashboard.takeaway_one",
        _ => "report.dashboard.takeaway",
    };
    b.tf(
        key,
        &[
            ("reached", &b.count(reached)),
            ("count", &b.count(judged.len())),
            ("label", &worst.label),
            ("projected", &b.pct(Some(*worst_rate))),
        ],
    )
}

/// The dashboard's figures, written as every other table writes them.
fn table(b: &Builder<'_>, indicators: &[Indicator]) -> Table {
    let not_projected = b.t("report.dashboard.not_projected");
    let rows = indicators
        .iter()
        .map(|i| {
            let line = i.line.as_ref();
            let projected = line.and_then(|l| match l.unit {
                Unit::Rate => l.achievement,
                _ => l.projected_achievement(),
            });
            // "—" where the figure does not exist (no objective set, a rate's
            // projection), "n.d." where it exists but cannot be computed.
            let landing = match (i.unit, i.landing(), line) {
                (Unit::Rate, _, _) | (_, None, None) => not_projected.clone(),
                (_, landing, _) => b.landing(landing, i.unit),
            };
            row(vec![
                cell(i.label.clone()),
                cell(b.figure(i.actual, i.unit)),
                cell(line.map_or_else(
                    || not_projected.clone(),
                    |l| b.figure(Some(l.target), l.unit),
                )),
                cell(landing),
                toned(
                    match (line, projected) {
                        (None, _) => not_projected.clone(),
                        (Some(_), r) => b.pct(r),
                    },
                    if line.is_some() {
                        achievement_tone(projected)
                    } else {
                        Tone::Neutral
                    },
                ),
                cell(last_year_cell(b, i.last_year)),
                cell(last_year_cell(b, i.last_year_full)),
            ])
        })
        .collect();
    Table {
        id: "dashboard".into(),
        caption: b.t("report.dashboard.table"),
        columns: vec![
            col(b.t("report.col.kpi"), Align::Left),
            col(b.t("report.col.actual"), Align::Right),
            col(b.t("report.col.objective"), Align::Right),
            col(b.t("report.col.projection"), Align::Right),
            col(b.t("report.col.projected_achievement"), Align::Right),
            col(b.t("report.col.same_period_fy_1"), Align::Right),
            col(b.t("report.col.fy_1_full"), Align::Right),
        ],
        rows,
        note: Some(b.tf(
            "report.dashboard.note",
            &[("method", &b.projection_method_sentence())],
        )),
    }
}

/// Last year's cell: "—" for indicators without a last-year figure (counts, the 3 CA):
/// the figure is not missing, it is not measured.
fn last_year_cell(b: &Builder<'_>, value: Option<Money>) -> String {
    value.map_or_else(|| b.t("report.dashboard.not_measured"), |v| b.money(v))
}

/// A revenue figure as a bullet row against its objective line: the 3 CA chart of the
/// revenue section draws its rows as the dashboard does.
pub(crate) fn revenue_bullet(
    b: &Builder<'_>,
    label: String,
    amount: Money,
    line: Option<&ObjectiveLine>,
) -> Bullet {
    let mut i = Indicator::new(label, Unit::Money, Some(Figure::Money(amount)));
    i.line = line.cloned();
    bullet(b, &i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Measured;
    use crate::engagement::Engagement;

    fn vidal() -> (Engagement, Measured) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let e = crate::engagement::load(&root.join("engagements/vidal-equipements"), Some(root))
            .engagement
            .expect("example loads");
        let (m, _) = crate::assess::measure(&e);
        (e, m)
    }

    fn rows(b: &Builder<'_>, section: &Section) -> Vec<Bullet> {
        assert!(matches!(section.blocks[1], Block::Chart { .. }));
        let charts = b.charts.borrow();
        match &charts.iter().find(|c| c.id == "dashboard").unwrap().spec {
            ChartSpec::Bullets { rows, .. } => rows.clone(),
            _ => panic!("the dashboard is a bullet chart"),
        }
    }

    #[test]
    fn a_rate_is_drawn_without_projection_and_the_landing_is_the_assessments() {
        let (e, m) = vidal();
        let b = Builder::new(&e, &m);
        let section = dashboard(&b);
        let rows = rows(&b, &section);
        assert_eq!(rows.len(), 8, "revenue, 3 CA, leads, conversion, won, lost");
        let conversion = rows.iter().find(|r| r.value.contains('%')).unwrap();
        assert_eq!(conversion.projection, None, "no projection, not a zero");
        assert!(!conversion.cumulative, "no elapsed-year marker on a rate");
        let landing = b
            .objective(&ObjectiveKey::Revenue(RevenueObjective::Total))
            .and_then(|o| o.landing())
            .unwrap();
        assert_eq!(rows[0].projection, Some(f64_of(landing.value())));
        assert_eq!(
            rows[0].last_year,
            Some(f64_of(m.metrics.revenue.figures.previous_to_date.0))
        );
        assert!(rows.iter().filter(|r| r.cumulative).count() == 7);
    }

    #[test]
    fn without_a_leads_file_leads_and_conversion_are_left_out_with_the_reason() {
        let (mut e, _) = vidal();
        e.leads = None;
        let (m, _) = crate::assess::measure(&e);
        let b = Builder::new(&e, &m);
        let section = dashboard(&b);
        assert_eq!(rows(&b, &section).len(), 6);
        let reasons: Vec<&str> = section
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Unavailable { text } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(reasons, [b.t("report.dashboard.no_leads")]);
    }
}
