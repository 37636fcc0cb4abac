//! The priority map driven like a user with egui_kittest: open the "Blocs and weights" window,
//! put candidates in blocs by clicking, save (the model's refusals show in the window), colour
//! the map by the priority score in Jenks classes, read the legend, select a precinct in the
//! table and read its explain view, whose score is the model's `Campaign::score`.

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use porte::model::Campaign;
use porte::model::scoring::{BlocRole, ScoreResult, ShareOf, variable_values};
use porte::ui::PorteApp;
use porte::ui::figures::Variable;
use porte::ui::i18n::Lang;

use crate::ui_common;
use ui_common::{click, pick, type_into};

/// Colours the map by the priority score in `classes` Jenks classes (fewer when the values allow
/// fewer, as the model notes) and checks the legend counts every scored precinct once; returns
/// the model's score the map shows.
fn priority_map(h: &mut Harness<'_, PorteApp>, campaign: &Path, classes: usize) -> ScoreResult {
    pick(h, "Colour by", "Priority score");
    assert_eq!(h.state().variable(), Variable::Priority);
    pick(h, "Method", "Jenks (natural breaks)");
    h.get_by_role_and_label(Role::Slider, "Classes")
        .set_value_accesskit(classes as f64);
    h.run_steps(3);
    assert_eq!(h.state().colour_error(), None);
    let c = Campaign::open(campaign).unwrap();
    let model = c.score(&c.scoring_settings().unwrap(), None, &[]).unwrap();
    let legend = h.state().legend().expect("a legend").clone();
    assert_eq!(legend.method, "jenks");
    let n = legend.classes.len();
    h.get_by_label(&format!("Jenks (natural breaks), {n} classes"));
    assert!(
        n == classes || (n < classes && !legend.notes.is_empty()),
        "{legend:?}"
    );
    assert_eq!(
        legend.classes.iter().map(|k| k.count).sum::<usize>(),
        model.precincts.len()
    );
    assert_eq!(
        legend.no_data,
        h.state().map().layer.shapes.len() - model.precincts.len()
    );
    model
}

/// Selects `code` in the precinct table and checks the explain view shows the model's score,
/// rank and class (the summary shows the coloured value too: the score's text appears twice).
fn explain_matches_the_model(h: &mut Harness<'_, PorteApp>, model: &ScoreResult, code: &str) {
    h.get_by_label(code).click();
    h.run_steps(3);
    assert_eq!(h.state().selected_code(), Some(code));
    let p = model.precinct(code).expect("a scored precinct");
    let score = format!("Priority score: {:.1} / 100", p.score);
    assert_eq!(h.get_all_by_label(&score).count(), 2, "{score}");
    h.get_by_label(&format!("Rank {} of {}", p.rank, model.precincts.len()));
    h.get_by_label(&format!("Class {} of 5 (1 = most priority)", p.class));
    h.get_by_label("Why this priority?");
    h.get_by_label("Mobilisation");
    h.get_by_label(&format!("Election scored: {}", model.election));
}

#[test]
fn sample_city_camp_edited_saved_and_explained() {
    let data = tempfile::tempdir().unwrap();
    // The only test of this file reading the data folder: the sample campaign is built there.
    unsafe { std::env::set_var("XDG_DATA_HOME", data.path()) };
    let mut app = PorteApp::new(None);
    app.prefs.lang = Some(Lang::En);
    app.prefs.table_visible = true;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut PorteApp| app.ui(ui), app);
    ui_common::loaded(&mut h);
    let campaign: PathBuf = h.state().campaign_path().unwrap().to_path_buf();
    assert!(campaign.starts_with(data.path()));
    let election = "presidentielle-2022-1";

    // The demo camp works out of the box: the priority map and its explain view.
    let model = priority_map(&mut h, &campaign, 5);
    assert_eq!(h.state().legend().unwrap().classes.len(), 5);
    assert_eq!(model.election, election);
    let first = h.state().table_codes()[0].to_owned();
    explain_matches_the_model(&mut h, &model, &first);

    // The editor opens on the chosen election's blocs, says the camp is an example.
    click(&mut h, "Blocs and weights…");
    assert!(h.state().priority_draft().open);
    h.get_by_label(&format!("Blocs of {election}"));
    h.get_by_label("The sample city is fictional: its camp is only an example.");
    assert_eq!(h.state().priority_draft().blocs.len(), 3);

    // A new rival bloc with one candidate, a candidate moved to our camp, then save.
    type_into(&mut h, "New bloc", "souverainistes");
    click(&mut h, "Add");
    pick(&mut h, "Role of souverainistes", "Rival");
    pick(&mut h, "BRÉMOND Philippe", "souverainistes");
    pick(&mut h, "VERNIER Laurent", "notre camp (exemple)");
    click(&mut h, "Save blocs");
    assert_eq!(h.state().priority_draft().error, None);
    // In the window and in the status bar.
    assert_eq!(
        h.query_all_by_label(&format!("Blocs of {election} saved."))
            .count(),
        2
    );
    let stored = Campaign::open(&campaign).unwrap().blocs(election).unwrap();
    let bloc = |name: &str| stored.iter().find(|b| b.name == name).unwrap();
    assert_eq!(bloc("souverainistes").members, ["BRÉMOND Philippe"]);
    assert_eq!(bloc("souverainistes").role, BlocRole::Rival);
    assert!(
        bloc("notre camp (exemple)")
            .members
            .contains(&"VERNIER Laurent".to_owned())
    );
    assert!(
        !bloc("adversaires (exemple)")
            .members
            .iter()
            .any(|m| m.starts_with("BRÉMOND"))
    );

    // Score settings: a heavier mobilisation weight, saved.
    h.get_by_role_and_label(Role::SpinButton, "Weight of Mobilisation")
        .set_value_accesskit(2.0);
    h.run_steps(2);
    // At the bottom of the window, maybe scrolled out of view: clicked through accesskit.
    h.get_by_label("Save settings").click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().priority_draft().error, None);
    assert_eq!(h.query_all_by_label("Score settings saved.").count(), 2);
    let settings = Campaign::open(&campaign)
        .unwrap()
        .scoring_settings()
        .unwrap();
    assert_eq!(settings.weight("mobilisation"), 2.0);
    assert_eq!(settings.election.as_deref(), Some(election));

    // The map recoloured with the saved camp; the explain view agrees with the model.
    click(&mut h, "Close window");
    assert!(!h.state().priority_draft().open);
    let model = priority_map(&mut h, &campaign, 5);
    assert_eq!(
        model
            .blocs
            .iter()
            .filter(|b| b.election == election)
            .count(),
        4
    );
    let second = h.state().table_codes()[1].to_owned();
    explain_matches_the_model(&mut h, &model, &second);
    let mobilisation = model.term_index("mobilisation").unwrap();
    assert_eq!(model.terms[mobilisation].weight, 2.0);

    // A bloc's share: the saved blocs are offered after the candidates.
    pick(&mut h, "Colour by", "Share of a candidate or bloc");
    // The blocs come last in a long list, below the popup's fold: scroll to the item first.
    h.get_by_role_and_label(Role::ComboBox, "Candidate or bloc")
        .click();
    h.run_steps(2);
    h.get_by_label("Bloc: notre camp (exemple)").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Bloc: notre camp (exemple)")
        .click_accesskit();
    h.run_steps(3);
    assert_eq!(
        h.state().colour_choice().share_of,
        Some(ShareOf::Bloc("notre camp (exemple)".into()))
    );
    assert_eq!(h.state().colour_error(), None);
    let c = Campaign::open(&campaign).unwrap();
    let shares = variable_values(
        &c,
        &porte::model::scoring::Variable::Share {
            election: election.into(),
            of: ShareOf::Bloc("notre camp (exemple)".into()),
        },
    )
    .unwrap();
    let legend = h.state().legend().expect("a legend of the bloc's share");
    assert_eq!(
        legend.classes.iter().map(|k| k.count).sum::<usize>(),
        shares.iter().filter(|(_, v)| v.is_some()).count()
    );
}

/// Three squares and one election with no bloc saved yet.
fn campaign(dir: &Path) -> PathBuf {
    ui_common::squares_with_results(
        dir,
        "prio",
        "bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa;DURAND Ali\n\
         P1;100;80;75;50;15;10\n\
         P2;200;100;100;30;40;30\n\
         P3;50;40;38;20;10;8\n",
    )
}

#[test]
fn blocs_from_the_view_menu_with_the_models_refusal_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign(dir.path());
    let mut h = ui_common::harness_with(&path, |app| app.prefs.table_visible = true);
    ui_common::loaded(&mut h);
    // No blocs: the priority score cannot colour the map yet.
    h.get_by_label_contains("porte blocs");

    h.get_by_label("View").click();
    h.run_steps(2);
    let items: Vec<_> = h.get_all_by_label("Blocs and weights…").collect();
    items.last().unwrap().click();
    h.run_steps(3);
    h.get_by_label("Blocs of Municipales 2020");

    // An empty bloc: the model refuses it, the window says why, nothing is stored.
    type_into(&mut h, "New bloc", "nous");
    click(&mut h, "Add");
    click(&mut h, "Save blocs");
    let error = h.state().priority_draft().error.clone().expect("a refusal");
    assert!(error.contains("matches no candidate"), "{error}");
    h.get_by_label(&error);
    let c = Campaign::open(&path).unwrap();
    assert!(c.blocs("Municipales 2020").unwrap().is_empty());

    // The first bloc added is ours; put DUPONT in it and MARTIN in a near bloc.
    pick(&mut h, "DUPONT Jean", "nous");
    type_into(&mut h, "New bloc", "voisins");
    click(&mut h, "Add");
    pick(&mut h, "MARTIN Léa", "voisins");
    click(&mut h, "Save blocs");
    assert_eq!(h.state().priority_draft().error, None);
    let blocs = c.blocs("Municipales 2020").unwrap();
    assert_eq!(blocs.len(), 2);
    assert_eq!(blocs[0].name, "nous");
    assert_eq!(blocs[0].role, BlocRole::Ours);
    assert_eq!(blocs[1].role, BlocRole::Near);

    // Every precinct is scored; P2 (most abstainers, most near votes) explains its score.
    click(&mut h, "Close window");
    let model = priority_map(&mut h, &path, 3);
    assert_eq!(model.precincts.len(), 3);
    explain_matches_the_model(&mut h, &model, "P2");
    h.get_by_label("Persuasion");
}
