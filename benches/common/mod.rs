//! Bench data shared by the benchmarks: synthetic engagements generated once into
//! `target/bench-data/` by `levier-gen`, and reused by every later run.

use std::path::{Path, PathBuf};

/// The sizes every data benchmark runs at, in sales lines.
pub const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// The synthetic engagement of `lines` sales lines (generated on first use).
pub fn synthetic_dir(lines: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("synthetic-{lines}"));
    if !dir.join("engagement.toml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        levier_gen::write_synthetic(&dir, lines, 42).expect("generate bench data");
    }
    dir
}
