//! Bad input gets a clear error, and nothing is lost.
//!
//! One folder per invalid case under `tests/fixtures/invalid/`, holding only the files
//! that differ from `tests/fixtures/base/` and an `expected.txt` (see `common`). Each
//! case is built with `levier build` next to an untouched copy of the base, which checks
//! at once that the diagnostics name the file, line, column and what was expected, that
//! the broken engagement leaves no output (not even a staging folder) and that it does
//! not stop the good one from being built. Adding a case is adding a folder.

mod common;

use std::path::Path;

use common::{Workspace, expectations, unmet};

/// Builds one case next to a good engagement; returns what went wrong, if anything.
fn run_case(case: &Path) -> Result<(), String> {
    let ws = Workspace::new();
    ws.add_base("good");
    ws.add_case("case", case);
    // JSON only: the cases are about loading, and rendering PDFs for the good engagement
    // seventy times would make the suite slow for nothing.
    let run = ws.levier(&["build", "--format", "json"]);
    let mut problems = unmet(&run, &expectations(case));
    if run.code != 1 {
        problems.push(format!("exit status {} instead of 1", run.code));
    }
    if !run.stderr.contains("Failed case:") {
        problems.push("no `Failed case:` line".into());
    }
    if !run.stderr.contains("Built good") || !ws.output("good").join("metrics.json").is_file() {
        problems.push("the good engagement next to it was not built".into());
    }
    if ws.output("case").exists() {
        problems.push("output/case/ was written for a broken engagement".into());
    }
    let leftovers = ws.leftovers();
    if !leftovers.is_empty() {
        problems.push(format!("leftover staging folders: {leftovers:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "case {}:\n  {}\n--- stderr ---\n{}",
            case.file_name().unwrap_or_default().to_string_lossy(),
            problems.join("\n  "),
            run.stderr
        ))
    }
}

#[test]
fn every_invalid_case_is_reported_precisely_and_spares_the_others() {
    let cases = common::cases("invalid");
    assert!(
        cases.len() >= 30,
        "only {} invalid cases found in tests/fixtures/invalid",
        cases.len()
    );
    // The cases are independent processes in their own temporary folders: run them on
    // a few threads, and report every failing case at once.
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get().min(8));
    let chunk = cases.len().div_ceil(threads);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|group| {
                s.spawn(move || {
                    group
                        .iter()
                        .filter_map(|c| run_case(c).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a case thread panicked"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} invalid cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_has_expectations_and_only_known_control_files() {
    // A misspelt control file (`expect.txt`) would silently be copied into the
    // engagement and the case would assert nothing: top-level files must be control
    // files or engagement files.
    const TOP_LEVEL: &[&str] = &[
        "expected.txt",
        "removed.txt",
        "engagement.toml",
        "objectives.toml",
        "plan.toml",
    ];
    for case in common::cases("invalid") {
        for entry in std::fs::read_dir(&case).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let known = if entry.file_type().unwrap().is_dir() {
                ["data", "notes", "brand"].contains(&name.as_str())
            } else {
                TOP_LEVEL.contains(&name.as_str())
            };
            assert!(known, "{}: unexpected `{name}`", case.display());
        }
        let expected = expectations(&case);
        assert!(
            expected
                .iter()
                .any(|(present, text)| *present && text.contains("engagements/case/")),
            "{}: expected.txt names no file position",
            case.display()
        );
        assert!(
            expected
                .iter()
                .any(|(present, text)| *present && text.starts_with("error: ")),
            "{}: expected.txt names no error message",
            case.display()
        );
    }
}

#[test]
fn the_base_fixture_is_valid_without_warnings() {
    let ws = Workspace::new();
    ws.add_base("base");
    ws.levier(&["check"])
        .assert_code(0)
        .assert_stderr_has(&["Ok base", "Finished 1 engagement checked"])
        .assert_stderr_lacks("warning");
}

#[test]
fn every_valid_case_passes_check() {
    for case in common::cases("valid") {
        let ws = Workspace::new();
        ws.add_case("case", &case);
        let run = ws.levier(&["check"]);
        let problems = if case.join("expected.txt").exists() {
            unmet(&run, &expectations(&case))
        } else {
            Vec::new()
        };
        assert!(
            run.code == 0 && problems.is_empty(),
            "valid case {} failed (exit {}): {problems:?}\n{}",
            case.display(),
            run.code,
            run.stderr
        );
        run.assert_stderr_lacks("warning");
    }
}
