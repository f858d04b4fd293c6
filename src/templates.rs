//! The built-in templates and a workspace's overrides of them.
//!
//! Every template file lives under `templates/` in the repository and is embedded in the
//! binary. A workspace may override any of them file by file with a file at the same
//! relative path in its own `templates/` folder; the built-in file is used otherwise
//! (override order: workspace first, built-in last, as Zola does). `levier templates
//! eject` copies the built-in files out as a starting point.
//!
//! levier's own repository is a workspace too (its examples are what the README's first
//! command builds), and its `templates/` folder is where the built-in files come from,
//! next to the `levier new` scaffold and the built-in brand. Files there that are exactly
//! what levier embeds are therefore recognised and pass silently; only a file that
//! overrides nothing, or an edited copy of a non-template file, gets a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::engagement::paths;

/// One built-in template file: its path under `templates/` and its content.
pub struct BuiltinFile {
    pub path: &'static str,
    pub content: &'static str,
}

macro_rules! builtin {
    ($($path:literal),+ $(,)?) => {
        &[$(BuiltinFile { path: $path, content: include_str!(concat!("../templates/", $path)) }),+]
    };
}

/// Every built-in template that a workspace may override, the labels
/// (`templates/i18n/`) and the lever catalogue included: those are merged key by key
/// over levier's own ([`Templates::texts`]).
pub const BUILTIN: &[BuiltinFile] = builtin![
    "html/report.html",
    "html/block.html",
    "html/index.html",
    "html/style.css",
    "typst/report.typ",
    "typst/scorecard.typ",
    "typst/lib.typ",
    "i18n/fr.toml",
    "i18n/en.toml",
    "levers.toml",
];

/// Files under `templates/` that levier embeds but a workspace cannot override: the
/// `levier new` scaffold and the built-in brand, by their path under `templates/`.
fn embedded_elsewhere() -> Vec<(String, &'static [u8])> {
    let mut files: Vec<(String, &'static [u8])> = crate::scaffold::FILES
        .iter()
        .map(|(rel, content)| (format!("engagement/{rel}"), content.as_bytes()))
        .collect();
    files.push((
        "brand/brand.toml".into(),
        crate::engagement::brand::BUILTIN_TOML.as_bytes(),
    ));
    files
}

/// Whether two texts are the same file, whatever the line endings (git on Windows may
/// check files out with CRLF).
fn same_text(a: &[u8], b: &[u8]) -> bool {
    let strip = |x: &[u8]| -> Vec<u8> { x.iter().copied().filter(|&c| c != b'\r').collect() };
    a == b || strip(a) == strip(b)
}

/// The help of an error in a workspace's template (`path` under `templates/`, when
/// known): what to do that loses nothing. `eject --force` would overwrite every
/// customisation.
pub fn override_help(path: Option<&str>) -> String {
    let file = path.map_or_else(|| "the file".to_string(), |p| format!("`templates/{p}`"));
    format!(
        "this template overrides a built-in one: to go back to the built-in version, move {file} out of the templates folder (nothing else changes); `levier templates eject --workspace <empty folder>` writes the built-in versions elsewhere to compare"
    )
}

/// Where a template came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    Workspace(PathBuf),
}

/// The templates in effect for one workspace.
#[derive(Debug, Clone)]
pub struct Templates {
    files: BTreeMap<&'static str, (String, Origin)>,
}

impl Templates {
    /// The built-in templates only.
    pub fn builtin() -> Templates {
        Templates {
            files: BUILTIN
                .iter()
                .map(|f| (f.path, (f.content.to_string(), Origin::BuiltIn)))
                .collect(),
        }
    }

    /// The built-in templates with the overrides found in `<workspace>/templates/`.
    /// Problems (an unreadable override, a link out of the folder) are errors;
    /// a file that overrides nothing is a warning, since it is probably misnamed.
    pub fn load(workspace: &Path) -> (Templates, Vec<Diagnostic>) {
        let mut templates = Templates::builtin();
        let mut diagnostics = Vec::new();
        let dir = workspace.join("templates");
        let Ok(root) = dir.canonicalize() else {
            return (templates, diagnostics);
        };
        // The folder itself may be a link; it must still lead inside the workspace, or a
        // shared `templates` link would publish whatever it points at.
        let inside = workspace.canonicalize().is_ok_and(|w| root.starts_with(&w));
        if !inside {
            diagnostics.push(
                Diagnostic::error("cannot use the templates folder")
                    .in_file(&dir)
                    .label(paths::PathError::LinksOutside(root.clone()).describe(workspace))
                    .help("copy the templates into the workspace instead of linking to them"),
            );
            return (templates, diagnostics);
        }
        let elsewhere = embedded_elsewhere();
        for entry in walkdir::WalkDir::new(&root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
        {
            let rel = entry
                .path()
                .strip_prefix(&root)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            if rel.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            let read = paths::check_inside(&root, entry.path())
                .and_then(|p| paths::read_regular(&p, paths::limits::TEMPLATE))
                .map_err(|e| e.describe(&root));
            let Some(builtin) = BUILTIN.iter().find(|f| f.path == rel) else {
                let known = elsewhere.iter().find(|(path, _)| *path == rel);
                if let (Some((_, content)), Ok(bytes)) = (known, &read)
                    && same_text(bytes, content)
                {
                    continue;
                }
                diagnostics.push(
                    Diagnostic::warning(format!("`templates/{rel}` does not override any built-in template"))
                        .in_file(entry.path())
                        .suggest(&rel, BUILTIN.iter().map(|f| f.path))
                        .note("`levier templates eject` writes every built-in template with its expected path"),
                );
                continue;
            };
            match read.and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())
            }) {
                Ok(text) => {
                    templates.files.insert(
                        builtin.path,
                        (text, Origin::Workspace(entry.path().to_path_buf())),
                    );
                }
                Err(e) => diagnostics.push(
                    Diagnostic::error(format!("cannot read template override `templates/{rel}`"))
                        .in_file(entry.path())
                        .label(e),
                ),
            }
        }
        (templates, diagnostics)
    }

    /// The labels and lever texts of the reports: levier's own, with this workspace's
    /// `i18n/*.toml` and `levers.toml` merged over them; unknown keys are warnings.
    pub fn texts(&self) -> (std::sync::Arc<crate::i18n::Texts>, Vec<Diagnostic>) {
        use crate::i18n::texts::{LABELS_EN, LABELS_FR, LEVERS, Override};
        let overrides: Vec<Override<'_>> = [LABELS_FR, LABELS_EN, LEVERS]
            .into_iter()
            .filter_map(|name| match self.files.get(name) {
                Some((text, Origin::Workspace(path))) => Some(Override { name, text, path }),
                _ => None,
            })
            .collect();
        crate::i18n::Texts::with_overrides(&overrides)
    }

    /// The content of a template.
    pub fn get(&self, path: &str) -> &str {
        self.files.get(path).map_or("", |(text, _)| text.as_str())
    }

    pub fn origin(&self, path: &str) -> Origin {
        self.files
            .get(path)
            .map_or(Origin::BuiltIn, |(_, o)| o.clone())
    }

    /// Every template under a folder (`html/`), as (path, content).
    pub fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'static str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(move |(p, _)| p.starts_with(prefix))
            .map(|(p, (t, _))| (*p, t.as_str()))
    }
}

/// Copies the built-in templates into `<workspace>/templates/`. Existing files are kept
/// unless `force`; returns the files written.
pub fn eject(workspace: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = workspace.join("templates");
    let mut written = Vec::new();
    for f in BUILTIN {
        let path = dir.join(f.path);
        if path.exists() && !force {
            continue;
        }
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, f.content));
        if let Err(e) = result {
            return Err(Diagnostic::error(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_files_override_builtin_ones() {
        let ws = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(ws.path().join("templates/html")).unwrap();
        std::fs::write(ws.path().join("templates/html/style.css"), "body{}").unwrap();
        std::fs::write(ws.path().join("templates/html/styles.css"), "x").unwrap();
        let (t, d) = Templates::load(ws.path());
        assert_eq!(t.get("html/style.css"), "body{}");
        assert!(t.get("html/report.html").contains("<html"));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].help.iter().any(|h| h.contains("html/style.css")),
            "{:?}",
            d[0]
        );
    }

    #[test]
    fn the_repository_templates_folder_overrides_nothing_and_warns_about_nothing() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (t, d) = Templates::load(root);
        assert_eq!(d, Vec::<Diagnostic>::new());
        assert_eq!(
            t.get("html/style.css"),
            Templates::builtin().get("html/style.css")
        );
    }

    #[test]
    fn an_edited_scaffold_file_in_templates_overrides_nothing() {
        let ws = tempfile::tempdir().unwrap();
        let dir = ws.path().join("templates/engagement");
        std::fs::create_dir_all(&dir).unwrap();
        let crlf = crate::scaffold::FILES[0].1.replace('\n', "\r\n");
        std::fs::write(dir.join(crate::scaffold::FILES[0].0), crlf).unwrap();
        assert!(
            Templates::load(ws.path()).1.is_empty(),
            "CRLF copy recognised"
        );
        std::fs::write(dir.join(crate::scaffold::FILES[0].0), "edited").unwrap();
        let (_, d) = Templates::load(ws.path());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .contains("does not override any built-in template")
        );
    }

    #[test]
    fn eject_writes_every_template_once() {
        let ws = tempfile::tempdir().unwrap();
        let written = eject(ws.path(), false).unwrap();
        assert_eq!(written.len(), BUILTIN.len());
        assert!(eject(ws.path(), false).unwrap().is_empty());
        assert_eq!(eject(ws.path(), true).unwrap().len(), BUILTIN.len());
    }
}
