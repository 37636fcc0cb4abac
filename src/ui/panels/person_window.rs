//! The "Person's data" window: right of access and right to erasure for one person, found by
//! name, phone or email ([`PersonQuery`]). "Find everything" shows the model's
//! [`PersonReport`] (volunteer rows, team memberships, contacts, visit notes, other mentions),
//! "Export…" writes it as JSON (as `porte person access --json`), and "Erase this person…",
//! after a confirmation that shows what goes and asks for the name to be typed, runs the model's
//! erasure and shows its [`ErasureReport`]. Both run on a job (the erasure may rebuild the file).

use std::path::{Path, PathBuf};

use egui::{Color32, Context, Id, RichText, TextEdit, Ui};

use crate::model::Campaign;
use crate::model::contacts::access::PersonReport;
use crate::model::contacts::erasure::ErasureReport;
use crate::model::contacts::person::PersonQuery;
use crate::model::volunteers::{Volunteer, fold};
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, JobPoll, poll_file_pick};
use crate::ui::panels::form_field::form_field;

/// What the window asks for, applied by the app after the frame ([`PersonWindow::apply`]).
#[derive(Clone, Debug, PartialEq)]
pub enum PersonCommand {
    /// Open the window on this person (fields prefilled; nothing searched yet).
    Show(PersonQuery),
    /// Look for everything held on the person (on a job).
    Find(PersonQuery),
    /// Start the save dialog of the JSON export.
    BrowseExport,
    /// Write the last report as JSON to this file.
    Export(PathBuf),
    /// Erase the person everywhere (on a job); only after "Find everything" on the same query.
    Erase(PersonQuery),
}

/// What a job of the window brings back.
enum PersonJobOutcome {
    Found(Result<PersonReport, String>),
    Erased(Result<ErasureReport, String>),
}

/// What polling the window's job found, for the app.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonPolled {
    pub status: Option<String>,
    /// An erasure finished: every panel that shows people must read again.
    pub erased: bool,
}

/// What applying a [`PersonCommand`] needs from the app.
pub struct PersonEnv<'a> {
    pub campaign_path: Option<&'a Path>,
    /// The label of the app's running job, which writes the campaign: the erasure waits for it.
    pub running_job: Option<&'a str>,
}

/// The window's state.
#[derive(Default)]
pub struct PersonWindow {
    pub open: bool,
    pub name: String,
    pub phone: String,
    pub email: String,
    /// The last "Find everything" (its `query` is what it was found with).
    pub report: Option<PersonReport>,
    /// The last erasure's report.
    pub erasure: Option<ErasureReport>,
    /// The confirmation step of the erasure is shown.
    pub confirm: bool,
    /// What the user typed to confirm the erasure.
    pub confirm_text: String,
    pub export_path: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    job: Option<Job<PersonJobOutcome>>,
    pick: Option<Job<Option<PathBuf>>>,
}

impl PersonWindow {
    /// The person the fields describe.
    pub fn query(&self) -> PersonQuery {
        PersonQuery {
            name: self.name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: self.email.trim().to_owned(),
        }
    }

    /// True while a search or an erasure runs.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// The report, when it was found with the fields as they are now.
    pub fn current_report(&self) -> Option<&PersonReport> {
        self.report.as_ref().filter(|r| r.query == self.query())
    }

    /// Forgets what was found (another campaign was opened).
    pub fn clear_results(&mut self) {
        self.report = None;
        self.erasure = None;
        self.confirm = false;
        self.confirm_text.clear();
        self.notice = None;
        self.error = None;
    }

    /// What must be typed to confirm the erasure: the name, else the email, else the phone.
    pub fn confirm_word(query: &PersonQuery) -> &str {
        [&query.name, &query.email, &query.phone]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    /// True when the typed confirmation is the person's name (case and accents ignored).
    pub fn confirmed(&self, query: &PersonQuery) -> bool {
        let word = Self::confirm_word(query);
        !word.is_empty() && fold(self.confirm_text.trim()) == fold(word)
    }

    /// Applies one command; returns the status line to show, if any.
    pub fn apply(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        command: PersonCommand,
        env: &PersonEnv<'_>,
    ) -> Option<String> {
        match command {
            PersonCommand::Show(query) => {
                self.open = true;
                self.name = query.name;
                self.phone = query.phone;
                self.email = query.email;
                self.clear_results();
            }
            PersonCommand::Find(query) => {
                let path = env.campaign_path?.to_path_buf();
                if self.job.is_some() {
                    return None;
                }
                self.error = None;
                self.notice = None;
                self.erasure = None;
                self.confirm = false;
                self.confirm_text.clear();
                self.job = Some(Job::spawn(t.person_searching, ctx, move |_| {
                    PersonJobOutcome::Found(
                        Campaign::open(&path)
                            .and_then(|c| c.person_data(&query))
                            .map_err(|e| e.to_string()),
                    )
                }));
            }
            PersonCommand::Erase(query) => {
                let path = env.campaign_path?.to_path_buf();
                if self.job.is_some() {
                    return None;
                }
                if let Some(job) = env.running_job {
                    self.error = Some(fill(t.wait_for_job, &[&job]));
                    return None;
                }
                if self.report.as_ref().is_none_or(|r| r.query != query) {
                    self.error = Some(t.person_find_first.to_owned());
                    return None;
                }
                self.error = None;
                self.confirm = false;
                self.confirm_text.clear();
                let who = PersonWindow::confirm_word(&query).to_owned();
                let label = fill(t.person_erasing, &[&who]);
                self.job = Some(Job::spawn(label.clone(), ctx, move |_| {
                    PersonJobOutcome::Erased(
                        Campaign::open(&path)
                            .and_then(|mut c| c.erase_person(&query))
                            .map_err(|e| e.to_string()),
                    )
                }));
                return Some(label);
            }
            PersonCommand::BrowseExport => {
                if self.pick.is_none() {
                    self.pick = Some(Job::spawn(t.choosing_file, ctx, move |_| {
                        rfd::FileDialog::new()
                            .set_title(t.person_export_title)
                            .set_file_name("person.json")
                            .add_filter("JSON", &["json"])
                            .save_file()
                    }));
                }
            }
            PersonCommand::Export(path) => {
                let Some(report) = &self.report else {
                    self.error = Some(t.person_find_first.to_owned());
                    return None;
                };
                let written = report
                    .to_json()
                    .map_err(|e| e.to_string())
                    .and_then(|json| std::fs::write(&path, json).map_err(|e| e.to_string()));
                match written {
                    Ok(()) => {
                        let line = fill(t.person_exported, &[&path.display()]);
                        self.error = None;
                        self.notice = Some(line.clone());
                        return Some(line);
                    }
                    Err(e) => {
                        self.notice = None;
                        self.error = Some(fill(t.contacts_export_failed, &[&path.display(), &e]));
                    }
                }
            }
        }
        None
    }

    /// Polls the search or erasure job and the file dialog.
    pub fn poll(&mut self, t: &Strings) -> Option<PersonPolled> {
        poll_file_pick(&mut self.pick, &mut self.export_path);
        let outcome = match self.job.as_mut()?.poll() {
            JobPoll::Running => return None,
            JobPoll::Done(outcome) => outcome,
            JobPoll::Lost => {
                self.job = None;
                self.error = Some(t.job_stopped_error.to_owned());
                return Some(PersonPolled {
                    status: Some(t.job_stopped.to_owned()),
                    // An erasure may have been written before the job was lost.
                    erased: true,
                });
            }
        };
        self.job = None;
        match outcome {
            PersonJobOutcome::Found(Ok(report)) => {
                self.report = Some(report);
                None
            }
            PersonJobOutcome::Found(Err(e)) | PersonJobOutcome::Erased(Err(e)) => {
                self.error = Some(e);
                None
            }
            PersonJobOutcome::Erased(Ok(erasure)) => {
                let who = PersonWindow::confirm_word(&erasure.query).to_owned();
                let status = fill(t.person_erased_status, &[&who, &erasure.total()]);
                self.report = None;
                self.erasure = Some(erasure);
                Some(PersonPolled {
                    status: Some(status),
                    erased: true,
                })
            }
        }
    }
}

/// "Person's data…" in the volunteer window: opens this window on the volunteer being edited.
pub fn volunteer_button(ui: &mut Ui, t: &Strings, v: &Volunteer, commands: &mut Vec<Command>) {
    if v.id != 0
        && ui
            .button(t.contacts_person)
            .on_hover_text(t.contacts_person_hint)
            .clicked()
    {
        commands.push(Command::Person(PersonCommand::Show(PersonQuery {
            name: v.full_name(),
            phone: v.phone.clone(),
            email: v.email.clone(),
        })));
    }
}

/// The summary of a report: "5 found: 1 volunteer row, …".
pub fn report_summary(t: &Strings, r: &PersonReport) -> String {
    fill(
        t.person_found,
        &[
            &r.total(),
            &r.volunteers.len(),
            &r.team_memberships.len(),
            &r.contacts.len(),
            &r.visits.len(),
            &r.other_mentions.len(),
        ],
    )
}

/// The window.
pub fn person_window_ui(
    ctx: &Context,
    t: &Strings,
    window: &mut PersonWindow,
    commands: &mut Vec<Command>,
) {
    if !window.open {
        return;
    }
    let mut open = true;
    egui::Window::new(t.person_title)
        .id(Id::unique("porte person window"))
        .open(&mut open)
        .resizable(true)
        .collapsible(false)
        .default_width(460.0)
        .show(ctx, |ui| {
            ui.weak(t.person_intro);
            egui::Grid::new("person query")
                .num_columns(2)
                .show(ui, |ui| {
                    form_field(ui, t.contacts_col_name, &mut window.name, "José Dupré");
                    form_field(ui, t.col_phone, &mut window.phone, "06 12 34 56 78");
                    form_field(
                        ui,
                        t.contacts_col_email,
                        &mut window.email,
                        "nom@example.org",
                    );
                });
            let query = window.query();
            ui.horizontal(|ui| {
                let can_find = !query.is_empty() && !window.is_running();
                if ui
                    .add_enabled(can_find, egui::Button::new(t.person_find))
                    .clicked()
                {
                    commands.push(Command::Person(PersonCommand::Find(query.clone())));
                }
                if let Some(job) = &window.job {
                    ui.spinner();
                    ui.label(job.label.as_str());
                }
            });
            if let Some(error) = &window.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some(erasure) = &window.erasure {
                ui.separator();
                erasure_ui(ui, t, erasure);
            }
            let Some(report) = window.report.clone() else {
                return;
            };
            ui.separator();
            if report.query != query {
                ui.colored_label(ui.visuals().warn_fg_color, t.person_fields_changed);
            }
            if report.total() == 0 {
                ui.label(t.person_nothing);
                return;
            }
            ui.label(RichText::new(report_summary(t, &report)).strong());
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .auto_shrink([false, true])
                .show(ui, |ui| report_ui(ui, t, &report));
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label(t.person_export_file);
                ui.add(
                    TextEdit::singleline(&mut window.export_path)
                        .hint_text(t.person_export_hint)
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
                if ui.button(t.browse).clicked() {
                    commands.push(Command::Person(PersonCommand::BrowseExport));
                }
                if ui.button(t.person_export).clicked() {
                    let path = window.export_path.trim();
                    if path.is_empty() {
                        window.error = Some(t.export_needs_path.to_owned());
                    } else {
                        let mut path = PathBuf::from(path);
                        if path.extension().is_none() {
                            path.set_extension("json");
                        }
                        commands.push(Command::Person(PersonCommand::Export(path)));
                    }
                }
            });
            if let Some(notice) = &window.notice {
                ui.label(notice);
            }
            ui.separator();
            if report.query != query || window.is_running() {
                return;
            }
            if !window.confirm {
                if ui.button(t.person_erase).clicked() {
                    window.confirm = true;
                    window.confirm_text.clear();
                }
                return;
            }
            confirm_ui(ui, t, window, &report, commands);
        });
    window.open = open;
}

/// The confirmation step: what goes, the name to type, the red button.
fn confirm_ui(
    ui: &mut Ui,
    t: &Strings,
    window: &mut PersonWindow,
    report: &PersonReport,
    commands: &mut Vec<Command>,
) {
    let texts = report.visits.len() + report.other_mentions.len();
    ui.label(
        RichText::new(fill(
            t.person_erase_will,
            &[
                &report.volunteers.len(),
                &report.team_memberships.len(),
                &report.contacts.len(),
                &texts,
            ],
        ))
        .color(ui.visuals().warn_fg_color),
    );
    let word = PersonWindow::confirm_word(&report.query).to_owned();
    ui.horizontal(|ui| {
        let label = ui.label(fill(t.person_erase_type, &[&word]));
        ui.add(TextEdit::singleline(&mut window.confirm_text).desired_width(200.0))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let ok = window.confirmed(&report.query);
        let button = egui::Button::new(RichText::new(t.person_erase_confirm).color(Color32::WHITE))
            .fill(Color32::from_rgb(190, 30, 30));
        if ui.add_enabled(ok, button).clicked() {
            commands.push(Command::Person(PersonCommand::Erase(report.query.clone())));
        }
        if ui.button(t.cancel).clicked() {
            window.confirm = false;
            window.confirm_text.clear();
        }
    });
}

/// Every row of the report, by kind.
fn report_ui(ui: &mut Ui, t: &Strings, r: &PersonReport) {
    // The filled fields of a row, " · " between them.
    let joined = |parts: &[&str]| {
        parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let section = |ui: &mut Ui, heading: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        ui.label(RichText::new(fill(heading, &[&lines.len()])).strong());
        for line in lines {
            ui.label(line);
        }
    };
    section(
        ui,
        t.person_volunteers_heading,
        r.volunteers
            .iter()
            .map(|v| joined(&[&v.full_name(), &v.phone, &v.email, &v.address]))
            .collect(),
    );
    section(
        ui,
        t.person_teams_heading,
        r.team_memberships
            .iter()
            .map(|m| {
                fill(
                    t.person_team_line,
                    &[&m.operation_name, &m.operation_date, &m.team_name],
                )
            })
            .collect(),
    );
    section(
        ui,
        t.person_contacts_heading,
        r.contacts
            .iter()
            .map(|c| {
                let consent = format!("{} {}", t.col_consent, c.consent_date);
                joined(&[
                    &c.name,
                    &c.phone,
                    &c.email,
                    &c.address,
                    &consent,
                    &c.tags.join(", "),
                ])
            })
            .collect(),
    );
    section(
        ui,
        t.person_visits_heading,
        r.visits
            .iter()
            .map(|v| joined(&[&v.visited_on, &v.outcome, &v.note]))
            .collect(),
    );
    section(
        ui,
        t.person_mentions_heading,
        r.other_mentions
            .iter()
            .map(|m| {
                let text: String = m.text.chars().take(120).collect();
                format!("{}.{} #{}: {}", m.table, m.column, m.rowid, text)
            })
            .collect(),
    );
}

/// What an erasure removed.
fn erasure_ui(ui: &mut Ui, t: &Strings, e: &ErasureReport) {
    ui.label(RichText::new(t.person_erased_heading).strong());
    ui.label(fill(t.person_erased_volunteers, &[&e.volunteers_deleted]));
    ui.label(fill(
        t.person_erased_memberships,
        &[&e.team_memberships_removed],
    ));
    let teams: Vec<&str> = e
        .teams_renamed
        .iter()
        .map(|r| r.new_name.as_str())
        .collect();
    ui.label(fill(
        t.person_erased_teams,
        &[&teams.len(), &teams.join(", ")],
    ));
    ui.label(fill(
        t.person_erased_contacts,
        &[&e.contacts_deleted, &e.contact_tags_deleted],
    ));
    ui.label(fill(t.person_erased_visits, &[&e.visits_kept_anonymous]));
    let scrubbed: Vec<String> = e
        .text_cells_scrubbed
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    ui.label(fill(
        t.person_erased_texts,
        &[
            &e.text_cells_scrubbed.values().sum::<usize>(),
            &scrubbed.join(", "),
        ],
    ));
    if e.file_bytes_clean {
        ui.weak(t.person_erased_clean);
    } else {
        ui.colored_label(ui.visuals().error_fg_color, t.person_erased_not_clean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_erasure_is_confirmed_by_typing_the_name() {
        let mut w = PersonWindow::default();
        let q = PersonQuery {
            name: "José Dupré".into(),
            ..PersonQuery::default()
        };
        assert!(!w.confirmed(&q));
        w.confirm_text = "jose dupre ".into();
        assert!(w.confirmed(&q));
        w.confirm_text = "José".into();
        assert!(!w.confirmed(&q));
        let by_email = PersonQuery {
            email: "a@example.org".into(),
            ..PersonQuery::default()
        };
        assert_eq!(PersonWindow::confirm_word(&by_email), "a@example.org");
        assert!(!w.confirmed(&PersonQuery::default()));
    }
}
