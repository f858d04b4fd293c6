//! Rendering, the last stage: the documents present decided ([`Deliverables`]) to files.
//!
//! Each output format is an [`Output`], like mdBook's `Renderer`: it names its
//! [`Format`] and turns a [`Job`] (one engagement's deliverables, its figures and the
//! charts drawn for it) into files. The build hands the same job to every output asked
//! for; no output decides a file name, a link or a figure, which present did once.
//!
//! - [`json`]: metrics.json, from the figures and their assessment;
//! - [`html`]: one self-contained page per document (Tera);
//! - [`pdf`]: one PDF/A-2b per document (Typst, in the in-memory [`world`]);
//! - [`xlsx`]: tables.xlsx, the report's and scorecards' tables as typed cells;
//! - [`charts`]: every chart drawn once to SVG, shown by both HTML and PDF;
//! - [`view`]: the typed views templates read; [`notes`]: the consultant's Markdown made
//!   safe for each output under one policy; [`text_metrics`]: text widths in Inter;
//!   [`breaks`]: break opportunities in over-long words, for the PDF.

pub mod breaks;
pub mod charts;
pub mod html;
pub mod html_fonts;
pub mod json;
pub mod notes;
pub mod pdf;
pub mod text_metrics;
pub mod view;
pub mod world;
pub mod xlsx;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::assess::Measured;
use crate::diagnostic::Diagnostic;
use crate::engagement::Engagement;
use crate::i18n::Formatter;
use crate::present::deliverables::{Deliverables, Document, Format};
use crate::templates::Templates;

/// Files an output wrote, in memory, by path in the engagement's output folder, and the
/// warnings found on the way (a Typst template's warnings).
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    pub warnings: Vec<Diagnostic>,
}

/// One output format of a build.
pub trait Output: Sync {
    fn format(&self) -> Format;

    /// The files of one engagement in this format.
    fn render(&self, job: &Job<'_>) -> Result<Rendered, Vec<Diagnostic>>;
}

/// What every output of one engagement reads.
pub struct Job<'a> {
    pub engagement: &'a Engagement,
    pub measured: &'a Measured,
    pub deliverables: &'a Deliverables,
    pub renderers: &'a Renderers,
    /// Each document's charts by chart id, in [`Deliverables::documents`] order; drawn
    /// on first use, once for every output that shows them.
    charts: OnceLock<Vec<BTreeMap<String, charts::ChartArt>>>,
}

impl<'a> Job<'a> {
    pub fn new(
        engagement: &'a Engagement,
        measured: &'a Measured,
        deliverables: &'a Deliverables,
        renderers: &'a Renderers,
    ) -> Job<'a> {
        Job {
            engagement,
            measured,
            deliverables,
            renderers,
            charts: OnceLock::new(),
        }
    }

    /// Each document's charts, drawn in the brand's colours and the report's language.
    pub fn charts(&self) -> &[BTreeMap<String, charts::ChartArt>] {
        self.charts.get_or_init(|| {
            let _span = crate::timings::span("charts (svg)");
            let e = self.engagement;
            let documents: Vec<&Document> = self.deliverables.documents().collect();
            documents
                .par_iter()
                .map(|d| draw_charts(e, &d.report))
                .collect()
        })
    }
}

/// Draws a report's charts, in the brand's colours and the report's language.
pub fn draw_charts(
    e: &Engagement,
    report: &crate::present::model::Report,
) -> BTreeMap<String, charts::ChartArt> {
    let style = charts::ChartStyle::from_brand(&report.brand, &e.info.currency);
    let fmt = Formatter::new(e.info.language);
    charts::render_all(&report.charts, &style, &fmt)
        .into_iter()
        .collect()
}

/// What renderers share across the engagements of one workspace: its templates, parsed
/// once.
pub struct Renderers {
    pub templates: Templates,
    /// The workspace's labels and lever texts ([`Templates::texts`]), which build gives
    /// each engagement it loads.
    pub texts: std::sync::Arc<crate::i18n::Texts>,
    pub html: html::HtmlRenderer,
    pub pdf: pdf::PdfRenderer,
}

impl Renderers {
    pub fn new(templates: Templates) -> Result<Renderers, Diagnostic> {
        configure_thread_pool();
        let html = html::HtmlRenderer::new(&templates)?;
        let pdf = pdf::PdfRenderer::new(&templates);
        Ok(Renderers {
            texts: templates.texts().0,
            templates,
            html,
            pdf,
        })
    }

    /// The outputs of `formats`, in the order their files are listed: metrics.json,
    /// the pages, the PDFs.
    pub fn outputs(&self, formats: &[Format]) -> Vec<&'static dyn Output> {
        const ALL: [&dyn Output; 4] = [
            &json::JsonOutput,
            &html::HtmlOutput,
            &pdf::PdfOutput,
            &xlsx::XlsxOutput,
        ];
        ALL.into_iter()
            .filter(|o| formats.contains(&o.format()))
            .collect()
    }

    /// Every file of `formats` for one engagement, in memory.
    pub fn render(&self, job: &Job<'_>, formats: &[Format]) -> Result<Rendered, Vec<Diagnostic>> {
        let mut all = Rendered::default();
        for output in self.outputs(formats) {
            let _span = crate::timings::span(match output.format() {
                Format::Json => "metrics.json",
                Format::Html => "html",
                Format::Pdf => "pdf (all documents)",
                Format::Xlsx => "tables.xlsx",
            });
            let rendered = output.render(job)?;
            all.files.extend(rendered.files);
            all.warnings.extend(rendered.warnings);
        }
        Ok(all)
    }
}

/// Sets rayon's pool up for Typst, once, before anything renders: its workers get the
/// stack PDF compilation threads have, and a panic in a job Typst or the PDF writer hands
/// to the pool without waiting for it is reported by that job's owner instead of
/// aborting the process (rayon's default). Ignored when the pool is already running.
fn configure_thread_pool() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(pdf::COMPILER_STACK)
            .panic_handler(|_| {})
            .build_global();
    });
}

/// Diagnostics without repeats, in their first order.
fn dedup(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the examples; with `LEVIER_PREVIEW=dir`, writes them there to look at.
    #[test]
    fn examples_render_to_html() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let renderers = Renderers::new(Templates::builtin()).expect("built-in templates parse");
        let formats = [Format::Html, Format::Json];
        for slug in ["vidal-equipements", "groupe-ferrand"] {
            let e = crate::engagement::load(&root.join("engagements").join(slug), Some(root))
                .engagement
                .expect("example loads");
            let (m, _) = crate::assess::measure(&e);
            let d = crate::present::deliverables(&e, &m, &formats);
            let job = Job::new(&e, &m, &d, &renderers);
            let rendered = renderers.render(&job, &formats).expect("renders");
            assert!(rendered.files.iter().any(|(n, _)| n == "report.html"));
            assert!(rendered.files.iter().any(|(n, _)| n == "metrics.json"));
            assert!(!rendered.files.iter().any(|(n, _)| n.ends_with(".pdf")));
            if let Ok(dir) = std::env::var("LEVIER_PREVIEW") {
                for (name, bytes) in &rendered.files {
                    let path = std::path::Path::new(&dir).join(slug).join(name);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(path, bytes).unwrap();
                }
            }
        }
    }
}
