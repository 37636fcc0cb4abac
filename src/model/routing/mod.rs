//! Walking routes (issue 6): the street graph, doors linked to their street and side, and a
//! route per turf from a start point through every door.
//!
//! - [`graph`]: walkable streets as a petgraph graph: ways split at shared nodes, edge lengths in
//!   metres in a local metric frame, walkability as a parameter.
//! - [`link`]: each door linked to its nearest walkable edge (projection, offset along the edge,
//!   side of the street).
//! - [`tour`]: the door order: shortest-path distance matrix, construction + 2-opt + Or-opt.
//! - [`street_order`]: without a street graph: doors ordered by street and odd/even numbers,
//!   streets chained by proximity (the sheet says so).
//! - [`route`]: the [`Campaign`](crate::model::Campaign) methods: route a turf, with options.

pub mod graph;
pub mod link;
pub mod route;
pub mod street_order;
pub mod tour;

use geo_types::{LineString, Point};
use serde::Serialize;

/// How the doors of a street are walked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SideMode {
    /// Walk one side of a street, then the other (wide or busy streets).
    #[default]
    OneSideThenOther,
    /// Cross back and forth (narrow residential streets).
    ZigZag,
}

/// How a route was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteMethod {
    /// Shortest paths on the campaign's street graph and a tour heuristic.
    StreetGraph,
    /// No street graph: by street and odd/even numbers, streets chained by proximity.
    StreetOrder,
}

/// Where and how to route a turf.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteOptions {
    /// Start (and end) point, WGS84; `None`: the door nearest the turf's centre.
    pub start_wgs84: Option<Point<f64>>,
    /// Back to the start at the end (false: the route ends at the last door).
    pub return_to_start: bool,
    pub side_mode: SideMode,
    /// Streets narrower than this (by OSM class) are zig-zagged even in `OneSideThenOther`.
    pub zigzag_residential: bool,
}

/// One door of a route, in walking order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteStop {
    /// 1-based stop number printed on the sheet and the map.
    pub order: usize,
    /// `addresses.fid`.
    pub address_fid: i64,
    pub number: String,
    pub suffix: Option<String>,
    pub street: String,
    /// `"left"` / `"right"` of its street edge's direction, or `None` without a graph.
    pub side: Option<String>,
    #[serde(skip)]
    pub pos_wgs84: Point<f64>,
    /// Walking distance from the previous stop (or the start), metres.
    pub leg_m: f64,
}

/// A turf's route.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Route {
    pub turf_id: i64,
    pub method: RouteMethod,
    pub stops: Vec<RouteStop>,
    /// The walked line from the start through every stop, WGS84.
    #[serde(skip)]
    pub path_wgs84: LineString<f64>,
    #[serde(skip)]
    pub start_wgs84: Point<f64>,
    pub length_m: f64,
    /// Walking time + minutes per door (the campaign's walking model).
    pub minutes: f64,
    /// Said on the sheet when `method` is `StreetOrder`, or doors too far from any street.
    pub notes: Vec<String>,
}
