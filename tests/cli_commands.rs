//! The command line as engagement-format.md's "Command line" section states it: exit
//! statuses, where outputs go for each way of naming engagements, `levier new`, `--help`,
//! and builds that never lose or half-write an output.

mod common;

use std::fs;
use std::path::Path;

use common::{Workspace, levier};

/// An engagement with one error (an unknown lead source), for runs that need one.
fn add_broken(ws: &Workspace, slug: &str) {
    ws.add_case(
        slug,
        &common::fixtures()
            .join("invalid")
            .join("unknown-lead-source"),
    );
}

// ---------------------------------------------------------------- exit statuses

#[test]
fn exit_status_0_when_every_engagement_builds() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_base("beta");
    let run = ws.levier(&["build"]);
    run.assert_code(0).assert_stderr_has(&[
        "Built alpha -> output/alpha (metrics.json, report.html, scorecards/",
        "Built beta -> output/beta (metrics.json, report.html, scorecards/",
        "Finished 2 engagements built",
    ]);
    assert!(
        run.stdout.is_empty(),
        "everything goes to stderr: {}",
        run.stdout
    );
    assert!(ws.output("alpha").join("metrics.json").is_file());
    assert!(ws.output("beta").join("metrics.json").is_file());
}

#[test]
fn exit_status_1_and_the_others_still_built() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    add_broken(&ws, "broken");
    ws.add_base("gamma");

    ws.levier(&["check"]).assert_code(1).assert_stderr_has(&[
        "Ok alpha",
        "Failed broken: 2 errors, nothing written",
        "Ok gamma",
        "error: 1 of 3 engagements had errors: broken",
    ]);
    assert!(!ws.root().join("output").exists(), "check writes nothing");

    ws.levier(&["build"]).assert_code(1).assert_stderr_has(&[
        "Built alpha",
        "engagements/broken/data/leads.csv:2:17",
        "Failed broken: 2 errors, nothing written",
        "Built gamma",
        "error: 1 of 3 engagements had errors: broken",
    ]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
    assert!(ws.output("gamma").join("metrics.json").is_file());
    assert!(!ws.output("broken").exists());
    assert_eq!(ws.leftovers(), Vec::<String>::new());
}

#[test]
fn exit_status_2_for_bad_usage() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    fs::create_dir(ws.root().join("neither")).unwrap();
    ws.write("a-file.txt", "x");

    ws.levier(&["build", "--frobnicate"])
        .assert_code(2)
        .assert_stderr_has(&["unexpected argument '--frobnicate'"]);
    ws.levier(&["check", "--frobnicate"]).assert_code(2);
    ws.levier(&["build", "--format", "xml"])
        .assert_code(2)
        .assert_stderr_has(&["invalid value 'xml'"]);
    ws.levier(&["frobnicate"]).assert_code(2);
    ws.levier(&[]).assert_code(2);
    ws.levier(&["check", "does-not-exist"])
        .assert_code(2)
        .assert_stderr_has(&["error: `does-not-exist` is not a folder"]);
    ws.levier(&["build", "neither"])
        .assert_code(2)
        .assert_stderr_has(&["error: `neither` is neither an engagement nor a workspace"]);
    ws.levier(&["check", "a-file.txt"])
        .assert_code(2)
        .assert_stderr_has(&["error: `a-file.txt` is not a folder"]);
    // A usage error stops the run before anything is built, even the valid paths.
    ws.levier(&["build", "engagements/alpha", "does-not-exist"])
        .assert_code(2);
    assert!(!ws.root().join("output").exists());
}

#[test]
fn help_of_each_command_has_an_example() {
    let ws = Workspace::new();
    let top = ws.levier(&["--help"]);
    top.assert_code(0);
    assert!(top.stdout.contains("Examples:"), "{}", top.stdout);
    for (command, example) in [
        ("build", "levier build engagements/acme"),
        ("check", "levier check engagements/acme"),
        ("new", "levier new maison-vidal"),
    ] {
        let run = ws.levier(&[command, "--help"]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("Example") && run.stdout.contains(example),
            "`levier {command} --help` lacks an example:\n{}",
            run.stdout
        );
    }
}

// ---------------------------------------------------------------- levier new

#[test]
fn new_writes_an_engagement_that_check_accepts_as_it_is() {
    let ws = Workspace::new();
    ws.levier(&["new", "maison-vidal"])
        .assert_code(0)
        .assert_stderr_has(&["Created engagement `maison-vidal` in engagements/maison-vidal"]);
    for file in [
        "engagement.toml",
        "objectives.toml",
        "plan.toml",
        "data/sales.csv",
        "data/clients.csv",
        "data/leads.csv",
        "data/activities.csv",
    ] {
        assert!(ws.engagement("maison-vidal").join(file).is_file(), "{file}");
    }
    // The example text is accepted, but each place still holding it is named, so that
    // none of it reaches a client's report unnoticed.
    ws.levier(&["check"]).assert_code(0).assert_stderr_has(&[
        "Ok maison-vidal",
        "warning: example text `Prénom Nom` left from `levier new`",
        "--> engagements/maison-vidal/engagement.toml:8:15",
        "warning: example text `Write here` left from `levier new`",
        "--> engagements/maison-vidal/notes/00-summary.md:6:1",
        "warning: example text `Alice Bernard` left from `levier new`",
    ]);
    ws.levier(&["build"]).assert_code(0);
    assert!(ws.output("maison-vidal").join("metrics.json").is_file());
}

#[test]
fn new_writes_a_gitignore_for_outputs_only_when_the_workspace_has_none() {
    let ws = Workspace::new();
    ws.levier(&["new", "acme"])
        .assert_code(0)
        .assert_stderr_has(&[
            "Created .gitignore",
            "To put your own brand on the reports, add brand/brand.toml",
        ]);
    let ignore = ws.root().join(".gitignore");
    assert!(
        fs::read_to_string(&ignore)
            .unwrap()
            .lines()
            .any(|l| l == "/output/")
    );
    fs::write(&ignore, "mine\n").unwrap();
    ws.levier(&["new", "beta"])
        .assert_code(0)
        .assert_stderr_lacks(".gitignore");
    assert_eq!(fs::read_to_string(&ignore).unwrap(), "mine\n");
}

#[test]
fn new_in_an_empty_folder_makes_it_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    levier(&root, &["new", "acme"]).assert_code(0);
    levier(&root, &["check"])
        .assert_code(0)
        .assert_stderr_has(&["Ok acme"]);
}

#[test]
fn new_with_workspace_option() {
    let ws = Workspace::new();
    fs::create_dir(ws.root().join("elsewhere")).unwrap();
    levier(
        &ws.root().join("elsewhere"),
        &["new", "acme", "--workspace", ".."],
    )
    .assert_code(0);
    assert!(ws.engagement("acme").join("engagement.toml").is_file());
}

#[test]
fn new_twice_fails_cleanly_and_keeps_the_first() {
    let ws = Workspace::new();
    ws.levier(&["new", "acme"]).assert_code(0);
    let toml = ws.engagement("acme").join("engagement.toml");
    fs::write(&toml, "# edited by the consultant\n").unwrap();
    ws.levier(&["new", "acme"])
        .assert_code(2)
        .assert_stderr_has(&[
            "error: engagement `acme` already exists",
            "--> engagements/acme",
            "help: choose another name, or edit the existing folder",
        ]);
    assert_eq!(
        fs::read_to_string(&toml).unwrap(),
        "# edited by the consultant\n"
    );
}

#[test]
fn new_with_a_bad_slug_is_a_usage_error_and_creates_nothing() {
    let ws = Workspace::new();
    for slug in ["Acme", "../acme", "-acme", "acme corp", "acmé", "a/b", ""] {
        ws.levier(&["new", "--", slug])
            .assert_code(2)
            .assert_stderr_has(&[
                &format!("error: invalid engagement name `{slug}`"),
                "expected lowercase letters, digits and hyphens",
            ]);
    }
    let created: Vec<_> = fs::read_dir(ws.root().join("engagements"))
        .unwrap()
        .collect();
    assert!(created.is_empty(), "{created:?}");
    assert!(!ws.root().join("acme").exists());
}

// ---------------------------------------------------------------- path resolution

#[test]
fn default_path_is_the_current_workspace_and_skips_underscore_and_dot_folders() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    add_broken(&ws, "_draft");
    add_broken(&ws, ".hidden");
    ws.levier(&["build"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha", "Finished 1 engagement built"])
        .assert_stderr_lacks("_draft")
        .assert_stderr_lacks(".hidden");
}

#[test]
fn a_workspace_given_as_path_from_elsewhere() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = ws.root().to_str().unwrap();
    levier(elsewhere.path(), &["build", root]).assert_code(0);
    assert!(ws.output("alpha").join("metrics.json").is_file());
}

#[test]
fn an_engagement_folder_outputs_to_its_workspace_two_levels_up() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_base("beta");
    ws.levier(&["build", "engagements/alpha"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha -> output/alpha", "Finished 1 engagement built"]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
    assert!(!ws.output("beta").exists(), "only the engagement given");
}

#[test]
fn inside_an_engagement_folder_the_default_path_is_that_engagement() {
    // Regression: `.` has no name and no usable parent as written; the engagement was
    // called `.` and its own folder taken as the workspace (output/ written inside it).
    let ws = Workspace::new();
    ws.add_base("alpha");
    let inside = ws.engagement("alpha");
    levier(&inside, &["check"])
        .assert_code(0)
        .assert_stderr_has(&["Ok alpha"]);
    levier(&inside, &["build"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
    assert!(!inside.join("output").exists());
    // And `..`-style paths are the same folder.
    levier(&ws.root().join("engagements"), &["check", "alpha/../alpha"])
        .assert_code(0)
        .assert_stderr_has(&["Ok alpha"]);
}

#[test]
fn an_engagement_outside_any_workspace_outputs_next_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    common::copy_dir(&common::fixtures().join("base"), &root.join("clients/acme"));
    levier(&root, &["build", "clients/acme"]).assert_code(0);
    assert!(root.join("clients/output/acme/metrics.json").is_file());
}

#[test]
fn an_engagement_path_written_with_dot_and_trailing_slash() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "./engagements/alpha/"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha -> output/alpha"]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
}

#[test]
fn out_dir_receives_slug_folders() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_base("beta");
    ws.levier(&["build", "--out", "reports"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha -> reports/alpha", "Built beta -> reports/beta"]);
    assert!(ws.root().join("reports/alpha/metrics.json").is_file());
    assert!(ws.root().join("reports/beta/metrics.json").is_file());
    assert!(!ws.root().join("output").exists());
    // With an engagement path too.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("deliverables");
    ws.levier(&["build", "engagements/alpha", "--out", out.to_str().unwrap()])
        .assert_code(0);
    assert!(out.join("alpha/metrics.json").is_file());
}

#[test]
fn workspace_output_folder_from_levier_toml() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.write("levier.toml", "[build]\noutput = \"livrables\"\n");
    ws.levier(&["build", "engagements/alpha"]).assert_code(0);
    assert!(ws.root().join("livrables/alpha/metrics.json").is_file());

    ws.write("levier.toml", "[build]\noutput = \"../elsewhere\"\n");
    ws.levier(&["build"]).assert_code(2).assert_stderr_has(&[
        "levier.toml:2:10",
        "error: `build.output` must be a folder inside the workspace",
    ]);
}

#[test]
fn the_same_engagement_named_twice_is_built_once() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", ".", "engagements/alpha", "./engagements/alpha/"])
        .assert_code(0)
        .assert_stderr_has(&["Finished 1 engagement built"]);
}

#[test]
fn out_dir_with_two_engagements_of_the_same_name_is_refused() {
    let one = Workspace::new();
    let two = Workspace::new();
    one.add_base("acme");
    two.add_base("acme");
    let out = tempfile::tempdir().unwrap();
    levier(
        one.root(),
        &[
            "build",
            ".",
            two.root().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
    )
    .assert_code(2)
    .assert_stderr_has(&["error: two engagements named `acme` would both be written to"]);
    assert!(!out.path().join("acme").exists());
}

#[test]
fn an_engagement_given_alone_uses_its_workspace_brand() {
    // The workspace two levels up is found: its brand/ applies (here, a broken one).
    let ws = Workspace::new();
    let engagement = ws.add_base("alpha");
    fs::remove_dir_all(engagement.join("brand")).unwrap();
    ws.write(
        "brand/brand.toml",
        "name = \"Cabinet\"\ncolors = { primary = \"navy\" }\n",
    );
    let elsewhere = tempfile::tempdir().unwrap();
    levier(elsewhere.path(), &["check", engagement.to_str().unwrap()])
        .assert_code(1)
        .assert_stderr_has(&["brand/brand.toml:2:22", "error: invalid colour `navy`"]);
}

// ---------------------------------------------------------------- nothing is lost

#[test]
fn a_failed_rebuild_keeps_the_previous_output() {
    let ws = Workspace::new();
    let dir = ws.add_base("alpha");
    ws.levier(&["build"]).assert_code(0);
    let metrics = ws.output("alpha").join("metrics.json");
    let before = fs::read(&metrics).unwrap();

    fs::write(
        dir.join("data/sales.csv"),
        "date,client_id,amount\n2024-01-01,C1,oops\n",
    )
    .unwrap();
    ws.levier(&["build"])
        .assert_code(1)
        .assert_stderr_has(&["Failed alpha: 1 error, nothing written"]);
    assert_eq!(fs::read(&metrics).unwrap(), before, "previous build intact");
    assert_eq!(ws.leftovers(), Vec::<String>::new());
}

#[test]
fn a_rebuild_replaces_the_whole_output_folder() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build"]).assert_code(0);
    // A file from an older build (or dropped there by hand) does not survive a rebuild:
    // the output folder is swapped whole, never merged.
    fs::write(ws.output("alpha").join("stale.txt"), "old").unwrap();
    ws.levier(&["build", "--force"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
    assert!(!ws.output("alpha").join("stale.txt").exists());
    assert_eq!(ws.leftovers(), Vec::<String>::new());
}

#[test]
fn identical_inputs_give_identical_outputs() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build"]).assert_code(0);
    let first = fs::read(ws.output("alpha").join("metrics.json")).unwrap();
    ws.levier(&["build"]).assert_code(0);
    assert_eq!(
        fs::read(ws.output("alpha").join("metrics.json")).unwrap(),
        first
    );
}

// ---------------------------------------------------------------- every problem reported

#[test]
fn diagnostics_come_in_file_then_line_order() {
    let ws = Workspace::new();
    ws.add_case(
        "case",
        &common::fixtures()
            .join("invalid")
            .join("errors-in-several-files"),
    );
    let run = ws.levier(&["check"]);
    run.assert_code(1);
    let positions: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
    // One error in each file but engagement.toml, whose errors come alone.
    assert_eq!(positions.len(), 8, "{}", run.stderr);
}

#[test]
fn engagements_are_reported_in_name_order_whatever_the_parallelism() {
    let ws = Workspace::new();
    for slug in ["delta", "alpha", "charlie", "bravo"] {
        add_broken(&ws, slug);
    }
    let run = ws.levier(&["check"]);
    run.assert_code(1);
    let failed: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Failed "))
        .map(|l| l.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(failed, ["alpha", "bravo", "charlie", "delta"]);
    run.assert_stderr_has(&["error: 4 of 4 engagements had errors: alpha, bravo, charlie, delta"]);
}

#[test]
fn a_workspace_without_engagements_says_so() {
    let ws = Workspace::new();
    let run = ws.levier(&["check"]);
    run.assert_code(0)
        .assert_stderr_has(&["warning: no engagement found"]);
    assert!(Path::new(ws.root()).join("engagements").is_dir());
}

#[test]
fn check_runs_the_assessment_and_reports_unknown_kpi_paths() {
    // An action's KPI is a path in metrics.json: only the assessment can check it, so
    // `check` analyses and assesses too.
    let (code, stderr) =
        common::check_case(&common::fixtures().join("invalid").join("plan-unknown-kpi"));
    assert_eq!(code, 1, "{stderr}");
    for needle in [
        "error: unknown kpi `leads.by_source.prescripton.count`",
        "engagements/case/plan.toml:9:7",
        "help: did you mean `leads.by_source.prescription.count`?",
        "Failed case: 1 error, nothing written",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
}

#[test]
fn check_renders_too_so_a_broken_template_fails_check_like_build() {
    // Regression: `check` stopped after the assessment, so a Typst template that does
    // not compile passed `check` and failed `build`.
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.write("templates/typst/report.typ", "#let broken = (\n");
    let check = ws.levier(&["check"]);
    check
        .assert_code(1)
        .assert_stderr_has(&["templates/typst/report.typ", "Failed alpha"])
        .assert_stderr_lacks("eject --force");
    ws.levier(&["build"]).assert_code(1);
    assert!(!ws.output("alpha").exists());
}
