//! The computed walking route on the map: its path as a line with chevrons showing the walking
//! direction, the start marked, and numbered stop circles (only dots when zoomed out, where the
//! numbers would overlap). Painted over the turfs.

use egui::{Align2, Color32, FontId, Painter, Pos2, Shape, Stroke, Vec2};

use crate::model::routing::Route;
use crate::ui::map::layer::{Viewport, merc_from_wgs84};

/// Distance between direction chevrons along the line, screen points.
pub const CHEVRON_SPACING_POINTS: f32 = 70.0;
/// Half-length of a chevron's arms, points.
const CHEVRON_SIZE_POINTS: f32 = 5.0;
/// Below this mean screen distance between consecutive stops, stops are dots without numbers.
pub const NUMBERS_MIN_SPACING_POINTS: f32 = 18.0;
const LINE_POINTS: f32 = 3.0;
const DOT_RADIUS_POINTS: f32 = 3.0;
const NUMBER_RADIUS_POINTS: f32 = 8.0;
const START_RADIUS_POINTS: f32 = 7.0;
const ROUTE_COLOUR: Color32 = Color32::from_rgb(30, 90, 200);
const START_COLOUR: Color32 = Color32::from_rgb(20, 150, 60);

/// A route, projected once to Web Mercator for painting.
#[derive(Clone, Debug, Default)]
pub struct RouteLayer {
    turf_id: Option<i64>,
    path_merc: Vec<[f64; 2]>,
    /// Each stop's number and position.
    stops_merc: Vec<(usize, [f64; 2])>,
    start_merc: Option<[f64; 2]>,
    /// The next click on the map is the route's start (Route section's "Pick start on map").
    pub picking_start: bool,
}

/// What the last paint drew (tests and the benchmark read it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoutePaint {
    pub chevrons: usize,
    pub stops: usize,
    /// Whether the stops were numbered (zoomed in enough).
    pub numbered: bool,
}

impl RouteLayer {
    pub fn new(route: &Route) -> RouteLayer {
        let merc = |x: f64, y: f64| merc_from_wgs84(x, y);
        RouteLayer {
            turf_id: Some(route.turf_id),
            path_merc: route.path_wgs84.0.iter().map(|c| merc(c.x, c.y)).collect(),
            stops_merc: route
                .stops
                .iter()
                .map(|s| (s.order, merc(s.pos_wgs84.x(), s.pos_wgs84.y())))
                .collect(),
            start_merc: Some(merc(route.start_wgs84.x(), route.start_wgs84.y())),
            picking_start: false,
        }
    }

    /// The turf whose route is shown (`None`: no route).
    pub fn turf_id(&self) -> Option<i64> {
        self.turf_id
    }

    pub fn is_empty(&self) -> bool {
        self.turf_id.is_none()
    }

    /// How many stops the layer shows.
    pub fn stops(&self) -> usize {
        self.stops_merc.len()
    }

    /// Points of the path.
    pub fn path_len(&self) -> usize {
        self.path_merc.len()
    }

    /// Paints the route: line, chevrons, stops, start.
    pub fn paint(&self, painter: &Painter, view: &Viewport) -> RoutePaint {
        if self.is_empty() {
            return RoutePaint::default();
        }
        let line: Vec<Pos2> = self
            .path_merc
            .iter()
            .map(|&m| view.screen_from_merc(m))
            .collect();
        let mut shapes = Vec::new();
        if line.len() >= 2 {
            shapes.push(Shape::line(
                line.clone(),
                Stroke::new(LINE_POINTS + 2.0, Color32::WHITE),
            ));
            shapes.push(Shape::line(
                line.clone(),
                Stroke::new(LINE_POINTS, ROUTE_COLOUR),
            ));
        }
        let marks = chevrons(&line, CHEVRON_SPACING_POINTS);
        for &(p, dir) in &marks {
            let back = -dir * CHEVRON_SIZE_POINTS;
            let side = Vec2::new(-dir.y, dir.x) * CHEVRON_SIZE_POINTS;
            shapes.push(Shape::line(
                vec![p + back + side, p, p + back - side],
                Stroke::new(2.0, Color32::WHITE),
            ));
        }
        let stops: Vec<(usize, Pos2)> = self
            .stops_merc
            .iter()
            .map(|&(n, m)| (n, view.screen_from_merc(m)))
            .collect();
        let numbered = numbers_fit(&stops);
        let visible = view.rect.expand(NUMBER_RADIUS_POINTS);
        let mut drawn = 0;
        for &(_, p) in &stops {
            if !visible.contains(p) {
                continue;
            }
            drawn += 1;
            if numbered {
                shapes.push(Shape::circle_filled(p, NUMBER_RADIUS_POINTS, ROUTE_COLOUR));
                shapes.push(Shape::circle_stroke(
                    p,
                    NUMBER_RADIUS_POINTS,
                    Stroke::new(1.0, Color32::WHITE),
                ));
            } else {
                shapes.push(Shape::circle_filled(p, DOT_RADIUS_POINTS, ROUTE_COLOUR));
            }
        }
        if let Some(s) = self.start_merc {
            let p = view.screen_from_merc(s);
            shapes.push(Shape::circle_filled(p, START_RADIUS_POINTS, START_COLOUR));
            shapes.push(Shape::circle_stroke(
                p,
                START_RADIUS_POINTS,
                Stroke::new(2.0, Color32::WHITE),
            ));
        }
        painter.extend(shapes);
        if numbered {
            let font = FontId::proportional(10.0);
            for &(n, p) in &stops {
                if visible.contains(p) {
                    painter.text(
                        p,
                        Align2::CENTER_CENTER,
                        n.to_string(),
                        font.clone(),
                        Color32::WHITE,
                    );
                }
            }
        }
        RoutePaint {
            chevrons: marks.len(),
            stops: drawn,
            numbered,
        }
    }
}

/// Whether numbered circles fit: consecutive stops are, on average, far enough apart on screen.
pub fn numbers_fit(stops: &[(usize, Pos2)]) -> bool {
    if stops.len() < 2 {
        return true;
    }
    let total: f32 = stops.windows(2).map(|w| w[0].1.distance(w[1].1)).sum();
    total / (stops.len() - 1) as f32 >= NUMBERS_MIN_SPACING_POINTS
}

/// Chevron positions and unit walking directions every `spacing` points along `line`, the
/// first half a spacing from its start.
pub fn chevrons(line: &[Pos2], spacing: f32) -> Vec<(Pos2, Vec2)> {
    let mut out = Vec::new();
    if spacing <= 0.0 {
        return out;
    }
    let mut next = spacing / 2.0;
    let mut walked = 0.0;
    for w in line.windows(2) {
        let d = w[1] - w[0];
        let len = d.length();
        if len <= f32::EPSILON {
            continue;
        }
        let dir = d / len;
        while next <= walked + len {
            out.push((w[0] + dir * (next - walked), dir));
            next += spacing;
        }
        walked += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chevrons_follow_the_line_at_even_spacing() {
        let line = [
            Pos2::new(0.0, 0.0),
            Pos2::new(100.0, 0.0),
            Pos2::new(100.0, 100.0),
        ];
        let marks = chevrons(&line, 50.0);
        assert_eq!(marks.len(), 4);
        assert_eq!(marks[0].0, Pos2::new(25.0, 0.0));
        assert_eq!(marks[0].1, Vec2::new(1.0, 0.0));
        assert_eq!(marks[2].0, Pos2::new(100.0, 25.0));
        assert_eq!(marks[2].1, Vec2::new(0.0, 1.0));
        assert!(chevrons(&line[..1], 50.0).is_empty());
        assert!(chevrons(&line, 0.0).is_empty());
    }

    #[test]
    fn numbers_only_when_the_stops_are_apart() {
        let near = [(1, Pos2::new(0.0, 0.0)), (2, Pos2::new(5.0, 0.0))];
        let far = [(1, Pos2::new(0.0, 0.0)), (2, Pos2::new(40.0, 0.0))];
        assert!(!numbers_fit(&near));
        assert!(numbers_fit(&far));
    }
}
