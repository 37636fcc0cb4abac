//! Turfs (issue 4): the areas one pair of volunteers walks in one outing, drawn by hand or cut
//! automatically, with their doors, walking time and an undoable edit history.
//!
//! - [`frame`]: a local metric frame (metres around a point) for areas, lengths and cutting.
//! - [`shape`]: pure geometry edits of a turf outline: a drawn ring made valid, vertex
//!   move/insert/delete, translation, clipping to the free area. The GUI can preview with these
//!   before it commits through the [`Campaign`] methods.
//! - [`doors`]: the doors (addresses) a turf holds, and the door filter hook of the cutter.
//! - [`selection`]: which doors a cut counts (priority classes, not visited since a date).
//! - [`walking`]: the walking-time model (doors × minutes per door + path / speed) and its settings.
//! - [`cells`]: Delaunay neighbours and Voronoi cells of door positions (spade).
//! - [`units`]: doors grouped into buildings and short street segments (both sides together).
//! - [`partition`]: balanced, contiguous partition of a unit graph (bisection + repair + balance).
//! - [`autocut`]: the cutter: units → graph → partition → turf polygons, and its quality report.
//! - [`synthetic`]: a generated street-grid quarter of N doors (benchmark, tests).
//! - [`edit`]: the [`Campaign`] methods the GUI and CLI call: list, create, edit, move, delete,
//!   rename, status, colour, cut, undo and redo; each edit is one transaction with its history.
//!
//! Storage is `storage::turfs` (tables `turfs`, `turf_doors`, `turf_edits`, `turf_edit_states`,
//! `turf_settings`).

pub mod autocut;
pub mod cells;
pub mod doors;
pub mod edit;
pub mod frame;
pub mod partition;
pub mod selection;
pub mod shape;
pub mod synthetic;
pub mod units;
pub mod walking;

#[cfg(test)]
mod campaign_tests;

pub use autocut::{CutReport, CutRequest, CutTarget, CutTurfReport};
pub use doors::{Door, DoorFilter};
pub use edit::{TurfEditOutcome, TurfHistory};
pub use selection::DoorSelection;
pub use shape::VertexRef;
pub use walking::WalkingModel;

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

/// Where a turf stands in the campaign's field plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TurfStatus {
    #[default]
    Planned,
    Assigned,
    Done,
}

impl TurfStatus {
    pub const ALL: [TurfStatus; 3] = [TurfStatus::Planned, TurfStatus::Assigned, TurfStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            TurfStatus::Planned => "planned",
            TurfStatus::Assigned => "assigned",
            TurfStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<TurfStatus> {
        TurfStatus::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// One turf as stored in the campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Turf {
    /// Row id in the `turfs` feature table (never reused, so undo restores the same id).
    pub id: i64,
    pub name: String,
    /// Outline in WGS84 lon/lat degrees; valid, and not overlapping any other turf.
    pub geom_wgs84: MultiPolygon<f64>,
    pub status: TurfStatus,
    /// `#rrggbb`.
    pub colour: String,
    /// Codes of the precincts of its doors (or, with no door, the precinct holding it), sorted.
    pub precincts: Vec<String>,
    /// `fid`s of the `addresses` inside, sorted; a door is in at most one turf.
    pub door_ids: Vec<i64>,
    pub area_m2: f64,
    /// Estimated walking path through its doors, metres (see [`walking`]).
    pub path_m: f64,
    /// Estimated time to knock on every door, minutes (see [`walking`]).
    pub minutes: f64,
}

impl Turf {
    pub fn doors(&self) -> usize {
        self.door_ids.len()
    }
}

/// The default turf colours, given in turn (ColorBrewer Set3/Paired-like, readable on a map).
pub const PALETTE: [&str; 12] = [
    "#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#b2df8a",
    "#fb9a99", "#fdbf6f", "#cab2d6", "#ffff99",
];

/// Checks a `#rrggbb` colour, returning it lowercased.
pub fn parse_colour(s: &str) -> Option<String> {
    let s = s.trim();
    let hex = s.strip_prefix('#')?;
    (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_colour_parse() {
        assert_eq!(TurfStatus::parse(" Done "), Some(TurfStatus::Done));
        assert_eq!(TurfStatus::parse("started"), None);
        assert_eq!(parse_colour("#A0b1C2").as_deref(), Some("#a0b1c2"));
        assert_eq!(parse_colour("red"), None);
        assert_eq!(parse_colour("#12345"), None);
    }
}
