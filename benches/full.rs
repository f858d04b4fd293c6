//! A full build of a large workspace: 100 engagements of 20,000 sales lines each.
//!
//! Target (issue 16, "speed of a full build"): `levier build --force` over 100
//! engagements of 20k lines in at most 15 s on 2 cores, every default output included
//! (HTML, PDF, metrics.json, tables.xlsx). Each sample runs the real binary, process start
//! and writing included, and every engagement must be built. Two workspaces:
//!
//! - `copies`: 100 copies of the 20k-line example (the one `noop` makes,
//!   `target/bench-data/noop-100/`): Typst's caches, shared by the engagements of a run,
//!   serve much of each report from the first one's layout, the best case;
//! - `distinct`: 100 generated engagements of 20k lines with different data (seeds 0 to
//!   99, `target/bench-data/full-100/`): every table and chart differs, the worst case.

use std::path::{Path, PathBuf};
use std::process::Command;

const ENGAGEMENTS: usize = 100;

fn copies() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = root.join("target/bench-data/noop-100");
    let example = root.join("engagements/vidal-equipements");
    for i in 0..ENGAGEMENTS {
        let dir = ws.join("engagements").join(format!("client-{i:03}"));
        if !dir.join("engagement.toml").exists() {
            copy_dir(&example, &dir);
        }
    }
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

fn distinct() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = root.join("target/bench-data/full-100");
    for i in 0..ENGAGEMENTS {
        let dir = ws.join("engagements").join(format!("client-{i:03}"));
        if !dir.join("engagement.toml").exists() {
            levier_gen::write_synthetic(&dir, 20_000, i as u64).expect("generated");
        }
    }
    ws
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn copies_forced(bencher: divan::Bencher) {
    full_build(bencher, &copies());
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn distinct_forced(bencher: divan::Bencher) {
    full_build(bencher, &distinct());
}

fn full_build(bencher: divan::Bencher, ws: &Path) {
    bencher.bench(|| {
        let run = Command::new(env!("CARGO_BIN_EXE_levier"))
            .args(["build", "--force"])
            .current_dir(ws)
            .env("NO_COLOR", "1")
            .output()
            .expect("levier runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{stderr}");
        assert_eq!(stderr.matches("Built").count(), ENGAGEMENTS, "{stderr}");
        run
    });
}
