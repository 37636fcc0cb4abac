//! The headless command line: `porte <command> ... [--json]`, over the same model functions as
//! the GUI. Each command prints a human summary, or its report as JSON with `--json`; bad input
//! exits non-zero with a message naming the file and row.

pub mod bench;
pub mod colours;
pub mod contacts;
pub mod export;
pub mod export_sheets;
pub mod operation;
pub mod output;
pub mod progress;
pub mod results;
pub mod route;
pub mod score;
pub mod turfs;
pub mod volunteers;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::model::Campaign;
use crate::model::import::addresses::{AddressFormat, AddressImportOptions};
use crate::model::import::crs::parse_epsg;
use crate::model::import::keys::KeyMatch;
use crate::model::import::precincts::PrecinctImportOptions;
use crate::model::import::results::ResultsImportOptions;

/// Porte: plan door-to-door campaigns from precincts, results and addresses.
#[derive(Parser, Debug)]
#[command(name = "porte", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Campaign file to open in the GUI (default: the bundled sample city).
    pub campaign: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the desktop application.
    Gui { campaign: Option<PathBuf> },
    /// Import precincts, election results, addresses or streets into a campaign (created when missing).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Summarise a campaign: precincts, elections, addresses (an empty one is created when missing).
    Info {
        campaign: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The bundled sample city.
    #[command(subcommand, name = "sample-city")]
    SampleCity(SampleCityCommand),
    /// Measure import speed (median of several runs) on given or bundled files.
    Bench(bench::BenchArgs),
    /// Priority score of every precinct (our camp's reservoir, persuadables, swing...).
    Score(score::ScoreArgs),
    /// Show, suggest (by nuance) or save the blocs of candidates the score is built on.
    Blocs(score::BlocsArgs),
    /// Choropleth classes (quantile, equal, Jenks, manual) and legend of a variable.
    Classify(score::ClassifyArgs),
    /// Export the coloured precinct map (PNG, PDF), walk sheets (PDF) and phone files (GPX, GeoJSON, CSV, HTML).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Turfs: cut precincts into turfs, list them, undo/redo turf edits, delete a turf.
    #[command(subcommand)]
    Turfs(turfs::TurfsCommand),
    /// Operations: dated outings, their turfs, and who walks which (suggested or by hand).
    #[command(subcommand)]
    Operation(operation::OperationCommand),
    /// Volunteers: import a roster, list and filter it, export contacts (CSV, vCard), add one.
    #[command(subcommand)]
    Volunteers(volunteers::VolunteersCommand),
    /// The walking route of a turf: door order on the street graph (or by street), length, time.
    Route(route::RouteArgs),
    /// Contacts taken with consent: list, add, export by tag (CSV for mailing tools).
    #[command(subcommand)]
    Contacts(contacts::ContactsCommand),
    /// Data protection: everything held on a person (access), or erase them everywhere.
    #[command(subcommand)]
    Person(contacts::PersonCommand),
    /// Field results: import CSV (walk list or spreadsheet), record a door or a turf tally, list a turf's doors, themes.
    #[command(subcommand)]
    Results(results::ResultsCommand),
    /// Doors knocked, opened and contacts per precinct (or per turf), and "not visited since".
    Coverage(results::CoverageArgs),
    /// Campaign totals by operation, team, volunteer, precinct and day, goals (as CSV or PDF too).
    Dashboard(results::DashboardArgs),
    /// Goals the campaign sets (e.g. 200,000 doors by a date): add, list with progress, delete.
    #[command(subcommand)]
    Goals(results::GoalsCommand),
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Precinct boundaries: shapefile, GeoJSON, GeoPackage (any OGR format with the gdal feature).
    Precincts {
        #[command(flatten)]
        common: CommonImportArgs,
        /// Attribute holding the precinct id (guessed when absent).
        #[arg(long)]
        id_field: Option<String>,
        /// Attribute holding the precinct's display name (guessed when absent).
        #[arg(long)]
        name_field: Option<String>,
        /// CRS of the coordinates, overriding the file's (e.g. EPSG:2154).
        #[arg(long)]
        crs: Option<String>,
        /// Layer of a multi-layer file (GeoPackage).
        #[arg(long)]
        layer: Option<String>,
    },
    /// Election results CSV: wide, long (Ministère) or OpenElections.
    Results {
        #[command(flatten)]
        common: CommonImportArgs,
        /// Election name (single-contest files).
        #[arg(long)]
        election: Option<String>,
        /// Column holding the precinct key (guessed when absent).
        #[arg(long)]
        key_field: Option<String>,
        /// Keep only this contest of a multi-contest file.
        #[arg(long)]
        office: Option<String>,
        /// Manual column mapping, e.g. --map registered=INSCRITS --map valid=EXPRIMES.
        #[arg(long = "map", value_name = "FIELD=COLUMN")]
        mapping: Vec<String>,
        /// Match keys exactly instead of normalising them (leading zeros, 15-49 vs 1549).
        #[arg(long)]
        exact_keys: bool,
    },
    /// Addresses (doors): BAN CSV, OpenAddresses CSV, OSM PBF.
    Addresses {
        #[command(flatten)]
        common: CommonImportArgs,
        /// ban, openaddresses or osm (detected when absent).
        #[arg(long)]
        format: Option<String>,
        /// CRS of x/y columns when there is no lon/lat (default Lambert-93 for BAN).
        #[arg(long)]
        crs: Option<String>,
    },
    /// Streets (OSM ways tagged highway=*): .osm XML (or .osm.gz) or .osm.pbf; replaces the
    /// campaign's streets.
    Streets {
        #[command(flatten)]
        common: CommonImportArgs,
    },
}

#[derive(Args, Debug)]
pub struct CommonImportArgs {
    /// Campaign file (created when missing).
    pub campaign: PathBuf,
    /// File to import.
    pub file: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum SampleCityCommand {
    /// Write the sample city's files (deterministic) into DIR.
    Generate { dir: PathBuf },
    /// Build a campaign file from the bundled sample city.
    Build {
        campaign: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn epsg_arg(s: &Option<String>) -> anyhow::Result<Option<u32>> {
    s.as_deref()
        .map(|s| parse_epsg(s).ok_or_else(|| anyhow::anyhow!("--crs {s}: expected EPSG:NNNN")))
        .transpose()
}

/// Runs a CLI command; the GUI commands are handled by `main`.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Gui { .. } => unreachable!("main opens the GUI"),
        Command::Import(ImportCommand::Precincts {
            common,
            id_field,
            name_field,
            crs,
            layer,
        }) => {
            let opts = PrecinctImportOptions {
                id_field,
                name_field,
                crs_epsg: epsg_arg(&crs)?,
                layer,
            };
            let mut c = open(&common.campaign)?;
            let report = guarded(&common.file, || {
                c.import_precincts(&common.file, &opts, &progress::TerminalProgress::new())
            })?;
            output::print_report(&report, common.json, output::precincts_summary)
        }
        Command::Import(ImportCommand::Results {
            common,
            election,
            key_field,
            office,
            mapping,
            exact_keys,
        }) => {
            let mapping = mapping
                .iter()
                .map(|m| {
                    m.split_once('=')
                        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                        .ok_or_else(|| anyhow::anyhow!("--map {m}: expected FIELD=COLUMN"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let opts = ResultsImportOptions {
                election,
                key_field,
                office,
                mapping,
                key_match: if exact_keys {
                    KeyMatch::Exact
                } else {
                    KeyMatch::default()
                },
            };
            let mut c = open(&common.campaign)?;
            let report = guarded(&common.file, || {
                c.import_results(&common.file, &opts, &progress::TerminalProgress::new())
            })?;
            output::print_report(&report, common.json, output::results_summary)
        }
        Command::Import(ImportCommand::Addresses {
            common,
            format,
            crs,
        }) => {
            let format = format
                .as_deref()
                .map(|f| {
                    AddressFormat::parse(f).ok_or_else(|| {
                        anyhow::anyhow!("--format {f}: expected ban, openaddresses or osm")
                    })
                })
                .transpose()?;
            let opts = AddressImportOptions {
                format,
                crs_epsg: epsg_arg(&crs)?,
            };
            let mut c = open(&common.campaign)?;
            let report = guarded(&common.file, || {
                c.import_addresses(&common.file, &opts, &progress::TerminalProgress::new())
            })?;
            output::print_report(&report, common.json, output::addresses_summary)
        }
        Command::Import(ImportCommand::Streets { common }) => {
            let mut c = open(&common.campaign)?;
            let report = guarded(&common.file, || {
                c.import_streets(&common.file, &progress::TerminalProgress::new())
            })?;
            output::print_report(&report, common.json, streets_summary)
        }
        Command::Info { campaign, json } => {
            let info = open(&campaign)?.info()?;
            output::print_report(&info, json, output::info_summary)
        }
        Command::SampleCity(SampleCityCommand::Generate { dir }) => {
            let files = crate::model::sample_city::generate(&dir)?;
            println!("sample city written to {}", files.dir.display());
            Ok(())
        }
        Command::SampleCity(SampleCityCommand::Build { campaign, json }) => {
            let files = crate::model::sample_campaign::bundled_sample_city();
            crate::model::sample_campaign::build_sample_campaign(
                &files,
                &campaign,
                &progress::TerminalProgress::new(),
            )?;
            let info = open(&campaign)?.info()?;
            output::print_report(&info, json, output::info_summary)
        }
        Command::Bench(args) => bench::run(args),
        Command::Score(args) => score::run(args),
        Command::Blocs(args) => score::run_blocs(args),
        Command::Classify(args) => score::run_classify(args),
        Command::Export(command) => export::run(command),
        Command::Turfs(command) => turfs::run(command),
        Command::Operation(command) => operation::run(command),
        Command::Volunteers(command) => volunteers::run(command),
        Command::Route(args) => route::run(args),
        Command::Contacts(command) => contacts::run(command),
        Command::Person(command) => contacts::run_person(command),
        Command::Results(command) => results::run(command),
        Command::Coverage(args) => results::run_coverage(args),
        Command::Dashboard(args) => results::run_dashboard(args),
        Command::Goals(command) => results::run_goals(command),
    }
}

/// `porte import streets` without `--json`.
fn streets_summary(r: &crate::model::import::streets::StreetImportReport) -> String {
    let tally = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "{} streets kept ({} walkable) of {} highway ways among {} ways ({}); {} nodes, {} junctions; {} bad geometries; {} previous streets replaced",
        r.kept,
        r.walkable,
        r.highway_ways,
        r.ways_read,
        match r.format {
            crate::model::import::osm::OsmFormat::Xml => "OSM XML",
            crate::model::import::osm::OsmFormat::Pbf => "OSM PBF",
        },
        r.nodes,
        r.shared_nodes,
        r.bad_geometry,
        r.replaced
    );
    if !r.not_walkable.is_empty() {
        s.push_str(&format!("\nnot walkable: {}", tally(&r.not_walkable)));
    }
    if !r.skipped.is_empty() {
        s.push_str(&format!("\nskipped: {}", tally(&r.skipped)));
    }
    for w in &r.warnings {
        s.push_str(&format!("\nwarning: {w}"));
    }
    s
}

fn open(path: &Path) -> anyhow::Result<Campaign> {
    Ok(Campaign::open(path)?)
}

/// Runs an import, turning a panic inside a reader into an error that names the file; the
/// import's transaction is rolled back either way.
fn guarded<T>(
    file: &Path,
    f: impl FnOnce() -> crate::model::error::ModelResult<T>,
) -> anyhow::Result<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    match out {
        Ok(r) => Ok(r?),
        Err(p) => {
            let what = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            anyhow::bail!(
                "internal error while reading {} ({what}); the campaign was not changed",
                file.display()
            )
        }
    }
}
