//! Snapshots of the report model (what both the HTML and the PDF show) for the example
//! engagements: any change in a section, a label or a formatted figure is reviewed in
//! the snapshot diff.

use std::path::Path;

use levier::engagement::Engagement;

fn example(slug: &str) -> Engagement {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    levier::engagement::load(&root.join("engagements").join(slug), Some(root))
        .engagement
        .unwrap_or_else(|| panic!("{slug} does not load"))
}

fn model(slug: &str) -> String {
    let e = example(slug);
    let (m, problems) = levier::assess::measure(&e);
    assert!(problems.is_empty(), "{slug}: {problems:#?}");
    let report = levier::present::report::build(&e, &m);
    serde_json::to_string_pretty(&report).expect("the model serialises")
}

#[test]
fn vidal_equipements_report_model() {
    insta::assert_snapshot!("vidal-equipements.report", model("vidal-equipements"));
}

#[test]
fn groupe_ferrand_report_model() {
    insta::assert_snapshot!("groupe-ferrand.report", model("groupe-ferrand"));
}

#[test]
fn scorecard_model_of_a_salesperson() {
    let e = example("vidal-equipements");
    let (m, _) = levier::assess::measure(&e);
    let reps = levier::present::scorecard::reps(&e, &m);
    assert_eq!(reps, ["JD", "MB", "SL"]);
    let card = levier::present::scorecard::build(&e, &m, "SL");
    insta::assert_snapshot!(
        "vidal-equipements.scorecard-SL",
        serde_json::to_string_pretty(&card).expect("the model serialises")
    );
}
