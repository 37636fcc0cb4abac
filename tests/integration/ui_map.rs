//! The map, the precinct table and the languages driven like a user session with egui_kittest
//! (no display, no GPU): a campaign of three square precincts with results; search and sort the
//! table, select from the table and from the map, zoom to the selection, colour the map by a
//! variable, and switch the UI to French from the View menu.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use porte::model::NoProgress;
use porte::model::import::results::ResultsImportOptions;
use porte::ui::PorteApp;
use porte::ui::command::Command;
use porte::ui::figures::Variable;
use porte::ui::i18n::Lang;

use crate::ui_common;
use ui_common::{SIDE_DEG, SQUARES, click_at, pick};

/// A harness with the precinct table shown, once the campaign has loaded.
fn harness(campaign: &Path) -> Harness<'static, PorteApp> {
    let mut h = ui_common::harness_with(campaign, |app| app.prefs.table_visible = true);
    ui_common::loaded(&mut h);
    h
}

/// Three squares, and one election where P2 has the most registered voters and P3 the fewest.
fn campaign(dir: &Path) -> PathBuf {
    ui_common::squares_with_results(
        dir,
        "map",
        "bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa\n\
         P1;100;80;75;50;25\n\
         P2;200;150;140;70;70\n\
         P3;50;40;38;20;18\n",
    )
}

/// Ten squares in a row, T01..T10, with turnouts from 55% to 91% in uneven steps, and two
/// elections (the candidates' shares move between them).
fn ten_precincts(dir: &Path) -> PathBuf {
    let squares: Vec<_> = (0..10)
        .map(|i| {
            (
                format!("T{:02}", i + 1),
                format!("Bureau {}", i + 1),
                2.30 + i as f64 * SIDE_DEG,
                48.85,
            )
        })
        .collect();
    let (path, mut c, _) = ui_common::campaign_of_squares(dir, "ten", &squares);
    let voters = [55, 57, 60, 70, 72, 74, 85, 88, 90, 91];
    for (year, shift) in [(2020, 0), (2026, 5)] {
        let mut csv = String::from("bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa\n");
        for (i, v) in voters.iter().enumerate() {
            let a = 20 + (i as i64 * 3) + shift;
            csv.push_str(&format!("T{:02};100;{v};{v};{a};{}\n", i + 1, v - a));
        }
        let file = dir.join(format!("m{year}.csv"));
        std::fs::write(&file, csv).unwrap();
        let opts = ResultsImportOptions {
            election: Some(format!("Municipales {year}")),
            ..Default::default()
        };
        c.import_results(&file, &opts, &NoProgress).unwrap();
    }
    path
}

#[test]
fn the_search_box_filters_rows_ignoring_case_and_accents() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&campaign(dir.path()));
    assert_eq!(h.state().table_codes(), ["P1", "P2", "P3"]);
    h.get_by_label("3 of 3 shown");

    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Search").type_text("ecole CENTRE");
    h.run_steps(2);
    assert_eq!(h.state().table_codes(), ["P2"]);
    h.get_by_label("1 of 3 shown");
    assert!(h.query_by_label("P1").is_none(), "P1 is filtered out");
    h.get_by_label("P2");
    h.check_accessibility();
}

#[test]
fn a_column_header_sorts_and_a_second_click_reverses() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&campaign(dir.path()));
    h.get_by_label("Registered").click();
    h.run_steps(2);
    assert_eq!(h.state().table_codes(), ["P3", "P1", "P2"]);
    h.get_by_label("Registered").click();
    h.run_steps(2);
    assert_eq!(h.state().table_codes(), ["P2", "P1", "P3"]);
    // Turnout: P3 80%, P1 80%, P2 75% → ascending P2 first; ties by code.
    h.get_by_label("Turnout").click();
    h.run_steps(2);
    assert_eq!(h.state().table_codes(), ["P2", "P1", "P3"]);
    h.get_by_label("Code").click();
    h.run_steps(2);
    assert_eq!(h.state().table_codes(), ["P1", "P2", "P3"]);
}

#[test]
fn table_and_map_share_the_selection_and_zoom_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&campaign(dir.path()));

    // A row click selects on the map too.
    h.get_by_label("P3").click();
    h.run_steps(2);
    assert_eq!(h.state().selected_code(), Some("P3"));
    h.get_by_label("Selected: P3 — École Sud");
    h.get_by_label("Registered voters: 50");
    h.get_by_label("Turnout: 80.0%");

    // Zoom to selection: the map zooms in on P3 and centres it.
    let zoom_before = h.state().map().zoom();
    h.get_by_label("View").click();
    h.run_steps(2);
    // In the menu, the summary and the table: the menu's item is the last one laid out.
    let buttons: Vec<_> = h.get_all_by_label("Zoom to selection").collect();
    assert_eq!(buttons.len(), 3);
    buttons.last().unwrap().click();
    h.run_steps(3);
    let zoom_after = h.state().map().zoom();
    assert!(
        zoom_after > zoom_before + 0.5,
        "{zoom_before} → {zoom_after}"
    );
    let [lon, lat] = h.state().map().center_wgs84().unwrap();
    let (_, _, x3, y3) = SQUARES[2];
    assert!((lon - (x3 + SIDE_DEG / 2.0)).abs() < 1e-3, "{lon}");
    assert!((lat - (y3 + SIDE_DEG / 2.0)).abs() < 1e-3, "{lat}");

    // Back to the campaign, then a map click selects P1, in the table too.
    h.state_mut().send(Command::ZoomToCampaign);
    h.run_steps(3);
    let (_, _, x1, y1) = SQUARES[0];
    let pos = h
        .state()
        .map()
        .screen_from_wgs84(x1 + SIDE_DEG / 2.0, y1 + SIDE_DEG / 2.0)
        .unwrap();
    click_at(&mut h, pos);
    assert_eq!(h.state().selected_code(), Some("P1"));
    h.get_by_label("Selected: P1 — École Nord");
    // The table row (named by the precinct's title) is marked selected.
    let row = h.get_by_label("P1 — École Nord");
    assert_eq!(
        row.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
}

#[test]
fn the_map_colours_by_a_variable_with_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&campaign(dir.path()));
    assert!(h.state().legend().is_none());
    h.state_mut()
        .send(Command::ShowVariable(Variable::Registered));
    h.run_steps(2);
    let legend = h.state().legend().expect("a legend").clone();
    assert_eq!(legend.classes.iter().map(|c| c.count).sum::<usize>(), 3);
    assert_eq!(legend.no_data, 0);
    assert_eq!(legend.classes.first().unwrap().lower, 50.0);
    assert_eq!(legend.classes.last().unwrap().upper, 200.0);
    // The model's quantiles: breaks interpolated between order statistics.
    h.get_by_label("50 – 70");
    h.get_by_label("Quantiles, 5 classes");
    h.state_mut().send(Command::ShowVariable(Variable::None));
    h.run_steps(2);
    assert!(h.state().legend().is_none());
}

#[test]
fn turnout_in_four_jenks_classes_from_the_panel() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&ten_precincts(dir.path()));
    pick(&mut h, "Colour by", "Turnout");
    assert_eq!(h.state().variable(), Variable::Turnout);
    pick(&mut h, "Method", "Jenks (natural breaks)");
    h.get_by_role_and_label(egui::accesskit::Role::Slider, "Classes")
        .set_value_accesskit(4.0);
    h.run_steps(3);
    assert_eq!(h.state().colour_choice().classes, 4);
    assert_eq!(h.state().colour_error(), None);
    let legend = h.state().legend().expect("a legend").clone();
    assert_eq!(legend.method, "jenks");
    assert_eq!(legend.classes.len(), 4, "{legend:?}");
    let precincts = h.state().map().layer.shapes.len();
    assert_eq!(precincts, 10);
    assert_eq!(
        legend.classes.iter().map(|c| c.count).sum::<usize>() + legend.no_data,
        precincts
    );
    assert_eq!(legend.no_data, 0);
    assert!((legend.classes[0].lower - 55.0).abs() < 1e-9, "{legend:?}");
    assert!((legend.classes[3].upper - 91.0).abs() < 1e-9, "{legend:?}");
    h.get_by_label("Jenks (natural breaks), 4 classes");
    h.get_by_label("55.0% – 60.0%");

    // Manual breaks: three breaks make four classes; a bad word is reported.
    pick(&mut h, "Method", "Manual breaks");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Breaks")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Breaks")
        .type_text("60, 75, 88");
    h.run_steps(3);
    let legend = h.state().legend().expect("a legend");
    assert_eq!(
        legend.classes.iter().map(|c| c.count).collect::<Vec<_>>(),
        [3, 3, 2, 2]
    );

    // A candidate's swing between the two elections, on the diverging ramp.
    pick(&mut h, "Colour by", "Swing since an election");
    pick(&mut h, "Method", "Quantiles");
    assert_eq!(h.state().colour_error(), None);
    let legend = h.state().legend().expect("a legend");
    assert_eq!(legend.ramp, "RdBu");
    // The priority score is disabled without saved blocs, with the command to save some.
    h.get_by_label_contains("porte blocs");
}

#[test]
fn french_from_the_view_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&campaign(dir.path()));
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Language").hover();
    h.run_steps(3);
    h.get_by_label("Français").click();
    h.run_steps(3);
    assert_eq!(h.state().lang(), Lang::Fr);
    assert_eq!(h.state().prefs.lang, Some(Lang::Fr));
    h.get_by_label("Fichier");
    h.get_by_label("Affichage");
    h.get_by_label("3 bureaux");
    h.get_by_label("Rechercher");
    h.get_by_label("Inscrits");
    h.get_by_label("3 sur 3 affichés");
    h.check_accessibility();
}
