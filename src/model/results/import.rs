//! Importing field results from CSV: the file the offline HTML walk list exports
//! (`turf_id,order,address_fid,outcome,contact,note,recorded_at`, detected by its header) or a
//! spreadsheet typed from paper sheets (columns named, or mapped with `field=Header`). Every row
//! is validated; the same door + date + outcome twice is a duplicate (not re-inserted); another
//! outcome for a door already recorded that day is a conflict, left alone unless asked.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::import::text::{TextRecord, TextTable, open_table};
use crate::model::results::{FollowUps, Outcome, Visit};
use crate::model::storage;
use crate::model::volunteers::geocode::AddressIndex;

/// Up to this many distinct typed addresses are matched one by one, more through one index of
/// every door.
const ADDRESS_LOOKUPS_ONE_BY_ONE: usize = 50;

/// How to read a results file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VisitImportOptions {
    /// The date of every visit (else the row's `date`, else its `recorded_at` date).
    pub date: Option<NaiveDate>,
    /// (field, header): e.g. ("address_fid", "N° porte"), ("outcome", "Résultat"); an empty
    /// header leaves the field out even when a column bears one of its usual names.
    pub mapping: Vec<(String, String)>,
    /// Replace the outcome already recorded for a door that day instead of reporting a conflict.
    pub replace_conflicts: bool,
}

/// The fields a results file can hold, with the headers recognised without a mapping.
pub const FIELDS: [(&str, &[&str]); 16] = [
    ("themes", &["themes", "tags", "thèmes", "sujets"]),
    ("address_fid", &["address_fid", "door", "porte", "fid"]),
    ("address", &["address", "adresse"]),
    ("name", &["name", "nom", "contact_name"]),
    ("phone", &["phone", "téléphone", "telephone", "tel"]),
    ("email", &["email", "e-mail", "courriel"]),
    ("consent", &["consent", "consentement", "consent_date"]),
    ("turf", &["turf_id", "turf", "secteur"]),
    ("date", &["date", "visited_on", "jour"]),
    ("recorded_at", &["recorded_at"]),
    ("outcome", &["outcome", "result", "résultat", "resultat"]),
    ("contact", &["contact", "contact_taken"]),
    ("note", &["note", "notes", "remarque"]),
    (
        "volunteer",
        &["wants_to_volunteer", "volunteer", "bénévole"],
    ),
    ("donate", &["wants_to_donate", "donate", "don"]),
    ("callback", &["wants_callback", "callback", "rappel"]),
];

#[derive(Clone, Debug, Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DuplicateRow {
    pub line: u64,
    pub address_fid: i64,
    pub date: String,
    pub outcome: String,
    /// "campaign" (already recorded) or "file" (twice in this file: line of the first).
    pub already_in: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConflictRow {
    pub line: u64,
    pub address_fid: i64,
    pub date: String,
    pub recorded: String,
    pub incoming: String,
    /// True when `--replace-conflicts` replaced the recorded outcome.
    pub replaced: bool,
}

/// A note holding words of a sensitive category (stored, but to be reviewed).
#[derive(Clone, Debug, Serialize)]
pub struct NoteWarning {
    pub line: u64,
    pub words: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VisitImportReport {
    pub file: String,
    /// "walk_list" or "spreadsheet".
    pub format: String,
    pub rows: usize,
    pub accepted: usize,
    /// Rows with no outcome nor note nor contact (doors not visited in the walk list).
    pub empty: usize,
    /// Lines with no outcome but a contact (ticked or details given): recorded as opened.
    pub opened_inferred: Vec<u64>,
    /// Contacts recorded (name, phone or email given with consent).
    pub contacts_created: usize,
    pub rejected: Vec<RejectedRow>,
    pub duplicates: Vec<DuplicateRow>,
    pub conflicts: Vec<ConflictRow>,
    /// Notes with words of sensitive categories (religion, health...): review and edit them.
    pub sensitive_notes: Vec<NoteWarning>,
}

fn truthy(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "1" | "x" | "yes" | "y" | "oui" | "o" | "true" | "vrai"
    )
}

/// A date as `YYYY-MM-DD`, `DD/MM/YYYY`, or the date part of an ISO timestamp.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// What a results file looks like before it is imported: its format, headers, first rows and
/// the columns recognised without a mapping.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitFilePreview {
    /// "walk_list" (the offline HTML walk list's CSV) or "spreadsheet".
    pub format: String,
    pub encoding: String,
    /// "comma", "semicolon", "tab"...
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The first rows, one string per header.
    pub rows: Vec<Vec<String>>,
    /// Data rows in the file (blank lines left out).
    pub total_rows: usize,
    /// (field, header) recognised by name, in [`FIELDS`] order.
    pub recognised: Vec<(String, String)>,
}

/// The columns of `table` recognised by their header, by field.
fn recognised_columns(table: &TextTable) -> HashMap<&'static str, usize> {
    let mut col = HashMap::new();
    for (field, names) in FIELDS {
        if let Some(i) = names.iter().find_map(|n| table.column(n)) {
            col.insert(field, i);
        }
    }
    col
}

/// The header of the walk list's CSV (`turf_id,order,address_fid,outcome,...,recorded_at`).
fn is_walk_list(table: &TextTable) -> bool {
    ["turf_id", "order", "address_fid", "outcome", "recorded_at"]
        .iter()
        .all(|h| table.column(h).is_some())
}

/// Reads a results file's header and first `max_rows` rows (nothing is written).
pub fn preview_visits_file(path: &Path, max_rows: usize) -> ModelResult<VisitFilePreview> {
    let table = open_table(path)?;
    let col = recognised_columns(&table);
    let mut rows = Vec::new();
    let mut total_rows = 0;
    for rec in table.records() {
        let rec = rec?;
        if rec.is_blank() {
            continue;
        }
        total_rows += 1;
        if rows.len() < max_rows {
            rows.push(
                (0..table.headers.len())
                    .map(|i| rec.get(i).to_string())
                    .collect(),
            );
        }
    }
    Ok(VisitFilePreview {
        format: if is_walk_list(&table) {
            "walk_list"
        } else {
            "spreadsheet"
        }
        .into(),
        encoding: table.encoding.to_string(),
        delimiter: table.delimiter_name(),
        recognised: FIELDS
            .iter()
            .filter_map(|(f, _)| Some((f.to_string(), table.headers.get(*col.get(f)?)?.clone())))
            .collect(),
        headers: table.headers.clone(),
        rows,
        total_rows,
    })
}

/// The operation holding a turf on a date, and the team walking it there.
type ResolvedOperation = Option<(i64, Option<i64>)>;

/// The columns read from `table`: the recognised headers, then `opts.mapping` (an empty header
/// leaves a field out); an error names the file when the door or the outcome has no column.
fn mapped_columns(
    table: &TextTable,
    opts: &VisitImportOptions,
    path: &Path,
) -> ModelResult<HashMap<&'static str, usize>> {
    let bad = |m: String| ModelError::Invalid(format!("{}: {m}", path.display()));
    let mut col = recognised_columns(table);
    for (field, header) in &opts.mapping {
        let Some((f, _)) = FIELDS.iter().find(|(f, _)| f == field) else {
            let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
            return Err(bad(format!(
                "--map {field}={header}: unknown field (known: {})",
                known.join(", ")
            )));
        };
        // `field=` (no header): the field is not read from this file, even when a column
        // has one of its usual names.
        if header.trim().is_empty() {
            col.remove(f);
            continue;
        }
        let i = table
            .column(header)
            .ok_or_else(|| bad(format!("--map {field}={header}: no column \"{header}\"")))?;
        col.insert(f, i);
    }
    if !col.contains_key("address_fid") && !col.contains_key("address") {
        return Err(bad(format!(
            "no address_fid nor address column (headers: {}); map one with --map address_fid=HEADER or --map address=HEADER",
            table.headers.join(", ")
        )));
    }
    if !col.contains_key("outcome") {
        return Err(bad(format!(
            "no outcome column (headers: {}); map one with --map outcome=HEADER",
            table.headers.join(", ")
        )));
    }
    Ok(col)
}

/// What a row needs from the campaign and the file to be read.
struct RowContext<'a> {
    col: &'a HashMap<&'static str, usize>,
    /// Typed addresses → door fid (None: not found).
    geocoded: &'a HashMap<String, Option<i64>>,
    /// Door fid → its turf.
    doors: &'a HashMap<i64, Option<i64>>,
    /// Active themes by lower-case name.
    themes: &'a HashMap<String, String>,
    /// `--date`: the date of every visit.
    date: Option<NaiveDate>,
}

/// A row read into a visit, before deduplication.
struct RowVisit {
    fid: i64,
    turf: Option<i64>,
    date: NaiveDate,
    outcome: Outcome,
    /// No outcome was given: the contact means someone opened.
    opened_inferred: bool,
    recorded_at: Option<String>,
    /// Name, phone, email and consent date of a contact taken there.
    contact: Option<(String, String, String, NaiveDate)>,
    contact_taken: bool,
    follow_ups: FollowUps,
    note: String,
    tags: Vec<String>,
}

/// What one row says.
enum RowRead {
    /// No outcome and nothing noted: a door not visited.
    Empty,
    Rejected(String),
    Visit(Box<RowVisit>),
}

/// Reads one row: its door (fid or typed address), turf, date, outcome, contact (only with
/// consent) and themes, or why it is rejected.
fn read_row(rec: &TextRecord, cx: &RowContext<'_>) -> RowRead {
    let get = |f: &str| cx.col.get(f).map(|&i| rec.get(i)).unwrap_or("");
    let outcome_text = get("outcome");
    let (name, phone, email) = (get("name"), get("phone"), get("email"));
    let has_details = !(name.is_empty() && phone.is_empty() && email.is_empty());
    // No outcome: a door not visited, unless something was noted there. A contact (ticked, or
    // details given) means someone opened: recorded as opened. A note alone cannot tell whether
    // the door opened: rejected so that it is not lost silently.
    let outcome = if outcome_text.is_empty() {
        if truthy(get("contact")) || has_details {
            Some(Outcome::Opened)
        } else if !get("note").is_empty() {
            return RowRead::Rejected(
                "note without outcome: give the door's outcome (not_home, opened...)".into(),
            );
        } else {
            return RowRead::Empty;
        }
    } else {
        Outcome::parse(outcome_text)
    };
    let Some(outcome) = outcome else {
        return RowRead::Rejected(format!(
            "unknown outcome \"{outcome_text}\" (expected one of not_home, opened, refused, come_back, moved, do_not_contact)"
        ));
    };
    let fid_text = get("address_fid");
    let address = get("address");
    let fid = if !fid_text.is_empty() {
        let Ok(fid) = fid_text.parse::<i64>() else {
            return RowRead::Rejected(format!("bad door id \"{fid_text}\""));
        };
        fid
    } else if !address.is_empty() {
        let Some(fid) = cx.geocoded.get(address).copied().flatten() else {
            return RowRead::Rejected(format!("address \"{address}\" not found among the doors"));
        };
        fid
    } else {
        return RowRead::Rejected("no door: neither address_fid nor address".into());
    };
    let Some(door_turf) = cx.doors.get(&fid).copied() else {
        return RowRead::Rejected(format!("unknown door {fid}"));
    };
    let turf_text = get("turf");
    let turf = if turf_text.is_empty() {
        door_turf
    } else {
        let Ok(t) = turf_text.parse::<i64>() else {
            return RowRead::Rejected(format!("bad turf id \"{turf_text}\""));
        };
        if door_turf != Some(t) {
            return RowRead::Rejected(format!("door {fid} is not in turf {t}"));
        }
        Some(t)
    };
    let date = match cx.date {
        Some(d) => d,
        None => {
            let text = [get("date"), get("recorded_at")]
                .into_iter()
                .find(|s| !s.is_empty());
            match text.map(|t| (t, parse_date(t))) {
                Some((_, Some(d))) => d,
                Some((t, None)) => {
                    return RowRead::Rejected(format!(
                        "bad date \"{t}\" (expected YYYY-MM-DD or DD/MM/YYYY)"
                    ));
                }
                None => return RowRead::Rejected("no date in the row: give --date".into()),
            }
        }
    };
    // A contact only with recorded consent: a date, or yes (then the visit's date).
    let consent_text = get("consent");
    let consent = parse_date(consent_text).or(truthy(consent_text).then_some(date));
    let contact = match (has_details, consent) {
        (false, _) => None,
        (true, Some(consent)) => Some((name.into(), phone.into(), email.into(), consent)),
        (true, None) => {
            return RowRead::Rejected(
                "contact details without consent (give a consent date or yes in a consent column)"
                    .into(),
            );
        }
    };
    let mut tags = Vec::new();
    for t in get("themes").split(['|', ',', ';']).map(str::trim) {
        if t.is_empty() {
            continue;
        }
        match cx.themes.get(&t.to_lowercase()) {
            Some(name) => tags.push(name.clone()),
            None => {
                let mut known: Vec<&str> = cx.themes.values().map(String::as_str).collect();
                known.sort();
                return RowRead::Rejected(format!(
                    "unknown theme \"{t}\" (the campaign's themes: {})",
                    known.join(", ")
                ));
            }
        }
    }
    RowRead::Visit(Box::new(RowVisit {
        fid,
        turf,
        date,
        outcome,
        opened_inferred: outcome_text.is_empty(),
        recorded_at: Some(get("recorded_at").to_string()).filter(|s| !s.is_empty()),
        contact_taken: truthy(get("contact")) || has_details,
        contact,
        follow_ups: FollowUps {
            wants_to_volunteer: truthy(get("volunteer")),
            wants_to_donate: truthy(get("donate")),
            wants_callback: truthy(get("callback")),
        },
        note: get("note").to_string(),
        tags,
    }))
}

impl Campaign {
    /// Imports a results CSV in one transaction (nothing is written when the file cannot be
    /// read or a mapping names a missing column).
    pub fn import_visits(
        &mut self,
        path: &Path,
        opts: &VisitImportOptions,
    ) -> ModelResult<VisitImportReport> {
        let table = open_table(path)?;
        let col = mapped_columns(&table, opts, path)?;
        let walk_list = is_walk_list(&table);
        let source = format!(
            "import: {}",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        let records = table.records().collect::<Result<Vec<_>, _>>()?;
        let geocoded = match col.get("address") {
            Some(&i) => self.geocode_typed_addresses(&records, i)?,
            None => HashMap::new(),
        };
        let tx = self.conn.transaction()?;
        let doors = storage::results::doors_with_turf(&tx)?;
        // Active themes by lower-case name (the default list seeded on first use).
        let themes: HashMap<String, String> = storage::results::tags(&tx)?
            .into_iter()
            .filter(|(_, _, active)| *active)
            .map(|(_, name, _)| (name.to_lowercase(), name))
            .collect();
        let cx = RowContext {
            col: &col,
            geocoded: &geocoded,
            doors: &doors,
            themes: &themes,
            date: opts.date,
        };
        let mut ops: HashMap<(i64, NaiveDate), ResolvedOperation> = HashMap::new();
        let mut seen: HashMap<(i64, NaiveDate), (u64, Outcome)> = HashMap::new();
        let mut report = VisitImportReport {
            file: path.display().to_string(),
            format: if walk_list {
                "walk_list"
            } else {
                "spreadsheet"
            }
            .into(),
            rows: 0,
            accepted: 0,
            empty: 0,
            opened_inferred: Vec::new(),
            contacts_created: 0,
            rejected: Vec::new(),
            duplicates: Vec::new(),
            conflicts: Vec::new(),
            sensitive_notes: Vec::new(),
        };
        for rec in records {
            if rec.is_blank() {
                continue;
            }
            report.rows += 1;
            let line = rec.line;
            let row = match read_row(&rec, &cx) {
                RowRead::Empty => {
                    report.empty += 1;
                    continue;
                }
                RowRead::Rejected(reason) => {
                    report.rejected.push(RejectedRow { line, reason });
                    continue;
                }
                RowRead::Visit(row) => row,
            };
            let (fid, date, outcome) = (row.fid, row.date, row.outcome);
            let key = (fid, date);
            if let Some(&(first, o)) = seen.get(&key) {
                if o == outcome {
                    report.duplicates.push(DuplicateRow {
                        line,
                        address_fid: fid,
                        date: date.to_string(),
                        outcome: outcome.code().into(),
                        already_in: format!("file (line {first})"),
                    });
                } else {
                    report.conflicts.push(ConflictRow {
                        line,
                        address_fid: fid,
                        date: date.to_string(),
                        recorded: format!("{} (line {first} of this file)", o.code()),
                        incoming: outcome.code().into(),
                        replaced: false,
                    });
                }
                continue;
            }
            seen.insert(key, (line, outcome));
            let existing = storage::results::visits_on(&tx, fid, &date.to_string())?;
            if existing.iter().any(|(_, o)| o == outcome.code()) {
                report.duplicates.push(DuplicateRow {
                    line,
                    address_fid: fid,
                    date: date.to_string(),
                    outcome: outcome.code().into(),
                    already_in: "campaign".into(),
                });
                continue;
            }
            if let Some((_, recorded)) = existing.first() {
                report.conflicts.push(ConflictRow {
                    line,
                    address_fid: fid,
                    date: date.to_string(),
                    recorded: recorded.clone(),
                    incoming: outcome.code().into(),
                    replaced: opts.replace_conflicts,
                });
                if !opts.replace_conflicts {
                    continue;
                }
                for (id, _) in &existing {
                    storage::results::delete_visit(&tx, *id)?;
                }
            }
            let resolved = match row.turf {
                Some(t) => *ops
                    .entry((t, date))
                    .or_insert(storage::results::operation_for_turf(
                        &tx,
                        t,
                        &date.to_string(),
                    )?),
                None => None,
            };
            let visit = Visit {
                address_fid: fid,
                turf_id: row.turf,
                operation_id: resolved.map(|(o, _)| o),
                team_id: resolved.and_then(|(_, t)| t),
                visited_on: date,
                recorded_at: row.recorded_at,
                outcome,
                contact_taken: row.contact_taken,
                follow_ups: row.follow_ups,
                note: row.note,
                tags: row.tags,
                source: source.clone(),
            };
            let hits = crate::model::contacts::sensitive::sensitive_words(&visit.note);
            if !hits.is_empty() {
                report.sensitive_notes.push(NoteWarning {
                    line,
                    words: hits.into_iter().map(|h| h.word).collect(),
                });
            }
            let visit_id = storage::results::insert_visit(&tx, &visit)?;
            if let Some((name, phone, email, consent_date)) = row.contact {
                storage::contacts::insert_contact(
                    &tx,
                    &storage::contacts::NewContact {
                        visit_id: Some(visit_id),
                        address_fid: Some(fid),
                        name,
                        phone,
                        email,
                        consent_date,
                        source: source.clone(),
                        tags: Vec::new(),
                    },
                )?;
                report.contacts_created += 1;
            }
            if row.opened_inferred {
                report.opened_inferred.push(line);
            }
            report.accepted += 1;
        }
        tx.commit()?;
        Ok(report)
    }

    /// The doors of the typed addresses ("12 rue des Lilas") of column `i`, matched beforehand.
    /// A few are looked up one by one (each reads only the doors of its house number); many
    /// read every door once (5,000 typed addresses: 18 s → under 1 s).
    fn geocode_typed_addresses(
        &self,
        records: &[TextRecord],
        i: usize,
    ) -> ModelResult<HashMap<String, Option<i64>>> {
        let texts: std::collections::BTreeSet<&str> = records
            .iter()
            .map(|rec| rec.get(i))
            .filter(|t| !t.is_empty())
            .collect();
        let index = if texts.len() > ADDRESS_LOOKUPS_ONE_BY_ONE {
            Some(AddressIndex::load(&self.conn)?)
        } else {
            None
        };
        let mut geocoded = HashMap::new();
        for text in texts {
            let fid = match &index {
                Some(index) => index.find(text),
                None => self.geocode_address(text)?,
            };
            geocoded.insert(text.to_string(), fid.map(|(fid, _)| fid));
        }
        Ok(geocoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_iso_french_and_timestamps() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        assert_eq!(parse_date("2026-03-14"), Some(d));
        assert_eq!(parse_date("14/03/2026"), Some(d));
        assert_eq!(parse_date("2026-03-14T10:22:05.123Z"), Some(d));
        assert_eq!(parse_date("14 mars"), None);
    }

    /// A campaign whose turf 1 holds doors 1, 2 and 3 (and 4, for rows of other tests).
    fn campaign(dir: &tempfile::TempDir) -> Campaign {
        let c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        c.connection()
            .execute_batch(
                "INSERT INTO addresses (fid, number, street, source) VALUES
                    (1, '1', 'rue A', 't'), (2, '2', 'rue A', 't'), (3, '3', 'rue A', 't'),
                    (4, '4', 'rue A', 't');
                 INSERT INTO turfs (fid, name, colour) VALUES (1, 'T1', '#ff0000');
                 INSERT INTO turf_doors (turf_id, address_fid) VALUES (1, 1), (1, 2), (1, 3), (1, 4);",
            )
            .unwrap();
        c
    }

    #[test]
    fn a_walk_list_row_without_outcome_counts_when_a_contact_was_taken() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = campaign(&dir);
        let file = dir.path().join("walk.csv");
        std::fs::write(
            &file,
            "turf_id,order,address_fid,outcome,contact,note,recorded_at\n\
             1,1,1,not_home,0,,2026-03-14T10:01:00Z\n\
             1,2,2,,1,veut être rappelée,2026-03-14T10:05:00Z\n\
             1,3,3,,0,chien méchant,2026-03-14T10:09:00Z\n\
             1,4,4,,0,,\n",
        )
        .unwrap();
        let preview = preview_visits_file(&file, 2).unwrap();
        assert_eq!(preview.format, "walk_list");
        assert_eq!((preview.rows.len(), preview.total_rows), (2, 4));
        assert!(
            preview
                .recognised
                .contains(&("address_fid".to_string(), "address_fid".to_string()))
        );

        let r = c
            .import_visits(&file, &VisitImportOptions::default())
            .unwrap();
        assert_eq!((r.rows, r.accepted, r.empty), (4, 2, 1));
        assert_eq!(r.opened_inferred, [3]);
        assert_eq!(r.rejected.len(), 1);
        assert_eq!(r.rejected[0].line, 4);
        assert!(r.rejected[0].reason.contains("note without outcome"));
        let visits = c.door_visits(2).unwrap();
        assert_eq!(visits.len(), 1);
        assert_eq!(visits[0].outcome, Outcome::Opened);
        assert!(visits[0].contact_taken);
        assert_eq!(visits[0].note, "veut être rappelée");
        assert!(c.door_visits(3).unwrap().is_empty());
    }

    #[test]
    fn a_spreadsheet_is_read_through_its_mapping() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = campaign(&dir);
        let file = dir.path().join("papier.csv");
        std::fs::write(
            &file,
            "N° porte;Issue;Jour;Sujets\n1;Absent;14/03/2026;\n2;Ouvert;14/03/2026;écoles\n",
        )
        .unwrap();
        let preview = preview_visits_file(&file, 10).unwrap();
        assert_eq!(preview.format, "spreadsheet");
        assert_eq!(preview.headers, ["N° porte", "Issue", "Jour", "Sujets"]);
        assert!(
            !preview.recognised.iter().any(|(f, _)| f == "outcome"),
            "{:?}",
            preview.recognised
        );
        let opts = VisitImportOptions {
            mapping: vec![
                ("address_fid".into(), "N° porte".into()),
                ("outcome".into(), "Issue".into()),
            ],
            ..VisitImportOptions::default()
        };
        let r = c.import_visits(&file, &opts).unwrap();
        assert_eq!(r.accepted, 2, "{:?}", r.rejected);
        assert_eq!(c.door_visits(2).unwrap()[0].themes, ["écoles"]);
        let again = c.import_visits(&file, &opts).unwrap();
        assert_eq!((again.accepted, again.duplicates.len()), (0, 2));

        // "Sujets" is read as the themes unless the mapping leaves the field out.
        let file = dir.path().join("papier2.csv");
        std::fs::write(
            &file,
            "N° porte;Issue;Jour;Sujets\n3;Ouvert;15/03/2026;astrologie\n",
        )
        .unwrap();
        let r = c.import_visits(&file, &opts).unwrap();
        assert!(
            r.rejected[0].reason.contains("unknown theme"),
            "{:?}",
            r.rejected
        );
        let mut without_themes = opts.clone();
        without_themes
            .mapping
            .push(("themes".into(), String::new()));
        let r = c.import_visits(&file, &without_themes).unwrap();
        assert_eq!(r.accepted, 1, "{:?}", r.rejected);
        assert!(c.door_visits(3).unwrap()[0].themes.is_empty());
    }

    #[test]
    fn many_typed_addresses_are_matched_through_one_index_as_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        let n = ADDRESS_LOOKUPS_ONE_BY_ONE + 10;
        {
            let tx = c.conn.transaction().unwrap();
            for i in 1..=n {
                let blob = storage::gpkg::encode(
                    &geo_types::Geometry::Point(geo_types::Point::new(2.3, 48.8 + i as f64 * 1e-4)),
                    4326,
                );
                tx.execute(
                    "INSERT INTO addresses (fid, geom, number, street, source) VALUES (?1, ?2, ?3, 'rue des Lilas', 't')",
                    rusqlite::params![i as i64, blob, i.to_string()],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let write = |name: &str, rows: usize| {
            let mut text = String::from("Adresse;Résultat;Date\n");
            for i in 1..=rows {
                text.push_str(&format!("{i} Rue des lilas;absent;14/03/2026\n"));
            }
            text.push_str("999 rue des Lilas;absent;14/03/2026\n");
            let file = dir.path().join(name);
            std::fs::write(&file, text).unwrap();
            file
        };
        // A few: one by one; many: through the index. Both find the same doors.
        let few = c
            .import_visits(&write("few.csv", 3), &VisitImportOptions::default())
            .unwrap();
        assert_eq!((few.accepted, few.rejected.len()), (3, 1));
        assert!(few.rejected[0].reason.contains("not found among the doors"));
        let many = c
            .import_visits(&write("many.csv", n), &VisitImportOptions::default())
            .unwrap();
        assert_eq!((many.accepted, many.duplicates.len()), (n - 3, 3));
        assert_eq!(many.rejected.len(), 1);
        for fid in [1, n as i64] {
            assert_eq!(c.door_visits(fid).unwrap().len(), 1, "door {fid}");
        }
    }

    #[test]
    fn contact_flags() {
        assert!(truthy("1") && truthy("Oui") && truthy("x"));
        assert!(!truthy("0") && !truthy("") && !truthy("non"));
    }
}
