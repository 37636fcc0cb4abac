//! Helpers shared by the integration tests: the real data in ../shared/data, temp campaigns.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A file of ../shared/data, or `None` (with a note) when it is missing outside CI.
/// Under CI (`CI=true`) a missing file fails the test: real-data tests never skip there.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("real test data missing under CI: {}", p.display());
    }
    eprintln!("note: {} is missing; test skipped outside CI", p.display());
    None
}

/// A fresh campaign path in a temp dir (kept alive by the returned guard).
pub fn temp_campaign() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.gpkg");
    (dir, path)
}

/// The `porte` binary built for the integration tests.
pub fn porte_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_porte"))
}

/// Runs `porte` with args; returns (success, stdout, stderr).
pub fn run_porte(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(porte_bin())
        .args(args)
        .output()
        .expect("run porte");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes a polygon shapefile with a character `ID` and `NOM` field, text encoded with
/// `encoding`, squares given by (id, name, min_x, min_y, size); `.prj` and `.cpg` when given.
/// Runs `porte ARGS` and parses its standard output as JSON; panics with stderr on failure.
pub fn json_of(args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = run_porte(args);
    assert!(ok, "porte {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// `porte operation create` of the tests' operation: "Samedi matin", Saturday 14 March 2026,
/// 10:00–12:30, meeting at 22 Rue des Libellules (a sample-city address), contact
/// 06 00 00 00 00, over every turf of the campaign. Returns the command's JSON.
pub fn create_saturday_operation(campaign: &str) -> serde_json::Value {
    json_of(&[
        "operation",
        "create",
        campaign,
        "--name",
        "Samedi matin",
        "--date",
        "2026-03-14",
        "--start",
        "10:00",
        "--end",
        "12:30",
        "--meeting-point",
        "22 Rue des Libellules",
        "--contact-phone",
        "06 00 00 00 00",
        "--turfs",
        "all",
        "--json",
    ])
}

/// Cuts the campaign's first precinct into turfs of about `doors_per_turf` doors (replacing
/// any there) and returns its largest turf.
pub fn cut_first_precinct(path: &Path, doors_per_turf: usize) -> porte::model::turfs::Turf {
    use porte::model::turfs::{CutRequest, CutTarget};
    let mut c = porte::model::Campaign::open(path).unwrap();
    let code = c.precincts().unwrap()[0].code.clone();
    let request = CutRequest {
        precincts: vec![code],
        area_wgs84: None,
        target: CutTarget::DoorsPerTurf(doors_per_turf),
        replace: true,
        name_prefix: None,
    };
    c.cut_turfs(&request, None, &[], &porte::model::NoProgress)
        .unwrap();
    c.turfs()
        .unwrap()
        .into_iter()
        .max_by_key(|t| t.doors())
        .unwrap()
}

pub fn write_square_shapefile(
    dir: &Path,
    stem: &str,
    squares: &[(&str, &str, f64, f64, f64)],
    encoding: &'static encoding_rs::Encoding,
    prj: Option<&str>,
    cpg: Option<&str>,
) -> PathBuf {
    use shapefile::dbase::{self, FieldValue, Record};
    use shapefile::{Point, Polygon, PolygonRing};
    let path = dir.join(format!("{stem}.shp"));
    let table =
        dbase::TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding))
            .add_character_field("ID".try_into().unwrap(), 20)
            .add_character_field("NOM".try_into().unwrap(), 80);
    let mut w = shapefile::Writer::from_path(&path, table).expect("create shapefile");
    for (id, name, x, y, s) in squares {
        let ring = vec![
            Point::new(*x, *y),
            Point::new(*x, *y + s),
            Point::new(*x + s, *y + s),
            Point::new(*x + s, *y),
            Point::new(*x, *y),
        ];
        let poly = Polygon::new(PolygonRing::Outer(ring));
        let mut rec = Record::default();
        rec.insert("ID".into(), FieldValue::Character(Some(id.to_string())));
        rec.insert("NOM".into(), FieldValue::Character(Some(name.to_string())));
        w.write_shape_and_record(&poly, &rec).expect("write shape");
    }
    drop(w);
    if let Some(prj) = prj {
        std::fs::write(path.with_extension("prj"), prj).unwrap();
    }
    if let Some(cpg) = cpg {
        std::fs::write(path.with_extension("cpg"), cpg).unwrap();
    }
    path
}

pub const L93_PRJ: &str = r#"PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;

/// `node` and the jsdom driver of the offline walk list (scripts/walklist-check, installed by
/// scripts/setup), or `None` (with a note) when missing outside CI; under CI a missing tool
/// fails the test, as missing real data does.
pub fn walklist_driver() -> Option<(PathBuf, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/walklist-check");
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if node && dir.join("node_modules/jsdom").is_dir() {
        return Some((PathBuf::from("node"), dir.join("fill.js")));
    }
    let why = format!(
        "node or {} is missing (run scripts/setup)",
        dir.join("node_modules/jsdom").display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{why}");
    }
    eprintln!("note: {why}; test skipped outside CI");
    None
}

/// `porte sample-city build` into `campaign`, then `porte turfs cut` of `precinct` at about
/// `doors_per_turf`; returns the cut's JSON report.
pub fn sample_city_cut(campaign: &str, precinct: &str, doors_per_turf: usize) -> serde_json::Value {
    json_of(&["sample-city", "build", campaign, "--json"]);
    json_of(&[
        "turfs",
        "cut",
        campaign,
        "--precinct",
        precinct,
        "--doors-per-turf",
        &doors_per_turf.to_string(),
        "--json",
    ])
}

/// The text of a PDF (`pdftotext -layout`, installed by scripts/setup).
pub fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run scripts/setup");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8(out.stdout).unwrap()
}
