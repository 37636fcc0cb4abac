//! The streets of the offline basemap: the campaign's OSM ways projected to Web Mercator once per
//! load, culled with an R-tree of street boxes, drawn as cased lines whose width and colour follow
//! the road class (major roads wider), from street zoom on; names along the streets when close.
//!
//! Streets go over the choropleth fill but under the precinct outlines (the precinct layer calls
//! this one between the two). The layer also keeps the precinct rings in Mercator with an
//! R-tree: with the street lines, they are what turf vertices snap to.

use egui::epaint::{TextShape, Vertex, WHITE_UV};
use egui::{Color32, FontId, Mesh, Painter, Pos2, Rect, Shape, Vec2};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::model::precinct::Precinct;
use crate::model::storage::streets::Street;
use crate::ui::map::layer::{Viewport, merc_from_wgs84};

/// Road classes, in drawing order (later classes are drawn over earlier ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StreetClass {
    /// Footways, paths, steps, tracks, cycleways: a thin line, no casing.
    Path,
    /// Residential, service, living streets, unclassified, pedestrian streets.
    Minor,
    /// Tertiary, secondary, primary and their links.
    Major,
    /// Motorways and trunks.
    Motorway,
}

impl StreetClass {
    /// The class of an OSM `highway` value.
    pub fn of_highway(highway: &str) -> StreetClass {
        match highway.trim_end_matches("_link") {
            "motorway" | "trunk" => StreetClass::Motorway,
            "primary" | "secondary" | "tertiary" => StreetClass::Major,
            "footway" | "path" | "steps" | "track" | "cycleway" | "bridleway" | "corridor" => {
                StreetClass::Path
            }
            _ => StreetClass::Minor,
        }
    }

    /// The zoom from which the class is drawn.
    fn min_zoom(self) -> f64 {
        match self {
            StreetClass::Motorway | StreetClass::Major => MIN_ZOOM,
            StreetClass::Minor => 13.5,
            StreetClass::Path => 15.0,
        }
    }

    /// Width of the line at zoom 16, in points (without casing).
    fn width_at_16(self) -> f32 {
        match self {
            StreetClass::Motorway => 8.0,
            StreetClass::Major => 7.0,
            StreetClass::Minor => 4.5,
            StreetClass::Path => 1.5,
        }
    }

    /// (fill, casing) colours; `None` casing for paths.
    fn colors(self, dark: bool) -> (Color32, Option<Color32>) {
        let rgba = Color32::from_rgba_unmultiplied;
        match (self, dark) {
            (StreetClass::Path, false) => (rgba(140, 95, 70, 220), None),
            (StreetClass::Path, true) => (rgba(190, 160, 130, 200), None),
            (StreetClass::Minor, false) => {
                (rgba(255, 255, 255, 235), Some(rgba(120, 120, 120, 220)))
            }
            (StreetClass::Minor, true) => (rgba(150, 150, 155, 220), Some(rgba(25, 25, 30, 220))),
            (StreetClass::Major, false) => {
                (rgba(252, 214, 140, 240), Some(rgba(150, 110, 60, 230)))
            }
            (StreetClass::Major, true) => (rgba(200, 165, 95, 230), Some(rgba(30, 25, 15, 230))),
            (StreetClass::Motorway, false) => {
                (rgba(232, 146, 162, 240), Some(rgba(160, 70, 90, 230)))
            }
            (StreetClass::Motorway, true) => {
                (rgba(200, 110, 125, 230), Some(rgba(35, 15, 20, 230)))
            }
        }
    }
}

/// Below this zoom no street is drawn (a city fills the screen around zoom 12–13).
pub const MIN_ZOOM: f64 = 12.5;
/// From this zoom names are written along major streets, and from `+ 1` along every street.
const LABEL_MIN_ZOOM: f64 = 15.5;
const MAX_LABELS: usize = 80;
/// Total width of the casing around a line, points.
const CASING_POINTS: f32 = 1.5;

struct StreetShape {
    class: StreetClass,
    name: Option<String>,
    /// Range in `vertices`.
    start: u32,
    len: u32,
}

/// The streets, ready to paint: Mercator vertices and an R-tree of street boxes; and the
/// precinct rings, for snapping.
#[derive(Default)]
pub struct StreetLayer {
    shapes: Vec<StreetShape>,
    vertices: Vec<[f64; 2]>,
    rtree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
    /// Precinct rings (closed: first vertex repeated) as ranges of `ring_vertices`.
    rings: Vec<(u32, u32)>,
    ring_vertices: Vec<[f64; 2]>,
    ring_rtree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
}

impl StreetLayer {
    /// Projects the streets and the precinct rings (WGS84) to normalised Web Mercator, once.
    pub fn new(streets: &[Street], precincts: &[Precinct]) -> StreetLayer {
        let mut layer = StreetLayer::default();
        // The rings are also what turf vertices snap to, with or without streets.
        {
            let mut ring_boxes = Vec::new();
            for ring in precincts.iter().flat_map(|p| {
                p.geom_wgs84
                    .0
                    .iter()
                    .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
            }) {
                if ring.0.len() < 3 {
                    continue;
                }
                let start = layer.ring_vertices.len();
                let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
                for c in ring
                    .0
                    .iter()
                    .chain(ring.0.first().filter(|_| !ring.is_closed()))
                {
                    let m = merc_from_wgs84(c.x, c.y);
                    b = [
                        b[0].min(m[0]),
                        b[1].min(m[1]),
                        b[2].max(m[0]),
                        b[3].max(m[1]),
                    ];
                    layer.ring_vertices.push(m);
                }
                ring_boxes.push(GeomWithData::new(
                    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                    layer.rings.len() as u32,
                ));
                layer
                    .rings
                    .push((start as u32, (layer.ring_vertices.len() - start) as u32));
            }
            layer.ring_rtree = RTree::bulk_load(ring_boxes);
        }
        let mut boxes = Vec::with_capacity(streets.len());
        // Major roads last, so they are drawn over the streets they cross.
        let mut order: Vec<usize> = (0..streets.len()).collect();
        order.sort_by_key(|&i| StreetClass::of_highway(&streets[i].highway));
        for i in order {
            let s = &streets[i];
            if s.line_wgs84.0.len() < 2 {
                continue;
            }
            let start = layer.vertices.len();
            let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for c in &s.line_wgs84.0 {
                let m = merc_from_wgs84(c.x, c.y);
                b = [
                    b[0].min(m[0]),
                    b[1].min(m[1]),
                    b[2].max(m[0]),
                    b[3].max(m[1]),
                ];
                layer.vertices.push(m);
            }
            let index = layer.shapes.len() as u32;
            layer.shapes.push(StreetShape {
                class: StreetClass::of_highway(&s.highway),
                name: s.name.clone().filter(|n| !n.trim().is_empty()),
                start: start as u32,
                len: (layer.vertices.len() - start) as u32,
            });
            boxes.push(GeomWithData::new(
                Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                index,
            ));
        }
        layer.rtree = RTree::bulk_load(boxes);
        layer
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// The point of a precinct boundary or a street line nearest to `p_merc` within
    /// `radius_merc` (normalised Web Mercator), a vertex in preference when one is that close:
    /// where a turf vertex snaps to.
    pub fn snap_merc(&self, p_merc: [f64; 2], radius_merc: f64) -> Option<[f64; 2]> {
        let r = radius_merc;
        let envelope = AABB::from_corners(
            [p_merc[0] - r, p_merc[1] - r],
            [p_merc[0] + r, p_merc[1] + r],
        );
        let dist = |q: [f64; 2]| (q[0] - p_merc[0]).hypot(q[1] - p_merc[1]);
        let mut best_vertex: Option<(f64, [f64; 2])> = None;
        let mut best_segment: Option<(f64, [f64; 2])> = None;
        let mut consider = |line: &[[f64; 2]]| {
            for (i, &a) in line.iter().enumerate() {
                let d = dist(a);
                if d <= r && best_vertex.is_none_or(|(bd, _)| d < bd) {
                    best_vertex = Some((d, a));
                }
                if let Some(&b) = line.get(i + 1) {
                    let q = nearest_on_segment(p_merc, a, b);
                    let d = dist(q);
                    if d <= r && best_segment.is_none_or(|(bd, _)| d < bd) {
                        best_segment = Some((d, q));
                    }
                }
            }
        };
        for hit in self.rtree.locate_in_envelope_intersecting(&envelope) {
            let s = &self.shapes[hit.data as usize];
            consider(&self.vertices[s.start as usize..(s.start + s.len) as usize]);
        }
        for hit in self.ring_rtree.locate_in_envelope_intersecting(&envelope) {
            let (start, len) = self.rings[hit.data as usize];
            consider(&self.ring_vertices[start as usize..(start + len) as usize]);
        }
        best_vertex.or(best_segment).map(|(_, q)| q)
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Paints the visible streets (cased lines), then names when zoomed in; returns how many
    /// streets were drawn.
    pub fn paint(&self, painter: &Painter, view: &Viewport, dark: bool) -> usize {
        if view.zoom < MIN_ZOOM || self.is_empty() {
            return 0;
        }
        let v = view.visible_merc();
        // A margin of the widest line, so lines just off screen still draw their edge.
        let margin = 10.0 / view.points_per_world();
        let envelope = AABB::from_corners(
            [v[0].min(v[2]) - margin, v[1].min(v[3]) - margin],
            [v[0].max(v[2]) + margin, v[1].max(v[3]) + margin],
        );
        let mut hits: Vec<u32> = self
            .rtree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data)
            .filter(|&i| view.zoom >= self.shapes[i as usize].class.min_zoom())
            .collect();
        hits.sort_unstable(); // shapes are stored by class: minor roads first
        // Lines thin out below zoom 16 and widen above, within bounds.
        let scale = (2f64.powf((view.zoom - 16.0) * 0.6)).clamp(0.3, 3.0) as f32;
        let mut casing = Mesh::default();
        let mut fill = Mesh::default();
        let mut pts: Vec<Pos2> = Vec::new();
        for &i in &hits {
            let shape = &self.shapes[i as usize];
            self.screen_points(shape, view, &mut pts);
            let width = (shape.class.width_at_16() * scale).max(1.0);
            let (fill_color, casing_color) = shape.class.colors(dark);
            if let Some(c) = casing_color {
                push_polyline(&mut casing, &pts, width + CASING_POINTS, c);
            }
            push_polyline(&mut fill, &pts, width, fill_color);
        }
        painter.add(Shape::mesh(casing));
        painter.add(Shape::mesh(fill));
        if view.zoom >= LABEL_MIN_ZOOM {
            self.paint_labels(painter, view, dark, &hits, &mut pts);
        }
        hits.len()
    }

    fn screen_points(&self, shape: &StreetShape, view: &Viewport, out: &mut Vec<Pos2>) {
        out.clear();
        let range = shape.start as usize..(shape.start + shape.len) as usize;
        out.extend(
            self.vertices[range]
                .iter()
                .map(|m| view.screen_from_merc(*m)),
        );
    }

    /// Writes each visible name once, along the longest on-screen segment of one of its streets,
    /// skipping names that would overlap one already written.
    fn paint_labels(
        &self,
        painter: &Painter,
        view: &Viewport,
        dark: bool,
        hits: &[u32],
        pts: &mut Vec<Pos2>,
    ) {
        let font = FontId::proportional(11.0);
        // Text with a halo of the opposite tone, readable over streets, fills and background.
        let (color, halo) = if dark {
            (Color32::from_gray(235), Color32::from_black_alpha(200))
        } else {
            (Color32::from_gray(25), Color32::from_white_alpha(210))
        };
        let all_names = view.zoom >= LABEL_MIN_ZOOM + 1.0;
        let mut placed: Vec<Rect> = Vec::new();
        let mut written: std::collections::HashSet<&str> = std::collections::HashSet::new();
        // Major roads first: they get their names when space is short.
        for &i in hits.iter().rev() {
            if placed.len() >= MAX_LABELS {
                break;
            }
            let shape = &self.shapes[i as usize];
            let Some(name) = shape.name.as_deref() else {
                continue;
            };
            if shape.class == StreetClass::Path
                || (!all_names && shape.class < StreetClass::Major)
                || written.contains(name)
            {
                continue;
            }
            self.screen_points(shape, view, pts);
            let galley = painter.layout_no_wrap(name.to_owned(), font.clone(), color);
            let size = galley.size();
            let Some((a, b)) = straight_stretch(pts, size.x + 8.0, view.rect) else {
                continue;
            };
            let along = b - a;
            // Read left to right: flip segments that point leftwards.
            let dir = if along.x < 0.0 { -along } else { along }.normalized();
            let angle = dir.y.atan2(dir.x);
            let mid = a + along / 2.0;
            let half = Vec2::new(size.x / 2.0, size.y / 2.0);
            let offset = Vec2::new(
                half.x * dir.x - half.y * dir.y,
                half.x * dir.y + half.y * dir.x,
            );
            let bounds = Rect::from_center_size(
                mid,
                Vec2::new(
                    (size.x * dir.x).abs() + (size.y * dir.y).abs(),
                    (size.x * dir.y).abs() + (size.y * dir.x).abs(),
                ),
            );
            if placed.iter().any(|r| r.intersects(bounds)) {
                continue;
            }
            placed.push(bounds);
            written.insert(name);
            let pos = mid - offset;
            for d in [
                Vec2::new(-1.0, 0.0),
                Vec2::new(1.0, 0.0),
                Vec2::new(0.0, -1.0),
                Vec2::new(0.0, 1.0),
            ] {
                painter.add(
                    TextShape::new(pos + d, galley.clone(), halo)
                        .with_override_text_color(halo)
                        .with_angle(angle),
                );
            }
            painter.add(TextShape::new(pos, galley, color).with_angle(angle));
        }
    }
}

/// The nearly straight run of consecutive on-screen points, at least `length` points long,
/// closest to the middle of the line: its two ends (a name is written along their chord).
fn straight_stretch(pts: &[Pos2], length: f32, screen: Rect) -> Option<(Pos2, Pos2)> {
    let n = pts.len();
    let mid = n as f32 / 2.0;
    let mut best: Option<(f32, Pos2, Pos2)> = None;
    for i in 0..n {
        if !screen.contains(pts[i]) {
            continue;
        }
        let mut path = 0.0;
        for j in i + 1..n {
            if !screen.contains(pts[j]) {
                break;
            }
            path += (pts[j] - pts[j - 1]).length();
            let chord = (pts[j] - pts[i]).length();
            if path > chord * 1.04 {
                break; // bends too much for a straight label
            }
            if chord >= length {
                let off_centre = ((i + j) as f32 / 2.0 - mid).abs();
                if best.is_none_or(|(d, _, _)| off_centre < d) {
                    best = Some((off_centre, pts[i], pts[j]));
                }
                break;
            }
        }
    }
    best.map(|(_, a, b)| (a, b))
}

/// An open polyline as a triangle strip `width` wide (miter joins, limited at sharp turns), with
/// square caps half a width long so cased lines join cleanly at crossings.
fn push_polyline(mesh: &mut Mesh, pts: &[Pos2], width: f32, color: Color32) {
    let n = pts.len();
    if n < 2 {
        return;
    }
    let half = width / 2.0;
    let base = mesh.vertices.len() as u32;
    let dir = |i: usize| (pts[i + 1] - pts[i]).normalized();
    for i in 0..n {
        let (normal, scale, p) = if i == 0 {
            let d = dir(0);
            (d.rot90(), 1.0, pts[0] - d * half)
        } else if i == n - 1 {
            let d = dir(n - 2);
            (d.rot90(), 1.0, pts[n - 1] + d * half)
        } else {
            let (d0, d1) = (dir(i - 1), dir(i));
            let normal = (d0 + d1).normalized().rot90();
            let cos = normal.dot(d1.rot90()).max(0.35);
            (normal, 1.0 / cos, pts[i])
        };
        // A zero-length segment gives a NaN normal: fall back to no offset.
        let offset = if normal.is_finite() {
            normal * half * scale
        } else {
            Vec2::ZERO
        };
        for pos in [p + offset, p - offset] {
            mesh.vertices.push(Vertex {
                pos,
                uv: WHITE_UV,
                color,
            });
        }
    }
    for i in 0..(n - 1) as u32 {
        let a = base + 2 * i;
        mesh.indices.extend([a, a + 1, a + 2, a + 1, a + 3, a + 2]);
    }
}

/// The point of segment `a`–`b` nearest to `p`.
fn nearest_on_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return a;
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    [a[0] + t * dx, a[1] + t * dy]
}

#[cfg(test)]
mod tests {
    #[test]
    fn snapping_prefers_a_close_vertex_then_the_nearest_line_point() {
        let square = Precinct {
            fid: 1,
            code: "1".into(),
            name: None,
            geom_wgs84: geo_types::MultiPolygon(vec![geo_types::polygon![
                (x: 0.0, y: 0.0), (x: 0.01, y: 0.0), (x: 0.01, y: 0.01), (x: 0.0, y: 0.01)
            ]]),
        };
        let layer = StreetLayer::new(&[], &[square]);
        let corner = merc_from_wgs84(0.01, 0.01);
        let mid_edge = merc_from_wgs84(0.005, 0.0);
        let r = (corner[0] - merc_from_wgs84(0.0, 0.0)[0]) * 0.1;
        // Near the corner: the corner itself.
        let near_corner = [corner[0] + r * 0.3, corner[1] - r * 0.2];
        assert_eq!(layer.snap_merc(near_corner, r), Some(corner));
        // Near the middle of the bottom edge: on the edge.
        let q = layer
            .snap_merc([mid_edge[0], mid_edge[1] + r * 0.5], r)
            .unwrap();
        assert!((q[1] - mid_edge[1]).abs() < 1e-12 && (q[0] - mid_edge[0]).abs() < 1e-12);
        // Far from everything: nothing.
        assert_eq!(
            layer.snap_merc([mid_edge[0], mid_edge[1] + r * 40.0], r),
            None
        );
    }

    use super::*;
    use geo_types::{LineString, polygon};

    fn street(highway: &str, coords: &[(f64, f64)]) -> Street {
        Street {
            fid: 0,
            osm_id: 0,
            name: Some(format!("Rue {highway}")),
            highway: highway.into(),
            walkable: true,
            node_ids: (0..coords.len() as i64).collect(),
            line_wgs84: LineString::from(coords.to_vec()),
        }
    }

    #[test]
    fn classes_follow_the_highway_tag() {
        assert_eq!(StreetClass::of_highway("primary_link"), StreetClass::Major);
        assert_eq!(StreetClass::of_highway("residential"), StreetClass::Minor);
        assert_eq!(StreetClass::of_highway("steps"), StreetClass::Path);
        assert_eq!(StreetClass::of_highway("motorway"), StreetClass::Motorway);
        assert!(StreetClass::Major.width_at_16() > StreetClass::Minor.width_at_16());
    }

    #[test]
    fn streets_are_culled_and_hidden_when_zoomed_out() {
        let square = Precinct {
            fid: 1,
            code: "1".into(),
            name: None,
            geom_wgs84: geo_types::MultiPolygon(vec![polygon![
                (x: 2.0, y: 48.0), (x: 2.001, y: 48.0), (x: 2.001, y: 48.001), (x: 2.0, y: 48.001)
            ]]),
        };
        let layer = StreetLayer::new(
            &[
                street("primary", &[(2.0, 48.0), (2.001, 48.001)]),
                street("residential", &[(2.0005, 48.0), (2.0005, 48.001)]),
                street("footway", &[(3.0, 49.0), (3.001, 49.0)]),
            ],
            std::slice::from_ref(&square),
        );
        assert_eq!(layer.rings, vec![(0, 5)], "the square's ring, closed");
        assert_eq!(layer.len(), 3);
        // Major roads are stored (so drawn) after minor ones.
        assert_eq!(layer.shapes[2].class, StreetClass::Major);
        let ctx = egui::Context::default();
        let mut drawn = Vec::new();
        let output = ctx.run_ui(Default::default(), |ui| {
            let painter = ui.painter().clone();
            let rect = Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 600.0));
            for zoom in [10.0, 17.0] {
                let view = Viewport {
                    rect,
                    center_merc: merc_from_wgs84(2.0005, 48.0005),
                    zoom,
                };
                drawn.push(layer.paint(&painter, &view, false));
            }
        });
        output.drop_without_applying_deltas();
        assert_eq!(
            drawn,
            vec![0, 2],
            "nothing at zoom 10; the far footway is culled"
        );
    }

    #[test]
    fn labels_go_on_a_straight_run_near_the_middle() {
        let screen = Rect::from_min_size(Pos2::ZERO, Vec2::new(500.0, 500.0));
        // A straight run of short segments, then a sharp turn.
        let mut pts: Vec<Pos2> = (0..10)
            .map(|i| Pos2::new(10.0 + 20.0 * i as f32, 100.0))
            .collect();
        pts.push(Pos2::new(190.0, 300.0));
        let (a, b) = straight_stretch(&pts, 60.0, screen).unwrap();
        assert!((b - a).length() >= 60.0);
        assert_eq!((a.y, b.y), (100.0, 100.0), "not across the turn");
        assert!(
            straight_stretch(&pts, 400.0, screen).is_none(),
            "too long for any run"
        );
    }

    #[test]
    fn polyline_strip_has_two_vertices_per_point() {
        let mut mesh = Mesh::default();
        let pts = [
            Pos2::new(0.0, 0.0),
            Pos2::new(10.0, 0.0),
            Pos2::new(10.0, 10.0),
        ];
        push_polyline(&mut mesh, &pts, 2.0, Color32::WHITE);
        assert_eq!(mesh.vertices.len(), 6);
        assert_eq!(mesh.indices.len(), 12);
        // The first point is capped half a width before the line starts, one unit each side.
        assert_eq!(mesh.vertices[0].pos, Pos2::new(-1.0, -1.0));
        assert_eq!(mesh.vertices[1].pos, Pos2::new(-1.0, 1.0));
        // The corner is mitred: its vertices sit on the diagonal, sqrt(2) away.
        let near =
            |i: usize, x: f32, y: f32| (mesh.vertices[i].pos - Pos2::new(x, y)).length() < 1e-4;
        assert!(
            near(2, 11.0, -1.0) && near(3, 9.0, 1.0),
            "{:?}",
            mesh.vertices[2..4].to_vec()
        );
        assert!(mesh.vertices.iter().all(|v| v.pos.x.is_finite()));
    }
}
