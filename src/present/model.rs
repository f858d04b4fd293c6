//! The report model: what a report says, as plain serialisable data.
//!
//! Both renderers (HTML through Tera, PDF through Typst) see only this model, so they
//! cannot disagree on a figure or a sentence. Everything in it is already decided and
//! formatted for the reader's language: texts are translated, figures are strings
//! (`1 234 567 €`), tones say how a figure reads (good / bad). It holds no HTML and no
//! Typst markup: notes are Markdown, which each renderer converts safely.

use chrono::NaiveDate;
use serde::Serialize;

use crate::assess::{FindingId, Severity};
use crate::rules::RuleId;
use crate::vocab::Language;

/// A whole deliverable: the engagement report or a salesperson's scorecard.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The document's language (`fr`, `en`), for its language attribute and hyphenation.
    pub lang: Language,
    pub kind: ReportKind,
    pub meta: Meta,
    pub brand: BrandView,
    /// Fixed interface labels the templates need (table of contents, page, ...).
    pub labels: UiLabels,
    pub sections: Vec<Section>,
    /// Charts referenced by [`Block::Chart`], in order of appearance.
    pub charts: Vec<Chart>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Report,
    Scorecard,
}

/// The cover and running header.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub subtitle: String,
    pub client: String,
    pub consultant: Option<String>,
    /// "Données au 30 septembre 2025".
    pub as_of_label: String,
    /// The data cut-off, for document metadata (written as an ISO date).
    pub as_of: NaiveDate,
    /// "Exercice du 1er janvier au 31 décembre 2025".
    pub fiscal_year_label: String,
    /// The share of the fiscal year elapsed at the cut-off, in [0, 1]: every progress bar
    /// marks it, so that 74 % at 75 % of the year reads as on track.
    pub elapsed_share: f64,
    /// The salesperson of a scorecard.
    pub rep: Option<String>,
    /// "levier 0.1.0".
    pub generator: String,
}

/// The brand as the templates need it.
#[derive(Debug, Clone, Serialize)]
pub struct BrandView {
    pub name: String,
    pub primary: String,
    pub accent: String,
    pub text: String,
    pub muted: String,
    pub footer: Option<String>,
    /// `svg` or `png` when the brand has a logo; the renderers embed the bytes.
    pub logo: Option<&'static str>,
    pub body_font: Option<String>,
    pub heading_font: Option<String>,
}

/// Interface labels.
#[derive(Debug, Clone, Serialize)]
pub struct UiLabels {
    pub contents: String,
    pub page: String,
    pub of: String,
    pub prepared_by: String,
    pub not_available: String,
    pub figure: String,
    pub table: String,
    pub source: String,
    pub back_to_top: String,
    pub scorecards: String,
    /// The link to the same document as PDF.
    pub pdf: String,
}

/// A numbered section of the report, following the method.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Anchor id, stable and ASCII: `diagnostic-portfolio`.
    pub id: String,
    /// "3.2".
    pub number: String,
    pub title: String,
    /// 1 for top-level sections, 2 for sub-sections.
    pub level: u8,
    pub blocks: Vec<Block>,
    pub children: Vec<Section>,
}

/// One piece of content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Plain text written by levier (already translated).
    Paragraph {
        text: String,
    },
    /// The consultant's own writing, as Markdown (untrusted: renderers sanitise).
    Note {
        title: Option<String>,
        markdown: String,
    },
    /// Headline figures.
    Kpis {
        tiles: Vec<Kpi>,
    },
    Table(Table),
    /// A chart of [`Report::charts`], by id.
    Chart {
        id: String,
    },
    /// Improvement points. `full` is the complete list (each finding gets its anchor
    /// there); elsewhere (the synthesis) findings link to it.
    Findings {
        items: Vec<FindingView>,
        full: bool,
    },
    /// The data for this part is missing: one line instead of empty tables.
    Unavailable {
        text: String,
    },
    /// A highlighted remark.
    Callout {
        tone: Tone,
        title: String,
        text: String,
    },
    /// Term / definition pairs (the annex on how figures are computed).
    Definitions {
        items: Vec<Definition>,
    },
    /// The synthesis' key messages: each the sentence of a top finding with its money at
    /// stake and a pointer to the card that argues it, then their total at stake.
    KeyMessages {
        title: String,
        items: Vec<KeyMessage>,
        total: Option<String>,
    },
}

impl Block {
    /// The block's `type` in the model's data (`paragraph`, `kpis`, ...): what a
    /// template tests, and what a renderer's view of the block keeps.
    pub fn kind(&self) -> &'static str {
        match self {
            Block::Paragraph { .. } => "paragraph",
            Block::Note { .. } => "note",
            Block::Kpis { .. } => "kpis",
            Block::Table(_) => "table",
            Block::Chart { .. } => "chart",
            Block::Findings { .. } => "findings",
            Block::Unavailable { .. } => "unavailable",
            Block::Callout { .. } => "callout",
            Block::Definitions { .. } => "definitions",
            Block::KeyMessages { .. } => "key_messages",
        }
    }
}

/// How a figure reads for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Good,
    Bad,
    Warning,
    Neutral,
}

/// A headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Kpi {
    pub label: String,
    pub value: String,
    /// A second line: "objectif 240 000 € · 73 %", "+1,1 % sur un an".
    pub detail: Option<String>,
    pub tone: Tone,
    /// Achievement in [0, 1+] for a progress bar, when there is an objective.
    pub progress: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Right,
    Center,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub label: String,
    pub align: Align,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
    /// A second, smaller line under the text: what an action answers, under its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A total or highlighted row.
    pub emphasis: bool,
}

/// A table with a caption; long tables break across pages with repeated headers.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// A line under the table (source, definition, what was left out).
    pub note: Option<String>,
}

/// An improvement point as the reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub id: FindingId,
    pub rule: RuleId,
    pub severity: Severity,
    pub severity_label: String,
    pub title: String,
    pub explanation: String,
    /// "En jeu : 409 950 €", when the finding can be priced.
    pub at_stake: Option<String>,
    /// Suggested levers: label and description in the report's language.
    pub levers: Vec<LeverView>,
    /// "Répondu par A2, A7" or "pas encore couvert par le plan".
    pub coverage: String,
    pub covered: bool,
}

/// One key message of the synthesis.
#[derive(Debug, Clone, Serialize)]
pub struct KeyMessage {
    /// The finding that argues it: the HTML links to `#finding-<id>`, the PDF prints its
    /// page.
    pub finding: FindingId,
    pub title: String,
    pub text: String,
    /// "En jeu : 409 950 €".
    pub at_stake: Option<String>,
    /// "voir" / "see", before the finding id and its page.
    pub see: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeverView {
    pub id: String,
    pub label: String,
    /// One sentence fitted to the finding (the catalogue's description is in the annex).
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub term: String,
    pub text: String,
    /// An anchor other pages link to (`lever-key_accounts`).
    pub anchor: Option<String>,
}

/// A chart: what to draw, independent of how. Drawn once to SVG and used by both
/// renderers. Values are plain numbers (display only; the exact figures are in the
/// tables and metrics.json).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// A text alternative: what the chart shows, in one or two sentences with figures.
    pub alt: String,
    pub spec: ChartSpec,
}

/// How values on an axis are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueUnit {
    /// Money in the report's currency (axis ticks compact: `850 k€`).
    Money,
    /// A share in [0, 1], written as a percentage.
    Percent,
    Count,
    Hours,
}

/// The colour role of a series; the chart renderer maps roles to brand colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesRole {
    /// The main figure (brand primary).
    Primary,
    /// A comparison (FY-1, the objective): muted.
    Comparison,
    /// A highlight (brand accent).
    Accent,
    Good,
    Bad,
    /// A year-end projection: the main colour, dashed (it is not measured yet).
    Projection,
    /// An objective or its path: the accent colour, thin, so it reads as a target.
    Objective,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub name: String,
    pub role: SeriesRole,
    /// One value per category; `None` where there is no figure.
    pub values: Vec<Option<f64>>,
}

/// A dated bar of the action timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub tone: Tone,
    /// A dropped action: still shown, so every action of the plan is on the calendar,
    /// but greyed.
    pub dropped: bool,
}

/// One indicator of a bullet chart: the actual figure against its objective, its
/// year-end landing and last year, drawn on the scale of its reference (the objective,
/// else last year's full year, else last year's same period), so that every row shares
/// the 0–100 % axis and the elapsed-year marker means the same on each.
#[derive(Debug, Clone, Serialize)]
pub struct Bullet {
    pub label: String,
    /// The actual figure as the report's tables write it.
    pub value: String,
    pub actual: Option<f64>,
    pub objective: Option<f64>,
    /// The year-end landing; `None` for rates, which are not projected.
    pub projection: Option<f64>,
    /// Last year to the same date.
    pub last_year: Option<f64>,
    /// Last year's full fiscal year.
    pub last_year_full: Option<f64>,
    /// A figure that adds up over the year (money, counts): the elapsed-year marker
    /// applies to it. A rate is judged against its objective at any date.
    pub cumulative: bool,
    /// What the row says, at its right: "74 % de l'objectif"; a line feed marks where
    /// its lines break.
    pub status: String,
    pub tone: Tone,
}

/// The names of a bullet chart's marks, for its legend.
#[derive(Debug, Clone, Serialize)]
pub struct BulletLegend {
    pub actual: String,
    pub projection: String,
    pub objective: String,
    pub last_year: String,
    pub last_year_full: String,
}

/// One cell of a matrix: its text lines and its shade in [0, 1] (`None`: blank).
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    pub lines: Vec<String>,
    pub shade: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChartSpec {
    /// Bars per category, one bar per series (grouped), vertical or horizontal. An
    /// optional reference line (the overall rate, the target).
    Bars {
        categories: Vec<String>,
        series: Vec<Series>,
        unit: ValueUnit,
        horizontal: bool,
        reference: Option<Reference>,
    },
    /// Lines over categories (months).
    Lines {
        categories: Vec<String>,
        series: Vec<Series>,
        unit: ValueUnit,
    },
    /// The Pareto curve: cumulative revenue share (y) against the share of clients
    /// (x), both in [0, 1], with the class cut-offs.
    Pareto {
        points: Vec<(f64, f64)>,
        a_cutoff: f64,
        b_cutoff: f64,
        /// Share of clients in A and in A+B (x positions of the class boundaries).
        a_clients: f64,
        ab_clients: f64,
        x_label: String,
        y_label: String,
    },
    /// A funnel: decreasing horizontal bars with counts and the share of the first.
    Funnel {
        stages: Vec<String>,
        counts: Vec<u64>,
    },
    /// A Gantt of actions with a marker at `as_of`.
    Timeline {
        start: NaiveDate,
        end: NaiveDate,
        as_of: NaiveDate,
        as_of_label: String,
        items: Vec<TimelineItem>,
    },
    /// Bullet charts, one row per indicator, with the share of the year elapsed
    /// (`elapsed`, in [0, 1]) marked on every cumulative row.
    Bullets {
        rows: Vec<Bullet>,
        elapsed: f64,
        /// "75 % de l'exercice écoulé".
        elapsed_label: String,
        legend: BulletLegend,
    },
    /// A heat map: rows × columns of cells shaded by what `legend` names, with the
    /// shade's lowest and highest values written at the legend's ends.
    Matrix {
        corner: String,
        rows: Vec<String>,
        columns: Vec<String>,
        cells: Vec<Vec<MatrixCell>>,
        legend: String,
        legend_low: String,
        legend_high: String,
    },
}

/// A horizontal (or vertical, for horizontal bars) line across a bar chart.
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub value: f64,
    pub label: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_kind_is_the_type_templates_read() {
        let text = || String::new();
        let blocks = [
            Block::Paragraph { text: text() },
            Block::Note {
                title: None,
                markdown: text(),
            },
            Block::Kpis { tiles: vec![] },
            Block::Table(Table {
                id: text(),
                caption: text(),
                columns: vec![],
                rows: vec![],
                note: None,
            }),
            Block::Chart { id: text() },
            Block::Findings {
                items: vec![],
                full: true,
            },
            Block::Unavailable { text: text() },
            Block::Callout {
                tone: Tone::Neutral,
                title: text(),
                text: text(),
            },
            Block::Definitions { items: vec![] },
            Block::KeyMessages {
                title: text(),
                items: vec![],
                total: None,
            },
        ];
        for block in &blocks {
            let json = serde_json::to_value(block).unwrap();
            assert_eq!(json["type"], block.kind(), "{json}");
        }
    }
}
