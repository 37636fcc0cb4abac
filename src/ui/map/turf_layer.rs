//! The turf layer of the map: each turf in its own colour, a semi-transparent fill over the
//! choropleth, a solid outline, and its name when zoomed in enough for it to fit. Projected to
//! Mercator and triangulated once when the turfs change, so a frame only transforms vertices.
//! When the map shows the coverage, each turf is filled and outlined in its coverage class's
//! colour instead (set by the app from the model's turf coverage), with its figures for the
//! tooltip.

use std::collections::HashMap;

use egui::{Align2, Color32, FontId, Mesh, Painter, Pos2, Shape, Stroke};
use geo::{InteriorPoint, TriangulateEarcut};
use geo_types::{Coord, MultiPolygon, Polygon};

use crate::model::precinct::BboxWgs84;
use crate::model::turfs::Turf;
use crate::ui::map::layer::{Viewport, merc_from_wgs84};
use crate::ui::map::turf_tool::EditableTurf;

/// Alpha of a turf's fill (the choropleth shows through).
pub const TURF_FILL_ALPHA: u8 = 110;
/// Alpha of a turf's coverage fill (stronger: it is the turf's own figure).
pub const TURF_COVERAGE_ALPHA: u8 = 170;
/// Outline widths, points.
const OUTLINE_POINTS: f32 = 2.5;
const SELECTED_OUTLINE_POINTS: f32 = 3.5;
/// A turf's name is drawn when its box is at least this wide on screen, points.
const LABEL_MIN_WIDTH_POINTS: f64 = 70.0;

/// One turf, ready to paint.
pub struct TurfShape {
    pub id: i64,
    pub name: String,
    pub colour: Color32,
    pub doors: usize,
    pub minutes: f64,
    /// Vertices in Mercator (0..1 world units).
    vertices_merc: Vec<[f64; 2]>,
    /// Triangles, indices into `vertices_merc`.
    triangles: Vec<u32>,
    /// Rings as ranges of `vertices_merc` (open: no closing repeat).
    rings: Vec<std::ops::Range<usize>>,
    bbox_merc: [f64; 4],
    pub bbox_wgs84: BboxWgs84,
    label_merc: [f64; 2],
    /// The outline as the editing tool reads it.
    pub editable: EditableTurf,
}

/// A turf's coverage as the map shows it: its class colour and a line for the tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct TurfCoverage {
    pub colour: Color32,
    /// "Knocked: 40 of 75 doors (53.3 %)".
    pub line: String,
}

/// Every turf of the campaign, prepared for painting and hit testing.
#[derive(Default)]
pub struct TurfLayer {
    pub shapes: Vec<TurfShape>,
    /// By turf id, when the map shows the coverage (empty otherwise).
    coverage: HashMap<i64, TurfCoverage>,
}

/// `#rrggbb` → colour (grey when malformed).
pub fn colour_of(hex: &str) -> Color32 {
    let h = hex.trim().trim_start_matches('#');
    let byte = |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    match (byte(0), byte(2), byte(4)) {
        (Some(r), Some(g), Some(b)) if h.len() == 6 => Color32::from_rgb(r, g, b),
        _ => Color32::GRAY,
    }
}

/// The open rings (without the closing repeat) of a polygon: exterior, then holes.
fn open_rings(polygon: &Polygon<f64>) -> Vec<Vec<[f64; 2]>> {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|ring| {
            let mut pts: Vec<[f64; 2]> = ring.coords().map(|c| [c.x, c.y]).collect();
            if pts.len() >= 2 && pts.first() == pts.last() {
                pts.pop();
            }
            pts
        })
        .collect()
}

/// The editing tool's view of an outline.
pub fn editable_of(id: i64, geom_wgs84: &MultiPolygon<f64>) -> EditableTurf {
    EditableTurf {
        id,
        polygons_wgs84: geom_wgs84.0.iter().map(open_rings).collect(),
    }
}

impl TurfShape {
    fn new(turf: &Turf) -> Option<TurfShape> {
        let geom = &turf.geom_wgs84;
        let mut vertices_merc = Vec::new();
        let mut triangles = Vec::new();
        let mut rings = Vec::new();
        let (mut lon0, mut lat0, mut lon1, mut lat1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for polygon in &geom.0 {
            // Triangulated in Mercator so the triangles match the painted outline.
            let merc: Polygon<f64> = geo::MapCoords::map_coords(polygon, |c: Coord<f64>| {
                let m = merc_from_wgs84(c.x, c.y);
                Coord { x: m[0], y: m[1] }
            });
            let base = vertices_merc.len() as u32;
            let tri = merc.earcut_triangles_raw();
            triangles.extend(tri.triangle_indices.iter().map(|&i| base + i as u32));
            vertices_merc.extend(tri.vertices);
            for ring in open_rings(polygon) {
                let start = vertices_merc.len();
                for p in &ring {
                    lon0 = lon0.min(p[0]);
                    lat0 = lat0.min(p[1]);
                    lon1 = lon1.max(p[0]);
                    lat1 = lat1.max(p[1]);
                    vertices_merc.push(merc_from_wgs84(p[0], p[1]));
                }
                rings.push(start..vertices_merc.len());
            }
        }
        if rings.is_empty() {
            return None;
        }
        let a = merc_from_wgs84(lon0, lat1);
        let b = merc_from_wgs84(lon1, lat0);
        let label = geom
            .interior_point()
            .map(|p| merc_from_wgs84(p.x(), p.y()))
            .unwrap_or([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
        Some(TurfShape {
            id: turf.id,
            name: turf.name.clone(),
            colour: colour_of(&turf.colour),
            doors: turf.doors(),
            minutes: turf.minutes,
            vertices_merc,
            triangles,
            rings,
            bbox_merc: [a[0], a[1], b[0], b[1]],
            bbox_wgs84: [lon0, lat0, lon1, lat1],
            label_merc: label,
            editable: editable_of(turf.id, geom),
        })
    }
}

impl TurfLayer {
    pub fn new(turfs: &[Turf]) -> TurfLayer {
        TurfLayer {
            shapes: turfs.iter().filter_map(TurfShape::new).collect(),
            coverage: HashMap::new(),
        }
    }

    /// Colours the turfs by coverage (by turf id); an empty map brings back their own colours.
    pub fn set_coverage(&mut self, coverage: HashMap<i64, TurfCoverage>) {
        self.coverage = coverage;
    }

    /// The coverage shown for turf `id`, if the map shows the coverage.
    pub fn coverage_of(&self, id: i64) -> Option<&TurfCoverage> {
        self.coverage.get(&id)
    }

    /// The colour turf `id` is painted in: its coverage class's, else its own.
    pub fn paint_colour(&self, id: i64) -> Option<Color32> {
        self.coverage
            .get(&id)
            .map(|c| c.colour)
            .or_else(|| self.by_id(id).map(|s| s.colour))
    }

    /// Replaces the turfs, keeping the coverage colours (ids are stable; the app recolours).
    pub fn replace_turfs(&mut self, turfs: &[Turf]) {
        let coverage = std::mem::take(&mut self.coverage);
        *self = TurfLayer::new(turfs);
        self.coverage = coverage;
    }

    pub fn by_id(&self, id: i64) -> Option<&TurfShape> {
        self.shapes.iter().find(|s| s.id == id)
    }

    /// The turf under a WGS84 point, if any (turfs do not overlap).
    pub fn hit_wgs84(&self, lon: f64, lat: f64) -> Option<i64> {
        self.shapes
            .iter()
            .filter(|s| {
                let b = s.bbox_wgs84;
                lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]
            })
            .find(|s| s.editable.contains_wgs84([lon, lat]))
            .map(|s| s.id)
    }

    /// Paints every visible turf; the selected one with a thicker outline. Returns how many
    /// turfs were drawn.
    pub fn paint(
        &self,
        painter: &Painter,
        view: &Viewport,
        selected: Option<i64>,
        label_color: Color32,
    ) -> usize {
        let visible = view.visible_merc();
        let scale = view.points_per_world();
        let mut fill = Mesh::default();
        let mut lines = Vec::new();
        let mut labels = Vec::new();
        let mut drawn = 0;
        for s in &self.shapes {
            let b = s.bbox_merc;
            if b[2] < visible[0] || b[0] > visible[2] || b[3] < visible[1] || b[1] > visible[3] {
                continue;
            }
            drawn += 1;
            let screen: Vec<Pos2> = s
                .vertices_merc
                .iter()
                .map(|&m| view.screen_from_merc(m))
                .collect();
            let (colour, alpha) = match self.coverage.get(&s.id) {
                Some(c) => (c.colour, TURF_COVERAGE_ALPHA),
                None => (s.colour, TURF_FILL_ALPHA),
            };
            let [r, g, bl, _] = colour.to_array();
            let fill_colour = Color32::from_rgba_unmultiplied(r, g, bl, alpha);
            let base = fill.vertices.len() as u32;
            for p in &screen {
                fill.colored_vertex(*p, fill_colour);
            }
            fill.indices.extend(s.triangles.iter().map(|&i| base + i));
            let is_selected = selected == Some(s.id);
            let width = if is_selected {
                SELECTED_OUTLINE_POINTS
            } else {
                OUTLINE_POINTS
            };
            for ring in &s.rings {
                let pts = screen[ring.clone()].to_vec();
                // A halo under the outline, so it reads on any fill: white for the selection.
                let halo = if is_selected {
                    Color32::from_white_alpha(190)
                } else {
                    Color32::from_black_alpha(150)
                };
                lines.push(Shape::closed_line(
                    pts.clone(),
                    Stroke::new(width + 2.5, halo),
                ));
                lines.push(Shape::closed_line(pts, Stroke::new(width, colour)));
            }
            if (b[2] - b[0]) * scale >= LABEL_MIN_WIDTH_POINTS {
                labels.push((view.screen_from_merc(s.label_merc), s.name.as_str()));
            }
        }
        painter.add(Shape::mesh(fill));
        painter.extend(lines);
        for (pos, name) in labels {
            let font = FontId::proportional(12.0);
            let galley = painter.layout_no_wrap(name.to_owned(), font, label_color);
            let rect = Align2::CENTER_CENTER.anchor_size(pos, galley.size());
            painter.rect_filled(rect.expand(2.0), 3.0, Color32::from_black_alpha(110));
            painter.galley(rect.min, galley, label_color);
        }
        drawn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::turfs::TurfStatus;
    use geo_types::polygon;

    fn turf(id: i64, x: f64) -> Turf {
        Turf {
            id,
            name: format!("T{id}"),
            geom_wgs84: MultiPolygon(vec![polygon![
                (x: x, y: 48.85), (x: x + 0.01, y: 48.85), (x: x + 0.01, y: 48.86), (x: x, y: 48.86),
                (x: x, y: 48.85)
            ]]),
            status: TurfStatus::Planned,
            colour: "#1f78b4".into(),
            precincts: vec![],
            door_ids: vec![],
            area_m2: 0.0,
            path_m: 0.0,
            minutes: 0.0,
        }
    }

    #[test]
    fn turfs_are_hit_and_their_outline_is_editable() {
        let layer = TurfLayer::new(&[turf(1, 2.30), turf(2, 2.31)]);
        assert_eq!(layer.hit_wgs84(2.305, 48.855), Some(1));
        assert_eq!(layer.hit_wgs84(2.315, 48.855), Some(2));
        assert_eq!(layer.hit_wgs84(2.335, 48.855), None);
        let e = &layer.by_id(1).unwrap().editable;
        assert_eq!(
            e.polygons_wgs84[0][0].len(),
            4,
            "open ring, no closing repeat"
        );
        assert_eq!(colour_of("#1f78b4"), Color32::from_rgb(0x1f, 0x78, 0xb4));
        assert_eq!(colour_of("blue"), Color32::GRAY);
    }

    #[test]
    fn coverage_colours_replace_the_turf_colours_and_survive_a_reload() {
        let mut layer = TurfLayer::new(&[turf(1, 2.30), turf(2, 2.31)]);
        let red = Color32::from_rgb(215, 48, 39);
        layer.set_coverage(HashMap::from([(
            1,
            TurfCoverage {
                colour: red,
                line: "x".into(),
            },
        )]));
        assert_eq!(layer.paint_colour(1), Some(red));
        assert_eq!(layer.paint_colour(2), Some(colour_of("#1f78b4")));
        layer.replace_turfs(&[turf(1, 2.30)]);
        assert_eq!(layer.paint_colour(1), Some(red));
        layer.set_coverage(HashMap::new());
        assert_eq!(layer.paint_colour(1), Some(colour_of("#1f78b4")));
    }
}
