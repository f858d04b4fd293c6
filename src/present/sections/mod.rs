//! The sections of the report, one file per part of the method, each built from the
//! analysis or the assessment it presents:
//!
//! | section | presents |
//! |---|---|
//! | [`synthesis`] | headline figures, top findings, the consultant's summary |
//! | [`dashboard`] | every headline indicator against objective, landing and last year |
//! | [`revenue`] | [`crate::analysis::revenue`], monthly series of [`crate::analysis::cuts`] |
//! | [`portfolio`] | [`crate::analysis::pareto`] |
//! | [`leads`] | [`crate::analysis::leads`] |
//! | [`former`] | [`crate::analysis::former`] |
//! | [`time`] | [`crate::analysis::time`] |
//! | [`cuts`] | [`crate::analysis::cuts`] |
//! | [`improvement`] | [`crate::assess::findings`] |
//! | [`plan`] | the action plan, [`crate::assess::followup`] |
//! | [`measurement`] | [`crate::analysis::objectives`], [`crate::assess::followup`] |
//! | [`external`] | [`crate::assess::acquisitions`] |
//! | [`annex`] | definitions, data quality ([`crate::analysis::quality`]), provenance |
//!
//! A section decides what is shown and in which order; the builder decides how a label
//! or a figure is written.

pub mod annex;
pub mod cuts;
pub mod dashboard;
pub mod evolution;
pub mod external;
pub mod former;
pub mod improvement;
pub mod leads;
pub mod measurement;
pub mod plan;
pub mod portfolio;
pub mod revenue;
pub mod synthesis;
pub mod time;
