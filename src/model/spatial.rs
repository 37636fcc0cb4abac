//! Point-in-precinct lookup with an R-tree of precinct envelopes (rstar), used to assign doors
//! to precincts on import and when the precinct layer is replaced.

use geo::{BoundingRect, Intersects};
use geo_types::{Coord, MultiPolygon, Point};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

/// Finds which polygon of a set contains a point.
pub struct PrecinctLocator<'a> {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    polygons: Vec<&'a MultiPolygon<f64>>,
}

impl<'a> PrecinctLocator<'a> {
    /// Indexes `polygons` (WGS84); [`Self::locate`] returns indices into this slice.
    pub fn new(polygons: Vec<&'a MultiPolygon<f64>>) -> Self {
        let items = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, mp)| {
                let r = mp.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        PrecinctLocator {
            tree: RTree::bulk_load(items),
            polygons,
        }
    }

    /// The index of the first polygon that contains or touches `pos_wgs84`, smallest index first
    /// so the answer is deterministic on shared boundaries.
    pub fn locate(&self, pos_wgs84: Coord<f64>) -> Option<usize> {
        let p = Point(pos_wgs84);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([pos_wgs84.x, pos_wgs84.y]))
            .map(|item| item.data)
            .filter(|i| self.polygons[*i].intersects(&p))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn finds_the_right_square_and_none_outside() {
        let a = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)],
        ]);
        let b = MultiPolygon(vec![
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)],
        ]);
        let loc = PrecinctLocator::new(vec![&a, &b]);
        assert_eq!(loc.locate(Coord { x: 0.5, y: 0.5 }), Some(0));
        assert_eq!(loc.locate(Coord { x: 1.5, y: 0.5 }), Some(1));
        assert_eq!(
            loc.locate(Coord { x: 1.0, y: 0.5 }),
            Some(0),
            "shared edge goes to the first"
        );
        assert_eq!(loc.locate(Coord { x: 3.0, y: 0.5 }), None);
    }
}
