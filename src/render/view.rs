//! The report model as a renderer hands it to its templates: typed views that borrow the
//! model and add the renderer's own extras to each block.
//!
//! Templates (Tera for HTML, Typst for PDF) read the report as data. Each renderer needs
//! a little more than the model holds (the HTML a note becomes, a chart's SVG, a PDF
//! table's column widths), and it adds it here, to a typed view, rather than by
//! re-walking the serialised model by string keys: renaming a field of the model then
//! fails to compile instead of silently emptying a page. A block's view serialises as the
//! model's block with the extras beside its fields (`#[serde(flatten)]`), so templates
//! see the same data they always have.

use serde::Serialize;

use crate::present::model::{
    Block, BrandView, Chart, Kpi, Meta, Report, ReportKind, Section, UiLabels,
};
use crate::vocab::Language;

/// A report with every block given its renderer's extras `X`.
#[derive(Debug, Serialize)]
pub struct ReportView<'a, X: Serialize> {
    pub lang: Language,
    pub kind: ReportKind,
    pub meta: &'a Meta,
    pub brand: &'a BrandView,
    pub labels: &'a UiLabels,
    pub sections: Vec<SectionView<'a, X>>,
    pub charts: &'a [Chart],
}

/// A section of a [`ReportView`].
#[derive(Debug, Serialize)]
pub struct SectionView<'a, X: Serialize> {
    pub id: &'a str,
    pub number: &'a str,
    pub title: &'a str,
    pub level: u8,
    pub blocks: Vec<X>,
    pub children: Vec<SectionView<'a, X>>,
}

/// A block of the model with a renderer's extras beside its fields.
#[derive(Debug, Serialize)]
pub struct BlockView<'a, E: Serialize> {
    #[serde(flatten)]
    pub block: &'a Block,
    #[serde(flatten)]
    pub extra: E,
}

/// A headline figure with a renderer's extras beside its fields.
#[derive(Debug, Serialize)]
pub struct KpiView<'a, E: Serialize> {
    #[serde(flatten)]
    pub kpi: &'a Kpi,
    #[serde(flatten)]
    pub extra: E,
}

impl<'a, X: Serialize> ReportView<'a, X> {
    /// The view of `report`, each block given `view(block, section)`, in reading order
    /// (a section's blocks, then its sub-sections'), the order a renderer numbers the
    /// files it adds.
    pub fn new(report: &'a Report, mut view: impl FnMut(&'a Block, &'a Section) -> X) -> Self {
        ReportView {
            lang: report.lang,
            kind: report.kind,
            meta: &report.meta,
            brand: &report.brand,
            labels: &report.labels,
            sections: report
                .sections
                .iter()
                .map(|s| SectionView::new(s, &mut view))
                .collect(),
            charts: &report.charts,
        }
    }
}

impl<'a, X: Serialize> SectionView<'a, X> {
    fn new(section: &'a Section, view: &mut impl FnMut(&'a Block, &'a Section) -> X) -> Self {
        // Sections nest as deep as the report model makes them (two levels): the input
        // decides nothing here.
        SectionView {
            id: &section.id,
            number: &section.number,
            title: &section.title,
            level: section.level,
            blocks: section.blocks.iter().map(|b| view(b, section)).collect(),
            children: section
                .children
                .iter()
                .map(|c| SectionView::new(c, view))
                .collect(),
        }
    }
}

/// The chart a [`Block::Chart`] refers to.
pub fn chart<'a>(report: &'a Report, block: &Block) -> Option<&'a Chart> {
    match block {
        Block::Chart { id } => report.charts.iter().find(|c| &c.id == id),
        _ => None,
    }
}
