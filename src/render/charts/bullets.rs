//! Bullet charts: one row per indicator (the dashboard, the 3 CA), each drawn on the
//! scale of its own reference (the objective, else last year) so that every row shares
//! one 0–100 % axis. On that axis the share of the year elapsed is the same place on
//! every row: a bar that reaches the marker is on track, so 74 % at 75 % of the year
//! reads at a glance. Rates have no projection and no elapsed marker: a rate is judged
//! against its objective at any date.

use super::scene::*;
use super::style::*;
use super::*;
use crate::present::model::{Bullet, BulletLegend, Tone};

/// Height of the track (the reference's band) and of the value bars inside it.
const TRACK: f64 = 26.0;
const BAR: f64 = 14.0;
/// The widest a status may be, at the right of its row.
const STATUS_W: f64 = 190.0;
/// The axis ends at 150 % of the reference at most: beyond, bars are cut at the edge.
const MAX_SCALE: f64 = 1.5;

/// A row's figures as shares of its reference.
struct Scaled {
    actual: Option<f64>,
    projection: Option<f64>,
    last_year: Option<f64>,
    last_year_full: Option<f64>,
    has_objective: bool,
}

fn scaled(row: &Bullet) -> Option<Scaled> {
    let positive = |v: Option<f64>| finite(v).filter(|v| *v > 0.0);
    let reference = positive(row.objective)
        .or(positive(row.last_year_full))
        .or(positive(row.last_year))?;
    let share = |v: Option<f64>| finite(v).map(|v| (v / reference).max(0.0));
    Some(Scaled {
        actual: share(row.actual),
        projection: share(row.projection),
        last_year: share(row.last_year),
        last_year_full: share(row.last_year_full),
        has_objective: positive(row.objective).is_some(),
    })
}

pub(super) fn bullets(
    ctx: &Ctx,
    rows: &[Bullet],
    elapsed: f64,
    elapsed_label: &str,
    names: &BulletLegend,
) -> Scene {
    if rows.is_empty() {
        return empty_scene(ctx, 200.0);
    }
    let elapsed = finite(Some(elapsed)).unwrap_or(0.0).clamp(0.0, 1.0);
    let scales: Vec<Option<Scaled>> = rows.iter().map(scaled).collect();
    let pal = &ctx.pal;
    let track = mix(pal.muted, WHITE_RGB, 0.84);
    let projection_fill = mix(pal.primary, WHITE_RGB, 0.62);
    let mut scene = Scene::new(0.0);

    // Legend: only the marks some row shows.
    let any = |f: fn(&Bullet, &Scaled) -> bool| {
        rows.iter()
            .zip(&scales)
            .any(|(r, s)| s.as_ref().is_some_and(|s| f(r, s)))
    };
    let mut entries: Vec<(Mark, &str)> = vec![(Mark::Actual, &names.actual)];
    if any(|_, s| s.projection.is_some()) {
        entries.push((Mark::Projection, &names.projection));
    }
    if any(|_, s| s.has_objective) {
        entries.push((Mark::Objective, &names.objective));
    }
    if any(|_, s| s.last_year.is_some()) {
        entries.push((Mark::LastYear, &names.last_year));
    }
    if any(|_, s| s.last_year_full.is_some()) {
        entries.push((Mark::LastYearFull, &names.last_year_full));
    }
    let show_elapsed = any(|r, _| r.cumulative);
    let mut top = 4.0 + legend(ctx, &mut scene, &entries, 2.0) + 10.0;

    // Columns: labels at left, statuses at right, bars between.
    let label_lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap_cut(ctx, &r.label, FONT, WIDTH * 0.27, 2))
        .collect();
    let status_lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            // A status may say where its lines break ("55 % à date" / "76 % projeté").
            r.status
                .split('\n')
                .flat_map(|part| wrap_cut(ctx, part, FONT, STATUS_W, 2))
                .take(3)
                .collect()
        })
        .collect();
    let label_w = label_lines
        .iter()
        .flatten()
        .map(|l| ctx.width(l, FONT, false))
        .chain(rows.iter().map(|r| ctx.width(&r.value, FONT_STRONG, true)))
        .fold(0.0, f64::max)
        .min(WIDTH * 0.3);
    let status_w = status_lines
        .iter()
        .flatten()
        .map(|l| ctx.width(l, FONT, true))
        .fold(0.0, f64::max);
    let bx0 = PAD + label_w + 18.0;
    let bx1 = WIDTH - 2.0 - status_w - 16.0;
    let top_share = scales
        .iter()
        .flatten()
        .flat_map(|s| [s.actual, s.projection, s.last_year, s.last_year_full])
        .flatten()
        .fold(1.0, f64::max)
        .min(MAX_SCALE);
    let fmax = (top_share * 4.0).ceil() / 4.0;
    let x = |f: f64| bx0 + f.clamp(0.0, fmax) / fmax * (bx1 - bx0);

    // The elapsed share, named once above the rows where its marker runs.
    if show_elapsed {
        let w = ctx.width(elapsed_label, FONT, true);
        let cx = x(elapsed).clamp(bx0 + w / 2.0, WIDTH - 2.0 - w / 2.0);
        scene.text(
            Label::new(elapsed_label, cx, top, pal.accent)
                .anchor(Anchor::Middle)
                .baseline(Baseline::Top)
                .bold(),
        );
        top += LINE + 6.0;
    }
    let heights: Vec<f64> = label_lines
        .iter()
        .zip(&status_lines)
        .map(|(l, s)| {
            ((l.len() + 1) as f64 * LINE)
                .max(s.len() as f64 * LINE)
                .max(TRACK)
                + 16.0
        })
        .collect();
    let rows_top = top;
    let rows_bottom = top + heights.iter().sum::<f64>();

    // Gridlines at each quarter (each half on a wide scale), behind everything.
    let step = if fmax > 1.0 { 0.5 } else { 0.25 };
    let ticks: Vec<f64> = (0..=((fmax / step + 1e-9).floor() as usize))
        .map(|i| i as f64 * step)
        .collect();
    for &t in &ticks {
        scene.line(
            vec![(x(t), rows_top), (x(t), rows_bottom)],
            if t == 0.0 { pal.axis } else { pal.grid },
            1.0,
        );
    }

    let mut y0 = rows_top;
    for (i, row) in rows.iter().enumerate() {
        let h = heights[i];
        let cy = y0 + h / 2.0;
        // Label lines, then the figure.
        let lines = &label_lines[i];
        let block = (lines.len() + 1) as f64 * LINE;
        let first = cy - block / 2.0 + LINE / 2.0;
        for (j, line) in lines.iter().enumerate() {
            scene.text(Label::new(line, PAD, first + j as f64 * LINE, pal.text));
        }
        scene.text(
            Label::new(
                &truncate(ctx, &row.value, FONT_STRONG, label_w),
                PAD,
                first + lines.len() as f64 * LINE,
                pal.text,
            )
            .size(FONT_STRONG)
            .bold(),
        );
        // The status, coloured by how it reads.
        let color = match row.tone {
            Tone::Good => pal.good,
            Tone::Bad => pal.bad,
            Tone::Warning => mix(pal.warning, pal.text, 0.35),
            Tone::Neutral => pal.muted,
        };
        let status = &status_lines[i];
        let first = cy - (status.len() as f64 - 1.0) * LINE / 2.0;
        for (j, line) in status.iter().enumerate() {
            scene.text(
                Label::new(line, WIDTH - 2.0, first + j as f64 * LINE, color)
                    .anchor(Anchor::End)
                    .bold(),
            );
        }
        if let Some(s) = &scales[i] {
            scene.rect(x(0.0), cy - TRACK / 2.0, x(1.0), cy + TRACK / 2.0, track);
            if let Some(p) = s.projection {
                scene.rect(
                    x(0.0),
                    cy - BAR / 2.0,
                    x(p),
                    cy + BAR / 2.0,
                    projection_fill,
                );
            }
            if let Some(a) = s.actual {
                scene.rect(x(0.0), cy - BAR / 2.0, x(a), cy + BAR / 2.0, pal.primary);
            }
            if let Some(l) = s.last_year {
                mark(&mut scene, ctx, Mark::LastYear, x(l), cy);
            }
            if let Some(l) = s.last_year_full {
                mark(&mut scene, ctx, Mark::LastYearFull, x(l), cy);
            }
            if s.has_objective {
                mark(&mut scene, ctx, Mark::Objective, x(1.0), cy);
            }
            if row.cumulative {
                mark(&mut scene, ctx, Mark::Elapsed, x(elapsed), cy);
            }
        }
        y0 += h;
    }
    if show_elapsed {
        // The marker runs on between rows, so the eye follows one line down the chart.
        scene.dashed(
            vec![(x(elapsed), rows_top - 4.0), (x(elapsed), rows_bottom)],
            mix(pal.accent, WHITE_RGB, 0.55),
            1.0,
            (3.0, 4.0),
        );
    }
    // The scale under the rows.
    for &t in &ticks {
        let text = ctx.fmt.percent(ctx.dec(t), 0);
        scene.text(
            Label::new(&text, x(t), rows_bottom + 6.0, pal.muted)
                .anchor(Anchor::Middle)
                .baseline(Baseline::Top),
        );
    }
    scene.height = (rows_bottom + 6.0 + LINE + 4.0).round();
    scene
}

/// The marks of a bullet row, drawn the same in the rows and the legend.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Actual,
    Projection,
    Objective,
    LastYear,
    LastYearFull,
    Elapsed,
}

fn mark(scene: &mut Scene, ctx: &Ctx, kind: Mark, x: f64, cy: f64) {
    let pal = &ctx.pal;
    match kind {
        Mark::Actual => scene.rect(
            x - 8.0,
            cy - BAR / 2.0,
            x + 8.0,
            cy + BAR / 2.0,
            pal.primary,
        ),
        Mark::Projection => scene.rect(
            x - 8.0,
            cy - BAR / 2.0,
            x + 8.0,
            cy + BAR / 2.0,
            mix(pal.primary, WHITE_RGB, 0.62),
        ),
        Mark::Objective => scene.rect(x - 1.5, cy - 16.0, x + 1.5, cy + 16.0, pal.text),
        Mark::LastYear => scene.rect(x - 1.5, cy - 10.0, x + 1.5, cy + 10.0, pal.muted),
        Mark::LastYearFull => scene.shapes.push(Shape::Polygon {
            points: vec![(x, cy - 7.0), (x + 7.0, cy), (x, cy + 7.0), (x - 7.0, cy)],
            fill: pal.muted,
        }),
        Mark::Elapsed => scene.rect(x - 1.0, cy - 19.0, x + 1.0, cy + 19.0, pal.accent),
    }
}

/// The legend row (or rows): each mark as drawn, then its name; returns its height.
fn legend(ctx: &Ctx, scene: &mut Scene, entries: &[(Mark, &str)], y: f64) -> f64 {
    let mut x = 0.0;
    let mut row = 0.0;
    for (kind, name) in entries {
        let name = truncate(ctx, name, FONT, WIDTH - 30.0);
        let w = 16.0 + 7.0 + ctx.width(&name, FONT, false);
        if x > 0.0 && x + w > WIDTH {
            x = 0.0;
            row += LINE + 8.0;
        }
        let cy = y + row + LINE / 2.0 + 2.0;
        // Marks are drawn at their row size, scaled down for the tall ones.
        match kind {
            Mark::Objective => scene.rect(x + 6.5, cy - 9.0, x + 9.5, cy + 9.0, ctx.pal.text),
            Mark::LastYear => scene.rect(x + 6.5, cy - 8.0, x + 9.5, cy + 8.0, ctx.pal.muted),
            _ => mark(scene, ctx, *kind, x + 8.0, cy),
        }
        scene.text(Label::new(&name, x + 23.0, cy, ctx.pal.text));
        x += w + 22.0;
    }
    row + LINE + 4.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::model::ChartSpec;
    use crate::render::charts::testing::*;
    use crate::render::charts::{ChartStyle, layout};
    use plotters::prelude::RGBColor;

    /// The samples of this kind draw valid, accessible SVG, and lay their labels out
    /// inside the picture without overlaps, in both languages.
    #[test]
    fn bullet_samples_read_well() {
        samples_of_a_kind_read_well(|spec| matches!(spec, ChartSpec::Bullets { .. }));
    }

    /// Every shape of a row, by its fill, left to right: what a reader sees.
    fn rects(scene: &Scene) -> Vec<(f64, f64, f64, f64, RGBColor)> {
        scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                } => Some((*x0, *y0, *x1, *y1, *fill)),
                _ => None,
            })
            .collect()
    }

    /// Issue 13: "74 % at 75 % of the year cannot be judged". The actual bar of a row at
    /// 74 % of its objective ends just short of the elapsed marker at 75 %, and the
    /// objective's mark sits at the end of the track.
    #[test]
    fn the_elapsed_marker_sits_where_an_on_track_bar_would_end() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let spec = bullet_spec(vec![bullet(
            "CA",
            Some(740.0),
            Some(1000.0),
            Some(990.0),
            true,
        )]);
        let scene = layout(&ctx, &spec);
        let r = rects(&scene);
        let actual = r
            .iter()
            .find(|s| s.4 == ctx.pal.primary && s.2 - s.0 > 50.0)
            .expect("the actual bar");
        let elapsed = r
            .iter()
            .find(|s| s.4 == ctx.pal.accent && s.3 - s.1 > 30.0)
            .expect("the elapsed marker");
        let objective = r
            .iter()
            .find(|s| s.4 == ctx.pal.text && s.3 - s.1 > 30.0)
            .expect("the objective's mark");
        let track_end = r
            .iter()
            .filter(|s| (s.3 - s.1 - TRACK).abs() < 0.1)
            .map(|s| s.2)
            .next()
            .expect("the track");
        let start = actual.0;
        let unit = (track_end - start) / 1.0;
        assert!((actual.2 - (start + 0.74 * unit)).abs() < 0.5, "{actual:?}");
        let marker = (elapsed.0 + elapsed.2) / 2.0;
        assert!((marker - (start + 0.75 * unit)).abs() < 0.5, "{marker}");
        assert!(actual.2 < marker, "74 % ends short of 75 %");
        assert!((objective.0 + objective.2) / 2.0 - track_end < 0.5);
    }

    #[test]
    fn a_rate_has_no_projection_and_no_elapsed_marker() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let spec = bullet_spec(vec![bullet("Taux", Some(0.18), Some(0.2), None, false)]);
        let scene = layout(&ctx, &spec);
        let r = rects(&scene);
        let light = mix(ctx.pal.primary, WHITE_RGB, 0.62);
        // The legend's swatch only: no projection bar, no elapsed marker in the row.
        assert!(r.iter().all(|s| s.4 != light));
        assert!(r.iter().all(|s| s.4 != ctx.pal.accent));
        assert!(scene.labels().all(|l| l.text != "75 % de l'exercice"));
    }

    #[test]
    fn a_row_without_objective_is_drawn_against_last_year() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let mut row = bullet("Leads", Some(300.0), None, None, true);
        row.last_year_full = Some(400.0);
        row.last_year = Some(290.0);
        let scene = layout(&ctx, &bullet_spec(vec![row]));
        let diamonds = scene
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Polygon { .. }))
            .count();
        assert_eq!(diamonds, 2, "the legend's and the row's");
        let r = rects(&scene);
        assert!(r.iter().all(|s| !(s.4 == ctx.pal.text && s.3 - s.1 > 30.0)));
    }

    #[test]
    fn a_row_without_reference_shows_its_figure_and_no_bar() {
        let fmt = fr();
        let style = ChartStyle::default();
        let ctx = Ctx::new(&style, &fmt);
        let scene = layout(
            &ctx,
            &bullet_spec(vec![bullet("Clients perdus", Some(23.0), None, None, true)]),
        );
        assert!(scene.labels().any(|l| l.text == "Clients perdus"));
        assert!(
            rects(&scene)
                .iter()
                .all(|s| (s.3 - s.1 - TRACK).abs() > 0.1)
        );
    }
}
