//! The consulting firm's brand: name, logo, colours, fonts, footer.
//!
//! Resolution order (engagement-format.md): `engagements/<slug>/brand/`, else the
//! workspace's `brand/`, else the built-in brand. Every file of a brand, `brand.toml`
//! included, is read only from inside its own folder, as a regular file under a size
//! limit: a `brand.toml` linked to `/etc/passwd` would otherwise be printed on every page
//! and quoted line by line in diagnostics. The logo is checked like any image
//! ([`super::images`]) and each font file must parse as a font.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::toml_reader::TomlFile;
use super::{SourceFile, images, paths};
use crate::diagnostic::Diagnostic;

/// The built-in brand, used when neither the engagement nor the workspace has one.
pub const BUILTIN_TOML: &str = include_str!("../../templates/brand/brand.toml");

/// Where the brand in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrandOrigin {
    Engagement,
    Workspace,
    BuiltIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogoKind {
    Svg,
    Png,
}

/// A logo file's content.
#[derive(Debug, Clone, Serialize)]
pub struct Logo {
    pub kind: LogoKind,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Brand colours, as `#RRGGBB`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Colors {
    pub primary: String,
    pub accent: String,
    pub text: String,
    pub muted: String,
}

/// A font file shipped in the brand's `fonts/` folder.
#[derive(Debug, Clone, Serialize)]
pub struct FontFile {
    pub file: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    pub origin: BrandOrigin,
    pub name: String,
    pub logo: Option<Logo>,
    pub colors: Colors,
    /// Font family names for body text and headings; `None` means the bundled fonts.
    pub body_font: Option<String>,
    pub heading_font: Option<String>,
    pub font_files: Vec<FontFile>,
    pub footer: Option<String>,
    /// The `brand.toml` read, for diagnostics; `None` for the built-in brand.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

impl Brand {
    /// The built-in brand.
    pub fn builtin() -> Brand {
        let file = TomlFile::new(Path::new("<built-in>/brand.toml"), BUILTIN_TOML);
        let brand = parse(
            &file,
            BrandOrigin::BuiltIn,
            None,
            crate::vocab::Language::Fr,
        );
        assert!(
            file.into_diagnostics().is_empty(),
            "the built-in brand is valid"
        );
        brand
    }
}

/// Reads a brand folder (`dir` must be canonical). `shown` names its `brand.toml` in
/// the provenance annex. Problems go to `diagnostics`.
pub fn read(
    dir: &Path,
    origin: BrandOrigin,
    shown: &str,
    language: crate::vocab::Language,
    sources: &mut Vec<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Brand> {
    let toml_path = dir.join("brand.toml");
    let bytes = match paths::confined(dir, "brand.toml")
        .and_then(|path| paths::read_regular(&path, paths::limits::TOML))
    {
        Ok(bytes) => bytes,
        Err(e) => {
            // Never the content: through a link, it is not the consultant's file.
            diagnostics.push(
                Diagnostic::error(format!("cannot read brand.toml: {}", e.describe(dir)))
                    .in_file(&toml_path),
            );
            return None;
        }
    };
    sources.push(SourceFile {
        file: shown.to_string(),
        bytes: bytes.len() as u64,
        blake3: blake3::hash(&bytes).to_hex().to_string(),
    });
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(
                super::tables::not_utf8(e.as_bytes(), &toml_path)
                    .help("save the file as UTF-8 (in the editor's \"Save as\" dialog, choose the UTF-8 encoding)"),
            );
            return None;
        }
    };
    let file = TomlFile::new(&toml_path, &text);
    let mut brand = parse(&file, origin, Some(dir), language);
    brand.source = Some(toml_path.clone());
    let found = file.into_diagnostics();
    let failed = found.iter().any(Diagnostic::is_error);
    diagnostics.extend(found);
    (!failed).then_some(brand)
}

fn parse(
    file: &TomlFile<'_>,
    origin: BrandOrigin,
    dir: Option<&Path>,
    language: crate::vocab::Language,
) -> Brand {
    let doc = file.parse();
    let root = file.root(&doc);
    let default_colors = Colors {
        primary: "#1F3A5F".into(),
        accent: "#E07A1F".into(),
        text: "#222222".into(),
        muted: "#6B7280".into(),
    };
    // The built-in brand is nobody's: it has no name, and the consultant signs.
    let name = if origin == BrandOrigin::BuiltIn {
        root.string("name").map(|s| s.value).unwrap_or_default()
    } else {
        root.required_string("name", "\"Cabinet Martin Conseil\"")
            .map(|s| s.value)
            .unwrap_or_default()
    };
    let mut logo = None;
    if let Some(l) = root.string("logo") {
        let kind = match Path::new(&l.value)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if e == "svg" => Some(LogoKind::Svg),
            Some(e) if e == "png" => Some(LogoKind::Png),
            _ => {
                file.report(
                    l.origin
                        .error(format!("unsupported logo `{}`", l.value))
                        .label("expected an .svg or .png file"),
                );
                None
            }
        };
        if let (Some(kind), Some(dir)) = (kind, dir) {
            let cannot = || {
                l.origin.error(format!(
                    "cannot use logo `{}`",
                    images::shorten(&l.value, 80)
                ))
            };
            match paths::confined(dir, &l.value)
                .and_then(|path| paths::read_regular(&path, paths::limits::ASSET))
            {
                Ok(bytes) => match (kind, images::check(&bytes)) {
                    (LogoKind::Svg, Ok(images::Format::Svg))
                    | (LogoKind::Png, Ok(images::Format::Png)) => {
                        logo = Some(Logo { kind, bytes });
                    }
                    (_, Ok(found)) => file.report(
                        cannot()
                            .label(format!(
                                "this file is a {} image, whatever its name says",
                                found.name()
                            ))
                            .help("export the logo as SVG or PNG"),
                    ),
                    (_, Err(e)) => file.report(cannot().label(e.describe()).help(e.help())),
                },
                Err(e) => file.report(cannot().label(e.describe(dir))),
            }
        }
    }
    let mut colors = default_colors;
    if let Some(c) = root.table("colors") {
        for (key, slot) in [
            ("primary", &mut colors.primary),
            ("accent", &mut colors.accent),
            ("text", &mut colors.text),
            ("muted", &mut colors.muted),
        ] {
            if let Some(v) = c.string(key) {
                match normalise_color(&v.value) {
                    Some(hex) => *slot = hex,
                    None => file.report(
                        v.origin
                            .error(format!("invalid colour `{}`", v.value))
                            .label("expected a hex colour like \"#1F3A5F\""),
                    ),
                }
            }
        }
        c.finish();
    }
    let (mut body_font, mut heading_font) = (None, None);
    if let Some(f) = root.table("fonts") {
        body_font = f.string("body").map(|s| s.value);
        heading_font = f.string("headings").map(|s| s.value);
        f.finish();
    }
    let footer = root.localized_string("footer", language).map(|s| s.value);
    root.finish();

    let mut font_files = Vec::new();
    if let Some(dir) = dir {
        let fonts = dir.join("fonts");
        if let Ok(entries) = std::fs::read_dir(&fonts) {
            let mut names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            names.sort();
            for path in names {
                let ext = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase);
                if !matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc")) {
                    continue;
                }
                match paths::check_inside(dir, &path)
                    .and_then(|p| paths::read_regular(&p, paths::limits::FONT))
                {
                    Ok(bytes) if crate::glyphs::Coverage::is_font(&bytes) => {
                        font_files.push(FontFile {
                            file: path
                                .file_name()
                                .unwrap_or_default()
                                .to_string_lossy()
                                .into_owned(),
                            bytes,
                        });
                    }
                    Ok(_) => file.report(
                        Diagnostic::warning(format!(
                            "font file {} is not a TrueType or OpenType font",
                            path.display()
                        ))
                        .in_file(&path)
                        .label(
                            "left out: the fonts it should provide fall back to the bundled ones",
                        ),
                    ),
                    Err(e) => file.report(
                        Diagnostic::error(format!("cannot use font file {}", path.display()))
                            .in_file(&path)
                            .label(e.describe(dir)),
                    ),
                }
            }
        }
    }

    Brand {
        origin,
        name,
        logo,
        colors,
        body_font,
        heading_font,
        font_files,
        footer,
        source: None,
    }
}

/// `#abc` and `#AABBCC` become `#AABBCC`.
fn normalise_color(text: &str) -> Option<String> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_uppercase())),
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_uppercase()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_brand_is_neutral_no_firm_name_logo_or_footer() {
        let b = Brand::builtin();
        assert_eq!(b.origin, BrandOrigin::BuiltIn);
        // Nobody's brand: the tool's name must not pass for the consultant's firm.
        assert_eq!(b.name, "");
        assert!(b.logo.is_none());
        assert!(b.footer.is_none());
        assert_eq!(b.colors.primary, "#1F3A5F");
    }

    #[test]
    fn colours() {
        assert_eq!(normalise_color("#1f3a5f").as_deref(), Some("#1F3A5F"));
        assert_eq!(normalise_color("#abc").as_deref(), Some("#AABBCC"));
        assert_eq!(normalise_color("blue"), None);
    }
}
