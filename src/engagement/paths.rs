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
    /// Not a regular file: a folder, a named pipe (FIFO), a device or a socket, which
    /// would hang levier or make it read forever.
    NotRegular(&'static str),
    /// Larger than levier accepts for this kind of file.
    TooLarge {
        size: u64,
        limit: u64,
    },
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
            PathError::NotRegular(what) => format!("this is {what}, not a regular file"),
            PathError::TooLarge { size, limit } => format!(
                "the file is {} and levier reads at most {} for this kind of file",
                human_size(*size),
                human_size(*limit)
            ),
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

/// Size limits of the files levier reads. They are far above any real engagement (a
/// million sales lines is about 60 MB of CSV) and exist so that a wrong file (a disk
/// image, a log) fails at once with a message instead of exhausting memory.
pub mod limits {
    /// A data table (CSV or workbook).
    pub const TABLE: u64 = 2 << 30;
    /// engagement.toml, objectives.toml, plan.toml, brand.toml, levier.toml.
    pub const TOML: u64 = 4 << 20;
    /// One note (a 1 MB note is several hundred pages of text).
    pub const NOTE: u64 = 1 << 20;
    /// An image (logo or note image).
    pub const ASSET: u64 = 20 << 20;
    /// A brand's font file: a font covering Chinese, Japanese and Korean is 16 to 30 MB.
    pub const FONT: u64 = 64 << 20;
    /// A template override.
    pub const TEMPLATE: u64 = 4 << 20;
}

/// Reads a file that must be a regular file of at most `limit` bytes.
///
/// The type is checked before opening: opening a named pipe blocks until something writes
/// to it, and `/dev/zero` never ends. The size is checked again while reading, in case
/// the file grows in between.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, PathError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => PathError::NotFound,
        _ => PathError::Io(e.to_string()),
    })?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(PathError::NotRegular(file_kind(&kind)));
    }
    if meta.len() > limit {
        return Err(PathError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| PathError::Io(e.to_string()))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PathError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(PathError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// What a non-regular file is, in words.
fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// `1.5 MB`, `20 MB`, `2 GB`: sizes for messages.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
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

    #[test]
    fn reads_only_regular_files_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular(&file, 5).unwrap(), b"12345");
        assert_eq!(
            read_regular(&file, 4),
            Err(PathError::TooLarge { size: 5, limit: 4 })
        );
        assert_eq!(
            read_regular(dir.path(), 100),
            Err(PathError::NotRegular("a folder"))
        );
        assert_eq!(
            read_regular(&dir.path().join("none"), 5),
            Err(PathError::NotFound)
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_without_reading_them() {
        // /dev/zero never ends: reading it would hang or exhaust memory.
        let dev = Path::new("/dev/zero");
        if dev.exists() {
            assert_eq!(
                read_regular(dev, 100),
                Err(PathError::NotRegular("a device"))
            );
        }
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(20 << 20), "20 MB");
    }
}
