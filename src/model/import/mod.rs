//! Readers for the files a campaign starts from, each returning data plus a report.
//!
//! - [`crs`]: declared CRS detection (.prj WKT, GeoJSON `crs`, GPKG srs), sanity checks against the
//!   coordinates, and reprojection to WGS84 with proj4rs.
//! - [`features`]: the format-neutral vector feature (geometry in source CRS + attributes).
//! - [`shapefile`], [`geojson`], [`gpkg`] (and [`ogr`] with the `gdal` feature): vector readers.
//! - [`precincts`]: from features to precincts: field picking, repair, duplicate handling.
//! - [`text`]: text files: encoding (UTF-8 / Latin-1) and CSV delimiter detection.
//! - [`keys`]: precinct-key normalisation and the results-to-precinct join.
//! - [`results`]: election results in wide, long (Ministère) and OpenElections CSV shapes.
//! - [`addresses`]: doors from BAN / OpenAddresses CSV and OSM PBF, assigned to precincts.
//! - [`osm`]: OpenStreetMap XML and PBF files read as one stream of nodes, ways and relations.
//! - [`streets`]: OSM `highway=*` ways with a walkability policy, for the map and the street graph.

pub mod addresses;
pub mod crs;
pub mod features;
pub mod geojson;
pub mod gpkg;
pub mod keys;
#[cfg(feature = "gdal")]
pub mod ogr;
pub mod osm;
pub mod precincts;
pub mod results;
pub mod shapefile;
pub mod streets;
pub mod text;

use serde::Serialize;

/// A problem that did not stop an import, with where it happened (1-based feature or row).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Issue {
    /// e.g. "feature 12 (id 15-49)" or "row 897".
    pub location: String,
    pub message: String,
    /// What Porte did about it: "repaired", "skipped", "merged", "kept".
    pub action: String,
}

impl Issue {
    /// Feature `number` has a geometry the reader cannot decode: reported, feature skipped.
    pub fn unreadable_geometry(number: usize, error: impl std::fmt::Display) -> Issue {
        Issue {
            location: format!("feature {number}"),
            message: format!("unreadable geometry ({error})"),
            action: "skipped".into(),
        }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.location, self.message, self.action)
    }
}
