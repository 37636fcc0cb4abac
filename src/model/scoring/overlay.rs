//! Overlay variables: a polygon layer (e.g. INSEE IRIS) with a value per feature, from its own
//! attributes or from a CSV joined by key, interpolated to the precincts by area weighting in a
//! local equal-area projection, so it can enter the priority score as a term.
//!
//! - a *count* (population, households) is split in proportion to area:
//!   `value(p) = Σ_s value(s) × area(s ∩ p) / area(s ∩ ∪precincts)` when the precincts cover at
//!   least half of source `s` (what they leave out is streets, woods or water: nobody lives
//!   there, and the total is preserved), else `/ area(s)` (a neighbouring area touching the
//!   campaign's edge keeps the part of its count outside);
//! - a *mean* (median income, a rate) is averaged by area:
//!   `value(p) = Σ_s value(s) × area(s ∩ p) / Σ_s area(s ∩ p)`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::{Area, BooleanOps, BoundingRect, MapCoords};
use geo_types::{Coord, MultiPolygon};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use serde::Serialize;

use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::features::read_layer;
use crate::model::import::precincts::{PrecinctImportOptions, prepare};
use crate::model::import::text::open_table;
use crate::model::precinct::Precinct;
use crate::model::progress::NoProgress;
use crate::model::scoring::score::OverlayValues;

/// How an overlay variable is carried over to precincts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlayKind {
    /// An extensive quantity (a count): split by area share.
    Count,
    /// An intensive quantity (median, rate, density): area-weighted mean.
    Mean,
}

/// Where an overlay variable comes from.
#[derive(Clone, Debug)]
pub struct OverlaySpec {
    /// Polygon layer (shapefile, GeoJSON, GeoPackage...), any CRS.
    pub layer: PathBuf,
    pub layer_name: Option<String>,
    /// Field of the layer holding the join key (guessed when `None` and no table is given).
    pub key_field: Option<String>,
    /// CRS override of the layer (EPSG code).
    pub crs_epsg: Option<u32>,
    /// Optional CSV holding the variable, joined to the layer by key.
    pub table: Option<PathBuf>,
    /// Key column of the CSV (default: the layer's key field name).
    pub table_key: Option<String>,
    /// Column (of the CSV, else of the layer) holding the variable.
    pub variable: String,
    pub kind: OverlayKind,
    /// False when low values mean priority (e.g. median income).
    pub higher_is_priority: bool,
}

/// What an interpolation did.
#[derive(Clone, Debug, Serialize)]
pub struct OverlayReport {
    pub layer: String,
    pub table: Option<String>,
    pub variable: String,
    pub kind: OverlayKind,
    pub features: usize,
    /// Features with a numeric value (joined, when a table is used).
    pub features_with_value: usize,
    /// Σ value over the features with one (meaningful for counts).
    pub source_total: f64,
    /// Σ value over the precincts (counts).
    pub interpolated_total: f64,
    /// Share of the valued features' area that falls in some precinct, in percent.
    pub covered_area_pct: f64,
    /// Valued features less than half inside the precincts (their count is partly left out).
    pub features_mostly_outside: usize,
    pub precincts_with_value: usize,
    pub warnings: Vec<String>,
}

/// Lambert azimuthal equal-area projection on the sphere (metres), centred on `centre`.
struct LocalEqualArea {
    lon0: f64,
    sin_lat0: f64,
    cos_lat0: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_007.2; // authalic radius

impl LocalEqualArea {
    fn new(centre: Coord<f64>) -> Self {
        let lat0 = centre.y.to_radians();
        LocalEqualArea {
            lon0: centre.x.to_radians(),
            sin_lat0: lat0.sin(),
            cos_lat0: lat0.cos(),
        }
    }
    fn project(&self, c: Coord<f64>) -> Coord<f64> {
        let (lon, lat) = (c.x.to_radians(), c.y.to_radians());
        let dlon = lon - self.lon0;
        let (sin_lat, cos_lat) = lat.sin_cos();
        let k =
            (2.0 / (1.0 + self.sin_lat0 * sin_lat + self.cos_lat0 * cos_lat * dlon.cos())).sqrt();
        Coord {
            x: EARTH_RADIUS_M * k * cos_lat * dlon.sin(),
            y: EARTH_RADIUS_M
                * k
                * (self.cos_lat0 * sin_lat - self.sin_lat0 * cos_lat * dlon.cos()),
        }
    }
    fn project_mp(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| self.project(c))
    }
}

/// Share of a source's area the targets must cover for its whole count to be shared among them.
pub const MOSTLY_COVERED: f64 = 0.5;

/// Result of [`area_weighted`]: a value per target, and totals for the report.
pub struct Interpolated {
    pub values: Vec<Option<f64>>,
    /// Per source, the share of its area inside some target, in percent.
    pub source_covered_pct: Vec<f64>,
    /// Share of the valued sources' area that falls inside some target, in percent.
    pub covered_area_pct: f64,
}

/// Area-weighted interpolation of `sources` (WGS84 polygons with a value) onto `targets`
/// (WGS84). A target that overlaps no valued source gets `None`.
pub fn area_weighted(
    sources: &[(&MultiPolygon<f64>, f64)],
    targets: &[&MultiPolygon<f64>],
    kind: OverlayKind,
) -> Interpolated {
    let bbox = crate::model::precinct::bbox_of(targets.iter().copied());
    let Some(b) = bbox else {
        return Interpolated {
            values: vec![],
            source_covered_pct: vec![0.0; sources.len()],
            covered_area_pct: 0.0,
        };
    };
    let proj = LocalEqualArea::new(Coord {
        x: (b[0] + b[2]) / 2.0,
        y: (b[1] + b[3]) / 2.0,
    });
    let targets_m: Vec<MultiPolygon<f64>> = targets.iter().map(|t| proj.project_mp(t)).collect();
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        targets_m
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let r = t.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect(),
    );
    let mut num = vec![0.0; targets.len()];
    let mut den = vec![0.0; targets.len()];
    let mut total_area = 0.0;
    let mut covered_area = 0.0;
    let mut source_covered_pct = vec![0.0; sources.len()];
    for (k, (geom, value)) in sources.iter().enumerate() {
        let s = proj.project_mp(geom);
        let area_s = s.unsigned_area();
        let Some(r) = s.bounding_rect() else { continue };
        if area_s <= 0.0 {
            continue;
        }
        total_area += area_s;
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let overlaps: Vec<(usize, f64)> = tree
            .locate_in_envelope_intersecting(&env)
            .map(|hit| {
                (
                    hit.data,
                    s.intersection(&targets_m[hit.data]).unsigned_area(),
                )
            })
            .filter(|(_, a)| *a > 0.0)
            .collect();
        let covered: f64 = overlaps.iter().map(|(_, a)| a).sum();
        covered_area += covered;
        source_covered_pct[k] = 100.0 * covered / area_s;
        // A count is shared over the part of the source the targets cover when that is most of
        // it (the rest being streets, woods or water between precincts), else over its whole
        // area (a neighbouring area that only touches the campaign's edge).
        let share_base = if covered >= MOSTLY_COVERED * area_s {
            covered
        } else {
            area_s
        };
        for (t, a) in overlaps {
            match kind {
                OverlayKind::Count => num[t] += value * a / share_base,
                OverlayKind::Mean => num[t] += value * a,
            }
            den[t] += a;
        }
    }
    let values = (0..targets.len())
        .map(|t| {
            (den[t] > 0.0).then(|| match kind {
                OverlayKind::Count => num[t],
                OverlayKind::Mean => num[t] / den[t],
            })
        })
        .collect();
    Interpolated {
        values,
        source_covered_pct,
        covered_area_pct: if total_area > 0.0 {
            100.0 * covered_area / total_area
        } else {
            0.0
        },
    }
}

/// A number as written in French or English files: `1234`, `1 234,5`, `1234.5`.
fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    if t.is_empty() {
        return None;
    }
    let t = if t.contains(',') && !t.contains('.') {
        t.replace(',', ".")
    } else {
        t
    };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn json_number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => parse_number(s),
        _ => None,
    }
}

/// Reads an overlay and interpolates its variable to `precincts`.
pub fn interpolate_overlay(
    precincts: &[Precinct],
    spec: &OverlaySpec,
) -> ModelResult<(OverlayValues, OverlayReport)> {
    let layer = read_layer(&spec.layer, spec.layer_name.as_deref())?;
    let features = layer.features.len();
    let opts = PrecinctImportOptions {
        id_field: spec.key_field.clone(),
        name_field: None,
        crs_epsg: spec.crs_epsg,
        layer: spec.layer_name.clone(),
    };
    let (polys, prep_report) = prepare(&spec.layer, layer, &opts, &NoProgress)?;
    let mut warnings: Vec<String> = prep_report.warnings.clone();

    // Value of each overlay polygon.
    let values: Vec<Option<f64>> = match &spec.table {
        Some(table_path) => {
            let by_key = read_table_values(
                table_path,
                spec.table_key
                    .as_deref()
                    .unwrap_or(prep_report.id_field.as_str()),
                &spec.variable,
            )?;
            let v: Vec<Option<f64>> = polys.iter().map(|p| by_key.get(&p.code).copied()).collect();
            let unmatched = v.iter().filter(|x| x.is_none()).count();
            if unmatched > 0 {
                warnings.push(format!(
                    "{unmatched} of {} features have no numeric \"{}\" in {} (joined on {} = {})",
                    polys.len(),
                    spec.variable,
                    table_path.display(),
                    prep_report.id_field,
                    spec.table_key
                        .as_deref()
                        .unwrap_or(prep_report.id_field.as_str())
                ));
            }
            v
        }
        None => {
            let mut missing_field = true;
            let v = polys
                .iter()
                .map(|p| {
                    let attrs: serde_json::Value = serde_json::from_str(&p.attributes_json).ok()?;
                    let obj = attrs.as_object()?;
                    let val = obj.get(&spec.variable).or_else(|| {
                        obj.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(&spec.variable))
                            .map(|(_, v)| v)
                    });
                    if val.is_some() {
                        missing_field = false;
                    }
                    val.and_then(json_number)
                })
                .collect();
            if missing_field {
                return Err(ImportError::format(
                    &spec.layer,
                    "",
                    format!("no field \"{}\" in the overlay layer", spec.variable),
                )
                .into());
            }
            v
        }
    };
    let sources: Vec<(&MultiPolygon<f64>, f64)> = polys
        .iter()
        .zip(&values)
        .filter_map(|(p, v)| v.map(|v| (&p.geom_wgs84, v)))
        .collect();
    if sources.is_empty() {
        return Err(ModelError::Invalid(format!(
            "no feature of {} has a numeric value for \"{}\"",
            spec.layer.display(),
            spec.variable
        )));
    }
    let source_total: f64 = sources.iter().map(|(_, v)| v).sum();
    let targets: Vec<&MultiPolygon<f64>> = precincts.iter().map(|p| &p.geom_wgs84).collect();
    let interp = area_weighted(&sources, &targets, spec.kind);
    let mut by_code = HashMap::new();
    for (p, v) in precincts.iter().zip(&interp.values) {
        if let Some(v) = v {
            by_code.insert(p.code.clone(), *v);
        }
    }
    let interpolated_total = interp.values.iter().flatten().sum();
    let outside = interp
        .source_covered_pct
        .iter()
        .filter(|c| **c < 100.0 * MOSTLY_COVERED)
        .count();
    if outside > 0 {
        warnings.push(format!(
            "{outside} of {} valued features lie mostly outside the precincts; their count is only partly carried over",
            sources.len()
        ));
    }
    let report = OverlayReport {
        layer: spec.layer.display().to_string(),
        table: spec.table.as_ref().map(|t| t.display().to_string()),
        variable: spec.variable.clone(),
        kind: spec.kind,
        features,
        features_with_value: sources.len(),
        source_total,
        interpolated_total,
        covered_area_pct: interp.covered_area_pct,
        features_mostly_outside: interp
            .source_covered_pct
            .iter()
            .filter(|c| **c < 100.0 * MOSTLY_COVERED)
            .count(),
        precincts_with_value: by_code.len(),
        warnings,
    };
    Ok((
        OverlayValues {
            name: spec.variable.clone(),
            values: by_code,
            higher_is_priority: spec.higher_is_priority,
        },
        report,
    ))
}

/// `key → value` from a CSV (delimiter and encoding detected).
fn read_table_values(path: &Path, key: &str, variable: &str) -> ModelResult<HashMap<String, f64>> {
    let table = open_table(path)?;
    let col = |name: &str| {
        table.column(name).ok_or_else(|| {
            ImportError::format(
                path,
                "",
                format!(
                    "no column \"{name}\" (columns: {})",
                    table.headers.join(", ")
                ),
            )
        })
    };
    let (k, v) = (col(key)?, col(variable)?);
    let mut out = HashMap::new();
    for rec in table.records() {
        let rec = rec?;
        let key = rec.get(k);
        if key.is_empty() {
            continue;
        }
        if let Some(x) = parse_number(rec.get(v)) {
            out.insert(key.to_string(), x);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s), (x: x, y: y)
        ]])
    }

    #[test]
    fn counts_split_by_area_and_means_average_by_area() {
        // Two sources side by side (0.01° squares near Paris), two targets: the left one covers
        // the left source and a quarter of the right one, the right target the rest.
        let (x, y, s) = (2.30, 48.85, 0.01);
        let a = square(x, y, s);
        let b = square(x + s, y, s);
        let left = MultiPolygon(vec![polygon![
            (x: x, y: y), (x: x + 1.25 * s, y: y), (x: x + 1.25 * s, y: y + s), (x: x, y: y + s), (x: x, y: y)
        ]]);
        let right = MultiPolygon(vec![polygon![
            (x: x + 1.25 * s, y: y), (x: x + 2.0 * s, y: y), (x: x + 2.0 * s, y: y + s), (x: x + 1.25 * s, y: y + s), (x: x + 1.25 * s, y: y)
        ]]);
        let outside = square(x + 5.0 * s, y, s);
        let r = area_weighted(
            &[(&a, 100.0), (&b, 40.0)],
            &[&left, &right, &outside],
            OverlayKind::Count,
        );
        let v = r.values;
        // Straight edges between projected vertices: equal to within 1e-5.
        assert!((v[0].unwrap() - 110.0).abs() < 1e-2, "{v:?}");
        assert!((v[1].unwrap() - 30.0).abs() < 1e-2, "{v:?}");
        assert_eq!(v[2], None);
        assert!((r.covered_area_pct - 100.0).abs() < 1e-2);
        let m = area_weighted(
            &[(&a, 100.0), (&b, 40.0)],
            &[&left, &right],
            OverlayKind::Mean,
        )
        .values;
        // left: (100 × 1 + 40 × 0.25) / 1.25 = 88
        assert!((m[0].unwrap() - 88.0).abs() < 1e-2, "{m:?}");
        assert!((m[1].unwrap() - 40.0).abs() < 1e-6);
    }

    #[test]
    fn a_count_goes_to_the_precincts_that_cover_most_of_its_area() {
        // Two precincts cover 90 % of the source, with a street-like gap between them: the
        // whole count is shared 50/50. A source only 20 % inside keeps 80 % of its count out.
        let (x, y, s) = (2.30, 48.85, 0.01);
        let source = square(x, y, s);
        let rect = |x0: f64, x1: f64| {
            MultiPolygon(vec![polygon![
                (x: x0, y: y), (x: x1, y: y), (x: x1, y: y + s), (x: x0, y: y + s), (x: x0, y: y)
            ]])
        };
        let (a, b) = (rect(x, x + 0.45 * s), rect(x + 0.55 * s, x + s));
        let r = area_weighted(&[(&source, 100.0)], &[&a, &b], OverlayKind::Count);
        assert!((r.values[0].unwrap() - 50.0).abs() < 1e-2, "{:?}", r.values);
        assert!((r.values[1].unwrap() - 50.0).abs() < 1e-2);
        assert!((r.source_covered_pct[0] - 90.0).abs() < 1e-2);
        let edge = rect(x + 0.8 * s, x + 1.5 * s);
        let r = area_weighted(&[(&source, 100.0)], &[&edge], OverlayKind::Count);
        assert!((r.values[0].unwrap() - 20.0).abs() < 1e-2, "{:?}", r.values);
    }

    #[test]
    fn numbers_in_french_or_english() {
        assert_eq!(parse_number("1 234,5"), Some(1234.5));
        assert_eq!(parse_number("1234.5"), Some(1234.5));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("s"), None);
    }
}
