//! Figures by metrics.json path, in the reader's words: the bridge between the paths a
//! consultant writes (note placeholders, plan KPIs, measurement records) and the report.
//!
//! The glossary knows each path's unit and label key; this module fills the label with
//! the names the report uses for the salesperson, source, activity or objective the path
//! names. It also turns the consultant's notes into what the report prints: placeholders
//! replaced by figures ([`super::note_figures`]) and hand-typed figures checked
//! ([`super::typed_figures`]), once for every output, so the PDF and the HTML print the
//! same text.

use serde_json::Value;

use super::builder::Builder;
use super::note_figures::{self, FigureSource, NoteSource};
use super::typed_figures::{self, Candidate};
use crate::diagnostic::Diagnostic;
use crate::glossary;

/// The reader's label of the figure at `path` (`revenue.by_rep.SL.fy` → "chiffre
/// d'affaires de Sébastien Laurent"), or `None` when the glossary does not know it.
pub(crate) fn label(b: &Builder<'_>, path: &str) -> Option<String> {
    let entry = glossary::lookup(path)?;
    let values: Vec<(&str, String)> = entry
        .params
        .iter()
        .map(|(name, raw)| (*name, param(b, name, raw)))
        .collect();
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Some(b.labels.fill(&entry.label, &pairs))
}

/// A label parameter as the report names it.
fn param(b: &Builder<'_>, name: &str, raw: &str) -> String {
    let known = |key: String| b.labels.has(&key).then(|| b.labels.get(&key).to_string());
    let shown = match name {
        "rep" => Some(rep_display(b, raw)),
        "source" => known(format!("source.{raw}")),
        "activity" => known(format!("activity.{raw}")),
        "target" => known(format!("target.{raw}")),
        "category" => known(format!("category.{raw}")),
        "maturity" => known(format!("maturity.{raw}")),
        "stage" => known(format!("stage.{raw}")),
        "effort" => known(format!("report.effort.{raw}")).map(|s| s.to_lowercase()),
        "client_category" => known(format!("figure.clients_{raw}")),
        "table" => known(format!("report.quality.table_{raw}")).map(|s| s.to_lowercase()),
        "objective" => {
            b.m.objectives.iter().find(|o| o.key == raw).map(|o| {
                // Inside a label: "projection : chiffre d'affaires total".
                let label = super::sections::measurement::objective_label(b, &o.key);
                if o.key.rep().is_some() {
                    label
                } else {
                    lower_first(&label)
                }
            })
        }
        _ => None,
    };
    shown.unwrap_or_else(|| {
        if raw == crate::analysis::UNKNOWN {
            b.t("report.unknown")
        } else {
            raw.to_string()
        }
    })
}

/// A salesperson as prose names them: their name when objectives.toml gives one.
fn rep_display(b: &Builder<'_>, id: &str) -> String {
    b.e.objectives
        .as_ref()
        .and_then(|o| o.reps.iter().find(|r| r.id == id))
        .and_then(|r| r.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The notes' Markdown as the report prints it (in the engagement's order), with what was found on the way: an unknown
/// placeholder is an error, a figure that cannot be computed or a hand-typed near miss a
/// warning, each at its file, line and column.
pub(crate) fn notes(b: &Builder<'_>, metrics: &Value) -> (Vec<String>, Vec<Diagnostic>) {
    let figures = FigureSource {
        metrics,
        fmt: &b.fmt,
        currency: &b.e.info.currency,
    };
    let candidates = Candidate::all(metrics, &|path| label(b, path));
    let mut diagnostics = Vec::new();
    let notes =
        b.e.notes
            .iter()
            .map(|note| {
                let path = b.e.dir.join(&note.file);
                let source = NoteSource {
                    path: &path,
                    first_line: note.line.max(1),
                };
                // A salesperson's note is about them: their name joins every sentence.
                let context = note
                    .rep
                    .as_deref()
                    .map(|r| rep_display(b, r))
                    .unwrap_or_default();
                diagnostics.extend(typed_figures::check(
                    &note.markdown,
                    source,
                    &candidates,
                    &context,
                ));
                let expanded = note_figures::expand(&note.markdown, source, &figures);
                diagnostics.extend(expanded.diagnostics);
                expanded.markdown
            })
            .collect();
    (notes, diagnostics)
}

/// `s` with its first letter in lower case, for a label used inside another.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}
