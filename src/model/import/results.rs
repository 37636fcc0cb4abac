//! Election results from CSV: wide (one column per candidate), long (one row per precinct ×
//! candidate, as the Ministère's files), turnout-only and US OpenElections shapes, joined to the
//! campaign's precincts, with a join report; and `Campaign::import_results`, which merges them
//! into the campaign in one transaction.
//!
//! Election naming: `--election NAME` names the election of a single-contest file (or the one
//! contest left by `--office`); for a file that still holds several contests it is a prefix
//! (`"NAME contest"`). Without it, contests are named from an election column
//! (election/scrutin/contest, or office + district), completed by year and round columns
//! (`"Présidentielle 2017 tour 1"`), else from the file stem.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::model::Campaign;
use crate::model::election::{Candidate, ElectionResults, PrecinctResult, Turnout};
use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::Issue;
use crate::model::import::keys::{self, KeyIndex, KeyLookup, KeyMatch, KeyResolution};
use crate::model::import::text::{self, TextRecord, TextTable};
use crate::model::progress::Progress;
use crate::model::storage;

/// How to read a results file. Every field is optional: Porte guesses.
#[derive(Clone, Debug, Default)]
pub struct ResultsImportOptions {
    /// Election name for a single-contest file; a name prefix when the file holds several
    /// contests (see the module documentation).
    pub election: Option<String>,
    /// Column holding the precinct key; the column matching the most precincts when `None`.
    pub key_field: Option<String>,
    /// Keep only this contest (compared case- and accent-insensitively with the office /
    /// election column value or the full contest name).
    pub office: Option<String>,
    /// Manual mapping `(porte field, column)`. Porte fields: key, election, office, district,
    /// year, round, registered, voters, abstentions, blank, null, valid, candidate, firstname,
    /// party, votes; and `ignore` to keep a numeric column out of the candidates.
    pub mapping: Vec<(String, String)>,
    pub key_match: KeyMatch,
}

/// A result row whose key matched no precinct.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UnmatchedRow {
    /// 1-based line in the file (the header is row 1).
    pub row: u64,
    pub key: String,
    pub election: Option<String>,
    /// "no precinct" or "ambiguous: 1-1, 10-1".
    pub reason: String,
}

/// The join of one election.
#[derive(Clone, Debug, Serialize)]
pub struct ElectionJoin {
    pub name: String,
    /// False when the import merged into an election already in the campaign.
    pub created: bool,
    /// Result rows used for this election.
    pub rows: usize,
    /// Distinct precincts with results in this file.
    pub matched: usize,
    /// Number of campaign precincts without results in this file.
    pub without_results: usize,
    pub precincts_without_results: Vec<String>,
    /// Candidate (or list) labels in file order; empty for a turnout-only file.
    pub candidates: Vec<String>,
    /// True when the file gave turnout (registered, voters...) for this election.
    pub has_turnout: bool,
}

/// What a results import did.
#[derive(Clone, Debug, Serialize)]
pub struct ResultsImportReport {
    pub file: String,
    /// "wide", "long" or "openelections" (a turnout-only file is "wide" with no candidates).
    pub format: String,
    pub encoding: String,
    pub delimiter: String,
    pub key_field: String,
    /// How keys were compared, e.g. "exact" or "normalised, composite codes padded to 2 digits".
    pub key_rule: String,
    pub elections: Vec<ElectionJoin>,
    /// Data rows read (blank lines excluded).
    pub rows: usize,
    /// Rows left out by the office filter.
    pub rows_filtered_out: usize,
    /// Distinct campaign precincts matched by at least one row.
    pub matched: usize,
    pub unmatched_rows: Vec<UnmatchedRow>,
    /// Campaign precincts that no row matched.
    pub precincts_without_results: Vec<String>,
    /// Total / summary rows, skipped.
    pub summary_rows: Vec<Issue>,
    /// Rows with unreadable numbers or no candidate, skipped.
    pub bad_rows: Vec<Issue>,
    /// Which column was recognised as what, e.g. "registered = NB_INSCR".
    pub columns: Vec<String>,
    pub warnings: Vec<String>,
}

impl Campaign {
    /// Reads a results file, joins it to the campaign's precincts and merges every election it
    /// holds into the campaign, in one transaction (an error leaves the campaign untouched).
    /// Fields present in the file overwrite stored ones; absent fields are kept, so a turnout
    /// file completes elections created from a votes file.
    pub fn import_results(
        &mut self,
        file: &Path,
        opts: &ResultsImportOptions,
        progress: &dyn Progress,
    ) -> ModelResult<ResultsImportReport> {
        let codes = storage::precincts::codes(&self.conn)?;
        if codes.is_empty() {
            return Err(self.campaign_error(
                "no precincts yet: import precinct boundaries before election results",
            ));
        }
        let (mut report, elections) = read_results(file, &codes, opts, progress)?;
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        progress.set(0.92, "writing results");
        let file_name = file.display().to_string();
        self.in_transaction(|tx| {
            for e in &elections {
                let out = storage::elections::merge_election(tx, e)?;
                if let Some(j) = report.elections.iter_mut().find(|j| j.name == e.name) {
                    j.created = out.created;
                }
            }
            storage::import_log::append(tx, "results", &file_name, &report)?;
            Ok(())
        })?;
        progress.set(1.0, "results imported");
        Ok(report)
    }
}

// ---------------------------------------------------------------------------------------------
// Column roles

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
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
    fn parse(s: &str) -> Option<Field> {
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
    fn name(self) -> &'static str {
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
    fn is_turnout(self) -> bool {
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
fn fold(s: &str) -> String {
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
fn header_field(h: &str) -> Option<(Field, usize)> {
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

fn is_meta_header(h: &str) -> bool {
    h.trim().is_empty()
        || h.contains('%')
        || header_tokens(h)
            .iter()
            .any(|t| META_TOKENS.contains(&t.as_str()))
}

/// Parses a count: spaces (also non-breaking) and `'` as thousand separators, `12.0`, `1,234`.
/// `Ok(None)` for an empty cell, `Err(())` for anything else.
fn parse_count(s: &str) -> Result<Option<i64>, ()> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map(Some).map_err(|_| ());
    }
    if let Some((int, frac)) = s.split_once(['.', ','])
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
    {
        if frac.bytes().all(|b| b == b'0') && !frac.is_empty() && !frac.contains(['.', ',']) {
            return int.parse().map(Some).map_err(|_| ());
        }
        // 1,234 / 1.234.567: thousand separators
        let groups: Vec<&str> = s.split(['.', ',']).collect();
        let sep_count = s.matches(['.', ',']).count();
        let one_sep_kind = !(s.contains('.') && s.contains(','));
        if one_sep_kind
            && sep_count == groups.len() - 1
            && groups[0].len() <= 3
            && groups[1..]
                .iter()
                .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return groups.concat().parse().map(Some).map_err(|_| ());
        }
    }
    Err(())
}

/// Per-column statistics from a first pass over the file.
#[derive(Default)]
struct ColumnStats {
    non_empty: usize,
    counts: usize,
    distinct: BTreeSet<String>,
    distinct_overflow: bool,
}

const MAX_DISTINCT: usize = 200_000;

/// Turnout pseudo-candidates of OpenElections files.
enum Pseudo {
    Registered,
    Voters,
    Ignored,
    Total,
}

fn pseudo_candidate(label: &str) -> Option<Pseudo> {
    Some(match fold(label).as_str() {
        "registered_voters"
        | "registered"
        | "registration"
        | "voters_registered"
        | "total_registered_voters" => Pseudo::Registered,
        "ballots_cast" | "total_ballots_cast" | "ballots" | "total_ballots" | "voters"
        | "turnout" | "ballots_counted" | "times_cast" | "times_counted" => Pseudo::Voters,
        "over_votes" | "overvotes" | "under_votes" | "undervotes" | "over_vote" | "under_vote"
        | "blank_votes" | "rejected_ballots" | "invalid_votes" | "void" => Pseudo::Ignored,
        "total" | "total_votes" | "totals" | "total_votes_cast" | "votes_cast" => Pseudo::Total,
        _ => return None,
    })
}

fn is_total_key(key: &str) -> bool {
    let f = fold(key);
    matches!(
        f.as_str(),
        "total"
            | "totals"
            | "totaux"
            | "ensemble"
            | "tous"
            | "toutes"
            | "all"
            | "sum"
            | "somme"
            | "cumul"
    ) || f.starts_with("total_")
        || f.starts_with("grand_total")
        || f.ends_with("_total")
        || f.ends_with("_totals")
}

#[derive(Default)]
struct PrecinctAcc {
    /// Turnout per raw result key (first value of each field wins for a key).
    turnout_by_key: BTreeMap<String, Turnout>,
    votes: HashMap<usize, i64>,
    seen: HashSet<(String, usize)>,
}

#[derive(Default)]
struct ElectionAcc {
    rows: usize,
    candidates: Vec<Candidate>,
    index: HashMap<String, usize>,
    precincts: BTreeMap<String, PrecinctAcc>,
    has_turnout: bool,
}

impl ElectionAcc {
    fn candidate(&mut self, label: &str, party: Option<&str>) -> usize {
        if let Some(&i) = self.index.get(label) {
            if self.candidates[i].party.is_none() && party.is_some() {
                self.candidates[i].party = party.map(str::to_owned);
            }
            return i;
        }
        self.candidates.push(Candidate {
            label: label.to_owned(),
            party: party.map(str::to_owned),
        });
        self.index
            .insert(label.to_owned(), self.candidates.len() - 1);
        self.candidates.len() - 1
    }
}

fn merge_first(into: &mut Turnout, t: &Turnout) -> bool {
    let mut conflict = false;
    for (a, b) in [
        (&mut into.registered, t.registered),
        (&mut into.voters, t.voters),
        (&mut into.blank, t.blank),
        (&mut into.null, t.null),
        (&mut into.valid, t.valid),
    ] {
        match (*a, b) {
            (None, b) => *a = b,
            (Some(x), Some(y)) if x != y => conflict = true,
            _ => {}
        }
    }
    conflict
}

fn sum_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

fn fmt_list(v: &[String], max: usize) -> String {
    let mut s = v.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if v.len() > max {
        s.push_str(&format!(" … (+{})", v.len() - max));
    }
    s
}

/// Reads and joins a results file without writing anything: the report (with `created` left
/// true) and the elections to merge. `codes` are the campaign's precinct codes.
pub fn read_results(
    path: &Path,
    codes: &[String],
    opts: &ResultsImportOptions,
    progress: &dyn Progress,
) -> ModelResult<(ResultsImportReport, Vec<ElectionResults>)> {
    progress.set(0.0, "reading results");
    let table = text::open_table(path)?;
    read_results_table(&table, codes, opts, progress)
}

fn read_results_table(
    table: &TextTable,
    codes: &[String],
    opts: &ResultsImportOptions,
    progress: &dyn Progress,
) -> ModelResult<(ResultsImportReport, Vec<ElectionResults>)> {
    let path = table.path.as_path();
    let headers = &table.headers;
    let ncols = headers.len();
    let mut warnings = Vec::new();

    // ---- roles: manual mapping, key field, then recognised headers
    let mut roles: Vec<Option<Field>> = vec![None; ncols];
    let find_col = |name: &str, what: &str| -> Result<usize, ImportError> {
        table.column(name).ok_or_else(|| {
            ImportError::format(
                path,
                "",
                format!(
                    "no column {name:?} (for {what}); columns are: {}",
                    headers.join(", ")
                ),
            )
        })
    };
    for (field, col) in &opts.mapping {
        let f = Field::parse(field).ok_or_else(|| {
            ModelError::Invalid(format!(
                "unknown results field {field:?}: expected key, election, office, district, year, round, registered, voters, abstentions, blank, null, valid, candidate, firstname, party, votes or ignore"
            ))
        })?;
        let c = find_col(col, f.name())?;
        if f != Field::Ignore {
            for r in roles.iter_mut() {
                if *r == Some(f) {
                    *r = None;
                }
            }
        }
        roles[c] = Some(f);
    }
    if let Some(k) = &opts.key_field {
        let c = find_col(k, "the precinct key")?;
        for r in roles.iter_mut() {
            if *r == Some(Field::Key) {
                *r = None;
            }
        }
        roles[c] = Some(Field::Key);
    }
    let mut best: HashMap<Field, (usize, usize)> = HashMap::new(); // field -> (priority, col)
    for (i, h) in headers.iter().enumerate() {
        if roles[i].is_some() {
            continue;
        }
        if let Some((f, p)) = header_field(h)
            && !roles.contains(&Some(f))
            && best.get(&f).is_none_or(|&(bp, _)| p < bp)
        {
            best.insert(f, (p, i));
        }
    }
    for (f, (_, i)) in &best {
        roles[*i] = Some(*f);
    }
    let col_of = |f: Field| roles.iter().position(|r| *r == Some(f));

    // ---- first pass: statistics
    let mut stats: Vec<ColumnStats> = (0..ncols).map(|_| ColumnStats::default()).collect();
    let mut nrecords = 0usize;
    let total_len = table.text_len().max(1);
    for (n, rec) in table.records().enumerate() {
        let rec = rec?;
        if rec.is_blank() {
            continue;
        }
        nrecords += 1;
        if n % 4096 == 0 {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            let pos = rec
                .fields
                .position()
                .map(|p| p.byte() as usize)
                .unwrap_or(0);
            progress.set(0.4 * pos as f32 / total_len as f32, "reading results");
        }
        for (i, s) in stats.iter_mut().enumerate() {
            let v = rec.get(i);
            if v.is_empty() {
                continue;
            }
            s.non_empty += 1;
            if matches!(parse_count(v), Ok(Some(_))) {
                s.counts += 1;
            }
            if !s.distinct_overflow {
                if s.distinct.len() >= MAX_DISTINCT {
                    s.distinct_overflow = true;
                } else if !s.distinct.contains(v) {
                    s.distinct.insert(v.to_owned());
                }
            }
        }
    }
    if nrecords == 0 {
        return Err(ImportError::format(path, "", "no data rows after the header").into());
    }
    // A count column may hold a few bad cells (reported per row later).
    let numeric = |i: usize| {
        let s = &stats[i];
        let bad = s.non_empty - s.counts;
        s.counts > 0 && (s.counts * 100 >= s.non_empty * 75 || bad <= 2.max(s.non_empty / 20))
    };

    // ---- shape
    let has_votes = col_of(Field::Votes).is_some();
    let label_col = col_of(Field::Candidate).or(col_of(Field::Party));
    let has_turnout = roles.iter().any(|r| r.is_some_and(Field::is_turnout));
    let long = has_votes && label_col.is_some();
    let openelections = long && col_of(Field::Office).is_some();
    let mut candidate_cols: Vec<usize> = Vec::new();
    if !long {
        candidate_cols = (0..ncols)
            .filter(|&i| roles[i].is_none() && numeric(i) && !is_meta_header(&headers[i]))
            .collect();
    }

    // ---- key column
    let index = KeyIndex::new(codes, opts.key_match);
    let values = |i: usize| -> Vec<String> { stats[i].distinct.iter().cloned().collect() };
    let (key_col, resolution): (usize, KeyResolution) = match col_of(Field::Key) {
        Some(c) => (
            c,
            index.resolve(stats[c].distinct.iter().map(String::as_str)),
        ),
        None => {
            let pick = |include_candidates: bool| {
                let cols: Vec<(usize, String, Vec<String>)> = (0..ncols)
                    .filter(|&i| {
                        (roles[i].is_none() || matches!(roles[i], Some(Field::District)))
                            && (include_candidates || !candidate_cols.contains(&i))
                            && stats[i].non_empty > 0
                    })
                    .map(|i| (i, headers[i].clone(), values(i)))
                    .collect();
                keys::best_key_column(&index, &cols)
            };
            match pick(false).or_else(|| pick(true)) {
                Some(choice) => {
                    candidate_cols.retain(|&c| c != choice.column);
                    (choice.column, choice.resolution)
                }
                None => {
                    let sample: Vec<String> = codes.iter().take(5).cloned().collect();
                    return Err(ImportError::format(
                        path,
                        "",
                        format!(
                            "no column matches the campaign's precinct codes (e.g. {}); set the key field to the column holding precinct codes; columns are: {}",
                            sample.join(", "),
                            headers.join(", ")
                        ),
                    )
                    .into());
                }
            }
        }
    };
    roles[key_col] = Some(Field::Key);
    let roles = roles;
    let col_of = |f: Field| roles.iter().position(|r| *r == Some(f));

    let format = if openelections {
        "openelections"
    } else if long {
        "long"
    } else if !candidate_cols.is_empty() || has_turnout {
        "wide"
    } else {
        return Err(ImportError::format(
            path,
            "",
            format!(
                "no results columns recognised: expected turnout columns (inscrits/registered, votants/voters, exprimés/valid...), a votes column (voix/votes) with a candidate column (nom/candidat/candidate/liste/nuance), or one numeric column per candidate; columns are: {}",
                headers.join(", ")
            ),
        )
        .into());
    };
    if format == "wide" && candidate_cols.is_empty() {
        warnings.push(
            "no candidate columns: turnout only, merged into the elections it names".to_owned(),
        );
    }
    if format == "wide" && candidate_cols.len() == 1 && !has_turnout {
        warnings.push(format!(
            "a single vote column ({}) and no turnout columns: check the file's shape",
            headers[candidate_cols[0]]
        ));
    }
    let mut columns: Vec<String> = Vec::new();
    for (i, r) in roles.iter().enumerate() {
        if let Some(f) = r
            && *f != Field::Ignore
        {
            columns.push(format!("{} = {}", f.name(), headers[i]));
        }
    }
    if !candidate_cols.is_empty() {
        columns.push(format!(
            "candidates = {}",
            candidate_cols
                .iter()
                .map(|&i| headers[i].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let use_first_name = col_of(Field::Candidate).is_some_and(|c| {
        header_field(&headers[c]).is_some_and(|(_, p)| {
            let names = ALIASES
                .iter()
                .find(|(f, _)| *f == Field::Candidate)
                .unwrap()
                .1;
            SURNAME_ALIASES.contains(&names[p])
        })
    }) && col_of(Field::FirstName).is_some()
        || opts
            .mapping
            .iter()
            .any(|(f, _)| Field::parse(f) == Some(Field::FirstName));

    // ---- contests
    let election_col = col_of(Field::Election);
    let office_col = col_of(Field::Office);
    let district_col = col_of(Field::District).filter(|_| office_col.is_some());
    let year_col = col_of(Field::Year);
    let round_col = col_of(Field::Round);
    let round_word = round_col.map(|c| {
        let f = fold(&headers[c]);
        if f.contains("round") { "round" } else { "tour" }
    });
    let contest_of = |rec: &TextRecord| -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        for c in [election_col, office_col].into_iter().flatten() {
            let v = rec.get(c);
            if !v.is_empty() {
                parts.push(v.to_owned());
            }
        }
        if let Some(c) = district_col {
            let v = rec.get(c);
            if !v.is_empty() && !parts.is_empty() {
                parts.push(v.to_owned());
            }
        }
        if let Some(c) = year_col {
            let v = rec.get(c);
            if !v.is_empty() && !parts.iter().any(|p| p.contains(v)) {
                parts.push(v.to_owned());
            }
        }
        if let (Some(c), Some(w)) = (round_col, round_word) {
            let v = rec.get(c);
            if !v.is_empty() {
                parts.push(format!("{w} {v}"));
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let office_filter = opts.office.as_deref().map(fold);
    let keep = |rec: &TextRecord, contest: &Option<String>| -> bool {
        let Some(f) = &office_filter else { return true };
        contest.as_deref().is_some_and(|c| fold(c) == *f)
            || [office_col, election_col]
                .into_iter()
                .flatten()
                .any(|c| fold(rec.get(c)) == *f)
    };
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            let n = n.strip_suffix(".gz").unwrap_or(n);
            n.rsplit_once('.').map(|(a, _)| a).unwrap_or(n).to_owned()
        })
        .unwrap_or_else(|| "results".to_owned());

    // ---- second pass
    let mut report = ResultsImportReport {
        file: path.display().to_string(),
        format: format.to_owned(),
        encoding: table.encoding.to_owned(),
        delimiter: table.delimiter_name(),
        key_field: headers[key_col].clone(),
        key_rule: match (opts.key_match, &resolution.rule) {
            (KeyMatch::Exact, _) => "exact".to_owned(),
            (_, Some(r)) => r.describe(),
            (_, None) => "normalised".to_owned(),
        },
        elections: Vec::new(),
        rows: nrecords,
        rows_filtered_out: 0,
        matched: 0,
        unmatched_rows: Vec::new(),
        precincts_without_results: Vec::new(),
        summary_rows: Vec::new(),
        bad_rows: Vec::new(),
        columns,
        warnings: Vec::new(),
    };
    let mut contests: BTreeMap<Option<String>, ElectionAcc> = BTreeMap::new();
    let mut contest_order: Vec<Option<String>> = Vec::new();
    // OpenElections file-level turnout ("Registered Voters" / "Ballots Cast" offices), by key.
    let mut file_turnout: BTreeMap<String, (String, Turnout)> = BTreeMap::new();
    let mut all_contests_seen: BTreeSet<String> = BTreeSet::new();
    let mut duplicate_votes = 0usize;
    let mut turnout_conflicts = 0usize;
    let mut ignored_pseudo = 0usize;
    let measure_cols: Vec<usize> = (0..ncols)
        .filter(|&i| {
            roles[i].is_some_and(|f| f.is_turnout() || f == Field::Votes)
                || candidate_cols.contains(&i)
        })
        .collect();

    for (n, rec) in table.records().enumerate() {
        let rec = rec?;
        if rec.is_blank() {
            continue;
        }
        if n % 4096 == 0 {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            let pos = rec
                .fields
                .position()
                .map(|p| p.byte() as usize)
                .unwrap_or(0);
            progress.set(0.4 + 0.5 * pos as f32 / total_len as f32, "joining results");
        }
        let row = rec.line;
        let loc = format!("row {row}");
        let key = rec.get(key_col).to_owned();
        let has_numbers = measure_cols
            .iter()
            .any(|&c| matches!(parse_count(rec.get(c)), Ok(Some(_))));
        if key.is_empty() && has_numbers {
            report.summary_rows.push(Issue {
                location: loc,
                message: "no precinct key but numbers: a total row".into(),
                action: "skipped".into(),
            });
            continue;
        }
        if !key.is_empty() && is_total_key(&key) {
            report.summary_rows.push(Issue {
                location: loc,
                message: format!("total row (key {key:?})"),
                action: "skipped".into(),
            });
            continue;
        }
        let contest = contest_of(&rec);

        // Turnout fields of the row.
        let mut turnout = Turnout::default();
        let mut abstentions = None;
        let mut bad: Option<String> = None;
        for (i, r) in roles.iter().enumerate() {
            let Some(f) = r else { continue };
            if !f.is_turnout() {
                continue;
            }
            match parse_count(rec.get(i)) {
                Ok(v) => match f {
                    Field::Registered => turnout.registered = v,
                    Field::Voters => turnout.voters = v,
                    Field::Abstentions => abstentions = v,
                    Field::Blank => turnout.blank = v,
                    Field::Null => turnout.null = v,
                    Field::Valid => turnout.valid = v,
                    _ => {}
                },
                Err(()) => {
                    bad = Some(format!(
                        "non-numeric value {:?} in column {}",
                        rec.get(i),
                        headers[i]
                    ));
                    break;
                }
            }
        }
        if turnout.voters.is_none()
            && let (Some(r), Some(a)) = (turnout.registered, abstentions)
        {
            turnout.voters = Some(r - a);
        }

        // Votes of the row: (label, party, votes).
        let mut votes: Vec<(String, Option<String>, i64)> = Vec::new();
        let mut pseudo: Option<(Pseudo, bool, i64)> = None; // (kind, office-level, value)
        if bad.is_none() {
            if long {
                let vcol = col_of(Field::Votes).expect("long has votes");
                let mut label = label_col.map(|c| rec.get(c).to_owned()).unwrap_or_default();
                if use_first_name && let Some(fc) = col_of(Field::FirstName) {
                    let first = rec.get(fc);
                    if !first.is_empty() {
                        label = if label.is_empty() {
                            first.to_owned()
                        } else {
                            format!("{label} {first}")
                        };
                    }
                }
                let party = col_of(Field::Party)
                    .filter(|&c| Some(c) != label_col)
                    .map(|c| rec.get(c).to_owned())
                    .filter(|p| !p.is_empty());
                let office_value = office_col.map(|c| rec.get(c)).unwrap_or("");
                let office_pseudo = pseudo_candidate(office_value);
                match parse_count(rec.get(vcol)) {
                    Err(()) => {
                        bad = Some(format!(
                            "non-numeric votes {:?} in column {}",
                            rec.get(vcol),
                            headers[vcol]
                        ))
                    }
                    Ok(None) => {}
                    Ok(Some(v)) => {
                        if let Some(p) = office_pseudo {
                            pseudo = Some((p, true, v));
                        } else if let Some(p) = pseudo_candidate(&label) {
                            pseudo = Some((p, false, v));
                        } else if label.is_empty() {
                            bad = Some("no candidate name".into());
                        } else {
                            votes.push((label, party, v));
                        }
                    }
                }
            } else {
                for &c in &candidate_cols {
                    match parse_count(rec.get(c)) {
                        Ok(Some(v)) => votes.push((headers[c].clone(), None, v)),
                        Ok(None) => {}
                        Err(()) => {
                            bad = Some(format!(
                                "non-numeric votes {:?} in column {}",
                                rec.get(c),
                                headers[c]
                            ));
                            break;
                        }
                    }
                }
            }
        }
        if let Some(message) = bad {
            report.bad_rows.push(Issue {
                location: format!("row {row} (key {key})"),
                message,
                action: "skipped".into(),
            });
            continue;
        }
        if let Some((Pseudo::Total, _, _)) = pseudo {
            report.summary_rows.push(Issue {
                location: loc,
                message: format!("total row (key {key:?})"),
                action: "skipped".into(),
            });
            continue;
        }
        // Office-level turnout rows apply to every contest of the precinct: before the filter.
        if let Some((kind, true, v)) = &pseudo {
            match kind {
                Pseudo::Registered | Pseudo::Voters => {
                    let e = file_turnout
                        .entry(key.clone())
                        .or_insert_with(|| (key.clone(), Turnout::default()));
                    let slot = if matches!(kind, Pseudo::Registered) {
                        &mut e.1.registered
                    } else {
                        &mut e.1.voters
                    };
                    *slot = Some(slot.unwrap_or(0) + v);
                }
                _ => ignored_pseudo += 1,
            }
            continue;
        }
        if let Some(c) = &contest {
            all_contests_seen.insert(c.clone());
        }
        if !keep(&rec, &contest) {
            report.rows_filtered_out += 1;
            continue;
        }
        if key.is_empty() {
            report.unmatched_rows.push(UnmatchedRow {
                row,
                key,
                election: contest.clone(),
                reason: "empty key".into(),
            });
            continue;
        }
        let code = match resolution.lookup(&key) {
            KeyLookup::Matched(c) => c.clone(),
            KeyLookup::Ambiguous(c) => {
                report.unmatched_rows.push(UnmatchedRow {
                    row,
                    key,
                    election: contest.clone(),
                    reason: format!("ambiguous: {}", c.join(", ")),
                });
                continue;
            }
            KeyLookup::NotFound => {
                report.unmatched_rows.push(UnmatchedRow {
                    row,
                    key,
                    election: contest.clone(),
                    reason: "no precinct".into(),
                });
                continue;
            }
        };
        if !contests.contains_key(&contest) {
            contest_order.push(contest.clone());
        }
        let acc = contests.entry(contest.clone()).or_default();
        acc.rows += 1;
        match &pseudo {
            Some((Pseudo::Registered, false, v)) => turnout.registered = Some(*v),
            Some((Pseudo::Voters, false, v)) => turnout.voters = Some(*v),
            Some((Pseudo::Ignored, ..)) => ignored_pseudo += 1,
            _ => {}
        }
        if !turnout.is_empty() {
            acc.has_turnout = true;
        }
        let ids: Vec<(usize, i64)> = votes
            .iter()
            .map(|(label, party, v)| (acc.candidate(label, party.as_deref()), *v))
            .collect();
        let p = acc.precincts.entry(code).or_default();
        let t = p.turnout_by_key.entry(key.clone()).or_default();
        if merge_first(t, &turnout) {
            turnout_conflicts += 1;
        }
        for (cid, v) in ids {
            if !p.seen.insert((key.clone(), cid)) {
                duplicate_votes += 1;
            }
            *p.votes.entry(cid).or_insert(0) += v;
        }
    }

    if let Some(f) = &opts.office
        && contests.is_empty()
        && report.rows_filtered_out > 0
    {
        let seen: Vec<String> = all_contests_seen.into_iter().collect();
        return Err(ImportError::format(
            path,
            "",
            format!(
                "no contest named {f:?}; the file holds: {}",
                fmt_list(&seen, 30)
            ),
        )
        .into());
    }
    if let Some(f) = &opts.office
        && election_col.is_none()
        && office_col.is_none()
    {
        warnings.push(format!(
            "office filter {f:?} ignored: the file has no office or election column"
        ));
    }

    // File-level turnout (OpenElections "Registered Voters" rows) into every contest.
    if !file_turnout.is_empty() {
        let mut unmatched_turnout = 0;
        for (key, (_, t)) in &file_turnout {
            let Some(code) = resolution.code(key) else {
                unmatched_turnout += 1;
                continue;
            };
            if contests.is_empty() {
                contest_order.push(None);
                contests.insert(None, ElectionAcc::default());
            }
            for acc in contests.values_mut() {
                if let Some(p) = acc.precincts.get_mut(code) {
                    acc.has_turnout = true;
                    merge_first(p.turnout_by_key.entry(key.clone()).or_default(), t);
                } else if acc.candidates.is_empty() {
                    acc.has_turnout = true;
                    merge_first(
                        acc.precincts
                            .entry(code.to_owned())
                            .or_default()
                            .turnout_by_key
                            .entry(key.clone())
                            .or_default(),
                        t,
                    );
                }
            }
        }
        if unmatched_turnout > 0 {
            warnings.push(format!(
                "{unmatched_turnout} registered/ballots-cast rows have no precinct"
            ));
        }
    }

    // ---- naming and results
    let names: Vec<(Option<String>, String)> = {
        let single = contest_order.len() <= 1;
        contest_order
            .iter()
            .map(|c| {
                let name = match (&opts.election, c) {
                    (Some(e), _) if single => e.clone(),
                    (Some(e), Some(c)) => format!("{e} {c}"),
                    (Some(e), None) => e.clone(),
                    (None, Some(c)) => c.clone(),
                    (None, None) => stem.clone(),
                };
                (c.clone(), name)
            })
            .collect()
    };
    let all_codes: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
    let mut matched_all: BTreeSet<String> = BTreeSet::new();
    let mut elections = Vec::new();
    let mut sum_mismatch: Vec<String> = Vec::new();
    for (contest, name) in names {
        let acc = contests.remove(&contest).unwrap_or_default();
        let mut precincts = Vec::with_capacity(acc.precincts.len());
        for (code, p) in acc.precincts {
            let mut t = Turnout::default();
            for kt in p.turnout_by_key.values() {
                t.registered = sum_opt(t.registered, kt.registered);
                t.voters = sum_opt(t.voters, kt.voters);
                t.blank = sum_opt(t.blank, kt.blank);
                t.null = sum_opt(t.null, kt.null);
                t.valid = sum_opt(t.valid, kt.valid);
            }
            let votes: Vec<Option<i64>> = (0..acc.candidates.len())
                .map(|i| p.votes.get(&i).copied())
                .collect();
            if format == "wide"
                && let Some(valid) = t.valid
                && !votes.is_empty()
                && votes.iter().all(Option::is_some)
            {
                let s: i64 = votes.iter().flatten().sum();
                if s != valid {
                    sum_mismatch.push(format!("{name} {code}: {s} ≠ {valid}"));
                }
            }
            matched_all.insert(code.clone());
            precincts.push(PrecinctResult {
                precinct_code: code,
                turnout: t,
                votes,
            });
        }
        let matched: BTreeSet<&str> = precincts.iter().map(|p| p.precinct_code.as_str()).collect();
        let without: Vec<String> = all_codes
            .difference(&matched)
            .map(|s| (*s).to_owned())
            .collect();
        report.elections.push(ElectionJoin {
            name: name.clone(),
            created: true,
            rows: acc.rows,
            matched: matched.len(),
            without_results: without.len(),
            precincts_without_results: without,
            candidates: acc.candidates.iter().map(|c| c.label.clone()).collect(),
            has_turnout: acc.has_turnout,
        });
        if precincts.is_empty() {
            warnings.push(format!(
                "election {name}: no precinct matched, nothing written"
            ));
            continue;
        }
        elections.push(ElectionResults {
            name,
            source_file: Some(path.display().to_string()),
            imported_at: None,
            candidates: acc.candidates,
            precincts,
        });
    }
    report.matched = matched_all.len();
    report.precincts_without_results = all_codes
        .iter()
        .filter(|c| !matched_all.contains(**c))
        .map(|c| (*c).to_owned())
        .collect();

    // ---- warnings
    if !sum_mismatch.is_empty() {
        warnings.push(format!(
            "{} precincts where candidate votes do not add up to valid votes: {}",
            sum_mismatch.len(),
            fmt_list(&sum_mismatch, 5)
        ));
    }
    if duplicate_votes > 0 {
        warnings.push(format!(
            "{duplicate_votes} repeated precinct × candidate rows: their votes were added"
        ));
    }
    if turnout_conflicts > 0 {
        warnings.push(format!(
            "{turnout_conflicts} rows repeat a precinct's turnout with different figures: the first was kept"
        ));
    }
    if ignored_pseudo > 0 {
        warnings.push(format!("{ignored_pseudo} over/under-vote rows ignored"));
    }
    let amb = resolution.ambiguous();
    if !amb.is_empty() {
        let list: Vec<String> = amb
            .iter()
            .map(|(k, c)| format!("{k} → {}", c.join("/")))
            .collect();
        warnings.push(format!(
            "{} keys match several precincts and were not joined: {}",
            amb.len(),
            fmt_list(&list, 5)
        ));
    }
    if !report.unmatched_rows.is_empty() {
        let keys: BTreeSet<&str> = report
            .unmatched_rows
            .iter()
            .map(|u| u.key.as_str())
            .collect();
        let keys: Vec<String> = keys.into_iter().map(str::to_owned).collect();
        warnings.push(format!(
            "{} rows ({} distinct keys) match no precinct: {}",
            report.unmatched_rows.len(),
            keys.len(),
            fmt_list(&keys, 10)
        ));
    }
    report.warnings = warnings;
    progress.set(0.9, "results joined");
    Ok((report, elections))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoProgress;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn read(
        path: &Path,
        codes: &[String],
        opts: &ResultsImportOptions,
    ) -> (ResultsImportReport, Vec<ElectionResults>) {
        read_results(path, codes, opts, &NoProgress).unwrap()
    }

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

    #[test]
    fn total_keys() {
        for k in [
            "TOTAL",
            "Total général",
            "Ensemble",
            "County Total",
            "total_paris",
            "Grand Total",
        ] {
            assert!(is_total_key(k), "{k}");
        }
        for k in ["Totalville 1", "15-49", "ALLENTOWN 3", "Tousson"] {
            assert!(!is_total_key(k), "{k}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count(" 1 234 "), Ok(Some(1234)));
        assert_eq!(parse_count("1\u{a0}234"), Ok(Some(1234)));
        assert_eq!(parse_count("12.0"), Ok(Some(12)));
        assert_eq!(parse_count("1,234"), Ok(Some(1234)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("12.5"), Err(()));
        assert_eq!(parse_count("abc"), Err(()));
        assert_eq!(parse_count("-3"), Err(()));
    }

    #[test]
    fn wide_with_total_row_and_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "pres.csv",
            "ID_BV;SCRUTIN;ANNEE;TOUR;NUM_BUREAU;NB_INSCR;NB_VOTANT;NB_BL;NB_NUL;NB.EXPRIM;DUPONT Jean;MARTIN Léa;\n\
             1-1;Présidentielle;2017;1;1;100;80;2;3;75;50;25;\n\
             1-2;Présidentielle;2017;1;2;200;150;5;5;140;70;71;\n\
             1-3;Présidentielle;2017;1;3;10;8;0;0;8;x;8;\n\
             9-9;Présidentielle;2017;1;9;10;8;0;0;8;4;4;\n\
             ;;;;;;;;;;120;;\n",
        );
        let c = codes(&["1-1", "1-2", "1-3", "2-1"]);
        let (r, e) = read(&p, &c, &ResultsImportOptions::default());
        assert_eq!(r.format, "wide");
        assert_eq!(r.delimiter, ";");
        assert_eq!(r.key_field, "ID_BV");
        assert_eq!(r.rows, 5);
        assert_eq!(r.summary_rows.len(), 1);
        assert_eq!(r.summary_rows[0].location, "row 6");
        assert_eq!(r.bad_rows.len(), 1);
        assert!(
            r.bad_rows[0].location.starts_with("row 4"),
            "{:?}",
            r.bad_rows
        );
        assert_eq!(
            r.unmatched_rows,
            vec![UnmatchedRow {
                row: 5,
                key: "9-9".into(),
                election: Some("Présidentielle 2017 tour 1".into()),
                reason: "no precinct".into()
            }]
        );
        assert_eq!(r.matched, 2);
        assert_eq!(r.precincts_without_results, vec!["1-3", "2-1"]);
        assert_eq!(r.elections.len(), 1);
        assert_eq!(r.elections[0].name, "Présidentielle 2017 tour 1");
        assert_eq!(r.elections[0].candidates, vec!["DUPONT Jean", "MARTIN Léa"]);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("do not add up") && w.contains("1-2")),
            "{:?}",
            r.warnings
        );
        let el = &e[0];
        let p11 = el.precinct("1-1").unwrap();
        assert_eq!(
            p11.turnout,
            Turnout {
                registered: Some(100),
                voters: Some(80),
                blank: Some(2),
                null: Some(3),
                valid: Some(75)
            }
        );
        assert_eq!(p11.votes, vec![Some(50), Some(25)]);

        let opts = ResultsImportOptions {
            election: Some("P17".into()),
            ..Default::default()
        };
        let (r, _) = read(&p, &c, &opts);
        assert_eq!(r.elections[0].name, "P17");
    }

    #[test]
    fn long_with_codes_multi_contest_and_office_filter() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "long.csv",
            "code_bureau,election,nom,prenom,nuance,voix\n\
             0101,pres-1,MACRON,Emmanuel,REM,10\n\
             0101,pres-1,LE PEN,Marine,FN,5\n\
             1001,pres-1,MACRON,Emmanuel,REM,7\n\
             1001,pres-1,LE PEN,Marine,FN,abc\n\
             0101,leg-1,DUPONT,Jean,LR,3\n\
             TOTAL,pres-1,MACRON,Emmanuel,REM,17\n",
        );
        let c = codes(&["1-1", "10-1", "2-1"]);
        let (r, e) = read(&p, &c, &ResultsImportOptions::default());
        assert_eq!(r.format, "long");
        assert_eq!(r.delimiter, ",");
        assert_eq!(r.key_field, "code_bureau");
        assert!(r.key_rule.contains("2 digits"), "{}", r.key_rule);
        assert_eq!(r.elections.len(), 2);
        assert_eq!(r.elections[0].name, "pres-1");
        assert_eq!(r.elections[0].matched, 2);
        assert_eq!(
            r.elections[0].candidates,
            vec!["MACRON Emmanuel", "LE PEN Marine"]
        );
        assert_eq!(
            r.elections[1].precincts_without_results,
            vec!["10-1", "2-1"]
        );
        assert_eq!(r.summary_rows.len(), 1);
        assert_eq!(r.bad_rows.len(), 1);
        assert_eq!(e[0].candidates[0].party.as_deref(), Some("REM"));
        assert_eq!(e[0].precinct("10-1").unwrap().votes, vec![Some(7), None]);

        let opts = ResultsImportOptions {
            office: Some("PRES-1".into()),
            election: Some("Pres 2017".into()),
            ..Default::default()
        };
        let (r, _) = read(&p, &c, &opts);
        assert_eq!(r.elections.len(), 1);
        assert_eq!(r.elections[0].name, "Pres 2017");
        assert_eq!(r.rows_filtered_out, 1);
        let opts = ResultsImportOptions {
            election: Some("2017".into()),
            ..Default::default()
        };
        let (r, _) = read(&p, &c, &opts);
        assert_eq!(r.elections[1].name, "2017 leg-1");
        let opts = ResultsImportOptions {
            office: Some("nope".into()),
            ..Default::default()
        };
        let e = read_results(&p, &c, &opts, &NoProgress)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no contest named") && e.contains("pres-1"),
            "{e}"
        );
    }

    #[test]
    fn turnout_only_latin1_tab_and_manual_mapping() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("part.tsv");
        std::fs::write(&p, b"bv\tInscrits\tVotants\tAbstentions\tExprim\xe9s\tcolonne bizarre\n42\t100\t\t30\t60\t9\n0043\t50\t40\t10\t38\t1\n").unwrap();
        let c = codes(&["042", "043"]);
        let (r, e) = read(&p, &c, &ResultsImportOptions::default());
        assert_eq!(r.encoding, "windows-1252");
        assert_eq!(r.format, "wide");
        // "colonne bizarre" is numeric and not meta: a candidate column...
        assert_eq!(r.elections[0].candidates, vec!["colonne bizarre"]);
        assert_eq!(e[0].name, "part");
        assert_eq!(
            e[0].precinct("042").unwrap().turnout.voters,
            Some(70),
            "registered − abstentions"
        );
        // ...unless mapped away.
        let opts = ResultsImportOptions {
            mapping: vec![
                ("ignore".into(), "colonne bizarre".into()),
                ("null".into(), "Votants".into()),
            ],
            ..Default::default()
        };
        let (r, e) = read(&p, &c, &opts);
        assert!(r.elections[0].candidates.is_empty());
        assert!(r.warnings.iter().any(|w| w.contains("turnout only")));
        assert_eq!(e[0].precinct("043").unwrap().turnout.null, Some(40));
        let bad = ResultsImportOptions {
            key_field: Some("nope".into()),
            ..Default::default()
        };
        let err = read_results(&p, &c, &bad, &NoProgress)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no column \"nope\"") && err.contains("part.tsv"),
            "{err}"
        );
    }

    #[test]
    fn openelections_shape() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "oe.csv",
            "county,precinct,office,district,party,candidate,votes\n\
             Adams,101,Registered Voters,,,,500\n\
             Adams,101,Ballots Cast,,,,300\n\
             Adams,101,President,,DEM,Jane Doe,150\n\
             Adams,101,President,,REP,John Roe,140\n\
             Adams,101,President,,,Over Votes,2\n\
             Adams,101,U.S. House,5,DEM,Ann Lee,160\n\
             Adams,102,President,,DEM,Jane Doe,10\n\
             Adams,Total,President,,DEM,Jane Doe,160\n",
        );
        let c = codes(&["101", "102", "103"]);
        let (r, e) = read(&p, &c, &ResultsImportOptions::default());
        assert_eq!(r.format, "openelections");
        assert_eq!(r.key_field, "precinct");
        let names: Vec<&str> = r.elections.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["President", "U.S. House 5"]);
        assert_eq!(r.elections[0].candidates, vec!["Jane Doe", "John Roe"]);
        assert_eq!(r.summary_rows.len(), 1);
        let t = e[0].precinct("101").unwrap().turnout;
        assert_eq!((t.registered, t.voters), (Some(500), Some(300)));
        assert_eq!(e[1].precinct("101").unwrap().turnout.registered, Some(500));
        let opts = ResultsImportOptions {
            office: Some("president".into()),
            ..Default::default()
        };
        let (r, _) = read(&p, &c, &opts);
        assert_eq!(r.elections.len(), 1);
        assert_eq!(r.elections[0].name, "President");
    }

    #[test]
    fn ambiguous_keys_are_reported_not_joined() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "amb.csv", "bv;inscrits;votants\n42;10;5\n7;20;10\n");
        let (r, e) = read(
            &p,
            &codes(&["042", "0042", "7"]),
            &ResultsImportOptions::default(),
        );
        assert_eq!(r.matched, 1);
        assert_eq!(r.unmatched_rows.len(), 1);
        assert_eq!(r.unmatched_rows[0].row, 2);
        assert!(
            r.unmatched_rows[0]
                .reason
                .starts_with("ambiguous: 0042, 042"),
            "{:?}",
            r.unmatched_rows
        );
        assert!(
            r.warnings.iter().any(|w| w.contains("several precincts")),
            "{:?}",
            r.warnings
        );
        assert_eq!(e[0].precincts.len(), 1);
        let exact = ResultsImportOptions {
            key_match: KeyMatch::Exact,
            key_field: Some("bv".into()),
            ..Default::default()
        };
        let (r, _) = read(&p, &codes(&["042", "0042", "7"]), &exact);
        assert_eq!(r.key_rule, "exact");
        assert_eq!(r.unmatched_rows[0].reason, "no precinct");
    }

    #[test]
    fn no_matching_column_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "x.csv", "bureau;inscrits\nA;1\nB;2\n");
        let e = read_results(
            &p,
            &codes(&["1-1"]),
            &ResultsImportOptions::default(),
            &NoProgress,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("no column matches") && e.contains("x.csv"),
            "{e}"
        );
        let p = write(&dir, "y.csv", "bureau;commentaire\n1-1;bien\n");
        let e = read_results(
            &p,
            &codes(&["1-1"]),
            &ResultsImportOptions::default(),
            &NoProgress,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no results columns"), "{e}");
    }

    #[test]
    fn campaign_import_merges_and_logs() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        for code in ["1-1", "1-2"] {
            c.connection()
                .execute("INSERT INTO precincts (code) VALUES (?1)", [code])
                .unwrap();
        }
        let long = write(
            &dir,
            "l.csv",
            "id_bv,election,nom,voix\n1-1,p1,A,3\n1-2,p1,A,4\n1-1,p1,B,1\n",
        );
        let part = write(
            &dir,
            "t.csv",
            "id_bv,election,inscrits,votants\n1-1,p1,10,5\n1-2,p1,20,6\n",
        );
        let r = c
            .import_results(&long, &ResultsImportOptions::default(), &NoProgress)
            .unwrap();
        assert!(r.elections[0].created);
        let r = c
            .import_results(&part, &ResultsImportOptions::default(), &NoProgress)
            .unwrap();
        assert!(!r.elections[0].created);
        let e = storage::elections::load_election(c.connection(), "p1")
            .unwrap()
            .unwrap();
        assert_eq!(e.candidates.len(), 2);
        let p = e.precinct("1-1").unwrap();
        assert_eq!(p.turnout.registered, Some(10));
        assert_eq!(p.votes, vec![Some(3), Some(1)]);
        let n: i64 = c
            .connection()
            .query_row(
                "SELECT count(*) FROM import_log WHERE kind = 'results'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2);
        // A failing import leaves the campaign untouched; a cancelled one too.
        let bad = write(&dir, "bad.csv", "foo;bar\n1;2\n");
        assert!(
            c.import_results(&bad, &ResultsImportOptions::default(), &NoProgress)
                .is_err()
        );
        let sp = crate::model::progress::SharedProgress::default();
        sp.cancel();
        assert!(matches!(
            c.import_results(&long, &ResultsImportOptions::default(), &sp),
            Err(ModelError::Cancelled)
        ));
        assert_eq!(
            storage::elections::election_names(c.connection()).unwrap(),
            vec!["p1"]
        );
    }
}
