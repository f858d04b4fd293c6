//! The catalogue of improvement rules (analyses.md, "Improvement points"): their ids and
//! the thresholds a consultant may override in `[rules]` of engagement.toml.
//!
//! A shared leaf, like the lever catalogue ([`crate::levers`]): loading validates
//! `[rules]` and an action's `answers` against it (an unknown rule or threshold name is a
//! diagnostic at load time, with its line), the assessment runs the rules it lists, and
//! the report names them. Keeping it below every stage lets the loader use it without
//! depending on the assessment.

use std::fmt;

use serde::{Serialize, Serializer};

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
    /// `R1` to `R10`, as written in engagement.toml and plan.toml.
    pub id: &'static str,
    pub rule: RuleId,
    pub thresholds: &'static [Threshold],
}

const fn th(name: &'static str, default: &'static str) -> Threshold {
    Threshold { name, default }
}

/// An improvement rule. Written `R1` to `R10` everywhere (metrics.json, plan.toml, the
/// report), which is what `Display` and `Serialize` give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
}

impl RuleId {
    /// Every rule, in the catalogue's order.
    pub const ALL: [RuleId; 10] = [
        RuleId::R1,
        RuleId::R2,
        RuleId::R3,
        RuleId::R4,
        RuleId::R5,
        RuleId::R6,
        RuleId::R7,
        RuleId::R8,
        RuleId::R9,
        RuleId::R10,
    ];

    pub fn name(self) -> &'static str {
        self.spec().id
    }

    /// The rule written `text` (`R3`), if the catalogue has it.
    pub fn parse(text: &str) -> Option<RuleId> {
        spec(text).map(|s| s.rule)
    }

    /// The rule's entry in the catalogue.
    pub fn spec(self) -> &'static RuleSpec {
        &RULES[self as usize]
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `rule == "R3"`: rule ids are compared with what a consultant wrote.
impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Rules R1 to R10 with their thresholds, in [`RuleId`] order.
pub const RULES: &[RuleSpec] = &[
    RuleSpec {
        id: "R1",
        rule: RuleId::R1,
        thresholds: &[th("min_projection_ratio", "0.90")],
    },
    RuleSpec {
        id: "R2",
        rule: RuleId::R2,
        thresholds: &[th("min_projection_ratio", "0.90")],
    },
    RuleSpec {
        id: "R3",
        rule: RuleId::R3,
        thresholds: &[th("max_ratio_to_overall", "0.5"), th("min_leads", "10")],
    },
    RuleSpec {
        id: "R4",
        rule: RuleId::R4,
        thresholds: &[
            th("top_client_share", "0.20"),
            th("min_a_client_share", "0.10"),
        ],
    },
    RuleSpec {
        id: "R5",
        rule: RuleId::R5,
        thresholds: &[th("max_effort_ratio", "2")],
    },
    RuleSpec {
        id: "R6",
        rule: RuleId::R6,
        thresholds: &[th("min_reconquest_rate", "0.10")],
    },
    RuleSpec {
        id: "R7",
        rule: RuleId::R7,
        thresholds: &[th("max_lost_share", "0.10")],
    },
    RuleSpec {
        id: "R8",
        rule: RuleId::R8,
        thresholds: &[th("max_visit_gap_pts", "10"), th("max_admin_share", "0.25")],
    },
    RuleSpec {
        id: "R9",
        rule: RuleId::R9,
        thresholds: &[th("min_conversion_ratio", "1")],
    },
    RuleSpec {
        id: "R10",
        rule: RuleId::R10,
        thresholds: &[th("min_projection_ratio", "0.85")],
    },
];

/// The rule `id` of the catalogue.
pub fn spec(id: &str) -> Option<&'static RuleSpec> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_decimals() {
        for rule in RULES {
            for th in rule.thresholds {
                assert!(
                    th.default.parse::<rust_decimal::Decimal>().is_ok(),
                    "{} {}",
                    rule.id,
                    th.name
                );
            }
        }
    }

    #[test]
    fn rule_ids_name_their_catalogue_entry() {
        for (i, rule) in RuleId::ALL.iter().enumerate() {
            assert_eq!(RULES[i].rule, *rule);
            assert_eq!(rule.to_string(), format!("R{}", i + 1));
            assert_eq!(RuleId::parse(&rule.to_string()), Some(*rule));
        }
        assert_eq!(RuleId::parse("R11"), None);
    }
}
