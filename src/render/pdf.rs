//! The PDF rendering of a report, through the Typst compiler used as a library.
//!
//! The templates (`templates/typst/*.typ`, built in or overridden by the workspace) are
//! parsed once per workspace. Each report is compiled in a [`ReportWorld`] that serves
//! the report model as `/report.json`: the template reads it with `json()` and prints
//! its strings as text, so a client name such as `#set page(fill: red)` or `*bold*` is
//! shown as written and never evaluated. The consultant's notes (Markdown) are turned
//! here into a small JSON tree (paragraphs, lists, emphasis, tables, links, images by
//! virtual path, footnotes) that the template lays out recursively; raw HTML in a note
//! is dropped, and the text inside `<script>` and `<style>` with it, as the HTML
//! renderer's sanitiser does.
//!
//! Output is PDF/A-2b (archival) and tagged, with PDF/UA-1 checked alongside, dated by
//! the report's `as_of` and identified by a stable id, so identical inputs give
//! byte-identical files. Typst's errors and warnings become levier diagnostics pointing
//! at the template file (the workspace's own file when it overrides a built-in one),
//! with 1-based line and column, the message, Typst's hints and its call trace.
//!
//! [`ReportWorld`]: super::world::ReportWorld

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use serde_json::{Map, Value, json};
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, Source};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::html::french_typography;
use super::world::{FontSet, Fonts, INTER, ReportWorld, file_id, virtual_path};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::engagement::Engagement;
use crate::engagement::brand::LogoKind;
use crate::present::model::{Chart, Report, ReportKind};
use crate::templates::{Origin, Templates};

/// The PDF standards every report is checked against and declares.
const STANDARDS: [PdfStandard; 2] = [PdfStandard::A_2b, PdfStandard::Ua_1];

/// The PDF renderer for one workspace's templates.
pub struct PdfRenderer {
    /// Every `typst/*.typ` template, parsed, by virtual path (`/typst/report.typ`).
    sources: FxHashMap<FileId, Source>,
    /// Where each template came from, for diagnostics.
    origins: FxHashMap<FileId, (&'static str, Origin)>,
}

/// What the PDFs of one engagement share: fonts (bundled, plus the brand's), the logo
/// and the notes' images, each under a virtual path.
pub struct PdfAssets {
    fonts: Fonts,
    logo: Option<(String, Bytes)>,
    /// Note images by the path written in the Markdown: (virtual path, bytes).
    images: BTreeMap<String, (String, Bytes)>,
    /// Font families for body text and headings, best first, all present in `fonts`.
    body_fonts: Vec<String>,
    heading_fonts: Vec<String>,
}

impl PdfAssets {
    /// Gathers an engagement's fonts, logo and note images, read into Typst's buffers
    /// once and shared by every report of the engagement.
    pub fn of(e: &Engagement) -> PdfAssets {
        let fonts = if e.brand.font_files.is_empty() {
            Fonts::Bundled
        } else {
            let files: Vec<Vec<u8>> = e.brand.font_files.iter().map(|f| f.bytes.clone()).collect();
            Fonts::Brand(FontSet::with_brand(&files))
        };
        let logo = e.brand.logo.as_ref().map(|l| {
            let ext = match l.kind {
                LogoKind::Svg => "svg",
                LogoKind::Png => "png",
            };
            (format!("/brand/logo.{ext}"), Bytes::new(l.bytes.clone()))
        });
        let mut images = BTreeMap::new();
        for (src, image) in e.notes.iter().flat_map(|n| n.images.iter()) {
            if images.contains_key(src) {
                continue;
            }
            let ext = match image.mime {
                "image/png" => "png",
                "image/jpeg" => "jpg",
                "image/gif" => "gif",
                "image/webp" => "webp",
                "image/svg+xml" => "svg",
                _ => continue,
            };
            let path = format!("/images/{}.{ext}", images.len());
            images.insert(src.clone(), (path, Bytes::new(image.bytes.clone())));
        }
        let families = |preferred: &[&Option<String>]| -> Vec<String> {
            let mut list: Vec<String> = preferred
                .iter()
                .filter_map(|f| f.as_ref())
                .filter(|f| fonts.has_family(f))
                .cloned()
                .collect();
            list.push("Inter".into());
            list.dedup();
            list
        };
        let body_fonts = families(&[&e.brand.body_font]);
        let heading_fonts = families(&[&e.brand.heading_font, &e.brand.body_font]);
        PdfAssets {
            fonts,
            logo,
            images,
            body_fonts,
            heading_fonts,
        }
    }
}

impl PdfRenderer {
    /// Parses the workspace's Typst templates. Syntax errors are reported when a
    /// report is compiled, with the rest of Typst's diagnostics.
    pub fn new(templates: &Templates) -> PdfRenderer {
        let mut sources = FxHashMap::default();
        let mut origins = FxHashMap::default();
        for (name, text) in templates.under("typst/") {
            let id = file_id(&format!("/{name}"));
            sources.insert(id, Source::new(id, text.to_string()));
            origins.insert(id, (name, templates.origin(name)));
        }
        PdfRenderer { sources, origins }
    }

    /// Compiles a report or a scorecard to PDF. `charts` are the report's charts as SVG
    /// by chart id; `ident` names the document stably across builds (the engagement's
    /// slug and the report's name). Returns the PDF and Typst's warnings.
    pub fn render(
        &self,
        report: &Report,
        charts: &BTreeMap<String, String>,
        assets: &PdfAssets,
        ident: &str,
    ) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let main = file_id(match report.kind {
            ReportKind::Report => "/typst/report.typ",
            ReportKind::Scorecard => "/typst/scorecard.typ",
        });
        if !self.sources.contains_key(&main) {
            return Err(vec![Diagnostic::error(format!(
                "the PDF template `{}` is missing",
                virtual_path(main).trim_start_matches('/')
            ))]);
        }
        let date = as_of_date(report.meta.as_of);
        let mut world = ReportWorld::new(&self.sources, main, assets.fonts.clone(), date);

        let mut view = serde_json::to_value(report)
            .map_err(|e| vec![Diagnostic::error(format!("cannot prepare the report: {e}"))])?;
        let chart_files = prepare(&mut view, report, charts, assets);
        for (path, svg) in chart_files {
            world.insert(&path, Bytes::from_string(svg));
        }
        if let Some((path, bytes)) = &assets.logo {
            world.insert(path, bytes.clone());
        }
        for (path, bytes) in assets.images.values() {
            world.insert(path, bytes.clone());
        }
        let json = serde_json::to_string(&view)
            .map_err(|e| vec![Diagnostic::error(format!("cannot prepare the report: {e}"))])?;
        world.insert("/report.json", Bytes::from_string(json));

        let compiled = typst::compile::<PagedDocument>(&world);
        let mut warnings: Vec<Diagnostic> = compiled
            .warnings
            .iter()
            .map(|d| self.diagnostic(&world, d))
            .collect();
        let document = compiled
            .output
            .map_err(|errors| self.diagnostics(&world, &errors, &warnings))?;

        let export = |standards: &[PdfStandard]| {
            let options = PdfOptions {
                ident: Smart::Custom(ident.to_string()),
                creator: Smart::Custom(Some(report.meta.generator.clone())),
                timestamp: Some(Timestamp::new_utc(date)),
                standards: PdfStandards::new(standards)
                    .expect("levier's PDF standards are compatible"),
                ..PdfOptions::default()
            };
            typst_pdf::pdf(&document, &options)
        };
        let pdf = match export(&STANDARDS) {
            Ok(pdf) => pdf,
            // Content PDF/UA-1 refuses (an overriding template's choice, say): the
            // report is still worth having, archival and tagged, with a warning.
            Err(errors) if errors.iter().all(|e| e.message.starts_with("PDF/UA")) => {
                for e in &errors {
                    let mut d = self.diagnostic(&world, e);
                    d.severity = Severity::Warning;
                    warnings.push(
                        d.note("this PDF is written as PDF/A-2b, without PDF/UA-1 conformance"),
                    );
                }
                export(&STANDARDS[..1])
                    .map_err(|errors| self.diagnostics(&world, &errors, &warnings))?
            }
            Err(errors) => return Err(self.diagnostics(&world, &errors, &warnings)),
        };
        warnings.dedup();
        Ok((pdf, warnings))
    }

    fn diagnostics(
        &self,
        world: &ReportWorld<'_>,
        errors: &[SourceDiagnostic],
        warnings: &[Diagnostic],
    ) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = errors.iter().map(|d| self.diagnostic(world, d)).collect();
        all.extend(warnings.iter().cloned());
        all
    }

    /// A Typst diagnostic as a levier one: the template's file (the workspace's real
    /// path for an override), 1-based line and column, Typst's message and hints, and
    /// the call trace as notes.
    fn diagnostic(&self, world: &ReportWorld<'_>, d: &SourceDiagnostic) -> Diagnostic {
        let mut out = match d.severity {
            TypstSeverity::Error => Diagnostic::error(d.message.to_string()),
            TypstSeverity::Warning => Diagnostic::warning(d.message.to_string()),
        };
        let mut builtin = false;
        if let Some((path, location)) = self.locate(world, d.span) {
            out = out.in_file(path.0);
            builtin = path.1;
            if let Some(location) = location {
                out = out.at(location);
            }
        } else {
            out = out.note("in a PDF template");
        }
        for point in &d.trace {
            let at = self
                .locate(world, point.span.into())
                .map(|(path, loc)| match loc {
                    Some(loc) => format!(" ({}:{}:{})", path.0, loc.line, loc.column),
                    None => format!(" ({})", path.0),
                })
                .unwrap_or_default();
            out = out.note(format!("{}{at}", point.v));
        }
        for hint in &d.hints {
            out = out.help(hint.v.to_string());
        }
        let overrides: Vec<&str> = self
            .origins
            .values()
            .filter(|(_, o)| *o != Origin::BuiltIn)
            .map(|(name, _)| *name)
            .collect();
        if !builtin {
            out = out.help(crate::templates::override_help(None));
        } else if overrides.is_empty() {
            out = out.help("this is a built-in template: please report the problem");
        } else {
            let mut names = overrides;
            names.sort_unstable();
            out = out.help(format!(
                "the workspace overrides {}: the problem may come from there; move them out of the templates folder to try the built-in versions (nothing else changes)",
                names
                    .iter()
                    .map(|n| format!("`templates/{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out
    }

    /// The file (and whether it is built in) and position of a span.
    fn locate(
        &self,
        world: &ReportWorld<'_>,
        span: typst::syntax::DiagSpan,
    ) -> Option<((String, bool), Option<Location>)> {
        let id = span.id()?;
        let (path, builtin) = match self.origins.get(&id) {
            Some((_, Origin::Workspace(path))) => (path.display().to_string(), false),
            Some((name, Origin::BuiltIn)) => (format!("<built-in>/templates/{name}"), true),
            None => (format!("<report>{}", virtual_path(id)), true),
        };
        let location = world.range(span).and_then(|range| {
            let text = self.sources.get(&id)?.text();
            Some(Location::from_span(text, range))
        });
        Some(((path, builtin), location))
    }
}

/// Forgets Typst's memoised results that the last few engagements did not use: they
/// speed up the next compilations (shaped words, parsed templates, fonts), but a
/// workspace of many engagements would otherwise keep every layout in memory.
pub fn trim_caches() {
    typst::comemo::evict(3);
}

/// The report's `as_of` date for `today()`, the document's date and the PDF metadata.
fn as_of_date(date: chrono::NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
        .unwrap_or_else(|| Datetime::from_ymd(1970, 1, 1).expect("a valid date"))
}

/// Adds to the model's JSON what only the PDF needs: notes as a content tree, chart
/// paths and texts, the logo's path and the fonts. Returns the chart files to serve.
fn prepare(
    view: &mut Value,
    report: &Report,
    charts: &BTreeMap<String, String>,
    assets: &PdfAssets,
) -> Vec<(String, String)> {
    let mut ctx = Prepare {
        charts: report.charts.iter().map(|c| (c.id.as_str(), c)).collect(),
        svgs: charts,
        images: assets
            .images
            .iter()
            .map(|(src, (path, _))| (src.as_str(), path.as_str()))
            .collect(),
        french: report.lang == crate::vocab::Language::Fr,
        files: Vec::new(),
    };
    if let Some(sections) = view.get_mut("sections").and_then(Value::as_array_mut) {
        for section in sections {
            ctx.section(section);
        }
    }
    view["assets"] = json!({
        "logo": assets.logo.as_ref().map(|(path, _)| path.clone()),
        "body_fonts": assets.body_fonts,
        "heading_fonts": assets.heading_fonts,
    });
    ctx.files
}

struct Prepare<'a> {
    charts: BTreeMap<&'a str, &'a Chart>,
    svgs: &'a BTreeMap<String, String>,
    images: BTreeMap<&'a str, &'a str>,
    french: bool,
    files: Vec<(String, String)>,
}

impl Prepare<'_> {
    fn section(&mut self, section: &mut Value) {
        if let Some(blocks) = section.get_mut("blocks").and_then(Value::as_array_mut) {
            for block in blocks {
                match block.get("type").and_then(Value::as_str) {
                    Some("note") => {
                        let markdown = block
                            .get("markdown")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        block["tree"] = markdown_tree(markdown, &self.images, self.french);
                    }
                    Some("table") => {
                        let widths = column_widths(block);
                        block["widths"] = json!(widths);
                    }
                    Some("chart") => {
                        let id = block
                            .get("id")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        if let Some(chart) = self.charts.get(id.as_str()) {
                            block["title"] = Value::String(chart.title.clone());
                            block["alt"] = Value::String(chart.alt.clone());
                        }
                        block["path"] = match self.svgs.get(&id) {
                            Some(svg) => {
                                let path = format!("/charts/{}.svg", self.files.len());
                                self.files.push((path.clone(), svg.clone()));
                                Value::String(path)
                            }
                            None => Value::Null,
                        };
                    }
                    _ => {}
                }
            }
        }
        if let Some(children) = section.get_mut("children").and_then(Value::as_array_mut) {
            for child in children {
                self.section(child);
            }
        }
    }
}

/// The width a table may use, in ems of its cells' type: the A4 text width (168 mm)
/// at 8.5 pt.
const TABLE_WIDTH_EM: f64 = 56.0;

/// Inter's advance widths, to share a table's width between its columns.
struct Measure {
    regular: ttf_parser::Face<'static>,
    semibold: ttf_parser::Face<'static>,
}

impl Measure {
    fn get() -> &'static Measure {
        static MEASURE: std::sync::OnceLock<Measure> = std::sync::OnceLock::new();
        MEASURE.get_or_init(|| Measure {
            regular: ttf_parser::Face::parse(INTER[0], 0).expect("the bundled Inter parses"),
            semibold: ttf_parser::Face::parse(INTER[2], 0).expect("the bundled Inter parses"),
        })
    }

    /// Width of `text` in ems; a character Inter lacks counts as a wide letter.
    fn ems(&self, text: &str, bold: bool) -> f64 {
        let face = if bold { &self.semibold } else { &self.regular };
        let per_em = f64::from(face.units_per_em());
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0.62, |a| f64::from(a) / per_em)
            })
            .sum()
    }
}

/// Column widths of a table of the model, as shares of the text width: each column
/// gets its longest cell (and its header's longest word, set in small tracked
/// capitals) so that tables span the width and figures stay on one line; when the
/// longest cells do not fit side by side, columns of left-aligned text give up room
/// (never below their longest word) in proportion to what they can give. Estimated
/// with Inter's widths, with a margin for brand fonts and bold figures.
fn column_widths(table: &Value) -> Vec<f64> {
    let m = Measure::get();
    let columns = table["columns"].as_array().map_or(&[][..], Vec::as_slice);
    let rows = table["rows"].as_array().map_or(&[][..], Vec::as_slice);
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '_' | '.'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    // Cell padding (5 pt each side) in ems of 8.5 pt.
    let pad = 10.0 / 8.5;
    let mut natural = Vec::with_capacity(columns.len());
    let mut least = Vec::with_capacity(columns.len());
    let mut wraps = Vec::with_capacity(columns.len());
    for (x, column) in columns.iter().enumerate() {
        let label = column["label"].as_str().unwrap_or_default();
        // Headers: 6.5 pt SemiBold capitals tracked 0.03 em, in ems of 8.5 pt.
        let header = words(label)
            .iter()
            .map(|w| {
                let n = w.chars().count() as f64;
                (m.ems(&w.to_uppercase(), true) + 0.03 * n) * 6.5 / 8.5
            })
            .fold(0.0, f64::max);
        let (mut longest, mut word) = (0.0_f64, 0.0_f64);
        for row in rows {
            let Some(cell) = row["cells"].get(x) else {
                continue;
            };
            let text = cell["text"].as_str().unwrap_or_default();
            let bold = x == 0
                || row["emphasis"].as_bool() == Some(true)
                || cell["tone"].as_str().is_some_and(|t| t != "neutral");
            longest = longest.max(m.ems(text, bold));
            for w in words(text) {
                word = word.max(m.ems(&w, bold));
            }
        }
        let left = column["align"].as_str() == Some("left");
        // A column that does not wrap must never be too narrow: a wider margin.
        let margin = if left { 1.04 } else { 1.08 };
        natural.push(longest.max(header).clamp(2.0, 30.0) * margin + pad);
        least.push(word.max(header).max(2.0) * margin + pad);
        wraps.push(left);
    }
    let excess: f64 = natural.iter().sum::<f64>() - TABLE_WIDTH_EM;
    let room: Vec<f64> = (0..natural.len())
        .map(|x| {
            if wraps[x] {
                (natural[x] - least[x]).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    let total_room: f64 = room.iter().sum();
    let cut = if excess <= 0.0 || total_room == 0.0 {
        0.0
    } else {
        (excess / total_room).min(1.0)
    };
    natural
        .iter()
        .zip(&room)
        .map(|(n, r)| ((n - r * cut) * 100.0).round() / 100.0)
        .collect()
}

/// A note's Markdown as a tree of `{"t": kind, "c": [children], ...}` nodes for the
/// template: `p`, `h` (`level` from 1), `ul`, `ol` (`start`), `li`, `quote`,
/// `codeblock` (`s`), `table` (`align`), `thead`, `tr`, `td`, `em`, `strong`, `del`,
/// `link` (`url`, only for http, https and mailto), `image` (`src`, a virtual path, or
/// none for an image levier did not embed; children are the alt text), `footnote`
/// (the definition's content, at the reference), `text` and `code` (`s`), `br`, `hr`.
/// Raw HTML is dropped. French notes get French spacing, outside code.
pub fn markdown_tree(markdown: &str, images: &BTreeMap<&str, &str>, french: bool) -> Value {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut tree = Tree::default();
    tree.stack.push(node("root"));
    // Text inside an inline <script> or <style> element: dropped with the tags.
    let mut hidden_until: Option<&'static str> = None;
    for event in TextMergeStream::new(parser) {
        if let Some(close) = hidden_until {
            if let Event::InlineHtml(h) | Event::Html(h) = &event
                && h.to_ascii_lowercase().contains(close)
            {
                hidden_until = None;
            }
            continue;
        }
        match event {
            Event::Start(tag) => tree.open(tag, images),
            Event::End(end) => tree.close(end),
            Event::Text(t) => {
                if tree.in_code_block() {
                    tree.code_text(&t);
                } else if french {
                    tree.leaf(json!({"t": "text", "s": french_typography(&t)}));
                } else {
                    tree.leaf(json!({"t": "text", "s": t.as_ref()}));
                }
            }
            Event::Code(t) => tree.leaf(json!({"t": "code", "s": t.as_ref()})),
            Event::InlineHtml(h) | Event::Html(h) => {
                let lower = h.trim_start().to_ascii_lowercase();
                if lower.starts_with("<script") && !lower.contains("</script") {
                    hidden_until = Some("</script");
                } else if lower.starts_with("<style") && !lower.contains("</style") {
                    hidden_until = Some("</style");
                }
            }
            Event::FootnoteReference(label) => {
                tree.leaf(json!({"t": "fnref", "label": label.as_ref()}));
            }
            Event::SoftBreak => tree.leaf(json!({"t": "text", "s": " "})),
            Event::HardBreak => tree.leaf(json!({"t": "br"})),
            Event::Rule => tree.leaf(json!({"t": "hr"})),
            Event::TaskListMarker(done) => {
                tree.leaf(json!({"t": "text", "s": if done { "☑ " } else { "☐ " }}));
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                tree.leaf(json!({"t": "code", "s": t.as_ref()}));
            }
        }
    }
    while tree.stack.len() > 1 {
        tree.pop();
    }
    let mut root = tree.stack.pop().expect("the root node");
    let definitions = std::mem::take(&mut tree.footnotes);
    resolve_footnotes(&mut root, &definitions);
    normalize_headings(&mut root, &mut 0);
    Value::Object(root)
}

fn node(kind: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("t".into(), Value::String(kind.into()));
    m.insert("c".into(), Value::Array(Vec::new()));
    m
}

#[derive(Default)]
struct Tree {
    stack: Vec<Map<String, Value>>,
    /// Footnote definitions by label, moved out of the text to their references.
    footnotes: BTreeMap<String, Value>,
    /// Set while inside an HTML block (its events are dropped).
    in_html: bool,
}

impl Tree {
    fn leaf(&mut self, value: Value) {
        if self.in_html {
            return;
        }
        if let Some(Value::Array(children)) = self.stack.last_mut().and_then(|n| n.get_mut("c")) {
            children.push(value);
        }
    }

    fn in_code_block(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|n| n.get("t").and_then(Value::as_str) == Some("codeblock"))
    }

    fn code_text(&mut self, text: &str) {
        if let Some(n) = self.stack.last_mut() {
            let s = n.entry("s").or_insert_with(|| Value::String(String::new()));
            if let Value::String(s) = s {
                s.push_str(text);
            }
        }
    }

    fn push(&mut self, n: Map<String, Value>) {
        self.stack.push(n);
    }

    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let n = self.stack.pop().expect("checked above");
        if n.get("t").and_then(Value::as_str) == Some("fndef") {
            let label = n
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            self.footnotes.entry(label).or_insert(Value::Object(n));
            return;
        }
        let mut n = n;
        if n.get("t").and_then(Value::as_str) == Some("image") {
            let mut alt = String::new();
            plain_text(&Value::Object(n.clone()), &mut alt);
            n.insert("alt".into(), Value::String(alt));
        }
        self.leaf(Value::Object(n));
    }

    fn open(&mut self, tag: Tag<'_>, images: &BTreeMap<&str, &str>) {
        if self.in_html {
            return;
        }
        let n = match tag {
            Tag::Paragraph => node("p"),
            Tag::Heading { level, .. } => {
                let mut n = node("h");
                n.insert("level".into(), json!(level as u8));
                n
            }
            Tag::BlockQuote(_) => node("quote"),
            Tag::CodeBlock(_) => {
                let mut n = node("codeblock");
                n.insert("s".into(), Value::String(String::new()));
                n
            }
            Tag::HtmlBlock => {
                self.in_html = true;
                return;
            }
            Tag::List(Some(start)) => {
                let mut n = node("ol");
                n.insert("start".into(), json!(start));
                n
            }
            Tag::List(None) => node("ul"),
            Tag::Item => node("li"),
            Tag::FootnoteDefinition(label) => {
                let mut n = node("fndef");
                n.insert("label".into(), json!(label.as_ref()));
                n
            }
            Tag::Table(aligns) => {
                let mut n = node("table");
                let aligns: Vec<&str> = aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Left | Alignment::None => "left",
                        Alignment::Center => "center",
                        Alignment::Right => "right",
                    })
                    .collect();
                n.insert("align".into(), json!(aligns));
                n
            }
            Tag::TableHead => node("thead"),
            Tag::TableRow => node("tr"),
            Tag::TableCell => node("td"),
            Tag::Emphasis => node("em"),
            Tag::Strong => node("strong"),
            Tag::Strikethrough => node("del"),
            Tag::Superscript => node("sup"),
            Tag::Subscript => node("sub"),
            Tag::Link { dest_url, .. } => {
                let mut n = node("link");
                let url = dest_url.trim();
                let lower = url.to_ascii_lowercase();
                let safe = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| lower.starts_with(p));
                n.insert("url".into(), if safe { json!(url) } else { Value::Null });
                n
            }
            Tag::Image { dest_url, .. } => {
                let mut n = node("image");
                let src = images.get(dest_url.as_ref()).copied();
                n.insert("src".into(), json!(src));
                // Said by screen readers when the Markdown gives no alternative text.
                let name = dest_url.rsplit('/').next().unwrap_or_default();
                let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
                n.insert("file".into(), json!(stem.replace(['-', '_'], " ")));
                n
            }
            // Not enabled by the options above; kept as plain groups.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => node("p"),
        };
        self.push(n);
    }

    fn close(&mut self, end: TagEnd) {
        if end == TagEnd::HtmlBlock {
            self.in_html = false;
            return;
        }
        if self.in_html {
            return;
        }
        self.pop();
    }
}

/// Renumbers a note's headings from 1, each at most one level below the previous
/// one: a note that opens with `##`, or jumps from `#` to `###`, must not skip a level
/// in the document's outline (PDF/UA requires consecutive levels).
fn normalize_headings(n: &mut Map<String, Value>, previous: &mut u64) {
    if n.get("t").and_then(Value::as_str) == Some("h") {
        let level = n.get("level").and_then(Value::as_u64).unwrap_or(1);
        let level = level.clamp(1, *previous + 1);
        n.insert("level".into(), json!(level));
        *previous = level;
    }
    if let Some(Value::Array(children)) = n.get_mut("c") {
        for c in children {
            if let Value::Object(c) = c {
                normalize_headings(c, previous);
            }
        }
    }
}

/// Replaces each footnote reference by the definition's content; a reference without
/// a definition stays as written.
fn resolve_footnotes(n: &mut Map<String, Value>, definitions: &BTreeMap<String, Value>) {
    let Some(Value::Array(children)) = n.get_mut("c") else {
        return;
    };
    for child in children.iter_mut() {
        let Value::Object(c) = child else { continue };
        if c.get("t").and_then(Value::as_str) == Some("fnref") {
            let label = c
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            *child = match definitions.get(&label) {
                Some(Value::Object(def)) => {
                    let mut def = def.clone();
                    // A footnote does not hold another footnote.
                    strip_footnote_refs(&mut def);
                    json!({"t": "footnote", "c": def.get("c").cloned().unwrap_or_default()})
                }
                _ => json!({"t": "text", "s": format!("[^{label}]")}),
            };
        } else {
            resolve_footnotes(c, definitions);
        }
    }
}

/// The text of a node and its children, for an image's alternative text.
fn plain_text(v: &Value, out: &mut String) {
    if let Some(s) = v.get("s").and_then(Value::as_str) {
        out.push_str(s);
    }
    if let Some(children) = v.get("c").and_then(Value::as_array) {
        for c in children {
            plain_text(c, out);
        }
    }
}

fn strip_footnote_refs(n: &mut Map<String, Value>) {
    if let Some(Value::Array(children)) = n.get_mut("c") {
        children.retain(|c| c.get("t").and_then(Value::as_str) != Some("fnref"));
        for c in children {
            if let Value::Object(c) = c {
                strip_footnote_refs(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(md: &str) -> Value {
        let mut images = BTreeMap::new();
        images.insert("img/a.png", "/images/0.png");
        markdown_tree(md, &images, true)
    }

    fn texts(v: &Value, out: &mut String) {
        if let Some(s) = v.get("s").and_then(Value::as_str) {
            out.push_str(s);
        }
        if let Some(c) = v.get("c").and_then(Value::as_array) {
            for c in c {
                texts(c, out);
            }
        }
    }

    #[test]
    fn raw_html_and_scripts_are_dropped() {
        let t = tree(
            "Texte <script>alert(1)</script> <b>gras</b>\n\n<div onclick=\"x()\">bloc</div>\n\n<script>\nalert(2)\n</script>\n\nFin",
        );
        let mut s = String::new();
        texts(&t, &mut s);
        assert!(!s.contains("alert"), "{s}");
        assert!(!s.contains('<'), "{s}");
        assert!(s.contains("gras"), "{s}");
        assert!(s.contains("Fin"), "{s}");
    }

    #[test]
    fn typst_syntax_stays_text() {
        let t = tree("#set page(fill: red) $x$ ] @ref <lbl>");
        let mut s = String::new();
        texts(&t, &mut s);
        assert!(s.contains("#set page(fill: red) $x$ ] @ref"), "{s}");
    }

    #[test]
    fn structure_links_images_and_footnotes() {
        let t = tree(
            "# Titre\n\n- *un* **deux**\n- [lien](https://exemple.fr) [mal](javascript:alert(1))\n\n![alt](img/a.png) ![loin](https://x/y.png)\n\nNote[^1].\n\n[^1]: La définition.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
        );
        let s = t.to_string();
        assert!(s.contains(r#""t":"h""#), "{s}");
        assert!(s.contains(r#""url":"https://exemple.fr""#), "{s}");
        assert!(!s.contains("javascript"), "{s}");
        assert!(s.contains(r#""src":"/images/0.png""#), "{s}");
        assert!(s.contains(r#""src":null"#), "{s}");
        assert!(s.contains(r#""t":"footnote""#), "{s}");
        assert!(!s.contains("fndef"), "{s}");
        assert!(s.contains(r#""align":["left","right"]"#), "{s}");
    }

    #[test]
    fn tables_share_the_width_and_long_text_wraps() {
        let table = json!({
            "columns": [
                {"label": "Action", "align": "left"},
                {"label": "Échéance", "align": "right"},
                {"label": "Montant", "align": "right"},
            ],
            "rows": [
                {"emphasis": false, "cells": [
                    {"text": "Plan grand compte Rhône Restauration Collective et diversification du portefeuille A", "tone": "neutral"},
                    {"text": "31 décembre 2025", "tone": "neutral"},
                    {"text": "2\u{202f}688\u{202f}316\u{a0}€", "tone": "neutral"},
                ]},
            ],
        });
        let w = column_widths(&table);
        let m = Measure::get();
        // Figures keep their natural width; the text column takes what is left.
        assert!(w[1] > m.ems("31 décembre 2025", false), "{w:?}");
        assert!(w[2] > m.ems("2 688 316 €", false), "{w:?}");
        assert!(w[0] < m.ems("Plan grand compte Rhône Restauration Collective et diversification du portefeuille A", true), "{w:?}");
        assert!(w[0] > m.ems("diversification", true), "{w:?}");
    }

    #[test]
    fn note_headings_never_skip_a_level() {
        let s = tree("## Deux\n\n#### Quatre\n\n# Un\n\n### Trois").to_string();
        let levels: Vec<&str> = s
            .match_indices(r#""level":"#)
            .map(|(i, _)| &s[i + 8..i + 9])
            .collect();
        assert_eq!(levels, ["1", "2", "1", "2"], "{s}");
    }

    #[test]
    fn french_spacing_outside_code() {
        let t = tree("Objectif : 12 % `a : b`");
        let s = t.to_string();
        assert!(s.contains("Objectif\u{a0}: 12\u{202f}%"), "{s}");
        assert!(s.contains("a : b"), "{s}");
    }
}
