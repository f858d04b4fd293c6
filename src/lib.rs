//! levier: a static report generator for sales consultants.
//!
//! One pipeline, one module per stage:
//!
//! ```text
//! engagement folder ──load──▶ Engagement ──analyse──▶ Metrics ──assess──▶ Findings
//!                                                          └──present──▶ Report ──render──▶ HTML, PDF, metrics.json
//! ```
//!
//! - [`engagement`] loads and validates a folder (engagement-format.md), with
//!   diagnostics that point at file, line and column ([`diagnostic`]);
//! - [`analysis`] computes every figure of analyses.md, without I/O;
//! - [`assess`] turns figures into improvement points and follows the action plan up;
//! - [`build`] runs the pipeline over engagements; [`output`] writes their outputs atomically.
//!
//! The binary (`src/main.rs`, [`cli`]) is a thin shell over this library.

// Diagnostics are returned by value on error paths, which are cold; boxing them
// everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod assess;
pub mod build;
pub mod ci;
pub mod cli;
pub mod diagnostic;
pub mod engagement;
pub mod fresh;
pub mod glossary;
pub mod glyphs;
pub mod history;
pub mod i18n;
pub mod levers;
pub mod messages;
pub mod output;
pub mod present;
pub mod recording;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod serve;
pub mod summary;
pub mod templates;
pub mod timings;
pub mod vocab;
pub mod workspace;
