//! Snapshot of metrics.json (analysis and assessment) for the example engagements of
//! `engagements/`.
//!
//! The examples are what the README builds and what a consultant sees first; any change
//! in one of their figures must be a deliberate one, reviewed in the snapshot diff.

use std::path::Path;

fn metrics_json(slug: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = levier::engagement::load(&root.join("engagements").join(slug), Some(root));
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{d:?}"))
        .collect();
    let engagement = loaded
        .engagement
        .unwrap_or_else(|| panic!("{slug} does not load: {errors:#?}"));
    let (measured, problems) = levier::assess::measure(&engagement);
    assert!(problems.is_empty(), "{slug}: {problems:#?}");
    // The same bytes `levier build` writes to metrics.json.
    let file = levier::assess::MetricsFile::of(&measured);
    String::from_utf8(file.to_bytes().expect("metrics serialise")).expect("JSON is UTF-8")
}

#[test]
fn vidal_equipements_metrics() {
    insta::assert_snapshot!(
        "vidal-equipements.metrics.json",
        metrics_json("vidal-equipements")
    );
}

#[test]
fn groupe_ferrand_metrics() {
    insta::assert_snapshot!(
        "groupe-ferrand.metrics.json",
        metrics_json("groupe-ferrand")
    );
}

#[test]
fn metrics_are_deterministic() {
    assert_eq!(
        metrics_json("vidal-equipements"),
        metrics_json("vidal-equipements")
    );
}
