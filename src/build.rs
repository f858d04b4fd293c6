//! Running the pipeline over engagements and writing their outputs.
//!
//! Engagements are independent: they are built in parallel, and one that fails is
//! reported and skipped without touching the others. Writing the outputs is
//! [`crate::output`]'s job.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engagement;
use crate::output::{IndexLine, write_atomically, write_index};
use crate::render::Renderers;
use crate::templates::Templates;
use crate::workspace::Target;

pub use crate::render::Format;

impl Format {
    /// The formats this version of levier can produce (the default of `--format`).
    pub fn available() -> Vec<Format> {
        vec![Format::Html, Format::Pdf, Format::Json]
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
    // Templates are read and parsed once per workspace; their problems are reported
    // once, and an unusable template set fails that workspace's engagements.
    let renderers: Vec<Result<Renderers, Vec<Diagnostic>>> = targets
        .iter()
        .map(|t| {
            let (templates, found) = Templates::load(&t.workspace);
            for d in &found {
                on_event(Event::Diagnostic(d));
            }
            if found.iter().any(Diagnostic::is_error) {
                return Err(found.into_iter().filter(Diagnostic::is_error).collect());
            }
            Renderers::new(templates).map_err(|d| vec![d])
        })
        .collect();
    let target_of = |workspace: &Path| {
        targets
            .iter()
            .position(|t| t.workspace == workspace)
            .expect("every engagement comes from a target")
    };
    let index_lines = std::sync::Mutex::new(Vec::<IndexLine>::new());
    let summary = run(targets, on_event, |path, workspace| {
        let started = Instant::now();
        let at = target_of(workspace);
        let loaded = engagement::load(path, Some(workspace));
        let mut diagnostics = loaded.diagnostics;
        let Some(engagement) = loaded.engagement else {
            let errors = diagnostics.error_count();
            return (diagnostics, Outcome::Failed { errors });
        };
        let renderers = match &renderers[at] {
            Ok(r) => r,
            Err(found) => {
                diagnostics.extend(found.iter().cloned());
                let errors = diagnostics.error_count();
                return (diagnostics, Outcome::Failed { errors });
            }
        };
        // load → analyse → assess: errors found by the assessment (an action's KPI
        // path that names no figure) stop the engagement like loading errors do.
        let (metrics, found) = crate::assess::measure(&engagement);
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            let errors = diagnostics.error_count();
            return (diagnostics, Outcome::Failed { errors });
        }
        let mut rendered = match crate::render::render(&engagement, &metrics, formats, renderers) {
            Ok(o) => o,
            Err(found) => {
                diagnostics.extend(found);
                let errors = diagnostics.error_count().max(1);
                return (diagnostics, Outcome::Failed { errors });
            }
        };
        diagnostics.extend(std::mem::take(&mut rendered.warnings));
        let target = out_dirs[at].join(&engagement.slug);
        match write_atomically(&target, &rendered.files) {
            Ok(()) => {
                index_lines
                    .lock()
                    .expect("no panic while holding the lock")
                    .push(IndexLine {
                        out_dir: out_dirs[at].clone(),
                        entry: rendered.index,
                        language: engagement.info.language,
                    });
                let files = rendered
                    .files
                    .iter()
                    .map(|(name, _)| name.clone())
                    .collect();
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
    });
    if formats.contains(&Format::Html) {
        let lines = index_lines
            .into_inner()
            .expect("no panic while holding the lock");
        for (at, out_dir) in out_dirs.iter().enumerate() {
            let Ok(renderers) = &renderers[at] else {
                continue;
            };
            let ours: Vec<&IndexLine> = lines.iter().filter(|l| &l.out_dir == out_dir).collect();
            if ours.is_empty() {
                continue;
            }
            if let Err(d) = write_index(out_dir, &ours, renderers) {
                on_event(Event::Diagnostic(&d));
            }
        }
    }
    summary
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
    let one = |(path, workspace): &(&Path, &Path)| {
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
                    .help("this is a bug in levier; please report it with the engagement's files"),
            );
            (d, Outcome::Failed { errors: 1 })
        });
        EngagementRun {
            slug,
            diagnostics: diagnostics.into_sorted(),
            outcome,
        }
    };
    // One plain thread per core takes engagements in turn; rayon's pool serves the
    // parallel work inside an engagement (PDFs, Typst's layout). Engagements are not
    // rayon jobs themselves: a rayon worker waiting for a PDF would start another
    // engagement meanwhile, and a workspace's engagements would all end up in memory
    // at once (0.5 GB for a dozen).
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<EngagementRun>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let run = one(job);
                    *slots[i].lock().expect("no panic while holding the lock") = Some(run);
                }
            });
        }
    });
    let runs: Vec<EngagementRun> = slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("no panic while holding the lock")
                .expect("every engagement was run")
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
