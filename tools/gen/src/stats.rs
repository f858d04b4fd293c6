//! An independent, minimal implementation of the analyses of `analyses.md`, used to
//! check that the generated examples tell the story they are meant to tell.
//!
//! It works on the in-memory records (the very values written to the CSV files) and
//! follows the definitions literally: FY lines up to as_of, purchases are positive
//! lines, 3 CA categories from the last purchase before FY start, Pareto classes over
//! positive FY revenues, leads counted by date in FY, hours defaulting to 1. It is
//! deliberately not shared with the main crate, so it doubles as a cross-check.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::cal::add_months;
use crate::model::{Cents, Dataset, Kind, Source, Stage, Target};

/// Settings of the computation (engagement.toml's).
#[derive(Clone, Debug)]
pub struct Params {
    pub fy_start: NaiveDate,
    pub as_of: NaiveDate,
    pub dormancy_months: i32,
    pub pareto_a: f64,
    pub pareto_b: f64,
}

/// Lead figures of one source (or all).
#[derive(Clone, Debug, Default)]
pub struct LeadStats {
    pub count: usize,
    pub qualified: usize,
    pub won: usize,
    pub lost: usize,
    pub won_value: Cents,
    pub cycles: Vec<i64>,
}

impl LeadStats {
    pub fn open(&self) -> usize {
        self.count - self.won - self.lost
    }
    pub fn conversion(&self) -> f64 {
        ratio(self.won as f64, self.count as f64)
    }
    pub fn win_rate(&self) -> f64 {
        ratio(self.won as f64, (self.won + self.lost) as f64)
    }
    pub fn qualified_rate(&self) -> f64 {
        ratio(self.qualified as f64, self.count as f64)
    }
    /// Median of closed − date over won leads with a closed date.
    pub fn median_cycle(&self) -> Option<f64> {
        let mut v = self.cycles.clone();
        v.sort_unstable();
        let n = v.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(v[n / 2] as f64),
            _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
        }
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { f64::NAN } else { a / b }
}

/// Per-class figures of the Pareto classification.
#[derive(Clone, Debug, Default)]
pub struct ClassStats {
    pub clients: usize,
    pub revenue: Cents,
    /// Contact effort in quarter hours.
    pub effort: i64,
}

/// The figures the stories are checked against.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub elapsed_share: f64,
    pub total: Cents,
    pub previous_total: Cents,
    pub previous_to_date: Cents,
    pub conquest: Cents,
    pub retention: Cents,
    pub reconquest: Cents,
    pub lost_revenue: Cents,
    pub active: usize,
    pub new: usize,
    pub retained: usize,
    pub reconquered: usize,
    pub lost: usize,
    /// Former at FY start: purchases before FY start − dormancy, none in the dormancy
    /// window before FY start (reconquered clients included).
    pub former_at_start: usize,
    pub top_client: String,
    pub top_revenue: Cents,
    /// Sum of positive client FY revenues.
    pub positive_total: Cents,
    /// A, B, C.
    pub classes: [ClassStats; 3],
    pub class_of: BTreeMap<String, usize>,
    pub unclassified: usize,
    /// Clients with FY lines that are all credit notes.
    pub credit_only: Vec<String>,
    /// Sales client ids missing from the clients table.
    pub missing_clients: Vec<String>,
    /// Effort (quarters) on clients with a client_id, classified or not.
    pub effort_with_client: i64,
    pub total_quarters: i64,
    pub leads_total: LeadStats,
    pub leads: BTreeMap<Source, LeadStats>,
    pub funnel: BTreeMap<Stage, usize>,
    pub time: BTreeMap<String, BTreeMap<Kind, i64>>,
    pub visits_by_target: BTreeMap<Target, i64>,
    pub revenue_by_rep: BTreeMap<String, Cents>,
    pub revenue_by_rep_fy1: BTreeMap<String, Cents>,
    /// Former clients as of as_of (last purchase on or before as_of − dormancy).
    pub former_clients: usize,
    pub sales_lines: usize,
    pub credit_lines: usize,
}

impl Stats {
    /// `actual / elapsed_share`.
    pub fn projection(&self, cents: Cents) -> f64 {
        cents as f64 / 100.0 / self.elapsed_share
    }

    /// Share of the rep's hours spent on `kinds`.
    pub fn time_share(&self, rep: &str, kinds: &[Kind]) -> f64 {
        let Some(by) = self.time.get(rep) else {
            return f64::NAN;
        };
        let total: i64 = by.values().sum();
        let part: i64 = kinds.iter().map(|k| by.get(k).copied().unwrap_or(0)).sum();
        ratio(part as f64, total as f64)
    }

    /// Share of revenue of class `i` (0 = A) among positive client revenues.
    pub fn class_revenue_share(&self, i: usize) -> f64 {
        ratio(self.classes[i].revenue as f64, self.positive_total as f64)
    }

    /// Share of client-linked contact effort spent on class `i`.
    pub fn class_effort_share(&self, i: usize) -> f64 {
        ratio(
            self.classes[i].effort as f64,
            self.effort_with_client as f64,
        )
    }
}

#[derive(Default)]
struct Agg {
    last_before_fy: Option<NaiveDate>,
    last_upto_as_of: Option<NaiveDate>,
    fy_revenue: Cents,
    fy_lines: usize,
    fy_positive_lines: usize,
    fy1_revenue: Cents,
    bought_in_dormancy_window: bool,
    bought_before_cutoff: bool,
}

/// Compute the figures of `data` with the definitions of analyses.md.
pub fn compute(data: &Dataset, p: &Params) -> Stats {
    let fy_end = add_months(p.fy_start, 12); // exclusive
    let fy1_start = add_months(p.fy_start, -12);
    let cutoff = add_months(p.fy_start, -p.dormancy_months);
    let as_of = p.as_of.min(fy_end.pred_opt().expect("date"));
    let prev_to_date_end = add_months(as_of, -12);
    let former_limit = add_months(as_of, -p.dormancy_months);
    let in_fy = |d: NaiveDate| d >= p.fy_start && d <= as_of && d < fy_end;

    let mut s = Stats {
        elapsed_share: ((as_of - p.fy_start).num_days() + 1) as f64
            / (fy_end - p.fy_start).num_days() as f64,
        ..Default::default()
    };
    let mut aggs: BTreeMap<&str, Agg> = BTreeMap::new();
    for line in &data.sales {
        let a = aggs.entry(&line.client_id).or_default();
        let purchase = line.amount > 0;
        s.sales_lines += 1;
        if line.amount < 0 {
            s.credit_lines += 1;
        }
        if in_fy(line.date) {
            s.total += line.amount;
            a.fy_revenue += line.amount;
            a.fy_lines += 1;
            a.fy_positive_lines += purchase as usize;
            *s.revenue_by_rep.entry(line.rep.clone()).or_default() += line.amount;
        }
        if line.date >= fy1_start && line.date < p.fy_start {
            s.previous_total += line.amount;
            a.fy1_revenue += line.amount;
            *s.revenue_by_rep_fy1.entry(line.rep.clone()).or_default() += line.amount;
            if line.date <= prev_to_date_end {
                s.previous_to_date += line.amount;
            }
        }
        if purchase && line.date < p.fy_start {
            a.last_before_fy = a.last_before_fy.max(Some(line.date));
            if line.date >= cutoff {
                a.bought_in_dormancy_window = true;
            } else {
                a.bought_before_cutoff = true;
            }
        }
        if purchase && line.date <= as_of {
            a.last_upto_as_of = a.last_upto_as_of.max(Some(line.date));
        }
    }

    let known: BTreeSet<&str> = data.clients.iter().map(|c| c.id.as_str()).collect();
    let mut positives: Vec<(&str, Cents)> = Vec::new();
    for (id, a) in &aggs {
        if !known.contains(id) {
            s.missing_clients.push(id.to_string());
        }
        if a.fy_lines > 0 {
            s.active += 1;
            match a.last_before_fy {
                None => {
                    s.new += 1;
                    s.conquest += a.fy_revenue;
                }
                Some(d) if d < cutoff => {
                    s.reconquered += 1;
                    s.reconquest += a.fy_revenue;
                }
                Some(_) => {
                    s.retained += 1;
                    s.retention += a.fy_revenue;
                }
            }
            if a.fy_positive_lines == 0 {
                s.credit_only.push(id.to_string());
            }
            if a.fy_revenue > 0 {
                positives.push((id, a.fy_revenue));
            } else {
                s.unclassified += 1;
            }
        } else if a.bought_in_dormancy_window {
            s.lost += 1;
            s.lost_revenue += a.fy1_revenue;
        }
        if a.bought_before_cutoff && !a.bought_in_dormancy_window {
            s.former_at_start += 1;
        }
        if a.last_upto_as_of.is_some_and(|d| d <= former_limit) {
            s.former_clients += 1;
        }
    }

    positives.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    s.positive_total = positives.iter().map(|x| x.1).sum();
    if let Some((id, rev)) = positives.first() {
        s.top_client = id.to_string();
        s.top_revenue = *rev;
    }
    let mut before: Cents = 0;
    for (id, rev) in &positives {
        let share_before = before as f64 / s.positive_total as f64;
        let class = if share_before < p.pareto_a {
            0
        } else if share_before < p.pareto_b {
            1
        } else {
            2
        };
        s.classes[class].clients += 1;
        s.classes[class].revenue += rev;
        s.class_of.insert(id.to_string(), class);
        before += rev;
    }

    for a in data.activities.iter().filter(|a| in_fy(a.date)) {
        let q = a.effective_quarters();
        s.total_quarters += q;
        *s.time
            .entry(a.rep.clone())
            .or_default()
            .entry(a.kind)
            .or_default() += q;
        if a.kind == Kind::Visit
            && let Some(t) = a.target
        {
            *s.visits_by_target.entry(t).or_default() += q;
        }
        if let Some(id) = &a.client_id {
            s.effort_with_client += q;
            if let Some(c) = s.class_of.get(id) {
                s.classes[*c].effort += q;
            }
        }
    }

    for l in data
        .leads
        .iter()
        .filter(|l| l.date >= p.fy_start && l.date < fy_end)
    {
        for st in [&mut s.leads_total, s.leads.entry(l.source).or_default()] {
            st.count += 1;
            st.qualified += l.is_qualified() as usize;
            match l.stage {
                Stage::Won => {
                    st.won += 1;
                    st.won_value += l.value.unwrap_or(0);
                    if let Some(c) = l.closed {
                        st.cycles.push((c - l.date).num_days());
                    }
                }
                Stage::Lost => st.lost += 1,
                _ => {}
            }
        }
        const FUNNEL: [Stage; 5] = [
            Stage::New,
            Stage::Contacted,
            Stage::Qualified,
            Stage::Proposal,
            Stage::Won,
        ];
        let reached = match l.stage {
            Stage::New => &FUNNEL[..1],
            Stage::Contacted => &FUNNEL[..2],
            Stage::Qualified => &FUNNEL[..3],
            Stage::Proposal => &FUNNEL[..4],
            Stage::Won => &FUNNEL[..],
            Stage::Lost if l.is_qualified() => &FUNNEL[..3],
            Stage::Lost => &FUNNEL[..2],
        };
        for st in reached {
            *s.funnel.entry(*st).or_default() += 1;
        }
    }
    s
}

/// Euros with a thin separator, for the console.
pub fn eur(c: Cents) -> String {
    crate::csvfmt::fmt_cents(c, '.', Some(' '))
}

/// A percentage with one decimal.
pub fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

impl Stats {
    /// A console summary of the figures.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let w = &mut o;
        let _ = writeln!(w, "elapsed_share        {:.4}", self.elapsed_share);
        let _ = writeln!(
            w,
            "sales lines          {} ({} credit lines, {})",
            self.sales_lines,
            self.credit_lines,
            pct(self.credit_lines as f64 / self.sales_lines as f64)
        );
        let _ = writeln!(w, "revenue FY to date   {}", eur(self.total));
        let _ = writeln!(w, "  conquest           {}", eur(self.conquest));
        let _ = writeln!(w, "  retention          {}", eur(self.retention));
        let _ = writeln!(w, "  reconquest         {}", eur(self.reconquest));
        let _ = writeln!(w, "previous_total       {}", eur(self.previous_total));
        let _ = writeln!(w, "previous_to_date     {}", eur(self.previous_to_date));
        let _ = writeln!(
            w,
            "growth               {}",
            pct(self.total as f64 / self.previous_to_date as f64 - 1.0)
        );
        let _ = writeln!(
            w,
            "lost                 {} clients, {} ({} of previous_total)",
            self.lost,
            eur(self.lost_revenue),
            pct(self.lost_revenue as f64 / self.previous_total as f64)
        );
        let _ = writeln!(
            w,
            "clients              active {} new {} retained {} reconquered {} former_at_start {} ({} reconquest rate)",
            self.active,
            self.new,
            self.retained,
            self.reconquered,
            self.former_at_start,
            pct(self.reconquered as f64 / self.former_at_start as f64)
        );
        let _ = writeln!(w, "former clients@as_of {}", self.former_clients);
        let _ = writeln!(
            w,
            "top client           {} {} ({} of positive revenue)",
            self.top_client,
            eur(self.top_revenue),
            pct(self.top_revenue as f64 / self.positive_total as f64)
        );
        for (i, name) in ["A", "B", "C"].iter().enumerate() {
            let c = &self.classes[i];
            let _ = writeln!(
                w,
                "class {name}              {:4} clients, revenue {} ({}), effort {} h ({})",
                c.clients,
                eur(c.revenue),
                pct(self.class_revenue_share(i)),
                c.effort / 4,
                pct(self.class_effort_share(i))
            );
        }
        let _ = writeln!(
            w,
            "unclassified         {} (credit-only: {:?}); missing from clients: {:?}",
            self.unclassified, self.credit_only, self.missing_clients
        );
        let _ = writeln!(
            w,
            "leads                {:>5} {:>5} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>7}",
            "count", "qual", "won", "lost", "open", "conv", "win", "qualif", "cycle"
        );
        let mut rows: Vec<(&str, &LeadStats)> = vec![("total", &self.leads_total)];
        rows.extend(self.leads.iter().map(|(k, v)| (k.en(), v)));
        for (name, l) in rows {
            let _ = writeln!(
                w,
                "  {name:<18} {:>5} {:>5} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>7}",
                l.count,
                l.qualified,
                l.won,
                l.lost,
                l.open(),
                pct(l.conversion()),
                pct(l.win_rate()),
                pct(l.qualified_rate()),
                l.median_cycle()
                    .map(|x| format!("{x:.1}"))
                    .unwrap_or("-".into())
            );
        }
        let _ = writeln!(w, "funnel               {:?}", self.funnel);
        let _ = writeln!(w, "time (hours, share)");
        for (rep, by) in &self.time {
            let total: i64 = by.values().sum();
            let parts: Vec<String> = by
                .iter()
                .map(|(k, q)| format!("{} {}", k.en(), pct(*q as f64 / total as f64)))
                .collect();
            let _ = writeln!(w, "  {rep:<4} {:>6} h  {}", total / 4, parts.join(", "));
        }
        let _ = writeln!(
            w,
            "visit hours by target {:?}",
            self.visits_by_target
                .iter()
                .map(|(k, v)| (k.en(), v / 4))
                .collect::<Vec<_>>()
        );
        for (rep, rev) in &self.revenue_by_rep {
            let _ = writeln!(
                w,
                "rep {:<4}             FY {} (projection {:.0}), FY-1 {}",
                if rep.is_empty() { "''" } else { rep },
                eur(*rev),
                self.projection(*rev),
                eur(self.revenue_by_rep_fy1.get(rep).copied().unwrap_or(0))
            );
        }
        o
    }
}
