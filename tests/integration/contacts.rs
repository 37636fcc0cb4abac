//! Contacts and data protection through the CLI on the sample city: contacts with tags and their
//! CSV export by tag, the right of access (`porte person access`) and the erasure test — after
//! `porte person erase`, no table, column or raw byte of the campaign file (nor its WAL) holds
//! the volunteer's name, phone (in any formatting) or email, and the other teams are intact.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{json_of, run_porte, temp_campaign};
use rusqlite::types::ValueRef;
use serde_json::Value;

const NAME: &str = "José Dupré";
const PHONE: &str = "06 77 94 71 79";
const EMAIL: &str = "jose.dupre87@example.org";

/// Sample city, precinct 4 cut into turfs, one operation with teams suggested by Porte.
fn campaign_with_teams(path: &str) {
    json_of(&["sample-city", "build", path, "--json"]);
    json_of(&[
        "turfs",
        "cut",
        path,
        "--precinct",
        "4",
        "--doors-per-turf",
        "75",
        "--json",
    ]);
    json_of(&[
        "operation",
        "create",
        path,
        "--name",
        "Samedi matin",
        "--date",
        "2026-03-14",
        "--start",
        "10:00",
        "--end",
        "12:30",
        "--turfs",
        "all",
        "--json",
    ]);
    json_of(&["operation", "assign", path, "1", "--auto", "--json"]);
}

/// Team id → (name, member volunteer ids).
fn teams(path: &Path) -> BTreeMap<i64, (String, Vec<i64>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn
        .prepare(
            "SELECT t.id, t.name, m.volunteer_id FROM operation_teams t
             LEFT JOIN team_members m ON m.team_id = t.id ORDER BY t.id, m.volunteer_id",
        )
        .unwrap();
    let mut out: BTreeMap<i64, (String, Vec<i64>)> = BTreeMap::new();
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (id, name, member) = row.unwrap();
        let e = out.entry(id).or_insert((name, Vec::new()));
        e.1.extend(member);
    }
    out
}

/// What betrays the person in a value: the name (case and accents ignored), the email, the
/// phone's digits in any formatting.
fn betrays(text: &str) -> bool {
    let lower = text.to_lowercase();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    lower.contains("dupré")
        || lower.contains("dupre")
        || lower.contains("jose.dupre87")
        || digits.contains("677947179")
}

/// Every (table, column, rowid) of the file whose value betrays the person: every table (R-tree
/// ones included), every column, text, blob or number.
fn leaks(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut found = Vec::new();
    for t in &tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let columns: Vec<String> = st.column_names().map(|s| s.to_string()).collect();
        let mut rows = st.query([]).unwrap();
        let mut n = 0;
        while let Some(r) = rows.next().unwrap() {
            n += 1;
            for (i, c) in columns.iter().enumerate() {
                let text = match r.get_ref(i).unwrap() {
                    ValueRef::Text(b) | ValueRef::Blob(b) => {
                        String::from_utf8_lossy(b).into_owned()
                    }
                    ValueRef::Integer(v) => v.to_string(),
                    ValueRef::Real(v) => v.to_string(),
                    ValueRef::Null => String::new(),
                };
                if betrays(&text) {
                    found.push(format!("{t}.{c} row {n}: {text}"));
                }
            }
        }
    }
    found
}

fn raw_holds(bytes: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    bytes.windows(n.len()).any(|w| w == n)
}

#[test]
fn erasing_a_volunteer_leaves_no_trace_in_any_table_or_byte_and_other_teams_intact() {
    let (_dir, path) = temp_campaign();
    let p = path.to_str().unwrap();
    campaign_with_teams(p);

    // A contact for him (phone typed differently), one for someone else, a visit note, the
    // operation's notes and an import report naming him.
    let added = json_of(&[
        "contacts",
        "add",
        p,
        "--name",
        "DUPRÉ José",
        "--phone",
        "+33 6 77 94 71 79",
        "--consent-date",
        "14/03/2026",
        "--tag",
        "écoles",
        "--tag",
        "logement",
        "--json",
    ]);
    assert_eq!(added["tags"], serde_json::json!(["écoles", "logement"]));
    json_of(&[
        "contacts",
        "add",
        p,
        "--name",
        "Ana Martin",
        "--email",
        "ana.martin@example.org",
        "--consent-date",
        "2026-03-14",
        "--tag",
        "Écoles",
        "--json",
    ]);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let door: i64 = conn
            .query_row("SELECT min(fid) FROM addresses", [], |r| r.get(0))
            .unwrap();
        conn.execute(
            "INSERT INTO visits (address_fid, operation_id, visited_on, outcome, contact_taken, note)
             VALUES (?1, 1, '2026-03-14', 'opened', 1,
                     'Vu avec José Dupré ; rappeler au 06.77.94.71.79 ou JOSE.DUPRE87@example.org')",
            [door],
        )
        .unwrap();
        conn.execute(
            "UPDATE operations SET notes = 'Responsable : Dupré José (0677947179)' WHERE id = 1",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO import_log (kind, file, report_json)
             VALUES ('test', 'x.csv', '{\"rejected\":[\"jose.dupre87@example.org\"]}')",
            [],
        )
        .unwrap();
    }

    // Export by tag: both contacts have "écoles" (however typed), only his has "logement".
    let export = json_of(&["contacts", "export", p, "--tag", "ECOLES", "--json"]);
    assert_eq!(export["contacts"], 2, "{export}");
    let csv = export["csv"].as_str().unwrap();
    assert!(
        csv.starts_with("name,phone,email,address,tags,consent_date,source\n"),
        "{csv}"
    );
    let listed = json_of(&["contacts", "list", p, "--tag", "logement", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["consent_date"], "2026-03-14");

    // Right of access: the volunteer row, his team, his contact, the visit note, the rest.
    let access = json_of(&["person", "access", p, "--name", NAME, "--json"]);
    let vols = access["volunteers"].as_array().unwrap();
    assert_eq!(vols.len(), 1, "{access}");
    assert_eq!(vols[0]["last_name"], "Dupré");
    assert_eq!(vols[0]["email"], EMAIL);
    assert_eq!(vols[0]["phone"], PHONE);
    assert_eq!(access["team_memberships"].as_array().unwrap().len(), 1);
    let contacts = access["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 1, "{access}");
    assert_eq!(
        contacts[0]["tags"],
        serde_json::json!(["écoles", "logement"])
    );
    assert_eq!(access["visits"].as_array().unwrap().len(), 1);
    let others: Vec<String> = access["other_mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}.{}",
                m["table"].as_str().unwrap(),
                m["column"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        others.contains(&"operations.notes".to_string()),
        "{others:?}"
    );
    assert!(
        others.contains(&"import_log.report_json".to_string()),
        "{others:?}"
    );

    assert!(
        !leaks(&path).is_empty(),
        "the test finds him before erasure"
    );
    let before = teams(&path);
    let vol_id = vols[0]["id"].as_i64().unwrap();
    let his_team = *before
        .iter()
        .find(|(_, (_, m))| m.contains(&vol_id))
        .expect("he walks in a team")
        .0;

    let report = json_of(&[
        "person", "erase", p, "--name", NAME, "--phone", PHONE, "--email", EMAIL, "--json",
    ]);
    assert_eq!(report["volunteers_deleted"], 1, "{report}");
    assert_eq!(report["contacts_deleted"], 1, "{report}");
    assert_eq!(report["team_memberships_removed"], 1, "{report}");
    assert_eq!(report["file_bytes_clean"], true, "{report}");
    assert_eq!(report["text_cells_scrubbed"]["visits.note"], 1, "{report}");
    assert_eq!(
        report["text_cells_scrubbed"]["operations.notes"], 1,
        "{report}"
    );

    // No table, no column holds him.
    let found = leaks(&path);
    assert!(found.is_empty(), "{found:#?}");
    // Nor any byte of the file or its log (the CLI process has closed it).
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    for f in [path.clone(), wal.into()] {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        for needle in [
            NAME,
            "Dupré",
            "DUPRÉ",
            EMAIL,
            PHONE,
            "0677947179",
            "+33677947179",
            "06.77.94.71.79",
        ] {
            assert!(!raw_holds(&bytes, needle), "{} holds {needle}", f.display());
        }
    }

    // The other teams are intact; his team keeps its other members under a name without him.
    let after = teams(&path);
    assert_eq!(before.len(), after.len());
    for (id, (name, members)) in &before {
        if *id == his_team {
            let (new_name, new_members) = &after[id];
            let expected: Vec<i64> = members.iter().copied().filter(|m| *m != vol_id).collect();
            assert_eq!(new_members, &expected);
            assert!(!new_name.contains("José D."), "{new_name}");
            assert!(!new_name.is_empty());
        } else {
            assert_eq!(&after[id], &(name.clone(), members.clone()), "team {id}");
        }
    }
    // The visit stays as an anonymous tally; the other contact stays.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (visits, taken): (i64, i64) = conn
        .query_row("SELECT count(*), sum(contact_taken) FROM visits", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((visits, taken), (1, 1));
    drop(conn);
    let left = json_of(&["contacts", "list", p, "--json"]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["name"], "Ana Martin");
    let access = json_of(&["person", "access", p, "--name", NAME, "--json"]);
    assert_eq!(access["volunteers"], Value::Array(vec![]));
}

#[test]
fn contacts_need_consent_and_a_way_to_reach_them_and_notes_warn_on_sensitive_words() {
    let (_dir, path) = temp_campaign();
    let p = path.to_str().unwrap();
    let (ok, _, err) = run_porte(&["contacts", "add", p, "--name", "Ana", "--json"]);
    assert!(!ok && err.contains("consent"), "{err}");
    let (ok, _, err) = run_porte(&[
        "contacts",
        "add",
        p,
        "--consent-date",
        "2026-03-14",
        "--tag",
        "écoles",
        "--json",
    ]);
    assert!(!ok && err.contains("name, a phone or an email"), "{err}");
    let added = json_of(&[
        "contacts",
        "add",
        p,
        "--name",
        "Ana",
        "--consent-date",
        "2026-03-14",
        "--json",
    ]);
    let id = added["id"].as_i64().unwrap().to_string();
    json_of(&[
        "contacts",
        "update",
        p,
        "--id",
        &id,
        "--name",
        "Ana Martin",
        "--consent-date",
        "2026-03-15",
        "--tag",
        "sécurité",
        "--json",
    ]);
    let listed = json_of(&["contacts", "list", p, "--search", "martin", "--json"]);
    assert_eq!(listed[0]["consent_date"], "2026-03-15", "{listed}");
    assert_eq!(listed[0]["tags"], serde_json::json!(["sécurité"]));
    json_of(&["contacts", "delete", p, &id, "--json"]);
    let (ok, _, err) = run_porte(&["contacts", "delete", p, &id, "--json"]);
    assert!(!ok && err.contains(&format!("no contact {id}")), "{err}");
    let (ok, _, err) = run_porte(&["person", "erase", p, "--json"]);
    assert!(!ok && err.contains("--name"), "{err}");

    let hits = json_of(&[
        "contacts",
        "check-note",
        "il est musulman et malade",
        "--json",
    ]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0]["word"], "musulman");
    assert_eq!(hits[0]["category"], "religion");
    assert_eq!(hits[1]["word"], "malade");
    assert_eq!(hits[1]["category"], "health");
}
