//! The precinct and address layers, prepared once per load and painted per frame.
//!
//! Prepare (off the UI thread, [`PrecinctLayer::new`]): every precinct is projected to normalised
//! Web Mercator (0..1, y down), simplified at a ladder of zoom levels (level of detail), and each
//! level is triangulated with earcut (holes included). Vertices are stored as `f32` offsets from
//! the layer's origin; bounding boxes go into an R-tree.
//!
//! Paint ([`PrecinctLayer::paint`]): cull with the R-tree, pick the level of detail for the zoom,
//! transform the cached vertices with one scale + offset into two batched meshes (fills, then
//! outlines tessellated by egui's own path stroker), and add labels where a precinct is big
//! enough on screen. Precincts smaller than [`TINY_POINTS`] on screen are drawn as one quad of
//! their colour, without outline. The benchmark (`porte bench map`) calls the same function.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use egui::{Align2, Color32, FontId, Mesh, Painter, Pos2, Rect, Shape, Stroke};
use geo::{Contains, InteriorPoint, MapCoords, Simplify, TriangulateEarcut};
use geo_types::{MultiPolygon, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::model::precinct::{BboxWgs84, Precinct, bbox_of};
use crate::ui::jobs::{Job, JobPoll};

/// Walkers' tile size: at zoom z the world is 256·2^z points wide.
pub const WORLD_POINTS_AT_ZOOM_0: f64 = 256.0;
/// Zoom levels of the simplified geometries: level `k` is accurate to [`LOD_TOLERANCE_POINTS`]
/// at `LOD_ZOOMS[k]` and below; above the last one the full geometry is drawn.
const LOD_ZOOMS: [f64; 10] = [4.0, 5.5, 7.0, 8.5, 10.0, 11.5, 13.0, 14.5, 16.0, 17.5];
/// Douglas–Peucker tolerance of each level, in screen points at its zoom.
const LOD_TOLERANCE_POINTS: f64 = 0.6;
/// A precinct smaller than this on screen (its bbox's longest side, points) is one quad.
pub const TINY_POINTS: f64 = 2.5;
/// A coarser level is stored only when it drops at least this share of the finer one's vertices
/// (else the finer geometry is reused), which bounds the cache to a few times the full layer.
const LOD_MIN_REDUCTION: f64 = 0.25;
/// Below this typical (median) precinct size on screen, in points, the fills are one cached
/// raster image of the layer (rebuilt per integer zoom and fill change) instead of meshes: at
/// national scale tens of thousands of specks cost more to transform than one textured quad.
const RASTER_BELOW_POINTS: f64 = 12.0;
/// The same for layers too big to batch (national scale): their meshes stay too heavy (~6,000
/// precincts on screen, 10–16 ms a frame) until precincts are this big.
const RASTER_BELOW_POINTS_LARGE: f64 = 24.0;
/// Largest side of that raster, pixels (beyond, meshes are used).
const RASTER_MAX_PX: f64 = 4096.0;
/// How many rasters (zoom levels) are kept.
const RASTERS_KEPT: usize = 3;
/// When the view shows at least this share of the layer's box, fills come from one batched mesh
/// per level (a single transform loop, no culling) instead of per-precinct culling.
const BATCH_MIN_VISIBLE_SHARE: f64 = 0.6;
/// Batched meshes are for city-sized layers; bigger ones use the raster, then culling (building
/// a national batch would stall a frame).
const BATCH_MAX_PRECINCTS: usize = 20_000;
/// Outlines are drawn only around precincts at least this big on screen (points).
const OUTLINE_MIN_POINTS: f64 = 8.0;
/// A label needs a precinct at least this wide and tall on screen (points).
const LABEL_MIN_SIZE: [f64; 2] = [44.0, 18.0];
/// Most labels painted in one frame (the biggest precincts are not favoured: the first seen win).
const MAX_LABELS: usize = 400;
/// Addresses are drawn as dots from this zoom up.
pub const ADDRESS_MIN_ZOOM: f64 = 15.5;
/// Most address dots painted in one frame.
const MAX_ADDRESS_DOTS: usize = 60_000;

/// Normalised Web Mercator (0..1, y down) of a WGS84 point.
pub fn merc_from_wgs84(lon: f64, lat: f64) -> [f64; 2] {
    let x = (lon + 180.0) / 360.0;
    let lat = lat.clamp(-85.05112878, 85.05112878).to_radians();
    let y = (1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// WGS84 (lon, lat) of a normalised Web Mercator point.
pub fn wgs84_from_merc(m: [f64; 2]) -> [f64; 2] {
    let lon = m[0] * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * m[1]))
        .sinh()
        .atan()
        .to_degrees();
    [lon, lat]
}

/// What part of the world a frame shows: the screen rect, the Mercator point at its centre, and
/// the walkers zoom level. Converts between Mercator and screen points with one scale + offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub rect: Rect,
    pub center_merc: [f64; 2],
    pub zoom: f64,
}

impl Viewport {
    /// Width of the whole world in screen points at this zoom.
    pub fn points_per_world(&self) -> f64 {
        WORLD_POINTS_AT_ZOOM_0 * 2f64.powf(self.zoom)
    }

    pub fn screen_from_merc(&self, m: [f64; 2]) -> Pos2 {
        let s = self.points_per_world();
        let c = self.rect.center();
        Pos2::new(
            ((m[0] - self.center_merc[0]) * s + c.x as f64) as f32,
            ((m[1] - self.center_merc[1]) * s + c.y as f64) as f32,
        )
    }

    pub fn merc_from_screen(&self, p: Pos2) -> [f64; 2] {
        let s = self.points_per_world();
        let c = self.rect.center();
        [
            self.center_merc[0] + (p.x as f64 - c.x as f64) / s,
            self.center_merc[1] + (p.y as f64 - c.y as f64) / s,
        ]
    }

    /// The visible Mercator box `[min_x, min_y, max_x, max_y]`.
    pub fn visible_merc(&self) -> [f64; 4] {
        let a = self.merc_from_screen(self.rect.left_top());
        let b = self.merc_from_screen(self.rect.right_bottom());
        [a[0], a[1], b[0], b[1]]
    }
}

/// Colours and sizes of one frame's layers, read from the egui style by the map.
#[derive(Clone, Copy, Debug)]
pub struct LayerStyle {
    pub outline: Stroke,
    /// Fill when no variable colours the map.
    pub neutral_fill: Color32,
    /// Fill of a precinct without data for the variable shown.
    pub no_data_fill: Color32,
    pub label_color: Color32,
    pub label_size: f32,
    pub address_color: Color32,
    /// Side of an address dot, points.
    pub address_size: f32,
    /// Anti-aliasing width of the outlines (1 / pixels per point).
    pub feathering: f32,
}

impl LayerStyle {
    pub fn from_visuals(visuals: &egui::Visuals, pixels_per_point: f32) -> LayerStyle {
        let dark = visuals.dark_mode;
        LayerStyle {
            outline: Stroke::new(1.0, visuals.strong_text_color().gamma_multiply(0.7)),
            neutral_fill: if dark {
                Color32::from_rgba_unmultiplied(70, 80, 95, 120)
            } else {
                Color32::from_rgba_unmultiplied(210, 216, 226, 140)
            },
            no_data_fill: if dark {
                Color32::from_rgba_unmultiplied(110, 110, 110, 90)
            } else {
                Color32::from_rgba_unmultiplied(170, 170, 170, 110)
            },
            label_color: visuals.text_color(),
            label_size: 11.0,
            address_color: if dark {
                Color32::from_rgb(255, 200, 90)
            } else {
                Color32::from_rgb(150, 70, 0)
            },
            address_size: 3.0,
            feathering: 1.0 / pixels_per_point.max(0.1),
        }
    }
}

/// One triangulated geometry (one level of detail of one precinct), as ranges of the layer's
/// pools. Rings are stored one after the other in the vertex pool (exterior, then holes, per
/// polygon), without the closing duplicate point.
#[derive(Clone, Copy, Debug)]
struct CachedGeometry {
    vertex_start: u32,
    vertex_count: u32,
    index_start: u32,
    index_count: u32,
    ring_start: u32,
    ring_count: u32,
}

/// No geometry at this level (the precinct is a quad when this small).
const NO_GEOMETRY: u32 = u32::MAX;

/// One precinct of the layer: identity, boxes, and its geometries per level of detail.
pub struct PrecinctShape {
    pub fid: i64,
    pub code: String,
    pub name: Option<String>,
    /// `None` for a precinct without geometry (kept so indices match the precinct list).
    pub bbox_wgs84: Option<BboxWgs84>,
    bbox_merc: [f64; 4],
    /// Index in `PrecinctLayer::geometries` per level (`LOD_ZOOMS`, then full), or `NO_GEOMETRY`.
    lods: [u32; LOD_ZOOMS.len() + 1],
    geom_wgs84: MultiPolygon<f64>,
    label_merc: [f64; 2],
}

impl PrecinctShape {
    /// "15-49 — École Jules Ferry", or just the code.
    pub fn title(&self) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => format!("{} — {}", self.code, name),
            _ => self.code.clone(),
        }
    }

    fn contains_wgs84(&self, lon: f64, lat: f64) -> bool {
        self.bbox_wgs84
            .is_some_and(|b| lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3])
            && self.geom_wgs84.contains(&Point::new(lon, lat))
    }
}

/// What one frame painted, for the status line and the benchmark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub precincts_drawn: usize,
    pub tiny_quads: usize,
    pub fill_vertices: usize,
    pub outline_vertices: usize,
    pub labels: usize,
    pub address_dots: usize,
    /// The fills came from the cached raster.
    pub raster: bool,
}

type BboxEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The precincts of the open campaign, prepared for painting: one [`PrecinctShape`] per precinct
/// in the order of the campaign's precinct list (so per-precinct vectors align with it).
#[derive(Default)]
pub struct PrecinctLayer {
    /// Shared (read-only after [`PrecinctLayer::new`]) with the overview raster's worker thread.
    pub shapes: Arc<Vec<PrecinctShape>>,
    pub bbox_wgs84: Option<BboxWgs84>,
    origin_merc: [f64; 2],
    bbox_merc: Option<[f64; 4]>,
    /// The longest bbox side of any precinct, Mercator units.
    max_size_merc: f64,
    /// The median of the precincts' longest bbox sides, Mercator units.
    typical_size_merc: f64,
    /// The triangulated geometries, shared with the overview raster's worker thread.
    pools: Arc<Pools>,
    index_of_fid: HashMap<i64, usize>,
    rtree: RTree<BboxEntry>,
    /// Fill per precinct: `None` in the outer option = neutral fill for all; an inner `None` =
    /// no data for that precinct.
    fill: Option<Arc<Vec<Option<Color32>>>>,
    /// Bumped when the fill changes (the batched meshes are rebuilt then).
    fill_generation: u64,
    /// Per level: every precinct's fill (polygons, or quads when tiny at that level) in one mesh,
    /// built on first use.
    batched: Mutex<Vec<Option<BatchedLevel>>>,
    /// Cached rasters of the fills at low zoom, newest last.
    rasters: Mutex<Vec<OverviewRaster>>,
    /// The raster being painted off the UI thread, if any (one at a time).
    raster_job: Mutex<Option<PendingRaster>>,
}

/// The geometry pools of a layer: every level of detail of every precinct, triangulated.
#[derive(Default)]
struct Pools {
    /// Mercator offsets from the layer's origin.
    vertices: Vec<[f32; 2]>,
    /// Triangle indices relative to their geometry's `vertex_start`.
    indices: Vec<u32>,
    /// Vertex counts of consecutive rings.
    ring_lens: Vec<u32>,
    geometries: Vec<CachedGeometry>,
}

/// What an overview raster is painted for: it is reused only for the same key.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RasterKey {
    zoom_level: i32,
    fill_generation: u64,
    /// The style's neutral and no-data fills.
    fills: [Color32; 2],
}

/// An overview raster being painted on a [`Job`] thread.
struct PendingRaster {
    key: RasterKey,
    job: Job<Option<RasterImage>>,
}

/// A painted raster: the image, and how many precincts were polygons / rectangles in it.
struct RasterImage {
    image: egui::ColorImage,
    polygons: usize,
    quads: usize,
}

/// The layer's fills painted into an image at an integer zoom (one pixel per point there).
struct OverviewRaster {
    key: RasterKey,
    /// Size in Mercator units of the image (its top-left corner is the layer's origin).
    size_merc: [f64; 2],
    texture: egui::TextureHandle,
    /// Precincts painted as polygons / as rectangles.
    counts: (usize, usize),
}

/// One level's fills batched: Mercator offsets, colours and triangles of every precinct.
struct BatchedLevel {
    fill_generation: u64,
    /// Precincts drawn as polygons / as quads at this level.
    polygons: usize,
    quads: usize,
    positions: Vec<[f32; 2]>,
    colors: Vec<Color32>,
    indices: Vec<u32>,
}

impl PrecinctLayer {
    /// Prepares every precinct (projection, levels of detail, triangulation, index). Slow for big
    /// layers: call it off the UI thread.
    pub fn new(precincts: &[Precinct]) -> PrecinctLayer {
        let bbox_wgs84 = bbox_of(precincts.iter().map(|p| &p.geom_wgs84));
        let origin_merc = bbox_wgs84
            .map(|b| {
                let m = merc_from_wgs84(b[0], b[3]);
                [m[0], m[1]]
            })
            .unwrap_or([0.5, 0.5]);
        let mut layer = PrecinctLayer {
            bbox_wgs84,
            origin_merc,
            bbox_merc: bbox_wgs84.map(|b| {
                let a = merc_from_wgs84(b[0], b[3]);
                let c = merc_from_wgs84(b[2], b[1]);
                [a[0], a[1], c[0], c[1]]
            }),
            ..Default::default()
        };
        let mut entries = Vec::with_capacity(precincts.len());
        let mut pools = Pools::default();
        let mut shapes = Vec::with_capacity(precincts.len());
        for (i, precinct) in precincts.iter().enumerate() {
            let shape = pools.prepare(origin_merc, precinct);
            if shape.bbox_wgs84.is_some() {
                let b = shape.bbox_merc;
                entries.push(BboxEntry::new(
                    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                    i,
                ));
            }
            layer.index_of_fid.insert(shape.fid, i);
            if shape.bbox_wgs84.is_some() {
                let b = shape.bbox_merc;
                layer.max_size_merc = layer.max_size_merc.max((b[2] - b[0]).max(b[3] - b[1]));
            }
            shapes.push(shape);
        }
        layer.shapes = Arc::new(shapes);
        layer.pools = Arc::new(pools);
        layer.rtree = RTree::bulk_load(entries);
        let mut sizes: Vec<f64> = layer
            .shapes
            .iter()
            .filter(|s| s.bbox_wgs84.is_some())
            .map(|s| (s.bbox_merc[2] - s.bbox_merc[0]).max(s.bbox_merc[3] - s.bbox_merc[1]))
            .collect();
        sizes.sort_by(|a, b| a.total_cmp(b));
        layer.typical_size_merc = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
        layer
    }
}

impl Pools {
    fn prepare(&mut self, origin_merc: [f64; 2], precinct: &Precinct) -> PrecinctShape {
        let bbox_wgs84 = bbox_of(std::iter::once(&precinct.geom_wgs84));
        let merc: MultiPolygon<f64> = precinct.geom_wgs84.map_coords(|c| {
            let m = merc_from_wgs84(c.x, c.y);
            geo_types::Coord { x: m[0], y: m[1] }
        });
        let bbox_merc = bbox_wgs84
            .map(|b| {
                let a = merc_from_wgs84(b[0], b[3]);
                let c = merc_from_wgs84(b[2], b[1]);
                [a[0], a[1], c[0], c[1]]
            })
            .unwrap_or([0.0; 4]);
        let size_merc = (bbox_merc[2] - bbox_merc[0]).max(bbox_merc[3] - bbox_merc[1]);
        let mut lods = [NO_GEOMETRY; LOD_ZOOMS.len() + 1];
        // Full geometry, then coarser and coarser levels, each simplified from the finer one.
        let full = self.push_geometry(origin_merc, &merc);
        lods[LOD_ZOOMS.len()] = full;
        let mut finer = merc;
        let mut finer_index = full;
        for k in (0..LOD_ZOOMS.len()).rev() {
            let points_per_world = WORLD_POINTS_AT_ZOOM_0 * 2f64.powf(LOD_ZOOMS[k]);
            if finer_index == NO_GEOMETRY || size_merc * points_per_world < TINY_POINTS {
                break; // a quad at this zoom and below
            }
            let epsilon = LOD_TOLERANCE_POINTS / points_per_world;
            let simplified = finer.simplify(epsilon);
            let count = |m: &MultiPolygon<f64>| -> usize {
                m.0.iter()
                    .map(|p| {
                        p.exterior().0.len()
                            + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                    })
                    .sum()
            };
            let (n_finer, n_simplified) = (count(&finer), count(&simplified));
            let worth_it = (n_simplified as f64) <= (1.0 - LOD_MIN_REDUCTION) * n_finer as f64;
            if worth_it {
                finer_index = self.push_geometry(origin_merc, &simplified);
                finer = simplified;
            }
            lods[k] = finer_index;
        }
        let label_wgs84 = precinct
            .geom_wgs84
            .interior_point()
            .map(|p| [p.x(), p.y()])
            .or_else(|| bbox_wgs84.map(|b| [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]))
            .unwrap_or([0.0, 0.0]);
        PrecinctShape {
            fid: precinct.fid,
            code: precinct.code.clone(),
            name: precinct.name.clone(),
            bbox_wgs84,
            bbox_merc,
            lods,
            geom_wgs84: precinct.geom_wgs84.clone(),
            label_merc: merc_from_wgs84(label_wgs84[0], label_wgs84[1]),
        }
    }

    /// Triangulates a Mercator multipolygon into the pools; `NO_GEOMETRY` when nothing is left.
    fn push_geometry(&mut self, origin_merc: [f64; 2], merc: &MultiPolygon<f64>) -> u32 {
        let vertex_start = self.vertices.len() as u32;
        let index_start = self.indices.len() as u32;
        let ring_start = self.ring_lens.len() as u32;
        for polygon in merc {
            if polygon.exterior().0.len() < 4 {
                continue;
            }
            // Earcut wants rings of at least 3 distinct points: drop collapsed holes.
            let polygon = if polygon.interiors().iter().all(|r| r.0.len() >= 4) {
                std::borrow::Cow::Borrowed(polygon)
            } else {
                std::borrow::Cow::Owned(Polygon::new(
                    polygon.exterior().clone(),
                    polygon
                        .interiors()
                        .iter()
                        .filter(|r| r.0.len() >= 4)
                        .cloned()
                        .collect(),
                ))
            };
            let tri = polygon.earcut_triangles_raw();
            let base = self.vertices.len() as u32 - vertex_start;
            self.vertices.extend(tri.vertices.iter().map(|v| {
                [
                    (v[0] - origin_merc[0]) as f32,
                    (v[1] - origin_merc[1]) as f32,
                ]
            }));
            self.indices
                .extend(tri.triangle_indices.iter().map(|&i| base + i as u32));
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                self.ring_lens.push(ring.0.len() as u32 - 1);
            }
        }
        let vertex_count = self.vertices.len() as u32 - vertex_start;
        if vertex_count == 0 {
            return NO_GEOMETRY;
        }
        self.geometries.push(CachedGeometry {
            vertex_start,
            vertex_count,
            index_start,
            index_count: self.indices.len() as u32 - index_start,
            ring_start,
            ring_count: self.ring_lens.len() as u32 - ring_start,
        });
        self.geometries.len() as u32 - 1
    }
}

impl PrecinctLayer {
    /// A layer over the same precincts with its own fill and caches (the side-by-side map's
    /// priority colours): the shapes and triangulated pools are shared (`Arc`), only the fid
    /// index and the R-tree are copied, so nothing is projected or triangulated again.
    pub fn share_geometry(&self) -> PrecinctLayer {
        PrecinctLayer {
            shapes: Arc::clone(&self.shapes),
            bbox_wgs84: self.bbox_wgs84,
            origin_merc: self.origin_merc,
            bbox_merc: self.bbox_merc,
            max_size_merc: self.max_size_merc,
            typical_size_merc: self.typical_size_merc,
            pools: Arc::clone(&self.pools),
            index_of_fid: self.index_of_fid.clone(),
            rtree: self.rtree.clone(),
            fill: None,
            fill_generation: 0,
            batched: Mutex::default(),
            rasters: Mutex::default(),
            raster_job: Mutex::default(),
        }
    }

    /// True when `other` was made by [`PrecinctLayer::share_geometry`] from this layer (or
    /// the other way round).
    pub fn shares_geometry_with(&self, other: &PrecinctLayer) -> bool {
        Arc::ptr_eq(&self.shapes, &other.shapes)
    }

    /// Sets one fill colour per precinct (aligned with [`PrecinctLayer::shapes`]; `None` = no
    /// data). A slice of another length is padded with "no data" or cut.
    pub fn set_fill(&mut self, colors: Vec<Option<Color32>>) {
        let mut colors = colors;
        colors.resize(self.shapes.len(), None);
        self.fill = Some(Arc::new(colors));
        self.fill_generation += 1;
    }

    /// Back to the neutral fill (no variable shown).
    pub fn clear_fill(&mut self) {
        self.fill = None;
        self.fill_generation += 1;
    }

    fn fill_color(&self, i: usize, style: &LayerStyle) -> Color32 {
        fill_color_of(self.fill.as_deref().map(Vec::as_slice), i, style)
    }

    /// Appends the batched fills of `level` (built or rebuilt when needed) to `mesh`.
    /// Returns how many precincts it drew as polygons and as quads.
    fn push_batched_fill(
        &self,
        level: usize,
        t: &Transform,
        style: &LayerStyle,
        mesh: &mut Mesh,
    ) -> (usize, usize) {
        let mut batched = self.batched.lock().unwrap_or_else(|e| e.into_inner());
        if batched.len() <= level {
            batched.resize_with(LOD_ZOOMS.len() + 1, || None);
        }
        let stale = batched[level]
            .as_ref()
            .is_none_or(|b| b.fill_generation != self.fill_generation);
        if stale {
            let mut b = BatchedLevel {
                fill_generation: self.fill_generation,
                polygons: 0,
                quads: 0,
                positions: Vec::new(),
                colors: Vec::new(),
                indices: Vec::new(),
            };
            for (i, shape) in self.shapes.iter().enumerate() {
                if shape.bbox_wgs84.is_none() {
                    continue;
                }
                let color = self.fill_color(i, style);
                let base = b.positions.len() as u32;
                match shape.lods[level] {
                    NO_GEOMETRY => {
                        b.quads += 1;
                        let m = shape.bbox_merc;
                        let (x0, y0) = (
                            (m[0] - self.origin_merc[0]) as f32,
                            (m[1] - self.origin_merc[1]) as f32,
                        );
                        let (x1, y1) = (
                            (m[2] - self.origin_merc[0]) as f32,
                            (m[3] - self.origin_merc[1]) as f32,
                        );
                        b.positions.extend([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
                        b.indices
                            .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
                    }
                    g => {
                        b.polygons += 1;
                        let g = &self.pools.geometries[g as usize];
                        let vs = g.vertex_start as usize;
                        b.positions.extend_from_slice(
                            &self.pools.vertices[vs..vs + g.vertex_count as usize],
                        );
                        let is = g.index_start as usize;
                        b.indices.extend(
                            self.pools.indices[is..is + g.index_count as usize]
                                .iter()
                                .map(|&k| base + k),
                        );
                    }
                }
                b.colors.resize(b.positions.len(), color);
            }
            batched[level] = Some(b);
        }
        let Some(b) = &batched[level] else {
            return (0, 0);
        };
        let base = mesh.vertices.len() as u32;
        mesh.vertices
            .extend(
                b.positions
                    .iter()
                    .zip(&b.colors)
                    .map(|(&p, &color)| egui::epaint::Vertex {
                        pos: t.apply(p),
                        uv: egui::epaint::WHITE_UV,
                        color,
                    }),
            );
        if base == 0 {
            mesh.indices.extend_from_slice(&b.indices);
        } else {
            mesh.indices.extend(b.indices.iter().map(|&k| base + k));
        }
        (b.polygons, b.quads)
    }

    /// Width and height in pixels of the raster at `zoom_level`, when not too big.
    fn raster_size_px(&self, layer_bbox: [f64; 4], zoom_level: i32) -> Option<[usize; 2]> {
        let s = WORLD_POINTS_AT_ZOOM_0 * 2f64.powi(zoom_level);
        let w = ((layer_bbox[2] - layer_bbox[0]) * s).ceil() + 1.0;
        let h = ((layer_bbox[3] - layer_bbox[1]) * s).ceil() + 1.0;
        (w <= RASTER_MAX_PX && h <= RASTER_MAX_PX).then_some([w as usize, h as usize])
    }

    /// Paints the fills as the cached raster of `zoom_level`. A missing raster is painted on a
    /// [`Job`] thread (never on the UI thread); meanwhile the nearest raster of another zoom with
    /// the same colours is stretched over the view. Returns how many precincts were polygons and
    /// quads in the raster drawn, or `None` when there is none yet (the caller draws meshes).
    fn paint_raster(
        &self,
        painter: &Painter,
        view: &Viewport,
        zoom_level: i32,
        style: &LayerStyle,
    ) -> Option<(usize, usize)> {
        let layer_bbox = self.bbox_merc?;
        let size_px = self.raster_size_px(layer_bbox, zoom_level)?;
        let key = RasterKey {
            zoom_level,
            fill_generation: self.fill_generation,
            fills: [style.neutral_fill, style.no_data_fill],
        };
        let same_colours =
            |k: &RasterKey| k.fill_generation == key.fill_generation && k.fills == key.fills;
        let mut rasters = self.rasters.lock().unwrap_or_else(|e| e.into_inner());
        let mut pending = self.raster_job.lock().unwrap_or_else(|e| e.into_inner());

        // Collect a finished raster: upload it when its colours are still the current ones.
        if let Some(p) = pending.as_mut() {
            match p.job.poll() {
                JobPoll::Running => {}
                JobPoll::Lost => *pending = None,
                JobPoll::Done(done) => {
                    let done_key = p.key;
                    *pending = None;
                    if let Some(done) = done
                        && same_colours(&done_key)
                    {
                        let texture = painter.ctx().load_texture(
                            format!("porte precinct raster z{}", done_key.zoom_level),
                            done.image,
                            egui::TextureOptions::LINEAR,
                        );
                        let s = WORLD_POINTS_AT_ZOOM_0 * 2f64.powi(done_key.zoom_level);
                        let [w, h] = texture.size();
                        rasters.retain(|r| same_colours(&r.key));
                        if rasters.len() >= RASTERS_KEPT {
                            rasters.remove(0);
                        }
                        rasters.push(OverviewRaster {
                            key: done_key,
                            size_merc: [w as f64 / s, h as f64 / s],
                            texture,
                            counts: (done.polygons, done.quads),
                        });
                    }
                }
            }
        }

        let exact = rasters.iter().position(|r| r.key == key);
        if exact.is_none() {
            // Stale colours are not worth finishing.
            if let Some(p) = pending.as_ref()
                && !same_colours(&p.key)
            {
                p.job.cancel();
                *pending = None;
            }
            // One raster at a time: another zoom's raster still running is started again later.
            if pending.is_none() {
                let shapes = Arc::clone(&self.shapes);
                let pools = Arc::clone(&self.pools);
                let fill = self.fill.clone();
                let origin_merc = self.origin_merc;
                let style = *style;
                let job = Job::spawn("overview raster", painter.ctx(), move |progress| {
                    let input = RasterInput {
                        shapes: &shapes,
                        pools: &pools,
                        origin_merc,
                        fill: fill.as_deref().map(Vec::as_slice),
                    };
                    rasterize(&input, size_px, zoom_level, &style, &|| {
                        progress.is_cancelled()
                    })
                });
                *pending = Some(PendingRaster { key, job });
            }
        }
        // The exact raster, else the one of the nearest zoom with the same colours.
        let r = match exact {
            Some(i) => &rasters[i],
            None => rasters
                .iter()
                .filter(|r| same_colours(&r.key))
                .min_by_key(|r| (r.key.zoom_level - zoom_level).abs())?,
        };
        let min = view.screen_from_merc(self.origin_merc);
        let max = view.screen_from_merc([
            self.origin_merc[0] + r.size_merc[0],
            self.origin_merc[1] + r.size_merc[1],
        ]);
        painter.image(
            r.texture.id(),
            Rect::from_min_max(min, max),
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
        Some(r.counts)
    }

    /// Stops the raster being painted in the background, if any.
    fn cancel_raster_job(&self) {
        let mut pending = self.raster_job.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = pending.take() {
            p.job.cancel();
        }
    }

    /// Whether an overview raster is being painted in the background.
    pub fn raster_pending(&self) -> bool {
        self.raster_job
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// The precinct under a WGS84 point; the last one in the list wins where they overlap.
    pub fn hit_wgs84(&self, lon: f64, lat: f64) -> Option<&PrecinctShape> {
        let m = merc_from_wgs84(lon, lat);
        self.rtree
            .locate_all_at_point(&m)
            .map(|e| e.data)
            .filter(|&i| self.shapes[i].contains_wgs84(lon, lat))
            .max()
            .map(|i| &self.shapes[i])
    }

    pub fn index_of_fid(&self, fid: i64) -> Option<usize> {
        self.index_of_fid.get(&fid).copied()
    }

    pub fn by_fid(&self, fid: i64) -> Option<&PrecinctShape> {
        self.index_of_fid(fid).map(|i| &self.shapes[i])
    }

    /// Number of cached vertices over every level of detail (for the benchmark).
    pub fn cached_vertices(&self) -> usize {
        self.pools.vertices.len()
    }

    fn level_for_zoom(zoom: f64) -> usize {
        LOD_ZOOMS
            .iter()
            .position(|&z| zoom <= z)
            .unwrap_or(LOD_ZOOMS.len())
    }

    /// Screen rings of one precinct at full detail (highlights).
    pub fn screen_rings(&self, index: usize, view: &Viewport) -> Vec<Vec<Pos2>> {
        let shape = &self.shapes[index];
        let g = shape.lods[LOD_ZOOMS.len()];
        if g == NO_GEOMETRY {
            return Vec::new();
        }
        let g = self.pools.geometries[g as usize];
        let t = Transform::new(self.origin_merc, view);
        let mut out = Vec::with_capacity(g.ring_count as usize);
        let mut v = g.vertex_start as usize;
        for &len in
            &self.pools.ring_lens[g.ring_start as usize..(g.ring_start + g.ring_count) as usize]
        {
            let len = len as usize;
            out.push(
                self.pools.vertices[v..v + len]
                    .iter()
                    .map(|&p| t.apply(p))
                    .collect(),
            );
            v += len;
        }
        out
    }

    /// The class colour precinct `index` is filled with (`None`: neutral or no-data fill).
    pub fn fill_color_at(&self, index: usize) -> Option<Color32> {
        self.fill
            .as_ref()
            .and_then(|colors| colors.get(index).copied().flatten())
    }

    /// Paints the layer for `view`: fills, outlines, then labels. Returns what it drew.
    pub fn paint(&self, painter: &Painter, view: &Viewport, style: &LayerStyle) -> FrameStats {
        self.paint_with(painter, view, style, |_| {})
    }

    /// As [`PrecinctLayer::paint`], calling `under_outlines` between the fills and the outlines
    /// (the street layer goes there: over the choropleth, under the precinct boundaries and
    /// codes).
    pub fn paint_with(
        &self,
        painter: &Painter,
        view: &Viewport,
        style: &LayerStyle,
        under_outlines: impl FnOnce(&Painter),
    ) -> FrameStats {
        let mut stats = FrameStats::default();
        let Some(layer_bbox) = self.bbox_merc else {
            under_outlines(painter);
            return stats;
        };
        let visible = view.visible_merc();
        let scale = view.points_per_world();
        let level = Self::level_for_zoom(view.zoom);
        let t = Transform::new(self.origin_merc, view);

        let mut fill_mesh = Mesh::default();
        let mut outline_mesh = Mesh::default();
        let mut ring_pts: Vec<Pos2> = Vec::new();
        let mut labels: Vec<usize> = Vec::new();

        // Share of the layer's box on screen: above BATCH_MIN_VISIBLE_SHARE, fills are batched.
        let share_visible = {
            let w = (visible[2].min(layer_bbox[2]) - visible[0].max(layer_bbox[0])).max(0.0);
            let h = (visible[3].min(layer_bbox[3]) - visible[1].max(layer_bbox[1])).max(0.0);
            let area =
                ((layer_bbox[2] - layer_bbox[0]) * (layer_bbox[3] - layer_bbox[1])).max(1e-30);
            w * h / area
        };
        // One raster pixel is at most ~1.3 points on screen.
        // When that raster would be too big (a national layer around zoom 9), the one of the zoom
        // below is stretched (pixels of up to ~2.7 points).
        let finest_zoom = (view.zoom - 0.4).ceil() as i32;
        let raster_zoom = [finest_zoom, finest_zoom - 1]
            .into_iter()
            .find(|&z| self.raster_size_px(layer_bbox, z).is_some());
        let raster_below = if self.shapes.len() > BATCH_MAX_PRECINCTS {
            RASTER_BELOW_POINTS_LARGE
        } else {
            RASTER_BELOW_POINTS
        };
        let wants_raster = self.typical_size_merc * scale < raster_below && raster_zoom.is_some();
        let raster_zoom = raster_zoom.unwrap_or(finest_zoom);
        // Until a first raster is ready (painted off the UI thread), meshes are drawn.
        let raster_counts = if wants_raster {
            self.paint_raster(painter, view, raster_zoom, style)
        } else {
            // Zoomed in past the rasters: a raster still being painted would only slow the
            // meshes down (two cores); it is started again if the view zooms back out.
            self.cancel_raster_job();
            None
        };
        let raster = raster_counts.is_some();
        let batched = raster
            || (share_visible >= BATCH_MIN_VISIBLE_SHARE
                && self.shapes.len() <= BATCH_MAX_PRECINCTS);
        let (mut batched_polygons, mut batched_quads) = (0, 0);
        if let Some(counts) = raster_counts {
            (batched_polygons, batched_quads) = counts;
            stats.raster = true;
        } else if batched {
            (batched_polygons, batched_quads) =
                self.push_batched_fill(level, &t, style, &mut fill_mesh);
        }

        let mut draw = |i: usize| {
            let shape = &self.shapes[i];
            let b = shape.bbox_merc;
            let (w, h) = ((b[2] - b[0]) * scale, (b[3] - b[1]) * scale);
            let g = shape.lods[level];
            let tiny = w.max(h) < TINY_POINTS || g == NO_GEOMETRY;
            if tiny {
                stats.tiny_quads += 1;
            } else {
                stats.precincts_drawn += 1;
            }
            if !batched {
                let color = self.fill_color(i, style);
                if tiny {
                    let min = view.screen_from_merc([b[0], b[1]]);
                    let size = egui::vec2(w.max(1.0) as f32, h.max(1.0) as f32);
                    fill_mesh.add_colored_rect(Rect::from_min_size(min, size), color);
                } else {
                    push_fill(
                        &mut fill_mesh,
                        &self.pools.geometries[g as usize],
                        self,
                        &t,
                        color,
                    );
                }
            }
            if tiny || w.min(h) < OUTLINE_MIN_POINTS {
                return;
            }
            let g = &self.pools.geometries[g as usize];
            let mut v = g.vertex_start as usize;
            let rings = &self.pools.ring_lens
                [g.ring_start as usize..(g.ring_start + g.ring_count) as usize];
            for &len in rings {
                let len = len as usize;
                ring_pts.clear();
                ring_pts.extend(self.pools.vertices[v..v + len].iter().map(|&p| t.apply(p)));
                v += len;
                if ring_pts.len() >= 3 {
                    push_ring_outline(&mut outline_mesh, &ring_pts, style.outline);
                }
            }
            if w >= LABEL_MIN_SIZE[0] && h >= LABEL_MIN_SIZE[1] && labels.len() < MAX_LABELS {
                labels.push(i);
            }
        };

        // Outlines and labels need the precinct to be a few points wide: when even the biggest
        // precinct is smaller than that, only the (batched) fills are drawn.
        // Nor in raster mode: precincts are specks then, outlines would be noise.
        let outlines_possible = !raster && self.max_size_merc * scale >= OUTLINE_MIN_POINTS;
        if batched && !outlines_possible {
            // Nothing more to draw per precinct.
            stats.precincts_drawn = batched_polygons;
            stats.tiny_quads = batched_quads;
        } else if batched && share_visible >= 0.999 {
            // Everything is on screen: no need to ask the R-tree.
            for (i, shape) in self.shapes.iter().enumerate() {
                if shape.bbox_wgs84.is_some() {
                    draw(i);
                }
            }
        } else {
            let envelope = AABB::from_corners([visible[0], visible[1]], [visible[2], visible[3]]);
            let mut hits: Vec<usize> = self
                .rtree
                .locate_in_envelope_intersecting(&envelope)
                .map(|e| e.data)
                .collect();
            hits.sort_unstable(); // paint in list order, as when everything is visible
            for i in hits {
                draw(i);
            }
        }
        stats.fill_vertices = fill_mesh.vertices.len();
        stats.outline_vertices = outline_mesh.vertices.len();
        painter.add(Shape::mesh(fill_mesh));
        under_outlines(painter);
        painter.add(Shape::mesh(outline_mesh));
        let font = FontId::proportional(style.label_size);
        for &i in &labels {
            let shape = &self.shapes[i];
            // Dark text on light fills, light text on dark ones.
            let color = match &self.fill {
                Some(colors) => match colors[i] {
                    Some(c) if luminance(c) > 0.45 => Color32::from_gray(25),
                    Some(_) => Color32::from_gray(240),
                    None => style.label_color,
                },
                None => style.label_color,
            };
            painter.text(
                view.screen_from_merc(shape.label_merc),
                Align2::CENTER_CENTER,
                &shape.code,
                font.clone(),
                color,
            );
        }
        stats.labels = labels.len();
        stats
    }
}

/// Relative luminance (0..1) of a colour, ignoring alpha.
fn luminance(c: Color32) -> f32 {
    let [r, g, b, _] = c.to_srgba_unmultiplied();
    (0.2126 * r as f32 + 0.7152 * g as f32 + 0.0722 * b as f32) / 255.0
}

/// What [`rasterize`] reads: the layer's shared geometry and its fill colours.
struct RasterInput<'a> {
    shapes: &'a [PrecinctShape],
    pools: &'a Pools,
    origin_merc: [f64; 2],
    /// One colour per precinct (`None` inside = no data); `None` = neutral fill for all.
    fill: Option<&'a [Option<Color32>]>,
}

/// The fill of precinct `i`: its class colour, the no-data grey, or the neutral fill.
fn fill_color_of(fill: Option<&[Option<Color32>]>, i: usize, style: &LayerStyle) -> Color32 {
    match fill {
        None => style.neutral_fill,
        Some(colors) => colors[i].unwrap_or(style.no_data_fill),
    }
}

/// Paints every precinct's fill into an image of `size_px` at `zoom_level` (scanline, even-odd
/// rule, pixel centres), using the level of detail of that zoom. Precincts smaller than a pixel
/// still get their pixel. Runs on a worker thread; `None` when `cancelled` said so.
fn rasterize(
    input: &RasterInput<'_>,
    size_px: [usize; 2],
    zoom_level: i32,
    style: &LayerStyle,
    cancelled: &dyn Fn() -> bool,
) -> Option<RasterImage> {
    let [w, h] = size_px;
    let mut pixels = vec![Color32::TRANSPARENT; w * h];
    let s = WORLD_POINTS_AT_ZOOM_0 * 2f64.powi(zoom_level);
    let level = PrecinctLayer::level_for_zoom(zoom_level as f64);
    let origin = input.origin_merc;
    let pools = input.pools;
    let (mut polygons, mut quads) = (0, 0);
    let mut xs: Vec<f64> = Vec::new();
    let set = |x: i64, y: i64, color: Color32, pixels: &mut Vec<Color32>| {
        if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
            pixels[y as usize * w + x as usize] = color;
        }
    };
    for (i, shape) in input.shapes.iter().enumerate() {
        if i % 1024 == 0 && cancelled() {
            return None;
        }
        if shape.bbox_wgs84.is_none() {
            continue;
        }
        let color = fill_color_of(input.fill, i, style);
        let b = shape.bbox_merc;
        let px = |m: f64, o: f64| (m - o) * s;
        let (x0, y0) = (px(b[0], origin[0]), px(b[1], origin[1]));
        let (x1, y1) = (px(b[2], origin[0]), px(b[3], origin[1]));
        let g = shape.lods[level];
        let mut painted = false;
        if g == NO_GEOMETRY {
            quads += 1;
            for y in (y0 - 0.5).ceil() as i64..=(y1 - 0.5).floor() as i64 {
                for x in (x0 - 0.5).ceil() as i64..=(x1 - 0.5).floor() as i64 {
                    set(x, y, color, &mut pixels);
                    painted = true;
                }
            }
        } else {
            polygons += 1;
            let g = &pools.geometries[g as usize];
            let vs = g.vertex_start as usize;
            let verts = &pools.vertices[vs..vs + g.vertex_count as usize];
            let rings =
                &pools.ring_lens[g.ring_start as usize..(g.ring_start + g.ring_count) as usize];
            for y in (y0 - 0.5).ceil() as i64..=(y1 - 0.5).floor() as i64 {
                let yc = y as f64 + 0.5;
                xs.clear();
                let mut start = 0;
                for &len in rings {
                    let ring = &verts[start..start + len as usize];
                    start += len as usize;
                    for (k, p) in ring.iter().enumerate() {
                        let q = ring[(k + 1) % ring.len()];
                        let (py, qy) = (p[1] as f64 * s, q[1] as f64 * s);
                        if (py <= yc) != (qy <= yc) {
                            let (pxx, qx) = (p[0] as f64 * s, q[0] as f64 * s);
                            xs.push(pxx + (yc - py) * (qx - pxx) / (qy - py));
                        }
                    }
                }
                xs.sort_by(|a, b| a.total_cmp(b));
                for pair in xs.chunks_exact(2) {
                    for x in (pair[0] - 0.5).ceil() as i64..=(pair[1] - 0.5).floor() as i64 {
                        set(x, y, color, &mut pixels);
                        painted = true;
                    }
                }
            }
        }
        if !painted {
            let c = [(x0 + x1) / 2.0, (y0 + y1) / 2.0];
            set(c[0] as i64, c[1] as i64, color, &mut pixels);
        }
    }
    Some(RasterImage {
        image: egui::ColorImage::new(size_px, pixels),
        polygons,
        quads,
    })
}

/// Cached Mercator offsets → screen points: one multiply-add per axis.
struct Transform {
    scale: f64,
    offset: [f64; 2],
}

impl Transform {
    fn new(origin_merc: [f64; 2], view: &Viewport) -> Transform {
        let scale = view.points_per_world();
        let c = view.rect.center();
        Transform {
            scale,
            offset: [
                (origin_merc[0] - view.center_merc[0]) * scale + c.x as f64,
                (origin_merc[1] - view.center_merc[1]) * scale + c.y as f64,
            ],
        }
    }

    #[inline]
    fn apply(&self, p: [f32; 2]) -> Pos2 {
        Pos2::new(
            (p[0] as f64 * self.scale + self.offset[0]) as f32,
            (p[1] as f64 * self.scale + self.offset[1]) as f32,
        )
    }
}

/// A closed ring as a thin triangle strip: two vertices per point, offset along the mean normal
/// of its two segments (half the width each side), no anti-aliasing. Half the vertices of egui's
/// feathered stroke, and no joins to compute: at 1 point wide the difference does not show.
fn push_ring_outline(mesh: &mut Mesh, ring: &[Pos2], stroke: Stroke) {
    let n = ring.len();
    let half = stroke.width / 2.0;
    let base = mesh.vertices.len() as u32;
    mesh.vertices.reserve(2 * n);
    mesh.indices.reserve(6 * n);
    let mut prev_dir = (ring[0] - ring[n - 1]).normalized();
    for i in 0..n {
        let next_dir = (ring[(i + 1) % n] - ring[i]).normalized();
        let normal = (prev_dir + next_dir).normalized().rot90();
        // Keep the strip's width at sharp corners, within reason.
        let cos = normal.dot(next_dir.rot90()).max(0.3);
        let offset = normal * (half / cos);
        let p = ring[i];
        for pos in [p + offset, p - offset] {
            mesh.vertices.push(egui::epaint::Vertex {
                pos,
                uv: egui::epaint::WHITE_UV,
                color: stroke.color,
            });
        }
        prev_dir = next_dir;
    }
    for i in 0..n as u32 {
        let (a, b) = (base + 2 * i, base + 2 * ((i + 1) % n as u32));
        mesh.indices.extend([a, a + 1, b, a + 1, b + 1, b]);
    }
}

fn push_fill(
    mesh: &mut Mesh,
    g: &CachedGeometry,
    layer: &PrecinctLayer,
    t: &Transform,
    color: Color32,
) {
    let base = mesh.vertices.len() as u32;
    let vs = g.vertex_start as usize;
    mesh.vertices.extend(
        layer.pools.vertices[vs..vs + g.vertex_count as usize]
            .iter()
            .map(|&p| egui::epaint::Vertex {
                pos: t.apply(p),
                uv: egui::epaint::WHITE_UV,
                color,
            }),
    );
    let is = g.index_start as usize;
    mesh.indices.extend(
        layer.pools.indices[is..is + g.index_count as usize]
            .iter()
            .map(|&i| base + i),
    );
}

/// The campaign's doors as dots, drawn at high zoom only.
#[derive(Default)]
pub struct AddressLayer {
    rtree: RTree<[f64; 2]>,
}

impl AddressLayer {
    /// From WGS84 (lon, lat) points.
    pub fn new(points_wgs84: &[[f64; 2]]) -> AddressLayer {
        AddressLayer {
            rtree: RTree::bulk_load(
                points_wgs84
                    .iter()
                    .map(|p| merc_from_wgs84(p[0], p[1]))
                    .collect(),
            ),
        }
    }

    pub fn len(&self) -> usize {
        self.rtree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.rtree.size() == 0
    }

    /// Paints the visible doors as small squares when zoomed in enough; returns how many.
    pub fn paint(&self, painter: &Painter, view: &Viewport, style: &LayerStyle) -> usize {
        if view.zoom < ADDRESS_MIN_ZOOM || self.is_empty() {
            return 0;
        }
        let v = view.visible_merc();
        let envelope = AABB::from_corners([v[0], v[1]], [v[2], v[3]]);
        // Dots grow from the style's size to twice it over three zoom levels.
        let grow = 1.0 + ((view.zoom - ADDRESS_MIN_ZOOM) / 3.0).clamp(0.0, 1.0) as f32;
        let half = egui::Vec2::splat(style.address_size * grow / 2.0);
        let mut mesh = Mesh::default();
        let mut n = 0;
        for p in self
            .rtree
            .locate_in_envelope(&envelope)
            .take(MAX_ADDRESS_DOTS)
        {
            let c = view.screen_from_merc(*p);
            mesh.add_colored_rect(Rect::from_min_max(c - half, c + half), style.address_color);
            n += 1;
        }
        painter.add(Shape::mesh(mesh));
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn square_with_hole(fid: i64, x: f64, y: f64) -> Precinct {
        let p = polygon!(
            exterior: [(x: x, y: y), (x: x + 0.01, y: y), (x: x + 0.01, y: y + 0.01), (x: x, y: y + 0.01), (x: x, y: y)],
            interiors: [[(x: x + 0.004, y: y + 0.004), (x: x + 0.006, y: y + 0.004), (x: x + 0.006, y: y + 0.006), (x: x + 0.004, y: y + 0.006), (x: x + 0.004, y: y + 0.004)]],
        );
        Precinct {
            fid,
            code: format!("P{fid}"),
            name: None,
            geom_wgs84: MultiPolygon(vec![p]),
        }
    }

    #[test]
    fn holes_are_not_hit_and_merc_round_trips() {
        let layer = PrecinctLayer::new(&[square_with_hole(1, 2.3, 48.85)]);
        assert_eq!(layer.hit_wgs84(2.301, 48.851).map(|s| s.fid), Some(1));
        assert!(layer.hit_wgs84(2.305, 48.855).is_none(), "inside the hole");
        let ll = wgs84_from_merc(merc_from_wgs84(2.3, 48.85));
        assert!((ll[0] - 2.3).abs() < 1e-9 && (ll[1] - 48.85).abs() < 1e-9);
    }

    #[test]
    fn the_raster_fills_polygons_but_not_their_holes() {
        let mut layer = PrecinctLayer::new(&[square_with_hole(1, 2.3, 48.85)]);
        layer.set_fill(vec![Some(Color32::RED)]);
        let style = LayerStyle::from_visuals(&egui::Visuals::dark(), 1.0);
        // At zoom 16 the 0.01° square is ~470 pixels wide; the hole is its middle fifth.
        let size = layer.raster_size_px(layer.bbox_merc.unwrap(), 16).unwrap();
        let input = RasterInput {
            shapes: &layer.shapes,
            pools: &layer.pools,
            origin_merc: layer.origin_merc,
            fill: layer.fill.as_deref().map(Vec::as_slice),
        };
        let out = rasterize(&input, size, 16, &style, &|| false).unwrap();
        assert_eq!(out.polygons, 1);
        assert!(
            rasterize(&input, size, 16, &style, &|| true).is_none(),
            "cancelled"
        );
        let image = out.image;
        let [w, h] = image.size;
        assert_eq!(image.pixels[(h / 10) * w + w / 10], Color32::RED);
        assert_eq!(image.pixels[(h / 2) * w + w / 2], Color32::TRANSPARENT);
    }

    #[test]
    fn the_overview_raster_is_painted_off_the_ui_thread() {
        // 400 small squares: at zoom 9 each is a few points wide, so the fills want a raster.
        let precincts: Vec<Precinct> = (0..400)
            .map(|i| {
                square_with_hole(
                    i,
                    2.0 + (i % 20) as f64 * 0.01,
                    48.0 + (i / 20) as f64 * 0.01,
                )
            })
            .collect();
        let layer = PrecinctLayer::new(&precincts);
        let ctx = egui::Context::default();
        let view = Viewport {
            rect: Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0)),
            center_merc: merc_from_wgs84(2.1, 48.1),
            zoom: 9.0,
        };
        let style = LayerStyle::from_visuals(&egui::Visuals::dark(), 1.0);
        let frame = || {
            let mut stats = FrameStats::default();
            let output = ctx.run_ui(egui::RawInput::default(), |ui| {
                stats = layer.paint(ui.painter(), &view, &style);
            });
            output.drop_without_applying_deltas();
            stats
        };
        // The first frame does not wait for the raster: meshes are drawn meanwhile.
        let first = frame();
        assert!(!first.raster);
        assert_eq!(first.precincts_drawn + first.tiny_quads, 400);
        assert!(layer.raster_pending());
        let start = std::time::Instant::now();
        let mut stats = first;
        while !stats.raster {
            assert!(start.elapsed().as_secs() < 20, "the raster never came");
            std::thread::sleep(std::time::Duration::from_millis(5));
            stats = frame();
        }
        assert!(!layer.raster_pending());
        // Zoomed in past the rasters: nothing left running.
        let near = Viewport { zoom: 16.0, ..view };
        let output = ctx.run_ui(egui::RawInput::default(), |ui| {
            layer.paint(ui.painter(), &near, &style);
        });
        output.drop_without_applying_deltas();
        assert!(!layer.raster_pending());
    }

    #[test]
    fn tiny_precincts_become_quads_and_big_ones_get_outlines() {
        let layer = PrecinctLayer::new(&[
            square_with_hole(1, 2.3, 48.85),
            square_with_hole(2, 2.31, 48.85),
        ]);
        let ctx = egui::Context::default();
        let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let style = LayerStyle::from_visuals(&egui::Visuals::dark(), 1.0);
        let center = merc_from_wgs84(2.31, 48.855);
        let mut stats = Vec::new();
        let output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter().clone();
            let far = Viewport {
                rect,
                center_merc: center,
                zoom: 3.0,
            };
            stats.push(layer.paint(&painter, &far, &style));
            let near = Viewport {
                rect,
                center_merc: center,
                zoom: 14.0,
            };
            stats.push(layer.paint(&painter, &near, &style));
            // A viewport showing only the second square culls the first.
            let one = Viewport {
                rect,
                center_merc: merc_from_wgs84(2.315, 48.855),
                zoom: 17.0,
            };
            stats.push(layer.paint(&painter, &one, &style));
        });
        output.drop_without_applying_deltas();
        assert_eq!(stats[0].tiny_quads, 2);
        assert_eq!(stats[1].precincts_drawn, 2);
        assert!(stats[1].outline_vertices > 0);
        assert_eq!(stats[1].labels, 2);
        assert_eq!(stats[2].precincts_drawn, 1);
    }
}
