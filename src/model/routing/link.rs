//! Doors (and the start point) linked to their street: the nearest edge of the street graph's
//! main component (an R-tree over edge segments), the projection, its offset along the edge, the
//! side of the street (left/right of the edge's direction) and the distance to the street.

use geo_types::Coord;
use petgraph::graph::EdgeIndex;
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use crate::model::routing::graph::{EdgePos, StreetGraph};

/// Doors farther than this from any walkable street get a note.
pub const FAR_FROM_STREET_M: f64 = 150.0;

/// Side of the street, relative to the direction of its edge (source → target).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// A point linked to the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub pos: EdgePos,
    /// The projection on the edge, metres.
    pub proj_m: Coord<f64>,
    pub side: Side,
    /// From the point to its projection, metres.
    pub distance_m: f64,
    /// The nearest edge overall was in a small disconnected piece of the network; the point is
    /// linked to the nearest edge of the main component instead.
    pub relinked_from_island: bool,
}

/// A segment of an edge: which edge, and the offset of the segment's start along it.
type Segment = GeomWithData<Line<[f64; 2]>, (EdgeIndex, f64)>;

/// An R-tree over the segments of every edge of a graph.
pub struct Linker<'g> {
    graph: &'g StreetGraph,
    tree: RTree<Segment>,
}

/// Left or right of the directed segment a → b (cross product; on the line counts as right).
pub fn side_of(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> Side {
    let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    if cross > 0.0 { Side::Left } else { Side::Right }
}

impl<'g> Linker<'g> {
    pub fn new(graph: &'g StreetGraph) -> Linker<'g> {
        let mut segs = Vec::new();
        for e in graph.graph.edge_indices() {
            let line = &graph.edge(e).line_m;
            let mut acc = 0.0;
            for w in line.windows(2) {
                let l = (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
                if l > 0.0 {
                    segs.push(Segment::new(
                        Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                        (e, acc),
                    ));
                }
                acc += l;
            }
        }
        Linker {
            graph,
            tree: RTree::bulk_load(segs),
        }
    }

    /// Whether there is any edge to link to.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Links a point (metres) to the nearest edge of the main component; `None` when the graph
    /// has no edge.
    pub fn link(&self, p_m: Coord<f64>) -> Option<Link> {
        let q = [p_m.x, p_m.y];
        let mut relinked = false;
        for seg in self.tree.nearest_neighbor_iter(&q) {
            let (edge, start_offset) = seg.data;
            if !self.graph.in_main_component(edge) {
                relinked = true;
                continue;
            }
            let (a, b) = (seg.geom().from, seg.geom().to);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let l2 = dx * dx + dy * dy;
            let t = (((p_m.x - a[0]) * dx + (p_m.y - a[1]) * dy) / l2).clamp(0.0, 1.0);
            let proj_m = Coord {
                x: a[0] + t * dx,
                y: a[1] + t * dy,
            };
            let length = self.graph.edge(edge).length_m;
            return Some(Link {
                pos: EdgePos {
                    edge,
                    offset_m: (start_offset + t * l2.sqrt()).clamp(0.0, length),
                },
                proj_m,
                side: side_of(Coord { x: a[0], y: a[1] }, Coord { x: b[0], y: b[1] }, p_m),
                distance_m: seg.distance_2(&q).sqrt(),
                relinked_from_island: relinked,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::routing::graph::tests::{area, three_way};

    #[test]
    fn side_by_cross_product() {
        let (a, b) = (Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 0.0 });
        assert_eq!(side_of(a, b, Coord { x: 5.0, y: 3.0 }), Side::Left);
        assert_eq!(side_of(a, b, Coord { x: 5.0, y: -3.0 }), Side::Right);
        // Reversing the direction swaps the sides.
        assert_eq!(side_of(b, a, Coord { x: 5.0, y: 3.0 }), Side::Right);
    }

    #[test]
    fn doors_link_to_the_nearest_edge_of_the_main_network() {
        let g = StreetGraph::build(&three_way(), area());
        let linker = Linker::new(&g);
        // 8 m north of Main at x = 40: its west edge, 40 m from the west end, 8 m away.
        let l = linker.link(Coord { x: 40.0, y: 8.0 }).unwrap();
        let e = g.edge(l.pos.edge);
        assert_eq!(e.name.as_deref(), Some("Main"));
        let west_first = e.line_m[0].x < 1.0;
        let want_offset = if west_first { 40.0 } else { 60.0 };
        assert!((l.pos.offset_m - want_offset).abs() < 0.01, "{l:?}");
        assert!((l.distance_m - 8.0).abs() < 0.01);
        assert_eq!(l.side, if west_first { Side::Left } else { Side::Right });
        assert!(!l.relinked_from_island);
        // Beside the island footpath: linked to the main network, with the flag.
        let l = linker.link(Coord { x: 515.0, y: 505.0 }).unwrap();
        assert!(g.in_main_component(l.pos.edge) && l.relinked_from_island);
        assert!(l.distance_m > FAR_FROM_STREET_M);
    }
}
