//! Presentation: the report model shared by the HTML and PDF renderers, built from an
//! engagement and its metrics, and the language-aware formatting of figures.

pub mod annex;
pub mod model;
pub mod note_figures;
mod parts;
pub mod plan;
pub mod report;
pub mod scorecard;
pub mod typed_figures;

/// An ASCII id usable in anchors and file names, from a salesperson id or a label.
pub fn model_id(text: &str) -> String {
    crate::vocab::file_stem(text)
}
