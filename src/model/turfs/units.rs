//! The indivisible pieces an auto-cut deals in: doors grouped into **buildings** (doors at the
//! same position, to within [`BUILDING_GRID_M`], go together: a building is never split), and
//! buildings grouped into **street units** (the buildings of one street within a short segment,
//! both sides together, so a volunteer walking that segment knocks on both sides).
//!
//! A street's buildings are split recursively along their principal axis, at the widest gap
//! near the middle (a cross street, usually), until each piece spans at most `segment_m` along
//! the street and holds at most `max_doors` doors. A piece whose buildings do not touch (their
//! Voronoi cells are not neighbours) is split into its touching groups, so a unit is always
//! one walkable piece.

use std::collections::HashMap;

use geo_types::Coord;

/// Doors closer than this grid (metres) are one building entrance.
pub const BUILDING_GRID_M: f64 = 1.0;

/// A door as the cutter sees it: a position in metres and its street.
#[derive(Clone, Debug, PartialEq)]
pub struct CutDoor {
    pub pos_m: Coord<f64>,
    pub street: String,
}

/// Doors at one position.
#[derive(Clone, Debug, PartialEq)]
pub struct Building {
    /// Mean position of its doors, metres.
    pub pos_m: Coord<f64>,
    /// Indices into the doors.
    pub doors: Vec<usize>,
    /// The street most of its doors are on (normalised; empty when unknown).
    pub street: String,
}

fn street_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Groups doors into buildings, in order of first door; positions are distinct.
pub fn buildings(doors: &[CutDoor]) -> Vec<Building> {
    let mut by_cell: HashMap<(i64, i64), usize> = HashMap::new();
    let mut out: Vec<Building> = Vec::new();
    for (i, d) in doors.iter().enumerate() {
        let key = (
            (d.pos_m.x / BUILDING_GRID_M).round() as i64,
            (d.pos_m.y / BUILDING_GRID_M).round() as i64,
        );
        let b = *by_cell.entry(key).or_insert_with(|| {
            out.push(Building {
                pos_m: Coord { x: 0.0, y: 0.0 },
                doors: Vec::new(),
                street: String::new(),
            });
            out.len() - 1
        });
        out[b].doors.push(i);
    }
    for b in &mut out {
        let n = b.doors.len() as f64;
        let (sx, sy) = b.doors.iter().fold((0.0, 0.0), |(x, y), &i| {
            (x + doors[i].pos_m.x, y + doors[i].pos_m.y)
        });
        b.pos_m = Coord {
            x: sx / n,
            y: sy / n,
        };
        let mut counts: HashMap<String, usize> = HashMap::new();
        for &i in &b.doors {
            *counts.entry(street_key(&doors[i].street)).or_default() += 1;
        }
        b.street = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(s, _)| s)
            .unwrap_or_default();
    }
    // Two cells' means can coincide only in a freak case; nudge to keep positions distinct.
    let mut seen: HashMap<(u64, u64), ()> = HashMap::new();
    for b in &mut out {
        while seen
            .insert((b.pos_m.x.to_bits(), b.pos_m.y.to_bits()), ())
            .is_some()
        {
            b.pos_m.x += 1e-3;
        }
    }
    out
}

/// The principal axis (unit vector) of weighted points, and their mean.
pub fn principal_axis(points: &[(Coord<f64>, f64)]) -> (Coord<f64>, Coord<f64>) {
    let w: f64 = points
        .iter()
        .map(|p| p.1)
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mx = points.iter().map(|p| p.0.x * p.1).sum::<f64>() / w;
    let my = points.iter().map(|p| p.0.y * p.1).sum::<f64>() / w;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (c, pw) in points {
        let (dx, dy) = (c.x - mx, c.y - my);
        sxx += pw * dx * dx;
        syy += pw * dy * dy;
        sxy += pw * dx * dy;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    (
        Coord {
            x: angle.cos(),
            y: angle.sin(),
        },
        Coord { x: mx, y: my },
    )
}

/// Groups buildings into street units (lists of building indices). `touching` are the pairs of
/// buildings whose cells are neighbours.
pub fn street_units(
    buildings: &[Building],
    touching: &[(usize, usize)],
    segment_m: f64,
    max_doors: usize,
) -> Vec<Vec<usize>> {
    let mut by_street: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut streets: Vec<&str> = Vec::new();
    for (i, b) in buildings.iter().enumerate() {
        let e = by_street.entry(b.street.as_str()).or_insert_with(|| {
            streets.push(b.street.as_str());
            Vec::new()
        });
        e.push(i);
    }
    let mut pieces: Vec<Vec<usize>> = Vec::new();
    for s in streets {
        let list = by_street.remove(s).unwrap_or_default();
        if s.is_empty() {
            // No street name: each building stands alone.
            pieces.extend(list.into_iter().map(|b| vec![b]));
        } else {
            split_street(buildings, list, segment_m, max_doors.max(1), &mut pieces);
        }
    }
    // Split pieces whose buildings do not touch into touching groups.
    let mut unit_of = vec![usize::MAX; buildings.len()];
    for (u, p) in pieces.iter().enumerate() {
        for &b in p {
            unit_of[b] = u;
        }
    }
    let mut parent: Vec<usize> = (0..buildings.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(a, b) in touching {
        if unit_of[a] == unit_of[b] {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra] = rb;
            }
        }
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for p in &pieces {
        for &b in p {
            let r = find(&mut parent, b);
            let k = *slot.entry(r).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[k].push(b);
        }
    }
    out
}

fn split_street(
    buildings: &[Building],
    mut list: Vec<usize>,
    segment_m: f64,
    max_doors: usize,
    out: &mut Vec<Vec<usize>>,
) {
    let doors: usize = list.iter().map(|&b| buildings[b].doors.len()).sum();
    if list.len() <= 1 {
        out.push(list);
        return;
    }
    let pts: Vec<(Coord<f64>, f64)> = list.iter().map(|&b| (buildings[b].pos_m, 1.0)).collect();
    let (axis, mean) = principal_axis(&pts);
    let proj = |b: usize| {
        let c = buildings[b].pos_m;
        (c.x - mean.x) * axis.x + (c.y - mean.y) * axis.y
    };
    list.sort_by(|a, b| proj(*a).total_cmp(&proj(*b)));
    let extent = proj(list[list.len() - 1]) - proj(list[0]);
    if extent <= segment_m && doors <= max_doors {
        out.push(list);
        return;
    }
    let n = list.len();
    let (lo, hi) = ((n / 4).max(1), (3 * n / 4).max(1).min(n - 1));
    let cut = (lo..=hi)
        .max_by(|&i, &j| {
            let gi = proj(list[i]) - proj(list[i - 1]);
            let gj = proj(list[j]) - proj(list[j - 1]);
            gi.total_cmp(&gj).then(j.cmp(&i))
        })
        .unwrap_or(n / 2);
    let right = list.split_off(cut);
    split_street(buildings, list, segment_m, max_doors, out);
    split_street(buildings, right, segment_m, max_doors, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn door(x: f64, y: f64, street: &str) -> CutDoor {
        CutDoor {
            pos_m: Coord { x, y },
            street: street.into(),
        }
    }

    #[test]
    fn doors_at_one_position_are_one_building() {
        let doors = vec![
            door(0.0, 0.0, "Rue A"),
            door(0.2, 0.1, "rue  a"),
            door(20.0, 0.0, "Rue A"),
        ];
        let b = buildings(&doors);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].doors, vec![0, 1]);
        assert_eq!(b[0].street, "rue a");
    }

    #[test]
    fn a_long_street_is_cut_at_its_cross_street_both_sides_together() {
        // Rue A along x: both sides (y = ±8 m), houses every 10 m, a 40 m gap at x = 100..140.
        let mut doors = Vec::new();
        for i in 0..10 {
            for y in [-8.0, 8.0] {
                doors.push(door(i as f64 * 10.0, y, "Rue A"));
                doors.push(door(140.0 + i as f64 * 10.0, y, "Rue A"));
            }
        }
        let b = buildings(&doors);
        let all: Vec<(usize, usize)> = (0..b.len())
            .flat_map(|i| (i + 1..b.len()).map(move |j| (i, j)))
            .collect();
        let units = street_units(&b, &all, 100.0, 100);
        assert_eq!(units.len(), 2, "{units:?}");
        for u in &units {
            let xs: Vec<f64> = u.iter().map(|&i| b[i].pos_m.x).collect();
            let left = xs.iter().all(|x| *x < 120.0);
            let right = xs.iter().all(|x| *x > 120.0);
            assert!(left || right, "a unit straddles the gap: {xs:?}");
            let ys: Vec<f64> = u.iter().map(|&i| b[i].pos_m.y).collect();
            assert!(ys.contains(&8.0) && ys.contains(&-8.0), "both sides");
        }
    }
}
