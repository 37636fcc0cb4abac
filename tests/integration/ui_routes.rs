//! A turf's walking route from the Turfs tab (issue 6), driven with egui_kittest: select a turf
//! of the sample city, press "Route", wait for the job, and read the figures the model gives.

use crate::common;
use crate::ui_common;

use egui_kittest::kittest::Queryable;
use porte::model::export::phone::stop_address;
use porte::model::routing::{RouteMethod, RouteOptions, SideMode};
use porte::model::sample_campaign::{build_sample_campaign, bundled_sample_city};
use porte::model::{Campaign, NoProgress};
use porte::ui::i18n::EN;
use porte::ui::panels::route_panel::{duration_text, length_text};
use ui_common::*;

/// The sample city with its first precinct cut into turfs of about 30 doors; returns the
/// campaign and the id and name of its largest turf.
fn sample_with_turfs(dir: &std::path::Path) -> (std::path::PathBuf, i64, String) {
    let path = dir.join("routes.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let turf = common::cut_first_precinct(&path, 30);
    assert!(turf.doors() >= 10, "{} doors", turf.doors());
    (path, turf.id, turf.name)
}

/// Scrolls the side panel to the widget labelled `label`, then clicks it.
fn click_scrolled(h: &mut egui_kittest::Harness<'_, porte::ui::PorteApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_steps(3);
    h.get_by_label(label).click();
    h.run_steps(1);
}

#[test]
fn a_turf_is_routed_from_the_turfs_tab_and_drawn_on_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let (path, turf_id, turf_name) = sample_with_turfs(dir.path());
    let expected = Campaign::open(&path)
        .unwrap()
        .route_turf(turf_id, &RouteOptions::default())
        .unwrap();
    assert_eq!(expected.method, RouteMethod::StreetGraph);

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.get_by_label("Turfs").click();
    h.run_steps(3);
    assert!(h.query_by_label("Route").is_none(), "no turf selected yet");
    h.get_by_label(&turf_name).click();
    h.run_steps(3);
    assert_eq!(h.state().selected_turf(), Some(turf_id));
    click_scrolled(&mut h, "Route");
    h.run_steps(1);
    step_until(&mut h, "the route", |app| {
        app.route_panel().route().is_some() && app.route_panel().running_turf().is_none()
    });

    let route = h.state().route_panel().route().unwrap().clone();
    assert_eq!(route.turf_id, turf_id);
    // The same doors as the model's route, in a tour as long within the solver's time budget.
    assert_eq!(route.stops.len(), expected.stops.len());
    let fids = |r: &porte::model::routing::Route| {
        let mut v: Vec<i64> = r.stops.iter().map(|s| s.address_fid).collect();
        v.sort_unstable();
        v
    };
    assert_eq!(fids(&route), fids(&expected));
    assert!(
        (route.length_m - expected.length_m).abs() <= 0.03 * expected.length_m,
        "{} vs {}",
        route.length_m,
        expected.length_m
    );
    // The panel shows those figures.
    h.get_by_label("Method: street graph");
    h.get_by_label(&format!("Length: {}", length_text(&EN, route.length_m)));
    h.get_by_label(&format!("Time: about {}", duration_text(route.minutes)));
    h.get_by_label(&format!("Doors: {}", route.stops.len()));
    h.get_by_label("Start: the door nearest the turf\u{2019}s centre");
    h.get_by_label(&stop_address(&route.stops[0]));
    assert!(
        h.state().status().contains(&turf_name),
        "{}",
        h.state().status()
    );

    // The map draws it: the route layer holds its stops and path.
    let layer = &h.state().map().route;
    assert_eq!(layer.turf_id(), Some(turf_id));
    assert_eq!(layer.stops(), route.stops.len());
    assert!(layer.path_len() >= 2);

    // The phone-ready files of the route shown, to a typed path.
    let stem = dir.path().join("turf");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Export to:")
        .scroll_to_me();
    h.run_steps(2);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Export to:")
        .focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Export to:")
        .type_text(stem.to_str().unwrap());
    h.run_steps(2);
    click_scrolled(&mut h, "GPX");
    h.run_steps(2);
    let gpx = std::fs::read_to_string(dir.path().join("turf.gpx")).unwrap_or_else(|e| {
        panic!(
            "{e}; status {:?}, path {:?}",
            h.state().status(),
            h.state().route_panel().export_path
        )
    });
    assert!(gpx.contains("<gpx"), "{}", &gpx[..gpx.len().min(200)]);
    assert_eq!(gpx.matches("<wpt").count(), route.stops.len());
    assert!(
        h.state().status().starts_with("Written: "),
        "{}",
        h.state().status()
    );
    click_scrolled(&mut h, "HTML walk list");
    h.run_steps(2);
    let html = std::fs::read_to_string(dir.path().join("turf.html")).unwrap();
    assert!(html.contains(&turf_name), "the walk list names its turf");
    assert!(html.contains(&stop_address(&route.stops[0])));
    click_scrolled(&mut h, "GeoJSON");
    h.run_steps(2);
    let geojson: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("turf.geojson")).unwrap())
            .unwrap();
    assert_eq!(
        geojson["features"].as_array().unwrap().len(),
        route.stops.len() + 1,
        "the route line and one point per stop"
    );
    click_scrolled(&mut h, "CSV");
    h.run_steps(2);
    let csv = std::fs::read_to_string(dir.path().join("turf.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        route.stops.len() + 1,
        "header and one row per door"
    );

    // "Hide route" clears the panel and the map.
    click_scrolled(&mut h, "Hide route");
    h.run_steps(3);
    assert!(h.state().route_panel().route().is_none());
    assert!(h.state().map().route.is_empty());
    assert!(h.query_by_label("Method: street graph").is_none());
}

#[test]
fn zig_zag_and_back_to_start_reach_the_router() {
    let dir = tempfile::tempdir().unwrap();
    let (path, turf_id, turf_name) = sample_with_turfs(dir.path());
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.get_by_label("Turfs").click();
    h.run_steps(3);
    h.get_by_label(&turf_name).click();
    h.run_steps(3);
    click_scrolled(&mut h, "Zig-zag");
    click_scrolled(&mut h, "Back to start");
    h.run_steps(2);
    click_scrolled(&mut h, "Route");
    h.run_steps(1);
    step_until(&mut h, "the route", |app| {
        app.route_panel().route().is_some() && app.route_panel().running_turf().is_none()
    });
    let panel = h.state().route_panel();
    assert_eq!(panel.side_mode, SideMode::ZigZag);
    let route = panel.route().unwrap();
    assert_eq!(route.turf_id, turf_id);
    // Back to start: the path ends where the model's closed route ends (back at the start),
    // not where its open route does (at the last door).
    let model = Campaign::open(&path).unwrap();
    let end_of = |closed: bool| {
        let options = RouteOptions {
            return_to_start: closed,
            side_mode: SideMode::ZigZag,
            ..RouteOptions::default()
        };
        *model
            .route_turf(turf_id, &options)
            .unwrap()
            .path_wgs84
            .0
            .last()
            .unwrap()
    };
    let end = *route.path_wgs84.0.last().unwrap();
    let near = |a: geo_types::Coord<f64>, b: geo_types::Coord<f64>| {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    };
    assert!(near(end, end_of(true)), "{end:?}");
    assert!(!near(end, end_of(false)), "{end:?}");
    drop(model);

    // Deleting the turf takes its route off the panel and the map.
    assert_eq!(h.state().map().route.turf_id(), Some(turf_id));
    click_scrolled(&mut h, "Delete turf");
    h.run_steps(3);
    assert!(h.state().turfs().iter().all(|t| t.id != turf_id));
    assert!(h.state().route_panel().route().is_none());
    assert!(h.state().map().route.is_empty());
}

#[test]
fn the_start_picked_on_the_map_is_where_the_route_starts() {
    use geo::InteriorPoint;
    let dir = tempfile::tempdir().unwrap();
    let (path, turf_id, turf_name) = sample_with_turfs(dir.path());
    let inside = Campaign::open(&path)
        .unwrap()
        .turf(turf_id)
        .unwrap()
        .geom_wgs84
        .interior_point()
        .unwrap();
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.get_by_label("Turfs").click();
    h.run_steps(3);
    h.get_by_label(&turf_name).click();
    h.run_steps(3);
    click_scrolled(&mut h, "Pick start on map");
    h.run_steps(2);
    assert!(h.state().map().route.picking_start);
    let at = h
        .state()
        .map()
        .screen_from_wgs84(inside.x(), inside.y())
        .expect("the turf is on screen");
    click_at(&mut h, at);
    h.run_steps(2);
    let picked = h
        .state()
        .route_panel()
        .start_pick_wgs84
        .expect("a start was picked");
    assert!(
        (picked[0] - inside.x()).abs() < 1e-4 && (picked[1] - inside.y()).abs() < 1e-4,
        "{picked:?} vs {inside:?}"
    );
    assert!(!h.state().map().route.picking_start);
    assert_eq!(
        h.state().selected_turf(),
        Some(turf_id),
        "the click picked, it did not change the selection"
    );

    click_scrolled(&mut h, "Route");
    h.run_steps(1);
    step_until(&mut h, "the route", |app| {
        app.route_panel().route().is_some() && app.route_panel().running_turf().is_none()
    });
    let route = h.state().route_panel().route().unwrap().clone();
    assert!(
        (route.start_wgs84.x() - picked[0]).abs() < 1e-9
            && (route.start_wgs84.y() - picked[1]).abs() < 1e-9,
        "{:?}",
        route.start_wgs84
    );
    h.get_by_label("Start: the point picked on the map");

    // Back to the default start.
    click_scrolled(&mut h, "Use the default start");
    h.run_steps(2);
    assert_eq!(h.state().route_panel().start_pick_wgs84, None);
}

#[test]
fn an_operation_turf_is_routed_from_its_meeting_point_and_its_sheets_are_written() {
    use chrono::{NaiveDate, NaiveTime};
    use egui::accesskit::Role;
    use porte::model::operations::OperationDraft;
    let dir = tempfile::tempdir().unwrap();
    let (path, turf_id, turf_name) = sample_with_turfs(dir.path());
    let mut c = Campaign::open(&path).unwrap();
    let turf = c.turf(turf_id).unwrap();
    let door = porte::model::storage::doors::all(c.connection())
        .unwrap()
        .into_iter()
        .find(|d| d.fid == turf.door_ids[0])
        .unwrap();
    let meeting = geo_types::Point::new(door.pos_wgs84.x + 0.0005, door.pos_wgs84.y);
    let op = c
        .create_operation(&OperationDraft {
            name: "Samedi matin".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: "Place du marché".into(),
            meeting_wgs84: Some(meeting),
            contact_phone: "06 12 34 56 78".into(),
            notes: String::new(),
        })
        .unwrap();
    c.add_operation_turfs(op, &[turf_id]).unwrap();
    drop(c);

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.get_by_label("Operations").click();
    h.run_steps(3);
    assert_eq!(h.state().selected_operation(), Some(op));
    // The turf row's "Route" starts at the meeting point.
    click_scrolled(&mut h, "Route");
    step_until(&mut h, "the route", |app| {
        app.route_panel().route().is_some() && app.route_panel().running_turf().is_none()
    });
    let route = h.state().route_panel().route().unwrap().clone();
    assert_eq!(route.turf_id, turf_id);
    assert_eq!(route.start_wgs84, meeting);
    assert_eq!(h.state().selected_turf(), Some(turf_id));
    h.get_by_label("Start: meeting point of Samedi matin");
    h.get_by_label(&format!("Doors: {}", turf.doors()));
    assert_eq!(h.state().map().route.turf_id(), Some(turf_id));
    assert!(h.state().status().contains(&turf_name));

    // Walk sheets: one PDF, typed in the window.
    click_scrolled(&mut h, "Walk sheets…");
    assert!(h.state().sheets_window().open);
    h.run_steps(3);
    let pdf = dir.path().join("sheets");
    h.get_by_role_and_label(Role::TextInput, "File:").click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "File:")
        .type_text(pdf.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Write the sheets").click();
    h.run_steps(1);
    step_until(&mut h, "the sheets", |app| {
        !app.sheets_window().is_exporting() && !app.sheets_window().written.is_empty()
    });
    let file = dir.path().join("sheets.pdf");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let line = &h.state().sheets_window().written[0];
    assert!(
        line.starts_with(&format!("Written: {} (", file.display())) && line.ends_with(" KB)"),
        "{line}"
    );
    // In the window and in the status bar.
    assert_eq!(h.query_all_by_label(line).count(), 2);
    assert!(h.state().sheets_window().error.is_none());
}
