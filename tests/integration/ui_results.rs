//! The Results tab (issue 7), driven with egui_kittest: select a turf of the sample city, type
//! its tally, press "Record tally": the dashboard totals change and the model holds the tally;
//! coloured by coverage, the map's legend changes after the next tally.

use crate::common;
use crate::ui_common;

use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;
use porte::model::sample_campaign::{build_sample_campaign, bundled_sample_city};
use porte::model::{Campaign, NoProgress};
use porte::ui::PorteApp;
use porte::ui::command::{Command, RightTab};
use porte::ui::figures::Variable;
use porte::ui::i18n::EN;
use porte::ui::panels::legend::value_text;
use porte::ui::panels::results::progress_text;
use ui_common::*;

/// The legend's class lines as the panel shows them ("0.0% – 12.5%" and "(3)").
fn legend_text(app: &PorteApp) -> Vec<String> {
    app.legend()
        .map(|l| {
            l.classes
                .iter()
                .map(|k| {
                    format!(
                        "{} – {} ({})",
                        value_text(&EN, Variable::Coverage, k.lower),
                        value_text(&EN, Variable::Coverage, k.upper),
                        k.count
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn type_tally(h: &mut egui_kittest::Harness<'_, PorteApp>, counts: [&str; 4]) {
    if h.state().results_panel().form.date.is_empty() {
        let field = h.get_by_label("Date (YYYY-MM-DD)");
        field.focus();
        field.type_text("2026-03-14");
        h.run_steps(1);
    }
    for (label, text) in ["Knocked", "Opened", "Contacts taken", "Refusals"]
        .into_iter()
        .zip(counts)
    {
        let field = h.get_by_label(label);
        field.focus();
        field.type_text(text);
        h.run_steps(1);
    }
    h.run_steps(2);
    h.get_by_label("Record tally").click();
    h.run_steps(3);
}

#[test]
fn a_tally_changes_the_dashboard_and_the_coverage_legend() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.gpkg");
    build_sample_campaign(&bundled_sample_city(), &path, &NoProgress).unwrap();
    let turf = common::cut_first_precinct(&path, 75);
    let doors = Campaign::open(&path)
        .unwrap()
        .dashboard(NaiveDate::from_ymd_opt(2026, 3, 14).unwrap())
        .unwrap()
        .doors;
    assert!(doors > 40, "{doors} doors");

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.get_by_label("Turfs").click();
    h.run_steps(3);
    h.get_by_label(&turf.name).click();
    h.run_steps(3);
    assert_eq!(h.state().selected_turf(), Some(turf.id));
    h.get_by_label("Results").click();
    h.run_steps(3);
    assert_eq!(h.state().right_tab(), RightTab::Results);
    h.get_by_label("Doors knocked: 0");
    h.get_by_label(&progress_text(&EN, 0, doors));

    type_tally(&mut h, ["40", "18", "5", "4"]);
    assert_eq!(h.state().results_panel().error, None);
    h.get_by_label("Doors knocked: 40");
    h.get_by_label("Doors opened: 18");
    h.get_by_label("Contacts: 5");
    h.get_by_label(&progress_text(&EN, 40, doors));
    assert!(h.query_by_label("Doors knocked: 0").is_none());
    let c = Campaign::open(&path).unwrap();
    let turf_row = c
        .turf_coverage(None)
        .unwrap()
        .into_iter()
        .find(|r| r.key == turf.id.to_string())
        .unwrap();
    assert_eq!(turf_row.knocked, 40.min(turf_row.doors));
    let dash = c
        .dashboard(NaiveDate::from_ymd_opt(2026, 3, 14).unwrap())
        .unwrap();
    assert_eq!(
        (dash.knocked, dash.opened, dash.contacts, dash.refusals),
        (40, 18, 5, 4)
    );
    drop(c);

    // Colour the map by coverage (the first tally already counts, shared among the turf's
    // precincts); a second tally entered in the tab changes the legend.
    h.state_mut()
        .send(Command::ShowVariable(Variable::Coverage));
    h.run_steps(3);
    assert_eq!(h.state().variable(), Variable::Coverage);
    // The fixed coverage classes may keep the precinct in its class ("under 20 %"): the
    // legend or the precinct's share (the tooltip's value) changes.
    let shares = |app: &PorteApp| app.colouring().map(|c| c.values.clone());
    let before = (legend_text(h.state()), shares(h.state()));
    type_tally(&mut h, ["10", "2", "1", "1"]);
    assert_eq!(h.state().results_panel().error, None);
    let after = (legend_text(h.state()), shares(h.state()));
    assert!(
        !after.0.is_empty(),
        "no legend: {:?}",
        h.state().colour_error()
    );
    assert_ne!(before, after);
    let knocked = 50;
    h.get_by_label(&format!("Doors knocked: {knocked}"));

    // A tally the model refuses: its message is shown, nothing is stored.
    type_tally(&mut h, ["1", "9", "0", "0"]);
    let error = h.state().results_panel().error.clone().expect("a refusal");
    assert!(error.contains("cannot exceed knocked"), "{error}");
    h.get_by_label(&error);
    h.get_by_label(&format!("Doors knocked: {knocked}"));
}
