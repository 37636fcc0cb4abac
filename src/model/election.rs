//! Elections as the rest of Porte sees them: candidates (or lists) and, per precinct, turnout
//! (registered, voters, blank, null, valid) and votes per candidate.

use serde::Serialize;

/// Turnout of one precinct in one election. `None` means "not known" (absent from every file
/// imported so far), which is different from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Turnout {
    pub registered: Option<i64>,
    /// Ballots cast (votants).
    pub voters: Option<i64>,
    pub blank: Option<i64>,
    pub null: Option<i64>,
    /// Valid votes (exprimés): the votes shared between candidates.
    pub valid: Option<i64>,
}

impl Turnout {
    /// Abstentions (registered − voters) when both are known.
    pub fn abstentions(&self) -> Option<i64> {
        Some(self.registered? - self.voters?)
    }
    /// Voters / registered, in 0..=1, when both are known and registered > 0.
    pub fn turnout_ratio(&self) -> Option<f64> {
        let r = self.registered?;
        (r > 0).then(|| self.voters.unwrap_or(0) as f64 / r as f64)
    }
    /// True when no field is known.
    pub fn is_empty(&self) -> bool {
        *self == Turnout::default()
    }
}

/// A candidate or list of one election.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// As written in the results file, e.g. "MACRON Emmanuel" or "LE PEN Marine".
    pub label: String,
    /// Party or nuance code when the file gives one (e.g. "REM").
    pub party: Option<String>,
}

/// One precinct's results in one election.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrecinctResult {
    pub precinct_code: String,
    pub turnout: Turnout,
    /// Votes per candidate, aligned with [`ElectionResults::candidates`]; `None` when unknown.
    pub votes: Vec<Option<i64>>,
}

impl PrecinctResult {
    /// Sum of the known candidate votes.
    pub fn candidate_total(&self) -> i64 {
        self.votes.iter().flatten().sum()
    }
}

/// A whole election: its candidates and every precinct with results, sorted by precinct code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ElectionResults {
    pub name: String,
    /// The file the election was last imported from.
    pub source_file: Option<String>,
    pub imported_at: Option<String>,
    pub candidates: Vec<Candidate>,
    pub precincts: Vec<PrecinctResult>,
}

impl ElectionResults {
    /// Index of the candidate labelled `label` (exact).
    pub fn candidate_index(&self, label: &str) -> Option<usize> {
        self.candidates.iter().position(|c| c.label == label)
    }
    /// The results of precinct `code`.
    pub fn precinct(&self, code: &str) -> Option<&PrecinctResult> {
        self.precincts
            .binary_search_by(|p| p.precinct_code.as_str().cmp(code))
            .ok()
            .map(|i| &self.precincts[i])
    }
    /// Votes of candidate `candidate` (index) over every precinct.
    pub fn candidate_total(&self, candidate: usize) -> i64 {
        self.precincts
            .iter()
            .filter_map(|p| p.votes.get(candidate).copied().flatten())
            .sum()
    }
}
