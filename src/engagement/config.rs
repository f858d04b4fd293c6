//! `engagement.toml`: who the client is, the fiscal year, settings, rule overrides and
//! how to read each CSV table.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use toml::de::DeValue;

use super::toml_reader::{Sourced, TableView, TomlFile};
use crate::diagnostic::Diagnostic;
use crate::rules::RULES;
use crate::vocab::{Growth, Language, TableKind, Vocabulary};

/// The `[engagement]` table.
#[derive(Debug, Clone, Serialize)]
pub struct EngagementInfo {
    pub client: String,
    /// The report title as written; when absent, the report builds one from the
    /// language and fiscal year.
    pub title: Option<String>,
    pub consultant: Option<String>,
    pub language: Language,
    pub currency: String,
    pub fiscal_year_start: NaiveDate,
    /// The configured data cut-off, if any (the analyses derive the effective one).
    pub as_of: Option<NaiveDate>,
    pub growth: Growth,
}

/// The `[settings]` table, with the format's defaults.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub dormancy_months: u32,
    /// Cumulative revenue share cut-offs of classes A and B.
    pub pareto_a: Decimal,
    pub pareto_b: Decimal,
    /// Seniority bins in months (the file says years; months keep fractional years exact).
    pub maturity_months: [u32; 2],
    pub top_n: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            dormancy_months: 12,
            pareto_a: Decimal::new(80, 2),
            pareto_b: Decimal::new(95, 2),
            maturity_months: [12, 36],
            top_n: 10,
        }
    }
}

/// What `[rules]` says about one rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleSetting {
    Enabled,
    Disabled,
    /// Threshold overrides by name; names are checked against the rule catalogue.
    Thresholds(BTreeMap<String, Sourced<Decimal>>),
}

/// How to read one CSV table (`[data.<table>]`).
#[derive(Debug, Clone, Default)]
pub struct TableSource {
    /// Path relative to the engagement folder.
    pub file: Option<Sourced<String>>,
    pub delimiter: Option<u8>,
    pub decimal_comma: bool,
    /// `thousands`: the separator between thousands, when it must be said (`","`).
    pub thousands: Option<char>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub date_format: Option<String>,
    /// Canonical column -> header in the file.
    pub columns: BTreeMap<String, Sourced<String>>,
}

/// Everything `engagement.toml` says.
#[derive(Debug, Clone)]
pub struct EngagementConfig {
    /// `None` when a required value is missing or invalid (already reported).
    pub info: Option<EngagementInfo>,
    pub settings: Settings,
    pub rules: BTreeMap<String, Sourced<RuleSetting>>,
    pub data: BTreeMap<TableKind, TableSource>,
}

/// Reads `engagement.toml`; every problem is reported to `file`.
pub fn read(file: &TomlFile<'_>) -> EngagementConfig {
    let doc = file.parse();
    let root = file.root(&doc);

    let info = match root.table("engagement") {
        Some(t) => read_info(&t),
        // Present but not a table: already reported as a wrong type.
        None if root.get("engagement").is_some() => None,
        None => {
            // Not `root.missing(..)`: its "add `key = value`" help does not fit a table.
            file.report(
                Diagnostic::error("missing the `[engagement]` table")
                    .in_file(file.path())
                    .help("add `[engagement]` with at least `client = \"...\"` and `fiscal_year_start = \"YYYY-MM-DD\"`"),
            );
            None
        }
    };
    let settings = root
        .table("settings")
        .map(|t| read_settings(&t))
        .unwrap_or_default();
    let rules = root
        .table("rules")
        .map(|t| read_rules(&t))
        .unwrap_or_default();
    let data = root
        .table("data")
        .map(|t| read_data(&t))
        .unwrap_or_default();
    root.finish();

    EngagementConfig {
        info,
        settings,
        rules,
        data,
    }
}

fn read_info(t: &TableView<'_, '_>) -> Option<EngagementInfo> {
    let client = t.required_string("client", "\"Client name\"");
    let title = t.string("title").map(|s| s.value);
    let consultant = t.string("consultant").map(|s| s.value);
    let language = t
        .word::<Language>("language")
        .map_or(Language::Fr, |l| l.value);
    let currency = t.string("currency").and_then(|c| {
        let code = c.value.trim().to_ascii_uppercase();
        if code.len() == 3 && code.chars().all(|ch| ch.is_ascii_alphabetic()) {
            Some(code)
        } else {
            t.file().report(
                c.origin
                    .error(format!("invalid currency `{}`", c.value))
                    .label("expected an ISO 4217 code such as \"EUR\""),
            );
            None
        }
    });
    let fiscal_year_start = t.required_date("fiscal_year_start");
    let as_of = t.date("as_of");
    let growth = t
        .word::<Growth>("growth")
        .map_or(Growth::Internal, |g| g.value);
    t.finish();

    if let (Some(start), Some(as_of)) = (&fiscal_year_start, &as_of)
        && as_of.value < start.value
    {
        t.file().report(
            as_of
                .origin
                .error("`as_of` is before the start of the fiscal year")
                .label(format!("the fiscal year starts on {}", start.value)),
        );
    }

    Some(EngagementInfo {
        client: client?.value.trim().to_string(),
        title,
        consultant,
        language,
        currency: currency.unwrap_or_else(|| "EUR".to_string()),
        fiscal_year_start: fiscal_year_start?.value,
        as_of: as_of.map(|d| d.value),
        growth,
    })
}

fn read_settings(t: &TableView<'_, '_>) -> Settings {
    let mut s = Settings::default();
    if let Some(m) = t.integer("dormancy_months", 1..121) {
        s.dormancy_months = m.value as u32;
    }
    if let Some(p) = t.table("pareto") {
        let a = p.share("a");
        let b = p.share("b");
        p.finish();
        if let Some(a) = &a {
            s.pareto_a = a.value;
        }
        if let Some(b) = &b {
            s.pareto_b = b.value;
        }
        if s.pareto_a <= Decimal::ZERO || s.pareto_a >= s.pareto_b {
            let origin = a.or(b).map(|v| v.origin);
            let mut d = Diagnostic::error("pareto cut-offs must satisfy 0 < a < b <= 1")
                .label(format!("found a = {}, b = {}", s.pareto_a, s.pareto_b));
            if let Some(o) = origin {
                d = d.in_file(o.path).at(o.location);
            }
            t.file().report(d);
        }
    }
    if let Some(value) = t.get("maturity_years") {
        let bins = match value.get_ref() {
            DeValue::Array(items) if items.len() == 2 => {
                let months: Vec<Option<u32>> = items
                    .iter()
                    .map(|item| {
                        let years = t.decimal_value("maturity_years", item)?;
                        if years.value > Decimal::from(100) || years.value.is_sign_negative() {
                            t.file().report(
                                years
                                    .origin
                                    .error("`settings.maturity_years` is out of range")
                                    .label("expected a number of years from 0 to 100"),
                            );
                            return None;
                        }
                        u32::try_from((years.value * Decimal::from(12)).round()).ok()
                    })
                    .collect();
                match (months[0], months[1]) {
                    (Some(a), Some(b)) if 0 < a && a < b => Some([a, b]),
                    (Some(_), Some(_)) => None,
                    _ => return finish_settings(t, s),
                }
            }
            _ => None,
        };
        match bins {
            Some(bins) => s.maturity_months = bins,
            None => t.file().report(
                t.file()
                    .error_at(
                        value.span(),
                        "`settings.maturity_years` must be two increasing numbers of years",
                    )
                    .label("expected e.g. [1, 3]: < 1 year new, 1-3 developing, >= 3 mature"),
            ),
        }
    }
    finish_settings(t, s)
}

fn finish_settings(t: &TableView<'_, '_>, mut s: Settings) -> Settings {
    if let Some(n) = t.integer("top_n", 1..1001) {
        s.top_n = n.value as usize;
    }
    t.get("dormancy_months");
    t.get("pareto");
    t.get("maturity_years");
    t.finish();
    s
}

fn read_rules(t: &TableView<'_, '_>) -> BTreeMap<String, Sourced<RuleSetting>> {
    let mut out = BTreeMap::new();
    let file = t.file();
    for (key, value) in t.entries() {
        let id = key.get_ref().to_string();
        let Some(rule) = RULES.iter().find(|r| r.id == id) else {
            file.report(
                file.error_at(key.span(), format!("unknown rule `{id}`"))
                    .label("expected a rule id from R1 to R10")
                    .suggest(&id, RULES.iter().map(|r| r.id)),
            );
            continue;
        };
        let origin = file.origin(value.span());
        let setting = match value.get_ref() {
            DeValue::Boolean(true) => RuleSetting::Enabled,
            DeValue::Boolean(false) => RuleSetting::Disabled,
            DeValue::Table(table) => {
                let mut thresholds = BTreeMap::new();
                for (name, v) in table.iter() {
                    let name_str = name.get_ref().to_string();
                    if !rule.thresholds.iter().any(|th| th.name == name_str) {
                        let known: Vec<String> = rule
                            .thresholds
                            .iter()
                            .map(|th| format!("`{}`", th.name))
                            .collect();
                        file.report(
                            file.error_at(
                                name.span(),
                                format!("rule {id} has no threshold `{name_str}`"),
                            )
                            .note(format!("{id} thresholds: {}", known.join(", ")))
                            .suggest(&name_str, rule.thresholds.iter().map(|th| th.name)),
                        );
                        continue;
                    }
                    if let Some(d) = t.decimal_value(&format!("{id}.{name_str}"), v) {
                        thresholds.insert(name_str, d);
                    }
                }
                RuleSetting::Thresholds(thresholds)
            }
            other => {
                file.report(
                    origin
                        .error(format!(
                            "`rules.{id}` must be true, false or a table of thresholds"
                        ))
                        .label(format!("found {}", other.type_str()))
                        .help(format!(
                            "e.g. `{id} = false` or `{id} = {{ {} = ... }}`",
                            rule.thresholds.first().map_or("threshold", |th| th.name)
                        )),
                );
                continue;
            }
        };
        out.insert(
            id,
            Sourced {
                value: setting,
                origin,
            },
        );
    }
    out
}

fn read_data(t: &TableView<'_, '_>) -> BTreeMap<TableKind, TableSource> {
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
        let Some(table) = t.table_value(&name, value) else {
            continue;
        };
        out.insert(kind, read_table_source(&table, kind));
    }
    out
}

fn read_table_source(t: &TableView<'_, '_>, kind: TableKind) -> TableSource {
    let file = t.file();
    let mut source = TableSource {
        file: t.string("file"),
        ..TableSource::default()
    };
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
        if super::tables::date_format_is_valid(&f.value) {
            source.date_format = Some(f.value);
        } else {
            file.report(
                f.origin
                    .error(format!("invalid date format `{}`", f.value))
                    .label("expected a chrono/strftime date format such as \"%d/%m/%Y\""),
            );
        }
    }
    if let Some(columns) = t.table("columns") {
        let (required, optional) = super::tables::columns(kind);
        let known: Vec<&str> = required.iter().chain(optional).copied().collect();
        for (key, value) in columns.entries() {
            let canonical = key.get_ref().to_string();
            // Checked here rather than when the CSV is read, to point at the key (the
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
                    .note("`columns` maps levier's column name (left) to the header in the file (right)")
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
    t.finish();
    source
}
