//! Presentation, the fourth stage: what the client reads, decided once for every output.
//!
//! From the engagement, its figures and their assessment ([`Measured`]), present builds
//! the report model ([`model`]): sections, tables, chart specifications and texts, every
//! figure already formatted in the reader's language and every label translated, as
//! plain data with no HTML and no Typst. [`deliverables`] then decides the documents of
//! a build (the report, a scorecard per salesperson), their file names, the links
//! between them and the engagement's line on the index page; the renderers only draw
//! what it holds.
//!
//! - [`report`] and [`scorecard`] assemble the documents from [`sections`], one file per
//!   part of the method, mirroring the analyses they present;
//! - `builder` is the shared state (the engagement, the figures, the formatter, the
//!   labels) and `parts` the constructors of tables and sections;
//! - [`note_figures`] and [`typed_figures`] tie the consultant's notes to the figures.
//!
//! [`Measured`]: crate::assess::Measured

mod builder;
pub mod deliverables;
pub(crate) mod figures;
pub mod model;
pub mod note_figures;
mod parts;
pub mod report;
pub mod scorecard;
pub mod sections;
pub mod typed_figures;

pub use deliverables::{
    Deliverables, Document, Format, IndexEntry, IndexFigure, Link, Navigation, deliverables,
};

/// An ASCII id usable in anchors and file names, from a salesperson id or a label.
pub fn model_id(text: &str) -> String {
    crate::vocab::file_stem(text)
}
