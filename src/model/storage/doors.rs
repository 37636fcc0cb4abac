//! Doors (rows of `addresses`) with their street, number and precinct, for turfs: all of them,
//! those of some precincts (by the indexed `precinct_code`), or a turf's (by fid).

use geo_types::{Coord, Geometry};
use rusqlite::Connection;

use crate::model::error::ModelResult;
use crate::model::storage::gpkg;
use crate::model::turfs::Door;

const SELECT: &str = "SELECT fid, geom, number, suffix, street, precinct_code FROM addresses";

fn collect(
    st: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> ModelResult<Vec<Door>> {
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let Some(blob) = r
            .get_ref(1)?
            .as_blob_or_null()
            .map_err(rusqlite::Error::from)?
        else {
            continue;
        };
        let Ok(Geometry::Point(p)) = gpkg::decode(blob) else {
            continue;
        };
        out.push(Door {
            fid: r.get(0)?,
            pos_wgs84: Coord { x: p.x(), y: p.y() },
            number: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            suffix: r.get(3)?,
            street: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            precinct_code: r.get(5)?,
        });
    }
    Ok(out)
}

/// Every door with a readable position, by fid.
pub fn all(conn: &Connection) -> ModelResult<Vec<Door>> {
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY fid"))?;
    collect(&mut st, [])
}

/// The doors among `fids` that still exist (rows deleted since are skipped), by fid.
pub fn by_fids(conn: &Connection, fids: &[i64]) -> ModelResult<Vec<Door>> {
    let mut st = conn.prepare(&format!("{SELECT} WHERE fid = ?1"))?;
    let mut out = Vec::with_capacity(fids.len());
    for fid in fids {
        out.extend(collect(&mut st, [fid])?);
    }
    out.sort_by_key(|d| d.fid);
    out.dedup_by_key(|d| d.fid);
    Ok(out)
}

/// The doors assigned to any of `codes`, by fid.
pub fn in_precincts(conn: &Connection, codes: &[String]) -> ModelResult<Vec<Door>> {
    let mut st = conn.prepare(&format!("{SELECT} WHERE precinct_code = ?1"))?;
    let mut out = Vec::new();
    for code in codes {
        out.extend(collect(&mut st, [code])?);
    }
    out.sort_by_key(|d| d.fid);
    Ok(out)
}
