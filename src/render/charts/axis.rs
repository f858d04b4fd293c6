//! What every chart kind shares around its data: value axes with round ticks, category
//! labels (wrapped, thinned or turned so that none overlaps), the legend, and the text
//! of a reference line.

use rust_decimal::Decimal;

use super::scene::{Anchor, Baseline, Label, Scene, finite, truncate, wrap_cut, wrap_fit};
use super::style::{Ctx, Paint};
use super::{FONT, LINE, NBSP, WIDTH};
use crate::present::model::{Reference, Series, ValueUnit};
use crate::vocab::Language;

/// A nice value axis: ticks at multiples of 1, 2 or 5 × 10^e covering `[lo, hi]`.
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<(f64, String)>,
}

impl Axis {
    pub(super) fn label_width(&self, ctx: &Ctx) -> f64 {
        self.ticks
            .iter()
            .map(|(_, t)| ctx.width(t, FONT, false))
            .fold(0.0, f64::max)
    }
}

pub(super) fn decimal_of(n: i64, e: i32) -> Decimal {
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
pub(super) fn value_axis(
    ctx: &Ctx,
    unit: ValueUnit,
    lo: f64,
    hi: f64,
    max_intervals: usize,
) -> Axis {
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
pub(super) fn tidy_compact(labels: &mut [String], language: Language) {
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
pub(super) struct CategoryLabels {
    /// Lines per category; empty when the label is left out (thinned).
    pub(super) lines: Vec<Vec<String>>,
    pub(super) vertical: bool,
    /// Height they take under the plot.
    pub(super) height: f64,
}

pub(super) fn category_labels(
    ctx: &Ctx,
    cats: &[String],
    slot_w: f64,
    thin: bool,
) -> CategoryLabels {
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
pub(super) fn compact_years(cats: &[String]) -> Vec<String> {
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

pub(super) fn draw_category_labels(
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
pub(super) enum Swatch {
    Block,
    Stroke,
}

/// A legend row (or rows) at the top left; returns its height.
pub(super) fn legend(
    ctx: &Ctx,
    scene: &mut Scene,
    entries: &[(Paint, String, Swatch)],
    y: f64,
) -> f64 {
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

/// Values of `series` over `n` categories, non-finite values dropped.
pub(super) fn series_values(series: &[Series], n: usize) -> Vec<Vec<Option<f64>>> {
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
pub(super) fn reference_text(ctx: &Ctx, unit: ValueUnit, reference: &Reference) -> String {
    let label = reference.label.trim();
    if label.chars().any(|c| c.is_ascii_digit()) {
        label.to_string()
    } else if label.is_empty() {
        ctx.value_label(unit, reference.value)
    } else {
        ctx.colon(label, &ctx.value_label(unit, reference.value))
    }
}

/// Which series get a slot in each category group, and whether a legend is needed.
pub(super) struct Grouping {
    /// Series with at least one value, in order.
    pub(super) visible: Vec<usize>,
    /// Every category has at most one value: one full-width bar each, coloured by its
    /// series, and the category names say what the bars are (no legend).
    pub(super) single: bool,
}

pub(super) fn grouping(vals: &[Vec<Option<f64>>], n: usize) -> Grouping {
    let visible: Vec<usize> = (0..vals.len())
        .filter(|&s| vals[s].iter().any(Option::is_some))
        .collect();
    let single = visible.len() > 1
        && (0..n).all(|i| visible.iter().filter(|&&s| vals[s][i].is_some()).count() <= 1);
    Grouping { visible, single }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Formatter;
    use crate::present::model::{ChartSpec, SeriesRole};
    use crate::render::charts::testing::*;
    use crate::render::charts::{ChartStyle, layout, render_svg};
    use chrono::NaiveDate;

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
}
