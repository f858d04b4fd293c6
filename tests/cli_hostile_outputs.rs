//! What someone else put in the output folder: links levier did not create (to a system
//! folder, to nowhere, in place of its lock file), and engagement folders edited by hand
//! after a build. levier leaves them alone, says so naming the file, never writes
//! through a link, and still builds and indexes the rest.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;

use common::Workspace;

fn two_engagements() -> Workspace {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.add_base("globex");
    ws
}

#[test]
fn stray_links_in_the_output_folder_are_left_alone_and_reported() {
    let ws = two_engagements();
    let outside = tempfile::tempdir().expect("a temporary folder");
    let out = ws.root().join("output");
    fs::create_dir(&out).expect("output/");
    symlink(outside.path(), out.join("stray")).expect("a link");
    symlink(outside.path().join("nowhere"), out.join("dangling")).expect("a link");
    // Where the lock would be created if levier opened it through the link.
    let lock_target = outside.path().join("created-through-the-lock");
    symlink(&lock_target, out.join(".levier.lock")).expect("a link");

    let run = ws.levier(&["build", "--format", "json"]);
    run.assert_code(0).assert_stderr_has(&[
        "`stray` in the output folder is a link levier did not create: left alone and out of the index",
        "`dangling` in the output folder is a link levier did not create",
        "`.levier.lock` in the output folder is a link levier did not create: left alone",
        "Built acme",
        "Built globex",
    ]);
    assert!(!lock_target.exists(), "a file was created through the link");
    assert_eq!(
        fs::read_dir(outside.path()).expect("readable").count(),
        0,
        "nothing written outside the output folder"
    );
    for link in ["stray", "dangling", ".levier.lock"] {
        let meta = fs::symlink_metadata(out.join(link)).expect("the link stays");
        assert!(meta.file_type().is_symlink(), "{link} was replaced");
    }
    let index = fs::read_to_string(out.join("index.json")).expect("index.json");
    assert!(index.contains("\"acme\"") && index.contains("\"globex\""));
    assert!(!index.contains("stray"));
}

#[test]
fn an_engagement_folder_in_place_of_a_link_builds_the_others() {
    let ws = two_engagements();
    let outside = tempfile::tempdir().expect("a temporary folder");
    let out = ws.root().join("output");
    fs::create_dir(&out).expect("output/");
    symlink(outside.path(), out.join("acme")).expect("a link");
    let run = ws.levier(&["build", "--format", "json"]);
    run.assert_code(1).assert_stderr_has(&[
        "was not written by levier: it is never replaced",
        "Built globex",
    ]);
    assert_eq!(fs::read_dir(outside.path()).expect("readable").count(), 0);
}

#[test]
fn index_says_which_outputs_were_edited_by_hand() {
    let ws = two_engagements();
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    let out = ws.root().join("output");

    // acme's metrics.json edited after the build: listed, with a warning naming it.
    let metrics = out.join("acme/metrics.json");
    let mut text = fs::read_to_string(&metrics).expect("metrics.json");
    text.push_str("\n{\"edited\": true}\n");
    fs::write(&metrics, text).expect("writable");
    // globex's record given a control character and a script link by hand.
    let record = out.join("globex/.levier-cache.json");
    let text = fs::read_to_string(&record).expect("the record");
    let text = text.replacen(
        "\"client\":\"Base Fixture SAS\"",
        "\"client\":\"\\u001b[31mBase Fixture SAS\"",
        1,
    );
    assert!(text.contains("\\u001b[31m"), "the record was edited");
    let text = text.replacen(
        "\"links\":[",
        "\"links\":[{\"name\":\"x\",\"href\":\"javascript:alert(1)\"},",
        1,
    );
    fs::write(&record, text).expect("writable");
    // A copy of an engagement folder without levier's mark.
    common::copy_dir(&out.join("acme"), &out.join("copied"));
    fs::remove_file(out.join("copied/.levier-output")).expect("the mark");

    let run = ws.levier(&["index", "output"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: `acme/metrics.json` is not the file levier wrote:",
        "output/acme/metrics.json",
        "the outputs of `copied` are left out of the index: the folder has levier's build record but not its `.levier-output` mark",
        "Indexed 2 engagements",
    ]);
    let page = fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(
        !page.contains('\u{1b}'),
        "a control character reached the page"
    );
    assert!(!page.contains("javascript:"));
    assert!(page.contains("Base Fixture SAS"));
}

#[test]
fn a_summary_file_inside_an_engagement_or_the_outputs_is_refused_before_building() {
    let ws = two_engagements();
    let config = ws.engagement("acme").join("engagement.toml");
    let before = fs::read(&config).expect("engagement.toml");
    for target in [
        "engagements/acme/engagement.toml",
        "engagements/acme/notes/summary.md",
        "engagements",
        "output/index.html",
    ] {
        let run = ws.levier(&["build", "--format", "json", "--summary", target]);
        run.assert_code(2)
            .assert_stderr_has(&["error: the summary file", "--summary"])
            .assert_stderr_lacks("Built acme");
    }
    assert_eq!(
        fs::read(&config).expect("engagement.toml"),
        before,
        "the engagement was changed"
    );
    assert!(!ws.engagement("acme").join("notes/summary.md").exists());

    // A link to an engagement file is refused as the file itself.
    symlink(&config, ws.root().join("summary.md")).expect("a link");
    ws.levier(&["check", "--summary", "summary.md"])
        .assert_code(2)
        .assert_stderr_has(&[
            "error: the summary file summary.md is the workspace's engagements/ or inside it",
        ]);
    assert_eq!(fs::read(&config).expect("engagement.toml"), before);

    // A pipe nobody reads would hold the run forever once built.
    let fifo = ws.root().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    ws.levier(&["build", "--format", "json", "--summary", "pipe"])
        .assert_code(2)
        .assert_stderr_has(&["is a pipe or a socket, not a file"]);

    // A file of its own is fine.
    ws.levier(&[
        "build",
        "--format",
        "json",
        "--summary",
        "summary-of-run.md",
    ])
    .assert_code(0);
    assert!(ws.root().join("summary-of-run.md").is_file());
    ws.levier(&["index", "output", "--summary", "output/acme/metrics.json"])
        .assert_code(2)
        .assert_stderr_has(&["is inside the output folder"]);
}

#[test]
fn engagement_folder_names_never_drive_the_terminal_nor_forge_log_lines() {
    let ws = Workspace::new();
    ws.add_base("x\u{1b}[2Jred");
    ws.add_base("a\nb");
    let run = ws.levier(&["build", "--format", "json"]);
    run.assert_code(0)
        .assert_stderr_has(&["Built x\u{241b}[2Jred ->", "Built a\u{240a}b ->"]);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(
        run.stderr.lines().all(|l| !l.starts_with("b ->")),
        "a folder name broke a status line in two: {:?}",
        run.stderr
    );
}
