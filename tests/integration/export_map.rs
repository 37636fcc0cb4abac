//! `porte export map` end to end: a hand-made three-precinct campaign (Lambert-93 squares and a
//! wide results CSV) and the bundled sample city, exported as PNG and PDF; the PNG is decoded
//! and its precinct interiors and legend checked, the PDF checked for an embedded font; and the
//! GUI's File › Export map… on a coloured map.

use crate::common;
use crate::ui_common;

use std::collections::HashMap;

use common::{L93_PRJ, json_of, run_porte, temp_campaign, write_square_shapefile};
use serde_json::Value;

/// How many pixels of each colour the image has.
fn colour_counts(png: &[u8]) -> (u32, u32, HashMap<[u8; 3], usize>) {
    let pixmap = tiny_skia::Pixmap::decode_png(png).expect("the PNG decodes");
    let mut counts = HashMap::new();
    for p in pixmap.pixels() {
        *counts.entry([p.red(), p.green(), p.blue()]).or_insert(0) += 1;
    }
    (pixmap.width(), pixmap.height(), counts)
}

fn rgb_of(v: &Value) -> [u8; 3] {
    let a = v.as_array().expect("an RGB array");
    [0, 1, 2].map(|i| a[i].as_u64().unwrap() as u8)
}

fn check_pdf(path: &std::path::Path) -> usize {
    let pdf = std::fs::read(path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.windows(10).any(|w| w == b"/FontFile2"),
        "the PDF embeds its font"
    );
    pdf.len()
}

#[test]
fn a_hand_made_campaign_exports_its_turnout_map() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let shp = write_square_shapefile(
        dir.path(),
        "bureaux",
        &[
            ("1", "École Jules-Ferry", 652_000.0, 6_861_000.0, 400.0),
            ("2", "Gymnase", 652_400.0, 6_861_000.0, 400.0),
            ("3", "Mairie", 652_000.0, 6_861_400.0, 400.0),
            ("4", "Salle des fêtes", 652_400.0, 6_861_400.0, 400.0),
        ],
        encoding_rs::UTF_8,
        Some(L93_PRJ),
        Some("UTF-8"),
    );
    let (ok, _, err) = run_porte(&["import", "precincts", c, shp.to_str().unwrap()]);
    assert!(ok, "{err}");
    let csv = dir.path().join("municipales.csv");
    // Turnouts 50 %, 70 %, 90 %; precinct 4 has no result.
    std::fs::write(
        &csv,
        "ID_BV;NB_INSCR;NB_VOTANT;NB_EXPRIM;DUPONT Jean;MARTIN Léa\n\
         1;100;50;50;30;20\n\
         2;100;70;70;35;35\n\
         3;100;90;90;20;70\n",
    )
    .unwrap();
    let (ok, _, err) = run_porte(&[
        "import",
        "results",
        c,
        csv.to_str().unwrap(),
        "--election",
        "municipales-test",
    ]);
    assert!(ok, "{err}");

    let png = dir.path().join("carte.png");
    let pdf = dir.path().join("carte.pdf");
    let r = json_of(&[
        "export",
        "map",
        c,
        "--variable",
        "turnout",
        "--method",
        "equal",
        "--classes",
        "3",
        "--title",
        "Participation — élections municipales",
        "--png",
        png.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--width",
        "900",
        "--json",
    ]);
    assert_eq!(r["precincts_drawn"], 4, "{r:#}");
    assert_eq!(r["classes"], 3);
    let files = r["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for f in files {
        let path = f["path"].as_str().unwrap();
        assert_eq!(
            std::fs::metadata(path).unwrap().len(),
            f["bytes"].as_u64().unwrap(),
            "{path}"
        );
        assert_eq!(f["pages"], 1);
    }
    assert_eq!(r["legend"]["no_data"], 1);

    let (w, h, counts) = colour_counts(&std::fs::read(&png).unwrap());
    assert_eq!((w, h), (900, 636));
    // Each class colour fills a precinct (hundreds of pixels), the no-data grey one too.
    for class in r["legend"]["classes"].as_array().unwrap() {
        let rgb = rgb_of(&class["color_rgb"]);
        let n = counts.get(&rgb).copied().unwrap_or(0);
        assert!(n > 2_000, "class colour {rgb:?}: {n} pixels");
    }
    let grey = counts
        .get(&porte::model::export::NO_DATA_RGB)
        .copied()
        .unwrap_or(0);
    assert!(grey > 2_000, "no-data grey: {grey} pixels");
    let pdf_bytes = check_pdf(&pdf);
    assert!(pdf_bytes < 80_000, "PDF of {pdf_bytes} bytes");

    // Clear refusals.
    let (ok, _, err) = run_porte(&["export", "map", c, "--variable", "turnout"]);
    assert!(!ok);
    assert!(err.contains("--png FILE and/or --pdf FILE"), "{err}");
    let (ok, _, err) = run_porte(&["export", "map", c, "--variable", "wealth", "--png", "x.png"]);
    assert!(!ok);
    assert!(err.contains("--variable wealth"), "{err}");
    let (ok, _, err) = run_porte(&["export", "map", c, "--variable", "doors", "--png", "x.png"]);
    assert!(!ok);
    assert!(err.contains("no addresses"), "{err}");
    let bad = dir.path().join("missing/dir/carte.png");
    let (ok, _, err) = run_porte(&["export", "map", c, "--png", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("missing/dir/carte.png"), "{err}");
}

#[test]
fn the_sample_city_exports_turnout_and_doors() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let info = json_of(&["sample-city", "build", c, "--json"]);
    let precincts = info["precincts"].as_u64().unwrap();
    assert!(precincts > 5);

    let png = dir.path().join("turnout.png");
    let pdf = dir.path().join("turnout.pdf");
    let start = std::time::Instant::now();
    let r = json_of(&[
        "export",
        "map",
        c,
        "--variable",
        "turnout",
        "--method",
        "jenks",
        "--png",
        png.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--paper",
        "a3",
        "--json",
    ]);
    eprintln!(
        "sample city turnout export: {:?} (PNG {} B, PDF {} B)",
        start.elapsed(),
        r["files"][0]["bytes"],
        r["files"][1]["bytes"]
    );
    assert_eq!(r["precincts_drawn"].as_u64(), Some(precincts));
    assert_eq!(r["classes"], 5);
    let (w, h, counts) = colour_counts(&std::fs::read(&png).unwrap());
    assert_eq!((w, h), (2400, 1697));
    for class in r["legend"]["classes"].as_array().unwrap() {
        let rgb = rgb_of(&class["color_rgb"]);
        assert!(
            counts.get(&rgb).copied().unwrap_or(0) > 500,
            "class colour {rgb:?} is on the map and in the legend"
        );
    }
    assert_eq!(r["files"][1]["width"].as_f64().unwrap().round(), 1191.0);
    check_pdf(&pdf);

    let doors = dir.path().join("doors.png");
    let r = json_of(&[
        "export",
        "map",
        c,
        "--variable",
        "doors",
        "--png",
        doors.to_str().unwrap(),
        "--width",
        "1200",
        "--json",
    ]);
    assert_eq!(r["precincts_drawn"].as_u64(), Some(precincts));
    assert_eq!(r["files"][0]["width"].as_f64(), Some(1200.0));
}

#[test]
fn the_gui_exports_the_map_as_coloured() {
    use egui_kittest::kittest::Queryable as _;
    use porte::ui::command::Command;
    use porte::ui::figures::Variable;
    use ui_common::{campaign_of_squares, harness_with, loaded, step_until, three_squares};

    let dir = tempfile::tempdir().unwrap();
    let (path, mut campaign, _) = campaign_of_squares(dir.path(), "carrés", &three_squares());
    let csv = dir.path().join("municipales.csv");
    std::fs::write(
        &csv,
        "bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa\n\
         P1;100;50;50;30;20\n\
         P2;100;70;70;35;35\n\
         P3;100;90;90;20;70\n",
    )
    .unwrap();
    campaign
        .import_results(
            &csv,
            &porte::model::import::results::ResultsImportOptions::default(),
            &porte::model::NoProgress,
        )
        .unwrap();
    drop(campaign);

    let mut h = harness_with(&path, |_| {});
    loaded(&mut h);
    h.state_mut().send(Command::ShowVariable(Variable::Turnout));
    h.run_steps(3);
    let legend = h.state().legend().expect("the map is coloured").clone();

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export map…").click();
    h.run_steps(3);
    let png = dir.path().join("carte exportée.png");
    h.get_by_label("Save as").click();
    h.run_steps(1);
    h.get_by_label("Save as")
        .type_text(&png.display().to_string());
    h.run_steps(1);
    h.get_by_label("Export").click();
    step_until(&mut h, "the export", |app| {
        app.status().contains("Map written")
    });
    assert!(
        h.state().status().contains("carte exportée.png"),
        "{}",
        h.state().status()
    );

    let (w, _, counts) = colour_counts(&std::fs::read(&png).unwrap());
    assert_eq!(w, porte::model::export::DEFAULT_PNG_WIDTH_PX);
    // Every class holding a precinct shows its colour (a precinct is ~70,000 px here).
    for class in legend.classes.iter().filter(|c| c.count > 0) {
        assert!(
            counts.get(&class.color_rgb).copied().unwrap_or(0) > 5_000,
            "class colour {:?} is on the exported map; legend {legend:?}",
            class.color_rgb
        );
    }
}
