//! The Dashboard window (issue 7), driven with egui_kittest on the sample city: opened from
//! View › Dashboard and from the Results tab's "Open dashboard"; a tally typed in the Results
//! tab changes its totals and its "by operation" table; a goal added in its editor shows its
//! progress (and a bad target is refused); its CSV and PDF exports write files that hold the
//! totals (the PDF read back with pdftotext).

use crate::common;
use crate::ui_common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use porte::model::sample_campaign::{build_sample_campaign, bundled_sample_city};
use porte::model::{Campaign, NoProgress};
use porte::ui::PorteApp;
use porte::ui::panels::dashboard::SortKey;
use ui_common::*;

fn type_into(h: &mut Harness<'_, PorteApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run_steps(2);
}

/// Types a tally in the Results tab (date, knocked, opened, contacts, refusals) and records it.
fn record_tally(h: &mut Harness<'_, PorteApp>, counts: [&str; 4]) {
    if h.state().results_panel().form.date.is_empty() {
        type_into(h, "Date (YYYY-MM-DD)", "2026-03-14");
    }
    for (label, text) in ["Knocked", "Opened", "Contacts taken", "Refusals"]
        .into_iter()
        .zip(counts)
    {
        type_into(h, label, text);
    }
    h.get_by_label("Record tally").click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().results_panel().error, None);
}

#[test]
fn the_dashboard_follows_tallies_edits_goals_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dashboard.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let turf = common::cut_first_precinct(&path, 75);
    // "Samedi matin" on 14 March 2026 over every turf: the tally below is credited to it.
    common::create_saturday_operation(path.to_str().unwrap());

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    assert!(!h.state().dashboard_window().open);

    // View › Dashboard opens it on the model's (empty) totals and an empty table.
    h.get_by_label("View").click();
    h.run_steps(2);
    let items: Vec<_> = h.get_all_by_label("Dashboard").collect();
    items.last().unwrap().click();
    h.run_steps(3);
    assert!(h.state().dashboard_window().open);
    h.get_by_label("Knocked: 0");
    h.get_by_label("Contacts taken: 0");
    h.get_by_label("No goal yet: add one below.");
    h.get_by_label("No result recorded yet.");
    h.get_by_label("By operation");
    h.get_by_label("(none)");
    assert!(h.query_by_label("Samedi matin").is_none());

    // A tally typed in the Results tab: totals and the "by operation" table follow.
    h.get_by_label("Turfs").click_accesskit();
    h.run_steps(3);
    h.get_by_label(&turf.name).click_accesskit();
    h.run_steps(3);
    h.get_by_label("Results").click_accesskit();
    h.run_steps(3);
    record_tally(&mut h, ["40", "18", "5", "4"]);
    h.get_by_label("Knocked: 40");
    h.get_by_label("Opened: 18");
    h.get_by_label("Contacts taken: 5");
    h.get_by_label("Refusals: 4");
    assert!(h.query_by_label("Knocked: 0").is_none());
    assert!(h.query_by_label("No result recorded yet.").is_none());
    h.get_by_label("Samedi matin");
    let d = h.state().dashboard_window().dashboard.clone().unwrap();
    assert_eq!(d.by_operation.len(), 1);
    assert_eq!(
        (d.by_operation[0].key.as_str(), d.by_operation[0].knocked),
        ("Samedi matin", 40)
    );
    // A header click sorts the table (numbers largest first), a second one reverses it.
    h.get_by_label("knocked").click_accesskit();
    h.run_steps(2);
    assert_eq!(
        h.state().dashboard_window().sort,
        Some((SortKey::Knocked, true))
    );
    h.get_by_label("knocked v").click_accesskit();
    h.run_steps(2);
    h.get_by_label("knocked ^");
    // The precinct tab: the tally is shared among the turf's precincts, as the coverage map does.
    h.get_by_label("By precinct").click_accesskit();
    h.run_steps(2);
    assert!(h.query_by_label("Samedi matin").is_none());
    let by_precinct = &h
        .state()
        .dashboard_window()
        .dashboard
        .as_ref()
        .unwrap()
        .by_precinct;
    assert_eq!(by_precinct.iter().map(|r| r.knocked).sum::<i64>(), 40);
    assert!(by_precinct[0].display().contains(" — "), "{by_precinct:?}");
    h.get_by_label(by_precinct[0].display());

    // A goal with a bad target is refused; a good one shows its progress.
    type_into(&mut h, "Goal name", "100 portes");
    type_into(&mut h, "Target", "cent");
    h.get_by_label("Add goal").click_accesskit();
    h.run_steps(3);
    h.get_by_label("Target “cent”: expected a whole number");
    assert!(Campaign::open(&path).unwrap().goals().unwrap().is_empty());
    // Clear the target (select all, type over it) and set a far due date: on track.
    let target = h.get_by_label("Target");
    target.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Target").type_text("100");
    h.run_steps(2);
    type_into(&mut h, "Due (YYYY-MM-DD)", "2099-12-31");
    h.get_by_label("Add goal").click_accesskit();
    h.run_steps(3);
    let goals = &h
        .state()
        .dashboard_window()
        .dashboard
        .as_ref()
        .unwrap()
        .goals;
    assert_eq!(
        goals.len(),
        1,
        "{:?}",
        h.state().dashboard_window().goal_error
    );
    assert_eq!((goals[0].value, goals[0].target), (40, 100));
    assert_eq!(goals[0].on_track, Some(true));
    // In the goal list and in the chart's legend (its pace line).
    assert_eq!(h.get_all_by_label("100 portes").count(), 2);
    h.get_by_label("due 2099-12-31");
    h.get_by_label("on track");
    assert!(h.query_by_label("No goal yet: add one below.").is_none());
    assert_eq!(Campaign::open(&path).unwrap().goals().unwrap().len(), 1);

    // A second tally moves the goal's progress.
    record_tally(&mut h, ["10", "2", "1", "1"]);
    h.get_by_label("Knocked: 50");
    let goals = &h
        .state()
        .dashboard_window()
        .dashboard
        .as_ref()
        .unwrap()
        .goals;
    assert_eq!(goals[0].value, 50);

    // A date range before the tallies counts nothing; goals stay campaign-wide. "Whole
    // campaign" clears it.
    type_into(&mut h, "To (YYYY-MM-DD)", "2026-03-13");
    h.get_by_label("Apply dates").click_accesskit();
    h.run_steps(3);
    h.get_by_label("Knocked: 0");
    h.get_by_label("Goals (whole campaign)");
    let goals = &h
        .state()
        .dashboard_window()
        .dashboard
        .as_ref()
        .unwrap()
        .goals;
    assert_eq!(goals[0].value, 50);
    h.get_by_label("Whole campaign").click_accesskit();
    h.run_steps(3);
    h.get_by_label("Knocked: 50");
    h.get_by_label("Goals");

    // Exports: the CSV now, the PDF on a job; both hold the totals.
    let csv = dir.path().join("out.csv");
    let pdf = dir.path().join("out");
    type_into(&mut h, "CSV file", csv.to_str().unwrap());
    h.get_by_label("Export CSV…").click_accesskit();
    h.run_steps(3);
    let table = std::fs::read_to_string(&csv).unwrap();
    assert!(table.contains("\ntotal,,50,20,6,,,\n"), "{table}");
    assert!(
        table.contains("\ngoal,100 portes,50,,,100,2099-12-31,yes"),
        "{table}"
    );
    assert!(
        h.state().status().contains("out.csv"),
        "{}",
        h.state().status()
    );
    type_into(&mut h, "PDF file", pdf.to_str().unwrap());
    h.get_by_label("Export PDF…").click_accesskit();
    h.run_steps(1);
    step_until(&mut h, "the dashboard PDF", |app| {
        !app.dashboard_window().is_exporting()
    });
    let written = dir.path().join("out.pdf");
    assert!(
        h.state().status().contains("out.pdf"),
        "{}",
        h.state().status()
    );
    let text = common::pdf_text(&written);
    for needle in [
        "Campaign dashboard",
        "50",
        "100 portes",
        "on track",
        "Samedi matin",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }

    // Deleting the goal empties the list again.
    h.get_by_label("Delete goal").click_accesskit();
    h.run_steps(3);
    h.get_by_label("No goal yet: add one below.");
    assert!(Campaign::open(&path).unwrap().goals().unwrap().is_empty());
}

#[test]
fn the_results_tab_opens_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.get_by_label("Results").click_accesskit();
    h.run_steps(3);
    h.get_by_label("Open dashboard").click_accesskit();
    h.run_steps(3);
    assert!(h.state().dashboard_window().open);
    let doors = h
        .state()
        .dashboard_window()
        .dashboard
        .as_ref()
        .unwrap()
        .doors;
    assert!(doors > 0);
    h.get_by_label(&format!("Doors: {}", porte::ui::i18n::EN.integer(doors)));
}
