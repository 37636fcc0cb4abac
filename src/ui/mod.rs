//! The desktop application (egui/eframe/walkers): a thin client of the model. It reads the
//! campaign, paints cached map layers, and turns user actions into [`command::Command`]s; slow
//! work (loading, imports) runs on job threads with a progress bar and Cancel.
//!
//! - [`app`]: `PorteApp`, the frame layout, command application, saved prefs vs runtime state.
//! - [`command`]: what the user can ask for, applied once per frame.
//! - [`jobs`]: background thread + channel + progress + cancel, waking the UI.
//! - [`tasks`]: the job bodies (load a campaign view, run an import), each on its own connection.
//! - [`map`]: the offline walkers map, its cached precinct and address layers, the map benchmark.
//! - [`figures`]: per-precinct figures (turnout, doors) and the built-in quantile colouring.
//! - [`i18n`]: French and English strings, following the system locale.
//! - [`panels`]: menu bar, summary, map colours and legend, precinct table, import report,
//!   import/campaign windows, status bar.

pub mod app;
pub mod command;
pub mod figures;
pub mod i18n;
pub mod jobs;
pub mod map;
pub mod panels;
pub mod tasks;

use std::path::PathBuf;

pub use app::PorteApp;

/// Opens the main window on `campaign` (created when missing), or on the bundled sample city
/// when `None`, and runs until it is closed.
pub fn run_gui(campaign: Option<PathBuf>) -> anyhow::Result<()> {
    let title = app::window_title(campaign.as_deref());
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title.clone())
            .with_app_id("porte")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Porte",
        options,
        Box::new(move |cc| {
            let mut app = PorteApp::new(campaign);
            if let Some(prefs) = cc
                .storage
                .and_then(|s| eframe::get_value(s, app::PREFS_KEY))
            {
                app.prefs = prefs;
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the Porte window: {e}"))
}
