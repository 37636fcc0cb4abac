//! The town's geometry: a warped, jittered street lattice whose cells are grouped into precincts
//! (so precinct boundaries follow streets, as real ones do), the named street network and the doors
//! along it. All positions are Lambert-93 metres rounded to the centimetre.

use std::collections::HashMap;

use super::names::{self, StreetNamer};
use super::{Projection, Rng, fbm, round_cm, value_noise};
use crate::model::error::{ModelError, ModelResult};

const SEED: u64 = 0x5A1_A0B1;
/// Lattice cells along x and y.
const NI: usize = 26;
const NJ: usize = 24;
/// Main avenue column and row (through the centre) and the half-size of the boulevard ring.
const IM: usize = NI / 2;
const JM: usize = NJ / 2;
const RING: usize = 4;

/// A lattice cell or node, as (column, row).
type Cell = (usize, usize);
type LatticeNode = (usize, usize);
/// Half-extent of the lattice in metres before noise.
const HALF_X_M: f64 = 2250.0;
const HALF_Y_M: f64 = 2050.0;
/// The town is turned by 10 degrees (cos, sin written out so no platform trig is involved).
const ROT_COS: f64 = 0.984_807_753_012_208;
const ROT_SIN: f64 = 0.173_648_177_666_930;
/// Target number of doors.
const TARGET_DOORS: f64 = 15_000.0;
/// Coarse precinct columns for each coarse row (south to north).
const PRECINCT_COLUMNS: [usize; 6] = [6, 7, 8, 8, 7, 6];

/// A polling precinct.
#[derive(Clone, Debug)]
pub(crate) struct Precinct {
    /// 1..N, 1 nearest the town hall.
    pub num: u32,
    pub name: String,
    pub quartier: String,
    /// Closed outer ring (first point repeated last), clockwise, Lambert-93.
    pub ring_l93: Vec<[f64; 2]>,
    pub centroid_l93: [f64; 2],
    /// Centroid relative to the town centre, metres.
    pub centroid_local_m: [f64; 2],
    pub area_m2: f64,
    pub doors: usize,
}

/// An OSM node.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub pos_l93: [f64; 2],
    pub lon: f64,
    pub lat: f64,
}

/// A named street (one OSM way).
#[derive(Clone, Debug)]
pub(crate) struct Street {
    pub name: String,
    pub highway: &'static str,
    /// 4-character FANTOIR-like code.
    pub fantoir: String,
    /// Indices into `Town::nodes` (OSM id = index + 1), from the end nearer the centre.
    pub nodes: Vec<usize>,
    pub length_m: f64,
}

/// A door (one BAN address).
#[derive(Clone, Debug)]
pub(crate) struct Door {
    pub street: usize,
    pub numero: u32,
    pub rep: &'static str,
    pub pos_l93: [f64; 2],
    pub lon: f64,
    pub lat: f64,
    /// Index into `Town::precincts`.
    pub precinct: usize,
    pub parcel: String,
    pub certified: bool,
}

pub(crate) struct Town {
    pub centre_l93: [f64; 2],
    pub precincts: Vec<Precinct>,
    pub nodes: Vec<Node>,
    pub streets: Vec<Street>,
    pub doors: Vec<Door>,
}

impl Town {
    pub(crate) fn street_length_km(&self) -> f64 {
        self.streets.iter().map(|s| s.length_m).sum::<f64>() / 1000.0
    }
}

/// A lattice edge: horizontal from (i, j) to (i + 1, j), vertical from (i, j) to (i, j + 1), or a
/// cell diagonal from (i, j) to (i + 1, j + 1) (`Diag`) or from (i + 1, j) to (i, j + 1) (`Anti`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum EdgeKey {
    H(usize, usize),
    V(usize, usize),
    Diag(usize, usize),
    Anti(usize, usize),
}

impl EdgeKey {
    fn ends(self) -> ((usize, usize), (usize, usize)) {
        match self {
            EdgeKey::H(i, j) => ((i, j), (i + 1, j)),
            EdgeKey::V(i, j) => ((i, j), (i, j + 1)),
            EdgeKey::Diag(i, j) => ((i, j), (i + 1, j + 1)),
            EdgeKey::Anti(i, j) => ((i + 1, j), (i, j + 1)),
        }
    }
    /// Cells on the left and right of the edge walked forward (None outside the lattice).
    fn side_cells(self) -> (Option<Cell>, Option<Cell>) {
        let cell = |i: isize, j: isize| {
            (i >= 0 && j >= 0 && (i as usize) < NI && (j as usize) < NJ)
                .then_some((i as usize, j as usize))
        };
        match self {
            EdgeKey::H(i, j) => (
                cell(i as isize, j as isize),
                cell(i as isize, j as isize - 1),
            ),
            EdgeKey::V(i, j) => (
                cell(i as isize - 1, j as isize),
                cell(i as isize, j as isize),
            ),
            EdgeKey::Diag(i, j) | EdgeKey::Anti(i, j) => (Some((i, j)), Some((i, j))),
        }
    }
}

/// What a main road is called and how it is tagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MainRoad {
    name: &'static str,
    highway: &'static str,
}

struct Lattice {
    /// Parameter-space position of each node, (NI + 1) x (NJ + 1), index i * (NJ + 1) + j.
    params: Vec<[f64; 2]>,
    centre_l93: [f64; 2],
}

impl Lattice {
    fn new(centre_l93: [f64; 2]) -> Self {
        let mut rng = Rng::derived(SEED, 1);
        let mut params = Vec::with_capacity((NI + 1) * (NJ + 1));
        for i in 0..=NI {
            for j in 0..=NJ {
                let (mut ju, mut jv) = (rng.range(-0.2, 0.2), rng.range(-0.2, 0.2));
                let on_ring_col = (i == IM - RING || i == IM + RING) && j.abs_diff(JM) <= RING;
                let on_ring_row = (j == JM - RING || j == JM + RING) && i.abs_diff(IM) <= RING;
                if i == IM || on_ring_col || i == 0 || i == NI {
                    ju = 0.0;
                }
                if j == JM || on_ring_row || j == 0 || j == NJ {
                    jv = 0.0;
                }
                if is_diagonal_node(i, j) {
                    ju *= 0.2;
                    jv *= 0.2;
                }
                let u = -1.0 + 2.0 * (i as f64 + ju) / NI as f64;
                let v = -1.0 + 2.0 * (j as f64 + jv) / NJ as f64;
                params.push([u, v]);
            }
        }
        Lattice { params, centre_l93 }
    }

    fn param(&self, (i, j): (usize, usize)) -> [f64; 2] {
        self.params[i * (NJ + 1) + j]
    }

    /// Parameter space to local metres (relative to the centre).
    fn warp(&self, [u, v]: [f64; 2]) -> [f64; 2] {
        let x0 = HALF_X_M * (0.68 * u + 0.32 * u * u * u);
        let y0 = HALF_Y_M * (0.68 * v + 0.32 * v * v * v);
        let x1 = x0 + 110.0 * fbm(SEED ^ 11, x0 / 1500.0, y0 / 1500.0);
        let y1 = y0 + 110.0 * fbm(SEED ^ 12, x0 / 1500.0, y0 / 1500.0);
        [x1 * ROT_COS - y1 * ROT_SIN, x1 * ROT_SIN + y1 * ROT_COS]
    }

    fn to_l93(&self, local: [f64; 2]) -> [f64; 2] {
        [
            round_cm(self.centre_l93[0] + local[0]),
            round_cm(self.centre_l93[1] + local[1]),
        ]
    }

    fn node_local(&self, n: (usize, usize)) -> [f64; 2] {
        self.warp(self.param(n))
    }
}

fn is_diagonal_node(i: usize, j: usize) -> bool {
    (i >= IM + RING && j >= JM + RING && i - (IM + RING) == j - (JM + RING))
        || (i <= IM - RING && j <= JM - RING && (IM - RING) - i == (JM - RING) - j)
}

/// The main road an edge belongs to, if any.
fn main_road(e: EdgeKey) -> Option<MainRoad> {
    let primary = |name| {
        Some(MainRoad {
            name,
            highway: "primary",
        })
    };
    let secondary = |name| {
        Some(MainRoad {
            name,
            highway: "secondary",
        })
    };
    match e {
        EdgeKey::H(i, j) if j == JM => match i {
            _ if i < IM - RING => primary("Route de Châteaudun"),
            _ if i < IM => primary("Avenue du Général-de-Gaulle"),
            _ if i < IM + RING => primary("Rue Nationale"),
            _ => primary("Route d'Orléans"),
        },
        EdgeKey::V(i, j) if i == IM => match j {
            _ if j < JM - RING => primary("Route de Beaugency"),
            _ if j < JM => primary("Avenue Jean-Jaurès"),
            _ if j < JM + RING => primary("Grande Rue"),
            _ => primary("Route de Chartres"),
        },
        EdgeKey::H(i, j) if j == JM - RING && (IM - RING..IM + RING).contains(&i) => {
            secondary(if i < IM {
                "Boulevard Gambetta"
            } else {
                "Boulevard Carnot"
            })
        }
        EdgeKey::H(i, j) if j == JM + RING && (IM - RING..IM + RING).contains(&i) => {
            secondary(if i < IM {
                "Boulevard Pasteur"
            } else {
                "Boulevard de la Liberté"
            })
        }
        EdgeKey::V(i, j) if i == IM - RING && (JM - RING..JM + RING).contains(&j) => {
            secondary(if j < JM {
                "Mail Sully"
            } else {
                "Mail des Tanneurs"
            })
        }
        EdgeKey::V(i, j) if i == IM + RING && (JM - RING..JM + RING).contains(&j) => {
            secondary(if j < JM {
                "Boulevard du Onze-Novembre"
            } else {
                "Boulevard Aristide-Briand"
            })
        }
        EdgeKey::Diag(i, j) if is_diagonal_node(i, j) && is_diagonal_node(i + 1, j + 1) => {
            if i >= IM {
                secondary("Avenue de Paris")
            } else {
                secondary("Route de Tours")
            }
        }
        _ => None,
    }
}

/// Names of the main roads, reserved so no other street takes them.
pub(crate) const MAIN_ROAD_STEMS: &[&str] = &[
    "Châteaudun",
    "Général-de-Gaulle",
    "Nationale",
    "Orléans",
    "Beaugency",
    "Jean-Jaurès",
    "Grande",
    "Chartres",
    "Gambetta",
    "Carnot",
    "Pasteur",
    "de la Liberté",
    "Sully",
    "des Tanneurs",
    "du Onze-Novembre",
    "Aristide-Briand",
    "Paris",
    "Tours",
    "du Marché",
    "des Halles",
];

fn smooth01(seed: u64, t: f64) -> f64 {
    0.5 + 0.5 * value_noise(seed, t, 0.37)
}

/// Which cells belong to the town: a ragged outline eaten 0-2 cells into the lattice.
fn town_cells() -> Vec<Vec<bool>> {
    let depth =
        |seed: u64, t: usize| (2.99 * smooth01(SEED ^ seed, t as f64 * 0.31)).floor() as usize;
    let mut cells = vec![vec![true; NJ]; NI];
    for (i, col) in cells.iter_mut().enumerate() {
        for (j, c) in col.iter_mut().enumerate() {
            if j < depth(21, i)
                || NJ - 1 - j < depth(22, i)
                || i < depth(23, j)
                || NI - 1 - i < depth(24, j)
            {
                *c = false;
            }
        }
    }
    cells
}

/// Precinct of each cell (None outside the town): coarse rows of lattice rows, each split into
/// columns whose boundaries jog by one block here and there.
fn assign_precincts(in_town: &[Vec<bool>]) -> Vec<Vec<Option<usize>>> {
    let mut rng = Rng::derived(SEED, 2);
    let rows = PRECINCT_COLUMNS.len();
    let mut row_bounds = vec![0usize];
    for k in 1..rows {
        let base = (k * NJ + rows / 2) / rows;
        let jitter = rng.below(3) as isize - 1;
        let lo = row_bounds[k - 1] + 3;
        row_bounds.push(((base as isize + jitter) as usize).max(lo));
    }
    row_bounds.push(NJ);
    let mut assign = vec![vec![None; NJ]; NI];
    let mut next_id = 0;
    let mut ids = Vec::new();
    for (r, &cols) in PRECINCT_COLUMNS.iter().enumerate() {
        let mut bounds = vec![0usize];
        for k in 1..cols {
            let base = (k * NI + cols / 2) / cols;
            let jitter = rng.below(3) as isize - 1;
            let b = ((base as isize + jitter) as usize).max(bounds[k - 1] + 3);
            bounds.push(b);
        }
        bounds.push(NI);
        let row_ids: Vec<usize> = (0..cols).map(|c| next_id + c).collect();
        next_id += cols;
        for j in row_bounds[r]..row_bounds[r + 1] {
            for i in 0..NI {
                // Column boundaries shift one block east in runs of rows.
                let mut c = 0;
                for k in 1..cols {
                    let shift = usize::from(
                        value_noise(SEED ^ 31, k as f64 * 7.3 + r as f64 * 13.1, j as f64 * 0.45)
                            > 0.2,
                    );
                    let b = (bounds[k] + shift)
                        .min(bounds[k + 1] - 1)
                        .max(bounds[k - 1] + 2);
                    if i >= b {
                        c = k;
                    }
                }
                if in_town[i][j] {
                    assign[i][j] = Some(row_ids[c]);
                }
            }
        }
        ids.push(row_ids);
    }
    // Drop two corner precincts for an irregular outline.
    let dropped = [ids[0][0], *ids[rows - 1].last().unwrap()];
    for col in assign.iter_mut() {
        for c in col.iter_mut() {
            if c.is_some_and(|p| dropped.contains(&p)) {
                *c = None;
            }
        }
    }
    repair_components(&mut assign);
    // Renumber densely.
    let mut seen: Vec<usize> = assign.iter().flatten().flatten().copied().collect();
    seen.sort_unstable();
    seen.dedup();
    for col in assign.iter_mut() {
        for p in col.iter_mut().flatten() {
            *p = seen.binary_search(p).unwrap();
        }
    }
    assign
}

fn cell_neighbours(i: usize, j: usize) -> impl Iterator<Item = (usize, usize)> {
    [(0isize, -1isize), (1, 0), (0, 1), (-1, 0)]
        .into_iter()
        .filter_map(move |(di, dj)| {
            let (a, b) = (i as isize + di, j as isize + dj);
            (a >= 0 && b >= 0 && (a as usize) < NI && (b as usize) < NJ)
                .then_some((a as usize, b as usize))
        })
}

/// Gives cells cut off from the main part of their precinct to a neighbouring precinct, and
/// removes pinch points (two cells of a precinct touching only at a corner).
fn repair_components(assign: &mut [Vec<Option<usize>>]) {
    for _ in 0..20 {
        let mut changed = false;
        let max_id = assign
            .iter()
            .flatten()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0);
        for p in 0..=max_id {
            let cells: Vec<(usize, usize)> = (0..NI)
                .flat_map(|i| (0..NJ).map(move |j| (i, j)))
                .filter(|&(i, j)| assign[i][j] == Some(p))
                .collect();
            if cells.is_empty() {
                continue;
            }
            // Components by 4-connectivity.
            let mut comp = vec![vec![usize::MAX; NJ]; NI];
            let mut sizes = Vec::new();
            for &(i, j) in &cells {
                if comp[i][j] != usize::MAX {
                    continue;
                }
                let id = sizes.len();
                let mut stack = vec![(i, j)];
                comp[i][j] = id;
                let mut n = 0;
                while let Some((a, b)) = stack.pop() {
                    n += 1;
                    for (c, d) in cell_neighbours(a, b) {
                        if assign[c][d] == Some(p) && comp[c][d] == usize::MAX {
                            comp[c][d] = id;
                            stack.push((c, d));
                        }
                    }
                }
                sizes.push(n);
            }
            let biggest = (0..sizes.len())
                .max_by_key(|&k| (sizes[k], usize::MAX - k))
                .unwrap();
            for &(i, j) in &cells {
                if comp[i][j] != biggest {
                    let other = cell_neighbours(i, j)
                        .filter_map(|(c, d)| assign[c][d])
                        .find(|&q| q != p);
                    assign[i][j] = other;
                    changed = true;
                }
            }
        }
        // Pinch points: around each interior vertex, diagonal cells equal and the others different.
        for i in 1..NI {
            for j in 1..NJ {
                let (a, b, c, d) = (
                    assign[i - 1][j - 1],
                    assign[i][j - 1],
                    assign[i][j],
                    assign[i - 1][j],
                );
                // The town outline itself touching at a corner: fill one of the empty cells.
                if a.is_some() && c.is_some() && b.is_none() && d.is_none() {
                    assign[i][j - 1] = a;
                    changed = true;
                } else if b.is_some() && d.is_some() && a.is_none() && c.is_none() {
                    assign[i - 1][j - 1] = b;
                    changed = true;
                } else if a.is_some() && a == c && b != a && d != a {
                    assign[i][j - 1] = a;
                    changed = true;
                } else if b.is_some() && b == d && a != b && c != b {
                    assign[i - 1][j - 1] = b;
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

/// Door density multiplier of each cell: 0 in the park and the sports ground, low in the business
/// park, 1 elsewhere.
fn cell_housing(i: usize, j: usize) -> f64 {
    match (i, j) {
        (10, 13) | (11, 13) => 0.0, // Parc du Château
        (17, 7) => 0.0,             // Stade municipal
        (20..=22, 15..=16) => 0.2,  // Zone d'activités des Sablons
        _ => 1.0,
    }
}

struct EdgeGeom {
    /// Polyline from the first end to the second, Lambert-93, including both ends.
    points_l93: Vec<[f64; 2]>,
    local: Vec<[f64; 2]>,
}

fn edge_geometry(lattice: &Lattice, e: EdgeKey, rng: &mut Rng) -> EdgeGeom {
    let (a, b) = e.ends();
    let (pa, pb) = (lattice.param(a), lattice.param(b));
    let (la, lb) = (lattice.warp(pa), lattice.warp(pb));
    let chord = [lb[0] - la[0], lb[1] - la[1]];
    let len = (chord[0] * chord[0] + chord[1] * chord[1]).sqrt();
    let normal = [-chord[1] / len, chord[0] / len];
    let bow = if main_road(e).is_some() || rng.chance(0.45) {
        0.0
    } else {
        rng.range(-11.0, 11.0)
    };
    let segments = ((len / 30.0).ceil() as usize).max(2);
    let mut local = Vec::with_capacity(segments + 1);
    for k in 0..=segments {
        let t = k as f64 / segments as f64;
        let p = match k {
            0 => la,
            _ if k == segments => lb,
            _ => lattice.warp([pa[0] + (pb[0] - pa[0]) * t, pa[1] + (pb[1] - pa[1]) * t]),
        };
        let off = bow * 4.0 * t * (1.0 - t);
        local.push([p[0] + normal[0] * off, p[1] + normal[1] * off]);
    }
    let points_l93 = local.iter().map(|&p| lattice.to_l93(p)).collect();
    EdgeGeom { points_l93, local }
}

fn ring_area_m2(ring: &[[f64; 2]]) -> f64 {
    let mut a = 0.0;
    for w in ring.windows(2) {
        a += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    a / 2.0
}

fn ring_centroid(ring: &[[f64; 2]]) -> [f64; 2] {
    let (mut cx, mut cy, mut a) = (0.0, 0.0, 0.0);
    let o = ring[0];
    for w in ring.windows(2) {
        let (x0, y0, x1, y1) = (
            w[0][0] - o[0],
            w[0][1] - o[1],
            w[1][0] - o[0],
            w[1][1] - o[1],
        );
        let cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    [o[0] + cx / (3.0 * a), o[1] + cy / (3.0 * a)]
}

pub(crate) fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Traces the outline of the cells of precinct `p` as a counter-clockwise list of directed edges.
fn trace_precinct(assign: &[Vec<Option<usize>>], p: usize) -> ModelResult<Vec<(EdgeKey, bool)>> {
    // Directed boundary sides, CCW around each cell: (from node, to node, edge, forward?).
    let mut outgoing: HashMap<LatticeNode, Vec<(LatticeNode, EdgeKey, bool)>> = HashMap::new();
    let mut count = 0;
    for i in 0..NI {
        for j in 0..NJ {
            if assign[i][j] != Some(p) {
                continue;
            }
            let other = |a: isize, b: isize| -> bool {
                !(a >= 0
                    && b >= 0
                    && (a as usize) < NI
                    && (b as usize) < NJ
                    && assign[a as usize][b as usize] == Some(p))
            };
            let (ii, jj) = (i as isize, j as isize);
            if other(ii, jj - 1) {
                outgoing
                    .entry((i, j))
                    .or_default()
                    .push(((i + 1, j), EdgeKey::H(i, j), true));
                count += 1;
            }
            if other(ii + 1, jj) {
                outgoing.entry((i + 1, j)).or_default().push((
                    (i + 1, j + 1),
                    EdgeKey::V(i + 1, j),
                    true,
                ));
                count += 1;
            }
            if other(ii, jj + 1) {
                outgoing.entry((i + 1, j + 1)).or_default().push((
                    (i, j + 1),
                    EdgeKey::H(i, j + 1),
                    false,
                ));
                count += 1;
            }
            if other(ii - 1, jj) {
                outgoing
                    .entry((i, j + 1))
                    .or_default()
                    .push(((i, j), EdgeKey::V(i, j), false));
                count += 1;
            }
        }
    }
    if outgoing.values().any(|v| v.len() != 1) {
        return Err(ModelError::Invalid(format!(
            "sample city: precinct {p} has a pinch point"
        )));
    }
    let start = *outgoing
        .keys()
        .min()
        .ok_or_else(|| ModelError::Invalid(format!("sample city: precinct {p} is empty")))?;
    let mut ring = Vec::new();
    let mut at = start;
    loop {
        let (to, e, fwd) = outgoing[&at][0];
        ring.push((e, fwd));
        at = to;
        if at == start {
            break;
        }
    }
    if ring.len() != count {
        return Err(ModelError::Invalid(format!(
            "sample city: precinct {p} is not one simple polygon"
        )));
    }
    Ok(ring)
}

/// A street as a run of directed lattice edges.
struct StreetPlan {
    name: String,
    highway: &'static str,
    edges: Vec<(EdgeKey, bool)>,
}

pub(crate) fn build(projection: &Projection) -> ModelResult<Town> {
    let centre = projection.to_l93(super::SAMPLE_CITY_CENTRE_LON_LAT)?;
    let centre_l93 = [centre[0].round(), centre[1].round()];
    let lattice = Lattice::new(centre_l93);
    let in_town = town_cells();
    let assign = assign_precincts(&in_town);
    let precinct_count = assign
        .iter()
        .flatten()
        .flatten()
        .copied()
        .max()
        .map_or(0, |m| m + 1);
    let cell_in_town = |c: Option<(usize, usize)>| c.is_some_and(|(i, j)| assign[i][j].is_some());

    // Every lattice edge touching the town, with its geometry.
    let mut rng = Rng::derived(SEED, 3);
    let mut geoms: HashMap<EdgeKey, EdgeGeom> = HashMap::new();
    let mut all_edges = Vec::new();
    for i in 0..=NI {
        for j in 0..=NJ {
            if i < NI {
                all_edges.push(EdgeKey::H(i, j));
            }
            if j < NJ {
                all_edges.push(EdgeKey::V(i, j));
            }
            if i < NI && j < NJ {
                all_edges.push(EdgeKey::Diag(i, j));
                all_edges.push(EdgeKey::Anti(i, j));
            }
        }
    }
    let touches_town = |e: EdgeKey| {
        let (l, r) = e.side_cells();
        cell_in_town(l) || cell_in_town(r)
    };
    let mut road_edges: Vec<EdgeKey> = Vec::new();
    for &e in &all_edges {
        let is_grid = matches!(e, EdgeKey::H(..) | EdgeKey::V(..));
        let is_main = main_road(e).is_some();
        if touches_town(e) && (is_grid || is_main) {
            road_edges.push(e);
        }
        if touches_town(e)
            && (is_grid || is_main || matches!(e, EdgeKey::Anti(..) | EdgeKey::Diag(..)))
        {
            geoms.insert(e, edge_geometry(&lattice, e, &mut rng));
        }
    }

    // Remove some residential edges (blocks merge, dead ends appear) while keeping one network.
    let mut present: HashMap<EdgeKey, bool> = road_edges.iter().map(|&e| (e, true)).collect();
    let mut candidates: Vec<EdgeKey> = road_edges
        .iter()
        .copied()
        .filter(|&e| main_road(e).is_none())
        .collect();
    rng.shuffle(&mut candidates);
    let to_remove = candidates.len() * 11 / 100;
    let mut removed = 0;
    for &e in &candidates {
        if removed >= to_remove {
            break;
        }
        let (l, r) = e.side_cells();
        // The outline keeps its streets more often.
        if !(cell_in_town(l) && cell_in_town(r)) && rng.chance(0.6) {
            continue;
        }
        present.insert(e, false);
        if connected(&road_edges, &present) {
            removed += 1;
        } else {
            present.insert(e, true);
        }
    }
    let road_present = |e: EdgeKey| present.get(&e).copied().unwrap_or(false);
    let mut degree: HashMap<(usize, usize), usize> = HashMap::new();
    for &e in &road_edges {
        if road_present(e) {
            let (a, b) = e.ends();
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
        }
    }

    // Streets: runs of edges along lattice lines.
    let mut namer = StreetNamer::new(SEED, MAIN_ROAD_STEMS);
    let mut plans: Vec<StreetPlan> = Vec::new();
    let mut lines: Vec<Vec<EdgeKey>> = Vec::new();
    for j in 0..=NJ {
        lines.push((0..NI).map(|i| EdgeKey::H(i, j)).collect());
    }
    for i in 0..=NI {
        lines.push((0..NJ).map(|j| EdgeKey::V(i, j)).collect());
    }
    lines.push(
        (0..)
            .map_while(|k| {
                (IM + RING + k < NI && JM + RING + k < NJ)
                    .then(|| EdgeKey::Diag(IM + RING + k, JM + RING + k))
            })
            .collect(),
    );
    lines.push(
        (1..)
            .map_while(|k| (JM - RING >= k).then(|| EdgeKey::Diag(IM - RING - k, JM - RING - k)))
            .collect(),
    );
    let mut main_seen: Vec<&'static str> = Vec::new();
    for line in &lines {
        let mut k = 0;
        while k < line.len() {
            if !road_present(line[k]) {
                k += 1;
                continue;
            }
            let key = main_road(line[k]);
            let mut end = k + 1;
            while end < line.len() && road_present(line[end]) && main_road(line[end]) == key {
                end += 1;
            }
            let run: Vec<EdgeKey> = line[k..end].to_vec();
            k = end;
            if let Some(main) = key {
                if main_seen.contains(&main.name) {
                    return Err(ModelError::Invalid(format!(
                        "sample city: main road {} is cut",
                        main.name
                    )));
                }
                main_seen.push(main.name);
                plans.push(StreetPlan {
                    name: main.name.to_string(),
                    highway: main.highway,
                    edges: run.iter().map(|&e| (e, true)).collect(),
                });
                continue;
            }
            // Residential: split into streets of 3-7 blocks.
            let mut s = 0;
            while s < run.len() {
                let mut len = 3 + rng.below(5);
                if run.len() - s - len.min(run.len() - s) < 2 {
                    len = run.len() - s;
                }
                let chunk: Vec<EdgeKey> = run[s..(s + len).min(run.len())].to_vec();
                s += chunk.len();
                let (first, _) = chunk[0].ends();
                let (_, last) = chunk[chunk.len() - 1].ends();
                let dead_end = degree.get(&first) == Some(&1) || degree.get(&last) == Some(&1);
                let mid = lattice.node_local(chunk[chunk.len() / 2].ends().0);
                let r = (mid[0] * mid[0] + mid[1] * mid[1]).sqrt() / HALF_X_M;
                let name = namer.next(&mut rng, r, chunk.len(), dead_end && chunk.len() <= 2);
                plans.push(StreetPlan {
                    name,
                    highway: "residential",
                    edges: chunk.iter().map(|&e| (e, true)).collect(),
                });
            }
        }
    }
    // Two pedestrian streets in the centre.
    let mut by_dist: Vec<(f64, usize)> = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.highway == "residential" && p.edges.len() >= 2)
        .map(|(k, p)| {
            let m = lattice.node_local(p.edges[p.edges.len() / 2].0.ends().0);
            (m[0] * m[0] + m[1] * m[1], k)
        })
        .collect();
    by_dist.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (&(_, k), name) in by_dist.iter().zip(["Rue du Marché", "Rue des Halles"]) {
        plans[k].name = name.to_string();
        plans[k].highway = "pedestrian";
    }
    // Footpaths: cell diagonals across some blocks (not the avenues' cells).
    let mut foot_cells: Vec<(usize, usize)> = (0..NI)
        .flat_map(|i| (0..NJ).map(move |j| (i, j)))
        .filter(|&(i, j)| {
            assign[i][j].is_some() && !is_diagonal_node(i, j) && !is_diagonal_node(i + 1, j + 1)
        })
        .collect();
    rng.shuffle(&mut foot_cells);
    for &(i, j) in foot_cells.iter().take(18) {
        let e = if rng.chance(0.5) {
            EdgeKey::Diag(i, j)
        } else {
            EdgeKey::Anti(i, j)
        };
        let (a, b) = e.ends();
        if degree.get(&a).copied().unwrap_or(0) == 0 || degree.get(&b).copied().unwrap_or(0) == 0 {
            continue;
        }
        let name = namer.footpath(&mut rng);
        plans.push(StreetPlan {
            name,
            highway: "footway",
            edges: vec![(e, true)],
        });
    }
    // Orient every street from the end nearer the centre.
    for plan in &mut plans {
        let start = node_of(plan.edges[0]).0;
        let end = node_of(*plan.edges.last().unwrap()).1;
        let d = |n: (usize, usize)| {
            let p = lattice.node_local(n);
            p[0] * p[0] + p[1] * p[1]
        };
        if d(end) < d(start) {
            plan.edges.reverse();
            for e in &mut plan.edges {
                e.1 = !e.1;
            }
        }
    }

    // Precinct polygons.
    let mut raw_precincts = Vec::new();
    for p in 0..precinct_count {
        let sides = trace_precinct(&assign, p)?;
        let mut ring: Vec<[f64; 2]> = Vec::new();
        for (e, fwd) in sides {
            let g = &geoms[&e];
            let pts: Vec<[f64; 2]> = if fwd {
                g.points_l93.clone()
            } else {
                g.points_l93.iter().rev().copied().collect()
            };
            ring.extend_from_slice(&pts[..pts.len() - 1]);
        }
        ring.push(ring[0]);
        ring.reverse(); // clockwise, as ESRI wants outer rings
        let area = -ring_area_m2(&ring);
        let centroid = ring_centroid(&ring);
        raw_precincts.push((p, ring, area, centroid));
    }
    // Number from the town hall outwards.
    let mut order: Vec<usize> = (0..precinct_count).collect();
    let dist2 = |c: [f64; 2]| (c[0] - centre_l93[0]).powi(2) + (c[1] - centre_l93[1]).powi(2);
    order.sort_by(|&a, &b| {
        dist2(raw_precincts[a].3)
            .total_cmp(&dist2(raw_precincts[b].3))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0; precinct_count];
    for (n, &p) in order.iter().enumerate() {
        rank[p] = n;
    }
    let venue_names = names::polling_places(
        &mut Rng::derived(SEED, 4),
        &order
            .iter()
            .map(|&p| {
                let c = raw_precincts[p].3;
                [c[0] - centre_l93[0], c[1] - centre_l93[1]]
            })
            .collect::<Vec<_>>(),
    );
    let mut precincts: Vec<Precinct> = order
        .iter()
        .enumerate()
        .map(|(n, &p)| {
            let (_, ring, area, c) = &raw_precincts[p];
            let local = [c[0] - centre_l93[0], c[1] - centre_l93[1]];
            Precinct {
                num: n as u32 + 1,
                name: venue_names[n].clone(),
                quartier: names::quartier(local),
                ring_l93: ring.clone(),
                centroid_l93: *c,
                centroid_local_m: local,
                area_m2: *area,
                doors: 0,
            }
        })
        .collect();

    // OSM nodes and ways.
    let mut node_index: HashMap<(EdgeKey, usize), usize> = HashMap::new();
    let mut lattice_index: HashMap<(usize, usize), usize> = HashMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut streets: Vec<Street> = Vec::new();
    let mut street_spans: Vec<Vec<Span>> = Vec::new();
    for plan in &plans {
        let mut refs = Vec::new();
        let mut spans = Vec::new();
        let mut s_m = 0.0;
        for (k, &(e, fwd)) in plan.edges.iter().enumerate() {
            let g = &geoms[&e];
            let n = g.points_l93.len();
            let (a, b) = e.ends();
            let idx: Vec<usize> = (0..n).collect();
            let ordered: Vec<usize> = if fwd {
                idx
            } else {
                idx.into_iter().rev().collect()
            };
            let (l, r) = e.side_cells();
            let (left, right) = if fwd { (l, r) } else { (r, l) };
            let mut local = Vec::new();
            for (m, &q) in ordered.iter().enumerate() {
                if k > 0 && m == 0 {
                    continue;
                }
                let id = if q == 0 || q == n - 1 {
                    let ln = if q == 0 { a } else { b };
                    *lattice_index.entry(ln).or_insert_with(|| {
                        nodes.push(Node {
                            pos_l93: g.points_l93[q],
                            lon: 0.0,
                            lat: 0.0,
                        });
                        nodes.len() - 1
                    })
                } else {
                    *node_index.entry((e, q)).or_insert_with(|| {
                        nodes.push(Node {
                            pos_l93: g.points_l93[q],
                            lon: 0.0,
                            lat: 0.0,
                        });
                        nodes.len() - 1
                    })
                };
                refs.push(id);
            }
            for &q in &ordered {
                local.push(g.local[q]);
            }
            let len: f64 = local.windows(2).map(|w| dist(w[0], w[1])).sum();
            spans.push(Span {
                s0: s_m,
                points_local: local,
                left,
                right,
            });
            s_m += len;
        }
        streets.push(Street {
            name: plan.name.clone(),
            highway: plan.highway,
            fantoir: String::new(),
            nodes: refs,
            length_m: s_m,
        });
        street_spans.push(spans);
    }
    for n in &mut nodes {
        let (lon, lat) = projection.to_lon_lat(n.pos_l93)?;
        n.lon = lon;
        n.lat = lat;
    }
    for (k, s) in streets.iter_mut().enumerate() {
        s.fantoir = format!("{:04}", 10 + 5 * k);
    }

    // Doors: two passes, the first to scale the spacing to the target count.
    let cell_precinct =
        |c: Option<(usize, usize)>| c.and_then(|(i, j)| assign[i][j]).map(|p| rank[p]);
    let ctx = DoorContext {
        streets: &streets,
        spans: &street_spans,
        lattice: &lattice,
        precincts: &precincts,
        cell_precinct: &cell_precinct,
    };
    let first = place_doors(&ctx, 1.0);
    let scale = first.len() as f64 / TARGET_DOORS;
    let mut doors = place_doors(&ctx, scale);
    for d in &mut doors {
        let (lon, lat) = projection.to_lon_lat(d.pos_l93)?;
        d.lon = lon;
        d.lat = lat;
        precincts[d.precinct].doors += 1;
    }
    Ok(Town {
        centre_l93,
        precincts,
        nodes,
        streets,
        doors,
    })
}

fn node_of((e, fwd): (EdgeKey, bool)) -> ((usize, usize), (usize, usize)) {
    let (a, b) = e.ends();
    if fwd { (a, b) } else { (b, a) }
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// True if all lattice nodes touched by present edges form one component.
fn connected(edges: &[EdgeKey], present: &HashMap<EdgeKey, bool>) -> bool {
    let idx = |(i, j): (usize, usize)| i * (NJ + 1) + j;
    let n = (NI + 1) * (NJ + 1);
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut touched = vec![false; n];
    for &e in edges {
        let (a, b) = e.ends();
        touched[idx(a)] = true;
        touched[idx(b)] = true;
        if present[&e] {
            adj[idx(a)].push(idx(b));
            adj[idx(b)].push(idx(a));
        }
    }
    let Some(start) = (0..n).find(|&k| touched[k]) else {
        return true;
    };
    let mut seen = vec![false; n];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(k) = stack.pop() {
        for &m in &adj[k] {
            if !seen[m] {
                seen[m] = true;
                stack.push(m);
            }
        }
    }
    (0..n).all(|k| !touched[k] || seen[k])
}

/// One lattice edge of a street, walked in the street's direction.
struct Span {
    s0: f64,
    points_local: Vec<[f64; 2]>,
    left: Option<(usize, usize)>,
    right: Option<(usize, usize)>,
}

struct DoorContext<'a> {
    streets: &'a [Street],
    spans: &'a [Vec<Span>],
    lattice: &'a Lattice,
    precincts: &'a [Precinct],
    cell_precinct: &'a dyn Fn(Option<(usize, usize)>) -> Option<usize>,
}

/// Point and unit left normal at distance `s` along a span.
fn span_point(span: &Span, s: f64) -> ([f64; 2], [f64; 2]) {
    let mut rest = s - span.s0;
    let last = span.points_local.len() - 2;
    for (k, w) in span.points_local.windows(2).enumerate() {
        let l = dist(w[0], w[1]);
        if rest <= l || k == last {
            let t = (rest / l).clamp(0.0, 1.0);
            let p = [
                w[0][0] + (w[1][0] - w[0][0]) * t,
                w[0][1] + (w[1][1] - w[0][1]) * t,
            ];
            let n = [-(w[1][1] - w[0][1]) / l, (w[1][0] - w[0][0]) / l];
            return (p, n);
        }
        rest -= l;
    }
    unreachable!("span with fewer than two points")
}

fn place_doors(ctx: &DoorContext, scale: f64) -> Vec<Door> {
    let mut rng = Rng::derived(SEED, 5);
    let mut doors = Vec::new();
    let mut parcel_counters: HashMap<String, u32> = HashMap::new();
    for (sid, street) in ctx.streets.iter().enumerate() {
        if street.highway == "footway" {
            continue;
        }
        let spans = &ctx.spans[sid];
        let street_factor = rng.range(0.8, 1.25);
        let junctions: Vec<f64> = spans
            .iter()
            .map(|s| s.s0)
            .chain([street.length_m])
            .collect();
        for side in [1.0f64, -1.0] {
            let mut numero: u32 = if side > 0.0 { 1 } else { 2 };
            let mut s = rng.range(10.0, 20.0);
            let mut pending_rep: Option<&'static str> = None;
            let mut last_numero = 0;
            while s < street.length_m - 10.0 {
                let span_k = spans.iter().rposition(|sp| sp.s0 <= s).unwrap_or(0);
                let span = &spans[span_k];
                let (p, n) = span_point(span, s);
                let r = (p[0] * p[0] + p[1] * p[1]).sqrt() / HALF_X_M;
                let cell = if side > 0.0 { span.left } else { span.right };
                let housing = cell.map_or(0.0, |(i, j)| cell_housing(i, j));
                let spacing =
                    scale * street_factor * (7.0 + 30.0 * r.powf(1.4)) * rng.range(0.75, 1.3);
                let near_junction = junctions.iter().any(|&js| (js - s).abs() < 14.0);
                if near_junction {
                    s += 4.0;
                    continue;
                }
                if housing <= 0.0 || (housing < 1.0 && !rng.chance(housing)) {
                    s += spacing.max(10.0) * 1.5;
                    continue;
                }
                let off = rng.range(8.0, 12.0) * side;
                let pos_local = [p[0] + n[0] * off, p[1] + n[1] * off];
                let pos_l93 = ctx.lattice.to_l93(pos_local);
                let Some(pi) = (ctx.cell_precinct)(cell) else {
                    s += spacing;
                    continue;
                };
                if !point_in_ring(pos_l93, &ctx.precincts[pi].ring_l93) {
                    s += spacing;
                    continue;
                }
                let rep = pending_rep.take().unwrap_or("");
                let this_numero = if rep.is_empty() { numero } else { last_numero };
                if rep.is_empty() {
                    last_numero = numero;
                    numero += 2;
                    if rng.chance(0.07) {
                        numero += 2;
                    }
                    if rng.chance(0.035) {
                        pending_rep = Some("bis");
                    }
                } else if rep == "bis" && rng.chance(0.15) {
                    pending_rep = Some("ter");
                }
                let (ci, cj) = cell.unwrap_or((0, 0));
                let section = names::cadastre_section(ci / 3, cj / 3);
                let counter = parcel_counters.entry(section.clone()).or_insert(0);
                *counter += 1 + rng.below(3) as u32;
                doors.push(Door {
                    street: sid,
                    numero: this_numero,
                    rep,
                    pos_l93,
                    lon: 0.0,
                    lat: 0.0,
                    precinct: pi,
                    parcel: format!(
                        "{}000{}{:04}",
                        super::SAMPLE_CITY_CODE_INSEE,
                        section,
                        *counter
                    ),
                    certified: rng.chance(0.7),
                });
                s += if pending_rep.is_some() {
                    spacing * 0.4
                } else {
                    spacing
                };
            }
        }
    }
    doors
}
