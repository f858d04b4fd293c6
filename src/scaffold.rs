//! `levier new <slug>`: a commented engagement a consultant can fill in.
//!
//! The template lives in `templates/engagement/` (embedded in the binary) so that it
//! reads like what it produces; `{{year}}` becomes the current year, which is the only
//! place levier looks at the clock: a new engagement usually covers this year.
//!
//! The scaffold's example text must not reach a client's report unnoticed, so the text
//! a consultant is expected to replace is listed here ([`PLACEHOLDERS`]), and the loader
//! warns about any of it left in an engagement's TOML files and notes.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::diagnostic::Diagnostic;

/// The template's files, relative to the new engagement folder.
pub(crate) const FILES: &[(&str, &str)] = &[
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

/// Example text of the scaffold that only makes sense replaced: the consultant's name,
/// the client's, the example salesperson, objectives, actions and note text.
pub const PLACEHOLDERS: &[&str] = &[
    "Prénom Nom",
    "Client SAS",
    "Write here",
    "Alice Bernard",
    "Taille du marché et tendances",
    "Concurrents principaux",
    "Mettre en place un CRM partagé",
    "Relancer les clients perdus de l'an dernier",
];

/// Warnings for scaffold text left in a file an engagement's loader read: `text` is the
/// content of `path`. Comment lines of TOML files are skipped: a commented example
/// prints nowhere.
pub fn placeholders(path: &Path, text: &str) -> Vec<Diagnostic> {
    let toml = path.extension().is_some_and(|e| e == "toml");
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if toml && line.trim_start().starts_with('#') {
            continue;
        }
        for p in PLACEHOLDERS {
            if let Some(at) = line.find(p) {
                found.push(
                    Diagnostic::warning(format!("example text `{p}` left from `levier new`"))
                        .in_file(path)
                        .at(crate::diagnostic::Location::in_line(
                            i + 1,
                            line,
                            at..at + p.len(),
                        ))
                        .label("replace it with the engagement's own text")
                        .note("it would be printed as it is in the client's report"),
                );
            }
        }
    }
    found
}

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

/// What `levier new` created.
pub struct Created {
    /// `<workspace>/engagements/<slug>/`.
    pub dir: PathBuf,
    /// The workspace's new `.gitignore`, when it had none.
    pub gitignore: Option<PathBuf>,
}

/// What a new workspace's `.gitignore` holds: outputs are rebuilt from the engagements,
/// and a report in git would be sent along with every push.
const GITIGNORE: &str =
    "# Written by `levier new`: outputs are rebuilt by `levier build`.\n/output/\n";

/// Creates `<workspace>/engagements/<slug>/`, and a `.gitignore` for `output/` when the
/// workspace has none.
pub fn new_engagement(workspace: &Path, slug: &str) -> Result<Created, Box<Diagnostic>> {
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
    let ignore = workspace.join(".gitignore");
    let gitignore = match std::fs::symlink_metadata(&ignore) {
        Ok(_) => None,
        // Not being able to write it loses nothing: the engagement is there.
        Err(_) => std::fs::write(&ignore, GITIGNORE).is_ok().then_some(ignore),
    };
    Ok(Created { dir, gitignore })
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

    /// The scaffold's comments name docs/engagement-format.md and sections of it (quoted
    /// on the same comment line or the next): they must exist.
    #[test]
    fn the_scaffold_points_at_documentation_that_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let doc = std::fs::read_to_string(root.join("docs/engagement-format.md")).unwrap();
        let headings: Vec<&str> = doc.lines().filter_map(|l| l.strip_prefix("## ")).collect();
        let mut sections = 0;
        for (rel, content) in FILES {
            let lines: Vec<&str> = content.lines().collect();
            for (i, line) in lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.contains("docs/"))
            {
                let file = line
                    .split_whitespace()
                    .find(|w| w.starts_with("docs/"))
                    .unwrap()
                    .trim_end_matches([',', '.', ')']);
                assert!(root.join(file).is_file(), "{rel} names {file}");
                let around = format!("{line} {}", lines.get(i + 1).unwrap_or(&""));
                for quoted in around.split('"').skip(1).step_by(2) {
                    assert!(
                        headings.iter().any(|h| h.starts_with(quoted)),
                        "{rel}: no section {quoted:?} in {file}"
                    );
                    sections += 1;
                }
            }
        }
        assert!(sections >= 3, "the scaffold names the format's sections");
    }

    #[test]
    fn every_placeholder_is_in_the_scaffold_and_found_there() {
        for p in PLACEHOLDERS {
            let found = FILES.iter().any(|(rel, content)| {
                placeholders(Path::new(rel), content)
                    .iter()
                    .any(|d| d.message.contains(p))
            });
            assert!(found, "`{p}` is in no scaffold file, or only in comments");
        }
        let toml = "# consultant = \"Prénom Nom\"\nconsultant = \"Prénom Nom\"\n";
        let found = placeholders(Path::new("engagement.toml"), toml);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].location.as_ref().map(|l| (l.line, l.column)),
            Some((2, 15))
        );
    }
}
