//! Small constructors for the pieces of the report model, shared by the sections, the
//! report and the scorecards.

use super::model::{Align, Block, Cell, Column, Row, Section, Tone};

/// A cell with no particular tone.
pub(crate) fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        tone: Tone::Neutral,
        detail: None,
    }
}

/// A status in a few words ("en retard", "on track"), kept on one line: a narrow status
/// column broke "on / track" over two.
pub(crate) fn status(text: impl Into<String>, tone: Tone) -> Cell {
    toned(text.into().replace(' ', "\u{a0}"), tone)
}

/// A cell coloured by how its figure reads.
pub(crate) fn toned(text: impl Into<String>, tone: Tone) -> Cell {
    Cell {
        text: text.into(),
        tone,
        detail: None,
    }
}

pub(crate) fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        emphasis: false,
    }
}

/// A total line.
pub(crate) fn total_row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        emphasis: true,
    }
}

pub(crate) fn col(label: String, align: Align) -> Column {
    Column { label, align }
}

/// A section; numbers are given once the report is assembled.
pub(crate) fn section(
    id: &str,
    title: String,
    level: u8,
    blocks: Vec<Block>,
    children: Vec<Section>,
) -> Section {
    let blocks = blocks
        .into_iter()
        .map(|block| without_repeated_heading(block, &title))
        .collect();
    Section {
        id: id.to_string(),
        number: String::new(),
        title,
        level,
        blocks,
        children,
    }
}

/// A note under a section of the same name does not print that name twice: its title,
/// or the Markdown heading it opens with, is dropped when it repeats the section's
/// ("Segmentation et ciblage" under "4.6 Segmentation et ciblage").
fn without_repeated_heading(block: Block, section_title: &str) -> Block {
    let Block::Note { title, markdown } = block else {
        return block;
    };
    let same = |text: &str| same_heading(text, section_title);
    let title = title.filter(|t| !same(t));
    let trimmed = markdown.trim_start();
    let first_line = trimmed.lines().next().unwrap_or_default();
    let heading = first_line.trim_start_matches('#');
    let markdown = if first_line.starts_with('#')
        && first_line.len() - heading.len() <= 6
        && heading.starts_with([' ', '\t'])
        && same(heading.trim().trim_end_matches('#'))
    {
        trimmed[first_line.len()..]
            .trim_start_matches(['\r', '\n'])
            .to_string()
    } else {
        markdown
    };
    Block::Note { title, markdown }
}

/// Two headings are the same when they differ only in case, spacing and a final colon.
fn same_heading(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches([':', '.'])
            .trim()
            .to_lowercase()
    };
    !norm(a).is_empty() && norm(a) == norm(b)
}

/// A top-level section.
pub(crate) fn top(id: &str, title: String, blocks: Vec<Block>, children: Vec<Section>) -> Section {
    section(id, title, 1, blocks, children)
}

/// A sub-section.
pub(crate) fn sub(id: &str, title: String, blocks: Vec<Block>) -> Section {
    section(id, title, 2, blocks, vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(title: Option<&str>, markdown: &str) -> Block {
        Block::Note {
            title: title.map(str::to_string),
            markdown: markdown.to_string(),
        }
    }

    fn parts(block: &Block) -> (Option<String>, String) {
        match block {
            Block::Note { title, markdown } => (title.clone(), markdown.clone()),
            _ => unreachable!(),
        }
    }

    /// Issue 13: "Segmentation et ciblage" printed twice, the note's own heading after
    /// the section's.
    #[test]
    fn a_note_repeating_its_section_title_does_not_print_it_twice() {
        let s = sub(
            "plan-segmentation",
            "Segmentation et ciblage".into(),
            vec![
                note(None, "## Segmentation et ciblage\n\nTrois cibles."),
                note(Some("segmentation  et Ciblage :"), "Texte."),
                note(Some("Cibles prioritaires"), "# Segmentation\n\nTexte."),
            ],
        );
        assert_eq!(parts(&s.blocks[0]), (None, "Trois cibles.".into()));
        assert_eq!(parts(&s.blocks[1]), (None, "Texte.".into()));
        // A different title, or a heading that is not the section's, stays.
        assert_eq!(
            parts(&s.blocks[2]),
            (
                Some("Cibles prioritaires".into()),
                "# Segmentation\n\nTexte.".into()
            )
        );
    }
}
