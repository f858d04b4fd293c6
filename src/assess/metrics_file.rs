//! metrics.json: the figures of the analysis and the assessment of them, as one file.
//!
//! [`Metrics`] holds figures only and the [`Assessment`] is its own value, so the file is
//! a view over both that borrows every block and writes the keys in the order the schema
//! (`levier.metrics/1`, analyses.md) has always had: the assessment's blocks come
//! between `objectives` and `data_quality`.

use serde::Serialize;

use super::Assessment;
use crate::analysis::Metrics;

/// metrics.json, borrowed from the metrics and their assessment.
#[derive(Debug, Serialize)]
pub struct MetricsFile<'a> {
    schema: &'a str,
    engagement: &'a str,
    client: &'a str,
    currency: &'a str,
    fiscal_year: &'a crate::analysis::Span,
    as_of: &'a chrono::NaiveDate,
    elapsed_share: &'a crate::analysis::figures::Rate,
    revenue: &'a crate::analysis::Revenue,
    clients: &'a crate::analysis::revenue::ClientCounts,
    pareto: &'a crate::analysis::pareto::Pareto,
    leads: &'a crate::analysis::leads::Leads,
    time: &'a crate::analysis::time::Time,
    former_clients: &'a crate::analysis::former::FormerClients,
    objectives: &'a [crate::analysis::objectives::ObjectiveLine],
    projection_method: &'a crate::engagement::ProjectionMethod,
    findings: &'a [super::Finding],
    rules_not_evaluated: &'a [super::NotEvaluated],
    actions: &'a [super::ActionReview],
    plan_review: &'a super::PlanReview,
    acquisitions: &'a super::Acquisitions,
    qualitative: &'a [super::QualitativeReview],
    data_quality: &'a crate::analysis::quality::DataQuality,
    periods: &'a crate::analysis::PeriodSpans,
    unavailable: &'a [crate::analysis::Unavailable],
    /// Null when no measurement was recorded before this one.
    since_last: Option<&'a crate::history::SinceLast>,
    /// Null in the view the assessment reads KPI paths from.
    provenance: Option<&'a super::Provenance>,
}

impl<'a> MetricsFile<'a> {
    pub fn new(m: &'a Metrics, a: &'a Assessment) -> MetricsFile<'a> {
        // Destructured so that a figure added to `Metrics` fails to compile here until
        // it is given its place in the file.
        let Metrics {
            schema,
            engagement,
            client,
            currency,
            fiscal_year,
            as_of,
            elapsed_share,
            revenue,
            clients,
            pareto,
            leads,
            time,
            former_clients,
            objectives,
            projection_method,
            data_quality,
            periods,
            unavailable,
        } = m;
        let Assessment {
            findings,
            rules_not_evaluated,
            actions,
            plan_review,
            acquisitions,
            qualitative,
            since_last,
        } = a;
        MetricsFile {
            schema,
            engagement,
            client,
            currency,
            fiscal_year,
            as_of,
            elapsed_share,
            revenue,
            clients,
            pareto,
            leads,
            time,
            former_clients,
            objectives,
            projection_method,
            findings,
            rules_not_evaluated,
            actions,
            plan_review,
            acquisitions,
            qualitative,
            data_quality,
            periods,
            unavailable,
            since_last: since_last.as_ref(),
            provenance: None,
        }
    }

    /// metrics.json of a measured engagement, provenance included.
    pub fn of(m: &'a super::Measured) -> MetricsFile<'a> {
        MetricsFile {
            provenance: Some(&m.provenance),
            ..MetricsFile::new(&m.metrics, &m.assessment)
        }
    }

    /// The file's bytes, as `levier build` writes them: pretty-printed, with a final
    /// newline.
    pub fn to_bytes(&self) -> serde_json::Result<Vec<u8>> {
        let mut json = serde_json::to_vec_pretty(self)?;
        json.push(b'\n');
        Ok(json)
    }
}
