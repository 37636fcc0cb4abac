//! The "Export map…" window: PNG or PDF, the file (typed, or Browse… with the system dialog on a
//! job thread), the title (prefilled with the variable's label); the map as currently coloured
//! is written by the model's exporter ([`crate::model::export`]) on a background job whose
//! progress shows in the window and whose result goes to the status bar.

use std::collections::HashMap;
use std::path::PathBuf;

use egui::{Context, Id, TextEdit};

use crate::model::export::{
    DEFAULT_PNG_WIDTH_PX, ExportReport, ExportRequest, MapExport, MapTexts, Paper, export_map,
    subtitle, today_utc,
};
use crate::model::{Campaign, ModelError};
use crate::ui::command::Command;
use crate::ui::figures::Colouring;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, JobPoll, poll_file_pick};

/// The two formats of an exported map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExportFormat {
    #[default]
    Png,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Png => "png",
            ExportFormat::Pdf => "pdf",
        }
    }
}

/// What the window asks the app to export.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportMapRequest {
    pub format: ExportFormat,
    pub path: PathBuf,
    pub title: String,
}

/// The map as the app currently shows it.
#[derive(Clone, Debug)]
pub struct ExportSource {
    pub campaign_path: PathBuf,
    /// Precinct codes in the map layer's order (aligned with `colouring.colors`).
    pub codes: Vec<String>,
    pub colouring: Option<Colouring>,
    /// The election the colours read (`None` for doors or no colours).
    pub election: Option<String>,
}

/// The window's form and its two background jobs (file dialog, export).
#[derive(Default)]
pub struct ExportWindow {
    pub open: bool,
    pub format: ExportFormat,
    pub path: String,
    pub title: String,
    pub error: Option<String>,
    /// The title last prefilled (replaced when the user has not edited it).
    prefilled: String,
    pick: Option<Job<Option<PathBuf>>>,
    job: Option<Job<Result<ExportReport, ModelError>>>,
}

impl ExportWindow {
    /// Opens the window, prefilling the title with `label` unless the user typed one.
    pub fn show(&mut self, label: &str) {
        if self.title.trim().is_empty() || self.title == self.prefilled {
            self.title = label.to_owned();
            self.prefilled = label.to_owned();
        }
        self.open = true;
        self.error = None;
    }

    /// True while a map is being written.
    pub fn is_exporting(&self) -> bool {
        self.job.is_some()
    }

    /// The form as a request, or why not.
    pub fn request(&self, t: &Strings) -> Result<ExportMapRequest, String> {
        let path = self.path.trim();
        if path.is_empty() {
            return Err(t.export_needs_path.to_owned());
        }
        let mut path = PathBuf::from(path);
        if path.extension().is_none() {
            path.set_extension(self.format.extension());
        }
        Ok(ExportMapRequest {
            format: self.format,
            path,
            title: self.title.trim().to_owned(),
        })
    }

    /// Starts the system's save dialog on a job thread (one at a time).
    pub fn browse(&mut self, ctx: &Context, t: &'static Strings) {
        if self.pick.is_some() {
            return;
        }
        let ext = self.format.extension();
        let name = format!("map.{ext}");
        self.pick = Some(Job::spawn(t.choosing_file, ctx, move |_| {
            rfd::FileDialog::new()
                .set_title(t.export_map_title)
                .set_file_name(name)
                .add_filter(ext.to_ascii_uppercase(), &[ext])
                .save_file()
        }));
    }

    /// Starts writing the map on a background job.
    pub fn start(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        request: ExportMapRequest,
        source: Option<ExportSource>,
    ) {
        if self.job.is_some() {
            return;
        }
        let Some(source) = source else {
            self.error = Some(t.no_campaign.to_owned());
            return;
        };
        self.error = None;
        self.job = Some(Job::spawn(t.exporting, ctx, move |progress| {
            let map = map_of(t, &request, &source)?;
            let export = ExportRequest {
                png: (request.format == ExportFormat::Png).then(|| request.path.clone()),
                png_width_px: DEFAULT_PNG_WIDTH_PX,
                pdf: (request.format == ExportFormat::Pdf).then(|| request.path.clone()),
                paper: Paper::A4,
            };
            export_map(&map, &export, progress)
        }));
    }

    /// Polls the jobs; the status line when an export ended.
    pub fn poll(&mut self, t: &Strings) -> Option<String> {
        poll_file_pick(&mut self.pick, &mut self.path);
        let job = self.job.as_mut()?;
        let status = match job.poll() {
            JobPoll::Running => return None,
            JobPoll::Done(Ok(report)) => {
                let f = report.files.first()?;
                fill(
                    t.exported,
                    &[&f.path.display(), &t.decimal(f.bytes as f64 / 1024.0, 0)],
                )
            }
            JobPoll::Done(Err(e)) => {
                let why = fill(t.export_failed, &[&e]);
                self.error = Some(why.clone());
                why
            }
            JobPoll::Lost => {
                let why = fill(t.export_failed, &[&t.job_stopped]);
                self.error = Some(why.clone());
                why
            }
        };
        self.job = None;
        Some(status)
    }
}

/// The model's map for `source`: its precincts read from the campaign file, coloured as shown.
fn map_of(
    t: &Strings,
    request: &ExportMapRequest,
    source: &ExportSource,
) -> Result<MapExport, ModelError> {
    let precincts = Campaign::open(&source.campaign_path)?.precincts()?;
    let fill_by_code: HashMap<String, [u8; 3]> = match &source.colouring {
        Some(c) => source
            .codes
            .iter()
            .zip(&c.colors)
            .filter_map(|(code, rgb)| Some((code.clone(), (*rgb)?)))
            .collect(),
        None => HashMap::new(),
    };
    let file_name = source
        .campaign_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = source
        .campaign_path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let legend = source.colouring.as_ref().map(|c| c.legend.clone());
    let classes = legend
        .as_ref()
        .map(|l| fill(t.export_classes, &[&l.method, &l.ramp]))
        .unwrap_or_default();
    let texts = MapTexts {
        title: request.title.clone(),
        subtitle: subtitle(&[
            &stem,
            source.election.as_deref().unwrap_or(""),
            &today_utc(),
        ]),
        legend_title: source
            .colouring
            .as_ref()
            .map(|c| c.variable.label(t).to_owned())
            .unwrap_or_default(),
        count_header: t.precinct_many.to_owned(),
        no_data: t.export_no_data.to_owned(),
        source: fill(t.export_source, &[&file_name, &classes]),
        decimal_comma: t.decimal_comma,
    };
    Ok(MapExport::from_precincts(
        &precincts,
        &fill_by_code,
        legend,
        texts,
    ))
}

/// The window; `coloured` says whether the map has colours (else a note says it will be grey).
pub fn export_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut ExportWindow,
    coloured: bool,
    commands: &mut Vec<Command>,
) {
    let mut open = form.open;
    let mut close = false;
    egui::Window::new(t.export_map_title)
        .id(Id::unique("porte export map window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("export form")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label(t.export_format);
                    ui.horizontal(|ui| {
                        for (format, label) in
                            [(ExportFormat::Png, "PNG"), (ExportFormat::Pdf, "PDF")]
                        {
                            if ui.radio(form.format == format, label).clicked() {
                                form.format = format;
                                // Keep the typed path's extension in step with the format.
                                let mut p = PathBuf::from(form.path.trim());
                                if p.extension().is_some_and(|e| e == "png" || e == "pdf") {
                                    p.set_extension(format.extension());
                                    form.path = p.display().to_string();
                                }
                            }
                        }
                    });
                    ui.end_row();
                    let label = ui.label(t.export_file);
                    ui.horizontal(|ui| {
                        ui.add(
                            TextEdit::singleline(&mut form.path)
                                .hint_text(t.export_file_hint)
                                .desired_width(260.0),
                        )
                        .labelled_by(label.id);
                        if ui
                            .add_enabled(form.pick.is_none(), egui::Button::new(t.browse))
                            .clicked()
                        {
                            commands.push(Command::BrowseExportMap);
                        }
                    });
                    ui.end_row();
                    let label = ui.label(t.export_title_field);
                    ui.add(TextEdit::singleline(&mut form.title).desired_width(320.0))
                        .labelled_by(label.id);
                    ui.end_row();
                });
            if !coloured {
                ui.weak(t.export_uncoloured);
            }
            if let Some(job) = &form.job {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.add(egui::ProgressBar::new(job.fraction()).text(job.label.as_str()));
                });
            }
            if let Some(error) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(form.job.is_none(), egui::Button::new(t.export_run))
                    .clicked()
                {
                    match form.request(t) {
                        Ok(request) => commands.push(Command::ExportMap(request)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    #[test]
    fn the_request_adds_the_extension_and_the_title_is_prefilled_once() {
        let mut w = ExportWindow::default();
        w.show("Turnout");
        assert_eq!(w.title, "Turnout");
        assert!(w.request(&EN).is_err(), "no path yet");
        w.path = " /tmp/carte ".into();
        w.format = ExportFormat::Pdf;
        let r = w.request(&EN).unwrap();
        assert_eq!(r.path, PathBuf::from("/tmp/carte.pdf"));
        w.show("Abstention");
        assert_eq!(
            w.title, "Abstention",
            "an untouched title follows the variable"
        );
        w.title = "Ma carte".into();
        w.show("Doors");
        assert_eq!(w.title, "Ma carte", "a typed title is kept");
    }
}
