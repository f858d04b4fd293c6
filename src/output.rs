//! Writing outputs without ever losing anything: where outputs may go, which folders
//! levier may replace, the atomic swap of an engagement's folder, and the index page.
//!
//! Outputs of an engagement are produced in memory first, written to a hidden staging
//! folder next to the final one, then swapped in, so `output/<slug>/` is always either
//! the previous complete build or the new complete build. On Linux the swap is one
//! `renameat2(RENAME_EXCHANGE)`, which has no window; elsewhere (or on a file system
//! without it) the old folder is renamed away first, and a build killed between the two
//! renames is recovered by the next one ([`OutputDir::open`]).
//!
//! levier only replaces or deletes what it created, and marks what it creates with a
//! [`MARKER`] file: every engagement folder it writes, and the output folder once it
//! wrote the index there. An existing `output/<slug>/` without the marker is someone
//! else's and is never touched; neither are an `index.html` or `index.json` it did not
//! write. Beside the marker, each engagement folder keeps a record ([`RECORD`]: what it
//! was built from, for incremental builds, and its line on the index page); a missing
//! or damaged record only means the engagement is built again.
//! Records are read back for the index and for incremental builds, but never trusted:
//! links are rebuilt from the files actually present, and text is only ever printed
//! escaped.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::fresh::Fingerprint;
use crate::present::{IndexEntry, IndexFigure, Link};
use crate::render::html::HtmlRenderer;
use crate::templates::Templates;
use crate::vocab::Language;
use crate::workspace::Target;

/// Marks a folder as levier's: an engagement's output folder, or an output folder whose
/// `index.html` and `index.json` levier wrote.
pub const MARKER: &str = ".levier-output";
/// What the marker says to someone who opens it.
const MARKER_TEXT: &str = "This folder was written by levier, which replaces it (or, in an output folder, its index.html and index.json) at each build.\n";
/// The record levier keeps in each engagement folder it writes (its build cache).
pub const RECORD: &str = ".levier-cache.json";
/// Held while a build writes to an output folder, so that two builds never interleave
/// (and one never takes the other's staging folder for a leftover).
const LOCK: &str = ".levier.lock";
/// The schema of [`RECORD`] files.
const RECORD_SCHEMA: &str = "levier.build/1";
/// The schema of `index.json`.
pub const INDEX_SCHEMA: &str = "levier.index/1";

/// Names an engagement cannot have in an output folder: levier's own files there.
pub const RESERVED: &[&str] = &["index.html", "index.json", MARKER, LOCK];

/// What levier remembers of one engagement's build, in `output/<slug>/.levier-cache.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub schema: String,
    /// What the outputs were built from, for incremental builds.
    pub inputs: Fingerprint,
    /// The files written (relative paths) and their sizes.
    pub files: Vec<(String, u64)>,
    /// Warnings the build printed (a fresh engagement is not loaded again, so the count
    /// is all it can say about them).
    pub warnings: usize,
    /// The engagement's line on the index page.
    pub entry: Entry,
}

impl Record {
    pub fn new(
        inputs: Fingerprint,
        files: &[(String, Vec<u8>)],
        warnings: usize,
        entry: Entry,
    ) -> Record {
        Record {
            schema: RECORD_SCHEMA.to_string(),
            inputs,
            files: files
                .iter()
                .map(|(name, bytes)| (name.clone(), bytes.len() as u64))
                .collect(),
            warnings,
            entry,
        }
    }
}

/// One engagement on the index page and in `index.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub slug: String,
    pub client: String,
    pub title: String,
    pub as_of_label: String,
    pub language: Language,
    /// Headline figures as the report prints them.
    pub figures: Vec<Figure>,
    /// The same figures unformatted, by their metrics.json path.
    pub raw: BTreeMap<String, serde_json::Value>,
    /// Links to the outputs, relative to the engagement's output folder.
    pub links: Vec<EntryLink>,
    /// What changed since the last recorded measurement, in the report's words.
    #[serde(default)]
    pub since_last: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntryLink {
    pub name: String,
    pub href: String,
}

/// metrics.json paths of the figures the index shows, raw, beside the formatted ones.
const RAW_FIGURES: &[&str] = &[
    "currency",
    "as_of",
    "revenue.total",
    "revenue.growth",
    "clients.new",
    "findings",
];

impl Entry {
    /// The index line of an engagement just rendered: `index` as the renderer made it,
    /// `metrics` as written to metrics.json.
    pub fn new(index: IndexEntry, language: Language, metrics: &serde_json::Value) -> Entry {
        let prefix = format!("{}/", index.slug);
        let raw = RAW_FIGURES
            .iter()
            .filter_map(|path| {
                let mut v = metrics;
                for key in path.split('.') {
                    v = v.get(key)?;
                }
                let v = match v {
                    // A list counts: `findings` is their number.
                    serde_json::Value::Array(a) => serde_json::Value::from(a.len()),
                    v => v.clone(),
                };
                Some((path.to_string(), v))
            })
            .collect();
        Entry {
            client: index.client,
            title: index.title,
            as_of_label: index.as_of_label,
            language,
            figures: index
                .figures
                .into_iter()
                .map(|f| Figure {
                    label: f.label,
                    value: f.value,
                })
                .collect(),
            raw,
            since_last: index.since_last,
            links: index
                .links
                .into_iter()
                .map(|l| EntryLink {
                    name: l.name,
                    href: l.href.strip_prefix(&prefix).unwrap_or(&l.href).to_string(),
                })
                .collect(),
            slug: index.slug,
        }
    }

    /// An entry read back from a record, made safe: the slug must be the folder's name,
    /// links must name files present in the folder (`--format json` after a full build
    /// removed the HTML and PDF), texts are cut to a sane length.
    fn checked(mut self, folder: &Path, name: &str) -> Option<Entry> {
        if self.slug != name {
            return None;
        }
        let cut = |s: &mut String| {
            if let Some((i, _)) = s.char_indices().nth(300) {
                s.truncate(i);
            }
            // levier writes no control character in these texts (its loader strips
            // them): one here was put there by hand.
            s.retain(|c| !c.is_control());
        };
        cut(&mut self.client);
        cut(&mut self.title);
        cut(&mut self.as_of_label);
        self.figures.truncate(12);
        for f in &mut self.figures {
            cut(&mut f.label);
            cut(&mut f.value);
        }
        self.links.retain(|l| is_output_file(folder, &l.href));
        for l in &mut self.links {
            cut(&mut l.name);
        }
        self.since_last.truncate(20);
        for line in &mut self.since_last {
            cut(line);
        }
        self.raw.retain(|k, v| {
            RAW_FIGURES.contains(&k.as_str())
                && matches!(
                    v,
                    serde_json::Value::Null
                        | serde_json::Value::Number(_)
                        | serde_json::Value::String(_)
                )
        });
        for v in self.raw.values_mut() {
            if let serde_json::Value::String(s) = v {
                cut(s);
            }
        }
        Some(self)
    }
}

/// Whether `href` is a plain relative path to a regular file levier writes in `folder`:
/// no scheme, no `..`, no hidden file, no link.
fn is_output_file(folder: &Path, href: &str) -> bool {
    let plain = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    let parts: Vec<&str> = href.split('/').collect();
    let known = [".html", ".pdf", ".json", ".xlsx"]
        .iter()
        .any(|ext| href.ends_with(ext));
    known
        && parts.len() <= 2
        && parts.iter().all(|p| plain(p))
        && std::fs::symlink_metadata(folder.join(href)).is_ok_and(|m| m.is_file())
}

// ------------------------------------------------------------------ where outputs go

/// Refuses an output folder that is, contains or sits inside an engagement or one of the
/// workspace's inputs: outputs are swapped in whole, and the folder they replace would
/// be lost. Checked before anything is written.
pub fn check_location(out: &Path, target: &Target) -> Result<(), Diagnostic> {
    let out_real = real(out);
    let ws = &target.workspace;
    let mut inputs: Vec<(PathBuf, String)> = vec![
        (
            ws.join("engagements"),
            "the workspace's engagements/".into(),
        ),
        (ws.join("brand"), "the workspace's brand/".into()),
        (ws.join("templates"), "the workspace's templates/".into()),
        (ws.join("levier.toml"), "the workspace's levier.toml".into()),
    ];
    for e in &target.engagements {
        let name = e.file_name().unwrap_or_default().to_string_lossy();
        inputs.push((e.clone(), format!("the engagement `{name}`")));
    }
    let cwd = std::env::current_dir().ok();
    let shown = crate::diagnostic::display_path(out, cwd.as_deref());
    let refuse = |what: String| {
        Diagnostic::error(format!("the output folder {shown} {what}"))
        .note("outputs replace whole folders: the output folder must not be, contain or sit inside an engagement, nor the workspace's engagements/, brand/, templates/ or levier.toml")
        .help("choose another folder with --out, or leave [build] output of levier.toml to its default `output`")
    };
    for (input, what) in &inputs {
        // A workspace input that does not exist has nothing to lose (`build.output` of
        // levier.toml is checked by name where it is read).
        if std::fs::symlink_metadata(input).is_err() {
            continue;
        }
        let input_real = real(input);
        if out_real == input_real {
            return Err(refuse(format!("is {what}")));
        }
        if out_real.starts_with(&input_real) {
            return Err(refuse(format!("is inside {what}")));
        }
        if input_real.starts_with(&out_real) {
            return Err(refuse(format!("contains {what}")));
        }
    }
    // Engagements of other workspaces: the folder itself or a parent is one, or its
    // sub-folders are (another workspace's engagements/).
    if let Some(e) = out_real
        .ancestors()
        .find(|a| a.join("engagement.toml").is_file())
    {
        return Err(refuse(format!("is inside the engagement {}", e.display())));
    }
    if let Ok(entries) = std::fs::read_dir(&out_real) {
        for entry in entries.filter_map(Result::ok) {
            if entry.path().join("engagement.toml").is_file() {
                return Err(refuse(format!(
                    "contains the engagement {}",
                    entry.path().display()
                )));
            }
        }
    }
    Ok(())
}

/// Refuses a run summary file (`--summary FILE`) where appending Markdown would damage
/// something: a file of an engagement or of a workspace's inputs (`workspaces`: their
/// `engagements/`, `brand/`, `templates/`, `levier.toml`), a file in an output folder
/// (`outputs`, which levier replaces and lists), a folder, or a pipe that nobody reads
/// (the run would wait forever once built). Checked before anything is built.
pub fn check_summary(
    summary: &Path,
    workspaces: &[&Path],
    outputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let cwd = std::env::current_dir().ok();
    let shown = crate::diagnostic::display_path(summary, cwd.as_deref());
    let refuse = |what: String| {
        Diagnostic::error(format!("the summary file {shown} {what}"))
            .note("the summary is appended to the file: it would be damaged")
            .help(
                "give --summary a file of its own, such as \"$GITHUB_STEP_SUMMARY\" or summary.md",
            )
    };
    let target = real(summary);
    if let Ok(meta) = std::fs::metadata(&target) {
        if meta.is_dir() {
            return Err(refuse("is a folder".into()));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let kind = meta.file_type();
            if kind.is_fifo() || kind.is_socket() {
                return Err(refuse("is a pipe or a socket, not a file".into()));
            }
        }
    }
    for ws in workspaces {
        for (input, what) in [
            ("engagements", "the workspace's engagements/"),
            ("brand", "the workspace's brand/"),
            ("templates", "the workspace's templates/"),
            ("levier.toml", "the workspace's levier.toml"),
        ] {
            let input = ws.join(input);
            if std::fs::symlink_metadata(&input).is_ok() && target.starts_with(real(&input)) {
                return Err(refuse(format!("is {what} or inside it")));
            }
        }
    }
    if let Some(e) = target
        .ancestors()
        .find(|a| a.join("engagement.toml").is_file())
    {
        return Err(refuse(format!(
            "is inside the engagement {}",
            crate::diagnostic::display_path(e, cwd.as_deref())
        )));
    }
    for out in outputs {
        if target.starts_with(real(out)) {
            return Err(refuse(format!(
                "is inside the output folder {}",
                crate::diagnostic::display_path(out, cwd.as_deref())
            )));
        }
    }
    Ok(())
}

/// The real location of a path that may not exist yet: its deepest existing ancestor
/// with links resolved, and the rest as written.
fn real(path: &Path) -> PathBuf {
    let abs = crate::workspace::absolute(path);
    let mut rest = Vec::new();
    let mut at = abs.as_path();
    loop {
        if let Ok(c) = at.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return abs,
        }
    }
}

// ------------------------------------------------------------------ the output folder

/// What is at `output/<slug>/` before a build.
pub enum Existing {
    Nothing,
    /// A folder levier wrote; its record when it could be read.
    Ours(Option<Box<Record>>),
    /// Something levier did not write: it is never replaced.
    Foreign,
}

/// An output folder open for writing: locked, and cleaned of what an interrupted build
/// left.
pub struct OutputDir {
    path: PathBuf,
    _lock: std::fs::File,
    /// What was recovered or cleaned when opening, for the build to report.
    pub recovered: Vec<Diagnostic>,
}

impl OutputDir {
    /// Creates the folder if needed, takes its lock (waiting for another build writing
    /// there), and recovers from a build killed in the middle of a swap: a lost
    /// `output/<slug>/` is restored from `.<slug>.previous-*`, and staging folders are
    /// removed.
    pub fn open(path: &Path) -> std::io::Result<OutputDir> {
        std::fs::create_dir_all(path)?;
        let mut recovered = Vec::new();
        let lock = match open_lock(&path.join(LOCK)) {
            Ok(lock) => lock,
            // A `.levier.lock` that is a link levier did not make: opening it would
            // create or lock a file wherever it points. It is left alone, and the
            // output folder itself is locked instead.
            Err(e) if is_link(&path.join(LOCK)) => {
                recovered.push(
                    Diagnostic::warning(format!(
                        "`{LOCK}` in the output folder is a link levier did not create: left alone"
                    ))
                    .in_file(path.join(LOCK))
                    .note(format!("the output folder itself is locked instead ({e})"))
                    .help(format!("remove the link `{LOCK}`")),
                );
                std::fs::File::open(path)?
            }
            Err(e) => return Err(e),
        };
        lock.lock()?;
        let mut dir = OutputDir {
            path: path.to_path_buf(),
            _lock: lock,
            recovered,
        };
        dir.recover();
        Ok(dir)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn recover(&mut self) {
        let Ok(entries) = std::fs::read_dir(&self.path) else {
            return;
        };
        let entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
        // Index files being replaced when a build was killed.
        for e in &entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let temporary = ["index.html", "index.json"].iter().any(|f| {
                name.strip_prefix(&format!(".{f}.tmp-"))
                    .is_some_and(|pid| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
            });
            if temporary && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let mut leftovers: Vec<(String, Leftover, PathBuf)> = entries
            .iter()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let (slug, kind) = leftover(&name)?;
                Some((slug.to_string(), kind, e.path()))
            })
            .collect();
        // Oldest first, so that the latest previous build is the one restored.
        leftovers
            .sort_by_key(|(_, _, p)| std::fs::symlink_metadata(p).and_then(|m| m.modified()).ok());
        leftovers.reverse();
        for (slug, kind, path) in leftovers {
            if !is_levier_folder(&path) {
                continue;
            }
            let target = self.path.join(&slug);
            if kind == Leftover::Previous
                && std::fs::symlink_metadata(&target).is_err()
                && std::fs::rename(&path, &target).is_ok()
            {
                self.recovered.push(
                    Diagnostic::warning(format!(
                        "restored the previous outputs of `{slug}` (a build was interrupted)"
                    ))
                    .in_file(&target),
                );
                continue;
            }
            let _ = std::fs::remove_dir_all(&path);
        }
    }

    /// What is at `<out>/<slug>` now.
    pub fn existing(&self, slug: &str) -> Existing {
        let target = self.path.join(slug);
        match std::fs::symlink_metadata(&target) {
            Err(_) => Existing::Nothing,
            Ok(m) if m.is_dir() && is_levier_folder(&target) => {
                Existing::Ours(read_record(&target).map(Box::new))
            }
            Ok(_) => Existing::Foreign,
        }
    }

    /// Writes an engagement's outputs and its record to `<out>/<slug>/`, replacing the
    /// previous build whole. The caller checked [`OutputDir::existing`] is not foreign.
    pub fn write(
        &self,
        slug: &str,
        files: &[(String, Vec<u8>)],
        record: &Record,
    ) -> std::io::Result<()> {
        let target = self.path.join(slug);
        let id = std::process::id();
        let staging = self.path.join(format!(".{slug}.partial-{id}"));
        let result = (|| {
            std::fs::create_dir(&staging)?;
            // The marker first: a kill at any later point leaves a folder the next
            // build knows it may remove.
            std::fs::write(staging.join(MARKER), MARKER_TEXT)?;
            let json = serde_json::to_vec(record).map_err(std::io::Error::other)?;
            std::fs::write(staging.join(RECORD), json)?;
            for (rel, bytes) in files {
                let path = staging.join(rel);
                if !is_plain_relative(rel) {
                    return Err(std::io::Error::other(format!(
                        "refusing to write `{rel}` outside the output folder"
                    )));
                }
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, bytes)?;
            }
            swap_in(
                &staging,
                &target,
                &self.path.join(format!(".{slug}.previous-{id}")),
            )
        })();
        if result.is_err() && is_levier_folder(&staging) {
            let _ = std::fs::remove_dir_all(&staging);
        } else if result.is_err() {
            let _ = std::fs::remove_dir(&staging);
        }
        result
    }

    /// The entries of every engagement folder levier wrote here, by slug, with a warning
    /// for each record that cannot be used.
    pub fn entries(&self) -> (Vec<Entry>, Vec<Diagnostic>) {
        entries(&self.path)
    }
}

/// Opens (creating it if needed) the lock file, never through a link.
fn open_lock(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    if is_link(path) {
        return Err(std::io::Error::other("a link"));
    }
    options.open(path)
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The kinds of hidden folders a swap makes.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Leftover {
    Partial,
    Previous,
}

/// `.<slug>.partial-<pid>` or `.<slug>.previous-<pid>`.
fn leftover(name: &str) -> Option<(&str, Leftover)> {
    let rest = name.strip_prefix('.')?;
    for (marker, kind) in [
        (".partial-", Leftover::Partial),
        (".previous-", Leftover::Previous),
    ] {
        if let Some(at) = rest.rfind(marker) {
            let pid = &rest[at + marker.len()..];
            if !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()) && at > 0 {
                return Some((&rest[..at], kind));
            }
        }
    }
    None
}

/// A real folder (not a link) holding levier's marker.
fn has_marker(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// A real folder (not a link) holding levier's marker, or an empty one (a staging
/// folder killed before its marker was written).
fn is_levier_folder(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_dir() {
        return false;
    }
    std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file())
        || std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

fn is_plain_relative(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(p) if !p.to_string_lossy().starts_with('.')))
}

fn read_record(folder: &Path) -> Option<Record> {
    let bytes = crate::engagement::paths::read_regular(
        &folder.join(RECORD),
        crate::engagement::paths::limits::TOML,
    )
    .ok()?;
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    (record.schema == RECORD_SCHEMA).then_some(record)
}

/// Puts `staging` at `target`, the previous `target` (if any) going away.
fn swap_in(staging: &Path, target: &Path, previous: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(target).is_err() {
        return std::fs::rename(staging, target);
    }
    if exchange(staging, target)? {
        // `staging` now holds the previous build.
        let _ = std::fs::remove_dir_all(staging);
        return Ok(());
    }
    std::fs::rename(target, previous)?;
    if let Err(e) = std::fs::rename(staging, target) {
        // Put the previous build back rather than leave nothing.
        let _ = std::fs::rename(previous, target);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(previous);
    Ok(())
}

/// Swaps two paths in one step where the system can; `false` where it cannot (another
/// system, or a file system without the call), for the caller's two-rename fallback.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call;
    // renameat2 only reads them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

// ------------------------------------------------------------------ the index

/// The entries of every engagement folder levier wrote in `out`, by slug.
pub fn entries(out: &Path) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Ok(list) = std::fs::read_dir(out) else {
        return (found, problems);
    };
    let mut folders: Vec<(String, PathBuf)> = Vec::new();
    let mut listed: Vec<(String, PathBuf)> = list
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    listed.sort();
    for (name, path) in listed {
        if is_link(&path) {
            // levier never makes links: someone else's, never followed nor replaced.
            problems.push(
                Diagnostic::warning(format!(
                    "`{name}` in the output folder is a link levier did not create: left alone and out of the index"
                ))
                .in_file(&path),
            );
        } else if has_marker(&path) {
            folders.push((name, path));
        } else if std::fs::symlink_metadata(path.join(RECORD)).is_ok() {
            // levier's record without levier's mark: the folder was copied or edited
            // by hand, and is no longer known to be levier's to replace or list.
            problems.push(
                Diagnostic::warning(format!(
                    "the outputs of `{name}` are left out of the index: the folder has levier's build record but not its `{MARKER}` mark"
                ))
                .in_file(path.join(MARKER))
                .help(format!("build `{name}` again (after moving the folder away) to list it")),
            );
        }
    }
    for (name, path) in folders {
        match read_record(&path).and_then(|r| {
            let changed = changed_files(&path, &r.files);
            r.entry.checked(&path, &name).map(|e| (e, changed))
        }) {
            Some((entry, changed)) => {
                for (file, why) in changed {
                    problems.push(
                        Diagnostic::warning(format!(
                            "`{name}/{file}` is not the file levier wrote: {why}"
                        ))
                        .in_file(path.join(&file))
                        .note("the index lists the engagement with the figures levier built; this file is left as it is")
                        .help(format!("rebuild `{name}` with `levier build --force` to write it again")),
                    );
                }
                found.push(entry);
            }
            None => problems.push(
                Diagnostic::warning(format!(
                    "the outputs of `{name}` are left out of the index: their record cannot be used"
                ))
                .in_file(path.join(RECORD))
                .help(format!("build `{name}` again to list it")),
            ),
        }
    }
    (found, problems)
}

/// The files of an engagement folder that differ from what its record says levier
/// wrote (size, or a link or folder in place of the file), with why; at most a few.
fn changed_files(folder: &Path, files: &[(String, u64)]) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(rel, _)| is_plain_relative(rel))
        .filter_map(|(rel, size)| {
            let why = match std::fs::symlink_metadata(folder.join(rel)) {
                Err(_) => "it was removed".to_string(),
                Ok(m) if !m.is_file() => "it is no longer a file".to_string(),
                Ok(m) if m.len() != *size => {
                    format!("{} bytes, levier wrote {size}", m.len())
                }
                Ok(_) => return None,
            };
            Some((rel.clone(), why))
        })
        .take(5)
        .collect()
}

/// `index.json`: the index page's content, for scripts.
#[derive(Serialize)]
struct IndexJson<'a> {
    schema: &'static str,
    generator: String,
    engagements: &'a [Entry],
}

/// Writes `<out>/index.html` and `<out>/index.json` listing `entries`, each file only
/// when its content changed. Files of that name that levier did not write are never
/// replaced.
pub fn write_index(
    out: &Path,
    entries: &[Entry],
    html: &HtmlRenderer,
    templates: &Templates,
) -> Result<(), Diagnostic> {
    // French unless every engagement listed is in English.
    let language = if !entries.is_empty() && entries.iter().all(|e| e.language == Language::En) {
        Language::En
    } else {
        Language::Fr
    };
    let texts = templates.texts().0;
    let labels = texts.labels(language);
    let page_entries: Vec<IndexEntry> = entries
        .iter()
        .map(|e| IndexEntry {
            slug: e.slug.clone(),
            client: e.client.clone(),
            title: e.title.clone(),
            as_of_label: e.as_of_label.clone(),
            since_last: e.since_last.clone(),
            figures: e
                .figures
                .iter()
                .map(|f| IndexFigure {
                    label: f.label.clone(),
                    value: f.value.clone(),
                })
                .collect(),
            links: e
                .links
                .iter()
                .map(|l| Link {
                    name: l.name.clone(),
                    href: format!("{}/{}", e.slug, l.href),
                })
                .collect(),
        })
        .collect();
    let page = html.index(
        templates,
        crate::vocab::Vocabulary::name(language),
        labels.get("index.title"),
        &labels.fill("index.intro", &[("count", &entries.len().to_string())]),
        &page_entries,
    )?;
    let mut json = serde_json::to_vec_pretty(&IndexJson {
        schema: INDEX_SCHEMA,
        generator: format!("levier {}", env!("CARGO_PKG_VERSION")),
        engagements: entries,
    })
    .map_err(|e| Diagnostic::error(format!("cannot write index.json: {e}")))?;
    json.push(b'\n');

    let html_path = out.join("index.html");
    let json_path = out.join("index.json");
    let marker = out.join(MARKER);
    let ours = std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file());
    for path in [&html_path, &json_path] {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            continue;
        };
        if !ours || !meta.is_file() {
            return Err(Diagnostic::error(format!(
                "cannot write the index page: {} exists and levier did not write it",
                path.display()
            ))
            .in_file(path)
            .help("move it elsewhere, or build into another folder with --out"));
        }
    }
    let failed = |path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot write the index page: {e}")).in_file(path)
    };
    if !ours {
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| failed(&marker, e))?;
    }
    write_if_changed(&json_path, &json).map_err(|e| failed(&json_path, e))?;
    write_if_changed(&html_path, page.as_bytes()).map_err(|e| failed(&html_path, e))?;
    Ok(())
}

/// Replaces a file through a temporary file and a rename, unless it already holds
/// `bytes` (a build with nothing to do rewrites nothing).
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names() {
        assert_eq!(
            leftover(".acme.partial-123"),
            Some(("acme", Leftover::Partial))
        );
        assert_eq!(
            leftover(".a.b.previous-9"),
            Some(("a.b", Leftover::Previous))
        );
        assert_eq!(leftover(".acme.partial-"), None);
        assert_eq!(leftover(".acme.partial-12x"), None);
        assert_eq!(leftover("acme.partial-12"), None);
        assert_eq!(leftover("..partial-12"), None);
    }

    #[test]
    fn links_are_rebuilt_from_present_files_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("scorecards")).unwrap();
        std::fs::write(dir.path().join("report.html"), "x").unwrap();
        std::fs::write(dir.path().join("scorecards/ab.pdf"), "x").unwrap();
        assert!(is_output_file(dir.path(), "report.html"));
        assert!(is_output_file(dir.path(), "scorecards/ab.pdf"));
        for bad in [
            "report.pdf",
            "javascript:alert(1)//.html",
            "../report.html",
            "/etc/passwd.json",
            "https://example.com/x.html",
            ".levier.json",
            "scorecards",
        ] {
            assert!(!is_output_file(dir.path(), bad), "{bad}");
        }
    }

    #[test]
    fn plain_relative_output_names() {
        assert!(is_plain_relative("report.html"));
        assert!(is_plain_relative("scorecards/ab.pdf"));
        assert!(!is_plain_relative("../x"));
        assert!(!is_plain_relative("/x"));
        assert!(!is_plain_relative(".levier.json"));
        assert!(!is_plain_relative(""));
    }

    #[test]
    fn swap_replaces_the_whole_folder_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, target, previous) = (
            dir.path().join(".a.partial-1"),
            dir.path().join("a"),
            dir.path().join(".a.previous-1"),
        );
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old"), "old").unwrap();
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("new"), "new").unwrap();
        swap_in(&staging, &target, &previous).unwrap();
        assert!(target.join("new").is_file());
        assert!(!target.join("old").exists());
        assert!(!staging.exists() && !previous.exists());
    }
}
