//! Gives the binary an identity finer than its version: a digest of the sources,
//! templates, assets and locked dependencies it was built from (`LEVIER_BUILD_ID`).
//!
//! An incremental build keeps an engagement's outputs when nothing they were made from
//! changed, levier included. Two builds of levier with the same version number but
//! different code (a development build, an install from a newer commit) must not pass
//! for each other, or outputs made by the old code would be kept as fresh.

use std::fs;
use std::path::{Path, PathBuf};

/// 64-bit FNV-1a: dependency-free, and stable across toolchains (unlike `DefaultHasher`).
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    for dir in ["src", "templates", "assets"] {
        println!("cargo:rerun-if-changed={dir}");
        files(Path::new(dir), &mut paths);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    paths.push(PathBuf::from("Cargo.lock"));
    paths.sort();
    let mut digest = Fnv(0xcbf2_9ce4_8422_2325);
    for path in &paths {
        digest.write(path.to_string_lossy().as_bytes());
        digest.write(&[0]);
        digest.write(&fs::read(path).unwrap_or_default());
    }
    println!(
        "cargo:rustc-env=LEVIER_BUILD_ID={}+{:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        digest.0
    );
}
