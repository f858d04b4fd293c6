//! Presentation: the report model shared by the HTML and PDF renderers, and the
//! language-aware formatting of figures.

pub mod format;
pub mod i18n;
pub mod model;
