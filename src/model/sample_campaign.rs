//! The campaign of the bundled sample city: built on first use from `sample-cities/` with the
//! same import functions as the GUI and the CLI, then reopened as is.

use std::path::{Path, PathBuf};

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::import::addresses::AddressImportOptions;
use crate::model::import::precincts::PrecinctImportOptions;
use crate::model::import::results::ResultsImportOptions;
use crate::model::progress::Progress;
use crate::model::sample_city::{self, SampleCityFiles};

/// Where Porte keeps its own files: `$XDG_DATA_HOME/porte`, else `~/.local/share/porte`, else a
/// folder in the system temp dir.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("porte");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(h).join(".local/share/porte");
    }
    std::env::temp_dir().join("porte")
}

/// The repository's copy of the sample city (found from the crate's source folder).
pub fn bundled_sample_city() -> SampleCityFiles {
    sample_city::bundled_files(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Builds a campaign from the sample city's files into `campaign_path` (replacing it).
pub fn build_sample_campaign(
    files: &SampleCityFiles,
    campaign_path: &Path,
    progress: &dyn Progress,
) -> ModelResult<()> {
    // Build next to the target and rename, so a killed build never leaves half a campaign.
    let tmp = campaign_path.with_extension("building.gpkg");
    for p in [
        &tmp,
        &tmp.with_extension("gpkg-wal"),
        &tmp.with_extension("gpkg-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
    {
        let mut c = Campaign::open(&tmp)?;
        c.import_precincts(
            &files.precincts_shp,
            &PrecinctImportOptions::default(),
            progress,
        )?;
        c.import_results(
            &files.results_csv,
            &ResultsImportOptions::default(),
            progress,
        )?;
        c.import_addresses(
            &files.addresses_csv,
            &AddressImportOptions::default(),
            progress,
        )?;
        c.import_streets(&files.streets_osm, progress)?;
        c.import_volunteers(
            &files.volunteers_csv,
            &crate::model::volunteers::RosterImportOptions::default(),
            progress,
        )?;
        save_demo_camp(&mut c)?;
        c.connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    std::fs::rename(&tmp, campaign_path).map_err(|e| ModelError::Campaign {
        path: campaign_path.to_path_buf(),
        message: format!("cannot move the built campaign into place: {e}"),
    })?;
    Ok(())
}

/// The sample city's two elections and the demo camp saved for them, by nuance code: ours,
/// near, rival.
const DEMO_CAMP: [(&str, [&[&str]; 3]); 2] = [
    (
        "municipales-2020-1",
        [&["LUG", "LECO"], &["LEXG", "LDVC"], &["LDVD", "LRN"]],
    ),
    (
        "presidentielle-2022-1",
        [&["FI", "SOC", "ECO"], &["EXG", "ENS"], &["LR", "RN", "REC"]],
    ),
];

/// Saves a demo camp (blocs of both elections, the presidential scored with the swing since
/// the municipal) so the priority map works out of the box. The city is fictional and so is
/// this camp: an example of blocs, not a political choice made for the user.
fn save_demo_camp(c: &mut Campaign) -> ModelResult<()> {
    use crate::model::scoring::{Bloc, BlocRole, ScoreSettings};
    for (election, [ours, near, rival]) in DEMO_CAMP {
        c.save_blocs(
            election,
            &[
                Bloc::new("notre camp (exemple)", BlocRole::Ours, ours),
                Bloc::new("proches (exemple)", BlocRole::Near, near),
                Bloc::new("adversaires (exemple)", BlocRole::Rival, rival),
            ],
        )?;
    }
    c.save_scoring_settings(&ScoreSettings {
        election: Some(DEMO_CAMP[1].0.into()),
        previous: Some(DEMO_CAMP[0].0.into()),
        ..ScoreSettings::default()
    })
}

/// True for the sample city's campaign file (the one [`ensure_sample_campaign`] builds).
pub fn is_sample_campaign(path: &Path) -> bool {
    path == data_dir().join(format!("{}.gpkg", sample_city::SAMPLE_CITY_SLUG))
}

/// The sample city's campaign file, built the first time (about a second).
pub fn ensure_sample_campaign() -> ModelResult<PathBuf> {
    let files = bundled_sample_city();
    let path = data_dir().join(format!("{}.gpkg", sample_city::SAMPLE_CITY_SLUG));
    if !path.exists() {
        std::fs::create_dir_all(data_dir()).map_err(|e| ModelError::Campaign {
            path: path.clone(),
            message: format!("cannot create its folder: {e}"),
        })?;
        build_sample_campaign(&files, &path, &crate::model::NoProgress)?;
    }
    Ok(path)
}
