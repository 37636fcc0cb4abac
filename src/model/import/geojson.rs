//! GeoJSON reader: RFC 7946 (WGS84) and the older 2008 form with a `crs` member
//! (`urn:ogc:def:crs:EPSG::2154`, `EPSG:2154`, `urn:ogc:def:crs:OGC:1.3:CRS84`).

use std::path::Path;

use geojson::{GeoJson, GeometryValue};

use crate::model::error::ImportError;
use crate::model::import::Issue;
use crate::model::import::crs::Crs;
use crate::model::import::features::{AttrValue, SourceFeature, SourceLayer};

/// The CRS named by a 2008-style `crs` member, if any.
fn declared_crs(member: Option<&serde_json::Value>) -> Option<Result<Crs, String>> {
    let name = member?
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())?;
    let upper = name.to_ascii_uppercase();
    if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
        return Some(Ok(Crs::wgs84()));
    }
    let code = upper
        .rsplit([':', '/'])
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse::<u32>().ok());
    Some(match code {
        Some(code) => Crs::from_epsg(code),
        None => Err(format!("unrecognised \"crs\" member {name}")),
    })
}

/// Rings that do not end where they start (the GeoJSON spec requires closed rings).
fn count_unclosed_rings(value: &GeometryValue) -> usize {
    let unclosed = |ring: &Vec<geojson::Position>| {
        ring.len() > 1 && ring.first().map(|p| p.as_slice()) != ring.last().map(|p| p.as_slice())
    };
    match value {
        GeometryValue::Polygon { coordinates } => {
            coordinates.iter().filter(|r| unclosed(r)).count()
        }
        GeometryValue::MultiPolygon { coordinates } => coordinates
            .iter()
            .flat_map(|p| p.iter())
            .filter(|r| unclosed(r))
            .count(),
        GeometryValue::GeometryCollection { geometries } => geometries
            .iter()
            .map(|g| count_unclosed_rings(&g.value))
            .sum(),
        _ => 0,
    }
}

pub fn read(path: &Path) -> Result<SourceLayer, ImportError> {
    let text = std::fs::read(path).map_err(|e| ImportError::io(path, e))?;
    let text = String::from_utf8(text)
        .map_err(|e| ImportError::format(path, "", format!("GeoJSON must be UTF-8 text ({e})")))?;
    let gj: GeoJson = text.parse().map_err(|e: geojson::Error| {
        ImportError::format(path, "", format!("not valid GeoJSON: {e}"))
    })?;
    let (features, crs_member) = match gj {
        GeoJson::FeatureCollection(fc) => {
            let crs = fc
                .foreign_members
                .as_ref()
                .and_then(|m| m.get("crs").cloned());
            (fc.features, crs)
        }
        GeoJson::Feature(f) => {
            let crs = f
                .foreign_members
                .as_ref()
                .and_then(|m| m.get("crs").cloned());
            (vec![f], crs)
        }
        GeoJson::Geometry(g) => (
            vec![geojson::Feature {
                geometry: Some(g),
                ..Default::default()
            }],
            None,
        ),
    };
    // RFC 7946: coordinates are WGS84 lon/lat unless a (2008-style) crs member says otherwise.
    let declared_crs = declared_crs(crs_member.as_ref()).or_else(|| Some(Ok(Crs::wgs84())));

    let mut fields: Vec<String> = Vec::new();
    let mut field_pos = std::collections::HashMap::new();
    for f in &features {
        for k in f.properties.iter().flat_map(|p| p.keys()) {
            if !field_pos.contains_key(k) {
                field_pos.insert(k.clone(), fields.len());
                fields.push(k.clone());
            }
        }
    }
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let number = i + 1;
        let mut values = vec![AttrValue::Null; fields.len()];
        for (k, v) in f.properties.iter().flatten() {
            values[field_pos[k]] = AttrValue::from_json(v);
        }
        let geometry = match &f.geometry {
            None => None,
            Some(g) => {
                let unclosed = count_unclosed_rings(&g.value);
                if unclosed > 0 {
                    issues.push(Issue {
                        location: format!("feature {number}"),
                        message: format!("{unclosed} ring(s) not closed"),
                        action: "repaired (closed)".into(),
                    });
                }
                match geo_types::Geometry::<f64>::try_from(&g.value) {
                    Ok(g) => Some(g),
                    Err(e) => {
                        issues.push(Issue::unreadable_geometry(number, e));
                        None
                    }
                }
            }
        };
        out.push(SourceFeature {
            number,
            geometry,
            values,
        });
    }
    Ok(SourceLayer {
        format: "geojson".into(),
        fields,
        features: out,
        declared_crs,
        encoding: None,
        warnings: Vec::new(),
        issues,
    })
}
