//! The volunteers GUI (issue 5) driven with egui_kittest: import a roster through File › Import
//! volunteers…, read its report, list it in the Volunteers tab, filter it by weekday (the count
//! line agrees with the model's filter), write messages from a template and export the
//! selection as vCard; add and edit a volunteer in its window, where the model's refusal of a
//! duplicate phone shows.

use crate::ui_common;

use std::path::{Path, PathBuf};

use chrono::Weekday;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use porte::model::Campaign;
use porte::model::import::addresses::AddressImportOptions;
use porte::model::volunteers::RosterFilter;
use porte::ui::PorteApp;
use ui_common::*;

/// Eight rows: six volunteers, one with the phone of the first (a duplicate), one without a
/// name (rejected). Homes by the campaign's address id (B01), by lon/lat (B02, B03, B05), none
/// (B04, B08). Available on Saturday: B01, B02, B04, B08.
const ROSTER: &str = "\
id;prenom;nom;telephone;email;adresse;id_adresse;lon;lat;disponibilites;langues;mobilite;role;consentement_date;binome
B01;José;Dupré;06 77 94 71 79;jose.dupre@example.org;1 Rue 0-0, 75001 Paris;d0_0;;;\"sam matin;sam soir\";français;voiture;responsable;2026-03-20;B02
B02;François;Lécuyer;06 51 14 24 19;francois.lecuyer@example.net;;;2.3055;48.8555;sam matin;français;à pied;bénévole;2026-03-20;B01
B03;Josiane;Crépin;06 90 85 28 17;josiane.crepin@example.com;;;2.3155;48.8555;\"ven soir;dim matin\";\"français;anglais\";vélo;bénévole;2026-01-11;
B04;Éloïse;Ferreira;06 49 74 60 33;eloise.ferreira@example.org;;;;;\"mar matin;sam après-midi\";français;vélo;bénévole;;
B05;Karim;Benali;07 11 22 33 44;karim.benali@example.org;;;2.3255;48.8555;dim;\"français;arabe\";à pied;bénévole;2026-02-01;
B06;Anne;Roux;06 77 94 71 79;anne.roux@example.org;;;;;sam;français;;;;
B07;;;06 00 00 00 01;;;;;;sam;;;;;
B08;Léa;Martin;06 12 12 12 12;lea.martin@example.org;;;;;sam;anglais;;;2026-03-01;
";

/// The three squares, ten doors in the first (ids `d0_0`…`d0_9`), and the roster file.
fn campaign_and_roster(dir: &Path) -> (PathBuf, PathBuf) {
    let (path, _, _) = campaign_of_squares(dir, "volunteers", &three_squares());
    let mut csv = String::from("id;numero;rep;nom_voie;code_postal;nom_commune;x;y;lon;lat\n");
    let (_, _, x0, y0) = SQUARES[0];
    for i in 0..10 {
        let (lon, lat) = (x0 + 0.0005 + 0.001 * i as f64, y0 + 0.0005);
        csv.push_str(&format!(
            "d0_{i};{};;Rue 0-0;75001;Paris;;;{lon:.6};{lat:.6}\n",
            i + 1
        ));
    }
    let ban = dir.join("ban.csv");
    std::fs::write(&ban, csv).unwrap();
    Campaign::open(&path)
        .unwrap()
        .import_addresses(
            &ban,
            &AddressImportOptions::default(),
            &porte::model::NoProgress,
        )
        .unwrap();
    let roster = dir.join("benevoles.csv");
    std::fs::write(&roster, ROSTER).unwrap();
    (path, roster)
}

/// Double-clicks the button labelled `label`: both clicks in one frame (the harness spends a
/// frame of 0.25 s per queued event, longer than a double click).
fn double_click(h: &mut Harness<'_, PorteApp>, label: &str) {
    let pos = h.get_by_role_and_label(Role::Button, label).rect().center();
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

/// Types `text` into the multi-line text input labelled `label`.
fn type_into_multiline(h: &mut Harness<'_, PorteApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .type_text(text);
    h.run_steps(2);
}

/// Imports the roster through File › Import volunteers… and waits for the job.
fn import_roster(h: &mut Harness<'_, PorteApp>, roster: &Path) {
    click(h, "File");
    click(h, "Import volunteers…");
    // The window opened on its Volunteers tab, with the column mapping waiting for a file.
    h.get_by_label("Give a roster file (CSV) to choose its columns.");
    type_into(h, "File to import", &roster.display().to_string());
    // The header row is read and the columns guessed (each field has its combo).
    h.get_by_label_contains("Columns (15 in the file)");
    h.get_by_label("Run import").click();
    h.step();
    assert!(h.state().is_busy(), "the import runs in the background");
    step_until(h, "the roster import", |app| !app.is_busy());
    assert_eq!(h.state().error(), None);
}

#[test]
fn import_filter_message_and_export_the_roster() {
    let dir = tempfile::tempdir().unwrap();
    let (path, roster) = campaign_and_roster(dir.path());
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    import_roster(&mut h, &roster);

    // The report, in the import report panel.
    let report = h.state().last_report().expect("a report").clone();
    assert_eq!(report.kind, "volunteers");
    assert_eq!(report.report["added"], 6, "{:#}", report.report);
    h.get_by_label("6 added, 0 updated");
    h.get_by_label("1 duplicate row");
    h.get_by_label("1 rejected row");
    let model = Campaign::open(&path).unwrap();
    let all = model.volunteers().unwrap();
    assert_eq!(all.len(), 6);
    let homes = all.iter().filter(|v| v.home_wgs84.is_some()).count();
    h.get_by_label_contains(&format!("Homes found: {homes} "));
    // The duplicate names the row it matched.
    h.get_by_label_contains("Duplicates (1)").click();
    h.run_steps(4);
    h.get_by_label_contains("Anne Roux, same phone as José Dupré");

    // The Volunteers tab is shown with the whole roster.
    assert_eq!(
        h.state().right_tab(),
        porte::ui::command::RightTab::Volunteers
    );
    h.get_by_label("6 of 6 volunteers");
    for v in &all {
        h.get_by_role_and_label(Role::Button, &v.full_name());
    }

    // Saturday: the count line agrees with the model's filter.
    pick(&mut h, "Available", "Saturday");
    let saturday = RosterFilter {
        day: Some(Weekday::Sat),
        ..Default::default()
    };
    let on_saturday = model.volunteers_filtered(&saturday).unwrap();
    assert_eq!(on_saturday.len(), 4, "B01, B02, B04, B08");
    h.get_by_label(&format!("{} of 6 volunteers", on_saturday.len()));
    assert!(h.query_by_label("Karim Benali").is_none(), "filtered out");
    let shown: Vec<i64> = h
        .state()
        .volunteers()
        .roster
        .shown()
        .map(|v| v.id)
        .collect();
    let mut expected: Vec<i64> = on_saturday.iter().map(|v| v.id).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);

    // Messages to the four, from a template typed here (and saved in the campaign).
    click(&mut h, "Messages…");
    h.get_by_label("To the 4 volunteer(s) the filter shows");
    click(&mut h, "New template");
    type_into(&mut h, "Name", "Rappel samedi");
    type_into_multiline(&mut h, "Text", "Bonjour {first_name}, rendez-vous samedi !");
    h.get_by_label("Bonjour José, rendez-vous samedi !");
    h.get_by_label("Bonjour Léa, rendez-vous samedi !");
    assert!(
        h.query_by_label("Bonjour Karim, rendez-vous samedi !")
            .is_none()
    );
    // Each has an email and an SMS link.
    assert_eq!(h.query_all_by_label("SMS").count(), 4);
    click(&mut h, "Save template");
    let templates = Campaign::open(&path).unwrap().message_templates().unwrap();
    let saved = templates
        .iter()
        .find(|t| t.name == "Rappel samedi")
        .expect("the template is saved");
    assert_eq!(saved.body, "Bonjour {first_name}, rendez-vous samedi !");

    // Export the selection as vCard: one card per volunteer shown.
    let vcf = dir.path().join("samedi");
    type_into(&mut h, "Save as", &vcf.display().to_string());
    click(&mut h, "Export vCard");
    let written = dir.path().join("samedi.vcf");
    let text = std::fs::read_to_string(&written).expect("the vCard file is written");
    assert_eq!(text.matches("BEGIN:VCARD").count(), 4, "{text}");
    for v in &on_saturday {
        assert!(text.contains(&v.last_name), "{} in {text}", v.full_name());
    }
    assert!(!text.contains("Benali"));
    // In the window and in the status bar.
    let line = format!("Written to {} (4 volunteers)", written.display());
    assert_eq!(h.query_all_by_label(&line).count(), 2, "{line}");

    // Checked rows take over from the filter: only them.
    let lea = on_saturday.iter().find(|v| v.first_name == "Léa").unwrap();
    h.get_by_label(&format!("Pick {}", lea.full_name())).click();
    h.run_steps(3);
    h.get_by_label("To the 1 checked volunteer(s)");
    click(&mut h, "Export CSV");
    let csv = std::fs::read_to_string(dir.path().join("samedi.csv")).unwrap();
    assert_eq!(
        csv.lines().filter(|l| !l.trim().is_empty()).count(),
        2,
        "{csv}"
    );
    assert!(csv.contains("Martin"));
}

#[test]
fn add_and_edit_a_volunteer_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let (path, roster) = campaign_and_roster(dir.path());
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    import_roster(&mut h, &roster);
    h.get_by_label("6 of 6 volunteers");

    // A new volunteer whose phone is José's: the model refuses, the window says why.
    click(&mut h, "Add…");
    type_into(&mut h, "First name", "Zoé");
    type_into(&mut h, "Last name", "Ndiaye");
    type_into(&mut h, "Phone", "+33 6 77 94 71 79");
    // Availability is read as it is typed.
    type_into(&mut h, "Availability", "sam matin; whenever");
    assert!(
        h.state()
            .volunteers()
            .form
            .to_save(porte::ui::i18n::Lang::En.strings())
            .is_err(),
        "an availability the model cannot read"
    );
    replace_text(&mut h, "Availability", "sam matin; dim");
    type_into(&mut h, "Address", "5 Rue 0-0");
    click(&mut h, "Save");
    let error = h
        .state()
        .volunteers()
        .form
        .error
        .clone()
        .expect("a duplicate phone is refused");
    assert!(h.state().volunteers().form.open, "the window stays open");
    h.get_by_label(&error);
    assert_eq!(
        Campaign::open(&path).unwrap().volunteers().unwrap().len(),
        6
    );

    // Another phone: saved, its home found among the campaign's addresses.
    replace_text(&mut h, "Phone", "06 99 88 77 66");
    click(&mut h, "Save");
    assert!(
        !h.state().volunteers().form.open,
        "{:?}",
        h.state().volunteers().form.error
    );
    let all = Campaign::open(&path).unwrap().volunteers().unwrap();
    assert_eq!(all.len(), 7);
    let zoe = all.iter().find(|v| v.first_name == "Zoé").unwrap();
    assert_eq!(zoe.phone, "06 99 88 77 66");
    assert!(zoe.home_wgs84.is_some(), "5 Rue 0-0 is a campaign address");
    assert!(zoe.availability.on_weekday(Weekday::Sun, None));
    h.get_by_label("7 of 7 volunteers");
    h.get_by_role_and_label(Role::Button, "Zoé Ndiaye");

    // Edit her: double click on her row, change the role, pick a partner.
    double_click(&mut h, "Zoé Ndiaye");
    assert!(h.state().volunteers().form.open);
    type_into(&mut h, "Role", "responsable");
    pick(&mut h, "Partner", "Léa Martin");
    click(&mut h, "Save");
    let zoe = Campaign::open(&path).unwrap().volunteer(zoe.id).unwrap();
    assert_eq!(zoe.role, "responsable");
    let lea = all.iter().find(|v| v.first_name == "Léa").unwrap();
    assert_eq!(zoe.partner_id, Some(lea.id));

    // Delete her, after confirming.
    h.get_by_role_and_label(Role::Button, "Zoé Ndiaye").click();
    h.run_steps(3);
    click(&mut h, "Delete");
    h.get_by_label("Delete Zoé Ndiaye from the roster and from every team?");
    assert_eq!(
        Campaign::open(&path).unwrap().volunteers().unwrap().len(),
        7
    );
    click(&mut h, "Yes, delete");
    assert_eq!(
        Campaign::open(&path).unwrap().volunteers().unwrap().len(),
        6
    );
    h.get_by_label("6 of 6 volunteers");
}

#[test]
fn within_the_meeting_point_of_the_selected_operation_and_its_context_in_messages() {
    use porte::model::operations::OperationDraft;
    use porte::ui::command::Command;
    use porte::ui::panels::operations::OperationCommand;

    let dir = tempfile::tempdir().unwrap();
    let (path, roster) = campaign_and_roster(dir.path());
    let mut c = Campaign::open(&path).unwrap();
    c.import_volunteers(&roster, &Default::default(), &porte::model::NoProgress)
        .unwrap();
    // The meeting point is B01's home (the first door of P1).
    let meeting = geo_types::Point::new(SQUARES[0].2 + 0.0005, SQUARES[0].3 + 0.0005);
    let op = c
        .create_operation(&OperationDraft {
            name: "Samedi P1".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            meeting_point: "Place du marché".into(),
            meeting_wgs84: Some(meeting),
            contact_phone: String::new(),
            notes: String::new(),
        })
        .unwrap();
    // A turf over P1, with José's team on it.
    let (_, _, x0, y0) = SQUARES[0];
    let ring: Vec<geo_types::Coord<f64>> = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
        .iter()
        .map(|(i, j)| geo_types::Coord {
            x: x0 + i * SIDE_DEG,
            y: y0 + j * SIDE_DEG,
        })
        .collect();
    let turf = c.create_turf(&ring, Some("Marché")).unwrap().turf_id;
    c.add_operation_turfs(op, &[turf]).unwrap();
    let jose = c
        .volunteers()
        .unwrap()
        .into_iter()
        .find(|v| v.first_name == "José")
        .unwrap();
    c.assign_volunteer(op, jose.id, turf).unwrap();
    let members = c.operation(op).unwrap().teams[0].member_ids.clone();
    drop(c);
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    click(&mut h, "Volunteers");
    h.get_by_label("6 of 6 volunteers");

    // The operation chosen in the Operations tab gives the meeting point.
    h.state_mut()
        .send(Command::Operation(OperationCommand::Select(Some(op))));
    h.run_steps(3);
    h.get_by_label("Samedi P1 (Place du marché)");
    h.get_by_role_and_label(Role::CheckBox, "Within").click();
    h.run_steps(3);
    let model = Campaign::open(&path).unwrap();
    let near = RosterFilter {
        within_m_of: Some((meeting, 2000.0)),
        ..Default::default()
    };
    let n = model.volunteers_filtered(&near).unwrap().len();
    assert!((2..=4).contains(&n), "homes within 2 km: {n}");
    h.get_by_label(&format!("{n} of 6 volunteers"));
    pick(&mut h, "Available", "Saturday");
    let near_on_saturday = RosterFilter {
        day: Some(Weekday::Sat),
        ..near
    };
    let both = model.volunteers_filtered(&near_on_saturday).unwrap();
    assert_eq!(both.len(), 2, "B01 and B02 (B04 and B08 have no home)");
    h.get_by_label("2 of 6 volunteers");

    // The messages window opens on that operation: its meeting point fills the placeholder.
    click(&mut h, "Messages…");
    h.get_by_label("To the 2 volunteer(s) the filter shows");
    click(&mut h, "New template");
    type_into(&mut h, "Name", "Lieu");
    type_into_multiline(&mut h, "Text", "{first_name}: {meeting_point}, {start}");
    h.get_by_label("José: Place du marché, 10:00");
    h.get_by_label("François: Place du marché, 10:00");

    // Only the operation's teams: each member with their turf.
    click(&mut h, "Only its teams (instead of the roster's selection)");
    h.get_by_label(&format!(
        "To the {} volunteer(s) in the teams of Samedi P1",
        members.len()
    ));
    assert_eq!(h.query_all_by_label("SMS").count(), members.len());
    type_into_multiline(&mut h, "Text", " {turf}");
    h.get_by_label("José: Place du marché, 10:00 Marché");
}
