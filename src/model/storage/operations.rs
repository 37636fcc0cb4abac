//! The `operations`, `operation_turfs`, `operation_teams` and `team_members` tables: rows in and out.
//! Dates are stored as `YYYY-MM-DD`, times as `HH:MM` (readable in QGIS and sqlite3).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use geo_types::Point;
use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::{ModelError, ModelResult};
use crate::model::operations::{Operation, OperationDraft, Team};

pub const DATE_FORMAT: &str = "%Y-%m-%d";
pub const TIME_FORMAT: &str = "%H:%M";

fn parse_date(id: i64, s: &str) -> ModelResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), DATE_FORMAT)
        .map_err(|e| ModelError::Invalid(format!("operation {id}: damaged date {s:?} ({e})")))
}

fn parse_time(id: i64, s: &str) -> ModelResult<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), TIME_FORMAT)
        .or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M:%S"))
        .map_err(|e| ModelError::Invalid(format!("operation {id}: damaged time {s:?} ({e})")))
}

/// Every team of every operation (or of `operation` only), by operation then team id, with
/// members in the order they joined.
fn teams(conn: &Connection, operation: Option<i64>) -> ModelResult<BTreeMap<i64, Vec<Team>>> {
    let mut members: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    {
        let mut st = conn.prepare(
            "SELECT team_id, volunteer_id FROM team_members
             WHERE ?1 IS NULL OR operation_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([operation], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (team, v) = row?;
            members.entry(team).or_default().push(v);
        }
    }
    let mut st = conn.prepare(
        "SELECT id, operation_id, turf_id, name FROM operation_teams
         WHERE ?1 IS NULL OR operation_id = ?1 ORDER BY operation_id, id",
    )?;
    let rows = st.query_map([operation], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out: BTreeMap<i64, Vec<Team>> = BTreeMap::new();
    for row in rows {
        let (id, op, turf_id, name) = row?;
        out.entry(op).or_default().push(Team {
            id,
            name,
            turf_id,
            member_ids: members.remove(&id).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// The turfs of every operation (or of `operation` only), in the order they were added.
fn turf_lists(conn: &Connection, operation: Option<i64>) -> ModelResult<BTreeMap<i64, Vec<i64>>> {
    let mut st = conn.prepare(
        "SELECT operation_id, turf_id FROM operation_turfs
         WHERE ?1 IS NULL OR operation_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([operation], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for row in rows {
        let (op, turf) = row?;
        out.entry(op).or_default().push(turf);
    }
    Ok(out)
}

fn load_where(conn: &Connection, operation: Option<i64>) -> ModelResult<Vec<Operation>> {
    let mut st = conn.prepare(
        "SELECT id, name, date, start_time, end_time, meeting_point, meeting_lon, meeting_lat,
                contact_phone, notes
         FROM operations WHERE ?1 IS NULL OR id = ?1
         ORDER BY date, start_time, id",
    )?;
    let rows = st
        .query_map([operation], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<f64>>(6)?,
                r.get::<_, Option<f64>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut turfs = turf_lists(conn, operation)?;
    let mut teams = teams(conn, operation)?;
    rows.into_iter()
        .map(
            |(id, name, date, start, end, meeting_point, lon, lat, contact_phone, notes)| {
                Ok(Operation {
                    id,
                    name,
                    date: parse_date(id, &date)?,
                    start: parse_time(id, &start)?,
                    end: parse_time(id, &end)?,
                    meeting_point,
                    meeting_wgs84: lon.zip(lat).map(|(x, y)| Point::new(x, y)),
                    contact_phone,
                    notes,
                    turf_ids: turfs.remove(&id).unwrap_or_default(),
                    teams: teams.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect()
}

/// Every operation, by date, start time and id.
pub fn load_all(conn: &Connection) -> ModelResult<Vec<Operation>> {
    load_where(conn, None)
}

/// Operation `id`, when it exists.
pub fn load(conn: &Connection, id: i64) -> ModelResult<Option<Operation>> {
    Ok(load_where(conn, Some(id))?.pop())
}

/// Inserts an operation (its meeting position as given) and returns its id.
pub fn insert(conn: &Connection, d: &OperationDraft) -> ModelResult<i64> {
    // A new row, then every field written by `update` (one place lists the columns).
    conn.execute(
        "INSERT INTO operations (name, date, start_time, end_time) VALUES ('', '', '', '')",
        [],
    )?;
    let id = conn.last_insert_rowid();
    update(conn, id, d)?;
    Ok(id)
}

/// Saves an operation's own fields; false when there is no operation `id`.
pub fn update(conn: &Connection, id: i64, d: &OperationDraft) -> ModelResult<bool> {
    let n = conn.execute(
        "UPDATE operations SET name = ?1, date = ?2, start_time = ?3, end_time = ?4,
             meeting_point = ?5, meeting_lon = ?6, meeting_lat = ?7, contact_phone = ?8, notes = ?9
         WHERE id = ?10",
        params![
            d.name,
            d.date.format(DATE_FORMAT).to_string(),
            d.start.format(TIME_FORMAT).to_string(),
            d.end.format(TIME_FORMAT).to_string(),
            d.meeting_point,
            d.meeting_wgs84.map(|p| p.x()),
            d.meeting_wgs84.map(|p| p.y()),
            d.contact_phone,
            d.notes,
            id
        ],
    )?;
    Ok(n > 0)
}

/// Deletes an operation with its turf list, teams and members.
pub fn delete(conn: &Connection, id: i64) -> ModelResult<()> {
    conn.execute("DELETE FROM team_members WHERE operation_id = ?1", [id])?;
    conn.execute("DELETE FROM operation_teams WHERE operation_id = ?1", [id])?;
    conn.execute("DELETE FROM operation_turfs WHERE operation_id = ?1", [id])?;
    conn.execute("DELETE FROM operations WHERE id = ?1", [id])?;
    Ok(())
}

/// Adds a turf to an operation (nothing when it is already in it).
pub fn add_turf(conn: &Connection, operation: i64, turf: i64) -> ModelResult<()> {
    conn.execute(
        "INSERT OR IGNORE INTO operation_turfs (operation_id, turf_id) VALUES (?1, ?2)",
        [operation, turf],
    )?;
    Ok(())
}

/// Removes a turf from an operation; its team stays, without a turf.
pub fn remove_turf(conn: &Connection, operation: i64, turf: i64) -> ModelResult<()> {
    conn.execute(
        "DELETE FROM operation_turfs WHERE operation_id = ?1 AND turf_id = ?2",
        [operation, turf],
    )?;
    conn.execute(
        "UPDATE operation_teams SET turf_id = NULL WHERE operation_id = ?1 AND turf_id = ?2",
        [operation, turf],
    )?;
    Ok(())
}

/// A new team of `operation` on `turf` (or unplaced); returns its id.
pub fn insert_team(
    conn: &Connection,
    operation: i64,
    turf: Option<i64>,
    name: &str,
) -> ModelResult<i64> {
    conn.execute(
        "INSERT INTO operation_teams (operation_id, turf_id, name) VALUES (?1, ?2, ?3)",
        params![operation, turf, name],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn rename_team(conn: &Connection, team: i64, name: &str) -> ModelResult<()> {
    conn.execute(
        "UPDATE operation_teams SET name = ?2 WHERE id = ?1",
        params![team, name],
    )?;
    Ok(())
}

/// Deletes a team and its member rows.
pub fn delete_team(conn: &Connection, team: i64) -> ModelResult<()> {
    conn.execute("DELETE FROM team_members WHERE team_id = ?1", [team])?;
    conn.execute("DELETE FROM operation_teams WHERE id = ?1", [team])?;
    Ok(())
}

/// Puts a volunteer in a team (one team per volunteer per operation: the schema refuses a
/// second one).
pub fn add_member(conn: &Connection, operation: i64, team: i64, volunteer: i64) -> ModelResult<()> {
    conn.execute(
        "INSERT INTO team_members (team_id, operation_id, volunteer_id) VALUES (?1, ?2, ?3)",
        [team, operation, volunteer],
    )?;
    Ok(())
}

/// Takes a volunteer out of their team of `operation`.
pub fn remove_member(conn: &Connection, operation: i64, volunteer: i64) -> ModelResult<()> {
    conn.execute(
        "DELETE FROM team_members WHERE operation_id = ?1 AND volunteer_id = ?2",
        [operation, volunteer],
    )?;
    Ok(())
}

/// Deletes every team of an operation.
pub fn delete_teams(conn: &Connection, operation: i64) -> ModelResult<()> {
    conn.execute(
        "DELETE FROM team_members WHERE operation_id = ?1",
        [operation],
    )?;
    conn.execute(
        "DELETE FROM operation_teams WHERE operation_id = ?1",
        [operation],
    )?;
    Ok(())
}

/// Whether any team of any operation walks `turf`.
pub fn turf_has_team(conn: &Connection, turf: i64) -> ModelResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM operation_teams WHERE turf_id = ?1 LIMIT 1",
            [turf],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
