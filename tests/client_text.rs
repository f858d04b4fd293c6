//! Nothing in a client's pages looks like software (deliverable.md): the rendered text of
//! the examples' reports and scorecards, in French and in English, is scanned for metrics
//! keys, code identifiers, file formats of the tool and the tool's own name.

mod common;

use std::path::{Path, PathBuf};

use common::{Workspace, copy_dir};
use scraper::{Html, Selector};

/// The examples, each in both languages, built as HTML and PDF.
fn built() -> (Workspace, Vec<PathBuf>) {
    let ws = Workspace::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("engagements");
    let mut outputs = Vec::new();
    for slug in ["vidal-equipements", "groupe-ferrand", "lumen-atelier"] {
        for language in ["fr", "en"] {
            let name = format!("{slug}-{language}");
            let dir = ws.engagement(&name);
            copy_dir(&root.join(slug), &dir);
            let path = dir.join("engagement.toml");
            let toml = std::fs::read_to_string(&path).unwrap();
            let toml = if toml.contains("language = ") {
                toml.replace("language = \"fr\"", &format!("language = \"{language}\""))
            } else {
                toml.replace(
                    "[engagement]\n",
                    &format!("[engagement]\nlanguage = \"{language}\"\n"),
                )
            };
            std::fs::write(&path, toml).unwrap();
            outputs.push(ws.output(&name));
        }
    }
    let run = ws.levier(&["build", "--format", "html,pdf"]);
    run.assert_code(0);
    // The examples' notes are French: each English edition says so once, the French
    // ones never.
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let warned = |language: &str| {
            run.stderr
                .split("\n\n")
                .filter(|block| block.contains("reads as French"))
                .filter(|block| block.contains(&format!("{slug}-{language}/notes/")))
                .count()
        };
        assert_eq!(warned("en"), 1, "{slug}: {}", run.stderr);
        assert_eq!(warned("fr"), 0, "{slug}: {}", run.stderr);
    }
    (ws, outputs)
}

/// Every document of an output folder: (file, its text as a reader sees it).
fn documents(out: &Path) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    let body = Selector::parse("body").unwrap();
    for entry in walk(out) {
        let name = entry.display().to_string();
        match entry.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let html = Html::parse_document(&std::fs::read_to_string(&entry).unwrap());
                let text: Vec<String> = html
                    .select(&body)
                    .flat_map(|b| b.text())
                    .map(str::to_string)
                    .collect();
                docs.push((name, text.join(" ")));
            }
            Some("pdf") => {
                let bytes = std::fs::read(&entry).unwrap();
                let text = pdf_extract::extract_text_from_mem(&bytes).expect("the PDF parses");
                docs.push((name, text));
            }
            _ => {}
        }
    }
    assert!(docs.len() >= 4, "documents in {}", out.display());
    docs
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Words a client should never read: metrics paths (`clients.reconquered`), snake_case
/// identifiers (`sales_action`), and the tool's own vocabulary.
fn software_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || "()[]«»“”\"',;:!?".contains(c)) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        // The client's own file names are shown on purpose (the data annex says what was
        // read); nothing else has a dot between lowercase words.
        let data_file = [".csv", ".xlsx", ".xlsm", ".xls", ".ods"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        let dotted = word.contains('.')
            && word
                .split('.')
                .all(|p| p.len() > 1 && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        let snake = word.contains('_')
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
        let tool = lower.contains("metrics.json") || lower == "blake3";
        if !data_file && (dotted || snake || tool) {
            found.push(word.to_string());
        }
    }
    // The tool's name is also a French noun ("un levier", "Leviers marketing"): it is
    // the tool's when it signs or has a version.
    let lower = text.to_lowercase();
    for signature in [
        "avec levier",
        "with levier",
        "by levier",
        "par levier",
        "levier 0.",
        "levier 1.",
    ] {
        if lower.contains(signature) {
            found.push(signature.to_string());
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn software_words_are_recognised() {
    assert_eq!(
        software_words("L'indicateur clients.reconquered et la source sales_action, levier 0.1.0"),
        ["clients.reconquered", "levier 0.", "sales_action"]
    );
    assert!(
        software_words("Un levier : chiffre d'affaires 3,6 M€ (data/ventes.csv), 12.5%, e.g. fin.")
            .is_empty()
    );
}

#[test]
fn client_pages_have_no_metrics_keys_code_words_or_tool_name_in_either_language() {
    let (_ws, outputs) = built();
    let mut problems = Vec::new();
    for out in &outputs {
        for (file, text) in documents(out) {
            let words = software_words(&text);
            if !words.is_empty() {
                problems.push(format!("{file}: {words:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
