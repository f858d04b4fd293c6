//! tables.xlsx read back with a spreadsheet reader (calamine), as a client's Excel would:
//! headline figures as numbers equal to metrics.json's, dates as dates, every row of the
//! cut tables, a sheet per section and per salesperson, frozen headers, and the same
//! bytes on every build.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::levier;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the 20k-line example into `out` (outside the repository) with `formats`.
fn build_example(out: &Path, formats: &str) -> PathBuf {
    let out_arg = out.to_string_lossy().into_owned();
    levier(
        &root(),
        &[
            "build",
            "engagements/vidal-equipements",
            "--out",
            &out_arg,
            "--format",
            formats,
            "--force",
            "-q",
        ],
    )
    .assert_code(0);
    out.join("vidal-equipements")
}

fn metrics(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("metrics.json")).unwrap()).unwrap()
}

fn numbers(range: &calamine::Range<Data>) -> Vec<f64> {
    range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            _ => None,
        })
        .collect()
}

fn texts(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn headline_figures_are_numbers_equal_to_metrics_json_and_cut_tables_keep_every_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = build_example(tmp.path(), "json,xlsx");
    let m = metrics(&dir);
    let mut book: Xlsx<_> = open_workbook(dir.join("tables.xlsx")).expect("a valid workbook");
    let names = book.sheet_names();
    assert_eq!(
        names[0], "Synthèse",
        "the first sheet holds the headline figures"
    );

    let first = book.worksheet_range(&names[0]).unwrap();
    let values = numbers(&first);
    for path in [
        &["revenue", "total"][..],
        &["revenue", "previous_to_date"],
        &["revenue", "growth"],
        &["clients", "new"],
    ] {
        let expected = path.iter().fold(&m, |v, k| &v[*k]).as_f64().unwrap();
        assert!(
            values.iter().any(|v| (v - expected).abs() < 1e-9),
            "{} = {expected} is not a number of the first sheet: {values:?}",
            path.join(".")
        );
    }
    let findings = m["findings"].as_array().unwrap().len() as f64;
    assert!(values.contains(&findings));
    // The data cut-off is a date, not text.
    let as_of = m["as_of"].as_str().unwrap();
    let dates: Vec<String> = first
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::DateTime(dt) => {
                let (y, mo, day, ..) = dt.to_ymd_hms_milli();
                Some(format!("{y:04}-{mo:02}-{day:02}"))
            }
            _ => None,
        })
        .collect();
    assert_eq!(dates, [as_of], "the cut-off date is a date cell");

    // A sheet per section with tables, then one per salesperson.
    for wanted in [
        "3.1 Chiffre d'affaires",
        "3.6 Autres découpages",
        "Qualité des données",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(wanted)),
            "{wanted} in {names:?}"
        );
    }
    let cards = std::fs::read_dir(dir.parent().unwrap().join("vidal-equipements/scorecards"));
    assert!(cards.is_err(), "json,xlsx writes no scorecard page");
    for rep in [
        "Julien Dumas (JD)",
        "Marion Besson (MB)",
        "Sébastien Laurent (SL)",
    ] {
        assert!(names.iter().any(|n| n == rep), "{rep} in {names:?}");
    }

    // Every product of metrics.json, with its revenue as a number.
    let cuts = book.worksheet_range("3.6 Autres découpages").unwrap();
    let labels = texts(&cuts);
    let amounts = numbers(&cuts);
    let products = m["revenue"]["by_product"].as_object().unwrap();
    assert!(
        products.len() > 12,
        "the example has more products than a top 12"
    );
    for (product, cut) in products {
        assert!(labels.contains(product), "product {product} missing");
        let fy = cut["fy"].as_f64().unwrap();
        assert!(
            amounts.iter().any(|a| (a - fy.round()).abs() < 0.5),
            "{product}: {fy} not among the numbers"
        );
    }
}

/// The XML of the sheets of an xlsx file, by file name inside the ZIP.
fn sheet_xml(path: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/sheet") {
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            out.push((name, xml));
        }
    }
    out
}

#[test]
fn tables_have_frozen_headers_fitted_columns_and_typed_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = build_example(tmp.path(), "xlsx");
    let sheets = sheet_xml(&dir.join("tables.xlsx"));
    assert!(sheets.len() > 10);
    // Every sheet but the headline one has tables, and their headers stay in view.
    let frozen = sheets
        .iter()
        .filter(|(_, xml)| xml.contains("state=\"frozen\""))
        .count();
    assert_eq!(frozen, sheets.len() - 1);
    assert!(
        sheets.iter().all(|(_, xml)| xml.contains("<cols>")),
        "column widths set"
    );
    let styles = {
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(dir.join("tables.xlsx")).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    // The report's language: euros after the amount, French dates.
    assert!(styles.contains("#,##0\\ &quot;€&quot;"), "{styles}");
    assert!(styles.contains("[$-40C]d mmmm yyyy"));
    assert!(styles.contains("0.0%"));
}

#[test]
fn rebuilding_writes_byte_identical_tables() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = std::fs::read(build_example(a.path(), "xlsx").join("tables.xlsx")).unwrap();
    let second = std::fs::read(build_example(b.path(), "xlsx").join("tables.xlsx")).unwrap();
    assert!(first == second, "tables.xlsx differs between two builds");
}

#[test]
fn default_formats_include_tables_and_the_index_links_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out_arg = tmp.path().to_string_lossy().into_owned();
    levier(
        &root(),
        &[
            "build",
            "engagements/groupe-ferrand",
            "--out",
            &out_arg,
            "-q",
        ],
    )
    .assert_code(0);
    let dir = tmp.path().join("groupe-ferrand");
    assert!(dir.join("tables.xlsx").is_file());
    let index = std::fs::read_to_string(tmp.path().join("index.html")).unwrap();
    assert!(index.contains("groupe-ferrand/tables.xlsx"));
}
