//! Example 1: Vidal Équipements SAS, a catering-equipment distributor around Lyon
//! (internal growth, canonical UTF-8 files).
//!
//! The story (see `checks`): a portfolio hanging on one framework-agreement account,
//! two mid-size accounts lost in 2024, a weak web funnel next to a healthy
//! prescription channel, a salesperson (SL) drowning in paperwork on small accounts,
//! little reconquest, conquest below objective. Retention and prescription are on
//! track so the report is not all red. Every figure comes from the simulation below;
//! objectives are set once, by hand, against the simulated outcome.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};

use crate::Example;
use crate::activities::{self, RepProfile};
use crate::cal::{self, Season, d};
use crate::csvfmt::{self, Dialect, Headers};
use crate::model::{BoolStyle, Client, Dataset, Lead, Source, Stage};
use crate::names;
use crate::rng::Rng;
use crate::sales::{self, ClientPlan, Numbering, Product, Spec};
use crate::stats::{self, Params};

pub const SLUG: &str = "vidal-equipements";
const SEED: u64 = 0x5649_4441_4c00_2025;

fn fy_start() -> NaiveDate {
    d(2025, 1, 1)
}
fn as_of() -> NaiveDate {
    d(2025, 9, 30)
}
fn history_start() -> NaiveDate {
    d(2022, 1, 1)
}

/// A salesperson.
pub struct Rep {
    pub id: &'static str,
    pub name: &'static str,
    pub zone_label: &'static str,
}

#[rustfmt::skip]
pub const REPS: [Rep; 3] = [
    Rep { id: "JD", name: "Julien Dumas", zone_label: "Rhône (Lyon et métropole)" },
    Rep { id: "MB", name: "Marion Besson", zone_label: "Isère et Drôme" },
    Rep { id: "SL", name: "Sébastien Laurent", zone_label: "Ain et Loire" },
];

/// Zones: name, weight in the client base, towns, rep index.
#[rustfmt::skip]
const ZONES: [(&str, f64, &[&str], usize); 5] = [
    ("Rhône", 0.42, &["Lyon", "Villeurbanne", "Vénissieux", "Caluire-et-Cuire", "Bron",
        "Vaulx-en-Velin", "Villefranche-sur-Saône", "Tarare", "Givors", "Oullins", "Écully",
        "Tassin-la-Demi-Lune"], 0),
    ("Isère", 0.19, &["Grenoble", "Vienne", "Bourgoin-Jallieu", "Voiron", "Échirolles",
        "L'Isle-d'Abeau", "Meylan"], 1),
    ("Drôme", 0.08, &["Valence", "Montélimar", "Romans-sur-Isère"], 1),
    ("Ain", 0.13, &["Bourg-en-Bresse", "Oyonnax", "Ambérieu-en-Bugey", "Belley", "Trévoux"], 2),
    ("Loire", 0.18, &["Saint-Étienne", "Roanne", "Montbrison", "Saint-Chamond", "Firminy"], 2),
];

/// Segments: name, weight in the client base, size multiplier.
const SEGMENTS: [(&str, f64, f64); 6] = [
    ("Restauration traditionnelle", 0.36, 1.0),
    ("Hôtellerie", 0.11, 1.5),
    ("Collectivités", 0.10, 1.7),
    ("Boulangerie-pâtisserie", 0.19, 0.9),
    ("Traiteurs", 0.08, 1.1),
    ("Restauration rapide", 0.16, 0.6),
];

/// Monthly seasonality per segment: August dip everywhere, December peak for bakers,
/// caterers and public kitchens (year-end budgets), summer works in schools.
const SEASONS: [Season; 6] = [
    [
        0.80, 0.90, 1.10, 1.15, 1.15, 1.10, 0.85, 0.40, 1.10, 1.10, 1.00, 1.10,
    ],
    [
        0.80, 0.90, 1.20, 1.20, 1.10, 1.00, 0.80, 0.45, 1.00, 1.10, 1.10, 1.30,
    ],
    [
        0.90, 0.90, 1.00, 1.00, 1.00, 1.00, 1.30, 0.70, 0.90, 1.00, 1.10, 1.50,
    ],
    [
        0.90, 0.90, 1.00, 1.00, 0.90, 0.90, 0.80, 0.50, 1.10, 1.20, 1.30, 1.60,
    ],
    [
        0.80, 0.80, 1.00, 1.10, 1.20, 1.20, 0.90, 0.50, 1.10, 1.10, 1.20, 1.50,
    ],
    [
        0.90, 0.90, 1.00, 1.10, 1.10, 1.10, 1.00, 0.50, 1.00, 1.00, 1.00, 1.00,
    ],
];

fn products() -> Vec<Product> {
    let p = |name, min, max, max_qty, halves| Product {
        name,
        min,
        max,
        max_qty,
        halves,
    };
    vec![
        p("Fours mixtes", 4500.0, 16000.0, 1, false),
        p("Froid commercial", 1200.0, 9000.0, 1, false),
        p("Cuisson", 900.0, 7000.0, 1, false),
        p("Laverie", 1800.0, 11000.0, 1, false),
        p("Préparation dynamique", 350.0, 3200.0, 2, false),
        p("Mobilier inox", 250.0, 2400.0, 4, true),
        p("Petit matériel", 25.0, 380.0, 6, false),
        p("Matériel de boulangerie", 2500.0, 24000.0, 1, false),
        p("Buffet et distribution", 700.0, 5200.0, 1, false),
        p("Hygiène et consommables", 30.0, 450.0, 6, false),
        p("Pièces détachées", 40.0, 850.0, 3, false),
        p("Contrats de maintenance", 380.0, 3200.0, 1, false),
        p("Installation et mise en service", 250.0, 2800.0, 1, false),
    ]
}

/// Product weights per segment (same order as `products`).
fn mixes() -> Vec<Vec<f64>> {
    vec![
        vec![
            3.0, 6.0, 6.0, 4.0, 5.0, 4.0, 39.0, 0.0, 1.0, 31.0, 21.0, 3.0, 3.0,
        ],
        vec![
            4.0, 6.0, 5.0, 5.0, 4.0, 4.0, 31.0, 0.0, 5.0, 31.0, 18.0, 5.0, 3.0,
        ],
        vec![
            5.0, 7.0, 5.0, 6.0, 5.0, 5.0, 25.0, 0.0, 4.0, 28.0, 19.0, 7.0, 4.0,
        ],
        vec![
            0.5, 4.0, 1.0, 1.0, 6.0, 4.0, 31.0, 6.0, 0.5, 28.0, 18.0, 4.0, 2.0,
        ],
        vec![
            4.0, 7.0, 4.0, 3.0, 6.0, 4.0, 31.0, 0.0, 5.0, 28.0, 18.0, 3.0, 3.0,
        ],
        vec![
            2.0, 6.0, 6.0, 2.0, 3.0, 3.0, 39.0, 0.0, 1.0, 39.0, 21.0, 2.0, 2.0,
        ],
    ]
}

const PRESCRIBERS: [&str; 6] = [
    "Atelier Archi-Cuisine",
    "Gastronomie Conseil (bureau d'études)",
    "Cabinet Fabre Architectes",
    "Fiduciaire Moulin Expertise",
    "CHR Conseil Rhône-Alpes",
    "Club des Restaurateurs de Bellecour",
];

/// A named account: name, zone, segment, group, potential, trend, discount, created.
type NamedRow = (&'static str, usize, usize, Group, f64, f64, f64, NaiveDate);

/// Where a client stands in the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Established,
    Former,
    Reconquered,
    Lost,
    New2023,
    New2024,
    New2025,
    CreditOnly,
    /// Sales under a client id missing from clients.csv.
    Unlisted,
    /// In clients.csv (won lead) but no invoice yet.
    NoSales,
}

#[derive(Clone, Debug)]
struct Profile {
    name: String,
    zone: usize,
    segment: usize,
    rep: usize,
    created: NaiveDate,
    prescriber: Option<String>,
    maturity: Option<&'static str>,
    group: Group,
    potential: f64,
    trend: f64,
    discount: f64,
    spans: Vec<(NaiveDate, NaiveDate)>,
    id: String,
}

fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.int(0, (to - from).num_days()))
}

struct Builder {
    rng: Rng,
    /// Names draw from their own stream, so rewording a name pattern moves no figure.
    names: Rng,
    used: BTreeSet<String>,
    profiles: Vec<Profile>,
}

impl Builder {
    fn town(&mut self, zone: usize) -> &'static str {
        let towns = ZONES[zone].2;
        // The first town of a zone is its main city.
        if self.rng.chance(0.35) {
            towns[0]
        } else {
            towns[self.rng.below(towns.len())]
        }
    }

    fn zone_for_rep(&mut self, rep: usize) -> usize {
        let w: Vec<f64> = ZONES
            .iter()
            .map(|z| if z.3 == rep { z.1 } else { 0.0 })
            .collect();
        self.rng.weighted(&w)
    }

    /// A new bulk profile (name, zone, segment drawn), with no spans yet.
    fn profile(&mut self, group: Group, zone: Option<usize>, segment: Option<usize>) -> Profile {
        let zone = zone.unwrap_or_else(|| {
            let w: Vec<f64> = ZONES.iter().map(|z| z.1).collect();
            self.rng.weighted(&w)
        });
        let segment = segment.unwrap_or_else(|| {
            let w: Vec<f64> = SEGMENTS.iter().map(|s| s.1).collect();
            self.rng.weighted(&w)
        });
        let town = self.town(zone);
        let name = names::unique(
            |r| names::catering(segment, town, r),
            town,
            &mut self.used,
            &mut self.names,
        );
        // Older clients were created any time since 1996, more of them recently.
        let u = self.rng.f64();
        let year = 1996 + (26.0 * u.sqrt()) as i32;
        let created = date_between(
            &mut self.rng,
            d(year.min(2021), 1, 2),
            d(year.min(2021), 12, 28),
        );
        let prescriber = self
            .rng
            .chance(0.07)
            .then(|| PRESCRIBERS[self.rng.below(PRESCRIBERS.len())].to_string());
        Profile {
            name,
            zone,
            segment,
            rep: ZONES[zone].3,
            created,
            prescriber,
            maturity: None,
            group,
            potential: 0.0,
            trend: 1.0,
            discount: if self.rng.chance(0.2) { 0.05 } else { 0.0 },
            spans: Vec::new(),
            id: String::new(),
        }
    }

    /// Named accounts that carry the story.
    fn named(&mut self) {
        #[rustfmt::skip]
        let rows: [NamedRow; 11] = [
            ("Rhône Restauration Collective", 0, 2, Group::Established, 850_000.0, 1.06, 0.12, d(2011, 3, 14)),
            ("Groupe Hôtelier des Brotteaux", 0, 1, Group::Lost, 200_000.0, 1.02, 0.08, d(2014, 6, 2)),
            ("Brasseries du Forez", 4, 0, Group::Lost, 120_000.0, 1.00, 0.05, d(2016, 9, 20)),
            ("Cuisine centrale de Bourg-en-Bresse", 3, 2, Group::Established, 75_000.0, 0.95, 0.05, d(2012, 1, 9)),
            ("Maison Perret", 0, 3, Group::Established, 85_000.0, 1.05, 0.05, d(2008, 10, 1)),
            ("Hôtel des Alpes Dauphinoises", 1, 1, Group::Established, 60_000.0, 1.04, 0.0, d(2017, 4, 18)),
            ("Clinique du Val d'Azergues", 0, 2, Group::Established, 48_000.0, 1.0, 0.05, d(2015, 2, 23)),
            ("Traiteur Rousset, Père et Fils", 4, 4, Group::Established, 40_000.0, 0.93, 0.0, d(2010, 5, 7)),
            ("Auberge des Monts du Lyonnais", 0, 0, Group::Reconquered, 22_000.0, 1.0, 0.0, d(2013, 11, 4)),
            ("EHPAD Les Tilleuls", 3, 2, Group::Reconquered, 18_000.0, 1.0, 0.0, d(2018, 3, 12)),
            ("Pizzeria Da Lucia", 1, 5, Group::CreditOnly, 9_000.0, 1.0, 0.0, d(2019, 7, 1)),
        ];
        for (name, zone, segment, group, potential, trend, discount, created) in rows {
            self.used.insert(name.to_string());
            let end = match name {
                "Groupe Hôtelier des Brotteaux" => d(2024, 11, 15),
                "Brasseries du Forez" => d(2024, 10, 10),
                "Auberge des Monts du Lyonnais" => d(2023, 5, 12),
                "EHPAD Les Tilleuls" => d(2023, 9, 29),
                "Pizzeria Da Lucia" => d(2024, 12, 20),
                _ => as_of(),
            };
            self.profiles.push(Profile {
                name: name.to_string(),
                zone,
                segment,
                rep: ZONES[zone].3,
                created,
                prescriber: (name == "Clinique du Val d'Azergues")
                    .then(|| PRESCRIBERS[1].to_string()),
                maturity: None,
                group,
                potential,
                trend,
                discount,
                spans: vec![(history_start(), end)],
                id: String::new(),
            });
        }
    }

    /// Bulk clients with history, potentials from a Pareto quantile ladder.
    fn bulk(&mut self) {
        let plan: [(Group, usize, f64); 5] = [
            (Group::Established, 425, 1.0),
            (Group::Former, 150, 0.7),
            (Group::Lost, 62, 1.0),
            (Group::Reconquered, 8, 2.0),
            (Group::New2023, 60, 0.8),
        ];
        let n: usize = plan.iter().map(|x| x.1).sum();
        // Quantiles of a Pareto law (alpha = 4/3): x_m * v^-0.75, v = 1 - u.
        let mut ladder: Vec<f64> = (0..n)
            .map(|i| {
                let v = 1.0 - (i as f64 + 0.5) / n as f64;
                (XM / (v.sqrt() * v.sqrt().sqrt())).min(60_000.0)
            })
            .collect();
        self.rng.shuffle(&mut ladder);
        let mut k = 0;
        for (group, count, mult) in plan {
            for i in 0..count {
                let mut p = self.profile(group, None, None);
                p.potential = ladder[k] * mult * SEGMENTS[p.segment].2 * self.rng.range(0.8, 1.2);
                k += 1;
                // The Loire and the Ain erode; the rest grows a little.
                let mu = if p.rep == 2 { 0.95 } else { 1.0 };
                p.trend = self.rng.normal(mu, 0.07).clamp(0.8, 1.25);
                let end_of = |rng: &mut Rng, a, b| date_between(rng, a, b);
                p.spans = match group {
                    Group::Established => vec![(history_start(), as_of())],
                    Group::Former => vec![(
                        history_start(),
                        end_of(&mut self.rng, d(2022, 4, 1), d(2023, 11, 30)),
                    )],
                    Group::Lost => vec![(
                        history_start(),
                        end_of(&mut self.rng, d(2024, 3, 1), d(2024, 12, 15)),
                    )],
                    Group::Reconquered => {
                        let e = end_of(&mut self.rng, d(2022, 5, 1), d(2023, 10, 31));
                        let s = end_of(&mut self.rng, d(2025, 2, 1), d(2025, 8, 29));
                        vec![(history_start(), e), (s, as_of())]
                    }
                    _ => {
                        let s = end_of(&mut self.rng, d(2023, 1, 16), d(2023, 11, 30));
                        p.created = s - Duration::days(self.rng.int(0, 20));
                        p.trend = self.rng.normal(1.06, 0.08).clamp(0.85, 1.3);
                        // The last eight bought in 2023-2024 and stopped.
                        let e = if i >= count - 8 {
                            end_of(&mut self.rng, d(2024, 3, 1), d(2024, 11, 30))
                        } else {
                            as_of()
                        };
                        vec![(s, e)]
                    }
                };
                self.profiles.push(p);
            }
        }
        // Named reconquered accounts restart in 2025 too (dates may be replaced by a lead).
        for p in self
            .profiles
            .iter_mut()
            .filter(|p| p.group == Group::Reconquered && p.spans.len() == 1)
        {
            let s = date_between(&mut self.rng, d(2025, 3, 1), d(2025, 7, 31));
            p.spans.push((s, as_of()));
        }
    }
}

/// Anchor of the Pareto ladder of bulk potentials (currency units per year).
const XM: f64 = 1180.0;

/// Lead design per source: count, won, lost, won that become new clients, won that
/// are reconquests, won whose client has no invoice yet, share of lost leads that
/// were qualified, cycle days, value range.
struct LeadDesign {
    source: Source,
    count: usize,
    won: usize,
    lost: usize,
    new_clients: usize,
    reconquests: usize,
    no_sales: usize,
    lost_qualified: f64,
    cycle: (i64, i64),
    value: (f64, f64),
    channels: &'static [(&'static str, f64)],
}

#[rustfmt::skip]
const SA_CHANNELS: &[(&str, f64)] = &[
    ("prospection terrain", 0.6), ("phoning", 0.3), ("visite spontanée", 0.1),
];
#[rustfmt::skip]
const OFF_CHANNELS: &[(&str, f64)] = &[
    ("salon", 0.6), ("mailing papier", 0.2), ("annuaire pro", 0.1), ("démonstration", 0.1),
];
#[rustfmt::skip]
const ON_CHANNELS: &[(&str, f64)] = &[
    ("SEA", 0.45), ("SEO", 0.2), ("emailing", 0.1), ("site web", 0.15), ("réseaux sociaux", 0.1),
];
#[rustfmt::skip]
const PR_CHANNELS: &[(&str, f64)] = &[
    ("architecte", 0.4), ("bureau d'études", 0.35), ("bouche-à-oreille", 0.25),
];
#[rustfmt::skip]
const OT_CHANNELS: &[(&str, f64)] = &[
    ("bouche-à-oreille", 0.5), ("appel entrant", 0.4), ("réseau d'affaires", 0.1),
];

fn lead_designs(year: i32) -> Vec<LeadDesign> {
    use Source::*;
    // source, count, won, lost, new clients, reconquests, no sales yet, lost qualified
    #[rustfmt::skip]
    let rows: [(Source, [usize; 6], f64); 5] = if year == 2025 {
        [
            (SalesAction, [90, 24, 38, 12, 2, 0], 0.55),
            (Offline, [60, 14, 28, 10, 0, 0], 0.4),
            (Online, [150, 9, 96, 8, 0, 0], 0.1),
            (Prescription, [45, 18, 14, 12, 1, 1], 0.7),
            (Other, [15, 3, 7, 2, 0, 1], 0.3),
        ]
    } else {
        [
            (SalesAction, [110, 27, 58, 14, 0, 0], 0.55),
            (Offline, [70, 15, 46, 11, 0, 0], 0.4),
            (Online, [120, 8, 96, 6, 0, 0], 0.1),
            (Prescription, [38, 14, 20, 11, 0, 0], 0.7),
            (Other, [14, 3, 9, 2, 0, 0], 0.3),
        ]
    };
    rows.into_iter()
        .map(
            |(source, [count, won, lost, new_clients, reconquests, no_sales], lost_qualified)| {
                let (cycle, value, channels) = match source {
                    SalesAction => ((15, 75), (2_000.0, 25_000.0), SA_CHANNELS),
                    Offline => ((20, 90), (1_500.0, 15_000.0), OFF_CHANNELS),
                    Online => ((5, 45), (400.0, 5_000.0), ON_CHANNELS),
                    Prescription => ((10, 60), (5_000.0, 40_000.0), PR_CHANNELS),
                    Other => ((10, 50), (1_000.0, 10_000.0), OT_CHANNELS),
                };
                LeadDesign {
                    source,
                    count,
                    won,
                    lost,
                    new_clients,
                    reconquests,
                    no_sales,
                    lost_qualified,
                    cycle,
                    value,
                    channels,
                }
            },
        )
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    NewClient,
    Reconquest,
    NoSales,
    Existing,
    Lost,
    Open,
}

/// Leads of `year`; won leads create or update client profiles. Returns leads whose
/// `client_id` holds a profile index (resolved once ids are assigned).
fn leads(b: &mut Builder, year: i32) -> Vec<(Lead, Option<usize>)> {
    let mut out = Vec::new();
    let end = if year == 2025 {
        as_of()
    } else {
        d(2024, 12, 31)
    };
    let won_limit = if year == 2025 {
        as_of() - Duration::days(14)
    } else {
        d(2024, 12, 10)
    };
    let days = cal::working_days(d(year, 1, 2), end);
    let sirha: Vec<NaiveDate> = cal::working_days(d(2025, 1, 23), d(2025, 1, 31));
    for design in lead_designs(year) {
        let mut outcomes = Vec::new();
        let existing = design.won - design.new_clients - design.reconquests - design.no_sales;
        for (o, n) in [
            (Outcome::NewClient, design.new_clients),
            (Outcome::Reconquest, design.reconquests),
            (Outcome::NoSales, design.no_sales),
            (Outcome::Existing, existing),
            (Outcome::Lost, design.lost),
            (Outcome::Open, design.count - design.won - design.lost),
        ] {
            outcomes.extend(std::iter::repeat_n(o, n));
        }
        b.rng.shuffle(&mut outcomes);
        let rep_w: &[f64] = match design.source {
            Source::SalesAction => &[0.42, 0.33, 0.25],
            Source::Prescription => &[0.5, 0.3, 0.2],
            _ => &[0.45, 0.32, 0.23],
        };
        for outcome in outcomes {
            let rep = b.rng.weighted(rep_w);
            let mut date = if year == 2025 && design.source == Source::Offline && b.rng.chance(0.45)
            {
                *b.rng.pick(&sirha)
            } else if outcome == Outcome::Open && b.rng.chance(0.6) {
                // Open leads are mostly recent ones.
                let recent: Vec<NaiveDate> = days
                    .iter()
                    .copied()
                    .filter(|x| *x > end - Duration::days(110))
                    .collect();
                *b.rng.pick(&recent)
            } else {
                *b.rng.pick(&days)
            };
            let cycle = b.rng.int(design.cycle.0, design.cycle.1);
            let won = !matches!(outcome, Outcome::Lost | Outcome::Open);
            let mut closed = None;
            if won {
                let mut c = date + Duration::days(cycle);
                if c > won_limit {
                    date = (won_limit - Duration::days(cycle)).max(d(year, 1, 2));
                    c = (date + Duration::days(cycle)).min(won_limit);
                }
                closed = Some(c);
            } else if outcome == Outcome::Lost {
                closed = Some((date + Duration::days(cycle)).min(as_of()));
            }
            let stage = match outcome {
                Outcome::Lost => Stage::Lost,
                Outcome::Open => [
                    Stage::New,
                    Stage::Contacted,
                    Stage::Qualified,
                    Stage::Proposal,
                ][b.rng.weighted(&[0.35, 0.3, 0.2, 0.15])],
                _ => Stage::Won,
            };
            let qualified = match stage {
                Stage::Lost => b.rng.chance(design.lost_qualified),
                s => s.implies_qualified(),
            };
            let qualified_style = if qualified == stage.implies_qualified() && b.rng.chance(0.12) {
                BoolStyle::Empty
            } else {
                [BoolStyle::TrueFalse, BoolStyle::OuiNon, BoolStyle::OneZero]
                    [b.rng.weighted(&[0.6, 0.3, 0.1])]
            };
            let raw_value = b.rng.range(design.value.0, design.value.1);
            let value =
                (qualified || won).then(|| ((raw_value / 100.0).round() * 100.0 * 100.0) as i64);
            let prescriber = (design.source == Source::Prescription)
                .then(|| PRESCRIBERS[b.rng.below(PRESCRIBERS.len())].to_string());
            let cw: Vec<f64> = design.channels.iter().map(|c| c.1).collect();
            let mut channel = design.channels[b.rng.weighted(&cw)].0.to_string();
            if design.source == Source::Offline && sirha.contains(&date) {
                channel = "salon".to_string();
            }
            let french = b.rng.chance(0.25);
            let mut profile = None;
            match outcome {
                Outcome::NewClient | Outcome::NoSales => {
                    let zone = b.zone_for_rep(rep);
                    let segment = (design.source == Source::Prescription && b.rng.chance(0.4))
                        .then(|| [1, 2, 4][b.rng.below(3)]);
                    let group = match (outcome, year) {
                        (Outcome::NoSales, _) => Group::NoSales,
                        (_, 2025) => Group::New2025,
                        _ => Group::New2024,
                    };
                    let mut p = b.profile(group, Some(zone), segment);
                    let c = closed.expect("won lead");
                    p.created = c;
                    p.prescriber = prescriber.clone();
                    p.potential = raw_value * b.rng.range(0.9, 1.3);
                    p.trend = b.rng.normal(1.06, 0.05);
                    let start = (c + Duration::days(b.rng.int(0, 10))).min(as_of());
                    if group != Group::NoSales {
                        p.spans = vec![(start, as_of())];
                    }
                    profile = Some(b.profiles.len());
                    b.profiles.push(p);
                }
                Outcome::Reconquest => {
                    let c = closed.expect("won lead");
                    let cands: Vec<usize> = (0..b.profiles.len())
                        .filter(|i| {
                            let p = &b.profiles[*i];
                            p.group == Group::Reconquered && p.rep == rep && p.spans[1].0 > c
                        })
                        .collect();
                    if let Some(&i) = cands.first() {
                        b.profiles[i].spans[1].0 =
                            (c + Duration::days(b.rng.int(0, 10))).min(as_of());
                        profile = Some(i);
                    }
                }
                Outcome::Existing => {
                    let cands: Vec<usize> = (0..b.profiles.len())
                        .filter(|i| {
                            let p = &b.profiles[*i];
                            p.group == Group::Established && p.rep == rep
                        })
                        .collect();
                    profile = Some(*b.rng.pick(&cands));
                }
                _ => {}
            }
            out.push((
                Lead {
                    id: String::new(),
                    date,
                    source: design.source,
                    stage,
                    qualified,
                    qualified_style,
                    closed,
                    client_id: None,
                    rep: REPS[rep].id.to_string(),
                    value,
                    prescriber,
                    channel,
                    french,
                },
                profile,
            ));
        }
    }
    out
}

struct VidalNumbering;

impl Numbering for VidalNumbering {
    fn number(&self, year: i32, n: usize, credit: bool) -> String {
        format!("{}{year}-{n:05}", if credit { "AV" } else { "F" })
    }
}

/// Build the whole example in memory.
pub fn build() -> Example {
    let mut b = Builder {
        rng: Rng::new(SEED),
        names: Rng::new(SEED ^ 0x4E41_4D45),
        used: BTreeSet::new(),
        profiles: Vec::new(),
    };
    b.named();
    b.bulk();
    let mut lead_rows = leads(&mut b, 2024);
    lead_rows.extend(leads(&mut b, 2025));
    // Walk-in clients (counter sales, no lead): eight in 2024 (two one-shot), four in 2025.
    for i in 0..12 {
        let (group, from, to) = if i < 8 {
            (Group::New2024, d(2024, 1, 15), d(2024, 11, 15))
        } else {
            (Group::New2025, d(2025, 1, 15), d(2025, 8, 29))
        };
        let mut p = b.profile(group, None, None);
        let s = date_between(&mut b.rng, from, to);
        p.created = s;
        p.potential = b.rng.range(800.0, 6_000.0);
        let e = if i < 2 {
            (s + Duration::days(60)).min(d(2024, 12, 20))
        } else {
            as_of()
        };
        p.spans = vec![(s, e)];
        b.profiles.push(p);
    }
    // Six clients won in 2024 through a lead bought once and never again.
    let mut one_shot = 0;
    for p in b.profiles.iter_mut().filter(|p| p.group == Group::New2024) {
        if one_shot < 6 && p.spans[0].0 < d(2024, 9, 1) && p.spans[0].1 == as_of() {
            p.spans[0].1 = (p.spans[0].0 + Duration::days(45)).min(d(2024, 12, 20));
            one_shot += 1;
        }
    }
    // Counter sales under codes that never made it into the client file.
    for k in 0..3 {
        let mut p = b.profile(Group::Unlisted, Some(0), Some(5));
        p.potential = 700.0 + 300.0 * k as f64;
        p.spans = vec![(d(2023, 6, 1), as_of())];
        b.profiles.push(p);
    }
    // A minority carries a maturity set by the consultant, overriding seniority.
    for p in b.profiles.iter_mut() {
        if p.group != Group::Unlisted && b.rng.chance(0.07) {
            p.maturity = Some(match p.group {
                Group::New2025 => ["new", "developing"][b.rng.below(2)],
                Group::New2024 => ["developing", "mature"][b.rng.below(2)],
                Group::New2023 => "mature",
                _ => ["developing", "mature"][b.rng.below(2)],
            });
        }
    }

    // Ids follow the order of creation in the ERP.
    let mut order: Vec<usize> = (0..b.profiles.len()).collect();
    order.sort_by(|x, y| {
        let (p, q) = (&b.profiles[*x], &b.profiles[*y]);
        (p.group == Group::Unlisted, p.created, &p.name).cmp(&(
            q.group == Group::Unlisted,
            q.created,
            &q.name,
        ))
    });
    let mut unlisted = 9900;
    for (n, i) in order.iter().enumerate() {
        let p = &mut b.profiles[*i];
        p.id = if p.group == Group::Unlisted {
            unlisted += 1;
            format!("C{unlisted}")
        } else {
            format!("C{:04}", n + 1)
        };
    }

    let products = products();
    let mixes = mixes();
    let spec = Spec {
        products: &products,
        mixes: &mixes,
        seasons: &SEASONS,
        ref_year: 2024,
        fy_month: 1,
        lines_per_invoice: (1, 3),
        credit_rate: 0.026,
        credit_ref_share: 0.4,
        as_of: as_of(),
    };
    let plans: Vec<ClientPlan> = b
        .profiles
        .iter()
        .map(|p| ClientPlan {
            id: p.id.clone(),
            rep: if p.group == Group::Unlisted {
                String::new()
            } else {
                REPS[p.rep].id.to_string()
            },
            season: p.segment,
            mix: p.segment,
            potential: p.potential,
            trend: p.trend,
            discount: p.discount,
            spans: p.spans.clone(),
        })
        .collect();
    // Invoicing draws from per-client streams: editing names or leads does not reshuffle it.
    let mut docs = sales::invoices(&spec, &plans, SEED ^ 0x5A1E5);
    sales::credit_notes(&spec, &plans, &mut docs, SEED ^ 0xC4ED17);
    // Pizzeria Da Lucia returns its last equipment in January: its only FY lines.
    let lucia = b
        .profiles
        .iter()
        .position(|p| p.group == Group::CreditOnly)
        .expect("named");
    let last = (0..docs.len())
        .filter(|i| docs[*i].client == lucia && docs[*i].credit_of.is_none())
        .max_by_key(|i| (docs[*i].date, *i))
        .expect("Da Lucia bought");
    let biggest = docs[last]
        .lines
        .iter()
        .max_by_key(|l| l.amount)
        .expect("line")
        .clone();
    docs.push(sales::Doc {
        date: d(2025, 1, 14),
        client: lucia,
        lines: vec![sales::Line {
            product: biggest.product,
            qty_tenths: biggest.qty_tenths.map(|q| -q),
            amount: -biggest.amount,
        }],
        credit_of: Some((last, true)),
    });
    let sales_rows = sales::flatten(&spec, &plans, &docs, &VidalNumbering);

    let clients: Vec<Client> = order
        .iter()
        .map(|i| &b.profiles[*i])
        .filter(|p| p.group != Group::Unlisted)
        .map(|p| Client {
            id: p.id.clone(),
            name: p.name.clone(),
            zone: ZONES[p.zone].0.to_string(),
            segment: SEGMENTS[p.segment].0.to_string(),
            created: p.created,
            prescriber: p.prescriber.clone(),
            maturity: p.maturity,
            rep: REPS[p.rep].id.to_string(),
        })
        .collect();

    let mut leads: Vec<Lead> = lead_rows
        .into_iter()
        .map(|(mut l, p)| {
            l.client_id = p.map(|i| b.profiles[i].id.clone());
            l
        })
        .collect();
    leads.sort_by(|x, y| (x.date, &x.rep, x.source).cmp(&(y.date, &y.rep, y.source)));
    let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
    for l in &mut leads {
        let y = chrono::Datelike::year(&l.date);
        let n = per_year.entry(y).or_insert(0);
        *n += 1;
        l.id = format!("L{}-{:04}", y % 100, n);
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
    data.activities = activities(&b, &first, &mut Rng::new(SEED ^ 0xAC71));
    let stats = stats::compute(&data, &params);

    let dialect = Dialect::iso();
    let headers = Headers::canonical();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "data/sales.csv".into(),
            csvfmt::sales_csv(&data.sales, &dialect, &headers).into_bytes(),
        ),
        (
            "data/clients.csv".into(),
            csvfmt::clients_csv(&data.clients, &dialect, &headers).into_bytes(),
        ),
        (
            "data/leads.csv".into(),
            csvfmt::leads_csv(&data.leads, &dialect, &headers).into_bytes(),
        ),
        (
            "data/activities.csv".into(),
            csvfmt::activities_csv(&data.activities, &dialect, &headers).into_bytes(),
        ),
    ];
    files.extend(crate::vidal_docs::files(&stats, &data));
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

/// Rep time profiles and who they visit: class C clients get a share of visits far
/// above their revenue share, and SL's admin blocks are about small accounts.
fn activities(b: &Builder, s: &stats::Stats, rng: &mut Rng) -> Vec<crate::model::Activity> {
    let mut profiles = Vec::new();
    for (ri, rep) in REPS.iter().enumerate() {
        let mine: Vec<&Profile> = b
            .profiles
            .iter()
            .filter(|p| p.rep == ri && p.group != Group::Unlisted)
            .collect();
        let mut clients = Vec::new();
        let mut admin = Vec::new();
        let mut former = Vec::new();
        for p in &mine {
            match s.class_of.get(&p.id) {
                Some(0) => clients.push((p.id.clone(), 2.5)),
                Some(1) => {
                    clients.push((p.id.clone(), 1.2));
                    admin.push((p.id.clone(), 0.5));
                }
                Some(_) => {
                    clients.push((p.id.clone(), C_VISIT_WEIGHT));
                    admin.push((p.id.clone(), 1.0));
                }
                None => {}
            }
            if matches!(p.group, Group::Former | Group::Lost) {
                former.push(p.id.clone());
            }
        }
        let (shares, day, admin_client_share, french_share) = match rep.id {
            "JD" => (
                [0.10, 0.62, 0.05, 0.08, 0.0, 0.04, 0.05],
                (30, 36),
                0.1,
                0.1,
            ),
            "MB" => (
                [0.11, 0.56, 0.06, 0.11, 0.0, 0.04, 0.06],
                (30, 34),
                0.15,
                0.1,
            ),
            _ => (
                [0.12, 0.34, 0.10, 0.24, 0.0, 0.04, 0.10],
                (32, 38),
                0.4,
                0.5,
            ),
        };
        let sirha = vec![d(2025, 1, 23), d(2025, 1, 24), d(2025, 1, 27)];
        let mut shows = sirha;
        let leave = match rep.id {
            "JD" => {
                vec![
                    (d(2025, 4, 22), d(2025, 4, 25)),
                    (d(2025, 8, 4), d(2025, 8, 22)),
                ]
            }
            "MB" => {
                shows.extend([d(2025, 3, 18), d(2025, 3, 19)]);
                vec![
                    (d(2025, 2, 17), d(2025, 2, 21)),
                    (d(2025, 7, 21), d(2025, 8, 8)),
                ]
            }
            _ => {
                shows.push(d(2025, 2, 11));
                vec![
                    (d(2025, 5, 2), d(2025, 5, 9)),
                    (d(2025, 8, 11), d(2025, 8, 29)),
                ]
            }
        };
        profiles.push(RepProfile {
            id: rep.id.to_string(),
            day_quarters: day,
            weights: activities::time_weights(shares),
            targets: match rep.id {
                "SL" => [0.20, 0.66, 0.04, 0.10],
                "MB" => [0.25, 0.58, 0.07, 0.10],
                _ => [0.22, 0.62, 0.06, 0.10],
            },
            leave,
            shows,
            french_share,
            admin_client_share,
            clients,
            former,
            admin_clients: admin,
        });
    }
    activities::generate(fy_start(), as_of(), &profiles, rng)
}

/// Relative visit weight of a class C client (A = 2.5, B = 1.2): small accounts that
/// are close by and friendly get visited far more than their revenue warrants.
const C_VISIT_WEIGHT: f64 = 1.8;

use crate::vidal_story::checks;
pub use crate::vidal_story::{OBJECTIVES, Objectives};
