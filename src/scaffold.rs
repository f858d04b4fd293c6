//! `levier new <slug>`: a commented engagement a consultant can fill in.
//!
//! The template lives in `templates/engagement/` (embedded in the binary) so that it
//! reads like what it produces; `{{year}}` becomes the current year, which is the only
//! place levier looks at the clock: a new engagement usually covers this year.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::diagnostic::Diagnostic;

/// The template's files, relative to the new engagement folder.
const FILES: &[(&str, &str)] = &[
    (
        "engagement.toml",
        include_str!("../templates/engagement/engagement.toml"),
    ),
    (
        "objectives.toml",
        include_str!("../templates/engagement/objectives.toml"),
    ),
    (
        "plan.toml",
        include_str!("../templates/engagement/plan.toml"),
    ),
    (
        "data/sales.csv",
        include_str!("../templates/engagement/data/sales.csv"),
    ),
    (
        "data/clients.csv",
        include_str!("../templates/engagement/data/clients.csv"),
    ),
    (
        "data/leads.csv",
        include_str!("../templates/engagement/data/leads.csv"),
    ),
    (
        "data/activities.csv",
        include_str!("../templates/engagement/data/activities.csv"),
    ),
    (
        "notes/00-summary.md",
        include_str!("../templates/engagement/notes/00-summary.md"),
    ),
    (
        "notes/04-market_analysis.md",
        include_str!("../templates/engagement/notes/04-market_analysis.md"),
    ),
];

/// Whether `slug` can name an engagement folder and its outputs. (Errors are boxed:
/// a `Diagnostic` is large, and these are cold paths.)
pub fn check_slug(slug: &str) -> Result<(), Box<Diagnostic>> {
    let valid = !slug.is_empty()
        && slug.len() <= 64
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-');
    if valid {
        Ok(())
    } else {
        Err(
            Diagnostic::error(format!("invalid engagement name `{slug}`"))
                .label("expected lowercase letters, digits and hyphens, e.g. `maison-vidal`")
                .into(),
        )
    }
}

/// Creates `<workspace>/engagements/<slug>/` and returns its path.
pub fn new_engagement(workspace: &Path, slug: &str) -> Result<PathBuf, Box<Diagnostic>> {
    check_slug(slug)?;
    let dir = workspace.join("engagements").join(slug);
    if dir.exists() {
        return Err(
            Diagnostic::error(format!("engagement `{slug}` already exists"))
                .in_file(&dir)
                .help("choose another name, or edit the existing folder")
                .into(),
        );
    }
    let year = chrono::Utc::now().year().to_string();
    for (rel, content) in FILES {
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, content.replace("{{year}}", &year)));
        if let Err(e) = written {
            // Leave nothing half-made: the folder did not exist before (checked above).
            let _ = std::fs::remove_dir_all(&dir);
            return Err(Diagnostic::error(format!("cannot create {}: {e}", path.display())).into());
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(check_slug("maison-vidal").is_ok());
        assert!(check_slug("Maison").is_err());
        assert!(check_slug("../x").is_err());
        assert!(check_slug("").is_err());
    }
}
