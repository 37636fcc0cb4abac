//! Elections, candidates and per-precinct results tables: merge-on-import writes (fields present
//! in a file overwrite, absent ones are kept) and loading of a whole election.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::election::{Candidate, ElectionResults, PrecinctResult, Turnout};
use crate::model::error::ModelResult;

/// Election names, sorted.
pub fn election_names(conn: &Connection) -> ModelResult<Vec<String>> {
    let mut st = conn.prepare("SELECT name FROM elections ORDER BY name")?;
    let names = st
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

/// What [`merge_election`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeOutcome {
    /// True when the election did not exist before.
    pub created: bool,
    pub candidates_added: usize,
}

/// Writes `e` into the campaign, merging with an election of the same name: its candidates are
/// added (party updated when given), each precinct's turnout fields that are `Some` overwrite the
/// stored ones and `None` ones are kept, and known candidate votes overwrite. Call it inside the
/// import's transaction.
pub fn merge_election(conn: &Connection, e: &ElectionResults) -> ModelResult<MergeOutcome> {
    let existing: Option<i64> = conn
        .query_row("SELECT id FROM elections WHERE name = ?1", [&e.name], |r| {
            r.get(0)
        })
        .optional()?;
    let created = existing.is_none();
    let election_id = match existing {
        Some(id) => {
            conn.execute(
                "UPDATE elections SET source_file = COALESCE(?2, source_file),
                 imported_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
                params![id, e.source_file],
            )?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO elections (name, source_file) VALUES (?1, ?2)",
                params![e.name, e.source_file],
            )?;
            conn.last_insert_rowid()
        }
    };

    // Candidates: existing ones by label, new ones appended after the last position.
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut next_position: i64 = 0;
    {
        let mut st =
            conn.prepare("SELECT id, label, position FROM candidates WHERE election_id = ?1")?;
        let rows = st.query_map([election_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (id, label, pos) = row?;
            ids.insert(label, id);
            next_position = next_position.max(pos + 1);
        }
    }
    let mut candidate_ids = Vec::with_capacity(e.candidates.len());
    let mut candidates_added = 0;
    for c in &e.candidates {
        let id = match ids.get(&c.label) {
            Some(&id) => {
                if c.party.is_some() {
                    conn.execute(
                        "UPDATE candidates SET party = ?2 WHERE id = ?1",
                        params![id, c.party],
                    )?;
                }
                id
            }
            None => {
                conn.execute(
                    "INSERT INTO candidates (election_id, position, label, party) VALUES (?1, ?2, ?3, ?4)",
                    params![election_id, next_position, c.label, c.party],
                )?;
                next_position += 1;
                candidates_added += 1;
                let id = conn.last_insert_rowid();
                ids.insert(c.label.clone(), id);
                id
            }
        };
        candidate_ids.push(id);
    }

    let mut turnout_st = conn.prepare(
        "INSERT INTO precinct_results (election_id, precinct_code, registered, voters, blank, null_votes, valid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (election_id, precinct_code) DO UPDATE SET
            registered = COALESCE(excluded.registered, registered),
            voters = COALESCE(excluded.voters, voters),
            blank = COALESCE(excluded.blank, blank),
            null_votes = COALESCE(excluded.null_votes, null_votes),
            valid = COALESCE(excluded.valid, valid)",
    )?;
    let mut votes_st = conn.prepare(
        "INSERT INTO candidate_votes (election_id, precinct_code, candidate_id, votes) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (election_id, precinct_code, candidate_id) DO UPDATE SET votes = excluded.votes",
    )?;
    for p in &e.precincts {
        let t = &p.turnout;
        turnout_st.execute(params![
            election_id,
            p.precinct_code,
            t.registered,
            t.voters,
            t.blank,
            t.null,
            t.valid
        ])?;
        for (i, v) in p.votes.iter().enumerate() {
            if let (Some(v), Some(&cid)) = (v, candidate_ids.get(i)) {
                votes_st.execute(params![election_id, p.precinct_code, cid, v])?;
            }
        }
    }
    Ok(MergeOutcome {
        created,
        candidates_added,
    })
}

/// Loads election `name` with its candidates (in position order) and every precinct that has
/// turnout or votes (sorted by code); `None` when there is no such election.
pub fn load_election(conn: &Connection, name: &str) -> ModelResult<Option<ElectionResults>> {
    let row: Option<(i64, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT id, source_file, imported_at FROM elections WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, source_file, imported_at)) = row else {
        return Ok(None);
    };
    let mut st = conn.prepare(
        "SELECT id, label, party FROM candidates WHERE election_id = ?1 ORDER BY position, id",
    )?;
    let mut candidate_pos: HashMap<i64, usize> = HashMap::new();
    let mut candidates = Vec::new();
    for row in st.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })? {
        let (cid, label, party) = row?;
        candidate_pos.insert(cid, candidates.len());
        candidates.push(Candidate { label, party });
    }
    let n = candidates.len();
    let mut precincts: BTreeMap<String, PrecinctResult> = BTreeMap::new();
    let mut st = conn.prepare(
        "SELECT precinct_code, registered, voters, blank, null_votes, valid
         FROM precinct_results WHERE election_id = ?1",
    )?;
    for row in st.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Turnout {
                registered: r.get(1)?,
                voters: r.get(2)?,
                blank: r.get(3)?,
                null: r.get(4)?,
                valid: r.get(5)?,
            },
        ))
    })? {
        let (code, turnout) = row?;
        precincts.insert(
            code.clone(),
            PrecinctResult {
                precinct_code: code,
                turnout,
                votes: vec![None; n],
            },
        );
    }
    let mut st = conn.prepare(
        "SELECT precinct_code, candidate_id, votes FROM candidate_votes WHERE election_id = ?1",
    )?;
    for row in st.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (code, cid, votes) = row?;
        let Some(&i) = candidate_pos.get(&cid) else {
            continue;
        };
        let p = precincts
            .entry(code.clone())
            .or_insert_with(|| PrecinctResult {
                precinct_code: code,
                turnout: Turnout::default(),
                votes: vec![None; n],
            });
        p.votes[i] = Some(votes);
    }
    Ok(Some(ElectionResults {
        name: name.to_owned(),
        source_file,
        imported_at,
        candidates,
        precincts: precincts.into_values().collect(),
    }))
}

/// Deletes election `name` and its results; false when it did not exist.
pub fn delete_election(conn: &Connection, name: &str) -> ModelResult<bool> {
    let id: Option<i64> = conn
        .query_row("SELECT id FROM elections WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(id) = id else { return Ok(false) };
    // Explicit deletes: foreign keys may be off on a connection opened by another tool.
    conn.execute("DELETE FROM candidate_votes WHERE election_id = ?1", [id])?;
    conn.execute("DELETE FROM precinct_results WHERE election_id = ?1", [id])?;
    conn.execute("DELETE FROM candidates WHERE election_id = ?1", [id])?;
    conn.execute("DELETE FROM elections WHERE id = ?1", [id])?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::model::storage::open_campaign_db(&dir.path().join("c.gpkg")).unwrap();
        (dir, conn)
    }

    fn pr(code: &str, t: Turnout, votes: Vec<Option<i64>>) -> PrecinctResult {
        PrecinctResult {
            precinct_code: code.into(),
            turnout: t,
            votes,
        }
    }

    #[test]
    fn merge_keeps_absent_fields_and_loads_back() {
        let (_d, conn) = db();
        let votes_only = ElectionResults {
            name: "p1".into(),
            source_file: Some("long.csv".into()),
            imported_at: None,
            candidates: vec![
                Candidate {
                    label: "A".into(),
                    party: Some("X".into()),
                },
                Candidate {
                    label: "B".into(),
                    party: None,
                },
            ],
            precincts: vec![pr(
                "1-1",
                Turnout {
                    valid: Some(10),
                    ..Default::default()
                },
                vec![Some(6), Some(4)],
            )],
        };
        let out = merge_election(&conn, &votes_only).unwrap();
        assert!(out.created);
        assert_eq!(out.candidates_added, 2);
        let turnout_only = ElectionResults {
            name: "p1".into(),
            source_file: Some("participation.csv".into()),
            imported_at: None,
            candidates: vec![],
            precincts: vec![
                pr(
                    "1-1",
                    Turnout {
                        registered: Some(20),
                        voters: Some(12),
                        ..Default::default()
                    },
                    vec![],
                ),
                pr(
                    "1-2",
                    Turnout {
                        registered: Some(5),
                        ..Default::default()
                    },
                    vec![],
                ),
            ],
        };
        assert!(!merge_election(&conn, &turnout_only).unwrap().created);
        let e = load_election(&conn, "p1").unwrap().unwrap();
        assert_eq!(e.candidates.len(), 2);
        assert_eq!(e.candidates[0].party.as_deref(), Some("X"));
        let p = e.precinct("1-1").unwrap();
        assert_eq!(p.turnout.registered, Some(20));
        assert_eq!(p.turnout.valid, Some(10), "kept");
        assert_eq!(p.votes, vec![Some(6), Some(4)]);
        assert_eq!(e.precinct("1-2").unwrap().votes, vec![None, None]);
        assert_eq!(e.source_file.as_deref(), Some("participation.csv"));
        assert_eq!(election_names(&conn).unwrap(), vec!["p1"]);
        assert!(load_election(&conn, "nope").unwrap().is_none());
        assert!(delete_election(&conn, "p1").unwrap());
        assert!(election_names(&conn).unwrap().is_empty());
    }
}
