//! `plan.toml`: the specific action plan ("plan d'action commerciale") and, for external
//! growth, the acquisition targets.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::toml_reader::{Sourced, TomlFile};
use crate::rules::RULES;
use crate::vocab::{Integration, Status, Vocabulary, vocabulary};

vocabulary! {
    /// Which way an action's KPI should move: up to its target (`at_least`, the default)
    /// or down to it (`at_most`: an admin time share, a cost per lead).
    Goal, "goal" {
        AtLeast = "at_least" ["au_moins", "au_minimum", "minimum", "min"],
        AtMost = "at_most" ["au_plus", "au_maximum", "maximum", "max"],
    }
}

/// One action of the plan.
#[derive(Debug, Clone)]
pub struct Action {
    pub id: Sourced<String>,
    pub title: String,
    /// A lever id of the catalogue.
    pub lever: Option<String>,
    pub owner: Option<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// What this action answers: rule ids (every finding of the rule) or finding ids.
    pub answers: Vec<Sourced<String>>,
    /// A path in metrics.json; resolved (and reported if unknown) by the assessment,
    /// which is why it keeps its origin.
    pub kpi: Option<Sourced<String>>,
    pub target: Option<Decimal>,
    /// Whether the KPI should reach at least or at most its target.
    pub goal: Goal,
    pub status: Status,
    pub notes: Option<String>,
    /// What the action costs over the year, in the engagement's currency (v1.1).
    pub budget: Option<Decimal>,
}

/// One external growth target.
#[derive(Debug, Clone)]
pub struct Acquisition {
    pub name: String,
    pub integration: Integration,
    pub revenue: Option<Decimal>,
    pub zone: Option<String>,
    /// 1-5 scores.
    pub fit: Option<u8>,
    pub synergy: Option<u8>,
    pub risk: Option<u8>,
    pub notes: Option<String>,
}

/// A lever the client already tried without effect (`[[tried]]`): findings no longer
/// suggest it.
#[derive(Debug, Clone)]
pub struct TriedLever {
    pub lever: String,
    /// When, in the consultant's words ("2022-2024").
    pub when: Option<String>,
    /// What came of it ("an SEO agency for three years, two leads a year").
    pub outcome: Option<String>,
}

/// Everything `plan.toml` says.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub acquisitions: Vec<Acquisition>,
    pub tried: Vec<TriedLever>,
}

pub fn read(file: &TomlFile<'_>) -> Plan {
    let doc = file.parse();
    let root = file.root(&doc);
    let mut plan = Plan::default();

    for t in root.tables("action") {
        let id = t.required_string("id", "\"A1\"");
        let title = t.required_string("title", "\"Programme de prescription\"");
        let lever = t.string("lever").and_then(|l| checked_lever(file, l));
        let owner = t.string("owner").map(|s| s.value);
        let start = t.date("start");
        let due = t.date("due");
        let answers: Vec<Sourced<String>> = t
            .strings("answers")
            .into_iter()
            .filter_map(|a| {
                // A rule (`R8`: every finding of that rule) or one finding (`R8-jd`):
                // which findings exist is known only once the data is analysed, where
                // a finding id is checked.
                let rule = a.value.split_once('-').map_or(a.value.as_str(), |(r, _)| r);
                // A finding id is a rule and what it is about (a salesperson id, a
                // source): letters, digits and `-_.`, of a sane length, as the report shows it.
                let plausible = a.value.len() <= 120
                    && a.value.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
                if !plausible {
                    file.report(
                        a.origin
                            .error("not a rule or finding id")
                            .label("expected a rule id such as `R8` or a finding id such as `R8-SL`, as the report shows it"),
                    );
                    return None;
                }
                if RULES.iter().any(|r| r.id == rule) {
                    Some(a)
                } else {
                    file.report(
                        a.origin
                            .error(format!("unknown rule `{rule}`"))
                            .label(
                                "expected a rule id from R1 to R10, or a finding id such as \
                                 `R8-jd` (shown beside each finding in the report)",
                            )
                            .suggest(rule, RULES.iter().map(|r| r.id)),
                    );
                    None
                }
            })
            .collect();
        let kpi = t.string("kpi");
        let target = t.decimal("target").map(|d| d.value);
        let goal = t.word::<Goal>("goal").map_or(Goal::AtLeast, |g| g.value);
        let status = t
            .word::<Status>("status")
            .map_or(Status::Planned, |s| s.value);
        let notes = t.string("notes").map(|s| s.value);
        let budget = t.decimal("budget").and_then(|d| {
            if d.value < Decimal::ZERO {
                file.report(
                    d.origin
                        .error("an action's `budget` cannot be negative")
                        .label("expected what the action costs over the year, such as `12_000`"),
                );
                None
            } else {
                Some(d.value)
            }
        });
        t.finish();

        if let (Some(s), Some(d)) = (&start, &due)
            && d.value < s.value
        {
            file.report(
                d.origin
                    .error("`due` is before `start`")
                    .label(format!("the action starts on {}", s.value)),
            );
        }
        if let (Some(kpi), None) = (&kpi, &target) {
            file.report(
                kpi.origin
                    .error("an action with a `kpi` needs a `target`")
                    .help("add `target = ...`, the value the KPI should reach by the end of the fiscal year"),
            );
        }
        let (Some(id), Some(title)) = (id, title) else {
            continue;
        };
        if let Some(first) = plan.actions.iter().find(|a| a.id.value == id.value) {
            file.report(
                id.origin
                    .error(format!("action id `{}` is used twice", id.value))
                    .note(format!(
                        "first used on line {}",
                        first.id.origin.location.line
                    )),
            );
            continue;
        }
        plan.actions.push(Action {
            id,
            title: title.value,
            lever,
            owner,
            start: start.map(|d| d.value),
            due: due.map(|d| d.value),
            answers,
            kpi,
            target,
            goal,
            status,
            notes,
            budget,
        });
    }

    for t in root.tables("acquisition") {
        let name = t.required_string("name", "\"Dupuis Fournitures\"");
        let integration = match t.get("integration") {
            Some(_) => t.word::<Integration>("integration"),
            None => {
                t.missing("integration", "\"horizontal\"");
                None
            }
        };
        let revenue = t.amount("revenue").map(|d| d.value);
        let zone = t.string("zone").map(|s| s.value);
        let score = |key: &'static str| t.integer(key, 1..6).map(|s| s.value as u8);
        let fit = score("fit");
        let synergy = score("synergy");
        let risk = score("risk");
        let notes = t.string("notes").map(|s| s.value);
        t.finish();
        if let (Some(name), Some(integration)) = (name, integration) {
            plan.acquisitions.push(Acquisition {
                name: name.value,
                integration: integration.value,
                revenue,
                zone,
                fit,
                synergy,
                risk,
                notes,
            });
        }
    }
    for t in root.tables("tried") {
        let lever = match t.get("lever") {
            Some(_) => t.string("lever").and_then(|l| checked_lever(file, l)),
            None => {
                t.missing("lever", "\"online_marketing\"");
                None
            }
        };
        let when = t.string("when").map(|s| s.value);
        let outcome = t.string("outcome").map(|s| s.value);
        t.finish();
        if let Some(lever) = lever {
            plan.tried.push(TriedLever {
                lever,
                when,
                outcome,
            });
        }
    }
    root.finish();
    plan
}

/// The lever id of `value` when it names one of the catalogue; else an error is
/// reported to `file` at the value, with the catalogue and the nearest id.
pub(crate) fn checked_lever(
    file: &super::toml_reader::TomlFile<'_>,
    value: super::toml_reader::Sourced<String>,
) -> Option<String> {
    if crate::levers::is_lever(&value.value) {
        return Some(value.value);
    }
    file.report(
        value
            .origin
            .error(format!("unknown lever `{}`", value.value))
            .label("expected a lever of the catalogue")
            .note(format!(
                "levers: {}",
                crate::levers::catalogue()
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .suggest(
                &value.value,
                crate::levers::catalogue().keys().map(String::as_str),
            ),
    );
    None
}
