//! Snapshots of the report model (what both the HTML and the PDF show) for the example
//! engagements: any change in a section, a label or a formatted figure is reviewed in
//! the snapshot diff.

use std::path::Path;

use levier::assess::Measured;
use levier::engagement::Engagement;
use serde_json::{Map, Value};

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

/// An example, measured, and its report's model as JSON.
fn report_of(slug: &str) -> (Engagement, Measured, Value) {
    let e = example(slug);
    let (m, _) = levier::assess::measure(&e);
    let report = serde_json::to_value(levier::present::report::build(&e, &m)).unwrap();
    (e, m, report)
}

/// The models of every salesperson's scorecard, as JSON.
fn scorecards_of(e: &Engagement, m: &Measured) -> Vec<Value> {
    levier::present::scorecard::reps(e, m)
        .iter()
        .map(|rep| serde_json::to_value(levier::present::scorecard::build(e, m, rep)).unwrap())
        .collect()
}

/// Every object of a model that `keep` accepts, each before the objects inside it.
fn objects<'v>(v: &'v Value, keep: &dyn Fn(&Map<String, Value>) -> bool) -> Vec<&'v Value> {
    let mut out = Vec::new();
    fn walk<'v>(
        v: &'v Value,
        keep: &dyn Fn(&Map<String, Value>) -> bool,
        out: &mut Vec<&'v Value>,
    ) {
        match v {
            Value::Object(o) => {
                if keep(o) {
                    out.push(v);
                }
                o.values().for_each(|x| walk(x, keep, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, keep, out)),
            _ => {}
        }
    }
    walk(v, keep, &mut out);
    out
}

/// Every table (an object with `columns` and `rows`) of a model.
fn tables(v: &Value) -> Vec<&Value> {
    objects(v, &|o| o.contains_key("columns") && o.contains_key("rows"))
}

/// The time table's columns (labels) and note, by table id, in a report's model.
fn time_table(slug: &str, id: &str) -> (Vec<String>, Option<String>) {
    let json: Value = serde_json::from_str(&model(slug)).unwrap();
    let table = tables(&json)
        .into_iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("{slug}: no table {id}"));
    let columns = table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap().to_string())
        .collect();
    (columns, table["note"].as_str().map(str::to_string))
}

#[test]
fn time_tables_without_an_allocation_key_leave_out_the_key_and_gap_columns() {
    // Groupe Ferrand's objectives set no time key: no column of "n.d.", a note says why.
    let (columns, note) = time_table("groupe-ferrand", "time-team");
    assert_eq!(columns, ["Activité", "Heures", "Part"]);
    assert!(note.unwrap().contains("Aucune clé de répartition"));
    let (columns, _) = time_table("groupe-ferrand", "time-by-rep");
    assert!(!columns.iter().any(|c| c == "Clé visites"), "{columns:?}");
    // Vidal's do: the key and the gap in points are shown.
    let (columns, note) = time_table("vidal-equipements", "time-team");
    assert_eq!(columns, ["Activité", "Heures", "Part", "Clé", "Écart"]);
    assert_eq!(note, None);
    let (columns, _) = time_table("vidal-equipements", "time-by-rep");
    assert!(columns.iter().any(|c| c == "Clé visites"), "{columns:?}");
}

/// The synthesis' revenue tile compares this year with the same period of last year:
/// both in compact form ("2,7 M€" against "2,7 M€") it said nothing, so last year's
/// figure is written in full, as metrics.json has it.
#[test]
fn the_revenue_tile_writes_last_years_figure_in_full() {
    let (_, m, report) = report_of("vidal-equipements");
    let json = report.to_string();
    let previous = levier::i18n::Formatter::new(levier::vocab::Language::Fr)
        .money(m.metrics.revenue.figures.previous_to_date.0, "EUR");
    assert!(
        json.contains(&format!("même période de l'an dernier ({previous})")),
        "{previous} not in the revenue tile"
    );
}

/// A column of percentages is written with one number of decimals: its total read
/// "100 %" under lines of "12,2 %", and the plan's visit key "50 %" where the time
/// tables said "50,0 %".
#[test]
fn a_column_of_percentages_has_one_number_of_decimals() {
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let (e, m, report) = report_of(slug);
        let mut models = vec![report];
        models.extend(scorecards_of(&e, &m));
        let found: Vec<&Value> = models.iter().flat_map(tables).collect();
        assert!(found.len() > 20, "{slug}: {} tables", found.len());
        for table in found {
            let columns = table["columns"].as_array().unwrap().len();
            for c in 0..columns {
                let mut decimals = std::collections::BTreeSet::new();
                for row in table["rows"].as_array().unwrap() {
                    let text = row["cells"][c]["text"].as_str().unwrap_or_default();
                    let Some(number) = text.strip_suffix("\u{202f}%") else {
                        continue;
                    };
                    if number.chars().any(|ch| ch.is_alphabetic()) {
                        continue;
                    }
                    decimals.insert(number.split(',').nth(1).map_or(0, str::len));
                }
                assert!(
                    decimals.len() <= 1,
                    "{slug}: table `{}` column {c} mixes {decimals:?} decimals",
                    table["id"]
                );
            }
        }
    }
}

/// A status is a few words kept on one line: the narrow status column of the tracking
/// table broke "on track" over two lines ("on / track"), the actions table "in progress".
#[test]
fn statuses_are_kept_on_one_line() {
    let (e, m, report) = report_of("vidal-equipements");
    let models = [
        report,
        serde_json::to_value(levier::present::scorecard::build(&e, &m, "SL")).unwrap(),
    ];
    let found: Vec<&Value> = models.iter().flat_map(tables).collect();
    let mut statuses = 0;
    for table in found {
        let id = table["id"].as_str().unwrap_or_default();
        if ![
            "actions",
            "followup",
            "qualitative",
            "rep-qualitative",
            "actions-sl",
        ]
        .contains(&id)
        {
            continue;
        }
        for row in table["rows"].as_array().unwrap() {
            let last = row["cells"].as_array().unwrap().last().unwrap();
            let text = last["text"].as_str().unwrap();
            assert!(
                !text.contains(' '),
                "table `{id}`: status {text:?} may break"
            );
            statuses += 1;
        }
    }
    assert!(statuses >= 15, "{statuses} statuses checked");
}

/// The tracking table said "n.d." for an action not measured because it starts after
/// the data's date (A4) or was dropped (A8): it now says which.
#[test]
fn actions_not_measured_say_whether_they_have_not_started_or_were_dropped() {
    let (_, _, report) = report_of("vidal-equipements");
    let followup = tables(&report)
        .into_iter()
        .find(|t| t["id"] == "followup")
        .expect("the tracking table");
    let status_of = |id: &str| -> String {
        followup["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cells"][0]["text"] == id)
            .map(|r| {
                r["cells"].as_array().unwrap().last().unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .unwrap_or_else(|| panic!("{id} in the tracking table"))
    };
    assert_eq!(status_of("A4"), "pas\u{a0}commencée");
    assert_eq!(status_of("A8"), "abandonnée");
    // Behind its indicator: the words of the actions table, where "en retard" means overdue.
    assert_eq!(status_of("A2"), "hors\u{a0}trajectoire");
}

/// Words agree with their counts: "Trois messages clés" headed two messages, and a
/// scorecard said "1 nouveaux clients".
#[test]
fn titles_and_counts_agree_in_number() {
    let (e, m, report) = report_of("lumen-atelier");
    let block = *objects(&report, &|o| {
        o.get("type").and_then(Value::as_str) == Some("key_messages")
    })
    .first()
    .expect("a key messages block");
    let items = block["items"].as_array().unwrap().len();
    let title = block["title"].as_str().unwrap();
    match items {
        1 => assert_eq!(title, "Le message clé"),
        2 => assert_eq!(title, "Deux messages clés"),
        _ => assert_eq!(title, "Trois messages clés"),
    }
    assert_eq!(items, 2, "the example has two findings");

    let cards: Vec<String> = scorecards_of(&e, &m).iter().map(Value::to_string).collect();
    assert!(
        cards.iter().all(|c| !c.contains("1 nouveaux")),
        "a singular count in the plural"
    );
    assert!(
        cards.iter().any(|c| c.contains("1 nouveau client\"")),
        "the example has a salesperson with one new client"
    );
}

/// The funnel's takeaway said "(50,6 % des leads)" for the share of the leads *at a
/// stage* that go no further, which read as a share of all leads.
#[test]
fn the_funnel_takeaway_says_its_loss_is_a_share_of_the_leads_at_that_stage() {
    let (_, m, report) = report_of("vidal-equipements");
    let metrics = serde_json::to_value(levier::assess::MetricsFile::of(&m)).unwrap();
    let f = &metrics["leads"]["funnel"];
    let stages = ["new", "contacted", "qualified", "proposal", "won"];
    let (at, lost) = (0..4)
        .map(|i| {
            let (from, to) = (
                f[stages[i]].as_f64().unwrap(),
                f[stages[i + 1]].as_f64().unwrap(),
            );
            (i, (from - to) / from)
        })
        .fold((0, -1.0), |best, x| if x.1 > best.1 { x } else { best });
    let expected =
        format!("{:.1}\u{202f}% des leads qui l'atteignent", (lost * 100.0)).replace('.', ",");
    assert!(
        report.to_string().contains(&expected),
        "{expected} ({})",
        stages[at]
    );
}

/// With no action in the plan, the adjustments said "Aucune action n'est en retard ni
/// hors trajectoire", true of an empty plan and meaningless; they say the plan has none.
#[test]
fn adjustments_of_a_plan_without_actions_say_there_is_no_action() {
    let (_, m, report) = report_of("lumen-atelier");
    assert!(m.assessment.actions.is_empty(), "the example has no action");
    let json = report.to_string();
    assert!(!json.contains("Aucune action n'est en retard"), "{json}");
    assert!(json.contains("Le plan d'action ne contient pas encore d'action."));
}

/// Without a clients file (Lumen Atelier's clients come from its invoice lines) the
/// data-quality annex said "Ventes de clients absents du fichier clients : 0", a check
/// of a file that does not exist; the line is kept where there is a clients file.
#[test]
fn the_unknown_clients_check_is_shown_only_against_a_clients_file() {
    let line = "Ventes de clients absents du fichier clients";
    for (slug, shown) in [("lumen-atelier", false), ("vidal-equipements", true)] {
        let (_, _, report) = report_of(slug);
        assert_eq!(report.to_string().contains(line), shown, "{slug}");
    }
}
