//! Every integration test of Porte in one test binary: one link instead of one per file keeps
//! the debug build small and fast (each binary carries egui, GDAL bindings and the model).
//! Headless model and CLI tests, then the egui_kittest UI tests (`ui_*`).

mod common;
mod ui_common;

mod addresses;
mod architecture;
mod contacts;
mod crash_safety;
mod dashboard;
mod export_map;
mod gdal_formats;
mod geopackage;
mod operations;
mod paris;
mod precinct_import;
mod results;
mod results_import;
mod routing;
mod sample_campaign;
mod sample_city;
mod scoring;
mod streets;
mod turfs;
mod ui_basemap;
mod ui_contacts;
mod ui_coverage;
mod ui_dashboard;
mod ui_door_entry;
mod ui_map;
mod ui_operations;
mod ui_priority;
mod ui_results;
mod ui_routes;
mod ui_shell;
mod ui_turfs;
mod ui_volunteers;
mod volunteers;
mod walk_sheets;
mod walklist_browser;
