//! Sample charts of every kind and the checks every chart must pass, shared by the
//! tests of each chart kind.

use chrono::NaiveDate;

use super::scene::Bounds;
use super::style::Ctx;
use super::{FONT, SCALE, WIDTH, layout};
use crate::i18n::Formatter;
use crate::present::model::{
    Bullet, BulletLegend, Chart, ChartSpec, MatrixCell, Reference, Series, SeriesRole,
    TimelineItem, Tone, ValueUnit,
};
use crate::render::charts::scene::Label;
use crate::vocab::Language;

pub(super) fn fr() -> Formatter {
    Formatter::new(Language::Fr)
}

pub(super) fn date(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("an ISO date")
}

pub(super) fn chart(id: &str, title: &str, spec: ChartSpec) -> Chart {
    Chart {
        id: id.into(),
        title: title.into(),
        alt: format!("{title} : texte alternatif avec des chiffres."),
        spec,
    }
}

pub(super) fn series(name: &str, role: SeriesRole, values: &[Option<f64>]) -> Series {
    Series {
        name: name.into(),
        role,
        values: values.to_vec(),
    }
}

pub(super) fn months(fmt: &Formatter) -> Vec<String> {
    (1..=12)
        .map(|m| fmt.month(NaiveDate::from_ymd_opt(2025, m, 1).unwrap()))
        .collect()
}

/// A bullet row: `actual` against `objective`, with a landing, no last year.
pub(super) fn bullet(
    label: &str,
    actual: Option<f64>,
    objective: Option<f64>,
    projection: Option<f64>,
    cumulative: bool,
) -> Bullet {
    Bullet {
        label: label.into(),
        value: actual.map_or_else(|| "n.d.".into(), |a| format!("{a}")),
        actual,
        objective,
        projection,
        last_year: None,
        last_year_full: None,
        cumulative,
        status: match (actual, objective) {
            (Some(a), Some(o)) => format!("{:.0} % de l'objectif", a / o * 100.0),
            _ => "sans objectif".into(),
        },
        tone: Tone::Neutral,
    }
}

/// Bullet rows at 75 % of the year.
pub(super) fn bullet_spec(rows: Vec<Bullet>) -> ChartSpec {
    ChartSpec::Bullets {
        rows,
        elapsed: 0.75,
        elapsed_label: "75 % de l'exercice".into(),
        legend: BulletLegend {
            actual: "Réalisé à date".into(),
            projection: "Projection fin d'exercice".into(),
            objective: "Objectif".into(),
            last_year: "N-1 même période".into(),
            last_year_full: "N-1 exercice complet".into(),
        },
    }
}

/// A matrix cell: `n` clients and an amount, shaded.
fn matrix_cell(clients: &str, amount: &str, shade: Option<f64>) -> MatrixCell {
    MatrixCell {
        lines: vec![format!("{clients} clients"), amount.into()],
        shade,
    }
}

/// A Pareto curve of `n` clients with a long tail, and its ABC boundaries.
pub(super) fn pareto_points(n: usize) -> ChartSpec {
    let revenue: Vec<f64> = (0..n)
        .map(|i| 250_000.0 / (i as f64 + 1.5).powf(1.1) + 50.0)
        .collect();
    let total: f64 = revenue.iter().sum();
    let mut points = Vec::with_capacity(n + 1);
    points.push((0.0, 0.0));
    let (mut cum, mut a_clients, mut ab_clients) = (0.0, 0.0, 0.0);
    for (i, r) in revenue.iter().enumerate() {
        let before = cum / total;
        if before < 0.8 {
            a_clients = (i + 1) as f64 / n as f64;
        }
        if before < 0.95 {
            ab_clients = (i + 1) as f64 / n as f64;
        }
        cum += r;
        points.push(((i + 1) as f64 / n as f64, cum / total));
    }
    ChartSpec::Pareto {
        points,
        a_cutoff: 0.8,
        b_cutoff: 0.95,
        a_clients,
        ab_clients,
        x_label: "Part des clients (classés par CA décroissant)".into(),
        y_label: "Part cumulée du chiffre d'affaires".into(),
    }
}

/// One chart of each kind, with the figures of a typical engagement.
pub(super) fn samples(fmt: &Formatter) -> Vec<Chart> {
    let fy = [
        312_400.0, 287_900.0, 345_100.0, 301_800.0, 356_200.0, 372_500.0, 268_300.0, 214_900.0,
        338_700.0,
    ];
    let fy1 = [
        296_000.0, 271_500.0, 322_800.0, 309_400.0, 331_000.0, 348_900.0, 281_200.0, 203_600.0,
        317_300.0, 344_100.0, 329_800.0, 391_200.0,
    ];
    let fy_values: Vec<Option<f64>> = (0..12).map(|i| fy.get(i).copied()).collect();
    let fy1_values: Vec<Option<f64>> = fy1.iter().copied().map(Some).collect();
    let timeline_items = [
        (
            "Campagne de reconquête des clients dormants",
            "2025-01-15",
            "2025-04-30",
            Tone::Good,
        ),
        (
            "Fichier de prospection qualifié (PME industrielles)",
            "2025-02-01",
            "2025-03-31",
            Tone::Good,
        ),
        (
            "Formation à la qualification des leads",
            "2025-03-10",
            "2025-06-20",
            Tone::Warning,
        ),
        (
            "CRM : tableau de bord commercial",
            "2025-04-01",
            "2025-09-15",
            Tone::Good,
        ),
        (
            "Plan comptes clés (top 20)",
            "2025-05-01",
            "2025-12-31",
            Tone::Neutral,
        ),
        (
            "Salon Industrie Lyon",
            "2025-06-10",
            "2025-06-13",
            Tone::Bad,
        ),
        (
            "Réorganisation de l'agenda des visites terrain",
            "2025-07-01",
            "2025-10-31",
            Tone::Bad,
        ),
        (
            "Recrutement d'un commercial sédentaire",
            "2025-09-01",
            "2025-12-15",
            Tone::Neutral,
        ),
    ];
    vec![
        chart(
            "revenue-by-month",
            "Chiffre d'affaires mensuel, exercice et exercice précédent",
            ChartSpec::Lines {
                categories: months(fmt),
                series: vec![
                    series("Exercice 2025", SeriesRole::Primary, &fy_values),
                    series("Exercice 2024", SeriesRole::Comparison, &fy1_values),
                ],
                unit: ValueUnit::Money,
            },
        ),
        chart(
            "revenue-by-month-bars",
            "Chiffre d'affaires mensuel",
            ChartSpec::Bars {
                categories: months(fmt),
                series: vec![
                    series("Exercice 2025", SeriesRole::Primary, &fy_values),
                    series("Exercice 2024", SeriesRole::Comparison, &fy1_values),
                ],
                unit: ValueUnit::Money,
                horizontal: false,
                reference: None,
            },
        ),
        chart(
            "three-ca",
            "Les 3 CA : réalisé, projection et objectif",
            ChartSpec::Bars {
                categories: vec![
                    "Conquête".into(),
                    "Fidélisation".into(),
                    "Reconquête".into(),
                ],
                series: vec![
                    series(
                        "Réalisé",
                        SeriesRole::Primary,
                        &[Some(412_300.0), Some(1_884_600.0), Some(96_200.0)],
                    ),
                    series(
                        "Projection",
                        SeriesRole::Accent,
                        &[Some(549_700.0), Some(2_512_800.0), Some(128_300.0)],
                    ),
                    series(
                        "Objectif",
                        SeriesRole::Comparison,
                        &[Some(650_000.0), Some(2_400_000.0), Some(200_000.0)],
                    ),
                ],
                unit: ValueUnit::Money,
                horizontal: false,
                reference: None,
            },
        ),
        chart(
            "pareto",
            "Concentration du chiffre d'affaires (800 clients)",
            pareto_points(800),
        ),
        chart(
            "class-share",
            "Part du chiffre d'affaires et de l'effort commercial par classe",
            ChartSpec::Bars {
                categories: vec!["Classe A".into(), "Classe B".into(), "Classe C".into()],
                series: vec![
                    series(
                        "Part du chiffre d'affaires",
                        SeriesRole::Primary,
                        &[Some(0.801), Some(0.149), Some(0.05)],
                    ),
                    series(
                        "Part de l'effort commercial",
                        SeriesRole::Accent,
                        &[Some(0.34), Some(0.27), Some(0.39)],
                    ),
                ],
                unit: ValueUnit::Percent,
                horizontal: false,
                reference: None,
            },
        ),
        chart(
            "funnel",
            "Entonnoir commercial",
            ChartSpec::Funnel {
                stages: vec![
                    "Nouveaux".into(),
                    "Contactés".into(),
                    "Qualifiés".into(),
                    "Proposition".into(),
                    "Gagnés".into(),
                ],
                counts: vec![712, 520, 300, 190, 134],
            },
        ),
        chart(
            "conversion-by-source",
            "Taux de conversion par source de leads",
            ChartSpec::Bars {
                categories: vec![
                    "Recommandation client".into(),
                    "Salons professionnels".into(),
                    "Site web".into(),
                    "Prospection téléphonique".into(),
                    "Partenaires prescripteurs".into(),
                    "Réseaux sociaux".into(),
                ],
                series: vec![series(
                    "Taux de conversion",
                    SeriesRole::Primary,
                    &[
                        Some(0.352),
                        Some(0.241),
                        Some(0.176),
                        Some(0.094),
                        Some(0.288),
                        Some(0.061),
                    ],
                )],
                unit: ValueUnit::Percent,
                horizontal: true,
                reference: Some(Reference {
                    value: 0.188,
                    label: "Taux global".into(),
                }),
            },
        ),
        chart(
            "time-allocation",
            "Répartition du temps : réalisé et clé de répartition",
            ChartSpec::Bars {
                categories: vec![
                    "Visites terrain clients".into(),
                    "Visites terrain prospects".into(),
                    "Prospection téléphonique".into(),
                    "Rendez-vous à distance".into(),
                    "Administratif".into(),
                    "Reporting".into(),
                    "Déplacements".into(),
                ],
                series: vec![
                    series(
                        "Réalisé",
                        SeriesRole::Primary,
                        &[
                            Some(0.214),
                            Some(0.062),
                            Some(0.118),
                            Some(0.097),
                            Some(0.186),
                            Some(0.094),
                            Some(0.229),
                        ],
                    ),
                    series(
                        "Clé de répartition",
                        SeriesRole::Comparison,
                        &[
                            Some(0.30),
                            Some(0.15),
                            Some(0.15),
                            Some(0.10),
                            Some(0.10),
                            Some(0.05),
                            Some(0.15),
                        ],
                    ),
                ],
                unit: ValueUnit::Percent,
                horizontal: true,
                reference: None,
            },
        ),
        chart(
            "revenue-by-zone",
            "Chiffre d'affaires par zone (avoirs compris)",
            ChartSpec::Bars {
                categories: vec![
                    "Nord".into(),
                    "Sud-Ouest".into(),
                    "Île-de-France".into(),
                    "Export".into(),
                    "Inconnue".into(),
                ],
                series: vec![
                    series(
                        "Exercice 2025",
                        SeriesRole::Primary,
                        &[
                            Some(412_300.0),
                            Some(188_450.0),
                            Some(645_900.0),
                            Some(-23_800.0),
                            None,
                        ],
                    ),
                    series(
                        "Exercice 2024",
                        SeriesRole::Comparison,
                        &[
                            Some(398_000.0),
                            Some(201_700.0),
                            Some(602_100.0),
                            Some(54_300.0),
                            Some(12_000.0),
                        ],
                    ),
                ],
                unit: ValueUnit::Money,
                horizontal: true,
                reference: None,
            },
        ),
        chart(
            "growth-by-zone",
            "Croissance par zone",
            ChartSpec::Bars {
                categories: vec![
                    "Nord".into(),
                    "Sud-Ouest".into(),
                    "Île-de-France".into(),
                    "Export".into(),
                ],
                series: vec![series(
                    "Croissance",
                    SeriesRole::Primary,
                    &[Some(0.036), Some(-0.066), Some(0.073), Some(-1.438)],
                )],
                unit: ValueUnit::Percent,
                horizontal: false,
                reference: None,
            },
        ),
        chart(
            "revenue-by-rep",
            "Chiffre d'affaires par commercial et objectif moyen",
            ChartSpec::Bars {
                categories: vec![
                    "Claire Fontaine".into(),
                    "Julien Mercier".into(),
                    "Sophie Lambert".into(),
                    "Karim Benali".into(),
                    "Émilie Rousseau-Delacroix".into(),
                ],
                series: vec![series(
                    "Chiffre d'affaires",
                    SeriesRole::Primary,
                    &[
                        Some(612_400.0),
                        Some(498_100.0),
                        Some(731_900.0),
                        Some(287_300.0),
                        Some(540_200.0),
                    ],
                )],
                unit: ValueUnit::Money,
                horizontal: false,
                reference: Some(Reference {
                    value: 550_000.0,
                    label: "Objectif moyen".into(),
                }),
            },
        ),
        chart(
            "dashboard",
            "Le chiffre d'affaires atterrirait à 98 % de son objectif",
            bullet_spec(vec![
                Bullet {
                    last_year: Some(3_650_000.0),
                    last_year_full: Some(4_890_000.0),
                    status: "98,2 % de l'objectif en fin d'exercice".into(),
                    tone: Tone::Warning,
                    ..bullet(
                        "Chiffre d'affaires",
                        Some(3_712_456.0),
                        Some(5_000_000.0),
                        Some(4_910_000.0),
                        true,
                    )
                },
                Bullet {
                    tone: Tone::Bad,
                    ..bullet(
                        "CA de conquête",
                        Some(176_000.0),
                        Some(320_000.0),
                        Some(243_000.0),
                        true,
                    )
                },
                Bullet {
                    tone: Tone::Good,
                    ..bullet(
                        "CA de fidélisation",
                        Some(2_483_000.0),
                        Some(2_300_000.0),
                        Some(3_430_000.0),
                        true,
                    )
                },
                bullet(
                    "CA de reconquête",
                    Some(29_400.0),
                    Some(40_000.0),
                    Some(40_600.0),
                    true,
                ),
                bullet("Leads reçus", Some(360.0), Some(500.0), Some(480.0), true),
                bullet(
                    "Taux de transformation",
                    Some(0.189),
                    Some(0.2),
                    None,
                    false,
                ),
                bullet(
                    "Nouveaux clients gagnés",
                    Some(48.0),
                    Some(60.0),
                    Some(64.0),
                    true,
                ),
                bullet("Clients perdus", Some(80.0), None, None, true),
            ]),
        ),
        chart(
            "abc-maturity",
            "Les clients A mûrs font l'essentiel du chiffre d'affaires",
            ChartSpec::Matrix {
                corner: "Classe".into(),
                rows: vec!["A".into(), "B".into(), "C".into()],
                columns: vec!["Nouveau".into(), "En développement".into(), "Mûr".into()],
                cells: vec![
                    vec![
                        matrix_cell("18", "142\u{a0}k€", Some(0.12)),
                        matrix_cell("46", "456\u{a0}k€", Some(0.38)),
                        matrix_cell("86", "1,2\u{a0}M€", Some(1.0)),
                    ],
                    vec![
                        matrix_cell("15", "26,7\u{a0}k€", Some(0.02)),
                        matrix_cell("29", "51,9\u{a0}k€", Some(0.04)),
                        matrix_cell("203", "324\u{a0}k€", Some(0.27)),
                    ],
                    vec![
                        matrix_cell("0", "0\u{a0}€", None),
                        matrix_cell("38", "28,1\u{a0}k€", Some(0.02)),
                        matrix_cell("129", "99,9\u{a0}k€", Some(0.08)),
                    ],
                ],
                legend: "Teinte : part du chiffre d'affaires".into(),
                legend_low: "0 %".into(),
                legend_high: "45,2 %".into(),
            },
        ),
        chart(
            "plan",
            "Plan d'actions 2025",
            ChartSpec::Timeline {
                start: date("2025-01-01"),
                end: date("2025-12-31"),
                as_of: date("2025-09-30"),
                as_of_label: "30 sept. 2025".into(),
                items: timeline_items
                    .iter()
                    .map(|(label, start, end, tone)| TimelineItem {
                        label: (*label).into(),
                        start: date(start),
                        end: date(end),
                        tone: *tone,
                        dropped: false,
                    })
                    .collect(),
            },
        ),
    ]
}

/// Degenerate inputs: nothing must panic, and each gives a valid picture.
pub(super) fn degenerate() -> Vec<Chart> {
    let bars = |cats: Vec<String>, series: Vec<Series>, horizontal: bool| ChartSpec::Bars {
        categories: cats,
        series,
        unit: ValueUnit::Money,
        horizontal,
        reference: Some(Reference {
            value: f64::NAN,
            label: "Objectif".into(),
        }),
    };
    let none = series("Vide", SeriesRole::Primary, &[None, None]);
    let zeros = series("Zéro", SeriesRole::Primary, &[Some(0.0), Some(0.0)]);
    let nan = series(
        "NaN",
        SeriesRole::Primary,
        &[Some(f64::NAN), Some(f64::INFINITY)],
    );
    let two = || vec!["Un".to_string(), "Deux".to_string()];
    vec![
        chart("all-none", "Vide", bars(two(), vec![none.clone()], false)),
        chart("all-none-h", "Vide", bars(two(), vec![none.clone()], true)),
        chart("zeros", "Zéros", bars(two(), vec![zeros.clone()], false)),
        chart("zeros-h", "Zéros", bars(two(), vec![zeros.clone()], true)),
        chart("nan", "NaN", bars(two(), vec![nan.clone()], false)),
        chart(
            "no-categories",
            "Rien",
            bars(Vec::new(), vec![none.clone()], false),
        ),
        chart("no-series", "Rien", bars(two(), Vec::new(), true)),
        chart(
            "single",
            "Une catégorie",
            bars(
                vec!["Seule".into()],
                vec![series("S", SeriesRole::Primary, &[Some(42.0)])],
                false,
            ),
        ),
        chart(
            "single-h",
            "Une catégorie",
            bars(
                vec!["Seule".into()],
                vec![series("S", SeriesRole::Primary, &[Some(42.0)])],
                true,
            ),
        ),
        chart(
            "long-names",
            "Noms longs",
            bars(
                (0..9)
                    .map(|i| format!("Une catégorie au nom particulièrement long numéro {i}"))
                    .collect(),
                vec![series("S", SeriesRole::Primary, &[Some(1.0e6); 9])],
                false,
            ),
        ),
        chart(
            "lines-mixed",
            "Lignes vides et à zéro",
            ChartSpec::Lines {
                categories: two(),
                series: vec![none.clone(), zeros.clone()],
                unit: ValueUnit::Count,
            },
        ),
        chart(
            "lines-zero",
            "Lignes à zéro",
            ChartSpec::Lines {
                categories: two(),
                series: vec![zeros.clone()],
                unit: ValueUnit::Hours,
            },
        ),
        chart(
            "pareto-empty",
            "Pareto vide",
            ChartSpec::Pareto {
                points: Vec::new(),
                a_cutoff: 0.8,
                b_cutoff: 0.95,
                a_clients: 0.0,
                ab_clients: 0.0,
                x_label: "x".into(),
                y_label: "y".into(),
            },
        ),
        chart(
            "pareto-one",
            "Un client",
            ChartSpec::Pareto {
                points: vec![(1.0, 1.0)],
                a_cutoff: 0.8,
                b_cutoff: 0.95,
                a_clients: 1.0,
                ab_clients: 1.0,
                x_label: "x".into(),
                y_label: "y".into(),
            },
        ),
        chart(
            "funnel-zero",
            "Entonnoir vide",
            ChartSpec::Funnel {
                stages: vec!["Nouveaux".into(), "Gagnés".into()],
                counts: vec![0, 0],
            },
        ),
        chart(
            "funnel-none",
            "Entonnoir sans étapes",
            ChartSpec::Funnel {
                stages: Vec::new(),
                counts: Vec::new(),
            },
        ),
        chart(
            "timeline-reversed-dates",
            "Dates à l'envers",
            ChartSpec::Timeline {
                start: date("2025-12-31"),
                end: date("2025-01-01"),
                as_of: date("2026-06-30"),
                as_of_label: "aujourd'hui".into(),
                items: vec![TimelineItem {
                    label: "Fin avant le début".into(),
                    start: date("2025-09-30"),
                    end: date("2025-03-01"),
                    tone: Tone::Neutral,
                    dropped: false,
                }],
            },
        ),
        chart("bullets-empty", "Aucun indicateur", bullet_spec(Vec::new())),
        chart(
            "bullets-degenerate",
            "Valeurs extrêmes",
            bullet_spec(vec![
                bullet("Zéro", Some(0.0), Some(0.0), Some(0.0), true),
                bullet(
                    "NaN",
                    Some(f64::NAN),
                    Some(100.0),
                    Some(f64::INFINITY),
                    true,
                ),
                bullet("Négatif", Some(-50.0), Some(100.0), Some(-70.0), true),
                bullet(
                    "Dix fois l'objectif",
                    Some(1000.0),
                    Some(100.0),
                    Some(1300.0),
                    true,
                ),
                bullet(
                    "Un indicateur au nom particulièrement long qui ne tient pas",
                    None,
                    Some(100.0),
                    None,
                    false,
                ),
            ]),
        ),
        chart(
            "matrix-empty",
            "Matrice vide",
            ChartSpec::Matrix {
                corner: String::new(),
                rows: Vec::new(),
                columns: Vec::new(),
                cells: Vec::new(),
                legend: "Teinte".into(),
                legend_low: "0".into(),
                legend_high: "1".into(),
            },
        ),
        chart(
            "matrix-ragged",
            "Matrice incomplète",
            ChartSpec::Matrix {
                corner: "Classe".into(),
                rows: vec!["A".into(), "B".into()],
                columns: vec!["Un".into(), "Deux".into(), "Trois".into()],
                cells: vec![vec![MatrixCell {
                    lines: vec!["1 client".into()],
                    shade: Some(f64::NAN),
                }]],
                legend: "Teinte".into(),
                legend_low: "0".into(),
                legend_high: "1".into(),
            },
        ),
        chart(
            "timeline-one-day",
            "Un jour",
            ChartSpec::Timeline {
                start: date("2025-03-01"),
                end: date("2025-03-01"),
                as_of: date("2025-03-01"),
                as_of_label: "1er mars".into(),
                items: vec![TimelineItem {
                    label: "Jalon <important> & urgent".into(),
                    start: date("2025-03-01"),
                    end: date("2025-03-01"),
                    tone: Tone::Warning,
                    dropped: true,
                }],
            },
        ),
    ]
}

/// Parses the SVG and checks what every chart must have.
pub(super) fn check_svg(svg: &str, chart: &Chart) {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{}: invalid XML: {e}\n{svg}", chart.id));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(view_box[2], WIDTH * SCALE);
    assert!(
        view_box[3] > 40.0 * SCALE,
        "{}: height {}",
        chart.id,
        view_box[3]
    );
    assert!(root.attribute("width").is_none(), "scales to its container");
    let mut children = root.children().filter(|n| n.is_element());
    let title = children.next().unwrap();
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.text(), Some(chart.title.as_str()));
    let desc = children.next().unwrap();
    assert_eq!(desc.tag_name().name(), "desc");
    assert_eq!(desc.text(), Some(chart.alt.as_str()));
    let mut texts = 0;
    for node in root.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            let v = attr.value();
            assert!(
                !v.contains("NaN") && !v.contains("inf"),
                "{}: {}={v}",
                chart.id,
                attr.name()
            );
            if matches!(
                attr.name(),
                "x" | "y"
                    | "x1"
                    | "y1"
                    | "x2"
                    | "y2"
                    | "width"
                    | "height"
                    | "cx"
                    | "cy"
                    | "r"
                    | "font-size"
            ) {
                assert!(
                    v.parse::<f64>().is_ok_and(f64::is_finite),
                    "{}: {}={v}",
                    chart.id,
                    attr.name()
                );
            }
            if attr.name() == "points" {
                for n in v.split([' ', ',']).filter(|s| !s.is_empty()) {
                    assert!(
                        n.parse::<f64>().is_ok_and(f64::is_finite),
                        "{}: points {v}",
                        chart.id
                    );
                }
            }
        }
        if node.tag_name().name() == "text" {
            texts += 1;
            let family = node.attribute("font-family").unwrap_or_default();
            assert!(
                family.starts_with("Inter"),
                "{}: font-family {family}",
                chart.id
            );
            let size: f64 = node.attribute("font-size").unwrap().parse().unwrap();
            assert!(size >= FONT * SCALE, "{}: font-size {size}", chart.id);
        }
    }
    assert!(texts > 0, "{}: no text", chart.id);
}

/// What a reader would check: every label inside the picture, none over another.
pub(super) fn check_layout(ctx: &Ctx, chart: &Chart) {
    let scene = layout(ctx, &chart.spec);
    let boxes: Vec<(&Label, Bounds)> = scene.labels().map(|l| (l, l.bounds(ctx))).collect();
    for (l, (x0, y0, x1, y1)) in &boxes {
        assert!(
            *x0 >= -0.5 && *y0 >= -0.5 && *x1 <= scene.width + 0.5 && *y1 <= scene.height + 0.5,
            "{}: {:?} outside {}x{}: {:?}",
            chart.id,
            l.text,
            scene.width,
            scene.height,
            (x0, y0, x1, y1)
        );
    }
    for (i, (a, ba)) in boxes.iter().enumerate() {
        for (b, bb) in &boxes[i + 1..] {
            let overlap =
                ba.0 < bb.2 - 1.0 && bb.0 < ba.2 - 1.0 && ba.1 < bb.3 - 1.0 && bb.1 < ba.3 - 1.0;
            assert!(!overlap, "{}: {:?} overlaps {:?}", chart.id, a.text, b.text);
        }
    }
}

/// The samples of one kind of chart draw valid, accessible SVG and lay their labels out
/// inside the picture without overlaps, in both languages: the check every kind's tests
/// run on its own samples.
pub(super) fn samples_of_a_kind_read_well(is_kind: fn(&ChartSpec) -> bool) {
    use crate::render::charts::style::Ctx;
    use crate::render::charts::{ChartStyle, render_svg};
    use crate::vocab::Language;
    for language in [Language::Fr, Language::En] {
        let fmt = Formatter::new(language);
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let charts: Vec<Chart> = samples(&fmt)
            .into_iter()
            .chain(degenerate())
            .filter(|c| is_kind(&c.spec))
            .collect();
        assert!(!charts.is_empty());
        for c in &charts {
            check_svg(&render_svg(c, &style, &fmt), c);
            check_layout(&ctx, c);
        }
    }
}
