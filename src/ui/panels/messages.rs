//! The messages window: writing to a selection of volunteers (the roster's checked rows, else
//! the rows its filter shows). A message template (saved in the campaign, with `{placeholders}`)
//! is rendered per volunteer in the context of an operation (their turf, team, meeting point,
//! date), with prepared `mailto:` / `sms:` links; the phones and emails can be copied, and the
//! selection exported as CSV or vCard.

use std::path::{Path, PathBuf};

use egui::{Context, Id, RichText, TextEdit, Ui};

use crate::model::Campaign;
use crate::model::operations::Operation;
use crate::model::turfs::Turf;
use crate::model::volunteers::export::{
    email_list, mailto_link, phone_list, sms_link, to_csv, to_vcard,
};
use crate::model::volunteers::templates::{PLACEHOLDERS, render};
use crate::model::volunteers::{MessageContext, MessageTemplate, Volunteer};
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, Strings, fill};
use crate::ui::jobs::{Job, poll_file_pick};
use crate::ui::panels::roster::RosterCommand;

/// Most previews laid out (every recipient is still copied and exported).
const MAX_PREVIEWS: usize = 100;

/// The two files a selection can be exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolunteerExportFormat {
    Csv,
    VCard,
}

impl VolunteerExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            VolunteerExportFormat::Csv => "csv",
            VolunteerExportFormat::VCard => "vcf",
        }
    }
}

/// What "Export CSV" / "Export vCard" asks the app to write.
#[derive(Clone, Debug, PartialEq)]
pub struct VolunteerExport {
    pub format: VolunteerExportFormat,
    pub path: PathBuf,
    /// `volunteers.fid` of the selection, in the order shown.
    pub ids: Vec<i64>,
}

/// The window's state between frames.
pub struct MessagesWindow {
    pub open: bool,
    /// The campaign's templates (the model's defaults until one is saved).
    pub templates: Vec<MessageTemplate>,
    /// The template being edited (`id == 0`: not saved yet).
    pub draft: MessageTemplate,
    /// The operation giving the context (turf, meeting point, date).
    pub operation: Option<i64>,
    /// Write to the operation's team members instead of the roster's selection.
    pub teams_only: bool,
    /// The export file as typed (or chosen with Browse…).
    pub export_path: String,
    /// Where the last export went, or what was copied.
    pub notice: Option<String>,
    /// The model's refusal (a template name taken) or a failed export.
    pub error: Option<String>,
    pick: Option<Job<Option<PathBuf>>>,
}

/// A template not saved yet, with no name and no text.
pub fn blank_template() -> MessageTemplate {
    MessageTemplate {
        id: 0,
        name: String::new(),
        body: String::new(),
    }
}

impl Default for MessagesWindow {
    fn default() -> Self {
        MessagesWindow {
            open: false,
            templates: Vec::new(),
            draft: blank_template(),
            operation: None,
            teams_only: false,
            export_path: String::new(),
            notice: None,
            error: None,
            pick: None,
        }
    }
}

/// What the window reads from the app this frame.
pub struct MessagesData<'a> {
    pub recipients: Vec<&'a Volunteer>,
    /// The whole roster (the operation's team members are picked from it).
    pub roster: &'a [Volunteer],
    /// The recipients are the checked rows (not the filtered ones).
    pub from_checked: bool,
    pub operations: &'a [Operation],
    pub turfs: &'a [Turf],
    /// Dates in French.
    pub french: bool,
}

impl MessagesWindow {
    /// Opens the window on the operation `operation` (the one selected in the app, if any).
    /// The first time, the draft is the template in the UI's language ("… (FR)") when the
    /// campaign has one.
    pub fn show(&mut self, t: &Strings, campaign: &Path, operation: Option<i64>) {
        self.open = true;
        self.error = None;
        self.notice = None;
        if operation.is_some() {
            self.operation = operation;
        }
        let first_time = self.draft.name.is_empty() && self.draft.id == 0;
        self.load_templates(campaign, None);
        if first_time {
            let tag = match t.lang {
                Lang::Fr => "(FR)",
                Lang::En => "(EN)",
            };
            if let Some(tpl) = self.templates.iter().find(|tpl| tpl.name.ends_with(tag)) {
                self.draft = tpl.clone();
            }
        }
    }

    /// Reads the templates again; keeps the draft on template `select` (by id), else on the
    /// template of the same name, else the first one.
    pub fn load_templates(&mut self, campaign: &Path, select: Option<i64>) {
        match Campaign::open(campaign).and_then(|c| c.message_templates()) {
            Ok(templates) => {
                let keep = templates
                    .iter()
                    .find(|t| select.is_some_and(|id| t.id == id))
                    .or_else(|| {
                        templates
                            .iter()
                            .find(|t| !self.draft.name.is_empty() && t.name == self.draft.name)
                    })
                    .or(templates.first())
                    .cloned();
                if let Some(t) = keep {
                    self.draft = t;
                }
                self.templates = templates;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Starts the system's save dialog on a job thread.
    pub fn browse(&mut self, ctx: &Context, t: &'static Strings) {
        if self.pick.is_some() {
            return;
        }
        self.pick = Some(Job::spawn(t.choosing_file, ctx, move |_| {
            rfd::FileDialog::new()
                .set_title(t.messages_export_title)
                .set_file_name("volunteers.csv")
                .add_filter("CSV", &["csv"])
                .add_filter("vCard", &["vcf"])
                .save_file()
        }));
    }

    /// Polls the file dialog.
    pub fn poll(&mut self) {
        poll_file_pick(&mut self.pick, &mut self.export_path);
    }

    /// The export the form describes: the typed path with the format's extension.
    pub fn export_request(
        &self,
        t: &Strings,
        format: VolunteerExportFormat,
        ids: Vec<i64>,
    ) -> Result<VolunteerExport, String> {
        let path = self.export_path.trim();
        if path.is_empty() {
            return Err(t.export_needs_path.to_owned());
        }
        let mut path = PathBuf::from(path);
        let other = path
            .extension()
            .and_then(|e| e.to_str())
            .is_none_or(|e| ["csv", "vcf", "vcard"].contains(&e.to_ascii_lowercase().as_str()));
        if other {
            path.set_extension(format.extension());
        }
        Ok(VolunteerExport { format, path, ids })
    }
}

/// Writes `volunteers` as the export asks; returns the line saying where the file went.
pub fn write_export(
    t: &Strings,
    export: &VolunteerExport,
    volunteers: &[Volunteer],
) -> Result<String, String> {
    let text = match export.format {
        VolunteerExportFormat::Csv => to_csv(volunteers),
        VolunteerExportFormat::VCard => to_vcard(volunteers),
    };
    std::fs::write(&export.path, text)
        .map_err(|e| fill(t.messages_write_failed, &[&export.path.display(), &e]))?;
    Ok(fill(
        t.messages_written,
        &[&export.path.display(), &volunteers.len()],
    ))
}

/// The placeholder values of `v` in operation `op` (their turf through their team).
pub fn context_of(
    v: &Volunteer,
    op: Option<&Operation>,
    turfs: &[Turf],
    french: bool,
) -> MessageContext {
    let turf = op
        .and_then(|op| op.team_of_volunteer(v.id))
        .and_then(|team| team.turf_id)
        .and_then(|id| turfs.iter().find(|t| t.id == id))
        .map(|t| t.name.as_str());
    MessageContext::for_volunteer(v, op, turf, french)
}

/// The window.
pub fn messages_window_ui(
    ctx: &Context,
    t: &Strings,
    window: &mut MessagesWindow,
    data: &MessagesData<'_>,
    commands: &mut Vec<Command>,
) {
    if !window.open {
        return;
    }
    let mut open = true;
    egui::Window::new(t.messages_title)
        .id(Id::unique("porte messages window"))
        .open(&mut open)
        .default_width(560.0)
        .default_height(640.0)
        .collapsible(false)
        .show(ctx, |ui| {
            let op = window
                .operation
                .and_then(|id| data.operations.iter().find(|o| o.id == id));
            // The operation's teams, or the roster's selection.
            let (recipients, heading) = match op.filter(|_| window.teams_only) {
                Some(op) => {
                    let members: Vec<&Volunteer> = data
                        .roster
                        .iter()
                        .filter(|v| op.team_of_volunteer(v.id).is_some())
                        .collect();
                    let heading = fill(t.messages_to_teams, &[&members.len(), &op.name]);
                    (members, heading)
                }
                None => {
                    let template = if data.from_checked {
                        t.messages_to_checked
                    } else {
                        t.messages_to_filtered
                    };
                    let heading = fill(template, &[&data.recipients.len()]);
                    (data.recipients.clone(), heading)
                }
            };
            ui.label(RichText::new(heading).strong());
            template_ui(ui, t, window, commands);
            ui.separator();
            operation_ui(ui, t, window, data);
            ui.separator();
            actions_ui(ui, t, window, &recipients, commands);
            if let Some(notice) = &window.notice {
                ui.label(notice);
            }
            if let Some(error) = &window.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            previews_ui(ui, t, window, data, &recipients);
        });
    window.open = open;
}

fn template_ui(ui: &mut Ui, t: &Strings, window: &mut MessagesWindow, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label(t.messages_template);
        let current = if window.draft.name.is_empty() {
            t.messages_template_not_saved.to_owned()
        } else {
            window.draft.name.clone()
        };
        egui::ComboBox::from_id_salt("message template")
            .selected_text(current)
            .width(220.0)
            .show_ui(ui, |ui| {
                for tpl in &window.templates {
                    let selected = tpl.id == window.draft.id && tpl.name == window.draft.name;
                    if ui.selectable_label(selected, &tpl.name).clicked() {
                        window.draft = tpl.clone();
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button(t.messages_new_template).clicked() {
            window.draft = blank_template();
        }
    });
    egui::Grid::new("template form")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(t.messages_template_name);
            ui.add(TextEdit::singleline(&mut window.draft.name).desired_width(360.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t.messages_body);
            ui.add(
                TextEdit::multiline(&mut window.draft.body)
                    .desired_rows(4)
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    ui.horizontal_wrapped(|ui| {
        ui.weak(t.messages_placeholders);
        for p in PLACEHOLDERS {
            let tag = format!("{{{p}}}");
            if ui
                .small_button(&tag)
                .on_hover_text(t.messages_insert_placeholder)
                .clicked()
            {
                window.draft.body.push_str(&tag);
            }
        }
    });
    ui.horizontal(|ui| {
        let named = !window.draft.name.trim().is_empty();
        if ui
            .add_enabled(named, egui::Button::new(t.messages_save_template))
            .clicked()
        {
            commands.push(Command::Roster(RosterCommand::SaveTemplate(
                MessageTemplate {
                    name: window.draft.name.trim().to_owned(),
                    ..window.draft.clone()
                },
            )));
        }
        if ui
            .add_enabled(
                window.draft.id != 0,
                egui::Button::new(t.messages_delete_template),
            )
            .on_disabled_hover_text(t.messages_template_not_saved)
            .clicked()
        {
            commands.push(Command::Roster(RosterCommand::DeleteTemplate(
                window.draft.id,
            )));
        }
    });
}

fn operation_ui(ui: &mut Ui, t: &Strings, window: &mut MessagesWindow, data: &MessagesData<'_>) {
    if window
        .operation
        .is_some_and(|id| !data.operations.iter().any(|o| o.id == id))
    {
        window.operation = None;
    }
    ui.horizontal(|ui| {
        let label = ui.label(t.messages_operation);
        let name_of = |id: Option<i64>| {
            id.and_then(|id| data.operations.iter().find(|o| o.id == id))
                .map(operation_title)
                .unwrap_or_else(|| t.messages_no_operation.to_owned())
        };
        egui::ComboBox::from_id_salt("message operation")
            .selected_text(name_of(window.operation))
            .width(300.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut window.operation, None, t.messages_no_operation);
                for op in data.operations {
                    ui.selectable_value(&mut window.operation, Some(op.id), operation_title(op));
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.add_enabled(
        window.operation.is_some(),
        egui::Checkbox::new(&mut window.teams_only, t.messages_teams_only),
    )
    .on_disabled_hover_text(t.messages_teams_only_hint);
}

/// "Porte-à-porte centre · 2026-03-14 10:00".
fn operation_title(op: &Operation) -> String {
    format!(
        "{} · {} {}",
        op.name,
        op.date.format("%Y-%m-%d"),
        op.start.format("%H:%M")
    )
}

fn actions_ui(
    ui: &mut Ui,
    t: &Strings,
    window: &mut MessagesWindow,
    recipients: &[&Volunteer],
    commands: &mut Vec<Command>,
) {
    let owned = || -> Vec<Volunteer> { recipients.iter().map(|v| (*v).clone()).collect() };
    let any = !recipients.is_empty();
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(any, egui::Button::new(t.messages_copy_phones))
            .clicked()
        {
            let vols = owned();
            let n = vols.iter().filter(|v| !v.phone.trim().is_empty()).count();
            ui.ctx().copy_text(phone_list(&vols));
            window.notice = Some(fill(t.messages_copied_phones, &[&n]));
        }
        if ui
            .add_enabled(any, egui::Button::new(t.messages_copy_emails))
            .clicked()
        {
            let vols = owned();
            let n = vols.iter().filter(|v| !v.email.trim().is_empty()).count();
            ui.ctx().copy_text(email_list(&vols));
            window.notice = Some(fill(t.messages_copied_emails, &[&n]));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(t.export_file);
        ui.add(
            TextEdit::singleline(&mut window.export_path)
                .hint_text(t.messages_export_hint)
                .desired_width(300.0),
        )
        .labelled_by(label.id);
        if ui.button(t.browse).clicked() {
            commands.push(Command::Roster(RosterCommand::BrowseExport));
        }
    });
    ui.horizontal(|ui| {
        for (format, label) in [
            (VolunteerExportFormat::Csv, t.messages_export_csv),
            (VolunteerExportFormat::VCard, t.messages_export_vcard),
        ] {
            if ui.add_enabled(any, egui::Button::new(label)).clicked() {
                let ids = recipients.iter().map(|v| v.id).collect();
                match window.export_request(t, format, ids) {
                    Ok(export) => {
                        window.error = None;
                        commands.push(Command::Roster(RosterCommand::Export(export)));
                    }
                    Err(why) => window.error = Some(why),
                }
            }
        }
    });
}

fn previews_ui(
    ui: &mut Ui,
    t: &Strings,
    window: &MessagesWindow,
    data: &MessagesData<'_>,
    recipients: &[&Volunteer],
) {
    let op = window
        .operation
        .and_then(|id| data.operations.iter().find(|o| o.id == id));
    let subject = op.map_or(window.draft.name.as_str(), |o| o.name.as_str());
    let mut unknown: Vec<String> = Vec::new();
    egui::ScrollArea::vertical()
        .id_salt("message previews")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for v in recipients.iter().take(MAX_PREVIEWS) {
                let ctx = context_of(v, op, data.turfs, data.french);
                let (text, missing) = render(&window.draft.body, &ctx);
                for m in missing {
                    if !unknown.contains(&m) {
                        unknown.push(m);
                    }
                }
                ui.horizontal(|ui| {
                    ui.strong(v.full_name());
                    match mailto_link(v, subject, &text) {
                        Some(url) => {
                            ui.hyperlink_to(t.messages_email_link, url);
                        }
                        None => {
                            ui.weak(t.messages_no_email);
                        }
                    }
                    match sms_link(v, &text) {
                        Some(url) => {
                            ui.hyperlink_to(t.messages_sms_link, url);
                        }
                        None => {
                            ui.weak(t.messages_no_phone);
                        }
                    }
                });
                ui.label(text);
                ui.add_space(6.0);
            }
            if recipients.len() > MAX_PREVIEWS {
                ui.weak(fill(t.messages_more, &[&(recipients.len() - MAX_PREVIEWS)]));
            }
            if recipients.is_empty() {
                ui.weak(t.messages_nobody);
            }
        });
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|u| format!("{{{u}}}")).collect();
        ui.colored_label(
            ui.visuals().warn_fg_color,
            fill(t.messages_unknown_placeholders, &[&list.join(", ")]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_path_takes_the_format_extension() {
        let t = &crate::ui::i18n::EN;
        let mut w = MessagesWindow::default();
        assert!(
            w.export_request(t, VolunteerExportFormat::Csv, vec![])
                .is_err()
        );
        w.export_path = "/tmp/out".into();
        let e = w
            .export_request(t, VolunteerExportFormat::VCard, vec![3])
            .unwrap();
        assert_eq!(e.path, PathBuf::from("/tmp/out.vcf"));
        assert_eq!(e.ids, vec![3]);
        w.export_path = "/tmp/out.csv".into();
        let e = w
            .export_request(t, VolunteerExportFormat::VCard, vec![])
            .unwrap();
        assert_eq!(e.path, PathBuf::from("/tmp/out.vcf"));
        w.export_path = "/tmp/list.txt".into();
        let e = w
            .export_request(t, VolunteerExportFormat::Csv, vec![])
            .unwrap();
        assert_eq!(
            e.path,
            PathBuf::from("/tmp/list.txt"),
            "a chosen extension stays"
        );
    }
}
