//! Property tests of the note loader, the text cleaner and the image checker: random
//! and mutated inputs in a bounded number of cases inside `cargo test` (issue 9's
//! `cargo-fuzz`-style coverage on stable Rust).
//!
//! Each case asserts what the loader promises the later stages, not only the absence of
//! a panic: a note comes out nested at most `MAX_DEPTH` levels (footnotes at most
//! `MAX_FOOTNOTE_DEPTH`), with at most `MAX_ELEMENTS` elements, and at most a few times
//! its own size; a cleaned text holds only characters the PDF's fonts draw.

use std::path::Path;

use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag};

use levier::engagement::images;
use levier::engagement::notes::{self, MARKDOWN, MAX_DEPTH, MAX_ELEMENTS, MAX_FOOTNOTE_DEPTH};
use levier::engagement::text::{Shape, clean};
use levier::glyphs::Coverage;

/// Fragments that open, close or confuse Markdown constructs.
const TOKENS: &[&str] = &[
    ">",
    "> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "  ",
    "    ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "~",
    "`",
    "```",
    "[",
    "]",
    "(",
    ")",
    "](http://x.y)",
    "![a](",
    "[^a]",
    "[^a]: ",
    "[^b]: ",
    "# ",
    "## ",
    "---",
    "===",
    "|",
    "|---|",
    "<div>",
    "</div>",
    "<b>",
    "<!--",
    "-->",
    "\\",
    "&amp;",
    "&#0;",
    "word",
    "mot ",
    "é",
    "中",
    "😀",
    "\r",
    "\t",
    "$",
    "+++",
    "{{ x }}",
    "\u{0}",
    "\u{200D}",
    "\u{FEFF}",
];

/// The deepest nesting of counted levels, in the body and within footnote definitions
/// (counted from the definition, wherever it is), measured on the Markdown as the
/// renderers parse it.
fn depths(markdown: &str) -> (usize, usize) {
    let (mut body, mut footnotes) = (0, 0);
    let (mut depth, mut in_footnote) = (0usize, 0usize);
    let mut base = 0;
    let mut open = Vec::new();
    for event in Parser::new_ext(markdown, MARKDOWN) {
        match event {
            Event::Start(tag) => {
                let definition = matches!(tag, Tag::FootnoteDefinition(_));
                let level = matches!(
                    tag,
                    Tag::BlockQuote(_)
                        | Tag::List(_)
                        | Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Superscript
                        | Tag::Subscript
                        | Tag::Link { .. }
                        | Tag::Image { .. }
                );
                if definition && in_footnote == 0 {
                    base = depth;
                }
                in_footnote += usize::from(definition);
                depth += usize::from(level);
                if in_footnote > 0 {
                    footnotes = footnotes.max(depth - base);
                } else {
                    body = body.max(depth);
                }
                open.push((level, definition));
            }
            Event::End(_) => {
                let (level, definition) = open.pop().expect("balanced events");
                depth -= usize::from(level);
                in_footnote -= usize::from(definition);
            }
            _ => {}
        }
    }
    (body, footnotes)
}

/// Loads `text` as a note and checks every promise of the loader.
fn check_note(text: &str) -> Result<(), TestCaseError> {
    let path = Path::new("notes/00-summary.md");
    let mut diagnostics = Vec::new();
    let Some(mut note) = notes::read(path, "notes/00-summary.md", text, &mut diagnostics) else {
        prop_assert!(diagnostics.iter().any(|d| d.is_error()));
        return Ok(());
    };
    let before = note.markdown.len();
    match notes::bound(path, text, &mut note, &mut diagnostics) {
        Some(elements) => {
            prop_assert!(elements <= MAX_ELEMENTS);
            let (body, footnotes) = depths(&note.markdown);
            prop_assert!(
                body <= MAX_DEPTH,
                "body nests {} levels:\n{}",
                body,
                note.markdown
            );
            prop_assert!(
                footnotes <= MAX_FOOTNOTE_DEPTH,
                "footnotes nest {} levels:\n{}",
                footnotes,
                note.markdown
            );
            prop_assert!(note.markdown.len() <= 3 * before + 64);
        }
        None => prop_assert!(diagnostics.iter().any(|d| d.is_error())),
    }
    for d in &diagnostics {
        if let Some(location) = &d.location {
            prop_assert!(location.line >= 1 && location.line <= text.lines().count() + 1);
        }
    }
    Ok(())
}

/// The notes of the example engagements, to mutate.
fn seeds() -> Vec<String> {
    let mut seeds = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("engagements");
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("readable examples");
        if entry.path().extension().is_some_and(|e| e == "md") {
            seeds.push(std::fs::read_to_string(entry.path()).expect("UTF-8 notes"));
        }
    }
    assert!(!seeds.is_empty(), "the examples have notes");
    seeds
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_markdown_is_bounded(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..300)) {
        check_note(&tokens.concat())?;
    }

    #[test]
    fn repeated_markdown_is_bounded(token in prop::sample::select(TOKENS), other in prop::sample::select(TOKENS), n in 1usize..3000) {
        check_note(&format!("{}x{}", token.repeat(n), other.repeat(n)))?;
    }

    #[test]
    fn mutated_example_notes_are_bounded(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(TOKENS), 0usize..40), 1..30),
    ) {
        let seeds = seeds();
        let mut text = seeds[seed.index(seeds.len())].clone();
        for (at, token, cut) in edits {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(at..end, token);
        }
        check_note(&text)?;
    }

    #[test]
    fn cleaned_texts_hold_only_drawable_characters(text in "\\PC{0,40}|[\\x00-\\x1f\\u{7f}-\\u{9f}a-z😀中\u{200D}\u{FE0F}]{0,40}") {
        let coverage = Coverage::bundled();
        for shape in [Shape::Line, Shape::Paragraph, Shape::Markdown] {
            let out = clean(&text, shape, coverage).map_or(text.clone(), |c| c.text);
            for c in out.chars() {
                prop_assert!(
                    coverage.contains(c) || (shape != Shape::Line && matches!(c, '\n' | '\r' | '\t')),
                    "{:?} left in {:?}", c, out
                );
            }
        }
    }

    #[test]
    fn mutated_images_never_panic(
        svg in any::<bool>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..20),
    ) {
        let mut bytes = if svg {
            br##"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="url(#g)"/></svg>"##.to_vec()
        } else {
            let mut png = Vec::new();
            image::DynamicImage::new_rgb8(8, 8)
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .unwrap();
            png
        };
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        // Whatever the bytes, an answer and no panic; a refusal says why.
        if let Err(e) = images::check(&bytes) {
            prop_assert!(!e.describe().is_empty());
        }
    }
}
