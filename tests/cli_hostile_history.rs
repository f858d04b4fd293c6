//! Hand-edited measurement records (`history/<date>.json`) never break a report and are
//! never compared silently: each hostile edit is a warning naming the record (and its
//! line and column where known) with the record left out, or its text reaches the report
//! through the same character checks as the notes.
//!
//! Each test records the base fixture at 30 June, edits the record as a person (or a
//! script) might, and builds the year-end report in every format next to it.

mod common;

use std::fs;

use common::Workspace;

const RECORD: &str = "engagements/case/history/2024-06-30.json";

/// A workspace whose `case` engagement (the base fixture, measured at 31 December) has a
/// record of 30 June, edited by `edit`.
fn with_record(edit: impl FnOnce(String) -> String) -> Workspace {
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    let config = dir.join("engagement.toml");
    let text = fs::read_to_string(&config).expect("engagement.toml");
    fs::write(&config, text.replace("2024-12-31", "2024-06-30")).expect("writable");
    ws.levier(&["record"]).assert_code(0);
    fs::write(&config, text).expect("writable");
    let path = ws.root().join(RECORD);
    let record = fs::read_to_string(&path).expect("the record");
    fs::write(&path, edit(record)).expect("writable");
    ws
}

/// Inserts a finding that the year-end measurement does not have (so that the report
/// shows it as resolved, with its recorded id and title).
fn with_finding(record: String, id: &str, title: &str) -> String {
    let finding = format!(
        "\n    {{\"id\": \"{id}\", \"rule\": \"R9\", \"severity\": \"high\", \"at_stake\": 1, \"title\": \"{title}\"}},"
    );
    record.replacen("\"findings\": [", &format!("\"findings\": [{finding}"), 1)
}

#[test]
fn emoji_and_control_characters_of_a_record_reach_the_report_cleaned() {
    let ws = with_record(|r| {
        with_finding(
            r,
            "R9-\\u001b[1mgone😀",
            "Volume 😀 \\u001b[31mrouge\\u0007 fin",
        )
    });
    let run = ws.levier(&["build"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: a recorded finding id has a character the PDF's fonts cannot draw",
        "warning: a recorded finding's title has a character the PDF's fonts cannot draw",
        &format!("{RECORD}:"),
        "Built case",
    ]);
    let html = fs::read_to_string(ws.output("case").join("report.html")).expect("report.html");
    assert!(!html.contains('\u{1b}') && !html.contains('\u{7}'));
    assert!(
        html.contains("R9-[1mgone\u{FFFD}"),
        "the resolved finding is shown"
    );
    assert!(html.contains("Volume \u{FFFD} [31mrouge fin"));
    assert!(ws.output("case").join("report.pdf").is_file());
}

#[test]
fn a_megabyte_title_in_a_record_is_cut_and_the_pdf_builds() {
    let long = "Z".repeat(1_000_000);
    let ws = with_record(|r| with_finding(r, "R9-gone", &long));
    ws.levier(&["build", "--format", "pdf,html"])
        .assert_code(0)
        .assert_stderr_has(&[
            "warning: a recorded finding's title is 1000000 characters long",
            "cut from 1000000 to 300 characters",
        ]);
    let html = fs::read_to_string(ws.output("case").join("report.html")).expect("report.html");
    assert!(html.contains(&format!("{}…", "Z".repeat(299))));
    assert!(!html.contains(&"Z".repeat(301)));
    assert!(ws.output("case").join("report.pdf").is_file());
}

#[test]
fn out_of_range_foreign_or_duplicated_records_are_left_out_with_their_place() {
    type Edit = Box<dyn Fn(String) -> String>;
    let cases: [(&str, Edit, &str); 4] = [
        (
            "huge figure",
            Box::new(|r| r.replacen("\"clients.active\": 3", "\"clients.active\": 1e300", 1)),
            "warning: the measurement record's figure `clients.active` is 1e+300, beyond 10^18 in absolute value",
        ),
        (
            "another engagement",
            Box::new(|r| r.replacen("\"engagement\": \"case\"", "\"engagement\": \"good\"", 1)),
            "warning: the measurement record is one of the engagement `good`, not `case`",
        ),
        (
            "figure twice",
            Box::new(|r| {
                r.replacen(
                    "\"clients.active\": 3,",
                    "\"clients.active\": 3,\n    \"clients.active\": 300,",
                    1,
                )
            }),
            "figure `clients.active` is written twice",
        ),
        (
            "shifted fiscal year",
            Box::new(|r| {
                r.replacen(
                    "\"start\": \"2024-01-01\",\n    \"end\": \"2024-12-31\"",
                    "\"start\": \"2023-07-01\",\n    \"end\": \"2024-06-30\"",
                    1,
                )
            }),
            "overlaps the engagement's (2024-01-01 to 2024-12-31)",
        ),
    ];
    for (what, edit, expected) in cases {
        let ws = with_record(edit);
        let run = ws.levier(&["build", "--format", "json"]);
        run.assert_code(0).assert_stderr_has(&[
            expected,
            &format!("{RECORD}:"),
            "this record is left out of the comparison with the last measurement",
        ]);
        let metrics = fs::read_to_string(ws.output("case").join("metrics.json")).expect("json");
        let metrics: serde_json::Value = serde_json::from_str(&metrics).expect("valid JSON");
        assert!(
            metrics
                .get("since_last")
                .is_none_or(serde_json::Value::is_null),
            "{what}: compared with a record that was refused"
        );
    }
}
