//! Simulated CRM activity log of the salespeople.
//!
//! Each rep fills working days (minus leave and trade shows) with blocks drawn from a
//! personal time profile: this is how the "drowning in admin" rep and the class C
//! clients that absorb visits are produced. Recurring meetings (weekly sales meeting,
//! monthly "smarketing" meeting) are scheduled, not drawn.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::cal;
use crate::model::{Activity, Kind, Target};
use crate::rng::Rng;

/// How one salesperson spends time.
#[derive(Clone, Debug)]
pub struct RepProfile {
    pub id: String,
    /// Quarter hours worked per ordinary day, inclusive range.
    pub day_quarters: (i64, i64),
    /// Weight of each kind of free block, in `Kind::ALL` order (see `time_weights`).
    pub weights: [f64; 7],
    /// Weight of each visit target, in `Target::ALL` order.
    pub targets: [f64; 4],
    /// Leave periods (inclusive).
    pub leave: Vec<(NaiveDate, NaiveDate)>,
    /// Trade show days.
    pub shows: Vec<NaiveDate>,
    /// Share of rows written with the French alias of the activity.
    pub french_share: f64,
    /// Share of admin blocks recorded against a client (order handling, after-sales).
    pub admin_client_share: f64,
    /// Clients visited as "client", with weights.
    pub clients: Vec<(String, f64)>,
    /// Former clients that may be visited.
    pub former: Vec<String>,
    /// Clients whose paperwork the admin blocks are about, with weights.
    pub admin_clients: Vec<(String, f64)>,
}

fn pick_weighted(items: &[(String, f64)], rng: &mut Rng) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let w: Vec<f64> = items.iter().map(|x| x.1).collect();
    Some(items[rng.weighted(&w)].0.clone())
}

/// Block weights giving the time `shares` (in `Kind::ALL` order) of free time: a
/// kind's share of hours is its block weight times its mean block duration.
pub fn time_weights(shares: [f64; 7]) -> [f64; 7] {
    let mut w = [0.0; 7];
    for (i, k) in Kind::ALL.iter().enumerate() {
        let (lo, hi) = duration_range(*k);
        w[i] = shares[i] / ((lo + hi) as f64 / 2.0);
    }
    w
}

fn duration_range(kind: Kind) -> (i64, i64) {
    match kind {
        Kind::Visit => (4, 10),
        Kind::Preparation => (2, 6),
        Kind::Reporting => (2, 4),
        Kind::Admin => (2, 8),
        Kind::Meeting => (2, 6),
        Kind::TradeShow => (32, 32),
        Kind::Other => (2, 4),
    }
}

fn duration(kind: Kind, rng: &mut Rng) -> i64 {
    let (lo, hi) = duration_range(kind);
    rng.int(lo, hi)
}

/// Activities of `reps` over the working days of [from, to].
pub fn generate(
    from: NaiveDate,
    to: NaiveDate,
    reps: &[RepProfile],
    rng: &mut Rng,
) -> Vec<Activity> {
    let mut out = Vec::new();
    for day in cal::working_days(from, to) {
        let first_tuesday = day.weekday() == Weekday::Tue && day.day() <= 7;
        for rep in reps {
            if rep.leave.iter().any(|(a, b)| *a <= day && day <= *b) {
                continue;
            }
            let french = rng.chance(rep.french_share);
            let row = |kind: Kind, q: Option<i64>, target, client_id| Activity {
                date: day,
                rep: rep.id.clone(),
                kind,
                quarters: q,
                target,
                client_id,
                french,
            };
            if rep.shows.contains(&day) {
                out.push(row(Kind::TradeShow, Some(32), Some(Target::Prospect), None));
                continue;
            }
            let mut left = rng.int(rep.day_quarters.0, rep.day_quarters.1);
            let mut day_rows: Vec<Activity> = Vec::new();
            if day.weekday() == Weekday::Mon {
                day_rows.push(row(Kind::Meeting, Some(6), None, None));
                left -= 6;
            }
            if first_tuesday {
                day_rows.push(row(Kind::Meeting, Some(8), None, None));
                left -= 8;
            }
            while left > 0 {
                let kind = Kind::ALL[rng.weighted(&rep.weights)];
                let q = duration(kind, rng).min(left);
                left -= q;
                let (target, client) = match kind {
                    Kind::Visit => match Target::ALL[rng.weighted(&rep.targets)] {
                        Target::Client => (Some(Target::Client), pick_weighted(&rep.clients, rng)),
                        Target::FormerClient if !rep.former.is_empty() => (
                            Some(Target::FormerClient),
                            Some(rng.pick(&rep.former).clone()),
                        ),
                        Target::FormerClient => (Some(Target::Prospect), None),
                        t => (Some(t), None),
                    },
                    Kind::Admin if rng.chance(rep.admin_client_share) => {
                        (None, pick_weighted(&rep.admin_clients, rng))
                    }
                    _ => (None, None),
                };
                // Consecutive office blocks of one kind are logged as one row.
                if kind != Kind::Visit
                    && let Some(last) = day_rows.last_mut()
                    && last.kind == kind
                    && last.client_id == client
                    && last.quarters.is_some()
                {
                    last.quarters = Some(last.quarters.unwrap_or(0) + q);
                    continue;
                }
                day_rows.push(row(kind, Some(q), target, client));
            }
            // A logged phone contact without duration now and then (counts as 1 h).
            if rng.chance(0.04) {
                day_rows.push(row(Kind::Other, None, None, None));
            }
            out.extend(day_rows);
        }
    }
    out
}
