//! What the user asked for: panels, menus and the map return [`Command`]s during the frame, and
//! the app applies them once, after the frame's UI is built (egui demo app style), so no panel
//! mutates shared state while another is still reading it.

use std::path::PathBuf;

use crate::ui::figures::{ColourChoice, Variable};
use crate::ui::i18n::{Lang, Strings};

/// The kinds of files a campaign is built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Precincts,
    Results,
    Addresses,
    Streets,
    /// A roster of volunteers (CSV), with its column mapping.
    Volunteers,
}

impl ImportKind {
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Precincts,
        ImportKind::Results,
        ImportKind::Addresses,
        ImportKind::Streets,
        ImportKind::Volunteers,
    ];

    /// Display name (the Import window's tabs).
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            ImportKind::Precincts => t.tab_precincts,
            ImportKind::Results => t.tab_results,
            ImportKind::Addresses => t.tab_addresses,
            ImportKind::Streets => t.tab_streets,
            ImportKind::Volunteers => t.tab_volunteers,
        }
    }

    /// The model's import log kind ("precincts", "results", "addresses", "streets").
    pub fn log_kind(self) -> &'static str {
        match self {
            ImportKind::Precincts => "precincts",
            ImportKind::Results => "results",
            ImportKind::Addresses => "addresses",
            ImportKind::Streets => "streets",
            ImportKind::Volunteers => "volunteers",
        }
    }
}

/// Which text field a file picker fills in when it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickTarget {
    /// The source file of the import window.
    ImportFile(ImportKind),
    /// The campaign file of the campaign window (open an existing one).
    OpenCampaign,
    /// The campaign file of the campaign window (save a new one).
    NewCampaign,
    /// A local .pmtiles basemap (View › Basemap): chosen as soon as picked.
    BasemapFile,
}

/// Address list formats the user can force; `None` in the options means "guess".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AddressFormatChoice {
    #[default]
    Guess,
    BanCsv,
    OpenAddressesCsv,
    OsmPbf,
}

/// Everything the import window collected, ready for a background import.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportRequest {
    Precincts {
        file: PathBuf,
        id_field: Option<String>,
        name_field: Option<String>,
        crs_epsg: Option<u32>,
        layer: Option<String>,
    },
    Results {
        file: PathBuf,
        /// Election name (or name prefix); guessed by the model when `None`.
        election: Option<String>,
        key_field: Option<String>,
        office: Option<String>,
    },
    Addresses {
        file: PathBuf,
        format: AddressFormatChoice,
        crs_epsg: Option<u32>,
    },
    /// OSM XML or PBF; replaces the campaign's streets.
    Streets { file: PathBuf },
    /// A roster CSV; `columns` as mapped in the window (`None`: guessed by the model).
    Volunteers {
        file: PathBuf,
        columns: Option<Box<crate::model::volunteers::RosterColumns>>,
        on_duplicate: crate::model::volunteers::import::DuplicatePolicy,
    },
}

impl ImportRequest {
    pub fn kind(&self) -> ImportKind {
        match self {
            ImportRequest::Precincts { .. } => ImportKind::Precincts,
            ImportRequest::Results { .. } => ImportKind::Results,
            ImportRequest::Addresses { .. } => ImportKind::Addresses,
            ImportRequest::Streets { .. } => ImportKind::Streets,
            ImportRequest::Volunteers { .. } => ImportKind::Volunteers,
        }
    }

    pub fn file(&self) -> &PathBuf {
        match self {
            ImportRequest::Precincts { file, .. }
            | ImportRequest::Results { file, .. }
            | ImportRequest::Addresses { file, .. }
            | ImportRequest::Streets { file }
            | ImportRequest::Volunteers { file, .. } => file,
        }
    }
}

/// One user request, applied by `PorteApp::apply` after the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Show the campaign window to create a new campaign file.
    ShowNewCampaign,
    /// Show the campaign window to open an existing campaign file.
    ShowOpenCampaign,
    /// Open (creating when missing) this campaign file and load it in the background.
    OpenCampaign(PathBuf),
    /// Show the import window on this kind of file.
    ShowImport(ImportKind),
    /// Start a background file picker (rfd) that fills `PickTarget`'s field.
    Browse(PickTarget),
    /// Run an import in the background.
    StartImport(ImportRequest),
    /// Ask the running job to stop.
    CancelJob,
    /// Select a precinct by its `fid` (None clears the selection).
    SelectPrecinct(Option<i64>),
    /// Center and zoom the map on the campaign's precincts.
    ZoomToCampaign,
    /// Center and zoom the map on the selected precinct.
    ZoomToSelection,
    /// Colour the map by this variable.
    ShowVariable(Variable),
    /// The whole "Map colours" choice (variable, candidate, method, classes, ramp...).
    SetColours(ColourChoice),
    /// Priority and coverage side by side in the central panel (on/off).
    SetCompare(bool),
    /// The election the table and the colouring read (index in the campaign's elections).
    ChooseElection(usize),
    /// Open the "Blocs and weights" window on the chosen election's blocs and score settings.
    ShowPriorityEditor,
    /// Replace the blocs of `election` (validated by the model; one transaction).
    SaveBlocs {
        election: String,
        blocs: Vec<crate::model::scoring::Bloc>,
    },
    /// Store the score settings (one transaction).
    SaveScoreSettings(crate::model::scoring::ScoreSettings),
    /// Show the "Export map…" window.
    ShowExportMap,
    /// Start the save dialog of the export window.
    BrowseExportMap,
    /// Write the map as currently coloured (PNG or PDF) on a background job.
    ExportMap(crate::ui::panels::export_window::ExportMapRequest),
    /// Switch the UI language (`None`: follow the system locale).
    SetLanguage(Option<Lang>),
    /// Draw this basemap under the campaign layers (saved in the UI prefs).
    SetBasemap(crate::ui::map::basemap::BasemapChoice),
    /// Show the right-hand panel's precinct table or turf panel.
    ShowRightTab(RightTab),
    /// Select a turf by id (`None` clears the turf selection).
    SelectTurf(Option<i64>),
    /// Start / stop the turf drawing tool on the map.
    StartDrawingTurf,
    StopDrawingTurf,
    /// Snap new and moved turf vertices to precinct boundaries and streets (or not).
    SetTurfSnapping(bool),
    /// Apply what the map's turf tool did (one undoable turf edit).
    TurfTool(crate::ui::map::turf_tool::TurfToolEvent),
    /// Undo / redo the last turf edit (Ctrl+Z / Ctrl+Shift+Z).
    UndoTurfEdit,
    RedoTurfEdit,
    RenameTurf(i64, String),
    SetTurfStatus(i64, crate::model::turfs::TurfStatus),
    /// Set a turf's colour (`#rrggbb`).
    SetTurfColour(i64, String),
    DeleteTurf(i64),
    /// Center and zoom the map on a turf.
    ZoomToTurf(i64),
    /// Cut precincts into turfs on a background job.
    CutTurfs(CutForm),
    /// Something asked in the Operations tab, its window or by a drop on the map.
    Operation(crate::ui::panels::operations::OperationCommand),
    /// Something asked in the Volunteers tab, the volunteer window or the messages window.
    Roster(crate::ui::panels::roster::RosterCommand),
    /// Something asked of a turf's route section (Turfs and Operations tabs).
    Route(crate::ui::panels::route_panel::RouteCommand),
    /// Something asked of the "Walk sheets" window (Operations tab).
    Sheets(crate::ui::panels::sheets_window::SheetsCommand),
    /// Record a turf's quick tally (Results tab); the model checks its counts.
    RecordTally(crate::model::results::Tally),
    /// Record one door's visit (and the contact taken there) from the Results tab's door entry.
    RecordVisit(Box<crate::ui::panels::door_entry::DoorRecord>),
    /// Add, rename or deactivate a theme of the campaign's list (door entry).
    ResultTheme(crate::ui::panels::door_entry::ThemeCommand),
    /// Something asked of the "Import field results" window.
    ResultsImport(crate::ui::panels::results_import_window::ResultsImportCommand),
    /// Something asked of the "Dashboard" window (goals, exports) or to open it.
    Dashboard(crate::ui::panels::dashboard::DashboardCommand),
    /// Something asked in the Contacts tab, the contact window or the contacts export window.
    Contacts(crate::ui::panels::contacts::ContactsCommand),
    /// Something asked of the "Person's data" window (right of access and erasure).
    Person(crate::ui::panels::person_window::PersonCommand),
    /// Dismiss the error message.
    DismissError,
    /// Close the window.
    Quit,
}

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RightTab {
    #[default]
    Precincts,
    Turfs,
    Operations,
    Volunteers,
    /// The selected turf's tally, the dashboard totals and the turf's coverage.
    Results,
    /// Contacts taken with consent: table, filters, contact window, CSV export by tag.
    Contacts,
}

/// The turf panel's auto-cut form.
#[derive(Clone, Debug, PartialEq)]
pub struct CutForm {
    /// Precinct codes, separated by commas or spaces (cut together).
    pub precincts: String,
    /// Cut into `turfs` turfs rather than about `doors_per_turf` doors each.
    pub by_count: bool,
    pub doors_per_turf: usize,
    pub turfs: usize,
    /// Count only the doors of precincts in priority classes 1..=`max_class`.
    pub priority_only: bool,
    pub max_class: u8,
    /// Count only the doors not visited in the last `not_visited_days` days.
    pub not_visited_only: bool,
    pub not_visited_days: u32,
    /// Delete the turfs already over these precincts first.
    pub replace: bool,
    /// Cut the area of this (drawn) turf instead, which the cut replaces.
    pub area_of_turf: Option<i64>,
}

impl Default for CutForm {
    fn default() -> Self {
        CutForm {
            precincts: String::new(),
            by_count: false,
            doors_per_turf: 120,
            turfs: 4,
            priority_only: false,
            max_class: 2,
            not_visited_only: false,
            not_visited_days: 30,
            replace: true,
            area_of_turf: None,
        }
    }
}

impl CutForm {
    /// The precinct codes typed in the form.
    pub fn codes(&self) -> Vec<String> {
        self.precincts
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}
