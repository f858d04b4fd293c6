//! Incremental builds: deciding, cheaply, that an engagement's outputs are up to date.
//!
//! An engagement's outputs depend on its folder's files, the workspace's brand, template
//! overrides and `levier.toml`, the formats asked for and levier itself (its version and
//! a digest of the code it was built from). A build records all of these (a
//! [`Fingerprint`]) beside the outputs; the next build compares them with the disk and
//! skips the engagement when nothing changed, without rewriting a single file.
//!
//! The comparison is git's: size and modification time first, and the content hash only
//! when those differ or cannot be trusted. A file modified within [`RACY_NS`] of the moment
//! its fingerprint was taken may have changed again within the same clock tick, so its
//! unchanged time proves nothing and its content is hashed.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::engagement::paths;

/// How close to the fingerprint's time a modification time must be to need a hash
/// (coarse file systems keep times to 2 s).
const RACY_NS: u64 = 2_000_000_000;

/// Everything an engagement's outputs depend on, as recorded by the build that made them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fingerprint {
    /// The levier that built the outputs: its version and a digest of what it was built
    /// from (`build.rs`), so that another build of the same version is not taken for it.
    pub levier: String,
    /// The formats asked for (`html`, `pdf`, `json`), sorted.
    pub formats: Vec<String>,
    /// When the inputs were looked at, in nanoseconds since 1970.
    pub taken_at_ns: u64,
    /// Every input file, sorted by name.
    pub files: Vec<InputFile>,
}

/// One input file as it was when the outputs were built.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputFile {
    /// `engagement/<path>` for the engagement's files, `workspace/<path>` for the
    /// workspace's brand, templates and settings.
    pub name: String,
    pub size: u64,
    pub mtime_ns: u64,
    pub blake3: String,
}

/// An input file found on disk now.
#[derive(Debug, Clone)]
pub struct Found {
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: u64,
    /// Not a regular file, or unreadable: never up to date (the loader will say why).
    pub odd: bool,
}

/// The inputs of a workspace shared by all its engagements: brand, template overrides,
/// settings. Listed once per run.
pub fn workspace_inputs(workspace: &Path) -> Vec<Found> {
    let mut found = Vec::new();
    for folder in ["brand", "templates"] {
        list(
            &workspace.join(folder),
            &format!("workspace/{folder}"),
            &mut found,
        );
    }
    let settings = workspace.join("levier.toml");
    if std::fs::symlink_metadata(&settings).is_ok() {
        found.push(stat("workspace/levier.toml".into(), settings));
    }
    found
}

/// The files of an engagement folder plus the workspace's inputs, sorted by name.
pub fn inputs(engagement: &Path, workspace: &[Found]) -> Vec<Found> {
    let mut found = Vec::new();
    list(engagement, "engagement", &mut found);
    found.extend(workspace.iter().cloned());
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// Lists the files under `dir`, skipping version-control folders. Links are never
/// followed (they could lead anywhere, even to `/etc/shadow`): a link makes the
/// engagement never fresh, which is always safe.
fn list(dir: &Path, prefix: &str, found: &mut Vec<Found>) {
    if std::fs::symlink_metadata(dir).is_err() {
        return;
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                if e.path_is_symlink() {
                    // A link is never followed here: its target may be outside the
                    // engagement (the loader refuses it), and its content must not be
                    // read, nor its hash kept beside the outputs. An engagement with a
                    // link is simply never fresh, which is always safe.
                    found.push(Found {
                        name: format!("{prefix}/{rel}"),
                        path: e.into_path(),
                        size: 0,
                        mtime_ns: 0,
                        odd: true,
                    });
                    continue;
                }
                found.push(stat(format!("{prefix}/{rel}"), e.into_path()));
            }
            // A link loop or an unreadable folder: an input that can never be fresh.
            Err(e) => found.push(Found {
                name: format!(
                    "{prefix}/?{}",
                    e.path()
                        .map(Path::display)
                        .map_or_else(String::new, |d| d.to_string())
                ),
                path: e.path().map(Path::to_path_buf).unwrap_or_default(),
                size: 0,
                mtime_ns: 0,
                odd: true,
            }),
        }
    }
}

fn stat(name: String, path: PathBuf) -> Found {
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => Found {
            name,
            size: meta.len(),
            mtime_ns: meta.modified().map_or(0, nanos),
            path,
            odd: false,
        },
        _ => Found {
            name,
            path,
            size: 0,
            mtime_ns: 0,
            odd: true,
        },
    }
}

fn nanos(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

fn hash(path: &Path) -> Option<String> {
    paths::read_regular(path, paths::limits::TABLE)
        .ok()
        .map(|bytes| blake3::hash(&bytes).to_hex().to_string())
}

/// The formats as recorded.
pub fn format_names(formats: &[crate::present::Format]) -> Vec<String> {
    let mut names: Vec<String> = formats.iter().map(|f| f.name().to_string()).collect();
    names.sort();
    names.dedup();
    names
}

impl Fingerprint {
    /// Takes the fingerprint of inputs found on disk. Hashes are reused from `previous`
    /// where the file provably did not change, so a rebuild reads each file once more
    /// at most. `None` when an input is not a regular readable file.
    pub fn take(
        found: &[Found],
        formats: &[crate::present::Format],
        previous: Option<&Fingerprint>,
    ) -> Option<Fingerprint> {
        let taken_at_ns = nanos(SystemTime::now());
        let mut files = Vec::with_capacity(found.len());
        for f in found {
            if f.odd {
                return None;
            }
            let known = previous.and_then(|p| p.unchanged(f));
            let blake3 = match known {
                Some(h) => h.to_string(),
                None => hash(&f.path)?,
            };
            files.push(InputFile {
                name: f.name.clone(),
                size: f.size,
                mtime_ns: f.mtime_ns,
                blake3,
            });
        }
        Some(Fingerprint {
            levier: env!("LEVIER_BUILD_ID").to_string(),
            formats: format_names(formats),
            taken_at_ns,
            files,
        })
    }

    /// A fingerprint that is never fresh, for outputs built from inputs that could not
    /// all be read (the next build tries again).
    pub fn never() -> Fingerprint {
        Fingerprint {
            levier: String::new(),
            formats: Vec::new(),
            taken_at_ns: 0,
            files: Vec::new(),
        }
    }

    /// The recorded hash of `f` when its size and time show it did not change.
    fn unchanged(&self, f: &Found) -> Option<&str> {
        let i = self
            .files
            .binary_search_by(|r| r.name.as_str().cmp(&f.name))
            .ok()?;
        let r = &self.files[i];
        let trusted = r.size == f.size
            && r.mtime_ns == f.mtime_ns
            && f.mtime_ns.saturating_add(RACY_NS) <= self.taken_at_ns;
        trusted.then_some(r.blake3.as_str())
    }

    /// Whether outputs recorded with this fingerprint are up to date for the inputs
    /// found now.
    pub fn is_fresh(&self, found: &[Found], formats: &[crate::present::Format]) -> bool {
        if self.levier != env!("LEVIER_BUILD_ID")
            || self.formats != format_names(formats)
            || self.files.len() != found.len()
        {
            return false;
        }
        self.files.iter().zip(found).all(|(r, f)| {
            if f.odd || r.name != f.name || r.size != f.size {
                return false;
            }
            if r.mtime_ns == f.mtime_ns && f.mtime_ns.saturating_add(RACY_NS) <= self.taken_at_ns {
                return true;
            }
            // Touched (a checkout, a copy) or too recent to trust: the content decides.
            hash(&f.path).is_some_and(|h| h == r.blake3)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::Format;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let e = dir.path().join("engagements/acme");
        std::fs::create_dir_all(e.join("data")).unwrap();
        std::fs::write(e.join("engagement.toml"), "x = 1\n").unwrap();
        std::fs::write(e.join("data/sales.csv"), "a,b\n1,2\n").unwrap();
        (dir, e)
    }

    /// Sets a file's modification time well in the past, so that it is not "racy".
    fn age(path: &Path) {
        let old = SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }

    #[test]
    fn unchanged_inputs_are_fresh_and_any_change_is_not() {
        let (dir, e) = setup();
        age(&e.join("engagement.toml"));
        age(&e.join("data/sales.csv"));
        let ws = workspace_inputs(dir.path());
        let found = inputs(&e, &ws);
        let fp = Fingerprint::take(&found, &[Format::Html], None).unwrap();
        assert!(fp.is_fresh(&inputs(&e, &ws), &[Format::Html]));
        assert!(!fp.is_fresh(&inputs(&e, &ws), &[Format::Html, Format::Pdf]));

        // Same size, new content: the time differs, the hash decides.
        std::fs::write(e.join("data/sales.csv"), "a,b\n1,3\n").unwrap();
        assert!(!fp.is_fresh(&inputs(&e, &ws), &[Format::Html]));
        // Touched without a change: still fresh.
        std::fs::write(e.join("data/sales.csv"), "a,b\n1,2\n").unwrap();
        assert!(fp.is_fresh(&inputs(&e, &ws), &[Format::Html]));
        // A new file, or a workspace override, is a change.
        std::fs::write(e.join("notes.md"), "x").unwrap();
        assert!(!fp.is_fresh(&inputs(&e, &ws), &[Format::Html]));
        std::fs::remove_file(e.join("notes.md")).unwrap();
        std::fs::create_dir_all(dir.path().join("templates/html")).unwrap();
        std::fs::write(dir.path().join("templates/html/style.css"), "x").unwrap();
        let ws = workspace_inputs(dir.path());
        assert!(!fp.is_fresh(&inputs(&e, &ws), &[Format::Html]));
    }

    #[test]
    fn a_recent_file_with_an_unchanged_time_is_hashed() {
        let (dir, e) = setup();
        let ws = workspace_inputs(dir.path());
        let fp = Fingerprint::take(&inputs(&e, &ws), &[Format::Json], None).unwrap();
        // Rewritten at once with the same size; on a coarse clock the time may not move.
        std::fs::write(e.join("data/sales.csv"), "a,b\n9,9\n").unwrap();
        let mut found = inputs(&e, &ws);
        for f in &mut found {
            let r = fp.files.iter().find(|r| r.name == f.name).unwrap();
            f.mtime_ns = r.mtime_ns;
        }
        assert!(!fp.is_fresh(&found, &[Format::Json]));
    }

    #[test]
    fn a_special_file_is_never_fresh() {
        let (dir, e) = setup();
        std::fs::create_dir(e.join("data/clients.csv")).unwrap();
        std::fs::write(e.join("data/clients.csv/x"), "").unwrap();
        let ws = workspace_inputs(dir.path());
        let fp = Fingerprint::take(&inputs(&e, &ws), &[Format::Json], None).unwrap();
        assert!(fp.is_fresh(&inputs(&e, &ws), &[Format::Json]));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(e.join("gone"), e.join("data/leads.csv")).unwrap();
            let found = inputs(&e, &ws);
            assert!(!fp.is_fresh(&found, &[Format::Json]));
            assert!(Fingerprint::take(&found, &[Format::Json], None).is_none());
        }
    }
}
