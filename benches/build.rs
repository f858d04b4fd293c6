//! Whole-pipeline benchmarks: what `levier build` does for one engagement, in memory.
//!
//! Targets (issue "PDF"): the example engagement (report and scorecards, PDF and HTML,
//! metrics.json) in under 0.5 s in a release build on a 2-core machine; a typical
//! 20,000-line engagement in under 0.3 s. `pipeline` measures load, analysis,
//! assessment, the report models, charts, HTML, PDF and metrics.json; `pdf_only` the
//! PDFs alone (Typst compilation and export of the report and every scorecard), from
//! models already built. Templates are parsed and fonts loaded once, as in a real build;
//! Typst's memoisation cache is emptied before each sample, so that each one compiles
//! from scratch as the first engagement of a `levier build` does (repeating identical
//! inputs would otherwise measure cache hits).

use std::path::{Path, PathBuf};

use levier::assess::Measured;
use levier::engagement::Engagement;
use levier::present::Format;
use levier::render::{Job, Rendered, Renderers};
use levier::templates::Templates;

const EXAMPLES: [&str; 2] = ["vidal-equipements", "groupe-ferrand"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_dir(slug: &str) -> PathBuf {
    root().join("engagements").join(slug)
}

fn renderers() -> Renderers {
    Renderers::new(Templates::builtin()).expect("built-in templates parse")
}

/// present → render: the deliverables decided, then every output of `formats` drawn.
fn render(
    e: &Engagement,
    measured: &Measured,
    formats: &[Format],
    renderers: &Renderers,
) -> Rendered {
    let deliverables = levier::present::deliverables(e, measured, formats);
    let job = Job::new(e, measured, &deliverables, renderers);
    renderers.render(&job, formats).expect("renders")
}

/// load → analyse → assess → present → render (HTML, PDF, JSON), nothing written.
fn pipeline(dir: &Path, renderers: &Renderers, formats: &[Format]) -> usize {
    let root = root();
    let e = levier::engagement::load(dir, Some(&root))
        .engagement
        .expect("example loads");
    let (metrics, _) = levier::assess::measure(&e);
    let rendered = render(&e, &metrics, formats, renderers);
    rendered.files.iter().map(|(_, b)| b.len()).sum()
}

/// Empties Typst's memoisation cache (fonts and parsed templates stay loaded).
fn cold() {
    typst::comemo::evict(0);
}

fn main() {
    divan::main();
}

#[divan::bench(args = EXAMPLES, sample_count = 10)]
fn whole_pipeline(bencher: divan::Bencher, slug: &str) {
    let renderers = renderers();
    let dir = example_dir(slug);
    // Fonts and templates loaded, as after the first engagement of a build.
    pipeline(&dir, &renderers, &[Format::Html, Format::Pdf, Format::Json]);
    bencher.with_inputs(cold).bench_values(|()| {
        pipeline(
            divan::black_box(&dir),
            &renderers,
            &[Format::Html, Format::Pdf, Format::Json],
        )
    });
}

#[divan::bench(args = EXAMPLES, sample_count = 10)]
fn html_and_json_only(bencher: divan::Bencher, slug: &str) {
    let renderers = renderers();
    let dir = example_dir(slug);
    bencher.bench(|| {
        pipeline(
            divan::black_box(&dir),
            &renderers,
            &[Format::Html, Format::Json],
        )
    });
}

#[divan::bench(args = EXAMPLES, sample_count = 10)]
fn pdf_only(bencher: divan::Bencher, slug: &str) {
    let renderers = renderers();
    let root = root();
    let e = levier::engagement::load(&example_dir(slug), Some(&root))
        .engagement
        .expect("example loads");
    let (metrics, _) = levier::assess::measure(&e);
    render(&e, &metrics, &[Format::Pdf], &renderers);
    bencher.with_inputs(cold).bench_values(|()| {
        render(divan::black_box(&e), &metrics, &[Format::Pdf], &renderers)
            .files
            .len()
    });
}

/// tables.xlsx alone, from the models: what the spreadsheet output adds to a build.
#[divan::bench(args = EXAMPLES, sample_count = 10)]
fn xlsx_only(bencher: divan::Bencher, slug: &str) {
    let renderers = renderers();
    let root = root();
    let e = levier::engagement::load(&example_dir(slug), Some(&root))
        .engagement
        .expect("example loads");
    let (metrics, _) = levier::assess::measure(&e);
    bencher.bench(|| {
        render(divan::black_box(&e), &metrics, &[Format::Xlsx], &renderers)
            .files
            .len()
    });
}
