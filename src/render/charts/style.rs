//! How a report's charts look: the brand's colours, the font, how wide a text is, how
//! figures are written, and the paint of each series.

use plotters::prelude::*;
use rust_decimal::Decimal;

use super::{ChartStyle, NBSP};
use crate::i18n::Formatter;
use crate::present::model::{Series, SeriesRole, ValueUnit};
use crate::render::text_metrics::{TextMetrics, Weight};
use crate::vocab::Language;

/// Colours of one report's charts.
pub(super) struct Palette {
    pub(super) primary: RGBColor,
    pub(super) accent: RGBColor,
    pub(super) text: RGBColor,
    pub(super) muted: RGBColor,
    /// Gridlines: light enough to read through, dark enough to print.
    pub(super) grid: RGBColor,
    /// The zero line and axis baselines.
    pub(super) axis: RGBColor,
    pub(super) good: RGBColor,
    pub(super) bad: RGBColor,
    pub(super) warning: RGBColor,
}

pub(super) const WHITE_RGB: RGBColor = RGBColor(255, 255, 255);

pub(super) fn parse_hex(text: &str) -> Option<RGBColor> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(RGBColor(channel(0)?, channel(2)?, channel(4)?))
}

/// White or `dark`, whichever reads on `fill`.
pub(super) fn contrast(fill: RGBColor, dark: RGBColor) -> RGBColor {
    let luminance =
        (0.2126 * fill.0 as f64 + 0.7152 * fill.1 as f64 + 0.0722 * fill.2 as f64) / 255.0;
    if luminance > 0.6 { dark } else { WHITE_RGB }
}

/// `a` moved towards `b` by `t` in [0, 1].
pub(super) fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let c = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// What the layout needs besides the data.
pub(super) struct Ctx<'a> {
    pub(super) pal: Palette,
    /// The `font-family` attribute of every text.
    pub(super) family: String,
    /// Inter's widths stand in for other fonts, with a margin.
    pub(super) width_factor: f64,
    pub(super) fmt: &'a Formatter,
    pub(super) currency: &'a str,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(style: &'a ChartStyle, fmt: &'a Formatter) -> Ctx<'a> {
        let defaults = ChartStyle::default();
        let color = |given: &str, default: &str| {
            parse_hex(given)
                .or_else(|| parse_hex(default))
                .unwrap_or(RGBColor(0, 0, 0))
        };
        let muted = color(&style.muted, &defaults.muted);
        let pal = Palette {
            primary: color(&style.primary, &defaults.primary),
            accent: color(&style.accent, &defaults.accent),
            text: color(&style.text, &defaults.text),
            muted,
            grid: mix(muted, WHITE_RGB, 0.8),
            axis: mix(muted, WHITE_RGB, 0.35),
            good: RGBColor(0x2E, 0x7D, 0x32),
            bad: RGBColor(0xC6, 0x28, 0x28),
            warning: RGBColor(0xE6, 0x9F, 0x00),
        };
        let name: String = style
            .font_family
            .chars()
            .filter(|c| !matches!(c, '"' | '\'' | ',' | ';' | '<' | '>' | '&') && !c.is_control())
            .collect();
        let name = name.trim();
        let is_inter = name.is_empty() || name.eq_ignore_ascii_case("inter");
        // Inter first for Typst (which skips generic names); the rest only matters to a
        // browser without Inter.
        let family = if is_inter {
            "Inter, Arial, sans-serif".to_string()
        } else {
            format!("'{name}', Inter, Arial, sans-serif")
        };
        Ctx {
            pal,
            family,
            width_factor: if is_inter { 1.0 } else { 1.12 },
            fmt,
            currency: if style.currency.is_empty() {
                "EUR"
            } else {
                &style.currency
            },
        }
    }

    /// Width of `text` in user units, measured in Inter like the PDF's table columns.
    pub(super) fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let em: f64 = text.chars().map(advance_em).sum();
        em * size * self.width_factor * if bold { 1.06 } else { 1.0 }
    }

    pub(super) fn dec(&self, v: f64) -> Decimal {
        Decimal::try_from(v).unwrap_or_default()
    }

    /// A figure on a bar or a point.
    pub(super) fn value_label(&self, unit: ValueUnit, v: f64) -> String {
        let d = self.dec(v);
        match unit {
            ValueUnit::Money => self.fmt.money_compact(d, self.currency),
            ValueUnit::Percent => self.fmt.percent(d, 1),
            ValueUnit::Count if v >= 0.0 => self.fmt.count(v.round() as u64),
            ValueUnit::Count => self.fmt.number(d, 0),
            ValueUnit::Hours => format!("{}{NBSP}h", self.fmt.number(d, 0)),
        }
    }

    /// `A : 80 %` / `A: 80%`.
    pub(super) fn colon(&self, left: &str, right: &str) -> String {
        match self.fmt.language() {
            Language::Fr => format!("{left}{NBSP}: {right}"),
            Language::En => format!("{left}: {right}"),
        }
    }
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paint {
    pub(super) fill: RGBColor,
    pub(super) stroke: RGBColor,
    pub(super) dashed: bool,
    /// Colour of its value labels.
    pub(super) label: RGBColor,
    /// Line width.
    pub(super) weight: f64,
    /// Draw points on lines.
    pub(super) markers: bool,
}

pub(super) fn paints(series: &[Series], pal: &Palette) -> Vec<Paint> {
    let mut seen = [0usize; 7];
    series
        .iter()
        .map(|s| {
            let slot = match s.role {
                SeriesRole::Primary => 0,
                SeriesRole::Comparison => 1,
                SeriesRole::Accent => 2,
                SeriesRole::Good => 3,
                SeriesRole::Bad => 4,
                SeriesRole::Projection => 5,
                SeriesRole::Objective => 6,
            };
            let k = seen[slot] as f64;
            seen[slot] += 1;
            let fade = |c: RGBColor, base: f64| mix(c, WHITE_RGB, (base + 0.3 * k).min(0.85));
            let solid = |c: RGBColor| Paint {
                fill: fade(c, 0.0),
                stroke: fade(c, 0.0),
                dashed: false,
                label: pal.text,
                weight: 2.5,
                markers: k == 0.0,
            };
            match s.role {
                SeriesRole::Primary => solid(pal.primary),
                SeriesRole::Accent => solid(pal.accent),
                SeriesRole::Good => solid(pal.good),
                SeriesRole::Bad => solid(pal.bad),
                SeriesRole::Projection => Paint {
                    fill: fade(pal.primary, 0.45),
                    stroke: fade(pal.primary, 0.2),
                    dashed: true,
                    label: pal.text,
                    weight: 2.5,
                    markers: false,
                },
                SeriesRole::Objective => Paint {
                    fill: fade(pal.accent, 0.3),
                    stroke: fade(pal.accent, 0.0),
                    dashed: false,
                    label: pal.text,
                    weight: 2.0,
                    markers: false,
                },
                SeriesRole::Comparison => Paint {
                    fill: fade(pal.muted, 0.5),
                    stroke: fade(pal.muted, 0.15),
                    dashed: k > 0.0,
                    label: pal.muted,
                    weight: 2.0,
                    markers: false,
                },
            }
        })
        .collect()
}

/// Draw order of lines: comparisons behind, the main series on top.
pub(super) fn z_order(role: SeriesRole) -> u8 {
    match role {
        SeriesRole::Comparison => 0,
        SeriesRole::Objective => 1,
        SeriesRole::Good | SeriesRole::Bad | SeriesRole::Projection => 1,
        SeriesRole::Accent => 2,
        SeriesRole::Primary => 3,
    }
}

/// Advance width of `c` in ems, as a chart sets it: both no-break spaces count as the
/// space they stand for (U+202F narrower), and characters Inter lacks as a wide letter.
fn advance_em(c: char) -> f64 {
    let m = TextMetrics::get();
    let space = m.glyph(' ', Weight::Regular).unwrap_or(0.28);
    match c {
        '\u{a0}' => space,
        '\u{202f}' => m.glyph(c, Weight::Regular).unwrap_or(space * 0.6),
        _ => m.advance(c, Weight::Regular),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::charts::testing::*;

    #[test]
    fn text_is_measured_like_a_browser_sets_it() {
        // Widths Chromium gives these strings in Inter at 15 px (getComputedTextLength).
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        for (text, browser) in [
            ("Prospection téléphonique", 181.14),
            ("Île-de-France", 96.77),
            ("Recommandation client", 166.08),
            ("janv. 2025", 73.34),
            ("400\u{a0}k€", 50.73),
            ("712", 24.63),
        ] {
            let ours = ctx.width(text, 15.0, false);
            assert!(
                (ours / browser - 1.0).abs() < 0.015,
                "{text}: {ours} vs {browser}"
            );
            assert!(
                ctx.width(text, 15.0, true) >= browser * 1.02,
                "bold is wider"
            );
        }
    }
}
