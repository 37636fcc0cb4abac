//! Auto-cut: one or more precincts (or a drawn area) cut into contiguous, compact turfs of
//! balanced door counts.
//!
//! 1. Doors → [`units`]: buildings (never split), then street units (both sides of a short
//!    street segment together).
//! 2. Delaunay neighbours and Voronoi cells of the buildings ([`cells`]). Two units are
//!    neighbours when two of their buildings are, the edge between them crosses no barrier line
//!    (major roads, when given) and its midpoint is inside the area. If that graph falls apart,
//!    the shortest other edges (barrier crossings last) join the pieces: a road is crossed only
//!    when it cannot be avoided.
//! 3. [`partition`]: recursive principal-axis bisection with repair and balancing.
//! 4. Each turf's outline is the union of its buildings' cells, clipped to the area: the turfs
//!    tile the area without overlapping, and every door is inside its turf.
//!
//! The report gives the doors per turf (min, max, max/min), Polsby-Popper compactness and
//! whether each turf is in one piece.

use std::collections::{BTreeSet, HashMap};

use geo::{Area, BooleanOps, BoundingRect, Distance, Euclidean, Intersects};
use geo_types::{Coord, Line, LineString, MultiPolygon, Point};
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::progress::Progress;
use crate::model::storage;
use crate::model::turfs::cells::cells;
use crate::model::turfs::doors::{DoorFilter, doors_inside};
use crate::model::turfs::frame::{LocalFrame, area_m2, polsby_popper};
use crate::model::turfs::partition::{UnitGraph, partition};
use crate::model::turfs::shape::{MIN_AREA_M2, clip_to_free};
use crate::model::turfs::units::{CutDoor, buildings, street_units};
use crate::model::turfs::{PALETTE, Turf, TurfStatus};

/// Tuning of the cutter.
#[derive(Clone, Debug, PartialEq)]
pub struct CutParams {
    /// How many turfs.
    pub parts: usize,
    /// Longest street segment kept whole (both sides), metres.
    pub segment_m: f64,
    /// Most doors in one street unit (a building may hold more: it is never split).
    pub max_unit_doors: usize,
}

/// One turf of a cut, in the cut's metric frame.
#[derive(Clone, Debug)]
pub struct CutPiece {
    /// Indices into the cut's doors.
    pub doors: Vec<usize>,
    pub buildings: usize,
    pub geom_m: MultiPolygon<f64>,
}

fn drop_small(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(
        mp.0.into_iter()
            .filter(|p| p.unsigned_area() >= MIN_AREA_M2)
            .collect(),
    )
}

fn crosses(line: &Line<f64>, barriers: &[(geo_types::Rect<f64>, &LineString<f64>)]) -> bool {
    let r = line.bounding_rect();
    barriers
        .iter()
        .any(|(br, b)| br.intersects(&r) && b.intersects(line))
}

/// Cuts `doors` (metres) inside `area_m` into `params.parts` turfs (fewer when there are fewer
/// street units). `barriers_m` are lines not to cross when avoidable.
pub fn cut_doors(
    area_m: &MultiPolygon<f64>,
    doors: &[CutDoor],
    barriers_m: &[LineString<f64>],
    params: &CutParams,
) -> ModelResult<Vec<CutPiece>> {
    if doors.is_empty() {
        return Ok(Vec::new());
    }
    let blds = buildings(doors);
    let sites: Vec<Coord<f64>> = blds.iter().map(|b| b.pos_m).collect();
    let tri = cells(&sites)?;
    let barriers: Vec<(geo_types::Rect<f64>, &LineString<f64>)> = barriers_m
        .iter()
        .filter_map(|b| Some((b.bounding_rect()?, b)))
        .collect();
    // Building edges: strong (inside the area, no barrier) or weak (kept for connectivity).
    let mut strong: Vec<(usize, usize)> = Vec::new();
    let mut weak: Vec<(bool, f64, usize, usize)> = Vec::new();
    for (&(a, b), shared) in tri.edges.iter().zip(&tri.shared) {
        let line = Line::new(sites[a], sites[b]);
        let barrier = !barriers.is_empty() && crosses(&line, &barriers);
        // The cells touch inside the area when their shared edge reaches into it.
        if !barrier && area_m.intersects(shared) {
            strong.push((a, b));
        } else {
            weak.push((barrier, Euclidean.distance(sites[a], sites[b]), a, b));
        }
    }
    let units = street_units(&blds, &strong, params.segment_m, params.max_unit_doors);
    let mut unit_of = vec![0; blds.len()];
    for (u, list) in units.iter().enumerate() {
        for &b in list {
            unit_of[b] = u;
        }
    }
    let n = units.len();
    let weight: Vec<usize> = units
        .iter()
        .map(|list| list.iter().map(|&b| blds[b].doors.len()).sum())
        .collect();
    let pos_m: Vec<Coord<f64>> = units
        .iter()
        .zip(&weight)
        .map(|(list, &w)| {
            let (x, y) = list.iter().fold((0.0, 0.0), |(x, y), &b| {
                let d = blds[b].doors.len() as f64;
                (x + blds[b].pos_m.x * d, y + blds[b].pos_m.y * d)
            });
            Coord {
                x: x / w as f64,
                y: y / w as f64,
            }
        })
        .collect();
    // Unit edges in three tiers: inside the area, outside it, across a barrier.
    let mut tiers: [Vec<(f64, usize, usize)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for &(a, b) in &strong {
        let (ua, ub) = (unit_of[a], unit_of[b]);
        if ua != ub {
            tiers[0].push((0.0, ua, ub));
        }
    }
    for &(barrier, len, a, b) in &weak {
        let (ua, ub) = (unit_of[a], unit_of[b]);
        if ua != ub {
            tiers[if barrier { 2 } else { 1 }].push((len, ua, ub));
        }
    }
    for t in &mut tiers {
        t.sort_by(|x, y| x.0.total_cmp(&y.0));
    }
    // Regions: what barriers separate. Each gets turfs in proportion to its doors; a region too
    // small for one joins its neighbour across the barrier.
    let mut region = UnionFind::new(n);
    for &(_, a, b) in tiers[0].iter().chain(&tiers[1]) {
        region.union(a, b);
    }
    let total: usize = weight.iter().sum();
    let share = |w: usize| w as f64 * params.parts as f64 / total as f64;
    for &(_, a, b) in &tiers[2] {
        let (ra, rb) = (region.find(a), region.find(b));
        if ra != rb {
            let wa: usize = (0..n)
                .filter(|&u| region.find(u) == ra)
                .map(|u| weight[u])
                .sum();
            let wb: usize = (0..n)
                .filter(|&u| region.find(u) == rb)
                .map(|u| weight[u])
                .sum();
            if share(wa) < 0.5 || share(wb) < 0.5 {
                region.union(a, b);
            }
        }
    }
    let mut regions: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for u in 0..n {
        let r = region.find(u);
        let k = *slot.entry(r).or_insert_with(|| {
            regions.push(Vec::new());
            regions.len() - 1
        });
        regions[k].push(u);
    }
    // Turfs per region: largest remainder, at least one each.
    let shares: Vec<f64> = regions
        .iter()
        .map(|r| share(r.iter().map(|&u| weight[u]).sum()))
        .collect();
    let mut alloc: Vec<usize> = shares.iter().map(|s| (s.floor() as usize).max(1)).collect();
    while alloc.iter().sum::<usize>() < params.parts {
        let (i, _) = shares
            .iter()
            .enumerate()
            .max_by(|a, b| (a.1 - alloc[a.0] as f64).total_cmp(&(b.1 - alloc[b.0] as f64)))
            .expect("one region at least");
        alloc[i] += 1;
    }
    let mut label = vec![0usize; n];
    let mut parts = 0;
    for (r, units_r) in regions.iter().enumerate() {
        let index: HashMap<usize, usize> =
            units_r.iter().enumerate().map(|(i, &u)| (u, i)).collect();
        let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); units_r.len()];
        let mut joined = UnionFind::new(units_r.len());
        for (tier, edges) in tiers.iter().enumerate() {
            for &(_, a, b) in edges {
                let (Some(&ia), Some(&ib)) = (index.get(&a), index.get(&b)) else {
                    continue;
                };
                // Inside edges always; others only to join pieces the inner ones leave apart.
                if tier == 0 || joined.find(ia) != joined.find(ib) {
                    adj[ia].insert(ib);
                    adj[ib].insert(ia);
                    joined.union(ia, ib);
                }
            }
        }
        let graph = UnitGraph {
            pos_m: units_r.iter().map(|&u| pos_m[u]).collect(),
            weight: units_r.iter().map(|&u| weight[u]).collect(),
            adj: adj.into_iter().map(|s| s.into_iter().collect()).collect(),
        };
        let (sub, k) = partition(&graph, alloc[r]);
        for (i, &u) in units_r.iter().enumerate() {
            label[u] = parts + sub[i];
        }
        parts += k;
    }
    let mut pieces: Vec<CutPiece> = (0..parts)
        .map(|_| CutPiece {
            doors: Vec::new(),
            buildings: 0,
            geom_m: MultiPolygon(vec![]),
        })
        .collect();
    let mut cells_of: Vec<Vec<&geo_types::Polygon<f64>>> = vec![Vec::new(); parts];
    for (u, list) in units.iter().enumerate() {
        let p = label[u];
        for &b in list {
            pieces[p].doors.extend_from_slice(&blds[b].doors);
            pieces[p].buildings += 1;
            cells_of[p].push(&tri.cells[b]);
        }
    }
    for (piece, cells) in pieces.iter_mut().zip(cells_of) {
        piece.doors.sort_unstable();
        let union = geo::unary_union(cells);
        piece.geom_m = drop_small(union.intersection(area_m));
    }
    give_away_fragments(&mut pieces, doors);
    Ok(pieces)
}

/// Clipping cells to a concave area can leave a turf in several pieces. Its largest piece stays;
/// every other piece joins a turf it touches, with the doors inside it (usually none or a
/// handful), so turfs end up in one piece whenever a neighbour can take the fragment.
fn give_away_fragments(pieces: &mut [CutPiece], doors: &[CutDoor]) {
    for p in 0..pieces.len() {
        if pieces[p].geom_m.0.len() < 2 {
            continue;
        }
        let mut polys = std::mem::take(&mut pieces[p].geom_m.0);
        polys.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
        let mut kept = vec![polys.remove(0)];
        for q in polys {
            let r = q.bounding_rect();
            let taker = (0..pieces.len()).find(|&o| {
                o != p
                    && pieces[o]
                        .geom_m
                        .bounding_rect()
                        .zip(r)
                        .is_some_and(|(a, b)| a.intersects(&b))
                    && pieces[o].geom_m.intersects(&q)
            });
            let Some(o) = taker else {
                kept.push(q);
                continue;
            };
            let (moved, stay): (Vec<usize>, Vec<usize>) = pieces[p]
                .doors
                .iter()
                .partition(|&&d| q.intersects(&Point(doors[d].pos_m)));
            pieces[p].doors = stay;
            pieces[o].doors.extend(moved);
            pieces[o].doors.sort_unstable();
            let merged = pieces[o].geom_m.union(&MultiPolygon(vec![q]));
            pieces[o].geom_m = drop_small(merged);
        }
        pieces[p].geom_m = MultiPolygon(kept);
    }
    for piece in pieces.iter_mut() {
        let stops: std::collections::HashSet<(i64, i64)> = piece
            .doors
            .iter()
            .map(|&d| {
                let c = doors[d].pos_m;
                (c.x.round() as i64, c.y.round() as i64)
            })
            .collect();
        piece.buildings = stops.len();
    }
}

/// How many turfs a cut makes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CutTarget {
    /// About this many doors per turf (the turf count is the rounded ratio, at least 1).
    DoorsPerTurf(usize),
    /// This many turfs.
    Turfs(usize),
}

/// What to cut.
#[derive(Clone, Debug, PartialEq)]
pub struct CutRequest {
    /// Precinct codes whose union is cut (with `area_wgs84`, their intersection with it).
    pub precincts: Vec<String>,
    /// A drawn area to cut (alone, or within the precincts).
    pub area_wgs84: Option<MultiPolygon<f64>>,
    pub target: CutTarget,
    /// Delete the turfs overlapping the area first (else the cut keeps to the free area and
    /// leaves their doors to them).
    pub replace: bool,
    /// Turf names are `PREFIX · 1`, `PREFIX · 2`... (default: the precinct codes, or "Turf").
    pub name_prefix: Option<String>,
}

/// One turf of a cut, in the report.
#[derive(Clone, Debug, Serialize)]
pub struct CutTurfReport {
    pub id: i64,
    pub name: String,
    pub doors: usize,
    pub buildings: usize,
    pub area_m2: f64,
    /// Polsby-Popper 4πA/P², 0..1.
    pub compactness: f64,
    /// The outline is one polygon.
    pub contiguous: bool,
    /// Areas of its polygons when it is in several pieces, square metres.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pieces_m2: Vec<f64>,
    pub minutes: f64,
    pub precincts: Vec<String>,
}

/// The quality of a cut.
#[derive(Clone, Debug, Serialize)]
pub struct CutReport {
    pub precincts: Vec<String>,
    pub area_m2: f64,
    /// Doors cut into turfs.
    pub doors: usize,
    /// Doors of the area the filter left out.
    pub doors_filtered_out: usize,
    /// Doors of the area already in other turfs (left to them).
    pub doors_in_other_turfs: usize,
    pub turfs: Vec<CutTurfReport>,
    pub doors_min: usize,
    pub doors_max: usize,
    /// doors_max / doors_min.
    pub doors_ratio: f64,
    pub compactness_min: f64,
    pub compactness_mean: f64,
    pub all_contiguous: bool,
    /// Turfs deleted first (`replace`).
    pub replaced: Vec<i64>,
    /// Area left out because other turfs already cover it, square metres.
    pub clipped_m2: f64,
    /// Major-road lines the cut kept to (0 when none were given, or when keeping to them
    /// would have unbalanced the turfs beyond [`BARRIER_BALANCE_LIMIT`]).
    pub barriers: usize,
    /// Major-road lines given (the streets layer's).
    pub barriers_given: usize,
}

/// Largest max/min doors ratio a cut that keeps to major roads may have; beyond it the roads
/// are crossed so turfs stay balanced.
pub const BARRIER_BALANCE_LIMIT: f64 = 1.25;

/// Most doors in a piece over fewest (infinite when a piece has none).
fn balance_ratio(pieces: &[CutPiece]) -> f64 {
    let counts = pieces.iter().map(|p| p.doors.len());
    match (counts.clone().min(), counts.max()) {
        (Some(min), Some(max)) if min > 0 => max as f64 / min as f64,
        (Some(_), Some(_)) => f64::INFINITY,
        _ => 1.0,
    }
}

/// OSM `highway` classes a canvasser should not have to cross inside a turf.
pub const BARRIER_HIGHWAYS: [&str; 8] = [
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
];

impl Campaign {
    /// The major roads of the streets layer ([`BARRIER_HIGHWAYS`]), the cutter's barriers;
    /// empty when no streets were imported.
    pub fn major_roads_wgs84(&self) -> ModelResult<Vec<LineString<f64>>> {
        Ok(self
            .streets()?
            .into_iter()
            .filter(|s| BARRIER_HIGHWAYS.contains(&s.highway.as_str()))
            .map(|s| s.line_wgs84)
            .collect())
    }

    /// Codes of the precincts whose priority class (1 = most priority) is at most
    /// `max_class`, scored with the stored camp and settings: the door filter "only priority
    /// classes 1..=N".
    pub fn precincts_in_priority_classes(
        &self,
        max_class: u8,
    ) -> ModelResult<std::collections::HashSet<String>> {
        let scores = crate::model::scoring::variables::priority_score(self, None)?;
        Ok(scores
            .precincts
            .into_iter()
            .filter(|p| p.class <= max_class)
            .map(|p| p.code)
            .collect())
    }

    /// Cuts precincts or a drawn area into turfs (one undoable edit). `filter` decides which
    /// doors count; `barriers_wgs84` are major roads a turf should not straddle (see
    /// [`Campaign::major_roads_wgs84`]).
    pub fn cut_turfs(
        &mut self,
        req: &CutRequest,
        filter: Option<DoorFilter<'_>>,
        barriers_wgs84: &[LineString<f64>],
        progress: &dyn Progress,
    ) -> ModelResult<CutReport> {
        match req.target {
            CutTarget::DoorsPerTurf(0) | CutTarget::Turfs(0) => {
                return Err(ModelError::Invalid(
                    "the target must be at least 1 (doors per turf or turfs)".into(),
                ));
            }
            _ => {}
        }
        progress.set(0.05, "reading precincts and doors");
        let conn = &self.conn;
        let mut area = if req.precincts.is_empty() {
            req.area_wgs84.clone().ok_or_else(|| {
                ModelError::Invalid("give the precinct(s) or the area to cut".into())
            })?
        } else {
            let all = storage::precincts::load_all(conn)?;
            let by_code: HashMap<&str, &MultiPolygon<f64>> = all
                .iter()
                .map(|p| (p.code.as_str(), &p.geom_wgs84))
                .collect();
            let mut geoms = Vec::new();
            for code in &req.precincts {
                let g = by_code.get(code.as_str()).ok_or_else(|| {
                    let some: Vec<&str> = all.iter().take(5).map(|p| p.code.as_str()).collect();
                    ModelError::Invalid(if all.is_empty() {
                        format!(
                            "no precinct {code}: the campaign has no precincts; import them first"
                        )
                    } else {
                        format!(
                            "no precinct {code} in the campaign ({} precincts: {}…)",
                            all.len(),
                            some.join(", ")
                        )
                    })
                })?;
                geoms.extend(g.0.iter().cloned());
            }
            let union = geo::unary_union(geoms.iter());
            match &req.area_wgs84 {
                Some(a) => union.intersection(a),
                None => union,
            }
        };
        let mut doors = if req.precincts.is_empty() {
            storage::doors::all(conn)?
        } else {
            storage::doors::in_precincts(conn, &req.precincts)?
        };
        if req.area_wgs84.is_some() {
            let inside = doors_inside(&doors, &area);
            doors = inside.into_iter().map(|i| doors[i].clone()).collect();
        }
        // Existing turfs over the area.
        let existing = storage::turfs::load_all(conn)?;
        let area_bbox = area.bounding_rect();
        let door_set: std::collections::HashSet<i64> = doors.iter().map(|d| d.fid).collect();
        let overlapping: Vec<&Turf> = existing
            .iter()
            .filter(|t| {
                t.door_ids.iter().any(|d| door_set.contains(d))
                    || (t
                        .geom_wgs84
                        .bounding_rect()
                        .zip(area_bbox)
                        .is_some_and(|(a, b)| a.intersects(&b))
                        && t.geom_wgs84.intersects(&area)
                        && area_m2(&t.geom_wgs84.intersection(&area)) >= MIN_AREA_M2)
            })
            .collect();
        let area_before = area_m2(&area);
        let mut replaced = Vec::new();
        let mut doors_in_other_turfs = 0;
        if req.replace {
            replaced = overlapping.iter().map(|t| t.id).collect();
        } else if !overlapping.is_empty() {
            let geoms: Vec<&MultiPolygon<f64>> =
                overlapping.iter().map(|t| &t.geom_wgs84).collect();
            area = clip_to_free(&area, &geoms);
            let held: std::collections::HashSet<i64> = existing
                .iter()
                .flat_map(|t| t.door_ids.iter().copied())
                .collect();
            let before = doors.len();
            doors.retain(|d| !held.contains(&d.fid));
            doors_in_other_turfs = before - doors.len();
        }
        let clipped_m2 = (area_before - area_m2(&area)).max(0.0);
        if area.0.is_empty() {
            return Err(ModelError::Invalid(format!(
                "the area is already covered by turfs {}; cut again with replace (--replace) to redo them",
                overlapping
                    .iter()
                    .map(|t| t.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let before_filter = doors.len();
        if let Some(f) = filter {
            doors.retain(|d| f(d));
        }
        let doors_filtered_out = before_filter - doors.len();
        if doors.is_empty() {
            return Err(ModelError::Invalid(format!(
                "no door to cut in {} ({} left out by the filter, {} already in other turfs)",
                if req.precincts.is_empty() {
                    "the area".to_string()
                } else {
                    format!("precinct(s) {}", req.precincts.join(", "))
                },
                doors_filtered_out,
                doors_in_other_turfs
            )));
        }
        let parts = match req.target {
            CutTarget::Turfs(n) => n,
            CutTarget::DoorsPerTurf(t) => ((doors.len() as f64 / t as f64).round() as usize).max(1),
        };
        progress.set(0.2, "cutting");
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        let frame = LocalFrame::around(&area);
        let area_m = frame.mp_to_m(&area);
        let cut_doors_m: Vec<CutDoor> = doors
            .iter()
            .map(|d| CutDoor {
                pos_m: frame.to_m(d.pos_wgs84),
                street: d.street.clone(),
            })
            .collect();
        let barriers_m: Vec<LineString<f64>> =
            barriers_wgs84.iter().map(|l| frame.line_to_m(l)).collect();
        let params = CutParams {
            parts,
            segment_m: 80.0,
            max_unit_doors: (doors.len() / parts / 8).max(1),
        };
        let mut pieces = cut_doors(&area_m, &cut_doors_m, &barriers_m, &params)?;
        // Major roads split the area into regions whose door counts rarely divide evenly: keep
        // to them only while the turfs stay balanced, else cut across them.
        let mut barriers_used = barriers_m.len();
        if !barriers_m.is_empty() && balance_ratio(&pieces) > BARRIER_BALANCE_LIMIT {
            let free = cut_doors(&area_m, &cut_doors_m, &[], &params)?;
            if balance_ratio(&free) < balance_ratio(&pieces) {
                pieces = free;
                barriers_used = 0;
            }
        }
        progress.set(0.8, "saving turfs");
        let walking = storage::turfs::load_walking_model(conn)?;
        let prefix = req.name_prefix.clone().unwrap_or_else(|| {
            if req.precincts.is_empty() {
                "Turf".into()
            } else {
                req.precincts.join("+")
            }
        });
        let mut new_turfs: Vec<(Turf, f64, usize)> = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            let area_m2 = p.geom_m.unsigned_area();
            let mut precincts: Vec<String> = p
                .doors
                .iter()
                .filter_map(|&d| doors[d].precinct_code.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if precincts.is_empty() {
                precincts = req.precincts.clone();
            }
            let path_m = walking.path_m(p.buildings, area_m2);
            let mut door_ids: Vec<i64> = p.doors.iter().map(|&d| doors[d].fid).collect();
            door_ids.sort_unstable();
            new_turfs.push((
                Turf {
                    id: 0,
                    name: format!("{prefix} · {}", i + 1),
                    geom_wgs84: frame.mp_to_wgs84(&p.geom_m),
                    status: TurfStatus::Planned,
                    colour: PALETTE[i % PALETTE.len()].to_string(),
                    precincts,
                    minutes: walking.minutes(door_ids.len(), path_m),
                    door_ids,
                    area_m2,
                    path_m,
                },
                polsby_popper(&p.geom_m),
                p.buildings,
            ));
        }
        let label = format!("cut {prefix} into {} turfs", new_turfs.len());
        let replaced_turfs: Vec<Turf> = existing
            .iter()
            .filter(|t| replaced.contains(&t.id))
            .cloned()
            .collect();
        let ids = self.in_transaction(|tx| {
            for t in &replaced_turfs {
                storage::turfs::delete(tx, t.id)?;
            }
            let mut ids = Vec::new();
            let mut before: Vec<storage::turfs::TurfState> = replaced_turfs
                .iter()
                .map(|t| (t.id, Some(t.clone())))
                .collect();
            let mut after: Vec<storage::turfs::TurfState> =
                replaced_turfs.iter().map(|t| (t.id, None)).collect();
            for (t, _, _) in &mut new_turfs {
                t.id = storage::turfs::write(tx, t)?;
                ids.push(t.id);
                before.push((t.id, None));
                after.push((t.id, Some(t.clone())));
            }
            storage::turfs::record_edit(tx, &label, &before, &after)?;
            storage::turfs::refresh_extent(tx)?;
            Ok(ids)
        })?;
        progress.set(1.0, "done");
        let turfs: Vec<CutTurfReport> = new_turfs
            .iter()
            .zip(ids)
            .map(|((t, compactness, buildings), id)| CutTurfReport {
                id,
                name: t.name.clone(),
                doors: t.doors(),
                buildings: *buildings,
                area_m2: t.area_m2,
                compactness: *compactness,
                contiguous: t.geom_wgs84.0.len() == 1,
                pieces_m2: if t.geom_wgs84.0.len() > 1 {
                    t.geom_wgs84
                        .0
                        .iter()
                        .map(|p| area_m2(&MultiPolygon(vec![p.clone()])))
                        .collect()
                } else {
                    Vec::new()
                },
                minutes: t.minutes,
                precincts: t.precincts.clone(),
            })
            .collect();
        let doors_min = turfs.iter().map(|t| t.doors).min().unwrap_or(0);
        let doors_max = turfs.iter().map(|t| t.doors).max().unwrap_or(0);
        let compactness_min = turfs
            .iter()
            .map(|t| t.compactness)
            .fold(f64::INFINITY, f64::min);
        Ok(CutReport {
            precincts: req.precincts.clone(),
            area_m2: area_m.unsigned_area(),
            doors: doors.len(),
            doors_filtered_out,
            doors_in_other_turfs,
            doors_min,
            doors_max,
            doors_ratio: if doors_min > 0 {
                doors_max as f64 / doors_min as f64
            } else {
                f64::INFINITY
            },
            compactness_min: if turfs.is_empty() {
                0.0
            } else {
                compactness_min
            },
            compactness_mean: turfs.iter().map(|t| t.compactness).sum::<f64>()
                / turfs.len().max(1) as f64,
            all_contiguous: turfs.iter().all(|t| t.contiguous),
            turfs,
            replaced,
            clipped_m2,
            barriers: barriers_used,
            barriers_given: barriers_wgs84.len(),
        })
    }
}

/// Union-find over `0..n`.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind((0..n).collect())
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra] = rb;
        }
    }
}
