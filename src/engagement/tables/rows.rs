//! One parser per table: what a row of sales, clients, leads or activities means.
//!
//! Each parser reads its columns through [`TableReader`] (which reports cell errors)
//! and applies the table's own rules: a duplicate client or lead id, negative hours,
//! a sales amount computed from quantity × unit price and converted to the
//! engagement's currency, a sales row without a client. Rules across rows that only
//! make a figure implausible (a lead closed before it was created) are counted here
//! and reported once per file by [`RowParser::finish`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::reader::TableReader;
use super::{Activity, ClientKey, ClientRecord, Interner, Label, Lead, SaleLine};
use crate::diagnostic::{Diagnostic, count};
use crate::engagement::sources::EmptyClient;
use crate::vocab::{Language, LeadSource, LeadStage};

/// Reads the rows of one table.
pub trait RowParser {
    type Row;
    /// The row, or `None` when it is broken (reported) or left out (counted).
    fn parse_row(&mut self, r: &mut TableReader<'_, '_>) -> Option<Self::Row>;
}

/// The pseudo-client of sales rows without a client id (`empty_client = "group"`).
pub fn no_account(language: Language) -> &'static str {
    match language {
        Language::Fr => "(sans compte)",
        Language::En => "(no account)",
    }
}

/// Zone and segment as a sales line gives them, for clients that the clients table
/// does not describe: the client's most recent line wins; among lines of one date, the
/// last one read.
#[derive(Debug, Default)]
pub struct SalesAttributes {
    /// By client: (date, zone, segment) of the line that wins.
    pub latest: BTreeMap<ClientKey, (NaiveDate, Option<Label>, Option<Label>)>,
    /// Clients whose lines give different zones or segments.
    pub disagreeing: std::collections::BTreeSet<ClientKey>,
}

/// Sales lines.
pub struct SalesRows<'a> {
    pub client_ids: &'a mut Interner,
    pub labels: &'a mut Interner,
    pub attributes: &'a mut SalesAttributes,
}

impl RowParser for SalesRows<'_> {
    type Row = SaleLine;

    fn parse_row(&mut self, r: &mut TableReader<'_, '_>) -> Option<SaleLine> {
        let date = r.required_date("date");
        let client = match r.text("client_id") {
            Some(c) => Some(ClientKey(self.client_ids.intern(&c))),
            None => match r.empty_client() {
                EmptyClient::Error => {
                    r.required_text("client_id");
                    None
                }
                EmptyClient::Skip => {
                    r.leave_out("empty_client");
                    return None;
                }
                EmptyClient::Group => {
                    let name = no_account(r.context().language);
                    Some(ClientKey(self.client_ids.intern(name)))
                }
            },
        };
        let quantity = r.amount("quantity");
        let amount = if r.has_column("amount") {
            r.required_amount("amount")
        } else {
            // Quantity × unit price, exact, rounded half away from zero to the cent.
            let q = match quantity {
                Ok(Some(q)) => Some(q),
                Ok(None) => r.required_amount("quantity"),
                Err(_) => None,
            };
            let p = r.required_amount("unit_price");
            match (q, p) {
                (Some(q), Some(p)) => match q.checked_mul(p) {
                    Some(a) if a.abs() <= super::MAX_AMOUNT => {
                        Some(a.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
                    }
                    _ => {
                        let d = r.error(
                            "unit_price",
                            format!("quantity × unit price is out of range ({q} × {p})"),
                            format!(
                                "expected an amount of at most {} in absolute value",
                                count(1_000_000_000_000)
                            ),
                        );
                        r.report("unit_price", "product out of range", d);
                        None
                    }
                },
                _ => None,
            }
        };
        let rep = r.text("rep").map(|s| Label(self.labels.intern(&s)));
        let product = r.text("product").map(|s| Label(self.labels.intern(&s)));
        let invoice = r.text("invoice").map(|s| Box::from(s.as_ref()));
        let zone = r.text("zone").map(|s| Label(self.labels.intern(&s)));
        let segment = r.text("segment").map(|s| Label(self.labels.intern(&s)));
        let quantity = quantity.ok()?;
        let amount = r.convert(amount?)?;
        let (date, client) = (date?, client?);
        if zone.is_some() || segment.is_some() {
            let latest = self
                .attributes
                .latest
                .entry(client)
                .or_insert((date, zone, segment));
            if (latest.1.is_some() && zone.is_some() && latest.1 != zone)
                || (latest.2.is_some() && segment.is_some() && latest.2 != segment)
            {
                self.attributes.disagreeing.insert(client);
            }
            if date >= latest.0 {
                *latest = (date, zone.or(latest.1), segment.or(latest.2));
            }
        }
        Some(SaleLine {
            date,
            client,
            amount,
            rep,
            product,
            quantity,
            invoice,
            line: r.line(),
        })
    }
}

/// Clients.
pub struct ClientRows<'a> {
    pub client_ids: &'a mut Interner,
    pub labels: &'a mut Interner,
    pub seen: BTreeMap<ClientKey, u32>,
}

impl RowParser for ClientRows<'_> {
    type Row = ClientRecord;

    fn parse_row(&mut self, r: &mut TableReader<'_, '_>) -> Option<ClientRecord> {
        let client = ClientKey(self.client_ids.intern(&r.required_text("client_id")?));
        if let Some(first) = self.seen.get(&client) {
            let d = r
                .error(
                    "client_id",
                    format!(
                        "client `{}` is listed twice",
                        self.client_ids.name(client.0)
                    ),
                    "expected each client once".into(),
                )
                .note(format!("first listed on line {first}"));
            r.report("client_id", "listed twice", d);
            return None;
        }
        self.seen.insert(client, r.line());
        let name = r.text("name").map(|s| s.into_owned());
        let mut label =
            |r: &TableReader<'_, '_>, c: &str| r.text(c).map(|s| Label(self.labels.intern(&s)));
        let zone = label(r, "zone");
        let segment = label(r, "segment");
        let prescriber = label(r, "prescriber");
        let rep = label(r, "rep");
        let created = r.date("created");
        let maturity = r.word("maturity");
        Some(ClientRecord {
            client,
            name,
            zone,
            segment,
            created: created.ok()?,
            prescriber,
            maturity: maturity.ok()?,
            rep,
            line: r.line(),
        })
    }
}

/// Leads (deals, opportunities).
pub struct LeadRows<'a> {
    pub client_ids: &'a mut Interner,
    pub labels: &'a mut Interner,
    pub seen: BTreeMap<String, u32>,
    pub without_source: usize,
    /// Lines of leads closed before they were created (kept, left out of the cycle).
    pub closed_before_created: Vec<u32>,
    /// Lines of open leads with a closing date (a CRM's expected close date: ignored,
    /// counted in the data-quality annex; every CRM export has them, so no warning).
    pub open_with_closed: Vec<u32>,
}

impl RowParser for LeadRows<'_> {
    type Row = Lead;

    fn parse_row(&mut self, r: &mut TableReader<'_, '_>) -> Option<Lead> {
        let id = r.required_text("lead_id").map(|s| s.into_owned());
        let date = r.required_date("date");
        // An empty source is tolerated (counted under `other`, reported as data quality);
        // a source that is not in the vocabulary is an error. `Err` = reported; the
        // row is dropped below, after the duplicate check (which must see every id).
        let empty_source = r.text("source").is_none();
        let source = r.word::<LeadSource>("source");
        if matches!(source, Ok(None)) {
            self.without_source += 1;
        }
        // An export's preset (or the engagement's values map) may file an empty source
        // under `other` on purpose: no warning then, but the lead still has no source,
        // and the data-quality annex counts it. A map that gives it a real source wins.
        let source = match source {
            Ok(Some(LeadSource::Other)) if empty_source => Ok(None),
            s => s,
        };
        let stage = r.required_word::<LeadStage>("stage");
        let qualified = r.boolean("qualified");
        let closed = r.date("closed");
        let client = r
            .text("client_id")
            .map(|c| ClientKey(self.client_ids.intern(&c)));
        let rep = r.text("rep").map(|s| Label(self.labels.intern(&s)));
        let value = r.amount("value");
        let prescriber = r.text("prescriber").map(|s| Label(self.labels.intern(&s)));
        let channel = r.text("channel").map(|s| Label(self.labels.intern(&s)));
        let id = id?;
        if let Some(first) = self.seen.get(&id) {
            let d = r
                .error(
                    "lead_id",
                    format!("lead `{id}` is listed twice"),
                    "expected each lead id once".into(),
                )
                .note(format!("first listed on line {first}"));
            r.report("lead_id", "listed twice", d);
            return None;
        }
        self.seen.insert(id.clone(), r.line());
        let (date, mut closed, source, stage) = (date?, closed.ok()?, source.ok()?, stage?);
        let value = match value.ok()? {
            Some(v) => Some(r.convert(v)?),
            None => None,
        };
        if closed.is_some() && !matches!(stage, LeadStage::Won | LeadStage::Lost) {
            // A CRM's expected close date on an open deal says nothing of a cycle.
            self.open_with_closed.push(r.line());
            closed = None;
        }
        if let Some(c) = closed
            && c < date
        {
            self.closed_before_created.push(r.line());
        }
        Some(Lead {
            id,
            date,
            source,
            stage,
            qualified: qualified.ok()?,
            closed,
            client,
            rep,
            value,
            prescriber,
            channel,
            line: r.line(),
        })
    }
}

impl LeadRows<'_> {
    /// The warnings about leads that are odd but readable, once per table.
    pub fn warnings(&self, file: &std::path::Path) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if self.without_source > 0 {
            out.push(
                Diagnostic::warning(format!(
                    "{} leads have no source; they are counted under `other`",
                    count(self.without_source)
                ))
                .in_file(file)
                .help(
                    "fill the `source` column, or map the empty cell with `source = { \"\" = \"...\" }` in [data.leads.values]",
                ),
            );
        }
        if !self.closed_before_created.is_empty() {
            let n = self.closed_before_created.len();
            out.push(
                Diagnostic::warning(format!(
                    "{} lead{} closed before {} created: {}",
                    count(n),
                    if n == 1 { " is" } else { "s are" },
                    if n == 1 { "it was" } else { "they were" },
                    super::super::checks::line_list(&self.closed_before_created)
                ))
                .in_file(file)
                .note("they count as leads, but are left out of the sales cycle median")
                .help("deals entered after the fact often have this; check their dates in the CRM"),
            );
        }
        out
    }
}

/// Activities.
pub struct ActivityRows<'a> {
    pub client_ids: &'a mut Interner,
    pub labels: &'a mut Interner,
}

impl RowParser for ActivityRows<'_> {
    type Row = Activity;

    fn parse_row(&mut self, r: &mut TableReader<'_, '_>) -> Option<Activity> {
        let date = r.required_date("date");
        let rep = r
            .required_text("rep")
            .map(|s| Label(self.labels.intern(&s)));
        let kind = r.required_word("activity");
        let hours = r.amount("hours");
        let target = r.word("target");
        let client = r
            .text("client_id")
            .map(|c| ClientKey(self.client_ids.intern(&c)));
        let hours = hours.ok()?.unwrap_or(Decimal::ONE);
        if hours.is_sign_negative() {
            let d = r.error(
                "hours",
                format!("negative hours `{hours}`"),
                "expected a number of hours >= 0".into(),
            );
            r.report("hours", "negative", d);
            return None;
        }
        Some(Activity {
            date: date?,
            rep: rep?,
            kind: kind?,
            hours,
            target: target.ok()?,
            client,
            line: r.line(),
        })
    }
}
