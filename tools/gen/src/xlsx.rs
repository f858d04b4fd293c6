//! A minimal, deterministic `.xlsx` writer: what the example engagements and the tests
//! need to stand for an ERP's Excel export (typed cells: text, numbers written as
//! decimals, dates), and nothing else.
//!
//! Why not a full writer crate: the generator must be byte-identical on every run, and
//! writer crates stamp creation times into the package; here every part is fixed and
//! the zip entries carry the zip format's zero date. Numbers are written as the decimal
//! text of the amount (`1234.5`), exactly as Excel stores a typed number; dates as
//! serial days with a date style, as Excel stores a date cell.

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number, as its exact decimal text (`"12.5"`, `"-3"`).
    Number(String),
    /// A date cell (stored as its serial day, with a date format).
    Date(NaiveDate),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn number(s: impl std::fmt::Display) -> Cell {
        Cell::Number(s.to_string())
    }
}

/// One sheet: a name and its rows, from row 1.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Excel's serial day of a date (1900 system; day 60 is the 1900-02-29 Excel counts).
pub fn serial(date: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    (date - epoch).num_days()
}

/// `A`, `B`, ..., `Z`, `AA`, ...
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn sheet_xml(sheet: &Sheet) -> String {
    let mut xml = String::with_capacity(64 * sheet.rows.len() + 256);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in sheet.rows.iter().enumerate() {
        let n = r + 1;
        xml.push_str(&format!("<row r=\"{n}\">"));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{n}", column_name(c));
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => xml.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    escape(t)
                )),
                Cell::Number(v) => xml.push_str(&format!("<c r=\"{at}\"><v>{v}</v></c>")),
                Cell::Date(d) => {
                    xml.push_str(&format!("<c r=\"{at}\" s=\"1\"><v>{}</v></c>", serial(*d)))
                }
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>";

/// The bytes of a workbook with these sheets.
pub fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut add = |name: &str, body: &str| {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("in memory");
    };
    let mut types = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    let mut book = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
    );
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        book.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            escape(&sheet.name)
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    rels.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>",
        sheets.len() + 1
    ));
    add("[Content_Types].xml", &types);
    add(
        "_rels/.rels",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
    );
    add("xl/workbook.xml", &book);
    add("xl/_rels/workbook.xml.rels", &rels);
    add("xl/styles.xml", STYLES);
    for (i, sheet) in sheets.iter().enumerate() {
        add(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            &sheet_xml(sheet),
        );
    }
    zip.finish().expect("in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_days_match_excel() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(serial(d(2024, 1, 1)), 45292);
        assert_eq!(serial(d(1900, 3, 1)), 61);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
    }

    #[test]
    fn workbooks_are_byte_identical() {
        let sheet = Sheet {
            name: "Ventes".into(),
            rows: vec![vec![Cell::text("a"), Cell::number("1.5")]],
        };
        assert_eq!(workbook(std::slice::from_ref(&sheet)), workbook(&[sheet]));
    }
}
