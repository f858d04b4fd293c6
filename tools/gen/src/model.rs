//! The records of an engagement's four tables, independent of how they are written.
//!
//! Generators build these in memory; `csvfmt` writes them in a given dialect (ISO /
//! French Excel) and `stats` recomputes the analyses from exactly the same values, so
//! the story checked by the tests is the story in the files.

use chrono::NaiveDate;

/// Money in cents (exact; never accumulated as floats).
pub type Cents = i64;

/// One sales line (an invoice line or a credit-note line).
#[derive(Clone, Debug)]
pub struct Sale {
    pub date: NaiveDate,
    pub invoice: String,
    pub client_id: String,
    pub rep: String,
    pub product: &'static str,
    /// Quantity in tenths (25 = 2.5); `None` for a price-only credit note.
    pub quantity_tenths: Option<i64>,
    pub amount: Cents,
}

/// One row of the clients table.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub zone: String,
    pub segment: String,
    pub created: NaiveDate,
    pub prescriber: Option<String>,
    pub maturity: Option<&'static str>,
    pub rep: String,
}

/// Lead sources of engagement-format.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    SalesAction,
    Offline,
    Online,
    Prescription,
    Other,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::SalesAction,
        Source::Offline,
        Source::Online,
        Source::Prescription,
        Source::Other,
    ];

    /// Canonical (English) value.
    pub fn en(self) -> &'static str {
        match self {
            Source::SalesAction => "sales_action",
            Source::Offline => "offline",
            Source::Online => "online",
            Source::Prescription => "prescription",
            Source::Other => "other",
        }
    }

    /// Documented French alias.
    pub fn fr(self) -> &'static str {
        match self {
            Source::SalesAction => "action_commerciale",
            Source::Offline => "hors_ligne",
            Source::Online => "en_ligne",
            Source::Prescription => "prescripteur",
            Source::Other => "autre",
        }
    }
}

/// Lead stages of engagement-format.md, in funnel order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    New,
    Contacted,
    Qualified,
    Proposal,
    Won,
    Lost,
}

impl Stage {
    pub fn en(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Contacted => "contacted",
            Stage::Qualified => "qualified",
            Stage::Proposal => "proposal",
            Stage::Won => "won",
            Stage::Lost => "lost",
        }
    }

    pub fn fr(self) -> &'static str {
        match self {
            Stage::New => "nouveau",
            Stage::Contacted => "contacte",
            Stage::Qualified => "qualifie",
            Stage::Proposal => "proposition",
            Stage::Won => "gagne",
            Stage::Lost => "perdu",
        }
    }

    /// The fallback of analyses.md when the `qualified` column is empty.
    pub fn implies_qualified(self) -> bool {
        matches!(self, Stage::Qualified | Stage::Proposal | Stage::Won)
    }
}

/// How a boolean cell is spelled (all accepted by the format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolStyle {
    /// Cell left empty: the reader falls back on the stage.
    Empty,
    TrueFalse,
    OuiNon,
    OneZero,
}

/// One row of the leads table. `french` selects the alias spelling of source/stage.
#[derive(Clone, Debug)]
pub struct Lead {
    pub id: String,
    pub date: NaiveDate,
    pub source: Source,
    pub stage: Stage,
    pub qualified: bool,
    pub qualified_style: BoolStyle,
    pub closed: Option<NaiveDate>,
    pub client_id: Option<String>,
    pub rep: String,
    pub value: Option<Cents>,
    pub prescriber: Option<String>,
    pub channel: String,
    pub french: bool,
}

impl Lead {
    /// The qualification as a reader of the file computes it.
    pub fn is_qualified(&self) -> bool {
        match self.qualified_style {
            BoolStyle::Empty => self.stage.implies_qualified(),
            _ => self.qualified,
        }
    }
}

/// Activity kinds of engagement-format.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Preparation,
    Visit,
    Reporting,
    Admin,
    TradeShow,
    Meeting,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Preparation,
        Kind::Visit,
        Kind::Reporting,
        Kind::Admin,
        Kind::TradeShow,
        Kind::Meeting,
        Kind::Other,
    ];

    pub fn en(self) -> &'static str {
        match self {
            Kind::Preparation => "preparation",
            Kind::Visit => "visit",
            Kind::Reporting => "reporting",
            Kind::Admin => "admin",
            Kind::TradeShow => "trade_show",
            Kind::Meeting => "meeting",
            Kind::Other => "other",
        }
    }

    /// French alias where the format documents one (reporting has none).
    pub fn fr(self) -> &'static str {
        match self {
            Kind::Preparation => "preparation",
            Kind::Visit => "visite",
            Kind::Reporting => "reporting",
            Kind::Admin => "administration",
            Kind::TradeShow => "salon",
            Kind::Meeting => "reunion",
            Kind::Other => "autre",
        }
    }
}

/// Targets of a field activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Prospect,
    Client,
    FormerClient,
    Prescriber,
}

impl Target {
    pub const ALL: [Target; 4] = [
        Target::Prospect,
        Target::Client,
        Target::FormerClient,
        Target::Prescriber,
    ];

    pub fn en(self) -> &'static str {
        match self {
            Target::Prospect => "prospect",
            Target::Client => "client",
            Target::FormerClient => "former_client",
            Target::Prescriber => "prescriber",
        }
    }
}

/// One row of the activities table.
#[derive(Clone, Debug)]
pub struct Activity {
    pub date: NaiveDate,
    pub rep: String,
    pub kind: Kind,
    /// Hours in quarters (6 = 1.5 h); `None` = empty cell (counts as 1 h, one contact).
    pub quarters: Option<i64>,
    pub target: Option<Target>,
    pub client_id: Option<String>,
    pub french: bool,
}

impl Activity {
    /// Hours in quarters as a reader computes them (default 1 h).
    pub fn effective_quarters(&self) -> i64 {
        self.quarters.unwrap_or(4)
    }
}

/// The four tables of one engagement.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub sales: Vec<Sale>,
    pub clients: Vec<Client>,
    pub leads: Vec<Lead>,
    pub activities: Vec<Activity>,
}
