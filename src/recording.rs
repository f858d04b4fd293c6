//! `levier record`: keeping this measurement so that the next one can say what changed.
//!
//! The monthly routine is: update the data, `levier build`, review the report, `levier
//! record`, commit. Recording runs the same load → analyse → assess as a build (an
//! engagement with errors is not recorded: its figures would be wrong) and writes the
//! measurement into the engagement folder, `history/<as_of>.json`, where git keeps it with
//! the data it came from. It is the only command that writes inside an engagement, and it
//! only ever adds its own file there: an existing record of the same date is replaced only
//! with `--force`.

use std::path::Path;

use crate::build::{self, Event, Outcome, Summary, Work};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::history::{self, Record, WriteError};
use crate::workspace::Target;

/// Records the current measurement of every engagement of `targets`.
pub fn record(targets: &[Target], force: bool, on_event: &mut dyn FnMut(Event<'_>)) -> Summary {
    build::run(targets, on_event, |path, at| {
        record_one(path, &targets[at].workspace, force)
    })
}

fn record_one(path: &Path, workspace: &Path, force: bool) -> Work {
    let mut diagnostics = Diagnostics::new();
    if let Err(d) = build::reserved(path) {
        diagnostics.push(d);
        return build::failed(diagnostics);
    }
    let loaded = crate::engagement::load(path, Some(workspace));
    diagnostics.extend(loaded.diagnostics);
    let Some(mut engagement) = loaded.engagement else {
        return build::failed(diagnostics);
    };
    // The workspace's wording, as a build has it: finding titles are recorded.
    engagement.texts = crate::templates::Templates::load(workspace).0.texts().0;
    let (metrics, found) = crate::assess::measure(&engagement);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        return build::failed(diagnostics);
    }
    let record = Record::capture(&crate::build::metrics_json(&metrics));
    match history::write(&engagement.dir, &record, force) {
        Ok(file) => (diagnostics, Outcome::Recorded { file }, None, None),
        Err(WriteError::Exists(file)) => {
            diagnostics.push(
                Diagnostic::error(format!(
                    "the measurement of {} is already recorded",
                    record.as_of
                ))
                .in_file(&file)
                .help(
                    "move `as_of` in engagement.toml to record a new measurement, or use \
                     --force to replace this one",
                ),
            );
            build::failed(diagnostics)
        }
        Err(WriteError::Refused(file, why)) => {
            diagnostics.push(
                Diagnostic::error(format!("cannot record the measurement here: {why}"))
                    .in_file(&file)
                    .help("history/ must be a plain folder of the engagement, holding only levier's records"),
            );
            build::failed(diagnostics)
        }
        Err(WriteError::Io(file, e)) => {
            diagnostics.push(
                Diagnostic::error(format!("cannot write the measurement record: {e}"))
                    .in_file(&file),
            );
            build::failed(diagnostics)
        }
    }
}
