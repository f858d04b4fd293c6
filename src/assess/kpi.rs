//! Resolving an action's KPI, a path in metrics.json such as
//! `leads.by_source.prescription.count`, to its current value.
//!
//! Paths are resolved against the metrics as they are written to metrics.json (the
//! figures the client sees, rounded), so that what the plan follows is exactly what the
//! report shows. An unknown path gets the valid paths nearest to it, because a consultant
//! writes them by hand.

use serde_json::{Number, Value};

/// Whether a KPI accumulates over the year (revenue, counts, hours: on track when it is
/// at least its target prorated by the elapsed share) or is a level (rates, shares,
/// averages: compared with the target as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    Cumulative,
    Level,
}

/// The last segments that name levels rather than cumulative figures.
const LEVEL_NAMES: &[&str] = &[
    "qualified_rate",
    "conversion_rate",
    "win_rate",
    "reconquest_rate",
    "share",
    "target_share",
    "gap_pts",
    "growth",
    "achievement",
    "elapsed_share",
    "cost_per_lead",
    "median_cycle_days",
    "cumulative_share",
    "revenue_share",
    "effort_share",
];

/// Classifies a KPI path by its last segment.
pub fn kind_of(path: &str) -> KpiKind {
    let last = path.rsplit('.').next().unwrap_or(path);
    if LEVEL_NAMES.contains(&last) || last.ends_with("_rate") || last.ends_with("_share") {
        KpiKind::Level
    } else {
        KpiKind::Cumulative
    }
}

/// Why a KPI path did not resolve to a number.
#[derive(Debug, Clone, PartialEq)]
pub enum KpiError {
    /// No such path; the nearest valid numeric paths, best first.
    Unknown { nearest: Vec<String> },
    /// The path names a table, a list or a text, not a figure. `children` are the
    /// figures inside a table (at most [`MAX_CHILDREN`]), `more` how many were left out.
    NotAFigure {
        what: NodeKind,
        children: Vec<String>,
        more: usize,
    },
}

/// What a path that is not a figure names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Table,
    List,
    Text,
}

impl NodeKind {
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Table => "table",
            NodeKind::List => "list",
            NodeKind::Text => "text",
        }
    }
}

/// How many figures of a table an error lists.
pub const MAX_CHILDREN: usize = 8;

/// The value at `path`: `Ok(None)` when the figure exists but is null (not computable).
pub fn resolve(metrics: &Value, path: &str) -> Result<Option<f64>, KpiError> {
    resolve_number(metrics, path).map(|n| n.and_then(|n| n.as_f64()))
}

/// Like [`resolve`], keeping the JSON number as written (so that it converts to an
/// exact decimal: `0.06`, not the nearest binary fraction).
pub fn resolve_number(metrics: &Value, path: &str) -> Result<Option<Number>, KpiError> {
    let mut node = metrics;
    for segment in path.split('.') {
        match node.get(segment) {
            Some(next) => node = next,
            None => {
                return Err(KpiError::Unknown {
                    nearest: nearest_paths(metrics, path, 3),
                });
            }
        }
    }
    match node {
        Value::Number(n) => Ok(Some(n.clone())),
        Value::Null => Ok(None),
        Value::Object(_) => {
            let mut children = numeric_paths(node);
            let more = children.len().saturating_sub(MAX_CHILDREN);
            children.truncate(MAX_CHILDREN);
            Err(KpiError::NotAFigure {
                what: NodeKind::Table,
                children: children
                    .into_iter()
                    .map(|c| format!("{path}.{c}"))
                    .collect(),
                more,
            })
        }
        Value::Array(_) => Err(KpiError::NotAFigure {
            what: NodeKind::List,
            children: Vec::new(),
            more: 0,
        }),
        Value::String(_) | Value::Bool(_) => Err(KpiError::NotAFigure {
            what: NodeKind::Text,
            children: Vec::new(),
            more: 0,
        }),
    }
}

/// Every path of a number (or null figure) in the metrics, lists excluded.
/// Blocks of metrics.json that hold no figure of the measurement.
const NOT_FIGURES: &[&str] = &["since_last", "provenance"];

pub fn numeric_paths(metrics: &Value) -> Vec<String> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        if let Value::Object(map) = v {
            for (k, child) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                // The comparison with the last measurement and the files read are about
                // the measurement, not figures of it.
                if NOT_FIGURES.contains(&path.as_str()) {
                    continue;
                }
                match child {
                    Value::Number(_) | Value::Null => out.push(path),
                    Value::Object(_) => walk(&path, child, out),
                    _ => {}
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", metrics, &mut out);
    out
}

/// The `n` numeric paths closest to `path`, best first.
pub fn nearest_paths(metrics: &Value, path: &str, n: usize) -> Vec<String> {
    let mut scored: Vec<(f64, String)> = numeric_paths(metrics)
        .into_iter()
        .map(|p| (strsim::normalized_levenshtein(&p, path), p))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(n).map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metrics() -> Value {
        json!({
            "revenue": {"total": 1000.5, "conquest": 200.0, "growth": null},
            "leads": {"by_source": {"online": {"count": 12, "conversion_rate": 0.1}}},
            "objectives": [{"key": "x"}]
        })
    }

    #[test]
    fn resolves_numbers_and_nulls() {
        let m = metrics();
        assert_eq!(resolve(&m, "revenue.total"), Ok(Some(1000.5)));
        assert_eq!(resolve(&m, "leads.by_source.online.count"), Ok(Some(12.0)));
        assert_eq!(resolve(&m, "revenue.growth"), Ok(None));
    }

    #[test]
    fn unknown_paths_suggest_the_nearest() {
        let m = metrics();
        let Err(KpiError::Unknown { nearest }) = resolve(&m, "leads.by_source.onlin.count") else {
            panic!("expected an unknown path");
        };
        assert_eq!(nearest[0], "leads.by_source.online.count");
    }

    #[test]
    fn tables_are_not_figures() {
        let m = metrics();
        assert!(matches!(
            resolve(&m, "revenue"),
            Err(KpiError::NotAFigure { what: NodeKind::Table, children, more: 0 })
                if children.contains(&"revenue.total".to_string())
        ));
        // A table of tables lists the figures inside its sub-tables.
        assert!(matches!(
            resolve(&m, "leads.by_source"),
            Err(KpiError::NotAFigure { children, .. })
                if children == ["leads.by_source.online.conversion_rate", "leads.by_source.online.count"]
        ));
        assert!(matches!(
            resolve(&m, "objectives"),
            Err(KpiError::NotAFigure {
                what: NodeKind::List,
                ..
            })
        ));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("revenue.conquest"), KpiKind::Cumulative);
        assert_eq!(kind_of("leads.by_source.online.count"), KpiKind::Cumulative);
        assert_eq!(kind_of("leads.total.conversion_rate"), KpiKind::Level);
        assert_eq!(
            kind_of("time.by_rep.SL.by_activity.admin.share"),
            KpiKind::Level
        );
        assert_eq!(kind_of("clients.reconquest_rate"), KpiKind::Level);
    }
}
