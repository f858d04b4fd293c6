//! A small simulation of a distributor's invoicing, shared by both examples.
//!
//! Each client has a *plan*: an annual revenue potential, a yearly trend and the spans
//! of dates during which it buys. For every calendar-year part of a span, the engine
//! draws a budget (potential × trend, scaled by the part's seasonal mass), fills it with
//! product lines the client can afford, groups the lines into invoices dated on working
//! days drawn with the segment's seasonality, then adds credit notes and numbers the
//! documents. Driving purchases by explicit spans is what makes the story controllable:
//! a "lost" client is one whose span ends in FY-1, a "won back" one has two spans with
//! a gap longer than the dormancy period, and so on.

use chrono::{Datelike, Duration, NaiveDate};

use crate::cal::{self, DayPicker, Season};
use crate::model::{Cents, Sale};
use crate::rng::Rng;

/// A product line of the catalogue.
#[derive(Clone, Debug)]
pub struct Product {
    pub name: &'static str,
    /// Unit price range in currency units.
    pub min: f64,
    pub max: f64,
    /// Largest quantity of one line (1 for equipment).
    pub max_qty: i64,
    /// Quantities may be fractional (half units, e.g. linear metres).
    pub halves: bool,
}

/// How one client buys.
#[derive(Clone, Debug)]
pub struct ClientPlan {
    pub id: String,
    /// Rep written on the client's sales lines (may be empty).
    pub rep: String,
    /// Index into the season table.
    pub season: usize,
    /// Index into the product-mix table.
    pub mix: usize,
    /// Annual revenue at the reference year.
    pub potential: f64,
    /// Yearly multiplier of the potential.
    pub trend: f64,
    /// Commercial discount applied to list prices.
    pub discount: f64,
    /// Inclusive date spans during which the client buys.
    pub spans: Vec<(NaiveDate, NaiveDate)>,
}

/// Parameters of the simulation.
pub struct Spec<'a> {
    pub products: &'a [Product],
    /// Product weights per mix.
    pub mixes: &'a [Vec<f64>],
    pub seasons: &'a [Season],
    /// Year at which `potential` applies (the year in which that fiscal year starts).
    pub ref_year: i32,
    /// First month (1-12) of the fiscal year: budgets are drawn per fiscal-year part of a
    /// span, so every part has a purchase and no client goes dormant by accident.
    pub fy_month: u32,
    /// Lines per invoice, inclusive range.
    pub lines_per_invoice: (i64, i64),
    /// Probability that an invoice line is later credited.
    pub credit_rate: f64,
    /// Share of credit notes that carry the credited invoice's number.
    pub credit_ref_share: f64,
    /// Last date of the data.
    pub as_of: NaiveDate,
}

/// One line of a document, before numbering.
#[derive(Clone, Debug)]
pub struct Line {
    pub product: usize,
    pub qty_tenths: Option<i64>,
    pub amount: Cents,
}

/// An invoice or a credit note, before numbering.
#[derive(Clone, Debug)]
pub struct Doc {
    pub date: NaiveDate,
    /// Index into the plans.
    pub client: usize,
    pub lines: Vec<Line>,
    /// For a credit note: the credited invoice and whether the note carries its number.
    pub credit_of: Option<(usize, bool)>,
}

fn round_cents(x: f64) -> Cents {
    (x * 100.0).round() as Cents
}

/// Fill a budget with affordable product lines (at least one line).
fn fill(budget: f64, weights: &[f64], spec: &Spec, discount: f64, rng: &mut Rng) -> Vec<Line> {
    let products = spec.products;
    let cheapest = (0..products.len())
        .min_by(|a, b| products[*a].min.total_cmp(&products[*b].min))
        .expect("non-empty catalogue");
    let mut remaining = budget;
    let mut out = Vec::new();
    let mut w = vec![0.0; products.len()];
    while out.is_empty() || remaining > 30.0 {
        let cap = remaining.max(45.0);
        for (i, p) in products.iter().enumerate() {
            w[i] = if p.min <= cap { weights[i] } else { 0.0 };
        }
        let i = if w.iter().all(|x| *x == 0.0) {
            cheapest
        } else {
            rng.weighted(&w)
        };
        let p = &products[i];
        let hi = p.max.min(cap).max(p.min);
        let u = rng.f64();
        // Skewed towards the low end of the range: most lines are modest.
        let unit_tenths = ((p.min + (hi - p.min) * u * u) * 10.0).round();
        let unit = unit_tenths / 10.0;
        let max_q = if p.max_qty > 1 {
            ((cap / unit).floor() as i64).clamp(1, p.max_qty)
        } else {
            1
        };
        let mut qty10 = rng.int(1, max_q) * 10;
        if p.halves && rng.chance(0.4) {
            qty10 += 5;
        }
        let amount = round_cents(unit * qty10 as f64 / 10.0 * (1.0 - discount));
        remaining -= amount as f64 / 100.0;
        out.push(Line {
            product: i,
            qty_tenths: Some(qty10),
            amount,
        });
    }
    out
}

/// The random stream of one client: each client draws from its own stream, so tuning
/// one plan does not reshuffle every other client's invoices.
fn client_rng(seed: u64, client: usize) -> Rng {
    Rng::new(seed ^ (client as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Invoices of every plan (no credit notes yet), in plan order.
pub fn invoices(spec: &Spec, plans: &[ClientPlan], seed: u64) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (ci, plan) in plans.iter().enumerate() {
        let rng = &mut client_rng(seed, ci);
        let season = &spec.seasons[plan.season];
        for &(start, end) in &plan.spans {
            let end = end.min(spec.as_of);
            let first = if start.month() >= spec.fy_month {
                start.year()
            } else {
                start.year() - 1
            };
            for year in first..=end.year() {
                let fy_from = cal::d(year, spec.fy_month, 1);
                let fy_to = cal::add_months(fy_from, 12).pred_opt().expect("date");
                let from = start.max(fy_from);
                let to = end.min(fy_to);
                if from > to {
                    continue;
                }
                let picker = DayPicker::new(from, to, season);
                if picker.is_empty() {
                    continue;
                }
                let full = DayPicker::new(fy_from, fy_to, season);
                let mut level = plan.potential;
                for _ in spec.ref_year..year {
                    level *= plan.trend;
                }
                for _ in year..spec.ref_year {
                    level /= plan.trend;
                }
                let budget = level * picker.mass() / full.mass() * rng.range(0.85, 1.15);
                let mut lines = fill(budget, &spec.mixes[plan.mix], spec, plan.discount, rng);
                rng.shuffle(&mut lines);
                let per = rng.int(spec.lines_per_invoice.0, spec.lines_per_invoice.1) as usize;
                let n = lines.len().div_ceil(per);
                let mut groups: Vec<Vec<Line>> = vec![Vec::new(); n];
                for (k, line) in lines.into_iter().enumerate() {
                    groups[k % n].push(line);
                }
                for lines in groups {
                    docs.push(Doc {
                        date: picker.draw(rng),
                        client: ci,
                        lines,
                        credit_of: None,
                    });
                }
            }
        }
    }
    docs
}

/// Add credit notes for a random share of invoice lines. A note is dated a few days
/// after its invoice and never leaves the client's buying span (so a client planned as
/// lost does not get an FY line through a late credit note).
pub fn credit_notes(spec: &Spec, plans: &[ClientPlan], docs: &mut Vec<Doc>, seed: u64) {
    let n = docs.len();
    let mut rngs: Vec<Rng> = (0..plans.len()).map(|ci| client_rng(seed, ci)).collect();
    for di in 0..n {
        if docs[di].credit_of.is_some() {
            continue;
        }
        let rng = &mut rngs[docs[di].client];
        for li in 0..docs[di].lines.len() {
            if !rng.chance(spec.credit_rate) {
                continue;
            }
            let doc = &docs[di];
            let line = &doc.lines[li];
            let span_end = plans[doc.client]
                .spans
                .iter()
                .find(|(s, e)| *s <= doc.date && doc.date <= *e)
                .map(|x| x.1)
                .unwrap_or(doc.date);
            let date = cal::next_working_day(doc.date + Duration::days(rng.int(3, 40)));
            if date > span_end || date > spec.as_of {
                continue;
            }
            let credited = if rng.chance(0.6) {
                Line {
                    product: line.product,
                    qty_tenths: line.qty_tenths.map(|q| -q),
                    amount: -line.amount,
                }
            } else {
                // A price adjustment: part of the amount, no quantity.
                let share = rng.range(0.1, 0.5);
                Line {
                    product: line.product,
                    qty_tenths: None,
                    amount: -((line.amount as f64 * share).round() as Cents).max(1),
                }
            };
            let reference = rng.chance(spec.credit_ref_share);
            let client = doc.client;
            docs.push(Doc {
                date,
                client,
                lines: vec![credited],
                credit_of: Some((di, reference)),
            });
        }
    }
}

/// Document numbering of an ERP.
pub trait Numbering {
    /// Number of the `n`-th (1-based) invoice, or credit note, of `year`.
    fn number(&self, year: i32, n: usize, credit: bool) -> String;
}

/// Number the documents in date order and flatten them into sales lines sorted by
/// date then invoice number.
pub fn flatten(
    spec: &Spec,
    plans: &[ClientPlan],
    docs: &[Doc],
    numbering: &dyn Numbering,
) -> Vec<Sale> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|a, b| {
        let (x, y) = (&docs[*a], &docs[*b]);
        (x.date, &plans[x.client].id, *a).cmp(&(y.date, &plans[y.client].id, *b))
    });
    let mut numbers = vec![String::new(); docs.len()];
    let mut counters: std::collections::BTreeMap<(i32, bool), usize> = Default::default();
    // Invoices first so that a referencing credit note can reuse its invoice's number.
    for credit in [false, true] {
        for &i in &order {
            let doc = &docs[i];
            if doc.credit_of.is_some() != credit {
                continue;
            }
            if let Some((orig, true)) = doc.credit_of {
                numbers[i] = numbers[orig].clone();
                continue;
            }
            let c = counters.entry((doc.date.year(), credit)).or_insert(0);
            *c += 1;
            numbers[i] = numbering.number(doc.date.year(), *c, credit);
        }
    }
    let mut sales = Vec::new();
    for &i in &order {
        let doc = &docs[i];
        let plan = &plans[doc.client];
        for line in &doc.lines {
            sales.push(Sale {
                date: doc.date,
                invoice: numbers[i].clone(),
                client_id: plan.id.clone(),
                rep: plan.rep.clone(),
                product: spec.products[line.product].name,
                quantity_tenths: line.qty_tenths,
                amount: line.amount,
            });
        }
    }
    sales
}
