//! The command line: argument definitions and glue, nothing else.
//!
//! Each flag is documented once here and that text is the `--help`. Errors that do not
//! stop the run (one broken engagement among several) are printed and remembered for
//! the exit status: 0 all built, 1 some engagement had errors, 2 bad usage.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, Format};
use crate::diagnostic::Diagnostic;
use crate::{scaffold, workspace};

#[derive(Parser, Debug)]
#[command(
    name = "levier",
    version,
    about = "Sales-consulting reports from an engagement folder: diagnostic, improvement points, action plan, follow-up",
    long_about = "levier reads one folder per client engagement (objectives in TOML, CRM and accounting \
exports in CSV, the consultant's notes in Markdown), runs the commercial diagnostic and the action-plan \
analyses, and writes the deliverables to output/<slug>/.",
    after_help = "Examples:\n  levier build                      build every engagement of the current workspace\n  levier check engagements/acme     validate one engagement, listing every problem\n  levier new acme                   start a new engagement from a commented template"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the deliverables of engagements into output/<slug>/.
    #[command(
        after_help = "PATH is an engagement folder or a workspace root (default: the current directory, \
whose engagements/ are all built). A broken engagement is reported and skipped; the others are still built, \
and the exit status is 1.\n\nExamples:\n  levier build\n  levier build engagements/acme --format json\n  levier build ~/clients --out /tmp/reports"
    )]
    Build {
        /// Engagement folders or workspace roots.
        paths: Vec<PathBuf>,
        /// Write outputs to DIR/<slug>/ instead of <workspace>/output/<slug>/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Outputs to produce, comma-separated.
        #[arg(long, value_delimiter = ',', value_name = "FORMATS", default_values_t = Format::available())]
        format: Vec<Format>,
    },
    /// Validate engagements without writing anything; list every problem with file:line:col.
    #[command(after_help = "Examples:\n  levier check\n  levier check engagements/acme")]
    Check {
        /// Engagement folders or workspace roots.
        paths: Vec<PathBuf>,
        /// Also print which columns and values each CRM preset (`preset = "salesforce"`)
        /// used, and the rows `skip`/`keep` left out.
        #[arg(long)]
        explain: bool,
    },
    /// Work with the report templates (HTML, translations, lever catalogue).
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Create engagements/<slug>/ from a commented template that `levier check` accepts.
    #[command(
        after_help = "The new folder holds engagement.toml, objectives.toml, plan.toml, a data/ folder \
with the four CSV tables (headers and one example row each) and notes/. Replace the examples with the \
client's data.\n\nExample:\n  levier new maison-vidal"
    )]
    New {
        /// Folder name of the engagement: lowercase letters, digits and hyphens.
        slug: String,
        /// Workspace to create it in (default: the current directory).
        #[arg(long, value_name = "DIR", default_value = ".")]
        workspace: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum TemplatesCommand {
    /// Copy the built-in templates into <workspace>/templates/ to customise them.
    #[command(
        after_help = "Every file written overrides the built-in one of the same path; delete a file to \
go back to the built-in version. Existing files are kept unless --force.\n\nExample:\n  levier templates eject\n  \
levier templates eject --workspace ~/clients --force"
    )]
    Eject {
        /// Workspace to write templates/ into (default: the current directory).
        #[arg(long, value_name = "DIR", default_value = ".")]
        workspace: PathBuf,
        /// Overwrite templates that already exist.
        #[arg(long)]
        force: bool,
    },
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Html, Format::Pdf, Format::Json]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let cwd = std::env::current_dir().ok();
    let printer = Printer {
        base: cwd.as_deref(),
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Command::Build { paths, out, format } => {
            let targets = match workspace::resolve(&paths) {
                Ok(t) => t,
                Err(problems) => return printer.usage(&problems),
            };
            if let Err(problem) = Format::check_available(&format) {
                return printer.usage(&[*problem]);
            }
            // With --out, engagements of several workspaces share one output folder; two
            // with the same name would be written to the same place at the same time.
            if let Some(dir) = &out {
                let mut seen = std::collections::BTreeSet::new();
                for e in targets.iter().flat_map(|t| &t.engagements) {
                    let slug = e.file_name().unwrap_or_default().to_string_lossy();
                    if !seen.insert(slug.clone().into_owned()) {
                        return printer.usage(&[Diagnostic::error(format!(
                            "two engagements named `{slug}` would both be written to {}",
                            printer.show(&dir.join(slug.as_ref()))
                        ))
                        .help("build them in separate runs, or without --out")]);
                    }
                }
            }
            let summary = build::build(&targets, out.as_deref(), &format, &mut |event| {
                printer.event(event)
            });
            printer.summary(&summary, "built")
        }
        Command::Check { paths, explain } => {
            let targets = match workspace::resolve(&paths) {
                Ok(t) => t,
                Err(problems) => return printer.usage(&problems),
            };
            if explain {
                for t in &targets {
                    for dir in &t.engagements {
                        print!("{}", crate::engagement::explain(dir, &t.workspace));
                    }
                }
            }
            let summary = build::check(&targets, &mut |event| printer.event(event));
            printer.summary(&summary, "checked")
        }
        Command::Templates(TemplatesCommand::Eject { workspace, force }) => {
            match crate::templates::eject(&workspace, force) {
                Ok(written) => {
                    for path in &written {
                        eprintln!("     Written {}", printer.show(path));
                    }
                    let total = crate::templates::BUILTIN.len();
                    if written.len() < total {
                        eprintln!(
                            "        Kept {} existing template{} (use --force to overwrite)",
                            total - written.len(),
                            plural(total - written.len())
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(problem) => printer.usage(&[problem]),
            }
        }
        Command::New { slug, workspace } => {
            match scaffold::new_engagement(&workspace::absolute(&workspace), &slug) {
                Ok(dir) => {
                    eprintln!(
                        "     Created engagement `{slug}` in {}\n\nNext: put the client's exports in {}/data/, fill engagement.toml and objectives.toml,\nthen run `levier check {}`.",
                        printer.show(&dir),
                        printer.show(&dir),
                        printer.show(&dir)
                    );
                    ExitCode::SUCCESS
                }
                Err(problem) => printer.usage(&[*problem]),
            }
        }
    }
}

/// Prints diagnostics and progress to stderr.
struct Printer<'a> {
    base: Option<&'a Path>,
    color: bool,
}

impl Printer<'_> {
    fn show(&self, path: &Path) -> String {
        crate::diagnostic::display_path(path, self.base)
    }

    fn print(&self, d: &Diagnostic) {
        eprintln!("{}\n", d.render(self.base, self.color));
    }

    fn usage(&self, problems: &[Diagnostic]) -> ExitCode {
        for p in problems {
            self.print(p);
        }
        ExitCode::from(2)
    }

    fn event(&self, event: build::Event<'_>) {
        match event {
            build::Event::Diagnostic(d) => self.print(d),
            build::Event::Done { slug, outcome } => match outcome {
                build::Outcome::Built { dir, files, millis } => eprintln!(
                    "       Built {slug} -> {} ({}) in {millis} ms",
                    self.show(dir),
                    files.join(", ")
                ),
                build::Outcome::Checked => eprintln!("          Ok {slug}"),
                build::Outcome::Failed { errors } => eprintln!(
                    "      Failed {slug}: {errors} error{}, nothing written",
                    if *errors == 1 { "" } else { "s" }
                ),
            },
        }
    }

    fn summary(&self, summary: &build::Summary, verb: &str) -> ExitCode {
        if summary.total == 0 {
            eprintln!("warning: no engagement found (engagements/<slug>/engagement.toml)");
            return ExitCode::SUCCESS;
        }
        let failed = summary.failed.len();
        if failed == 0 {
            eprintln!(
                "    Finished {} engagement{} {verb}",
                summary.total,
                plural(summary.total)
            );
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "error: {failed} of {} engagement{} had errors: {}",
                summary.total,
                plural(summary.total),
                summary.failed.join(", ")
            );
            ExitCode::from(1)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
