//! The GUI shell driven like a user session with egui_kittest (no display, no GPU): open a campaign
//! of three square precincts, read the summary, import results through File → Import results…
//! and the Import window, read the report, and select a precinct by clicking the map.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use porte::ui::PorteApp;

use crate::ui_common;
use ui_common::{SIDE_DEG, SQUARES, click_at, loaded, step_until};

fn harness(campaign: &Path) -> Harness<'static, PorteApp> {
    ui_common::harness_with(campaign, |_| {})
}

/// A campaign file holding the three squares, built through the model.
fn campaign_with_three_precincts(dir: &Path) -> PathBuf {
    let (path, _, report) =
        ui_common::campaign_of_squares(dir, "test", &ui_common::three_squares());
    assert_eq!(report.imported, 3);
    path
}

#[test]
fn summary_counts_the_precincts_and_titles_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_three_precincts(dir.path());
    let mut h = harness(&path);
    loaded(&mut h);
    h.get_by_label("3 precincts");
    h.get_by_label("No elections");
    h.check_accessibility();
    h.get_by_label("test.gpkg");
    assert_eq!(
        porte::ui::app::window_title(h.state().campaign_path()),
        "Porte — test.gpkg"
    );
    assert_eq!(h.state().map().layer.shapes.len(), 3);
}

#[test]
fn import_results_through_the_menu_and_the_import_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_three_precincts(dir.path());
    let csv = dir.path().join("municipales.csv");
    std::fs::write(
        &csv,
        "bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa\n\
         P1;100;80;75;50;25\n\
         P2;200;150;140;70;70\n\
         P3;50;40;38;20;18\n\
         P99;10;8;8;4;4\n",
    )
    .unwrap();
    let mut h = harness(&path);
    loaded(&mut h);

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Import results…").click();
    h.run_steps(4);
    // The Import window is open on results, and every input in it has a name.
    h.get_by_label("Run import");
    h.get_by_label("Election");
    h.check_accessibility();

    h.get_by_label("File to import").click();
    h.run_steps(1);
    h.get_by_label("File to import")
        .type_text(&csv.display().to_string());
    h.run_steps(1);
    h.get_by_label("Election").click();
    h.run_steps(1);
    h.get_by_label("Election").type_text("Municipales 2020");
    h.run_steps(1);
    h.get_by_label("Run import").click();
    h.step();
    assert!(h.state().is_busy(), "the import runs in the background");
    step_until(&mut h, "the import", |app| !app.is_busy());

    assert_eq!(h.state().error(), None);
    let report = h.state().last_report().expect("a report");
    assert_eq!(report.kind, "results");
    assert_eq!(report.report["matched"], 3, "{:#}", report.report);
    h.get_by_label("4 rows read, 3 precincts matched");
    h.get_by_label("1 unmatched row");
    // The summary is reloaded with the new election.
    h.get_by_label("1 election");
    // Listed in the summary (and offered in the map colours' and table's election choice).
    assert!(h.get_all_by_label("Municipales 2020").count() >= 2);
    // The unmatched rows are listed, collapsed.
    h.get_by_label_contains("Unmatched rows (1)").click();
    h.run_steps(6);
    h.get_by_label("row 5: P99 (no precinct)");
}

#[test]
fn clicking_inside_a_precinct_selects_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_three_precincts(dir.path());
    let mut h = harness(&path);
    loaded(&mut h);
    assert_eq!(h.state().selected_code(), None);

    // The middle of P2, where the last frame drew it.
    let (_, _, x, y) = SQUARES[1];
    let pos = h
        .state()
        .map()
        .screen_from_wgs84(x + SIDE_DEG / 2.0, y + SIDE_DEG / 2.0)
        .expect("the map was drawn");
    click_at(&mut h, pos);
    assert_eq!(h.state().selected_code(), Some("P2"));
    h.get_by_label("Selected: P2 — École Centre");

    // Hovering P3 names it in a tooltip; clicking outside every precinct clears the selection.
    let (_, _, x3, y3) = SQUARES[2];
    let p3 = h
        .state()
        .map()
        .screen_from_wgs84(x3 + SIDE_DEG / 2.0, y3 + SIDE_DEG / 2.0)
        .unwrap();
    h.hover_at(p3);
    h.run_steps(3);
    let hovered = h.state().map().hovered_fid();
    assert_eq!(
        hovered
            .and_then(|fid| h.state().map().layer.by_fid(fid))
            .map(|s| s.code.as_str()),
        Some("P3")
    );
    // Just below P2.
    let outside = h
        .state()
        .map()
        .screen_from_wgs84(x + SIDE_DEG / 2.0, y - SIDE_DEG / 4.0)
        .unwrap();
    click_at(&mut h, outside);
    assert_eq!(h.state().selected_code(), None);
}

#[test]
fn an_empty_campaign_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("new.gpkg"));
    loaded(&mut h);
    h.get_by_label("0 precincts");
    h.get_by_label(porte::ui::i18n::EN.empty_map_hint);
    assert!(h.state().map().screen_from_wgs84(2.3, 48.85).is_none());
}
