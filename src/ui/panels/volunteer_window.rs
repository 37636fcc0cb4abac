//! The volunteer window: add or edit one volunteer, every field of
//! [`Volunteer`](crate::model::volunteers::Volunteer). Availability is typed as text and read
//! by the model's [`Availability::parse`] as the user types (its error shown live); the partner
//! is picked from the roster; the home is an address (geocoded against the campaign's addresses
//! on save) or a longitude/latitude. The model's refusals (a duplicate phone) show in the window.

use chrono::NaiveDate;
use egui::{Context, Id, TextEdit, Ui};
use geo_types::Point;

use crate::model::volunteers::{Availability, HomeSource, Volunteer};
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::panels::form_field::form_field;
use crate::ui::panels::roster::{RosterCommand, availability_text, parse_date};

/// How the home is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HomeInput {
    /// The address text, found among the campaign's addresses on save.
    #[default]
    Address,
    LonLat,
}

/// The form: the volunteer being edited, with the fields as typed.
#[derive(Clone, Debug, Default)]
pub struct VolunteerForm {
    pub open: bool,
    /// The volunteer as loaded (`id == 0` for a new one): what the form does not show is kept.
    pub base: Volunteer,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub availability: String,
    /// Comma-separated.
    pub languages: String,
    pub mobility: String,
    pub role: String,
    pub notes: String,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`; empty: no consent recorded.
    pub consent_date: String,
    pub partner_id: Option<i64>,
    pub home_input: HomeInput,
    pub address: String,
    pub lon: String,
    pub lat: String,
    /// The model's refusal of the last save, or why the form cannot be saved.
    pub error: Option<String>,
}

/// What a save asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub struct VolunteerSave {
    pub volunteer: Volunteer,
    /// Find the home from `volunteer.address` among the campaign's addresses first.
    pub geocode: bool,
}

impl VolunteerForm {
    /// Opens the form on `v` (a new volunteer when `v.id == 0`).
    pub fn show(&mut self, t: &Strings, v: Volunteer) {
        let (lon, lat) = match v.home_wgs84 {
            Some(p) => (format!("{:.6}", p.x()), format!("{:.6}", p.y())),
            None => (String::new(), String::new()),
        };
        *self = VolunteerForm {
            open: true,
            first_name: v.first_name.clone(),
            last_name: v.last_name.clone(),
            phone: v.phone.clone(),
            email: v.email.clone(),
            availability: availability_text(t, &v.availability),
            languages: v.languages.join(", "),
            mobility: v.mobility.clone(),
            role: v.role.clone(),
            notes: v.notes.clone(),
            consent_date: v
                .consent_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            partner_id: v.partner_id,
            home_input: if v.home_source == HomeSource::LonLat {
                HomeInput::LonLat
            } else {
                HomeInput::Address
            },
            address: v.address.clone(),
            lon,
            lat,
            error: None,
            base: v,
        };
    }

    /// True when the form edits a volunteer already on the roster.
    pub fn is_edit(&self) -> bool {
        self.base.id != 0
    }

    /// The volunteer the form describes, or why it cannot be saved.
    pub fn to_save(&self, t: &Strings) -> Result<VolunteerSave, String> {
        if self.first_name.trim().is_empty() && self.last_name.trim().is_empty() {
            return Err(t.volunteer_needs_name.to_owned());
        }
        let availability = Availability::parse(&self.availability)
            .map_err(|e| fill(t.volunteer_bad_availability, &[&e]))?;
        let consent_date: Option<NaiveDate> = match self.consent_date.trim() {
            "" => None,
            text => Some(parse_date(text).ok_or_else(|| fill(t.roster_bad_date, &[&text]))?),
        };
        let mut v = Volunteer {
            first_name: self.first_name.trim().to_owned(),
            last_name: self.last_name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: self.email.trim().to_owned(),
            address: self.address.trim().to_owned(),
            availability,
            languages: self
                .languages
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            mobility: self.mobility.trim().to_owned(),
            role: self.role.trim().to_owned(),
            notes: self.notes.trim().to_owned(),
            consent_date,
            partner_id: self.partner_id.filter(|&p| p != self.base.id),
            ..self.base.clone()
        };
        let mut geocode = false;
        match self.home_input {
            HomeInput::LonLat => {
                let lon = parse_coord(t, &self.lon, -180.0..=180.0)?;
                let lat = parse_coord(t, &self.lat, -90.0..=90.0)?;
                match (lon, lat) {
                    (Some(lon), Some(lat)) => {
                        v.home_wgs84 = Some(Point::new(lon, lat));
                        v.home_source = HomeSource::LonLat;
                        v.home_address_fid = None;
                    }
                    (None, None) => {
                        v.home_wgs84 = None;
                        v.home_source = HomeSource::None;
                        v.home_address_fid = None;
                    }
                    _ => return Err(t.volunteer_lonlat_both.to_owned()),
                }
            }
            HomeInput::Address => {
                let unchanged = v.address == self.base.address.trim()
                    && self.base.home_source == HomeSource::Address
                    && self.base.home_wgs84.is_some();
                if !unchanged {
                    // Found again on save (or cleared when the address is empty).
                    v.home_wgs84 = None;
                    v.home_source = HomeSource::None;
                    v.home_address_fid = None;
                    geocode = !v.address.is_empty();
                }
            }
        }
        Ok(VolunteerSave {
            volunteer: v,
            geocode,
        })
    }
}

fn parse_coord(
    t: &Strings,
    text: &str,
    range: std::ops::RangeInclusive<f64>,
) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(x) if range.contains(&x) => Ok(Some(x)),
        _ => Err(fill(t.volunteer_bad_coordinate, &[&text])),
    }
}

/// The window; `roster` offers the partners.
pub fn volunteer_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut VolunteerForm,
    roster: &[Volunteer],
    commands: &mut Vec<Command>,
) {
    if !form.open {
        return;
    }
    let mut open = true;
    let mut close = false;
    let title = if form.is_edit() {
        t.volunteer_edit_title
    } else {
        t.volunteer_add_title
    };
    egui::Window::new(title)
        .id(Id::unique("porte volunteer window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("volunteer form")
                .num_columns(2)
                .show(ui, |ui| {
                    form_field(ui, t.volunteer_first_name, &mut form.first_name, "");
                    form_field(ui, t.volunteer_last_name, &mut form.last_name, "");
                    form_field(ui, t.col_phone, &mut form.phone, "06 12 34 56 78");
                    form_field(ui, t.volunteer_email, &mut form.email, "nom@example.org");
                    form_field(
                        ui,
                        t.col_availability,
                        &mut form.availability,
                        t.volunteer_availability_hint,
                    );
                    ui.label("");
                    match Availability::parse(&form.availability) {
                        Ok(a) if a.is_empty() => ui.weak(t.volunteer_no_availability),
                        Ok(a) => ui.weak(availability_text(t, &a)),
                        Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                    };
                    ui.end_row();
                    form_field(
                        ui,
                        t.col_languages,
                        &mut form.languages,
                        t.volunteer_languages_hint,
                    );
                    form_field(
                        ui,
                        t.volunteer_mobility,
                        &mut form.mobility,
                        t.volunteer_mobility_hint,
                    );
                    form_field(ui, t.volunteer_role, &mut form.role, "");
                    form_field(
                        ui,
                        t.volunteer_consent,
                        &mut form.consent_date,
                        "2026-03-14",
                    );
                    let label = ui.label(t.col_partner);
                    partner_combo(ui, t, form, roster).labelled_by(label.id);
                    ui.end_row();
                    ui.label(t.col_home);
                    ui.horizontal(|ui| {
                        ui.radio_value(
                            &mut form.home_input,
                            HomeInput::Address,
                            t.volunteer_by_address,
                        );
                        ui.radio_value(
                            &mut form.home_input,
                            HomeInput::LonLat,
                            t.volunteer_by_lonlat,
                        );
                    });
                    ui.end_row();
                    match form.home_input {
                        HomeInput::Address => {
                            form_field(
                                ui,
                                t.volunteer_address,
                                &mut form.address,
                                t.volunteer_address_hint,
                            );
                        }
                        HomeInput::LonLat => {
                            form_field(ui, t.volunteer_lon, &mut form.lon, "1.606976");
                            form_field(ui, t.volunteer_lat, &mut form.lat, "48.051507");
                            form_field(ui, t.volunteer_address, &mut form.address, "");
                        }
                    }
                    ui.label("");
                    ui.weak(home_line(t, &form.base));
                    ui.end_row();
                    let label = ui.label(t.volunteer_notes);
                    ui.add(
                        TextEdit::multiline(&mut form.notes)
                            .desired_rows(2)
                            .desired_width(280.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    crate::ui::panels::sensitive_note::sensitive_warning_row(ui, t, &form.notes);
                });
            if let Some(error) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(t.volunteer_save).clicked() {
                    match form.to_save(t) {
                        Ok(save) => {
                            form.error = None;
                            commands.push(Command::Roster(RosterCommand::Save(Box::new(save))));
                        }
                        Err(why) => form.error = Some(why),
                    }
                }
                if ui.button(t.cancel).clicked() {
                    close = true;
                }
                crate::ui::panels::person_window::volunteer_button(ui, t, &form.base, commands);
            });
        });
    form.open = open && !close;
}

/// Where the home stands now: "Home: 22 Rue des Libellules (campaign address)" etc.
fn home_line(t: &Strings, v: &Volunteer) -> String {
    match (v.home_source, v.home_wgs84) {
        (HomeSource::Address, Some(p)) => fill(
            t.volunteer_home_address,
            &[&format!("{:.5}, {:.5}", p.x(), p.y())],
        ),
        (_, Some(p)) => fill(
            t.volunteer_home_lonlat,
            &[&format!("{:.5}, {:.5}", p.x(), p.y())],
        ),
        (_, None) => t.volunteer_home_none.to_owned(),
    }
}

fn partner_combo(
    ui: &mut Ui,
    t: &Strings,
    form: &mut VolunteerForm,
    roster: &[Volunteer],
) -> egui::Response {
    let name_of = |id: Option<i64>| {
        id.and_then(|id| roster.iter().find(|v| v.id == id))
            .map(Volunteer::full_name)
            .unwrap_or_else(|| t.volunteer_no_partner.to_owned())
    };
    egui::ComboBox::from_id_salt("volunteer partner")
        .selected_text(name_of(form.partner_id))
        .width(280.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.partner_id, None, t.volunteer_no_partner);
            for v in roster.iter().filter(|v| v.id != form.base.id) {
                ui.selectable_value(&mut form.partner_id, Some(v.id), v.full_name());
            }
        })
        .response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_names_dates_and_the_home() {
        let t = &crate::ui::i18n::EN;
        let mut form = VolunteerForm::default();
        form.show(t, Volunteer::default());
        assert!(form.to_save(t).is_err(), "a name is needed");
        form.first_name = " Éloïse ".into();
        form.consent_date = "20/03/2026".into();
        form.languages = "français; anglais,".into();
        form.address = "17 Rue des Longues-Raies".into();
        let save = form.to_save(t).unwrap();
        assert_eq!(save.volunteer.first_name, "Éloïse");
        assert_eq!(
            save.volunteer.consent_date,
            NaiveDate::from_ymd_opt(2026, 3, 20)
        );
        assert_eq!(save.volunteer.languages, vec!["français", "anglais"]);
        assert!(save.geocode, "a new address is looked up");

        form.home_input = HomeInput::LonLat;
        form.lon = "1.58".into();
        assert!(form.to_save(t).is_err(), "lon without lat");
        form.lat = "48,05".into();
        let save = form.to_save(t).unwrap();
        assert_eq!(save.volunteer.home_wgs84, Some(Point::new(1.58, 48.05)));
        assert_eq!(save.volunteer.home_source, HomeSource::LonLat);
        assert!(!save.geocode);
        form.lat = "148".into();
        assert!(form.to_save(t).is_err(), "latitude out of range");
        form.lat = "48.05".into();
        form.consent_date = "tomorrow".into();
        assert!(form.to_save(t).is_err());
    }
}
