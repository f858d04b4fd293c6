//! The action plan's timeline: one bar per action between its dates, coloured by how
//! it stands, with a marker at the data cut-off.

use super::scene::*;
use super::style::*;
use super::*;
use crate::present::model::{TimelineItem, Tone};
use chrono::{Datelike, Months, NaiveDate};

pub(super) fn timeline(
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
        .map(|it| wrap_cut(ctx, &it.label, FONT, WIDTH * 0.36, usize::MAX))
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
            _ if it.dropped => mix(ctx.pal.muted, WHITE_RGB, 0.45),
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

    use crate::present::model::ChartSpec;

    use crate::render::charts::testing::*;

    /// The samples of this kind draw valid, accessible SVG, and lay their labels out
    /// inside the picture without overlaps, in both languages.
    #[test]
    fn timeline_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Timeline { .. }));
    }
}
