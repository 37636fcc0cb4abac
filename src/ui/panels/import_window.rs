//! The "Import…" window: pick the kind of file, type or paste its path (or Browse… with the
//! system file dialog), set the options, and start the import in the background.
//! It works without any file dialog (rfd needs an xdg portal or zenity).

use std::path::PathBuf;

use egui::{Context, Id, TextEdit, Ui};

use crate::ui::command::{AddressFormatChoice, Command, ImportKind, ImportRequest, PickTarget};
use crate::ui::i18n::{Strings, fill};

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
        })
    }
}

/// One labelled text field whose accessible name is its label (so tests and screen readers find it).
fn field_ui(ui: &mut Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(260.0),
    )
    .labelled_by(label.id);
    ui.end_row();
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
                            field_ui(ui, t.id_field, &mut form.id_field, t.hint_guess);
                            field_ui(ui, t.name_field, &mut form.name_field, t.hint_guess);
                            field_ui(ui, t.crs_epsg, &mut form.crs_epsg, t.hint_crs);
                            field_ui(ui, t.layer, &mut form.layer, t.hint_first_layer);
                        }
                        ImportKind::Results => {
                            field_ui(ui, t.election, &mut form.election, t.hint_from_file);
                            field_ui(ui, t.key_field, &mut form.key_field, t.hint_guess);
                            field_ui(ui, t.office, &mut form.office, t.hint_all);
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
                            field_ui(ui, t.crs_epsg, &mut form.address_crs_epsg, "WGS84");
                        }
                        ImportKind::Streets => {
                            ui.label("");
                            ui.label(t.streets_import_note);
                            ui.end_row();
                        }
                    }
                });
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
