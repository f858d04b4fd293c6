//! The rules that could not be evaluated, and why (analyses.md, "Additions (v1.1)",
//! "Findings"): a rule without the data or history it measures stays silent, and a
//! silent rule must not read as "nothing to improve". The report and metrics.json
//! (`rules_not_evaluated[{rule, reason}]`) say which were left out.
//!
//! The rules themselves ask [`history_too_short`] before judging what needs history;
//! this module only lists what they skipped, so both agree by construction.

use serde::Serialize;

use crate::analysis::Metrics;
use crate::analysis::objectives::{ObjectiveKey, RevenueObjective};
use crate::engagement::{Engagement, RuleSetting};
use crate::rules::RuleId;

/// Why a rule was not evaluated. Serialised as its snake_case name in metrics.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// `[rules] Rn = false` in engagement.toml.
    Disabled,
    /// The sales start less than `dormancy_months` before the fiscal year: retained,
    /// reconquered and lost clients cannot be told apart.
    SalesHistoryTooShort,
    /// No objectives.toml: nothing to compare with.
    NoObjectives,
    /// No leads table.
    NoLeads,
    /// No activities table.
    NoActivities,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Disabled => "disabled",
            Reason::SalesHistoryTooShort => "sales_history_too_short",
            Reason::NoObjectives => "no_objectives",
            Reason::NoLeads => "no_leads",
            Reason::NoActivities => "no_activities",
        }
    }
}

/// One rule (or one part of a rule, `subject`) left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotEvaluated {
    pub rule: RuleId,
    /// The part of the rule left out (R1's `retention`), absent when the whole rule is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub reason: Reason,
}

/// Whether the sales history is too short for the rules that tell retained, reconquered
/// and lost clients apart: the same test as the analysis' `revenue.categories` caveat.
pub fn history_too_short(m: &Metrics) -> bool {
    m.unavailable
        .iter()
        .any(|u| u.analysis == "revenue.categories")
}

/// The rules of `e` not evaluated on `m`, in rule order.
pub fn not_evaluated(e: &Engagement, m: &Metrics) -> Vec<NotEvaluated> {
    let mut out = Vec::new();
    let whole = |rule, reason| NotEvaluated {
        rule,
        subject: None,
        reason,
    };
    for rule in RuleId::ALL {
        if matches!(
            e.rules.get(rule.name()).map(|s| &s.value),
            Some(RuleSetting::Disabled)
        ) {
            out.push(whole(rule, Reason::Disabled));
            continue;
        }
        let missing = match rule {
            RuleId::R2 | RuleId::R3 | RuleId::R9 if e.leads.is_none() => Some(Reason::NoLeads),
            RuleId::R5 | RuleId::R8 if e.activities.is_none() => Some(Reason::NoActivities),
            RuleId::R1 | RuleId::R2 | RuleId::R9 | RuleId::R10 if e.objectives.is_none() => {
                Some(Reason::NoObjectives)
            }
            RuleId::R6 | RuleId::R7 if history_too_short(m) => Some(Reason::SalesHistoryTooShort),
            _ => None,
        };
        if let Some(reason) = missing {
            out.push(whole(rule, reason));
            continue;
        }
        if rule == RuleId::R1 && history_too_short(m) {
            // Conquest needs no history; retention and reconquest do, where an
            // objective would have been compared.
            for category in [RevenueObjective::Retention, RevenueObjective::Reconquest] {
                let key = ObjectiveKey::Revenue(category);
                if m.objectives.iter().any(|l| l.key == key) {
                    out.push(NotEvaluated {
                        rule,
                        subject: Some(category.name().to_string()),
                        reason: Reason::SalesHistoryTooShort,
                    });
                }
            }
        }
    }
    out
}
