//! What a chart draws, as data: shapes and labels in layout units, [`WIDTH`] wide, with
//! every label's box known, so that layouts can be checked (nothing outside, nothing
//! overlapping) before anything is painted; and the fitting of text into the room a
//! layout gives it (wrapping, cutting with an ellipsis).

use plotters::prelude::*;

use super::style::{Ctx, WHITE_RGB};
use super::{FONT, FONT_STRONG, WIDTH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Baseline {
    /// `y` is the top of the text.
    Top,
    Middle,
    /// `y` is the bottom of the text.
    Bottom,
}

/// A box: `(x0, y0, x1, y1)`.
pub(super) type Bounds = (f64, f64, f64, f64);

#[derive(Debug, Clone)]
pub(super) struct Label {
    pub(super) text: String,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) size: f64,
    pub(super) color: RGBColor,
    pub(super) anchor: Anchor,
    pub(super) baseline: Baseline,
    pub(super) bold: bool,
    /// Rotated a quarter turn, reading upwards; `End` anchors the top.
    pub(super) vertical: bool,
}

impl Label {
    pub(super) fn new(text: &str, x: f64, y: f64, color: RGBColor) -> Label {
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
    pub(super) fn anchor(mut self, anchor: Anchor) -> Label {
        self.anchor = anchor;
        self
    }
    pub(super) fn baseline(mut self, baseline: Baseline) -> Label {
        self.baseline = baseline;
        self
    }
    pub(super) fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    pub(super) fn size(mut self, size: f64) -> Label {
        self.size = size;
        self
    }
    pub(super) fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }

    /// The box the text covers.
    pub(super) fn bounds(&self, ctx: &Ctx) -> Bounds {
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
pub(super) enum Shape {
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
pub(super) struct Scene {
    pub(super) width: f64,
    pub(super) height: f64,
    pub(super) shapes: Vec<Shape>,
}

impl Scene {
    pub(super) fn new(height: f64) -> Scene {
        Scene {
            width: WIDTH,
            height,
            shapes: Vec::new(),
        }
    }
    pub(super) fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: RGBColor) {
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
    pub(super) fn line(&mut self, points: Vec<(f64, f64)>, color: RGBColor, width: f64) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
            dash: None,
        });
    }
    pub(super) fn dashed(
        &mut self,
        points: Vec<(f64, f64)>,
        color: RGBColor,
        width: f64,
        dash: (f64, f64),
    ) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
            dash: Some(dash),
        });
    }
    /// A white box behind `label`, where a line would run through it.
    pub(super) fn halo(&mut self, ctx: &Ctx, label: &Label) {
        let (x0, y0, x1, y1) = label.bounds(ctx);
        self.rect(x0 - 3.0, y0 - 1.0, x1 + 3.0, y1 + 1.0, WHITE_RGB);
    }
    pub(super) fn text(&mut self, label: Label) {
        if !label.text.is_empty() {
            self.shapes.push(Shape::Text(label));
        }
    }
    #[cfg(test)]
    pub(super) fn labels(&self) -> impl Iterator<Item = &Label> {
        self.shapes.iter().filter_map(|s| match s {
            Shape::Text(l) => Some(l),
            _ => None,
        })
    }
}

/// A chart with nothing to show: the frame and "n/a".
pub(super) fn empty_scene(ctx: &Ctx, height: f64) -> Scene {
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

pub(super) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// Break opportunities of `text`: at spaces, and after hyphens (`Rousseau-` /
/// `Delacroix`), never at a no-break space (`142 k€`, `74,0 %`). Each piece says
/// whether a space goes before it.
pub(super) fn pieces(text: &str) -> Vec<(&str, bool)> {
    let breaks = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
    let mut out = Vec::new();
    for word in text.split(breaks).filter(|w| !w.is_empty()) {
        for (i, part) in word.split_inclusive('-').enumerate() {
            out.push((part, i == 0 && !out.is_empty()));
        }
    }
    out
}

/// Greedy line breaking; `None` when a piece alone is wider than `max_w`.
pub(super) fn break_lines(ctx: &Ctx, text: &str, size: f64, max_w: f64) -> Option<Vec<String>> {
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
pub(super) fn wrap_fit(
    ctx: &Ctx,
    text: &str,
    size: f64,
    max_w: f64,
    max_lines: usize,
) -> Option<Vec<String>> {
    break_lines(ctx, text, size, max_w).filter(|lines| lines.len() <= max_lines)
}

/// Cuts `text` to `max_w`, ending with an ellipsis.
pub(super) fn truncate(ctx: &Ctx, text: &str, size: f64, max_w: f64) -> String {
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
pub(super) fn wrap_cut(
    ctx: &Ctx,
    text: &str,
    size: f64,
    max_w: f64,
    max_lines: usize,
) -> Vec<String> {
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
