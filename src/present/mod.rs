//! Presentation: the report model shared by the HTML and PDF renderers, built from an
//! engagement and its metrics, and the language-aware formatting of figures.

pub mod annex;
pub mod model;
mod parts;
pub mod plan;
pub mod report;
pub mod scorecard;

/// An ASCII id usable in anchors and file names, from a salesperson id or a label.
pub fn model_id(text: &str) -> String {
    let id: String = crate::vocab::fold(text)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "x".to_string() } else { id }
}
