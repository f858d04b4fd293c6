//! What changed since the last measurement: figures before and now, findings that
//! appeared, were resolved or persist, actions that moved.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use serde_json::Number;

use super::record::{FiscalYear, Record};

/// The comparison of a measurement with the last one recorded before it; written to
/// metrics.json as `since_last`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinceLast {
    /// The cut-off of the last measurement.
    pub as_of: NaiveDate,
    /// The fiscal year of the last measurement.
    pub fiscal_year: FiscalYear,
    /// The last measurement belongs to an earlier fiscal year: its figures are that
    /// year's, so the comparison is year over year.
    pub year_over_year: bool,
    /// Every figure of both measurements, by metrics path.
    pub figures: BTreeMap<String, FigureChange>,
    pub findings: FindingChanges,
    /// The actions of the current plan, with their state at the last measurement.
    pub actions: Vec<ActionChange>,
    /// Paths of the last measurement that the current one no longer has (a salesperson
    /// who left, a source no longer used): not compared, reported as a warning.
    #[serde(skip)]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub before: Option<Number>,
    pub now: Option<Number>,
    /// `now − before`, exact; null when either is null.
    pub change: Option<Number>,
}

/// Finding ids, in the order of the measurement they come from (ranked).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FindingChanges {
    pub new: Vec<String>,
    pub resolved: Vec<String>,
    pub persisting: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionChange {
    pub id: String,
    /// Null for an action added to the plan since the last measurement.
    pub status_before: Option<String>,
    pub status_now: String,
    pub current_before: Option<Number>,
    pub current_now: Option<Number>,
    /// The action's target or due date changed since the last measurement.
    pub replanned: bool,
}

/// Compares the current measurement with the last one.
pub fn compare(last: &Record, now: &Record) -> SinceLast {
    let mut figures = BTreeMap::new();
    let mut missing = Vec::new();
    for (path, before) in &last.figures {
        match now.figures.get(path) {
            Some(current) => {
                figures.insert(
                    path.clone(),
                    FigureChange {
                        before: before.clone(),
                        now: current.clone(),
                        change: difference(before.as_ref(), current.as_ref()),
                    },
                );
            }
            None => missing.push(path.clone()),
        }
    }

    let before_ids: BTreeSet<&str> = last.findings.iter().map(|f| f.id.as_str()).collect();
    let now_ids: BTreeSet<&str> = now.findings.iter().map(|f| f.id.as_str()).collect();
    let findings = FindingChanges {
        new: now
            .findings
            .iter()
            .filter(|f| !before_ids.contains(f.id.as_str()))
            .map(|f| f.id.clone())
            .collect(),
        resolved: last
            .findings
            .iter()
            .filter(|f| !now_ids.contains(f.id.as_str()))
            .map(|f| f.id.clone())
            .collect(),
        persisting: now
            .findings
            .iter()
            .filter(|f| before_ids.contains(f.id.as_str()))
            .map(|f| f.id.clone())
            .collect(),
    };

    let actions = now
        .actions
        .iter()
        .map(|a| {
            let before = last.actions.iter().find(|b| b.id == a.id);
            ActionChange {
                id: a.id.clone(),
                status_before: before.map(|b| b.status.clone()),
                status_now: a.status.clone(),
                current_before: before.and_then(|b| b.current.clone()),
                current_now: a.current.clone(),
                replanned: before.is_some_and(|b| b.target != a.target || b.due != a.due),
            }
        })
        .collect();

    SinceLast {
        as_of: last.as_of,
        fiscal_year: last.fiscal_year,
        year_over_year: last.fiscal_year.start != now.fiscal_year.start,
        figures,
        findings,
        actions,
        missing,
    }
}

/// `now − before` computed in decimal, so that 0.3 − 0.1 is 0.2 and not
/// 0.19999999999999998; an integer when both are integers.
fn difference(before: Option<&Number>, now: Option<&Number>) -> Option<Number> {
    let (before, now) = (before?, now?);
    if let (Some(b), Some(n)) = (before.as_i64(), now.as_i64()) {
        return Some(Number::from(n.checked_sub(b)?));
    }
    let exact = |n: &Number| {
        let text = n.to_string();
        Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .ok()
    };
    let change = exact(now)?.checked_sub(exact(before)?)?;
    Number::from_f64(change.normalize().to_f64()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::record::{RecordedAction, RecordedFinding};
    use serde_json::json;

    fn record(as_of: &str, fy_start: &str, figures: serde_json::Value) -> Record {
        let figures = serde_json::from_value(figures).unwrap();
        Record {
            schema: crate::history::RECORD_SCHEMA.into(),
            engagement: "acme".into(),
            client: "Acme".into(),
            as_of: as_of.parse().unwrap(),
            fiscal_year: FiscalYear {
                start: fy_start.parse().unwrap(),
                end: fy_start.parse::<NaiveDate>().unwrap() + chrono::Months::new(12)
                    - chrono::Days::new(1),
            },
            recorded_with: "levier test".into(),
            figures,
            findings: Vec::new(),
            actions: Vec::new(),
            objectives: Vec::new(),
        }
    }

    fn finding(id: &str) -> RecordedFinding {
        RecordedFinding {
            id: id.into(),
            rule: id[..2].into(),
            severity: "high".into(),
            at_stake: None,
            title: id.into(),
        }
    }

    fn action(id: &str, status: &str, current: f64, target: f64, due: &str) -> RecordedAction {
        RecordedAction {
            id: id.into(),
            status: status.into(),
            current: Number::from_f64(current),
            target: Number::from_f64(target),
            due: due.parse().ok(),
        }
    }

    #[test]
    fn figures_change_exactly_and_nulls_stay_null() {
        let last = record(
            "2025-06-30",
            "2025-01-01",
            json!({"revenue.total": 1000.1, "leads.total.count": 40, "clients.reconquest_rate": 0.1,
                   "revenue.growth": null, "revenue.by_rep.XX.fy": 5.0}),
        );
        let now = record(
            "2025-09-30",
            "2025-01-01",
            json!({"revenue.total": 1500.3, "leads.total.count": 55, "clients.reconquest_rate": 0.3,
                   "revenue.growth": 0.05}),
        );
        let s = compare(&last, &now);
        assert!(!s.year_over_year);
        assert_eq!(s.figures["revenue.total"].change, Number::from_f64(500.2));
        assert_eq!(
            s.figures["leads.total.count"].change,
            Some(Number::from(15))
        );
        assert_eq!(
            s.figures["clients.reconquest_rate"].change,
            Number::from_f64(0.2)
        );
        assert_eq!(s.figures["revenue.growth"].before, None);
        assert_eq!(s.figures["revenue.growth"].change, None);
        assert_eq!(s.missing, vec!["revenue.by_rep.XX.fy".to_string()]);
        assert!(!s.figures.contains_key("revenue.by_rep.XX.fy"));
    }

    #[test]
    fn findings_are_new_resolved_or_persisting_by_id() {
        let mut last = record("2025-06-30", "2025-01-01", json!({}));
        last.findings = vec![
            finding("R1-conquest"),
            finding("R8-SL"),
            finding("R8-SL-admin"),
        ];
        let mut now = record("2025-09-30", "2025-01-01", json!({}));
        now.findings = vec![
            finding("R8-SL-admin"),
            finding("R5"),
            finding("R1-conquest"),
        ];
        let s = compare(&last, &now);
        assert_eq!(s.findings.new, ["R5"]);
        assert_eq!(s.findings.resolved, ["R8-SL"]);
        assert_eq!(s.findings.persisting, ["R8-SL-admin", "R1-conquest"]);
    }

    #[test]
    fn an_action_is_replanned_when_its_target_or_due_date_moved() {
        let mut last = record("2025-06-30", "2025-01-01", json!({}));
        last.actions = vec![
            action("A1", "in_progress", 10.0, 40.0, "2025-12-31"),
            action("A2", "planned", 0.0, 5.0, "2025-09-30"),
            action("A3", "in_progress", 1.0, 5.0, "2025-09-30"),
        ];
        let mut now = record("2025-09-30", "2025-01-01", json!({}));
        now.actions = vec![
            action("A1", "in_progress", 25.0, 40.0, "2025-12-31"),
            action("A2", "in_progress", 1.0, 5.0, "2025-12-31"),
            action("A3", "done", 5.0, 4.0, "2025-09-30"),
            action("A4", "planned", 0.0, 1.0, "2026-03-31"),
        ];
        let s = compare(&last, &now);
        let by_id = |id: &str| s.actions.iter().find(|a| a.id == id).unwrap();
        assert!(!by_id("A1").replanned);
        assert_eq!(by_id("A1").current_before, Number::from_f64(10.0));
        assert_eq!(by_id("A1").current_now, Number::from_f64(25.0));
        assert!(by_id("A2").replanned, "due date moved");
        assert!(by_id("A3").replanned, "target moved");
        assert_eq!(by_id("A3").status_before.as_deref(), Some("in_progress"));
        assert_eq!(by_id("A4").status_before, None);
        assert!(!by_id("A4").replanned);
    }

    #[test]
    fn a_record_of_an_earlier_fiscal_year_compares_year_over_year() {
        let last = record("2024-12-31", "2024-01-01", json!({"revenue.total": 10.0}));
        let now = record("2025-12-31", "2025-01-01", json!({"revenue.total": 12.5}));
        let s = compare(&last, &now);
        assert!(s.year_over_year);
        assert_eq!(s.fiscal_year.start.to_string(), "2024-01-01");
        assert_eq!(s.figures["revenue.total"].change, Number::from_f64(2.5));
    }
}
