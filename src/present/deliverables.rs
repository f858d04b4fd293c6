//! What a build delivers for one engagement, decided once: the report and one scorecard
//! per salesperson, their file names, the links between them, and the engagement's line
//! on the output folder's index page.
//!
//! Every output (HTML, PDF, metrics.json) is written from [`Deliverables`], so no
//! renderer decides a file name, orders links or formats a figure of the index: adding
//! a format means adding its links here, and nothing else moves.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::builder::Builder;
use super::model::Report;
use crate::assess::Measured;
use crate::diagnostic::Diagnostic;
use crate::engagement::Engagement;

/// An output format of `levier build --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
#[value(rename_all = "lowercase")]
pub enum Format {
    /// The report and scorecards as self-contained HTML pages, and the index page.
    Html,
    /// The report and scorecards as PDF/A-2b documents.
    Pdf,
    /// Every figure in metrics.json.
    Json,
    /// The report's tables in tables.xlsx, numbers and dates typed.
    Xlsx,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }

    /// The formats this version of levier can produce (the default of `--format`).
    pub fn available() -> Vec<Format> {
        vec![Format::Html, Format::Pdf, Format::Json, Format::Xlsx]
    }

    /// Refuses formats this version cannot produce yet, as a usage error.
    pub fn check_available(formats: &[Format]) -> Result<(), Box<Diagnostic>> {
        let available = Format::available();
        match formats.iter().find(|f| !available.contains(f)) {
            Some(f) => Err(Box::new(
                Diagnostic::error(format!(
                    "the {} output is not available in levier {}",
                    f.name(),
                    env!("CARGO_PKG_VERSION")
                ))
                .note(format!(
                    "available formats: {}",
                    available
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A link between deliverables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub name: String,
    pub href: String,
}

/// One engagement on `output/index.html`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub slug: String,
    pub client: String,
    pub title: String,
    pub as_of_label: String,
    pub figures: Vec<IndexFigure>,
    pub links: Vec<Link>,
    /// What changed since the last recorded measurement, one line per change, in the
    /// report's words (empty without a record).
    #[serde(default)]
    pub since_last: Vec<String>,
}

/// A headline figure of the index page, formatted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexFigure {
    pub label: String,
    pub value: String,
}

/// Where an HTML page's navigation leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    /// From the report: each salesperson's scorecard page.
    pub scorecards: Vec<Link>,
    /// From a scorecard: back to the report page.
    pub report: Option<String>,
    /// The same document as PDF, when the build writes it.
    pub pdf: Option<String>,
}

/// One document of the engagement: the report or a scorecard.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its path in the engagement's output folder, without extension (`report`,
    /// `scorecards/jd`); each format adds its own.
    pub stem: String,
    pub report: Report,
    pub navigation: Navigation,
}

impl Document {
    /// The document's file in `format` (`scorecards/jd.pdf`).
    pub fn file(&self, format: Format) -> String {
        format!("{}.{}", self.stem, format.name())
    }
}

/// Everything a build writes for one engagement, decided once.
#[derive(Debug, Clone)]
pub struct Deliverables {
    /// The formats asked for.
    pub formats: Vec<Format>,
    pub report: Document,
    /// One per salesperson, in [`super::scorecard::reps`] order.
    pub scorecards: Vec<Document>,
    /// The engagement's line on the index page, its links prefixed by the slug.
    pub index: IndexEntry,
    /// What presenting found in the consultant's text: an unknown figure in a note is an
    /// error, a hand-typed figure that drifts from the data a warning.
    pub diagnostics: Vec<Diagnostic>,
    /// The headline figures with their labels, unformatted, for outputs that keep
    /// numbers as numbers (the spreadsheet's first sheet).
    pub headline: Headline,
}

/// The headline figures: labels in the report's words (overrides included), values exact.
#[derive(Debug, Clone)]
pub struct Headline {
    /// The summary section's title, for the sheet that holds them.
    pub title: String,
    pub figures: Vec<HeadlineFigure>,
}

#[derive(Debug, Clone)]
pub struct HeadlineFigure {
    pub label: String,
    /// `None` when the figure cannot be computed (growth without a previous year).
    pub value: Option<rust_decimal::Decimal>,
    pub unit: super::model::ValueUnit,
}

impl Deliverables {
    /// The report, then the scorecards.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        std::iter::once(&self.report).chain(&self.scorecards)
    }

    pub fn has(&self, format: Format) -> bool {
        self.formats.contains(&format)
    }
}

/// The file name of a salesperson's scorecard, without extension: their id folded to
/// ASCII (loading refuses two ids that fold to the same name).
pub fn scorecard_stem(rep: &str) -> String {
    super::model_id(rep)
}

/// Decides what a build of `formats` delivers for an engagement.
pub fn deliverables(e: &Engagement, measured: &Measured, formats: &[Format]) -> Deliverables {
    let b = Builder::new(e, measured);
    let diagnostics = b.note_diagnostics.take();
    let html = formats.contains(&Format::Html);
    let pdf = formats.contains(&Format::Pdf);
    let report = super::report::build_with(&b);
    let cards: Vec<(String, Report)> = b
        .reps()
        .into_iter()
        .map(|rep| {
            let card = super::scorecard::build_with(&b, &rep);
            (rep, card)
        })
        .collect();
    let card_name = |rep: &str, card: &Report| card.meta.rep.clone().unwrap_or_else(|| rep.into());
    let card_links: Vec<Link> = cards
        .iter()
        .map(|(rep, card)| Link {
            name: card_name(rep, card),
            href: format!("scorecards/{}.html", scorecard_stem(rep)),
        })
        .collect();
    let scorecards: Vec<Document> = cards
        .iter()
        .map(|(rep, card)| Document {
            stem: format!("scorecards/{}", scorecard_stem(rep)),
            report: card.clone(),
            navigation: Navigation {
                scorecards: Vec::new(),
                report: Some("../report.html".into()),
                pdf: pdf.then(|| format!("{}.pdf", scorecard_stem(rep))),
            },
        })
        .collect();

    // The index page links what was built: the report (HTML, then PDF), the scorecards
    // (their pages, or their PDFs when there are no pages), metrics.json.
    let report_label = b.t("report.ui.report");
    let mut links = Vec::new();
    if html {
        links.push(Link {
            name: report_label.clone(),
            href: "report.html".into(),
        });
    }
    if pdf {
        links.push(Link {
            name: format!("{report_label} (PDF)"),
            href: "report.pdf".into(),
        });
    }
    if html {
        links.extend(card_links.iter().cloned());
    } else if pdf {
        links.extend(cards.iter().map(|(rep, card)| Link {
            name: format!("{} (PDF)", card_name(rep, card)),
            href: format!("scorecards/{}.pdf", scorecard_stem(rep)),
        }));
    }
    if formats.contains(&Format::Json) {
        links.push(Link {
            name: "metrics.json".into(),
            href: "metrics.json".into(),
        });
    }
    if formats.contains(&Format::Xlsx) {
        links.push(Link {
            name: "tables.xlsx".into(),
            href: "tables.xlsx".into(),
        });
    }
    let index = index_entry(&b, &report, links);
    Deliverables {
        formats: formats.to_vec(),
        report: Document {
            stem: "report".into(),
            navigation: Navigation {
                scorecards: if html { card_links } else { Vec::new() },
                report: None,
                pdf: pdf.then(|| "report.pdf".into()),
            },
            report,
        },
        scorecards,
        index,
        diagnostics,
        headline: headline(&b),
    }
}

fn headline(b: &Builder<'_>) -> Headline {
    use super::model::ValueUnit;
    let revenue = &b.m.revenue.figures;
    let figure = |key: &str, value: Option<rust_decimal::Decimal>, unit| HeadlineFigure {
        label: b.t(key),
        value,
        unit,
    };
    Headline {
        title: b.t("report.sections.synthesis"),
        figures: vec![
            figure(
                "report.kpi.revenue",
                Some(revenue.total.0),
                ValueUnit::Money,
            ),
            figure(
                "report.col.same_period_fy_1",
                Some(revenue.previous_to_date.0),
                ValueUnit::Money,
            ),
            figure(
                "report.col.growth",
                revenue.growth.map(|g| g.0),
                ValueUnit::Percent,
            ),
            figure(
                "report.kpi.new_clients",
                Some(rust_decimal::Decimal::from(b.m.clients.new)),
                ValueUnit::Count,
            ),
            figure(
                "report.sections.improvement",
                Some(rust_decimal::Decimal::from(b.a.findings.len())),
                ValueUnit::Count,
            ),
        ],
    }
}

/// The engagement's line on the index page: headline figures and links.
fn index_entry(b: &Builder<'_>, report: &Report, links: Vec<Link>) -> IndexEntry {
    let m = b.m;
    let slug = &b.e.slug;
    let revenue = &m.revenue.figures;
    IndexEntry {
        slug: slug.clone(),
        client: report.meta.client.clone(),
        title: report.meta.title.clone(),
        as_of_label: report.meta.as_of_label.clone(),
        figures: vec![
            IndexFigure {
                label: b.t("report.kpi.revenue"),
                value: b.money(revenue.total),
            },
            IndexFigure {
                label: b.t("report.col.growth"),
                value: b.growth(revenue.growth),
            },
            IndexFigure {
                label: b.t("report.kpi.new_clients"),
                value: b.count(m.clients.new),
            },
            IndexFigure {
                label: b.t("report.sections.improvement"),
                value: b.count(b.a.findings.len()),
            },
        ],
        since_last: super::sections::evolution::summary_lines(b),
        links: links
            .into_iter()
            .map(|l| Link {
                name: l.name,
                href: format!("{slug}/{}", l.href),
            })
            .collect(),
    }
}
