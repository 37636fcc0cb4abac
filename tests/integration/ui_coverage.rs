//! The coverage map (issue 7), driven with egui_kittest on the sample city: Map colours ›
//! Coverage shows the fixed classes with every precinct "not visited" on a fresh campaign; a
//! tally moves precincts between classes and colours its turf; a "since" date after the tally
//! brings them back to "not visited"; priority and coverage side by side show both captions,
//! legends and the gaps list, and clicking a gap selects its precinct.

use crate::common;
use crate::ui_common;

use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use porte::model::results::Tally;
use porte::model::results::coverage_map::COVERAGE_CLASSES;
use porte::model::sample_campaign::{build_sample_campaign, bundled_sample_city};
use porte::model::{Campaign, NoProgress};
use porte::ui::PorteApp;
use porte::ui::command::Command;
use porte::ui::figures::{MethodChoice, Variable};
use porte::ui::i18n::EN;
use porte::ui::panels::coverage_gaps::gap_text;
use ui_common::*;

/// Replaces the text of the input labelled `label` with `text`.
fn type_into(h: &mut Harness<'_, PorteApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_steps(1);
    for _ in 0..12 {
        h.key_press(egui::Key::Backspace);
        h.run_steps(1);
    }
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run_steps(3);
}

/// The legend's counts, class by class (not visited first).
fn counts(app: &PorteApp) -> Vec<usize> {
    app.legend()
        .map(|l| l.classes.iter().map(|k| k.count).collect())
        .unwrap_or_default()
}

#[test]
fn coverage_classes_since_turfs_and_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coverage.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let turf = common::cut_first_precinct(&path, 75);
    let rows = Campaign::open(&path)
        .unwrap()
        .precinct_coverage(None)
        .unwrap();
    let with_doors = rows.iter().filter(|r| r.doors > 0).count();
    assert_eq!(
        with_doors, 40,
        "every precinct of the sample city has doors"
    );

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    pick(&mut h, "Colour by", "Coverage (share of doors knocked)");
    assert_eq!(h.state().variable(), Variable::Coverage);
    assert_eq!(
        h.state().colour_choice().method,
        MethodChoice::CoverageFixed
    );
    assert_eq!(h.state().colour_error(), None);

    // Fresh campaign: every precinct with doors is "not visited", in red.
    let mut fresh = vec![0; COVERAGE_CLASSES];
    fresh[0] = with_doors;
    assert_eq!(counts(h.state()), fresh);
    for label in [
        "Share of doors knocked",
        "Not visited (0 %)",
        "under 20%",
        "20 – 40%",
        "60 – 80%",
        "80% or more",
    ] {
        h.get_by_label(label);
    }
    h.get_by_label(&format!("({with_doors})"));
    let legend = h.state().legend().unwrap().clone();
    let red = legend.classes[0].color_rgb;
    let rgb = |c: egui::Color32| [c.r(), c.g(), c.b()];
    let turf_colour = |h: &Harness<'_, PorteApp>| {
        h.state()
            .map()
            .turfs
            .coverage_of(turf.id)
            .map(|c| rgb(c.colour))
    };
    assert_eq!(turf_colour(&h), Some(red), "an untouched turf is red");

    // A tally of the whole turf (as the Results tab sends it): its precincts leave "not
    // visited", the turf turns to the top class.
    let tally = Tally {
        turf_id: turf.id,
        operation_id: None,
        team_id: None,
        tallied_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        knocked: turf.doors() as u32,
        opened: 10,
        contacts: 2,
        refusals: 1,
    };
    h.state_mut().send(Command::RecordTally(tally));
    h.run_steps(3);
    let after = counts(h.state());
    assert!(after[0] < with_doors, "{after:?}");
    assert_eq!(after.iter().sum::<usize>(), with_doors);
    let top = legend.classes[COVERAGE_CLASSES - 1].color_rgb;
    assert_eq!(turf_colour(&h), Some(top));
    let line = &h.state().map().turfs.coverage_of(turf.id).unwrap().line;
    assert!(line.contains("100.0%"), "{line}");
    // The model says the same as the legend.
    let moved = Campaign::open(&path)
        .unwrap()
        .precinct_coverage(None)
        .unwrap()
        .iter()
        .filter(|r| r.doors > 0 && r.knocked > 0)
        .count();
    assert_eq!(with_doors - after[0], moved);

    // Counting visits since a date after the tally: back to "not visited".
    type_into(&mut h, "Counting visits since", "2026-04-01");
    assert_eq!(h.state().colour_choice().since, "2026-04-01");
    assert_eq!(h.state().colour_error(), None);
    h.get_by_label("Share of doors knocked since 1 April 2026");
    assert_eq!(counts(h.state()), fresh);
    assert_eq!(turf_colour(&h), Some(red));
    // Not a date: the choice keeps the last valid text (the emptied field: all time) and the
    // field says why once left.
    type_into(&mut h, "Counting visits since", "31/02/2026");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert_eq!(h.state().colour_choice().since, "");
    assert_eq!(counts(h.state()), after);
    h.get_by_label("“31/02/2026” is not a date: type it as YYYY-MM-DD.");
    // All time again.
    type_into(&mut h, "Counting visits since", "");
    assert_eq!(h.state().colour_choice().since, "");
    assert_eq!(counts(h.state()), after);

    // Priority and coverage side by side.
    h.get_by_role_and_label(Role::CheckBox, "Priority and coverage side by side")
        .click();
    h.run_steps(4);
    assert!(h.state().compare().on);
    h.get_by_label("Where the effort should go: priority score");
    h.get_by_label("Where the effort went: Share of doors knocked");
    h.get_by_label("Gaps: priority class 1–2, under 20 % knocked");
    let priority = h.state().compare().priority_colouring().expect("priority");
    assert_eq!(priority.variable, Variable::Priority);
    let fill = h.state().compare().priority_fill_at(0);
    assert!(fill.is_some(), "the left map is coloured by priority");
    // Two legends: the side panel's and the right map's overlay show the coverage classes;
    // the left overlay shows the priority classes.
    assert!(h.get_all_by_label("Not visited (0 %)").count() >= 2);
    // Panning the left map moves the right one, and the other way round.
    let center = |h: &Harness<'_, PorteApp>| h.state().map().center_wgs84().unwrap();
    let before = center(&h);
    let left = h.state().compare().left_map_rect().unwrap();
    drag_to(
        &mut h,
        left.center(),
        left.center() + egui::vec2(40.0, 30.0),
    );
    let moved = center(&h);
    assert!(
        (moved[0] - before[0]).abs() > 1e-5 && (moved[1] - before[1]).abs() > 1e-5,
        "{before:?} -> {moved:?}"
    );
    let right = h
        .state()
        .map()
        .screen_from_wgs84(moved[0], moved[1])
        .unwrap();
    drag_to(&mut h, right, right + egui::vec2(-30.0, 20.0));
    let moved_again = center(&h);
    assert!(
        (moved_again[0] - moved[0]).abs() > 1e-5,
        "the right map moved"
    );
    let left_center = h.state().compare().memory().detached().unwrap();
    let main_center = h.state().map().memory().detached().unwrap();
    assert!((left_center.x() - main_center.x()).abs() < 1e-9);
    assert!((left_center.y() - main_center.y()).abs() < 1e-9);
    assert_eq!(h.state().compare().memory().zoom(), h.state().map().zoom());
    let gaps = h.state().compare().gaps.clone();
    assert!(!gaps.is_empty());
    assert!(
        gaps.windows(2)
            .all(|w| w[0].priority_rank <= w[1].priority_rank)
    );
    assert!(gaps.iter().all(|g| g.priority_class <= 2 && g.share < 0.2));
    // The model's gaps for the election the map shows (the campaign's last one by default).
    let election = h
        .state()
        .campaign_view()
        .unwrap()
        .figures
        .elections
        .last()
        .unwrap()
        .name
        .clone();
    let model = Campaign::open(&path)
        .unwrap()
        .coverage_gaps(Some(&election), None)
        .unwrap();
    assert_eq!(gaps, model);
    // The command line lists the same gaps.
    let out = std::process::Command::new(common::porte_bin())
        .arg("coverage")
        .arg(&path)
        .args(["--gaps", "--election", &election, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        gaps.iter().map(|g| g.code.as_str()).collect::<Vec<_>>()
    );
    let gap = &gaps[0];
    h.get_by_label(&gap_text(&EN, gap)).click();
    h.run_steps(4);
    let fid = h
        .state()
        .map()
        .layer
        .shapes
        .iter()
        .find(|s| s.code == gap.code)
        .unwrap()
        .fid;
    assert_eq!(h.state().selected_fid(), Some(fid));

    // Off again from the View menu (its own checkbox, not the panel's).
    let label = "Priority and coverage side by side";
    let before: std::collections::HashSet<_> = h
        .query_all_by_label(label)
        .map(|n| n.accesskit_node().id())
        .collect();
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_all_by_label(label)
        .find(|n| !before.contains(&n.accesskit_node().id()))
        .expect("the View menu's toggle")
        .click();
    h.run_steps(3);
    assert!(!h.state().compare().on);
    assert!(
        h.query_by_label("Where the effort should go: priority score")
            .is_none()
    );
}

#[test]
fn side_by_side_without_a_camp_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (path, campaign, _) = campaign_of_squares(dir.path(), "squares", &three_squares());
    drop(campaign);
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.state_mut().send(Command::SetCompare(true));
    h.run_steps(4);
    assert_eq!(h.state().variable(), Variable::Coverage);
    let message = match &h.state().compare().priority {
        Some(Err(m)) => m.clone(),
        other => panic!(
            "expected a message, got {:?}",
            other.as_ref().map(|p| p.is_ok())
        ),
    };
    h.get_by_label(&message);
    assert!(h.state().compare().gaps.is_empty());
}
