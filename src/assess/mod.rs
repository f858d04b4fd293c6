//! Assessment: turns the metrics into improvement points (findings) and follows the
//! action plan up (analyses.md, "Improvement points" and "Action follow-up").

pub mod kpi;
pub mod rules;
