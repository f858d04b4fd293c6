//! Section 4, Points d'amélioration (assessment: [`crate::assess::findings`]): every finding with
//! its levers and whether the plan answers it; the synthesis shows the first ones.

use crate::assess::Finding;
use crate::assess::findings::Reason;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::{Language, Status};

/// A finding as the reader sees it, with its levers and whether the plan answers it.
fn finding_view(b: &Builder<'_>, f: &Finding) -> FindingView {
    let answering: Vec<&str> =
        b.a.actions
            .iter()
            .filter(|a| a.answers.iter().any(|x| x.covers(f)) && a.status != Status::Dropped)
            .map(|a| a.id.as_str())
            .collect();
    let lang = b.e.info.language;
    FindingView {
        id: f.id.clone(),
        rule: f.rule,
        severity: f.severity,
        severity_label: b.t(&format!("severity.{}", f.severity.name())),
        title: f.title.clone(),
        explanation: f.explanation.clone(),
        at_stake: f
            .at_stake
            .map(|m| b.tf("report.improvement.at_stake", &[("amount", &b.money(m))])),
        levers: f
            .levers
            .iter()
            .filter_map(|id| b.e.texts.levers().get(id).map(|l| (id, l)))
            .map(|(id, l)| {
                let text = match lang {
                    Language::Fr => &l.fr,
                    Language::En => &l.en,
                };
                let fitted = text
                    .fit
                    .get(f.rule.name())
                    .map(|s| s.replace("{subject}", &f.subject.label))
                    .unwrap_or_else(|| text.description.clone());
                LeverView {
                    id: id.clone(),
                    label: text.label.clone(),
                    description: fitted,
                }
            })
            .collect(),
        covered: !answering.is_empty(),
        coverage: if answering.is_empty() {
            b.t("report.plan.not_covered")
        } else {
            b.tf(
                "report.plan.covered_by",
                &[("actions", &answering.join(", "))],
            )
        },
    }
}

/// 4. Points d'amélioration.
pub(crate) fn improvement_points(b: &Builder<'_>) -> Section {
    let mut blocks = Vec::new();
    if b.a.findings.is_empty() {
        blocks.push(b.unavailable("findings"));
    } else {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.improvement.intro",
                &[("count", &b.count(b.a.findings.len()))],
            ),
        });
        blocks.push(Block::Findings {
            items: b.a.findings.iter().map(|f| finding_view(b, f)).collect(),
            full: true,
        });
    }
    blocks.extend(not_evaluated(b));
    top(
        "improvement",
        b.t("report.sections.improvement"),
        blocks,
        vec![],
    )
}

/// Which checks were not made and why, one sentence per reason: a rule that stays
/// silent for lack of data must not read as "nothing to improve".
fn not_evaluated(b: &Builder<'_>) -> Option<Block> {
    let skipped = &b.a.rules_not_evaluated;
    if skipped.is_empty() {
        return None;
    }
    let reasons: std::collections::BTreeSet<Reason> = skipped.iter().map(|n| n.reason).collect();
    let sentences: Vec<String> = reasons
        .into_iter()
        .map(|reason| {
            let checks: Vec<String> = skipped
                .iter()
                .filter(|n| n.reason == reason)
                .map(|n| {
                    let key = match &n.subject {
                        Some(subject) => format!("report.rule_checks.{}_{subject}", n.rule),
                        None => format!("report.rule_checks.{}", n.rule),
                    };
                    format!("{} ({})", b.t(&key), n.rule)
                })
                .collect();
            b.tf(
                &format!("report.not_evaluated.{}", reason.name()),
                &[
                    ("checks", &b.list(&checks)),
                    ("months", &b.count(b.e.settings.dormancy_months as usize)),
                ],
            )
        })
        .collect();
    Some(Block::Callout {
        tone: Tone::Neutral,
        title: b.t("report.not_evaluated.title"),
        text: sentences.join(" "),
    })
}

/// The annex describing, once, every lever the findings suggest: the cards show a short
/// tag and one fitted sentence, and the catalogue's paragraph lives here.
pub(crate) fn levers_annex(b: &Builder<'_>) -> Option<Section> {
    let mut ids: Vec<&str> = Vec::new();
    for f in &b.a.findings {
        for l in &f.levers {
            if !ids.contains(&l.as_str()) {
                ids.push(l);
            }
        }
    }
    if ids.is_empty() {
        return None;
    }
    let lang = b.e.info.language;
    let items = ids
        .into_iter()
        .filter_map(|id| b.e.texts.levers().get(id).map(|l| (id, l)))
        .map(|(id, l)| {
            let text = match lang {
                Language::Fr => &l.fr,
                Language::En => &l.en,
            };
            Definition {
                term: text.label.clone(),
                text: text.description.clone(),
                anchor: Some(format!("lever-{id}")),
            }
        })
        .collect();
    Some(Section {
        id: "annex-levers".into(),
        number: String::new(),
        title: b.t("report.improvement.levers_annex"),
        level: 2,
        blocks: vec![
            Block::Paragraph {
                text: b.t("report.improvement.levers_annex_intro"),
            },
            Block::Definitions { items },
        ],
        children: vec![],
    })
}
