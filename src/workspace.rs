//! Finding the engagements to work on from the paths given on the command line.
//!
//! A path is an engagement folder (it has `engagement.toml`) or a workspace root (it has
//! `engagements/` or `levier.toml`). Outputs of an engagement go to its workspace's
//! `output/<slug>/`. The rules are engagement-format.md's "Command line" section.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::engagement::toml_reader::TomlFile;

/// Workspace settings from `levier.toml` (all optional).
#[derive(Debug, Clone, Default)]
pub struct WorkspaceSettings {
    /// Output folder relative to the workspace (default `output`).
    pub output: Option<String>,
}

/// A workspace and the engagements to build in it.
#[derive(Debug, Clone)]
pub struct Target {
    pub workspace: PathBuf,
    pub settings: WorkspaceSettings,
    pub engagements: Vec<PathBuf>,
}

impl Target {
    /// Where outputs go, unless `--out` says otherwise.
    pub fn output_dir(&self) -> PathBuf {
        self.workspace
            .join(self.settings.output.as_deref().unwrap_or("output"))
    }
}

pub fn is_engagement(dir: &Path) -> bool {
    dir.join("engagement.toml").is_file()
}

pub fn is_workspace(dir: &Path) -> bool {
    dir.join("engagements").is_dir() || dir.join("levier.toml").is_file()
}

/// Whether a folder inside `engagements/` is an engagement by its name.
fn is_engagement_name(name: &str) -> bool {
    !name.starts_with(['_', '.'])
}

/// Resolves command-line paths into targets. Errors are usage errors (exit status 2).
pub fn resolve(paths: &[PathBuf]) -> Result<Vec<Target>, Vec<Diagnostic>> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut targets: Vec<Target> = Vec::new();
    let mut problems = Vec::new();
    for given in paths {
        if !given.is_dir() {
            problems.push(
                Diagnostic::error(format!("`{}` is not a folder", given.display()))
                    .help("give an engagement folder (with engagement.toml) or a workspace (with engagements/)"),
            );
            continue;
        }
        // Work on absolute paths: `.` or `engagements/acme/..` have no usable parent or
        // name as written (`levier build` run inside an engagement folder used to take
        // the engagement itself as its workspace, and name it `.`), and the same folder
        // written two ways must be recognised as one.
        let path = absolute(&given);
        let (workspace, engagements) = if is_engagement(&path) {
            let parent = path
                .parent()
                .map_or_else(|| path.clone(), Path::to_path_buf);
            let workspace = match parent.parent() {
                Some(w)
                    if parent.file_name().is_some_and(|n| n == "engagements")
                        && is_workspace(w) =>
                {
                    w.to_path_buf()
                }
                _ => parent,
            };
            (workspace, vec![path.clone()])
        } else if is_workspace(&path) {
            let mut found = Vec::new();
            let dir = path.join("engagements");
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.filter_map(Result::ok) {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if entry.path().is_dir() && is_engagement_name(&name) {
                        found.push(entry.path());
                    }
                }
            }
            found.sort();
            (path.clone(), found)
        } else {
            problems.push(
                Diagnostic::error(format!(
                    "`{}` is neither an engagement nor a workspace",
                    given.display()
                ))
                .note("an engagement folder has an engagement.toml; a workspace has an engagements/ folder or a levier.toml")
                .help("create one with `levier new <slug>`"),
            );
            continue;
        };
        let settings = match read_settings(&workspace) {
            Ok(s) => s,
            Err(mut d) => {
                problems.append(&mut d);
                continue;
            }
        };
        let canonical = workspace.canonicalize().unwrap_or(workspace.clone());
        match targets
            .iter_mut()
            .find(|t| t.workspace.canonicalize().ok().as_ref() == Some(&canonical))
        {
            Some(t) => {
                for e in engagements {
                    if !t.engagements.contains(&e) {
                        t.engagements.push(e);
                    }
                }
            }
            None => targets.push(Target {
                workspace,
                settings,
                engagements,
            }),
        }
    }
    if problems.is_empty() {
        Ok(targets)
    } else {
        Err(problems)
    }
}

/// The absolute form of a command-line path, with `.` and `..` resolved lexically (as the
/// shell does for `cd`), without following symbolic links.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::engagement::paths::normalise(&abs)
}

fn read_settings(workspace: &Path) -> Result<WorkspaceSettings, Vec<Diagnostic>> {
    let path = workspace.join("levier.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(WorkspaceSettings::default());
    };
    let file = TomlFile::new(&path, &text);
    let doc = file.parse();
    let root = file.root(&doc);
    let mut settings = WorkspaceSettings::default();
    if let Some(build) = root.table("build") {
        if let Some(out) = build.string("output") {
            let p = Path::new(&out.value);
            if p.is_absolute()
                || p.components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                file.report(
                    out.origin
                        .error("`build.output` must be a folder inside the workspace"),
                );
            } else {
                settings.output = Some(out.value);
            }
        }
        build.finish();
    }
    root.finish();
    let diagnostics = file.into_diagnostics();
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(settings)
    }
}
