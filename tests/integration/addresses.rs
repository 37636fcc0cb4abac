//! Address import: BAN and OpenAddresses CSV, OSM PBF, bad rows and bad files.

use crate::common;

use common::{shared_data, temp_campaign};
use porte::model::import::addresses::{AddressFormat, AddressImportOptions};
use porte::model::import::precincts::PrecinctImportOptions;
use porte::model::{Campaign, NoProgress};

const ONE_PRECINCT: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id_bv":"4-1"},"geometry":{"type":"Polygon","coordinates":[[[2.34,48.85],[2.36,48.85],[2.36,48.86],[2.34,48.86],[2.34,48.85]]]}}]}"#;

fn campaign_with_precinct() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_campaign();
    let f = dir.path().join("p.geojson");
    std::fs::write(&f, ONE_PRECINCT).unwrap();
    Campaign::open(&path)
        .unwrap()
        .import_precincts(&f, &PrecinctImportOptions::default(), &NoProgress)
        .unwrap();
    (dir, path)
}

#[test]
fn ban_rows_with_bad_coordinates_are_skipped_and_named() {
    let (dir, campaign) = campaign_with_precinct();
    let f = dir.path().join("ban.csv");
    std::fs::write(
        &f,
        "id;numero;rep;nom_voie;code_postal;nom_commune;x;y;lon;lat\n\
        a;1;;Rue de Rivoli;75004;Paris;;;2.350;48.855\n\
        b;3;bis;Rue de Rivoli;75004;Paris;;;abc;48.855\n\
        c;;;Rue de Rivoli;75004;Paris;;;2.351;48.855\n\
        d;5;;Rue de Rivoli;75004;Paris;;;2.400;48.900\n",
    )
    .unwrap();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_addresses(&f, &AddressImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(r.format, AddressFormat::Ban);
    assert_eq!(
        (r.rows, r.imported, r.in_precincts, r.outside, r.skipped),
        (4, 2, 1, 1, 2)
    );
    assert_eq!(r.issues[0].location, "row 3");
    assert!(r.issues[0].message.contains("coordinates"));
    assert_eq!(r.issues[1].location, "row 4");
    // Re-importing the same file replaces its doors instead of doubling them.
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_addresses(&f, &AddressImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(r.replaced, 2);
    assert_eq!(
        Campaign::open(&campaign).unwrap().info().unwrap().addresses,
        2
    );
}

#[test]
fn latin1_openaddresses_and_lambert93_ban_xy() {
    let (dir, campaign) = campaign_with_precinct();
    let f = dir.path().join("oa.csv");
    let mut bytes =
        b"LON,LAT,NUMBER,STREET,UNIT,CITY,POSTCODE,ID\n2.350,48.855,12,Rue de l'".to_vec();
    bytes.extend_from_slice(b"\xc9glise,,Paris,75004,x1\n");
    std::fs::write(&f, bytes).unwrap();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_addresses(&f, &AddressImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(r.format, AddressFormat::OpenAddresses);
    assert_eq!((r.imported, r.in_precincts), (1, 1));
    assert_eq!(r.encoding.as_deref(), Some("windows-1252"));
    let street: String = Campaign::open(&campaign)
        .unwrap()
        .connection()
        .query_row("SELECT street FROM addresses", [], |r| r.get(0))
        .unwrap();
    assert_eq!(street, "Rue de l'Église");
    // BAN with Lambert-93 x/y only (lon/lat columns absent).
    let f = dir.path().join("ban_xy.csv");
    std::fs::write(&f, "numero;nom_voie;x;y\n1;Rue A;652296.97;6861636.36\n").unwrap();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_addresses(&f, &AddressImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(
        (r.imported, r.in_precincts),
        (1, 1),
        "2.3499, 48.8530 is in the precinct"
    );
}

#[test]
fn garbage_and_unknown_files_are_refused_with_their_name() {
    let (dir, campaign) = campaign_with_precinct();
    for (name, bytes) in [
        (
            "garbage.csv",
            b"\x00\x00\x01\x02\xff\xfe\xfd binary".to_vec(),
        ),
        ("other.csv", b"a,b,c\n1,2,3\n".to_vec()),
        ("empty.csv", Vec::new()),
        ("bad.osm.pbf", b"not a pbf at all".to_vec()),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let e = Campaign::open(&campaign)
            .unwrap()
            .import_addresses(&f, &AddressImportOptions::default(), &NoProgress)
            .unwrap_err()
            .to_string();
        assert!(e.contains(name), "{name}: {e}");
    }
    assert_eq!(
        Campaign::open(&campaign).unwrap().info().unwrap().addresses,
        0
    );
}

#[test]
fn osm_pbf_house_numbers_of_monaco() {
    let Some(pbf) = shared_data("osm/monaco-latest.osm.pbf") else {
        return;
    };
    let (_dir, campaign) = temp_campaign();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_addresses(&pbf, &AddressImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(r.format, AddressFormat::OsmPbf);
    assert!(r.imported >= 172, "{} addresses", r.imported);
    assert_eq!(r.outside, r.imported, "no precincts yet");
    let (lon, lat): (f64, f64) = {
        let c = Campaign::open(&campaign).unwrap();
        let b = porte::model::storage::addresses::extent(c.connection())
            .unwrap()
            .unwrap();
        ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0)
    };
    assert!(
        (7.40..7.45).contains(&lon) && (43.72..43.76).contains(&lat),
        "{lon} {lat}"
    );
}

#[test]
fn osm_pbf_house_numbers_of_helsinki_with_multi_number_buildings() {
    let Some(pbf) = shared_data("osm/Helsinki.osm.pbf") else {
        return;
    };
    let (_dir, campaign) = temp_campaign();
    let r = Campaign::open(&campaign)
        .unwrap()
        .import_addresses(&pbf, &AddressImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(r.rows, 1470, "objects with addr:housenumber");
    assert!(
        r.imported > r.rows,
        "\"1;3\"-style numbers make several doors"
    );
    let c = Campaign::open(&campaign).unwrap();
    let b = porte::model::storage::addresses::extent(c.connection())
        .unwrap()
        .unwrap();
    assert!(
        b[0] > 24.8 && b[2] < 25.1 && b[1] > 60.1 && b[3] < 60.25,
        "{b:?}"
    );
}
