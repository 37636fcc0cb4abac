//! French names for the sample city: streets, footpaths, polling places, quarters, cadastre
//! sections, people and candidates. All fictional people; streets honour the usual figures.

use super::Rng;

/// People French streets are named after (written as on street signs, with hyphens).
const PEOPLE: &[&str] = &[
    "Victor-Hugo",
    "Émile-Zola",
    "Jules-Ferry",
    "Voltaire",
    "Molière",
    "Jean-Moulin",
    "Louise-Michel",
    "Marie-Curie",
    "George-Sand",
    "Charles-Péguy",
    "Paul-Verlaine",
    "Anatole-France",
    "Alphonse-Daudet",
    "Jean-de-La-Fontaine",
    "Édith-Piaf",
    "Simone-Veil",
    "Gustave-Eiffel",
    "Louis-Blériot",
    "Clément-Ader",
    "Jacques-Prévert",
    "Georges-Brassens",
    "Albert-Camus",
    "Antoine-de-Saint-Exupéry",
    "Frédéric-Chopin",
    "Hector-Berlioz",
    "Claude-Debussy",
    "Maurice-Ravel",
    "Camille-Claudel",
    "Auguste-Renoir",
    "Claude-Monet",
    "Paul-Cézanne",
    "Henri-Matisse",
    "Blaise-Pascal",
    "René-Descartes",
    "Denis-Diderot",
    "Jean-Jacques-Rousseau",
    "Montesquieu",
    "Condorcet",
    "Lavoisier",
    "André-Ampère",
    "François-Arago",
    "Jean-Mermoz",
    "Roland-Garros",
    "Pierre-Brossolette",
    "Lucie-Aubrac",
    "Danielle-Casanova",
    "Gabriel-Péri",
    "Guy-Môquet",
    "Colonel-Fabien",
    "Maréchal-Leclerc",
    "Jean-Zay",
    "Robert-Schuman",
    "Jean-Monnet",
    "Pierre-Mendès-France",
    "Léon-Blum",
    "Jules-Verne",
    "Honoré-de-Balzac",
    "Gustave-Flaubert",
    "Guy-de-Maupassant",
    "Stendhal",
    "Alfred-de-Musset",
    "Arthur-Rimbaud",
    "Charles-Baudelaire",
    "Paul-Éluard",
    "Louis-Aragon",
    "Marcel-Pagnol",
    "Jean-Giono",
    "Colette",
    "Marguerite-Duras",
    "Olympe-de-Gouges",
    "Jeanne-d'Arc",
    "Bertrand-du-Guesclin",
    "Joseph-Kessel",
    "Jean-Racine",
    "Pierre-Corneille",
    "François-Rabelais",
    "Pierre-de-Ronsard",
    "Joachim-du-Bellay",
    "Henri-Barbusse",
    "Romain-Rolland",
    "Roger-Salengro",
    "Jean-Baptiste-Clément",
    "Paul-Langevin",
    "Frédéric-Joliot-Curie",
    "Irène-Joliot-Curie",
    "Louis-Pergaud",
    "Alain-Fournier",
    "Maurice-Genevoix",
    "Max-Jacob",
    "Charles-de-Foucauld",
    "Abbé-Pierre",
    "Sœur-Thérèse",
    "Gérard-Philipe",
    "Jean-Gabin",
    "Bourvil",
    "Fernandel",
    "Louis-Lumière",
    "Georges-Méliès",
    "Nicéphore-Niépce",
    "Louis-Braille",
    "Louis-Pasteur-Vallery-Radot",
    "Ambroise-Paré",
    "Claude-Bernard",
    "Xavier-Bichat",
    "René-Laennec",
    "Alexandre-Dumas",
    "Eugène-Delacroix",
    "Théodore-Géricault",
    "Jean-François-Millet",
    "Gustave-Courbet",
    "Camille-Pissarro",
    "Alfred-Sisley",
    "Berthe-Morisot",
    "Édouard-Manet",
    "Edgar-Degas",
    "Henri-Rousseau",
    "Aristide-Maillol",
    "Auguste-Rodin",
    "Hélène-Boucher",
    "Adrienne-Bolland",
    "Geneviève-de-Gaulle",
    "Germaine-Tillion",
    "Joséphine-Baker",
    "Gisèle-Halimi",
    "Marie-Marvingt",
    "Rosa-Bonheur",
    "Sarah-Bernhardt",
    "Eugénie-Cotton",
    "Pauline-Kergomard",
    "Madeleine-Brès",
    "Jacqueline-Auriol",
    "Françoise-Dolto",
    "Nelson-Mandela",
    "Martin-Luther-King",
];

/// Places, trees, flowers, birds, trades and dates.
const PLACES: &[&str] = &[
    "de l'Église",
    "de la Mairie",
    "de la Gare",
    "du Moulin",
    "des Tilleuls",
    "des Acacias",
    "des Lilas",
    "des Glycines",
    "du Stade",
    "des Écoles",
    "de la Poste",
    "du Château",
    "des Vignes",
    "des Prés",
    "de l'Étang",
    "de la Fontaine",
    "du Lavoir",
    "des Peupliers",
    "des Saules",
    "des Chênes",
    "des Érables",
    "des Marronniers",
    "des Platanes",
    "des Bleuets",
    "des Coquelicots",
    "des Jonquilles",
    "des Primevères",
    "des Violettes",
    "des Mésanges",
    "des Alouettes",
    "des Hirondelles",
    "du Pressoir",
    "de la Forge",
    "des Jardins",
    "des Vergers",
    "du Parc",
    "des Sources",
    "de la Croix-Blanche",
    "du Calvaire",
    "des Rosiers",
    "des Noyers",
    "des Cerisiers",
    "des Pommiers",
    "du Colombier",
    "de la Ferme",
    "des Champs",
    "des Blés",
    "de la Beauce",
    "du Bois",
    "de la Garenne",
    "des Sablons",
    "des Carrières",
    "de la Tuilerie",
    "de la Briqueterie",
    "du 8-Mai-1945",
    "du 14-Juillet",
    "de la Paix",
    "de la République",
    "des Fusillés",
    "de la Résistance",
    "des Déportés",
    "du Souvenir",
    "des Anciens-Combattants",
    "de l'Abreuvoir",
    "du Four-à-Pain",
    "de la Grange-aux-Dîmes",
    "du Prieuré",
    "de l'Abbaye",
    "des Moines",
    "du Presbytère",
    "de la Cure",
    "des Chanoines",
    "du Cloître",
    "de la Chapelle",
    "Saint-Martin",
    "Saint-Aubin",
    "Saint-Roch",
    "Saint-Éloi",
    "Sainte-Anne",
    "Saint-Vincent",
    "Notre-Dame",
    "des Tanneurs-Vieux",
    "des Tisserands",
    "des Charrons",
    "des Maréchaux",
    "des Bouchers",
    "des Boulangers",
    "du Four",
    "de la Halle-aux-Grains",
    "du Marché-aux-Bestiaux",
    "des Foires",
    "du Champ-de-Foire",
    "de la Butte",
    "des Hauts-Champs",
    "du Val",
    "de la Vallée",
    "du Coteau",
    "des Côtes",
    "de la Mare",
    "des Mares",
    "du Gué",
    "du Pont-Vieux",
    "de la Rivière",
    "des Roseaux",
    "des Joncs",
    "des Iris",
    "des Nénuphars",
    "des Libellules",
    "des Grives",
    "des Fauvettes",
    "des Rossignols",
    "des Merles",
    "des Pinsons",
    "des Bouvreuils",
    "des Chardonnerets",
    "des Loriots",
    "des Tourterelles",
    "des Écureuils",
    "des Genêts",
    "des Bruyères",
    "des Fougères",
    "des Aubépines",
    "des Églantines",
    "des Sureaux",
    "des Noisetiers",
    "des Charmes",
    "des Frênes",
    "des Bouleaux",
    "des Aulnes",
    "des Ormes",
    "des Hêtres",
    "des Cèdres",
    "des Pins",
    "des Sapins",
    "des Mélèzes",
    "des Magnolias",
    "des Camélias",
    "des Hortensias",
    "des Capucines",
    "des Pervenches",
    "des Myosotis",
    "des Pâquerettes",
    "des Marguerites",
    "des Tulipes",
    "des Œillets",
    "des Dahlias",
    "des Pivoines",
    "des Mimosas",
    "des Lavandes",
    "des Romarins",
    "du Muguet",
    "de la Croix-Verte",
    "de la Croix-Rouge",
    "du Clos-Fleuri",
    "du Clos-Joli",
    "du Clos-Saint-Pierre",
    "de Bel-Air",
    "de Beauséjour",
    "de Bellevue",
    "du Petit-Bois",
    "du Grand-Jardin",
    "des Longues-Raies",
    "des Terres-Blanches",
    "des Grouais",
    "de la Chesnaie",
    "de la Cerisaie",
    "de la Pépinière",
    "de la Sablière",
    "du Puits",
    "du Puits-Salé",
    "de la Citerne",
    "du Château-d'Eau",
    "de l'Ancienne-Gare",
    "du Tramway",
    "des Cheminots",
    "de la Distillerie",
    "de la Sucrerie",
    "de la Laiterie",
    "de la Scierie",
    "des Meuniers",
    "des Vignerons",
    "des Laboureurs",
    "des Moissonneurs",
    "des Bergers",
    "de la Bergerie",
    "des Haras",
    "des Écuries",
    "du Manège",
    "des Sports",
    "du Gymnase",
    "de la Piscine",
    "du Collège",
    "du Lycée",
    "de la Crèche",
];

/// Names for footpaths.
const FOOT_STEMS: &[&str] = &[
    "des Écoliers",
    "du Lavoir-Neuf",
    "des Amoureux",
    "des Jardins-Ouvriers",
    "du Ruisseau",
    "des Haies",
    "des Potagers",
    "du Verger-Communal",
    "des Buissons",
    "de la Sente-aux-Loups",
    "des Clôtures",
    "du Vieux-Mur",
    "des Murets",
    "des Tonnelles",
    "de la Charmille",
    "du Petit-Pont",
    "des Brebis",
    "des Chèvres",
    "de la Promenade",
    "du Rempart",
    "des Glaneuses",
    "du Cimetière",
];

/// Street kinds picked by distance from the centre (r in town half-widths) and length.
pub(crate) struct StreetNamer {
    people: Vec<&'static str>,
    places: Vec<&'static str>,
    foot: Vec<&'static str>,
}

fn stem_reserved(stem: &str, reserved: &[&str]) -> bool {
    reserved.iter().any(|r| {
        let r = r
            .trim_start_matches("de la ")
            .trim_start_matches("du ")
            .trim_start_matches("des ");
        stem.contains(r)
    })
}

impl StreetNamer {
    pub(crate) fn new(seed: u64, reserved: &[&str]) -> Self {
        let mut rng = Rng::derived(seed, 100);
        let mut people: Vec<&'static str> = PEOPLE
            .iter()
            .copied()
            .filter(|s| !stem_reserved(s, reserved))
            .collect();
        let mut places: Vec<&'static str> = PLACES
            .iter()
            .copied()
            .filter(|s| !stem_reserved(s, reserved))
            .collect();
        let mut foot: Vec<&'static str> = FOOT_STEMS.to_vec();
        rng.shuffle(&mut people);
        rng.shuffle(&mut places);
        rng.shuffle(&mut foot);
        StreetNamer {
            people,
            places,
            foot,
        }
    }

    /// A new, unique street name.
    pub(crate) fn next(&mut self, rng: &mut Rng, r: f64, blocks: usize, impasse: bool) -> String {
        let kind = if impasse {
            "Impasse"
        } else {
            let x = rng.unit();
            match () {
                _ if r > 0.75 && x < 0.35 => "Chemin",
                _ if r > 0.5 && x < 0.12 => "Allée",
                _ if blocks >= 5 && x < 0.1 => "Avenue",
                _ if r < 0.35 && x < 0.06 => "Place",
                _ if x < 0.05 => "Allée",
                _ => "Rue",
            }
        };
        let use_person = !self.people.is_empty() && (self.places.is_empty() || rng.chance(0.45));
        let stem = if use_person {
            self.people.pop()
        } else {
            self.places.pop()
        };
        match stem {
            Some(s) if use_person => format!("{kind} {s}"),
            Some(s) => format!("{kind} {s}"),
            None => format!("{kind} du Lotissement n°{}", rng.below(1000)),
        }
    }

    pub(crate) fn footpath(&mut self, rng: &mut Rng) -> String {
        let kind = *rng.pick(&["Sentier", "Venelle", "Passage", "Allée piétonne"]);
        match self.foot.pop() {
            Some(s) => format!("{kind} {s}"),
            None => format!("{kind} {}", self.places.pop().unwrap_or("du Bout-du-Monde")),
        }
    }
}

/// Polling places, one name per precinct (sorted from the centre outwards); nearby precincts share
/// a building, as "École Jules-Ferry, salle 1" and "..., salle 2".
pub(crate) fn polling_places(rng: &mut Rng, centroids_local_m: &[[f64; 2]]) -> Vec<String> {
    let mut venues: Vec<&str> = vec![
        "Groupe scolaire Louise-Michel",
        "École élémentaire Jean-Jaurès",
        "École maternelle Les Coquelicots",
        "Gymnase Pierre-de-Coubertin",
        "Salle des fêtes de l'Étang",
        "Maison des associations",
        "École élémentaire Jules-Ferry",
        "Centre socioculturel Émile-Zola",
        "Collège Hélène-Boucher",
        "École maternelle Les Mésanges",
        "Salle polyvalente des Prés",
        "Foyer des anciens du Moulin",
        "École primaire Marie-Curie",
        "Dojo municipal",
        "Maison de quartier de Bel-Air",
        "École élémentaire Charles-Péguy",
        "Salle Jeanne-d'Arc",
        "Médiathèque Gérard-Philipe",
        "École maternelle Les Hirondelles",
        "Halle des sports Roland-Garros",
        "Salle du Colombier",
        "Espace Molière",
        "École élémentaire Paul-Éluard",
        "Maison de quartier de la Croix-Blanche",
        "Salle des Sablons",
        "École primaire du Val",
        "Préau de l'école des Grouais",
        "Salle paroissiale Saint-Aubin",
        "Ancienne école de la Chesnaie",
        "Salle du Château-d'Eau",
        "Maison des jeunes et de la culture",
    ];
    rng.shuffle(&mut venues[..]);
    let mut out: Vec<String> = Vec::with_capacity(centroids_local_m.len());
    let mut shared_with_previous = false;
    let mut venue_k = 0;
    for (n, c) in centroids_local_m.iter().enumerate() {
        if n == 0 {
            out.push("Hôtel de Ville, salle du Conseil".to_string());
            continue;
        }
        if n == 1 {
            out.push("Hôtel de Ville, salle des Mariages".to_string());
            continue;
        }
        let prev = centroids_local_m[n - 1];
        let near = ((c[0] - prev[0]).powi(2) + (c[1] - prev[1]).powi(2)).sqrt() < 1100.0;
        if n > 2 && !shared_with_previous && near && rng.chance(0.45) {
            let last = out.pop().unwrap();
            out.push(format!("{last}, salle 1"));
            out.push(format!("{last}, salle 2"));
            shared_with_previous = true;
            continue;
        }
        shared_with_previous = false;
        out.push(
            venues
                .get(venue_k)
                .map_or_else(|| format!("Salle municipale n° {n}"), |v| v.to_string()),
        );
        venue_k += 1;
    }
    out
}

/// Quarter name from the position relative to the centre (metres).
pub(crate) fn quartier(local_m: [f64; 2]) -> String {
    let [x, y] = local_m;
    let r = (x * x + y * y).sqrt();
    // Sector from the signs and ratio of x and y (no trigonometry).
    let sector8 = {
        let (ax, ay) = (x.abs(), y.abs());
        let diagonal = ay > 0.414 * ax && ax > 0.414 * ay;
        match (x >= 0.0, y >= 0.0, diagonal, ax > ay) {
            (_, true, false, false) => 0,  // north
            (true, true, true, _) => 1,    // north-east
            (true, _, false, true) => 2,   // east
            (true, false, true, _) => 3,   // south-east
            (_, false, false, false) => 4, // south
            (false, false, true, _) => 5,  // south-west
            (false, _, false, true) => 6,  // west
            (false, true, true, _) => 7,   // north-west
        }
    };
    let name = if r < 450.0 {
        "Centre-ville"
    } else if r < 1150.0 {
        [
            "Faubourg Saint-Jean",
            "Quartier de la Gare",
            "Quartier de la Gare",
            "Les Écoles",
            "Les Écoles",
            "Le Château",
            "Le Château",
            "Faubourg Saint-Jean",
        ][sector8]
    } else {
        [
            "La Croix-Blanche",
            "Bel-Air",
            "Les Tilleuls",
            "Les Sablons",
            "La Vallée",
            "Les Prés",
            "Le Moulin",
            "Les Hauts de l'Étang",
        ][sector8]
    };
    name.to_string()
}

/// Two-letter cadastre section.
pub(crate) fn cadastre_section(a: usize, b: usize) -> String {
    format!(
        "{}{}",
        (b'A' + (a % 26) as u8) as char,
        (b'A' + ((b + 7) % 26) as u8) as char
    )
}

pub(crate) const FIRST_NAMES_F: &[&str] = &[
    "Amélie",
    "Léa",
    "Hélène",
    "Chloé",
    "Gaëlle",
    "Zoé",
    "Éloïse",
    "Inès",
    "Maëlle",
    "Célia",
    "Noémie",
    "Clémence",
    "Agnès",
    "Béatrice",
    "Françoise",
    "Josiane",
    "Solène",
    "Anaïs",
    "Océane",
    "Mélanie",
    "Sylvie",
    "Nathalie",
    "Fatima",
    "Yasmine",
    "Aïcha",
    "Émilie",
    "Léonie",
    "Margaux",
    "Séverine",
    "Thérèse",
];
pub(crate) const FIRST_NAMES_M: &[&str] = &[
    "Jérôme",
    "François",
    "Clément",
    "Benoît",
    "Noé",
    "Théo",
    "Loïc",
    "Hervé",
    "Gérard",
    "Raphaël",
    "Mathéo",
    "Stéphane",
    "Frédéric",
    "Joël",
    "Aurélien",
    "Cédric",
    "Rémi",
    "André",
    "José",
    "Karim",
    "Mehdi",
    "Yanis",
    "Timothée",
    "Valentin",
    "Bruno",
    "Pascal",
    "Gaël",
    "Anthony",
    "Jean-Noël",
    "Léo",
];
pub(crate) const SURNAMES: &[&str] = &[
    "Lefèvre",
    "Gérard",
    "Bézier",
    "Lemaître",
    "Crépin",
    "Dupré",
    "Thévenin",
    "Chénier",
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Garnier",
    "Chevalier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Hénault",
    "Bréval",
    "Lécuyer",
    "Péron",
    "Desprès",
    "Vallée",
    "Benali",
    "Nguyen",
    "Da Silva",
    "Ferreira",
    "Haddad",
    "Kaya",
    "Leroy",
    "Renaud",
    "Perrin",
    "Brunet",
    "Lopez",
    "Marchand",
    "Rivière",
    "Boucher",
    "Mercier",
    "Gauthier",
    "Poirier",
    "Aubry",
    "Chauvin",
    "Boulanger",
    "Lebrun",
    "Barbier",
    "Morel",
    "Hamel",
];
