//! Turning a text file's bytes into CSV records: encodings, byte-order marks, the
//! delimiter (sniffed, or named by an Excel `sep=` line), line ends of every platform,
//! and the positions that let a diagnostic underline a cell in its line.

use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::vocab::TableKind;

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
pub(crate) fn decode(
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
pub(crate) fn sniff_delimiter(header: &str) -> u8 {
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

pub(crate) fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => ",",
        b';' => ";",
        b'\t' => "\\t",
        b'|' => "|",
        _ => "?",
    }
}

/// Where a record really starts, from the position csv gives for it.
///
/// csv ends a record at the `\r` of a CRLF line end and reports the next record as
/// starting at the `\n` that follows, still on the previous line. Every export from
/// Windows (Excel included) ends lines with CRLF, so without this every diagnostic of
/// such a file pointed one line too early, at an empty line. Skipping the line-end
/// bytes, counting the `\n`s, gives the record's first byte and line in every case
/// (LF, CRLF, blank lines before the record).
pub(crate) fn record_start(text: &[u8], mut byte: usize, mut line: u64) -> (usize, u64) {
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
pub(crate) fn excel_sep_line(text: &str) -> (usize, Option<u8>) {
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
pub(crate) fn csv_error(path: &Path, text: &str, offset: usize, e: &csv::Error) -> Diagnostic {
    let mut d = Diagnostic::error(format!("cannot read CSV: {e}")).in_file(path);
    if let Some(pos) = e.position() {
        let byte = offset + pos.byte() as usize;
        let loc = Location::from_span(text, byte..byte);
        d = d.at(loc);
    }
    d
}
