//! The `streets` feature table (OSM ways as WGS84 lines with class, name and walkability) and
//! its `street_nodes` topology (each street's ordered OSM node ids): replace, insert, load.

use geo_types::{Geometry, LineString};
use rusqlite::Connection;
use serde::Serialize;

use crate::model::error::{ModelError, ModelResult};
use crate::model::import::streets::NewStreet;
use crate::model::progress::Progress;
use crate::model::storage::gpkg;

/// A stored street.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Street {
    pub fid: i64,
    pub osm_id: i64,
    pub name: Option<String>,
    /// The OSM `highway` value (`residential`, `footway`...).
    pub highway: String,
    pub walkable: bool,
    /// Ordered OSM node ids, one per vertex of `line_wgs84`; a node id found in two streets is
    /// where they meet.
    pub node_ids: Vec<i64>,
    #[serde(skip)]
    pub line_wgs84: LineString<f64>,
}

/// Deletes every street; returns how many there were.
pub fn delete_all(conn: &Connection) -> ModelResult<usize> {
    conn.execute("DELETE FROM street_nodes", [])?;
    Ok(conn.execute("DELETE FROM streets", [])?)
}

/// Inserts streets and their node lists, inside the caller's transaction.
pub fn insert_batch(
    conn: &Connection,
    streets: &[NewStreet],
    progress: &dyn Progress,
) -> ModelResult<()> {
    let mut st = conn.prepare(
        "INSERT INTO streets (geom, osm_id, name, highway, walkable) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut nodes = conn
        .prepare("INSERT INTO street_nodes (street_fid, seq, osm_node_id) VALUES (?1, ?2, ?3)")?;
    for (i, s) in streets.iter().enumerate() {
        if i % 2048 == 0 {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            progress.set(
                0.6 + 0.35 * i as f32 / streets.len() as f32,
                "saving streets",
            );
        }
        let blob = gpkg::encode(&Geometry::LineString(s.line_wgs84.clone()), 4326);
        st.execute(rusqlite::params![
            blob, s.osm_id, s.name, s.highway, s.walkable
        ])?;
        let fid = conn.last_insert_rowid();
        for (seq, id) in s.node_ids.iter().enumerate() {
            nodes.execute(rusqlite::params![fid, seq as i64, id])?;
        }
    }
    Ok(())
}

/// Every street with its node ids, by OSM way id. A geometry Porte cannot read is an error
/// naming the street (Porte only writes lines).
pub fn load_all(conn: &Connection) -> ModelResult<Vec<Street>> {
    let mut st = conn.prepare(
        "SELECT fid, osm_id, name, highway, walkable, geom FROM streets ORDER BY osm_id, fid",
    )?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    let mut index_of_fid = std::collections::HashMap::new();
    while let Some(r) = rows.next()? {
        let fid: i64 = r.get(0)?;
        let osm_id: i64 = r.get(1)?;
        let blob: Option<Vec<u8>> = r.get(5)?;
        let line = match blob.as_deref().map(gpkg::decode) {
            Some(Ok(Geometry::LineString(l))) => l,
            other => {
                return Err(ModelError::Invalid(format!(
                    "street fid {fid} (way {osm_id}) has no readable line geometry ({})",
                    match other {
                        Some(Err(e)) => e,
                        Some(Ok(_)) => "not a LineString".into(),
                        None => "null".into(),
                    }
                )));
            }
        };
        index_of_fid.insert(fid, out.len());
        out.push(Street {
            fid,
            osm_id,
            name: r.get(2)?,
            highway: r.get(3)?,
            walkable: r.get(4)?,
            node_ids: Vec::with_capacity(line.0.len()),
            line_wgs84: line,
        });
    }
    let mut st =
        conn.prepare("SELECT street_fid, osm_node_id FROM street_nodes ORDER BY street_fid, seq")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let fid: i64 = r.get(0)?;
        if let Some(&i) = index_of_fid.get(&fid) {
            out[i].node_ids.push(r.get(1)?);
        }
    }
    Ok(out)
}

/// How many streets the campaign has.
pub fn count(conn: &Connection) -> ModelResult<usize> {
    let n: i64 = conn.query_row("SELECT count(*) FROM streets", [], |r| r.get(0))?;
    Ok(n as usize)
}

/// The extent of all streets, from their geometries.
pub fn extent(conn: &Connection) -> ModelResult<Option<[f64; 4]>> {
    let mut st = conn.prepare("SELECT geom FROM streets WHERE geom IS NOT NULL")?;
    let mut rows = st.query([])?;
    let mut b: Option<[f64; 4]> = None;
    while let Some(r) = rows.next()? {
        let blob = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        let Ok(Geometry::LineString(line)) = gpkg::decode(blob) else {
            continue;
        };
        for c in &line.0 {
            let bb = b.get_or_insert([c.x, c.y, c.x, c.y]);
            bb[0] = bb[0].min(c.x);
            bb[1] = bb[1].min(c.y);
            bb[2] = bb[2].max(c.x);
            bb[3] = bb[3].max(c.y);
        }
    }
    Ok(b)
}
