//! The Contacts tab and the "Person's data" window (issue 7), driven with egui_kittest on the
//! sample city: filter the contacts by tag, export them by tag as CSV, add a contact in the
//! contact window (refused by the model without a consent date), the sensitive-word warning;
//! then the right of access (find everything on José Dupré, export it as the CLI does) and the
//! erasure (typed confirmation): the model finds nothing more and the roster no longer lists him.

use crate::common;
use crate::ui_common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use porte::model::contacts::person::PersonQuery;
use porte::model::contacts::{NewContact, consent_date_from_text};
use porte::model::operations::OperationDraft;
use porte::model::sample_campaign::{build_sample_campaign, bundled_sample_city};
use porte::model::volunteers::Volunteer;
use porte::model::{Campaign, NoProgress};
use porte::ui::PorteApp;
use porte::ui::command::RightTab;
use porte::ui::i18n::{EN, fill};
use porte::ui::panels::sensitive_note::sensitive_warning;
use ui_common::*;

/// Double-clicks the table row of `name` (both clicks in one frame: the harness spends 0.25 s
/// per queued event, longer than a double click), on its name (rows are wider than the panel).
fn double_click_row(h: &mut Harness<'_, PorteApp>, name: &str) {
    let rect = h.get_by_role_and_label(Role::Button, name).rect();
    let pos = egui::pos2(rect.left() + 20.0, rect.center().y);
    h.hover_at(pos);
    h.step();
    let input = h.input_mut();
    for _ in 0..2 {
        for pressed in [true, false] {
            input.events.push(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::default(),
            });
        }
    }
    h.step();
    h.run_steps(3);
}

fn contact(name: &str, phone: &str, email: &str, tags: &[&str]) -> NewContact {
    NewContact {
        visit_id: None,
        address_fid: None,
        name: name.into(),
        phone: phone.into(),
        email: email.into(),
        consent_date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        source: "marché".into(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
    }
}

/// The sample city with a turf, an operation over it with José Dupré in its team, and two
/// contacts recorded through the model: Hélène Martin (logement, écoles) and Paul Bernard
/// (sécurité). Returns the campaign, the operation and José.
fn sample_with_contacts(dir: &Path) -> (PathBuf, i64, Volunteer) {
    let path = dir.join("contacts.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let turf = common::cut_first_precinct(&path, 75);
    let mut c = Campaign::open(&path).unwrap();
    let op = c
        .create_operation(&OperationDraft {
            name: "Samedi matin".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: String::new(),
            meeting_wgs84: None,
            contact_phone: String::new(),
            notes: String::new(),
        })
        .unwrap();
    c.add_operation_turfs(op, &[turf.id]).unwrap();
    let jose = c
        .volunteers()
        .unwrap()
        .into_iter()
        .find(|v| v.full_name() == "José Dupré")
        .expect("José Dupré in the sample city");
    c.assign_volunteer(op, jose.id, turf.id).unwrap();
    c.add_contact(&contact(
        "Hélène Martin",
        "06 12 34 56 78",
        "helene.martin@example.org",
        &["logement", "écoles"],
    ))
    .unwrap();
    c.add_contact(&contact(
        "Paul Bernard",
        "06 98 76 54 32",
        "paul.bernard@example.org",
        &["sécurité"],
    ))
    .unwrap();
    (path, op, jose)
}

#[test]
fn contacts_tab_filters_by_tag_adds_with_consent_warns_and_exports_by_tag() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = sample_with_contacts(dir.path());
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    click(&mut h, "Contacts");
    assert_eq!(h.state().right_tab(), RightTab::Contacts);
    h.get_by_label("2 of 2 contacts");
    h.get_by_label(EN.contacts_no_sensitive_fields);

    // Filter by tag.
    pick(&mut h, "Tag:", "logement");
    h.get_by_label("1 of 2 contacts");
    let shown: Vec<String> = h
        .state()
        .contacts()
        .tab
        .shown()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(shown, ["Hélène Martin"]);

    // Export by tag (the window starts on the tab's tag) and read the file.
    click(&mut h, "Export CSV…");
    let csv_path = dir.path().join("logement.csv");
    type_into(&mut h, EN.export_file, &csv_path.display().to_string());
    click(&mut h, "Write CSV");
    let written = fill(EN.contacts_export_written, &[&1, &csv_path.display()]);
    assert_eq!(
        h.state().contacts().export.notice.as_deref(),
        Some(written.as_str())
    );
    assert_eq!(h.state().status(), written);
    click(&mut h, "Close");
    assert!(!h.state().contacts().export.open);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "name,phone,email,address,tags,consent_date,source",
            "Hélène Martin,06 12 34 56 78,helene.martin@example.org,,écoles; logement,2026-03-14,marché",
        ]
    );

    // A sensitive word typed in a free-text field warns as it is typed.
    click(&mut h, "Add…");
    type_into(&mut h, "Other tags", "musulman");
    h.get_by_label(&sensitive_warning(&EN, "musulman").expect("a warning"));
    click(&mut h, "Cancel");
    assert!(!h.state().contacts().form.open);

    // A contact without a consent date: the model's refusal is shown, nothing is stored.
    click(&mut h, "Add…");
    assert!(
        h.query_by_label(&sensitive_warning(&EN, "musulman").unwrap())
            .is_none()
    );
    type_into(&mut h, "Name", "Léa Petit");
    type_into(&mut h, "Phone", "06 11 22 33 44");
    click(&mut h, "Save contact");
    let refusal = consent_date_from_text("").unwrap_err().to_string();
    h.get_by_label(&refusal);
    assert_eq!(Campaign::open(&path).unwrap().contacts().unwrap().len(), 2);

    // With the consent date typed, the model records it.
    type_into(&mut h, "Consent date", "14/03/2026");
    type_into(&mut h, "Other tags", "logement, voisins");
    click(&mut h, "Save contact");
    assert!(
        !h.state().contacts().form.open,
        "{:?}",
        h.state().contacts().form.error
    );
    let stored = Campaign::open(&path).unwrap().contacts().unwrap();
    let lea = stored
        .iter()
        .find(|c| c.name == "Léa Petit")
        .expect("Léa recorded");
    assert_eq!(lea.consent_date, "2026-03-14");
    assert_eq!(lea.phone, "06 11 22 33 44");
    assert_eq!(lea.tags, ["logement", "voisins"]);
    h.get_by_label("2 of 3 contacts");

    // Edit with a double click: an address the campaign does not have is refused, one it has
    // is found and shown in the table.
    double_click_row(&mut h, "Léa Petit");
    assert!(h.state().contacts().form.open && h.state().contacts().form.is_edit());
    type_into(&mut h, "Address (optional)", "999 Rue Imaginaire");
    click(&mut h, "Save contact");
    h.get_by_label(&fill(
        EN.contact_address_not_found,
        &[&"999 Rue Imaginaire"],
    ));
    replace_text(&mut h, "Address (optional)", "22 Rue des Libellules");
    click(&mut h, "Save contact");
    assert!(!h.state().contacts().form.open);
    let lea = Campaign::open(&path)
        .unwrap()
        .contacts()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Léa Petit")
        .unwrap();
    assert!(lea.address_fid.is_some());
    assert!(lea.address.contains("Libellules"), "{}", lea.address);
    assert_eq!(lea.tags, ["logement", "voisins"], "the tags are kept");
    h.get_by_label(&lea.address);

    // Delete, after confirmation.
    assert_eq!(h.state().contacts().tab.selected, Some(lea.id));
    click(&mut h, "Delete");
    click(&mut h, "Yes, delete");
    h.get_by_label("1 of 2 contacts");
    let left = Campaign::open(&path).unwrap().contacts().unwrap();
    assert!(left.iter().all(|c| c.name != "Léa Petit"));

    // "Person's data…" on the selected contact opens the window on them.
    // (The row is wider than the panel: click its name.)
    let row = h
        .get_by_role_and_label(Role::Button, "Hélène Martin")
        .rect();
    click_at(&mut h, egui::pos2(row.left() + 20.0, row.center().y));
    let selected = h.state().contacts().tab.selected;
    let helene = stored.iter().find(|c| c.name == "Hélène Martin").unwrap();
    assert_eq!(selected, Some(helene.id));
    click(&mut h, "Person's data…");
    let w = h.state().person_window();
    assert!(w.open);
    assert_eq!(
        (w.name.as_str(), w.phone.as_str(), w.email.as_str()),
        (
            "Hélène Martin",
            "06 12 34 56 78",
            "helene.martin@example.org"
        )
    );
}

#[test]
fn person_window_finds_exports_and_erases_a_volunteer() {
    let dir = tempfile::tempdir().unwrap();
    let (path, op, jose) = sample_with_contacts(dir.path());
    let query = PersonQuery {
        name: jose.full_name(),
        phone: jose.phone.clone(),
        email: jose.email.clone(),
    };
    let team_name = Campaign::open(&path).unwrap().operation(op).unwrap().teams[0]
        .name
        .clone();
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);

    // From the volunteer window of José.
    click(&mut h, "Volunteers");
    type_into(&mut h, "Search", "Dupré");
    let row = h.get_by_role_and_label(Role::Button, "José Dupré").rect();
    click_at(&mut h, egui::pos2(row.left() + 40.0, row.center().y));
    click(&mut h, "Edit…");
    assert!(h.state().volunteers().form.open);
    // The volunteer's notes warn on sensitive words too.
    h.get_by_role_and_label(Role::MultilineTextInput, "Notes")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::MultilineTextInput, "Notes")
        .type_text(" malade");
    h.run_steps(2);
    h.get_by_label(&sensitive_warning(&EN, "malade").expect("a warning"));
    click(&mut h, "Person's data…");
    let w = h.state().person_window();
    assert!(w.open);
    assert_eq!(w.query(), query);

    // Find everything: his volunteer row and his team.
    click(&mut h, "Find everything");
    step_until(&mut h, "the search", |app| {
        app.person_window().report.is_some()
    });
    let report = h.state().person_window().report.clone().unwrap();
    assert_eq!(report.volunteers.len(), 1);
    assert_eq!(report.team_memberships.len(), 1);
    h.get_by_label("Volunteer rows (1)");
    h.get_by_label_contains(&format!("José Dupré · {}", jose.phone));
    h.get_by_label("Team memberships (1)");
    h.get_by_label(&fill(
        EN.person_team_line,
        &[&"Samedi matin", &"2026-03-14", &team_name],
    ));

    // Export: the same JSON as `porte person access --json`.
    let json_path = dir.path().join("jose.json");
    type_into(&mut h, "JSON file", &json_path.display().to_string());
    click(&mut h, "Export JSON");
    let exported = std::fs::read_to_string(&json_path).unwrap();
    let campaign = path.display().to_string();
    let (ok, stdout, stderr) = common::run_porte(&[
        "person",
        "access",
        &campaign,
        "--name",
        &query.name,
        "--phone",
        &query.phone,
        "--email",
        &query.email,
        "--json",
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(exported.trim_end(), stdout.trim_end());

    // Erase: the confirmation shows what goes and needs the name typed.
    click(&mut h, "Erase this person…");
    h.get_by_label_contains("This deletes 1 volunteer rows, 1 team memberships and 0 contacts");
    assert!(
        h.get_by_label("Erase for good")
            .accesskit_node()
            .is_disabled(),
        "not before the name is typed"
    );
    type_into(&mut h, "Type José Dupré to confirm:", "jose dupre");
    click(&mut h, "Erase for good");
    step_until(&mut h, "the erasure", |app| {
        app.person_window().erasure.is_some()
    });
    let erasure = h.state().person_window().erasure.clone().unwrap();
    assert_eq!(erasure.volunteers_deleted, 1);
    assert_eq!(erasure.team_memberships_removed, 1);
    assert!(erasure.file_bytes_clean);
    h.get_by_label("Volunteer rows deleted: 1");
    h.get_by_label("Team memberships removed: 1");

    // The model finds nothing more; the roster and the Operations tab no longer list him.
    let c = Campaign::open(&path).unwrap();
    assert_eq!(c.person_data(&query).unwrap().total(), 0);
    assert!(c.volunteers().unwrap().iter().all(|v| v.id != jose.id));
    drop(c);
    h.run_steps(3);
    assert!(!h.state().volunteers().form.open);
    let roster = &h.state().volunteers().roster;
    assert!(!roster.volunteers.is_empty());
    assert!(roster.volunteers.iter().all(|v| v.id != jose.id));
    assert!(
        h.state()
            .operations()
            .volunteers
            .iter()
            .all(|v| v.id != jose.id)
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "José Dupré")
            .is_none()
    );
}
