//! The "Walk sheets…" window of the Operations tab: the operation's printable walk sheets as one
//! PDF or one PDF per team in a folder, to a typed path (or Browse… with the system dialog on a
//! job thread), written by the model ([`crate::model::export::sheets`]) on a job with progress
//! and cancel; what was written (files, pages, sizes) is listed when it ends.

use std::path::PathBuf;

use egui::{Context, Id, RichText, TextEdit};

use crate::model::Campaign;
use crate::model::export::sheets::{
    SheetExportReport, SheetLang, SheetOptions, export_operation_sheets,
};
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, Strings, fill};
use crate::ui::jobs::{Job, JobPoll, poll_file_pick};

/// Something asked in the window.
#[derive(Clone, Debug, PartialEq)]
pub enum SheetsCommand {
    /// Open the window on this operation.
    Show(i64),
    /// Start the system dialog choosing the file (or the folder, per team).
    Browse,
    /// Write the sheets as the form says.
    Export,
    /// Ask the running export to stop.
    Cancel,
}

/// The window's form, its jobs and the last export's lines.
#[derive(Default)]
pub struct SheetsWindow {
    pub open: bool,
    pub operation_id: Option<i64>,
    pub operation_name: String,
    /// One PDF per team in the folder `path` (else one PDF at `path`).
    pub per_team: bool,
    pub path: String,
    pub error: Option<String>,
    /// "Written: FILE (N pages, X KB)" lines of the last export.
    pub written: Vec<String>,
    pick: Option<Job<Option<PathBuf>>>,
    job: Option<Job<Result<SheetExportReport, String>>>,
}

impl SheetsWindow {
    /// Opens the window on operation `id` named `name`.
    pub fn show(&mut self, id: i64, name: &str) {
        if self.operation_id != Some(id) {
            self.written.clear();
        }
        self.operation_id = Some(id);
        self.operation_name = name.to_owned();
        self.open = true;
        self.error = None;
    }

    pub fn is_exporting(&self) -> bool {
        self.job.is_some()
    }

    /// Applies a command of the window.
    pub fn apply(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        lang: Lang,
        command: SheetsCommand,
        campaign_path: Option<PathBuf>,
        operation_name: impl FnOnce(i64) -> Option<String>,
    ) {
        match command {
            SheetsCommand::Show(id) => {
                let name = operation_name(id).unwrap_or_else(|| format!("#{id}"));
                self.show(id, &name);
            }
            SheetsCommand::Browse => self.browse(ctx, t),
            SheetsCommand::Export => match campaign_path {
                Some(path) => self.start(ctx, t, lang, path),
                None => self.error = Some(t.no_campaign.to_owned()),
            },
            SheetsCommand::Cancel => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
            }
        }
    }

    fn browse(&mut self, ctx: &Context, t: &'static Strings) {
        if self.pick.is_some() {
            return;
        }
        let per_team = self.per_team;
        self.pick = Some(Job::spawn(t.choosing_file, ctx, move |_| {
            let dialog = rfd::FileDialog::new().set_title(t.sheets_title);
            if per_team {
                dialog.pick_folder()
            } else {
                dialog
                    .set_file_name("walk-sheets.pdf")
                    .add_filter("PDF", &["pdf"])
                    .save_file()
            }
        }));
    }

    /// The model's options for the form, or why not.
    pub fn options(&self, t: &Strings, lang: Lang) -> Result<SheetOptions, String> {
        let path = self.path.trim();
        if path.is_empty() {
            return Err(t.export_needs_path.to_owned());
        }
        let mut path = PathBuf::from(path);
        let lang = match lang {
            Lang::Fr => SheetLang::Fr,
            Lang::En => SheetLang::En,
        };
        Ok(if self.per_team {
            SheetOptions {
                lang,
                pdf: None,
                per_team_dir: Some(path),
            }
        } else {
            if path.extension().is_none() {
                path.set_extension("pdf");
            }
            SheetOptions {
                lang,
                pdf: Some(path),
                per_team_dir: None,
            }
        })
    }

    fn start(&mut self, ctx: &Context, t: &'static Strings, lang: Lang, campaign_path: PathBuf) {
        if self.job.is_some() {
            return;
        }
        let Some(operation_id) = self.operation_id else {
            return;
        };
        let options = match self.options(t, lang) {
            Ok(o) => o,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        self.written.clear();
        let label = fill(t.sheets_writing, &[&self.operation_name]);
        self.job = Some(Job::spawn(label, ctx, move |progress| {
            Campaign::open(&campaign_path)
                .and_then(|c| export_operation_sheets(&c, operation_id, &options, progress))
                .map_err(|e| e.to_string())
        }));
    }

    /// Polls the jobs; the status line when an export ended.
    pub fn poll(&mut self, t: &Strings) -> Option<String> {
        poll_file_pick(&mut self.pick, &mut self.path);
        let job = self.job.as_mut()?;
        let outcome = match job.poll() {
            JobPoll::Running => return None,
            JobPoll::Done(outcome) => outcome,
            JobPoll::Lost => Err(t.job_stopped.to_owned()),
        };
        self.job = None;
        Some(match outcome {
            Ok(report) => {
                self.written = report
                    .files
                    .iter()
                    .map(|f| {
                        fill(
                            t.sheets_written,
                            &[
                                &f.path.display(),
                                &f.pages,
                                &t.decimal(f.bytes as f64 / 1024.0, 0),
                            ],
                        )
                    })
                    .collect();
                self.written.join("\n")
            }
            Err(e) => {
                let why = fill(t.export_failed, &[&e]);
                self.error = Some(why.clone());
                why
            }
        })
    }
}

/// The "Walk sheets" window.
pub fn sheets_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut SheetsWindow,
    commands: &mut Vec<Command>,
) {
    let mut open = form.open;
    egui::Window::new(t.sheets_title)
        .id(Id::unique("porte walk sheets window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(RichText::new(&form.operation_name).strong());
            ui.radio_value(&mut form.per_team, false, t.sheets_one_pdf);
            ui.radio_value(&mut form.per_team, true, t.sheets_per_team);
            ui.horizontal(|ui| {
                let label = ui.label(if form.per_team {
                    t.sheets_folder
                } else {
                    t.sheets_file
                });
                ui.add(TextEdit::singleline(&mut form.path).desired_width(260.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(form.pick.is_none(), egui::Button::new(t.browse))
                    .clicked()
                {
                    commands.push(Command::Sheets(SheetsCommand::Browse));
                }
            });
            match &form.job {
                Some(job) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        let stage = job.stage();
                        ui.add(
                            egui::ProgressBar::new(job.fraction())
                                .desired_width(200.0)
                                .text(stage),
                        );
                        if ui
                            .add_enabled(!job.is_cancel_requested(), egui::Button::new(t.cancel))
                            .clicked()
                        {
                            commands.push(Command::Sheets(SheetsCommand::Cancel));
                        }
                    });
                }
                None => {
                    let ready = !form.path.trim().is_empty();
                    if ui
                        .add_enabled(ready, egui::Button::new(t.sheets_export))
                        .clicked()
                    {
                        commands.push(Command::Sheets(SheetsCommand::Export));
                    }
                }
            }
            if let Some(e) = &form.error {
                ui.label(RichText::new(e).color(ui.visuals().warn_fg_color));
            }
            for line in &form.written {
                ui.label(line);
            }
        });
    form.open = open;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    #[test]
    fn the_form_gives_one_pdf_or_a_folder() {
        let mut w = SheetsWindow {
            path: " /tmp/sheets ".into(),
            ..SheetsWindow::default()
        };
        let o = w.options(&EN, Lang::En).unwrap();
        assert_eq!(o.pdf, Some(PathBuf::from("/tmp/sheets.pdf")));
        assert_eq!(o.per_team_dir, None);
        assert_eq!(o.lang, SheetLang::En);
        w.per_team = true;
        let o = w.options(&EN, Lang::Fr).unwrap();
        assert_eq!(o.per_team_dir, Some(PathBuf::from("/tmp/sheets")));
        assert_eq!(o.pdf, None);
        assert_eq!(o.lang, SheetLang::Fr);
        w.path = "  ".into();
        assert!(w.options(&EN, Lang::En).is_err());
    }
}
