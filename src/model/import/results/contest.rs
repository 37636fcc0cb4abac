//! Which contest a row belongs to (from election, office, district, year and round columns), the
//! office filter, and the names the elections get: the contest, the `--election` option (a
//! prefix when the file holds several contests) or the file stem.

use std::path::Path;

use super::headers::{Field, fold};
use super::join::fmt_list;
use super::rows::RowsPass;
use super::shape::Shape;
use crate::model::error::{ImportError, ModelResult};
use crate::model::import::text::TextRecord;

/// The columns naming a row's contest, and the office filter.
pub(super) struct ContestColumns {
    election: Option<usize>,
    office: Option<usize>,
    /// Only with an office column.
    district: Option<usize>,
    year: Option<usize>,
    /// The round column and the word it is named with ("tour" or "round").
    round: Option<(usize, &'static str)>,
    /// The `--office` option, folded.
    office_filter: Option<String>,
}

impl ContestColumns {
    pub(super) fn new(shape: &Shape, headers: &[String], office_filter: Option<&str>) -> Self {
        let office = shape.col_of(Field::Office);
        let round = shape.col_of(Field::Round).map(|c| {
            let word = if fold(&headers[c]).contains("round") {
                "round"
            } else {
                "tour"
            };
            (c, word)
        });
        ContestColumns {
            election: shape.col_of(Field::Election),
            office,
            district: shape.col_of(Field::District).filter(|_| office.is_some()),
            year: shape.col_of(Field::Year),
            round,
            office_filter: office_filter.map(fold),
        }
    }

    /// The row's contest, e.g. "Présidentielle 2017 tour 1" or "U.S. House 5"; `None` when the
    /// file names no contest.
    pub(super) fn contest_of(&self, rec: &TextRecord) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        for c in [self.election, self.office].into_iter().flatten() {
            let v = rec.get(c);
            if !v.is_empty() {
                parts.push(v.to_owned());
            }
        }
        if let Some(c) = self.district {
            let v = rec.get(c);
            if !v.is_empty() && !parts.is_empty() {
                parts.push(v.to_owned());
            }
        }
        if let Some(c) = self.year {
            let v = rec.get(c);
            if !v.is_empty() && !parts.iter().any(|p| p.contains(v)) {
                parts.push(v.to_owned());
            }
        }
        if let Some((c, word)) = self.round {
            let v = rec.get(c);
            if !v.is_empty() {
                parts.push(format!("{word} {v}"));
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// True when the office filter keeps the row: no filter, or the filter names its contest, its
    /// office or its election (case- and accent-insensitively).
    pub(super) fn keeps(&self, rec: &TextRecord, contest: Option<&str>) -> bool {
        let Some(f) = &self.office_filter else {
            return true;
        };
        // Nothing to filter on: keep the row (check_filter warns that the filter was ignored).
        if contest.is_none() && self.office.is_none() && self.election.is_none() {
            return true;
        }
        contest.is_some_and(|c| fold(c) == *f)
            || [self.office, self.election]
                .into_iter()
                .flatten()
                .any(|c| fold(rec.get(c)) == *f)
    }

    /// After the rows pass: an error when the filter `office` left no contest (listing the
    /// contests seen); a warning when the file has no column to filter on.
    pub(super) fn check_filter(
        &self,
        office: Option<&str>,
        pass: &RowsPass,
        path: &Path,
    ) -> ModelResult<Option<String>> {
        let Some(f) = office else { return Ok(None) };
        if pass.acc.is_empty() && pass.rows_filtered_out > 0 {
            let seen: Vec<String> = pass.contests_seen.iter().cloned().collect();
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
        Ok((self.election.is_none() && self.office.is_none()).then(|| {
            format!("office filter {f:?} ignored: the file has no office or election column")
        }))
    }
}

/// The file name without its extension (and `.gz`), naming the election of a file that names
/// none.
pub(super) fn file_stem(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            let n = n.strip_suffix(".gz").unwrap_or(n);
            n.rsplit_once('.').map(|(a, _)| a).unwrap_or(n).to_owned()
        })
        .unwrap_or_else(|| "results".to_owned())
}

/// Names each contest's election: `election` alone for a single contest, as a prefix otherwise;
/// else the contest, else `stem`.
pub(super) fn name_elections<T>(
    contests: Vec<(Option<String>, T)>,
    election: Option<&str>,
    stem: &str,
) -> Vec<(String, T)> {
    let single = contests.len() <= 1;
    contests
        .into_iter()
        .map(|(contest, acc)| {
            let name = match (election, contest) {
                (Some(e), _) if single => e.to_owned(),
                (Some(e), Some(c)) => format!("{e} {c}"),
                (Some(e), None) => e.to_owned(),
                (None, Some(c)) => c,
                (None, None) => stem.to_owned(),
            };
            (name, acc)
        })
        .collect()
}
