//! Where a build's time goes: `LEVIER_TIMINGS=1 levier build` prints, at the end of the
//! run, the time spent in each step of the pipeline summed over every engagement.
//!
//! Off by default and free when off (one relaxed atomic load per step). Each step shows
//! its wall time and the process's CPU time while it ran. Several engagements and PDFs
//! run at once, so both are the step's own only on one core: take the breakdown with
//! `taskset -c 0 levier build --force`, where the steps add up to the run's CPU time.
//! `LEVIER_TYPST_TRACE=trace.json` also records Typst's own timing scopes (evaluation,
//! each layout iteration, tables, images, PDF export) as a Chrome trace. The figures are
//! for people measuring levier: they are never part of an output.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// 0: not read yet; 1: off; 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
/// Per step: wall time, process CPU time, count.
type Totals = Vec<(&'static str, Duration, Duration, u32)>;
static TOTALS: Mutex<Totals> = Mutex::new(Vec::new());

/// Whether `LEVIER_TIMINGS` asks for the breakdown.
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var_os("LEVIER_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            if std::env::var_os("LEVIER_TYPST_TRACE").is_some() {
                typst_timing::enable();
            }
            on
        }
        state => state == 2,
    }
}

/// A step being timed; its time is added to `step`'s total when it is dropped.
pub struct Span {
    step: &'static str,
    started: Option<(Instant, Duration)>,
}

/// The CPU time of the whole process so far: on one core, a step's share of it.
fn process_cpu() -> Duration {
    #[cfg(target_os = "linux")]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec for the call to fill.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0 {
            return Duration::new(t.tv_sec as u64, t.tv_nsec as u32);
        }
    }
    Duration::ZERO
}

/// Starts timing `step` (a no-op unless [`enabled`]).
pub fn span(step: &'static str) -> Span {
    Span {
        step,
        started: enabled().then(|| (Instant::now(), process_cpu())),
    }
}

/// Times `f` as `step`.
pub fn time<T>(step: &'static str, f: impl FnOnce() -> T) -> T {
    let _span = span(step);
    f()
}

impl Drop for Span {
    fn drop(&mut self) {
        let Some((wall, cpu)) = self.started else {
            return;
        };
        let (wall, cpu) = (wall.elapsed(), process_cpu().saturating_sub(cpu));
        let mut totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
        match totals.iter_mut().find(|(s, ..)| *s == self.step) {
            Some((_, total, total_cpu, count)) => {
                *total += wall;
                *total_cpu += cpu;
                *count += 1;
            }
            None => totals.push((self.step, wall, cpu, 1)),
        }
    }
}

/// The breakdown so far, one line per step in the order steps were first seen, or
/// nothing when timings are off.
pub fn report() -> Option<String> {
    if !enabled() {
        return None;
    }
    if let Some(path) = std::env::var_os("LEVIER_TYPST_TRACE")
        && let Ok(file) = std::fs::File::create(path)
    {
        let _ = typst_timing::export_json(std::io::BufWriter::new(file), |_| (String::new(), 0));
    }
    let totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = format!(
        "{:<30} {:>10} {:>10} {:>6} {:>9}\n",
        "timings (summed over threads)", "wall ms", "cpu ms", "times", "cpu each"
    );
    for (step, wall, cpu, count) in totals.iter() {
        let ms = |d: &Duration| d.as_secs_f64() * 1e3;
        out.push_str(&format!(
            "  {step:<28} {:>10.1} {:>10.1} {count:>6} {:>9.2}\n",
            ms(wall),
            ms(cpu),
            ms(cpu) / f64::from(*count)
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_adds_its_time_to_its_step_only_when_enabled() {
        // Forced on for this test only: the state is read once per process.
        STATE.store(2, Ordering::Relaxed);
        time("test step", || std::thread::sleep(Duration::from_millis(2)));
        time("test step", || ());
        let report = report().expect("enabled");
        let line = report
            .lines()
            .find(|l| l.contains("test step"))
            .expect("the step is listed");
        let count: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(count[count.len() - 2], "2", "{line}");
    }
}
