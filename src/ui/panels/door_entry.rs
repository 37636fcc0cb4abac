//! Door-by-door entry (Results tab): the selected turf's doors in walking order (or by street and
//! number) with their last outcome and a search box; for the picked door, the visit's date,
//! outcome, themes (with a small theme editor), follow-ups, a note warning live about sensitive
//! words, and a contact saved only with a consent date, sent as a [`Command::RecordVisit`]. The
//! operation and team the visit is tied to are shown, and the door's earlier visits listed.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use egui::{TextEdit, Ui};

use crate::model::Campaign;
use crate::model::contacts::{NewContact, consent_date_from_text};
use crate::model::results::record::{DoorVisit, TurfDoor, VisitContext};
use crate::model::results::{FollowUps, Outcome, Visit};
use crate::model::volunteers::fold;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::panels::sensitive_note::sensitive_warning_ui;

/// Where the door entry's visits and contacts come from.
pub const DOOR_ENTRY_SOURCE: &str = "door entry";

/// One door's result as typed, ready for the model.
#[derive(Clone, Debug, PartialEq)]
pub struct DoorRecord {
    pub visit: Visit,
    pub contact: Option<NewContact>,
}

/// Something asked of the campaign's theme list.
#[derive(Clone, Debug, PartialEq)]
pub enum ThemeCommand {
    Add(String),
    Rename(i64, String),
    Deactivate(i64),
}

/// The form of the picked door. The date stays from one door to the next.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DoorForm {
    /// YYYY-MM-DD.
    pub date: String,
    pub outcome: Option<Outcome>,
    /// Theme names ticked.
    pub themes: BTreeSet<String>,
    pub follow_ups: FollowUps,
    pub note: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    /// YYYY-MM-DD (or DD/MM/YYYY), required to save a contact.
    pub consent: String,
}

impl DoorForm {
    /// Empties what belongs to one door (the date stays).
    pub fn clear_door(&mut self) {
        *self = DoorForm {
            date: std::mem::take(&mut self.date),
            ..DoorForm::default()
        };
    }

    fn has_contact(&self) -> bool {
        [
            &self.contact_name,
            &self.contact_phone,
            &self.contact_email,
            &self.consent,
        ]
        .iter()
        .any(|s| !s.trim().is_empty())
    }
}

/// The door entry's state: the turf's doors, the picked door, its form and earlier visits.
#[derive(Debug, Default)]
pub struct DoorEntry {
    /// The turf the doors were read for.
    pub turf_id: Option<i64>,
    /// The walking order the doors were read with (a route's stops).
    walk_order: Option<Vec<i64>>,
    pub doors: Vec<TurfDoor>,
    pub search: String,
    /// The picked door's address fid.
    pub selected: Option<i64>,
    /// The picked door's visits, latest first.
    pub visits: Vec<DoorVisit>,
    /// The campaign's themes: (id, name, active).
    pub themes: Vec<(i64, String, bool)>,
    pub form: DoorForm,
    /// The operation and team of the turf on the form's date, and the date it was read for.
    pub context: Option<VisitContext>,
    context_for: Option<(i64, String)>,
    /// The model's refusal of the last save (or a field that cannot be read).
    pub error: Option<String>,
    pub notice: Option<String>,
    /// Why the doors could not be read.
    pub load_error: Option<String>,
    /// Set when results or themes changed: read again on the next frame.
    pub stale: bool,
    /// The theme editor's new name and the names being edited (by id).
    pub new_theme: String,
    pub theme_edits: Vec<(i64, String)>,
}

/// The outcome's label in the UI language.
pub fn outcome_label(t: &Strings, o: Outcome) -> &'static str {
    match o {
        Outcome::NotHome => t.outcome_not_home,
        Outcome::Opened => t.outcome_opened,
        Outcome::Refused => t.outcome_refused,
        Outcome::ComeBack => t.outcome_come_back,
        Outcome::Moved => t.outcome_moved,
        Outcome::DoNotContact => t.outcome_do_not_contact,
    }
}

/// The door's line in the list: "12 bis rue X", or "12 bis rue X · Opened (2026-03-14)".
pub fn door_line(t: &Strings, d: &TurfDoor) -> String {
    match (d.last_outcome, &d.last_date) {
        (Some(o), Some(date)) => fill(t.door_list_visited, &[&d.label, &outcome_label(t, o), date]),
        _ => d.label.clone(),
    }
}

/// An earlier visit: "2026-03-14 · Opened · écoles, logement".
pub fn visit_line(t: &Strings, v: &DoorVisit) -> String {
    let themes = if v.themes.is_empty() {
        t.door_no_theme.to_owned()
    } else {
        v.themes.join(", ")
    };
    fill(
        t.door_visit_line,
        &[&v.visited_on, &outcome_label(t, v.outcome), &themes],
    )
}

/// The visit (and contact) the form describes at door `address_fid` of turf `turf_id`, or why
/// not (no outcome, bad date, contact without a consent date).
pub fn form_record(
    t: &Strings,
    form: &DoorForm,
    turf_id: i64,
    address_fid: i64,
) -> Result<DoorRecord, String> {
    let outcome = form.outcome.ok_or(t.door_need_outcome)?;
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
        .map_err(|_| fill(t.results_bad_date, &[&form.date.trim()]))?;
    let tags: Vec<String> = form.themes.iter().cloned().collect();
    let contact = if form.has_contact() {
        let consent_date = consent_date_from_text(&form.consent).map_err(|e| e.to_string())?;
        Some(NewContact {
            visit_id: None,
            address_fid: Some(address_fid),
            name: form.contact_name.trim().to_owned(),
            phone: form.contact_phone.trim().to_owned(),
            email: form.contact_email.trim().to_owned(),
            consent_date,
            source: DOOR_ENTRY_SOURCE.to_owned(),
            tags: tags.clone(),
        })
    } else {
        None
    };
    Ok(DoorRecord {
        visit: Visit {
            address_fid,
            turf_id: Some(turf_id),
            operation_id: None,
            team_id: None,
            visited_on: date,
            recorded_at: None,
            outcome,
            contact_taken: contact.is_some(),
            follow_ups: form.follow_ups,
            note: form.note.trim().to_owned(),
            tags,
            source: DOOR_ENTRY_SOURCE.to_owned(),
        },
        contact,
    })
}

impl DoorEntry {
    /// Reads the turf's doors (and the themes, the picked door's visits, the operation of the
    /// form's date) again when the turf, the walking order or the date changed, or when stale.
    pub fn sync(
        &mut self,
        path: &Path,
        turf_id: i64,
        walk_order: Option<&[i64]>,
        operation_date: Option<NaiveDate>,
    ) {
        let order = walk_order.map(<[i64]>::to_vec);
        let turf_changed = self.turf_id != Some(turf_id);
        if turf_changed {
            self.selected = None;
            self.visits.clear();
            self.search.clear();
            self.form = DoorForm {
                date: operation_date.map(|d| d.to_string()).unwrap_or_default(),
                ..DoorForm::default()
            };
            self.error = None;
            self.notice = None;
        }
        if turf_changed || self.stale || self.walk_order != order {
            self.stale = false;
            self.turf_id = Some(turf_id);
            self.walk_order = order;
            let read = Campaign::open(path).and_then(|mut c| {
                let doors = c.turf_doors_with_last_visit(turf_id, self.walk_order.as_deref())?;
                let themes = c.result_tags()?;
                let visits = match self.selected {
                    Some(fid) => c.door_visits(fid)?,
                    None => Vec::new(),
                };
                Ok((doors, themes, visits))
            });
            match read {
                Ok((doors, themes, visits)) => {
                    // A theme renamed or deactivated since it was ticked is no longer offered.
                    self.form
                        .themes
                        .retain(|n| themes.iter().any(|(_, t, on)| *on && t == n));
                    // The picked door is gone (another campaign, the turf reshaped).
                    if self
                        .selected
                        .is_some_and(|fid| !doors.iter().any(|d| d.address_fid == fid))
                    {
                        self.selected = None;
                        self.form.clear_door();
                    }
                    self.doors = doors;
                    self.themes = themes;
                    self.visits = visits;
                    self.load_error = None;
                    self.context_for = None;
                }
                Err(e) => self.load_error = Some(e.to_string()),
            }
        }
        let wanted = (turf_id, self.form.date.trim().to_owned());
        if self.context_for.as_ref() != Some(&wanted) {
            self.context = NaiveDate::parse_from_str(&wanted.1, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    Campaign::open(path)
                        .and_then(|c| c.visit_context(turf_id, d))
                        .ok()
                        .flatten()
                });
            self.context_for = Some(wanted);
        }
    }

    /// Picks door `fid`: its form is emptied (the date stays) and its visits read.
    pub fn pick(&mut self, path: &Path, fid: i64) {
        if self.selected == Some(fid) {
            return;
        }
        self.selected = Some(fid);
        self.form.clear_door();
        self.error = None;
        match Campaign::open(path).and_then(|c| c.door_visits(fid)) {
            Ok(v) => self.visits = v,
            Err(e) => {
                self.visits.clear();
                self.load_error = Some(e.to_string());
            }
        }
    }

    /// The door after `fid` in the list's order (the first one after the last).
    pub fn next_door(&self, fid: i64) -> Option<i64> {
        let i = self.doors.iter().position(|d| d.address_fid == fid)?;
        self.doors
            .get(i + 1)
            .or(self.doors.first())
            .map(|d| d.address_fid)
    }

    /// The door's label ("12 bis rue X").
    pub fn label_of(&self, fid: i64) -> String {
        self.doors
            .iter()
            .find(|d| d.address_fid == fid)
            .map(|d| d.label.clone())
            .unwrap_or_else(|| fid.to_string())
    }

    /// After the model stored the picked door's result: say so, move to the next door, read
    /// the doors again.
    pub fn recorded(&mut self, t: &Strings, path: &Path, record: &DoorRecord) -> String {
        let fid = record.visit.address_fid;
        let template = if record.contact.is_some() {
            t.door_saved_contact
        } else {
            t.door_saved
        };
        let notice = fill(template, &[&self.label_of(fid), &record.visit.visited_on]);
        self.notice = Some(notice.clone());
        self.error = None;
        self.stale = true;
        match self.next_door(fid) {
            Some(next) if next != fid => {
                self.selected = None;
                self.pick(path, next);
            }
            _ => self.form.clear_door(),
        }
        notice
    }
}

fn text_field(ui: &mut Ui, label: &str, value: &mut String, multiline: bool) {
    let l = ui.label(label);
    let edit = if multiline {
        TextEdit::multiline(value).desired_rows(2)
    } else {
        TextEdit::singleline(value)
    };
    ui.add(edit.desired_width(220.0)).labelled_by(l.id);
    ui.end_row();
}

/// The door list and the picked door's form, for turf `turf_id`.
pub fn door_entry_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut DoorEntry,
    path: &Path,
    turf_id: i64,
    commands: &mut Vec<Command>,
) {
    ui.heading(t.door_heading);
    if let Some(e) = &state.load_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if state.doors.is_empty() {
        ui.label(t.door_none);
        return;
    }
    let visited = state.doors.iter().filter(|d| d.visits > 0).count();
    ui.label(fill(t.door_count, &[&state.doors.len(), &visited]));
    let l = ui.label(t.door_search);
    ui.add(TextEdit::singleline(&mut state.search).desired_width(220.0))
        .labelled_by(l.id);
    let needle = fold(state.search.trim());
    let mut picked = None;
    egui::ScrollArea::vertical()
        .id_salt("door list")
        .max_height(180.0)
        .show(ui, |ui| {
            for d in state
                .doors
                .iter()
                .filter(|d| needle.is_empty() || fold(&d.label).contains(&needle))
            {
                let on = state.selected == Some(d.address_fid);
                if ui.selectable_label(on, door_line(t, d)).clicked() && !on {
                    picked = Some(d.address_fid);
                }
            }
        });
    if let Some(fid) = picked {
        state.pick(path, fid);
    }
    let Some(fid) = state.selected else {
        ui.label(t.door_pick);
        return;
    };
    ui.separator();
    ui.strong(state.label_of(fid));
    egui::Grid::new("door date").num_columns(2).show(ui, |ui| {
        text_field(ui, t.door_date, &mut state.form.date, false);
    });
    match &state.context {
        Some(c) if c.team_label.is_empty() => {
            ui.label(fill(t.door_context_no_team, &[&c.operation_name]));
        }
        Some(c) => {
            ui.label(fill(t.door_context, &[&c.operation_name, &c.team_label]));
        }
        None if state.form.date.trim().is_empty() => {
            ui.weak(t.door_type_date);
        }
        None => {
            ui.weak(fill(t.door_no_operation, &[&state.form.date.trim()]));
        }
    }
    ui.label(t.door_outcome);
    ui.horizontal_wrapped(|ui| {
        for o in Outcome::ALL {
            ui.radio_value(&mut state.form.outcome, Some(o), outcome_label(t, o));
        }
    });
    ui.label(t.door_themes);
    let active: Vec<&String> = state
        .themes
        .iter()
        .filter(|(_, _, on)| *on)
        .map(|(_, n, _)| n)
        .collect();
    if active.is_empty() {
        ui.weak(t.door_no_active_theme);
    }
    ui.horizontal_wrapped(|ui| {
        for name in active {
            let mut on = state.form.themes.contains(name);
            if ui.checkbox(&mut on, name.as_str()).changed() {
                if on {
                    state.form.themes.insert(name.clone());
                } else {
                    state.form.themes.remove(name);
                }
            }
        }
    });
    themes_editor_ui(ui, t, state, commands);
    ui.label(t.door_follow_ups);
    ui.horizontal_wrapped(|ui| {
        let f = &mut state.form.follow_ups;
        ui.checkbox(&mut f.wants_to_volunteer, t.door_wants_volunteer);
        ui.checkbox(&mut f.wants_to_donate, t.door_wants_donate);
        ui.checkbox(&mut f.wants_callback, t.door_wants_callback);
    });
    egui::Grid::new("door note").num_columns(2).show(ui, |ui| {
        text_field(ui, t.door_note, &mut state.form.note, true);
    });
    sensitive_warning_ui(ui, t, &state.form.note);
    ui.label(t.door_contact_heading);
    egui::Grid::new("door contact")
        .num_columns(2)
        .show(ui, |ui| {
            let f = &mut state.form;
            text_field(ui, t.door_contact_name, &mut f.contact_name, false);
            text_field(ui, t.door_contact_phone, &mut f.contact_phone, false);
            text_field(ui, t.door_contact_email, &mut f.contact_email, false);
            text_field(ui, t.door_contact_consent, &mut f.consent, false);
        });
    if ui.button(t.door_save_next).clicked() {
        match form_record(t, &state.form, turf_id, fid) {
            Ok(record) => commands.push(Command::RecordVisit(Box::new(record))),
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
    ui.label(t.door_earlier_visits);
    if state.visits.is_empty() {
        ui.weak(t.door_no_earlier_visit);
    }
    for v in &state.visits {
        let line = visit_line(t, v);
        if v.note.is_empty() {
            ui.label(line);
        } else {
            ui.label(line).on_hover_text(&v.note);
        }
    }
}

/// "Edit themes": add a theme, rename or deactivate the active ones.
fn themes_editor_ui(ui: &mut Ui, t: &Strings, state: &mut DoorEntry, commands: &mut Vec<Command>) {
    egui::CollapsingHeader::new(t.door_themes_edit)
        .id_salt("door themes editor")
        .show(ui, |ui| {
            // Keep one edited name per active theme.
            state
                .theme_edits
                .retain(|(id, _)| state.themes.iter().any(|(i, _, on)| i == id && *on));
            for (id, name, on) in &state.themes {
                if *on && !state.theme_edits.iter().any(|(i, _)| i == id) {
                    state.theme_edits.push((*id, name.clone()));
                }
            }
            egui::Grid::new("door themes")
                .num_columns(4)
                .show(ui, |ui| {
                    for (id, text) in &mut state.theme_edits {
                        let name = state
                            .themes
                            .iter()
                            .find(|(i, _, _)| i == id)
                            .map_or("", |(_, n, _)| n.as_str());
                        let l = ui.label(name);
                        ui.add(TextEdit::singleline(text).desired_width(140.0))
                            .labelled_by(l.id);
                        if ui.button(t.door_theme_rename).clicked() {
                            commands.push(Command::ResultTheme(ThemeCommand::Rename(
                                *id,
                                text.trim().to_owned(),
                            )));
                        }
                        if ui.button(t.door_theme_deactivate).clicked() {
                            commands.push(Command::ResultTheme(ThemeCommand::Deactivate(*id)));
                        }
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                let l = ui.label(t.door_theme_new);
                ui.add(TextEdit::singleline(&mut state.new_theme).desired_width(140.0))
                    .labelled_by(l.id);
                if ui.button(t.door_theme_add).clicked() {
                    commands.push(Command::ResultTheme(ThemeCommand::Add(
                        state.new_theme.trim().to_owned(),
                    )));
                }
            });
        });
}

/// Applies a theme command through the model; the status line, or the model's refusal.
pub fn apply_theme(path: &Path, t: &Strings, command: &ThemeCommand) -> Result<String, String> {
    let mut c = Campaign::open(path).map_err(|e| e.to_string())?;
    match command {
        ThemeCommand::Add(name) => c.add_result_tag(name).map(|_| ()),
        ThemeCommand::Rename(id, name) => c.rename_result_tag(*id, name),
        ThemeCommand::Deactivate(id) => c.deactivate_result_tag(*id),
    }
    .map(|()| t.door_theme_done.to_owned())
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    #[test]
    fn the_form_needs_an_outcome_a_date_and_a_consent_for_a_contact() {
        let mut form = DoorForm {
            date: "2026-03-14".into(),
            ..DoorForm::default()
        };
        assert_eq!(
            form_record(&EN, &form, 1, 7).unwrap_err(),
            EN.door_need_outcome
        );
        form.outcome = Some(Outcome::Opened);
        form.themes.insert("écoles".into());
        form.follow_ups.wants_callback = true;
        let r = form_record(&EN, &form, 1, 7).unwrap();
        assert_eq!(r.visit.tags, ["écoles"]);
        assert_eq!(r.visit.turf_id, Some(1));
        assert!(r.contact.is_none() && !r.visit.contact_taken);
        form.contact_name = "Hélène Martin".into();
        let e = form_record(&EN, &form, 1, 7).unwrap_err();
        assert!(e.contains("consent"), "{e}");
        form.consent = "14/03/2026".into();
        let r = form_record(&EN, &form, 1, 7).unwrap();
        let c = r.contact.unwrap();
        assert_eq!(c.tags, ["écoles"]);
        assert_eq!(c.address_fid, Some(7));
        assert_eq!(c.source, DOOR_ENTRY_SOURCE);
        assert!(r.visit.contact_taken);
        form.date = "14 mars".into();
        assert!(
            form_record(&EN, &form, 1, 7)
                .unwrap_err()
                .contains("14 mars")
        );
        form.clear_door();
        assert_eq!(form.date, "14 mars");
        assert!(form.outcome.is_none() && form.contact_name.is_empty());
    }
}
