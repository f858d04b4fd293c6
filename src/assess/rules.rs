//! The catalogue of improvement rules (analyses.md, "Improvement points"): their ids and
//! the thresholds a consultant may override in `[rules]` of engagement.toml.
//!
//! Kept apart from the rule logic so that loading can validate `[rules]` (an unknown
//! rule or threshold name is a diagnostic at load time, with its line).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::engagement::{Engagement, RuleSetting};

/// A tunable threshold of a rule, with the default analyses.md gives it.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    pub name: &'static str,
    /// Default value, as a decimal string so it stays exact.
    pub default: &'static str,
}

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct RuleSpec {
    pub id: &'static str,
    pub thresholds: &'static [Threshold],
}

const fn th(name: &'static str, default: &'static str) -> Threshold {
    Threshold { name, default }
}

/// Rules R1 to R10 with their thresholds.
pub const RULES: &[RuleSpec] = &[
    RuleSpec {
        id: "R1",
        thresholds: &[th("min_projection_ratio", "0.90")],
    },
    RuleSpec {
        id: "R2",
        thresholds: &[th("min_projection_ratio", "0.90")],
    },
    RuleSpec {
        id: "R3",
        thresholds: &[th("max_ratio_to_overall", "0.5"), th("min_leads", "10")],
    },
    RuleSpec {
        id: "R4",
        thresholds: &[
            th("top_client_share", "0.20"),
            th("min_a_client_share", "0.10"),
        ],
    },
    RuleSpec {
        id: "R5",
        thresholds: &[th("max_effort_ratio", "2")],
    },
    RuleSpec {
        id: "R6",
        thresholds: &[th("min_reconquest_rate", "0.10")],
    },
    RuleSpec {
        id: "R7",
        thresholds: &[th("max_lost_share", "0.10")],
    },
    RuleSpec {
        id: "R8",
        thresholds: &[th("max_visit_gap_pts", "10"), th("max_admin_share", "0.25")],
    },
    RuleSpec {
        id: "R9",
        thresholds: &[th("min_conversion_ratio", "1")],
    },
    RuleSpec {
        id: "R10",
        thresholds: &[th("min_projection_ratio", "0.85")],
    },
];

/// The rule `id` of the catalogue.
pub fn spec(id: &str) -> Option<&'static RuleSpec> {
    RULES.iter().find(|r| r.id == id)
}

/// A rule as an engagement configures it: its thresholds, overrides applied.
#[derive(Debug, Clone)]
pub struct ActiveRule {
    pub spec: &'static RuleSpec,
    overrides: BTreeMap<String, Decimal>,
}

impl ActiveRule {
    /// The threshold `name`: the engagement's override, else the catalogue default.
    ///
    /// Panics on a name the rule does not have: names are constants of the rule code,
    /// checked by the tests, and `[rules]` names are validated when loading.
    pub fn threshold(&self, name: &str) -> Decimal {
        if let Some(v) = self.overrides.get(name) {
            return *v;
        }
        let th = self
            .spec
            .thresholds
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("rule {} has no threshold {name}", self.spec.id));
        th.default.parse().expect("catalogue defaults are decimals")
    }
}

/// Rule `id` for engagement `e`, or `None` when `[rules]` disables it (`R3 = false`).
pub fn active(e: &Engagement, id: &str) -> Option<ActiveRule> {
    let spec = spec(id).unwrap_or_else(|| panic!("no rule {id} in the catalogue"));
    let overrides = match e.rules.get(id).map(|s| &s.value) {
        Some(RuleSetting::Disabled) => return None,
        Some(RuleSetting::Thresholds(t)) => t.iter().map(|(k, v)| (k.clone(), v.value)).collect(),
        Some(RuleSetting::Enabled) | None => BTreeMap::new(),
    };
    Some(ActiveRule { spec, overrides })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_decimals() {
        for rule in RULES {
            for th in rule.thresholds {
                assert!(
                    th.default.parse::<Decimal>().is_ok(),
                    "{} {}",
                    rule.id,
                    th.name
                );
            }
        }
    }
}
