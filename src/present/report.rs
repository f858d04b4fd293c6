//! Building the report model from the engagement and its metrics: the "present" stage.
//!
//! The structure follows the method (method.md): cover, synthesis, commercial
//! diagnostic, improvement points, the specific action plan, performance measurement
//! and adjustments, external growth, annexes. Every label comes from the translation
//! files and every figure goes through the [`Formatter`], so this module decides what
//! is shown and in which order, never how it is spelled.

use std::cell::RefCell;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::model::*;
use super::parts::*;
use crate::analysis::figures::{Money, Quantity, Rate};
use crate::analysis::leads::LeadStats;
use crate::analysis::objectives::{Figure, ObjectiveKey, ObjectiveLine, RevenueObjective, Unit};
use crate::analysis::pareto::{AbcClass, ClassFigures};
use crate::analysis::time::TimeAllocation;
use crate::analysis::{CutKey, Metrics};
use crate::assess::{Assessment, Measured};
use crate::engagement::{Engagement, NoteSection};
use crate::i18n::Formatter;
use crate::i18n::Labels;
use crate::vocab::{ActivityKind, Growth, LeadSource, Vocabulary};

/// Shared state while building one report.
pub(crate) struct Builder<'a> {
    pub e: &'a Engagement,
    pub m: &'a Metrics,
    pub a: &'a Assessment,
    pub fmt: Formatter,
    pub labels: &'static Labels,
    pub charts: RefCell<Vec<Chart>>,
    /// Keys asked for but missing from the translation files (checked by tests).
    pub missing: RefCell<Vec<String>>,
}

impl<'a> Builder<'a> {
    pub fn new(e: &'a Engagement, measured: &'a Measured) -> Builder<'a> {
        Builder {
            e,
            m: &measured.metrics,
            a: &measured.assessment,
            fmt: Formatter::new(e.info.language),
            labels: Labels::builtin(e.info.language),
            charts: RefCell::new(Vec::new()),
            missing: RefCell::new(Vec::new()),
        }
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

    fn has_unavailable(&self, analysis: &str) -> bool {
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
                markdown: n.markdown.clone(),
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

    pub fn objective(&self, key: &ObjectiveKey) -> Option<&'a ObjectiveLine> {
        self.m.objectives.iter().find(|o| o.key == *key)
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

pub fn f64_of(d: Decimal) -> f64 {
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

fn growth_tone(r: Option<Rate>) -> Tone {
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

/// The engagement report.
pub fn build(e: &Engagement, m: &Measured) -> Report {
    let b = Builder::new(e, m);
    let report = build_with(&b);
    debug_assert!(
        b.missing.borrow().is_empty(),
        "missing labels: {:?}",
        b.missing.borrow()
    );
    report
}

pub(crate) fn build_with(b: &Builder<'_>) -> Report {
    let mut sections = vec![
        synthesis(b),
        diagnostic(b),
        super::plan::improvement_points(b),
        super::plan::action_plan(b),
        super::plan::measurement(b),
    ];
    if matches!(b.e.info.growth, Growth::External | Growth::Both)
        || b.e
            .plan
            .as_ref()
            .is_some_and(|p| !p.acquisitions.is_empty())
    {
        sections.push(super::plan::external_growth(b));
    }
    let conclusion = b.notes(NoteSection::Conclusion);
    if !conclusion.is_empty() {
        sections.push(section(
            "conclusion",
            b.t("report.sections.conclusion"),
            1,
            conclusion,
            vec![],
        ));
    }
    sections.push(super::annex::annexes(b));
    number_sections(&mut sections);
    Report {
        lang: b.e.info.language,
        kind: ReportKind::Report,
        meta: b.meta(None),
        brand: b.brand_view(),
        labels: b.labels_ui(),
        sections,
        charts: b.charts.take(),
    }
}

/// 2. Synthèse: headline tiles, the top findings, the consultant's summary.
fn synthesis(b: &Builder<'_>) -> Section {
    let m = b.m;
    let r = &m.revenue.figures;
    let mut tiles = vec![Kpi {
        label: b.t("report.kpi.revenue"),
        value: b.compact(r.total),
        detail: Some(b.tf(
            "report.kpi.revenue_detail",
            &[
                ("growth", &b.growth(r.growth)),
                ("previous", &b.compact(r.previous_to_date)),
            ],
        )),
        tone: growth_tone(r.growth),
        progress: b
            .objective(&ObjectiveKey::Revenue(RevenueObjective::Total))
            .and_then(|o| o.achievement)
            .map(|a| f64_of(a.0)),
    }];
    for (category, amount) in [
        (RevenueObjective::Conquest, r.conquest),
        (RevenueObjective::Retention, r.retention),
        (RevenueObjective::Reconquest, r.reconquest),
    ] {
        let key = category.name();
        let objective = b.objective(&ObjectiveKey::Revenue(category));
        let detail = match objective {
            Some(o) => b.tf(
                "report.kpi.vs_objective",
                &[
                    ("objective", &b.figure(Some(o.target), o.unit)),
                    ("projection", &b.figure(o.projection, o.unit)),
                ],
            ),
            None => b.tf(
                "report.kpi.share_of_revenue",
                &[(
                    "share",
                    &b.pct(crate::analysis::figures::ratio(amount.0, r.total.0)),
                )],
            ),
        };
        let projection_ratio = objective.and_then(|o| o.projected_achievement());
        tiles.push(Kpi {
            label: b.t(&format!("report.kpi.{key}")),
            value: b.compact(amount),
            detail: Some(detail),
            tone: achievement_tone(projection_ratio),
            progress: objective.and_then(|o| o.achievement).map(|a| f64_of(a.0)),
        });
    }
    let conversion = m.leads.total.stats.conversion_rate;
    let conversion_objective = b.objective(&ObjectiveKey::ConversionRate);
    tiles.push(Kpi {
        label: b.t("report.kpi.conversion"),
        value: b.pct(conversion),
        detail: Some(match conversion_objective {
            Some(o) => b.tf(
                "report.kpi.objective",
                &[("objective", &b.figure(Some(o.target), o.unit))],
            ),
            None => b.tf(
                "report.kpi.leads_count",
                &[("count", &b.count_opt(m.leads.total.stats.count))],
            ),
        }),
        tone: conversion_objective.map_or(Tone::Neutral, |o| achievement_tone(o.achievement)),
        progress: None,
    });
    let new_objective = b.objective(&ObjectiveKey::NewClients);
    tiles.push(Kpi {
        label: b.t("report.kpi.new_clients"),
        value: b.count(m.clients.new),
        detail: Some(match new_objective {
            Some(o) => b.tf(
                "report.kpi.vs_objective",
                &[
                    ("objective", &b.figure(Some(o.target), o.unit)),
                    ("projection", &b.figure(o.projection, o.unit)),
                ],
            ),
            None => b.tf(
                "report.kpi.active_clients",
                &[("count", &b.count(m.clients.active))],
            ),
        }),
        tone: new_objective.map_or(Tone::Neutral, |o| {
            achievement_tone(o.projected_achievement())
        }),
        progress: new_objective
            .and_then(|o| o.achievement)
            .map(|a| f64_of(a.0)),
    });

    let mut blocks = vec![
        Block::Paragraph {
            text: b.tf(
                "report.synthesis.intro",
                &[
                    ("client", &b.e.info.client),
                    ("date", &b.date(m.as_of)),
                    ("elapsed", &b.fmt.percent(m.elapsed_share.0, 0)),
                ],
            ),
        },
        Block::Kpis { tiles },
    ];
    blocks.extend(b.notes(NoteSection::Summary));
    let top = super::plan::top_findings(b, 3);
    if !top.is_empty() {
        blocks.push(Block::Paragraph {
            text: b.t("report.synthesis.top_findings"),
        });
        blocks.push(Block::Findings {
            items: top,
            full: false,
        });
    }
    section(
        "synthesis",
        b.t("report.sections.synthesis"),
        1,
        blocks,
        vec![],
    )
}

/// 3. Diagnostic commercial.
fn diagnostic(b: &Builder<'_>) -> Section {
    let children = vec![
        revenue_section(b),
        portfolio_section(b),
        leads_section(b),
        former_section(b),
        time_section(b),
        cuts_section(b),
    ];
    section(
        "diagnostic",
        b.t("report.sections.diagnostic"),
        1,
        vec![Block::Paragraph {
            text: b.t("report.diagnostic.intro"),
        }],
        children,
    )
}

fn revenue_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let r = &m.revenue.figures;
    let mut blocks = vec![Block::Paragraph {
        text: b.tf(
            "report.revenue.intro",
            &[
                ("total", &b.money(r.total)),
                ("growth", &b.growth(r.growth)),
                ("previous", &b.money(r.previous_to_date)),
                ("previous_total", &b.money(r.previous_total)),
            ],
        ),
    }];

    // Monthly revenue FY vs FY-1.
    let months: Vec<String> = m
        .revenue
        .cuts
        .by_month
        .iter()
        .map(|mr| b.fmt.month(mr.month.0))
        .collect();
    let fy: Vec<Option<f64>> = m
        .revenue
        .cuts
        .by_month
        .iter()
        .map(|mr| mr.fy.map(|v| f64_of(v.0)))
        .collect();
    let fy_1: Vec<Option<f64>> = m
        .revenue
        .cuts
        .by_month
        .iter()
        .map(|mr| Some(f64_of(mr.fy_1.0)))
        .collect();
    blocks.push(b.chart(
        "revenue-monthly",
        b.t("report.revenue.monthly_chart"),
        b.tf(
            "report.revenue.monthly_alt",
            &[
                ("total", &b.money(r.total)),
                ("previous", &b.money(r.previous_to_date)),
            ],
        ),
        ChartSpec::Bars {
            categories: months,
            series: vec![
                Series {
                    name: b.t("report.series.fy_1"),
                    role: SeriesRole::Comparison,
                    values: fy_1,
                },
                Series {
                    name: b.t("report.series.fy"),
                    role: SeriesRole::Primary,
                    values: fy,
                },
            ],
            unit: ValueUnit::Money,
            horizontal: false,
            reference: None,
        },
    ));

    // The 3 CA against objectives.
    if b.has_unavailable("revenue.categories") {
        blocks.push(Block::Callout {
            tone: Tone::Warning,
            title: b.t("report.revenue.history_title"),
            text: b.t("report.missing.revenue_categories"),
        });
    }
    {
        let mut rows = Vec::new();
        let mut categories = Vec::new();
        let mut actual = Vec::new();
        let mut projected = Vec::new();
        let mut objective = Vec::new();
        for (category, amount, clients) in [
            (RevenueObjective::Conquest, r.conquest, m.clients.new),
            (RevenueObjective::Retention, r.retention, m.clients.retained),
            (
                RevenueObjective::Reconquest,
                r.reconquest,
                m.clients.reconquered,
            ),
        ] {
            let key = category.name();
            let o = b.objective(&ObjectiveKey::Revenue(category));
            categories.push(b.cap(&b.t(&format!("category.{key}"))));
            actual.push(Some(f64_of(amount.0)));
            projected.push(o.and_then(|o| o.projection).map(|p| f64_of(p.value())));
            objective.push(o.map(|o| f64_of(o.target.value())));
            rows.push(row(vec![
                cell(b.cap(&b.t(&format!("category.{key}")))),
                cell(b.count(clients)),
                cell(b.money(amount)),
                cell(b.pct(crate::analysis::figures::ratio(amount.0, r.total.0))),
                cell(o.map_or_else(|| b.na(), |o| b.figure(Some(o.target), o.unit))),
                cell(o.map_or_else(|| b.na(), |o| b.figure(o.projection, o.unit))),
                toned(
                    o.and_then(|o| o.projected_achievement())
                        .map_or_else(|| b.na(), |r| b.pct(Some(r))),
                    o.map_or(Tone::Neutral, |o| {
                        achievement_tone(o.projected_achievement())
                    }),
                ),
            ]));
        }
        let total_objective = b.objective(&ObjectiveKey::Revenue(RevenueObjective::Total));
        rows.push(total_row(vec![
            cell(b.cap(&b.t("category.total"))),
            cell(b.count(m.clients.active)),
            cell(b.money(r.total)),
            cell(b.fmt.percent(Decimal::ONE, 1)),
            cell(total_objective.map_or_else(|| b.na(), |o| b.figure(Some(o.target), o.unit))),
            cell(total_objective.map_or_else(|| b.na(), |o| b.figure(o.projection, o.unit))),
            {
                let projected = total_objective.and_then(|o| o.projected_achievement());
                toned(
                    projected.map_or_else(|| b.na(), |r| b.pct(Some(r))),
                    achievement_tone(projected),
                )
            },
        ]));
        let mut columns = vec![
            col(b.t("report.col.category"), Align::Left),
            col(b.t("report.col.clients"), Align::Right),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.share"), Align::Right),
            col(b.t("report.col.objective"), Align::Right),
            col(b.t("report.col.projection"), Align::Right),
            col(b.t("report.col.projected_achievement"), Align::Right),
        ];
        // Without any revenue objective, the three objective columns would only say
        // "n.d.": leave them out.
        let has_objectives =
            b.m.objectives
                .iter()
                .any(|o| matches!(o.key, ObjectiveKey::Revenue(_)));
        if !has_objectives {
            columns.truncate(4);
            for r in &mut rows {
                r.cells.truncate(4);
            }
        }
        blocks.push(Block::Table(Table {
            id: "three-ca".into(),
            caption: b.t("report.revenue.split_table"),
            columns,
            rows,
            note: Some(b.t("report.revenue.split_note")),
        }));
        let mut series = vec![Series {
            name: b.t("report.series.actual"),
            role: SeriesRole::Primary,
            values: actual,
        }];
        if projected.iter().any(Option::is_some) {
            series.push(Series {
                name: b.t("report.series.projection"),
                role: SeriesRole::Accent,
                values: projected,
            });
            series.push(Series {
                name: b.t("report.series.objective"),
                role: SeriesRole::Comparison,
                values: objective,
            });
        }
        blocks.push(b.chart(
            "three-ca",
            if has_objectives {
                b.t("report.revenue.split_chart")
            } else {
                b.t("report.revenue.split_chart_actual")
            },
            b.tf(
                "report.revenue.split_alt",
                &[
                    ("conquest", &b.money(r.conquest)),
                    ("retention", &b.money(r.retention)),
                    ("reconquest", &b.money(r.reconquest)),
                ],
            ),
            ChartSpec::Bars {
                categories,
                series,
                unit: ValueUnit::Money,
                horizontal: false,
                reference: None,
            },
        ));
        blocks.push(Block::Callout {
            tone: if m.clients.lost > 0 {
                Tone::Warning
            } else {
                Tone::Neutral
            },
            title: b.t("report.revenue.lost_title"),
            text: b.tf(
                "report.revenue.lost_text",
                &[
                    ("clients", &b.count(m.clients.lost)),
                    ("lost", &b.money(r.lost)),
                    (
                        "share",
                        &b.pct(crate::analysis::figures::ratio(
                            r.lost.0,
                            r.previous_total.0,
                        )),
                    ),
                ],
            ),
        });
    }
    section(
        "diagnostic-revenue",
        b.t("report.sections.revenue"),
        2,
        blocks,
        vec![],
    )
}

fn class_name(c: AbcClass) -> &'static str {
    match c {
        AbcClass::A => "A",
        AbcClass::B => "B",
        AbcClass::C => "C",
    }
}

fn portfolio_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let p = &m.pareto;
    let mut blocks = Vec::new();
    let classified = p.a.clients + p.b.clients + p.c.clients;
    if classified == 0 {
        blocks.push(b.unavailable("portfolio"));
        return section(
            "diagnostic-portfolio",
            b.t("report.sections.portfolio"),
            2,
            blocks,
            vec![],
        );
    }
    blocks.push(Block::Paragraph {
        text: b.tf(
            "report.portfolio.intro",
            &[
                ("a_clients", &b.count(p.a.clients)),
                ("classified", &b.count(classified)),
                (
                    "a_client_share",
                    &b.pct(crate::analysis::figures::ratio(
                        Decimal::from(p.a.clients as u64),
                        Decimal::from(classified as u64),
                    )),
                ),
                ("a_share", &b.pct(p.a.share)),
            ],
        ),
    });

    // Pareto curve from the top list is too short: rebuild the curve from class totals
    // and the classes map is per client; the chart uses the cumulative share per rank.
    blocks.push(pareto_chart(b));

    let class_rows: Vec<Row> = [
        (AbcClass::A, &p.a),
        (AbcClass::B, &p.b),
        (AbcClass::C, &p.c),
    ]
    .iter()
    .map(|(c, f): &(AbcClass, &ClassFigures)| {
        row(vec![
            cell(class_name(*c)),
            cell(b.count(f.clients)),
            cell(b.money(f.revenue)),
            cell(b.pct(f.share)),
            cell(b.quantity(f.hours, 0)),
            cell(b.pct(f.effort_share)),
        ])
    })
    .chain(std::iter::once(total_row(vec![
        cell(b.t("report.portfolio.classified")),
        cell(b.count(classified)),
        cell(b.money(p.positive_revenue)),
        cell(b.fmt.percent(Decimal::ONE, 1)),
        cell(b.quantity(
            match (p.a.hours, p.b.hours, p.c.hours) {
                (Some(a), Some(bb), Some(c)) => Some(Quantity(a.0 + bb.0 + c.0)),
                _ => None,
            },
            0,
        )),
        cell(if p.a.effort_share.is_some() {
            b.fmt.percent(Decimal::ONE, 1)
        } else {
            b.na()
        }),
    ])))
    .collect();
    let unclassified_note = b.tf(
        "report.portfolio.abc_note",
        &[
            ("a", &b.fmt.percent(p.a_cutoff.0, 0)),
            ("b", &b.fmt.percent(p.b_cutoff.0, 0)),
            ("unclassified", &b.count(p.unclassified)),
            ("unclassified_revenue", &b.money(p.unclassified_revenue)),
        ],
    );
    blocks.push(Block::Table(Table {
        id: "abc".into(),
        caption: b.t("report.portfolio.abc_table"),
        columns: vec![
            col(b.t("report.col.class"), Align::Left),
            col(b.t("report.col.clients"), Align::Right),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.revenue_share"), Align::Right),
            col(b.t("report.col.contact_hours"), Align::Right),
            col(b.t("report.col.effort_share"), Align::Right),
        ],
        rows: class_rows,
        note: Some(unclassified_note),
    }));

    // Revenue share vs effort share.
    if p.a.effort_share.is_some() {
        let classes = ["A", "B", "C"].map(String::from).to_vec();
        let figs = [&p.a, &p.b, &p.c];
        blocks.push(b.chart(
            "revenue-vs-effort",
            b.t("report.portfolio.effort_chart"),
            b.tf(
                "report.portfolio.effort_alt",
                &[
                    ("c_revenue", &b.pct(p.c.share)),
                    ("c_effort", &b.pct(p.c.effort_share)),
                ],
            ),
            ChartSpec::Bars {
                categories: classes,
                series: vec![
                    Series {
                        name: b.t("report.series.revenue_share"),
                        role: SeriesRole::Primary,
                        values: figs.iter().map(|f| f.share.map(|s| f64_of(s.0))).collect(),
                    },
                    Series {
                        name: b.t("report.series.effort_share"),
                        role: SeriesRole::Accent,
                        values: figs.iter().map(|f| f.effort_share.map(|s| f64_of(s.0))).collect(),
                    },
                ],
                unit: ValueUnit::Percent,
                horizontal: false,
                reference: None,
            },
        ));
    } else {
        blocks.push(b.unavailable("effort"));
    }

    // ABC x maturity.
    let maturity_cols = ["new", "developing", "mature"];
    let mut rows = Vec::new();
    for c in AbcClass::ALL {
        let r = p.maturity.get(c);
        let cells = [&r.new, &r.developing, &r.mature];
        let mut cs = vec![cell(class_name(c))];
        for cc in cells {
            cs.push(cell(format!(
                "{} · {}",
                b.count(cc.clients),
                b.compact(cc.revenue)
            )));
        }
        rows.push(row(cs));
    }
    let mut columns = vec![col(b.t("report.col.class"), Align::Left)];
    columns.extend(
        maturity_cols
            .iter()
            .map(|k| col(b.cap(&b.t(&format!("maturity.{k}"))), Align::Right)),
    );
    blocks.push(Block::Table(Table {
        id: "abc-maturity".into(),
        caption: b.t("report.portfolio.maturity_table"),
        columns,
        rows,
        note: Some(b.t("report.portfolio.matrix_note")),
    }));

    // ABC x effort tercile.
    if p.a.effort_share.is_some() {
        let mut rows = Vec::new();
        for c in AbcClass::ALL {
            let r = p.effort.get(c);
            let mut cs = vec![cell(class_name(c))];
            for cc in [&r.low, &r.medium, &r.high] {
                cs.push(cell(format!(
                    "{} · {}",
                    b.count_opt(cc.clients),
                    cc.revenue.map_or_else(|| b.na(), |v| b.compact(v))
                )));
            }
            rows.push(row(cs));
        }
        let mut columns = vec![col(b.t("report.col.class"), Align::Left)];
        columns.extend(
            ["low", "medium", "high"]
                .iter()
                .map(|k| col(b.t(&format!("report.effort.{k}")), Align::Right)),
        );
        blocks.push(Block::Table(Table {
            id: "abc-effort".into(),
            caption: b.t("report.portfolio.effort_table"),
            columns,
            rows,
            note: Some(b.t("report.portfolio.effort_note")),
        }));
    }

    // Top clients.
    let rows = p
        .top
        .iter()
        .enumerate()
        .map(|(i, t)| {
            row(vec![
                cell((i + 1).to_string()),
                cell(t.name.clone().unwrap_or_else(|| t.client_id.clone())),
                cell(t.client_id.clone()),
                cell(class_name(t.class)),
                cell(b.money(t.revenue)),
                cell(b.pct(t.share)),
                cell(b.pct(t.cumulative_share)),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: "top-clients".into(),
        caption: b.tf(
            "report.portfolio.top_table",
            &[("n", &p.top.len().to_string())],
        ),
        columns: vec![
            col("#".into(), Align::Right),
            col(b.t("report.col.client"), Align::Left),
            col(b.t("report.col.client_id"), Align::Left),
            col(b.t("report.col.class"), Align::Center),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.share"), Align::Right),
            col(b.t("report.col.cumulative_share"), Align::Right),
        ],
        rows,
        note: None,
    }));
    section(
        "diagnostic-portfolio",
        b.t("report.sections.portfolio"),
        2,
        blocks,
        vec![],
    )
}

/// The Pareto curve, from the FY revenues of the classified clients.
fn pareto_chart(b: &Builder<'_>) -> Block {
    let p = &b.m.pareto;
    let revenues = &p.ranked_revenues;
    let total = p.positive_revenue.0;
    let n = revenues.len().max(1);
    let step = (n / 200).max(1);
    let mut points = vec![(0.0, 0.0)];
    let mut cum = Decimal::ZERO;
    for (i, r) in revenues.iter().enumerate() {
        cum += *r;
        if (i + 1) % step == 0 || i + 1 == n {
            let y = if total.is_zero() {
                0.0
            } else {
                f64_of(cum / total)
            };
            points.push(((i + 1) as f64 / n as f64, y));
        }
    }
    let classified = (p.a.clients + p.b.clients + p.c.clients).max(1) as f64;
    b.chart(
        "pareto",
        b.t("report.portfolio.pareto_chart"),
        b.tf(
            "report.portfolio.pareto_alt",
            &[
                (
                    "a_client_share",
                    &b.fmt.percent(
                        Decimal::from_f64_retain(p.a.clients as f64 / classified)
                            .unwrap_or_default(),
                        0,
                    ),
                ),
                ("a_share", &b.pct(p.a.share)),
            ],
        ),
        ChartSpec::Pareto {
            points,
            a_cutoff: f64_of(p.a_cutoff.0),
            b_cutoff: f64_of(p.b_cutoff.0),
            a_clients: p.a.clients as f64 / classified,
            ab_clients: (p.a.clients + p.b.clients) as f64 / classified,
            x_label: b.t("report.portfolio.pareto_x"),
            y_label: b.t("report.portfolio.pareto_y"),
        },
    )
}

fn lead_row(
    b: &Builder<'_>,
    label: String,
    s: &LeadStats,
    cost: Option<Money>,
    emphasis: bool,
) -> Row {
    Row {
        cells: vec![
            cell(label),
            cell(b.count_opt(s.count)),
            cell(b.count_opt(s.qualified)),
            cell(b.count_opt(s.won)),
            cell(b.pct(s.conversion_rate)),
            cell(b.pct(s.win_rate)),
            cell(b.money_opt(s.won_value)),
            cell(b.money_cents(cost)),
            cell(b.quantity(s.median_cycle_days, 0)),
        ],
        emphasis,
    }
}

fn leads_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let l = &m.leads;
    let mut blocks = Vec::new();
    if b.e.leads.is_none() {
        blocks.push(b.unavailable("leads"));
        return section(
            "diagnostic-leads",
            b.t("report.sections.leads"),
            2,
            blocks,
            vec![],
        );
    }
    blocks.push(Block::Paragraph {
        text: b.tf(
            "report.leads.intro",
            &[
                ("count", &b.count_opt(l.total.stats.count)),
                ("won", &b.count_opt(l.total.stats.won)),
                ("conversion", &b.pct(l.total.stats.conversion_rate)),
            ],
        ),
    });
    let mut rows: Vec<Row> = l
        .by_source
        .iter()
        .filter(|(_, s)| s.stats.count.unwrap_or(0) > 0)
        .map(|(src, s)| {
            lead_row(
                b,
                b.cap(&b.source_label(*src)),
                &s.stats,
                s.cost_per_lead,
                false,
            )
        })
        .collect();
    rows.push(lead_row(
        b,
        b.cap(&b.t("source.total")),
        &l.total.stats,
        l.total.cost_per_lead,
        true,
    ));
    blocks.push(Block::Table(Table {
        id: "leads-by-source".into(),
        caption: b.t("report.leads.table"),
        columns: vec![
            col(b.t("report.col.source"), Align::Left),
            col(b.t("report.col.leads"), Align::Right),
            col(b.t("report.col.qualified"), Align::Right),
            col(b.t("report.col.won"), Align::Right),
            col(b.t("report.col.conversion"), Align::Right),
            col(b.t("report.col.win_rate"), Align::Right),
            col(b.t("report.col.won_value"), Align::Right),
            col(b.t("report.col.cost_per_lead"), Align::Right),
            col(b.t("report.col.cycle_days"), Align::Right),
        ],
        rows,
        note: Some(b.t("report.leads.table_note")),
    }));

    let sources: Vec<(&LeadSource, &crate::analysis::leads::SourceStats)> = l
        .by_source
        .iter()
        .filter(|(_, s)| s.stats.count.unwrap_or(0) > 0)
        .collect();
    blocks.push(
        b.chart(
            "conversion-by-source",
            b.t("report.leads.conversion_chart"),
            b.tf(
                "report.leads.conversion_alt",
                &[("overall", &b.pct(l.total.stats.conversion_rate))],
            ),
            ChartSpec::Bars {
                categories: sources
                    .iter()
                    .map(|(s, _)| b.cap(&b.source_label(**s)))
                    .collect(),
                series: vec![Series {
                    name: b.t("report.col.conversion"),
                    role: SeriesRole::Primary,
                    values: sources
                        .iter()
                        .map(|(_, s)| s.stats.conversion_rate.map(|r| f64_of(r.0)))
                        .collect(),
                }],
                unit: ValueUnit::Percent,
                horizontal: true,
                reference: l.total.stats.conversion_rate.map(|r| Reference {
                    value: f64_of(r.0),
                    label: b.tf("report.leads.overall", &[("rate", &b.pct(Some(r)))]),
                }),
            },
        ),
    );

    let f = &l.funnel;
    let counts: Vec<u64> = [f.new, f.contacted, f.qualified, f.proposal, f.won]
        .iter()
        .map(|c| c.unwrap_or(0) as u64)
        .collect();
    blocks.push(
        b.chart(
            "funnel",
            b.t("report.leads.funnel_chart"),
            b.tf(
                "report.leads.funnel_alt",
                &[("new", &b.count_opt(f.new)), ("won", &b.count_opt(f.won))],
            ),
            ChartSpec::Funnel {
                stages: ["new", "contacted", "qualified", "proposal", "won"]
                    .iter()
                    .map(|s| b.cap(&b.t(&format!("stage.{s}"))))
                    .collect(),
                counts,
            },
        ),
    );

    if !l.prescribers.is_empty() {
        let rows = l
            .prescribers
            .iter()
            .take(b.e.settings.top_n)
            .map(|p| {
                row(vec![
                    cell(p.prescriber.clone()),
                    cell(b.count(p.leads)),
                    cell(b.count(p.won)),
                    cell(b.money(p.won_value)),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "prescribers".into(),
            caption: b.t("report.leads.prescribers_table"),
            columns: vec![
                col(b.t("report.col.prescriber"), Align::Left),
                col(b.t("report.col.leads"), Align::Right),
                col(b.t("report.col.won"), Align::Right),
                col(b.t("report.col.won_value"), Align::Right),
            ],
            rows,
            note: None,
        }));
    }
    section(
        "diagnostic-leads",
        b.t("report.sections.leads"),
        2,
        blocks,
        vec![],
    )
}

fn former_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let fc = &m.former_clients;
    let mut blocks = vec![Block::Kpis {
        tiles: vec![
            Kpi {
                label: b.t("report.former.former_at_start"),
                value: b.count(m.clients.former_at_start),
                detail: None,
                tone: Tone::Neutral,
                progress: None,
            },
            Kpi {
                label: b.t("report.former.reconquered"),
                value: b.count(m.clients.reconquered),
                detail: Some(b.tf(
                    "report.former.reconquered_detail",
                    &[("revenue", &b.money(m.revenue.figures.reconquest))],
                )),
                tone: Tone::Neutral,
                progress: None,
            },
            Kpi {
                label: b.t("report.former.rate"),
                value: b.pct(m.clients.reconquest_rate),
                detail: None,
                tone: match m.clients.reconquest_rate {
                    Some(r) if r.0 < Decimal::new(1, 1) => Tone::Bad,
                    Some(_) => Tone::Good,
                    None => Tone::Neutral,
                },
                progress: None,
            },
        ],
    }];
    if fc.top.is_empty() {
        blocks.push(b.unavailable("former"));
    } else {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.former.intro",
                &[
                    ("count", &b.count(fc.count)),
                    ("months", &b.e.settings.dormancy_months.to_string()),
                    ("revenue", &b.money(fc.revenue_36m)),
                ],
            ),
        });
        let rows = fc
            .top
            .iter()
            .enumerate()
            .map(|(i, c)| {
                row(vec![
                    cell((i + 1).to_string()),
                    cell(c.name.clone().unwrap_or_else(|| c.client_id.clone())),
                    cell(c.client_id.clone()),
                    cell(b.date(c.last_purchase)),
                    cell(b.money(c.revenue_36m)),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "reconquest-targets".into(),
            caption: b.t("report.former.table"),
            columns: vec![
                col("#".into(), Align::Right),
                col(b.t("report.col.client"), Align::Left),
                col(b.t("report.col.client_id"), Align::Left),
                col(b.t("report.col.last_purchase"), Align::Right),
                col(b.t("report.col.revenue_36m"), Align::Right),
            ],
            rows,
            note: None,
        }));
    }
    section(
        "diagnostic-former",
        b.t("report.sections.former"),
        2,
        blocks,
        vec![],
    )
}

/// The time allocation table of one rep or the whole team.
pub(crate) fn time_table(b: &Builder<'_>, id: &str, caption: String, t: &TimeAllocation) -> Block {
    let rows = ActivityKind::ALL
        .iter()
        .filter_map(|a| t.by_activity.get(a).map(|at| (a, at)))
        .map(|(a, at)| {
            let gap_tone = match (a, at.gap_pts) {
                (ActivityKind::Visit, Some(g)) if g.0 < Decimal::from(-10) => Tone::Bad,
                (ActivityKind::Admin | ActivityKind::Reporting, Some(g))
                    if g.0 > Decimal::from(5) =>
                {
                    Tone::Bad
                }
                _ => Tone::Neutral,
            };
            row(vec![
                cell(b.cap(&b.activity_label(*a))),
                cell(b.fmt.number(at.hours.0, 0)),
                cell(b.pct(at.share)),
                cell(b.pct(at.target_share)),
                toned(
                    at.gap_pts.map_or_else(|| b.na(), |g| b.fmt.points(g.0)),
                    gap_tone,
                ),
            ])
        })
        .chain(std::iter::once(total_row(vec![
            cell(b.cap(&b.t("category.total"))),
            cell(b.quantity(t.total_hours, 0)),
            cell(if t.total_hours.is_some() {
                b.fmt.percent(Decimal::ONE, 0)
            } else {
                b.na()
            }),
            cell(String::new()),
            cell(String::new()),
        ])))
        .collect();
    Block::Table(Table {
        id: id.to_string(),
        caption,
        columns: vec![
            col(b.t("report.col.activity"), Align::Left),
            col(b.t("report.col.hours"), Align::Right),
            col(b.t("report.col.share"), Align::Right),
            col(b.t("report.col.key"), Align::Right),
            col(b.t("report.col.gap"), Align::Right),
        ],
        rows,
        note: None,
    })
}

pub(crate) fn time_chart(b: &Builder<'_>, id: &str, who: &str, t: &TimeAllocation) -> Block {
    let acts: Vec<&ActivityKind> = ActivityKind::ALL
        .iter()
        .filter(|a| t.by_activity.contains_key(a))
        .collect();
    let visit = t.by_activity.get(&ActivityKind::Visit);
    b.chart(
        id,
        b.tf("report.time.chart", &[("who", who)]),
        b.tf(
            "report.time.alt",
            &[
                ("who", who),
                ("visit", &b.pct(visit.and_then(|v| v.share))),
                ("target", &b.pct(visit.and_then(|v| v.target_share))),
            ],
        ),
        ChartSpec::Bars {
            categories: acts.iter().map(|a| b.cap(&b.activity_label(**a))).collect(),
            series: vec![
                Series {
                    name: b.t("report.series.actual_share"),
                    role: SeriesRole::Primary,
                    values: acts
                        .iter()
                        .map(|a| t.by_activity[a].share.map(|s| f64_of(s.0)))
                        .collect(),
                },
                Series {
                    name: b.t("report.series.key"),
                    role: SeriesRole::Comparison,
                    values: acts
                        .iter()
                        .map(|a| t.by_activity[a].target_share.map(|s| f64_of(s.0)))
                        .collect(),
                },
            ],
            unit: ValueUnit::Percent,
            horizontal: true,
            reference: None,
        },
    )
}

fn time_section(b: &Builder<'_>) -> Section {
    let m = b.m;
    let mut blocks = Vec::new();
    if b.e.activities.is_none() {
        blocks.push(b.unavailable("time"));
        return section(
            "diagnostic-time",
            b.t("report.sections.time"),
            2,
            blocks,
            vec![],
        );
    }
    let team = b.t("report.time.team");
    blocks.push(time_chart(b, "time-allocation", &team, &m.time.total));
    // One line per rep: the shares that matter for the method.
    let rows = m
        .time
        .by_rep
        .iter()
        .map(|(rep, t)| {
            let share = |a: ActivityKind| t.by_activity.get(&a).and_then(|x| x.share);
            let visit = t.by_activity.get(&ActivityKind::Visit);
            let admin = match (share(ActivityKind::Admin), share(ActivityKind::Reporting)) {
                (Some(a), Some(r)) => Some(Rate(a.0 + r.0)),
                (a, r) => a.or(r),
            };
            row(vec![
                cell(b.rep_name(rep.as_str())),
                cell(b.quantity(t.total_hours, 0)),
                cell(b.pct(visit.and_then(|v| v.share))),
                cell(b.pct(visit.and_then(|v| v.target_share))),
                toned(
                    b.pct(admin),
                    if admin.is_some_and(|a| a.0 > Decimal::new(25, 2)) {
                        Tone::Bad
                    } else {
                        Tone::Neutral
                    },
                ),
                cell(b.pct(share(ActivityKind::Preparation))),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: "time-by-rep".into(),
        caption: b.t("report.time.by_rep_table"),
        columns: vec![
            col(b.t("report.col.salesperson"), Align::Left),
            col(b.t("report.col.hours"), Align::Right),
            col(b.t("report.col.visit_share"), Align::Right),
            col(b.t("report.col.visit_key"), Align::Right),
            col(b.t("report.col.admin_share"), Align::Right),
            col(b.t("report.col.preparation_share"), Align::Right),
        ],
        rows,
        note: None,
    }));
    blocks.push(time_table(
        b,
        "time-team",
        b.t("report.time.team_table"),
        &m.time.total,
    ));
    let targets = &m.time.total.visits_by_target;
    if !targets.is_empty() {
        let rows = targets
            .iter()
            .filter(|(_, h)| !h.0.is_zero())
            .map(|(k, h)| {
                row(vec![
                    cell(match k {
                        CutKey::Unknown => b.t("report.unknown"),
                        CutKey::Named(target) => b.cap(&b.t(&format!("target.{target}"))),
                    }),
                    cell(b.fmt.number(h.0, 0)),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "visits-by-target".into(),
            caption: b.t("report.time.visits_table"),
            columns: vec![
                col(b.t("report.col.target"), Align::Left),
                col(b.t("report.col.hours"), Align::Right),
            ],
            rows,
            note: None,
        }));
    }
    section(
        "diagnostic-time",
        b.t("report.sections.time"),
        2,
        blocks,
        vec![],
    )
}

fn cut_table(
    b: &Builder<'_>,
    id: &str,
    caption: String,
    first: String,
    cut: &std::collections::BTreeMap<CutKey, crate::analysis::cuts::Cut>,
) -> Block {
    let mut entries: Vec<_> = cut.iter().collect();
    entries.sort_by(|x, y| y.1.fy.cmp(&x.1.fy).then_with(|| x.0.cmp(y.0)));
    let rows = entries
        .into_iter()
        .map(|(k, c)| {
            row(vec![
                cell(b.cut_label(k)),
                cell(b.money(c.fy)),
                cell(b.money(c.fy_1)),
                toned(b.growth(c.growth), growth_tone(c.growth)),
            ])
        })
        .collect();
    Block::Table(Table {
        id: id.to_string(),
        caption,
        columns: vec![
            col(first, Align::Left),
            col(b.t("report.col.revenue_to_date"), Align::Right),
            col(b.t("report.col.same_period_fy_1"), Align::Right),
            col(b.t("report.col.growth"), Align::Right),
        ],
        rows,
        note: None,
    })
}

fn cuts_section(b: &Builder<'_>) -> Section {
    let c = &b.m.revenue.cuts;
    let mut blocks = vec![Block::Paragraph {
        text: b.t("report.cuts.intro"),
    }];
    if c.by_zone.is_empty() {
        blocks.push(b.unavailable("zones"));
    } else {
        let mut zones: Vec<_> = c.by_zone.iter().collect();
        zones.sort_by(|x, y| y.1.fy.cmp(&x.1.fy).then_with(|| x.0.cmp(y.0)));
        blocks.push(b.chart(
            "revenue-by-zone",
            b.t("report.cuts.zone_chart"),
            b.tf(
                "report.cuts.zone_alt",
                &[("zone", zones.first().map_or("", |z| z.0.as_str()))],
            ),
            ChartSpec::Bars {
                categories: zones.iter().map(|(k, _)| b.cut_label(k)).collect(),
                series: vec![
                    Series {
                        name: b.t("report.series.fy_1_to_date"),
                        role: SeriesRole::Comparison,
                        values: zones.iter().map(|(_, z)| Some(f64_of(z.fy_1.0))).collect(),
                    },
                    Series {
                        name: b.t("report.series.fy_to_date"),
                        role: SeriesRole::Primary,
                        values: zones.iter().map(|(_, z)| Some(f64_of(z.fy.0))).collect(),
                    },
                ],
                unit: ValueUnit::Money,
                horizontal: true,
                reference: None,
            },
        ));
        blocks.push(cut_table(
            b,
            "cut-zone",
            b.t("report.cuts.zone_table"),
            b.t("report.col.zone"),
            &c.by_zone,
        ));
    }
    if !c.by_segment.is_empty() {
        blocks.push(cut_table(
            b,
            "cut-segment",
            b.t("report.cuts.segment_table"),
            b.t("report.col.segment"),
            &c.by_segment,
        ));
    }
    if !c.by_product.is_empty() {
        blocks.push(cut_table(
            b,
            "cut-product",
            b.t("report.cuts.product_table"),
            b.t("report.col.product"),
            &c.by_product,
        ));
    }
    if !c.by_rep.is_empty() {
        // Rows are sorted by the name shown ("Jeanne Dupont (JD)"), not the id.
        let named: std::collections::BTreeMap<CutKey, crate::analysis::cuts::Cut> = c
            .by_rep
            .iter()
            .map(|(k, v)| {
                let shown = match k {
                    CutKey::Named(rep) => CutKey::named(&b.rep_name(rep)),
                    CutKey::Unknown => CutKey::Unknown,
                };
                (shown, v.clone())
            })
            .collect();
        blocks.push(cut_table(
            b,
            "cut-rep",
            b.t("report.cuts.rep_table"),
            b.t("report.col.salesperson"),
            &named,
        ));
    }
    section(
        "diagnostic-cuts",
        b.t("report.sections.cuts"),
        2,
        blocks,
        vec![],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Language;

    fn example(slug: &str, language: Language) -> (Engagement, Measured) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut e = crate::engagement::load(&root.join("engagements").join(slug), Some(root))
            .engagement
            .expect("example loads");
        e.info.language = language;
        let (m, _) = crate::assess::measure(&e);
        (e, m)
    }

    #[test]
    fn every_label_exists_in_both_languages() {
        for slug in ["vidal-equipements", "groupe-ferrand"] {
            for language in [Language::Fr, Language::En] {
                let (e, m) = example(slug, language);
                let b = Builder::new(&e, &m);
                let report = build_with(&b);
                for rep in crate::present::scorecard::reps(&e, &m) {
                    crate::present::scorecard::build_with(&b, &rep);
                }
                let mut missing = b.missing.borrow().clone();
                missing.sort();
                missing.dedup();
                assert!(
                    missing.is_empty(),
                    "{slug} {language:?}: missing labels {missing:?}"
                );
                assert!(report.sections.len() >= 7);
            }
        }
    }
}
