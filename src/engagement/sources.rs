//! `[data.<table>]` of engagement.toml: where each table comes from and how to read it.
//!
//! A consultant receives what the client's CRM, ERP or accounting exports, and format
//! v1.1 lets engagement.toml describe it so that the raw files go into `data/` as they
//! are: a workbook and its sheet, a header below a title block, several files for one
//! table (`[[data.activities]]`), rows to leave out or keep, the CRM's own words for
//! stages and sources, a CRM preset. Everything is checked here, when engagement.toml
//! is read, so that a mistake in a setting is reported once, at the setting, and never
//! as a cascade of cell errors (engagement-format.md, "Order of diagnostics").

use std::collections::BTreeMap;

use toml::de::DeValue;

use super::presets::Preset;
use super::toml_reader::{Origin, Sourced, TableView};
use crate::diagnostic::Diagnostic;
use crate::vocab::{
    ActivityKind, LeadSource, LeadStage, Maturity, TableKind, VisitTarget, Vocabulary, parse_bool,
};

/// What to do with a sales row without a client id (`empty_client`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EmptyClient {
    /// An error, as in format v1.
    #[default]
    Error,
    /// Left out, and counted.
    Skip,
    /// One pseudo-client, "(sans compte)" / "(no account)".
    Group,
}

/// A row filter of `skip` or `keep`: a header of the file and the values it matches.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The file's own header (trimmed).
    pub header: Sourced<String>,
    /// Values matched exactly after trimming.
    pub values: Vec<String>,
}

/// A `values` map of one column: the file's value (trimmed; `""` the empty cell, `"*"`
/// every other value) to levier's word.
#[derive(Debug, Clone, Default)]
pub struct ValueMap {
    pub entries: BTreeMap<String, Sourced<String>>,
}

impl ValueMap {
    /// The word a cell maps to: its own entry, else `"*"`'s.
    pub fn get(&self, cell: &str) -> Option<&str> {
        self.entries
            .get(cell.trim())
            .or_else(|| {
                if cell.trim().is_empty() {
                    None
                } else {
                    self.entries.get("*")
                }
            })
            .map(|s| s.value.as_str())
    }
}

/// How to read one table file (`[data.<table>]`, or one `[[data.<table>]]` block).
#[derive(Debug, Clone, Default)]
pub struct TableSource {
    /// Path relative to the engagement folder.
    pub file: Option<Sourced<String>>,
    /// Workbooks: a sheet name, or `"*"` for every sheet.
    pub sheet: Option<Sourced<String>>,
    /// The header's row, 1-based (a title block may come first).
    pub header_row: Option<Sourced<u32>>,
    pub delimiter: Option<u8>,
    pub decimal_comma: bool,
    /// `thousands`: the separator between thousands, when it must be said (`","`).
    pub thousands: Option<char>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// A chrono/strftime format, or `"excel"` for serial day numbers.
    pub date_format: Option<String>,
    /// Canonical column -> header in the file.
    pub columns: BTreeMap<String, Sourced<String>>,
    pub skip: Vec<Filter>,
    pub keep: Vec<Filter>,
    pub empty_client: EmptyClient,
    /// Value maps by canonical column.
    pub values: BTreeMap<String, ValueMap>,
    pub preset: Option<Sourced<Preset>>,
    /// The block itself, for warnings about it as a whole.
    pub origin: Option<Origin>,
}

impl TableSource {
    /// The value map of `column`, if any.
    pub fn values_of(&self, column: &str) -> Option<&ValueMap> {
        self.values.get(column)
    }
}

/// The closed-vocabulary columns of each table, which `values` may map.
pub fn mappable_columns(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Leads => &["stage", "source", "qualified"],
        TableKind::Activities => &["activity", "target"],
        TableKind::Clients => &["maturity"],
        TableKind::Sales => &[],
    }
}

/// Whether `word` is a word (or alias) of the vocabulary of `column`.
fn word_fits(column: &str, word: &str) -> Result<(), (String, Option<&'static str>)> {
    fn check<V: Vocabulary>(word: &str) -> Result<(), (String, Option<&'static str>)> {
        match V::parse(word) {
            Some(_) => Ok(()),
            None => Err((V::expected(), V::closest(word))),
        }
    }
    match column {
        "stage" => check::<LeadStage>(word),
        "source" => check::<LeadSource>(word),
        "activity" => check::<ActivityKind>(word),
        "target" => check::<VisitTarget>(word),
        "maturity" => check::<Maturity>(word),
        "qualified" => match parse_bool(word) {
            Some(_) => Ok(()),
            None => Err(("expected true or false".to_string(), None)),
        },
        _ => Ok(()),
    }
}

/// Reads `[data]`: each table as one block or an array of blocks.
pub fn read_data(t: &TableView<'_, '_>) -> BTreeMap<TableKind, Vec<TableSource>> {
    let mut out = BTreeMap::new();
    let file = t.file();
    for (key, value) in t.entries() {
        let name = key.get_ref().to_string();
        let Some(kind) = TableKind::parse(&name) else {
            file.report(
                file.error_at(key.span(), format!("unknown table `data.{name}`"))
                    .label(TableKind::expected())
                    .suggest(&name, TableKind::names()),
            );
            continue;
        };
        let sources: Vec<TableSource> = match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| t.table_value(&name, item))
                .map(|table| read_table_source(&table, kind))
                .collect(),
            _ => t
                .table_value(&name, value)
                .map(|table| read_table_source(&table, kind))
                .into_iter()
                .collect(),
        };
        if sources.len() > 1
            && let Some(missing) = sources.iter().find(|s| s.file.is_none())
        {
            let mut d =
                Diagnostic::error(format!("each [[data.{name}]] block needs its own `file`"))
                    .help("add `file = \"data/...\"` to every block");
            if let Some(o) = &missing.origin {
                d = o
                    .error(d.message.clone())
                    .help("add `file = \"data/...\"` to every block");
            }
            file.report(d);
        }
        out.insert(kind, sources);
    }
    out
}

fn read_table_source(t: &TableView<'_, '_>, kind: TableKind) -> TableSource {
    let file = t.file();
    let mut source = TableSource {
        file: t.string("file"),
        sheet: t.string("sheet"),
        origin: Some(file.origin(t.span())),
        ..TableSource::default()
    };
    if let Some(row) = t.integer("header_row", 1..1_048_577) {
        source.header_row = Some(Sourced {
            value: row.value as u32,
            origin: row.origin,
        });
    }
    if let Some(d) = t.string("delimiter") {
        source.delimiter = match d.value.as_str() {
            "," => Some(b','),
            ";" => Some(b';'),
            "\t" | "\\t" | "tab" | "TAB" => Some(b'\t'),
            "|" => Some(b'|'),
            _ => {
                file.report(
                    d.origin
                        .error(format!("unsupported delimiter {:?}", d.value))
                        .label("expected \",\", \";\", \"\\t\" or \"|\""),
                );
                None
            }
        };
    }
    if let Some(d) = t.string("decimal") {
        match d.value.as_str() {
            "," => source.decimal_comma = true,
            "." => source.decimal_comma = false,
            _ => file.report(
                d.origin
                    .error(format!("unsupported decimal separator {:?}", d.value))
                    .label("expected \".\" or \",\""),
            ),
        }
    }
    if let Some(th) = t.string("thousands") {
        match th.value.as_str() {
            "," | "." | " " | "'" => {
                let c = th.value.chars().next().expect("one character");
                if (c == ',') == source.decimal_comma && (c == ',' || c == '.') {
                    file.report(
                        th.origin
                            .error("the thousands separator is also the decimal separator")
                            .label(format!(
                                "`decimal = \"{}\"` is set",
                                if source.decimal_comma { "," } else { "." }
                            )),
                    );
                } else {
                    source.thousands = Some(c);
                }
            }
            _ => file.report(
                th.origin
                    .error(format!("unsupported thousands separator {:?}", th.value))
                    .label("expected \",\", \".\", \" \" or \"'\""),
            ),
        }
    }
    if let Some(e) = t.string("encoding") {
        match encoding_rs::Encoding::for_label(e.value.trim().as_bytes()) {
            Some(enc) => source.encoding = Some(enc),
            None => file.report(
                e.origin
                    .error(format!("unknown encoding `{}`", e.value))
                    .label("expected e.g. \"utf-8\" or \"windows-1252\""),
            ),
        }
    }
    if let Some(f) = t.string("date_format") {
        if f.value.trim().eq_ignore_ascii_case("excel") {
            source.date_format = Some("excel".to_string());
        } else if super::tables::date_format_is_valid(&f.value) {
            source.date_format = Some(f.value);
        } else {
            file.report(
                f.origin
                    .error(format!("invalid date format `{}`", f.value))
                    .label("expected a chrono/strftime date format such as \"%d/%m/%Y\" (a time may follow: \"%m/%d/%Y %H:%M\"), or \"excel\""),
            );
        }
    }
    if let Some(p) = t.string("preset") {
        match Preset::parse(&p.value) {
            Some(preset) => {
                source.preset = Some(Sourced {
                    value: preset,
                    origin: p.origin,
                })
            }
            None => file.report(
                p.origin
                    .error(format!("unknown preset `{}`", p.value))
                    .label("expected one of `salesforce`, `hubspot`, `pipedrive`")
                    .suggest(&p.value, ["salesforce", "hubspot", "pipedrive"]),
            ),
        }
    }
    if let Some(e) = t.string("empty_client") {
        match e.value.trim() {
            "error" => source.empty_client = EmptyClient::Error,
            "skip" => source.empty_client = EmptyClient::Skip,
            "group" => source.empty_client = EmptyClient::Group,
            other => file.report(
                e.origin
                    .error(format!("unknown `empty_client` value `{other}`"))
                    .label("expected one of `error`, `skip`, `group`")
                    .suggest(other, ["error", "skip", "group"]),
            ),
        }
        if kind != TableKind::Sales {
            file.report(
                e.origin
                    .error(format!(
                        "`empty_client` applies to the sales table, not to {kind}"
                    ))
                    .help("remove it from this block"),
            );
        }
    }
    source.skip = read_filters(t, "skip");
    source.keep = read_filters(t, "keep");
    if let Some(columns) = t.table("columns") {
        read_columns(&columns, kind, &mut source);
    }
    if let Some(values) = t.table("values") {
        read_values(&values, kind, &mut source);
    }
    t.finish();
    source
}

fn read_columns(columns: &TableView<'_, '_>, kind: TableKind, source: &mut TableSource) {
    let file = columns.file();
    let (required, optional) = super::tables::columns(kind);
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    for (key, value) in columns.entries() {
        let canonical = key.get_ref().to_string();
        // Checked here rather than when the file is read, to point at the key (the
        // canonical name that is wrong), not at the header name it maps to.
        if !known.contains(&canonical.as_str()) {
            file.report(
                file.error_at(
                    key.span(),
                    format!("unknown column `{canonical}` for the {kind} table"),
                )
                .label(format!(
                    "expected one of {}",
                    known
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .note(
                    "`columns` maps levier's column name (left) to the header in the file (right)",
                )
                .suggest(&canonical, known.iter().copied()),
            );
            continue;
        }
        match value.get_ref() {
            DeValue::String(header) => {
                source.columns.insert(
                    canonical,
                    Sourced {
                        value: header.trim().to_string(),
                        origin: file.origin(value.span()),
                    },
                );
            }
            other => file.report(
                file.error_at(
                    value.span(),
                    format!("column mapping `{canonical}` must be a header name"),
                )
                .label(format!("found {}", other.type_str())),
            ),
        }
    }
}

fn read_values(values: &TableView<'_, '_>, kind: TableKind, source: &mut TableSource) {
    let file = values.file();
    let mappable = mappable_columns(kind);
    for (key, value) in values.entries() {
        let column = key.get_ref().to_string();
        if !mappable.contains(&column.as_str()) {
            let expected = if mappable.is_empty() {
                format!("the {kind} table has no column of words to map")
            } else {
                format!(
                    "expected one of {}",
                    mappable
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            file.report(
                file.error_at(
                    key.span(),
                    format!("`values` cannot map the column `{column}` of the {kind} table"),
                )
                .label(expected)
                .suggest(&column, mappable.iter().copied()),
            );
            continue;
        }
        let DeValue::Table(entries) = value.get_ref() else {
            file.report(
                file.error_at(value.span(), format!("`values.{column}` must be a table"))
                    .label(format!("found {}", value.get_ref().type_str()))
                    .help(format!("e.g. `{column} = {{ \"Closed Won\" = \"won\" }}`")),
            );
            continue;
        };
        let mut map = ValueMap::default();
        let mut entries: Vec<_> = entries.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (from, to) in entries {
            let DeValue::String(word) = to.get_ref() else {
                file.report(
                    file.error_at(to.span(), "a mapped value must be a word in quotes")
                        .label(format!("found {}", to.get_ref().type_str())),
                );
                continue;
            };
            if let Err((expected, closest)) = word_fits(&column, word) {
                file.report(
                    file.error_at(
                        to.span(),
                        format!("`{word}` is not a word of the `{column}` column"),
                    )
                    .label(expected)
                    .did_you_mean(closest),
                );
                continue;
            }
            map.entries.insert(
                from.get_ref().trim().to_string(),
                Sourced {
                    value: word.to_string(),
                    origin: file.origin(from.span()),
                },
            );
        }
        source.values.insert(column, map);
    }
}

/// `skip = { "Statut" = ["Annulée"] }`: each header with its values (a single string is
/// accepted for one value).
fn read_filters(t: &TableView<'_, '_>, key: &'static str) -> Vec<Filter> {
    let Some(table) = t.table(key) else {
        return Vec::new();
    };
    let file = t.file();
    let mut out = Vec::new();
    for (header, value) in table.entries() {
        let values: Option<Vec<String>> = match value.get_ref() {
            DeValue::String(s) => Some(vec![s.trim().to_string()]),
            DeValue::Array(items) => items
                .iter()
                .map(|i| match i.get_ref() {
                    DeValue::String(s) => Some(s.trim().to_string()),
                    DeValue::Integer(n) => Some(n.as_str().to_string()),
                    DeValue::Boolean(b) => Some(b.to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        match values {
            Some(values) => out.push(Filter {
                header: Sourced {
                    value: header.get_ref().trim().to_string(),
                    origin: file.origin(header.span()),
                },
                values,
            }),
            None => file.report(
                file.error_at(
                    value.span(),
                    format!("`{key}.{}` must be a list of values", header.get_ref()),
                )
                .label("expected e.g. [\"Annulée\", \"Litige\"]"),
            ),
        }
    }
    out
}
