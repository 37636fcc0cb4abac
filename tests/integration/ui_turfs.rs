//! The turf GUI (issue 4) driven with egui_kittest: draw a turf by clicking on the map, undo
//! and redo it with Ctrl+Z / Ctrl+Shift+Z, drag one of its vertices, and auto-cut a precinct
//! from the turf panel.

use crate::ui_common;

use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use porte::model::Campaign;
use porte::model::import::addresses::AddressImportOptions;
use porte::ui::PorteApp;
use ui_common::*;

/// Grid step of the doors, degrees; a 10×10 grid of doors fills each chosen square.
const STEP: f64 = 0.001;

/// A campaign of the three squares with a 10×10 grid of doors in each of `squares` (by index).
fn campaign_with_doors(dir: &std::path::Path, squares: &[usize]) -> std::path::PathBuf {
    let (path, _, _) = campaign_of_squares(dir, "turfs", &three_squares());
    let mut csv = String::from("id;numero;rep;nom_voie;code_postal;nom_commune;x;y;lon;lat\n");
    for &s in squares {
        let (_, _, x0, y0) = SQUARES[s];
        for i in 0..10 {
            for j in 0..10 {
                let (lon, lat) = (
                    x0 + STEP / 2.0 + STEP * i as f64,
                    y0 + STEP / 2.0 + STEP * j as f64,
                );
                csv.push_str(&format!(
                    "d{s}_{i}_{j};{};;Rue {s}-{j};75001;Paris;;;{lon:.6};{lat:.6}\n",
                    i + 1
                ));
            }
        }
    }
    let file = dir.join("ban.csv");
    std::fs::write(&file, csv).unwrap();
    let report = Campaign::open(&path)
        .unwrap()
        .import_addresses(
            &file,
            &AddressImportOptions::default(),
            &porte::model::NoProgress,
        )
        .unwrap();
    assert_eq!(report.imported, 100 * squares.len());
    path
}

fn screen(h: &Harness<'_, PorteApp>, lon: f64, lat: f64) -> Pos2 {
    h.state()
        .map()
        .screen_from_wgs84(lon, lat)
        .expect("the map was drawn")
}

fn open_turf_tab(h: &mut Harness<'_, PorteApp>) {
    h.get_by_label("Turfs").click();
    h.run_steps(3);
}

/// Draws the square (lon0, lat0)–(lon1, lat1) with the tool, closing it on its first vertex.
fn draw_square(h: &mut Harness<'_, PorteApp>, lon0: f64, lat0: f64, lon1: f64, lat1: f64) {
    h.get_by_label("Draw turf").click();
    h.run_steps(3);
    let corners = [
        (lon0, lat0),
        (lon1, lat0),
        (lon1, lat1),
        (lon0, lat1),
        (lon0, lat0),
    ];
    for (lon, lat) in corners {
        let p = screen(h, lon, lat);
        click_at(h, p);
    }
}

fn model_turfs(path: &std::path::Path) -> Vec<porte::model::turfs::Turf> {
    Campaign::open(path).unwrap().turfs().unwrap()
}

#[test]
fn draw_a_turf_then_undo_and_redo_it_with_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_doors(dir.path(), &[0]);
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    open_turf_tab(&mut h);
    assert!(h.query_by_label("Turf 1").is_none());

    // Doors are at 2.3005 + k·0.001: this square holds 4 × 4 of them.
    draw_square(&mut h, 2.302, 48.852, 2.306, 48.856);
    let turfs = model_turfs(&path);
    assert_eq!(turfs.len(), 1, "notice: {:?}", h.state().turf_notice());
    assert_eq!(turfs[0].doors(), 16);
    assert_eq!(h.state().turfs().len(), 1);
    assert_eq!(h.state().selected_turf(), Some(turfs[0].id));
    h.get_by_label("Turf 1");
    h.get_by_label("1 turf(s), 16 doors");
    assert!(h.query_all_by_label("16").count() >= 1, "the door column");

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(model_turfs(&path).is_empty(), "undone in the model");
    assert!(h.state().turfs().is_empty());
    assert!(h.query_by_label("Turf 1").is_none(), "gone from the list");
    h.get_by_label("0 turf(s), 0 doors");

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(3);
    let turfs = model_turfs(&path);
    assert_eq!(turfs.len(), 1, "redone in the model");
    assert_eq!(turfs[0].doors(), 16);
    h.get_by_label("Turf 1");
    h.get_by_label("1 turf(s), 16 doors");
}

#[test]
fn dragging_a_vertex_of_the_selected_turf_reshapes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_doors(dir.path(), &[0]);
    // No side panel: the map is wide enough that the small turf shows its vertex handles
    // (they are hidden on turfs under 80 points on screen).
    let mut h = harness_with(&path, |app| app.prefs.side_panel_visible = false);
    loaded(&mut h);
    open_turf_tab(&mut h);
    draw_square(&mut h, 2.302, 48.852, 2.306, 48.856);
    let before = model_turfs(&path);
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].doors(), 16);

    // Drag the north-east corner one door column further east: 4 more doors.
    let corner_before = screen(&h, 2.302, 48.852);
    let from = screen(&h, 2.306, 48.856);
    let to = screen(&h, 2.307, 48.856);
    h.hover_at(from);
    h.step();
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::default(),
    });
    h.step();
    for k in 1..=6 {
        h.hover_at(from + (to - from) * (k as f32 / 6.0));
        h.step();
    }
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::default(),
    });
    h.run_steps(3);

    let after = model_turfs(&path);
    assert_eq!(after.len(), 1, "notice: {:?}", h.state().turf_notice());
    assert_ne!(
        after[0].geom_wgs84, before[0].geom_wgs84,
        "the outline changed"
    );
    let max_lon = after[0].geom_wgs84.0[0]
        .exterior()
        .coords()
        .map(|c| c.x)
        .fold(f64::MIN, f64::max);
    assert!((max_lon - 2.307).abs() < 0.0002, "moved east: {max_lon}");
    let min_lon = after[0].geom_wgs84.0[0]
        .exterior()
        .coords()
        .map(|c| c.x)
        .fold(f64::MAX, f64::min);
    assert!(
        (min_lon - 2.302).abs() < 1e-6,
        "the west side stayed (a vertex moved, not the turf): {min_lon}"
    );
    assert!(after[0].doors() > 16, "{} doors", after[0].doors());
    // The map did not pan under the drag: the other corners stayed where they were.
    let corner_after = screen(&h, 2.302, 48.852);
    assert!(
        (corner_after - corner_before).length() < 0.5,
        "the map panned: {corner_before:?} → {corner_after:?}"
    );
    assert_eq!(h.state().turfs()[0].doors(), after[0].doors());

    // Its status, from the panel.
    h.get_by_label("assigned").click();
    h.run_steps(3);
    assert_eq!(
        model_turfs(&path)[0].status,
        porte::model::turfs::TurfStatus::Assigned
    );

    // Its colour, from the panel's palette.
    let other = porte::model::turfs::PALETTE
        .iter()
        .find(|c| **c != model_turfs(&path)[0].colour)
        .unwrap();
    h.get_by_label(other).click();
    h.run_steps(3);
    assert_eq!(model_turfs(&path)[0].colour, *other);
}

#[test]
fn auto_cut_from_the_panel_lists_balanced_turfs() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_doors(dir.path(), &[1]);
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    // Select P2 on the map: the cut form takes it.
    let (_, _, x, y) = SQUARES[1];
    let centre = screen(&h, x + SIDE_DEG / 2.0, y + SIDE_DEG / 2.0);
    click_at(&mut h, centre);
    assert_eq!(h.state().selected_code(), Some("P2"));
    open_turf_tab(&mut h);

    h.get_by_label("Number of turfs").click();
    h.run_steps(2);
    h.get_by_label("Cut into turfs").click();
    h.run_steps(2);
    step_until(&mut h, "the cut", |app| {
        app.last_cut().is_some() && !app.is_busy()
    });

    let report = h.state().last_cut().unwrap();
    assert_eq!(report.turfs.len(), 4);
    assert_eq!(report.doors, 100);
    assert!(report.doors_ratio <= 1.2, "max/min {}", report.doors_ratio);
    let turfs = model_turfs(&path);
    assert_eq!(turfs.len(), 4);
    assert_eq!(turfs.iter().map(|t| t.doors()).sum::<usize>(), 100);
    for t in &turfs {
        h.get_by_label(&t.name);
        assert!(
            (20..=30).contains(&t.doors()),
            "{}: {} doors",
            t.name,
            t.doors()
        );
    }
    h.get_by_label("4 turf(s), 100 doors");
}

#[test]
fn a_vertex_clicked_near_a_precinct_corner_snaps_onto_it_unless_snapping_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_doors(dir.path(), &[0]);
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    open_turf_tab(&mut h);
    // The corner shared by P1 and P2 at the top, clicked 3 points off; then two free vertices.
    let (corner_lon, corner_lat) = (2.31, 48.86);
    let draw = |h: &mut Harness<'_, PorteApp>| {
        h.get_by_label("Draw turf").click();
        h.run_steps(3);
        let near_corner = screen(h, corner_lon, corner_lat) + egui::vec2(-3.0, 2.0);
        let points = [
            near_corner,
            screen(h, 2.305, 48.853),
            screen(h, 2.303, 48.857),
        ];
        for p in points {
            click_at(h, p);
        }
        click_at(h, points[0]);
    };
    let has_corner = |t: &porte::model::turfs::Turf| {
        t.geom_wgs84.0[0]
            .exterior()
            .0
            .iter()
            .any(|c| (c.x - corner_lon).abs() < 1e-9 && (c.y - corner_lat).abs() < 1e-9)
    };
    draw(&mut h);
    let turfs = model_turfs(&path);
    assert_eq!(turfs.len(), 1, "notice: {:?}", h.state().turf_notice());
    assert!(has_corner(&turfs[0]), "{:?}", turfs[0].geom_wgs84);

    // Snapping off: the same clicks leave the vertex where the pointer was.
    h.get_by_label("Snap to precinct boundaries and streets")
        .click();
    h.run_steps(2);
    h.get_by_label("Delete turf").click();
    h.run_steps(3);
    assert!(model_turfs(&path).is_empty());
    draw(&mut h);
    let turfs = model_turfs(&path);
    assert_eq!(turfs.len(), 1, "notice: {:?}", h.state().turf_notice());
    assert!(!has_corner(&turfs[0]), "{:?}", turfs[0].geom_wgs84);
}

#[test]
fn a_drawn_area_is_cut_into_turfs_that_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign_with_doors(dir.path(), &[0]);
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    open_turf_tab(&mut h);
    // Doors at 2.3005 + k·0.001: this square holds 8 × 8 = 64 of them.
    draw_square(&mut h, 2.301, 48.851, 2.309, 48.859);
    let drawn = model_turfs(&path);
    assert_eq!(drawn.len(), 1, "notice: {:?}", h.state().turf_notice());
    assert_eq!(drawn[0].doors(), 64);

    h.get_by_label("Number of turfs").click();
    h.run_steps(2);
    h.get_by_label("Cut this area into turfs").click();
    h.run_steps(2);
    step_until(&mut h, "the cut", |app| {
        app.last_cut().is_some() && !app.is_busy()
    });
    let report = h.state().last_cut().unwrap();
    assert_eq!(report.turfs.len(), 4, "{report:?}");
    assert_eq!(report.doors, 64);
    assert!(report.doors_ratio <= 1.2, "max/min {}", report.doors_ratio);
    let turfs = model_turfs(&path);
    assert_eq!(turfs.len(), 4, "the drawn turf was replaced");
    assert!(turfs.iter().all(|t| t.id != drawn[0].id));
    assert_eq!(turfs.iter().map(|t| t.doors()).sum::<usize>(), 64);
    assert!(turfs.iter().all(|t| t.name.starts_with("Turf 1")));
}
