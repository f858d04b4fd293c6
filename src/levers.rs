//! The lever catalogue (analyses.md): the levers a finding suggests and an action pulls.
//!
//! The catalogue is data (`templates/levers.toml`, embedded), so that labels and
//! descriptions can be reworded without touching code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The built-in catalogue.
pub const BUILTIN: &str = include_str!("../templates/levers.toml");

/// A lever's text in one language.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LeverText {
    pub label: String,
    pub description: String,
    /// One sentence fitting the lever to a finding of a rule, by rule id (`R1`); may
    /// quote the finding's subject as `{subject}`. Shown under the finding instead of
    /// the description, which the report prints once, in its annex.
    #[serde(default)]
    pub fit: BTreeMap<String, String>,
}

/// One lever in every report language.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    pub fr: LeverText,
    pub en: LeverText,
}

/// The built-in catalogue, parsed once.
pub fn catalogue() -> &'static BTreeMap<String, Lever> {
    static CATALOGUE: OnceLock<BTreeMap<String, Lever>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        toml::from_str(BUILTIN).expect("the built-in lever catalogue is valid TOML")
    })
}

/// Whether `id` names a lever of the catalogue.
pub fn is_lever(id: &str) -> bool {
    catalogue().contains_key(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_every_lever_of_the_method() {
        let ids = [
            "prospect_files",
            "online_marketing",
            "offline_marketing",
            "trade_shows",
            "prescription",
            "key_accounts",
            "reconquest_campaign",
            "lead_qualification",
            "smarketing",
            "training",
            "onboarding",
            "sales_meetings",
            "crm_steering",
            "time_allocation",
            "activity_model",
            "sales_admin_support",
            "new_territory",
            "auxiliary_sales_force",
            "new_salesperson",
            "external_growth",
        ];
        for id in ids {
            assert!(is_lever(id), "missing lever {id}");
        }
        assert_eq!(catalogue().len(), ids.len());
        for (id, lever) in catalogue() {
            for text in [&lever.fr, &lever.en] {
                assert!(!text.label.is_empty(), "{id} has no label");
                assert!(text.description.len() > 80, "{id} needs a real description");
            }
        }
    }
}
