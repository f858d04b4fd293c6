//! The consultant's notes, made safe for each output: Markdown in, HTML or a typed tree
//! out, under one policy for links and images.
//!
//! Notes are untrusted text: a client's export pasted into a note, or a note copied from
//! a web page, may hold scripts, remote images or links to local files. Both outputs
//! follow the same rules ([`link_target`], [`image_allowed`]): a link goes to the web,
//! an e-mail address, a telephone number or a place in the same page, and an image is
//! one levier embedded from the engagement folder (a note never makes a report fetch anything, so the report opens
//! offline and tells nobody it was opened).
//!
//! - HTML: pulldown-cmark writes the HTML, ammonia keeps only formatting and the links
//!   and images the policy allows ([`markdown_to_html`]).
//! - PDF: the Markdown becomes a [`Node`] tree that the Typst template lays out
//!   ([`markdown_tree`]); raw HTML is dropped, and the text inside `<script>` and
//!   `<style>` with it.
//!
//! Input decides how deep a note nests (6,000 `>` is a valid Markdown quote), so nothing
//! here recurses over the input: the tree is built with an explicit stack, no deeper than
//! [`MAX_DEPTH`] (deeper content joins the deepest container, as a flattened quote or
//! list), and every walk over it is iterative. The loader warns about such notes and
//! flattens them first; this is the renderer's own guarantee.

use std::collections::{BTreeMap, HashSet};

use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
};
use serde::Serialize;

/// The Markdown extensions notes may use: the engagement format's, the same for both
/// outputs and for the loader's checks.
const OPTIONS: Options = crate::engagement::notes::MARKDOWN;

/// How deep the PDF's note tree may nest, root excluded. The Typst template lays the
/// tree out recursively, and Typst stops at a fixed call depth (about 24 nested quotes):
/// a note deeper than this is flattened rather than failing the report.
pub const MAX_DEPTH: usize = 16;

/// URL schemes a note's link may use.
const LINK_SCHEMES: [&str; 4] = ["http:", "https:", "mailto:", "tel:"];

/// Image types levier embeds, as data URI prefixes.
const IMAGE_TYPES: [&str; 5] = [
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
    "data:image/svg+xml",
];

/// Where a note's link may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// The web, an e-mail address or a telephone number.
    External,
    /// A place in the same page (`#id`): a footnote, a section.
    InPage,
}

/// Where a note's link at `url` leads, if it may lead anywhere: the web, an e-mail
/// address, a telephone number, or a place in the same page. Relative links
/// (`../x.html`) point at nothing once the report is sent, and `javascript:` or `file:`
/// ones must not be followed. An output keeps the kinds of links it can resolve (the PDF
/// has no page anchors for notes: it keeps external links only).
pub fn link_target(url: &str) -> Option<LinkTarget> {
    let url = url.trim_start();
    let lower = url.to_ascii_lowercase();
    if LINK_SCHEMES.iter().any(|s| lower.starts_with(s)) {
        Some(LinkTarget::External)
    } else if url.starts_with('#') && url.len() > 1 {
        Some(LinkTarget::InPage)
    } else {
        None
    }
}

/// Whether an image source may stay in a note's HTML: only the data URIs levier made
/// from the engagement's own image files. A remote or relative source would make the
/// report fetch it when opened, like a tracking pixel, and break offline.
pub fn image_allowed(src: &str) -> bool {
    IMAGE_TYPES.iter().any(|p| src.starts_with(p))
}

/// French typography: no-break spaces before high punctuation and inside guillemets,
/// applied to the consultant's text so that `:` never starts a line.
pub fn french_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        match c {
            ' ' if matches!(next, Some(':')) => out.push('\u{a0}'),
            ' ' if matches!(next, Some(';' | '!' | '?' | '»')) => out.push('\u{202f}'),
            ' ' if matches!(next, Some('%')) && prev.is_some_and(|p| p.is_ascii_digit()) => {
                out.push('\u{202f}')
            }
            ' ' if matches!(prev, Some('«')) => out.push('\u{202f}'),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// HTML

/// Renders a note's Markdown to HTML that is safe to inline: headings are shifted under
/// the section's heading, local images become data URIs (`images`, by the path written
/// in the Markdown), and everything else goes through [`sanitise`].
pub fn markdown_to_html(
    markdown: &str,
    heading_base: u8,
    images: &BTreeMap<String, String>,
    french: bool,
) -> String {
    let shift = |level: HeadingLevel| -> HeadingLevel {
        let n = (level as u8 + heading_base - 1).min(6);
        HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
    };
    let mut in_code = false;
    let events = Parser::new_ext(markdown, OPTIONS).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let embedded = images.get(dest_url.as_ref()).cloned();
            Event::Start(Tag::Image {
                link_type,
                dest_url: embedded.map_or(dest_url, CowStr::from),
                title,
                id,
            })
        }
        Event::Start(Tag::CodeBlock(k)) => {
            in_code = true;
            Event::Start(Tag::CodeBlock(k))
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code = false;
            Event::End(TagEnd::CodeBlock)
        }
        Event::Text(t) if french && !in_code => Event::Text(CowStr::from(french_typography(&t))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitise(&html)
}

/// Keeps the formatting HTML a note may carry and removes anything active (scripts,
/// event handlers, styles, iframes) and every link or image source the policy refuses
/// ([`link_target`], [`image_allowed`]), whether it came from Markdown or from raw
/// HTML in the note.
pub fn sanitise(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto", "tel", "data"]
        .into_iter()
        .collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") => image_allowed(value).then(|| value.into()),
            (_, "href") => link_target(value).is_some().then(|| value.into()),
            _ => Some(value.into()),
        })
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

// ---------------------------------------------------------------------------------
// The PDF's tree

/// A note as the PDF template lays it out, written `{"t": kind, "c": [children], ...}`
/// in the report data: `root`, `p`, `h` (`level` from 1), `quote`, `codeblock` (`s`),
/// `ul`, `ol` (`start`), `li`, `table` (`align`), `thead`, `tr`, `td`, `em`, `strong`,
/// `del`, `sup`, `sub`, `link` (`url`, none where the policy refuses it), `image` (`src`,
/// a virtual path, or none for an image levier did not embed; `alt`, `file`), `footnote`
/// (the definition's content, at the reference), `text` and `code` (`s`), `br`, `hr`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Node {
    Root {
        c: Vec<Node>,
    },
    P {
        c: Vec<Node>,
    },
    H {
        c: Vec<Node>,
        level: u8,
    },
    Quote {
        c: Vec<Node>,
    },
    Codeblock {
        c: Vec<Node>,
        s: String,
    },
    Ul {
        c: Vec<Node>,
    },
    Ol {
        c: Vec<Node>,
        start: u64,
    },
    Li {
        c: Vec<Node>,
    },
    Table {
        c: Vec<Node>,
        align: Vec<CellAlign>,
    },
    Thead {
        c: Vec<Node>,
    },
    Tr {
        c: Vec<Node>,
    },
    Td {
        c: Vec<Node>,
    },
    Em {
        c: Vec<Node>,
    },
    Strong {
        c: Vec<Node>,
    },
    Del {
        c: Vec<Node>,
    },
    Sup {
        c: Vec<Node>,
    },
    Sub {
        c: Vec<Node>,
    },
    Link {
        c: Vec<Node>,
        url: Option<String>,
    },
    /// `c` is the alternative text as written; `alt` the same as plain text, `file`
    /// the file name in words, said by screen readers when there is no alternative text.
    Image {
        c: Vec<Node>,
        src: Option<String>,
        file: String,
        alt: String,
    },
    Footnote {
        c: Vec<Node>,
    },
    Text {
        s: String,
    },
    Code {
        s: String,
    },
    Br,
    Hr,
    /// A footnote's definition while the tree is built; moved to its references.
    #[serde(skip)]
    FootnoteDefinition {
        label: String,
        c: Vec<Node>,
    },
    /// A footnote reference while the tree is built; replaced by the definition.
    #[serde(skip)]
    FootnoteReference {
        label: String,
    },
}

/// How a column of a note's table is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellAlign {
    Left,
    Center,
    Right,
}

impl Node {
    fn children(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Root { c }
            | Node::P { c }
            | Node::H { c, .. }
            | Node::Quote { c }
            | Node::Codeblock { c, .. }
            | Node::Ul { c }
            | Node::Ol { c, .. }
            | Node::Li { c }
            | Node::Table { c, .. }
            | Node::Thead { c }
            | Node::Tr { c }
            | Node::Td { c }
            | Node::Em { c }
            | Node::Strong { c }
            | Node::Del { c }
            | Node::Sup { c }
            | Node::Sub { c }
            | Node::Link { c, .. }
            | Node::Image { c, .. }
            | Node::Footnote { c }
            | Node::FootnoteDefinition { c, .. } => Some(c),
            Node::Text { .. }
            | Node::Code { .. }
            | Node::Br
            | Node::Hr
            | Node::FootnoteReference { .. } => None,
        }
    }

    fn children_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Node::Root { c }
            | Node::P { c }
            | Node::H { c, .. }
            | Node::Quote { c }
            | Node::Codeblock { c, .. }
            | Node::Ul { c }
            | Node::Ol { c, .. }
            | Node::Li { c }
            | Node::Table { c, .. }
            | Node::Thead { c }
            | Node::Tr { c }
            | Node::Td { c }
            | Node::Em { c }
            | Node::Strong { c }
            | Node::Del { c }
            | Node::Sup { c }
            | Node::Sub { c }
            | Node::Link { c, .. }
            | Node::Image { c, .. }
            | Node::Footnote { c }
            | Node::FootnoteDefinition { c, .. } => Some(c),
            Node::Text { .. }
            | Node::Code { .. }
            | Node::Br
            | Node::Hr
            | Node::FootnoteReference { .. } => None,
        }
    }

    /// The text of the node and everything under it, for an image's alternative text.
    fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            if let Node::Text { s } | Node::Code { s } | Node::Codeblock { s, .. } = n {
                out.push_str(s);
            }
            if let Some(c) = n.children() {
                stack.extend(c.iter().rev());
            }
        }
        out
    }

    /// How deep the tree goes below this node (0 for a leaf).
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 0)];
        while let Some((n, d)) = stack.pop() {
            deepest = deepest.max(d);
            if let Some(c) = n.children() {
                stack.extend(c.iter().map(|c| (c, d + 1)));
            }
        }
        deepest
    }
}

/// The note tree while it is read: open containers, the footnotes set aside, and the
/// containers left unopened beyond [`MAX_DEPTH`].
struct Builder<'a> {
    stack: Vec<Node>,
    /// Footnote definitions by label (the first of a label wins).
    footnotes: BTreeMap<String, Vec<Node>>,
    /// Set inside an HTML block: its events are dropped.
    in_html: bool,
    /// Containers opened beyond the depth limit: their content joins the deepest one.
    flattened: usize,
    images: &'a BTreeMap<&'a str, &'a str>,
}

impl Builder<'_> {
    fn leaf(&mut self, node: Node) {
        if self.in_html {
            return;
        }
        if let Some(c) = self.stack.last_mut().and_then(Node::children_mut) {
            c.push(node);
        }
    }

    fn in_code_block(&self) -> bool {
        matches!(self.stack.last(), Some(Node::Codeblock { .. }))
    }

    fn code_text(&mut self, text: &str) {
        if let Some(Node::Codeblock { s, .. }) = self.stack.last_mut() {
            s.push_str(text);
        }
    }

    fn open(&mut self, tag: Tag<'_>) {
        if self.in_html {
            return;
        }
        if let Tag::HtmlBlock = tag {
            self.in_html = true;
            return;
        }
        // The root is `stack[0]`: a new container would be at depth `stack.len()`.
        if self.flattened > 0 || self.stack.len() > MAX_DEPTH {
            self.flattened += 1;
            return;
        }
        let c = Vec::new();
        let node = match tag {
            Tag::Paragraph => Node::P { c },
            Tag::Heading { level, .. } => Node::H {
                c,
                level: level as u8,
            },
            Tag::BlockQuote(_) => Node::Quote { c },
            Tag::CodeBlock(_) => Node::Codeblock {
                c,
                s: String::new(),
            },
            Tag::HtmlBlock => unreachable!("handled above"),
            Tag::List(Some(start)) => Node::Ol { c, start },
            Tag::List(None) => Node::Ul { c },
            Tag::Item => Node::Li { c },
            Tag::FootnoteDefinition(label) => Node::FootnoteDefinition {
                label: label.to_string(),
                c,
            },
            Tag::Table(aligns) => Node::Table {
                c,
                align: aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Left | Alignment::None => CellAlign::Left,
                        Alignment::Center => CellAlign::Center,
                        Alignment::Right => CellAlign::Right,
                    })
                    .collect(),
            },
            Tag::TableHead => Node::Thead { c },
            Tag::TableRow => Node::Tr { c },
            Tag::TableCell => Node::Td { c },
            Tag::Emphasis => Node::Em { c },
            Tag::Strong => Node::Strong { c },
            Tag::Strikethrough => Node::Del { c },
            Tag::Superscript => Node::Sup { c },
            Tag::Subscript => Node::Sub { c },
            Tag::Link { dest_url, .. } => {
                let url = dest_url.trim();
                Node::Link {
                    c,
                    url: (link_target(url) == Some(LinkTarget::External)).then(|| url.to_string()),
                }
            }
            Tag::Image { dest_url, .. } => {
                // Said by screen readers when the Markdown gives no alternative text.
                let name = dest_url.rsplit('/').next().unwrap_or_default();
                let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
                Node::Image {
                    c,
                    src: self
                        .images
                        .get(dest_url.as_ref())
                        .map(|path| path.to_string()),
                    file: stem.replace(['-', '_'], " "),
                    alt: String::new(),
                }
            }
            // Not enabled by the options; kept as plain groups.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => Node::P { c },
        };
        self.stack.push(node);
    }

    fn close(&mut self, end: TagEnd) {
        if end == TagEnd::HtmlBlock {
            self.in_html = false;
            return;
        }
        if self.in_html {
            return;
        }
        if self.flattened > 0 {
            self.flattened -= 1;
            return;
        }
        self.pop();
    }

    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let node = self.stack.pop().expect("checked above");
        let node = match node {
            Node::FootnoteDefinition { label, c } => {
                self.footnotes.entry(label).or_insert(c);
                return;
            }
            Node::Image { c, src, file, .. } => {
                let mut image = Node::Image {
                    c,
                    src,
                    file,
                    alt: String::new(),
                };
                let text = image.plain_text();
                if let Node::Image { alt, .. } = &mut image {
                    *alt = text;
                }
                image
            }
            other => other,
        };
        self.leaf(node);
    }
}

/// A note's Markdown as the PDF template's tree (see [`Node`]). `images` maps the paths
/// written in the Markdown to the virtual paths of the images levier embedded. French
/// notes get French spacing, outside code.
pub fn markdown_tree(markdown: &str, images: &BTreeMap<&str, &str>, french: bool) -> Node {
    let mut b = Builder {
        stack: vec![Node::Root { c: Vec::new() }],
        footnotes: BTreeMap::new(),
        in_html: false,
        flattened: 0,
        images,
    };
    // Text inside an inline <script> or <style> element: dropped with the tags.
    let mut hidden_until: Option<&'static str> = None;
    for event in TextMergeStream::new(Parser::new_ext(markdown, OPTIONS)) {
        if let Some(close) = hidden_until {
            if let Event::InlineHtml(h) | Event::Html(h) = &event
                && h.to_ascii_lowercase().contains(close)
            {
                hidden_until = None;
            }
            continue;
        }
        match event {
            Event::Start(tag) => b.open(tag),
            Event::End(end) => b.close(end),
            // Over-long words get break opportunities (see `breaks`), code included.
            Event::Text(t) => {
                let t = super::breaks::breakable(&t).map_or(t, CowStr::from);
                if b.in_code_block() {
                    b.code_text(&t);
                } else if french {
                    b.leaf(Node::Text {
                        s: french_typography(&t),
                    });
                } else {
                    b.leaf(Node::Text { s: t.to_string() });
                }
            }
            Event::Code(t) => b.leaf(Node::Code {
                s: super::breaks::breakable(&t).unwrap_or_else(|| t.to_string()),
            }),
            Event::InlineHtml(h) | Event::Html(h) => {
                let lower = h.trim_start().to_ascii_lowercase();
                if lower.starts_with("<script") && !lower.contains("</script") {
                    hidden_until = Some("</script");
                } else if lower.starts_with("<style") && !lower.contains("</style") {
                    hidden_until = Some("</style");
                }
            }
            Event::FootnoteReference(label) => b.leaf(Node::FootnoteReference {
                label: label.to_string(),
            }),
            Event::SoftBreak => b.leaf(Node::Text { s: " ".into() }),
            Event::HardBreak => b.leaf(Node::Br),
            Event::Rule => b.leaf(Node::Hr),
            Event::TaskListMarker(done) => b.leaf(Node::Text {
                s: if done { "☑ " } else { "☐ " }.into(),
            }),
            Event::InlineMath(t) | Event::DisplayMath(t) => b.leaf(Node::Code { s: t.to_string() }),
        }
    }
    while b.stack.len() > 1 {
        b.pop();
    }
    let mut root = b.stack.pop().expect("the root node");
    resolve_footnotes(&mut root, &b.footnotes);
    normalise_headings(&mut root);
    root
}

/// Replaces each footnote reference by the definition's content; a reference without a
/// definition stays as written. A footnote does not hold another footnote.
fn resolve_footnotes(root: &mut Node, definitions: &BTreeMap<String, Vec<Node>>) {
    let footnote = |label: &str| match definitions.get(label) {
        Some(c) => {
            let mut c = c.clone();
            strip_footnote_references(&mut c);
            Node::Footnote { c }
        }
        None => Node::Text {
            s: format!("[^{label}]"),
        },
    };
    let mut stack: Vec<&mut Node> = vec![root];
    while let Some(n) = stack.pop() {
        let Some(children) = n.children_mut() else {
            continue;
        };
        for child in children.iter_mut() {
            if let Node::FootnoteReference { label } = child {
                *child = footnote(label);
            } else {
                stack.push(child);
            }
        }
    }
}

fn strip_footnote_references(nodes: &mut Vec<Node>) {
    let mut stack: Vec<&mut Vec<Node>> = vec![nodes];
    while let Some(list) = stack.pop() {
        list.retain(|n| !matches!(n, Node::FootnoteReference { .. }));
        for n in list.iter_mut() {
            if let Some(c) = n.children_mut() {
                stack.push(c);
            }
        }
    }
}

/// Renumbers a note's headings from 1, each at most one level below the previous one:
/// a note that opens with `##`, or jumps from `#` to `###`, must not skip a level in the
/// document's outline (PDF/UA requires consecutive levels).
fn normalise_headings(root: &mut Node) {
    let mut previous: u8 = 0;
    // Document order: a node, then its children from the first.
    let mut stack: Vec<&mut Node> = vec![root];
    while let Some(n) = stack.pop() {
        if let Node::H { level, .. } = n {
            *level = (*level).clamp(1, previous + 1);
            previous = *level;
        }
        if let Some(c) = n.children_mut() {
            stack.extend(c.iter_mut().rev());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(md: &str) -> Node {
        let mut images = BTreeMap::new();
        images.insert("img/a.png", "/images/0.png");
        markdown_tree(md, &images, true)
    }

    fn json(n: &Node) -> String {
        serde_json::to_string(n).expect("the tree serialises")
    }

    fn texts(n: &Node) -> String {
        n.plain_text()
    }

    #[test]
    fn a_word_of_20000_characters_gets_break_opportunities_in_the_tree() {
        let word = "X".repeat(20_000);
        let t = tree(&format!("{word}\n\n| a |\n|---|\n| `{word}` |\n"));
        let shown = texts(&t);
        assert!(shown.contains('\u{200B}'));
        assert!(shown.replace('\u{200B}', "").matches('X').count() >= 20_000);
        assert!(!json(&t).contains(&"X".repeat(31)));
    }

    #[test]
    fn raw_html_and_scripts_are_dropped() {
        let t = tree(
            "Texte <script>alert(1)</script> <b>gras</b>\n\n<div onclick=\"x()\">bloc</div>\n\n<script>\nalert(2)\n</script>\n\nFin",
        );
        let s = texts(&t);
        assert!(!s.contains("alert"), "{s}");
        assert!(!s.contains('<'), "{s}");
        assert!(s.contains("gras"), "{s}");
        assert!(s.contains("Fin"), "{s}");
    }

    #[test]
    fn typst_syntax_stays_text() {
        let s = texts(&tree("#set page(fill: red) $x$ ] @ref <lbl>"));
        assert!(s.contains("#set page(fill: red) $x$ ] @ref"), "{s}");
    }

    #[test]
    fn structure_links_images_and_footnotes() {
        let t = tree(
            "# Titre\n\n- *un* **deux**\n- [lien](https://exemple.fr) [mal](javascript:alert(1))\n\n![alt](img/a.png) ![loin](https://x/y.png)\n\nNote[^1].\n\n[^1]: La définition.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
        );
        let s = json(&t);
        assert!(s.contains(r#""t":"h""#), "{s}");
        assert!(s.contains(r#""url":"https://exemple.fr""#), "{s}");
        assert!(!s.contains("javascript"), "{s}");
        assert!(s.contains(r#""src":"/images/0.png""#), "{s}");
        assert!(s.contains(r#""src":null"#), "{s}");
        assert!(s.contains(r#""t":"footnote""#), "{s}");
        assert!(!s.contains("fndef") && !s.contains("label"), "{s}");
        assert!(s.contains(r#""align":["left","right"]"#), "{s}");
    }

    #[test]
    fn note_headings_never_skip_a_level() {
        let s = json(&tree("## Deux\n\n#### Quatre\n\n# Un\n\n### Trois"));
        let levels: Vec<&str> = s
            .match_indices(r#""level":"#)
            .map(|(i, _)| &s[i + 8..i + 9])
            .collect();
        assert_eq!(levels, ["1", "2", "1", "2"], "{s}");
    }

    #[test]
    fn french_spacing_outside_code() {
        let s = json(&tree("Objectif : 12 % `a : b`"));
        assert!(s.contains("Objectif\u{a0}: 12\u{202f}%"), "{s}");
        assert!(s.contains("a : b"), "{s}");
    }

    #[test]
    fn french_spaces() {
        assert_eq!(
            french_typography("Objectif : 12 % ; « oui »"),
            "Objectif\u{a0}: 12\u{202f}%\u{202f}; «\u{202f}oui\u{202f}»"
        );
        assert_eq!(
            markdown_to_html("`a : b`", 3, &BTreeMap::new(), true),
            "<p><code>a : b</code></p>\n"
        );
    }

    #[test]
    fn deep_quotes_and_lists_are_flattened_without_recursion() {
        // 6,000 nested quotes once overflowed the stack of the PDF note walk.
        let quotes = format!("{} fond", ">".repeat(6_000));
        let t = tree(&quotes);
        assert!(t.depth() <= MAX_DEPTH + 1, "{}", t.depth());
        assert!(texts(&t).contains("fond"));
        let lists: String = (0..3_000)
            .map(|i| format!("{}- niveau {i}\n", "  ".repeat(i)))
            .collect();
        let t = tree(&lists);
        assert!(t.depth() <= MAX_DEPTH + 1, "{}", t.depth());
        let s = texts(&t);
        assert!(
            s.contains("niveau 0") && s.contains("niveau 2999"),
            "{s:.200}"
        );
        // Serialising the tree for the template does not recurse deeper either.
        assert!(json(&t).len() > 3_000);
    }

    #[test]
    fn footnotes_deep_inside_a_flattened_note_still_resolve() {
        let md = format!("{} texte[^n]\n\n[^n]: la note", ">".repeat(200));
        let s = json(&tree(&md));
        assert!(s.contains(r#""t":"footnote""#), "{s:.300}");
        assert!(s.contains("la note"), "{s:.300}");
    }

    #[test]
    fn scripts_handlers_and_active_links_are_removed_from_html() {
        let html = markdown_to_html(
            "Texte <script>alert(1)</script> <img src=x onerror=alert(1)> [lien](javascript:alert(1)) <b>gras</b>",
            3,
            &BTreeMap::new(),
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<b>gras</b>"), "{html}");
    }

    /// Issue 9: an `<img>` written as raw HTML in a note obeys the rule of a Markdown
    /// image (only what levier embedded), so the offline report fetches nothing.
    #[test]
    fn raw_html_images_follow_the_markdown_image_policy() {
        let mut images = BTreeMap::new();
        images.insert(
            "img/a.png".to_string(),
            "data:image/png;base64,cG5n".to_string(),
        );
        let html = markdown_to_html(
            "<img src=\"http://tracker.example/p.png\"> <img src=\"../../../x.png\">\n\
             <img src=\"//cdn.example/y.png\"> <img src=\"file:///etc/z.png\">\n\
             <img srcset=\"http://tracker.example/s.png 1x\"> <img src=\"img/a.png\">\n\
             <p style=\"background:url(http://tracker.example/b.png)\">fond</p>\n\n\
             ![a](img/a.png) ![b](http://tracker.example/m.png)",
            3,
            &images,
            false,
        );
        for gone in [
            "tracker.example",
            "../",
            "cdn.example",
            "file:",
            "srcset",
            "img/a.png",
        ] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        assert_eq!(
            html.matches("src=\"data:image/png;base64,cG5n\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("fond"), "{html}");
    }

    #[test]
    fn data_uris_only_for_embedded_images() {
        let mut images = BTreeMap::new();
        images.insert(
            "img/a.png".to_string(),
            "data:image/png;base64,cG5n".to_string(),
        );
        let html = markdown_to_html(
            "![a](img/a.png) [x](data:text/html;base64,PHNjcmlwdD4=)",
            3,
            &images,
            false,
        );
        assert!(html.contains("src=\"data:image/png;base64,"), "{html}");
        assert!(!html.contains("data:text/html"), "{html}");
    }

    #[test]
    fn headings_are_shifted_under_the_section() {
        let html = markdown_to_html("# Titre\n\n## Sous-titre", 3, &BTreeMap::new(), false);
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<h4>Sous-titre</h4>"), "{html}");
    }
}
