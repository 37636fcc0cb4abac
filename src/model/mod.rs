//! The model layer: every domain rule and all I/O. No egui, eframe or walkers here (a test checks).
//!
//! - [`campaign`]: the campaign file (one GeoPackage/SQLite file) and its high-level operations.
//! - [`contacts`]: contacts taken with consent, sensitive words in notes, access and erasure.
//! - [`fold`]: accent folding for accent- and case-insensitive search and matching.
//! - [`format`]: long dates, times and integers as people read them (French and English).
//! - [`error`]: the error types of the model.
//! - [`progress`]: progress reporting and cancellation for slow work, shared by GUI and CLI.
//! - [`election`]: elections, candidates and per-precinct results as the model sees them.
//! - [`precinct`]: precinct features as the rest of Porte sees them (WGS84 geometry, code, name).
//! - [`import`]: readers for precinct boundaries, election results and addresses, with reports.
//! - [`storage`]: the SQLite/GeoPackage schema, migrations and table access.
//! - [`spatial`]: point-in-precinct lookup (R-tree) for assigning doors.
//! - [`sample_campaign`]: builds the campaign file of the bundled sample city on first run.
//! - [`sample_city`]: the deterministic generator of the bundled sample city.
//! - [`scoring`]: the priority model (blocs, score, explain), map variables, classes and ramps.
//! - [`export`]: the coloured map with its legend as PNG and PDF.
//! - [`turfs`]: turfs drawn or cut automatically, their doors, walking time, edits and undo/redo.
//! - [`volunteers`]: the roster, availability, roster import/export and message templates.
//! - [`operations`]: dated outings, their turfs and teams, and the suggested assignment.
//! - [`results`]: field results (door visits, tallies), their import, coverage and dashboard.
//! - [`routing`]: the street graph, doors linked to streets, and walking routes per turf.

pub mod campaign;
pub mod contacts;
pub mod election;
pub mod error;
pub mod export;
pub mod fold;
pub mod format;
pub mod import;
pub mod operations;
pub mod precinct;
pub mod progress;
pub mod results;
pub mod routing;
pub mod sample_campaign;
pub mod sample_city;
pub mod scoring;
pub mod spatial;
pub mod storage;
pub mod turfs;
pub mod volunteers;

pub use campaign::Campaign;
pub use error::{ImportError, ModelError};
pub use progress::{NoProgress, Progress};
