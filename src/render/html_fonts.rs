//! Inter in the HTML pages, as in the PDF.
//!
//! A report opened from an email attachment has no web font to fetch, and without one the
//! browser draws it in whatever sans-serif the machine has, so the HTML would not look
//! like the PDF. The whole of Inter is ~600 KB per style; a page uses ~100 characters. So
//! each page embeds the variable Inter (every weight in one file) subset to the characters
//! it contains and the letters of French, ~55 KB, as a data URI. The subsetter keeps the
//! cmap and the kerning a browser needs (the PDF's subsetter keeps neither: a PDF maps glyphs itself).
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

/// Characters every page's subset holds, used or not: printable ASCII, the letters of
/// French and the punctuation levier and its translations print. Most pages then ask for
/// the same set, and a build subsets Inter once per style instead of once per page (the
/// subsetting was a tenth of a build's time); a page with other characters (a client
/// named "Łukasz", "Müller & Søn") gets them added, at the cost of a subset of its own.
const COMMON: &str = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»–—‘’“”…€•·×−‑°→\u{a0}\u{202f}";

/// Subsets already made in this process, by style and character set. Bounded: past
/// [`CACHE_LIMIT`] sets, a new one is subset for its page and not kept.
type Cache = std::collections::HashMap<(bool, BTreeSet<char>), std::sync::Arc<str>>;
static CACHE: std::sync::Mutex<Option<Cache>> = std::sync::Mutex::new(None);
const CACHE_LIMIT: usize = 64;

/// The `@font-face` rules of Inter subset to the characters of `page` (with [`COMMON`]):
/// the roman always, the italic when the page sets something in italics. Empty if
/// subsetting fails (the page then falls back to the system's sans-serif, as the
/// stylesheet says). The same page always gets the same bytes.
pub fn font_faces(page: &str) -> String {
    // Printable ASCII is always in: only the rest of the page's characters are looked at
    // (a page is a few hundred kilobytes, mostly markup and data URIs).
    let chars: BTreeSet<char> = page
        .chars()
        .filter(|c| !c.is_ascii())
        .chain(' '..='~')
        .chain(COMMON.chars())
        .filter(|c| !c.is_control())
        .collect();
    // The inlined stylesheet always names `.unavailable`: what counts is an element of
    // that class in the page.
    let italic =
        page.contains("<em") || page.contains("<i>") || page.contains("class=\"unavailable\"");
    let mut css = String::new();
    if let Some(rule) = face(false, &chars) {
        css.push_str(&rule);
    }
    if italic && let Some(rule) = face(true, &chars) {
        css.push_str(&rule);
    }
    css
}

/// The `@font-face` rule of the roman or italic Inter subset to `chars`, from the cache
/// when this process has made it before.
fn face(italic: bool, chars: &BTreeSet<char>) -> Option<std::sync::Arc<str>> {
    let key = (italic, chars.clone());
    let cached = |cache: &mut Option<Cache>| cache.as_ref().and_then(|c| c.get(&key).cloned());
    if let Some(rule) = cached(&mut CACHE.lock().unwrap_or_else(|e| e.into_inner())) {
        return Some(rule);
    }
    let (font, style) = if italic {
        (ITALIC, "italic")
    } else {
        (ROMAN, "normal")
    };
    let bytes = subset(font, chars)?;
    let rule: std::sync::Arc<str> = format!(
        "@font-face {{ font-family: \"Inter\"; src: url({}) format(\"truetype\"); \
         font-weight: 100 900; font-style: {style}; font-display: block; }}\n",
        data_uri("font/ttf", &bytes)
    )
    .into();
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let cache = cache.get_or_insert_with(Cache::new);
    if cache.len() < CACHE_LIMIT {
        cache.insert(key, rule.clone());
    }
    Some(rule)
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

    /// The embedded font file of a page's `@font-face` rules, decoded.
    fn embedded(faces: &str) -> Vec<u8> {
        use base64::Engine;
        let start = faces.find("base64,").expect("a data URI") + "base64,".len();
        let end = start + faces[start..].find(')').expect("end of the URI");
        base64::engine::general_purpose::STANDARD
            .decode(&faces[start..end])
            .expect("base64")
    }

    #[test]
    fn pages_in_french_share_one_subset_and_other_letters_are_added() {
        let a = font_faces("<p>Chiffre d'affaires : 2\u{202f}688\u{202f}316\u{a0}€</p>");
        let b = font_faces("<p>Clients à reconquérir — « Œuvres » : 12</p>");
        assert_eq!(a, b, "two pages of common characters embed the same font");
        let bytes = embedded(&a);
        assert!(bytes.len() < 80_000, "{} bytes", bytes.len());
        use read_fonts::TableProvider;
        let font = FontRef::new(&bytes).unwrap();
        let cmap = font.cmap().unwrap();
        for c in COMMON.chars() {
            assert!(
                cmap.map_codepoint(c).is_some_and(|g| g.to_u32() != 0),
                "{c:?}"
            );
        }
        let polish = font_faces("<p>Łukasz Wąsik</p>");
        let bytes = embedded(&polish);
        let font = FontRef::new(&bytes).unwrap();
        let cmap = font.cmap().unwrap();
        for c in ['Ł', 'ą'] {
            assert!(
                cmap.map_codepoint(c).is_some_and(|g| g.to_u32() != 0),
                "{c:?}"
            );
        }
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
