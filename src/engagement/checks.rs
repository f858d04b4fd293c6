//! Checks across the tables of a loaded engagement: readable data that would certainly
//! make a wrong report.
//!
//! Each cell of a file can be fine while the whole is not: a fiscal year without one
//! sales line in it (last year's data left in a new engagement) gives a report of zeros;
//! one line with a typo year (2052) would move the data cut-off to the fiscal year's
//! end; `JD` and `jd` would write one scorecard over the other. These are found here,
//! once every table is read, and reported with the lines they come from.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Days, Months, NaiveDate};

use super::tables::SaleLine;
use super::{Engagement, EngagementInfo};
use crate::diagnostic::{Diagnostic, count};
use crate::vocab::{TableKind, file_stem};

/// Sales lines more than this many days after the bulk of the data are suspect.
pub const LATE_LINE_DAYS: u64 = 31;

/// The share of lines that may be "after the bulk" (1 %), and the number of lines
/// below which there is no bulk to speak of.
const LATE_SHARE_DIVISOR: usize = 100;
const LATE_MIN_LINES: usize = 100;

/// The last day of the fiscal year starting on `start`.
pub fn fiscal_year_end(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

/// What the sales dates say about the data's extent.
#[derive(Debug, Default)]
pub struct SalesExtent {
    /// The last date of the lines that are neither after the fiscal year nor far after
    /// the bulk of the data: the default data cut-off.
    pub end: Option<NaiveDate>,
    /// Lines dated after the fiscal year's end.
    pub after_fiscal_year: Vec<u32>,
    /// Lines in the fiscal year but more than [`LATE_LINE_DAYS`] after the bulk.
    pub far_after_bulk: Vec<u32>,
    /// The date the bulk of the data ends on, when lines are far after it.
    pub bulk_end: Option<NaiveDate>,
}

/// Finds the sales lines dated after the fiscal year, and (when `as_of` is not set)
/// those far after the bulk of the data, so that neither moves the cut-off.
pub fn sales_extent(sales: &[SaleLine], info: &EngagementInfo) -> SalesExtent {
    let fy_end = fiscal_year_end(info.fiscal_year_start);
    let mut extent = SalesExtent::default();
    let mut dates: Vec<NaiveDate> = Vec::with_capacity(sales.len());
    for s in sales {
        if s.date > fy_end {
            extent.after_fiscal_year.push(s.line);
        } else {
            dates.push(s.date);
        }
    }
    let mut limit = fy_end;
    if info.as_of.is_none() && dates.len() >= LATE_MIN_LINES {
        // The date below which 99 % of the lines lie; a line a month after it, alone
        // or nearly, is a typo rather than the start of new data.
        let k = dates.len() / LATE_SHARE_DIVISOR;
        let i = dates.len() - 1 - k;
        let (_, bulk, _) = dates.select_nth_unstable(i);
        let bulk = *bulk;
        if let Some(late) = bulk.checked_add_days(Days::new(LATE_LINE_DAYS)) {
            let far: Vec<u32> = sales
                .iter()
                .filter(|s| s.date > late && s.date <= fy_end)
                .map(|s| s.line)
                .collect();
            if !far.is_empty() {
                extent.far_after_bulk = far;
                extent.bulk_end = Some(bulk);
                limit = late;
            }
        }
    }
    extent.end = sales.iter().map(|s| s.date).filter(|d| *d <= limit).max();
    extent
}

/// "lines 4, 18 and 40", at most ten numbers, then how many more.
pub(crate) fn line_list(lines: &[u32]) -> String {
    const SHOWN: usize = 10;
    let mut sorted = lines.to_vec();
    sorted.sort_unstable();
    let shown: Vec<String> = sorted
        .iter()
        .take(SHOWN)
        .map(|l| count(*l as usize))
        .collect();
    let word = if lines.len() == 1 { "line" } else { "lines" };
    if sorted.len() > SHOWN {
        format!(
            "{word} {} and {} more",
            shown.join(", "),
            count(sorted.len() - SHOWN)
        )
    } else {
        format!("{word} {}", shown.join(", "))
    }
}

/// Errors and warnings about the sales dates as a whole: no line in the fiscal year
/// (error), lines after it or far after the rest (warnings).
pub fn check_sales_dates(
    sales: &[SaleLine],
    info: &EngagementInfo,
    extent: &SalesExtent,
    sales_file: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let start = info.fiscal_year_start;
    let fy_end = fiscal_year_end(start);
    let (first, last) = match (
        sales.iter().map(|s| s.date).min(),
        sales.iter().map(|s| s.date).max(),
    ) {
        (Some(f), Some(l)) => (f, l),
        _ => return out,
    };
    if !sales.iter().any(|s| start <= s.date && s.date <= fy_end) {
        out.push(
            Diagnostic::error(format!(
                "no sales line in the fiscal year {start} to {fy_end}"
            ))
            .in_file(sales_file)
            .label(format!("the sales lines run from {first} to {last}"))
            .help("check `fiscal_year_start` in [engagement] of engagement.toml, or export the invoice lines of that fiscal year"),
        );
        return out;
    }
    let cut_off = info.as_of.or(extent.end);
    let cut_off_note = |what: &str| match (info.as_of, cut_off) {
        (Some(a), _) => {
            format!("{what} left out of every figure; the data cut-off is `as_of` = {a}")
        }
        (None, Some(c)) => format!(
            "{what} left out of every figure; the data cut-off (as_of) stays at {c}, the last date of the other lines"
        ),
        (None, None) => format!("{what} left out of every figure"),
    };
    let n = extent.after_fiscal_year.len();
    if n > 0 {
        let (they, are) = if n == 1 {
            ("it is", "is")
        } else {
            ("they are", "are")
        };
        out.push(
            Diagnostic::warning(format!(
                "{} sales line{} {are} dated after the fiscal year, which ends on {fy_end}: {}",
                count(n),
                if n == 1 { "" } else { "s" },
                line_list(&extent.after_fiscal_year)
            ))
            .in_file(sales_file)
            .note(cut_off_note(they))
            .help("check their dates (a typo in the year?) or the fiscal year's start"),
        );
    }
    let n = extent.far_after_bulk.len();
    if let (true, Some(bulk)) = (n > 0, extent.bulk_end) {
        let (they, are) = if n == 1 {
            ("it is", "is")
        } else {
            ("they are", "are")
        };
        let latest = sales
            .iter()
            .filter(|s| s.date <= fy_end)
            .map(|s| s.date)
            .max()
            .unwrap_or(bulk);
        out.push(
            Diagnostic::warning(format!(
                "{} sales line{} {are} dated more than {LATE_LINE_DAYS} days after the rest of the data, which ends on {}: {}",
                count(n),
                if n == 1 { "" } else { "s" },
                extent.end.unwrap_or(bulk),
                line_list(&extent.far_after_bulk)
            ))
            .in_file(sales_file)
            .note(cut_off_note(they))
            .help(format!(
                "check their dates; if the data really runs to {latest}, set `as_of = \"{latest}\"` in [engagement] of engagement.toml"
            )),
        );
    }
    out
}

/// Zone and segment from the sales lines (format v1.1), for the clients the clients
/// table does not describe: each client's most recent line. Without a clients table,
/// one record per client of the sales is made (`line` 0: not from a file).
pub fn client_attributes_from_sales(
    clients: Option<Vec<super::ClientRecord>>,
    sales: &[SaleLine],
    attributes: &super::tables::rows::SalesAttributes,
) -> Option<Vec<super::ClientRecord>> {
    if attributes.latest.is_empty() {
        return clients;
    }
    match clients {
        Some(mut records) => {
            for r in &mut records {
                if let Some((_, zone, segment)) = attributes.latest.get(&r.client) {
                    r.zone = r.zone.or(*zone);
                    r.segment = r.segment.or(*segment);
                }
            }
            Some(records)
        }
        None => {
            let mut seen = std::collections::BTreeSet::new();
            let mut records = Vec::new();
            for s in sales {
                if seen.insert(s.client) {
                    let (zone, segment) = attributes
                        .latest
                        .get(&s.client)
                        .map_or((None, None), |(_, z, g)| (*z, *g));
                    records.push(super::ClientRecord {
                        client: s.client,
                        name: None,
                        zone,
                        segment,
                        created: None,
                        prescriber: None,
                        maturity: None,
                        rep: None,
                        line: 0,
                    });
                }
            }
            Some(records)
        }
    }
}

/// A salesperson id's first appearance: the id, where (for the message), and the file.
type Appearance = (String, String, Option<std::path::PathBuf>);

/// The salesperson of each row of one table, with the row's line.
type RepLines = Vec<(Option<super::Label>, u32)>;

/// Salesperson ids that would share a scorecard file (`JD` and `jd`): an error naming
/// both and where each first appears.
/// Salespeople of one engagement, hence scorecards: a sales team of an SME is a few to a
/// few dozen; a thousand build in about 20 seconds, and 1,200 leaves room around it.
pub const MAX_SALESPEOPLE: usize = 1200;

pub fn check_rep_file_names(e: &Engagement) -> Vec<Diagnostic> {
    // Each id's first appearance, in reading order.
    let file_of = |kind: TableKind| e.tables.get(&kind).map(|s| s.file.clone());
    let mut appearances: Vec<Appearance> = Vec::new();
    let mut known: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // Where an id appears is written out only for its first appearance: a sales file
    // names its few salespeople on each of its thousands of lines.
    let mut add = |id: &str, place: &dyn Fn() -> (String, Option<std::path::PathBuf>)| {
        if !known.contains(id) {
            known.insert(id.to_string());
            let (place, path) = place();
            appearances.push((id.to_string(), place, path));
        }
    };
    let tables: [(TableKind, RepLines); 3] = [
        (
            TableKind::Sales,
            e.sales.iter().map(|s| (s.rep, s.line)).collect(),
        ),
        (
            TableKind::Leads,
            e.leads.iter().flatten().map(|l| (l.rep, l.line)).collect(),
        ),
        (
            TableKind::Activities,
            e.activities
                .iter()
                .flatten()
                .map(|a| (Some(a.rep), a.line))
                .collect(),
        ),
    ];
    for (kind, reps) in &tables {
        let file = file_of(*kind).unwrap_or_default();
        for (rep, line) in reps {
            if let Some(rep) = rep {
                add(e.label(*rep), &|| {
                    (format!("{file}, line {line}"), Some(e.dir.join(&file)))
                });
            }
        }
    }
    if let Some(o) = &e.objectives {
        for rep in &o.reps {
            add(&rep.id, &|| {
                (
                    "objectives.toml ([[rep]])".to_string(),
                    Some(e.dir.join("objectives.toml")),
                )
            });
        }
    }
    let mut out = Vec::new();
    if let Some((id, place, path)) = appearances.get(MAX_SALESPEOPLE) {
        // Each salesperson gets a scorecard in two formats: 20,000 ids in a column
        // (an invoice number mapped as the salesperson, say) took minutes and gigabytes.
        let mut d = Diagnostic::error(format!(
            "{} salespeople; levier writes at most {} scorecards",
            appearances.len(),
            MAX_SALESPEOPLE
        ));
        if let Some(path) = path {
            d = d.in_file(path);
        }
        out.push(
            d.note(format!(
                "salesperson number {}, `{id}`, first appears in {place}",
                MAX_SALESPEOPLE + 1
            ))
            .help("check that the salesperson column holds salespeople's ids (not clients, invoices or free text), or split the engagement"),
        );
        return out;
    }
    let mut by_stem: BTreeMap<String, Vec<&Appearance>> = BTreeMap::new();
    for a in &appearances {
        by_stem.entry(file_stem(&a.0)).or_default().push(a);
    }
    for (stem, ids) in by_stem {
        if ids.len() < 2 {
            continue;
        }
        let names: Vec<String> = ids.iter().map(|a| format!("`{}`", a.0)).collect();
        let mut d = Diagnostic::error(format!(
            "salespeople {} would share one scorecard file (`scorecards/{stem}.pdf`)",
            join_and(&names)
        ));
        if let Some(path) = &ids[1].2 {
            d = d.in_file(path);
        }
        for a in &ids {
            d = d.note(format!("`{}` first appears in {}", a.0, a.1));
        }
        out.push(d.help(
            "ids are case-sensitive and name the scorecard files: write each salesperson's id the same way in every file",
        ));
    }
    out
}

/// "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(date: &str, n: u32) -> SaleLine {
        SaleLine {
            date: date.parse().unwrap(),
            client: super::super::ClientKey(0),
            amount: rust_decimal::Decimal::ONE,
            rep: None,
            product: None,
            quantity: None,
            invoice: None,
            line: n,
        }
    }

    fn info(as_of: Option<&str>) -> EngagementInfo {
        EngagementInfo {
            client: "X".into(),
            title: None,
            consultant: None,
            language: crate::vocab::Language::En,
            currency: "EUR".into(),
            fiscal_year_start: "2025-01-01".parse().unwrap(),
            as_of: as_of.map(|d| d.parse().unwrap()),
            growth: crate::vocab::Growth::Internal,
        }
    }

    #[test]
    fn a_typo_year_does_not_move_the_cut_off() {
        let mut sales: Vec<SaleLine> = (0..200)
            .map(|i| line(&format!("2025-0{}-1{}", 1 + i % 6, i % 10), i + 2))
            .collect();
        sales.push(line("2052-03-01", 500));
        let e = sales_extent(&sales, &info(None));
        assert_eq!(e.after_fiscal_year, [500]);
        assert_eq!(e.end, Some("2025-06-19".parse().unwrap()));
    }

    #[test]
    fn a_line_far_after_the_bulk_is_set_apart() {
        let mut sales: Vec<SaleLine> = (0..300)
            .map(|i| line(&format!("2025-0{}-2{}", 1 + i % 6, i % 8), i + 2))
            .collect();
        sales.push(line("2025-11-12", 900));
        let e = sales_extent(&sales, &info(None));
        assert_eq!(e.far_after_bulk, [900]);
        assert_eq!(e.end, Some("2025-06-27".parse().unwrap()));
        // With as_of set, the consultant decided: nothing is set apart.
        let e = sales_extent(&sales, &info(Some("2025-12-31")));
        assert!(e.far_after_bulk.is_empty());
    }

    #[test]
    fn small_files_have_no_bulk_to_compare_with() {
        let sales = vec![line("2025-01-10", 2), line("2025-09-01", 3)];
        let e = sales_extent(&sales, &info(None));
        assert!(e.far_after_bulk.is_empty());
        assert_eq!(e.end, Some("2025-09-01".parse().unwrap()));
    }

    #[test]
    fn line_lists_are_short() {
        assert_eq!(line_list(&[4]), "line 4");
        let many: Vec<u32> = (1..=13).collect();
        assert_eq!(
            line_list(&many),
            "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 3 more"
        );
    }
}
