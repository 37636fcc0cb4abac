//! Helpers shared by the egui_kittest UI tests: the three-square fixture, a harness on a
//! campaign, stepping frames until background jobs finish, clicking at a screen position or on
//! a label, typing into a field and picking a combo box item.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
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

/// A GeoJSON FeatureCollection of `side_deg` squares given as (code, name, lon, lat) of their
/// lower-left corners, with `code` and `name` properties.
pub fn squares_geojson(squares: &[(String, String, f64, f64)], side_deg: f64) -> String {
    let features: Vec<String> = squares
        .iter()
        .map(|(code, name, x, y)| {
            let (x1, y1) = (x + side_deg, y + side_deg);
            format!(
                r#"{{"type":"Feature","properties":{{"code":"{code}","name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// The three fixture squares in [`squares_geojson`]'s form.
pub fn three_squares() -> Vec<(String, String, f64, f64)> {
    SQUARES
        .iter()
        .map(|(c, n, x, y)| (c.to_string(), n.to_string(), *x, *y))
        .collect()
}

/// Writes `squares` as `<stem>.geojson` in `dir` and imports them, through the model, into a
/// new campaign `<stem>.gpkg`; returns its path, the open campaign and the import report.
pub fn campaign_of_squares(
    dir: &Path,
    stem: &str,
    squares: &[(String, String, f64, f64)],
) -> (
    std::path::PathBuf,
    porte::model::Campaign,
    porte::model::import::precincts::PrecinctImportReport,
) {
    use porte::model::import::precincts::PrecinctImportOptions;
    let geojson = dir.join(format!("{stem}.geojson"));
    std::fs::write(&geojson, squares_geojson(squares, SIDE_DEG)).unwrap();
    let path = dir.join(format!("{stem}.gpkg"));
    let mut campaign = porte::model::Campaign::open(&path).unwrap();
    let opts = PrecinctImportOptions {
        id_field: Some("code".into()),
        name_field: Some("name".into()),
        ..Default::default()
    };
    let report = campaign
        .import_precincts(&geojson, &opts, &porte::model::NoProgress)
        .unwrap();
    (path, campaign, report)
}

/// The three squares with one election, "Municipales 2020", read from `results_csv` (a
/// `bureau;inscrits;votants;exprimes;CANDIDATE...` table keyed by P1..P3).
pub fn squares_with_results(dir: &Path, stem: &str, results_csv: &str) -> std::path::PathBuf {
    let (path, mut c, _) = campaign_of_squares(dir, stem, &three_squares());
    let csv = dir.join("municipales.csv");
    std::fs::write(&csv, results_csv).unwrap();
    let opts = porte::model::import::results::ResultsImportOptions {
        election: Some("Municipales 2020".into()),
        ..Default::default()
    };
    c.import_results(&csv, &opts, &porte::model::NoProgress)
        .unwrap();
    path
}

/// Presses the primary button at `from`, moves to `to` in small steps (so egui sees a drag, not
/// a click: drag-and-drop sources start moving) and releases it there.
pub fn drag_to(h: &mut Harness<'_, PorteApp>, from: egui::Pos2, to: egui::Pos2) {
    drag_hold(h, from, to);
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::default(),
    });
    h.step();
    h.run_steps(3);
}

/// The first half of [`drag_to`]: pressed at `from`, moved to `to`, still held.
pub fn drag_hold(h: &mut Harness<'_, PorteApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.step();
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::default(),
    });
    h.step();
    for k in 1..=10 {
        h.hover_at(from + (to - from) * (k as f32 / 10.0));
        h.step();
    }
}

/// Clicks the widget labelled `label`.
pub fn click(h: &mut Harness<'_, PorteApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(3);
}

/// Types `text` into the (empty) text input labelled `label`.
pub fn type_into(h: &mut Harness<'_, PorteApp>, label: &str, text: &str) {
    use egui::accesskit::Role;
    h.get_by_role_and_label(Role::TextInput, label).click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run_steps(2);
}

/// Replaces the text of the input labelled `label` with `text` (select all, erase, type).
pub fn replace_text(h: &mut Harness<'_, PorteApp>, label: &str, text: &str) {
    use egui::accesskit::Role;
    h.get_by_role_and_label(Role::TextInput, label).click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.key_press(egui::Key::Backspace);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run_steps(2);
}

/// Opens the combo box labelled `label` and clicks its item `item` (the popup's own node, not
/// another widget showing the same text).
pub fn pick(h: &mut Harness<'_, PorteApp>, label: &str, item: &str) {
    let before: std::collections::HashSet<_> = h
        .query_all_by_label(item)
        .map(|n| n.accesskit_node().id())
        .collect();
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, label)
        .click();
    h.run_steps(2);
    let node = h
        .get_all_by_label(item)
        .find(|n| !before.contains(&n.accesskit_node().id()))
        .unwrap_or_else(|| panic!("no item {item} in {label}"));
    node.click();
    h.run_steps(3);
}
