//! The per-client index: what every other analysis needs to know about each client,
//! computed in one pass over the sales lines.
//!
//! Analyses ask the same questions of each client (FY revenue, FY-1 revenue, when did
//! it last buy before the fiscal year...). Answering them once, into a dense `Vec`
//! indexed by [`ClientKey`], keeps the whole pipeline linear in the number of sales
//! lines and free of hash maps keyed by strings.
//!
//! Decisions (analyses.md, "Periods" and "Client categories"):
//! - Sales lines dated after `as_of` are ignored everywhere (they are counted in data
//!   quality only), including for "first purchase ever" and "last purchase".
//! - A purchase is a line with amount > 0; credit notes and zero lines never are, but
//!   always count in revenue.
//! - The category of a client is defined for every client, but only matters (and is
//!   only counted) for clients with at least one FY line.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::periods::{Periods, add_months};
use crate::engagement::{ClientKey, Engagement};

/// The 3 CA category of a client (analyses.md, "Client categories and the 3 CA").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Conquête: no purchase before the fiscal year.
    New,
    /// Fidélisation: last purchase before FY within the dormancy window.
    Retained,
    /// Reconquête: last purchase before FY earlier than FY start − dormancy_months.
    Reconquered,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::New, Category::Retained, Category::Reconquered];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Everything known about one client from the sales lines up to `as_of`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFacts {
    /// Net revenue of FY lines (FY start to as_of).
    pub fy_revenue: Decimal,
    /// Net revenue of the whole FY-1.
    pub fy_1_revenue: Decimal,
    /// Net revenue of the same period of FY-1.
    pub fy_1_to_date_revenue: Decimal,
    /// At least one FY line (credit notes and zero lines included).
    pub has_fy_line: bool,
    /// At least one line in the same period of FY-1.
    pub has_fy_1_to_date_line: bool,
    /// First purchase (amount > 0) ever, up to as_of.
    pub first_purchase: Option<NaiveDate>,
    /// Latest purchase strictly before FY start.
    pub last_purchase_before_fy: Option<NaiveDate>,
    /// Latest purchase up to as_of.
    pub last_purchase: Option<NaiveDate>,
}

/// The per-client index, by `ClientKey.0`.
#[derive(Debug, Clone)]
pub struct ClientIndex {
    pub facts: Vec<ClientFacts>,
    /// Category of each client (see [`Category`]), by `ClientKey.0`.
    pub categories: Vec<Category>,
    /// FY start − dormancy_months: purchases before this date are "dormant".
    pub dormancy_start: NaiveDate,
}

impl ClientIndex {
    /// Builds the index in one pass over the sales lines.
    pub fn build(e: &Engagement, p: &Periods) -> ClientIndex {
        let n = e.client_ids.len();
        let mut facts = vec![ClientFacts::default(); n];
        let fy_start = p.fy.first;
        for s in &e.sales {
            if s.date > p.as_of {
                continue;
            }
            let f = &mut facts[s.client.0 as usize];
            if s.date >= fy_start {
                // Not after as_of, so in FY to date.
                f.fy_revenue += s.amount;
                f.has_fy_line = true;
            } else if p.fy_1.contains(s.date) {
                f.fy_1_revenue += s.amount;
                if s.date <= p.fy_1_to_date.last {
                    f.fy_1_to_date_revenue += s.amount;
                    f.has_fy_1_to_date_line = true;
                }
            }
            if s.amount > Decimal::ZERO {
                if f.first_purchase.is_none_or(|d| s.date < d) {
                    f.first_purchase = Some(s.date);
                }
                if f.last_purchase.is_none_or(|d| s.date > d) {
                    f.last_purchase = Some(s.date);
                }
                if s.date < fy_start && f.last_purchase_before_fy.is_none_or(|d| s.date > d) {
                    f.last_purchase_before_fy = Some(s.date);
                }
            }
        }
        let dormancy_start = add_months(fy_start, -(e.settings.dormancy_months as i32));
        let categories = facts
            .iter()
            .map(|f| category(f.last_purchase_before_fy, dormancy_start))
            .collect();
        ClientIndex {
            facts,
            categories,
            dormancy_start,
        }
    }

    pub fn get(&self, k: ClientKey) -> &ClientFacts {
        &self.facts[k.0 as usize]
    }

    pub fn category(&self, k: ClientKey) -> Category {
        self.categories[k.0 as usize]
    }

    /// Clients with at least one FY line.
    pub fn is_active(&self, k: ClientKey) -> bool {
        self.get(k).has_fy_line
    }

    /// A purchase in [FY start − dormancy_months, FY start) and no FY line.
    pub fn is_lost(&self, k: ClientKey) -> bool {
        let f = self.get(k);
        !f.has_fy_line
            && f.last_purchase_before_fy
                .is_some_and(|d| d >= self.dormancy_start)
    }

    /// Purchases before FY start − dormancy_months and none since (until FY start),
    /// whether or not the client came back during the FY.
    pub fn is_former_at_start(&self, k: ClientKey) -> bool {
        self.get(k)
            .last_purchase_before_fy
            .is_some_and(|d| d < self.dormancy_start)
    }

    /// Every client key, in key order.
    pub fn keys(&self) -> impl Iterator<Item = ClientKey> + '_ {
        (0..self.facts.len() as u32).map(ClientKey)
    }
}

/// The category from the last purchase before FY. A last purchase exactly on
/// `dormancy_start` is not earlier than it: retained.
pub fn category(last_purchase_before_fy: Option<NaiveDate>, dormancy_start: NaiveDate) -> Category {
    match last_purchase_before_fy {
        None => Category::New,
        Some(d) if d < dormancy_start => Category::Reconquered,
        Some(_) => Category::Retained,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{EngagementBuilder, date, dec};

    fn index(e: &Engagement) -> ClientIndex {
        ClientIndex::build(e, &Periods::of(e))
    }

    fn key(e: &Engagement, id: &str) -> ClientKey {
        ClientKey(e.client_ids.get(id).expect("known client"))
    }

    #[test]
    fn facts_from_one_pass() {
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            .sale("2023-05-10", "C1", "50")
            .sale("2024-03-01", "C1", "100")
            .sale("2024-06-30", "C1", "10")
            .sale("2024-07-01", "C1", "20")
            .sale("2024-12-31", "C1", "-30")
            .sale("2025-02-01", "C1", "200")
            .sale("2025-07-01", "C1", "999") // after as_of: ignored
            .build();
        let idx = index(&e);
        let f = idx.get(key(&e, "C1"));
        assert_eq!(f.fy_revenue, dec("200"));
        assert_eq!(f.fy_1_revenue, dec("100"));
        assert_eq!(f.fy_1_to_date_revenue, dec("110"));
        assert_eq!(f.first_purchase, Some(date("2023-05-10")));
        // The credit note on 2024-12-31 is not a purchase.
        assert_eq!(f.last_purchase_before_fy, Some(date("2024-07-01")));
        assert_eq!(f.last_purchase, Some(date("2025-02-01")));
        assert!(f.has_fy_line && f.has_fy_1_to_date_line);
    }

    #[test]
    fn dormancy_boundary_is_retained_one_day_before_is_reconquered() {
        // dormancy 12 months: FY start 2025-01-01 -> boundary 2024-01-01.
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-12-31")
            .sale("2024-01-01", "ON", "10")
            .sale("2023-12-31", "BEFORE", "10")
            .sale("2025-03-01", "ON", "10")
            .sale("2025-03-01", "BEFORE", "10")
            .sale("2025-03-01", "NEW", "10")
            .build();
        let idx = index(&e);
        assert_eq!(idx.dormancy_start, date("2024-01-01"));
        assert_eq!(idx.category(key(&e, "ON")), Category::Retained);
        assert_eq!(idx.category(key(&e, "BEFORE")), Category::Reconquered);
        assert_eq!(idx.category(key(&e, "NEW")), Category::New);
        assert!(idx.is_former_at_start(key(&e, "BEFORE")));
        assert!(!idx.is_former_at_start(key(&e, "ON")));
    }

    #[test]
    fn credit_note_before_fy_is_not_a_purchase() {
        let e = EngagementBuilder::new("2025-01-01")
            .sale("2024-06-01", "C1", "-40")
            .sale("2025-03-01", "C1", "100")
            .build();
        let idx = index(&e);
        assert_eq!(idx.category(key(&e, "C1")), Category::New);
    }

    #[test]
    fn lost_needs_a_recent_purchase_and_no_fy_line() {
        let e = EngagementBuilder::new("2025-01-01")
            .as_of("2025-06-30")
            .sale("2024-05-01", "LOST", "100")
            .sale("2024-05-01", "BACK", "100")
            .sale("2025-05-01", "BACK", "-10") // a credit note is an FY line
            .sale("2023-05-01", "OLD", "100")
            .build();
        let idx = index(&e);
        assert!(idx.is_lost(key(&e, "LOST")));
        assert!(!idx.is_lost(key(&e, "BACK")));
        assert!(!idx.is_lost(key(&e, "OLD")));
        assert!(idx.is_former_at_start(key(&e, "OLD")));
    }
}
