//! Doors: addresses from Base Adresse Nationale CSV, OpenAddresses CSV and OpenStreetMap
//! (.osm.pbf objects with `addr:housenumber`), each assigned to its precinct with an R-tree.

use std::collections::HashMap;
use std::path::Path;

use geo_types::{Coord, MultiPolygon};
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::Issue;
use crate::model::import::crs::{self, Crs};
use crate::model::import::text::{TextTable, open_table};
use crate::model::progress::Progress;
use crate::model::spatial::PrecinctLocator;
use crate::model::storage::{self, addresses::NewAddress};

/// The address file shapes Porte reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressFormat {
    /// Base Adresse Nationale CSV (`numero`, `rep`, `nom_voie`, `lon`/`lat` or `x`/`y`).
    Ban,
    /// OpenAddresses CSV (`LON`, `LAT`, `NUMBER`, `STREET`, `UNIT`, `POSTCODE`, `CITY`).
    OpenAddresses,
    /// OpenStreetMap PBF: nodes, ways and relations tagged `addr:housenumber`.
    #[serde(rename = "osm-pbf")]
    OsmPbf,
}

impl AddressFormat {
    pub fn name(self) -> &'static str {
        match self {
            AddressFormat::Ban => "ban",
            AddressFormat::OpenAddresses => "openaddresses",
            AddressFormat::OsmPbf => "osm-pbf",
        }
    }
    pub fn parse(s: &str) -> Option<AddressFormat> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "ban" => Some(AddressFormat::Ban),
            "openaddresses" | "oa" => Some(AddressFormat::OpenAddresses),
            "osm" | "osmpbf" | "pbf" => Some(AddressFormat::OsmPbf),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct AddressImportOptions {
    /// Detected from the extension and the header when `None`.
    pub format: Option<AddressFormat>,
    /// CRS of projected x/y columns when the file has no lon/lat (BAN's x/y are Lambert-93).
    pub crs_epsg: Option<u32>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AddressImportReport {
    pub file: String,
    pub format: AddressFormat,
    pub encoding: Option<String>,
    /// Rows or objects read.
    pub rows: usize,
    pub imported: usize,
    pub in_precincts: usize,
    pub outside: usize,
    /// Addresses of an earlier import of the same file, replaced by this one.
    pub replaced: usize,
    /// Rows that could not be used (bad coordinates, no number), first 100 listed.
    pub skipped: usize,
    pub issues: Vec<Issue>,
    pub warnings: Vec<String>,
}

/// Addresses read from a file, before assignment.
pub struct ReadAddresses {
    pub format: AddressFormat,
    pub encoding: Option<String>,
    pub rows: usize,
    pub addresses: Vec<NewAddress>,
    pub skipped: usize,
    pub issues: Vec<Issue>,
    pub warnings: Vec<String>,
}

const MAX_LISTED_ISSUES: usize = 100;

fn detect_format(path: &Path, table: Option<&TextTable>) -> Option<AddressFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".pbf") {
        return Some(AddressFormat::OsmPbf);
    }
    let t = table?;
    if t.column("numero").is_some() && t.column("nom_voie").is_some() {
        return Some(AddressFormat::Ban);
    }
    if t.column("number").is_some() && t.column("street").is_some() {
        return Some(AddressFormat::OpenAddresses);
    }
    None
}

/// Reads addresses from any supported file.
pub fn read(
    path: &Path,
    opts: &AddressImportOptions,
    progress: &dyn Progress,
) -> ModelResult<ReadAddresses> {
    if !path.exists() {
        return Err(ImportError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        )
        .into());
    }
    let is_pbf = path
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".pbf");
    if opts.format == Some(AddressFormat::OsmPbf) || (opts.format.is_none() && is_pbf) {
        return read_osm_pbf(path, progress);
    }
    let table = open_table(path)?;
    let format = opts.format.or_else(|| detect_format(path, Some(&table))).ok_or_else(|| {
        ImportError::format(
            path,
            "",
            format!(
                "not a known address file: expected BAN columns (numero, nom_voie, lon, lat) or OpenAddresses columns (NUMBER, STREET, LON, LAT); found {}",
                table.headers.join(", ")
            ),
        )
    })?;
    read_csv(path, &table, format, opts, progress)
}

struct Columns {
    number: usize,
    suffix: Option<usize>,
    street: usize,
    postcode: Option<usize>,
    city: Option<usize>,
    id: Option<usize>,
    lon: Option<usize>,
    lat: Option<usize>,
    x: Option<usize>,
    y: Option<usize>,
}

fn read_csv(
    path: &Path,
    table: &TextTable,
    format: AddressFormat,
    opts: &AddressImportOptions,
    progress: &dyn Progress,
) -> ModelResult<ReadAddresses> {
    let col = |names: &[&str]| names.iter().find_map(|n| table.column(n));
    let need = |names: &[&str]| {
        col(names).ok_or_else(|| {
            ImportError::format(
                path,
                "row 1",
                format!(
                    "missing column {} (found {})",
                    names[0],
                    table.headers.join(", ")
                ),
            )
        })
    };
    let c = match format {
        AddressFormat::Ban => Columns {
            number: need(&["numero"])?,
            suffix: col(&["rep", "suffixe"]),
            street: need(&["nom_voie"])?,
            postcode: col(&["code_postal"]),
            city: col(&["nom_commune"]),
            id: col(&["id", "cle_interop"]),
            lon: col(&["lon", "long", "longitude"]),
            lat: col(&["lat", "latitude"]),
            x: col(&["x"]),
            y: col(&["y"]),
        },
        AddressFormat::OpenAddresses => Columns {
            number: need(&["number"])?,
            suffix: col(&["unit"]),
            street: need(&["street"])?,
            postcode: col(&["postcode"]),
            city: col(&["city"]),
            id: col(&["id", "hash"]),
            lon: col(&["lon", "longitude"]),
            lat: col(&["lat", "latitude"]),
            x: None,
            y: None,
        },
        AddressFormat::OsmPbf => unreachable!("PBF is not CSV"),
    };
    let use_lonlat = c.lon.is_some() && c.lat.is_some();
    let projected = if use_lonlat {
        None
    } else if let (Some(_), Some(_)) = (c.x, c.y) {
        // BAN's x/y are Lambert-93 in metropolitan France; other départements must say.
        let code = opts.crs_epsg.unwrap_or(2154);
        Some(Crs::from_epsg(code).map_err(|m| ImportError::format(path, "", m))?)
    } else {
        return Err(ImportError::format(
            path,
            "row 1",
            "no coordinates: expected lon/lat (or x/y) columns",
        )
        .into());
    };
    let wgs84 = crs::wgs84_proj();
    let total_len = table.text_len().max(1);
    let mut out = ReadAddresses {
        format,
        encoding: Some(table.encoding.to_string()),
        rows: 0,
        addresses: Vec::new(),
        skipped: 0,
        issues: Vec::new(),
        warnings: Vec::new(),
    };
    let skip = |out: &mut ReadAddresses, line: u64, message: String| {
        out.skipped += 1;
        if out.issues.len() < MAX_LISTED_ISSUES {
            out.issues.push(Issue {
                location: format!("row {line}"),
                message,
                action: "skipped".into(),
            });
        }
    };
    for (i, rec) in table.records().enumerate() {
        let rec = rec?;
        if rec.is_blank() {
            continue;
        }
        out.rows += 1;
        if i % 16384 == 0 {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            progress.set(
                0.5 * (rec.line as f32 * 60.0 / total_len as f32).min(1.0),
                "reading addresses",
            );
        }
        let number = rec.get(c.number);
        if number.is_empty() {
            skip(&mut out, rec.line, "no house number".into());
            continue;
        }
        let pos = if let Some(crs) = &projected {
            let (x, y) = (
                rec.get(c.x.unwrap_or(0)).parse::<f64>(),
                rec.get(c.y.unwrap_or(0)).parse::<f64>(),
            );
            match (x, y) {
                (Ok(x), Ok(y)) => crs.to_wgs84(Coord { x, y }, &wgs84).ok(),
                _ => None,
            }
        } else {
            let lon = rec.get(c.lon.unwrap_or(0)).replace(',', ".").parse::<f64>();
            let lat = rec.get(c.lat.unwrap_or(0)).replace(',', ".").parse::<f64>();
            match (lon, lat) {
                (Ok(x), Ok(y)) => Some(Coord { x, y }),
                _ => None,
            }
        };
        let Some(pos) =
            pos.filter(|p| p.x.abs() <= 180.0 && p.y.abs() <= 90.0 && (p.x, p.y) != (0.0, 0.0))
        else {
            skip(&mut out, rec.line, "missing or invalid coordinates".into());
            continue;
        };
        let opt = |i: Option<usize>| {
            i.map(|i| rec.get(i))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        out.addresses.push(NewAddress {
            pos_wgs84: pos,
            number: number.to_string(),
            suffix: opt(c.suffix),
            street: rec.get(c.street).to_string(),
            postcode: opt(c.postcode),
            city: opt(c.city),
            source_id: opt(c.id),
        });
    }
    if out.skipped > MAX_LISTED_ISSUES {
        out.warnings.push(format!(
            "{} rows skipped; the first {MAX_LISTED_ISSUES} are listed",
            out.skipped
        ));
    }
    Ok(out)
}

/// Reads nodes, ways and relations tagged `addr:housenumber` from an OSM extract (PBF, or XML
/// through the same shared reader); a way (a building) stands at the mean of its nodes, a
/// relation at the mean of its outer ways' nodes.
/// Two passes: the first finds the ways that address relations need.
fn read_osm_pbf(path: &Path, progress: &dyn Progress) -> ModelResult<ReadAddresses> {
    use crate::model::import::osm::{self, OsmElement};
    struct Pending {
        id: String,
        tags: HashMap<String, String>,
        pos: Option<Coord<f64>>,
        node_refs: Vec<i64>,
    }
    let keep = |tags: &osm::Tags<'_>| -> Option<HashMap<String, String>> {
        let map: HashMap<String, String> = tags
            .iter()
            .filter(|(k, _)| k.starts_with("addr:"))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.contains_key("addr:housenumber").then_some(map)
    };
    // Pass 1: relations with an address, and the ways they are made of.
    let mut relation_ways: HashMap<i64, Vec<i64>> = HashMap::new();
    osm::for_each_element(path, progress, |el| {
        if let OsmElement::Relation { id, way_ids, tags } = el
            && osm::tag(tags, "addr:housenumber").is_some()
        {
            relation_ways.insert(id, way_ids.to_vec());
        }
    })?;
    let needed_ways: std::collections::HashSet<i64> =
        relation_ways.values().flatten().copied().collect();
    let mut way_refs: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut node_pos: HashMap<i64, Coord<f64>> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    osm::for_each_element(path, progress, |el| match el {
        OsmElement::Node {
            id,
            pos_wgs84,
            tags,
        } => {
            // Remember every node's position (ways need it), and keep it when it has an address.
            node_pos.insert(id, pos_wgs84);
            if let Some(tags) = keep(tags) {
                pending.push(Pending {
                    id: format!("node/{id}"),
                    tags,
                    pos: Some(pos_wgs84),
                    node_refs: vec![],
                });
            }
        }
        OsmElement::Way { id, node_ids, tags } => {
            if needed_ways.contains(&id) {
                way_refs.insert(id, node_ids.to_vec());
            }
            if let Some(tags) = keep(tags) {
                pending.push(Pending {
                    id: format!("way/{id}"),
                    tags,
                    pos: None,
                    node_refs: node_ids.to_vec(),
                });
            }
        }
        OsmElement::Relation { id, tags, .. } => {
            if let (Some(ways), Some(tags)) = (relation_ways.get(&id), keep(tags)) {
                let node_refs = ways
                    .iter()
                    .filter_map(|w| way_refs.get(w))
                    .flatten()
                    .copied()
                    .collect();
                pending.push(Pending {
                    id: format!("relation/{id}"),
                    tags,
                    pos: None,
                    node_refs,
                });
            }
        }
    })?;
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    let mut out = ReadAddresses {
        format: AddressFormat::OsmPbf,
        encoding: None,
        rows: pending.len(),
        addresses: Vec::new(),
        skipped: 0,
        issues: Vec::new(),
        warnings: Vec::new(),
    };
    for p in pending {
        let pos = p.pos.or_else(|| {
            let pts: Vec<Coord<f64>> = p
                .node_refs
                .iter()
                .filter_map(|r| node_pos.get(r).copied())
                .collect();
            (!pts.is_empty()).then(|| {
                let n = pts.len() as f64;
                Coord {
                    x: pts.iter().map(|c| c.x).sum::<f64>() / n,
                    y: pts.iter().map(|c| c.y).sum::<f64>() / n,
                }
            })
        });
        let Some(pos) = pos else {
            out.skipped += 1;
            if out.issues.len() < MAX_LISTED_ISSUES {
                out.issues.push(Issue {
                    location: p.id,
                    message: "none of its nodes is in the extract".into(),
                    action: "skipped".into(),
                });
            }
            continue;
        };
        let street = p
            .tags
            .get("addr:street")
            .or_else(|| p.tags.get("addr:place"))
            .cloned()
            .unwrap_or_default();
        // Several numbers on one building ("12;14" or "12-14") make several doors.
        for number in p.tags["addr:housenumber"]
            .split([';', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (num, suffix) = split_number(number);
            out.addresses.push(NewAddress {
                pos_wgs84: pos,
                number: num,
                suffix,
                street: street.clone(),
                postcode: p.tags.get("addr:postcode").cloned(),
                city: p.tags.get("addr:city").cloned(),
                source_id: Some(p.id.clone()),
            });
        }
    }
    Ok(out)
}

/// "12bis" → ("12", Some("bis")); "7" → ("7", None).
fn split_number(s: &str) -> (String, Option<String>) {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return (s.to_string(), None);
    }
    let rest = s[digits.len()..].trim();
    (digits, (!rest.is_empty()).then(|| rest.to_string()))
}

/// Assigns each address to a precinct; returns the code per address.
pub fn assign<'a>(
    addresses: &[NewAddress],
    precincts: &'a [(String, MultiPolygon<f64>)],
) -> Vec<Option<&'a str>> {
    let locator = PrecinctLocator::new(precincts.iter().map(|(_, g)| g).collect());
    let locate = |a: &NewAddress| locator.locate(a.pos_wgs84).map(|i| precincts[i].0.as_str());
    // Two threads: point-in-polygon is the costly part on a city of 150,000 doors.
    let half = addresses.len() / 2;
    std::thread::scope(|s| {
        let second = s.spawn(|| addresses[half..].iter().map(locate).collect::<Vec<_>>());
        let mut first: Vec<_> = addresses[..half].iter().map(locate).collect();
        first.extend(second.join().expect("assignment thread"));
        first
    })
}

impl Campaign {
    /// Imports the doors of `file`, replacing those of an earlier import of the same file name,
    /// and assigns each to its precinct. One transaction.
    pub fn import_addresses(
        &mut self,
        file: &Path,
        opts: &AddressImportOptions,
        progress: &dyn Progress,
    ) -> ModelResult<AddressImportReport> {
        progress.set(0.0, "reading addresses");
        let read = read(file, opts, progress)?;
        if read.addresses.is_empty() {
            return Err(ImportError::format(
                file,
                "",
                format!(
                    "no usable address among {} rows ({} skipped)",
                    read.rows, read.skipped
                ),
            )
            .into());
        }
        progress.set(0.5, "assigning addresses to precincts");
        let precincts: Vec<(String, MultiPolygon<f64>)> = self
            .precincts()?
            .into_iter()
            .map(|p| (p.code, p.geom_wgs84))
            .collect();
        let codes = assign(&read.addresses, &precincts);
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        let source = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string());
        let in_precincts = codes.iter().filter(|c| c.is_some()).count();
        let mut report = AddressImportReport {
            file: file.display().to_string(),
            format: read.format,
            encoding: read.encoding,
            rows: read.rows,
            imported: read.addresses.len(),
            in_precincts,
            outside: read.addresses.len() - in_precincts,
            replaced: 0,
            skipped: read.skipped,
            issues: read.issues,
            warnings: read.warnings,
        };
        if precincts.is_empty() {
            report.warnings.push("the campaign has no precincts yet: addresses will be assigned when precincts are imported".into());
        }
        self.in_transaction(|tx| {
            report.replaced = storage::addresses::delete_source(tx, &source)?;
            storage::addresses::insert_batch(tx, &source, &read.addresses, &codes, progress)?;
            let bbox = storage::addresses::extent(tx)?;
            storage::gpkg::refresh_extent(tx, "addresses", bbox)?;
            storage::import_log::append(tx, "addresses", &report.file, &report)?;
            Ok(())
        })?;
        progress.set(1.0, "done");
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_numbers_split_into_number_and_suffix() {
        assert_eq!(split_number("12bis"), ("12".into(), Some("bis".into())));
        assert_eq!(split_number("7"), ("7".into(), None));
        assert_eq!(split_number("12 B"), ("12".into(), Some("B".into())));
        assert_eq!(split_number("Ferme"), ("Ferme".into(), None));
    }
}
