//! Right to erasure: remove one person from the whole campaign file in one transaction. Their
//! volunteer rows and contacts go; visits stay as anonymous tallies; their name, phone and email
//! are blanked in every text cell. With `secure_delete` on, the freed bytes are zeroed; free
//! pages are overwritten; the WAL is checkpointed and truncated; then the file's bytes are
//! searched, and only if an older copy survives in a page's free space is the file rebuilt
//! (VACUUM).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::access::{find_person, memberships, text_mentions};
use super::person::PersonQuery;
use crate::model::Campaign;
use crate::model::error::ModelResult;
use crate::model::operations::plan::team_name;
use crate::model::storage::volunteers as volunteer_store;
use crate::model::volunteers::fold;
use crate::model::volunteers::roster::phone_key;

/// A team renamed because its name held the person's short name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenamedTeam {
    pub team_id: i64,
    pub operation_id: i64,
    pub new_name: String,
}

/// What an erasure removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ErasureReport {
    pub query: PersonQuery,
    pub volunteers_deleted: usize,
    pub team_memberships_removed: usize,
    pub teams_renamed: Vec<RenamedTeam>,
    pub contacts_deleted: usize,
    pub contact_tags_deleted: usize,
    /// Visits linked to the deleted contacts, kept (outcome and contact count) without them.
    pub visits_kept_anonymous: usize,
    /// Text cells where the name, phone or email was blanked, per `table.column`.
    pub text_cells_scrubbed: BTreeMap<String, usize>,
    /// Rows deleted or changed, per table.
    pub rows_per_table: BTreeMap<String, usize>,
    /// Free pages overwritten with zeros after the erasure.
    pub free_pages_zeroed: i64,
    /// The write-ahead log was checkpointed into the file and truncated.
    pub wal_truncated: bool,
    /// Old copies were found in the file's free space, so it was rebuilt (VACUUM).
    pub vacuumed: bool,
    /// After all this, none of the person's name, phone or email bytes is in the file or its log.
    pub file_bytes_clean: bool,
}

impl ErasureReport {
    pub fn total(&self) -> usize {
        self.rows_per_table.values().sum()
    }
}

/// True when the campaign file or its write-ahead log holds any of the strings' bytes.
fn file_holds(path: &Path, strings: &[String]) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_path_buf(), PathBuf::from(wal)].iter().any(|p| {
        let Ok(bytes) = std::fs::read(p) else {
            return false;
        };
        strings.iter().any(|s| {
            let needle = s.trim().as_bytes();
            !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle)
        })
    })
}

fn bump(rows: &mut BTreeMap<String, usize>, table: &str, n: usize) {
    if n > 0 {
        *rows.entry(table.to_string()).or_default() += n;
    }
}

impl Campaign {
    /// Erases the person everywhere (see the module doc); an error changes nothing.
    pub fn erase_person(&mut self, query: &PersonQuery) -> ModelResult<ErasureReport> {
        let secure_before: i64 = self
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "secure_delete", 1)?;
        let result = self.erase_person_securely(query);
        self.conn
            .pragma_update(None, "secure_delete", secure_before)?;
        result
    }

    fn erase_person_securely(&mut self, query: &PersonQuery) -> ModelResult<ErasureReport> {
        let mut report = ErasureReport {
            query: query.clone(),
            ..ErasureReport::default()
        };
        let tx = self.conn.transaction()?;
        let (volunteers, contacts, needles) = find_person(&tx, query)?;
        let ids: Vec<i64> = volunteers.iter().map(|v| v.id).collect();
        let teams = memberships(&tx, &ids)?;
        let short_names: Vec<String> = volunteers
            .iter()
            .map(|v| fold(&v.short_name()))
            .filter(|s| !s.trim().is_empty())
            .collect();

        // Contacts (their tags go with them; their visits stay, without the person).
        for c in &contacts {
            let tags: usize = tx.query_row(
                "SELECT count(*) FROM contact_tags WHERE contact_id = ?1",
                [c.id],
                |r| r.get::<_, i64>(0),
            )? as usize;
            report.contact_tags_deleted += tags;
            if c.visit_id.is_some() {
                report.visits_kept_anonymous += 1;
            }
            report.contacts_deleted += tx.execute("DELETE FROM contacts WHERE id = ?1", [c.id])?;
        }
        bump(
            &mut report.rows_per_table,
            "contacts",
            report.contacts_deleted,
        );
        bump(
            &mut report.rows_per_table,
            "contact_tags",
            report.contact_tags_deleted,
        );

        // Volunteers (their team memberships go with them).
        report.team_memberships_removed = teams.len();
        for id in &ids {
            report.volunteers_deleted +=
                tx.execute("DELETE FROM volunteers WHERE fid = ?1", [id])?;
        }
        bump(
            &mut report.rows_per_table,
            "volunteers",
            report.volunteers_deleted,
        );
        bump(
            &mut report.rows_per_table,
            "team_members",
            report.team_memberships_removed,
        );

        // Teams named after them: named again from who is left, or "Équipe N".
        let roster = volunteer_store::load_all(&tx)?;
        for m in &teams {
            let folded = fold(&m.team_name);
            if !short_names.iter().any(|s| folded.contains(s.as_str())) {
                continue;
            }
            let mut st =
                tx.prepare("SELECT volunteer_id FROM team_members WHERE team_id = ?1 ORDER BY id")?;
            let members = st
                .query_map([m.team_id], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let names: Vec<String> = members
                .iter()
                .filter_map(|id| roster.iter().find(|v| v.id == *id))
                .map(|v| v.short_name())
                .collect();
            let new_name = if names.is_empty() {
                let n: i64 = tx.query_row(
                    "SELECT count(*) FROM operation_teams WHERE operation_id = ?1 AND id <= ?2",
                    [m.operation_id, m.team_id],
                    |r| r.get(0),
                )?;
                format!("Équipe {n}")
            } else {
                team_name(&names)
            };
            tx.execute(
                "UPDATE operation_teams SET name = ?2 WHERE id = ?1",
                rusqlite::params![m.team_id, new_name],
            )?;
            report.teams_renamed.push(RenamedTeam {
                team_id: m.team_id,
                operation_id: m.operation_id,
                new_name,
            });
        }
        bump(
            &mut report.rows_per_table,
            "operation_teams",
            report.teams_renamed.len(),
        );

        // Every other text cell that names them.
        let mentions = text_mentions(&tx, &needles)?;
        let mut changed_rows: BTreeMap<String, std::collections::BTreeSet<i64>> = BTreeMap::new();
        for m in mentions {
            let (text, n) = needles.scrub(&m.text);
            if n == 0 {
                continue;
            }
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            tx.execute(
                &format!(
                    "UPDATE {} SET {} = ?2 WHERE rowid = ?1",
                    q(&m.table),
                    q(&m.column)
                ),
                rusqlite::params![m.rowid, text],
            )?;
            *report
                .text_cells_scrubbed
                .entry(format!("{}.{}", m.table, m.column))
                .or_default() += 1;
            changed_rows.entry(m.table).or_default().insert(m.rowid);
        }
        for (table, rows) in changed_rows {
            bump(&mut report.rows_per_table, &table, rows.len());
        }
        tx.commit()?;

        // Bytes freed before this erasure (earlier edits) may still hold the person: fill every
        // free page with zeros, then let it go again.
        let page_size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let free: i64 = self
            .conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        if free > 0 {
            let tx = self.conn.transaction()?;
            tx.execute_batch("CREATE TABLE porte_erasure_fill (b BLOB)")?;
            tx.execute(
                "INSERT INTO porte_erasure_fill (b) VALUES (zeroblob(?1))",
                [free * page_size],
            )?;
            tx.execute_batch("DROP TABLE porte_erasure_fill")?;
            tx.commit()?;
            report.free_pages_zeroed = free;
        }
        // Move the log into the file and empty it: its old frames held the person's rows.
        let (busy, _, _): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        report.wal_truncated = busy == 0;

        // Secure delete zeroes what this erasure freed, not older copies an earlier edit left in
        // the free space of a live page: look for the person's bytes in the file and, only when
        // some are left, rebuild it (VACUUM) and look again.
        // (A lone word typed as the name is not searched: "Martin" is also a street.)
        let mut raw: Vec<String> = vec![query.phone.clone(), query.email.clone()];
        if query.name.split_whitespace().count() >= 2 {
            raw.push(query.name.clone());
        }
        for v in &volunteers {
            raw.extend([
                v.full_name(),
                format!("{}{}", v.first_name, v.last_name),
                v.phone.clone(),
                v.email.clone(),
            ]);
            raw.extend(phone_key(&v.phone));
        }
        for c in &contacts {
            raw.extend([c.name.clone(), c.phone.clone(), c.email.clone()]);
        }
        raw.retain(|s| s.trim().chars().count() >= 4);
        raw.sort();
        raw.dedup();
        let path = self.path().to_path_buf();
        if file_holds(&path, &raw) {
            self.conn.execute_batch("VACUUM")?;
            let _: (i64, i64, i64) =
                self.conn
                    .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?;
            report.vacuumed = true;
        }
        report.file_bytes_clean = !file_holds(&path, &raw);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_are_renamed_from_who_is_left_or_numbered_and_visits_stay_anonymous() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        c.conn
            .execute_batch(
                "INSERT INTO volunteers (first_name, last_name, phone, email, notes) VALUES
                    ('José', 'Dupré', '06 77 94 71 79', 'jose@example.org', ''),
                    ('Ana', 'Martin', '', '', 'binôme de José Dupré'),
                    ('Léo', 'Petit', '', '', '');
                 INSERT INTO operations (name, date, start_time, end_time) VALUES
                    ('Samedi', '2026-03-14', '10:00', '12:00'),
                    ('Dimanche', '2026-03-15', '10:00', '12:00');
                 INSERT INTO operation_teams (operation_id, name) VALUES
                    (1, 'Ana M. & José D.'), (2, 'Léo P.'), (2, 'José D.');
                 INSERT INTO team_members (team_id, operation_id, volunteer_id) VALUES
                    (1, 1, 2), (1, 1, 1), (2, 2, 3), (3, 2, 1);",
            )
            .unwrap();
        let query = PersonQuery {
            email: "JOSE@example.org".into(),
            ..PersonQuery::default()
        };
        let access = c.person_data(&query).unwrap();
        assert_eq!(access.volunteers.len(), 1);
        assert_eq!(access.team_memberships.len(), 2);
        assert_eq!(access.other_mentions.len(), 1, "Ana's notes name him");

        let r = c.erase_person(&query).unwrap();
        assert_eq!(r.volunteers_deleted, 1);
        assert_eq!(r.team_memberships_removed, 2);
        let names: Vec<String> = c
            .conn
            .prepare("SELECT name FROM operation_teams ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(names, vec!["Ana M.", "Léo P.", "Équipe 2"]);
        let notes: String = c
            .conn
            .query_row(
                "SELECT notes FROM volunteers WHERE first_name = 'Ana'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(notes, "binôme de [effacé]");
        assert_eq!(r.text_cells_scrubbed["volunteers.notes"], 1);
        assert!(r.file_bytes_clean);
        let secure: i64 = c
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(secure, 0, "the connection's setting is restored");
        // Nothing left to find.
        assert_eq!(c.person_data(&query).unwrap().total(), 0);
    }
}
