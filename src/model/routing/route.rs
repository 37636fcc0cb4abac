//! Routing a turf on [`Campaign`]: its doors, the street graph when streets are imported (else
//! street order), the tour, the path and the time estimate; every turf of an operation from its
//! meeting point; and the routing problem itself (matrix, stops) for the benchmark.

use std::collections::HashMap;

use geo::BoundingRect;
use geo_types::{Coord, LineString, Point, Rect};

use crate::model::campaign::Campaign;
use crate::model::error::ModelResult;
use crate::model::routing::graph::StreetGraph;
use crate::model::routing::link::{FAR_FROM_STREET_M, Link, Linker};
use crate::model::routing::street_order::{self, NO_GRAPH_NOTE, OrderDoor};
use crate::model::routing::tour::{self, Matrix, TourBudget, TourPoint};
use crate::model::routing::{Route, RouteMethod, RouteOptions, RouteStop};
use crate::model::storage;
use crate::model::storage::streets::Street;
use crate::model::turfs::doors::number_value;
use crate::model::turfs::frame::LocalFrame;
use crate::model::turfs::{Door, Turf, WalkingModel};

/// Streets this far around the doors and the start are put in the graph, metres.
const GRAPH_MARGIN_M: f64 = 600.0;

/// A turf's routing problem on the street graph: the stops (doors at one position, in house
/// number order) and the walking-distance matrix between the start (node 0) and them.
pub struct RouteProblem {
    pub start_wgs84: Point<f64>,
    /// Doors of each stop (stop `k` is matrix node `k + 1`).
    pub stops: Vec<Vec<Door>>,
    pub matrix: Matrix,
    pub closed: bool,
    graph: StreetGraph,
    points: Vec<TourPoint>,
    door_links: Vec<Vec<Link>>,
    options: RouteOptions,
    notes: Vec<String>,
}

impl RouteProblem {
    /// The stop order (indices into `stops`) the tour heuristic finds.
    pub fn solve(&self) -> Vec<usize> {
        tour::solve(
            &self.matrix,
            self.closed,
            TourBudget::for_stops(self.stops.len()),
        )
        .into_iter()
        .map(|i| i - 1)
        .collect()
    }

    /// Walking length of a stop order on the matrix (back to the start when closed).
    pub fn length_m(&self, order: &[usize]) -> f64 {
        let nodes: Vec<usize> = order.iter().map(|k| k + 1).collect();
        self.matrix.walk_length(&nodes, self.closed)
    }

    /// The stop order the fallback without a graph would walk (street by street, odd numbers up
    /// and even down, streets chained by proximity): a stronger baseline than alphabetical.
    pub fn street_order(&self) -> Vec<usize> {
        let frame = self.graph.frame;
        let mut door_stop = Vec::new();
        let doors: Vec<OrderDoor> = self
            .stops
            .iter()
            .enumerate()
            .flat_map(|(k, ds)| ds.iter().map(move |d| (k, d)))
            .map(|(k, d)| {
                door_stop.push(k);
                OrderDoor {
                    street: d.street.clone(),
                    number: d.number.clone(),
                    suffix: d.suffix.clone(),
                    pos_m: frame.to_m(d.pos_wgs84),
                }
            })
            .collect();
        let order = street_order::street_order(&doors, frame.to_m(self.start_wgs84.0));
        let mut out: Vec<usize> = Vec::with_capacity(self.stops.len());
        let mut seen = vec![false; self.stops.len()];
        for i in order {
            let k = door_stop[i];
            if !seen[k] {
                seen[k] = true;
                out.push(k);
            }
        }
        out
    }

    /// The street-alphabetical stop order (doors sorted by street name then house number, as
    /// lists are often printed), consecutive doors of one stop merged.
    pub fn alphabetical_order(&self) -> Vec<usize> {
        let mut doors: Vec<(usize, &Door)> = self
            .stops
            .iter()
            .enumerate()
            .flat_map(|(k, ds)| ds.iter().map(move |d| (k, d)))
            .collect();
        doors.sort_by(|a, b| {
            let key = |d: &Door| {
                (
                    d.street.trim().to_lowercase(),
                    number_value(&d.number).unwrap_or(u32::MAX),
                    d.suffix.clone().unwrap_or_default(),
                    d.fid,
                )
            };
            key(a.1).cmp(&key(b.1))
        });
        let mut out: Vec<usize> = Vec::with_capacity(doors.len());
        for (k, _) in doors {
            if out.last() != Some(&k) {
                out.push(k);
            }
        }
        out
    }
}

/// The start: given, or the door nearest the turf's centre.
fn start_of(turf: &Turf, doors: &[Door], options: &RouteOptions) -> Point<f64> {
    if let Some(p) = options.start_wgs84 {
        return p;
    }
    let centre = turf
        .geom_wgs84
        .bounding_rect()
        .map(|r| r.center())
        .unwrap_or(doors[0].pos_wgs84);
    let frame = LocalFrame::new(centre);
    let d = doors
        .iter()
        .min_by(|a, b| {
            let (pa, pb) = (frame.to_m(a.pos_wgs84), frame.to_m(b.pos_wgs84));
            pa.x.hypot(pa.y).total_cmp(&pb.x.hypot(pb.y))
        })
        .expect("doors");
    Point(d.pos_wgs84)
}

/// The bounding box of the doors and the start, grown by `margin_m`.
fn area_around(doors: &[Door], start: Point<f64>, margin_m: f64) -> Rect<f64> {
    let mut lo = start.0;
    let mut hi = start.0;
    for d in doors {
        lo.x = lo.x.min(d.pos_wgs84.x);
        lo.y = lo.y.min(d.pos_wgs84.y);
        hi.x = hi.x.max(d.pos_wgs84.x);
        hi.y = hi.y.max(d.pos_wgs84.y);
    }
    let dlat = margin_m / 111_195.0;
    let dlon = dlat / ((lo.y + hi.y) / 2.0).to_radians().cos().max(0.01);
    Rect::new(
        Coord {
            x: lo.x - dlon,
            y: lo.y - dlat,
        },
        Coord {
            x: hi.x + dlon,
            y: hi.y + dlat,
        },
    )
}

/// "12 Rue X" for notes.
fn door_label(d: &Door) -> String {
    format!(
        "{}{} {}",
        d.number,
        d.suffix.as_deref().unwrap_or(""),
        d.street
    )
    .trim()
    .to_string()
}

/// Builds the problem on the street graph, or says why the graph cannot route these doors.
fn graph_problem(
    streets: &[Street],
    doors: &[Door],
    start: Point<f64>,
    options: &RouteOptions,
) -> Result<RouteProblem, String> {
    if !streets.iter().any(|s| s.walkable) {
        return Err(NO_GRAPH_NOTE.to_string());
    }
    let graph = StreetGraph::build(streets, Some(area_around(doors, start, GRAPH_MARGIN_M)));
    let linker = Linker::new(&graph);
    if linker.is_empty() {
        return Err(format!(
            "no walkable street within {GRAPH_MARGIN_M} m of the turf: ordered by street and house numbers"
        ));
    }
    let frame = graph.frame;
    let mut notes = Vec::new();
    let start_link = linker.link(frame.to_m(start.0)).expect("edges exist");
    if start_link.distance_m > FAR_FROM_STREET_M {
        notes.push(format!(
            "the start is {:.0} m from the nearest walkable street",
            start_link.distance_m
        ));
    }
    // Doors at one position (a building) are one stop.
    let mut stop_of: HashMap<(i64, i64), usize> = HashMap::new();
    let mut stops: Vec<Vec<Door>> = Vec::new();
    let mut door_links: Vec<Vec<Link>> = Vec::new();
    let (mut far, mut island) = (Vec::new(), 0usize);
    for d in doors {
        let p = frame.to_m(d.pos_wgs84);
        let key = ((p.x * 2.0).round() as i64, (p.y * 2.0).round() as i64);
        let link = linker.link(p).expect("edges exist");
        if link.distance_m > FAR_FROM_STREET_M {
            far.push((d, link.distance_m));
        }
        if link.relinked_from_island {
            island += 1;
        }
        let k = *stop_of.entry(key).or_insert_with(|| {
            stops.push(Vec::new());
            door_links.push(Vec::new());
            stops.len() - 1
        });
        stops[k].push(d.clone());
        door_links[k].push(link);
    }
    if far.len() * 2 > doors.len() {
        return Err(format!(
            "{} of {} doors are farther than {FAR_FROM_STREET_M} m from any walkable street (streets of another area?): ordered by street and house numbers",
            far.len(),
            doors.len()
        ));
    }
    if !far.is_empty() {
        let examples: Vec<String> = far
            .iter()
            .take(3)
            .map(|(d, m)| format!("{} ({m:.0} m)", door_label(d)))
            .collect();
        notes.push(format!(
            "{} door(s) farther than {FAR_FROM_STREET_M} m from any walkable street: {}{}",
            far.len(),
            examples.join(", "),
            if far.len() > 3 { "…" } else { "" }
        ));
    }
    if island > 0 {
        notes.push(format!(
            "{island} door(s) nearest a street not connected to the others: walked from the nearest connected street"
        ));
    }
    for (ds, ls) in stops.iter_mut().zip(door_links.iter_mut()) {
        let mut both: Vec<(Door, Link)> = ds.drain(..).zip(ls.drain(..)).collect();
        both.sort_by(|a, b| {
            let key = |d: &Door| {
                (
                    number_value(&d.number).unwrap_or(u32::MAX),
                    d.suffix.clone().unwrap_or_default(),
                    d.fid,
                )
            };
            key(&a.0).cmp(&key(&b.0))
        });
        for (d, l) in both {
            ds.push(d);
            ls.push(l);
        }
    }
    let mut points = vec![TourPoint {
        pos: start_link.pos,
        side: None,
    }];
    points.extend(door_links.iter().map(|ls| TourPoint {
        pos: ls[0].pos,
        side: Some(ls[0].side),
    }));
    let matrix = tour::distance_matrix(
        &graph,
        &points,
        options.side_mode,
        options.zigzag_residential,
    );
    if matrix.m.iter().any(|d| !d.is_finite()) {
        return Err(
            "some doors cannot be reached on the street graph: ordered by street and house numbers"
                .into(),
        );
    }
    Ok(RouteProblem {
        start_wgs84: start,
        stops,
        matrix,
        closed: options.return_to_start,
        graph,
        points,
        door_links,
        options: options.clone(),
        notes,
    })
}

/// The route of a solved problem: stops with their legs, the walked path, time.
fn graph_route(turf_id: i64, p: &RouteProblem, order: &[usize], walking: &WalkingModel) -> Route {
    let g = &p.graph;
    let mut stops = Vec::new();
    let mut path: Vec<Coord<f64>> = vec![p.start_wgs84.0];
    let mut prev = 0usize;
    let mut length_m = 0.0;
    let mut legs: Vec<(usize, usize)> = order
        .iter()
        .map(|&k| k + 1)
        .scan(0, |prev, k| {
            let leg = (*prev, k);
            *prev = k;
            Some(leg)
        })
        .collect();
    if p.closed && !order.is_empty() {
        legs.push((order[order.len() - 1] + 1, 0));
    }
    for &(a, b) in &legs {
        let (pa, pb) = (p.points[a], p.points[b]);
        let direct = !(tour::crosses_at_corner(
            g,
            &pa,
            &pb,
            p.options.side_mode,
            p.options.zigzag_residential,
        ));
        let (_, line) = g.path_m(pa.pos, pb.pos, direct);
        path.extend(line.iter().map(|c| g.frame.to_wgs84(*c)));
        length_m += p.matrix.get(a, b);
    }
    if p.closed {
        path.push(p.start_wgs84.0);
    }
    for &k in order {
        let leg_m = p.matrix.get(prev, k + 1);
        prev = k + 1;
        for (i, (d, l)) in p.stops[k].iter().zip(&p.door_links[k]).enumerate() {
            stops.push(RouteStop {
                order: stops.len() + 1,
                address_fid: d.fid,
                number: d.number.clone(),
                suffix: d.suffix.clone(),
                street: d.street.clone(),
                side: Some(l.side.as_str().to_string()),
                pos_wgs84: Point(d.pos_wgs84),
                leg_m: if i == 0 { leg_m } else { 0.0 },
            });
        }
    }
    path.dedup();
    Route {
        turf_id,
        method: RouteMethod::StreetGraph,
        minutes: walking.minutes(stops.len(), length_m),
        stops,
        path_wgs84: LineString(path),
        start_wgs84: p.start_wgs84,
        length_m,
        notes: p.notes.clone(),
    }
}

/// The route by street order (no usable graph), with `note` first among its notes.
fn street_order_route(
    turf_id: i64,
    doors: &[Door],
    start: Point<f64>,
    options: &RouteOptions,
    walking: &WalkingModel,
    note: String,
) -> Route {
    let frame = LocalFrame::new(start.0);
    let od: Vec<OrderDoor> = doors
        .iter()
        .map(|d| OrderDoor {
            street: d.street.clone(),
            number: d.number.clone(),
            suffix: d.suffix.clone(),
            pos_m: frame.to_m(d.pos_wgs84),
        })
        .collect();
    let start_m = Coord { x: 0.0, y: 0.0 };
    let order = street_order::street_order(&od, start_m);
    let legs = street_order::straight_legs_m(&od, &order, start_m);
    let mut length_m: f64 = legs.iter().map(|l| l * walking.detour_factor).sum();
    let mut path: Vec<Coord<f64>> = vec![start.0];
    path.extend(order.iter().map(|&i| doors[i].pos_wgs84));
    if options.return_to_start
        && let Some(&last) = order.last()
    {
        let p = od[last].pos_m;
        length_m += p.x.hypot(p.y) * walking.detour_factor;
        path.push(start.0);
    }
    let stops: Vec<RouteStop> = order
        .iter()
        .zip(&legs)
        .enumerate()
        .map(|(k, (&i, leg))| {
            let d = &doors[i];
            RouteStop {
                order: k + 1,
                address_fid: d.fid,
                number: d.number.clone(),
                suffix: d.suffix.clone(),
                street: d.street.clone(),
                side: None,
                pos_wgs84: Point(d.pos_wgs84),
                leg_m: leg * walking.detour_factor,
            }
        })
        .collect();
    path.dedup();
    Route {
        turf_id,
        method: RouteMethod::StreetOrder,
        minutes: walking.minutes(stops.len(), length_m),
        stops,
        path_wgs84: LineString(path),
        start_wgs84: start,
        length_m,
        notes: vec![note],
    }
}

impl Campaign {
    /// The route through every door of turf `turf_id` (see the module docs).
    pub fn route_turf(&self, turf_id: i64, options: &RouteOptions) -> ModelResult<Route> {
        let streets = self.streets()?;
        let walking = self.walking_model()?;
        self.route_turf_with(turf_id, options, &streets, &walking)
    }

    /// The route of every turf of operation `operation_id`, in its order, each from the
    /// meeting point (or, when it is not located, the door nearest the turf's centre), not
    /// returning to it.
    pub fn route_operation_turfs(&self, operation_id: i64) -> ModelResult<Vec<Route>> {
        let op = self.operation(operation_id)?;
        let streets = self.streets()?;
        let walking = self.walking_model()?;
        let options = RouteOptions {
            start_wgs84: op.meeting_wgs84,
            ..RouteOptions::default()
        };
        op.turf_ids
            .iter()
            .map(|&id| self.route_turf_with(id, &options, &streets, &walking))
            .collect()
    }

    /// The routing problem of a turf on the street graph (`Ok(None)` when it would be routed
    /// by street order): for `porte bench route`.
    pub fn route_problem(
        &self,
        turf_id: i64,
        options: &RouteOptions,
    ) -> ModelResult<Option<RouteProblem>> {
        let turf = self.turf(turf_id)?;
        let doors = storage::doors::by_fids(self.connection(), &turf.door_ids)?;
        if doors.is_empty() {
            return Ok(None);
        }
        let start = start_of(&turf, &doors, options);
        Ok(graph_problem(&self.streets()?, &doors, start, options).ok())
    }

    fn route_turf_with(
        &self,
        turf_id: i64,
        options: &RouteOptions,
        streets: &[Street],
        walking: &WalkingModel,
    ) -> ModelResult<Route> {
        let turf = self.turf(turf_id)?;
        let doors = storage::doors::by_fids(self.connection(), &turf.door_ids)?;
        if doors.is_empty() {
            let start = options.start_wgs84.unwrap_or_else(|| {
                Point(
                    turf.geom_wgs84
                        .bounding_rect()
                        .map(|r| r.center())
                        .unwrap_or(Coord { x: 0.0, y: 0.0 }),
                )
            });
            return Ok(Route {
                turf_id,
                method: RouteMethod::StreetOrder,
                stops: Vec::new(),
                path_wgs84: LineString(vec![start.0]),
                start_wgs84: start,
                length_m: 0.0,
                minutes: 0.0,
                notes: vec!["the turf has no doors".into()],
            });
        }
        let start = start_of(&turf, &doors, options);
        Ok(match graph_problem(streets, &doors, start, options) {
            Ok(p) => {
                let order = p.solve();
                graph_route(turf_id, &p, &order, walking)
            }
            Err(note) => street_order_route(turf_id, &doors, start, options, walking, note),
        })
    }
}
