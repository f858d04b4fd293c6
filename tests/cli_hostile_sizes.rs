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
        "error: 1502 salespeople; levier writes at most 1000 scorecards",
        "engagements/case/data/sales.csv",
        "salesperson number 1001, `R998`, first appears in data/sales.csv, line 1009",
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
