//! Improvement points ("analyse des points d'amélioration", analyses.md "Improvement
//! points"): rules R1 to R10 turn the figures into findings, each with its evidence, the
//! levers it suggests, a severity and, where it can be priced, the money at stake.
//!
//! Every rule compares the exact, unrounded figures of [`Metrics`] (`Money.0`,
//! `Rate.0`) in `Decimal`, multiplying the threshold rather than dividing the figure,
//! so that a figure exactly at its threshold never fires. The comparisons are strict
//! where analyses.md says `<` / `>`, and `<=` for R4's class A share ("holds <= 10%").
//! Thresholds are `[rules]` overrides, else the catalogue's defaults ([`super::rules`]);
//! a disabled rule never fires.
//!
//! # Which rule fires on what, and the finding ids
//!
//! | rule | fires | id | subject |
//! |---|---|---|---|
//! | R1 | per 3 CA category with a revenue objective: projection < t × objective | `R1-<category>` | category |
//! | R2 | for `leads.total` and each source with an objective: projection < t × objective | `R2-total`, `R2-<source>` | leads / source |
//! | R3 | per source with `count >= min_leads`: conversion < t × overall conversion | `R3-<source>` | source |
//! | R4 | top client's share > t | `R4-top_client` | client |
//! | R4 | class A clients / classified clients <= t | `R4-a_class` | portfolio |
//! | R5 | class C effort_share > t × its revenue share | `R5` | class `C` |
//! | R6 | reconquest_rate < t | `R6` | category `reconquest` |
//! | R7 | revenue.lost > t × previous_total | `R7` | category `retention` |
//! | R8 | per rep: visit gap_pts < −t (own key) | `R8-<rep>` | rep |
//! | R8 | per rep: admin + reporting share > t | `R8-<rep>-admin` | rep |
//! | R9 | conversion_rate < t × its objective | `R9` | leads `total` |
//! | R10 | per rep with a revenue objective: projection < t × objective | `R10-<rep>` | rep |
//!
//! Rules that can fire only once have the rule id as finding id.
//!
//! # Severity
//!
//! The threshold decides whether a gap is worth reporting; the severity says how grave it
//! is, so its bands are fixed (an override of the threshold changes what fires, not how a
//! given gap is graded). Each rule grades its own measure:
//!
//! | rule | measure | high | medium | else |
//! |---|---|---|---|---|
//! | R1, R2, R10 | projection / objective | < 75 % | < 85 % | low |
//! | R3 | source conversion / overall | < 25 % | < 40 % | low |
//! | R4 top client | client's share of revenue | >= 20 % | >= 15 % | low |
//! | R4 class A | class A clients / classified | <= 5 % | | medium |
//! | R5 | C effort share / C revenue share | >= 4 | >= 3 | low |
//! | R6 | reconquest rate | < 5 % | < 7.5 % | low |
//! | R7 | lost revenue / previous_total | >= 20 % | >= 10 % | low |
//! | R8 visits | gap_pts | <= −20 | <= −15 | low |
//! | R8 admin | admin + reporting share | >= 35 % | >= 30 % | low |
//! | R9 | conversion / objective | < 75 % | < 90 % | low |
//!
//! Then materiality: a finding whose money at stake is under 1 % of the reference
//! revenue (revenue.previous_total, else the FY revenue projected from to-date figures)
//! is one level lower (high → medium → low). A finding without money at stake is not
//! demoted. So a reconquest objective missed by 80 % but worth 0.8 % of revenue is
//! medium, not high.
//!
//! # Money at stake (`at_stake`)
//!
//! An order of magnitude of the revenue the gap stands for, used to rank findings of
//! the same severity; never negative, `null` when the finding cannot be priced.
//!
//! - R1, R10: objective − projection.
//! - R2: (objective − projection) leads × the value a lead of that source brought
//!   (won_value / count of the source; of all leads when the source won nothing).
//! - R3: count × (overall conversion − source conversion) × the source's average won
//!   value (won_value / won; of all leads when the source won nothing): the won value the
//!   source's leads would have brought at the overall rate.
//! - R4 top client: the client's revenue (what its loss would cost). R4 class A: null.
//! - R5, R8: null (hours, not money).
//! - R6: (t × former_at_start − reconquered) × the yearly revenue of a former client
//!   before it left (former_clients.revenue_36m / former_clients.count / 3): the
//!   revenue of the clients missing to reach the threshold.
//! - R7: revenue.lost.
//! - R9: count × (objective − conversion) × the average won value of all leads.
//!
//! # Texts
//!
//! Titles and explanations come from `findings.<rule>` in the translation files, in the
//! engagement's language, with the evidence formatted by [`Formatter`] (`23,9 %`,
//! `409 950 €`); the first letter is capitalised (`conquête : ...` → `Conquête : ...`).
//! Subject labels are the translated vocabulary (`conquête`, `marketing en ligne`), a
//! rep's name from objectives.toml (else their id), a client's name from the clients
//! table (else their id).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

mod by_rule;
pub mod not_evaluated;

use by_rule::{r1, r2, r3, r4, r5, r6, r7, r8, r9, r10};
pub use not_evaluated::{NotEvaluated, Reason, not_evaluated};

use super::rules::{self, ActiveRule};
use crate::analysis::Metrics;
use crate::analysis::figures::{Money, Quantity, Rate, count};
use crate::analysis::leads::LeadStats;
use crate::analysis::objectives::{ObjectiveKey, ObjectiveLine, RepObjective, RevenueObjective};
use crate::engagement::Engagement;
use crate::i18n::Formatter;
use crate::i18n::{Labels, capitalise};
use crate::rules::RuleId;
use crate::vocab::{ActivityKind, LeadSource, Vocabulary};

/// How grave a finding is. Ordered from the gravest, so that sorting ranks high first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    /// One level lower (low stays low).
    pub fn lower(self) -> Severity {
        match self {
            Severity::High => Severity::Medium,
            Severity::Medium | Severity::Low => Severity::Low,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A 3 CA category: `conquest`, `retention`, `reconquest`.
    Category,
    /// A lead source.
    Source,
    /// A salesperson, by id.
    Rep,
    /// An ABC class.
    Class,
    /// A client, by client id.
    Client,
    /// The client portfolio as a whole.
    Portfolio,
    /// All leads (`total`).
    Leads,
}

/// The subject of a finding: its kind, its key in metrics.json, its label in the
/// report's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub key: String,
    pub label: String,
}

/// One evidence figure, written like the metrics.json figure it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EvidenceValue {
    Money(Money),
    Rate(Rate),
    Quantity(Quantity),
    Count(usize),
}

impl EvidenceValue {
    /// The exact value.
    pub fn value(self) -> Decimal {
        match self {
            EvidenceValue::Money(m) => m.0,
            EvidenceValue::Rate(r) => r.0,
            EvidenceValue::Quantity(q) => q.0,
            EvidenceValue::Count(n) => count(n),
        }
    }
}

/// A finding's id: its rule, and what it is about when the rule can fire more than
/// once (`R3-online`, `R8-SL-admin`; `R7` alone). Written and ordered as that text, in
/// metrics.json, anchors and plan reviews.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingId {
    pub rule: RuleId,
    pub about: Option<String>,
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.about {
            Some(about) => write!(f, "{}-{about}", self.rule),
            None => write!(f, "{}", self.rule),
        }
    }
}

impl Ord for FindingId {
    /// As written: findings of equal weight rank by their id's text (`R10-JD` before
    /// `R2-total`), which is what metrics.json has always shown.
    fn cmp(&self, other: &FindingId) -> Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl PartialOrd for FindingId {
    fn partial_cmp(&self, other: &FindingId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for FindingId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `id == "R3-online"`, as the id is written.
impl PartialEq<&str> for FindingId {
    // Cold paths and tests only: clarity over an allocation.
    #[allow(clippy::cmp_owned)]
    fn eq(&self, other: &&str) -> bool {
        self.to_string() == *other
    }
}

/// An improvement point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Unique in the engagement: `R3-online`, `R8-SL-admin`, `R7`.
    pub id: FindingId,
    /// The rule that fired: `R3`.
    pub rule: RuleId,
    pub severity: Severity,
    pub subject: Subject,
    /// In the engagement's language.
    pub title: String,
    /// One sentence quoting the evidence, in the engagement's language.
    pub explanation: String,
    /// The raw figures behind the finding, with the threshold applied.
    pub evidence: BTreeMap<String, EvidenceValue>,
    /// Lever ids of the catalogue, as analyses.md suggests them for the rule.
    pub levers: Vec<String>,
    /// See the module docs, "Money at stake".
    pub at_stake: Option<Money>,
}

/// Ranks findings: severity (high first), then money at stake (largest first, unpriced
/// last), then id.
pub fn rank(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| match (a.at_stake, b.at_stake) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Runs every enabled rule on the metrics; the findings come ranked.
pub fn find(e: &Engagement, m: &Metrics) -> Vec<Finding> {
    let cx = Context::new(e, m);
    let mut out = Vec::new();
    r1(&cx, &mut out);
    r2(&cx, &mut out);
    r3(&cx, &mut out);
    r4(&cx, &mut out);
    r5(&cx, &mut out);
    r6(&cx, &mut out);
    r7(&cx, &mut out);
    r8(&cx, &mut out);
    r9(&cx, &mut out);
    r10(&cx, &mut out);
    rank(&mut out);
    out
}

/// Money at stake under this share of the reference revenue demotes a finding.
const MATERIALITY: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal literal")
}

/// High when `x < high`, medium when `x < medium`, else low.
fn below(x: Decimal, high: &str, medium: &str) -> Severity {
    if x < d(high) {
        Severity::High
    } else if x < d(medium) {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// High when `x >= high`, medium when `x >= medium`, else low.
fn at_least(x: Decimal, high: &str, medium: &str) -> Severity {
    if x >= d(high) {
        Severity::High
    } else if x >= d(medium) {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// A finding before its texts are written and its severity adjusted.
struct Draft {
    rule: RuleId,
    /// What distinguishes the finding from others of its rule (see [`FindingId`]).
    about: Option<String>,
    /// The `findings.<text>` key of the translation files.
    text: &'static str,
    subject: Subject,
    severity: Severity,
    evidence: Vec<(&'static str, EvidenceValue)>,
    values: Vec<(&'static str, String)>,
    levers: &'static [&'static str],
    at_stake: Option<Decimal>,
}

/// What every rule needs: the figures, the labels and formats of the report's language.
struct Context<'a> {
    e: &'a Engagement,
    m: &'a Metrics,
    labels: &'a Labels,
    fmt: Formatter,
    /// The revenue materiality is measured against (see the module docs).
    reference: Option<Decimal>,
}

impl Context<'_> {
    /// Whether a suggested lever may be pushed: not excluded by `[rules] exclude_levers`
    /// and not already tried without effect (plan.toml `[[tried]]`).
    fn may_push(&self, lever: &str) -> bool {
        let excluded = self.e.settings.excluded_levers.iter().any(|l| l == lever);
        let tried = self
            .e
            .plan
            .as_ref()
            .is_some_and(|p| p.tried.iter().any(|t| t.lever == lever));
        !excluded && !tried
    }
}

impl<'a> Context<'a> {
    fn new(e: &'a Engagement, m: &'a Metrics) -> Context<'a> {
        let language = e.info.language;
        let f = &m.revenue.figures;
        let reference = if f.previous_total.0 > Decimal::ZERO {
            Some(f.previous_total.0)
        } else if m.elapsed_share.0 > Decimal::ZERO && f.total.0 > Decimal::ZERO {
            f.total.0.checked_div(m.elapsed_share.0)
        } else {
            None
        };
        Context {
            e,
            m,
            labels: e.texts.labels(language),
            fmt: Formatter::new(language),
            reference,
        }
    }

    fn rule(&self, rule: RuleId) -> Option<ActiveRule> {
        rules::active(self.e, rule)
    }

    fn line(&self, key: &ObjectiveKey) -> Option<&'a ObjectiveLine> {
        self.m.objectives.iter().find(|l| l.key == *key)
    }

    fn money(&self, v: Decimal) -> String {
        self.fmt.money(v, &self.m.currency)
    }

    fn percent(&self, v: Decimal) -> String {
        self.fmt.percent(v, 1)
    }

    /// A threshold as a percentage, with only the decimals it has (`15 %`, `12,5 %`).
    fn threshold_percent(&self, v: Decimal) -> String {
        let dp = (v * Decimal::ONE_HUNDRED).normalize().scale().min(2);
        self.fmt.percent(v, dp)
    }

    /// The decimals needed to show `v` apart from the `threshold` it crossed, from `dp`
    /// up to 4: 25.04 % is written `25,04 %` next to a 25 % threshold, not `25,0 %`.
    fn beyond_dp(v: Decimal, threshold: Decimal, dp: u32) -> u32 {
        let mut dp = dp;
        let round = |x: Decimal, dp| {
            x.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        };
        while dp < 4 && round(v, dp) == round(threshold, dp) {
            dp += 1;
        }
        dp
    }

    /// A percentage with 1 decimal, or more when needed to differ from its threshold.
    fn percent_beyond(&self, v: Decimal, threshold: Decimal) -> String {
        let hundred = Decimal::ONE_HUNDRED;
        self.fmt
            .percent(v, Self::beyond_dp(v * hundred, threshold * hundred, 1))
    }

    /// A number with 1 decimal, or more when needed to differ from its threshold.
    fn number_beyond(&self, v: Decimal, threshold: Decimal) -> String {
        self.fmt.number(v, Self::beyond_dp(v, threshold, 1))
    }

    fn whole(&self, v: Decimal) -> String {
        self.fmt.number(v, 0)
    }

    fn count(&self, n: usize) -> String {
        self.fmt.count(n as u64)
    }

    fn rep_label(&self, id: &str) -> String {
        self.e
            .objectives
            .as_ref()
            .and_then(|o| o.reps.iter().find(|r| r.id == id))
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn rep_subject(&self, id: &str) -> Subject {
        Subject {
            kind: SubjectKind::Rep,
            key: id.to_string(),
            label: self.rep_label(id),
        }
    }

    fn source_subject(&self, source: LeadSource) -> Subject {
        Subject {
            kind: SubjectKind::Source,
            key: source.name().to_string(),
            label: self.labels.get(&format!("source.{source}")).to_string(),
        }
    }

    fn leads_subject(&self) -> Subject {
        Subject {
            kind: SubjectKind::Leads,
            key: "total".into(),
            label: self.labels.get("source.total").to_string(),
        }
    }

    fn category_subject(&self, category: &str) -> Subject {
        Subject {
            kind: SubjectKind::Category,
            key: category.to_string(),
            label: self.labels.get(&format!("category.{category}")).to_string(),
        }
    }

    /// "issus du marketing en ligne" / "from online marketing".
    fn origin(&self, key: &str) -> String {
        self.labels.get(&format!("lead_origin.{key}")).to_string()
    }

    fn finish(&self, draft: Draft) -> Finding {
        let at_stake = draft.at_stake.map(|v| v.max(Decimal::ZERO));
        let immaterial = match (at_stake, self.reference) {
            (Some(stake), Some(reference)) => stake < MATERIALITY * reference,
            _ => false,
        };
        let severity = if immaterial {
            draft.severity.lower()
        } else {
            draft.severity
        };
        let values: Vec<(&str, &str)> =
            draft.values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let text = |part: &str| {
            capitalise(
                &self
                    .labels
                    .fill(&format!("findings.{}.{part}", draft.text), &values),
            )
        };
        Finding {
            id: FindingId {
                rule: draft.rule,
                about: draft.about,
            },
            rule: draft.rule,
            severity,
            subject: draft.subject,
            title: text("title"),
            explanation: text("explanation"),
            evidence: draft
                .evidence
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            levers: draft
                .levers
                .iter()
                .filter(|l| self.may_push(l))
                .map(|l| l.to_string())
                .collect(),
            at_stake: at_stake.map(Money),
        }
    }
}
