//! The consultant-written side of the Vidal example: engagement.toml, objectives.toml,
//! plan.toml, the notes and the engagement's brand.
//!
//! Notes are Markdown templates (`assets/vidal/notes`) whose `{{placeholders}}` are
//! filled with figures computed from the generated data, so the prose always matches
//! the tables of the report.

use std::collections::BTreeMap;

use chrono::Datelike;

use crate::model::{Cents, Dataset, Kind, Source};
use crate::stats::Stats;
use crate::text::{eur, int, pct, render, toml_int};
use crate::vidal::{OBJECTIVES, REPS};

const NOTES: &[(&str, &str)] = &[
    (
        "00-summary.md",
        include_str!("../assets/vidal/notes/00-summary.md"),
    ),
    (
        "01-objectives.md",
        include_str!("../assets/vidal/notes/01-objectives.md"),
    ),
    (
        "02-budgets.md",
        include_str!("../assets/vidal/notes/02-budgets.md"),
    ),
    (
        "03-allocation.md",
        include_str!("../assets/vidal/notes/03-allocation.md"),
    ),
    (
        "04-market_analysis.md",
        include_str!("../assets/vidal/notes/04-market_analysis.md"),
    ),
    (
        "05-positionnement.md",
        include_str!("../assets/vidal/notes/05-positionnement.md"),
    ),
    (
        "06-segmentation.md",
        include_str!("../assets/vidal/notes/06-segmentation.md"),
    ),
    (
        "07-range.md",
        include_str!("../assets/vidal/notes/07-range.md"),
    ),
    (
        "08-success_factors.md",
        include_str!("../assets/vidal/notes/08-success_factors.md"),
    ),
    (
        "09-offline_levers.md",
        include_str!("../assets/vidal/notes/09-offline_levers.md"),
    ),
    (
        "10-leviers-digitaux.md",
        include_str!("../assets/vidal/notes/10-leviers-digitaux.md"),
    ),
    (
        "11-organisation.md",
        include_str!("../assets/vidal/notes/11-organisation.md"),
    ),
    (
        "12-steering_tools.md",
        include_str!("../assets/vidal/notes/12-steering_tools.md"),
    ),
    (
        "20-qualified_files.md",
        include_str!("../assets/vidal/notes/20-qualified_files.md"),
    ),
    (
        "21-sales_meetings.md",
        include_str!("../assets/vidal/notes/21-sales_meetings.md"),
    ),
    (
        "jd-fichiers-qualifies.md",
        include_str!("../assets/vidal/notes/jd-fichiers-qualifies.md"),
    ),
    (
        "mb-smarketing.md",
        include_str!("../assets/vidal/notes/mb-smarketing.md"),
    ),
    (
        "sl-modele-activite.md",
        include_str!("../assets/vidal/notes/sl-modele-activite.md"),
    ),
    (
        "sl-repartition-temps.md",
        include_str!("../assets/vidal/notes/sl-repartition-temps.md"),
    ),
    (
        "99-conclusion.md",
        include_str!("../assets/vidal/notes/99-conclusion.md"),
    ),
];

const LOGO: &str = include_str!("../assets/vidal/brand/logo.svg");

/// Every non-CSV file of the engagement.
pub fn files(s: &Stats, data: &Dataset) -> Vec<(String, Vec<u8>)> {
    let vars = vars(s, data);
    let mut out = vec![
        (
            "engagement.toml".to_string(),
            ENGAGEMENT.as_bytes().to_vec(),
        ),
        ("objectives.toml".to_string(), objectives().into_bytes()),
        ("plan.toml".to_string(), PLAN.as_bytes().to_vec()),
        ("brand/brand.toml".to_string(), BRAND.as_bytes().to_vec()),
        ("brand/logo.svg".to_string(), LOGO.as_bytes().to_vec()),
    ];
    for (name, template) in NOTES {
        out.push((
            format!("notes/{name}"),
            render(template, &vars).into_bytes(),
        ));
    }
    out
}

const ENGAGEMENT: &str = r#"# Diagnostic commercial de Vidal Équipements SAS, exercice 2025.
# Données arrêtées au 30 septembre 2025 (export ERP et CRM du 2 octobre).

[engagement]
client = "Vidal Équipements SAS"
# One title per report language: `language = "en"` gives the English edition.
title = { fr = "Diagnostic commercial 2025", en = "Sales review 2025" }
consultant = "Claire Martin"
language = "fr"
currency = "EUR"
fiscal_year_start = "2025-01-01"
as_of = "2025-09-30"
growth = "internal"

[settings]                  # valeurs par défaut, explicitées pour le client
dormancy_months = 12
pareto = { a = 0.80, b = 0.95 }
maturity_years = [1, 3]
top_n = 10

[rules]
# Le dirigeant veut être alerté dès qu'un client dépasse 15 % du CA (20 % par défaut).
R4 = { top_client_share = 0.15 }

# Fichiers au format par défaut ; la déclaration des ventes est explicitée pour mémoire.
[data.sales]
file = "data/sales.csv"
delimiter = ","
"#;

fn objectives() -> String {
    let o = &OBJECTIVES;
    let [sa, off, on, pr, ot] = o.leads_by_source;
    let mut t = format!(
        r#"# Objectifs 2025 validés en comité de direction le 14 janvier 2025.

[revenue]
total = {}
conquest = {}
retention = {}
reconquest = {}

[leads]
total = {}
conversion_rate = {}
by_source = {{ sales_action = {sa}, offline = {off}, online = {on}, prescription = {pr}, other = {ot} }}

[clients]
new = {}

[time_allocation]           # clé de répartition cible de l'équipe
preparation = 0.10
visit = {:.2}
reporting = 0.05
admin = 0.10
trade_show = 0.05
meeting = 0.10
other = 0.05

[budget]
marketing_offline = {}
marketing_online = {}
training = {}
"#,
        toml_int(o.total),
        toml_int(o.conquest),
        toml_int(o.retention),
        toml_int(o.reconquest),
        o.leads_total,
        o.conversion_rate,
        o.new_clients,
        o.visit_target,
        toml_int(o.budget_offline),
        toml_int(o.budget_online),
        toml_int(o.budget_training),
    );
    for (i, rep) in REPS.iter().enumerate() {
        t.push_str(&format!(
            "\n[[rep]]\nid = \"{}\"\nname = \"{}\"\nzone = \"{}\"\nrevenue = {}\nconquest = {}\nnew_clients = {}\n",
            rep.id,
            rep.name,
            rep.zone_label,
            toml_int(o.rep_revenue[i]),
            toml_int(o.rep_conquest[i]),
            o.rep_new_clients[i]
        ));
        if rep.id == "SL" {
            t.push_str(&format!(
                "# Secteur étendu (Ain + Loire) : plus de route, donc une part de visite cible plus basse.\n\
                 time_allocation = {{ preparation = 0.10, visit = {:.2}, reporting = 0.06, admin = 0.12, trade_show = 0.05, meeting = 0.10, other = 0.07 }}\n",
                o.sl_visit_target
            ));
        }
    }
    t.push_str(
        r#"
[[qualitative]]
objective = "Signer 5 partenariats de prescription (architectes, bureaux d'études)"
owner = "JD"
status = "done"

[[qualitative]]
objective = "Tenir une réunion Smarketing mensuelle avec l'agence web"
owner = "MB"
status = "in_progress"

[[qualitative]]
objective = "Préparer le renouvellement de l'accord-cadre Rhône Restauration Collective (échéance juin 2026)"
owner = "JD"
status = "planned"

[[qualitative]]
objective = "Ouvrir la commande en ligne aux petits comptes"
owner = "SL"
status = "dropped"
"#,
    );
    t
}

const PLAN: &str = r#"# Plan d'action commerciale 2025, revu le 30 septembre 2025.

[[action]]
id = "A1"
title = "Plan grand compte Rhône Restauration Collective et diversification du portefeuille A"
lever = "key_accounts"
owner = "JD"
start = "2025-02-01"
due = "2025-12-31"
answers = ["R4", "R7"]
kpi = "revenue.retention"
target = 3_200_000
status = "in_progress"

[[action]]
id = "A2"
title = "Campagne de reconquête : 40 anciens clients prioritaires (appel, visite, offre SAV)"
lever = "reconquest_campaign"
owner = "MB"
start = "2025-03-01"
due = "2025-06-30"
answers = ["R6"]
kpi = "clients.reconquered"
target = 20
status = "in_progress"

[[action]]
id = "A3"
title = "Refonte des campagnes SEA et formulaire de qualification des demandes web"
lever = "online_marketing"
owner = "MB"
start = "2025-04-01"
due = "2025-11-30"
answers = ["R3"]
kpi = "leads.by_source.online.conversion_rate"
target = 0.12
status = "in_progress"

[[action]]
id = "A4"
title = "Assistante ADV à mi-temps pour le secteur Ain-Loire"
lever = "sales_admin_support"
owner = "SL"
start = "2025-10-01"
due = "2025-12-31"
answers = ["R8", "R10"]
kpi = "time.by_rep.SL.by_activity.visit.share"
target = 0.50
status = "planned"

[[action]]
id = "A5"
title = "Tournées regroupées et nouvelle clé de répartition du temps de SL"
lever = "time_allocation"
owner = "SL"
start = "2025-05-01"
due = "2025-12-31"
answers = ["R8"]
status = "in_progress"

[[action]]
id = "A6"
title = "Programme prescripteurs : architectes, bureaux d'études, experts-comptables"
lever = "prescription"
owner = "JD"
start = "2025-01-15"
due = "2025-06-30"
answers = ["R1"]
kpi = "leads.by_source.prescription.count"
target = 60
status = "done"

[[action]]
id = "A7"
title = "Fichiers de prospects qualifiés : hôtellerie et restauration de l'Ain et de la Loire"
lever = "prospect_files"
owner = "SL"
start = "2025-03-01"
due = "2025-12-31"
answers = ["R1", "R10"]
kpi = "revenue.conquest"
target = 320_000
status = "in_progress"

[[action]]
id = "A8"
title = "Ouverture du Mâconnais (Saône-et-Loire)"
lever = "new_territory"
owner = "MB"
start = "2025-09-01"
due = "2026-03-31"
answers = ["R4"]
kpi = "clients.new"
target = 80
status = "dropped"
"#;

const BRAND: &str = r##"# Charte de Claire Martin Conseil, déclinée pour la mission Vidal Équipements.
name = "Claire Martin Conseil"
logo = "logo.svg"
colors = { primary = "#1F3A5F", accent = "#D9822B", text = "#1F2933", muted = "#6B7280" }
footer = { fr = "Claire Martin Conseil · Conseil en développement commercial · Lyon · Document confidentiel", en = "Claire Martin Conseil · Sales development consulting · Lyon · Confidential" }
"##;

fn signed_pct(x: f64) -> String {
    let s = pct(x);
    if x >= 0.0 {
        format!("+{s}")
    } else {
        s.replacen('-', "−", 1)
    }
}

/// Figures quoted by the notes.
fn vars(s: &Stats, data: &Dataset) -> BTreeMap<String, String> {
    let o = &OBJECTIVES;
    let mut v: BTreeMap<String, String> = BTreeMap::new();
    let mut put = |k: &str, value: String| {
        v.insert(k.to_string(), value);
    };
    let proj = |c: Cents| (s.projection(c) * 100.0).round() as Cents;
    let ach = |c: Cents, target: i64| pct(s.projection(c) / target as f64);
    let fy1 = |id: &str| -> Cents {
        data.sales
            .iter()
            .filter(|l| l.client_id == id && l.date.year() == 2024)
            .map(|l| l.amount)
            .sum()
    };
    let id_of = |name: &str| -> String {
        data.clients
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.id.clone())
            .expect("named client")
    };
    let name_of = |id: &str| -> String {
        data.clients
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    put("elapsed", pct(s.elapsed_share));
    put("ca", eur(s.total));
    put("ca_prev_to_date", eur(s.previous_to_date));
    put("ca_prev_total", eur(s.previous_total));
    put(
        "growth",
        signed_pct(s.total as f64 / s.previous_to_date as f64 - 1.0),
    );
    put("ca_proj", eur(proj(s.total)));
    put("obj_total", eur(o.total * 100));
    put("total_ach", ach(s.total, o.total));
    for (key, cents, target) in [
        ("conquest", s.conquest, o.conquest),
        ("retention", s.retention, o.retention),
        ("reconquest", s.reconquest, o.reconquest),
    ] {
        put(key, eur(cents));
        put(&format!("{key}_proj"), eur(proj(cents)));
        put(&format!("{key}_ach"), ach(cents, target));
        put(&format!("{key}_share"), pct(cents as f64 / s.total as f64));
        put(&format!("obj_{key}"), eur(target * 100));
    }
    put("top_name", name_of(&s.top_client));
    put("top_revenue", eur(s.top_revenue));
    put(
        "top_share",
        pct(s.top_revenue as f64 / s.positive_total as f64),
    );
    let classified: usize = s.classes.iter().map(|c| c.clients).sum();
    put("a_clients", s.classes[0].clients.to_string());
    put("b_clients", s.classes[1].clients.to_string());
    put("c_clients", s.classes[2].clients.to_string());
    put(
        "a_clients_share",
        pct(s.classes[0].clients as f64 / classified as f64),
    );
    put("active", s.active.to_string());
    put("c_rev_share", pct(s.class_revenue_share(2)));
    put("c_effort_share", pct(s.class_effort_share(2)));
    put("c_effort_hours", (s.classes[2].effort / 4).to_string());
    put("lost_count", s.lost.to_string());
    put("lost_revenue", eur(s.lost_revenue));
    put(
        "lost_share",
        pct(s.lost_revenue as f64 / s.previous_total as f64),
    );
    let brotteaux = fy1(&id_of("Groupe Hôtelier des Brotteaux"));
    let forez = fy1(&id_of("Brasseries du Forez"));
    put("brotteaux_fy1", eur(brotteaux));
    put("forez_fy1", eur(forez));
    put("lost_others", eur(s.lost_revenue - brotteaux - forez));
    put("lost_others_count", (s.lost - 2).to_string());
    put("former_at_start", s.former_at_start.to_string());
    put("former_now", s.former_clients.to_string());
    put("reconquered", s.reconquered.to_string());
    put(
        "reconquest_rate",
        pct(s.reconquered as f64 / s.former_at_start as f64),
    );
    put("new_clients", s.new.to_string());
    put("new_proj", format!("{:.0}", s.new as f64 / s.elapsed_share));
    put("obj_new", o.new_clients.to_string());
    let l = &s.leads;
    put("leads_count", s.leads_total.count.to_string());
    put("leads_won", s.leads_total.won.to_string());
    put("overall_conv", pct(s.leads_total.conversion()));
    for (key, src) in [
        ("online", Source::Online),
        ("offline", Source::Offline),
        ("prescription", Source::Prescription),
        ("sa", Source::SalesAction),
    ] {
        put(&format!("{key}_count"), l[&src].count.to_string());
        put(&format!("{key}_won"), l[&src].won.to_string());
        put(&format!("{key}_conv"), pct(l[&src].conversion()));
        put(
            &format!("{key}_qualified_rate"),
            pct(l[&src].qualified_rate()),
        );
    }
    let cost = |budget: i64, n: usize| eur(budget * 100 / n as i64);
    put(
        "online_cpl",
        cost(o.budget_online, l[&Source::Online].count),
    );
    put("online_cpw", cost(o.budget_online, l[&Source::Online].won));
    put(
        "offline_cpl",
        cost(o.budget_offline, l[&Source::Offline].count),
    );
    put(
        "offline_cpw",
        cost(o.budget_offline, l[&Source::Offline].won),
    );
    put("budget_online", eur(o.budget_online * 100));
    put("budget_offline", eur(o.budget_offline * 100));
    put("budget_training", eur(o.budget_training * 100));
    put(
        "sl_ar",
        pct(s.time_share("SL", &[Kind::Admin, Kind::Reporting])),
    );
    put("sl_admin", pct(s.time_share("SL", &[Kind::Admin])));
    put("sl_reporting", pct(s.time_share("SL", &[Kind::Reporting])));
    put("sl_visit", pct(s.time_share("SL", &[Kind::Visit])));
    put("jd_visit", pct(s.time_share("JD", &[Kind::Visit])));
    put("mb_visit", pct(s.time_share("MB", &[Kind::Visit])));
    let sl_hours: i64 = s.time["SL"].values().sum();
    put("sl_hours", int(sl_hours / 4));
    let sl_admin_h = s.time["SL"].get(&Kind::Admin).copied().unwrap_or(0) / 4;
    put("sl_admin_hours", sl_admin_h.to_string());
    put("sl_admin_days", format!("{:.0}", sl_admin_h as f64 / 7.5));
    for (i, rep) in REPS.iter().enumerate() {
        let r = s.revenue_by_rep.get(rep.id).copied().unwrap_or(0);
        let key = rep.id.to_lowercase();
        put(&format!("{key}_rev"), eur(r));
        put(&format!("{key}_proj"), eur(proj(r)));
        put(&format!("{key}_ach"), ach(r, o.rep_revenue[i]));
        put(&format!("{key}_obj"), eur(o.rep_revenue[i] * 100));
        put(
            &format!("{key}_prev"),
            eur(s.revenue_by_rep_fy1.get(rep.id).copied().unwrap_or(0)),
        );
    }
    v
}
