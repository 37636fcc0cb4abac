//! The second pass over the rows: each row's numbers read (turnout, candidate votes,
//! OpenElections pseudo-candidates) and the row classified (total, bad, file-level turnout,
//! filtered out, unmatched) or accumulated into its contest.

use std::collections::BTreeSet;

use super::accumulate::Accumulator;
use super::cells::{Pseudo, is_total_key, parse_count, pseudo_candidate};
use super::contest::ContestColumns;
use super::headers::Field;
use super::join::match_key;
use super::shape::Shape;
use super::{UnmatchedRow, for_each_record};
use crate::model::election::Turnout;
use crate::model::error::ModelResult;
use crate::model::import::Issue;
use crate::model::import::keys::KeyResolution;
use crate::model::import::text::{TextRecord, TextTable};
use crate::model::progress::Progress;

/// One candidate's votes in a row.
pub(super) struct Vote {
    pub(super) label: String,
    pub(super) party: Option<String>,
    pub(super) votes: i64,
}

/// The votes of a pseudo-candidate ("Registered Voters", "Over Votes", "Total"...).
pub(super) struct PseudoVotes {
    pub(super) kind: Pseudo,
    /// True when the office column names it: turnout for every contest of the precinct.
    pub(super) office_level: bool,
    pub(super) votes: i64,
}

/// The numbers of one row.
#[derive(Default)]
pub(super) struct RowValues {
    pub(super) turnout: Turnout,
    pub(super) votes: Vec<Vote>,
    pub(super) pseudo: Option<PseudoVotes>,
}

/// What the rows pass found: the accumulated elections and the rows left out, with why.
#[derive(Default)]
pub(super) struct RowsPass {
    pub(super) acc: Accumulator,
    pub(super) summary_rows: Vec<Issue>,
    pub(super) bad_rows: Vec<Issue>,
    pub(super) unmatched_rows: Vec<UnmatchedRow>,
    /// Rows left out by the office filter.
    pub(super) rows_filtered_out: usize,
    /// Every contest named by a row, kept by the office filter or not.
    pub(super) contests_seen: BTreeSet<String>,
}

/// The second pass: every data row read, joined and accumulated.
pub(super) fn read_rows(
    table: &TextTable,
    shape: &Shape,
    contests: &ContestColumns,
    progress: &dyn Progress,
) -> ModelResult<RowsPass> {
    let reader = RowReader::new(shape, &table.headers);
    let mut pass = RowsPass::default();
    for_each_record(table, progress, (0.4, 0.5, "joining results"), |rec| {
        pass.add(&reader, contests, &shape.resolution, &rec);
        Ok(())
    })?;
    Ok(pass)
}

impl RowsPass {
    fn add(
        &mut self,
        reader: &RowReader,
        contests: &ContestColumns,
        resolution: &KeyResolution,
        rec: &TextRecord,
    ) {
        let row = rec.line;
        let key = rec.get(reader.key_col).to_owned();
        if let Some(message) = reader.total_row(rec, &key) {
            self.skip_summary(row, message);
            return;
        }
        let contest = contests.contest_of(rec);
        let values = match reader.values(rec) {
            Ok(values) => values,
            Err(message) => {
                self.bad_rows.push(Issue {
                    location: format!("row {row} (key {key})"),
                    message,
                    action: "skipped".into(),
                });
                return;
            }
        };
        if self.take_pseudo_row(row, &key, values.pseudo.as_ref()) {
            return;
        }
        if let Some(c) = &contest {
            self.contests_seen.insert(c.clone());
        }
        if !contests.keeps(rec, contest.as_deref()) {
            self.rows_filtered_out += 1;
            return;
        }
        match match_key(resolution, &key) {
            Ok(code) => self.acc.add_row(contest, key, code, values),
            Err(reason) => self.unmatched_rows.push(UnmatchedRow {
                row,
                key,
                election: contest,
                reason,
            }),
        }
    }

    /// Takes a total pseudo-candidate row (skipped) or an office-level turnout row (for every
    /// contest of the precinct, so before the office filter); true when the row was taken.
    fn take_pseudo_row(&mut self, row: u64, key: &str, pseudo: Option<&PseudoVotes>) -> bool {
        match pseudo {
            Some(p) if p.kind == Pseudo::Total => self.skip_summary(row, total_key_message(key)),
            Some(p) if p.office_level => self.acc.add_file_turnout(key, p.kind, p.votes),
            _ => return false,
        }
        true
    }

    fn skip_summary(&mut self, row: u64, message: String) {
        self.summary_rows.push(Issue {
            location: format!("row {row}"),
            message,
            action: "skipped".into(),
        });
    }
}

fn total_key_message(key: &str) -> String {
    format!("total row (key {key:?})")
}

/// Reads the numbers of a row, by the file's shape.
struct RowReader<'a> {
    headers: &'a [String],
    key_col: usize,
    /// Columns holding counts (turnout, votes, candidates): numbers without a key make a total.
    measure_cols: Vec<usize>,
    /// Turnout columns in file order, with their field.
    turnout_cols: Vec<(usize, Field)>,
    candidates: CandidateColumns<'a>,
}

enum CandidateColumns<'a> {
    /// Wide files: one column per candidate, named by its header.
    Wide(&'a [usize]),
    /// Long files: one candidate per row.
    Long(LongColumns),
}

struct LongColumns {
    votes: usize,
    label: Option<usize>,
    first_name: Option<usize>,
    /// The party column, unless it is the label.
    party: Option<usize>,
    office: Option<usize>,
}

impl<'a> RowReader<'a> {
    fn new(shape: &'a Shape, headers: &'a [String]) -> Self {
        let turnout_cols = shape
            .roles
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.filter(|f| f.is_turnout()).map(|f| (i, f)))
            .collect();
        let candidates = if shape.format.is_long() {
            CandidateColumns::Long(LongColumns {
                votes: shape.col_of(Field::Votes).expect("long has votes"),
                label: shape.label_col,
                first_name: shape.first_name_col,
                party: shape
                    .col_of(Field::Party)
                    .filter(|&c| Some(c) != shape.label_col),
                office: shape.col_of(Field::Office),
            })
        } else {
            CandidateColumns::Wide(&shape.candidate_cols)
        };
        RowReader {
            headers,
            key_col: shape.key_col,
            measure_cols: shape.measure_cols(),
            turnout_cols,
            candidates,
        }
    }

    /// Why the row is a total row, if it is: numbers without a key, or a total key.
    fn total_row(&self, rec: &TextRecord, key: &str) -> Option<String> {
        if key.is_empty() {
            let has_numbers = self
                .measure_cols
                .iter()
                .any(|&c| matches!(parse_count(rec.get(c)), Ok(Some(_))));
            return has_numbers.then(|| "no precinct key but numbers: a total row".to_owned());
        }
        is_total_key(key).then(|| total_key_message(key))
    }

    /// The row's numbers, or why the row is bad.
    fn values(&self, rec: &TextRecord) -> Result<RowValues, String> {
        let turnout = self.turnout(rec)?;
        let (votes, pseudo) = match &self.candidates {
            CandidateColumns::Wide(cols) => (self.wide_votes(rec, cols)?, None),
            CandidateColumns::Long(long) => self.long_votes(rec, long)?,
        };
        Ok(RowValues {
            turnout,
            votes,
            pseudo,
        })
    }

    /// The count in column `col`; a message naming `what` for a non-numeric cell.
    fn count(&self, rec: &TextRecord, col: usize, what: &str) -> Result<Option<i64>, String> {
        parse_count(rec.get(col)).map_err(|()| {
            format!(
                "non-numeric {what} {:?} in column {}",
                rec.get(col),
                self.headers[col]
            )
        })
    }

    /// Turnout columns; voters derived as registered − abstentions when absent.
    fn turnout(&self, rec: &TextRecord) -> Result<Turnout, String> {
        let mut turnout = Turnout::default();
        let mut abstentions = None;
        for &(col, field) in &self.turnout_cols {
            let v = self.count(rec, col, "value")?;
            match field {
                Field::Registered => turnout.registered = v,
                Field::Voters => turnout.voters = v,
                Field::Abstentions => abstentions = v,
                Field::Blank => turnout.blank = v,
                Field::Null => turnout.null = v,
                Field::Valid => turnout.valid = v,
                _ => {}
            }
        }
        if turnout.voters.is_none()
            && let (Some(r), Some(a)) = (turnout.registered, abstentions)
        {
            turnout.voters = Some(r - a);
        }
        Ok(turnout)
    }

    /// One vote per non-empty candidate column, labelled by its header.
    fn wide_votes(&self, rec: &TextRecord, cols: &[usize]) -> Result<Vec<Vote>, String> {
        let mut votes = Vec::new();
        for &c in cols {
            if let Some(v) = self.count(rec, c, "votes")? {
                votes.push(Vote {
                    label: self.headers[c].clone(),
                    party: None,
                    votes: v,
                });
            }
        }
        Ok(votes)
    }

    /// The row's candidate and votes, or the pseudo-candidate its office or label names.
    fn long_votes(
        &self,
        rec: &TextRecord,
        long: &LongColumns,
    ) -> Result<(Vec<Vote>, Option<PseudoVotes>), String> {
        let Some(votes) = self.count(rec, long.votes, "votes")? else {
            return Ok((Vec::new(), None));
        };
        let label = long.label(rec);
        let pseudo = match long.office.and_then(|c| pseudo_candidate(rec.get(c))) {
            Some(kind) => Some((kind, true)),
            None => pseudo_candidate(&label).map(|kind| (kind, false)),
        };
        if let Some((kind, office_level)) = pseudo {
            let pseudo = PseudoVotes {
                kind,
                office_level,
                votes,
            };
            return Ok((Vec::new(), Some(pseudo)));
        }
        if label.is_empty() {
            return Err("no candidate name".into());
        }
        let party = long
            .party
            .map(|c| rec.get(c).to_owned())
            .filter(|p| !p.is_empty());
        Ok((
            vec![Vote {
                label,
                party,
                votes,
            }],
            None,
        ))
    }
}

impl LongColumns {
    /// The candidate label, completed by the first name when there is a first-name column.
    fn label(&self, rec: &TextRecord) -> String {
        let label = self.label.map(|c| rec.get(c)).unwrap_or_default();
        let first = self.first_name.map(|c| rec.get(c)).unwrap_or_default();
        match (label.is_empty(), first.is_empty()) {
            (_, true) => label.to_owned(),
            (true, false) => first.to_owned(),
            (false, false) => format!("{label} {first}"),
        }
    }
}
