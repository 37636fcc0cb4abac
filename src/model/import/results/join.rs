//! The join's outcome: each row key resolved to a precinct (or why not), each accumulated contest
//! turned into an election and its join report, and the warnings about the whole file.

use std::collections::BTreeSet;

use super::accumulate::{ContestResults, ElectionAcc, RowCounts};
use super::{ElectionJoin, UnmatchedRow};
use crate::model::election::{ElectionResults, PrecinctResult};
use crate::model::import::keys::{KeyLookup, KeyResolution};

/// The precinct code a row's key matched, or why it matched none.
pub(super) fn match_key(resolution: &KeyResolution, key: &str) -> Result<String, String> {
    if key.is_empty() {
        return Err("empty key".into());
    }
    match resolution.lookup(key) {
        KeyLookup::Matched(c) => Ok(c.clone()),
        KeyLookup::Ambiguous(c) => Err(format!("ambiguous: {}", c.join(", "))),
        KeyLookup::NotFound => Err("no precinct".into()),
    }
}

/// The elections of a file, joined to the campaign's precincts.
pub(super) struct Joined {
    /// The elections to merge (those with at least one precinct).
    pub(super) elections: Vec<ElectionResults>,
    /// One per contest, written or not.
    pub(super) joins: Vec<ElectionJoin>,
    /// Distinct campaign precincts matched by some election.
    pub(super) matched: usize,
    pub(super) precincts_without_results: Vec<String>,
}

/// Turns the named contests into elections and their join reports. A contest without precincts
/// is reported and warned about, not returned; with `check_sums` (wide files), precincts whose
/// candidate votes do not add up to the valid votes are warned about.
pub(super) fn join_elections(
    contests: Vec<(String, ElectionAcc)>,
    codes: &[String],
    check_sums: bool,
    source_file: &str,
    warnings: &mut Vec<String>,
) -> Joined {
    let all_codes: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
    let mut matched_all: BTreeSet<String> = BTreeSet::new();
    let mut sum_mismatch: Vec<String> = Vec::new();
    let mut elections = Vec::new();
    let mut joins = Vec::new();
    for (name, acc) in contests {
        let r = acc.into_results();
        if check_sums {
            sum_mismatch.extend(
                r.precincts
                    .iter()
                    .filter_map(|p| vote_sum_mismatch(&name, p)),
            );
        }
        matched_all.extend(r.precincts.iter().map(|p| p.precinct_code.clone()));
        joins.push(election_join(&name, &r, &all_codes));
        if r.precincts.is_empty() {
            warnings.push(format!(
                "election {name}: no precinct matched, nothing written"
            ));
            continue;
        }
        elections.push(ElectionResults {
            name,
            source_file: Some(source_file.to_owned()),
            imported_at: None,
            candidates: r.candidates,
            precincts: r.precincts,
        });
    }
    if !sum_mismatch.is_empty() {
        warnings.push(format!(
            "{} precincts where candidate votes do not add up to valid votes: {}",
            sum_mismatch.len(),
            fmt_list(&sum_mismatch, 5)
        ));
    }
    Joined {
        elections,
        joins,
        matched: matched_all.len(),
        precincts_without_results: all_codes
            .iter()
            .filter(|c| !matched_all.contains(**c))
            .map(|c| (*c).to_owned())
            .collect(),
    }
}

/// The join report of election `name`: its precincts and the campaign's others.
fn election_join(name: &str, r: &ContestResults, all_codes: &BTreeSet<&str>) -> ElectionJoin {
    let matched: BTreeSet<&str> = r
        .precincts
        .iter()
        .map(|p| p.precinct_code.as_str())
        .collect();
    let without: Vec<String> = all_codes
        .difference(&matched)
        .map(|s| (*s).to_owned())
        .collect();
    ElectionJoin {
        name: name.to_owned(),
        created: true,
        rows: r.rows,
        matched: matched.len(),
        without_results: without.len(),
        precincts_without_results: without,
        candidates: r.candidates.iter().map(|c| c.label.clone()).collect(),
        has_turnout: r.has_turnout,
    }
}

/// "name code: sum ≠ valid" when every candidate has votes and they do not add up to the valid
/// votes.
fn vote_sum_mismatch(name: &str, p: &PrecinctResult) -> Option<String> {
    let valid = p.turnout.valid?;
    if p.votes.is_empty() || !p.votes.iter().all(Option::is_some) {
        return None;
    }
    let s: i64 = p.votes.iter().flatten().sum();
    (s != valid).then(|| format!("{name} {}: {s} ≠ {valid}", p.precinct_code))
}

/// Warnings about the rows as a whole: repeated or conflicting rows, ignored over/under votes,
/// ambiguous keys and rows matching no precinct.
pub(super) fn row_warnings(
    counts: &RowCounts,
    resolution: &KeyResolution,
    unmatched_rows: &[UnmatchedRow],
) -> Vec<String> {
    let mut warnings = Vec::new();
    if counts.duplicate_votes > 0 {
        warnings.push(format!(
            "{} repeated precinct × candidate rows: their votes were added",
            counts.duplicate_votes
        ));
    }
    if counts.turnout_conflicts > 0 {
        warnings.push(format!(
            "{} rows repeat a precinct's turnout with different figures: the first was kept",
            counts.turnout_conflicts
        ));
    }
    if counts.ignored_pseudo > 0 {
        warnings.push(format!(
            "{} over/under-vote rows ignored",
            counts.ignored_pseudo
        ));
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
    if !unmatched_rows.is_empty() {
        let keys: BTreeSet<&str> = unmatched_rows.iter().map(|u| u.key.as_str()).collect();
        let keys: Vec<String> = keys.into_iter().map(str::to_owned).collect();
        warnings.push(format!(
            "{} rows ({} distinct keys) match no precinct: {}",
            unmatched_rows.len(),
            keys.len(),
            fmt_list(&keys, 10)
        ));
    }
    warnings
}

/// The first `max` items, comma-separated, with the number left out.
pub(super) fn fmt_list(v: &[String], max: usize) -> String {
    let mut s = v.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if v.len() > max {
        s.push_str(&format!(" … (+{})", v.len() - max));
    }
    s
}
