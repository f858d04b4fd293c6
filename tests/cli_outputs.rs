//! Outputs never cost the consultant a file (issue 9, "Data loss").
//!
//! Each test pins one way a build used to delete or overwrite what levier had not
//! written, or to leave a half-done swap behind: an output folder set to the engagements
//! themselves, a foreign folder or index page in the way, a build killed between two
//! renames, an index trusting what it reads back. All run the real binary.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Workspace, levier};

/// Every file under `dir` with its content: what must not change.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files.insert(
                    e.path().strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    files
}

/// A workspace with two engagements, an inputs snapshot taken.
fn two_engagements() -> (Workspace, BTreeMap<PathBuf, Vec<u8>>) {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_base("beta");
    let before = snapshot(&ws.root().join("engagements"));
    (ws, before)
}

// ------------------------------------------------------------------ where outputs go

#[test]
fn out_set_to_the_engagements_folder_is_refused_and_deletes_nothing() {
    let (ws, before) = two_engagements();
    ws.levier(&["build", ".", "--out", "engagements"])
        .assert_code(2)
        .assert_stderr_has(&[
            "error: the output folder engagements is the workspace's engagements/",
            "must not be, contain or sit inside an engagement",
        ]);
    assert_eq!(snapshot(&ws.root().join("engagements")), before);
    assert!(!ws.root().join("output").exists());
}

#[test]
fn out_dot_inside_the_engagements_folder_is_refused() {
    let (ws, before) = two_engagements();
    levier(
        &ws.root().join("engagements"),
        &["build", "alpha", "--out", "."],
    )
    .assert_code(2)
    .assert_stderr_has(&["engagements is the workspace's engagements/"]);
    assert_eq!(snapshot(&ws.root().join("engagements")), before);
}

#[test]
fn out_inside_an_engagement_or_containing_the_workspace_is_refused() {
    let (ws, before) = two_engagements();
    ws.levier(&["build", "--out", "engagements/alpha/reports"])
        .assert_code(2)
        .assert_stderr_has(&["is inside the workspace's engagements/"]);
    ws.levier(&["build", "--out", "."])
        .assert_code(2)
        .assert_stderr_has(&["contains the workspace's engagements/"]);
    fs::create_dir(ws.root().join("templates")).unwrap();
    ws.levier(&["build", "--out", "templates/out"])
        .assert_code(2)
        .assert_stderr_has(&["is inside the workspace's templates/"]);
    // `check` refuses what `build` would refuse.
    ws.write("levier.toml", "[build]\noutput = \"brand/out\"\n");
    ws.levier(&["check"]).assert_code(2);
    assert_eq!(snapshot(&ws.root().join("engagements")), before);
}

#[test]
fn an_engagement_outside_a_workspace_cannot_be_its_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    common::copy_dir(&common::fixtures().join("base"), &root.join("acme"));
    let before = snapshot(&root.join("acme"));
    levier(&root, &["build", "acme", "--out", "acme"])
        .assert_code(2)
        .assert_stderr_has(&["is the engagement `acme`"]);
    levier(&root, &["build", "acme", "--out", "."])
        .assert_code(2)
        .assert_stderr_has(&["contains the engagement `acme`"]);
    assert_eq!(snapshot(&root.join("acme")), before);
}

#[test]
fn out_set_to_another_workspaces_engagements_is_refused() {
    let (ws, _) = two_engagements();
    let other = Workspace::new();
    other.add_base("gamma");
    let before = snapshot(other.root());
    let out = other.root().join("engagements");
    ws.levier(&["build", "--out", out.to_str().unwrap()])
        .assert_code(2)
        .assert_stderr_has(&["contains the engagement"]);
    assert_eq!(snapshot(other.root()), before);
}

#[test]
fn levier_toml_output_set_to_engagements_is_an_error_at_its_line() {
    let (ws, before) = two_engagements();
    for value in ["engagements", "./engagements/", "brand", "templates", "."] {
        ws.write("levier.toml", format!("[build]\noutput = \"{value}\"\n"));
        ws.levier(&["build"]).assert_code(2).assert_stderr_has(&[
            "levier.toml:2:10",
            "error: `build.output` cannot be the workspace or one of its inputs",
        ]);
    }
    assert_eq!(snapshot(&ws.root().join("engagements")), before);
    assert!(!ws.root().join("output").exists());
}

// ------------------------------------------------------------------ only what levier made

#[test]
fn an_output_folder_levier_did_not_write_is_never_replaced() {
    let (ws, _) = two_engagements();
    ws.write("output/alpha/my-notes.txt", "the consultant's own file");
    ws.levier(&["build"]).assert_code(1).assert_stderr_has(&[
        "exists and was not written by levier: it is never replaced",
        "Failed alpha",
        "Built beta",
    ]);
    assert_eq!(
        fs::read_to_string(ws.output("alpha").join("my-notes.txt")).unwrap(),
        "the consultant's own file"
    );
    assert!(!ws.output("alpha").join("metrics.json").exists());
}

#[test]
fn an_index_page_levier_did_not_write_is_never_replaced() {
    let (ws, _) = two_engagements();
    ws.write("output/index.html", "<p>my page</p>");
    ws.levier(&["build"])
        .assert_code(1)
        .assert_stderr_has(&["cannot write the index page", "levier did not write it"]);
    assert_eq!(
        fs::read_to_string(ws.root().join("output/index.html")).unwrap(),
        "<p>my page</p>"
    );
    assert!(ws.output("alpha").join("metrics.json").is_file());
}

#[test]
fn an_engagement_named_index_html_fails_the_run_and_the_index_is_still_written() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_base("index.html");
    ws.levier(&["build", "--format", "json"])
        .assert_code(1)
        .assert_stderr_has(&[
            "an engagement cannot be named `index.html`",
            "Failed index.html",
            "Built alpha",
        ]);
    assert!(ws.root().join("output/index.html").is_file());
}

#[test]
fn an_index_page_that_cannot_be_written_fails_the_run() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    // A folder where the page goes: the run must not say it succeeded.
    fs::remove_file(ws.root().join("output/index.html")).unwrap();
    fs::create_dir(ws.root().join("output/index.html")).unwrap();
    ws.levier(&["build", "--format", "json"])
        .assert_code(1)
        .assert_stderr_has(&["cannot write the index page"]);
}

// ------------------------------------------------------------------ a killed build

/// Makes `output/alpha` look as a build killed between the two renames of the swap
/// leaves it: the previous build renamed away, the new one still staged.
fn kill_between_renames(ws: &Workspace) {
    let out = ws.root().join("output");
    fs::rename(out.join("alpha"), out.join(".alpha.previous-4242")).unwrap();
    common::copy_dir(
        &out.join(".alpha.previous-4242"),
        &out.join(".alpha.partial-4242"),
    );
}

#[test]
fn a_build_killed_between_the_two_renames_is_recovered_by_the_next_one() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    let metrics = fs::read(ws.output("alpha").join("metrics.json")).unwrap();
    kill_between_renames(&ws);
    assert!(!ws.output("alpha").exists());
    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&["restored the previous outputs of `alpha`", "Fresh alpha"]);
    assert_eq!(
        fs::read(ws.output("alpha").join("metrics.json")).unwrap(),
        metrics
    );
    assert_eq!(ws.leftovers(), Vec::<String>::new());
}

#[test]
fn index_after_a_killed_build_restores_and_lists_the_engagement() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "--format", "json,html"])
        .assert_code(0);
    kill_between_renames(&ws);
    ws.levier(&["index", "output"])
        .assert_code(0)
        .assert_stderr_has(&[
            "restored the previous outputs of `alpha`",
            "Indexed 1 engagement",
        ]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
    let index = fs::read_to_string(ws.root().join("output/index.json")).unwrap();
    assert!(index.contains("\"slug\": \"alpha\""), "{index}");
    assert_eq!(ws.leftovers(), Vec::<String>::new());
}

#[test]
fn a_staging_folder_of_a_killed_first_build_is_removed() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    let out = ws.root().join("output");
    // Killed while writing: a marked staging folder, and an empty one (killed at once).
    common::copy_dir(&ws.output("alpha"), &out.join(".beta.partial-77"));
    fs::create_dir(out.join(".gamma.partial-78")).unwrap();
    fs::write(out.join(".index.html.tmp-79"), "half").unwrap();
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    assert_eq!(ws.leftovers(), Vec::<String>::new());
    assert!(!out.join("beta").exists());
}

#[test]
fn a_hidden_folder_that_only_looks_like_a_leftover_is_kept() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.write("output/.alpha.previous-12/mine.txt", "keep me");
    ws.levier(&["build", "--format", "json"]).assert_code(0);
    assert_eq!(
        fs::read_to_string(ws.root().join("output/.alpha.previous-12/mine.txt")).unwrap(),
        "keep me"
    );
}

// ------------------------------------------------------------------ never trusted

/// Every `href` of a page.
fn links(page: &Path) -> Vec<String> {
    let html = scraper::Html::parse_document(&fs::read_to_string(page).unwrap());
    let a = scraper::Selector::parse("a[href]").unwrap();
    html.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_tampered_index_json_or_record_never_reaches_the_index_page() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let out = ws.root().join("output");
    let evil = r#"[{"slug":"x","client":"<script>alert(1)</script>","title":"t","as_of_label":"a","figures":[],"links":[{"name":"x","href":"javascript:alert(1)"}]},"fr"]"#;
    fs::write(out.join("index.json"), format!("[{evil}]")).unwrap();
    let record = out.join("alpha/.levier-cache.json");
    let text = fs::read_to_string(&record).unwrap().replace(
        "\"href\":\"report.html\"",
        "\"href\":\"javascript:alert(1)\"",
    );
    assert!(
        text.contains("javascript:"),
        "the record has a link to tamper with"
    );
    fs::write(&record, text).unwrap();
    ws.levier(&["index", "output"]).assert_code(0);
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let page = out.join("index.html");
    let found = links(&page);
    assert!(!found.is_empty());
    for href in &found {
        assert!(!href.contains("javascript"), "{href}");
        assert!(out.join(href).is_file(), "{href} does not exist");
    }
    assert!(!fs::read_to_string(&page).unwrap().contains("<script>alert"));
}

#[test]
fn a_partial_build_leaves_no_index_link_to_a_removed_file() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    ws.levier(&["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    let out = ws.root().join("output");
    assert!(!ws.output("alpha").join("report.html").exists());
    let found = links(&out.join("index.html"));
    assert_eq!(found, ["alpha/metrics.json"]);
}

#[test]
fn an_unreadable_levier_toml_is_an_error() {
    let (ws, _) = two_engagements();
    ws.write("levier.toml", b"[build]\noutput = \"sorties \xe9t\xe9\"\n");
    ws.levier(&["build"])
        .assert_code(2)
        .assert_stderr_has(&["levier.toml:2", "UTF-8"]);
    assert!(!ws.root().join("output").exists());
    fs::remove_file(ws.root().join("levier.toml")).unwrap();
    fs::create_dir(ws.root().join("levier.toml")).unwrap();
    ws.levier(&["check"])
        .assert_code(2)
        .assert_stderr_has(&["error: cannot read levier.toml", "not a regular file"]);
}
