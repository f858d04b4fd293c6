//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`), read with calamine.
//!
//! Cells keep their type (a date cell is a date, a number cell a number), so the table
//! reader takes them as they are instead of re-parsing what Excel displays. The bytes
//! come from `paths::read_regular`, like every file levier reads: a workbook is opened
//! from memory, never from a path that could be a pipe or a device.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};

/// One sheet of a workbook.
pub struct Sheet {
    pub name: String,
    pub range: Range<Data>,
}

/// Whether a file name is a workbook's.
pub fn is_workbook(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Why sheets could not be read.
pub enum SheetError {
    /// Not a workbook calamine can open, with its reason.
    Unreadable(String),
    /// The sheet asked for does not exist; the workbook's sheets.
    NoSuchSheet(Vec<String>),
}

/// The sheets of a workbook: the one named `sheet`, every sheet for `"*"`, the first
/// one by default.
pub fn read_sheets(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Sheet>, SheetError> {
    // An .xlsx is read cell by cell, so that its extent is known before a grid is made.
    if let Ok(mut xlsx) = calamine::Xlsx::new(Cursor::new(bytes.as_slice())) {
        return read_xlsx(&mut xlsx, sheet);
    }
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let wanted = wanted_sheets(workbook.sheet_names(), sheet)?;
    let mut sheets = Vec::with_capacity(wanted.len());
    for name in wanted {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        sheets.push(Sheet { name, range });
    }
    Ok(sheets)
}

/// The most cells a sheet's grid may span, from its first used cell to its last: the
/// grid is allocated whole, and one stray value in XFD1048576 asked for 17 billion cells
/// (the process was aborted). 30 million is a million lines of 30 columns.
pub const MAX_CELLS: u64 = 30_000_000;

fn wanted_sheets(names: Vec<String>, sheet: Option<&str>) -> Result<Vec<String>, SheetError> {
    Ok(match sheet {
        Some("*") => names,
        Some(name) => match names.iter().find(|n| n.as_str() == name.trim()) {
            Some(n) => vec![n.clone()],
            None => return Err(SheetError::NoSuchSheet(names)),
        },
        None => names.first().cloned().into_iter().collect(),
    })
}

fn read_xlsx<R: std::io::Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<R>,
    sheet: Option<&str>,
) -> Result<Vec<Sheet>, SheetError> {
    let unreadable = |e: calamine::XlsxError| SheetError::Unreadable(e.to_string());
    let mut sheets = Vec::new();
    for name in wanted_sheets(xlsx.sheet_names(), sheet)? {
        let mut reader = xlsx.worksheet_cells_reader(&name).map_err(unreadable)?;
        let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
        let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            if matches!(cell.get_value(), calamine::DataRef::Empty) {
                continue;
            }
            let (row, col) = cell.get_position();
            first = (first.0.min(row), first.1.min(col));
            last = (last.0.max(row), last.1.max(col));
            let area = u64::from(last.0 - first.0 + 1) * u64::from(last.1 - first.1 + 1);
            if area > MAX_CELLS {
                return Err(SheetError::Unreadable(format!(
                    "sheet `{name}` spans from {} to {} ({area} cells and more); levier reads sheets of at most {MAX_CELLS} cells: is there a stray value in {}?",
                    cell_name(first.0, first.1),
                    cell_name(last.0, last.1),
                    cell_name(row, col)
                )));
            }
            cells.push(calamine::Cell::new(
                (row, col),
                Data::from(cell.get_value().clone()),
            ));
        }
        drop(reader);
        sheets.push(Sheet {
            name,
            range: Range::from_sparse(cells),
        });
    }
    Ok(sheets)
}

/// `C14` for row 13, column 2 (both from 0).
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// The "path" a diagnostic shows for a workbook cell: `data/ventes.xlsx › Ventes!C14`.
pub fn cell_path(path: &Path, sheet: &str, cell: &str) -> PathBuf {
    let sheet = if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    PathBuf::from(format!("{} \u{203a} {sheet}!{cell}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(13, 2), "C14");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
