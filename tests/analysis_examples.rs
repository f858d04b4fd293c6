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

/// analyses.md, "Seasonal projection": per cut, the landings are the objectives' own
/// formulas, so a salesperson's cut and their revenue objective land on the same figure,
/// and the cuts of a partition add up to the total's landing.
#[test]
fn cut_projections_agree_with_the_objectives_landings() {
    let m: serde_json::Value = serde_json::from_str(&metrics_json("vidal-equipements")).unwrap();
    let objective = |key: &str| {
        m["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["key"] == key)
            .unwrap_or_else(|| panic!("objective {key}"))
            .clone()
    };
    for rep in ["JD", "MB", "SL"] {
        let cut = &m["revenue"]["by_rep"][rep];
        let line = objective(&format!("rep.{rep}.revenue"));
        for landing in ["projection", "projection_seasonal"] {
            assert_eq!(cut[landing], line[landing], "{rep} {landing}");
        }
    }
    let total = objective("revenue.total");
    for by in ["by_rep", "by_zone", "by_segment", "by_product"] {
        for landing in ["projection", "projection_seasonal"] {
            let sum: f64 = m["revenue"][by]
                .as_object()
                .unwrap()
                .values()
                .map(|c| c[landing].as_f64().unwrap())
                .sum();
            let expected = total[landing].as_f64().unwrap();
            // Each cut is rounded to the cent in the file.
            let cuts = m["revenue"][by].as_object().unwrap().len() as f64;
            assert!(
                (sum - expected).abs() <= 0.005 * cuts + 1e-6,
                "{by} {landing}: {sum} vs {expected}"
            );
        }
    }
}

/// Lumen Atelier's Salesforce export leaves Lead Source empty on some opportunities.
/// The preset files them under "other" without a warning, and the data-quality annex
/// said "0 leads without a source"; it now counts them, as the file has them.
#[test]
fn leads_with_an_empty_source_in_a_preset_export_are_counted_in_data_quality() {
    let metrics: serde_json::Value = serde_json::from_str(&metrics_json("lumen-atelier")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::read_to_string(root.join("engagements/lumen-atelier/data/Opportunity.csv"))
        .unwrap();
    let mut lines = file.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "\"Lead Source\"").unwrap();
    let empty = lines
        .filter(|l| l.split(',').nth(column) == Some("\"\""))
        .count();
    assert!(empty > 0);
    assert_eq!(metrics["data_quality"]["leads_without_source"], empty);
    // Still counted under "other", beside the leads whose source is "Other".
    let other = metrics["leads"]["by_source"]["other"]["count"]
        .as_u64()
        .unwrap() as usize;
    assert!(other > empty, "{other} other, {empty} without a source");
}
