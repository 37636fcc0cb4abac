//! Formats outside the built-in readers: read through OGR with the `gdal` feature, refused with
//! a clear message without it.

use crate::common;

use common::temp_campaign;
use porte::model::import::precincts::PrecinctImportOptions;
use porte::model::{Campaign, NoProgress};

const LAMBERT93_GEOJSON: &str = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[
 {"type":"Feature","properties":{"code_bv":"0001","libelle":"École"},"geometry":{"type":"Polygon","coordinates":[[[652000,6861000],[652200,6861000],[652200,6861200],[652000,6861200],[652000,6861000]]]}},
 {"type":"Feature","properties":{"code_bv":"0002","libelle":"Mairie"},"geometry":{"type":"Polygon","coordinates":[[[652200,6861000],[652400,6861000],[652400,6861200],[652200,6861200],[652200,6861000]]]}}]}"#;

#[cfg(feature = "gdal")]
#[test]
fn flatgeobuf_is_read_through_ogr() {
    let (dir, campaign) = temp_campaign();
    let src = dir.path().join("in.geojson");
    std::fs::write(&src, LAMBERT93_GEOJSON).unwrap();
    let fgb = dir.path().join("bv.fgb");
    let ok = std::process::Command::new("ogr2ogr")
        .args(["-f", "FlatGeobuf"])
        .arg(&fgb)
        .arg(&src)
        .status()
        .expect("ogr2ogr (gdal-bin, installed by scripts/setup)");
    assert!(ok.success());
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_precincts(&fgb, &PrecinctImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(r.format, "ogr:FlatGeobuf");
    assert_eq!(r.imported, 2);
    assert_eq!(r.crs, "EPSG:2154");
    assert_eq!(r.id_field, "code_bv");
    let b = r.bbox_wgs84.unwrap();
    assert!(
        b[0] > 2.34 && b[2] < 2.36 && b[1] > 48.84 && b[3] < 48.86,
        "{b:?}"
    );
}

#[cfg(not(feature = "gdal"))]
#[test]
fn other_formats_ask_for_the_gdal_feature() {
    let (dir, campaign) = temp_campaign();
    let f = dir.path().join("bv.fgb");
    std::fs::write(&f, b"fgb\x03").unwrap();
    let e = Campaign::open(&campaign)
        .unwrap()
        .import_precincts(&f, &PrecinctImportOptions::default(), &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(e.contains("bv.fgb") && e.contains("gdal"), "{e}");
    // The built-in readers still read the same data.
    let g = dir.path().join("bv.geojson");
    std::fs::write(&g, LAMBERT93_GEOJSON).unwrap();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_precincts(&g, &PrecinctImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(
        (r.imported, r.crs.as_str(), r.id_field.as_str()),
        (2, "EPSG:2154", "code_bv")
    );
}
