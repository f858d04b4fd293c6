//! `engagement.toml`: who the client is, the fiscal year, settings, rule overrides and
//! how to read each CSV table.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use toml::de::DeValue;

pub use super::sources::TableSource;
use super::toml_reader::{Sourced, TableView, TomlFile};
use crate::diagnostic::Diagnostic;
use crate::rules::RULES;
use crate::vocab::{Growth, Language, TableKind};

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
    /// `cuts_top_n`: rows of a cut table (by product, zone, segment, salesperson) shown in
    /// the reports before one "others (n)" row; metrics.json keeps every key.
    pub cuts_top_n: usize,
    /// `technical_annex`: add the provenance annex (levier's version, file hashes) to the
    /// client's report. Off by default: it is for the consultant, not the client.
    pub technical_annex: bool,
    /// `projection`: the year-end landing the reports show and rules R1, R2 and R10
    /// compare with (analyses.md, "Seasonal projection").
    pub projection: ProjectionMethod,
    /// `[rules] exclude_levers`: levers never suggested for this engagement.
    pub excluded_levers: Vec<String>,
    /// `exchange_rates`: units of each currency for one unit of the engagement's
    /// currency, by ISO 4217 code.
    pub exchange_rates: BTreeMap<String, Decimal>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            dormancy_months: 12,
            pareto_a: Decimal::new(80, 2),
            pareto_b: Decimal::new(95, 2),
            maturity_months: [12, 36],
            top_n: 10,
            cuts_top_n: 12,
            technical_annex: false,
            projection: ProjectionMethod::Seasonal,
            excluded_levers: Vec::new(),
            exchange_rates: BTreeMap::new(),
        }
    }
}

/// How the year-end landing is projected from the figures to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionMethod {
    /// Last year's monthly profile: actual × FY-1 total / FY-1 to the same date.
    Seasonal,
    /// The pace to date: actual / elapsed share of the year.
    Linear,
}

/// What `[rules]` says about one rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleSetting {
    Enabled,
    Disabled,
    /// Threshold overrides by name; names are checked against the rule catalogue.
    Thresholds(BTreeMap<String, Sourced<Decimal>>),
}

/// Everything `engagement.toml` says.
#[derive(Debug, Clone)]
pub struct EngagementConfig {
    /// `None` when a required value is missing or invalid (already reported).
    pub info: Option<EngagementInfo>,
    pub settings: Settings,
    pub rules: BTreeMap<String, Sourced<RuleSetting>>,
    /// How to read each table: one source, or several concatenated (`[[data.x]]`).
    pub data: BTreeMap<TableKind, Vec<TableSource>>,
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
    let mut settings = root
        .table("settings")
        .map(|t| read_settings(&t))
        .unwrap_or_default();
    if let Some(t) = root.table("rules") {
        settings.excluded_levers = t
            .strings("exclude_levers")
            .into_iter()
            .filter_map(|l| super::plan::checked_lever(file, l))
            .collect();
    }
    let rules = root
        .table("rules")
        .map(|t| read_rules(&t))
        .unwrap_or_default();
    let data = root
        .table("data")
        .map(|t| super::sources::read_data(&t))
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
    let language = t
        .word::<Language>("language")
        .map_or(Language::Fr, |l| l.value);
    // An empty title would print an empty heading on the cover: a mistake, said where
    // it is written (removing the key gives the default title).
    let title = t
        .localized_string("title", language)
        .filter(|s| {
            let blank = s.value.trim().is_empty();
            if blank {
                t.file().report(
                    s.origin
                        .error("`engagement.title` is empty")
                        .label("expected the report's title")
                        .help("write the title, or remove `title` to use the default one"),
                );
            }
            !blank
        })
        .map(|s| s.value);
    let consultant = t.string("consultant").map(|s| s.value);
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
    if let Some(n) = t.integer("cuts_top_n", 1..1001) {
        s.cuts_top_n = n.value as usize;
    }
    if let Some(on) = t.bool("technical_annex") {
        s.technical_annex = on.value;
    }
    if let Some(method) = t.string("projection") {
        match method.value.as_str() {
            "seasonal" => s.projection = ProjectionMethod::Seasonal,
            "linear" => s.projection = ProjectionMethod::Linear,
            other => {
                // Like every value of the TOML files, the method is written as documented
                // (lowercase); a different case is refused with the spelling to use.
                let lower = other.trim().to_lowercase();
                let best = if ["seasonal", "linear"].contains(&lower.as_str()) {
                    Some(lower.as_str())
                } else {
                    crate::diagnostic::closest(other, ["seasonal", "linear"])
                };
                t.file().report(
                    method
                        .origin
                        .error(format!("unknown projection method `{other}`"))
                        .label("expected one of `seasonal`, `linear`")
                        .note("`seasonal` follows last year's monthly profile, `linear` the year elapsed")
                        .did_you_mean(best),
                )
            }
        }
    }
    if let Some(rates) = t.table("exchange_rates") {
        for (key, value) in rates.entries() {
            let code = key.get_ref().trim().to_ascii_uppercase();
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
                t.file().report(
                    t.file()
                        .error_at(key.span(), format!("invalid currency `{}`", key.get_ref()))
                        .label("expected an ISO 4217 code such as USD"),
                );
                continue;
            }
            if let Some(rate) = rates.decimal_value(&code, value) {
                if rate.value <= Decimal::ZERO {
                    t.file().report(
                        rate.origin
                            .error(format!("the exchange rate of {code} must be positive"))
                            .label("expected the units of this currency for one unit of the engagement's currency"),
                    );
                } else {
                    s.exchange_rates.insert(code, rate.value);
                }
            }
        }
    }
    t.get("dormancy_months");
    t.get("pareto");
    t.get("maturity_years");
    t.get("exchange_rates");
    t.finish();
    s
}

fn read_rules(t: &TableView<'_, '_>) -> BTreeMap<String, Sourced<RuleSetting>> {
    let mut out = BTreeMap::new();
    let file = t.file();
    for (key, value) in t.entries() {
        let id = key.get_ref().to_string();
        if id == "exclude_levers" {
            // Not a rule: read with the settings (`Settings::excluded_levers`).
            continue;
        }
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
