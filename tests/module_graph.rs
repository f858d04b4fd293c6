//! The shape of the code, checked: the pipeline's stages depend one way, the renderers
//! read typed views, and no source file grows past what one reader can hold.
//!
//! docs/architecture.md describes the shape; these tests keep it. They read the sources
//! as text (no build-time tooling): a `crate::<module>` path in a stage's code, outside
//! comments and its `#[cfg(test)]` module, is a dependency on that module.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The stages, in pipeline order: each may use the ones before it, never one after.
const STAGES: [&str; 5] = ["engagement", "analysis", "assess", "present", "render"];

/// Shared leaves below the pipeline: every stage may use them, they use no stage.
const LEAVES: [&str; 6] = ["vocab", "i18n", "rules", "levers", "glyphs", "diagnostic"];

/// The hard ceiling of a source file, and the size above which its opening comment must
/// say why it is long.
const CEILING: usize = 1_100;
const SOFT_LIMIT: usize = 1_000;
const LONG_FILE_REASON: &str = "Why this file is long";

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files of a module: `src/<name>.rs` or everything under `src/<name>/`.
fn module_files(name: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{name}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let mut files = rust_files(&src().join(name));
    files.sort();
    assert!(!files.is_empty(), "module {name} not found under src/");
    files
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// A file's code as the build sees it outside tests: comments removed, the
/// `#[cfg(test)]` module (by convention the file's end) cut off. Test-only files
/// (`tests.rs`) have no production code.
fn production_code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    let mut code = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        // A trailing comment; `://` (a URL in a string) is not one.
        let line = match line.find(" // ") {
            Some(at) => &line[..at],
            None => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// The top-level modules a piece of code names through `crate::`, including the
/// grouped form `use crate::{a::X, b};`.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // Top-level names of the group: at depth 0, after `{` or `,`.
            let mut depth = 0usize;
            let mut expect_name = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => expect_name = true,
                    c if expect_name && depth == 0 && (c.is_ascii_alphabetic() || c == '_') => {
                        found.insert(ident(&group[i..]));
                        expect_name = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(after);
            if !name.is_empty() {
                found.insert(name);
            }
        }
        rest = after;
    }
    found
}

/// Each `(file, module)` where a module's code names one of `forbidden`.
fn uses_of(module: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in module_files(module) {
        for used in crate_modules(&production_code(&file)) {
            if forbidden.contains(&used.as_str()) {
                let shown = file.strip_prefix(src()).unwrap().display().to_string();
                found.push(format!("src/{shown} uses crate::{used}"));
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_a_later_stage() {
    let mut wrong = Vec::new();
    for (i, stage) in STAGES.iter().enumerate() {
        wrong.extend(uses_of(stage, &STAGES[i + 1..]));
    }
    assert!(
        wrong.is_empty(),
        "stages depend one way (engagement → analysis → assess → present → render):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn shared_leaves_import_no_stage() {
    let mut wrong = Vec::new();
    for leaf in LEAVES {
        wrong.extend(uses_of(leaf, &STAGES));
    }
    assert!(
        wrong.is_empty(),
        "shared leaves sit below every stage:\n{}",
        wrong.join("\n")
    );
}

/// Renderers read the typed report model; walking a serialised copy by string keys
/// compiles when a field is renamed and silently empties a page.
#[test]
fn render_walks_no_json_by_string_keys() {
    const WALKS: [&str; 8] = [
        "serde_json::Value",
        "serde_json::Map",
        "Value::",
        ".as_object(",
        ".as_array(",
        ".pointer(",
        ".get(\"",
        "[\"",
    ];
    let mut wrong = Vec::new();
    for file in module_files("render") {
        let code = production_code(&file);
        for line in code.lines() {
            // A string-literal index or lookup on a value: `x["key"]`, `x.get("key")`.
            let indexes = line.contains("[\"") && {
                let at = line.find("[\"").unwrap();
                line[..at]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == ')' || c == ']' || c == '_')
            };
            for walk in WALKS {
                let hit = if walk == "[\"" {
                    indexes
                } else {
                    line.contains(walk)
                };
                if hit {
                    let shown = file.strip_prefix(src()).unwrap().display();
                    wrong.push(format!("src/{shown}: `{}` ({walk})", line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "render/ reads typed views, never JSON by string keys:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_is_too_long_to_read() {
    let mut wrong = Vec::new();
    for file in rust_files(&src()) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines = text.lines().count();
        let shown = file.strip_prefix(src()).unwrap().display().to_string();
        let head: String = text.lines().take(30).collect::<Vec<_>>().join("\n");
        if lines > CEILING {
            wrong.push(format!("src/{shown}: {lines} lines (ceiling {CEILING})"));
        } else if lines > SOFT_LIMIT && !head.contains(LONG_FILE_REASON) {
            wrong.push(format!(
                "src/{shown}: {lines} lines, over {SOFT_LIMIT} without a \"{LONG_FILE_REASON}\" \
                 paragraph in its opening comment"
            ));
        }
    }
    wrong.sort();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The scanner itself: a test that could not fail would prove nothing.
#[test]
fn the_scanner_sees_plain_grouped_and_nested_imports() {
    let code = "use crate::render::Html;\nuse crate::{present::model::{Block, Kpi}, vocab};\n\
                let x = crate::assess::measure(e);";
    let found: Vec<String> = crate_modules(code).into_iter().collect();
    assert_eq!(found, ["assess", "present", "render", "vocab"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.rs");
    std::fs::write(
        &file,
        "// crate::render in a comment\nuse crate::vocab;\n#[cfg(test)]\nmod tests { use crate::render; }\n",
    )
    .unwrap();
    let code = production_code(&file);
    assert_eq!(
        crate_modules(&code).into_iter().collect::<Vec<_>>(),
        ["vocab"]
    );
}

/// Every module says why it exists before anything else (the project's style).
#[test]
fn every_source_file_opens_with_a_module_comment() {
    let mut wrong: Vec<String> = rust_files(&src())
        .into_iter()
        .filter(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|file| {
            let shown = file.strip_prefix(src()).unwrap().display().to_string();
            format!("src/{shown}")
        })
        .collect();
    wrong.sort();
    assert!(
        wrong.is_empty(),
        "files without a `//!` comment saying why they exist:\n{}",
        wrong.join("\n")
    );
}
