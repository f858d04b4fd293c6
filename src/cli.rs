//! The command line: argument definitions and glue, nothing else.
//!
//! Each flag is documented once here and that text is the `--help`, the man page and
//! the shell completions. Errors that do not stop the run (one broken engagement among
//! several) are printed and remembered for the exit status: 0 all built, 1 some
//! engagement had errors or an output could not be written, 2 bad usage. How messages
//! look is [`crate::messages`]'s job.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::build::{self, BuildOptions, Format};
use crate::diagnostic::Diagnostic;
use crate::messages::{ColorChoice, MessageFormat, Printer};
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
    /// Print only problems: no progress, no "Built" or "Finished" lines.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// When to colour messages; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t)]
    color: ColorChoice,
    /// How to print diagnostics: for people, as JSON lines on stdout, or also as GitHub
    /// Actions annotations that show on the pull request's lines.
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        global = true,
        default_value_t
    )]
    message_format: MessageFormat,
}

/// `--shard k/n`.
#[derive(Debug, Clone, Copy)]
struct Shard {
    k: u32,
    n: u32,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("expected K/N, like 1/3, not `{text}`"))?;
    let k: u32 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a shard number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number of shards"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n} does not exist: K goes from 1 to N"));
    }
    Ok(Shard { k, n })
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the deliverables of engagements into output/<slug>/.
    #[command(
        after_help = "PATH is an engagement folder or a workspace root (default: the current directory, \
or the engagement or workspace it is in). A broken engagement is reported and skipped; the others are still \
built, and the exit status is 1. An engagement whose inputs did not change since its outputs were built is \
\"fresh\": it is not rebuilt and none of its files is rewritten.\n\nExamples:\n  levier build\n  \
levier build engagements/acme --format json\n  levier build ~/clients --out /tmp/reports\n  \
levier build --shard 2/4 --summary summary.md"
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
        /// Rebuild every engagement, even those whose outputs are up to date.
        #[arg(long)]
        force: bool,
        /// Build only the K-th of N disjoint sets of the engagements (for a CI job matrix;
        /// an engagement's set depends only on its name).
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
        /// Append a Markdown summary of the run to FILE (e.g. "$GITHUB_STEP_SUMMARY").
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
    },
    /// Validate engagements without writing anything; list every problem with file:line:col.
    #[command(
        after_help = "check runs everything build runs (templates and rendering included) except writing, \
so an engagement that checks builds.\n\nExamples:\n  levier check\n  levier check engagements/acme"
    )]
    Check {
        /// Engagement folders or workspace roots.
        paths: Vec<PathBuf>,
        /// Also print which columns and values each CRM preset (`preset = "salesforce"`)
        /// used, and the rows `skip`/`keep` left out.
        #[arg(long)]
        explain: bool,
        /// Check only the K-th of N disjoint sets of the engagements.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
        /// Append a Markdown summary of the run to FILE.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
    },
    /// Record each engagement's current measurement in <engagement>/history/<as_of>.json.
    #[command(
        after_help = "The next builds compare with the most recent record dated before their `as_of` and \
show what changed since (metrics.json `since_last`, and a section of the report). Commit the record with \
the engagement. A measurement already recorded for the same `as_of` is replaced only with --force.\n\n\
The monthly routine: update the data and `as_of`, `levier build`, review the report, `levier record`, \
commit.\n\nExamples:\n  levier record\n  levier record engagements/acme --force"
    )]
    Record {
        /// Engagement folders or workspace roots.
        paths: Vec<PathBuf>,
        /// Replace a record of the same date.
        #[arg(long)]
        force: bool,
    },
    /// Create engagements/<slug>/ from a commented template that `levier check` accepts.
    #[command(
        after_help = "The new folder holds engagement.toml, objectives.toml, plan.toml, a data/ folder \
with the four CSV tables (headers and one example row each) and notes/. Replace the examples with the \
client's data: `levier check` warns about example text left in place. A workspace without a .gitignore \
gets one that keeps output/ out of git.\n\nExample:\n  levier new maison-vidal"
    )]
    New {
        /// Folder name of the engagement: lowercase letters, digits and hyphens.
        slug: String,
        /// Workspace to create it in (default: the current directory).
        #[arg(long, value_name = "DIR", default_value = ".")]
        workspace: PathBuf,
    },
    /// Rebuild index.html and index.json of an output folder from the engagements in it.
    #[command(
        after_help = "Use it to merge the outputs of several `levier build --shard` jobs copied into one \
folder. OUT defaults to the current workspace's output folder.\n\nExample:\n  levier index output"
    )]
    Index {
        /// The output folder.
        out: Option<PathBuf>,
        /// Workspace whose templates draw the page (default: the one OUT or the current
        /// directory is in; built-in templates otherwise).
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
        /// Append a Markdown summary to FILE.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
    },
    /// Work with the report templates (HTML, translations, lever catalogue).
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Write a CI configuration that builds the deliverables when the data changes.
    #[command(subcommand)]
    Ci(CiCommand),
    /// Build, serve the outputs to a browser and rebuild on every save; pages reload themselves.
    #[command(
        after_help = "Builds like `levier build`, then serves the output folder on http://127.0.0.1:PORT/ \
(this machine only, unless --bind says otherwise) and watches the engagements, the brand, the templates and \
levier.toml. A save rebuilds the engagements it touches, and their open pages reload. A failed rebuild writes \
nothing: its problems are printed here and shown over the last good page in the browser. The files written \
are the same as `levier build`'s: the reload hook is added only to the pages served.\n\nExamples:\n  \
levier serve\n  levier serve engagements/acme --open\n  levier serve --port 8080 --bind 0.0.0.0"
    )]
    Serve {
        /// Engagement folder or workspace root (default: the one the current directory is in).
        path: Option<PathBuf>,
        /// Port to listen on (0: any free port, printed at start).
        #[arg(long, value_name = "N", default_value_t = 3000)]
        port: u16,
        /// Open the index page in the desktop's browser.
        #[arg(long)]
        open: bool,
        /// Address to listen on; anything but 127.0.0.1 or ::1 shows the reports to the network.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Build, then rebuild on every save, without serving.
    #[command(
        after_help = "Like `levier serve` without the server: builds, then rebuilds the engagements whose \
inputs change until Ctrl-C. Open the pages from the output folder yourself.\n\nExample:\n  levier watch"
    )]
    Watch {
        /// Engagement folders or workspace roots.
        paths: Vec<PathBuf>,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  levier completions bash > ~/.local/share/bash-completion/completions/levier\n  \
levier completions zsh > ~/.zfunc/_levier\n  levier completions fish > ~/.config/fish/completions/levier.fish"
    )]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  levier man > ~/.local/share/man/man1/levier.1")]
    Man,
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

#[derive(Subcommand, Debug)]
enum CiCommand {
    /// Write .github/workflows/levier.yml: check, a shard matrix of builds, merged deliverables.
    #[command(
        after_help = "The number of build jobs is `[ci] shards` of levier.toml (default 2), or --shards. \
An existing workflow is replaced only if levier wrote it.\n\nExample:\n  levier ci github\n  \
levier ci github --workspace ~/clients --shards 4"
    )]
    Github {
        /// The workspace, at the root of the git repository (default: the current directory).
        #[arg(long, value_name = "DIR", default_value = ".")]
        workspace: PathBuf,
        /// Number of parallel build jobs (overrides `[ci] shards`).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
        shards: Option<u32>,
        /// Replace a workflow of that name that levier did not write.
        #[arg(long)]
        force: bool,
    },
}

/// The command-line definition, for completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
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
    let mut printer = Printer::new(cwd.as_deref(), cli.color, cli.quiet, cli.message_format);
    match cli.command {
        Command::Build {
            paths,
            out,
            format,
            force,
            shard,
            summary,
        } => {
            let mut targets = match workspace::resolve(&paths) {
                Ok(t) => t,
                Err(problems) => return printer.usage(&problems),
            };
            if let Some(s) = shard {
                workspace::shard(&mut targets, s.k, s.n);
            }
            if let Err(problem) = Format::check_available(&format) {
                return printer.usage(&[*problem]);
            }
            if let Err(problem) = one_name_per_output(&targets, out.as_deref(), &printer) {
                return printer.usage(&[problem]);
            }
            let dirs = match build::output_dirs(&targets, out.as_deref()) {
                Ok(d) => d,
                Err(problems) => return printer.usage(&problems),
            };
            if let Err(problem) = check_summary(summary.as_deref(), &targets, &dirs) {
                return printer.usage(&[problem]);
            }
            let options = BuildOptions {
                out,
                formats: format,
                force,
            };
            let result = build::build(&targets, &dirs, &options, &mut |event| printer.event(event));
            write_summary(&printer, summary.as_deref(), &result, "build");
            printer.summary(&result, "built")
        }
        Command::Check {
            paths,
            explain,
            shard,
            summary,
        } => {
            let mut targets = match workspace::resolve(&paths) {
                Ok(t) => t,
                Err(problems) => return printer.usage(&problems),
            };
            if let Some(s) = shard {
                workspace::shard(&mut targets, s.k, s.n);
            }
            if explain {
                for t in &targets {
                    for dir in &t.engagements {
                        print!("{}", crate::engagement::explain(dir, &t.workspace));
                    }
                }
            }
            // Where outputs would go is checked too: a build would refuse it.
            let dirs = match build::output_dirs(&targets, None) {
                Ok(d) => d,
                Err(problems) => return printer.usage(&problems),
            };
            if let Err(problem) = check_summary(summary.as_deref(), &targets, &dirs) {
                return printer.usage(&[problem]);
            }
            let result = build::check(&targets, &mut |event| printer.event(event));
            write_summary(&printer, summary.as_deref(), &result, "check");
            printer.summary(&result, "checked")
        }
        Command::Record { paths, force } => {
            let targets = match workspace::resolve(&paths) {
                Ok(t) => t,
                Err(problems) => return printer.usage(&problems),
            };
            let result =
                crate::recording::record(&targets, force, &mut |event| printer.event(event));
            printer.summary(&result, "recorded")
        }
        Command::Index {
            out,
            workspace: ws,
            summary,
        } => index(&printer, out, ws, summary.as_deref()),
        Command::Templates(TemplatesCommand::Eject { workspace, force }) => {
            match crate::templates::eject(&workspace, force) {
                Ok(written) => {
                    for path in &written {
                        printer.status("Written", &printer.show(path));
                    }
                    let total = crate::templates::BUILTIN.len();
                    if written.len() < total {
                        printer.status(
                            "Kept",
                            &format!(
                                "{} existing template{} (use --force to overwrite)",
                                total - written.len(),
                                crate::messages::plural(total - written.len())
                            ),
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(problem) => printer.usage(&[problem]),
            }
        }
        Command::New { slug, workspace } => new(&printer, &slug, &workspace),
        Command::Ci(CiCommand::Github {
            workspace,
            shards,
            force,
        }) => {
            let workspace = workspace::absolute(&workspace);
            let settings = match workspace::read_settings(&workspace) {
                Ok(s) => s,
                Err(problems) => return printer.usage(&problems),
            };
            let shards = shards
                .or(settings.ci_shards)
                .unwrap_or(crate::ci::DEFAULT_SHARDS);
            let output = settings.output.as_deref().unwrap_or("output");
            match crate::ci::write_github(&workspace, shards, output, force) {
                Ok(path) => {
                    printer.status(
                        "Written",
                        &format!(
                            "{} ({shards} build job{})",
                            printer.show(&path),
                            crate::messages::plural(shards as usize)
                        ),
                    );
                    ExitCode::SUCCESS
                }
                Err(problem) => printer.usage(&[problem]),
            }
        }
        Command::Serve {
            path,
            port,
            open,
            bind,
        } => {
            let serve = crate::serve::ServeOptions {
                addr: std::net::SocketAddr::new(bind, port),
                open,
            };
            let paths: Vec<PathBuf> = path.into_iter().collect();
            crate::serve::run(&paths, Some(serve), &mut printer, cwd.as_deref())
        }
        Command::Watch { paths } => crate::serve::run(&paths, None, &mut printer, cwd.as_deref()),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut command(), "levier", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => match clap_mangen::Man::new(command()).render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => printer.usage(&[Diagnostic::error(format!(
                "cannot write the manual page: {e}"
            ))]),
        },
    }
}

/// With --out, engagements of several workspaces share one output folder; two with the
/// same name would be written to the same place.
fn one_name_per_output(
    targets: &[workspace::Target],
    out: Option<&Path>,
    printer: &Printer<'_>,
) -> Result<(), Diagnostic> {
    let Some(dir) = out else { return Ok(()) };
    let mut seen = std::collections::BTreeSet::new();
    for e in targets.iter().flat_map(|t| &t.engagements) {
        let slug = e.file_name().unwrap_or_default().to_string_lossy();
        if !seen.insert(slug.clone().into_owned()) {
            return Err(Diagnostic::error(format!(
                "two engagements named `{slug}` would both be written to {}",
                printer.show(&dir.join(slug.as_ref()))
            ))
            .help("build them in separate runs, or without --out"));
        }
    }
    Ok(())
}

/// `--summary FILE` must not be a file of the engagements or of the outputs it lists.
fn check_summary(
    summary: Option<&Path>,
    targets: &[workspace::Target],
    outputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let Some(summary) = summary else {
        return Ok(());
    };
    let workspaces: Vec<&Path> = targets.iter().map(|t| t.workspace.as_path()).collect();
    crate::output::check_summary(summary, &workspaces, outputs)
}

fn write_summary(printer: &Printer<'_>, path: Option<&Path>, result: &build::Summary, verb: &str) {
    let Some(path) = path else { return };
    let md = crate::summary::markdown(result, verb, &crate::summary::SinceLastRecord);
    if let Err(e) = crate::summary::append(path, &md) {
        printer.diagnostic(
            &Diagnostic::warning(format!("cannot write the summary: {e}")).in_file(path),
        );
    }
}

fn new(printer: &Printer<'_>, slug: &str, workspace: &Path) -> ExitCode {
    let workspace = workspace::absolute(workspace);
    match scaffold::new_engagement(&workspace, slug) {
        Ok(created) => {
            let dir = printer.show(&created.dir);
            printer.status("Created", &format!("engagement `{slug}` in {dir}"));
            if let Some(ignore) = &created.gitignore {
                printer.status(
                    "Created",
                    &format!("{} (keeps output/ out of git)", printer.show(ignore)),
                );
            }
            let brand = printer.show(&workspace.join("brand"));
            if !printer.is_quiet() {
                eprintln!(
                    "\nNext: put the client's exports in {dir}/data/, fill engagement.toml and objectives.toml \
(replace the example text),\nthen run `levier check {dir}`.\nTo put your own brand on the reports, add {brand}/brand.toml \
with your firm's name, colours and logo\n(see \"Brand\" in docs/engagement-format.md); it applies to every engagement of the workspace."
                );
            }
            ExitCode::SUCCESS
        }
        Err(problem) => printer.usage(&[*problem]),
    }
}

fn index(
    printer: &Printer<'_>,
    out: Option<PathBuf>,
    ws: Option<PathBuf>,
    summary: Option<&Path>,
) -> ExitCode {
    let here = workspace::absolute(Path::new("."));
    let out = match out {
        Some(o) => workspace::absolute(&o),
        None => match workspace::workspace_of(&here) {
            Some(w) => match workspace::read_settings(&w) {
                Ok(s) => w.join(s.output.as_deref().unwrap_or("output")),
                Err(problems) => return printer.usage(&problems),
            },
            None => {
                return printer.usage(&[Diagnostic::error(
                    "no output folder given, and no workspace here",
                )
                .help("give the output folder: `levier index output`")]);
            }
        },
    };
    if !out.is_dir() {
        return printer.usage(&[Diagnostic::error(format!(
            "`{}` is not a folder",
            printer.show(&out)
        ))]);
    }
    let ws = ws
        .map(|w| workspace::absolute(&w))
        .or_else(|| workspace::workspace_of(&out))
        .or_else(|| workspace::workspace_of(&here));
    if let Some(summary) = summary {
        let workspaces: Vec<&Path> = ws.iter().map(PathBuf::as_path).collect();
        if let Err(problem) =
            crate::output::check_summary(summary, &workspaces, std::slice::from_ref(&out))
        {
            return printer.usage(&[problem]);
        }
    }
    match build::index(&out, ws.as_deref()) {
        Ok((entries, problems)) => {
            for p in &problems {
                printer.diagnostic(p);
            }
            let page = out.join("index.html");
            printer.status(
                "Indexed",
                &format!("{entries} engagement{}", crate::messages::plural(entries)),
            );
            printer.status("Open", &printer.show(&page));
            if let Some(path) = summary {
                let md = crate::summary::index_markdown(&out);
                if let Err(e) = crate::summary::append(path, &md) {
                    printer.diagnostic(
                        &Diagnostic::warning(format!("cannot write the summary: {e}"))
                            .in_file(path),
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                printer.diagnostic(p);
            }
            ExitCode::from(1)
        }
    }
}
