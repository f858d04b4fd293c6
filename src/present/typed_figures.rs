//! Hand-typed figures in notes are checked against the data.
//!
//! A consultant who types "29,9 %" in a note, where the data says 32,6 %, makes the
//! report contradict itself; so does "6,2 %" beside a table showing 6,3 %. Notes should
//! quote figures with placeholders ([`super::note_figures`]); this check finds the
//! percentages, amounts, points, hours and days still typed by hand, and warns when one is
//! close to, but not equal to, a computed figure of the same kind that the sentence is
//! about, naming the figure and the placeholder to use.
//!
//! The rule has to stay quiet on honest prose: a note is full of figures that come from
//! elsewhere (a market growing 3 % a year, a target of 50 % of visits). So a typed figure
//! is compared only with computed figures of its kind whose label shares the sentence's
//! distinctive words (weighted by how rare each word is among the labels, so that
//! "chiffre d'affaires" alone points nowhere), and it is left alone when any computed
//! figure of its kind equals it at the precision it was typed with. What is left:
//! - the sentence is clearly about the figure (most of its label's weight is in the
//!   sentence): a typed value within a fifth of it, or 5 points for a share, is a near
//!   miss ("29,9 %" for 32,6 % of contact time);
//! - the sentence mentions it: only a rounding drift (off by one unit of the last digit
//!   typed: "6,2 %" for 6,25 %, "1 463 heures" for 1 463,75) is reported.

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};
use crate::glossary::{self, Unit};
use crate::present::note_figures::NoteSource;

/// The kinds of typed figures, by the mark written after (or before) the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Percent,
    Points,
    Money,
    Hours,
    Days,
}

/// A figure typed in a note.
#[derive(Debug, Clone, PartialEq)]
struct Typed {
    span: Range<usize>,
    kind: Kind,
    /// In the unit computed figures are compared in (percent for shares).
    value: f64,
    /// One unit of the last digit typed (0.1 for "6,2 %", 10 000 for "410 000 €").
    precision: f64,
    signed: bool,
}

/// A computed figure the note could be quoting.
pub struct Candidate {
    pub path: String,
    /// The reader's label of the figure, in the note's language.
    pub label: String,
    unit: Unit,
    /// In the comparison unit (percent for shares).
    value: f64,
}

impl Candidate {
    /// Every figure of metrics.json worth comparing with, labelled by `label` (which
    /// returns `None` for figures without a reader's name).
    pub fn all(metrics: &Value, label: &dyn Fn(&str) -> Option<String>) -> Vec<Candidate> {
        let mut paths = crate::assess::kpi::numeric_paths(metrics);
        for o in metrics
            .get("objectives")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(key) = o.get("key").and_then(Value::as_str) {
                for figure in ["actual", "projection", "achievement"] {
                    paths.push(format!("objectives.{key}.{figure}"));
                }
            }
        }
        paths
            .into_iter()
            .filter(|p| {
                !p.starts_with("data_quality.")
                    && !p.starts_with("pareto.maturity.")
                    && !p.starts_with("pareto.effort.")
                    // A cut's landings are estimates derived from its revenue: a typed
                    // amount near one (last year's total, a target) is rarely a quote
                    // of it, and the objectives' landings already stand for the reps.
                    && !(p.starts_with("revenue.by_")
                        && (p.ends_with(".projection") || p.ends_with(".projection_seasonal")))
            })
            .filter_map(|path| {
                let unit = glossary::unit_of(&path)?;
                let raw = value_at(metrics, &path)?;
                let value = match unit {
                    Unit::Share => raw * 100.0,
                    Unit::Growth => raw * 100.0,
                    _ => raw,
                };
                Some(Candidate {
                    label: label(&path)?,
                    path,
                    unit,
                    value,
                })
            })
            .collect()
    }

    fn kind(&self) -> Option<Kind> {
        match self.unit {
            Unit::Share | Unit::Growth => Some(Kind::Percent),
            Unit::Points => Some(Kind::Points),
            Unit::Money | Unit::MoneyCents => Some(Kind::Money),
            Unit::Hours => Some(Kind::Hours),
            Unit::Days => Some(Kind::Days),
            _ => None,
        }
    }
}

fn value_at(metrics: &Value, path: &str) -> Option<f64> {
    if let Some(rest) = path.strip_prefix("objectives.")
        && let Some((key, figure)) = rest.rsplit_once('.')
    {
        return metrics
            .get("objectives")?
            .as_array()?
            .iter()
            .find(|o| o.get("key").and_then(Value::as_str) == Some(key))?
            .get(figure)?
            .as_f64();
    }
    path.split('.')
        .try_fold(metrics, |node, s| node.get(s))?
        .as_f64()
}

/// Typed figures checked per note.
const MAX_CHECKED: usize = 300;

/// Checks the hand-typed figures of a note's Markdown. `context` is added to every
/// sentence's words (a salesperson's note is about that salesperson).
pub fn check(
    markdown: &str,
    source: NoteSource<'_>,
    candidates: &[Candidate],
    context: &str,
) -> Vec<Diagnostic> {
    let skip = skipped_ranges(markdown);
    let weights = word_weights(candidates);
    let extra = words(context);
    let mut out = Vec::new();
    // A note with hundreds of typed figures is a table pasted as text: the check is a
    // reading aid for prose, and each figure costs a pass over its sentence, so only
    // the first ones are checked.
    for typed in find_typed(markdown).into_iter().take(MAX_CHECKED) {
        if skip
            .iter()
            .any(|r| r.start <= typed.span.start && typed.span.start < r.end)
        {
            continue;
        }
        let same_kind: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.kind() == Some(typed.kind))
            .collect();
        if same_kind.iter().any(|c| equal_at_precision(&typed, c)) {
            continue;
        }
        let mut sentence = words(sentence_around(markdown, typed.span.clone()));
        sentence.extend(extra.iter().cloned());
        let best = same_kind
            .iter()
            .filter_map(|c| {
                let coverage = coverage(&sentence, &c.label, &weights);
                (coverage > 0.0).then_some((coverage, *c))
            })
            .filter(|(coverage, c)| near_miss(&typed, c, *coverage))
            .max_by(|a, b| {
                a.0.total_cmp(&b.0).then_with(|| {
                    // Closer values first.
                    let da = (a.1.value - typed.value).abs();
                    let db = (b.1.value - typed.value).abs();
                    db.total_cmp(&da)
                })
            });
        if let Some((_, c)) = best {
            let typed_text = &markdown[typed.span.clone()];
            let mut location = Location::from_span(markdown, typed.span.clone());
            location.line += source.first_line.saturating_sub(1);
            out.push(
                Diagnostic::warning(format!(
                    "`{typed_text}` typed by hand differs from the data: the {} is {}",
                    c.label,
                    shown(c)
                ))
                .in_file(source.path)
                .at(location)
                .label("this figure does not match its data")
                .help(format!(
                    "write `{{{{ {} }}}}` so that the note always shows the computed figure",
                    c.path
                )),
            );
        }
    }
    out
}

/// A computed value as the warning shows it (plain, the report's own formatter is not
/// at hand here; the placeholder help says how to get the formatted one).
fn shown(c: &Candidate) -> String {
    let rounded = |v: f64, dp: u32| {
        Decimal::from_f64_retain(v)
            .unwrap_or_default()
            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
            .to_string()
    };
    match c.unit {
        Unit::Share | Unit::Growth => format!("{} %", rounded(c.value, 1)),
        Unit::Points => format!("{} pts", rounded(c.value, 1)),
        Unit::Money => rounded(c.value, 0),
        Unit::MoneyCents => rounded(c.value, 2),
        Unit::Hours => format!("{} h", rounded(c.value, 0)),
        Unit::Days => rounded(c.value, 0),
        _ => rounded(c.value, 2),
    }
}

fn equal_at_precision(t: &Typed, c: &Candidate) -> bool {
    let computed = if t.signed { c.value } else { c.value.abs() };
    let steps = |v: f64| {
        Decimal::from_f64_retain(v / t.precision)
            .map(|d| d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
    };
    steps(computed).is_some() && steps(computed) == steps(t.value)
}

/// How much of a label's weight the sentence carries, from 0 to 1.
fn coverage(sentence: &[String], label: &str, weights: &BTreeMap<String, f64>) -> f64 {
    let label_words = words(label);
    let total: f64 = label_words
        .iter()
        .map(|w| weights.get(w).copied().unwrap_or(1.0))
        .sum();
    if total == 0.0 {
        return 0.0;
    }
    let matched: f64 = label_words
        .iter()
        .filter(|w| sentence.iter().any(|s| same_word(s, w)))
        .map(|w| weights.get(w).copied().unwrap_or(1.0))
        .sum();
    matched / total
}

fn near_miss(t: &Typed, c: &Candidate, coverage: f64) -> bool {
    let computed = if t.signed { c.value } else { c.value.abs() };
    let gap = (computed - t.value).abs();
    let drift = gap <= t.precision * 1.0001;
    let about = coverage >= 0.5;
    let mentions = coverage >= 0.25;
    if about {
        let relative = if computed != 0.0 {
            gap / computed.abs()
        } else {
            f64::INFINITY
        };
        drift || relative <= 0.2 || (t.kind == Kind::Percent && gap <= 5.0)
    } else {
        mentions && drift
    }
}

/// Word weights: a word found in many labels ("chiffre", "clients") says little about
/// which figure a sentence is about; a rare one ("reconquête", a salesperson's name) says
/// a lot.
fn word_weights(candidates: &[Candidate]) -> BTreeMap<String, f64> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in candidates {
        let mut seen: Vec<String> = words(&c.label);
        seen.sort();
        seen.dedup();
        for w in seen {
            *counts.entry(w).or_default() += 1;
        }
    }
    let n = candidates.len().max(1) as f64;
    counts
        .into_iter()
        .map(|(w, k)| (w, (n / k as f64).ln().max(0.05)))
        .collect()
}

/// Two words are the same when one starts with the other's first five letters
/// (reconquête, reconquis; visites, visite), or they are equal.
fn same_word(a: &str, b: &str) -> bool {
    let stem = |w: &str| w.chars().take(5).collect::<String>();
    a == b || (a.chars().count() >= 5 && b.chars().count() >= 5 && stem(a) == stem(b))
}

/// Words of a text that carry meaning: folded to ASCII lowercase, without the common
/// little words of French and English; single capital letters are kept (class "C").
fn words(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "les", "des", "une", "pour", "par", "sur", "dans", "avec", "que", "qui", "est", "sont",
        "son", "ses", "aux", "the", "and", "from", "with", "for", "that", "this", "are", "was",
        "its", "their", "our", "leur", "leurs", "plus", "moins", "mais", "donc", "entre", "depuis",
        "soit", "ont", "été", "ete",
    ];
    let mut out = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() || raw.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if raw.len() == 1 && raw.chars().all(|c| c.is_ascii_uppercase()) {
            out.push(raw.to_ascii_lowercase());
            continue;
        }
        let folded = crate::vocab::fold(raw);
        // Words a consultant uses for the words of the labels.
        let canonical: &[&str] = match folded.as_str() {
            "ca" => &["chiffre", "affaires"],
            "heure" | "heures" | "hours" | "hour" => &["temps"],
            "time" => &["temps"],
            "terrain" | "visite" => &["visites"],
            "revenues" => &["revenue"],
            _ => &[],
        };
        if !canonical.is_empty() {
            out.extend(canonical.iter().map(|w| w.to_string()));
            continue;
        }
        if folded.chars().count() < 3 || STOP.contains(&folded.as_str()) {
            continue;
        }
        out.push(folded);
    }
    out
}

/// The sentence around a byte range: from the previous sentence end to the next.
fn sentence_around(text: &str, span: Range<usize>) -> &str {
    let ends = |s: &str| -> Vec<usize> {
        let mut v = Vec::new();
        for pat in [". ", "; ", "\n\n", "\n- ", "\n* ", "! ", "? ", ".\n"] {
            v.extend(s.match_indices(pat).map(|(i, p)| i + p.len()));
        }
        v
    };
    let start = ends(&text[..span.start]).into_iter().max().unwrap_or(0);
    let after = &text[span.end..];
    let end = ends(after)
        .into_iter()
        .map(|i| span.end + i)
        .min()
        .unwrap_or(text.len());
    &text[start..end.max(span.end)]
}

/// Ranges where typed figures are not the consultant's prose: code, placeholders, the
/// destinations of links and images.
fn skipped_ranges(markdown: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut ranges = Vec::new();
    let mut block = None;
    for (event, range) in Parser::new_ext(markdown, Options::all()).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    let mut from = 0;
    while let Some(i) = markdown[from..].find("{{") {
        let start = from + i;
        let end = markdown[start..]
            .find("}}")
            .map_or(markdown.len(), |j| start + j + 2);
        ranges.push(start..end);
        from = end;
    }
    ranges
}

/// Typed figures: a number followed (or, for money, preceded) by its mark.
fn find_typed(text: &str) -> Vec<Typed> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'.'
                    || bytes[i - 1] == b','));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        let (number, end) = read_number(text, i);
        i = end.max(i + 1);
        let Some((mut value, decimals, trailing_zeros)) = number else {
            continue;
        };
        let before = &text[..start];
        let signed = before.ends_with('+') || before.ends_with('-') || before.ends_with('−');
        let negative = before.ends_with('-') || before.ends_with('−');
        let span_start = if signed {
            before.char_indices().last().map_or(start, |(k, _)| k)
        } else {
            start
        };
        let rest = &text[end..];
        let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
        let gap = rest.len() - trimmed.len();
        let lower = trimmed.to_lowercase();
        let (kind, mark_len, multiplier) = if trimmed.starts_with('%') {
            (Some(Kind::Percent), 1, 1.0)
        } else if lower.starts_with("pour cent") || lower.starts_with("percent") {
            (
                Some(Kind::Percent),
                if lower.starts_with("pour") { 9 } else { 7 },
                1.0,
            )
        } else if lower.starts_with("pts") || lower.starts_with("points") {
            (
                Some(Kind::Points),
                if lower.starts_with("pts") { 3 } else { 6 },
                1.0,
            )
        } else if trimmed.starts_with("k€") || lower.starts_with("keur") {
            (
                Some(Kind::Money),
                if trimmed.starts_with("k€") {
                    "k€".len()
                } else {
                    4
                },
                1e3,
            )
        } else if trimmed.starts_with("M€")
            || trimmed.starts_with("M$")
            || lower.starts_with("millions d")
        {
            (Some(Kind::Money), 3, 1e6)
        } else if trimmed.starts_with('€') || trimmed.starts_with('$') || lower.starts_with("eur")
        {
            (
                Some(Kind::Money),
                trimmed.chars().next().map_or(1, char::len_utf8),
                1.0,
            )
        } else if lower.starts_with("heures") || lower.starts_with("hours") || is_hour_mark(&lower)
        {
            (Some(Kind::Hours), 1, 1.0)
        } else if lower.starts_with("jours") || lower.starts_with("days") {
            (Some(Kind::Days), 4, 1.0)
        } else if before.ends_with('€') || before.ends_with('$') {
            (Some(Kind::Money), 0, 1.0)
        } else {
            (None, 0, 1.0)
        };
        let Some(kind) = kind else { continue };
        if negative {
            value = -value;
        }
        let precision = match (kind, decimals) {
            (_, d) if d > 0 => 10f64.powi(-(d as i32)),
            (Kind::Money, 0) => 10f64.powi(trailing_zeros.min(6) as i32),
            _ => 1.0,
        } * multiplier;
        let mark_end = (end + gap + mark_len).min(text.len());
        let mark_end = (mark_end..=text.len())
            .find(|&k| text.is_char_boundary(k))
            .unwrap_or(text.len());
        found.push(Typed {
            span: span_start..mark_end,
            kind,
            value: value * multiplier,
            precision,
            signed,
        });
    }
    found
}

/// `h` as a unit: followed by nothing alphabetic ("48 h", "12 h de visite").
fn is_hour_mark(lower: &str) -> bool {
    lower.starts_with('h') && !lower[1..].starts_with(|c: char| c.is_alphabetic())
}

/// Reads a number written like a person writes one: `1 463`, `409 950`, `29,9`, `6.2`,
/// `1,234.56`. Returns (value, decimals, trailing zeros of the integer part) and where
/// it ends.
fn read_number(text: &str, start: usize) -> (Option<(f64, u32, u32)>, usize) {
    let mut digits = String::new();
    let mut decimals: Option<String> = None;
    let mut end = start;
    let chars: Vec<(usize, char)> = text[start..]
        .char_indices()
        .map(|(k, c)| (start + k, c))
        .collect();
    let mut k = 0;
    while k < chars.len() {
        let (pos, c) = chars[k];
        if c.is_ascii_digit() {
            match &mut decimals {
                Some(d) => d.push(c),
                None => digits.push(c),
            }
            end = pos + 1;
            k += 1;
            continue;
        }
        let next_digits = chars[k + 1..]
            .iter()
            .take_while(|(_, c)| c.is_ascii_digit())
            .count();
        let grouping =
            matches!(c, ' ' | '\u{a0}' | '\u{202f}') && next_digits == 3 && decimals.is_none();
        let separator = matches!(c, ',' | '.') && next_digits > 0 && decimals.is_none();
        if grouping {
            k += 1;
        } else if separator {
            // "1,234" or "1.234" followed by exactly three digits and more grouping is a
            // thousands separator; otherwise a decimal mark.
            let after = chars.get(k + 1 + next_digits).map(|(_, c)| *c);
            if next_digits == 3 && matches!(after, Some(',' | '.')) {
                k += 1;
            } else {
                decimals = Some(String::new());
                k += 1;
            }
        } else {
            break;
        }
    }
    if digits.is_empty() {
        return (None, end);
    }
    let trailing_zeros = digits.chars().rev().take_while(|c| *c == '0').count() as u32;
    let trailing_zeros = if digits.len() as u32 == trailing_zeros {
        0
    } else {
        trailing_zeros
    };
    let text_value = match &decimals {
        Some(d) if !d.is_empty() => format!("{digits}.{d}"),
        _ => digits.clone(),
    };
    let value = text_value.parse::<Decimal>().ok().and_then(|d| d.to_f64());
    let dp = decimals.map_or(0, |d| d.len() as u32);
    (value.map(|v| (v, dp, trailing_zeros)), end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn metrics() -> Value {
        json!({
            "revenue": {"total": 2688316.09, "lost": 409959.5, "growth": 0.0112},
            "clients": {"reconquest_rate": 0.0625, "former_at_start": 160},
            "pareto": {"C": {"effort_share": 0.326, "share": 0.05, "hours": 520.0}, "A": {"share": 0.8}},
            "leads": {"by_source": {"online": {"conversion_rate": 0.06}}, "total": {"conversion_rate": 0.189}},
            "time": {"by_rep": {"SL": {"total_hours": 1463.75,
                "by_activity": {"admin": {"share": 0.221}, "visit": {"share": 0.347, "target_share": 0.5}}}}}
        })
    }

    fn label(path: &str) -> Option<String> {
        let labels = crate::i18n::Labels::builtin(crate::vocab::Language::Fr);
        let entry = glossary::lookup(path)?;
        let values: Vec<(&str, String)> = entry
            .params
            .iter()
            .map(|(k, v)| {
                let shown = match (*k, v.as_str()) {
                    ("rep", "SL") => "Sébastien Laurent".to_string(),
                    ("activity", "admin") => "administration".to_string(),
                    ("activity", "visit") => "visites".to_string(),
                    ("source", "online") => "marketing en ligne".to_string(),
                    _ => v.clone(),
                };
                (*k, shown)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Some(labels.fill(&entry.label, &pairs))
    }

    fn run(text: &str, context: &str) -> Vec<Diagnostic> {
        let m = metrics();
        let candidates = Candidate::all(&m, &label);
        check(
            text,
            NoteSource {
                path: Path::new("notes/x.md"),
                first_line: 1,
            },
            &candidates,
            context,
        )
    }

    fn flagged(text: &str, context: &str) -> Vec<String> {
        run(text, context)
            .iter()
            .map(|d| d.help[0].split('`').nth(1).unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        let t = find_typed(
            "Le CA atteint 2 688 316 € (+1,1 %), soit 409 950 € perdus, 6.2% et 1 463 heures, 3,7 M€.",
        );
        let kinds: Vec<(Kind, f64, f64, bool)> = t
            .iter()
            .map(|t| (t.kind, t.value, t.precision, t.signed))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Money, 2688316.0, 1.0, false),
                (Kind::Percent, 1.1, 0.1, true),
                (Kind::Money, 409950.0, 10.0, false),
                (Kind::Percent, 6.2, 0.1, false),
                (Kind::Hours, 1463.0, 1.0, false),
                (Kind::Money, 3.7e6, 1e5, false),
            ]
        );
    }

    #[test]
    fn near_misses_of_the_examples_notes_are_found() {
        // The contradictions a reviewer found in the example report, as typed in its notes.
        assert_eq!(
            flagged(
                "La reconquête reste marginale (10 clients revenus sur 160 anciens clients, 6,2 %).",
                ""
            ),
            ["{{ clients.reconquest_rate }}"]
        );
        assert_eq!(
            flagged(
                "Les clients C représentent 5,0 % du CA mais absorbent 29,9 % des heures de contact.",
                ""
            ),
            ["{{ pareto.C.effort_share }}"]
        );
        assert_eq!(
            flagged(
                "Sur 1 463 heures consignées depuis janvier :",
                "Sébastien Laurent"
            ),
            ["{{ time.by_rep.SL.total_hours }}"]
        );
    }

    #[test]
    fn figures_that_match_or_come_from_elsewhere_are_left_alone() {
        let honest = "Le CA atteint 2 688 316 €, soit +1,1 % sur un an ; les clients C font 5,0 % du CA \
                      et 32,6 % du temps de contact. Le marché des CHR recule de 3 % par an dans le \
                      Cantal. Objectif : revenir à 50 % de visites d'ici décembre. Le web transforme \
                      6,0 % de ses leads. Une formation de 2 jours coûte 8 000 €.";
        assert_eq!(flagged(honest, "Sébastien Laurent"), Vec::<String>::new());
    }

    #[test]
    fn the_warning_names_the_line_the_figure_and_the_placeholder() {
        let d = run("Intro.\n\nLe taux de reconquête est de 6,2 %.", "");
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].location.as_ref().unwrap().line, 3);
        assert!(
            d[0].message.contains("taux de reconquête is 6.3 %"),
            "{}",
            d[0].message
        );
        assert!(d[0].message.starts_with("`6,2 %`"), "{}", d[0].message);
    }
}
