//! The `addresses` feature table (doors): bulk insert, replace by source, re-assignment to
//! precincts, counts.

use geo_types::{Coord, Geometry, MultiPolygon, Point};
use rusqlite::Connection;

use crate::model::error::{ModelError, ModelResult};
use crate::model::progress::Progress;
use crate::model::spatial::PrecinctLocator;
use crate::model::storage::gpkg;

/// A door about to be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAddress {
    pub pos_wgs84: Coord<f64>,
    /// House number as written (`12`), without suffix.
    pub number: String,
    /// `bis`, `ter`, `A`...
    pub suffix: Option<String>,
    pub street: String,
    pub postcode: Option<String>,
    pub city: Option<String>,
    /// The source's own id (BAN id, OSM node id...).
    pub source_id: Option<String>,
}

/// Deletes the addresses that came from `source` (a file name); returns how many.
pub fn delete_source(conn: &Connection, source: &str) -> ModelResult<usize> {
    Ok(conn.execute("DELETE FROM addresses WHERE source = ?1", [source])?)
}

/// Inserts addresses with their precinct codes (same length), inside the caller's transaction.
pub fn insert_batch(
    conn: &Connection,
    source: &str,
    addresses: &[NewAddress],
    precinct_codes: &[Option<&str>],
    progress: &dyn Progress,
) -> ModelResult<()> {
    let mut st = conn.prepare(
        "INSERT INTO addresses (geom, number, suffix, street, postcode, city, precinct_code, source, source_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, (a, code)) in addresses.iter().zip(precinct_codes).enumerate() {
        if i % 8192 == 0 {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            progress.set(
                0.6 + 0.35 * i as f32 / addresses.len() as f32,
                "saving addresses",
            );
        }
        let blob = gpkg::encode(&Geometry::Point(Point(a.pos_wgs84)), 4326);
        st.execute(rusqlite::params![
            blob,
            a.number,
            a.suffix,
            a.street,
            a.postcode,
            a.city,
            code,
            source,
            a.source_id
        ])?;
    }
    Ok(())
}

/// Re-assigns every address to the precinct containing it; returns how many addresses exist.
pub fn reassign_all(
    conn: &Connection,
    precincts: &[(&str, &MultiPolygon<f64>)],
    progress: &dyn Progress,
) -> ModelResult<usize> {
    let locator = PrecinctLocator::new(precincts.iter().map(|(_, g)| *g).collect());
    let mut st = conn.prepare("SELECT fid, geom FROM addresses")?;
    let rows: Vec<(i64, Option<Vec<u8>>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut up = conn.prepare("UPDATE addresses SET precinct_code = ?2 WHERE fid = ?1")?;
    for (i, (fid, blob)) in rows.iter().enumerate() {
        if i % 8192 == 0 && progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        let code = match blob.as_deref().map(gpkg::decode) {
            Some(Ok(Geometry::Point(p))) => locator.locate(p.0).map(|k| precincts[k].0),
            _ => None,
        };
        up.execute(rusqlite::params![fid, code])?;
    }
    let bbox = extent(conn)?;
    gpkg::refresh_extent(conn, "addresses", bbox)?;
    Ok(rows.len())
}

/// Every door's position in WGS84; a blob Porte cannot read (it only writes points) is left out.
pub fn points_wgs84(conn: &Connection) -> ModelResult<Vec<Coord<f64>>> {
    let mut st = conn.prepare("SELECT geom FROM addresses WHERE geom IS NOT NULL")?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let blob = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        if let Ok(Geometry::Point(p)) = gpkg::decode(blob) {
            out.push(p.0);
        }
    }
    Ok(out)
}

/// The extent of all addresses, from their coordinates.
pub fn extent(conn: &Connection) -> ModelResult<Option<[f64; 4]>> {
    let mut b: Option<[f64; 4]> = None;
    for c in points_wgs84(conn)? {
        let bb = b.get_or_insert([c.x, c.y, c.x, c.y]);
        bb[0] = bb[0].min(c.x);
        bb[1] = bb[1].min(c.y);
        bb[2] = bb[2].max(c.x);
        bb[3] = bb[3].max(c.y);
    }
    Ok(b)
}

/// Doors per precinct code (precincts without doors are absent).
pub fn counts_by_precinct(
    conn: &Connection,
) -> ModelResult<std::collections::BTreeMap<String, usize>> {
    let mut st = conn.prepare(
        "SELECT precinct_code, count(*) FROM addresses WHERE precinct_code IS NOT NULL GROUP BY precinct_code",
    )?;
    let rows = st.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (all addresses, addresses inside a precinct).
pub fn counts(conn: &Connection) -> ModelResult<(usize, usize)> {
    let (all, inside): (i64, i64) = conn.query_row(
        "SELECT count(*), count(precinct_code) FROM addresses",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((all as usize, inside as usize))
}
