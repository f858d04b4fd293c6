//! Charts: every [`ChartSpec`] of a report drawn once to a self-contained SVG string,
//! which the HTML report inlines and the PDF report (Typst) embeds as an image.
//!
//! Each chart is laid out first into a [`Scene`]: plain shapes and labels in a
//! coordinate space [`WIDTH`] units wide, with every label measured with the bundled
//! Inter's advance widths. Only then is the scene painted with plotters' SVG backend,
//! and the root element rewritten for accessibility and scaling. Keeping the layout as
//! data lets the tests check what a reader would: no label outside the picture, no two
//! labels on top of each other.
//!
//! Why not plotters' `ChartBuilder` and mesh: they place tick labels without collision
//! checks, measure text either with system fonts (`ttf`, font-kit) or with a rough
//! guess, and draw axis lines and boxes a consulting deliverable does without. Plotters
//! here is the drawing engine (drawing area, elements, SVG backend); the layout is ours.
//!
//! Output is deterministic: no hash maps, no clock, no randomness, and floats are
//! printed by Rust's shortest round-trip formatting, so identical inputs give
//! byte-identical SVG (the PDF and HTML outputs are then reproducible too).
//!
//! Text is set in the brand's body font, else Inter, named explicitly: Typst ignores
//! generic families such as `sans-serif` when it looks up SVG text, and the bundled
//! Inter is what it has.

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{Datelike, Months, NaiveDate};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

use crate::i18n::Formatter;
use crate::present::model::{
    BrandView, Chart, ChartSpec, Reference, Series, SeriesRole, TimelineItem, Tone, ValueUnit,
};
use crate::vocab::Language;

/// Width of every chart in SVG user units. Reports print charts about 16 cm wide, so
/// one unit is 0.63 pt and [`FONT`] prints at 9.5 pt; on screen a unit is a CSS pixel
/// at the report's usual column width.
pub const WIDTH: f64 = 720.0;
/// Text size of ticks, labels, values and legends (9.5 pt at 16 cm).
const FONT: f64 = 15.0;
/// Emphasised labels: zone letters, reference and as-of labels.
const FONT_STRONG: f64 = 16.0;
/// Line height of wrapped labels.
const LINE: f64 = 19.0;
/// Height of vertical bar, line and Pareto charts.
const PLOT_HEIGHT: f64 = 360.0;
const NBSP: char = '\u{a0}';
/// Left margin of label columns, so accents and side bearings are never cut.
const PAD: f64 = 4.0;
/// The SVG's coordinates are this many times finer than the layout's units:
/// plotters rounds coordinates to integers, and half units keep an 800-point curve
/// smooth and allow 1.5-unit strokes.
const SCALE: f64 = 2.0;

static INTER_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");

/// Colours and font of the charts, from the brand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartStyle {
    /// Main series (`#RRGGBB`).
    pub primary: String,
    /// Highlights.
    pub accent: String,
    /// Labels.
    pub text: String,
    /// Ticks and comparisons (FY-1, objectives), lightened for bars.
    pub muted: String,
    /// The brand's body font, else `Inter` (bundled, so Typst and the HTML page have it).
    pub font_family: String,
    /// ISO 4217 code of money values (`EUR`): the report model does not carry it.
    pub currency: String,
}

impl ChartStyle {
    /// The style of a report's brand, for money in `currency`.
    pub fn from_brand(brand: &BrandView, currency: &str) -> ChartStyle {
        ChartStyle {
            primary: brand.primary.clone(),
            accent: brand.accent.clone(),
            text: brand.text.clone(),
            muted: brand.muted.clone(),
            font_family: brand.body_font.clone().unwrap_or_else(|| "Inter".into()),
            currency: currency.into(),
        }
    }
}

impl Default for ChartStyle {
    /// The built-in brand's colours, Inter, euros.
    fn default() -> ChartStyle {
        ChartStyle {
            primary: "#1F3A5F".into(),
            accent: "#E07A1F".into(),
            text: "#222222".into(),
            muted: "#6B7280".into(),
            font_family: "Inter".into(),
            currency: "EUR".into(),
        }
    }
}

/// Draws one chart as a standalone SVG document: a `viewBox` and no fixed size (it
/// takes the width of its container), `role="img"` with the chart's title and alt text
/// as `<title>` and `<desc>`.
pub fn render_svg(chart: &Chart, style: &ChartStyle, fmt: &Formatter) -> String {
    let ctx = Ctx::new(style, fmt);
    let scene = layout(&ctx, &chart.spec);
    let raw = paint(&scene, &ctx.family);
    finish(&raw, &scene, chart, &ctx.family)
}

/// Draws every chart of a report, in order: `(id, svg)`.
pub fn render_all(charts: &[Chart], style: &ChartStyle, fmt: &Formatter) -> Vec<(String, String)> {
    charts
        .iter()
        .map(|c| (c.id.clone(), render_svg(c, style, fmt)))
        .collect()
}

// ---------------------------------------------------------------------------------
// Context: colours, fonts, number formatting.

/// Colours of one report's charts.
struct Palette {
    primary: RGBColor,
    accent: RGBColor,
    text: RGBColor,
    muted: RGBColor,
    /// Gridlines: light enough to read through, dark enough to print.
    grid: RGBColor,
    /// The zero line and axis baselines.
    axis: RGBColor,
    good: RGBColor,
    bad: RGBColor,
    warning: RGBColor,
}

const WHITE_RGB: RGBColor = RGBColor(255, 255, 255);

fn parse_hex(text: &str) -> Option<RGBColor> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(RGBColor(channel(0)?, channel(2)?, channel(4)?))
}

/// White or `dark`, whichever reads on `fill`.
fn contrast(fill: RGBColor, dark: RGBColor) -> RGBColor {
    let luminance =
        (0.2126 * fill.0 as f64 + 0.7152 * fill.1 as f64 + 0.0722 * fill.2 as f64) / 255.0;
    if luminance > 0.6 { dark } else { WHITE_RGB }
}

/// `a` moved towards `b` by `t` in [0, 1].
fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let c = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// What the layout needs besides the data.
struct Ctx<'a> {
    pal: Palette,
    /// The `font-family` attribute of every text.
    family: String,
    /// Inter's widths stand in for other fonts, with a margin.
    width_factor: f64,
    fmt: &'a Formatter,
    currency: &'a str,
}

impl<'a> Ctx<'a> {
    fn new(style: &'a ChartStyle, fmt: &'a Formatter) -> Ctx<'a> {
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

    /// Width of `text` in user units.
    fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let em: f64 = text.chars().map(advance_em).sum();
        em * size * self.width_factor * if bold { 1.06 } else { 1.0 }
    }

    fn dec(&self, v: f64) -> Decimal {
        Decimal::try_from(v).unwrap_or_default()
    }

    /// A figure on a bar or a point.
    fn value_label(&self, unit: ValueUnit, v: f64) -> String {
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
    fn colon(&self, left: &str, right: &str) -> String {
        match self.fmt.language() {
            Language::Fr => format!("{left}{NBSP}: {right}"),
            Language::En => format!("{left}: {right}"),
        }
    }
}

struct Metrics {
    face: Option<ttf_parser::Face<'static>>,
    units_per_em: f64,
    space: f64,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(INTER_REGULAR, 0).ok();
        let units_per_em = face.as_ref().map_or(2048.0, |f| f.units_per_em() as f64);
        let mut m = Metrics {
            face,
            units_per_em,
            space: 0.28,
        };
        m.space = glyph_em(&m, ' ').unwrap_or(0.28);
        m
    })
}

fn glyph_em(m: &Metrics, c: char) -> Option<f64> {
    let face = m.face.as_ref()?;
    let glyph = face.glyph_index(c)?;
    Some(face.glyph_hor_advance(glyph)? as f64 / m.units_per_em)
}

/// Advance width of `c` in ems; characters Inter lacks count as a wide letter.
fn advance_em(c: char) -> f64 {
    let m = metrics();
    match c {
        '\u{a0}' => m.space,
        '\u{202f}' => glyph_em(m, c).unwrap_or(m.space * 0.6),
        _ => glyph_em(m, c).unwrap_or(0.62),
    }
}

// ---------------------------------------------------------------------------------
// The scene: what is drawn, in user units.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Baseline {
    /// `y` is the top of the text.
    Top,
    Middle,
    /// `y` is the bottom of the text.
    Bottom,
}

/// A box: `(x0, y0, x1, y1)`.
type Bounds = (f64, f64, f64, f64);

#[derive(Debug, Clone)]
struct Label {
    text: String,
    x: f64,
    y: f64,
    size: f64,
    color: RGBColor,
    anchor: Anchor,
    baseline: Baseline,
    bold: bool,
    /// Rotated a quarter turn, reading upwards; `End` anchors the top.
    vertical: bool,
}

impl Label {
    fn new(text: &str, x: f64, y: f64, color: RGBColor) -> Label {
        Label {
            text: text.chars().filter(|c| !c.is_control()).collect(),
            x,
            y,
            size: FONT,
            color,
            anchor: Anchor::Start,
            baseline: Baseline::Middle,
            bold: false,
            vertical: false,
        }
    }
    fn anchor(mut self, anchor: Anchor) -> Label {
        self.anchor = anchor;
        self
    }
    fn baseline(mut self, baseline: Baseline) -> Label {
        self.baseline = baseline;
        self
    }
    fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    fn size(mut self, size: f64) -> Label {
        self.size = size;
        self
    }
    fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }

    /// The box the text covers.
    fn bounds(&self, ctx: &Ctx) -> Bounds {
        let w = ctx.width(&self.text, self.size, self.bold);
        let h = self.size;
        let (along0, along1) = match self.anchor {
            Anchor::Start => (0.0, w),
            Anchor::Middle => (-w / 2.0, w / 2.0),
            Anchor::End => (-w, 0.0),
        };
        let (across0, across1) = match self.baseline {
            Baseline::Top => (0.0, h),
            Baseline::Middle => (-h / 2.0, h / 2.0),
            Baseline::Bottom => (-h, 0.0),
        };
        if self.vertical {
            // Rotated by -90°: "along" runs upwards, "across" runs right.
            (
                self.x + across0,
                self.y - along1,
                self.x + across1,
                self.y - along0,
            )
        } else {
            (
                self.x + along0,
                self.y + across0,
                self.x + along1,
                self.y + across1,
            )
        }
    }
}

#[derive(Debug, Clone)]
enum Shape {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: RGBColor,
    },
    Line {
        points: Vec<(f64, f64)>,
        color: RGBColor,
        width: f64,
        /// Dash and gap lengths.
        dash: Option<(f64, f64)>,
    },
    Polygon {
        points: Vec<(f64, f64)>,
        fill: RGBColor,
    },
    Dot {
        x: f64,
        y: f64,
        r: f64,
        fill: RGBColor,
    },
    Text(Label),
}

#[derive(Debug, Clone)]
struct Scene {
    width: f64,
    height: f64,
    shapes: Vec<Shape>,
}

impl Scene {
    fn new(height: f64) -> Scene {
        Scene {
            width: WIDTH,
            height,
            shapes: Vec::new(),
        }
    }
    fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: RGBColor) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.shapes.push(Shape::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
        });
    }
    fn line(&mut self, points: Vec<(f64, f64)>, color: RGBColor, width: f64) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
            dash: None,
        });
    }
    fn dashed(&mut self, points: Vec<(f64, f64)>, color: RGBColor, width: f64, dash: (f64, f64)) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
            dash: Some(dash),
        });
    }
    /// A white box behind `label`, where a line would run through it.
    fn halo(&mut self, ctx: &Ctx, label: &Label) {
        let (x0, y0, x1, y1) = label.bounds(ctx);
        self.rect(x0 - 3.0, y0 - 1.0, x1 + 3.0, y1 + 1.0, WHITE_RGB);
    }
    fn text(&mut self, label: Label) {
        if !label.text.is_empty() {
            self.shapes.push(Shape::Text(label));
        }
    }
    #[cfg(test)]
    fn labels(&self) -> impl Iterator<Item = &Label> {
        self.shapes.iter().filter_map(|s| match s {
            Shape::Text(l) => Some(l),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------------------------
// Painting with plotters, then the SVG root.

/// A layout coordinate in SVG units.
fn px(v: f64) -> i32 {
    if v.is_finite() {
        (v * SCALE).round() as i32
    } else {
        0
    }
}

/// A layout length in SVG units, at least 1.
fn len(v: f64) -> u32 {
    px(v).max(1) as u32
}

fn pt((x, y): (f64, f64)) -> (i32, i32) {
    (px(x), px(y))
}

fn paint(scene: &Scene, family: &str) -> String {
    let mut out = String::new();
    {
        let size = (len(scene.width), len(scene.height));
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        // Drawing into a String cannot fail: the backend's only errors are file errors.
        let _ = root.fill(&WHITE);
        for shape in &scene.shapes {
            let _ = draw(&root, shape, family);
        }
        let _ = root.present();
    }
    out
}

type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn draw(root: &DrawingArea<SVGBackend<'_>, Shift>, shape: &Shape, family: &str) -> DrawResult {
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

fn xml_escape(text: &str) -> String {
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
fn number(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Replaces plotters' root element (fixed size) with one that scales and names the
/// chart, and tidies its text attributes.
fn finish(raw: &str, scene: &Scene, chart: &Chart, family: &str) -> String {
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

// ---------------------------------------------------------------------------------
// Layout helpers.

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy)]
struct Paint {
    fill: RGBColor,
    stroke: RGBColor,
    dashed: bool,
    /// Colour of its value labels.
    label: RGBColor,
    /// Line width.
    weight: f64,
    /// Draw points on lines.
    markers: bool,
}

fn paints(series: &[Series], pal: &Palette) -> Vec<Paint> {
    let mut seen = [0usize; 5];
    series
        .iter()
        .map(|s| {
            let slot = match s.role {
                SeriesRole::Primary => 0,
                SeriesRole::Comparison => 1,
                SeriesRole::Accent => 2,
                SeriesRole::Good => 3,
                SeriesRole::Bad => 4,
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
fn z_order(role: SeriesRole) -> u8 {
    match role {
        SeriesRole::Comparison => 0,
        SeriesRole::Good | SeriesRole::Bad => 1,
        SeriesRole::Accent => 2,
        SeriesRole::Primary => 3,
    }
}

/// Break opportunities of `text`: at spaces, and after hyphens (`Rousseau-` /
/// `Delacroix`). Each piece says whether a space goes before it.
fn pieces(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        for (i, part) in word.split_inclusive('-').enumerate() {
            out.push((part, i == 0 && !out.is_empty()));
        }
    }
    out
}

/// Greedy line breaking; `None` when a piece alone is wider than `max_w`.
fn break_lines(ctx: &Ctx, text: &str, size: f64, max_w: f64) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for (piece, space) in pieces(text) {
        if ctx.width(piece, size, false) > max_w {
            return None;
        }
        let candidate = match (current.is_empty(), space) {
            (true, _) => piece.to_string(),
            (false, true) => format!("{current} {piece}"),
            (false, false) => format!("{current}{piece}"),
        };
        if ctx.width(&candidate, size, false) <= max_w {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, piece.to_string()));
        }
    }
    lines.push(current);
    Some(lines)
}

/// Splits `text` into at most `max_lines` lines no wider than `max_w`; `None` when
/// it does not fit.
fn wrap_fit(ctx: &Ctx, text: &str, size: f64, max_w: f64, max_lines: usize) -> Option<Vec<String>> {
    break_lines(ctx, text, size, max_w).filter(|lines| lines.len() <= max_lines)
}

/// Cuts `text` to `max_w`, ending with an ellipsis.
fn truncate(ctx: &Ctx, text: &str, size: f64, max_w: f64) -> String {
    if ctx.width(text, size, false) <= max_w {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if ctx.width(&next, size, false) > max_w {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Like [`wrap_fit`], but always succeeds: what does not fit is cut with an ellipsis.
fn wrap_cut(ctx: &Ctx, text: &str, size: f64, max_w: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    if let Some(lines) = wrap_fit(ctx, text, size, max_w, max_lines) {
        return lines;
    }
    // Break as if lines were unlimited, cutting over-wide pieces, then fold the rest
    // into the last line.
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for (piece, space) in pieces(text) {
        let candidate = match (current.is_empty(), space) {
            (true, _) => piece.to_string(),
            (false, true) => format!("{current} {piece}"),
            (false, false) => format!("{current}{piece}"),
        };
        if current.is_empty() || ctx.width(&candidate, size, false) <= max_w {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, piece.to_string()));
        }
    }
    lines.push(current);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|l| truncate(ctx, &l, size, max_w))
        .collect()
}

/// A nice value axis: ticks at multiples of 1, 2 or 5 × 10^e covering `[lo, hi]`.
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
}

impl Axis {
    fn label_width(&self, ctx: &Ctx) -> f64 {
        self.ticks
            .iter()
            .map(|(_, t)| ctx.width(t, FONT, false))
            .fold(0.0, f64::max)
    }
}

fn decimal_of(n: i64, e: i32) -> Decimal {
    if e >= 0 {
        10i64
            .checked_pow(e as u32)
            .and_then(|p| n.checked_mul(p))
            .map(Decimal::from)
            .unwrap_or_else(|| Decimal::try_from(n as f64 * 10f64.powi(e)).unwrap_or_default())
    } else {
        Decimal::new(n, (-e).min(28) as u32)
    }
}

/// Ticks for values in `[lo, hi]` (with `lo <= 0 <= hi`), at most `max_intervals`.
fn value_axis(ctx: &Ctx, unit: ValueUnit, lo: f64, hi: f64, max_intervals: usize) -> Axis {
    let integral = matches!(unit, ValueUnit::Money | ValueUnit::Count);
    let (lo, mut hi) = (lo.min(0.0), hi.max(0.0));
    if hi - lo <= 0.0 {
        hi = 1.0;
    }
    let span = hi - lo;
    let max_intervals = max_intervals.max(1) as f64;
    let mut e = (span / max_intervals).log10().floor() as i32 - 1;
    let (m, step);
    loop {
        let mut found = None;
        for mm in [1i64, 2, 5] {
            let s = mm as f64 * 10f64.powi(e);
            if integral && s < 1.0 {
                continue;
            }
            let k0 = (lo / s + 1e-9).floor();
            let k1 = (hi / s - 1e-9).ceil();
            if k1 - k0 <= max_intervals + 1e-9 {
                found = Some((mm, s));
                break;
            }
        }
        if let Some((mm, s)) = found {
            m = mm;
            step = s;
            break;
        }
        e += 1;
    }
    let k0 = (lo / step + 1e-9).floor() as i64;
    let k1 = (hi / step - 1e-9).ceil() as i64;
    let mut values = Vec::new();
    for k in k0..=k1.max(k0 + 1) {
        values.push((k as f64 * step, decimal_of(k * m, e)));
    }
    let dp = |extra: i32| (-(e + extra)).max(0) as u32;
    let mut labels: Vec<String> = values
        .iter()
        .map(|(_, d)| match unit {
            ValueUnit::Money => ctx.fmt.money_compact(*d, ctx.currency),
            ValueUnit::Percent => ctx.fmt.percent(*d, dp(2)),
            ValueUnit::Count => ctx.fmt.number(*d, dp(0)),
            ValueUnit::Hours => format!("{}{NBSP}h", ctx.fmt.number(*d, dp(0))),
        })
        .collect();
    if unit == ValueUnit::Money {
        tidy_compact(&mut labels, ctx.fmt.language());
    }
    let lo = values.first().map_or(0.0, |v| v.0);
    let hi = values.last().map_or(1.0, |v| v.0);
    Axis {
        lo,
        hi,
        ticks: values.into_iter().map(|v| v.0).zip(labels).collect(),
    }
}

/// `50,0 k€` → `50 k€` when every tick's decimal is a zero (compact money keeps one
/// decimal below 100, which on an axis of round numbers is noise).
fn tidy_compact(labels: &mut [String], language: Language) {
    let sep = match language {
        Language::Fr => ',',
        Language::En => '.',
    };
    let zero_decimal = |l: &str| -> Option<usize> {
        let chars: Vec<(usize, char)> = l.char_indices().collect();
        chars.windows(3).find_map(|w| {
            (w[0].1 == sep && w[1].1 == '0' && !w[2].1.is_ascii_digit()).then_some(w[0].0)
        })
    };
    let has_decimal = |l: &str| l.contains(sep);
    if labels
        .iter()
        .all(|l| !has_decimal(l) || zero_decimal(l).is_some())
    {
        for l in labels.iter_mut() {
            if let Some(i) = zero_decimal(l) {
                l.replace_range(i..i + 2, "");
            }
        }
    }
}

/// Category labels under vertical bars or along a line chart.
struct CategoryLabels {
    /// Lines per category; empty when the label is left out (thinned).
    lines: Vec<Vec<String>>,
    vertical: bool,
    /// Height they take under the plot.
    height: f64,
}

fn category_labels(ctx: &Ctx, cats: &[String], slot_w: f64, thin: bool) -> CategoryLabels {
    let fits = |lines: &[String], w: f64| lines.iter().all(|l| ctx.width(l, FONT, false) <= w);
    let avail = slot_w - 6.0;
    let one: Vec<Vec<String>> = cats.iter().map(|c| vec![c.trim().to_string()]).collect();
    if one.iter().all(|l| fits(l, avail)) {
        return CategoryLabels {
            lines: one,
            vertical: false,
            height: LINE + 6.0,
        };
    }
    if let Some(two) = cats
        .iter()
        .map(|c| wrap_fit(ctx, c, FONT, avail, 2))
        .collect::<Option<Vec<_>>>()
    {
        return CategoryLabels {
            lines: two,
            vertical: false,
            height: 2.0 * LINE + 6.0,
        };
    }
    let n = cats.len();
    if thin {
        for k in 2..=n.max(2) {
            let avail = k as f64 * slot_w - 8.0;
            let shown = |i: usize| i.is_multiple_of(k);
            for max_lines in [1usize, 2] {
                let wrapped: Option<Vec<Vec<String>>> = cats
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if shown(i) {
                            wrap_fit(ctx, c, FONT, avail, max_lines)
                        } else {
                            Some(Vec::new())
                        }
                    })
                    .collect();
                if let Some(lines) = wrapped {
                    return CategoryLabels {
                        lines,
                        vertical: false,
                        height: max_lines as f64 * LINE + 6.0,
                    };
                }
            }
        }
    }
    // Wide slots: two lines, the longest names cut.
    if slot_w >= 60.0 {
        return CategoryLabels {
            lines: cats
                .iter()
                .map(|c| wrap_cut(ctx, c, FONT, avail, 2))
                .collect(),
            vertical: false,
            height: 2.0 * LINE + 6.0,
        };
    }
    // Upright text does not fit: a quarter turn, cut to a sensible length.
    let k = (LINE / slot_w).ceil().max(1.0) as usize;
    let lines: Vec<Vec<String>> = cats
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i.is_multiple_of(k) {
                vec![truncate(ctx, c.trim(), FONT, 150.0)]
            } else {
                Vec::new()
            }
        })
        .collect();
    let longest = lines
        .iter()
        .flatten()
        .map(|l| ctx.width(l, FONT, false))
        .fold(0.0, f64::max);
    CategoryLabels {
        lines,
        vertical: true,
        height: longest + 10.0,
    }
}

/// Month categories (`janv. 2025`, `févr. 2025`, ...) written as on a time axis: the
/// year on the first month and where it changes, not under every month.
fn compact_years(cats: &[String]) -> Vec<String> {
    let split = |c: &str| -> Option<(String, String)> {
        let (head, year) = c.trim().rsplit_once(char::is_whitespace)?;
        let head = head.trim().trim_end_matches(',').trim();
        let is_year = year.len() == 4 && year.chars().all(|ch| ch.is_ascii_digit());
        (is_year && !head.is_empty() && !head.chars().any(|ch| ch.is_ascii_digit()))
            .then(|| (head.to_string(), year.to_string()))
    };
    match cats.iter().map(|c| split(c)).collect::<Option<Vec<_>>>() {
        Some(parts) if parts.len() >= 3 => {
            let mut previous: Option<&str> = None;
            parts
                .iter()
                .zip(cats)
                .map(|((head, year), full)| {
                    let label = if previous == Some(year.as_str()) {
                        head.clone()
                    } else {
                        full.trim().to_string()
                    };
                    previous = Some(year);
                    label
                })
                .collect()
        }
        _ => cats.to_vec(),
    }
}

fn draw_category_labels(
    ctx: &Ctx,
    scene: &mut Scene,
    labels: &CategoryLabels,
    centers: &[f64],
    top: f64,
) {
    for (lines, &cx) in labels.lines.iter().zip(centers) {
        for (j, line) in lines.iter().enumerate() {
            let label = if labels.vertical {
                Label::new(line, cx, top + 6.0, ctx.pal.text)
                    .anchor(Anchor::End)
                    .vertical()
            } else {
                Label::new(line, cx, top + 6.0 + j as f64 * LINE, ctx.pal.text)
                    .anchor(Anchor::Middle)
                    .baseline(Baseline::Top)
            };
            scene.text(label);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Swatch {
    Block,
    Stroke,
}

/// A legend row (or rows) at the top left; returns its height.
fn legend(ctx: &Ctx, scene: &mut Scene, entries: &[(Paint, String, Swatch)], y: f64) -> f64 {
    let mut x = 0.0;
    let mut row = 0.0;
    for (paint, name, swatch) in entries {
        let sw = match swatch {
            Swatch::Block => 12.0,
            Swatch::Stroke => 24.0,
        };
        let name = truncate(ctx, name, FONT, WIDTH - sw - 8.0);
        let w = sw + 7.0 + ctx.width(&name, FONT, false);
        if x > 0.0 && x + w > WIDTH {
            x = 0.0;
            row += LINE + 6.0;
        }
        let cy = y + row + LINE / 2.0;
        match swatch {
            Swatch::Block => scene.rect(x, cy - 6.0, x + 12.0, cy + 6.0, paint.fill),
            Swatch::Stroke if paint.dashed => scene.dashed(
                vec![(x, cy), (x + sw, cy)],
                paint.stroke,
                paint.weight,
                (6.0, 4.0),
            ),
            Swatch::Stroke => scene.line(vec![(x, cy), (x + sw, cy)], paint.stroke, paint.weight),
        }
        scene.text(Label::new(&name, x + sw + 7.0, cy, ctx.pal.text));
        x += w + 24.0;
    }
    row + LINE
}

/// A chart with nothing to show: the frame and "n/a".
fn empty_scene(ctx: &Ctx, height: f64) -> Scene {
    let mut scene = Scene::new(height);
    let base = height - 30.0;
    scene.line(vec![(0.0, base), (WIDTH, base)], ctx.pal.axis, 1.0);
    scene.text(
        Label::new(
            ctx.fmt.not_available(),
            WIDTH / 2.0,
            height / 2.0,
            ctx.pal.muted,
        )
        .anchor(Anchor::Middle)
        .size(FONT_STRONG),
    );
    scene
}

/// Values of `series` over `n` categories, non-finite values dropped.
fn series_values(series: &[Series], n: usize) -> Vec<Vec<Option<f64>>> {
    series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| finite(s.values.get(i).copied().flatten()))
                .collect()
        })
        .collect()
}

/// The text of a reference line: its label, with the value when the label has none.
fn reference_text(ctx: &Ctx, unit: ValueUnit, reference: &Reference) -> String {
    let label = reference.label.trim();
    if label.chars().any(|c| c.is_ascii_digit()) {
        label.to_string()
    } else if label.is_empty() {
        ctx.value_label(unit, reference.value)
    } else {
        ctx.colon(label, &ctx.value_label(unit, reference.value))
    }
}

// ---------------------------------------------------------------------------------
// Charts.

fn layout(ctx: &Ctx, spec: &ChartSpec) -> Scene {
    match spec {
        ChartSpec::Bars {
            categories,
            series,
            unit,
            horizontal: false,
            reference,
        } => bars_vertical(ctx, categories, series, *unit, reference.as_ref()),
        ChartSpec::Bars {
            categories,
            series,
            unit,
            horizontal: true,
            reference,
        } => bars_horizontal(ctx, categories, series, *unit, reference.as_ref()),
        ChartSpec::Lines {
            categories,
            series,
            unit,
        } => lines(ctx, categories, series, *unit),
        ChartSpec::Pareto {
            points,
            a_cutoff,
            b_cutoff,
            a_clients,
            ab_clients,
            x_label,
            y_label,
        } => pareto(
            ctx,
            points,
            Cuts {
                a: *a_cutoff,
                b: *b_cutoff,
                a_clients: *a_clients,
                ab_clients: *ab_clients,
            },
            x_label,
            y_label,
        ),
        ChartSpec::Funnel { stages, counts } => funnel(ctx, stages, counts),
        ChartSpec::Timeline {
            start,
            end,
            as_of,
            as_of_label,
            items,
        } => timeline(ctx, *start, *end, *as_of, as_of_label, items),
    }
}

/// Which series get a slot in each category group, and whether a legend is needed.
struct Grouping {
    /// Series with at least one value, in order.
    visible: Vec<usize>,
    /// Every category has at most one value: one full-width bar each, coloured by its
    /// series, and the category names say what the bars are (no legend).
    single: bool,
}

fn grouping(vals: &[Vec<Option<f64>>], n: usize) -> Grouping {
    let visible: Vec<usize> = (0..vals.len())
        .filter(|&s| vals[s].iter().any(Option::is_some))
        .collect();
    let single = visible.len() > 1
        && (0..n).all(|i| visible.iter().filter(|&&s| vals[s][i].is_some()).count() <= 1);
    Grouping { visible, single }
}

fn bars_vertical(
    ctx: &Ctx,
    cats: &[String],
    series: &[Series],
    unit: ValueUnit,
    reference: Option<&Reference>,
) -> Scene {
    let n = cats.len();
    let vals = series_values(series, n);
    let g = grouping(&vals, n);
    if n == 0 || g.visible.is_empty() {
        return empty_scene(ctx, PLOT_HEIGHT);
    }
    let paint = paints(series, &ctx.pal);
    let ref_value = reference.and_then(|r| finite(Some(r.value)));
    let mut scene = Scene::new(PLOT_HEIGHT);

    // Legend: the series, and the reference line.
    let mut entries: Vec<(Paint, String, Swatch)> = Vec::new();
    if g.visible.len() >= 2 && !g.single {
        for &s in &g.visible {
            entries.push((paint[s], series[s].name.clone(), Swatch::Block));
        }
    }
    if let (Some(r), Some(_)) = (reference, ref_value) {
        let p = Paint {
            fill: ctx.pal.text,
            stroke: ctx.pal.text,
            dashed: true,
            label: ctx.pal.text,
            weight: 2.0,
            markers: false,
        };
        entries.push((p, reference_text(ctx, unit, r), Swatch::Stroke));
    }
    let mut top = 4.0;
    if !entries.is_empty() {
        top += legend(ctx, &mut scene, &entries, 2.0) + 12.0;
    }

    let all: Vec<f64> = vals
        .iter()
        .flatten()
        .flatten()
        .copied()
        .chain(ref_value)
        .collect();
    let lo = all.iter().copied().fold(0.0, f64::min);
    let hi = all.iter().copied().fold(0.0, f64::max);
    let axis = value_axis(ctx, unit, lo, hi, 6);
    let slots = if g.single { 1 } else { g.visible.len() };

    // Bar geometry for a plot `plot_w` wide.
    let geometry = |plot_w: f64| {
        let slot_w = plot_w / n as f64;
        let group_w = slot_w * if slots == 1 { 0.62 } else { 0.8 };
        let gap = if slots > 1 { 3.0 } else { 0.0 };
        let bar_w = ((group_w - gap * (slots as f64 - 1.0)) / slots as f64).min(64.0);
        (slot_w, bar_w, gap)
    };
    // Values on the bars when every one fits over its bar: then the axis goes.
    let axis_left = axis.label_width(ctx) + 12.0;
    let (_, bar_w, gap) = geometry(WIDTH - axis_left - 8.0);
    let pitch = if slots == 1 {
        WIDTH / n as f64
    } else {
        bar_w + gap
    };
    let show_values = n * slots <= 16
        && vals
            .iter()
            .flatten()
            .flatten()
            .all(|&v| ctx.width(&ctx.value_label(unit, v), FONT, false) + 4.0 <= pitch);
    let left = if show_values { 4.0 } else { axis_left };
    let right = WIDTH - 8.0;
    let (slot_w, bar_w, gap) = geometry(right - left);
    let centers: Vec<f64> = (0..n).map(|i| left + (i as f64 + 0.5) * slot_w).collect();
    let cat_labels = category_labels(ctx, &compact_years(cats), slot_w, false);
    let bottom = PLOT_HEIGHT - cat_labels.height;
    let plot_top = top
        + if show_values {
            LINE + 4.0
        } else {
            FONT / 2.0 + 2.0
        };
    let (d_lo, d_hi, y_lo, y_hi) = if show_values {
        let neg_room = if lo < 0.0 { LINE + 4.0 } else { 0.0 };
        let hi = if hi > lo { hi } else { lo + 1.0 };
        (lo, hi, bottom - neg_room, plot_top)
    } else {
        (axis.lo, axis.hi, bottom, plot_top)
    };
    let y = |v: f64| y_lo + (v - d_lo) / (d_hi - d_lo) * (y_hi - y_lo);

    if !show_values {
        for (v, label) in &axis.ticks {
            if *v != 0.0 {
                scene.line(vec![(left, y(*v)), (right, y(*v))], ctx.pal.grid, 1.0);
            }
            scene.text(Label::new(label, left - 10.0, y(*v), ctx.pal.muted).anchor(Anchor::End));
        }
    }
    // Bars, then the zero line over their feet, then values.
    let mut values = Vec::new();
    for i in 0..n {
        let present: Vec<usize> = g
            .visible
            .iter()
            .copied()
            .filter(|&s| vals[s][i].is_some())
            .collect();
        let group_w = slots as f64 * bar_w + (slots as f64 - 1.0) * gap;
        for (slot, &s) in g.visible.iter().enumerate() {
            let Some(v) = vals[s][i] else { continue };
            let slot = if g.single {
                present.iter().position(|&p| p == s).unwrap_or(0)
            } else {
                slot
            };
            let x0 = centers[i] - group_w / 2.0 + slot as f64 * (bar_w + gap);
            scene.rect(x0, y(0.0), x0 + bar_w, y(v), paint[s].fill);
            if show_values {
                let label = ctx.value_label(unit, v);
                let sign = if v >= 0.0 { -1.0 } else { 1.0 };
                let (ly, base, inside) = if v >= 0.0 {
                    (y(v) - 5.0, Baseline::Bottom, Baseline::Top)
                } else {
                    (y(v) + 5.0, Baseline::Top, Baseline::Bottom)
                };
                let (a, b) = (ly, ly + sign * FONT);
                let crossed =
                    ref_value.is_some_and(|r| y(r) > a.min(b) - 6.0 && y(r) < a.max(b) + 6.0);
                let fits_inside = (y(v) - y(0.0)).abs() >= FONT + 14.0
                    && ctx.width(&label, FONT, false) + 6.0 <= bar_w;
                let l = if crossed && fits_inside {
                    Label::new(
                        &label,
                        x0 + bar_w / 2.0,
                        y(v) - sign * 6.0,
                        contrast(paint[s].fill, ctx.pal.text),
                    )
                    .baseline(inside)
                } else {
                    Label::new(&label, x0 + bar_w / 2.0, ly, paint[s].label).baseline(base)
                };
                values.push(l.anchor(Anchor::Middle));
            }
        }
    }
    scene.line(vec![(left, y(0.0)), (right, y(0.0))], ctx.pal.axis, 1.0);
    if let Some(r) = ref_value {
        scene.dashed(
            vec![(left, y(r)), (right, y(r))],
            ctx.pal.text,
            2.0,
            (7.0, 5.0),
        );
    }
    for v in values {
        let (_, y0, _, y1) = v.bounds(ctx);
        if ref_value.is_some_and(|r| y(r) > y0 - 2.0 && y(r) < y1 + 2.0) {
            scene.halo(ctx, &v);
        }
        scene.text(v);
    }
    draw_category_labels(ctx, &mut scene, &cat_labels, &centers, bottom);
    scene
}

fn bars_horizontal(
    ctx: &Ctx,
    cats: &[String],
    series: &[Series],
    unit: ValueUnit,
    reference: Option<&Reference>,
) -> Scene {
    let n = cats.len();
    let vals = series_values(series, n);
    let g = grouping(&vals, n);
    if n == 0 || g.visible.is_empty() {
        return empty_scene(ctx, PLOT_HEIGHT);
    }
    let paint = paints(series, &ctx.pal);
    let ref_value = reference.and_then(|r| finite(Some(r.value)));
    let slots = if g.single { 1 } else { g.visible.len() };

    // Category labels at left, wrapped to two lines and cut beyond 40 % of the width.
    let label_lines: Vec<Vec<String>> = cats
        .iter()
        .map(|c| wrap_cut(ctx, c, FONT, WIDTH * 0.4, 2))
        .collect();
    let label_w = label_lines
        .iter()
        .flatten()
        .map(|l| ctx.width(l, FONT, false))
        .fold(0.0, f64::max);
    let bar_h = if slots == 1 { 22.0 } else { 16.0 };
    let gap = 3.0;
    let group_h = slots as f64 * bar_h + (slots as f64 - 1.0) * gap;
    let max_lines = label_lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let band = (group_h + 14.0).max(max_lines * LINE + 8.0);

    let mut scene = Scene::new(0.0);
    let mut top = 4.0;
    if g.visible.len() >= 2 && !g.single {
        let entries: Vec<(Paint, String, Swatch)> = g
            .visible
            .iter()
            .map(|&s| (paint[s], series[s].name.clone(), Swatch::Block))
            .collect();
        top += legend(ctx, &mut scene, &entries, 2.0) + 8.0;
    }
    let ref_label = reference
        .filter(|_| ref_value.is_some())
        .map(|r| reference_text(ctx, unit, r));
    if ref_label.is_some() {
        top += LINE + 6.0;
    }
    scene.height = (top + n as f64 * band + 6.0).round();

    // Value scale, leaving room for the values beside the bar ends.
    let all: Vec<f64> = vals.iter().flatten().flatten().copied().collect();
    let room = |pred: fn(f64) -> bool| {
        all.iter()
            .filter(|&&v| pred(v))
            .map(|&v| ctx.width(&ctx.value_label(unit, v), FONT, false) + 8.0)
            .fold(0.0, f64::max)
    };
    let pos_room = room(|v| v >= 0.0);
    let neg_room = room(|v| v < 0.0);
    let lo = all.iter().copied().chain(ref_value).fold(0.0, f64::min);
    let mut hi = all.iter().copied().chain(ref_value).fold(0.0, f64::max);
    if hi <= lo {
        hi = lo + 1.0;
    }
    let x_left = PAD + label_w + 14.0 + neg_room;
    let x_right = WIDTH - 4.0 - pos_room;
    let x = |v: f64| x_left + (v - lo) / (hi - lo) * (x_right - x_left);
    let rows_top = top;
    let rows_bottom = top + n as f64 * band;
    let rx = ref_value.map(x);

    let mut values = Vec::new();
    for i in 0..n {
        let band_top = rows_top + i as f64 * band;
        let cy = band_top + band / 2.0;
        let lines = &label_lines[i];
        let first = cy - (lines.len() as f64 - 1.0) * LINE / 2.0;
        for (j, line) in lines.iter().enumerate() {
            scene.text(
                Label::new(line, PAD + label_w, first + j as f64 * LINE, ctx.pal.text)
                    .anchor(Anchor::End),
            );
        }
        let present: Vec<usize> = g
            .visible
            .iter()
            .copied()
            .filter(|&s| vals[s][i].is_some())
            .collect();
        for (slot, &s) in g.visible.iter().enumerate() {
            let Some(v) = vals[s][i] else { continue };
            let slot = if g.single {
                present.iter().position(|&p| p == s).unwrap_or(0)
            } else {
                slot
            };
            let y0 = cy - group_h / 2.0 + slot as f64 * (bar_h + gap);
            scene.rect(x(0.0), y0, x(v), y0 + bar_h, paint[s].fill);
            let label = ctx.value_label(unit, v);
            let lw = ctx.width(&label, FONT, false);
            let cy = y0 + bar_h / 2.0;
            let sign = if v >= 0.0 { 1.0 } else { -1.0 };
            let anchor = if v >= 0.0 { Anchor::Start } else { Anchor::End };
            let (a, b) = (x(v) + sign * 6.0, x(v) + sign * (6.0 + lw));
            // Not on the reference line: inside the bar's end, else past the line.
            let crossed = rx.filter(|&rx| rx > a.min(b) - 3.0 && rx < a.max(b) + 3.0);
            let l = match crossed {
                Some(_) if (x(v) - x(0.0)).abs() >= lw + 14.0 => {
                    let inside = if v >= 0.0 { Anchor::End } else { Anchor::Start };
                    Label::new(
                        &label,
                        x(v) - sign * 7.0,
                        cy,
                        contrast(paint[s].fill, ctx.pal.text),
                    )
                    .anchor(inside)
                }
                Some(rx) => Label::new(&label, rx + sign * 6.0, cy, paint[s].label).anchor(anchor),
                None => Label::new(&label, a, cy, paint[s].label).anchor(anchor),
            };
            values.push(l);
        }
    }
    scene.line(
        vec![(x(0.0), rows_top), (x(0.0), rows_bottom)],
        ctx.pal.axis,
        1.0,
    );
    if let Some(rx) = rx {
        scene.dashed(
            vec![(rx, rows_top - 4.0), (rx, rows_bottom)],
            ctx.pal.text,
            2.0,
            (7.0, 5.0),
        );
    }
    for v in values {
        let (x0, _, x1, _) = v.bounds(ctx);
        if rx.is_some_and(|rx| rx > x0 - 3.0 && rx < x1 + 3.0) {
            scene.halo(ctx, &v);
        }
        scene.text(v);
    }
    if let (Some(rx), Some(text)) = (rx, ref_label) {
        let w = ctx.width(&text, FONT, true);
        let cx = rx.clamp(PAD + label_w + w / 2.0, WIDTH - w / 2.0 - 2.0);
        scene.text(
            Label::new(&text, cx, rows_top - 8.0, ctx.pal.text)
                .anchor(Anchor::Middle)
                .baseline(Baseline::Bottom)
                .bold(),
        );
    }
    scene
}

fn lines(ctx: &Ctx, cats: &[String], series: &[Series], unit: ValueUnit) -> Scene {
    let n = cats.len();
    let vals = series_values(series, n);
    let g = grouping(&vals, n);
    if n == 0 || g.visible.is_empty() {
        return empty_scene(ctx, PLOT_HEIGHT);
    }
    let paint = paints(series, &ctx.pal);
    let mut scene = Scene::new(PLOT_HEIGHT);
    let mut top = 4.0;
    if g.visible.len() >= 2 {
        let entries: Vec<(Paint, String, Swatch)> = g
            .visible
            .iter()
            .map(|&s| (paint[s], series[s].name.clone(), Swatch::Stroke))
            .collect();
        top += legend(ctx, &mut scene, &entries, 2.0) + 12.0;
    }
    let all: Vec<f64> = vals.iter().flatten().flatten().copied().collect();
    let lo = all.iter().copied().fold(0.0, f64::min);
    let hi = all.iter().copied().fold(0.0, f64::max);
    let axis = value_axis(ctx, unit, lo, hi, 6);
    let left = axis.label_width(ctx) + 12.0;
    let right = WIDTH - 8.0;
    let slot_w = (right - left) / n as f64;
    let centers: Vec<f64> = (0..n).map(|i| left + (i as f64 + 0.5) * slot_w).collect();
    let cat_labels = category_labels(ctx, &compact_years(cats), slot_w, true);
    let bottom = PLOT_HEIGHT - cat_labels.height;
    let plot_top = top + FONT / 2.0 + 2.0;
    let y = |v: f64| bottom + (v - axis.lo) / (axis.hi - axis.lo) * (plot_top - bottom);

    for (v, label) in &axis.ticks {
        let color = if *v == 0.0 {
            ctx.pal.axis
        } else {
            ctx.pal.grid
        };
        scene.line(vec![(left, y(*v)), (right, y(*v))], color, 1.0);
        scene.text(Label::new(label, left - 10.0, y(*v), ctx.pal.muted).anchor(Anchor::End));
    }
    let mut order = g.visible.clone();
    order.sort_by_key(|&s| z_order(series[s].role));
    for s in order {
        let p = paint[s];
        // Runs of consecutive values: a missing month breaks the line.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in vals[s].iter().enumerate() {
            match v {
                Some(v) => runs
                    .last_mut()
                    .expect("never empty")
                    .push((centers[i], y(*v))),
                None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
                None => {}
            }
        }
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            if run.len() == 1 {
                let (cx, cy) = run[0];
                scene.shapes.push(Shape::Dot {
                    x: cx,
                    y: cy,
                    r: 3.5,
                    fill: p.stroke,
                });
                continue;
            }
            if p.markers {
                for &(cx, cy) in &run {
                    scene.shapes.push(Shape::Dot {
                        x: cx,
                        y: cy,
                        r: 3.5,
                        fill: p.stroke,
                    });
                }
            }
            if p.dashed {
                scene.dashed(run, p.stroke, p.weight, (7.0, 5.0));
            } else {
                scene.line(run, p.stroke, p.weight);
            }
        }
    }
    draw_category_labels(ctx, &mut scene, &cat_labels, &centers, bottom);
    scene
}

/// Class cut-offs of a Pareto chart.
struct Cuts {
    a: f64,
    b: f64,
    a_clients: f64,
    ab_clients: f64,
}

fn pareto(ctx: &Ctx, points: &[(f64, f64)], cuts: Cuts, x_label: &str, y_label: &str) -> Scene {
    let height = 400.0;
    let mut scene = Scene::new(height);
    let pct = |v: f64| ctx.fmt.percent(ctx.dec(v), 0);
    let unit01 = |v: f64| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let a_cut = unit01(cuts.a);
    let b_cut = unit01(cuts.b).max(a_cut);
    let a_x = unit01(cuts.a_clients);
    let ab_x = unit01(cuts.ab_clients).max(a_x);

    // Header: the y axis title, then the class letters over their bands.
    scene.text(Label::new(y_label, PAD, 2.0, ctx.pal.muted).baseline(Baseline::Top));
    let letters_y = 2.0 + LINE + 14.0;
    let plot_top = letters_y + LINE - 2.0;
    let axis = value_axis(ctx, ValueUnit::Percent, 0.0, 1.0, 5);
    let left = axis.label_width(ctx) + 12.0;
    let right = WIDTH - ctx.width(&pct(1.0), FONT, false) / 2.0 - 4.0;
    let bottom = height - (8.0 + LINE + 8.0 + LINE + 2.0);
    let x = |v: f64| left + v * (right - left);
    let y = |v: f64| bottom - v * (bottom - plot_top);

    // Bands of the classes, A darkest.
    let bands = [
        (
            "A",
            0.0,
            a_x,
            mix(ctx.pal.primary, WHITE_RGB, 0.86),
            ctx.pal.primary,
        ),
        (
            "B",
            a_x,
            ab_x,
            mix(ctx.pal.primary, WHITE_RGB, 0.93),
            mix(ctx.pal.primary, WHITE_RGB, 0.25),
        ),
        (
            "C",
            ab_x,
            1.0,
            mix(ctx.pal.muted, WHITE_RGB, 0.94),
            ctx.pal.muted,
        ),
    ];
    for &(_, x0, x1, fill, _) in &bands {
        if x1 > x0 {
            scene.rect(x(x0), plot_top, x(x1), bottom, fill);
        }
    }
    for (v, label) in &axis.ticks {
        if *v != 0.0 {
            scene.line(vec![(left, y(*v)), (right, y(*v))], ctx.pal.grid, 1.0);
        }
        scene.text(Label::new(label, left - 10.0, y(*v), ctx.pal.muted).anchor(Anchor::End));
    }
    let mut letter_right = f64::NEG_INFINITY;
    for &(letter, x0, x1, _, color) in &bands {
        if x1 - x0 <= 0.0 {
            continue;
        }
        let w = ctx.width(letter, FONT_STRONG, true);
        let cx = ((x(x0) + x(x1)) / 2.0).max(letter_right + 6.0 + w / 2.0);
        letter_right = cx + w / 2.0;
        scene.text(
            Label::new(letter, cx, letters_y, color)
                .anchor(Anchor::Middle)
                .size(FONT_STRONG)
                .bold(),
        );
    }

    // The diagonal: what an even spread of revenue would look like.
    scene.dashed(
        vec![(x(0.0), y(0.0)), (x(1.0), y(1.0))],
        mix(ctx.pal.muted, WHITE_RGB, 0.2),
        1.5,
        (1.5, 4.5),
    );

    // The curve, from (0, 0), sorted, clamped.
    let mut curve: Vec<(f64, f64)> = points
        .iter()
        .filter(|(px, py)| px.is_finite() && py.is_finite())
        .map(|&(px, py)| (px.clamp(0.0, 1.0), py.clamp(0.0, 1.0)))
        .collect();
    curve.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    if curve.first().is_none_or(|p| p.0 > 0.0) {
        curve.insert(0, (0.0, 0.0));
    }
    let has_curve = curve.len() > 1;

    // Reading lines of the cut-offs: across from the y axis, down to the x axis.
    let cut_color = mix(ctx.pal.text, WHITE_RGB, 0.25);
    let mut cut_labels = Vec::new();
    for (letter, cut, cx) in [("A", a_cut, a_x), ("B", b_cut, ab_x)] {
        if !has_curve || cx <= 0.0 {
            continue;
        }
        scene.dashed(
            vec![(x(0.0), y(cut)), (x(cx), y(cut))],
            cut_color,
            1.0,
            (5.0, 4.0),
        );
        scene.dashed(
            vec![(x(cx), y(0.0)), (x(cx), y(cut))],
            cut_color,
            1.0,
            (5.0, 4.0),
        );
        cut_labels.push((letter, cut, cx));
    }
    if has_curve {
        // Hundreds of clients make points closer than the line is wide: keep one every
        // 1.5 units, and the end.
        let mut path: Vec<(f64, f64)> = Vec::new();
        for (i, &(px, py)) in curve.iter().enumerate() {
            let p = (x(px), y(py));
            let far = path
                .last()
                .is_none_or(|q: &(f64, f64)| (p.0 - q.0).hypot(p.1 - q.1) >= 1.5);
            if far || i + 1 == curve.len() {
                path.push(p);
            }
        }
        scene.line(path, ctx.pal.primary, 2.5);
    } else {
        scene.text(
            Label::new(
                ctx.fmt.not_available(),
                (left + right) / 2.0,
                (plot_top + bottom) / 2.0,
                ctx.pal.muted,
            )
            .anchor(Anchor::Middle)
            .size(FONT_STRONG),
        );
    }
    for &(_, cut, cx) in &cut_labels {
        scene.shapes.push(Shape::Dot {
            x: x(cx),
            y: y(cut),
            r: 5.0,
            fill: ctx.pal.accent,
        });
    }
    // "A : 80 %" above its line at the left; below it when B's label takes the room.
    let mut taken: Option<(f64, f64)> = None;
    for &(letter, cut, _) in cut_labels.iter().rev() {
        let text = ctx.colon(letter, &pct(cut));
        let above = (y(cut) - 5.0 - FONT, y(cut) - 5.0);
        let clash = taken.is_some_and(|(t0, t1)| above.0 < t1 + 2.0 && above.1 > t0 - 2.0);
        let label = if clash {
            taken = Some((y(cut) + 5.0, y(cut) + 5.0 + FONT));
            Label::new(&text, left + 8.0, y(cut) + 5.0, ctx.pal.text).baseline(Baseline::Top)
        } else {
            taken = Some(above);
            Label::new(&text, left + 8.0, above.1, ctx.pal.text).baseline(Baseline::Bottom)
        };
        scene.text(label.bold());
    }
    scene.line(vec![(left, y(0.0)), (right, y(0.0))], ctx.pal.axis, 1.0);

    // x ticks at the class boundaries, which are what the chart says; 0 and 100 % when
    // they do not crowd them.
    let mut kept: Vec<(f64, f64)> = Vec::new();
    let candidates = [(a_x, true), (ab_x, true), (0.0, false), (1.0, false)];
    let mut ticks: Vec<Label> = Vec::new();
    for (v, boundary) in candidates {
        if boundary && (!has_curve || v <= 0.0 || v >= 1.0) {
            continue;
        }
        let text = pct(v);
        let w = ctx.width(&text, FONT, boundary);
        let (x0, x1) = (x(v) - w / 2.0, x(v) + w / 2.0);
        if kept.iter().any(|&(a, b)| x0 < b + 6.0 && x1 > a - 6.0) {
            continue;
        }
        kept.push((x0, x1));
        let label = Label::new(
            &text,
            x(v),
            bottom + 8.0,
            if boundary {
                ctx.pal.text
            } else {
                ctx.pal.muted
            },
        )
        .anchor(Anchor::Middle)
        .baseline(Baseline::Top);
        ticks.push(if boundary { label.bold() } else { label });
    }
    for t in ticks {
        scene.text(t);
    }
    scene.text(
        Label::new(
            x_label,
            (left + right) / 2.0,
            bottom + 8.0 + LINE + 8.0,
            ctx.pal.muted,
        )
        .anchor(Anchor::Middle)
        .baseline(Baseline::Top),
    );
    scene
}

fn funnel(ctx: &Ctx, stages: &[String], counts: &[u64]) -> Scene {
    let n = stages.len().min(counts.len());
    if n == 0 {
        return empty_scene(ctx, 200.0);
    }
    let label_lines: Vec<Vec<String>> = stages[..n]
        .iter()
        .map(|s| wrap_cut(ctx, s, FONT, WIDTH * 0.3, 2))
        .collect();
    let label_w = label_lines
        .iter()
        .flatten()
        .map(|l| ctx.width(l, FONT, false))
        .fold(0.0, f64::max);
    let first = counts[0];
    let shares: Vec<String> = counts[..n]
        .iter()
        .map(|&c| {
            if first > 0 {
                ctx.fmt.percent(ctx.dec(c as f64 / first as f64), 0)
            } else {
                ctx.fmt.not_available().to_string()
            }
        })
        .collect();
    let share_w = shares
        .iter()
        .map(|s| ctx.width(s, FONT, false))
        .fold(0.0, f64::max);
    let bar_h = 34.0;
    let row = 48.0;
    let top = 6.0;
    let mut scene = Scene::new((top + n as f64 * row - (row - bar_h) + 6.0).round());
    let x0 = PAD + label_w + 18.0;
    let x1 = WIDTH - share_w - 18.0;
    let cx = (x0 + x1) / 2.0;
    let max = counts[..n].iter().copied().max().unwrap_or(0);
    let width = |c: u64| {
        if max == 0 {
            0.0
        } else {
            (c as f64 / max as f64 * (x1 - x0)).max(if c > 0 { 2.0 } else { 0.0 })
        }
    };
    let connector = mix(ctx.pal.primary, WHITE_RGB, 0.86);
    let mut labels = Vec::new();
    for i in 0..n {
        let y0 = top + i as f64 * row;
        let w = width(counts[i]);
        if i + 1 < n {
            let w2 = width(counts[i + 1]);
            let y1 = y0 + bar_h;
            let y2 = y0 + row;
            scene.shapes.push(Shape::Polygon {
                points: vec![
                    (cx - w / 2.0, y1),
                    (cx + w / 2.0, y1),
                    (cx + w2 / 2.0, y2),
                    (cx - w2 / 2.0, y2),
                ],
                fill: connector,
            });
        }
        if w > 0.0 {
            scene.rect(cx - w / 2.0, y0, cx + w / 2.0, y0 + bar_h, ctx.pal.primary);
        }
        let cy = y0 + bar_h / 2.0;
        let count = ctx.fmt.count(counts[i]);
        let cw = ctx.width(&count, FONT_STRONG, true);
        labels.push(if cw + 16.0 <= w {
            Label::new(&count, cx, cy, WHITE_RGB).anchor(Anchor::Middle)
        } else {
            Label::new(&count, cx + w / 2.0 + 6.0, cy, ctx.pal.text)
        });
        let lines = &label_lines[i];
        let first_y = cy - (lines.len() as f64 - 1.0) * LINE / 2.0;
        for (j, line) in lines.iter().enumerate() {
            scene.text(
                Label::new(line, PAD + label_w, first_y + j as f64 * LINE, ctx.pal.text)
                    .anchor(Anchor::End),
            );
        }
        scene.text(Label::new(&shares[i], WIDTH - 2.0, cy, ctx.pal.muted).anchor(Anchor::End));
    }
    for l in labels {
        scene.text(l.size(FONT_STRONG).bold());
    }
    scene
}

fn timeline(
    ctx: &Ctx,
    start: NaiveDate,
    end: NaiveDate,
    as_of: NaiveDate,
    as_of_label: &str,
    items: &[TimelineItem],
) -> Scene {
    // A bar given end first is drawn from the earlier date.
    let dated: Vec<Option<(NaiveDate, NaiveDate)>> = items
        .iter()
        .map(|it| Some((it.start.min(it.end), it.start.max(it.end))))
        .collect();
    let (a, b) = (start, end);
    if items.is_empty() {
        return empty_scene(ctx, 200.0);
    }
    let (r0, r1) = (a.min(b), a.max(b));
    let days = ((r1 - r0).num_days() + 1) as f64;

    let label_lines: Vec<Vec<String>> = items
        .iter()
        .map(|it| wrap_cut(ctx, &it.label, FONT, WIDTH * 0.36, 2))
        .collect();
    let label_w = label_lines
        .iter()
        .flatten()
        .map(|l| ctx.width(l, FONT, false))
        .fold(0.0, f64::max);
    let rows: Vec<f64> = label_lines
        .iter()
        .map(|l| (l.len() as f64 * LINE + 10.0).max(32.0))
        .collect();
    let top = LINE + 12.0;
    let rows_bottom = top + rows.iter().sum::<f64>();
    let height = (rows_bottom + 8.0 + LINE + 4.0).round();
    let mut scene = Scene::new(height);
    let left = PAD + label_w + 16.0;
    let right = WIDTH - 6.0;
    let x =
        |d: NaiveDate| left + ((d - r0).num_days() as f64 / days).clamp(0.0, 1.0) * (right - left);

    // Rows, alternately shaded so a bar is easy to follow back to its label.
    let zebra = mix(ctx.pal.muted, WHITE_RGB, 0.95);
    let mut row_top = top;
    let mut centers = Vec::new();
    for (i, h) in rows.iter().enumerate() {
        if i % 2 == 0 {
            scene.rect(0.0, row_top, WIDTH, row_top + h, zebra);
        }
        centers.push(row_top + h / 2.0);
        row_top += h;
    }

    // Months: a gridline at each start, labels thinned to what fits.
    let mut months = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(r0.year(), r0.month(), 1).unwrap_or(r0);
    while m <= r1 && months.len() < 240 {
        months.push(m);
        m = m + Months::new(1);
    }
    let month_w = (right - left) / (days / 30.44);
    let month_text = |d: NaiveDate, keep_year: bool| {
        let full = ctx.fmt.month(d);
        if keep_year {
            full
        } else {
            let year = d.year().to_string();
            let short = full.replace(&year, "");
            let short = short.trim().trim_end_matches(',').trim();
            if short.is_empty() {
                full
            } else {
                short.to_string()
            }
        }
    };
    let step = [1u32, 2, 3, 4, 6, 12]
        .into_iter()
        .find(|&k| {
            let mut first = true;
            months.iter().all(|&d| {
                if !d.month0().is_multiple_of(k) {
                    return true;
                }
                let text = month_text(d, first || d.month() == 1);
                first = false;
                ctx.width(&text, FONT, false) + 8.0 <= k as f64 * month_w
            })
        })
        .unwrap_or(12);
    let mut first = true;
    let mut last_right = f64::NEG_INFINITY;
    for &d in &months {
        let next = d + Months::new(1);
        let xs = x(d.max(r0));
        let xe = x(next.min(r1 + chrono::Days::new(1)));
        if d >= r0 {
            scene.line(vec![(xs, top), (xs, rows_bottom)], ctx.pal.grid, 1.0);
        }
        if !d.month0().is_multiple_of(step) {
            continue;
        }
        let text = month_text(d, first || d.month() == 1);
        let w = ctx.width(&text, FONT, false);
        let cx = ((xs + xe) / 2.0).clamp(left + w / 2.0, WIDTH - w / 2.0);
        if cx - w / 2.0 < last_right + 6.0 {
            continue;
        }
        first = false;
        last_right = cx + w / 2.0;
        scene.text(
            Label::new(&text, cx, rows_bottom + 8.0, ctx.pal.muted)
                .anchor(Anchor::Middle)
                .baseline(Baseline::Top),
        );
    }
    scene.line(
        vec![(left, rows_bottom), (right, rows_bottom)],
        ctx.pal.axis,
        1.0,
    );

    // Actions: label at left, a bar coloured by how the action goes.
    for (i, it) in items.iter().enumerate() {
        let cy = centers[i];
        let lines = &label_lines[i];
        let first_y = cy - (lines.len() as f64 - 1.0) * LINE / 2.0;
        for (j, line) in lines.iter().enumerate() {
            scene.text(
                Label::new(line, PAD + label_w, first_y + j as f64 * LINE, ctx.pal.text)
                    .anchor(Anchor::End),
            );
        }
        let Some((s, e)) = dated[i] else { continue };
        if e < r0 || s > r1 {
            continue;
        }
        let color = match it.tone {
            Tone::Good => ctx.pal.good,
            Tone::Bad => ctx.pal.bad,
            Tone::Warning => ctx.pal.warning,
            Tone::Neutral => ctx.pal.primary,
        };
        let (mut x0, mut x1) = (
            x(s.max(r0)),
            x((e + chrono::Days::new(1)).min(r1 + chrono::Days::new(1))),
        );
        if x1 - x0 < 4.0 {
            let mid = (x0 + x1) / 2.0;
            (x0, x1) = (mid - 2.0, mid + 2.0);
        }
        scene.rect(x0, cy - 8.0, x1, cy + 8.0, color);
    }

    // Where we are.
    if let Some(d) = Some(as_of).filter(|d| *d >= r0 && *d <= r1) {
        let ax = x(d + chrono::Days::new(1));
        scene.dashed(
            vec![(ax, top - 6.0), (ax, rows_bottom)],
            ctx.pal.accent,
            2.0,
            (6.0, 4.0),
        );
        let text = as_of_label.trim();
        let w = ctx.width(text, FONT, true);
        let cx = ax.clamp(w / 2.0 + 2.0, WIDTH - w / 2.0 - 2.0);
        scene.text(
            Label::new(text, cx, top - 10.0, ctx.pal.accent)
                .anchor(Anchor::Middle)
                .baseline(Baseline::Bottom)
                .bold(),
        );
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::model::Series;

    fn fr() -> Formatter {
        Formatter::new(Language::Fr)
    }

    fn date(iso: &str) -> NaiveDate {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("an ISO date")
    }

    fn chart(id: &str, title: &str, spec: ChartSpec) -> Chart {
        Chart {
            id: id.into(),
            title: title.into(),
            alt: format!("{title} : texte alternatif avec des chiffres."),
            spec,
        }
    }

    fn series(name: &str, role: SeriesRole, values: &[Option<f64>]) -> Series {
        Series {
            name: name.into(),
            role,
            values: values.to_vec(),
        }
    }

    fn months(fmt: &Formatter) -> Vec<String> {
        (1..=12)
            .map(|m| fmt.month(NaiveDate::from_ymd_opt(2025, m, 1).unwrap()))
            .collect()
    }

    /// A Pareto curve of `n` clients with a long tail, and its ABC boundaries.
    fn pareto_points(n: usize) -> ChartSpec {
        let revenue: Vec<f64> = (0..n)
            .map(|i| 250_000.0 / (i as f64 + 1.5).powf(1.1) + 50.0)
            .collect();
        let total: f64 = revenue.iter().sum();
        let mut points = Vec::with_capacity(n + 1);
        points.push((0.0, 0.0));
        let (mut cum, mut a_clients, mut ab_clients) = (0.0, 0.0, 0.0);
        for (i, r) in revenue.iter().enumerate() {
            let before = cum / total;
            if before < 0.8 {
                a_clients = (i + 1) as f64 / n as f64;
            }
            if before < 0.95 {
                ab_clients = (i + 1) as f64 / n as f64;
            }
            cum += r;
            points.push(((i + 1) as f64 / n as f64, cum / total));
        }
        ChartSpec::Pareto {
            points,
            a_cutoff: 0.8,
            b_cutoff: 0.95,
            a_clients,
            ab_clients,
            x_label: "Part des clients (classés par CA décroissant)".into(),
            y_label: "Part cumulée du chiffre d'affaires".into(),
        }
    }

    /// One chart of each kind, with the figures of a typical engagement.
    fn samples(fmt: &Formatter) -> Vec<Chart> {
        let fy = [
            312_400.0, 287_900.0, 345_100.0, 301_800.0, 356_200.0, 372_500.0, 268_300.0, 214_900.0,
            338_700.0,
        ];
        let fy1 = [
            296_000.0, 271_500.0, 322_800.0, 309_400.0, 331_000.0, 348_900.0, 281_200.0, 203_600.0,
            317_300.0, 344_100.0, 329_800.0, 391_200.0,
        ];
        let fy_values: Vec<Option<f64>> = (0..12).map(|i| fy.get(i).copied()).collect();
        let fy1_values: Vec<Option<f64>> = fy1.iter().copied().map(Some).collect();
        let timeline_items = [
            (
                "Campagne de reconquête des clients dormants",
                "2025-01-15",
                "2025-04-30",
                Tone::Good,
            ),
            (
                "Fichier de prospection qualifié (PME industrielles)",
                "2025-02-01",
                "2025-03-31",
                Tone::Good,
            ),
            (
                "Formation à la qualification des leads",
                "2025-03-10",
                "2025-06-20",
                Tone::Warning,
            ),
            (
                "CRM : tableau de bord commercial",
                "2025-04-01",
                "2025-09-15",
                Tone::Good,
            ),
            (
                "Plan comptes clés (top 20)",
                "2025-05-01",
                "2025-12-31",
                Tone::Neutral,
            ),
            (
                "Salon Industrie Lyon",
                "2025-06-10",
                "2025-06-13",
                Tone::Bad,
            ),
            (
                "Réorganisation de l'agenda des visites terrain",
                "2025-07-01",
                "2025-10-31",
                Tone::Bad,
            ),
            (
                "Recrutement d'un commercial sédentaire",
                "2025-09-01",
                "2025-12-15",
                Tone::Neutral,
            ),
        ];
        vec![
            chart(
                "revenue-by-month",
                "Chiffre d'affaires mensuel, exercice et exercice précédent",
                ChartSpec::Lines {
                    categories: months(fmt),
                    series: vec![
                        series("Exercice 2025", SeriesRole::Primary, &fy_values),
                        series("Exercice 2024", SeriesRole::Comparison, &fy1_values),
                    ],
                    unit: ValueUnit::Money,
                },
            ),
            chart(
                "revenue-by-month-bars",
                "Chiffre d'affaires mensuel",
                ChartSpec::Bars {
                    categories: months(fmt),
                    series: vec![
                        series("Exercice 2025", SeriesRole::Primary, &fy_values),
                        series("Exercice 2024", SeriesRole::Comparison, &fy1_values),
                    ],
                    unit: ValueUnit::Money,
                    horizontal: false,
                    reference: None,
                },
            ),
            chart(
                "three-ca",
                "Les 3 CA : réalisé, projection et objectif",
                ChartSpec::Bars {
                    categories: vec![
                        "Conquête".into(),
                        "Fidélisation".into(),
                        "Reconquête".into(),
                    ],
                    series: vec![
                        series(
                            "Réalisé",
                            SeriesRole::Primary,
                            &[Some(412_300.0), Some(1_884_600.0), Some(96_200.0)],
                        ),
                        series(
                            "Projection",
                            SeriesRole::Accent,
                            &[Some(549_700.0), Some(2_512_800.0), Some(128_300.0)],
                        ),
                        series(
                            "Objectif",
                            SeriesRole::Comparison,
                            &[Some(650_000.0), Some(2_400_000.0), Some(200_000.0)],
                        ),
                    ],
                    unit: ValueUnit::Money,
                    horizontal: false,
                    reference: None,
                },
            ),
            chart(
                "pareto",
                "Concentration du chiffre d'affaires (800 clients)",
                pareto_points(800),
            ),
            chart(
                "class-share",
                "Part du chiffre d'affaires et de l'effort commercial par classe",
                ChartSpec::Bars {
                    categories: vec!["Classe A".into(), "Classe B".into(), "Classe C".into()],
                    series: vec![
                        series(
                            "Part du chiffre d'affaires",
                            SeriesRole::Primary,
                            &[Some(0.801), Some(0.149), Some(0.05)],
                        ),
                        series(
                            "Part de l'effort commercial",
                            SeriesRole::Accent,
                            &[Some(0.34), Some(0.27), Some(0.39)],
                        ),
                    ],
                    unit: ValueUnit::Percent,
                    horizontal: false,
                    reference: None,
                },
            ),
            chart(
                "funnel",
                "Entonnoir commercial",
                ChartSpec::Funnel {
                    stages: vec![
                        "Nouveaux".into(),
                        "Contactés".into(),
                        "Qualifiés".into(),
                        "Proposition".into(),
                        "Gagnés".into(),
                    ],
                    counts: vec![712, 520, 300, 190, 134],
                },
            ),
            chart(
                "conversion-by-source",
                "Taux de conversion par source de leads",
                ChartSpec::Bars {
                    categories: vec![
                        "Recommandation client".into(),
                        "Salons professionnels".into(),
                        "Site web".into(),
                        "Prospection téléphonique".into(),
                        "Partenaires prescripteurs".into(),
                        "Réseaux sociaux".into(),
                    ],
                    series: vec![series(
                        "Taux de conversion",
                        SeriesRole::Primary,
                        &[
                            Some(0.352),
                            Some(0.241),
                            Some(0.176),
                            Some(0.094),
                            Some(0.288),
                            Some(0.061),
                        ],
                    )],
                    unit: ValueUnit::Percent,
                    horizontal: true,
                    reference: Some(Reference {
                        value: 0.188,
                        label: "Taux global".into(),
                    }),
                },
            ),
            chart(
                "time-allocation",
                "Répartition du temps : réalisé et clé de répartition",
                ChartSpec::Bars {
                    categories: vec![
                        "Visites terrain clients".into(),
                        "Visites terrain prospects".into(),
                        "Prospection téléphonique".into(),
                        "Rendez-vous à distance".into(),
                        "Administratif".into(),
                        "Reporting".into(),
                        "Déplacements".into(),
                    ],
                    series: vec![
                        series(
                            "Réalisé",
                            SeriesRole::Primary,
                            &[
                                Some(0.214),
                                Some(0.062),
                                Some(0.118),
                                Some(0.097),
                                Some(0.186),
                                Some(0.094),
                                Some(0.229),
                            ],
                        ),
                        series(
                            "Clé de répartition",
                            SeriesRole::Comparison,
                            &[
                                Some(0.30),
                                Some(0.15),
                                Some(0.15),
                                Some(0.10),
                                Some(0.10),
                                Some(0.05),
                                Some(0.15),
                            ],
                        ),
                    ],
                    unit: ValueUnit::Percent,
                    horizontal: true,
                    reference: None,
                },
            ),
            chart(
                "revenue-by-zone",
                "Chiffre d'affaires par zone (avoirs compris)",
                ChartSpec::Bars {
                    categories: vec![
                        "Nord".into(),
                        "Sud-Ouest".into(),
                        "Île-de-France".into(),
                        "Export".into(),
                        "Inconnue".into(),
                    ],
                    series: vec![
                        series(
                            "Exercice 2025",
                            SeriesRole::Primary,
                            &[
                                Some(412_300.0),
                                Some(188_450.0),
                                Some(645_900.0),
                                Some(-23_800.0),
                                None,
                            ],
                        ),
                        series(
                            "Exercice 2024",
                            SeriesRole::Comparison,
                            &[
                                Some(398_000.0),
                                Some(201_700.0),
                                Some(602_100.0),
                                Some(54_300.0),
                                Some(12_000.0),
                            ],
                        ),
                    ],
                    unit: ValueUnit::Money,
                    horizontal: true,
                    reference: None,
                },
            ),
            chart(
                "growth-by-zone",
                "Croissance par zone",
                ChartSpec::Bars {
                    categories: vec![
                        "Nord".into(),
                        "Sud-Ouest".into(),
                        "Île-de-France".into(),
                        "Export".into(),
                    ],
                    series: vec![series(
                        "Croissance",
                        SeriesRole::Primary,
                        &[Some(0.036), Some(-0.066), Some(0.073), Some(-1.438)],
                    )],
                    unit: ValueUnit::Percent,
                    horizontal: false,
                    reference: None,
                },
            ),
            chart(
                "revenue-by-rep",
                "Chiffre d'affaires par commercial et objectif moyen",
                ChartSpec::Bars {
                    categories: vec![
                        "Claire Fontaine".into(),
                        "Julien Mercier".into(),
                        "Sophie Lambert".into(),
                        "Karim Benali".into(),
                        "Émilie Rousseau-Delacroix".into(),
                    ],
                    series: vec![series(
                        "Chiffre d'affaires",
                        SeriesRole::Primary,
                        &[
                            Some(612_400.0),
                            Some(498_100.0),
                            Some(731_900.0),
                            Some(287_300.0),
                            Some(540_200.0),
                        ],
                    )],
                    unit: ValueUnit::Money,
                    horizontal: false,
                    reference: Some(Reference {
                        value: 550_000.0,
                        label: "Objectif moyen".into(),
                    }),
                },
            ),
            chart(
                "plan",
                "Plan d'actions 2025",
                ChartSpec::Timeline {
                    start: date("2025-01-01"),
                    end: date("2025-12-31"),
                    as_of: date("2025-09-30"),
                    as_of_label: "30 sept. 2025".into(),
                    items: timeline_items
                        .iter()
                        .map(|(label, start, end, tone)| TimelineItem {
                            label: (*label).into(),
                            start: date(start),
                            end: date(end),
                            tone: *tone,
                        })
                        .collect(),
                },
            ),
        ]
    }

    /// Degenerate inputs: nothing must panic, and each gives a valid picture.
    fn degenerate() -> Vec<Chart> {
        let bars = |cats: Vec<String>, series: Vec<Series>, horizontal: bool| ChartSpec::Bars {
            categories: cats,
            series,
            unit: ValueUnit::Money,
            horizontal,
            reference: Some(Reference {
                value: f64::NAN,
                label: "Objectif".into(),
            }),
        };
        let none = series("Vide", SeriesRole::Primary, &[None, None]);
        let zeros = series("Zéro", SeriesRole::Primary, &[Some(0.0), Some(0.0)]);
        let nan = series(
            "NaN",
            SeriesRole::Primary,
            &[Some(f64::NAN), Some(f64::INFINITY)],
        );
        let two = || vec!["Un".to_string(), "Deux".to_string()];
        vec![
            chart("all-none", "Vide", bars(two(), vec![none.clone()], false)),
            chart("all-none-h", "Vide", bars(two(), vec![none.clone()], true)),
            chart("zeros", "Zéros", bars(two(), vec![zeros.clone()], false)),
            chart("zeros-h", "Zéros", bars(two(), vec![zeros.clone()], true)),
            chart("nan", "NaN", bars(two(), vec![nan.clone()], false)),
            chart(
                "no-categories",
                "Rien",
                bars(Vec::new(), vec![none.clone()], false),
            ),
            chart("no-series", "Rien", bars(two(), Vec::new(), true)),
            chart(
                "single",
                "Une catégorie",
                bars(
                    vec!["Seule".into()],
                    vec![series("S", SeriesRole::Primary, &[Some(42.0)])],
                    false,
                ),
            ),
            chart(
                "single-h",
                "Une catégorie",
                bars(
                    vec!["Seule".into()],
                    vec![series("S", SeriesRole::Primary, &[Some(42.0)])],
                    true,
                ),
            ),
            chart(
                "long-names",
                "Noms longs",
                bars(
                    (0..9)
                        .map(|i| format!("Une catégorie au nom particulièrement long numéro {i}"))
                        .collect(),
                    vec![series("S", SeriesRole::Primary, &[Some(1.0e6); 9])],
                    false,
                ),
            ),
            chart(
                "lines-mixed",
                "Lignes vides et à zéro",
                ChartSpec::Lines {
                    categories: two(),
                    series: vec![none.clone(), zeros.clone()],
                    unit: ValueUnit::Count,
                },
            ),
            chart(
                "lines-zero",
                "Lignes à zéro",
                ChartSpec::Lines {
                    categories: two(),
                    series: vec![zeros.clone()],
                    unit: ValueUnit::Hours,
                },
            ),
            chart(
                "pareto-empty",
                "Pareto vide",
                ChartSpec::Pareto {
                    points: Vec::new(),
                    a_cutoff: 0.8,
                    b_cutoff: 0.95,
                    a_clients: 0.0,
                    ab_clients: 0.0,
                    x_label: "x".into(),
                    y_label: "y".into(),
                },
            ),
            chart(
                "pareto-one",
                "Un client",
                ChartSpec::Pareto {
                    points: vec![(1.0, 1.0)],
                    a_cutoff: 0.8,
                    b_cutoff: 0.95,
                    a_clients: 1.0,
                    ab_clients: 1.0,
                    x_label: "x".into(),
                    y_label: "y".into(),
                },
            ),
            chart(
                "funnel-zero",
                "Entonnoir vide",
                ChartSpec::Funnel {
                    stages: vec!["Nouveaux".into(), "Gagnés".into()],
                    counts: vec![0, 0],
                },
            ),
            chart(
                "funnel-none",
                "Entonnoir sans étapes",
                ChartSpec::Funnel {
                    stages: Vec::new(),
                    counts: Vec::new(),
                },
            ),
            chart(
                "timeline-reversed-dates",
                "Dates à l'envers",
                ChartSpec::Timeline {
                    start: date("2025-12-31"),
                    end: date("2025-01-01"),
                    as_of: date("2026-06-30"),
                    as_of_label: "aujourd'hui".into(),
                    items: vec![TimelineItem {
                        label: "Fin avant le début".into(),
                        start: date("2025-09-30"),
                        end: date("2025-03-01"),
                        tone: Tone::Neutral,
                    }],
                },
            ),
            chart(
                "timeline-one-day",
                "Un jour",
                ChartSpec::Timeline {
                    start: date("2025-03-01"),
                    end: date("2025-03-01"),
                    as_of: date("2025-03-01"),
                    as_of_label: "1er mars".into(),
                    items: vec![TimelineItem {
                        label: "Jalon <important> & urgent".into(),
                        start: date("2025-03-01"),
                        end: date("2025-03-01"),
                        tone: Tone::Warning,
                    }],
                },
            ),
        ]
    }

    /// Parses the SVG and checks what every chart must have.
    fn check_svg(svg: &str, chart: &Chart) {
        let doc = roxmltree::Document::parse(svg)
            .unwrap_or_else(|e| panic!("{}: invalid XML: {e}\n{svg}", chart.id));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        let view_box: Vec<f64> = root
            .attribute("viewBox")
            .expect("a viewBox")
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(view_box[2], WIDTH * SCALE);
        assert!(
            view_box[3] > 40.0 * SCALE,
            "{}: height {}",
            chart.id,
            view_box[3]
        );
        assert!(root.attribute("width").is_none(), "scales to its container");
        let mut children = root.children().filter(|n| n.is_element());
        let title = children.next().unwrap();
        assert_eq!(title.tag_name().name(), "title");
        assert_eq!(title.text(), Some(chart.title.as_str()));
        let desc = children.next().unwrap();
        assert_eq!(desc.tag_name().name(), "desc");
        assert_eq!(desc.text(), Some(chart.alt.as_str()));
        let mut texts = 0;
        for node in root.descendants().filter(|n| n.is_element()) {
            for attr in node.attributes() {
                let v = attr.value();
                assert!(
                    !v.contains("NaN") && !v.contains("inf"),
                    "{}: {}={v}",
                    chart.id,
                    attr.name()
                );
                if matches!(
                    attr.name(),
                    "x" | "y"
                        | "x1"
                        | "y1"
                        | "x2"
                        | "y2"
                        | "width"
                        | "height"
                        | "cx"
                        | "cy"
                        | "r"
                        | "font-size"
                ) {
                    assert!(
                        v.parse::<f64>().is_ok_and(f64::is_finite),
                        "{}: {}={v}",
                        chart.id,
                        attr.name()
                    );
                }
                if attr.name() == "points" {
                    for n in v.split([' ', ',']).filter(|s| !s.is_empty()) {
                        assert!(
                            n.parse::<f64>().is_ok_and(f64::is_finite),
                            "{}: points {v}",
                            chart.id
                        );
                    }
                }
            }
            if node.tag_name().name() == "text" {
                texts += 1;
                let family = node.attribute("font-family").unwrap_or_default();
                assert!(
                    family.starts_with("Inter"),
                    "{}: font-family {family}",
                    chart.id
                );
                let size: f64 = node.attribute("font-size").unwrap().parse().unwrap();
                assert!(size >= FONT * SCALE, "{}: font-size {size}", chart.id);
            }
        }
        assert!(texts > 0, "{}: no text", chart.id);
    }

    /// What a reader would check: every label inside the picture, none over another.
    fn check_layout(ctx: &Ctx, chart: &Chart) {
        let scene = layout(ctx, &chart.spec);
        let boxes: Vec<(&Label, Bounds)> = scene.labels().map(|l| (l, l.bounds(ctx))).collect();
        for (l, (x0, y0, x1, y1)) in &boxes {
            assert!(
                *x0 >= -0.5 && *y0 >= -0.5 && *x1 <= scene.width + 0.5 && *y1 <= scene.height + 0.5,
                "{}: {:?} outside {}x{}: {:?}",
                chart.id,
                l.text,
                scene.width,
                scene.height,
                (x0, y0, x1, y1)
            );
        }
        for (i, (a, ba)) in boxes.iter().enumerate() {
            for (b, bb) in &boxes[i + 1..] {
                let overlap = ba.0 < bb.2 - 1.0
                    && bb.0 < ba.2 - 1.0
                    && ba.1 < bb.3 - 1.0
                    && bb.1 < ba.3 - 1.0;
                assert!(!overlap, "{}: {:?} overlaps {:?}", chart.id, a.text, b.text);
            }
        }
    }

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

    #[test]
    fn month_categories_carry_the_year_once() {
        let cats: Vec<String> = ["déc. 2024", "janv. 2025", "févr. 2025", "mars 2025"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            compact_years(&cats),
            ["déc. 2024", "janv. 2025", "févr.", "mars"]
        );
        let zones: Vec<String> = ["Nord", "Sud", "Est"].map(String::from).to_vec();
        assert_eq!(compact_years(&zones), zones);
    }

    #[test]
    fn every_chart_kind_renders_valid_accessible_svg() {
        for language in [Language::Fr, Language::En] {
            let fmt = Formatter::new(language);
            let style = ChartStyle::default();
            for c in samples(&fmt).iter().chain(&degenerate()) {
                let svg = render_svg(c, &style, &fmt);
                check_svg(&svg, c);
            }
        }
    }

    #[test]
    fn labels_stay_inside_and_never_overlap() {
        for language in [Language::Fr, Language::En] {
            let fmt = Formatter::new(language);
            let style = ChartStyle::default();
            let ctx = Ctx::new(&style, &fmt);
            for c in samples(&fmt).iter().chain(&degenerate()) {
                check_layout(&ctx, c);
            }
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        let fmt = fr();
        let style = ChartStyle::default();
        let charts = samples(&fmt);
        let first = render_all(&charts, &style, &fmt);
        let second = render_all(&charts, &style, &fmt);
        assert_eq!(first, second);
        assert_eq!(first.len(), charts.len());
        assert_eq!(first[0].0, "revenue-by-month");
    }

    #[test]
    fn french_money_ticks_are_compact_with_a_no_break_space() {
        let fmt = fr();
        let svg = render_svg(&samples(&fmt)[0], &ChartStyle::default(), &fmt);
        assert!(
            svg.contains(">\n300\u{a0}k€\n<") || svg.contains(">300\u{a0}k€<"),
            "{svg}"
        );
        assert!(svg.contains("\u{a0}k€"));
        assert!(
            !svg.contains(",0\u{a0}k€"),
            "round ticks lose their decimal"
        );
        let en = Formatter::new(Language::En);
        let svg = render_svg(&samples(&en)[0], &ChartStyle::default(), &en);
        assert!(svg.contains("€300k"), "{svg}");
    }

    #[test]
    fn percent_ticks_follow_the_locale() {
        let fmt = fr();
        let svg = render_svg(&samples(&fmt)[4], &ChartStyle::default(), &fmt);
        assert!(svg.contains("\u{202f}%"), "{svg}");
    }

    #[test]
    fn missing_values_draw_no_bar() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let zone = samples(&fmt)
            .into_iter()
            .find(|c| c.id == "revenue-by-zone")
            .unwrap();
        let scene = layout(&ctx, &zone.spec);
        let bars = scene
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Rect { fill, .. } if *fill != WHITE_RGB))
            .count();
        // Two legend swatches, and 9 values out of 10 (the FY has no figure for "Inconnue").
        assert_eq!(bars, 2 + 9);
    }

    #[test]
    fn negative_values_go_the_other_way_from_zero() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let growth = samples(&fmt)
            .into_iter()
            .find(|c| c.id == "growth-by-zone")
            .unwrap();
        let scene = layout(&ctx, &growth.spec);
        let rects: Vec<(f64, f64)> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { y0, y1, .. } => Some((*y0, *y1)),
                _ => None,
            })
            .collect();
        assert_eq!(rects.len(), 4);
        let zero = rects[0].1; // the first bar is positive: its foot is the zero line
        assert!(rects[1].0 >= zero - 0.5 && rects[1].1 > zero, "{rects:?}");
        assert!(
            rects[3].1 - rects[3].0 > rects[2].1 - rects[2].0,
            "-144 % is the longest bar"
        );
        let svg = render_svg(&growth, &style, &fmt);
        assert!(svg.contains("-143,8\u{202f}%"), "{svg}");
    }

    #[test]
    fn degenerate_data_gives_a_sensible_picture() {
        let fmt = fr();
        let style = ChartStyle::default();
        for c in degenerate() {
            let svg = render_svg(&c, &style, &fmt);
            if c.id.contains("none")
                || c.id.contains("empty")
                || c.id == "nan"
                || c.id.starts_with("no-")
            {
                assert!(
                    svg.contains(">n.d.") || svg.contains("n.d.\n"),
                    "{}: {svg}",
                    c.id
                );
            }
        }
    }

    #[test]
    fn brand_colours_and_font_are_used() {
        let fmt = fr();
        let style = ChartStyle {
            primary: "#0A7E8C".into(),
            font_family: "Source Sans 3".into(),
            ..ChartStyle::default()
        };
        let svg = render_svg(&samples(&fmt)[5], &style, &fmt);
        assert!(svg.contains("#0A7E8C"));
        assert!(
            svg.contains("font-family=\"&apos;Source Sans 3&apos;, Inter"),
            "{svg}"
        );
        roxmltree::Document::parse(&svg).unwrap();
    }

    #[test]
    fn long_category_names_widen_the_label_column() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let short = ChartSpec::Bars {
            categories: vec!["Web".into(), "Salons".into()],
            series: vec![series("Taux", SeriesRole::Primary, &[Some(0.2), Some(0.3)])],
            unit: ValueUnit::Percent,
            horizontal: true,
            reference: None,
        };
        let long = ChartSpec::Bars {
            categories: vec!["Partenaires prescripteurs".into(), "Salons".into()],
            series: vec![series("Taux", SeriesRole::Primary, &[Some(0.2), Some(0.3)])],
            unit: ValueUnit::Percent,
            horizontal: true,
            reference: None,
        };
        let bar_start = |spec: &ChartSpec| {
            layout(&ctx, spec)
                .shapes
                .iter()
                .find_map(|s| match s {
                    Shape::Rect { x0, .. } => Some(*x0),
                    _ => None,
                })
                .unwrap()
        };
        assert!(bar_start(&long) > bar_start(&short) + 100.0);
    }

    #[test]
    fn month_labels_are_wrapped_or_thinned_not_overlapping() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let cats: Vec<String> = (0..36)
            .map(|i| {
                fmt.month(NaiveDate::from_ymd_opt(2023 + i / 12, (i % 12) as u32 + 1, 1).unwrap())
            })
            .collect();
        let c = chart(
            "long-lines",
            "Trois ans",
            ChartSpec::Lines {
                categories: cats,
                series: vec![series("CA", SeriesRole::Primary, &[Some(1000.0); 36])],
                unit: ValueUnit::Money,
            },
        );
        check_layout(&ctx, &c);
        let shown = layout(&ctx, &c.spec)
            .labels()
            .filter(|l| !l.text.contains('€'))
            .count();
        assert!((6..36).contains(&shown), "{shown}");
    }

    /// Writes every sample to `$LEVIER_CHARTS` (default: the temp dir's `charts/`) as
    /// SVG and an HTML page showing them inline, to look at.
    #[test]
    #[ignore]
    fn write_samples() {
        let dir = std::env::var_os("LEVIER_CHARTS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("charts"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut page = String::from(
            "<!doctype html><meta charset=utf-8><style>body{font-family:Inter;max-width:760px;margin:2rem auto}\
             figure{margin:2rem 0}figure svg{width:100%;height:auto;display:block}</style>",
        );
        for (language, suffix) in [(Language::Fr, ""), (Language::En, "-en")] {
            let fmt = Formatter::new(language);
            for c in samples(&fmt).iter().chain(&degenerate()) {
                let svg = render_svg(c, &ChartStyle::default(), &fmt);
                std::fs::write(dir.join(format!("{}{suffix}.svg", c.id)), &svg).unwrap();
                if suffix.is_empty() {
                    page.push_str(&format!(
                        "<figure>{svg}<figcaption>{}</figcaption></figure>",
                        c.title
                    ));
                }
            }
        }
        std::fs::write(dir.join("index.html"), page).unwrap();
    }
}
