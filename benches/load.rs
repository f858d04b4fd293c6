//! Loading benchmarks: engagements of 10k, 100k and 1M sales lines.
//!
//! Targets (issue "foundation"): 1M lines (about 60 MB of CSV) load in under 1 s and in
//! under 4x the file size in memory on a 2-core machine. Time is measured by divan; peak
//! heap is measured with a counting allocator and printed before the timings, because
//! divan reports allocation totals, not peaks.
//!
//! Data is generated once by `levier-gen` into `target/bench-data/` and reused.

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

#[divan::bench(args = SIZES, sample_count = 10)]
fn load(bencher: divan::Bencher, lines: usize) {
    let dir = engagement(lines);
    bencher.bench(|| {
        let loaded = levier::engagement::load(divan::black_box(&dir), None);
        assert!(loaded.engagement.is_some());
        loaded
    });
}
