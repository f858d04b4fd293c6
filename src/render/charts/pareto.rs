//! The Pareto curve: the cumulative share of revenue against the share of clients,
//! with the ABC classes' cut-offs.

use super::axis::*;
use super::scene::*;
use super::style::*;
use super::*;
use crate::present::model::ValueUnit;

/// Class cut-offs of a Pareto chart.
pub(super) struct Cuts {
    pub(super) a: f64,
    pub(super) b: f64,
    pub(super) a_clients: f64,
    pub(super) ab_clients: f64,
}

pub(super) fn pareto(
    ctx: &Ctx,
    points: &[(f64, f64)],
    cuts: Cuts,
    x_label: &str,
    y_label: &str,
) -> Scene {
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

#[cfg(test)]
mod tests {

    use crate::present::model::ChartSpec;

    use crate::render::charts::testing::*;

    /// The samples of this kind draw valid, accessible SVG, and lay their labels out
    /// inside the picture without overlaps, in both languages.
    #[test]
    fn pareto_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Pareto { .. }));
    }
}
