//! A small in-memory Typst [`World`]: everything a PDF template may read, and nothing else.
//!
//! Typst asks its `World` for every file, font and the current date. levier's world
//! (modelled on typst-cli's `world.rs`, without the disk, the package downloader and the
//! clock) serves only virtual files prepared in memory:
//!
//! - `/typst/*.typ`: the templates, parsed once per workspace ([`Templates`] decides
//!   whether each is built in or overridden);
//! - `/report.json`: the report model, read by the template with `json()`, so client
//!   text reaches Typst only as data and is never parsed as markup;
//! - `/charts/<n>.svg`, `/brand/logo.<ext>`, `/images/<n>.<ext>`: the charts drawn for
//!   the HTML, the brand's logo and the notes' images, under names levier chose (never
//!   a path written by the consultant).
//!
//! Fonts are typst-assets' fonts plus the bundled Inter, parsed once per process and
//! shared by every compilation; a brand's own font files are added on top for its
//! engagements. `today()` is the report's `as_of` date, so output never depends on the
//! clock. Packages (`@preview/...`) are refused: a build never touches the network.
//!
//! [`Templates`]: crate::templates::Templates

use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::glyphs::INTER;

/// A set of fonts and the book Typst selects them from (same indices).
pub struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl FontSet {
    /// The bundled fonts: typst-assets' (Libertinus Serif, New Computer Modern, DejaVu
    /// Sans Mono) and Inter. Parsed on first use, once per process.
    pub fn bundled() -> &'static FontSet {
        static BUNDLED: OnceLock<FontSet> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            let fonts: Vec<Font> = INTER
                .into_iter()
                .chain(typst_assets::fonts())
                .flat_map(|data| Font::iter(Bytes::new(data)))
                .collect();
            FontSet {
                book: LazyHash::new(FontBook::from_fonts(&fonts)),
                fonts,
            }
        })
    }

    /// The bundled fonts plus a brand's font files (TrueType or OpenType, collections
    /// too). Files Typst cannot read are skipped: the brand loader already checked them.
    pub fn with_brand(files: &[Vec<u8>]) -> Arc<FontSet> {
        let base = FontSet::bundled();
        let mut fonts = base.fonts.clone();
        for data in files {
            fonts.extend(Font::iter(Bytes::new(data.clone())));
        }
        Arc::new(FontSet {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        })
    }

    /// Whether some font of the set belongs to `family` (case-insensitive).
    pub fn has_family(&self, family: &str) -> bool {
        self.book.contains_family(&family.to_lowercase())
    }
}

/// Fonts of a compilation: the shared bundled set, or a brand's extended set.
#[derive(Clone)]
pub enum Fonts {
    Bundled,
    Brand(Arc<FontSet>),
}

impl Fonts {
    fn set(&self) -> &FontSet {
        match self {
            Fonts::Bundled => FontSet::bundled(),
            Fonts::Brand(set) => set,
        }
    }

    /// Whether some font belongs to `family` (case-insensitive): a brand may name a
    /// family it does not ship, which the PDF then replaces with Inter.
    pub fn has_family(&self, family: &str) -> bool {
        self.set().has_family(family)
    }
}

/// Typst's standard library, built once: levier passes data as a file, not as
/// `sys.inputs`, so one library serves every report (and Typst's caches stay warm).
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// The file id of a virtual path such as `/report.json`.
pub fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("levier's virtual paths are valid"),
    )
    .intern()
}

/// The virtual path of a file id (`/typst/report.typ`), for diagnostics.
pub fn virtual_path(id: FileId) -> String {
    id.vpath().get_with_slash().to_string()
}

/// One compilation's world: the templates (shared), the main template, and the files
/// of one report.
pub struct ReportWorld<'a> {
    sources: &'a FxHashMap<FileId, Source>,
    main: FileId,
    files: FxHashMap<FileId, Bytes>,
    fonts: Fonts,
    today: Datetime,
}

impl<'a> ReportWorld<'a> {
    /// A world whose main file is `main` (one of `sources`), dated `today`.
    pub fn new(
        sources: &'a FxHashMap<FileId, Source>,
        main: FileId,
        fonts: Fonts,
        today: Datetime,
    ) -> ReportWorld<'a> {
        ReportWorld {
            sources,
            main,
            files: FxHashMap::default(),
            fonts,
            today,
        }
    }

    /// Serves `bytes` at the virtual `path`.
    pub fn insert(&mut self, path: &str, bytes: Bytes) {
        self.files.insert(file_id(path), bytes);
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.set().book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        refuse_packages(id)?;
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        refuse_packages(id)?;
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_string())),
            None => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.set().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn refuse_packages(id: FileId) -> FileResult<()> {
    match id.root() {
        VirtualRoot::Project => Ok(()),
        VirtualRoot::Package(spec) => Err(FileError::Package(PackageError::Other(Some(
            format!("packages such as {spec} are not available in levier templates").into(),
        )))),
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_include_inter_and_typst_assets() {
        let set = FontSet::bundled();
        assert!(set.has_family("Inter"));
        assert!(set.has_family("Libertinus Serif"));
        assert!(set.has_family("DejaVu Sans Mono"));
        // Shared, not reloaded.
        assert!(std::ptr::eq(set, FontSet::bundled()));
    }

    #[test]
    fn only_virtual_files_are_served() {
        let sources = FxHashMap::default();
        let main = file_id("/typst/report.typ");
        let mut world = ReportWorld::new(
            &sources,
            main,
            Fonts::Bundled,
            Datetime::from_ymd(2025, 9, 30).unwrap(),
        );
        world.insert("/report.json", Bytes::from_string("{}".to_string()));
        assert!(world.file(file_id("/report.json")).is_ok());
        assert!(world.file(file_id("/etc/passwd")).is_err());
        // A path out of the root is refused before it reaches the world.
        assert!(VirtualPath::new("/../../etc/passwd").is_err());
        assert!(world.source(file_id("/report.json")).is_err());
        assert_eq!(
            world.today(None),
            Some(Datetime::from_ymd(2025, 9, 30).unwrap())
        );
    }
}
