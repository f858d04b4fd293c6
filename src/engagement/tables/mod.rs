//! The four tables: sales, clients, leads, activities.
//!
//! Exports come from CRMs, accounting packages and Excel, so reading is forgiving about
//! form and strict about meaning: a value that cannot be read is an error naming the
//! file, line and column (or sheet and cell), never a silent zero. The rooms:
//!
//! - `text`: a text file's bytes to CSV records (encodings, delimiters, line ends);
//! - `workbook`: a workbook's sheets, typed cells (calamine);
//! - `cells`: one cell to a number, an amount or a date;
//! - `reader`: the cells of one row for the parsers, and their diagnostics;
//! - `read`: one file from its header to its last row (columns, presets, filters);
//! - `rows`: one parser per table, building its rows.
//!
//! Rows keep their line number so that later stages can point back at them. Strings that
//! repeat (client ids, reps, products, zones) are interned, which keeps a million sales
//! lines in well under 4x the size of the CSV file.

pub mod cells;
pub mod read;
pub mod reader;
pub mod rows;
pub mod text;
pub mod workbook;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::vocab::{ActivityKind, LeadSource, LeadStage, Maturity, TableKind, VisitTarget};
pub use cells::{
    AmountError, MAX_AMOUNT, NumberStyle, YEARS, date_format_is_valid, parse_amount,
    parse_iso_date, parse_number,
};
pub use read::read_table;
pub use reader::{ReadContext, Reported, TableReader};
pub use text::field_span;
pub(crate) use text::not_utf8;

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

/// What was read from one table file, for the report's data-quality and provenance annex.
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
    /// Rows left out by `skip`, `keep` or `empty_client = "skip"`, with their amount.
    pub rows_left_out: LeftOut,
    /// What a preset or a value map did (`levier check --explain`).
    #[serde(skip)]
    pub explain: Vec<String>,
}

/// Rows left out of a table on purpose, counted so that nothing disappears silently.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LeftOut {
    pub count: usize,
    /// Their amount (sales) or value (leads), when it could be read.
    pub amount: Decimal,
    /// Rows per reason: `skip Statut`, `keep IsWon`, `empty_client`.
    pub by_reason: BTreeMap<String, usize>,
}

impl LeftOut {
    pub fn add(&mut self, reason: &str, amount: Option<Decimal>) {
        self.count += 1;
        if let Some(a) = amount {
            self.amount += a;
        }
        *self.by_reason.entry(reason.to_string()).or_default() += 1;
    }

    pub fn merge(&mut self, other: &LeftOut) {
        self.count += other.count;
        self.amount += other.amount;
        for (reason, n) in &other.by_reason {
            *self.by_reason.entry(reason.clone()).or_default() += n;
        }
    }
}

/// The canonical columns of each table, required first.
pub fn columns(kind: TableKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        // `amount` may instead be computed from `quantity` and `unit_price`.
        TableKind::Sales => (
            &["date", "client_id", "amount"],
            &[
                "invoice",
                "rep",
                "product",
                "quantity",
                "unit_price",
                "currency",
                "zone",
                "segment",
            ],
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
                "currency",
            ],
        ),
        TableKind::Activities => (
            &["date", "rep", "activity"],
            &["hours", "target", "client_id"],
        ),
    }
}

/// A table as read, before it joins the engagement.
pub struct TableData<R> {
    pub rows: Vec<R>,
    pub stats: FileStats,
}
