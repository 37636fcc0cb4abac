//! The bundled sample city builds into a complete campaign with the same import functions the
//! GUI and CLI use: what `cargo run --release` opens with no argument.

use crate::common;

use common::{run_porte, temp_campaign};
use porte::model::Campaign;
use porte::model::import::precincts::PrecinctImportOptions;

#[test]
fn sample_city_builds_into_a_full_campaign() {
    let (_dir, campaign) = temp_campaign();
    let (ok, out, err) = run_porte(&["sample-city", "build", campaign.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let info: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(info["precincts"], 40);
    assert_eq!(
        info["elections"],
        serde_json::json!(["municipales-2020-1", "presidentielle-2022-1"])
    );
    let addresses = info["addresses"].as_u64().unwrap();
    assert!((13_000..=17_000).contains(&addresses), "{addresses}");
    assert_eq!(
        info["addresses_in_precincts"], info["addresses"],
        "every door is in a precinct"
    );
    let b: Vec<f64> = info["bbox_wgs84"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        b[0] > 1.5 && b[2] < 1.7 && b[1] > 48.0 && b[3] < 48.1,
        "{b:?}"
    );

    let c = Campaign::open(&campaign).unwrap();
    let precincts = c.precincts().unwrap();
    assert!(
        precincts.iter().any(|p| p
            .name
            .as_deref()
            .is_some_and(|n| n.contains('é') || n.contains('É'))),
        "Latin-1 names decoded"
    );
    // Each election has results for all 40 precincts.
    let n: i64 = c
        .connection()
        .query_row(
            "SELECT count(DISTINCT precinct_code) FROM precinct_results",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 40);
}

#[test]
fn sample_city_precinct_import_reports_lambert93_and_latin1() {
    let (_dir, campaign) = temp_campaign();
    let files = porte::model::sample_campaign::bundled_sample_city();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_precincts(
            &files.precincts_shp,
            &PrecinctImportOptions::default(),
            &porte::model::NoProgress,
        )
        .unwrap();
    assert_eq!(r.crs, "EPSG:2154");
    assert_eq!(r.id_field, "NUM_BV");
    assert_eq!(r.name_field.as_deref(), Some("NOM_BV"));
    assert!(r.encoding.as_deref().unwrap().contains("1252"));
    assert!(r.issues.is_empty(), "{:?}", r.issues);
}
