//! GeoPackage geometry blobs: the `GP` header (version, flags, srs id, envelope) followed by
//! ISO WKB, little endian. Porte writes Point and MultiPolygon; it reads Point, LineString,
//! Polygon and their Multi variants (big or little endian, with or without envelope, Z/M dropped).

use geo_types::{
    Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon,
};
use rusqlite::Connection;

use crate::model::error::ModelResult;

/// Encodes a geometry as a GeoPackage blob with an XY envelope.
pub fn encode(geom: &Geometry<f64>, srs_id: i32) -> Vec<u8> {
    use geo::BoundingRect;
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"GP");
    out.push(0); // version 1
    let envelope = match geom {
        Geometry::Point(_) => None,
        g => g.bounding_rect(),
    };
    let empty = matches!(geom, Geometry::MultiPolygon(mp) if mp.0.is_empty());
    let flags: u8 = 0x01 | if envelope.is_some() { 0x02 } else { 0 } | if empty { 0x10 } else { 0 };
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(r) = envelope {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    write_wkb(&mut out, geom);
    out
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_coord(out: &mut Vec<u8>, c: Coord<f64>) {
    out.extend_from_slice(&c.x.to_le_bytes());
    out.extend_from_slice(&c.y.to_le_bytes());
}

fn put_ring(out: &mut Vec<u8>, ring: &LineString<f64>) {
    put_u32(out, ring.0.len() as u32);
    for c in &ring.0 {
        put_coord(out, *c);
    }
}

fn put_polygon_body(out: &mut Vec<u8>, p: &Polygon<f64>) {
    put_u32(out, 1 + p.interiors().len() as u32);
    put_ring(out, p.exterior());
    for r in p.interiors() {
        put_ring(out, r);
    }
}

/// Appends ISO WKB (little endian) for `geom`.
pub fn write_wkb(out: &mut Vec<u8>, geom: &Geometry<f64>) {
    out.push(1);
    match geom {
        Geometry::Point(p) => {
            put_u32(out, 1);
            put_coord(out, p.0);
        }
        Geometry::LineString(l) => {
            put_u32(out, 2);
            put_ring(out, l);
        }
        Geometry::Polygon(p) => {
            put_u32(out, 3);
            put_polygon_body(out, p);
        }
        Geometry::MultiPoint(mp) => {
            put_u32(out, 4);
            put_u32(out, mp.0.len() as u32);
            for p in &mp.0 {
                write_wkb(out, &Geometry::Point(*p));
            }
        }
        Geometry::MultiLineString(ml) => {
            put_u32(out, 5);
            put_u32(out, ml.0.len() as u32);
            for l in &ml.0 {
                out.push(1);
                put_u32(out, 2);
                put_ring(out, l);
            }
        }
        Geometry::MultiPolygon(mp) => {
            put_u32(out, 6);
            put_u32(out, mp.0.len() as u32);
            for p in &mp.0 {
                out.push(1);
                put_u32(out, 3);
                put_polygon_body(out, p);
            }
        }
        other => {
            // Not written by Porte; store as an empty geometry collection.
            let _ = other;
            put_u32(out, 7);
            put_u32(out, 0);
        }
    }
}

/// Decodes a GeoPackage blob (or bare WKB, as some writers store) into a geometry.
pub fn decode(blob: &[u8]) -> Result<Geometry<f64>, String> {
    let wkb = if blob.len() >= 8 && &blob[0..2] == b"GP" {
        let flags = blob[3];
        let envelope_len = match (flags >> 1) & 0x07 {
            0 => 0,
            1 => 32,
            2 | 3 => 48,
            4 => 64,
            e => return Err(format!("invalid GeoPackage envelope code {e}")),
        };
        if flags & 0x20 != 0 {
            return Err("extended GeoPackage geometry types are not supported".into());
        }
        blob.get(8 + envelope_len..)
            .ok_or("truncated GeoPackage geometry header")?
    } else {
        blob
    };
    let mut r = WkbReader { buf: wkb, pos: 0 };
    r.geometry()
}

struct WkbReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl WkbReader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let s = self
            .buf
            .get(self.pos..self.pos + N)
            .ok_or("truncated WKB geometry")?;
        self.pos += N;
        Ok(s.try_into().expect("slice of N bytes"))
    }
    fn u32(&mut self, le: bool) -> Result<u32, String> {
        let b = self.take::<4>()?;
        Ok(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
    fn f64(&mut self, le: bool) -> Result<f64, String> {
        let b = self.take::<8>()?;
        Ok(if le {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }
    fn count(&mut self, le: bool) -> Result<usize, String> {
        let n = self.u32(le)? as usize;
        // Each element takes at least 8 bytes: refuse counts the buffer cannot hold.
        if n > self.buf.len().saturating_sub(self.pos) / 4 + 1 {
            return Err(format!("WKB count {n} larger than the data"));
        }
        Ok(n)
    }
    fn coord(&mut self, le: bool, dims: usize) -> Result<Coord<f64>, String> {
        let x = self.f64(le)?;
        let y = self.f64(le)?;
        for _ in 2..dims {
            self.f64(le)?;
        }
        Ok(Coord { x, y })
    }
    fn line(&mut self, le: bool, dims: usize) -> Result<LineString<f64>, String> {
        let n = self.count(le)?;
        (0..n)
            .map(|_| self.coord(le, dims))
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new)
    }
    fn polygon(&mut self, le: bool, dims: usize) -> Result<Polygon<f64>, String> {
        let n = self.count(le)?;
        let mut rings = (0..n)
            .map(|_| self.line(le, dims))
            .collect::<Result<Vec<_>, _>>()?;
        if rings.is_empty() {
            return Ok(Polygon::new(LineString::new(vec![]), vec![]));
        }
        let exterior = rings.remove(0);
        Ok(Polygon::new(exterior, rings))
    }
    fn geometry(&mut self) -> Result<Geometry<f64>, String> {
        let le = match self.take::<1>()?[0] {
            0 => false,
            1 => true,
            b => return Err(format!("invalid WKB byte order {b}")),
        };
        let raw = self.u32(le)?;
        // EWKB-style high-bit Z/M flags, or ISO 1000s (Z), 2000s (M), 3000s (ZM).
        let (base, dims) = if raw & 0xE000_0000 != 0 {
            let z = raw & 0x8000_0000 != 0;
            let m = raw & 0x4000_0000 != 0;
            ((raw & 0x0FFF_FFFF) % 1000, 2 + z as usize + m as usize)
        } else {
            let dims = match raw / 1000 {
                0 => 2,
                1 | 2 => 3,
                3 => 4,
                _ => return Err(format!("unsupported WKB geometry type {raw}")),
            };
            (raw % 1000, dims)
        };
        Ok(match base {
            1 => Geometry::Point(Point(self.coord(le, dims)?)),
            2 => Geometry::LineString(self.line(le, dims)?),
            3 => Geometry::Polygon(self.polygon(le, dims)?),
            4..=7 => {
                let n = self.count(le)?;
                let parts = (0..n)
                    .map(|_| self.geometry())
                    .collect::<Result<Vec<_>, _>>()?;
                match base {
                    4 => Geometry::MultiPoint(MultiPoint(
                        parts
                            .into_iter()
                            .filter_map(|g| Point::try_from(g).ok())
                            .collect(),
                    )),
                    5 => Geometry::MultiLineString(MultiLineString(
                        parts
                            .into_iter()
                            .filter_map(|g| LineString::try_from(g).ok())
                            .collect(),
                    )),
                    6 => Geometry::MultiPolygon(MultiPolygon(
                        parts
                            .into_iter()
                            .filter_map(|g| Polygon::try_from(g).ok())
                            .collect(),
                    )),
                    _ => Geometry::GeometryCollection(geo_types::GeometryCollection(parts)),
                }
            }
            t => return Err(format!("unsupported WKB geometry type {raw} ({t})")),
        })
    }
}

/// Updates a feature table's extent in `gpkg_contents` from its geometries' envelopes.
pub fn refresh_extent(conn: &Connection, table: &str, bbox: Option<[f64; 4]>) -> ModelResult<()> {
    let [a, b, c, d] = match bbox {
        Some(b) => b.map(Some),
        None => [None; 4],
    };
    conn.execute(
        "UPDATE gpkg_contents SET min_x = ?2, min_y = ?3, max_x = ?4, max_y = ?5,
             last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE table_name = ?1",
        rusqlite::params![table, a, b, c, d],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn multipolygon_with_hole_round_trips() {
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 4.0, y: 2.0), (x: 4.0, y: 4.0)]],
        );
        let g = Geometry::MultiPolygon(MultiPolygon(vec![p]));
        let blob = encode(&g, 4326);
        assert_eq!(&blob[0..2], b"GP");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4326);
        assert_eq!(decode(&blob).unwrap(), g);
    }

    #[test]
    fn point_round_trips_and_garbage_is_an_error() {
        let g = Geometry::Point(Point::new(2.35, 48.85));
        assert_eq!(decode(&encode(&g, 4326)).unwrap(), g);
        assert!(decode(b"GP\0\x03\0\0").is_err());
        assert!(decode(&[1, 6, 0, 0, 0, 255, 255, 255, 255]).is_err());
    }
}
