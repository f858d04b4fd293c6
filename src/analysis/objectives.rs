//! Objectives achievement (analyses.md, "Objectives achievement"): every numeric
//! objective of objectives.toml against its actual figure, with a linear projection to
//! the end of the fiscal year for cumulative figures.
//!
//! Keys, in this order (only the objectives written in objectives.toml appear):
//! `revenue.total`, `revenue.conquest`, `revenue.retention`, `revenue.reconquest`,
//! `leads.total`, `leads.by_source.<source>`, `leads.conversion_rate`, `clients.new`,
//! then per `[[rep]]` in file order `rep.<id>.revenue`, `.conquest`, `.retention`,
//! `.reconquest`, `.new_clients`, `.leads`.
//!
//! Decisions where analyses.md is silent:
//! - A rep's revenue figures are those of `revenue.split_by_rep` (the sales line's
//!   rep); a rep's `new_clients` counts the new clients with an FY line by that rep
//!   (a client served by two reps counts for both); `leads` the FY leads whose rep is
//!   the rep. A rep with objectives but no line has an actual of 0, not null.
//! - `actual` is null when its table is missing (leads without a leads table) or the
//!   figure is undefined (a conversion rate without leads); then `achievement` and
//!   `projection` are null too.
//! - `achievement` = actual / target, null when the target is 0.
//! - `projection` = actual / elapsed_share for money and counts, null for rates (and
//!   when nothing of the year has elapsed). A count's projection is fractional.
//! - `unit` says how to read the figures: `money`, `count` or `rate`.
//! - `projection_seasonal` (analyses.md, "Seasonal projection") = actual ×
//!   revenue.previous_total / revenue.previous_to_date for revenue lines (the total, the
//!   3 CA, a rep's revenue figures), `projection` for counts, null for rates. It is null
//!   when the sales data do not cover FY-1 from its first month (the first sales line is
//!   after FY-1's first month) or previous_to_date <= 0. One profile for every revenue
//!   line: a category's or a rep's own FY-1 months are too few to carry a season.
//! - [`ObjectiveLine::landing`] is the year-end landing the reports show and rules R1,
//!   R2 and R10 compare with: the seasonal projection when `[settings] projection =
//!   "seasonal"` (the default) and it is computable, else the linear one.
//! - Budget lines are not objectives; time allocation keys are compared in `time`.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::figures::{Money, Quantity, Rate, count, ratio};
use super::leads::Leads;
use super::periods::Periods;
use super::revenue::RevenueAnalysis;
use crate::engagement::{Engagement, ProjectionMethod};
use crate::vocab::{LeadSource, Vocabulary};

/// A revenue objective of objectives.toml: the year's total or one of the 3 CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevenueObjective {
    Total,
    Conquest,
    Retention,
    Reconquest,
}

impl RevenueObjective {
    /// The 3 CA, in the method's order.
    pub const CATEGORIES: [RevenueObjective; 3] = [
        RevenueObjective::Conquest,
        RevenueObjective::Retention,
        RevenueObjective::Reconquest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RevenueObjective::Total => "total",
            RevenueObjective::Conquest => "conquest",
            RevenueObjective::Retention => "retention",
            RevenueObjective::Reconquest => "reconquest",
        }
    }
}

/// An objective of a salesperson's `[[rep]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepObjective {
    Revenue,
    Conquest,
    Retention,
    Reconquest,
    NewClients,
    Leads,
}

impl RepObjective {
    pub fn name(self) -> &'static str {
        match self {
            RepObjective::Revenue => "revenue",
            RepObjective::Conquest => "conquest",
            RepObjective::Retention => "retention",
            RepObjective::Reconquest => "reconquest",
            RepObjective::NewClients => "new_clients",
            RepObjective::Leads => "leads",
        }
    }
}

/// What an objective line measures. The assessment and the report find lines by it;
/// metrics.json writes it as a dotted key (`revenue.total`, `leads.by_source.online`,
/// `rep.SL.new_clients`, see the module docs), which is what `Display` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectiveKey {
    Revenue(RevenueObjective),
    Leads,
    LeadsFrom(LeadSource),
    ConversionRate,
    NewClients,
    Rep(String, RepObjective),
}

impl ObjectiveKey {
    /// The salesperson the objective is theirs, if any.
    pub fn rep(&self) -> Option<&str> {
        match self {
            ObjectiveKey::Rep(rep, _) => Some(rep),
            _ => None,
        }
    }
}

impl fmt::Display for ObjectiveKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectiveKey::Revenue(r) => write!(f, "revenue.{}", r.name()),
            ObjectiveKey::Leads => f.write_str("leads.total"),
            ObjectiveKey::LeadsFrom(s) => write!(f, "leads.by_source.{}", s.name()),
            ObjectiveKey::ConversionRate => f.write_str("leads.conversion_rate"),
            ObjectiveKey::NewClients => f.write_str("clients.new"),
            ObjectiveKey::Rep(rep, o) => write!(f, "rep.{rep}.{}", o.name()),
        }
    }
}

impl Serialize for ObjectiveKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `key == "revenue.total"`, as the key reads in metrics.json.
impl PartialEq<&str> for ObjectiveKey {
    // Cold paths and tests only: clarity over an allocation.
    #[allow(clippy::cmp_owned)]
    fn eq(&self, other: &&str) -> bool {
        self.to_string() == *other
    }
}

/// How an objective's figures are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Money,
    Count,
    Rate,
}

/// A figure of an objective line, written as a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    Money(Money),
    Count(usize),
    Quantity(Quantity),
    Rate(Rate),
}

impl Figure {
    pub fn value(self) -> Decimal {
        match self {
            Figure::Money(m) => m.0,
            Figure::Count(n) => count(n),
            Figure::Quantity(q) => q.0,
            Figure::Rate(r) => r.0,
        }
    }
}

/// One objective with its achievement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveLine {
    pub key: ObjectiveKey,
    pub target: Figure,
    pub actual: Option<Figure>,
    /// actual / target.
    pub achievement: Option<Rate>,
    /// actual / elapsed_share, for money and counts.
    pub projection: Option<Figure>,
    pub unit: Unit,
    /// Last year's monthly profile applied to the actual (see the module docs).
    pub projection_seasonal: Option<Figure>,
    /// Whether [`ObjectiveLine::landing`] is the seasonal projection.
    #[serde(skip)]
    pub seasonal_landing: bool,
}

impl ObjectiveLine {
    /// The year-end landing: the seasonal projection where chosen and computable, else
    /// the linear one.
    pub fn landing(&self) -> Option<Figure> {
        if self.seasonal_landing {
            self.projection_seasonal
        } else {
            self.projection
        }
    }

    /// landing / target: where the year is heading against the objective (`None` for
    /// rates, which have no projection, and for a zero target).
    pub fn projected_achievement(&self) -> Option<Rate> {
        self.landing()
            .and_then(|p| ratio(p.value(), self.target.value()))
    }
}

/// The factor that turns a revenue to date into a seasonal year-end landing:
/// FY-1 total / FY-1 to the same date, when FY-1 is covered and that base is positive.
pub fn seasonal_factor(e: &Engagement, p: &Periods, revenue: &RevenueAnalysis) -> Option<Decimal> {
    let first_sale = e.sales.iter().map(|s| s.date).min()?;
    let covered = first_sale < super::periods::add_months(p.fy_1.first, 1);
    let base = revenue.figures.previous_to_date.0;
    if covered && base > Decimal::ZERO {
        revenue.figures.previous_total.0.checked_div(base)
    } else {
        None
    }
}

/// The method behind the year-end landings of a build: seasonal when chosen and
/// computable, else linear.
pub fn landing_method(chosen: ProjectionMethod, factor: Option<Decimal>) -> ProjectionMethod {
    match (chosen, factor) {
        (ProjectionMethod::Seasonal, Some(_)) => ProjectionMethod::Seasonal,
        _ => ProjectionMethod::Linear,
    }
}

fn line(
    key: ObjectiveKey,
    unit: Unit,
    target: Decimal,
    actual: Option<Figure>,
    elapsed: Decimal,
    seasonal: Option<Decimal>,
) -> ObjectiveLine {
    let target_figure = match unit {
        Unit::Money => Figure::Money(Money(target)),
        Unit::Count => Figure::Quantity(Quantity(target)),
        Unit::Rate => Figure::Rate(Rate(target)),
    };
    let achievement = actual.and_then(|a| ratio(a.value(), target));
    let projection = match unit {
        Unit::Rate => None,
        Unit::Money => {
            actual.and_then(|a| ratio(a.value(), elapsed).map(|r| Figure::Money(Money(r.0))))
        }
        Unit::Count => {
            actual.and_then(|a| ratio(a.value(), elapsed).map(|r| Figure::Quantity(Quantity(r.0))))
        }
    };
    let projection_seasonal = match unit {
        Unit::Rate => None,
        Unit::Money => {
            // Checked: a revenue near the loader's bound times a large seasonal factor
            // would overflow; the landing is then not computable rather than a panic.
            seasonal.and_then(|factor| {
                actual.and_then(|a| {
                    a.value()
                        .checked_mul(factor)
                        .map(|v| Figure::Money(Money(v)))
                })
            })
        }
        Unit::Count => seasonal.and(projection),
    };
    ObjectiveLine {
        key,
        target: target_figure,
        actual,
        achievement,
        projection,
        unit,
        projection_seasonal,
        seasonal_landing: seasonal.is_some(),
    }
}

pub fn analyse(
    e: &Engagement,
    p: &Periods,
    revenue: &RevenueAnalysis,
    leads: &Leads,
) -> Vec<ObjectiveLine> {
    let Some(o) = &e.objectives else {
        return Vec::new();
    };
    let elapsed = p.elapsed_share;
    let factor = seasonal_factor(e, p, revenue);
    let method = landing_method(e.settings.projection, factor);
    let mut out = Vec::new();
    let mut push =
        |key: ObjectiveKey, unit: Unit, target: Option<Decimal>, actual: Option<Figure>| {
            if let Some(t) = target {
                let mut l = line(key, unit, t, actual, elapsed, factor);
                l.seasonal_landing = method == ProjectionMethod::Seasonal;
                out.push(l);
            }
        };
    let f = &revenue.figures;
    let money = |m: Money| Some(Figure::Money(m));
    push(
        ObjectiveKey::Revenue(RevenueObjective::Total),
        Unit::Money,
        o.revenue.total,
        money(f.total),
    );
    push(
        ObjectiveKey::Revenue(RevenueObjective::Conquest),
        Unit::Money,
        o.revenue.conquest,
        money(f.conquest),
    );
    push(
        ObjectiveKey::Revenue(RevenueObjective::Retention),
        Unit::Money,
        o.revenue.retention,
        money(f.retention),
    );
    push(
        ObjectiveKey::Revenue(RevenueObjective::Reconquest),
        Unit::Money,
        o.revenue.reconquest,
        money(f.reconquest),
    );
    push(
        ObjectiveKey::Leads,
        Unit::Count,
        o.leads.total,
        leads.total.stats.count.map(Figure::Count),
    );
    for (source, target) in &o.leads.by_source {
        let actual = leads
            .by_source
            .get(source)
            .and_then(|s| s.stats.count)
            .map(Figure::Count);
        push(
            ObjectiveKey::LeadsFrom(*source),
            Unit::Count,
            Some(*target),
            actual,
        );
    }
    push(
        ObjectiveKey::ConversionRate,
        Unit::Rate,
        o.leads.conversion_rate,
        leads.total.stats.conversion_rate.map(Figure::Rate),
    );
    push(
        ObjectiveKey::NewClients,
        Unit::Count,
        o.new_clients,
        Some(Figure::Count(revenue.clients.new)),
    );
    for rep in &o.reps {
        let split = revenue
            .split_by_rep
            .get(rep.id.as_str())
            .cloned()
            .unwrap_or_default();
        let rep_key = |o: RepObjective| ObjectiveKey::Rep(rep.id.clone(), o);
        push(
            rep_key(RepObjective::Revenue),
            Unit::Money,
            rep.revenue,
            money(split.total),
        );
        push(
            rep_key(RepObjective::Conquest),
            Unit::Money,
            rep.conquest,
            money(split.conquest),
        );
        push(
            rep_key(RepObjective::Retention),
            Unit::Money,
            rep.retention,
            money(split.retention),
        );
        push(
            rep_key(RepObjective::Reconquest),
            Unit::Money,
            rep.reconquest,
            money(split.reconquest),
        );
        push(
            rep_key(RepObjective::NewClients),
            Unit::Count,
            rep.new_clients,
            Some(Figure::Count(split.clients.new)),
        );
        // With a leads table, a rep without leads has 0; without one, null.
        let rep_leads = leads.total.stats.count.map(|_| {
            Figure::Count(
                leads
                    .by_rep
                    .get(rep.id.as_str())
                    .and_then(|s| s.count)
                    .unwrap_or(0),
            )
        });
        push(
            rep_key(RepObjective::Leads),
            Unit::Count,
            rep.leads,
            rep_leads,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::clients::ClientIndex;
    use crate::analysis::testing::{EngagementBuilder, dec};
    use crate::analysis::{leads, revenue};
    use crate::engagement::Objectives;
    use crate::engagement::objectives::RepObjectives;
    use crate::vocab::{LeadSource, LeadStage};

    fn rep(id: &str) -> RepObjectives {
        RepObjectives {
            id: id.into(),
            ..RepObjectives::default()
        }
    }

    fn objectives() -> Objectives {
        let mut o = Objectives::default();
        o.revenue.total = Some(dec("1000"));
        o.revenue.conquest = Some(dec("0"));
        o.leads.total = Some(dec("10"));
        o.leads.conversion_rate = Some(dec("0.25"));
        o.leads.by_source.insert(LeadSource::Online, dec("4"));
        o.new_clients = Some(dec("4"));
        o.budget.insert("marketing_online".into(), dec("100"));
        let mut jd = rep("JD");
        jd.revenue = Some(dec("400"));
        jd.new_clients = Some(dec("2"));
        jd.leads = Some(dec("5"));
        o.reps.push(jd);
        let mut ghost = rep("GHOST");
        ghost.revenue = Some(dec("100"));
        o.reps.push(ghost);
        o
    }

    fn run(e: &Engagement) -> Vec<ObjectiveLine> {
        let p = Periods::of(e);
        let idx = ClientIndex::build(e, &p);
        let r = revenue::analyse(e, &p, &idx);
        let l = leads::analyse(e, &p);
        analyse(e, &p, &r, &l)
    }

    fn find<'a>(lines: &'a [ObjectiveLine], key: &str) -> &'a ObjectiveLine {
        lines
            .iter()
            .find(|l| l.key == key)
            .unwrap_or_else(|| panic!("{key}"))
    }

    #[test]
    fn achievement_and_projection() {
        // FY 2024 (366 days), as_of 2024-04-30: 121 days elapsed.
        let e = EngagementBuilder::new("2024-01-01")
            .as_of("2024-04-30")
            .objectives(objectives())
            .sale_by("2024-02-01", "C1", "200", "JD")
            .sale_by("2024-03-01", "C2", "100", "MK")
            .lead(
                "2024-02-01",
                Some(LeadSource::Online),
                LeadStage::Won,
                |l| l.rep("JD"),
            )
            .lead(
                "2024-02-02",
                Some(LeadSource::Offline),
                LeadStage::New,
                |l| l,
            )
            .build();
        let lines = run(&e);
        let keys: Vec<String> = lines.iter().map(|l| l.key.to_string()).collect();
        assert_eq!(
            keys,
            [
                "revenue.total",
                "revenue.conquest",
                "leads.total",
                "leads.by_source.online",
                "leads.conversion_rate",
                "clients.new",
                "rep.JD.revenue",
                "rep.JD.new_clients",
                "rep.JD.leads",
                "rep.GHOST.revenue",
            ]
        );
        let elapsed = dec("121") / dec("366");
        let total = find(&lines, "revenue.total");
        assert_eq!(total.actual, Some(Figure::Money(Money(dec("300")))));
        assert_eq!(total.achievement, Some(Rate(dec("0.3"))));
        assert_eq!(
            total.projection,
            Some(Figure::Money(Money(dec("300") / elapsed)))
        );
        // A zero target: achievement undefined.
        assert_eq!(find(&lines, "revenue.conquest").achievement, None);
        let conv = find(&lines, "leads.conversion_rate");
        assert_eq!(conv.actual, Some(Figure::Rate(Rate(dec("0.5")))));
        assert_eq!(conv.achievement, Some(Rate(dec("2"))));
        assert_eq!(conv.projection, None);
        let online = find(&lines, "leads.by_source.online");
        assert_eq!(online.actual, Some(Figure::Count(1)));
        assert_eq!(online.achievement, Some(Rate(dec("0.25"))));
        assert_eq!(find(&lines, "clients.new").actual, Some(Figure::Count(2)));
        assert_eq!(
            find(&lines, "rep.JD.revenue").actual,
            Some(Figure::Money(Money(dec("200"))))
        );
        assert_eq!(
            find(&lines, "rep.JD.new_clients").actual,
            Some(Figure::Count(1))
        );
        assert_eq!(find(&lines, "rep.JD.leads").actual, Some(Figure::Count(1)));
        assert_eq!(
            find(&lines, "rep.GHOST.revenue").actual,
            Some(Figure::Money(Money::default()))
        );
        let json = serde_json::to_value(find(&lines, "leads.total")).unwrap();
        assert_eq!(json["target"], serde_json::json!(10.0));
        assert_eq!(json["actual"], serde_json::json!(2));
        assert_eq!(json["unit"], "count");
    }

    fn seasonal_year(first_fy_1_sale: &str) -> EngagementBuilder {
        // FY-1: 100 on the first sale, 100 by June, 200 in the autumn: by 30 June last
        // year had made half its year, so the seasonal factor is 2.
        EngagementBuilder::new("2024-01-01")
            .as_of("2024-06-30")
            .objectives(objectives())
            .sale(first_fy_1_sale, "C1", "100")
            .sale("2023-03-01", "C1", "100")
            .sale("2023-09-01", "C1", "200")
            .sale_by("2024-02-01", "C1", "300", "JD")
            .lead(
                "2024-02-01",
                Some(LeadSource::Online),
                LeadStage::Won,
                |l| l,
            )
    }

    #[test]
    fn seasonal_projection_scales_revenue_by_last_years_profile() {
        let lines = run(&seasonal_year("2023-01-15").build());
        let total = find(&lines, "revenue.total");
        assert_eq!(
            total.projection_seasonal,
            Some(Figure::Money(Money(dec("600"))))
        );
        assert_eq!(total.landing(), total.projection_seasonal);
        assert_ne!(total.landing(), total.projection);
        assert_eq!(total.projected_achievement(), Some(Rate(dec("0.6"))));
        // A rep's revenue follows the same profile; counts keep the linear pace.
        assert_eq!(
            find(&lines, "rep.JD.revenue").projection_seasonal,
            Some(Figure::Money(Money(dec("600"))))
        );
        let leads = find(&lines, "leads.total");
        assert_eq!(leads.projection_seasonal, leads.projection);
        assert_eq!(
            find(&lines, "leads.conversion_rate").projection_seasonal,
            None
        );
        let json = serde_json::to_value(total).unwrap();
        assert_eq!(json["projection_seasonal"], serde_json::json!(600.0));
        assert!(json.get("seasonal_landing").is_none());
    }

    #[test]
    fn seasonal_projection_is_null_when_last_year_is_not_covered() {
        // The first sale falls after FY-1's first month: no season to read.
        let lines = run(&seasonal_year("2023-02-10").build());
        let total = find(&lines, "revenue.total");
        assert_eq!(total.projection_seasonal, None);
        assert_eq!(total.landing(), total.projection);
    }

    #[test]
    fn linear_setting_keeps_the_linear_landing() {
        let e = seasonal_year("2023-01-15")
            .settings(|s| s.projection = ProjectionMethod::Linear)
            .build();
        let lines = run(&e);
        let total = find(&lines, "revenue.total");
        assert_eq!(
            total.projection_seasonal,
            Some(Figure::Money(Money(dec("600"))))
        );
        assert_eq!(total.landing(), total.projection);
    }

    #[test]
    fn lead_objectives_without_leads_table_are_null() {
        let e = EngagementBuilder::new("2025-01-01")
            .objectives(objectives())
            .sale("2025-02-01", "C1", "1")
            .build();
        let lines = run(&e);
        let total = find(&lines, "leads.total");
        assert_eq!(total.actual, None);
        assert_eq!(total.achievement, None);
        assert_eq!(total.projection, None);
        assert_eq!(find(&lines, "rep.JD.leads").actual, None);
        assert_eq!(find(&lines, "leads.by_source.online").actual, None);
    }

    #[test]
    fn no_objectives_no_lines() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "C1", "1")
            .build();
        assert!(run(&e).is_empty());
    }
}
