//! The application: saved UI preferences kept apart from runtime state, one frame's layout
//! (menu, status bar, side panel, map, windows), and the application of the frame's
//! [`Command`]s once the UI is built. Constructible without eframe, so egui_kittest drives it.

use std::path::{Path, PathBuf};

use egui::{Context, Ui, ViewportCommand};
use serde::{Deserialize, Serialize};

use crate::model::ModelError;
use crate::ui::command::{Command, ImportKind, PickTarget};
use crate::ui::jobs::{Job, JobPoll};
use crate::ui::map::{MapView, PrecinctShape};
use crate::ui::panels::campaign_window::{CampaignForm, CampaignWindowMode, campaign_window_ui};
use crate::ui::panels::import_report::{ReportView, import_report_panel_ui};
use crate::ui::panels::import_window::{ImportForm, import_window_ui};
use crate::ui::panels::menu_bar::menu_bar_ui;
use crate::ui::panels::status_bar::{JobStatus, status_bar_ui};
use crate::ui::panels::summary::summary_ui;
use crate::ui::tasks::{self, CampaignSource, CampaignView, JobOutcome};

/// UI preferences worth saving between sessions (layout choices), as opposed to runtime state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    pub side_panel_visible: bool,
    /// Width of the side panel, in points.
    pub side_panel_width: f32,
}

impl Default for UiPrefs {
    fn default() -> Self {
        UiPrefs {
            side_panel_visible: true,
            side_panel_width: 320.0,
        }
    }
}

/// A file dialog running on its own thread, and the field it fills.
struct PendingPick {
    target: PickTarget,
    job: Job<Option<PathBuf>>,
}

/// The Porte desktop application.
pub struct PorteApp {
    pub prefs: UiPrefs,
    /// The loaded campaign, `None` until the first load finishes (or when it failed).
    campaign: Option<CampaignView>,
    map: MapView,
    selected_fid: Option<i64>,
    /// The one model job at a time (load or import): they write the same file.
    job: Option<Job<JobOutcome>>,
    pick: Option<PendingPick>,
    import_form: ImportForm,
    campaign_form: CampaignForm,
    /// This session's last import report (the log holds older ones).
    last_report: Option<ReportView>,
    last_import_error: Option<String>,
    status: String,
    /// An error shown in a window until dismissed.
    error: Option<String>,
    /// The window title last sent to the viewport.
    title: Option<String>,
    /// Commands queued outside a frame (the initial load), applied at the next frame.
    queued: Vec<Command>,
    /// Where the first load comes from.
    initial_source: Option<CampaignSource>,
}

impl PorteApp {
    /// An app that loads `campaign_path` (created when missing), or the sample city when `None`,
    /// in the background from its first frame.
    pub fn new(campaign_path: Option<PathBuf>) -> PorteApp {
        PorteApp {
            prefs: UiPrefs::default(),
            campaign: None,
            map: MapView::default(),
            selected_fid: None,
            job: None,
            pick: None,
            import_form: ImportForm::default(),
            campaign_form: CampaignForm::default(),
            last_report: None,
            last_import_error: None,
            status: String::new(),
            error: None,
            title: None,
            queued: Vec::new(),
            initial_source: Some(match campaign_path {
                Some(path) => CampaignSource::File(path),
                None => CampaignSource::Sample,
            }),
        }
    }

    // --- read access, for tests and future panels ---

    /// The loaded campaign's path.
    pub fn campaign_path(&self) -> Option<&Path> {
        self.campaign.as_ref().map(|c| c.path.as_path())
    }

    pub fn campaign_view(&self) -> Option<&CampaignView> {
        self.campaign.as_ref()
    }

    /// True while a load or an import runs.
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.initial_source.is_some()
    }

    pub fn selected_fid(&self) -> Option<i64> {
        self.selected_fid
    }

    /// The selected precinct's code.
    pub fn selected_code(&self) -> Option<&str> {
        self.selected_shape().map(|s| s.code.as_str())
    }

    fn selected_shape(&self) -> Option<&PrecinctShape> {
        self.selected_fid.and_then(|fid| self.map.layer.by_fid(fid))
    }

    pub fn last_report(&self) -> Option<&ReportView> {
        self.last_report.as_ref()
    }

    pub fn status(&self) -> &str {
        &self.status
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn map(&self) -> &MapView {
        &self.map
    }

    /// Queues a command as if a panel had sent it (applied at the next frame).
    pub fn send(&mut self, command: Command) {
        self.queued.push(command);
    }

    // --- the frame ---

    /// One frame of the whole window.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if let Some(source) = self.initial_source.take() {
            self.start_load(&ctx, source);
        }
        self.poll_jobs(&ctx);
        self.update_title(&ctx);

        let mut commands = std::mem::take(&mut self.queued);
        let has_campaign = self.campaign.is_some();
        let busy = self.job.is_some();

        egui::Panel::top("menu bar").show(ui, |ui| {
            menu_bar_ui(
                ui,
                has_campaign,
                &mut self.prefs.side_panel_visible,
                &mut commands,
            );
        });

        let job_status = self.job.as_ref().map(|job| JobStatus {
            label: job.label.clone(),
            stage: job.stage(),
            fraction: job.fraction(),
            cancel_requested: job.is_cancel_requested(),
        });
        let zoom = self.map.layer.bbox_wgs84.map(|_| self.map.zoom());
        egui::Panel::bottom("status bar").show(ui, |ui| {
            status_bar_ui(ui, job_status.as_ref(), &self.status, zoom, &mut commands);
        });

        if self.prefs.side_panel_visible {
            let response = egui::Panel::left("side panel")
                .resizable(true)
                .default_size(self.prefs.side_panel_width)
                .size_range(200.0..=600.0)
                .show(ui, |ui| {
                    // Keep the panel's width when its contents are narrower.
                    ui.set_min_width(ui.available_width());
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| self.side_panel_ui(ui, &mut commands));
                });
            self.prefs.side_panel_width = response.response.rect.width();
        }

        egui::CentralPanel::no_frame()
            .frame(egui::Frame::NONE.fill(ui.visuals().extreme_bg_color))
            .show(ui, |ui| {
                if self.campaign.is_some() {
                    let selected = self.selected_fid;
                    if let Some(command) = self.map.map_ui(ui, selected) {
                        commands.push(command);
                    }
                } else {
                    ui.centered_and_justified(|ui| {
                        if busy {
                            ui.spinner();
                        } else {
                            ui.weak("No campaign open — File › Open campaign…");
                        }
                    });
                }
            });

        import_window_ui(
            &ctx,
            &mut self.import_form,
            busy,
            has_campaign,
            &mut commands,
        );
        campaign_window_ui(&ctx, &mut self.campaign_form, busy, &mut commands);
        if let Some(error) = &self.error {
            egui::Window::new("Error")
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(&ctx, |ui| {
                    ui.label(error);
                    if ui.button("OK").clicked() {
                        commands.push(Command::DismissError);
                    }
                });
        }

        for command in commands {
            self.apply(&ctx, command);
        }
    }

    fn side_panel_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        match &self.campaign {
            Some(view) => {
                summary_ui(ui, &view.info, self.selected_shape(), commands);
                ui.separator();
                import_report_panel_ui(
                    ui,
                    self.last_report.as_ref(),
                    self.last_import_error.as_deref(),
                    &view.import_log,
                );
            }
            None => {
                ui.heading("Campaign");
                ui.weak(if self.job.is_some() {
                    "Loading…"
                } else {
                    "No campaign open."
                });
            }
        }
    }

    fn update_title(&mut self, ctx: &Context) {
        let title = window_title(self.campaign_path());
        if self.title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = Some(title);
        }
    }

    // --- commands ---

    /// Applies one command (after the frame's UI was built).
    pub fn apply(&mut self, ctx: &Context, command: Command) {
        match command {
            Command::ShowNewCampaign => self.campaign_form.show(CampaignWindowMode::New),
            Command::ShowOpenCampaign => self.campaign_form.show(CampaignWindowMode::Open),
            Command::OpenCampaign(path) => {
                if self.refuse_if_busy() {
                    return;
                }
                self.start_load(ctx, CampaignSource::File(path));
            }
            Command::ShowImport(kind) => self.import_form.show(kind),
            Command::Browse(target) => self.start_pick(ctx, target),
            Command::StartImport(request) => {
                if self.refuse_if_busy() {
                    return;
                }
                let Some(campaign_path) = self.campaign_path().map(Path::to_path_buf) else {
                    self.error = Some("Open a campaign before importing.".to_owned());
                    return;
                };
                let kind = request.kind();
                let file = request.file().clone();
                let label = format!("Importing {}", kind.log_kind());
                self.status = format!("{label} from {}", file.display());
                self.job = Some(Job::spawn(label, ctx, move |progress| {
                    JobOutcome::Imported {
                        kind,
                        file,
                        result: tasks::run_import(&campaign_path, &request, progress),
                    }
                }));
            }
            Command::CancelJob => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
            }
            Command::SelectPrecinct(fid) => self.selected_fid = fid,
            Command::ZoomToCampaign => self.map.request_fit(),
            Command::DismissError => self.error = None,
            Command::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
        }
    }

    fn refuse_if_busy(&mut self) -> bool {
        if let Some(job) = &self.job {
            self.error = Some(format!(
                "Wait for “{}” to finish (or cancel it) first.",
                job.label
            ));
            true
        } else {
            false
        }
    }

    fn start_load(&mut self, ctx: &Context, source: CampaignSource) {
        let label = match &source {
            CampaignSource::Sample => "Opening the sample city".to_owned(),
            CampaignSource::File(path) => format!("Opening {}", file_name_of(path)),
        };
        self.status = label.clone();
        self.job = Some(Job::spawn(label, ctx, move |progress| {
            JobOutcome::Loaded(tasks::load_campaign(&source, progress))
        }));
    }

    fn start_pick(&mut self, ctx: &Context, target: PickTarget) {
        if self.pick.is_some() {
            return; // one dialog at a time
        }
        let job = Job::spawn("Choosing a file", ctx, move |_| pick_file_blocking(target));
        self.pick = Some(PendingPick { target, job });
    }

    fn poll_jobs(&mut self, _ctx: &Context) {
        if let Some(job) = &mut self.job {
            match job.poll() {
                JobPoll::Running => {}
                JobPoll::Done(outcome) => {
                    self.job = None;
                    self.finish(outcome);
                }
                JobPoll::Lost => {
                    self.job = None;
                    self.status = "The job stopped unexpectedly.".to_owned();
                    self.error = Some(
                        "The background job stopped unexpectedly (see the terminal).".to_owned(),
                    );
                }
            }
        }
        if let Some(pick) = &mut self.pick {
            match pick.job.poll() {
                JobPoll::Running => {}
                JobPoll::Done(path) => {
                    let target = pick.target;
                    self.pick = None;
                    if path.is_none() {
                        self.status = "No file chosen: type or paste its path instead.".to_owned();
                    }
                    if let Some(path) = path {
                        let text = path.display().to_string();
                        match target {
                            PickTarget::ImportFile(kind) => {
                                self.import_form.show(kind);
                                self.import_form.file = text;
                            }
                            PickTarget::OpenCampaign => {
                                self.campaign_form.show(CampaignWindowMode::Open);
                                self.campaign_form.path = text;
                            }
                            PickTarget::NewCampaign => {
                                self.campaign_form.show(CampaignWindowMode::New);
                                self.campaign_form.path = text;
                            }
                        }
                    }
                }
                JobPoll::Lost => self.pick = None,
            }
        }
    }

    fn finish(&mut self, outcome: JobOutcome) {
        match outcome {
            JobOutcome::Loaded(Ok(view)) => {
                self.status = format!("Opened {}", file_name_of(&view.path));
                self.set_view(view, true);
                self.last_report = None;
                self.last_import_error = None;
            }
            JobOutcome::Loaded(Err(e)) => {
                self.status = "Could not open the campaign.".to_owned();
                self.error = Some(format!("Could not open the campaign: {e}"));
            }
            JobOutcome::Imported { kind, file, result } => match result {
                Ok((report, view)) => {
                    self.status =
                        format!("Imported {} from {}", kind.log_kind(), file_name_of(&file));
                    self.last_report = Some(ReportView {
                        kind: kind.log_kind().to_owned(),
                        file: file.display().to_string(),
                        imported_at: None,
                        report,
                    });
                    self.last_import_error = None;
                    // Results and addresses do not move precincts: keep the user's view then.
                    self.set_view(view, kind == ImportKind::Precincts);
                }
                Err(ModelError::Cancelled) => {
                    self.status = "Import cancelled; the campaign is unchanged.".to_owned();
                }
                Err(e) => {
                    self.status = format!("Import of {} failed.", file_name_of(&file));
                    self.last_import_error = Some(e.to_string());
                }
            },
        }
    }

    fn set_view(&mut self, mut view: CampaignView, refit: bool) {
        let layer = std::mem::take(&mut view.layer);
        self.map.set_layer(layer, refit);
        if self
            .selected_fid
            .is_some_and(|fid| self.map.layer.by_fid(fid).is_none())
        {
            self.selected_fid = None;
        }
        self.campaign = Some(view);
    }
}

/// Key of the saved [`UiPrefs`] in eframe's storage.
pub const PREFS_KEY: &str = "porte_ui_prefs";

impl eframe::App for PorteApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        PorteApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// "Porte — paris-sample.gpkg", or "Porte" before a campaign is open.
pub fn window_title(campaign_path: Option<&Path>) -> String {
    match campaign_path {
        Some(path) => format!("Porte — {}", file_name_of(path)),
        None => "Porte".to_owned(),
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Shows the system file dialog (xdg portal or zenity); `None` when cancelled or unavailable.
/// Runs on a job thread so the window keeps repainting.
fn pick_file_blocking(target: PickTarget) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new();
    match target {
        PickTarget::ImportFile(ImportKind::Precincts) => dialog
            .set_title("Import precincts")
            .add_filter("Precinct boundaries", &["shp", "geojson", "json", "gpkg"])
            .add_filter("All files", &["*"])
            .pick_file(),
        PickTarget::ImportFile(ImportKind::Results) => dialog
            .set_title("Import results")
            .add_filter("CSV", &["csv", "txt", "tsv"])
            .add_filter("All files", &["*"])
            .pick_file(),
        PickTarget::ImportFile(ImportKind::Addresses) => dialog
            .set_title("Import addresses")
            .add_filter("Addresses", &["csv", "gz", "pbf"])
            .add_filter("All files", &["*"])
            .pick_file(),
        PickTarget::OpenCampaign => dialog
            .set_title("Open campaign")
            .add_filter("Porte campaign", &["gpkg"])
            .pick_file(),
        PickTarget::NewCampaign => dialog
            .set_title("New campaign")
            .set_file_name("campaign.gpkg")
            .add_filter("Porte campaign", &["gpkg"])
            .save_file(),
    }
}
