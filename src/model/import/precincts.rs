//! From vector features to precincts: CRS handling, id/name field picking, geometry repair and
//! duplicate handling, with a report of everything that was fixed or skipped.

use std::collections::HashMap;
use std::path::Path;

use geo::{BooleanOps, MakeValid, RemoveRepeatedPoints, Validation};
use geo_types::{Geometry, MultiPolygon};
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::Issue;
use crate::model::import::crs;
use crate::model::import::features::{AttrValue, SourceLayer, read_layer};
use crate::model::precinct::{BboxWgs84, bbox_of};
use crate::model::progress::Progress;
use crate::model::storage;

/// How to read a precinct boundary file. Every field is optional: Porte guesses.
#[derive(Clone, Debug, Default)]
pub struct PrecinctImportOptions {
    /// Attribute holding the precinct id (join key); guessed when `None`.
    pub id_field: Option<String>,
    /// Attribute holding a display name; guessed when `None`.
    pub name_field: Option<String>,
    /// EPSG code that overrides the file's declared CRS.
    pub crs_epsg: Option<u32>,
    /// Layer name for multi-layer files (GeoPackage); the first feature layer when `None`.
    pub layer: Option<String>,
}

/// What a precinct import did.
#[derive(Clone, Debug, Serialize)]
pub struct PrecinctImportReport {
    pub file: String,
    /// "shapefile", "geojson", "gpkg" or "ogr:<driver>".
    pub format: String,
    pub features_read: usize,
    pub imported: usize,
    /// The CRS used to read the coordinates, e.g. "EPSG:2154".
    pub crs: String,
    pub id_field: String,
    pub name_field: Option<String>,
    /// Text encoding of the attributes (shapefiles), e.g. "windows-1252".
    pub encoding: Option<String>,
    /// Human-readable warnings (CRS contradictions, repairs, skips), one line each.
    pub warnings: Vec<String>,
    /// Per-feature problems and what was done about them.
    pub issues: Vec<Issue>,
    pub bbox_wgs84: Option<BboxWgs84>,
    /// Addresses already in the campaign, re-assigned to the new precincts.
    pub addresses_reassigned: usize,
}

/// A precinct ready to be stored.
#[derive(Clone, Debug)]
pub struct PreparedPrecinct {
    pub code: String,
    pub name: Option<String>,
    pub source_feature: usize,
    pub attributes_json: String,
    pub geom_wgs84: MultiPolygon<f64>,
}

/// Lower-case alphanumerics only: `"Id_BV"` → `"idbv"`.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// How much a field name looks like a precinct id (0 = not at all).
fn id_name_score(name: &str) -> i32 {
    let n = squash(name);
    const EXACT: &[&str] = &[
        "idbv",
        "codebv",
        "codebureau",
        "idbureau",
        "numbv",
        "bureau",
        "bv",
        "precinct",
        "precinctid",
        "precinctcode",
        "pct",
        "pctid",
        "ward",
        "code",
        "id",
        "codeinsee",
    ];
    const PENALTY: &[&str] = &[
        "objectid",
        "fid",
        "gid",
        "ogcfid",
        "ogrfid",
        "shapeleng",
        "shapearea",
        "area",
        "perimeter",
        "shapelength",
        "rowid",
    ];
    if PENALTY.contains(&n.as_str()) {
        return -10;
    }
    if let Some(pos) = EXACT.iter().position(|e| *e == n) {
        return 100 - pos as i32;
    }
    let mut score = 0;
    for (token, s) in [
        ("bv", 30),
        ("bureau", 30),
        ("precinct", 30),
        ("code", 20),
        ("id", 15),
        ("num", 5),
    ] {
        if n.contains(token) {
            score += s;
        }
    }
    score
}

/// How much a field name looks like a display name.
fn name_name_score(name: &str) -> i32 {
    let n = squash(name);
    let mut score = 0;
    for (token, s) in [
        ("libelle", 40),
        ("nom", 35),
        ("name", 35),
        ("lieu", 30),
        ("label", 30),
        ("lib", 20),
        ("adresse", 10),
    ] {
        if n.contains(token) {
            score += s;
        }
    }
    score
}

/// Picks the id field: unique and (almost) always present, best name first; `None` when no
/// field qualifies.
pub fn pick_id_field(layer: &SourceLayer) -> Option<usize> {
    let n = layer.features.len();
    let mut best: Option<(i32, usize)> = None;
    for (i, name) in layer.fields.iter().enumerate() {
        let keys: Vec<String> = layer
            .features
            .iter()
            .filter_map(|f| f.values.get(i).and_then(AttrValue::as_key))
            .collect();
        if keys.len() * 100 < n * 95 {
            continue;
        }
        let distinct: std::collections::HashSet<&String> = keys.iter().collect();
        if distinct.len() != keys.len() {
            continue;
        }
        let fractional = layer
            .features
            .iter()
            .any(|f| matches!(f.values.get(i), Some(AttrValue::Float(x)) if x.fract() != 0.0));
        let score = id_name_score(name) - if fractional { 50 } else { 0 };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.filter(|(s, _)| *s > -10).map(|(_, i)| i)
}

/// Picks a display-name field: mostly non-numeric text, not the id field.
pub fn pick_name_field(layer: &SourceLayer, id_field: usize) -> Option<usize> {
    let mut best: Option<(i32, usize)> = None;
    for (i, name) in layer.fields.iter().enumerate() {
        if i == id_field {
            continue;
        }
        let texts = layer
            .features
            .iter()
            .filter(|f| match f.values.get(i) {
                Some(AttrValue::Text(t)) => t.chars().any(|c| c.is_alphabetic()),
                _ => false,
            })
            .count();
        if texts * 2 < layer.features.len() {
            continue;
        }
        let score = name_name_score(name);
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// Polygonal part of a geometry; `None` for points and lines.
fn as_multipolygon(g: Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        Geometry::MultiPolygon(mp) => Some(mp),
        Geometry::GeometryCollection(gc) => {
            let polys: Vec<_> =
                gc.0.into_iter()
                    .filter_map(as_multipolygon)
                    .flat_map(|m| m.0)
                    .collect();
            (!polys.is_empty()).then_some(MultiPolygon(polys))
        }
        Geometry::Rect(r) => Some(MultiPolygon(vec![r.to_polygon()])),
        Geometry::Triangle(t) => Some(MultiPolygon(vec![t.to_polygon()])),
        _ => None,
    }
}

/// Turns a raw layer into precincts in WGS84, with every repair and skip reported.
pub fn prepare(
    path: &Path,
    mut layer: SourceLayer,
    opts: &PrecinctImportOptions,
    progress: &dyn Progress,
) -> ModelResult<(Vec<PreparedPrecinct>, PrecinctImportReport)> {
    let file = path.display().to_string();
    let resolved = crs::resolve(layer.declared_crs.take(), opts.crs_epsg, layer.raw_bbox())
        .map_err(|m| ImportError::format(path, "", m))?;
    let crs = resolved.crs;
    let mut warnings = layer.warnings.clone();
    warnings.extend(resolved.warnings);
    let mut issues = layer.issues.clone();

    let field_list = || layer.fields.join(", ");
    let id_idx = match &opts.id_field {
        Some(f) => Some(layer.field_index(f).ok_or_else(|| {
            ImportError::format(
                path,
                "",
                format!("no field \"{f}\" (fields: {})", field_list()),
            )
        })?),
        None => pick_id_field(&layer),
    };
    if id_idx.is_none() {
        warnings.push(format!(
            "no field holds a unique id for every feature (fields: {}); precincts are numbered by feature order — choose the id field to join results",
            field_list()
        ));
    }
    let name_idx = match &opts.name_field {
        Some(f) => Some(layer.field_index(f).ok_or_else(|| {
            ImportError::format(
                path,
                "",
                format!("no field \"{f}\" (fields: {})", field_list()),
            )
        })?),
        None => id_idx.and_then(|i| pick_name_field(&layer, i)),
    };

    let total = layer.features.len().max(1);
    let mut out: Vec<PreparedPrecinct> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for (k, f) in layer.features.iter().enumerate() {
        if k % 64 == 0 {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            progress.set(k as f32 / total as f32, "reading precincts");
        }
        let code = match id_idx {
            Some(i) => f.values.get(i).and_then(AttrValue::as_key),
            None => Some(f.number.to_string()),
        };
        let loc = match &code {
            Some(c) => format!("feature {} (id {c})", f.number),
            None => format!("feature {}", f.number),
        };
        let mut issue = |message: String, action: &str| {
            issues.push(Issue {
                location: loc.clone(),
                message,
                action: action.into(),
            })
        };
        let Some(code) = code else {
            issue("no id".into(), "skipped");
            continue;
        };
        let Some(geom) = f.geometry.clone() else {
            issue("null geometry".into(), "skipped");
            continue;
        };
        let kind = geometry_kind(&geom);
        let Some(mp) = as_multipolygon(geom) else {
            issue(format!("{kind} is not a polygon"), "skipped");
            continue;
        };
        let mp = match crs.geometry_to_wgs84(&Geometry::MultiPolygon(mp)) {
            Ok(Geometry::MultiPolygon(mp)) => mp,
            Ok(_) => unreachable!("map_coords keeps the geometry type"),
            Err(e) => {
                issue(e, "skipped");
                continue;
            }
        };
        if mp.0.is_empty() {
            issue("empty geometry".into(), "skipped");
            continue;
        }
        let mut mp = mp.remove_repeated_points();
        if !mp.is_valid() {
            let why = mp
                .validation_errors()
                .first()
                .map(|e| e.to_string())
                .unwrap_or_default();
            match mp.make_valid() {
                Ok(fixed) if !fixed.0.is_empty() => {
                    issue(format!("invalid polygon ({why})"), "repaired");
                    mp = fixed;
                }
                Ok(_) => {
                    issue(format!("invalid polygon with no area ({why})"), "skipped");
                    continue;
                }
                Err(e) => {
                    issue(
                        format!("invalid polygon ({why}) that could not be repaired: {e}"),
                        "skipped",
                    );
                    continue;
                }
            }
        }
        if let Some(&first) = by_code.get(&code) {
            issue(
                format!(
                    "duplicate id {code}, also feature {}",
                    out[first].source_feature
                ),
                "merged into one precinct",
            );
            let merged = out[first].geom_wgs84.union(&mp);
            out[first].geom_wgs84 = merged;
            continue;
        }
        let name = name_idx
            .and_then(|i| f.values.get(i))
            .and_then(AttrValue::as_key);
        let attributes: serde_json::Map<String, serde_json::Value> = layer
            .fields
            .iter()
            .zip(&f.values)
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        by_code.insert(code.clone(), out.len());
        out.push(PreparedPrecinct {
            code,
            name,
            source_feature: f.number,
            attributes_json: serde_json::Value::Object(attributes).to_string(),
            geom_wgs84: mp,
        });
    }
    let bbox_wgs84 = bbox_of(out.iter().map(|p| &p.geom_wgs84));
    if let Some(b) = bbox_wgs84
        && (b[0] < -180.0 || b[2] > 180.0 || b[1] < -90.0 || b[3] > 90.0)
    {
        return Err(ImportError::format(
            path,
            "",
            format!("the precincts land outside the Earth once read as {} ({b:?}); give the right CRS with --crs EPSG:NNNN", crs.label),
        )
        .into());
    }
    if out.is_empty() {
        return Err(ImportError::format(
            path,
            "",
            format!("no usable precinct among {} features", layer.features.len()),
        )
        .into());
    }
    // Reader issues name the feature by number only: add its id.
    for issue in issues.iter_mut() {
        let number = issue
            .location
            .strip_prefix("feature ")
            .and_then(|n| n.parse::<usize>().ok());
        let code = number
            .and_then(|n| layer.features.get(n - 1))
            .and_then(|f| {
                id_idx
                    .and_then(|i| f.values.get(i))
                    .and_then(AttrValue::as_key)
            });
        if let Some(code) = code {
            issue.location = format!("{} (id {code})", issue.location);
        }
    }
    issues.sort_by_key(|i| {
        let n: String = i
            .location
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        n.parse::<usize>().unwrap_or(0)
    });
    for i in &issues {
        warnings.push(i.to_string());
    }
    let report = PrecinctImportReport {
        file,
        format: layer.format.clone(),
        features_read: layer.features.len(),
        imported: out.len(),
        crs: crs.label.clone(),
        id_field: id_idx
            .map(|i| layer.fields[i].clone())
            .unwrap_or_else(|| "(feature number)".into()),
        name_field: name_idx.map(|i| layer.fields[i].clone()),
        encoding: layer.encoding.clone(),
        warnings,
        issues,
        bbox_wgs84,
        addresses_reassigned: 0,
    };
    Ok((out, report))
}

fn geometry_kind(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "a point",
        Geometry::MultiPoint(_) => "a multipoint",
        Geometry::Line(_) | Geometry::LineString(_) => "a line",
        Geometry::MultiLineString(_) => "a multiline",
        _ => "the geometry",
    }
}

impl Campaign {
    /// Replaces the campaign's precinct layer with the precincts of `file` (shapefile, GeoJSON,
    /// GeoPackage, or any OGR format with the `gdal` feature), reprojected to WGS84, and
    /// re-assigns the campaign's addresses to them. One transaction: on any error or
    /// cancellation the campaign is left as it was.
    pub fn import_precincts(
        &mut self,
        file: &Path,
        opts: &PrecinctImportOptions,
        progress: &dyn Progress,
    ) -> ModelResult<PrecinctImportReport> {
        progress.set(0.0, "reading the file");
        let layer = read_layer(file, opts.layer.as_deref())?;
        let (precincts, mut report) = prepare(file, layer, opts, progress)?;
        progress.set(0.8, "saving precincts");
        self.in_transaction(|tx| {
            let rows: Vec<storage::precincts::NewPrecinct<'_>> = precincts
                .iter()
                .map(|p| storage::precincts::NewPrecinct {
                    code: &p.code,
                    name: p.name.as_deref(),
                    source_feature: p.source_feature,
                    attributes_json: p.attributes_json.clone(),
                    geom_wgs84: &p.geom_wgs84,
                })
                .collect();
            storage::precincts::replace_all(tx, &rows)?;
            let polygons: Vec<(&str, &MultiPolygon<f64>)> = precincts
                .iter()
                .map(|p| (p.code.as_str(), &p.geom_wgs84))
                .collect();
            report.addresses_reassigned =
                storage::addresses::reassign_all(tx, &polygons, progress)?;
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            storage::import_log::append(tx, "precincts", &report.file, &report)?;
            Ok(())
        })?;
        progress.set(1.0, "done");
        Ok(report)
    }
}
