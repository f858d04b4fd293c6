//! The rules of the catalogue ([`crate::rules`]) as one engagement configures them:
//! disabled or not, and the thresholds its `[rules]` overrides.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::engagement::{Engagement, RuleSetting};
use crate::rules::RuleSpec;

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
pub fn active(e: &Engagement, rule: crate::rules::RuleId) -> Option<ActiveRule> {
    let spec = rule.spec();
    let overrides = match e.rules.get(spec.id).map(|s| &s.value) {
        Some(RuleSetting::Disabled) => return None,
        Some(RuleSetting::Thresholds(t)) => t.iter().map(|(k, v)| (k.clone(), v.value)).collect(),
        Some(RuleSetting::Enabled) | None => BTreeMap::new(),
    };
    Some(ActiveRule { spec, overrides })
}
