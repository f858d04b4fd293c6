//! Time allocation (analyses.md, "Time allocation"): hours per activity, in total and
//! per rep, against the objectives' time allocation key.
//!
//! Decisions where analyses.md is silent:
//! - Activities counted are those dated in FY to date (FY start to as_of).
//! - `by_activity` lists every activity of the vocabulary once an activities table
//!   exists (0 hours when none), so the report's table has a fixed shape; `call` and
//!   `email` (format v1.1) only when they have hours or a target share.
//! - `target_share` is the key's share for that activity: the general key for the
//!   total, a rep's own key (the general key with the rep's overrides) for a rep. An
//!   activity absent from the key has a null target and a null gap (an absent
//!   activity is not read as a 0 target, since a rep's overrides need not sum to 1).
//! - `gap_pts` = (share − target_share) × 100, null when either is null.
//! - `visits_by_target` gives the hours of `visit` activities per target, with
//!   `unknown` for visits without one; every key is always listed.
//! - Without an activities table: `total_hours` is null, the maps are empty, and
//!   `unavailable` says so.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::figures::{Quantity, Rate, ratio};
use super::periods::Periods;
use super::slots::{self, CutKey};
use crate::engagement::Engagement;
use crate::engagement::objectives::TimeKey;
use crate::vocab::{ActivityKind, VisitTarget, Vocabulary};

/// Hours of one activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityTime {
    pub hours: Quantity,
    /// hours / total hours.
    pub share: Option<Rate>,
    pub target_share: Option<Rate>,
    /// (share − target_share) × 100.
    pub gap_pts: Option<Quantity>,
}

/// The time allocation of one rep or of the whole team.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeAllocation {
    pub total_hours: Option<Quantity>,
    pub by_activity: BTreeMap<ActivityKind, ActivityTime>,
    pub visits_by_target: BTreeMap<CutKey, Quantity>,
}

/// The `time` block of metrics.json.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Time {
    #[serde(flatten)]
    pub total: TimeAllocation,
    pub by_rep: BTreeMap<CutKey, TimeAllocation>,
}

const KINDS: usize = 9;
const TARGETS: usize = 5; // the four targets, then unknown

#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    used: bool,
    hours: [Decimal; KINDS],
    visits: [Decimal; TARGETS],
}

impl Acc {
    fn merge(&mut self, o: Acc) {
        for i in 0..KINDS {
            self.hours[i] += o.hours[i];
        }
        for i in 0..TARGETS {
            self.visits[i] += o.visits[i];
        }
    }

    fn allocation(&self, key: &TimeKey) -> TimeAllocation {
        let total: Decimal = self.hours.iter().sum();
        let by_activity = ActivityKind::ALL
            .iter()
            // Remote selling (format v1.1) is listed where it is logged or planned, so
            // that teams without calls or e-mails keep the table they had.
            .filter(|&&kind| {
                !matches!(kind, ActivityKind::Call | ActivityKind::Email)
                    || !self.hours[kind as usize].is_zero()
                    || key.contains_key(&kind)
            })
            .map(|&kind| {
                let hours = self.hours[kind as usize];
                let share = ratio(hours, total);
                let target = key.get(&kind).copied();
                let gap = match (share, target) {
                    (Some(s), Some(t)) => Some(Quantity((s.0 - t) * Decimal::ONE_HUNDRED)),
                    _ => None,
                };
                (
                    kind,
                    ActivityTime {
                        hours: Quantity(hours),
                        share,
                        target_share: target.map(Rate),
                        gap_pts: gap,
                    },
                )
            })
            .collect();
        let visits_by_target = VisitTarget::ALL
            .iter()
            .map(|t| CutKey::named(t.name()))
            .chain([CutKey::Unknown])
            .zip(self.visits.iter().map(|h| Quantity(*h)))
            .collect();
        TimeAllocation {
            total_hours: Some(Quantity(total)),
            by_activity,
            visits_by_target,
        }
    }
}

pub fn analyse(e: &Engagement, p: &Periods) -> Time {
    let Some(activities) = &e.activities else {
        return Time::default();
    };
    debug_assert_eq!(ActivityKind::ALL.len(), KINDS);
    debug_assert_eq!(VisitTarget::ALL.len() + 1, TARGETS);
    let mut total = Acc::default();
    let mut reps = slots::slots(e, Acc::default());
    for a in activities {
        if !p.in_fy(a.date) {
            continue;
        }
        let kind = a.kind as usize;
        let target = a.target.map_or(TARGETS - 1, |t| t as usize);
        for acc in [&mut total, &mut reps[slots::slot(Some(a.rep))]] {
            acc.used = true;
            acc.hours[kind] += a.hours;
            if a.kind == ActivityKind::Visit {
                acc.visits[target] += a.hours;
            }
        }
    }
    let general = e
        .objectives
        .as_ref()
        .map(|o| o.time_allocation.clone())
        .unwrap_or_default();
    let by_rep = slots::resolve(e, reps, |a| a.used, Acc::merge)
        .into_iter()
        .map(|(rep, acc)| {
            let key = e
                .objectives
                .as_ref()
                .map(|o| o.time_key_for(rep.as_str()))
                .unwrap_or_default();
            let allocation = acc.allocation(&key);
            (rep, allocation)
        })
        .collect();
    Time {
        total: total.allocation(&general),
        by_rep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{EngagementBuilder, dec};
    use crate::engagement::Objectives;
    use crate::engagement::objectives::RepObjectives;
    use ActivityKind::*;

    fn q(s: &str) -> Quantity {
        Quantity(dec(s))
    }

    fn sample() -> Engagement {
        let mut o = Objectives {
            time_allocation: [(Visit, dec("0.5")), (Admin, dec("0.5"))].into(),
            ..Objectives::default()
        };
        o.reps.push(RepObjectives {
            id: "JD".into(),
            time_allocation: [(Visit, dec("0.8"))].into(),
            ..RepObjectives::default()
        });
        EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            .sale("2025-06-30", "C1", "1")
            .objectives(o)
            .activity(
                "2025-01-02",
                "JD",
                Visit,
                "6",
                Some(VisitTarget::Prospect),
                None,
            )
            .activity("2025-01-03", "JD", Visit, "2", None, None)
            .activity("2025-01-03", "JD", Admin, "2", None, None)
            .activity("2025-02-03", "MK", Admin, "1", None, None)
            .activity("2025-02-04", "MK", Meeting, "1.5", None, None)
            .activity("2025-07-01", "MK", Visit, "100", None, None) // after as_of
            .activity("2024-12-31", "MK", Visit, "100", None, None) // before FY
            .build()
    }

    #[test]
    fn total_allocation_against_the_general_key() {
        let t = analyse(&sample(), &Periods::of(&sample()));
        assert_eq!(t.total.total_hours, Some(q("12.5")));
        let visit = &t.total.by_activity[&Visit];
        assert_eq!(visit.hours, q("8"));
        assert_eq!(visit.share, Some(Rate(dec("0.64"))));
        assert_eq!(visit.target_share, Some(Rate(dec("0.5"))));
        assert_eq!(visit.gap_pts, Some(q("14")));
        let meeting = &t.total.by_activity[&Meeting];
        assert_eq!(meeting.target_share, None);
        assert_eq!(meeting.gap_pts, None);
        assert_eq!(t.total.by_activity[&TradeShow].hours, q("0"));
        assert_eq!(t.total.by_activity.len(), 7);
        assert_eq!(t.total.visits_by_target["prospect"], q("6"));
        assert_eq!(t.total.visits_by_target["unknown"], q("2"));
        assert_eq!(t.total.visits_by_target["client"], q("0"));
    }

    #[test]
    fn reps_use_their_own_key() {
        let t = analyse(&sample(), &Periods::of(&sample()));
        let jd = &t.by_rep["JD"];
        assert_eq!(jd.total_hours, Some(q("10")));
        assert_eq!(jd.by_activity[&Visit].target_share, Some(Rate(dec("0.8"))));
        assert_eq!(jd.by_activity[&Visit].gap_pts, Some(q("0")));
        // JD's admin target comes from the general key.
        assert_eq!(jd.by_activity[&Admin].target_share, Some(Rate(dec("0.5"))));
        assert_eq!(jd.by_activity[&Admin].gap_pts, Some(q("-30")));
        let mk = &t.by_rep["MK"];
        assert_eq!(mk.by_activity[&Visit].target_share, Some(Rate(dec("0.5"))));
        assert_eq!(mk.by_activity[&Visit].share, Some(Rate(dec("0"))));
    }

    #[test]
    fn no_activities_table_and_no_hours() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-01-02", "C1", "1")
            .build();
        let t = analyse(&e, &Periods::of(&e));
        assert_eq!(t.total.total_hours, None);
        assert!(t.total.by_activity.is_empty() && t.by_rep.is_empty());

        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-01-02", "C1", "1")
            .activities_table()
            .build();
        let t = analyse(&e, &Periods::of(&e));
        assert_eq!(t.total.total_hours, Some(q("0")));
        assert_eq!(t.total.by_activity[&Visit].share, None);
    }
}
