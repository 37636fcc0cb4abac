//! The doors a turf holds: addresses inside its outline (bounding-box prefilter, then point in
//! polygon), and the filter hook that decides which doors an auto-cut counts.

use geo::{BoundingRect, Intersects};
use geo_types::{Coord, MultiPolygon, Point};

/// A door (one row of the `addresses` table) as the turf code sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Door {
    /// `addresses.fid`.
    pub fid: i64,
    pub pos_wgs84: Coord<f64>,
    /// House number as written, without suffix.
    pub number: String,
    pub suffix: Option<String>,
    pub street: String,
    pub precinct_code: Option<String>,
}

/// Which doors count: an auto-cut keeps the doors for which the filter returns true (e.g.
/// addresses in priority classes 1–2, or not visited in the last N days once visits exist).
pub type DoorFilter<'a> = &'a dyn Fn(&Door) -> bool;

/// Indices of the doors inside (or on the edge of) `geom_wgs84`.
pub fn doors_inside(doors: &[Door], geom_wgs84: &MultiPolygon<f64>) -> Vec<usize> {
    let Some(r) = geom_wgs84.bounding_rect() else {
        return Vec::new();
    };
    let (lo, hi) = (r.min(), r.max());
    doors
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            let p = d.pos_wgs84;
            p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y
        })
        .filter(|(_, d)| geom_wgs84.intersects(&Point(d.pos_wgs84)))
        .map(|(i, _)| i)
        .collect()
}

/// The house number's leading integer (`12` of `12bis`), for ordering doors along a street.
pub fn number_value(number: &str) -> Option<u32> {
    let digits: String = number
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn inside_counts_the_edge_and_numbers_parse() {
        let door = |fid, x, y| Door {
            fid,
            pos_wgs84: Coord { x, y },
            number: "1".into(),
            suffix: None,
            street: "Rue A".into(),
            precinct_code: None,
        };
        let doors = vec![door(1, 0.5, 0.5), door(2, 1.0, 0.5), door(3, 1.5, 0.5)];
        let sq = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)],
        ]);
        assert_eq!(doors_inside(&doors, &sq), vec![0, 1]);
        assert_eq!(number_value("12bis"), Some(12));
        assert_eq!(number_value("bis"), None);
    }
}
