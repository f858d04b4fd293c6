//! Tests of the assessment, continued: the action follow-up (on-track arithmetic,
//! overdue actions), KPI paths and their diagnostics, acquisition scores and
//! qualitative objectives. The engagement builders are the parent module's.

use super::*;

// ---------------------------------------------------------------------------
// Action follow-up

#[test]
fn on_track_arithmetic() {
    use Goal::*;
    use KpiKind::*;
    let half = dec("0.5");
    let one = Decimal::ONE;
    // Cumulative, at least: 50 of 100 is on track mid-year, not at year end.
    assert!(on_track(Cumulative, AtLeast, dec("50"), dec("100"), half));
    assert!(!on_track(
        Cumulative,
        AtLeast,
        dec("49.99"),
        dec("100"),
        half
    ));
    assert!(!on_track(Cumulative, AtLeast, dec("50"), dec("100"), one));
    assert!(on_track(Cumulative, AtLeast, dec("100"), dec("100"), one));
    // Cumulative, at most (a budget spent): 50 of 100 is fine mid-year, 51 is not.
    assert!(on_track(Cumulative, AtMost, dec("50"), dec("100"), half));
    assert!(!on_track(Cumulative, AtMost, dec("51"), dec("100"), half));
    assert!(on_track(Cumulative, AtMost, dec("99"), dec("100"), one));
    // Levels are not prorated.
    assert!(!on_track(Level, AtLeast, dec("0.10"), dec("0.12"), half));
    assert!(on_track(Level, AtLeast, dec("0.12"), dec("0.12"), half));
    assert!(on_track(Level, AtLeast, dec("0.12"), dec("0.12"), one));
    assert!(on_track(Level, AtMost, dec("0.20"), dec("0.25"), half));
    assert!(!on_track(Level, AtMost, dec("0.26"), dec("0.25"), one));
    assert!(on_track(Level, AtMost, dec("0.25"), dec("0.25"), one));
}

const PLAN: &str = r#"[[action]]
id = "A1"
title = "Conquest"
start = "2024-01-01"
due = "2024-12-31"
answers = ["R1"]
kpi = "revenue.conquest"
target = 200
status = "in_progress"

[[action]]
id = "A2"
title = "Admin share of SL"
start = "2024-01-01"
due = "2024-03-31"
answers = ["R8"]
kpi = "time.by_rep.SL.by_activity.admin.share"
target = 0.15
goal = "at_most"
status = "in_progress"

[[action]]
id = "A3"
title = "Done on time"
due = "2024-03-31"
answers = ["R7"]
kpi = "revenue.growth"
target = 0.05
status = "done"

[[action]]
id = "A4"
title = "Dropped"
due = "2024-03-31"
answers = ["R4"]
kpi = "revenue.conquest"
target = 1000000
status = "dropped"

[[action]]
id = "A5"
title = "Not started yet"
start = "2024-08-01"
answers = ["R10"]
kpi = "revenue.conquest"
target = 1000000
status = "planned"

[[action]]
id = "A6"
title = "Planned, overdue, without kpi"
due = "2024-05-31"
status = "planned"
"#;

/// A plan read from TOML (so KPI paths have real positions), on FY 2024 to 2024-07-01
/// (183 of 366 days: elapsed 0.5).
fn followed(plan: &str) -> (Measured, Vec<Diagnostic>) {
    let file = TomlFile::new(Path::new("/eng/plan.toml"), plan);
    let plan = crate::engagement::plan::read(&file);
    let problems = file.into_diagnostics();
    assert!(problems.is_empty(), "{problems:?}");
    let mut o = Objectives::default();
    o.time_allocation.insert(ActivityKind::Visit, dec("1"));
    let mut e = EngagementBuilder::new("2024-01-01")
        .as_of("2024-07-01")
        .objectives(o)
        .sale("2024-02-01", "N1", "100")
        .activity("2024-02-01", "SL", ActivityKind::Admin, "1", None, None)
        .activity("2024-02-01", "SL", ActivityKind::Visit, "4", None, None)
        .build();
    e.plan = Some(plan);
    measure(&e)
}

fn action<'a>(m: &'a Measured, id: &str) -> &'a ActionReview {
    m.assessment.actions.iter().find(|a| a.id == id).unwrap()
}

#[test]
fn actions_followed_mid_year() {
    let (m, diagnostics) = followed(PLAN);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(m.metrics.elapsed_share.0, dec("0.5"));
    // A1: 100 of conquest against 200 × 0.5: on track (just).
    let a1 = action(&m, "A1");
    assert_eq!(a1.kpi_kind, Some(KpiKind::Cumulative));
    assert_eq!(a1.current, Some(100.0));
    assert_eq!(a1.expected_to_date.map(|q| q.0), Some(dec("100")));
    assert_eq!(a1.on_track, Some(true));
    assert!(!a1.overdue && !a1.needs_adjustment);
    // A2: admin share 20 % against at most 15 %: off track; and overdue.
    let a2 = action(&m, "A2");
    assert_eq!(a2.kpi_kind, Some(KpiKind::Level));
    assert_eq!(a2.goal, Goal::AtMost);
    assert_eq!(a2.current, Some(0.2));
    assert_eq!(a2.expected_to_date, None);
    assert_eq!(a2.on_track, Some(false));
    assert!(a2.overdue && a2.needs_adjustment);
    // A3: done; growth is null (no FY-1): on track unknown, not overdue.
    let a3 = action(&m, "A3");
    assert_eq!(a3.current, None);
    assert_eq!(a3.on_track, None);
    assert!(!a3.overdue && !a3.needs_adjustment);
    // A4: dropped: never on or off track, overdue or to adjust.
    let a4 = action(&m, "A4");
    assert_eq!(a4.current, Some(100.0));
    assert_eq!(a4.on_track, None);
    assert!(!a4.overdue && !a4.needs_adjustment);
    // A5: starts after as_of: its KPI is a baseline.
    let a5 = action(&m, "A5");
    assert_eq!(a5.on_track, None);
    assert!(!a5.needs_adjustment);
    // A6: no KPI, overdue.
    let a6 = action(&m, "A6");
    assert_eq!(a6.kpi_kind, None);
    assert_eq!(a6.on_track, None);
    assert!(a6.overdue && a6.needs_adjustment);
    assert_eq!(m.assessment.plan_review.adjustments, ["A2", "A6"]);
}

#[test]
fn actions_followed_at_year_end() {
    let plan = PLAN.replace("target = 200", "target = 100");
    let file = TomlFile::new(Path::new("/eng/plan.toml"), &plan);
    let plan = crate::engagement::plan::read(&file);
    let mut e = year()
        .sale("2024-02-01", "N1", "99.99")
        .sale("2024-12-31", "N1", "0.01")
        .build();
    e.plan = Some(plan);
    let (m, _) = measure(&e);
    assert_eq!(m.metrics.elapsed_share.0, Decimal::ONE);
    // 100 of 100 at year end: on track; overdue needs due < as_of.
    let a1 = action(&m, "A1");
    assert_eq!(a1.on_track, Some(true));
    assert!(!a1.overdue);
    // A5 started this time (2024-08-01 <= as_of), and is far from its target.
    assert_eq!(action(&m, "A5").on_track, Some(false));
}

#[test]
fn uncovered_findings_ignore_dropped_actions() {
    let mut all = run(&r4_a_engagement(19));
    all.extend(
        run(&r7_engagement("50"))
            .into_iter()
            .filter(|f| f.rule == "R7"),
    );
    let (m, _) = followed(PLAN);
    let review = followup::plan_review(&m.assessment.actions, &all);
    // A3 (done) answers R7; R4 is only answered by the dropped A4.
    assert_eq!(review.uncovered_findings, ["R4-top_client", "R4-a_class"]);
}

// ---------------------------------------------------------------------------
// KPI paths

fn kpi_plan(kpi: &str) -> String {
    format!(
        "[[action]]\nid = \"A1\"\ntitle = \"x\"\nkpi = \"{kpi}\"\ntarget = 10\nstatus = \"in_progress\"\n"
    )
}

#[test]
fn unknown_kpi_points_at_the_value_with_suggestions() {
    let (m, diagnostics) = followed(&kpi_plan("leads.by_source.onlin.count"));
    // Without a leads table, by_source is empty: suggest among what exists.
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert!(d.is_error());
    assert_eq!(d.message, "unknown kpi `leads.by_source.onlin.count`");
    assert_eq!(d.label.as_deref(), Some("no such figure in metrics.json"));
    let at = d.location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (4, 7));
    assert_eq!(d.path.as_deref(), Some(Path::new("/eng/plan.toml")));
    assert!(d.notes[0].starts_with("nearest figures: "), "{:?}", d.notes);
    assert_eq!(action(&m, "A1").current, None);

    // With a leads table, the source's count is suggested first.
    let text = kpi_plan("leads.by_source.onlin.count");
    let file = TomlFile::new(Path::new("/eng/plan.toml"), &text);
    let plan = crate::engagement::plan::read(&file);
    let mut e = leads(
        year().sale("2024-06-01", "C1", "1"),
        LeadSource::Online,
        3,
        1,
    )
    .build();
    e.plan = Some(plan);
    let (_, diagnostics) = measure(&e);
    assert_eq!(
        diagnostics[0].help,
        ["did you mean `leads.by_source.online.count`?"]
    );
    let rendered = diagnostics[0].render(Some(Path::new("/eng")), false);
    assert!(rendered.contains("plan.toml:4:7"), "{rendered}");
}

#[test]
fn kpi_naming_a_table_lists_its_figures() {
    let (_, diagnostics) = followed(&kpi_plan("revenue.split_by_rep"));
    let (_, ok) = followed(&kpi_plan("revenue.total"));
    assert!(ok.is_empty());
    let (_, d) = followed(&kpi_plan("clients"));
    assert_eq!(d[0].message, "kpi `clients` is a table, not a figure");
    assert!(
        d[0].notes[0].contains("`clients.active`"),
        "{:?}",
        d[0].notes
    );
    // An empty table has no figure to list.
    assert_eq!(
        diagnostics[0].message,
        "kpi `revenue.split_by_rep` is a table, not a figure"
    );
    let (_, d) = followed(&kpi_plan("objectives"));
    assert_eq!(d[0].message, "kpi `objectives` is a list, not a figure");
    let (_, d) = followed(&kpi_plan("as_of"));
    assert_eq!(d[0].message, "kpi `as_of` is a text, not a figure");
}

#[test]
fn null_kpi_is_not_an_error() {
    let (m, d) = followed(&kpi_plan("revenue.growth"));
    assert!(d.is_empty());
    let a = action(&m, "A1");
    assert_eq!(a.current, None);
    assert_eq!(a.on_track, None);
    assert_eq!(a.kpi_kind, Some(KpiKind::Level));
}

// ---------------------------------------------------------------------------
// Acquisitions, qualitative objectives

#[test]
fn acquisition_scores() {
    use acquisitions::score;
    assert_eq!(score(Some(4), Some(4), Some(2)), Some(dec("75")));
    assert_eq!(score(Some(5), Some(5), Some(1)), Some(dec("100")));
    assert_eq!(score(Some(1), Some(1), Some(5)), Some(dec("0")));
    // Only the components given count.
    assert_eq!(score(Some(3), None, None), Some(dec("50")));
    assert_eq!(score(None, None, Some(2)), Some(dec("75")));
    assert_eq!(score(None, None, None), None);
}

#[test]
fn acquisitions_ranked_and_grouped() {
    let text = r#"
[[acquisition]]
name = "Zeta"
integration = "horizontal"
fit = 4
synergy = 3
risk = 2

[[acquisition]]
name = "Alpha"
integration = "vertical_upstream"
fit = 5
synergy = 3
risk = 3

[[acquisition]]
name = "Unscored"
integration = "horizontal"

[[acquisition]]
name = "Best"
integration = "horizontal"
revenue = 2_000_000
fit = 5
synergy = 5
risk = 1
"#;
    let file = TomlFile::new(Path::new("/eng/plan.toml"), text);
    let plan = crate::engagement::plan::read(&file);
    let mut e = year().sale("2024-06-01", "C1", "1").build();
    e.info.language = Language::Fr;
    e.plan = Some(plan);
    let a = acquisitions::review(&e);
    let names: Vec<&str> = a.targets.iter().map(|t| t.name.as_str()).collect();
    // Alpha and Zeta tie at 66.67: by name.
    assert_eq!(names, ["Best", "Alpha", "Zeta", "Unscored"]);
    assert_eq!(a.targets[0].integration_label, "intégration horizontale");
    assert_eq!(a.targets[0].revenue, Some(Money(dec("2000000"))));
    assert_eq!(a.targets[3].score, None);
    assert_eq!(
        a.by_integration[&crate::vocab::Integration::Horizontal],
        ["Best", "Zeta", "Unscored"]
    );
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["targets"][1]["score"], serde_json::json!(66.67));
    assert!(json["by_integration"]["vertical_upstream"].is_array());
    // No plan, no acquisitions.
    let e = year().sale("2024-06-01", "C1", "1").build();
    assert!(acquisitions::review(&e).targets.is_empty());
}

#[test]
fn qualitative_objectives_with_status_labels() {
    let mut o = Objectives::default();
    o.qualitative
        .push(crate::engagement::objectives::QualitativeObjective {
            objective: "Signer 5 prescripteurs".into(),
            owner: Some("JD".into()),
            status: Status::InProgress,
        });
    let mut e = year().objectives(o).sale("2024-06-01", "C1", "1").build();
    e.info.language = Language::Fr;
    let (m, _) = measure(&e);
    assert_eq!(m.assessment.qualitative.len(), 1);
    assert_eq!(m.assessment.qualitative[0].status_label, "en cours");
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["qualitative"][0]["status"], "in_progress");
    assert_eq!(json["plan_review"]["adjustments"], serde_json::json!([]));
}

#[test]
fn findings_serialise_like_metrics() {
    let found = run(&r3_engagement(10, 1, 4));
    let json = serde_json::to_value(get(&found, "R3-online")).unwrap();
    assert_eq!(json["severity"], "low");
    assert_eq!(json["subject"]["kind"], "source");
    assert_eq!(json["subject"]["key"], "online");
    assert_eq!(json["evidence"]["count"], 10);
    assert_eq!(json["evidence"]["overall_rate"], serde_json::json!(0.25));
    assert_eq!(json["at_stake"], serde_json::json!(1500.0));
}

#[test]
fn metrics_file_keys_in_the_documented_order() {
    let e = EngagementBuilder::new("2025-01-01")
        .sale("2025-02-01", "C1", "1")
        .build();
    let (measured, _) = measure(&e);
    let file = MetricsFile::of(&measured);
    let text = String::from_utf8(file.to_bytes().unwrap()).unwrap();
    let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = v.keys().map(String::as_str).collect();
    assert_eq!(json_of(&measured)["findings"][0]["id"], "R4-top_client");
    // serde_json's Map is sorted unless preserve_order: check the text order instead.
    let mut positions: Vec<(usize, &str)> = keys
        .iter()
        .map(|k| (text.find(&format!("\n  \"{k}\":")).unwrap(), *k))
        .collect();
    positions.sort();
    let ordered: Vec<&str> = positions.into_iter().map(|(_, k)| k).collect();
    assert_eq!(
        ordered,
        [
            "schema",
            "engagement",
            "client",
            "currency",
            "fiscal_year",
            "as_of",
            "elapsed_share",
            "revenue",
            "clients",
            "pareto",
            "leads",
            "time",
            "former_clients",
            "objectives",
            "projection_method",
            "findings",
            "rules_not_evaluated",
            "actions",
            "plan_review",
            "acquisitions",
            "qualitative",
            "data_quality",
            "periods",
            "unavailable",
            "since_last",
            "provenance",
        ]
    );
}

fn json_of(m: &Measured) -> serde_json::Value {
    serde_json::to_value(m).expect("metrics.json serialises")
}
