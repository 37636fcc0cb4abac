//! Helpers shared by the egui_kittest UI tests: the three-square fixture, a harness on a
//! campaign, stepping frames until background jobs finish, and clicking at a screen position.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use porte::ui::PorteApp;
use porte::ui::i18n::Lang;

/// Lower-left corners (lon, lat) of the three 0.01° squares, side by side near Paris.
pub const SQUARES: [(&str, &str, f64, f64); 3] = [
    ("P1", "École Nord", 2.30, 48.85),
    ("P2", "École Centre", 2.31, 48.85),
    ("P3", "École Sud", 2.32, 48.85),
];
pub const SIDE_DEG: f64 = 0.01;

/// A 1280×800 harness on `campaign`, in English, with `setup` applied to the app's prefs first.
pub fn harness_with(
    campaign: &Path,
    setup: impl FnOnce(&mut PorteApp),
) -> Harness<'static, PorteApp> {
    let mut app = PorteApp::new(Some(campaign.to_path_buf()));
    app.prefs.lang = Some(Lang::En);
    setup(&mut app);
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut PorteApp| app.ui(ui), app)
}

/// Steps frames (real time passes: jobs run on threads) until `done` holds.
pub fn step_until(h: &mut Harness<'_, PorteApp>, what: &str, done: impl Fn(&PorteApp) -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        h.step();
        if done(h.state()) {
            // More frames: one to lay out what the job brought, others to settle.
            h.run_steps(3);
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!(
        "timed out waiting for {what}; status: {:?}, error: {:?}",
        h.state().status(),
        h.state().error()
    );
}

/// Waits for the campaign's load job.
pub fn loaded(h: &mut Harness<'_, PorteApp>) {
    step_until(h, "the campaign to load", |app| {
        app.campaign_view().is_some() && !app.is_busy()
    });
}

/// Moves the pointer to `pos` and clicks the primary button there.
pub fn click_at(h: &mut Harness<'_, PorteApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::default(),
        });
        h.step();
    }
    h.run_steps(2);
}
