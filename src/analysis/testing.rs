//! Test support: builds [`Engagement`] values in code, so that each analysis is tested
//! on a handful of hand-computed rows rather than on files.
//!
//! ```ignore
//! let e = EngagementBuilder::new("2025-01-01")
//!     .as_of("2025-06-30")
//!     .sale("2025-02-01", "C1", "100.00")
//!     .client("C1", |c| c.zone("Nord"))
//!     .build();
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::engagement::{
    Activity, Brand, ClientKey, ClientRecord, Engagement, EngagementInfo, FileStats, Interner,
    Label, Lead, Objectives, SaleLine, Settings,
};
use crate::vocab::{
    ActivityKind, Growth, Language, LeadSource, LeadStage, Maturity, TableKind, VisitTarget,
};

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad test date {s}"))
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("bad test decimal {s}"))
}

/// A clients table row under construction.
#[derive(Default)]
pub struct ClientRow {
    name: Option<String>,
    zone: Option<String>,
    segment: Option<String>,
    rep: Option<String>,
    maturity: Option<Maturity>,
}

impl ClientRow {
    pub fn name(mut self, s: &str) -> Self {
        self.name = Some(s.into());
        self
    }
    pub fn zone(mut self, s: &str) -> Self {
        self.zone = Some(s.into());
        self
    }
    pub fn segment(mut self, s: &str) -> Self {
        self.segment = Some(s.into());
        self
    }
    pub fn rep(mut self, s: &str) -> Self {
        self.rep = Some(s.into());
        self
    }
    pub fn maturity(mut self, m: Maturity) -> Self {
        self.maturity = Some(m);
        self
    }
}

/// A lead under construction; `lead(date, source, stage)` starts one.
pub struct LeadRow {
    date: NaiveDate,
    source: Option<LeadSource>,
    stage: LeadStage,
    qualified: Option<bool>,
    closed: Option<NaiveDate>,
    rep: Option<String>,
    value: Option<Decimal>,
    prescriber: Option<String>,
}

impl LeadRow {
    pub fn qualified(mut self, q: bool) -> Self {
        self.qualified = Some(q);
        self
    }
    pub fn closed(mut self, d: &str) -> Self {
        self.closed = Some(date(d));
        self
    }
    pub fn rep(mut self, s: &str) -> Self {
        self.rep = Some(s.into());
        self
    }
    pub fn value(mut self, v: &str) -> Self {
        self.value = Some(dec(v));
        self
    }
    pub fn prescriber(mut self, s: &str) -> Self {
        self.prescriber = Some(s.into());
        self
    }
}

/// Builds an engagement in memory.
pub struct EngagementBuilder {
    fy_start: NaiveDate,
    as_of: Option<NaiveDate>,
    settings: Settings,
    client_ids: Interner,
    labels: Interner,
    sales: Vec<SaleLine>,
    clients: Option<Vec<ClientRecord>>,
    leads: Option<Vec<Lead>>,
    activities: Option<Vec<Activity>>,
    objectives: Option<Objectives>,
    tables: BTreeMap<TableKind, FileStats>,
}

impl EngagementBuilder {
    pub fn new(fy_start: &str) -> Self {
        EngagementBuilder {
            fy_start: date(fy_start),
            as_of: None,
            settings: Settings::default(),
            client_ids: Interner::default(),
            labels: Interner::default(),
            sales: Vec::new(),
            clients: None,
            leads: None,
            activities: None,
            objectives: None,
            tables: BTreeMap::new(),
        }
    }

    // The builder reads like the engagement.toml key it sets.
    #[allow(clippy::wrong_self_convention)]
    pub fn as_of(mut self, d: &str) -> Self {
        self.as_of = Some(date(d));
        self
    }

    pub fn settings(mut self, f: impl FnOnce(&mut Settings)) -> Self {
        f(&mut self.settings);
        self
    }

    fn label(&mut self, s: Option<&str>) -> Option<Label> {
        s.filter(|s| !s.is_empty())
            .map(|s| Label(self.labels.intern(s)))
    }

    fn client_key(&mut self, id: &str) -> ClientKey {
        ClientKey(self.client_ids.intern(id))
    }

    pub fn sale(self, d: &str, client: &str, amount: &str) -> Self {
        self.sale_with(d, client, amount, None, None)
    }

    pub fn sale_by(self, d: &str, client: &str, amount: &str, rep: &str) -> Self {
        self.sale_with(d, client, amount, Some(rep), None)
    }

    pub fn sale_with(
        mut self,
        d: &str,
        client: &str,
        amount: &str,
        rep: Option<&str>,
        product: Option<&str>,
    ) -> Self {
        let client = self.client_key(client);
        let rep = self.label(rep);
        let product = self.label(product);
        let line = self.sales.len() as u32 + 2;
        self.sales.push(SaleLine {
            date: date(d),
            client,
            amount: dec(amount),
            rep,
            product,
            quantity: None,
            invoice: None,
            line,
        });
        self
    }

    /// Declares that the clients table exists (possibly empty).
    pub fn clients_table(mut self) -> Self {
        self.clients.get_or_insert_with(Vec::new);
        self
    }

    pub fn client(mut self, id: &str, f: impl FnOnce(ClientRow) -> ClientRow) -> Self {
        let row = f(ClientRow::default());
        let client = self.client_key(id);
        let zone = self.label(row.zone.as_deref());
        let segment = self.label(row.segment.as_deref());
        let rep = self.label(row.rep.as_deref());
        let clients = self.clients.get_or_insert_with(Vec::new);
        let line = clients.len() as u32 + 2;
        clients.push(ClientRecord {
            client,
            name: row.name,
            zone,
            segment,
            created: None,
            prescriber: None,
            maturity: row.maturity,
            rep,
            line,
        });
        self
    }

    /// Declares that the leads table exists (possibly empty).
    pub fn leads_table(mut self) -> Self {
        self.leads.get_or_insert_with(Vec::new);
        self
    }

    pub fn lead(
        mut self,
        d: &str,
        source: Option<LeadSource>,
        stage: LeadStage,
        f: impl FnOnce(LeadRow) -> LeadRow,
    ) -> Self {
        let row = f(LeadRow {
            date: date(d),
            source,
            stage,
            qualified: None,
            closed: None,
            rep: None,
            value: None,
            prescriber: None,
        });
        let rep = self.label(row.rep.as_deref());
        let prescriber = self.label(row.prescriber.as_deref());
        let leads = self.leads.get_or_insert_with(Vec::new);
        let line = leads.len() as u32 + 2;
        leads.push(Lead {
            id: format!("L{line}"),
            date: row.date,
            source: row.source,
            stage: row.stage,
            qualified: row.qualified,
            closed: row.closed,
            client: None,
            rep,
            value: row.value,
            prescriber,
            channel: None,
            line,
        });
        self
    }

    /// Declares that the activities table exists (possibly empty).
    pub fn activities_table(mut self) -> Self {
        self.activities.get_or_insert_with(Vec::new);
        self
    }

    pub fn activity(
        mut self,
        d: &str,
        rep: &str,
        kind: ActivityKind,
        hours: &str,
        target: Option<VisitTarget>,
        client: Option<&str>,
    ) -> Self {
        let rep = Label(self.labels.intern(rep));
        let client = client.map(|c| self.client_key(c));
        let activities = self.activities.get_or_insert_with(Vec::new);
        let line = activities.len() as u32 + 2;
        activities.push(Activity {
            date: date(d),
            rep,
            kind,
            hours: dec(hours),
            target,
            client,
            line,
        });
        self
    }

    pub fn objectives(mut self, o: Objectives) -> Self {
        self.objectives = Some(o);
        self
    }

    pub fn table_stats(mut self, kind: TableKind, rows: usize, empty: usize) -> Self {
        self.tables.insert(
            kind,
            FileStats {
                file: format!("data/{kind}.csv"),
                bytes: 0,
                rows,
                empty_rows_skipped: empty,
                delimiter: ",".into(),
                encoding: "utf-8".into(),
                blake3: String::new(),
                rows_left_out: Default::default(),
                explain: Vec::new(),
            },
        );
        self
    }

    pub fn build(self) -> Engagement {
        Engagement {
            slug: "test".into(),
            dir: PathBuf::from("/nonexistent/test"),
            info: EngagementInfo {
                client: "Test SA".into(),
                title: None,
                consultant: None,
                language: Language::En,
                currency: "EUR".into(),
                fiscal_year_start: self.fy_start,
                as_of: self.as_of,
                growth: Growth::Internal,
            },
            settings: self.settings,
            rules: BTreeMap::new(),
            objectives: self.objectives,
            plan: None,
            notes: Vec::new(),
            brand: Brand::builtin(),
            client_ids: self.client_ids,
            labels: self.labels,
            sales: self.sales,
            clients: self.clients,
            leads: self.leads,
            activities: self.activities,
            tables: self.tables,
            sources: Vec::new(),
            quality: Default::default(),
            history: Default::default(),
            warnings: Vec::new(),
            texts: crate::i18n::Texts::builtin(),
        }
    }
}
