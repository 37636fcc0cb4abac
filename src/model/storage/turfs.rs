//! The `turfs` feature table, its door lists (`turf_doors`), the edit history (`turf_edits`,
//! `turf_edit_states`: every turf before and after each edit) and `turf_settings`.

use std::collections::{BTreeMap, HashSet};

use geo_types::{Geometry, MultiPolygon};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::model::error::{ModelError, ModelResult};
use crate::model::precinct::bbox_of;
use crate::model::storage::gpkg;
use crate::model::turfs::{Turf, TurfStatus, WalkingModel};

/// A turf's attributes as kept in the history (`turf_edit_states.state`).
#[derive(Serialize, Deserialize)]
struct StoredState {
    name: String,
    status: TurfStatus,
    colour: String,
    precincts: Vec<String>,
    door_ids: Vec<i64>,
    area_m2: f64,
    path_m: f64,
    minutes: f64,
}

fn decode_geom(id: i64, blob: Option<Vec<u8>>) -> ModelResult<MultiPolygon<f64>> {
    Ok(match blob.map(|b| gpkg::decode(&b)) {
        Some(Ok(Geometry::MultiPolygon(mp))) => mp,
        Some(Ok(Geometry::Polygon(p))) => MultiPolygon(vec![p]),
        Some(Ok(_)) | None => MultiPolygon(vec![]),
        Some(Err(e)) => {
            return Err(ModelError::Invalid(format!(
                "turf {id}: damaged geometry ({e})"
            )));
        }
    })
}

fn door_lists(conn: &Connection) -> ModelResult<BTreeMap<i64, Vec<i64>>> {
    let mut st =
        conn.prepare("SELECT turf_id, address_fid FROM turf_doors ORDER BY address_fid")?;
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (t, a) = row?;
        out.entry(t).or_default().push(a);
    }
    Ok(out)
}

fn load_where(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> ModelResult<Vec<Turf>> {
    let mut st = conn.prepare(&format!(
        "SELECT fid, name, geom, status, colour, precincts, area_m2, path_m, minutes FROM turfs {filter} ORDER BY fid"
    ))?;
    let rows = st
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<Vec<u8>>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, f64>(6)?,
                r.get::<_, f64>(7)?,
                r.get::<_, f64>(8)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut doors = if rows.is_empty() {
        BTreeMap::new()
    } else {
        door_lists(conn)?
    };
    rows.into_iter()
        .map(
            |(id, name, blob, status, colour, precincts, area_m2, path_m, minutes)| {
                Ok(Turf {
                    id,
                    name,
                    geom_wgs84: decode_geom(id, blob)?,
                    status: TurfStatus::parse(&status).unwrap_or_default(),
                    colour,
                    precincts: serde_json::from_str(&precincts).unwrap_or_default(),
                    door_ids: doors.remove(&id).unwrap_or_default(),
                    area_m2,
                    path_m,
                    minutes,
                })
            },
        )
        .collect()
}

/// Every turf, by id.
pub fn load_all(conn: &Connection) -> ModelResult<Vec<Turf>> {
    load_where(conn, "", [])
}

/// Turf `id`, when it exists.
pub fn load(conn: &Connection, id: i64) -> ModelResult<Option<Turf>> {
    Ok(load_where(conn, "WHERE fid = ?1", [id])?.pop())
}

/// The door fids held by turfs other than `except`.
pub fn claimed_doors(conn: &Connection, except: Option<i64>) -> ModelResult<HashSet<i64>> {
    let mut st = conn.prepare("SELECT address_fid FROM turf_doors WHERE turf_id IS NOT ?1")?;
    let out = st
        .query_map([except], |r| r.get::<_, i64>(0))?
        .collect::<Result<HashSet<_>, _>>()?;
    Ok(out)
}

/// Writes turf `t` under its id (a new row when `t.id` is 0; its new id is returned), replacing
/// its door list; doors that no longer exist, or that another turf holds, are left out.
pub fn write(conn: &Connection, t: &Turf) -> ModelResult<i64> {
    let blob = gpkg::encode(&Geometry::MultiPolygon(t.geom_wgs84.clone()), 4326);
    let precincts = serde_json::to_string(&t.precincts).expect("strings serialise");
    let params = rusqlite::params![
        blob,
        t.name,
        t.status.as_str(),
        t.colour,
        precincts,
        t.area_m2,
        t.path_m,
        t.minutes
    ];
    let id = if t.id > 0 {
        conn.execute("DELETE FROM turf_doors WHERE turf_id = ?1", [t.id])?;
        let n = conn.execute(
            "UPDATE turfs SET geom = ?1, name = ?2, status = ?3, colour = ?4, precincts = ?5,
                 area_m2 = ?6, path_m = ?7, minutes = ?8 WHERE fid = ?9",
            rusqlite::params![
                params[0], params[1], params[2], params[3], params[4], params[5], params[6],
                params[7], t.id
            ],
        )?;
        if n == 0 {
            conn.execute(
                "INSERT INTO turfs (geom, name, status, colour, precincts, area_m2, path_m, minutes, fid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    params[0], params[1], params[2], params[3], params[4], params[5], params[6],
                    params[7], t.id
                ],
            )?;
        }
        t.id
    } else {
        conn.execute(
            "INSERT INTO turfs (geom, name, status, colour, precincts, area_m2, path_m, minutes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params,
        )?;
        conn.last_insert_rowid()
    };
    let mut st = conn.prepare(
        "INSERT OR IGNORE INTO turf_doors (turf_id, address_fid)
         SELECT ?1, fid FROM addresses WHERE fid = ?2",
    )?;
    for d in &t.door_ids {
        st.execute([id, *d])?;
    }
    Ok(id)
}

/// Deletes turf `id` and its door list.
pub fn delete(conn: &Connection, id: i64) -> ModelResult<()> {
    conn.execute("DELETE FROM turf_doors WHERE turf_id = ?1", [id])?;
    conn.execute("DELETE FROM turfs WHERE fid = ?1", [id])?;
    Ok(())
}

/// Recomputes the layer's extent in `gpkg_contents`.
pub fn refresh_extent(conn: &Connection) -> ModelResult<()> {
    let turfs = load_all(conn)?;
    gpkg::refresh_extent(conn, "turfs", bbox_of(turfs.iter().map(|t| &t.geom_wgs84)))
}

/// How many edits the history keeps (older ones are forgotten).
pub const HISTORY_LEN: i64 = 200;

/// A turf's id and its state on one side of an edit (`None`: it did not exist).
pub type TurfState = (i64, Option<Turf>);

/// Records an edit (dropping the redo branch and the oldest edits beyond [`HISTORY_LEN`]).
pub fn record_edit(
    conn: &Connection,
    label: &str,
    before: &[TurfState],
    after: &[TurfState],
) -> ModelResult<i64> {
    conn.execute("DELETE FROM turf_edits WHERE undone = 1", [])?;
    conn.execute("INSERT INTO turf_edits (label) VALUES (?1)", [label])?;
    let edit = conn.last_insert_rowid();
    let mut st = conn.prepare(
        "INSERT INTO turf_edit_states (edit_id, side, turf_id, geom, state) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (side, states) in [("before", before), ("after", after)] {
        for (id, t) in states {
            let (geom, state) = match t {
                Some(t) => (
                    Some(gpkg::encode(
                        &Geometry::MultiPolygon(t.geom_wgs84.clone()),
                        4326,
                    )),
                    Some(
                        serde_json::to_string(&StoredState {
                            name: t.name.clone(),
                            status: t.status,
                            colour: t.colour.clone(),
                            precincts: t.precincts.clone(),
                            door_ids: t.door_ids.clone(),
                            area_m2: t.area_m2,
                            path_m: t.path_m,
                            minutes: t.minutes,
                        })
                        .expect("state serialises"),
                    ),
                ),
                None => (None, None),
            };
            st.execute(rusqlite::params![edit, side, id, geom, state])?;
        }
    }
    conn.execute(
        "DELETE FROM turf_edits WHERE id <= ?1 - ?2",
        rusqlite::params![edit, HISTORY_LEN],
    )?;
    Ok(edit)
}

/// The last edit not undone: (id, label).
pub fn last_done(conn: &Connection) -> ModelResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, label FROM turf_edits WHERE undone = 0 ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The first undone edit (the next to redo): (id, label).
pub fn first_undone(conn: &Connection) -> ModelResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, label FROM turf_edits WHERE undone = 1 ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn set_undone(conn: &Connection, edit: i64, undone: bool) -> ModelResult<()> {
    conn.execute(
        "UPDATE turf_edits SET undone = ?2 WHERE id = ?1",
        rusqlite::params![edit, undone],
    )?;
    Ok(())
}

/// The turf states of one side (`"before"` or `"after"`) of an edit.
pub fn edit_states(conn: &Connection, edit: i64, side: &str) -> ModelResult<Vec<TurfState>> {
    let mut st = conn.prepare(
        "SELECT turf_id, geom, state FROM turf_edit_states WHERE edit_id = ?1 AND side = ?2 ORDER BY id",
    )?;
    let rows = st
        .query_map(rusqlite::params![edit, side], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<Vec<u8>>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, geom, state)| {
            let Some(state) = state else {
                return Ok((id, None));
            };
            let s: StoredState = serde_json::from_str(&state).map_err(|e| {
                ModelError::Invalid(format!("turf history of edit {edit}: damaged state ({e})"))
            })?;
            Ok((
                id,
                Some(Turf {
                    id,
                    name: s.name,
                    geom_wgs84: decode_geom(id, geom)?,
                    status: s.status,
                    colour: s.colour,
                    precincts: s.precincts,
                    door_ids: s.door_ids,
                    area_m2: s.area_m2,
                    path_m: s.path_m,
                    minutes: s.minutes,
                }),
            ))
        })
        .collect()
}

/// The stored walking model, or the defaults.
pub fn load_walking_model(conn: &Connection) -> ModelResult<WalkingModel> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM turf_settings WHERE key = 'walking_model'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

pub fn save_walking_model(conn: &Connection, m: &WalkingModel) -> ModelResult<()> {
    conn.execute(
        "INSERT INTO turf_settings (key, value) VALUES ('walking_model', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [serde_json::to_string(m).expect("numbers serialise")],
    )?;
    Ok(())
}
