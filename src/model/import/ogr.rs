//! Any OGR vector format through the system GDAL (cargo feature `gdal`): first layer or a named
//! one, fields, geometries and the layer's spatial reference.

use std::path::Path;

use gdal::Dataset;
use gdal::vector::{FieldValue, LayerAccess};

use crate::model::error::ImportError;
use crate::model::import::Issue;
use crate::model::import::crs::Crs;
use crate::model::import::features::{AttrValue, SourceFeature, SourceLayer};

fn value(v: Option<FieldValue>) -> AttrValue {
    match v {
        None => AttrValue::Null,
        Some(FieldValue::IntegerValue(i)) => AttrValue::Int(i as i64),
        Some(FieldValue::Integer64Value(i)) => AttrValue::Int(i),
        Some(FieldValue::RealValue(f)) => AttrValue::Float(f),
        Some(FieldValue::StringValue(s)) => AttrValue::Text(s),
        Some(FieldValue::DateValue(d)) => AttrValue::Text(d.to_string()),
        Some(FieldValue::DateTimeValue(d)) => AttrValue::Text(d.to_string()),
        Some(other) => AttrValue::Text(format!("{other:?}")),
    }
}

pub fn read(path: &Path, layer_name: Option<&str>) -> Result<SourceLayer, ImportError> {
    let fail = |m: String| ImportError::format(path, "", m);
    let ds = Dataset::open(path).map_err(|e| fail(format!("GDAL cannot open it ({e})")))?;
    let driver = ds.driver().short_name();
    let mut layer = match layer_name {
        Some(n) => ds.layer_by_name(n),
        None => ds.layer(0),
    }
    .map_err(|e| fail(format!("no usable layer ({e})")))?;
    let declared_crs = layer.spatial_ref().map(|srs| match srs.auth_code() {
        Ok(code)
            if srs
                .auth_name()
                .is_some_and(|a| a.eq_ignore_ascii_case("EPSG")) =>
        {
            Crs::from_epsg(code as u32)
        }
        _ => srs
            .to_wkt()
            .map_err(|e| e.to_string())
            .and_then(|w| Crs::from_wkt(&w)),
    });
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let mut features = Vec::new();
    let mut issues = Vec::new();
    for (i, f) in layer.features().enumerate() {
        let number = i + 1;
        let values = (0..fields.len())
            .map(|k| value(f.field(k).ok().flatten()))
            .collect();
        let geometry = match f.geometry().map(|g| g.to_geo()) {
            None => None,
            Some(Ok(g)) => Some(g),
            Some(Err(e)) => {
                issues.push(Issue::unreadable_geometry(number, e));
                None
            }
        };
        features.push(SourceFeature {
            number,
            geometry,
            values,
        });
    }
    Ok(SourceLayer {
        format: format!("ogr:{driver}"),
        fields,
        features,
        declared_crs,
        encoding: None,
        warnings: Vec::new(),
        issues,
    })
}
