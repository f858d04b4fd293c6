//! The engagement report: the sections of the method in order (method.md), cover,
//! synthesis, dashboard, commercial diagnostic, improvement points, the specific action plan,
//! performance measurement and adjustments, external growth, conclusion, annexes.
//!
//! This file only decides which sections the report has and in which order; each
//! section is built in [`super::sections`], one file per analysis it presents. Every
//! label comes from the translation files and every figure goes through the
//! [`Formatter`](crate::i18n::Formatter), so no section decides how a figure is spelled.

use super::builder::{Builder, number_sections};
use super::model::*;
use super::parts::*;
use super::sections::{
    annex, cuts, dashboard, external, former, improvement, leads, measurement, plan, portfolio,
    revenue, synthesis, time,
};
use crate::assess::Measured;
use crate::engagement::{Engagement, NoteSection};
use crate::vocab::Growth;

/// The engagement report.
pub fn build(e: &Engagement, m: &Measured) -> Report {
    let b = Builder::new(e, m);
    let report = build_with(&b);
    debug_assert!(
        b.missing.borrow().is_empty(),
        "missing labels: {:?}",
        b.missing.borrow()
    );
    report
}

pub(crate) fn build_with(b: &Builder<'_>) -> Report {
    let mut sections = vec![
        synthesis::synthesis(b),
        dashboard::dashboard(b),
        diagnostic(b),
        improvement::improvement_points(b),
        plan::action_plan(b),
        measurement::measurement(b),
    ];
    if matches!(b.e.info.growth, Growth::External | Growth::Both)
        || b.e
            .plan
            .as_ref()
            .is_some_and(|p| !p.acquisitions.is_empty())
    {
        sections.push(external::external_growth(b));
    }
    let conclusion = b.notes(NoteSection::Conclusion);
    if !conclusion.is_empty() {
        sections.push(top(
            "conclusion",
            b.t("report.sections.conclusion"),
            conclusion,
            vec![],
        ));
    }
    let mut annexes = annex::annexes(b);
    if let Some(levers) = improvement::levers_annex(b) {
        // After the definitions: the method's vocabulary, then the data.
        let at = annexes.children.len().min(1);
        annexes.children.insert(at, levers);
    }
    sections.push(annexes);
    number_sections(&mut sections);
    Report {
        lang: b.e.info.language,
        kind: ReportKind::Report,
        meta: b.meta(None),
        brand: b.brand_view(),
        labels: b.labels_ui(),
        sections,
        charts: b.charts.take(),
    }
}

/// 3. Diagnostic commercial: one sub-section per analysis.
fn diagnostic(b: &Builder<'_>) -> Section {
    let children = vec![
        revenue::revenue_section(b),
        portfolio::portfolio_section(b),
        leads::leads_section(b),
        former::former_section(b),
        time::time_section(b),
        cuts::cuts_section(b),
    ];
    top(
        "diagnostic",
        b.t("report.sections.diagnostic"),
        vec![Block::Paragraph {
            text: b.t("report.diagnostic.intro"),
        }],
        children,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Language;

    fn example(slug: &str, language: Language) -> (Engagement, Measured) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut e = crate::engagement::load(&root.join("engagements").join(slug), Some(root))
            .engagement
            .expect("example loads");
        e.info.language = language;
        let (m, _) = crate::assess::measure(&e);
        (e, m)
    }

    #[test]
    fn every_label_exists_in_both_languages() {
        for slug in ["vidal-equipements", "groupe-ferrand"] {
            for language in [Language::Fr, Language::En] {
                let (e, m) = example(slug, language);
                let b = Builder::new(&e, &m);
                let report = build_with(&b);
                for rep in b.reps() {
                    crate::present::scorecard::build_with(&b, &rep);
                }
                let mut missing = b.missing.borrow().clone();
                missing.sort();
                missing.dedup();
                assert!(
                    missing.is_empty(),
                    "{slug} {language:?}: missing labels {missing:?}"
                );
                assert!(report.sections.len() >= 7);
            }
        }
    }
}
