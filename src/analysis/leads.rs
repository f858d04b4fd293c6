//! Leads and conversion (analyses.md, "Leads and conversion"): volume, qualification,
//! conversion and win rates per source and in total, cost per lead, sales cycle,
//! the funnel, the monthly lead volume, prescribers and totals per rep.
//!
//! Decisions where analyses.md is silent:
//! - Leads counted are those dated in FY to date (FY start to as_of).
//! - A lead without a source counts under `other` (the loader warns about it; data
//!   quality counts them).
//! - `qualified` is the lead's own `qualified` cell when filled, else its stage is
//!   qualified, proposal or won. The funnel follows the stage (a lead at a stage
//!   reached it and every stage before it); the `qualified` cell only matters for lost
//!   leads, which reached `contacted`, and `qualified` when qualified. So
//!   `funnel.qualified` may differ from `total.qualified` when the cell contradicts the
//!   stage.
//! - `won_value` is the sum of `value` over won leads (an empty value counts 0).
//! - `median_cycle_days` is over won leads with a closed date on or after their date
//!   (others are ignored);
//!   null when there is none.
//! - `by_source` always lists the five sources once a leads table exists (zero counts,
//!   null rates), so that a kpi path such as `leads.by_source.online.count` exists.
//!   `cost_per_lead` is only defined for `offline` and `online` (their budget lines);
//!   null elsewhere, without a budget line, or without leads. `total.cost_per_lead` is
//!   the sum of the channel budgets given / the leads of those channels (the average
//!   cost of a lead of the budgeted channels), null without any channel budget.
//! - `by_month` gives the 12 months of the FY (see `cuts`), null after as_of.
//! - `prescribers` lists every prescriber named on a lead, ranked by leads, then won
//!   value, both descending, then name.
//! - `by_rep` is keyed by the lead's rep (`unknown` when empty).
//! - Without a leads table every count and rate is null, maps and lists are empty and
//!   `unavailable` says so.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::cuts::{month_bounds, month_index};
use super::figures::{Money, Quantity, Rate, count, ratio};
use super::periods::{Month, Periods};
use super::slots::{self, CutKey};
use crate::engagement::{Engagement, Lead};
use crate::vocab::{LeadSource, LeadStage};

/// Lead figures of one group (total, a source, a rep).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LeadStats {
    pub count: Option<usize>,
    pub qualified: Option<usize>,
    pub won: Option<usize>,
    pub lost: Option<usize>,
    /// count − won − lost.
    pub open: Option<usize>,
    /// qualified / count.
    pub qualified_rate: Option<Rate>,
    /// won / count.
    pub conversion_rate: Option<Rate>,
    /// won / (won + lost).
    pub win_rate: Option<Rate>,
    pub won_value: Option<Money>,
    pub median_cycle_days: Option<Quantity>,
}

/// A source's (or the total) figures, with the cost per lead.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceStats {
    #[serde(flatten)]
    pub stats: LeadStats,
    /// Channel budget / count (offline and online only; see the module docs for the
    /// total).
    pub cost_per_lead: Option<Money>,
}

/// How many leads reached each stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Funnel {
    pub new: Option<usize>,
    pub contacted: Option<usize>,
    pub qualified: Option<usize>,
    pub proposal: Option<usize>,
    pub won: Option<usize>,
}

/// Lead volume of one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthLeads {
    pub month: Month,
    pub count: Option<usize>,
}

/// A prescriber's leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrescriberLeads {
    pub prescriber: String,
    pub leads: usize,
    pub won: usize,
    pub won_value: Money,
}

/// The `leads` block of metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leads {
    pub total: SourceStats,
    pub by_source: BTreeMap<LeadSource, SourceStats>,
    pub funnel: Funnel,
    pub by_month: Vec<MonthLeads>,
    pub prescribers: Vec<PrescriberLeads>,
    pub by_rep: BTreeMap<CutKey, LeadStats>,
}

/// Whether a lead is qualified (see the module docs).
pub fn is_qualified(l: &Lead) -> bool {
    l.qualified.unwrap_or(matches!(
        l.stage,
        LeadStage::Qualified | LeadStage::Proposal | LeadStage::Won
    ))
}

/// The median of `values` (mean of the two middle values for an even count).
pub fn median(values: &mut [i64]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        Decimal::from(values[n / 2])
    } else {
        (Decimal::from(values[n / 2 - 1]) + Decimal::from(values[n / 2])) / Decimal::TWO
    })
}

#[derive(Debug, Clone, Default)]
struct Acc {
    count: usize,
    qualified: usize,
    won: usize,
    lost: usize,
    won_value: Decimal,
    cycles: Vec<i64>,
}

impl Acc {
    fn add(&mut self, l: &Lead) {
        self.count += 1;
        if is_qualified(l) {
            self.qualified += 1;
        }
        match l.stage {
            LeadStage::Won => {
                self.won += 1;
                self.won_value += l.value.unwrap_or_default();
                // A lead closed before it was created (entered after the fact) has no
                // cycle to measure; the loader warns about it.
                if let Some(c) = l.closed.filter(|c| *c >= l.date) {
                    self.cycles.push((c - l.date).num_days());
                }
            }
            LeadStage::Lost => self.lost += 1,
            _ => {}
        }
    }

    fn merge(&mut self, o: Acc) {
        self.count += o.count;
        self.qualified += o.qualified;
        self.won += o.won;
        self.lost += o.lost;
        self.won_value += o.won_value;
        self.cycles.extend(o.cycles);
    }

    fn stats(mut self) -> LeadStats {
        let (n, won, lost) = (count(self.count), count(self.won), count(self.lost));
        LeadStats {
            count: Some(self.count),
            qualified: Some(self.qualified),
            won: Some(self.won),
            lost: Some(self.lost),
            open: Some(self.count - self.won - self.lost),
            qualified_rate: ratio(count(self.qualified), n),
            conversion_rate: ratio(won, n),
            win_rate: ratio(won, won + lost),
            won_value: Some(Money(self.won_value)),
            median_cycle_days: median(&mut self.cycles).map(Quantity),
        }
    }
}

fn cost_per_lead(budget: Option<Decimal>, leads: usize) -> Option<Money> {
    budget.and_then(|b| ratio(b, count(leads)).map(|r| Money(r.0)))
}

fn source_index(s: Option<LeadSource>) -> usize {
    s.unwrap_or(LeadSource::Other) as usize
}

pub fn analyse(e: &Engagement, p: &Periods) -> Leads {
    let bounds = month_bounds(p.fy.first);
    let month_label = |i: usize| Month(bounds[i]);
    let Some(leads) = &e.leads else {
        return Leads {
            total: SourceStats::default(),
            by_source: BTreeMap::new(),
            funnel: Funnel::default(),
            by_month: (0..12)
                .map(|i| MonthLeads {
                    month: month_label(i),
                    count: None,
                })
                .collect(),
            prescribers: Vec::new(),
            by_rep: BTreeMap::new(),
        };
    };

    let mut total = Acc::default();
    let mut sources: Vec<Acc> = vec![Acc::default(); LeadSource::ALL.len()];
    let mut reps = slots::slots(e, (false, Acc::default()));
    // (used, leads, won, won_value) per prescriber label.
    let mut prescribers = slots::slots(e, (false, 0usize, 0usize, Decimal::ZERO));
    let mut funnel = [0usize; 5];
    let mut months = [0usize; 12];
    for l in leads {
        if !p.in_fy(l.date) {
            continue;
        }
        total.add(l);
        sources[source_index(l.source)].add(l);
        let r = &mut reps[slots::slot(l.rep)];
        r.0 = true;
        r.1.add(l);
        if let Some(pr) = l.prescriber {
            let a = &mut prescribers[slots::slot(Some(pr))];
            a.0 = true;
            a.1 += 1;
            if l.stage == LeadStage::Won {
                a.2 += 1;
                a.3 += l.value.unwrap_or_default();
            }
        }
        if let Some(m) = month_index(&bounds, l.date) {
            months[m] += 1;
        }
        let reached = match l.stage {
            LeadStage::New => 1,
            LeadStage::Contacted => 2,
            LeadStage::Qualified => 3,
            LeadStage::Proposal => 4,
            LeadStage::Won => 5,
            LeadStage::Lost if is_qualified(l) => 3,
            LeadStage::Lost => 2,
        };
        for f in &mut funnel[..reached] {
            *f += 1;
        }
    }

    let budget = |key: &str| {
        e.objectives
            .as_ref()
            .and_then(|o| o.budget.get(key).copied())
    };
    // (budget, leads) summed over the channels with a budget, for the total.
    let mut budgeted: Option<(Decimal, usize)> = None;
    let by_source = LeadSource::ALL
        .iter()
        .zip(sources)
        .map(|(&source, acc)| {
            let n = acc.count;
            let channel_budget = match source {
                LeadSource::Offline => budget("marketing_offline"),
                LeadSource::Online => budget("marketing_online"),
                _ => None,
            };
            if let Some(b) = channel_budget {
                let t = budgeted.get_or_insert((Decimal::ZERO, 0));
                t.0 += b;
                t.1 += n;
            }
            (
                source,
                SourceStats {
                    stats: acc.stats(),
                    cost_per_lead: cost_per_lead(channel_budget, n),
                },
            )
        })
        .collect();

    let mut ranked: Vec<PrescriberLeads> = slots::resolve(
        e,
        prescribers,
        |a| a.0,
        |a, b| {
            a.1 += b.1;
            a.2 += b.2;
            a.3 += b.3;
        },
    )
    .into_iter()
    .map(|(name, (_, leads, won, value))| PrescriberLeads {
        prescriber: name.to_string(),
        leads,
        won,
        won_value: Money(value),
    })
    .collect();
    ranked.sort_by(|x, y| {
        y.leads
            .cmp(&x.leads)
            .then_with(|| y.won_value.cmp(&x.won_value))
            .then_with(|| x.prescriber.cmp(&y.prescriber))
    });

    Leads {
        total: SourceStats {
            stats: total.stats(),
            cost_per_lead: budgeted.and_then(|(b, n)| cost_per_lead(Some(b), n)),
        },
        by_source,
        funnel: Funnel {
            new: Some(funnel[0]),
            contacted: Some(funnel[1]),
            qualified: Some(funnel[2]),
            proposal: Some(funnel[3]),
            won: Some(funnel[4]),
        },
        by_month: (0..12)
            .map(|i| MonthLeads {
                month: month_label(i),
                count: (bounds[i] <= p.as_of).then_some(months[i]),
            })
            .collect(),
        prescribers: ranked,
        by_rep: slots::resolve(e, reps, |a| a.0, |a, b| a.1.merge(b.1))
            .into_iter()
            .map(|(k, (_, acc))| (k, acc.stats()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{EngagementBuilder, dec};
    use crate::engagement::Objectives;
    use LeadSource::*;
    use LeadStage::*;

    fn run(e: &Engagement) -> Leads {
        analyse(e, &Periods::of(e))
    }

    fn sample() -> Engagement {
        let mut o = Objectives::default();
        o.budget.insert("marketing_online".into(), dec("900"));
        o.budget.insert("marketing_offline".into(), dec("500"));
        o.budget.insert("training".into(), dec("100"));
        EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            .sale("2025-06-30", "C1", "1")
            .objectives(o)
            .lead("2025-01-10", Some(Online), Won, |l| {
                l.closed("2025-01-20")
                    .value("1000")
                    .rep("JD")
                    .prescriber("Cab")
            })
            .lead("2025-02-10", Some(Online), Won, |l| {
                l.closed("2025-02-15").value("500").rep("JD")
            })
            .lead("2025-02-11", Some(Online), Won, |l| l.rep("JD")) // no closed date
            .lead("2025-03-01", Some(Online), Lost, |l| l.qualified(true))
            .lead("2025-03-02", Some(Online), Lost, |l| l)
            .lead("2025-03-03", Some(Online), Proposal, |l| {
                l.prescriber("Cab")
            })
            .lead("2025-04-01", Some(Prescription), Contacted, |l| {
                l.prescriber("Alpha")
            })
            .lead("2025-04-02", None, New, |l| l.rep("MK"))
            .lead("2025-05-02", Some(Offline), Qualified, |l| {
                l.qualified(false)
            })
            // Outside FY to date: ignored.
            .lead("2024-12-31", Some(Online), Won, |l| l)
            .lead("2025-07-01", Some(Online), Won, |l| l)
            .build()
    }

    #[test]
    fn totals_rates_and_cycle() {
        let l = run(&sample());
        let t = &l.total.stats;
        assert_eq!(t.count, Some(9));
        assert_eq!(t.won, Some(3));
        assert_eq!(t.lost, Some(2));
        assert_eq!(t.open, Some(4));
        // Qualified: 3 won + lost(qualified) + proposal; the offline one says false.
        assert_eq!(t.qualified, Some(5));
        assert_eq!(t.conversion_rate, Some(Rate(dec("3") / dec("9"))));
        assert_eq!(t.win_rate, Some(Rate(dec("0.6"))));
        assert_eq!(t.won_value, Some(Money(dec("1500"))));
        // Cycles 10 and 5 days: median 7.5; the won lead without closed date is ignored.
        assert_eq!(t.median_cycle_days, Some(Quantity(dec("7.5"))));
    }

    #[test]
    fn per_source_with_cost_per_lead() {
        let l = run(&sample());
        assert_eq!(l.by_source.len(), 5);
        let online = &l.by_source[&Online];
        assert_eq!(online.stats.count, Some(6));
        assert_eq!(online.cost_per_lead, Some(Money(dec("150"))));
        let offline = &l.by_source[&Offline];
        assert_eq!(offline.cost_per_lead, Some(Money(dec("500"))));
        assert_eq!(offline.stats.qualified, Some(0));
        // A lead without source counts as other.
        assert_eq!(l.by_source[&Other].stats.count, Some(1));
        let sa = &l.by_source[&SalesAction];
        assert_eq!(sa.stats.count, Some(0));
        assert_eq!(sa.stats.conversion_rate, None);
        assert_eq!(sa.stats.win_rate, None);
        assert_eq!(sa.stats.median_cycle_days, None);
        assert_eq!(sa.cost_per_lead, None);
        let sum: usize = l.by_source.values().map(|s| s.stats.count.unwrap()).sum();
        assert_eq!(Some(sum), l.total.stats.count);
        // Total cost per lead: (900 + 500) / (6 online + 1 offline leads).
        assert_eq!(l.total.cost_per_lead, Some(Money(dec("200"))));
    }

    #[test]
    fn funnel_months_prescribers_reps() {
        let l = run(&sample());
        assert_eq!(
            l.funnel,
            Funnel {
                new: Some(9),
                contacted: Some(8),
                // 3 won, proposal, offline at stage qualified, the qualified lost one.
                qualified: Some(6),
                proposal: Some(4),
                won: Some(3),
            }
        );
        let counts: Vec<Option<usize>> = l.by_month.iter().map(|m| m.count).collect();
        assert_eq!(
            counts[..7],
            [Some(1), Some(2), Some(3), Some(2), Some(1), Some(0), None]
        );
        assert_eq!(l.prescribers[0].prescriber, "Cab");
        assert_eq!(l.prescribers[0].leads, 2);
        assert_eq!(l.prescribers[0].won_value, Money(dec("1000")));
        assert_eq!(l.prescribers[1].prescriber, "Alpha");
        assert_eq!(l.by_rep["JD"].won, Some(3));
        assert_eq!(l.by_rep["MK"].count, Some(1));
        assert_eq!(l.by_rep["unknown"].count, Some(5));
    }

    #[test]
    fn no_leads_table_keeps_the_shape() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "C1", "1")
            .build();
        let l = run(&e);
        assert_eq!(l.total.stats.count, None);
        assert_eq!(l.total.cost_per_lead, None);
        assert!(l.by_source.is_empty());
        assert_eq!(l.by_month.len(), 12);
        assert!(l.by_month.iter().all(|m| m.count.is_none()));
        let json = serde_json::to_value(&l).unwrap();
        assert!(json["total"]["count"].is_null());
        assert!(json["funnel"]["won"].is_null());
    }

    #[test]
    fn empty_leads_table_gives_zero_counts_and_null_rates() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "C1", "1")
            .leads_table()
            .build();
        let l = run(&e);
        assert_eq!(l.total.stats.count, Some(0));
        assert_eq!(l.total.stats.conversion_rate, None);
        assert_eq!(l.total.stats.won_value, Some(Money::default()));
        assert_eq!(l.total.cost_per_lead, None);
        assert_eq!(l.funnel.new, Some(0));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(dec("5")));
        assert_eq!(median(&mut [9, 1, 4]), Some(dec("4")));
        assert_eq!(median(&mut [4, 1, 2, 9]), Some(dec("3")));
        assert_eq!(median(&mut [1, 2]), Some(dec("1.5")));
    }
}
