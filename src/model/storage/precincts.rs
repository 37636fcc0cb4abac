//! The `precincts` feature table: replace the whole layer, load it, count it, list its codes.

use geo_types::{Geometry, MultiPolygon};
use rusqlite::Connection;

use crate::model::error::{ModelError, ModelResult};
use crate::model::precinct::{BboxWgs84, Precinct, bbox_of};
use crate::model::storage::gpkg;

/// A precinct about to be stored.
pub struct NewPrecinct<'a> {
    pub code: &'a str,
    pub name: Option<&'a str>,
    pub source_feature: usize,
    /// The source attributes as a JSON object.
    pub attributes_json: String,
    pub geom_wgs84: &'a MultiPolygon<f64>,
}

/// Replaces every precinct with `precincts` (call inside a transaction).
pub fn replace_all(conn: &Connection, precincts: &[NewPrecinct<'_>]) -> ModelResult<()> {
    conn.execute("DELETE FROM precincts", [])?;
    let mut st = conn.prepare(
        "INSERT INTO precincts (geom, code, name, source_feature, attributes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in precincts {
        let blob = gpkg::encode(&Geometry::MultiPolygon(p.geom_wgs84.clone()), 4326);
        st.execute(rusqlite::params![
            blob,
            p.code,
            p.name,
            p.source_feature as i64,
            p.attributes_json
        ])?;
    }
    gpkg::refresh_extent(
        conn,
        "precincts",
        bbox_of(precincts.iter().map(|p| p.geom_wgs84)),
    )?;
    Ok(())
}

/// Every precinct, sorted by code.
pub fn load_all(conn: &Connection) -> ModelResult<Vec<Precinct>> {
    let mut st = conn.prepare("SELECT fid, code, name, geom FROM precincts ORDER BY code")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<Vec<u8>>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (fid, code, name, blob) = row?;
        let geom_wgs84 = match blob.map(|b| gpkg::decode(&b)) {
            Some(Ok(Geometry::MultiPolygon(mp))) => mp,
            Some(Ok(Geometry::Polygon(p))) => MultiPolygon(vec![p]),
            Some(Ok(_)) | None => MultiPolygon(vec![]),
            Some(Err(e)) => {
                return Err(ModelError::Invalid(format!(
                    "precinct {code}: damaged geometry ({e})"
                )));
            }
        };
        out.push(Precinct {
            fid,
            code,
            name,
            geom_wgs84,
        });
    }
    Ok(out)
}

pub fn count(conn: &Connection) -> ModelResult<usize> {
    let n: i64 = conn.query_row("SELECT count(*) FROM precincts", [], |r| r.get(0))?;
    Ok(n as usize)
}

/// Every precinct code, sorted.
pub fn codes(conn: &Connection) -> ModelResult<Vec<String>> {
    let mut st = conn.prepare("SELECT code FROM precincts ORDER BY code")?;
    let codes = st
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(codes)
}

/// The layer's extent as recorded in `gpkg_contents`.
pub fn bbox(conn: &Connection) -> ModelResult<Option<BboxWgs84>> {
    let row: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) = conn.query_row(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'precincts'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(match row {
        (Some(a), Some(b), Some(c), Some(d)) => Some([a, b, c, d]),
        _ => None,
    })
}
