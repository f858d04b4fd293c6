//! The analyses of analyses.md, as pure functions from an [`Engagement`] to [`Metrics`].

pub mod figures;
pub mod periods;

use serde::Serialize;

use crate::engagement::Engagement;

/// Every computed figure; serialised as metrics.json (schema `levier.metrics/1`).
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub schema: &'static str,
    pub engagement: String,
    pub client: String,
    pub currency: String,
}

pub fn analyse(e: &Engagement) -> Metrics {
    Metrics {
        schema: "levier.metrics/1",
        engagement: e.slug.clone(),
        client: e.info.client.clone(),
        currency: e.info.currency.clone(),
    }
}
