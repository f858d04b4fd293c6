//! The built-in templates and a workspace's overrides of them.
//!
//! Every template file lives under `templates/` in the repository and is embedded in the
//! binary. A workspace may override any of them file by file with a file at the same
//! relative path in its own `templates/` folder; the built-in file is used otherwise
//! (override order: workspace first, built-in last, as Zola does). `levier templates
//! eject` copies the built-in files out as a starting point.

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

/// Every built-in template that a workspace may override. Translations
/// (`templates/i18n/`) and the lever catalogue are embedded too but not overridable:
/// they are data that the figures' definitions depend on.
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
            let Some(builtin) = BUILTIN.iter().find(|f| f.path == rel) else {
                diagnostics.push(
                    Diagnostic::warning(format!("`templates/{rel}` does not override any built-in template"))
                        .in_file(entry.path())
                        .suggest(&rel, BUILTIN.iter().map(|f| f.path))
                        .note("`levier templates eject` writes every built-in template with its expected path"),
                );
                continue;
            };
            match paths::check_inside(&root, entry.path())
                .map_err(|e| e.describe(&root))
                .and_then(|p| std::fs::read_to_string(&p).map_err(|e| e.to_string()))
            {
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
    fn eject_writes_every_template_once() {
        let ws = tempfile::tempdir().unwrap();
        let written = eject(ws.path(), false).unwrap();
        assert_eq!(written.len(), BUILTIN.len());
        assert!(eject(ws.path(), false).unwrap().is_empty());
        assert_eq!(eject(ws.path(), true).unwrap().len(), BUILTIN.len());
    }
}
