//! `levier-gen`: deterministic generator of levier's example engagements and of
//! benchmark-sized data.
//!
//! Why a generator rather than hand-made files: the examples must be large enough to
//! look like real exports (tens of thousands of lines), tell a consistent story that
//! the analyses of `docs/analyses.md` detect, and be reproducible byte for byte, so
//! that a change in the committed files is always a deliberate change here.
//!
//! - `examples` writes `engagements/vidal-equipements` (canonical UTF-8 files, internal
//!   growth), `engagements/groupe-ferrand` (a French Excel export, external growth) and
//!   `engagements/lumen-atelier` (format v1.1: an ERP workbook and a Salesforce report
//!   as exported, two currencies).
//! - `write_synthetic` writes a large, storyless engagement for benchmarks.
//! - `stats` recomputes the analyses' key figures from the generated records, and each
//!   example carries `checks` asserting its story (run by the tests and by
//!   `levier-gen stats`).
//!
//! Determinism: one seeded `ChaCha8Rng` stream per concern, values derived with plain
//! arithmetic (see `rng`), only ordered collections (`Vec`, `BTreeMap`), and no clock.

pub mod activities;
pub mod cal;
pub mod csvfmt;
pub mod ferrand;
mod ferrand_docs;
pub mod lumen;
pub mod model;
pub mod names;
pub mod rng;
pub mod sales;
pub mod stats;
pub mod synthetic;
pub mod text;
pub mod vidal;
mod vidal_docs;
mod vidal_story;
pub mod xlsx;

use std::fs;
use std::io;
use std::path::Path;

pub use synthetic::write_synthetic;

/// One statement of an example's story and whether the data bears it out.
#[derive(Clone, Debug)]
pub struct Check {
    pub what: String,
    pub value: String,
    pub ok: bool,
}

/// A generated example engagement.
pub struct Example {
    /// Folder name under `engagements/`.
    pub slug: &'static str,
    pub data: model::Dataset,
    pub params: stats::Params,
    pub stats: stats::Stats,
    /// Files relative to the engagement folder, with their exact bytes.
    pub files: Vec<(String, Vec<u8>)>,
    pub checks: Vec<Check>,
}

impl Example {
    /// Write the files under `<dir>/<slug>/`, creating folders; existing files are
    /// overwritten, other files are left alone.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let root = dir.join(self.slug);
        for (rel, bytes) in &self.files {
            let path = root.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, bytes)?;
        }
        Ok(())
    }
}

/// The example engagements.
pub fn examples() -> Vec<Example> {
    vec![vidal::build(), ferrand::build(), lumen::build()]
}

/// Generate both examples under `dir` (usually `engagements/`).
pub fn write_examples(dir: &Path) -> io::Result<Vec<Example>> {
    let all = examples();
    for ex in &all {
        ex.write(dir)?;
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every statement of both stories holds on the generated data.
    #[test]
    fn stories_hold() {
        for ex in examples() {
            let failed: Vec<_> = ex.checks.iter().filter(|c| !c.ok).collect();
            assert!(
                failed.is_empty(),
                "{}: {failed:#?}\n{}",
                ex.slug,
                ex.stats.render()
            );
        }
    }

    /// Two runs give byte-identical files.
    #[test]
    fn deterministic() {
        let a = examples();
        let b = examples();
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.files, y.files, "{}", x.slug);
        }
    }

    /// The committed example folders are exactly what the generator writes (run
    /// `cargo run -p levier-gen --release -- examples engagements/` after a change).
    #[test]
    fn committed_examples_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../engagements");
        for ex in examples() {
            let dir = root.join(ex.slug);
            if !dir.exists() {
                continue;
            }
            for (rel, bytes) in &ex.files {
                let on_disk = fs::read(dir.join(rel)).unwrap_or_default();
                assert!(
                    on_disk == *bytes,
                    "{}/{rel} is stale: regenerate the examples",
                    ex.slug
                );
            }
        }
    }

    /// The canonical sales file parses back to the same revenue (a naive reader: no
    /// quoted fields in sales).
    #[test]
    fn vidal_sales_round_trip() {
        let ex = vidal::build();
        let (_, bytes) = ex.files.iter().find(|f| f.0 == "data/sales.csv").unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        let mut cents = 0i64;
        for line in text.lines().skip(1) {
            let amount = line.rsplit(',').next().unwrap();
            let (int, frac) = amount.split_once('.').unwrap();
            let sign = if int.starts_with('-') { -1 } else { 1 };
            cents += int.parse::<i64>().unwrap() * 100 + sign * frac.parse::<i64>().unwrap();
        }
        let expected: i64 = ex.data.sales.iter().map(|s| s.amount).sum();
        assert_eq!(cents, expected);
        assert_eq!(text.lines().count(), ex.data.sales.len() + 1);
    }

    /// The French export decodes from windows-1252 with accented headers, NBSP
    /// thousands separators and euro signs.
    #[test]
    fn ferrand_is_windows_1252() {
        let ex = ferrand::build();
        let (_, bytes) = ex
            .files
            .iter()
            .find(|f| f.0 == "data/export-ventes.csv")
            .unwrap();
        assert!(std::str::from_utf8(bytes).is_err(), "must not be UTF-8");
        let (text, _, errors) = encoding_rs::WINDOWS_1252.decode(bytes);
        assert!(!errors);
        assert!(text.starts_with(
            "Date facture;N° facture;Code client;Commercial;Article;Qté;Montant HT\r\n"
        ));
        assert!(text.contains("\u{a0}") && text.contains(" €\r\n"));
        let first = text.lines().nth(1).unwrap();
        assert!(
            first.split(';').nth(2).unwrap().starts_with('0'),
            "leading zeros: {first}"
        );
    }
}
