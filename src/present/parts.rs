//! Small constructors for the pieces of the report model, shared by the sections, the
//! report and the scorecards.

use super::model::{Align, Block, Cell, Column, Row, Section, Tone};

/// A cell with no particular tone.
pub(crate) fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        tone: Tone::Neutral,
    }
}

/// A cell coloured by how its figure reads.
pub(crate) fn toned(text: impl Into<String>, tone: Tone) -> Cell {
    Cell {
        text: text.into(),
        tone,
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
    Section {
        id: id.to_string(),
        number: String::new(),
        title,
        level,
        blocks,
        children,
    }
}

/// A top-level section.
pub(crate) fn top(id: &str, title: String, blocks: Vec<Block>, children: Vec<Section>) -> Section {
    section(id, title, 1, blocks, children)
}

/// A sub-section.
pub(crate) fn sub(id: &str, title: String, blocks: Vec<Block>) -> Section {
    section(id, title, 2, blocks, vec![])
}
