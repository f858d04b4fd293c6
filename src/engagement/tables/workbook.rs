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
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let names = workbook.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some("*") => names.clone(),
        Some(name) => match names.iter().find(|n| n.as_str() == name.trim()) {
            Some(n) => vec![n.clone()],
            None => return Err(SheetError::NoSuchSheet(names)),
        },
        None => names.first().cloned().into_iter().collect(),
    };
    let mut sheets = Vec::with_capacity(wanted.len());
    for name in wanted {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        sheets.push(Sheet { name, range });
    }
    Ok(sheets)
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
