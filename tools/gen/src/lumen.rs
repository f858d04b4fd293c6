//! `engagements/lumen-atelier`: the example of format v1.1, raw exports as a client
//! hands them over.
//!
//! Lumen Atelier designs and makes architectural lighting in Villeurbanne and sells to
//! installers, distributors, architects and hotels in France and, for two years, in the
//! United States. The consultant receives exactly what its tools export:
//!
//! - `data/factures-2024-2025.xlsx`: the ERP's invoice workbook. A sheet of notes
//!   first, then `Factures` with a two-line title block (header on row 4), date cells,
//!   quantity × unit price and no amount, a currency column (EUR and USD), a status
//!   (`Annulée` lines to leave out), zone and segment on each line (there is no clients
//!   export), and web-shop orders without a client account.
//! - `data/Opportunity.csv`: a Salesforce opportunities report (interface labels, US
//!   dates), with the company's own stage names beside Salesforce's standard ones.
//!
//! engagement.toml describes both; nothing is preprocessed. The story: a good year at
//! home, a US market that grows on few accounts, and a web shop that brings orders
//! without accounts.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::cal::d;
use crate::model::{Cents, Dataset, Sale};
use crate::rng::Rng;
use crate::xlsx::{Cell, Sheet, workbook};
use crate::{Check, Example, stats};

const SEED: u64 = 0x4C55_4D45_4E00_2025;
/// Units of USD for one EUR (engagement.toml's `exchange_rates`).
const USD_PER_EUR_CENTS: i64 = 108;

/// Salespeople: the ERP and the CRM both write their full names, which are their ids.
const REPS: [(&str, &str); 3] = [
    ("CL", "Camille Lefort"),
    ("MR", "Mehdi Rahmani"),
    ("TB", "Tess Bouvier"),
];

const ZONES: [&str; 5] = [
    "Auvergne-Rhône-Alpes",
    "Île-de-France",
    "Provence-Alpes-Côte d'Azur",
    "Occitanie",
    "États-Unis",
];

const SEGMENTS: [&str; 4] = ["Installateur", "Distributeur", "Architecte", "Hôtellerie"];

/// Products and their unit price in euro cents.
const PRODUCTS: [(&str, Cents); 8] = [
    ("Suspension Halo 60", 38_900),
    ("Suspension Halo 90", 54_500),
    ("Applique Brume", 12_450),
    ("Encastré Pixel", 4_690),
    ("Rail Linéa 2 m", 21_800),
    ("Projecteur Focale", 9_870),
    ("Lampadaire Arc", 46_200),
    ("Driver DALI", 3_125),
];

struct Account {
    id: String,
    zone: usize,
    segment: usize,
    rep: usize,
    /// Monthly chance of an order, and the typical quantity.
    rate: f64,
    size: i64,
    /// First month it buys (new clients of the fiscal year start late).
    from: NaiveDate,
}

/// One invoice line as the ERP writes it.
struct Invoice {
    date: NaiveDate,
    number: String,
    client: Option<String>,
    rep: &'static str,
    product: usize,
    quantity: i64,
    /// Unit price in the line's currency, cents.
    unit: Cents,
    usd: bool,
    cancelled: bool,
    zone: &'static str,
    segment: &'static str,
}

fn accounts(rng: &mut Rng) -> Vec<Account> {
    let mut out = Vec::new();
    for i in 0..118 {
        let zone = match i % 10 {
            0..=3 => 0,
            4 | 5 => 1,
            6 => 2,
            7 | 8 => 3,
            _ => 4,
        };
        let segment = rng.below(SEGMENTS.len());
        let new = i >= 104;
        out.push(Account {
            id: format!("CL{:04}", 1001 + i),
            zone,
            segment,
            rep: if zone == 4 { 2 } else { i % 2 },
            rate: if zone == 4 {
                0.55
            } else {
                rng.range(0.12, 0.5)
            },
            size: if segment == 1 { 12 } else { 4 },
            from: if new {
                d(2025, 1 + (i as u32 % 6), 1)
            } else {
                d(2024, 1, 1)
            },
        });
    }
    out
}

fn invoices(rng: &mut Rng, accounts: &[Account]) -> Vec<Invoice> {
    let mut out = Vec::new();
    let mut number = 24_000;
    let mut month = d(2024, 1, 1);
    while month <= d(2025, 9, 1) {
        let days = if month.month() == 12 {
            31
        } else {
            (d(month.year(), month.month() + 1, 1) - month).num_days()
        };
        for a in accounts.iter().filter(|a| a.from <= month) {
            // The US grows in the fiscal year; home stays steady.
            let boost = if a.zone == 4 && month.year() == 2025 {
                1.4
            } else {
                1.0
            };
            if !rng.chance((a.rate * boost).min(0.95)) {
                continue;
            }
            let date = month + chrono::Days::new(rng.below((days - 1) as usize) as u64);
            number += 1;
            for _ in 0..1 + rng.below(3) {
                let product = rng.below(PRODUCTS.len());
                let usd = a.zone == 4;
                let eur = PRODUCTS[product].1;
                out.push(Invoice {
                    date,
                    number: format!("FA{number}"),
                    client: Some(a.id.clone()),
                    rep: REPS[a.rep].1,
                    product,
                    quantity: 1 + rng.below(a.size as usize) as i64,
                    unit: if usd {
                        eur * USD_PER_EUR_CENTS / 100
                    } else {
                        eur
                    },
                    usd,
                    cancelled: rng.chance(0.02),
                    zone: ZONES[a.zone],
                    segment: SEGMENTS[a.segment],
                });
            }
        }
        // Web-shop orders: no client account.
        for _ in 0..3 + rng.below(4) {
            number += 1;
            let product = 2 + rng.below(2);
            out.push(Invoice {
                date: month + chrono::Days::new(rng.below((days - 1) as usize) as u64),
                number: format!("FA{number}"),
                client: None,
                rep: REPS[1].1,
                product,
                quantity: 1 + rng.below(3) as i64,
                unit: PRODUCTS[product].1,
                usd: false,
                cancelled: false,
                zone: ZONES[0],
                segment: "Particulier",
            });
        }
        month = crate::cal::add_months(month, 1);
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.number.cmp(&b.number)));
    out
}

fn cents(c: Cents) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let c = c.abs();
    if c % 100 == 0 {
        format!("{sign}{}", c / 100)
    } else {
        format!("{sign}{}.{:02}", c / 100, c % 100)
    }
}

/// The amount levier computes: quantity × unit price, then USD / 1.08 to the cent
/// (half away from zero).
fn amount_eur(inv: &Invoice) -> Cents {
    let line = inv.quantity * inv.unit;
    if inv.usd {
        let scaled = line * 100;
        let q = scaled / USD_PER_EUR_CENTS;
        let r = scaled % USD_PER_EUR_CENTS;
        if 2 * r >= USD_PER_EUR_CENTS { q + 1 } else { q }
    } else {
        line
    }
}

fn workbook_bytes(lines: &[Invoice]) -> Vec<u8> {
    let t = Cell::text;
    let mut rows = vec![
        vec![t("Lumen Atelier — export des factures (ERP Sage)")],
        vec![t("Période du 01/01/2024 au 30/09/2025, toutes devises")],
        vec![],
        [
            "Date",
            "N° facture",
            "Code client",
            "Commercial",
            "Désignation",
            "Qté",
            "PU HT",
            "Devise",
            "Statut",
            "Région",
            "Typologie",
        ]
        .iter()
        .map(|h| t(h))
        .collect(),
    ];
    for inv in lines {
        rows.push(vec![
            Cell::Date(inv.date),
            Cell::Text(inv.number.clone()),
            inv.client.clone().map_or(Cell::Empty, Cell::Text),
            t(inv.rep),
            t(PRODUCTS[inv.product].0),
            Cell::number(inv.quantity),
            Cell::Number(cents(inv.unit)),
            t(if inv.usd { "USD" } else { "EUR" }),
            t(if inv.cancelled {
                "Annulée"
            } else {
                "Validée"
            }),
            t(inv.zone),
            t(inv.segment),
        ]);
    }
    workbook(&[
        Sheet {
            name: "Lisez-moi".into(),
            rows: vec![vec![t(
                "Export automatique. Les factures annulées restent listées avec le statut Annulée.",
            )]],
        },
        Sheet {
            name: "Factures".into(),
            rows,
        },
    ])
}

/// The Salesforce opportunities report.
fn opportunities(rng: &mut Rng, accounts: &[Account]) -> (String, usize) {
    const STAGES: [(&str, u32); 5] = [
        ("Découverte", 0),
        ("Étude d'éclairage", 0),
        ("Devis envoyé", 0),
        ("Closed Won", 1),
        ("Closed Lost", 2),
    ];
    const SOURCES: [&str; 6] = [
        "Web",
        "Trade Show",
        "Partner Referral",
        "Purchased List",
        "Other",
        "",
    ];
    let mut out = String::from(
        "\"Opportunity ID\",\"Opportunity Name\",\"Account ID\",\"Opportunity Owner\",\"Stage\",\"Amount\",\"Opportunity Currency\",\"Close Date\",\"Created Date\",\"Lead Source\",\"Type\"\r\n",
    );
    let us = |date: NaiveDate| format!("{}/{}/{}", date.month(), date.day(), date.year());
    let mut n = 0;
    for i in 0..164usize {
        let created = d(2025, 1, 2) + chrono::Days::new((i as u64 * 271) / 164);
        let stage = if i % 7 == 0 {
            3
        } else if i % 5 == 0 {
            4
        } else if created > d(2025, 7, 15) {
            i % 3
        } else {
            [0, 1, 2, 3, 4, 4][rng.below(6)]
        };
        let (name, status) = STAGES[stage];
        let account = &accounts[rng.below(accounts.len())];
        let usd = account.zone == 4;
        let amount = 1_500 + rng.below(40) as i64 * 450;
        let close = created + chrono::Days::new(20 + rng.below(90) as u64);
        let close = if status > 0 {
            close.min(d(2025, 9, 30))
        } else {
            close
        };
        let close = close.max(created);
        out.push_str(&format!(
            "\"006Qy00000Lum{i:03}\",\"{} - projet {}\",\"{}\",\"{}\",\"{name}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"New Business\"\r\n",
            account.id,
            i + 1,
            account.id,
            REPS[account.rep].1,
            cents(if usd { amount * USD_PER_EUR_CENTS } else { amount * 100 }),
            if usd { "USD" } else { "EUR" },
            us(close),
            us(created),
            SOURCES[rng.below(SOURCES.len())],
        ));
        n += 1;
    }
    (out, n)
}

const ENGAGEMENT: &str = r#"# Lumen Atelier: the client's exports as they come (format v1.1). The ERP's invoice
# workbook and the CRM's opportunities report go into data/ unchanged; this file says
# how to read them.

[engagement]
client = "Lumen Atelier SAS"
title = { fr = "Diagnostic commercial 2025", en = "Sales review 2025" }
consultant = "Claire Martin"
language = "fr"
currency = "EUR"
fiscal_year_start = "2025-01-01"
as_of = "2025-09-30"
growth = "internal"

[settings]
dormancy_months = 12
exchange_rates = { USD = 1.08 }      # dollars for one euro

# The ERP's invoices: sheet "Factures" under a title block, quantity × unit price,
# cancelled lines left out, web-shop orders grouped as one client, zone and segment
# on each line (there is no clients export).
[data.sales]
file = "data/factures-2024-2025.xlsx"
sheet = "Factures"
header_row = 4
columns = { date = "Date", invoice = "N° facture", client_id = "Code client", rep = "Commercial", product = "Désignation", quantity = "Qté", unit_price = "PU HT", currency = "Devise", zone = "Région", segment = "Typologie" }
skip = { "Statut" = ["Annulée"] }
empty_client = "group"

# Salesforce's opportunities report, with the company's own stages.
[data.leads]
file = "data/Opportunity.csv"
preset = "salesforce"
date_format = "%m/%d/%Y"

[data.leads.values]
stage = { "Découverte" = "contacted", "Étude d'éclairage" = "qualified", "Devis envoyé" = "proposal" }
"#;

const OBJECTIVES: &str = r#"# Objectifs 2025 fixés avec la direction en janvier.

[revenue]
total = 790_000

[leads]
total = 200
conversion_rate = 0.20

[clients]
new = 16

[[rep]]
id = "Camille Lefort"
zone = "Rhône-Alpes et Sud"
revenue = 300_000

[[rep]]
id = "Mehdi Rahmani"
zone = "Île-de-France, Occitanie et boutique en ligne"
revenue = 270_000

[[rep]]
id = "Tess Bouvier"
zone = "États-Unis"
revenue = 220_000
"#;

const SUMMARY: &str = "Lumen Atelier tient son marché historique : les installateurs et \
distributeurs d'Auvergne-Rhône-Alpes et d'Île-de-France reviennent chaque mois, et le \
chiffre d'affaires de l'exercice suit l'objectif.\n\nLa croissance vient des États-Unis, \
ouverts il y a deux ans : peu de comptes, des commandes régulières facturées en dollars. \
Cette dépendance à une poignée de clients américains est la première fragilité à \
traiter.\n\nLa boutique en ligne apporte des commandes sans compte client ; elles sont \
regroupées dans le rapport et méritent un suivi propre, car elles ne se transforment \
pas encore en clients professionnels.\n";

const MARKET: &str = "Le marché de l'éclairage architectural se concentre autour des \
distributeurs spécialisés et des bureaux d'études. Les appels d'offres hôteliers, plus \
longs, passent par l'étude d'éclairage que l'équipe réalise avant le devis.\n\nAux \
États-Unis, Lumen Atelier vend par un réseau d'agents indépendants suivi par Tess \
Bouvier ; les affaires y sont plus grosses mais plus lentes à signer.\n";

/// The example.
pub fn build() -> Example {
    let mut rng = Rng::new(SEED);
    let accounts = accounts(&mut rng);
    let lines = invoices(&mut rng, &accounts);
    let (report, opportunities) = opportunities(&mut Rng::new(SEED ^ 0x5346), &accounts);

    // The records as levier reads them, for the story checks.
    let mut data = Dataset::default();
    for inv in lines.iter().filter(|i| !i.cancelled) {
        data.sales.push(Sale {
            date: inv.date,
            invoice: inv.number.clone(),
            client_id: inv.client.clone().unwrap_or_else(|| "(sans compte)".into()),
            rep: inv.rep.to_string(),
            product: PRODUCTS[inv.product].0,
            quantity_tenths: Some(inv.quantity * 10),
            amount: amount_eur(inv),
        });
    }
    let params = stats::Params {
        fy_start: d(2025, 1, 1),
        as_of: d(2025, 9, 30),
        dormancy_months: 12,
        pareto_a: 0.80,
        pareto_b: 0.95,
    };
    let stats = stats::compute(&data, &params);

    let fy = |s: &&Sale| s.date >= d(2025, 1, 1);
    let us_share = {
        let us: BTreeMap<&str, ()> = accounts
            .iter()
            .filter(|a| a.zone == 4)
            .map(|a| (a.id.as_str(), ()))
            .collect();
        let total: Cents = data.sales.iter().filter(fy).map(|s| s.amount).sum();
        let usd: Cents = data
            .sales
            .iter()
            .filter(fy)
            .filter(|s| us.contains_key(s.client_id.as_str()))
            .map(|s| s.amount)
            .sum();
        usd as f64 / total as f64
    };
    let cancelled = lines.iter().filter(|i| i.cancelled).count();
    let guests = lines.iter().filter(|i| i.client.is_none()).count();
    let checks = vec![
        Check {
            what: "the workbook has cancelled lines to leave out".into(),
            value: cancelled.to_string(),
            ok: cancelled > 10,
        },
        Check {
            what: "web-shop orders without an account".into(),
            value: guests.to_string(),
            ok: guests > 40,
        },
        Check {
            what: "US clients, billed in USD, weigh 15-40 % of FY revenue".into(),
            value: format!("{:.1} %", 100.0 * us_share),
            ok: (0.15..0.40).contains(&us_share),
        },
        Check {
            what: "the Salesforce report has opportunities".into(),
            value: opportunities.to_string(),
            ok: opportunities > 100,
        },
    ];

    let files = vec![
        (
            "engagement.toml".to_string(),
            ENGAGEMENT.as_bytes().to_vec(),
        ),
        (
            "objectives.toml".to_string(),
            OBJECTIVES.as_bytes().to_vec(),
        ),
        (
            "data/factures-2024-2025.xlsx".to_string(),
            workbook_bytes(&lines),
        ),
        ("data/Opportunity.csv".to_string(), report.into_bytes()),
        (
            "notes/01-summary.md".to_string(),
            SUMMARY.as_bytes().to_vec(),
        ),
        (
            "notes/02-market_analysis.md".to_string(),
            MARKET.as_bytes().to_vec(),
        ),
    ];
    Example {
        slug: "lumen-atelier",
        data,
        params,
        stats,
        files,
        checks,
    }
}
