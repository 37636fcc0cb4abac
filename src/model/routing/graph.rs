//! The walkable street graph: the campaign's walkable streets split at shared OSM nodes into a
//! petgraph [`UnGraph`] in a local metric frame (metres), each edge keeping its polyline, length,
//! street name and class; its connected components; shortest walking distances and paths between
//! points lying on edges (a multi-source Dijkstra that stops once its targets are settled).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use geo_types::{Coord, Rect};
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

use crate::model::storage::streets::Street;
use crate::model::turfs::frame::LocalFrame;

/// A junction or way end.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphNode {
    pub osm_node_id: i64,
    pub pos_m: Coord<f64>,
}

/// A piece of a street between two junctions (or way ends).
#[derive(Clone, Debug, PartialEq)]
pub struct GraphEdge {
    pub street_fid: i64,
    pub name: Option<String>,
    /// OSM `highway` class.
    pub highway: String,
    /// Polyline from the edge's source node to its target node, metres in the graph's frame.
    pub line_m: Vec<Coord<f64>>,
    pub length_m: f64,
}

/// A point on an edge: `offset_m` metres from the edge's source along its polyline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdgePos {
    pub edge: EdgeIndex,
    pub offset_m: f64,
}

/// The walkable streets as a graph, with the frame its coordinates are in.
#[derive(Clone, Debug)]
pub struct StreetGraph {
    pub frame: LocalFrame,
    pub graph: UnGraph<GraphNode, GraphEdge>,
    /// Connected component of each node (by node index).
    pub component_of: Vec<usize>,
    /// The component with the most street length (where routes are walked).
    pub main_component: usize,
    /// Adjacency (neighbour node, length) per node, for Dijkstra.
    adjacency: Vec<Vec<(u32, f64)>>,
}

/// Length of a polyline.
pub fn polyline_length(line: &[Coord<f64>]) -> f64 {
    line.windows(2)
        .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
        .sum()
}

impl StreetGraph {
    /// The graph of the walkable `streets` (non-walkable ones are ignored) having a vertex
    /// within `area_wgs84` (all when `None`), in a frame centred on the area (or the streets).
    /// Ways are split where an OSM node id is shared by two ways (or repeats in one).
    pub fn build(streets: &[Street], area_wgs84: Option<Rect<f64>>) -> StreetGraph {
        let inside = |c: &Coord<f64>| {
            area_wgs84.is_none_or(|r| {
                c.x >= r.min().x && c.x <= r.max().x && c.y >= r.min().y && c.y <= r.max().y
            })
        };
        let kept: Vec<&Street> = streets
            .iter()
            .filter(|s| {
                s.walkable
                    && s.line_wgs84.0.len() >= 2
                    && s.node_ids.len() == s.line_wgs84.0.len()
                    && s.line_wgs84.0.iter().any(inside)
            })
            .collect();
        let centre = match area_wgs84 {
            Some(r) => r.center(),
            None => {
                let mut b: Option<[f64; 4]> = None;
                for c in kept.iter().flat_map(|s| s.line_wgs84.0.iter()) {
                    let bb = b.get_or_insert([c.x, c.y, c.x, c.y]);
                    bb[0] = bb[0].min(c.x);
                    bb[1] = bb[1].min(c.y);
                    bb[2] = bb[2].max(c.x);
                    bb[3] = bb[3].max(c.y);
                }
                b.map(|b| Coord {
                    x: (b[0] + b[2]) / 2.0,
                    y: (b[1] + b[3]) / 2.0,
                })
                .unwrap_or(Coord { x: 0.0, y: 0.0 })
            }
        };
        let frame = LocalFrame::new(centre);
        // How many times each node id is used: more than once is a junction.
        let mut uses: HashMap<i64, u32> = HashMap::new();
        for s in &kept {
            for id in &s.node_ids {
                *uses.entry(*id).or_insert(0) += 1;
            }
        }
        let mut graph: UnGraph<GraphNode, GraphEdge> = UnGraph::default();
        let mut node_of: HashMap<i64, NodeIndex> = HashMap::new();
        let mut node = |graph: &mut UnGraph<GraphNode, GraphEdge>, id: i64, pos_m: Coord<f64>| {
            *node_of.entry(id).or_insert_with(|| {
                graph.add_node(GraphNode {
                    osm_node_id: id,
                    pos_m,
                })
            })
        };
        for s in &kept {
            let pts: Vec<Coord<f64>> = s.line_wgs84.0.iter().map(|c| frame.to_m(*c)).collect();
            let last = pts.len() - 1;
            let mut from = 0usize;
            for i in 1..=last {
                if i != last && uses[&s.node_ids[i]] < 2 {
                    continue;
                }
                let line_m: Vec<Coord<f64>> = pts[from..=i].to_vec();
                let length_m = polyline_length(&line_m);
                if length_m > 0.0 {
                    let a = node(&mut graph, s.node_ids[from], pts[from]);
                    let b = node(&mut graph, s.node_ids[i], pts[i]);
                    graph.add_edge(
                        a,
                        b,
                        GraphEdge {
                            street_fid: s.fid,
                            name: s.name.clone(),
                            highway: s.highway.clone(),
                            line_m,
                            length_m,
                        },
                    );
                }
                from = i;
            }
        }
        let n = graph.node_count();
        let mut uf = UnionFind::<usize>::new(n);
        let mut adjacency = vec![Vec::new(); n];
        for e in graph.edge_references() {
            let (a, b) = (e.source().index(), e.target().index());
            uf.union(a, b);
            adjacency[a].push((b as u32, e.weight().length_m));
            if a != b {
                adjacency[b].push((a as u32, e.weight().length_m));
            }
        }
        let labels = uf.into_labeling();
        let mut ids: HashMap<usize, usize> = HashMap::new();
        let component_of: Vec<usize> = labels
            .iter()
            .map(|l| {
                let next = ids.len();
                *ids.entry(*l).or_insert(next)
            })
            .collect();
        let mut length_of = vec![0.0; ids.len()];
        for e in graph.edge_references() {
            length_of[component_of[e.source().index()]] += e.weight().length_m;
        }
        let main_component = length_of
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i)
            .unwrap_or(0);
        StreetGraph {
            frame,
            graph,
            component_of,
            main_component,
            adjacency,
        }
    }

    pub fn edge(&self, e: EdgeIndex) -> &GraphEdge {
        &self.graph[e]
    }

    /// Source and target node of an edge.
    pub fn ends(&self, e: EdgeIndex) -> (NodeIndex, NodeIndex) {
        self.graph.edge_endpoints(e).expect("edge of this graph")
    }

    /// Whether an edge is in the main (largest) component.
    pub fn in_main_component(&self, e: EdgeIndex) -> bool {
        self.component_of[self.ends(e).0.index()] == self.main_component
    }

    /// Shortest walking distance from `from` to every node, as `(node index, metres)` for the
    /// nodes in `targets` (settled ones; others stay `f64::INFINITY`), stopping once all targets
    /// are settled. `dist` and `pred` are caller buffers of the node count (reset here); `pred`
    /// gets each settled node's predecessor (`u32::MAX` for the sources).
    pub fn dijkstra_from(
        &self,
        from: EdgePos,
        targets: &[u32],
        dist: &mut Vec<f64>,
        pred: &mut Vec<u32>,
    ) {
        let n = self.adjacency.len();
        dist.clear();
        dist.resize(n, f64::INFINITY);
        pred.clear();
        pred.resize(n, u32::MAX);
        let mut is_target = vec![false; n];
        let mut left = 0usize;
        for &t in targets {
            if !is_target[t as usize] {
                is_target[t as usize] = true;
                left += 1;
            }
        }
        let (s, t) = self.ends(from.edge);
        let len = self.graph[from.edge].length_m;
        let mut heap = BinaryHeap::new();
        for (node, d) in [(s, from.offset_m), (t, len - from.offset_m)] {
            let i = node.index();
            if d < dist[i] {
                dist[i] = d;
                heap.push(State {
                    dist: d,
                    node: i as u32,
                });
            }
        }
        let mut done = vec![false; n];
        while let Some(State { dist: d, node }) = heap.pop() {
            let u = node as usize;
            if done[u] || d > dist[u] {
                continue;
            }
            done[u] = true;
            if is_target[u] {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            for &(v, w) in &self.adjacency[u] {
                let nd = d + w;
                if nd < dist[v as usize] {
                    dist[v as usize] = nd;
                    pred[v as usize] = node;
                    heap.push(State { dist: nd, node: v });
                }
            }
        }
        for (i, d) in dist.iter_mut().enumerate() {
            if !done[i] {
                *d = f64::INFINITY;
            }
        }
    }

    /// The walking distance from `a` to `b` given `dist` from a Dijkstra run from `a`, and which
    /// end of `b`'s edge it arrives by (`None`: along the shared edge).
    pub fn distance_to(&self, a: EdgePos, b: EdgePos, dist: &[f64]) -> (f64, Option<NodeIndex>) {
        let (s, t) = self.ends(b.edge);
        let len = self.graph[b.edge].length_m;
        let via_s = dist[s.index()] + b.offset_m;
        let via_t = dist[t.index()] + (len - b.offset_m);
        let mut best = if via_s <= via_t {
            (via_s, Some(s))
        } else {
            (via_t, Some(t))
        };
        if a.edge == b.edge {
            let direct = (a.offset_m - b.offset_m).abs();
            if direct <= best.0 {
                best = (direct, None);
            }
        }
        best
    }

    /// The walked polyline (metres) from `a` to `b`: along `a`'s edge to a junction, the shortest
    /// path, along `b`'s edge; or along the shared edge when `allow_direct` (else through a
    /// junction even on the same edge: crossing at a corner). Also its length.
    pub fn path_m(&self, a: EdgePos, b: EdgePos, allow_direct: bool) -> (f64, Vec<Coord<f64>>) {
        let (s, t) = self.ends(b.edge);
        let (mut dist, mut pred) = (Vec::new(), Vec::new());
        self.dijkstra_from(
            a,
            &[s.index() as u32, t.index() as u32],
            &mut dist,
            &mut pred,
        );
        let (d, via) = if allow_direct {
            self.distance_to(a, b, &dist)
        } else {
            let len = self.graph[b.edge].length_m;
            let via_s = dist[s.index()] + b.offset_m;
            let via_t = dist[t.index()] + (len - b.offset_m);
            if via_s <= via_t {
                (via_s, Some(s))
            } else {
                (via_t, Some(t))
            }
        };
        let Some(end) = via else {
            return (
                d,
                sub_line(&self.graph[a.edge].line_m, a.offset_m, b.offset_m),
            );
        };
        if !d.is_finite() {
            return (d, Vec::new());
        }
        // Nodes from the arrival junction back to a source node of `a`'s edge.
        let mut nodes = vec![end.index()];
        while pred[*nodes.last().expect("not empty")] != u32::MAX {
            nodes.push(pred[*nodes.last().expect("not empty")] as usize);
        }
        nodes.reverse();
        let (as_, at) = self.ends(a.edge);
        let a_len = self.graph[a.edge].length_m;
        let first = NodeIndex::new(nodes[0]);
        let mut out = if first == as_ && (first != at || a.offset_m <= a_len - a.offset_m) {
            sub_line(&self.graph[a.edge].line_m, a.offset_m, 0.0)
        } else {
            sub_line(&self.graph[a.edge].line_m, a.offset_m, a_len)
        };
        for w in nodes.windows(2) {
            let (u, v) = (NodeIndex::new(w[0]), NodeIndex::new(w[1]));
            // The shortest edge between u and v (parallel edges can exist).
            let e = self
                .graph
                .edges_connecting(u, v)
                .min_by(|x, y| x.weight().length_m.total_cmp(&y.weight().length_m))
                .expect("a path edge");
            let line = &e.weight().line_m;
            // Stored direction: an undirected graph's edge iterators report `u` as the source.
            if self.ends(e.id()).0 == u {
                out.extend_from_slice(&line[1..]);
            } else {
                out.extend(line.iter().rev().skip(1));
            }
        }
        let b_len = self.graph[b.edge].length_m;
        let tail = if end == s {
            sub_line(&self.graph[b.edge].line_m, 0.0, b.offset_m)
        } else {
            sub_line(&self.graph[b.edge].line_m, b_len, b.offset_m)
        };
        out.extend(tail.into_iter().skip(1));
        (d, out)
    }
}

/// The part of `line` between offsets `from_m` and `to_m` (either order: the result runs from
/// `from_m` to `to_m`).
pub fn sub_line(line: &[Coord<f64>], from_m: f64, to_m: f64) -> Vec<Coord<f64>> {
    if from_m > to_m {
        let mut v = sub_line(line, to_m, from_m);
        v.reverse();
        return v;
    }
    let mut out = vec![point_at(line, from_m)];
    let mut acc = 0.0;
    for w in line.windows(2) {
        acc += (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
        if acc > from_m && acc < to_m {
            out.push(w[1]);
        }
    }
    out.push(point_at(line, to_m));
    out
}

/// The point `offset_m` along `line` (clamped to its ends).
pub fn point_at(line: &[Coord<f64>], offset_m: f64) -> Coord<f64> {
    let mut acc = 0.0;
    for w in line.windows(2) {
        let l = (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
        if acc + l >= offset_m && l > 0.0 {
            let f = ((offset_m - acc) / l).clamp(0.0, 1.0);
            return Coord {
                x: w[0].x + f * (w[1].x - w[0].x),
                y: w[0].y + f * (w[1].y - w[0].y),
            };
        }
        acc += l;
    }
    if offset_m <= 0.0 {
        line[0]
    } else {
        *line.last().expect("a line")
    }
}

#[derive(Clone, Copy, PartialEq)]
struct State {
    dist: f64,
    node: u32,
}

impl Eq for State {}

impl Ord for State {
    fn cmp(&self, o: &Self) -> Ordering {
        o.dist.total_cmp(&self.dist).then(o.node.cmp(&self.node))
    }
}

impl PartialOrd for State {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use geo_types::LineString;

    /// A street from metre coordinates (around lon 2.35, lat 48.85) with given node ids.
    pub(crate) fn street_m(fid: i64, name: &str, ids: &[i64], pts_m: &[(f64, f64)]) -> Street {
        let frame = LocalFrame::new(Coord { x: 2.35, y: 48.85 });
        Street {
            fid,
            osm_id: fid,
            name: Some(name.into()),
            highway: "residential".into(),
            walkable: true,
            node_ids: ids.to_vec(),
            line_wgs84: LineString(
                pts_m
                    .iter()
                    .map(|(x, y)| frame.to_wgs84(Coord { x: *x, y: *y }))
                    .collect(),
            ),
        }
    }

    /// An area centred on the test streets' frame origin, so graph metres are the test's.
    pub(crate) fn area() -> Option<Rect<f64>> {
        Some(Rect::new(
            Coord { x: 2.34, y: 48.84 },
            Coord { x: 2.36, y: 48.86 },
        ))
    }

    /// A "T": a 200 m east-west street through node 2 at x = 100, a 100 m street north from
    /// node 2, and a disconnected 30 m footpath far away.
    pub(crate) fn three_way() -> Vec<Street> {
        let mut island = street_m(3, "Island", &[10, 11], &[(500.0, 500.0), (530.0, 500.0)]);
        island.highway = "footway".into();
        vec![
            street_m(
                1,
                "Main",
                &[1, 2, 3],
                &[(0.0, 0.0), (100.0, 0.0), (200.0, 0.0)],
            ),
            street_m(2, "North", &[2, 4], &[(100.0, 0.0), (100.0, 100.0)]),
            island,
        ]
    }

    #[test]
    fn ways_split_at_shared_nodes() {
        let g = StreetGraph::build(&three_way(), area());
        // Main splits at node 2: 0–2, 2–3; North: 2–4; the island: 10–11.
        assert_eq!(g.graph.edge_count(), 4);
        assert_eq!(g.graph.node_count(), 6);
        let junction = g
            .graph
            .node_indices()
            .find(|n| g.graph[*n].osm_node_id == 2)
            .unwrap();
        assert_eq!(g.graph.neighbors(junction).count(), 3);
        let mut lengths: Vec<f64> = g.graph.edge_weights().map(|e| e.length_m).collect();
        lengths.sort_by(f64::total_cmp);
        for (l, want) in lengths.iter().zip([30.0, 100.0, 100.0, 100.0]) {
            assert!((l - want).abs() < 0.01, "{lengths:?}");
        }
        let island = g
            .graph
            .edge_indices()
            .find(|e| g.edge(*e).name.as_deref() == Some("Island"))
            .unwrap();
        assert!(!g.in_main_component(island));
        assert_eq!(
            g.graph
                .edge_indices()
                .filter(|e| g.in_main_component(*e))
                .count(),
            3
        );
    }

    #[test]
    fn a_path_follows_whole_edges_against_their_direction() {
        // A ⊓ shape: West up from (0,0) to (0,100), Top east to (100,100), East down to (100,0).
        let streets = vec![
            street_m(1, "West", &[1, 2], &[(0.0, 0.0), (0.0, 100.0)]),
            street_m(
                2,
                "Top",
                &[2, 9, 3],
                &[(0.0, 100.0), (50.0, 110.0), (100.0, 100.0)],
            ),
            street_m(3, "East", &[3, 4], &[(100.0, 100.0), (100.0, 0.0)]),
        ];
        let g = StreetGraph::build(&streets, area());
        let edge = |name: &str| {
            g.graph
                .edge_indices()
                .find(|e| g.edge(*e).name.as_deref() == Some(name))
                .unwrap()
        };
        let top = polyline_length(&g.edge(edge("Top")).line_m);
        let (west, east) = (edge("West"), edge("East"));
        // 10 m from the bottom of each side street, both ways round.
        let bottom = |e: EdgeIndex| EdgePos {
            edge: e,
            offset_m: if g.edge(e).line_m[0].y < 1.0 {
                10.0
            } else {
                g.edge(e).length_m - 10.0
            },
        };
        for (a, b) in [(bottom(west), bottom(east)), (bottom(east), bottom(west))] {
            let (d, line) = g.path_m(a, b, true);
            assert!((d - (90.0 + top + 90.0)).abs() < 0.01, "{d}");
            assert!((polyline_length(&line) - d).abs() < 0.01, "{line:?}");
            // Through the bend of Top at (50, 110).
            assert!(line.iter().any(|c| (c.y - 110.0).abs() < 0.01));
        }
    }

    #[test]
    fn a_walk_between_two_edges_goes_through_the_junction() {
        let g = StreetGraph::build(&three_way(), area());
        let by_name = |name: &str, x: f64| {
            g.graph
                .edge_indices()
                .find(|e| {
                    let ed = g.edge(*e);
                    ed.name.as_deref() == Some(name)
                        && ed.line_m.iter().any(|c| (c.x - x).abs() < 1.0)
                })
                .unwrap()
        };
        let west = by_name("Main", 0.0);
        let north = by_name("North", 100.0);
        // 20 m from the west end, and 50 m up North.
        let a = EdgePos {
            edge: west,
            offset_m: if g.edge(west).line_m[0].x < 1.0 {
                20.0
            } else {
                80.0
            },
        };
        let b = EdgePos {
            edge: north,
            offset_m: 50.0,
        };
        let (d, line) = g.path_m(a, b, true);
        assert!((d - 130.0).abs() < 0.01, "{d}");
        assert!((polyline_length(&line) - 130.0).abs() < 0.01, "{line:?}");
        assert!((line[0].x - 20.0).abs() < 0.01 && line[0].y.abs() < 0.01);
        let end = line.last().unwrap();
        assert!((end.x - 100.0).abs() < 0.01 && (end.y - 50.0).abs() < 0.01);
    }
}
