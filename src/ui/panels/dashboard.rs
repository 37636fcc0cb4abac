//! The "Dashboard" window (View › Dashboard, or "Open dashboard" in the Results tab): the
//! campaign's totals, its goals with progress bars and a small goal editor, egui_plot charts of
//! the results per day and of the cumulative doors knocked against the goals' lines, the tables
//! by operation, team, volunteer and precinct (sortable by a header click), and the exports as
//! CSV and PDF (a typed path or the save dialog; the PDF on a job with progress). Everything is
//! read and written through the model ([`Campaign::dashboard`], [`Campaign::add_goal`],
//! [`Dashboard::write_csv`], [`export_dashboard_pdf`]); the window reads the model again when
//! the app marks it stale (a tally, a visit or an import recorded).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::{Context, Id, RichText, TextEdit, Ui};
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};

use crate::model::Campaign;
use crate::model::export::dashboard_pdf::{DashboardPdfReport, export_dashboard_pdf};
use crate::model::export::sheets::SheetLang;
use crate::model::results::coverage::{
    Dashboard, DashboardFilter, GoalProgress, NO_OPERATION, SeriesRow,
};
use crate::model::results::{GOAL_METRICS, Goal};
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, Strings, fill};
use crate::ui::jobs::{Job, JobPoll};

/// Something asked in the window.
#[derive(Clone, Debug, PartialEq)]
pub enum DashboardCommand {
    /// Open the window (and read the model).
    Show,
    /// Add the goal the editor describes.
    AddGoal,
    DeleteGoal(i64),
    /// Write the CSV to the typed path (the save dialog first when there is none).
    ExportCsv,
    /// Write the PDF on a job (the save dialog first when there is no path).
    ExportPdf,
    /// Choose the CSV or PDF file with the save dialog.
    Browse(ExportFormat),
    /// Stop the running PDF export.
    CancelPdf,
}

/// The two export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Pdf,
}

/// Which table the tab row shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DashTable {
    #[default]
    Operation,
    Team,
    Volunteer,
    Precinct,
}

/// The column a table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Knocked,
    Opened,
    Contacts,
    OpenedShare,
}

/// The goal editor's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalForm {
    pub name: String,
    /// Index in [`GOAL_METRICS`].
    pub metric: usize,
    pub target: String,
    /// YYYY-MM-DD, or empty.
    pub due: String,
}

/// The window's state: the dashboard as last read, the goal editor, the table shown, the
/// export paths and jobs.
#[derive(Default)]
pub struct DashboardWindow {
    pub open: bool,
    /// Set when the campaign or its results changed: the model is read again when shown.
    pub stale: bool,
    pub dashboard: Option<Dashboard>,
    /// The date the goals are measured at (today, UTC).
    pub today: Option<NaiveDate>,
    pub load_error: Option<String>,
    pub goal_form: GoalForm,
    /// The model's refusal of the last goal (or a field that is not a number or date).
    pub goal_error: Option<String>,
    pub table: DashTable,
    /// The filter's fields: an operation (`None`: the whole campaign) and a date range as typed.
    pub filter_operation: Option<i64>,
    pub filter_from: String,
    pub filter_to: String,
    /// The campaign's operations (id, name, date), read with the dashboard.
    pub operations: Vec<(i64, String, NaiveDate)>,
    /// Column and descending.
    pub sort: Option<(SortKey, bool)>,
    pub csv_path: String,
    pub pdf_path: String,
    /// "Written: …" of the last export.
    pub written: Option<String>,
    pub export_error: Option<String>,
    /// The save dialog, what it chooses, and whether to export once chosen.
    pick: Option<(Job<Option<PathBuf>>, ExportFormat, bool)>,
    job: Option<Job<Result<DashboardPdfReport, String>>>,
}

/// Today's date (UTC).
fn today() -> NaiveDate {
    NaiveDate::parse_from_str(&crate::model::export::today_utc(), "%Y-%m-%d").unwrap_or_default()
}

/// `path` with `ext` added when it has no extension.
fn with_extension(path: &str, ext: &str) -> PathBuf {
    let mut p = PathBuf::from(path.trim());
    if p.extension().is_none() {
        p.set_extension(ext);
    }
    p
}

/// The goal the editor describes, or why not.
pub fn form_goal(t: &Strings, form: &GoalForm) -> Result<Goal, String> {
    let target = form.target.trim();
    let target: i64 = target
        .parse()
        .map_err(|_| fill(t.dash_bad_target, &[&target]))?;
    let due = form.due.trim();
    let due_date = if due.is_empty() {
        None
    } else {
        NaiveDate::parse_from_str(due, "%Y-%m-%d")
            .map_err(|_| fill(t.results_bad_date, &[&due]))?;
        Some(due.to_owned())
    };
    Ok(Goal {
        id: 0,
        name: form.name.trim().to_owned(),
        metric: GOAL_METRICS[form.metric.min(GOAL_METRICS.len() - 1)].to_owned(),
        target,
        due_date,
    })
}

/// The words of a goal metric.
pub fn metric_label(t: &Strings, metric: &str) -> &'static str {
    match metric {
        "doors_opened" => t.dash_metric_opened,
        "contacts" => t.dash_metric_contacts,
        _ => t.dash_metric_knocked,
    }
}

/// "on track", "behind", "met" or nothing.
pub fn goal_status(t: &Strings, g: &GoalProgress) -> Option<&'static str> {
    match g.on_track {
        Some(true) => Some(t.dash_on_track),
        Some(false) => Some(t.dash_behind),
        None if g.share >= 1.0 => Some(t.dash_met),
        None => None,
    }
}

/// "35 / 1,000 doors knocked (3.5%)".
pub fn goal_progress_text(t: &Strings, g: &GoalProgress) -> String {
    fill(
        t.dash_goal_progress,
        &[
            &t.integer(g.value),
            &t.integer(g.target),
            &metric_label(t, &g.metric),
            &t.percent(g.share),
        ],
    )
}

fn opened_share(r: &SeriesRow) -> f64 {
    if r.knocked > 0 {
        r.opened as f64 / r.knocked as f64
    } else {
        0.0
    }
}

/// Lower case without accents, for sorting names.
fn fold(s: &str) -> String {
    crate::model::fold::fold_with(s, |c, o| o.push(c))
}

/// `rows` in the order of `sort` (the model's order without one).
pub fn sorted_rows(rows: &[SeriesRow], sort: Option<(SortKey, bool)>) -> Vec<&SeriesRow> {
    let mut out: Vec<&SeriesRow> = rows.iter().collect();
    if let Some((key, descending)) = sort {
        out.sort_by(|a, b| {
            let o = match key {
                SortKey::Name => fold(a.display()).cmp(&fold(b.display())),
                SortKey::Knocked => a.knocked.cmp(&b.knocked),
                SortKey::Opened => a.opened.cmp(&b.opened),
                SortKey::Contacts => a.contacts.cmp(&b.contacts),
                SortKey::OpenedShare => opened_share(a).total_cmp(&opened_share(b)),
            };
            let o = o.then_with(|| a.key.cmp(&b.key));
            if descending { o.reverse() } else { o }
        });
    }
    out
}

impl DashboardWindow {
    pub fn show(&mut self) {
        self.open = true;
        self.stale = true;
    }

    pub fn is_exporting(&self) -> bool {
        self.job.is_some()
    }

    /// The model's filter for the filter fields, or which date is wrong.
    pub fn filter(&self, t: &Strings) -> Result<DashboardFilter, String> {
        let day = |text: &str| -> Result<Option<NaiveDate>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| fill(t.results_bad_date, &[&text]))
        };
        Ok(DashboardFilter {
            operation_id: self.filter_operation,
            from: day(&self.filter_from)?,
            to: day(&self.filter_to)?,
        })
    }

    /// Reads the dashboard (as the filter says) and the operations again when the window is
    /// open and stale.
    pub fn refresh(&mut self, t: &Strings, path: &Path) {
        if !self.open || !self.stale {
            return;
        }
        self.stale = false;
        let today = today();
        self.today = Some(today);
        let filter = match self.filter(t) {
            Ok(f) => f,
            Err(e) => {
                self.load_error = Some(e);
                return;
            }
        };
        let read = Campaign::open(path)
            .and_then(|c| Ok((c.dashboard_filtered(today, &filter)?, c.operations()?)));
        match read {
            Ok((d, operations)) => {
                self.dashboard = Some(d);
                self.operations = operations
                    .into_iter()
                    .map(|op| (op.id, op.name, op.date))
                    .collect();
                self.load_error = None;
            }
            Err(e) => self.load_error = Some(e.to_string()),
        }
    }

    /// Applies a command of the window; the status line to show, if any.
    /// `running_job` is the label of the app's model job (a goal is not written beside it).
    pub fn apply(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        lang: Lang,
        command: DashboardCommand,
        campaign_path: Option<PathBuf>,
        running_job: Option<&str>,
    ) -> Option<String> {
        let Some(path) = campaign_path else {
            self.goal_error = Some(t.no_campaign.to_owned());
            return None;
        };
        match command {
            DashboardCommand::Show => {
                self.show();
                None
            }
            DashboardCommand::AddGoal => {
                let done = running_job
                    .map(|job| Err(fill(t.wait_for_job, &[&job])))
                    .unwrap_or_else(|| {
                        let goal = form_goal(t, &self.goal_form)?;
                        Campaign::open(&path)
                            .and_then(|mut c| c.add_goal(&goal))
                            .map(|g| fill(t.dash_goal_added, &[&g.name]))
                            .map_err(|e| e.to_string())
                    });
                if done.is_ok() {
                    self.goal_form = GoalForm::default();
                }
                self.goal_written(t, &path, done)
            }
            DashboardCommand::DeleteGoal(id) => {
                let done = running_job
                    .map(|job| Err(fill(t.wait_for_job, &[&job])))
                    .unwrap_or_else(|| {
                        Campaign::open(&path)
                            .and_then(|mut c| c.delete_goal(id))
                            .map(|()| t.dash_goal_deleted.to_owned())
                            .map_err(|e| e.to_string())
                    });
                self.goal_written(t, &path, done)
            }
            DashboardCommand::ExportCsv => {
                if self.csv_path.trim().is_empty() {
                    self.browse(ctx, t, ExportFormat::Csv, true);
                    return None;
                }
                self.write_csv(t, &path)
            }
            DashboardCommand::ExportPdf => {
                if self.pdf_path.trim().is_empty() {
                    self.browse(ctx, t, ExportFormat::Pdf, true);
                    return None;
                }
                self.start_pdf(ctx, t, lang, path);
                None
            }
            DashboardCommand::Browse(format) => {
                self.browse(ctx, t, format, false);
                None
            }
            DashboardCommand::CancelPdf => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
                None
            }
        }
    }

    /// After a goal was added or deleted (the notice) or refused (why): the dashboard is read
    /// again, or the refusal shown.
    fn goal_written(
        &mut self,
        t: &Strings,
        path: &Path,
        done: Result<String, String>,
    ) -> Option<String> {
        match done {
            Ok(notice) => {
                self.goal_error = None;
                self.stale = true;
                self.refresh(t, path);
                Some(notice)
            }
            Err(e) => {
                self.goal_error = Some(e);
                None
            }
        }
    }

    fn browse(&mut self, ctx: &Context, t: &'static Strings, format: ExportFormat, export: bool) {
        if self.pick.is_some() {
            return;
        }
        let job = Job::spawn(t.choosing_file, ctx, move |_| {
            let dialog = rfd::FileDialog::new().set_title(t.dashboard_title);
            match format {
                ExportFormat::Csv => dialog
                    .set_file_name("dashboard.csv")
                    .add_filter("CSV", &["csv"])
                    .save_file(),
                ExportFormat::Pdf => dialog
                    .set_file_name("dashboard.pdf")
                    .add_filter("PDF", &["pdf"])
                    .save_file(),
            }
        });
        self.pick = Some((job, format, export));
    }

    /// Writes the CSV (a fresh read of the model) to the typed path.
    fn write_csv(&mut self, t: &Strings, campaign_path: &Path) -> Option<String> {
        let path = with_extension(&self.csv_path, "csv");
        let today = self.today.unwrap_or_else(today);
        let written = self
            .filter(t)
            .and_then(|filter| {
                Campaign::open(campaign_path)
                    .and_then(|c| c.dashboard_filtered(today, &filter))
                    .and_then(|d| d.write_csv(&path))
                    .map_err(|e| e.to_string())
            })
            .and_then(|()| std::fs::metadata(&path).map_err(|e| e.to_string()));
        match written {
            Ok(meta) => {
                let line = fill(
                    t.route_written,
                    &[&path.display(), &t.decimal(meta.len() as f64 / 1024.0, 1)],
                );
                self.export_error = None;
                self.written = Some(line.clone());
                Some(line)
            }
            Err(e) => {
                let why = fill(t.export_failed, &[&e]);
                self.export_error = Some(why.clone());
                Some(why)
            }
        }
    }

    fn start_pdf(&mut self, ctx: &Context, t: &Strings, lang: Lang, campaign_path: PathBuf) {
        if self.job.is_some() {
            return;
        }
        let path = with_extension(&self.pdf_path, "pdf");
        let filter = match self.filter(t) {
            Ok(f) => f,
            Err(e) => {
                self.export_error = Some(e);
                return;
            }
        };
        let lang = match lang {
            Lang::Fr => SheetLang::Fr,
            Lang::En => SheetLang::En,
        };
        let today = self.today.unwrap_or_else(today);
        self.export_error = None;
        self.written = None;
        self.job = Some(Job::spawn(t.dash_writing_pdf, ctx, move |progress| {
            Campaign::open(&campaign_path)
                .and_then(|c| export_dashboard_pdf(&c, &path, lang, today, &filter, progress))
                .map_err(|e| e.to_string())
        }));
    }

    /// Polls the dialog and the PDF job; the status line when an export ended.
    pub fn poll(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        lang: Lang,
        campaign_path: Option<&Path>,
    ) -> Option<String> {
        if let Some((pick, format, export)) = &mut self.pick {
            let (format, export) = (*format, *export);
            match pick.poll() {
                JobPoll::Running => {}
                JobPoll::Done(chosen) => {
                    self.pick = None;
                    if let Some(chosen) = chosen {
                        let chosen = chosen.display().to_string();
                        match format {
                            ExportFormat::Csv => self.csv_path = chosen,
                            ExportFormat::Pdf => self.pdf_path = chosen,
                        }
                        if export && let Some(path) = campaign_path {
                            match format {
                                ExportFormat::Csv => return self.write_csv(t, path),
                                ExportFormat::Pdf => {
                                    self.start_pdf(ctx, t, lang, path.to_path_buf())
                                }
                            }
                        }
                    }
                }
                JobPoll::Lost => self.pick = None,
            }
        }
        let job = self.job.as_mut()?;
        let outcome = match job.poll() {
            JobPoll::Running => return None,
            JobPoll::Done(outcome) => outcome,
            JobPoll::Lost => Err(t.job_stopped.to_owned()),
        };
        self.job = None;
        Some(match outcome {
            Ok(r) => {
                let line = fill(
                    t.sheets_written,
                    &[
                        &r.path.display(),
                        &r.pages,
                        &t.decimal(r.bytes as f64 / 1024.0, 0),
                    ],
                );
                self.written = Some(line.clone());
                line
            }
            Err(e) => {
                let why = fill(t.export_failed, &[&e]);
                self.export_error = Some(why.clone());
                why
            }
        })
    }
}

fn totals_ui(ui: &mut Ui, t: &Strings, d: &Dashboard) {
    let share = if d.doors > 0 {
        d.knocked as f64 / d.doors as f64
    } else {
        0.0
    };
    ui.horizontal_wrapped(|ui| {
        for line in [
            fill(t.dash_doors, &[&t.integer(d.doors)]),
            fill(t.dash_knocked, &[&t.integer(d.knocked)]),
            fill(t.dash_opened, &[&t.integer(d.opened)]),
            fill(t.dash_contacts, &[&t.integer(d.contacts)]),
            fill(t.dash_refusals, &[&t.integer(d.refusals)]),
            fill(t.dash_share, &[&t.percent(share)]),
        ] {
            ui.label(RichText::new(line).strong());
            ui.add_space(8.0);
        }
    });
}

/// The filter row: an operation or the whole campaign, and a date range (read on Apply).
fn filter_ui(ui: &mut Ui, t: &Strings, w: &mut DashboardWindow) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(t.dash_filter_operation);
        let selected = w
            .filter_operation
            .and_then(|id| w.operations.iter().find(|o| o.0 == id))
            .map_or(t.dash_whole_campaign.to_owned(), |o| {
                format!("{} ({})", o.1, o.2)
            });
        let before = w.filter_operation;
        egui::ComboBox::from_id_salt("dashboard filter operation")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut w.filter_operation, None, t.dash_whole_campaign);
                for (id, name, date) in &w.operations {
                    ui.selectable_value(
                        &mut w.filter_operation,
                        Some(*id),
                        format!("{name} ({date})"),
                    );
                }
            })
            .response
            .labelled_by(l.id);
        if w.filter_operation != before {
            w.stale = true;
        }
        let l = ui.label(t.dash_from);
        ui.add(TextEdit::singleline(&mut w.filter_from).desired_width(90.0))
            .labelled_by(l.id);
        let l = ui.label(t.dash_to);
        ui.add(TextEdit::singleline(&mut w.filter_to).desired_width(90.0))
            .labelled_by(l.id);
        if ui.button(t.dash_apply_filter).clicked() {
            w.stale = true;
        }
        let filtered = w.filter_operation.is_some()
            || !w.filter_from.trim().is_empty()
            || !w.filter_to.trim().is_empty();
        if ui
            .add_enabled(filtered, egui::Button::new(t.dash_clear_filter))
            .clicked()
        {
            w.filter_operation = None;
            w.filter_from.clear();
            w.filter_to.clear();
            w.stale = true;
        }
    });
}

fn goals_ui(ui: &mut Ui, t: &Strings, w: &mut DashboardWindow, commands: &mut Vec<Command>) {
    let filtered = w.dashboard.as_ref().is_some_and(|d| !d.filter.is_empty());
    ui.heading(if filtered {
        t.dash_goals_campaign
    } else {
        t.dash_goals
    });
    let goals = w.dashboard.as_ref().map_or(&[][..], |d| d.goals.as_slice());
    if goals.is_empty() {
        ui.weak(t.dash_no_goal);
    } else {
        egui::Grid::new("dashboard goals")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                for g in goals {
                    ui.label(RichText::new(&g.name).strong());
                    ui.add(
                        egui::ProgressBar::new(g.share.clamp(0.0, 1.0) as f32)
                            .desired_width(220.0)
                            .text(goal_progress_text(t, g)),
                    );
                    ui.label(
                        g.due_date
                            .as_deref()
                            .map(|d| fill(t.dash_due, &[&d]))
                            .unwrap_or_default(),
                    );
                    match (goal_status(t, g), g.on_track) {
                        (Some(s), Some(false)) => {
                            ui.colored_label(ui.visuals().warn_fg_color, s);
                        }
                        (Some(s), _) => {
                            ui.colored_label(egui::Color32::from_rgb(26, 152, 80), s);
                        }
                        (None, _) => {
                            ui.label("");
                        }
                    }
                    ui.horizontal(|ui| {
                        if let Some(e) = g.expected {
                            ui.weak(fill(t.dash_expected, &[&t.integer(e)]));
                        }
                        if ui.small_button(t.dash_delete_goal).clicked() {
                            commands.push(Command::Dashboard(DashboardCommand::DeleteGoal(g.id)));
                        }
                    });
                    ui.end_row();
                }
            });
    }
    ui.horizontal_wrapped(|ui| {
        let f = &mut w.goal_form;
        let l = ui.label(t.dash_goal_name);
        ui.add(TextEdit::singleline(&mut f.name).desired_width(140.0))
            .labelled_by(l.id);
        let l = ui.label(t.dash_goal_metric);
        egui::ComboBox::from_id_salt("dashboard goal metric")
            .selected_text(metric_label(t, GOAL_METRICS[f.metric.min(2)]))
            .show_ui(ui, |ui| {
                for (i, m) in GOAL_METRICS.iter().enumerate() {
                    ui.selectable_value(&mut f.metric, i, metric_label(t, m));
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label(t.dash_goal_target);
        ui.add(TextEdit::singleline(&mut f.target).desired_width(70.0))
            .labelled_by(l.id);
        let l = ui.label(t.dash_goal_due);
        ui.add(TextEdit::singleline(&mut f.due).desired_width(90.0))
            .labelled_by(l.id);
        let ready = !f.name.trim().is_empty() && !f.target.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(t.dash_add_goal))
            .clicked()
        {
            commands.push(Command::Dashboard(DashboardCommand::AddGoal));
        }
    });
    if let Some(e) = &w.goal_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The chart's x of a day: days since `first`.
fn x_of(first: NaiveDate, day: NaiveDate) -> f64 {
    (day - first).num_days() as f64
}

fn charts_ui(ui: &mut Ui, t: &Strings, d: &Dashboard) {
    let Some((first, _)) = d.chart_days() else {
        ui.weak(t.dash_no_result);
        return;
    };
    let date_axis = move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        let v = mark.value;
        if v.fract().abs() > 1e-9 {
            return String::new();
        }
        first
            .checked_add_signed(chrono::Duration::days(v as i64))
            .map(|d| d.format("%m-%d").to_string())
            .unwrap_or_default()
    };
    let series = |f: fn(&SeriesRow) -> i64| -> Vec<[f64; 2]> {
        d.by_day
            .iter()
            .filter_map(|r| Some([x_of(first, parse_day(&r.key)?), f(r) as f64]))
            .collect()
    };
    let half = ((ui.available_width() - 12.0) / 2.0).max(200.0);
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            ui.label(RichText::new(t.dash_per_day).strong());
            Plot::new("dashboard per day")
                .width(half)
                .height(180.0)
                .legend(Legend::default())
                .x_axis_formatter(date_axis)
                .include_y(0.0)
                .allow_scroll(false)
                .show(ui, |p| {
                    p.line(Line::new(t.dash_metric_knocked, series(|r| r.knocked)).width(2.0));
                    p.line(Line::new(t.dash_metric_opened, series(|r| r.opened)).width(2.0));
                    p.line(Line::new(t.dash_metric_contacts, series(|r| r.contacts)).width(2.0));
                });
        });
        ui.vertical(|ui| {
            ui.label(
                RichText::new(if d.filter.is_empty() {
                    t.dash_cumulative
                } else {
                    t.dash_cumulative_filtered
                })
                .strong(),
            );
            let cumulative: Vec<[f64; 2]> = d
                .cumulative_knocked()
                .into_iter()
                .filter_map(|(k, v)| Some([x_of(first, parse_day(&k)?), v as f64]))
                .collect();
            let goal_lines: Vec<(String, Vec<[f64; 2]>)> = d
                .goals
                .iter()
                .filter(|g| g.metric == "doors_knocked")
                .filter_map(|g| {
                    let line = d.goal_line(g)?;
                    Some((
                        g.name.clone(),
                        line.iter()
                            .map(|(day, v)| [x_of(first, *day), *v as f64])
                            .collect(),
                    ))
                })
                .collect();
            Plot::new("dashboard cumulative")
                .width(half)
                .height(180.0)
                .legend(Legend::default())
                .x_axis_formatter(date_axis)
                .include_y(0.0)
                .allow_scroll(false)
                .show(ui, |p| {
                    p.line(
                        Line::new(t.dash_cumulative_line, PlotPoints::new(cumulative)).width(2.5),
                    );
                    for (name, points) in goal_lines {
                        p.line(
                            Line::new(name, PlotPoints::new(points))
                                .style(LineStyle::dashed_dense())
                                .width(1.5),
                        );
                    }
                });
        });
    });
}

/// A table cell of fixed width with its content on the right (numbers line up).
fn number_cell<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(NUMBER_W, height),
        egui::Layout::right_to_left(egui::Align::Center),
        |ui| {
            ui.set_width(NUMBER_W);
            add(ui)
        },
    )
    .inner
}

/// Width of a number column of the tables.
const NUMBER_W: f32 = 80.0;

fn tables_ui(ui: &mut Ui, t: &Strings, w: &mut DashboardWindow) {
    ui.horizontal(|ui| {
        for (table, label) in [
            (DashTable::Operation, t.dash_by_operation),
            (DashTable::Team, t.dash_by_team),
            (DashTable::Volunteer, t.dash_by_volunteer),
            (DashTable::Precinct, t.dash_by_precinct),
        ] {
            if ui.selectable_label(w.table == table, label).clicked() {
                w.table = table;
            }
        }
    });
    let Some(d) = &w.dashboard else {
        return;
    };
    let rows = match w.table {
        DashTable::Operation => &d.by_operation,
        DashTable::Team => &d.by_team,
        DashTable::Volunteer => &d.by_volunteer,
        DashTable::Precinct => &d.by_precinct,
    };
    let mut sort = w.sort;
    egui::ScrollArea::vertical()
        .id_salt("dashboard table")
        .max_height(240.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new(("dashboard grid", w.table as u8))
                .num_columns(5)
                .striped(true)
                .min_col_width(60.0)
                .show(ui, |ui| {
                    for (key, label) in [
                        (SortKey::Name, t.dash_col_name),
                        (SortKey::Knocked, t.dash_col_knocked),
                        (SortKey::Opened, t.dash_col_opened),
                        (SortKey::Contacts, t.dash_col_contacts),
                        (SortKey::OpenedShare, t.dash_col_share),
                    ] {
                        // ASCII marks: the default fonts have no arrow glyphs.
                        let arrow = match sort {
                            Some((k, true)) if k == key => " v",
                            Some((k, false)) if k == key => " ^",
                            _ => "",
                        };
                        let header =
                            egui::Button::new(RichText::new(format!("{label}{arrow}")).strong())
                                .frame(false);
                        let clicked = if key == SortKey::Name {
                            ui.add(header).clicked()
                        } else {
                            number_cell(ui, |ui| ui.add(header)).clicked()
                        };
                        if clicked {
                            // Numbers sort largest first on the first click, names A→Z.
                            let first_descending = key != SortKey::Name;
                            sort = match sort {
                                Some((k, desc)) if k == key => Some((key, !desc)),
                                _ => Some((key, first_descending)),
                            };
                        }
                    }
                    ui.end_row();
                    if rows.is_empty() {
                        ui.weak(t.dash_no_row);
                        ui.end_row();
                    }
                    for r in sorted_rows(rows, sort) {
                        ui.label(if r.key == NO_OPERATION {
                            t.dash_no_operation
                        } else {
                            r.display()
                        });
                        for cell in [
                            t.integer(r.knocked),
                            t.integer(r.opened),
                            t.integer(r.contacts),
                            t.percent(opened_share(r)),
                        ] {
                            number_cell(ui, |ui| ui.label(cell));
                        }
                        ui.end_row();
                    }
                });
        });
    w.sort = sort;
}

fn export_ui(ui: &mut Ui, t: &Strings, w: &mut DashboardWindow, commands: &mut Vec<Command>) {
    // One row per format (a Grid would keep the path fields at their first frame's width).
    for (format, label, button) in [
        (ExportFormat::Csv, t.dash_csv_file, t.dash_export_csv),
        (ExportFormat::Pdf, t.dash_pdf_file, t.dash_export_pdf),
    ] {
        ui.horizontal(|ui| {
            let l = ui.label(label);
            let path = match format {
                ExportFormat::Csv => &mut w.csv_path,
                ExportFormat::Pdf => &mut w.pdf_path,
            };
            ui.add(TextEdit::singleline(path).desired_width(320.0))
                .labelled_by(l.id);
            if ui
                .add_enabled(w.pick.is_none(), egui::Button::new(t.browse))
                .clicked()
            {
                commands.push(Command::Dashboard(DashboardCommand::Browse(format)));
            }
            let busy = format == ExportFormat::Pdf && w.job.is_some();
            if ui
                .add_enabled(!busy && w.pick.is_none(), egui::Button::new(button))
                .clicked()
            {
                commands.push(Command::Dashboard(match format {
                    ExportFormat::Csv => DashboardCommand::ExportCsv,
                    ExportFormat::Pdf => DashboardCommand::ExportPdf,
                }));
            }
        });
    }
    if let Some(job) = &w.job {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.add(
                egui::ProgressBar::new(job.fraction())
                    .desired_width(200.0)
                    .text(job.stage()),
            );
            if ui
                .add_enabled(!job.is_cancel_requested(), egui::Button::new(t.cancel))
                .clicked()
            {
                commands.push(Command::Dashboard(DashboardCommand::CancelPdf));
            }
        });
    }
    if let Some(e) = &w.export_error {
        ui.colored_label(ui.visuals().warn_fg_color, e);
    } else if let Some(line) = &w.written {
        ui.label(line);
    }
}

/// The "Dashboard" window.
pub fn dashboard_window_ui(
    ctx: &Context,
    t: &Strings,
    w: &mut DashboardWindow,
    commands: &mut Vec<Command>,
) {
    let mut open = w.open;
    egui::Window::new(t.dashboard_title)
        .id(Id::unique("porte dashboard window"))
        .open(&mut open)
        .resizable(true)
        .default_size([760.0, 640.0])
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("dashboard scroll")
                .show(ui, |ui| {
                    filter_ui(ui, t, w);
                    if let Some(today) = w.today {
                        ui.weak(fill(t.dash_at, &[&today]));
                    }
                    if let Some(e) = &w.load_error {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                    if let Some(d) = &w.dashboard {
                        totals_ui(ui, t, d);
                    }
                    ui.separator();
                    goals_ui(ui, t, w, commands);
                    ui.separator();
                    if let Some(d) = &w.dashboard {
                        charts_ui(ui, t, d);
                    }
                    ui.separator();
                    tables_ui(ui, t, w);
                    ui.separator();
                    export_ui(ui, t, w, commands);
                });
        });
    w.open = open;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    fn row(key: &str, knocked: i64, opened: i64) -> SeriesRow {
        SeriesRow {
            key: key.into(),
            label: None,
            knocked,
            opened,
            contacts: 0,
        }
    }

    #[test]
    fn the_goal_form_names_a_bad_target_or_date() {
        let mut f = GoalForm {
            name: " 1000 portes ".into(),
            metric: 2,
            target: "1000".into(),
            due: "2026-03-31".into(),
        };
        let g = form_goal(&EN, &f).unwrap();
        assert_eq!(
            (
                g.name.as_str(),
                g.metric.as_str(),
                g.target,
                g.due_date.as_deref()
            ),
            ("1000 portes", "contacts", 1000, Some("2026-03-31"))
        );
        f.due.clear();
        assert_eq!(form_goal(&EN, &f).unwrap().due_date, None);
        f.due = "31/03".into();
        assert!(form_goal(&EN, &f).unwrap_err().contains("31/03"));
        f.target = "mille".into();
        assert!(form_goal(&EN, &f).unwrap_err().contains("mille"));
    }

    #[test]
    fn tables_sort_by_any_column() {
        let rows = vec![
            row("Équipe b", 10, 5),
            row("equipe a", 30, 3),
            row("C", 20, 20),
        ];
        let keys = |s| {
            sorted_rows(&rows, s)
                .iter()
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(None), ["Équipe b", "equipe a", "C"]);
        assert_eq!(
            keys(Some((SortKey::Knocked, true))),
            ["equipe a", "C", "Équipe b"]
        );
        assert_eq!(
            keys(Some((SortKey::Name, false))),
            ["C", "equipe a", "Équipe b"]
        );
        assert_eq!(
            keys(Some((SortKey::OpenedShare, true))),
            ["C", "Équipe b", "equipe a"]
        );
    }

    #[test]
    fn paths_get_their_extension() {
        assert_eq!(
            with_extension(" /tmp/d ", "pdf"),
            PathBuf::from("/tmp/d.pdf")
        );
        assert_eq!(
            with_extension("/tmp/d.csv", "pdf"),
            PathBuf::from("/tmp/d.csv")
        );
    }
}
