//! Delaunay neighbours and Voronoi cells of a set of distinct sites (door positions, metres),
//! with spade. Four far-away guard sites surround the input so every real site is inside the
//! triangulation's hull: every real cell is then a bounded polygon, collinear or tiny inputs
//! need no special case, and the cells of the real sites cover everything near them.

use geo_types::{Coord, Line, LineString, Polygon};
use spade::{DelaunayTriangulation, HasPosition, Point2, Triangulation};

use crate::model::error::{ModelError, ModelResult};

struct Site {
    pos: Point2<f64>,
    /// Index into the input, or `usize::MAX` for a guard site.
    index: usize,
}

impl HasPosition for Site {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.pos
    }
}

/// The Delaunay edges between input sites and each input site's Voronoi cell.
pub struct Cells {
    /// Pairs `(i, j)`, `i < j`, of sites whose cells share an edge.
    pub edges: Vec<(usize, usize)>,
    /// For each of `edges`, the shared cell edge (between the two circumcentres).
    pub shared: Vec<Line<f64>>,
    /// One cell per input site, in input order.
    pub cells: Vec<Polygon<f64>>,
}

/// Triangulates `sites` (distinct positions, metres) and builds their cells.
pub fn cells(sites: &[Coord<f64>]) -> ModelResult<Cells> {
    if sites.is_empty() {
        return Ok(Cells {
            edges: Vec::new(),
            shared: Vec::new(),
            cells: Vec::new(),
        });
    }
    let (mut lo, mut hi) = (sites[0], sites[0]);
    for s in sites {
        lo = Coord {
            x: lo.x.min(s.x),
            y: lo.y.min(s.y),
        };
        hi = Coord {
            x: hi.x.max(s.x),
            y: hi.y.max(s.y),
        };
    }
    let pad = 10.0 * (hi.x - lo.x).max(hi.y - lo.y).max(100.0);
    let mut input: Vec<Site> = sites
        .iter()
        .enumerate()
        .map(|(index, c)| Site {
            pos: Point2::new(c.x, c.y),
            index,
        })
        .collect();
    for (x, y) in [
        (lo.x - pad, lo.y - pad),
        (hi.x + pad, lo.y - pad),
        (hi.x + pad, hi.y + pad),
        (lo.x - pad, hi.y + pad),
    ] {
        input.push(Site {
            pos: Point2::new(x, y),
            index: usize::MAX,
        });
    }
    let t: DelaunayTriangulation<Site> = DelaunayTriangulation::bulk_load(input)
        .map_err(|e| ModelError::Invalid(format!("cannot triangulate the doors: {e:?}")))?;
    if t.num_vertices() != sites.len() + 4 {
        return Err(ModelError::Invalid(
            "two doors share a position after grouping (internal error)".into(),
        ));
    }
    let mut found: Vec<((usize, usize), Line<f64>)> = Vec::new();
    for e in t.undirected_edges() {
        let [a, b] = e.vertices();
        let (a, b) = (a.data().index, b.data().index);
        if a != usize::MAX && b != usize::MAX {
            let d = e.as_directed();
            let centre = |f: Option<
                spade::handles::FaceHandle<'_, spade::handles::InnerTag, Site, (), (), ()>,
            >| {
                f.map(|f| {
                    let c = f.circumcenter();
                    Coord { x: c.x, y: c.y }
                })
            };
            let (c1, c2) = (
                centre(d.face().as_inner()),
                centre(d.rev().face().as_inner()),
            );
            let line = match (c1, c2) {
                (Some(c1), Some(c2)) => Line::new(c1, c2),
                (Some(c), None) | (None, Some(c)) => Line::new(c, c),
                (None, None) => continue,
            };
            found.push(((a.min(b), a.max(b)), line));
        }
    }
    found.sort_by_key(|f| f.0);
    let (edges, shared): (Vec<(usize, usize)>, Vec<Line<f64>>) = found.into_iter().unzip();
    let mut cells = vec![Polygon::new(LineString::new(vec![]), vec![]); sites.len()];
    for v in t.vertices() {
        let i = v.data().index;
        if i == usize::MAX {
            continue;
        }
        let mut ring: Vec<Coord<f64>> = Vec::new();
        for e in v.out_edges() {
            if let Some(f) = e.face().as_inner() {
                let c = f.circumcenter();
                let c = Coord { x: c.x, y: c.y };
                if ring.last() != Some(&c) {
                    ring.push(c);
                }
            }
        }
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        if ring.len() >= 3 {
            ring.push(ring[0]);
            cells[i] = Polygon::new(LineString::new(ring), vec![]);
        }
    }
    Ok(Cells {
        edges,
        shared,
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    #[test]
    fn grid_cells_are_squares_and_neighbours_share_edges() {
        let mut sites = Vec::new();
        for i in 0..4 {
            for j in 0..3 {
                sites.push(Coord {
                    x: i as f64 * 10.0,
                    y: j as f64 * 10.0,
                });
            }
        }
        let c = cells(&sites).unwrap();
        // Site (1, 1) is interior: its cell is the 10 m square around it.
        let inner = &c.cells[4];
        assert!((inner.unsigned_area() - 100.0).abs() < 1e-6, "{inner:?}");
        assert!(c.edges.contains(&(3, 4)) && c.edges.contains(&(1, 4)));
        assert!(c.cells.iter().all(|p| p.exterior().0.len() >= 4));
    }

    #[test]
    fn collinear_and_single_sites_still_get_cells() {
        let line: Vec<Coord<f64>> = (0..5)
            .map(|i| Coord {
                x: i as f64 * 5.0,
                y: 0.0,
            })
            .collect();
        let c = cells(&line).unwrap();
        assert_eq!(c.edges, vec![(0, 1), (1, 2), (2, 3), (3, 4)]);
        assert!(c.cells.iter().all(|p| p.unsigned_area() > 0.0));
        let one = cells(&[Coord { x: 1.0, y: 1.0 }]).unwrap();
        assert!(one.cells[0].unsigned_area() > 0.0 && one.edges.is_empty());
    }
}
