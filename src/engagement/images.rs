//! Images a report embeds (the brand's logo, the pictures in notes), checked when they
//! are loaded.
//!
//! The PDF stage decodes every image again, deep inside Typst and krilla, where a
//! problem can only be reported against a template and a virtual path, and where a
//! 1 MB PNG declaring 100,000 × 100,000 pixels asks for 19 GB and takes the whole run
//! down. So each image is checked here, against the consultant's own file:
//!
//! - raster images (PNG, JPEG, GIF, WebP): dimensions read from the header *before*
//!   decoding, then a decode under allocation limits, which refuses corrupt files;
//! - SVG: parsed without DTDs (no entities, so no XXE or billion laughs), with a node
//!   and a depth limit, refusing any reference to an outside file or address (only
//!   `#…` and `data:` are accepted, and embedded images are checked in turn), then
//!   converted the way Typst converts it (usvg), so that what passes here renders.

use std::io::Cursor;

use base64::Engine;

/// The largest side, in pixels, of a raster image.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels a raster image may have: 50 megapixels covers any phone photo (48 MP)
/// while bounding what one image costs to decode (200 MB in RGBA).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Elements, attributes' text and other nodes of an SVG. Logos have hundreds; charts
/// exported from a spreadsheet a few thousand.
pub const MAX_SVG_NODES: u32 = 50_000;
/// How deep an SVG's elements may nest: the PDF stage converts them recursively.
pub const MAX_SVG_DEPTH: usize = 64;
/// The most pixels the notes of one engagement may show in all, each image counted
/// once: the PDF stage holds them decoded together (300 photos of 9 megapixels took 7 GB
/// and half a minute). 500 megapixels is fifty 10-megapixel photos.
pub const MAX_PIXELS_PER_ENGAGEMENT: u64 = 500_000_000;
/// How deep images may be embedded in SVGs embedded in SVGs.
const MAX_EMBEDDING: usize = 2;

/// An image format levier embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
            Format::Svg => "image/svg+xml",
        }
    }

    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::Webp => "WebP",
            Format::Svg => "SVG",
        }
    }
}

/// Why an image is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// Not one of the formats levier embeds.
    Unknown,
    TooLarge {
        format: Format,
        width: u32,
        height: u32,
    },
    /// The decoder failed: a truncated or damaged file.
    Corrupt {
        format: Format,
        reason: String,
    },
    /// A gzip-compressed SVG (`.svgz`), which would be decompressed without bound.
    SvgCompressed,
    /// A DOCTYPE, which may declare entities (XXE, "billion laughs").
    SvgDoctype,
    SvgTooManyNodes,
    SvgTooDeep,
    /// A reference to something outside the file: a path or an address.
    SvgOutside(String),
    /// Images inside SVG images inside SVG images.
    SvgNested,
    /// A filter effect (blur, shadow, morphology), which the PDF stage computes pixel
    /// by pixel at a cost the file's numbers decide: one blur of a million pixels' radius
    /// took minutes.
    SvgFilter,
    SvgInvalid(String),
}

impl ImageError {
    /// What is wrong, for a diagnostic's label.
    pub fn describe(&self) -> String {
        match self {
            ImageError::Unknown => "this is not a PNG, JPEG, GIF, WebP or SVG image".into(),
            ImageError::TooLarge {
                format,
                width,
                height,
            } => format!(
                "this {} image is {width} × {height} pixels; levier embeds images up to {} megapixels and {MAX_SIDE} pixels a side",
                format.name(),
                MAX_PIXELS / 1_000_000
            ),
            ImageError::Corrupt { format, reason } => {
                format!("this {} image cannot be decoded: {reason}", format.name())
            }
            ImageError::SvgCompressed => "this is a compressed SVG (.svgz)".into(),
            ImageError::SvgDoctype => {
                "this SVG has a DOCTYPE, which may declare entities; levier does not read them"
                    .into()
            }
            ImageError::SvgTooManyNodes => {
                format!("this SVG has more than {MAX_SVG_NODES} elements")
            }
            ImageError::SvgTooDeep => {
                format!("this SVG nests elements more than {MAX_SVG_DEPTH} levels deep")
            }
            ImageError::SvgOutside(target) => format!(
                "this SVG refers to `{}` outside itself",
                shorten(target, 80)
            ),
            ImageError::SvgNested => {
                format!("this SVG embeds images more than {MAX_EMBEDDING} levels deep")
            }
            ImageError::SvgInvalid(reason) => format!("this is not a valid SVG: {reason}"),
            ImageError::SvgFilter => {
                "this SVG uses a filter effect (blur, shadow...), which levier does not embed"
                    .into()
            }
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ImageError::Unknown | ImageError::Corrupt { .. } => {
                "open the file in an image editor and export it again as PNG or JPEG"
            }
            ImageError::TooLarge { .. } => {
                "resize it: a full-width figure of an A4 page needs about 2,500 pixels at 300 dpi"
            }
            ImageError::SvgCompressed => "save it as a plain, uncompressed .svg",
            ImageError::SvgFilter => {
                "export it without effects, or as a PNG of the size it is shown at"
            }
            ImageError::SvgOutside(_) => {
                "embed what it shows in the SVG itself (most editors have an \"embed images\" option) or export it as PNG"
            }
            ImageError::SvgDoctype
            | ImageError::SvgTooManyNodes
            | ImageError::SvgTooDeep
            | ImageError::SvgNested
            | ImageError::SvgInvalid(_) => {
                "export it again as a plain SVG (\"SVG 1.1\" or \"optimised SVG\"), or as PNG"
            }
        }
    }
}

/// Pixels of a raster image, from its header (nothing decoded); 0 for an SVG or an
/// image whose header cannot be read (refused by [`check`] anyway).
pub fn pixels(bytes: &[u8]) -> u64 {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .map_or(0, |(w, h)| u64::from(w) * u64::from(h))
}

/// The pixels the notes of an engagement show so far (see
/// [`MAX_PIXELS_PER_ENGAGEMENT`]), each image file counted once.
#[derive(Debug, Default)]
pub struct ImageBudget {
    counted: std::collections::BTreeMap<std::path::PathBuf, u64>,
    total: u64,
    /// Images refused for the limit; only the first is reported.
    pub(crate) refused: usize,
}

impl ImageBudget {
    /// Counts the image at `path` unless it was already; whether the total stays within
    /// the limit.
    pub(crate) fn admits(&mut self, path: &std::path::Path, bytes: &[u8]) -> bool {
        if self.counted.contains_key(path) {
            return true;
        }
        let pixels = pixels(bytes);
        // An image over the limit of one image is refused by that check, with its size.
        if pixels > MAX_PIXELS {
            return true;
        }
        if self.total.saturating_add(pixels) > MAX_PIXELS_PER_ENGAGEMENT {
            return false;
        }
        self.total += pixels;
        self.counted.insert(path.to_path_buf(), pixels);
        true
    }
}

/// Checks an image's bytes; returns its format, found from the content (a JPEG named
/// `.png` is a JPEG).
pub fn check(bytes: &[u8]) -> Result<Format, ImageError> {
    check_nested(bytes, 0)
}

fn check_nested(bytes: &[u8], embedding: usize) -> Result<Format, ImageError> {
    if let Ok(format) = image::guess_format(bytes) {
        let format = match format {
            image::ImageFormat::Png => Format::Png,
            image::ImageFormat::Jpeg => Format::Jpeg,
            image::ImageFormat::Gif => Format::Gif,
            image::ImageFormat::WebP => Format::Webp,
            _ => return Err(ImageError::Unknown),
        };
        check_raster(bytes, format)?;
        return Ok(format);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ImageError::SvgCompressed);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.trim_ascii_start().starts_with(b"<") {
        check_svg(text, embedding)?;
        return Ok(Format::Svg);
    }
    Err(ImageError::Unknown)
}

fn check_raster(bytes: &[u8], format: Format) -> Result<(), ImageError> {
    let image_format = match format {
        Format::Png => image::ImageFormat::Png,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Gif => image::ImageFormat::Gif,
        Format::Webp => image::ImageFormat::WebP,
        Format::Svg => unreachable!("SVG is not a raster format"),
    };
    let corrupt = |e: image::ImageError| ImageError::Corrupt {
        format,
        reason: e.to_string().trim().to_lowercase(),
    };
    // The header alone: nothing is allocated for the pixels yet.
    let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(corrupt)?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge {
            format,
            width,
            height,
        });
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four channels of 16 bits, plus the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 8 + (64 << 20));
    reader.limits(limits);
    reader.decode().map_err(corrupt)?;
    Ok(())
}

fn check_svg(bytes: &[u8], embedding: usize) -> Result<(), ImageError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImageError::SvgInvalid("it is not UTF-8 text".into()))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_SVG_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ImageError::SvgDoctype,
        roxmltree::Error::NodesLimitReached => ImageError::SvgTooManyNodes,
        e => ImageError::SvgInvalid(e.to_string()),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(ImageError::SvgInvalid(format!(
            "its root element is <{}>, not <svg>",
            shorten(root.tag_name().name(), 40)
        )));
    }
    // Depth by document order: a parent comes before its children, so one pass over
    // the nodes suffices (no recursion over the file's nesting).
    let mut depth = vec![0usize; doc.descendants().count() + 1];
    for node in doc.descendants() {
        let d = node.parent().map_or(0, |p| depth[p.id().get_usize()] + 1);
        depth[node.id().get_usize()] = d;
        if d > MAX_SVG_DEPTH {
            return Err(ImageError::SvgTooDeep);
        }
        if !node.is_element() {
            continue;
        }
        let is_style = node.tag_name().name() == "style";
        if node.tag_name().name() == "filter" {
            return Err(ImageError::SvgFilter);
        }
        for attribute in node.attributes() {
            let value = attribute.value();
            if attribute.name() == "href" {
                check_reference(value, embedding)?;
            }
            if attribute.name() == "filter" && value.trim() != "none" {
                return Err(ImageError::SvgFilter);
            }
            check_css(value)?;
        }
        if is_style {
            for child in node.children().filter(|c| c.is_text()) {
                check_css(child.text().unwrap_or_default())?;
            }
        }
    }
    let options = usvg::Options {
        // Never read a file or an address (references were refused above anyway).
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    usvg::Tree::from_xmltree(&doc, &options)
        .map_err(|e| ImageError::SvgInvalid(e.to_string().to_lowercase()))?;
    Ok(())
}

/// An `href`: a fragment of the same file, or data embedded in it, which is checked in
/// turn (a PNG embedded in an SVG is decoded by the PDF stage as well).
fn check_reference(value: &str, embedding: usize) -> Result<(), ImageError> {
    let value = value.trim();
    if value.starts_with('#') {
        return Ok(());
    }
    let Some(data) = strip_prefix_ignore_case(value, "data:") else {
        return Err(ImageError::SvgOutside(value.to_string()));
    };
    if embedding >= MAX_EMBEDDING {
        return Err(ImageError::SvgNested);
    }
    let Some((header, payload)) = data.split_once(',') else {
        return Err(ImageError::SvgInvalid(
            "a `data:` address has no `,`".into(),
        ));
    };
    let bytes = if header.to_ascii_lowercase().ends_with(";base64") {
        let compact: String = payload
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| ImageError::SvgInvalid("an embedded image is not valid base64".into()))?
    } else {
        percent_decode(payload)
    };
    if header.to_ascii_lowercase().starts_with("image/") || header.is_empty() {
        check_nested(&bytes, embedding + 1)?;
    }
    Ok(())
}

/// CSS in a `style` attribute or element: `url(...)` may only name a fragment or data,
/// and `@import` loads another file.
fn check_css(css: &str) -> Result<(), ImageError> {
    let lower = css.to_ascii_lowercase();
    // `filter: blur(...)` in a style: the same effect as the element.
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("filter") {
        let after = rest[at + 6..].trim_start();
        if let Some(value) = after.strip_prefix(':')
            && !value.trim_start().starts_with("none")
        {
            return Err(ImageError::SvgFilter);
        }
        rest = &rest[at + 6..];
    }
    if let Some(at) = lower.find("@import") {
        return Err(ImageError::SvgOutside(css[at..].chars().take(60).collect()));
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let target = rest[at + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !(target.starts_with('#') || target.starts_with("data:")) {
            let end = target.find(')').unwrap_or(target.len());
            return Err(ImageError::SvgOutside(
                target[..end].trim_end_matches(['"', '\'']).to_string(),
            ));
        }
        rest = &rest[at + 4..];
    }
    Ok(())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `%3Csvg%3E` → `<svg>`; anything malformed is kept as written.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// At most `max` characters of `text`, for messages.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        text.chars().take(max).chain(['…']).collect()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG of `width` × `height` pixels as the encoder writes it.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::DynamicImage::new_rgb8(width, height)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    }

    /// A valid PNG header declaring `width` × `height` pixels, without the pixels: what
    /// a hostile "1 MB PNG of 100,000 × 100,000 pixels" starts with.
    pub(crate) fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        // Fix the IHDR chunk's CRC so that only the size is wrong.
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn small_png_passes_and_reports_its_format() {
        assert_eq!(check(&png(20, 10)), Ok(Format::Png));
    }

    #[test]
    fn huge_png_is_refused_from_its_header_without_decoding() {
        let bytes = png_header(100_000, 100_000);
        assert!(bytes.len() < 100, "the file itself is tiny");
        assert_eq!(
            check(&bytes),
            Err(ImageError::TooLarge {
                format: Format::Png,
                width: 100_000,
                height: 100_000
            })
        );
    }

    #[test]
    fn truncated_png_is_corrupt() {
        let mut bytes = png(300, 300);
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(
            check(&bytes),
            Err(ImageError::Corrupt {
                format: Format::Png,
                ..
            })
        ));
    }

    #[test]
    fn text_is_not_an_image() {
        assert_eq!(check(b"hello"), Err(ImageError::Unknown));
    }

    #[test]
    fn plain_svg_passes() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/></svg>"##;
        assert_eq!(check(svg), Ok(Format::Svg));
    }

    #[test]
    fn svg_with_outside_references_is_refused() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="http://example.com/x.png" width="1" height="1"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="../../secret.png"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url('file:///etc/passwd')"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://x/y.css);</style></svg>"#,
        ] {
            assert!(
                matches!(check(svg.as_bytes()), Err(ImageError::SvgOutside(_))),
                "{svg}"
            );
        }
    }

    #[test]
    fn svg_filter_effects_are_refused_in_elements_attributes_and_styles() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><filter id="b"><feGaussianBlur stdDeviation="1000000"/></filter></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect filter="url(#b)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: red; filter: blur(1000000px)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>rect { FILTER : drop-shadow(0 0 9px red) }</style><rect/></svg>"#,
        ] {
            assert_eq!(check(svg.as_bytes()), Err(ImageError::SvgFilter), "{svg}");
        }
        let plain = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" style="filter: none" filter="none"/></svg>"#;
        assert_eq!(check(plain.as_bytes()), Ok(Format::Svg));
    }

    #[test]
    fn the_notes_images_are_bounded_in_pixels_each_file_counted_once() {
        // Headers declaring 7,000 × 7,000 pixels: 49 megapixels each, ten in 500.
        let png = png_header(7_000, 7_000);
        let mut budget = ImageBudget::default();
        for i in 0..10 {
            let path = std::path::PathBuf::from(format!("notes/{i}.png"));
            assert!(budget.admits(&path, &png), "image {i}");
            assert!(
                budget.admits(&path, &png),
                "the same file again costs nothing"
            );
        }
        assert!(!budget.admits(std::path::Path::new("notes/10.png"), &png));
        // One image over the limit of one image is left to that limit's own message.
        let huge = png_header(100_000, 100_000);
        assert!(budget.admits(std::path::Path::new("notes/huge.png"), &huge));
    }

    #[test]
    fn pixels_are_read_from_the_header_alone() {
        assert_eq!(pixels(&png_header(7_000, 7_000)), 49_000_000);
        assert_eq!(pixels(b"<svg/>"), 0);
    }

    #[test]
    fn svg_entities_are_refused_before_expansion() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"#;
        assert_eq!(check(xxe.as_bytes()), Err(ImageError::SvgDoctype));
        let laughs = format!(
            r#"<!DOCTYPE svg [<!ENTITY a "lol">{}]><svg xmlns="http://www.w3.org/2000/svg"><text>&j;</text></svg>"#,
            (b'b'..=b'j')
                .map(|c| format!(
                    "<!ENTITY {} \"{}\">",
                    c as char,
                    format!("&{};", (c - 1) as char).repeat(10)
                ))
                .collect::<String>()
        );
        assert_eq!(check(laughs.as_bytes()), Err(ImageError::SvgDoctype));
    }

    #[test]
    fn svg_with_too_many_nodes_or_levels_is_refused() {
        let many = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg">{}</svg>"#,
            "<rect/>".repeat(100_000)
        );
        assert_eq!(check(many.as_bytes()), Err(ImageError::SvgTooManyNodes));
        let deep = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg">{}{}</svg>"#,
            "<g>".repeat(10_000),
            "</g>".repeat(10_000)
        );
        assert_eq!(check(deep.as_bytes()), Err(ImageError::SvgTooDeep));
    }

    #[test]
    fn images_embedded_in_svg_are_checked_too() {
        let b64 = base64::engine::general_purpose::STANDARD;
        let ok = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><image href="data:image/png;base64,{}" width="4" height="4"/></svg>"#,
            b64.encode(png(4, 4))
        );
        assert_eq!(check(ok.as_bytes()), Ok(Format::Svg));
        let huge = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,{}"/></svg>"#,
            b64.encode(png_header(100_000, 100_000))
        );
        assert!(matches!(
            check(huge.as_bytes()),
            Err(ImageError::TooLarge { .. })
        ));
    }

    #[test]
    fn compressed_and_broken_svgs_are_refused() {
        assert_eq!(check(&[0x1f, 0x8b, 8, 0]), Err(ImageError::SvgCompressed));
        assert!(matches!(
            check(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>"),
            Err(ImageError::SvgInvalid(_))
        ));
        assert!(matches!(
            check(b"<html><body/></html>"),
            Err(ImageError::SvgInvalid(_))
        ));
    }
}
