//! The analyses of analyses.md, as pure functions from an [`Engagement`] to [`Metrics`].
//!
//! One module per analysis, each a pure function tested beside its code:
//!
//! - [`periods`]: FY, FY-1, as_of, the same period of FY-1, elapsed share;
//! - [`clients`]: the per-client index every other analysis reads, built in one pass;
//! - [`revenue`]: the 3 CA, lost revenue, growth, client counts, splits per rep/zone;
//! - [`cuts`]: monthly series and FY-to-date vs FY-1 by rep, zone, segment, product;
//! - [`pareto`]: ABC classes, maturity, contact effort and their matrices;
//! - [`leads`]: volume, conversion, cost per lead, funnel, prescribers;
//! - [`former`]: former clients, the reconquest target list;
//! - [`time`]: time allocation against the objectives' key;
//! - [`objectives`]: achievement and projection of each numeric objective;
//! - [`quality`]: data quality (what was read, ignored or doubtful).
//!
//! Decisions that hold for every module:
//! - Money is summed exactly in `Decimal`; rounding happens only when writing
//!   metrics.json ([`figures`]): money 2 dp, rates 4 dp, half away from zero.
//! - A figure that cannot be computed (zero denominator, missing table) is `null`,
//!   never 0. A missing optional table (clients, leads, activities, objectives) keeps
//!   every key of its block (nulls, empty maps) and adds an entry to
//!   [`Metrics::unavailable`], so the report can say so in one line.
//! - "FY" means FY to date (FY start to as_of) for sales, leads and activities; sales
//!   lines after as_of are ignored (and counted in `data_quality`).
//! - Keyed maps are `BTreeMap`s (stable order); ties are broken by names or client ids,
//!   never by interning order, so results do not depend on the order of the rows.
//! - Dates are written "YYYY-MM-DD", months "YYYY-MM"; vocabulary keys (lead sources,
//!   stages, activities) use their canonical snake_case names (`sales_action`,
//!   `trade_show`); ABC classes are "A", "B", "C"; an empty rep, product, zone or
//!   segment is [`UNKNOWN`].
//! - [`Metrics`] holds figures only. Findings, the action follow-up, acquisition
//!   scores and qualitative objectives are the assessment's (a later stage), and
//!   metrics.json is written from both (the assessment's `MetricsFile`).
//! - Hot loops aggregate by interned ids in dense vectors; names are resolved at the
//!   end. Everything is linear in the number of rows.

pub mod clients;
pub mod cuts;
pub mod figures;
pub mod former;
pub mod leads;
pub mod objectives;
pub mod pareto;
pub mod periods;
pub mod quality;
pub mod revenue;
mod slots;
pub mod time;

#[cfg(test)]
pub(crate) mod testing;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engagement::Engagement;
use clients::ClientIndex;
use figures::Rate;
use periods::Periods;

pub use slots::{CutKey, UNKNOWN};

/// The schema name written in metrics.json.
pub const SCHEMA: &str = "levier.metrics/1";

/// First and last day (inclusive) of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl From<periods::DateRange> for Span {
    fn from(r: periods::DateRange) -> Span {
        Span {
            start: r.first,
            end: r.last,
        }
    }
}

/// The periods behind the figures, for the report's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeriodSpans {
    pub fy_to_date: Span,
    pub fy_1: Span,
    pub fy_1_to_date: Span,
    /// FY start − dormancy_months: purchases before it make a client "former".
    pub dormancy_start: NaiveDate,
}

/// The `revenue` block: the 3 CA and growth, the cuts, the splits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revenue {
    #[serde(flatten)]
    pub figures: revenue::RevenueFigures,
    #[serde(flatten)]
    pub cuts: cuts::Cuts,
    pub split_by_rep: BTreeMap<CutKey, revenue::Split>,
    /// Empty without a clients table.
    pub split_by_zone: BTreeMap<CutKey, revenue::Split>,
}

/// An analysis that could not be made (fully), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unavailable {
    /// The metrics.json key (or block) affected.
    pub analysis: &'static str,
    pub reason: String,
}

/// Every computed figure, the first part of metrics.json (schema `levier.metrics/1`).
///
/// Field order is the JSON key order: analyses.md's list, then additions. metrics.json
/// interleaves the assessment's blocks after `objectives` (the assessment's
/// `MetricsFile` lists the keys); a new figure is added there too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub schema: &'static str,
    pub engagement: String,
    pub client: String,
    pub currency: String,
    pub fiscal_year: Span,
    pub as_of: NaiveDate,
    pub elapsed_share: Rate,
    pub revenue: Revenue,
    pub clients: revenue::ClientCounts,
    pub pareto: pareto::Pareto,
    pub leads: leads::Leads,
    pub time: time::Time,
    pub former_clients: former::FormerClients,
    pub objectives: Vec<objectives::ObjectiveLine>,
    /// The method of the year-end landings (`seasonal`, or `linear` when chosen or when
    /// FY-1 does not allow the seasonal one): analyses.md, "Seasonal projection".
    pub projection_method: crate::engagement::ProjectionMethod,
    pub data_quality: quality::DataQuality,
    pub periods: PeriodSpans,
    pub unavailable: Vec<Unavailable>,
}

pub fn analyse(e: &Engagement) -> Metrics {
    let p = Periods::of(e);
    let idx = ClientIndex::build(e, &p);
    let rev = revenue::analyse(e, &p, &idx);
    let mut cuts = cuts::analyse(e, &p, &idx);
    let pareto = pareto::analyse(e, &p, &idx);
    let leads = leads::analyse(e, &p);
    let time = time::analyse(e, &p);
    let former_clients = former::analyse(e, &p, &idx);
    let objectives = objectives::analyse(e, &p, &rev, &leads);
    let seasonal = objectives::seasonal_factor(e, &p, &rev);
    cuts.project(p.elapsed_share, seasonal);
    let projection_method = objectives::landing_method(e.settings.projection, seasonal);
    let data_quality = quality::analyse(e, &p, &idx);
    let unavailable = unavailable(e, &p, &idx);
    Metrics {
        schema: SCHEMA,
        engagement: e.slug.clone(),
        client: e.info.client.clone(),
        currency: e.info.currency.clone(),
        fiscal_year: p.fy.into(),
        as_of: p.as_of,
        elapsed_share: Rate(p.elapsed_share),
        revenue: Revenue {
            figures: rev.figures,
            cuts,
            split_by_rep: rev.split_by_rep,
            split_by_zone: rev.split_by_zone.unwrap_or_default(),
        },
        clients: rev.clients,
        pareto,
        leads,
        time,
        former_clients,
        objectives,
        projection_method,
        data_quality,
        periods: PeriodSpans {
            fy_to_date: p.fy_to_date.into(),
            fy_1: p.fy_1.into(),
            fy_1_to_date: p.fy_1_to_date.into(),
            dormancy_start: idx.dormancy_start,
        },
        unavailable,
    }
}

/// What could not be computed for lack of a table or of history.
fn unavailable(e: &Engagement, p: &Periods, idx: &ClientIndex) -> Vec<Unavailable> {
    let mut out = Vec::new();
    let mut add = |analysis: &'static str, reason: &str| {
        out.push(Unavailable {
            analysis,
            reason: reason.to_string(),
        })
    };
    // The 3 CA need history: without sales before the dormancy window, a retained
    // client cannot be told from a reconquered one (nor a new one, without any).
    let first_sale = e.sales.iter().map(|s| s.date).min();
    match first_sale {
        Some(d) if d >= p.fy.first => add(
            "revenue.categories",
            "no sales before the fiscal year: every client counts as new",
        ),
        Some(d) if d > idx.dormancy_start => add(
            "revenue.categories",
            &format!(
                "sales history starts on {d}, less than dormancy_months before the fiscal \
                 year: some retained or reconquered clients may count as new, and lost \
                 clients be undercounted"
            ),
        ),
        _ => {}
    }
    if e.clients.is_none() {
        for analysis in [
            "revenue.by_zone",
            "revenue.by_segment",
            "revenue.split_by_zone",
        ] {
            add(analysis, "no clients table");
        }
    }
    if e.leads.is_none() {
        add("leads", "no leads table");
    }
    if e.activities.is_none() {
        add("time", "no activities table");
        add("pareto.effort", "no activities table");
    }
    if e.objectives.is_none() {
        add("objectives", "no objectives.toml");
    }
    out
}

#[cfg(test)]
mod tests;
