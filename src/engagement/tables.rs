//! The four CSV tables: sales, clients, leads, activities.
//!
//! Exports come from CRMs, accounting packages and Excel, so reading is forgiving about
//! form (delimiter sniffing, BOMs, windows-1252, decimal commas, `1 234,56 €`, French
//! aliases) and strict about meaning: a value that cannot be read is an error naming the
//! file, line and column, never a silent zero. Money is parsed into exact decimals.
//!
//! Rows keep their line number so that later stages can point back at them. Strings that
//! repeat (client ids, reps, products, zones) are interned, which keeps a million sales
//! lines in well under 4x the size of the CSV file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::config::TableSource;
use crate::diagnostic::{Diagnostic, Location, count};
use crate::vocab::{
    ActivityKind, LeadSource, LeadStage, Maturity, TableKind, VisitTarget, Vocabulary, parse_bool,
};

/// Stop listing errors of one file after this many: a systematic problem (wrong date
/// format) would otherwise print a million lines.
const MAX_ERRORS_PER_FILE: usize = 20;

/// Identical cell errors (same column, same cause) shown before the rest of them are
/// summed up in one "and N more rows" line: the first few show the pattern, the line
/// range shows how far it goes.
const SHOWN_PER_PROBLEM: usize = 3;

/// Dates outside these years are typos or misread formats (`%Y` reading `24` as the
/// year 24), never real invoices.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Interns strings into dense ids, in order of first appearance (so ids are
/// deterministic whatever the hash function).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    map: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.map.insert(s.into(), id);
        id
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Gives `id` another name, keeping its id (the loader makes names printable after
    /// the rows refer to them). Should two ids end up with the same name, looking the
    /// name up finds the first.
    pub fn rename(&mut self, id: u32, name: &str) {
        let old = std::mem::replace(&mut self.names[id as usize], name.into());
        if self.map.get(&old) == Some(&id) {
            self.map.remove(&old);
        }
        self.map.entry(name.into()).or_insert(id);
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A client, by its interned client id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientKey(pub u32);

/// A repeated label (rep, product, zone, segment, prescriber, channel), interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label(pub u32);

/// One invoice or credit-note line.
#[derive(Debug, Clone)]
pub struct SaleLine {
    pub date: NaiveDate,
    pub client: ClientKey,
    /// Net of tax; negative for credit notes and returns.
    pub amount: Decimal,
    pub rep: Option<Label>,
    pub product: Option<Label>,
    pub quantity: Option<Decimal>,
    pub invoice: Option<Box<str>>,
    pub line: u32,
}

/// One row of the clients table.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub client: ClientKey,
    pub name: Option<String>,
    pub zone: Option<Label>,
    pub segment: Option<Label>,
    pub created: Option<NaiveDate>,
    pub prescriber: Option<Label>,
    pub maturity: Option<Maturity>,
    pub rep: Option<Label>,
    pub line: u32,
}

/// One lead (prospect opportunity).
#[derive(Debug, Clone)]
pub struct Lead {
    pub id: String,
    pub date: NaiveDate,
    /// `None` when the cell was empty (counted as `other`, reported in data quality).
    pub source: Option<LeadSource>,
    pub stage: LeadStage,
    pub qualified: Option<bool>,
    pub closed: Option<NaiveDate>,
    pub client: Option<ClientKey>,
    pub rep: Option<Label>,
    pub value: Option<Decimal>,
    pub prescriber: Option<Label>,
    pub channel: Option<Label>,
    pub line: u32,
}

/// One logged activity of a salesperson.
#[derive(Debug, Clone)]
pub struct Activity {
    pub date: NaiveDate,
    pub rep: Label,
    pub kind: ActivityKind,
    /// Defaults to 1 (one contact) when the column is absent or the cell empty.
    pub hours: Decimal,
    pub target: Option<VisitTarget>,
    pub client: Option<ClientKey>,
    pub line: u32,
}

/// What was read from one CSV file, for the report's data-quality and provenance annex.
#[derive(Debug, Clone, Serialize)]
pub struct FileStats {
    /// Path relative to the engagement folder.
    pub file: String,
    pub bytes: u64,
    /// Data rows read (header excluded, empty rows excluded).
    pub rows: usize,
    /// Rows with every cell empty, skipped.
    pub empty_rows_skipped: usize,
    pub delimiter: String,
    pub encoding: String,
    /// BLAKE3 of the file's bytes, to tie a report to the exact data it came from.
    pub blake3: String,
}

/// The canonical columns of each table, required first.
pub fn columns(kind: TableKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        TableKind::Sales => (
            &["date", "client_id", "amount"],
            &["invoice", "rep", "product", "quantity"],
        ),
        TableKind::Clients => (
            &["client_id"],
            &[
                "name",
                "zone",
                "segment",
                "created",
                "prescriber",
                "maturity",
                "rep",
            ],
        ),
        TableKind::Leads => (
            &["lead_id", "date", "source", "stage"],
            &[
                "qualified",
                "closed",
                "client_id",
                "rep",
                "value",
                "prescriber",
                "channel",
            ],
        ),
        TableKind::Activities => (
            &["date", "rep", "activity"],
            &["hours", "target", "client_id"],
        ),
    }
}

/// Checks that a `date_format` reads and writes a full date (a time may follow; it is
/// read and ignored).
pub fn date_format_is_valid(format: &str) -> bool {
    let Ok(items) = StrftimeItems::new(format).parse_to_owned() else {
        return false;
    };
    let probe = NaiveDate::from_ymd_opt(2025, 12, 31)
        .and_then(|d| d.and_hms_opt(17, 45, 30))
        .expect("valid date");
    // Formatting fails (rather than panics) when the format asks for a field a date and
    // time do not have (a time zone).
    let mut written = String::new();
    if std::fmt::Write::write_fmt(
        &mut written,
        format_args!("{}", probe.format_with_items(items.iter())),
    )
    .is_err()
    {
        return false;
    }
    parse_date_with(&written, &items) == Some(probe.date())
}

fn parse_date_with(text: &str, items: &[Item<'static>]) -> Option<NaiveDate> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
    parsed.to_naive_date().ok()
}

/// How dates are written in a table.
enum DateFormat {
    /// `YYYY-MM-DD`, optionally followed by a time (`T10:00:00` or ` 10:00`), ignored.
    Iso,
    Custom(String, Vec<Item<'static>>),
}

impl DateFormat {
    fn parse(&self, text: &str) -> Option<NaiveDate> {
        match self {
            DateFormat::Iso => parse_iso_date(text),
            DateFormat::Custom(_, items) => parse_date_with(text, items),
        }
    }

    fn describe(&self) -> String {
        match self {
            DateFormat::Iso => "a date like 2025-01-31 (YYYY-MM-DD)".to_string(),
            DateFormat::Custom(f, _) => format!("a date in the format \"{f}\""),
        }
    }
}

/// Fast path for ISO dates, which make up most cells of most files.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let num = |r: Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Why an amount cell could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum AmountError {
    Invalid,
    /// A comma appeared in a file read with `decimal = "."`.
    LooksLikeDecimalComma,
    /// A dot appeared as a decimal point in a file read with `decimal = ","`.
    LooksLikeDecimalPoint,
    /// `1,234` with `decimal = "."`: a thousands separator or a decimal comma.
    ThousandsOrDecimalComma,
    /// Larger than [`MAX_AMOUNT`] in absolute value.
    TooLarge,
}

/// The largest number a cell may hold in absolute value: a trillion, far above any
/// invoice line, and low enough that sums of millions of lines and the ratios built
/// on them stay well inside `Decimal`'s range (about 7.9e28).
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);

/// How numbers are written in a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NumberStyle {
    /// `decimal = ","`.
    pub decimal_comma: bool,
    /// `thousands = ","`: `1,234` is 1234 (with `decimal = "."`).
    pub thousands_comma: bool,
}

/// Parses a money or quantity cell: `1234.56`, `-12`, `1 234,56 €`, `(12,50)`,
/// `1.234,56` (with decimal comma), spaces and no-break spaces as thousands separators.
pub fn parse_amount(text: &str, decimal_comma: bool) -> Result<Decimal, AmountError> {
    parse_number(
        text,
        NumberStyle {
            decimal_comma,
            thousands_comma: false,
        },
    )
}

/// Whether the characters after a separator are a thousands group: exactly three
/// digits, then no digit.
fn group_follows(chars: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let ahead: Vec<char> = chars.clone().take(4).collect();
    ahead.len() >= 3
        && ahead[..3].iter().all(char::is_ascii_digit)
        && ahead.get(3).is_none_or(|c| !c.is_ascii_digit())
}

/// [`parse_amount`] with the file's [`NumberStyle`]. With `decimal = "."`, commas
/// between thousands are read when they cannot be decimal commas (`1,234.56`,
/// `1,234,567`); a lone `1,234` needs `thousands = ","`, since it reads 1.234 in a
/// French export.
pub fn parse_number(text: &str, style: NumberStyle) -> Result<Decimal, AmountError> {
    let decimal_comma = style.decimal_comma;
    let trimmed = text.trim();
    if !decimal_comma && let Ok(d) = trimmed.parse::<Decimal>() {
        return in_range(d);
    }
    let mut negative = false;
    let mut body = trimmed;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner;
    }
    let mut clean = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    // Currency marks may come before or after the number.
    let is_currency = |c: char| matches!(c, '€' | '$' | '£' | '¤');
    let mut digits_seen = false;
    // Thousands commas (with `decimal = "."`) and the digits before the first one.
    let mut commas = 0usize;
    let mut leading_digits = 0usize;
    let mut point_seen = false;
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' => {
                digits_seen = true;
                if commas == 0 && !point_seen {
                    leading_digits += 1;
                }
                clean.push(c);
            }
            '-' | '\u{2212}' if !digits_seen && !negative && clean.is_empty() => negative = true,
            '-' | '\u{2212}' if digits_seen && chars.peek().is_none() => negative = !negative,
            '+' if clean.is_empty() => {}
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' => {}
            c if is_currency(c) => {}
            'E' | 'e' if chars.peek() == Some(&'U') || chars.peek() == Some(&'u') => {
                // "EUR"
                let rest: String = chars.by_ref().take(2).collect();
                if !rest.eq_ignore_ascii_case("ur") {
                    return Err(AmountError::Invalid);
                }
            }
            ',' if decimal_comma => clean.push('.'),
            ',' => {
                // A comma between thousands: after one to three digits, before a group
                // of three, never after the decimal point.
                if point_seen
                    || !digits_seen
                    || (commas == 0 && leading_digits > 3)
                    || !group_follows(&chars)
                {
                    return Err(AmountError::LooksLikeDecimalComma);
                }
                commas += 1;
            }
            '.' => {
                if decimal_comma {
                    // A dot is a thousands separator only before exactly three digits.
                    if !group_follows(&chars) || !digits_seen {
                        return Err(AmountError::LooksLikeDecimalPoint);
                    }
                } else {
                    point_seen = true;
                    clean.push('.');
                }
            }
            _ => return Err(AmountError::Invalid),
        }
    }
    if !digits_seen || clean.matches('.').count() > 1 {
        return Err(AmountError::Invalid);
    }
    if commas == 1 && !point_seen && !style.thousands_comma {
        return Err(AmountError::ThousandsOrDecimalComma);
    }
    let value: Decimal = clean.parse().map_err(|_| AmountError::TooLarge)?;
    in_range(if negative { -value } else { value })
}

fn in_range(d: Decimal) -> Result<Decimal, AmountError> {
    if d.abs() > MAX_AMOUNT {
        Err(AmountError::TooLarge)
    } else {
        Ok(d)
    }
}

/// A table as read, before it joins the engagement.
pub struct TableData<R> {
    pub rows: Vec<R>,
    pub stats: FileStats,
}

/// Shared state while reading one file.
struct Reader<'a> {
    kind: TableKind,
    path: &'a Path,
    /// The file's path relative to the engagement folder, for messages.
    rel: &'a str,
    text: &'a str,
    delimiter: u8,
    numbers: NumberStyle,
    dates: DateFormat,
    /// Column index of each canonical column present.
    index: BTreeMap<&'static str, usize>,
    /// The header as written in the file, per canonical column (for messages).
    headers: BTreeMap<&'static str, String>,
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    /// Repeated cell errors, by (column, cause).
    problems: FxHashMap<(String, &'static str), Repeated>,
    /// Where the header is: its first byte and its line number.
    header_byte: usize,
    header_line_no: usize,
}

/// One kind of cell error met in several rows.
struct Repeated {
    /// Index in `diagnostics` of the last occurrence shown.
    last_shown: Option<usize>,
    shown: usize,
    /// Occurrences not shown, and their first and last lines.
    more: usize,
    lines: (u32, u32),
}

/// One data row being read.
struct Row<'r> {
    record: &'r csv::StringRecord,
    line: u32,
    byte: usize,
}

impl Reader<'_> {
    fn cell<'r>(&self, row: &Row<'r>, column: &str) -> Option<&'r str> {
        let i = *self.index.get(column)?;
        let value = row.record.get(i)?.trim();
        (!value.is_empty()).then_some(value)
    }

    fn line_text(&self, byte: usize) -> &str {
        let start = byte.min(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.text[start..end].trim_end_matches('\r')
    }

    /// Location of a column's cell in a row's raw line.
    fn cell_location(&self, row: &Row<'_>, column: &str) -> Location {
        let line_text = self.line_text(row.byte);
        let span = self
            .index
            .get(column)
            .map(|&i| field_span(line_text, self.delimiter, i))
            .unwrap_or(0..0);
        Location::in_line(row.line as usize, line_text, span)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.errors += 1;
            if self.errors > MAX_ERRORS_PER_FILE {
                return;
            }
        }
        self.diagnostics.push(diagnostic);
    }

    /// Reports a cell error, grouping it with the identical ones (same column, same
    /// `cause`): the first [`SHOWN_PER_PROBLEM`] are shown, the others counted.
    fn report_cell(&mut self, column: &str, cause: &'static str, line: u32, d: Diagnostic) {
        let repeated = self
            .problems
            .entry((column.to_string(), cause))
            .or_insert(Repeated {
                last_shown: None,
                shown: 0,
                more: 0,
                lines: (line, line),
            });
        if repeated.shown < SHOWN_PER_PROBLEM {
            repeated.shown += 1;
            let shown_before = self.diagnostics.len();
            self.report(d);
            let repeated = self
                .problems
                .get_mut(&(column.to_string(), cause))
                .expect("inserted above");
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

    /// Adds the "and N more rows with the same problem" line to each repeated error.
    fn close_problems(&mut self) {
        let mut problems: Vec<&Repeated> = self.problems.values().collect();
        problems.sort_by_key(|r| r.last_shown);
        for r in problems {
            let Some(i) = r.last_shown.filter(|_| r.more > 0) else {
                continue;
            };
            let d = std::mem::replace(&mut self.diagnostics[i], Diagnostic::error(""));
            let lines = if r.lines.0 == r.lines.1 {
                format!("line {}", count(r.lines.0 as usize))
            } else {
                format!(
                    "lines {}\u{2013}{}",
                    count(r.lines.0 as usize),
                    count(r.lines.1 as usize)
                )
            };
            self.diagnostics[i] = d
                .note(format!(
                    "and {} more row{} with the same problem ({lines})",
                    count(r.more),
                    if r.more == 1 { "" } else { "s" }
                ))
                .hiding(r.more);
        }
    }

    fn cell_error(
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
        Diagnostic::error(message)
            .in_file(self.path)
            .at(self.cell_location(row, column))
            .label(expected)
            .note(column_note)
    }

    fn required<'r>(&mut self, row: &Row<'r>, column: &str) -> Option<&'r str> {
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

    fn date(&mut self, row: &Row<'_>, column: &str, text: &str) -> Option<NaiveDate> {
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
        let configured = match &self.dates {
            DateFormat::Iso => "%Y-%m-%d",
            DateFormat::Custom(f, _) => f.as_str(),
        };
        let hint = date_format_hint(text);
        // Written in the configured format but not a real day (2024-02-30, 2015-13-01):
        // suggesting the format already in use would send the consultant in circles.
        let in_configured_format =
            hint.as_deref() == Some(configured) || looks_like(text, configured);
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

    fn amount(&mut self, row: &Row<'_>, column: &str, text: &str) -> Option<Decimal> {
        match parse_number(text, self.numbers) {
            Err(AmountError::TooLarge) => {
                let d = self.cell_error(
                    row,
                    column,
                    format!("number `{text}` is out of range"),
                    format!(
                        "expected at most {} in absolute value",
                        count(1_000_000_000_000)
                    ),
                );
                self.report_cell(column, "number out of range", row.line, d);
                None
            }
            Err(AmountError::ThousandsOrDecimalComma) => {
                let kind = self.kind;
                let d = self
                    .cell_error(
                        row,
                        column,
                        format!("ambiguous number `{text}`"),
                        "a comma between thousands, or a decimal comma?".to_string(),
                    )
                    .help(format!(
                        "if commas separate thousands in this file (1,234 is 1234), set `thousands = \",\"` in [data.{kind}] of engagement.toml; if they are decimal commas (1,234 is 1.234), set `decimal = \",\"`"
                    ));
                self.report_cell(column, "ambiguous comma", row.line, d);
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
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
                            "this file seems to use a decimal comma; set `decimal = \",\"` in [data.{}] of engagement.toml",
                            self.kind
                        ))
                    }
                    AmountError::LooksLikeDecimalPoint => {
                        d = d.help(format!(
                            "[data.{}] says `decimal = \",\"` but this number uses a decimal point",
                            self.kind
                        ))
                    }
                    _ => {}
                }
                self.report_cell(column, "invalid number", row.line, d);
                None
            }
        }
    }

    fn word<V: Vocabulary>(&mut self, row: &Row<'_>, column: &str, text: &str) -> Option<V> {
        if let Some(v) = V::parse(text) {
            return Some(v);
        }
        let d = self
            .cell_error(
                row,
                column,
                format!("unknown {} `{text}`", V::WHAT),
                V::expected(),
            )
            .did_you_mean(V::closest(text));
        self.report_cell(column, "unknown word", row.line, d);
        None
    }

    fn boolean(&mut self, row: &Row<'_>, column: &str, text: &str) -> Option<bool> {
        if let Some(b) = parse_bool(text) {
            return Some(b);
        }
        let d = self.cell_error(
            row,
            column,
            format!("invalid yes/no value `{text}`"),
            "expected true/false, oui/non or 1/0".to_string(),
        );
        self.report_cell(column, "invalid yes/no", row.line, d);
        None
    }
}

/// Suggests a strftime format for a date written in a common way, among those that
/// really read it: `2/24/2003` gets `%m/%d/%Y`, never `%d/%m/%Y` (24 is no month).
/// When both orders fit (`05/06/2024`), day first, the French and European order.
/// A time after the date (`2/24/2003 0:00`, `06/12/2009 10:30:00`) is part of the hint.
fn date_format_hint(text: &str) -> Option<String> {
    const DATES: &[&str] = &[
        "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%Y/%m/%d",
        "%d/%m/%y", "%m/%d/%y", "%d.%m.%y", "%Y%m%d",
    ];
    let t = text.trim();
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let time_format = match time {
        None => "",
        Some(time) => match time.matches(':').count() {
            1 => " %H:%M",
            2 => " %H:%M:%S",
            _ => return None,
        },
    };
    DATES.iter().find_map(|f| {
        let items = StrftimeItems::new(f).parse_to_owned().ok()?;
        let d = parse_date_with(date, &items)?;
        // `%Y` reads `24` as the year 24: a two-digit year is `%y`'s.
        YEARS
            .contains(&d.year())
            .then(|| format!("{f}{time_format}"))
    })
}

/// Whether `text` has the shape of dates written in `format` (digits where it has
/// digits, the same separators), so that an impossible day (2024-02-30) is told apart
/// from a date in another format.
fn looks_like(text: &str, format: &str) -> bool {
    let shape = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect()
    };
    let Ok(items) = StrftimeItems::new(format).parse_to_owned() else {
        return false;
    };
    let probe = NaiveDate::from_ymd_opt(2025, 12, 31)
        .and_then(|d| d.and_hms_opt(17, 45, 30))
        .expect("valid date");
    let mut written = String::new();
    std::fmt::Write::write_fmt(
        &mut written,
        format_args!("{}", probe.format_with_items(items.iter())),
    )
    .is_ok()
        && shape(text.trim()) == shape(&written)
}

/// The byte range of field `index` in a raw CSV line, honouring quotes.
pub fn field_span(line: &str, delimiter: u8, index: usize) -> Range<usize> {
    let bytes = line.as_bytes();
    let mut field = 0;
    let mut start = 0;
    let mut in_quotes = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            if field == index {
                return start..i;
            }
            field += 1;
            start = i + 1;
        }
    }
    if field == index {
        start..bytes.len()
    } else {
        bytes.len()..bytes.len()
    }
}

/// Decodes a file's bytes into text, per the configured encoding, skipping a BOM.
fn decode(
    bytes: Vec<u8>,
    encoding: Option<&'static encoding_rs::Encoding>,
    path: &Path,
    kind: TableKind,
) -> Result<(String, &'static str), Box<Diagnostic>> {
    // A BOM is authoritative: Excel writes one for "CSV UTF-8".
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), enc.name()));
    }
    match encoding {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, _) = enc.decode_without_bom_handling(&bytes);
            Ok((text.into_owned(), enc.name()))
        }
        _ => match String::from_utf8(bytes) {
            Ok(text) => Ok((text, "UTF-8")),
            Err(e) => Err(not_utf8(&e.into_bytes(), path)
                .help(format!(
                    "French Excel exports are usually windows-1252; set `encoding = \"windows-1252\"` in [data.{kind}] of engagement.toml"
                ))
                .into()),
        },
    }
}

/// "file is not valid UTF-8", pointing at the first invalid byte. The line is shown
/// decoded as windows-1252, the usual culprit, so that it reads as in the consultant's
/// editor. Shared by the CSV tables and the TOML and Markdown files.
pub(crate) fn not_utf8(bytes: &[u8], path: &Path) -> Diagnostic {
    let bad = std::str::from_utf8(bytes)
        .map_err(|u| u.valid_up_to())
        .err()
        .unwrap_or(0)
        .min(bytes.len().saturating_sub(1));
    let prefix = String::from_utf8_lossy(&bytes[..bad]).into_owned();
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let line_no = prefix.matches('\n').count() + 1;
    let line_end = bytes[bad..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| bad + i);
    let (line_text, _) =
        encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes[line_start..line_end]);
    let col_bytes = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes[line_start..bad])
        .0
        .len();
    let bad_char_len = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes[bad..bad + 1])
        .0
        .len();
    Diagnostic::error("file is not valid UTF-8")
        .in_file(path)
        .at(Location::in_line(
            line_no,
            line_text.trim_end_matches('\r'),
            col_bytes..col_bytes + bad_char_len,
        ))
        .label(format!("byte 0x{:02X} is not UTF-8", bytes[bad]))
}

/// Counts delimiter candidates outside quotes in the header line and picks the most
/// frequent, so that `;` exports work without configuration.
fn sniff_delimiter(header: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for b in header.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => ",",
        b';' => ";",
        b'\t' => "\\t",
        b'|' => "|",
        _ => "?",
    }
}

/// Reads one table file: decoding, header mapping, then every row through `parse_row`.
///
/// `rel` is the file's path relative to the engagement folder (for provenance).
/// Returns the rows and the diagnostics; rows are meaningless if any diagnostic is an
/// error.
pub fn read_table<R>(
    kind: TableKind,
    path: &Path,
    rel: &str,
    bytes: Vec<u8>,
    source: &TableSource,
    mut parse_row: impl FnMut(&mut TableReader<'_, '_>) -> Option<R>,
) -> (Option<TableData<R>>, Vec<Diagnostic>) {
    let size = bytes.len() as u64;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let (text, encoding) = match decode(bytes, source.encoding, path, kind) {
        Ok(t) => t,
        Err(d) => return (None, vec![*d]),
    };
    // Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR, which neither csv's
    // line count nor line-based messages see as a line end. Same length, same offsets.
    let text = if text.contains('\r') && !text.contains('\n') {
        text.replace('\r', "\n")
    } else {
        text
    };
    // Excel writes a `sep=;` line before the header when asked to name the separator;
    // it is honoured, and the file's line numbers are kept.
    let (header_byte, sep) = excel_sep_line(&text);
    let header_line_no = if sep.is_some() { 2 } else { 1 };
    let header_line = text[header_byte..].lines().next().unwrap_or("");
    let sniffed = sep.unwrap_or_else(|| sniff_delimiter(header_line));
    let delimiter = source.delimiter.unwrap_or(sniffed);
    let dates = match &source.date_format {
        Some(f) => match StrftimeItems::new(f).parse_to_owned() {
            Ok(items) => DateFormat::Custom(f.clone(), items),
            Err(_) => DateFormat::Iso,
        },
        None => DateFormat::Iso,
    };
    let mut reader = Reader {
        kind,
        path,
        rel,
        text: &text,
        delimiter,
        numbers: NumberStyle {
            decimal_comma: source.decimal_comma,
            thousands_comma: source.thousands == Some(','),
        },
        dates,
        index: BTreeMap::new(),
        headers: BTreeMap::new(),
        diagnostics: Vec::new(),
        errors: 0,
        problems: FxHashMap::default(),
        header_byte,
        header_line_no,
    };

    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text[header_byte..].as_bytes());
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => return (None, vec![csv_error(path, &text, header_byte, &e)]),
    };
    if text.trim().is_empty() {
        return (
            None,
            vec![
                Diagnostic::error(format!("{kind} file is empty"))
                    .in_file(path)
                    .help(format!(
                        "the first line must name the columns: {}",
                        columns(kind).0.join(",")
                    )),
            ],
        );
    }
    if !map_columns(&mut reader, kind, &headers, source, sniffed) {
        return (None, reader.diagnostics);
    }

    let mut rows = Vec::new();
    let mut empty = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                reader.report(csv_error(path, &text, header_byte, &e));
                break;
            }
        }
        let pos = record
            .position()
            .expect("records read from a reader have positions");
        let (byte, line) = record_start(
            text.as_bytes(),
            header_byte + pos.byte() as usize,
            pos.line() + header_line_no as u64 - 1,
        );
        let row = Row {
            record: &record,
            line: line as u32,
            byte,
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            empty += 1;
            continue;
        }
        if record.len() != headers.len() {
            let line_text = reader.line_text(row.byte).to_string();
            let len = line_text.len();
            // A quote that is never closed swallows the following lines into one value:
            // the field count is then a symptom; the opening quote is the cause.
            if let Some(i) = record.iter().position(|f| f.contains('\n')) {
                let start = field_span(&line_text, delimiter, i).start;
                let swallowed: usize = record
                    .iter()
                    .map(|f| f.trim_end_matches(['\r', '\n']).matches('\n').count())
                    .sum();
                let d = Diagnostic::error("a quoted value is not closed")
                    .in_file(path)
                    .at(Location::in_line(row.line as usize, &line_text, start..start + 1))
                    .label(format!(
                        "this quote opens a value that runs on to line {}",
                        row.line as usize + swallowed
                    ))
                    .help("close the quote, or remove it; a quote inside a quoted value is written twice (`\"\"`)");
                reader.report(d);
                continue;
            }
            // Too few fields: point at the end of the line, where they are missing. Too
            // many: underline the extra ones, from the delimiter that starts them.
            let extra = record.len() > headers.len();
            let span = if extra {
                field_span(&line_text, delimiter, headers.len())
                    .start
                    .saturating_sub(1)..len
            } else {
                len..len
            };
            let mut d = Diagnostic::error(format!(
                "row has {} fields but the header has {}",
                record.len(),
                headers.len()
            ))
            .in_file(path)
            .at(Location::in_line(row.line as usize, &line_text, span))
            .label(format!(
                "expected {} fields separated by `{}`",
                headers.len(),
                delimiter_name(delimiter)
            ));
            if extra && delimiter == b',' {
                d = d.help(
                    "a value that contains a comma (a text, or a number with a decimal comma) must be written in double quotes",
                );
            }
            reader.report_cell("", "field count", row.line, d);
            continue;
        }
        let mut table_reader = TableReader {
            reader: &mut reader,
            row,
        };
        if let Some(r) = parse_row(&mut table_reader) {
            rows.push(r);
        }
    }
    reader.close_problems();
    if reader.errors > MAX_ERRORS_PER_FILE {
        let more = reader.errors - MAX_ERRORS_PER_FILE;
        reader.diagnostics.push(
            Diagnostic::error(format!(
                "{more} more error{} in this file not shown",
                if more == 1 { "" } else { "s" }
            ))
                .in_file(path)
                .hiding(more - 1)
                .help("fix the errors above first; they often share one cause (a date format, a delimiter)"),
        );
    }
    let stats = FileStats {
        file: rel.to_string(),
        bytes: size,
        rows: rows.len(),
        empty_rows_skipped: empty,
        delimiter: delimiter_name(delimiter).to_string(),
        encoding: encoding.to_string(),
        blake3: hash,
    };
    (Some(TableData { rows, stats }), reader.diagnostics)
}

/// Where a record really starts, from the position csv gives for it.
///
/// csv ends a record at the `\r` of a CRLF line end and reports the next record as
/// starting at the `\n` that follows, still on the previous line. Every export from
/// Windows (Excel included) ends lines with CRLF, so without this every diagnostic of
/// such a file pointed one line too early, at an empty line. Skipping the line-end
/// bytes, counting the `\n`s, gives the record's first byte and line in every case
/// (LF, CRLF, blank lines before the record).
fn record_start(text: &[u8], mut byte: usize, mut line: u64) -> (usize, u64) {
    while let Some(&b) = text.get(byte) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        byte += 1;
    }
    (byte, line)
}

/// The byte where the header starts, and the delimiter named by an Excel `sep=X`
/// first line (`"sep=;"` too), if the file has one.
fn excel_sep_line(text: &str) -> (usize, Option<u8>) {
    let end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..end].trim_end_matches(['\r', '\n']).trim_matches('"');
    let sep = first
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("sep="))
        .map(|_| &first[4..]);
    match sep.map(str::as_bytes) {
        Some([b]) if matches!(b, b',' | b';' | b'\t' | b'|') => (end, Some(*b)),
        _ => (0, None),
    }
}

/// `offset`: where the text given to csv starts in `text`.
fn csv_error(path: &Path, text: &str, offset: usize, e: &csv::Error) -> Diagnostic {
    let mut d = Diagnostic::error(format!("cannot read CSV: {e}")).in_file(path);
    if let Some(pos) = e.position() {
        let byte = offset + pos.byte() as usize;
        let loc = Location::from_span(text, byte..byte);
        d = d.at(loc);
    }
    d
}

/// Resolves each canonical column to its index in the header.
///
/// Unknown canonical names in `columns` were reported when engagement.toml was read.
/// The required columns that are missing are reported together, in one diagnostic:
/// when a whole header is off (wrong delimiter, another export) one message with one
/// fix reads better than one message per column.
fn map_columns(
    reader: &mut Reader<'_>,
    kind: TableKind,
    headers: &csv::StringRecord,
    source: &TableSource,
    sniffed: u8,
) -> bool {
    let (required, optional) = columns(kind);
    let all: Vec<&'static str> = required.iter().chain(optional).copied().collect();
    let header_line = reader.line_text(reader.header_byte).to_string();
    let header_line_no = reader.header_line_no;
    let mut ok = true;
    let mut missing: Vec<&'static str> = Vec::new();

    let found: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    for &column in &all {
        let mapped = source.columns.get(column);
        let wanted = mapped.map_or(column, |m| m.value.as_str());
        match found.iter().position(|h| h == wanted) {
            Some(i) if let Some(again) = found[i + 1..].iter().position(|h| h == wanted) => {
                // "First one wins" would silently pick one of two amounts.
                let again = i + 1 + again;
                let span = field_span(&header_line, reader.delimiter, again);
                reader.report(
                    Diagnostic::error(format!("column `{wanted}` appears twice in the header"))
                        .in_file(reader.path)
                        .at(Location::in_line(header_line_no, &header_line, span))
                        .label(format!(
                            "column {} has the same name as column {}",
                            again + 1,
                            i + 1
                        ))
                        .help(format!(
                            "rename or remove one of them, or map `{column}` to another column with `columns = {{ {column} = \"...\" }}` in [data.{kind}] of engagement.toml"
                        )),
                );
                ok = false;
            }
            Some(i) => {
                reader.index.insert(column, i);
                reader.headers.insert(column, wanted.to_string());
            }
            None if mapped.is_some() => {
                let m = mapped.expect("checked");
                let mut d = m
                    .origin
                    .error(format!("column `{wanted}` not found in {}", reader.rel))
                    .label(format!(
                        "expected a header of {} for `{column}`",
                        reader.rel
                    ))
                    .note(format!("the file's columns are: {}", quote_list(&found)));
                d = match crate::diagnostic::closest(wanted, found.iter().map(String::as_str)) {
                    Some(close) => d.help(format!("did you mean `{close}`?")),
                    None if found.iter().any(|h| h == column) => d.help(format!(
                        "the file has a column named `{column}`: remove the mapping to use it"
                    )),
                    None => d,
                };
                reader.report(d);
                ok = false;
            }
            None if required.contains(&column) => missing.push(column),
            None => {}
        }
    }
    if !missing.is_empty() {
        let names = missing
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = if missing.len() == 1 {
            format!("missing column {names} in the {kind} table")
        } else {
            format!("missing columns {names} in the {kind} table")
        };
        let mut d = Diagnostic::error(message)
            .in_file(reader.path)
            .at(Location::in_line(
                header_line_no,
                &header_line,
                0..header_line.len(),
            ))
            .label(format!("expected the columns {}", required.join(", ")))
            .note(format!("the file's columns are: {}", quote_list(&found)));
        if found.len() == 1 && sniffed != reader.delimiter {
            let forced = source.delimiter.is_some();
            d = d.help(format!(
                "this file looks `{}`-separated; {} `delimiter = \"{}\"` in [data.{kind}] of engagement.toml",
                delimiter_name(sniffed),
                if forced { "write" } else { "set" },
                delimiter_name(sniffed)
            ));
            if forced {
                d = d.note(format!(
                    "[data.{kind}] sets `delimiter = \"{}\"`",
                    delimiter_name(reader.delimiter)
                ));
            }
        } else {
            for column in &missing {
                d = match crate::diagnostic::closest(column, found.iter().map(String::as_str)) {
                    Some(close) => d.help(format!(
                        "if `{close}` is the `{column}` column, map it: `columns = {{ {column} = \"{close}\" }}` in [data.{kind}] of engagement.toml"
                    )),
                    None => d.help(format!(
                        "if the `{column}` column has another name in this export, map it: `columns = {{ {column} = \"...\" }}` in [data.{kind}] of engagement.toml"
                    )),
                };
            }
        }
        reader.report(d);
        ok = false;
    }
    ok
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error of an optional cell that is present but invalid: the problem was already
/// reported, the row parser only has to drop the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// What a row parser sees: typed accessors for the current row's cells, each
/// reporting its own errors.
pub struct TableReader<'a, 'b> {
    reader: &'a mut Reader<'b>,
    row: Row<'a>,
}

impl TableReader<'_, '_> {
    pub fn line(&self) -> u32 {
        self.row.line
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.reader.index.contains_key(column)
    }

    /// An optional text cell (trimmed; `None` when empty).
    pub fn text(&self, column: &str) -> Option<&str> {
        self.reader.cell(&self.row, column)
    }

    pub fn required_text(&mut self, column: &str) -> Option<&str> {
        let row = Row { ..self.row };
        self.reader.required(&row, column)
    }

    pub fn required_date(&mut self, column: &str) -> Option<NaiveDate> {
        let row = Row { ..self.row };
        let text = self.reader.required(&row, column)?;
        self.reader.date(&row, column, text)
    }

    /// `Err(Reported)` when the cell is present but invalid.
    pub fn date(&mut self, column: &str) -> Result<Option<NaiveDate>, Reported> {
        let row = Row { ..self.row };
        match self.reader.cell(&row, column) {
            None => Ok(None),
            Some(text) => self
                .reader
                .date(&row, column, text)
                .map(Some)
                .ok_or(Reported),
        }
    }

    pub fn required_amount(&mut self, column: &str) -> Option<Decimal> {
        let row = Row { ..self.row };
        let text = self.reader.required(&row, column)?;
        self.reader.amount(&row, column, text)
    }

    pub fn amount(&mut self, column: &str) -> Result<Option<Decimal>, Reported> {
        let row = Row { ..self.row };
        match self.reader.cell(&row, column) {
            None => Ok(None),
            Some(text) => self
                .reader
                .amount(&row, column, text)
                .map(Some)
                .ok_or(Reported),
        }
    }

    pub fn required_word<V: Vocabulary>(&mut self, column: &str) -> Option<V> {
        let row = Row { ..self.row };
        let text = self.reader.required(&row, column)?;
        self.reader.word(&row, column, text)
    }

    pub fn word<V: Vocabulary>(&mut self, column: &str) -> Result<Option<V>, Reported> {
        let row = Row { ..self.row };
        match self.reader.cell(&row, column) {
            None => Ok(None),
            Some(text) => self
                .reader
                .word(&row, column, text)
                .map(Some)
                .ok_or(Reported),
        }
    }

    pub fn boolean(&mut self, column: &str) -> Result<Option<bool>, Reported> {
        let row = Row { ..self.row };
        match self.reader.cell(&row, column) {
            None => Ok(None),
            Some(text) => self
                .reader
                .boolean(&row, column, text)
                .map(Some)
                .ok_or(Reported),
        }
    }

    /// Reports a problem with a cell that the accessors could not see (a rule across
    /// columns, a duplicate id).
    pub fn error(&mut self, column: &str, message: String, expected: String) -> Diagnostic {
        let row = Row { ..self.row };
        self.reader.cell_error(&row, column, message, expected)
    }

    /// Reports a problem of `column` in this row, grouped with the identical ones
    /// (same column, same `cause`).
    pub fn report(&mut self, column: &str, cause: &'static str, diagnostic: Diagnostic) {
        let line = self.row.line;
        self.reader.report_cell(column, cause, line, diagnostic);
    }
}

impl Clone for Row<'_> {
    fn clone(&self) -> Self {
        *self
    }
}
impl Copy for Row<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_every_export_shape() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(parse_amount("1234.56", false), Ok(d("1234.56")));
        assert_eq!(parse_amount("-12", false), Ok(d("-12")));
        assert_eq!(parse_amount("1 234,56 €", true), Ok(d("1234.56")));
        assert_eq!(parse_amount("1\u{a0}234,56\u{a0}€", true), Ok(d("1234.56")));
        assert_eq!(
            parse_amount("1\u{202f}234\u{202f}567,5", true),
            Ok(d("1234567.5"))
        );
        assert_eq!(parse_amount("-1 234,56", true), Ok(d("-1234.56")));
        assert_eq!(parse_amount("1.234,56", true), Ok(d("1234.56")));
        assert_eq!(parse_amount("(12,50)", true), Ok(d("-12.50")));
        assert_eq!(parse_amount("12,50-", true), Ok(d("-12.50")));
        assert_eq!(parse_amount("€ 99", false), Ok(d("99")));
        assert_eq!(parse_amount("99 EUR", false), Ok(d("99")));
        assert_eq!(
            parse_amount("12,5", false),
            Err(AmountError::LooksLikeDecimalComma)
        );
        assert_eq!(
            parse_amount("12.5", true),
            Err(AmountError::LooksLikeDecimalPoint)
        );
        assert_eq!(parse_amount("abc", false), Err(AmountError::Invalid));
        assert_eq!(parse_amount("", false), Err(AmountError::Invalid));
        assert_eq!(parse_amount("1.2.3", false), Err(AmountError::Invalid));
    }

    #[test]
    fn commas_between_thousands_with_a_decimal_point() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(parse_amount("1,234.56", false), Ok(d("1234.56")));
        assert_eq!(parse_amount("-1,234,567", false), Ok(d("-1234567")));
        assert_eq!(parse_amount("$1,234,567.5", false), Ok(d("1234567.5")));
        assert_eq!(parse_amount("153.60", false), Ok(d("153.60")));
        assert_eq!(
            parse_amount("1,234", false),
            Err(AmountError::ThousandsOrDecimalComma)
        );
        let us = NumberStyle {
            decimal_comma: false,
            thousands_comma: true,
        };
        assert_eq!(parse_number("1,234", us), Ok(d("1234")));
        for bad in ["1234,567.00", "1,23.4", "1.5,000", ",123"] {
            assert_eq!(
                parse_amount(bad, false),
                Err(AmountError::LooksLikeDecimalComma),
                "{bad}"
            );
        }
    }

    #[test]
    fn numbers_beyond_a_trillion_are_refused() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000i64));
        assert!(parse_amount("1000000000000", false).is_ok());
        assert_eq!(
            parse_amount("1000000000000.01", false),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            parse_amount("50000000000000000000000000000", false),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            parse_amount("-5 000 000 000 000,00 €", true),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn amounts_keep_every_digit() {
        let a = parse_amount("0.1", false).unwrap() + parse_amount("0.2", false).unwrap();
        assert_eq!(a, "0.3".parse::<Decimal>().unwrap());
    }

    #[test]
    fn iso_dates_with_and_without_time() {
        assert_eq!(
            parse_iso_date("2025-02-28"),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(
            parse_iso_date("2025-02-28T10:00:00"),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(parse_iso_date("2025-02-29"), None);
        assert_eq!(parse_iso_date("28/02/2025"), None);
        assert_eq!(parse_iso_date("2025-02-28x"), None);
    }

    #[test]
    fn date_formats_are_checked() {
        assert!(date_format_is_valid("%d/%m/%Y"));
        assert!(!date_format_is_valid("%H:%M"));
        assert!(!date_format_is_valid("%Q"));
        assert!(date_format_is_valid("%m/%d/%Y %H:%M"));
        assert_eq!(date_format_hint("31/12/2025").as_deref(), Some("%d/%m/%Y"));
    }

    #[test]
    fn date_hints_name_only_formats_that_fit_the_cell() {
        let hint = |t: &str| date_format_hint(t);
        assert_eq!(hint("2/24/2003").as_deref(), Some("%m/%d/%Y"));
        assert_eq!(hint("2/24/2003 0:00").as_deref(), Some("%m/%d/%Y %H:%M"));
        assert_eq!(
            hint("06/12/2009 10:30:00").as_deref(),
            Some("%d/%m/%Y %H:%M:%S")
        );
        assert_eq!(hint("24.02.2003").as_deref(), Some("%d.%m.%Y"));
        assert_eq!(hint("24/02/03").as_deref(), Some("%d/%m/%y"));
        assert_eq!(hint("13/13/2003"), None);
    }

    #[test]
    fn sniffing_picks_the_separator_of_the_header() {
        assert_eq!(sniff_delimiter("date;client_id;amount"), b';');
        assert_eq!(sniff_delimiter("date,client_id,amount"), b',');
        assert_eq!(sniff_delimiter("date\tclient_id\tamount"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c,d"), b',');
    }

    #[test]
    fn excel_sep_lines_name_the_delimiter() {
        assert_eq!(excel_sep_line("sep=,\r\ndate,amount\r\n"), (7, Some(b',')));
        assert_eq!(excel_sep_line("\"sep=;\"\ndate;amount\n"), (8, Some(b';')));
        assert_eq!(excel_sep_line("SEP=|\n"), (6, Some(b'|')));
        assert_eq!(excel_sep_line("date,amount\n"), (0, None));
        assert_eq!(excel_sep_line("sep=,,\n"), (0, None));
    }

    #[test]
    fn records_start_after_line_ends() {
        // csv gives the second record of "h\r\nx\r\n" as byte 2 (the `\n`), line 1.
        let text = b"h\r\nx\r\n\r\ny\n";
        assert_eq!(record_start(text, 2, 1), (3, 2));
        assert_eq!(record_start(text, 3, 2), (3, 2));
        assert_eq!(record_start(text, 5, 2), (8, 4));
        assert_eq!(record_start(text, text.len(), 5), (text.len(), 5));
    }

    #[test]
    fn field_spans_honour_quotes() {
        let line = "a,\"b,c\",d";
        assert_eq!(&line[field_span(line, b',', 1)], "\"b,c\"");
        assert_eq!(&line[field_span(line, b',', 2)], "d");
    }
}
