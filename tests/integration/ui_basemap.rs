//! The basemap driven like a user session with egui_kittest: a campaign of three squares opened
//! with a local raster .pmtiles basemap saved in the prefs, switched back to the campaign layers
//! from View › Basemap (the map keeps drawing, the choice lands in the prefs), and the selected
//! precinct keeps its class colour under its outline.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use porte::ui::PorteApp;
use porte::ui::command::Command;
use porte::ui::figures::Variable;
use porte::ui::map::basemap::BasemapChoice;

use crate::ui_common;
use ui_common::{SIDE_DEG, SQUARES};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/raster_z0_z1.pmtiles")
}

/// Three squares with one election's results (so the map can be coloured).
fn harness(dir: &Path, basemap: BasemapChoice) -> Harness<'static, PorteApp> {
    let path = ui_common::squares_with_results(
        dir,
        "basemap",
        "bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa\n\
         P1;100;80;75;50;25\n\
         P2;200;150;140;70;70\n\
         P3;50;40;38;20;18\n",
    );
    let mut h = ui_common::harness_with(&path, |app| app.prefs.basemap = basemap);
    ui_common::loaded(&mut h);
    h
}

fn drawn(app: &PorteApp) -> usize {
    let stats = app.map().last_stats();
    stats.precincts_drawn + stats.tiny_quads
}

#[test]
fn the_basemap_is_switched_from_the_view_menu_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), BasemapChoice::PmTiles(fixture()));
    h.run_steps(3);
    assert!(
        h.state().map().basemap().has_tiles(),
        "the saved basemap is used"
    );
    assert_eq!(
        drawn(h.state()),
        3,
        "the campaign layers draw over the tiles"
    );
    assert_eq!(
        h.state().map().fill_alpha(),
        porte::ui::map::FILL_ALPHA_OVER_TILES
    );

    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Basemap").hover();
    h.run_steps(3);
    // The chosen file shows as the selected entry.
    h.get_by_label("PMTiles: raster_z0_z1.pmtiles");
    h.get_by_label("Campaign layers only").click();
    h.run_steps(3);
    assert_eq!(h.state().prefs.basemap, BasemapChoice::CampaignOnly);
    assert!(!h.state().map().basemap().has_tiles());
    assert_eq!(drawn(h.state()), 3, "the map keeps drawing");
    assert_eq!(h.state().map().fill_alpha(), porte::ui::map::FILL_ALPHA);
    // What eframe saves: the prefs, basemap included.
    let saved = serde_json::to_string(&h.state().prefs).unwrap();
    assert!(saved.contains("CampaignOnly"), "{saved}");
    h.check_accessibility();
}

#[test]
fn a_vector_pmtiles_file_is_refused_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let vector = dir.path().join("streets-vector.pmtiles");
    let mut header = vec![0u8; 127];
    header[..7].copy_from_slice(b"PMTiles");
    header[7] = 3;
    header[99] = 1; // MVT
    std::fs::write(&vector, &header).unwrap();
    let mut h = harness(dir.path(), BasemapChoice::PmTiles(vector));
    h.run_steps(3);
    assert!(!h.state().map().basemap().has_tiles());
    assert_eq!(drawn(h.state()), 3, "the campaign layers still draw");
    assert!(h.state().error().is_none(), "a note, not an error dialog");
    h.get_by_label_contains("streets-vector.pmtiles holds vector tiles");
}

/// The colour of the topmost painted mesh triangle under `pos` (tiles, fills: highlights are
/// lines, not meshes).
fn mesh_colour_at(output: &egui::FullOutput, pos: egui::Pos2) -> Option<egui::Color32> {
    fn walk(shape: &egui::Shape, pos: egui::Pos2, found: &mut Option<egui::Color32>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, pos, found)),
            egui::Shape::Mesh(mesh) => {
                for tri in mesh.indices.chunks_exact(3) {
                    let [a, b, c] = [0, 1, 2].map(|k| mesh.vertices[tri[k] as usize].pos);
                    let side = |p: egui::Pos2, q: egui::Pos2| {
                        let (u, v) = (q - p, pos - p);
                        u.x * v.y - u.y * v.x
                    };
                    let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
                    let inside = (d1 >= 0.0 && d2 >= 0.0 && d3 >= 0.0)
                        || (d1 <= 0.0 && d2 <= 0.0 && d3 <= 0.0);
                    if inside {
                        *found = Some(mesh.vertices[tri[0] as usize].color);
                    }
                }
            }
            _ => {}
        }
    }
    let mut found = None;
    for clipped in &output.shapes {
        walk(&clipped.shape, pos, &mut found);
    }
    found
}

#[test]
fn the_selected_precinct_keeps_its_class_colour() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), BasemapChoice::CampaignOnly);
    h.state_mut()
        .send(Command::ShowVariable(Variable::Registered));
    h.run_steps(2);
    let (_, _, x, y) = SQUARES[1];
    let fid = h.state().map().layer.shapes[1].fid;
    let class_colour = h.state().map().layer.fill_color_at(1).expect("coloured");
    h.state_mut().send(Command::SelectPrecinct(Some(fid)));
    h.run_steps(3);
    assert_eq!(h.state().selected_fid(), Some(fid));
    // Off the label in the middle: a quarter of the way in.
    let pos = h
        .state()
        .map()
        .screen_from_wgs84(x + SIDE_DEG / 4.0, y + SIDE_DEG / 4.0)
        .unwrap();
    let painted = mesh_colour_at(h.output(), pos).expect("a fill under the selection");
    assert_eq!(
        painted, class_colour,
        "the selection does not repaint the fill"
    );
    assert_eq!(h.state().map().layer.fill_color_at(1), Some(class_colour));
}
