//! Running the pipeline over engagements and writing their outputs.
//!
//! Engagements are independent: they are built in parallel, and one that fails is
//! reported and skipped without touching the others. Outputs of an engagement are
//! produced in memory first, written to a hidden staging folder next to the final one,
//! then swapped in with a rename, so `output/<slug>/` is always either the previous
//! complete build or the new complete build, never a half-written mix.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::Metrics;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engagement::{self, Engagement};
use crate::workspace::Target;

/// An output format of `levier build --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Html,
    Pdf,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }

    /// The formats this version of levier can produce (the default of `--format`).
    pub fn available() -> Vec<Format> {
        vec![Format::Json]
    }

    /// Refuses formats this version cannot produce yet, as a usage error.
    pub fn check_available(formats: &[Format]) -> Result<(), Box<Diagnostic>> {
        let available = Format::available();
        match formats.iter().find(|f| !available.contains(f)) {
            Some(f) => Err(Box::new(
                Diagnostic::error(format!(
                    "the {} output is not available in levier {}",
                    f.name(),
                    env!("CARGO_PKG_VERSION")
                ))
                .note(format!(
                    "available formats: {}",
                    available
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )),
            None => Ok(()),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What happened to one engagement.
#[derive(Debug)]
pub enum Outcome {
    Built {
        dir: PathBuf,
        files: Vec<String>,
        millis: u128,
    },
    Checked,
    Failed {
        errors: usize,
    },
}

/// Progress reported while building, in engagement order.
pub enum Event<'a> {
    Diagnostic(&'a Diagnostic),
    Done { slug: &'a str, outcome: &'a Outcome },
}

/// The result of a whole run.
#[derive(Debug, Default)]
pub struct Summary {
    pub total: usize,
    /// Slugs of engagements that had errors.
    pub failed: Vec<String>,
}

/// One engagement's result, kept until it is reported in order.
struct EngagementRun {
    slug: String,
    diagnostics: Vec<Diagnostic>,
    outcome: Outcome,
}

/// Validates engagements without writing anything.
pub fn check(targets: &[Target], on_event: &mut dyn FnMut(Event<'_>)) -> Summary {
    run(targets, on_event, |path, workspace| {
        let loaded = engagement::load(path, Some(workspace));
        let mut diagnostics = loaded.diagnostics;
        // Analysis and assessment too: an action's KPI path is only checked there.
        if let Some(engagement) = &loaded.engagement {
            let (_, found) = crate::assess::measure(engagement);
            diagnostics.extend(found);
        }
        let outcome = if loaded.engagement.is_some() && !diagnostics.has_errors() {
            Outcome::Checked
        } else {
            Outcome::Failed {
                errors: diagnostics.error_count(),
            }
        };
        (diagnostics, outcome)
    })
}

/// Builds engagements into `out` (or each workspace's output folder).
pub fn build(
    targets: &[Target],
    out: Option<&Path>,
    formats: &[Format],
    on_event: &mut dyn FnMut(Event<'_>),
) -> Summary {
    let out_dirs: Vec<PathBuf> = targets
        .iter()
        .map(|t| out.map_or_else(|| t.output_dir(), Path::to_path_buf))
        .collect();
    let out_of = |workspace: &Path| {
        targets
            .iter()
            .zip(&out_dirs)
            .find(|(t, _)| t.workspace == workspace)
            .map(|(_, o)| o.clone())
            .expect("every engagement comes from a target")
    };
    run(targets, on_event, |path, workspace| {
        let started = Instant::now();
        let loaded = engagement::load(path, Some(workspace));
        let mut diagnostics = loaded.diagnostics;
        let Some(engagement) = loaded.engagement else {
            let errors = diagnostics.error_count();
            return (diagnostics, Outcome::Failed { errors });
        };
        // load → analyse → assess: errors found by the assessment (an action's KPI
        // path that names no figure) stop the engagement like loading errors do.
        let (metrics, found) = crate::assess::measure(&engagement);
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            let errors = diagnostics.error_count();
            return (diagnostics, Outcome::Failed { errors });
        }
        let outputs = match render(&engagement, &metrics, formats) {
            Ok(o) => o,
            Err(found) => {
                diagnostics.extend(found);
                let errors = diagnostics.error_count().max(1);
                return (diagnostics, Outcome::Failed { errors });
            }
        };
        let target = out_of(workspace).join(&engagement.slug);
        match write_atomically(&target, &outputs) {
            Ok(()) => {
                let files = outputs.iter().map(|(name, _)| name.clone()).collect();
                (
                    diagnostics,
                    Outcome::Built {
                        dir: target,
                        files,
                        millis: started.elapsed().as_millis(),
                    },
                )
            }
            Err(e) => {
                diagnostics
                    .push(Diagnostic::error(format!("cannot write outputs: {e}")).in_file(&target));
                (diagnostics, Outcome::Failed { errors: 1 })
            }
        }
    })
}

fn run(
    targets: &[Target],
    on_event: &mut dyn FnMut(Event<'_>),
    work: impl Fn(&Path, &Path) -> (Diagnostics, Outcome) + Sync,
) -> Summary {
    let jobs: Vec<(&Path, &Path)> = targets
        .iter()
        .flat_map(|t| {
            t.engagements
                .iter()
                .map(|e| (e.as_path(), t.workspace.as_path()))
        })
        .collect();
    let runs: Vec<EngagementRun> = jobs
        .par_iter()
        .map(|(path, workspace)| {
            let slug = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            // A panic in one engagement must not take the others down.
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(path, workspace)));
            let (diagnostics, outcome) = result.unwrap_or_else(|_| {
                let mut d = Diagnostics::new();
                d.push(
                    Diagnostic::error("internal error while building this engagement")
                        .in_file(*path)
                        .help(
                            "this is a bug in levier; please report it with the engagement's files",
                        ),
                );
                (d, Outcome::Failed { errors: 1 })
            });
            EngagementRun {
                slug,
                diagnostics: diagnostics.into_sorted(),
                outcome,
            }
        })
        .collect();

    let mut summary = Summary::default();
    for run in &runs {
        for d in &run.diagnostics {
            on_event(Event::Diagnostic(d));
        }
        on_event(Event::Done {
            slug: &run.slug,
            outcome: &run.outcome,
        });
        summary.total += 1;
        if matches!(run.outcome, Outcome::Failed { .. }) {
            summary.failed.push(run.slug.clone());
        }
    }
    summary
}

/// Produces every requested output of an engagement in memory, as (relative path, bytes).
fn render(
    _engagement: &Engagement,
    metrics: &Metrics,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let mut outputs = Vec::new();
    for format in formats {
        match format {
            Format::Json => {
                let mut json = serde_json::to_vec_pretty(metrics).map_err(|e| {
                    vec![Diagnostic::error(format!(
                        "cannot serialise metrics.json: {e}"
                    ))]
                })?;
                json.push(b'\n');
                outputs.push(("metrics.json".to_string(), json));
            }
            Format::Html | Format::Pdf => {}
        }
    }
    Ok(outputs)
}

/// Writes all outputs to a staging folder, then swaps it with `target`.
fn write_atomically(target: &Path, outputs: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let parent = target.parent().expect("output folders have a parent");
    std::fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .expect("output folders have a name")
        .to_string_lossy();
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        std::fs::create_dir_all(&staging)?;
        for (rel, bytes) in outputs {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, bytes)?;
        }
        if target.exists() {
            std::fs::rename(target, &previous)?;
        }
        if let Err(e) = std::fs::rename(&staging, target) {
            // Put the previous build back rather than leave nothing.
            let _ = std::fs::rename(&previous, target);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&previous);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
