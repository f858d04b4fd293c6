//! The glossary of figures: what every figure of metrics.json is, in the reader's words.
//!
//! A figure is named by its metrics.json path (`clients.reconquest_rate`), which is how
//! the consultant refers to it (plan KPIs, `{{ … }}` placeholders in notes) and how
//! records of past measurements store it. A client never reads a path: wherever a figure
//! is named in a deliverable, its label comes from here (translated in
//! `templates/i18n/<lang>.toml`, section `[figure]`), and wherever it is written, its unit
//! decides the one formatter used for it, so that a figure reads the same in a table, a
//! note, the follow-up of an action and the comparison with the last measurement.
//!
//! This module is a leaf: it knows paths, not the metrics themselves, and any stage may
//! use it.

/// What kind of quantity a figure is; decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// An amount in the engagement's currency, written in whole units.
    Money,
    /// An amount written to the cent (a cost per lead).
    MoneyCents,
    /// A share or a rate in [0, 1], written as a percentage.
    Share,
    /// A relative change, written as a signed percentage.
    Growth,
    /// A difference of shares, in percentage points.
    Points,
    /// A whole number of clients, leads, lines.
    Count,
    Hours,
    Days,
    Date,
    Text,
}

impl Unit {
    /// Whether the figure accumulates over the year (so that it can be prorated and
    /// projected) rather than being a level.
    pub fn is_cumulative(self) -> bool {
        matches!(self, Unit::Money | Unit::Count | Unit::Hours)
    }
}

/// A figure's entry: its unit and the translation key of its label, with the values of
/// the label's `{placeholders}` taken from the path (raw keys: a rep id, a source's
/// canonical name; the presenter turns them into names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub unit: Unit,
    /// A key of the `[figure]` section of the translations.
    pub label: String,
    pub params: Vec<(&'static str, String)>,
}

/// The figures of metrics.json by path pattern: `{name}` matches one segment and becomes
/// a parameter of the label. The label key is `figure.<key>`.
const PATTERNS: &[(&str, Unit, &str)] = &[
    ("elapsed_share", Unit::Share, "elapsed_share"),
    ("as_of", Unit::Date, "as_of"),
    ("fiscal_year.start", Unit::Date, "fiscal_year_start"),
    ("fiscal_year.end", Unit::Date, "fiscal_year_end"),
    ("client", Unit::Text, "client"),
    // Revenue and the 3 CA.
    ("revenue.total", Unit::Money, "revenue_total"),
    (
        "revenue.previous_total",
        Unit::Money,
        "revenue_previous_total",
    ),
    (
        "revenue.previous_to_date",
        Unit::Money,
        "revenue_previous_to_date",
    ),
    ("revenue.growth", Unit::Growth, "revenue_growth"),
    ("revenue.conquest", Unit::Money, "revenue_conquest"),
    ("revenue.retention", Unit::Money, "revenue_retention"),
    ("revenue.reconquest", Unit::Money, "revenue_reconquest"),
    ("revenue.lost", Unit::Money, "revenue_lost"),
    ("revenue.by_rep.{rep}.fy", Unit::Money, "rep_revenue"),
    (
        "revenue.by_rep.{rep}.fy_1",
        Unit::Money,
        "rep_revenue_previous",
    ),
    (
        "revenue.by_rep.{rep}.growth",
        Unit::Growth,
        "rep_revenue_growth",
    ),
    (
        "revenue.by_rep.{rep}.projection",
        Unit::Money,
        "rep_revenue_projection",
    ),
    (
        "revenue.by_rep.{rep}.projection_seasonal",
        Unit::Money,
        "rep_revenue_projection_seasonal",
    ),
    ("revenue.by_zone.{zone}.fy", Unit::Money, "zone_revenue"),
    (
        "revenue.by_zone.{zone}.fy_1",
        Unit::Money,
        "zone_revenue_previous",
    ),
    (
        "revenue.by_zone.{zone}.growth",
        Unit::Growth,
        "zone_revenue_growth",
    ),
    (
        "revenue.by_zone.{zone}.projection",
        Unit::Money,
        "zone_revenue_projection",
    ),
    (
        "revenue.by_zone.{zone}.projection_seasonal",
        Unit::Money,
        "zone_revenue_projection_seasonal",
    ),
    (
        "revenue.by_segment.{segment}.fy",
        Unit::Money,
        "segment_revenue",
    ),
    (
        "revenue.by_segment.{segment}.fy_1",
        Unit::Money,
        "segment_revenue_previous",
    ),
    (
        "revenue.by_segment.{segment}.growth",
        Unit::Growth,
        "segment_revenue_growth",
    ),
    (
        "revenue.by_segment.{segment}.projection",
        Unit::Money,
        "segment_revenue_projection",
    ),
    (
        "revenue.by_segment.{segment}.projection_seasonal",
        Unit::Money,
        "segment_revenue_projection_seasonal",
    ),
    (
        "revenue.by_product.{product}.fy",
        Unit::Money,
        "product_revenue",
    ),
    (
        "revenue.by_product.{product}.fy_1",
        Unit::Money,
        "product_revenue_previous",
    ),
    (
        "revenue.by_product.{product}.growth",
        Unit::Growth,
        "product_revenue_growth",
    ),
    (
        "revenue.by_product.{product}.projection",
        Unit::Money,
        "product_revenue_projection",
    ),
    (
        "revenue.by_product.{product}.projection_seasonal",
        Unit::Money,
        "product_revenue_projection_seasonal",
    ),
    (
        "revenue.split_by_rep.{rep}.total",
        Unit::Money,
        "rep_revenue",
    ),
    (
        "revenue.split_by_rep.{rep}.{category}",
        Unit::Money,
        "rep_category_revenue",
    ),
    (
        "revenue.split_by_rep.{rep}.clients.active",
        Unit::Count,
        "rep_clients_active",
    ),
    (
        "revenue.split_by_rep.{rep}.clients.{client_category}",
        Unit::Count,
        "rep_clients_category",
    ),
    (
        "revenue.split_by_zone.{zone}.total",
        Unit::Money,
        "zone_revenue",
    ),
    (
        "revenue.split_by_zone.{zone}.{category}",
        Unit::Money,
        "zone_category_revenue",
    ),
    (
        "revenue.split_by_zone.{zone}.clients.active",
        Unit::Count,
        "zone_clients_active",
    ),
    (
        "revenue.split_by_zone.{zone}.clients.{client_category}",
        Unit::Count,
        "zone_clients_category",
    ),
    // Clients.
    ("clients.active", Unit::Count, "clients_active"),
    ("clients.new", Unit::Count, "clients_new"),
    ("clients.retained", Unit::Count, "clients_retained"),
    ("clients.reconquered", Unit::Count, "clients_reconquered"),
    ("clients.lost", Unit::Count, "clients_lost"),
    (
        "clients.former_at_start",
        Unit::Count,
        "clients_former_at_start",
    ),
    (
        "clients.reconquest_rate",
        Unit::Share,
        "clients_reconquest_rate",
    ),
    // Pareto / ABC.
    ("pareto.a_cutoff", Unit::Share, "pareto_a_cutoff"),
    ("pareto.b_cutoff", Unit::Share, "pareto_b_cutoff"),
    ("pareto.{class}.clients", Unit::Count, "class_clients"),
    ("pareto.{class}.revenue", Unit::Money, "class_revenue"),
    ("pareto.{class}.share", Unit::Share, "class_share"),
    ("pareto.{class}.hours", Unit::Hours, "class_hours"),
    (
        "pareto.{class}.effort_share",
        Unit::Share,
        "class_effort_share",
    ),
    ("pareto.unclassified", Unit::Count, "pareto_unclassified"),
    (
        "pareto.unclassified_revenue",
        Unit::Money,
        "pareto_unclassified_revenue",
    ),
    (
        "pareto.positive_revenue",
        Unit::Money,
        "pareto_positive_revenue",
    ),
    (
        "pareto.by_rep.{rep}.{class}",
        Unit::Count,
        "rep_class_clients",
    ),
    (
        "pareto.maturity.{class}.{maturity}.clients",
        Unit::Count,
        "class_maturity_clients",
    ),
    (
        "pareto.maturity.{class}.{maturity}.revenue",
        Unit::Money,
        "class_maturity_revenue",
    ),
    (
        "pareto.effort.{class}.{effort}.clients",
        Unit::Count,
        "class_effort_clients",
    ),
    (
        "pareto.effort.{class}.{effort}.hours",
        Unit::Hours,
        "class_effort_hours",
    ),
    (
        "pareto.effort.{class}.{effort}.revenue",
        Unit::Money,
        "class_effort_revenue",
    ),
    // Leads.
    ("leads.total.count", Unit::Count, "leads_count"),
    ("leads.total.qualified", Unit::Count, "leads_qualified"),
    ("leads.total.won", Unit::Count, "leads_won"),
    ("leads.total.lost", Unit::Count, "leads_lost"),
    ("leads.total.open", Unit::Count, "leads_open"),
    (
        "leads.total.qualified_rate",
        Unit::Share,
        "leads_qualified_rate",
    ),
    (
        "leads.total.conversion_rate",
        Unit::Share,
        "leads_conversion_rate",
    ),
    ("leads.total.win_rate", Unit::Share, "leads_win_rate"),
    ("leads.total.won_value", Unit::Money, "leads_won_value"),
    (
        "leads.total.median_cycle_days",
        Unit::Days,
        "leads_median_cycle_days",
    ),
    (
        "leads.total.cost_per_lead",
        Unit::MoneyCents,
        "leads_cost_per_lead",
    ),
    (
        "leads.by_source.{source}.count",
        Unit::Count,
        "source_leads_count",
    ),
    (
        "leads.by_source.{source}.qualified",
        Unit::Count,
        "source_leads_qualified",
    ),
    (
        "leads.by_source.{source}.won",
        Unit::Count,
        "source_leads_won",
    ),
    (
        "leads.by_source.{source}.lost",
        Unit::Count,
        "source_leads_lost",
    ),
    (
        "leads.by_source.{source}.open",
        Unit::Count,
        "source_leads_open",
    ),
    (
        "leads.by_source.{source}.qualified_rate",
        Unit::Share,
        "source_leads_qualified_rate",
    ),
    (
        "leads.by_source.{source}.conversion_rate",
        Unit::Share,
        "source_leads_conversion_rate",
    ),
    (
        "leads.by_source.{source}.win_rate",
        Unit::Share,
        "source_leads_win_rate",
    ),
    (
        "leads.by_source.{source}.won_value",
        Unit::Money,
        "source_leads_won_value",
    ),
    (
        "leads.by_source.{source}.median_cycle_days",
        Unit::Days,
        "source_leads_median_cycle_days",
    ),
    (
        "leads.by_source.{source}.cost_per_lead",
        Unit::MoneyCents,
        "source_leads_cost_per_lead",
    ),
    ("leads.by_rep.{rep}.count", Unit::Count, "rep_leads_count"),
    (
        "leads.by_rep.{rep}.qualified",
        Unit::Count,
        "rep_leads_qualified",
    ),
    ("leads.by_rep.{rep}.won", Unit::Count, "rep_leads_won"),
    ("leads.by_rep.{rep}.lost", Unit::Count, "rep_leads_lost"),
    ("leads.by_rep.{rep}.open", Unit::Count, "rep_leads_open"),
    (
        "leads.by_rep.{rep}.qualified_rate",
        Unit::Share,
        "rep_leads_qualified_rate",
    ),
    (
        "leads.by_rep.{rep}.conversion_rate",
        Unit::Share,
        "rep_leads_conversion_rate",
    ),
    (
        "leads.by_rep.{rep}.win_rate",
        Unit::Share,
        "rep_leads_win_rate",
    ),
    (
        "leads.by_rep.{rep}.won_value",
        Unit::Money,
        "rep_leads_won_value",
    ),
    (
        "leads.by_rep.{rep}.median_cycle_days",
        Unit::Days,
        "rep_leads_median_cycle_days",
    ),
    (
        "leads.by_rep.{rep}.cost_per_lead",
        Unit::MoneyCents,
        "rep_leads_cost_per_lead",
    ),
    ("leads.funnel.{stage}", Unit::Count, "funnel_stage"),
    // Time.
    ("time.total_hours", Unit::Hours, "time_total_hours"),
    (
        "time.by_activity.{activity}.hours",
        Unit::Hours,
        "activity_hours",
    ),
    (
        "time.by_activity.{activity}.share",
        Unit::Share,
        "activity_share",
    ),
    (
        "time.by_activity.{activity}.target_share",
        Unit::Share,
        "activity_target_share",
    ),
    (
        "time.by_activity.{activity}.gap_pts",
        Unit::Points,
        "activity_gap_pts",
    ),
    (
        "time.visits_by_target.{target}",
        Unit::Hours,
        "visit_target_hours",
    ),
    (
        "time.by_rep.{rep}.total_hours",
        Unit::Hours,
        "rep_time_total_hours",
    ),
    (
        "time.by_rep.{rep}.by_activity.{activity}.hours",
        Unit::Hours,
        "rep_activity_hours",
    ),
    (
        "time.by_rep.{rep}.by_activity.{activity}.share",
        Unit::Share,
        "rep_activity_share",
    ),
    (
        "time.by_rep.{rep}.by_activity.{activity}.target_share",
        Unit::Share,
        "rep_activity_target_share",
    ),
    (
        "time.by_rep.{rep}.by_activity.{activity}.gap_pts",
        Unit::Points,
        "rep_activity_gap_pts",
    ),
    (
        "time.by_rep.{rep}.visits_by_target.{target}",
        Unit::Hours,
        "rep_visit_target_hours",
    ),
    // Former clients.
    ("former_clients.count", Unit::Count, "former_clients_count"),
    (
        "former_clients.revenue_36m",
        Unit::Money,
        "former_clients_revenue_36m",
    ),
    // Data quality.
    (
        "data_quality.credit_notes.lines",
        Unit::Count,
        "quality_credit_note_lines",
    ),
    (
        "data_quality.credit_notes.amount",
        Unit::Money,
        "quality_credit_note_amount",
    ),
    (
        "data_quality.sales_after_as_of.lines",
        Unit::Count,
        "quality_sales_after_as_of_lines",
    ),
    (
        "data_quality.sales_after_as_of.amount",
        Unit::Money,
        "quality_sales_after_as_of_amount",
    ),
    (
        "data_quality.unknown_clients.clients",
        Unit::Count,
        "quality_unknown_clients",
    ),
    (
        "data_quality.unknown_clients.lines",
        Unit::Count,
        "quality_unknown_client_lines",
    ),
    (
        "data_quality.unknown_clients.revenue",
        Unit::Money,
        "quality_unknown_client_revenue",
    ),
    (
        "data_quality.zero_amount_lines",
        Unit::Count,
        "quality_zero_amount_lines",
    ),
    (
        "data_quality.leads_without_source",
        Unit::Count,
        "quality_leads_without_source",
    ),
    (
        "data_quality.leads_outside_fy",
        Unit::Count,
        "quality_leads_outside_fy",
    ),
    (
        "data_quality.activities_outside_fy",
        Unit::Count,
        "quality_activities_outside_fy",
    ),
    (
        "data_quality.won_leads_without_closed",
        Unit::Count,
        "quality_won_leads_without_closed",
    ),
    (
        "data_quality.sales_first_date",
        Unit::Date,
        "quality_sales_first_date",
    ),
    (
        "data_quality.sales_last_date",
        Unit::Date,
        "quality_sales_last_date",
    ),
    (
        "data_quality.tables.{table}.rows",
        Unit::Count,
        "quality_table_rows",
    ),
    (
        "data_quality.tables.{table}.empty_rows_skipped",
        Unit::Count,
        "quality_table_empty_rows",
    ),
    (
        "data_quality.tables.{table}.rows_left_out.count",
        Unit::Count,
        "quality_table_rows_left_out",
    ),
    (
        "data_quality.tables.{table}.rows_left_out.amount",
        Unit::Money,
        "quality_table_rows_left_out_amount",
    ),
    (
        "data_quality.tables.{table}.rows_left_out.by_reason.{reason}",
        Unit::Count,
        "quality_table_rows_left_out_reason",
    ),
    (
        "data_quality.clients_with_disagreeing_sales",
        Unit::Count,
        "quality_clients_with_disagreeing_sales",
    ),
    (
        "data_quality.open_leads_with_closing_date_ignored",
        Unit::Count,
        "quality_open_leads_with_closing_date_ignored",
    ),
];

/// The figures of an objective (`objectives.<key>.<figure>` in records and notes).
const OBJECTIVE_FIGURES: &[(&str, &str)] = &[
    ("target", "objective_target"),
    ("actual", "objective_actual"),
    ("achievement", "objective_achievement"),
    ("projection", "objective_projection"),
    ("projection_seasonal", "objective_projection_seasonal"),
    ("landing", "objective_landing"),
];

/// The unit of an objective's target, actual and projection, from its key.
pub fn objective_unit(key: &str) -> Unit {
    let last = key.rsplit('.').next().unwrap_or(key);
    if key.starts_with("revenue.")
        || matches!(last, "revenue" | "conquest" | "retention" | "reconquest")
    {
        Unit::Money
    } else if last.ends_with("_rate") {
        Unit::Share
    } else {
        Unit::Count
    }
}

/// The entry of a metrics path, or `None` for a path the glossary does not know (a
/// path that names no figure, or a figure added without its label: a test forbids the
/// latter for every path of the examples).
pub fn lookup(path: &str) -> Option<Entry> {
    if let Some(rest) = path.strip_prefix("objectives.") {
        let (key, figure) = rest.rsplit_once('.')?;
        let (_, label) = OBJECTIVE_FIGURES.iter().find(|(f, _)| *f == figure)?;
        let unit = if figure == "achievement" {
            Unit::Share
        } else {
            objective_unit(key)
        };
        return Some(Entry {
            unit,
            label: format!("figure.{label}"),
            params: vec![("objective", key.to_string())],
        });
    }
    let segments: Vec<&str> = path.split('.').collect();
    split_patterns().iter().find_map(|(parts, unit, label)| {
        if parts.len() != segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (part, segment) in parts.iter().zip(&segments) {
            match part {
                Part::Param(name) => {
                    if !fits(name, segment) {
                        return None;
                    }
                    params.push((*name, (*segment).to_string()));
                }
                Part::Word(word) if word == segment => {}
                Part::Word(_) => return None,
            }
        }
        Some(Entry {
            unit: *unit,
            label: format!("figure.{label}"),
            params,
        })
    })
}

/// One segment of a pattern: a word to match or a `{name}` parameter.
enum Part {
    Word(&'static str),
    Param(&'static str),
}

/// [`PATTERNS`] split into segments once: present looks up every figure of every
/// document, and splitting each of the patterns again for every lookup was about 2 % of
/// an engagement's build.
fn split_patterns() -> &'static [(Vec<Part>, Unit, &'static str)] {
    static SPLIT: std::sync::OnceLock<Vec<(Vec<Part>, Unit, &'static str)>> =
        std::sync::OnceLock::new();
    SPLIT.get_or_init(|| {
        PATTERNS
            .iter()
            .map(|(pattern, unit, label)| {
                let parts = pattern
                    .split('.')
                    .map(
                        |part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                            Some(name) => Part::Param(name),
                            None => Part::Word(part),
                        },
                    )
                    .collect();
                (parts, *unit, *label)
            })
            .collect()
    })
}

/// Whether a path segment can stand for a parameter: the closed vocabularies only take
/// their own words, so that `pareto.unclassified` is not read as a class.
fn fits(name: &str, segment: &str) -> bool {
    match name {
        "class" => matches!(segment, "A" | "B" | "C"),
        "category" => matches!(segment, "conquest" | "retention" | "reconquest"),
        "client_category" => matches!(segment, "new" | "retained" | "reconquered"),
        "maturity" => matches!(segment, "new" | "developing" | "mature"),
        "effort" => matches!(segment, "low" | "medium" | "high"),
        _ => true,
    }
}

/// The unit of a metrics path, when the glossary knows it.
pub fn unit_of(path: &str) -> Option<Unit> {
    lookup(path).map(|e| e.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_paths_and_patterns_resolve_with_their_parameters() {
        let e = lookup("clients.reconquest_rate").unwrap();
        assert_eq!(e.unit, Unit::Share);
        assert_eq!(e.label, "figure.clients_reconquest_rate");
        assert!(e.params.is_empty());

        let e = lookup("time.by_rep.SL.by_activity.admin.share").unwrap();
        assert_eq!(e.label, "figure.rep_activity_share");
        assert_eq!(
            e.params,
            vec![("rep", "SL".to_string()), ("activity", "admin".to_string())]
        );

        assert_eq!(
            unit_of("leads.by_source.online.cost_per_lead"),
            Some(Unit::MoneyCents)
        );
        assert_eq!(
            unit_of("revenue.by_product.Gamme X.growth"),
            Some(Unit::Growth)
        );
        assert_eq!(
            unit_of("time.by_activity.visit.gap_pts"),
            Some(Unit::Points)
        );
        assert_eq!(unit_of("leads.total.median_cycle_days"), Some(Unit::Days));
    }

    #[test]
    fn closed_vocabularies_do_not_swallow_other_figures() {
        assert_eq!(
            lookup("pareto.unclassified").unwrap().label,
            "figure.pareto_unclassified"
        );
        assert_eq!(
            lookup("pareto.A.clients").unwrap().params,
            vec![("class", "A".to_string())]
        );
        assert_eq!(
            lookup("revenue.split_by_rep.JD.total").unwrap().label,
            "figure.rep_revenue"
        );
        assert_eq!(
            lookup("revenue.split_by_rep.JD.conquest").unwrap().label,
            "figure.rep_category_revenue"
        );
        assert!(lookup("pareto.D.clients").is_none());
        assert!(lookup("revenue").is_none());
        assert!(lookup("revenue.totl").is_none());
    }

    #[test]
    fn every_label_exists_in_both_languages_with_the_pattern_parameters() {
        use crate::i18n::Labels;
        use crate::vocab::Language;
        let keys = PATTERNS
            .iter()
            .map(|(pattern, _, label)| (*pattern, *label))
            .chain(
                OBJECTIVE_FIGURES
                    .iter()
                    .map(|(_, label)| ("objectives.{objective}.x", *label)),
            );
        for (pattern, label) in keys {
            let key = format!("figure.{label}");
            for language in [Language::Fr, Language::En] {
                let labels = Labels::builtin(language);
                assert!(labels.has(&key), "{key} missing in {language:?}");
                let text = labels.get(&key);
                for part in pattern.split('.') {
                    if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                        assert!(
                            text.contains(&format!("{{{name}}}")),
                            "{key} in {language:?} does not name its {{{name}}}: {text}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn objective_figures_take_the_unit_of_their_objective() {
        let e = lookup("objectives.revenue.total.projection").unwrap();
        assert_eq!(e.unit, Unit::Money);
        assert_eq!(e.params, vec![("objective", "revenue.total".to_string())]);
        assert_eq!(
            unit_of("objectives.leads.conversion_rate.actual"),
            Some(Unit::Share)
        );
        assert_eq!(
            unit_of("objectives.leads.conversion_rate.achievement"),
            Some(Unit::Share)
        );
        assert_eq!(
            unit_of("objectives.rep.JD.new_clients.target"),
            Some(Unit::Count)
        );
        assert_eq!(
            unit_of("objectives.rep.JD.revenue.projection"),
            Some(Unit::Money)
        );
        assert!(lookup("objectives.revenue.total.colour").is_none());
    }
}
