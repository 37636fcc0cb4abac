//! Export of the coloured precinct map with its legend, as a PNG (for a screen or a wall) and a
//! vector PDF (for print), shared by the GUI (File › Export map…) and `porte export map`.
//!
//! The input is plain data ([`MapExport`]: WGS84 polygons with a fill each, the model's
//! [`Legend`], texts); [`layout::layout_map`] turns it into a page of shapes and text lines, which
//! [`map_png`] rasterises with tiny-skia and [`map_pdf`] writes with krilla.
//!
//! - [`font`]: DejaVu Sans glyph runs, widths and outlines (accents always render).
//! - [`layout`]: the page as data (frame, Web Mercator fit, title, legend, scale bar, footer).
//! - [`map_png`]: the PNG renderer.
//! - [`map_pdf`]: the PDF renderer (also the PDF basics later documents reuse).
//! - [`sheets`]: printed walk sheets per turf (header, map, ordered door table), batch per operation.
//! - [`phone`]: GPX, GeoJSON and CSV of a turf's route for phones.
//! - [`walklist_html`]: the offline HTML walk list of a turf (outcomes kept on the phone, CSV out).
//! - [`dashboard_pdf`]: the campaign dashboard report (totals, goals, charts, tables).

pub mod dashboard_pdf;
pub mod font;
pub mod layout;
pub mod map_pdf;
pub mod map_png;
pub mod phone;
pub mod sheets;
pub mod walklist_html;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use geo_types::MultiPolygon;
use serde::Serialize;

use crate::model::error::{ModelError, ModelResult};
use crate::model::precinct::Precinct;
use crate::model::progress::Progress;
use crate::model::scoring::Legend;

pub use layout::{MapLayout, Paper, layout_map};

/// Fill of precincts without a value (light grey).
pub const NO_DATA_RGB: [u8; 3] = [217, 217, 217];
/// Precinct outlines (dark grey).
pub const OUTLINE_RGB: [u8; 3] = [90, 90, 90];

/// One precinct to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct MapPolygon {
    pub geom_wgs84: MultiPolygon<f64>,
    /// Its class colour; `None` draws it with the no-data fill.
    pub fill_rgb: Option<[u8; 3]>,
}

/// The words printed on the map, in the reader's language.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MapTexts {
    pub title: String,
    /// e.g. "saint-aubin-des-pres · municipales-2020 · 2026-11-24".
    pub subtitle: String,
    /// Heading of the legend, e.g. "Turnout %".
    pub legend_title: String,
    /// Header of the legend's count column, e.g. "precincts".
    pub count_header: String,
    /// Label of the legend row of precincts without data.
    pub no_data: String,
    /// Footer: source and attribution.
    pub source: String,
    /// Print "52,3" instead of "52.3".
    pub decimal_comma: bool,
}

/// Everything an exported map shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MapExport {
    pub polygons: Vec<MapPolygon>,
    pub outline_rgb: [u8; 3],
    pub no_data_rgb: [u8; 3],
    /// `None` for an uncoloured map (no legend rows).
    pub legend: Option<Legend>,
    pub texts: MapTexts,
}

impl MapExport {
    /// The precincts with the colour of their code in `fill_by_code` (no entry: no data).
    pub fn from_precincts(
        precincts: &[Precinct],
        fill_by_code: &HashMap<String, [u8; 3]>,
        legend: Option<Legend>,
        texts: MapTexts,
    ) -> MapExport {
        MapExport {
            polygons: precincts
                .iter()
                .map(|p| MapPolygon {
                    geom_wgs84: p.geom_wgs84.clone(),
                    fill_rgb: fill_by_code.get(&p.code).copied(),
                })
                .collect(),
            outline_rgb: OUTLINE_RGB,
            no_data_rgb: NO_DATA_RGB,
            legend,
            texts,
        }
    }
}

/// The files to write.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRequest {
    pub png: Option<PathBuf>,
    /// Width of the PNG in pixels (its height follows the A-series ratio).
    pub png_width_px: u32,
    pub pdf: Option<PathBuf>,
    pub paper: Paper,
}

/// Default PNG width: sharp on a projector, printable at A4 150 dpi.
pub const DEFAULT_PNG_WIDTH_PX: u32 = 2400;

/// One written file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WrittenFile {
    pub path: PathBuf,
    /// "png" or "pdf".
    pub format: &'static str,
    pub bytes: u64,
    /// PNG size in pixels, PDF page size in points (to 0.01).
    pub width: f64,
    pub height: f64,
    pub pages: usize,
    pub elapsed_ms: u128,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportReport {
    pub files: Vec<WrittenFile>,
    pub precincts_drawn: usize,
    pub classes: usize,
    pub no_data: usize,
}

fn hundredths(v: f32) -> f64 {
    (v as f64 * 100.0).round() / 100.0
}

fn write_file(path: &Path, bytes: &[u8]) -> ModelResult<()> {
    std::fs::write(path, bytes)
        .map_err(|e| ModelError::Invalid(format!("cannot write {}: {e}", path.display())))
}

/// Renders and writes the requested files.
pub fn export_map(
    map: &MapExport,
    request: &ExportRequest,
    progress: &dyn Progress,
) -> ModelResult<ExportReport> {
    if request.png.is_none() && request.pdf.is_none() {
        return Err(ModelError::Invalid(
            "nothing to export: give a PNG and/or a PDF file".into(),
        ));
    }
    let mut files = Vec::new();
    let mut precincts_drawn = 0;
    if let Some(path) = &request.png {
        progress.set(0.05, "PNG");
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        let start = Instant::now();
        let png = map_png::render_png(map, request.png_width_px)?;
        write_file(path, &png.bytes)?;
        precincts_drawn = png.precincts_drawn;
        files.push(WrittenFile {
            path: path.clone(),
            format: "png",
            bytes: png.bytes.len() as u64,
            width: png.width_px as f64,
            height: png.height_px as f64,
            pages: 1,
            elapsed_ms: start.elapsed().as_millis(),
        });
    }
    if let Some(path) = &request.pdf {
        progress.set(0.5, "PDF");
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        let start = Instant::now();
        let pdf = map_pdf::render_pdf(map, request.paper)?;
        write_file(path, &pdf.bytes)?;
        precincts_drawn = pdf.precincts_drawn;
        files.push(WrittenFile {
            path: path.clone(),
            format: "pdf",
            bytes: pdf.bytes.len() as u64,
            width: hundredths(pdf.width_pt),
            height: hundredths(pdf.height_pt),
            pages: 1,
            elapsed_ms: start.elapsed().as_millis(),
        });
    }
    progress.set(1.0, "");
    Ok(ExportReport {
        files,
        precincts_drawn,
        classes: map.legend.as_ref().map_or(0, |l| l.classes.len()),
        no_data: map.legend.as_ref().map_or(0, |l| l.no_data),
    })
}

/// Today's date (UTC) as YYYY-MM-DD, for subtitles.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let [y, m, d] = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month, day of a count of days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> [i64; 3] {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    [yoe + era * 400 + i64::from(m <= 2), m, d]
}

/// "campaign · election · date", skipping empty parts.
pub fn subtitle(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::scoring::LegendClass;
    use geo_types::{LineString, Polygon};

    /// Two adjacent 0.01° squares at 45°N (the left one with a square hole), coloured by two
    /// classes, and a third precinct without data.
    pub(crate) fn two_squares() -> MapExport {
        let square = |x: f64, y: f64, s: f64| {
            LineString::from(vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)])
        };
        let left = Polygon::new(square(2.0, 45.0, 0.01), vec![square(2.004, 45.004, 0.002)]);
        let right = Polygon::new(square(2.01, 45.0, 0.01), vec![]);
        let below = Polygon::new(square(2.0, 44.995, 0.005), vec![]);
        let legend = Legend {
            method: "quantile".into(),
            ramp: "YlOrRd".into(),
            classes: vec![
                LegendClass {
                    lower: 40.0,
                    upper: 55.5,
                    count: 1,
                    color_rgb: [255, 237, 160],
                },
                LegendClass {
                    lower: 55.5,
                    upper: 71.0,
                    count: 1,
                    color_rgb: [240, 59, 32],
                },
            ],
            no_data: 1,
            notes: vec![],
        };
        MapExport {
            polygons: vec![
                MapPolygon {
                    geom_wgs84: MultiPolygon(vec![left]),
                    fill_rgb: Some([255, 237, 160]),
                },
                MapPolygon {
                    geom_wgs84: MultiPolygon(vec![right]),
                    fill_rgb: Some([240, 59, 32]),
                },
                MapPolygon {
                    geom_wgs84: MultiPolygon(vec![below]),
                    fill_rgb: None,
                },
            ],
            outline_rgb: OUTLINE_RGB,
            no_data_rgb: NO_DATA_RGB,
            legend: Some(legend),
            texts: MapTexts {
                title: "Participation — élections municipales".into(),
                subtitle: subtitle(&["Saint-Aubin-des-Prés", "municipales-2020", "2026-11-24"]),
                legend_title: "Participation %".into(),
                count_header: "bureaux".into(),
                no_data: "Pas de données".into(),
                source: "Source : fichier de campagne test.gpkg · Porte".into(),
                decimal_comma: true,
            },
        }
    }

    #[test]
    fn dates_and_subtitles() {
        assert_eq!(civil_from_days(0), [1970, 1, 1]);
        assert_eq!(civil_from_days(20_416), [2025, 11, 24]);
        assert_eq!(civil_from_days(11_016), [2000, 2, 29]);
        assert_eq!(today_utc().len(), 10);
        assert_eq!(subtitle(&["a", " ", "b"]), "a · b");
    }

    #[test]
    fn export_writes_both_files_and_reports_them() {
        let dir = tempfile::tempdir().unwrap();
        let request = ExportRequest {
            png: Some(dir.path().join("map.png")),
            png_width_px: 800,
            pdf: Some(dir.path().join("map.pdf")),
            paper: Paper::A4,
        };
        let report = export_map(&two_squares(), &request, &crate::model::NoProgress).unwrap();
        assert_eq!(report.files.len(), 2);
        assert_eq!(report.precincts_drawn, 3);
        assert_eq!(report.classes, 2);
        for f in &report.files {
            assert_eq!(std::fs::metadata(&f.path).unwrap().len(), f.bytes);
        }
        let none = ExportRequest {
            png: None,
            pdf: None,
            ..request
        };
        assert!(export_map(&two_squares(), &none, &crate::model::NoProgress).is_err());
        let bad = ExportRequest {
            png: Some(dir.path().join("no/such/dir/map.png")),
            pdf: None,
            ..none
        };
        let e = export_map(&two_squares(), &bad, &crate::model::NoProgress).unwrap_err();
        assert!(e.to_string().contains("no/such/dir/map.png"), "{e}");
    }
}
