//! The "Import…" window: pick the kind of file, type or paste its path (or Browse… with the
//! system file dialog), set the options, and start the import in the background.
//! It works without any file dialog (rfd needs an xdg portal or zenity).

use std::path::PathBuf;

use egui::{Context, Id, TextEdit, Ui};

use crate::model::volunteers::RosterColumns;
use crate::model::volunteers::import::{DuplicatePolicy, read_headers};
use crate::ui::command::{AddressFormatChoice, Command, ImportKind, ImportRequest, PickTarget};
use crate::ui::i18n::{Strings, fill};
use crate::ui::panels::form_field::form_field;

/// What the form holds between frames. Empty strings mean "let Porte guess".
#[derive(Clone, Debug)]
pub struct ImportForm {
    pub open: bool,
    pub kind: ImportKind,
    pub file: String,
    // precincts
    pub id_field: String,
    pub name_field: String,
    pub crs_epsg: String,
    pub layer: String,
    // results
    pub election: String,
    pub key_field: String,
    pub office: String,
    // addresses
    pub address_format: AddressFormatChoice,
    pub address_crs_epsg: String,
    // volunteers: the file's header row, the column chosen for each field, duplicates
    /// The header row read from `roster_headers_of` (empty when it could not be read).
    pub roster_headers: Vec<String>,
    pub roster_headers_of: String,
    pub roster_headers_error: Option<String>,
    pub roster_columns: RosterColumns,
    pub on_duplicate: DuplicatePolicy,
    /// Why the last "Import" click was refused (bad EPSG code, missing path...).
    pub error: Option<String>,
}

impl Default for ImportForm {
    fn default() -> Self {
        ImportForm {
            open: false,
            kind: ImportKind::Precincts,
            file: String::new(),
            id_field: String::new(),
            name_field: String::new(),
            crs_epsg: String::new(),
            layer: String::new(),
            election: String::new(),
            key_field: String::new(),
            office: String::new(),
            address_format: AddressFormatChoice::Guess,
            address_crs_epsg: String::new(),
            roster_headers: Vec::new(),
            roster_headers_of: String::new(),
            roster_headers_error: None,
            roster_columns: RosterColumns::default(),
            on_duplicate: DuplicatePolicy::Skip,
            error: None,
        }
    }
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn optional_epsg(tr: &Strings, text: &str) -> Result<Option<u32>, String> {
    let t = text
        .trim()
        .trim_start_matches("EPSG:")
        .trim_start_matches("epsg:");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| fill(tr.not_epsg, &[&text.trim()]))
}

impl ImportForm {
    /// Opens the window on `kind`, keeping what was typed before.
    pub fn show(&mut self, kind: ImportKind) {
        if self.kind != kind {
            self.file.clear();
        }
        self.kind = kind;
        self.open = true;
        self.error = None;
    }

    /// The request the form describes, or why it cannot be run yet.
    pub fn request(&self, t: &Strings) -> Result<ImportRequest, String> {
        let file = optional(&self.file).ok_or(t.need_import_path)?;
        let file = PathBuf::from(file);
        Ok(match self.kind {
            ImportKind::Precincts => ImportRequest::Precincts {
                file,
                id_field: optional(&self.id_field),
                name_field: optional(&self.name_field),
                crs_epsg: optional_epsg(t, &self.crs_epsg)?,
                layer: optional(&self.layer),
            },
            ImportKind::Results => ImportRequest::Results {
                election: optional(&self.election),
                file,
                key_field: optional(&self.key_field),
                office: optional(&self.office),
            },
            ImportKind::Addresses => ImportRequest::Addresses {
                file,
                format: self.address_format,
                crs_epsg: optional_epsg(t, &self.address_crs_epsg)?,
            },
            ImportKind::Streets => ImportRequest::Streets { file },
            ImportKind::Volunteers => ImportRequest::Volunteers {
                file,
                columns: (!self.roster_headers.is_empty())
                    .then(|| Box::new(self.roster_columns.clone())),
                on_duplicate: self.on_duplicate,
            },
        })
    }

    /// Reads the roster file's header row when the path changed, and guesses the columns.
    pub fn refresh_roster_headers(&mut self) {
        let file = self.file.trim();
        if file == self.roster_headers_of {
            return;
        }
        self.roster_headers_of = file.to_owned();
        self.roster_headers.clear();
        self.roster_headers_error = None;
        let path = std::path::Path::new(file);
        if file.is_empty() || !path.is_file() {
            return;
        }
        match read_headers(path) {
            Ok(headers) => {
                self.roster_columns = RosterColumns::guess(&headers);
                self.roster_headers = headers;
            }
            Err(e) => self.roster_headers_error = Some(e.to_string()),
        }
    }
}

/// The Volunteers tab's column mapping: a combo per field, offering the file's headers.
fn roster_columns_ui(ui: &mut Ui, t: &Strings, form: &mut ImportForm) {
    form.refresh_roster_headers();
    if let Some(error) = &form.roster_headers_error {
        ui.colored_label(ui.visuals().error_fg_color, error);
        return;
    }
    if form.roster_headers.is_empty() {
        ui.weak(t.roster_columns_need_file);
        return;
    }
    ui.label(fill(t.roster_columns_read, &[&form.roster_headers.len()]));
    let headers = &form.roster_headers;
    let c = &mut form.roster_columns;
    let fields: [(&str, &mut Option<String>); 17] = [
        (t.roster_col_ext_id, &mut c.ext_id),
        (t.volunteer_first_name, &mut c.first_name),
        (t.volunteer_last_name, &mut c.last_name),
        (t.roster_col_full_name, &mut c.full_name),
        (t.col_phone, &mut c.phone),
        (t.volunteer_email, &mut c.email),
        (t.volunteer_address, &mut c.address),
        (t.roster_col_address_id, &mut c.address_id),
        (t.volunteer_lon, &mut c.lon),
        (t.volunteer_lat, &mut c.lat),
        (t.col_availability, &mut c.availability),
        (t.col_languages, &mut c.languages),
        (t.volunteer_mobility, &mut c.mobility),
        (t.volunteer_role, &mut c.role),
        (t.volunteer_consent, &mut c.consent_date),
        (t.roster_col_partner, &mut c.partner),
        (t.volunteer_notes, &mut c.notes),
    ];
    egui::ScrollArea::vertical()
        .id_salt("roster columns")
        .max_height(300.0)
        .show(ui, |ui| {
            egui::Grid::new("roster columns grid")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (i, (label, choice)) in fields.into_iter().enumerate() {
                        let label = ui.label(label);
                        egui::ComboBox::from_id_salt(("roster column", i))
                            .selected_text(choice.as_deref().unwrap_or(t.roster_not_in_file))
                            .width(200.0)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(choice, None, t.roster_not_in_file);
                                for h in headers {
                                    ui.selectable_value(choice, Some(h.clone()), h);
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                });
        });
}

/// The window; `busy` disables "Import" while another job runs, `has_campaign` too.
pub fn import_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut ImportForm,
    busy: bool,
    has_campaign: bool,
    commands: &mut Vec<Command>,
) {
    let mut open = form.open;
    let mut close = false;
    egui::Window::new(t.import_title)
        .id(Id::unique("porte import window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                for kind in ImportKind::ALL {
                    if ui
                        .selectable_label(form.kind == kind, kind.label(t))
                        .clicked()
                        && form.kind != kind
                    {
                        form.show(kind);
                    }
                }
            });
            ui.separator();
            egui::Grid::new("import form")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label(t.file_to_import);
                    ui.horizontal(|ui| {
                        ui.add(
                            TextEdit::singleline(&mut form.file)
                                .hint_text(t.file_hint)
                                .desired_width(260.0),
                        )
                        .labelled_by(label.id);
                        if ui.button(t.browse).clicked() {
                            commands.push(Command::Browse(PickTarget::ImportFile(form.kind)));
                        }
                    });
                    ui.end_row();
                    match form.kind {
                        ImportKind::Precincts => {
                            form_field(ui, t.id_field, &mut form.id_field, t.hint_guess);
                            form_field(ui, t.name_field, &mut form.name_field, t.hint_guess);
                            form_field(ui, t.crs_epsg, &mut form.crs_epsg, t.hint_crs);
                            form_field(ui, t.layer, &mut form.layer, t.hint_first_layer);
                        }
                        ImportKind::Results => {
                            form_field(ui, t.election, &mut form.election, t.hint_from_file);
                            form_field(ui, t.key_field, &mut form.key_field, t.hint_guess);
                            form_field(ui, t.office, &mut form.office, t.hint_all);
                        }
                        ImportKind::Addresses => {
                            ui.label(t.format);
                            egui::ComboBox::from_id_salt("address format")
                                .selected_text(format_label(t, form.address_format))
                                .show_ui(ui, |ui| {
                                    for choice in [
                                        AddressFormatChoice::Guess,
                                        AddressFormatChoice::BanCsv,
                                        AddressFormatChoice::OpenAddressesCsv,
                                        AddressFormatChoice::OsmPbf,
                                    ] {
                                        ui.selectable_value(
                                            &mut form.address_format,
                                            choice,
                                            format_label(t, choice),
                                        );
                                    }
                                });
                            ui.end_row();
                            form_field(ui, t.crs_epsg, &mut form.address_crs_epsg, "WGS84");
                        }
                        ImportKind::Streets => {
                            ui.label("");
                            ui.label(t.streets_import_note);
                            ui.end_row();
                        }
                        ImportKind::Volunteers => {
                            ui.label(t.roster_duplicates);
                            ui.vertical(|ui| {
                                ui.radio_value(
                                    &mut form.on_duplicate,
                                    DuplicatePolicy::Skip,
                                    t.roster_dup_skip,
                                );
                                ui.radio_value(
                                    &mut form.on_duplicate,
                                    DuplicatePolicy::Update,
                                    t.roster_dup_update,
                                );
                            });
                            ui.end_row();
                        }
                    }
                });
            if form.kind == ImportKind::Volunteers {
                ui.separator();
                roster_columns_ui(ui, t, form);
            }
            if let Some(error) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let can_run = !busy && has_campaign;
                let run = ui.add_enabled(can_run, egui::Button::new(t.run_import));
                let run = if busy {
                    run.on_disabled_hover_text(t.another_job_running)
                } else {
                    run.on_disabled_hover_text(t.open_campaign_first)
                };
                if run.clicked() {
                    match form.request(t) {
                        Ok(request) => {
                            commands.push(Command::StartImport(request));
                            close = true;
                        }
                        Err(why) => form.error = Some(why),
                    }
                }
                if ui.button(t.close).clicked() {
                    close = true;
                }
            });
        });
    form.open = open && !close;
}

pub fn format_label(t: &Strings, choice: AddressFormatChoice) -> &'static str {
    match choice {
        AddressFormatChoice::Guess => t.format_guess,
        AddressFormatChoice::BanCsv => "BAN CSV",
        AddressFormatChoice::OpenAddressesCsv => "OpenAddresses CSV",
        AddressFormatChoice::OsmPbf => "OSM PBF",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_reads_the_form() {
        let mut form = ImportForm::default();
        assert!(form.request(&crate::ui::i18n::EN).is_err());
        form.file = " /data/bv.shp ".into();
        form.crs_epsg = "EPSG:2154".into();
        assert_eq!(
            form.request(&crate::ui::i18n::EN),
            Ok(ImportRequest::Precincts {
                file: "/data/bv.shp".into(),
                id_field: None,
                name_field: None,
                crs_epsg: Some(2154),
                layer: None,
            })
        );
        form.crs_epsg = "lambert".into();
        assert!(form.request(&crate::ui::i18n::EN).is_err());
        form.show(ImportKind::Results);
        form.file = "/data/municipales_2020.csv".into();
        let Ok(ImportRequest::Results { election, .. }) = form.request(&crate::ui::i18n::EN) else {
            panic!("results request")
        };
        assert_eq!(election, None);
    }
}
