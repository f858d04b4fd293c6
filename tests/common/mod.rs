//! Shared helpers of the integration tests: temporary workspaces built from the fixture
//! engagements, and runs of the real `levier` binary in them.
//!
//! `tests/fixtures/base/` is a small valid engagement that uses every table, column and
//! file of the format. A case folder (`tests/fixtures/invalid/<case>/`,
//! `tests/fixtures/valid/<case>/`) holds only what differs from it:
//!
//! - any file: copied over the base's file of the same path;
//! - `removed.txt`: paths of base files to delete, one per line;
//! - `expected.txt`: lines that must appear in stderr; a line starting with `!` must
//!   not appear; `#` starts a comment. Not copied.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary under test, built by cargo for the integration tests.
pub const LEVIER: &str = env!("CARGO_BIN_EXE_levier");

/// Files of a case folder that describe the case rather than overlay the base.
const CONTROL_FILES: &[&str] = &["expected.txt", "removed.txt", "README.md"];

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The case folders under `tests/fixtures/<group>/`, sorted by name.
pub fn cases(group: &str) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures().join(group))
        .unwrap_or_else(|e| panic!("cannot list tests/fixtures/{group}: {e}"))
        .map(|e| e.expect("readable fixture folder").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit status (-1 if killed by a signal).
    pub code: i32,
    pub stdout: String,
    /// Diagnostics and progress, with `\` shown as `/` so that expected paths are the
    /// same on every platform.
    pub stderr: String,
}

impl Run {
    /// Panics with the whole stderr unless the exit status is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit status {code}, got {}; stderr:\n{}",
            self.code, self.stderr
        );
        self
    }

    /// Panics unless stderr contains every one of `needles`.
    #[track_caller]
    pub fn assert_stderr_has(&self, needles: &[&str]) -> &Run {
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr lacks {needle:?}; stderr:\n{}",
                self.stderr
            );
        }
        self
    }

    /// Panics if stderr contains `needle`.
    #[track_caller]
    pub fn assert_stderr_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.stderr.contains(needle),
            "stderr should not contain {needle:?}; stderr:\n{}",
            self.stderr
        );
        self
    }
}

/// Runs the binary with `args` in `cwd`, without colours.
pub fn levier(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::new(LEVIER)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the levier binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: if cfg!(windows) {
            stderr.replace('\\', "/")
        } else {
            stderr.into_owned()
        },
    }
}

/// A temporary workspace (`engagements/` inside), deleted when dropped.
pub struct Workspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Default for Workspace {
    fn default() -> Self {
        Self::new()
    }
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("a temporary folder");
        // Canonical, so that paths levier prints (it canonicalises engagement folders)
        // are under the working directory even where the temp folder is a symlink.
        let root = dir.path().canonicalize().expect("canonical temp folder");
        fs::create_dir(root.join("engagements")).expect("engagements/");
        Workspace { _dir: dir, root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `engagements/<slug>`.
    pub fn engagement(&self, slug: &str) -> PathBuf {
        self.root.join("engagements").join(slug)
    }

    /// `output/<slug>`.
    pub fn output(&self, slug: &str) -> PathBuf {
        self.root.join("output").join(slug)
    }

    /// Copies the base fixture to `engagements/<slug>`.
    pub fn add_base(&self, slug: &str) -> PathBuf {
        let dir = self.engagement(slug);
        copy_dir(&fixtures().join("base"), &dir);
        dir
    }

    /// Copies the base fixture to `engagements/<slug>` and applies a case folder to it.
    pub fn add_case(&self, slug: &str, case: &Path) -> PathBuf {
        let dir = self.add_base(slug);
        apply_case(case, &dir);
        dir
    }

    /// Writes a file, creating its folders; `rel` is relative to the workspace.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        fs::write(&path, contents).expect("writable");
    }

    /// Runs the binary in the workspace root.
    pub fn levier(&self, args: &[&str]) -> Run {
        levier(&self.root, args)
    }

    /// Staging or backup folders left next to the outputs (`.slug.partial-*`,
    /// `.slug.previous-*`, `index.tmp-*`).
    pub fn leftovers(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.root.join("output")) else {
            return Vec::new();
        };
        entries
            .map(|e| {
                e.expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            // levier's own marker and lock files (`.levier-output`, `.levier.lock`) stay.
            .filter(|name| {
                name.starts_with('.')
                    && (name.contains(".partial-")
                        || name.contains(".previous-")
                        || name.contains(".tmp-"))
            })
            .collect()
    }
}

/// Copies a folder recursively (regular files only: fixtures hold no links).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("target folder");
    for entry in fs::read_dir(from).expect("readable fixture") {
        let entry = entry.expect("readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copied");
        }
    }
}

/// Overlays a case folder onto an engagement: copies its files, deletes what its
/// `removed.txt` lists.
pub fn apply_case(case: &Path, engagement: &Path) {
    fn overlay(from: &Path, to: &Path, top: bool) {
        for entry in fs::read_dir(from).expect("readable case") {
            let entry = entry.expect("readable entry");
            let name = entry.file_name();
            if top && CONTROL_FILES.iter().any(|c| name == *c) {
                continue;
            }
            let target = to.join(&name);
            if entry.file_type().expect("file type").is_dir() {
                fs::create_dir_all(&target).expect("folder");
                overlay(&entry.path(), &target, false);
            } else {
                fs::copy(entry.path(), &target).expect("copied");
            }
        }
    }
    overlay(case, engagement, true);
    if let Ok(list) = fs::read_to_string(case.join("removed.txt")) {
        for rel in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let path = engagement.join(rel);
            if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            }
            .unwrap_or_else(|e| panic!("{}: cannot remove {rel}: {e}", case.display()));
        }
    }
}

/// The lines of a case's `expected.txt`: (must appear, text).
pub fn expectations(case: &Path) -> Vec<(bool, String)> {
    let path = case.join("expected.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.strip_prefix('!') {
            Some(rest) => (false, rest.to_string()),
            None => (true, l.to_string()),
        })
        .collect()
}

/// Checks a run against expectations; returns what is wrong, if anything.
pub fn unmet(run: &Run, expectations: &[(bool, String)]) -> Vec<String> {
    expectations
        .iter()
        .filter(|(present, text)| run.stderr.contains(text.as_str()) != *present)
        .map(|(present, text)| {
            if *present {
                format!("missing: {text}")
            } else {
                format!("unwanted: {text}")
            }
        })
        .collect()
}

/// Runs `levier check` on one engagement made of the base and `case`: the helper most
/// tests need. Returns (exit status, stderr).
pub fn check_case(case: &Path) -> (i32, String) {
    let ws = Workspace::new();
    ws.add_case("case", case);
    let run = ws.levier(&["check"]);
    (run.code, run.stderr)
}

/// The figures the dashboard page must show, read from metrics.json and written with
/// the report's formatter (one truth per figure): `(what, text)`. The revenue to date
/// and last year's; each headline objective's target and its year-end landing (the
/// projection `projection_method` names); leads, conversion, clients won and lost.
pub fn dashboard_figures(
    m: &serde_json::Value,
    fmt: &levier::i18n::Formatter,
) -> Vec<(String, String)> {
    use rust_decimal::Decimal;
    let dec = |v: &serde_json::Value| -> Decimal { v.to_string().parse().expect("a number") };
    let currency = m["currency"].as_str().expect("a currency");
    let money = |v: &serde_json::Value| fmt.money(dec(v), currency);
    let mut out = vec![
        ("revenue to date".to_string(), money(&m["revenue"]["total"])),
        (
            "revenue, same period last year".into(),
            money(&m["revenue"]["previous_to_date"]),
        ),
        (
            "revenue, last year".into(),
            money(&m["revenue"]["previous_total"]),
        ),
        (
            "new clients".into(),
            fmt.count(m["clients"]["new"].as_u64().unwrap()),
        ),
        (
            "clients lost".into(),
            fmt.count(m["clients"]["lost"].as_u64().unwrap()),
        ),
        (
            "leads".into(),
            fmt.count(m["leads"]["total"]["count"].as_u64().unwrap()),
        ),
        (
            "conversion rate".into(),
            fmt.percent(dec(&m["leads"]["total"]["conversion_rate"]), 1),
        ),
    ];
    let seasonal = m["projection_method"] == "seasonal";
    for o in m["objectives"].as_array().expect("objectives") {
        let key = o["key"].as_str().unwrap();
        if ![
            "revenue.total",
            "revenue.conquest",
            "revenue.retention",
            "revenue.reconquest",
            "leads.total",
            "leads.conversion_rate",
            "clients.new",
        ]
        .contains(&key)
        {
            continue;
        }
        let write = |v: &serde_json::Value| match o["unit"].as_str().unwrap() {
            "money" => money(v),
            "rate" => fmt.percent(dec(v), 1),
            _ => fmt.number(dec(v), 0),
        };
        out.push((format!("{key} objective"), write(&o["target"])));
        let landing = if seasonal && !o["projection_seasonal"].is_null() {
            &o["projection_seasonal"]
        } else {
            &o["projection"]
        };
        if !landing.is_null() {
            // A projected count keeps the decimal that explains its achievement.
            let text = match o["unit"].as_str().unwrap() {
                "count" => fmt.projected_count(dec(landing)),
                _ => write(landing),
            };
            out.push((format!("{key} landing"), text));
        }
    }
    out
}
