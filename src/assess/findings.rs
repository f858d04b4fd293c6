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
    labels: &'static Labels,
    fmt: Formatter,
    /// The revenue materiality is measured against (see the module docs).
    reference: Option<Decimal>,
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
            labels: Labels::builtin(language),
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

/// The value a lead brought: won_value / count of `stats`, else of all leads.
fn value_per_lead(stats: &LeadStats, total: &LeadStats) -> Option<Decimal> {
    let of = |s: &LeadStats| match (s.won, s.won_value, s.count) {
        (Some(w), Some(v), Some(n)) if w > 0 && n > 0 => Some(v.0 / count(n)),
        _ => None,
    };
    of(stats).or_else(|| of(total))
}

/// The average won value of `stats`, else of all leads.
fn average_won_value(stats: &LeadStats, total: &LeadStats) -> Option<Decimal> {
    let of = |s: &LeadStats| match (s.won, s.won_value) {
        (Some(w), Some(v)) if w > 0 => Some(v.0 / count(w)),
        _ => None,
    };
    of(stats).or_else(|| of(total))
}

/// The (actual, target, projection) of an objective line, when projected and > 0.
fn projected(line: &ObjectiveLine) -> Option<(Option<Decimal>, Decimal, Decimal)> {
    let target = line.target.value();
    let projection = line.landing()?.value();
    (target > Decimal::ZERO).then_some((line.actual.map(|a| a.value()), target, projection))
}

const R1_LEVERS: [(RevenueObjective, &[&str]); 3] = [
    (
        RevenueObjective::Conquest,
        &["prospect_files", "online_marketing", "prescription"],
    ),
    (
        RevenueObjective::Retention,
        &["key_accounts", "crm_steering"],
    ),
    (RevenueObjective::Reconquest, &["reconquest_campaign"]),
];

/// R1: a 3 CA category's projection under its objective.
fn r1(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R1) else {
        return;
    };
    let t = rule.threshold("min_projection_ratio");
    for (category, levers) in R1_LEVERS {
        let Some(line) = cx.line(&ObjectiveKey::Revenue(category)) else {
            continue;
        };
        let category = category.name();
        let subject = || cx.category_subject(category);
        let shortfall = Shortfall {
            rule: RuleId::R1,
            about: Some(category.to_string()),
            placeholder: "category",
            levers,
        };
        out.extend(revenue_shortfall(cx, line, t, subject, shortfall));
    }
}

/// How R1 and R10 differ: which rule, which subject, which levers.
struct Shortfall {
    rule: RuleId,
    about: Option<String>,
    /// The placeholder the subject's label fills in the rule's texts.
    placeholder: &'static str,
    levers: &'static [&'static str],
}

/// A revenue objective whose projection falls under `t` times its target (R1, R10):
/// the same test, figures and money at stake for a 3 CA category or a salesperson.
fn revenue_shortfall(
    cx: &Context<'_>,
    line: &ObjectiveLine,
    t: Decimal,
    subject: impl FnOnce() -> Subject,
    s: Shortfall,
) -> Option<Finding> {
    let (actual, target, projection) = projected(line)?;
    if projection >= t * target {
        return None;
    }
    let ratio = projection / target;
    let subject = subject();
    Some(cx.finish(Draft {
        rule: s.rule,
        about: s.about,
        text: s.rule.name(),
        values: vec![
            (s.placeholder, subject.label.clone()),
            ("projection", cx.money(projection)),
            ("ratio", cx.percent_beyond(ratio, t)),
            ("target", cx.money(target)),
        ],
        subject,
        severity: below(ratio, "0.75", "0.85"),
        evidence: vec![
            ("objective", EvidenceValue::Money(Money(target))),
            (
                "actual",
                EvidenceValue::Money(Money(actual.unwrap_or_default())),
            ),
            ("projection", EvidenceValue::Money(Money(projection))),
            ("ratio", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
        ],
        levers: s.levers,
        at_stake: Some(target - projection),
    }))
}

/// R2: the lead volume (total, or a source's) projected under its objective.
fn r2(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R2) else {
        return;
    };
    let t = rule.threshold("min_projection_ratio");
    let total = &cx.m.leads.total.stats;
    let groups = std::iter::once(None).chain(LeadSource::ALL.iter().copied().map(Some));
    for source in groups {
        let (key, subject, stats) = match source {
            None => ("total", cx.leads_subject(), Some(total)),
            Some(s) => (
                s.name(),
                cx.source_subject(s),
                cx.m.leads.by_source.get(&s).map(|x| &x.stats),
            ),
        };
        let line_key = match source {
            None => ObjectiveKey::Leads,
            Some(s) => ObjectiveKey::LeadsFrom(s),
        };
        let Some(line) = cx.line(&line_key) else {
            continue;
        };
        let Some((actual, target, projection)) = projected(line) else {
            continue;
        };
        if projection >= t * target {
            continue;
        }
        let ratio = projection / target;
        let per_lead = stats.and_then(|s| value_per_lead(s, total));
        let mut evidence = vec![
            ("objective", EvidenceValue::Quantity(Quantity(target))),
            (
                "actual",
                EvidenceValue::Quantity(Quantity(actual.unwrap_or_default())),
            ),
            ("projection", EvidenceValue::Quantity(Quantity(projection))),
            ("ratio", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
        ];
        if let Some(v) = per_lead {
            evidence.push(("value_per_lead", EvidenceValue::Money(Money(v))));
        }
        out.push(cx.finish(Draft {
            rule: RuleId::R2,
            about: Some(key.to_string()),
            text: "R2",
            values: vec![
                ("subject", subject.label.clone()),
                ("origin", cx.origin(key)),
                ("projection", cx.whole(projection)),
                ("ratio", cx.percent_beyond(ratio, t)),
                ("target", cx.whole(target)),
            ],
            subject,
            severity: below(ratio, "0.75", "0.85"),
            evidence,
            levers: &[
                "online_marketing",
                "offline_marketing",
                "prescription",
                "trade_shows",
            ],
            at_stake: per_lead.map(|v| (target - projection) * v),
        }));
    }
}

/// R3: a source that converts far below the overall rate, on enough leads.
fn r3(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R3) else {
        return;
    };
    let t = rule.threshold("max_ratio_to_overall");
    let min_leads = rule.threshold("min_leads");
    let total = &cx.m.leads.total.stats;
    let Some(overall) = total.conversion_rate.map(|r| r.0) else {
        return;
    };
    for (&source, s) in &cx.m.leads.by_source {
        let (Some(n), Some(rate)) = (s.stats.count, s.stats.conversion_rate) else {
            continue;
        };
        if count(n) < min_leads || rate.0 >= t * overall {
            continue;
        }
        // rate >= 0 and rate < t × overall: overall > 0.
        let ratio = rate.0 / overall;
        let average = average_won_value(&s.stats, total);
        let mut evidence = vec![
            ("count", EvidenceValue::Count(n)),
            ("conversion_rate", EvidenceValue::Rate(rate)),
            ("overall_rate", EvidenceValue::Rate(Rate(overall))),
            ("ratio_to_overall", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
            ("min_leads", EvidenceValue::Quantity(Quantity(min_leads))),
        ];
        if let Some(v) = average {
            evidence.push(("average_won_value", EvidenceValue::Money(Money(v))));
        }
        out.push(cx.finish(Draft {
            rule: RuleId::R3,
            about: Some(source.to_string()),
            text: "R3",
            values: vec![
                ("origin", cx.origin(source.name())),
                ("rate", cx.percent(rate.0)),
                ("overall", cx.percent(overall)),
                ("count", cx.count(n)),
            ],
            subject: cx.source_subject(source),
            severity: below(ratio, "0.25", "0.40"),
            evidence,
            levers: &["lead_qualification", "smarketing", "training"],
            at_stake: average.map(|v| count(n) * (overall - rate.0) * v),
        }));
    }
}

const R4_LEVERS: &[&str] = &["new_territory", "prospect_files", "external_growth"];
/// A dependency on one client is answered by securing that account and spreading the
/// revenue, not by buying a company.
const R4_TOP_CLIENT_LEVERS: &[&str] = &["key_accounts", "prospect_files", "new_territory"];

/// R4: revenue concentrated on one client, or on a tiny class A.
fn r4(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R4) else {
        return;
    };
    let p = &cx.m.pareto;
    let t_top = rule.threshold("top_client_share");
    if let Some(top) = p.top.first()
        && let Some(share) = top.share
        && share.0 > t_top
    {
        let label = top.name.clone().unwrap_or_else(|| top.client_id.clone());
        out.push(cx.finish(Draft {
            rule: RuleId::R4,
            about: Some("top_client".into()),
            text: "R4",
            values: vec![
                ("client", label.clone()),
                ("share", cx.percent_beyond(share.0, t_top)),
                ("threshold", cx.threshold_percent(t_top)),
            ],
            subject: Subject {
                kind: SubjectKind::Client,
                key: top.client_id.clone(),
                label,
            },
            severity: at_least(share.0, "0.20", "0.15"),
            evidence: vec![
                ("share", EvidenceValue::Rate(share)),
                ("revenue", EvidenceValue::Money(top.revenue)),
                ("threshold", EvidenceValue::Rate(Rate(t_top))),
            ],
            levers: R4_TOP_CLIENT_LEVERS,
            at_stake: Some(top.revenue.0),
        }));
    }
    let t_a = rule.threshold("min_a_client_share");
    let classified = p.a.clients + p.b.clients + p.c.clients;
    if classified > 0 {
        let a_client_share = count(p.a.clients) / count(classified);
        if a_client_share <= t_a {
            let a_share = p.a.share.map_or(Decimal::ZERO, |r| r.0);
            out.push(cx.finish(Draft {
                rule: RuleId::R4,
                about: Some("a_class".into()),
                text: "R4_a",
                values: vec![
                    ("a_clients", cx.count(p.a.clients)),
                    ("classified", cx.count(classified)),
                    ("a_client_share", cx.percent(a_client_share)),
                    ("a_share", cx.percent(a_share)),
                ],
                subject: Subject {
                    kind: SubjectKind::Portfolio,
                    key: "A".into(),
                    label: cx.labels.get("subject.portfolio").to_string(),
                },
                severity: if a_client_share <= d("0.05") {
                    Severity::High
                } else {
                    Severity::Medium
                },
                evidence: vec![
                    ("a_clients", EvidenceValue::Count(p.a.clients)),
                    ("classified", EvidenceValue::Count(classified)),
                    ("a_client_share", EvidenceValue::Rate(Rate(a_client_share))),
                    ("a_share", EvidenceValue::Rate(Rate(a_share))),
                    ("threshold", EvidenceValue::Rate(Rate(t_a))),
                ],
                levers: R4_LEVERS,
                at_stake: None,
            }));
        }
    }
}

/// R5: class C takes far more contact effort than its revenue weight.
fn r5(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R5) else {
        return;
    };
    let t = rule.threshold("max_effort_ratio");
    let c = &cx.m.pareto.c;
    let (Some(revenue_share), Some(effort_share)) = (c.share, c.effort_share) else {
        return;
    };
    if c.clients == 0 || revenue_share.0 <= Decimal::ZERO || effort_share.0 <= t * revenue_share.0 {
        return;
    }
    let ratio = effort_share.0 / revenue_share.0;
    out.push(cx.finish(Draft {
        rule: RuleId::R5,
        about: None,
        text: "R5",
        values: vec![
            ("revenue_share", cx.percent(revenue_share.0)),
            ("effort_share", cx.percent(effort_share.0)),
            ("ratio", cx.number_beyond(ratio, t)),
        ],
        subject: Subject {
            kind: SubjectKind::Class,
            key: "C".into(),
            label: cx.labels.fill("subject.class", &[("class", "C")]),
        },
        severity: at_least(ratio, "4", "3"),
        evidence: vec![
            ("clients", EvidenceValue::Count(c.clients)),
            ("revenue_share", EvidenceValue::Rate(revenue_share)),
            ("effort_share", EvidenceValue::Rate(effort_share)),
            ("effort_ratio", EvidenceValue::Quantity(Quantity(ratio))),
            ("threshold", EvidenceValue::Quantity(Quantity(t))),
        ],
        levers: &["time_allocation", "auxiliary_sales_force", "key_accounts"],
        at_stake: None,
    }));
}

/// R6: too few former clients won back.
fn r6(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R6) else {
        return;
    };
    let t = rule.threshold("min_reconquest_rate");
    let clients = &cx.m.clients;
    let Some(rate) = clients.reconquest_rate else {
        return;
    };
    if rate.0 >= t {
        return;
    }
    let former = &cx.m.former_clients;
    let yearly = (former.count > 0 && former.revenue_36m.0 > Decimal::ZERO)
        .then(|| former.revenue_36m.0 / count(former.count) / Decimal::from(3));
    let missing = t * count(clients.former_at_start) - count(clients.reconquered);
    let mut evidence = vec![
        ("reconquered", EvidenceValue::Count(clients.reconquered)),
        (
            "former_at_start",
            EvidenceValue::Count(clients.former_at_start),
        ),
        ("reconquest_rate", EvidenceValue::Rate(rate)),
        ("threshold", EvidenceValue::Rate(Rate(t))),
    ];
    if let Some(y) = yearly {
        evidence.push((
            "former_client_yearly_revenue",
            EvidenceValue::Money(Money(y)),
        ));
    }
    out.push(cx.finish(Draft {
        rule: RuleId::R6,
        about: None,
        text: "R6",
        values: vec![
            ("reconquered", cx.count(clients.reconquered)),
            ("former", cx.count(clients.former_at_start)),
            ("rate", cx.percent_beyond(rate.0, t)),
            ("threshold", cx.threshold_percent(t)),
        ],
        subject: cx.category_subject("reconquest"),
        severity: below(rate.0, "0.05", "0.075"),
        evidence,
        levers: &["reconquest_campaign", "crm_steering"],
        at_stake: yearly.map(|y| missing * y),
    }));
}

/// R7: the clients lost since last year weighed a large share of its revenue.
fn r7(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R7) else {
        return;
    };
    let t = rule.threshold("max_lost_share");
    let f = &cx.m.revenue.figures;
    let previous = f.previous_total.0;
    if previous <= Decimal::ZERO || f.lost.0 <= t * previous {
        return;
    }
    let share = f.lost.0 / previous;
    out.push(cx.finish(Draft {
        rule: RuleId::R7,
        about: None,
        text: "R7",
        values: vec![
            ("lost_clients", cx.count(cx.m.clients.lost)),
            ("months", cx.count(cx.e.settings.dormancy_months as usize)),
            ("lost", cx.money(f.lost.0)),
            ("share", cx.percent_beyond(share, t)),
        ],
        subject: cx.category_subject("retention"),
        severity: at_least(share, "0.20", "0.10"),
        evidence: vec![
            ("lost", EvidenceValue::Money(f.lost)),
            ("lost_clients", EvidenceValue::Count(cx.m.clients.lost)),
            ("previous_total", EvidenceValue::Money(f.previous_total)),
            ("share", EvidenceValue::Rate(Rate(share))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
        ],
        levers: &["key_accounts", "crm_steering", "training"],
        at_stake: Some(f.lost.0),
    }));
}

const R8_LEVERS: &[&str] = &["time_allocation", "crm_steering", "sales_admin_support"];

/// R8: per rep, field visits well under their key, or too much admin and reporting.
fn r8(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R8) else {
        return;
    };
    let t_gap = rule.threshold("max_visit_gap_pts");
    let t_admin = rule.threshold("max_admin_share");
    for (rep, alloc) in &cx.m.time.by_rep {
        let label = cx.rep_label(rep.as_str());
        if let Some(visit) = alloc.by_activity.get(&ActivityKind::Visit)
            && let (Some(share), Some(target), Some(gap)) =
                (visit.share, visit.target_share, visit.gap_pts)
            && gap.0 < -t_gap
        {
            out.push(cx.finish(Draft {
                rule: RuleId::R8,
                about: Some(rep.to_string()),
                text: "R8",
                values: vec![
                    ("rep", label.clone()),
                    ("visit_share", cx.percent(share.0)),
                    ("target_share", cx.threshold_percent(target.0)),
                    ("gap", cx.number_beyond(-gap.0, t_gap)),
                ],
                subject: cx.rep_subject(rep.as_str()),
                severity: if gap.0 <= d("-20") {
                    Severity::High
                } else if gap.0 <= d("-15") {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                evidence: vec![
                    ("visit_share", EvidenceValue::Rate(share)),
                    ("target_share", EvidenceValue::Rate(target)),
                    ("gap_pts", EvidenceValue::Quantity(gap)),
                    ("threshold", EvidenceValue::Quantity(Quantity(t_gap))),
                ],
                levers: R8_LEVERS,
                at_stake: None,
            }));
        }
        let share_of = |kind| {
            alloc
                .by_activity
                .get(&kind)
                .and_then(|a: &crate::analysis::time::ActivityTime| a.share)
        };
        if let (Some(admin), Some(reporting)) = (
            share_of(ActivityKind::Admin),
            share_of(ActivityKind::Reporting),
        ) {
            let both = admin.0 + reporting.0;
            if both > t_admin {
                out.push(cx.finish(Draft {
                    rule: RuleId::R8,
                    about: Some(format!("{rep}-admin")),
                    text: "R8_admin",
                    values: vec![
                        ("rep", label.clone()),
                        ("admin_share", cx.percent_beyond(both, t_admin)),
                        ("threshold", cx.threshold_percent(t_admin)),
                    ],
                    subject: cx.rep_subject(rep.as_str()),
                    severity: at_least(both, "0.35", "0.30"),
                    evidence: vec![
                        ("admin_share", EvidenceValue::Rate(admin)),
                        ("reporting_share", EvidenceValue::Rate(reporting)),
                        ("share", EvidenceValue::Rate(Rate(both))),
                        ("threshold", EvidenceValue::Rate(Rate(t_admin))),
                    ],
                    levers: R8_LEVERS,
                    at_stake: None,
                }));
            }
        }
    }
}

/// R9: the conversion rate under its objective.
fn r9(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R9) else {
        return;
    };
    let t = rule.threshold("min_conversion_ratio");
    let Some(line) = cx.line(&ObjectiveKey::ConversionRate) else {
        return;
    };
    let target = line.target.value();
    let Some(rate) = line.actual.map(|a| a.value()) else {
        return;
    };
    if target <= Decimal::ZERO || rate >= t * target {
        return;
    }
    let total = &cx.m.leads.total.stats;
    let (won, n) = (total.won.unwrap_or(0), total.count.unwrap_or(0));
    let ratio = rate / target;
    out.push(cx.finish(Draft {
        rule: RuleId::R9,
        about: None,
        text: "R9",
        values: vec![
            ("rate", cx.percent_beyond(rate, t * target)),
            ("won", cx.count(won)),
            ("count", cx.count(n)),
            ("target", cx.threshold_percent(target)),
        ],
        subject: cx.leads_subject(),
        severity: below(ratio, "0.75", "0.90"),
        evidence: vec![
            ("conversion_rate", EvidenceValue::Rate(Rate(rate))),
            ("objective", EvidenceValue::Rate(Rate(target))),
            ("ratio", EvidenceValue::Rate(Rate(ratio))),
            ("threshold", EvidenceValue::Rate(Rate(t))),
            ("won", EvidenceValue::Count(won)),
            ("count", EvidenceValue::Count(n)),
        ],
        levers: &["lead_qualification", "training", "smarketing"],
        at_stake: average_won_value(total, total).map(|v| count(n) * (target - rate) * v),
    }));
}

/// R10: a rep's revenue projected under their objective.
fn r10(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(rule) = cx.rule(RuleId::R10) else {
        return;
    };
    let t = rule.threshold("min_projection_ratio");
    let Some(o) = &cx.e.objectives else { return };
    for rep in &o.reps {
        let Some(line) = cx.line(&ObjectiveKey::Rep(rep.id.clone(), RepObjective::Revenue)) else {
            continue;
        };
        let shortfall = Shortfall {
            rule: RuleId::R10,
            about: Some(rep.id.clone()),
            placeholder: "rep",
            levers: &["onboarding", "training", "activity_model"],
        };
        out.extend(revenue_shortfall(
            cx,
            line,
            t,
            || cx.rep_subject(&rep.id),
            shortfall,
        ));
    }
}
