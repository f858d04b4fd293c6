//! Real-world exports read correctly: windows-1252, `;` and tab delimiters found by
//! sniffing, decimal commas, day/month/year dates, mapped headers, `1 234,56 €` amounts,
//! byte-order marks, CRLF, French vocabulary and client ids with leading zeros.
//!
//! The engagement is `tests/fixtures/valid/french-exports/` over the base fixture. The
//! binary must accept it (`levier check`, `levier build --format json`), and the values
//! it loads are checked one by one through the library, `levier::engagement::load`, so
//! that a cell read as a wrong but plausible number cannot go unnoticed.

mod common;

use std::str::FromStr;

use chrono::NaiveDate;
use levier::engagement::{self, Engagement};
use levier::vocab::{ActivityKind, LeadSource, LeadStage, Maturity, TableKind, VisitTarget};
use rust_decimal::Decimal;

use common::Workspace;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal literal")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// The french-exports engagement in a fresh workspace.
fn french_exports() -> Workspace {
    let ws = Workspace::new();
    ws.add_case(
        "case",
        &common::fixtures().join("valid").join("french-exports"),
    );
    ws
}

fn load(ws: &Workspace) -> Engagement {
    let loaded = engagement::load(&ws.engagement("case"), Some(ws.root()));
    let problems: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    loaded.engagement.expect("no errors, so an engagement")
}

#[test]
fn the_binary_accepts_and_builds_the_exports() {
    let ws = french_exports();
    ws.levier(&["check"])
        .assert_code(0)
        .assert_stderr_has(&["Ok case"])
        .assert_stderr_lacks("warning");
    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&["Built case -> output/case (metrics.json)"]);
    let metrics: serde_json::Value = serde_json::from_slice(
        &std::fs::read(ws.output("case").join("metrics.json")).expect("metrics.json written"),
    )
    .expect("metrics.json is JSON");
    assert_eq!(metrics["engagement"], "case");
    assert_eq!(metrics["client"], "Base Fixture SAS");
    assert_eq!(metrics["currency"], "EUR");
    // Fiscal year 2024: 1 250,00 + (99,90) credit note + 10 000 EUR; 2023: 1 234,56
    // - 12,50 + 1 800,00. Any cell misread (a dropped thousands group, a lost sign, a
    // decimal comma taken as a separator) shows here.
    assert_eq!(metrics["revenue"]["total"].to_string(), "11150.1");
    assert_eq!(metrics["revenue"]["previous_total"].to_string(), "3022.06");
}

#[test]
fn windows_1252_sales_with_decimal_commas_and_mapped_headers() {
    let ws = french_exports();
    let e = load(&ws);

    let stats = &e.tables[&TableKind::Sales];
    assert_eq!(stats.file, "data/export-erp.csv");
    assert_eq!(stats.encoding, "windows-1252");
    assert_eq!(stats.delimiter, ";");
    assert_eq!(stats.rows, 6);
    assert_eq!(stats.empty_rows_skipped, 1);

    let rows: Vec<(NaiveDate, &str, Decimal, Option<Decimal>)> = e
        .sales
        .iter()
        .map(|s| (s.date, e.client_id(s.client), s.amount, s.quantity))
        .collect();
    assert_eq!(
        rows,
        vec![
            // `1 234,56 €` with a no-break space (0xA0) and the euro sign (0x80).
            (date(2023, 2, 10), "00042", dec("1234.56"), Some(dec("2"))),
            (date(2023, 6, 15), "00042", dec("-12.50"), Some(dec("1.5"))),
            (date(2023, 11, 20), "007", dec("1800.00"), Some(dec("3"))),
            // `1.250,00`: a dot before three digits is a thousands separator.
            (date(2024, 1, 5), "007", dec("1250.00"), Some(dec("1"))),
            // `(99,90)`: accounting notation for a credit note.
            (date(2024, 2, 28), "00042", dec("-99.90"), Some(dec("-1"))),
            (date(2024, 12, 31), "C5", dec("10000"), Some(dec("10"))),
        ]
    );
    let total: Decimal = e.sales.iter().map(|s| s.amount).sum();
    assert_eq!(total, dec("14172.16"));

    // Text cells decoded from windows-1252, quoted delimiters kept.
    let products: Vec<&str> = e
        .sales
        .iter()
        .map(|s| e.label(s.product.expect("every line has a product")))
        .collect();
    assert_eq!(
        products,
        ["Café", "Thé", "Produit; A", "Crème brûlée", "Café", "Thé"]
    );
    assert_eq!(e.sales[4].invoice.as_deref(), Some("AV24-001"));
    assert_eq!(e.label(e.sales[1].rep.expect("a rep")), "PM");
    // Line numbers are the file's, blank line included.
    let lines: Vec<u32> = e.sales.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 3, 4, 6, 7, 8]);
}

#[test]
fn bom_files_keep_their_first_column_and_leading_zeros() {
    let ws = french_exports();
    let e = load(&ws);

    let clients = e.clients.as_ref().expect("a clients table");
    let ids: Vec<&str> = clients.iter().map(|c| e.client_id(c.client)).collect();
    assert_eq!(ids, ["00042", "007", "C5"]);
    // The clients table and the sales share client keys: "007" is one client.
    assert_eq!(clients[1].client, e.sales[2].client);
    assert_eq!(
        clients[0].name.as_deref(),
        Some("Société Générale d'Équipement")
    );
    assert_eq!(clients[1].name.as_deref(), Some("Bœuf & Cie"));
    // A quoted value may span lines; a name is printed on one line.
    assert_eq!(clients[2].name.as_deref(), Some("Épicerie fine"));
    let maturities: Vec<Option<Maturity>> = clients.iter().map(|c| c.maturity).collect();
    assert_eq!(
        maturities,
        [
            Some(Maturity::Mature),
            Some(Maturity::Developing),
            Some(Maturity::New)
        ]
    );
    assert_eq!(clients[2].created, None);
    assert_eq!(e.tables[&TableKind::Clients].encoding, "UTF-8");
}

#[test]
fn tab_separated_leads_with_french_vocabulary() {
    let ws = french_exports();
    let e = load(&ws);

    assert_eq!(e.tables[&TableKind::Leads].delimiter, "\\t");
    let leads = e.leads.as_ref().expect("a leads table");
    let read: Vec<(&str, Option<LeadSource>, LeadStage, Option<bool>)> = leads
        .iter()
        .map(|l| (l.id.as_str(), l.source, l.stage, l.qualified))
        .collect();
    assert_eq!(
        read,
        [
            ("L001", Some(LeadSource::Online), LeadStage::Won, Some(true)),
            (
                "L002",
                Some(LeadSource::Prescription),
                LeadStage::Lost,
                Some(false)
            ),
            (
                "L003",
                Some(LeadSource::Offline),
                LeadStage::Proposal,
                Some(true)
            ),
            (
                "L004",
                Some(LeadSource::SalesAction),
                LeadStage::Contacted,
                None
            ),
            ("L005", Some(LeadSource::Other), LeadStage::New, Some(false)),
        ]
    );
    assert_eq!(leads[0].value, Some(dec("3000.00")));
    assert_eq!(leads[0].closed, Some(date(2024, 2, 20)));
    assert_eq!(leads[0].client.map(|c| e.client_id(c)), Some("00042"));
    assert_eq!(
        leads[1].prescriber.map(|p| e.label(p)),
        Some("Cabinet Conseil")
    );
    assert_eq!(leads[2].channel.map(|c| e.label(c)), Some("salon"));
}

#[test]
fn activities_with_accents_and_default_hours() {
    let ws = french_exports();
    let e = load(&ws);

    let activities = e.activities.as_ref().expect("an activities table");
    let kinds: Vec<ActivityKind> = activities.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [
            ActivityKind::Preparation,
            ActivityKind::Visit,
            ActivityKind::Visit,
            ActivityKind::Reporting,
            ActivityKind::Admin,
            ActivityKind::TradeShow,
            ActivityKind::Meeting,
            ActivityKind::Other,
        ]
    );
    let hours: Vec<Decimal> = activities.iter().map(|a| a.hours).collect();
    assert_eq!(
        hours,
        ["3", "2", "2.5", "1", "1.5", "8", "1", "1"].map(dec),
        "an empty hours cell counts as one contact"
    );
    assert_eq!(activities[1].target, Some(VisitTarget::Client));
    assert_eq!(activities[7].target, Some(VisitTarget::FormerClient));
    assert_eq!(activities[7].client.map(|c| e.client_id(c)), Some("007"));
}

#[test]
fn toml_and_notes_with_a_bom() {
    let ws = french_exports();
    let e = load(&ws);
    assert_eq!(e.info.client, "Base Fixture SAS");
    let summary = e
        .notes
        .iter()
        .find(|n| n.file == "notes/01-summary.md")
        .expect("the note without front matter");
    assert_eq!(summary.markdown, "Synthèse sans front matter.\n");
}

#[test]
fn excel_sep_line_and_commas_between_thousands() {
    let ws = Workspace::new();
    ws.add_case(
        "case",
        &common::fixtures()
            .join("valid")
            .join("excel-sep-line-and-thousands-commas"),
    );
    let e = load(&ws);
    let stats = &e.tables[&TableKind::Sales];
    assert_eq!(stats.delimiter, ";");
    assert_eq!(stats.rows, 9);
    let amounts: Vec<Decimal> = e.sales.iter().map(|s| s.amount).collect();
    assert_eq!(
        amounts,
        [
            "1200", "800.50", "1800", "1250", "3100", "820", "640", "-150", "1240"
        ]
        .map(dec)
    );
    // The `sep=;` line counts: the first invoice is on line 3 of the file.
    assert_eq!(e.sales[0].line, 3);
}
