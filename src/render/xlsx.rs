//! tables.xlsx: the report's tables for clients who rework them in Excel.
//!
//! Written from the same typed report model as the pages ([`Deliverables`]), so the sheet
//! and the report cannot disagree: a first sheet with the headline figures, one sheet
//! per section that has tables, one per salesperson's scorecard.
//!
//! The model holds figures as the reader sees them (`1 234 567 €`, `12,5 %`). A cell
//! becomes a typed number or date only when writing that value back with the report's
//! own [`Formatter`] gives exactly the cell's text: what Excel computes with is then
//! what the page shows, and anything else (`n.d.`, `A2, A7`) stays text. Headline
//! figures are the exact measured values (to the cent), formatted like the report.
//!
//! The bytes are deterministic: the document's creation date is the engagement's data
//! cut-off and rust_xlsxwriter writes fixed ZIP times.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format as CellFormat, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use super::{Job, Output, Rendered};
use crate::diagnostic::Diagnostic;
use crate::i18n::Formatter;
use crate::present::deliverables::Format;
use crate::present::model::{Align, Block, Kpi, Report, Section, Table, Tone, ValueUnit};
use crate::vocab::Language;

/// The tables.xlsx output.
pub struct XlsxOutput;

/// Its file name in the engagement's output folder.
pub const FILE: &str = "tables.xlsx";

impl Output for XlsxOutput {
    fn format(&self) -> Format {
        Format::Xlsx
    }

    fn render(&self, job: &Job<'_>) -> Result<Rendered, Vec<Diagnostic>> {
        let bytes = workbook(job)
            .map_err(|e| vec![Diagnostic::error(format!("cannot write {FILE}: {e}"))])?;
        Ok(Rendered {
            files: vec![(FILE.to_string(), bytes)],
            warnings: Vec::new(),
        })
    }
}

/// A cell's value as Excel should hold it.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Money {
        value: Decimal,
        cents: bool,
    },
    /// A share (0.125 for 12.5 %), with its decimals; `signed` for changes (`+8,1 %`).
    Percent {
        share: Decimal,
        dp: u32,
        signed: bool,
    },
    Number {
        value: Decimal,
        dp: u32,
    },
    /// Percentage points (`+3,2 pts`).
    Points {
        value: Decimal,
    },
    Date(NaiveDate),
    /// A month (`sept. 2025`), as its first day.
    Month(NaiveDate),
    Text,
}

/// How the report writes figures, to recognise them in cells and to format them in Excel.
pub struct Reader<'a> {
    fmt: &'a Formatter,
    currency: &'a str,
    /// The currency as written beside amounts (`€`, `CHF`).
    symbol: String,
}

impl<'a> Reader<'a> {
    pub fn new(fmt: &'a Formatter, currency: &'a str) -> Reader<'a> {
        let symbol = fmt
            .money(Decimal::ZERO, currency)
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace() && *c != '\u{202f}')
            .collect();
        Reader {
            fmt,
            currency,
            symbol,
        }
    }

    /// What `text` holds, if the report's formatter writes exactly that for it.
    pub fn typed(&self, text: &str) -> Typed {
        let fmt = self.fmt;
        let decimal = match fmt.language() {
            Language::Fr => ',',
            Language::En => '.',
        };
        let mut digits = String::new();
        let mut dp = None;
        for c in text.chars() {
            match c {
                '0'..='9' => {
                    digits.push(c);
                    dp = dp.map(|d: u32| d + 1);
                }
                c if c == decimal && dp.is_none() => {
                    digits.push('.');
                    dp = Some(0);
                }
                '-' | '\u{2212}' if digits.is_empty() => digits.push('-'),
                _ => {}
            }
        }
        let dp = dp.unwrap_or(0);
        if let Ok(value) = digits.parse::<Decimal>() {
            if fmt.money(value, self.currency) == text {
                return Typed::Money {
                    value,
                    cents: false,
                };
            }
            if fmt.money_cents(value, self.currency) == text {
                return Typed::Money { value, cents: true };
            }
            let share = value / Decimal::ONE_HUNDRED;
            if fmt.percent(share, dp) == text {
                return Typed::Percent {
                    share,
                    dp,
                    signed: false,
                };
            }
            if dp == 1 && fmt.growth(share) == text {
                return Typed::Percent {
                    share,
                    dp,
                    signed: true,
                };
            }
            if fmt.number(value, dp) == text {
                return Typed::Number { value, dp };
            }
            if dp == 1 && fmt.points(value) == text {
                return Typed::Points { value };
            }
        }
        self.date(text).unwrap_or(Typed::Text)
    }

    /// A date or month the report wrote (`30 septembre 2025`, `sept. 2025`).
    fn date(&self, text: &str) -> Option<Typed> {
        let runs: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|r| !r.is_empty())
            .collect();
        let year: i32 = runs.iter().find(|r| r.len() == 4)?.parse().ok()?;
        let day: Option<u32> = runs
            .iter()
            .find(|r| r.len() <= 2)
            .and_then(|r| r.parse().ok());
        for month in 1..=12 {
            if let Some(day) = day
                && let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
                && self.fmt.date(date) == text
            {
                return Some(Typed::Date(date));
            }
            if day.is_none()
                && let Some(first) = NaiveDate::from_ymd_opt(year, month, 1)
                && self.fmt.month(first) == text
            {
                return Some(Typed::Month(first));
            }
        }
        None
    }

    /// Excel's number format for a typed value, in the report's language.
    fn num_format(&self, typed: &Typed) -> String {
        let fr = self.fmt.language() == Language::Fr;
        let decimals = |dp: u32| {
            if dp == 0 {
                String::new()
            } else {
                format!(".{}", "0".repeat(dp as usize))
            }
        };
        let symbol = self.symbol.replace('"', "");
        match typed {
            Typed::Money { cents, .. } => {
                let number = format!("#,##0{}", decimals(if *cents { 2 } else { 0 }));
                match (fr, symbol.chars().count()) {
                    (true, _) => format!("{number}\\ \"{symbol}\""),
                    (false, 1) => format!("\"{symbol}\"{number};-\"{symbol}\"{number}"),
                    (false, _) => format!("\"{symbol} \"{number};-\"{symbol} \"{number}"),
                }
            }
            Typed::Percent { dp, signed, .. } => {
                let p = format!("0{}%", decimals(*dp));
                if *signed { format!("+{p};-{p};{p}") } else { p }
            }
            Typed::Number { dp, .. } => format!("#,##0{}", decimals(*dp)),
            Typed::Points { .. } => "+0.0\\ \"pts\";-0.0\\ \"pts\";0.0\\ \"pts\"".to_string(),
            Typed::Date(_) if fr => "[$-40C]d mmmm yyyy".to_string(),
            Typed::Date(_) => "[$-409]mmmm d, yyyy".to_string(),
            Typed::Month(_) if fr => "[$-40C]mmm yyyy".to_string(),
            Typed::Month(_) => "[$-409]mmm yyyy".to_string(),
            Typed::Text => "@".to_string(),
        }
    }
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Writes `text` at (row, col) as the value it shows, with `base` formatting.
fn write_cell(
    sheet: &mut Worksheet,
    reader: &Reader<'_>,
    at: (u32, u16),
    text: &str,
    base: CellFormat,
) -> Result<(), XlsxError> {
    write_typed(sheet, reader, at, &reader.typed(text), text, base)
}

/// Writes a typed value (`text` when it is [`Typed::Text`]).
fn write_typed(
    sheet: &mut Worksheet,
    reader: &Reader<'_>,
    (row, col): (u32, u16),
    typed: &Typed,
    text: &str,
    base: CellFormat,
) -> Result<(), XlsxError> {
    let format = match typed {
        Typed::Text => base,
        _ => base.set_num_format(reader.num_format(typed)),
    };
    match typed {
        Typed::Money { value, .. } | Typed::Number { value, .. } | Typed::Points { value } => {
            sheet.write_number_with_format(row, col, f64_of(*value), &format)?;
        }
        Typed::Percent { share, .. } => {
            sheet.write_number_with_format(row, col, f64_of(*share), &format)?;
        }
        Typed::Date(d) | Typed::Month(d) => {
            sheet.write_datetime_with_format(row, col, excel_date(*d)?, &format)?;
        }
        Typed::Text => {
            sheet.write_string_with_format(row, col, text, &format)?;
        }
    }
    Ok(())
}

/// A sheet being filled top to bottom, remembering what its columns need to be wide.
struct Sheet<'s> {
    sheet: &'s mut Worksheet,
    row: u32,
    widths: Vec<usize>,
    /// The row under the first table's header: panes freeze above it.
    freeze: Option<u32>,
}

const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

impl<'s> Sheet<'s> {
    fn new(sheet: &'s mut Worksheet, title: &str) -> Result<Sheet<'s>, XlsxError> {
        let bold = CellFormat::new().set_bold().set_font_size(14);
        sheet.write_string_with_format(0, 0, title, &bold)?;
        Ok(Sheet {
            sheet,
            row: 2,
            widths: Vec::new(),
            freeze: None,
        })
    }

    fn fit(&mut self, col: usize, text: &str) {
        if self.widths.len() <= col {
            self.widths.resize(col + 1, MIN_WIDTH);
        }
        let len = text.chars().count() + 2;
        self.widths[col] = self.widths[col].max(len.min(MAX_WIDTH));
    }

    /// A caption or a note: a line of its own, not counted in the column's width.
    fn line(&mut self, text: &str, format: &CellFormat) -> Result<(), XlsxError> {
        self.sheet
            .write_string_with_format(self.row, 0, text, format)?;
        self.row += 1;
        Ok(())
    }

    fn table(&mut self, reader: &Reader<'_>, table: &Table) -> Result<(), XlsxError> {
        self.line(&table.caption, &CellFormat::new().set_bold())?;
        let header = CellFormat::new()
            .set_bold()
            .set_text_wrap()
            .set_border_bottom(FormatBorder::Thin);
        for (c, column) in table.columns.iter().enumerate() {
            let format = match column.align {
                Align::Left => header.clone(),
                Align::Right => header.clone().set_align(FormatAlign::Right),
                Align::Center => header.clone().set_align(FormatAlign::Center),
            };
            self.sheet
                .write_string_with_format(self.row, c as u16, &column.label, &format)?;
            self.fit(c, &column.label);
        }
        self.row += 1;
        self.freeze.get_or_insert(self.row);
        for row in &table.rows {
            for (c, cell) in row.cells.iter().enumerate() {
                let mut format = CellFormat::new();
                if row.emphasis {
                    format = format.set_bold();
                }
                format = match cell.tone {
                    Tone::Good => format.set_font_color("#1B7F3B"),
                    Tone::Bad => format.set_font_color("#B3261E"),
                    Tone::Warning => format.set_font_color("#9A6700"),
                    Tone::Neutral => format,
                };
                if let Some(column) = table.columns.get(c) {
                    format = match column.align {
                        Align::Left => format,
                        Align::Right => format.set_align(FormatAlign::Right),
                        Align::Center => format.set_align(FormatAlign::Center),
                    };
                }
                // A sheet has no second line in small type: the detail follows the
                // text in brackets, so that what an action answers is not lost.
                let text = match &cell.detail {
                    Some(detail) => std::borrow::Cow::Owned(format!("{} ({detail})", cell.text)),
                    None => std::borrow::Cow::Borrowed(cell.text.as_str()),
                };
                write_cell(self.sheet, reader, (self.row, c as u16), &text, format)?;
                self.fit(c, &text);
            }
            self.row += 1;
        }
        if let Some(note) = &table.note {
            self.line(note, &CellFormat::new().set_italic())?;
        }
        self.row += 1;
        Ok(())
    }

    /// Headline figures as a three-column table: figure, value, detail.
    fn kpis(&mut self, reader: &Reader<'_>, tiles: &[Kpi]) -> Result<(), XlsxError> {
        for tile in tiles {
            let bold = CellFormat::new().set_bold();
            self.sheet
                .write_string_with_format(self.row, 0, &tile.label, &bold)?;
            self.fit(0, &tile.label);
            write_cell(
                self.sheet,
                reader,
                (self.row, 1),
                &tile.value,
                CellFormat::new().set_align(FormatAlign::Right),
            )?;
            self.fit(1, &tile.value);
            if let Some(detail) = &tile.detail {
                self.sheet.write_string(self.row, 2, detail)?;
                self.fit(2, detail);
            }
            self.row += 1;
        }
        self.row += 1;
        Ok(())
    }

    fn finish(self) -> Result<(), XlsxError> {
        for (c, width) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(c as u16, *width as f64)?;
        }
        if let Some(row) = self.freeze {
            self.sheet.set_freeze_panes(row, 0)?;
        }
        Ok(())
    }
}

/// Sheet names Excel accepts (31 characters, none of `[]:*?/\`), unique regardless of
/// case as Excel requires.
#[derive(Default)]
struct SheetNames(Vec<String>);

impl SheetNames {
    fn unique(&mut self, wanted: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim();
        let clean = if clean.is_empty() { "Sheet" } else { clean };
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>().trim_end().to_string();
        let mut name = cut(clean, 31);
        let mut n = 2;
        while self
            .0
            .iter()
            .any(|taken| taken.to_lowercase() == name.to_lowercase())
        {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", cut(clean, 31 - suffix.chars().count()));
            n += 1;
        }
        self.0.push(name.clone());
        name
    }
}

/// The tables of a section and of its sub-sections without a sheet of their own, in
/// order.
fn tables_of(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The sections that get a sheet: each one with tables of its own, in report order.
fn sheet_sections<'r>(sections: &'r [Section], out: &mut Vec<&'r Section>) {
    for s in sections {
        if !tables_of(s).is_empty() {
            out.push(s);
        }
        sheet_sections(&s.children, out);
    }
}

fn m_total(job: &Job<'_>) -> Decimal {
    job.measured.metrics.revenue.figures.total.0
}

fn headline(
    workbook: &mut Workbook,
    names: &mut SheetNames,
    job: &Job<'_>,
    reader: &Reader<'_>,
) -> Result<(), XlsxError> {
    let report = &job.deliverables.report.report;
    let sheet = workbook.add_worksheet();
    sheet.set_name(names.unique(&job.deliverables.headline.title))?;
    let mut sheet = Sheet::new(sheet, &report.meta.client)?;
    let bold = CellFormat::new().set_bold();
    for line in [&report.meta.title, &report.meta.fiscal_year_label] {
        sheet.line(line, &CellFormat::new())?;
    }
    // The data cut-off, as a date.
    sheet
        .sheet
        .write_string_with_format(sheet.row, 0, &report.meta.as_of_label, &bold)?;
    let as_of = Typed::Date(report.meta.as_of);
    sheet.sheet.write_datetime_with_format(
        sheet.row,
        1,
        excel_date(report.meta.as_of)?,
        &CellFormat::new().set_num_format(reader.num_format(&as_of)),
    )?;
    // Wide enough for a date and for the amounts below.
    sheet.fit(1, &reader.fmt.date(report.meta.as_of));
    sheet.fit(1, &reader.fmt.money(m_total(job), reader.currency));
    sheet.row += 2;

    // The headline figures of the index page with metrics.json's precision (money to
    // the cent, rates to 4 decimals), so a spreadsheet recomputes with the same values.
    let exact = |d: Decimal, dp: u32| {
        d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let figures: Vec<(String, Option<Typed>)> = job
        .deliverables
        .headline
        .figures
        .iter()
        .map(|f| {
            let typed = f.value.map(|v| match f.unit {
                ValueUnit::Money => Typed::Money {
                    value: exact(v, 2),
                    cents: false,
                },
                ValueUnit::Percent => Typed::Percent {
                    share: exact(v, 4),
                    dp: 1,
                    signed: true,
                },
                ValueUnit::Count | ValueUnit::Hours => Typed::Number { value: v, dp: 0 },
            });
            (f.label.clone(), typed)
        })
        .collect();
    for (label, typed) in &figures {
        sheet
            .sheet
            .write_string_with_format(sheet.row, 0, label, &bold)?;
        sheet.fit(0, label);
        let na = reader.fmt.not_available();
        let typed = typed.as_ref().unwrap_or(&Typed::Text);
        let right = CellFormat::new().set_align(FormatAlign::Right);
        write_typed(sheet.sheet, reader, (sheet.row, 1), typed, na, right)?;
        sheet.row += 1;
    }
    sheet.row += 1;

    // The report's headline tiles, with their details (objectives, projections).
    for section in report.sections.iter().take(1) {
        for block in &section.blocks {
            if let Block::Kpis { tiles } = block {
                sheet.line(&section.title, &bold)?;
                sheet.kpis(reader, tiles)?;
            }
        }
    }
    sheet.finish()
}

fn document_sheet(
    workbook: &mut Workbook,
    name: String,
    title: &str,
    report: &Report,
    reader: &Reader<'_>,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let mut sheet = Sheet::new(sheet, title)?;
    let mut all = Vec::new();
    sheet_sections(&report.sections, &mut all);
    for block in report.sections.iter().flat_map(|s| &s.blocks) {
        if let Block::Kpis { tiles } = block {
            sheet.kpis(reader, tiles)?;
        }
    }
    for section in all {
        let heading = format!("{} {}", section.number, section.title);
        sheet.line(
            heading.trim(),
            &CellFormat::new().set_bold().set_font_size(12),
        )?;
        for table in tables_of(section) {
            sheet.table(reader, table)?;
        }
    }
    sheet.finish()
}

/// The whole workbook, in memory.
fn workbook(job: &Job<'_>) -> Result<Vec<u8>, XlsxError> {
    let report = &job.deliverables.report.report;
    let fmt = Formatter::new(report.lang);
    let reader = Reader::new(&fmt, &job.engagement.info.currency);
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&report.meta.title)
            .set_company(&report.brand.name)
            .set_creation_datetime(&excel_date(report.meta.as_of)?),
    );
    let mut names = SheetNames::default();
    headline(&mut workbook, &mut names, job, &reader)?;

    let mut sections = Vec::new();
    sheet_sections(&report.sections, &mut sections);
    for section in sections {
        let sheet = workbook.add_worksheet();
        let heading = format!("{} {}", section.number, section.title);
        sheet.set_name(names.unique(heading.trim()))?;
        let mut sheet = Sheet::new(sheet, heading.trim())?;
        for table in tables_of(section) {
            sheet.table(&reader, table)?;
        }
        sheet.finish()?;
    }
    for card in &job.deliverables.scorecards {
        let r = &card.report;
        let rep = r.meta.rep.clone().unwrap_or_else(|| card.stem.clone());
        let name = names.unique(&rep);
        let title = format!("{rep} · {}", r.meta.title);
        document_sheet(&mut workbook, name, &title, r, &reader)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_cell_is_a_number_only_when_the_report_writes_that_number_so() {
        for language in [Language::Fr, Language::En] {
            let fmt = Formatter::new(language);
            let r = Reader::new(&fmt, "EUR");
            let money = fmt.money(d("1234567"), "EUR");
            assert_eq!(
                r.typed(&money),
                Typed::Money {
                    value: d("1234567"),
                    cents: false
                }
            );
            assert_eq!(
                r.typed(&fmt.money(d("-1234"), "EUR")),
                Typed::Money {
                    value: d("-1234"),
                    cents: false
                }
            );
            assert_eq!(
                r.typed(&fmt.money_cents(d("37.5"), "EUR")),
                Typed::Money {
                    value: d("37.50"),
                    cents: true
                }
            );
            assert_eq!(
                r.typed(&fmt.percent(d("0.125"), 1)),
                Typed::Percent {
                    share: d("0.125"),
                    dp: 1,
                    signed: false
                }
            );
            assert_eq!(
                r.typed(&fmt.growth(d("0.081"))),
                Typed::Percent {
                    share: d("0.081"),
                    dp: 1,
                    signed: true
                }
            );
            assert_eq!(
                r.typed(&fmt.count(1234)),
                Typed::Number {
                    value: d("1234"),
                    dp: 0
                }
            );
            let date = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
            assert_eq!(r.typed(&fmt.date(date)), Typed::Date(date));
            let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
            assert_eq!(r.typed(&fmt.date(first)), Typed::Date(first));
            assert_eq!(r.typed(&fmt.month(first)), Typed::Month(first));
            for text in [
                fmt.not_available(),
                "A2, A7",
                "2025",
                "Zone 12",
                "",
                "1,2 M€",
            ] {
                assert_eq!(r.typed(text), Typed::Text, "{text}");
            }
            // Compact money rounds: never taken for the exact amount.
            assert_eq!(
                r.typed(&fmt.money_compact(d("1234567"), "EUR")),
                Typed::Text
            );
        }
    }

    #[test]
    fn sheet_names_are_valid_and_unique_in_excel() {
        let mut names = SheetNames::default();
        assert_eq!(
            names.unique("3.1 Chiffre d'affaires"),
            "3.1 Chiffre d'affaires"
        );
        assert_eq!(names.unique("a/b: [c]?"), "a b   c");
        let long = "Mesure de la performance et ajustements";
        let first = names.unique(long);
        assert_eq!(first.chars().count(), 31);
        let second = names.unique(&long.to_uppercase());
        assert!(second.ends_with(" (2)") && second.chars().count() <= 31);
        assert_eq!(names.unique("'"), "Sheet");
    }
}
