//! The consultant's notes (`notes/*.md`): their own writing for the summary, the
//! eleven general chapters of the action plan, the salesperson chapters and the
//! conclusion.
//!
//! A note is Markdown that later stages parse again (the PDF's content tree, the Typst
//! template that lays it out recursively, the HTML). Nothing bounds how deep Markdown
//! nests, and 6,000 `>` or 25,000 nested `*` would overflow a stack or the template's
//! call depth there, so [`bound`] limits the structure here, once, when the note is
//! read: every later stage sees at most [`MAX_DEPTH`] levels.
//!
//! Why this file is long: its reading code is about 820 lines (reading, bounding and
//! the image references of a note belong together) and its tests, at the end, the rest.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::toml_reader::TomlFile;
use crate::diagnostic::{Diagnostic, Location};
use crate::vocab::Vocabulary;

crate::vocab::vocabulary! {
    /// Where a note goes in the report.
    NoteSection, "note section" {
        Summary = "summary" ["synthese"],
        Objectives = "objectives" ["objectifs"],
        Budgets = "budgets" [],
        Allocation = "allocation" ["affectation"],
        MarketAnalysis = "market_analysis" ["analyse_marche"],
        Positioning = "positioning" ["positionnement"],
        Segmentation = "segmentation" ["ciblage"],
        Range = "range" ["gamme"],
        SuccessFactors = "success_factors" ["facteurs_cles_de_succes"],
        OfflineLevers = "offline_levers" ["leviers_hors_ligne"],
        OnlineLevers = "online_levers" ["leviers_en_ligne"],
        Organisation = "organisation" ["organization"],
        SteeringTools = "steering_tools" ["outils_de_pilotage"],
        QualifiedFiles = "qualified_files" ["fichiers_qualifies"],
        ActivityModel = "activity_model" ["modele_activite"],
        TimeAllocation = "time_allocation" ["repartition_du_temps"],
        SalesMeetings = "sales_meetings" ["reunions_commerciales"],
        Smarketing = "smarketing" [],
        Conclusion = "conclusion" [],
    }
}

impl NoteSection {
    /// The eleven general chapters of the action plan, in the method's order.
    pub const PLAN_CHAPTERS: [NoteSection; 12] = [
        NoteSection::Objectives,
        NoteSection::Budgets,
        NoteSection::Allocation,
        NoteSection::MarketAnalysis,
        NoteSection::Positioning,
        NoteSection::Segmentation,
        NoteSection::Range,
        NoteSection::SuccessFactors,
        NoteSection::OfflineLevers,
        NoteSection::OnlineLevers,
        NoteSection::Organisation,
        NoteSection::SteeringTools,
    ];

    /// The chapters of the salesperson part ("approche tournée vers l'acteur commercial").
    pub const REP_CHAPTERS: [NoteSection; 5] = [
        NoteSection::QualifiedFiles,
        NoteSection::ActivityModel,
        NoteSection::TimeAllocation,
        NoteSection::SalesMeetings,
        NoteSection::Smarketing,
    ];
}

/// One note.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// Path relative to the engagement folder.
    pub file: String,
    pub section: NoteSection,
    pub title: Option<String>,
    /// The salesperson whose scorecard this note belongs to.
    pub rep: Option<String>,
    /// The Markdown body, front matter removed, its nesting bounded (see [`bound`]).
    pub markdown: String,
    /// The line of the file the body starts on (1-based), for diagnostics.
    #[serde(skip)]
    pub line: usize,
    /// Local images the note shows, by the path written in the Markdown, read from
    /// inside the engagement folder so that reports can embed them.
    pub images: BTreeMap<String, NoteImage>,
}

/// An image referenced by a note.
#[derive(Debug, Clone, Serialize)]
pub struct NoteImage {
    pub mime: &'static str,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The MIME type of an image file levier can embed, by extension.
pub fn image_mime(path: &str) -> Option<&'static str> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "svg" => Some("image/svg+xml"),
        _ => None,
    }
}

/// Reads the local images a note references. `text` is the whole file as read (the
/// body is its suffix), so that problems point at the right line. Returns the paths the
/// note refers to, read or refused, so that they are not reported again as stray files.
pub fn resolve_images(
    dir: &Path,
    path: &Path,
    text: &str,
    note: &mut Note,
    budget: &mut super::images::ImageBudget,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<std::path::PathBuf> {
    let mut referenced = Vec::new();
    let offset = text.len() - note.markdown.len();
    let note_dir = path.parent().unwrap_or(dir);
    let parser = Parser::new_ext(&note.markdown, MARKDOWN).into_offset_iter();
    for (event, range) in parser {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        let url = dest_url.to_string();
        if note.images.contains_key(&url) || url.starts_with("data:") {
            continue;
        }
        // The path is quoted in the message: a hostile one must not fill the terminal.
        let shown = super::images::shorten(&url, 80);
        let at = |label: &str| {
            let span = offset + range.start..offset + range.end;
            Diagnostic::error(format!("cannot use image `{shown}`"))
                .in_file(path)
                .at(Location::from_span(text, span))
                .label(label.to_string())
        };
        if url.contains("://") {
            diagnostics.push(at("remote images are not embedded").help(
                "copy the image into the engagement folder and reference it by a relative path",
            ));
            continue;
        }
        if image_mime(&url).is_none() {
            diagnostics.push(at("expected a .png, .jpg, .gif, .webp or .svg image"));
            continue;
        }
        let joined = note_dir.join(&url);
        let normalised = super::paths::normalise(&joined);
        referenced.push(normalised.clone());
        let resolved = if normalised.starts_with(dir) {
            super::paths::check_inside(dir, &normalised)
        } else {
            Err(super::paths::PathError::Escapes)
        };
        match resolved.and_then(|p| super::paths::read_regular(&p, super::paths::limits::ASSET)) {
            // The pixel budget is counted from the header, before anything is decoded.
            Ok(bytes) if budget.refused > 0 || !budget.admits(&normalised, &bytes) => {
                // Once, at the image that crosses the limit.
                budget.refused += 1;
                if budget.refused == 1 {
                    diagnostics.push(
                            at(&format!(
                                "the notes' images would have more than {} megapixels in all",
                                super::images::MAX_PIXELS_PER_ENGAGEMENT / 1_000_000
                            ))
                            .note("every image shown is held decoded while the PDF is made; the images after this one are not checked")
                            .help("make the photos smaller (2,000 pixels wide is plenty for a report), or show fewer"),
                        );
                }
            }
            // The format is the content's: a JPEG saved as `.png` is embedded as a JPEG.
            Ok(bytes) => match super::images::check(&bytes) {
                Ok(format) => {
                    note.images.insert(
                        url.clone(),
                        NoteImage {
                            mime: format.mime(),
                            bytes,
                        },
                    );
                }
                Err(e) => diagnostics.push(at(&e.describe()).help(e.help())),
            },
            Err(e) => diagnostics.push(at(&e.describe(dir))),
        }
    }
    referenced
}

/// Reads one note. `rel` is its path relative to the engagement folder.
pub fn read(path: &Path, rel: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Note> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let mut section = None;
    let mut title = None;
    let mut rep = None;
    let mut ok = true;

    if let Some((front, start_line)) = front {
        // Pad with the lines before the front matter so positions match the .md file.
        let padded = format!("{}{}", "\n".repeat(start_line - 1), front);
        let file = TomlFile::new(path, &padded).top_level_named("in the front matter");
        let doc = file.parse();
        let root = file.root(&doc);
        section = root.word::<NoteSection>("section").map(|s| s.value);
        if root.get("section").is_some() && section.is_none() {
            ok = false;
        }
        title = root.string("title").map(|s| s.value);
        rep = root.string("rep").map(|s| s.value.trim().to_string());
        root.finish();
        let found = file.into_diagnostics();
        ok &= !found.iter().any(Diagnostic::is_error);
        diagnostics.extend(found);
    } else if let Some(yaml) = yaml_front_matter(text) {
        let mut toml = String::from("+++\n");
        for (key, value) in &yaml.entries {
            toml.push_str(&format!(
                "{key} = \"{}\"\n",
                value.replace('\\', "\\\\").replace('"', "\\\"")
            ));
        }
        toml.push_str("+++");
        diagnostics.push(
            Diagnostic::error("note starts with a YAML front matter")
                .in_file(path)
                .at(Location::in_line(1, "---", 0..3))
                .label(format!("front matter between `---` lines (to line {}) is YAML", yaml.last_line))
                .note("levier reads front matter written in TOML between `+++` lines; this one would be printed in the report as text")
                .help(format!("write it as:\n{toml}")),
        );
        return None;
    } else if text.starts_with("+++") {
        diagnostics.push(
            Diagnostic::error("front matter is not closed")
                .in_file(path)
                .at(Location::in_line(1, "+++", 0..3))
                .label("expected a closing `+++` line after the front matter"),
        );
        return None;
    }

    if section.is_none() && ok {
        let stem = Path::new(rel)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let name = stem
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_' || c == '.');
        section = NoteSection::parse(name);
        if section.is_none() {
            diagnostics.push(
                Diagnostic::error(format!("cannot tell which section note `{rel}` belongs to"))
                    .in_file(path)
                    .label(format!("the file name `{stem}` is not a section"))
                    .note(format!("sections: {}", NoteSection::names().collect::<Vec<_>>().join(", ")))
                    .did_you_mean(NoteSection::closest(name))
                    .help("name the file after its section (`03-market_analysis.md`) or start it with a front matter: +++ / section = \"market_analysis\" / +++"),
            );
            return None;
        }
    }
    if !ok {
        return None;
    }
    let offset = text.len() - body.len();
    Some(Note {
        file: rel.to_string(),
        section: section.expect("set above"),
        title,
        rep,
        markdown: body.to_string(),
        line: text[..offset].matches('\n').count() + 1,
        images: BTreeMap::new(),
    })
}

/// A YAML front matter: where it ends and its `key: value` lines.
struct YamlFrontMatter {
    last_line: usize,
    entries: Vec<(String, String)>,
}

/// Recognises a YAML front matter (`---`, `key: value` lines, `---`), which other tools
/// (Jekyll, Hugo, Obsidian) use: left alone it would print as a rule and a heading.
fn yaml_front_matter(text: &str) -> Option<YamlFrontMatter> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut entries = Vec::new();
    // A front matter is short; a note that merely opens with a rule is not one.
    for (index, line) in lines.take(100).enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (!entries.is_empty()).then_some(YamlFrontMatter {
                last_line: index + 2,
                entries,
            });
        }
        if let Some((key, value)) = trimmed.split_once(':')
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            entries.push((key.to_string(), value.to_string()));
        } else if !trimmed.is_empty() && !trimmed.starts_with([' ', '#', '-']) {
            return None;
        }
    }
    None
}

/// The Markdown of the engagement format, as every renderer parses it: CommonMark with
/// tables, footnotes and strikethrough.
pub const MARKDOWN: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH);

/// How deep block quotes, lists, emphasis, strong, strikethrough, links and images may
/// nest in a note. Real notes stay within four or five; the Typst template lays notes
/// out with a few calls per level and fails past about 15 list levels.
pub const MAX_DEPTH: usize = 8;

/// The same inside a footnote definition, whose content the PDF puts at each reference,
/// so that it adds to the depth there.
pub const MAX_FOOTNOTE_DEPTH: usize = 2;

/// Characters of a heading, a link's address or an image's alternative text: they become
/// PDF strings (bookmarks, link targets, tags), which PDF/A limits to 32,767 bytes.
pub const MAX_HEADING: usize = 1000;
pub const MAX_URL: usize = 2000;

/// Text that footnotes may repeat: the PDF copies a footnote's content to each of its
/// references, so one long footnote referenced 100,000 times would be gigabytes.
const MAX_FOOTNOTE_COPIES: usize = 1 << 20;

/// Markdown elements (paragraphs, list items, emphasis, links, table cells, footnote
/// copies, raw HTML tags...) of one note, and of all the notes of an engagement. The PDF
/// lays out each one with Typst calls: 250,000 emphasised words in a 1 MB note took over
/// a minute and 4 GB. A long real note has a few thousand.
pub const MAX_ELEMENTS: usize = 20_000;
pub const MAX_ELEMENTS_PER_ENGAGEMENT: usize = 60_000;

/// Inline elements (emphasis, links, code, footnote references, raw HTML tags) of one
/// paragraph: Typst's cost grows faster than their number within a paragraph (2,000
/// emphasised words take a second, 5,000 six).
pub const MAX_INLINE: usize = 1000;

/// How deep raw HTML tags may nest: the HTML page's sanitiser slows down quadratically
/// with nesting (200,000 nested `<div>` took ten minutes).
const MAX_HTML_DEPTH: usize = 32;

/// Warnings about flattened parts printed per note; the rest are counted.
const MAX_WARNINGS: usize = 3;

/// Why a top-level block of a note is shown as plain paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    TooDeep { limit: usize },
    LongHeading { chars: usize },
    LongUrl { chars: usize },
    Crowded,
}

/// A top-level block (paragraph, list, quote, table, footnote definition) and its flaw.
struct FlawedBlock {
    range: std::ops::Range<usize>,
    footnote: Option<String>,
    at: usize,
    flaw: Flaw,
}

/// What a scan of a note's Markdown found.
#[derive(Default)]
struct Scan {
    flawed: Vec<FlawedBlock>,
    /// Footnote definitions: label → bytes of content.
    definitions: BTreeMap<String, usize>,
    /// Footnote references outside definitions: label → (count, first offset).
    references: BTreeMap<String, (usize, usize)>,
    /// Elements outside footnote definitions, and inside each definition.
    elements: usize,
    definition_elements: BTreeMap<String, usize>,
}

/// Opening minus closing tags of a raw HTML fragment (void elements and `<x/>` open
/// nothing), and how many tags it has.
fn html_tags(html: &str) -> (isize, usize) {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "!--",
    ];
    let (mut balance, mut tags) = (0isize, 0usize);
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        tags += 1;
        if rest.starts_with('/') {
            balance -= 1;
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let end = rest.find('>').map_or(rest.len(), |e| e);
            if !VOID.contains(&name.as_str()) && !rest[..end].ends_with('/') {
                balance += 1;
            }
        }
    }
    (balance, tags)
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn counts_as_level(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// One pass over the Markdown; iterative, linear in its length.
fn scan(markdown: &str) -> Scan {
    let mut found = Scan::default();
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut block_start = 0;
    let mut footnote: Option<String> = None;
    let mut flaw: Option<(usize, Flaw)> = None;
    // Characters of the heading being read, and where it starts.
    let mut heading: Option<(usize, usize)> = None;
    // Raw HTML tags left open, before this block and within it.
    let (mut html_before, mut html_open) = (0isize, 0isize);
    // Inline elements since the last block boundary.
    let mut inline = 0;
    // The footnote definition being read (at the top or inside a quote or a list): its
    // label, the tags open before it, the depth and the offset it starts at.
    let mut defining: Option<(String, usize, usize, usize)> = None;
    for (event, range) in Parser::new_ext(markdown, MARKDOWN).into_offset_iter() {
        match &event {
            Event::Start(tag) if !is_inline(tag) => inline = 0,
            Event::End(end)
                if !matches!(
                    end,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                        | TagEnd::Link
                        | TagEnd::Image
                ) =>
            {
                inline = 0
            }
            Event::Start(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::FootnoteReference(_)
            | Event::HardBreak
            | Event::InlineHtml(_) => {
                inline += 1;
                if inline > MAX_INLINE && flaw.is_none() {
                    flaw = Some((range.start, Flaw::Crowded));
                }
            }
            _ => {}
        }
        let counted = match &event {
            Event::Start(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::HardBreak
            | Event::Rule
            | Event::TaskListMarker(_) => 1,
            Event::Html(h) | Event::InlineHtml(h) => {
                let (balance, tags) = html_tags(h);
                html_open = (html_open + balance).max(0);
                if html_open > MAX_HTML_DEPTH as isize && flaw.is_none() {
                    flaw = Some((
                        range.start,
                        Flaw::TooDeep {
                            limit: MAX_HTML_DEPTH,
                        },
                    ));
                }
                tags
            }
            _ => 0,
        };
        match &defining {
            Some((label, ..)) => {
                *found.definition_elements.entry(label.clone()).or_default() += counted;
            }
            None => found.elements += counted,
        }
        match event {
            Event::Start(tag) => {
                if open.is_empty() {
                    block_start = range.start;
                    html_before = html_open;
                    footnote = match &tag {
                        Tag::FootnoteDefinition(label) => Some(label.to_string()),
                        _ => None,
                    };
                    flaw = None;
                }
                if let Tag::FootnoteDefinition(label) = &tag
                    && defining.is_none()
                {
                    defining = Some((label.to_string(), open.len(), depth, range.start));
                }
                let level = counts_as_level(&tag);
                open.push(level);
                if level {
                    depth += 1;
                    // A footnote's content is copied to its references: counted from
                    // where it is defined (at the top, or inside a quote or a list).
                    let limit = match &defining {
                        Some((_, _, base, _)) => (base + MAX_FOOTNOTE_DEPTH).min(MAX_DEPTH),
                        None => MAX_DEPTH,
                    };
                    if depth > limit && flaw.is_none() {
                        flaw = Some((range.start, Flaw::TooDeep { limit }));
                    }
                }
                match tag {
                    Tag::Heading { .. } => heading = Some((range.start, 0)),
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        let chars = dest_url.chars().count();
                        if chars > MAX_URL && flaw.is_none() {
                            flaw = Some((range.start, Flaw::LongUrl { chars }));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                if open.pop() == Some(true) {
                    depth -= 1;
                }
                if let Some((label, before, _, start)) = &defining
                    && open.len() == *before
                {
                    *found.definitions.entry(label.clone()).or_default() += range.end - start;
                    defining = None;
                }
                if let (TagEnd::Heading(_), Some((start, chars))) = (end, heading.take())
                    && chars > MAX_HEADING
                    && flaw.is_none()
                {
                    flaw = Some((start, Flaw::LongHeading { chars }));
                }
                if open.is_empty()
                    && let Some((at, flaw)) = flaw.take()
                {
                    // A block shown plain loses its raw HTML: its tags close nothing.
                    html_open = html_before;
                    found.flawed.push(FlawedBlock {
                        range: block_start..range.end,
                        footnote: footnote.clone(),
                        at,
                        flaw,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some((_, chars)) = &mut heading {
                    *chars += t.chars().count();
                }
            }
            Event::FootnoteReference(label) if defining.is_none() => {
                let entry = found
                    .references
                    .entry(label.to_string())
                    .or_insert((0, range.start));
                entry.0 += 1;
            }
            _ => {}
        }
    }
    found
}

/// A block's text as plain paragraphs, every Markdown character escaped, so that it
/// parses back as paragraphs (one level) whatever it held. A footnote definition stays
/// one, so that references elsewhere still find it; references in the block become text.
fn plain(block: &str, footnote: Option<&str>) -> String {
    let mut out = String::new();
    let mut paragraph = String::new();
    let mut first = true;
    let flush = |paragraph: &mut String, out: &mut String, first: &mut bool| {
        let text = paragraph.trim();
        if !text.is_empty() {
            match footnote {
                Some(label) if *first => out.push_str(&format!("[^{label}]: ")),
                Some(_) => out.push_str("    "),
                None => {}
            }
            out.push_str(text);
            out.push_str("\n\n");
            *first = false;
        }
        paragraph.clear();
    };
    for event in Parser::new_ext(block, MARKDOWN) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                escape_into(&t, &mut paragraph);
            }
            Event::SoftBreak => paragraph.push(' '),
            Event::TaskListMarker(done) => {
                escape_into(if done { "[x] " } else { "[ ] " }, &mut paragraph)
            }
            // As text: a reference copies its footnote, and a plain block must cost
            // no more than its own text.
            Event::FootnoteReference(label) => escape_into(&format!("[^{label}]"), &mut paragraph),
            Event::End(TagEnd::TableCell) => paragraph.push(' '),
            Event::HardBreak
            | Event::Rule
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::Item,
            ) => flush(&mut paragraph, &mut out, &mut first),
            _ => {}
        }
    }
    flush(&mut paragraph, &mut out, &mut first);
    out
}

/// Text with every ASCII punctuation character backslash-escaped and line breaks made
/// spaces: it can open no Markdown construct.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// Bounds what a note's Markdown can cost the stages after loading.
///
/// Top-level blocks that nest deeper than [`MAX_DEPTH`] (or raw HTML deeper than
/// [`MAX_HTML_DEPTH`]), or hold a heading or an address too long for a PDF string, are
/// shown as plain paragraphs, with a warning at their line; the rest of the note is kept
/// byte for byte. A note with more than [`MAX_ELEMENTS`] elements, or footnotes that
/// would repeat more text than a note may hold, is an error. `text` is the whole file
/// (the body is its suffix), so that problems point at the right line. Returns the
/// note's element count, or `None` when the note cannot be used.
pub fn bound(
    path: &Path,
    text: &str,
    note: &mut Note,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let offset = text.len() - note.markdown.len();
    let at = |position: usize| Location::from_span(text, offset + position..offset + position + 1);
    let found = scan(&note.markdown);
    // Footnote copies are bounded on the note as written, before any part of it is
    // rewritten (or anything later is done with it).
    if let Some(d) = footnote_copies(&found, path, at) {
        diagnostics.push(d);
        return None;
    }

    for block in found.flawed.iter().take(MAX_WARNINGS) {
        let d = match block.flaw {
            Flaw::TooDeep { limit } => Diagnostic::warning(format!(
                "note nests quotes, lists, emphasis or HTML more than {limit} levels deep"
            ))
            .label(format!("level {} starts here", limit + 1))
            .note("this part of the note is shown as plain paragraphs, without its lists, quotes and emphasis")
            .help("keep lists and quotes within a few levels"),
            Flaw::LongHeading { chars } => Diagnostic::warning(format!(
                "heading of {chars} characters"
            ))
            .label(format!("a heading is at most {MAX_HEADING} characters"))
            .note("it is shown as a plain paragraph")
            .help("a line of `---` or `===` right under a paragraph makes it a heading; leave a blank line before a `---` separator"),
            Flaw::LongUrl { chars } => Diagnostic::warning(format!(
                "link or image address of {chars} characters"
            ))
            .label(format!("an address is at most {MAX_URL} characters"))
            .note("this part of the note is shown as plain paragraphs, without its links"),
            Flaw::Crowded => Diagnostic::warning(format!(
                "paragraph with more than {MAX_INLINE} emphasised words, links or other inline elements"
            ))
            .label(format!("element {} is here", MAX_INLINE + 1))
            .note("this part of the note is shown as plain paragraphs, without its emphasis and links"),
        };
        diagnostics.push(d.in_file(path).at(at(block.at)));
    }
    if found.flawed.len() > MAX_WARNINGS {
        diagnostics.push(
            Diagnostic::warning(format!(
                "{} more parts of this note are shown as plain paragraphs for the same reasons",
                found.flawed.len() - MAX_WARNINGS
            ))
            .in_file(path),
        );
    }

    let found = if found.flawed.is_empty() {
        found
    } else {
        let source = &note.markdown;
        let mut out = String::with_capacity(source.len());
        let mut cursor = 0;
        for block in &found.flawed {
            out.push_str(&source[cursor..block.range.start]);
            out.push_str("\n\n");
            out.push_str(&plain(
                &source[block.range.clone()],
                block.footnote.as_deref(),
            ));
            cursor = block.range.end;
        }
        out.push_str(&source[cursor..]);
        let mut again = scan(&out);
        // The plain blocks parse as paragraphs whatever surrounds them; should that ever
        // not hold, the whole note is made plain, which certainly does.
        if !again.flawed.is_empty() {
            out = plain(source, None);
            again = scan(&out);
        }
        note.markdown = out;
        again
    };
    // Positions in the note as it now is: the same as in the file unless it was rewritten.
    let at = |position: usize| {
        let mut location = Location::from_span(&note.markdown, position..position + 1);
        location.line += note.line - 1;
        location
    };

    // Escaping a flattened footnote can lengthen it: bounded again as it now is.
    if let Some(d) = footnote_copies(&found, path, at) {
        diagnostics.push(d);
        return None;
    }
    let mut elements = found.elements;
    for (label, (count, _)) in &found.references {
        let inner = found.definition_elements.get(label).copied().unwrap_or(0);
        elements = elements.saturating_add(count.saturating_mul(inner));
    }
    if elements > MAX_ELEMENTS {
        diagnostics.push(
            Diagnostic::error(format!(
                "note has {elements} Markdown elements; levier lays out at most {MAX_ELEMENTS} per note"
            ))
            .in_file(path)
            .note("elements are paragraphs, list items, table cells, emphasis, links, raw HTML tags and footnote copies")
            .help("split the note into several notes, or put long lists and tables in the data files"),
        );
        return None;
    }
    Some(elements)
}

/// The error for footnotes whose copies (the PDF puts a footnote's text at each of its
/// references) would repeat more than [`MAX_FOOTNOTE_COPIES`] of text, at the most
/// costly footnote's first reference.
fn footnote_copies(
    found: &Scan,
    path: &Path,
    at: impl Fn(usize) -> Location,
) -> Option<Diagnostic> {
    let (mut copied, mut worst) = (0usize, None);
    for (label, (count, first)) in &found.references {
        let size = found.definitions.get(label).copied().unwrap_or(0);
        let cost = count.saturating_mul(size);
        copied = copied.saturating_add(cost);
        if worst.is_none_or(|(_, _, c, _)| cost > c) {
            worst = Some((label.as_str(), *count, cost, *first));
        }
    }
    if copied <= MAX_FOOTNOTE_COPIES {
        return None;
    }
    let (label, count, _, first) = worst?;
    Some(
        Diagnostic::error(format!("footnote `{label}` is referenced {count} times"))
            .in_file(path)
            .at(at(first))
            .label("the report copies a footnote's text to each reference")
            .note(format!(
                "this note's footnotes would repeat {} of text; at most {} is accepted",
                super::paths::human_size(copied as u64),
                super::paths::human_size(MAX_FOOTNOTE_COPIES as u64)
            ))
            .help("reference a long footnote once, or move its text into the note"),
    )
}

/// Splits `+++` front matter from the body. Returns the front matter with the line it
/// starts on (1-based).
fn split_front_matter(text: &str) -> (Option<(&str, usize)>, &str) {
    let Some(rest) = text.strip_prefix("+++") else {
        return (None, text);
    };
    let Some(rest) = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return (Some((front, 2)), body.trim_start_matches(['\n', '\r']));
        }
        offset += line.len();
    }
    (None, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_from_front_matter_or_file_name() {
        let mut d = Vec::new();
        let n = read(
            Path::new("notes/a.md"),
            "notes/a.md",
            "+++\nsection = \"positioning\"\ntitle = \"Notre place\"\n+++\n\n# Texte\n",
            &mut d,
        )
        .unwrap();
        assert_eq!(n.section, NoteSection::Positioning);
        assert_eq!(n.title.as_deref(), Some("Notre place"));
        assert_eq!(n.markdown, "# Texte\n");
        let n = read(
            Path::new("x"),
            "notes/03-market_analysis.md",
            "Body",
            &mut d,
        )
        .unwrap();
        assert_eq!(n.section, NoteSection::MarketAnalysis);
        assert!(d.is_empty());
    }

    #[test]
    fn front_matter_errors_point_into_the_markdown_file() {
        let mut d = Vec::new();
        let n = read(
            Path::new("notes/a.md"),
            "notes/a.md",
            "+++\nsection = \"summary\"\nrepp = \"JD\"\n+++\nBody",
            &mut d,
        );
        assert!(n.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location.as_ref().unwrap().line, 3);
        assert!(d[0].help.iter().any(|h| h.contains("`rep`")), "{:?}", d[0]);
    }

    #[test]
    fn unknown_file_name_is_explained() {
        let mut d = Vec::new();
        assert!(read(Path::new("x"), "notes/todo.md", "Body", &mut d).is_none());
        assert!(d[0].message.contains("notes/todo.md"));
    }

    /// A note read from `text` and bounded, with what was reported.
    fn bounded(text: &str) -> (Option<Note>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let path = Path::new("notes/00-summary.md");
        let Some(mut note) = read(path, "notes/00-summary.md", text, &mut d) else {
            return (None, d);
        };
        let kept = bound(path, text, &mut note, &mut d).is_some();
        (kept.then_some(note), d)
    }

    /// The deepest nesting of counted levels in the body and in footnote definitions.
    pub(crate) fn depths(markdown: &str) -> (usize, usize) {
        let (mut body, mut notes) = (0, 0);
        let (mut depth, mut in_note) = (0usize, 0usize);
        let mut open = Vec::new();
        for event in Parser::new_ext(markdown, MARKDOWN) {
            match event {
                Event::Start(tag) => {
                    if matches!(tag, Tag::FootnoteDefinition(_)) {
                        in_note += 1;
                    }
                    let level = counts_as_level(&tag);
                    open.push((level, matches!(tag, Tag::FootnoteDefinition(_))));
                    if level {
                        depth += 1;
                        if in_note > 0 {
                            notes = notes.max(depth);
                        } else {
                            body = body.max(depth);
                        }
                    }
                }
                Event::End(_) => {
                    let (level, definition) = open.pop().unwrap();
                    depth -= usize::from(level);
                    in_note -= usize::from(definition);
                }
                _ => {}
            }
        }
        (body, notes)
    }

    #[test]
    fn yaml_front_matter_is_an_error_that_shows_the_toml_form() {
        let (note, d) = bounded("---\nsection: summary\ntitle: \"Mon titre\"\n---\n\nBody\n");
        assert!(note.is_none());
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert!(d[0].message.contains("YAML front matter"), "{:?}", d[0]);
        assert_eq!(d[0].location.as_ref().unwrap().line, 1);
        assert!(
            d[0].help[0].contains("+++\nsection = \"summary\"\ntitle = \"Mon titre\"\n+++"),
            "{:?}",
            d[0].help
        );
    }

    #[test]
    fn a_note_opening_with_a_rule_is_not_front_matter() {
        let (note, d) = bounded("---\n\nText after a rule.\n\n---\n");
        assert!(note.is_some(), "{d:?}");
        assert!(d.is_empty());
    }

    #[test]
    fn ordinary_notes_are_kept_byte_for_byte() {
        let text = "# Marché\n\nDu *texte*, du **gras**, [un lien](https://x.fr) et {{ revenue.total | k }}.\n\n- a\n  - b\n    - c\n\n> citation\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Source *ici*.\n";
        let (note, d) = bounded(text);
        assert_eq!(note.unwrap().markdown, text);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn six_thousand_nested_quotes_are_flattened_with_a_warning_at_their_line() {
        let text = format!("Intro *kept*.\n\n{} deep\n\nAfter.\n", ">".repeat(6000));
        let (note, d) = bounded(&text);
        let note = note.unwrap();
        assert!(depths(&note.markdown).0 <= MAX_DEPTH);
        assert!(note.markdown.starts_with("Intro *kept*.\n\n"));
        assert!(note.markdown.contains("deep") && note.markdown.ends_with("After.\n"));
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].location.as_ref().unwrap().line, 3);
        assert_eq!(d[0].location.as_ref().unwrap().column, MAX_DEPTH + 1);
    }

    #[test]
    fn fifty_thousand_nested_emphasis_marks_are_flattened_in_bounded_output() {
        let text = format!("{}x{}", "*".repeat(50_000), "*".repeat(50_000));
        let (note, d) = bounded(&text);
        let note = note.unwrap();
        assert!(depths(&note.markdown).0 <= MAX_DEPTH);
        assert!(note.markdown.len() <= 2 * text.len() + 16);
        assert!(d.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_thousand_nested_list_items_are_flattened() {
        let text: String = (0..1000)
            .map(|i| format!("{}- {i}\n", "  ".repeat(i)))
            .collect();
        let (note, _) = bounded(&text);
        let markdown = note.unwrap().markdown;
        assert!(depths(&markdown).0 <= MAX_DEPTH);
        assert!(
            markdown.contains("999"),
            "the text of the deepest item is kept"
        );
    }

    #[test]
    fn deep_footnote_content_is_flattened_and_its_references_still_resolve() {
        let text = "Voir[^a].\n\n[^a]: > - > - **profond**\n";
        let (note, d) = bounded(text);
        let markdown = note.unwrap().markdown;
        let (_, in_notes) = depths(&markdown);
        assert!(in_notes <= MAX_FOOTNOTE_DEPTH);
        assert!(markdown.starts_with("Voir[^a]."));
        assert!(markdown.contains("[^a]: profond"), "{markdown}");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn footnotes_repeating_megabytes_are_an_error() {
        let text = format!(
            "{}\n\n[^a]: {}\n",
            "x[^a]\n\n".repeat(3000),
            "long text ".repeat(50)
        );
        let (note, d) = bounded(&text);
        assert!(note.is_none());
        assert!(
            d[0].message
                .contains("footnote `a` is referenced 3000 times"),
            "{:?}",
            d[0]
        );
    }

    #[test]
    fn too_many_elements_in_a_note_is_an_error() {
        let text = "para\n\n".repeat(MAX_ELEMENTS + 1);
        let (note, d) = bounded(&text);
        assert!(note.is_none());
        assert!(d[0].message.contains("Markdown elements"), "{:?}", d[0]);
    }

    #[test]
    fn a_paragraph_crowded_with_emphasis_is_shown_plain() {
        let text = format!("Avant.\n\n{}\n\nApres.\n", "*a* ".repeat(MAX_INLINE + 1));
        let (note, d) = bounded(&text);
        let markdown = note.unwrap().markdown;
        assert!(!markdown.contains(" *a* "));
        assert!(markdown.starts_with("Avant.") && markdown.ends_with("Apres.\n"));
        assert!(d[0].message.contains("inline elements"), "{:?}", d[0]);
    }

    #[test]
    fn a_heading_too_long_for_a_bookmark_becomes_a_paragraph() {
        let text = format!("{}\n---\n\nSuite.\n", "mot ".repeat(MAX_HEADING));
        let (note, d) = bounded(&text);
        let markdown = note.unwrap().markdown;
        assert!(
            Parser::new_ext(&markdown, MARKDOWN)
                .all(|e| !matches!(e, Event::Start(Tag::Heading { .. })))
        );
        assert!(d[0].help[0].contains("blank line"), "{:?}", d[0]);
    }

    #[test]
    fn raw_html_nested_too_deep_is_dropped() {
        let text = format!("Texte.\n\n{}\n", "<div>".repeat(10_000));
        let (note, d) = bounded(&text);
        let markdown = note.unwrap().markdown;
        assert!(!markdown.contains("<div>"));
        assert!(d[0].message.contains("HTML"), "{:?}", d[0]);
    }
}
