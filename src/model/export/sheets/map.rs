//! The turf map of a walk sheet: the turf's (and its stops') bounding box fitted in a frame in a
//! local metric frame (north up), the streets around it with their names, the turf outline, the
//! route with a direction arrow every so often, the start and the numbered stops (numbers that
//! would overlap a previous one become dots), and a scale bar.

use geo_types::{Coord, LineString};

use crate::model::export::font::{Weight, text_width};
use crate::model::export::layout::{Rect, Shape, TextItem, format_length, nice_length_m};
use crate::model::export::sheets::WalkSheet;
use crate::model::export::sheets::layout::{INK, Mark, text};
use crate::model::export::sheets::texts::Labels;
use crate::model::turfs::frame::LocalFrame;

const ROUTE: [u8; 3] = [25, 85, 200];
const STREET_NAME: [u8; 3] = [120, 120, 120];
/// Distance along the route between two arrows, page points.
const ARROW_EVERY: f32 = 55.0;
const STOP_R: f32 = 5.2;

/// Page = origin + scale × local metres (y flipped).
struct Fit {
    frame: LocalFrame,
    scale: f64,
    min: [f64; 2],
    origin: [f64; 2],
}

impl Fit {
    fn page(&self, c: Coord<f64>) -> [f32; 2] {
        let m = self.frame.to_m(c);
        [
            (self.origin[0] + (m.x - self.min[0]) * self.scale) as f32,
            (self.origin[1] - (m.y - self.min[1]) * self.scale) as f32,
        ]
    }
}

/// Parses `#rrggbb`.
pub fn hex_rgb(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let b = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([b(0)?, b(2)?, b(4)?])
}

fn tint(c: [u8; 3], keep: f32) -> [u8; 3] {
    c.map(|v| (v as f32 * keep + 255.0 * (1.0 - keep)).round() as u8)
}

/// The map marks inside `r`.
pub fn layout_turf_map(sheet: &WalkSheet, r: Rect, l: &Labels) -> Vec<Mark> {
    let mut marks = Vec::new();
    marks.push(Mark::Shape(Shape {
        rings: vec![r.ring()],
        fill_rgb: Some([250, 250, 248]),
        stroke: None,
    }));
    let mut pts: Vec<Coord<f64>> = sheet
        .turf_wgs84
        .0
        .iter()
        .flat_map(|p| p.exterior().0.iter().copied())
        .collect();
    pts.extend(sheet.route.stops.iter().map(|s| s.pos_wgs84.0));
    if pts.is_empty() {
        marks.push(frame_mark(r));
        return marks;
    }
    let centre = {
        let (mut lo, mut hi) = (pts[0], pts[0]);
        for p in &pts {
            lo = Coord {
                x: lo.x.min(p.x),
                y: lo.y.min(p.y),
            };
            hi = Coord {
                x: hi.x.max(p.x),
                y: hi.y.max(p.y),
            };
        }
        Coord {
            x: (lo.x + hi.x) / 2.0,
            y: (lo.y + hi.y) / 2.0,
        }
    };
    let frame = LocalFrame::new(centre);
    let ms: Vec<Coord<f64>> = pts.iter().map(|c| frame.to_m(*c)).collect();
    let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
    for m in &ms {
        min = [min[0].min(m.x), min[1].min(m.y)];
        max = [max[0].max(m.x), max[1].max(m.y)];
    }
    let pad = 14.0;
    let (fw, fh) = (r.w as f64 - 2.0 * pad, r.h as f64 - 2.0 * pad);
    let (dx, dy) = ((max[0] - min[0]).max(20.0), (max[1] - min[1]).max(20.0));
    let scale = (fw / dx).min(fh / dy);
    let fit = Fit {
        frame,
        scale,
        min,
        origin: [
            r.x as f64 + pad + (fw - (max[0] - min[0]) * scale) / 2.0,
            r.y as f64 + r.h as f64 - pad - (fh - (max[1] - min[1]) * scale) / 2.0,
        ],
    };

    marks.push(Mark::Clip(r));
    // Turf fill under the streets.
    let colour = hex_rgb(&sheet.turf_colour).unwrap_or([31, 120, 180]);
    let turf_rings: Vec<Vec<[f32; 2]>> = sheet
        .turf_wgs84
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.0.iter().map(|c| fit.page(*c)).collect::<Vec<_>>())
        .filter(|ring| ring.len() >= 3)
        .collect();
    marks.push(Mark::Shape(Shape {
        rings: turf_rings.clone(),
        fill_rgb: Some(tint(colour, 0.14)),
        stroke: None,
    }));

    // Streets: wide classes first, names after.
    let inside = |p: &[f32; 2]| {
        p[0] >= r.x - 40.0
            && p[0] <= r.x + r.w + 40.0
            && p[1] >= r.y - 40.0
            && p[1] <= r.y + r.h + 40.0
    };
    let mut named: Vec<(f32, String, [f32; 2], [f32; 2])> = Vec::new();
    let mut lines: Vec<(u8, Vec<[f32; 2]>, bool)> = Vec::new();
    for s in &sheet.streets {
        let p: Vec<[f32; 2]> = s.line_wgs84.0.iter().map(|c| fit.page(*c)).collect();
        if !p.iter().any(inside) {
            continue;
        }
        let rank = street_rank(&s.highway);
        if let Some(name) = s.name.as_deref().filter(|n| !n.is_empty())
            && rank >= 1
        {
            // Its longest visible straight run carries the name.
            for (a, b) in straight_runs(&p) {
                let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
                let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
                if mid[0] > r.x + 10.0
                    && mid[0] < r.x + r.w - 10.0
                    && mid[1] > r.y + 10.0
                    && mid[1] < r.y + r.h - 10.0
                {
                    named.push((len, name.to_owned(), a, b));
                }
            }
        }
        lines.push((rank, p, s.walkable));
    }
    lines.sort_by_key(|(rank, _, _)| std::cmp::Reverse(*rank));
    for (rank, p, walkable) in &lines {
        let (w, rgb, dash) = match rank {
            3 => (5.0, [214, 214, 214], None),
            2 => (3.6, [222, 222, 222], None),
            1 => (2.6, [226, 226, 226], None),
            _ => (0.7, [175, 175, 175], Some([2.0, 1.5])),
        };
        let rgb = if *walkable { rgb } else { [236, 200, 160] };
        marks.push(Mark::Line {
            points: p.clone(),
            rgb,
            width: w,
            dash,
        });
    }
    // Turf outline over the streets.
    marks.push(Mark::Shape(Shape {
        rings: turf_rings,
        fill_rgb: None,
        stroke: Some((colour, 1.3)),
    }));
    // One label per street name, on its longest segment long enough to hold it.
    named.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut done: Vec<String> = Vec::new();
    let mut boxes: Vec<[f32; 4]> = Vec::new();
    for (len, name, a, b) in named {
        if done.contains(&name) {
            continue;
        }
        let size = 5.6;
        let tw = text_width(&name, size, Weight::Regular);
        if tw + 6.0 > len {
            continue;
        }
        let (mut a, mut b) = (a, b);
        if b[0] < a[0] {
            std::mem::swap(&mut a, &mut b);
        }
        let angle = (b[1] - a[1]).atan2(b[0] - a[0]).to_degrees();
        let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
        let half = tw / 2.0 + 2.0;
        let bx = [mid[0] - half, mid[1] - half, mid[0] + half, mid[1] + half];
        if boxes
            .iter()
            .any(|o| bx[0] < o[2] && o[0] < bx[2] && bx[1] < o[3] && o[1] < bx[3])
        {
            continue;
        }
        boxes.push(bx);
        let (c, s) = (angle.to_radians().cos(), angle.to_radians().sin());
        // Start point so the text is centred on the segment's middle, baseline slightly below.
        let x = mid[0] - c * tw / 2.0 - s * size * 0.35;
        let y = mid[1] - s * tw / 2.0 + c * (size * 0.35);
        marks.push(Mark::RotatedText(
            TextItem {
                text: name.clone(),
                x,
                y,
                size,
                weight: Weight::Regular,
                rgb: STREET_NAME,
            },
            angle,
        ));
        done.push(name);
    }

    // The route and its direction.
    let path: Vec<[f32; 2]> = sheet
        .route
        .path_wgs84
        .0
        .iter()
        .map(|c| fit.page(*c))
        .collect();
    if path.len() >= 2 {
        marks.push(Mark::Line {
            points: path.clone(),
            rgb: ROUTE,
            width: 1.3,
            dash: None,
        });
        marks.extend(arrows(&path));
    }
    // Start marker (or, when the start is off the map, a note in the corner).
    let start = fit.page(sheet.route.start_wgs84.0);
    let on_map =
        start[0] >= r.x && start[0] <= r.x + r.w && start[1] >= r.y && start[1] <= r.y + r.h;
    if !on_map {
        let label = l.start_off_map;
        marks.push(Mark::Shape(Shape {
            rings: vec![
                Rect {
                    x: r.x + 4.0,
                    y: r.y + 4.0,
                    w: text_width(label, 6.5, Weight::Bold) + 6.0,
                    h: 11.0,
                }
                .ring(),
            ],
            fill_rgb: Some([255, 255, 255]),
            stroke: None,
        }));
        marks.push(text(label, r.x + 7.0, r.y + 12.5, 6.5, Weight::Bold, INK));
    }
    marks.push(Mark::Shape(Shape {
        rings: vec![
            Rect {
                x: start[0] - 4.0,
                y: start[1] - 4.0,
                w: 8.0,
                h: 8.0,
            }
            .ring(),
        ],
        fill_rgb: Some(INK),
        stroke: None,
    }));
    marks.push(text(
        l.start,
        start[0] + 6.0,
        start[1] - 5.0,
        7.0,
        Weight::Bold,
        INK,
    ));
    // Stops: numbered circles, dots where a number would overlap an earlier one.
    let mut placed: Vec<[f32; 2]> = Vec::new();
    for s in &sheet.route.stops {
        let c = fit.page(s.pos_wgs84.0);
        let free = placed
            .iter()
            .all(|p| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2) >= (2.0 * STOP_R).powi(2));
        if free {
            placed.push(c);
            marks.push(Mark::Circle {
                center: c,
                radius: STOP_R,
                fill_rgb: Some([255, 255, 255]),
                stroke: Some((ROUTE, 0.8)),
            });
            let label = s.order.to_string();
            let size = if label.len() >= 3 { 4.2 } else { 5.2 };
            let w = text_width(&label, size, Weight::Bold);
            marks.push(text(
                &label,
                c[0] - w / 2.0,
                c[1] + size * 0.36,
                size,
                Weight::Bold,
                INK,
            ));
        } else {
            marks.push(Mark::Circle {
                center: c,
                radius: 1.6,
                fill_rgb: Some(ROUTE),
                stroke: None,
            });
        }
    }
    marks.push(Mark::EndClip);
    marks.extend(scale_bar(&fit, r));
    marks.push(frame_mark(r));
    marks
}

/// The nearly straight runs of a polyline (direction within 15° of the run's first segment),
/// as (start, end) points.
fn straight_runs(p: &[[f32; 2]]) -> Vec<([f32; 2], [f32; 2])> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i + 1 < p.len() {
        let dir = (p[i + 1][1] - p[i][1]).atan2(p[i + 1][0] - p[i][0]);
        let mut j = i + 1;
        while j + 1 < p.len() {
            let d = (p[j + 1][1] - p[j][1]).atan2(p[j + 1][0] - p[j][0]);
            let mut diff = (d - dir).abs();
            if diff > std::f32::consts::PI {
                diff = 2.0 * std::f32::consts::PI - diff;
            }
            if diff > 15f32.to_radians() {
                break;
            }
            j += 1;
        }
        runs.push((p[i], p[j]));
        i = j;
    }
    runs
}

fn frame_mark(r: Rect) -> Mark {
    Mark::Shape(Shape {
        rings: vec![r.ring()],
        fill_rgb: None,
        stroke: Some(([150, 150, 150], 0.7)),
    })
}

/// Width class of an OSM highway: 3 main roads, 2 tertiary, 1 streets, 0 paths.
fn street_rank(highway: &str) -> u8 {
    match highway {
        "motorway" | "trunk" | "primary" | "secondary" | "motorway_link" | "trunk_link"
        | "primary_link" | "secondary_link" => 3,
        "tertiary" | "tertiary_link" => 2,
        "residential" | "unclassified" | "living_street" | "pedestrian" | "service" | "road" => 1,
        _ => 0,
    }
}

/// Filled triangles pointing along `path` every [`ARROW_EVERY`] points.
pub fn arrows(path: &[[f32; 2]]) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut next_at = ARROW_EVERY / 2.0;
    let mut walked = 0.0;
    for w in path.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        if len < 1e-3 {
            continue;
        }
        let (ux, uy) = ((b[0] - a[0]) / len, (b[1] - a[1]) / len);
        while next_at <= walked + len {
            let t = next_at - walked;
            let tip = [a[0] + ux * (t + 3.0), a[1] + uy * (t + 3.0)];
            let base = [a[0] + ux * (t - 3.0), a[1] + uy * (t - 3.0)];
            let (nx, ny) = (-uy * 2.6, ux * 2.6);
            out.push(Mark::Shape(Shape {
                rings: vec![vec![
                    tip,
                    [base[0] + nx, base[1] + ny],
                    [base[0] - nx, base[1] - ny],
                    tip,
                ]],
                fill_rgb: Some(ROUTE),
                stroke: None,
            }));
            next_at += ARROW_EVERY;
        }
        walked += len;
    }
    out
}

fn scale_bar(fit: &Fit, r: Rect) -> Vec<Mark> {
    let m_per_pt = 1.0 / fit.scale;
    let length_m = nice_length_m(70.0 * m_per_pt);
    if length_m <= 0.0 {
        return Vec::new();
    }
    let w = (length_m / m_per_pt) as f32;
    let (x, y) = (r.x + 8.0, r.y + r.h - 10.0);
    let bar = Rect { x, y, w, h: 3.0 };
    let label = format_length(length_m);
    vec![
        Mark::Shape(Shape {
            rings: vec![
                Rect {
                    x: x - 3.0,
                    y: y - 10.0,
                    w: w + 6.0 + text_width(&label, 6.5, Weight::Regular) + 4.0,
                    h: 16.0,
                }
                .ring(),
            ],
            fill_rgb: Some([255, 255, 255]),
            stroke: None,
        }),
        Mark::Shape(Shape {
            rings: vec![bar.ring()],
            fill_rgb: Some(INK),
            stroke: None,
        }),
        text(&label, x + w + 4.0, y + 3.0, 6.5, Weight::Regular, INK),
    ]
}

/// The streets worth drawing around a turf: those whose bounding box meets the turf's grown by
/// `margin_deg`.
pub fn streets_near(
    streets: &[crate::model::storage::streets::Street],
    bbox: [f64; 4],
    margin_deg: f64,
) -> Vec<&crate::model::storage::streets::Street> {
    let grown = [
        bbox[0] - margin_deg,
        bbox[1] - margin_deg,
        bbox[2] + margin_deg,
        bbox[3] + margin_deg,
    ];
    streets
        .iter()
        .filter(|s| line_meets(&s.line_wgs84, grown))
        .collect()
}

fn line_meets(l: &LineString<f64>, b: [f64; 4]) -> bool {
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for c in &l.0 {
        lo = [lo[0].min(c.x), lo[1].min(c.y)];
        hi = [hi[0].max(c.x), hi[1].max(c.y)];
    }
    lo[0] <= b[2] && hi[0] >= b[0] && lo[1] <= b[3] && hi[1] >= b[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_follow_the_path_and_colours_parse() {
        let path = [[0.0, 0.0], [200.0, 0.0]];
        let a = arrows(&path);
        assert_eq!(a.len(), 4, "at 27.5, 82.5, 137.5, 192.5");
        if let Mark::Shape(s) = &a[0] {
            assert!(s.rings[0][0][0] > s.rings[0][1][0], "points forward");
        }
        assert_eq!(hex_rgb("#1f78b4"), Some([31, 120, 180]));
        assert_eq!(hex_rgb("red"), None);
        assert_eq!(street_rank("primary"), 3);
        assert_eq!(street_rank("footway"), 0);
        let runs = straight_runs(&[[0.0, 0.0], [10.0, 0.5], [20.0, 0.0], [20.0, 30.0]]);
        assert_eq!(
            runs,
            vec![([0.0, 0.0], [20.0, 0.0]), ([20.0, 0.0], [20.0, 30.0])]
        );
    }
}
