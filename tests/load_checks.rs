//! Readable data that would make a wrong report without a word: the loader warns, and
//! the figure it would distort stays right.
//!
//! Each test starts from the base fixture, changes one thing, runs the real binary and
//! reads metrics.json back.

mod common;

use common::Workspace;

/// The base fixture without `as_of`, so that the sales decide the data cut-off.
fn base_without_as_of(ws: &Workspace) -> std::path::PathBuf {
    let dir = ws.add_base("case");
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("as_of"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("engagement.toml"), toml).unwrap();
    dir
}

fn metrics(ws: &Workspace) -> serde_json::Value {
    let bytes = std::fs::read(ws.output("case").join("metrics.json")).expect("metrics.json");
    serde_json::from_slice(&bytes).expect("metrics.json is JSON")
}

#[test]
fn a_sales_line_with_a_typo_year_warns_and_does_not_move_as_of() {
    let ws = Workspace::new();
    let dir = base_without_as_of(&ws);
    let sales = dir.join("data/sales.csv");
    let mut text = std::fs::read_to_string(&sales).unwrap();
    text.push_str("2052-03-01,F24-099,C001,JD,Produit A,1,500.00\n");
    std::fs::write(&sales, text).unwrap();

    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&[
            "warning: 1 sales line is dated after the fiscal year, which ends on 2024-12-31: line 11",
            "engagements/case/data/sales.csv",
            "the data cut-off (as_of) stays at 2024-12-12",
        ]);
    let m = metrics(&ws);
    // Without the check, the 2052 line made the cut-off the fiscal year's end.
    assert_eq!(m["as_of"], "2024-12-12");
    assert_eq!(m["data_quality"]["sales_after_as_of"]["lines"], 1);
}

#[test]
fn a_sales_line_far_after_the_bulk_warns_with_its_line() {
    let ws = Workspace::new();
    let dir = base_without_as_of(&ws);
    // 150 lines in the first half of 2024, then one dated in November.
    let mut text = String::from("date,invoice,client_id,rep,product,quantity,amount\n");
    for i in 0..150 {
        text.push_str(&format!(
            "2023-{:02}-{:02},F23-{i:03},C001,JD,Produit A,1,100.00\n",
            1 + i % 12,
            1 + i % 28
        ));
        text.push_str(&format!(
            "2024-{:02}-{:02},F24-{i:03},C002,PM,Produit B,1,100.00\n",
            1 + i % 6,
            1 + i % 28
        ));
    }
    text.push_str("2024-11-20,F24-999,C002,PM,Produit B,1,100.00\n");
    std::fs::write(dir.join("data/sales.csv"), text).unwrap();

    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&[
            "warning: 1 sales line is dated more than 31 days after the rest of the data, which ends on 2024-06-28: line 302",
            "help: check their dates; if the data really runs to 2024-11-20, set `as_of = \"2024-11-20\"`",
        ]);
    assert_eq!(metrics(&ws)["as_of"], "2024-06-28");
}

#[test]
fn the_base_fixture_without_as_of_has_no_date_warning() {
    let ws = Workspace::new();
    base_without_as_of(&ws);
    ws.levier(&["check"])
        .assert_code(0)
        .assert_stderr_lacks("warning");
}

#[test]
fn a_lead_closed_before_it_was_created_is_a_warning_and_leaves_the_cycle_median() {
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    // L002 (won, created 2024-02-11) closed on 2024-01-10: entered after the fact.
    let leads = std::fs::read_to_string(dir.join("data/leads.csv"))
        .unwrap()
        .replace(
            "L002,2024-02-11,prescription,won,oui,2024-07-01",
            "L002,2024-02-11,prescription,won,oui,2024-01-10",
        );
    std::fs::write(dir.join("data/leads.csv"), leads).unwrap();
    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&[
            "warning: 1 lead is closed before it was created: line 3",
            "left out of the sales cycle median",
        ]);
    let m = metrics(&ws);
    // Only L001 (2024-01-05 to 2024-02-20, 46 days) is left in the median.
    assert_eq!(m["leads"]["total"]["median_cycle_days"], 46.0);
    assert_eq!(m["leads"]["total"]["won"], 2);
}

#[test]
fn an_open_lead_with_an_expected_close_date_is_counted_and_the_date_ignored() {
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    let leads = std::fs::read_to_string(dir.join("data/leads.csv"))
        .unwrap()
        .replace(
            "L004,2024-06-02,offline,proposal,false,,",
            "L004,2024-06-02,offline,proposal,false,2024-12-15,",
        );
    std::fs::write(dir.join("data/leads.csv"), leads).unwrap();
    let loaded = levier::engagement::load(&dir, Some(ws.root()));
    let e = loaded.engagement.expect("no errors");
    let lead = &e.leads.as_ref().unwrap()[3];
    assert_eq!(lead.id, "L004");
    assert_eq!(lead.closed, None);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(e.quality.open_leads_with_closing_date, 1);
}
