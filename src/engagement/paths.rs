//! Keeps every file levier reads inside the folder it belongs to.
//!
//! Engagement folders come from clients and colleagues; a `file = "../../secret.csv"`,
//! an absolute path or a symbolic link pointing elsewhere must not make levier read (and
//! then publish in a report) anything outside the engagement or brand folder. Paths are
//! canonicalised, which resolves `..` and links, and then checked against the
//! canonical root.

use std::path::{Component, Path, PathBuf};

/// Why a path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathError {
    /// The path is absolute or climbs out with `..` (checked before touching the disk).
    Escapes,
    /// The path resolves outside the root, through a symbolic link.
    LinksOutside(PathBuf),
    NotFound,
    Io(String),
}

impl PathError {
    pub fn describe(&self, root: &Path) -> String {
        match self {
            PathError::Escapes => format!("the path must stay inside {}", root.display()),
            PathError::LinksOutside(target) => format!(
                "the path leads outside {} (to {}) through a symbolic link",
                root.display(),
                target.display()
            ),
            PathError::NotFound => "no such file".to_string(),
            PathError::Io(e) => e.clone(),
        }
    }
}

/// Resolves `relative` under `root` (which must already be canonical) and checks that
/// the file it names is inside it.
pub fn confined(root: &Path, relative: &str) -> Result<PathBuf, PathError> {
    let rel = Path::new(relative);
    if rel.is_absolute()
        || rel.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::Prefix(_) | Component::RootDir
            )
        })
    {
        return Err(PathError::Escapes);
    }
    check_inside(root, &root.join(rel))
}

/// Checks that an existing path (found by walking `root`) really lies inside it.
pub fn check_inside(root: &Path, path: &Path) -> Result<PathBuf, PathError> {
    let canonical = match path.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling link is "not found"; a link to outside is worse, and says so.
            if let Ok(target) = std::fs::read_link(path) {
                let resolved = path.parent().unwrap_or(root).join(&target);
                if !normalise(&resolved).starts_with(root) {
                    return Err(PathError::LinksOutside(target));
                }
            }
            return Err(PathError::NotFound);
        }
        Err(e) => return Err(PathError::Io(e.to_string())),
    };
    if canonical.starts_with(root) {
        Ok(canonical)
    } else {
        Err(PathError::LinksOutside(canonical))
    }
}

/// Lexical normalisation, for paths that cannot be canonicalised.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_climb_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(confined(&root, "../x.csv"), Err(PathError::Escapes));
        assert_eq!(confined(&root, "data/../../x.csv"), Err(PathError::Escapes));
        assert_eq!(confined(&root, "/etc/passwd"), Err(PathError::Escapes));
        assert_eq!(confined(&root, "missing.csv"), Err(PathError::NotFound));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_to_outside() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.csv"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.csv"), root.join("sales.csv"))
            .unwrap();
        std::fs::write(root.join("ok.csv"), "x").unwrap();
        assert!(matches!(
            confined(&root, "sales.csv"),
            Err(PathError::LinksOutside(_))
        ));
        assert_eq!(confined(&root, "ok.csv"), Ok(root.join("ok.csv")));
    }
}
