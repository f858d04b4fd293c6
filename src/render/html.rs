//! The self-contained HTML rendering of a report, through Tera.
//!
//! One file per report or scorecard: the stylesheet is inlined, charts are inline SVG,
//! the logo, note images and brand fonts are data URIs, so the file opens offline from
//! an email attachment. Templates only loop and print; everything they show comes from
//! the report model, escaped by Tera's autoescaping. The only HTML not written by the
//! templates is prepared here: the consultant's notes (Markdown rendered by
//! pulldown-cmark, then sanitised by ammonia, so raw HTML in a note cannot run) and the
//! charts (SVG drawn by levier, with every text escaped).

use std::collections::{BTreeMap, HashSet};

use base64::Engine;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::present::model::Report;
use crate::templates::{Origin, Templates};

/// Everything embedded in a page besides the report model.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// The logo as a data URI.
    pub logo: Option<String>,
    /// `@font-face` rules for the brand's fonts, with data URIs.
    pub fonts_css: String,
    /// Note images by the path written in the Markdown, as data URIs.
    pub images: BTreeMap<String, String>,
    /// Charts by id, as SVG documents.
    pub charts: BTreeMap<String, String>,
}

/// A link between the report and its scorecards.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub name: String,
    pub href: String,
}

/// One engagement on `output/index.html`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexEntry {
    pub slug: String,
    pub client: String,
    pub title: String,
    pub as_of_label: String,
    pub figures: Vec<IndexFigure>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexFigure {
    pub label: String,
    pub value: String,
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

    /// Renders a report or a scorecard.
    pub fn report(
        &self,
        templates: &Templates,
        report: &Report,
        assets: &Assets,
        scorecards: &[Link],
        report_href: Option<&str>,
        pdf_href: Option<&str>,
    ) -> Result<String, Diagnostic> {
        let mut view = serde_json::to_value(report)
            .map_err(|e| Diagnostic::error(format!("cannot prepare the report: {e}")))?;
        prepare(&mut view, report, assets);
        let mut ctx = Context::new();
        ctx.insert("report", &view);
        ctx.insert("logo", &assets.logo);
        ctx.insert("fonts_css", &assets.fonts_css);
        ctx.insert("scorecards", &scorecards);
        ctx.insert("report_href", &report_href);
        ctx.insert("pdf_href", &pdf_href);
        self.tera
            .render("html/report.html", &ctx)
            .map_err(|e| template_error(templates, "html/report.html", &e))
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

/// Adds to the model's JSON what only HTML needs: notes as sanitised HTML, charts as
/// SVG with their titles, progress bar widths.
fn prepare(view: &mut Value, report: &Report, assets: &Assets) {
    let charts: BTreeMap<&str, &crate::present::model::Chart> =
        report.charts.iter().map(|c| (c.id.as_str(), c)).collect();
    let french = report.lang == crate::vocab::Language::Fr;
    let Some(sections) = view.get_mut("sections").and_then(Value::as_array_mut) else {
        return;
    };
    for section in sections {
        prepare_section(section, &charts, assets, french);
    }
}

fn prepare_section(
    section: &mut Value,
    charts: &BTreeMap<&str, &crate::present::model::Chart>,
    assets: &Assets,
    french: bool,
) {
    let level = section.get("level").and_then(Value::as_u64).unwrap_or(1) as u8;
    if let Some(blocks) = section.get_mut("blocks").and_then(Value::as_array_mut) {
        for block in blocks {
            match block.get("type").and_then(Value::as_str) {
                Some("note") => {
                    let markdown = block
                        .get("markdown")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    // Note headings sit below the section's own heading (h2 or h3).
                    let html = markdown_to_html(markdown, level + 2, &assets.images, french);
                    block["html"] = Value::String(html);
                }
                Some("chart") => {
                    let id = block
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    if let Some(chart) = charts.get(id.as_str()) {
                        block["title"] = Value::String(chart.title.clone());
                        block["alt"] = Value::String(chart.alt.clone());
                    }
                    block["svg"] =
                        Value::String(assets.charts.get(&id).cloned().unwrap_or_default());
                }
                Some("kpis") => {
                    if let Some(tiles) = block.get_mut("tiles").and_then(Value::as_array_mut) {
                        for tile in tiles {
                            let pct = tile
                                .get("progress")
                                .and_then(Value::as_f64)
                                .map(|p| (p * 100.0).clamp(0.0, 100.0).round() as i64);
                            tile["progress_pct"] = pct.map_or(Value::Null, Value::from);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(children) = section.get_mut("children").and_then(Value::as_array_mut) {
        for child in children {
            prepare_section(child, charts, assets, french);
        }
    }
}

/// French typography: no-break spaces before high punctuation and inside guillemets,
/// applied to the consultant's text so that `:` never starts a line.
pub fn french_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        match c {
            ' ' if matches!(next, Some(':')) => out.push('\u{a0}'),
            ' ' if matches!(next, Some(';' | '!' | '?' | '»')) => out.push('\u{202f}'),
            ' ' if matches!(next, Some('%')) && prev.is_some_and(|p| p.is_ascii_digit()) => {
                out.push('\u{202f}')
            }
            ' ' if matches!(prev, Some('«')) => out.push('\u{202f}'),
            c => out.push(c),
        }
    }
    out
}

/// Renders a note's Markdown to HTML that is safe to inline: headings are shifted under
/// the section's heading, local images become data URIs, raw HTML is sanitised.
pub fn markdown_to_html(
    markdown: &str,
    heading_base: u8,
    images: &BTreeMap<String, String>,
    french: bool,
) -> String {
    let shift = |level: HeadingLevel| -> HeadingLevel {
        let n = (level as u8 + heading_base - 1).min(6);
        HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
    };
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut in_code = false;
    let events = parser.map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let embedded = images.get(dest_url.as_ref()).cloned();
            Event::Start(Tag::Image {
                link_type,
                dest_url: embedded.map_or(dest_url, CowStr::from),
                title,
                id,
            })
        }
        Event::Start(Tag::CodeBlock(k)) => {
            in_code = true;
            Event::Start(Tag::CodeBlock(k))
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code = false;
            Event::End(TagEnd::CodeBlock)
        }
        Event::Text(t) if french && !in_code => Event::Text(CowStr::from(french_typography(&t))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitise(&html)
}

/// Keeps the formatting HTML a note may carry and removes anything active (scripts,
/// event handlers, styles, iframes, `javascript:` links). Data URIs are allowed only for
/// images, which levier embedded itself.
pub fn sanitise(html: &str) -> String {
    let mut schemes: HashSet<&str> = ["http", "https", "mailto", "tel"].into_iter().collect();
    schemes.insert("data");
    ammonia::Builder::default()
        .url_schemes(schemes)
        .attribute_filter(|element, attribute, value| {
            let is_data = value.trim_start().to_ascii_lowercase().starts_with("data:");
            if !is_data {
                return Some(value.into());
            }
            let image = element == "img"
                && attribute == "src"
                && [
                    "data:image/png",
                    "data:image/jpeg",
                    "data:image/gif",
                    "data:image/webp",
                    "data:image/svg+xml",
                ]
                .iter()
                .any(|p| value.starts_with(p));
            image.then(|| value.into())
        })
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
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

    #[test]
    fn scripts_and_handlers_in_notes_are_removed() {
        let html = markdown_to_html(
            "Texte <script>alert(1)</script> <img src=x onerror=alert(1)> [lien](javascript:alert(1)) <b>gras</b>",
            3,
            &BTreeMap::new(),
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<b>gras</b>"), "{html}");
    }

    #[test]
    fn data_uris_only_for_embedded_images() {
        let mut images = BTreeMap::new();
        images.insert("img/a.png".to_string(), data_uri("image/png", b"png"));
        let html = markdown_to_html(
            "![a](img/a.png) [x](data:text/html;base64,PHNjcmlwdD4=)",
            3,
            &images,
            false,
        );
        assert!(html.contains("src=\"data:image/png;base64,"), "{html}");
        assert!(!html.contains("data:text/html"), "{html}");
    }

    #[test]
    fn headings_are_shifted_under_the_section() {
        let html = markdown_to_html("# Titre\n\n## Sous-titre", 3, &BTreeMap::new(), false);
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<h4>Sous-titre</h4>"), "{html}");
    }

    #[test]
    fn french_spaces() {
        assert_eq!(
            french_typography("Objectif : 12 % ; « oui »"),
            "Objectif\u{a0}: 12\u{202f}%\u{202f}; «\u{202f}oui\u{202f}»"
        );
        assert_eq!(
            markdown_to_html("`a : b`", 3, &BTreeMap::new(), true),
            "<p><code>a : b</code></p>\n"
        );
    }
}
