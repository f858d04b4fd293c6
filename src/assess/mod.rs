//! Assessment: turns the metrics into improvement points (findings) and follows the
//! action plan up (analyses.md, "Improvement points" and "Action follow-up"). The third
//! stage of the pipeline: load → analyse → **assess** → present.
//!
//! - [`findings`]: rules R1 to R10, their severity and money at stake, ranked;
//! - [`followup`]: each action's KPI against its target, overdue actions, the plan
//!   review (what to adjust, which findings no action answers);
//! - [`acquisitions`]: external growth targets, scored and ranked;
//! - [`kpi`]: resolving an action's KPI path in metrics.json;
//! - [`rules`]: the rule catalogue and the thresholds an engagement sets.
//!
//! - [`metrics_file`]: metrics.json, a view over the figures and their assessment.
//!
//! [`assess`] reads the typed [`Metrics`] (exact figures for the rules) and their JSON
//! form (the KPI paths) and returns an [`Assessment`], a value of its own: the metrics
//! stay figures only. [`measure`] runs analysis and assessment together ([`Measured`]),
//! which is what the presentation and metrics.json read. An action KPI that names no
//! figure is an error with its file, line and column in plan.toml, so `levier check`
//! runs this stage too.

pub mod acquisitions;
pub mod findings;
pub mod followup;
pub mod kpi;
pub mod metrics_file;
pub mod rules;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use acquisitions::{AcquisitionReview, Acquisitions};
pub use findings::{
    EvidenceValue, Finding, FindingId, NotEvaluated, Severity, Subject, SubjectKind,
};
pub use followup::{ActionReview, Answer, PlanReview};
pub use metrics_file::MetricsFile;

use crate::analysis::{self, Metrics};
use crate::diagnostic::Diagnostic;
use crate::engagement::Engagement;
use crate::history::{self, Record, SinceLast};
use crate::vocab::{Status, Vocabulary};

/// A qualitative objective of objectives.toml, for the follow-up table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualitativeReview {
    pub objective: String,
    pub owner: Option<String>,
    pub status: Status,
    pub status_label: String,
}

/// What the assessment makes of the metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assessment {
    pub findings: Vec<Finding>,
    /// The rules left out for lack of data, history or because `[rules]` disables them.
    pub rules_not_evaluated: Vec<NotEvaluated>,
    pub actions: Vec<ActionReview>,
    pub plan_review: PlanReview,
    pub acquisitions: Acquisitions,
    pub qualitative: Vec<QualitativeReview>,
    /// What changed since the last recorded measurement (`history/`), when there is one.
    pub since_last: Option<SinceLast>,
}

/// What a measurement was made from: levier's version and every file read, with its
/// content hash, so that a deliverable can be tied to its exact inputs. In metrics.json,
/// and in the report only when `[settings] technical_annex = true`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Provenance {
    /// `levier <version>`.
    pub generator: String,
    /// Sorted by path.
    pub files: Vec<ProvenanceFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ProvenanceFile {
    /// Relative to the engagement folder (`<workspace>/…` for the workspace's files).
    pub file: String,
    pub bytes: u64,
    /// The BLAKE3 hash of the file's bytes, in hex.
    pub blake3: String,
}

impl Provenance {
    pub fn of(e: &Engagement) -> Provenance {
        let mut files: Vec<ProvenanceFile> = e
            .tables
            .values()
            .map(|t| ProvenanceFile {
                file: t.file.clone(),
                bytes: t.bytes,
                blake3: t.blake3.clone(),
            })
            .chain(e.sources.iter().map(|s| ProvenanceFile {
                file: s.file.clone(),
                bytes: s.bytes,
                blake3: s.blake3.clone(),
            }))
            .collect();
        files.sort();
        Provenance {
            generator: format!("levier {}", env!("CARGO_PKG_VERSION")),
            files,
        }
    }
}

/// An engagement measured: its figures and their assessment, what the report presents
/// and what metrics.json holds (it serialises as the file, [`MetricsFile`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub metrics: Metrics,
    pub assessment: Assessment,
    pub provenance: Provenance,
}

impl Serialize for Measured {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MetricsFile::of(self).serialize(s)
    }
}

/// Assesses an engagement's metrics. The diagnostics are errors in plan.toml (KPI paths
/// that name no figure).
pub fn assess(e: &Engagement, m: &Metrics) -> (Assessment, Vec<Diagnostic>) {
    // KPI paths name figures of metrics.json; the assessment is not made yet, so its
    // blocks are there empty, as they are to a reader of the file looking for figures.
    let json = serde_json::to_value(MetricsFile::new(m, &Assessment::default()))
        .expect("metrics serialise to JSON");
    let findings = findings::find(e, m);
    let (actions, diagnostics) = followup::review(e, m, &json);
    let plan_review = followup::plan_review(&actions, &findings);
    let mut diagnostics = diagnostics;
    diagnostics.extend(followup::check_answers(e, &findings));
    let labels = e.texts.labels(e.info.language);
    let qualitative = e
        .objectives
        .iter()
        .flat_map(|o| &o.qualitative)
        .map(|q| QualitativeReview {
            objective: q.objective.clone(),
            owner: q.owner.clone(),
            status: q.status,
            status_label: labels
                .get(&format!("objective_status.{}", q.status.name()))
                .to_string(),
        })
        .collect();
    let mut assessment = Assessment {
        findings,
        rules_not_evaluated: findings::not_evaluated(e, m),
        actions,
        plan_review,
        acquisitions: acquisitions::review(e),
        qualitative,
        since_last: None,
    };
    if let Some(last) = e.history.last_before(m.as_of) {
        // The current measurement is compared as a record would hold it, so that a
        // comparison made now and one made later from two records agree.
        let now = Record::capture(
            &serde_json::to_value(MetricsFile::new(m, &assessment))
                .expect("metrics serialise to JSON"),
        );
        let since = history::compare(last, &now);
        if !since.missing.is_empty() {
            let shown: Vec<&str> = since.missing.iter().take(5).map(String::as_str).collect();
            let more = since.missing.len().saturating_sub(shown.len());
            diagnostics.push(
                Diagnostic::warning(format!(
                    "{} figure{} of the measurement of {} no longer exist{} and {} not compared: {}{}",
                    since.missing.len(),
                    if since.missing.len() == 1 { "" } else { "s" },
                    last.as_of,
                    if since.missing.len() == 1 { "s" } else { "" },
                    if since.missing.len() == 1 { "is" } else { "are" },
                    shown.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                ))
                .in_file(e.dir.join(history::FOLDER).join(last.file_name()))
                .help("a salesperson, source or objective present then is absent now; the other figures are compared"),
            );
        }
        assessment.since_last = Some(since);
    }
    (assessment, diagnostics)
}

/// Analyses and assesses an engagement: its figures and their assessment, and the
/// problems found.
pub fn measure(e: &Engagement) -> (Measured, Vec<Diagnostic>) {
    let metrics = analysis::analyse(e);
    let (assessment, diagnostics) = assess(e, &metrics);
    (
        Measured {
            provenance: Provenance::of(e),
            metrics,
            assessment,
        },
        diagnostics,
    )
}
