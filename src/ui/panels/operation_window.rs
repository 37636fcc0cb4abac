//! The "New operation" / "Edit operation" window: name, date (YYYY-MM-DD, checked as typed,
//! with its weekday), start and end (HH:MM), meeting point (looked up among the campaign's
//! addresses, or picked on the map), contact phone and notes; Save / Cancel. The model's
//! refusals are shown in the window.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use egui::{Context, RichText, Ui};

use crate::model::operations::{Operation, OperationDraft};
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::panels::operations::{OperationCommand, long_date};

/// Width of the text fields, points.
const FIELD_WIDTH: f32 = 240.0;

/// What the last look-up of the meeting point found.
#[derive(Clone, Debug, PartialEq)]
pub enum MeetingLookup {
    /// Found among the campaign's addresses, at (lon, lat).
    Found {
        text: String,
        lonlat: [f64; 2],
    },
    NotFound {
        text: String,
    },
    /// Picked on the map.
    Picked([f64; 2]),
}

/// The window's form.
#[derive(Clone, Debug, Default)]
pub struct OperationWindow {
    pub open: bool,
    /// The operation edited; `None` for a new one.
    pub editing: Option<i64>,
    pub name: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// HH:MM.
    pub start: String,
    pub end: String,
    pub meeting_point: String,
    /// The meeting point's position when picked on the map (or kept from the operation);
    /// `None`: the model geocodes the text on save.
    pub meeting_wgs84: Option<[f64; 2]>,
    pub contact_phone: String,
    pub notes: String,
    /// The model's refusal of the last save.
    pub error: Option<String>,
    pub lookup: Option<MeetingLookup>,
    /// Waiting for a click on the map.
    pub picking: bool,
    /// The meeting point text last looked up (looked up again only when it changes).
    looked_up: String,
}

/// Today's date (UTC) from the system clock.
fn today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date") + chrono::Days::new(secs / 86_400)
}

/// The next Saturday (today when it is one).
fn next_saturday(from: NaiveDate) -> NaiveDate {
    let ahead =
        (7 + Weekday::Sat.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + chrono::Days::new(ahead as u64)
}

/// Parses "HH:MM" (also "H:MM" and "10h30").
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let s = text.trim().replace(['h', 'H'], ":");
    let s = if s.ends_with(':') {
        format!("{s}00")
    } else {
        s
    };
    NaiveTime::parse_from_str(&s, "%H:%M").ok()
}

/// Parses "YYYY-MM-DD" (all ten characters: "2026-03-1" is still being typed).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

impl OperationWindow {
    /// Opens on a new operation: next Saturday, 10:00–12:30.
    pub fn show_new(&mut self) {
        *self = OperationWindow {
            open: true,
            date: next_saturday(today()).format("%Y-%m-%d").to_string(),
            start: "10:00".into(),
            end: "12:30".into(),
            ..OperationWindow::default()
        };
    }

    /// Opens on operation `op`.
    pub fn show_edit(&mut self, op: &Operation) {
        *self = OperationWindow {
            open: true,
            editing: Some(op.id),
            name: op.name.clone(),
            date: op.date.format("%Y-%m-%d").to_string(),
            start: op.start.format("%H:%M").to_string(),
            end: op.end.format("%H:%M").to_string(),
            meeting_point: op.meeting_point.clone(),
            meeting_wgs84: op.meeting_lonlat(),
            contact_phone: op.contact_phone.clone(),
            notes: op.notes.clone(),
            looked_up: op.meeting_point.clone(),
            ..OperationWindow::default()
        };
    }

    /// The fields as the model's draft, or what is wrong with them.
    pub fn draft(&self, t: &Strings) -> Result<OperationDraft, String> {
        if self.name.trim().is_empty() {
            return Err(t.op_need_name.to_owned());
        }
        let date = parse_date(&self.date).ok_or_else(|| t.op_bad_date.to_owned())?;
        let start = parse_time(&self.start).ok_or_else(|| t.op_bad_time.to_owned())?;
        let end = parse_time(&self.end).ok_or_else(|| t.op_bad_time.to_owned())?;
        if end <= start {
            return Err(t.op_end_before_start.to_owned());
        }
        Ok(OperationDraft {
            name: self.name.trim().to_owned(),
            date,
            start,
            end,
            meeting_point: self.meeting_point.trim().to_owned(),
            meeting_wgs84: self
                .meeting_wgs84
                .map(|[lon, lat]| geo_types::Point::new(lon, lat)),
            contact_phone: self.contact_phone.trim().to_owned(),
            notes: self.notes.trim().to_owned(),
        })
    }
}

/// The window (when open).
pub fn operation_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut OperationWindow,
    commands: &mut Vec<Command>,
) {
    if !form.open {
        return;
    }
    let mut open = true;
    let title = if form.editing.is_some() {
        t.op_edit_title
    } else {
        t.op_new_title
    };
    egui::Window::new(title)
        .id(egui::Id::unique("operation window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| form_ui(ui, t, form, commands));
    if !open {
        close(form, commands);
    }
}

fn close(form: &mut OperationWindow, commands: &mut Vec<Command>) {
    if form.picking {
        commands.push(Command::Operation(OperationCommand::PickMeetingPoint(
            false,
        )));
    }
    form.open = false;
}

fn form_ui(ui: &mut Ui, t: &Strings, form: &mut OperationWindow, commands: &mut Vec<Command>) {
    let bad = ui.visuals().error_fg_color;
    egui::Grid::new("operation form")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t.op_name);
            ui.add(egui::TextEdit::singleline(&mut form.name).desired_width(FIELD_WIDTH))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.op_date);
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
                match parse_date(&form.date) {
                    Some(d) => ui.label(long_date(t, d)),
                    None => ui.colored_label(bad, t.op_bad_date),
                };
            });
            ui.end_row();

            let label = ui.label(t.op_start);
            ui.add(
                egui::TextEdit::singleline(&mut form.start)
                    .hint_text("HH:MM")
                    .desired_width(50.0),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.op_end);
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.end)
                        .hint_text("HH:MM")
                        .desired_width(50.0),
                )
                .labelled_by(label.id);
                let (s, e) = (parse_time(&form.start), parse_time(&form.end));
                match (s, e) {
                    (Some(s), Some(e)) if e > s => {
                        ui.label(fill(t.op_minutes, &[&(e - s).num_minutes()]));
                    }
                    (Some(_), Some(_)) => {
                        ui.colored_label(bad, t.op_end_before_start);
                    }
                    _ => {
                        ui.colored_label(bad, t.op_bad_time);
                    }
                }
            });
            ui.end_row();

            let label = ui.label(t.op_meeting_point);
            ui.vertical(|ui| {
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut form.meeting_point)
                            .hint_text(t.op_meeting_hint)
                            .desired_width(FIELD_WIDTH),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    // A new text is geocoded by the model on save, unless picked again.
                    form.meeting_wgs84 = None;
                    form.lookup = None;
                }
                let text = form.meeting_point.trim().to_owned();
                if response.lost_focus() && !text.is_empty() && text != form.looked_up {
                    form.looked_up = text.clone();
                    commands.push(Command::Operation(OperationCommand::GeocodeMeetingPoint(
                        text,
                    )));
                }
                ui.horizontal(|ui| {
                    if ui.small_button(t.op_find).clicked() && !form.meeting_point.is_empty() {
                        form.looked_up = form.meeting_point.trim().to_owned();
                        commands.push(Command::Operation(OperationCommand::GeocodeMeetingPoint(
                            form.looked_up.clone(),
                        )));
                    }
                    let pick = ui
                        .selectable_label(form.picking, t.op_pick_on_map)
                        .on_hover_text(t.op_pick_on_map_hint);
                    if pick.clicked() {
                        commands.push(Command::Operation(OperationCommand::PickMeetingPoint(
                            !form.picking,
                        )));
                    }
                });
                match &form.lookup {
                    Some(MeetingLookup::Found { text, .. }) => {
                        ui.label(fill(t.op_found, &[text]));
                    }
                    Some(MeetingLookup::NotFound { .. }) => {
                        ui.colored_label(ui.visuals().warn_fg_color, t.op_not_found);
                    }
                    Some(MeetingLookup::Picked([lon, lat])) => {
                        ui.label(fill(
                            t.op_picked,
                            &[&format!("{lat:.5}"), &format!("{lon:.5}")],
                        ));
                    }
                    None if form.picking => {
                        ui.weak(t.op_picking_help);
                    }
                    None => {}
                }
            });
            ui.end_row();

            let label = ui.label(t.op_contact);
            ui.add(egui::TextEdit::singleline(&mut form.contact_phone).desired_width(FIELD_WIDTH))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(t.op_notes);
            ui.add(
                egui::TextEdit::multiline(&mut form.notes)
                    .desired_rows(2)
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    let draft = form.draft(t);
    if let Some(e) = &form.error {
        ui.colored_label(bad, RichText::new(e).strong());
    }
    ui.horizontal(|ui| {
        let save = ui.add_enabled(draft.is_ok(), egui::Button::new(t.op_save));
        // Date and time errors show beside their fields; a missing name shows here.
        if let Err(e) = &draft {
            save.clone().on_disabled_hover_text(e);
            if form.name.trim().is_empty() {
                ui.weak(e);
            }
        }
        if save.clicked()
            && let Ok(draft) = draft
        {
            commands.push(Command::Operation(OperationCommand::Save {
                id: form.editing,
                draft,
            }));
        }
        if ui.button(t.cancel).clicked() {
            close(form, commands);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    #[test]
    fn the_form_checks_dates_and_times() {
        assert_eq!(parse_time("10:30"), NaiveTime::from_hms_opt(10, 30, 0));
        assert_eq!(parse_time("9h"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(
            parse_date("2026-03-14"),
            NaiveDate::from_ymd_opt(2026, 3, 14)
        );
        assert_eq!(parse_date("14/03/2026"), None);
        assert_eq!(parse_date("2026-03-1"), None);
        let sat = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        assert_eq!(next_saturday(sat), sat);
        assert_eq!(next_saturday(sat.pred_opt().unwrap()), sat);
        assert_eq!(
            next_saturday(sat.succ_opt().unwrap()),
            sat + chrono::Days::new(7)
        );

        let mut w = OperationWindow::default();
        w.show_new();
        assert!(parse_date(&w.date).is_some_and(|d| d.weekday() == Weekday::Sat));
        assert_eq!(w.draft(&EN), Err(EN.op_need_name.to_owned()));
        w.name = "Samedi".into();
        w.end = "09:00".into();
        assert_eq!(w.draft(&EN), Err(EN.op_end_before_start.to_owned()));
        w.end = "12:30".into();
        w.meeting_point = " 12 rue X ".into();
        let d = w.draft(&EN).unwrap();
        assert_eq!(d.meeting_point, "12 rue X");
        assert_eq!(d.meeting_wgs84, None);
        assert_eq!((d.end - d.start).num_minutes(), 150);
    }
}
