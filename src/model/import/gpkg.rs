//! GeoPackage reader (through rusqlite, no GDAL): one feature table, its geometry column and
//! its spatial reference system from `gpkg_spatial_ref_sys`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, types::ValueRef};

use crate::model::error::ImportError;
use crate::model::import::Issue;
use crate::model::import::crs::Crs;
use crate::model::import::features::{AttrValue, SourceFeature, SourceLayer};
use crate::model::storage::gpkg;

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub fn read(path: &Path, layer: Option<&str>) -> Result<SourceLayer, ImportError> {
    let fail = |m: String| ImportError::format(path, "", m);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail(format!("cannot open as a GeoPackage ({e})")))?;
    let mut st = conn
        .prepare(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
             WHERE c.data_type = 'features' ORDER BY c.table_name",
        )
        .map_err(|e| fail(format!("not a GeoPackage: no feature tables ({e})")))?;
    let layers: Vec<(String, String, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| fail(format!("unreadable GeoPackage contents ({e})")))?;
    let names = || {
        layers
            .iter()
            .map(|l| l.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (table, geom_col, srs_id) = match layer {
        Some(name) => layers
            .iter()
            .find(|l| l.0 == name)
            .cloned()
            .ok_or_else(|| fail(format!("no layer \"{name}\" (layers: {})", names())))?,
        None => layers
            .first()
            .cloned()
            .ok_or_else(|| fail("the GeoPackage has no feature layer".into()))?,
    };
    let mut warnings = Vec::new();
    if layer.is_none() && layers.len() > 1 {
        warnings.push(format!(
            "{} layers ({}); read \"{table}\" (choose another with the layer option)",
            layers.len(),
            names()
        ));
    }
    let srs: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok();
    let declared_crs = match srs {
        Some((org, code, _)) if org.eq_ignore_ascii_case("EPSG") && code > 0 => {
            Some(Crs::from_epsg(code as u32))
        }
        Some((_, _, def)) if def != "undefined" => Some(Crs::from_wkt(&def)),
        _ => None,
    };

    let mut st = conn
        .prepare(&format!("SELECT * FROM {}", quote_ident(&table)))
        .map_err(|e| fail(format!("cannot read layer {table} ({e})")))?;
    let columns: Vec<String> = st.column_names().map(|s| s.to_string()).collect();
    let geom_idx = columns.iter().position(|c| *c == geom_col);
    let pk: Option<String> = conn
        .query_row(
            &format!(
                "SELECT name FROM pragma_table_info({}) WHERE pk = 1",
                quote_ident(&table).replace('"', "'")
            ),
            [],
            |r| r.get(0),
        )
        .ok();
    let attr_idx: Vec<usize> = (0..columns.len())
        .filter(|i| Some(*i) != geom_idx && pk.as_deref() != Some(columns[*i].as_str()))
        .collect();
    let fields = attr_idx.iter().map(|i| columns[*i].clone()).collect();
    let mut rows = st
        .query([])
        .map_err(|e| fail(format!("cannot read layer {table} ({e})")))?;
    let mut features = Vec::new();
    let mut issues = Vec::new();
    while let Some(row) = rows
        .next()
        .map_err(|e| fail(format!("cannot read layer {table} ({e})")))?
    {
        let number = features.len() + 1;
        let values = attr_idx
            .iter()
            .map(|i| match row.get_ref(*i) {
                Ok(ValueRef::Integer(v)) => AttrValue::Int(v),
                Ok(ValueRef::Real(v)) => AttrValue::Float(v),
                Ok(ValueRef::Text(t)) => AttrValue::Text(String::from_utf8_lossy(t).into_owned()),
                _ => AttrValue::Null,
            })
            .collect();
        let geometry = match geom_idx.map(|i| row.get_ref(i)) {
            Some(Ok(ValueRef::Blob(b))) => match gpkg::decode(b) {
                Ok(g) => Some(g),
                Err(e) => {
                    issues.push(Issue::unreadable_geometry(number, e));
                    None
                }
            },
            _ => None,
        };
        features.push(SourceFeature {
            number,
            geometry,
            values,
        });
    }
    Ok(SourceLayer {
        format: "gpkg".into(),
        fields,
        features,
        declared_crs,
        encoding: None,
        warnings,
        issues,
    })
}
