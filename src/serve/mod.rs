//! Live preview: `levier watch` rebuilds on save, `levier serve` also shows the outputs
//! in a browser that reloads itself.
//!
//! A consultant writes notes for hours before a meeting and wants to see the page change
//! on save, as `mdbook serve` or `zola serve` do. Nothing here builds anything itself:
//! every rebuild is an ordinary [`crate::build::build`], whose incremental builds
//! ([`crate::fresh`]) skip the engagements whose inputs did not change, so a save costs
//! one engagement's build. A failed rebuild writes nothing (the build never does), so the
//! last good pages stay on disk and in the browser; its diagnostics are printed and kept
//! in [`Live`] for the browser's overlay.
//!
//! [`http`] serves the output folder and tells open pages when to reload; [`watch`]
//! turns file-system notifications into rebuilds.

pub mod http;
pub mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::build::{self, BuildOptions, Event, Outcome, Summary};
use crate::diagnostic::Diagnostic;
use crate::messages::Printer;
use crate::workspace::{self, Target};

/// What open pages need to know about the builds so far: shared by the watcher (which
/// writes it after each rebuild) and the server's threads (which wait on it).
#[derive(Default)]
pub struct Live {
    state: Mutex<LiveState>,
    changed: Condvar,
}

/// The builds' results, by generation: each rebuild that built or failed something
/// counts one.
#[derive(Debug, Default, Clone)]
pub struct LiveState {
    pub generation: u64,
    /// The generation in which each engagement was last built.
    pub built: BTreeMap<String, u64>,
    /// Engagements whose last build failed: the generation and the diagnostics, as the
    /// terminal shows them without colours.
    pub failed: BTreeMap<String, (u64, String)>,
}

/// What an open page must do after the generation it was served at.
#[derive(Debug, PartialEq, Eq)]
pub enum News {
    /// Its engagement (or, for the index, any engagement) was rebuilt.
    Reload,
    /// Its engagement failed to rebuild: these diagnostics go on the overlay.
    Failed(String),
}

impl LiveState {
    /// What a page of `slug` (`None` for the index page) served at generation `since`
    /// must do now, if anything.
    pub fn news(&self, slug: Option<&str>, since: u64) -> Option<News> {
        let Some(slug) = slug else {
            return (self.generation > since).then_some(News::Reload);
        };
        if let Some((at, text)) = self.failed.get(slug) {
            return (*at > since).then(|| News::Failed(text.clone()));
        }
        self.built
            .get(slug)
            .is_some_and(|at| *at > since)
            .then_some(News::Reload)
    }
}

impl Live {
    pub fn snapshot(&self) -> LiveState {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LiveState> {
        // A thread that panicked while holding the lock left a consistent state: every
        // update is a few assignments.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits, at most until `deadline`, for news for a page of `slug` served at
    /// generation `since`; returns it with the generation it is about.
    pub fn wait(&self, slug: Option<&str>, since: u64, deadline: Instant) -> (u64, Option<News>) {
        let mut state = self.lock();
        loop {
            if let Some(news) = state.news(slug, since) {
                return (state.generation, Some(news));
            }
            let now = Instant::now();
            if now >= deadline {
                return (state.generation, None);
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Records a build's results and wakes the waiting pages, if anything changed.
    fn record(&self, results: &[(String, Result<(), String>)], built_any: bool) {
        let mut state = self.lock();
        let generation = state.generation + 1;
        let mut changed = built_any;
        for (slug, result) in results {
            match result {
                Ok(()) => {
                    state.built.insert(slug.clone(), generation);
                    changed |= state.failed.remove(slug).is_some();
                }
                Err(text) => {
                    let same = state.failed.get(slug).is_some_and(|(_, t)| t == text);
                    if !same {
                        state
                            .failed
                            .insert(slug.clone(), (generation, text.clone()));
                        changed = true;
                    }
                }
            }
        }
        if changed {
            state.generation = generation;
            drop(state);
            self.changed.notify_all();
        }
    }
}

/// Runs one build of `targets` for watch or serve: prints what the consultant needs
/// (diagnostics, engagements built or failed; not the fresh ones, which are most of them
/// after the first build) and records the results in `live`.
pub fn rebuild(
    targets: &[Target],
    dirs: &[PathBuf],
    options: &BuildOptions,
    printer: &mut Printer<'_>,
    base: Option<&Path>,
    live: &Live,
    first: bool,
) -> Summary {
    let started = Instant::now();
    let mut results: Vec<(String, Result<(), String>)> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut built_any = false;
    let summary = build::build(targets, dirs, options, &mut |event| {
        match &event {
            Event::Planned { .. } => pending.clear(),
            Event::Diagnostic(d) => pending.push(d.render(base, false)),
            Event::Done { slug, outcome } => {
                let text = std::mem::take(&mut pending).join("\n\n");
                match outcome {
                    Outcome::Failed { .. } => results.push((slug.to_string(), Err(text))),
                    Outcome::Built { .. } => {
                        built_any = true;
                        results.push((slug.to_string(), Ok(())));
                    }
                    // A fresh engagement that failed before (an edit undone) is good again.
                    Outcome::Fresh { .. } | Outcome::Checked | Outcome::Recorded { .. } => {
                        results.push((slug.to_string(), Ok(())));
                    }
                }
            }
        }
        let quiet_here = !first
            && matches!(
                event,
                Event::Planned { .. }
                    | Event::Done {
                        outcome: Outcome::Fresh { .. },
                        ..
                    }
            );
        if !quiet_here {
            printer.event(event);
        }
    });
    // A fresh engagement keeps the generation it was built in.
    let results: Vec<_> = results
        .into_iter()
        .filter(|(slug, r)| {
            r.is_err()
                || summary
                    .engagements
                    .iter()
                    .any(|e| &e.slug == slug && e.status == "built")
                || live.lock().failed.contains_key(slug)
        })
        .collect();
    live.record(&results, built_any);
    if !first {
        let built = summary
            .engagements
            .iter()
            .filter(|e| e.status == "built")
            .count();
        let failed = summary.failed.len();
        let millis = started.elapsed().as_millis();
        if failed > 0 {
            let mut line = String::new();
            if built > 0 {
                line = format!("{built} rebuilt, ");
            }
            line.push_str(&format!(
                "{failed} engagement{} failed in {millis} ms: the last good outputs are kept",
                crate::messages::plural(failed)
            ));
            printer.status("Finished", &line);
        } else if built > 0 {
            printer.status(
                "Finished",
                &format!(
                    "{built} engagement{} rebuilt in {millis} ms",
                    crate::messages::plural(built)
                ),
            );
        }
    }
    summary
}

/// Where `levier serve` listens, and whether it opens a browser.
pub struct ServeOptions {
    pub addr: std::net::SocketAddr,
    pub open: bool,
}

/// `levier watch` (no `serve`) and `levier serve`: builds, then rebuilds on every change
/// until the process is stopped. Returns only on a problem that stops it.
pub fn run(
    paths: &[PathBuf],
    serve: Option<ServeOptions>,
    printer: &mut Printer<'_>,
    base: Option<&Path>,
) -> ExitCode {
    let targets = match workspace::resolve(paths) {
        Ok(t) => t,
        Err(problems) => return printer.usage(&problems),
    };
    let dirs = match build::output_dirs(&targets, None) {
        Ok(d) => d,
        Err(problems) => return printer.usage(&problems),
    };
    let options = BuildOptions {
        out: None,
        formats: build::Format::available(),
        force: false,
    };
    // Watching from before the first build: a file saved during it is rebuilt after.
    let inputs = match watch::Inputs::watch(&targets) {
        Ok(i) => i,
        Err(problem) => return printer.usage(&[problem]),
    };
    let live = Arc::new(Live::default());
    let mut preview = None;
    if let Some(serve) = &serve {
        let Some(out) = dirs.first() else {
            return printer.usage(&[Diagnostic::error("no engagement to serve")]);
        };
        if dirs.iter().any(|d| d != out) {
            return printer.usage(&[Diagnostic::error(
                "these engagements are built into several output folders; serve shows one",
            )
            .help("serve one workspace at a time: `levier serve path/to/workspace`")]);
        }
        // Listening before building: a port in use is said at once, not after a build.
        match http::Preview::bind(serve.addr) {
            Ok(p) => preview = Some((p, out.clone())),
            Err(e) => {
                return printer.usage(&[Diagnostic::error(format!(
                    "cannot listen on {}: {e}",
                    serve.addr
                ))
                .help("choose another port with --port, or --port 0 for any free one")]);
            }
        }
    }
    let summary = rebuild(&targets, &dirs, &options, printer, base, &live, true);
    // The first build's summary, as `levier build` prints it; the exit status is the
    // watcher's, not this build's: a broken engagement is what watching is for.
    let _ = printer.summary(&summary, "built");
    if let Some((preview, out)) = preview {
        let url = preview.url.clone();
        preview.spawn(out, live.clone());
        if printer.is_quiet() {
            // The address is what a quiet run is for too: with --port 0 it is known only here.
            eprintln!("{:>12} {url}", "Serving");
        } else {
            printer.status("Serving", &format!("{url} (Ctrl-C to stop)"));
        }
        if let Some(serve) = &serve {
            if !serve.addr.ip().is_loopback() {
                printer.diagnostic(&Diagnostic::warning(format!(
                    "serving on {}: anyone who can reach this machine can read these reports",
                    serve.addr.ip()
                )));
            }
            if serve.open {
                open_browser(&url, printer);
            }
        }
    }
    printer.status("Watching", "for changes (Ctrl-C to stop)");
    let stopped = watch::run(paths, targets, inputs, &options, printer, base, &live);
    printer.diagnostic(&stopped);
    ExitCode::from(1)
}

/// Opens `url` in the desktop's browser; a failure is only a warning (the URL is printed).
fn open_browser(url: &str, printer: &Printer<'_>) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        printer.diagnostic(&Diagnostic::warning(format!(
            "cannot open a browser: {e}; open {url} yourself"
        )));
    }
}

/// How long to wait for a burst of saves (an editor writing a file in several steps, a
/// `git checkout`) to end before rebuilding.
pub const SETTLE: Duration = Duration::from_millis(150);

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> LiveState {
        let mut s = LiveState {
            generation: 3,
            ..LiveState::default()
        };
        s.built.insert("acme".into(), 3);
        s.built.insert("zeta".into(), 1);
        s.failed.insert("broken".into(), (2, "error: bad".into()));
        s
    }

    #[test]
    fn a_page_reloads_only_when_its_own_engagement_was_rebuilt_after_it_was_served() {
        let s = state();
        assert_eq!(s.news(Some("acme"), 2), Some(News::Reload));
        assert_eq!(s.news(Some("acme"), 3), None);
        assert_eq!(s.news(Some("zeta"), 2), None);
    }

    #[test]
    fn the_index_page_reloads_after_any_rebuild() {
        let s = state();
        assert_eq!(s.news(None, 2), Some(News::Reload));
        assert_eq!(s.news(None, 3), None);
    }

    #[test]
    fn a_failed_rebuild_is_news_once_with_its_diagnostics() {
        let s = state();
        assert_eq!(
            s.news(Some("broken"), 1),
            Some(News::Failed("error: bad".into()))
        );
        assert_eq!(s.news(Some("broken"), 2), None);
    }

    #[test]
    fn recording_the_same_failure_again_wakes_no_page() {
        let live = Live::default();
        let failure = vec![("acme".to_string(), Err("error: bad".to_string()))];
        live.record(&failure, false);
        assert_eq!(live.snapshot().generation, 1);
        live.record(&failure, false);
        assert_eq!(live.snapshot().generation, 1);
        live.record(&[("acme".to_string(), Ok(()))], true);
        let s = live.snapshot();
        assert_eq!(s.generation, 2);
        assert!(s.failed.is_empty());
        assert_eq!(s.news(Some("acme"), 1), Some(News::Reload));
    }

    #[test]
    fn a_waiting_page_wakes_when_its_engagement_is_rebuilt() {
        let live = std::sync::Arc::new(Live::default());
        let waiter = {
            let live = live.clone();
            std::thread::spawn(move || {
                live.wait(Some("acme"), 0, Instant::now() + Duration::from_secs(10))
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        live.record(&[("acme".to_string(), Ok(()))], true);
        let (generation, news) = waiter.join().expect("the waiter ends");
        assert_eq!((generation, news), (1, Some(News::Reload)));
    }
}
