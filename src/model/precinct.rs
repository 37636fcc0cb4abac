//! Precinct features as the rest of Porte sees them: a join code, a display name and a WGS84
//! multipolygon (lon/lat degrees), whatever the CRS of the file they came from.

use geo_types::MultiPolygon;

/// One polling precinct ("bureau de vote") of the campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Precinct {
    /// Row id in the campaign file's `precincts` feature table.
    pub fid: i64,
    /// The precinct's id as read from its source file (e.g. `15-49`); results join on it.
    pub code: String,
    /// Display name (e.g. the polling place), when the source had one.
    pub name: Option<String>,
    /// Boundary in WGS84 lon/lat degrees.
    pub geom_wgs84: MultiPolygon<f64>,
}

/// Axis-aligned box in WGS84 degrees: `[min_lon, min_lat, max_lon, max_lat]`.
pub type BboxWgs84 = [f64; 4];

/// The bounding box of many geometries, or `None` when there are none.
pub fn bbox_of<'a>(geoms: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Option<BboxWgs84> {
    use geo::BoundingRect;
    let mut out: Option<BboxWgs84> = None;
    for g in geoms {
        if let Some(r) = g.bounding_rect() {
            let b = out.get_or_insert([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
            b[0] = b[0].min(r.min().x);
            b[1] = b[1].min(r.min().y);
            b[2] = b[2].max(r.max().x);
            b[3] = b[3].max(r.max().y);
        }
    }
    out
}
