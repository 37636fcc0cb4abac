//! The central map: a walkers `Map` whose default basemap is the campaign's own layers: precinct
//! fills (choropleth-ready) and outlines, codes at high zoom, doors as dots when zoomed in. Tiles
//! (a local .pmtiles file or online OSM, see [`basemap`]) can be drawn under them. A plugin
//! outlines the hovered and selected precinct (the fill keeps its class colour) and reports hover
//! and clicks.
//!
//! - [`basemap`]: the basemap choice and its tile sources (offline by default).
//! - [`layer`]: the cached, triangulated layers and their per-frame paint (also benchmarked).
//! - [`synthetic`]: generated national-scale precinct grids for the benchmark.
//! - [`bench`]: `porte bench map`, the per-frame cost of the layers without a GPU.
//! - [`turf_layer`]: the turfs, painted over the precincts in their colours.
//! - [`turf_tool`]: drawing and editing turfs on the map (a pure state machine).
//! - [`team_layer`]: the selected operation's teams and meeting point; volunteers dropped on turfs.
//! - [`route_layer`]: the computed walking route (direction chevrons, numbered stops, start).
//! - [`compare`]: priority and coverage side by side, two maps moving together.

pub mod basemap;
pub mod bench;
pub mod compare;
pub mod layer;
pub mod route_layer;
pub mod streets;
pub mod synthetic;
pub mod team_layer;
pub mod turf_layer;
pub mod turf_tool;

use egui::{Color32, Pos2, Rect, Shape, Stroke, Ui, Vec2};
use walkers::{Map, MapMemory, Plugin, Position, Projector, lon_lat};

use crate::model::precinct::BboxWgs84;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use basemap::{Basemap, BasemapChoice, BasemapError, BasemapStatus};

pub use layer::{
    AddressLayer, FrameStats, LayerStyle, PrecinctLayer, PrecinctShape, Viewport,
    WORLD_POINTS_AT_ZOOM_0, merc_from_wgs84, wgs84_from_merc,
};

/// Highest zoom the fit-to-bbox picks (walkers allows up to 26; there are no tiles anyway).
const MAX_FIT_ZOOM: f64 = 19.0;
/// Fraction of the viewport the campaign bbox fills after a fit.
const FIT_MARGIN: f64 = 0.9;
/// Alpha of choropleth fills (the outlines and labels stay readable through them).
pub const FILL_ALPHA: u8 = 255;
/// Alpha of choropleth fills over basemap tiles (the streets show through).
pub const FILL_ALPHA_OVER_TILES: u8 = 135;
/// Width of the selected precinct's outline and of the halo under it, points.
const SELECTED_OUTLINE_POINTS: f32 = 3.0;
const SELECTED_HALO_POINTS: f32 = 7.0;
/// Width of the hovered precinct's outline, points.
const HOVERED_OUTLINE_POINTS: f32 = 2.0;

/// Where the map was last drawn: enough to convert WGS84 to screen points outside the frame
/// (tests click on precincts with it).
#[derive(Clone, Copy)]
struct LastFrame {
    rect: Rect,
    my_position: Position,
}

/// What to fit the view to on the next frame.
#[derive(Clone, Copy, Debug, PartialEq)]
enum FitRequest {
    Campaign,
    Bbox(BboxWgs84),
}

/// Map state kept between frames: walkers' memory, the cached layers, and the pending fit.
pub struct MapView {
    memory: MapMemory,
    pub layer: PrecinctLayer,
    pub addresses: AddressLayer,
    pub streets: streets::StreetLayer,
    /// Turf vertices snap to precinct boundaries and street lines within the grab radius.
    pub snap_turf_vertices: bool,
    /// Fit the map on the next frame (the viewport size is known only then).
    fit: Option<FitRequest>,
    hovered_fid: Option<i64>,
    last_frame: Option<LastFrame>,
    last_stats: FrameStats,
    /// Tiles under the campaign layers, if any.
    basemap: Basemap,
    /// The choropleth colours last set (re-applied with another alpha when tiles come and go).
    fill_rgb: Option<Vec<Option<[u8; 3]>>>,
    /// The campaign's turfs, painted over the precincts.
    pub turfs: turf_layer::TurfLayer,
    /// The turf drawing and editing tool.
    pub tool: turf_tool::TurfTool,
    selected_turf: Option<i64>,
    /// Clicks select turfs and the selected turf shows its editing handles (turf panel shown).
    pub turfs_editable: bool,
    /// The selected operation's teams and meeting point; volunteer drops; meeting point picking.
    pub teams: team_layer::TeamLayer,
    /// The last walking route computed (drawn over the turfs).
    pub route: route_layer::RouteLayer,
}

impl Default for MapView {
    fn default() -> Self {
        MapView {
            memory: MapMemory::default(),
            layer: PrecinctLayer::default(),
            addresses: AddressLayer::default(),
            streets: Default::default(),
            snap_turf_vertices: true,
            fit: Some(FitRequest::Campaign),
            hovered_fid: None,
            last_frame: None,
            last_stats: FrameStats::default(),
            basemap: Basemap::default(),
            fill_rgb: None,
            turfs: turf_layer::TurfLayer::default(),
            tool: turf_tool::TurfTool::default(),
            selected_turf: None,
            turfs_editable: false,
            teams: team_layer::TeamLayer::default(),
            route: route_layer::RouteLayer::default(),
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
            self.fit = Some(FitRequest::Campaign);
        }
    }

    /// Replaces the turf layer (after any turf edit or load).
    pub fn set_turfs(&mut self, turfs: &[crate::model::turfs::Turf]) {
        self.turfs.replace_turfs(turfs);
    }

    /// The turf whose outline is highlighted and editable.
    pub fn set_selected_turf(&mut self, id: Option<i64>) {
        self.selected_turf = id;
    }

    pub fn selected_turf(&self) -> Option<i64> {
        self.selected_turf
    }

    /// Screen position and WGS84 conversions of the last drawn frame.
    fn last_projector(&self) -> Option<Projector<'_>> {
        let last = self.last_frame?;
        Some(Projector::new(
            last.rect,
            &walkers::MercatorProjection,
            &self.memory,
            last.my_position,
        ))
    }

    /// WGS84 (lon, lat) of a screen position on the last drawn frame.
    pub fn wgs84_from_screen(&self, pos: Pos2) -> Option<[f64; 2]> {
        let p = self.last_projector()?.unproject(pos.to_vec2());
        Some([p.x(), p.y()])
    }

    pub fn set_addresses(&mut self, addresses: AddressLayer) {
        self.addresses = addresses;
    }

    /// The choropleth seam: one RGB colour per precinct, aligned with the campaign's precinct
    /// list (`None` = no data, drawn grey). The classification calls this when the variable or
    /// the classes change; the cached meshes are kept, only their colour changes.
    pub fn set_fill_colors_rgb(&mut self, colors_rgb: &[Option<[u8; 3]>]) {
        self.fill_rgb = Some(colors_rgb.to_vec());
        self.apply_fill();
    }

    /// Back to the neutral fill (no variable shown).
    pub fn clear_fill_colors(&mut self) {
        self.fill_rgb = None;
        self.layer.clear_fill();
    }

    /// The fill alpha for the current basemap: lighter over tiles so the streets show through.
    pub fn fill_alpha(&self) -> u8 {
        if self.basemap.has_tiles() {
            FILL_ALPHA_OVER_TILES
        } else {
            FILL_ALPHA
        }
    }

    fn apply_fill(&mut self) {
        let alpha = self.fill_alpha();
        if let Some(colors_rgb) = &self.fill_rgb {
            self.layer.set_fill(
                colors_rgb
                    .iter()
                    .map(|c| c.map(|[r, g, b]| Color32::from_rgba_unmultiplied(r, g, b, alpha)))
                    .collect(),
            );
        }
    }

    /// Switches the basemap (nothing happens when `choice` is the current one). A file that
    /// cannot be used leaves a note on the map, never an error dialog.
    pub fn set_basemap(&mut self, choice: &BasemapChoice, ctx: &egui::Context) {
        let had_tiles = self.basemap.has_tiles();
        self.basemap.set(choice, ctx);
        if self.basemap.has_tiles() != had_tiles {
            self.apply_fill();
        }
    }

    pub fn basemap(&self) -> &Basemap {
        &self.basemap
    }

    pub fn request_fit(&mut self) {
        self.fit = Some(FitRequest::Campaign);
    }

    /// Whether a fit waits for the next frame (then this map leads a side-by-side pair).
    pub fn fit_pending(&self) -> bool {
        self.fit.is_some()
    }

    /// Walkers' view state (centre, zoom), copied to and from the side-by-side map.
    pub fn memory(&self) -> &MapMemory {
        &self.memory
    }

    pub fn set_memory(&mut self, memory: MapMemory) {
        self.memory = memory;
    }

    /// Centres and zooms on a WGS84 box on the next frame.
    pub fn request_fit_bbox(&mut self, bbox: BboxWgs84) {
        self.fit = Some(FitRequest::Bbox(bbox));
    }

    pub fn hovered_fid(&self) -> Option<i64> {
        self.hovered_fid
    }

    /// Current zoom level (walkers / slippy-map levels).
    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }

    /// What the last frame painted.
    pub fn last_stats(&self) -> FrameStats {
        self.last_stats
    }

    /// Screen position (egui points) of a WGS84 point on the last drawn frame.
    pub fn screen_from_wgs84(&self, lon: f64, lat: f64) -> Option<Pos2> {
        let last = self.last_frame?;
        let projector = Projector::new(
            last.rect,
            &walkers::MercatorProjection,
            &self.memory,
            last.my_position,
        );
        Some(projector.project(lon_lat(lon, lat)).to_pos2())
    }

    /// WGS84 centre of the view on the last drawn frame.
    pub fn center_wgs84(&self) -> Option<[f64; 2]> {
        let last = self.last_frame?;
        let projector = Projector::new(
            last.rect,
            &walkers::MercatorProjection,
            &self.memory,
            last.my_position,
        );
        let p = projector.unproject(last.rect.center().to_vec2());
        Some([p.x(), p.y()])
    }

    /// The small note about the basemap shown on the map (offline, unusable file), if any.
    pub fn basemap_note(&self, t: &Strings) -> Option<String> {
        let name = |file: &str| {
            std::path::Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.to_owned())
        };
        match self.basemap.status() {
            BasemapStatus::Fine | BasemapStatus::Loading => None,
            BasemapStatus::Unavailable => Some(t.basemap_unavailable.to_owned()),
            BasemapStatus::Failed(e) => Some(match e {
                BasemapError::Unreadable { file, reason } => {
                    fill(t.basemap_unreadable, &[&name(&file), &reason])
                }
                BasemapError::NotPmTiles { file } => fill(t.basemap_not_pmtiles, &[&name(&file)]),
                BasemapError::VectorTiles { file } => {
                    fill(t.basemap_vector_pmtiles, &[&name(&file)])
                }
                BasemapError::UnsupportedTiles { file, format } => {
                    fill(t.basemap_unsupported_tiles, &[&name(&file), &format])
                }
            }),
        }
    }

    /// Shows the map filling the available space. `hover_text` gives the figures shown under a
    /// precinct's title in its tooltip (by index in the layer); `t.empty_map_hint` is shown when
    /// there are no precincts. Returns the commands of the user's clicks and turf edits.
    pub fn map_ui(
        &mut self,
        ui: &mut Ui,
        selected_fid: Option<i64>,
        hover_text: &dyn Fn(usize) -> String,
        t: &Strings,
    ) -> Vec<Command> {
        let Some(bbox) = self.layer.bbox_wgs84 else {
            self.last_frame = None;
            ui.centered_and_justified(|ui| {
                ui.label(egui::RichText::new(t.empty_map_hint).size(18.0).weak());
            });
            return Vec::new();
        };
        let my_position = mercator_center_of(bbox);
        if let Some(fit) = self.fit {
            let size = ui.available_size();
            if size.x > 1.0 && size.y > 1.0 {
                let target = match fit {
                    FitRequest::Campaign => bbox,
                    FitRequest::Bbox(b) => b,
                };
                // In range by construction; keep the old zoom rather than panic otherwise.
                let _ = self.memory.set_zoom(zoom_to_fit(target, size));
                self.memory.center_at(mercator_center_of(target));
                self.fit = None;
            }
        }

        let editable = self
            .selected_turf
            .filter(|_| self.turfs_editable)
            .and_then(|id| self.turfs.by_id(id))
            .map(|s| s.editable.clone());
        let drawing = self.tool.mode == turf_tool::ToolMode::Draw;
        // Does the press going on grab the selected turf? Then the map must not pan. Asked with
        // the last frame's projection, before walkers reads the drag.
        let grabs_turf = self.last_projector().is_some_and(|proj| {
            let press = ui.input(|i| {
                i.pointer
                    .primary_down()
                    .then(|| i.pointer.press_origin())
                    .flatten()
            });
            press.is_some_and(|p| {
                self.last_frame.is_some_and(|l| l.rect.contains(p))
                    && self.tool.wants_pointer(
                        p,
                        editable.as_ref(),
                        &|w| proj.project(lon_lat(w[0], w[1])).to_pos2(),
                        &|s| {
                            let q = proj.unproject(s.to_vec2());
                            [q.x(), q.y()]
                        },
                    )
            })
        });

        let mut out = PluginOutput::default();
        let plugin = LayersPlugin {
            layer: &self.layer,
            addresses: &self.addresses,
            streets: &self.streets,
            selected_fid,
            out: &mut out,
        };
        let response = Map::new(self.basemap.tiles_mut(), &mut self.memory, my_position)
            .with_plugin(plugin)
            .double_click_to_zoom(!drawing)
            .panning(!grabs_turf)
            // A press on the selected turf drags the turf, not the map.
            .drag_pan_buttons(if grabs_turf {
                egui::DragPanButtons::empty()
            } else {
                egui::DragPanButtons::PRIMARY
            })
            .zoom_with_ctrl(false)
            .show(ui, |_, _, _, _| ())
            .response;
        self.last_frame = Some(LastFrame {
            rect: response.rect,
            my_position,
        });
        self.hovered_fid = out.hovered_fid;
        self.last_stats = out.stats;
        let mut commands = self.turfs_ui(ui, &response, editable.as_ref(), out.clicked);
        self.operation_overlay_ui(ui, &response, out.clicked.is_some(), &mut commands);
        self.basemap_overlay_ui(ui, response.rect, t);

        // Over a turf (turf panel shown): the turf's name and figures.
        let hovered_turf = response
            .hover_pos()
            .filter(|_| self.turfs_editable && !drawing && !self.tool.is_dragging())
            .and_then(|p| self.wgs84_from_screen(p))
            .and_then(|w| self.turfs.hit_wgs84(w[0], w[1]))
            .and_then(|id| self.turfs.by_id(id));
        if let Some(turf) = hovered_turf {
            let mut figures = fill(
                t.turf_tooltip,
                &[
                    &t.integer(turf.doors as i64),
                    &format!("{:.0}", turf.minutes),
                ],
            );
            if let Some(coverage) = self.turfs.coverage_of(turf.id) {
                figures = format!("{figures}\n{}", coverage.line);
            }
            response.on_hover_text_at_pointer(format!("{}\n{figures}", turf.name));
        } else if !drawing
            && !self.tool.is_dragging()
            && let Some(fid) = out.hovered_fid
            && let Some(index) = self.layer.index_of_fid(fid)
        {
            let title = self.layer.shapes[index].title();
            let figures = hover_text(index);
            response.on_hover_text_at_pointer(if figures.is_empty() {
                title
            } else {
                format!("{title}\n{figures}")
            });
        }
        commands
    }

    /// Shows a second map of the same precincts, coloured by `layer` (made by
    /// [`PrecinctLayer::share_geometry`] from [`MapView::layer`]), with its own view `memory`
    /// (the side-by-side pair copies it to and from this map's). Hover shows the precinct's
    /// title and `hover_text`; a click selects a precinct. No turfs, tool or overlays.
    pub fn side_map_ui(
        &mut self,
        ui: &mut Ui,
        layer: &PrecinctLayer,
        memory: &mut MapMemory,
        selected_fid: Option<i64>,
        hover_text: &dyn Fn(usize) -> String,
    ) -> (Vec<Command>, egui::Response) {
        let my_position = self
            .layer
            .bbox_wgs84
            .map_or_else(|| lon_lat(0.0, 0.0), mercator_center_of);
        let mut out = PluginOutput::default();
        let plugin = LayersPlugin {
            layer,
            addresses: &self.addresses,
            streets: &self.streets,
            selected_fid,
            out: &mut out,
        };
        let response = Map::new(self.basemap.tiles_mut(), memory, my_position)
            .with_plugin(plugin)
            .zoom_with_ctrl(false)
            .show(ui, |_, _, _, _| ())
            .response;
        let mut commands = Vec::new();
        if let Some(fid) = out.clicked {
            commands.push(Command::SelectPrecinct(fid));
        }
        let response = match out.hovered_fid.and_then(|f| layer.index_of_fid(f)) {
            Some(index) => {
                let title = layer.shapes[index].title();
                let figures = hover_text(index);
                response.on_hover_text_at_pointer(if figures.is_empty() {
                    title
                } else {
                    format!("{title}\n{figures}")
                })
            }
            None => response,
        };
        (commands, response)
    }

    /// Paints the turfs and the tool over the map, runs the tool on this frame's input, and
    /// turns a click into a selection (a turf when turfs are editable and one is hit, else the
    /// precinct `clicked` by the plugin).
    fn turfs_ui(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        editable: Option<&turf_tool::EditableTurf>,
        clicked: Option<Option<i64>>,
    ) -> Vec<Command> {
        let rect = response.rect;
        let Some(last) = self.last_frame else {
            return Vec::new();
        };
        // A copy of the view's memory, so the tool can change while the projector reads it.
        let memory = self.memory.clone();
        let proj = Projector::new(
            rect,
            &walkers::MercatorProjection,
            &memory,
            last.my_position,
        );
        let to_screen = |w: [f64; 2]| proj.project(lon_lat(w[0], w[1])).to_pos2();
        let to_wgs84 = |s: Pos2| {
            let q = proj.unproject(s.to_vec2());
            [q.x(), q.y()]
        };
        let center = proj.unproject(rect.center().to_vec2());
        let view = Viewport {
            rect,
            center_merc: merc_from_wgs84(center.x(), center.y()),
            zoom: proj.zoom(),
        };
        let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
        let label_color = Color32::WHITE;
        self.turfs
            .paint(&painter, &view, self.selected_turf, label_color);
        self.route.paint(&painter, &view);

        let mut input = turf_tool::ToolInput::from_response(ui, response);
        if ui.ctx().egui_wants_keyboard_input() {
            (input.enter, input.escape, input.backspace) = (false, false, false);
        }
        let was_drawing = self.tool.mode == turf_tool::ToolMode::Draw;
        let radius_merc = turf_tool::GRAB_RADIUS as f64 / view.points_per_world();
        let snap = |s: Pos2| {
            let w = to_wgs84(s);
            if !self.snap_turf_vertices {
                return w;
            }
            self.streets
                .snap_merc(merc_from_wgs84(w[0], w[1]), radius_merc)
                .map_or(w, wgs84_from_merc)
        };
        let event = self
            .tool
            .handle_snapped(&input, editable, &to_screen, &to_wgs84, &snap);
        let accent = ui.visuals().selection.stroke.color;
        self.tool
            .paint(&painter, response.hover_pos(), editable, &to_screen, accent);
        if was_drawing {
            ui.ctx().request_repaint();
        }

        let mut commands: Vec<Command> = event.into_iter().map(Command::TurfTool).collect();
        if was_drawing {
            return commands; // the click added a vertex
        }
        if let Some(fid) = clicked {
            let hit = self
                .turfs_editable
                .then(|| response.interact_pointer_pos())
                .flatten()
                .and_then(|p| {
                    let w = to_wgs84(p);
                    self.turfs.hit_wgs84(w[0], w[1])
                });
            match hit {
                Some(id) => commands.push(Command::SelectTurf(Some(id))),
                None => {
                    commands.push(Command::SelectPrecinct(fid));
                    if self.turfs_editable && self.selected_turf.is_some() {
                        commands.push(Command::SelectTurf(None));
                    }
                }
            }
        }
        commands
    }
}

impl MapView {
    /// The tiles' attribution (bottom right, a link) and the basemap note (bottom left).
    fn basemap_overlay_ui(&self, ui: &mut Ui, rect: Rect, t: &Strings) {
        if self.basemap.status() == BasemapStatus::Loading {
            // Check again soon: a note appears if no tile ever comes.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
        let bg = ui.visuals().extreme_bg_color.gamma_multiply(0.8);
        let corner = |layout: egui::Layout| {
            egui::UiBuilder::new()
                .max_rect(rect.shrink(2.0))
                .layout(layout)
        };
        if let Some(attribution) = self.basemap.attribution() {
            let mut child = ui.new_child(corner(egui::Layout::right_to_left(egui::Align::Max)));
            egui::Frame::new()
                .fill(bg)
                .inner_margin(egui::Margin::symmetric(4, 1))
                .show(&mut child, |ui| {
                    let text = egui::RichText::new(attribution.text).small();
                    if attribution.url.is_empty() {
                        ui.label(text);
                    } else {
                        ui.hyperlink_to(text, attribution.url);
                    }
                });
        }
        if let Some(note) = self.basemap_note(t) {
            let mut child = ui.new_child(corner(egui::Layout::left_to_right(egui::Align::Max)));
            egui::Frame::new()
                .fill(bg)
                .inner_margin(egui::Margin::symmetric(4, 1))
                .show(&mut child, |ui| {
                    let color = ui.visuals().warn_fg_color;
                    ui.label(egui::RichText::new(note).small().color(color));
                });
        }
    }
}

/// The WGS84 point at the Mercator centre of a bbox (the screen centre after a fit).
fn mercator_center_of(bbox: BboxWgs84) -> Position {
    let a = merc_from_wgs84(bbox[0], bbox[1]);
    let b = merc_from_wgs84(bbox[2], bbox[3]);
    let c = wgs84_from_merc([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
    lon_lat((bbox[0] + bbox[2]) / 2.0, c[1])
}

/// The zoom level at which `bbox` fills `FIT_MARGIN` of a viewport of `size` points.
pub fn zoom_to_fit(bbox: BboxWgs84, size: Vec2) -> f64 {
    let a = merc_from_wgs84(bbox[0], bbox[3]);
    let b = merc_from_wgs84(bbox[2], bbox[1]);
    let width_n = (b[0] - a[0]).abs().max(1e-12);
    let height_n = (b[1] - a[1]).abs().max(1e-12);
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
    stats: FrameStats,
}

/// Paints the layers and reports hover/click. Borrowed for one frame.
struct LayersPlugin<'a> {
    layer: &'a PrecinctLayer,
    addresses: &'a AddressLayer,
    streets: &'a streets::StreetLayer,
    selected_fid: Option<i64>,
    out: &'a mut PluginOutput,
}

impl Plugin for LayersPlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &egui::Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let rect = response.rect;
        let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
        let center = projector.unproject(rect.center().to_vec2());
        let view = Viewport {
            rect,
            center_merc: merc_from_wgs84(center.x(), center.y()),
            zoom: projector.zoom(),
        };
        let visuals = ui.visuals();
        let style = LayerStyle::from_visuals(visuals, ui.ctx().pixels_per_point());
        let highlight = Highlight::from_visuals(visuals);

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

        let streets = self.streets;
        self.out.stats = self.layer.paint_with(&painter, &view, &style, |painter| {
            streets.paint(painter, &view, visuals.dark_mode);
        });
        self.out.stats.address_dots = self.addresses.paint(&painter, &view, &style);

        let hovered_index = hovered.and_then(|s| self.layer.index_of_fid(s.fid));
        let selected_index = self.selected_fid.and_then(|f| self.layer.index_of_fid(f));
        painter.extend(highlight_shapes(
            self.layer,
            &view,
            &highlight,
            hovered_index.filter(|&h| Some(h) != selected_index),
            selected_index,
        ));
    }
}

/// Strokes of the hover and selection highlights.
struct Highlight {
    hovered: Stroke,
    selected: Stroke,
    /// Under the selected outline, in a contrasting colour, so it reads on any fill or tile.
    halo: Stroke,
}

impl Highlight {
    fn from_visuals(visuals: &egui::Visuals) -> Highlight {
        let contrast = if visuals.dark_mode {
            Color32::from_black_alpha(170)
        } else {
            Color32::from_white_alpha(200)
        };
        Highlight {
            hovered: Stroke::new(
                HOVERED_OUTLINE_POINTS,
                visuals.widgets.hovered.fg_stroke.color,
            ),
            selected: Stroke::new(SELECTED_OUTLINE_POINTS, visuals.selection.stroke.color),
            halo: Stroke::new(SELECTED_HALO_POINTS, contrast),
        }
    }
}

/// The highlight outlines of the hovered and selected precincts: lines only, never a fill, so
/// the precinct's class colour stays visible. The selection gets a halo under a strong outline.
fn highlight_shapes(
    layer: &PrecinctLayer,
    view: &Viewport,
    highlight: &Highlight,
    hovered: Option<usize>,
    selected: Option<usize>,
) -> Vec<Shape> {
    let mut shapes = Vec::new();
    if let Some(index) = hovered {
        for ring in layer.screen_rings(index, view) {
            shapes.push(Shape::closed_line(ring, highlight.hovered));
        }
    }
    if let Some(index) = selected {
        let rings = layer.screen_rings(index, view);
        for ring in &rings {
            shapes.push(Shape::closed_line(ring.clone(), highlight.halo));
        }
        for ring in rings {
            shapes.push(Shape::closed_line(ring, highlight.selected));
        }
    }
    shapes
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
    fn the_selection_is_outlined_and_keeps_its_fill_colour() {
        use crate::model::precinct::Precinct;
        use geo_types::{MultiPolygon, polygon};
        let square = polygon![
            (x: 2.30, y: 48.85), (x: 2.31, y: 48.85), (x: 2.31, y: 48.86), (x: 2.30, y: 48.86),
            (x: 2.30, y: 48.85)
        ];
        let precinct = Precinct {
            fid: 7,
            code: "P7".into(),
            name: None,
            geom_wgs84: MultiPolygon(vec![square]),
        };
        let mut view_state = MapView::default();
        view_state.set_layer(PrecinctLayer::new(&[precinct]), true);
        view_state.set_fill_colors_rgb(&[Some([200, 30, 30])]);
        let view = Viewport {
            rect: Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 600.0)),
            center_merc: merc_from_wgs84(2.305, 48.855),
            zoom: 14.0,
        };
        let highlight = Highlight::from_visuals(&egui::Visuals::dark());
        let shapes = highlight_shapes(&view_state.layer, &view, &highlight, None, Some(0));
        assert_eq!(shapes.len(), 2, "halo + outline of the one ring");
        for shape in &shapes {
            match shape {
                Shape::Path(path) => {
                    assert!(path.closed);
                    assert_eq!(
                        path.fill,
                        Color32::TRANSPARENT,
                        "no fill over the class colour"
                    );
                }
                other => panic!("a highlight must be a line, got {other:?}"),
            }
        }
        let Shape::Path(outline) = &shapes[1] else {
            unreachable!()
        };
        assert_eq!(outline.stroke.width, SELECTED_OUTLINE_POINTS);
        // The precinct's own fill keeps its class colour under the outline.
        assert_eq!(
            view_state.layer.fill_color_at(0),
            Some(Color32::from_rgba_unmultiplied(200, 30, 30, FILL_ALPHA))
        );
    }

    #[test]
    fn fills_are_lighter_over_tiles() {
        let mut map = MapView::default();
        assert_eq!(map.fill_alpha(), FILL_ALPHA);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/raster_z0_z1.pmtiles");
        map.set_basemap(&BasemapChoice::PmTiles(path), &egui::Context::default());
        assert_eq!(map.fill_alpha(), FILL_ALPHA_OVER_TILES);
        map.set_basemap(&BasemapChoice::CampaignOnly, &egui::Context::default());
        assert_eq!(map.fill_alpha(), FILL_ALPHA);
    }

    #[test]
    fn mercator_center_is_inside_the_bbox() {
        let c = mercator_center_of([2.0, 48.0, 3.0, 49.0]);
        assert!((c.x() - 2.5).abs() < 1e-9);
        assert!(c.y() > 48.0 && c.y() < 49.0);
    }
}
