//! The application: saved UI preferences kept apart from runtime state, one frame's layout
//! (menu, status bar, side panel, map, windows), and the application of the frame's
//! [`Command`]s once the UI is built. Constructible without eframe, so egui_kittest drives it.

use std::path::{Path, PathBuf};

use egui::{Context, Ui, ViewportCommand};
use serde::{Deserialize, Serialize};

use crate::model::Campaign;
use crate::model::ModelError;
use crate::model::scoring::variables::priority_score;
use crate::model::scoring::{Legend, ScoreResult, ShareOf, variable_values};
use crate::model::turfs::{CutReport, Turf};
use crate::ui::command::{Command, ImportKind, PickTarget, RightTab};
use crate::ui::figures::{
    ColourChoice, Colouring, PrecinctFigures, Variable, classify_values, coverage_colouring,
    coverage_title, turf_coverage_styles,
};
use crate::ui::i18n::{Lang, Strings, fill};
use crate::ui::jobs::{Job, JobPoll};
use crate::ui::map::basemap::BasemapChoice;
use crate::ui::map::route_layer::RouteLayer;
use crate::ui::map::team_layer::TeamLayer;
use crate::ui::map::turf_tool::TurfToolEvent;
use crate::ui::map::{MapView, PrecinctShape};
use crate::ui::panels::campaign_window::{CampaignForm, CampaignWindowMode, campaign_window_ui};
use crate::ui::panels::contacts::{ContactsCommand, ContactsEnv, ContactsUi, contacts_panel_ui};
use crate::ui::panels::dashboard::{DashboardWindow, dashboard_window_ui};
use crate::ui::panels::export_window::{ExportSource, ExportWindow, export_window_ui};
use crate::ui::panels::import_report::{ReportView, import_report_panel_ui};
use crate::ui::panels::import_window::{ImportForm, import_window_ui};
use crate::ui::panels::legend::{ColourPanel, colour_value_line, map_colours_ui};
use crate::ui::panels::menu_bar::{MenuState, menu_bar_ui};
use crate::ui::panels::operation_window::{MeetingLookup, operation_window_ui};
use crate::ui::panels::operations::{
    OperationCommand, OperationPanelData, OperationsState, operations_panel_ui,
};
use crate::ui::panels::person_window::{PersonCommand, PersonEnv, PersonWindow, person_window_ui};
use crate::ui::panels::precinct_table::{TableData, TableState, precinct_table_ui};
use crate::ui::panels::priority::{PriorityDraft, explain_ui, priority_window_ui};
use crate::ui::panels::results::{ResultsPanel, ResultsPanelData, results_panel_ui};
use crate::ui::panels::roster::{RosterEnv, RosterPanelData, VolunteersUi, roster_panel_ui};
use crate::ui::panels::route_panel::{RouteCommand, RoutePanel, RouteRequest, route_section_ui};
use crate::ui::panels::sheets_window::{SheetsWindow, sheets_window_ui};
use crate::ui::panels::status_bar::{JobStatus, status_bar_ui};
use crate::ui::panels::summary::summary_ui;
use crate::ui::panels::turfs::{TurfPanelData, TurfPanelState, turf_panel_ui};
use crate::ui::tasks::{self, CampaignSource, CampaignView, JobOutcome};

mod contacts;
mod coverage;
mod field_results;
mod operations;

/// UI preferences worth saving between sessions (layout choices), as opposed to runtime state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    pub side_panel_visible: bool,
    /// Width of the side panel, in points.
    pub side_panel_width: f32,
    pub table_visible: bool,
    /// Width of the precinct table panel, in points.
    pub table_width: f32,
    /// The UI language; `None` follows the system locale.
    pub lang: Option<Lang>,
    /// What is drawn under the campaign layers (View › Basemap).
    pub basemap: BasemapChoice,
}

impl Default for UiPrefs {
    fn default() -> Self {
        UiPrefs {
            side_panel_visible: true,
            side_panel_width: 380.0,
            table_visible: true,
            table_width: 470.0,
            lang: None,
            basemap: BasemapChoice::CampaignOnly,
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
    /// File › Export map… (its own dialog and export jobs).
    export_window: ExportWindow,
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
    /// The system locale's language (read once).
    system_lang: Lang,
    table: TableState,
    /// What colours the map, and the election the table and colours read.
    colour: ColourChoice,
    election: Option<usize>,
    /// The classified map (legend and colours), recomputed only when the choice changes.
    colouring: Option<Colouring>,
    /// Why the map could not be coloured (e.g. bad manual breaks, no blocs).
    colour_error: Option<String>,
    /// Priority and coverage side by side (the left map's layer and colours, the gaps).
    compare: crate::ui::map::compare::CompareView,
    /// Candidates of the chosen election, and whether it has saved blocs.
    share_options: Vec<ShareOf>,
    blocs_saved: bool,
    /// A colour change waiting for the running job (which writes the campaign) to end.
    recolor_pending: bool,
    /// Until the user picks map colours, a campaign with a camp opens on its priority map.
    colours_chosen: bool,
    /// Bumped each time the campaign view is replaced (the table re-sorts then).
    view_generation: u64,
    /// The "Blocs and weights" window's form.
    priority: PriorityDraft,
    /// The model's priority score of the chosen election (explain view), when it has blocs.
    score: Option<Result<ScoreResult, String>>,
    /// Best priority rank of each turf's precincts, from `score` (read again when the turfs or
    /// the score change, not per frame).
    turf_ranks: std::collections::HashMap<i64, usize>,
    /// What the right-hand panel shows: the precinct table or the turf panel.
    right_tab: RightTab,
    selected_turf: Option<i64>,
    turf_panel: TurfPanelState,
    /// The last turf edit's notice (clipped, repaired) or refusal.
    turf_notice: Option<String>,
    /// The last auto-cut's quality report.
    last_cut: Option<CutReport>,
    /// The operation shown in the Operations tab and on the map (teams, meeting point).
    selected_operation: Option<i64>,
    /// The Operations tab: operations and roster as read, suggestion, the operation window.
    operations: OperationsState,
    /// The Volunteers tab, the volunteer window and the messages window.
    volunteers: VolunteersUi,
    /// The selected turf's route section: options, the routing job, the last route.
    route: RoutePanel,
    /// The Operations tab's "Walk sheets" window and its export job.
    sheets: SheetsWindow,
    /// The Results tab: the tally form and the dashboard totals.
    results: ResultsPanel,
    /// The Dashboard window: totals, goals, charts, tables and their exports.
    dashboard: DashboardWindow,
    /// The Contacts tab, the contact window and the contacts export window.
    contacts: ContactsUi,
    /// The "Person's data" window (right of access and erasure).
    person: PersonWindow,
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
            export_window: ExportWindow::default(),
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
            system_lang: Lang::from_system(),
            table: TableState::default(),
            colour: ColourChoice::default(),
            election: None,
            colouring: None,
            colour_error: None,
            compare: Default::default(),
            share_options: Vec::new(),
            blocs_saved: false,
            recolor_pending: false,
            colours_chosen: false,
            view_generation: 0,
            priority: PriorityDraft::default(),
            score: None,
            turf_ranks: Default::default(),
            right_tab: RightTab::default(),
            selected_turf: None,
            turf_panel: TurfPanelState::default(),
            turf_notice: None,
            last_cut: None,
            selected_operation: None,
            operations: OperationsState::default(),
            volunteers: VolunteersUi::default(),
            route: RoutePanel::default(),
            sheets: SheetsWindow::default(),
            results: ResultsPanel::default(),
            dashboard: DashboardWindow::default(),
            contacts: ContactsUi::default(),
            person: PersonWindow::default(),
        }
    }

    /// The UI language: the user's choice, else the system locale's.
    pub fn lang(&self) -> Lang {
        self.prefs.lang.unwrap_or(self.system_lang)
    }

    fn t(&self) -> &'static Strings {
        self.lang().strings()
    }

    /// The precinct table's state (row order, search, sort).
    pub fn table(&self) -> &TableState {
        &self.table
    }

    /// Codes of the table's rows, in the order shown (as of the last frame).
    pub fn table_codes(&self) -> Vec<&str> {
        self.table
            .order()
            .iter()
            .map(|&i| self.map.layer.shapes[i].code.as_str())
            .collect()
    }

    pub fn variable(&self) -> Variable {
        self.colour.variable
    }

    /// The "Map colours" choice.
    pub fn colour_choice(&self) -> &ColourChoice {
        &self.colour
    }

    /// The model's legend of the coloured map.
    pub fn legend(&self) -> Option<&Legend> {
        self.colouring.as_ref().map(|c| &c.legend)
    }

    /// Why the map could not be coloured.
    pub fn colour_error(&self) -> Option<&str> {
        self.colour_error.as_deref()
    }

    /// The coloured map (legend, colours, values; the coverage's figures).
    pub fn colouring(&self) -> Option<&Colouring> {
        self.colouring.as_ref()
    }

    /// Priority and coverage side by side: on/off, the priority colours, the gaps.
    pub fn compare(&self) -> &crate::ui::map::compare::CompareView {
        &self.compare
    }

    /// The "Blocs and weights" window's form (open, draft blocs, the model's last refusal).
    pub fn priority_draft(&self) -> &PriorityDraft {
        &self.priority
    }

    /// The model's priority score of the chosen election, as the explain view shows it.
    pub fn priority_result(&self) -> Option<&Result<ScoreResult, String>> {
        self.score.as_ref()
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

    /// The campaign's turfs, as last read from the model.
    pub fn turfs(&self) -> &[Turf] {
        self.campaign.as_ref().map_or(&[], |v| v.turfs.as_slice())
    }

    pub fn selected_turf(&self) -> Option<i64> {
        self.selected_turf
    }

    /// The last turf edit's notice or refusal.
    pub fn turf_notice(&self) -> Option<&str> {
        self.turf_notice.as_deref()
    }

    /// The last auto-cut's report.
    pub fn last_cut(&self) -> Option<&CutReport> {
        self.last_cut.as_ref()
    }

    pub fn right_tab(&self) -> RightTab {
        self.right_tab
    }

    /// The operation shown in the Operations tab and on the map.
    pub fn selected_operation(&self) -> Option<i64> {
        self.selected_operation
    }

    /// The Operations tab's state: operations and roster as last read, coverage, suggestion.
    pub fn operations(&self) -> &OperationsState {
        &self.operations
    }

    /// The Results tab: the tally form, the model's last refusal, the totals as last read.
    pub fn results_panel(&self) -> &ResultsPanel {
        &self.results
    }

    /// The Dashboard window: the dashboard as last read, the goal editor, the exports.
    pub fn dashboard_window(&self) -> &DashboardWindow {
        &self.dashboard
    }

    /// The Contacts tab (contacts as read, filter, rows shown), the contact and export windows.
    pub fn contacts(&self) -> &ContactsUi {
        &self.contacts
    }

    /// The "Person's data" window: its fields, the last report and erasure.
    pub fn person_window(&self) -> &PersonWindow {
        &self.person
    }

    /// The route section: its options, the running route job, the last route.
    pub fn route_panel(&self) -> &RoutePanel {
        &self.route
    }

    /// The "Walk sheets" window: its form, the running export, what the last one wrote.
    pub fn sheets_window(&self) -> &SheetsWindow {
        &self.sheets
    }

    /// The Volunteers tab's roster, filter and rows, and the volunteer and messages windows.
    pub fn volunteers(&self) -> &VolunteersUi {
        &self.volunteers
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
        if let Some(status) = self.route.poll(self.t()) {
            self.status = status;
            self.map.route = self.route.route().map(RouteLayer::new).unwrap_or_default();
        }
        self.poll_person();
        self.update_title(&ctx);
        if let Some(view) = &self.campaign {
            // The roster is read (again) only while the tab or a volunteers window shows it.
            let shown = self.prefs.table_visible && self.right_tab == RightTab::Volunteers;
            let t = self.lang().strings();
            self.volunteers
                .refresh(t, &view.path, self.selected_operation, shown);
            self.dashboard.refresh(t, &view.path);
            if self.prefs.table_visible && self.right_tab == RightTab::Results {
                self.results.refresh(&view.path);
            }
            let contacts_shown = self.prefs.table_visible && self.right_tab == RightTab::Contacts;
            self.contacts.refresh(&view.path, contacts_shown);
        }

        let mut commands = std::mem::take(&mut self.queued);
        let has_campaign = self.campaign.is_some();
        // Ctrl+Z / Ctrl+Shift+Z undo and redo turf edits, unless a text field has the keys.
        if has_campaign && !ctx.egui_wants_keyboard_input() {
            let z = |m| egui::KeyboardShortcut::new(m, egui::Key::Z);
            let (redo, undo) = ctx.input_mut(|i| {
                (
                    i.consume_shortcut(&z(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT)),
                    i.consume_shortcut(&z(egui::Modifiers::COMMAND)),
                )
            });
            if redo {
                commands.push(Command::RedoTurfEdit);
            } else if undo {
                commands.push(Command::UndoTurfEdit);
            }
        }
        let busy = self.job.is_some();
        let t = self.t();

        egui::Panel::top("menu bar").show(ui, |ui| {
            let state = MenuState {
                has_campaign,
                has_selection: self.selected_fid.is_some(),
                side_panel_visible: &mut self.prefs.side_panel_visible,
                table_visible: &mut self.prefs.table_visible,
                lang_choice: self.prefs.lang,
                basemap: &self.prefs.basemap,
                compare: self.compare.on,
            };
            menu_bar_ui(ui, t, state, &mut commands);
        });

        let job_status = self.job.as_ref().map(|job| JobStatus {
            label: job.label.clone(),
            stage: job.stage(),
            fraction: job.fraction(),
            cancel_requested: job.is_cancel_requested(),
        });
        let zoom = self.map.layer.bbox_wgs84.map(|_| self.map.zoom());
        egui::Panel::bottom("status bar").show(ui, |ui| {
            status_bar_ui(
                ui,
                t,
                job_status.as_ref(),
                &self.status,
                zoom,
                &mut commands,
            );
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

        if self.prefs.table_visible
            && let Some(view) = &self.campaign
            && !self.map.layer.shapes.is_empty()
        {
            let response = egui::Panel::right("precinct table")
                .resizable(true)
                .default_size(self.prefs.table_width)
                .size_range(260.0..=720.0)
                .show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    ui.horizontal_wrapped(|ui| {
                        for (tab, label) in [
                            (RightTab::Precincts, t.precincts_tab),
                            (RightTab::Turfs, t.turfs_tab),
                            (RightTab::Operations, t.operations_tab),
                            (RightTab::Volunteers, t.volunteers_tab),
                            (RightTab::Results, t.results_tab),
                            (RightTab::Contacts, t.contacts_tab),
                        ] {
                            if ui.selectable_label(self.right_tab == tab, label).clicked() {
                                commands.push(Command::ShowRightTab(tab));
                            }
                        }
                    });
                    ui.separator();
                    match self.right_tab {
                        RightTab::Precincts => {
                            let data = TableData {
                                layer: &self.map.layer,
                                figures: &view.figures,
                                election: self.election,
                                generation: self.view_generation,
                                selected_fid: self.selected_fid,
                            };
                            precinct_table_ui(ui, t, &mut self.table, &data, &mut commands);
                        }
                        RightTab::Turfs => {
                            let selected_precinct = self
                                .selected_fid
                                .and_then(|fid| self.map.layer.by_fid(fid))
                                .map(|s| s.code.as_str());
                            let data = TurfPanelData {
                                turfs: &view.turfs,
                                selected_turf: self.selected_turf,
                                drawing: self.map.tool.mode
                                    == crate::ui::map::turf_tool::ToolMode::Draw,
                                snapping: self.map.snap_turf_vertices,
                                history: &view.turf_history,
                                selected_precinct,
                                notice: self.turf_notice.as_deref(),
                                last_cut: self.last_cut.as_ref(),
                                busy,
                                has_priority: self.blocs_saved,
                            };
                            let selected_turf = self
                                .selected_turf
                                .and_then(|id| view.turfs.iter().find(|t| t.id == id));
                            egui::ScrollArea::vertical().show(ui, |ui| {
                                turf_panel_ui(ui, t, &mut self.turf_panel, &data, &mut commands);
                                if let Some(turf) = selected_turf {
                                    ui.separator();
                                    route_section_ui(ui, t, &mut self.route, turf, &mut commands);
                                }
                            });
                        }
                        RightTab::Results => {
                            // The selected operation's date when it holds the turf, else the
                            // last operation's that does.
                            let holds_turf = |op: &&crate::model::operations::Operation| {
                                self.selected_turf.is_some_and(|t| op.turf_ids.contains(&t))
                            };
                            let operation_date = self
                                .selected_operation
                                .and_then(|id| self.operations.operation(id))
                                .filter(holds_turf)
                                .or_else(|| {
                                    self.operations
                                        .operations
                                        .iter()
                                        .filter(holds_turf)
                                        .max_by_key(|op| op.date)
                                })
                                .map(|op| op.date);
                            // The selected turf's route, when routed: the door entry's order.
                            let walk_order: Option<Vec<i64>> = self
                                .route
                                .route()
                                .filter(|r| Some(r.turf_id) == self.selected_turf)
                                .map(|r| r.stops.iter().map(|s| s.address_fid).collect());
                            let data = ResultsPanelData {
                                turfs: &view.turfs,
                                selected_turf: self.selected_turf,
                                operation_date,
                                campaign_path: Some(view.path.as_path()),
                                walk_order: walk_order.as_deref(),
                            };
                            egui::ScrollArea::vertical().show(ui, |ui| {
                                results_panel_ui(ui, t, &mut self.results, &data, &mut commands);
                            });
                        }
                        RightTab::Contacts => {
                            contacts_panel_ui(ui, t, &mut self.contacts.tab, &mut commands);
                        }
                        RightTab::Volunteers => {
                            let data = RosterPanelData {
                                selected_operation: self.selected_operation,
                                busy,
                                campaign_path: &view.path,
                            };
                            roster_panel_ui(
                                ui,
                                t,
                                &mut self.volunteers.roster,
                                &data,
                                &mut commands,
                            );
                        }
                        RightTab::Operations => {
                            let data = OperationPanelData {
                                turfs: &view.turfs,
                                selected_operation: self.selected_operation,
                                selected_turf: self.selected_turf,
                                turf_ranks: &self.turf_ranks,
                            };
                            // The selected turf's route, when it is one of the operation's turfs.
                            let route_turf = self
                                .selected_operation
                                .and_then(|id| self.operations.operation(id))
                                .and_then(|op| {
                                    let id = self.selected_turf?;
                                    op.turf_ids.contains(&id).then_some(id)
                                })
                                .and_then(|id| view.turfs.iter().find(|t| t.id == id));
                            egui::ScrollArea::vertical().show(ui, |ui| {
                                operations_panel_ui(
                                    ui,
                                    t,
                                    &mut self.operations,
                                    &data,
                                    &mut commands,
                                );
                                if let Some(turf) = route_turf {
                                    ui.separator();
                                    route_section_ui(ui, t, &mut self.route, turf, &mut commands);
                                }
                            });
                        }
                    }
                });
            self.prefs.table_width = response.response.rect.width();
        }

        egui::CentralPanel::no_frame()
            .frame(egui::Frame::NONE.fill(ui.visuals().extreme_bg_color))
            .show(ui, |ui| {
                if let Some(view) = &self.campaign {
                    let selected = self.selected_fid;
                    let (figures, election) = (&view.figures, self.election);
                    let colouring = self.colouring.as_ref();
                    let tooltip = |i: usize| {
                        colour_value_line(t, colouring, i)
                            .into_iter()
                            .chain(figure_lines(t, figures, election, i))
                            .collect::<Vec<_>>()
                            .join("\n")
                    };
                    self.map.set_basemap(&self.prefs.basemap, ui.ctx());
                    self.map.turfs_editable =
                        self.prefs.table_visible && self.right_tab == RightTab::Turfs;
                    self.map.teams.visible = self.selected_operation.is_some();
                    // The route layer is rebuilt with each route; the pick mode is the panel's.
                    self.map.route.picking_start = self.route.picking_start;
                    if self.compare.on {
                        let figure_lines = |i: usize| figure_lines(t, figures, election, i);
                        let right_caption = fill(
                            t.compare_coverage_caption,
                            &[&colouring.map_or_else(
                                || self.colour.variable.label(t).to_owned(),
                                |c| match &c.coverage {
                                    Some(cov) => coverage_title(t, cov.since),
                                    None => c.variable.label(t).to_owned(),
                                },
                            )],
                        );
                        let frame = crate::ui::map::compare::CompareFrame {
                            selected_fid: selected,
                            right_colouring: colouring,
                            right_caption,
                            figure_lines: &figure_lines,
                            right_tooltip: &tooltip,
                        };
                        commands.extend(crate::ui::map::compare::compare_ui(
                            ui,
                            t,
                            &mut self.compare,
                            &mut self.map,
                            &frame,
                        ));
                    } else {
                        commands.extend(self.map.map_ui(ui, selected, &tooltip, t));
                    }
                    if self.prefs.table_visible && self.right_tab == RightTab::Volunteers {
                        self.volunteers.homes_on_map_ui(ui, &self.map);
                    }
                } else {
                    ui.centered_and_justified(|ui| {
                        if busy {
                            ui.spinner();
                        } else {
                            ui.weak(t.no_campaign_hint);
                        }
                    });
                }
            });

        import_window_ui(
            &ctx,
            t,
            &mut self.import_form,
            busy,
            has_campaign,
            &mut commands,
        );
        campaign_window_ui(&ctx, t, &mut self.campaign_form, busy, &mut commands);
        if let Some(status) = self.export_window.poll(t) {
            self.status = status;
        }
        let coloured = self.colouring.is_some();
        export_window_ui(&ctx, t, &mut self.export_window, coloured, &mut commands);
        priority_window_ui(&ctx, t, &mut self.priority, busy, &mut commands);
        operation_window_ui(&ctx, t, &mut self.operations.window, &mut commands);
        if let Some(status) = self.sheets.poll(t) {
            self.status = status;
        }
        sheets_window_ui(&ctx, t, &mut self.sheets, &mut commands);
        self.results.import.poll();
        crate::ui::panels::results_import_window::results_import_window_ui(
            &ctx,
            t,
            &mut self.results.import,
            &self.operations.operations,
            has_campaign,
            &mut commands,
        );
        let lang = self.lang();
        let campaign_path = self.campaign.as_ref().map(|v| v.path.as_path());
        if let Some(status) = self.dashboard.poll(&ctx, t, lang, campaign_path) {
            self.status = status;
        }
        dashboard_window_ui(&ctx, t, &mut self.dashboard, &mut commands);
        let turfs = self
            .campaign
            .as_ref()
            .map_or(&[][..], |v| v.turfs.as_slice());
        self.volunteers.windows_ui(&ctx, t, turfs, &mut commands);
        self.contacts.windows_ui(&ctx, t, &mut commands);
        person_window_ui(&ctx, t, &mut self.person, &mut commands);
        if let Some(error) = &self.error {
            egui::Window::new(t.error_title)
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(&ctx, |ui| {
                    ui.label(error);
                    if ui.button(t.ok).clicked() {
                        commands.push(Command::DismissError);
                    }
                });
        }

        for command in commands {
            self.apply(&ctx, command);
        }
    }

    fn side_panel_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let t = self.t();
        match &self.campaign {
            Some(view) => {
                let selected = self.selected_fid.and_then(|fid| {
                    let i = self.map.layer.index_of_fid(fid)?;
                    let lines = colour_value_line(t, self.colouring.as_ref(), i)
                        .into_iter()
                        .chain(figure_lines(t, &view.figures, self.election, i))
                        .collect();
                    Some((&self.map.layer.shapes[i], lines))
                });
                summary_ui(ui, t, &view.info, selected, commands);
                if let (Some(code), Some(score)) = (self.selected_code(), &self.score) {
                    explain_ui(ui, t, score, code);
                }
                ui.separator();
                let panel = ColourPanel {
                    choice: &self.colour,
                    election: self.election,
                    elections: &view.figures.elections,
                    share_options: &self.share_options,
                    blocs_saved: self.blocs_saved,
                    campaign_path: &view.path,
                    colouring: self.colouring.as_ref(),
                    error: self.colour_error.as_deref(),
                    compare: self.compare.on,
                };
                map_colours_ui(ui, t, &panel, commands);
                ui.separator();
                import_report_panel_ui(
                    ui,
                    t,
                    self.last_report.as_ref(),
                    self.last_import_error.as_deref(),
                    &view.import_log,
                );
            }
            None => {
                ui.heading(t.campaign);
                ui.weak(if self.job.is_some() {
                    t.loading
                } else {
                    t.no_campaign
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
        let t = self.t();
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
                    self.error = Some(t.open_before_import.to_owned());
                    return;
                };
                let kind = request.kind();
                let file = request.file().clone();
                let label = fill(t.importing, &[&t.kind_name(kind.log_kind())]);
                self.status = fill(t.status_from, &[&label, &file.display()]);
                let lang = self.lang();
                self.job = Some(Job::spawn(label, ctx, move |progress| {
                    JobOutcome::Imported {
                        kind,
                        file,
                        result: tasks::run_import(&campaign_path, &request, lang, progress),
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
            Command::ZoomToSelection => {
                if let Some(bbox) = self.selected_shape().and_then(|s| s.bbox_wgs84) {
                    self.map.request_fit_bbox(bbox);
                }
            }
            Command::ShowVariable(variable) => {
                self.colour.set_variable(variable);
                self.colours_chosen = true;
                self.recolor();
            }
            Command::SetColours(choice) => {
                self.colour = choice;
                self.colours_chosen = true;
                self.recolor();
            }
            Command::SetCompare(on) => {
                self.compare.on = on;
                // The maps change width: fit the campaign in the new view.
                self.map.request_fit();
                if on {
                    // The right map is the coverage.
                    self.colour.set_variable(Variable::Coverage);
                    self.colours_chosen = true;
                }
                self.recolor();
            }
            Command::ChooseElection(i) => {
                self.election = Some(i);
                self.recolor();
                if self.priority.open {
                    self.load_priority_draft();
                }
            }
            Command::ShowPriorityEditor => self.load_priority_draft(),
            Command::SaveBlocs { election, blocs } => {
                let notice = fill(t.blocs_saved_notice, &[&election]);
                self.save_priority(notice, |c| c.save_blocs(&election, &blocs));
            }
            Command::SaveScoreSettings(settings) => {
                let notice = t.settings_saved_notice.to_owned();
                self.save_priority(notice, |c| c.save_scoring_settings(&settings));
            }
            Command::ShowExportMap => self.export_window.show(self.colour.variable.label(t)),
            Command::BrowseExportMap => self.export_window.browse(ctx, t),
            Command::ExportMap(request) => {
                let source = self.export_source();
                self.export_window.start(ctx, t, request, source);
            }
            Command::SetLanguage(lang) => self.prefs.lang = lang,
            Command::SetBasemap(choice) => self.prefs.basemap = choice,
            Command::ShowRightTab(tab) => {
                self.right_tab = tab;
                if tab != RightTab::Turfs {
                    self.map.tool.stop();
                }
                if tab == RightTab::Volunteers {
                    self.volunteers.roster.stale = true;
                }
                if tab == RightTab::Results {
                    self.results.stale = true;
                }
                if tab == RightTab::Contacts {
                    self.contacts.tab.stale = true;
                }
                if tab == RightTab::Operations || tab == RightTab::Volunteers {
                    // Both tabs work on an operation (the roster's "within N km of the meeting
                    // point"): the next one to come is selected when none is.
                    self.reload_operations();
                    if self.selected_operation.is_none() {
                        let today = crate::model::export::today_utc();
                        let ops = &self.operations.operations;
                        let next = ops
                            .iter()
                            .find(|op| op.date.to_string() >= today)
                            .or(ops.last());
                        if let Some(op) = next {
                            self.apply_operation(OperationCommand::Select(Some(op.id)));
                        }
                    }
                }
            }
            Command::SelectTurf(id) => {
                self.selected_turf = id;
                self.map.set_selected_turf(id);
            }
            Command::StartDrawingTurf => {
                self.right_tab = RightTab::Turfs;
                self.prefs.table_visible = true;
                self.map.tool.start_drawing();
            }
            Command::StopDrawingTurf => self.map.tool.stop(),
            Command::SetTurfSnapping(on) => self.map.snap_turf_vertices = on,
            Command::TurfTool(event) => self.apply_turf_tool(event),
            Command::UndoTurfEdit => {
                self.edit_turfs(|c, t| {
                    Ok(match c.undo_turf_edit()? {
                        Some(label) => (Some(fill(t.undone, &[&label])), None),
                        None => (Some(t.nothing_to_undo.to_owned()), None),
                    })
                });
            }
            Command::RedoTurfEdit => {
                self.edit_turfs(|c, t| {
                    Ok(match c.redo_turf_edit()? {
                        Some(label) => (Some(fill(t.redone, &[&label])), None),
                        None => (Some(t.nothing_to_redo.to_owned()), None),
                    })
                });
            }
            Command::RenameTurf(id, name) => {
                self.edit_turfs(|c, _| c.rename_turf(id, &name).map(|()| (None, None)));
            }
            Command::SetTurfStatus(id, status) => {
                self.edit_turfs(|c, _| c.set_turf_status(id, status).map(|()| (None, None)));
            }
            Command::SetTurfColour(id, colour) => {
                self.edit_turfs(|c, _| c.set_turf_colour(id, &colour).map(|()| (None, None)));
            }
            Command::DeleteTurf(id) => {
                self.edit_turfs(|c, _| c.delete_turf(id).map(|()| (None, None)));
            }
            Command::ZoomToTurf(id) => {
                if let Some(shape) = self.map.turfs.by_id(id) {
                    let bbox = shape.bbox_wgs84;
                    self.map.request_fit_bbox(bbox);
                }
                self.selected_turf = Some(id);
                self.map.set_selected_turf(Some(id));
            }
            Command::CutTurfs(form) => {
                if self.refuse_if_busy() {
                    return;
                }
                let Some(campaign_path) = self.campaign_path().map(Path::to_path_buf) else {
                    return;
                };
                self.map.tool.stop();
                self.status = t.cutting.to_owned();
                self.job = Some(Job::spawn(t.cutting, ctx, move |progress| {
                    JobOutcome::Cut(tasks::run_cut(&campaign_path, &form, progress))
                }));
            }
            Command::Operation(command) => {
                self.apply_operation(command);
                // The roster's copy of the operations (meeting points, teams) may have changed.
                self.volunteers.roster.stale = true;
            }
            Command::Roster(command) => {
                let env = RosterEnv {
                    campaign_path: self.campaign.as_ref().map(|v| v.path.as_path()),
                    running_job: self.job.as_ref().map(|j| j.label.as_str()),
                    selected_operation: self.selected_operation,
                };
                if let Some(status) = self.volunteers.apply(ctx, t, command, &env) {
                    self.status = status;
                    // A volunteer saved or deleted: the Operations tab reads the roster too.
                    self.reload_operations();
                }
            }
            Command::Route(command) => self.apply_route(ctx, command),
            Command::Sheets(command) => {
                let path = self.campaign_path().map(Path::to_path_buf);
                let operations = &self.operations;
                let lang = self.lang();
                self.sheets.apply(ctx, t, lang, command, path, |id| {
                    operations.operation(id).map(|op| op.name.clone())
                });
            }
            Command::RecordTally(tally) => self.record_tally(tally),
            Command::RecordVisit(record) => self.record_visit(*record),
            Command::ResultTheme(command) => self.apply_result_theme(command),
            Command::ResultsImport(command) => self.apply_results_import(ctx, command),
            Command::Dashboard(command) => {
                let path = self.campaign_path().map(Path::to_path_buf);
                let running = self.job.as_ref().map(|j| j.label.clone());
                let lang = self.lang();
                let running = running.as_deref();
                if let Some(status) = self.dashboard.apply(ctx, t, lang, command, path, running) {
                    self.status = status;
                }
            }
            Command::Contacts(command) => self.apply_contacts(ctx, command),
            Command::Person(command) => self.apply_person(ctx, command),
            Command::DismissError => self.error = None,
            Command::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
        }
    }

    /// Applies a command of the route section: routing (read only, its own job, so it runs
    /// beside imports) starts at the selected operation's meeting point when the turf is in it.
    fn apply_route(&mut self, ctx: &Context, command: RouteCommand) {
        let t = self.t();
        match command {
            RouteCommand::Compute(turf_id) => {
                let Some(campaign_path) = self.campaign_path().map(Path::to_path_buf) else {
                    return;
                };
                self.selected_turf = Some(turf_id);
                self.map.set_selected_turf(Some(turf_id));
                let meeting = self
                    .selected_operation
                    .and_then(|id| self.operations.operation(id))
                    .filter(|op| op.turf_ids.contains(&turf_id))
                    .and_then(|op| Some((op.name.clone(), op.meeting_wgs84?)));
                let turf_name = self
                    .turfs()
                    .iter()
                    .find(|t| t.id == turf_id)
                    .map_or_else(|| format!("#{turf_id}"), |t| t.name.clone());
                // A start picked on the map wins over the meeting point.
                let picked = self.route.start_pick_wgs84;
                let meeting = if picked.is_some() { None } else { meeting };
                let options = self
                    .route
                    .options(picked.or(meeting.as_ref().map(|(_, p)| [p.x(), p.y()])));
                self.status = fill(t.route_running, &[&turf_name]);
                let request = RouteRequest {
                    campaign_path,
                    turf_id,
                    turf_name,
                    options,
                    operation_name: meeting.map(|(name, _)| name),
                    start_picked: picked.is_some(),
                };
                self.route.start(ctx, t, request);
            }
            RouteCommand::Cancel => {
                if let Some(status) = self.route.cancel(t) {
                    self.status = status;
                }
            }
            RouteCommand::Clear => {
                self.route.clear();
                self.map.route = RouteLayer::default();
            }
            RouteCommand::PickStart(on) => {
                self.route.picking_start = on;
                self.map.route.picking_start = on;
                if on {
                    self.status = t.route_picking_help.to_owned();
                }
            }
            RouteCommand::StartPicked(lonlat) => {
                self.route.picking_start = false;
                self.map.route.picking_start = false;
                self.route.start_pick_wgs84 = Some(lonlat);
                self.status = fill(
                    t.route_start_at,
                    &[&format!("{:.5}, {:.5}", lonlat[0], lonlat[1])],
                );
            }
            RouteCommand::ForgetStart => self.route.start_pick_wgs84 = None,
            RouteCommand::Export(format) => {
                let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
                    return;
                };
                let lang = match self.lang() {
                    crate::ui::i18n::Lang::Fr => crate::model::export::sheets::SheetLang::Fr,
                    crate::ui::i18n::Lang::En => crate::model::export::sheets::SheetLang::En,
                };
                // The walk list of a turf of the selected operation names it and its contact.
                let turf = self.route.route().map(|r| r.turf_id);
                let operation = self
                    .selected_operation
                    .and_then(|id| self.operations.operation(id))
                    .filter(|op| turf.is_some_and(|id| op.turf_ids.contains(&id)));
                self.status = self.route.export(t, format, &path, lang, operation);
            }
        }
    }

    /// Applies what the map's turf tool did: one undoable edit of the model each.
    fn apply_turf_tool(&mut self, event: TurfToolEvent) {
        use crate::model::turfs::VertexRef;
        use geo_types::Coord;
        let vr = |v: crate::ui::map::turf_tool::VertexRef| VertexRef {
            polygon: v.polygon,
            ring: v.ring,
            vertex: v.vertex,
        };
        let coord = |p: [f64; 2]| Coord { x: p[0], y: p[1] };
        self.edit_turfs(|c, _| {
            let outcome = match event {
                TurfToolEvent::Create { ring_wgs84 } => {
                    let ring: Vec<Coord<f64>> = ring_wgs84.into_iter().map(coord).collect();
                    c.create_turf(&ring, None)?
                }
                TurfToolEvent::MoveVertex {
                    turf_id,
                    vertex,
                    to_wgs84,
                } => c.move_turf_vertex(turf_id, vr(vertex), coord(to_wgs84))?,
                TurfToolEvent::InsertVertex {
                    turf_id,
                    after,
                    at_wgs84,
                } => c.insert_turf_vertex(turf_id, vr(after), coord(at_wgs84))?,
                TurfToolEvent::DeleteVertex { turf_id, vertex } => {
                    c.delete_turf_vertex(turf_id, vr(vertex))?
                }
                TurfToolEvent::Translate {
                    turf_id,
                    from_wgs84,
                    to_wgs84,
                } => c.translate_turf(
                    turf_id,
                    Coord {
                        x: to_wgs84[0] - from_wgs84[0],
                        y: to_wgs84[1] - from_wgs84[1],
                    },
                )?,
                TurfToolEvent::Cancelled => return Ok((None, None)),
            };
            Ok((outcome.notice, Some(outcome.turf_id)))
        });
    }

    /// Runs one turf edit on the campaign file (refused while a job writes it), keeps its
    /// notice (or refusal) for the turf panel, selects the turf it names, and reloads the turfs.
    fn edit_turfs(
        &mut self,
        edit: impl FnOnce(
            &mut Campaign,
            &'static Strings,
        ) -> Result<(Option<String>, Option<i64>), ModelError>,
    ) {
        let t = self.t();
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        if let Some(job) = &self.job {
            self.turf_notice = Some(fill(t.wait_for_job, &[&job.label]));
            return;
        }
        let mut campaign = match Campaign::open(&path) {
            Ok(c) => c,
            Err(e) => {
                self.turf_notice = Some(fill(t.turf_edit_failed, &[&e]));
                return;
            }
        };
        match edit(&mut campaign, t) {
            Ok((notice, select)) => {
                if let Some(n) = &notice {
                    self.status = n.clone();
                }
                self.turf_notice = notice;
                if select.is_some() {
                    self.selected_turf = select;
                }
            }
            Err(e) => self.turf_notice = Some(fill(t.turf_edit_failed, &[&e])),
        }
        if let Err(e) = self.reload_turfs(&campaign) {
            self.turf_notice = Some(fill(t.turf_edit_failed, &[&e]));
        }
    }

    /// Reads the turfs and the undo/redo history again (from the campaign the edit used) and
    /// rebuilds the turf layer.
    fn reload_turfs(&mut self, c: &Campaign) -> Result<(), ModelError> {
        let Some(view) = &mut self.campaign else {
            return Ok(());
        };
        view.turfs = c.turfs()?;
        view.turf_history = c.turf_history()?;
        show_turfs(&mut self.map, &mut self.selected_turf, &view.turfs);
        self.turf_ranks = turf_priority_ranks(&view.turfs, self.score.as_ref());
        // A route of a turf that is gone (deleted, undone) or whose doors changed (reshaped) is
        // not shown any more.
        let stale = self.route.route().is_some_and(|route| {
            view.turfs
                .iter()
                .find(|t| t.id == route.turf_id)
                .is_none_or(|turf| !route_covers(route, &turf.door_ids))
        });
        if stale {
            self.route.clear();
            self.map.route = RouteLayer::default();
        }
        self.refresh_team_layer();
        // Reshaped turfs hold other doors: their coverage colours are read again.
        if self
            .colouring
            .as_ref()
            .is_some_and(|c| c.coverage.is_some())
        {
            self.recolor_turfs(Some(c));
        }
        Ok(())
    }

    /// Opens the "Blocs and weights" window on the chosen election: its stored blocs and the
    /// stored score settings, read from the campaign file.
    fn load_priority_draft(&mut self) {
        let Some(view) = &self.campaign else {
            return;
        };
        let names: Vec<String> = view
            .figures
            .elections
            .iter()
            .map(|e| e.name.clone())
            .collect();
        let name = self.election.and_then(|i| names.get(i).cloned());
        let is_sample = crate::model::sample_campaign::is_sample_campaign(&view.path);
        let loaded = Campaign::open(&view.path).and_then(|c| {
            let Some(name) = &name else {
                return Ok(None);
            };
            Ok(Some((
                c.election(name)?,
                c.blocs(name)?,
                c.scoring_settings()?,
            )))
        });
        self.priority = match loaded {
            Ok(Some((e, blocs, settings))) => PriorityDraft::load(e, names, &blocs, settings),
            Ok(None) => PriorityDraft {
                open: true,
                ..PriorityDraft::default()
            },
            Err(e) => PriorityDraft {
                open: true,
                error: Some(e.to_string()),
                ..PriorityDraft::default()
            },
        };
        self.priority.is_sample = is_sample;
    }

    /// Saves from the "Blocs and weights" window (one transaction of the model, refused while a
    /// job writes the campaign); the model's refusal is shown in the window. After a save the
    /// window reloads what was stored and the map recolours.
    fn save_priority(
        &mut self,
        notice: String,
        save: impl FnOnce(&mut Campaign) -> Result<(), ModelError>,
    ) {
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        if let Some(job) = &self.job {
            self.priority.error = Some(fill(self.t().wait_for_job, &[&job.label]));
            return;
        }
        match Campaign::open(&path).and_then(|mut c| save(&mut c)) {
            Ok(()) => {
                self.load_priority_draft();
                self.priority.notice = Some(notice.clone());
                self.status = notice;
                self.recolor();
            }
            Err(e) => {
                self.priority.error = Some(e.to_string());
                self.priority.notice = None;
            }
        }
    }

    /// The map as currently shown, for File › Export map….
    fn export_source(&self) -> Option<ExportSource> {
        let view = self.campaign.as_ref()?;
        let variable = self.colouring.as_ref().map(|c| c.variable);
        Some(ExportSource {
            campaign_path: view.path.clone(),
            codes: self
                .map
                .layer
                .shapes
                .iter()
                .map(|s| s.code.clone())
                .collect(),
            colouring: self.colouring.clone(),
            election: variable
                .filter(|v| v.needs_election())
                .and(self.election)
                .and_then(|i| view.figures.elections.get(i))
                .map(|e| e.name.clone()),
        })
    }

    fn refuse_if_busy(&mut self) -> bool {
        if let Some(job) = &self.job {
            self.error = Some(fill(self.t().wait_for_job, &[&job.label]));
            true
        } else {
            false
        }
    }

    fn start_load(&mut self, ctx: &Context, source: CampaignSource) {
        let t = self.t();
        let label = match &source {
            CampaignSource::Sample => t.opening_sample.to_owned(),
            CampaignSource::File(path) => fill(t.opening, &[&file_name_of(path)]),
        };
        self.status = label.clone();
        let lang = self.lang();
        self.job = Some(Job::spawn(label, ctx, move |progress| {
            JobOutcome::Loaded(tasks::load_campaign(&source, lang, progress))
        }));
    }

    fn start_pick(&mut self, ctx: &Context, target: PickTarget) {
        if self.pick.is_some() {
            return; // one dialog at a time
        }
        let t = self.t();
        let job = Job::spawn(t.choosing_file, ctx, move |_| pick_file_blocking(t, target));
        self.pick = Some(PendingPick { target, job });
    }

    fn poll_jobs(&mut self, _ctx: &Context) {
        let t = self.t();
        if let Some(job) = &mut self.job {
            match job.poll() {
                JobPoll::Running => {}
                JobPoll::Done(outcome) => {
                    self.job = None;
                    self.finish(outcome);
                    if self.recolor_pending {
                        self.recolor();
                    }
                }
                JobPoll::Lost => {
                    self.job = None;
                    self.status = t.job_stopped.to_owned();
                    self.error = Some(t.job_stopped_error.to_owned());
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
                        self.status = t.no_file_chosen.to_owned();
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
                            PickTarget::BasemapFile => {
                                self.prefs.basemap = BasemapChoice::PmTiles(path);
                            }
                        }
                    }
                }
                JobPoll::Lost => self.pick = None,
            }
        }
    }

    fn finish(&mut self, outcome: JobOutcome) {
        let t = self.t();
        match outcome {
            JobOutcome::Loaded(Ok(view)) => {
                self.status = fill(t.opened, &[&file_name_of(&view.path)]);
                self.set_view(view, true);
                self.last_report = None;
                self.last_import_error = None;
            }
            JobOutcome::Loaded(Err(e)) => {
                self.status = t.could_not_open.to_owned();
                self.error = Some(fill(t.could_not_open_error, &[&e]));
            }
            JobOutcome::Imported { kind, file, result } => match result {
                Ok((report, view)) => {
                    self.status = fill(
                        t.imported_from,
                        &[&t.kind_name(kind.log_kind()), &file_name_of(&file)],
                    );
                    self.last_report = Some(ReportView {
                        kind: kind.log_kind().to_owned(),
                        file: file.display().to_string(),
                        imported_at: None,
                        report,
                    });
                    self.last_import_error = None;
                    // Results and addresses do not move precincts: keep the user's view then.
                    self.set_view(view, kind == ImportKind::Precincts);
                    if kind == ImportKind::Volunteers {
                        self.right_tab = RightTab::Volunteers;
                        self.prefs.table_visible = true;
                    }
                }
                Err(ModelError::Cancelled) => {
                    self.status = t.import_cancelled.to_owned();
                }
                Err(e) => {
                    self.status = fill(t.import_failed, &[&file_name_of(&file)]);
                    self.last_import_error = Some(e.to_string());
                }
            },
            JobOutcome::Cut(result) => match result {
                Ok((report, turfs, history)) => {
                    self.status = fill(t.cut_done, &[&report.turfs.len()]);
                    self.turf_notice = None;
                    self.last_cut = Some(report);
                    if let Some(view) = &mut self.campaign {
                        view.turfs = turfs;
                        view.turf_history = history;
                        self.map.set_turfs(&view.turfs);
                        self.turf_ranks = turf_priority_ranks(&view.turfs, self.score.as_ref());
                    }
                    // Replaced turfs leave the operations that covered them.
                    self.reload_operations();
                    // New turfs: the coverage map colours them.
                    if self
                        .colouring
                        .as_ref()
                        .is_some_and(|c| c.coverage.is_some())
                    {
                        self.recolor();
                    }
                }
                Err(ModelError::Cancelled) => self.status = t.cut_cancelled.to_owned(),
                Err(e) => {
                    self.status = fill(t.cut_failed, &[&e]);
                    self.turf_notice = Some(fill(t.cut_failed, &[&e]));
                }
            },
        }
    }

    fn set_view(&mut self, mut view: CampaignView, refit: bool) {
        let layer = std::mem::take(&mut view.layer);
        self.map.set_layer(layer, refit);
        self.map.set_addresses(std::mem::take(&mut view.addresses));
        self.map.streets = std::mem::take(&mut view.streets);
        show_turfs(&mut self.map, &mut self.selected_turf, &view.turfs);
        if self
            .selected_fid
            .is_some_and(|fid| self.map.layer.by_fid(fid).is_none())
        {
            self.selected_fid = None;
        }
        // Keep the chosen election when it still exists, else the newest.
        let n = view.figures.elections.len();
        self.election = match self.election {
            Some(i) if i < n => Some(i),
            _ => n.checked_sub(1),
        };
        self.campaign = Some(view);
        self.view_generation += 1;
        // Another campaign, or new doors or streets: the route shown, or being computed, is not
        // theirs.
        let _ = self.route.cancel(self.lang().strings());
        self.route.clear();
        self.map.route = RouteLayer::default();
        self.volunteers.roster.stale = true;
        self.results.stale = true;
        self.dashboard.stale = true;
        self.contacts.tab.stale = true;
        self.person.clear_results();
        self.reload_operations();
        self.recolor();
        if self.priority.open {
            self.load_priority_draft();
        }
    }

    /// Recomputes the map colours and the legend for the colour choice and the election (only
    /// when one of them changes, never per frame): the values from the model
    /// ([`variable_values`] on the campaign file), classified by the model, and handed to the map
    /// through its choropleth seam. Waits for a running job, which writes the campaign.
    fn recolor(&mut self) {
        let Some(view) = &self.campaign else {
            return;
        };
        if self.job.is_some() {
            self.recolor_pending = true;
            return;
        }
        self.recolor_pending = false;
        let t = self.t();
        let names: Vec<&str> = view
            .figures
            .elections
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        let election = self.election.and_then(|i| names.get(i).copied());
        let campaign = match Campaign::open(&view.path) {
            Ok(c) => Some(c),
            Err(e) => {
                self.colour_error = Some(e.to_string());
                None
            }
        };
        // The chosen election's candidates and blocs: what a share can measure.
        let (share_options, blocs_saved) = match (&campaign, election) {
            (Some(c), Some(name)) => {
                let blocs = c.blocs(name).unwrap_or_default();
                let candidates = c.election(name).map(|e| e.candidates).unwrap_or_default();
                let options: Vec<ShareOf> = candidates
                    .into_iter()
                    .map(|c| ShareOf::Candidate(c.label))
                    .chain(blocs.iter().map(|b| ShareOf::Bloc(b.name.clone())))
                    .collect();
                (options, !blocs.is_empty())
            }
            _ => (Vec::new(), false),
        };
        self.share_options = share_options;
        self.blocs_saved = blocs_saved;
        if !self.colours_chosen && blocs_saved && self.colour.variable == Variable::None {
            self.colour.variable = Variable::Priority;
        }
        // The explain view reads the same model result as the Priority colours.
        self.score = match (&campaign, election) {
            (Some(c), Some(name)) if blocs_saved => {
                Some(priority_score(c, Some(name)).map_err(|e| e.to_string()))
            }
            _ => None,
        };
        self.turf_ranks = turf_priority_ranks(&view.turfs, self.score.as_ref());
        // Defaults: the first candidate, the election before the chosen one.
        if self
            .colour
            .share_of
            .as_ref()
            .is_none_or(|c| !self.share_options.contains(c))
        {
            self.colour.share_of = self.share_options.first().cloned();
        }
        if self
            .colour
            .previous
            .is_none_or(|p| p >= names.len() || Some(p) == self.election)
        {
            self.colour.previous = (0..names.len())
                .rev()
                .find(|&i| self.election.is_some_and(|e| i < e))
                .or_else(|| (0..names.len()).find(|&i| Some(i) != self.election));
        }
        let choice = &self.colour;
        let values: Result<Option<Vec<Option<f64>>>, String> = match choice.variable {
            Variable::None => Ok(None),
            Variable::Doors => Ok(Some(
                view.figures
                    .doors
                    .iter()
                    .map(|d| d.map(|d| d as f64))
                    .collect(),
            )),
            // Coloured below with its figures (doors, knocked, last visit) and fixed classes.
            Variable::Coverage => Ok(None),
            Variable::Priority if !self.blocs_saved => Err(match election {
                Some(name) => fill(
                    t.priority_needs_blocs,
                    &[&name, &view.path.display(), &name],
                ),
                None => t.no_election_data.to_owned(),
            }),
            v => match (
                &campaign,
                v.model_variable(
                    election,
                    choice.share_of.as_ref(),
                    choice.previous.and_then(|i| names.get(i).copied()),
                ),
            ) {
                (Some(c), Some(variable)) => variable_values(c, &variable)
                    .map(|values| {
                        let by_code: std::collections::HashMap<String, Option<f64>> =
                            values.into_iter().collect();
                        Some(
                            self.map
                                .layer
                                .shapes
                                .iter()
                                .map(|s| by_code.get(&s.code).copied().flatten())
                                .collect(),
                        )
                    })
                    .map_err(|e| e.to_string()),
                _ => Ok(None),
            },
        };
        let colouring = match (&campaign, choice.variable) {
            (Some(c), Variable::Coverage) => {
                coverage::coverage_map_colouring(c, choice, &self.map.layer, t).map(Some)
            }
            _ => values.and_then(|v| v.map(|v| classify_values(&v, choice, t)).transpose()),
        };
        match colouring {
            Ok(Some(c)) => {
                self.map.set_fill_colors_rgb(&c.colors);
                self.colouring = Some(c);
                if campaign.is_some() {
                    self.colour_error = None;
                }
            }
            Ok(None) => {
                self.map.clear_fill_colors();
                self.colouring = None;
                if campaign.is_some() {
                    self.colour_error = None;
                }
            }
            Err(e) => {
                self.map.clear_fill_colors();
                self.colouring = None;
                self.colour_error = Some(e);
            }
        }
        let election = election.map(str::to_owned);
        self.recolor_turfs(campaign.as_ref());
        self.refresh_compare(campaign.as_ref(), election.as_deref());
    }
}

/// Best (lowest) priority rank among each turf's precincts, from the chosen election's score.
fn turf_priority_ranks(
    turfs: &[Turf],
    score: Option<&Result<ScoreResult, String>>,
) -> std::collections::HashMap<i64, usize> {
    let Some(Ok(score)) = score else {
        return Default::default();
    };
    let rank_of: std::collections::HashMap<&str, usize> = score
        .precincts
        .iter()
        .map(|p| (p.code.as_str(), p.rank))
        .collect();
    turfs
        .iter()
        .filter_map(|t| {
            let best = t
                .precincts
                .iter()
                .filter_map(|c| rank_of.get(c.as_str()).copied())
                .min()?;
            Some((t.id, best))
        })
        .collect()
}

/// Whether `route` walks exactly the doors `door_ids`.
fn route_covers(route: &crate::model::routing::Route, door_ids: &[i64]) -> bool {
    let mut walked: Vec<i64> = route.stops.iter().map(|s| s.address_fid).collect();
    let mut doors = door_ids.to_vec();
    walked.sort_unstable();
    doors.sort_unstable();
    walked == doors
}

/// Hands `turfs` to the map and drops a selected turf that no longer exists.
fn show_turfs(map: &mut MapView, selected_turf: &mut Option<i64>, turfs: &[Turf]) {
    map.set_turfs(turfs);
    if selected_turf.is_some_and(|id| !turfs.iter().any(|t| t.id == id)) {
        *selected_turf = None;
    }
    map.set_selected_turf(*selected_turf);
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
fn pick_file_blocking(t: &Strings, target: PickTarget) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new();
    let menu_title = |s: &str| s.trim_end_matches('…').to_owned();
    match target {
        PickTarget::ImportFile(ImportKind::Precincts) => dialog
            .set_title(menu_title(t.import_precincts_menu))
            .add_filter(t.filter_precincts, &["shp", "geojson", "json", "gpkg"])
            .add_filter(t.filter_all, &["*"])
            .pick_file(),
        PickTarget::ImportFile(ImportKind::Results) => dialog
            .set_title(menu_title(t.import_results_menu))
            .add_filter("CSV", &["csv", "txt", "tsv"])
            .add_filter(t.filter_all, &["*"])
            .pick_file(),
        PickTarget::ImportFile(ImportKind::Addresses) => dialog
            .set_title(menu_title(t.import_addresses_menu))
            .add_filter(t.filter_addresses, &["csv", "gz", "pbf"])
            .add_filter(t.filter_all, &["*"])
            .pick_file(),
        PickTarget::ImportFile(ImportKind::Volunteers) => dialog
            .set_title(menu_title(t.import_volunteers_menu))
            .add_filter(t.filter_roster, &["csv", "txt", "tsv"])
            .add_filter(t.filter_all, &["*"])
            .pick_file(),
        PickTarget::ImportFile(ImportKind::Streets) => dialog
            .set_title(menu_title(t.tab_streets))
            .add_filter(t.filter_streets, &["osm", "pbf", "gz", "xml"])
            .add_filter(t.filter_all, &["*"])
            .pick_file(),
        PickTarget::OpenCampaign => dialog
            .set_title(t.open_campaign_title)
            .add_filter(t.filter_campaign, &["gpkg"])
            .pick_file(),
        PickTarget::NewCampaign => dialog
            .set_title(t.new_campaign_title)
            .set_file_name("campaign.gpkg")
            .add_filter(t.filter_campaign, &["gpkg"])
            .save_file(),
        PickTarget::BasemapFile => dialog
            .set_title(menu_title(t.basemap_pmtiles_file))
            .add_filter(t.filter_pmtiles, &["pmtiles"])
            .add_filter(t.filter_all, &["*"])
            .pick_file(),
    }
}

/// The figures of precinct `i` as "label: value" lines (registered, turnout, doors).
pub fn figure_lines(
    t: &Strings,
    figures: &PrecinctFigures,
    election: Option<usize>,
    i: usize,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(e) = election.and_then(|k| figures.elections.get(k)) {
        if let Some(r) = e.registered.get(i).copied().flatten() {
            lines.push(format!("{}{}{}", t.var_registered, t.colon, t.integer(r)));
        }
        if let Some(v) = e.turnout(i) {
            lines.push(format!("{}{}{}", t.var_turnout, t.colon, t.percent(v)));
        }
    }
    if let Some(d) = figures.doors.get(i).copied().flatten() {
        lines.push(format!("{}{}{}", t.var_doors, t.colon, t.integer(d as i64)));
    }
    lines
}
