//! Turning file-system notifications into rebuilds.
//!
//! Only inputs are watched: each engagement folder, the workspace's `engagements/`
//! (engagements added while watching), `brand/`, `templates/` and `levier.toml`. The
//! output folder is never an input (levier refuses to build into one), so levier's own
//! writes never trigger a rebuild; hidden files (`.git`, editors' swap files) are ignored.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostic::Diagnostic;
use crate::workspace::{self, Target};

/// The folders and files a set of targets reads, and how to watch each.
pub fn watched(targets: &[Target]) -> Vec<(PathBuf, RecursiveMode)> {
    let mut roots: Vec<(PathBuf, RecursiveMode)> = Vec::new();
    for t in targets {
        let engagements = t.workspace.join("engagements");
        if workspace::is_workspace(&t.workspace) {
            // The workspace itself, not recursively: levier.toml, and brand/ or
            // templates/ created later.
            roots.push((t.workspace.clone(), RecursiveMode::NonRecursive));
        }
        for folder in [
            &engagements,
            &t.workspace.join("brand"),
            &t.workspace.join("templates"),
        ] {
            if folder.is_dir() {
                roots.push((folder.clone(), RecursiveMode::Recursive));
            }
        }
        for e in &t.engagements {
            if !e.starts_with(&engagements) {
                roots.push((e.clone(), RecursiveMode::Recursive));
            }
        }
    }
    roots.sort_by(|a, b| a.0.cmp(&b.0));
    roots.dedup_by(|a, b| a.0 == b.0);
    roots
}

/// Whether a changed path can change an output: not inside an output folder, not a
/// hidden file or inside a hidden folder, not an editor's backup; for the workspace
/// folder itself, only its inputs.
pub fn is_input(path: &Path, targets: &[Target], outputs: &[PathBuf]) -> bool {
    if outputs.iter().any(|o| path.starts_with(o)) {
        return false;
    }
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    if name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
        return false;
    }
    for t in targets {
        if let Ok(rel) = path.strip_prefix(&t.workspace) {
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            if hidden {
                return false;
            }
            let first = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            let is_engagement = t.engagements.iter().any(|e| path.starts_with(e));
            if is_engagement || first.is_some_and(|f| workspace::INPUTS.contains(&f.as_str())) {
                return true;
            }
        }
    }
    // An engagement outside any workspace folder layout.
    targets
        .iter()
        .flat_map(|t| &t.engagements)
        .any(|e| path.starts_with(e) && !name.starts_with('.'))
}

/// A file watcher on the inputs of `targets`, with the channel its events arrive on.
pub struct Inputs {
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl Inputs {
    pub fn watch(targets: &[Target]) -> Result<Inputs, Diagnostic> {
        let (tx, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx)
            .map_err(|e| Diagnostic::error(format!("cannot watch the engagements' files: {e}")))?;
        for (path, mode) in watched(targets) {
            watcher.watch(&path, mode).map_err(|e| {
                Diagnostic::error(format!("cannot watch this folder: {e}")).in_file(&path)
            })?;
        }
        Ok(Inputs {
            _watcher: watcher,
            events,
        })
    }

    /// Blocks until inputs changed and a burst of changes settled; returns the changed
    /// paths, sorted. `None` when the watcher stopped.
    pub fn next_change(&self, targets: &[Target], outputs: &[PathBuf]) -> Option<Vec<PathBuf>> {
        let mut changed: Vec<PathBuf> = Vec::new();
        loop {
            let event = if changed.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(super::SETTLE) {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            let Ok(event) = event else { continue };
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            changed.extend(
                event
                    .paths
                    .into_iter()
                    .filter(|p| is_input(p, targets, outputs)),
            );
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }
}

/// `levier watch` and the watching half of `levier serve`: rebuilds whenever inputs
/// change, until the process is stopped. Targets are resolved again before each rebuild,
/// so an engagement added while watching is built too.
/// `inputs` watches `targets` since before their first build, so that nothing saved
/// during it is missed.
pub fn run(
    paths: &[PathBuf],
    mut targets: Vec<Target>,
    mut inputs: Inputs,
    options: &crate::build::BuildOptions,
    printer: &mut crate::messages::Printer<'_>,
    base: Option<&Path>,
    live: &super::Live,
) -> Diagnostic {
    loop {
        let Ok(outputs) = crate::build::output_dirs(&targets, options.out.as_deref()) else {
            return Diagnostic::error("the output folder is no longer a safe place to write");
        };
        let Some(changed) = inputs.next_change(&targets, &outputs) else {
            return Diagnostic::error("the file watcher stopped");
        };
        if changed.is_empty() {
            continue;
        }
        let first = printer.show(&changed[0]);
        let more = match changed.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        printer.status("Changed", &format!("{first}{more}"));
        match workspace::resolve(paths) {
            Ok(t) => {
                let before: Vec<_> = watched(&targets);
                targets = t;
                if watched(&targets) != before {
                    match Inputs::watch(&targets) {
                        Ok(i) => inputs = i,
                        Err(d) => printer.diagnostic(&d),
                    }
                }
            }
            Err(problems) => {
                for p in &problems {
                    printer.diagnostic(p);
                }
                continue;
            }
        }
        let dirs = match crate::build::output_dirs(&targets, options.out.as_deref()) {
            Ok(d) => d,
            Err(problems) => {
                for p in &problems {
                    printer.diagnostic(p);
                }
                continue;
            }
        };
        super::rebuild(&targets, &dirs, options, printer, base, live, false);
    }
}
