//! The "Import field results" window (File menu and Results tab): a results CSV typed or chosen
//! with Browse… (system dialog on a job thread), sniffed and previewed by the model — the
//! offline walk list's CSV is recognised, a spreadsheet typed from paper sheets gets a column
//! combo per field — with the options (date of the visits, operation, replace conflicts); Import
//! runs the model's `import_visits` and the report lists what was accepted, the duplicates, the
//! conflicts, the rejected rows with their line and reason, and the notes to review.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::{Context, Id, TextEdit, Ui};

use crate::model::Campaign;
use crate::model::operations::Operation;
use crate::model::results::import::{
    FIELDS, VisitFilePreview, VisitImportOptions, VisitImportReport, preview_visits_file,
};
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, poll_file_pick};

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 5;

/// Something asked in the window.
#[derive(Clone, Debug, PartialEq)]
pub enum ResultsImportCommand {
    Show,
    /// Start the system dialog choosing the file.
    Browse,
    /// Import this file with these options.
    Import(PathBuf, VisitImportOptions),
}

/// The window's form, the file's preview and the last import's report.
#[derive(Default)]
pub struct ResultsImportWindow {
    pub open: bool,
    pub path: String,
    /// The preview of `preview_of` (read again when the path changes).
    pub preview: Option<VisitFilePreview>,
    preview_of: String,
    pub preview_error: Option<String>,
    /// The header chosen for each of [`FIELDS`] (same order); `None`: not in the file.
    pub columns: Vec<Option<String>>,
    /// YYYY-MM-DD; empty: each row's date.
    pub date: String,
    /// The operation chosen (its date becomes the visits' date).
    pub operation: Option<i64>,
    pub replace_conflicts: bool,
    pub report: Option<VisitImportReport>,
    /// Why the last import was refused (no path, bad date, unreadable file...).
    pub error: Option<String>,
    pick: Option<Job<Option<PathBuf>>>,
}

/// The label of field `field` of [`FIELDS`] in the column mapping.
pub fn field_label(t: &Strings, field: &str) -> &'static str {
    match field {
        "themes" => t.rimport_col_themes,
        "address_fid" => t.rimport_col_address_fid,
        "address" => t.rimport_col_address,
        "name" => t.rimport_col_name,
        "phone" => t.rimport_col_phone,
        "email" => t.rimport_col_email,
        "consent" => t.rimport_col_consent,
        "turf" => t.rimport_col_turf,
        "date" => t.rimport_col_date,
        "recorded_at" => t.rimport_col_recorded_at,
        "outcome" => t.rimport_col_outcome,
        "contact" => t.rimport_col_contact,
        "note" => t.rimport_col_note,
        "volunteer" => t.rimport_col_volunteer,
        "donate" => t.rimport_col_donate,
        "callback" => t.rimport_col_callback,
        _ => t.rimport_columns,
    }
}

/// The report's lines, in the order shown: counts, then one line per problem.
pub fn report_lines(t: &Strings, r: &VisitImportReport) -> Vec<String> {
    let mut lines = vec![
        fill(t.rimport_accepted, &[&r.accepted]),
        fill(t.rimport_duplicates, &[&r.duplicates.len()]),
        fill(t.rimport_conflicts, &[&r.conflicts.len()]),
        fill(t.rimport_rejected, &[&r.rejected.len()]),
        fill(t.rimport_empty, &[&r.empty]),
        fill(t.rimport_contacts, &[&r.contacts_created]),
        fill(t.rimport_sensitive, &[&r.sensitive_notes.len()]),
    ];
    if !r.opened_inferred.is_empty() {
        let list: Vec<String> = r.opened_inferred.iter().map(u64::to_string).collect();
        lines.push(fill(t.rimport_inferred, &[&list.join(", ")]));
    }
    for x in &r.rejected {
        lines.push(fill(t.rimport_line, &[&x.line, &x.reason]));
    }
    for d in &r.duplicates {
        lines.push(fill(
            t.rimport_duplicate_line,
            &[&d.line, &d.address_fid, &d.date, &d.outcome, &d.already_in],
        ));
    }
    for c in &r.conflicts {
        let what = if c.replaced {
            t.rimport_conflict_replaced
        } else {
            t.rimport_conflict_kept
        };
        lines.push(fill(
            t.rimport_conflict_line,
            &[
                &c.line,
                &c.address_fid,
                &c.date,
                &c.recorded,
                &c.incoming,
                &what,
            ],
        ));
    }
    for s in &r.sensitive_notes {
        lines.push(fill(
            t.rimport_sensitive_line,
            &[&s.line, &s.words.join(", ")],
        ));
    }
    lines
}

impl ResultsImportWindow {
    pub fn show(&mut self) {
        self.open = true;
        self.error = None;
    }

    /// Reads the file's preview when the path changed; guesses the columns from its headers.
    pub fn refresh_preview(&mut self) {
        let file = self.path.trim();
        if file == self.preview_of {
            return;
        }
        self.preview_of = file.to_owned();
        self.preview = None;
        self.preview_error = None;
        let path = Path::new(file);
        if file.is_empty() || !path.is_file() {
            return;
        }
        match preview_visits_file(path, PREVIEW_ROWS) {
            Ok(p) => {
                self.columns = FIELDS
                    .iter()
                    .map(|(f, _)| {
                        p.recognised
                            .iter()
                            .find(|(g, _)| g == f)
                            .map(|(_, h)| h.clone())
                    })
                    .collect();
                self.preview = Some(p);
            }
            Err(e) => self.preview_error = Some(e.to_string()),
        }
    }

    /// The model's options for the form, or why not.
    pub fn request(
        &self,
        t: &Strings,
        operations: &[Operation],
    ) -> Result<(PathBuf, VisitImportOptions), String> {
        let path = self.path.trim();
        if path.is_empty() {
            return Err(t.rimport_need_path.to_owned());
        }
        let date = match self.date.trim() {
            "" => self
                .operation
                .and_then(|id| operations.iter().find(|o| o.id == id))
                .map(|o| o.date),
            d => Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| fill(t.results_bad_date, &[&d]))?,
            ),
        };
        let walk_list = self
            .preview
            .as_ref()
            .is_some_and(|p| p.format == "walk_list");
        // Every field of a spreadsheet is sent: an empty header leaves it out even when a
        // column bears one of its usual names.
        let mapping = if walk_list {
            Vec::new()
        } else {
            FIELDS
                .iter()
                .zip(&self.columns)
                .map(|((f, _), h)| (f.to_string(), h.clone().unwrap_or_default()))
                .collect()
        };
        Ok((
            PathBuf::from(path),
            VisitImportOptions {
                date,
                mapping,
                replace_conflicts: self.replace_conflicts,
            },
        ))
    }

    /// Applies a command: shows the window, browses, or imports (refused while `running_job`
    /// writes the campaign). Returns the status line when an import ran.
    pub fn apply(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        command: ResultsImportCommand,
        campaign_path: Option<&Path>,
        running_job: Option<&str>,
    ) -> Option<String> {
        match command {
            ResultsImportCommand::Show => self.show(),
            ResultsImportCommand::Browse => {
                if self.pick.is_none() {
                    self.pick = Some(Job::spawn(t.choosing_file, ctx, move |_| {
                        rfd::FileDialog::new()
                            .set_title(t.rimport_title)
                            .add_filter("CSV", &["csv", "txt", "tsv"])
                            .add_filter(t.filter_all, &["*"])
                            .pick_file()
                    }));
                }
            }
            ResultsImportCommand::Import(file, options) => {
                let Some(campaign) = campaign_path else {
                    self.error = Some(t.no_campaign.to_owned());
                    return None;
                };
                if let Some(job) = running_job {
                    self.error = Some(fill(t.wait_for_job, &[&job]));
                    return None;
                }
                return match Campaign::open(campaign)
                    .and_then(|mut c| c.import_visits(&file, &options))
                {
                    Ok(report) => {
                        self.error = None;
                        let name = file
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let status = fill(t.rimport_done, &[&name, &report.accepted]);
                        self.report = Some(report);
                        Some(status)
                    }
                    Err(e) => {
                        self.error = Some(e.to_string());
                        None
                    }
                };
            }
        }
        None
    }

    /// Polls the file dialog.
    pub fn poll(&mut self) {
        poll_file_pick(&mut self.pick, &mut self.path);
    }
}

fn preview_ui(ui: &mut Ui, t: &Strings, p: &VisitFilePreview) {
    ui.label(fill(
        t.rimport_read,
        &[&p.total_rows, &p.encoding, &p.delimiter],
    ));
    if p.format == "walk_list" {
        ui.label(t.rimport_walk_list);
    } else {
        ui.label(t.rimport_spreadsheet);
    }
    egui::CollapsingHeader::new(t.rimport_preview)
        .id_salt("results import preview")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::horizontal()
                .id_salt("results import preview scroll")
                .show(ui, |ui| {
                    egui::Grid::new("results import preview grid")
                        .striped(true)
                        .show(ui, |ui| {
                            for h in &p.headers {
                                ui.strong(h);
                            }
                            ui.end_row();
                            for row in &p.rows {
                                for cell in row {
                                    ui.label(cell);
                                }
                                ui.end_row();
                            }
                        });
                });
        });
}

fn columns_ui(ui: &mut Ui, t: &Strings, headers: &[String], columns: &mut [Option<String>]) {
    ui.label(t.rimport_columns);
    egui::ScrollArea::vertical()
        .id_salt("results import columns")
        .max_height(260.0)
        .show(ui, |ui| {
            egui::Grid::new("results import columns grid")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (i, ((field, _), choice)) in FIELDS.iter().zip(columns).enumerate() {
                        let label = ui.label(field_label(t, field));
                        egui::ComboBox::from_id_salt(("results import column", i))
                            .selected_text(choice.as_deref().unwrap_or(t.rimport_not_in_file))
                            .width(200.0)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(choice, None, t.rimport_not_in_file);
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

/// The window; `operations` fill the operation combo.
pub fn results_import_window_ui(
    ctx: &Context,
    t: &Strings,
    w: &mut ResultsImportWindow,
    operations: &[Operation],
    has_campaign: bool,
    commands: &mut Vec<Command>,
) {
    if !w.open {
        return;
    }
    w.refresh_preview();
    let mut open = w.open;
    let mut close = false;
    egui::Window::new(t.rimport_title)
        .id(Id::unique("porte results import window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("results import window scroll")
                .show(ui, |ui| {
                    egui::Grid::new("results import form")
                        .num_columns(2)
                        .show(ui, |ui| {
                            let label = ui.label(t.rimport_file);
                            ui.horizontal(|ui| {
                                ui.add(
                                    TextEdit::singleline(&mut w.path)
                                        .hint_text(t.file_hint)
                                        .desired_width(260.0),
                                )
                                .labelled_by(label.id);
                                if ui
                                    .add_enabled(w.pick.is_none(), egui::Button::new(t.browse))
                                    .clicked()
                                {
                                    commands
                                        .push(Command::ResultsImport(ResultsImportCommand::Browse));
                                }
                            });
                            ui.end_row();
                            let label = ui.label(t.rimport_date);
                            ui.add(TextEdit::singleline(&mut w.date).desired_width(120.0))
                                .labelled_by(label.id);
                            ui.end_row();
                            let label = ui.label(t.rimport_operation);
                            let chosen = w
                                .operation
                                .and_then(|id| operations.iter().find(|o| o.id == id))
                                .map(|o| format!("{} ({})", o.name, o.date))
                                .unwrap_or_else(|| t.rimport_operation_none.to_owned());
                            egui::ComboBox::from_id_salt("results import operation")
                                .selected_text(chosen)
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(
                                        &mut w.operation,
                                        None,
                                        t.rimport_operation_none,
                                    );
                                    for o in operations {
                                        ui.selectable_value(
                                            &mut w.operation,
                                            Some(o.id),
                                            format!("{} ({})", o.name, o.date),
                                        );
                                    }
                                })
                                .response
                                .labelled_by(label.id);
                            ui.end_row();
                        });
                    ui.weak(t.rimport_operation_note);
                    ui.checkbox(&mut w.replace_conflicts, t.rimport_replace);
                    if let Some(e) = &w.preview_error {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                    if let Some(p) = &w.preview {
                        ui.separator();
                        preview_ui(ui, t, p);
                        if p.format != "walk_list" {
                            let headers = p.headers.clone();
                            columns_ui(ui, t, &headers, &mut w.columns);
                        }
                    }
                    if let Some(e) = &w.error {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                    ui.separator();
                    ui.horizontal(|ui| {
                        let run = ui.add_enabled(has_campaign, egui::Button::new(t.rimport_run));
                        if run.clicked() {
                            match w.request(t, operations) {
                                Ok((file, options)) => commands.push(Command::ResultsImport(
                                    ResultsImportCommand::Import(file, options),
                                )),
                                Err(e) => w.error = Some(e),
                            }
                        }
                        if ui.button(t.close).clicked() {
                            close = true;
                        }
                    });
                    if let Some(r) = &w.report {
                        ui.separator();
                        ui.strong(fill(t.rimport_report, &[&r.file]));
                        for line in report_lines(t, r) {
                            ui.label(line);
                        }
                    }
                });
        });
    w.open = open && !close;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    #[test]
    fn every_field_has_its_own_label() {
        let labels: std::collections::HashSet<&str> =
            FIELDS.iter().map(|(f, _)| field_label(&EN, f)).collect();
        assert_eq!(labels.len(), FIELDS.len());
        assert!(!labels.contains(EN.rimport_columns));
    }

    #[test]
    fn the_request_maps_a_spreadsheet_and_reads_the_date() {
        let mut w = ResultsImportWindow::default();
        assert_eq!(w.request(&EN, &[]).unwrap_err(), EN.rimport_need_path);
        w.path = "/tmp/x.csv".into();
        w.columns = FIELDS.iter().map(|_| None).collect();
        let outcome = FIELDS.iter().position(|(f, _)| *f == "outcome").unwrap();
        w.columns[outcome] = Some("Issue".into());
        let (file, opts) = w.request(&EN, &[]).unwrap();
        assert_eq!(file, PathBuf::from("/tmp/x.csv"));
        assert_eq!(opts.mapping.len(), FIELDS.len());
        assert!(
            opts.mapping
                .contains(&("outcome".to_string(), "Issue".to_string()))
        );
        assert!(opts.mapping.contains(&("note".to_string(), String::new())));
        assert_eq!(opts.date, None);
        w.date = "14/03".into();
        assert!(w.request(&EN, &[]).unwrap_err().contains("14/03"));
        w.date = "2026-03-14".into();
        assert_eq!(
            w.request(&EN, &[]).unwrap().1.date,
            NaiveDate::from_ymd_opt(2026, 3, 14)
        );
    }
}
