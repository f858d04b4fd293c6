//! Analysis benchmarks: every analysis of analyses.md on loaded engagements.
//!
//! Target (issue "analyses"): 1M sales lines, 100k leads and 100k activities in under
//! 1 s on a 2-core machine, with a cost linear in the input. The example engagements
//! are measured too, since they are what a consultant's CI builds.

use std::path::{Path, PathBuf};

use levier::engagement::Engagement;

mod common;

use common::SIZES;

fn synthetic(lines: usize) -> Engagement {
    load(&common::synthetic_dir(lines))
}

fn load(dir: &Path) -> Engagement {
    levier::engagement::load(dir, None)
        .engagement
        .expect("bench engagement loads")
}

fn example(slug: &str) -> Engagement {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    levier::engagement::load(&root.join("engagements").join(slug), Some(&root))
        .engagement
        .expect("example loads")
}

fn main() {
    divan::main();
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn analyse_synthetic(bencher: divan::Bencher, lines: usize) {
    let e = synthetic(lines);
    bencher.bench(|| levier::analysis::analyse(divan::black_box(&e)));
}

#[divan::bench(args = ["vidal-equipements", "groupe-ferrand"], sample_count = 20)]
fn analyse_example(bencher: divan::Bencher, slug: &str) {
    let e = example(slug);
    bencher.bench(|| levier::analysis::analyse(divan::black_box(&e)));
}
