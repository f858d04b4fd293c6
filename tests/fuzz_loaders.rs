//! The CSV and TOML loaders over random and mutated inputs: no panic, bounded time,
//! a bounded number of diagnostics (issue 9's fuzz coverage on stable Rust).
//!
//! Each case writes one file of the base fixture (a table, engagement.toml or
//! objectives.toml) as random bytes or as the base file with random edits (bytes
//! inserted, deleted or replaced; lines duplicated; hostile tokens such as `7.9e28`,
//! `1e-28`, unclosed quotes, `sep=` lines, NUL bytes), then loads the engagement
//! through the library. The loop is bounded (a fixed number of cases, a fixed seed
//! from proptest's config) so that it runs inside `cargo test` in seconds.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use common::Workspace;

/// The files a case may replace, and the base file it mutates.
const TARGETS: &[&str] = &[
    "data/sales.csv",
    "data/clients.csv",
    "data/leads.csv",
    "data/activities.csv",
    "engagement.toml",
    "objectives.toml",
];

/// Tokens that broke levier before or sit at the edges of what it reads.
const HOSTILE: &[&str] = &[
    "7.9e28",
    "1e-28",
    "50000000000000000000000000000",
    "-0",
    "\"",
    "\"\"\"",
    "sep=;\n",
    "\u{0}",
    "\r",
    "\u{feff}",
    "0024-01-01",
    "9999-12-31",
    "1,234",
    "(12,50)",
    "[[data.sales]]\n",
    "= [",
    "{",
    "é",
    ";;;;;;;;",
    "\n\n\n",
];

/// One edit of a file's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Replace(usize, u8),
    Hostile(usize, usize),
    DuplicateLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
        (any::<usize>(), 1usize..16).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), 0..HOSTILE.len()).prop_map(|(at, i)| Edit::Hostile(at, i)),
        any::<usize>().prop_map(Edit::DuplicateLine),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match e {
            Edit::Insert(i, b) => {
                let i = at(*i, bytes.len());
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let i = at(*i, bytes.len());
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Replace(i, b) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    bytes[i] = *b;
                }
            }
            Edit::Hostile(i, h) => {
                let i = at(*i, bytes.len());
                bytes.splice(i..i, HOSTILE[*h].bytes());
            }
            Edit::DuplicateLine(i) => {
                let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                let n = i % lines.len().max(1);
                let mut out = Vec::new();
                for (k, l) in lines.iter().enumerate() {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                    if k == n {
                        out.extend_from_slice(l);
                        out.push(b'\n');
                    }
                }
                bytes = out;
            }
        }
    }
    bytes
}

/// Loads the engagement with `rel` replaced by `bytes`; panics (failing the case) on a
/// panic inside levier, a slow load or a flood of diagnostics.
fn load_with(ws: &Workspace, rel: &str, bytes: &[u8]) {
    let dir = ws.engagement("case");
    std::fs::write(dir.join(rel), bytes).expect("writable");
    let started = Instant::now();
    let loaded = levier::engagement::load(&dir, Some(ws.root()));
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "loading took {took:?} for {rel}"
    );
    // Diagnostics are grouped and capped per file: a flood would mean a lost cap.
    assert!(
        loaded.diagnostics.len() <= 200,
        "{} diagnostics for {rel}",
        loaded.diagnostics.len()
    );
    for d in loaded.diagnostics.iter() {
        // Every message renders (no panic in the snippet renderer on odd spans).
        let _ = d.render(Some(ws.root()), false);
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    )
}

#[test]
fn mutated_files_never_panic_the_loader() {
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    let base = |rel: &str| std::fs::read(common::fixtures().join("base").join(rel)).unwrap();
    runner(160)
        .run(
            &(0..TARGETS.len(), prop::collection::vec(edit(), 1..12)),
            |(target, edits)| {
                let rel = TARGETS[target];
                let original = base(rel);
                load_with(&ws, rel, &apply(original.clone(), &edits));
                std::fs::write(dir.join(rel), &original).unwrap();
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn random_bytes_never_panic_the_loader() {
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    runner(96)
        .run(
            &(
                0..TARGETS.len(),
                prop::collection::vec(any::<u8>(), 0..2048),
            ),
            |(target, bytes)| {
                let rel = TARGETS[target];
                let original = std::fs::read(common::fixtures().join("base").join(rel)).unwrap();
                load_with(&ws, rel, &bytes);
                std::fs::write(dir.join(rel), &original).unwrap();
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn random_text_tables_never_panic_the_loader() {
    // Text made of the characters CSV and TOML care about reaches deeper than bytes.
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    runner(96)
        .run(
            &(0..TARGETS.len(), "[a-z0-9_,;\t\"= .\\-\n\\[\\]{}]{0,600}"),
            |(target, text)| {
                let rel = TARGETS[target];
                let original = std::fs::read(common::fixtures().join("base").join(rel)).unwrap();
                load_with(&ws, rel, text.as_bytes());
                std::fs::write(dir.join(rel), &original).unwrap();
                Ok(())
            },
        )
        .unwrap();
    assert!(Path::new(&dir).join("engagement.toml").is_file());
}
