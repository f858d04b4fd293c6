//! The closed vocabularies of the engagement format: lead sources and stages, activity
//! kinds, statuses, and so on.
//!
//! Consultants write these values by hand or get them from French CRM exports, so each
//! has a canonical English spelling and French aliases (`en_ligne`, `gagné`, ...).
//! Parsing is case-insensitive and ignores accents, because "Gagné", "gagne" and "GAGNE"
//! all mean the same thing in a spreadsheet.

/// A closed set of values with canonical names and aliases.
pub trait Vocabulary: Sized + Copy + 'static {
    /// What the value is, for messages: "lead source".
    const WHAT: &'static str;
    /// Every value with its canonical name and accepted aliases.
    const ENTRIES: &'static [(Self, &'static str, &'static [&'static str])];

    /// Parses a value written by a person: trims, ignores case and accents.
    fn parse(text: &str) -> Option<Self> {
        let folded = fold(text);
        Self::ENTRIES.iter().find_map(|(value, name, aliases)| {
            (folded == *name || aliases.iter().any(|a| folded == *a)).then_some(*value)
        })
    }

    fn name(self) -> &'static str;

    /// Canonical names, for "expected one of ..." messages and suggestions.
    fn names() -> impl Iterator<Item = &'static str> {
        Self::ENTRIES.iter().map(|(_, name, _)| *name)
    }

    /// Canonical names and aliases, for "did you mean" suggestions.
    fn spellings() -> impl Iterator<Item = &'static str> {
        Self::ENTRIES
            .iter()
            .flat_map(|(_, name, aliases)| std::iter::once(*name).chain(aliases.iter().copied()))
    }

    /// The canonical name closest to `found`, aliases included, for "did you mean".
    ///
    /// The message lists canonical names only, so a typo close to an alias (`extern`,
    /// nearest to `externe`) is answered with the canonical name (`external`): a
    /// suggestion that is not in the list it comes with would read as a contradiction.
    fn closest(found: &str) -> Option<&'static str> {
        let best = crate::diagnostic::closest(&fold(found), Self::spellings())?;
        Self::parse(best).map(Self::name)
    }

    /// "expected one of `a`, `b`, `c`".
    fn expected() -> String {
        let names: Vec<String> = Self::names().map(|n| format!("`{n}`")).collect();
        format!("expected one of {}", names.join(", "))
    }
}

/// Lowercases, trims and strips French accents, and treats spaces and hyphens like
/// underscores ("Hors ligne" == "hors_ligne").
pub fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The file-name form of an id (a salesperson's scorecard, an element id): folded like
/// a vocabulary word, anything but ASCII letters and digits replaced by `-`. Two ids
/// with the same stem would share a file, so the loader refuses them.
pub fn file_stem(text: &str) -> String {
    let id: String = fold(text)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "x".to_string() } else { id }
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $canon:literal $([$($alias:literal),*])?),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the format's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ENTRIES: &'static [(Self, &'static str, &'static [&'static str])] = &[
                $(($name::$variant, $canon, &[$($($alias),*)?])),+
            ];
            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $canon),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// The language reports speak.
    Language, "language" {
        Fr = "fr" ["francais", "french"],
        En = "en" ["anglais", "english"],
    }
}

vocabulary! {
    /// Which growth path the engagement pursues; external growth adds the acquisition
    /// targets to the report.
    Growth, "growth" {
        Internal = "internal" ["interne"],
        External = "external" ["externe"],
        Both = "both" ["les_deux", "mixte"],
    }
}

vocabulary! {
    /// Where a lead came from (method: AC, marketing offline, online, prescription).
    LeadSource, "lead source" {
        SalesAction = "sales_action" ["action_commerciale", "ac"],
        Offline = "offline" ["hors_ligne"],
        Online = "online" ["en_ligne"],
        Prescription = "prescription" ["prescripteur"],
        Other = "other" ["autre"],
    }
}

vocabulary! {
    /// How far a lead went in the sales funnel.
    LeadStage, "lead stage" {
        New = "new" ["nouveau"],
        Contacted = "contacted" ["contacte"],
        Qualified = "qualified" ["qualifie"],
        Proposal = "proposal" ["proposition"],
        Won = "won" ["gagne"],
        Lost = "lost" ["perdu"],
    }
}

vocabulary! {
    /// What a salesperson's time went to (the time allocation key).
    ActivityKind, "activity" {
        Preparation = "preparation" [],
        Visit = "visit" ["visite"],
        Reporting = "reporting" [],
        Admin = "admin" ["administration"],
        TradeShow = "trade_show" ["salon"],
        Meeting = "meeting" ["reunion"],
        /// Remote selling by telephone (format v1.1).
        Call = "call" ["appel", "telephone"],
        /// Remote selling by e-mail (format v1.1).
        Email = "email" ["courriel", "mail", "e_mail"],
        Other = "other" ["autre"],
    }
}

vocabulary! {
    /// Whom a field visit or contact was for.
    VisitTarget, "activity target" {
        Prospect = "prospect" [],
        Client = "client" [],
        FormerClient = "former_client" ["ancien_client"],
        Prescriber = "prescriber" ["prescripteur"],
    }
}

vocabulary! {
    /// How established a client relationship is.
    Maturity, "maturity" {
        New = "new" ["nouveau"],
        Developing = "developing" ["en_developpement", "developpement"],
        Mature = "mature" [],
    }
}

vocabulary! {
    /// Where an action or a qualitative objective stands.
    Status, "status" {
        Planned = "planned" ["prevu"],
        InProgress = "in_progress" ["en_cours"],
        Done = "done" ["fait", "termine"],
        Dropped = "dropped" ["abandonne"],
    }
}

vocabulary! {
    /// The kind of integration an acquisition target brings.
    Integration, "integration" {
        VerticalUpstream = "vertical_upstream" ["verticale_amont"],
        VerticalDownstream = "vertical_downstream" ["verticale_aval"],
        Horizontal = "horizontal" ["horizontale"],
    }
}

vocabulary! {
    /// The four CSV tables of an engagement.
    TableKind, "table" {
        Sales = "sales" [],
        Clients = "clients" [],
        Leads = "leads" [],
        Activities = "activities" [],
    }
}

/// Parses yes/no cells: true/false, oui/non, yes/no, 1/0, vrai/faux, x/empty-less.
pub fn parse_bool(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "true" | "oui" | "yes" | "1" | "vrai" | "o" | "y" | "x" => Some(true),
        "false" | "non" | "no" | "0" | "faux" | "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_aliases_and_accents() {
        assert_eq!(LeadStage::parse("Gagné"), Some(LeadStage::Won));
        assert_eq!(LeadStage::parse(" contacté "), Some(LeadStage::Contacted));
        assert_eq!(LeadSource::parse("en_ligne"), Some(LeadSource::Online));
        assert_eq!(LeadSource::parse("Hors ligne"), Some(LeadSource::Offline));
        assert_eq!(ActivityKind::parse("Réunion"), Some(ActivityKind::Meeting));
        assert_eq!(ActivityKind::parse("salon"), Some(ActivityKind::TradeShow));
        assert_eq!(LeadSource::parse("web"), None);
    }

    #[test]
    fn expected_lists_canonical_names() {
        assert_eq!(
            Growth::expected(),
            "expected one of `internal`, `external`, `both`"
        );
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("Oui"), Some(true));
        assert_eq!(parse_bool("non"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
