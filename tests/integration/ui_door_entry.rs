//! Door-by-door entry and the field results import window (issue 7), driven with egui_kittest
//! on the sample city: pick a door of the selected turf, record its outcome, a theme, a follow-up,
//! a note (the sensitive-word warning shows as it is typed) and a contact (refused without a
//! consent date): the model holds the visit tied to its operation, team and turf, and the contact
//! tied to the visit, and the tab's total moves. Then File › Import field results: a walk list
//! CSV written from the turf's doors is recognised and imported (3 accepted), re-importing it
//! gives duplicates, and a spreadsheet with French headers is imported through its mapping.
//! Also: the theme editor, and the door list in walking order once the turf is routed.

use crate::common;
use crate::ui_common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use porte::model::contacts::consent_date_from_text;
use porte::model::operations::OperationDraft;
use porte::model::results::Outcome;
use porte::model::results::record::TurfDoor;
use porte::model::sample_campaign::{build_sample_campaign, bundled_sample_city};
use porte::model::turfs::Turf;
use porte::model::{Campaign, NoProgress};
use porte::ui::PorteApp;
use porte::ui::command::{Command, RightTab};
use porte::ui::i18n::{EN, fill};
use porte::ui::panels::door_entry::visit_line;
use porte::ui::panels::operations::OperationCommand;
use porte::ui::panels::route_panel::RouteCommand;
use porte::ui::panels::sensitive_note::sensitive_warning;
use ui_common::*;

const SATURDAY: &str = "2026-03-14";

/// Scrolls the widget labelled `label` (with `role` when given) into view and clicks it.
fn click_role(h: &mut Harness<'_, PorteApp>, role: Option<Role>, label: &str) {
    for scroll in [true, false] {
        let node = match role {
            Some(role) => h.get_by_role_and_label(role, label),
            None => h.get_by_label(label),
        };
        if scroll {
            node.scroll_to_me();
            // The scroll is animated: let it settle before clicking where the widget is.
            h.run_steps(20);
        } else {
            node.click();
            h.run_steps(3);
        }
    }
}

fn click(h: &mut Harness<'_, PorteApp>, label: &str) {
    click_role(h, None, label);
}

/// Types `text` into the text input labelled `label` (one line, or the note's several).
fn type_in(h: &mut Harness<'_, PorteApp>, role: Role, label: &str, text: &str) {
    click_role(h, Some(role), label);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_steps(2);
}

fn type_into(h: &mut Harness<'_, PorteApp>, label: &str, text: &str) {
    type_in(h, Role::TextInput, label, text);
}

/// Opens the combo box labelled `label` and clicks its item `item` (the popup's own node).
fn pick(h: &mut Harness<'_, PorteApp>, label: &str, item: &str) {
    let before: std::collections::HashSet<_> = h
        .query_all_by_label(item)
        .map(|n| n.accesskit_node().id())
        .collect();
    click_role(h, Some(Role::ComboBox), label);
    let node = h
        .get_all_by_label(item)
        .find(|n| !before.contains(&n.accesskit_node().id()))
        .unwrap_or_else(|| panic!("no item {item} in {label}"));
    node.click();
    h.run_steps(3);
}

/// The sample city with its largest turf of the first precinct in operation "Porte-à-porte du
/// samedi" on 2026-03-14, walked by a team of two volunteers.
fn sample_with_operation(dir: &Path) -> (PathBuf, Turf, i64) {
    let path = dir.join("doors.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let turf = common::cut_first_precinct(&path, 75);
    let mut c = Campaign::open(&path).unwrap();
    let op = c
        .create_operation(&OperationDraft {
            name: "Porte-à-porte du samedi".into(),
            date: NaiveDate::parse_from_str(SATURDAY, "%Y-%m-%d").unwrap(),
            start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: String::new(),
            meeting_wgs84: None,
            contact_phone: String::new(),
            notes: String::new(),
        })
        .unwrap();
    c.add_operation_turfs(op, &[turf.id]).unwrap();
    for v in c.volunteers().unwrap().iter().take(2) {
        c.assign_volunteer(op, v.id, turf.id).unwrap();
    }
    (path, turf, op)
}

fn doors_of(path: &Path, turf: i64) -> Vec<TurfDoor> {
    Campaign::open(path)
        .unwrap()
        .turf_doors_with_last_visit(turf, None)
        .unwrap()
}

/// Opens the campaign, selects the operation and the turf, and shows the Results tab.
fn results_tab(path: &Path, turf: &Turf, op: i64) -> Harness<'static, PorteApp> {
    let mut h = harness_with(path, |_| {});
    loaded(&mut h);
    h.state_mut()
        .send(Command::Operation(OperationCommand::Select(Some(op))));
    h.run_steps(3);
    h.state_mut().send(Command::SelectTurf(Some(turf.id)));
    h.run_steps(3);
    h.state_mut().send(Command::ShowRightTab(RightTab::Results));
    h.run_steps(3);
    assert_eq!(h.state().right_tab(), RightTab::Results);
    assert_eq!(h.state().selected_turf(), Some(turf.id));
    h
}

#[test]
fn a_door_result_is_recorded_with_its_contact_and_the_totals_move() {
    let dir = tempfile::tempdir().unwrap();
    let (path, turf, op) = sample_with_operation(dir.path());
    let doors = doors_of(&path, turf.id);
    assert!(doors.len() > 3, "{} doors", doors.len());
    let (first, second) = (&doors[0], &doors[1]);
    let context = Campaign::open(&path)
        .unwrap()
        .visit_context(
            turf.id,
            NaiveDate::parse_from_str(SATURDAY, "%Y-%m-%d").unwrap(),
        )
        .unwrap()
        .expect("the operation holds the turf");
    assert!(context.team_label.contains(" & "), "{}", context.team_label);

    let mut h = results_tab(&path, &turf, op);
    h.get_by_label("Doors knocked: 0");
    h.get_by_label(&fill(EN.door_count, &[&doors.len(), &0]));

    // The search box narrows the list; the door is picked in it.
    type_into(&mut h, EN.door_search, &first.label);
    click(&mut h, &first.label);
    assert_eq!(
        h.state().results_panel().doors.selected,
        Some(first.address_fid)
    );
    assert_eq!(h.state().results_panel().doors.form.date, SATURDAY);
    h.get_by_label(&fill(
        EN.door_context,
        &[&"Porte-à-porte du samedi", &context.team_label],
    ));
    h.get_by_label(EN.door_no_earlier_visit);

    click_role(&mut h, Some(Role::RadioButton), "Opened");
    click_role(&mut h, Some(Role::CheckBox), "écoles");
    click(&mut h, "Wants a call back");
    let note = "Très croyante, musulmane ; parle surtout des écoles";
    let warning = sensitive_warning(&EN, note).unwrap();
    assert_eq!(
        warning,
        "This note mentions religion: do not record sensitive categories"
    );
    assert!(h.query_by_label(&warning).is_none());
    type_in(&mut h, Role::MultilineTextInput, EN.door_note, note);
    h.get_by_label(&warning);

    // A contact without a consent date is refused: nothing is stored.
    type_into(&mut h, EN.door_contact_name, "Hélène Martin");
    type_into(&mut h, EN.door_contact_phone, "06 12 34 56 78");
    click(&mut h, EN.door_save_next);
    let refusal = consent_date_from_text("").unwrap_err().to_string();
    assert_eq!(
        h.state().results_panel().doors.error.as_deref(),
        Some(refusal.as_str())
    );
    h.get_by_label(&refusal);
    let c = Campaign::open(&path).unwrap();
    assert!(c.door_visits(first.address_fid).unwrap().is_empty());
    assert!(c.contacts().unwrap().is_empty());
    drop(c);

    // With the consent date: the visit and its contact, then the next door.
    type_into(&mut h, EN.door_contact_consent, SATURDAY);
    click(&mut h, EN.door_save_next);
    let doors_panel = &h.state().results_panel().doors;
    assert_eq!(doors_panel.error, None);
    assert_eq!(doors_panel.selected, Some(second.address_fid));
    assert!(doors_panel.form.outcome.is_none() && doors_panel.form.note.is_empty());
    assert_eq!(doors_panel.form.date, SATURDAY);
    // Said in the tab and on the status line.
    let saved = fill(EN.door_saved_contact, &[&first.label, &SATURDAY]);
    assert_eq!(h.query_all_by_label(&saved).count(), 2);
    h.get_by_label("Doors knocked: 1");
    h.get_by_label("Contacts: 1");

    let c = Campaign::open(&path).unwrap();
    let visits = c.door_visits(first.address_fid).unwrap();
    assert_eq!(visits.len(), 1);
    let v = &visits[0];
    assert_eq!(v.outcome, Outcome::Opened);
    assert_eq!(v.themes, ["écoles"]);
    assert!(v.follow_ups.wants_callback && !v.follow_ups.wants_to_donate);
    assert!(v.contact_taken);
    assert_eq!(v.note, note);
    assert_eq!(v.visited_on, SATURDAY);
    let tied: (Option<i64>, Option<i64>, Option<i64>) = c
        .connection()
        .query_row(
            "SELECT operation_id, team_id, turf_id FROM visits WHERE id = ?1",
            [v.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(tied, (Some(op), context.team_id, Some(turf.id)));
    assert!(context.team_id.is_some());
    let contacts = c.contacts().unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].name, "Hélène Martin");
    assert_eq!(contacts[0].visit_id, Some(v.id));
    assert_eq!(contacts[0].address_fid, Some(first.address_fid));
    assert_eq!(contacts[0].consent_date, SATURDAY);
    assert_eq!(contacts[0].tags, ["écoles"]);
    assert_eq!(contacts[0].source, "door entry");
    drop(c);

    // The list shows the door's last outcome; picking it again lists the visit (nothing is
    // overwritten: a second visit is added beside it).
    h.get_by_label(&fill(EN.door_count, &[&doors.len(), &1]));
    let visited_line = fill(EN.door_list_visited, &[&first.label, &"Opened", &SATURDAY]);
    click(&mut h, &visited_line);
    assert_eq!(
        h.state().results_panel().doors.selected,
        Some(first.address_fid)
    );
    h.get_by_label(&visit_line(&EN, v));
    h.get_by_role_and_label(Role::RadioButton, "Come back")
        .click();
    h.run_steps(2);
    click(&mut h, EN.door_save_next);
    assert_eq!(h.state().results_panel().doors.error, None);
    let c = Campaign::open(&path).unwrap();
    assert_eq!(c.door_visits(first.address_fid).unwrap().len(), 2);
    // The same door twice: still one door knocked.
    h.get_by_label("Doors knocked: 1");

    // A contact at a door that did not open: the model's refusal is shown.
    h.get_by_role_and_label(Role::RadioButton, "Not home")
        .click();
    h.run_steps(2);
    type_into(&mut h, EN.door_contact_name, "Paul Bernard");
    type_into(&mut h, EN.door_contact_consent, SATURDAY);
    click(&mut h, EN.door_save_next);
    let error = h
        .state()
        .results_panel()
        .doors
        .error
        .clone()
        .expect("refused");
    assert!(error.contains("not_home"), "{error}");
    h.get_by_label(&error);
    assert_eq!(c.contacts().unwrap().len(), 1);
}

#[test]
fn the_theme_editor_adds_renames_and_deactivates_themes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, turf, op) = sample_with_operation(dir.path());
    let doors = doors_of(&path, turf.id);
    let mut h = results_tab(&path, &turf, op);
    click(&mut h, &doors[0].label);
    click(&mut h, EN.door_themes_edit);
    type_into(&mut h, EN.door_theme_new, "stationnement");
    click(&mut h, EN.door_theme_add);
    h.get_by_role_and_label(Role::CheckBox, "stationnement");
    let themes = Campaign::open(&path).unwrap().result_tags().unwrap();
    let (id, _, active) = themes
        .iter()
        .find(|(_, n, _)| n == "stationnement")
        .unwrap();
    assert!(*active);
    let id = *id;
    let row_of = |h: &Harness<'_, PorteApp>, id: i64| {
        h.state()
            .results_panel()
            .doors
            .theme_edits
            .iter()
            .position(|(i, _)| *i == id)
            .unwrap()
    };
    // Rename it in its row: the checkbox follows.
    click_role(&mut h, Some(Role::TextInput), "stationnement");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "stationnement")
        .type_text("parking");
    h.run_steps(2);
    let row = row_of(&h, id);
    h.get_all_by_label(EN.door_theme_rename)
        .nth(row)
        .unwrap()
        .scroll_to_me();
    h.run_steps(20);
    h.get_all_by_label(EN.door_theme_rename)
        .nth(row)
        .unwrap()
        .click();
    h.run_steps(4);
    assert_eq!(h.state().results_panel().doors.error, None);
    h.get_by_role_and_label(Role::CheckBox, "parking");
    let themes = Campaign::open(&path).unwrap().result_tags().unwrap();
    assert!(themes.iter().any(|(i, n, _)| *i == id && n == "parking"));
    // Deactivate it: no longer offered, still known.
    let row = row_of(&h, id);
    h.get_all_by_label(EN.door_theme_deactivate)
        .nth(row)
        .unwrap()
        .scroll_to_me();
    h.run_steps(2);
    h.get_all_by_label(EN.door_theme_deactivate)
        .nth(row)
        .unwrap()
        .click();
    h.run_steps(4);
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "parking")
            .is_none()
    );
    let themes = Campaign::open(&path).unwrap().result_tags().unwrap();
    assert!(themes.iter().any(|(i, _, on)| *i == id && !*on));
}

/// A walk list CSV as the offline HTML walk list exports it, for the first doors of the turf.
fn walk_list_csv(turf: i64, doors: &[TurfDoor]) -> String {
    let mut csv = String::from("turf_id,order,address_fid,outcome,contact,note,recorded_at\n");
    let rows = [
        ("not_home", "0", ""),
        ("opened", "1", "parle des transports"),
        ("refused", "0", ""),
    ];
    for (i, (d, (outcome, contact, note))) in doors.iter().zip(rows).enumerate() {
        csv.push_str(&format!(
            "{turf},{},{},{outcome},{contact},{note},{SATURDAY}T10:{:02}:00Z\n",
            i + 1,
            d.address_fid,
            10 + i
        ));
    }
    // A door not visited.
    csv.push_str(&format!("{turf},4,{},,0,,\n", doors[3].address_fid));
    csv
}

#[test]
fn the_import_window_imports_a_walk_list_then_reports_duplicates_then_a_mapped_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let (path, turf, op) = sample_with_operation(dir.path());
    let doors = doors_of(&path, turf.id);
    let walk = dir.path().join("walk.csv");
    std::fs::write(&walk, walk_list_csv(turf.id, &doors)).unwrap();

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    // File › Import field results…
    click(&mut h, "File");
    click(&mut h, EN.rimport_menu);
    assert!(h.state().results_panel().import.open);
    type_into(&mut h, EN.rimport_file, &walk.display().to_string());
    h.get_by_label(EN.rimport_walk_list);
    h.get_by_label(&fill(EN.rimport_read, &[&4, &"UTF-8", &","]));
    click(&mut h, EN.rimport_run);
    assert_eq!(h.state().results_panel().import.error, None);
    h.get_by_label("Accepted: 3");
    h.get_by_label(&fill(EN.rimport_empty, &[&1]));
    let c = Campaign::open(&path).unwrap();
    let visit = &c.door_visits(doors[1].address_fid).unwrap()[0];
    assert_eq!(visit.outcome, Outcome::Opened);
    assert!(visit.contact_taken);
    let tied: (Option<i64>, Option<i64>) = c
        .connection()
        .query_row(
            "SELECT operation_id, turf_id FROM visits WHERE id = ?1",
            [visit.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(tied, (Some(op), Some(turf.id)));
    drop(c);

    // The same file again: nothing new, three duplicates listed with their line.
    click(&mut h, EN.rimport_run);
    h.get_by_label("Accepted: 0");
    h.get_by_label(&fill(EN.rimport_duplicates, &[&3]));
    h.get_by_label(&fill(
        EN.rimport_duplicate_line,
        &[
            &2,
            &doors[0].address_fid,
            &SATURDAY,
            &"not_home",
            &"campaign",
        ],
    ));

    // A sheet typed from paper, French headers, one conflict and one bad row.
    let sheet = dir.path().join("papier.csv");
    std::fs::write(
        &sheet,
        format!(
            "N° porte;Issue;Sujets;Remarque\n{};Ouvert;logement;voisine musulmane\n{};Absent;;\n{};peut-être;;\n",
            doors[4].address_fid, doors[2].address_fid, doors[5].address_fid
        ),
    )
    .unwrap();
    click_role(&mut h, Some(Role::TextInput), EN.rimport_file);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.key_press(egui::Key::Backspace);
    h.run_steps(1);
    type_into(&mut h, EN.rimport_file, &sheet.display().to_string());
    h.get_by_label(EN.rimport_spreadsheet);
    pick(&mut h, EN.rimport_col_address_fid, "N° porte");
    pick(&mut h, EN.rimport_col_outcome, "Issue");
    type_into(&mut h, EN.rimport_date, SATURDAY);
    click(&mut h, EN.rimport_run);
    assert_eq!(h.state().results_panel().import.error, None);
    h.get_by_label("Accepted: 1");
    h.get_by_label(&fill(EN.rimport_conflicts, &[&1]));
    h.get_by_label(&fill(EN.rimport_rejected, &[&1]));
    h.get_by_label(&fill(EN.rimport_sensitive, &[&1]));
    h.get_by_label(&fill(EN.rimport_sensitive_line, &[&2, &"musulmane"]));
    let c = Campaign::open(&path).unwrap();
    let v = &c.door_visits(doors[4].address_fid).unwrap()[0];
    assert_eq!(
        (v.outcome, v.themes.as_slice()),
        (Outcome::Opened, &["logement".to_string()][..])
    );
    // The conflict is not applied: door 3 stays refused.
    let kept = c.door_visits(doors[2].address_fid).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].outcome, Outcome::Refused);
    let report = h.state().results_panel().import.report.clone().unwrap();
    assert_eq!(report.format, "spreadsheet");
    assert_eq!(report.rejected[0].line, 4);
    h.get_by_label(&fill(EN.rimport_line, &[&4, &report.rejected[0].reason]));

    // The Results tab totals count the imported doors; its button opens the window again.
    click(&mut h, EN.close);
    assert!(!h.state().results_panel().import.open);
    h.state_mut().send(Command::ShowRightTab(RightTab::Results));
    h.run_steps(3);
    h.get_by_label("Doors knocked: 4");
    click(&mut h, EN.rimport_menu);
    assert!(h.state().results_panel().import.open);
}

#[test]
fn the_door_list_follows_the_route_once_the_turf_is_routed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, turf, op) = sample_with_operation(dir.path());
    let by_street: Vec<i64> = doors_of(&path, turf.id)
        .iter()
        .map(|d| d.address_fid)
        .collect();
    let mut h = results_tab(&path, &turf, op);
    let listed = |h: &Harness<'_, PorteApp>| -> Vec<i64> {
        h.state()
            .results_panel()
            .doors
            .doors
            .iter()
            .map(|d| d.address_fid)
            .collect()
    };
    assert_eq!(listed(&h), by_street);
    h.state_mut()
        .send(Command::Route(RouteCommand::Compute(turf.id)));
    step_until(&mut h, "the route", |app| {
        app.route_panel().route().is_some()
    });
    let stops: Vec<i64> = h
        .state()
        .route_panel()
        .route()
        .unwrap()
        .stops
        .iter()
        .map(|s| s.address_fid)
        .collect();
    assert_eq!(stops.len(), by_street.len());
    assert_ne!(
        stops, by_street,
        "the walking order differs from street order"
    );
    assert_eq!(listed(&h), stops);
    // The first door of the list is the route's first stop.
    let first = h.state().results_panel().doors.doors[0].label.clone();
    click(&mut h, &first);
    assert_eq!(h.state().results_panel().doors.selected, Some(stops[0]));
}
