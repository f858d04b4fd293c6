//! External growth ("croissance externe"): the acquisition targets of plan.toml, scored
//! and ranked, and grouped by kind of integration.
//!
//! Score: the mean of the components the consultant gave among `fit`, `synergy` and
//! `6 − risk` (so that every component reads "higher is better", each in [1, 5]),
//! mapped from [1, 5] to [0, 100]: `(mean − 1) / 4 × 100`. Fit 4, synergy 4, risk 2
//! scores 75. Null when none of the three is given. Targets are ranked by score
//! (highest first, unscored last), then by name.
//!
//! The block is filled whenever plan.toml lists acquisitions, whatever the engagement's
//! `growth` says: a target written down is worth showing.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::analysis::figures::{Money, Quantity};
use crate::engagement::Engagement;
use crate::engagement::plan::Acquisition;
use crate::i18n::Labels;
use crate::vocab::{Integration, Vocabulary};

/// One acquisition target, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcquisitionReview {
    pub name: String,
    pub integration: Integration,
    pub integration_label: String,
    pub revenue: Option<Money>,
    pub zone: Option<String>,
    pub fit: Option<u8>,
    pub synergy: Option<u8>,
    pub risk: Option<u8>,
    /// 0 to 100; see the module docs.
    pub score: Option<Quantity>,
    pub notes: Option<String>,
}

/// The `acquisitions` block of metrics.json.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Acquisitions {
    /// Ranked by score, then name.
    pub targets: Vec<AcquisitionReview>,
    /// Target names per integration, in ranking order.
    pub by_integration: BTreeMap<Integration, Vec<String>>,
}

/// The score of a target (see the module docs).
pub fn score(fit: Option<u8>, synergy: Option<u8>, risk: Option<u8>) -> Option<Decimal> {
    let components: Vec<Decimal> = [fit, synergy, risk.map(|r| 6 - r)]
        .into_iter()
        .flatten()
        .map(Decimal::from)
        .collect();
    if components.is_empty() {
        return None;
    }
    let mean = components.iter().sum::<Decimal>() / Decimal::from(components.len());
    Some((mean - Decimal::ONE) / Decimal::from(4) * Decimal::ONE_HUNDRED)
}

fn review_one(a: &Acquisition, labels: &Labels) -> AcquisitionReview {
    AcquisitionReview {
        name: a.name.clone(),
        integration: a.integration,
        integration_label: labels
            .get(&format!("integration.{}", a.integration.name()))
            .to_string(),
        revenue: a.revenue.map(Money),
        zone: a.zone.clone(),
        fit: a.fit,
        synergy: a.synergy,
        risk: a.risk,
        score: score(a.fit, a.synergy, a.risk).map(Quantity),
        notes: a.notes.clone(),
    }
}

pub fn review(e: &Engagement) -> Acquisitions {
    let Some(plan) = &e.plan else {
        return Acquisitions::default();
    };
    let labels = e.texts.labels(e.info.language);
    let mut targets: Vec<AcquisitionReview> = plan
        .acquisitions
        .iter()
        .map(|a| review_one(a, labels))
        .collect();
    targets.sort_by(|a, b| {
        match (a.score, b.score) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| a.name.cmp(&b.name))
    });
    let mut by_integration: BTreeMap<Integration, Vec<String>> = BTreeMap::new();
    for t in &targets {
        by_integration
            .entry(t.integration)
            .or_default()
            .push(t.name.clone());
    }
    Acquisitions {
        targets,
        by_integration,
    }
}
