//! A local metric frame: WGS84 lon/lat ↔ metres east/north of an origin (equirectangular, exact
//! enough for areas of a few kilometres), and the measures the turfs report (area, perimeter,
//! Polsby-Popper compactness).

use geo::{Area, BoundingRect, Euclidean, Length, MapCoords};
use geo_types::{Coord, LineString, MultiPolygon};

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres east (`x`) and north (`y`) of `origin_wgs84`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalFrame {
    pub origin_wgs84: Coord<f64>,
    m_per_deg_x: f64,
    m_per_deg_y: f64,
}

impl LocalFrame {
    pub fn new(origin_wgs84: Coord<f64>) -> LocalFrame {
        let m_per_deg_y = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        LocalFrame {
            origin_wgs84,
            m_per_deg_x: m_per_deg_y * origin_wgs84.y.to_radians().cos(),
            m_per_deg_y,
        }
    }

    /// A frame centred on a multipolygon's bounding box (the origin when it is empty).
    pub fn around(mp: &MultiPolygon<f64>) -> LocalFrame {
        let c = mp
            .bounding_rect()
            .map(|r| r.center())
            .unwrap_or(Coord { x: 0.0, y: 0.0 });
        LocalFrame::new(c)
    }

    pub fn to_m(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: (c.x - self.origin_wgs84.x) * self.m_per_deg_x,
            y: (c.y - self.origin_wgs84.y) * self.m_per_deg_y,
        }
    }

    pub fn to_wgs84(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: c.x / self.m_per_deg_x + self.origin_wgs84.x,
            y: c.y / self.m_per_deg_y + self.origin_wgs84.y,
        }
    }

    pub fn mp_to_m(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| self.to_m(c))
    }

    pub fn mp_to_wgs84(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| self.to_wgs84(c))
    }

    pub fn line_to_m(&self, l: &LineString<f64>) -> LineString<f64> {
        l.map_coords(|c| self.to_m(c))
    }
}

/// Area of a WGS84 multipolygon in square metres (in a frame centred on it).
pub fn area_m2(mp_wgs84: &MultiPolygon<f64>) -> f64 {
    LocalFrame::around(mp_wgs84)
        .mp_to_m(mp_wgs84)
        .unsigned_area()
}

/// Perimeter (every ring) of a multipolygon in its own units.
pub fn perimeter(mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter()
        .map(|p| {
            Euclidean.length(p.exterior())
                + p.interiors()
                    .iter()
                    .map(|r| Euclidean.length(r))
                    .sum::<f64>()
        })
        .sum()
}

/// Polsby-Popper compactness 4πA/P² in 0..=1 (1 for a disc, ~0.785 for a square, 0 when empty).
pub fn polsby_popper(mp: &MultiPolygon<f64>) -> f64 {
    let p = perimeter(mp);
    if p <= 0.0 {
        return 0.0;
    }
    4.0 * std::f64::consts::PI * mp.unsigned_area() / (p * p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn round_trip_and_square_measures() {
        let f = LocalFrame::new(Coord { x: 2.35, y: 48.85 });
        let c = Coord { x: 2.36, y: 48.86 };
        let back = f.to_wgs84(f.to_m(c));
        assert!((back.x - c.x).abs() < 1e-12 && (back.y - c.y).abs() < 1e-12);
        // 0.01° of latitude is about 1,112 m.
        assert!((f.to_m(c).y - 1111.95).abs() < 0.1, "{:?}", f.to_m(c));
        let sq = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)],
        ]);
        assert!((polsby_popper(&sq) - std::f64::consts::PI / 4.0).abs() < 1e-9);
        assert_eq!(perimeter(&sq), 400.0);
    }
}
