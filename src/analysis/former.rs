//! Former clients (analyses.md, "Former clients"): the reconquest target list.
//!
//! A former client is one whose last purchase (amount > 0, dated up to as_of) is on or
//! before as_of − dormancy_months. Each is valued by `revenue_36m`, its net revenue over
//! (last_purchase − 36 months, last_purchase], credit notes included; the list is
//! ranked by that value descending, ties by client id.
//!
//! Decisions where analyses.md is silent:
//! - A client that never bought (only credit notes or zero lines) is not a former client.
//! - `count` and `revenue_36m` (the total over all former clients) cover the whole
//!   list; `top` holds the first `top_n`. `name` comes from the clients table (null
//!   when missing).
//! - The 36 months are computed with the same clamped month arithmetic as every period.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::clients::ClientIndex;
use super::figures::Money;
use super::periods::{Periods, add_months};
use crate::engagement::{ClientKey, Engagement};

/// One former client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormerClient {
    pub client_id: String,
    pub name: Option<String>,
    pub last_purchase: NaiveDate,
    pub revenue_36m: Money,
}

/// The `former_clients` block of metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormerClients {
    pub count: usize,
    /// Sum of revenue_36m over every former client.
    pub revenue_36m: Money,
    pub top: Vec<FormerClient>,
}

pub fn analyse(e: &Engagement, p: &Periods, idx: &ClientIndex) -> FormerClients {
    let threshold = add_months(p.as_of, -(e.settings.dormancy_months as i32));
    let n = idx.facts.len();
    // The start of each former client's window (exclusive); None for other clients.
    let mut window: Vec<Option<(NaiveDate, NaiveDate)>> = vec![None; n];
    let mut former: Vec<ClientKey> = Vec::new();
    for k in idx.keys() {
        if let Some(last) = idx.get(k).last_purchase
            && last <= threshold
        {
            window[k.0 as usize] = Some((add_months(last, -36), last));
            former.push(k);
        }
    }
    let mut revenue = vec![Decimal::ZERO; n];
    if !former.is_empty() {
        for s in &e.sales {
            if let Some((after, last)) = window[s.client.0 as usize]
                && s.date > after
                && s.date <= last
            {
                revenue[s.client.0 as usize] += s.amount;
            }
        }
    }
    former.sort_unstable_by(|x, y| {
        revenue[y.0 as usize]
            .cmp(&revenue[x.0 as usize])
            .then_with(|| e.client_id(*x).cmp(e.client_id(*y)))
    });
    let records = e.client_records();
    let top = former
        .iter()
        .take(e.settings.top_n)
        .map(|&k| FormerClient {
            client_id: e.client_id(k).to_string(),
            name: records[k.0 as usize].and_then(|r| r.name.clone()),
            last_purchase: idx.get(k).last_purchase.expect("former clients bought"),
            revenue_36m: Money(revenue[k.0 as usize]),
        })
        .collect();
    FormerClients {
        count: former.len(),
        revenue_36m: Money(former.iter().map(|k| revenue[k.0 as usize]).sum()),
        top,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{EngagementBuilder, date, dec};

    fn run(e: &Engagement) -> FormerClients {
        let p = Periods::of(e);
        analyse(e, &p, &ClientIndex::build(e, &p))
    }

    #[test]
    fn former_clients_ranked_by_36_months_revenue() {
        // as_of 2025-06-30, dormancy 12 -> last purchase on or before 2024-06-30.
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            .sale("2025-06-30", "ACTIVE", "1")
            // EDGE: last purchase exactly on the threshold: former.
            .sale("2024-06-30", "EDGE", "100")
            // AFTER: one day later: not former.
            .sale("2024-07-01", "AFTER", "100")
            // BIG: 36-month window (2020-03-15, 2023-03-15]: 2020-03-15 is out.
            .sale("2020-03-15", "BIG", "1000")
            .sale("2020-03-16", "BIG", "300")
            .sale("2023-03-15", "BIG", "200")
            .sale("2023-04-01", "BIG", "-50") // credit note after the last purchase
            // TIE: same revenue as EDGE, id after it.
            .sale("2022-01-01", "TIE", "100")
            // CN: only credit notes: never bought.
            .sale("2022-01-01", "CN", "-10")
            .client("BIG", |c| c.name("Big Co"))
            .build();
        let f = run(&e);
        assert_eq!(f.count, 3);
        let ids: Vec<&str> = f.top.iter().map(|c| c.client_id.as_str()).collect();
        assert_eq!(ids, ["BIG", "EDGE", "TIE"]);
        assert_eq!(f.top[0].revenue_36m, Money(dec("500")));
        assert_eq!(f.top[0].last_purchase, date("2023-03-15"));
        assert_eq!(f.top[0].name.as_deref(), Some("Big Co"));
        assert_eq!(f.top[1].name, None);
        assert_eq!(f.revenue_36m, Money(dec("700")));
    }

    #[test]
    fn top_n_limits_the_list_not_the_count() {
        let e = EngagementBuilder::new("2025-01-01")
            .settings(|s| s.top_n = 1)
            .sale("2025-06-30", "ACTIVE", "1")
            .sale("2020-01-01", "A", "5")
            .sale("2020-01-01", "B", "7")
            .build();
        let f = run(&e);
        assert_eq!(f.count, 2);
        assert_eq!(f.top.len(), 1);
        assert_eq!(f.top[0].client_id, "B");
    }
}
