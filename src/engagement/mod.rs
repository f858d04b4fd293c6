//! Loading an engagement folder: the first stage of the pipeline.
//!
//! Only parsing and validation happen here, following engagement-format.md (format v1).
//! Every problem of every file is collected before giving up, so a consultant sees them
//! all at once. The result is an [`Engagement`]: typed, interned data that the analyses
//! read without I/O.

pub mod brand;
pub mod checks;
pub mod config;
pub mod images;
pub mod language;
pub mod notes;
pub mod objectives;
pub mod paths;
pub mod plan;
pub mod presets;
pub mod sources;
pub mod tables;
pub mod text;
pub mod toml_reader;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

pub use brand::Brand;
pub use config::{EngagementInfo, ProjectionMethod, RuleSetting, Settings, TableSource};
pub use notes::{Note, NoteSection};
pub use objectives::Objectives;
pub use plan::{Acquisition, Action, Plan};
pub use tables::{Activity, ClientKey, ClientRecord, FileStats, Interner, Label, Lead, SaleLine};
use toml_reader::{Sourced, TomlFile};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::vocab::TableKind;

/// A file levier read, for the provenance annex.
#[derive(Debug, Clone, Serialize)]
pub struct SourceFile {
    /// Path relative to the engagement folder (or `brand/...`).
    pub file: String,
    pub bytes: u64,
    pub blake3: String,
}

/// A loaded, validated engagement.
#[derive(Debug, Clone)]
pub struct Engagement {
    /// The folder name; names the outputs.
    pub slug: String,
    /// Canonical path of the engagement folder.
    pub dir: PathBuf,
    pub info: EngagementInfo,
    pub settings: Settings,
    pub rules: BTreeMap<String, Sourced<RuleSetting>>,
    pub objectives: Option<Objectives>,
    pub plan: Option<Plan>,
    pub notes: Vec<Note>,
    pub brand: Brand,
    /// Client ids as written in the files (leading zeros kept), by [`ClientKey`].
    pub client_ids: Interner,
    /// Reps, products, zones, segments, prescribers and channels, by [`Label`].
    pub labels: Interner,
    pub sales: Vec<SaleLine>,
    pub clients: Option<Vec<ClientRecord>>,
    pub leads: Option<Vec<Lead>>,
    pub activities: Option<Vec<Activity>>,
    /// How each CSV table was read.
    pub tables: BTreeMap<TableKind, FileStats>,
    /// Every other file read (TOML, notes, brand).
    pub sources: Vec<SourceFile>,
    /// What loading noticed about the data as a whole.
    pub quality: LoadQuality,
    /// The measurements recorded by `levier record` (`history/`), oldest first.
    pub history: crate::history::History,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
    /// The words of the reports: labels and lever texts, levier's own unless the build
    /// applies the workspace's overrides (`templates/i18n/`, `templates/levers.toml`).
    pub texts: std::sync::Arc<crate::i18n::Texts>,
}

impl Engagement {
    pub fn client_id(&self, key: ClientKey) -> &str {
        self.client_ids.name(key.0)
    }

    pub fn label(&self, label: Label) -> &str {
        self.labels.name(label.0)
    }

    /// The clients table row of each client, by client key (when the table exists).
    pub fn client_records(&self) -> Vec<Option<&ClientRecord>> {
        let mut by_key = vec![None; self.client_ids.len()];
        for record in self.clients.iter().flatten() {
            by_key[record.client.0 as usize] = Some(record);
        }
        by_key
    }
}

/// What loading noticed about the data beyond its rows, for the analyses and the
/// data-quality annex.
#[derive(Debug, Clone, Default)]
pub struct LoadQuality {
    /// The last sales date of the bulk of the data, leaving out lines dated after the
    /// fiscal year or far after the rest (see [`checks::sales_extent`]): the data
    /// cut-off when `as_of` is not set. `None`: the last sales date.
    pub sales_end: Option<NaiveDate>,
    /// Clients whose sales lines give different zones or segments.
    pub clients_with_disagreeing_sales: usize,
    /// Leads neither won nor lost with a closing date (a CRM's expected close date),
    /// which is ignored.
    pub open_leads_with_closing_date: usize,
    /// What presets did (`levier check --explain`).
    pub explain: Vec<String>,
}

/// The outcome of loading one engagement: the engagement when it has no errors, and
/// every diagnostic found (errors and warnings).
pub struct Loaded {
    pub engagement: Option<Engagement>,
    pub diagnostics: Diagnostics,
    /// What the CRM presets of `[data.*]` mapped, file by file (`levier check --explain`).
    pub explain: Vec<String>,
}

/// Loads the engagement in `dir`. `workspace` is where a shared `brand/` may be found.
pub fn load(dir: &Path, workspace: Option<&Path>) -> Loaded {
    let mut diagnostics = Diagnostics::new();
    let mut explain = Vec::new();
    let engagement = load_inner(dir, workspace, &mut diagnostics, &mut explain);
    let engagement = if diagnostics.has_errors() {
        None
    } else {
        engagement
    };
    Loaded {
        engagement: engagement.map(|mut e| {
            e.warnings = diagnostics
                .iter()
                .filter(|d| !d.is_error())
                .cloned()
                .collect();
            e
        }),
        diagnostics,
        explain,
    }
}

/// `levier check --explain`: which columns and values each CRM preset of the
/// engagement in `dir` used, one block per file.
pub fn explain(dir: &Path, workspace: &Path) -> String {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let loaded = load(dir, Some(workspace));
    if loaded.explain.is_empty() {
        return format!("{name}: no preset and no row left out\n");
    }
    let mut out = String::new();
    for block in &loaded.explain {
        out.push_str(&format!("{name}: {block}\n"));
    }
    out
}

fn load_inner(
    dir: &Path,
    workspace: Option<&Path>,
    diags: &mut Diagnostics,
    explain_out: &mut Vec<String>,
) -> Option<Engagement> {
    // The slug is the folder's name in engagements/, as given: when that entry is a
    // symbolic link to a shared drive, the target's name is not the engagement's name.
    let given_name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let dir = match dir.canonicalize() {
        Ok(d) => d,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot open engagement folder: {e}")).in_file(dir),
            );
            return None;
        }
    };
    let slug = match given_name {
        Some(name) => name,
        None => dir.file_name()?.to_string_lossy().into_owned(),
    };
    let mut sources = Vec::new();

    // engagement.toml
    let config_path = dir.join("engagement.toml");
    let mut config_parsed = true;
    let config = match read_text(&dir, "engagement.toml", &mut sources, diags) {
        Ok(text) => {
            let file = TomlFile::new(&config_path, &text);
            let config = config::read(&file);
            let found = file.into_diagnostics();
            config_parsed = !found.iter().any(Diagnostic::is_error);
            diags.extend(found);
            Some(config)
        }
        Err(e) => {
            // The "needs an engagement.toml" help only when there is none.
            let missing = matches!(e, TextError::Unreadable { missing: true, .. });
            let mut d = e.diagnostic("engagement.toml", &config_path);
            if missing {
                d = d.help("every engagement folder needs an engagement.toml; `levier new <slug>` writes one");
            }
            diags.push(d);
            None
        }
    };
    // objectives.toml and plan.toml, optional.
    let objectives = read_optional_toml(
        &dir,
        "objectives.toml",
        &mut sources,
        diags,
        objectives::read,
    );
    let plan = read_optional_toml(&dir, "plan.toml", &mut sources, diags, plan::read);

    let config = match config {
        Some(config) if config_parsed => config,
        _ => {
            // How to read the CSV files is in engagement.toml ([data.*]): without it, or
            // with an error in it, reading them reports errors that are not there (a
            // windows-1252 file as "not UTF-8", a cell error per row for a wrong
            // `date_format`), so its errors come alone, before any of the tables'. The
            // other files do not depend on it: their problems are reported now rather
            // than one at a time.
            read_notes(&dir, &mut sources, diags);
            resolve_brand(
                &dir,
                workspace,
                crate::vocab::Language::Fr,
                &mut sources,
                diags,
            );
            return None;
        }
    };

    // The four tables.
    let Some(info) = config.info.clone() else {
        read_notes(&dir, &mut sources, diags);
        resolve_brand(
            &dir,
            workspace,
            crate::vocab::Language::Fr,
            &mut sources,
            diags,
        );
        return None;
    };
    let mut client_ids = Interner::default();
    let mut labels = Interner::default();
    let no_source = [TableSource::default()];
    let sources_of = |kind| config.data.get(&kind).map_or(&no_source[..], Vec::as_slice);
    let mut reading = TableReading {
        dir: &dir,
        context: tables::ReadContext {
            language: info.language,
            currency: &info.currency,
            exchange_rates: &config.settings.exchange_rates,
        },
        diags,
        tables: BTreeMap::new(),
        more_files: Vec::new(),
        explain: Vec::new(),
    };

    let errors_before_sales = reading.diags.error_count();
    let mut attributes = tables::rows::SalesAttributes::default();
    let sales = reading.read(
        TableKind::Sales,
        sources_of(TableKind::Sales),
        &mut tables::rows::SalesRows {
            client_ids: &mut client_ids,
            labels: &mut labels,
            attributes: &mut attributes,
        },
    );
    let sales_file = reading
        .tables
        .get(&TableKind::Sales)
        .map(|s| dir.join(&s.file));
    // A sales file with a header and no line would pass every check and give a report of
    // zeros; every analysis starts from the sales, so it is an error.
    let sales_read = reading.diags.error_count() == errors_before_sales;
    if let (Some(sales), Some(file)) = (&sales, &sales_file)
        && sales_read
        && sales.is_empty()
    {
        reading.diags.push(
            Diagnostic::error("the sales table has no lines")
                .in_file(file)
                .label("expected one invoice line per row after the header")
                .help("export the invoice lines of the fiscal year and of the year before it"),
        );
    }
    let mut quality = LoadQuality::default();
    if let (Some(sales), Some(file)) = (&sales, &sales_file)
        && sales_read
    {
        let extent = checks::sales_extent(sales, &info);
        reading
            .diags
            .extend(checks::check_sales_dates(sales, &info, &extent, file));
        quality.sales_end = extent.end;
    }

    let mut clients = reading.read(
        TableKind::Clients,
        sources_of(TableKind::Clients),
        &mut tables::rows::ClientRows {
            client_ids: &mut client_ids,
            labels: &mut labels,
            seen: BTreeMap::new(),
        },
    );
    let mut lead_rows = tables::rows::LeadRows {
        client_ids: &mut client_ids,
        labels: &mut labels,
        seen: BTreeMap::new(),
        without_source: 0,
        closed_before_created: Vec::new(),
        open_with_closed: Vec::new(),
    };
    let leads = reading.read(
        TableKind::Leads,
        sources_of(TableKind::Leads),
        &mut lead_rows,
    );
    let open_leads_with_closing_date = lead_rows.open_with_closed.len();
    if let Some(stats) = reading.tables.get(&TableKind::Leads) {
        let file = dir.join(&stats.file);
        reading.diags.extend(lead_rows.warnings(&file));
    }
    let activities = reading.read(
        TableKind::Activities,
        sources_of(TableKind::Activities),
        &mut tables::rows::ActivityRows {
            client_ids: &mut client_ids,
            labels: &mut labels,
        },
    );
    let TableReading {
        tables,
        more_files,
        explain,
        ..
    } = reading;
    sources.extend(more_files);
    quality.clients_with_disagreeing_sales = attributes.disagreeing.len();
    quality.open_leads_with_closing_date = open_leads_with_closing_date;
    explain_out.clone_from(&explain);
    quality.explain = explain;
    if let Some(sales) = &sales {
        clients = checks::client_attributes_from_sales(clients, sales, &attributes);
    }

    // Notes.
    let notes = read_notes(&dir, &mut sources, diags);

    // Brand.
    let brand = resolve_brand(&dir, workspace, info.language, &mut sources, diags);

    // Earlier measurements: a record that cannot be used is a warning, never a failure.
    let (history, found) = crate::history::load(&dir, &slug, info.fiscal_year_start);
    diags.extend(found);

    let sales = sales?;
    let mut engagement = Engagement {
        slug,
        dir,
        info,
        settings: config.settings,
        rules: config.rules,
        objectives,
        plan,
        notes,
        brand: brand?,
        client_ids,
        labels,
        sales,
        clients,
        leads,
        activities,
        tables,
        sources,
        quality,
        history,
        warnings: Vec::new(),
        texts: crate::i18n::Texts::builtin(),
    };
    // Once the brand's fonts are known: what the PDF's fonts cannot draw. Before the
    // cross-checks, which must see the names as the report will print them (two ids
    // that differ only by an emoji become the same name).
    text::check(&mut engagement, diags);
    // Cross-references are checked on complete data only: with rows dropped for errors,
    // a salesperson may look absent from the data when only their rows were broken.
    if !diags.has_errors() {
        diags.extend(checks::check_rep_file_names(&engagement));
        check_references(&engagement, diags);
    }
    diags.extend(language::check_notes(&engagement));
    Some(engagement)
}

/// Why a text file could not be read.
enum TextError {
    /// Refused or unreadable: the reason, and whether the file simply does not exist.
    Unreadable { reason: String, missing: bool },
    /// Read, but not UTF-8: a diagnostic pointing at the first bad byte.
    NotUtf8(Box<Diagnostic>),
}

impl TextError {
    /// The diagnostic for this error; `what` names the file in the message.
    fn diagnostic(self, what: &str, path: &Path) -> Diagnostic {
        match self {
            TextError::Unreadable { reason, .. } => {
                Diagnostic::error(format!("cannot read {what}: {reason}")).in_file(path)
            }
            TextError::NotUtf8(d) => *d,
        }
    }
}

/// Reads a text file inside the engagement, recording it for provenance.
fn read_text(
    dir: &Path,
    rel: &str,
    sources: &mut Vec<SourceFile>,
    diags: &mut Diagnostics,
) -> Result<String, TextError> {
    let path = paths::confined(dir, rel).map_err(|e| TextError::Unreadable {
        missing: e == paths::PathError::NotFound,
        reason: e.describe(dir),
    })?;
    let limit = if rel.ends_with(".toml") {
        paths::limits::TOML
    } else {
        paths::limits::NOTE
    };
    let bytes = paths::read_regular(&path, limit).map_err(|e| TextError::Unreadable {
        missing: e == paths::PathError::NotFound,
        reason: e.describe(dir),
    })?;
    sources.push(SourceFile {
        file: rel.to_string(),
        bytes: bytes.len() as u64,
        blake3: blake3::hash(&bytes).to_hex().to_string(),
    });
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    let text = String::from_utf8(bytes).map_err(|e| {
        TextError::NotUtf8(Box::new(
            tables::not_utf8(e.as_bytes(), &path)
                .help("save the file as UTF-8 (in the editor's \"Save as\" dialog, choose the UTF-8 encoding)"),
        ))
    })?;
    diags.extend(crate::scaffold::placeholders(&path, &text));
    Ok(text)
}

fn read_optional_toml<T>(
    dir: &Path,
    rel: &str,
    sources: &mut Vec<SourceFile>,
    diags: &mut Diagnostics,
    read: impl FnOnce(&TomlFile<'_>) -> T,
) -> Option<T> {
    let path = dir.join(rel);
    if std::fs::symlink_metadata(&path).is_err() {
        return None;
    }
    match read_text(dir, rel, sources, diags) {
        Ok(text) => {
            let file = TomlFile::new(&path, &text);
            let value = read(&file);
            diags.extend(file.into_diagnostics());
            Some(value)
        }
        Err(e) => {
            diags.push(e.diagnostic(rel, &path));
            None
        }
    }
}

/// Reads the tables: each from its files, in order, concatenated.
struct TableReading<'r> {
    dir: &'r Path,
    context: tables::ReadContext<'r>,
    diags: &'r mut Diagnostics,
    tables: BTreeMap<TableKind, FileStats>,
    /// Provenance of the files after the first of a table.
    more_files: Vec<SourceFile>,
    explain: Vec<String>,
}

impl TableReading<'_> {
    fn read<P: tables::rows::RowParser>(
        &mut self,
        kind: TableKind,
        blocks: &[TableSource],
        parser: &mut P,
    ) -> Option<Vec<P::Row>> {
        let mut all: Option<Vec<P::Row>> = None;
        let mut failed = false;
        for (i, source) in blocks.iter().enumerate() {
            match self.read_file(kind, source, parser) {
                Some(data) => {
                    if let Some(stats) = self.tables.get_mut(&kind) {
                        // A further file of the table: its rows count with the first's,
                        // its hash joins the provenance annex.
                        stats.rows += data.stats.rows;
                        stats.empty_rows_skipped += data.stats.empty_rows_skipped;
                        stats.rows_left_out.merge(&data.stats.rows_left_out);
                        self.more_files.push(SourceFile {
                            file: data.stats.file.clone(),
                            bytes: data.stats.bytes,
                            blake3: data.stats.blake3.clone(),
                        });
                    } else {
                        self.tables.insert(kind, data.stats.clone());
                    }
                    self.explain.extend(data.stats.explain);
                    all.get_or_insert_with(Vec::new).extend(data.rows);
                }
                None => failed |= i > 0 || blocks.len() > 1,
            }
        }
        if failed { None } else { all }
    }

    fn read_file<P: tables::rows::RowParser>(
        &mut self,
        kind: TableKind,
        source: &TableSource,
        parser: &mut P,
    ) -> Option<tables::TableData<P::Row>> {
        let dir = self.dir;
        let default_rel = format!("data/{kind}.csv");
        let rel = source
            .file
            .as_ref()
            .map_or(default_rel.as_str(), |f| f.value.as_str());
        let path = match paths::confined(dir, rel) {
            Ok(p) => p,
            Err(paths::PathError::NotFound) if source.file.is_none() => {
                if kind == TableKind::Sales {
                    self.diags.push(
                        Diagnostic::error("missing sales table")
                            .in_file(dir.join(rel))
                            .label("the sales table is required")
                            .help("export the invoice lines to data/sales.csv, or point to the file with `[data.sales] file = \"...\"` in engagement.toml"),
                    );
                }
                return None;
            }
            Err(e) => {
                let d = match &source.file {
                    Some(f) => f
                        .origin
                        .error(format!("cannot read the {kind} table `{rel}`"))
                        .label(e.describe(dir)),
                    None => Diagnostic::error(format!("cannot read the {kind} table"))
                        .in_file(dir.join(rel))
                        .label(e.describe(dir)),
                };
                self.diags.push(d);
                return None;
            }
        };
        let bytes = match paths::read_regular(&path, paths::limits::TABLE) {
            Ok(b) => b,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(format!("cannot read the {kind} table: {}", e.describe(dir)))
                        .in_file(&path),
                );
                return None;
            }
        };
        let (data, found) =
            tables::read_table(kind, &path, rel, bytes, source, self.context, parser);
        self.diags.extend(found);
        data
    }
}

/// Reads `notes/`: every `*.md` or `*.markdown` file (any case), in name order, with the
/// images they show. Any other file there is a warning, since a consultant who saved a
/// note as `.txt` or `.docx` expects to see it in the report.
fn read_notes(dir: &Path, sources: &mut Vec<SourceFile>, diags: &mut Diagnostics) -> Vec<Note> {
    let notes_dir = dir.join("notes");
    if !notes_dir.is_dir() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let mut others = Vec::new();
    let mut elements = 0;
    let mut budget = images::ImageBudget::default();
    // Images the notes refer to belong beside them, whether they could be used or not.
    let mut shown = BTreeSet::new();
    let walker = walkdir::WalkDir::new(&notes_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_string_lossy().starts_with(['_', '.'])
        });
    for entry in walker.filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if !matches!(extension.as_deref(), Some("md" | "markdown")) {
            others.push((path.to_path_buf(), rel));
            continue;
        }
        match read_text(dir, &rel, sources, diags) {
            Ok(text) => {
                let mut found = Vec::new();
                if let Some(mut note) = notes::read(path, &rel, &text, &mut found) {
                    shown.extend(notes::resolve_images(
                        dir,
                        path,
                        &text,
                        &mut note,
                        &mut budget,
                        &mut found,
                    ));
                    if let Some(count) = notes::bound(path, &text, &mut note, &mut found) {
                        elements += count;
                        // Once, at the note that crosses the limit.
                        if elements > notes::MAX_ELEMENTS_PER_ENGAGEMENT
                            && elements - count <= notes::MAX_ELEMENTS_PER_ENGAGEMENT
                        {
                            found.push(
                                Diagnostic::error(format!(
                                    "the notes have more than {} Markdown elements in all",
                                    notes::MAX_ELEMENTS_PER_ENGAGEMENT
                                ))
                                .in_file(path)
                                .note(format!("counted up to this note, which has {count}"))
                                .help("shorten the notes, or put long lists and tables in the data files"),
                            );
                        }
                        notes.push(note);
                    }
                }
                diags.extend(found);
            }
            Err(e) => diags.push(e.diagnostic("note", path)),
        }
    }
    // A folder of exports dropped into notes/ would print thousands of these: the first
    // few name their file, the rest are counted.
    let (mut told, mut untold) = (0usize, 0usize);
    for (path, rel) in others {
        if shown.contains(&paths::normalise(&path)) {
            continue;
        }
        if told == 5 {
            untold += 1;
            continue;
        }
        told += 1;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let d = if notes::image_mime(&rel).is_some() {
            Diagnostic::warning(format!("image `{rel}` is not shown by any note"))
                .in_file(&path)
                .help(format!(
                    "show it in a note with `![what it shows]({})`, or move it out of notes/",
                    rel.strip_prefix("notes/").unwrap_or(&rel)
                ))
        } else {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            Diagnostic::warning(format!(
                "`{rel}` is not a note and is left out of the report"
            ))
            .in_file(&path)
            .note("notes are Markdown files named `*.md` or `*.markdown`")
            .help(if name.to_ascii_lowercase().ends_with(".txt") {
                format!("rename it `{stem}.md` to include it")
            } else {
                format!("save it as Markdown (`{stem}.md`) to include it, or move it out of notes/")
            })
        };
        diags.push(d);
    }
    if untold > 0 {
        diags.push(
            Diagnostic::warning(format!(
                "{untold} more files of notes/ are not notes and are left out of the report"
            ))
            .in_file(&notes_dir)
            .note("notes are Markdown files named `*.md` or `*.markdown`"),
        );
    }
    notes
}

fn resolve_brand(
    dir: &Path,
    workspace: Option<&Path>,
    language: crate::vocab::Language,
    sources: &mut Vec<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<Brand> {
    let candidates = [
        (Some(dir.join("brand")), brand::BrandOrigin::Engagement),
        (
            workspace.map(|w| w.join("brand")),
            brand::BrandOrigin::Workspace,
        ),
    ];
    for (folder, origin) in candidates {
        let Some(folder) = folder else { continue };
        // `symlink_metadata`: a brand.toml that is a link, even a broken one, is the
        // brand meant, and is refused below rather than silently skipped.
        if std::fs::symlink_metadata(folder.join("brand.toml")).is_err() {
            continue;
        }
        let root = if origin == brand::BrandOrigin::Engagement {
            dir.to_path_buf()
        } else {
            match workspace?.canonicalize() {
                Ok(root) => root,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(format!("cannot open the workspace's brand folder: {e}"))
                            .in_file(&folder),
                    );
                    return None;
                }
            }
        };
        let folder = match paths::check_inside(&root, &folder) {
            Ok(f) => f,
            Err(e) => {
                diags.push(
                    Diagnostic::error("cannot use the brand folder")
                        .in_file(&folder)
                        .label(e.describe(&root)),
                );
                return None;
            }
        };
        let shown = match origin {
            brand::BrandOrigin::Engagement => "brand/brand.toml",
            _ => "<workspace>/brand/brand.toml",
        };
        let mut found = Vec::new();
        let brand = brand::read(&folder, origin, shown, language, sources, &mut found);
        diags.extend(found);
        return brand;
    }
    Some(Brand::builtin())
}

/// Warnings for references that do not match the data: a salesperson with objectives
/// but no activity anywhere, a note for an unknown salesperson.
fn check_references(e: &Engagement, diags: &mut Diagnostics) {
    let mut reps: BTreeSet<&str> = BTreeSet::new();
    for s in &e.sales {
        if let Some(r) = s.rep {
            reps.insert(e.label(r));
        }
    }
    for l in e.leads.iter().flatten() {
        if let Some(r) = l.rep {
            reps.insert(e.label(r));
        }
    }
    for a in e.activities.iter().flatten() {
        reps.insert(e.label(a.rep));
    }
    // The salespeople of the data, as a note says them: a few dozen at most.
    let listed = {
        let shown: Vec<&str> = reps.iter().copied().take(20).collect();
        match reps.len().saturating_sub(shown.len()) {
            0 => shown.join(", "),
            more => format!("{} and {more} more", shown.join(", ")),
        }
    };
    if let Some(o) = &e.objectives {
        let unknown: Vec<&str> = o
            .reps
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| !reps.contains(id) && !reps.is_empty())
            .collect();
        // A few are typos worth a suggestion each; the rest are counted.
        for id in unknown.iter().take(5) {
            diags.push(
                Diagnostic::warning(format!(
                    "salesperson `{id}` of objectives.toml appears in no sales, lead or activity"
                ))
                .in_file(e.dir.join("objectives.toml"))
                .note(format!("salespeople in the data: {listed}"))
                .suggest(id, reps.iter().copied()),
            );
        }
        if unknown.len() > 5 {
            diags.push(
                Diagnostic::warning(format!(
                    "{} more salespeople of objectives.toml appear in no sales, lead or activity",
                    unknown.len() - 5
                ))
                .in_file(e.dir.join("objectives.toml")),
            );
        }
    }
    for note in &e.notes {
        if let Some(rep) = &note.rep
            && !reps.contains(rep.as_str())
            && !e
                .objectives
                .as_ref()
                .is_some_and(|o| o.reps.iter().any(|r| &r.id == rep))
        {
            diags.push(
                Diagnostic::warning(format!("note for unknown salesperson `{rep}`"))
                    .in_file(e.dir.join(&note.file))
                    .suggest(rep, reps.iter().copied()),
            );
        }
    }
}
