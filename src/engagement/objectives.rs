//! `objectives.toml`: the fiscal year's targets, budgets, the allocation per salesperson
//! ("affectation des objectifs") and qualitative objectives.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::toml_reader::{Sourced, TableView, TomlFile};
use crate::vocab::{ActivityKind, LeadSource, Status, Vocabulary};

/// `[revenue]`: the fiscal year's revenue objectives, any subset.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RevenueObjectives {
    pub total: Option<Decimal>,
    pub conquest: Option<Decimal>,
    pub retention: Option<Decimal>,
    pub reconquest: Option<Decimal>,
}

/// `[leads]`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LeadObjectives {
    pub total: Option<Decimal>,
    pub conversion_rate: Option<Decimal>,
    pub by_source: BTreeMap<LeadSource, Decimal>,
}

/// A time allocation key: target share of hours per activity.
pub type TimeKey = BTreeMap<ActivityKind, Decimal>;

/// One `[[rep]]` entry: a salesperson's own objectives.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RepObjectives {
    pub id: String,
    pub name: Option<String>,
    pub zone: Option<String>,
    pub revenue: Option<Decimal>,
    pub conquest: Option<Decimal>,
    pub retention: Option<Decimal>,
    pub reconquest: Option<Decimal>,
    pub new_clients: Option<Decimal>,
    pub leads: Option<Decimal>,
    /// Overrides of the general key for this salesperson.
    pub time_allocation: TimeKey,
}

/// One `[[qualitative]]` objective.
#[derive(Debug, Clone, Serialize)]
pub struct QualitativeObjective {
    pub objective: String,
    pub owner: Option<String>,
    pub status: Status,
}

/// Everything `objectives.toml` says.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Objectives {
    pub revenue: RevenueObjectives,
    pub leads: LeadObjectives,
    /// `[clients] new`.
    pub new_clients: Option<Decimal>,
    pub time_allocation: TimeKey,
    /// `[budget]`: any named budget line; `marketing_offline` and `marketing_online`
    /// also give the cost per lead of their channel.
    pub budget: BTreeMap<String, Decimal>,
    pub reps: Vec<RepObjectives>,
    pub qualitative: Vec<QualitativeObjective>,
}

impl Objectives {
    /// The key a salesperson is measured against: the general key with their overrides.
    pub fn time_key_for(&self, rep: &str) -> TimeKey {
        let mut key = self.time_allocation.clone();
        if let Some(r) = self.reps.iter().find(|r| r.id == rep) {
            key.extend(r.time_allocation.iter().map(|(k, v)| (*k, *v)));
        }
        key
    }
}

fn value(v: Option<Sourced<Decimal>>) -> Option<Decimal> {
    v.map(|v| v.value)
}

pub fn read(file: &TomlFile<'_>) -> Objectives {
    let doc = file.parse();
    let root = file.root(&doc);
    let mut o = Objectives::default();

    if let Some(t) = root.table("revenue") {
        o.revenue = RevenueObjectives {
            total: value(t.amount("total")),
            conquest: value(t.amount("conquest")),
            retention: value(t.amount("retention")),
            reconquest: value(t.amount("reconquest")),
        };
        t.finish();
    }
    if let Some(t) = root.table("leads") {
        o.leads.total = value(t.amount("total"));
        o.leads.conversion_rate = value(t.share("conversion_rate"));
        if let Some(by) = t.table("by_source") {
            let mut seen = std::collections::BTreeSet::new();
            for (key, v) in by.entries() {
                let name = key.get_ref().as_ref();
                match LeadSource::parse(name) {
                    Some(source) => {
                        let first = seen.insert(source);
                        let Some(d) = by.decimal_value(name, v) else {
                            continue;
                        };
                        if d.value.is_sign_negative() {
                            file.report(
                                d.origin
                                    .error(format!("`leads.by_source.{name}` must not be negative"))
                                    .label("expected a number of leads >= 0"),
                            );
                        } else if !first {
                            // `online` and `en_ligne` are the same source.
                            file.report(
                                file.error_at(
                                    key.span(),
                                    format!("lead source `{source}` is given twice"),
                                )
                                .label(format!(
                                    "`{name}` means `{source}`, already given in this table"
                                )),
                            );
                        } else {
                            o.leads.by_source.insert(source, d.value);
                        }
                    }
                    None => file.report(
                        file.error_at(key.span(), format!("unknown lead source `{name}`"))
                            .label(LeadSource::expected())
                            .did_you_mean(LeadSource::closest(name)),
                    ),
                }
            }
        }
        t.finish();
    }
    if let Some(t) = root.table("clients") {
        o.new_clients = value(t.amount("new"));
        t.finish();
    }
    if let Some(t) = root.table("time_allocation") {
        let (key, complete) = read_time_key(&t);
        o.time_allocation = key;
        let sum: Decimal = o.time_allocation.values().copied().sum();
        // The sum of a key with rejected entries (already reported) would be a wrong number.
        if complete
            && !o.time_allocation.is_empty()
            && (sum - Decimal::ONE).abs() > Decimal::new(1, 3)
        {
            file.report(
                file.error_at(t.span(), "the time allocation key must sum to 1")
                    .label(format!("these shares sum to {}", sum.normalize()))
                    .help("a key gives the target share of hours per activity, e.g. visit = 0.55"),
            );
        }
    }
    if let Some(t) = root.table("budget") {
        for (key, v) in t.entries() {
            let name = key.get_ref().to_string();
            if let Some(d) = t.decimal_value(&name, v) {
                if d.value.is_sign_negative() {
                    file.report(
                        d.origin
                            .error(format!("budget `{name}` must not be negative"))
                            .label("expected an amount >= 0"),
                    );
                } else {
                    o.budget.insert(name, d.value);
                }
            }
        }
    }
    for t in root.tables("rep") {
        let id = t.required_string("id", "\"JD\"");
        let rep = RepObjectives {
            id: id
                .as_ref()
                .map(|s| s.value.trim().to_string())
                .unwrap_or_default(),
            name: t.string("name").map(|s| s.value),
            zone: t.string("zone").map(|s| s.value),
            revenue: value(t.amount("revenue")),
            conquest: value(t.amount("conquest")),
            retention: value(t.amount("retention")),
            reconquest: value(t.amount("reconquest")),
            new_clients: value(t.amount("new_clients")),
            leads: value(t.amount("leads")),
            time_allocation: t
                .table("time_allocation")
                .map(|k| read_time_key(&k).0)
                .unwrap_or_default(),
        };
        t.finish();
        if let Some(id) = id {
            if o.reps.iter().any(|r| r.id == rep.id) {
                file.report(
                    id.origin
                        .error(format!("salesperson `{}` is listed twice", rep.id)),
                );
            } else {
                o.reps.push(rep);
            }
        }
    }
    for t in root.tables("qualitative") {
        let objective = t.required_string("objective", "\"Signer 5 partenaires prescripteurs\"");
        let owner = t.string("owner").map(|s| s.value);
        let status = t
            .word::<Status>("status")
            .map_or(Status::Planned, |s| s.value);
        t.finish();
        if let Some(objective) = objective {
            o.qualitative.push(QualitativeObjective {
                objective: objective.value,
                owner,
                status,
            });
        }
    }
    root.finish();
    o
}

/// Reads a time allocation key; the flag is false when an entry was rejected (and
/// reported), so that the caller does not also report a sum that misses it.
fn read_time_key(t: &TableView<'_, '_>) -> (TimeKey, bool) {
    let mut key = TimeKey::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut complete = true;
    let file = t.file();
    for (name, v) in t.entries() {
        let activity = name.get_ref().as_ref();
        match ActivityKind::parse(activity) {
            Some(kind) if !seen.insert(kind) => {
                // `visit` and `visite` are the same activity; the second would silently win.
                complete = false;
                file.report(
                    file.error_at(name.span(), format!("activity `{kind}` is given twice"))
                        .label(format!(
                            "`{activity}` means `{kind}`, already given in this table"
                        )),
                );
            }
            Some(kind) => {
                match t
                    .decimal_value(activity, v)
                    .and_then(|d| t.check_share(activity, d))
                {
                    Some(d) => {
                        key.insert(kind, d.value);
                    }
                    None => complete = false,
                }
            }
            None => {
                complete = false;
                file.report(
                    file.error_at(name.span(), format!("unknown activity `{activity}`"))
                        .label(ActivityKind::expected())
                        .did_you_mean(ActivityKind::closest(activity)),
                );
            }
        }
    }
    (key, complete)
}
