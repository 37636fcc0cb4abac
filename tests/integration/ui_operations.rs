//! The Operations tab (issue 5) driven with egui_kittest: create an operation in its window,
//! add the campaign's turfs to it, drag a volunteer from the "available" list onto a turf row
//! and onto a turf on the map, and apply Porte's suggested assignment.

use crate::ui_common;

use chrono::{NaiveDate, NaiveTime, Weekday};
use egui::{Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo_types::{Coord, Point};
use porte::model::Campaign;
use porte::model::import::addresses::AddressImportOptions;
use porte::model::operations::{Operation, OperationDraft};
use porte::model::volunteers::{Availability, AvailabilityItem, DaySlot, Volunteer};
use porte::ui::PorteApp;
use ui_common::*;

/// Grid step of the doors, degrees; a 10×10 grid of doors fills squares P1 and P2.
const STEP: f64 = 0.001;

/// The fixture's ids.
struct Fixture {
    path: std::path::PathBuf,
    /// Turfs A, B (west and east halves of P1), C, D (halves of P2): 50 doors each.
    turfs: Vec<i64>,
    jose: i64,
    francois: i64,
    amina: i64,
    paul: i64,
    zoe: i64,
}

fn saturday_morning() -> Availability {
    Availability {
        items: vec![AvailabilityItem::Weekly {
            day: Weekday::Sat,
            slot: DaySlot::Morning,
        }],
    }
}

/// Three squares, doors in P1 and P2 (streets "Rue S-J", numbers 1–10), four turfs, and five
/// volunteers: José and François (a pair), Amina and Paul, available Saturday morning; Zoé,
/// Sunday only.
fn fixture(dir: &std::path::Path) -> Fixture {
    let (path, _, _) = campaign_of_squares(dir, "operations", &three_squares());
    let mut csv = String::from("id;numero;rep;nom_voie;code_postal;nom_commune;x;y;lon;lat\n");
    for s in [0, 1] {
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
    let mut c = Campaign::open(&path).unwrap();
    c.import_addresses(
        &file,
        &AddressImportOptions::default(),
        &porte::model::NoProgress,
    )
    .unwrap();
    let mut turfs = Vec::new();
    for (s, names) in [(0, ["Turf A", "Turf B"]), (1, ["Turf C", "Turf D"])] {
        let (_, _, x0, y0) = SQUARES[s];
        for (k, name) in names.iter().enumerate() {
            let (a, b) = (
                x0 + k as f64 * SIDE_DEG / 2.0,
                x0 + (k + 1) as f64 * SIDE_DEG / 2.0,
            );
            let ring = [
                Coord { x: a, y: y0 },
                Coord { x: b, y: y0 },
                Coord {
                    x: b,
                    y: y0 + SIDE_DEG,
                },
                Coord {
                    x: a,
                    y: y0 + SIDE_DEG,
                },
                Coord { x: a, y: y0 },
            ];
            let outcome = c.create_turf(&ring, Some(name)).unwrap();
            turfs.push(outcome.turf_id);
        }
    }
    for id in &turfs {
        assert_eq!(c.turf(*id).unwrap().doors(), 50);
    }
    let mut add = |first: &str, last: &str, phone: &str, lon: f64, availability| {
        c.add_volunteer(&Volunteer {
            first_name: first.into(),
            last_name: last.into(),
            phone: phone.into(),
            home_wgs84: Some(Point::new(lon, 48.855)),
            availability,
            consent_date: NaiveDate::from_ymd_opt(2026, 1, 10),
            ..Volunteer::default()
        })
        .unwrap()
    };
    let jose = add("José", "Dupré", "06 11 11 11 11", 2.302, saturday_morning());
    let francois = add(
        "François",
        "Lemaire",
        "06 22 22 22 22",
        2.303,
        saturday_morning(),
    );
    let amina = add(
        "Amina",
        "Diallo",
        "06 33 33 33 33",
        2.312,
        saturday_morning(),
    );
    let paul = add(
        "Paul",
        "Martin",
        "06 44 44 44 44",
        2.318,
        saturday_morning(),
    );
    let zoe = add(
        "Zoé",
        "Petit",
        "06 55 55 55 55",
        2.305,
        Availability {
            items: vec![AvailabilityItem::Weekly {
                day: Weekday::Sun,
                slot: DaySlot::AllDay,
            }],
        },
    );
    let mut j = c.volunteer(jose).unwrap();
    j.partner_id = Some(francois);
    c.update_volunteer(&j).unwrap();
    Fixture {
        path,
        turfs,
        jose,
        francois,
        amina,
        paul,
        zoe,
    }
}

/// An operation made through the model (for the tests that are not about the window), with
/// every turf of the fixture.
fn operation_with_turfs(f: &Fixture) -> i64 {
    let mut c = Campaign::open(&f.path).unwrap();
    let id = c
        .create_operation(&OperationDraft {
            name: "Samedi matin".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: "3 Rue 0-0".into(),
            meeting_wgs84: None,
            contact_phone: String::new(),
            notes: String::new(),
        })
        .unwrap();
    c.add_operation_turfs(id, &f.turfs).unwrap();
    id
}

fn model_operation(f: &Fixture, id: i64) -> Operation {
    Campaign::open(&f.path).unwrap().operation(id).unwrap()
}

fn open_operations_tab(h: &mut Harness<'_, PorteApp>) {
    h.get_by_label("Operations").click();
    h.run_steps(3);
}

fn centre_of(h: &Harness<'_, PorteApp>, label: &str) -> Pos2 {
    h.get_by_label(label).rect().center()
}

#[test]
fn create_an_operation_and_drag_volunteers_onto_its_turf_rows() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path());
    let mut h = harness_with(&f.path, |_| {});
    loaded(&mut h);
    open_operations_tab(&mut h);
    h.get_by_label("No operation yet: create one with New….");

    // The window: typed fields, the weekday shown as the date is typed, Save.
    click(&mut h, "New…");
    h.get_by_label("New operation");
    replace_text(&mut h, "Name", "Samedi matin");
    replace_text(&mut h, "Date", "2026-03-1");
    h.get_by_label("not a date (YYYY-MM-DD)");
    replace_text(&mut h, "Date", "2026-03-14");
    h.get_by_label("Saturday 14 March 2026");
    replace_text(&mut h, "Start", "10:00");
    replace_text(&mut h, "End", "12:30");
    replace_text(&mut h, "Meeting point", "3 Rue 0-0");
    click(&mut h, "Find");
    h.get_by_label("found: 3 Rue 0-0");
    replace_text(&mut h, "Meeting point", "3 Rue 0-0");
    replace_text(&mut h, "Contact phone", "06 12 34 56 78");
    click(&mut h, "Save");
    assert!(
        !h.state().operations().window.open,
        "refused: {:?}",
        h.state().operations().window.error
    );
    let ops = Campaign::open(&f.path).unwrap().operations().unwrap();
    assert_eq!(ops.len(), 1);
    let op = &ops[0];
    assert_eq!(op.name, "Samedi matin");
    assert_eq!(op.date, NaiveDate::from_ymd_opt(2026, 3, 14).unwrap());
    assert_eq!(op.window_minutes(), 150.0);
    assert_eq!(op.contact_phone, "06 12 34 56 78");
    let meeting = op
        .meeting_lonlat()
        .expect("3 Rue 0-0 is a campaign address");
    // Door (i = 2, j = 0) of P1.
    let (_, _, x0, y0) = SQUARES[0];
    let door = [x0 + STEP * 2.5, y0 + STEP * 0.5];
    assert!((meeting[0] - door[0]).abs() < 1e-5 && (meeting[1] - door[1]).abs() < 1e-5);
    assert_eq!(h.state().selected_operation(), Some(op.id));
    h.get_by_label("Saturday 14 March 2026, 10:00–12:30");
    h.get_by_label("Meeting point: 3 Rue 0-0");

    // Add every turf: four rows, nobody placed yet.
    click(&mut h, "All");
    let op = model_operation(&f, op.id);
    assert_eq!(op.turf_ids.len(), 4);
    h.get_by_label("0 of 4 turfs staffed · 0 of 200 doors · 0 teams · 4 available not placed");
    for name in ["Turf A", "Turf B", "Turf C", "Turf D"] {
        h.get_by_label(name);
    }
    assert!(
        h.query_by_label("Zoé Petit").is_none(),
        "not available on Saturday"
    );

    // Drag Amina onto Turf C's row.
    let from = centre_of(&h, "Amina Diallo");
    let to = centre_of(&h, "Turf C");
    drag_to(&mut h, from, to);
    let op = model_operation(&f, op.id);
    let team = op.team_of_turf(f.turfs[2]).expect("a team on turf C");
    assert_eq!(team.member_ids, vec![f.amina]);
    h.get_by_label("Amina D.");
    assert!(
        h.query_by_label("Amina Diallo").is_none(),
        "placed, no longer in the available list"
    );

    // Drag José onto Turf A's row: his partner comes along.
    let from = centre_of(&h, "José Dupré");
    let to = centre_of(&h, "Turf A");
    drag_to(&mut h, from, to);
    let op = model_operation(&f, op.id);
    let team = op.team_of_turf(f.turfs[0]).expect("a team on turf A");
    let mut members = team.member_ids.clone();
    members.sort_unstable();
    let mut pair = vec![f.jose, f.francois];
    pair.sort_unstable();
    assert_eq!(members, pair);
    h.get_by_label("José D. & François L.");
    h.get_by_label("2 of 4 turfs staffed · 100 of 200 doors · 2 teams · 1 available not placed");
    // The map shows the selected operation's teams.
    let labels = &h.state().map().teams.labels;
    assert!(
        labels
            .iter()
            .any(|l| l.turf_id == f.turfs[0] && l.text == "José D. & François L."),
        "{labels:?}"
    );

    // Unassign Amina from her row.
    click(&mut h, "Amina D. ×");
    let op = model_operation(&f, op.id);
    assert!(op.team_of_turf(f.turfs[2]).is_none());
    h.get_by_label("Amina Diallo");
    let _ = f.zoe;
}

#[test]
fn a_volunteer_dropped_on_a_turf_of_the_map_joins_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path());
    let id = operation_with_turfs(&f);
    let mut h = harness_with(&f.path, |_| {});
    loaded(&mut h);
    open_operations_tab(&mut h);
    assert_eq!(
        h.state().selected_operation(),
        Some(id),
        "the first is chosen"
    );

    // Turf D is the east half of P2.
    let (_, _, x0, y0) = SQUARES[1];
    let target = h
        .state()
        .map()
        .screen_from_wgs84(x0 + 0.75 * SIDE_DEG, y0 + SIDE_DEG / 2.0)
        .unwrap();
    let from = centre_of(&h, "Paul Martin");
    drag_hold(&mut h, from, target);
    assert_eq!(
        h.state().map().teams.drop_target(),
        Some(f.turfs[3]),
        "the turf under the pointer is highlighted"
    );
    h.event(egui::Event::PointerButton {
        pos: target,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::default(),
    });
    h.run_steps(4);
    let op = model_operation(&f, id);
    let team = op.team_of_turf(f.turfs[3]).expect("a team on turf D");
    assert_eq!(team.member_ids, vec![f.paul]);
    h.get_by_label("Paul M.");
    assert_eq!(h.state().map().teams.drop_target(), None);
    assert_eq!(
        h.state().selected_code(),
        None,
        "the drop did not select a precinct"
    );

    // Edit it: the meeting point picked with a click on the map (in P3).
    click(&mut h, "Edit…");
    click(&mut h, "Pick on map");
    let (_, _, x3, y3) = SQUARES[2];
    let (lon, lat) = (x3 + SIDE_DEG / 2.0, y3 + SIDE_DEG / 2.0);
    let p = h.state().map().screen_from_wgs84(lon, lat).unwrap();
    click_at(&mut h, p);
    let picked = h.state().operations().window.meeting_wgs84.expect("picked");
    assert!((picked[0] - lon).abs() < 1e-4 && (picked[1] - lat).abs() < 1e-4);
    assert_eq!(
        h.state().selected_code(),
        None,
        "the click picked, not selected"
    );
    click(&mut h, "Save");
    let meeting = model_operation(&f, id).meeting_lonlat().unwrap();
    assert!((meeting[0] - lon).abs() < 1e-4 && (meeting[1] - lat).abs() < 1e-4);
    assert_eq!(h.state().map().teams.meeting_wgs84, Some(meeting));
}

#[test]
fn suggest_then_apply_staffs_the_turfs() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path());
    let id = operation_with_turfs(&f);
    let mut h = harness_with(&f.path, |_| {});
    loaded(&mut h);
    open_operations_tab(&mut h);
    let before = "0 of 4 turfs staffed · 0 of 200 doors · 0 teams · 4 available not placed";
    h.get_by_label(before);

    click(&mut h, "Suggest assignment");
    let (_, plan) = h
        .state()
        .operations()
        .suggestion
        .clone()
        .expect("a suggestion is shown");
    assert!(!plan.assignments.is_empty());
    for a in &plan.assignments {
        h.get_by_label(&a.members.join(" & "));
        assert!(!a.member_ids.contains(&f.zoe), "Zoé is not available");
    }
    assert!(
        model_operation(&f, id).teams.is_empty(),
        "only shown, not saved"
    );

    click(&mut h, "Apply");
    let op = model_operation(&f, id);
    assert_eq!(op.teams.len(), plan.assignments.len());
    for a in &plan.assignments {
        let team = op.team_of_turf(a.turf_id).expect("the suggested team");
        assert_eq!(team.member_ids, a.member_ids);
    }
    assert!(h.query_by_label(before).is_none(), "the coverage changed");
    let coverage = h.state().operations().coverage.clone().unwrap();
    assert_eq!(coverage.turfs_assigned, plan.assignments.len());
    h.get_by_label(&porte::ui::panels::operations::coverage_line(
        porte::ui::i18n::Lang::En.strings(),
        &coverage,
    ));
    // Turfs without a team say why.
    for u in &plan.unassigned {
        assert!(op.team_of_turf(u.turf_id).is_none());
    }

    click(&mut h, "Clear");
    assert!(model_operation(&f, id).teams.is_empty());
    h.get_by_label(before);

    // Delete, once confirmed.
    click(&mut h, "Delete");
    h.get_by_label("Delete “Samedi matin” and its teams? The turfs and volunteers stay.");
    click(&mut h, "Delete the operation");
    assert!(
        Campaign::open(&f.path)
            .unwrap()
            .operations()
            .unwrap()
            .is_empty()
    );
    assert_eq!(h.state().selected_operation(), None);
    h.get_by_label("No operation yet: create one with New….");
    assert!(h.state().map().teams.labels.is_empty());
}
