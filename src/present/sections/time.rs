//! Section 3.5, Sales time (analysis: [`crate::analysis::time`]): time by activity against the
//! allocation key, for the team and per salesperson (the scorecards use the same table
//! and chart).

use rust_decimal::Decimal;

use crate::analysis::CutKey;
use crate::analysis::figures::Rate;
use crate::analysis::time::TimeAllocation;
use crate::present::builder::*;
use crate::present::model::*;
use crate::present::parts::*;
use crate::vocab::ActivityKind;

/// The time allocation table of one rep or the whole team.
/// Whether the objectives give a time allocation key to compare with.
fn keyed(t: &TimeAllocation) -> bool {
    t.by_activity.values().any(|at| at.target_share.is_some())
}

/// Hours and shares by activity, against the allocation key when the objectives give
/// one. Without a key the key and gap columns would read "n.d." on every line: they are
/// left out and a note says why.
pub(crate) fn time_table(b: &Builder<'_>, id: &str, caption: String, t: &TimeAllocation) -> Block {
    let keyed = keyed(t);
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
            let mut cells = vec![
                cell(b.cap(&b.activity_label(*a))),
                cell(b.fmt.number(at.hours.0, 0)),
                cell(b.pct(at.share)),
            ];
            if keyed {
                cells.push(cell(b.pct(at.target_share)));
                cells.push(toned(
                    at.gap_pts.map_or_else(|| b.na(), |g| b.fmt.points(g.0)),
                    gap_tone,
                ));
            }
            row(cells)
        })
        .chain(std::iter::once({
            let mut cells = vec![
                cell(b.cap(&b.t("category.total"))),
                cell(b.quantity(t.total_hours, 0)),
                cell(if t.total_hours.is_some() {
                    b.fmt.percent(Decimal::ONE, 1)
                } else {
                    b.na()
                }),
            ];
            if keyed {
                cells.extend([cell(String::new()), cell(String::new())]);
            }
            total_row(cells)
        }))
        .collect();
    let mut columns = vec![
        col(b.t("report.col.activity"), Align::Left),
        col(b.t("report.col.hours"), Align::Right),
        col(b.t("report.col.share"), Align::Right),
    ];
    if keyed {
        columns.push(col(b.t("report.col.key"), Align::Right));
        columns.push(col(b.t("report.col.gap"), Align::Right));
    }
    Block::Table(Table {
        id: id.to_string(),
        caption,
        columns,
        rows,
        note: (!keyed).then(|| b.t("report.time.no_key")),
    })
}

pub(crate) fn time_chart(b: &Builder<'_>, id: &str, who: &str, t: &TimeAllocation) -> Block {
    let acts: Vec<&ActivityKind> = ActivityKind::ALL
        .iter()
        .filter(|a| t.by_activity.contains_key(a))
        .collect();
    let visit = t.by_activity.get(&ActivityKind::Visit);
    // The takeaway: the visit share against the key, when the key gives one.
    let title = match visit.and_then(|v| v.share.zip(v.target_share)) {
        Some((share, target)) => b.cap(&b.tf(
            "report.time.takeaway",
            &[
                ("who", who),
                ("visit", &b.pct(Some(share))),
                ("target", &b.pct(Some(target))),
            ],
        )),
        None => b.tf("report.time.chart", &[("who", who)]),
    };
    b.chart(
        id,
        title,
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

pub(crate) fn time_section(b: &Builder<'_>) -> Section {
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
    // One line per rep: the shares that matter for the method. The visit key column
    // only when some salesperson has one.
    let visit_keyed = m.time.by_rep.values().any(|t| {
        t.by_activity
            .get(&ActivityKind::Visit)
            .is_some_and(|v| v.target_share.is_some())
    });
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
            let mut cells = vec![
                cell(b.rep_name(rep.as_str())),
                cell(b.quantity(t.total_hours, 0)),
                cell(b.pct(visit.and_then(|v| v.share))),
            ];
            if visit_keyed {
                cells.push(cell(b.pct(visit.and_then(|v| v.target_share))));
            }
            cells.extend([
                toned(
                    b.pct(admin),
                    if admin.is_some_and(|a| a.0 > Decimal::new(25, 2)) {
                        Tone::Bad
                    } else {
                        Tone::Neutral
                    },
                ),
                cell(b.pct(share(ActivityKind::Preparation))),
            ]);
            row(cells)
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: "time-by-rep".into(),
        caption: b.t("report.time.by_rep_table"),
        columns: vec![
            col(b.t("report.col.salesperson"), Align::Left),
            col(b.t("report.col.hours"), Align::Right),
            col(b.t("report.col.visit_share"), Align::Right),
        ]
        .into_iter()
        .chain(visit_keyed.then(|| col(b.t("report.col.visit_key"), Align::Right)))
        .chain([
            col(b.t("report.col.admin_share"), Align::Right),
            col(b.t("report.col.preparation_share"), Align::Right),
        ])
        .collect(),
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
