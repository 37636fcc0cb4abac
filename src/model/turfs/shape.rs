//! Pure geometry of turf outlines (WGS84): a drawn ring checked and made valid, vertex edits,
//! translation, and clipping to the area other turfs leave free. The [`crate::model::Campaign`]
//! turf methods call these; the GUI can call them too to preview a drag before committing it.

use geo::{BooleanOps, BoundingRect, Intersects, MakeValid, MapCoords, RemoveRepeatedPoints};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use serde::Serialize;

use crate::model::error::{ModelError, ModelResult};
use crate::model::turfs::frame::area_m2;

/// Surfaces smaller than this (square metres) are numerical slivers, not turfs or turf parts.
pub const MIN_AREA_M2: f64 = 1.0;

/// One vertex of a turf outline: polygon `polygon` of the multipolygon, ring `ring` (0 the
/// exterior, 1.. the holes), vertex `vertex` counted without the ring's closing repeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct VertexRef {
    pub polygon: usize,
    pub ring: usize,
    pub vertex: usize,
}

/// A valid outline and what was done to make it so.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedShape {
    pub geom_wgs84: MultiPolygon<f64>,
    /// Why it had to be repaired (self-intersection...), when it had to.
    pub repaired: Option<String>,
}

fn check_coord(c: Coord<f64>) -> ModelResult<()> {
    if !c.x.is_finite() || !c.y.is_finite() || c.x.abs() > 180.0 || c.y.abs() > 90.0 {
        return Err(ModelError::Invalid(format!(
            "vertex ({}, {}) is not a longitude/latitude",
            c.x, c.y
        )));
    }
    Ok(())
}

/// Turns a drawn ring (lon/lat vertices, closed or not) into a valid outline: repeated vertices
/// dropped, self-intersections repaired (geo's MakeValid), slivers refused.
pub fn polygon_from_ring(ring_wgs84: &[Coord<f64>]) -> ModelResult<CheckedShape> {
    for c in ring_wgs84 {
        check_coord(*c)?;
    }
    let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ring_wgs84.len() + 1);
    for c in ring_wgs84 {
        if pts.last() != Some(c) {
            pts.push(*c);
        }
    }
    while pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if pts.len() < 3 {
        return Err(ModelError::Invalid(format!(
            "a turf needs at least 3 distinct vertices, the drawing has {}",
            pts.len()
        )));
    }
    make_valid(MultiPolygon(vec![Polygon::new(
        LineString::new(pts),
        vec![],
    )]))
}

/// Checks an outline (repairing it when invalid) and refuses one with no surface.
pub fn make_valid(mp: MultiPolygon<f64>) -> ModelResult<CheckedShape> {
    use geo::Validation;
    for c in mp.0.iter().flat_map(|p| {
        p.exterior()
            .0
            .iter()
            .chain(p.interiors().iter().flat_map(|r| r.0.iter()))
    }) {
        check_coord(*c)?;
    }
    let mp = mp.remove_repeated_points();
    let (mp, repaired) = if mp.is_valid() {
        (mp, None)
    } else {
        let why = mp
            .validation_errors()
            .first()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let fixed = mp
            .make_valid()
            .map_err(|e| ModelError::Invalid(format!("invalid outline ({why}): {e}")))?;
        (fixed, Some(why))
    };
    let mp = drop_slivers(mp);
    if mp.0.is_empty() {
        return Err(ModelError::Invalid(
            "the outline encloses no surface (all its vertices are on one line)".into(),
        ));
    }
    Ok(CheckedShape {
        geom_wgs84: mp,
        repaired,
    })
}

/// Removes polygons below [`MIN_AREA_M2`] (and holes below it).
pub fn drop_slivers(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(
        mp.0.into_iter()
            .filter(|p| area_m2(&MultiPolygon(vec![p.clone()])) >= MIN_AREA_M2)
            .map(|p| {
                let (ext, holes) = p.into_inner();
                let holes = holes
                    .into_iter()
                    .filter(|h| {
                        area_m2(&MultiPolygon(vec![Polygon::new(h.clone(), vec![])])) >= MIN_AREA_M2
                    })
                    .collect();
                Polygon::new(ext, holes)
            })
            .collect(),
    )
}

/// The ring a [`VertexRef`] points into, as open vertices (no closing repeat).
fn open_ring(mp: &MultiPolygon<f64>, at: VertexRef) -> ModelResult<Vec<Coord<f64>>> {
    let p =
        mp.0.get(at.polygon)
            .ok_or_else(|| ModelError::Invalid(format!("no polygon {} in the turf", at.polygon)))?;
    let ring = if at.ring == 0 {
        p.exterior()
    } else {
        p.interiors()
            .get(at.ring - 1)
            .ok_or_else(|| ModelError::Invalid(format!("no ring {} in the turf", at.ring)))?
    };
    let mut v = ring.0.clone();
    if v.len() > 1 && v.first() == v.last() {
        v.pop();
    }
    if at.vertex >= v.len() {
        return Err(ModelError::Invalid(format!(
            "no vertex {} in that ring ({} vertices)",
            at.vertex,
            v.len()
        )));
    }
    Ok(v)
}

fn with_ring(mp: &MultiPolygon<f64>, at: VertexRef, open: Vec<Coord<f64>>) -> MultiPolygon<f64> {
    let mut out = mp.clone();
    let mut closed = open;
    closed.push(closed[0]);
    let p = &mut out.0[at.polygon];
    let (mut ext, mut holes) = p.clone().into_inner();
    if at.ring == 0 {
        ext = LineString::new(closed);
    } else {
        holes[at.ring - 1] = LineString::new(closed);
    }
    *p = Polygon::new(ext, holes);
    out
}

/// The outline with one vertex moved (then made valid).
pub fn move_vertex(
    mp: &MultiPolygon<f64>,
    at: VertexRef,
    to_wgs84: Coord<f64>,
) -> ModelResult<CheckedShape> {
    check_coord(to_wgs84)?;
    let mut v = open_ring(mp, at)?;
    v[at.vertex] = to_wgs84;
    make_valid(with_ring(mp, at, v))
}

/// The outline with a new vertex on the edge from vertex `after.vertex` to the next one; the new
/// vertex's index is `after.vertex + 1`.
pub fn insert_vertex(
    mp: &MultiPolygon<f64>,
    after: VertexRef,
    pos_wgs84: Coord<f64>,
) -> ModelResult<CheckedShape> {
    check_coord(pos_wgs84)?;
    let mut v = open_ring(mp, after)?;
    v.insert(after.vertex + 1, pos_wgs84);
    make_valid(with_ring(mp, after, v))
}

/// The outline without one vertex; a ring keeps at least 3 vertices.
pub fn delete_vertex(mp: &MultiPolygon<f64>, at: VertexRef) -> ModelResult<CheckedShape> {
    let mut v = open_ring(mp, at)?;
    if v.len() <= 3 {
        return Err(ModelError::Invalid(
            "a ring keeps at least 3 vertices; delete the turf (or the hole) instead".into(),
        ));
    }
    v.remove(at.vertex);
    make_valid(with_ring(mp, at, v))
}

/// The outline moved by `delta_wgs84` (degrees of longitude, latitude).
pub fn translate(mp: &MultiPolygon<f64>, delta_wgs84: Coord<f64>) -> ModelResult<CheckedShape> {
    make_valid(mp.map_coords(|c| c + delta_wgs84))
}

/// `mp` minus the union of `others` (the turfs already there); slivers dropped.
pub fn clip_to_free(mp: &MultiPolygon<f64>, others: &[&MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let Some(r) = mp.bounding_rect() else {
        return mp.clone();
    };
    let near: Vec<&MultiPolygon<f64>> = others
        .iter()
        .copied()
        .filter(|o| o.bounding_rect().is_some_and(|or| or.intersects(&r)))
        .collect();
    if near.is_empty() {
        return mp.clone();
    }
    let mut out = mp.clone();
    for o in near {
        if o.intersects(&out) {
            out = out.difference(o);
        }
    }
    drop_slivers(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn square(x: f64, y: f64, s: f64) -> Vec<Coord<f64>> {
        vec![c(x, y), c(x + s, y), c(x + s, y + s), c(x, y + s)]
    }

    #[test]
    fn a_bow_tie_is_repaired_and_a_line_is_refused() {
        let bow = [
            c(2.0, 48.0),
            c(2.001, 48.001),
            c(2.001, 48.0),
            c(2.0, 48.001),
        ];
        let s = polygon_from_ring(&bow).unwrap();
        assert!(s.repaired.is_some());
        assert_eq!(s.geom_wgs84.0.len(), 2, "two triangles");
        let line = [c(2.0, 48.0), c(2.001, 48.0), c(2.002, 48.0)];
        assert!(polygon_from_ring(&line).is_err());
        assert!(polygon_from_ring(&[c(2.0, 48.0), c(2.0, 48.0), c(2.1, 48.0)]).is_err());
        assert!(polygon_from_ring(&[c(200.0, 48.0), c(2.0, 48.0), c(2.1, 48.1)]).is_err());
    }

    #[test]
    fn vertex_edits_keep_the_ring_closed_and_valid() {
        let s = polygon_from_ring(&square(2.0, 48.0, 0.001))
            .unwrap()
            .geom_wgs84;
        let at = VertexRef {
            polygon: 0,
            ring: 0,
            vertex: 0,
        };
        let moved = move_vertex(&s, at, c(1.9995, 47.9995)).unwrap().geom_wgs84;
        let ext = moved.0[0].exterior();
        assert_eq!(ext.0.first(), ext.0.last());
        assert!(ext.0.contains(&c(1.9995, 47.9995)));
        let inserted = insert_vertex(&s, at, c(2.0005, 47.9995))
            .unwrap()
            .geom_wgs84;
        assert_eq!(inserted.0[0].exterior().0.len(), 6);
        let deleted = delete_vertex(&inserted, VertexRef { vertex: 1, ..at })
            .unwrap()
            .geom_wgs84;
        assert_eq!(deleted.0[0].exterior().0.len(), 5);
        assert!(delete_vertex(&deleted, at).is_ok());
        let tri = delete_vertex(&deleted, at).unwrap().geom_wgs84;
        assert!(
            delete_vertex(&tri, at).is_err(),
            "a triangle keeps its vertices"
        );
        assert!(move_vertex(&s, VertexRef { vertex: 9, ..at }, c(2.0, 48.0)).is_err());
    }

    #[test]
    fn clipping_removes_the_overlap() {
        let a = polygon_from_ring(&square(2.0, 48.0, 0.001))
            .unwrap()
            .geom_wgs84;
        let b = polygon_from_ring(&square(2.0005, 48.0, 0.001))
            .unwrap()
            .geom_wgs84;
        let clipped = clip_to_free(&b, &[&a]);
        let ratio = area_m2(&clipped) / area_m2(&b);
        assert!((ratio - 0.5).abs() < 1e-6, "{ratio}");
    }
}
