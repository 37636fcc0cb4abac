//! The per-frame cost of the map layers without a GPU (`porte bench map`): build the layer cache
//! once (timed apart as the first load), then run a scripted pan/zoom sequence through the very
//! code the map plugin runs ([`PrecinctLayer::paint`], [`AddressLayer::paint`]) inside a real egui
//! frame, followed by egui's tessellation of the frame's shapes (what the GPU would receive).

use std::time::Instant;

use egui::{Pos2, Rect, Vec2};
use serde::Serialize;

use crate::model::precinct::Precinct;
use crate::ui::map::layer::{
    ADDRESS_MIN_ZOOM, AddressLayer, FrameStats, LayerStyle, PrecinctLayer, Viewport,
    merc_from_wgs84,
};
use crate::ui::map::zoom_to_fit;

/// One phase of the scripted camera path.
#[derive(Clone, Debug, Serialize)]
pub struct PhaseReport {
    pub name: String,
    pub frames: usize,
    pub zoom_from: f64,
    pub zoom_to: f64,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub median_paint_ms: f64,
    pub median_tessellate_ms: f64,
    /// Median number of precincts drawn as polygons / as quads, and of fill vertices.
    pub median_precincts_drawn: usize,
    pub median_tiny_quads: usize,
    pub median_fill_vertices: usize,
    pub median_outline_vertices: usize,
    pub median_address_dots: usize,
    /// Every frame of the phase: [zoom, total ms, paint ms, tessellation ms, fill vertices,
    /// outline vertices].
    pub frame_details: Vec<[f64; 6]>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapBenchReport {
    pub source: String,
    pub precincts: usize,
    pub addresses: usize,
    pub viewport: [f32; 2],
    /// Layer cache build (projection, levels of detail, triangulation, R-tree), ms.
    pub first_load_ms: f64,
    pub address_layer_ms: f64,
    pub cached_vertices: usize,
    /// The first frame (egui loads its fonts then), ms.
    pub first_frame_ms: f64,
    pub frames: usize,
    /// Per frame after the first: layer paint + egui frame + tessellation, ms.
    pub median_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// The layers' own paint (cull + transform + outline stroking + labels), ms.
    pub median_paint_ms: f64,
    /// egui's tessellation of the frame's shapes, ms.
    pub median_tessellate_ms: f64,
    pub phases: Vec<PhaseReport>,
}

fn percentile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i]
}

fn median_usize(values: impl Iterator<Item = usize>) -> usize {
    let mut v: Vec<usize> = values.collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// The camera of frame `i` of `n` in a phase: zoom interpolated, centre circling around `target`.
struct Phase {
    name: &'static str,
    zoom_from: f64,
    zoom_to: f64,
    /// Circle radius of the pan, in screen points.
    pan_points: f64,
}

/// Runs the benchmark: `frames` frames split over three phases (overview with pans, zooming in,
/// street level with pans), on a `size` viewport.
pub fn run_map_bench(
    source: &str,
    precincts: &[Precinct],
    addresses_wgs84: &[[f64; 2]],
    frames: usize,
    size: Vec2,
) -> MapBenchReport {
    let start = Instant::now();
    let mut layer = PrecinctLayer::new(precincts);
    let first_load_ms = start.elapsed().as_secs_f64() * 1e3;
    // A 5-class colouring, as a choropleth would set.
    let palette = [
        [255, 255, 204],
        [161, 218, 180],
        [65, 182, 196],
        [44, 127, 184],
        [37, 52, 148],
    ];
    let colors: Vec<Option<egui::Color32>> = (0..layer.shapes.len())
        .map(|i| {
            (i % 11 != 0).then(|| {
                let [r, g, b] = palette[i % palette.len()];
                egui::Color32::from_rgba_unmultiplied(r, g, b, crate::ui::map::FILL_ALPHA)
            })
        })
        .collect();
    layer.set_fill(colors);
    let start = Instant::now();
    let addresses = AddressLayer::new(addresses_wgs84);
    let address_layer_ms = start.elapsed().as_secs_f64() * 1e3;

    let rect = Rect::from_min_size(Pos2::ZERO, size);
    let Some(bbox) = layer.bbox_wgs84 else {
        return MapBenchReport {
            source: source.to_owned(),
            precincts: precincts.len(),
            addresses: addresses.len(),
            viewport: [size.x, size.y],
            first_load_ms,
            address_layer_ms,
            cached_vertices: 0,
            first_frame_ms: 0.0,
            frames: 0,
            median_ms: f64::NAN,
            p95_ms: f64::NAN,
            max_ms: f64::NAN,
            median_paint_ms: f64::NAN,
            median_tessellate_ms: f64::NAN,
            phases: Vec::new(),
        };
    };
    let fit = zoom_to_fit(bbox, size);
    // Street level: where doors show, at least 4 levels below the overview.
    let street = (fit + 4.0).max(ADDRESS_MIN_ZOOM + 0.5);
    let phases = [
        Phase {
            name: "overview",
            zoom_from: fit,
            zoom_to: fit + 0.5,
            pan_points: 120.0,
        },
        Phase {
            name: "zoom in",
            zoom_from: fit + 0.5,
            zoom_to: street,
            pan_points: 30.0,
        },
        Phase {
            name: "street level",
            zoom_from: street,
            zoom_to: street + 0.5,
            pan_points: 300.0,
        },
    ];
    // Zoom towards the centre of the middle precinct (a dense part of a real city).
    let target = layer
        .shapes
        .get(layer.shapes.len() / 2)
        .and_then(|s| s.bbox_wgs84)
        .unwrap_or(bbox);
    let target_merc = merc_from_wgs84((target[0] + target[2]) / 2.0, (target[1] + target[3]) / 2.0);
    let bbox_center = merc_from_wgs84((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);

    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(rect),
        ..Default::default()
    };
    let style = LayerStyle::from_visuals(&egui::Visuals::dark(), 1.0);
    let frame = |view: &Viewport| -> (f64, f64, f64, FrameStats) {
        let t0 = Instant::now();
        let mut paint_s = 0.0;
        let mut stats = FrameStats::default();
        let mut output = ctx.run_ui(input(), |ui| {
            let t = Instant::now();
            let painter = ui.painter().with_clip_rect(rect);
            stats = layer.paint(&painter, view, &style);
            stats.address_dots = addresses.paint(&painter, view, &style);
            paint_s = t.elapsed().as_secs_f64();
        });
        let t1 = Instant::now();
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = ctx.tessellate(shapes, output.pixels_per_point);
        std::hint::black_box(&primitives);
        // No GPU here: the font atlas updates are dropped.
        output.drop_without_applying_deltas();
        let tess_s = t1.elapsed().as_secs_f64();
        (
            t0.elapsed().as_secs_f64() * 1e3,
            paint_s * 1e3,
            tess_s * 1e3,
            stats,
        )
    };

    let first_view = Viewport {
        rect,
        center_merc: bbox_center,
        zoom: fit,
    };
    let first_frame_ms = frame(&first_view).0;

    let per_phase = (frames / phases.len()).max(1);
    let (mut all, mut paint, mut tess) = (Vec::new(), Vec::new(), Vec::new());
    let mut phase_reports = Vec::new();
    for (p, phase) in phases.iter().enumerate() {
        let mut times = Vec::with_capacity(per_phase);
        let (mut phase_paint, mut phase_tess) = (Vec::new(), Vec::new());
        let mut frame_details = Vec::with_capacity(per_phase);
        let mut stats = Vec::with_capacity(per_phase);
        for i in 0..per_phase {
            let f = if per_phase > 1 {
                i as f64 / (per_phase - 1) as f64
            } else {
                0.0
            };
            let zoom = phase.zoom_from + (phase.zoom_to - phase.zoom_from) * f;
            // The overview circles the layer's centre; later phases the target.
            let base = if p == 0 { bbox_center } else { target_merc };
            let angle = f * std::f64::consts::TAU;
            let s = 256.0 * 2f64.powf(zoom);
            let center_merc = [
                base[0] + phase.pan_points * angle.cos() / s,
                base[1] + phase.pan_points * angle.sin() / s,
            ];
            let view = Viewport {
                rect,
                center_merc,
                zoom,
            };
            let (total, paint_ms, tess_ms, st) = frame(&view);
            times.push(total);
            frame_details.push([
                zoom,
                total,
                paint_ms,
                tess_ms,
                st.fill_vertices as f64,
                st.outline_vertices as f64,
            ]);
            all.push(total);
            paint.push(paint_ms);
            tess.push(tess_ms);
            phase_paint.push(paint_ms);
            phase_tess.push(tess_ms);
            stats.push(st);
        }
        phase_reports.push(PhaseReport {
            name: phase.name.to_owned(),
            frames: times.len(),
            zoom_from: phase.zoom_from,
            zoom_to: phase.zoom_to,
            median_ms: percentile(&times, 0.5),
            p95_ms: percentile(&times, 0.95),
            median_paint_ms: percentile(&phase_paint, 0.5),
            median_tessellate_ms: percentile(&phase_tess, 0.5),
            median_precincts_drawn: median_usize(stats.iter().map(|s| s.precincts_drawn)),
            median_tiny_quads: median_usize(stats.iter().map(|s| s.tiny_quads)),
            median_fill_vertices: median_usize(stats.iter().map(|s| s.fill_vertices)),
            median_outline_vertices: median_usize(stats.iter().map(|s| s.outline_vertices)),
            median_address_dots: median_usize(stats.iter().map(|s| s.address_dots)),
            frame_details,
        });
    }
    MapBenchReport {
        source: source.to_owned(),
        precincts: precincts.len(),
        addresses: addresses.len(),
        viewport: [size.x, size.y],
        first_load_ms,
        address_layer_ms,
        cached_vertices: layer.cached_vertices(),
        first_frame_ms,
        frames: all.len(),
        median_ms: percentile(&all, 0.5),
        p95_ms: percentile(&all, 0.95),
        max_ms: percentile(&all, 1.0),
        median_paint_ms: percentile(&paint, 0.5),
        median_tessellate_ms: percentile(&tess, 0.5),
        phases: phase_reports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::map::synthetic::{FRANCE_BBOX_WGS84, synthetic_precincts};

    #[test]
    fn a_small_synthetic_bench_runs_every_phase() {
        let precincts = synthetic_precincts(200, FRANCE_BBOX_WGS84);
        let report = run_map_bench("synthetic", &precincts, &[], 6, Vec2::new(640.0, 480.0));
        assert_eq!(report.precincts, 200);
        assert_eq!(report.phases.len(), 3);
        assert_eq!(report.frames, 6);
        assert!(report.phases[0].median_precincts_drawn + report.phases[0].median_tiny_quads > 100);
    }
}
