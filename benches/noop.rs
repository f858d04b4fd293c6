//! Incremental builds: a `levier build` with nothing to do over 100 engagements.
//!
//! Target (issue 16): a no-op run over 100 engagements of 20,000 sales lines each in at
//! most 0.2 s on 2 cores, so that CI pays for what changed only. The workspace is made
//! once in `target/bench-data/noop-100/` (100 copies of the 20k-line example) and built
//! once before measuring; each sample then runs the real binary, process start
//! included, and every engagement must come out fresh. `one_changed` touches one note
//! and measures the run that rebuilds that engagement alone.

use std::path::{Path, PathBuf};
use std::process::Command;

const ENGAGEMENTS: usize = 100;

/// The workspace of 100 engagements, built once.
fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = root.join("target/bench-data/noop-100");
    let example = root.join("engagements/vidal-equipements");
    for i in 0..ENGAGEMENTS {
        let dir = ws.join("engagements").join(format!("client-{i:03}"));
        if !dir.join("engagement.toml").exists() {
            copy_dir(&example, &dir);
        }
    }
    let first = levier(&ws, &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    ws
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("bench folder");
    for entry in std::fs::read_dir(from).expect("example folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copied");
        }
    }
}

fn levier(ws: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_levier"))
        .arg("build")
        .args(extra)
        .current_dir(ws)
        .env("NO_COLOR", "1")
        .output()
        .expect("levier runs")
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn nothing_changed(bencher: divan::Bencher) {
    let ws = workspace();
    bencher.bench(|| {
        let run = levier(&ws, &["-q"]);
        assert!(run.status.success());
        run
    });
    let run = levier(&ws, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.matches("Fresh").count(), ENGAGEMENTS, "{stderr}");
}

#[divan::bench(sample_count = 5)]
fn one_changed(bencher: divan::Bencher) {
    let ws = workspace();
    let note = ws.join("engagements/client-042/notes/00-summary.md");
    let text = std::fs::read_to_string(&note).expect("the example has a summary note");
    let edits = std::sync::atomic::AtomicUsize::new(0);
    bencher
        .with_inputs(|| {
            let n = edits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            std::fs::write(&note, format!("{text}\n<!-- edit {n} -->\n")).expect("note written");
        })
        .bench_values(|()| {
            let run = levier(&ws, &[]);
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert_eq!(stderr.matches("Built").count(), 1, "{stderr}");
            run
        });
    std::fs::write(&note, text).expect("note restored");
}
