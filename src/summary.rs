//! `--summary FILE`: a Markdown account of a run for the CI page a reviewer reads
//! (`$GITHUB_STEP_SUMMARY`, a merge request note): per engagement, built, fresh or
//! failed, its headline figures, and what changed.
//!
//! "What changed" compares with a reference through [`Changes`]. The build compares
//! with the engagement's last recorded measurement when it has one ([`SinceLastRecord`],
//! the lines the report's "since the measurement of …" section is made of), and with the
//! outputs it replaced otherwise ([`SinceLastBuild`]).

use std::io::Write;
use std::path::Path;

use crate::build::{EngagementSummary, Summary};

/// What changed in an engagement since some reference, in words, one line per change.
pub trait Changes {
    /// The reference, for the heading ("since the last build").
    fn since(&self) -> &str;
    fn changes(&self, engagement: &EngagementSummary) -> Vec<String>;
}

/// Changes of the headline figures since the outputs the build replaced.
pub struct SinceLastBuild;

impl Changes for SinceLastBuild {
    fn since(&self) -> &str {
        "since the last build"
    }

    fn changes(&self, e: &EngagementSummary) -> Vec<String> {
        let (Some(now), Some(before)) = (&e.entry, &e.previous) else {
            return Vec::new();
        };
        now.figures
            .iter()
            .filter_map(|f| {
                let old = before.figures.iter().find(|o| o.label == f.label)?;
                (old.value != f.value).then(|| format!("{}: {} → {}", f.label, old.value, f.value))
            })
            .collect()
    }
}

/// Changes since the engagement's last recorded measurement (`levier record`), where
/// it has one; since the outputs the build replaced otherwise.
pub struct SinceLastRecord;

impl Changes for SinceLastRecord {
    fn since(&self) -> &str {
        "since the last recorded measurement (or the last build)"
    }

    fn changes(&self, e: &EngagementSummary) -> Vec<String> {
        match &e.entry {
            Some(entry) if !entry.since_last.is_empty() => entry.since_last.clone(),
            _ => SinceLastBuild.changes(e),
        }
    }
}

/// The Markdown summary of a run.
pub fn markdown(summary: &Summary, verb: &str, changes: &dyn Changes) -> String {
    let count = |status: &str| {
        summary
            .engagements
            .iter()
            .filter(|e| e.status == status)
            .count()
    };
    let mut md = format!(
        "## levier {verb}: {} engagement{}",
        summary.total,
        crate::messages::plural(summary.total)
    );
    let parts: Vec<String> = ["built", "fresh", "checked", "failed"]
        .iter()
        .filter_map(|s| match count(s) {
            0 => None,
            n => Some(format!("{n} {s}")),
        })
        .collect();
    if !parts.is_empty() {
        md.push_str(&format!(" ({})", parts.join(", ")));
    }
    md.push_str("\n\n");
    if summary.engagements.is_empty() {
        md.push_str("No engagement found.\n");
        return md;
    }
    md.push_str("| engagement | status | client | headline figures |\n|---|---|---|---|\n");
    for e in &summary.engagements {
        let status = match e.status {
            "failed" => "**failed**",
            s => s,
        };
        let (client, figures) = match &e.entry {
            Some(entry) => (
                cell(&entry.client),
                entry
                    .figures
                    .iter()
                    .map(|f| format!("{}: {}", cell(&f.label), cell(&f.value)))
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
            None => (String::new(), String::new()),
        };
        md.push_str(&format!(
            "| {} | {status} | {client} | {figures} |\n",
            cell(&e.slug)
        ));
    }
    let changed: Vec<(String, Vec<String>)> = summary
        .engagements
        .iter()
        .map(|e| (e.slug.clone(), changes.changes(e)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if !changed.is_empty() {
        md.push_str(&format!("\n### What changed {}\n\n", changes.since()));
        for (slug, lines) in changed {
            md.push_str(&format!(
                "- **{}**: {}\n",
                cell(&slug),
                cell(&lines.join("; "))
            ));
        }
    }
    if !summary.failed.is_empty() {
        md.push_str(&format!(
            "\nFailed: {}. The errors are in the job's log, with file, line and column.\n",
            summary.failed.join(", ")
        ));
    }
    md
}

/// The Markdown summary of `levier index`: every engagement listed in `out`.
pub fn index_markdown(out: &Path) -> String {
    let (entries, _) = crate::output::entries(out);
    let summary = Summary {
        total: entries.len(),
        engagements: entries
            .into_iter()
            .map(|e| EngagementSummary {
                slug: e.slug.clone(),
                status: "listed",
                entry: Some(e),
                previous: None,
            })
            .collect(),
        ..Summary::default()
    };
    markdown(&summary, "index", &SinceLastRecord)
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
}

/// Appends the summary to `path` (GitHub gives each step its own file; appending never
/// loses what another command wrote there).
pub fn append(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::options()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(markdown.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Entry, Figure};

    fn entry(revenue: &str) -> Entry {
        Entry {
            slug: "acme".into(),
            client: "Acme | Fils".into(),
            title: "Diagnostic".into(),
            as_of_label: "2025".into(),
            language: crate::vocab::Language::Fr,
            figures: vec![Figure {
                label: "CA".into(),
                value: revenue.into(),
            }],
            raw: Default::default(),
            links: Vec::new(),
            since_last: Vec::new(),
        }
    }

    #[test]
    fn summary_lists_each_engagement_and_what_changed() {
        let summary = Summary {
            total: 2,
            failed: vec!["broken".into()],
            engagements: vec![
                EngagementSummary {
                    slug: "acme".into(),
                    status: "built",
                    entry: Some(entry("1,2 M€")),
                    previous: Some(entry("1,1 M€")),
                },
                EngagementSummary {
                    slug: "broken".into(),
                    status: "failed",
                    entry: None,
                    previous: None,
                },
            ],
            ..Summary::default()
        };
        let md = markdown(&summary, "build", &SinceLastBuild);
        assert!(
            md.starts_with("## levier build: 2 engagements (1 built, 1 failed)"),
            "{md}"
        );
        assert!(
            md.contains("| acme | built | Acme \\| Fils | CA: 1,2 M€ |"),
            "{md}"
        );
        assert!(md.contains("| broken | **failed** |  |  |"), "{md}");
        assert!(md.contains("### What changed since the last build"), "{md}");
        assert!(md.contains("- **acme**: CA: 1,1 M€ → 1,2 M€"), "{md}");
    }

    #[test]
    fn changes_since_the_last_record_come_first_and_the_last_build_otherwise() {
        let mut recorded = entry("2,7 M€");
        recorded.since_last = vec![
            "Évolution depuis la mesure du 30 juin 2025".into(),
            "Clients actifs : 527 → 589".into(),
        ];
        let with_record = EngagementSummary {
            slug: "acme".into(),
            status: "built",
            entry: Some(recorded),
            previous: Some(entry("1,8 M€")),
        };
        assert_eq!(
            SinceLastRecord.changes(&with_record),
            [
                "Évolution depuis la mesure du 30 juin 2025",
                "Clients actifs : 527 → 589"
            ]
        );
        let without = EngagementSummary {
            slug: "acme".into(),
            status: "built",
            entry: Some(entry("2,7 M€")),
            previous: Some(entry("1,8 M€")),
        };
        assert_eq!(SinceLastRecord.changes(&without), ["CA: 1,8 M€ → 2,7 M€"]);
    }
}
