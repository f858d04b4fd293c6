//! Section 2, Synthèse: headline tiles, the top improvement points, the consultant's summary.

use rust_decimal::Decimal;

use crate::analysis::figures::{Rate, ratio};
use crate::analysis::objectives::{ObjectiveKey, RevenueObjective};
use crate::engagement::NoteSection;
use crate::engagement::ProjectionMethod;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;

/// 2. Synthèse: headline tiles, the top findings, the consultant's summary.
pub(crate) fn synthesis(b: &Builder<'_>) -> Section {
    let m = b.m;
    let r = &m.revenue.figures;
    let mut tiles = vec![Kpi {
        label: b.t("report.kpi.revenue"),
        value: b.compact(r.total),
        detail: Some(b.tf(
            "report.kpi.revenue_detail",
            &[
                ("growth", &b.growth(r.growth)),
                // In full: last year's "2,7 M€" under this year's "2,7 M€" said nothing.
                ("previous", &b.money(r.previous_to_date)),
            ],
        )),
        tone: growth_tone(r.growth),
        progress: b
            .objective(&ObjectiveKey::Revenue(RevenueObjective::Total))
            .and_then(|o| o.achievement)
            .map(|a| f64_of(a.0)),
    }];
    for (category, amount) in [
        (RevenueObjective::Conquest, r.conquest),
        (RevenueObjective::Retention, r.retention),
        (RevenueObjective::Reconquest, r.reconquest),
    ] {
        let key = category.name();
        let objective = b.objective(&ObjectiveKey::Revenue(category));
        let detail = match objective {
            Some(o) => b.tf(
                "report.kpi.vs_objective",
                &[
                    ("objective", &b.figure(Some(o.target), o.unit)),
                    ("projection", &b.landing(o.landing(), o.unit)),
                ],
            ),
            None => b.tf(
                "report.kpi.share_of_revenue",
                &[(
                    "share",
                    &b.pct(crate::analysis::figures::ratio(amount.0, r.total.0)),
                )],
            ),
        };
        let projection_ratio = objective.and_then(|o| o.projected_achievement());
        tiles.push(Kpi {
            label: b.t(&format!("report.kpi.{key}")),
            value: b.compact(amount),
            detail: Some(detail),
            tone: achievement_tone(projection_ratio),
            progress: objective.and_then(|o| o.achievement).map(|a| f64_of(a.0)),
        });
    }
    let conversion = m.leads.total.stats.conversion_rate;
    let conversion_objective = b.objective(&ObjectiveKey::ConversionRate);
    tiles.push(Kpi {
        label: b.t("report.kpi.conversion"),
        value: b.pct(conversion),
        detail: Some(match conversion_objective {
            Some(o) => b.tf(
                "report.kpi.objective",
                &[("objective", &b.figure(Some(o.target), o.unit))],
            ),
            None => b.tf(
                "report.kpi.leads_count",
                &[("count", &b.count_opt(m.leads.total.stats.count))],
            ),
        }),
        tone: conversion_objective.map_or(Tone::Neutral, |o| achievement_tone(o.achievement)),
        progress: None,
    });
    let new_objective = b.objective(&ObjectiveKey::NewClients);
    tiles.push(Kpi {
        label: b.t("report.kpi.new_clients"),
        value: b.count(m.clients.new),
        detail: Some(match new_objective {
            Some(o) => b.tf(
                "report.kpi.vs_objective",
                &[
                    ("objective", &b.figure(Some(o.target), o.unit)),
                    ("projection", &b.landing(o.landing(), o.unit)),
                ],
            ),
            None => b.tf(
                "report.kpi.active_clients",
                &[("count", &b.count(m.clients.active))],
            ),
        }),
        tone: new_objective.map_or(Tone::Neutral, |o| {
            achievement_tone(o.projected_achievement())
        }),
        progress: new_objective
            .and_then(|o| o.achievement)
            .map(|a| f64_of(a.0)),
    });

    let mut intro = b.tf(
        "report.synthesis.intro",
        &[
            ("client", &b.e.info.client),
            ("date", &b.date(m.as_of)),
            ("elapsed", &b.fmt.elapsed(m.elapsed_share.0)),
        ],
    );
    if let Some(text) = reconciliation(b) {
        intro.push(' ');
        intro.push_str(&text);
    }
    let mut blocks = vec![
        Block::Paragraph { text: intro },
        Block::Kpis { tiles },
        // The tiles summarise; the dashboard that follows has the full picture.
        Block::Paragraph {
            text: b.tf(
                "report.synthesis.dashboard_link",
                &[("elapsed", &b.fmt.elapsed(m.elapsed_share.0))],
            ),
        },
    ];
    // The change since the last recorded measurement, when there is one.
    blocks.extend(super::evolution::headline(b));
    blocks.extend(b.notes(NoteSection::Summary));
    if let Some(messages) = key_messages(b) {
        // The key messages come first: the page opens on what to do, then the figures.
        blocks.insert(1, messages);
    }
    section(
        "synthesis",
        b.t("report.sections.synthesis"),
        1,
        blocks,
        vec![],
    )
}

/// The growth to date and the year-end landing against last year, in one sentence, so
/// "+1,1 % to date" and a landing under last year's total never read as a
/// contradiction: with the seasonal projection both changes are the same by
/// construction; with the linear one, the gap is last year's season, said in figures.
fn reconciliation(b: &Builder<'_>) -> Option<String> {
    let r = &b.m.revenue.figures;
    let growth = r.growth?;
    let landing = b.revenue_landing()?;
    let landing_growth = ratio(landing.0, r.previous_total.0).map(|x| Rate(x.0 - Decimal::ONE));
    let previous_share = ratio(r.previous_to_date.0, r.previous_total.0);
    let values = [
        ("growth", b.growth(Some(growth))),
        ("landing", b.money(landing)),
        ("landing_growth", b.growth(landing_growth)),
        ("previous_total", b.money(r.previous_total)),
        ("previous_share", b.pct(previous_share)),
        ("elapsed", b.fmt.elapsed(b.m.elapsed_share.0)),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Some(match b.m.projection_method {
        ProjectionMethod::Seasonal => b.tf("report.synthesis.reconcile_seasonal", &values),
        ProjectionMethod::Linear if previous_share.is_some() => format!(
            "{} {}",
            b.tf("report.synthesis.reconcile_linear", &values),
            b.tf("report.synthesis.reconcile_linear_season", &values)
        ),
        ProjectionMethod::Linear => b.tf("report.synthesis.reconcile_linear", &values),
    })
}

/// How many key messages the synthesis states.
const KEY_MESSAGES: usize = 3;

/// Three key messages from the ranked findings: the first priced ones (a key message
/// states its money at stake), topped up with unpriced ones when fewer are priced.
fn key_messages(b: &Builder<'_>) -> Option<Block> {
    let findings = &b.a.findings;
    let mut chosen: Vec<&crate::assess::Finding> = findings
        .iter()
        .filter(|f| f.at_stake.is_some())
        .take(KEY_MESSAGES)
        .collect();
    for f in findings.iter().filter(|f| f.at_stake.is_none()) {
        if chosen.len() >= KEY_MESSAGES {
            break;
        }
        chosen.push(f);
    }
    // Keep the assessment's ranking among the chosen ones.
    chosen.sort_by_key(|f| findings.iter().position(|x| x.id == f.id));
    if chosen.is_empty() {
        return None;
    }
    let total: Decimal = chosen.iter().filter_map(|f| f.at_stake).map(|m| m.0).sum();
    let priced = chosen.iter().filter(|f| f.at_stake.is_some()).count();
    let items = chosen
        .iter()
        .map(|f| KeyMessage {
            finding: f.id.clone(),
            title: f.title.clone(),
            text: f.explanation.clone(),
            at_stake: f
                .at_stake
                .map(|m| b.tf("report.improvement.at_stake", &[("amount", &b.money(m))])),
            see: b.t("report.synthesis.see"),
        })
        .collect();
    Some(Block::KeyMessages {
        // "Trois messages clés" over two messages read as a mistake.
        title: b.t(match chosen.len() {
            1 => "report.synthesis.key_messages_one",
            2 => "report.synthesis.key_messages_two",
            _ => "report.synthesis.key_messages",
        }),
        items,
        total: (priced > 0).then(|| {
            b.tf(
                "report.synthesis.total_at_stake",
                &[
                    ("amount", &b.money(crate::analysis::figures::Money(total))),
                    ("count", &b.count(priced)),
                ],
            )
        }),
    })
}
