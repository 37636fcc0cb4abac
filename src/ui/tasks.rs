//! The slow work the UI runs on job threads: loading a campaign's view and running imports.
//! Each task opens its own `Campaign` (a SQLite connection is not shared across threads; WAL lets
//! several connections work on one file), and returns plain data the UI can show.

use std::path::{Path, PathBuf};

use crate::model::campaign::CampaignInfo;
use crate::model::import::addresses::{AddressFormat, AddressImportOptions};
use crate::model::import::precincts::PrecinctImportOptions;
use crate::model::import::results::ResultsImportOptions;
use crate::model::storage::import_log::{self, ImportLogEntry};
use crate::model::turfs::selection::days_before;
use crate::model::turfs::{CutReport, CutRequest, CutTarget, Door, DoorFilter, Turf, TurfHistory};
use crate::model::{Campaign, ModelError, Progress};
use crate::ui::command::{AddressFormatChoice, CutForm, ImportKind, ImportRequest};
use crate::ui::figures::PrecinctFigures;
use crate::ui::i18n::Lang;
use crate::ui::map::streets::StreetLayer;
use crate::ui::map::{AddressLayer, PrecinctLayer};

/// How many import log entries the report panel lists.
pub const IMPORT_LOG_LEN: usize = 50;

/// Which campaign to load.
#[derive(Clone, Debug)]
pub enum CampaignSource {
    /// The bundled sample city, built on first use.
    Sample,
    File(PathBuf),
}

/// What the UI shows of a campaign, prepared off the UI thread (the precinct layer is already
/// triangulated, the doors indexed). `layer.shapes` and every vector of `figures` follow the
/// campaign's precinct list.
pub struct CampaignView {
    pub path: PathBuf,
    pub info: CampaignInfo,
    pub layer: PrecinctLayer,
    pub addresses: AddressLayer,
    /// The streets, projected once for the map.
    pub streets: StreetLayer,
    pub figures: PrecinctFigures,
    pub import_log: Vec<ImportLogEntry>,
    /// The campaign's turfs and what undo/redo would do.
    pub turfs: Vec<Turf>,
    pub turf_history: TurfHistory,
}

/// The result of a job, sent back to the UI.
pub enum JobOutcome {
    Loaded(Result<CampaignView, ModelError>),
    Imported {
        kind: ImportKind,
        file: PathBuf,
        /// The report as JSON, and the reloaded view.
        result: Result<(serde_json::Value, CampaignView), ModelError>,
    },
    /// An auto-cut ended: its report, and the turfs after it.
    Cut(Result<(CutReport, Vec<Turf>, TurfHistory), ModelError>),
}

/// Opens (creating when missing) a campaign and reads everything the UI shows.
pub fn load_campaign(
    source: &CampaignSource,
    lang: Lang,
    progress: &dyn Progress,
) -> Result<CampaignView, ModelError> {
    let t = lang.strings();
    let path = match source {
        CampaignSource::Sample => {
            progress.set(0.05, t.stage_sample);
            crate::model::sample_campaign::ensure_sample_campaign()?
        }
        CampaignSource::File(path) => path.clone(),
    };
    progress.set(0.3, t.stage_opening);
    let campaign = Campaign::open(&path)?;
    view_of(&campaign, lang, progress)
}

/// Every door of the campaign as WGS84 (lon, lat).
pub fn address_points_wgs84(conn: &rusqlite::Connection) -> Result<Vec<[f64; 2]>, ModelError> {
    Ok(crate::model::storage::addresses::points_wgs84(conn)?
        .into_iter()
        .map(|c| [c.x, c.y])
        .collect())
}

fn view_of(
    campaign: &Campaign,
    lang: Lang,
    progress: &dyn Progress,
) -> Result<CampaignView, ModelError> {
    let t = lang.strings();
    progress.set(0.4, t.stage_reading);
    let info = campaign.info()?;
    let precincts = campaign.precincts()?;
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    progress.set(0.5, t.stage_figures);
    let figures = PrecinctFigures::load(campaign.connection(), &precincts, &info.elections)?;
    let points = address_points_wgs84(campaign.connection())?;
    let streets = campaign.streets()?;
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    progress.set(0.7, t.stage_map);
    let layer = PrecinctLayer::new(&precincts);
    let addresses = AddressLayer::new(&points);
    let streets = StreetLayer::new(&streets, &precincts);
    let import_log = import_log::recent(campaign.connection(), IMPORT_LOG_LEN)?;
    let turfs = campaign.turfs()?;
    let turf_history = campaign.turf_history()?;
    progress.set(1.0, t.stage_done);
    Ok(CampaignView {
        path: campaign.path().to_path_buf(),
        info,
        layer,
        addresses,
        streets,
        figures,
        import_log,
        turfs,
        turf_history,
    })
}

/// Cuts the form's precincts into turfs on its own connection, keeping to the streets layer's
/// major roads (as `porte turfs cut` does), and counting only the doors of the priority classes
/// asked for; returns the quality report and the turfs after the cut.
pub fn run_cut(
    campaign_path: &Path,
    form: &CutForm,
    progress: &dyn Progress,
) -> Result<(CutReport, Vec<Turf>, TurfHistory), ModelError> {
    let mut campaign = Campaign::open(campaign_path)?;
    let target = if form.by_count {
        CutTarget::Turfs(form.turfs)
    } else {
        CutTarget::DoorsPerTurf(form.doors_per_turf)
    };
    let request = match form.area_of_turf {
        // A drawn turf's area, cut on its own and replaced by the cut.
        Some(id) => {
            let turf = campaign.turf(id)?;
            CutRequest {
                precincts: Vec::new(),
                area_wgs84: Some(turf.geom_wgs84),
                target,
                replace: true,
                name_prefix: Some(turf.name),
            }
        }
        None => CutRequest {
            precincts: form.codes(),
            area_wgs84: None,
            target,
            replace: form.replace,
            name_prefix: None,
        },
    };
    let barriers = campaign.major_roads_wgs84()?;
    let since = if form.not_visited_only {
        let today = crate::model::export::today_utc()
            .parse()
            .map_err(|e| ModelError::Invalid(format!("today's date: {e}")))?;
        Some(days_before(today, form.not_visited_days))
    } else {
        None
    };
    let selection = campaign.door_selection(form.priority_only.then_some(form.max_class), since)?;
    let keeps = |d: &Door| selection.keeps(d);
    let filter: Option<DoorFilter<'_>> = (!selection.keeps_all()).then_some(&keeps as _);
    let report = campaign.cut_turfs(&request, filter, &barriers, progress)?;
    Ok((report, campaign.turfs()?, campaign.turf_history()?))
}

fn address_format(choice: AddressFormatChoice) -> Option<AddressFormat> {
    match choice {
        AddressFormatChoice::Guess => None,
        AddressFormatChoice::BanCsv => Some(AddressFormat::Ban),
        AddressFormatChoice::OpenAddressesCsv => Some(AddressFormat::OpenAddresses),
        AddressFormatChoice::OsmPbf => Some(AddressFormat::OsmPbf),
    }
}

fn to_json(report: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(report)
        .unwrap_or_else(|e| serde_json::Value::String(format!("report not shown: {e}")))
}

/// Runs one import on its own connection to `campaign_path`, then reloads the view.
pub fn run_import(
    campaign_path: &Path,
    request: &ImportRequest,
    lang: Lang,
    progress: &dyn Progress,
) -> Result<(serde_json::Value, CampaignView), ModelError> {
    let mut campaign = Campaign::open(campaign_path)?;
    let report = match request {
        ImportRequest::Precincts {
            file,
            id_field,
            name_field,
            crs_epsg,
            layer,
        } => {
            let opts = PrecinctImportOptions {
                id_field: id_field.clone(),
                name_field: name_field.clone(),
                crs_epsg: *crs_epsg,
                layer: layer.clone(),
            };
            to_json(&campaign.import_precincts(file, &opts, progress)?)
        }
        ImportRequest::Results {
            file,
            election,
            key_field,
            office,
        } => {
            let opts = ResultsImportOptions {
                election: election.clone(),
                key_field: key_field.clone(),
                office: office.clone(),
                ..Default::default()
            };
            to_json(&campaign.import_results(file, &opts, progress)?)
        }
        ImportRequest::Addresses {
            file,
            format,
            crs_epsg,
        } => {
            let opts = AddressImportOptions {
                format: address_format(*format),
                crs_epsg: *crs_epsg,
            };
            to_json(&campaign.import_addresses(file, &opts, progress)?)
        }
        ImportRequest::Streets { file } => to_json(&campaign.import_streets(file, progress)?),
        ImportRequest::Volunteers {
            file,
            columns,
            on_duplicate,
        } => {
            let opts = crate::model::volunteers::RosterImportOptions {
                columns: columns.as_deref().cloned(),
                on_duplicate: *on_duplicate,
            };
            to_json(&campaign.import_volunteers(file, &opts, progress)?)
        }
    };
    // The import is committed: reloading cannot undo it, so ignore cancellation from here on.
    let view = view_of(&campaign, lang, &crate::model::NoProgress)?;
    Ok((report, view))
}

/// Routes turf `turf_id` on its own connection to `campaign_path` (read only); the model's
/// refusal as text.
pub fn run_route(
    campaign_path: &Path,
    turf_id: i64,
    options: &crate::model::routing::RouteOptions,
) -> Result<crate::model::routing::Route, String> {
    Campaign::open(campaign_path)
        .and_then(|c| c.route_turf(turf_id, options))
        .map_err(|e| e.to_string())
}
