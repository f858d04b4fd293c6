//! Line charts over categories (months).

use super::axis::*;
use super::scene::*;
use super::style::*;
use super::*;
use crate::present::model::{Series, ValueUnit};

pub(super) fn lines(ctx: &Ctx, cats: &[String], series: &[Series], unit: ValueUnit) -> Scene {
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

#[cfg(test)]
mod tests {

    use crate::present::model::ChartSpec;

    use crate::render::charts::testing::*;

    /// The samples of this kind draw valid, accessible SVG, and lay their labels out
    /// inside the picture without overlaps, in both languages.
    #[test]
    fn line_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Lines { .. }));
    }
}
