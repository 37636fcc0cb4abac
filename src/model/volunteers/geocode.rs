//! Finding a volunteer's home among the campaign's addresses: by the address file's own id
//! (`addresses.source_id`, the BAN id) or from a typed address ("12bis rue de l'Église, 45310
//! Town"): house number, suffix and street compared accent- and case-insensitively, common
//! abbreviations expanded ("av." → avenue), the postcode used when given.
//!
//! [`AddressIndex`] reads the addresses once (one pass, hash maps), so a roster import does not
//! scan the table per volunteer.

use std::collections::HashMap;

use geo_types::{Geometry, Point};
use rusqlite::Connection;

use crate::model::error::ModelResult;
use crate::model::storage::gpkg;
use crate::model::volunteers::fold;
use crate::model::volunteers::roster::distance_m;

/// Candidates further apart than this for one typed address are ambiguous (the same street
/// name in two towns), and none is taken.
const SAME_PLACE_M: f64 = 150.0;

/// A typed address, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedAddress {
    /// Without leading zeros.
    pub number: String,
    /// "bis", "ter", "a"… ("" when none).
    pub suffix: String,
    /// [`street_key`] of the street.
    pub street: String,
    pub postcode: Option<String>,
}

/// Street name for comparison: folded, punctuation as spaces, abbreviations expanded ("Av. de
/// l'Église" → "avenue de l eglise").
pub fn street_key(street: &str) -> String {
    let f: String = fold(street)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    f.split_whitespace()
        .map(|w| match w {
            "r" => "rue",
            "av" | "ave" | "aven" => "avenue",
            "bd" | "bld" | "blvd" | "boul" | "bvd" => "boulevard",
            "pl" => "place",
            "imp" => "impasse",
            "ch" | "chem" => "chemin",
            "all" => "allee",
            "rte" => "route",
            "sq" => "square",
            "fg" | "fbg" => "faubourg",
            "st" => "saint",
            "ste" => "sainte",
            "pas" | "pass" => "passage",
            "crs" => "cours",
            "qu" | "qua" => "quai",
            "res" => "residence",
            "pte" => "porte",
            "prom" => "promenade",
            "sen" => "sentier",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "b" → "bis", "t" → "ter", "q" → "quater"; other suffixes folded.
fn suffix_key(s: &str) -> String {
    let s = fold(s.trim()).replace(['.', ' '], "");
    match s.as_str() {
        "b" => "bis".into(),
        "t" => "ter".into(),
        "q" => "quater".into(),
        _ => s,
    }
}

fn is_suffix_word(w: &str) -> bool {
    let w = fold(w);
    matches!(w.as_str(), "bis" | "ter" | "quater" | "quinquies")
        || (w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
}

fn number_key(n: &str) -> String {
    let t = n.trim().trim_start_matches('0');
    if t.is_empty() && !n.trim().is_empty() {
        "0".into()
    } else {
        t.to_owned()
    }
}

/// Splits "12bis rue de l'Église, 45310 Saint-Aubin" into number, suffix, street and postcode;
/// `None` without a house number followed by a street. The part holding the number may come
/// after others ("Bât. A, 12 rue X").
pub fn parse_typed_address(text: &str) -> Option<TypedAddress> {
    let postcode = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|t| t.len() == 5)
        .map(str::to_owned);
    for part in text.split([',', '\n', ';']) {
        let part = part.trim();
        let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() || digits.len() > 4 {
            continue;
        }
        let mut rest = &part[digits.len()..];
        // "12-14 rue X": the first number of a range.
        if let Some(r) = rest.strip_prefix('-')
            && r.starts_with(|c: char| c.is_ascii_digit())
        {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        // "12bis rue", "12 bis rue", "12B rue".
        let mut words: Vec<&str> = rest.split_whitespace().collect();
        let mut suffix = String::new();
        // Written against the number, any short suffix counts ("47ba", "14tv" in the BAN).
        let attached = rest.starts_with(|c: char| c.is_alphanumeric());
        if words.len() >= 2
            && (is_suffix_word(words[0].trim_end_matches([',', '.']))
                || attached && words[0].chars().count() <= 3)
        {
            suffix = suffix_key(words[0].trim_end_matches([',', '.']));
            words.remove(0);
        }
        // The street stops at a postcode ("12 rue X 45310 Town").
        let street_words: Vec<&str> = words
            .iter()
            .take_while(|w| !(w.len() == 5 && w.chars().all(|c| c.is_ascii_digit())))
            .copied()
            .collect();
        let street = street_key(&street_words.join(" "));
        if street.is_empty() || !street.chars().any(char::is_alphabetic) {
            continue;
        }
        return Some(TypedAddress {
            number: number_key(&digits),
            suffix,
            street,
            postcode,
        });
    }
    None
}

#[derive(Clone, Debug)]
struct Candidate {
    fid: i64,
    suffix: String,
    postcode: String,
    pos: Point<f64>,
}

/// The campaign's addresses by source id and by (street, number), read in one pass.
#[derive(Default)]
pub struct AddressIndex {
    by_source_id: HashMap<String, (i64, Point<f64>)>,
    by_street_number: HashMap<(String, String), Vec<Candidate>>,
}

impl AddressIndex {
    /// Reads every address of the campaign once.
    pub fn load(conn: &Connection) -> ModelResult<AddressIndex> {
        Self::load_where(conn, "", [])
    }

    /// Reads only the addresses numbered `number` (one lookup without a full index).
    pub fn load_number(conn: &Connection, number: &str) -> ModelResult<AddressIndex> {
        Self::load_where(conn, "AND ltrim(number, '0') = ?1", [number_key(number)])
    }

    fn load_where(
        conn: &Connection,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> ModelResult<AddressIndex> {
        let mut st = conn.prepare(&format!(
            "SELECT fid, geom, number, suffix, street, postcode, source_id FROM addresses
             WHERE geom IS NOT NULL {filter} ORDER BY fid"
        ))?;
        let mut rows = st.query(params)?;
        let mut idx = AddressIndex::default();
        while let Some(r) = rows.next()? {
            let blob = r.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            let pos = match gpkg::decode(blob) {
                Ok(Geometry::Point(p)) => p,
                _ => continue,
            };
            let fid: i64 = r.get(0)?;
            if let Some(id) = r
                .get::<_, Option<String>>(6)?
                .filter(|s| !s.trim().is_empty())
            {
                idx.by_source_id
                    .entry(id.trim().to_owned())
                    .or_insert((fid, pos));
            }
            let number: Option<String> = r.get(2)?;
            let street: Option<String> = r.get(4)?;
            if let (Some(n), Some(s)) = (number, street) {
                idx.by_street_number
                    .entry((street_key(&s), number_key(&n)))
                    .or_default()
                    .push(Candidate {
                        fid,
                        suffix: r
                            .get::<_, Option<String>>(3)?
                            .map(|s| suffix_key(&s))
                            .unwrap_or_default(),
                        postcode: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                        pos,
                    });
            }
        }
        Ok(idx)
    }

    /// The address whose source id (BAN id) is `id`.
    pub fn by_source_id(&self, id: &str) -> Option<(i64, Point<f64>)> {
        self.by_source_id.get(id.trim()).copied()
    }

    /// The address a typed text names, or `None` when not found or ambiguous.
    pub fn find(&self, text: &str) -> Option<(i64, Point<f64>)> {
        let t = parse_typed_address(text)?;
        self.find_typed(&t)
    }

    pub fn find_typed(&self, t: &TypedAddress) -> Option<(i64, Point<f64>)> {
        let all = self
            .by_street_number
            .get(&(t.street.clone(), t.number.clone()))?;
        let mut cands: Vec<&Candidate> = all.iter().collect();
        if let Some(pc) = &t.postcode {
            let same: Vec<&Candidate> = cands
                .iter()
                .copied()
                .filter(|c| &c.postcode == pc)
                .collect();
            if !same.is_empty() {
                cands = same;
            }
        }
        // The exact suffix first; "12bis" falls back to "12" (the same building, near enough),
        // and "12" to any "12…" when there is no plain 12.
        let exact: Vec<&Candidate> = cands
            .iter()
            .copied()
            .filter(|c| c.suffix == t.suffix)
            .collect();
        let plain: Vec<&Candidate> = cands
            .iter()
            .copied()
            .filter(|c| c.suffix.is_empty())
            .collect();
        let chosen = if !exact.is_empty() {
            exact
        } else if !plain.is_empty() {
            plain
        } else {
            cands
        };
        let first = chosen.first()?;
        chosen
            .iter()
            .all(|c| distance_m(c.pos, first.pos) <= SAME_PLACE_M)
            .then_some((first.fid, first.pos))
    }

    pub fn is_empty(&self) -> bool {
        self.by_source_id.is_empty() && self.by_street_number.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_addresses_split() {
        let t = parse_typed_address("12 Rue de l'Église, 45310 Saint-Aubin-des-Prés").unwrap();
        assert_eq!(t.number, "12");
        assert_eq!(t.suffix, "");
        assert_eq!(t.street, "rue de l eglise");
        assert_eq!(t.postcode.as_deref(), Some("45310"));
        let t = parse_typed_address("12bis rue de l eglise").unwrap();
        assert_eq!((t.number.as_str(), t.suffix.as_str()), ("12", "bis"));
        let t = parse_typed_address("12 B av. Victor-Hugo 45310 Town").unwrap();
        assert_eq!(
            (t.suffix.as_str(), t.street.as_str()),
            ("bis", "avenue victor hugo")
        );
        let t = parse_typed_address("Bât. A, 007 bd Carnot").unwrap();
        assert_eq!(
            (t.number.as_str(), t.street.as_str()),
            ("7", "boulevard carnot")
        );
        let t = parse_typed_address("47ba Rue du Commerce").unwrap();
        assert_eq!(
            (t.suffix.as_str(), t.street.as_str()),
            ("ba", "rue du commerce")
        );
        let t = parse_typed_address("3 rue Ter").unwrap();
        assert_eq!((t.suffix.as_str(), t.street.as_str()), ("", "rue ter"));
        let t = parse_typed_address("12-14 Rue X").unwrap();
        assert_eq!((t.number.as_str(), t.street.as_str()), ("12", "rue x"));
        assert!(parse_typed_address("Rue sans numéro").is_none());
        assert!(parse_typed_address("45310").is_none());
    }

    #[test]
    fn index_finds_number_suffix_and_street() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE addresses (fid INTEGER PRIMARY KEY, geom BLOB, number TEXT, suffix TEXT,
             street TEXT, postcode TEXT, source_id TEXT);",
        )
        .unwrap();
        let add = |fid: i64, lon: f64, n: &str, suffix: Option<&str>, street: &str, pc: &str| {
            let blob = gpkg::encode(&Geometry::Point(Point::new(lon, 48.0)), 4326);
            conn.execute(
                "INSERT INTO addresses VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![fid, blob, n, suffix, street, pc, format!("B{fid}")],
            )
            .unwrap();
        };
        add(1, 1.0, "12", None, "Rue de l'Église", "45310");
        add(2, 1.0001, "12", Some("bis"), "Rue de l'Église", "45310");
        add(3, 1.0, "5", None, "Avenue Victor Hugo", "45310");
        add(4, 2.0, "5", None, "Avenue Victor Hugo", "75016");
        let idx = AddressIndex::load(&conn).unwrap();
        assert_eq!(idx.find("12 rue de l'eglise").unwrap().0, 1);
        assert_eq!(idx.find("12bis RUE DE L'ÉGLISE, 45310 Town").unwrap().0, 2);
        assert_eq!(
            idx.find("12 ter rue de l'Église").unwrap().0,
            1,
            "falls back to 12"
        );
        assert_eq!(idx.find("5 av Victor-Hugo, 75016 Paris").unwrap().0, 4);
        assert!(
            idx.find("5 avenue Victor Hugo").is_none(),
            "two towns: ambiguous"
        );
        assert!(idx.find("13 rue de l'Église").is_none());
        assert_eq!(idx.by_source_id("B3").unwrap().0, 3);
        assert!(idx.by_source_id("B9").is_none());
        let one = AddressIndex::load_number(&conn, "012").unwrap();
        assert_eq!(one.find("12 Rue de l'Eglise").unwrap().0, 1);
        assert!(one.find("5 avenue Victor Hugo, 75016").is_none());
    }
}
