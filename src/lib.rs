//! Porte: a desktop GIS campaign planner.
//!
//! - [`model`] holds every domain rule and all I/O (import, storage, scoring...). It never touches
//!   the UI crates and is tested headless.
//! - [`cli`] is the headless command line over the same model functions (`porte <command> --json`).
//! - [`ui`] is the egui/eframe/walkers desktop application, a thin client of the model.

pub mod cli;
pub mod model;
pub mod ui;
