//! Real data: Paris 2017 precincts, results and the Base Adresse Nationale, through the CLI
//! (`porte ... --json`) exactly as a user or a script would run it.

use crate::common;

use common::{json_of, shared_data, temp_campaign};
use serde_json::Value;

const PARIS_BBOX: [f64; 4] = [2.22, 48.81, 2.47, 48.91];

fn inside_paris(b: &Value) -> bool {
    let b: Vec<f64> = b
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    b[0] >= PARIS_BBOX[0] && b[1] >= PARIS_BBOX[1] && b[2] <= PARIS_BBOX[2] && b[3] <= PARIS_BBOX[3]
}

#[test]
fn paris_precincts_results_and_ban_addresses() {
    let Some(precincts) = shared_data("paris/secteurs-des-bureaux-de-vote_2017.geojson") else {
        return;
    };
    let Some(city_csv) =
        shared_data("paris/elections-presidentielles-2017-1ertour_opendata-paris.csv")
    else {
        return;
    };
    let Some(long_csv) = shared_data("paris/resultats_2017_par_bureau_long.csv") else {
        return;
    };
    let Some(ban) = shared_data("paris/addresses/ban_adresses-75.csv.gz") else {
        return;
    };
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();

    let r = json_of(&[
        "import",
        "precincts",
        c,
        precincts.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["imported"], 896);
    assert_eq!(r["id_field"], "id_bv");
    assert_eq!(r["crs"], "EPSG:4326");
    assert!(inside_paris(&r["bbox_wgs84"]), "{}", r["bbox_wgs84"]);

    let r = json_of(&["import", "results", c, city_csv.to_str().unwrap(), "--json"]);
    assert_eq!(r["matched"], 896, "{r:#}");
    assert_eq!(r["unmatched_rows"].as_array().unwrap().len(), 0);
    assert_eq!(r["precincts_without_results"].as_array().unwrap().len(), 0);
    assert_eq!(
        r["summary_rows"].as_array().unwrap().len(),
        1,
        "the grand-total row is reported"
    );

    let r = json_of(&["import", "results", c, long_csv.to_str().unwrap(), "--json"]);
    let p1 = r["elections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "presidentielle-1")
        .expect("presidentielle-1");
    assert_eq!(p1["matched"], 896, "{p1:#}");

    let r = json_of(&["import", "addresses", c, ban.to_str().unwrap(), "--json"]);
    assert_eq!(r["imported"], 158_048);
    let inside = r["in_precincts"].as_u64().unwrap() as f64;
    assert!(
        inside / 158_048.0 >= 0.985,
        "only {inside} of 158,048 in a precinct"
    );
    assert_eq!(
        r["in_precincts"].as_u64().unwrap() + r["outside"].as_u64().unwrap(),
        158_048
    );

    let info = json_of(&["info", c, "--json"]);
    assert_eq!(info["precincts"], 896);
    assert_eq!(info["addresses"], 158_048);
    let elections: Vec<&str> = info["elections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(elections.contains(&"presidentielle-1"), "{elections:?}");
}

#[test]
fn paris_2012_lambert93_layer_lands_in_paris() {
    let Some(layer) = shared_data("paris/paris_bureaux_de_vote_2012_lambert93.geojson") else {
        return;
    };
    let (_dir, campaign) = temp_campaign();
    let r = json_of(&[
        "import",
        "precincts",
        campaign.to_str().unwrap(),
        layer.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["imported"], 867);
    assert_eq!(r["crs"], "EPSG:2154");
    assert_eq!(r["id_field"], "ID");
    assert!(inside_paris(&r["bbox_wgs84"]), "{}", r["bbox_wgs84"]);
}

#[test]
fn iris_layer_in_lambert93_reads_as_precinct_like_areas() {
    let Some(layer) = shared_data("paris/socio/paris_iris_2013_lambert93.geojson") else {
        return;
    };
    let (_dir, campaign) = temp_campaign();
    let r = json_of(&[
        "import",
        "precincts",
        campaign.to_str().unwrap(),
        layer.to_str().unwrap(),
        "--id-field",
        "DCOMIRIS",
        "--json",
    ]);
    assert_eq!(r["imported"], 992);
    assert!(inside_paris(&r["bbox_wgs84"]) || r["bbox_wgs84"][0].as_f64().unwrap() > 2.2);
}
