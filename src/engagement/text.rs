//! Every text that reaches the report, made printable before anything is rendered.
//!
//! The PDF is PDF/A: Typst refuses to export it when one character has no glyph in the
//! embedded fonts, so one emoji in a client name, one CJK word in a note or one control
//! character pasted from a CRM would cost the whole deliverable, after `check` said OK.
//! This pass runs once the engagement is loaded (the brand, hence its fonts, known) and
//! goes over the client, consultant and title, the names and labels of the CSV tables,
//! the notes, the objectives', plan's and acquisitions' texts and the brand's name and
//! footer:
//!
//! - control characters are removed (in one-line texts, tabs and line breaks become
//!   spaces, without a warning: a spreadsheet cell may hold several lines);
//! - a character no font can draw ([`Coverage`]) is replaced by a visible substitute
//!   (one per grapheme, so a flag or a family emoji is one mark); invisible joiners and
//!   selectors the fonts lack are left out;
//! - a one-line text longer than [`MAX_LINE`] characters (a PDF string holds at most
//!   32,767) is cut.
//!
//! Each change is a warning naming the file and line the text came from. The same text
//! always becomes the same: a salesperson id cleaned in sales.csv still matches the one
//! cleaned in objectives.toml.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

use super::Engagement;
use super::paths;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::glyphs::{self, Coverage};
use crate::vocab::TableKind;

/// Characters of a one-line text: a name, a label, an id, a title, a footer.
pub const MAX_LINE: usize = 300;
/// Characters of a free text of the TOML files (an action's notes, an objective).
pub const MAX_PARAGRAPH: usize = 5000;
/// Warnings printed per file; the others are summed up in one line.
const MAX_WARNINGS_PER_FILE: usize = 5;
/// Distinct characters quoted in one warning.
const MAX_QUOTED: usize = 6;

/// The shape of a text, which decides what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One line: control characters are removed, tabs and line breaks become spaces.
    Line,
    /// Several lines (line breaks and tabs kept), at most [`MAX_PARAGRAPH`] characters.
    Paragraph,
    /// A note's Markdown: several lines, its length bounded by the note size limit.
    Markdown,
}

impl Shape {
    fn max_chars(self) -> Option<usize> {
        match self {
            Shape::Line => Some(MAX_LINE),
            Shape::Paragraph => Some(MAX_PARAGRAPH),
            Shape::Markdown => None,
        }
    }

    fn keeps(self, c: char) -> bool {
        self != Shape::Line && matches!(c, '\n' | '\r' | '\t')
    }
}

/// A text after cleaning, with what was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    /// Control characters removed, distinct, in order of appearance.
    pub controls: Vec<char>,
    /// Graphemes replaced by the substitute, distinct, in order of appearance.
    pub undrawable: Vec<String>,
    /// How many graphemes were replaced in all.
    pub replaced: usize,
    /// The length in characters before cutting, when the text was cut.
    pub cut_from: Option<usize>,
    /// Byte range, in the original text, of the first character changed.
    pub first: Range<usize>,
    /// Lines (1-based, in the original text) that had a character changed.
    pub lines: usize,
}

impl Cleaned {
    /// Whether only invisible characters were left out: nothing a reader would miss.
    fn is_silent(&self) -> bool {
        self.controls.is_empty() && self.undrawable.is_empty() && self.cut_from.is_none()
    }
}

fn is_control(c: char) -> bool {
    c.is_control()
}

/// Cleans `text` for the report; `None` when it is printable as it is (the common case,
/// checked without allocating).
pub fn clean(text: &str, shape: Shape, coverage: &Coverage) -> Option<Cleaned> {
    let ok = |c: char| shape.keeps(c) || (!is_control(c) && coverage.contains(c));
    let too_long = shape
        .max_chars()
        .is_some_and(|max| text.len() > max && text.chars().count() > max);
    let first_bad = text.char_indices().find(|&(_, c)| !ok(c));
    if first_bad.is_none() && !too_long {
        return None;
    }

    let mut controls = Vec::new();
    let mut stripped = String::with_capacity(text.len());
    for c in text.chars() {
        if is_control(c) && !shape.keeps(c) {
            // In one line, a tab or a line break (a spreadsheet cell's Alt+Enter) is
            // spacing between words, not a stray character: it becomes a space, silently.
            if matches!(c, '\n' | '\r' | '\t') {
                if !stripped.ends_with(' ') {
                    stripped.push(' ');
                }
            } else if !controls.contains(&c) {
                controls.push(c);
            }
        } else {
            stripped.push(c);
        }
    }
    let substitute = coverage.substitute();
    let mut undrawable: Vec<String> = Vec::new();
    let mut replaced = 0;
    let mut out = String::with_capacity(stripped.len());
    for grapheme in stripped.graphemes(true) {
        let drawable = |c: char| shape.keeps(c) || coverage.contains(c);
        if grapheme.chars().all(drawable) {
            out.push_str(grapheme);
        } else if grapheme
            .chars()
            .all(|c| drawable(c) || glyphs::is_invisible(c))
        {
            out.extend(grapheme.chars().filter(|&c| drawable(c)));
        } else {
            replaced += 1;
            if undrawable.len() < 64 && !undrawable.iter().any(|g| g == grapheme) {
                undrawable.push(grapheme.to_string());
            }
            out.push(substitute);
        }
    }
    let mut cut_from = None;
    if let Some(max) = shape.max_chars() {
        let count = out.chars().count();
        if count > max {
            let mut kept = String::new();
            let mut chars = 0;
            for grapheme in out.graphemes(true) {
                let n = grapheme.chars().count();
                if chars + n > max - 1 {
                    break;
                }
                kept.push_str(grapheme);
                chars += n;
            }
            kept.push('…');
            out = kept;
            cut_from = Some(text.chars().count());
        }
    }
    let first = match first_bad {
        Some((at, c)) => at..at + c.len_utf8(),
        // Only too long: the first character cut.
        None => text
            .char_indices()
            .nth(shape.max_chars().unwrap_or(0))
            .map_or(0..0, |(at, c)| at..at + c.len_utf8()),
    };
    let lines = text
        .lines()
        .filter(|line| line.chars().any(|c| !ok(c)))
        .count();
    if out == text {
        return None;
    }
    Some(Cleaned {
        text: out,
        controls,
        undrawable,
        replaced,
        cut_from,
        first,
        lines,
    })
}

/// Where a text came from, to point a warning at it.
enum Source<'a> {
    /// A string value of a TOML file, found by its key and its text.
    Toml { path: &'a Path, key: &'a str },
    /// A key of a TOML table (a budget line's name).
    TomlKey { path: &'a Path },
    /// A line of a CSV table.
    Csv {
        path: PathBuf,
        encoding: &'a str,
        line: u32,
        column: &'static str,
    },
    /// A note's body, which starts on `line` of the file.
    NoteBody { path: PathBuf, line: usize },
    /// A key of a note's front matter.
    NoteFront { path: PathBuf, key: &'a str },
    /// A string of a JSON file (a measurement record), found by its text.
    Json(&'a Path),
    /// A position already known.
    Known(&'a Location, &'a Path),
    /// A file, the position unknown.
    File(PathBuf),
}

/// The pass: the fonts' coverage and the warnings per file.
struct Pass {
    coverage: Coverage,
    per_file: BTreeMap<PathBuf, (usize, usize)>,
    /// Decoded CSV files, read again only when a warning needs a line of one.
    csv_cache: HashMap<PathBuf, Option<String>>,
    diagnostics: Vec<Diagnostic>,
}

impl Pass {
    /// Cleans one text in place; `what` names it in the warning ("client name").
    fn text(&mut self, text: &mut String, shape: Shape, what: &str, source: Source<'_>) {
        let Some(cleaned) = clean(text, shape, &self.coverage) else {
            return;
        };
        if cleaned.is_silent() {
            *text = cleaned.text;
            return;
        }
        let (path, location) = self.locate(&source, text, &cleaned);
        let counts = self.per_file.entry(path.clone()).or_default();
        counts.0 += 1;
        if counts.0 > MAX_WARNINGS_PER_FILE {
            counts.1 += 1;
        } else {
            let mut d = warning(what, &cleaned, self.coverage.substitute()).in_file(&path);
            if let Some(location) = location {
                d = d.at(printable(location));
            }
            if let Source::Csv { column, line, .. } = source {
                d = d.note(format!("in column `{column}` of line {line}"));
            }
            self.diagnostics.push(d);
        }
        *text = cleaned.text;
    }

    fn locate(
        &mut self,
        source: &Source<'_>,
        original: &str,
        cleaned: &Cleaned,
    ) -> (PathBuf, Option<Location>) {
        match source {
            Source::Toml { path, key } => (
                path.to_path_buf(),
                read_small(path).and_then(|s| {
                    find_in_toml(&s, Some(key), original).map(|r| Location::from_span(&s, r))
                }),
            ),
            Source::TomlKey { path } => (
                path.to_path_buf(),
                read_small(path).and_then(|s| {
                    find_in_toml(&s, None, original).map(|r| Location::from_span(&s, r))
                }),
            ),
            Source::Csv {
                path,
                encoding,
                line,
                ..
            } => {
                let text = self
                    .csv_cache
                    .entry(path.clone())
                    .or_insert_with(|| read_csv_text(path, encoding))
                    .as_deref();
                let location =
                    text.and_then(|t| t.lines().nth(*line as usize - 1))
                        .map(|line_text| {
                            let at = line_text
                                .find(original)
                                .map_or(0..0, |i| i..i + original.len());
                            Location::in_line(*line as usize, line_text, at)
                        });
                (path.clone(), location)
            }
            Source::NoteBody { path, line } => {
                let mut location = Location::from_span(original, cleaned.first.clone());
                location.line += line - 1;
                (path.clone(), Some(location))
            }
            Source::NoteFront { path, key } => {
                let location = read_small(path).and_then(|s| {
                    let (number, text) = s.lines().enumerate().find(|(_, l)| {
                        l.trim_start()
                            .strip_prefix(key)
                            .is_some_and(|rest| rest.trim_start().starts_with('='))
                    })?;
                    Some(Location::in_line(number + 1, text, 0..text.len()))
                });
                (path.clone(), location)
            }
            Source::Json(path) => (
                path.to_path_buf(),
                read_small(path).and_then(|s| {
                    let needle = serde_json::to_string(original).ok()?;
                    let at = s.find(&needle)?;
                    Some(Location::from_span(&s, at..at + needle.len()))
                }),
            ),
            Source::Known(location, path) => (path.to_path_buf(), Some((*location).clone())),
            Source::File(path) => (path.clone(), None),
        }
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        for (path, (_, hidden)) in &self.per_file {
            if *hidden > 0 {
                self.diagnostics.push(
                    Diagnostic::warning(format!(
                        "{hidden} more texts of this file were changed for the same reasons"
                    ))
                    .in_file(path),
                );
            }
        }
        self.diagnostics
    }
}

/// `U+1F600`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

fn warning(what: &str, cleaned: &Cleaned, substitute: char) -> Diagnostic {
    let mut parts = Vec::new();
    if !cleaned.undrawable.is_empty() {
        let quoted: Vec<String> = cleaned
            .undrawable
            .iter()
            .take(MAX_QUOTED)
            .map(|g| {
                let points: Vec<String> = g.chars().map(code_point).collect();
                format!("`{g}` ({})", points.join(" "))
            })
            .collect();
        let more = if cleaned.undrawable.len() > MAX_QUOTED {
            format!(" and {} more", cleaned.undrawable.len() - MAX_QUOTED)
        } else {
            String::new()
        };
        parts.push(format!(
            "{}{more} shown as `{substitute}`",
            quoted.join(", ")
        ));
    }
    if !cleaned.controls.is_empty() {
        let points: Vec<String> = cleaned.controls.iter().copied().map(code_point).collect();
        parts.push(format!("control character {} removed", points.join(", ")));
    }
    if let Some(from) = cleaned.cut_from {
        parts.push(format!("cut from {from} to {MAX_LINE} characters"));
    }
    let message = if !cleaned.undrawable.is_empty() {
        if cleaned.replaced == 1 {
            format!("{what} has a character the PDF's fonts cannot draw")
        } else if cleaned.lines > 1 {
            format!(
                "{what} has {} characters the PDF's fonts cannot draw, on {} lines",
                cleaned.replaced, cleaned.lines
            )
        } else {
            format!(
                "{what} has {} characters the PDF's fonts cannot draw",
                cleaned.replaced
            )
        }
    } else if !cleaned.controls.is_empty() {
        format!("{what} contains control characters")
    } else {
        format!(
            "{what} is {} characters long",
            cleaned.cut_from.unwrap_or_default()
        )
    };
    let mut d = Diagnostic::warning(message).label(parts.join("; "));
    if !cleaned.undrawable.is_empty() {
        d = d.help(
            "the PDF's fonts draw Latin, Greek and Cyrillic scripts and common symbols; to print other characters, put a font that has them in the brand's `fonts/` folder",
        );
    }
    if !cleaned.controls.is_empty() {
        d = d.note("control characters are invisible; they usually come from a copy and paste or an export");
    }
    d
}

/// A location whose line shows control characters as visible symbols: printed as they
/// are, an escape character in a client name would drive the consultant's terminal.
fn printable(mut location: Location) -> Location {
    if !location.line_text.chars().any(is_control) {
        return location;
    }
    let mut text = String::with_capacity(location.line_text.len());
    let (mut start, mut end) = (location.underline.start, location.underline.end);
    for (i, c) in location.line_text.char_indices() {
        if is_control(c) {
            let shown = char::from_u32(0x2400 + (c as u32).min(0x20)).unwrap_or('?');
            let grow = shown.len_utf8() - c.len_utf8();
            if i < location.underline.start {
                start += grow;
            }
            if i < location.underline.end {
                end += grow;
            }
            text.push(shown);
        } else {
            text.push(c);
        }
    }
    location.line_text = text;
    location.underline = start..end;
    location
}

/// A TOML file, read again only to point a warning at it.
fn read_small(path: &Path) -> Option<String> {
    let bytes = paths::read_regular(path, paths::limits::TOML.max(paths::limits::NOTE)).ok()?;
    String::from_utf8(bytes).ok()
}

/// A CSV file decoded as it was when loaded; `None` for a workbook, whose rows are not
/// lines of text (the warning then names the row in a note).
fn read_csv_text(path: &Path, encoding: &str) -> Option<String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(extension.as_deref(), Some("xlsx" | "xlsm" | "xls" | "ods")) {
        return None;
    }
    let bytes = paths::read_regular(path, paths::limits::TABLE).ok()?;
    let text = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((enc, bom)) => enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned(),
        None => encoding_rs::Encoding::for_label(encoding.as_bytes())
            .unwrap_or(encoding_rs::UTF_8)
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned(),
    };
    // Lone CR line ends are lines too, as when the file was loaded.
    Some(if text.contains('\r') && !text.contains('\n') {
        text.replace('\r', "\n")
    } else {
        text
    })
}

/// The span of the first string value `value` under key `key` (or, with no key, of the
/// first table key written `value`) in a TOML document.
fn find_in_toml(source: &str, key: Option<&str>, value: &str) -> Option<Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let (root, _) = DeTable::parse_recoverable(source);
    let mut best: Option<Range<usize>> = None;
    let mut keep = |span: Range<usize>| {
        if best.as_ref().is_none_or(|b| span.start < b.start) {
            best = Some(span);
        }
    };
    let mut stack: Vec<(&str, &toml::Spanned<DeValue<'_>>)> = Vec::new();
    for (k, v) in root.get_ref() {
        if key.is_none() && k.get_ref() == value {
            keep(k.span());
        }
        stack.push((k.get_ref(), v));
    }
    while let Some((k, v)) = stack.pop() {
        match v.get_ref() {
            DeValue::String(s) if key == Some(k) && s == value => keep(v.span()),
            DeValue::Table(t) => {
                for (child_key, child) in t {
                    if key.is_none() && child_key.get_ref() == value {
                        keep(child_key.span());
                    }
                    stack.push((child_key.get_ref(), child));
                }
            }
            DeValue::Array(items) => stack.extend(items.iter().map(|item| (k, item))),
            _ => {}
        }
    }
    best
}

/// Cleans every text of a loaded engagement that reaches the report.
pub fn check(e: &mut Engagement, diagnostics: &mut Diagnostics) {
    let coverage = if e.brand.font_files.is_empty() {
        Coverage::bundled().clone()
    } else {
        Coverage::bundled().with_fonts(e.brand.font_files.iter().map(|f| f.bytes.as_slice()))
    };
    let mut pass = Pass {
        coverage,
        per_file: BTreeMap::new(),
        csv_cache: HashMap::new(),
        diagnostics: Vec::new(),
    };
    let dir = e.dir.clone();

    let config = dir.join("engagement.toml");
    let toml = |key| Source::Toml { path: &config, key };
    pass.text(
        &mut e.info.client,
        Shape::Line,
        "the client's name",
        toml("client"),
    );
    if let Some(title) = &mut e.info.title {
        pass.text(title, Shape::Line, "the report's title", toml("title"));
    }
    if let Some(consultant) = &mut e.info.consultant {
        pass.text(
            consultant,
            Shape::Line,
            "the consultant's name",
            toml("consultant"),
        );
    }

    if let Some(o) = &mut e.objectives {
        let path = dir.join("objectives.toml");
        let toml = |key| Source::Toml { path: &path, key };
        for rep in &mut o.reps {
            pass.text(&mut rep.id, Shape::Line, "a salesperson id", toml("id"));
            if let Some(name) = &mut rep.name {
                pass.text(name, Shape::Line, "a salesperson's name", toml("name"));
            }
            if let Some(zone) = &mut rep.zone {
                pass.text(zone, Shape::Line, "a zone", toml("zone"));
            }
        }
        for q in &mut o.qualitative {
            pass.text(
                &mut q.objective,
                Shape::Paragraph,
                "a qualitative objective",
                toml("objective"),
            );
            if let Some(owner) = &mut q.owner {
                pass.text(owner, Shape::Line, "an objective's owner", toml("owner"));
            }
        }
        let budget = std::mem::take(&mut o.budget);
        for (mut name, amount) in budget {
            pass.text(
                &mut name,
                Shape::Line,
                "a budget line's name",
                Source::TomlKey { path: &path },
            );
            o.budget.insert(name, amount);
        }
    }

    if let Some(plan) = &mut e.plan {
        let path = dir.join("plan.toml");
        let toml = |key| Source::Toml { path: &path, key };
        for action in &mut plan.actions {
            let origin = action.id.origin.clone();
            pass.text(
                &mut action.id.value,
                Shape::Line,
                "an action id",
                Source::Known(&origin.location, &origin.path),
            );
            pass.text(
                &mut action.title,
                Shape::Line,
                "an action's title",
                toml("title"),
            );
            if let Some(owner) = &mut action.owner {
                pass.text(owner, Shape::Line, "an action's owner", toml("owner"));
            }
            if let Some(notes) = &mut action.notes {
                pass.text(notes, Shape::Paragraph, "an action's notes", toml("notes"));
            }
        }
        for target in &mut plan.acquisitions {
            pass.text(
                &mut target.name,
                Shape::Line,
                "an acquisition target's name",
                toml("name"),
            );
            if let Some(zone) = &mut target.zone {
                pass.text(
                    zone,
                    Shape::Line,
                    "an acquisition target's zone",
                    toml("zone"),
                );
            }
            if let Some(notes) = &mut target.notes {
                pass.text(
                    notes,
                    Shape::Paragraph,
                    "an acquisition target's notes",
                    toml("notes"),
                );
            }
        }
    }

    if let Some(path) = e.brand.source.clone() {
        let toml = |key| Source::Toml { path: &path, key };
        pass.text(
            &mut e.brand.name,
            Shape::Line,
            "the brand's name",
            toml("name"),
        );
        if let Some(footer) = &mut e.brand.footer {
            pass.text(footer, Shape::Line, "the brand's footer", toml("footer"));
        }
    }

    for note in &mut e.notes {
        let path = dir.join(&note.file);
        let line = note.line;
        pass.text(
            &mut note.markdown,
            Shape::Markdown,
            "this note",
            Source::NoteBody {
                path: path.clone(),
                line,
            },
        );
        if let Some(title) = &mut note.title {
            pass.text(
                title,
                Shape::Line,
                "the note's title",
                Source::NoteFront {
                    path: path.clone(),
                    key: "title",
                },
            );
        }
        if let Some(rep) = &mut note.rep {
            pass.text(
                rep,
                Shape::Line,
                "the note's salesperson",
                Source::NoteFront {
                    path: path.clone(),
                    key: "rep",
                },
            );
        }
    }

    // Measurement records are hand-editable files: their texts that reach the report
    // (the ids and titles of resolved findings, an action's former status) pass the same
    // checks as the engagement's own.
    for record in &mut e.history.records {
        let path = dir.join(crate::history::FOLDER).join(record.file_name());
        for finding in &mut record.findings {
            pass.text(
                &mut finding.id,
                Shape::Line,
                "a recorded finding id",
                Source::Json(&path),
            );
            pass.text(
                &mut finding.title,
                Shape::Line,
                "a recorded finding's title",
                Source::Json(&path),
            );
        }
        for action in &mut record.actions {
            pass.text(
                &mut action.id,
                Shape::Line,
                "a recorded action id",
                Source::Json(&path),
            );
            pass.text(
                &mut action.status,
                Shape::Line,
                "a recorded action's status",
                Source::Json(&path),
            );
        }
    }

    check_tables(e, &mut pass);
    diagnostics.extend(pass.finish());
}

/// Client ids, names and the interned labels of the CSV tables. Interned strings are
/// checked once each; a warning points at the first line that has one.
fn check_tables(e: &mut Engagement, pass: &mut Pass) {
    let bad = |names: &super::Interner, coverage: &Coverage| -> Vec<u32> {
        (0..names.len() as u32)
            .filter(|&id| clean(names.name(id), Shape::Line, coverage).is_some())
            .collect()
    };
    let bad_clients = bad(&e.client_ids, &pass.coverage);
    let bad_labels = bad(&e.labels, &pass.coverage);

    // Where each bad id is first used: (table, line, column).
    let mut first_client: HashMap<u32, (TableKind, u32, &'static str)> = HashMap::new();
    let mut first_label: HashMap<u32, (TableKind, u32, &'static str)> = HashMap::new();
    if !bad_clients.is_empty() || !bad_labels.is_empty() {
        type Uses = HashMap<u32, (TableKind, u32, &'static str)>;
        let note = |map: &mut Uses, id: u32, at: (TableKind, u32, &'static str)| {
            map.entry(id).or_insert(at);
        };
        for s in &e.sales {
            note(
                &mut first_client,
                s.client.0,
                (TableKind::Sales, s.line, "client_id"),
            );
            for (label, column) in [(s.rep, "rep"), (s.product, "product")] {
                if let Some(l) = label {
                    note(&mut first_label, l.0, (TableKind::Sales, s.line, column));
                }
            }
        }
        for c in e.clients.iter().flatten() {
            note(
                &mut first_client,
                c.client.0,
                (TableKind::Clients, c.line, "client_id"),
            );
            for (label, column) in [
                (c.zone, "zone"),
                (c.segment, "segment"),
                (c.prescriber, "prescriber"),
                (c.rep, "rep"),
            ] {
                if let Some(l) = label {
                    note(&mut first_label, l.0, (TableKind::Clients, c.line, column));
                }
            }
        }
        for l in e.leads.iter().flatten() {
            if let Some(c) = l.client {
                note(
                    &mut first_client,
                    c.0,
                    (TableKind::Leads, l.line, "client_id"),
                );
            }
            for (label, column) in [
                (l.rep, "rep"),
                (l.prescriber, "prescriber"),
                (l.channel, "channel"),
            ] {
                if let Some(x) = label {
                    note(&mut first_label, x.0, (TableKind::Leads, l.line, column));
                }
            }
        }
        for a in e.activities.iter().flatten() {
            note(
                &mut first_label,
                a.rep.0,
                (TableKind::Activities, a.line, "rep"),
            );
            if let Some(c) = a.client {
                note(
                    &mut first_client,
                    c.0,
                    (TableKind::Activities, a.line, "client_id"),
                );
            }
        }
    }
    let tables = e.tables.clone();
    let dir = e.dir.clone();
    let source = |at: Option<&(TableKind, u32, &'static str)>| -> Source<'_> {
        match at.and_then(|(kind, line, column)| tables.get(kind).map(|s| (s, *line, *column))) {
            Some((stats, line, column)) => Source::Csv {
                path: dir.join(&stats.file),
                encoding: &stats.encoding,
                line,
                column,
            },
            None => Source::File(dir.join("data")),
        }
    };
    for id in bad_clients {
        let mut name = e.client_ids.name(id).to_string();
        pass.text(
            &mut name,
            Shape::Line,
            "a client id",
            source(first_client.get(&id)),
        );
        e.client_ids.rename(id, &name);
    }
    for id in bad_labels {
        let mut name = e.labels.name(id).to_string();
        let at = first_label.get(&id);
        let what = match at.map(|a| a.2) {
            Some("rep") => "a salesperson id",
            Some("product") => "a product",
            Some("zone") => "a zone",
            Some("segment") => "a segment",
            Some("prescriber") => "a prescriber",
            Some("channel") => "a lead channel",
            _ => "a label",
        };
        pass.text(&mut name, Shape::Line, what, source(at));
        e.labels.rename(id, &name);
    }
    if let Some(clients) = &mut e.clients {
        for c in clients {
            if let Some(name) = &mut c.name {
                let at = (TableKind::Clients, c.line, "name");
                pass.text(name, Shape::Line, "a client's name", source(Some(&at)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> &'static Coverage {
        Coverage::bundled()
    }

    #[test]
    fn printable_text_is_left_alone_without_allocating() {
        assert_eq!(
            clean(
                "Maison Vidal — « Équipements » 12 €",
                Shape::Line,
                bundled()
            ),
            None
        );
        assert_eq!(
            clean("ligne 1\n\tligne 2\r\n", Shape::Markdown, bundled()),
            None
        );
    }

    #[test]
    fn emoji_in_a_client_name_becomes_one_visible_substitute() {
        let c = clean("Boulangerie 🥐 Martin", Shape::Line, bundled()).unwrap();
        assert_eq!(c.text, "Boulangerie \u{FFFD} Martin");
        assert_eq!(c.undrawable, ["🥐"]);
        assert_eq!(c.first, 12..16);
        // A family emoji (joined by ZWJ) and a flag are one grapheme each.
        let c = clean("a👨‍👩‍👧b🇫🇷c", Shape::Line, bundled()).unwrap();
        assert_eq!(c.text, "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(c.replaced, 2);
    }

    #[test]
    fn cjk_word_in_a_note_is_replaced_character_by_character() {
        let c = clean("Marché 中文\nsuite", Shape::Markdown, bundled()).unwrap();
        assert_eq!(c.text, "Marché \u{FFFD}\u{FFFD}\nsuite");
        assert_eq!(c.lines, 1);
    }

    #[test]
    fn control_characters_are_stripped_and_line_breaks_become_spaces_in_a_name() {
        let c = clean("Acme\u{7}\u{1b}[31m\tSAS\n", Shape::Line, bundled()).unwrap();
        assert_eq!(c.text, "Acme[31m SAS ");
        assert_eq!(c.controls, ['\u{7}', '\u{1b}']);
        let c = clean("Épicerie\nfine", Shape::Line, bundled()).unwrap();
        assert_eq!(c.text, "Épicerie fine");
        assert!(
            c.is_silent(),
            "a line break in a cell is spacing, not worth a warning"
        );
        assert!(c.undrawable.is_empty());
        let c = clean("a\u{0}b\nc", Shape::Markdown, bundled()).unwrap();
        assert_eq!(c.text, "ab\nc");
    }

    #[test]
    fn invisible_joiners_the_fonts_lack_are_dropped_silently() {
        // The variation selector is in no bundled font: it goes, without a warning and
        // without a visible mark; the joiner, which a font has, stays.
        assert!(!bundled().contains('\u{FE0F}'));
        let c = clean("a\u{200D}b\u{FE0F}", Shape::Line, bundled()).unwrap();
        assert_eq!(c.text.replace('\u{200D}', ""), "ab");
        assert!(c.is_silent());
    }

    #[test]
    fn over_long_names_are_cut_with_an_ellipsis() {
        let long = "x".repeat(1_000_000);
        let c = clean(&long, Shape::Line, bundled()).unwrap();
        assert_eq!(c.text.chars().count(), MAX_LINE);
        assert!(c.text.ends_with('…'));
        assert_eq!(c.cut_from, Some(1_000_000));
        assert_eq!(clean(&"x".repeat(MAX_LINE), Shape::Line, bundled()), None);
    }

    #[test]
    fn the_same_text_is_always_cleaned_the_same_way() {
        let a = clean("JD😀", Shape::Line, bundled()).unwrap().text;
        let b = clean("JD😀", Shape::Line, bundled()).unwrap().text;
        assert_eq!(a, b);
    }

    #[test]
    fn control_characters_are_shown_as_symbols_in_diagnostics() {
        let loc = Location::in_line(3, "a\u{1b}b,😀", 4..8);
        let shown = printable(loc);
        assert_eq!(shown.line_text, "a\u{241B}b,😀");
        assert_eq!(&shown.line_text[shown.underline.clone()], "😀");
    }

    #[test]
    fn toml_values_and_keys_are_found_by_text() {
        let src = "[engagement]\nclient = \"A\\u0007\"\n[[rep]]\nid = \"x\"\n[[rep]]\nid = \"JD😀\"\n[budget]\n\"salon 🎪\" = 3\n";
        let span = find_in_toml(src, Some("client"), "A\u{7}").unwrap();
        assert_eq!(&src[span], "\"A\\u0007\"");
        let span = find_in_toml(src, Some("id"), "JD😀").unwrap();
        assert_eq!(Location::from_span(src, span).line, 6);
        let span = find_in_toml(src, None, "salon 🎪").unwrap();
        assert_eq!(Location::from_span(src, span).line, 8);
    }
}
