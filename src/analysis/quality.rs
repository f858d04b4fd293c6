//! Data quality: what in the data was read, ignored or doubtful, so that the report can
//! say which figures rest on what (and the consultant can fix the export).
//!
//! Decisions:
//! - `tables`: rows read, empty rows skipped and rows left out (`skip`, `keep`,
//!   `empty_client`, with their amount) per table read (from the loader).
//! - `sales_after_as_of`: lines dated after as_of, ignored by every analysis.
//! - `credit_notes` (amount < 0) and `zero_amount_lines` count FY lines (FY start to
//!   as_of): those that enter the figures.
//! - `unknown_clients`: lines up to as_of whose client id is missing from the clients
//!   table, the number of such clients, and their FY revenue; null without a clients
//!   table.
//! - Lead figures cover every row of the leads table (a data problem is one wherever it
//!   is): leads without a source (counted under `other`), won leads without a closed
//!   date (left out of the sales cycle); `leads_outside_fy` counts leads dated outside
//!   FY to date (ignored). `activities_outside_fy` likewise. Null without the table.
//! - `open_leads_with_closing_date_ignored` and `clients_with_disagreeing_sales` come
//!   from the loader (format v1.1).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::clients::ClientIndex;
use super::figures::Money;
use super::periods::Periods;
use crate::engagement::Engagement;
use crate::vocab::{LeadStage, TableKind};

/// Rows of one table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRows {
    pub file: String,
    pub rows: usize,
    pub empty_rows_skipped: usize,
    /// Rows left out by `skip`, `keep` or `empty_client = "skip"` (format v1.1).
    pub rows_left_out: RowsLeftOut,
}

/// Rows left out of a table on purpose, with their amount and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RowsLeftOut {
    pub count: usize,
    pub amount: Money,
    pub by_reason: BTreeMap<String, usize>,
}

/// A number of sales lines and their net amount.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Lines {
    pub lines: usize,
    pub amount: Money,
}

/// Sales of clients missing from the clients table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnknownClients {
    pub clients: usize,
    pub lines: usize,
    /// Their FY revenue.
    pub revenue: Money,
}

/// The `data_quality` block of metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataQuality {
    pub tables: BTreeMap<TableKind, TableRows>,
    pub sales_first_date: Option<NaiveDate>,
    pub sales_last_date: Option<NaiveDate>,
    pub sales_after_as_of: Lines,
    pub credit_notes: Lines,
    pub zero_amount_lines: usize,
    pub unknown_clients: Option<UnknownClients>,
    pub leads_without_source: Option<usize>,
    pub won_leads_without_closed: Option<usize>,
    pub leads_outside_fy: Option<usize>,
    pub activities_outside_fy: Option<usize>,
    /// Open leads whose closing date (a CRM's expected close date) was ignored.
    pub open_leads_with_closing_date_ignored: Option<usize>,
    /// Clients whose sales lines give different zones or segments (format v1.1: zone
    /// and segment from the sales lines; the most recent line's wins).
    pub clients_with_disagreeing_sales: usize,
}

pub fn analyse(e: &Engagement, p: &Periods, idx: &ClientIndex) -> DataQuality {
    let tables = e
        .tables
        .iter()
        .map(|(kind, s)| {
            (
                *kind,
                TableRows {
                    file: s.file.clone(),
                    rows: s.rows,
                    empty_rows_skipped: s.empty_rows_skipped,
                    rows_left_out: RowsLeftOut {
                        count: s.rows_left_out.count,
                        amount: Money(s.rows_left_out.amount),
                        by_reason: s.rows_left_out.by_reason.clone(),
                    },
                },
            )
        })
        .collect();

    let in_table: Option<Vec<bool>> = e.clients.as_ref().map(|records| {
        let mut v = vec![false; idx.facts.len()];
        for r in records {
            v[r.client.0 as usize] = true;
        }
        v
    });
    let mut unknown_seen = vec![
        false;
        if in_table.is_some() {
            idx.facts.len()
        } else {
            0
        }
    ];
    let mut unknown = UnknownClients::default();
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    let mut after = Lines::default();
    let mut credit = Lines::default();
    let mut zero = 0usize;
    for s in &e.sales {
        first = Some(first.map_or(s.date, |d| d.min(s.date)));
        last = Some(last.map_or(s.date, |d| d.max(s.date)));
        if s.date > p.as_of {
            after.lines += 1;
            after.amount.0 += s.amount;
            continue;
        }
        if p.in_fy(s.date) {
            if s.amount < Decimal::ZERO {
                credit.lines += 1;
                credit.amount.0 += s.amount;
            } else if s.amount.is_zero() {
                zero += 1;
            }
        }
        if let Some(t) = &in_table
            && !t[s.client.0 as usize]
        {
            unknown.lines += 1;
            let seen = &mut unknown_seen[s.client.0 as usize];
            if !*seen {
                *seen = true;
                unknown.clients += 1;
                unknown.revenue.0 += idx.get(s.client).fy_revenue;
            }
        }
    }

    let leads = e.leads.as_ref();
    let count_leads = |f: &dyn Fn(&crate::engagement::Lead) -> bool| {
        leads.map(|ls| ls.iter().filter(|l| f(l)).count())
    };
    DataQuality {
        tables,
        sales_first_date: first,
        sales_last_date: last,
        sales_after_as_of: after,
        credit_notes: credit,
        zero_amount_lines: zero,
        unknown_clients: in_table.map(|_| unknown),
        leads_without_source: count_leads(&|l| l.source.is_none()),
        won_leads_without_closed: count_leads(&|l| l.stage == LeadStage::Won && l.closed.is_none()),
        leads_outside_fy: count_leads(&|l| !p.in_fy(l.date)),
        activities_outside_fy: e
            .activities
            .as_ref()
            .map(|a| a.iter().filter(|a| !p.in_fy(a.date)).count()),
        open_leads_with_closing_date_ignored: leads.map(|_| e.quality.open_leads_with_closing_date),
        clients_with_disagreeing_sales: e.quality.clients_with_disagreeing_sales,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{EngagementBuilder, date, dec};
    use crate::vocab::{ActivityKind, LeadSource};

    #[test]
    fn counts_what_is_ignored_or_doubtful() {
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            .sale("2024-05-01", "GHOST", "70")
            .sale("2025-02-01", "GHOST", "30")
            .sale("2025-02-01", "C1", "-20")
            .sale("2025-02-02", "C1", "0")
            .sale("2024-02-02", "C1", "-5") // credit note outside FY
            .sale("2025-07-01", "C1", "40")
            .sale("2025-08-01", "GHOST", "60")
            .client("C1", |c| c)
            .lead("2025-01-05", None, LeadStage::Won, |l| l)
            .lead(
                "2025-01-05",
                Some(LeadSource::Online),
                LeadStage::Won,
                |l| l.closed("2025-01-09"),
            )
            .lead(
                "2024-12-05",
                Some(LeadSource::Online),
                LeadStage::New,
                |l| l,
            )
            .activity("2025-09-01", "JD", ActivityKind::Visit, "1", None, None)
            .table_stats(TableKind::Sales, 7, 2)
            .build();
        let p = Periods::of(&e);
        let q = analyse(&e, &p, &ClientIndex::build(&e, &p));
        assert_eq!(q.tables[&TableKind::Sales].empty_rows_skipped, 2);
        assert_eq!(q.sales_first_date, Some(date("2024-02-02")));
        assert_eq!(q.sales_last_date, Some(date("2025-08-01")));
        assert_eq!(
            q.sales_after_as_of,
            Lines {
                lines: 2,
                amount: Money(dec("100"))
            }
        );
        assert_eq!(
            q.credit_notes,
            Lines {
                lines: 1,
                amount: Money(dec("-20"))
            }
        );
        assert_eq!(q.zero_amount_lines, 1);
        assert_eq!(
            q.unknown_clients,
            Some(UnknownClients {
                clients: 1,
                lines: 2,
                revenue: Money(dec("30"))
            })
        );
        assert_eq!(q.leads_without_source, Some(1));
        assert_eq!(q.won_leads_without_closed, Some(1));
        assert_eq!(q.leads_outside_fy, Some(1));
        assert_eq!(q.activities_outside_fy, Some(1));
    }

    #[test]
    fn missing_tables_give_nulls() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2025-02-01", "C1", "1")
            .build();
        let p = Periods::of(&e);
        let q = analyse(&e, &p, &ClientIndex::build(&e, &p));
        assert_eq!(q.unknown_clients, None);
        assert_eq!(q.leads_without_source, None);
        assert_eq!(q.activities_outside_fy, None);
    }
}
