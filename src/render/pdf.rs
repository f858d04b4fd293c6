//! The PDF rendering of a report, through the Typst compiler used as a library.
//!
//! The templates (`templates/typst/*.typ`, built in or overridden by the workspace) are
//! parsed once per workspace. Each report is compiled in a [`ReportWorld`] that serves
//! the report model as `/report.json`: the template reads it with `json()` and prints
//! its strings as text, so a client name such as `#set page(fill: red)` or `*bold*` is
//! shown as written and never evaluated. The data is a typed view of the model
//! ([`super::view`]) with what only the PDF needs: each note as a tree of typed nodes
//! ([`super::notes::Node`]: paragraphs, lists, emphasis, tables, links, images by
//! virtual path, footnotes) that the template lays out, each table's column widths
//! (measured in Inter, [`super::text_metrics`]), each chart's file.
//!
//! Output is PDF/A-2b (archival) and tagged, with PDF/UA-1 checked alongside, dated by
//! the report's `as_of` and identified by a stable id, so identical inputs give
//! byte-identical files. Typst's errors and warnings become levier diagnostics pointing
//! at the template file (the workspace's own file when it overrides a built-in one),
//! with 1-based line and column, the message, Typst's hints and its call trace.
//!
//! [`ReportWorld`]: super::world::ReportWorld

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::Serialize;
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, Source};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::charts::{ChartArt, PlacedLabel};
use super::notes::{Node, markdown_tree};
use super::text_metrics::{TextMetrics, Weight};
use super::view::{self, BlockView, ReportView};
use super::world::{FontSet, Fonts, ReportWorld, file_id, virtual_path};
use super::{Job, Output, Rendered};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::engagement::Engagement;
use crate::engagement::brand::LogoKind;
use crate::present::deliverables::{Document, Format};
use crate::present::model::{Align, Block, Report, ReportKind, Table, Tone};
use crate::templates::{Origin, Templates};
use crate::vocab::Language;

/// The PDF standards every report is checked against and declares.
const STANDARDS: [PdfStandard; 2] = [PdfStandard::A_2b, PdfStandard::Ua_1];

/// The PDF renderer for one workspace's templates.
pub struct PdfRenderer {
    /// Every `typst/*.typ` template, parsed, by virtual path (`/typst/report.typ`).
    sources: FxHashMap<FileId, Source>,
    /// Where each template came from, for diagnostics.
    origins: FxHashMap<FileId, (&'static str, Origin)>,
}

/// What the PDFs of one engagement share: fonts (bundled, plus the brand's), the logo
/// and the notes' images, each under a virtual path.
pub struct PdfAssets {
    fonts: Fonts,
    logo: Option<(String, Bytes)>,
    /// Note images by the path written in the Markdown: (virtual path, bytes).
    images: BTreeMap<String, (String, Bytes)>,
    /// The consultant's file behind each embedded file, by virtual path: a Typst error
    /// inside one is the consultant's to fix, and names it.
    sources: BTreeMap<String, PathBuf>,
    /// Font families for body text and headings, best first, all present in `fonts`.
    body_fonts: Vec<String>,
    heading_fonts: Vec<String>,
}

impl PdfAssets {
    /// Gathers an engagement's fonts, logo and note images, read into Typst's buffers
    /// once and shared by every report of the engagement.
    pub fn of(e: &Engagement) -> PdfAssets {
        let fonts = if e.brand.font_files.is_empty() {
            Fonts::Bundled
        } else {
            let files: Vec<Vec<u8>> = e.brand.font_files.iter().map(|f| f.bytes.clone()).collect();
            Fonts::Brand(FontSet::with_brand(&files))
        };
        let logo = e.brand.logo.as_ref().map(|l| {
            let ext = match l.kind {
                LogoKind::Svg => "svg",
                LogoKind::Png => "png",
            };
            (format!("/brand/logo.{ext}"), Bytes::new(l.bytes.clone()))
        });
        let mut sources = BTreeMap::new();
        if let (Some((path, _)), Some(brand)) = (&logo, &e.brand.source) {
            // The logo's own path is not kept; brand.toml names it.
            sources.insert(path.clone(), brand.clone());
        }
        let mut images = BTreeMap::new();
        for note in &e.notes {
            let folder = Path::new(&note.file).parent().unwrap_or(Path::new(""));
            for (src, image) in &note.images {
                if images.contains_key(src) {
                    continue;
                }
                let ext = match image.mime {
                    "image/png" => "png",
                    "image/jpeg" => "jpg",
                    "image/gif" => "gif",
                    "image/webp" => "webp",
                    "image/svg+xml" => "svg",
                    _ => continue,
                };
                let path = format!("/images/{}.{ext}", images.len());
                sources.insert(path.clone(), e.dir.join(folder).join(src));
                images.insert(src.clone(), (path, Bytes::new(image.bytes.clone())));
            }
        }
        let families = |preferred: &[&Option<String>]| -> Vec<String> {
            let mut list: Vec<String> = preferred
                .iter()
                .filter_map(|f| f.as_ref())
                .filter(|f| fonts.has_family(f))
                .cloned()
                .collect();
            list.push("Inter".into());
            list.dedup();
            list
        };
        let body_fonts = families(&[&e.brand.body_font]);
        let heading_fonts = families(&[&e.brand.heading_font, &e.brand.body_font]);
        PdfAssets {
            fonts,
            logo,
            images,
            sources,
            body_fonts,
            heading_fonts,
        }
    }
}

impl PdfRenderer {
    /// Parses the workspace's Typst templates. Syntax errors are reported when a
    /// report is compiled, with the rest of Typst's diagnostics.
    pub fn new(templates: &Templates) -> PdfRenderer {
        let mut sources = FxHashMap::default();
        let mut origins = FxHashMap::default();
        for (name, text) in templates.under("typst/") {
            let id = file_id(&format!("/{name}"));
            sources.insert(id, Source::new(id, text.to_string()));
            origins.insert(id, (name, templates.origin(name)));
        }
        PdfRenderer { sources, origins }
    }

    /// Compiles a report or a scorecard to PDF. `charts` are the report's charts by
    /// chart id; `ident` names the document stably across builds (the engagement's
    /// slug and the report's name). Returns the PDF and Typst's warnings.
    pub fn render(
        &self,
        report: &Report,
        charts: &BTreeMap<String, ChartArt>,
        assets: &PdfAssets,
        ident: &str,
    ) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let main = file_id(match report.kind {
            ReportKind::Report => "/typst/report.typ",
            ReportKind::Scorecard => "/typst/scorecard.typ",
        });
        if !self.sources.contains_key(&main) {
            return Err(vec![Diagnostic::error(format!(
                "the PDF template `{}` is missing",
                virtual_path(main).trim_start_matches('/')
            ))]);
        }
        let scorecard = report.kind == ReportKind::Scorecard;
        let prepare = crate::timings::span(if scorecard {
            "pdf: scorecard data"
        } else {
            "pdf: report data"
        });
        let date = as_of_date(report.meta.as_of);
        let mut world = ReportWorld::new(&self.sources, main, assets.fonts.clone(), date);

        let (data, chart_files) = PdfData::new(report, charts, assets);
        for (path, svg) in chart_files {
            world.insert(&path, Bytes::from_string(svg.to_owned()));
        }
        if let Some((path, bytes)) = &assets.logo {
            world.insert(path, bytes.clone());
        }
        for (path, bytes) in assets.images.values() {
            world.insert(path, bytes.clone());
        }
        let json = serde_json::to_string(&data)
            .map_err(|e| vec![Diagnostic::error(format!("cannot prepare the report: {e}"))])?;
        world.insert("/report.json", Bytes::from_string(json));
        drop(prepare);

        let compiled = crate::timings::time(
            if scorecard {
                "pdf: scorecard compile"
            } else {
                "pdf: report compile"
            },
            || typst::compile::<PagedDocument>(&world),
        );
        let mut warnings: Vec<Diagnostic> = compiled
            .warnings
            .iter()
            .map(|d| self.diagnostic(&world, assets, d))
            .collect();
        let document = compiled
            .output
            .map_err(|errors| self.diagnostics(&world, assets, &errors, &warnings))?;

        let export = |standards: &[PdfStandard]| {
            let options = PdfOptions {
                ident: Smart::Custom(ident.to_string()),
                creator: Smart::Custom(Some(report.meta.generator.clone())),
                timestamp: Some(Timestamp::new_utc(date)),
                standards: PdfStandards::new(standards)
                    .expect("levier's PDF standards are compatible"),
                ..PdfOptions::default()
            };
            crate::timings::time(
                if scorecard {
                    "pdf: scorecard export"
                } else {
                    "pdf: report export"
                },
                || typst_pdf::pdf(&document, &options),
            )
        };
        let pdf = match export(&STANDARDS) {
            Ok(pdf) => pdf,
            // Content PDF/UA-1 refuses (an overriding template's choice, say): the
            // report is still worth having, archival and tagged, with a warning.
            Err(errors) if errors.iter().all(|e| e.message.starts_with("PDF/UA")) => {
                for e in &errors {
                    let mut d = self.diagnostic(&world, assets, e);
                    d.severity = Severity::Warning;
                    warnings.push(
                        d.note("this PDF is written as PDF/A-2b, without PDF/UA-1 conformance"),
                    );
                }
                export(&STANDARDS[..1])
                    .map_err(|errors| self.diagnostics(&world, assets, &errors, &warnings))?
            }
            Err(errors) => return Err(self.diagnostics(&world, assets, &errors, &warnings)),
        };
        warnings.dedup();
        Ok((pdf, warnings))
    }

    fn diagnostics(
        &self,
        world: &ReportWorld<'_>,
        assets: &PdfAssets,
        errors: &[SourceDiagnostic],
        warnings: &[Diagnostic],
    ) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = errors
            .iter()
            .map(|d| self.diagnostic(world, assets, d))
            .collect();
        all.extend(warnings.iter().cloned());
        all
    }

    /// A Typst diagnostic as a levier one: the file at fault (the workspace's real path
    /// for an overriding template, the consultant's own file for an image or logo), 1-based
    /// line and column, Typst's message and hints, and the call trace as notes.
    fn diagnostic(
        &self,
        world: &ReportWorld<'_>,
        assets: &PdfAssets,
        d: &SourceDiagnostic,
    ) -> Diagnostic {
        let mut out = match d.severity {
            TypstSeverity::Error => Diagnostic::error(d.message.to_string()),
            TypstSeverity::Warning => Diagnostic::warning(d.message.to_string()),
        };
        let place = self.locate(world, assets, d.span);
        // The consultant's file, where the error or a step of its trace is in one.
        let mut theirs = match &place {
            Some((Place::Theirs(path), _)) => Some(path.clone()),
            _ => None,
        };
        let mut builtin = false;
        match place {
            Some((place, location)) => {
                builtin = matches!(place, Place::BuiltIn(_) | Place::Report(_));
                out = out.in_file(place.shown());
                if let Some(location) = location {
                    out = out.at(location);
                }
            }
            None => out = out.note("in a PDF template"),
        }
        for point in &d.trace {
            let at = match self.locate(world, assets, point.span.into()) {
                Some((place, loc)) => {
                    if let (None, Place::Theirs(path)) = (&theirs, &place) {
                        theirs = Some(path.clone());
                    }
                    match loc {
                        Some(loc) => format!(" ({}:{}:{})", place.shown(), loc.line, loc.column),
                        None => format!(" ({})", place.shown()),
                    }
                }
                None => String::new(),
            };
            out = out.note(format!("{}{at}", point.v));
        }
        for hint in &d.hints {
            out = out.help(hint.v.to_string());
        }
        if let Some(file) = theirs {
            // Caused by the consultant's file, not by a template: name it, and do not
            // send them to report a bug or to their template overrides.
            if out.path.as_deref() != Some(file.as_path()) {
                out = out.note(format!("while using `{}`", file.display()));
            }
            return out.help(
                "levier could not use this file in the PDF: open it in an image editor and export it again (SVG or PNG)",
            );
        }
        let overrides: Vec<&str> = self
            .origins
            .values()
            .filter(|(_, o)| *o != Origin::BuiltIn)
            .map(|(name, _)| *name)
            .collect();
        if !builtin && overrides.is_empty() {
            // Not located in any template, and none is overridden: the export refused
            // something the engagement's texts put in the PDF. Never blame an override
            // that does not exist.
            out = out.help(
                "no template is overridden here: the PDF refused a text of this engagement; look in its notes, names and plan for a very long text without spaces (a pasted link or image code) or a character the fonts cannot draw, and shorten or remove it",
            );
        } else if !builtin {
            out = out.help(crate::templates::override_help(None));
        } else if overrides.is_empty() {
            out = out.help("this is a built-in template: please report the problem");
        } else {
            let mut names = overrides;
            names.sort_unstable();
            out = out.help(format!(
                "the workspace overrides {}: the problem may come from there; move them out of the templates folder to try the built-in versions (nothing else changes)",
                names
                    .iter()
                    .map(|n| format!("`templates/{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out
    }

    /// The file and position of a span: a template (built in or the workspace's), a file
    /// of the consultant's the PDF embeds, or a file levier made for this report.
    fn locate(
        &self,
        world: &ReportWorld<'_>,
        assets: &PdfAssets,
        span: typst::syntax::DiagSpan,
    ) -> Option<(Place, Option<Location>)> {
        let id = span.id()?;
        let place = match self.origins.get(&id) {
            Some((_, Origin::Workspace(path))) => Place::Workspace(path.clone()),
            Some((name, Origin::BuiltIn)) => Place::BuiltIn(name.to_string()),
            None => {
                let path = virtual_path(id);
                match assets.sources.get(&path) {
                    Some(file) => Place::Theirs(file.clone()),
                    None => Place::Report(path),
                }
            }
        };
        let location = world
            .range(span)
            .and_then(|range| match self.sources.get(&id) {
                Some(source) => Some(Location::from_span(source.text(), range)),
                // An embedded file's line and column are the consultant's file's own.
                None => {
                    let bytes = typst::World::file(world, id).ok()?;
                    let text = std::str::from_utf8(bytes.as_slice()).ok()?;
                    (range.end <= text.len()).then(|| Location::from_span(text, range))
                }
            });
        Some((place, location))
    }
}

/// Where a Typst diagnostic points.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// A built-in template, by name (`typst/lib.typ`).
    BuiltIn(String),
    /// A template the workspace overrides.
    Workspace(PathBuf),
    /// A file of the engagement (an image, the brand), as it is on disk.
    Theirs(PathBuf),
    /// A file levier made for the report (its data, a chart), by virtual path.
    Report(String),
}

impl Place {
    fn shown(&self) -> String {
        match self {
            Place::BuiltIn(name) => format!("<built-in>/templates/{name}"),
            Place::Workspace(path) | Place::Theirs(path) => path.display().to_string(),
            Place::Report(path) => format!("<report>{path}"),
        }
    }
}

/// Forgets Typst's memoised results that the last few engagements did not use: they
/// speed up the next compilations (shaped words, parsed templates, fonts), but a
/// workspace of many engagements would otherwise keep every layout in memory.
pub fn trim_caches() {
    typst::comemo::evict(3);
}

/// The report's `as_of` date for `today()`, the document's date and the PDF metadata.
fn as_of_date(date: chrono::NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
        .unwrap_or_else(|| Datetime::from_ymd(1970, 1, 1).expect("a valid date"))
}

/// The PDF output: one document per report and scorecard, compiled in parallel.
pub struct PdfOutput;

impl Output for PdfOutput {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn render(&self, job: &Job<'_>) -> Result<Rendered, Vec<Diagnostic>> {
        let e = job.engagement;
        let assets = PdfAssets::of(e);
        let documents: Vec<&Document> = job.deliverables.documents().collect();
        let charts = job.charts();
        let results = compile_each(documents.len(), |i| {
            let document = documents[i];
            let name = document.file(Format::Pdf);
            let ident = format!("levier/{}/{name}", e.slug);
            guarded(&e.slug, &name, || {
                job.renderers
                    .pdf
                    .render(&document.report, &charts[i], &assets, &ident)
            })
        });
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        let mut errors: Vec<Diagnostic> = Vec::new();
        for (document, result) in documents.iter().zip(results) {
            match result {
                Ok((bytes, found)) => {
                    files.push((document.file(Format::Pdf), bytes));
                    warnings.extend(found);
                }
                // A template error repeats in every document: report it once.
                Err(found) => errors.extend(found),
            }
        }
        trim_caches();
        if errors.iter().any(Diagnostic::is_error) {
            return Err(super::dedup(errors));
        }
        Ok(Rendered {
            files,
            warnings: super::dedup(warnings),
        })
    }
}

/// Runs one document's compilation; a panic inside it (Typst, krilla) becomes that
/// document's error, named after the engagement, and the other documents and
/// engagements are still built.
fn guarded<T>(
    slug: &str,
    document: &str,
    compile: impl FnOnce() -> Result<T, Vec<Diagnostic>>,
) -> Result<T, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(compile))
        .unwrap_or_else(|panic| Err(vec![compiler_panic(slug, document, &panic)]))
}

/// A panic inside the Typst compiler or the PDF writer, as an error of the engagement
/// and the document it was making, instead of the end of the whole run.
fn compiler_panic(slug: &str, document: &str, panic: &Box<dyn std::any::Any + Send>) -> Diagnostic {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let mut d = Diagnostic::error(format!(
        "the PDF `{document}` of `{slug}` could not be made: the PDF compiler stopped unexpectedly"
    ))
    .help("the other documents and engagements are built; please report this with the engagement's files");
    if !what.is_empty() {
        d = d.note(what);
    }
    d
}

/// How many PDFs are compiled at once, in the whole process: one per core. Each
/// compilation also uses rayon's pool for Typst's own parallel layout.
fn compile_slots() -> &'static (std::sync::Mutex<usize>, std::sync::Condvar) {
    static SLOTS: OnceLock<(std::sync::Mutex<usize>, std::sync::Condvar)> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (std::sync::Mutex::new(cores), std::sync::Condvar::new())
    })
}

/// Runs `compile(i)` for each `i` in `0..n`, results in order, on plain threads rather
/// than rayon's workers.
///
/// Typst lays pages out on rayon's pool, and a rayon worker waiting for that layout
/// steals other jobs meanwhile: if compilations were rayon jobs too, a worker would start
/// another PDF inside the one it waits for, and a few hundred scorecards nested that
/// deep overflowed the stack. Compilations here are taken in turn by a few threads, each
/// holding one of the process's [`compile_slots`] while it compiles, so nothing nests
/// and memory stays that of one PDF per core.
fn compile_each<T: Send>(n: usize, compile: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |c| c.get())
        .clamp(1, n.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<T>>> =
        (0..n).map(|_| std::sync::Mutex::new(None)).collect();
    let (slots, freed) = compile_slots();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            std::thread::Builder::new()
                // Typst's evaluation recurses with the template; its layout runs on
                // rayon's workers, which levier gives the same room (see `Renderers`).
                .stack_size(COMPILER_STACK)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        {
                            let mut free = slots.lock().unwrap_or_else(|e| e.into_inner());
                            while *free == 0 {
                                free = freed.wait(free).unwrap_or_else(|e| e.into_inner());
                            }
                            *free -= 1;
                        }
                        let result = compile(i);
                        *slots.lock().unwrap_or_else(|e| e.into_inner()) += 1;
                        freed.notify_one();
                        *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                    }
                })
                .expect("a thread for PDF compilation");
        }
    });
    results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every document was compiled")
        })
        .collect()
}

/// The stack of a thread that compiles PDFs, and of rayon's workers.
pub(crate) const COMPILER_STACK: usize = 16 << 20;

/// The report data a Typst template reads (`/report.json`): the model, each block with
/// what only the PDF needs, and the engagement's assets by virtual path.
#[derive(Debug, Serialize)]
struct PdfData<'a> {
    #[serde(flatten)]
    report: ReportView<'a, PdfBlock<'a>>,
    assets: AssetsView<'a>,
}

/// What a block of the model adds for the PDF template.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum PdfBlock<'a> {
    /// The consultant's note as a tree of typed nodes.
    Note(BlockView<'a, NoteTree>),
    /// A table with the share of the text width each column takes.
    Table(BlockView<'a, Widths>),
    /// The chart's file, title and text alternative.
    Chart(BlockView<'a, ChartFile<'a>>),
    Plain(&'a Block),
}

#[derive(Debug, Serialize)]
struct NoteTree {
    tree: Node,
}

#[derive(Debug, Serialize)]
struct Widths {
    widths: Vec<f64>,
}

#[derive(Debug, Serialize)]
struct ChartFile<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alt: Option<&'a str>,
    /// The virtual path of the whole chart as SVG, labels included; none when it was not
    /// drawn. Kept for templates ejected before `drawing`.
    path: Option<String>,
    /// The chart as the built-in template draws it: its shapes as SVG, its labels set by
    /// Typst over them.
    drawing: Option<Drawing<'a>>,
}

#[derive(Debug, Serialize)]
struct Drawing<'a> {
    /// The virtual path of the shapes' SVG.
    path: String,
    /// The `viewBox` of both SVGs, in the labels' units.
    width: u32,
    height: u32,
    labels: &'a [PlacedLabel],
}

#[derive(Debug, Serialize)]
struct AssetsView<'a> {
    logo: Option<&'a str>,
    body_fonts: &'a [String],
    heading_fonts: &'a [String],
}

impl<'a> PdfData<'a> {
    /// The data of `report`, and the chart files it refers to, numbered in reading
    /// order.
    fn new(
        report: &'a Report,
        charts: &'a BTreeMap<String, ChartArt>,
        assets: &'a PdfAssets,
    ) -> (PdfData<'a>, Vec<(String, &'a str)>) {
        let images: BTreeMap<&str, &str> = assets
            .images
            .iter()
            .map(|(src, (path, _))| (src.as_str(), path.as_str()))
            .collect();
        let french = report.lang == Language::Fr;
        let mut files: Vec<(String, &'a str)> = Vec::new();
        let view = ReportView::new(report, |block, _| match block {
            Block::Note { markdown, .. } => PdfBlock::Note(BlockView {
                block,
                extra: NoteTree {
                    tree: markdown_tree(markdown, &images, french),
                },
            }),
            Block::Table(table) => PdfBlock::Table(BlockView {
                block,
                extra: Widths {
                    widths: column_widths(table),
                },
            }),
            Block::Chart { id } => {
                let chart = view::chart(report, block);
                let art = charts.get(id);
                let mut file = |svg: &'a str, suffix: &str| {
                    let path = format!("/charts/{}{suffix}.svg", files.len());
                    files.push((path.clone(), svg));
                    path
                };
                let path = art.map(|art| file(&art.svg, ""));
                let drawing = art.map(|art| Drawing {
                    path: file(&art.pdf.shapes, "-shapes"),
                    width: art.pdf.width,
                    height: art.pdf.height,
                    labels: &art.pdf.labels,
                });
                PdfBlock::Chart(BlockView {
                    block,
                    extra: ChartFile {
                        title: chart.map(|c| c.title.as_str()),
                        alt: chart.map(|c| c.alt.as_str()),
                        path,
                        drawing,
                    },
                })
            }
            _ => PdfBlock::Plain(block),
        });
        let data = PdfData {
            report: view,
            assets: AssetsView {
                logo: assets.logo.as_ref().map(|(path, _)| path.as_str()),
                body_fonts: &assets.body_fonts,
                heading_fonts: &assets.heading_fonts,
            },
        };
        (data, files)
    }
}

/// The width a table may use, in ems of its cells' type: the A4 text width (168 mm)
/// at 8.5 pt.
const TABLE_WIDTH_EM: f64 = 56.0;

/// Column widths of a table of the model, as shares of the text width: each column
/// gets its longest cell (and its header's longest word, set in small tracked
/// capitals) so that tables span the width and figures stay on one line. When the
/// longest cells do not fit side by side, figures, dates and codes keep their width and
/// the columns of left-aligned text share what is left as a browser lays out a table:
/// each keeps its longest word, then gets room in proportion to how much longer its
/// text is. So an action's title gets most of the room and a salesperson's initials
/// or a status keep theirs. Estimated with Inter's widths, with a margin for brand
/// fonts and bold figures.
fn column_widths(table: &Table) -> Vec<f64> {
    let m = TextMetrics::get();
    let ems = |text: &str, bold: bool| {
        m.width(
            text,
            if bold {
                Weight::SemiBold
            } else {
                Weight::Regular
            },
        )
    };
    // Words as lines break: at breaking spaces only, so that an id (`R8-SL-admin`), a
    // hyphenated word or a figure (`3 300 000 €`, with no-break spaces) is given the
    // room to stay whole.
    // A range's en dash is a break too ("sept. 2025–" / "mars 2026").
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
            .flat_map(|w| w.split_inclusive('–'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    // Cell padding (5 pt each side) in ems of 8.5 pt.
    let pad = 10.0 / 8.5;
    // No column asks for more than this, whatever one cell holds (a long token is
    // broken by the template).
    let widest_cell = 30.0;
    let columns = &table.columns;
    let mut natural = Vec::with_capacity(columns.len());
    let mut least = Vec::with_capacity(columns.len());
    let mut wraps = Vec::with_capacity(columns.len());
    let mut longest_text = Vec::with_capacity(columns.len());
    for (x, column) in columns.iter().enumerate() {
        // Headers: 6.5 pt SemiBold capitals tracked 0.03 em, in ems of 8.5 pt.
        let header = words(&column.label)
            .iter()
            .map(|w| {
                let n = w.chars().count() as f64;
                (ems(&w.to_uppercase(), true) + 0.03 * n) * 6.5 / 8.5
            })
            .fold(0.0, f64::max);
        let (mut longest, mut word) = (0.0_f64, 0.0_f64);
        for row in &table.rows {
            let Some(cell) = row.cells.get(x) else {
                continue;
            };
            let bold = x == 0 || row.emphasis || cell.tone != Tone::Neutral;
            longest = longest.max(ems(&cell.text, bold));
            for w in words(&cell.text) {
                word = word.max(ems(&w, bold));
            }
            // The detail line is set at 7 pt.
            if let Some(detail) = &cell.detail {
                let small = 7.0 / 8.5;
                longest = longest.max(ems(detail, false) * small);
                for w in words(detail) {
                    word = word.max(ems(&w, false) * small);
                }
            }
        }
        let left = column.align == Align::Left;
        // A column that does not wrap must never be too narrow: a wider margin.
        let margin = if left { 1.04 } else { 1.08 };
        natural.push(longest.max(header).clamp(2.0, widest_cell) * margin + pad);
        least.push(word.max(header).clamp(2.0, widest_cell / 2.0) * margin + pad);
        wraps.push(left);
        longest_text.push(longest);
    }
    let round = |w: &[f64]| -> Vec<f64> { w.iter().map(|n| (n * 100.0).round() / 100.0).collect() };
    if natural.iter().sum::<f64>() <= TABLE_WIDTH_EM {
        return round(&natural);
    }
    let fixed: f64 = (0..natural.len())
        .map(|x| if wraps[x] { least[x] } else { natural[x] })
        .sum();
    // The longest text (an action's title) is what the table is about: it gets twice
    // its share, so that it does not wrap into five lines beside a long indicator.
    let widest = (0..natural.len())
        .filter(|&x| wraps[x])
        .max_by(|&x, &y| longest_text[x].total_cmp(&longest_text[y]).then(y.cmp(&x)));
    let want = |x: usize| {
        let weight = if Some(x) == widest { 2.0 } else { 1.0 };
        (natural[x] - least[x]) * weight
    };
    let wanted: f64 = (0..natural.len()).filter(|&x| wraps[x]).map(want).sum();
    let room = (TABLE_WIDTH_EM - fixed).max(0.0);
    let widths: Vec<f64> = (0..natural.len())
        .map(|x| {
            if !wraps[x] {
                natural[x]
            } else if wanted > 0.0 {
                (least[x] + want(x) * (room / wanted)).min(natural[x])
            } else {
                least[x]
            }
        })
        .collect();
    round(&widths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::model::{Cell, Column, Row};

    /// Issue 9: a panic inside the PDF compiler for one document (a krilla assertion on
    /// an image, say) is that document's error, naming the engagement, never the end of
    /// the run; the documents compiled beside it are kept.
    #[test]
    fn a_panic_while_compiling_one_pdf_is_that_documents_error() {
        let results = compile_each(3, |i| {
            guarded("acme", &format!("doc{i}.pdf"), || {
                if i == 1 {
                    panic!("krilla: image too large");
                }
                Ok(i)
            })
        });
        assert_eq!(results[0].as_ref().ok(), Some(&0));
        assert_eq!(results[2].as_ref().ok(), Some(&2));
        let errors = results[1].as_ref().expect_err("the panic is an error");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].is_error());
        assert!(
            errors[0].message.contains("`doc1.pdf` of `acme`"),
            "{:?}",
            errors[0]
        );
        assert!(
            errors[0]
                .notes
                .iter()
                .any(|n| n.contains("image too large")),
            "{:?}",
            errors[0]
        );
    }

    /// Issue 9: a Typst error inside an image of the consultant's (one the loader's
    /// checks let through) names their file, with its line, and does not call it a
    /// problem of levier's built-in templates.
    #[test]
    fn an_image_typst_refuses_is_named_as_the_consultants_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut e = crate::engagement::load(&root.join("engagements/groupe-ferrand"), Some(root))
            .engagement
            .expect("example loads");
        let note = &mut e.notes[0];
        note.markdown.push_str("\n\n![Plan](img/plan.svg)\n");
        note.images.insert(
            "img/plan.svg".into(),
            crate::engagement::notes::NoteImage {
                mime: "image/svg+xml",
                bytes: b"<svg xmlns='http://www.w3.org/2000/svg'>\n<rect width='10'>\n</svg>"
                    .to_vec(),
            },
        );
        let note_file = note.file.clone();
        let (m, _) = crate::assess::measure(&e);
        let d = crate::present::deliverables(&e, &m, &[Format::Pdf]);
        let renderers = super::super::Renderers::new(crate::templates::Templates::builtin())
            .expect("built-in templates parse");
        let job = Job::new(&e, &m, &d, &renderers);
        let errors = PdfOutput
            .render(&job)
            .expect_err("the broken SVG is refused");
        let expected = e
            .dir
            .join(Path::new(&note_file).parent().unwrap())
            .join("img/plan.svg");
        let at_fault = errors
            .iter()
            .find(|d| d.path.as_deref() == Some(expected.as_path()))
            .unwrap_or_else(|| panic!("{errors:#?}"));
        assert_eq!(
            at_fault.location.as_ref().map(|l| l.line),
            Some(3),
            "{at_fault:?}"
        );
        for d in &errors {
            let text = format!("{d:?}");
            assert!(!text.contains("please report"), "{text}");
        }
    }

    #[test]
    fn tables_share_the_width_and_long_text_wraps() {
        let cell = |text: &str| Cell {
            text: text.into(),
            tone: Tone::Neutral,
            detail: None,
        };
        let table = Table {
            id: "t".into(),
            caption: String::new(),
            columns: vec![
                Column {
                    label: "Action".into(),
                    align: Align::Left,
                },
                Column {
                    label: "Échéance".into(),
                    align: Align::Right,
                },
                Column {
                    label: "Montant".into(),
                    align: Align::Right,
                },
            ],
            rows: vec![Row {
                emphasis: false,
                cells: vec![
                    cell(
                        "Plan grand compte Rhône Restauration Collective et diversification du portefeuille A",
                    ),
                    cell("31 décembre 2025"),
                    cell("2\u{202f}688\u{202f}316\u{a0}€"),
                ],
            }],
            note: None,
        };
        let w = column_widths(&table);
        let m = TextMetrics::get();
        // Figures keep their natural width; the text column takes what is left.
        assert!(w[1] > m.width("31 décembre 2025", Weight::Regular), "{w:?}");
        assert!(w[2] > m.width("2 688 316 €", Weight::Regular), "{w:?}");
        assert!(
            w[0] < m.width(
                "Plan grand compte Rhône Restauration Collective et diversification du portefeuille A",
                Weight::SemiBold
            ),
            "{w:?}"
        );
        assert!(w[0] > m.width("diversification", Weight::SemiBold), "{w:?}");
    }
}
