//! Which characters the PDF can draw: the union of the fonts it embeds.
//!
//! A PDF/A file may not show a glyph its fonts lack, so Typst refuses to export a report
//! with one emoji in a client name or one CJK word in a note ("the text could not be
//! displayed with any font"), and the whole deliverable is lost. Loading therefore checks
//! every text that reaches the report against the set built here and replaces what no
//! font can draw before anything is compiled (see `engagement::text`).
//!
//! The set is the union of what Typst may pick from, since its text uses font fallback:
//! typst-assets' fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), the
//! bundled Inter and the brand's own font files. The bundled part is built once per
//! process; a brand adds its fonts to a copy.
//!
//! No fallback font is bundled for the scripts these fonts lack: a Noto font covering
//! CJK weighs 16 to 20 MB per weight, and colour emoji fonts cannot be embedded in
//! PDF/A at all. A consultant who needs another script adds a font that has it to the
//! brand's `fonts/` folder, which this set then includes.
//!
//! This module is a leaf: every stage may use it, and it imports none of them.

use std::sync::OnceLock;

/// The bundled Inter family (SIL OFL, `assets/fonts/LICENSE-Inter.txt`): Regular,
/// Italic, SemiBold, Bold.
pub const INTER: [&[u8]; 4] = [
    include_bytes!("../assets/fonts/Inter-Regular.otf"),
    include_bytes!("../assets/fonts/Inter-Italic.otf"),
    include_bytes!("../assets/fonts/Inter-SemiBold.otf"),
    include_bytes!("../assets/fonts/Inter-Bold.otf"),
];

/// One bit per Unicode scalar value (U+0000 to U+10FFFF).
const WORDS: usize = 0x11_0000 / 64;

/// What shows a character no font can draw. The first of these the fonts have is used:
/// U+FFFD is the sign readers know for "a character was lost here".
const SUBSTITUTES: [char; 3] = ['\u{FFFD}', '\u{25A1}', '?'];

/// The characters a set of fonts can draw.
#[derive(Clone)]
pub struct Coverage {
    bits: Box<[u64]>,
}

impl std::fmt::Debug for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count: u32 = self.bits.iter().map(|w| w.count_ones()).sum();
        write!(f, "Coverage({count} characters)")
    }
}

impl Coverage {
    fn empty() -> Coverage {
        Coverage {
            bits: vec![0; WORDS].into_boxed_slice(),
        }
    }

    /// The fonts every PDF embeds: Inter and typst-assets' fonts. Built on first use,
    /// once per process.
    pub fn bundled() -> &'static Coverage {
        static BUNDLED: OnceLock<Coverage> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            let mut coverage = Coverage::empty();
            for data in INTER.into_iter().chain(typst_assets::fonts()) {
                coverage.add_font(data);
            }
            coverage
        })
    }

    /// This set plus the fonts in `files` (TrueType, OpenType or collections). Files
    /// that are not fonts add nothing.
    pub fn with_fonts<'a>(&self, files: impl IntoIterator<Item = &'a [u8]>) -> Coverage {
        let mut coverage = self.clone();
        for data in files {
            coverage.add_font(data);
        }
        coverage
    }

    /// Whether `data` is a font file a PDF can embed (its first face parses).
    pub fn is_font(data: &[u8]) -> bool {
        ttf_parser::Face::parse(data, 0).is_ok()
    }

    fn add_font(&mut self, data: &[u8]) {
        let faces = ttf_parser::fonts_in_collection(data).unwrap_or(1);
        for index in 0..faces {
            let Ok(face) = ttf_parser::Face::parse(data, index) else {
                continue;
            };
            let Some(cmap) = face.tables().cmap else {
                continue;
            };
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(|cp| {
                    // A cmap may list a code point it maps to glyph 0 (".notdef"),
                    // which is exactly what PDF/A refuses.
                    if let Some(c) = char::from_u32(cp)
                        && subtable.glyph_index(cp).is_some_and(|g| g.0 != 0)
                    {
                        self.insert(c);
                    }
                });
            }
        }
    }

    fn insert(&mut self, c: char) {
        let cp = c as usize;
        self.bits[cp / 64] |= 1 << (cp % 64);
    }

    /// Whether some font of the set has a glyph for `c`.
    pub fn contains(&self, c: char) -> bool {
        let cp = c as usize;
        self.bits[cp / 64] & (1 << (cp % 64)) != 0
    }

    /// The character shown in place of one no font can draw.
    pub fn substitute(&self) -> char {
        SUBSTITUTES
            .into_iter()
            .find(|&c| self.contains(c))
            .unwrap_or('?')
    }
}

/// Characters that draw nothing (joiners, variation selectors, direction marks, tags):
/// when the fonts lack them, leaving them out changes nothing a reader sees, whereas a
/// substitute would put a visible mark inside a word.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_draw_french_and_common_symbols() {
        let c = Coverage::bundled();
        for ch in "Maison Vidal SAS — « Équipements » 1 234,56 € œ Ÿ ≥ ½ → ’ …".chars()
        {
            assert!(c.contains(ch), "{ch:?} (U+{:04X})", ch as u32);
        }
    }

    #[test]
    fn bundled_fonts_lack_emoji_and_cjk() {
        let c = Coverage::bundled();
        for ch in ['😀', '🥐', '中', '文', '\u{1F1EB}'] {
            assert!(!c.contains(ch), "{ch:?}");
        }
        assert!(!c.contains('\u{7}'), "a control character has no glyph");
    }

    #[test]
    fn the_substitute_is_drawable() {
        let c = Coverage::bundled();
        assert!(c.contains(c.substitute()));
        assert_eq!(c.substitute(), '\u{FFFD}');
    }

    #[test]
    fn a_brand_font_adds_its_characters_and_garbage_adds_none() {
        let base = Coverage::bundled();
        let more = base.with_fonts([b"not a font".as_slice()]);
        assert_eq!(more.bits, base.bits);
        assert!(!Coverage::is_font(b"not a font"));
        assert!(Coverage::is_font(INTER[0]));
    }
}
