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
//!
//! One file per concern: [`style`] (colours, fonts, text widths and series paints),
//! [`scene`] (shapes and labels in layout units, and fitting text into room), [`axis`]
//! (value axes, category labels, legends), [`paint`] (plotters' SVG backend and the
//! accessible root element), then one file per kind of chart: [`bars`], [`lines`],
//! [`pareto`], [`funnel`], [`timeline`].

mod axis;
mod bars;
mod bullets;
mod funnel;
mod lines;
mod matrix;
mod paint;
mod pareto;
mod scene;
mod style;
mod timeline;

#[cfg(test)]
mod testing;

use crate::i18n::Formatter;
use crate::present::model::{BrandView, Chart, ChartSpec};

use bars::{bars_horizontal, bars_vertical};
use bullets::bullets;
use funnel::funnel;
use lines::lines;
use matrix::{Matrix, matrix};
use paint::{finish, paint};
use pareto::{Cuts, pareto};
use scene::Scene;
use style::Ctx;
use timeline::timeline;

/// Width of every chart in SVG user units. Reports print charts about 16 cm wide, so
/// one unit is 0.63 pt and [`FONT`] prints at 9.5 pt; on screen a unit is a CSS pixel
/// at the report's usual column width.
pub const WIDTH: f64 = 720.0;
/// Text size of ticks, labels, values and legends (9.5 pt at 16 cm).
pub(super) const FONT: f64 = 15.0;
/// Emphasised labels: zone letters, reference and as-of labels.
pub(super) const FONT_STRONG: f64 = 16.0;
/// Line height of wrapped labels.
pub(super) const LINE: f64 = 19.0;
/// Height of vertical bar, line and Pareto charts.
pub(super) const PLOT_HEIGHT: f64 = 360.0;
pub(super) const NBSP: char = '\u{a0}';
/// Left margin of label columns, so accents and side bearings are never cut.
pub(super) const PAD: f64 = 4.0;
/// The SVG's coordinates are this many times finer than the layout's units:
/// plotters rounds coordinates to integers, and half units keep an 800-point curve
/// smooth and allow 1.5-unit strokes.
pub(super) const SCALE: f64 = 2.0;

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

/// A chart drawn for both outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartArt {
    /// The standalone SVG with its labels as SVG text, which the HTML page inlines.
    pub svg: String,
    /// The PDF's form: the shapes as SVG, the labels as data that the Typst template
    /// sets over them. Typst lays out each SVG text element with a fresh shaper and
    /// font (usvg's), which cost a tenth of a whole build; its own text is shaped once
    /// per distinct label and set in the document's fonts.
    pub pdf: PdfChart,
}

/// A chart as the PDF template draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfChart {
    /// The shapes, without the labels.
    pub shapes: String,
    /// The size of the SVG's `viewBox`, in the units of `labels`.
    pub width: u32,
    pub height: u32,
    pub labels: Vec<PlacedLabel>,
}

pub use paint::PlacedLabel;

/// Draws one chart as a standalone SVG document: a `viewBox` and no fixed size (it
/// takes the width of its container), `role="img"` with the chart's title and alt text
/// as `<title>` and `<desc>`.
pub fn render_svg(chart: &Chart, style: &ChartStyle, fmt: &Formatter) -> String {
    render(chart, style, fmt).svg
}

/// Draws one chart in the HTML's form ([`render_svg`]) and the PDF's.
pub fn render(chart: &Chart, style: &ChartStyle, fmt: &Formatter) -> ChartArt {
    let ctx = Ctx::new(style, fmt);
    let scene = layout(&ctx, &chart.spec);
    let svg = finish(
        &paint(&scene, &ctx.family, true),
        &scene,
        chart,
        &ctx.family,
    );
    let shapes = finish(
        &paint(&scene, &ctx.family, false),
        &scene,
        chart,
        &ctx.family,
    );
    ChartArt {
        svg,
        pdf: PdfChart {
            shapes,
            width: paint::len(scene.width),
            height: paint::len(scene.height),
            labels: paint::labels(&scene),
        },
    }
}

/// Draws every chart of a report, in order: `(id, drawing)`.
pub fn render_all(
    charts: &[Chart],
    style: &ChartStyle,
    fmt: &Formatter,
) -> Vec<(String, ChartArt)> {
    charts
        .iter()
        .map(|c| (c.id.clone(), render(c, style, fmt)))
        .collect()
}

/// Lays a chart out, by kind.
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
        ChartSpec::Bullets {
            rows,
            elapsed,
            elapsed_label,
            legend,
        } => bullets(ctx, rows, *elapsed, elapsed_label, legend),
        ChartSpec::Matrix {
            corner,
            rows,
            columns,
            cells,
            legend,
            legend_low,
            legend_high,
        } => matrix(
            ctx,
            &Matrix {
                corner,
                rows,
                columns,
                cells,
                legend,
                low: legend_low,
                high: legend_high,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::vocab::Language;

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

    /// The SVG's `<text>` elements in order: (x, y, anchor, rotated, text).
    fn svg_texts(svg: &str) -> Vec<(i32, i32, String, bool, String)> {
        let attr = |tag: &str, name: &str| -> Option<String> {
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        };
        let mut out = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find("<text ") {
            let tag_end = i + rest[i..].find('>').expect("tag end");
            let tag = &rest[i..tag_end];
            let body_end = tag_end + rest[tag_end..].find("</text>").expect("close");
            out.push((
                attr(tag, "x").unwrap().parse().unwrap(),
                attr(tag, "y").unwrap().parse().unwrap(),
                attr(tag, "text-anchor").unwrap(),
                tag.contains("rotate(270"),
                rest[tag_end + 1..body_end].trim().to_string(),
            ));
            rest = &rest[body_end..];
        }
        out
    }

    #[test]
    fn the_pdf_form_has_the_shapes_without_text_and_every_label_where_the_svg_puts_it() {
        let fmt = fr();
        let style = ChartStyle::default();
        let mut vertical = 0;
        // Forty long category names under vertical bars: turned a quarter.
        let names: Vec<String> = (1..=40)
            .map(|i| format!("Gamme professionnelle {i}"))
            .collect();
        let values: Vec<Option<f64>> = (1..=40).map(|i| Some(1000.0 * f64::from(i))).collect();
        let crowded = chart(
            "crowded",
            "Quarante gammes",
            ChartSpec::Bars {
                categories: names,
                series: vec![series(
                    "CA",
                    crate::present::model::SeriesRole::Primary,
                    &values,
                )],
                unit: crate::present::model::ValueUnit::Money,
                horizontal: false,
                reference: None,
            },
        );
        for c in samples(&fmt).iter().chain(&degenerate()).chain([&crowded]) {
            let art = render(c, &style, &fmt);
            assert!(!art.pdf.shapes.contains("<text"), "{}", c.id);
            assert!(
                art.pdf.shapes.contains("<title"),
                "{}: still accessible",
                c.id
            );
            assert!(
                art.svg.contains(&format!(
                    "viewBox=\"0 0 {} {}\"",
                    art.pdf.width, art.pdf.height
                )),
                "{}",
                c.id
            );
            let texts = svg_texts(&art.svg);
            assert_eq!(texts.len(), art.pdf.labels.len(), "{}", c.id);
            for (l, (x, y, anchor, rotated, text)) in art.pdf.labels.iter().zip(&texts) {
                assert_eq!((l.x, l.y), (*x, *y), "{}: {text}", c.id);
                assert_eq!(l.anchor, anchor, "{}: {text}", c.id);
                assert_eq!(l.vertical, *rotated, "{}: {text}", c.id);
                assert_eq!(&paint::xml_escape(&l.text), text, "{}", c.id);
                assert!(l.size > 20.0 && l.size < 40.0, "{}: {}", c.id, l.size);
                assert!(l.fill.starts_with('#') && l.fill.len() == 7, "{}", l.fill);
                vertical += usize::from(l.vertical);
            }
        }
        assert!(vertical > 0, "the samples include quarter-turned labels");
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

    /// Issue 13: "chart text never below footnote size". The PDF prints a chart across
    /// the text column (A4 less the template's side margins), so one layout unit is
    /// column / WIDTH points; every label is at least [`FONT`] units (checked on every
    /// sample by `check_svg`), which must print at least at the footnotes' 7.5 pt.
    #[test]
    fn chart_text_prints_at_least_at_footnote_size() {
        let lib = include_str!("../../../templates/typst/lib.typ");
        let side_mm: f64 = lib
            .split("margin: (top: 25mm, bottom: 22mm, x: ")
            .nth(1)
            .and_then(|rest| rest.split("mm").next())
            .and_then(|v| v.parse().ok())
            .expect("the page's side margins in lib.typ");
        assert!(
            lib.contains("image(b.path, width: 100%"),
            "charts span the column"
        );
        assert!(lib.contains("show footnote.entry: set text(size: 7.5pt)"));
        let column_pt = (210.0 - 2.0 * side_mm) / 25.4 * 72.0;
        let smallest_pt = FONT * column_pt / WIDTH;
        assert!(smallest_pt >= 7.5, "{smallest_pt:.2} pt");
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
