//! Places where the PDF may break a line inside an over-long word.
//!
//! Typst breaks lines only where the text allows it (spaces, hyphens): a word of 20,000
//! characters with no space (a pasted hash, an identifier, a URL written as text) stays
//! on one line, runs off the page and, past about 16,000 glyphs, is one PDF string
//! longer than PDF/A's 32,767 bytes, so the whole report failed. Browsers have CSS for
//! this (`overflow-wrap`); Typst does not. The texts of a note's tree for the PDF
//! ([`super::notes::markdown_tree`]: the only texts without a length limit, since names
//! and titles are cut at load) get an invisible zero-width space (U+200B) every
//! [`MAX_RUN`] characters of a run without a break opportunity, so Typst can wrap it like
//! any text. Only the PDF's tree is changed: the HTML (which wraps with CSS), metrics.json
//! and the workbook keep the text as written, and link addresses and image paths are
//! never touched.

use unicode_segmentation::UnicodeSegmentation;

/// Characters of a word the PDF lays out without a break opportunity: longer than the
/// longest French words (`anticonstitutionnellement` has 25), shorter than the
/// narrowest table column holds at the report's sizes.
pub const MAX_RUN: usize = 30;

/// The break opportunity inserted: invisible, and never shown as a missing glyph.
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// Whether the line surely may break after `c`: a space that is not a no-break one.
/// Hyphens and slashes are not counted: before a digit, they are no break either.
fn breaks_after(c: char) -> bool {
    (c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')) || c == ZERO_WIDTH_SPACE
}

/// `text` with a zero-width space in every run longer than [`MAX_RUN`] characters
/// without a break opportunity; `None` when it has no such run (the common case,
/// checked without allocating).
pub fn breakable(text: &str) -> Option<String> {
    let mut run = 0;
    let mut long = false;
    for c in text.chars() {
        run = if breaks_after(c) { 0 } else { run + 1 };
        if run > MAX_RUN {
            long = true;
            break;
        }
    }
    if !long {
        return None;
    }
    let mut out = String::with_capacity(text.len() + text.len() / MAX_RUN * 3);
    let mut run = 0;
    // Whole graphemes, so that a letter and its accent are never split.
    for grapheme in text.graphemes(true) {
        if run == MAX_RUN {
            out.push(ZERO_WIDTH_SPACE);
            run = 0;
        }
        out.push_str(grapheme);
        run = if grapheme.chars().last().is_some_and(breaks_after) {
            0
        } else {
            run + 1
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_left_alone() {
        assert_eq!(
            breakable("Programme de prescription anticonstitutionnellement"),
            None
        );
        assert_eq!(
            breakable("1\u{202f}234\u{202f}567,89\u{a0}€ et 12,5\u{a0}%"),
            None
        );
    }

    #[test]
    fn a_word_of_20000_characters_gets_a_break_every_30() {
        let word = "X".repeat(20_000);
        let broken = breakable(&word).expect("changed");
        assert_eq!(
            broken.replace(ZERO_WIDTH_SPACE, ""),
            word,
            "no character lost"
        );
        assert!(
            broken
                .split(ZERO_WIDTH_SPACE)
                .all(|part| part.chars().count() <= MAX_RUN)
        );
        assert_eq!(
            broken.matches(ZERO_WIDTH_SPACE).count(),
            (20_000 - 1) / MAX_RUN
        );
    }

    #[test]
    fn no_break_spaces_are_no_break_opportunity() {
        let figures = "1\u{202f}234".repeat(20);
        assert!(breakable(&figures).is_some());
    }

    #[test]
    fn accents_stay_on_their_letter() {
        let word = "e\u{301}".repeat(100);
        let broken = breakable(&word).expect("changed");
        assert!(!broken.contains("\u{200B}\u{301}"));
    }
}
