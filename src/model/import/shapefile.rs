//! ESRI Shapefile reader (.shp/.shx/.dbf/.prj/.cpg): geometries through the `shapefile` crate,
//! attributes in the encoding the .cpg names, or detected (UTF-8, else Windows-1252/Latin-1).

use std::fs::File;
use std::io::{BufReader, Cursor};
use std::path::Path;

use shapefile::dbase::{self, FieldValue};

use crate::model::error::ImportError;
use crate::model::import::Issue;
use crate::model::import::crs::Crs;
use crate::model::import::features::{AttrValue, SourceFeature, SourceLayer};

/// The encoding a `.cpg` file names, if Porte knows it.
fn encoding_from_cpg(label: &str) -> Option<&'static encoding_rs::Encoding> {
    let l = label
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase();
    let l = l.strip_prefix("ansi ").unwrap_or(&l);
    match l {
        "65001" | "utf8" | "utf-8" => Some(encoding_rs::UTF_8),
        "1252" | "cp1252" | "88591" | "8859-1" | "8859_1" | "iso88591" | "latin1" | "latin-1" => {
            Some(encoding_rs::WINDOWS_1252)
        }
        other => encoding_rs::Encoding::for_label(other.as_bytes()),
    }
}

/// Chooses the DBF text encoding: the .cpg when present and consistent with the bytes, else
/// UTF-8 when every record byte is valid UTF-8, else Windows-1252 (a superset of Latin-1).
fn choose_encoding(
    dbf_bytes: &[u8],
    cpg: Option<&str>,
    warnings: &mut Vec<String>,
) -> (&'static encoding_rs::Encoding, String) {
    let header_len = dbf_bytes
        .get(8..10)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
        .unwrap_or(0);
    let records = dbf_bytes.get(header_len..).unwrap_or(&[]);
    let is_utf8 = std::str::from_utf8(records.strip_suffix(&[0x1a]).unwrap_or(records)).is_ok();
    if let Some(label) = cpg {
        match encoding_from_cpg(label) {
            Some(enc) if enc == encoding_rs::UTF_8 && !is_utf8 => {
                warnings.push(format!(
                    "the .cpg says {} but the attributes are not valid UTF-8; read as Windows-1252",
                    label.trim()
                ));
                return (encoding_rs::WINDOWS_1252, "windows-1252 (detected)".into());
            }
            Some(enc) => return (enc, format!("{} (from .cpg)", enc.name())),
            None => warnings.push(format!(
                "unknown encoding \"{}\" in the .cpg; detecting it instead",
                label.trim()
            )),
        }
    }
    if is_utf8 {
        (encoding_rs::UTF_8, "UTF-8 (detected)".into())
    } else {
        (encoding_rs::WINDOWS_1252, "windows-1252 (detected)".into())
    }
}

fn field_value(v: Option<&FieldValue>) -> AttrValue {
    match v {
        None => AttrValue::Null,
        Some(FieldValue::Character(s)) => s
            .as_ref()
            .map(|s| AttrValue::Text(s.trim_end().to_string()))
            .unwrap_or(AttrValue::Null),
        Some(FieldValue::Memo(s)) => AttrValue::Text(s.clone()),
        Some(FieldValue::Numeric(n)) => n.map(float_or_int).unwrap_or(AttrValue::Null),
        Some(FieldValue::Float(n)) => n.map(|f| float_or_int(f as f64)).unwrap_or(AttrValue::Null),
        Some(FieldValue::Double(f)) | Some(FieldValue::Currency(f)) => float_or_int(*f),
        Some(FieldValue::Integer(i)) => AttrValue::Int(*i as i64),
        Some(FieldValue::Logical(b)) => b.map(AttrValue::Bool).unwrap_or(AttrValue::Null),
        Some(FieldValue::Date(d)) => d
            .map(|d| AttrValue::Text(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())))
            .unwrap_or(AttrValue::Null),
        Some(FieldValue::DateTime(dt)) => AttrValue::Text(format!("{dt:?}")),
    }
}

fn float_or_int(f: f64) -> AttrValue {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9e15 {
        AttrValue::Int(f as i64)
    } else {
        AttrValue::Float(f)
    }
}

/// Reads a shapefile given the path of any of its parts.
pub fn read(path: &Path) -> Result<SourceLayer, ImportError> {
    let shp = path.with_extension("shp");
    let dbf = path.with_extension("dbf");
    let mut warnings = Vec::new();
    if !shp.exists() {
        return Err(ImportError::format(
            &shp,
            "",
            "the .shp part of the shapefile is missing",
        ));
    }
    if !dbf.exists() {
        return Err(ImportError::format(
            &dbf,
            "",
            "the .dbf part of the shapefile (its attributes) is missing",
        ));
    }
    let dbf_bytes = std::fs::read(&dbf).map_err(|e| ImportError::io(&dbf, e))?;
    let cpg = std::fs::read_to_string(path.with_extension("cpg")).ok();
    let (encoding, encoding_label) = choose_encoding(&dbf_bytes, cpg.as_deref(), &mut warnings);
    let declared_crs = std::fs::read_to_string(path.with_extension("prj"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|wkt| Crs::from_wkt(&wkt).map_err(|e| format!("the .prj is not usable: {e}")));

    let damaged = |p: &Path, e: &dyn std::fmt::Display| {
        ImportError::format(p, "", format!("damaged shapefile ({e})"))
    };
    let dbase_reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .build(Cursor::new(dbf_bytes))
        .map_err(|e| damaged(&dbf, &e))?;
    let fields: Vec<String> = dbase_reader
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .filter(|n| n != "DeletionFlag")
        .collect();
    let shape_reader: shapefile::ShapeReader<BufReader<File>> =
        shapefile::ShapeReader::from_path(&shp).map_err(|e| damaged(&shp, &e))?;
    let mut reader = shapefile::Reader::new(shape_reader, dbase_reader);

    let mut features = Vec::new();
    let mut issues = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let number = i + 1;
        let (shape, record) = item.map_err(|e| {
            ImportError::format(
                &shp,
                format!("feature {number}"),
                format!("cannot read the shape or its attributes ({e}); the file looks truncated or damaged"),
            )
        })?;
        let values = fields.iter().map(|f| field_value(record.get(f))).collect();
        let geometry = match shape {
            shapefile::Shape::NullShape => None,
            shape => match geo_types::Geometry::<f64>::try_from(shape) {
                Ok(g) => Some(g),
                Err(e) => {
                    issues.push(Issue::unreadable_geometry(number, e));
                    None
                }
            },
        };
        features.push(SourceFeature {
            number,
            geometry,
            values,
        });
    }
    Ok(SourceLayer {
        format: "shapefile".into(),
        fields,
        features,
        declared_crs,
        encoding: Some(encoding_label),
        warnings,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dbf_with(record_bytes: &[u8]) -> Vec<u8> {
        let mut v = vec![0u8; 32];
        v[8] = 32;
        v.extend_from_slice(record_bytes);
        v
    }

    #[test]
    fn detects_latin1_and_utf8_and_honours_cpg() {
        let mut w = Vec::new();
        let latin1 = dbf_with(b" \xc9cole Jean-Jaur\xe8s");
        assert_eq!(
            choose_encoding(&latin1, None, &mut w).0,
            encoding_rs::WINDOWS_1252
        );
        let utf8 = dbf_with("  École".as_bytes());
        assert_eq!(choose_encoding(&utf8, None, &mut w).0, encoding_rs::UTF_8);
        assert!(w.is_empty());
        assert_eq!(
            choose_encoding(&utf8, Some("ISO-8859-1"), &mut w).0,
            encoding_rs::WINDOWS_1252
        );
        // A .cpg that lies about UTF-8 is overridden with a warning.
        assert_eq!(
            choose_encoding(&latin1, Some("UTF-8"), &mut w).0,
            encoding_rs::WINDOWS_1252
        );
        assert_eq!(w.len(), 1);
        assert_eq!(
            encoding_from_cpg("ANSI 1252"),
            Some(encoding_rs::WINDOWS_1252)
        );
    }
}
