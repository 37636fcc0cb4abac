//! Turfs through the CLI (`porte turfs cut|list|undo|redo|delete --json`) on a small hand-made
//! town, and the Paris check: precinct 13-34 (936 BAN addresses) cut into turfs of ~120 doors.

use crate::common;

use std::collections::HashSet;
use std::path::Path;

use common::{json_of, run_porte, shared_data, temp_campaign};

/// A 600 m square precinct "T-1" near Orléans and a BAN CSV of 6 streets × 2 sides × 25 houses.
fn write_town(dir: &Path) -> (String, String) {
    let (lon0, lat0): (f64, f64) = (1.9, 47.9);
    let m_lon = 1.0 / (111_195.0 * lat0.to_radians().cos());
    let m_lat = 1.0 / 111_195.0;
    let ll = |x: f64, y: f64| (lon0 + x * m_lon, lat0 + y * m_lat);
    let corners: Vec<String> = [
        (0.0, 0.0),
        (600.0, 0.0),
        (600.0, 600.0),
        (0.0, 600.0),
        (0.0, 0.0),
    ]
    .iter()
    .map(|&(x, y)| {
        let (a, b) = ll(x, y);
        format!("[{a}, {b}]")
    })
    .collect();
    let geojson = format!(
        r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature",
        "properties": {{"code": "T-1", "nom": "Test"}},
        "geometry": {{"type": "Polygon", "coordinates": [[{}]]}}}}]}}"#,
        corners.join(", ")
    );
    let precincts = dir.join("precincts.geojson");
    std::fs::write(&precincts, geojson).unwrap();
    let mut csv =
        String::from("id;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat\n");
    for s in 0..6 {
        let y = 50.0 + s as f64 * 100.0;
        for i in 0..25 {
            let x = 12.0 + i as f64 * 23.0;
            for (side, dy) in [(1, -8.0), (2, 8.0)] {
                let (lon, lat) = ll(x, y + dy);
                let n = 2 * i + side;
                csv.push_str(&format!(
                    "45000_{s}_{n};{n};;Rue {s};45000;45000;Test;{lon:.7};{lat:.7}\n"
                ));
            }
        }
    }
    let addresses = dir.join("adresses.csv");
    std::fs::write(&addresses, csv).unwrap();
    (
        precincts.display().to_string(),
        addresses.display().to_string(),
    )
}

#[test]
fn cut_list_undo_redo_delete_through_the_cli() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let (precincts, addresses) = write_town(dir.path());
    json_of(&[
        "import",
        "precincts",
        c,
        &precincts,
        "--id-field",
        "code",
        "--json",
    ]);
    let r = json_of(&["import", "addresses", c, &addresses, "--json"]);
    assert_eq!(r["in_precincts"], 300, "{r:#}");

    let cut = json_of(&[
        "turfs",
        "cut",
        c,
        "--precinct",
        "T-1",
        "--doors-per-turf",
        "50",
        "--json",
    ]);
    assert_eq!(cut["doors"], 300);
    let turfs = cut["turfs"].as_array().unwrap();
    assert_eq!(turfs.len(), 6);
    assert!(cut["doors_ratio"].as_f64().unwrap() <= 1.2, "{cut:#}");
    assert_eq!(cut["all_contiguous"], true, "{cut:#}");

    let list = json_of(&["turfs", "list", c, "--json"]);
    let listed = list["turfs"].as_array().unwrap();
    assert_eq!(listed.len(), 6);
    let doors: u64 = listed.iter().map(|t| t["doors"].as_u64().unwrap()).sum();
    assert_eq!(doors, 300);
    let area: f64 = listed.iter().map(|t| t["area_m2"].as_f64().unwrap()).sum();
    assert!(
        (area - 360_000.0).abs() < 360.0,
        "the turfs tile the precinct: {area}"
    );
    for t in listed {
        assert_eq!(t["precincts"], serde_json::json!(["T-1"]));
        assert_eq!(t["status"], "planned");
        assert!(t["minutes"].as_f64().unwrap() > 50.0, "{t}");
        assert!(t["id"].as_i64().unwrap() > 0 && t["name"].as_str().unwrap().starts_with("T-1 · "));
    }
    assert!(
        list["history"]["undo"]
            .as_str()
            .unwrap()
            .starts_with("cut T-1")
    );

    // A second cut without --replace is refused; with it, one undoable edit.
    let (ok, _, err) = run_porte(&["turfs", "cut", c, "--precinct", "T-1", "--turfs", "3"]);
    assert!(!ok && err.contains("--replace"), "{err}");
    let again = json_of(&[
        "turfs",
        "cut",
        c,
        "--precinct",
        "T-1",
        "--turfs",
        "3",
        "--replace",
        "--json",
    ]);
    assert_eq!(again["turfs"].as_array().unwrap().len(), 3);
    assert_eq!(again["replaced"].as_array().unwrap().len(), 6);
    let undo = json_of(&["turfs", "undo", c, "--json"]);
    assert!(undo["done"].as_str().unwrap().contains("into 3 turfs"));
    assert_eq!(
        json_of(&["turfs", "list", c, "--json"])["turfs"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    json_of(&["turfs", "redo", c, "--json"]);
    let three = json_of(&["turfs", "list", c, "--json"]);
    let ids: Vec<i64> = three["turfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);

    let del = json_of(&["turfs", "delete", c, &ids[0].to_string(), "--json"]);
    assert!(
        del["history"]["undo"]
            .as_str()
            .unwrap()
            .starts_with("delete")
    );
    assert_eq!(
        json_of(&["turfs", "list", c, "--json"])["turfs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    json_of(&["turfs", "undo", c, "--json"]);
    assert_eq!(
        json_of(&["turfs", "list", c, "--json"])["turfs"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let (ok, _, err) = run_porte(&["turfs", "cut", c, "--precinct", "NOPE", "--turfs", "2"]);
    assert!(!ok && err.contains("no precinct NOPE"), "{err}");
    let (ok, _, err) = run_porte(&["turfs", "delete", c, "9999"]);
    assert!(!ok && err.contains("no turf 9999"), "{err}");

    // ogrinfo-style readers see the turfs layer.
    let conn = rusqlite::Connection::open(&campaign).unwrap();
    let (kind, geom): (String, String) = conn
        .query_row(
            "SELECT c.data_type, g.geometry_type_name FROM gpkg_contents c
             JOIN gpkg_geometry_columns g USING (table_name) WHERE table_name = 'turfs'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), geom.as_str()), ("features", "MULTIPOLYGON"));
}

#[test]
fn paris_precinct_13_34_cut_into_turfs_of_about_120_doors() {
    let Some(precincts) = shared_data("paris/secteurs-des-bureaux-de-vote_2017.geojson") else {
        return;
    };
    let Some(ban) = shared_data("paris/addresses/ban_adresses-75.csv.gz") else {
        return;
    };
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    json_of(&[
        "import",
        "precincts",
        c,
        precincts.to_str().unwrap(),
        "--json",
    ]);
    json_of(&["import", "addresses", c, ban.to_str().unwrap(), "--json"]);
    let cut = json_of(&[
        "turfs",
        "cut",
        c,
        "--precinct",
        "13-34",
        "--doors-per-turf",
        "120",
        "--json",
    ]);
    assert_eq!(cut["doors"], 936, "{cut:#}");
    let n = cut["turfs"].as_array().unwrap().len();
    assert_eq!(n, 8, "936 / 120 rounds to 8 turfs");
    let ratio = cut["doors_ratio"].as_f64().unwrap();
    eprintln!(
        "Paris 13-34: {n} turfs, doors {}–{} (max/min {ratio:.3}), compactness mean {:.3}",
        cut["doors_min"],
        cut["doors_max"],
        cut["compactness_mean"].as_f64().unwrap()
    );
    assert!(ratio <= 1.2, "{cut:#}");
    for t in cut["turfs"].as_array().unwrap() {
        assert_eq!(t["contiguous"], true, "{t}");
    }
    // Every address of the precinct is in exactly one turf, and no other address is.
    let conn = rusqlite::Connection::open(&campaign).unwrap();
    let in_precinct: HashSet<i64> = conn
        .prepare("SELECT fid FROM addresses WHERE precinct_code = '13-34'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(in_precinct.len(), 936);
    let held: Vec<i64> = conn
        .prepare("SELECT address_fid FROM turf_doors")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let held_set: HashSet<i64> = held.iter().copied().collect();
    assert_eq!(held.len(), held_set.len(), "a door in two turfs");
    assert_eq!(held_set, in_precinct);
}

/// "Not visited in the last N days": the doors visited in the window are left out of the cut,
/// older visits are not.
#[test]
fn cut_counts_only_doors_not_visited_in_the_last_days() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let (precincts, addresses) = write_town(dir.path());
    json_of(&[
        "import",
        "precincts",
        c,
        &precincts,
        "--id-field",
        "code",
        "--json",
    ]);
    json_of(&["import", "addresses", c, &addresses, "--json"]);
    // 20 doors visited on 10 March, one more on 1 January.
    for (fid, date) in (1..=20)
        .map(|f| (f, "2026-03-10"))
        .chain([(21, "2026-01-01")])
    {
        let fid = fid.to_string();
        json_of(&[
            "results",
            "visit",
            c,
            "--door",
            &fid,
            "--date",
            date,
            "--outcome",
            "not_home",
            "--json",
        ]);
    }
    let cut = |today: &str| {
        json_of(&[
            "turfs",
            "cut",
            c,
            "--precinct",
            "T-1",
            "--doors-per-turf",
            "50",
            "--replace",
            "--not-visited-days",
            "30",
            "--today",
            today,
            "--json",
        ])
    };
    let recent = cut("2026-03-20");
    assert_eq!(recent["doors"], 280, "{recent:#}");
    assert_eq!(recent["doors_filtered_out"], 20, "{recent:#}");
    let list = json_of(&["turfs", "list", c, "--json"]);
    let doors: u64 = list["turfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["doors"].as_u64().unwrap())
        .sum();
    assert_eq!(doors, 280, "the visited doors are in no turf");
    // Two months later the March visits are older than 30 days: every door counts again.
    let later = cut("2026-05-20");
    assert_eq!(later["doors"], 300, "{later:#}");
    assert_eq!(later["doors_filtered_out"], 0, "{later:#}");
}
