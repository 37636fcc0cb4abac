//! The format-neutral vector layer every reader produces: geometries in the file's own CRS,
//! attributes as typed values, and what the file declares about its CRS and text encoding.

use std::path::Path;

use geo_types::Geometry;

use crate::model::error::ImportError;
use crate::model::import::Issue;
use crate::model::import::crs::{Crs, RawBbox};

/// An attribute value as read from a file.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl AttrValue {
    /// The value as a key or label: integers without a decimal point, floats that are whole
    /// numbers as integers (DBF numeric fields often read back as `12.0`), trimmed text.
    pub fn as_key(&self) -> Option<String> {
        match self {
            AttrValue::Null => None,
            AttrValue::Text(s) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_string())
            }
            AttrValue::Int(i) => Some(i.to_string()),
            AttrValue::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
                Some(format!("{}", *f as i64))
            }
            AttrValue::Float(f) => Some(f.to_string()),
            AttrValue::Bool(b) => Some(b.to_string()),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            AttrValue::Null => serde_json::Value::Null,
            AttrValue::Text(s) => serde_json::Value::String(s.clone()),
            AttrValue::Int(i) => (*i).into(),
            AttrValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            AttrValue::Bool(b) => (*b).into(),
        }
    }

    pub fn from_json(v: &serde_json::Value) -> AttrValue {
        match v {
            serde_json::Value::Null => AttrValue::Null,
            serde_json::Value::Bool(b) => AttrValue::Bool(*b),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(AttrValue::Int)
                .unwrap_or_else(|| AttrValue::Float(n.as_f64().unwrap_or(f64::NAN))),
            serde_json::Value::String(s) => AttrValue::Text(s.clone()),
            other => AttrValue::Text(other.to_string()),
        }
    }
}

/// One feature, numbered from 1 in file order.
#[derive(Clone, Debug)]
pub struct SourceFeature {
    pub number: usize,
    /// `None` for a null or unreadable geometry (the reader adds an [`Issue`]).
    pub geometry: Option<Geometry<f64>>,
    /// Values in the order of [`SourceLayer::fields`].
    pub values: Vec<AttrValue>,
}

/// A whole layer as read from a file.
pub struct SourceLayer {
    /// "shapefile", "geojson", "gpkg", "ogr:<driver>".
    pub format: String,
    pub fields: Vec<String>,
    pub features: Vec<SourceFeature>,
    /// What the file says about its CRS: `None` when it says nothing, `Some(Err)` when it says
    /// something Porte cannot use.
    pub declared_crs: Option<Result<Crs, String>>,
    /// Text encoding of the attributes when the reader had to choose one.
    pub encoding: Option<String>,
    pub warnings: Vec<String>,
    pub issues: Vec<Issue>,
}

impl SourceLayer {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name).or_else(|| {
            self.fields
                .iter()
                .position(|f| f.eq_ignore_ascii_case(name))
        })
    }

    /// Extent of the raw coordinates, ignoring non-finite values.
    pub fn raw_bbox(&self) -> Option<RawBbox> {
        use geo::CoordsIter;
        let mut b: Option<RawBbox> = None;
        for f in &self.features {
            let Some(g) = &f.geometry else { continue };
            for c in g.coords_iter() {
                if !c.x.is_finite() || !c.y.is_finite() {
                    continue;
                }
                let bb = b.get_or_insert([c.x, c.y, c.x, c.y]);
                bb[0] = bb[0].min(c.x);
                bb[1] = bb[1].min(c.y);
                bb[2] = bb[2].max(c.x);
                bb[3] = bb[3].max(c.y);
            }
        }
        b
    }
}

/// Reads any supported vector file, choosing the reader from the extension.
pub fn read_layer(path: &Path, layer: Option<&str>) -> Result<SourceLayer, ImportError> {
    if !path.exists() {
        return Err(ImportError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "shp" | "dbf" | "shx" => crate::model::import::shapefile::read(path),
        "geojson" | "json" => crate::model::import::geojson::read(path),
        "gpkg" => crate::model::import::gpkg::read(path, layer),
        _ => read_other(path, layer, &ext),
    }
}

#[cfg(feature = "gdal")]
fn read_other(path: &Path, layer: Option<&str>, _ext: &str) -> Result<SourceLayer, ImportError> {
    crate::model::import::ogr::read(path, layer)
}

#[cfg(not(feature = "gdal"))]
fn read_other(path: &Path, _layer: Option<&str>, ext: &str) -> Result<SourceLayer, ImportError> {
    Err(ImportError::Unsupported {
        path: path.to_path_buf(),
        message: format!(
            "\".{ext}\" files are read through GDAL, and this build of Porte has no GDAL: convert it to a shapefile, GeoJSON or GeoPackage, or build with --features gdal"
        ),
    })
}
