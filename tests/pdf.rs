//! The PDF reports, read back as a reader's PDF viewer would: the real binary builds
//! them, a PDF parser (pdf-extract, over lopdf) extracts their text, and the tests check
//! what the client sees: the title, every section heading, the key figures as the
//! report formats them (from metrics.json, through the same `Formatter`), embedded
//! fonts, the PDF/A-2b and PDF/UA-1 declarations. Also: identical inputs give identical
//! bytes, hostile text (Typst markup in a client name, scripts in a note) is printed as
//! written, and a Typst error in an overridden template points at its line and column.

mod common;

use std::path::Path;
use std::str::FromStr;

use common::{Workspace, copy_dir};
use levier::i18n::Formatter;
use levier::vocab::Language;
use pdf_extract::{Document, Object};
use rust_decimal::Decimal;
use serde_json::Value;

/// The text of a PDF, with every run of white space (line breaks, no-break spaces)
/// folded into one space, so that phrases can be searched whatever the line breaks.
fn pdf_text(bytes: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(bytes).expect("the PDF parses");
    fold(&text)
}

fn fold(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[track_caller]
fn assert_shows(text: &str, needle: &str, what: &str) {
    let needle = fold(needle);
    assert!(
        text.contains(&needle),
        "{what}: {needle:?} is not in the PDF's text:\n{text}"
    );
}

fn page_count(bytes: &[u8]) -> usize {
    Document::load_mem(bytes)
        .expect("the PDF parses")
        .get_pages()
        .len()
}

/// The PostScript names of the fonts the PDF uses, checking that each is embedded.
fn embedded_fonts(bytes: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    let mut names = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let is_descriptor = dict
            .get(b"Type")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"FontDescriptor");
        if !is_descriptor {
            continue;
        }
        let name = dict
            .get(b"FontName")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        assert!(
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                .iter()
                .any(|k| dict.has(k)),
            "font {name} is not embedded"
        );
        names.push(name);
    }
    names
}

fn decimal(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).expect("a number")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Both example engagements in a temporary workspace, built with the default formats.
fn built_examples() -> Workspace {
    let ws = Workspace::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        copy_dir(&repo.join("engagements").join(slug), &ws.engagement(slug));
    }
    let run = ws.levier(&["build"]);
    run.assert_code(0);
    run.assert_stderr_lacks("warning");
    ws
}

#[test]
fn example_reports_show_their_title_sections_and_figures() {
    let ws = built_examples();
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let out = ws.output(slug);
        let bytes = read(&out.join("report.pdf"));
        let text = pdf_text(&bytes);

        // The report model the PDF was made from, rebuilt by the library.
        let e = levier::engagement::load(&ws.engagement(slug), Some(ws.root()))
            .engagement
            .expect("the example loads");
        let (metrics, _) = levier::assess::measure(&e);
        let report = levier::present::report::build(&e, &metrics);
        assert_shows(&text, &report.meta.title, "title");
        assert_shows(&text, &report.meta.client, "client");
        assert_shows(&text, &report.meta.as_of_label, "as-of date");
        for section in &report.sections {
            assert_shows(&text, &section.title, "section heading");
            for child in &section.children {
                assert_shows(&text, &child.title, "sub-section heading");
            }
        }

        // Key figures from metrics.json, formatted as the report formats them.
        let m: Value = serde_json::from_slice(&read(&out.join("metrics.json"))).unwrap();
        let fmt = Formatter::new(Language::Fr);
        let currency = m["currency"].as_str().unwrap();
        assert_shows(
            &text,
            &fmt.money(decimal(&m["revenue"]["total"]), currency),
            "revenue to date",
        );
        assert_shows(
            &text,
            &fmt.money(decimal(&m["revenue"]["conquest"]), currency),
            "conquest revenue",
        );
        assert_shows(
            &text,
            &fmt.percent(decimal(&m["leads"]["total"]["conversion_rate"]), 1),
            "conversion rate",
        );
        for finding in m["findings"].as_array().unwrap() {
            assert_shows(&text, finding["title"].as_str().unwrap(), "finding");
        }

        // Fonts embedded (Inter, the bundled body font, among them); PDF/A-2b and
        // PDF/UA-1 declared; metadata from the engagement.
        let fonts = embedded_fonts(&bytes);
        assert!(fonts.iter().any(|f| f.contains("Inter")), "{fonts:?}");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("<pdfaid:part>2</pdfaid:part>"),
            "PDF/A-2 declared"
        );
        assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(
            raw.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "PDF/UA-1 declared"
        );
        assert!(raw.contains(&format!(
            "<xmp:CreateDate>{}T00:00:00",
            m["as_of"].as_str().unwrap()
        )));
        if let Some(consultant) = &e.info.consultant {
            assert!(
                raw.contains(&format!("<rdf:li>{consultant}</rdf:li>")),
                "author"
            );
        }
        assert!(page_count(&bytes) >= 10, "{slug}: a full report");

        // One scorecard per salesperson, two to four pages, with its person's name.
        for rep in levier::present::scorecard::reps(&e, &metrics) {
            let card = levier::present::scorecard::build(&e, &metrics, &rep);
            let name = levier::present::deliverables::scorecard_stem(&rep);
            let bytes = read(&out.join(format!("scorecards/{name}.pdf")));
            let pages = page_count(&bytes);
            assert!((2..=4).contains(&pages), "{slug}/{name}: {pages} pages");
            let text = pdf_text(&bytes);
            assert_shows(
                &text,
                card.meta.rep.as_deref().unwrap_or(&rep),
                "scorecard name",
            );
            for section in &card.sections {
                assert_shows(&text, &section.title, "scorecard section");
            }
            assert!(embedded_fonts(&bytes).iter().any(|f| f.contains("Inter")));
        }
    }
    // The index links the PDF.
    let index = std::fs::read_to_string(ws.root().join("output/index.html")).unwrap();
    assert!(index.contains("vidal-equipements/report.pdf"), "{index}");
}

/// Issue 13: the dashboard is a page of its own, after the synthesis, and every figure on
/// it is metrics.json's, written as the tables write it.
#[test]
fn the_dashboard_page_shows_the_figures_of_metrics_json() {
    let ws = built_examples();
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let out = ws.output(slug);
        let bytes = read(&out.join("report.pdf"));
        let pages: Vec<String> = pdf_extract::extract_text_from_mem_by_pages(&bytes)
            .expect("the PDF parses")
            .iter()
            .map(|p| fold(p))
            .collect();
        // The last page with the numbered heading: the contents page lists them all first.
        let at = |heading: &str| pages.iter().rposition(|p| p.contains(heading));
        let dashboard = at("2 Tableau de bord").expect("a dashboard page");
        let synthesis = at("1 Synthèse").expect("a synthesis page");
        let diagnostic = at("3 Diagnostic commercial").expect("a diagnostic page");
        assert!(
            synthesis < dashboard && dashboard < diagnostic,
            "{slug}: order"
        );
        let page = &pages[dashboard];
        let m: Value = serde_json::from_slice(&read(&out.join("metrics.json"))).unwrap();
        let fmt = Formatter::new(Language::Fr);
        let elapsed = fmt.percent(decimal(&m["elapsed_share"]), 0);
        assert_shows(
            page,
            &format!("{elapsed} de l'exercice écoulé"),
            "elapsed marker",
        );
        for (what, figure) in common::dashboard_figures(&m, &fmt) {
            assert_shows(page, &figure, &format!("{slug} dashboard: {what}"));
        }
    }
}

#[test]
fn identical_inputs_give_byte_identical_pdfs() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.levier(&["build", "--format", "pdf"]).assert_code(0);
    let first = read(&ws.output("acme").join("report.pdf"));
    let card = read(&ws.output("acme").join("scorecards/jd.pdf"));
    ws.levier(&["build", "--format", "pdf", "--out", "again"])
        .assert_code(0);
    let again = ws.root().join("again/acme");
    assert!(
        first == read(&again.join("report.pdf")),
        "report.pdf differs"
    );
    assert!(
        card == read(&again.join("scorecards/jd.pdf")),
        "jd.pdf differs"
    );
}

#[test]
fn typst_markup_in_a_client_name_and_scripts_in_a_note_come_out_as_text() {
    let ws = Workspace::new();
    let dir = ws.add_base("acme");
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    let toml = toml.replace(
        "client = \"Base Fixture SAS\"",
        "client = '#set page(fill: red) *bold* $x$ ] @ref <lbl>'",
    );
    std::fs::write(dir.join("engagement.toml"), toml).unwrap();
    std::fs::write(
        dir.join("notes/00-summary.md"),
        "+++\nsection = \"summary\"\ntitle = \"Note #strong[titre]\"\n+++\n\n\
         Avant <script>alert(\"pwned\")</script> après.\n\n\
         <script>\ndocument.write(\"injected\")\n</script>\n\n\
         Syntaxe : #set text(fill: red) $x^2$ ] #import \"/report.json\" @ref \\#brut.\n",
    )
    .unwrap();
    ws.levier(&["build", "--format", "pdf"]).assert_code(0);
    let text = pdf_text(&read(&ws.output("acme").join("report.pdf")));
    assert_shows(
        &text,
        "#set page(fill: red) *bold* $x$ ] @ref <lbl>",
        "client name",
    );
    assert_shows(&text, "Note #strong[titre]", "note title");
    assert_shows(&text, "Avant après.", "note text around a script");
    assert_shows(
        &text,
        "#set text(fill: red) $x^2$ ] #import \"/report.json\" @ref #brut.",
        "Typst syntax in a note",
    );
    assert!(
        !text.contains("pwned") && !text.contains("injected"),
        "{text}"
    );
    assert!(!text.contains("<script"), "{text}");
}

#[test]
fn a_typst_error_in_an_overridden_template_points_at_its_line_and_column() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.write(
        "templates/typst/report.typ",
        "// A report template with a mistake.\n#import \"lib.typ\": *\n#let r = json(\"/report.json\")\n#let total = (1, 2]\n",
    );
    let run = ws.levier(&["build", "--format", "pdf"]);
    run.assert_code(1).assert_stderr_has(&[
        "error: unclosed delimiter",
        "templates/typst/report.typ:4:14",
        "#let total = (1, 2]",
        "error: unexpected closing bracket",
        "templates/typst/report.typ:4:19",
        "help: try using a backslash escape",
        "overrides a built-in one",
    ]);
    assert!(!ws.output("acme").exists(), "nothing written");

    // An error at run time (not syntax) also names the file, line and column.
    ws.write(
        "templates/typst/report.typ",
        "#import \"lib.typ\": *\n#let r = json(\"/report.json\")\n\n#r.meta.missing-field\n",
    );
    ws.levier(&["build", "--format", "pdf"])
        .assert_code(1)
        .assert_stderr_has(&["templates/typst/report.typ:4:", "missing"]);
}

#[test]
fn an_overridden_template_is_used_and_reads_the_report_as_data() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.write(
        "templates/typst/report.typ",
        "#let r = json(\"/report.json\")\n#set document(title: r.meta.title)\n#set text(lang: r.lang)\n\
         = Rapport maison\nClient : #r.meta.client. Sections : #r.sections.len().\n",
    );
    ws.levier(&["build", "--format", "pdf"]).assert_code(0);
    let text = pdf_text(&read(&ws.output("acme").join("report.pdf")));
    assert_shows(&text, "Rapport maison", "the override's own text");
    assert_shows(
        &text,
        "Client : Base Fixture SAS.",
        "data read from /report.json",
    );
    // Scorecards still use the built-in template.
    let card = pdf_text(&read(&ws.output("acme").join("scorecards/jd.pdf")));
    assert_shows(&card, "Base Fixture SAS", "built-in scorecard");
}

#[test]
fn templates_cannot_read_files_outside_the_report() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.write(
        "templates/typst/report.typ",
        "#read(\"/../../../../etc/hostname\")\n#read(\"/engagement.toml\")\n",
    );
    ws.levier(&["build", "--format", "pdf"])
        .assert_code(1)
        .assert_stderr_has(&["templates/typst/report.typ:1:"]);
    ws.write(
        "templates/typst/report.typ",
        "#import \"@preview/anything:0.1.0\": *\n",
    );
    ws.levier(&["build", "--format", "pdf"])
        .assert_code(1)
        .assert_stderr_has(&["not available in levier templates"]);
}

/// Per page: the running header's text and how far down the body text goes (the lowest
/// baseline between the header and footer bands, as a share of the page height).
struct PageFill {
    pages: Vec<(String, f64)>,
    height: f64,
    header: String,
    lowest: f64,
}

impl pdf_extract::OutputDev for PageFill {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.header.clear();
        self.lowest = self.height;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        let fill = (self.height - self.lowest) / self.height;
        self.pages.push((self.header.clone(), fill));
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        _: f64,
        _: f64,
        _: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let y = trm.m32;
        if y > 0.93 * self.height {
            self.header.push_str(char);
        } else if y > 0.07 * self.height {
            self.lowest = self.lowest.min(y);
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

fn page_fill(bytes: &[u8]) -> Vec<(String, f64)> {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    let mut dev = PageFill {
        pages: Vec::new(),
        height: 1.0,
        header: String::new(),
        lowest: 0.0,
    };
    pdf_extract::output_doc(&doc, &mut dev).expect("the PDF's text is read");
    dev.pages
}

#[test]
fn no_page_is_less_than_half_full_except_a_chapters_last() {
    let ws = built_examples();
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let pages = page_fill(&read(&ws.output(slug).join("report.pdf")));
        assert!(pages.len() > 10, "{slug}: {} pages", pages.len());
        for (i, (header, fill)) in pages.iter().enumerate() {
            // The running header names the chapter: a page whose next page has another
            // header ends its chapter, and may be short.
            let chapter_end = pages.get(i + 1).is_none_or(|(next, _)| next != header);
            assert!(
                chapter_end || *fill >= 0.5,
                "{slug}: page {} ({header:?}) is {:.0} % full",
                i + 1,
                fill * 100.0
            );
        }
    }
}

/// Issue 9: with a few hundred salespeople, PDF compilations nested inside rayon workers
/// that Typst's own layout had lent out, and the stack overflowed (the process aborted,
/// every engagement of the run lost). A thousand `[[rep]]` build one scorecard each.
#[test]
fn a_thousand_salespeople_each_get_a_pdf_scorecard() {
    let ws = Workspace::new();
    let dir = ws.add_base("acme");
    ws.add_base("other");
    let path = dir.join("objectives.toml");
    let mut toml = std::fs::read_to_string(&path).unwrap();
    for n in 0..1000 {
        toml.push_str(&format!(
            "\n[[rep]]\nid = \"V{n:04}\"\nname = \"Vendeur {n}\"\nrevenue = 1_000\n"
        ));
    }
    std::fs::write(&path, toml).unwrap();
    let run = ws.levier(&["build", "--format", "pdf", "-q"]);
    run.assert_code(0);
    let cards = ws.output("acme").join("scorecards");
    let pdfs = std::fs::read_dir(&cards)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert!(pdfs >= 1000, "{pdfs} scorecards");
    let last = std::fs::read(cards.join("v0999.pdf")).unwrap();
    assert_shows(&pdf_text(&last), "Vendeur 999", "the last scorecard's name");
    assert!(ws.output("other").join("report.pdf").is_file());
}
