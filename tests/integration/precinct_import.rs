//! Precinct import from tiny hand-made files, one purpose each: encodings, CRS contradictions,
//! broken geometries, broken files. Bad input never panics and never damages the campaign.

use crate::common;

use std::path::Path;

use common::{L93_PRJ, run_porte, temp_campaign, write_square_shapefile};
use porte::model::import::precincts::PrecinctImportOptions;
use porte::model::{Campaign, NoProgress};

fn import(
    campaign: &Path,
    file: &Path,
) -> porte::model::error::ModelResult<porte::model::import::precincts::PrecinctImportReport> {
    Campaign::open(campaign)?.import_precincts(file, &PrecinctImportOptions::default(), &NoProgress)
}

#[test]
fn latin1_shapefile_without_cpg_keeps_its_accents() {
    let (dir, campaign) = temp_campaign();
    let shp = write_square_shapefile(
        dir.path(),
        "bv",
        &[
            ("1", "École Jean-Jaurès", 652000.0, 6861000.0, 200.0),
            ("2", "Salle des fêtes", 652200.0, 6861000.0, 200.0),
        ],
        encoding_rs::WINDOWS_1252,
        Some(L93_PRJ),
        None,
    );
    let dbf = std::fs::read(shp.with_extension("dbf")).unwrap();
    assert!(
        std::str::from_utf8(&dbf[dbf.len() - 200..]).is_err(),
        "the fixture really is Latin-1"
    );
    let r = import(&campaign, &shp).unwrap();
    assert_eq!(r.imported, 2);
    assert_eq!(r.crs, "EPSG:2154");
    assert!(
        r.encoding.as_deref().unwrap().contains("1252"),
        "{:?}",
        r.encoding
    );
    let names: Vec<_> = Campaign::open(&campaign)
        .unwrap()
        .precincts()
        .unwrap()
        .into_iter()
        .map(|p| p.name.unwrap())
        .collect();
    assert_eq!(names, vec!["École Jean-Jaurès", "Salle des fêtes"]);
    // Lambert-93 near Paris: the squares land in Paris.
    let b = r.bbox_wgs84.unwrap();
    assert!(
        b[0] > 2.3 && b[2] < 2.4 && b[1] > 48.8 && b[3] < 48.9,
        "{b:?}"
    );
}

#[test]
fn utf8_shapefile_with_cpg_and_one_with_a_lying_cpg() {
    let (dir, campaign) = temp_campaign();
    let shp = write_square_shapefile(
        dir.path(),
        "u",
        &[("1", "Mairie annexe — Étang", 652000.0, 6861000.0, 100.0)],
        encoding_rs::UTF_8,
        Some(L93_PRJ),
        Some("UTF-8"),
    );
    let r = import(&campaign, &shp).unwrap();
    assert!(r.encoding.as_deref().unwrap().contains("UTF-8"));
    assert_eq!(
        Campaign::open(&campaign).unwrap().precincts().unwrap()[0]
            .name
            .as_deref(),
        Some("Mairie annexe — Étang")
    );
    let shp = write_square_shapefile(
        dir.path(),
        "l",
        &[("1", "Préau", 652000.0, 6861000.0, 100.0)],
        encoding_rs::WINDOWS_1252,
        Some(L93_PRJ),
        Some("UTF-8"),
    );
    let r = import(&campaign, &shp).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.contains(".cpg")),
        "{:?}",
        r.warnings
    );
    assert_eq!(
        Campaign::open(&campaign).unwrap().precincts().unwrap()[0]
            .name
            .as_deref(),
        Some("Préau")
    );
}

#[test]
fn projected_prj_with_lonlat_coordinates_is_read_as_wgs84_with_a_warning() {
    let (dir, campaign) = temp_campaign();
    let shp = write_square_shapefile(
        dir.path(),
        "w",
        &[("1", "A", 2.35, 48.85, 0.002)],
        encoding_rs::UTF_8,
        Some(L93_PRJ),
        None,
    );
    let r = import(&campaign, &shp).unwrap();
    assert_eq!(r.crs, "EPSG:4326");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("longitudes/latitudes")),
        "{:?}",
        r.warnings
    );
    let b = r.bbox_wgs84.unwrap();
    assert!((b[0] - 2.35).abs() < 1e-9 && (b[1] - 48.85).abs() < 1e-9);
}

#[test]
fn metres_without_prj_are_recognised_as_lambert93() {
    let (dir, campaign) = temp_campaign();
    let shp = write_square_shapefile(
        dir.path(),
        "n",
        &[("1", "A", 652000.0, 6861000.0, 100.0)],
        encoding_rs::UTF_8,
        None,
        None,
    );
    let r = import(&campaign, &shp).unwrap();
    assert_eq!(r.crs, "EPSG:2154");
    assert!(
        r.warnings.iter().any(|w| w.contains("no CRS declared")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn geographic_geojson_crs_with_metres_and_unknown_metres_are_handled() {
    let (dir, campaign) = temp_campaign();
    let f = dir.path().join("m.geojson");
    std::fs::write(&f, r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
      {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[652000,6861000],[652100,6861000],[652100,6861100],[652000,6861000]]]}}]}"#).unwrap();
    let r = import(&campaign, &f).unwrap();
    assert_eq!(r.crs, "EPSG:2154");
    assert!(
        r.warnings.iter().any(|w| w.contains("degrees")),
        "{:?}",
        r.warnings
    );
    // Metres that fit no known French projection: an error asking for --crs, nothing imported.
    std::fs::write(&f, r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[400000,4500000],[400100,4500000],[400100,4500100],[400000,4500000]]]}}]}"#).unwrap();
    let e = import(&campaign, &f).unwrap_err().to_string();
    assert!(e.contains("--crs") && e.contains("m.geojson"), "{e}");
    assert_eq!(
        Campaign::open(&campaign).unwrap().info().unwrap().precincts,
        1,
        "the earlier import is intact"
    );
}

#[test]
fn broken_geometries_are_repaired_or_skipped_and_reported_by_feature() {
    let (dir, campaign) = temp_campaign();
    let f = dir.path().join("broken.geojson");
    std::fs::write(&f, r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"id_bv":"1-1","nom":"Bon"},"geometry":{"type":"Polygon","coordinates":[[[2.30,48.80],[2.31,48.80],[2.31,48.81],[2.30,48.81],[2.30,48.80]]]}},
      {"type":"Feature","properties":{"id_bv":"1-2","nom":"Sans géométrie"},"geometry":null},
      {"type":"Feature","properties":{"id_bv":"1-3","nom":"Nœud papillon"},"geometry":{"type":"Polygon","coordinates":[[[2.32,48.80],[2.33,48.81],[2.33,48.80],[2.32,48.81],[2.32,48.80]]]}},
      {"type":"Feature","properties":{"id_bv":"1-4","nom":"Anneau ouvert"},"geometry":{"type":"Polygon","coordinates":[[[2.34,48.80],[2.35,48.80],[2.35,48.81],[2.34,48.81]]]}},
      {"type":"Feature","properties":{"id_bv":"1-1","nom":"Bon, seconde partie"},"geometry":{"type":"Polygon","coordinates":[[[2.31,48.80],[2.32,48.80],[2.32,48.81],[2.31,48.81],[2.31,48.80]]]}},
      {"type":"Feature","properties":{"id_bv":"1-5","nom":"Un point"},"geometry":{"type":"Point","coordinates":[2.36,48.80]}}
    ]}"#).unwrap();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_precincts(
            &f,
            &PrecinctImportOptions {
                id_field: Some("id_bv".into()),
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    assert_eq!(r.features_read, 6);
    assert_eq!(r.imported, 3, "{:#?}", r.issues);
    let find = |loc: &str| {
        r.issues
            .iter()
            .find(|i| i.location.starts_with(loc))
            .unwrap_or_else(|| panic!("no issue at {loc}: {:#?}", r.issues))
    };
    assert_eq!(find("feature 2 ").action, "skipped");
    assert!(find("feature 2 ").message.contains("null geometry"));
    assert_eq!(find("feature 3 ").action, "repaired");
    assert!(find("feature 4 ").action.contains("closed"));
    assert!(find("feature 5 ").message.contains("duplicate id 1-1"));
    assert!(find("feature 6 ").message.contains("not a polygon"));
    let precincts = Campaign::open(&campaign).unwrap().precincts().unwrap();
    let merged = precincts.iter().find(|p| p.code == "1-1").unwrap();
    use geo::Area;
    assert!(
        (merged.geom_wgs84.unsigned_area() - 0.0002).abs() < 1e-9,
        "the two parts are merged"
    );
    let bowtie = precincts.iter().find(|p| p.code == "1-3").unwrap();
    use geo::Validation;
    assert!(bowtie.geom_wgs84.is_valid());
}

#[test]
fn broken_files_give_a_clear_error_naming_the_file_and_leave_the_campaign_intact() {
    let (dir, campaign) = temp_campaign();
    let good = write_square_shapefile(
        dir.path(),
        "good",
        &[
            ("1", "A", 652000.0, 6861000.0, 100.0),
            ("2", "B", 652100.0, 6861000.0, 100.0),
        ],
        encoding_rs::UTF_8,
        Some(L93_PRJ),
        None,
    );
    import(&campaign, &good).unwrap();

    // Truncated .shp.
    let bad = write_square_shapefile(
        dir.path(),
        "cut",
        &[
            ("1", "A", 652000.0, 6861000.0, 100.0),
            ("2", "B", 652100.0, 6861000.0, 100.0),
            ("3", "C", 652200.0, 6861000.0, 100.0),
        ],
        encoding_rs::UTF_8,
        Some(L93_PRJ),
        None,
    );
    let bytes = std::fs::read(&bad).unwrap();
    std::fs::write(&bad, &bytes[..bytes.len() - 60]).unwrap();
    let e = import(&campaign, &bad).unwrap_err().to_string();
    assert!(e.contains("cut.shp") && e.contains("feature 3"), "{e}");

    // Missing .dbf.
    let nodbf = write_square_shapefile(
        dir.path(),
        "nodbf",
        &[("1", "A", 652000.0, 6861000.0, 100.0)],
        encoding_rs::UTF_8,
        None,
        None,
    );
    std::fs::remove_file(nodbf.with_extension("dbf")).unwrap();
    let e = import(&campaign, &nodbf).unwrap_err().to_string();
    assert!(e.contains("nodbf.dbf"), "{e}");

    // Garbage bytes in a .geojson and in a .gpkg.
    for name in ["garbage.geojson", "garbage.gpkg", "garbage.shp"] {
        let g = dir.path().join(name);
        std::fs::write(&g, b"\x00\x01PK\x03\x04 this is not geodata \xff\xfe").unwrap();
        std::fs::write(g.with_extension("dbf"), b"\x03 not a dbf either").unwrap();
        let e = import(&campaign, &g).unwrap_err().to_string();
        // A shapefile's error names the part at fault (.dbf here).
        assert!(e.contains(name) || e.contains("garbage.dbf"), "{e}");
    }
    // Unsupported extension without GDAL.
    let kml = dir.path().join("x.kml");
    std::fs::write(&kml, "<kml/>").unwrap();
    assert!(import(&campaign, &kml).is_err());

    let info = Campaign::open(&campaign).unwrap().info().unwrap();
    assert_eq!(
        info.precincts, 2,
        "the campaign still holds the good import"
    );
}

#[test]
fn a_campaign_file_is_a_geopackage_porte_can_read_back() {
    let (dir, campaign) = temp_campaign();
    let shp = write_square_shapefile(
        dir.path(),
        "g",
        &[("7", "Sept", 652000.0, 6861000.0, 100.0)],
        encoding_rs::UTF_8,
        Some(L93_PRJ),
        None,
    );
    let first = import(&campaign, &shp).unwrap();
    let other = dir.path().join("other.gpkg");
    let r = Campaign::open(&other)
        .unwrap()
        .import_precincts(
            &campaign,
            &PrecinctImportOptions {
                layer: Some("precincts".into()),
                id_field: Some("code".into()),
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    assert_eq!(r.imported, 1);
    assert_eq!(r.crs, "EPSG:4326");
    let (a, b) = (first.bbox_wgs84.unwrap(), r.bbox_wgs84.unwrap());
    for k in 0..4 {
        assert!((a[k] - b[k]).abs() < 1e-12);
    }
}

#[test]
fn cli_reports_bad_input_without_panicking() {
    let (dir, campaign) = temp_campaign();
    let g = dir.path().join("bad.geojson");
    std::fs::write(&g, "{ not json").unwrap();
    let (ok, _out, err) = run_porte(&[
        "import",
        "precincts",
        campaign.to_str().unwrap(),
        g.to_str().unwrap(),
        "--json",
    ]);
    assert!(!ok);
    assert!(
        err.contains("bad.geojson") && !err.contains("panicked"),
        "{err}"
    );
    let (ok, _out, err) = run_porte(&[
        "import",
        "precincts",
        campaign.to_str().unwrap(),
        "/nonexistent/x.shp",
    ]);
    assert!(!ok && err.contains("x.shp"), "{err}");
    // The CRS override is honoured and reported.
    let shp = write_square_shapefile(
        dir.path(),
        "o",
        &[("1", "A", 652000.0, 6861000.0, 100.0)],
        encoding_rs::UTF_8,
        None,
        None,
    );
    let (ok, out, err) = run_porte(&[
        "import",
        "precincts",
        campaign.to_str().unwrap(),
        shp.to_str().unwrap(),
        "--crs",
        "EPSG:2154",
        "--id-field",
        "ID",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["crs"], "EPSG:2154");
    assert_eq!(v["imported"], 1);
    assert!(v["warnings"].is_array() && v["bbox_wgs84"].is_array());
}

#[test]
fn cli_info_creates_a_missing_campaign_and_reports_zeros() {
    let (_dir, campaign) = temp_campaign();
    let (ok, out, err) = run_porte(&["info", campaign.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["precincts"].as_u64(), v["addresses"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(v["elections"], serde_json::json!([]));
    assert!(campaign.exists());
}
