//! The door order on the street graph: a walking-distance matrix between the start and the stops
//! (multi-source Dijkstra from each stop's projection, along-edge offsets, street crossings by
//! side mode), then a tour from the start through every stop: nearest-neighbour construction,
//! 2-opt and Or-opt with neighbour lists until no move improves, and an iterated local search
//! (double-bridge kicks, kept when shorter) within a fixed number of kicks and a time cap.

use std::time::{Duration, Instant};

use crate::model::routing::SideMode;
use crate::model::routing::graph::{EdgePos, StreetGraph};
use crate::model::routing::link::Side;

/// A square matrix of walking metres, row-major; node 0 is the start.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub n: usize,
    pub m: Vec<f64>,
}

impl Matrix {
    pub fn new(n: usize) -> Matrix {
        Matrix {
            n,
            m: vec![0.0; n * n],
        }
    }
    #[inline]
    pub fn get(&self, a: usize, b: usize) -> f64 {
        self.m[a * self.n + b]
    }
    /// Length of the walk 0 → order[0] → … → order[last] (→ 0 when `closed`).
    pub fn walk_length(&self, order: &[usize], closed: bool) -> f64 {
        let mut prev = 0;
        let mut total = 0.0;
        for &o in order {
            total += self.get(prev, o);
            prev = o;
        }
        if closed {
            total += self.get(prev, 0);
        }
        total
    }
}

/// A point of the tour on the graph: the start (no side) or a stop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TourPoint {
    pub pos: EdgePos,
    pub side: Option<Side>,
}

/// Roughly how wide a street of this OSM class is to cross, metres (0: no sides to speak of).
pub fn crossing_width_m(highway: &str) -> f64 {
    match highway {
        "trunk" | "trunk_link" | "primary" | "primary_link" => 20.0,
        "secondary" | "secondary_link" => 15.0,
        "tertiary" | "tertiary_link" | "unclassified" => 10.0,
        "residential" | "living_street" | "service" | "road" => 8.0,
        _ => 0.0,
    }
}

/// Whether doors on both sides of a street of this class are zig-zagged: always in
/// [`SideMode::ZigZag`], for pedestrian ways, and for residential streets when asked.
pub fn zigzags(highway: &str, mode: SideMode, zigzag_residential: bool) -> bool {
    mode == SideMode::ZigZag
        || crossing_width_m(highway) == 0.0
        || (zigzag_residential
            && matches!(
                highway,
                "residential" | "living_street" | "service" | "road"
            ))
}

/// Whether the walk from `a` to `b` crosses their street at a corner: both doors of one edge, on
/// opposite sides, on a street that is not zig-zagged.
pub fn crosses_at_corner(
    graph: &StreetGraph,
    a: &TourPoint,
    b: &TourPoint,
    mode: SideMode,
    zigzag_residential: bool,
) -> bool {
    a.pos.edge == b.pos.edge
        && matches!((a.side, b.side), (Some(x), Some(y)) if x != y)
        && !zigzags(&graph.edge(a.pos.edge).highway, mode, zigzag_residential)
}

/// The walking-distance matrix between `points` (point 0 is the start). Two stops on opposite
/// sides of the same edge: on a zig-zagged street, straight across (offset difference + the
/// street's width); otherwise by a corner of the edge (to one end and back) + the width, so a
/// route walks one side then the other. Unreachable pairs are `f64::INFINITY`.
pub fn distance_matrix(
    graph: &StreetGraph,
    points: &[TourPoint],
    mode: SideMode,
    zigzag_residential: bool,
) -> Matrix {
    let n = points.len();
    let mut targets: Vec<u32> = points
        .iter()
        .flat_map(|p| {
            let (s, t) = graph.ends(p.pos.edge);
            [s.index() as u32, t.index() as u32]
        })
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let row = |i: usize, dist: &mut Vec<f64>, pred: &mut Vec<u32>, out: &mut [f64]| {
        let a = points[i];
        graph.dijkstra_from(a.pos, &targets, dist, pred);
        for (j, b) in points.iter().enumerate() {
            if i == j {
                out[j] = 0.0;
                continue;
            }
            let (mut d, _) = graph.distance_to(a.pos, b.pos, dist);
            if a.pos.edge == b.pos.edge
                && let (Some(sa), Some(sb)) = (a.side, b.side)
                && sa != sb
            {
                let e = graph.edge(a.pos.edge);
                let width = crossing_width_m(&e.highway);
                let straight = (a.pos.offset_m - b.pos.offset_m).abs();
                d = if zigzags(&e.highway, mode, zigzag_residential) {
                    straight + width
                } else {
                    // By a junction: to an end of the edge (or round the block) and back.
                    let (s, t) = graph.ends(b.pos.edge);
                    let via_nodes = (dist[s.index()] + b.pos.offset_m)
                        .min(dist[t.index()] + e.length_m - b.pos.offset_m);
                    via_nodes.max(straight) + width
                };
            }
            out[j] = d;
        }
    };
    let mut m = Matrix::new(n);
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .min(8);
    if n < 64 || threads < 2 {
        let (mut dist, mut pred) = (Vec::new(), Vec::new());
        for (i, out) in m.m.chunks_mut(n.max(1)).enumerate().take(n) {
            row(i, &mut dist, &mut pred, out);
        }
    } else {
        let rows_per = n.div_ceil(threads);
        std::thread::scope(|scope| {
            for (k, block) in m.m.chunks_mut(rows_per * n).enumerate() {
                let row = &row;
                scope.spawn(move || {
                    let (mut dist, mut pred) = (Vec::new(), Vec::new());
                    for (r, out) in block.chunks_mut(n).enumerate() {
                        row(k * rows_per + r, &mut dist, &mut pred, out);
                    }
                });
            }
        });
    }
    m
}

/// Limits of the tour search.
#[derive(Clone, Copy, Debug)]
pub struct TourBudget {
    /// Kicks of the iterated local search (0: construction + local search only).
    pub kicks: usize,
    pub time: Duration,
}

impl TourBudget {
    /// The default: 30 kicks per stop (at least 300, at most 20,000), 150 ms.
    pub fn for_stops(n: usize) -> TourBudget {
        TourBudget {
            kicks: (30 * n).clamp(300, 20_000),
            time: Duration::from_millis(150),
        }
    }
}

/// The order of nodes `1..m.n` walked from node 0 (and back to it when `closed`) that the
/// heuristic finds shortest.
pub fn solve(m: &Matrix, closed: bool, budget: TourBudget) -> Vec<usize> {
    let started = Instant::now();
    let n = m.n;
    if n <= 2 {
        return (1..n).collect();
    }
    let mut t = Tour::new(m, closed);
    t.nearest_neighbour();
    t.local_search_all();
    let mut best = t.seq.clone();
    let mut best_cost = t.cost();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let movable = t.last_movable();
    if movable >= 8 {
        for _ in 0..budget.kicks {
            if started.elapsed() >= budget.time {
                break;
            }
            t.double_bridge(&mut rng);
            t.local_search_queue();
            let c = t.cost();
            if c < best_cost - 1e-7 {
                best_cost = c;
                best.clone_from(&t.seq);
            } else {
                t.seq.clone_from(&best);
                t.reindex();
            }
        }
    }
    best[1..=movable].to_vec()
}

/// A small deterministic generator for the kicks.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Neighbours per node in the move lists.
const NEIGHBOURS: usize = 10;
const EPS: f64 = 1e-7;

/// A walk as a sequence: `seq[0]` is the start; when closed, the last element is a copy of the
/// start (node index `n`, same distances as 0) so both ends stay fixed.
struct Tour<'m> {
    m: &'m Matrix,
    closed: bool,
    seq: Vec<usize>,
    pos: Vec<usize>,
    neighbours: Vec<Vec<usize>>,
    queue: Vec<usize>,
    queued: Vec<bool>,
}

impl<'m> Tour<'m> {
    fn new(m: &'m Matrix, closed: bool) -> Tour<'m> {
        let n = m.n;
        let neighbours = (0..n)
            .map(|a| {
                let mut v: Vec<usize> = (1..n).filter(|&b| b != a).collect();
                let k = NEIGHBOURS.min(v.len());
                if k > 0 && k < v.len() {
                    v.select_nth_unstable_by(k - 1, |x, y| m.get(a, *x).total_cmp(&m.get(a, *y)));
                    v.truncate(k);
                }
                v.sort_by(|x, y| m.get(a, *x).total_cmp(&m.get(a, *y)));
                v
            })
            .collect();
        Tour {
            m,
            closed,
            seq: Vec::new(),
            pos: vec![0; n + 1],
            neighbours,
            queue: Vec::new(),
            queued: vec![false; n + 1],
        }
    }

    /// Distance between two sequence elements (`n` is the start's copy); `None` is the open end.
    #[inline]
    fn d(&self, a: usize, b: Option<usize>) -> f64 {
        let Some(b) = b else { return 0.0 };
        let n = self.m.n;
        self.m
            .get(if a == n { 0 } else { a }, if b == n { 0 } else { b })
    }

    #[inline]
    fn at(&self, i: usize) -> Option<usize> {
        self.seq.get(i).copied()
    }

    /// Position of the last door (movable element).
    fn last_movable(&self) -> usize {
        if self.closed {
            self.seq.len() - 2
        } else {
            self.seq.len() - 1
        }
    }

    fn reindex(&mut self) {
        for (i, &s) in self.seq.iter().enumerate() {
            self.pos[s] = i;
        }
    }

    fn cost(&self) -> f64 {
        self.seq.windows(2).map(|w| self.d(w[0], Some(w[1]))).sum()
    }

    fn nearest_neighbour(&mut self) {
        let n = self.m.n;
        let mut left: Vec<usize> = (1..n).collect();
        let mut seq = vec![0];
        let mut cur = 0;
        while !left.is_empty() {
            let (k, _) = left
                .iter()
                .enumerate()
                .min_by(|a, b| self.m.get(cur, *a.1).total_cmp(&self.m.get(cur, *b.1)))
                .expect("not empty");
            cur = left.swap_remove(k);
            seq.push(cur);
        }
        if self.closed {
            seq.push(n);
        }
        self.seq = seq;
        self.reindex();
    }

    fn push(&mut self, node: usize) {
        if node != 0 && node != self.m.n && !self.queued[node] {
            self.queued[node] = true;
            self.queue.push(node);
        }
    }

    fn local_search_all(&mut self) {
        for i in 1..=self.last_movable() {
            let s = self.seq[i];
            self.push(s);
        }
        self.local_search_queue();
    }

    /// Improves around queued nodes until no 2-opt or Or-opt move helps.
    fn local_search_queue(&mut self) {
        while let Some(a) = self.queue.pop() {
            self.queued[a] = false;
            if self.improve_two_opt(a) || self.improve_or_opt(a) {
                self.push(a);
            }
        }
    }

    /// Reverses `seq[i+1..=j]`; gain when positive.
    fn two_opt_gain(&self, i: usize, j: usize) -> f64 {
        let (a, b, c) = (self.seq[i], self.seq[i + 1], self.seq[j]);
        let d = self.at(j + 1);
        self.d(a, Some(b)) + self.d(c, d) - self.d(a, Some(c)) - self.d(b, d)
    }

    fn improve_two_opt(&mut self, a: usize) -> bool {
        let last = self.last_movable();
        let pa = self.pos[a];
        for k in 0..self.neighbours[a].len() {
            let c = self.neighbours[a][k];
            let pc = self.pos[c];
            let (x, y) = if pa < pc { (pa, pc) } else { (pc, pa) };
            // New edge seq[x]–seq[y] either by reversing x+1..=y or x..=y-1.
            for (i, j) in [(Some(x), y), (x.checked_sub(1), y.saturating_sub(1))] {
                let Some(i) = i else { continue };
                if i >= j || j > last || i + 1 > last {
                    continue;
                }
                if self.two_opt_gain(i, j) > EPS {
                    let (ends_a, ends_b) = (self.seq[i], self.seq[i + 1]);
                    let (ends_c, ends_d) = (self.seq[j], self.at(j + 1));
                    self.seq[i + 1..=j].reverse();
                    for p in i + 1..=j {
                        self.pos[self.seq[p]] = p;
                    }
                    for v in [Some(ends_a), Some(ends_b), Some(ends_c), ends_d]
                        .into_iter()
                        .flatten()
                    {
                        self.push(v);
                    }
                    return true;
                }
            }
        }
        false
    }

    /// Moves a segment of 1–3 stops starting or ending at `a` next to one of the neighbours of
    /// its ends (possibly reversed).
    fn improve_or_opt(&mut self, a: usize) -> bool {
        let last = self.last_movable();
        let pa = self.pos[a];
        for len in 1..=3usize {
            for s in [Some(pa), pa.checked_sub(len - 1)] {
                let Some(s) = s else { continue };
                if s < 1 || s + len - 1 > last {
                    continue;
                }
                let e = s + len - 1;
                let (first, end) = (self.seq[s], self.seq[e]);
                let prev = self.seq[s - 1];
                let next = self.at(e + 1);
                let removal = self.d(prev, Some(first)) + self.d(end, next) - self.d(prev, next);
                if removal <= EPS {
                    continue;
                }
                let mut best: Option<(f64, usize, bool)> = None;
                let candidates: Vec<usize> = self.neighbours[first]
                    .iter()
                    .chain(self.neighbours[end].iter())
                    .flat_map(|&c| {
                        let p = self.pos[c];
                        [Some(p), p.checked_sub(1)]
                    })
                    .flatten()
                    .chain(std::iter::once(last))
                    .collect();
                for k in candidates {
                    // Insert between seq[k] and seq[k+1]; k outside s-1..=e.
                    if k + 1 >= s && k <= e {
                        continue;
                    }
                    if k > last {
                        continue;
                    }
                    let x = self.seq[k];
                    let y = self.at(k + 1);
                    let base = self.d(x, y);
                    let fwd = self.d(x, Some(first)) + self.d(end, y) - base;
                    let rev = self.d(x, Some(end)) + self.d(first, y) - base;
                    let (add, reversed) = if rev < fwd { (rev, true) } else { (fwd, false) };
                    if removal - add > EPS && best.is_none_or(|b| removal - add > b.0) {
                        best = Some((removal - add, k, reversed));
                    }
                }
                if let Some((_, k, reversed)) = best {
                    let mut segment: Vec<usize> = self.seq[s..=e].to_vec();
                    if reversed {
                        segment.reverse();
                    }
                    let x = self.seq[k];
                    let y = self.at(k + 1);
                    self.seq.drain(s..=e);
                    let at = self.pos_in_seq(x) + 1;
                    self.seq.splice(at..at, segment.iter().copied());
                    self.reindex();
                    for v in [Some(prev), next, Some(x), y, Some(first), Some(end)]
                        .into_iter()
                        .flatten()
                    {
                        self.push(v);
                    }
                    return true;
                }
            }
        }
        false
    }

    fn pos_in_seq(&self, v: usize) -> usize {
        self.seq
            .iter()
            .position(|&s| s == v)
            .expect("in the sequence")
    }

    /// A double bridge on three nearby cut points: A B C D → A C B D.
    fn double_bridge(&mut self, rng: &mut XorShift) {
        let last = self.last_movable();
        let span = 50.min(last / 3).max(1);
        let p1 = 1 + rng.below(last);
        let p2 = (p1 + 1 + rng.below(span)).min(last + 1);
        let p3 = (p2 + 1 + rng.below(span)).min(last + 1);
        if !(p1 < p2 && p2 < p3) {
            return;
        }
        let mut mid: Vec<usize> = self.seq[p2..p3].to_vec();
        mid.extend_from_slice(&self.seq[p1..p2]);
        self.seq.splice(p1..p3, mid);
        self.reindex();
        for p in [p1 - 1, p1, p2 - 1, p2, p3 - 1, p3] {
            if let Some(v) = self.at(p) {
                self.push(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euclid(pts: &[(f64, f64)]) -> Matrix {
        let n = pts.len();
        let mut m = Matrix::new(n);
        for i in 0..n {
            for j in 0..n {
                m.m[i * n + j] = (pts[i].0 - pts[j].0).hypot(pts[i].1 - pts[j].1);
            }
        }
        m
    }

    fn budget() -> TourBudget {
        TourBudget {
            kicks: 500,
            time: Duration::from_secs(5),
        }
    }

    #[test]
    fn crossing_the_street_costs_a_corner_unless_zig_zagging() {
        use crate::model::routing::graph::tests::{area, three_way};
        use crate::model::routing::link::Linker;
        let g = StreetGraph::build(&three_way(), area());
        let linker = Linker::new(&g);
        // Start at the west end; doors at x = 20 north and south of Main (8 m wide residential),
        // and at x = 30 north.
        let pts: Vec<TourPoint> = [(1.0, 0.5), (20.0, 6.0), (20.0, -6.0), (30.0, 6.0)]
            .iter()
            .enumerate()
            .map(|(i, (x, y))| {
                let l = linker.link(geo_types::Coord { x: *x, y: *y }).unwrap();
                TourPoint {
                    pos: l.pos,
                    side: (i > 0).then_some(l.side),
                }
            })
            .collect();
        let one_side = distance_matrix(&g, &pts, SideMode::OneSideThenOther, false);
        let zigzag = distance_matrix(&g, &pts, SideMode::ZigZag, false);
        // Same side: along the street either way.
        assert!((one_side.get(1, 3) - 10.0).abs() < 1e-6);
        assert!((zigzag.get(1, 3) - 10.0).abs() < 1e-6);
        // Across: straight over in zig-zag (8 m), by the west corner otherwise (20 + 20 + 8).
        assert!(
            (zigzag.get(1, 2) - 8.0).abs() < 1e-6,
            "{}",
            zigzag.get(1, 2)
        );
        assert!(
            (one_side.get(1, 2) - 48.0).abs() < 1e-6,
            "{}",
            one_side.get(1, 2)
        );
        assert_eq!(one_side.get(1, 2), one_side.get(2, 1));
        // So walking one side then the other visits 1 and 3 (north) before 2 (south) or after.
        let order = solve(&one_side, false, budget());
        assert_ne!(order[1], 2, "{order:?}");
        // Residential streets zig-zag when asked even in one-side mode.
        let zz = distance_matrix(&g, &pts, SideMode::OneSideThenOther, true);
        assert!((zz.get(1, 2) - 8.0).abs() < 1e-6);
    }

    #[test]
    fn doors_on_a_line_are_walked_in_order() {
        // Start at x = 0, doors shuffled along a line.
        let xs = [0.0, 50.0, 10.0, 40.0, 20.0, 30.0, 60.0, 70.0, 90.0, 80.0];
        let pts: Vec<(f64, f64)> = xs.iter().map(|x| (*x, 0.0)).collect();
        let m = euclid(&pts);
        let order = solve(&m, false, budget());
        let walked: Vec<f64> = order.iter().map(|&i| xs[i]).collect();
        assert_eq!(
            walked,
            vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
        );
        assert!((m.walk_length(&order, false) - 90.0).abs() < 1e-9);
    }

    #[test]
    fn two_opt_untangles_a_crossing() {
        // A 4-door square: a crossing order (0,0)→(10,10)→(10,0)→(0,10) is longer than the
        // perimeter; the local search alone (no kicks) must find the perimeter.
        let pts = [
            (0.0, 0.0),
            (10.0, 10.0),
            (10.0, 0.0),
            (0.0, 10.0),
            (5.0, -1.0),
        ];
        let m = euclid(&pts);
        let mut t = Tour::new(&m, true);
        t.seq = vec![0, 1, 4, 2, 3, m.n];
        t.reindex();
        let crossing = t.cost();
        t.local_search_all();
        let fixed = t.cost();
        assert!(fixed < crossing - 1.0, "{crossing} → {fixed}");
        // Square 10 × 10 with a bump to (5, -1): 30 + 2·√26.
        assert!(
            (fixed - (30.0 + 2.0 * 26f64.sqrt())).abs() < 1e-9,
            "{fixed}"
        );
        let mut s = t.seq.clone();
        s.sort_unstable();
        assert_eq!(s, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_grid_tour_is_close_to_optimal_and_visits_each_once() {
        // 10 × 10 grid, 10 m apart, start at a corner, closed: optimal is 100 × 10 m = 1000 m.
        let pts: Vec<(f64, f64)> = (0..100)
            .map(|i| ((i % 10) as f64 * 10.0, (i / 10) as f64 * 10.0))
            .collect();
        let m = euclid(&pts);
        let order = solve(&m, true, budget());
        let mut seen = order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (1..100).collect::<Vec<_>>());
        let len = m.walk_length(&order, true);
        assert!(len <= 1000.0 * 1.03, "{len}");
    }
}
