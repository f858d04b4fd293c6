//! Bar charts, vertical (months, the 3 CA, ABC classes) and horizontal (conversion by
//! source, time by activity, revenue by zone), grouped by series, with an optional
//! reference line.

use super::axis::*;
use super::scene::*;
use super::style::*;
use super::*;
use crate::present::model::{Reference, Series, ValueUnit};

pub(super) fn bars_vertical(
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

pub(super) fn bars_horizontal(
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

    // The scale of values, leaving room for the values beside the bar ends.
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::present::model::{ChartSpec, SeriesRole};
    use crate::render::charts::style::Ctx;
    use crate::render::charts::testing::*;
    use crate::render::charts::{ChartStyle, render_svg};

    /// The samples of this kind draw valid, accessible SVG, and lay their labels out
    /// inside the picture without overlaps, in both languages.
    #[test]
    fn bar_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Bars { .. }));
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
}
