//! The panels and windows around the map. Each reads the app's state and pushes [`Command`]s;
//! none mutates shared state itself.
//!
//! [`Command`]: crate::ui::command::Command
//!
//! - [`menu_bar`]: File / View menus.
//! - [`summary`]: campaign summary (precincts, elections, addresses, selection).
//! - [`import_report`]: the last import's report and the import history from the campaign's log.
//! - [`import_window`]: the "Import…" form (path, options, Browse…), usable without a file dialog.
//! - [`campaign_window`]: the "New/Open campaign" form (path + Browse…).
//! - [`status_bar`]: job progress with Cancel, or the last status message.
//! - [`precinct_table`]: the sortable, searchable precinct table, in sync with the map selection.
//! - [`legend`]: the map colouring choice and its legend.
//! - [`export_window`]: the "Export map…" window (PNG/PDF of the map as coloured).
//! - [`priority`]: the blocs and weights window, and the explain view of a precinct's score.
//! - [`turfs`]: the turf panel (list, selection, draw, undo/redo, auto-cut and its report).
//! - [`roster`]: the Volunteers tab (sortable, filterable roster; add, edit, delete, import).
//! - [`volunteer_window`]: add or edit one volunteer.
//! - [`messages`]: messages to the selected volunteers (templates, links, copy, CSV/vCard).
//! - [`operations`]: the Operations tab (coverage, turfs and teams, drag and drop, suggestion).
//! - [`operation_window`]: the "New/Edit operation" window.
//! - [`route_panel`]: a turf's walking route (options, job, length, time, first stops).
//! - [`sheets_window`]: an operation's walk sheets as PDF (one file or one per team).
//! - [`results`]: the Results tab (a turf's tally, dashboard totals, turf coverage).
//! - [`door_entry`]: the Results tab's door-by-door entry (doors, outcome, themes, contact).
//! - [`results_import_window`]: the "Import field results" window (walk list CSV or mapped sheet).
//! - [`dashboard`]: the Dashboard window (totals, goals, charts, tables, CSV/PDF export).
//! - [`table_row`]: the selected/hovered background of a clickable table row.
//! - [`contacts`]: the Contacts tab (table, tag filter, contact window, CSV export by tag).
//! - [`person_window`]: a person's data: right of access (JSON) and erasure.
//! - [`coverage_gaps`]: high-priority precincts hardly covered, under the side-by-side maps.

pub mod campaign_window;
pub mod contacts;
pub mod coverage_gaps;
pub mod dashboard;
pub mod door_entry;
pub mod export_window;
pub mod form_field;
pub mod import_report;
pub mod import_window;
pub mod legend;
pub mod menu_bar;
pub mod messages;
pub mod operation_window;
pub mod operations;
pub mod person_window;
pub mod precinct_table;
pub mod priority;
pub mod results;
pub mod results_import_window;
pub mod roster;
pub mod route_panel;
pub mod sensitive_note;
pub mod sheets_window;
pub mod status_bar;
pub mod summary;
pub mod table_row;
pub mod turfs;
pub mod volunteer_window;
