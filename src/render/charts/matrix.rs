//! Heat maps: a matrix of cells (the ABC classes crossed with maturity or contact
//! effort), each shaded by the share it holds, with its figures written in it and the
//! shade's scale in a legend, so that where the revenue sits reads before the figures.

use super::scene::*;
use super::style::*;
use super::*;
use crate::present::model::MatrixCell;
use plotters::prelude::RGBColor;

/// The lightest and darkest shade, as a mix of the primary colour into white.
const LIGHTEST: f64 = 0.06;
const DARKEST: f64 = 0.9;
const GAP: f64 = 4.0;

/// The fill of a cell shaded `shade` in [0, 1].
pub(super) fn shade_fill(ctx: &Ctx, shade: f64) -> RGBColor {
    let t = LIGHTEST + (DARKEST - LIGHTEST) * shade.clamp(0.0, 1.0);
    mix(WHITE_RGB, ctx.pal.primary, t)
}

pub(super) struct Matrix<'a> {
    pub(super) corner: &'a str,
    pub(super) rows: &'a [String],
    pub(super) columns: &'a [String],
    pub(super) cells: &'a [Vec<MatrixCell>],
    pub(super) legend: &'a str,
    pub(super) low: &'a str,
    pub(super) high: &'a str,
}

pub(super) fn matrix(ctx: &Ctx, m: &Matrix<'_>) -> Scene {
    let (n_rows, n_cols) = (m.rows.len(), m.columns.len());
    if n_rows == 0 || n_cols == 0 {
        return empty_scene(ctx, 200.0);
    }
    let pal = &ctx.pal;
    let mut scene = Scene::new(0.0);

    // Legend: its name, then the scale from the lightest to the darkest shade.
    let steps = 5;
    let sw = 26.0;
    let name = truncate(ctx, m.legend, FONT, WIDTH * 0.55);
    let low_w = ctx.width(m.low, FONT, false);
    let cy = 2.0 + LINE / 2.0;
    let mut x = 0.0;
    scene.text(Label::new(&name, x, cy, pal.text));
    x += ctx.width(&name, FONT, false) + 14.0;
    let scale_w = low_w + 8.0 + steps as f64 * sw + 8.0 + ctx.width(m.high, FONT, false);
    let mut top = 4.0 + LINE;
    if x + scale_w > WIDTH {
        // The scale goes under the name.
        x = 0.0;
        top += LINE + 6.0;
    }
    let cy = top - LINE / 2.0 - 2.0;
    scene.text(Label::new(m.low, x, cy, pal.muted));
    x += low_w + 8.0;
    for i in 0..steps {
        let fill = shade_fill(ctx, i as f64 / (steps - 1) as f64);
        scene.rect(x, cy - 8.0, x + sw, cy + 8.0, fill);
        x += sw;
    }
    scene.text(Label::new(m.high, x + 8.0, cy, pal.muted));
    top += 12.0;

    // Row labels at left; column headers wrapped to two lines over their columns.
    let row_w = m
        .rows
        .iter()
        .map(|r| ctx.width(r, FONT, true))
        .chain(std::iter::once(ctx.width(m.corner, FONT, false)))
        .fold(0.0, f64::max)
        .min(WIDTH * 0.25);
    let x0 = PAD + row_w + 12.0;
    let col_w = (WIDTH - 2.0 - x0 - GAP * (n_cols as f64 - 1.0)) / n_cols as f64;
    let headers: Vec<Vec<String>> = m
        .columns
        .iter()
        .map(|c| wrap_cut(ctx, c, FONT, col_w - 8.0, 2))
        .collect();
    let header_lines = headers.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let header_h = header_lines * LINE;
    let left = |j: usize| x0 + j as f64 * (col_w + GAP);
    for (j, lines) in headers.iter().enumerate() {
        let first = top + header_h - lines.len() as f64 * LINE;
        for (k, line) in lines.iter().enumerate() {
            scene.text(
                Label::new(
                    line,
                    left(j) + col_w / 2.0,
                    first + k as f64 * LINE,
                    pal.text,
                )
                .anchor(Anchor::Middle)
                .baseline(Baseline::Top)
                .bold(),
            );
        }
    }
    scene.text(
        Label::new(
            &truncate(ctx, m.corner, FONT, row_w),
            PAD,
            top + header_h - LINE / 2.0,
            pal.muted,
        )
        .bold(),
    );
    top += header_h + 6.0;

    // Cells: as tall as their most-lined cell in the row, text in the contrasting colour.
    let cell_lines: Vec<Vec<Vec<String>>> = (0..n_rows)
        .map(|i| {
            (0..n_cols)
                .map(|j| {
                    let cell = m.cells.get(i).and_then(|r| r.get(j));
                    cell.map_or_else(Vec::new, |c| {
                        c.lines
                            .iter()
                            .flat_map(|l| {
                                // Kept whole when it fits: wrapping would turn its
                                // no-break spaces (`142 k€`) into plain ones.
                                if ctx.width(l, FONT, true) <= col_w - 10.0 {
                                    vec![l.clone()]
                                } else {
                                    wrap_cut(ctx, l, FONT, col_w - 10.0, 2)
                                }
                            })
                            .take(4)
                            .collect()
                    })
                })
                .collect()
        })
        .collect();
    for (i, (row_lines, name)) in cell_lines.iter().zip(m.rows).enumerate() {
        let lines = row_lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
        let h = lines * LINE + 18.0;
        let cy = top + h / 2.0;
        scene.text(Label::new(&truncate(ctx, name, FONT, row_w), PAD, cy, pal.text).bold());
        for (j, texts) in row_lines.iter().enumerate() {
            let cell = m.cells.get(i).and_then(|r| r.get(j));
            let shade = cell.and_then(|c| finite(c.shade));
            let fill = match shade {
                Some(s) => shade_fill(ctx, s),
                None => mix(pal.muted, WHITE_RGB, 0.93),
            };
            scene.rect(left(j), top, left(j) + col_w, top + h, fill);
            let ink = contrast(fill, pal.text);
            let first = cy - (texts.len() as f64 - 1.0) * LINE / 2.0;
            for (k, line) in texts.iter().enumerate() {
                let label = Label::new(line, left(j) + col_w / 2.0, first + k as f64 * LINE, ink)
                    .anchor(Anchor::Middle);
                scene.text(if k == 0 { label.bold() } else { label });
            }
        }
        top += h + GAP;
    }
    scene.height = (top + 2.0).round();
    scene
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::model::ChartSpec;
    use crate::render::charts::testing::*;
    use crate::render::charts::{ChartStyle, layout, render_svg};

    #[test]
    fn matrix_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Matrix { .. }));
    }

    /// Issue 13: "ABC matrices are cryptic, without shading". The cell holding the most
    /// revenue is the darkest, its text stays readable (white on dark), and the figures
    /// are written out in the cell.
    #[test]
    fn the_largest_share_is_the_darkest_cell_with_readable_text() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let chart = samples(&fmt)
            .into_iter()
            .find(|c| c.id == "abc-maturity")
            .unwrap();
        let scene = layout(&ctx, &chart.spec);
        let darkest = shade_fill(&ctx, 1.0);
        let cells = scene
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Rect { fill, y1, y0, .. } if *fill == darkest && y1 - y0 > 30.0))
            .count();
        assert_eq!(cells, 1, "one cell holds the largest share");
        let white_text: Vec<&str> = scene
            .labels()
            .filter(|l| l.color == WHITE_RGB)
            .map(|l| l.text.as_str())
            .collect();
        assert!(white_text.contains(&"86 clients"), "{white_text:?}");
        let svg = render_svg(&chart, &style, &fmt);
        assert!(svg.contains("1,2\u{a0}M€"), "{svg}");
    }
}
