//! Precinct-key normalisation and the results-to-precinct join: aliases for keys written
//! differently (text vs integer, leading zeros, `15-49` ≡ `1549` ≡ `15049`, separators,
//! département/commune prefixes), ambiguity detection, and automatic choice of the key column.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

/// How result keys are compared with precinct codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum KeyMatch {
    /// Exact matches first, then normalised aliases (see [`KeyIndex`]).
    #[default]
    Normalised,
    /// Only keys equal to a precinct code (after trimming spaces) match.
    Exact,
}

/// A prefix dropped from one side before normalising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Prefix {
    None,
    /// The first separated part when it has 4+ characters (`75056_0101` → `0101`).
    FirstPart,
    /// The first N characters of an all-digit key longer than N + 1 (`750560101` → `0101`).
    Digits(usize),
}

impl Prefix {
    fn apply(self, s: &str) -> Option<&str> {
        match self {
            Prefix::None => Some(s),
            Prefix::FirstPart => {
                // Only a long prefix (a commune or département+commune code): `15-49` keeps `15`.
                let i = s.find(is_separator)?;
                let rest = s[i..].trim_start_matches(is_separator);
                (i >= 4 && !rest.is_empty()).then_some(rest)
            }
            Prefix::Digits(n) => {
                (s.len() > n + 1 && s.bytes().all(|b| b.is_ascii_digit())).then(|| &s[n..])
            }
        }
    }
    fn describe(self) -> String {
        match self {
            Prefix::None => String::new(),
            Prefix::FirstPart => "first part".into(),
            Prefix::Digits(n) => format!("{n} leading digits"),
        }
    }
}

/// The normalisation rule chosen for one file (the one matching the most distinct keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct KeyRule {
    /// Prefix dropped from result keys.
    pub key_prefix: Prefix,
    /// Prefix dropped from precinct codes.
    pub code_prefix: Prefix,
    /// Composite codes `A-B` also match `A` followed by `B` zero-padded to this many digits.
    pub composite_width: Option<usize>,
}

impl KeyRule {
    const PLAIN: KeyRule = KeyRule {
        key_prefix: Prefix::None,
        code_prefix: Prefix::None,
        composite_width: None,
    };

    /// Human-readable summary, e.g. "normalised, composite codes padded to 2 digits".
    pub fn describe(&self) -> String {
        let mut s = "normalised".to_owned();
        if let Some(w) = self.composite_width {
            s.push_str(&format!(", composite codes padded to {w} digits"));
        }
        if self.key_prefix != Prefix::None {
            s.push_str(&format!(
                ", result keys without their {}",
                self.key_prefix.describe()
            ));
        }
        if self.code_prefix != Prefix::None {
            s.push_str(&format!(
                ", precinct codes without their {}",
                self.code_prefix.describe()
            ));
        }
        s
    }
}

/// What one result key matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum KeyLookup {
    /// The precinct code it matched.
    Matched(String),
    /// Several precincts claim the key's alias: not matched; the codes are listed.
    Ambiguous(Vec<String>),
    NotFound,
}

/// The join of a set of distinct result keys to the campaign's precincts.
#[derive(Clone, Debug)]
pub struct KeyResolution {
    /// `None` with [`KeyMatch::Exact`].
    pub rule: Option<KeyRule>,
    pub lookups: HashMap<String, KeyLookup>,
    /// Distinct precincts matched.
    pub matched_precincts: usize,
    /// Keys matched by exact equality.
    pub exact_keys: usize,
}

impl KeyResolution {
    pub fn lookup(&self, key: &str) -> &KeyLookup {
        self.lookups.get(key.trim()).unwrap_or(&KeyLookup::NotFound)
    }
    /// The precinct code `key` matched, if any.
    pub fn code(&self, key: &str) -> Option<&str> {
        match self.lookup(key) {
            KeyLookup::Matched(c) => Some(c),
            _ => None,
        }
    }
    /// Result keys claimed by several precincts, with those precincts.
    pub fn ambiguous(&self) -> Vec<(String, Vec<String>)> {
        let mut v: Vec<_> = self
            .lookups
            .iter()
            .filter_map(|(k, l)| match l {
                KeyLookup::Ambiguous(c) => Some((k.clone(), c.clone())),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '/' | ' ' | '.')
}

/// Canonical form of a key: trimmed, lower-case, `12.0` → `12`, parts split on `-` `_` `/` space
/// `.`, leading zeros dropped from numeric parts, parts joined with `-`. `""` for an empty key.
pub fn normalise_key(s: &str) -> String {
    let s = s.trim().to_lowercase();
    // "12.0" / "12,00" written by spreadsheets: an integer.
    let s = match s.split_once(['.', ',']) {
        Some((int, frac))
            if !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && !frac.is_empty()
                && frac.bytes().all(|b| b == b'0') =>
        {
            int.to_owned()
        }
        _ => s,
    };
    let parts: Vec<&str> = s.split(is_separator).filter(|p| !p.is_empty()).collect();
    let parts: Vec<String> = parts.iter().map(|p| strip_zeros(p)).collect();
    parts.join("-")
}

fn strip_zeros(p: &str) -> String {
    if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
        let t = p.trim_start_matches('0');
        if t.is_empty() {
            "0".to_owned()
        } else {
            t.to_owned()
        }
    } else {
        p.to_owned()
    }
}

/// `15-49` with width 2 → `1549`, width 3 → `15049`; `None` when the key has a single part, a
/// non-numeric last part or a last part longer than `width`.
pub fn composite_alias(normalised: &str, width: usize) -> Option<String> {
    let parts: Vec<&str> = normalised.split('-').collect();
    if parts.len() < 2 {
        return None;
    }
    let last = parts[parts.len() - 1];
    if last.is_empty() || !last.bytes().all(|b| b.is_ascii_digit()) || last.len() > width {
        return None;
    }
    let mut s: String = parts[..parts.len() - 1].concat();
    s.push_str(&format!("{last:0>width$}"));
    Some(strip_zeros(&s))
}

/// Aliases of `raw` under a rule: its normalised form (and composite alias) with `prefix`
/// dropped, then without dropping it, so that a prefix rule never hides an ambiguity.
fn aliases(raw: &str, prefix: Prefix, width: Option<usize>) -> Vec<String> {
    let raw = raw.trim();
    let mut out: Vec<String> = Vec::new();
    let stripped = match prefix {
        Prefix::None => None,
        p => p.apply(raw),
    };
    for s in stripped.into_iter().chain(std::iter::once(raw)) {
        let n = normalise_key(s);
        if n.is_empty() {
            continue;
        }
        let c = width.and_then(|w| composite_alias(&n, w));
        for a in std::iter::once(n).chain(c) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// The campaign's precinct codes, indexed for joining result keys.
#[derive(Clone, Debug)]
pub struct KeyIndex {
    codes: Vec<String>,
    mode: KeyMatch,
    exact: HashMap<String, usize>,
    /// Every candidate rule with its alias → precinct indices map (empty in exact mode).
    rules: Vec<(KeyRule, HashMap<String, Vec<usize>>)>,
}

const PREFIXES: [Prefix; 5] = [
    Prefix::None,
    Prefix::FirstPart,
    Prefix::Digits(2),
    Prefix::Digits(3),
    Prefix::Digits(5),
];

impl KeyIndex {
    pub fn new(codes: &[String], mode: KeyMatch) -> KeyIndex {
        let mut exact = HashMap::new();
        for (i, c) in codes.iter().enumerate() {
            exact.entry(c.trim().to_owned()).or_insert(i);
        }
        let mut idx = KeyIndex {
            codes: codes.to_vec(),
            mode,
            exact,
            rules: Vec::new(),
        };
        if mode == KeyMatch::Normalised {
            idx.rules = Self::rules()
                .into_iter()
                .map(|r| (r, idx.alias_map(&r)))
                .collect();
        }
        idx
    }

    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    pub fn mode(&self) -> KeyMatch {
        self.mode
    }

    /// Candidate rules, simplest first: plain normalisation, composite widths 2/3/4, then the
    /// same with a prefix dropped from one side.
    fn rules() -> Vec<KeyRule> {
        let mut v = Vec::new();
        for (kp, cp) in PREFIXES
            .iter()
            .map(|&p| (p, Prefix::None))
            .chain(PREFIXES[1..].iter().map(|&p| (Prefix::None, p)))
        {
            for w in [None, Some(2), Some(3), Some(4)] {
                v.push(KeyRule {
                    key_prefix: kp,
                    code_prefix: cp,
                    composite_width: w,
                });
            }
        }
        v
    }

    /// alias → precinct indices claiming it, under `rule`.
    fn alias_map(&self, rule: &KeyRule) -> HashMap<String, Vec<usize>> {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in self.codes.iter().enumerate() {
            for a in aliases(c, rule.code_prefix, rule.composite_width) {
                let e = map.entry(a).or_default();
                if !e.contains(&i) {
                    e.push(i);
                }
            }
        }
        map
    }

    fn lookup_with(
        &self,
        map: &HashMap<String, Vec<usize>>,
        rule: &KeyRule,
        key: &str,
    ) -> KeyLookup {
        for a in aliases(key, rule.key_prefix, rule.composite_width) {
            match map.get(&a).map(Vec::as_slice) {
                Some([i]) => return KeyLookup::Matched(self.codes[*i].clone()),
                Some(many) if many.len() > 1 => {
                    let mut codes: Vec<String> =
                        many.iter().map(|&i| self.codes[i].clone()).collect();
                    codes.sort();
                    return KeyLookup::Ambiguous(codes);
                }
                _ => {}
            }
        }
        KeyLookup::NotFound
    }

    /// Joins the distinct `keys` (empty ones never match): exact equality first, then the
    /// normalisation rule that matches the most distinct precincts (simplest rule on ties).
    pub fn resolve<'a>(&self, keys: impl IntoIterator<Item = &'a str>) -> KeyResolution {
        let distinct: BTreeSet<&str> = keys
            .into_iter()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        let mut exact_part: HashMap<String, KeyLookup> = HashMap::new();
        let mut rest: Vec<&str> = Vec::new();
        for &k in &distinct {
            match self.exact.get(k) {
                Some(&i) => {
                    exact_part.insert(k.to_owned(), KeyLookup::Matched(self.codes[i].clone()));
                }
                None => rest.push(k),
            }
        }
        let exact_keys = exact_part.len();
        let finish = |lookups: HashMap<String, KeyLookup>, rule: Option<KeyRule>| {
            let matched: BTreeSet<&str> = lookups
                .values()
                .filter_map(|l| match l {
                    KeyLookup::Matched(c) => Some(c.as_str()),
                    _ => None,
                })
                .collect();
            let matched_precincts = matched.len();
            KeyResolution {
                rule,
                matched_precincts,
                exact_keys,
                lookups,
            }
        };
        if self.mode == KeyMatch::Exact || rest.is_empty() {
            let mut lookups = exact_part;
            for k in rest {
                lookups.insert(k.to_owned(), KeyLookup::NotFound);
            }
            let rule = (self.mode == KeyMatch::Normalised).then_some(KeyRule::PLAIN);
            return finish(lookups, rule);
        }
        let mut best: Option<(usize, KeyResolution)> = None;
        for (rule, map) in &self.rules {
            let mut lookups = exact_part.clone();
            for &k in &rest {
                lookups.insert(k.to_owned(), self.lookup_with(map, rule, k));
            }
            let res = finish(lookups, Some(*rule));
            let score = res.matched_precincts;
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, res));
            }
        }
        best.map(|(_, r)| r).expect("at least one rule")
    }
}

/// The column chosen as the join key.
#[derive(Clone, Debug)]
pub struct KeyColumnChoice {
    pub column: usize,
    pub name: String,
    pub resolution: KeyResolution,
}

/// True when a column name looks like a precinct key (`id_bv`, `code_bureau`, `precinct`...).
pub fn key_name_hint(name: &str) -> bool {
    let n = name.to_lowercase();
    const TOKENS: [&str; 8] = [
        "bv", "bureau", "precinct", "prec", "ward", "vtd", "pct", "id",
    ];
    n.split(|c: char| !c.is_alphanumeric())
        .any(|t| TOKENS.contains(&t))
        || ["bureau", "precinct", "bvote", "b.vote"]
            .iter()
            .any(|h| n.contains(h))
}

/// Picks the key column among `columns` (index, name, distinct values): the one whose values
/// match the most distinct precincts; ties go to exact matches, then to key-like names, then to
/// the leftmost column. `None` when no column matches any precinct.
pub fn best_key_column(
    index: &KeyIndex,
    columns: &[(usize, String, Vec<String>)],
) -> Option<KeyColumnChoice> {
    let mut best: Option<((usize, usize, bool), KeyColumnChoice)> = None;
    for (col, name, values) in columns {
        let res = index.resolve(values.iter().map(String::as_str));
        if res.matched_precincts == 0 {
            continue;
        }
        let score = (res.matched_precincts, res.exact_keys, key_name_hint(name));
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                KeyColumnChoice {
                    column: *col,
                    name: name.clone(),
                    resolution: res,
                },
            ));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise_key(" 0042 "), "42");
        assert_eq!(normalise_key("42"), "42");
        assert_eq!(normalise_key("12.0"), "12");
        assert_eq!(normalise_key("15_049"), "15-49");
        assert_eq!(normalise_key("15 / 49"), "15-49");
        assert_eq!(normalise_key("A12"), "a12");
        assert_eq!(normalise_key("000"), "0");
        assert_eq!(normalise_key(""), "");
        assert_eq!(composite_alias("15-49", 2).as_deref(), Some("1549"));
        assert_eq!(composite_alias("15-49", 3).as_deref(), Some("15049"));
        assert_eq!(composite_alias("1-1", 2).as_deref(), Some("101"));
        assert_eq!(composite_alias("15-149", 2), None);
        assert_eq!(composite_alias("42", 2), None);
    }

    #[test]
    fn text_vs_integer_and_zeros() {
        let idx = KeyIndex::new(
            &codes(&["0042", "7", "A12", "750060019"]),
            KeyMatch::Normalised,
        );
        let r = idx.resolve(["42", "007", "a12", "750060019", "12.0", "99"]);
        assert_eq!(r.code("42"), Some("0042"));
        assert_eq!(r.code("007"), Some("7"));
        assert_eq!(r.code("a12"), Some("A12"));
        assert_eq!(r.code("750060019"), Some("750060019"));
        assert_eq!(r.lookup("99"), &KeyLookup::NotFound);
        assert_eq!(r.lookup("12.0"), &KeyLookup::NotFound);
        assert_eq!(r.matched_precincts, 4);
        assert_eq!(r.exact_keys, 1);
    }

    #[test]
    fn composite_codes_pick_the_right_width() {
        // Paris-like codes: 1-1 ... 20-12; Ministère-like keys 0101, 1001, 2012.
        let mut c = Vec::new();
        for arr in 1..=20 {
            for n in 1..=12 {
                c.push(format!("{arr}-{n}"));
            }
        }
        let idx = KeyIndex::new(&c, KeyMatch::Normalised);
        let keys: Vec<String> = (1..=20)
            .flat_map(|a| (1..=12).map(move |n| format!("{a:02}{n:02}")))
            .collect();
        let r = idx.resolve(keys.iter().map(String::as_str));
        assert_eq!(r.matched_precincts, 240);
        assert_eq!(r.code("0101"), Some("1-1"));
        assert_eq!(
            r.code("1001"),
            Some("10-1"),
            "width 2 only: 1-1 padded to 3 must not interfere"
        );
        assert_eq!(r.rule.unwrap().composite_width, Some(2));
        // 3-digit padding and separators.
        let r = idx.resolve(["15049", "1_1", "20/012"]);
        assert_eq!(r.code("1_1"), Some("1-1"));
        assert_eq!(r.code("20/012"), Some("20-12"));
        // reverse: precinct codes written 1549, result keys 15-49
        let idx = KeyIndex::new(&codes(&["1549", "0101"]), KeyMatch::Normalised);
        let r = idx.resolve(["15-49", "1-1"]);
        assert_eq!(r.code("15-49"), Some("1549"));
        assert_eq!(r.code("1-1"), Some("0101"));
    }

    #[test]
    fn prefixed_codes() {
        let idx = KeyIndex::new(&codes(&["1-1", "1-2", "2-1"]), KeyMatch::Normalised);
        let r = idx.resolve(["75056_0101", "75056_0102", "75056_0201"]);
        assert_eq!(r.matched_precincts, 3);
        assert_eq!(r.code("75056_0201"), Some("2-1"));
        let r = idx.resolve(["750560101", "750560102"]);
        assert_eq!(r.code("750560102"), Some("1-2"));
        // precinct codes carry the prefix, results don't
        let idx = KeyIndex::new(&codes(&["750560101", "750560102"]), KeyMatch::Normalised);
        let r = idx.resolve(["0101", "0102"]);
        assert_eq!(r.code("0102"), Some("750560102"));
    }

    #[test]
    fn ambiguous_aliases_do_not_match_and_exact_wins() {
        let idx = KeyIndex::new(&codes(&["042", "42.0", "0042", "7"]), KeyMatch::Normalised);
        let r = idx.resolve(["42", "0042", "7"]);
        assert_eq!(r.code("0042"), Some("0042"), "exact wins");
        match r.lookup("42") {
            KeyLookup::Ambiguous(c) => assert_eq!(c.len(), 3),
            other => panic!("{other:?}"),
        }
        assert_eq!(r.ambiguous().len(), 1);
        assert_eq!(r.code("7"), Some("7"));
    }

    #[test]
    fn exact_mode() {
        let idx = KeyIndex::new(&codes(&["0042", "15-49"]), KeyMatch::Exact);
        let r = idx.resolve(["42", "0042", "1549", " 15-49 "]);
        assert_eq!(r.code("42"), None);
        assert_eq!(r.code("1549"), None);
        assert_eq!(r.code("0042"), Some("0042"));
        assert_eq!(r.code("15-49"), Some("15-49"));
        assert!(r.rule.is_none());
    }

    #[test]
    fn picks_the_key_column() {
        let idx = KeyIndex::new(&codes(&["1-1", "1-2", "2-1", "10-1"]), KeyMatch::Normalised);
        let cols = vec![
            (0, "dep".to_string(), vec!["75".to_string()]),
            (
                1,
                "code_bureau".to_string(),
                codes(&["0101", "0102", "0201", "1001"]),
            ),
            (
                2,
                "id_bv".to_string(),
                codes(&["1-1", "1-2", "2-1", "10-1"]),
            ),
            (3, "voix".to_string(), codes(&["1", "2", "3"])),
        ];
        let c = best_key_column(&idx, &cols).unwrap();
        assert_eq!(c.name, "id_bv", "ties go to exact matches");
        let c = best_key_column(&idx, &cols[..2]).unwrap();
        assert_eq!(c.name, "code_bureau");
        assert_eq!(c.resolution.matched_precincts, 4);
        assert!(best_key_column(&idx, &cols[..1]).is_none());
    }
}
