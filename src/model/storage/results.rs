//! The field-results tables: `visits` (+ `visit_tags`), `turf_tallies` and `result_tags`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::{ModelError, ModelResult};
use crate::model::results::{DEFAULT_TAGS, Goal, Tally, Visit};

/// Inserts a visit (and its themes, which must be active tags); returns its id.
pub fn insert_visit(conn: &Connection, v: &Visit) -> ModelResult<i64> {
    conn.execute(
        "INSERT INTO visits (address_fid, turf_id, operation_id, team_id, visited_on, recorded_at,
             outcome, contact_taken, wants_to_volunteer, wants_to_donate, wants_callback, note, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            v.address_fid,
            v.turf_id,
            v.operation_id,
            v.team_id,
            v.visited_on.to_string(),
            v.recorded_at,
            v.outcome.code(),
            v.contact_taken,
            v.follow_ups.wants_to_volunteer,
            v.follow_ups.wants_to_donate,
            v.follow_ups.wants_callback,
            v.note,
            v.source
        ],
    )?;
    let id = conn.last_insert_rowid();
    for tag in &v.tags {
        let tag_id: Option<i64> = conn
            .query_row(
                "SELECT id FROM result_tags WHERE name = ?1 AND active = 1",
                [tag],
                |r| r.get(0),
            )
            .optional()?;
        let tag_id = tag_id
            .ok_or_else(|| ModelError::Invalid(format!("unknown or inactive theme \"{tag}\"")))?;
        conn.execute(
            "INSERT OR IGNORE INTO visit_tags (visit_id, tag_id) VALUES (?1, ?2)",
            params![id, tag_id],
        )?;
    }
    Ok(id)
}

/// The visits already recorded at one door on one date: (visit id, outcome code).
pub fn visits_on(
    conn: &Connection,
    address_fid: i64,
    date: &str,
) -> ModelResult<Vec<(i64, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, outcome FROM visits WHERE address_fid = ?1 AND visited_on = ?2 ORDER BY id",
    )?;
    let rows = st
        .query_map(params![address_fid, date], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn delete_visit(conn: &Connection, id: i64) -> ModelResult<()> {
    conn.execute("DELETE FROM visits WHERE id = ?1", [id])?;
    Ok(())
}

/// Number of visits recorded in the campaign.
pub fn count_visits(conn: &Connection) -> ModelResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))?)
}

pub fn insert_tally(conn: &Connection, t: &Tally, source: &str) -> ModelResult<i64> {
    conn.execute(
        "INSERT INTO turf_tallies (turf_id, operation_id, team_id, tallied_on, knocked, opened,
             contacts, refusals, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            t.turf_id,
            t.operation_id,
            t.team_id,
            t.tallied_on.to_string(),
            t.knocked,
            t.opened,
            t.contacts,
            t.refusals,
            source
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Every address `fid` with the turf holding it (None when in no turf).
pub fn doors_with_turf(conn: &Connection) -> ModelResult<HashMap<i64, Option<i64>>> {
    let mut st = conn.prepare(
        "SELECT a.fid, d.turf_id FROM addresses a LEFT JOIN turf_doors d ON d.address_fid = a.fid",
    )?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<HashMap<_, _>, _>>()?;
    Ok(rows)
}

pub fn turf_exists(conn: &Connection, turf: i64) -> ModelResult<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM turfs WHERE fid = ?1", [turf], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The operation on `date` (YYYY-MM-DD) holding `turf`, and the team walking it there.
pub fn operation_for_turf(
    conn: &Connection,
    turf: i64,
    date: &str,
) -> ModelResult<Option<(i64, Option<i64>)>> {
    let op: Option<i64> = conn
        .query_row(
            "SELECT o.id FROM operations o JOIN operation_turfs t ON t.operation_id = o.id
             WHERE t.turf_id = ?1 AND o.date = ?2 ORDER BY o.id LIMIT 1",
            params![turf, date],
            |r| r.get(0),
        )
        .optional()?;
    let Some(op) = op else { return Ok(None) };
    let team: Option<i64> = conn
        .query_row(
            "SELECT id FROM operation_teams WHERE operation_id = ?1 AND turf_id = ?2
             ORDER BY id LIMIT 1",
            params![op, turf],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Some((op, team)))
}

/// The campaign's themes: (id, name, active), seeding [`DEFAULT_TAGS`] on first use.
pub fn tags(conn: &Connection) -> ModelResult<Vec<(i64, String, bool)>> {
    let n: i64 = conn.query_row("SELECT count(*) FROM result_tags", [], |r| r.get(0))?;
    if n == 0 {
        for t in DEFAULT_TAGS {
            conn.execute("INSERT INTO result_tags (name) VALUES (?1)", [t])?;
        }
    }
    let mut st = conn.prepare("SELECT id, name, active FROM result_tags ORDER BY name")?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Adds a theme (or reactivates it); returns its id.
pub fn add_tag(conn: &Connection, name: &str) -> ModelResult<i64> {
    conn.execute(
        "INSERT INTO result_tags (name) VALUES (?1) ON CONFLICT(name) DO UPDATE SET active = 1",
        [name],
    )?;
    Ok(
        conn.query_row("SELECT id FROM result_tags WHERE name = ?1", [name], |r| {
            r.get(0)
        })?,
    )
}

pub fn goals(conn: &Connection) -> ModelResult<Vec<Goal>> {
    let mut st =
        conn.prepare("SELECT id, name, metric, target, due_date FROM goals ORDER BY id")?;
    let rows = st
        .query_map([], |r| {
            Ok(Goal {
                id: r.get(0)?,
                name: r.get(1)?,
                metric: r.get(2)?,
                target: r.get(3)?,
                due_date: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn insert_goal(conn: &Connection, g: &Goal) -> ModelResult<i64> {
    conn.execute(
        "INSERT INTO goals (name, metric, target, due_date) VALUES (?1, ?2, ?3, ?4)",
        params![g.name, g.metric, g.target, g.due_date],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Deletes a goal; false when there was none with that id.
pub fn delete_goal(conn: &Connection, id: i64) -> ModelResult<bool> {
    Ok(conn.execute("DELETE FROM goals WHERE id = ?1", [id])? > 0)
}

/// Renames a theme; false when there is none with that id.
pub fn rename_tag(conn: &Connection, id: i64, name: &str) -> ModelResult<bool> {
    Ok(conn.execute(
        "UPDATE result_tags SET name = ?2 WHERE id = ?1",
        params![id, name],
    )? > 0)
}

/// Marks a theme inactive (kept on past visits, no longer offered); false when unknown.
pub fn deactivate_tag(conn: &Connection, id: i64) -> ModelResult<bool> {
    Ok(conn.execute("UPDATE result_tags SET active = 0 WHERE id = ?1", [id])? > 0)
}

/// Doors with a door-by-door visit on or after `since` (auto-cut's "not visited since").
pub fn doors_visited_since(
    conn: &Connection,
    since: chrono::NaiveDate,
) -> ModelResult<std::collections::HashSet<i64>> {
    let mut stmt =
        conn.prepare("SELECT DISTINCT address_fid FROM visits WHERE visited_on >= ?1")?;
    let rows = stmt.query_map([since.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
