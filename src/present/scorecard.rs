//! One scorecard per salesperson ("approche tournée vers l'acteur commercial"): their
//! objectives against actuals, their 3 CA, portfolio, leads and conversion, time against
//! their key, their actions and the consultant's notes about them.
//!
//! Each part is one function, in the order the scorecard shows them; the time table and
//! chart, and the actions, are the report's own ([`super::sections`]), drawn for one
//! person.
//!
//! A scorecard is what a manager discusses with one salesperson, so it also names their
//! own findings (by id, as the plan's "answers" quote them), their top accounts, the
//! former clients to win back and the open deals: short lists, each a conversation.
//! A client is the salesperson's when the clients table gives them as its rep, else when
//! they carry the largest share of the client's sales lines (ties by rep name), the rule
//! the ABC counts per rep use.

use rust_decimal::Decimal;

use super::builder::{Builder, f64_of, number_sections};
use super::model::*;
use super::parts::*;
use super::sections::{plan, time};
use crate::analysis::figures::{Rate, ratio};
use crate::analysis::objectives::{ObjectiveKey, ObjectiveLine, RepObjective};
use crate::assess::Measured;
use crate::engagement::{Engagement, NoteSection};
use std::collections::BTreeMap;

use crate::analysis::figures::Money;
use crate::assess::SubjectKind;
use crate::engagement::ClientKey;
use crate::vocab::{ActivityKind, LeadSource, LeadStage, Vocabulary};

/// How many rows each of the scorecard's account lists shows: a short list to discuss.
const SHORT_LIST: usize = 5;

/// Every salesperson with a scorecard: those with objectives first (in objectives.toml
/// order), then those found in the data, by id.
pub fn reps(e: &Engagement, m: &Measured) -> Vec<String> {
    Builder::new(e, m).reps()
}

/// The scorecard of `rep`.
pub fn build(e: &Engagement, m: &Measured, rep: &str) -> Report {
    let b = Builder::new(e, m);
    let report = build_with(&b, rep);
    debug_assert!(
        b.missing.borrow().is_empty(),
        "missing labels: {:?}",
        b.missing.borrow()
    );
    report
}

pub(crate) fn build_with(b: &Builder<'_>, rep: &str) -> Report {
    let mut sections = vec![
        synthesis(b, rep),
        objectives(b, rep),
        revenue(b, rep),
        accounts(b, rep),
        leads(b, rep),
        time_spent(b, rep),
        sec(
            "actions",
            b.t("report.scorecard.actions"),
            plan::actions_of(b, Some(rep)),
        ),
    ];
    // Since the last recorded measurement: the salesperson's own figures, findings and
    // actions, before the consultant's notes.
    if let Some(mut evolution) =
        super::sections::evolution::section(b, super::sections::evolution::Scope::Rep(rep))
    {
        evolution.level = 1;
        sections.push(evolution);
    }
    sections.extend(notes(b, rep));
    number_sections(&mut sections);
    Report {
        lang: b.e.info.language,
        kind: ReportKind::Scorecard,
        meta: b.meta(Some(rep)),
        brand: b.brand_view(),
        labels: b.labels_ui(),
        sections,
        charts: b.charts.take(),
    }
}

/// A salesperson's pace: good from their objective, warning from 85 % of it.
fn tone_of(achievement: Option<Rate>) -> Tone {
    match achievement {
        Some(r) if r.0 >= Decimal::ONE => Tone::Good,
        Some(r) if r.0 >= Decimal::new(85, 2) => Tone::Warning,
        Some(_) => Tone::Bad,
        None => Tone::Neutral,
    }
}

fn sec(id: &str, title: String, blocks: Vec<Block>) -> Section {
    top(id, title, blocks, vec![])
}

fn rep_key(rep: &str, o: RepObjective) -> ObjectiveKey {
    ObjectiveKey::Rep(rep.to_string(), o)
}

/// Headline tiles: revenue against the objective, conquest, conversion, visit share.
fn synthesis(b: &Builder<'_>, rep: &str) -> Section {
    let m = b.m;
    let split = m.revenue.split_by_rep.get(rep);
    let revenue_objective = b.objective(&rep_key(rep, RepObjective::Revenue));
    let mut tiles = vec![Kpi {
        label: b.t("report.kpi.revenue"),
        value: split.map_or_else(|| b.na(), |s| b.compact(s.total)),
        detail: revenue_objective.map(|o| {
            b.tf(
                "report.kpi.vs_objective",
                &[
                    ("objective", &b.figure(Some(o.target), o.unit)),
                    ("projection", &b.landing(o.landing(), o.unit)),
                ],
            )
        }),
        tone: revenue_objective.map_or(Tone::Neutral, |o| tone_of(o.projected_achievement())),
        progress: revenue_objective
            .and_then(|o| o.achievement)
            .map(|a| f64_of(a.0)),
    }];
    if let Some(s) = split {
        tiles.push(Kpi {
            label: b.t("report.kpi.conquest"),
            value: b.compact(s.conquest),
            detail: Some(b.tf(
                if b.is_singular(s.clients.new) {
                    "report.scorecard.new_clients_one"
                } else {
                    "report.scorecard.new_clients_many"
                },
                &[("count", &b.count(s.clients.new))],
            )),
            tone: Tone::Neutral,
            progress: b
                .objective(&rep_key(rep, RepObjective::Conquest))
                .and_then(|o| o.achievement)
                .map(|a| f64_of(a.0)),
        });
    }
    let leads = m.leads.by_rep.get(rep);
    if let Some(l) = leads {
        tiles.push(Kpi {
            label: b.t("report.kpi.conversion"),
            value: b.pct(l.conversion_rate),
            detail: Some(b.tf(
                "report.kpi.leads_count",
                &[("count", &b.count_opt(l.count))],
            )),
            tone: Tone::Neutral,
            progress: None,
        });
    }
    let time = m.time.by_rep.get(rep);
    if let Some(visit) = time.and_then(|t| t.by_activity.get(&ActivityKind::Visit)) {
        tiles.push(Kpi {
            label: b.t("report.scorecard.visit_share"),
            value: b.pct(visit.share),
            detail: visit
                .target_share
                .map(|t| b.tf("report.kpi.objective", &[("objective", &b.pct(Some(t)))])),
            tone: match visit.gap_pts {
                Some(g) if g.0 < Decimal::from(-10) => Tone::Bad,
                Some(g) if g.0 < Decimal::ZERO => Tone::Warning,
                Some(_) => Tone::Good,
                None => Tone::Neutral,
            },
            progress: None,
        });
    }
    let mut blocks = vec![Block::Kpis { tiles }];
    blocks.push(own_findings(b, rep));
    sec("synthesis", b.t("report.sections.synthesis"), blocks)
}

/// The findings whose subject is the salesperson (`R8-SL`, `R8-SL-admin`, `R10-SL`), by
/// id, so that the plan's answers and this page name them alike.
fn own_findings(b: &Builder<'_>, rep: &str) -> Block {
    let own: Vec<_> =
        b.a.findings
            .iter()
            .filter(|f| f.subject.kind == SubjectKind::Rep && f.subject.key == rep)
            .collect();
    if own.is_empty() {
        return Block::Paragraph {
            text: b.t("report.scorecard.own_findings_none"),
        };
    }
    Block::Table(Table {
        id: "rep-findings".into(),
        caption: b.t("report.scorecard.own_findings"),
        columns: vec![
            col(b.t("report.col.finding_id"), Align::Left),
            col(b.t("report.col.finding"), Align::Left),
            col(b.t("report.col.severity"), Align::Left),
            col(b.t("report.col.at_stake"), Align::Right),
        ],
        rows: own
            .iter()
            .map(|f| {
                row(vec![
                    cell(f.id.to_string()),
                    cell(f.title.clone()),
                    cell(b.t(&format!("severity.{}", f.severity.name()))),
                    cell(f.at_stake.map_or_else(|| b.na(), |m| b.money(m))),
                ])
            })
            .collect(),
        note: None,
    })
}

/// Each client's salesperson (see the module docs), by client key.
fn client_reps(b: &Builder<'_>) -> Vec<Option<String>> {
    let e = b.e;
    let records = e.client_records();
    let mut by_rep: BTreeMap<(u32, &str), rust_decimal::Decimal> = BTreeMap::new();
    for s in &e.sales {
        if records[s.client.0 as usize].and_then(|r| r.rep).is_none()
            && let Some(r) = s.rep
        {
            *by_rep.entry((s.client.0, e.label(r))).or_default() += s.amount;
        }
    }
    let mut from_lines: Vec<Option<(&str, rust_decimal::Decimal)>> = vec![None; records.len()];
    // BTreeMap order: by client, then rep name, so the first of equal amounts wins.
    for ((client, rep), amount) in by_rep {
        let best = &mut from_lines[client as usize];
        if best.is_none_or(|(_, a)| amount > a) {
            *best = Some((rep, amount));
        }
    }
    records
        .iter()
        .zip(from_lines)
        .map(|(record, lines)| {
            record
                .and_then(|r| r.rep)
                .map(|r| e.label(r).to_string())
                .or_else(|| lines.map(|(rep, _)| rep.to_string()))
        })
        .collect()
}

/// A client's name from the clients table, else its id.
fn client_label(b: &Builder<'_>, k: ClientKey) -> String {
    b.e.clients
        .iter()
        .flatten()
        .find(|r| r.client == k)
        .and_then(|r| r.name.clone())
        .unwrap_or_else(|| b.e.client_id(k).to_string())
}

/// Their top accounts (FY revenue), the former clients to win back and the open deals.
fn accounts(b: &Builder<'_>, rep: &str) -> Section {
    let e = b.e;
    let reps = client_reps(b);
    let theirs = |k: ClientKey| reps[k.0 as usize].as_deref() == Some(rep);
    let mut blocks = Vec::new();

    let fy = &b.m.periods.fy_to_date;
    let mut revenue: BTreeMap<u32, rust_decimal::Decimal> = BTreeMap::new();
    for s in &e.sales {
        if theirs(s.client) && s.date >= fy.start && s.date <= fy.end {
            *revenue.entry(s.client.0).or_default() += s.amount;
        }
    }
    let mut top: Vec<(u32, rust_decimal::Decimal)> = revenue
        .into_iter()
        .filter(|(_, r)| *r > rust_decimal::Decimal::ZERO)
        .collect();
    top.sort_by(|x, y| {
        y.1.cmp(&x.1)
            .then_with(|| e.client_id(ClientKey(x.0)).cmp(e.client_id(ClientKey(y.0))))
    });
    if !top.is_empty() {
        blocks.push(Block::Table(Table {
            id: "rep-top-accounts".into(),
            caption: b.t("report.scorecard.top_accounts"),
            columns: vec![
                col(b.t("report.col.client"), Align::Left),
                col(b.t("report.col.client_id"), Align::Left),
                col(b.t("report.col.revenue_to_date"), Align::Right),
            ],
            rows: top
                .iter()
                .take(SHORT_LIST)
                .map(|&(k, r)| {
                    row(vec![
                        cell(client_label(b, ClientKey(k))),
                        cell(e.client_id(ClientKey(k)).to_string()),
                        cell(b.money(Money(r))),
                    ])
                })
                .collect(),
            note: None,
        }));
    }

    let winback: Vec<_> =
        b.m.former_clients
            .top
            .iter()
            .filter(|c| {
                e.client_ids
                    .get(&c.client_id)
                    .is_some_and(|k| theirs(ClientKey(k)))
            })
            .take(SHORT_LIST)
            .collect();
    if !winback.is_empty() {
        blocks.push(Block::Table(Table {
            id: "rep-winback".into(),
            caption: b.t("report.scorecard.winback"),
            columns: vec![
                col(b.t("report.col.client"), Align::Left),
                col(b.t("report.col.last_purchase"), Align::Right),
                col(b.t("report.col.revenue_36m"), Align::Right),
            ],
            rows: winback
                .iter()
                .map(|c| {
                    row(vec![
                        cell(c.name.clone().unwrap_or_else(|| c.client_id.clone())),
                        cell(b.date(c.last_purchase)),
                        cell(b.money(c.revenue_36m)),
                    ])
                })
                .collect(),
            note: None,
        }));
    }

    let mut deals: Vec<_> = e
        .leads
        .iter()
        .flatten()
        .filter(|l| {
            !matches!(l.stage, LeadStage::Won | LeadStage::Lost)
                && l.rep.is_some_and(|r| e.label(r) == rep)
                && l.value.is_some_and(|v| v > rust_decimal::Decimal::ZERO)
        })
        .collect();
    deals.sort_by(|x, y| y.value.cmp(&x.value).then_with(|| x.id.cmp(&y.id)));
    if !deals.is_empty() {
        // Open deals are mostly prospects: a client column only when one of them has one.
        let with_client = deals.iter().take(SHORT_LIST).any(|l| l.client.is_some());
        let mut columns = vec![col(b.t("report.col.lead"), Align::Left)];
        if with_client {
            columns.push(col(b.t("report.col.client"), Align::Left));
        }
        // A prospect's deal is known by its number alone: where it came from and how
        // long it has been open are what a salesperson recognises it by.
        columns.push(col(b.t("report.col.source"), Align::Left));
        columns.push(col(b.t("report.col.opened"), Align::Right));
        columns.push(col(b.t("report.col.stage"), Align::Left));
        columns.push(col(b.t("report.col.value"), Align::Right));
        blocks.push(Block::Table(Table {
            id: "rep-open-deals".into(),
            caption: b.tf(
                "report.scorecard.open_deals",
                &[("count", &b.count(deals.len()))],
            ),
            columns,
            rows: deals
                .iter()
                .take(SHORT_LIST)
                .map(|l| {
                    let mut cells = vec![cell(l.id.clone())];
                    if with_client {
                        cells.push(cell(
                            l.client.map_or_else(String::new, |k| client_label(b, k)),
                        ));
                    }
                    let source = l.source.unwrap_or(LeadSource::Other);
                    cells.push(Cell {
                        detail: l.channel.map(|c| e.label(c).to_string()),
                        ..cell(b.cap(&b.source_label(source)))
                    });
                    cells.push(cell(b.date(l.date)));
                    cells.push(cell(b.cap(&b.t(&format!("stage.{}", l.stage.name())))));
                    cells.push(cell(b.money_opt(l.value.map(Money))));
                    row(cells)
                })
                .collect(),
            note: None,
        }));
    }
    if blocks.is_empty() {
        blocks.push(b.unavailable("rep_accounts"));
    }
    sec("accounts", b.t("report.scorecard.accounts"), blocks)
}

/// Their objectives against actuals and projections, and their qualitative objectives.
fn objectives(b: &Builder<'_>, rep: &str) -> Section {
    let m = b.m;
    let lines: Vec<(&ObjectiveLine, RepObjective)> = m
        .objectives
        .iter()
        .filter_map(|o| match &o.key {
            ObjectiveKey::Rep(r, what) if r == rep => Some((o, *what)),
            _ => None,
        })
        .collect();
    let mut blocks = Vec::new();
    if lines.is_empty() {
        blocks.push(b.unavailable("rep_objectives"));
    } else {
        let rows = lines
            .iter()
            .map(|(o, what)| {
                // Mid-year, what matters is where the pace leads: the projection
                // against the objective colours the line.
                let projected = o.projected_achievement();
                Row {
                    cells: vec![
                        cell(b.t(&format!("report.objective.rep_{}", what.name()))),
                        cell(b.figure(Some(o.target), o.unit)),
                        cell(b.figure(o.actual, o.unit)),
                        cell(b.pct(o.achievement)),
                        cell(b.landing(o.landing(), o.unit)),
                        Cell {
                            text: b.pct(projected),
                            tone: tone_of(projected),
                            detail: None,
                        },
                    ],
                    emphasis: false,
                }
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "rep-objectives".into(),
            caption: b.t("report.scorecard.objectives_table"),
            columns: vec![
                Column {
                    label: b.t("report.col.objective_name"),
                    align: Align::Left,
                },
                Column {
                    label: b.t("report.col.objective"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.actual"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.achievement"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.projection"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.projected_achievement"),
                    align: Align::Right,
                },
            ],
            rows,
            note: None,
        }));
    }
    let qualitative: Vec<_> =
        b.e.objectives
            .iter()
            .flat_map(|o| o.qualitative.iter())
            .filter(|q| q.owner.as_deref() == Some(rep))
            .collect();
    if !qualitative.is_empty() {
        blocks.push(Block::Table(Table {
            id: "rep-qualitative".into(),
            caption: b.t("report.plan.qualitative_table"),
            columns: vec![
                Column {
                    label: b.t("report.col.objective_name"),
                    align: Align::Left,
                },
                Column {
                    label: b.t("report.col.status"),
                    align: Align::Left,
                },
            ],
            rows: qualitative
                .iter()
                .map(|q| Row {
                    cells: vec![
                        cell(q.objective.clone()),
                        status(
                            b.t(&format!("objective_status.{}", q.status)),
                            Tone::Neutral,
                        ),
                    ],
                    emphasis: false,
                })
                .collect(),
            note: None,
        }));
    }
    sec("objectives", b.t("report.scorecard.objectives"), blocks)
}

/// Their 3 CA and their clients by ABC class.
fn revenue(b: &Builder<'_>, rep: &str) -> Section {
    let m = b.m;
    let split = m.revenue.split_by_rep.get(rep);
    let mut blocks = Vec::new();
    match split {
        Some(s) => {
            let rows = [
                ("conquest", s.conquest, s.clients.new),
                ("retention", s.retention, s.clients.retained),
                ("reconquest", s.reconquest, s.clients.reconquered),
            ]
            .iter()
            .map(|(k, amount, clients)| Row {
                cells: vec![
                    cell(b.cap(&b.t(&format!("category.{k}")))),
                    cell(b.count(*clients)),
                    cell(b.money(*amount)),
                    cell(b.pct(ratio(amount.0, s.total.0))),
                ],
                emphasis: false,
            })
            .chain(std::iter::once(Row {
                cells: vec![
                    cell(b.cap(&b.t("category.total"))),
                    cell(b.count(s.clients.active)),
                    cell(b.money(s.total)),
                    cell(b.fmt.percent(Decimal::ONE, 1)),
                ],
                emphasis: true,
            }))
            .collect();
            blocks.push(Block::Table(Table {
                id: "rep-three-ca".into(),
                caption: b.t("report.revenue.split_table"),
                columns: vec![
                    Column {
                        label: b.t("report.col.category"),
                        align: Align::Left,
                    },
                    Column {
                        label: b.t("report.col.clients"),
                        align: Align::Right,
                    },
                    Column {
                        label: b.t("report.col.revenue_to_date"),
                        align: Align::Right,
                    },
                    Column {
                        label: b.t("report.col.share"),
                        align: Align::Right,
                    },
                ],
                rows,
                note: None,
            }));
        }
        None => blocks.push(b.unavailable("rep_revenue")),
    }
    if let Some(classes) = m.pareto.by_rep.get(rep) {
        blocks.push(Block::Paragraph {
            text: b.tf(
                "report.scorecard.portfolio",
                &[
                    ("a", &b.count(classes.a)),
                    ("b", &b.count(classes.b)),
                    ("c", &b.count(classes.c)),
                ],
            ),
        });
    }
    sec("revenue", b.t("report.scorecard.revenue"), blocks)
}

/// Their leads and conversion, against the overall rate.
fn leads(b: &Builder<'_>, rep: &str) -> Section {
    let m = b.m;
    let leads = m.leads.by_rep.get(rep);
    let mut blocks = Vec::new();
    match leads {
        Some(l) => blocks.push(Block::Table(Table {
            id: "rep-leads".into(),
            caption: b.t("report.scorecard.leads_table"),
            columns: vec![
                Column {
                    label: b.t("report.col.leads"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.qualified"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.won"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.lost"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.conversion"),
                    align: Align::Right,
                },
                Column {
                    label: b.t("report.col.won_value"),
                    align: Align::Right,
                },
            ],
            rows: vec![Row {
                cells: vec![
                    cell(b.count_opt(l.count)),
                    cell(b.count_opt(l.qualified)),
                    cell(b.count_opt(l.won)),
                    cell(b.count_opt(l.lost)),
                    cell(b.pct(l.conversion_rate)),
                    cell(b.money_opt(l.won_value)),
                ],
                emphasis: false,
            }],
            note: Some(b.tf(
                "report.scorecard.leads_note",
                &[("overall", &b.pct(m.leads.total.stats.conversion_rate))],
            )),
        })),
        None => blocks.push(b.unavailable("rep_leads")),
    }
    sec("leads", b.t("report.sections.leads"), blocks)
}

/// Their time against their allocation key.
fn time_spent(b: &Builder<'_>, rep: &str) -> Section {
    let time = b.m.time.by_rep.get(rep);
    let mut blocks = Vec::new();
    match time {
        Some(t) => {
            blocks.push(time::time_chart(b, "rep-time", &b.rep_name(rep), t));
            blocks.push(time::time_table(
                b,
                "rep-time-table",
                b.t("report.time.team_table"),
                t,
            ));
        }
        None => blocks.push(b.unavailable("rep_time")),
    }
    sec("time", b.t("report.sections.time"), blocks)
}

/// The consultant's notes about them, by chapter, when there are any.
fn notes(b: &Builder<'_>, rep: &str) -> Option<Section> {
    let notes: Vec<Block> = NoteSection::REP_CHAPTERS
        .iter()
        .chain(NoteSection::ALL.iter())
        .fold(Vec::new(), |mut acc: Vec<&NoteSection>, s| {
            if !acc.contains(&s) {
                acc.push(s);
            }
            acc
        })
        .into_iter()
        .flat_map(|s| {
            b.e.notes
                .iter()
                .filter(move |n| n.section == *s && n.rep.as_deref() == Some(rep))
        })
        .map(|n| Block::Note {
            title: Some(
                n.title
                    .clone()
                    .unwrap_or_else(|| b.t(&format!("report.notes.{}", n.section))),
            ),
            markdown: b.note_markdown(n),
        })
        .collect();
    (!notes.is_empty()).then(|| sec("notes", b.t("report.scorecard.notes"), notes))
}
