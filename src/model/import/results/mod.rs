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
//!
//! The submodules, in the order a file goes through them:
//! - `headers`: the fields a column can hold and the header names that announce them.
//! - `cells`: counts, total-row keys and OpenElections pseudo-candidates.
//! - `columns`: column roles (mapping, key option, headers) and the first pass's statistics.
//! - `shape`: wide, long or OpenElections; candidate columns; the key column.
//! - `contest`: which contest a row belongs to, the office filter, election names.
//! - `rows`: the second pass: each row read, classified and accumulated.
//! - `accumulate`: per-election accumulators and file-level turnout.
//! - `join`: key lookups, elections and their join reports, file-level warnings.

mod accumulate;
mod cells;
mod columns;
mod contest;
mod headers;
mod join;
mod rows;
mod shape;

use std::path::Path;

use serde::Serialize;

use crate::model::Campaign;
use crate::model::election::ElectionResults;
use crate::model::error::{ModelError, ModelResult};
use crate::model::import::Issue;
use crate::model::import::keys::KeyMatch;
use crate::model::import::text::{self, TextRecord, TextTable};
use crate::model::progress::Progress;
use crate::model::storage;

use self::contest::ContestColumns;
use self::shape::{Format, Shape};

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

/// Two passes over the table: column statistics to decide the shape, then the rows, joined and
/// accumulated per contest.
fn read_results_table(
    table: &TextTable,
    codes: &[String],
    opts: &ResultsImportOptions,
    progress: &dyn Progress,
) -> ModelResult<(ResultsImportReport, Vec<ElectionResults>)> {
    let path = table.path.as_path();
    let roles = columns::assign_roles(table, opts)?;
    let stats = columns::scan(table, progress)?;
    let shape = shape::decide(table, roles, &stats.columns, codes, opts)?;
    let contests = ContestColumns::new(&shape, &table.headers, opts.office.as_deref());
    let mut pass = rows::read_rows(table, &shape, &contests, progress)?;

    let mut warnings = shape.warnings(&table.headers);
    warnings.extend(contests.check_filter(opts.office.as_deref(), &pass, path)?);
    let unmatched_turnout = pass.acc.spread_file_turnout(&shape.resolution);
    if unmatched_turnout > 0 {
        warnings.push(format!(
            "{unmatched_turnout} registered/ballots-cast rows have no precinct"
        ));
    }

    let (contest_accs, counts) = pass.acc.finish();
    let named = contest::name_elections(
        contest_accs,
        opts.election.as_deref(),
        &contest::file_stem(path),
    );
    let joined = join::join_elections(
        named,
        codes,
        shape.format == Format::Wide,
        &path.display().to_string(),
        &mut warnings,
    );
    warnings.extend(join::row_warnings(
        &counts,
        &shape.resolution,
        &pass.unmatched_rows,
    ));
    let report = ResultsImportReport {
        elections: joined.joins,
        rows: stats.records,
        rows_filtered_out: pass.rows_filtered_out,
        matched: joined.matched,
        unmatched_rows: pass.unmatched_rows,
        precincts_without_results: joined.precincts_without_results,
        summary_rows: pass.summary_rows,
        bad_rows: pass.bad_rows,
        warnings,
        ..report_header(table, &shape, opts.key_match)
    };
    progress.set(0.9, "results joined");
    Ok((report, joined.elections))
}

/// The report's description of the file (format, encoding, key, columns), with no results yet.
fn report_header(table: &TextTable, shape: &Shape, key_match: KeyMatch) -> ResultsImportReport {
    ResultsImportReport {
        file: table.path.display().to_string(),
        format: shape.format.name().to_owned(),
        encoding: table.encoding.to_owned(),
        delimiter: table.delimiter_name(),
        key_field: table.headers[shape.key_col].clone(),
        key_rule: match (key_match, &shape.resolution.rule) {
            (KeyMatch::Exact, _) => "exact".to_owned(),
            (_, Some(r)) => r.describe(),
            (_, None) => "normalised".to_owned(),
        },
        elections: Vec::new(),
        rows: 0,
        rows_filtered_out: 0,
        matched: 0,
        unmatched_rows: Vec::new(),
        precincts_without_results: Vec::new(),
        summary_rows: Vec::new(),
        bad_rows: Vec::new(),
        columns: shape.describe_columns(&table.headers),
        warnings: Vec::new(),
    }
}

/// Calls `f` on every non-blank record; every 4096 records, stops when cancelled and reports
/// progress from `start` to `start + span` of the way through the text.
fn for_each_record(
    table: &TextTable,
    progress: &dyn Progress,
    (start, span, label): (f32, f32, &str),
    mut f: impl FnMut(TextRecord) -> ModelResult<()>,
) -> ModelResult<()> {
    let total_len = table.text_len().max(1);
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
            progress.set(start + span * pos as f32 / total_len as f32, label);
        }
        f(rec)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoProgress;
    use crate::model::election::Turnout;

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
    fn office_filter_on_a_file_without_contests_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "m.csv",
            "bureau;inscrits;votants;exprimes;Liste A;Liste B\n1;100;60;58;30;28\n",
        );
        let opts = ResultsImportOptions {
            office: Some("Municipales".into()),
            ..Default::default()
        };
        let (r, e) = read(&p, &codes(&["1"]), &opts);
        assert_eq!((r.matched, e.len()), (1, 1));
        assert!(
            r.warnings.iter().any(|w| w.contains("ignored")),
            "{:?}",
            r.warnings
        );
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
