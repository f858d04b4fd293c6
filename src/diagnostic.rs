//! Problems found in an engagement, reported the way cargo and Typst report them.
//!
//! A consultant fixing a CSV export or a TOML file needs to know *where* the problem is
//! and *what* levier expected, so every diagnostic carries the file, the line and column
//! when they exist, the offending text underlined, and hints. Loading collects every
//! problem of an engagement instead of stopping at the first one; the CLI prints them
//! all and decides the exit status.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How bad a problem is. Errors stop the engagement from building; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: a single line of it, with the underlined part.
///
/// Only the line is kept (not the whole file) so that diagnostics on a 60 MB CSV
/// stay cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of the line, without its line break.
    pub line_text: String,
    /// Byte range of the underlined part within `line_text`.
    pub underline: Range<usize>,
}

impl Location {
    /// Locates a byte range of a whole source text. A range spanning several lines is
    /// cut to its first line.
    pub fn from_span(source: &str, span: Range<usize>) -> Location {
        let start = span.start.min(source.len());
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let line = source[..line_start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let rel_start = (start - line_start).min(line_text.len());
        let rel_end = span
            .end
            .saturating_sub(line_start)
            .clamp(rel_start, line_text.len());
        Location {
            line,
            column,
            line_text: line_text.to_string(),
            underline: rel_start..rel_end,
        }
    }

    /// A location from a known line (e.g. a CSV record) and a byte range in it.
    pub fn in_line(line: usize, line_text: &str, underline: Range<usize>) -> Location {
        let start = underline.start.min(line_text.len());
        let end = underline.end.clamp(start, line_text.len());
        Location {
            line,
            column: line_text[..start].chars().count() + 1,
            line_text: line_text.to_string(),
            underline: start..end,
        }
    }
}

/// One problem, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What is wrong, lowercase, without a final period (like cargo and Typst).
    pub message: String,
    /// The file the problem is in, if any.
    pub path: Option<PathBuf>,
    pub location: Option<Location>,
    /// Short text printed under the underline, usually what was expected.
    pub label: Option<String>,
    /// Extra facts (`note:` lines).
    pub notes: Vec<String>,
    /// What to do about it (`help:` lines), e.g. "did you mean `prescription`?".
    pub help: Vec<String>,
    /// Further problems this one stands for without printing them: the "N more errors
    /// in this file" line of a capped file has N. They count in [`Diagnostics::error_count`],
    /// so that the summary line gives the real number of errors.
    pub hidden: usize,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            location: None,
            label: None,
            notes: Vec::new(),
            help: Vec::new(),
            hidden: 0,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }

    /// Marks this diagnostic as standing for `count` other, unprinted ones.
    pub fn hiding(mut self, count: usize) -> Diagnostic {
        self.hidden = count;
        self
    }

    /// Adds a "did you mean" hint naming `best`, if any (for callers that pick the
    /// suggestion themselves, like vocabularies mapping an alias to its canonical name).
    pub fn did_you_mean(self, best: Option<&str>) -> Diagnostic {
        match best {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    /// Adds a "did you mean" hint when `found` is close to one of `candidates`.
    pub fn suggest<'a>(
        self,
        found: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Diagnostic {
        match closest(found, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, the way editors and terminals make it clickable.
    pub fn position(&self, base: Option<&Path>) -> Option<String> {
        let path = self.path.as_ref()?;
        let shown = display_path(path, base);
        Some(match &self.location {
            Some(loc) => format!("{shown}:{}:{}", loc.line, loc.column),
            None => shown,
        })
    }

    /// Renders the diagnostic in the cargo / rustc layout.
    ///
    /// Paths are shown relative to `base` when they are under it, so that messages read
    /// `engagements/acme/data/sales.csv:12:5` rather than an absolute path.
    pub fn render(&self, base: Option<&Path>, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // A file name or a quoted value can hold terminal control characters: shown as
        // their pictures (`␛`), never sent to the terminal.
        let path = self
            .path
            .as_ref()
            .map(|p| printable(&display_path(p, base), false));
        let message = printable(&self.message, false);
        let label = self.label.as_deref().map(|l| printable(l, false));
        let notes: Vec<String> = self.notes.iter().map(|n| printable(n, true)).collect();
        let help: Vec<String> = self.help.iter().map(|h| printable(h, true)).collect();
        let title = level.clone().primary_title(message.as_str());
        let mut group;
        match (&self.location, &path) {
            (Some(loc), Some(path)) => {
                let mut annotation = AnnotationKind::Primary.span(loc.underline.clone());
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_str());
                }
                group = title.element(
                    Snippet::source(loc.line_text.as_str())
                        .line_start(loc.line)
                        .path(path.as_str())
                        .annotation(annotation),
                );
            }
            _ => {
                // A whole-file problem: the `--> path` line alone, as rustc prints it.
                group = match &path {
                    Some(path) => title.element(Origin::path(path.as_str())),
                    None => Group::with_title(title),
                };
                if let Some(label) = &label {
                    group = group.element(Level::NOTE.message(label.as_str()));
                }
            }
        }
        for note in &notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        for help in &help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

/// `text` with its control characters replaced by their Unicode pictures (ESC → `␛`),
/// line breaks kept where `lines` (notes and help may span lines).
fn printable(text: &str, lines: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\n' if lines => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(None, false))
    }
}

/// Shows `path` relative to `base` when it lies under it.
pub fn display_path(path: &Path, base: Option<&Path>) -> String {
    let shown = base
        .and_then(|base| path.strip_prefix(base).ok())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path);
    shown.display().to_string()
}

/// A count for messages, with a comma between thousands: `4,812`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The candidate closest to `found`, if it is close enough to be a likely typo.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&found_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The problems found while working on one engagement, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Errors found, including those a capped file did not print.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.is_error())
            .map(|d| 1 + d.hidden)
            .sum()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| !d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file (engagement.toml first), then position, so that output is stable
    /// and reads top to bottom.
    ///
    /// Within a file, problems without a position come after the located ones, in the
    /// order they were found (the sort is stable): a capped file's "N more errors" line
    /// must close the file's list, not open it.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    // engagement.toml says how every table is read: its problems come
                    // first (engagement-format.md, "Order of diagnostics").
                    d.path.as_ref().and_then(|p| p.file_name()) != Some("engagement.toml".as_ref()),
                    d.path.clone(),
                    d.location
                        .as_ref()
                        .map_or((usize::MAX, usize::MAX), |l| (l.line, l.column)),
                )
            };
            key(a).cmp(&key(b))
        });
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_span_counts_lines_and_chars() {
        let src = "a = 1\nclient = \"Écoles\"\nb = 2\n";
        let start = src.find("\"Éc").unwrap();
        let loc = Location::from_span(src, start..start + 9);
        assert_eq!(loc.line, 2);
        assert_eq!(loc.column, 10);
        assert_eq!(loc.line_text, "client = \"Écoles\"");
        assert_eq!(&loc.line_text[loc.underline.clone()], "\"Écoles\"");
    }

    #[test]
    fn multi_line_span_is_cut_to_first_line() {
        let src = "x = [\n1,\n2]\n";
        let loc = Location::from_span(src, 4..src.len());
        assert_eq!(loc.line, 1);
        assert_eq!(loc.underline, 4..5);
    }

    #[test]
    fn rendering_names_file_line_and_column() {
        let d = Diagnostic::error("unknown lead source `prescripton`")
            .in_file("/w/engagements/acme/data/leads.csv")
            .at(Location::in_line(
                3,
                "L3,2025-01-02,prescripton,new",
                14..25,
            ))
            .label("expected one of `sales_action`, `offline`, `online`, `prescription`, `other`")
            .suggest("prescripton", ["sales_action", "prescription", "online"]);
        let text = d.render(Some(Path::new("/w")), false);
        assert!(
            text.contains("error: unknown lead source `prescripton`"),
            "{text}"
        );
        assert!(
            text.contains("engagements/acme/data/leads.csv:3:15"),
            "{text}"
        );
        assert!(text.contains("^^^^^^^^^^^"), "{text}");
        assert!(
            text.contains("help: did you mean `prescription`?"),
            "{text}"
        );
    }

    #[test]
    fn whole_file_problems_close_their_file_and_hidden_errors_count() {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error("3 more errors in this file not shown")
                .in_file("a.csv")
                .hiding(2),
        );
        d.push(
            Diagnostic::error("second")
                .in_file("a.csv")
                .at(Location::in_line(9, "x", 0..1)),
        );
        d.push(
            Diagnostic::error("first")
                .in_file("a.csv")
                .at(Location::in_line(2, "x", 0..1)),
        );
        d.push(Diagnostic::warning("elsewhere").in_file("b.toml"));
        assert_eq!(d.error_count(), 5);
        assert_eq!(d.warning_count(), 1);
        let order: Vec<String> = d.into_sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(
            order,
            [
                "first",
                "second",
                "3 more errors in this file not shown",
                "elsewhere"
            ]
        );
    }

    #[test]
    fn whole_file_problems_render_the_path_alone() {
        let text = Diagnostic::error("sales file is empty")
            .in_file("/w/engagements/acme/data/sales.csv")
            .help("the first line must name the columns")
            .render(Some(Path::new("/w")), false);
        assert!(
            text.contains("--> engagements/acme/data/sales.csv\n"),
            "{text}"
        );
        assert!(text.contains("= help: the first line"), "{text}");
    }

    #[test]
    fn closest_ignores_far_candidates() {
        assert_eq!(closest("zzz", ["prescription", "online"]), None);
        assert_eq!(closest("onlin", ["prescription", "online"]), Some("online"));
    }

    #[test]
    fn control_characters_of_a_file_name_or_a_value_never_reach_the_terminal() {
        let d = Diagnostic::error("bad \u{1b}[2J value")
            .in_file(Path::new("notes/a\u{1b}[31mb\u{7}c.md"))
            .note("the file name `a\u{1b}[31mb`")
            .help("write client = \"5\u{1b}[2J\"");
        let text = d.render(None, false);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(text.contains('\u{241b}'), "{text}");
    }
}
