//! One table file, from its header to its last row: CSV or workbook, the columns it
//! maps (its own headers, `columns`, a CRM preset), the rows `skip`/`keep` leave out,
//! and what is reported once the file is read (currencies without a rate, `values`
//! entries and filters that matched nothing).

use std::path::Path;

use calamine::Data;
use rust_decimal::Decimal;

use super::cells::{DateFormat, NumberStyle};
use super::reader::{
    MAX_ERRORS_PER_FILE, MapEntry, ReadContext, Reader, Row, RowData, TableReader,
};
use super::rows::RowParser;
use super::text::{
    decode, delimiter_name, excel_sep_line, field_span, record_start, sniff_delimiter,
};
use super::workbook::{self, SheetError};
use super::{FileStats, TableData, columns};
use crate::diagnostic::{Diagnostic, Location, count};
use crate::engagement::presets::header_key;
use crate::engagement::sources::TableSource;
use crate::vocab::TableKind;

/// A resolved row filter: the column index, the values, whether it keeps (else skips),
/// and the reason rows it leaves out are counted under.
struct RowFilter {
    index: usize,
    values: Vec<String>,
    keep: bool,
    reason: String,
}

/// Reads one table file: decoding, header mapping, then every row through `parser`.
///
/// `rel` is the file's path relative to the engagement folder (for provenance).
/// Returns the rows and the diagnostics; rows are meaningless if any diagnostic is an
/// error.
pub fn read_table<P: RowParser>(
    kind: TableKind,
    path: &Path,
    rel: &str,
    bytes: Vec<u8>,
    source: &TableSource,
    context: ReadContext<'_>,
    parser: &mut P,
) -> (Option<TableData<P::Row>>, Vec<Diagnostic>) {
    let size = bytes.len() as u64;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let numbers = NumberStyle {
        decimal_comma: source.decimal_comma,
        thousands_comma: source.thousands == Some(','),
    };
    let stats = |rows: usize, empty: usize, delimiter: &str, encoding: &str| FileStats {
        file: rel.to_string(),
        bytes: size,
        rows,
        empty_rows_skipped: empty,
        delimiter: delimiter.to_string(),
        encoding: encoding.to_string(),
        blake3: hash.clone(),
        rows_left_out: Default::default(),
        explain: Vec::new(),
    };
    if workbook::is_workbook(rel) {
        let sheets = match workbook::read_sheets(
            bytes,
            source.sheet.as_ref().map(|s| s.value.as_str()),
        ) {
            Ok(s) => s,
            Err(SheetError::Unreadable(reason)) => {
                return (
                    None,
                    vec![
                        Diagnostic::error(format!("cannot read the workbook: {reason}"))
                            .in_file(path)
                            .help("levier reads .xlsx, .xlsm, .xls and .ods workbooks; save the export in one of these formats, or as CSV"),
                    ],
                );
            }
            Err(SheetError::NoSuchSheet(names)) => {
                let s = source.sheet.as_ref().expect("a sheet was asked for");
                let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                return (
                    None,
                    vec![
                        s.origin
                            .error(format!("no sheet `{}` in {rel}", s.value))
                            .label(format!("the workbook's sheets are {}", quoted.join(", ")))
                            .suggest(&s.value, names.iter().map(String::as_str)),
                    ],
                );
            }
        };
        let mut all_rows = Vec::new();
        let mut diagnostics = Vec::new();
        let mut total = stats(0, 0, "", "workbook");
        let mut first_header: Option<(String, Vec<String>)> = None;
        for sheet in &sheets {
            let (rows, mut found, sheet_stats, header) =
                read_sheet(kind, path, rel, sheet, source, context, numbers, parser);
            let failed = found.iter().any(Diagnostic::is_error);
            if let (Some((first_name, first)), Some(header)) = (&first_header, &header)
                && first != header
            {
                found.push(
                    Diagnostic::error(format!(
                        "sheet `{}` of {rel} has another header than sheet `{first_name}`",
                        sheet.name
                    ))
                    .in_file(path)
                    .note(format!("`{first_name}`: {}", quote_list(first)))
                    .note(format!("`{}`: {}", sheet.name, quote_list(header)))
                    .help("with `sheet = \"*\"`, every sheet is stacked under one header: name the sheet to read instead"),
                );
            }
            if first_header.is_none() {
                first_header = header.map(|h| (sheet.name.clone(), h));
            }
            diagnostics.append(&mut found);
            if failed {
                continue;
            }
            if let Some(rows) = rows {
                all_rows.extend(rows);
            }
            total.rows += sheet_stats.rows;
            total.empty_rows_skipped += sheet_stats.empty_rows_skipped;
            total.rows_left_out.merge(&sheet_stats.rows_left_out);
            total.explain.extend(sheet_stats.explain);
        }
        total.rows = all_rows.len();
        return (
            Some(TableData {
                rows: all_rows,
                stats: total,
            }),
            diagnostics,
        );
    }

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
    // it is honoured, and the file's line numbers are kept. `header_row` skips a title
    // block.
    let (mut header_byte, sep) = excel_sep_line(&text);
    let mut header_line_no = if sep.is_some() { 2 } else { 1 };
    if let Some(row) = &source.header_row {
        while header_line_no < row.value as usize {
            match text[header_byte..].find('\n') {
                Some(i) => header_byte += i + 1,
                None => {
                    return (
                        None,
                        vec![
                            row.origin
                                .error(format!("{rel} has no line {}", row.value))
                                .label("expected the line number of the header"),
                        ],
                    );
                }
            }
            header_line_no += 1;
        }
    }
    let header_line = text[header_byte..].lines().next().unwrap_or("");
    let sniffed = sep.unwrap_or_else(|| sniff_delimiter(header_line));
    let delimiter = source.delimiter.unwrap_or(sniffed);
    let mut reader = Reader::new(
        kind,
        path,
        rel,
        &text,
        None,
        delimiter,
        numbers,
        DateFormat::of(source.date_format.as_deref()),
        source.empty_client,
        context,
    );
    reader.header_byte = header_byte;
    reader.header_line_no = header_line_no;

    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(&text.as_bytes()[header_byte..]);
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return (
                None,
                vec![super::text::csv_error(path, &text, header_byte, &e)],
            );
        }
    };
    if text[header_byte..].trim().is_empty() {
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
    let found: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let Some(filters) = map_columns(&mut reader, kind, &found, source, sniffed) else {
        return (None, reader.diagnostics);
    };

    let mut rows = Vec::new();
    let mut empty = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                reader.report(super::text::csv_error(path, &text, header_byte, &e));
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
            data: RowData::Csv {
                record: &record,
                byte,
            },
            line: line as u32,
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            empty += 1;
            continue;
        }
        if record.len() != headers.len() {
            field_count_error(&mut reader, &record, row, headers.len());
            continue;
        }
        if let Some(r) = next_row(&mut reader, &filters, row, parser) {
            rows.push(r);
        }
    }
    let mut stats = stats(rows.len(), empty, delimiter_name(delimiter), encoding);
    finish(&mut reader, source, &mut stats);
    (Some(TableData { rows, stats }), reader.diagnostics)
}

/// Filters a row, then parses it.
fn next_row<P: RowParser>(
    reader: &mut Reader<'_>,
    filters: &[RowFilter],
    row: Row<'_>,
    parser: &mut P,
) -> Option<P::Row> {
    for f in filters {
        let cell = reader.raw(&row, f.index);
        let cell = cell.as_deref().unwrap_or("");
        if f.values.iter().any(|v| v == cell) != f.keep {
            let amount = row_amount(reader, &row);
            reader.left_out.add(&f.reason, amount);
            return None;
        }
    }
    let mut table_reader = TableReader { reader, row };
    parser.parse_row(&mut table_reader)
}

/// The amount a left-out row would have had, for the count of rows left out: the
/// sales amount (or quantity × unit price), a lead's value.
pub(crate) fn row_amount(reader: &Reader<'_>, row: &Row<'_>) -> Option<Decimal> {
    match reader.kind {
        TableKind::Sales => reader.quiet_amount(row, "amount").or_else(|| {
            let q = reader.quiet_amount(row, "quantity")?;
            let p = reader.quiet_amount(row, "unit_price")?;
            q.checked_mul(p).map(|a| a.round_dp(2))
        }),
        TableKind::Leads => reader.quiet_amount(row, "value"),
        _ => None,
    }
}

/// What reading one sheet gives: its rows (none when the sheet could not be read), its
/// diagnostics, its counts, and its header cells.
type SheetRead<R> = (
    Option<Vec<R>>,
    Vec<Diagnostic>,
    FileStats,
    Option<Vec<String>>,
);

#[allow(clippy::too_many_arguments)]
fn read_sheet<P: RowParser>(
    kind: TableKind,
    path: &Path,
    rel: &str,
    sheet: &workbook::Sheet,
    source: &TableSource,
    context: ReadContext<'_>,
    numbers: NumberStyle,
    parser: &mut P,
) -> SheetRead<P::Row> {
    let (start_row, start_col) = sheet.range.start().unwrap_or((0, 0));
    let mut reader = Reader::new(
        kind,
        path,
        rel,
        "",
        Some((sheet.name.as_str(), start_col)),
        b',',
        numbers,
        DateFormat::of(source.date_format.as_deref()),
        source.empty_client,
        context,
    );
    let mut stats = FileStats {
        file: rel.to_string(),
        bytes: 0,
        rows: 0,
        empty_rows_skipped: 0,
        delimiter: String::new(),
        encoding: String::new(),
        blake3: String::new(),
        rows_left_out: Default::default(),
        explain: Vec::new(),
    };
    let rows: Vec<&[Data]> = sheet.range.rows().collect();
    let is_empty = |cells: &[Data]| {
        cells.iter().all(|c| match c {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            _ => false,
        })
    };
    // The header: the row named by `header_row`, else the first row with a cell.
    let header_at = match &source.header_row {
        Some(r) => {
            let wanted = r.value.saturating_sub(1);
            if wanted < start_row || (wanted - start_row) as usize >= rows.len() {
                let d = r.origin.error(format!(
                    "sheet `{}` of {rel} has nothing on row {}",
                    sheet.name, r.value
                ));
                return (None, vec![d], stats, None);
            }
            (wanted - start_row) as usize
        }
        None => match rows.iter().position(|r| !is_empty(r)) {
            Some(i) => i,
            None => {
                let d = Diagnostic::error(format!("sheet `{}` of {rel} is empty", sheet.name))
                    .in_file(path)
                    .help(format!(
                        "the first row must name the columns: {}",
                        columns(kind).0.join(", ")
                    ));
                return (None, vec![d], stats, None);
            }
        },
    };
    let header_row_no = start_row + header_at as u32;
    reader.header_line_no = header_row_no as usize + 1;
    let found: Vec<String> = rows[header_at]
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let row = Row {
                data: RowData::Sheet {
                    cells: rows[header_at],
                    row: header_row_no,
                },
                line: header_row_no + 1,
            };
            reader
                .raw(&row, i)
                .map(|c| c.into_owned())
                .unwrap_or_default()
        })
        .collect();
    let Some(filters) = map_columns(&mut reader, kind, &found, source, b',') else {
        return (None, reader.diagnostics, stats, Some(found));
    };
    let mut out = Vec::new();
    for (i, cells) in rows.iter().enumerate().skip(header_at + 1) {
        let abs = start_row + i as u32;
        if is_empty(cells) {
            stats.empty_rows_skipped += 1;
            continue;
        }
        let row = Row {
            data: RowData::Sheet { cells, row: abs },
            line: abs + 1,
        };
        if let Some(r) = next_row(&mut reader, &filters, row, parser) {
            out.push(r);
        }
    }
    stats.rows = out.len();
    finish(&mut reader, source, &mut stats);
    (Some(out), reader.diagnostics, stats, Some(found))
}

/// What is reported once a file is read.
fn finish(reader: &mut Reader<'_>, source: &TableSource, stats: &mut FileStats) {
    reader.close_problems();
    if reader.errors > MAX_ERRORS_PER_FILE {
        let more = reader.errors - MAX_ERRORS_PER_FILE;
        let d = Diagnostic::error(format!(
            "{more} more error{} in this file not shown",
            if more == 1 { "" } else { "s" }
        ))
        .in_file(reader.path)
        .hiding(more - 1)
        .help(
            "fix the errors above first; they often share one cause (a date format, a delimiter)",
        );
        reader.diagnostics.push(d);
    }
    if !reader.unconverted.is_empty() {
        let found: Vec<String> = reader
            .currencies
            .iter()
            .map(|(code, n)| {
                format!(
                    "{code} ({} row{})",
                    count(*n),
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        let missing: Vec<String> = reader.unconverted.keys().cloned().collect();
        let example: Vec<String> = missing.iter().map(|c| format!("{c} = ...")).collect();
        let first_line = reader
            .unconverted
            .values()
            .map(|(l, _)| *l)
            .min()
            .unwrap_or(0);
        let d = Diagnostic::error(format!(
            "no exchange rate for {} in {}",
            missing.join(", "),
            reader.rel
        ))
        .in_file(reader.path)
        .label(format!(
            "the engagement's currency is {}; first such row on line {first_line}",
            reader.context.currency
        ))
        .note(format!("currencies found: {}", found.join(", ")))
        .help(format!(
            "add `exchange_rates = {{ {} }}` to [settings] of engagement.toml: units of each currency for one {}",
            example.join(", "),
            reader.context.currency
        ));
        reader.errors += 1;
        reader.diagnostics.push(d);
    }
    // `values` entries that no cell matched: a typo in a CRM's word, or a mapping
    // meant for another file.
    for (column, entries) in &source.values {
        for (key, target) in &entries.entries {
            let used = reader
                .values
                .keys()
                .find(|c| **c == column.as_str())
                .is_some_and(|c| reader.values_used.contains(&(*c, key.clone())));
            if !used {
                let shown = if key.is_empty() {
                    "\"\" (the empty cell)".to_string()
                } else {
                    format!("\"{key}\"")
                };
                reader.diagnostics.push(
                    target
                        .origin
                        .warning(format!(
                            "the value {shown} of `values.{column}` matches no row of {}",
                            reader.rel
                        ))
                        .label("no cell of this column has this value")
                        .help("check the spelling against the file, or remove the entry"),
                );
            }
        }
    }
    let left = &reader.left_out;
    if left.count > 0 {
        let reasons: Vec<String> = left
            .by_reason
            .iter()
            .map(|(r, n)| format!("{r}: {}", count(*n)))
            .collect();
        stats.explain.push(format!(
            "{}: rows left out: {}",
            reader.rel,
            reasons.join(", ")
        ));
    }
    stats.rows_left_out = reader.left_out.clone();
    stats.explain.append(&mut reader.explain);
}

fn field_count_error(
    reader: &mut Reader<'_>,
    record: &csv::StringRecord,
    row: Row<'_>,
    expected: usize,
) {
    let RowData::Csv { byte, .. } = row.data else {
        return;
    };
    let delimiter = reader.delimiter;
    let line_text = reader.line_text(byte).to_string();
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
            .in_file(reader.path)
            .at(Location::in_line(row.line as usize, &line_text, start..start + 1))
            .label(format!(
                "this quote opens a value that runs on to line {}",
                row.line as usize + swallowed
            ))
            .help("close the quote, or remove it; a quote inside a quoted value is written twice (`\"\"`)");
        reader.report(d);
        return;
    }
    // Too few fields: point at the end of the line, where they are missing. Too
    // many: underline the extra ones, from the delimiter that starts them.
    let extra = record.len() > expected;
    let span = if extra {
        field_span(&line_text, delimiter, expected)
            .start
            .saturating_sub(1)..len
    } else {
        len..len
    };
    let mut d = Diagnostic::error(format!(
        "row has {} fields but the header has {}",
        record.len(),
        expected
    ))
    .in_file(reader.path)
    .at(Location::in_line(row.line as usize, &line_text, span))
    .label(format!(
        "expected {} fields separated by `{}`",
        expected,
        delimiter_name(delimiter)
    ));
    if extra && delimiter == b',' {
        d = d.help(
            "a value that contains a comma (a text, or a number with a decimal comma) must be written in double quotes",
        );
    }
    reader.report_cell("", "field count", row.line, d);
}

/// A diagnostic at a header cell: its place in the header line (CSV) or its cell.
fn at_header(reader: &Reader<'_>, index: usize, d: Diagnostic) -> Diagnostic {
    match reader.sheet {
        None => {
            let line = reader.line_text(reader.header_byte).to_string();
            let span = field_span(&line, reader.delimiter, index);
            d.in_file(reader.path)
                .at(Location::in_line(reader.header_line_no, &line, span))
        }
        Some((sheet, first_col)) => d.in_file(workbook::cell_path(
            reader.path,
            sheet,
            &format!(
                "{}{}",
                Reader::column_name(first_col + index as u32),
                reader.header_line_no
            ),
        )),
    }
}

/// The header's place as a whole (for "missing columns").
fn at_header_line(reader: &Reader<'_>, d: Diagnostic) -> Diagnostic {
    match reader.sheet {
        None => {
            let line = reader.line_text(reader.header_byte).to_string();
            let len = line.len();
            d.in_file(reader.path)
                .at(Location::in_line(reader.header_line_no, &line, 0..len))
        }
        Some((sheet, _)) => d.in_file(workbook::cell_path(
            reader.path,
            sheet,
            &format!("{}:{}", reader.header_line_no, reader.header_line_no),
        )),
    }
}

/// Resolves each canonical column to its index in the header, the value maps and the
/// row filters. `None` when the header cannot be used (reported).
///
/// Unknown canonical names in `columns` were reported when engagement.toml was read.
/// The required columns that are missing are reported together, in one diagnostic:
/// when a whole header is off (wrong delimiter, another export) one message with one
/// fix reads better than one message per column.
fn map_columns(
    reader: &mut Reader<'_>,
    kind: TableKind,
    found: &[String],
    source: &TableSource,
    sniffed: u8,
) -> Option<Vec<RowFilter>> {
    let (required, optional) = columns(kind);
    let all: Vec<&'static str> = required.iter().chain(optional).copied().collect();
    let preset = source.preset.as_ref().map(|p| p.value);
    let preset_columns = preset.map_or(&[][..], |p| p.columns(kind));
    let mut ok = true;
    let mut missing: Vec<&'static str> = Vec::new();
    let mut explain: Vec<String> = Vec::new();
    let keys: Vec<String> = found.iter().map(|h| header_key(h)).collect();

    for &column in &all {
        let mapped = source.columns.get(column);
        // Explicit mapping, else the preset's first header the file has, else the
        // canonical name.
        let from_preset = mapped.is_none().then(|| {
            preset_columns
                .iter()
                .find(|(c, _)| *c == column)
                .and_then(|(_, alternatives)| {
                    alternatives.iter().find_map(|a| {
                        let k = header_key(a);
                        keys.iter().position(|h| *h == k)
                    })
                })
        });
        let position = match (mapped, from_preset.flatten()) {
            (Some(m), _) => found.iter().position(|h| *h == m.value),
            (None, Some(i)) => {
                explain.push(format!("{column} <- `{}`", found[i]));
                Some(i)
            }
            (None, None) => found.iter().position(|h| h == column),
        };
        let wanted = match position {
            Some(i) => found[i].clone(),
            None => mapped.map_or(column.to_string(), |m| m.value.clone()),
        };
        match position {
            Some(i) if let Some(again) = found[i + 1..].iter().position(|h| *h == wanted) => {
                // "First one wins" would silently pick one of two amounts.
                let again = i + 1 + again;
                let d = Diagnostic::error(format!("column `{wanted}` appears twice in the header"))
                    .label(format!(
                        "column {} has the same name as column {}",
                        again + 1,
                        i + 1
                    ))
                    .help(format!(
                        "rename or remove one of them, or map `{column}` to another column with `columns = {{ {column} = \"...\" }}` in [data.{kind}] of engagement.toml"
                    ));
                let d = at_header(reader, again, d);
                reader.report(d);
                ok = false;
            }
            Some(i) => {
                reader.index.insert(column, i);
                reader.headers.insert(column, wanted);
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
                    .note(format!("the file's columns are: {}", quote_list(found)));
                d = match crate::diagnostic::closest(&wanted, found.iter().map(String::as_str)) {
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
    // A sales amount may be computed from quantity × unit price.
    if kind == TableKind::Sales
        && reader.index.contains_key("quantity")
        && reader.index.contains_key("unit_price")
    {
        missing.retain(|c| *c != "amount");
    }
    if !missing.is_empty() {
        report_missing(
            reader,
            kind,
            &missing,
            found,
            source,
            sniffed,
            preset.map(|p| p.name()),
        );
        ok = false;
    }
    if !ok {
        return None;
    }

    // Value maps: the preset's entries, then engagement.toml's, entry by entry.
    if let Some(p) = preset {
        for &(column, from, to) in p.values(kind) {
            reader.values.entry(column).or_default().insert(
                from.to_string(),
                MapEntry {
                    word: to.to_string(),
                    written: false,
                },
            );
        }
    }
    for (column, map) in &source.values {
        let Some(&column) = all.iter().find(|c| **c == column.as_str()) else {
            continue;
        };
        for (key, target) in &map.entries {
            reader.values.entry(column).or_default().insert(
                key.clone(),
                MapEntry {
                    word: target.value.clone(),
                    written: true,
                },
            );
        }
    }

    let mut filters = Vec::new();
    for (list, keep) in [(&source.skip, false), (&source.keep, true)] {
        for f in list {
            match found.iter().position(|h| *h == f.header.value) {
                Some(index) => filters.push(RowFilter {
                    index,
                    values: f.values.clone(),
                    keep,
                    reason: format!("{} {}", if keep { "keep" } else { "skip" }, f.header.value),
                }),
                None => reader.diagnostics.push(
                    f.header
                        .origin
                        .warning(format!(
                            "`{}` filters on a column that is not in {}: `{}`",
                            if keep { "keep" } else { "skip" },
                            reader.rel,
                            f.header.value
                        ))
                        .label("no row is filtered by this entry")
                        .note(format!("the file's columns are: {}", quote_list(found)))
                        .suggest(&f.header.value, found.iter().map(String::as_str)),
                ),
            }
        }
    }
    if let Some(p) = preset {
        for (headers, values) in p.keep(kind) {
            let Some(index) = headers.iter().find_map(|h| {
                let k = header_key(h);
                keys.iter().position(|x| *x == k)
            }) else {
                continue;
            };
            if source.keep.iter().any(|f| f.header.value == found[index]) {
                continue;
            }
            explain.push(format!(
                "keep rows whose `{}` is {}",
                found[index],
                values.join(" or ")
            ));
            filters.push(RowFilter {
                index,
                values: values.iter().map(|v| v.to_string()).collect(),
                keep: true,
                reason: format!("keep {}", found[index]),
            });
            break;
        }
        reader_explain(reader, p.name(), &explain);
    }
    Some(filters)
}

/// Records what a preset did, for `levier check --explain`.
fn reader_explain(reader: &mut Reader<'_>, preset: &str, lines: &[String]) {
    let mut text = format!("{} (preset {preset}):", reader.rel);
    for l in lines {
        text.push_str("\n    ");
        text.push_str(l);
    }
    if let Some(map) = Some(&reader.values) {
        for (column, entries) in map {
            let words: Vec<String> = entries
                .iter()
                .map(|(k, e)| format!("\"{k}\" = \"{}\"", e.word))
                .collect();
            text.push_str(&format!("\n    values.{column}: {}", words.join(", ")));
        }
    }
    reader.explain.push(text);
}

#[allow(clippy::too_many_arguments)]
fn report_missing(
    reader: &mut Reader<'_>,
    kind: TableKind,
    missing: &[&'static str],
    found: &[String],
    source: &TableSource,
    sniffed: u8,
    preset: Option<&str>,
) {
    let (required, _) = columns(kind);
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
        .label(format!("expected the columns {}", required.join(", ")))
        .note(format!("the file's columns are: {}", quote_list(found)));
    if let Some(p) = preset {
        d = d.note(format!("the {p} preset found no header for it"));
    }
    if kind == TableKind::Sales && missing.contains(&"amount") {
        d = d.note("without `amount`, a sales line's amount is `quantity` × `unit_price` when both are mapped");
    }
    if found.len() == 1 && sniffed != reader.delimiter && reader.sheet.is_none() {
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
        for column in missing {
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
    let d = at_header_line(reader, d);
    reader.report(d);
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
