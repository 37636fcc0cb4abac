//! What each column holds before the file's shape is known: roles from the manual mapping, the
//! key option and recognised headers; and per-column statistics from a first pass over the rows.

use std::collections::{BTreeSet, HashMap};

use super::cells::parse_count;
use super::headers::{Field, header_field};
use super::{ResultsImportOptions, for_each_record};
use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::text::TextTable;
use crate::model::progress::Progress;

/// One role per column, in file order; `None` for a column not (yet) recognised.
pub(super) type Roles = Vec<Option<Field>>;

/// The column holding `field`, if any.
pub(super) fn column_of(roles: &[Option<Field>], field: Field) -> Option<usize> {
    roles.iter().position(|r| *r == Some(field))
}

/// Roles from the manual mapping, then the key option, then recognised headers (for each field
/// not given, the column whose header is the best alias).
pub(super) fn assign_roles(table: &TextTable, opts: &ResultsImportOptions) -> ModelResult<Roles> {
    let mut roles: Roles = vec![None; table.headers.len()];
    for (field, col) in &opts.mapping {
        let f = Field::parse(field).ok_or_else(|| unknown_field(field))?;
        let c = find_column(table, col, f.name())?;
        if f != Field::Ignore {
            clear_role(&mut roles, f);
        }
        roles[c] = Some(f);
    }
    if let Some(k) = &opts.key_field {
        let c = find_column(table, k, "the precinct key")?;
        clear_role(&mut roles, Field::Key);
        roles[c] = Some(Field::Key);
    }
    recognise_headers(&table.headers, &mut roles);
    Ok(roles)
}

fn unknown_field(field: &str) -> ModelError {
    ModelError::Invalid(format!(
        "unknown results field {field:?}: expected key, election, office, district, year, round, registered, voters, abstentions, blank, null, valid, candidate, firstname, party, votes or ignore"
    ))
}

fn find_column(table: &TextTable, name: &str, what: &str) -> Result<usize, ImportError> {
    table.column(name).ok_or_else(|| {
        ImportError::format(
            &table.path,
            "",
            format!(
                "no column {name:?} (for {what}); columns are: {}",
                table.headers.join(", ")
            ),
        )
    })
}

fn clear_role(roles: &mut Roles, field: Field) {
    for r in roles.iter_mut() {
        if *r == Some(field) {
            *r = None;
        }
    }
}

/// Gives each field not yet assigned to the unassigned column whose header is its best alias.
fn recognise_headers(headers: &[String], roles: &mut Roles) {
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
}

/// Statistics of one column from the first pass.
#[derive(Default)]
pub(super) struct ColumnStats {
    pub(super) non_empty: usize,
    counts: usize,
    /// Distinct non-empty values, up to [`MAX_DISTINCT`].
    pub(super) distinct: BTreeSet<String>,
    distinct_overflow: bool,
}

const MAX_DISTINCT: usize = 200_000;

impl ColumnStats {
    fn record(&mut self, v: &str) {
        if v.is_empty() {
            return;
        }
        self.non_empty += 1;
        if matches!(parse_count(v), Ok(Some(_))) {
            self.counts += 1;
        }
        if !self.distinct_overflow {
            if self.distinct.len() >= MAX_DISTINCT {
                self.distinct_overflow = true;
            } else if !self.distinct.contains(v) {
                self.distinct.insert(v.to_owned());
            }
        }
    }

    /// True for a count column; it may hold a few bad cells (reported per row later).
    pub(super) fn is_numeric(&self) -> bool {
        let bad = self.non_empty - self.counts;
        self.counts > 0
            && (self.counts * 100 >= self.non_empty * 75 || bad <= 2.max(self.non_empty / 20))
    }

    pub(super) fn values(&self) -> Vec<String> {
        self.distinct.iter().cloned().collect()
    }
}

/// What the first pass learnt.
pub(super) struct TableStats {
    /// One per column.
    pub(super) columns: Vec<ColumnStats>,
    /// Data rows (blank lines excluded).
    pub(super) records: usize,
}

/// The first pass: statistics of every column. An error for a file without data rows.
pub(super) fn scan(table: &TextTable, progress: &dyn Progress) -> ModelResult<TableStats> {
    let mut columns: Vec<ColumnStats> = (0..table.headers.len())
        .map(|_| ColumnStats::default())
        .collect();
    let mut records = 0usize;
    for_each_record(table, progress, (0.0, 0.4, "reading results"), |rec| {
        records += 1;
        for (i, s) in columns.iter_mut().enumerate() {
            s.record(rec.get(i));
        }
        Ok(())
    })?;
    if records == 0 {
        return Err(ImportError::format(&table.path, "", "no data rows after the header").into());
    }
    Ok(TableStats { columns, records })
}
