//! Example 2: Groupe Ferrand, a plumbing and heating supplies distributor in Auvergne
//! (external growth, French Excel export).
//!
//! The story: a mature regional distributor whose revenue erodes slowly (a few points
//! a year), with a loyal but ageing client base, few new clients and a thin lead flow.
//! Organic levers are largely exhausted, so the plan lists acquisition targets.
//!
//! The files are written as the consultant receives them from the client's ERP: a
//! semicolon-separated windows-1252 export with French headers, comma decimals,
//! `1 234,56 €` amounts, dd/mm/yyyy dates and six-digit client codes with leading
//! zeros, declared through every `[data.*]` option of engagement.toml. The fiscal year
//! starts on 1 July.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};

use crate::activities::{self, RepProfile};
use crate::cal::{self, Season, d};
use crate::csvfmt::{self, Dialect, Headers};
use crate::model::{BoolStyle, Client, Dataset, Lead, Source, Stage};
use crate::names;
use crate::rng::Rng;
use crate::sales::{self, ClientPlan, Numbering, Product, Spec};
use crate::stats::{self, Params};
use crate::{Check, Example};

pub const SLUG: &str = "groupe-ferrand";
const SEED: u64 = 0xFE44_A4D0_2026;

pub fn fy_start() -> NaiveDate {
    d(2025, 7, 1)
}
pub fn as_of() -> NaiveDate {
    d(2026, 3, 31)
}
fn history_start() -> NaiveDate {
    d(2022, 7, 1)
}

/// Salespeople: id, name, zone label.
pub const REPS: [(&str, &str, &str); 2] = [
    ("AR", "Antoine Roux", "Puy-de-Dôme et Cantal"),
    ("NC", "Nathalie Chabrol", "Allier et Haute-Loire"),
];

/// Départements: name, weight, towns, rep index.
#[rustfmt::skip]
const ZONES: [(&str, f64, &[&str], usize); 4] = [
    ("Puy-de-Dôme", 0.50, &["Clermont-Ferrand", "Riom", "Issoire", "Thiers", "Cournon-d'Auvergne", "Ambert", "Aubière", "Lempdes"], 0),
    ("Cantal", 0.12, &["Aurillac", "Saint-Flour", "Mauriac", "Arpajon-sur-Cère"], 0),
    ("Allier", 0.23, &["Montluçon", "Moulins", "Vichy", "Cusset", "Yzeure", "Commentry"], 1),
    ("Haute-Loire", 0.15, &["Le Puy-en-Velay", "Yssingeaux", "Brioude", "Monistrol-sur-Loire"], 1),
];

/// Client types: name, weight, size multiplier.
const SEGMENTS: [(&str, f64, f64); 5] = [
    ("Artisan plombier", 0.45, 1.0),
    ("Chauffagiste", 0.25, 1.3),
    ("Entreprise générale", 0.12, 2.0),
    ("Collectivité", 0.10, 1.4),
    ("Bailleur / syndic", 0.08, 1.8),
];

/// Heating peaks in autumn; public works in summer.
const SEASONS: [Season; 2] = [
    [
        1.00, 0.95, 1.00, 0.95, 0.90, 0.90, 0.85, 0.50, 1.15, 1.30, 1.30, 1.10,
    ],
    [
        0.80, 0.80, 0.90, 0.90, 1.00, 1.20, 1.40, 0.90, 1.00, 1.00, 1.00, 1.10,
    ],
];

fn products() -> Vec<Product> {
    let p = |name, min, max, max_qty| Product {
        name,
        min,
        max,
        max_qty,
        halves: false,
    };
    vec![
        p("Chaudières gaz", 2200.0, 8500.0, 2),
        p("Pompes à chaleur", 6000.0, 15000.0, 1),
        p("Radiateurs", 400.0, 2600.0, 10),
        p("Appareils sanitaires", 400.0, 3500.0, 6),
        p("Tubes et raccords cuivre", 250.0, 2000.0, 12),
        p("PER et multicouche", 200.0, 1600.0, 12),
        p("Robinetterie", 150.0, 1800.0, 8),
        p("Ballons d'eau chaude", 600.0, 3800.0, 3),
        p("Évacuation PVC", 130.0, 1100.0, 12),
        p("Outillage", 100.0, 2000.0, 2),
    ]
}

/// Product weights per client type.
fn mixes() -> Vec<Vec<f64>> {
    vec![
        vec![3.0, 1.0, 6.0, 12.0, 14.0, 12.0, 12.0, 6.0, 10.0, 4.0],
        vec![9.0, 5.0, 12.0, 3.0, 10.0, 10.0, 5.0, 6.0, 4.0, 3.0],
        vec![4.0, 3.0, 10.0, 10.0, 12.0, 12.0, 8.0, 5.0, 10.0, 3.0],
        vec![3.0, 2.0, 8.0, 10.0, 10.0, 8.0, 10.0, 4.0, 8.0, 2.0],
        vec![6.0, 2.0, 10.0, 8.0, 8.0, 8.0, 10.0, 8.0, 6.0, 1.0],
    ]
}

const PRESCRIBERS: [&str; 4] = [
    "BET Thermique Dômes Ingénierie",
    "Cabinet Pradel Architectes",
    "Espace Conseil France Rénov' 63",
    "Syndicat des plombiers du Cantal",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Established,
    Former,
    Reconquered,
    Lost,
    NewPrevious,
    New,
    NoSales,
}

struct Profile {
    name: String,
    zone: usize,
    segment: usize,
    created: NaiveDate,
    prescriber: Option<String>,
    maturity: Option<&'static str>,
    group: Group,
    potential: f64,
    trend: f64,
    spans: Vec<(NaiveDate, NaiveDate)>,
    id: String,
}

fn between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.int(0, (to - from).num_days()))
}

/// Lead design: source, count, won, lost, won that become new clients, cycle days,
/// value range.
type LeadDesign = (Source, usize, usize, usize, usize, (i64, i64), (f64, f64));

struct FerrandNumbering;

impl Numbering for FerrandNumbering {
    fn number(&self, year: i32, n: usize, credit: bool) -> String {
        format!(
            "{}{:02}-{n:05}",
            if credit { "AV" } else { "FA" },
            year % 100
        )
    }
}

/// The French headers of the export, mapped in engagement.toml.
pub fn headers() -> Headers {
    Headers {
        sales: [
            "Date facture",
            "N° facture",
            "Code client",
            "Commercial",
            "Article",
            "Qté",
            "Montant HT",
        ],
        clients: [
            "Code client",
            "Raison sociale",
            "Département",
            "Type client",
            "Date création",
            "Apporteur",
            "Maturité",
            "Commercial",
        ],
        leads: [
            "N° affaire",
            "Date création",
            "Origine",
            "Étape",
            "Qualifiée",
            "Date clôture",
            "Code client",
            "Commercial",
            "Montant estimé",
            "Prescripteur",
            "Canal",
        ],
        activities: [
            "Date",
            "Commercial",
            "Type d'activité",
            "Durée (h)",
            "Cible",
            "Code client",
        ],
    }
}

/// Anchor of the Pareto ladder of potentials.
const XM: f64 = 3_300.0;

/// Build the whole example in memory.
pub fn build() -> Example {
    let mut rng = Rng::new(SEED);
    // Names draw from their own stream, so rewording a name pattern moves no figure.
    let mut name_rng = Rng::new(SEED ^ 0x4E41_4D45);
    let mut used = BTreeSet::new();
    let mut profiles: Vec<Profile> = Vec::new();
    let mut new_profile = |rng: &mut Rng, group: Group, zone: Option<usize>| {
        let zone = zone.unwrap_or_else(|| {
            let w: Vec<f64> = ZONES.iter().map(|z| z.1).collect();
            rng.weighted(&w)
        });
        let w: Vec<f64> = SEGMENTS.iter().map(|s| s.1).collect();
        let segment = rng.weighted(&w);
        let towns = ZONES[zone].2;
        let town = if rng.chance(0.35) {
            towns[0]
        } else {
            *rng.pick(towns)
        };
        let name = names::unique(
            |r| names::building(segment, town, r),
            town,
            &mut used,
            &mut name_rng,
        );
        let year = 1985 + (37.0 * rng.f64().sqrt()) as i32;
        let created = between(rng, d(year.min(2021), 1, 2), d(year.min(2021), 12, 28));
        Profile {
            name,
            zone,
            segment,
            created,
            prescriber: None,
            maturity: None,
            group,
            potential: 0.0,
            trend: 1.0,
            spans: Vec::new(),
            id: String::new(),
        }
    };

    // The historical base, potentials from a Pareto quantile ladder.
    let plan: [(Group, usize, f64); 5] = [
        (Group::Established, 192, 1.0),
        (Group::Former, 34, 0.6),
        (Group::Lost, 17, 0.9),
        (Group::Reconquered, 3, 1.0),
        (Group::NewPrevious, 9, 0.5),
    ];
    let n: usize = plan.iter().map(|x| x.1).sum();
    let mut ladder: Vec<f64> = (0..n)
        .map(|i| {
            let v = 1.0 - (i as f64 + 0.5) / n as f64;
            (XM / (v.sqrt() * v.sqrt().sqrt())).min(180_000.0)
        })
        .collect();
    rng.shuffle(&mut ladder);
    let mut k = 0;
    for (group, count, mult) in plan {
        for _ in 0..count {
            let mut p = new_profile(&mut rng, group, None);
            p.potential = ladder[k] * mult * SEGMENTS[p.segment].2 * rng.range(0.8, 1.2);
            k += 1;
            p.trend = rng.normal(0.97, 0.05).clamp(0.8, 1.15);
            p.spans = match group {
                Group::Established => vec![(history_start(), as_of())],
                Group::Former => {
                    vec![(
                        history_start(),
                        between(&mut rng, d(2022, 10, 1), d(2024, 5, 31)),
                    )]
                }
                Group::Lost => {
                    vec![(
                        history_start(),
                        between(&mut rng, d(2024, 9, 1), d(2025, 6, 15)),
                    )]
                }
                Group::Reconquered => vec![
                    (
                        history_start(),
                        between(&mut rng, d(2022, 11, 1), d(2024, 3, 31)),
                    ),
                    (between(&mut rng, d(2025, 9, 1), d(2026, 2, 27)), as_of()),
                ],
                _ => {
                    let s = between(&mut rng, d(2024, 7, 15), d(2025, 5, 30));
                    p.created = s - Duration::days(rng.int(0, 15));
                    vec![(s, as_of())]
                }
            };
            profiles.push(p);
        }
    }

    // Leads of FY-1 and FY: a thin flow, mostly from the reps and from prescribers.
    let mut lead_rows: Vec<(Lead, Option<usize>)> = Vec::new();
    for (fy, from, to) in [
        (2024, d(2024, 7, 1), d(2025, 6, 30)),
        (2025, fy_start(), as_of()),
    ] {
        // source, count, won, lost, won that become new clients, cycle, value range
        #[rustfmt::skip]
        let designs: [LeadDesign; 5] = if fy == 2025 {
            [
                (Source::SalesAction, 28, 7, 13, 3, (20, 90), (3_000.0, 40_000.0)),
                (Source::Offline, 9, 2, 5, 1, (20, 60), (2_000.0, 15_000.0)),
                (Source::Online, 8, 1, 5, 1, (10, 40), (800.0, 6_000.0)),
                (Source::Prescription, 13, 5, 5, 2, (30, 120), (8_000.0, 60_000.0)),
                (Source::Other, 4, 1, 2, 0, (10, 40), (1_000.0, 8_000.0)),
            ]
        } else {
            [
                (Source::SalesAction, 36, 9, 21, 4, (20, 90), (3_000.0, 40_000.0)),
                (Source::Offline, 12, 2, 8, 1, (20, 60), (2_000.0, 15_000.0)),
                (Source::Online, 9, 1, 7, 0, (10, 40), (800.0, 6_000.0)),
                (Source::Prescription, 15, 6, 7, 2, (30, 120), (8_000.0, 60_000.0)),
                (Source::Other, 5, 1, 3, 0, (10, 40), (1_000.0, 8_000.0)),
            ]
        };
        let days = cal::working_days(from, to);
        let won_limit = to - Duration::days(20);
        for (source, count, won, lost, new_clients, cycle, value) in designs {
            // 0 = new client, 1 = existing client, 2 = lost, 3 = open
            let mut outcomes: Vec<u8> = Vec::new();
            outcomes.extend(std::iter::repeat_n(0, new_clients));
            outcomes.extend(std::iter::repeat_n(1, won - new_clients));
            outcomes.extend(std::iter::repeat_n(2, lost));
            outcomes.extend(std::iter::repeat_n(3, count - won - lost));
            rng.shuffle(&mut outcomes);
            for outcome in outcomes {
                let rep = rng.below(2);
                let mut date = *rng.pick(&days);
                let c = rng.int(cycle.0, cycle.1);
                let closed = match outcome {
                    0 | 1 => {
                        if date + Duration::days(c) > won_limit {
                            date = (won_limit - Duration::days(c)).max(from);
                        }
                        Some((date + Duration::days(c)).min(won_limit))
                    }
                    2 => Some((date + Duration::days(c)).min(as_of())),
                    _ => None,
                };
                let stage = match outcome {
                    0 | 1 => Stage::Won,
                    2 => Stage::Lost,
                    _ => [
                        Stage::New,
                        Stage::Contacted,
                        Stage::Qualified,
                        Stage::Proposal,
                    ][rng.weighted(&[0.2, 0.3, 0.25, 0.25])],
                };
                let qualified = match stage {
                    Stage::Lost => rng.chance(0.5),
                    s => s.implies_qualified(),
                };
                let raw = rng.range(value.0, value.1);
                let prescriber = (source == Source::Prescription)
                    .then(|| PRESCRIBERS[rng.below(PRESCRIBERS.len())].to_string());
                let channel = match source {
                    Source::SalesAction => ["tournée", "phoning"][rng.below(2)],
                    Source::Offline => ["salon", "portes ouvertes agence"][rng.below(2)],
                    Source::Online => ["site web", "emailing"][rng.below(2)],
                    Source::Prescription => ["bureau d'études", "architecte"][rng.below(2)],
                    Source::Other => "bouche-à-oreille",
                };
                let zone_w: Vec<f64> = ZONES
                    .iter()
                    .map(|z| if z.3 == rep { z.1 } else { 0.0 })
                    .collect();
                let mut profile = None;
                if outcome == 0 {
                    let zone = rng.weighted(&zone_w);
                    let mut p = new_profile(
                        &mut rng,
                        if fy == 2025 {
                            Group::New
                        } else {
                            Group::NewPrevious
                        },
                        Some(zone),
                    );
                    let cl = closed.expect("won");
                    p.created = cl;
                    p.prescriber = prescriber.clone();
                    p.potential = raw * rng.range(0.8, 1.2);
                    p.trend = 1.0;
                    p.spans = vec![((cl + Duration::days(rng.int(0, 12))).min(as_of()), as_of())];
                    profile = Some(profiles.len());
                    profiles.push(p);
                } else if outcome == 1 {
                    let cands: Vec<usize> = (0..profiles.len())
                        .filter(|i| {
                            profiles[*i].group == Group::Established
                                && ZONES[profiles[*i].zone].3 == rep
                        })
                        .collect();
                    profile = Some(*rng.pick(&cands));
                }
                lead_rows.push((
                    Lead {
                        id: String::new(),
                        date,
                        source,
                        stage,
                        qualified,
                        qualified_style: if rng.chance(0.1)
                            && qualified == stage.implies_qualified()
                        {
                            BoolStyle::Empty
                        } else {
                            BoolStyle::OuiNon
                        },
                        closed,
                        client_id: None,
                        rep: REPS[rep].0.to_string(),
                        value: (qualified || stage == Stage::Won)
                            .then(|| ((raw / 100.0).round() * 10_000.0) as i64),
                        prescriber,
                        channel: channel.to_string(),
                        french: rng.chance(0.85),
                    },
                    profile,
                ));
            }
        }
    }
    // One client opened after a won deal, not yet invoiced.
    {
        let mut p = new_profile(&mut rng, Group::NoSales, Some(0));
        p.created = d(2026, 3, 24);
        profiles.push(p);
    }
    for p in profiles.iter_mut() {
        if rng.chance(0.06) {
            p.maturity = Some(["developing", "mature"][rng.below(2)]);
        }
        if p.prescriber.is_none() && rng.chance(0.05) {
            p.prescriber = Some(PRESCRIBERS[rng.below(PRESCRIBERS.len())].to_string());
        }
    }

    // Six-digit codes in creation order, as the ERP numbers accounts.
    let mut order: Vec<usize> = (0..profiles.len()).collect();
    order.sort_by(|x, y| {
        (profiles[*x].created, &profiles[*x].name).cmp(&(profiles[*y].created, &profiles[*y].name))
    });
    for (n, i) in order.iter().enumerate() {
        profiles[*i].id = format!("{:06}", 100 + n * 3 + 1);
    }

    let products = products();
    let mixes = mixes();
    let spec = Spec {
        products: &products,
        mixes: &mixes,
        seasons: &SEASONS,
        ref_year: 2025,
        fy_month: 7,
        lines_per_invoice: (1, 4),
        credit_rate: 0.02,
        credit_ref_share: 0.5,
        as_of: as_of(),
    };
    let plans: Vec<ClientPlan> = profiles
        .iter()
        .map(|p| ClientPlan {
            id: p.id.clone(),
            rep: REPS[ZONES[p.zone].3].0.to_string(),
            season: usize::from(p.segment == 3),
            mix: p.segment,
            potential: p.potential,
            trend: p.trend,
            discount: 0.0,
            spans: p.spans.clone(),
        })
        .collect();
    let mut docs = sales::invoices(&spec, &plans, SEED ^ 0x5A1E5);
    sales::credit_notes(&spec, &plans, &mut docs, SEED ^ 0xC4ED17);
    let sales_rows = sales::flatten(&spec, &plans, &docs, &FerrandNumbering);

    let clients: Vec<Client> = order
        .iter()
        .map(|i| &profiles[*i])
        .map(|p| Client {
            id: p.id.clone(),
            name: p.name.clone(),
            zone: ZONES[p.zone].0.to_string(),
            segment: SEGMENTS[p.segment].0.to_string(),
            created: p.created,
            prescriber: p.prescriber.clone(),
            maturity: p.maturity,
            rep: REPS[ZONES[p.zone].3].0.to_string(),
        })
        .collect();
    let mut leads: Vec<Lead> = lead_rows
        .into_iter()
        .map(|(mut l, p)| {
            l.client_id = p.map(|i| profiles[i].id.clone());
            l
        })
        .collect();
    leads.sort_by(|x, y| (x.date, &x.rep, x.source).cmp(&(y.date, &y.rep, y.source)));
    let mut counters: BTreeMap<i32, usize> = BTreeMap::new();
    for l in &mut leads {
        let n = counters.entry(l.date.year()).or_insert(0);
        *n += 1;
        l.id = format!("AFF-{}-{:03}", l.date.year(), n);
    }

    let params = Params {
        fy_start: fy_start(),
        as_of: as_of(),
        dormancy_months: 12,
        pareto_a: 0.8,
        pareto_b: 0.95,
    };
    let mut data = Dataset {
        sales: sales_rows,
        clients,
        leads,
        activities: Vec::new(),
    };
    let first = stats::compute(&data, &params);
    let mut reps = Vec::new();
    for (ri, (id, _, _)) in REPS.iter().enumerate() {
        let mine: Vec<&Profile> = profiles.iter().filter(|p| ZONES[p.zone].3 == ri).collect();
        let clients = mine
            .iter()
            .filter_map(|p| {
                first
                    .class_of
                    .get(&p.id)
                    .map(|c| (p.id.clone(), [3.0, 1.5, 1.0][*c]))
            })
            .collect();
        let former = mine
            .iter()
            .filter(|p| matches!(p.group, Group::Former | Group::Lost))
            .map(|p| p.id.clone())
            .collect();
        reps.push(RepProfile {
            id: id.to_string(),
            day_quarters: (30, 34),
            weights: activities::time_weights([0.12, 0.55, 0.06, 0.13, 0.0, 0.05, 0.09]),
            targets: [0.12, 0.74, 0.06, 0.08],
            leave: vec![
                (d(2025, 7, 28), d(2025, 8, 15)),
                (d(2025, 12, 24), d(2026, 1, 2)),
            ],
            shows: vec![d(2025, 10, 9), d(2025, 10, 10)],
            french_share: 0.8,
            admin_client_share: 0.1,
            clients,
            former,
            admin_clients: Vec::new(),
        });
    }
    data.activities =
        activities::generate(fy_start(), as_of(), &reps, &mut Rng::new(SEED ^ 0xAC71));
    let stats = stats::compute(&data, &params);

    let dialect = Dialect::french_excel();
    let h = headers();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "data/export-ventes.csv".into(),
            dialect.encode(&csvfmt::sales_csv(&data.sales, &dialect, &h)),
        ),
        (
            "data/export-clients.csv".into(),
            dialect.encode(&csvfmt::clients_csv(&data.clients, &dialect, &h)),
        ),
        (
            "data/export-affaires.csv".into(),
            dialect.encode(&csvfmt::leads_csv(&data.leads, &dialect, &h)),
        ),
        (
            "data/export-activites.csv".into(),
            dialect.encode(&csvfmt::activities_csv(&data.activities, &dialect, &h)),
        ),
    ];
    files.extend(crate::ferrand_docs::files(&stats, &data));
    let checks = checks(&stats);
    Example {
        slug: SLUG,
        data,
        params,
        stats,
        files,
        checks,
    }
}

/// Objectives written to objectives.toml.
pub struct Objectives {
    pub total: i64,
    pub retention: i64,
    pub conquest: i64,
    pub reconquest: i64,
    pub new_clients: i64,
    pub leads_total: i64,
    pub rep_revenue: [i64; 2],
}

pub const OBJECTIVES: Objectives = Objectives {
    total: 3_200_000,
    retention: 3_050_000,
    conquest: 120_000,
    reconquest: 30_000,
    new_clients: 12,
    leads_total: 90,
    rep_revenue: [1_800_000, 1_400_000],
};

fn checks(s: &stats::Stats) -> Vec<Check> {
    let mut c = Vec::new();
    let mut check = |what: &str, value: String, ok: bool| {
        c.push(Check {
            what: what.to_string(),
            value,
            ok,
        })
    };
    let growth = s.total as f64 / s.previous_to_date as f64 - 1.0;
    check(
        "revenue erodes slowly (-8 % < growth < 0)",
        stats::pct(growth),
        (-0.08..0.0).contains(&growth),
    );
    let conquest = s.conquest as f64 / s.total as f64;
    check(
        "conquest is marginal (< 5 % of revenue)",
        stats::pct(conquest),
        conquest < 0.05,
    );
    let retention = s.retention as f64 / s.total as f64;
    check(
        "a loyal base (retention > 90 % of revenue)",
        stats::pct(retention),
        retention > 0.9,
    );
    let tp = s.projection(s.total) / OBJECTIVES.total as f64;
    check(
        "total revenue projection below objective",
        stats::pct(tp),
        tp < 1.0,
    );
    check(
        "few leads (< 100 in FY)",
        s.leads_total.count.to_string(),
        s.leads_total.count < 100,
    );
    let lines = s.sales_lines;
    check(
        "4,000-6,000 sales lines",
        lines.to_string(),
        (4_000..=6_000).contains(&lines),
    );
    c
}
