//! Loading benchmarks: engagements of 10k, 100k and 1M sales lines.
//!
//! Targets (issue "foundation"): 1M lines (about 60 MB of CSV) load in under 1 s and in
//! under 4x the file size in memory on a 2-core machine. Time is measured by divan; peak
//! heap is measured with a counting allocator and printed before the timings, because
//! divan reports allocation totals, not peaks.
//!
//! Data is generated once by `levier-gen` into `target/bench-data/` and reused.
//!
//! Format v1.1 (`load_v11`): the 1M-line engagement's sales as an `.xlsx` workbook, and
//! as the same CSV read through a `skip` filter and `values` maps (leads' stages and
//! sources in a CRM's words), so that the cost of workbooks and of the v1.1 settings is
//! measured against the plain CSV path of `load`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Tracks live and peak heap bytes.
struct PeakAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

mod common;

use common::SIZES;

/// The generated engagement of `lines` sales lines.
fn engagement(lines: usize) -> PathBuf {
    common::synthetic_dir(lines)
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn main() {
    for lines in SIZES {
        let dir = engagement(lines);
        let sales = std::fs::metadata(dir.join("data/sales.csv")).map_or(0, |m| m.len());
        let total = dir_size(&dir);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let loaded = levier::engagement::load(&dir, None);
        let peak = PEAK.load(Ordering::Relaxed) - before;
        assert!(
            loaded.engagement.is_some(),
            "bench engagement must load: {:?}",
            loaded.diagnostics.iter().next()
        );
        drop(loaded);
        eprintln!(
            "memory  load {lines:>9} lines: sales.csv {:.1} MB, all files {:.1} MB, peak heap {:.1} MB = {:.2}x the files",
            sales as f64 / 1e6,
            total as f64 / 1e6,
            peak as f64 / 1e6,
            peak as f64 / total as f64
        );
    }
    divan::main();
}

/// The v1.1 variants of the 1M-line engagement: `xlsx` (sales in a workbook) and
/// `csv-maps` (sales through a `skip` filter, leads through `values` maps).
fn v11_dir(variant: &str) -> PathBuf {
    let base = engagement(1_000_000);
    let dir = base.with_file_name(format!("v11-{variant}-1000000"));
    if dir.join("engagement.toml").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).expect("bench folder");
    for table in ["clients", "activities"] {
        let file = format!("data/{table}.csv");
        std::fs::copy(base.join(&file), dir.join(&file)).expect("copied");
    }
    let toml = std::fs::read_to_string(base.join("engagement.toml")).expect("toml");
    let sales = std::fs::read_to_string(base.join("data/sales.csv")).expect("sales");
    let leads = std::fs::read_to_string(base.join("data/leads.csv")).expect("leads");
    let extra = match variant {
        "xlsx" => {
            use levier_gen::xlsx::{Cell, Sheet, workbook};
            let rows: Vec<Vec<Cell>> = sales
                .lines()
                .enumerate()
                .map(|(i, line)| {
                    line.split(',')
                        .enumerate()
                        .map(|(c, v)| match (i, c) {
                            (0, _) | (_, 1..=4) => Cell::text(v),
                            (_, 0) => Cell::Date(v.parse().expect("ISO date")),
                            _ => Cell::number(v),
                        })
                        .collect()
                })
                .collect();
            let bytes = workbook(&[Sheet {
                name: "Ventes".into(),
                rows,
            }]);
            std::fs::write(dir.join("data/sales.xlsx"), bytes).expect("workbook");
            std::fs::write(dir.join("data/leads.csv"), &leads).expect("leads");
            "\n[data.sales]\nfile = \"data/sales.xlsx\"\n".to_string()
        }
        _ => {
            std::fs::write(dir.join("data/sales.csv"), &sales).expect("sales");
            let crm = leads
                .replace(",won,", ",Closed Won,")
                .replace(",lost,", ",Closed Lost,")
                .replace(",online,", ",Web,");
            std::fs::write(dir.join("data/leads.csv"), crm).expect("leads");
            "\n[data.sales]\nskip = { \"rep\" = [\"R99\"] }\nkeep = { \"product\" = [\"P001\", \"P002\", \"P003\", \"P004\", \"P005\", \"P006\", \"P007\", \"P008\", \"P009\", \"P010\"] }\n\n[data.leads.values]\nstage = { \"Closed Won\" = \"won\", \"Closed Lost\" = \"lost\" }\nsource = { \"Web\" = \"online\" }\n".to_string()
        }
    };
    std::fs::write(dir.join("engagement.toml"), format!("{toml}{extra}")).expect("toml");
    dir
}

#[divan::bench(args = ["xlsx", "csv-maps"], sample_count = 5)]
fn load_v11(bencher: divan::Bencher, variant: &str) {
    let dir = v11_dir(variant);
    bencher.bench(|| {
        let loaded = levier::engagement::load(divan::black_box(&dir), None);
        assert!(
            loaded.engagement.is_some(),
            "{:?}",
            loaded.diagnostics.iter().next()
        );
        loaded
    });
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn load(bencher: divan::Bencher, lines: usize) {
    let dir = engagement(lines);
    bencher.bench(|| {
        let loaded = levier::engagement::load(divan::black_box(&dir), None);
        assert!(loaded.engagement.is_some());
        loaded
    });
}
