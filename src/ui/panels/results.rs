//! The Results tab: the selected turf's quick tally form (date, knocked, opened, contacts,
//! refusals) sent as a [`Command::RecordTally`], the model's refusal, the turf's door-by-door
//! entry ([`door_entry`]), the campaign's dashboard totals and the selected turf's coverage, read
//! from the model after each tally, visit or import; a button opens the results import window.
//!
//! [`door_entry`]: crate::ui::panels::door_entry

use std::path::Path;

use chrono::NaiveDate;
use egui::Ui;

use crate::model::Campaign;
use crate::model::results::Tally;
use crate::model::results::coverage::{CoverageRow, Dashboard};
use crate::model::turfs::Turf;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::panels::door_entry::{DoorEntry, door_entry_ui};
use crate::ui::panels::results_import_window::{ResultsImportCommand, ResultsImportWindow};

/// The tally form of one turf; counts typed as text and parsed on "Record tally".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TallyForm {
    /// The turf the form was filled for (it is reset when another turf is selected).
    pub turf_id: Option<i64>,
    /// YYYY-MM-DD.
    pub date: String,
    pub knocked: String,
    pub opened: String,
    pub contacts: String,
    pub refusals: String,
}

/// The Results tab's state: the form, what the model last said, the totals as last read, the
/// door entry and the results import window.
#[derive(Default)]
pub struct ResultsPanel {
    /// Door-by-door entry of the selected turf.
    pub doors: DoorEntry,
    /// The "Import field results" window (File menu and this tab).
    pub import: ResultsImportWindow,
    pub form: TallyForm,
    /// The model's refusal of the last tally (or a field that is not a number or date).
    pub error: Option<String>,
    pub notice: Option<String>,
    pub dashboard: Option<Dashboard>,
    pub turf_coverage: Vec<CoverageRow>,
    /// Why the totals could not be read.
    pub load_error: Option<String>,
    /// Set when the campaign or its results changed: the totals are read again when shown.
    pub stale: bool,
}

impl ResultsPanel {
    /// Empties the counts after a tally was recorded (the turf and date stay for the next one).
    pub fn clear_counts(&mut self) {
        let f = &mut self.form;
        for count in [
            &mut f.knocked,
            &mut f.opened,
            &mut f.contacts,
            &mut f.refusals,
        ] {
            count.clear();
        }
    }

    /// Reads the dashboard totals and the turfs' coverage again when stale.
    pub fn refresh(&mut self, path: &Path) {
        if !self.stale {
            return;
        }
        self.stale = false;
        self.doors.stale = true;
        let today = NaiveDate::parse_from_str(&crate::model::export::today_utc(), "%Y-%m-%d")
            .unwrap_or_default();
        let read =
            Campaign::open(path).and_then(|c| Ok((c.dashboard(today)?, c.turf_coverage(None)?)));
        match read {
            Ok((dashboard, turfs)) => {
                self.dashboard = Some(dashboard);
                self.turf_coverage = turfs;
                self.load_error = None;
            }
            Err(e) => self.load_error = Some(e.to_string()),
        }
    }
}

/// What the Results tab reads from the app.
pub struct ResultsPanelData<'a> {
    pub turfs: &'a [Turf],
    pub selected_turf: Option<i64>,
    /// The selected operation's date when it holds the selected turf (prefills the form).
    pub operation_date: Option<NaiveDate>,
    /// The campaign file (the door entry reads the turf's doors and visits from it).
    pub campaign_path: Option<&'a Path>,
    /// The selected turf's walking order (its route's stops, by address fid) when routed.
    pub walk_order: Option<&'a [i64]>,
}

/// "40 of 1,200 doors knocked (3.3 %)".
pub fn progress_text(t: &Strings, knocked: i64, doors: i64) -> String {
    let share = if doors > 0 {
        knocked as f64 / doors as f64
    } else {
        0.0
    };
    fill(
        t.results_progress,
        &[&t.integer(knocked), &t.integer(doors), &t.percent(share)],
    )
}

fn count_field(ui: &mut Ui, label: &str, value: &mut String) {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(80.0))
        .labelled_by(l.id);
    ui.end_row();
}

/// Parses one count of the form; `Err` says which word is not a number.
fn count(t: &Strings, text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>()
        .map_err(|_| fill(t.not_a_number, &[&text]))
}

/// The tally the form describes for `turf_id`.
pub fn form_tally(t: &Strings, form: &TallyForm, turf_id: i64) -> Result<Tally, String> {
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
        .map_err(|_| fill(t.results_bad_date, &[&form.date.trim()]))?;
    Ok(Tally {
        turf_id,
        operation_id: None,
        team_id: None,
        tallied_on: date,
        knocked: count(t, &form.knocked)?,
        opened: count(t, &form.opened)?,
        contacts: count(t, &form.contacts)?,
        refusals: count(t, &form.refusals)?,
    })
}

pub fn results_panel_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut ResultsPanel,
    data: &ResultsPanelData<'_>,
    commands: &mut Vec<Command>,
) {
    let turf = data
        .selected_turf
        .and_then(|id| data.turfs.iter().find(|x| x.id == id));
    ui.heading(t.results_tally_heading);
    match turf {
        None => {
            ui.label(t.results_select_turf);
        }
        Some(turf) => {
            if state.form.turf_id != Some(turf.id) {
                state.form = TallyForm {
                    turf_id: Some(turf.id),
                    date: data
                        .operation_date
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    ..TallyForm::default()
                };
                state.error = None;
            }
            ui.label(&turf.name);
            egui::Grid::new("tally form").num_columns(2).show(ui, |ui| {
                count_field(ui, t.results_date, &mut state.form.date);
                count_field(ui, t.results_knocked, &mut state.form.knocked);
                count_field(ui, t.results_opened, &mut state.form.opened);
                count_field(ui, t.results_contacts, &mut state.form.contacts);
                count_field(ui, t.results_refusals, &mut state.form.refusals);
            });
            if ui.button(t.results_record).clicked() {
                match form_tally(t, &state.form, turf.id) {
                    Ok(tally) => commands.push(Command::RecordTally(tally)),
                    Err(e) => {
                        state.error = Some(e);
                        state.notice = None;
                    }
                }
            }
            if let Some(e) = &state.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            } else if let Some(n) = &state.notice {
                ui.label(n);
            }
            if let Some(row) = state
                .turf_coverage
                .iter()
                .find(|r| r.key == turf.id.to_string())
            {
                ui.label(fill(
                    t.results_turf_coverage,
                    &[&progress_text(t, row.knocked, row.doors)],
                ));
            }
        }
    }
    ui.separator();
    if ui.button(t.rimport_menu).clicked() {
        commands.push(Command::ResultsImport(ResultsImportCommand::Show));
    }
    ui.separator();
    ui.heading(t.results_dashboard_heading);
    if ui.button(t.dashboard_open).clicked() {
        commands.push(Command::Dashboard(
            crate::ui::panels::dashboard::DashboardCommand::Show,
        ));
    }
    if let Some(e) = &state.load_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if let Some(d) = &state.dashboard {
        ui.label(fill(t.results_total_knocked, &[&t.integer(d.knocked)]));
        ui.label(fill(t.results_total_opened, &[&t.integer(d.opened)]));
        ui.label(fill(t.results_total_contacts, &[&t.integer(d.contacts)]));
        ui.label(progress_text(t, d.knocked, d.doors));
    }
    // The door-by-door entry, long, comes after the totals it moves.
    if let (Some(turf), Some(path)) = (turf, data.campaign_path) {
        ui.separator();
        state
            .doors
            .sync(path, turf.id, data.walk_order, data.operation_date);
        door_entry_ui(ui, t, &mut state.doors, path, turf.id, commands);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    #[test]
    fn the_form_names_a_bad_date_or_count() {
        let mut form = TallyForm {
            turf_id: Some(3),
            date: "2026-03-14".into(),
            knocked: "40".into(),
            opened: "18".into(),
            contacts: "5".into(),
            refusals: String::new(),
        };
        let tally = form_tally(&EN, &form, 3).unwrap();
        assert_eq!((tally.knocked, tally.opened, tally.refusals), (40, 18, 0));
        form.opened = "x8".into();
        assert!(form_tally(&EN, &form, 3).unwrap_err().contains("x8"));
        form.date = "14/03/2026".into();
        assert!(
            form_tally(&EN, &form, 3)
                .unwrap_err()
                .contains("14/03/2026")
        );
    }
}
