//! CI-scale builds (issue 16) and the command line around them (issues 15, 17): fresh
//! engagements are not rebuilt, shards split a workspace, `levier index` merges them,
//! and messages fit terminals, CI logs and scripts. All run the real binary; JSON-only
//! builds keep the suite fast where PDFs would prove nothing more.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::{Workspace, levier};

/// Every file under `dir` with its modification time and content.
fn files(dir: &Path) -> BTreeMap<PathBuf, (SystemTime, Vec<u8>)> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let meta = e.metadata().unwrap();
                found.insert(
                    e.path().strip_prefix(dir).unwrap().to_path_buf(),
                    (meta.modified().unwrap(), fs::read(e.path()).unwrap()),
                );
            }
        }
    }
    found
}

fn json_build(ws: &Workspace, extra: &[&str]) -> common::Run {
    let mut args = vec!["build", "--format", "json"];
    args.extend_from_slice(extra);
    ws.levier(&args)
}

// ------------------------------------------------------------------ incremental builds

#[test]
fn a_build_with_nothing_changed_rewrites_nothing_and_says_fresh() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_base("beta");
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let before = files(&ws.root().join("output"));
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0)
        .assert_stderr_has(&[
            "Fresh alpha -> output/alpha",
            "Fresh beta -> output/beta",
            "Finished 2 engagements, all fresh: nothing to rebuild",
            "Open output/index.html",
        ])
        .assert_stderr_lacks("Built");
    assert_eq!(files(&ws.root().join("output")), before);
}

#[test]
fn a_changed_note_rebuilds_that_engagement_alone() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    let beta = ws.add_base("beta");
    json_build(&ws, &[]).assert_code(0);
    let alpha_before = files(&ws.output("alpha"));
    let note = fs::read_dir(beta.join("notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("the base has notes");
    let mut text = fs::read_to_string(&note).unwrap();
    text.push_str("\nOne more sentence.\n");
    fs::write(&note, text).unwrap();
    json_build(&ws, &[]).assert_code(0).assert_stderr_has(&[
        "Fresh alpha",
        "Built beta",
        "(1 fresh, not rebuilt)",
    ]);
    assert_eq!(files(&ws.output("alpha")), alpha_before);
}

#[test]
fn workspace_inputs_formats_and_force_rebuild() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    json_build(&ws, &[]).assert_code(0);
    json_build(&ws, &["--force"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    // Another set of formats is another build.
    ws.levier(&["build", "--format", "json,html"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    // A workspace setting every engagement depends on.
    ws.write("levier.toml", "[ci]\nshards = 2\n");
    ws.levier(&["build", "--format", "json,html"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    ws.write("templates/html/style.css", "body { color: black; }\n");
    ws.levier(&["build", "--format", "json,html"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    ws.levier(&["build", "--format", "json,html"])
        .assert_code(0)
        .assert_stderr_has(&["Fresh alpha"]);
}

#[test]
fn a_missing_or_corrupt_cache_means_a_rebuild_not_an_error() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    json_build(&ws, &[]).assert_code(0);
    let cache = ws.output("alpha").join(".levier-cache.json");
    fs::write(&cache, "{ not json").unwrap();
    json_build(&ws, &[])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    fs::remove_file(&cache).unwrap();
    json_build(&ws, &[])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    json_build(&ws, &[])
        .assert_code(0)
        .assert_stderr_has(&["Fresh alpha"]);
}

#[test]
fn a_deleted_output_file_is_rebuilt() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    json_build(&ws, &[]).assert_code(0);
    fs::remove_file(ws.output("alpha").join("metrics.json")).unwrap();
    json_build(&ws, &[])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    assert!(ws.output("alpha").join("metrics.json").is_file());
}

// ------------------------------------------------------------------ shards and index

/// The slugs `levier build` reported as built.
fn built(run: &common::Run) -> BTreeSet<String> {
    run.stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Built "))
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn shards_are_disjoint_and_complete_and_index_merges_them() {
    let ws = Workspace::new();
    let slugs: BTreeSet<String> = (1..=7).map(|i| format!("client-{i}")).collect();
    for slug in &slugs {
        ws.add_base(slug);
    }
    let merged = ws.root().join("merged");
    let mut seen = BTreeSet::new();
    for k in 1..=3 {
        let out = format!("shard-{k}");
        let run = json_build(&ws, &["--shard", &format!("{k}/3"), "--out", &out]);
        run.assert_code(0);
        let these = built(&run);
        assert!(seen.is_disjoint(&these), "shard {k} repeats {these:?}");
        seen.extend(these);
        for entry in fs::read_dir(ws.root().join(&out)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                common::copy_dir(&entry.path(), &merged.join(entry.file_name()));
            }
        }
    }
    assert_eq!(seen, slugs, "every engagement in exactly one shard");

    ws.levier(&["index", "merged"])
        .assert_code(0)
        .assert_stderr_has(&["Indexed 7 engagements", "Open merged/index.html"]);
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(merged.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["schema"], "levier.index/1");
    let listed: BTreeSet<String> = index["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, slugs);
    let first = &index["engagements"][0];
    assert!(first["figures"].as_array().is_some_and(|f| !f.is_empty()));
    for key in ["revenue.total", "revenue.growth", "clients.new", "findings"] {
        assert!(
            first["raw"].get(key).is_some(),
            "raw {key} missing: {first}"
        );
    }
    assert!(first["raw"]["findings"].is_u64(), "{first}");
}

#[test]
fn shard_arguments_are_checked() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    for bad in ["0/3", "4/3", "1/0", "one/3", "2"] {
        json_build(&ws, &["--shard", bad]).assert_code(2);
    }
}

// ------------------------------------------------------------------ messages

#[test]
fn github_message_format_annotates_the_line() {
    let ws = Workspace::new();
    ws.add_case(
        "broken",
        &common::fixtures()
            .join("invalid")
            .join("unknown-lead-source"),
    );
    let run = json_build(&ws, &["--message-format", "github"]);
    run.assert_code(1);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("::error file=engagements/broken/data/leads.csv,line=2,col=17,")),
        "{}",
        run.stdout
    );
    // People reading the log still get the usual report.
    run.assert_stderr_has(&["--> engagements/broken/data/leads.csv:2:17"]);
}

#[test]
fn json_message_format_is_one_object_per_line() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.add_case(
        "broken",
        &common::fixtures()
            .join("invalid")
            .join("unknown-lead-source"),
    );
    let run = json_build(&ws, &["--message-format", "json"]);
    run.assert_code(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert!(lines.iter().any(|v| v["type"] == "diagnostic"
        && v["file"] == "engagements/broken/data/leads.csv"
        && v["line"] == 2
        && v["column"] == 17));
    assert!(
        lines
            .iter()
            .any(|v| v["type"] == "engagement" && v["slug"] == "alpha" && v["status"] == "built")
    );
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "finished");
    assert_eq!(last["failed"][0], "broken");
}

#[test]
fn quiet_prints_only_problems() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    let run = json_build(&ws, &["-q"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "a quiet good build says nothing");
    add_broken_note(&ws);
    json_build(&ws, &["-q"])
        .assert_code(1)
        .assert_stderr_has(&["error:", "Failed alpha"])
        .assert_stderr_lacks("Finished");
    ws.levier(&["-q", "new", "beta"]).assert_code(0);
    ws.levier(&["new", "gamma", "--quiet"])
        .assert_code(0)
        .assert_stderr_lacks("Created");
}

fn add_broken_note(ws: &Workspace) {
    ws.write(
        "engagements/alpha/notes/99-broken.md",
        "+++\nsection = \"nowhere\"\n+++\ntext\n",
    );
}

#[test]
fn summary_file_lists_each_engagement_and_appends() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    ws.write("summary.md", "# earlier step\n");
    json_build(&ws, &["--summary", "summary.md"]).assert_code(0);
    json_build(&ws, &["--summary", "summary.md"]).assert_code(0);
    let md = fs::read_to_string(ws.root().join("summary.md")).unwrap();
    assert!(md.starts_with("# earlier step\n"), "{md}");
    assert!(
        md.contains("## levier build: 1 engagement (1 built)"),
        "{md}"
    );
    assert!(
        md.contains("## levier build: 1 engagement (1 fresh)"),
        "{md}"
    );
    assert!(md.contains("| alpha | built |"), "{md}");
}

#[test]
fn color_always_colours_and_no_color_is_honoured() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    // `levier` sets NO_COLOR; `--color always` wins over it.
    json_build(&ws, &["--color", "always"])
        .assert_code(0)
        .assert_stderr_has(&["\u{1b}["]);
    json_build(&ws, &["--color", "auto"])
        .assert_code(0)
        .assert_stderr_lacks("\u{1b}[");
}

// ------------------------------------------------------------------ finding the workspace

#[test]
fn build_from_a_sub_folder_of_an_engagement_finds_it_and_its_workspace() {
    let ws = Workspace::new();
    let alpha = ws.add_base("alpha");
    ws.add_base("beta");
    levier(&alpha.join("notes"), &["build", "--format", "json"])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha -> ", "/output/alpha"])
        .assert_stderr_lacks("beta");
    assert!(ws.output("alpha").join("metrics.json").is_file());
    assert!(!alpha.join("notes/output").exists());
    // From a workspace sub-folder, the whole workspace.
    fs::create_dir_all(ws.root().join("brand")).unwrap();
    levier(&ws.root().join("brand"), &["check"])
        .assert_code(0)
        .assert_stderr_has(&["Ok alpha", "Ok beta"]);
}

// ------------------------------------------------------------------ completions, man

#[test]
fn completions_and_man_page() {
    let ws = Workspace::new();
    let bash = ws.levier(&["completions", "bash"]);
    bash.assert_code(0);
    assert!(
        bash.stdout.contains("_levier()") && bash.stdout.contains("--shard"),
        "{}",
        bash.stdout
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = ws.levier(&["completions", shell]);
        run.assert_code(0);
        assert!(run.stdout.contains("levier"), "{shell}");
    }
    let man = ws.levier(&["man"]);
    man.assert_code(0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH levier"),
        "{}",
        man.stdout
    );
    assert!(man.stdout.contains("build"));
    ws.levier(&["completions", "tcsh"]).assert_code(2);
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_engagement_is_never_read_nor_hashed_for_freshness() {
    let ws = Workspace::new();
    let dir = ws.add_base("acme");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("shadow");
    fs::write(&secret, "root:secret-hash:19000:0:99999:7:::\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("data/shadow.csv")).unwrap();
    json_build(&ws, &[]).assert_code(0);
    let cache = fs::read_to_string(ws.output("acme").join(".levier-cache.json")).unwrap();
    let secret_hash = blake3::hash(&fs::read(&secret).unwrap())
        .to_hex()
        .to_string();
    assert!(
        !cache.contains(&secret_hash),
        "the outside file's hash is kept"
    );
    assert!(!cache.contains("shadow.csv\",\"size\":3"), "{cache}");
    // Never fresh while the link is there: always rebuilt, which is safe.
    json_build(&ws, &[]).assert_stderr_lacks("Fresh");
}

#[test]
fn outputs_of_another_build_of_the_same_version_are_rebuilt() {
    let ws = Workspace::new();
    ws.add_base("alpha");
    json_build(&ws, &[]).assert_code(0);
    let cache = ws.output("alpha").join(".levier-cache.json");
    let record = fs::read_to_string(&cache).unwrap();
    // The record names this binary by its version and a digest of its code.
    let id = format!("\"levier\":\"{}+", env!("CARGO_PKG_VERSION"));
    assert!(record.contains(&id), "{record}");
    // The same version built from other code (an older commit, a local change).
    let start = record.find(&id).unwrap() + id.len();
    let end = start + record[start..].find('"').unwrap();
    let other = format!(
        "{}{}{}",
        &record[..start],
        "0000000000000000",
        &record[end..]
    );
    assert_ne!(other, record);
    fs::write(&cache, other).unwrap();
    json_build(&ws, &[])
        .assert_code(0)
        .assert_stderr_has(&["Built alpha"]);
    json_build(&ws, &[])
        .assert_code(0)
        .assert_stderr_has(&["Fresh alpha"]);
}
