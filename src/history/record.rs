//! A recorded measurement (`history/<as_of>.json`, schema `levier.record/1`): capturing
//! it from metrics.json, reading the records of an engagement, writing a new one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::diagnostic::{Diagnostic, Location};
use crate::engagement::paths;

/// The schema name written in every record; a record with another one was written by
/// another version of levier and is skipped with a warning.
pub const RECORD_SCHEMA: &str = "levier.record/1";

/// The folder of an engagement that holds its records.
pub const FOLDER: &str = "history";

/// Blocks of metrics.json that are not figures to follow over time: settings, file
/// facts, per-client classes, and cut tables that can run to thousands of keys.
const NOT_FOLLOWED: &[&str] = &[
    "fiscal_year",
    "periods",
    "data_quality",
    "pareto.a_cutoff",
    "pareto.b_cutoff",
    "pareto.classes",
    "revenue.by_product",
    "acquisitions",
    "plan_review",
    "since_last",
    "provenance",
];

/// The largest figure a record may hold, in absolute value: far above any sum of
/// amounts levier accepts (each at most 10^12), far below where decimal arithmetic
/// overflows. A larger one was not written by levier.
const MAX_FIGURE: f64 = 1e18;

/// The longest metrics path a record may name: a path holds at most a salesperson id or
/// an objective key (300 characters each) and a few words.
const MAX_PATH: usize = 400;

/// Characters of a value of a record quoted in a warning.
const MAX_QUOTED: usize = 60;

/// One measurement of an engagement, as `levier record` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: String,
    pub engagement: String,
    pub client: String,
    pub as_of: NaiveDate,
    pub fiscal_year: FiscalYear,
    /// The levier version that wrote the record, for the reader of the file.
    pub recorded_with: String,
    /// Every followed figure of metrics.json by its path, as written there (rounded);
    /// `null` where it could not be computed. Objectives are written
    /// `objectives.<key>.<figure>`.
    #[serde(deserialize_with = "unique_figures")]
    pub figures: BTreeMap<String, Option<Number>>,
    pub findings: Vec<RecordedFinding>,
    pub actions: Vec<RecordedAction>,
    pub objectives: Vec<RecordedObjective>,
}

/// The fiscal year a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalYear {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedFinding {
    pub id: String,
    pub rule: String,
    pub severity: String,
    pub at_stake: Option<Number>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedAction {
    pub id: String,
    pub status: String,
    pub current: Option<Number>,
    pub target: Option<Number>,
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedObjective {
    pub key: String,
    pub target: Option<Number>,
    pub actual: Option<Number>,
    pub achievement: Option<Number>,
    pub projection: Option<Number>,
}

impl Record {
    /// The measurement that metrics.json (as a JSON value) describes.
    pub fn capture(metrics: &Value) -> Record {
        let text =
            |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
        let number = |v: &Value, key: &str| v.get(key).and_then(Value::as_number).cloned();
        let date = |v: &Value, key: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<NaiveDate>().ok())
        };
        let list = |key: &str| {
            metrics
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };

        let mut figures = BTreeMap::new();
        flatten("", metrics, &mut figures);
        let objectives: Vec<RecordedObjective> = list("objectives")
            .iter()
            .map(|o| RecordedObjective {
                key: text(o, "key"),
                target: number(o, "target"),
                actual: number(o, "actual"),
                achievement: number(o, "achievement"),
                projection: number(o, "projection"),
            })
            .collect();
        for o in list("objectives") {
            let key = text(&o, "key");
            if let Value::Object(map) = &o {
                for (name, value) in map {
                    if let Some(n) = figure(value) {
                        figures.insert(format!("objectives.{key}.{name}"), n);
                    }
                }
            }
        }
        let fiscal_year = metrics.get("fiscal_year").unwrap_or(&Value::Null);
        Record {
            schema: RECORD_SCHEMA.to_string(),
            engagement: text(metrics, "engagement"),
            client: text(metrics, "client"),
            as_of: date(metrics, "as_of").unwrap_or_default(),
            fiscal_year: FiscalYear {
                start: date(fiscal_year, "start").unwrap_or_default(),
                end: date(fiscal_year, "end").unwrap_or_default(),
            },
            recorded_with: format!("levier {}", env!("CARGO_PKG_VERSION")),
            figures,
            findings: list("findings")
                .iter()
                .map(|f| RecordedFinding {
                    id: text(f, "id"),
                    rule: text(f, "rule"),
                    severity: text(f, "severity"),
                    at_stake: number(f, "at_stake"),
                    title: text(f, "title"),
                })
                .collect(),
            actions: list("actions")
                .iter()
                .map(|a| RecordedAction {
                    id: text(a, "id"),
                    status: text(a, "status"),
                    current: number(a, "current"),
                    target: number(a, "target"),
                    due: date(a, "due"),
                })
                .collect(),
            objectives,
        }
    }

    /// The file name of this record in `history/`.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.as_of)
    }

    /// The record as written: stable key order, one figure per line, a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a record serialises");
        text.push('\n');
        text
    }
}

/// A number or null of metrics.json; `None` for anything else.
fn figure(value: &Value) -> Option<Option<Number>> {
    match value {
        Value::Number(n) => Some(Some(n.clone())),
        Value::Null => Some(None),
        _ => None,
    }
}

/// Every followed figure of a metrics.json object, by dotted path. Lists are not walked:
/// their items have no stable path (objectives are added by key by the caller).
fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, Option<Number>>) {
    let Value::Object(map) = value else { return };
    for (key, child) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if NOT_FOLLOWED.contains(&path.as_str()) {
            continue;
        }
        match figure(child) {
            Some(n) => {
                out.insert(path, n);
            }
            None => flatten(&path, child, out),
        }
    }
}

/// The records of an engagement, oldest first.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub records: Vec<Record>,
}

impl History {
    /// The most recent record dated strictly before `as_of`: the measurement a build
    /// compares with. Records dated on or after it (a measurement of a later cut-off,
    /// kept while a report is rebuilt for an earlier one) are not "the last one".
    pub fn last_before(&self, as_of: NaiveDate) -> Option<&Record> {
        self.records.iter().rev().find(|r| r.as_of < as_of)
    }
}

/// Reads `<engagement>/history/*.json`. A record that cannot be read, was written by
/// another version of levier, or does not hold a measurement of this engagement
/// (another engagement's, another fiscal year's of a different length or overlapping the
/// current one, figures out of range) is a warning and is left out: history informs a
/// report, it never stops one, and a comparison with unrelated data would mislead.
/// `slug` is the engagement's name and `fiscal_year_start` the start of its current
/// fiscal year.
pub fn load(
    engagement_dir: &Path,
    slug: &str,
    fiscal_year_start: NaiveDate,
) -> (History, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut records = Vec::new();
    let folder = engagement_dir.join(FOLDER);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return (History::default(), diagnostics);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let rel = format!(
            "{FOLDER}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let bytes = match paths::confined(engagement_dir, &rel)
            .and_then(|p| paths::read_regular(&p, paths::limits::TOML))
        {
            Ok(b) => b,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "cannot read the measurement record {rel}: {}",
                        e.describe(engagement_dir)
                    ))
                    .in_file(&path)
                    .note("this record is left out of the comparison with the last measurement"),
                );
                continue;
            }
        };
        match read_record(&path, &bytes).and_then(|(record, text)| {
            check_record(&path, &text, record, slug, fiscal_year_start).map_err(Box::new)
        }) {
            Ok(record) => records.push(record),
            Err(d) => diagnostics.push(*d),
        }
    }
    records.sort_by_key(|r| r.as_of);
    (History { records }, diagnostics)
}

const SKIPPED: &str = "this record is left out of the comparison with the last measurement";

/// The record in `bytes`, and its text (to point later warnings at their line).
fn read_record(path: &Path, bytes: &[u8]) -> Result<(Record, String), Box<Diagnostic>> {
    let skipped = SKIPPED;
    let text = String::from_utf8_lossy(bytes).into_owned();
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Box::new(
            Diagnostic::warning(format!("the measurement record is not valid JSON: {e}"))
                .in_file(path)
                .at(json_location(&text, e.line(), e.column()))
                .note(skipped)
                .help("record it again with `levier record --force` once the data of that date is back"),
        )
    })?;
    let schema = value.get("schema").and_then(Value::as_str).unwrap_or("");
    if schema != RECORD_SCHEMA {
        let written = value
            .get("recorded_with")
            .and_then(Value::as_str)
            .map_or_else(|| "an unknown version of levier".to_string(), quoted);
        return Err(Box::new(
            Diagnostic::warning(format!(
                "the measurement record has schema `{}`, not `{RECORD_SCHEMA}`",
                quoted(schema)
            ))
            .in_file(path)
            .note(format!("it was written by {written}"))
            .note(skipped),
        ));
    }
    drop(value);
    // From the text again rather than the value: serde_json then says where a field
    // of the wrong type or a duplicate key is.
    let record: Record = serde_json::from_str(&text).map_err(|e| {
        let mut d = Diagnostic::warning(format!(
            "the measurement record cannot be read: {}",
            quoted_error(&e)
        ))
        .in_file(path);
        if e.line() > 0 {
            d = d.at(json_location(&text, e.line(), e.column()));
        }
        // chrono's words for a date it cannot read ("input is out of range").
        if e.to_string().starts_with("input ") || e.to_string().starts_with("premature end") {
            d = d.label("expected a date written YYYY-MM-DD");
        }
        Box::new(d.note(skipped))
    })?;
    let expected = record.file_name();
    let actual = path.file_name().unwrap_or_default().to_string_lossy();
    if actual != expected {
        return Err(Box::new(
            Diagnostic::warning(format!(
                "the measurement record is dated {} but named {actual}",
                record.as_of
            ))
            .in_file(path)
            .note(skipped)
            .help(format!("rename it {expected}")),
        ));
    }
    Ok((record, text))
}

/// A value of a record as a warning quotes it: at most [`MAX_QUOTED`] characters (a
/// hand-edited record may hold a megabyte in one string).
fn quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// serde_json's message without its position (the diagnostic shows it) and with the
/// values it quotes cut.
fn quoted_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => &message,
    };
    if message.chars().count() > 200 {
        format!("{}…", message.chars().take(200).collect::<String>())
    } else {
        message.to_string()
    }
}

/// The figures of a record, refusing a path written twice: which of the two values
/// was measured cannot be told.
fn unique_figures<'de, D>(d: D) -> Result<BTreeMap<String, Option<Number>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Figures;
    impl<'de> serde::de::Visitor<'de> for Figures {
        type Value = BTreeMap<String, Option<Number>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("figures by metrics path")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut figures = BTreeMap::new();
            while let Some((path, value)) = map.next_entry::<String, Option<Number>>()? {
                if figures.contains_key(&path) {
                    return Err(serde::de::Error::custom(format!(
                        "figure `{}` is written twice",
                        quoted(&path)
                    )));
                }
                figures.insert(path, value);
            }
            Ok(figures)
        }
    }
    d.deserialize_map(Figures)
}

/// The fiscal year that starts on `start`: twelve months.
fn fiscal_year_from(start: NaiveDate) -> Option<FiscalYear> {
    let end = start
        .checked_add_months(chrono::Months::new(12))?
        .pred_opt()?;
    Some(FiscalYear { start, end })
}

/// Checks that a record read well holds a measurement of this engagement that can be
/// compared with the current one; a warning naming the file (and the line of the value
/// where it can be found) otherwise.
fn check_record(
    path: &Path,
    text: &str,
    record: Record,
    slug: &str,
    fiscal_year_start: NaiveDate,
) -> Result<Record, Diagnostic> {
    // The first place `needle` is written in the record, to point at it.
    let at = |needle: &str| -> Option<Location> {
        let start = text.find(needle)?;
        Some(Location::from_span(text, start..start + needle.len()))
    };
    let key = |name: &str| format!("\"{name}\"");
    let refuse = |message: String, needle: Option<String>| {
        let mut d = Diagnostic::warning(message).in_file(path);
        if let Some(location) = needle.as_deref().and_then(at) {
            d = d.at(location);
        }
        d.note(SKIPPED)
    };

    if record.engagement != slug {
        return Err(refuse(
            format!(
                "the measurement record is one of the engagement `{}`, not `{slug}`",
                quoted(&record.engagement)
            ),
            Some(key("engagement")),
        )
        .help(format!(
            "move it to that engagement's history/; if this engagement was renamed, write `\"engagement\": \"{slug}\"` in it"
        )));
    }

    let fy = record.fiscal_year;
    let Some(current) = fiscal_year_from(fiscal_year_start) else {
        return Ok(record);
    };
    if fiscal_year_from(fy.start) != Some(fy) {
        return Err(refuse(
            format!(
                "the measurement record's fiscal year runs from {} to {}, which is not twelve months",
                fy.start, fy.end
            ),
            Some(key("fiscal_year")),
        ));
    }
    if record.as_of < fy.start || record.as_of > fy.end {
        return Err(refuse(
            format!(
                "the measurement record is dated {}, outside its fiscal year ({} to {})",
                record.as_of, fy.start, fy.end
            ),
            Some(key("as_of")),
        ));
    }
    if fy != current && fy.end >= current.start {
        return Err(
            refuse(
                format!(
                    "the measurement record's fiscal year ({} to {}) overlaps the engagement's ({} to {})",
                    fy.start, fy.end, current.start, current.end
                ),
                Some(key("fiscal_year")),
            )
            .note("its figures cover other months than this year's and cannot be compared with them")
            .help("fiscal_year_start of engagement.toml changed since it was recorded: record again, or set it back"),
        );
    }

    for (figure, value) in &record.figures {
        let shown = quoted(figure);
        if figure.is_empty()
            || figure.chars().count() > MAX_PATH
            || figure.chars().any(char::is_control)
        {
            return Err(refuse(
                format!(
                    "the measurement record names a figure `{shown}` that is not a metrics path"
                ),
                None,
            ));
        }
        let needle = serde_json::to_string(figure).ok();
        if let Some(problem) = value.as_ref().and_then(|n| out_of_range(figure, n)) {
            return Err(refuse(
                format!("the measurement record's figure `{shown}` {problem}"),
                needle,
            ));
        }
    }
    let numbers = record
        .findings
        .iter()
        .map(|f| ("at_stake", f.at_stake.as_ref()))
        .chain(record.actions.iter().flat_map(|a| {
            [
                ("current", a.current.as_ref()),
                ("target", a.target.as_ref()),
            ]
        }))
        .chain(record.objectives.iter().flat_map(|o| {
            [
                ("target", o.target.as_ref()),
                ("actual", o.actual.as_ref()),
                ("achievement", o.achievement.as_ref()),
                ("projection", o.projection.as_ref()),
            ]
        }));
    for (name, n) in numbers {
        if let Some(problem) = n.and_then(|n| out_of_range("", n)) {
            return Err(refuse(
                format!("the measurement record's `{name}` {problem}"),
                Some(key(name)),
            ));
        }
    }
    fn twice<'a>(mut ids: impl Iterator<Item = &'a str>) -> Option<String> {
        let mut seen = std::collections::BTreeSet::new();
        ids.find(|id| !seen.insert(*id)).map(quoted)
    }
    if let Some(id) = twice(record.findings.iter().map(|f| f.id.as_str())) {
        return Err(refuse(
            format!("the measurement record lists the finding `{id}` twice"),
            Some(key("findings")),
        ));
    }
    if let Some(id) = twice(record.actions.iter().map(|a| a.id.as_str())) {
        return Err(refuse(
            format!("the measurement record lists the action `{id}` twice"),
            Some(key("actions")),
        ));
    }
    Ok(record)
}

/// Why a number of a record cannot be a measurement, if it cannot: beyond
/// [`MAX_FIGURE`], or a negative count, number of hours or days.
fn out_of_range(path: &str, n: &Number) -> Option<String> {
    let Some(value) = n.as_f64().filter(|v| v.is_finite()) else {
        return Some(format!("is `{n}`, not a number levier writes"));
    };
    if value.abs() > MAX_FIGURE {
        return Some(format!("is {n}, beyond 10^18 in absolute value"));
    }
    use crate::glossary::Unit;
    let counted = matches!(
        crate::glossary::unit_of(path),
        Some(Unit::Count | Unit::Hours | Unit::Days)
    );
    (counted && value < 0.0).then(|| format!("is {n}, and cannot be negative"))
}

/// Where serde_json stopped, as a location (its lines and columns are 1-based).
fn json_location(text: &str, line: usize, column: usize) -> Location {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut at = (line_start + column.saturating_sub(1)).min(line_end);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Location::from_span(text, at..end)
}

/// Why a record was not written.
#[derive(Debug)]
pub enum WriteError {
    /// A record of that date exists and `--force` was not given.
    Exists(PathBuf),
    /// `history/` or the record is a link, or not a folder / regular file: writing there
    /// could land outside the engagement or replace something levier did not write.
    Refused(PathBuf, &'static str),
    Io(PathBuf, std::io::Error),
}

/// Writes `record` as `<engagement>/history/<as_of>.json`; refuses to replace an
/// existing record unless `force`. The file appears whole or not at all.
pub fn write(engagement_dir: &Path, record: &Record, force: bool) -> Result<PathBuf, WriteError> {
    let folder = engagement_dir.join(FOLDER);
    let path = folder.join(record.file_name());
    // Only a real folder inside the engagement, and only a regular file in it: a link
    // would send the record (or its replacement) anywhere on the disk.
    match std::fs::symlink_metadata(&folder) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(WriteError::Refused(
                folder,
                "a link, not a folder of the engagement",
            ));
        }
        Ok(m) if !m.is_dir() => return Err(WriteError::Refused(folder, "not a folder")),
        _ => {}
    }
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(WriteError::Refused(path, "a link, not a record"));
        }
        Ok(m) if !m.is_file() => return Err(WriteError::Refused(path, "not a file")),
        Ok(_) if !force => return Err(WriteError::Exists(path)),
        _ => {}
    }
    let io = |e| WriteError::Io(path.clone(), e);
    std::fs::create_dir_all(&folder).map_err(io)?;
    let staging = folder.join(format!(
        ".{}.partial-{}",
        record.file_name(),
        std::process::id()
    ));
    {
        use std::io::Write;
        // `create_new`: never through whatever already sits at the staging name.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&staging)
            .map_err(io)?;
        file.write_all(record.to_json().as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    std::fs::rename(&staging, &path).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        io(e)
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn metrics(as_of: &str, total: f64) -> Value {
        json!({
            "schema": "levier.metrics/1",
            "engagement": "acme",
            "client": "Acme SAS",
            "fiscal_year": {"start": "2025-01-01", "end": "2025-12-31"},
            "as_of": as_of,
            "elapsed_share": 0.4959,
            "revenue": {
                "total": total, "growth": null,
                "by_month": [{"month": "2025-01", "fy": 1.0}],
                "by_product": {"P1": {"fy": 10.0}},
                "by_rep": {"JD": {"fy": 100.0, "fy_1": 90.0, "growth": 0.1111}}
            },
            "pareto": {"a_cutoff": 0.8, "classes": {"C1": "A"}, "A": {"clients": 3}},
            "data_quality": {"credit_notes": {"count": 2}},
            "objectives": [{"key": "revenue.total", "target": 1000.0, "actual": total,
                            "achievement": 0.5, "projection": 2000.0, "unit": "money"}],
            "findings": [{"id": "R1-conquest", "rule": "R1", "severity": "high",
                          "title": "Conquête en retard", "at_stake": 1234.5,
                          "evidence": {"x": 1}}],
            "actions": [{"id": "A1", "status": "in_progress", "current": 3.0,
                         "target": 10.0, "due": "2025-06-30", "title": "x"}]
        })
    }

    #[test]
    fn a_record_holds_followed_figures_by_path_and_leaves_settings_and_cut_tables_out() {
        let r = Record::capture(&metrics("2025-06-30", 500.25));
        assert_eq!(r.as_of, NaiveDate::from_ymd_opt(2025, 6, 30).unwrap());
        assert_eq!(
            r.figures["revenue.total"],
            Some(Number::from_f64(500.25).unwrap())
        );
        assert_eq!(r.figures["revenue.growth"], None);
        assert!(r.figures.contains_key("revenue.by_rep.JD.growth"));
        assert!(r.figures.contains_key("pareto.A.clients"));
        assert!(
            r.figures
                .contains_key("objectives.revenue.total.projection")
        );
        for left_out in [
            "pareto.a_cutoff",
            "revenue.by_product.P1.fy",
            "data_quality.credit_notes.count",
        ] {
            assert!(!r.figures.contains_key(left_out), "{left_out} recorded");
        }
        assert!(!r.figures.keys().any(|k| k.starts_with("revenue.by_month")));
        assert_eq!(r.findings[0].id, "R1-conquest");
        assert_eq!(r.actions[0].due, NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(r.objectives[0].key, "revenue.total");
    }

    #[test]
    fn a_record_file_reads_back_identically_with_one_figure_per_line() {
        let r = Record::capture(&metrics("2025-06-30", 500.25));
        let text = r.to_json();
        assert!(
            text.lines()
                .any(|l| l.trim_end_matches(',') == "    \"revenue.total\": 500.25"),
            "{text}"
        );
        let back: Record = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.to_json(), text, "writing is deterministic");
    }

    #[test]
    fn recording_twice_for_one_date_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let r = Record::capture(&metrics("2025-06-30", 500.25));
        let path = write(dir.path(), &r, false).unwrap();
        assert!(path.ends_with("history/2025-06-30.json"));
        assert!(matches!(
            write(dir.path(), &r, false),
            Err(WriteError::Exists(_))
        ));
        let changed = Record::capture(&metrics("2025-06-30", 600.0));
        write(dir.path(), &changed, true).unwrap();
        let (history, warnings) = load(dir.path(), "acme", day("2025-01-01"));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(history.records, vec![changed]);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("history"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn corrupt_or_foreign_records_are_warnings_and_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let good = Record::capture(&metrics("2025-03-31", 100.0));
        write(dir.path(), &good, false).unwrap();
        let history = dir.path().join("history");
        std::fs::write(
            history.join("2025-04-30.json"),
            "{\n  \"schema\": \"levier.record/1\",\n  oops\n}",
        )
        .unwrap();
        std::fs::write(
            history.join("2025-05-31.json"),
            r#"{"schema": "levier.record/0", "recorded_with": "levier 0.0.9"}"#,
        )
        .unwrap();
        let mut misnamed = Record::capture(&metrics("2025-06-30", 1.0));
        misnamed.as_of = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        std::fs::write(history.join("2025-06-30.json"), misnamed.to_json()).unwrap();
        let (loaded, warnings) = load(dir.path(), "acme", day("2025-01-01"));
        assert_eq!(loaded.records, vec![good]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().all(|w| !w.is_error()));
        let corrupt = &warnings[0];
        assert!(corrupt.message.contains("not valid JSON"), "{corrupt:?}");
        assert_eq!(corrupt.location.as_ref().map(|l| l.line), Some(3));
        assert!(warnings[1].notes.iter().any(|n| n.contains("levier 0.0.9")));
        assert!(
            warnings[2]
                .help
                .iter()
                .any(|h| h.contains("2025-07-01.json"))
        );
    }

    /// Loads `history/2025-06-30.json` written as `text` in a fresh engagement `acme`
    /// whose fiscal year starts on 2025-01-01: the records kept and the warnings.
    fn load_one(text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(FOLDER)).unwrap();
        std::fs::write(dir.path().join(FOLDER).join("2025-06-30.json"), text).unwrap();
        let (history, warnings) = load(dir.path(), "acme", day("2025-01-01"));
        (history.records, warnings)
    }

    /// A valid record of 2025-06-30 as text, with `from` replaced by `to`.
    fn edited(from: &str, to: &str) -> String {
        let text = Record::capture(&metrics("2025-06-30", 500.25)).to_json();
        assert!(text.contains(from), "{from} not in {text}");
        text.replacen(from, to, 1)
    }

    /// The one warning of loading `text`, which must have left the record out.
    #[track_caller]
    fn refused(text: &str) -> Diagnostic {
        let (records, warnings) = load_one(text);
        assert!(records.is_empty(), "the record was kept: {warnings:?}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(!warnings[0].is_error());
        assert!(
            warnings[0]
                .path
                .as_ref()
                .is_some_and(|p| p.ends_with("history/2025-06-30.json")),
            "{:?}",
            warnings[0]
        );
        warnings[0].clone()
    }

    #[test]
    fn an_untouched_record_is_kept() {
        let (records, warnings) = load_one(&edited("\"acme\"", "\"acme\""));
        assert_eq!(records.len(), 1);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_record_of_another_engagement_is_never_compared() {
        let w = refused(&edited(
            "\"engagement\": \"acme\"",
            "\"engagement\": \"globex\"",
        ));
        assert!(
            w.message.contains("engagement `globex`, not `acme`"),
            "{w:?}"
        );
        assert_eq!(w.location.as_ref().map(|l| l.line), Some(3));
    }

    #[test]
    fn a_fiscal_year_that_is_not_twelve_months_or_overlaps_the_current_one_is_refused() {
        let w = refused(&edited(
            "\"end\": \"2025-12-31\"",
            "\"end\": \"2026-06-30\"",
        ));
        assert!(w.message.contains("not twelve months"), "{w:?}");
        let w = refused(&edited(
            "\"start\": \"2025-01-01\",\n    \"end\": \"2025-12-31\"",
            "\"start\": \"2024-07-01\",\n    \"end\": \"2025-06-30\"",
        ));
        assert!(w.message.contains("overlaps the engagement's"), "{w:?}");
        let w = refused(&edited(
            "\"end\": \"2025-12-31\"",
            "\"end\": \"2025-13-45\"",
        ));
        assert!(w.message.contains("cannot be read"), "{w:?}");
        assert_eq!(w.location.as_ref().map(|l| l.line), Some(8), "{w:?}");
    }

    #[test]
    fn a_record_of_an_earlier_fiscal_year_is_kept_for_year_over_year() {
        let text = Record::capture(&metrics("2025-06-30", 1.0))
            .to_json()
            .replace("2025-", "2024-");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(FOLDER)).unwrap();
        std::fs::write(dir.path().join(FOLDER).join("2024-06-30.json"), text).unwrap();
        let (history, warnings) = load(dir.path(), "acme", day("2025-01-01"));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(history.records.len(), 1);
    }

    #[test]
    fn numbers_out_of_range_negative_counts_and_nan_strings_are_refused_where_written() {
        let w = refused(&edited(
            "\"revenue.total\": 500.25",
            "\"revenue.total\": 1e300",
        ));
        assert!(w.message.contains("beyond 10^18"), "{w:?}");
        assert!(w.location.is_some());
        let w = refused(&edited(
            "\"pareto.A.clients\": 3",
            "\"pareto.A.clients\": -3",
        ));
        assert!(w.message.contains("cannot be negative"), "{w:?}");
        let w = refused(&edited(
            "\"revenue.total\": 500.25",
            "\"revenue.total\": \"NaN\"",
        ));
        assert!(w.message.contains("cannot be read"), "{w:?}");
        assert!(w.location.is_some());
        let w = refused(&edited("\"at_stake\": 1234.5", "\"at_stake\": -1e200"));
        assert!(w.message.contains("`at_stake`"), "{w:?}");
    }

    #[test]
    fn a_figure_or_a_field_written_twice_is_refused() {
        let w = refused(&edited(
            "\"pareto.A.clients\": 3,",
            "\"pareto.A.clients\": 3,\n    \"pareto.A.clients\": 9,",
        ));
        assert!(
            w.message.contains("`pareto.A.clients` is written twice"),
            "{w:?}"
        );
        let w = refused(&edited(
            "\"client\": \"Acme SAS\",",
            "\"client\": \"Acme SAS\",\n  \"client\": \"Other\",",
        ));
        assert!(w.message.contains("duplicate field `client`"), "{w:?}");
        let finding = "{\"id\": \"R1-conquest\", \"rule\": \"R1\", \"severity\": \"high\", \"at_stake\": null, \"title\": \"x\"},";
        let w = refused(&edited(
            "\"findings\": [",
            &format!("\"findings\": [{finding}"),
        ));
        assert!(w.message.contains("finding `R1-conquest` twice"), "{w:?}");
    }

    #[test]
    fn figure_paths_with_control_characters_or_a_megabyte_are_refused_and_quoted_short() {
        let w = refused(&edited("\"revenue.total\"", "\"revenue.\\u001b[2Jtotal\""));
        assert!(w.message.contains("not a metrics path"), "{w:?}");
        let long = "k".repeat(1_000_000);
        let w = refused(&edited("\"revenue.total\"", &format!("\"{long}\"")));
        assert!(w.message.len() < 200, "{}", w.message.len());
        let w = refused(&edited(
            "\"recorded_with\": \"levier",
            &format!("\"schema\": \"{long}\", \"recorded_with\": \"{long}"),
        ));
        assert!(w.message.contains("has schema"), "{w:?}");
        assert!(w.message.len() < 200 && w.notes.iter().all(|n| n.len() < 200));
    }

    #[test]
    fn the_last_measurement_is_the_latest_strictly_before_the_cut_off() {
        let history = History {
            records: ["2025-03-31", "2025-06-30", "2025-09-30"]
                .iter()
                .map(|d| Record::capture(&metrics(d, 1.0)))
                .collect(),
        };
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            history.last_before(day("2025-09-30")).unwrap().as_of,
            day("2025-06-30")
        );
        assert_eq!(
            history.last_before(day("2025-07-01")).unwrap().as_of,
            day("2025-06-30")
        );
        assert!(history.last_before(day("2025-03-31")).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_history_folder_linked_elsewhere_is_never_written_through() {
        let outside = tempfile::tempdir().unwrap();
        let engagement = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), engagement.path().join(FOLDER)).unwrap();
        let r = Record::capture(&metrics("2025-06-30", 1.0));
        assert!(matches!(
            write(engagement.path(), &r, true),
            Err(WriteError::Refused(_, _))
        ));
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_record_that_is_a_link_is_never_replaced_even_with_force() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("precious.txt");
        std::fs::write(&target, "keep me").unwrap();
        let engagement = tempfile::tempdir().unwrap();
        std::fs::create_dir(engagement.path().join(FOLDER)).unwrap();
        std::os::unix::fs::symlink(
            &target,
            engagement.path().join(FOLDER).join("2025-06-30.json"),
        )
        .unwrap();
        let r = Record::capture(&metrics("2025-06-30", 1.0));
        assert!(matches!(
            write(engagement.path(), &r, true),
            Err(WriteError::Refused(_, _))
        ));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    }
}
