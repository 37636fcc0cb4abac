//! Operations (issue 5): dated outings with a time window and a meeting point, the turfs they
//! cover, the teams (pairs) walking each turf, and Porte's suggested assignment.
//!
//! - [`plan`]: the [`Campaign`](crate::model::Campaign) methods: create, edit, delete, list,
//!   add/remove turfs, assign a volunteer to a turf (drag and drop), the plan's coverage.
//! - [`assign`]: the suggested assignment: available volunteers only, pairs kept together,
//!   doors fitted to the time window, nearest turfs preferred, highest priority first, and a
//!   reason for every turf left unassigned. Pure (no I/O), with a brute-force check for tests.
//!
//! Storage is `storage::operations` (tables `operations`, `operation_turfs`, `operation_teams`,
//! `team_members`).

pub mod assign;
pub mod plan;

pub use assign::{AssignmentPlan, TurfAssignment, UnassignedReason, UnassignedTurf};
pub use plan::{AssignOutcome, PlanCoverage};

use chrono::{NaiveDate, NaiveTime};
use geo_types::Point;
use serde::Serialize;

/// What the user types to create or edit an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationDraft {
    pub name: String,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// "12 rue X": geocoded against the campaign's addresses when `meeting_wgs84` is `None`.
    pub meeting_point: String,
    pub meeting_wgs84: Option<Point<f64>>,
    /// The phone volunteers call on the day (walk sheets print it).
    pub contact_phone: String,
    pub notes: String,
}

/// One team of an operation: usually a pair, walking one turf.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Team {
    pub id: i64,
    /// "José D. & François L." unless renamed.
    pub name: String,
    /// The turf it walks (`None`: formed but not placed yet).
    pub turf_id: Option<i64>,
    /// `volunteers.fid` of its members.
    pub member_ids: Vec<i64>,
}

/// A dated outing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operation {
    pub id: i64,
    pub name: String,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub meeting_point: String,
    #[serde(skip)]
    pub meeting_wgs84: Option<Point<f64>>,
    pub contact_phone: String,
    pub notes: String,
    /// The turfs it covers (`turfs.fid`), in the order they were added.
    pub turf_ids: Vec<i64>,
    pub teams: Vec<Team>,
}

impl Operation {
    /// Length of the time window, minutes.
    pub fn window_minutes(&self) -> f64 {
        (self.end - self.start).num_minutes() as f64
    }

    /// The team walking `turf_id`, if any.
    pub fn team_of_turf(&self, turf_id: i64) -> Option<&Team> {
        self.teams.iter().find(|t| t.turf_id == Some(turf_id))
    }

    /// The team `volunteer_id` is in, if any.
    pub fn team_of_volunteer(&self, volunteer_id: i64) -> Option<&Team> {
        self.teams
            .iter()
            .find(|t| t.member_ids.contains(&volunteer_id))
    }

    /// Meeting point as `[lon, lat]` (JSON output).
    pub fn meeting_lonlat(&self) -> Option<[f64; 2]> {
        self.meeting_wgs84.map(|p| [p.x(), p.y()])
    }
}
