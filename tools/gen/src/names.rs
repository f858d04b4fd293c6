//! Pools of French names for realistic business names.
//!
//! Names are assembled from patterns per business type; duplicates get the town
//! appended, as a real client file would disambiguate them.

use std::collections::BTreeSet;

use crate::rng::Rng;

#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Fontaine", "Chevalier", "Robin", "Masson", "Gérard", "Nguyen", "Boyer",
    "Denis", "Lemaire", "Duval", "Joly", "Roche", "Meunier", "Marchand", "Dufour",
    "Blanchard", "Barbier", "Brun", "Brunet", "Colin", "Renard", "Arnaud", "Rolland",
    "Caron", "Aubert", "Giraud", "Leclerc", "Bourgeois", "Renaud", "Picard", "Gaillard",
    "Chabert", "Berthier", "Bouvier", "Jacquet", "Collet", "Rey", "Guillot", "Chapuis",
    "Favre", "Buisson", "Pellet", "Magnin", "Brunel", "Vial", "Chambon", "Tissot", "Gonnet",
    "Charvet", "Dumoulin", "Servajean", "Bourdin", "Jacquemet", "Perrier", "Chatelain",
    "Besson", "Ravier", "Bonnard", "Thévenet", "Mazuir", "Ducret", "Royer",
];

#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "Jean", "Pierre", "Marie", "Sophie", "Nathalie", "Isabelle", "Philippe", "Christophe",
    "Thierry", "Laurent", "Céline", "Sandrine", "Julien", "Nicolas", "Aurélie", "Camille",
    "Lucas", "Léa", "Hugo", "Manon", "Antoine", "Émilie", "Mathieu", "Claire", "Olivier",
    "Stéphane", "Valérie", "Karim", "Mehdi", "Yasmine", "Paolo", "Giulia", "Loïc", "Inès",
];

#[rustfmt::skip]
const RESTO_NOUNS: &[&str] = &[
    "Le Comptoir", "La Table", "Le Bouchon", "L'Assiette", "Le Petit Zinc", "La Cantine",
    "Le Bistrot", "L'Auberge", "La Brasserie", "Le Relais", "La Terrasse", "Le Carré",
    "La Fourchette", "Le Passage", "La Guinguette", "L'Atelier", "La Marmite",
    "Le Fil Rouge", "Le Square", "La Source", "Le Clos", "La Grange",
];

#[rustfmt::skip]
const RESTO_QUALS: &[&str] = &[
    "du Marché", "des Canuts", "de la Croix-Rousse", "des Terreaux", "du Vieux Quartier",
    "de la Place", "des Halles", "du Port", "Saint-Jean", "de la Gare", "des Pentes",
    "du Parc", "des Sports", "du Centre", "des Arts", "de Fourvière", "du Lac",
    "des Remparts", "de l'Horloge", "du Pont", "des Vignes", "de la Fontaine",
];

#[rustfmt::skip]
const HOTEL_QUALS: &[&str] = &[
    "du Parc", "des Voyageurs", "de la Gare", "du Commerce", "de France", "Le Central",
    "Les Tilleuls", "du Lac", "des Alpes", "de la Poste", "du Midi", "Bellevue",
    "Le Dauphin", "de l'Europe", "Les Platanes", "du Golf",
];

#[rustfmt::skip]
const PEOPLE: &[&str] = &[
    "Jean Moulin", "Victor Hugo", "Jules Ferry", "Louis Pasteur", "Marie Curie",
    "Jean Jaurès", "Simone Veil", "Albert Camus", "Ampère", "Saint-Exupéry",
    "Jacques Prévert", "Paul Éluard", "Condorcet", "Lumière", "Louise Michel",
];

#[rustfmt::skip]
const EHPAD: &[&str] = &[
    "Les Glycines", "Le Bon Repos", "La Roseraie", "Les Mimosas", "Les Hortensias",
    "Le Clos Fleuri", "Les Charmilles", "La Chênaie", "Les Magnolias",
];

#[rustfmt::skip]
const PIZZA: &[&str] = &[
    "Da Marco", "Bella Napoli", "Il Forno", "La Dolce Vita", "Da Enzo", "Mamma Rosa",
    "Vesuvio", "San Remo", "Don Camillo", "Portofino",
];

#[rustfmt::skip]
const REGIONS: &[&str] = &[
    "de la Dombes", "du Beaujolais", "du Forez", "des Monts d'Or", "du Bugey", "du Pilat",
    "du Dauphiné", "de Bresse", "du Vercors", "du Roannais",
];

/// A catering-trade business name for `segment` (Vidal's segments) in `town`.
pub fn catering(segment: usize, town: &str, rng: &mut Rng) -> String {
    match segment {
        // Restauration traditionnelle
        0 => match rng.below(6) {
            0 | 1 => format!("{} {}", rng.pick(RESTO_NOUNS), rng.pick(RESTO_QUALS)),
            2 => format!("Chez {}", rng.pick(FIRST_NAMES)),
            3 => format!("Restaurant {}", rng.pick(SURNAMES)),
            4 => format!("Brasserie {}", rng.pick(SURNAMES)),
            _ => format!("{} de {}", rng.pick(RESTO_NOUNS), town),
        },
        // Hôtellerie
        1 => match rng.below(4) {
            0 | 1 => format!("Hôtel {}", rng.pick(HOTEL_QUALS)),
            2 => format!("Hôtel-Restaurant {}", rng.pick(SURNAMES)),
            _ => format!("Domaine {}", rng.pick(REGIONS)),
        },
        // Collectivités
        2 => match rng.below(7) {
            0 => format!("Collège {}", rng.pick(PEOPLE)),
            1 => format!("Lycée {}", rng.pick(PEOPLE)),
            2 | 3 => format!("EHPAD {}", rng.pick(EHPAD)),
            4 => format!("Restaurant scolaire de {town}"),
            5 => format!("Clinique {}", rng.pick(HOTEL_QUALS)),
            _ => format!("Restaurant d'entreprise {} Industries", rng.pick(SURNAMES)),
        },
        // Boulangerie-pâtisserie
        3 => match rng.below(6) {
            0 | 1 => format!("Boulangerie {}", rng.pick(SURNAMES)),
            2 => format!("Maison {}", rng.pick(SURNAMES)),
            3 => format!("Au Fournil de {town}"),
            4 => format!("Pâtisserie {}", rng.pick(SURNAMES)),
            _ => format!("Le Pain de {}", rng.pick(FIRST_NAMES)),
        },
        // Traiteurs
        4 => match rng.below(4) {
            0 => format!("Traiteur {}", rng.pick(SURNAMES)),
            1 => format!("{} Réceptions", rng.pick(SURNAMES)),
            2 => format!("Saveurs {}", rng.pick(REGIONS)),
            _ => format!("{} Traiteur Événements", rng.pick(SURNAMES)),
        },
        // Restauration rapide
        _ => match rng.below(5) {
            0 | 1 => format!("Pizzeria {}", rng.pick(PIZZA)),
            2 => format!("Crêperie {}", rng.pick(RESTO_QUALS)),
            3 => format!("Snack {}", rng.pick(RESTO_QUALS)),
            _ => format!(
                "{} Burger",
                rng.pick(&["Street", "Smash", "Gone", "Family", "Corner", "Urban"])
            ),
        },
    }
}

#[rustfmt::skip]
const TRADE_QUALS: &[&str] = &[
    "Auvergnate", "Arverne", "du Livradois", "des Combrailles", "du Sancy", "des Volcans",
    "du Val d'Allier", "de la Limagne", "du Velay", "de la Margeride",
];

#[rustfmt::skip]
pub const AUVERGNE_SURNAMES: &[&str] = &[
    "Chabrol", "Vialle", "Bonnefoy", "Chassagne", "Fournier", "Montel", "Bouchet", "Pradel",
    "Vigier", "Boyer", "Delmas", "Roche", "Teyssier", "Mathieu", "Vernet", "Cros", "Fabre",
    "Rouchon", "Chauvet", "Bardin", "Lafont", "Courtial", "Malet", "Tixier", "Pouzadoux",
    "Soulier", "Bompard", "Chabanne", "Gidon", "Vacher", "Jouve", "Faucher", "Brugière",
    "Gaillard", "Rougier", "Mazet", "Pagès", "Besse", "Chaput", "Daurat", "Estival",
];

/// A building-trade business name (Ferrand's client types) in `town`.
pub fn building(segment: usize, town: &str, rng: &mut Rng) -> String {
    let n = *rng.pick(AUVERGNE_SURNAMES);
    match segment {
        // Artisan plombier
        0 => match rng.below(5) {
            0 => format!("{n} Plomberie"),
            1 => format!("SARL {n} et Fils"),
            2 => format!("Plomberie {}", rng.pick(TRADE_QUALS)),
            3 => format!("EURL {n} Sanitaire"),
            _ => format!("Ets {n}"),
        },
        // Chauffagiste
        1 => match rng.below(4) {
            0 => format!("{n} Chauffage"),
            1 => format!("{n} Thermique"),
            2 => format!("{n} Énergies"),
            _ => format!("Chauffage {}", rng.pick(TRADE_QUALS)),
        },
        // Entreprise générale
        2 => match rng.below(3) {
            0 => format!("Entreprise {n} Bâtiment"),
            1 => format!("{n} Rénovation"),
            _ => format!("BTP {}", rng.pick(TRADE_QUALS)),
        },
        // Collectivité
        3 => match rng.below(2) {
            0 => format!("Commune de {town}"),
            _ => format!("Services techniques de {town}"),
        },
        // Bailleur / syndic
        _ => match rng.below(3) {
            0 => format!("Habitat {}", rng.pick(TRADE_QUALS)),
            1 => format!("Syndic {n} Immobilier"),
            _ => format!("Régie {n}"),
        },
    }
}

/// A name from `make` not yet in `used` (a few draws, then the town is appended, then a
/// number), recorded in `used`.
pub fn unique(
    mut make: impl FnMut(&mut Rng) -> String,
    town: &str,
    used: &mut BTreeSet<String>,
    rng: &mut Rng,
) -> String {
    let mut name = make(rng);
    for _ in 0..40 {
        if !used.contains(&name) {
            break;
        }
        name = make(rng);
    }
    let mut candidate = name.clone();
    if used.contains(&candidate) && !name.contains(town) {
        candidate = format!("{name} ({town})");
    }
    let mut k = 2;
    while used.contains(&candidate) {
        candidate = format!("{name} {k}");
        k += 1;
    }
    used.insert(candidate.clone());
    candidate
}
