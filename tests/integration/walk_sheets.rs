//! Walk sheets and phone exports through the CLI on the sample city: precinct 10 cut into turfs,
//! the bundled roster imported, a Saturday-morning operation assigned by Porte, then
//! `porte export sheets` (one PDF and one per team), `porte export gpx|geojson|csv|html`, and
//! `porte export sheet-settings`. The PDFs are read back with `pdftotext` (poppler-utils,
//! installed by scripts/setup).

use crate::common;

use std::path::Path;

use common::{create_saturday_operation, json_of, run_porte, temp_campaign};
use serde_json::Value;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A campaign with precinct 10 cut into turfs of ~60 doors, the roster, and operation 1
/// (Saturday 14 March 2026) assigned by Porte. Returns the turf ids.
fn planned_campaign(c: &str) -> Vec<i64> {
    let cut = common::sample_city_cut(c, "10", 60);
    let turfs: Vec<i64> = cut["turfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(turfs.len() >= 4, "{cut}");
    let roster = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-cities/saint-aubin-des-pres/benevoles.csv");
    json_of(&[
        "volunteers",
        "import",
        c,
        roster.to_str().unwrap(),
        "--json",
    ]);
    create_saturday_operation(c);
    let assigned = json_of(&["operation", "assign", c, "1", "--auto", "--json"]);
    assert!(assigned["teams"].as_u64().unwrap() >= 2, "{assigned}");
    turfs
}

#[test]
fn an_operation_prints_its_walk_sheets_and_phone_files() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let turfs = planned_campaign(c);
    let pdf = dir.path().join("samedi.pdf");
    let teams_dir = dir.path().join("equipes");
    let report = json_of(&[
        "export",
        "sheets",
        c,
        "--operation",
        "1",
        "--pdf",
        pdf.to_str().unwrap(),
        "--per-team",
        teams_dir.to_str().unwrap(),
        "--json",
    ]);
    let sheets = report["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), turfs.len(), "one sheet per turf: {report}");
    let with_team: Vec<&Value> = sheets
        .iter()
        .filter(|s| !s["team"].as_str().unwrap().is_empty())
        .collect();
    assert!(with_team.len() >= 2);
    let files = report["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        1 + with_team.len(),
        "the whole PDF + one per team"
    );
    for f in files {
        let path = Path::new(f["path"].as_str().unwrap());
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap());
        assert!(bytes.starts_with(b"%PDF-"), "{}", path.display());
        assert!(contains(&bytes, b"/FontFile2"), "an embedded TrueType font");
        let per_sheet = bytes.len() / f["sheets"].as_u64().unwrap() as usize;
        assert!(per_sheet <= 300_000, "{per_sheet} bytes per sheet");
    }
    assert!(report["max_bytes_per_sheet"].as_u64().unwrap() <= 300_000);

    // The whole PDF: every turf's name, the accents, the date, a street of each route.
    let text = common::pdf_text(&pdf);
    for s in sheets {
        assert!(text.contains(s["turf"].as_str().unwrap()), "{}", s["turf"]);
    }
    assert!(text.contains("samedi 14 mars 2026"));
    assert!(text.contains("Équipe"));
    assert!(text.contains("Protection des données"));
    assert!(text.contains("Codes de réponse") && text.contains("Argumentaire"));
    let pages = report["pages"].as_u64().unwrap() as usize;
    assert_eq!(
        text.matches('\u{c}').count(),
        pages,
        "one form feed per page"
    );

    // The route's streets, from the CSV of the first turf, are on its sheet.
    let first = turfs[0].to_string();
    let csv_path = dir.path().join("doors.csv");
    let csv_report = json_of(&[
        "export",
        "csv",
        c,
        "--turf",
        &first,
        "--output",
        csv_path.to_str().unwrap(),
        "--json",
    ]);
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len() as u64, csv_report["doors"].as_u64().unwrap());
    assert_eq!(rows.len() as u64, sheets[0]["doors"].as_u64().unwrap());
    let orders: Vec<usize> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    assert_eq!(orders, (1..=rows.len()).collect::<Vec<_>>());
    let street = &rows[0][5];
    assert!(!street.is_empty());
    assert!(text.contains(street), "{street} on the sheet");

    // One team's own PDF holds its turf only.
    let team_file = files
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .find(|p| p.contains("equipes"))
        .unwrap();
    let team_text = common::pdf_text(Path::new(team_file));
    let named: Vec<&str> = sheets
        .iter()
        .map(|s| s["turf"].as_str().unwrap())
        .filter(|t| team_text.contains(&format!("{t} —")))
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");

    // GPX: one waypoint per door; GeoJSON: the line and the stops; HTML: offline.
    let gpx = dir.path().join("t.gpx");
    json_of(&[
        "export",
        "gpx",
        c,
        "--turf",
        &first,
        "--output",
        gpx.to_str().unwrap(),
        "--json",
    ]);
    let gpx_text = std::fs::read_to_string(&gpx).unwrap();
    assert_eq!(gpx_text.matches("<wpt ").count(), rows.len());
    assert!(gpx_text.contains("<trkseg>") && gpx_text.trim_end().ends_with("</gpx>"));
    let gj = dir.path().join("t.geojson");
    json_of(&[
        "export",
        "geojson",
        c,
        "--turf",
        &first,
        "--output",
        gj.to_str().unwrap(),
        "--json",
    ]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&gj).unwrap()).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), rows.len() + 1);
    let html = dir.path().join("t.html");
    json_of(&[
        "export",
        "html",
        c,
        "--turf",
        &first,
        "--operation",
        "1",
        "--output",
        html.to_str().unwrap(),
        "--json",
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(page.contains("samedi 14 mars 2026") && page.contains(street));
}

#[test]
fn a_single_turf_sheet_in_english_with_the_campaigns_own_talking_points() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let turfs = planned_campaign(c);
    let set = json_of(&[
        "export",
        "sheet-settings",
        c,
        "--talking-points",
        "Parler du marché couvert\nRappeler la réunion publique",
        "--json",
    ]);
    assert_eq!(set["changed"], true);
    let pdf = dir.path().join("turf.pdf");
    let id = turfs[1].to_string();
    let report = json_of(&[
        "export",
        "sheets",
        c,
        "--turf",
        &id,
        "--pdf",
        pdf.to_str().unwrap(),
        "--lang",
        "en",
        "--json",
    ]);
    assert_eq!(report["sheets"].as_array().unwrap().len(), 1);
    let text = common::pdf_text(&pdf);
    assert!(text.contains("Response codes") && text.contains("Come back"));
    assert!(
        text.contains("Parler du marché couvert"),
        "the campaign's talking points"
    );
    assert!(text.contains("Data protection"));
    // Bad input is refused with a message.
    let (ok, _, err) = run_porte(&["export", "sheets", c, "--turf", "9999", "--pdf", "x.pdf"]);
    assert!(!ok && err.contains("9999"), "{err}");
    let (ok, _, err) = run_porte(&[
        "export", "sheets", c, "--turf", &id, "--pdf", "x.pdf", "--lang", "de",
    ]);
    assert!(!ok && err.contains("--lang de"), "{err}");
}
