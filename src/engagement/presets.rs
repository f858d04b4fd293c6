//! CRM presets (`preset = "salesforce" | "hubspot" | "pipedrive"`): the columns and
//! values of each CRM's standard exports, so that a raw export reads without a
//! `columns` line per header.
//!
//! Each CRM exports under two names: the labels of its interface (a Salesforce report:
//! `Stage`, `Close Date`) and its API field names (Data Loader, the API: `StageName`,
//! `CloseDate`). A preset lists both for every column, labels first; the first header
//! the file has wins. Headers are compared ignoring case, repeated spaces and the dash
//! kind (Pipedrive writes `Deal - Status`, some exports `Deal – Status`). Standard
//! stage, source and activity values are mapped; a company's own stages and sources
//! still need `values` lines, which override the preset entry by entry.

use crate::vocab::TableKind;

/// A CRM whose standard exports levier knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Preset {
    Salesforce,
    Hubspot,
    Pipedrive,
}

/// A column of a preset: levier's name and the CRM's headers for it.
pub type PresetColumn = (&'static str, &'static [&'static str]);
/// A value of a preset: the column, the CRM's value, levier's word.
pub type PresetValue = (&'static str, &'static str, &'static str);
/// A row filter of a preset (won deals for the sales table): headers, values kept.
pub type PresetKeep = (&'static [&'static str], &'static [&'static str]);

impl Preset {
    pub fn parse(text: &str) -> Option<Preset> {
        match crate::vocab::fold(text).as_str() {
            "salesforce" => Some(Preset::Salesforce),
            "hubspot" => Some(Preset::Hubspot),
            "pipedrive" => Some(Preset::Pipedrive),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Preset::Salesforce => "salesforce",
            Preset::Hubspot => "hubspot",
            Preset::Pipedrive => "pipedrive",
        }
    }

    /// The columns of this CRM's export of `kind`.
    pub fn columns(self, kind: TableKind) -> &'static [PresetColumn] {
        use Preset::*;
        use TableKind::*;
        match (self, kind) {
            (Salesforce, Leads) => &[
                ("lead_id", &["Opportunity ID", "Id"]),
                ("date", &["Created Date", "CreatedDate"]),
                ("stage", &["Stage", "StageName"]),
                ("source", &["Lead Source", "LeadSource"]),
                ("closed", &["Close Date", "CloseDate"]),
                ("client_id", &["Account ID", "AccountId"]),
                ("rep", &["Opportunity Owner", "Owner Name", "OwnerId"]),
                ("value", &["Amount"]),
                ("currency", &["Opportunity Currency", "CurrencyIsoCode"]),
            ],
            (Salesforce, Clients) => &[
                ("client_id", &["Account ID", "Id"]),
                ("name", &["Account Name", "Name"]),
                ("zone", &["Billing State/Province", "BillingState"]),
                ("segment", &["Industry"]),
                ("created", &["Created Date", "CreatedDate"]),
                ("rep", &["Account Owner", "OwnerId"]),
            ],
            (Salesforce, Activities) => &[
                ("date", &["Date", "Due Date", "ActivityDate"]),
                ("rep", &["Assigned", "Assigned To", "OwnerId"]),
                ("activity", &["Task Subtype", "Type", "TaskSubtype"]),
                ("client_id", &["Account ID", "AccountId"]),
            ],
            (Salesforce, Sales) => &[
                ("date", &["Close Date", "CloseDate"]),
                ("client_id", &["Account ID", "AccountId"]),
                ("amount", &["Amount"]),
                ("rep", &["Opportunity Owner", "Owner Name", "OwnerId"]),
                ("invoice", &["Opportunity ID", "Id"]),
                ("currency", &["Opportunity Currency", "CurrencyIsoCode"]),
            ],
            (Hubspot, Leads) => &[
                ("lead_id", &["Record ID", "Deal ID", "hs_object_id"]),
                ("date", &["Create Date", "createdate"]),
                ("stage", &["Deal Stage", "dealstage"]),
                (
                    "source",
                    &[
                        "Original Traffic Source",
                        "Original Source",
                        "Original Source Type",
                        "hs_analytics_source",
                    ],
                ),
                ("closed", &["Close Date", "closedate"]),
                (
                    "client_id",
                    &[
                        "Associated Company IDs",
                        "Associated Company ID",
                        "associatedcompanyid",
                    ],
                ),
                ("rep", &["Deal owner", "hubspot_owner_id"]),
                ("value", &["Amount", "amount"]),
                ("currency", &["Currency", "deal_currency_code"]),
            ],
            (Hubspot, Clients) => &[
                ("client_id", &["Record ID", "Company ID", "hs_object_id"]),
                ("name", &["Company name", "Name", "name"]),
                ("zone", &["State/Region", "state"]),
                ("segment", &["Industry", "industry"]),
                ("created", &["Create Date", "createdate"]),
                ("rep", &["Company owner", "hubspot_owner_id"]),
            ],
            (Hubspot, Activities) => &[
                ("date", &["Activity date", "hs_timestamp"]),
                (
                    "rep",
                    &["Activity assigned to", "Assigned to", "hubspot_owner_id"],
                ),
                (
                    "activity",
                    &["Activity type", "hs_activity_type", "Engagement type"],
                ),
                (
                    "client_id",
                    &["Associated Company IDs", "Associated Company ID"],
                ),
            ],
            (Hubspot, Sales) => &[
                ("date", &["Close Date", "closedate"]),
                (
                    "client_id",
                    &[
                        "Associated Company IDs",
                        "Associated Company ID",
                        "associatedcompanyid",
                    ],
                ),
                ("amount", &["Amount", "amount"]),
                ("rep", &["Deal owner", "hubspot_owner_id"]),
                ("invoice", &["Record ID", "Deal ID", "hs_object_id"]),
                ("currency", &["Currency", "deal_currency_code"]),
            ],
            (Pipedrive, Leads) => &[
                ("lead_id", &["Deal - ID", "id"]),
                (
                    "date",
                    &["Deal - Deal created", "Deal - Created", "add_time"],
                ),
                ("stage", &["Deal - Status", "status"]),
                (
                    "source",
                    &["Deal - Source origin", "Deal - Source", "origin"],
                ),
                (
                    "closed",
                    &["Deal - Deal closed on", "Deal - Close time", "close_time"],
                ),
                (
                    "client_id",
                    &["Deal - Organization ID", "Deal - Organization", "org_id"],
                ),
                ("rep", &["Deal - Owner", "user_id"]),
                ("value", &["Deal - Value", "value"]),
                ("currency", &["Deal - Currency", "currency"]),
            ],
            (Pipedrive, Clients) => &[
                ("client_id", &["Organization - ID", "id"]),
                ("name", &["Organization - Name", "name"]),
                (
                    "created",
                    &[
                        "Organization - Organization created",
                        "Organization - Created",
                        "add_time",
                    ],
                ),
                ("rep", &["Organization - Owner", "owner_id"]),
            ],
            (Pipedrive, Activities) => &[
                ("date", &["Activity - Due date", "due_date"]),
                (
                    "rep",
                    &["Activity - Assigned to user", "Activity - Owner", "user_id"],
                ),
                ("activity", &["Activity - Type", "type"]),
                ("client_id", &["Activity - Organization", "org_id"]),
            ],
            (Pipedrive, Sales) => &[
                (
                    "date",
                    &["Deal - Won time", "Deal - Deal closed on", "won_time"],
                ),
                (
                    "client_id",
                    &["Deal - Organization ID", "Deal - Organization", "org_id"],
                ),
                ("amount", &["Deal - Value", "value"]),
                ("rep", &["Deal - Owner", "user_id"]),
                ("invoice", &["Deal - ID", "id"]),
                ("currency", &["Deal - Currency", "currency"]),
            ],
        }
    }

    /// The standard values of this CRM's export of `kind`.
    pub fn values(self, kind: TableKind) -> &'static [PresetValue] {
        use Preset::*;
        use TableKind::*;
        match (self, kind) {
            (Salesforce, Leads) => &[
                ("stage", "Prospecting", "new"),
                ("stage", "Qualification", "qualified"),
                ("stage", "Needs Analysis", "qualified"),
                ("stage", "Value Proposition", "qualified"),
                ("stage", "Id. Decision Makers", "qualified"),
                ("stage", "Perception Analysis", "qualified"),
                ("stage", "Proposal/Price Quote", "proposal"),
                ("stage", "Negotiation/Review", "proposal"),
                ("stage", "Closed Won", "won"),
                ("stage", "Closed Lost", "lost"),
                ("source", "Web", "online"),
                ("source", "Email", "online"),
                ("source", "Phone Inquiry", "offline"),
                ("source", "Advertisement", "offline"),
                ("source", "Public Relations", "offline"),
                ("source", "Seminar - Internal", "offline"),
                ("source", "Seminar - Partner", "offline"),
                ("source", "Trade Show", "offline"),
                ("source", "Partner Referral", "prescription"),
                ("source", "Partner", "prescription"),
                ("source", "Employee Referral", "prescription"),
                ("source", "External Referral", "prescription"),
                ("source", "Word of mouth", "prescription"),
                ("source", "Purchased List", "sales_action"),
                ("source", "Other", "other"),
                ("source", "", "other"),
            ],
            (Salesforce, Activities) => &[
                ("activity", "Call", "call"),
                ("activity", "Email", "email"),
                ("activity", "List Email", "email"),
                ("activity", "Meeting", "meeting"),
                ("activity", "Event", "meeting"),
                ("activity", "Task", "other"),
                ("activity", "Other", "other"),
            ],
            (Hubspot, Leads) => &[
                ("stage", "appointmentscheduled", "contacted"),
                ("stage", "Appointment Scheduled", "contacted"),
                ("stage", "qualifiedtobuy", "qualified"),
                ("stage", "Qualified To Buy", "qualified"),
                ("stage", "presentationscheduled", "qualified"),
                ("stage", "Presentation Scheduled", "qualified"),
                ("stage", "decisionmakerboughtin", "proposal"),
                ("stage", "Decision Maker Bought-In", "proposal"),
                ("stage", "contractsent", "proposal"),
                ("stage", "Contract Sent", "proposal"),
                ("stage", "closedwon", "won"),
                ("stage", "Closed Won", "won"),
                ("stage", "closedlost", "lost"),
                ("stage", "Closed Lost", "lost"),
                ("source", "ORGANIC_SEARCH", "online"),
                ("source", "Organic Search", "online"),
                ("source", "PAID_SEARCH", "online"),
                ("source", "Paid Search", "online"),
                ("source", "EMAIL_MARKETING", "online"),
                ("source", "Email Marketing", "online"),
                ("source", "SOCIAL_MEDIA", "online"),
                ("source", "Organic Social", "online"),
                ("source", "Social Media", "online"),
                ("source", "PAID_SOCIAL", "online"),
                ("source", "Paid Social", "online"),
                ("source", "DIRECT_TRAFFIC", "online"),
                ("source", "Direct Traffic", "online"),
                ("source", "OTHER_CAMPAIGNS", "online"),
                ("source", "Other Campaigns", "online"),
                ("source", "REFERRALS", "prescription"),
                ("source", "Referrals", "prescription"),
                ("source", "OFFLINE", "offline"),
                ("source", "Offline Sources", "offline"),
                ("source", "", "other"),
            ],
            (Hubspot, Activities) => &[
                ("activity", "CALL", "call"),
                ("activity", "Call", "call"),
                ("activity", "EMAIL", "email"),
                ("activity", "Email", "email"),
                ("activity", "MEETING", "meeting"),
                ("activity", "Meeting", "meeting"),
                ("activity", "TASK", "other"),
                ("activity", "Task", "other"),
                ("activity", "NOTE", "reporting"),
                ("activity", "Note", "reporting"),
            ],
            (Pipedrive, Leads) => &[
                ("stage", "open", "contacted"),
                ("stage", "Open", "contacted"),
                ("stage", "won", "won"),
                ("stage", "Won", "won"),
                ("stage", "lost", "lost"),
                ("stage", "Lost", "lost"),
                ("source", "Web forms", "online"),
                ("source", "Live chat", "online"),
                ("source", "Web visitors", "online"),
                ("source", "Campaigns", "online"),
                ("source", "Prospector", "sales_action"),
                ("source", "", "other"),
            ],
            (Pipedrive, Activities) => &[
                ("activity", "call", "call"),
                ("activity", "Call", "call"),
                ("activity", "email", "email"),
                ("activity", "Email", "email"),
                ("activity", "meeting", "meeting"),
                ("activity", "Meeting", "meeting"),
                ("activity", "lunch", "meeting"),
                ("activity", "Lunch", "meeting"),
                ("activity", "task", "other"),
                ("activity", "Task", "other"),
                ("activity", "deadline", "other"),
                ("activity", "Deadline", "other"),
            ],
            _ => &[],
        }
    }

    /// Rows kept by default: won deals, when the sales table is read from a CRM.
    pub fn keep(self, kind: TableKind) -> &'static [PresetKeep] {
        match (self, kind) {
            (Preset::Salesforce, TableKind::Sales) => &[
                (&["Won", "IsWon"], &["1", "true", "TRUE", "True"]),
                (&["Stage", "StageName"], &["Closed Won"]),
            ],
            (Preset::Hubspot, TableKind::Sales) => &[
                (
                    &["Is Closed Won", "hs_is_closed_won"],
                    &["true", "TRUE", "True", "1"],
                ),
                (&["Deal Stage", "dealstage"], &["closedwon", "Closed Won"]),
            ],
            (Preset::Pipedrive, TableKind::Sales) => {
                &[(&["Deal - Status", "status"], &["won", "Won"])]
            }
            _ => &[],
        }
    }
}

/// A header as presets compare it: no case, one space, hyphens for every dash.
pub fn header_key(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut space = false;
    for c in header.trim().chars() {
        let c = match c {
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_without_case_spaces_or_dash_kind() {
        assert_eq!(header_key("Deal – Status"), header_key("Deal - Status"));
        assert_eq!(header_key(" deal  -  status "), "deal - status");
        assert_eq!(header_key("StageName"), "stagename");
    }

    #[test]
    fn every_preset_value_is_a_levier_word() {
        use crate::vocab::{ActivityKind, LeadSource, LeadStage, Vocabulary};
        for preset in [Preset::Salesforce, Preset::Hubspot, Preset::Pipedrive] {
            for kind in [
                TableKind::Sales,
                TableKind::Clients,
                TableKind::Leads,
                TableKind::Activities,
            ] {
                for (column, from, to) in preset.values(kind) {
                    let ok = match *column {
                        "stage" => LeadStage::parse(to).is_some(),
                        "source" => LeadSource::parse(to).is_some(),
                        "activity" => ActivityKind::parse(to).is_some(),
                        _ => false,
                    };
                    assert!(ok, "{} {kind} {column}: {from} -> {to}", preset.name());
                }
                let (required, optional) = crate::engagement::tables::columns(kind);
                for (column, headers) in preset.columns(kind) {
                    assert!(
                        required.contains(column) || optional.contains(column),
                        "{} {kind}: unknown column {column}",
                        preset.name()
                    );
                    assert!(!headers.is_empty());
                }
            }
        }
    }
}
