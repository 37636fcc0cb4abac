//! The "Import…" window: pick the kind of file, type or paste its path (or Browse… with the
//! system file dialog), set the options, and start the import in the background.
//! It works without any file dialog (rfd needs an xdg portal or zenity).

use std::path::PathBuf;

use egui::{Context, Id, TextEdit, Ui};

use crate::ui::command::{AddressFormatChoice, Command, ImportKind, ImportRequest, PickTarget};

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

fn optional_epsg(text: &str) -> Result<Option<u32>, String> {
    let t = text
        .trim()
        .trim_start_matches("EPSG:")
        .trim_start_matches("epsg:");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| format!("“{}” is not an EPSG code (e.g. 2154)", text.trim()))
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
    pub fn request(&self) -> Result<ImportRequest, String> {
        let file = optional(&self.file).ok_or("Type or paste the path of the file to import.")?;
        let file = PathBuf::from(file);
        Ok(match self.kind {
            ImportKind::Precincts => ImportRequest::Precincts {
                file,
                id_field: optional(&self.id_field),
                name_field: optional(&self.name_field),
                crs_epsg: optional_epsg(&self.crs_epsg)?,
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
                crs_epsg: optional_epsg(&self.address_crs_epsg)?,
            },
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
    form: &mut ImportForm,
    busy: bool,
    has_campaign: bool,
    commands: &mut Vec<Command>,
) {
    let mut open = form.open;
    let mut close = false;
    egui::Window::new("Import")
        .id(Id::unique("porte import window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                for kind in ImportKind::ALL {
                    if ui
                        .selectable_label(form.kind == kind, kind.label())
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
                    let label = ui.label("File to import");
                    ui.horizontal(|ui| {
                        ui.add(
                            TextEdit::singleline(&mut form.file)
                                .hint_text("path of the file to import")
                                .desired_width(260.0),
                        )
                        .labelled_by(label.id);
                        if ui.button("Browse…").clicked() {
                            commands.push(Command::Browse(PickTarget::ImportFile(form.kind)));
                        }
                    });
                    ui.end_row();
                    match form.kind {
                        ImportKind::Precincts => {
                            field_ui(ui, "Id field", &mut form.id_field, "guess");
                            field_ui(ui, "Name field", &mut form.name_field, "guess");
                            field_ui(
                                ui,
                                "CRS (EPSG)",
                                &mut form.crs_epsg,
                                "from the file, e.g. 2154",
                            );
                            field_ui(ui, "Layer", &mut form.layer, "first layer");
                        }
                        ImportKind::Results => {
                            field_ui(ui, "Election", &mut form.election, "from the file");
                            field_ui(ui, "Key field", &mut form.key_field, "guess");
                            field_ui(ui, "Office", &mut form.office, "all");
                        }
                        ImportKind::Addresses => {
                            ui.label("Format");
                            egui::ComboBox::from_id_salt("address format")
                                .selected_text(format_label(form.address_format))
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
                                            format_label(choice),
                                        );
                                    }
                                });
                            ui.end_row();
                            field_ui(ui, "CRS (EPSG)", &mut form.address_crs_epsg, "WGS84");
                        }
                    }
                });
            if let Some(error) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let can_run = !busy && has_campaign;
                let run = ui.add_enabled(can_run, egui::Button::new("Run import"));
                let run = if busy {
                    run.on_disabled_hover_text("Another job is running.")
                } else {
                    run.on_disabled_hover_text("Open a campaign first.")
                };
                if run.clicked() {
                    match form.request() {
                        Ok(request) => {
                            commands.push(Command::StartImport(request));
                            close = true;
                        }
                        Err(why) => form.error = Some(why),
                    }
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
        });
    form.open = open && !close;
}

pub fn format_label(choice: AddressFormatChoice) -> &'static str {
    match choice {
        AddressFormatChoice::Guess => "Guess from the file",
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
        assert!(form.request().is_err());
        form.file = " /data/bv.shp ".into();
        form.crs_epsg = "EPSG:2154".into();
        assert_eq!(
            form.request(),
            Ok(ImportRequest::Precincts {
                file: "/data/bv.shp".into(),
                id_field: None,
                name_field: None,
                crs_epsg: Some(2154),
                layer: None,
            })
        );
        form.crs_epsg = "lambert".into();
        assert!(form.request().is_err());
        form.show(ImportKind::Results);
        form.file = "/data/municipales_2020.csv".into();
        let Ok(ImportRequest::Results { election, .. }) = form.request() else {
            panic!("results request")
        };
        assert_eq!(election, None);
    }
}
