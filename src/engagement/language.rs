//! Notes written in another language than the report.
//!
//! The report's fixed text follows `language` in engagement.toml, and the consultant's notes
//! are printed as they are written: an English edition whose notes are French reads as two
//! documents stitched together, which a client notices on the first page. Nothing can
//! translate the notes, but the consultant can be told before the client sees it.
//!
//! Language identification is whatlang's (trigram statistics); a note is judged only on
//! its prose (headings, paragraphs, list items; not code, links' targets or figures), and
//! only when there is enough of it for the verdict to be reliable: a short note made of
//! names and figures says nothing about its language.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use whatlang::Lang;

use super::Engagement;
use super::notes::MARKDOWN;
use crate::diagnostic::{Diagnostic, Location};
use crate::vocab::{Language, Vocabulary};

/// Fewer letters of prose than this, and a note is not judged.
const MIN_LETTERS: usize = 200;

/// Warnings for each note whose prose reads as another language than the report's.
pub fn check_notes(engagement: &Engagement) -> Vec<Diagnostic> {
    let report = engagement.info.language;
    let mut found: Vec<(Diagnostic, &str)> = Vec::new();
    for note in &engagement.notes {
        let prose = prose(&note.markdown);
        if prose.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
            continue;
        }
        let Some(info) = whatlang::detect(&prose) else {
            continue;
        };
        if !info.is_reliable() || info.lang() == expected(report) {
            continue;
        }
        let path = engagement.dir.join(&note.file);
        found.push((
            Diagnostic::warning(format!(
                "this note reads as {}, but the report is in {}",
                info.lang().eng_name(),
                name(report)
            ))
            .in_file(&path)
            .at(Location {
                line: note.line.max(1),
                column: 1,
                line_text: note.markdown.lines().next().unwrap_or("").to_string(),
                underline: 0..0,
            })
            .help(format!(
                "the report's own text follows `language = \"{}\"` in engagement.toml and notes \
                 are printed as written: write this note in {}, or change the report's language",
                report.name(),
                name(report)
            )),
            note.file.as_str(),
        ));
    }
    // One warning per note would bury the others when every note is in the other
    // language (a French engagement switched to English): the first note, and the rest
    // named in one line.
    if found.len() > 2 {
        let others: Vec<&str> = found[1..].iter().map(|(_, file)| *file).collect();
        let (first, _) = found.swap_remove(0);
        return vec![first.note(format!(
            "{} other notes read the same way: {}",
            others.len(),
            others.join(", ")
        ))];
    }
    found.into_iter().map(|(d, _)| d).collect()
}

fn expected(language: Language) -> Lang {
    match language {
        Language::Fr => Lang::Fra,
        Language::En => Lang::Eng,
    }
}

fn name(language: Language) -> &'static str {
    match language {
        Language::Fr => "French",
        Language::En => "English",
    }
}

/// The words a reader reads: text outside code blocks, inline code, and tables' figures.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for event in Parser::new_ext(markdown, MARKDOWN) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRENCH: &str = "Le diagnostic montre une dépendance forte à trois clients historiques, \
        qui pèsent ensemble plus de la moitié du chiffre d'affaires. La conquête de nouveaux \
        comptes reste faible malgré une équipe commerciale expérimentée, et le temps passé \
        auprès des petits clients ne se traduit pas en ventes.";
    const ENGLISH: &str = "The diagnostic shows a strong dependence on three long-standing \
        clients, who together weigh more than half of the revenue. Winning new accounts \
        remains weak despite an experienced sales team, and the time spent with small \
        clients does not turn into sales.";

    fn judged(markdown: &str, report: Language) -> bool {
        let prose = prose(markdown);
        whatlang::detect(&prose).is_some_and(|i| i.is_reliable() && i.lang() != expected(report))
    }

    #[test]
    fn english_notes_in_a_french_report_are_noticed_and_french_ones_are_not() {
        assert!(judged(ENGLISH, Language::Fr));
        assert!(!judged(FRENCH, Language::Fr));
        assert!(judged(FRENCH, Language::En));
        assert!(!judged(ENGLISH, Language::En));
    }

    #[test]
    fn code_blocks_do_not_count_as_prose() {
        let markdown = format!("{FRENCH}\n\n```\n{ENGLISH}\n{ENGLISH}\n{ENGLISH}\n```\n");
        let prose = prose(&markdown);
        assert!(!prose.contains("long-standing"));
        assert!(prose.contains("dépendance"));
    }
}
