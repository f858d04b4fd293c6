//! Rendering: the report model to files (HTML, PDF, and metrics.json from the metrics).
//!
//! Charts are drawn once per report and used by every output that shows them. PDFs of
//! one engagement (the report and each scorecard) are compiled in parallel.

pub mod charts;
pub mod html;
pub mod pdf;
pub mod world;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::assess::Measured;
use crate::diagnostic::Diagnostic;
use crate::engagement::Engagement;
use crate::engagement::brand::LogoKind;
use crate::present::model::Report;
use crate::present::{self, model_id};
use crate::templates::Templates;

/// An output format of `levier build --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Html,
    Pdf,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }
}

/// What renderers share across the engagements of one workspace.
pub struct Renderers {
    pub templates: Templates,
    pub html: html::HtmlRenderer,
    pub pdf: pdf::PdfRenderer,
}

impl Renderers {
    pub fn new(templates: Templates) -> Result<Renderers, Diagnostic> {
        let html = html::HtmlRenderer::new(&templates)?;
        let pdf = pdf::PdfRenderer::new(&templates);
        Ok(Renderers {
            templates,
            html,
            pdf,
        })
    }
}

/// One engagement's outputs, in memory, and its line on the index page.
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    pub index: html::IndexEntry,
    /// Warnings found while rendering (a Typst template's warnings).
    pub warnings: Vec<Diagnostic>,
}

/// The file name of a salesperson's scorecard (without extension).
pub fn scorecard_name(rep: &str) -> String {
    model_id(rep)
}

fn assets_for(e: &Engagement, charts: BTreeMap<String, String>) -> html::Assets {
    let logo = e.brand.logo.as_ref().map(|l| {
        let mime = match l.kind {
            LogoKind::Svg => "image/svg+xml",
            LogoKind::Png => "image/png",
        };
        html::data_uri(mime, &l.bytes)
    });
    let images = e
        .notes
        .iter()
        .flat_map(|n| n.images.iter())
        .map(|(src, img)| (src.clone(), html::data_uri(img.mime, &img.bytes)))
        .collect();
    html::Assets {
        logo,
        fonts_css: fonts_css(e),
        images,
        charts,
    }
}

/// Draws a report's charts to SVG, in the brand's colours and the report's language.
pub fn draw_charts(e: &Engagement, report: &Report) -> BTreeMap<String, String> {
    let style = charts::ChartStyle::from_brand(&report.brand, &e.info.currency);
    let fmt = crate::i18n::Formatter::new(e.info.language);
    charts::render_all(&report.charts, &style, &fmt)
        .into_iter()
        .collect()
}

/// `@font-face` rules embedding the brand's font files.
fn fonts_css(e: &Engagement) -> String {
    let mut css = String::new();
    for f in &e.brand.font_files {
        let lower = f.file.to_ascii_lowercase();
        let mime = if lower.ends_with(".otf") {
            "font/otf"
        } else {
            "font/ttf"
        };
        let Ok(face) = ttf_parser::Face::parse(&f.bytes, 0) else {
            continue;
        };
        let family = face
            .names()
            .into_iter()
            .find(|n| {
                n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY
                    || n.name_id == ttf_parser::name_id::FAMILY
            })
            .and_then(|n| n.to_string());
        let Some(family) = family else { continue };
        let family = family.replace(['"', '\\', '<', '>'], "");
        css.push_str(&format!(
            "@font-face {{ font-family: \"{family}\"; src: url({}); font-weight: {}; font-style: {}; }}\n",
            html::data_uri(mime, &f.bytes),
            face.weight().to_number(),
            if face.is_italic() { "italic" } else { "normal" },
        ));
    }
    let var = |name: &str, family: &Option<String>| {
        family
            .as_ref()
            .map(|f| {
                format!(
                    "--{name}: \"{}\";",
                    f.replace(['"', '\\', '<', '>', ';', '}'], "")
                )
            })
            .unwrap_or_default()
    };
    let vars = format!(
        "{}{}",
        var("body-font", &e.brand.body_font),
        var("heading-font", &e.brand.heading_font)
    );
    if !vars.is_empty() {
        css.push_str(&format!(":root {{ {vars} }}\n"));
    }
    css
}

/// Produces every requested output of an engagement, in memory.
pub fn render(
    e: &Engagement,
    m: &Measured,
    formats: &[Format],
    renderers: &Renderers,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let report = present::report::build(e, m);
    let reps = present::scorecard::reps(e, m);
    let scorecards: Vec<(String, Report)> = reps
        .iter()
        .map(|r| (r.clone(), present::scorecard::build(e, m, r)))
        .collect();
    // Charts: drawn once per report, shared by the HTML and the PDF.
    let drawn = formats.contains(&Format::Html) || formats.contains(&Format::Pdf);
    let charts_of = |r: &Report| {
        if drawn {
            draw_charts(e, r)
        } else {
            BTreeMap::new()
        }
    };
    let report_charts = charts_of(&report);
    let card_charts: Vec<BTreeMap<String, String>> =
        scorecards.par_iter().map(|(_, r)| charts_of(r)).collect();

    if formats.contains(&Format::Json) {
        let json = crate::assess::MetricsFile::new(&m.metrics, &m.assessment)
            .to_bytes()
            .map_err(|e| vec![Diagnostic::error(format!("cannot write metrics.json: {e}"))])?;
        files.push(("metrics.json".to_string(), json));
    }
    let mut links = Vec::new();
    let report_label = crate::i18n::Labels::builtin(e.info.language)
        .get("report.ui.report")
        .to_string();
    if formats.contains(&Format::Html) {
        let card_links: Vec<html::Link> = scorecards
            .iter()
            .map(|(rep, r)| html::Link {
                name: r.meta.rep.clone().unwrap_or_else(|| rep.clone()),
                href: format!("scorecards/{}.html", scorecard_name(rep)),
            })
            .collect();
        let assets = assets_for(e, report_charts.clone());
        let page = renderers
            .html
            .report(
                &renderers.templates,
                &report,
                &assets,
                &card_links,
                None,
                formats.contains(&Format::Pdf).then_some("report.pdf"),
            )
            .map_err(|d| vec![d])?;
        files.push(("report.html".to_string(), page.into_bytes()));
        for ((rep, card), charts) in scorecards.iter().zip(&card_charts) {
            let assets = assets_for(e, charts.clone());
            let pdf_href = format!("{}.pdf", scorecard_name(rep));
            let page = renderers
                .html
                .report(
                    &renderers.templates,
                    card,
                    &assets,
                    &[],
                    Some("../report.html"),
                    formats.contains(&Format::Pdf).then_some(pdf_href.as_str()),
                )
                .map_err(|d| vec![d])?;
            files.push((
                format!("scorecards/{}.html", scorecard_name(rep)),
                page.into_bytes(),
            ));
        }
        links.push(html::Link {
            name: report_label.clone(),
            href: "report.html".into(),
        });
        links.extend(card_links);
    }
    if formats.contains(&Format::Pdf) {
        let assets = pdf::PdfAssets::of(e);
        let mut jobs: Vec<(String, &Report, &BTreeMap<String, String>)> =
            vec![("report.pdf".into(), &report, &report_charts)];
        for ((rep, card), charts) in scorecards.iter().zip(&card_charts) {
            jobs.push((
                format!("scorecards/{}.pdf", scorecard_name(rep)),
                card,
                charts,
            ));
        }
        let results: Vec<_> = jobs
            .par_iter()
            .map(|(name, r, charts)| {
                let ident = format!("levier/{}/{name}", e.slug);
                renderers.pdf.render(r, charts, &assets, &ident)
            })
            .collect();
        let mut errors: Vec<Diagnostic> = Vec::new();
        for ((name, _, _), result) in jobs.iter().zip(results) {
            match result {
                Ok((bytes, found)) => {
                    files.push((name.clone(), bytes));
                    warnings.extend(found);
                }
                // A template error repeats in every document: report it once.
                Err(found) => errors.extend(found),
            }
        }
        pdf::trim_caches();
        if errors.iter().any(Diagnostic::is_error) {
            return Err(dedup(errors));
        }
        warnings = dedup(warnings);
        let mut pdf_links = vec![html::Link {
            name: format!("{report_label} (PDF)"),
            href: "report.pdf".into(),
        }];
        let html = formats.contains(&Format::Html);
        if !html {
            pdf_links.extend(scorecards.iter().map(|(rep, r)| html::Link {
                name: format!(
                    "{} (PDF)",
                    r.meta.rep.clone().unwrap_or_else(|| rep.clone())
                ),
                href: format!("scorecards/{}.pdf", scorecard_name(rep)),
            }));
        }
        // After the HTML report's link, before the scorecards'.
        let at = if html { 1 } else { links.len() };
        links.splice(at..at, pdf_links);
    }
    if formats.contains(&Format::Json) {
        links.push(html::Link {
            name: "metrics.json".into(),
            href: "metrics.json".into(),
        });
    }
    let index = index_entry(e, m, &report, links);
    Ok(Rendered {
        files,
        index,
        warnings,
    })
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

fn index_entry(
    e: &Engagement,
    measured: &Measured,
    report: &Report,
    links: Vec<html::Link>,
) -> html::IndexEntry {
    let b = present::report::Builder::new(e, measured);
    let m = &measured.metrics;
    let prefix = |l: &html::Link| html::Link {
        name: l.name.clone(),
        href: format!("{}/{}", e.slug, l.href),
    };
    html::IndexEntry {
        slug: e.slug.clone(),
        client: report.meta.client.clone(),
        title: report.meta.title.clone(),
        as_of_label: report.meta.as_of_label.clone(),
        figures: vec![
            html::IndexFigure {
                label: b.t("report.kpi.revenue"),
                value: b.money(m.revenue.figures.total),
            },
            html::IndexFigure {
                label: b.t("report.col.growth"),
                value: b.growth(m.revenue.figures.growth),
            },
            html::IndexFigure {
                label: b.t("report.kpi.new_clients"),
                value: b.count(m.clients.new),
            },
            html::IndexFigure {
                label: b.t("report.sections.improvement"),
                value: b.count(measured.assessment.findings.len()),
            },
        ],
        links: links.iter().map(prefix).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the examples; with `LEVIER_PREVIEW=dir`, writes them there to look at.
    #[test]
    fn examples_render_to_html() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let renderers = Renderers::new(Templates::builtin()).expect("built-in templates parse");
        for slug in ["vidal-equipements", "groupe-ferrand"] {
            let e = crate::engagement::load(&root.join("engagements").join(slug), Some(root))
                .engagement
                .expect("example loads");
            let (m, _) = crate::assess::measure(&e);
            let rendered =
                render(&e, &m, &[Format::Html, Format::Json], &renderers).expect("renders");
            assert!(rendered.files.iter().any(|(n, _)| n == "report.html"));
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
