//! Coordinate reference systems: what a file declares (.prj WKT, GeoJSON `crs`, GPKG srs, or a
//! user override), whether its coordinates agree, and reprojection to WGS84 with proj4rs.
//!
//! Declared CRSs are resolved to an EPSG code when the WKT names one (`AUTHORITY`/`ID`, or a
//! well-known name such as `RGF93_Lambert_93`), else to a PROJ string built from the WKT's
//! projection parameters. [`resolve`] then checks the coordinates against it: lon/lat values
//! under a projected CRS, or metres under a geographic one, produce a warning and the CRS the
//! coordinates prove; a layer that would land outside the CRS's area of use is flagged.

use geo::MapCoords;
use geo_types::{Coord, Geometry};
use proj4rs::Proj;

/// A CRS ready to reproject from.
pub struct Crs {
    /// "EPSG:2154", or "custom (Lambert_Conformal_Conic)" for an unnamed WKT.
    pub label: String,
    pub epsg: Option<u32>,
    proj: Proj,
    pub is_geographic: bool,
}

impl std::fmt::Debug for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Crs({})", self.label)
    }
}

impl Crs {
    pub fn wgs84() -> Crs {
        Crs::from_epsg(4326).expect("EPSG:4326 is known")
    }

    pub fn from_epsg(code: u32) -> Result<Crs, String> {
        let code16 = u16::try_from(code).map_err(|_| format!("EPSG:{code} is not supported"))?;
        let proj = Proj::from_epsg_code(code16)
            .map_err(|e| format!("EPSG:{code} is not a known CRS ({e})"))?;
        Ok(Crs {
            label: format!("EPSG:{code}"),
            epsg: Some(code),
            is_geographic: proj.is_latlong(),
            proj,
        })
    }

    pub fn from_proj_string(label: String, proj_string: &str) -> Result<Crs, String> {
        let proj = Proj::from_proj_string(proj_string)
            .map_err(|e| format!("unsupported projection {proj_string} ({e})"))?;
        Ok(Crs {
            label,
            epsg: None,
            is_geographic: proj.is_latlong(),
            proj,
        })
    }

    /// Reads a WKT (ESRI .prj, OGC WKT1 or WKT2) into a CRS.
    pub fn from_wkt(wkt: &str) -> Result<Crs, String> {
        if let Some(code) = epsg_from_wkt(wkt)
            && let Ok(crs) = Crs::from_epsg(code)
        {
            return Ok(crs);
        }
        let (label, proj_string) = proj_string_from_wkt(wkt)
            .ok_or_else(|| format!("unrecognised CRS definition: {}", abbreviate(wkt)))?;
        Crs::from_proj_string(label, &proj_string)
    }

    /// Reprojects one coordinate to WGS84 lon/lat degrees.
    pub fn to_wgs84(&self, c: Coord<f64>, wgs84: &Proj) -> Result<Coord<f64>, String> {
        if self.epsg == Some(4326) {
            return Ok(c);
        }
        let mut p = if self.is_geographic {
            (c.x.to_radians(), c.y.to_radians(), 0.0)
        } else {
            (c.x, c.y, 0.0)
        };
        proj4rs::transform::transform(&self.proj, wgs84, &mut p)
            .map_err(|e| format!("cannot reproject ({}, {}): {e}", c.x, c.y))?;
        Ok(Coord {
            x: p.0.to_degrees(),
            y: p.1.to_degrees(),
        })
    }

    /// Reprojects a geometry in place to WGS84.
    pub fn geometry_to_wgs84(&self, g: &Geometry<f64>) -> Result<Geometry<f64>, String> {
        if self.epsg == Some(4326) {
            return Ok(g.clone());
        }
        let wgs84 = wgs84_proj();
        g.try_map_coords(|c| self.to_wgs84(c, &wgs84))
    }

    /// Reprojects a WGS84 coordinate into this CRS (used by the sample city and tests).
    pub fn from_wgs84(&self, c: Coord<f64>) -> Result<Coord<f64>, String> {
        let wgs84 = wgs84_proj();
        let mut p = (c.x.to_radians(), c.y.to_radians(), 0.0);
        proj4rs::transform::transform(&wgs84, &self.proj, &mut p)
            .map_err(|e| format!("cannot project ({}, {}): {e}", c.x, c.y))?;
        Ok(if self.is_geographic {
            Coord {
                x: p.0.to_degrees(),
                y: p.1.to_degrees(),
            }
        } else {
            Coord { x: p.0, y: p.1 }
        })
    }
}

pub fn wgs84_proj() -> Proj {
    Proj::from_epsg_code(4326).expect("EPSG:4326 is known")
}

fn abbreviate(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The EPSG code a WKT declares for its root CRS (the last `AUTHORITY["EPSG",…]` or
/// `ID["EPSG",…]`), or one implied by a well-known CRS name.
pub fn epsg_from_wkt(wkt: &str) -> Option<u32> {
    let upper = wkt.to_ascii_uppercase();
    for key in ["AUTHORITY[\"EPSG\",", "ID[\"EPSG\","] {
        if let Some(pos) = upper.rfind(key) {
            let rest = &upper[pos + key.len()..];
            let digits: String = rest
                .trim_start_matches([' ', '"'])
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            // The root's authority is the last one only if it closes the root object.
            let tail = rest.split_once(']').map(|(_, t)| t).unwrap_or("");
            if !digits.is_empty() && tail.trim().trim_matches(']').trim().is_empty() {
                return digits.parse().ok();
            }
        }
    }
    epsg_from_name(&root_name(wkt)?)
}

/// The name of the root object: `PROJCS["RGF93_Lambert_93",...` gives `RGF93_Lambert_93`.
fn root_name(wkt: &str) -> Option<String> {
    let start = wkt.find('[')?;
    let rest = &wkt[start + 1..];
    let rest = rest.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// EPSG codes of CRSs commonly written by name only (ESRI .prj files).
pub fn epsg_from_name(name: &str) -> Option<u32> {
    let n: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let n = n
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let known: &[(&str, u32)] = &[
        ("rgf93_lambert_93", 2154),
        ("rgf_1993_lambert_93", 2154),
        ("rgf93_v1_lambert_93", 2154),
        ("wgs_84_pseudo_mercator", 3857),
        ("wgs_1984_web_mercator_auxiliary_sphere", 3857),
        ("wgs_1984_web_mercator", 3857),
        ("gcs_wgs_1984", 4326),
        ("wgs_84", 4326),
        ("wgs84", 4326),
        ("gcs_north_american_1983", 4269),
        ("nad83", 4269),
        ("gcs_rgf_1993", 4171),
        ("rgf93", 4171),
        ("gcs_etrs_1989", 4258),
        ("etrs89", 4258),
    ];
    if let Some((_, code)) = known.iter().find(|(k, _)| *k == n) {
        return Some(*code);
    }
    // RGF93 conic conformal zones CC42..CC50 (EPSG 3942..3950).
    if let Some(idx) = n.find("cc")
        && n.starts_with("rgf")
    {
        let zone: String = n[idx + 2..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if let Ok(z) = zone.parse::<u32>()
            && (42..=50).contains(&z)
        {
            return Some(3900 + z);
        }
    }
    // UTM zones: WGS 84 (326zz north, 327zz south), NAD83 (269zz), ETRS89 (258zz).
    if let Some(idx) = n.find("utm_zone_") {
        let rest = &n[idx + 9..];
        let zone: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let hemi = rest[zone.len()..].chars().next().unwrap_or('n');
        let z: u32 = zone.parse().ok()?;
        if !(1..=60).contains(&z) {
            return None;
        }
        let south = hemi == 's';
        if n.contains("nad83") || n.contains("nad_1983") || n.contains("north_american_1983") {
            return (!south && z <= 23).then_some(26900 + z);
        }
        if n.contains("etrs") {
            return (!south && (28..=38).contains(&z)).then_some(25800 + z);
        }
        if n.contains("wgs") {
            return Some(if south { 32700 + z } else { 32600 + z });
        }
    }
    None
}

/// A PROJ string for an ESRI/OGC WKT1 without a usable EPSG code, for the common projections.
pub fn proj_string_from_wkt(wkt: &str) -> Option<(String, String)> {
    let lower = wkt.to_ascii_lowercase();
    let param = |name: &str| -> Option<f64> {
        let key = format!("parameter[\"{name}\",");
        let pos = lower.find(&key)?;
        let rest = &lower[pos + key.len()..];
        rest[..rest.find(']')?].trim().parse().ok()
    };
    let (a, rf) = {
        let pos = lower
            .find("spheroid[")
            .or_else(|| lower.find("ellipsoid["))?;
        let rest = &lower[pos..];
        let inner = &rest[rest.find(',')? + 1..rest.find(']')?];
        let mut it = inner.split(',').map(|s| s.trim().parse::<f64>());
        (it.next()?.ok()?, it.next()?.ok()?)
    };
    let ellps = if rf == 0.0 {
        format!("+a={a} +b={a}")
    } else {
        format!("+a={a} +rf={rf}")
    };
    let towgs84 = {
        let pos = lower.find("towgs84[");
        pos.and_then(|p| {
            let rest = &lower[p + 8..];
            Some(format!(
                " +towgs84={}",
                rest[..rest.find(']')?].replace(' ', "")
            ))
        })
        .unwrap_or_default()
    };
    if !lower.contains("projection[") {
        return lower.starts_with("geogcs").then(|| {
            (
                "custom (geographic)".to_string(),
                format!("+proj=longlat {ellps}{towgs84} +no_defs"),
            )
        });
    }
    // Linear unit of the projected CRS: the last UNIT of the root.
    let to_meter = {
        let pos = lower.rfind("unit[")?;
        let rest = &lower[pos..];
        let inner = &rest[rest.find(',')? + 1..rest.find(']')?];
        inner
            .split(',')
            .next()?
            .trim()
            .parse::<f64>()
            .unwrap_or(1.0)
    };
    let get = |names: &[&str], default: f64| names.iter().find_map(|n| param(n)).unwrap_or(default);
    let x0 = get(&["false_easting"], 0.0) * to_meter;
    let y0 = get(&["false_northing"], 0.0) * to_meter;
    let lon0 = get(
        &[
            "central_meridian",
            "longitude_of_origin",
            "longitude_of_center",
        ],
        0.0,
    );
    let lat0 = get(&["latitude_of_origin", "latitude_of_center"], 0.0);
    let k0 = get(&["scale_factor"], 1.0);
    let proj_name = {
        let pos = lower.find("projection[\"")?;
        let rest = &lower[pos + 12..];
        rest[..rest.find('"')?].to_string()
    };
    let body = match proj_name.as_str() {
        "lambert_conformal_conic"
        | "lambert_conformal_conic_2sp"
        | "lambert_conformal_conic_1sp" => {
            let lat1 = param("standard_parallel_1").unwrap_or(lat0);
            let lat2 = param("standard_parallel_2").unwrap_or(lat1);
            format!("+proj=lcc +lat_1={lat1} +lat_2={lat2} +lat_0={lat0} +lon_0={lon0} +k_0={k0}")
        }
        "transverse_mercator" | "gauss_kruger" => {
            format!("+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k={k0}")
        }
        "mercator" | "mercator_1sp" | "mercator_2sp" => {
            let lat_ts = param("standard_parallel_1").unwrap_or(0.0);
            format!("+proj=merc +lon_0={lon0} +lat_ts={lat_ts} +k={k0}")
        }
        "mercator_auxiliary_sphere" | "popular_visualisation_pseudo_mercator" => {
            return Some(("EPSG:3857".into(), "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs".into()));
        }
        _ => return None,
    };
    Some((
        format!("custom ({proj_name})"),
        format!("{body} +x_0={x0} +y_0={y0} {ellps}{towgs84} +units=m +no_defs"),
    ))
}

/// Area of use in WGS84 degrees of the CRSs Porte can check, with a margin.
fn area_of_use(epsg: u32) -> Option<[f64; 4]> {
    Some(match epsg {
        2154 | 3942..=3950 | 4171 => [-9.9, 41.1, 10.4, 51.6],
        32601..=32660 => {
            let lon0 = -183.0 + 6.0 * (epsg - 32600) as f64;
            [lon0 - 6.0, -1.0, lon0 + 6.0, 84.5]
        }
        32701..=32760 => {
            let lon0 = -183.0 + 6.0 * (epsg - 32700) as f64;
            [lon0 - 6.0, -80.5, lon0 + 6.0, 1.0]
        }
        26901..=26923 => {
            let lon0 = -183.0 + 6.0 * (epsg - 26900) as f64;
            [lon0 - 6.0, 14.0, lon0 + 6.0, 86.0]
        }
        4269 => [-172.6, 14.9, -47.7, 86.5],
        _ => return None,
    })
}

/// Extent of raw coordinates: `[min_x, min_y, max_x, max_y]`.
pub type RawBbox = [f64; 4];

/// How a layer's CRS was decided.
#[derive(Debug)]
pub struct Resolved {
    pub crs: Crs,
    pub warnings: Vec<String>,
}

fn looks_geographic(b: &RawBbox) -> bool {
    b[0] >= -180.0 && b[2] <= 180.0 && b[1] >= -90.0 && b[3] <= 90.0
}

/// Guesses a projected CRS from coordinate ranges alone, for French layers that lost their .prj.
fn guess_projected(b: &RawBbox) -> Option<u32> {
    let (x, y) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    if (50_000.0..1_300_000.0).contains(&x) && (6_000_000.0..7_200_000.0).contains(&y) {
        return Some(2154);
    }
    if (1_000_000.0..2_400_000.0).contains(&x) {
        let zone = 41.0 + ((y - 200_000.0) / 1_000_000.0).round();
        if (42.0..=50.0).contains(&zone)
            && (y - ((zone - 41.0) * 1_000_000.0 + 200_000.0)).abs() < 600_000.0
        {
            return Some(3900 + zone as u32);
        }
    }
    None
}

/// Decides the CRS to read a layer with: the override when given, else the declared one checked
/// against the coordinates' extent. `source` names the file for messages.
pub fn resolve(
    declared: Option<Result<Crs, String>>,
    override_epsg: Option<u32>,
    raw_bbox: Option<RawBbox>,
) -> Result<Resolved, String> {
    let mut warnings = Vec::new();
    if let Some(code) = override_epsg {
        let crs = Crs::from_epsg(code)?;
        if let Some(b) = raw_bbox
            && crs.is_geographic != looks_geographic(&b)
        {
            warnings.push(format!(
                "the coordinates ({}) do not look like {}, which was given with --crs; using it anyway",
                describe_bbox(&b),
                crs.label
            ));
        }
        return Ok(Resolved { crs, warnings });
    }
    let declared = match declared {
        Some(Ok(crs)) => Some(crs),
        Some(Err(e)) => {
            warnings.push(format!("{e}; guessing from the coordinates"));
            None
        }
        None => None,
    };
    let Some(b) = raw_bbox else {
        return Ok(Resolved {
            crs: declared.unwrap_or_else(Crs::wgs84),
            warnings,
        });
    };
    let coords_geographic = looks_geographic(&b);
    match declared {
        Some(crs) if crs.is_geographic && !coords_geographic => {
            let guess = guess_projected(&b).ok_or_else(|| {
                format!(
                    "the file declares {} (degrees) but its coordinates are metres ({}); give the right CRS with --crs EPSG:NNNN",
                    crs.label,
                    describe_bbox(&b)
                )
            })?;
            warnings.push(format!(
                "the file declares {} (degrees) but its coordinates are projected metres ({}); they fit EPSG:{guess}, used instead",
                crs.label,
                describe_bbox(&b)
            ));
            Ok(Resolved {
                crs: Crs::from_epsg(guess)?,
                warnings,
            })
        }
        Some(crs) if !crs.is_geographic && coords_geographic => {
            warnings.push(format!(
                "the file declares {} (projected metres) but its coordinates are longitudes/latitudes ({}); read as WGS84 (EPSG:4326)",
                crs.label,
                describe_bbox(&b)
            ));
            Ok(Resolved {
                crs: Crs::wgs84(),
                warnings,
            })
        }
        Some(crs) => {
            check_area(&crs, &b, &mut warnings)?;
            Ok(Resolved { crs, warnings })
        }
        None if coords_geographic => {
            warnings.push("no CRS declared; the coordinates are longitudes/latitudes, read as WGS84 (EPSG:4326)".into());
            Ok(Resolved {
                crs: Crs::wgs84(),
                warnings,
            })
        }
        None => {
            let guess = guess_projected(&b).ok_or_else(|| {
                format!(
                    "no CRS declared and the coordinates ({}) are projected; give it with --crs EPSG:NNNN",
                    describe_bbox(&b)
                )
            })?;
            warnings.push(format!(
                "no CRS declared; the coordinates ({}) fit EPSG:{guess}, used",
                describe_bbox(&b)
            ));
            Ok(Resolved {
                crs: Crs::from_epsg(guess)?,
                warnings,
            })
        }
    }
}

/// Checks that a layer lands inside its CRS's area of use; when it does not and the
/// coordinates fit another French projection, switch to it with a warning.
fn check_area(crs: &Crs, b: &RawBbox, warnings: &mut Vec<String>) -> Result<(), String> {
    let Some(epsg) = crs.epsg else { return Ok(()) };
    let Some(area) = area_of_use(epsg) else {
        return Ok(());
    };
    let wgs84 = wgs84_proj();
    let centre = Coord {
        x: (b[0] + b[2]) / 2.0,
        y: (b[1] + b[3]) / 2.0,
    };
    let inside = crs
        .to_wgs84(centre, &wgs84)
        .map(|c| c.x >= area[0] && c.x <= area[2] && c.y >= area[1] && c.y <= area[3])
        .unwrap_or(false);
    if !inside {
        let guess = guess_projected(b).filter(|g| *g != epsg);
        let hint = guess
            .map(|g| format!("; they would fit EPSG:{g}: try --crs EPSG:{g}"))
            .unwrap_or_default();
        warnings.push(format!(
            "the coordinates ({}) fall outside the area where {} is used{hint}",
            describe_bbox(b),
            crs.label
        ));
    }
    Ok(())
}

pub fn describe_bbox(b: &RawBbox) -> String {
    format!("x {:.0}…{:.0}, y {:.0}…{:.0}", b[0], b[2], b[1], b[3]).replace(".0…", "…")
}

/// Parses "EPSG:2154", "epsg:2154" or "2154".
pub fn parse_epsg(s: &str) -> Option<u32> {
    let t = s.trim();
    let t = t
        .strip_prefix("EPSG:")
        .or_else(|| t.strip_prefix("epsg:"))
        .unwrap_or(t);
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const L93_ESRI: &str = r#"PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;

    #[test]
    fn lambert93_matches_the_reference_point() {
        // Reference: lon 2.3499 lat 48.8530 <-> x 652296.97 y 6861636.36 (PROJ cs2cs).
        let crs = Crs::from_wkt(L93_ESRI).unwrap();
        assert_eq!(crs.epsg, Some(2154));
        let c = crs
            .to_wgs84(
                Coord {
                    x: 652296.97,
                    y: 6861636.36,
                },
                &wgs84_proj(),
            )
            .unwrap();
        assert!(
            (c.x - 2.3499).abs() < 1e-6 && (c.y - 48.8530).abs() < 1e-6,
            "{c:?}"
        );
    }

    #[test]
    fn unnamed_lcc_wkt_gives_the_same_answer_as_epsg() {
        let wkt = L93_ESRI.replace("RGF93_Lambert_93", "my_lambert");
        assert_eq!(epsg_from_wkt(&wkt), None);
        let crs = Crs::from_wkt(&wkt).unwrap();
        let c = crs
            .to_wgs84(
                Coord {
                    x: 652296.97,
                    y: 6861636.36,
                },
                &wgs84_proj(),
            )
            .unwrap();
        assert!(
            (c.x - 2.3499).abs() < 1e-5 && (c.y - 48.8530).abs() < 1e-5,
            "{c:?}"
        );
    }

    #[test]
    fn names_and_authorities() {
        assert_eq!(epsg_from_name("RGF93_CC46"), Some(3946));
        assert_eq!(epsg_from_name("RGF93 / CC49"), Some(3949));
        assert_eq!(epsg_from_name("WGS_1984_UTM_Zone_31N"), Some(32631));
        assert_eq!(epsg_from_name("NAD83 / UTM zone 18N"), Some(26918));
        assert_eq!(
            epsg_from_name("WGS_1984_Web_Mercator_Auxiliary_Sphere"),
            Some(3857)
        );
        assert_eq!(
            epsg_from_wkt(r#"GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983"]]"#),
            Some(4269)
        );
        let ogc = r#"PROJCS["RGF93 / CC46",GEOGCS["RGF93",AUTHORITY["EPSG","4171"]],AUTHORITY["EPSG","3946"]]"#;
        assert_eq!(epsg_from_wkt(ogc), Some(3946));
        assert_eq!(parse_epsg("EPSG:2154"), Some(2154));
    }

    #[test]
    fn contradictions_are_resolved_from_the_coordinates() {
        // Projected .prj, lon/lat coordinates.
        let r = resolve(
            Some(Crs::from_epsg(2154)),
            None,
            Some([2.2, 48.8, 2.4, 48.9]),
        )
        .unwrap();
        assert_eq!(r.crs.epsg, Some(4326));
        assert_eq!(r.warnings.len(), 1);
        // Geographic declaration, Lambert-93 metres.
        let r = resolve(
            Some(Crs::from_epsg(4326)),
            None,
            Some([640000.0, 6850000.0, 660000.0, 6870000.0]),
        )
        .unwrap();
        assert_eq!(r.crs.epsg, Some(2154));
        // Nothing declared, CC46 metres (Lyon).
        let r = resolve(
            None,
            None,
            Some([1_835_000.0, 5_165_000.0, 1_850_000.0, 5_180_000.0]),
        )
        .unwrap();
        assert_eq!(r.crs.epsg, Some(3946));
        // Nothing declared, unknown metres: a clear error.
        assert!(
            resolve(
                None,
                None,
                Some([400000.0, 4_500_000.0, 410000.0, 4_510_000.0])
            )
            .is_err()
        );
        // Declared Lambert-93 but the numbers are CC46: flagged.
        let r = resolve(
            Some(Crs::from_epsg(2154)),
            None,
            Some([1_835_000.0, 5_165_000.0, 1_850_000.0, 5_180_000.0]),
        )
        .unwrap();
        assert!(r.warnings[0].contains("EPSG:3946"), "{:?}", r.warnings);
    }

    #[test]
    fn utm_and_web_mercator_and_nad83() {
        let wgs = wgs84_proj();
        let utm = Crs::from_epsg(32631).unwrap();
        let c = utm
            .to_wgs84(
                Coord {
                    x: 500000.0,
                    y: 5_000_000.0,
                },
                &wgs,
            )
            .unwrap();
        assert!(
            (c.x - 3.0).abs() < 1e-6 && (c.y - 45.1535).abs() < 0.001,
            "{c:?}"
        );
        let merc = Crs::from_epsg(3857).unwrap();
        let c = merc
            .to_wgs84(
                Coord {
                    x: 261_600.0,
                    y: 6_250_000.0,
                },
                &wgs,
            )
            .unwrap();
        assert!(
            (c.x - 2.35).abs() < 0.01 && (c.y - 48.86).abs() < 0.05,
            "{c:?}"
        );
        let nad = Crs::from_epsg(4269).unwrap();
        let c = nad
            .to_wgs84(
                Coord {
                    x: -73.98,
                    y: 40.75,
                },
                &wgs,
            )
            .unwrap();
        assert!(
            (c.x + 73.98).abs() < 1e-4 && (c.y - 40.75).abs() < 1e-4,
            "{c:?}"
        );
    }
}
