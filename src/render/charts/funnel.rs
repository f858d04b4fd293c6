//! The leads funnel: decreasing bars with each stage's count and its share of the first.

use super::scene::*;
use super::style::*;
use super::*;

pub(super) fn funnel(ctx: &Ctx, stages: &[String], counts: &[u64]) -> Scene {
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

#[cfg(test)]
mod tests {

    use crate::present::model::ChartSpec;

    use crate::render::charts::testing::*;

    /// The samples of this kind draw valid, accessible SVG, and lay their labels out
    /// inside the picture without overlaps, in both languages.
    #[test]
    fn funnel_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Funnel { .. }));
    }
}
