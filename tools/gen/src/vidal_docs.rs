//! The consultant-written side of the Vidal example: engagement.toml, objectives.toml,
//! plan.toml, the notes and the engagement's brand.
//!
//! Notes are Markdown templates (`assets/vidal/notes`) whose `{{placeholders}}` are
//! filled with figures computed from the generated data, so the prose always matches
//! the tables of the report.

use std::collections::BTreeMap;

use chrono::Datelike;

use crate::model::{Cents, Dataset, Source};
use crate::stats::Stats;
use crate::text::{eur, pct, render, toml_int};
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
answers = ["R4-top_client", "R7"]
kpi = "revenue.retention"
target = 3_300_000
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
answers = ["R8-SL-admin", "R10-SL"]
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
answers = ["R8-SL"]
status = "in_progress"

[[action]]
id = "A6"
title = "Programme prescripteurs : architectes, bureaux d'études, experts-comptables"
lever = "prescription"
owner = "JD"
start = "2025-01-15"
due = "2025-06-30"
answers = ["R1-conquest"]
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
answers = ["R1-conquest", "R10-SL"]
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

/// Facts the notes quote that are not figures of metrics.json: names, budgets, a lost
/// client's revenue, costs per deal won. Every computed figure is a levier placeholder
/// in the note itself (`{{ revenue.total }}`), filled in when levier builds the report.
fn vars(s: &Stats, data: &Dataset) -> BTreeMap<String, String> {
    let o = &OBJECTIVES;
    let mut v: BTreeMap<String, String> = BTreeMap::new();
    let mut put = |k: &str, value: String| {
        v.insert(k.to_string(), value);
    };
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
    put("top_name", name_of(&s.top_client));
    put(
        "top_share",
        pct(s.top_revenue as f64 / s.positive_total as f64),
    );
    put(
        "brotteaux_fy1",
        eur(fy1(&id_of("Groupe Hôtelier des Brotteaux"))),
    );
    put("forez_fy1", eur(fy1(&id_of("Brasseries du Forez"))));
    let l = &s.leads;
    let cost = |budget: i64, n: usize| eur(budget * 100 / n as i64);
    put("online_cpw", cost(o.budget_online, l[&Source::Online].won));
    put(
        "offline_cpw",
        cost(o.budget_offline, l[&Source::Offline].won),
    );
    put("budget_online", eur(o.budget_online * 100));
    put("budget_offline", eur(o.budget_offline * 100));
    put("budget_training", eur(o.budget_training * 100));
    put(
        "sl_prev",
        eur(s.revenue_by_rep_fy1.get("SL").copied().unwrap_or(0)),
    );
    v
}
