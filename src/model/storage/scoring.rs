//! Blocs (`blocs`, `bloc_members`) and priority-score settings (`scoring_settings`, key/value)
//! tables: what the user chose as our camp, near and rival blocs per election, and the weights.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::{ModelError, ModelResult};
use crate::model::scoring::blocs::{Bloc, BlocRole};
use crate::model::scoring::score::ScoreSettings;

/// Replaces the blocs of election `election` with `blocs`. Call inside a transaction.
pub fn save_blocs(conn: &Connection, election: &str, blocs: &[Bloc]) -> ModelResult<()> {
    conn.execute(
        "DELETE FROM bloc_members WHERE bloc_id IN (SELECT id FROM blocs WHERE election_name = ?1)",
        [election],
    )?;
    conn.execute("DELETE FROM blocs WHERE election_name = ?1", [election])?;
    let mut bloc_st =
        conn.prepare("INSERT INTO blocs (election_name, name, role) VALUES (?1, ?2, ?3)")?;
    let mut member_st =
        conn.prepare("INSERT OR IGNORE INTO bloc_members (bloc_id, member) VALUES (?1, ?2)")?;
    for b in blocs {
        bloc_st.execute(params![election, b.name, b.role.as_str()])?;
        let id = conn.last_insert_rowid();
        for m in &b.members {
            member_st.execute(params![id, m])?;
        }
    }
    Ok(())
}

/// The blocs of election `election`, sorted by name, members sorted.
pub fn load_blocs(conn: &Connection, election: &str) -> ModelResult<Vec<Bloc>> {
    Ok(all_blocs(conn)?.remove(election).unwrap_or_default())
}

/// Every election's blocs, by election name, each sorted by name.
pub fn all_blocs(conn: &Connection) -> ModelResult<BTreeMap<String, Vec<Bloc>>> {
    let mut st = conn.prepare(
        "SELECT b.election_name, b.name, b.role, m.member FROM blocs b
         LEFT JOIN bloc_members m ON m.bloc_id = b.id
         ORDER BY b.election_name, b.name, m.member",
    )?;
    let mut out: BTreeMap<String, Vec<Bloc>> = BTreeMap::new();
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (election, name, role, member) = row?;
        let role = BlocRole::parse(&role).ok_or_else(|| {
            ModelError::Invalid(format!("bloc \"{name}\" has an unknown role \"{role}\""))
        })?;
        let list = out.entry(election).or_default();
        if list.last().is_none_or(|b: &Bloc| b.name != name) {
            list.push(Bloc {
                name,
                role,
                members: Vec::new(),
            });
        }
        if let Some(m) = member {
            list.last_mut().expect("pushed").members.push(m);
        }
    }
    Ok(out)
}

const SETTINGS_KEY: &str = "score_settings";

/// Stores the score settings (as one JSON value).
pub fn save_settings(conn: &Connection, settings: &ScoreSettings) -> ModelResult<()> {
    let json = serde_json::to_string(settings)
        .map_err(|e| ModelError::Invalid(format!("cannot store the settings: {e}")))?;
    conn.execute(
        "INSERT INTO scoring_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![SETTINGS_KEY, json],
    )?;
    Ok(())
}

/// The stored score settings, `None` when never saved.
pub fn load_settings(conn: &Connection) -> ModelResult<Option<ScoreSettings>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM scoring_settings WHERE key = ?1",
            [SETTINGS_KEY],
            |r| r.get(0),
        )
        .optional()?;
    v.map(|v| {
        serde_json::from_str(&v).map_err(|e| {
            ModelError::Invalid(format!("the stored score settings are unreadable: {e}"))
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocs_and_settings_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::model::storage::open_campaign_db(&dir.path().join("c.gpkg")).unwrap();
        let blocs = vec![
            Bloc::new("gauche", BlocRole::Ours, &["SOC", "FI"]),
            Bloc::new("centre", BlocRole::Near, &["REM"]),
        ];
        save_blocs(&conn, "p1", &blocs).unwrap();
        save_blocs(&conn, "p2", &blocs[..1]).unwrap();
        let back = load_blocs(&conn, "p1").unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].name, "centre", "sorted by name");
        assert_eq!(back[1], blocs[0]);
        save_blocs(&conn, "p1", &blocs[1..]).unwrap();
        assert_eq!(load_blocs(&conn, "p1").unwrap().len(), 1, "replaced");
        assert_eq!(all_blocs(&conn).unwrap().len(), 2);
        assert!(load_blocs(&conn, "none").unwrap().is_empty());

        assert_eq!(load_settings(&conn).unwrap(), None);
        let mut s = ScoreSettings {
            election: Some("p1".into()),
            ..Default::default()
        };
        s.weights.insert("swing".into(), 2.0);
        save_settings(&conn, &s).unwrap();
        save_settings(&conn, &s).unwrap();
        assert_eq!(load_settings(&conn).unwrap(), Some(s));
    }
}
