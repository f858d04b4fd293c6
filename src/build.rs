//! Running the pipeline over engagements: `levier check` and `levier build`.
//!
//! Engagements are independent: they are built in parallel, and one that fails is
//! reported and skipped without touching the others. `check` runs exactly what `build`
//! runs (loading, analysis, assessment, templates and rendering of every format) and
//! only skips writing, so that a checked engagement cannot fail to build. A build skips
//! engagements whose inputs did not change ([`crate::fresh`]); writing the outputs safely
//! is [`crate::output`]'s job.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engagement;
use crate::fresh::{self, Fingerprint};
use crate::output::{self, Entry, Existing, OutputDir, Record};
use crate::render::Renderers;
use crate::templates::Templates;
use crate::workspace::Target;

pub use crate::present::Format;

/// What happened to one engagement.
#[derive(Debug)]
pub enum Outcome {
    Built {
        dir: PathBuf,
        files: Vec<String>,
        millis: u128,
    },
    /// Nothing changed since the outputs in `dir` were built; none was rewritten.
    Fresh {
        dir: PathBuf,
        /// Warnings the build that made them printed.
        warnings: usize,
    },
    Checked,
    /// `levier record`: the measurement was written to `file`.
    Recorded {
        file: PathBuf,
    },
    Failed {
        errors: usize,
    },
}

/// Progress reported while running, engagements in name order.
pub enum Event<'a> {
    /// How many engagements the run has, before the first one starts.
    Planned {
        total: usize,
    },
    Diagnostic(&'a Diagnostic),
    Done {
        slug: &'a str,
        outcome: &'a Outcome,
    },
}

/// One engagement's line in a run's [`Summary`].
#[derive(Debug, Clone)]
pub struct EngagementSummary {
    pub slug: String,
    /// `built`, `fresh`, `checked` or `failed`.
    pub status: &'static str,
    /// Its index line as built now or earlier (none for a failure without outputs).
    pub entry: Option<Entry>,
    /// Its index line before this build, when it replaced one.
    pub previous: Option<Entry>,
}

/// The result of a whole run.
#[derive(Debug, Default)]
pub struct Summary {
    pub total: usize,
    /// Slugs of engagements that had errors.
    pub failed: Vec<String>,
    /// Errors of the run itself (an index page that could not be written).
    pub run_errors: usize,
    /// Index pages written (or found up to date).
    pub index_pages: Vec<PathBuf>,
    pub engagements: Vec<EngagementSummary>,
}

impl Summary {
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty() && self.run_errors == 0
    }
}

/// What `levier build` was asked.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// `--out`: one folder for every workspace's outputs.
    pub out: Option<PathBuf>,
    pub formats: Vec<Format>,
    /// Rebuild even what is up to date.
    pub force: bool,
}

/// The output folder of each target, checked to be a safe place to write: never an
/// engagement, the workspace's inputs, or a folder holding or inside them. These are
/// usage errors, found before anything is read or written.
pub fn output_dirs(
    targets: &[Target],
    out: Option<&Path>,
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let dirs: Vec<PathBuf> = targets
        .iter()
        .map(|t| {
            let dir = out.map_or_else(|| t.output_dir(), crate::workspace::absolute);
            if let Err(d) = output::check_location(&dir, t)
                && !problems.contains(&d)
            {
                problems.push(d);
            }
            dir
        })
        .collect();
    if problems.is_empty() {
        Ok(dirs)
    } else {
        Err(problems)
    }
}

/// Templates and renderers of each target, loaded once per workspace; their problems are
/// reported once, and an unusable template set fails that workspace's engagements.
fn renderers(
    targets: &[Target],
    on_event: &mut dyn FnMut(Event<'_>),
) -> Vec<Result<Renderers, Vec<Diagnostic>>> {
    targets
        .iter()
        .map(|t| {
            let (templates, mut found) = Templates::load(&t.workspace);
            found.extend(templates.texts().1);
            for d in &found {
                on_event(Event::Diagnostic(d));
            }
            if found.iter().any(Diagnostic::is_error) {
                return Err(found.into_iter().filter(Diagnostic::is_error).collect());
            }
            Renderers::new(templates).map_err(|d| vec![d])
        })
        .collect()
}

/// An engagement loaded, measured and rendered in memory.
struct Made {
    rendered: crate::render::Rendered,
    entry: Entry,
}

/// Loads, analyses, assesses and renders one engagement: everything but writing.
fn make(
    path: &Path,
    workspace: &Path,
    formats: &[Format],
    renderers: &Result<Renderers, Vec<Diagnostic>>,
    diagnostics: &mut Diagnostics,
) -> Option<Made> {
    let loaded = crate::timings::time("load", || engagement::load(path, Some(workspace)));
    diagnostics.extend(loaded.diagnostics);
    let mut engagement = loaded.engagement?;
    let renderers = match renderers {
        Ok(r) => r,
        Err(found) => {
            // Printed once for the workspace already: each engagement only says why it
            // was not built.
            let files: Vec<String> = found
                .iter()
                .filter_map(|d| d.path.as_ref())
                .map(|p| format!("`{}`", p.strip_prefix(workspace).unwrap_or(p).display()))
                .fold(Vec::new(), |mut v, p| {
                    if !v.contains(&p) {
                        v.push(p);
                    }
                    v
                });
            let mut d = Diagnostic::error(
                "not built: the workspace's templates have errors (reported above)",
            );
            if !files.is_empty() {
                d = d.note(format!("in {}", files.join(", ")));
            }
            diagnostics.push(d);
            return None;
        }
    };
    // The workspace's wording (its overrides of labels and lever texts).
    engagement.texts = renderers.texts.clone();
    // load → analyse → assess: errors found by the assessment (an action's KPI path
    // that names no figure) stop the engagement like loading errors do.
    let (metrics, found) =
        crate::timings::time("analyse + assess", || crate::assess::measure(&engagement));
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        return None;
    }
    // present decides the documents once; each output asked for writes them.
    let mut deliverables = crate::timings::time("present", || {
        crate::present::deliverables(&engagement, &metrics, formats)
    });
    diagnostics.extend(std::mem::take(&mut deliverables.diagnostics));
    if diagnostics.has_errors() {
        return None;
    }
    let job = crate::render::Job::new(&engagement, &metrics, &deliverables, renderers);
    let mut rendered = match renderers.render(&job, formats) {
        Ok(o) => o,
        Err(found) => {
            diagnostics.extend(found);
            return None;
        }
    };
    diagnostics.extend(std::mem::take(&mut rendered.warnings));
    let metrics = crate::timings::time("index entry", || metrics_json(&metrics));
    let entry = Entry::new(deliverables.index, engagement.info.language, &metrics);
    Some(Made { rendered, entry })
}

/// The measurement as metrics.json writes it: what the index, the run summary and the
/// measurement records read, so that each says what the deliverable says.
pub fn metrics_json(measured: &crate::assess::Measured) -> serde_json::Value {
    serde_json::to_value(measured).unwrap_or_default()
}

pub(crate) fn failed(
    diagnostics: Diagnostics,
) -> (Diagnostics, Outcome, Option<Entry>, Option<Entry>) {
    let errors = diagnostics.error_count().max(1);
    (diagnostics, Outcome::Failed { errors }, None, None)
}

/// Validates engagements: everything a build does except writing.
pub fn check(targets: &[Target], on_event: &mut dyn FnMut(Event<'_>)) -> Summary {
    let renderers = renderers(targets, on_event);
    let formats = Format::available();
    run(targets, on_event, |path, at| {
        let mut diagnostics = Diagnostics::new();
        if let Err(d) = reserved(path) {
            diagnostics.push(d);
            return failed(diagnostics);
        }
        match make(
            path,
            &targets[at].workspace,
            &formats,
            &renderers[at],
            &mut diagnostics,
        ) {
            Some(_) => (diagnostics, Outcome::Checked, None, None),
            None => failed(diagnostics),
        }
    })
}

/// Refuses engagement names that are levier's own files in an output folder.
pub(crate) fn reserved(path: &Path) -> Result<(), Diagnostic> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    if output::RESERVED.contains(&name.as_ref()) {
        return Err(Diagnostic::error(format!(
            "an engagement cannot be named `{name}`: the output folder's `{name}` is levier's"
        ))
        .in_file(path)
        .help("rename the engagement folder"));
    }
    Ok(())
}

/// Builds engagements into `output_dirs` (from [`output_dirs`]), one per target.
pub fn build(
    targets: &[Target],
    output_dirs: &[PathBuf],
    options: &BuildOptions,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Summary {
    let renderers = renderers(targets, on_event);
    let mut run_errors = 0;
    // Each distinct output folder is opened once: locked, and recovered from a build
    // that was killed mid-swap.
    let mut opened: Vec<(PathBuf, Result<OutputDir, Diagnostic>)> = Vec::new();
    for dir in output_dirs {
        if opened.iter().any(|(d, _)| d == dir) {
            continue;
        }
        let result = OutputDir::open(dir).map_err(|e| {
            Diagnostic::error(format!("cannot open the output folder: {e}")).in_file(dir)
        });
        if let Ok(o) = &result {
            for d in &o.recovered {
                on_event(Event::Diagnostic(d));
            }
        }
        opened.push((dir.clone(), result));
    }
    let out_of = |at: usize| {
        opened
            .iter()
            .find(|(d, _)| d == &output_dirs[at])
            .map(|(_, o)| o)
            .expect("every output folder was opened")
    };
    let shared: Vec<Vec<fresh::Found>> = targets
        .iter()
        .map(|t| fresh::workspace_inputs(&t.workspace))
        .collect();

    let mut summary = run(targets, on_event, |path, at| {
        let _span = crate::timings::span("engagement (whole)");
        let started = Instant::now();
        let mut diagnostics = Diagnostics::new();
        if let Err(d) = reserved(path) {
            diagnostics.push(d);
            return failed(diagnostics);
        }
        let out = match out_of(at) {
            Ok(o) => o,
            Err(d) => {
                diagnostics.push(d.clone());
                return failed(diagnostics);
            }
        };
        let slug = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let target = out.path().join(&slug);
        let previous = match out.existing(&slug) {
            Existing::Foreign => {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "{} exists and was not written by levier: it is never replaced",
                        target.display()
                    ))
                    .in_file(&target)
                    .help("move it elsewhere, or build into another folder with --out"),
                );
                return failed(diagnostics);
            }
            Existing::Ours(record) => record,
            Existing::Nothing => None,
        };
        let fingerprint = crate::timings::span("freshness");
        let found = fresh::inputs(path, &shared[at]);
        if let Some(record) = previous.as_deref().filter(|_| !options.force)
            && record.inputs.is_fresh(&found, &options.formats)
            && record.files.iter().all(|(name, size)| {
                std::fs::symlink_metadata(target.join(name))
                    .is_ok_and(|m| m.is_file() && m.len() == *size)
            })
        {
            let outcome = Outcome::Fresh {
                dir: target,
                warnings: record.warnings,
            };
            return (diagnostics, outcome, Some(record.entry.clone()), None);
        }
        // Taken before loading: a file edited during the build then differs from its
        // fingerprint, and the next build sees it.
        let inputs = Fingerprint::take(
            &found,
            &options.formats,
            previous.as_deref().map(|r| &r.inputs),
        )
        .unwrap_or_else(Fingerprint::never);
        drop(fingerprint);
        let Some(made) = make(
            path,
            &targets[at].workspace,
            &options.formats,
            &renderers[at],
            &mut diagnostics,
        ) else {
            return failed(diagnostics);
        };
        let record = Record::new(
            inputs,
            &made.rendered.files,
            diagnostics.warning_count(),
            made.entry,
        );
        let written =
            crate::timings::time("write", || out.write(&slug, &made.rendered.files, &record));
        match written {
            Ok(()) => {
                let files = made
                    .rendered
                    .files
                    .iter()
                    .map(|(name, _)| name.clone())
                    .collect();
                let outcome = Outcome::Built {
                    dir: target,
                    files,
                    millis: started.elapsed().as_millis(),
                };
                (
                    diagnostics,
                    outcome,
                    Some(record.entry),
                    previous.map(|r| r.entry),
                )
            }
            Err(e) => {
                diagnostics
                    .push(Diagnostic::error(format!("cannot write outputs: {e}")).in_file(&target));
                failed(diagnostics)
            }
        }
    });

    // The index lists every engagement folder levier wrote there, built now or before.
    for (dir, out) in &opened {
        let Ok(out) = out else {
            run_errors += 1;
            continue;
        };
        let at = output_dirs
            .iter()
            .position(|d| d == dir)
            .expect("opened from the list");
        let Ok(renderers) = &renderers[at] else {
            continue;
        };
        let (entries, problems) = out.entries();
        for d in &problems {
            on_event(Event::Diagnostic(d));
        }
        match output::write_index(dir, &entries, &renderers.html, &renderers.templates) {
            Ok(()) => summary.index_pages.push(dir.join("index.html")),
            Err(d) => {
                run_errors += 1;
                on_event(Event::Diagnostic(&d));
            }
        }
    }
    summary.run_errors += run_errors;
    if let Some(timings) = crate::timings::report() {
        // For people measuring levier (`LEVIER_TIMINGS=1`), never part of an output.
        eprint!("{timings}");
    }
    summary
}

/// Rebuilds `<out>/index.html` and `index.json` from the engagement folders present
/// (merging the outputs of several shards), with the templates of `workspace`.
pub fn index(
    out: &Path,
    workspace: Option<&Path>,
) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (templates, mut found) = match workspace {
        Some(w) => Templates::load(w),
        None => (Templates::builtin(), Vec::new()),
    };
    if found.iter().any(Diagnostic::is_error) {
        return Err(found);
    }
    let renderers = Renderers::new(templates).map_err(|d| vec![d])?;
    // Like a build, the index waits for a build writing into the folder and restores
    // what a killed one left mid-swap, so that it lists what is really there.
    let dir = OutputDir::open(out).map_err(|e| {
        vec![Diagnostic::error(format!("cannot open the output folder: {e}")).in_file(out)]
    })?;
    found.extend(dir.recovered.iter().cloned());
    let (entries, problems) = output::entries(out);
    found.extend(problems);
    output::write_index(out, &entries, &renderers.html, &renderers.templates).map_err(|d| {
        found.push(d);
        std::mem::take(&mut found)
    })?;
    Ok((entries.len(), found))
}

pub(crate) type Work = (Diagnostics, Outcome, Option<Entry>, Option<Entry>);

/// One engagement's result, kept until it is reported in order.
struct EngagementRun {
    slug: String,
    diagnostics: Vec<Diagnostic>,
    outcome: Outcome,
    entry: Option<Entry>,
    previous: Option<Entry>,
}

/// Runs `work` on every engagement (with its target's index) and reports each one in
/// name order as soon as it and those before it are done.
pub(crate) fn run(
    targets: &[Target],
    on_event: &mut dyn FnMut(Event<'_>),
    work: impl Fn(&Path, usize) -> Work + Sync,
) -> Summary {
    let jobs: Vec<(&Path, usize)> = targets
        .iter()
        .enumerate()
        .flat_map(|(at, t)| t.engagements.iter().map(move |e| (e.as_path(), at)))
        .collect();
    on_event(Event::Planned { total: jobs.len() });
    let one = |(path, at): &(&Path, usize)| {
        let slug = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        // A panic in one engagement must not take the others down.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(path, *at)));
        let (diagnostics, outcome, entry, previous) = result.unwrap_or_else(|payload| {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(format!(
                    "internal error while building `{slug}`: {}",
                    panic_message(payload.as_ref())
                ))
                .in_file(*path)
                .help("this is a bug in levier; please report it with the engagement's files"),
            );
            (d, Outcome::Failed { errors: 1 }, None, None)
        });
        EngagementRun {
            slug,
            diagnostics: diagnostics.into_sorted(),
            outcome,
            entry,
            previous,
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
    let (done, results) = std::sync::mpsc::channel::<(usize, EngagementRun)>();
    let mut summary = Summary::default();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done = done.clone();
            let (jobs, next, one) = (&jobs, &next, &one);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    if done.send((i, one(job))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        // Reported in order, each as soon as those before it are: the progress moves
        // while the output stays the same whatever the parallelism.
        let mut waiting: std::collections::BTreeMap<usize, EngagementRun> = Default::default();
        let mut reported = 0;
        for (i, run) in results {
            waiting.insert(i, run);
            while let Some(run) = waiting.remove(&reported) {
                for d in &run.diagnostics {
                    on_event(Event::Diagnostic(d));
                }
                on_event(Event::Done {
                    slug: &run.slug,
                    outcome: &run.outcome,
                });
                summary.total += 1;
                let status = match run.outcome {
                    Outcome::Built { .. } => "built",
                    Outcome::Fresh { .. } => "fresh",
                    Outcome::Checked => "checked",
                    Outcome::Recorded { .. } => "recorded",
                    Outcome::Failed { .. } => {
                        summary.failed.push(run.slug.clone());
                        "failed"
                    }
                };
                summary.engagements.push(EngagementSummary {
                    slug: run.slug,
                    status,
                    entry: run.entry,
                    previous: run.previous,
                });
                reported += 1;
            }
        }
    });
    summary
}

/// The text a panic was raised with.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_one_engagement_is_reported_with_its_name_and_spares_the_others() {
        let targets = vec![Target {
            workspace: PathBuf::from("/ws"),
            settings: Default::default(),
            engagements: vec![
                PathBuf::from("/ws/engagements/alpha"),
                PathBuf::from("/ws/engagements/boom"),
                PathBuf::from("/ws/engagements/gamma"),
            ],
        }];
        let mut messages = Vec::new();
        let mut done = Vec::new();
        let summary = run(
            &targets,
            &mut |event| match event {
                Event::Diagnostic(d) => messages.push(d.message.clone()),
                Event::Done { slug, .. } => done.push(slug.to_string()),
                Event::Planned { .. } => {}
            },
            |path, _| {
                if path.ends_with("boom") {
                    panic!("index out of bounds");
                }
                (Diagnostics::new(), Outcome::Checked, None, None)
            },
        );
        assert_eq!(summary.failed, ["boom"]);
        assert_eq!(done, ["alpha", "boom", "gamma"]);
        assert_eq!(
            messages,
            ["internal error while building `boom`: index out of bounds"]
        );
    }
}
