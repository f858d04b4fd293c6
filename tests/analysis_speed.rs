//! Speed of the analyses on a large synthetic engagement (1M sales lines, 100k leads,
//! 100k activities). Ignored by default (it writes ~60 MB); run it in release:
//!
//! ```text
//! cargo test --release --test analysis_speed -- --ignored --nocapture
//! ```

use std::time::Instant;

#[test]
#[ignore = "large: run in release with --ignored"]
fn analyse_one_million_lines_in_under_a_second() {
    let lines: usize = std::env::var("LEVIER_SPEED_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let engagement_dir = dir.path().join("synthetic");
    levier_gen::write_synthetic(&engagement_dir, lines, 7).expect("synthetic data");
    let started = Instant::now();
    let loaded = levier::engagement::load(&engagement_dir, None);
    let load_time = started.elapsed();
    let e = loaded.engagement.expect("the synthetic engagement loads");
    assert_eq!(e.sales.len(), lines);

    let mut best = f64::INFINITY;
    let mut metrics = None;
    for _ in 0..3 {
        let started = Instant::now();
        metrics = Some(levier::analysis::analyse(&e));
        best = best.min(started.elapsed().as_secs_f64());
    }
    let started = Instant::now();
    let json = serde_json::to_vec_pretty(&metrics.expect("ran")).expect("serialise");
    let serialise = started.elapsed();
    eprintln!(
        "{} sales lines, {} leads, {} activities, {} clients: load {:.2?}, analyse {:.3} s (best of 3), serialise {:.2?} ({} KB)",
        e.sales.len(),
        e.leads.as_ref().map_or(0, Vec::len),
        e.activities.as_ref().map_or(0, Vec::len),
        e.client_ids.len(),
        load_time,
        best,
        serialise,
        json.len() / 1024
    );
    if !cfg!(debug_assertions) {
        assert!(best < 1.0, "analyse took {best:.3} s");
    }
}
