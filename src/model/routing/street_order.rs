//! Door order without a street graph: doors grouped by street name, each street walked up its
//! odd numbers and back down its even ones (doors without a number last), the streets chained by
//! the nearest remaining street end (a street may be walked in reverse); legs are straight lines
//! times the walking model's detour factor.

use std::collections::BTreeMap;

use geo_types::Coord;

use crate::model::turfs::doors::number_value;

/// The note a route ordered this way carries (printed on the sheet).
pub const NO_GRAPH_NOTE: &str = "no street graph: ordered by street and house numbers";

/// A door as the street order sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderDoor {
    pub street: String,
    pub number: String,
    pub suffix: Option<String>,
    pub pos_m: Coord<f64>,
}

/// Street-name key: case and surrounding spaces do not split a street.
fn street_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Sort key within a street: odd numbers up, even numbers down, then doors without a number.
fn side_key(d: &OrderDoor) -> (u8, i64, String) {
    let suffix = d.suffix.clone().unwrap_or_default();
    match number_value(&d.number) {
        Some(n) if n % 2 == 1 => (0, n as i64, suffix),
        Some(n) => (1, -(n as i64), suffix),
        None => (2, 0, format!("{}{suffix}", d.number)),
    }
}

/// The order (indices into `doors`) from `start_m`: by street, odd then even numbers, streets
/// chained by proximity.
pub fn street_order(doors: &[OrderDoor], start_m: Coord<f64>) -> Vec<usize> {
    let mut streets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in doors.iter().enumerate() {
        streets.entry(street_key(&d.street)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = streets
        .into_values()
        .map(|mut g| {
            g.sort_by(|a, b| {
                side_key(&doors[*a])
                    .cmp(&side_key(&doors[*b]))
                    .then(a.cmp(b))
            });
            g
        })
        .collect();
    let dist = |a: Coord<f64>, b: Coord<f64>| (a.x - b.x).hypot(a.y - b.y);
    let mut out = Vec::with_capacity(doors.len());
    let mut here = start_m;
    while !groups.is_empty() {
        let (k, reversed, _) = groups
            .iter()
            .enumerate()
            .flat_map(|(k, g)| {
                let first = doors[g[0]].pos_m;
                let last = doors[*g.last().expect("non-empty group")].pos_m;
                [(k, false, dist(here, first)), (k, true, dist(here, last))]
            })
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .expect("groups left");
        let mut g = groups.swap_remove(k);
        if reversed {
            g.reverse();
        }
        here = doors[*g.last().expect("non-empty group")].pos_m;
        out.extend(g);
    }
    out
}

/// Straight-line legs from `start_m` through `order`, metres (not yet times a detour factor).
pub fn straight_legs_m(doors: &[OrderDoor], order: &[usize], start_m: Coord<f64>) -> Vec<f64> {
    let mut here = start_m;
    order
        .iter()
        .map(|&i| {
            let p = doors[i].pos_m;
            let d = (p.x - here.x).hypot(p.y - here.y);
            here = p;
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn door(street: &str, number: &str, x: f64, y: f64) -> OrderDoor {
        OrderDoor {
            street: street.into(),
            number: number.into(),
            suffix: None,
            pos_m: Coord { x, y },
        }
    }

    #[test]
    fn odd_up_then_even_down_and_streets_chained_by_proximity() {
        // Rue A along y = 0 (odd north, even south), Rue B far east along y = 0 too.
        let doors = vec![
            door("Rue A", "2", 0.0, -5.0),
            door("Rue A", "1", 0.0, 5.0),
            door("Rue A", "3", 20.0, 5.0),
            door("Rue A", "4", 20.0, -5.0),
            door("Rue B", "1", 500.0, 5.0),
            door("rue b ", "2", 500.0, -5.0),
            door("Rue A", "", 40.0, 0.0),
        ];
        // From the east: Rue B first (its odd/even end nearest), then Rue A reversed.
        let order = street_order(&doors, Coord { x: 510.0, y: 0.0 });
        let labels: Vec<String> = order
            .iter()
            .map(|&i| {
                format!(
                    "{}{}",
                    &doors[i].street.trim()[4..].to_uppercase(),
                    doors[i].number
                )
            })
            .collect();
        assert_eq!(labels, ["B1", "B2", "A", "A2", "A4", "A3", "A1"]);
        let legs = straight_legs_m(&doors, &order, Coord { x: 510.0, y: 0.0 });
        assert_eq!(legs.len(), doors.len());
        assert!((legs[1] - 10.0).abs() < 1e-9);
    }
}
