//! Per-election accumulators: candidates in file order, and per precinct the turnout of each raw
//! result key and each candidate's votes; plus OpenElections' file-level turnout, spread into
//! every contest at the end.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::cells::Pseudo;
use super::rows::RowValues;
use crate::model::election::{Candidate, PrecinctResult, Turnout};
use crate::model::import::keys::KeyResolution;

/// One precinct of one election.
#[derive(Default)]
pub(super) struct PrecinctAcc {
    /// Turnout per raw result key (first value of each field wins for a key).
    turnout_by_key: BTreeMap<String, Turnout>,
    votes: HashMap<usize, i64>,
    seen: HashSet<(String, usize)>,
}

impl PrecinctAcc {
    /// The precinct's result: turnout summed over its keys, votes per candidate (`None` for a
    /// candidate without a row).
    fn into_result(self, code: String, candidates: usize) -> PrecinctResult {
        let mut t = Turnout::default();
        for kt in self.turnout_by_key.values() {
            t.registered = sum_opt(t.registered, kt.registered);
            t.voters = sum_opt(t.voters, kt.voters);
            t.blank = sum_opt(t.blank, kt.blank);
            t.null = sum_opt(t.null, kt.null);
            t.valid = sum_opt(t.valid, kt.valid);
        }
        PrecinctResult {
            precinct_code: code,
            turnout: t,
            votes: (0..candidates)
                .map(|i| self.votes.get(&i).copied())
                .collect(),
        }
    }
}

/// One election (contest) of the file.
#[derive(Default)]
pub(super) struct ElectionAcc {
    /// Result rows used.
    rows: usize,
    candidates: Vec<Candidate>,
    index: HashMap<String, usize>,
    precincts: BTreeMap<String, PrecinctAcc>,
    has_turnout: bool,
}

/// An election's accumulated results.
pub(super) struct ContestResults {
    /// Result rows used.
    pub(super) rows: usize,
    /// True when some row gave turnout.
    pub(super) has_turnout: bool,
    /// In file order.
    pub(super) candidates: Vec<Candidate>,
    /// By precinct code.
    pub(super) precincts: Vec<PrecinctResult>,
}

impl ElectionAcc {
    /// The index of candidate `label`, added if new; a party completes one that had none.
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

    pub(super) fn into_results(self) -> ContestResults {
        let n = self.candidates.len();
        ContestResults {
            rows: self.rows,
            has_turnout: self.has_turnout,
            precincts: self
                .precincts
                .into_iter()
                .map(|(code, p)| p.into_result(code, n))
                .collect(),
            candidates: self.candidates,
        }
    }
}

/// Rows whose figures were added or dropped rather than simply used.
#[derive(Default)]
pub(super) struct RowCounts {
    /// Precinct × candidate rows seen twice for one key: their votes were added.
    pub(super) duplicate_votes: usize,
    /// Rows repeating a key's turnout with other figures: the first was kept.
    pub(super) turnout_conflicts: usize,
    /// Over/under-vote rows.
    pub(super) ignored_pseudo: usize,
}

/// Every contest of the file, in the order the file first names them.
#[derive(Default)]
pub(super) struct Accumulator {
    contests: BTreeMap<Option<String>, ElectionAcc>,
    order: Vec<Option<String>>,
    /// OpenElections file-level turnout ("Registered Voters" / "Ballots Cast" offices), by key.
    file_turnout: BTreeMap<String, Turnout>,
    pub(super) counts: RowCounts,
}

impl Accumulator {
    /// True when no row was accumulated.
    pub(super) fn is_empty(&self) -> bool {
        self.contests.is_empty()
    }

    /// An office-level pseudo-candidate row: registered or ballots cast for every contest of
    /// the precinct `key`.
    pub(super) fn add_file_turnout(&mut self, key: &str, kind: Pseudo, votes: i64) {
        if !matches!(kind, Pseudo::Registered | Pseudo::Voters) {
            self.counts.ignored_pseudo += 1;
            return;
        }
        let t = self.file_turnout.entry(key.to_owned()).or_default();
        let slot = if kind == Pseudo::Registered {
            &mut t.registered
        } else {
            &mut t.voters
        };
        *slot = Some(slot.unwrap_or(0) + votes);
    }

    /// A row of `contest` whose `key` matched precinct `code`.
    pub(super) fn add_row(
        &mut self,
        contest: Option<String>,
        key: String,
        code: String,
        values: RowValues,
    ) {
        let RowValues {
            mut turnout,
            votes,
            pseudo,
        } = values;
        if !self.contests.contains_key(&contest) {
            self.order.push(contest.clone());
        }
        let acc = self.contests.entry(contest).or_default();
        acc.rows += 1;
        match pseudo.map(|p| (p.kind, p.votes)) {
            Some((Pseudo::Registered, v)) => turnout.registered = Some(v),
            Some((Pseudo::Voters, v)) => turnout.voters = Some(v),
            Some((Pseudo::Ignored, _)) => self.counts.ignored_pseudo += 1,
            _ => {}
        }
        if !turnout.is_empty() {
            acc.has_turnout = true;
        }
        let ids: Vec<(usize, i64)> = votes
            .iter()
            .map(|v| (acc.candidate(&v.label, v.party.as_deref()), v.votes))
            .collect();
        let p = acc.precincts.entry(code).or_default();
        let t = p.turnout_by_key.entry(key.clone()).or_default();
        if merge_first(t, &turnout) {
            self.counts.turnout_conflicts += 1;
        }
        for (cid, v) in ids {
            if !p.seen.insert((key.clone(), cid)) {
                self.counts.duplicate_votes += 1;
            }
            *p.votes.entry(cid).or_insert(0) += v;
        }
    }

    /// Merges the file-level turnout into every contest holding the precinct (and into
    /// turnout-only contests, creating one when the file has none). Returns how many keys
    /// matched no precinct.
    pub(super) fn spread_file_turnout(&mut self, resolution: &KeyResolution) -> usize {
        let mut unmatched = 0;
        for (key, t) in &self.file_turnout {
            let Some(code) = resolution.code(key) else {
                unmatched += 1;
                continue;
            };
            if self.contests.is_empty() {
                self.order.push(None);
                self.contests.insert(None, ElectionAcc::default());
            }
            for acc in self.contests.values_mut() {
                if !acc.precincts.contains_key(code) && !acc.candidates.is_empty() {
                    continue;
                }
                acc.has_turnout = true;
                let p = acc.precincts.entry(code.to_owned()).or_default();
                merge_first(p.turnout_by_key.entry(key.clone()).or_default(), t);
            }
        }
        unmatched
    }

    /// The contests in file order, and the row counts.
    pub(super) fn finish(mut self) -> (Vec<(Option<String>, ElectionAcc)>, RowCounts) {
        let contests = self
            .order
            .into_iter()
            .map(|c| {
                let acc = self.contests.remove(&c).unwrap_or_default();
                (c, acc)
            })
            .collect();
        (contests, self.counts)
    }
}

/// Fills `into`'s empty fields from `t`; true when a field already held another figure.
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
