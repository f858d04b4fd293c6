//! Writing an engagement's outputs to disk, and the output folder's index page.
//!
//! Outputs of an engagement are produced in memory first, written to a hidden staging
//! folder next to the final one, then swapped in with a rename, so `output/<slug>/` is
//! always either the previous complete build or the new complete build, never a
//! half-written mix.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::render::Renderers;

/// What a built engagement contributes to its output folder's index page.
pub struct IndexLine {
    pub out_dir: PathBuf,
    pub entry: crate::render::html::IndexEntry,
    pub language: crate::vocab::Language,
}

/// Updates `<out>/index.html`: the engagements built now, plus those built earlier
/// whose output is still there (remembered in `<out>/index.json`), by slug.
pub fn write_index(
    out_dir: &Path,
    lines: &[&IndexLine],
    renderers: &Renderers,
) -> Result<(), Diagnostic> {
    use crate::render::html::IndexEntry;
    use crate::vocab::Language;
    let memory = out_dir.join("index.json");
    let mut entries: std::collections::BTreeMap<String, (IndexEntry, Language)> =
        std::fs::read(&memory)
            .ok()
            .and_then(|b| serde_json::from_slice::<Vec<(IndexEntry, Language)>>(&b).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|(e, _)| out_dir.join(&e.slug).is_dir())
            .map(|(e, l)| (e.slug.clone(), (e, l)))
            .collect();
    for l in lines {
        entries.insert(l.entry.slug.clone(), (l.entry.clone(), l.language));
    }
    let list: Vec<(IndexEntry, Language)> = entries.into_values().collect();
    // French unless every engagement listed is in English.
    let language = if list.iter().all(|(_, l)| *l == Language::En) {
        Language::En
    } else {
        Language::Fr
    };
    let labels = crate::i18n::Labels::builtin(language);
    let page = renderers.html.index(
        &renderers.templates,
        crate::vocab::Vocabulary::name(language),
        labels.get("index.title"),
        &labels.fill("index.intro", &[("count", &list.len().to_string())]),
        &list.iter().map(|(e, _)| e.clone()).collect::<Vec<_>>(),
    )?;
    let write = |path: &Path, bytes: &[u8]| -> std::io::Result<()> {
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    };
    let json = serde_json::to_vec(&list).unwrap_or_default();
    write(&memory, &json)
        .and_then(|()| write(&out_dir.join("index.html"), page.as_bytes()))
        .map_err(|e| {
            Diagnostic::error(format!("cannot write the index page: {e}"))
                .in_file(out_dir.join("index.html"))
        })
}

/// Writes all outputs to a staging folder, then swaps it with `target`.
pub fn write_atomically(target: &Path, outputs: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let parent = target.parent().expect("output folders have a parent");
    std::fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .expect("output folders have a name")
        .to_string_lossy();
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        std::fs::create_dir_all(&staging)?;
        for (rel, bytes) in outputs {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, bytes)?;
        }
        if target.exists() {
            std::fs::rename(target, &previous)?;
        }
        if let Err(e) = std::fs::rename(&staging, target) {
            // Put the previous build back rather than leave nothing.
            let _ = std::fs::rename(&previous, target);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&previous);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
