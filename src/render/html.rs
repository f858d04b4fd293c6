//! The self-contained HTML rendering of a report, through Tera.
//!
//! One file per report or scorecard: the stylesheet is inlined, charts are inline SVG,
//! the logo, note images and brand fonts are data URIs, so the file opens offline from
//! an email attachment. Templates only loop and print; everything they show comes from
//! the report model, escaped by Tera's autoescaping, through a typed view
//! ([`super::view`]) that adds only what HTML needs: a note as sanitised HTML
//! ([`super::notes`]), a chart's SVG with its title and alt text, a progress bar's
//! width.

use std::collections::BTreeMap;

use base64::Engine;
use serde::Serialize;
use tera::{Context, Tera};

use super::view::{self, BlockView, KpiView, ReportView};
use super::{Job, Output, Rendered};
use crate::diagnostic::Diagnostic;
use crate::engagement::Engagement;
use crate::engagement::brand::LogoKind;
use crate::present::deliverables::{Document, Format, IndexEntry};
use crate::present::model::{Block, Chart, Kpi, Report, Section};
use crate::templates::{Origin, Templates};
use crate::vocab::Language;

/// Everything embedded in a page besides the report model.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// The logo as a data URI.
    pub logo: Option<String>,
    /// `@font-face` rules for the brand's fonts, with data URIs.
    pub fonts_css: String,
    /// Whether the pages use the built-in Inter: unless the brand sets both its body and
    /// heading fonts.
    pub builtin_fonts: bool,
    /// Note images by the path written in the Markdown, as data URIs.
    pub images: BTreeMap<String, String>,
}

impl Assets {
    /// An engagement's logo, brand fonts and note images, as data URIs.
    pub fn of(e: &Engagement) -> Assets {
        let logo = e.brand.logo.as_ref().map(|l| {
            let mime = match l.kind {
                LogoKind::Svg => "image/svg+xml",
                LogoKind::Png => "image/png",
            };
            data_uri(mime, &l.bytes)
        });
        let images = e
            .notes
            .iter()
            .flat_map(|n| n.images.iter())
            .map(|(src, img)| (src.clone(), data_uri(img.mime, &img.bytes)))
            .collect();
        Assets {
            logo,
            fonts_css: fonts_css(e),
            builtin_fonts: e.brand.body_font.is_none() || e.brand.heading_font.is_none(),
            images,
        }
    }
}

/// The HTML renderer for one workspace's templates.
pub struct HtmlRenderer {
    tera: Tera,
}

fn template_error(templates: &Templates, name: &str, error: &tera::Error) -> Diagnostic {
    // Tera's message chain names the template and, for syntax errors, the line.
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let mut d = Diagnostic::error(format!("template error in `{name}`")).note(message);
    match templates.origin(name) {
        Origin::Workspace(path) => {
            d = d
                .in_file(path)
                .help(crate::templates::override_help(Some(name)))
        }
        Origin::BuiltIn => d = d.help("this is a built-in template: please report the problem"),
    }
    d
}

/// What a block of the model adds for its HTML template.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum HtmlBlock<'a> {
    /// Headline figures, each with its progress bar's width.
    Kpis {
        r#type: &'static str,
        tiles: Vec<KpiView<'a, Progress>>,
    },
    /// The consultant's note as sanitised HTML.
    Note(BlockView<'a, NoteHtml>),
    /// The chart drawn, with its title and text alternative.
    Chart(BlockView<'a, ChartHtml<'a>>),
    Plain(&'a Block),
}

#[derive(Debug, Serialize)]
struct Progress {
    /// The progress bar's width, 0 to 100.
    progress_pct: Option<i64>,
}

#[derive(Debug, Serialize)]
struct NoteHtml {
    html: String,
}

#[derive(Debug, Serialize)]
struct ChartHtml<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alt: Option<&'a str>,
    svg: &'a str,
}

impl HtmlRenderer {
    pub fn new(templates: &Templates) -> Result<HtmlRenderer, Diagnostic> {
        let mut tera = Tera::default();
        // Escape every template, including the stylesheet's host pages; `.css` and
        // `.html` both go through the HTML escaper only where `{{ }}` prints.
        tera.autoescape_on(vec![".html"]);
        // One by one, so that an error names the template (and its override path);
        // included files first, since Tera resolves includes as templates are added.
        let mut files: Vec<(&str, &str)> = templates.under("html/").collect();
        let rank = |name: &str| match name {
            n if n.ends_with(".css") => 0,
            "html/block.html" => 1,
            _ => 2,
        };
        files.sort_by_key(|(name, _)| (rank(name), *name));
        for (name, text) in files {
            tera.add_raw_template(name, text)
                .map_err(|e| template_error(templates, name, &e))?;
        }
        Ok(HtmlRenderer { tera })
    }

    /// Renders a report or a scorecard page. `charts` are its charts as SVG, by id.
    pub fn page(
        &self,
        templates: &Templates,
        document: &Document,
        assets: &Assets,
        charts: &BTreeMap<String, super::charts::ChartArt>,
    ) -> Result<String, Diagnostic> {
        let report = &document.report;
        let french = report.lang == Language::Fr;
        let view = ReportView::new(report, |block, section| {
            html_block(report, block, section, assets, charts, french)
        });
        let nav = &document.navigation;
        let mut ctx = Context::new();
        ctx.insert("report", &view);
        ctx.insert("logo", &assets.logo);
        // Inter is subset to the page's own characters, known once it is rendered: the
        // template prints a marker where the rules go.
        let fonts_css = if assets.builtin_fonts {
            format!("{}{}", assets.fonts_css, super::html_fonts::MARKER)
        } else {
            assets.fonts_css.clone()
        };
        ctx.insert("fonts_css", &fonts_css);
        ctx.insert("scorecards", &nav.scorecards);
        ctx.insert("report_href", &nav.report);
        ctx.insert("pdf_href", &nav.pdf);
        let page = self
            .tera
            .render("html/report.html", &ctx)
            .map_err(|e| template_error(templates, "html/report.html", &e))?;
        Ok(match page.find(super::html_fonts::MARKER) {
            Some(at) => {
                let faces = super::html_fonts::font_faces(&page);
                let mut out = String::with_capacity(page.len() + faces.len());
                out.push_str(&page[..at]);
                out.push_str(&faces);
                out.push_str(&page[at + super::html_fonts::MARKER.len()..]);
                out
            }
            None => page,
        })
    }

    /// Renders `output/index.html`.
    pub fn index(
        &self,
        templates: &Templates,
        lang: &str,
        title: &str,
        intro: &str,
        entries: &[IndexEntry],
    ) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        ctx.insert("title", title);
        ctx.insert("intro", intro);
        ctx.insert("engagements", &entries);
        ctx.insert(
            "generator",
            &format!("levier {}", env!("CARGO_PKG_VERSION")),
        );
        self.tera
            .render("html/index.html", &ctx)
            .map_err(|e| template_error(templates, "html/index.html", &e))
    }
}

fn html_block<'a>(
    report: &'a Report,
    block: &'a Block,
    section: &Section,
    assets: &Assets,
    charts: &'a BTreeMap<String, super::charts::ChartArt>,
    french: bool,
) -> HtmlBlock<'a> {
    match block {
        Block::Kpis { tiles } => HtmlBlock::Kpis {
            r#type: block.kind(),
            tiles: tiles
                .iter()
                .map(|kpi| KpiView {
                    kpi,
                    extra: Progress {
                        progress_pct: progress_pct(kpi),
                    },
                })
                .collect(),
        },
        Block::Note { markdown, .. } => HtmlBlock::Note(BlockView {
            block,
            // Note headings sit below the section's own heading (h2 or h3).
            extra: NoteHtml {
                html: super::notes::markdown_to_html(
                    markdown,
                    section.level + 2,
                    &assets.images,
                    french,
                ),
            },
        }),
        Block::Chart { id } => {
            let chart: Option<&Chart> = view::chart(report, block);
            HtmlBlock::Chart(BlockView {
                block,
                extra: ChartHtml {
                    title: chart.map(|c| c.title.as_str()),
                    alt: chart.map(|c| c.alt.as_str()),
                    svg: charts.get(id).map_or("", |c| c.svg.as_str()),
                },
            })
        }
        _ => HtmlBlock::Plain(block),
    }
}

/// A headline figure's achievement as a bar width in percent, full at 100 %.
fn progress_pct(kpi: &Kpi) -> Option<i64> {
    kpi.progress
        .map(|p| (p * 100.0).clamp(0.0, 100.0).round() as i64)
}

/// The HTML output: a page per document of the engagement.
pub struct HtmlOutput;

impl Output for HtmlOutput {
    fn format(&self) -> Format {
        Format::Html
    }

    fn render(&self, job: &Job<'_>) -> Result<Rendered, Vec<Diagnostic>> {
        let assets = Assets::of(job.engagement);
        let mut files = Vec::new();
        for (document, charts) in job.deliverables.documents().zip(job.charts()) {
            let page = job
                .renderers
                .html
                .page(&job.renderers.templates, document, &assets, charts)
                .map_err(|d| vec![d])?;
            files.push((document.file(Format::Html), page.into_bytes()));
        }
        Ok(Rendered {
            files,
            warnings: Vec::new(),
        })
    }
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
            data_uri(mime, &f.bytes),
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

/// A data URI for bytes of a MIME type.
pub fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::model::Tone;

    #[test]
    fn progress_bars_are_full_at_the_objective_and_never_negative() {
        let kpi = |progress| Kpi {
            label: String::new(),
            value: String::new(),
            detail: None,
            tone: Tone::Neutral,
            progress,
        };
        assert_eq!(progress_pct(&kpi(Some(0.734))), Some(73));
        assert_eq!(progress_pct(&kpi(Some(1.4))), Some(100));
        assert_eq!(progress_pct(&kpi(Some(-0.2))), Some(0));
        assert_eq!(progress_pct(&kpi(None)), None);
    }

    #[test]
    fn kpi_blocks_keep_their_type_beside_the_progress_widths() {
        let tile = Kpi {
            label: "CA".into(),
            value: "1 €".into(),
            detail: None,
            tone: Tone::Good,
            progress: Some(0.5),
        };
        let block = Block::Kpis { tiles: vec![tile] };
        let Block::Kpis { tiles } = &block else {
            unreachable!()
        };
        let view = HtmlBlock::Kpis {
            r#type: block.kind(),
            tiles: tiles
                .iter()
                .map(|kpi| KpiView {
                    kpi,
                    extra: Progress {
                        progress_pct: progress_pct(kpi),
                    },
                })
                .collect(),
        };
        let shown = serde_json::to_string(&view).unwrap();
        let model = serde_json::to_string(&block).unwrap();
        // The view is the model's block with one more field per tile.
        assert_eq!(
            shown,
            model.replace(r#""progress":0.5}"#, r#""progress":0.5,"progress_pct":50}"#)
        );
    }
}
