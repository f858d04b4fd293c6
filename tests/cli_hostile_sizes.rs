//! Sizes that cost minutes and gigabytes if taken as they come: thousands of
//! salespeople (each one two scorecards), thousands of stray files in notes/. Each is
//! refused or summed up at once, naming the file, and the engagement next to it builds.

mod common;

use std::fs;

use common::Workspace;

#[test]
fn more_salespeople_than_scorecards_levier_writes_is_an_error_at_once() {
    let ws = Workspace::new();
    ws.add_base("good");
    let dir = ws.add_base("case");
    let sales = dir.join("data/sales.csv");
    let mut text = fs::read_to_string(&sales).expect("sales.csv");
    for i in 0..1_500 {
        text.push_str(&format!(
            "2024-03-{:02},Z{i},C001,R{i},Produit A,1,10.00\n",
            1 + i % 28
        ));
    }
    fs::write(&sales, text).expect("writable");
    let started = std::time::Instant::now();
    let run = ws.levier(&["build", "--format", "json"]);
    run.assert_code(1).assert_stderr_has(&[
        "error: 1502 salespeople; levier writes at most 1200 scorecards",
        "engagements/case/data/sales.csv",
        "salesperson number 1201, `R1198`, first appears in data/sales.csv, line 1209",
        "Built good",
    ]);
    // Refused before anything is rendered: 1,500 scorecards would take half a minute.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn thousands_of_files_that_are_not_notes_are_summed_up() {
    let ws = Workspace::new();
    let dir = ws.add_base("case");
    for i in 0..300 {
        fs::write(dir.join(format!("notes/export-{i:03}.txt")), "x").expect("writable");
    }
    let run = ws.levier(&["check"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: `notes/export-000.txt` is not a note and is left out of the report",
        "warning: 295 more files of notes/ are not notes and are left out of the report",
    ]);
    assert_eq!(
        run.stderr.matches("is not a note").count(),
        5,
        "{}",
        run.stderr
    );
}

#[test]
fn a_stray_value_far_from_a_workbook_table_is_an_error_not_an_abort() {
    let ws = Workspace::new();
    ws.add_base("good");
    let dir = ws.add_base("case");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book
        .add_worksheet()
        .set_name("Ventes")
        .expect("a sheet name");
    let rows = [
        [
            "date",
            "invoice",
            "client_id",
            "rep",
            "product",
            "quantity",
            "amount",
        ],
        [
            "2024-01-15",
            "F24-001",
            "C001",
            "JD",
            "Produit A",
            "2",
            "1250.00",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *value)
                .expect("a cell");
        }
    }
    // Someone typed in the last cell of the sheet: the grid from A1 would have 17
    // billion cells.
    sheet
        .write_string(1_048_575, 16_383, "x")
        .expect("the last cell");
    book.save(dir.join("data/sales.xlsx"))
        .expect("the workbook");
    let config = dir.join("engagement.toml");
    let text = fs::read_to_string(&config).expect("engagement.toml");
    fs::write(
        &config,
        text.replacen("file = \"data/sales.csv\"", "file = \"data/sales.xlsx\"", 1),
    )
    .expect("writable");

    let run = ws.levier(&["build", "--format", "json"]);
    run.assert_code(1).assert_stderr_has(&[
        "sheet `Ventes` spans from A1 to XFD1048576",
        "is there a stray value in XFD1048576?",
        "engagements/case/data/sales.xlsx",
        "Built good",
    ]);
    assert!(
        ws.root().join("output/index.html").is_file(),
        "the run went to its end"
    );
}
