//! Header vocabulary: the Porte fields a column can hold, the header names (French and English)
//! that announce each, and the folding that makes "NB_INSCR", "Nombre d'inscrits" and "inscrits"
//! compare equal.

/// What a column holds, as the manual mapping names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Field {
    Key,
    Election,
    Office,
    District,
    Year,
    Round,
    Registered,
    Voters,
    Abstentions,
    Blank,
    Null,
    Valid,
    Candidate,
    FirstName,
    Party,
    Votes,
    Ignore,
}

impl Field {
    /// The field a mapping names ("registered", "firstname"...), case- and accent-insensitive.
    pub(super) fn parse(s: &str) -> Option<Field> {
        Some(match fold(s).as_str() {
            "key" | "precinct" => Field::Key,
            "election" => Field::Election,
            "office" => Field::Office,
            "district" => Field::District,
            "year" => Field::Year,
            "round" => Field::Round,
            "registered" => Field::Registered,
            "voters" => Field::Voters,
            "abstentions" => Field::Abstentions,
            "blank" => Field::Blank,
            "null" => Field::Null,
            "valid" => Field::Valid,
            "candidate" => Field::Candidate,
            "firstname" | "first_name" => Field::FirstName,
            "party" => Field::Party,
            "votes" => Field::Votes,
            "ignore" => Field::Ignore,
            _ => return None,
        })
    }
    pub(super) fn name(self) -> &'static str {
        match self {
            Field::Key => "key",
            Field::Election => "election",
            Field::Office => "office",
            Field::District => "district",
            Field::Year => "year",
            Field::Round => "round",
            Field::Registered => "registered",
            Field::Voters => "voters",
            Field::Abstentions => "abstentions",
            Field::Blank => "blank",
            Field::Null => "null",
            Field::Valid => "valid",
            Field::Candidate => "candidate",
            Field::FirstName => "firstname",
            Field::Party => "party",
            Field::Votes => "votes",
            Field::Ignore => "ignore",
        }
    }
    /// Registered, voters, abstentions, blank, null or valid.
    pub(super) fn is_turnout(self) -> bool {
        matches!(
            self,
            Field::Registered
                | Field::Voters
                | Field::Abstentions
                | Field::Blank
                | Field::Null
                | Field::Valid
        )
    }
}

/// Recognised header names (accent-folded, lower-case, filler words removed), best first.
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Registered,
        &[
            "inscrits",
            "inscrit",
            "inscr",
            "registered",
            "registered_voters",
            "voters_registered",
            "reg_voters",
            "registration",
            "registrations",
            "electeurs_inscrits",
        ],
    ),
    (
        Field::Voters,
        &[
            "votants",
            "votant",
            "voters",
            "ballots_cast",
            "ballots",
            "turnout",
            "ballots_counted",
            "votes_cast",
        ],
    ),
    (
        Field::Abstentions,
        &[
            "abstentions",
            "abstention",
            "abst",
            "abs",
            "abstentionnistes",
        ],
    ),
    (
        Field::Blank,
        &[
            "blancs",
            "blanc",
            "bl",
            "blank",
            "blanks",
            "blank_votes",
            "bulletins_blancs",
            "votes_blancs",
        ],
    ),
    (
        Field::Null,
        &[
            "nuls",
            "nul",
            "null",
            "nulls",
            "null_votes",
            "invalid",
            "invalid_votes",
            "spoiled",
            "spoilt",
            "rejected",
            "rejected_ballots",
            "bulletins_nuls",
            "votes_nuls",
        ],
    ),
    (
        Field::Valid,
        &[
            "exprimes",
            "exprime",
            "exprim",
            "expr",
            "valid",
            "valid_votes",
            "validly_cast",
            "suffrages_exprimes",
            "votes_exprimes",
            "valides",
        ],
    ),
    (
        Field::Votes,
        &["voix", "votes", "vote", "candidatevotes", "votes_candidat"],
    ),
    (
        Field::Candidate,
        &[
            "candidat",
            "candidate",
            "candidate_name",
            "nom_candidat",
            "ballot_name",
            "nom",
            "name",
            "libelle_liste",
            "nom_liste",
            "liste",
            "list",
            "libelle_abrege_liste",
            "choice",
            "nom_tete_liste",
        ],
    ),
    (
        Field::FirstName,
        &[
            "prenom",
            "first_name",
            "firstname",
            "prenom_candidat",
            "given_name",
        ],
    ),
    (
        Field::Party,
        &[
            "nuance",
            "party",
            "parti",
            "nuance_liste",
            "code_nuance",
            "party_affiliation",
            "nuance_candidat",
            "etiquette",
            "affiliation",
            "nuance_politique",
            "party_simplified",
        ],
    ),
    (
        Field::Election,
        &[
            "election",
            "scrutin",
            "contest",
            "race",
            "election_name",
            "type_election",
            "id_election",
            "libelle_scrutin",
            "type_scrutin",
        ],
    ),
    (Field::Office, &["office", "poste"]),
    (Field::District, &["district"]),
    (Field::Year, &["annee", "year"]),
    (Field::Round, &["tour", "round", "numero_tour", "n_tour"]),
];

/// Candidate headers after which a first-name column completes the label.
const SURNAME_ALIASES: &[&str] = &["nom", "name", "nom_candidat"];

/// Words dropped before comparing headers ("NB_INSCR" → "inscr", "Nombre d'inscrits" → "inscrits").
const FILLERS: &[&str] = &[
    "nb", "nbr", "nombre", "number", "de", "d", "des", "du", "of", "the", "total", "calc",
    "calcule", "count", "cnt",
];

/// Header words that mark a numeric column as metadata, not a candidate.
const META_TOKENS: &[&str] = &[
    "num",
    "numero",
    "n",
    "code",
    "id",
    "objectid",
    "fid",
    "gid",
    "procu",
    "procur",
    "procuration",
    "procurations",
    "emarg",
    "emargement",
    "emargements",
    "annee",
    "year",
    "tour",
    "round",
    "date",
    "circ",
    "circo",
    "circonscription",
    "quartier",
    "arrond",
    "arrondissement",
    "ardt",
    "bureau",
    "bv",
    "bvote",
    "geo",
    "shape",
    "lat",
    "lon",
    "lng",
    "latitude",
    "longitude",
    "x",
    "y",
    "insee",
    "dep",
    "dept",
    "departement",
    "commune",
    "canton",
    "precinct",
    "ward",
    "county",
    "district",
    "population",
    "pop",
    "superficie",
    "area",
    "surface",
    "pct",
    "percent",
    "pourcent",
    "pourcentage",
    "ratio",
    "taux",
    "part",
    "sieges",
    "seats",
    "siege",
    "elus",
    "ordre",
    "position",
    "rang",
    "panneau",
    "sexe",
    "age",
    "cp",
    "postal",
    "zip",
    "sum",
    "somme",
    "total",
];

/// Accent-folded, lower-case, non-alphanumerics → `_` (collapsed, trimmed).
pub(super) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "_",
        };
        if mapped == "_" {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push_str(mapped);
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

fn header_tokens(h: &str) -> Vec<String> {
    fold(h)
        .split('_')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `(field, priority)` for a header, priority = position in the alias list.
pub(super) fn header_field(h: &str) -> Option<(Field, usize)> {
    if h.contains('%') {
        return None;
    }
    let core: Vec<String> = header_tokens(h)
        .into_iter()
        .filter(|t| !FILLERS.contains(&t.as_str()))
        .collect();
    let core = core.join("_");
    if core.is_empty() {
        return None;
    }
    ALIASES
        .iter()
        .find_map(|(f, names)| names.iter().position(|n| *n == core).map(|p| (*f, p)))
}

/// True for a header that marks a numeric column as metadata (ids, codes, percentages...), not a
/// candidate.
pub(super) fn is_meta_header(h: &str) -> bool {
    h.trim().is_empty()
        || h.contains('%')
        || header_tokens(h)
            .iter()
            .any(|t| META_TOKENS.contains(&t.as_str()))
}

/// True when `h` is a surname-only candidate header ("nom", "name", "nom_candidat"), which a
/// first-name column completes. The alias position is looked up in the candidate list whatever
/// field `h` announces (a manually mapped candidate column may announce another field).
pub(super) fn is_surname_header(h: &str) -> bool {
    header_field(h).is_some_and(|(_, p)| {
        let names = ALIASES
            .iter()
            .find(|(f, _)| *f == Field::Candidate)
            .map_or(&[][..], |(_, names)| *names);
        names.get(p).is_some_and(|n| SURNAME_ALIASES.contains(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_recognition() {
        assert_eq!(
            header_field("NB_INSCR").map(|f| f.0),
            Some(Field::Registered)
        );
        assert_eq!(header_field("NB.EXPRIM").map(|f| f.0), Some(Field::Valid));
        assert_eq!(header_field("Exprimés").map(|f| f.0), Some(Field::Valid));
        assert_eq!(
            header_field("Nombre d'inscrits").map(|f| f.0),
            Some(Field::Registered)
        );
        assert_eq!(
            header_field("registered_voters").map(|f| f.0),
            Some(Field::Registered)
        );
        assert_eq!(
            header_field("Ballots Cast").map(|f| f.0),
            Some(Field::Voters)
        );
        assert_eq!(header_field("nuls_calc").map(|f| f.0), Some(Field::Null));
        assert_eq!(header_field("NB_BL").map(|f| f.0), Some(Field::Blank));
        assert_eq!(header_field("% Vot/Ins"), None);
        assert_eq!(header_field("Prénom").map(|f| f.0), Some(Field::FirstName));
        assert_eq!(header_field("nb_voix").map(|f| f.0), Some(Field::Votes));
        assert!(is_meta_header("NUM_BUREAU"));
        assert!(is_meta_header("NB_PROCU"));
        assert!(is_meta_header("geo_point_2d"));
        assert!(is_meta_header(""));
        assert!(!is_meta_header("LE PEN Marine"));
        assert!(!is_meta_header("MÉLENCHON Jean-Luc"));
    }
}
