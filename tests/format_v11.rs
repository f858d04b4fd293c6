//! Format v1.1 (engagement-format.md, "Format v1.1: a client's exports as they come"),
//! feature by feature, through the real binary and the library: workbooks with a title
//! block, typed cells, quantity × unit price, a second currency, cancelled lines left
//! out and counted, guest orders, several files for one table, value maps, dates with
//! times and Excel serial days, zone and segment from the sales lines.
//!
//! Every figure asserted here is computed by hand from the fixture in the comment
//! beside it.

mod common;

use std::str::FromStr;

use chrono::NaiveDate;
use levier::engagement::{self, Engagement};
use levier::vocab::{ActivityKind, LeadStage, TableKind};
use levier_gen::xlsx::{Cell, Sheet, workbook};
use rust_decimal::Decimal;

use common::Workspace;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal literal")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// Replaces `[data.sales]` and what follows in the base engagement.toml.
fn with_data_settings(ws: &Workspace, settings: &str) {
    let path = ws.engagement("case").join("engagement.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let head = &toml[..toml
        .find("[data.sales]")
        .expect("the base has [data.sales]")];
    let head = if head.contains("[settings.exchange_rates]") {
        head.to_string()
    } else {
        head.replace(
            "[rules]",
            "[settings.exchange_rates]\nUSD = 1.08\n\n[rules]",
        )
    };
    std::fs::write(&path, format!("{head}{settings}")).unwrap();
}

fn load(ws: &Workspace) -> Engagement {
    let loaded = engagement::load(&ws.engagement("case"), Some(ws.root()));
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| d.render(Some(ws.root()), false))
        .collect();
    assert!(!loaded.diagnostics.has_errors(), "{}", problems.join("\n"));
    loaded.engagement.expect("no errors, so an engagement")
}

/// The base fixture's sales as an ERP workbook: a title block, the header on row 3,
/// quantity and unit price instead of an amount, a status, a currency.
fn erp_workbook() -> Vec<u8> {
    let t = Cell::text;
    let n = Cell::number;
    let d = |y, m, day| Cell::Date(date(y, m, day));
    let line = |dt: Cell,
                inv: &str,
                client: Cell,
                rep: &str,
                product: &str,
                q: &str,
                pu: &str,
                cur: &str,
                status: &str| {
        vec![
            dt,
            Cell::text(inv),
            client,
            Cell::text(rep),
            Cell::text(product),
            Cell::number(q),
            Cell::number(pu),
            Cell::text(cur),
            Cell::text(status),
        ]
    };
    let rows = vec![
        vec![t("Export ERP - factures 2023-2024")],
        vec![],
        vec![
            t("Date"),
            t("N° facture"),
            t("Code client"),
            t("Commercial"),
            t("Article"),
            t("Qté"),
            t("PU HT"),
            t("Devise"),
            t("Statut"),
        ],
        line(
            d(2023, 2, 10),
            "F23-001",
            t("C001"),
            "JD",
            "Produit A",
            "2",
            "600",
            "EUR",
            "Validée",
        ),
        line(
            d(2023, 6, 15),
            "F23-002",
            t("C002"),
            "PM",
            "Produit B",
            "1",
            "800.5",
            "EUR",
            "Validée",
        ),
        line(
            d(2023, 11, 20),
            "F23-003",
            t("C003"),
            "JD",
            "Produit A",
            "3",
            "600",
            "EUR",
            "Validée",
        ),
        line(
            d(2024, 1, 15),
            "F24-001",
            t("C001"),
            "JD",
            "Produit A",
            "2",
            "625",
            "EUR",
            "Validée",
        ),
        line(
            d(2024, 3, 2),
            "F24-002",
            t("C004"),
            "PM",
            "Produit C",
            "5",
            "620",
            "EUR",
            "Validée",
        ),
        line(
            d(2024, 5, 18),
            "F24-003",
            t("C002"),
            "PM",
            "Produit B",
            "1",
            "820",
            "EUR",
            "Validée",
        ),
        line(
            d(2024, 7, 9),
            "F24-004",
            t("C005"),
            "JD",
            "Produit A",
            "1",
            "640",
            "EUR",
            "Validée",
        ),
        line(
            d(2024, 9, 30),
            "F24-005",
            t("C001"),
            "JD",
            "Produit B",
            "-1",
            "150",
            "EUR",
            "Validée",
        ),
        line(
            d(2024, 12, 12),
            "F24-006",
            t("C004"),
            "PM",
            "Produit C",
            "2",
            "620",
            "EUR",
            "Validée",
        ),
        // Cancelled: left out, counted with its amount.
        line(
            d(2024, 6, 1),
            "F24-007",
            t("C001"),
            "JD",
            "Produit A",
            "1",
            "999",
            "EUR",
            "Annulée",
        ),
        // 1 080 USD at 1.08 USD per EUR: 1 000 EUR.
        line(
            d(2024, 8, 1),
            "F24-008",
            t("C002"),
            "PM",
            "Produit C",
            "1",
            "1080",
            "USD",
            "Validée",
        ),
        // A client code typed as a number: the id is `1042`, never `1042.0`.
        line(
            d(2024, 10, 1),
            "F24-009",
            n("1042"),
            "PM",
            "Produit B",
            "3",
            "0.1",
            "EUR",
            "Validée",
        ),
        // A guest order: no client; `empty_client = "skip"` leaves it out, counted.
        line(
            d(2024, 11, 1),
            "F24-010",
            Cell::Empty,
            "JD",
            "Produit A",
            "1",
            "50",
            "EUR",
            "Validée",
        ),
    ];
    workbook(&[
        Sheet {
            name: "Notes".into(),
            rows: vec![vec![t("not the data")]],
        },
        Sheet {
            name: "Ventes".into(),
            rows,
        },
    ])
}

const ERP_SETTINGS: &str = r#"[data.sales]
file = "data/ventes.xlsx"
sheet = "Ventes"
header_row = 3
columns = { date = "Date", invoice = "N° facture", client_id = "Code client", rep = "Commercial", product = "Article", quantity = "Qté", unit_price = "PU HT", currency = "Devise" }
skip = { "Statut" = ["Annulée", "Litige"] }
empty_client = "skip"
"#;

fn erp_engagement() -> Workspace {
    let ws = Workspace::new();
    ws.add_base("case");
    ws.write("engagements/case/data/ventes.xlsx", erp_workbook());
    std::fs::remove_file(ws.engagement("case").join("data/sales.csv")).unwrap();
    with_data_settings(&ws, ERP_SETTINGS);
    ws
}

#[test]
fn an_erp_workbook_reads_as_the_csv_did() {
    let ws = erp_engagement();
    let e = load(&ws);
    let rows: Vec<(NaiveDate, &str, Decimal)> = e
        .sales
        .iter()
        .map(|s| (s.date, e.client_id(s.client), s.amount))
        .collect();
    assert_eq!(
        rows,
        vec![
            (date(2023, 2, 10), "C001", dec("1200")),
            (date(2023, 6, 15), "C002", dec("800.5")),
            (date(2023, 11, 20), "C003", dec("1800")),
            (date(2024, 1, 15), "C001", dec("1250")),
            (date(2024, 3, 2), "C004", dec("3100")),
            (date(2024, 5, 18), "C002", dec("820")),
            (date(2024, 7, 9), "C005", dec("640")),
            (date(2024, 9, 30), "C001", dec("-150")),
            (date(2024, 12, 12), "C004", dec("1240")),
            (date(2024, 8, 1), "C002", dec("1000")),
            (date(2024, 10, 1), "1042", dec("0.3")),
        ]
    );
    // Rows are the sheet's: the first invoice is on row 4, below the title block.
    assert_eq!(e.sales[0].line, 4);
    let stats = &e.tables[&TableKind::Sales];
    assert_eq!(stats.rows, 11);
    assert_eq!(stats.rows_left_out.count, 2);
    assert_eq!(stats.rows_left_out.amount, dec("1049"));
    assert_eq!(stats.rows_left_out.by_reason["skip Statut"], 1);
    assert_eq!(stats.rows_left_out.by_reason["empty_client"], 1);
}

#[test]
fn rows_left_out_are_in_metrics_json() {
    let ws = erp_engagement();
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.output("case").join("metrics.json")).unwrap())
            .unwrap();
    let left = &m["data_quality"]["tables"]["sales"]["rows_left_out"];
    assert_eq!(left["count"], 2);
    assert_eq!(left["amount"], 1049.0);
    assert_eq!(left["by_reason"]["skip Statut"], 1);
    assert_eq!(left["by_reason"]["empty_client"], 1);
    // FY 2024: 1250 + 3100 + 820 + 640 - 150 + 1240 + 1000 (USD) + 0.30.
    assert_eq!(m["revenue"]["total"], 7900.3);
}

#[test]
fn workbook_cell_errors_name_the_sheet_and_the_cell() {
    let ws = erp_engagement();
    let mut sheet = Sheet {
        name: "Ventes".into(),
        rows: vec![
            vec![
                Cell::text("Date"),
                Cell::text("Code client"),
                Cell::text("Montant"),
            ],
            vec![
                Cell::Date(date(2024, 2, 1)),
                Cell::text("C001"),
                Cell::text("douze"),
            ],
        ],
    };
    sheet.rows.push(vec![
        Cell::Date(date(2024, 2, 2)),
        Cell::text("C001"),
        Cell::number("12"),
    ]);
    ws.write("engagements/case/data/ventes.xlsx", workbook(&[sheet]));
    with_data_settings(
        &ws,
        "[data.sales]\nfile = \"data/ventes.xlsx\"\ncolumns = { date = \"Date\", client_id = \"Code client\", amount = \"Montant\" }\n",
    );
    ws.levier(&["check"]).assert_code(1).assert_stderr_has(&[
        "error: invalid number `douze`",
        "engagements/case/data/ventes.xlsx \u{203a} Ventes!C2",
    ]);
}

#[test]
fn a_missing_sheet_lists_the_sheets() {
    let ws = erp_engagement();
    with_data_settings(
        &ws,
        &ERP_SETTINGS.replace("sheet = \"Ventes\"", "sheet = \"Ventse\""),
    );
    ws.levier(&["check"]).assert_code(1).assert_stderr_has(&[
        "error: no sheet `Ventse` in data/ventes.xlsx",
        "the workbook's sheets are `Notes`, `Ventes`",
        "help: did you mean `Ventes`?",
    ]);
}

#[test]
fn a_currency_without_a_rate_lists_every_currency() {
    let ws = erp_engagement();
    let path = ws.engagement("case").join("engagement.toml");
    let toml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("USD = 1.08", "GBP = 0.86");
    std::fs::write(&path, toml).unwrap();
    ws.levier(&["check"]).assert_code(1).assert_stderr_has(&[
        "error: no exchange rate for USD in data/ventes.xlsx",
        "currencies found: EUR (10 rows), USD (1 row)",
    ]);
}

#[test]
fn several_files_for_one_table_are_concatenated() {
    let ws = Workspace::new();
    ws.add_base("case");
    let dir = ws.engagement("case");
    let activities = std::fs::read_to_string(dir.join("data/activities.csv")).unwrap();
    let mut lines = activities.lines();
    let header = lines.next().unwrap();
    let rest: Vec<&str> = lines.collect();
    let (a, b) = rest.split_at(rest.len() / 2);
    ws.write(
        "engagements/case/data/calls.csv",
        format!(
            "{header}\n{}\n2024-04-02,JD,Appel,0.5,client,C001\n",
            a.join("\n")
        ),
    );
    ws.write(
        "engagements/case/data/meetings.csv",
        format!(
            "{header}\n{}\n2024-04-03,PM,courriel,0.25,prospect,\n",
            b.join("\n")
        ),
    );
    std::fs::remove_file(dir.join("data/activities.csv")).unwrap();
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    std::fs::write(
        dir.join("engagement.toml"),
        format!("{toml}\n[[data.activities]]\nfile = \"data/calls.csv\"\n\n[[data.activities]]\nfile = \"data/meetings.csv\"\n"),
    )
    .unwrap();
    let e = load(&ws);
    let acts = e.activities.as_ref().unwrap();
    assert_eq!(acts.len(), rest.len() + 2);
    assert_eq!(e.tables[&TableKind::Activities].rows, rest.len() + 2);
    let kinds: Vec<ActivityKind> = acts.iter().map(|a| a.kind).collect();
    assert!(kinds.contains(&ActivityKind::Call) && kinds.contains(&ActivityKind::Email));
    // Both files are in the provenance list.
    assert!(e.sources.iter().any(|s| s.file == "data/meetings.csv"));
}

#[test]
fn value_maps_translate_a_crm_and_unknown_values_come_once_with_a_line_to_paste() {
    let ws = Workspace::new();
    ws.add_base("case");
    let dir = ws.engagement("case");
    ws.write(
        "engagements/case/data/leads.csv",
        "lead_id,date,source,stage,closed,rep,value\n\
         O1,2024-01-05,Web,Closed Won,2024-02-20,PM,3000\n\
         O2,2024-02-11,Socios,Negociación,,JD,700\n\
         O3,2024-03-15,,Closed Lost,2024-05-01,JD,1500\n\
         O4,2024-06-02,Salon,Prospecting,,PM,2200\n",
    );
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    std::fs::write(
        dir.join("engagement.toml"),
        format!("{toml}\n[data.leads.values]\nstage = {{ \"Closed Won\" = \"won\", \"Closed Lost\" = \"lost\", \"Negociación\" = \"proposal\", \"*\" = \"contacted\" }}\nsource = {{ \"Socios\" = \"prescription\", \"Web\" = \"online\", \"\" = \"other\", \"Salon\" = \"offline\" }}\n"),
    )
    .unwrap();
    let e = load(&ws);
    let stages: Vec<LeadStage> = e.leads.as_ref().unwrap().iter().map(|l| l.stage).collect();
    assert_eq!(
        stages,
        [
            LeadStage::Won,
            LeadStage::Proposal,
            LeadStage::Lost,
            LeadStage::Contacted
        ]
    );

    // Without the stage map: one error per distinct value, with its count and a line
    // to paste.
    std::fs::write(
        dir.join("engagement.toml"),
        format!("{toml}\n[data.leads.values]\nsource = {{ \"Socios\" = \"prescription\", \"Web\" = \"online\", \"\" = \"other\", \"Salon\" = \"offline\" }}\n"),
    )
    .unwrap();
    ws.write(
        "engagements/case/data/leads.csv",
        "lead_id,date,source,stage,closed,rep,value\n\
         O1,2024-01-05,Web,Closed Won,2024-02-20,PM,3000\n\
         O2,2024-02-11,Socios,Closed Won,2024-03-01,JD,700\n\
         O3,2024-03-15,,Closed Won,2024-05-01,JD,1500\n\
         O4,2024-06-02,Salon,Prospecting,,PM,2200\n",
    );
    let run = ws.levier(&["check"]);
    run.assert_code(1).assert_stderr_has(&[
        "error: unknown lead stage `Closed Won`",
        "note: and 2 more rows with this value (lines 3\u{2013}4)",
        "help: map it in engagement.toml: `stage = { \"Closed Won\" = \"won\" }` in [data.leads.values]",
        "error: unknown lead stage `Prospecting`",
        "Failed case: 4 errors",
    ]);
    assert_eq!(
        run.stderr
            .matches("unknown lead stage `Closed Won`")
            .count(),
        1
    );
}

/// An empty source mapped to "other" stays a lead without a source (the data-quality
/// annex counts it); mapped to a real source, the consultant's map wins.
#[test]
fn an_empty_source_mapped_to_other_stays_without_a_source_and_a_real_source_wins() {
    let ws = Workspace::new();
    ws.add_base("case");
    let dir = ws.engagement("case");
    ws.write(
        "engagements/case/data/leads.csv",
        "lead_id,date,source,stage,closed,rep,value\n\
         O1,2024-01-05,Web,won,2024-02-20,PM,3000\n\
         O2,2024-03-15,,lost,2024-05-01,JD,1500\n",
    );
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    let sources = |map: &str| {
        std::fs::write(
            dir.join("engagement.toml"),
            format!("{toml}\n[data.leads.values]\nsource = {{ \"Web\" = \"online\", {map} }}\n"),
        )
        .unwrap();
        let e = load(&ws);
        e.leads
            .as_ref()
            .unwrap()
            .iter()
            .map(|l| l.source)
            .collect::<Vec<_>>()
    };
    use levier::vocab::LeadSource::*;
    assert_eq!(sources("\"\" = \"other\""), [Some(Online), None]);
    assert_eq!(
        sources("\"\" = \"prescription\""),
        [Some(Online), Some(Prescription)]
    );
}

#[test]
fn a_value_map_entry_that_matches_nothing_is_a_warning() {
    let ws = Workspace::new();
    ws.add_base("case");
    let dir = ws.engagement("case");
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    std::fs::write(
        dir.join("engagement.toml"),
        format!("{toml}\n[data.leads]\nskip = {{ \"Statut\" = [\"Annulé\"] }}\n\n[data.leads.values]\nstage = {{ \"Gagnée\" = \"won\" }}\n"),
    )
    .unwrap();
    ws.levier(&["check"]).assert_code(0).assert_stderr_has(&[
        "warning: the value \"Gagnée\" of `values.stage` matches no row of data/leads.csv",
        "warning: `skip` filters on a column that is not in data/leads.csv: `Statut`",
    ]);
}

#[test]
fn dates_with_times_and_excel_serial_days() {
    let ws = Workspace::new();
    ws.add_base("case");
    let dir = ws.engagement("case");
    ws.write(
        "engagements/case/data/sales.csv",
        "date,client_id,amount\n2/24/2023 0:00,C001,100\n12/31/2024 17:45,C002,50\n",
    );
    ws.write(
        "engagements/case/data/activities.csv",
        "date,rep,activity\n45292,JD,visit\n45657.75,PM,call\n",
    );
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    std::fs::write(
        dir.join("engagement.toml"),
        toml.replace(
            "[data.sales]",
            "[data.activities]\ndate_format = \"excel\"\n\n[data.sales]\ndate_format = \"%m/%d/%Y %H:%M\"",
        ),
    )
    .unwrap();
    let e = load(&ws);
    let dates: Vec<NaiveDate> = e.sales.iter().map(|s| s.date).collect();
    assert_eq!(dates, [date(2023, 2, 24), date(2024, 12, 31)]);
    let acts: Vec<NaiveDate> = e
        .activities
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| a.date)
        .collect();
    assert_eq!(acts, [date(2024, 1, 1), date(2024, 12, 31)]);
}

#[test]
fn zone_and_segment_come_from_the_most_recent_sales_line() {
    let ws = Workspace::new();
    ws.add_base("case");
    let dir = ws.engagement("case");
    std::fs::remove_file(dir.join("data/clients.csv")).unwrap();
    ws.write(
        "engagements/case/data/sales.csv",
        "date,client_id,amount,zone,segment\n\
         2023-03-01,C001,100,Isère,PME\n\
         2024-03-01,C001,100,Rhône,PME\n\
         2024-03-01,C002,100,Savoie,ETI\n\
         2023-01-01,C002,100,Ain,\n",
    );
    let e = load(&ws);
    let clients = e
        .clients
        .as_ref()
        .expect("clients made from the sales lines");
    let zones: Vec<(&str, Option<&str>, Option<&str>)> = clients
        .iter()
        .map(|c| {
            (
                e.client_id(c.client),
                c.zone.map(|z| e.label(z)),
                c.segment.map(|s| e.label(s)),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            ("C001", Some("Rhône"), Some("PME")),
            ("C002", Some("Savoie"), Some("ETI")),
        ]
    );
    assert_eq!(e.quality.clients_with_disagreeing_sales, 2);
}

fn preset_case(case: &str) -> Workspace {
    let ws = Workspace::new();
    ws.add_case("case", &common::fixtures().join("valid").join(case));
    ws
}

/// Stage, source and closing date of each lead.
fn leads_read(
    e: &Engagement,
) -> Vec<(
    String,
    LeadStage,
    Option<levier::vocab::LeadSource>,
    Option<NaiveDate>,
)> {
    e.leads
        .as_ref()
        .expect("a leads table")
        .iter()
        .map(|l| (l.id.clone(), l.stage, l.source, l.closed))
        .collect()
}

#[test]
fn a_salesforce_report_reads_through_its_preset() {
    use levier::vocab::LeadSource::*;
    let ws = preset_case("salesforce-opportunities");
    let e = load(&ws);
    assert_eq!(
        leads_read(&e),
        [
            (
                "0065g00000AbC01".into(),
                LeadStage::Won,
                Some(Online),
                Some(date(2024, 2, 20))
            ),
            (
                "0065g00000AbC02".into(),
                LeadStage::Won,
                Some(Prescription),
                Some(date(2024, 7, 1))
            ),
            (
                "0065g00000AbC03".into(),
                LeadStage::Lost,
                Some(SalesAction),
                Some(date(2024, 5, 1))
            ),
            // Custom stages from [data.leads.values]; an open deal's close date ignored.
            (
                "0065g00000AbC04".into(),
                LeadStage::Proposal,
                Some(Offline),
                None
            ),
            // An empty Lead Source: the preset files it under `other` without a
            // warning, but it stays a lead without a source for the data-quality annex.
            ("0065g00000AbC05".into(), LeadStage::Contacted, None, None),
        ]
    );
    let leads = e.leads.as_ref().unwrap();
    assert_eq!(leads[0].date, date(2024, 1, 5));
    assert_eq!(leads[0].value, Some(dec("3000.00")));
    assert_eq!(leads[0].client.map(|c| e.client_id(c)), Some("C004"));
    assert_eq!(leads[1].rep.map(|r| e.label(r)), Some("JD"));
    assert_eq!(e.quality.open_leads_with_closing_date, 2);
    // `levier check --explain` shows what the preset mapped.
    let run = ws.levier(&["check", "--explain"]);
    run.assert_code(0);
    for needle in [
        "data/Opportunity.csv (preset salesforce):",
        "stage <- `Stage`",
        "lead_id <- `Opportunity ID`",
        "\"Closed Won\" = \"won\"",
        "\"Devis envoyé\" = \"proposal\"",
    ] {
        assert!(run.stdout.contains(needle), "{needle}\n{}", run.stdout);
    }
}

#[test]
fn a_hubspot_export_with_api_names_reads_through_its_preset() {
    use levier::vocab::LeadSource::*;
    let ws = preset_case("hubspot-deals");
    let e = load(&ws);
    assert_eq!(
        leads_read(&e),
        [
            (
                "9001".into(),
                LeadStage::Won,
                Some(Online),
                Some(date(2024, 2, 20))
            ),
            (
                "9002".into(),
                LeadStage::Won,
                Some(Prescription),
                Some(date(2024, 7, 1))
            ),
            (
                "9003".into(),
                LeadStage::Lost,
                Some(Offline),
                Some(date(2024, 5, 1))
            ),
            ("9004".into(), LeadStage::Proposal, Some(Online), None),
            ("9005".into(), LeadStage::Contacted, None, None),
        ]
    );
}

#[test]
fn a_pipedrive_export_with_en_dashes_reads_through_its_preset() {
    use levier::vocab::LeadSource::*;
    let ws = preset_case("pipedrive-deals");
    let e = load(&ws);
    assert_eq!(
        leads_read(&e),
        [
            (
                "1".into(),
                LeadStage::Won,
                Some(Online),
                Some(date(2024, 2, 20))
            ),
            (
                "2".into(),
                LeadStage::Won,
                Some(SalesAction),
                Some(date(2024, 7, 1))
            ),
            (
                "3".into(),
                LeadStage::Lost,
                Some(SalesAction),
                Some(date(2024, 5, 1))
            ),
            ("4".into(), LeadStage::Contacted, Some(Online), None),
            ("5".into(), LeadStage::Contacted, None, None),
        ]
    );
    let kinds: Vec<ActivityKind> = e
        .activities
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| a.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            ActivityKind::Call,
            ActivityKind::Meeting,
            ActivityKind::Email,
            ActivityKind::Other
        ]
    );
}

/// The third example engagement loads with no warning, and its figures are those the
/// generator computes from its own records (an independent computation: quantity ×
/// unit price, USD / 1.08 to the cent, cancelled lines out, guests grouped).
#[test]
fn the_lumen_atelier_example_reads_raw_exports_without_a_warning() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = engagement::load(&root.join("engagements/lumen-atelier"), Some(root));
    let shown: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| d.render(Some(root), false))
        .collect();
    assert!(loaded.diagnostics.is_empty(), "{}", shown.join("\n"));
    let e = loaded.engagement.expect("loads");
    let (metrics, problems) = levier::assess::measure(&e);
    assert!(problems.is_empty(), "{problems:#?}");
    let m = serde_json::to_value(&metrics).unwrap();
    let example = levier_gen::lumen::build();
    let fy: i64 = example
        .data
        .sales
        .iter()
        .filter(|s| s.date >= date(2025, 1, 1) && s.date <= date(2025, 9, 30))
        .map(|s| s.amount)
        .sum();
    assert_eq!(
        m["revenue"]["total"]
            .as_f64()
            .map(|v| (v * 100.0).round() as i64),
        Some(fy)
    );
    let left = &e.tables[&TableKind::Sales].rows_left_out;
    assert!(left.count > 10 && left.by_reason.contains_key("skip Statut"));
    assert!(e.client_ids.get("(sans compte)").is_some());
}
