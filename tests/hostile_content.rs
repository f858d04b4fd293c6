//! Content that is readable but hostile or unusual never blocks a deliverable, never
//! leaks a file from outside, and is reported against the consultant's own file.
//!
//! Issue 9 ("characters the fonts do not have", "reads outside the engagement", "a
//! crash that loses every engagement") and issue 17 (notes left out, YAML front
//! matter), end to end through the real binary, PDFs included. Cases that are plain
//! errors are fixture folders in `tests/fixtures/invalid/`; these need a successful
//! build to check, symbolic links or special files, which fixtures cannot hold.

mod common;

use std::fs;
use std::path::Path;

use common::Workspace;

/// The PDF's text without any whitespace: extraction spaces glyphs unevenly.
fn pdf_text(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("the PDF parses");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Replaces a line of a base file.
fn edit(ws: &Workspace, rel: &str, from: &str, to: &str) {
    let path = ws.root().join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn emoji_cjk_and_control_characters_never_block_the_pdf() {
    let ws = Workspace::new();
    ws.add_base("acme");
    edit(
        &ws,
        "engagements/acme/engagement.toml",
        "client = \"Base Fixture SAS\"",
        "client = \"Boulangerie 🥐 Fixture\\u0007 SAS\"",
    );
    edit(
        &ws,
        "engagements/acme/data/clients.csv",
        "C001,Alpha SARL,",
        "C001,Alpha 中文 SARL,",
    );
    ws.write(
        "engagements/acme/notes/03-market_analysis.md",
        "## Analyse du marché\n\nUn mot chinois : 市场 et un emoji 👍🏽.\n",
    );
    let run = ws.levier(&["build"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: the client's name has a character the PDF's fonts cannot draw",
        "engagements/acme/engagement.toml:6:10",
        "`🥐` (U+1F950) shown as `\u{FFFD}`; control character U+0007 removed",
        "warning: a client's name has 2 characters the PDF's fonts cannot draw",
        "engagements/acme/data/clients.csv:2:6",
        "warning: this note has 3 characters the PDF's fonts cannot draw",
        "engagements/acme/notes/03-market_analysis.md:3:18",
        "put a font that has them in the brand's `fonts/` folder",
        "Built acme",
    ]);
    let text = pdf_text(&ws.output("acme").join("report.pdf"));
    assert!(text.contains("Boulangerie\u{FFFD}FixtureSAS"), "{text}");
    assert!(
        text.contains("\u{FFFD}\u{FFFD}etunemoji\u{FFFD}."),
        "{text}"
    );
    let html = fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(html.contains("Boulangerie \u{FFFD} Fixture SAS"));
    assert!(!html.contains('\u{7}'));
}

#[test]
fn a_million_character_client_name_is_cut_at_load_and_the_pdf_builds() {
    let ws = Workspace::new();
    ws.add_base("acme");
    let long = "Fixture".repeat(150_000);
    edit(
        &ws,
        "engagements/acme/engagement.toml",
        "client = \"Base Fixture SAS\"",
        &format!("client = \"{long}\""),
    );
    let run = ws.levier(&["build"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: the client's name is 1050000 characters long",
        "engagements/acme/engagement.toml:6:10",
        "cut from 1050000 to 300 characters",
    ]);
    // Typst fails on PDF strings over 32,767 characters: the title now fits.
    assert!(ws.output("acme").join("report.pdf").is_file());
    assert!(run.stderr.len() < 20_000, "the name is not quoted whole");
}

#[test]
fn deeply_nested_and_crowded_notes_build_with_a_warning() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.add_base("good");
    ws.write(
        "engagements/acme/notes/03-market_analysis.md",
        format!(
            "Intro.\n\n{} six mille citations\n\n{}x{}\n\n{}\n",
            ">".repeat(6000),
            "*".repeat(50_000),
            "*".repeat(50_000),
            (0..600)
                .map(|i| format!("{}- niveau {i}\n", "  ".repeat(i)))
                .collect::<String>()
        ),
    );
    let run = ws.levier(&["build"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: note nests quotes, lists, emphasis or HTML more than 8 levels deep",
        "engagements/acme/notes/03-market_analysis.md:3:9",
        "engagements/acme/notes/03-market_analysis.md:5:17",
        "engagements/acme/notes/03-market_analysis.md:15:17",
        "Built acme",
        "Built good",
    ]);
    let text = pdf_text(&ws.output("acme").join("report.pdf"));
    assert!(text.contains("sixmillecitations"), "the deep text is kept");
    assert!(text.contains("niveau599"), "the deepest list item is kept");
}

#[test]
fn notes_in_capitals_or_markdown_are_read_and_other_files_are_named() {
    let ws = Workspace::new();
    ws.add_base("acme");
    fs::remove_file(
        ws.root()
            .join("engagements/acme/notes/03-market_analysis.md"),
    )
    .unwrap();
    ws.write(
        "engagements/acme/notes/03-MARKET_ANALYSIS.MD",
        "Le marché en capitales.\n",
    );
    ws.write(
        "engagements/acme/notes/90-conclusion.markdown",
        "Conclusion en markdown.\n",
    );
    ws.write("engagements/acme/notes/objectifs.txt", "Oublié ?\n");
    ws.write("engagements/acme/notes/compte-rendu.docx", b"PK\x03\x04");
    ws.write(
        "engagements/acme/notes/img/carte.svg",
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>"#,
    );
    ws.write("engagements/acme/notes/.DS_Store", b"\0");
    let run = ws.levier(&["build", "--format", "html"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: `notes/objectifs.txt` is not a note and is left out of the report",
        "help: rename it `objectifs.md` to include it",
        "warning: `notes/compte-rendu.docx` is not a note and is left out of the report",
        "warning: image `notes/img/carte.svg` is not shown by any note",
    ]);
    run.assert_stderr_lacks("DS_Store");
    let html = fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(html.contains("Le marché en capitales."));
    assert!(html.contains("Conclusion en markdown."));
}

#[test]
fn an_image_shown_by_a_note_is_not_a_stray_file() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.write(
        "engagements/acme/notes/img/carte.svg",
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>"#,
    );
    ws.write(
        "engagements/acme/notes/03-market_analysis.md",
        "Le marché.\n\n![Carte](img/carte.svg)\n",
    );
    ws.levier(&["check"])
        .assert_code(0)
        .assert_stderr_lacks("warning");
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A file outside the workspace whose lines must never be printed.
    fn secret() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passwd");
        fs::write(
            &path,
            "root:x:0:0:root:/root:/bin/bash\nname = \"Leaked Firm\"\n",
        )
        .unwrap();
        (dir, path)
    }

    #[test]
    fn brand_toml_linked_outside_is_refused_without_quoting_it() {
        let (_dir, secret) = secret();
        for brand in ["engagements/case/brand", "brand"] {
            let ws = Workspace::new();
            ws.add_base("case");
            let folder = ws.root().join(brand);
            fs::create_dir_all(&folder).unwrap();
            fs::copy(
                common::fixtures().join("base/brand/logo.svg"),
                folder.join("logo.svg"),
            )
            .unwrap();
            let _ = fs::remove_file(folder.join("brand.toml"));
            symlink(&secret, folder.join("brand.toml")).unwrap();
            if brand == "brand" {
                fs::remove_dir_all(ws.root().join("engagements/case/brand")).unwrap();
            }
            let run = ws.levier(&["build", "--format", "json"]);
            run.assert_code(1).assert_stderr_has(&[
                "error: cannot read brand.toml: the path leads outside",
                "through a symbolic link",
            ]);
            run.assert_stderr_lacks("root:x");
            run.assert_stderr_lacks("Leaked Firm");
        }
    }

    #[test]
    fn brand_toml_as_a_fifo_or_a_folder_is_refused_at_once() {
        let ws = Workspace::new();
        ws.add_base("fifo");
        ws.add_base("folder");
        let fifo = ws.root().join("engagements/fifo/brand/brand.toml");
        fs::remove_file(&fifo).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let folder = ws.root().join("engagements/folder/brand/brand.toml");
        fs::remove_file(&folder).unwrap();
        fs::create_dir(&folder).unwrap();
        let run = ws.levier(&["build", "--format", "json"]);
        run.assert_code(1)
            .assert_stderr_has(&["cannot read brand.toml: this is a folder, not a regular file"]);
        if made.is_ok_and(|s| s.success()) {
            run.assert_stderr_has(&[
                "cannot read brand.toml: this is a named pipe (FIFO), not a regular file",
            ]);
        }
    }

    #[test]
    fn a_brand_font_file_linked_outside_is_refused_and_garbage_is_left_out() {
        let (_dir, secret) = secret();
        let ws = Workspace::new();
        ws.add_base("linked");
        ws.add_base("garbage");
        ws.write(
            "engagements/garbage/brand/fonts/Brand-Regular.ttf",
            "not a font",
        );
        fs::create_dir_all(ws.root().join("engagements/linked/brand/fonts")).unwrap();
        symlink(
            &secret,
            ws.root()
                .join("engagements/linked/brand/fonts/Brand-Regular.ttf"),
        )
        .unwrap();
        let run = ws.levier(&["build", "--format", "json"]);
        run.assert_code(1).assert_stderr_has(&[
            "error: cannot use font file",
            "Failed linked",
            "warning: font file",
            "is not a TrueType or OpenType font",
            "Built garbage",
        ]);
        run.assert_stderr_lacks("root:x");
    }
}
