//! Assessment: turns the metrics into improvement points (findings) and follows the
//! action plan up (issue 4 completes the rule logic).

pub mod rules;
