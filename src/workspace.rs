//! Finding the engagements to work on from the paths given on the command line.
//!
//! A path is an engagement folder (it has `engagement.toml`) or a workspace root (it has
//! `engagements/` or `levier.toml`). Outputs of an engagement go to its workspace's
//! `output/<slug>/`. The rules are engagement-format.md's "Command line" section. Run
//! without a path from inside an engagement or one of its sub-folders, levier looks
//! upwards for it, as cargo and git do.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::engagement::toml_reader::TomlFile;

/// Workspace settings from `levier.toml` (all optional).
#[derive(Debug, Clone, Default)]
pub struct WorkspaceSettings {
    /// Output folder relative to the workspace (default `output`).
    pub output: Option<String>,
    /// `[ci] shards`: how many jobs the generated CI workflow builds in parallel.
    pub ci_shards: Option<u32>,
}

/// Folders and files of a workspace that hold its inputs: an output folder may not be,
/// contain or sit inside any of them.
pub const INPUTS: &[&str] = &["engagements", "brand", "templates", "levier.toml"];

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
        vec![find_upwards(&absolute(Path::new(".")))]
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

/// The engagement or workspace that `dir` is in: `dir` itself when it is one, else the
/// nearest parent that is (an engagement's `data/` or `notes/`, a workspace's `brand/`).
/// `dir` when none is, for the usual "neither" error.
pub fn find_upwards(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|a| is_engagement(a) || is_workspace(a))
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf)
}

/// The workspace a folder belongs to: itself, or the nearest parent that is one, or the
/// workspace of the engagement it is in.
pub fn workspace_of(dir: &Path) -> Option<PathBuf> {
    let found = find_upwards(dir);
    if is_engagement(&found) {
        let parent = found.parent()?;
        return parent
            .parent()
            .filter(|w| parent.file_name().is_some_and(|n| n == "engagements") && is_workspace(w))
            .map(Path::to_path_buf);
    }
    is_workspace(&found).then_some(found)
}

/// Keeps the engagements of shard `k` of `n` (1-based): a stable hash of each slug
/// picks its shard, so every engagement is in exactly one shard, and adding or removing
/// one never moves the others. Jump consistent hashing (Lamping and Veach, 2014) also
/// moves only a few engagements when `n` grows.
pub fn shard(targets: &mut [Target], k: u32, n: u32) {
    for t in targets.iter_mut() {
        t.engagements.retain(|e| {
            let slug = e.file_name().unwrap_or_default().to_string_lossy();
            shard_of(&slug, n) == k
        });
    }
}

/// The shard (1-based, out of `n`) of an engagement.
pub fn shard_of(slug: &str, n: u32) -> u32 {
    let hash = blake3::hash(slug.as_bytes());
    let mut key = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
    let (mut b, mut j): (i64, i64) = (-1, 0);
    while j < i64::from(n) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    u32::try_from(b).unwrap_or(0) + 1
}

/// The absolute form of a command-line path, with `.` and `..` resolved lexically (as the
/// shell does for `cd`), without following symbolic links.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::engagement::paths::normalise(&abs)
}

/// Reads `levier.toml` (all optional). A file that exists but cannot be read is an
/// error: silently ignoring it would build with settings the consultant did not write.
pub fn read_settings(workspace: &Path) -> Result<WorkspaceSettings, Vec<Diagnostic>> {
    use crate::engagement::paths;
    let path = workspace.join("levier.toml");
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(WorkspaceSettings::default());
    }
    let bytes = paths::read_regular(&path, paths::limits::TOML).map_err(|e| {
        vec![
            Diagnostic::error("cannot read levier.toml")
                .in_file(&path)
                .label(e.describe(workspace)),
        ]
    })?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![
            crate::engagement::tables::not_utf8(e.as_bytes(), &path)
                .help("save levier.toml as UTF-8 (in the editor's \"Save as\" dialog, choose the UTF-8 encoding)"),
        ]
    })?;
    let file = TomlFile::new(&path, &text);
    let doc = file.parse();
    let root = file.root(&doc);
    let mut settings = WorkspaceSettings::default();
    if let Some(build) = root.table("build") {
        if let Some(out) = build.string("output") {
            let p = Path::new(&out.value);
            let first = p
                .components()
                .find(|c| !matches!(c, std::path::Component::CurDir))
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            if p.is_absolute()
                || p.components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                file.report(
                    out.origin
                        .error("`build.output` must be a folder inside the workspace"),
                );
            } else if first.as_deref().is_none_or(|f| INPUTS.contains(&f)) {
                file.report(
                    out.origin
                        .error("`build.output` cannot be the workspace or one of its inputs")
                        .label("outputs replace whole folders: this would delete the engagements' files")
                        .help("use a folder of its own, like the default `output`"),
                );
            } else {
                settings.output = Some(out.value);
            }
        }
        build.finish();
    }
    if let Some(ci) = root.table("ci") {
        if let Some(n) = ci.integer("shards", 1..65) {
            settings.ci_shards = u32::try_from(n.value).ok();
        }
        ci.finish();
    }
    root.finish();
    let diagnostics = file.into_diagnostics();
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(settings)
    }
}
