//! The central map: an offline walkers `Map` (no tile source) with a precinct layer plugin that
//! paints outlines, highlights the hovered and selected precinct, and reports hover and clicks.
//!
//! Prepare, then paint: [`PrecinctLayer`] caches each precinct's rings, bounding box and
//! triangulation in WGS84 once per load; each frame only projects what is on screen.

use egui::{Align2, Color32, FontId, Mesh, Pos2, Rect, Shape, Stroke, Ui, Vec2};
use geo::{Contains, TriangulateEarcut};
use walkers::{Map, MapMemory, MercatorProjection, Plugin, Position, Projector, lon_lat};

use crate::model::precinct::{BboxWgs84, Precinct, bbox_of};

use crate::ui::command::Command;

/// Highest zoom the fit-to-bbox picks (walkers allows up to 26; there are no tiles anyway).
const MAX_FIT_ZOOM: f64 = 20.0;
/// Fraction of the viewport the campaign bbox fills after a fit.
const FIT_MARGIN: f64 = 0.9;
/// What the map says when there is nothing to draw.
pub const EMPTY_MAP_HINT: &str = "No precincts yet — File › Import precincts…";
/// Walkers' tile size: at zoom z the world is 256·2^z points wide.
const WORLD_POINTS_AT_ZOOM_0: f64 = 256.0;

/// One precinct ready to paint: WGS84 rings and triangles, cached once per load.
pub struct PrecinctShape {
    pub fid: i64,
    pub code: String,
    pub name: Option<String>,
    pub bbox_wgs84: BboxWgs84,
    /// Every ring (exteriors and holes), lon/lat degrees, without the closing duplicate point.
    rings_wgs84: Vec<Vec<[f64; 2]>>,
    /// Flattened triangles (lon/lat vertices + indices) for fills.
    fill_vertices_wgs84: Vec<[f64; 2]>,
    fill_indices: Vec<u32>,
    geom_wgs84: geo_types::MultiPolygon<f64>,
    /// Label anchor (bbox centre), lon/lat.
    label_pos_wgs84: [f64; 2],
}

impl PrecinctShape {
    fn new(precinct: &Precinct) -> Option<PrecinctShape> {
        let bbox_wgs84 = bbox_of(std::iter::once(&precinct.geom_wgs84))?;
        let mut rings_wgs84 = Vec::new();
        let mut fill_vertices_wgs84 = Vec::new();
        let mut fill_indices = Vec::new();
        for polygon in &precinct.geom_wgs84 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let mut pts: Vec<[f64; 2]> = ring.coords().map(|c| [c.x, c.y]).collect();
                if pts.len() > 1 && pts.first() == pts.last() {
                    pts.pop();
                }
                if pts.len() >= 2 {
                    rings_wgs84.push(pts);
                }
            }
            let tri = polygon.earcut_triangles_raw();
            let base = fill_vertices_wgs84.len() as u32;
            fill_vertices_wgs84.extend(tri.vertices.iter().copied());
            fill_indices.extend(tri.triangle_indices.iter().map(|&i| base + i as u32));
        }
        Some(PrecinctShape {
            fid: precinct.fid,
            code: precinct.code.clone(),
            name: precinct.name.clone(),
            bbox_wgs84,
            rings_wgs84,
            fill_vertices_wgs84,
            fill_indices,
            geom_wgs84: precinct.geom_wgs84.clone(),
            label_pos_wgs84: [
                (bbox_wgs84[0] + bbox_wgs84[2]) / 2.0,
                (bbox_wgs84[1] + bbox_wgs84[3]) / 2.0,
            ],
        })
    }

    fn contains_wgs84(&self, lon: f64, lat: f64) -> bool {
        lon >= self.bbox_wgs84[0]
            && lon <= self.bbox_wgs84[2]
            && lat >= self.bbox_wgs84[1]
            && lat <= self.bbox_wgs84[3]
            && self.geom_wgs84.contains(&geo_types::Point::new(lon, lat))
    }

    /// "15-49 — École Jules Ferry", or just the code.
    pub fn title(&self) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => format!("{} — {}", self.code, name),
            _ => self.code.clone(),
        }
    }
}

/// The precinct outlines of the open campaign, in WGS84.
#[derive(Default)]
pub struct PrecinctLayer {
    pub shapes: Vec<PrecinctShape>,
    pub bbox_wgs84: Option<BboxWgs84>,
}

impl PrecinctLayer {
    pub fn new(precincts: &[Precinct]) -> PrecinctLayer {
        let shapes: Vec<PrecinctShape> = precincts.iter().filter_map(PrecinctShape::new).collect();
        let bbox_wgs84 = bbox_of(precincts.iter().map(|p| &p.geom_wgs84));
        PrecinctLayer { shapes, bbox_wgs84 }
    }

    /// The precinct under a WGS84 point; the last one painted wins where they overlap.
    pub fn hit_wgs84(&self, lon: f64, lat: f64) -> Option<&PrecinctShape> {
        self.shapes
            .iter()
            .rev()
            .find(|s| s.contains_wgs84(lon, lat))
    }

    pub fn by_fid(&self, fid: i64) -> Option<&PrecinctShape> {
        self.shapes.iter().find(|s| s.fid == fid)
    }
}

/// Where the map was last drawn: enough to convert WGS84 to screen points outside the frame
/// (tests click on precincts with it).
#[derive(Clone, Copy)]
struct LastFrame {
    rect: Rect,
    my_position: Position,
}

/// Map state kept between frames: walkers' memory, the cached layer, and the pending fit.
pub struct MapView {
    memory: MapMemory,
    pub layer: PrecinctLayer,
    /// Fit the map to the campaign on the next frame (the viewport size is known only then).
    fit_pending: bool,
    hovered_fid: Option<i64>,
    last_frame: Option<LastFrame>,
}

impl Default for MapView {
    fn default() -> Self {
        MapView {
            memory: MapMemory::default(),
            layer: PrecinctLayer::default(),
            fit_pending: true,
            hovered_fid: None,
            last_frame: None,
        }
    }
}

impl MapView {
    /// Replaces the cached precincts (prepared off the UI thread) and, when `refit` or when the
    /// map was never fitted yet, fits the view to them on the next frame.
    pub fn set_layer(&mut self, layer: PrecinctLayer, refit: bool) {
        self.layer = layer;
        self.hovered_fid = None;
        if refit || self.last_frame.is_none() {
            self.fit_pending = true;
        }
    }

    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    pub fn hovered_fid(&self) -> Option<i64> {
        self.hovered_fid
    }

    /// Current zoom level (walkers / slippy-map levels).
    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }

    /// Screen position (egui points) of a WGS84 point on the last drawn frame.
    pub fn screen_from_wgs84(&self, lon: f64, lat: f64) -> Option<Pos2> {
        let last = self.last_frame?;
        let projector = Projector::new(
            last.rect,
            &MercatorProjection,
            &self.memory,
            last.my_position,
        );
        Some(projector.project(lon_lat(lon, lat)).to_pos2())
    }

    /// Shows the map filling the available space. Returns a command when the user clicked.
    pub fn map_ui(&mut self, ui: &mut Ui, selected_fid: Option<i64>) -> Option<Command> {
        let Some(bbox) = self.layer.bbox_wgs84 else {
            self.last_frame = None;
            empty_map_ui(ui);
            return None;
        };
        let my_position = mercator_center_of(bbox);
        if self.fit_pending {
            let size = ui.available_size();
            if size.x > 1.0 && size.y > 1.0 {
                let zoom = zoom_to_fit(bbox, size);
                // In range by construction; keep the old zoom rather than panic otherwise.
                let _ = self.memory.set_zoom(zoom);
                self.memory.center_at(my_position);
                self.fit_pending = false;
            }
        }

        let mut out = PluginOutput::default();
        let plugin = PrecinctPlugin {
            layer: &self.layer,
            selected_fid,
            out: &mut out,
        };
        let response = Map::new(None, &mut self.memory, my_position)
            .with_plugin(plugin)
            .double_click_to_zoom(true)
            .zoom_with_ctrl(false)
            .show(ui, |_, _, _, _| ())
            .response;
        self.last_frame = Some(LastFrame {
            rect: response.rect,
            my_position,
        });
        self.hovered_fid = out.hovered_fid;

        if let Some(fid) = out.hovered_fid
            && let Some(shape) = self.layer.by_fid(fid)
        {
            response.on_hover_text_at_pointer(shape.title());
        }
        out.clicked.map(Command::SelectPrecinct)
    }
}

/// A centred hint when the campaign has no precincts.
fn empty_map_ui(ui: &mut Ui) {
    ui.centered_and_justified(|ui| {
        ui.label(egui::RichText::new(EMPTY_MAP_HINT).size(18.0).weak());
    });
}

/// Normalised Web Mercator (0..1, y down) of a WGS84 point.
fn mercator_normalized(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let lat = lat.clamp(-85.05112878, 85.05112878).to_radians();
    let y = (1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// The WGS84 point at the Mercator centre of a bbox (the screen centre after a fit).
fn mercator_center_of(bbox: BboxWgs84) -> Position {
    let (_, y0) = mercator_normalized(bbox[0], bbox[1]);
    let (_, y1) = mercator_normalized(bbox[2], bbox[3]);
    let y = (y0 + y1) / 2.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y))
        .sinh()
        .atan()
        .to_degrees();
    lon_lat((bbox[0] + bbox[2]) / 2.0, lat)
}

/// The zoom level at which `bbox` fills `FIT_MARGIN` of a viewport of `size` points.
pub fn zoom_to_fit(bbox: BboxWgs84, size: Vec2) -> f64 {
    let (x0, y0) = mercator_normalized(bbox[0], bbox[3]);
    let (x1, y1) = mercator_normalized(bbox[2], bbox[1]);
    let width_n = (x1 - x0).abs().max(1e-12);
    let height_n = (y1 - y0).abs().max(1e-12);
    let zoom_x = (size.x as f64 * FIT_MARGIN / (width_n * WORLD_POINTS_AT_ZOOM_0)).log2();
    let zoom_y = (size.y as f64 * FIT_MARGIN / (height_n * WORLD_POINTS_AT_ZOOM_0)).log2();
    zoom_x.min(zoom_y).clamp(0.0, MAX_FIT_ZOOM)
}

/// What the plugin saw this frame.
#[derive(Default)]
struct PluginOutput {
    hovered_fid: Option<i64>,
    /// `Some(None)`: clicked outside every precinct (clears the selection).
    clicked: Option<Option<i64>>,
}

/// Paints the precinct layer and reports hover/click. Borrowed for one frame.
struct PrecinctPlugin<'a> {
    layer: &'a PrecinctLayer,
    selected_fid: Option<i64>,
    out: &'a mut PluginOutput,
}

impl Plugin for PrecinctPlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &egui::Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let rect = response.rect;
        let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
        let visuals = ui.visuals();
        let outline = Stroke::new(1.2, visuals.strong_text_color().gamma_multiply(0.8));
        let selected_stroke = Stroke::new(2.5, visuals.selection.stroke.color);
        let selected_fill = visuals.selection.bg_fill.gamma_multiply(0.45);
        let hover_fill = visuals.widgets.hovered.bg_fill.gamma_multiply(0.5);
        let label_color = visuals.text_color();

        let screen_from_wgs84 = |p: [f64; 2]| projector.project(lon_lat(p[0], p[1])).to_pos2();
        let visible_wgs84 = {
            let a = projector.unproject(rect.left_top().to_vec2());
            let b = projector.unproject(rect.right_bottom().to_vec2());
            [
                a.x().min(b.x()),
                a.y().min(b.y()),
                a.x().max(b.x()),
                a.y().max(b.y()),
            ]
        };
        let on_screen = |b: &BboxWgs84| {
            b[0] <= visible_wgs84[2]
                && b[2] >= visible_wgs84[0]
                && b[1] <= visible_wgs84[3]
                && b[3] >= visible_wgs84[1]
        };

        let hovered = response.hover_pos().and_then(|pos| {
            let p = projector.unproject(pos.to_vec2());
            self.layer.hit_wgs84(p.x(), p.y())
        });
        self.out.hovered_fid = hovered.map(|s| s.fid);
        if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let p = projector.unproject(pos.to_vec2());
            self.out.clicked = Some(self.layer.hit_wgs84(p.x(), p.y()).map(|s| s.fid));
        }

        let fill = |shape: &PrecinctShape, color: Color32| {
            let mut mesh = Mesh::default();
            for &v in &shape.fill_vertices_wgs84 {
                mesh.colored_vertex(screen_from_wgs84(v), color);
            }
            for t in shape.fill_indices.chunks_exact(3) {
                mesh.add_triangle(t[0], t[1], t[2]);
            }
            painter.add(Shape::mesh(mesh));
        };
        if let Some(shape) = hovered {
            fill(shape, hover_fill);
        }
        let selected = self.selected_fid.and_then(|fid| self.layer.by_fid(fid));
        if let Some(shape) = selected {
            fill(shape, selected_fill);
        }

        for shape in self
            .layer
            .shapes
            .iter()
            .filter(|s| on_screen(&s.bbox_wgs84))
        {
            for ring in &shape.rings_wgs84 {
                let pts: Vec<Pos2> = ring.iter().map(|&p| screen_from_wgs84(p)).collect();
                painter.add(Shape::closed_line(pts, outline));
            }
            // Codes only where the precinct is big enough on screen to hold one.
            let min = screen_from_wgs84([shape.bbox_wgs84[0], shape.bbox_wgs84[3]]);
            let max = screen_from_wgs84([shape.bbox_wgs84[2], shape.bbox_wgs84[1]]);
            if (max.x - min.x) > 48.0 && (max.y - min.y) > 20.0 {
                painter.text(
                    screen_from_wgs84(shape.label_pos_wgs84),
                    Align2::CENTER_CENTER,
                    &shape.code,
                    FontId::proportional(11.0),
                    label_color,
                );
            }
        }
        if let Some(shape) = selected {
            for ring in &shape.rings_wgs84 {
                let pts: Vec<Pos2> = ring.iter().map(|&p| screen_from_wgs84(p)).collect();
                painter.add(Shape::closed_line(pts, selected_stroke));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_zoom_grows_as_the_bbox_shrinks() {
        let size = Vec2::new(800.0, 600.0);
        let city = zoom_to_fit([2.30, 48.84, 2.40, 48.88], size);
        let district = zoom_to_fit([2.34, 48.85, 2.35, 48.86], size);
        assert!(district > city, "{district} vs {city}");
        // A 0.1° wide city in 800 px: around zoom 12.
        assert!((11.0..14.0).contains(&city), "{city}");
    }

    #[test]
    fn mercator_center_is_inside_the_bbox() {
        let c = mercator_center_of([2.0, 48.0, 3.0, 49.0]);
        assert!((c.x() - 2.5).abs() < 1e-9);
        assert!(c.y() > 48.0 && c.y() < 49.0);
    }
}
