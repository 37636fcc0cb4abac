//! Walk sheets: the printed A4 pages a team holds at the door, one set per turf: a header
//! (operation, date, time window, turf, team, meeting point, contact phone), the turf map with
//! the route and numbered stops, the ordered door table with outcome boxes, the response-code
//! legend, the campaign's talking points and a data-protection notice on every page.
//!
//! - [`texts`]: French/English words, default talking points and notice, the campaign's own
//!   texts (stored in `turf_settings`).
//! - [`layout`]: the pages as data, with paging of long door tables.
//! - [`map`]: the turf map (local metric frame, streets, route arrows, numbered stops).
//! - [`pdf`]: the krilla writer.
//!
//! [`export_operation_sheets`] writes a whole operation (one PDF, or one per team) and
//! [`export_turf_sheet`] a single turf.

pub mod layout;
pub mod map;
pub mod pdf;
pub mod texts;

use std::path::{Path, PathBuf};
use std::time::Instant;

use geo::BoundingRect;
use geo_types::MultiPolygon;
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::format::{format_date, format_time};
use crate::model::operations::Operation;
use crate::model::operations::plan::window_label;
use crate::model::progress::Progress;
use crate::model::routing::{Route, RouteMethod, RouteOptions};
use crate::model::storage::streets::Street;
use crate::model::turfs::Turf;

pub use layout::{SheetPage, layout_sheet};
pub use texts::{SheetLang, SheetSettings};

/// The words at the top of a sheet.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SheetHeader {
    pub campaign: String,
    pub operation: String,
    /// "samedi 14 mars 2026".
    pub date: String,
    /// "10h00–12h30".
    pub window: String,
    pub turf: String,
    /// "José D. & François L." (empty: no team yet).
    pub team: String,
    pub meeting_point: String,
    pub contact_phone: String,
}

/// Everything one turf's sheet shows.
#[derive(Clone, Debug, PartialEq)]
pub struct WalkSheet {
    pub header: SheetHeader,
    pub turf_wgs84: MultiPolygon<f64>,
    /// `#rrggbb`.
    pub turf_colour: String,
    /// Streets around the turf (for the map).
    pub streets: Vec<Street>,
    pub route: Route,
    pub talking_points: Vec<String>,
    pub privacy_notice: String,
}

/// What to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SheetOptions {
    pub lang: SheetLang,
    /// One PDF with every turf of the operation.
    pub pdf: Option<PathBuf>,
    /// One PDF per team in this folder (created when missing).
    pub per_team_dir: Option<PathBuf>,
}

/// One turf's sheet in the export.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetSummary {
    pub turf_id: i64,
    pub turf: String,
    pub team: String,
    pub doors: usize,
    pub pages: usize,
    pub method: RouteMethod,
    pub length_m: f64,
    pub minutes: f64,
}

/// One written PDF.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetFile {
    pub path: PathBuf,
    pub bytes: u64,
    pub sheets: usize,
    pub pages: usize,
}

/// What an export wrote, and how fast.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetExportReport {
    pub sheets: Vec<SheetSummary>,
    pub files: Vec<SheetFile>,
    pub pages: usize,
    /// Largest file size divided by its sheet count, bytes.
    pub max_bytes_per_sheet: u64,
    /// Routing the turfs.
    pub route_ms: u128,
    /// Layout + PDF writing.
    pub render_ms: u128,
    pub elapsed_ms: u128,
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn bbox(mp: &MultiPolygon<f64>, route: &Route) -> [f64; 4] {
    let mut b = mp
        .bounding_rect()
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
        .unwrap_or([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
    for s in &route.stops {
        let p = s.pos_wgs84;
        b = [
            b[0].min(p.x()),
            b[1].min(p.y()),
            b[2].max(p.x()),
            b[3].max(p.y()),
        ];
    }
    b
}

/// Builds one turf's sheet from its route (`op`: the operation it is walked in, if any).
pub fn build_sheet(
    campaign_name: &str,
    op: Option<&Operation>,
    turf: &Turf,
    route: Route,
    streets: &[Street],
    settings: &SheetSettings,
    lang: SheetLang,
) -> WalkSheet {
    let french = lang.french();
    let header = SheetHeader {
        campaign: campaign_name.to_owned(),
        operation: op.map(|o| o.name.clone()).unwrap_or_default(),
        date: op.map(|o| format_date(o.date, french)).unwrap_or_default(),
        window: op
            .map(|o| {
                if french {
                    format!(
                        "{}–{}",
                        format_time(o.start, true),
                        format_time(o.end, true)
                    )
                } else {
                    window_label(o)
                }
            })
            .unwrap_or_default(),
        turf: turf.name.clone(),
        team: op
            .and_then(|o| o.team_of_turf(turf.id))
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        meeting_point: op.map(|o| o.meeting_point.clone()).unwrap_or_default(),
        contact_phone: op.map(|o| o.contact_phone.clone()).unwrap_or_default(),
    };
    let near = map::streets_near(streets, bbox(&turf.geom_wgs84, &route), 0.004);
    WalkSheet {
        privacy_notice: settings.privacy_notice(lang, campaign_name, &header.contact_phone),
        talking_points: settings.talking_points_lines(lang),
        header,
        turf_wgs84: turf.geom_wgs84.clone(),
        turf_colour: turf.colour.clone(),
        streets: near.into_iter().cloned().collect(),
        route,
    }
}

fn write(path: &Path, bytes: &[u8]) -> ModelResult<()> {
    std::fs::write(path, bytes)
        .map_err(|e| ModelError::Invalid(format!("cannot write {}: {e}", path.display())))
}

/// A file-name-safe version of `s` ("José D. & Ana" → "jose-d-ana").
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'í' | 'Î' => 'i',
            'ô' | 'ö' | 'ó' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'ú' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Writes the walk sheets of operation `operation_id`: one PDF of every turf (with its team),
/// and/or one PDF per team in a folder.
pub fn export_operation_sheets(
    campaign: &Campaign,
    operation_id: i64,
    options: &SheetOptions,
    progress: &dyn Progress,
) -> ModelResult<SheetExportReport> {
    if options.pdf.is_none() && options.per_team_dir.is_none() {
        return Err(ModelError::Invalid(
            "nothing to export: give a PDF file and/or a folder for one PDF per team".into(),
        ));
    }
    let start = Instant::now();
    let op = campaign.operation(operation_id)?;
    if op.turf_ids.is_empty() {
        return Err(ModelError::Invalid(format!(
            "operation {} (\"{}\") has no turf: add turfs before printing walk sheets",
            op.id, op.name
        )));
    }
    progress.set(0.0, "routes");
    // Each turf from the meeting point (see `Campaign::route_operation_turfs`).
    let routes = campaign.route_operation_turfs(op.id)?;
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    let route_ms = start.elapsed().as_millis();
    let render_start = Instant::now();
    let settings = SheetSettings::load(campaign.connection())?;
    let streets = campaign.streets()?;
    let turfs = campaign.turfs()?;
    let name = stem(campaign.path());
    let mut sheets: Vec<(WalkSheet, Vec<SheetPage>)> = Vec::new();
    for (i, route) in routes.into_iter().enumerate() {
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        progress.set(0.3 + 0.5 * i as f32 / op.turf_ids.len() as f32, "layout");
        let turf = turfs
            .iter()
            .find(|t| t.id == route.turf_id)
            .ok_or_else(|| {
                ModelError::Invalid(format!("no turf {} in the campaign", route.turf_id))
            })?;
        let sheet = build_sheet(
            &name,
            Some(&op),
            turf,
            route,
            &streets,
            &settings,
            options.lang,
        );
        let pages = layout_sheet(&sheet, options.lang);
        sheets.push((sheet, pages));
    }
    let mut files = Vec::new();
    if let Some(path) = &options.pdf {
        progress.set(0.8, "PDF");
        let pages: Vec<SheetPage> = sheets.iter().flat_map(|(_, p)| p.clone()).collect();
        let title = format!(
            "{} — {}",
            op.name,
            format_date(op.date, options.lang.french())
        );
        let bytes = pdf::write_pages(&pages, &title)?;
        write(path, &bytes)?;
        files.push(SheetFile {
            path: path.clone(),
            bytes: bytes.len() as u64,
            sheets: sheets.len(),
            pages: pages.len(),
        });
    }
    if let Some(dir) = &options.per_team_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            ModelError::Invalid(format!("cannot create the folder {}: {e}", dir.display()))
        })?;
        for (k, team) in op.teams.iter().filter(|t| t.turf_id.is_some()).enumerate() {
            if progress.is_cancelled() {
                return Err(ModelError::Cancelled);
            }
            progress.set(0.85 + 0.15 * k as f32 / op.teams.len().max(1) as f32, "PDF");
            let mine: Vec<&(WalkSheet, Vec<SheetPage>)> = sheets
                .iter()
                .filter(|(s, _)| Some(s.route.turf_id) == team.turf_id)
                .collect();
            if mine.is_empty() {
                continue;
            }
            let pages: Vec<SheetPage> = mine.iter().flat_map(|(_, p)| p.clone()).collect();
            let label = if team.name.is_empty() {
                format!("team {}", team.id)
            } else {
                team.name.clone()
            };
            let path = dir.join(format!("team-{}-{}.pdf", team.id, slug(&label)));
            let bytes = pdf::write_pages(&pages, &format!("{} — {label}", op.name))?;
            write(&path, &bytes)?;
            files.push(SheetFile {
                path,
                bytes: bytes.len() as u64,
                sheets: mine.len(),
                pages: pages.len(),
            });
        }
    }
    progress.set(1.0, "");
    Ok(report(sheets, files, route_ms, render_start, start))
}

fn report(
    sheets: Vec<(WalkSheet, Vec<SheetPage>)>,
    files: Vec<SheetFile>,
    route_ms: u128,
    render_start: Instant,
    start: Instant,
) -> SheetExportReport {
    let summaries: Vec<SheetSummary> = sheets
        .iter()
        .map(|(s, p)| SheetSummary {
            turf_id: s.route.turf_id,
            turf: s.header.turf.clone(),
            team: s.header.team.clone(),
            doors: s.route.stops.len(),
            pages: p.len(),
            method: s.route.method,
            length_m: (s.route.length_m * 10.0).round() / 10.0,
            minutes: (s.route.minutes * 10.0).round() / 10.0,
        })
        .collect();
    SheetExportReport {
        pages: summaries.iter().map(|s| s.pages).sum(),
        max_bytes_per_sheet: files
            .iter()
            .map(|f| f.bytes / f.sheets.max(1) as u64)
            .max()
            .unwrap_or(0),
        sheets: summaries,
        files,
        route_ms,
        render_ms: render_start.elapsed().as_millis(),
        elapsed_ms: start.elapsed().as_millis(),
    }
}

/// Writes one turf's sheet (no operation: no date or team) to `path`.
pub fn export_turf_sheet(
    campaign: &Campaign,
    turf_id: i64,
    lang: SheetLang,
    path: &Path,
) -> ModelResult<SheetExportReport> {
    let start = Instant::now();
    let turf = campaign.turf(turf_id)?;
    let route = campaign.route_turf(turf_id, &RouteOptions::default())?;
    let route_ms = start.elapsed().as_millis();
    let render_start = Instant::now();
    let settings = SheetSettings::load(campaign.connection())?;
    let streets = campaign.streets()?;
    let sheet = build_sheet(
        &stem(campaign.path()),
        None,
        &turf,
        route,
        &streets,
        &settings,
        lang,
    );
    let pages = layout_sheet(&sheet, lang);
    let bytes = pdf::write_pages(&pages, &turf.name)?;
    write(path, &bytes)?;
    let files = vec![SheetFile {
        path: path.to_owned(),
        bytes: bytes.len() as u64,
        sheets: 1,
        pages: pages.len(),
    }];
    Ok(report(
        vec![(sheet, pages)],
        files,
        route_ms,
        render_start,
        start,
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::routing::RouteStop;
    use chrono::{NaiveDate, NaiveTime};
    use geo_types::{LineString, Point, Polygon};

    /// A made-up route of `n` doors along two streets of a 300 m square turf near Lyon.
    pub(crate) fn sample_route(n: usize, method: RouteMethod) -> Route {
        let (x0, y0) = (4.85, 45.75);
        let stops: Vec<RouteStop> = (0..n)
            .map(|i| {
                let street = if i < n / 2 {
                    "Rue de l'Église"
                } else {
                    "Avenue Jean-Jaurès"
                };
                let t = (i % 50) as f64 / 50.0;
                let row = (i / 50) as f64;
                RouteStop {
                    order: i + 1,
                    address_fid: 1000 + i as i64,
                    number: (2 * (i % 40) + 1).to_string(),
                    suffix: (i % 7 == 3).then(|| "bis".to_owned()),
                    street: street.to_owned(),
                    side: Some(if i % 2 == 0 { "left" } else { "right" }.to_owned()),
                    pos_wgs84: Point::new(x0 + 0.0035 * t, y0 + 0.0008 * row + 0.0002),
                    leg_m: 8.0,
                }
            })
            .collect();
        let start = Point::new(x0, y0);
        let path = LineString::from(
            std::iter::once(start.0)
                .chain(stops.iter().map(|s| s.pos_wgs84.0))
                .collect::<Vec<_>>(),
        );
        Route {
            turf_id: 7,
            method,
            stops,
            path_wgs84: path,
            start_wgs84: start,
            length_m: 8.0 * n as f64,
            minutes: 1.5 * n as f64 + 8.0 * n as f64 / 70.0,
            notes: vec![],
        }
    }

    pub(crate) fn sample_turf() -> Turf {
        let (x0, y0) = (4.8495, 45.7495);
        let ring = LineString::from(vec![
            (x0, y0),
            (x0 + 0.0045, y0),
            (x0 + 0.0045, y0 + 0.003),
            (x0, y0 + 0.003),
            (x0, y0),
        ]);
        Turf {
            id: 7,
            name: "Centre · 3".into(),
            geom_wgs84: MultiPolygon(vec![Polygon::new(ring, vec![])]),
            status: crate::model::turfs::TurfStatus::Assigned,
            colour: "#33a02c".into(),
            precincts: vec!["12".into()],
            door_ids: vec![],
            area_m2: 0.0,
            path_m: 0.0,
            minutes: 0.0,
        }
    }

    pub(crate) fn sample_operation() -> Operation {
        Operation {
            id: 1,
            name: "Samedi matin".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: "22 Rue des Libellules".into(),
            meeting_wgs84: None,
            contact_phone: "06 00 00 00 00".into(),
            notes: String::new(),
            turf_ids: vec![7],
            teams: vec![crate::model::operations::Team {
                id: 3,
                name: "José D. & François L.".into(),
                turf_id: Some(7),
                member_ids: vec![1, 2],
            }],
        }
    }

    pub(crate) fn sample_sheet(n: usize, method: RouteMethod) -> WalkSheet {
        let streets = vec![Street {
            fid: 1,
            osm_id: 1,
            name: Some("Rue de l'Église".into()),
            highway: "residential".into(),
            walkable: true,
            node_ids: vec![1, 2],
            line_wgs84: LineString::from(vec![(4.849, 45.7502), (4.855, 45.7502)]),
        }];
        build_sheet(
            "Saint-Aubin-des-Prés",
            Some(&sample_operation()),
            &sample_turf(),
            sample_route(n, method),
            &streets,
            &SheetSettings::default(),
            SheetLang::Fr,
        )
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_sheet_is_a_small_pdf_with_the_font_and_one_page_per_layout_page() {
        let sheet = sample_sheet(120, RouteMethod::StreetGraph);
        assert_eq!(sheet.header.team, "José D. & François L.");
        assert_eq!(sheet.header.window, "10h00–12h30");
        assert_eq!(sheet.streets.len(), 1);
        let pages = layout_sheet(&sheet, SheetLang::Fr);
        let bytes = pdf::write_pages(&pages, "test").unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(contains(&bytes, b"/FontFile2") && contains(&bytes, b"DejaVuSans"));
        assert!(pages.len() >= 3, "120 doors take several pages");
        assert!(bytes.len() < 300_000, "{} bytes", bytes.len());
        eprintln!(
            "120-door sheet: {} pages, {:.1} KB",
            pages.len(),
            bytes.len() as f64 / 1024.0
        );
    }

    #[test]
    fn an_operation_exports_with_progress_and_can_be_cancelled() {
        use crate::model::operations::OperationDraft;
        use crate::model::progress::SharedProgress;
        use crate::model::turfs::autocut::{CutRequest, CutTarget};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("saint-aubin.gpkg");
        let files = crate::model::sample_campaign::bundled_sample_city();
        crate::model::sample_campaign::build_sample_campaign(
            &files,
            &path,
            &crate::model::NoProgress,
        )
        .unwrap();
        let mut c = Campaign::open(&path).unwrap();
        let req = CutRequest {
            precincts: vec!["10".into()],
            area_wgs84: None,
            target: CutTarget::Turfs(3),
            replace: true,
            name_prefix: None,
        };
        c.cut_turfs(&req, None, &[], &crate::model::NoProgress)
            .unwrap();
        let turf_ids: Vec<i64> = c.turfs().unwrap().iter().map(|t| t.id).collect();
        let op = sample_operation();
        let id = c
            .create_operation(&OperationDraft {
                name: op.name.clone(),
                date: op.date,
                start: op.start,
                end: op.end,
                meeting_point: String::new(),
                meeting_wgs84: None,
                contact_phone: op.contact_phone.clone(),
                notes: String::new(),
            })
            .unwrap();
        let options = SheetOptions {
            lang: SheetLang::Fr,
            pdf: Some(dir.path().join("op.pdf")),
            per_team_dir: Some(dir.path().join("teams")),
        };
        let e = export_operation_sheets(&c, id, &options, &crate::model::NoProgress).unwrap_err();
        assert!(e.to_string().contains("no turf"), "{e}");
        c.add_operation_turfs(id, &turf_ids).unwrap();
        let nothing = SheetOptions {
            pdf: None,
            per_team_dir: None,
            ..options.clone()
        };
        assert!(export_operation_sheets(&c, id, &nothing, &crate::model::NoProgress).is_err());
        let cancelled = SharedProgress::default();
        cancelled.cancel();
        let e = export_operation_sheets(&c, id, &options, &cancelled).unwrap_err();
        assert!(matches!(e, ModelError::Cancelled), "{e}");
        assert!(!dir.path().join("op.pdf").exists());
        let progress = SharedProgress::default();
        let report = export_operation_sheets(&c, id, &options, &progress).unwrap();
        assert_eq!(progress.fraction(), 1.0);
        assert_eq!(report.sheets.len(), 3);
        assert_eq!(report.files.len(), 1, "no team yet: no per-team file");
        assert!(
            report
                .sheets
                .iter()
                .all(|s| s.team.is_empty() && s.doors > 0)
        );
        let bytes = std::fs::read(dir.path().join("op.pdf")).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(
            report.pages,
            report.sheets.iter().map(|s| s.pages).sum::<usize>()
        );
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("José D. & François L."), "jose-d-francois-l");
        assert_eq!(slug("Équipe 3"), "equipe-3");
    }
}
