//! The cells of one row, as the table parsers see them.
//!
//! A row comes from a CSV record or from a workbook's sheet; the parsers of `rows.rs`
//! ask for a column's text, date, number or word and never care which. This is also
//! where each cell's problems are reported: with the file, line and column (or the
//! sheet and cell, `ventes.xlsx › Ventes!C14`), grouped when identical, and where the
//! `values` maps of engagement.toml translate a CRM's words into levier's.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use calamine::Data;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use rustc_hash::FxHashMap;

use super::cells::{
    AmountError, DateFormat, NumberStyle, YEARS, date_format_hint, decimal_from_f64,
    excel_serial_date, in_range, looks_like, parse_number,
};
use super::text::field_span;
use super::{LeftOut, workbook};
use crate::diagnostic::{Diagnostic, Location, count};
use crate::engagement::sources::EmptyClient;
use crate::vocab::{TableKind, Vocabulary, fold, parse_bool};

/// Stop listing errors of one file after this many: a systematic problem (wrong date
/// format) would otherwise print a million lines.
pub(crate) const MAX_ERRORS_PER_FILE: usize = 20;

/// Identical cell errors (same column, same cause) shown before the rest of them are
/// summed up in one "and N more rows" line: the first few show the pattern, the line
/// range shows how far it goes.
const SHOWN_PER_PROBLEM: usize = 3;

/// What the engagement says that reading a table needs: the language (for the
/// "(no account)" pseudo-client) and the currency with its exchange rates.
#[derive(Debug, Clone, Copy)]
pub struct ReadContext<'c> {
    pub language: crate::vocab::Language,
    pub currency: &'c str,
    pub exchange_rates: &'c BTreeMap<String, Decimal>,
}

/// A value map entry: levier's word, and whether engagement.toml wrote it (rather than
/// a preset), so that an entry no cell matches can be reported.
#[derive(Debug, Clone)]
pub(crate) struct MapEntry {
    pub word: String,
    pub written: bool,
}

/// Where a row's cells are.
#[derive(Clone, Copy)]
pub(crate) enum RowData<'r> {
    Csv {
        record: &'r csv::StringRecord,
        /// The record's first byte in the file's text.
        byte: usize,
    },
    /// A workbook row; `row` is 0-based, absolute in the sheet.
    Sheet { cells: &'r [Data], row: u32 },
}

/// One data row being read.
#[derive(Clone, Copy)]
pub(crate) struct Row<'r> {
    pub data: RowData<'r>,
    /// The line of the file (CSV), or the row number of the sheet (1-based).
    pub line: u32,
}

/// One kind of cell error met in several rows.
struct Repeated {
    /// Index in `diagnostics` of the last occurrence shown.
    last_shown: Option<usize>,
    shown: usize,
    /// Occurrences not shown, and their first and last lines.
    more: usize,
    lines: (u32, u32),
    /// "with this value" (an unknown word) rather than "with the same problem".
    per_value: bool,
}

/// Shared state while reading one file (or one sheet).
pub(crate) struct Reader<'a> {
    pub kind: TableKind,
    pub path: &'a Path,
    /// The file's path relative to the engagement folder, for messages.
    pub rel: &'a str,
    /// CSV: the file's text. Workbooks: empty.
    pub text: &'a str,
    /// Workbooks: the sheet's name and its first column.
    pub sheet: Option<(&'a str, u32)>,
    pub delimiter: u8,
    pub numbers: NumberStyle,
    pub dates: DateFormat,
    pub empty_client: EmptyClient,
    pub context: ReadContext<'a>,
    /// Column index of each canonical column present. Looked up several times per row:
    /// hashed, not ordered (nothing iterates it).
    pub index: rustc_hash::FxHashMap<&'static str, usize>,
    /// The header as written in the file, per canonical column (for messages).
    pub headers: BTreeMap<&'static str, String>,
    /// Value maps by canonical column: the file's value (trimmed) to levier's word.
    pub values: BTreeMap<&'static str, BTreeMap<String, MapEntry>>,
    /// Value map keys that matched a cell.
    pub values_used: BTreeSet<(&'static str, String)>,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    /// Repeated cell errors, by (column, cause or value).
    problems: FxHashMap<(String, String), Repeated>,
    /// Where the header is: its first byte and its line number (CSV).
    pub header_byte: usize,
    pub header_line_no: usize,
    pub left_out: LeftOut,
    /// Rows per currency, and the rows of currencies without a rate.
    pub currencies: BTreeMap<String, usize>,
    pub unconverted: BTreeMap<String, (u32, usize)>,
    /// What a preset did, for `levier check --explain`.
    pub explain: Vec<String>,
}

impl<'a> Reader<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: TableKind,
        path: &'a Path,
        rel: &'a str,
        text: &'a str,
        sheet: Option<(&'a str, u32)>,
        delimiter: u8,
        numbers: NumberStyle,
        dates: DateFormat,
        empty_client: EmptyClient,
        context: ReadContext<'a>,
    ) -> Reader<'a> {
        Reader {
            kind,
            path,
            rel,
            text,
            sheet,
            delimiter,
            numbers,
            dates,
            empty_client,
            context,
            index: rustc_hash::FxHashMap::default(),
            headers: BTreeMap::new(),
            values: BTreeMap::new(),
            values_used: BTreeSet::new(),
            diagnostics: Vec::new(),
            errors: 0,
            problems: FxHashMap::default(),
            header_byte: 0,
            header_line_no: 1,
            left_out: LeftOut::default(),
            currencies: BTreeMap::new(),
            unconverted: BTreeMap::new(),
            explain: Vec::new(),
        }
    }

    /// The raw cell of column index `i`, as text (trimmed; `None` when empty). Number
    /// cells of a workbook give the decimal they show (an id `1042`, never `1042.0`),
    /// date cells their ISO date.
    pub fn raw<'r>(&self, row: &Row<'r>, i: usize) -> Option<Cow<'r, str>> {
        match row.data {
            RowData::Csv { record, .. } => {
                let value = record.get(i)?.trim();
                (!value.is_empty()).then_some(Cow::Borrowed(value))
            }
            RowData::Sheet { cells, .. } => {
                let text: Cow<'r, str> = match cells.get(i)? {
                    Data::Empty => return None,
                    Data::String(s) => Cow::Borrowed(s.trim()),
                    Data::Float(f) => Cow::Owned(decimal_from_f64(*f)?.to_string()),
                    Data::Int(n) => Cow::Owned(n.to_string()),
                    Data::Bool(b) => Cow::Owned(b.to_string()),
                    Data::DateTime(dt) => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        Cow::Owned(format!("{y:04}-{m:02}-{d:02}"))
                    }
                    Data::DateTimeIso(s) | Data::DurationIso(s) => Cow::Borrowed(s.trim()),
                    Data::Error(e) => Cow::Owned(e.to_string()),
                };
                (!text.is_empty()).then_some(text)
            }
        }
    }

    pub fn cell<'r>(&self, row: &Row<'r>, column: &str) -> Option<Cow<'r, str>> {
        let i = *self.index.get(column)?;
        self.raw(row, i)
    }

    pub fn line_text(&self, byte: usize) -> &str {
        let start = byte.min(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.text[start..end].trim_end_matches('\r')
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.errors += 1;
            if self.errors > MAX_ERRORS_PER_FILE {
                return;
            }
        }
        self.diagnostics.push(diagnostic);
    }

    /// Reports a cell problem, grouping it with the identical ones (same column, same
    /// `cause`): the first [`SHOWN_PER_PROBLEM`] are shown, the others counted. With
    /// `per_value`, the cause is the cell's value and only its first row is shown.
    fn report_grouped(
        &mut self,
        column: &str,
        cause: String,
        per_value: bool,
        line: u32,
        d: Diagnostic,
    ) {
        let key = (column.to_string(), cause);
        let limit = if per_value { 1 } else { SHOWN_PER_PROBLEM };
        let repeated = self.problems.entry(key.clone()).or_insert(Repeated {
            last_shown: None,
            shown: 0,
            more: 0,
            lines: (line, line),
            per_value,
        });
        if repeated.shown < limit {
            repeated.shown += 1;
            let shown_before = self.diagnostics.len();
            self.report(d);
            let repeated = self.problems.get_mut(&key).expect("inserted above");
            if self.diagnostics.len() > shown_before {
                repeated.last_shown = Some(shown_before);
            }
        } else {
            if repeated.more == 0 {
                repeated.lines.0 = line;
            }
            repeated.more += 1;
            repeated.lines.1 = line;
        }
    }

    pub fn report_cell(&mut self, column: &str, cause: &'static str, line: u32, d: Diagnostic) {
        self.report_grouped(column, cause.to_string(), false, line, d);
    }

    /// Adds the "and N more rows" line to each repeated error.
    pub fn close_problems(&mut self) {
        let mut problems: Vec<&Repeated> = self.problems.values().collect();
        problems.sort_by_key(|r| r.last_shown);
        for r in problems {
            let Some(i) = r.last_shown.filter(|_| r.more > 0) else {
                continue;
            };
            let d = std::mem::replace(&mut self.diagnostics[i], Diagnostic::error(""));
            let hidden = if d.is_error() { r.more } else { 0 };
            let lines = if r.lines.0 == r.lines.1 {
                format!("line {}", count(r.lines.0 as usize))
            } else {
                format!(
                    "lines {}\u{2013}{}",
                    count(r.lines.0 as usize),
                    count(r.lines.1 as usize)
                )
            };
            let what = if r.per_value {
                "with this value"
            } else {
                "with the same problem"
            };
            self.diagnostics[i] = d
                .note(format!(
                    "and {} more row{} {what} ({lines})",
                    count(r.more),
                    if r.more == 1 { "" } else { "s" }
                ))
                .hiding(hidden);
        }
    }

    /// Spreadsheet name of a column: A, B, ..., Z, AA, ...
    pub(crate) fn column_name(mut col: u32) -> String {
        let mut name = Vec::new();
        loop {
            name.push(b'A' + (col % 26) as u8);
            if col < 26 {
                break;
            }
            col = col / 26 - 1;
        }
        name.reverse();
        String::from_utf8(name).expect("ASCII letters")
    }

    /// Where a cell is, for a diagnostic: its line and underlined field (CSV), or the
    /// sheet and cell (workbooks, `data/ventes.xlsx › Ventes!C14`).
    pub fn place(&self, row: &Row<'_>, column: &str, d: Diagnostic) -> Diagnostic {
        match row.data {
            RowData::Csv { byte, .. } => {
                let line_text = self.line_text(byte);
                let span = self
                    .index
                    .get(column)
                    .map(|&i| field_span(line_text, self.delimiter, i))
                    .unwrap_or(0..0);
                d.in_file(self.path)
                    .at(Location::in_line(row.line as usize, line_text, span))
            }
            RowData::Sheet { row: r, .. } => {
                let (sheet, first_col) = self.sheet.unwrap_or(("", 0));
                let col = self
                    .index
                    .get(column)
                    .map_or(first_col, |&i| first_col + i as u32);
                d.in_file(workbook::cell_path(
                    self.path,
                    sheet,
                    &format!("{}{}", Self::column_name(col), r + 1),
                ))
            }
        }
    }

    pub fn cell_error(
        &mut self,
        row: &Row<'_>,
        column: &str,
        message: String,
        expected: String,
    ) -> Diagnostic {
        let header = self.headers.get(column).cloned().unwrap_or_default();
        let column_note = if header == column {
            format!("in column `{column}`")
        } else {
            format!("in column `{header}` (mapped to `{column}`)")
        };
        self.place(row, column, Diagnostic::error(message))
            .label(expected)
            .note(column_note)
    }

    pub fn required<'r>(&mut self, row: &Row<'r>, column: &str) -> Option<Cow<'r, str>> {
        let value = self.cell(row, column);
        if value.is_none() {
            let d = self.cell_error(
                row,
                column,
                format!("empty `{column}` in {} row", self.kind),
                format!("expected a value: `{column}` is required"),
            );
            self.report_cell(column, "empty", row.line, d);
        }
        value
    }

    /// A date cell: a workbook's date or serial number, else text in the table's format.
    pub fn date(&mut self, row: &Row<'_>, column: &str) -> Option<Option<NaiveDate>> {
        if let RowData::Sheet { cells, .. } = row.data
            && let Some(i) = self.index.get(column)
        {
            let typed = match cells.get(*i) {
                Some(Data::DateTime(dt)) => {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    Some(NaiveDate::from_ymd_opt(
                        i32::from(y),
                        u32::from(m),
                        u32::from(d),
                    ))
                }
                Some(Data::Float(f)) => Some(decimal_from_f64(*f).and_then(excel_serial_date)),
                Some(Data::Int(n)) => Some(excel_serial_date(Decimal::from(*n))),
                _ => None,
            };
            if let Some(typed) = typed {
                return match typed.filter(|d| YEARS.contains(&d.year())) {
                    Some(d) => Some(Some(d)),
                    None => {
                        let text = self.cell(row, column).unwrap_or_default().into_owned();
                        let d = self.cell_error(
                            row,
                            column,
                            format!("invalid date `{text}`"),
                            format!("expected a date from {} to {}", YEARS.start(), YEARS.end()),
                        );
                        self.report_cell(column, "invalid date", row.line, d);
                        None
                    }
                };
            }
        }
        let Some(text) = self.cell(row, column) else {
            return Some(None);
        };
        self.date_text(row, column, &text).map(Some)
    }

    fn date_text(&mut self, row: &Row<'_>, column: &str, text: &str) -> Option<NaiveDate> {
        if let Some(d) = self.dates.parse(text) {
            if YEARS.contains(&d.year()) {
                return Some(d);
            }
            let mut diag = self.cell_error(
                row,
                column,
                format!("date `{text}` is in the year {}", d.year()),
                format!("expected a year from {} to {}", YEARS.start(), YEARS.end()),
            );
            if let DateFormat::Custom(f, _) = &self.dates
                && f.contains("%Y")
                && (0..100).contains(&d.year())
            {
                diag = diag.help(format!(
                    "`%Y` reads a year as written, so a two-digit year stays before 100: use `%y` for two-digit years, `date_format = \"{}\"` in [data.{}] of engagement.toml",
                    f.replace("%Y", "%y"),
                    self.kind
                ));
            }
            self.report_cell(column, "year out of range", row.line, diag);
            return None;
        }
        let configured = self.dates.configured().to_string();
        let hint = date_format_hint(text);
        // Written in the configured format but not a real day (2024-02-30, 2015-13-01):
        // suggesting the format already in use would send the consultant in circles.
        let in_configured_format =
            hint.as_deref() == Some(configured.as_str()) || looks_like(text, &configured);
        let expected = if in_configured_format {
            "this day does not exist in the calendar".to_string()
        } else {
            format!("expected {}", self.dates.describe())
        };
        let mut d = self.cell_error(row, column, format!("invalid date `{text}`"), expected);
        if let Some(hint) = hint.filter(|_| !in_configured_format) {
            d = d.help(format!(
                "this looks like `{hint}`; set `date_format = \"{hint}\"` in [data.{}] of engagement.toml",
                self.kind
            ));
        }
        self.report_cell(column, "invalid date", row.line, d);
        None
    }

    /// A number cell: a workbook's number as the decimal it shows, else text.
    pub fn amount(&mut self, row: &Row<'_>, column: &str) -> Option<Option<Decimal>> {
        if let RowData::Sheet { cells, .. } = row.data
            && let Some(i) = self.index.get(column)
        {
            let typed = match cells.get(*i) {
                Some(Data::Float(f)) => Some(decimal_from_f64(*f).ok_or(AmountError::Invalid)),
                Some(Data::Int(n)) => Some(Ok(Decimal::from(*n))),
                _ => None,
            };
            if let Some(typed) = typed {
                return match typed.and_then(in_range) {
                    Ok(d) => Some(Some(d)),
                    Err(e) => {
                        let text = self.cell(row, column).unwrap_or_default().into_owned();
                        self.amount_error(row, column, &text, e);
                        None
                    }
                };
            }
        }
        let Some(text) = self.cell(row, column) else {
            return Some(None);
        };
        match parse_number(&text, self.numbers) {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                self.amount_error(row, column, &text, e);
                None
            }
        }
    }

    /// A number, without reporting anything: the amount of a row left out.
    pub fn quiet_amount(&self, row: &Row<'_>, column: &str) -> Option<Decimal> {
        if let RowData::Sheet { cells, .. } = row.data {
            match cells.get(*self.index.get(column)?)? {
                Data::Float(f) => return decimal_from_f64(*f),
                Data::Int(n) => return Some(Decimal::from(*n)),
                _ => {}
            }
        }
        parse_number(&self.cell(row, column)?, self.numbers).ok()
    }

    fn amount_error(&mut self, row: &Row<'_>, column: &str, text: &str, e: AmountError) {
        let kind = self.kind;
        let (cause, d) = match e {
            AmountError::TooLarge => (
                "number out of range",
                self.cell_error(
                    row,
                    column,
                    format!("number `{text}` is out of range"),
                    format!(
                        "expected at most {} in absolute value",
                        count(1_000_000_000_000)
                    ),
                ),
            ),
            AmountError::ThousandsOrDecimalComma => (
                "ambiguous comma",
                self.cell_error(
                    row,
                    column,
                    format!("ambiguous number `{text}`"),
                    "a comma between thousands, or a decimal comma?".to_string(),
                )
                .help(format!(
                    "if commas separate thousands in this file (1,234 is 1234), set `thousands = \",\"` in [data.{kind}] of engagement.toml; if they are decimal commas (1,234 is 1.234), set `decimal = \",\"`"
                )),
            ),
            e => {
                let mut d = self.cell_error(
                    row,
                    column,
                    format!("invalid number `{text}`"),
                    if self.numbers.decimal_comma {
                        "expected a number like 1234,56 or 1 234,56 €".to_string()
                    } else {
                        "expected a number like 1234.56".to_string()
                    },
                );
                match e {
                    AmountError::LooksLikeDecimalComma => {
                        d = d.help(format!(
                            "this file seems to use a decimal comma; set `decimal = \",\"` in [data.{kind}] of engagement.toml"
                        ))
                    }
                    AmountError::LooksLikeDecimalPoint => {
                        d = d.help(format!(
                            "[data.{kind}] says `decimal = \",\"` but this number uses a decimal point"
                        ))
                    }
                    _ => {}
                }
                ("invalid number", d)
            }
        };
        self.report_cell(column, cause, row.line, d);
    }

    /// The cell's text after the column's value map: the mapped word, or the cell.
    fn mapped<'r>(&mut self, row: &Row<'r>, column: &'static str) -> Option<Cow<'r, str>> {
        let cell = self.cell(row, column);
        let Some(map) = self.values.get(column) else {
            return cell;
        };
        let key = cell.as_deref().unwrap_or("");
        let hit = map
            .get_key_value(key)
            .or_else(|| (!key.is_empty()).then(|| map.get_key_value("*")).flatten());
        match hit {
            Some((k, entry)) => {
                let word = entry.word.clone();
                if entry.written && !self.values_used.contains(&(column, k.clone())) {
                    self.values_used.insert((column, k.clone()));
                }
                Some(Cow::Owned(word))
            }
            None => cell,
        }
    }

    /// A closed-vocabulary cell, through the column's value map. An unknown value is
    /// reported once per distinct value, with a ready-to-paste `values` line.
    pub fn word<V: Vocabulary>(
        &mut self,
        row: &Row<'_>,
        column: &'static str,
    ) -> Option<Option<V>> {
        let Some(text) = self.mapped(row, column) else {
            return Some(None);
        };
        if let Some(v) = V::parse(&text) {
            return Some(Some(v));
        }
        let text = text.into_owned();
        let nearest = nearest_word::<V>(&text);
        let kind = self.kind;
        let d = self
            .cell_error(
                row,
                column,
                format!("unknown {} `{text}`", V::WHAT),
                V::expected(),
            )
            .did_you_mean(V::closest(&text))
            .help(format!(
                "{} in engagement.toml: `{column} = {{ \"{}\" = \"{}\" }}` in [data.{kind}.values]",
                if V::closest(&text).is_some() {
                    "or map it"
                } else {
                    "map it"
                },
                text.replace('\\', "\\\\").replace('"', "\\\""),
                nearest.unwrap_or("...")
            ));
        self.report_grouped(column, format!("unknown {text}"), true, row.line, d);
        None
    }

    pub fn boolean(&mut self, row: &Row<'_>, column: &'static str) -> Option<Option<bool>> {
        let Some(text) = self.mapped(row, column) else {
            return Some(None);
        };
        if let Some(b) = parse_bool(&text) {
            return Some(Some(b));
        }
        let text = text.into_owned();
        let d = self.cell_error(
            row,
            column,
            format!("invalid yes/no value `{text}`"),
            "expected true/false, oui/non or 1/0".to_string(),
        );
        self.report_grouped(column, format!("yes/no {text}"), true, row.line, d);
        None
    }

    /// Converts an amount of the row's currency into the engagement's: amount / rate,
    /// rounded half away from zero to the cent. `None` when the currency has no rate
    /// (collected, and reported once for the file).
    pub fn convert(&mut self, row: &Row<'_>, amount: Decimal) -> Option<Decimal> {
        let Some(code) = self.cell(row, "currency") else {
            return Some(amount);
        };
        let code = code.trim().to_ascii_uppercase();
        *self.currencies.entry(code.clone()).or_default() += 1;
        if code == self.context.currency {
            return Some(amount);
        }
        match self.context.exchange_rates.get(&code) {
            Some(rate) => amount
                .checked_div(*rate)
                .map(|d| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
                .and_then(|d| in_range(d).ok()),
            None => {
                let entry = self.unconverted.entry(code).or_insert((row.line, 0));
                entry.1 += 1;
                None
            }
        }
    }
}

/// The word of `V` a CRM value most likely means: a word or alias that is one of its
/// words (`Closed Won` → won), else the nearest spelling.
fn nearest_word<V: Vocabulary>(text: &str) -> Option<&'static str> {
    let folded = fold(text);
    let tokens: Vec<&str> = folded
        .split(['_', '/', '.'])
        .filter(|t| !t.is_empty())
        .collect();
    for (value, name, aliases) in V::ENTRIES {
        if std::iter::once(name)
            .chain(aliases.iter())
            .any(|w| tokens.contains(w))
        {
            return Some(value.name());
        }
    }
    V::closest(text)
}

/// The error of an optional cell that is present but invalid: the problem was already
/// reported, the row parser only has to drop the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// What a row parser sees: typed accessors for the current row's cells, each
/// reporting its own errors.
pub struct TableReader<'a, 'b> {
    pub(crate) reader: &'a mut Reader<'b>,
    pub(crate) row: Row<'a>,
}

impl TableReader<'_, '_> {
    pub fn line(&self) -> u32 {
        self.row.line
    }

    pub fn kind(&self) -> TableKind {
        self.reader.kind
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.reader.index.contains_key(column)
    }

    /// The engagement's language, currency and rates.
    pub fn context(&self) -> ReadContext<'_> {
        self.reader.context
    }

    /// `empty_client` of the file's block.
    pub fn empty_client(&self) -> EmptyClient {
        self.reader.empty_client
    }

    /// An optional text cell (trimmed; `None` when empty).
    pub fn text(&self, column: &str) -> Option<Cow<'_, str>> {
        let row = self.row;
        self.reader.cell(&row, column)
    }

    pub fn required_text(&mut self, column: &str) -> Option<Cow<'_, str>> {
        let row = self.row;
        self.reader.required(&row, column)
    }

    pub fn required_date(&mut self, column: &str) -> Option<NaiveDate> {
        let row = self.row;
        if self.reader.cell(&row, column).is_none() {
            self.reader.required(&row, column);
            return None;
        }
        self.reader.date(&row, column).flatten()
    }

    /// `Err(Reported)` when the cell is present but invalid.
    pub fn date(&mut self, column: &str) -> Result<Option<NaiveDate>, Reported> {
        let row = self.row;
        self.reader.date(&row, column).ok_or(Reported)
    }

    pub fn required_amount(&mut self, column: &str) -> Option<Decimal> {
        let row = self.row;
        if self.reader.cell(&row, column).is_none() {
            self.reader.required(&row, column);
            return None;
        }
        self.reader.amount(&row, column).flatten()
    }

    pub fn amount(&mut self, column: &str) -> Result<Option<Decimal>, Reported> {
        let row = self.row;
        self.reader.amount(&row, column).ok_or(Reported)
    }

    pub fn required_word<V: Vocabulary>(&mut self, column: &'static str) -> Option<V> {
        let row = self.row;
        match self.reader.word::<V>(&row, column) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                self.reader.required(&row, column);
                None
            }
            None => None,
        }
    }

    pub fn word<V: Vocabulary>(&mut self, column: &'static str) -> Result<Option<V>, Reported> {
        let row = self.row;
        self.reader.word::<V>(&row, column).ok_or(Reported)
    }

    pub fn boolean(&mut self, column: &'static str) -> Result<Option<bool>, Reported> {
        let row = self.row;
        self.reader.boolean(&row, column).ok_or(Reported)
    }

    /// An amount in the engagement's currency (see [`Reader::convert`]).
    pub fn convert(&mut self, amount: Decimal) -> Option<Decimal> {
        let row = self.row;
        self.reader.convert(&row, amount)
    }

    /// Leaves the row out, counted under `reason` with its amount (read quietly: the
    /// cells of a row left out are not checked).
    pub fn leave_out(&mut self, reason: &str) {
        let row = self.row;
        let amount = super::read::row_amount(self.reader, &row);
        self.reader.left_out.add(reason, amount);
    }

    /// Reports a problem with a cell that the accessors could not see (a rule across
    /// columns, a duplicate id).
    pub fn error(&mut self, column: &str, message: String, expected: String) -> Diagnostic {
        let row = self.row;
        self.reader.cell_error(&row, column, message, expected)
    }

    /// Reports a problem of `column` in this row, grouped with the identical ones
    /// (same column, same `cause`).
    pub fn report(&mut self, column: &str, cause: &'static str, diagnostic: Diagnostic) {
        let line = self.row.line;
        self.reader.report_cell(column, cause, line, diagnostic);
    }
}
