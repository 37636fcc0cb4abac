//! Words of sensitive categories (GDPR art. 9: religion, health, sexual orientation, ethnic
//! origin, union membership, political opinion) found in free-text notes, in French and English,
//! so that the note can warn before such data is stored.

use serde::Serialize;

use super::person::folded_chars;
use crate::model::volunteers::fold;

/// A sensitive category of personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveCategory {
    Religion,
    Health,
    SexualOrientation,
    EthnicOrigin,
    UnionMembership,
    PoliticalOpinion,
}

impl SensitiveCategory {
    /// "religion", "health"… (JSON and logs).
    pub fn key(self) -> &'static str {
        match self {
            SensitiveCategory::Religion => "religion",
            SensitiveCategory::Health => "health",
            SensitiveCategory::SexualOrientation => "sexual_orientation",
            SensitiveCategory::EthnicOrigin => "ethnic_origin",
            SensitiveCategory::UnionMembership => "union_membership",
            SensitiveCategory::PoliticalOpinion => "political_opinion",
        }
    }
}

/// One sensitive word in a text: the word as typed, its byte range and its category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SensitiveHit {
    pub word: String,
    pub start: usize,
    pub end: usize,
    pub category: SensitiveCategory,
}

use SensitiveCategory::*;

/// Folded (lower case, no accents) words or phrases, matched on whole words. A trailing `*`
/// matches any ending (plurals and feminines: "musulman*" finds "musulmane", "musulmans").
/// Ambiguous everyday words ("noir" in "tableau noir", "origine", "blanc") are left out: the
/// list favours few false alarms on ordinary door notes.
const WORDS: &[(&str, SensitiveCategory)] = &[
    // Religion
    ("religion*", Religion),
    ("religieu*", Religion),
    ("musulman*", Religion),
    ("muslim*", Religion),
    ("islam*", Religion),
    ("catholique*", Religion),
    ("catholic*", Religion),
    ("protestant*", Religion),
    ("evangelique*", Religion),
    ("evangelical*", Religion),
    ("chretien*", Religion),
    ("christian*", Religion),
    ("juif", Religion),
    ("juifs", Religion),
    ("juive*", Religion),
    ("jewish", Religion),
    ("jew", Religion),
    ("jews", Religion),
    ("judaisme", Religion),
    ("judaism", Religion),
    ("bouddhiste*", Religion),
    ("buddhist*", Religion),
    ("hindou*", Religion),
    ("hindu*", Religion),
    ("athee*", Religion),
    ("atheist*", Religion),
    ("pratiquant*", Religion),
    ("mosquee*", Religion),
    ("mosque*", Religion),
    ("synagogue*", Religion),
    ("eglise*", Religion),
    ("church*", Religion),
    ("ramadan", Religion),
    ("voilee*", Religion),
    ("kippa*", Religion),
    // Health
    ("malade*", Health),
    ("maladie*", Health),
    ("sick", Health),
    ("ill", Health),
    ("illness*", Health),
    ("disease*", Health),
    ("cancer*", Health),
    ("handicap*", Health),
    ("disabled", Health),
    ("disability", Health),
    ("disabilities", Health),
    ("enceinte*", Health),
    ("pregnant", Health),
    ("diabete*", Health),
    ("diabetique*", Health),
    ("diabetes", Health),
    ("diabetic*", Health),
    ("sida", Health),
    ("vih", Health),
    ("hiv", Health),
    ("aids", Health),
    ("seropositi*", Health),
    ("depression*", Health),
    ("depressi*", Health),
    ("alzheimer*", Health),
    ("hospitalise*", Health),
    ("hospitalized", Health),
    ("chimio*", Health),
    ("chemo*", Health),
    ("alcoolique*", Health),
    ("alcoholic*", Health),
    ("toxicomane*", Health),
    ("addict*", Health),
    ("psychiatri*", Health),
    ("schizophren*", Health),
    ("autiste*", Health),
    ("autistic", Health),
    ("invalide*", Health),
    ("aveugle*", Health),
    ("blind", Health),
    ("sourd*", Health),
    ("deaf", Health),
    // Sexual orientation
    ("gay*", SexualOrientation),
    ("homo", SexualOrientation),
    ("homos", SexualOrientation),
    ("homosexu*", SexualOrientation),
    ("lesbien*", SexualOrientation),
    ("lesbian*", SexualOrientation),
    ("bisexu*", SexualOrientation),
    ("heterosexu*", SexualOrientation),
    ("transgenre*", SexualOrientation),
    ("transgender*", SexualOrientation),
    ("queer", SexualOrientation),
    ("lgbt*", SexualOrientation),
    // Ethnic origin
    ("arabe*", EthnicOrigin),
    ("arab", EthnicOrigin),
    ("arabs", EthnicOrigin),
    ("maghrebin*", EthnicOrigin),
    ("africain*", EthnicOrigin),
    ("african*", EthnicOrigin),
    ("noir", EthnicOrigin),
    ("noire", EthnicOrigin),
    ("noirs", EthnicOrigin),
    ("noires", EthnicOrigin),
    ("black", EthnicOrigin),
    ("rom", EthnicOrigin),
    ("roms", EthnicOrigin),
    ("gitan*", EthnicOrigin),
    ("tsigane*", EthnicOrigin),
    ("asiatique*", EthnicOrigin),
    ("asian*", EthnicOrigin),
    ("ethnie*", EthnicOrigin),
    ("ethnique*", EthnicOrigin),
    ("ethnic*", EthnicOrigin),
    ("origine etrangere", EthnicOrigin),
    ("d'origine", EthnicOrigin),
    ("immigre*", EthnicOrigin),
    ("immigrant*", EthnicOrigin),
    ("race", EthnicOrigin),
    ("racial*", EthnicOrigin),
    // Union membership
    ("syndique*", UnionMembership),
    ("syndicat*", UnionMembership),
    ("syndicaliste*", UnionMembership),
    ("union member*", UnionMembership),
    ("trade union*", UnionMembership),
    ("cgt", UnionMembership),
    ("cfdt", UnionMembership),
    ("fo", UnionMembership),
    ("sud", UnionMembership),
    ("unsa", UnionMembership),
    ("cftc", UnionMembership),
    ("cfe-cgc", UnionMembership),
    ("fsu", UnionMembership),
    // Political opinion (of the person at the door)
    ("vote rn", PoliticalOpinion),
    ("vote fn", PoliticalOpinion),
    ("vote lfi", PoliticalOpinion),
    ("votes for", PoliticalOpinion),
    ("militant*", PoliticalOpinion),
    ("encarte*", PoliticalOpinion),
    ("adherent du", PoliticalOpinion),
    ("adherente du", PoliticalOpinion),
    ("party member", PoliticalOpinion),
    ("communiste*", PoliticalOpinion),
    ("communist*", PoliticalOpinion),
    ("facho*", PoliticalOpinion),
    ("fasciste*", PoliticalOpinion),
    ("fascist*", PoliticalOpinion),
    ("gauchiste*", PoliticalOpinion),
    ("extreme droite", PoliticalOpinion),
    ("extreme gauche", PoliticalOpinion),
    ("far right", PoliticalOpinion),
    ("far left", PoliticalOpinion),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Every sensitive word of `text`, in text order (accent- and case-insensitive, whole words;
/// "Sud" as a union only in capitals, as "sud" is a direction).
pub fn sensitive_words(text: &str) -> Vec<SensitiveHit> {
    let chars = folded_chars(text);
    let mut hits: Vec<SensitiveHit> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = is_word_char(chars[i].0) && (i == 0 || !is_word_char(chars[i - 1].0));
        if !starts_word {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, SensitiveCategory)> = None;
        for (pattern, category) in WORDS {
            let (stem, open) = match pattern.strip_suffix('*') {
                Some(s) => (s, true),
                None => (*pattern, false),
            };
            let mut j = i;
            let mut ok = true;
            for p in stem.chars() {
                if j < chars.len() && chars[j].0 == p {
                    j += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if !ok {
                continue;
            }
            if open {
                while j < chars.len() && is_word_char(chars[j].0) {
                    j += 1;
                }
            } else if j < chars.len() && is_word_char(chars[j].0) {
                continue;
            }
            if best.is_none_or(|(e, _)| j > e) {
                best = Some((j, *category));
            }
        }
        match best {
            Some((j, category)) => {
                let (start, end) = (chars[i].1, chars[j - 1].2);
                let word = &text[start..end];
                // Short union acronyms are common words in lower case ("fo", "sud").
                let acronym_in_lower_case = matches!(fold(word).as_str(), "fo" | "sud" | "rom")
                    && word.chars().any(char::is_lowercase);
                if !acronym_in_lower_case {
                    hits.push(SensitiveHit {
                        word: word.to_string(),
                        start,
                        end,
                        category,
                    });
                }
                i = j;
            }
            None => i += 1,
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(text: &str) -> Vec<(String, SensitiveCategory)> {
        sensitive_words(text)
            .into_iter()
            .map(|h| (h.word, h.category))
            .collect()
    }

    #[test]
    fn a_note_with_religion_and_health_gives_two_hits() {
        let hits = sensitive_words("il est musulman et malade");
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(hits[0].word, "musulman");
        assert_eq!(hits[0].category, SensitiveCategory::Religion);
        assert_eq!(hits[1].word, "malade");
        assert_eq!(hits[1].category, SensitiveCategory::Health);
        assert_eq!(
            &"il est musulman et malade"[hits[1].start..hits[1].end],
            "malade"
        );
    }

    #[test]
    fn accents_case_and_endings_are_ignored_on_whole_words() {
        assert_eq!(
            cats("Syndiquée à la CGT, CATHOLIQUE pratiquante"),
            vec![
                ("Syndiquée".into(), UnionMembership),
                ("CGT".into(), UnionMembership),
                ("CATHOLIQUE".into(), Religion),
                ("pratiquante".into(), Religion),
            ]
        );
        assert_eq!(
            cats("She is pregnant; her son is gay"),
            vec![
                ("pregnant".into(), Health),
                ("gay".into(), SexualOrientation)
            ]
        );
        assert_eq!(cats("Homosexuel, juive, Lesbienne")[0].1, SexualOrientation);
        assert_eq!(cats("Homosexuel, juive, Lesbienne")[1].1, Religion);
    }

    #[test]
    fn ordinary_notes_give_no_false_alarm() {
        for note in [
            "revenir samedi, porte au fond de la cour",
            "digicode 1234, 3e étage, côté sud",
            "intéressée par les écoles et la sécurité",
            "fort en chiffres, illustration, toujours à l'heure",
            "maladroit mais sympathique",
            "Mme Juifo absente",
        ] {
            let hits = sensitive_words(note);
            assert!(hits.is_empty(), "{note}: {hits:?}");
        }
        assert!(sensitive_words("maladroit").is_empty());
        assert!(sensitive_words("côté sud").is_empty());
        assert_eq!(cats("adhérent SUD rail")[0].1, UnionMembership);
    }
}
