//! Figures in the consultant's notes come from the data.
//!
//! A note writes `{{ clients.reconquest_rate }}` where it quotes a figure, and the build
//! puts the figure there, formatted in the report's language by the same formatter as
//! every table, so that a note can never contradict its data (deliverable.md, "One truth
//! per figure"). A path is any metrics.json path of one figure, or
//! `objectives.<key>.<figure>` (`landing` is the year-end figure the report shows:
//! the seasonal projection where the build uses it); modifiers cover what prose needs:
//!
//! - `| k`: money in thousands or millions (`3,7 M€`, `409 k€`);
//! - `| pts`: a share as percentage points (`32,6 pts`);
//! - `| abs`: the absolute value (`a fall of {{ revenue.growth | abs }}`);
//! - `| plural: "affaire"` (or `plural: "cheval", "chevaux"`): a count with its noun,
//!   agreed (`68 affaires`, `1 affaire`).
//!
//! An unknown path is an error at the placeholder, with the nearest paths, like a plan
//! KPI. Placeholders inside code (`` `{{ x }}` ``) and escaped ones (`\{{`) are left as
//! written. The expansion happens once, on the Markdown, before either renderer sees it,
//! so the PDF and the HTML print the same text.

use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};
use crate::glossary::{self, Unit};
use crate::i18n::Formatter;
use crate::vocab::Language;

/// A note's Markdown with its placeholders replaced, and what went wrong.
#[derive(Debug, Default)]
pub struct Expanded {
    pub markdown: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a note's body sits, for diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct NoteSource<'a> {
    pub path: &'a Path,
    /// The 1-based line of the file where the body starts (after any front matter).
    pub first_line: usize,
}

/// What placeholders read figures from and how they write them.
pub struct FigureSource<'a> {
    /// metrics.json, as a value.
    pub metrics: &'a Value,
    pub fmt: &'a Formatter,
    pub currency: &'a str,
}

/// One `{{ … }}` found in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Placeholder<'a> {
    /// Byte range of the whole `{{ … }}`.
    span: Range<usize>,
    path: &'a str,
    modifiers: Vec<Modifier<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Modifier<'a> {
    Compact,
    Points,
    Absolute,
    Plural { one: String, many: Option<String> },
    Unknown(&'a str),
}

const MODIFIERS: &str = "`k`, `pts`, `abs`, `plural: \"noun\"`";

/// Replaces every placeholder of `markdown`.
pub fn expand(markdown: &str, source: NoteSource<'_>, figures: &FigureSource<'_>) -> Expanded {
    let mut out = Expanded {
        markdown: String::with_capacity(markdown.len()),
        diagnostics: Vec::new(),
    };
    let Ranges { code, html } = ranges(markdown);
    let mut copied = 0;
    let mut more = 0;
    for placeholder in find(markdown) {
        if within(&code, &placeholder.span) {
            continue;
        }
        out.markdown
            .push_str(&markdown[copied..placeholder.span.start]);
        copied = placeholder.span.end;
        let at = |message: String| {
            Diagnostic::error(message).in_file(source.path).at(shifted(
                markdown,
                placeholder.span.clone(),
                source.first_line,
            ))
        };
        let rendered = render(&placeholder, figures);
        if rendered.is_err() && out.diagnostics.len() >= MAX_PROBLEMS {
            // Beyond the first problems of a note, count the rest: each one costs a
            // search for the nearest figures and a copy of its line.
            more += 1;
            out.markdown.push_str(&markdown[placeholder.span.clone()]);
            continue;
        }
        match rendered {
            // Markdown escapes are not read inside raw HTML (a `title="..."` attribute
            // would show `1\,2 M€`): there the figure is escaped as HTML text instead.
            Ok(Rendered::Text(text)) if within(&html, &placeholder.span) => {
                out.markdown.push_str(&escape_html(&text))
            }
            Ok(Rendered::Text(text)) => out.markdown.push_str(&escape_markdown(&text)),
            Ok(Rendered::NotAvailable(text)) => {
                out.markdown.push_str(&text);
                out.diagnostics.push(
                    Diagnostic::warning(format!(
                        "`{}` cannot be computed with this data: the note shows `{text}`",
                        placeholder.path
                    ))
                    .in_file(source.path)
                    .at(shifted(
                        markdown,
                        placeholder.span.clone(),
                        source.first_line,
                    ))
                    .label("this figure is not available")
                    .help("the data-quality annex says which tables or history are missing"),
                );
            }
            Err(Problem::UnknownPath(nearest)) => {
                let mut d = at(format!("unknown figure `{}`", placeholder.path))
                    .label("expected a metrics.json path of one figure");
                if let Some(best) = nearest.first() {
                    d = d.help(format!("did you mean `{{{{ {best} }}}}`?"));
                }
                if nearest.len() > 1 {
                    d = d.note(format!("other close figures: {}", nearest[1..].join(", ")));
                }
                out.diagnostics.push(d);
                out.markdown.push_str(&markdown[placeholder.span.clone()]);
            }
            Err(Problem::NotAFigure(children)) => {
                let mut d = at(format!("`{}` is a table, not one figure", placeholder.path))
                    .label("expected the path of one figure");
                if !children.is_empty() {
                    d = d.help(format!(
                        "name one of its figures, e.g. {}",
                        children.join(", ")
                    ));
                }
                out.diagnostics.push(d);
                out.markdown.push_str(&markdown[placeholder.span.clone()]);
            }
            Err(Problem::Modifier(message)) => {
                out.diagnostics.push(
                    at(message)
                        .label("expected a modifier that fits this figure")
                        .note(format!("modifiers: {MODIFIERS}")),
                );
                out.markdown.push_str(&markdown[placeholder.span.clone()]);
            }
        }
    }
    out.markdown.push_str(&markdown[copied..]);
    if more > 0 {
        out.diagnostics.push(
            Diagnostic::error(format!(
                "and {more} more placeholder{} with a problem in this note",
                if more == 1 { "" } else { "s" }
            ))
            .in_file(source.path)
            .help("fix the ones above first: the rest are often the same mistake"),
        );
    }
    out
}

/// Problems reported per note; beyond, they are counted.
const MAX_PROBLEMS: usize = 20;

/// A location in the note's file from a byte range of its body.
fn shifted(body: &str, span: Range<usize>, first_line: usize) -> Location {
    let mut location = Location::from_span(body, span);
    location.line += first_line.saturating_sub(1);
    location
}

/// The `{{ … }}` of a text, in order. Malformed ones (no closing `}}` on the line) are
/// left alone: they are text.
fn find(text: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        from = start + 2;
        if text[..start].ends_with('\\') {
            continue;
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let Some(close) = text[start + 2..line_end].find("}}") else {
            // Nothing closes on this line, so no later `{{` of it can close either:
            // skipping the line keeps the scan linear (a line of 300,000 `{{`).
            from = line_end;
            continue;
        };
        let inner = &text[start + 2..start + 2 + close];
        let end = start + 2 + close + 2;
        let mut parts = split_outside_quotes(inner).into_iter();
        // A path with spaces is kept as written, so that it is reported as an unknown
        // figure rather than printed as it is.
        let path = parts.next().unwrap_or("").trim();
        if path.is_empty() {
            continue;
        }
        let modifiers = parts.map(parse_modifier).collect();
        found.push(Placeholder {
            span: start..end,
            path,
            modifiers,
        });
        from = end;
    }
    found
}

/// Splits on `|` outside double quotes.
fn split_outside_quotes(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '|' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_modifier(text: &str) -> Modifier<'_> {
    let text = text.trim();
    match text {
        "k" => return Modifier::Compact,
        "pts" => return Modifier::Points,
        "abs" => return Modifier::Absolute,
        _ => {}
    }
    if let Some(args) = text.strip_prefix("plural").map(str::trim_start)
        && let Some(args) = args.strip_prefix(':')
        && let Some(words) = quoted_words(args)
    {
        match words.as_slice() {
            [one] => {
                return Modifier::Plural {
                    one: one.to_string(),
                    many: None,
                };
            }
            [one, many] => {
                return Modifier::Plural {
                    one: one.to_string(),
                    many: Some(many.to_string()),
                };
            }
            _ => {}
        }
    }
    Modifier::Unknown(text)
}

/// `"one"` or `"one", "many"`, exactly: non-empty words in double quotes, separated by a
/// comma, nothing else. Anything else (an unclosed quote, trailing text, braces) is not
/// a plural and is reported, never printed half-parsed.
fn quoted_words(args: &str) -> Option<Vec<&str>> {
    let mut words = Vec::new();
    let mut rest = args.trim();
    loop {
        let body = rest.strip_prefix('"')?;
        let close = body.find('"')?;
        let word = &body[..close];
        if word.trim().is_empty() || word.contains(['{', '}']) {
            return None;
        }
        words.push(word);
        rest = body[close + 1..].trim_start();
        if rest.is_empty() {
            return Some(words);
        }
        rest = rest.strip_prefix(',')?.trim_start();
    }
}

/// Byte ranges of a note where a placeholder is not Markdown text.
struct Ranges {
    /// Inline code and code blocks, where placeholders are text.
    code: Vec<Range<usize>>,
    /// Raw HTML (tags and HTML blocks), where Markdown escapes are not read.
    html: Vec<Range<usize>>,
}

fn ranges(markdown: &str) -> Ranges {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut found = Ranges {
        code: Vec::new(),
        html: Vec::new(),
    };
    let mut block_start = None;
    for (event, range) in Parser::new_ext(markdown, Options::all()).into_offset_iter() {
        match event {
            Event::Code(_) => found.code.push(range),
            Event::Html(_) | Event::InlineHtml(_) => found.html.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    found.code.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether `span` lies inside one of `ranges` (sorted, as the parser found them).
fn within(ranges: &[Range<usize>], span: &Range<usize>) -> bool {
    let i = ranges.partition_point(|r| r.end < span.end);
    ranges
        .get(i)
        .is_some_and(|r| r.start <= span.start && span.end <= r.end)
}

/// A figure as HTML text: it cannot end the attribute or the tag it is written in.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Backslash-escapes ASCII punctuation, so that an inserted figure stays text (`-3,0 %`
/// at the start of a line is not a list item).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

enum Rendered {
    Text(String),
    /// The figure exists but is null; the formatter's "n.d.".
    NotAvailable(String),
}

enum Problem {
    UnknownPath(Vec<String>),
    NotAFigure(Vec<String>),
    Modifier(String),
}

/// The value at a path: metrics.json paths, and `objectives.<key>.<figure>`.
fn lookup<'v>(metrics: &'v Value, path: &str) -> Result<&'v Value, Problem> {
    if let Some(rest) = path.strip_prefix("objectives.")
        && let Some((key, figure)) = rest.rsplit_once('.')
    {
        let found = metrics
            .get("objectives")
            .and_then(Value::as_array)
            .and_then(|list| {
                list.iter()
                    .find(|o| o.get("key").and_then(Value::as_str) == Some(key))
            })
            .and_then(|o| {
                // `landing`: the year-end figure the report shows, seasonal when the
                // build projects seasonally and the seasonal figure exists.
                if figure == "landing" {
                    let seasonal = metrics.get("projection_method").and_then(Value::as_str)
                        == Some("seasonal");
                    return o
                        .get("projection_seasonal")
                        .filter(|v| seasonal && !v.is_null())
                        .or_else(|| o.get("projection"));
                }
                o.get(figure)
            });
        if let Some(v) = found {
            return Ok(v);
        }
    }
    let mut node = metrics;
    for segment in path.split('.') {
        node = node.get(segment).ok_or_else(|| {
            Problem::UnknownPath(crate::assess::kpi::nearest_paths(metrics, path, 3))
        })?;
    }
    match node {
        Value::Object(_) | Value::Array(_) => Err(Problem::NotAFigure(
            crate::assess::kpi::numeric_paths(node)
                .into_iter()
                .take(3)
                .map(|c| format!("`{path}.{c}`"))
                .collect(),
        )),
        v => Ok(v),
    }
}

fn render(p: &Placeholder<'_>, figures: &FigureSource<'_>) -> Result<Rendered, Problem> {
    let value = lookup(figures.metrics, p.path)?;
    let fmt = figures.fmt;
    let unit = glossary::unit_of(p.path);
    if let Some(Modifier::Unknown(m)) = p
        .modifiers
        .iter()
        .find(|m| matches!(m, Modifier::Unknown(_)))
    {
        return Err(Problem::Modifier(format!("unknown modifier `{m}`")));
    }
    let number = match value {
        Value::Null => return Ok(Rendered::NotAvailable(fmt.not_available().to_string())),
        Value::String(s) => {
            if !p.modifiers.is_empty() {
                return Err(Problem::Modifier(format!(
                    "`{}` is a text: it takes no modifier",
                    p.path
                )));
            }
            return Ok(Rendered::Text(match unit {
                Some(Unit::Date) => s
                    .parse::<chrono::NaiveDate>()
                    .map_or_else(|_| s.clone(), |d| fmt.date(d)),
                _ => s.clone(),
            }));
        }
        Value::Number(n) => {
            let text = n.to_string();
            text.parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(&text))
                .map_err(|_| Problem::NotAFigure(Vec::new()))?
        }
        Value::Bool(_) | Value::Object(_) | Value::Array(_) => {
            return Err(Problem::NotAFigure(Vec::new()));
        }
    };
    let number = if p.modifiers.contains(&Modifier::Absolute) {
        number.abs()
    } else {
        number
    };
    let unit = unit.unwrap_or(if number.fract().is_zero() {
        Unit::Count
    } else {
        Unit::Share
    });
    let compact = p.modifiers.contains(&Modifier::Compact);
    let points = p.modifiers.contains(&Modifier::Points);
    let plural = p.modifiers.iter().find_map(|m| match m {
        Modifier::Plural { one, many } => Some((one, many)),
        _ => None,
    });
    if compact && !matches!(unit, Unit::Money | Unit::MoneyCents) {
        return Err(Problem::Modifier(format!(
            "`| k` writes money; `{}` is not an amount",
            p.path
        )));
    }
    if points && !matches!(unit, Unit::Share | Unit::Points) {
        return Err(Problem::Modifier(format!(
            "`| pts` writes a share in points; `{}` is not a share",
            p.path
        )));
    }
    if plural.is_some() && unit != Unit::Count {
        return Err(Problem::Modifier(format!(
            "`| plural` agrees a noun with a count; `{}` is not a count",
            p.path
        )));
    }
    let currency = figures.currency;
    let text = match unit {
        Unit::Money if compact => fmt.money_compact(number, currency),
        Unit::MoneyCents if compact => fmt.money_compact(number, currency),
        Unit::Money => fmt.money(number, currency),
        Unit::MoneyCents => fmt.money_cents(number, currency),
        Unit::Share if points => fmt
            .points(number * Decimal::ONE_HUNDRED)
            .trim_start_matches('+')
            .to_string(),
        Unit::Share if p.path == "elapsed_share" => fmt.elapsed(number),
        Unit::Share => fmt.percent(number, 1),
        Unit::Growth => {
            if p.modifiers.contains(&Modifier::Absolute) {
                fmt.percent(number, 1)
            } else {
                fmt.growth(number)
            }
        }
        Unit::Points => fmt.points(number),
        Unit::Count => {
            // A year-end projection of a count, written as the report's tables write it.
            let projected = p.path.starts_with("objectives.")
                && [".landing", ".projection", ".projection_seasonal"]
                    .iter()
                    .any(|f| p.path.ends_with(f));
            let count = if projected {
                fmt.projected_count(number)
            } else {
                fmt.number(number, 0)
            };
            match plural {
                Some((one, many)) => {
                    let noun = if fmt.is_singular(number) {
                        one.clone()
                    } else {
                        many.clone().unwrap_or_else(|| pluralise(one))
                    };
                    format!("{count}\u{a0}{noun}")
                }
                None => count,
            }
        }
        Unit::Hours => format!("{}\u{a0}h", fmt.number(number, 0)),
        Unit::Days => match fmt.language() {
            Language::Fr => format!("{}\u{a0}jours", fmt.number(number, 0)),
            Language::En => format!("{}\u{a0}days", fmt.number(number, 0)),
        },
        Unit::Date | Unit::Text => fmt.number(number, 0),
    };
    Ok(Rendered::Text(text))
}

/// The regular plural of a noun, in French and English alike: an `s`, unless it already
/// ends in s, x or z. Irregular nouns are written `plural: "cheval", "chevaux"`.
fn pluralise(noun: &str) -> String {
    if noun.ends_with(['s', 'x', 'z']) {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metrics() -> Value {
        json!({
            "as_of": "2025-09-30",
            "elapsed_share": 0.7479,
            "client": "Maison *Vidal*",
            "revenue": {"total": 3694268.77, "lost": 409959.5, "growth": -0.0312, "conquest": 176130.51},
            "clients": {"reconquest_rate": 0.0625, "new": 48, "lost": 1},
            "pareto": {"C": {"effort_share": 0.326}},
            "leads": {"total": {"won": 68, "median_cycle_days": 41.5, "cost_per_lead": 37.5, "win_rate": null}},
            "time": {"total_hours": 1463.75, "by_activity": {"visit": {"gap_pts": -7.25}}},
            "objectives": [{"key": "revenue.total", "target": 3660000.0, "projection": 3594268.77, "achievement": 0.7345},
                           {"key": "clients.new", "target": 80, "actual": 48, "projection": 64.1758}]
        })
    }

    fn run(text: &str, language: Language) -> Expanded {
        let fmt = Formatter::new(language);
        let m = metrics();
        let source = FigureSource {
            metrics: &m,
            fmt: &fmt,
            currency: "EUR",
        };
        expand(
            text,
            NoteSource {
                path: Path::new("notes/00-summary.md"),
                first_line: 4,
            },
            &source,
        )
    }

    /// The expanded Markdown as a reader sees it (escapes removed).
    fn read(e: &Expanded) -> String {
        e.markdown
            .replace('\\', "")
            .replace(['\u{a0}', '\u{202f}'], " ")
    }

    #[test]
    fn figures_are_written_by_their_unit_in_the_report_language() {
        let text = "CA {{ revenue.total }}, reconquête {{clients.reconquest_rate}}, \
                    {{ clients.new }} nouveaux, cycle {{ leads.total.median_cycle_days }}, \
                    {{ time.total_hours }}, coût {{ leads.total.cost_per_lead }}, \
                    évolution {{ revenue.growth }}, écart {{ time.by_activity.visit.gap_pts }}, \
                    au {{ as_of }}.";
        let e = run(text, Language::Fr);
        assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
        assert_eq!(
            read(&e),
            "CA 3 694 269 €, reconquête 6,3 %, 48 nouveaux, cycle 42 jours, 1 464 h, \
             coût 37,50 €, évolution -3,1 %, écart -7,3 pts, au 30 septembre 2025."
        );
        let e = run(
            "{{ revenue.total }} and {{ clients.reconquest_rate }}",
            Language::En,
        );
        assert_eq!(read(&e), "€3,694,269 and 6.3%");
    }

    /// The report says "75 % de l'exercice écoulé" on its dashboard and in every
    /// section's introduction; a note quoting the same figure must not say 74,8 %.
    #[test]
    fn the_elapsed_share_in_a_note_is_written_as_the_report_writes_it() {
        let e = run("{{ elapsed_share }} de l'exercice", Language::Fr);
        assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
        assert_eq!(read(&e), "75 % de l'exercice");
        let e = run("{{ elapsed_share }} of the year", Language::En);
        assert_eq!(read(&e), "75% of the year");
    }

    #[test]
    fn a_projected_count_in_a_note_is_written_as_the_tables_write_it() {
        let e = run(
            "{{ objectives.clients.new.actual }} clients, {{ objectives.clients.new.landing }} en fin d'exercice",
            Language::Fr,
        );
        assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
        assert_eq!(read(&e), "48 clients, 64,2 en fin d'exercice");
    }

    #[test]
    fn modifiers_cover_what_prose_needs() {
        let e = run(
            "{{ revenue.total | k }} ; {{ revenue.lost | k }} ; {{ pareto.C.effort_share | pts }} ; \
             {{ revenue.growth | abs }} ; {{ leads.total.won | plural: \"affaire\" }} ; \
             {{ clients.lost | plural: \"client perdu\", \"clients perdus\" }} ; \
             {{ objectives.revenue.total.projection | k }}",
            Language::Fr,
        );
        assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
        assert_eq!(
            read(&e),
            "3,7 M€ ; 410 k€ ; 32,6 pts ; 3,1 % ; 68 affaires ; 1 client perdu ; 3,6 M€"
        );
        let e = run("{{ leads.total.won | plural: \"deal\" }}", Language::En);
        assert_eq!(read(&e), "68 deals");
    }

    #[test]
    fn an_unknown_path_is_an_error_at_the_placeholder_with_the_nearest_paths() {
        let e = run(
            "Intro.\n\nLe taux est de {{ clients.reconquest_rat }}.",
            Language::Fr,
        );
        assert_eq!(e.diagnostics.len(), 1);
        let d = &e.diagnostics[0];
        assert!(d.is_error());
        assert_eq!(d.message, "unknown figure `clients.reconquest_rat`");
        let at = d.location.as_ref().unwrap();
        assert_eq!(
            (at.line, at.column),
            (6, 16),
            "line 3 of the body, which starts on line 4"
        );
        assert!(
            d.help
                .iter()
                .any(|h| h.contains("{{ clients.reconquest_rate }}")),
            "{d:?}"
        );
    }

    #[test]
    fn tables_wrong_modifiers_and_nulls_are_reported() {
        let e = run(
            "{{ revenue }} {{ clients.new | k }} {{ revenue.total | bold }}",
            Language::Fr,
        );
        let messages: Vec<&str> = e.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`revenue` is a table, not one figure",
                "`| k` writes money; `clients.new` is not an amount",
                "unknown modifier `bold`"
            ]
        );
        let e = run("taux de gain {{ leads.total.win_rate }}", Language::Fr);
        assert_eq!(read(&e), "taux de gain n.d.");
        assert!(!e.diagnostics[0].is_error());
    }

    #[test]
    fn code_escapes_and_inserted_text_stay_text() {
        let e = run(
            "Écrire `{{ revenue.total }}` ou \\{{ revenue.total }} ; client {{ client }}\n\n```\n{{ revenue.total }}\n```\n{{ revenue.growth }} sur un an",
            Language::Fr,
        );
        assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
        assert!(e.markdown.contains("`{{ revenue.total }}`"));
        assert!(e.markdown.contains("\\{{ revenue.total }}"));
        assert!(e.markdown.contains("```\n{{ revenue.total }}\n```"));
        assert!(e.markdown.contains("Maison \\*Vidal\\*"), "{}", e.markdown);
        assert!(
            e.markdown.contains("\n\\-3"),
            "a figure at the start of a line is not a list item"
        );
    }

    #[test]
    fn a_figure_inside_a_raw_html_attribute_keeps_no_markdown_escapes() {
        let e = run(
            "<abbr title=\"{{ revenue.growth }} ; {{ client }}\">CA</abbr> et {{ revenue.growth }}\n\n<div>\n{{ client }}\n</div>",
            Language::Fr,
        );
        assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
        let (tag, rest) = e.markdown.split_once('>').expect("the tag");
        assert!(tag.starts_with("<abbr title=\""), "{tag}");
        assert!(
            !tag.contains('\\'),
            "markdown escapes in the attribute: {tag}"
        );
        assert!(tag.contains("Maison *Vidal*"), "{tag}");
        assert!(
            rest.contains(" et \\-3"),
            "outside HTML, figures stay escaped: {rest}"
        );
        assert!(
            e.markdown.ends_with("<div>\nMaison *Vidal*\n</div>"),
            "{}",
            e.markdown
        );
    }

    #[test]
    fn html_escaping_keeps_a_figure_inside_its_attribute() {
        assert_eq!(
            escape_html("a\"b' <c> & d"),
            "a&quot;b&#39; &lt;c&gt; &amp; d"
        );
    }

    #[test]
    fn malformed_plurals_and_paths_with_spaces_are_reported_not_printed() {
        for note in [
            "{{ leads.total.won | plural: \"a\\\"b\" }}",
            "{{ leads.total.won | plural: 'x' }}",
            "{{ leads.total.won | plural: \"unterminated }}",
            "{{ leads.total.won | plural: \"x\" junk }}",
            "{{ foo bar }}",
        ] {
            let e = run(note, Language::Fr);
            assert!(
                e.diagnostics.iter().any(Diagnostic::is_error),
                "{note} gave no error: {}",
                e.markdown
            );
        }
    }

    #[test]
    fn a_line_of_unclosed_braces_is_scanned_in_linear_time() {
        let line = "{{ ".repeat(300_000);
        assert!(find(&line).is_empty());
    }

    #[test]
    fn a_note_full_of_unknown_figures_reports_the_first_and_counts_the_rest() {
        let note = "{{ revenue.totaN }} ".repeat(4000);
        let e = run(&note, Language::Fr);
        assert_eq!(e.diagnostics.len(), MAX_PROBLEMS + 1);
        assert!(e.diagnostics.last().unwrap().message.contains("3980 more"));
    }
}
