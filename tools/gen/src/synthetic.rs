//! Storyless, benchmark-sized engagements.
//!
//! `write_synthetic(dir, n, seed)` writes `engagement.toml` and the four tables in the
//! canonical format: `n` sales lines (about 50-60 bytes each, so one million lines is
//! roughly 55 MB), `n / 25` clients, `n / 10` leads and `n / 10` activities. Values
//! are plausible but carry no story; what matters for benchmarks is size, realistic
//! cardinalities (a Pareto-like client spread, a few reps and products), credit notes
//! and dates spanning the fiscal year and three years of history. It is written for
//! speed: precomputed date strings, one buffered writer per file, no per-line
//! allocation.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::cal::d;
use crate::csvfmt::fmt_iso;
use crate::model::{Kind, Source, Stage, Target};
use crate::rng::Rng;

const REPS: usize = 8;
const PRODUCTS: usize = 24;
const ZONES: [&str; 6] = ["Nord", "Sud", "Est", "Ouest", "Centre", "Île-de-France"];
const SEGMENTS: [&str; 4] = ["Industrie", "Commerce", "Services", "Collectivités"];

/// Dates from `from` to `to` inclusive, formatted once.
fn dates(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, String)> {
    from.iter_days()
        .take_while(|x| *x <= to)
        .map(|x| (x, fmt_iso(x)))
        .collect()
}

/// Cents as `1234.56` into `out` without allocating.
fn push_cents(out: &mut Vec<u8>, cents: i64) {
    if cents < 0 {
        out.push(b'-');
    }
    let v = cents.unsigned_abs();
    let _ = write!(out, "{}.{:02}", v / 100, v % 100);
}

/// A client index skewed towards small indices (index 0 is the largest account).
fn skewed(rng: &mut Rng, n: usize) -> usize {
    let u = rng.f64();
    ((u * u * u) * n as f64) as usize % n.max(1)
}

/// Write a synthetic engagement of `sales_lines` sales lines into `dir`.
pub fn write_synthetic(dir: &Path, sales_lines: usize, seed: u64) -> io::Result<()> {
    fs::create_dir_all(dir.join("data"))?;
    let fy_start = d(2025, 1, 1);
    let as_of = d(2025, 9, 30);
    fs::write(
        dir.join("engagement.toml"),
        format!(
            "# Synthetic benchmark engagement: {sales_lines} sales lines, seed {seed}.\n\
             [engagement]\nclient = \"Synthétique {sales_lines}\"\nlanguage = \"fr\"\n\
             currency = \"EUR\"\nfiscal_year_start = \"{}\"\nas_of = \"{}\"\ngrowth = \"internal\"\n",
            fmt_iso(fy_start),
            fmt_iso(as_of)
        ),
    )?;
    let clients = (sales_lines / 25).max(1);
    let mut rng = Rng::new(seed);

    // Sales: dates increase with the line number, so the file is sorted like an export.
    let days = dates(d(2022, 1, 1), as_of);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(dir.join("data/sales.csv"))?);
    let mut line: Vec<u8> = Vec::with_capacity(128);
    w.write_all(b"date,invoice,client_id,rep,product,quantity,amount\n")?;
    let mut invoice = 0u64;
    let mut year = 0;
    let mut client = 0;
    for i in 0..sales_lines {
        let (date, ds) = &days[i * days.len() / sales_lines.max(1)];
        if date.year() != year {
            year = date.year();
            invoice = 0;
        }
        // About two lines per invoice, one client per invoice.
        if i % 2 == 0 || rng.chance(0.2) {
            invoice += 1;
            client = skewed(&mut rng, clients);
        }
        let credit = rng.chance(0.025);
        let qty = rng.int(1, 12);
        let mut cents = rng.int(1_000, 250_000);
        if credit {
            cents = -cents;
        }
        line.clear();
        let _ = write!(
            line,
            "{ds},F{year}-{invoice:07},C{client:07},R{:02},P{:03},{},",
            rng.below(REPS) + 1,
            rng.below(PRODUCTS) + 1,
            if credit { -qty } else { qty }
        );
        push_cents(&mut line, cents);
        line.push(b'\n');
        w.write_all(&line)?;
    }
    w.flush()?;

    // Clients.
    let mut w = BufWriter::with_capacity(1 << 20, File::create(dir.join("data/clients.csv"))?);
    w.write_all(b"client_id,name,zone,segment,created,prescriber,maturity,rep\n")?;
    let created = dates(d(2000, 1, 1), d(2024, 12, 31));
    for c in 0..clients {
        let (_, cd) = rng.pick(&created);
        let maturity = ["", "", "", "", "", "", "", "", "new", "mature"][rng.below(10)];
        writeln!(
            w,
            "C{c:07},Client {c},{},{},{cd},,{maturity},R{:02}",
            ZONES[rng.below(ZONES.len())],
            SEGMENTS[rng.below(SEGMENTS.len())],
            c % REPS + 1
        )?;
    }
    w.flush()?;

    // Leads over FY-1 and FY to date.
    let lead_days = dates(d(2024, 1, 1), as_of);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(dir.join("data/leads.csv"))?);
    w.write_all(
        b"lead_id,date,source,stage,qualified,closed,client_id,rep,value,prescriber,channel\n",
    )?;
    let stages = [
        Stage::New,
        Stage::Contacted,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Won,
        Stage::Lost,
    ];
    for l in 0..sales_lines / 10 {
        let k = rng.below(lead_days.len());
        let (_, ds) = &lead_days[k];
        let source = Source::ALL[rng.below(5)];
        let stage = stages[rng.weighted(&[0.15, 0.15, 0.1, 0.1, 0.2, 0.3])];
        let closed = if matches!(stage, Stage::Won | Stage::Lost) {
            lead_days[(k + rng.below(60)).min(lead_days.len() - 1)]
                .1
                .as_str()
        } else {
            ""
        };
        let client = if stage == Stage::Won {
            format!("C{:07}", rng.below(clients))
        } else {
            String::new()
        };
        line.clear();
        let _ = write!(
            line,
            "L{l:07},{ds},{},{},{},{closed},{client},R{:02},",
            source.en(),
            stage.en(),
            stage.implies_qualified(),
            rng.below(REPS) + 1
        );
        push_cents(&mut line, rng.int(50_000, 5_000_000));
        line.extend_from_slice(b",,web\n");
        w.write_all(&line)?;
    }
    w.flush()?;

    // Activities of FY to date.
    let act_days = dates(fy_start, as_of);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(dir.join("data/activities.csv"))?);
    w.write_all(b"date,rep,activity,hours,target,client_id\n")?;
    let n = sales_lines / 10;
    for i in 0..n {
        let (_, ds) = &act_days[i * act_days.len() / n.max(1)];
        let kind = Kind::ALL[rng.weighted(&[0.1, 0.55, 0.05, 0.1, 0.03, 0.1, 0.07])];
        let quarters = rng.int(2, 10);
        let (target, client) = if kind == Kind::Visit {
            let t = Target::ALL[rng.below(4)];
            let c = if t == Target::Client {
                format!("C{:07}", skewed(&mut rng, clients))
            } else {
                String::new()
            };
            (t.en(), c)
        } else {
            ("", String::new())
        };
        writeln!(
            w,
            "{ds},R{:02},{},{}.{:02},{target},{client}",
            rng.below(REPS) + 1,
            kind.en(),
            quarters / 4,
            quarters % 4 * 25
        )?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_synthetic() {
        let dir = std::env::temp_dir().join(format!("levier-gen-synth-{}", std::process::id()));
        write_synthetic(&dir, 1000, 7).unwrap();
        let sales = fs::read_to_string(dir.join("data/sales.csv")).unwrap();
        assert_eq!(sales.lines().count(), 1001);
        assert!(sales.len() / 1000 > 40 && sales.len() / 1000 < 70);
        let clients = fs::read_to_string(dir.join("data/clients.csv")).unwrap();
        assert_eq!(clients.lines().count(), 41);
        // Deterministic.
        let again = dir.join("again");
        write_synthetic(&again, 1000, 7).unwrap();
        assert_eq!(
            sales,
            fs::read_to_string(again.join("data/sales.csv")).unwrap()
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
