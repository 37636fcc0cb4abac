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
use crate::model::import::text::open_table;
use crate::model::results::{FollowUps, Outcome, Visit};
use crate::model::storage;

/// How to read a results file.
#[derive(Clone, Debug, Default)]
pub struct VisitImportOptions {
    /// The date of every visit (else the row's `date`, else its `recorded_at` date).
    pub date: Option<NaiveDate>,
    /// (field, header): e.g. ("address_fid", "N° porte"), ("outcome", "Résultat").
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
    /// Rows with no outcome (doors not visited in the walk list).
    pub empty: usize,
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

/// The operation holding a turf on a date, and the team walking it there.
type ResolvedOperation = Option<(i64, Option<i64>)>;

impl Campaign {
    /// Imports a results CSV in one transaction (nothing is written when the file cannot be
    /// read or a mapping names a missing column).
    pub fn import_visits(
        &mut self,
        path: &Path,
        opts: &VisitImportOptions,
    ) -> ModelResult<VisitImportReport> {
        let table = open_table(path)?;
        let bad = |m: String| ModelError::Invalid(format!("{}: {m}", path.display()));
        let mut col: HashMap<&str, usize> = HashMap::new();
        for (field, names) in FIELDS {
            if let Some(i) = names.iter().find_map(|n| table.column(n)) {
                col.insert(field, i);
            }
        }
        for (field, header) in &opts.mapping {
            let Some((f, _)) = FIELDS.iter().find(|(f, _)| f == field) else {
                let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                return Err(bad(format!(
                    "--map {field}={header}: unknown field (known: {})",
                    known.join(", ")
                )));
            };
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
        for need in ["outcome"] {
            if !col.contains_key(need) {
                return Err(bad(format!(
                    "no {need} column (headers: {}); map one with --map {need}=HEADER",
                    table.headers.join(", ")
                )));
            }
        }
        let walk_list = ["turf_id", "order", "address_fid", "outcome", "recorded_at"]
            .iter()
            .all(|h| table.column(h).is_some());
        let source = format!(
            "import: {}",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );

        let records = table.records().collect::<Result<Vec<_>, _>>()?;
        // Typed addresses ("12 rue des Lilas") matched among the campaign's doors beforehand.
        let mut geocoded: HashMap<String, Option<i64>> = HashMap::new();
        if let Some(&i) = col.get("address") {
            for rec in &records {
                let text = rec.get(i);
                if !text.is_empty() && !geocoded.contains_key(text) {
                    let fid = self.geocode_address(text)?.map(|(fid, _)| fid);
                    geocoded.insert(text.to_string(), fid);
                }
            }
        }
        let tx = self.conn.transaction()?;
        let doors = storage::results::doors_with_turf(&tx)?;
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
            contacts_created: 0,
            rejected: Vec::new(),
            duplicates: Vec::new(),
            conflicts: Vec::new(),
            sensitive_notes: Vec::new(),
        };
        // Active themes by lower-case name (the default list seeded on first use).
        let themes: HashMap<String, String> = storage::results::tags(&tx)?
            .into_iter()
            .filter(|(_, _, active)| *active)
            .map(|(_, name, _)| (name.to_lowercase(), name))
            .collect();
        for rec in records {
            if rec.is_blank() {
                continue;
            }
            report.rows += 1;
            let line = rec.line;
            let get = |f: &str| col.get(f).map(|&i| rec.get(i)).unwrap_or("");
            let mut reject = |reason: String| report.rejected.push(RejectedRow { line, reason });
            let outcome_text = get("outcome");
            if outcome_text.is_empty() {
                report.empty += 1;
                continue;
            }
            let Some(outcome) = Outcome::parse(outcome_text) else {
                reject(format!(
                    "unknown outcome \"{outcome_text}\" (expected one of not_home, opened, refused, come_back, moved, do_not_contact)"
                ));
                continue;
            };
            let fid_text = get("address_fid");
            let address = get("address");
            let fid = if !fid_text.is_empty() {
                let Ok(fid) = fid_text.parse::<i64>() else {
                    reject(format!("bad door id \"{fid_text}\""));
                    continue;
                };
                fid
            } else if !address.is_empty() {
                let Some(fid) = geocoded.get(address).copied().flatten() else {
                    reject(format!("address \"{address}\" not found among the doors"));
                    continue;
                };
                fid
            } else {
                reject("no door: neither address_fid nor address".into());
                continue;
            };
            let Some(door_turf) = doors.get(&fid).copied() else {
                reject(format!("unknown door {fid}"));
                continue;
            };
            let turf_text = get("turf");
            let turf = if turf_text.is_empty() {
                door_turf
            } else {
                let Ok(t) = turf_text.parse::<i64>() else {
                    reject(format!("bad turf id \"{turf_text}\""));
                    continue;
                };
                if door_turf != Some(t) {
                    reject(format!("door {fid} is not in turf {t}"));
                    continue;
                }
                Some(t)
            };
            let recorded_at = Some(get("recorded_at").to_string()).filter(|s| !s.is_empty());
            let date = match opts.date {
                Some(d) => d,
                None => {
                    let text = [get("date"), get("recorded_at")]
                        .into_iter()
                        .find(|s| !s.is_empty());
                    match text.map(|t| (t, parse_date(t))) {
                        Some((_, Some(d))) => d,
                        Some((t, None)) => {
                            reject(format!(
                                "bad date \"{t}\" (expected YYYY-MM-DD or DD/MM/YYYY)"
                            ));
                            continue;
                        }
                        None => {
                            reject("no date in the row: give --date".into());
                            continue;
                        }
                    }
                }
            };
            // A contact only with recorded consent: a date, or yes (then the visit's date).
            let (name, phone, email) = (get("name"), get("phone"), get("email"));
            let has_details = !(name.is_empty() && phone.is_empty() && email.is_empty());
            let consent_text = get("consent");
            let consent = parse_date(consent_text).or(truthy(consent_text).then_some(date));
            if has_details && consent.is_none() {
                reject(
                    "contact details without consent (give a consent date or yes in a consent column)"
                        .into(),
                );
                continue;
            }
            let mut tags = Vec::new();
            let mut unknown = None;
            for t in get("themes").split(['|', ',', ';']).map(str::trim) {
                if t.is_empty() {
                    continue;
                }
                match themes.get(&t.to_lowercase()) {
                    Some(name) => tags.push(name.clone()),
                    None => unknown = Some(t.to_string()),
                }
            }
            if let Some(t) = unknown {
                let mut known: Vec<&String> = themes.values().collect();
                known.sort();
                reject(format!(
                    "unknown theme \"{t}\" (the campaign's themes: {})",
                    known
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                continue;
            }
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
            let resolved = match turf {
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
                turf_id: turf,
                operation_id: resolved.map(|(o, _)| o),
                team_id: resolved.and_then(|(_, t)| t),
                visited_on: date,
                recorded_at,
                outcome,
                contact_taken: truthy(get("contact")) || has_details,
                follow_ups: FollowUps {
                    wants_to_volunteer: truthy(get("volunteer")),
                    wants_to_donate: truthy(get("donate")),
                    wants_callback: truthy(get("callback")),
                },
                note: get("note").to_string(),
                tags,
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
            if let Some(consent_date) = consent.filter(|_| has_details) {
                storage::contacts::insert_contact(
                    &tx,
                    &storage::contacts::NewContact {
                        visit_id: Some(visit_id),
                        address_fid: Some(fid),
                        name: name.to_string(),
                        phone: phone.to_string(),
                        email: email.to_string(),
                        consent_date,
                        source: source.clone(),
                        tags: Vec::new(),
                    },
                )?;
                report.contacts_created += 1;
            }
            report.accepted += 1;
        }
        tx.commit()?;
        Ok(report)
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

    #[test]
    fn contact_flags() {
        assert!(truthy("1") && truthy("Oui") && truthy("x"));
        assert!(!truthy("0") && !truthy("") && !truthy("non"));
    }
}
