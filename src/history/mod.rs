//! The engagement over time: recorded measurements and what changed since the last one.
//!
//! The method is a cycle (diagnostic, plan, measurement, adjustment, then measure again),
//! and the first question of every follow-up meeting is "what changed since last time?".
//! `levier record` keeps each measurement in the engagement folder, as
//! `history/<as_of>.json` (schema [`RECORD_SCHEMA`]), meant to be committed with the
//! engagement; every build compares the current measurement with the most recent record
//! dated before it ([`compare`]) and the report shows the difference.
//!
//! A record holds the figures as metrics.json writes them (rounded, by metrics path, one
//! per line so that a `git diff` of two records reads like the comparison itself), the
//! findings, the actions and the objectives. It is captured from the metrics.json view of
//! the measurement rather than from the typed metrics, so that a record stays readable by
//! later versions of levier as long as the paths it names exist, and a path that
//! disappeared is skipped with a warning rather than failing the build.

mod compare;
mod record;

pub use compare::{ActionChange, FigureChange, FindingChanges, SinceLast, compare};
pub use record::{
    FOLDER, FiscalYear, History, RECORD_SCHEMA, Record, RecordedAction, RecordedFinding,
    RecordedObjective, WriteError, load, write,
};
