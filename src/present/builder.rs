//! The shared state of the present stage while it builds one engagement's documents:
//! the engagement, its figures and their assessment, and how this report writes a
//! label or a figure (translation, formatting, tones). Every section reads it; it
//! decides no section.

use std::cell::RefCell;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::model::*;
use crate::analysis::figures::{Money, Quantity, Rate, ratio};
use crate::analysis::objectives::{Figure, ObjectiveKey, ObjectiveLine, RevenueObjective, Unit};
use crate::analysis::{CutKey, Metrics};
use crate::assess::{Assessment, Measured};
use crate::engagement::{Engagement, NoteSection, ProjectionMethod};
use crate::i18n::{Formatter, Labels};
use crate::vocab::{ActivityKind, LeadSource, Vocabulary};

/// Shared state while building one report.
pub(crate) struct Builder<'a> {
    pub e: &'a Engagement,
    pub m: &'a Metrics,
    pub a: &'a Assessment,
    pub fmt: Formatter,
    pub labels: &'a Labels,
    pub charts: RefCell<Vec<Chart>>,
    /// Keys asked for but missing from the translation files (checked by tests).
    pub missing: RefCell<Vec<String>>,
    /// Each note's Markdown as printed (placeholders replaced), in `e.notes` order.
    pub note_text: Vec<String>,
    /// What expanding the notes found (unknown figures, hand-typed near misses).
    pub note_diagnostics: RefCell<Vec<crate::diagnostic::Diagnostic>>,
}

impl<'a> Builder<'a> {
    pub fn new(e: &'a Engagement, measured: &'a Measured) -> Builder<'a> {
        let mut b = Builder {
            e,
            m: &measured.metrics,
            a: &measured.assessment,
            fmt: Formatter::new(e.info.language),
            labels: e.texts.labels(e.info.language),
            charts: RefCell::new(Vec::new()),
            missing: RefCell::new(Vec::new()),
            note_text: Vec::new(),
            note_diagnostics: RefCell::new(Vec::new()),
        };
        // Notes quote figures by path: expanded once, before any section reads them, so
        // that every document and every format prints the same text.
        let metrics = serde_json::to_value(measured).unwrap_or_default();
        let (note_text, diagnostics) = super::figures::notes(&b, &metrics);
        b.note_text = note_text;
        b.note_diagnostics.replace(diagnostics);
        b
    }

    /// A note's Markdown as the report prints it.
    pub fn note_markdown(&self, note: &crate::engagement::Note) -> String {
        self.e
            .notes
            .iter()
            .position(|n| std::ptr::eq(n, note))
            .and_then(|i| self.note_text.get(i))
            .map_or_else(|| note.markdown.clone(), Clone::clone)
    }

    /// The label for `key`.
    pub fn t(&self, key: &str) -> String {
        if !self.labels.has(key) {
            self.missing.borrow_mut().push(key.to_string());
        }
        self.labels.get(key).to_string()
    }

    /// The label for `key` with placeholders filled.
    pub fn tf(&self, key: &str, values: &[(&str, &str)]) -> String {
        if !self.labels.has(key) {
            self.missing.borrow_mut().push(key.to_string());
        }
        self.labels.fill(key, values)
    }

    /// `items` as a sentence writes a list: `a, b et c` / `a, b and c`.
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [head @ .., last] => {
                format!("{} {} {last}", head.join(", "), self.t("report.ui.and"))
            }
        }
    }

    /// `s` with its first letter capitalised, for labels that open a table row.
    pub fn cap(&self, s: &str) -> String {
        crate::i18n::capitalise(s)
    }

    pub fn na(&self) -> String {
        self.fmt.not_available().to_string()
    }

    pub fn money(&self, m: Money) -> String {
        self.fmt.money(m.0, &self.e.info.currency)
    }

    pub fn money_opt(&self, m: Option<Money>) -> String {
        m.map_or_else(|| self.na(), |m| self.money(m))
    }

    pub fn money_cents(&self, m: Option<Money>) -> String {
        m.map_or_else(
            || self.na(),
            |m| self.fmt.money_cents(m.0, &self.e.info.currency),
        )
    }

    pub fn compact(&self, m: Money) -> String {
        self.fmt.money_compact(m.0, &self.e.info.currency)
    }

    pub fn pct(&self, r: Option<Rate>) -> String {
        r.map_or_else(|| self.na(), |r| self.fmt.percent(r.0, 1))
    }

    pub fn growth(&self, r: Option<Rate>) -> String {
        r.map_or_else(|| self.na(), |r| self.fmt.growth(r.0))
    }

    pub fn count(&self, n: usize) -> String {
        self.fmt.count(n as u64)
    }

    pub fn count_opt(&self, n: Option<usize>) -> String {
        n.map_or_else(|| self.na(), |n| self.count(n))
    }

    pub fn quantity(&self, q: Option<Quantity>, dp: u32) -> String {
        q.map_or_else(|| self.na(), |q| self.fmt.number(q.0, dp))
    }

    pub fn date(&self, d: NaiveDate) -> String {
        self.fmt.date(d)
    }

    pub fn figure(&self, f: Option<Figure>, unit: Unit) -> String {
        match (f, unit) {
            (None, _) => self.na(),
            (Some(f), Unit::Money) => self.fmt.money(f.value(), &self.e.info.currency),
            (Some(f), Unit::Rate) => self.fmt.percent(f.value(), 1),
            (Some(f), Unit::Count) => self.fmt.number(f.value(), 0),
        }
    }

    /// Whether a count takes the singular ([`crate::i18n::Formatter::is_singular`]).
    pub fn is_singular(&self, n: usize) -> bool {
        self.fmt.is_singular(Decimal::from(n))
    }

    /// A year-end projection. A projected count is rarely whole (48 clients at 75 % of
    /// the year make 64,2): written to one decimal when it is not, so that "60,2 against
    /// 60" explains the 100,3 % beside it, where "60 against 60" would contradict it.
    pub fn landing(&self, f: Option<Figure>, unit: Unit) -> String {
        match (f, unit) {
            (Some(f), Unit::Count) => self.fmt.projected_count(f.value()),
            _ => self.figure(f, unit),
        }
    }

    /// Adds a chart and returns the block that shows it.
    pub fn chart(&self, id: &str, title: String, alt: String, spec: ChartSpec) -> Block {
        self.charts.borrow_mut().push(Chart {
            id: id.to_string(),
            title,
            alt,
            spec,
        });
        Block::Chart { id: id.to_string() }
    }

    /// A cut's key as the reader sees it: its name, or "unknown" in their words.
    pub fn cut_label(&self, key: &CutKey) -> String {
        match key {
            CutKey::Named(name) => name.clone(),
            CutKey::Unknown => self.t("report.unknown"),
        }
    }

    pub fn source_label(&self, s: LeadSource) -> String {
        self.t(&format!("source.{}", s.name()))
    }

    pub fn activity_label(&self, a: ActivityKind) -> String {
        self.t(&format!("activity.{}", a.name()))
    }

    pub fn unavailable(&self, key: &str) -> Block {
        Block::Unavailable {
            text: self.t(&format!("report.unavailable.{key}")),
        }
    }

    pub fn has_unavailable(&self, analysis: &str) -> bool {
        self.m.unavailable.iter().any(|u| u.analysis == analysis)
    }

    /// The notes of a section (general notes, not a salesperson's).
    pub fn notes(&self, section: NoteSection) -> Vec<Block> {
        self.e
            .notes
            .iter()
            .filter(|n| n.section == section && n.rep.is_none())
            .map(|n| Block::Note {
                title: n.title.clone(),
                markdown: self.note_markdown(n),
            })
            .collect()
    }

    pub fn labels_ui(&self) -> UiLabels {
        UiLabels {
            contents: self.t("report.ui.contents"),
            page: self.t("report.ui.page"),
            of: self.t("report.ui.of"),
            prepared_by: self.t("report.ui.prepared_by"),
            not_available: self.na(),
            figure: self.t("report.ui.figure"),
            table: self.t("report.ui.table"),
            source: self.t("report.ui.source"),
            back_to_top: self.t("report.ui.back_to_top"),
            scorecards: self.t("report.ui.scorecards"),
            pdf: self.t("report.ui.pdf"),
        }
    }

    pub fn brand_view(&self) -> BrandView {
        let b = &self.e.brand;
        BrandView {
            name: b.name.clone(),
            primary: b.colors.primary.clone(),
            accent: b.colors.accent.clone(),
            text: b.colors.text.clone(),
            muted: b.colors.muted.clone(),
            footer: b.footer.clone(),
            logo: b.logo.as_ref().map(|l| match l.kind {
                crate::engagement::brand::LogoKind::Svg => "svg",
                crate::engagement::brand::LogoKind::Png => "png",
            }),
            body_font: b.body_font.clone(),
            heading_font: b.heading_font.clone(),
        }
    }

    pub fn meta(&self, rep: Option<&str>) -> Meta {
        let info = &self.e.info;
        let fy = &self.m.fiscal_year;
        let default_title = self.tf(
            "report.default_title",
            &[("year", &fiscal_year_name(fy.start, fy.end))],
        );
        Meta {
            title: info.title.clone().unwrap_or(default_title),
            subtitle: match rep {
                Some(r) => self.tf("report.scorecard.subtitle", &[("rep", &self.rep_name(r))]),
                None => self.t("report.subtitle"),
            },
            client: info.client.clone(),
            consultant: info.consultant.clone(),
            as_of_label: self.tf("report.as_of", &[("date", &self.date(self.m.as_of))]),
            as_of: self.m.as_of,
            fiscal_year_label: self.tf(
                "report.fiscal_year",
                &[("start", &self.date(fy.start)), ("end", &self.date(fy.end))],
            ),
            elapsed_share: f64_of(self.m.elapsed_share.0).clamp(0.0, 1.0),
            rep: rep.map(|r| self.rep_name(r)),
            generator: format!("levier {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// "Jeanne Dupont (JD)" when objectives.toml names the rep, else the id.
    pub fn rep_name(&self, id: &str) -> String {
        self.e
            .objectives
            .as_ref()
            .and_then(|o| o.reps.iter().find(|r| r.id == id))
            .and_then(|r| r.name.clone())
            .map_or_else(|| id.to_string(), |name| format!("{name} ({id})"))
    }

    /// Every salesperson: those with objectives first (in objectives.toml order), then
    /// those found in the data, by id. Lines without a salesperson are nobody's.
    pub fn reps(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .e
            .objectives
            .as_ref()
            .map(|o| o.reps.iter().map(|r| r.id.clone()).collect())
            .unwrap_or_default();
        let m = self.m;
        let found: std::collections::BTreeSet<&str> = (m.revenue.split_by_rep.keys())
            .chain(m.leads.by_rep.keys())
            .chain(m.time.by_rep.keys())
            .filter_map(CutKey::name)
            .collect();
        for rep in found {
            if !out.iter().any(|r| r == rep) {
                out.push(rep.to_string());
            }
        }
        out
    }

    pub fn objective(&self, key: &ObjectiveKey) -> Option<&'a ObjectiveLine> {
        self.m.objectives.iter().find(|o| o.key == *key)
    }

    /// One sentence naming how year-end projections were made, for a table's note.
    pub fn projection_method_sentence(&self) -> String {
        match self.m.projection_method {
            ProjectionMethod::Seasonal => self.t("report.synthesis.method_seasonal"),
            ProjectionMethod::Linear => self.t("report.synthesis.method_linear"),
        }
    }

    /// The year-end landing of the whole revenue, by the build's projection method:
    /// the total's objective line when there is one (one truth per figure), else the
    /// same computation on the revenue to date.
    pub fn revenue_landing(&self) -> Option<Money> {
        if let Some(Figure::Money(m)) = self
            .objective(&ObjectiveKey::Revenue(RevenueObjective::Total))
            .and_then(|o| o.landing())
        {
            return Some(m);
        }
        let r = &self.m.revenue.figures;
        let divisor = match self.m.projection_method {
            ProjectionMethod::Seasonal => ratio(r.previous_to_date.0, r.previous_total.0)?.0,
            ProjectionMethod::Linear => self.m.elapsed_share.0,
        };
        ratio(r.total.0, divisor).map(|x| Money(x.0))
    }
}

/// "2025" for a calendar fiscal year, "2025-2026" otherwise.
fn fiscal_year_name(start: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    if start.year() == end.year() {
        start.year().to_string()
    } else {
        format!("{}-{}", start.year(), end.year())
    }
}

pub(crate) fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Tone of an achievement ratio: good from 100 %, warning from 90 %, bad below.
pub(crate) fn achievement_tone(r: Option<Rate>) -> Tone {
    match r {
        Some(r) if r.0 >= Decimal::ONE => Tone::Good,
        Some(r) if r.0 >= Decimal::new(9, 1) => Tone::Warning,
        Some(_) => Tone::Bad,
        None => Tone::Neutral,
    }
}

pub(crate) fn growth_tone(r: Option<Rate>) -> Tone {
    match r {
        Some(r) if r.0 > Decimal::ZERO => Tone::Good,
        Some(r) if r.0 < Decimal::ZERO => Tone::Bad,
        _ => Tone::Neutral,
    }
}

/// Numbers sections "1", "1.1", ... in order.
pub(crate) fn number_sections(sections: &mut [Section]) {
    for (i, s) in sections.iter_mut().enumerate() {
        s.number = (i + 1).to_string();
        for (j, c) in s.children.iter_mut().enumerate() {
            c.number = format!("{}.{}", i + 1, j + 1);
        }
    }
}
