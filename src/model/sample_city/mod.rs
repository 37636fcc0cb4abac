//! The bundled sample city "Saint-Aubin-des-Prés": a deterministic generator of a complete,
//! fictional French town (precincts, streets, doors, two elections, volunteers) and the paths of
//! the committed copy under `sample-cities/<slug>/`.
//!
//! - [`town`]: the street lattice, precinct polygons, street network and doors (Lambert-93 metres).
//! - [`elections`]: two elections with spatially coherent turnout and vote shares.
//! - [`volunteers`]: the volunteer roster.
//! - [`names`]: French street, polling-place, quarter and person names.
//! - [`writers`]: the shapefile, OSM XML, CSV and README writers.
//!
//! Everything is drawn from a fixed-seed splitmix64 PRNG and value noise written here (no `rand`),
//! and every file is written from sorted data, so a run is byte-identical to the previous one.

mod elections;
mod names;
mod town;
mod volunteers;
mod writers;

use std::path::{Path, PathBuf};

use crate::model::error::{ImportError, ModelError, ModelResult};

/// Folder name of the bundled city under `sample-cities/`.
pub const SAMPLE_CITY_SLUG: &str = "saint-aubin-des-pres";
/// Display name of the town.
pub const SAMPLE_CITY_NAME: &str = "Saint-Aubin-des-Prés";
/// Fictional INSEE code (département 45, Loiret; no real commune has this number).
pub const SAMPLE_CITY_CODE_INSEE: &str = "45999";
/// Département code of the town.
pub const SAMPLE_CITY_DEPARTEMENT: &str = "45";
/// Postal code used in the addresses.
pub const SAMPLE_CITY_CODE_POSTAL: &str = "45310";
/// Approximate centre of the town (WGS84 degrees): open farmland of the Beauce, north-west of
/// Orléans.
pub const SAMPLE_CITY_CENTRE_LON_LAT: (f64, f64) = (1.60, 48.05);

/// The files of one generated city.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleCityFiles {
    pub dir: PathBuf,
    /// `bureaux_de_vote.shp` (with .shx, .dbf, .prj next to it), Lambert-93, Windows-1252 DBF.
    pub precincts_shp: PathBuf,
    /// `resultats.csv`: two elections, Ministère long format.
    pub results_csv: PathBuf,
    /// `adresses.csv`: Base Adresse Nationale CSV.
    pub addresses_csv: PathBuf,
    /// `rues.osm`: the street network as OSM XML.
    pub streets_osm: PathBuf,
    /// `benevoles.csv`: the volunteer roster.
    pub volunteers_csv: PathBuf,
}

impl SampleCityFiles {
    fn in_dir(dir: &Path) -> Self {
        SampleCityFiles {
            dir: dir.to_path_buf(),
            precincts_shp: dir.join("bureaux_de_vote.shp"),
            results_csv: dir.join("resultats.csv"),
            addresses_csv: dir.join("adresses.csv"),
            streets_osm: dir.join("rues.osm"),
            volunteers_csv: dir.join("benevoles.csv"),
        }
    }

    /// Every file of the city (the shapefile's four parts, the CSVs, the OSM file, the README),
    /// sorted by name.
    pub fn all_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = [
            "README.md",
            "adresses.csv",
            "benevoles.csv",
            "bureaux_de_vote.dbf",
            "bureaux_de_vote.prj",
            "bureaux_de_vote.shp",
            "bureaux_de_vote.shx",
            "resultats.csv",
            "rues.osm",
        ]
        .iter()
        .map(|name| self.dir.join(name))
        .collect();
        files.sort();
        files
    }
}

/// Paths of the committed copy: `repo_root/sample-cities/<slug>/...`.
pub fn bundled_files(repo_root: &Path) -> SampleCityFiles {
    SampleCityFiles::in_dir(&repo_root.join("sample-cities").join(SAMPLE_CITY_SLUG))
}

/// Writes the whole city into `out_dir` (created if missing). Byte-identical on every run.
pub fn generate(out_dir: &Path) -> ModelResult<SampleCityFiles> {
    std::fs::create_dir_all(out_dir).map_err(|e| ImportError::io(out_dir, e))?;
    let projection = Projection::new()?;
    let town = town::build(&projection)?;
    let elections = elections::build(&town);
    let volunteers = volunteers::build(&town);
    let files = SampleCityFiles::in_dir(out_dir);
    writers::write_precincts(&files.precincts_shp, &town)?;
    writers::write_streets(&files.streets_osm, &town)?;
    writers::write_addresses(&files.addresses_csv, &town)?;
    writers::write_results(&files.results_csv, &elections)?;
    writers::write_volunteers(&files.volunteers_csv, &town, &volunteers)?;
    writers::write_readme(&out_dir.join("README.md"), &town, &elections, &volunteers)?;
    Ok(files)
}

/// Lambert-93 (EPSG:2154) to WGS84 and back.
pub(crate) struct Projection {
    l93: proj4rs::Proj,
    wgs84: proj4rs::Proj,
}

impl Projection {
    fn new() -> ModelResult<Self> {
        let l93 = proj4rs::Proj::from_epsg_code(2154)
            .map_err(|e| ModelError::Invalid(format!("EPSG:2154: {e}")))?;
        let wgs84 = proj4rs::Proj::from_epsg_code(4326)
            .map_err(|e| ModelError::Invalid(format!("EPSG:4326: {e}")))?;
        Ok(Projection { l93, wgs84 })
    }

    /// Lambert-93 metres to (lon, lat) degrees.
    pub(crate) fn to_lon_lat(&self, pos_l93: [f64; 2]) -> ModelResult<(f64, f64)> {
        let mut p = (pos_l93[0], pos_l93[1], 0.0);
        proj4rs::transform::transform(&self.l93, &self.wgs84, &mut p)
            .map_err(|e| ModelError::Invalid(format!("reprojection to WGS84: {e}")))?;
        Ok((p.0.to_degrees(), p.1.to_degrees()))
    }

    /// (lon, lat) degrees to Lambert-93 metres.
    pub(crate) fn to_l93(&self, lon_lat_deg: (f64, f64)) -> ModelResult<[f64; 2]> {
        let mut p = (lon_lat_deg.0.to_radians(), lon_lat_deg.1.to_radians(), 0.0);
        proj4rs::transform::transform(&self.wgs84, &self.l93, &mut p)
            .map_err(|e| ModelError::Invalid(format!("reprojection to Lambert-93: {e}")))?;
        Ok([p.0, p.1])
    }
}

/// splitmix64: a tiny, fast, deterministic PRNG.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5A17_AB1D_E5B2_E500)
    }

    /// A generator derived from `seed` and a label, so that streams do not depend on each other.
    pub(crate) fn derived(seed: u64, label: u64) -> Self {
        Rng::new(mix64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ label))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in 0..n (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly normal, mean 0, standard deviation 1 (Irwin-Hall with 4 terms).
    pub(crate) fn gauss(&mut self) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum();
        (s - 2.0) * 3f64.sqrt()
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn lattice_value(seed: u64, ix: i64, iy: i64) -> f64 {
    let h = mix64(seed ^ mix64((ix as u64).wrapping_mul(0x9E37_79B9) ^ mix64(iy as u64)));
    (h >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// Smooth value noise in [-1, 1] with features about 1 unit wide (quintic interpolation, no
/// trigonometry, so identical on every platform).
pub(crate) fn value_noise(seed: u64, x: f64, y: f64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (ix, iy) = (x0 as i64, y0 as i64);
    let fade = |t: f64| t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
    let (sx, sy) = (fade(fx), fade(fy));
    let v00 = lattice_value(seed, ix, iy);
    let v10 = lattice_value(seed, ix + 1, iy);
    let v01 = lattice_value(seed, ix, iy + 1);
    let v11 = lattice_value(seed, ix + 1, iy + 1);
    let a = v00 + (v10 - v00) * sx;
    let b = v01 + (v11 - v01) * sx;
    a + (b - a) * sy
}

/// Two octaves of value noise, roughly in [-1, 1].
pub(crate) fn fbm(seed: u64, x: f64, y: f64) -> f64 {
    (value_noise(seed, x, y) * 0.7
        + value_noise(seed ^ 0xABCD, 2.03 * x + 17.1, 2.03 * y - 5.3) * 0.3)
        .clamp(-1.0, 1.0)
}

/// Rounds to the centimetre (coordinates in metres).
pub(crate) fn round_cm(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_uniform_enough() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<f64> = (0..1000).map(|_| a.unit()).collect();
        let ys: Vec<f64> = (0..1000).map(|_| b.unit()).collect();
        assert_eq!(xs, ys);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn noise_is_smooth_and_bounded() {
        for i in 0..200 {
            let x = i as f64 * 0.037;
            let v = value_noise(3, x, 0.5 * x);
            let w = value_noise(3, x + 0.001, 0.5 * x);
            assert!((-1.0..=1.0).contains(&v));
            assert!((v - w).abs() < 0.01);
        }
    }

    #[test]
    fn bundled_paths() {
        let files = bundled_files(Path::new("/repo"));
        assert_eq!(
            files.dir,
            Path::new("/repo/sample-cities/saint-aubin-des-pres")
        );
        assert_eq!(files.precincts_shp, files.dir.join("bureaux_de_vote.shp"));
    }

    /// Rewrites the committed copy: `cargo test --lib regenerate_bundled_sample_city -- --ignored`.
    #[test]
    #[ignore]
    fn regenerate_bundled_sample_city() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = generate(&bundled_files(root).dir).unwrap();
        for f in files.all_files() {
            assert!(f.exists(), "{}", f.display());
        }
    }
}
