//! Painting a [`Scene`] with plotters' SVG backend, then replacing its root element
//! with one that scales with its container and names the chart for screen readers.

use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::SCALE;
use super::scene::{Anchor, Baseline, Scene, Shape};
use crate::present::model::Chart;

/// A layout coordinate in SVG units.
pub(super) fn px(v: f64) -> i32 {
    if v.is_finite() {
        (v * SCALE).round() as i32
    } else {
        0
    }
}

/// A layout length in SVG units, at least 1.
pub(super) fn len(v: f64) -> u32 {
    px(v).max(1) as u32
}

pub(super) fn pt((x, y): (f64, f64)) -> (i32, i32) {
    (px(x), px(y))
}

/// Paints `scene`; its labels too when `text` (the HTML's form), else only its shapes
/// (the PDF's form, whose labels Typst sets: see [`labels`]).
pub(super) fn paint(scene: &Scene, family: &str, text: bool) -> String {
    let mut out = String::new();
    {
        let size = (len(scene.width), len(scene.height));
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        // Drawing into a String cannot fail: the backend's only errors are file errors.
        let _ = root.fill(&WHITE);
        for shape in &scene.shapes {
            if text || !matches!(shape, Shape::Text(_)) {
                let _ = draw(&root, shape, family);
            }
        }
        let _ = root.present();
    }
    out
}

/// The labels of `scene` as data for the PDF template, in the SVG's units and with the
/// SVG's conventions (where `x`, `y` fall on the text), so that the template sets them
/// exactly where the SVG would.
pub(super) fn labels(scene: &Scene) -> Vec<PlacedLabel> {
    scene
        .shapes
        .iter()
        .filter_map(|shape| match shape {
            Shape::Text(l) => Some(PlacedLabel {
                text: l.text.clone(),
                x: px(l.x),
                y: px(l.y),
                size: (l.size * SCALE * 100.0).round() / 100.0,
                fill: format!("#{:02X}{:02X}{:02X}", l.color.0, l.color.1, l.color.2),
                anchor: match l.anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                },
                baseline: match l.baseline {
                    Baseline::Top => "top",
                    Baseline::Middle => "middle",
                    Baseline::Bottom => "bottom",
                },
                bold: l.bold,
                vertical: l.vertical,
            }),
            _ => None,
        })
        .collect()
}

/// A chart's label as the PDF template sets it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlacedLabel {
    pub text: String,
    /// Where the text is anchored, in SVG units from the top left.
    pub x: i32,
    pub y: i32,
    /// Font size in SVG units, as the SVG's `font-size`.
    pub size: f64,
    /// `#RRGGBB`.
    pub fill: String,
    /// `start`, `middle` or `end`: which part of the text is at `x`.
    pub anchor: &'static str,
    /// `top`, `middle` or `bottom`: which part of the text is at `y`.
    pub baseline: &'static str,
    /// Set semibold (600), as the SVG's bold.
    pub bold: bool,
    /// Turned a quarter turn anticlockwise about the anchor, reading upwards.
    pub vertical: bool,
}

pub(super) type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

pub(super) fn draw(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    shape: &Shape,
    family: &str,
) -> DrawResult {
    match shape {
        Shape::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
        } => {
            let (a, b) = (pt((*x0, *y0)), pt((*x1, *y1)));
            if a.0 == b.0 || a.1 == b.1 {
                return Ok(());
            }
            root.draw(&Rectangle::new([a, b], fill.filled()))
        }
        Shape::Line {
            points,
            color,
            width,
            dash,
        } => {
            let mut pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
            pts.dedup();
            if pts.len() < 2 {
                return Ok(());
            }
            let style = color.stroke_width(len(*width));
            match dash {
                None => root.draw(&PathElement::new(pts, style)),
                Some((on, off)) => {
                    root.draw(&DashedPathElement::new(pts, len(*on), len(*off), style))
                }
            }
        }
        Shape::Polygon { points, fill } => {
            let pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
            root.draw(&Polygon::new(pts, fill.filled()))
        }
        Shape::Dot { x, y, r, fill } => {
            root.draw(&Circle::new(pt((*x, *y)), len(*r), fill.filled()))
        }
        Shape::Text(l) => {
            // The SVG backend writes font-size = size / 1.24 (its own pixel convention).
            let weight = if l.bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            };
            let mut font = FontDesc::new(FontFamily::Name(family), l.size * SCALE * 1.24, weight);
            if l.vertical {
                font = font.transform(FontTransform::Rotate270);
            }
            let h = match l.anchor {
                Anchor::Start => HPos::Left,
                Anchor::Middle => HPos::Center,
                Anchor::End => HPos::Right,
            };
            let v = match l.baseline {
                Baseline::Top => VPos::Top,
                Baseline::Middle => VPos::Center,
                Baseline::Bottom => VPos::Bottom,
            };
            let style = TextStyle {
                font,
                color: l.color.to_backend_color(),
                pos: Pos::new(h, v),
            };
            root.draw(&Text::new(l.text.as_str(), pt((l.x, l.y)), style))
        }
    }
}

pub(super) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Numbers as SVG wants them: at most two decimals, no trailing zeros.
pub(super) fn number(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Replaces plotters' root element (fixed size) with one that scales and names the
/// chart, and tidies its text attributes.
pub(super) fn finish(raw: &str, scene: &Scene, chart: &Chart, family: &str) -> String {
    let body = raw.find('\n').map_or("", |i| &raw[i + 1..]);
    let id: String = chart
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = if id.is_empty() { "chart".into() } else { id };
    let mut out = String::with_capacity(raw.len() + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{}\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        len(scene.width),
        len(scene.height),
        xml_escape(family),
        xml_escape(&chart.title),
        xml_escape(&chart.alt),
    );
    // font-size="15.000000000000002" → "15"; plotters' bold → Inter SemiBold, bundled.
    let mut rest = body;
    const SIZE: &str = "font-size=\"";
    while let Some(i) = rest.find(SIZE) {
        out.push_str(&rest[..i + SIZE.len()]);
        rest = &rest[i + SIZE.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(v) => out.push_str(&number(v)),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("font-weight=\"bold\"", "font-weight=\"600\"")
}
