//! Every figure a build writes to metrics.json has a name in the reader's words.
//!
//! Notes, plan KPIs and measurement records name figures by their metrics.json path;
//! reports must never show that path to a client. The glossary (`src/glossary.rs`) gives
//! each path its label and unit: this test builds the example engagements with the real
//! binary and fails on any figure the glossary does not know, so a figure cannot be
//! added to metrics.json without its label.

mod common;

use std::path::Path;

use serde_json::Value;

fn figure_paths(prefix: &str, value: &Value, out: &mut Vec<String>) {
    let Value::Object(map) = value else { return };
    for (key, child) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        // The comparison with the last measurement and the files read hold no figure
        // of the measurement (since_last's figures are labelled by their own paths).
        if path == "since_last" || path == "provenance" {
            continue;
        }
        match child {
            Value::Number(_) | Value::Null => out.push(path),
            Value::Object(_) => figure_paths(&path, child, out),
            _ => {}
        }
    }
}

#[test]
fn every_figure_of_the_examples_has_a_label_and_a_unit() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::levier(
        root,
        &[
            "build",
            "--format",
            "json",
            "--out",
            &out.path().to_string_lossy(),
        ],
    );
    run.assert_code(0);
    let mut unknown = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let metrics = entry.unwrap().path().join("metrics.json");
        if !metrics.is_file() {
            continue;
        }
        let value: Value = serde_json::from_slice(&std::fs::read(&metrics).unwrap()).unwrap();
        let mut paths = Vec::new();
        figure_paths("", &value, &mut paths);
        for o in value["objectives"].as_array().into_iter().flatten() {
            for figure in ["target", "actual", "achievement", "projection"] {
                paths.push(format!(
                    "objectives.{}.{figure}",
                    o["key"].as_str().unwrap()
                ));
            }
        }
        for path in paths {
            checked += 1;
            if levier::glossary::lookup(&path).is_none() {
                unknown.push(path);
            }
        }
    }
    assert!(checked > 500, "only {checked} figures found");
    assert!(unknown.is_empty(), "figures without a label: {unknown:#?}");
}
