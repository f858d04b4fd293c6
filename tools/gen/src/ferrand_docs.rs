//! The consultant-written side of the Ferrand example: engagement.toml (declaring the
//! French Excel export through every `[data.*]` option), a subset of objectives, a plan
//! with acquisition targets, and a few notes. No brand: the workspace or built-in one
//! applies.

use std::collections::BTreeMap;

use crate::ferrand::{OBJECTIVES, REPS};
use crate::model::Dataset;
use crate::stats::Stats;
use crate::text::{render, toml_int};

const NOTES: &[(&str, &str)] = &[
    (
        "00-summary.md",
        include_str!("../assets/ferrand/notes/00-summary.md"),
    ),
    (
        "01-objectives.md",
        include_str!("../assets/ferrand/notes/01-objectives.md"),
    ),
    (
        "02-analyse-marche.md",
        include_str!("../assets/ferrand/notes/02-analyse-marche.md"),
    ),
    (
        "03-positioning.md",
        include_str!("../assets/ferrand/notes/03-positioning.md"),
    ),
    (
        "04-organisation.md",
        include_str!("../assets/ferrand/notes/04-organisation.md"),
    ),
    (
        "99-conclusion.md",
        include_str!("../assets/ferrand/notes/99-conclusion.md"),
    ),
];

/// Every non-CSV file of the engagement.
///
/// The notes quote figures with levier placeholders only (`{{ revenue.total }}`): levier
/// fills them in when it builds the report.
pub fn files(_s: &Stats, _data: &Dataset) -> Vec<(String, Vec<u8>)> {
    let vars = BTreeMap::new();
    let mut out = vec![
        (
            "engagement.toml".to_string(),
            ENGAGEMENT.as_bytes().to_vec(),
        ),
        ("objectives.toml".to_string(), objectives().into_bytes()),
        ("plan.toml".to_string(), PLAN.as_bytes().to_vec()),
    ];
    for (name, template) in NOTES {
        out.push((
            format!("notes/{name}"),
            render(template, &vars).into_bytes(),
        ));
    }
    out
}

const ENGAGEMENT: &str = r#"# Groupe Ferrand : diagnostic commercial et croissance externe, exercice 2025-2026.
# Les exports viennent tels quels de l'ERP (Excel, point-virgule, windows-1252).

[engagement]
client = "Groupe Ferrand"
title = { fr = "Diagnostic commercial et croissance externe 2025-2026", en = "Sales review and external growth 2025-2026" }
consultant = "Claire Martin"
currency = "EUR"
fiscal_year_start = "2025-07-01"
as_of = "2026-03-31"
growth = "external"

[settings]
top_n = 15

[data.sales]
file = "data/export-ventes.csv"
delimiter = ";"
decimal = ","
encoding = "windows-1252"
date_format = "%d/%m/%Y"

[data.sales.columns]
date = "Date facture"
invoice = "N° facture"
client_id = "Code client"
rep = "Commercial"
product = "Article"
quantity = "Qté"
amount = "Montant HT"

[data.clients]
file = "data/export-clients.csv"
delimiter = ";"
decimal = ","
encoding = "windows-1252"
date_format = "%d/%m/%Y"

[data.clients.columns]
client_id = "Code client"
name = "Raison sociale"
zone = "Département"
segment = "Type client"
created = "Date création"
prescriber = "Apporteur"
maturity = "Maturité"
rep = "Commercial"

[data.leads]
file = "data/export-affaires.csv"
delimiter = ";"
decimal = ","
encoding = "windows-1252"
date_format = "%d/%m/%Y"

[data.leads.columns]
lead_id = "N° affaire"
date = "Date création"
source = "Origine"
stage = "Étape"
qualified = "Qualifiée"
closed = "Date clôture"
client_id = "Code client"
rep = "Commercial"
value = "Montant estimé"
prescriber = "Prescripteur"
channel = "Canal"

[data.activities]
file = "data/export-activites.csv"
delimiter = ";"
decimal = ","
encoding = "windows-1252"
date_format = "%d/%m/%Y"

[data.activities.columns]
date = "Date"
rep = "Commercial"
activity = "Type d'activité"
hours = "Durée (h)"
target = "Cible"
client_id = "Code client"
"#;

fn objectives() -> String {
    let o = &OBJECTIVES;
    let mut t = format!(
        "# Objectifs de l'exercice 2025-2026 (juillet à juin), fixés par la direction.\n\n\
         [revenue]\ntotal = {}\nretention = {}\nconquest = {}\nreconquest = {}\n\n\
         [leads]\ntotal = {}\n\n[clients]\nnew = {}\n",
        toml_int(o.total),
        toml_int(o.retention),
        toml_int(o.conquest),
        toml_int(o.reconquest),
        o.leads_total,
        o.new_clients
    );
    for (i, (id, name, zone)) in REPS.iter().enumerate() {
        t.push_str(&format!(
            "\n[[rep]]\nid = \"{id}\"\nname = \"{name}\"\nzone = \"{zone}\"\nrevenue = {}\n",
            toml_int(o.rep_revenue[i])
        ));
    }
    t
}

const PLAN: &str = r#"# Plan d'action 2025-2026 : consolider l'existant, préparer une acquisition.

[[action]]
id = "A1"
title = "Plan de fidélisation des 30 premiers comptes (revues annuelles, conditions pluriannuelles)"
lever = "key_accounts"
owner = "AR"
start = "2025-09-01"
due = "2026-06-30"
answers = ["R7"]
kpi = "revenue.retention"
target = 3_050_000
status = "in_progress"

[[action]]
id = "A2"
title = "Partenariats avec les bureaux d'études thermiques (rénovation énergétique)"
lever = "prescription"
owner = "NC"
start = "2025-10-01"
due = "2026-03-31"
answers = ["R1-conquest"]
kpi = "leads.by_source.prescription.count"
target = 20
status = "in_progress"

[[action]]
id = "A3"
title = "Sélection d'une cible d'acquisition et lettre d'intention"
lever = "external_growth"
owner = "AR"
start = "2026-01-15"
due = "2026-09-30"
answers = ["R1-conquest", "R4"]
status = "planned"

# Leviers déjà essayés sans effet : le diagnostic ne les propose plus.
[[tried]]
lever = "online_marketing"
when = "2022-2025"
outcome = "Refonte du site et référencement confiés à une agence : une dizaine de demandes par an."

[[tried]]
lever = "trade_shows"
when = "2023-2024"
outcome = "Deux éditions du salon régional du bâtiment, aucune affaire signée."

[[acquisition]]
name = "Sanitaires Bouchet"
integration = "horizontal"
revenue = 2_100_000
zone = "Allier"
fit = 4
synergy = 4
risk = 2
notes = "Concurrent direct à Montluçon, dirigeant de 64 ans sans successeur. Clientèle d'artisans très proche de la nôtre ; mutualisation du dépôt et de la logistique."

[[acquisition]]
name = "Thermique Durand Distribution"
integration = "horizontal"
revenue = 3_400_000
zone = "Haute-Loire"
fit = 3
synergy = 4
risk = 3
notes = "Deux agences (Le Puy-en-Velay, Brioude). Forte présence en pompes à chaleur ; valorisation exigeante, dette à reprendre."

[[acquisition]]
name = "Cantal Chauffage Services"
integration = "vertical_downstream"
revenue = 1_200_000
zone = "Cantal"
fit = 4
synergy = 3
risk = 2
notes = "Installateur et mainteneur de chaudières (1 800 contrats d'entretien). Débouché captif pour nos ventes d'équipements et de pièces."

[[acquisition]]
name = "Atelier Robinetterie du Forez"
integration = "vertical_upstream"
revenue = 5_800_000
zone = "Loire"
fit = 2
synergy = 3
risk = 4
notes = "Fabricant de robinetterie industrielle. Marges d'achat améliorées, mais métier différent et taille supérieure à la nôtre."

[[acquisition]]
name = "Comptoir Arverne du Chauffage"
integration = "horizontal"
revenue = 1_600_000
zone = "Puy-de-Dôme"
fit = 5
synergy = 3
risk = 3
notes = "Comptoir de Riom, clientèle de chauffagistes ; recouvrement partiel avec notre zone, risque de départ des deux commerciaux."
"#;
