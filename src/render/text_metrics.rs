//! How wide a text is when set in the bundled Inter.
//!
//! Two things are laid out before any font engine sees them: chart labels (wrapped,
//! thinned and placed so that none overlaps another, see [`super::charts`]) and the
//! columns of a PDF table (each column gets the width of its longest cell, see
//! [`super::pdf`]). Both measure text with Inter's own advance widths, read once from
//! the font file the PDF embeds, so a label measured here is the label Typst or a
//! browser sets. Kerning and shaping are left out: they change a width by a few
//! hundredths, which the callers' margins absorb.

use std::sync::OnceLock;

use crate::glyphs::INTER;

/// Inter's weights that levier sets text in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    /// Table headers, first columns and emphasised cells of the PDF.
    SemiBold,
}

/// What a character Inter does not have counts for, in ems: a wide letter, so that a
/// fallback glyph is never given too little room.
const MISSING: f64 = 0.62;

/// Advance widths of the bundled Inter.
pub struct TextMetrics {
    regular: ttf_parser::Face<'static>,
    semibold: ttf_parser::Face<'static>,
}

impl TextMetrics {
    /// The metrics, read from the embedded font files once per process.
    pub fn get() -> &'static TextMetrics {
        static METRICS: OnceLock<TextMetrics> = OnceLock::new();
        METRICS.get_or_init(|| TextMetrics {
            regular: ttf_parser::Face::parse(INTER[0], 0).expect("the bundled Inter parses"),
            semibold: ttf_parser::Face::parse(INTER[2], 0).expect("the bundled Inter parses"),
        })
    }

    fn face(&self, weight: Weight) -> &ttf_parser::Face<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::SemiBold => &self.semibold,
        }
    }

    /// The advance width of `c` in ems, when Inter has a glyph for it.
    pub fn glyph(&self, c: char, weight: Weight) -> Option<f64> {
        let face = self.face(weight);
        let glyph = face.glyph_index(c)?;
        Some(f64::from(face.glyph_hor_advance(glyph)?) / f64::from(face.units_per_em()))
    }

    /// The advance width of `c` in ems; a character Inter lacks counts as a wide letter.
    pub fn advance(&self, c: char, weight: Weight) -> f64 {
        self.glyph(c, weight).unwrap_or(MISSING)
    }

    /// The width of `text` in ems.
    pub fn width(&self, text: &str, weight: Weight) -> f64 {
        text.chars().map(|c| self.advance(c, weight)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semibold_is_wider_and_missing_glyphs_count_as_wide_letters() {
        let m = TextMetrics::get();
        let text = "Chiffre d'affaires";
        assert!(m.width(text, Weight::SemiBold) > m.width(text, Weight::Regular));
        assert!(m.width("iii", Weight::Regular) < m.width("mmm", Weight::Regular));
        // A CJK ideograph is not in Inter.
        assert_eq!(m.advance('漢', Weight::Regular), MISSING);
    }

    #[test]
    fn french_spaces_are_as_wide_as_browsers_set_them() {
        let m = TextMetrics::get();
        let space = m.advance(' ', Weight::Regular);
        // Inter draws both no-break spaces: nothing falls back to the wide default.
        assert_eq!(m.glyph('\u{a0}', Weight::Regular), Some(space));
        let narrow = m
            .glyph('\u{202f}', Weight::Regular)
            .expect("Inter has U+202F");
        assert!(narrow < space, "{narrow} {space}");
    }
}
