//! The engagement over time: `levier record`, and what a later build says changed since.
//!
//! Each test copies the Vidal example (fiscal year 2025, measured at 30 September), moves
//! its `as_of`, records and rebuilds, and reads metrics.json and the report as a client
//! would receive them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Workspace, copy_dir};
use serde_json::Value;

const SLUG: &str = "vidal-equipements";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("engagements")
        .join(SLUG)
}

/// A workspace holding a copy of the Vidal example measured at `as_of`.
fn workspace_at(as_of: &str) -> Workspace {
    let ws = Workspace::new();
    copy_dir(&example(), &ws.engagement(SLUG));
    set_as_of(&ws, as_of);
    ws
}

fn set_as_of(ws: &Workspace, as_of: &str) {
    let path = ws.engagement(SLUG).join("engagement.toml");
    let text = fs::read_to_string(&path).expect("engagement.toml");
    let line = text
        .lines()
        .find(|l| l.starts_with("as_of"))
        .expect("an as_of line")
        .to_string();
    fs::write(&path, text.replace(&line, &format!("as_of = \"{as_of}\""))).expect("writable");
}

fn metrics(ws: &Workspace) -> Value {
    let text = fs::read_to_string(ws.output(SLUG).join("metrics.json")).expect("metrics.json");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The figure at a dotted metrics path, objectives by key (`objectives.<key>.<figure>`).
fn figure<'a>(m: &'a Value, path: &str) -> &'a Value {
    if let Some(rest) = path.strip_prefix("objectives.") {
        let (key, figure) = rest.rsplit_once('.').expect("objectives.<key>.<figure>");
        let objective = m["objectives"]
            .as_array()
            .expect("objectives")
            .iter()
            .find(|o| o["key"] == key)
            .unwrap_or_else(|| panic!("no objective {key}"));
        return &objective[figure];
    }
    path.split('.').fold(m, |v, k| &v[k])
}

fn finding_ids(m: &Value) -> Vec<String> {
    let mut ids: Vec<String> = m["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().expect("an id").to_string())
        .collect();
    ids.sort();
    ids
}

fn strings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn since_last_compares_with_the_recorded_measurement_figure_by_figure() {
    let ws = workspace_at("2025-06-30");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    let before = metrics(&ws);
    assert!(
        before.get("since_last").is_none_or(Value::is_null),
        "no record yet, so nothing to compare with"
    );
    ws.levier(&["record"])
        .assert_code(0)
        .assert_stderr_has(&["Recorded", "history/2025-06-30.json"]);
    let record = ws.engagement(SLUG).join("history/2025-06-30.json");
    let text = fs::read_to_string(&record).expect("the record is written");
    assert!(text.contains("\"schema\": \"levier.record/1\""));

    set_as_of(&ws, "2025-12-31");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    let now = metrics(&ws);
    let since = &now["since_last"];
    assert_eq!(since["as_of"], "2025-06-30");
    let figures = since["figures"].as_object().expect("figures");
    for path in [
        "revenue.total",
        "revenue.conquest",
        "revenue.retention",
        "revenue.reconquest",
        "clients.active",
        "clients.new",
        "clients.lost",
        "leads.total.count",
        "leads.total.conversion_rate",
        "leads.total.win_rate",
    ] {
        let change = figures
            .get(path)
            .unwrap_or_else(|| panic!("since_last.figures lacks {path}"));
        assert_eq!(change["before"], *figure(&before, path), "{path} before");
        assert_eq!(change["now"], *figure(&now, path), "{path} now");
    }
    for objective in now["objectives"].as_array().expect("objectives") {
        let path = format!(
            "objectives.{}.projection",
            objective["key"].as_str().expect("a key")
        );
        let change = figures
            .get(&path)
            .unwrap_or_else(|| panic!("since_last.figures lacks {path}"));
        assert_eq!(change["before"], *figure(&before, &path), "{path} before");
        assert_eq!(change["now"], objective["projection"], "{path} now");
    }
    // revenue.total grows over the second half: the change is now − before, rounded.
    let total = &figures["revenue.total"];
    let change = total["now"].as_f64().unwrap() - total["before"].as_f64().unwrap();
    assert!((total["change"].as_f64().unwrap() - change).abs() < 0.01);

    // The finding sets partition both measurements' findings.
    let (was, is) = (finding_ids(&before), finding_ids(&now));
    let findings = &since["findings"];
    let (new, resolved, persisting) = (
        strings(&findings["new"]),
        strings(&findings["resolved"]),
        strings(&findings["persisting"]),
    );
    let mut now_ids = [new.clone(), persisting.clone()].concat();
    now_ids.sort();
    assert_eq!(now_ids, is, "new + persisting = the findings now");
    let mut was_ids = [resolved.clone(), persisting.clone()].concat();
    was_ids.sort();
    assert_eq!(was_ids, was, "resolved + persisting = the findings before");

    // Each action is compared: the statuses are those of the two builds.
    let actions = since["actions"].as_array().expect("actions");
    assert_eq!(
        actions.len(),
        now["actions"].as_array().expect("actions").len()
    );
    for a in actions {
        let id = a["id"].as_str().expect("an id");
        let of = |m: &Value| {
            m["actions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == id)
                .cloned()
                .unwrap()
        };
        assert_eq!(a["status_before"], of(&before)["status"], "{id}");
        assert_eq!(a["status_now"], of(&now)["status"], "{id}");
        assert_eq!(a["replanned"], false, "{id}: same plan, not re-planned");
    }
}

#[test]
fn the_report_shows_the_dated_evolution_section_in_both_languages() {
    let ws = workspace_at("2025-06-30");
    ws.levier(&["record"]).assert_code(0);
    set_as_of(&ws, "2025-09-30");
    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let html = fs::read_to_string(ws.output(SLUG).join("report.html")).expect("report.html");
    assert!(
        html.contains("Évolution depuis la mesure du 30 juin 2025"),
        "the French heading names the recorded date"
    );

    let path = ws.engagement(SLUG).join("engagement.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("language = \"fr\"", "language = \"en\""),
    )
    .unwrap();
    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let html = fs::read_to_string(ws.output(SLUG).join("report.html")).expect("report.html");
    assert!(html.contains("Since the measurement of 30 June 2025"));
}

#[test]
fn recording_twice_for_the_same_date_refuses_without_force() {
    let ws = workspace_at("2025-06-30");
    ws.levier(&["record"]).assert_code(0);
    let record = ws.engagement(SLUG).join("history/2025-06-30.json");
    let first = fs::read(&record).unwrap();
    fs::write(&record, b"{\"edited\": true}").unwrap();
    ws.levier(&["record"])
        .assert_code(1)
        .assert_stderr_has(&["already recorded", "--force"]);
    assert_eq!(
        fs::read(&record).unwrap(),
        b"{\"edited\": true}",
        "the existing record is left alone"
    );
    ws.levier(&["record", "--force"]).assert_code(0);
    assert_eq!(
        fs::read(&record).unwrap(),
        first,
        "the same measurement, the same bytes"
    );
}

#[test]
fn a_record_dated_after_as_of_is_not_the_last_measurement() {
    let ws = workspace_at("2025-12-31");
    ws.levier(&["record"]).assert_code(0);
    set_as_of(&ws, "2025-06-30");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    assert!(metrics(&ws).get("since_last").is_none_or(Value::is_null));
}

#[test]
fn a_corrupt_record_is_a_warning_and_the_build_goes_on() {
    let ws = workspace_at("2025-09-30");
    ws.write(
        &format!("engagements/{SLUG}/history/2025-06-30.json"),
        "{ not json",
    );
    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&["warning", "history/2025-06-30.json", "not valid JSON"]);
    assert!(metrics(&ws).get("since_last").is_none_or(Value::is_null));
}

#[test]
fn a_record_of_an_earlier_fiscal_year_compares_year_over_year() {
    // The year before, measured at its close (the example's data covers it).
    let ws = workspace_at("2024-12-31");
    // The plan follows figures that the year before has no data for (activities).
    fs::remove_file(ws.engagement(SLUG).join("plan.toml")).unwrap();
    let path = ws.engagement(SLUG).join("engagement.toml");
    let text = fs::read_to_string(&path).unwrap();
    let fy = "fiscal_year_start = \"2025-01-01\"";
    assert!(text.contains(fy));
    fs::write(
        &path,
        text.replace(fy, "fiscal_year_start = \"2024-01-01\""),
    )
    .unwrap();
    ws.levier(&["record"]).assert_code(0);
    fs::write(&path, text.clone()).unwrap();
    set_as_of(&ws, "2025-09-30");
    ws.levier(&["build", "--format", "json,html"])
        .assert_code(0);
    let since = &metrics(&ws)["since_last"];
    assert_eq!(since["as_of"], "2024-12-31");
    assert_eq!(since["year_over_year"], true);
    let html = fs::read_to_string(ws.output(SLUG).join("report.html")).unwrap();
    assert!(
        html.contains("exercice précédent"),
        "the section says it compares with the previous fiscal year"
    );
}
