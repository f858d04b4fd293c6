//! Texts a page cannot lay out as written: a 20,000-character word with no space in a
//! note, in a note's table cell, in the client's name, an action's title and a client's
//! name of the data. The PDF must still build (Typst can only break a line where the
//! text allows it, and one word of 20,000 glyphs is a PDF string PDF/A refuses), with
//! every character of the note kept, and the HTML page must not get wider than a phone.

mod common;

use std::fs;

use common::Workspace;

const WORD: usize = 20_000;

/// Replaces `from` by `to` in the file `rel` of the engagement `case`.
fn edit(ws: &Workspace, rel: &str, from: &str, to: &str) {
    let path = ws.engagement("case").join(rel);
    let text = fs::read_to_string(&path).expect("a fixture file");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("writable");
}

#[test]
fn words_of_20000_characters_without_a_space_still_build_the_pdf() {
    let ws = Workspace::new();
    ws.add_base("case");
    let word = |c: char| c.to_string().repeat(WORD);
    edit(
        &ws,
        "engagement.toml",
        "client = \"Base Fixture SAS\"",
        &format!("client = \"{}\"", word('C')),
    );
    edit(
        &ws,
        "plan.toml",
        "title = \"Programme de prescription\"",
        &format!("title = \"{}\"", word('T')),
    );
    edit(&ws, "data/clients.csv", "Alpha SARL", &word('A'));
    let note = ws.engagement("case").join("notes/00-summary.md");
    let mut text = fs::read_to_string(&note).expect("the note");
    text.push_str(&format!(
        "\n\n{}\n\n| a | b |\n|---|---|\n| {} | y |\n",
        word('N'),
        word('K')
    ));
    fs::write(&note, text).expect("writable");

    let run = ws.levier(&["build", "--format", "pdf,html"]);
    run.assert_code(0)
        .assert_stderr_has(&[
            "warning: the client's name is 20000 characters long",
            "warning: an action's title is 20000 characters long",
            "Built case",
        ])
        .assert_stderr_lacks("PDF string");

    let pdf = fs::read(ws.output("case").join("report.pdf")).expect("report.pdf");
    let extracted = pdf_extract::extract_text_from_mem(&pdf).expect("the PDF parses");
    // Line breaks and the invisible break opportunities aside, the note's words are
    // all there, whole.
    let letters = |c: char| extracted.chars().filter(|&x| x == c).count();
    assert!(letters('N') >= WORD, "the note's word lost characters");
    assert!(
        letters('K') >= WORD,
        "the table cell's word lost characters"
    );

    // The action's title, cut to 300 characters at load, breaks every 20 characters in
    // its table column (lines of at most 40) instead of running across the page in one
    // line. (The calendar's label is drawn whole and clipped to its column.)
    let wrapped = extracted
        .lines()
        .map(|l| l.chars().filter(|&c| c == 'T').count())
        .filter(|n| (20..=40).contains(n))
        .count();
    assert!(wrapped >= 7, "the title did not wrap in its table cell");

    let html = fs::read_to_string(ws.output("case").join("report.html")).expect("report.html");
    assert!(
        html.contains(&word('N')),
        "the HTML keeps the word as written (the browser wraps it)"
    );
    assert!(
        html.contains("overflow-wrap: anywhere"),
        "long words wrap in the page instead of widening it (checked at 390 px in a browser)"
    );
}
