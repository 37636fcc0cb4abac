//! Generated precinct layers for the map benchmark: a jittered grid of cells that tile a WGS84
//! extent (by default metropolitan France), each edge carrying several vertices shared exactly
//! with the neighbour cell, as real precinct borders are. Deterministic (a fixed hash, no RNG).

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use crate::model::precinct::{BboxWgs84, Precinct};

/// Metropolitan France, roughly: lon −4.8..8.2, lat 42.3..51.1.
pub const FRANCE_BBOX_WGS84: BboxWgs84 = [-4.8, 42.3, 8.2, 51.1];
/// Vertices per cell edge (a cell ring has 4 × this many points).
pub const EDGE_POINTS: usize = 8;

/// A deterministic value in [-0.5, 0.5) for lattice point (i, j) (splitmix64).
fn jitter(i: usize, j: usize, salt: u64) -> f64 {
    let mut z = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((j as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
        .wrapping_add(salt);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

/// About `n` precincts tiling `bbox` (the grid keeps the extent's aspect ratio, so the count is
/// rounded to whole rows and columns; at least `n`).
pub fn synthetic_precincts(n: usize, bbox: BboxWgs84) -> Vec<Precinct> {
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    // Cells roughly square on the ground at this latitude.
    let lat_mid = ((bbox[1] + bbox[3]) / 2.0).to_radians();
    let aspect = w * lat_mid.cos() / h;
    let rows = ((n.max(1) as f64 / aspect).sqrt().ceil() as usize).max(1);
    let cols = n.max(1).div_ceil(rows);
    let k = EDGE_POINTS;
    let (fine_cols, fine_rows) = (cols * k, rows * k);
    let (dx, dy) = (w / fine_cols as f64, h / fine_rows as f64);
    // Lattice points, jittered inside their fine cell except on the outer border.
    let point = |i: usize, j: usize| -> Coord<f64> {
        let border_x = i == 0 || i == fine_cols;
        let border_y = j == 0 || j == fine_rows;
        let jx = if border_x { 0.0 } else { 0.6 * jitter(i, j, 1) };
        let jy = if border_y { 0.0 } else { 0.6 * jitter(i, j, 2) };
        Coord {
            x: bbox[0] + (i as f64 + jx) * dx,
            y: bbox[1] + (j as f64 + jy) * dy,
        }
    };
    let mut out = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            if out.len() == n {
                return out;
            }
            let (i0, j0) = (c * k, r * k);
            let mut ring = Vec::with_capacity(4 * k + 1);
            for s in 0..k {
                ring.push(point(i0 + s, j0));
            }
            for s in 0..k {
                ring.push(point(i0 + k, j0 + s));
            }
            for s in 0..k {
                ring.push(point(i0 + k - s, j0 + k));
            }
            for s in 0..k {
                ring.push(point(i0, j0 + k - s));
            }
            ring.push(ring[0]);
            let fid = out.len() as i64 + 1;
            out.push(Precinct {
                fid,
                code: format!("{:05}-{:04}", r, c),
                name: Some(format!("Bureau {fid}")),
                geom_wgs84: MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_has_the_requested_count_and_is_deterministic() {
        let a = synthetic_precincts(1000, FRANCE_BBOX_WGS84);
        assert_eq!(a.len(), 1000);
        assert_eq!(a, synthetic_precincts(1000, FRANCE_BBOX_WGS84));
        assert_eq!(a[0].geom_wgs84.0[0].exterior().0.len(), 4 * EDGE_POINTS + 1);
    }
}
