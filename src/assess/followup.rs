//! Action follow-up ("mesure de la performance", "ajustement"; analyses.md "Action
//! follow-up"): each action of plan.toml with its KPI's current value, whether it is on
//! track, overdue, or needs adjustment; and the plan review (actions to adjust, findings
//! no action answers).
//!
//! - `current` is the metrics.json value at the action's `kpi` path (the rounded figure
//!   the client sees; see [`super::kpi`]), compared exactly in `Decimal` with the
//!   unrounded `target × elapsed_share`.
//! - `on_track`, with `goal = "at_least"` (the default): current >= target ×
//!   elapsed_share for cumulative KPIs (revenue, counts, hours), current >= target for
//!   levels (rates, shares, averages); with `goal = "at_most"`, current <= the same bar.
//!   `expected_to_date` is that prorated bar for cumulative KPIs, null for levels.
//! - `on_track` is null when the action has no KPI, when its value is null (not
//!   computable), when the action is dropped, and when it starts after as_of: a KPI
//!   measured before an action begins is its baseline, not its result. A done action is
//!   still measured.
//! - `overdue`: due before as_of and neither done nor dropped.
//! - `needs_adjustment`: overdue or off track (never for a dropped action).
//! - A finding is "not yet covered by the plan" when no action answers its rule; a
//!   dropped action answers nothing.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::findings::{Finding, FindingId};
use super::kpi::{self, KpiError, KpiKind, NodeKind};
use crate::analysis::Metrics;
use crate::analysis::figures::Quantity;
use crate::diagnostic::Diagnostic;
use crate::engagement::Engagement;
use crate::engagement::plan::{Action, Goal};
use crate::engagement::toml_reader::Sourced;
use crate::i18n::Labels;
use crate::rules::RuleId;
use crate::vocab::{Language, Status, Vocabulary};

/// A number written as given (a plan's target), without rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exact(pub Decimal);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0.to_f64().unwrap_or(0.0))
    }
}

/// One action of the plan, followed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionReview {
    pub id: String,
    pub title: String,
    pub lever: Option<String>,
    /// The lever's label in the report's language.
    pub lever_label: Option<String>,
    pub owner: Option<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub status: Status,
    pub status_label: String,
    /// What it answers: rules (all their findings) or single findings.
    pub answers: Vec<Answer>,
    pub kpi: Option<String>,
    /// Whether the KPI accumulates over the year or is a level; null without a KPI.
    pub kpi_kind: Option<KpiKind>,
    pub goal: Goal,
    pub target: Option<Exact>,
    /// The KPI's value in metrics.json; null when not computable.
    pub current: Option<f64>,
    /// target × elapsed_share, for cumulative KPIs.
    pub expected_to_date: Option<Quantity>,
    pub on_track: Option<bool>,
    pub overdue: bool,
    pub needs_adjustment: bool,
    /// The action's budget from plan.toml (v1.1), when the plan gives one; absent from
    /// metrics.json otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<Exact>,
}

/// What the plan needs: actions to adjust, findings it does not answer yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanReview {
    /// Ids of the actions that are overdue or off track ("Ajustements").
    pub adjustments: Vec<String>,
    /// Ids of the findings no (non-dropped) action answers, by rule or by id.
    pub uncovered_findings: Vec<FindingId>,
}

/// Whether `current` meets the bar of its KPI at `elapsed` of the year.
pub fn on_track(
    kind: KpiKind,
    goal: Goal,
    current: Decimal,
    target: Decimal,
    elapsed: Decimal,
) -> bool {
    let bar = expected(kind, target, elapsed);
    match goal {
        Goal::AtLeast => current >= bar,
        Goal::AtMost => current <= bar,
    }
}

/// The value a KPI should have at `elapsed` of the year: prorated when cumulative.
pub fn expected(kind: KpiKind, target: Decimal, elapsed: Decimal) -> Decimal {
    match kind {
        KpiKind::Cumulative => target * elapsed,
        KpiKind::Level => target,
    }
}

/// An exact decimal from a JSON number as written (`0.06`, `1e-7`).
fn exact(n: &serde_json::Number) -> Option<Decimal> {
    let text = n.to_string();
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

fn lever_label(e: &Engagement, id: &str, language: Language) -> Option<String> {
    e.texts.levers().get(id).map(|l| match language {
        Language::Fr => l.fr.label.clone(),
        Language::En => l.en.label.clone(),
    })
}

/// The diagnostic for a KPI path that does not name a figure.
fn kpi_diagnostic(kpi: &Sourced<String>, error: KpiError) -> Diagnostic {
    let path = &kpi.value;
    match error {
        KpiError::Unknown { nearest } => {
            let mut d = kpi
                .origin
                .error(format!("unknown kpi `{path}`"))
                .label("no such figure in metrics.json");
            if let Some(best) = nearest.first()
                && strsim::normalized_levenshtein(best, path) >= 0.5
            {
                d = d.help(format!("did you mean `{best}`?"));
            }
            if !nearest.is_empty() {
                let list: Vec<String> = nearest.iter().map(|p| format!("`{p}`")).collect();
                d = d.note(format!("nearest figures: {}", list.join(", ")));
            }
            d
        }
        KpiError::NotAFigure {
            what: NodeKind::Table,
            children,
            more,
        } => {
            let mut d = kpi
                .origin
                .error(format!("kpi `{path}` is a table, not a figure"))
                .label("expected the path of one figure");
            if !children.is_empty() {
                let mut list: Vec<String> = children.iter().map(|p| format!("`{p}`")).collect();
                if more > 0 {
                    list.push(format!("and {more} more"));
                }
                d = d.note(format!("figures in `{path}`: {}", list.join(", ")));
            }
            d
        }
        KpiError::NotAFigure { what, .. } => kpi
            .origin
            .error(format!("kpi `{path}` is a {}, not a figure", what.name()))
            .label("expected the path of one figure")
            .help(
                "a kpi is a path through tables to one number, such as `revenue.conquest` or \
                 `leads.by_source.online.count`; lists in metrics.json have no path",
            ),
    }
}

/// Reviews every action of the plan; KPI paths that name no figure are errors.
pub fn review(e: &Engagement, m: &Metrics, json: &Value) -> (Vec<ActionReview>, Vec<Diagnostic>) {
    let Some(plan) = &e.plan else {
        return (Vec::new(), Vec::new());
    };
    let labels = e.texts.labels(e.info.language);
    let mut diagnostics = Vec::new();
    let reviews = plan
        .actions
        .iter()
        .map(|a| review_one(e, m, json, labels, a, &mut diagnostics))
        .collect();
    (reviews, diagnostics)
}

fn review_one(
    e: &Engagement,
    m: &Metrics,
    json: &Value,
    labels: &Labels,
    a: &Action,
    diagnostics: &mut Vec<Diagnostic>,
) -> ActionReview {
    let as_of = m.as_of;
    let elapsed = m.elapsed_share.0;
    let current = a
        .kpi
        .as_ref()
        .and_then(|k| match kpi::resolve_number(json, &k.value) {
            Ok(n) => n,
            Err(err) => {
                diagnostics.push(kpi_diagnostic(k, err));
                None
            }
        });
    let kind = a.kpi.as_ref().map(|k| kpi::kind_of(&k.value));
    let dropped = a.status == Status::Dropped;
    let started = a.start.is_none_or(|s| s <= as_of);
    let on_track = match (kind, &current, a.target) {
        (Some(kind), Some(n), Some(target)) if !dropped && started => {
            exact(n).map(|c| on_track(kind, a.goal, c, target, elapsed))
        }
        _ => None,
    };
    let overdue =
        a.due.is_some_and(|d| d < as_of) && !matches!(a.status, Status::Done | Status::Dropped);
    ActionReview {
        id: a.id.value.clone(),
        title: a.title.clone(),
        lever: a.lever.clone(),
        lever_label: a
            .lever
            .as_deref()
            .and_then(|l| lever_label(e, l, e.info.language)),
        owner: a.owner.clone(),
        start: a.start,
        due: a.due,
        status: a.status,
        status_label: labels
            .get(&format!("status.{}", a.status.name()))
            .to_string(),
        // Loading refused any id whose rule is not in the catalogue.
        answers: a
            .answers
            .iter()
            .filter_map(|r| Answer::parse(&r.value))
            .collect(),
        kpi: a.kpi.as_ref().map(|k| k.value.clone()),
        kpi_kind: kind,
        goal: a.goal,
        target: a.target.map(Exact),
        current: current.as_ref().and_then(serde_json::Number::as_f64),
        expected_to_date: match (kind, a.target) {
            (Some(KpiKind::Cumulative), Some(t)) => {
                Some(Quantity(expected(KpiKind::Cumulative, t, elapsed)))
            }
            _ => None,
        },
        on_track,
        overdue,
        needs_adjustment: !dropped && (overdue || on_track == Some(false)),
        budget: a.budget.map(Exact),
    }
}

/// What an action says it answers (plan.toml `answers`): every finding of a rule (`R8`),
/// or one finding by the id the report shows beside it (`R8-SL`). A rule fires once per
/// salesperson, source or category, so answering one of its findings must not mark its
/// twins as covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Rule(RuleId),
    Finding(String),
}

impl Answer {
    /// `None` when the rule part is not a rule of the catalogue.
    pub fn parse(text: &str) -> Option<Answer> {
        match text.split_once('-') {
            None => RuleId::parse(text).map(Answer::Rule),
            Some((rule, _)) => RuleId::parse(rule).map(|_| Answer::Finding(text.to_string())),
        }
    }

    /// Whether this answers `finding`. Finding ids compare without regard to case, as
    /// the consultant may type `R8-sl` for the report's `R8-SL`.
    pub fn covers(&self, finding: &Finding) -> bool {
        match self {
            Answer::Rule(rule) => finding.rule == *rule,
            Answer::Finding(id) => finding.id.to_string().eq_ignore_ascii_case(id),
        }
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Rule(rule) => write!(f, "{rule}"),
            Answer::Finding(id) => f.write_str(id),
        }
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Warnings for `answers` entries naming a finding this measurement does not have: it was
/// resolved since the plan was written, or the id is mistyped.
pub fn check_answers(e: &Engagement, findings: &[Finding]) -> Vec<Diagnostic> {
    let ids: Vec<String> = findings.iter().map(|f| f.id.to_string()).collect();
    let mut found = Vec::new();
    for action in e.plan.iter().flat_map(|p| &p.actions) {
        for answer in &action.answers {
            let Some(Answer::Finding(id)) = Answer::parse(&answer.value) else {
                continue;
            };
            if ids.iter().any(|known| known.eq_ignore_ascii_case(&id)) {
                continue;
            }
            let rule = id.split_once('-').map_or(id.as_str(), |(r, _)| r);
            let same_rule: Vec<&str> = ids
                .iter()
                .filter(|known| known.split_once('-').is_some_and(|(r, _)| r == rule))
                .map(String::as_str)
                .collect();
            let mut d = answer
                .origin
                .warning(format!("`{id}` is not a finding of this measurement"))
                .label("resolved since the plan was written, or mistyped");
            d = if same_rule.is_empty() {
                d.help(format!(
                    "{rule} has no finding at this date; write `{rule}` to answer any finding of the rule"
                ))
            } else {
                d.help(format!(
                    "the findings of {rule} now: {}",
                    same_rule.join(", ")
                ))
            };
            found.push(d);
        }
    }
    found
}

/// Actions to adjust and findings left uncovered.
pub fn plan_review(actions: &[ActionReview], findings: &[Finding]) -> PlanReview {
    PlanReview {
        adjustments: actions
            .iter()
            .filter(|a| a.needs_adjustment)
            .map(|a| a.id.clone())
            .collect(),
        uncovered_findings: findings
            .iter()
            .filter(|f| {
                !actions
                    .iter()
                    .any(|a| a.status != Status::Dropped && a.answers.iter().any(|x| x.covers(f)))
            })
            .map(|f| f.id.clone())
            .collect(),
    }
}
