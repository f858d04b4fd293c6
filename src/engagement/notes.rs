//! The consultant's notes (`notes/*.md`): their own writing for the summary, the
//! eleven general chapters of the action plan, the salesperson chapters and the
//! conclusion.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::toml_reader::TomlFile;
use crate::diagnostic::{Diagnostic, Location};
use crate::vocab::Vocabulary;

crate::vocab::vocabulary! {
    /// Where a note goes in the report.
    NoteSection, "note section" {
        Summary = "summary" ["synthese"],
        Objectives = "objectives" ["objectifs"],
        Budgets = "budgets" [],
        Allocation = "allocation" ["affectation"],
        MarketAnalysis = "market_analysis" ["analyse_marche"],
        Positioning = "positioning" ["positionnement"],
        Segmentation = "segmentation" ["ciblage"],
        Range = "range" ["gamme"],
        SuccessFactors = "success_factors" ["facteurs_cles_de_succes"],
        OfflineLevers = "offline_levers" ["leviers_hors_ligne"],
        OnlineLevers = "online_levers" ["leviers_en_ligne"],
        Organisation = "organisation" ["organization"],
        SteeringTools = "steering_tools" ["outils_de_pilotage"],
        QualifiedFiles = "qualified_files" ["fichiers_qualifies"],
        ActivityModel = "activity_model" ["modele_activite"],
        TimeAllocation = "time_allocation" ["repartition_du_temps"],
        SalesMeetings = "sales_meetings" ["reunions_commerciales"],
        Smarketing = "smarketing" [],
        Conclusion = "conclusion" [],
    }
}

impl NoteSection {
    /// The eleven general chapters of the action plan, in the method's order.
    pub const PLAN_CHAPTERS: [NoteSection; 12] = [
        NoteSection::Objectives,
        NoteSection::Budgets,
        NoteSection::Allocation,
        NoteSection::MarketAnalysis,
        NoteSection::Positioning,
        NoteSection::Segmentation,
        NoteSection::Range,
        NoteSection::SuccessFactors,
        NoteSection::OfflineLevers,
        NoteSection::OnlineLevers,
        NoteSection::Organisation,
        NoteSection::SteeringTools,
    ];

    /// The chapters of the salesperson part ("approche tournée vers l'acteur commercial").
    pub const REP_CHAPTERS: [NoteSection; 5] = [
        NoteSection::QualifiedFiles,
        NoteSection::ActivityModel,
        NoteSection::TimeAllocation,
        NoteSection::SalesMeetings,
        NoteSection::Smarketing,
    ];
}

/// One note.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// Path relative to the engagement folder.
    pub file: String,
    pub section: NoteSection,
    pub title: Option<String>,
    /// The salesperson whose scorecard this note belongs to.
    pub rep: Option<String>,
    /// The Markdown body, front matter removed.
    pub markdown: String,
    /// Local images the note shows, by the path written in the Markdown, read from
    /// inside the engagement folder so that reports can embed them.
    pub images: BTreeMap<String, NoteImage>,
}

/// An image referenced by a note.
#[derive(Debug, Clone, Serialize)]
pub struct NoteImage {
    pub mime: &'static str,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The MIME type of an image file levier can embed, by extension.
pub fn image_mime(path: &str) -> Option<&'static str> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "svg" => Some("image/svg+xml"),
        _ => None,
    }
}

/// Reads the local images a note references. `text` is the whole file as read (the
/// body is its suffix), so that problems point at the right line.
pub fn resolve_images(
    dir: &Path,
    path: &Path,
    text: &str,
    note: &mut Note,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let offset = text.len() - note.markdown.len();
    let note_dir = path.parent().unwrap_or(dir);
    let parser = Parser::new_ext(&note.markdown, Options::all()).into_offset_iter();
    for (event, range) in parser {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        let url = dest_url.to_string();
        if note.images.contains_key(&url) || url.starts_with("data:") {
            continue;
        }
        let at = |label: &str| {
            let span = offset + range.start..offset + range.end;
            Diagnostic::error(format!("cannot use image `{url}`"))
                .in_file(path)
                .at(Location::from_span(text, span))
                .label(label.to_string())
        };
        if url.contains("://") {
            diagnostics.push(at("remote images are not embedded").help(
                "copy the image into the engagement folder and reference it by a relative path",
            ));
            continue;
        }
        let Some(mime) = image_mime(&url) else {
            diagnostics.push(at("expected a .png, .jpg, .gif, .webp or .svg image"));
            continue;
        };
        let joined = note_dir.join(&url);
        let normalised = super::paths::normalise(&joined);
        let resolved = if normalised.starts_with(dir) {
            super::paths::check_inside(dir, &normalised)
        } else {
            Err(super::paths::PathError::Escapes)
        };
        match resolved
            .and_then(|p| std::fs::read(&p).map_err(|e| super::paths::PathError::Io(e.to_string())))
        {
            Ok(bytes) => {
                note.images.insert(url.clone(), NoteImage { mime, bytes });
            }
            Err(e) => diagnostics.push(at(&e.describe(dir))),
        }
    }
}

/// Reads one note. `rel` is its path relative to the engagement folder.
pub fn read(path: &Path, rel: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Note> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let mut section = None;
    let mut title = None;
    let mut rep = None;
    let mut ok = true;

    if let Some((front, start_line)) = front {
        // Pad with the lines before the front matter so positions match the .md file.
        let padded = format!("{}{}", "\n".repeat(start_line - 1), front);
        let file = TomlFile::new(path, &padded).top_level_named("in the front matter");
        let doc = file.parse();
        let root = file.root(&doc);
        section = root.word::<NoteSection>("section").map(|s| s.value);
        if root.get("section").is_some() && section.is_none() {
            ok = false;
        }
        title = root.string("title").map(|s| s.value);
        rep = root.string("rep").map(|s| s.value.trim().to_string());
        root.finish();
        let found = file.into_diagnostics();
        ok &= !found.iter().any(Diagnostic::is_error);
        diagnostics.extend(found);
    } else if text.starts_with("+++") {
        diagnostics.push(
            Diagnostic::error("front matter is not closed")
                .in_file(path)
                .at(Location::in_line(1, "+++", 0..3))
                .label("expected a closing `+++` line after the front matter"),
        );
        return None;
    }

    if section.is_none() && ok {
        let stem = Path::new(rel)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let name = stem
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_' || c == '.');
        section = NoteSection::parse(name);
        if section.is_none() {
            diagnostics.push(
                Diagnostic::error(format!("cannot tell which section note `{rel}` belongs to"))
                    .in_file(path)
                    .label(format!("the file name `{stem}` is not a section"))
                    .note(format!("sections: {}", NoteSection::names().collect::<Vec<_>>().join(", ")))
                    .did_you_mean(NoteSection::closest(name))
                    .help("name the file after its section (`03-market_analysis.md`) or start it with a front matter: +++ / section = \"market_analysis\" / +++"),
            );
            return None;
        }
    }
    if !ok {
        return None;
    }
    Some(Note {
        file: rel.to_string(),
        section: section.expect("set above"),
        title,
        rep,
        markdown: body.to_string(),
        images: BTreeMap::new(),
    })
}

/// Splits `+++` front matter from the body. Returns the front matter with the line it
/// starts on (1-based).
fn split_front_matter(text: &str) -> (Option<(&str, usize)>, &str) {
    let Some(rest) = text.strip_prefix("+++") else {
        return (None, text);
    };
    let Some(rest) = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return (Some((front, 2)), body.trim_start_matches(['\n', '\r']));
        }
        offset += line.len();
    }
    (None, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_from_front_matter_or_file_name() {
        let mut d = Vec::new();
        let n = read(
            Path::new("notes/a.md"),
            "notes/a.md",
            "+++\nsection = \"positioning\"\ntitle = \"Notre place\"\n+++\n\n# Texte\n",
            &mut d,
        )
        .unwrap();
        assert_eq!(n.section, NoteSection::Positioning);
        assert_eq!(n.title.as_deref(), Some("Notre place"));
        assert_eq!(n.markdown, "# Texte\n");
        let n = read(
            Path::new("x"),
            "notes/03-market_analysis.md",
            "Body",
            &mut d,
        )
        .unwrap();
        assert_eq!(n.section, NoteSection::MarketAnalysis);
        assert!(d.is_empty());
    }

    #[test]
    fn front_matter_errors_point_into_the_markdown_file() {
        let mut d = Vec::new();
        let n = read(
            Path::new("notes/a.md"),
            "notes/a.md",
            "+++\nsection = \"summary\"\nrepp = \"JD\"\n+++\nBody",
            &mut d,
        );
        assert!(n.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location.as_ref().unwrap().line, 3);
        assert!(d[0].help.iter().any(|h| h.contains("`rep`")), "{:?}", d[0]);
    }

    #[test]
    fn unknown_file_name_is_explained() {
        let mut d = Vec::new();
        assert!(read(Path::new("x"), "notes/todo.md", "Body", &mut d).is_none());
        assert!(d[0].message.contains("notes/todo.md"));
    }
}
