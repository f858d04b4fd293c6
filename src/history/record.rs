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

/// Reads `<engagement>/history/*.json`. A record that cannot be read, or was written by
/// another version of levier, is a warning and is left out: history informs a report, it
/// never stops one.
pub fn load(engagement_dir: &Path) -> (History, Vec<Diagnostic>) {
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
        match read_record(&path, &bytes) {
            Ok(record) => records.push(record),
            Err(d) => diagnostics.push(*d),
        }
    }
    records.sort_by_key(|r| r.as_of);
    (History { records }, diagnostics)
}

fn read_record(path: &Path, bytes: &[u8]) -> Result<Record, Box<Diagnostic>> {
    let skipped = "this record is left out of the comparison with the last measurement";
    let text = String::from_utf8_lossy(bytes);
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
            .unwrap_or("an unknown version of levier");
        return Err(Box::new(
            Diagnostic::warning(format!(
                "the measurement record has schema `{schema}`, not `{RECORD_SCHEMA}`"
            ))
            .in_file(path)
            .note(format!("it was written by {written}"))
            .note(skipped),
        ));
    }
    let record: Record = serde_json::from_value(value).map_err(|e| {
        Box::new(
            Diagnostic::warning(format!("the measurement record cannot be read: {e}"))
                .in_file(path)
                .note(skipped),
        )
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
    Ok(record)
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
        let (history, warnings) = load(dir.path());
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
        let (loaded, warnings) = load(dir.path());
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
