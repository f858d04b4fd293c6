//! Typed reading of the engagement's TOML files, with every problem collected.
//!
//! serde stops at the first error and loses the position of values it accepted. A
//! consultant fixing `engagement.toml` wants all problems at once, each pointing at its
//! line, so the files are parsed into toml's spanned tree and read field by field here.
//! Every key read is remembered; whatever is left over in a table is an unknown key,
//! reported with the nearest known key as a suggestion.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Location};
use crate::vocab::Vocabulary;

/// The largest number a TOML file may hold in absolute value (a quadrillion: no
/// objective, budget or threshold comes near it).
pub const MAX_NUMBER: Decimal = Decimal::from_parts(0xA4C6_8000, 0x3_8D7E, 0, false, 0);
/// The smallest non-zero number (a millionth: no rate or share is finer).
pub const MIN_NUMBER: Decimal = Decimal::from_parts(1, 0, 0, false, 6);

/// Problems reported per TOML file; beyond, they are only counted.
const MAX_REPORTED: usize = 50;

/// A value with the place it came from, so later stages (the action plan's KPI paths,
/// rule thresholds) can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

/// Where a value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub location: Location,
}

impl Origin {
    /// A diagnostic pointing at this value.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.path.clone())
            .at(self.location.clone())
    }

    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(message)
            .in_file(self.path.clone())
            .at(self.location.clone())
    }
}

/// One TOML file being read; collects the diagnostics of everything read from it.
pub struct TomlFile<'s> {
    path: PathBuf,
    source: &'s str,
    /// Syntax errors, kept apart: when there are any, they are all that is reported.
    syntax: RefCell<Vec<Diagnostic>>,
    /// Where root keys are, for "unknown key" messages: "at the top level", or "in the
    /// front matter" for a note.
    top_level: &'static str,
    diagnostics: RefCell<Vec<Diagnostic>>,
    /// Problems found beyond [`MAX_REPORTED`], counted only.
    dropped: std::cell::Cell<usize>,
}

impl<'s> TomlFile<'s> {
    pub fn new(path: &Path, source: &'s str) -> TomlFile<'s> {
        TomlFile {
            path: path.to_path_buf(),
            source,
            syntax: RefCell::new(Vec::new()),
            top_level: "at the top level",
            diagnostics: RefCell::new(Vec::new()),
            dropped: std::cell::Cell::new(0),
        }
    }

    /// Names the root table in messages, e.g. "in the front matter".
    pub fn top_level_named(mut self, place: &'static str) -> TomlFile<'s> {
        self.top_level = place;
        self
    }

    /// Parses the document; syntax errors are recorded and whatever could be recovered is
    /// returned, so that callers can read it as usual without special cases. What is
    /// found in a recovered document is not reported, though (see
    /// [`TomlFile::into_diagnostics`]).
    pub fn parse(&self) -> Spanned<DeTable<'s>> {
        let (table, errors) = DeTable::parse_recoverable(self.source);
        for error in errors {
            let message = error.message().trim_end_matches('\n');
            let mut diagnostic =
                Diagnostic::error(format!("invalid TOML: {message}")).in_file(self.path.clone());
            if let Some(span) = error.span() {
                // toml says "duplicate key" without naming it; the span is the key.
                if message == "duplicate key"
                    && let Some(key) = self.source.get(span.clone())
                    && !key.contains('\n')
                {
                    diagnostic = Diagnostic::error(format!("invalid TOML: duplicate key `{key}`"))
                        .in_file(self.path.clone())
                        .label("already defined above");
                }
                if message.contains("must be quoted")
                    && let Some(help) = quoted_form(self.source, span.start)
                {
                    diagnostic = diagnostic.help(help);
                }
                diagnostic = diagnostic.at(Location::from_span(self.source, span));
            }
            self.syntax.borrow_mut().push(diagnostic);
        }
        table
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether [`TomlFile::parse`] found syntax errors.
    pub fn has_syntax_errors(&self) -> bool {
        !self.syntax.borrow().is_empty()
    }

    pub fn origin(&self, span: Range<usize>) -> Origin {
        Origin {
            path: self.path.clone(),
            location: Location::from_span(self.source, span),
        }
    }

    pub fn report(&self, diagnostic: Diagnostic) {
        let mut found = self.diagnostics.borrow_mut();
        // A file written by a script can hold thousands of mistakes: the first ones say
        // what is wrong, the rest only cost time and memory (each keeps its line).
        if found.len() < MAX_REPORTED {
            found.push(diagnostic);
        } else {
            self.dropped.set(self.dropped.get() + 1);
        }
    }

    /// Reports an error pointing at `span`.
    pub fn error_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.origin(span).error(message)
    }

    /// Everything found in the file. When the file has syntax errors, only those: the
    /// recovered document lacks whatever followed each error, and reading it yields
    /// misleading follow-up errors (an unclosed `[engagement` header also gives "missing
    /// `[engagement]`" and "unknown key `client` at the top level"). Like cargo, report
    /// the syntax first; the rest shows once it is fixed.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let syntax = self.syntax.into_inner();
        if syntax.is_empty() {
            let mut found = self.diagnostics.into_inner();
            let dropped = self.dropped.get();
            if dropped > 0 {
                found.push(
                    Diagnostic::error(format!(
                        "and {} more problem{} in this file",
                        crate::diagnostic::count(dropped),
                        if dropped == 1 { "" } else { "s" }
                    ))
                    .in_file(self.path.to_path_buf())
                    .help("fix the ones above first: the rest often follow from them"),
                );
            }
            found
        } else {
            syntax
        }
    }

    /// A view of the document's root table.
    pub fn root<'t>(&'t self, table: &'t Spanned<DeTable<'s>>) -> TableView<'t, 's> {
        TableView {
            file: self,
            table: table.get_ref(),
            span: table.span(),
            name: String::new(),
            read: RefCell::new(BTreeSet::new()),
        }
    }
}

/// The help for a text value written without quotes (`client = Maison Vidal`): the
/// same line with the value quoted, ready to paste.
fn quoted_form(source: &str, start: usize) -> Option<String> {
    let start = start.min(source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let before = &source[line_start..start];
    let key = before
        .trim_end()
        .strip_suffix('=')?
        .rsplit(['{', ','])
        .next()?
        .trim();
    let rest = &source[start..line_end];
    let value = rest
        .split(['#', ',', '}', ']', '\r'])
        .next()
        .unwrap_or("")
        .trim();
    if key.is_empty() || value.is_empty() {
        return None;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!(
        "text values are written in double quotes: `{key} = \"{escaped}\"`"
    ))
}

/// A table being read. Call [`TableView::finish`] once every known key was read, to
/// report the unknown ones.
pub struct TableView<'t, 's> {
    file: &'t TomlFile<'s>,
    table: &'t DeTable<'s>,
    span: Range<usize>,
    /// Dotted name of the table, e.g. `engagement` or `data.sales`, for messages.
    name: String,
    read: RefCell<BTreeSet<&'static str>>,
}

impl<'t, 's> TableView<'t, 's> {
    pub fn file(&self) -> &'t TomlFile<'s> {
        self.file
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn dotted(&self, key: &str) -> String {
        if self.name.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.name)
        }
    }

    /// The raw value of a known key.
    pub fn get(&self, key: &'static str) -> Option<&'t Spanned<DeValue<'s>>> {
        self.read.borrow_mut().insert(key);
        self.table.get(key)
    }

    /// Every entry, for tables whose keys are free (column mappings, budgets), in the
    /// order of the file. (toml's table is sorted by key: `en_ligne` would come before
    /// `online`, and "given twice" would then point at the first of the two.)
    pub fn entries(
        &self,
    ) -> impl Iterator<
        Item = (
            &'t Spanned<std::borrow::Cow<'s, str>>,
            &'t Spanned<DeValue<'s>>,
        ),
    > {
        let mut entries: Vec<_> = self.table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        entries.into_iter()
    }

    fn wrong_type(&self, key: &str, value: &Spanned<DeValue<'s>>, expected: &str) {
        self.file.report(
            self.file
                .error_at(
                    value.span(),
                    format!("`{}` must be {expected}", self.dotted(key)),
                )
                .label(format!("found {}", value.get_ref().type_str())),
        );
    }

    /// Reports a required key that is missing.
    pub fn missing(&self, key: &str, expected: &str) {
        let where_ = if self.name.is_empty() {
            "the file".to_string()
        } else {
            format!("[{}]", self.name)
        };
        let mut d = Diagnostic::error(format!("missing `{key}` in {where_}"))
            .in_file(self.file.path.clone())
            .help(format!("add `{key} = {expected}`"));
        if !self.name.is_empty() {
            d = d.at(Location::from_span(self.file.source, self.span.clone()));
        }
        self.file.report(d);
    }

    pub fn string(&self, key: &'static str) -> Option<Sourced<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Sourced {
                value: s.to_string(),
                origin: self.file.origin(value.span()),
            }),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// A text the consultant may write in each report language: a string, or a table by
    /// language code (`title = { fr = "Diagnostic commercial", en = "Sales review" }`).
    /// The text for `language` is returned; without one, another language's text is used
    /// and a warning says so (an English report with a French title is readable, but the
    /// consultant should know).
    pub fn localized_string(
        &self,
        key: &'static str,
        language: crate::vocab::Language,
    ) -> Option<Sourced<String>> {
        use crate::vocab::{Language, Vocabulary};
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(_) => self.string(key),
            DeValue::Table(table) if table.is_empty() => {
                // `title = {}`: a text was meant and none was written; dropping the key
                // silently would print the default in its place without a word.
                self.file.report(
                    self.file
                        .error_at(
                            value.span(),
                            format!("`{}` is an empty table of texts", self.dotted(key)),
                        )
                        .label("expected a text, or texts by language such as `{ fr = \"...\", en = \"...\" }`")
                        .help(format!("write the text, or remove `{key}` to use the default")),
                );
                None
            }
            DeValue::Table(_) => {
                let texts = self.table_value(key, value)?;
                let mut found: Vec<(Language, Sourced<String>)> = Vec::new();
                // Other keys (`de`) are reported by `finish`, with the nearest language.
                for l in [Language::Fr, Language::En] {
                    if let Some(text) = texts.string(l.name()) {
                        found.push((l, text));
                    }
                }
                texts.finish();
                if let Some((_, text)) = found.iter().find(|(l, _)| *l == language) {
                    return Some(text.clone());
                }
                let (other, text) = found.into_iter().next()?;
                self.file.report(
                    self.file
                        .origin(value.span())
                        .warning(format!(
                            "`{}` has no `{}` text",
                            self.dotted(key),
                            language.name()
                        ))
                        .label(format!(
                            "the report is in `{}`: the `{}` text is used",
                            language.name(),
                            other.name()
                        )),
                );
                Some(text)
            }
            _ => {
                self.wrong_type(key, value, "a string or a table of texts by language");
                None
            }
        }
    }

    pub fn required_string(&self, key: &'static str, example: &str) -> Option<Sourced<String>> {
        if self.table.get(key).is_none() {
            self.get(key);
            self.missing(key, example);
            return None;
        }
        self.string(key).filter(|s| {
            if s.value.trim().is_empty() {
                self.file.report(
                    s.origin
                        .error(format!("`{}` must not be empty", self.dotted(key))),
                );
                false
            } else {
                true
            }
        })
    }

    pub fn bool(&self, key: &'static str) -> Option<Sourced<bool>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Sourced {
                value: *b,
                origin: self.file.origin(value.span()),
            }),
            _ => {
                self.wrong_type(key, value, "true or false");
                None
            }
        }
    }

    /// A number, kept exact: TOML integers and floats both become decimals.
    pub fn decimal(&self, key: &'static str) -> Option<Sourced<Decimal>> {
        let value = self.get(key)?;
        self.decimal_value(key, value)
    }

    pub fn decimal_value(
        &self,
        key: &str,
        value: &Spanned<DeValue<'s>>,
    ) -> Option<Sourced<Decimal>> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => Decimal::from_str(i.as_str()).ok(),
            DeValue::Float(f) => Decimal::from_str(f.as_str())
                .or_else(|_| Decimal::from_scientific(f.as_str()))
                .ok(),
            _ => None,
        };
        match parsed {
            // Checked where it is read, so that no later sum, product or ratio of the
            // figures can overflow (1e-28 as a divisor, 7.9e28 as a threshold).
            Some(d) if d.abs() > MAX_NUMBER || (!d.is_zero() && d.abs() < MIN_NUMBER) => {
                self.file.report(
                    self.file
                        .error_at(
                            value.span(),
                            format!("`{}` is out of range", self.dotted(key)),
                        )
                        .label(format!(
                            "expected 0 or a number from {MIN_NUMBER} to {} in absolute value",
                            crate::diagnostic::count(1_000_000_000_000_000)
                        )),
                );
                None
            }
            Some(d) => Some(Sourced {
                value: d,
                origin: self.file.origin(value.span()),
            }),
            None => {
                self.wrong_type(key, value, "a number");
                None
            }
        }
    }

    /// A non-negative number.
    pub fn amount(&self, key: &'static str) -> Option<Sourced<Decimal>> {
        let value = self.decimal(key)?;
        if value.value.is_sign_negative() {
            self.file.report(
                value
                    .origin
                    .error(format!("`{}` must not be negative", self.dotted(key)))
                    .label("expected a number >= 0"),
            );
            return None;
        }
        Some(value)
    }

    /// A share between 0 and 1 inclusive.
    pub fn share(&self, key: &'static str) -> Option<Sourced<Decimal>> {
        let value = self.decimal(key)?;
        self.check_share(key, value)
    }

    pub fn check_share(&self, key: &str, value: Sourced<Decimal>) -> Option<Sourced<Decimal>> {
        if value.value < Decimal::ZERO || value.value > Decimal::ONE {
            let mut d = value
                .origin
                .error(format!(
                    "`{}` must be a share between 0 and 1",
                    self.dotted(key)
                ))
                .label(format!("found {}", value.value));
            if value.value > Decimal::ONE && value.value <= Decimal::from(100) {
                d = d.help(format!(
                    "write percentages as fractions: {} % is `{}`",
                    value.value,
                    value.value / Decimal::from(100)
                ));
            }
            self.file.report(d);
            return None;
        }
        Some(value)
    }

    /// A whole number within `range`.
    pub fn integer(&self, key: &'static str, range: Range<i64>) -> Option<Sourced<i64>> {
        let value = self.get(key)?;
        self.integer_value(key, value, range)
    }

    pub fn integer_value(
        &self,
        key: &str,
        value: &Spanned<DeValue<'s>>,
        range: Range<i64>,
    ) -> Option<Sourced<i64>> {
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(key, value, "a whole number");
            return None;
        };
        let parsed = i64::from_str_radix(i.as_str(), i.radix()).ok();
        match parsed {
            Some(n) if range.contains(&n) => Some(Sourced {
                value: n,
                origin: self.file.origin(value.span()),
            }),
            _ => {
                self.file.report(
                    self.file
                        .error_at(
                            value.span(),
                            format!("`{}` is out of range", self.dotted(key)),
                        )
                        .label(format!(
                            "expected a whole number from {} to {}",
                            range.start,
                            range.end - 1
                        )),
                );
                None
            }
        }
    }

    /// A calendar date, written `"2025-01-01"` or as a bare TOML date.
    pub fn date(&self, key: &'static str) -> Option<Sourced<NaiveDate>> {
        let value = self.get(key)?;
        let origin = self.file.origin(value.span());
        let parsed = match value.get_ref() {
            DeValue::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())),
            _ => None,
        };
        // Years far from today are typos (`0025`, `2205`), never a fiscal year.
        let parsed = parsed.filter(|d| (super::tables::YEARS).contains(&chrono::Datelike::year(d)));
        match parsed {
            Some(date) => Some(Sourced {
                value: date,
                origin,
            }),
            None => {
                self.file.report(
                    origin
                        .error(format!("`{}` is not a valid date", self.dotted(key)))
                        .label("expected a date like \"2025-01-01\" (YYYY-MM-DD)"),
                );
                None
            }
        }
    }

    pub fn required_date(&self, key: &'static str) -> Option<Sourced<NaiveDate>> {
        if self.table.get(key).is_none() {
            self.get(key);
            self.missing(key, "\"2025-01-01\"");
            return None;
        }
        self.date(key)
    }

    /// A value of a closed vocabulary; unknown values get a suggestion.
    pub fn word<V: Vocabulary>(&self, key: &'static str) -> Option<Sourced<V>> {
        let value = self.string(key)?;
        match V::parse(&value.value) {
            Some(v) => Some(Sourced {
                value: v,
                origin: value.origin,
            }),
            None => {
                self.file.report(
                    value
                        .origin
                        .error(format!("unknown {} `{}`", V::WHAT, value.value))
                        .label(V::expected())
                        .did_you_mean(V::closest(&value.value)),
                );
                None
            }
        }
    }

    /// An array of strings.
    pub fn strings(&self, key: &'static str) -> Vec<Sourced<String>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Sourced {
                    value: s.to_string(),
                    origin: self.file.origin(item.span()),
                }),
                _ => self.wrong_type(key, item, "a string"),
            }
        }
        out
    }

    /// A sub-table (`[a.b]` or an inline table).
    pub fn table(&self, key: &'static str) -> Option<TableView<'t, 's>> {
        let value = self.get(key)?;
        self.table_value(key, value)
    }

    pub fn table_value(
        &self,
        key: &str,
        value: &'t Spanned<DeValue<'s>>,
    ) -> Option<TableView<'t, 's>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(TableView {
                file: self.file,
                table,
                span: value.span(),
                name: self.dotted(key),
                read: RefCell::new(BTreeSet::new()),
            }),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[rep]]`).
    pub fn tables(&self, key: &'static str) -> Vec<TableView<'t, 's>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of tables, written [[key]]");
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.table_value(key, item))
            .collect()
    }

    /// Reports every key of this table that was not read, with a suggestion taken
    /// from the keys that were.
    pub fn finish(&self) {
        let read = self.read.borrow();
        for (key, _) in self.table.iter() {
            if read.contains(key.get_ref().as_ref()) {
                continue;
            }
            let where_ = if self.name.is_empty() {
                self.file.top_level.to_string()
            } else {
                format!("in [{}]", self.name)
            };
            let known: Vec<String> = read.iter().map(|k| format!("`{k}`")).collect();
            let mut d = self
                .file
                .error_at(
                    key.span(),
                    format!("unknown key `{}` {where_}", key.get_ref()),
                )
                .suggest(key.get_ref(), read.iter().copied());
            if !known.is_empty() {
                d = d.note(format!("known keys: {}", known.join(", ")));
            }
            self.file.report(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_number(text: &str) -> (Option<Decimal>, Vec<Diagnostic>) {
        let source = format!("x = {text}\n");
        let file = TomlFile::new(Path::new("t.toml"), &source);
        let doc = file.parse();
        let root = file.root(&doc);
        let value = root.decimal("x").map(|d| d.value);
        root.finish();
        (value, file.into_diagnostics())
    }

    #[test]
    fn numbers_are_range_checked_where_they_are_read() {
        assert_eq!(MAX_NUMBER, Decimal::from(1_000_000_000_000_000i64));
        assert_eq!(MIN_NUMBER, Decimal::new(1, 6));
        assert_eq!(read_number("1_200_000").0, Some(Decimal::from(1_200_000)));
        assert_eq!(read_number("0").0, Some(Decimal::ZERO));
        assert_eq!(read_number("0.000001").0, Some(Decimal::new(1, 6)));
        for bad in ["7.9e28", "1e-28", "-2e15", "0.0000001"] {
            let (value, found) = read_number(bad);
            assert_eq!(value, None, "{bad}");
            assert_eq!(found.len(), 1, "{bad}");
            assert_eq!(found[0].message, "`x` is out of range");
            assert_eq!(found[0].location.as_ref().map(|l| l.column), Some(5));
        }
    }

    #[test]
    fn unquoted_text_gets_its_quoted_form() {
        let src = "a = 1\nclient = Maison \"Vidal\" # ok\n";
        let at = src.find("Maison").unwrap();
        assert_eq!(
            quoted_form(src, at).as_deref(),
            Some("text values are written in double quotes: `client = \"Maison \\\"Vidal\\\"\"`")
        );
        let src = "columns = { date = Date facture, amount = \"x\" }";
        let at = src.find("Date").unwrap();
        assert_eq!(
            quoted_form(src, at).as_deref(),
            Some("text values are written in double quotes: `date = \"Date facture\"`")
        );
    }
}
