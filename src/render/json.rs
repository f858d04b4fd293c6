//! metrics.json: every figure and its assessment, for scripts and spreadsheets (schema
//! `levier.metrics/1`, see analyses.md). Written from the measured engagement itself,
//! not from the report, so nothing in it is rounded for display.

use super::{Job, Output, Rendered};
use crate::assess::MetricsFile;
use crate::diagnostic::Diagnostic;
use crate::present::deliverables::Format;

/// The metrics.json output.
pub struct JsonOutput;

impl Output for JsonOutput {
    fn format(&self) -> Format {
        Format::Json
    }

    fn render(&self, job: &Job<'_>) -> Result<Rendered, Vec<Diagnostic>> {
        let m = job.measured;
        let json = MetricsFile::of(m)
            .to_bytes()
            .map_err(|e| vec![Diagnostic::error(format!("cannot write metrics.json: {e}"))])?;
        Ok(Rendered {
            files: vec![("metrics.json".to_string(), json)],
            warnings: Vec::new(),
        })
    }
}
