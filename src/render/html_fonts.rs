//! Inter in the HTML pages, as in the PDF.
//!
//! A report opened from an email attachment has no web font to fetch, and without one the
//! browser draws it in whatever sans-serif the machine has, so the HTML would not look
//! like the PDF. The whole of Inter is ~600 KB per style; a page uses ~100 characters. So
//! each page embeds the variable Inter (every weight in one file) subset to the characters
//! it contains, ~45 KB, as a data URI. The subsetter keeps the cmap and the kerning a
//! browser needs (the PDF's subsetter keeps neither: a PDF maps glyphs itself).
//!
//! The fonts are Debian's `fonts-inter-variable` (4.0~beta7), the same version as the
//! static Inter of the PDF, under the SIL Open Font License (`assets/fonts/`).

use std::collections::BTreeSet;

use read_fonts::FontRef;
use read_fonts::collections::IntSet;
use read_fonts::types::{NameId, Tag};
use skera::{DEFAULT_LAYOUT_FEATURES, Plan, SubsetFlags, subset_font};

use super::html::data_uri;

const ROMAN: &[u8] = include_bytes!("../../assets/fonts/Inter-roman.var.ttf");
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/Inter-italic.var.ttf");

/// Where a page's template asks for the built-in fonts: replaced by their `@font-face`
/// rules once the page is rendered and its characters known.
pub const MARKER: &str = "/* levier: built-in fonts */";

/// The `@font-face` rules of Inter subset to the characters of `page`: the roman always,
/// the italic when the page sets something in italics. Empty if subsetting fails (the
/// page then falls back to the system's sans-serif, as the stylesheet says).
pub fn font_faces(page: &str) -> String {
    let chars: BTreeSet<char> = page
        .chars()
        .chain(' '..='~')
        .filter(|c| !c.is_control())
        .collect();
    // The inlined stylesheet always names `.unavailable`: what counts is an element of
    // that class in the page.
    let italic =
        page.contains("<em") || page.contains("<i>") || page.contains("class=\"unavailable\"");
    let mut css = String::new();
    let styles = [("normal", ROMAN, true), ("italic", ITALIC, italic)];
    for (style, font, wanted) in styles {
        if !wanted {
            continue;
        }
        if let Some(bytes) = subset(font, &chars) {
            css.push_str(&format!(
                "@font-face {{ font-family: \"Inter\"; src: url({}) format(\"truetype\"); \
                 font-weight: 100 900; font-style: {style}; font-display: block; }}\n",
                data_uri("font/ttf", &bytes)
            ));
        }
    }
    css
}

/// `font` subset to `chars`, layout features and names kept as browsers use them.
fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let font = FontRef::new(font).ok()?;
    let mut unicodes = IntSet::<u32>::empty();
    unicodes.extend(chars.iter().map(|&c| c as u32));
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert();
    let mut features = IntSet::<Tag>::empty();
    features.extend(DEFAULT_LAYOUT_FEATURES.iter().copied());
    // `tnum`: the tables set figures in tabular digits.
    features.insert(Tag::new(b"tnum"));
    let mut names = IntSet::<NameId>::empty();
    names.insert_range(NameId::from(0)..=NameId::from(6));
    let mut languages = IntSet::<u16>::empty();
    languages.insert(0x0409);
    let plan = Plan::new(
        &IntSet::empty(),
        &unicodes,
        &font,
        SubsetFlags::SUBSET_FLAGS_NO_HINTING,
        &IntSet::empty(),
        &scripts,
        &features,
        &names,
        &languages,
    );
    subset_font(&font, &plan).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph_count(font: &[u8]) -> u16 {
        use read_fonts::TableProvider;
        FontRef::new(font).unwrap().maxp().unwrap().num_glyphs()
    }

    #[test]
    fn a_page_embeds_inter_subset_to_its_characters_with_a_cmap() {
        let page = "<p>Chiffre d'affaires : 2\u{202f}688\u{202f}316\u{a0}€ — «\u{a0}Équipements\u{a0}»</p>";
        let chars: BTreeSet<char> = page.chars().collect();
        let bytes = subset(ROMAN, &chars).expect("subset");
        assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
        assert!(glyph_count(&bytes) < glyph_count(ROMAN) / 10);
        // Every character of the page is mapped, as a browser looks it up.
        use read_fonts::TableProvider;
        let font = FontRef::new(&bytes).unwrap();
        let cmap = font.cmap().unwrap();
        for c in chars {
            assert!(
                cmap.map_codepoint(c).is_some_and(|g| g.to_u32() != 0),
                "{c:?}"
            );
        }
        assert!(cmap.map_codepoint('Z').is_none_or(|g| g.to_u32() == 0));
    }

    #[test]
    fn italics_are_embedded_only_when_the_page_has_some() {
        let plain =
            font_faces("<style>.unavailable { font-style: italic; }</style><p>Synthèse</p>");
        assert_eq!(plain.matches("@font-face").count(), 1);
        assert!(plain.contains("font-style: normal"));
        let emphasis = font_faces("<p>Une <em>forte</em> dépendance</p>");
        assert_eq!(emphasis.matches("@font-face").count(), 2);
        assert!(emphasis.contains("font-style: italic"));
        let missing = font_faces("<p class=\"unavailable\">Aucun lead</p>");
        assert_eq!(missing.matches("@font-face").count(), 2);
        // The same page gives the same bytes.
        assert_eq!(emphasis, font_faces("<p>Une <em>forte</em> dépendance</p>"));
    }
}
