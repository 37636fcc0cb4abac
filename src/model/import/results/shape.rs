//! The file's shape: wide (one numeric column per candidate), long (a votes column with a
//! candidate column, one row per precinct × candidate) or OpenElections (long with an office
//! column); which columns are candidates, which one holds the precinct key, and how the column
//! roles are described in the report.

use super::ResultsImportOptions;
use super::columns::{ColumnStats, Roles, column_of};
use super::headers::{Field, is_meta_header, is_surname_header};
use crate::model::error::{ImportError, ModelResult};
use crate::model::import::keys::{self, KeyIndex, KeyResolution};
use crate::model::import::text::TextTable;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Wide,
    Long,
    OpenElections,
}

impl Format {
    /// The report's name for the format.
    pub(super) fn name(self) -> &'static str {
        match self {
            Format::Wide => "wide",
            Format::Long => "long",
            Format::OpenElections => "openelections",
        }
    }
    /// True when each row holds one candidate's votes (long and OpenElections files).
    pub(super) fn is_long(self) -> bool {
        matches!(self, Format::Long | Format::OpenElections)
    }
}

/// How to read the rows of a results file.
pub(super) struct Shape {
    pub(super) format: Format,
    /// Final column roles, the key column's included.
    pub(super) roles: Roles,
    /// Wide files: the numeric columns read as candidates, in file order.
    pub(super) candidate_cols: Vec<usize>,
    pub(super) key_col: usize,
    /// The join of the key column's distinct values to the campaign's precincts.
    pub(super) resolution: KeyResolution,
    /// Long files: the candidate label column (candidate, else party).
    pub(super) label_col: Option<usize>,
    /// Long files: a first-name column that completes a surname label.
    pub(super) first_name_col: Option<usize>,
    /// True when some column holds turnout (registered, voters...).
    pub(super) has_turnout: bool,
}

/// Decides the shape from the column roles and the first pass's statistics; chooses the key
/// column when no role names it. An error when no column matches the precincts or no results
/// column is recognised.
pub(super) fn decide(
    table: &TextTable,
    mut roles: Roles,
    stats: &[ColumnStats],
    codes: &[String],
    opts: &ResultsImportOptions,
) -> ModelResult<Shape> {
    let headers = &table.headers;
    let has_votes = column_of(&roles, Field::Votes).is_some();
    let label_col = column_of(&roles, Field::Candidate).or(column_of(&roles, Field::Party));
    let has_turnout = roles.iter().any(|r| r.is_some_and(Field::is_turnout));
    let long = has_votes && label_col.is_some();
    let openelections = long && column_of(&roles, Field::Office).is_some();
    let mut candidate_cols = if long {
        Vec::new()
    } else {
        wide_candidate_columns(headers, &roles, stats)
    };
    let index = KeyIndex::new(codes, opts.key_match);
    let (key_col, resolution) =
        choose_key_column(table, &roles, stats, &index, &mut candidate_cols)?;
    roles[key_col] = Some(Field::Key);
    let format = if openelections {
        Format::OpenElections
    } else if long {
        Format::Long
    } else if !candidate_cols.is_empty() || has_turnout {
        Format::Wide
    } else {
        return Err(no_results_columns(table).into());
    };
    let first_name_col = first_name_column(headers, &roles, opts);
    Ok(Shape {
        format,
        roles,
        candidate_cols,
        key_col,
        resolution,
        label_col,
        first_name_col,
        has_turnout,
    })
}

/// Unrecognised numeric columns whose header is not metadata: one candidate each.
fn wide_candidate_columns(headers: &[String], roles: &Roles, stats: &[ColumnStats]) -> Vec<usize> {
    (0..headers.len())
        .filter(|&i| roles[i].is_none() && stats[i].is_numeric() && !is_meta_header(&headers[i]))
        .collect()
}

/// The key column named by a role, else the unrecognised (or district) column matching the most
/// precincts, looked for among non-candidate columns first; a chosen candidate column stops
/// being a candidate.
fn choose_key_column(
    table: &TextTable,
    roles: &Roles,
    stats: &[ColumnStats],
    index: &KeyIndex,
    candidate_cols: &mut Vec<usize>,
) -> Result<(usize, KeyResolution), ImportError> {
    if let Some(c) = column_of(roles, Field::Key) {
        return Ok((
            c,
            index.resolve(stats[c].distinct.iter().map(String::as_str)),
        ));
    }
    let pick = |include_candidates: bool| {
        let cols: Vec<(usize, String, Vec<String>)> = (0..table.headers.len())
            .filter(|&i| {
                (roles[i].is_none() || matches!(roles[i], Some(Field::District)))
                    && (include_candidates || !candidate_cols.contains(&i))
                    && stats[i].non_empty > 0
            })
            .map(|i| (i, table.headers[i].clone(), stats[i].values()))
            .collect();
        keys::best_key_column(index, &cols)
    };
    let choice = pick(false)
        .or_else(|| pick(true))
        .ok_or_else(|| no_key_column(table, index.codes()))?;
    candidate_cols.retain(|&c| c != choice.column);
    Ok((choice.column, choice.resolution))
}

fn no_key_column(table: &TextTable, codes: &[String]) -> ImportError {
    let sample: Vec<String> = codes.iter().take(5).cloned().collect();
    ImportError::format(
        &table.path,
        "",
        format!(
            "no column matches the campaign's precinct codes (e.g. {}); set the key field to the column holding precinct codes; columns are: {}",
            sample.join(", "),
            table.headers.join(", ")
        ),
    )
}

fn no_results_columns(table: &TextTable) -> ImportError {
    ImportError::format(
        &table.path,
        "",
        format!(
            "no results columns recognised: expected turnout columns (inscrits/registered, votants/voters, exprimés/valid...), a votes column (voix/votes) with a candidate column (nom/candidat/candidate/liste/nuance), or one numeric column per candidate; columns are: {}",
            table.headers.join(", ")
        ),
    )
}

/// The first-name column, when it completes the candidate label: the candidate header is a
/// surname alias ("nom"), or the first name was mapped by hand.
fn first_name_column(
    headers: &[String],
    roles: &Roles,
    opts: &ResultsImportOptions,
) -> Option<usize> {
    let first_name_col = column_of(roles, Field::FirstName);
    let surname_label =
        column_of(roles, Field::Candidate).is_some_and(|c| is_surname_header(&headers[c]));
    let mapped = opts
        .mapping
        .iter()
        .any(|(f, _)| Field::parse(f) == Some(Field::FirstName));
    if surname_label && first_name_col.is_some() || mapped {
        first_name_col
    } else {
        None
    }
}

impl Shape {
    /// The column holding `field`, if any.
    pub(super) fn col_of(&self, field: Field) -> Option<usize> {
        column_of(&self.roles, field)
    }

    /// Columns holding counts: turnout, votes and candidates.
    pub(super) fn measure_cols(&self) -> Vec<usize> {
        (0..self.roles.len())
            .filter(|&i| {
                self.roles[i].is_some_and(|f| f.is_turnout() || f == Field::Votes)
                    || self.candidate_cols.contains(&i)
            })
            .collect()
    }

    /// Which column was recognised as what, e.g. "registered = NB_INSCR", then the candidates.
    pub(super) fn describe_columns(&self, headers: &[String]) -> Vec<String> {
        let mut columns: Vec<String> = Vec::new();
        for (i, r) in self.roles.iter().enumerate() {
            if let Some(f) = r
                && *f != Field::Ignore
            {
                columns.push(format!("{} = {}", f.name(), headers[i]));
            }
        }
        if !self.candidate_cols.is_empty() {
            columns.push(format!(
                "candidates = {}",
                self.candidate_cols
                    .iter()
                    .map(|&i| headers[i].as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        columns
    }

    /// Doubts about a wide file's shape: no candidates, or a single vote column and no turnout.
    pub(super) fn warnings(&self, headers: &[String]) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.format != Format::Wide {
            return warnings;
        }
        if self.candidate_cols.is_empty() {
            warnings.push(
                "no candidate columns: turnout only, merged into the elections it names".to_owned(),
            );
        }
        if self.candidate_cols.len() == 1 && !self.has_turnout {
            warnings.push(format!(
                "a single vote column ({}) and no turnout columns: check the file's shape",
                headers[self.candidate_cols[0]]
            ));
        }
        warnings
    }
}
