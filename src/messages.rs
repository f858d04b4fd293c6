//! How diagnostics and progress reach the person or the CI reading them.
//!
//! Three audiences, one stream of events: a consultant at a terminal (cargo-style lines,
//! colours, a progress bar), a CI log (the same lines without the bar; with
//! `--message-format github`, annotations that GitHub shows on the pull request's lines)
//! and scripts (`--message-format json`, one JSON object per line on stdout, as cargo
//! does). Everything for people goes to stderr.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use serde_json::json;

use crate::build::{self, Event, Outcome};
use crate::diagnostic::{Diagnostic, Severity};

/// `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MessageFormat {
    /// Diagnostics like cargo's, progress lines, a summary.
    #[default]
    Human,
    /// One JSON object per line on stdout (diagnostics, engagements, the end of the run).
    Json,
    /// Human output, plus `::error file=…,line=…,col=…::` annotations on stdout.
    Github,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colours on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour text written to stderr.
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Prints a run's events in the format asked.
pub struct Printer<'a> {
    base: Option<&'a Path>,
    color: bool,
    quiet: bool,
    format: MessageFormat,
    bar: Option<indicatif::ProgressBar>,
}

impl<'a> Printer<'a> {
    pub fn new(
        base: Option<&'a Path>,
        color: ColorChoice,
        quiet: bool,
        format: MessageFormat,
    ) -> Printer<'a> {
        Printer {
            base,
            color: color.enabled(),
            quiet,
            format,
            bar: None,
        }
    }

    /// A path as shown to the user: relative to the working directory when under it.
    pub fn show(&self, path: &Path) -> String {
        crate::diagnostic::display_path(path, self.base)
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet || self.format == MessageFormat::Json
    }

    fn human(&self) -> bool {
        self.format != MessageFormat::Json
    }

    /// A line for people on stderr, above the progress bar if there is one. Control
    /// characters of the text are shown as their pictures (`␛`): an engagement folder
    /// named with an escape sequence or a line break must not drive the terminal nor
    /// forge a line of the log.
    fn line(&self, text: &str) {
        let text = printable(text);
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// A line whose first part is levier's own colouring (escape sequences kept).
    fn coloured_line(&self, coloured: &str, text: &str) {
        self.raw_line(&format!("{coloured} {}", printable(text)));
    }

    /// A line printed as it is: levier's own, its colours kept.
    fn raw_line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// A cargo-style status line: the verb right-aligned in 12 columns.
    pub fn status(&self, verb: &str, rest: &str) {
        if self.quiet || !self.human() {
            return;
        }
        let verb = if self.color {
            format!("\x1b[1;32m{verb:>12}\x1b[0m")
        } else {
            format!("{verb:>12}")
        };
        self.coloured_line(&verb, rest);
    }

    /// One JSON object on stdout (`--message-format json`).
    fn json(&self, value: serde_json::Value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{value}");
    }

    pub fn diagnostic(&self, d: &Diagnostic) {
        match self.format {
            MessageFormat::Json => self.json(json!({
                "type": "diagnostic",
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message,
                "file": d.path.as_deref().map(|p| self.show(p)),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "label": d.label,
                "notes": d.notes,
                "help": d.help,
                "rendered": d.render(self.base, false),
            })),
            MessageFormat::Human | MessageFormat::Github => {
                // Quiet runs still show every problem: they are what a quiet run is for.
                // Rendered with its own colours, its quoted text already made printable.
                self.raw_line(&format!("{}\n", d.render(self.base, self.color)));
                if self.format == MessageFormat::Github {
                    println!("{}", github_annotation(d, self.base));
                }
            }
        }
    }

    /// Problems that stop the command before it starts (exit status 2).
    pub fn usage(&self, problems: &[Diagnostic]) -> std::process::ExitCode {
        for p in problems {
            self.diagnostic(p);
        }
        std::process::ExitCode::from(2)
    }

    pub fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Planned { total } => self.start_progress(total),
            Event::Diagnostic(d) => self.diagnostic(d),
            Event::Done { slug, outcome } => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
                self.done(slug, outcome);
            }
        }
    }

    fn start_progress(&mut self, total: usize) {
        use std::io::IsTerminal;
        if self.quiet || !self.human() || total < 2 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix:>12.cyan.bold} [{bar:30}] {pos}/{len} engagements, {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix("Building");
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        self.bar = Some(bar);
    }

    fn done(&self, slug: &str, outcome: &Outcome) {
        if self.format == MessageFormat::Json {
            let mut value = json!({ "type": "engagement", "slug": slug });
            let fields = match outcome {
                Outcome::Built { dir, files, millis } => json!({
                    "status": "built", "dir": self.show(dir), "files": files, "millis": millis,
                }),
                Outcome::Fresh { dir, warnings } => json!({
                    "status": "fresh", "dir": self.show(dir), "warnings": warnings,
                }),
                Outcome::Checked => json!({ "status": "checked" }),
                Outcome::Recorded { file } => json!({
                    "status": "recorded", "file": self.show(file),
                }),
                Outcome::Failed { errors } => json!({ "status": "failed", "errors": errors }),
            };
            if let (Some(v), Some(f)) = (value.as_object_mut(), fields.as_object()) {
                v.extend(f.clone());
            }
            self.json(value);
            return;
        }
        match outcome {
            Outcome::Built { dir, files, millis } => self.status(
                "Built",
                &format!(
                    "{slug} -> {} ({}) in {millis} ms",
                    self.show(dir),
                    files.join(", ")
                ),
            ),
            Outcome::Fresh { dir, warnings } => self.status(
                "Fresh",
                &format!(
                    "{slug} -> {}{}",
                    self.show(dir),
                    match warnings {
                        0 => String::new(),
                        n => format!(
                            " ({n} warning{} when built; --force shows them again)",
                            plural(*n)
                        ),
                    }
                ),
            ),
            Outcome::Checked => self.status("Ok", slug),
            Outcome::Recorded { file } => {
                self.status("Recorded", &format!("{slug} -> {}", self.show(file)));
            }
            // Failures are shown even in quiet runs.
            Outcome::Failed { errors } => self.line(&format!(
                "{:>12} {slug}: {errors} error{}, nothing written",
                "Failed",
                plural(*errors)
            )),
        }
    }

    /// The last lines of a run, and its exit status.
    pub fn summary(&mut self, summary: &build::Summary, verb: &str) -> std::process::ExitCode {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let code = if summary.succeeded() { 0 } else { 1 };
        if self.format == MessageFormat::Json {
            self.json(json!({
                "type": "finished",
                "total": summary.total,
                "failed": summary.failed,
                "index": summary.index_pages.iter().map(|p| self.show(p)).collect::<Vec<_>>(),
                "success": code == 0,
            }));
            return std::process::ExitCode::from(code);
        }
        if summary.total == 0 {
            if !self.quiet {
                self.line("warning: no engagement found (engagements/<slug>/engagement.toml)");
            }
            return std::process::ExitCode::from(code);
        }
        let failed = summary.failed.len();
        if failed > 0 {
            self.line(&format!(
                "error: {failed} of {} engagement{} had errors: {}",
                summary.total,
                plural(summary.total),
                summary.failed.join(", ")
            ));
        } else if summary.run_errors > 0 {
            self.line(
                "error: the engagements were built, but an output could not be written (see above)",
            );
        } else {
            let fresh = summary
                .engagements
                .iter()
                .filter(|e| e.status == "fresh")
                .count();
            let total = format!("{} engagement{}", summary.total, plural(summary.total));
            let line = match fresh {
                0 => format!("{total} {verb}"),
                n if n == summary.total => format!("{total}, all fresh: nothing to rebuild"),
                n => format!("{total} {verb} ({n} fresh, not rebuilt)"),
            };
            self.status("Finished", &line);
        }
        for page in &summary.index_pages {
            self.status("Open", &self.show(page));
        }
        std::process::ExitCode::from(code)
    }
}

/// A GitHub Actions workflow command that shows `d` on the file's line in the pull
/// request (`::error file=…,line=…,col=…::message`).
pub fn github_annotation(d: &Diagnostic, base: Option<&Path>) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(path) = &d.path {
        let shown = crate::diagnostic::display_path(path, base).replace('\\', "/");
        props.push(format!("file={}", escape_property(&shown)));
    }
    if let Some(loc) = &d.location {
        props.push(format!("line={}", loc.line));
        props.push(format!("col={}", loc.column));
    }
    props.push("title=levier".to_string());
    let mut message = d.message.clone();
    for extra in d.label.iter().chain(&d.notes).chain(d.help.iter()) {
        message.push('\n');
        message.push_str(extra);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `text` with its control characters (line breaks included) replaced by their Unicode
/// pictures.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    #[test]
    fn github_annotations_point_at_the_line_and_escape_their_text() {
        let d = Diagnostic::error("invalid number `1,5`")
            .in_file("/ws/engagements/acme/data/sales.csv")
            .at(Location::in_line(14, "2025-03-02,C1,1,5", 13..16))
            .help("100% sure: use a dot");
        let a = github_annotation(&d, Some(Path::new("/ws")));
        assert_eq!(
            a,
            "::error file=engagements/acme/data/sales.csv,line=14,col=14,title=levier::invalid number `1,5`%0A100%25 sure: use a dot"
        );
        let w = Diagnostic::warning("no engagement");
        assert_eq!(
            github_annotation(&w, None),
            "::warning title=levier::no engagement"
        );
    }
}
