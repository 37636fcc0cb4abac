//! Election results import on the real Paris 2017 files (wide city export, long Ministère-derived
//! file, turnout-only file) and on a small OpenElections-shaped fixture, through the model API.

use crate::common;

use std::path::{Path, PathBuf};

use common::{shared_data, temp_campaign};
use porte::model::import::results::{ResultsImportOptions, ResultsImportReport};
use porte::model::storage::elections::load_election;
use porte::model::{Campaign, NoProgress};

/// A campaign whose precincts are the 896 Paris 2017 codes (`id_bv` of the geojson), inserted
/// directly: these tests are about results, not boundaries.
fn paris_campaign(dir_path: &Path) -> Option<Campaign> {
    let geojson = shared_data("paris/secteurs-des-bureaux-de-vote_2017.geojson")?;
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(geojson).unwrap()).unwrap();
    let codes: Vec<String> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id_bv"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 896);
    let c = Campaign::open(dir_path).unwrap();
    for code in &codes {
        c.connection()
            .execute("INSERT INTO precincts (code) VALUES (?1)", [code])
            .unwrap();
    }
    Some(c)
}

fn import(c: &mut Campaign, file: &Path, opts: &ResultsImportOptions) -> ResultsImportReport {
    c.import_results(file, opts, &NoProgress)
        .unwrap_or_else(|e| panic!("import {}: {e}", file.display()))
}

#[test]
fn paris_wide_city_export() {
    let (_dir, path) = temp_campaign();
    let Some(mut c) = paris_campaign(&path) else {
        return;
    };
    let Some(csv) = shared_data("paris/elections-presidentielles-2017-1ertour_opendata-paris.csv")
    else {
        return;
    };
    let r = import(&mut c, &csv, &ResultsImportOptions::default());
    assert_eq!(r.format, "wide");
    assert_eq!(r.delimiter, ";");
    assert_eq!(r.encoding, "UTF-8");
    assert_eq!(r.key_field, "ID_BVOTE");
    assert_eq!(r.rows, 897);
    assert_eq!(r.matched, 896, "{:#?}", r.warnings);
    assert!(r.unmatched_rows.is_empty(), "{:?}", r.unmatched_rows);
    assert!(r.precincts_without_results.is_empty());
    assert_eq!(
        r.summary_rows.len(),
        1,
        "the blank grand-total row: {:?}",
        r.summary_rows
    );
    assert_eq!(r.summary_rows[0].location, "row 898");
    assert!(r.bad_rows.is_empty(), "{:?}", r.bad_rows);
    assert_eq!(r.elections.len(), 1);
    let e = &r.elections[0];
    assert_eq!(e.name, "Présidentielle 2017 tour 1");
    assert_eq!(e.matched, 896);
    assert_eq!(e.candidates.len(), 11, "{:?}", e.candidates);
    assert!(e.candidates.contains(&"MÉLENCHON Jean-Luc".to_string()));
    let stored = load_election(c.connection(), &e.name).unwrap().unwrap();
    let p = stored.precinct("15-49").unwrap();
    assert_eq!(p.turnout.registered, Some(1476));
    assert_eq!(p.turnout.valid, Some(1094));
    assert_eq!(p.candidate_total(), 1094);
    assert!(c.info().unwrap().elections.contains(&e.name));

    // --election names the single contest.
    let opts = ResultsImportOptions {
        election: Some("pres-2017-t1".into()),
        ..Default::default()
    };
    let r = import(&mut c, &csv, &opts);
    assert_eq!(r.elections[0].name, "pres-2017-t1");
}

#[test]
fn paris_long_then_participation_merge() {
    let (_dir, path) = temp_campaign();
    let Some(mut c) = paris_campaign(&path) else {
        return;
    };
    let Some(long) = shared_data("paris/resultats_2017_par_bureau_long.csv") else {
        return;
    };
    let Some(part) = shared_data("paris/resultats_2017_par_bureau_participation.csv") else {
        return;
    };

    let r = import(&mut c, &long, &ResultsImportOptions::default());
    assert_eq!(r.format, "long");
    assert_eq!(r.rows, 31_864);
    assert_eq!(
        r.elections.len(),
        4,
        "{:?}",
        r.elections.iter().map(|e| &e.name).collect::<Vec<_>>()
    );
    let p1 = r
        .elections
        .iter()
        .find(|e| e.name == "presidentielle-1")
        .expect("presidentielle-1");
    assert_eq!(p1.matched, 896);
    assert_eq!(p1.candidates.len(), 11);
    let l2 = r
        .elections
        .iter()
        .find(|e| e.name == "legislatives-2")
        .unwrap();
    assert_eq!(
        l2.matched,
        896 - 61,
        "legislatives-2 lacks the 1st constituency"
    );
    assert_eq!(l2.without_results, 61);
    assert_eq!(r.matched, 896);
    assert!(r.unmatched_rows.is_empty());
    assert!(
        r.bad_rows.is_empty(),
        "{:?}",
        &r.bad_rows[..r.bad_rows.len().min(3)]
    );
    let e = load_election(c.connection(), "presidentielle-1")
        .unwrap()
        .unwrap();
    assert_eq!(
        e.precinct("1-1").unwrap().turnout.registered,
        None,
        "no turnout yet"
    );
    let macron = e.candidate_index("MACRON Emmanuel").unwrap();
    assert_eq!(e.candidates[macron].party.as_deref(), Some("REM"));
    assert_eq!(e.precinct("1-1").unwrap().votes[macron], Some(348));

    // The turnout-only file merges into the same elections.
    let r = import(&mut c, &part, &ResultsImportOptions::default());
    assert_eq!(r.rows, 3_523);
    assert_eq!(r.elections.len(), 4);
    assert!(
        r.elections.iter().all(|e| !e.created),
        "merged, not created"
    );
    assert!(r.elections.iter().all(|e| e.candidates.is_empty()));
    assert_eq!(r.matched, 896);
    let e = load_election(c.connection(), "presidentielle-1")
        .unwrap()
        .unwrap();
    let p = e.precinct("1-1").unwrap();
    assert_eq!(p.turnout.registered, Some(1079));
    assert_eq!(p.turnout.voters, Some(926));
    assert_eq!(p.turnout.blank, Some(6));
    assert_eq!(p.turnout.null, Some(6));
    assert_eq!(p.turnout.valid, Some(914));
    assert_eq!(p.votes[macron], Some(348), "votes kept");
    assert_eq!(p.candidate_total(), 914);
    let mut names = c.info().unwrap().elections;
    names.sort();
    assert_eq!(
        names,
        vec![
            "legislatives-1",
            "legislatives-2",
            "presidentielle-1",
            "presidentielle-2"
        ]
    );
}

#[test]
fn paris_long_office_filter_and_key_field() {
    let (_dir, path) = temp_campaign();
    let Some(mut c) = paris_campaign(&path) else {
        return;
    };
    let Some(long) = shared_data("paris/resultats_2017_par_bureau_long.csv") else {
        return;
    };
    // code_bureau (0101) instead of id_bv (1-1): composite codes padded to 2 digits.
    let opts = ResultsImportOptions {
        office: Some("presidentielle-2".into()),
        key_field: Some("code_bureau".into()),
        ..Default::default()
    };
    let r = import(&mut c, &long, &opts);
    assert_eq!(r.key_field, "code_bureau");
    assert!(r.key_rule.contains("2 digits"), "{}", r.key_rule);
    assert_eq!(r.elections.len(), 1);
    assert_eq!(r.elections[0].name, "presidentielle-2");
    assert_eq!(r.elections[0].matched, 896);
    assert_eq!(r.elections[0].candidates.len(), 2);
    assert_eq!(r.rows_filtered_out, 31_864 - 1_792);
    assert!(r.unmatched_rows.is_empty());
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn us_campaign(path: &Path) -> Campaign {
    let c = Campaign::open(path).unwrap();
    for code in ["101", "102", "103"] {
        c.connection()
            .execute("INSERT INTO precincts (code) VALUES (?1)", [code])
            .unwrap();
    }
    c
}

#[test]
fn openelections_two_offices() {
    let (_dir, path) = temp_campaign();
    let mut c = us_campaign(&path);
    let r = import(
        &mut c,
        &fixture("openelections_two_offices.csv"),
        &ResultsImportOptions::default(),
    );
    assert_eq!(r.format, "openelections");
    assert_eq!(r.key_field, "precinct");
    let names: Vec<&str> = r.elections.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["President", "U.S. House 5"]);
    assert_eq!(
        r.elections[0].candidates,
        vec!["Jane Doe", "John Roe"],
        "over votes are not candidates"
    );
    assert_eq!(r.matched, 2);
    assert_eq!(r.precincts_without_results, vec!["103"]);
    assert_eq!(r.unmatched_rows.len(), 1);
    assert_eq!(r.unmatched_rows[0].key, "0199");
    assert_eq!(r.unmatched_rows[0].row, 15);
    assert_eq!(r.summary_rows.len(), 1);
    let e = load_election(c.connection(), "U.S. House 5")
        .unwrap()
        .unwrap();
    let p = e.precinct("101").unwrap();
    assert_eq!(
        (p.turnout.registered, p.turnout.voters),
        (Some(812), Some(540))
    );
    assert_eq!(e.candidates[0].party.as_deref(), Some("DEM"));
}

#[test]
fn openelections_office_filter() {
    let (_dir, path) = temp_campaign();
    let mut c = us_campaign(&path);
    let opts = ResultsImportOptions {
        office: Some("President".into()),
        election: Some("2020 General President".into()),
        ..Default::default()
    };
    let r = import(&mut c, &fixture("openelections_two_offices.csv"), &opts);
    assert_eq!(r.elections.len(), 1);
    assert_eq!(r.elections[0].name, "2020 General President");
    assert_eq!(r.elections[0].matched, 2);
    assert_eq!(c.info().unwrap().elections, vec!["2020 General President"]);
    let e = load_election(c.connection(), "2020 General President")
        .unwrap()
        .unwrap();
    assert_eq!(e.precinct("102").unwrap().turnout.registered, Some(400));
}
