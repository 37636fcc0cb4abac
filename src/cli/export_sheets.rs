//! `porte export sheets|gpx|geojson|csv|html|sheet-settings`: walk sheets (PDF) of an operation
//! or a turf, the phone exports of a turf's route, and the campaign's talking points and
//! data-protection notice printed on the sheets.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde_json::json;

use crate::model::Campaign;
use crate::model::export::phone::{route_csv, route_geojson, route_gpx};
use crate::model::export::sheets::{
    SheetExportReport, SheetLang, SheetOptions, SheetSettings, export_operation_sheets,
    export_turf_sheet,
};
use crate::model::export::walklist_html::{WalkListTexts, walklist_html};
use crate::model::format::format_date;
use crate::model::routing::RouteOptions;

#[derive(Args, Debug)]
pub struct SheetsArgs {
    pub campaign: PathBuf,
    /// Every turf of this operation, each with its team.
    #[arg(long, conflicts_with = "turf", required_unless_present = "turf")]
    pub operation: Option<i64>,
    /// One turf (no operation: no date or team on the sheet).
    #[arg(long)]
    pub turf: Option<i64>,
    /// The PDF to write (all the turfs).
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Also one PDF per team in this folder (with --operation).
    #[arg(long, value_name = "DIR", requires = "operation")]
    pub per_team: Option<PathBuf>,
    /// Language of the sheets: fr (default) or en.
    #[arg(long, default_value = "fr")]
    pub lang: String,
    #[arg(long)]
    pub json: bool,
}

/// Which phone export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneFormat {
    Gpx,
    GeoJson,
    Csv,
    Html,
}

#[derive(Args, Debug)]
pub struct PhoneArgs {
    pub campaign: PathBuf,
    #[arg(long)]
    pub turf: i64,
    /// The file to write.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// The operation the turf is walked in: the route starts at its meeting point, as on its
    /// walk sheets (and the HTML walk list shows its date and the team).
    #[arg(long)]
    pub operation: Option<i64>,
    /// Language of the HTML walk list: fr (default) or en.
    #[arg(long, default_value = "fr")]
    pub lang: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SheetSettingsArgs {
    pub campaign: PathBuf,
    /// Talking points printed on the sheets, one a line ("" restores the default).
    #[arg(long, conflicts_with = "talking_points_file")]
    pub talking_points: Option<String>,
    /// Read the talking points from a UTF-8 text file.
    #[arg(long, value_name = "FILE")]
    pub talking_points_file: Option<PathBuf>,
    /// Data-protection notice of the footer ({campaign} and {contact} are filled in; ""
    /// restores the default).
    #[arg(long)]
    pub notice: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn lang(s: &str) -> anyhow::Result<SheetLang> {
    SheetLang::parse(s).with_context(|| format!("--lang {s}: expected fr or en"))
}

fn open_existing(path: &Path) -> anyhow::Result<Campaign> {
    if !path.exists() {
        bail!("no campaign file {}", path.display());
    }
    Ok(Campaign::open(path)?)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `porte export sheets`.
pub fn run_sheets(args: SheetsArgs) -> anyhow::Result<()> {
    let lang = lang(&args.lang)?;
    let c = open_existing(&args.campaign)?;
    let report: SheetExportReport = match (args.operation, args.turf) {
        (Some(op), _) => {
            if args.pdf.is_none() && args.per_team.is_none() {
                bail!("porte export sheets needs --pdf FILE and/or --per-team DIR");
            }
            export_operation_sheets(
                &c,
                op,
                &SheetOptions {
                    lang,
                    pdf: args.pdf.clone(),
                    per_team_dir: args.per_team.clone(),
                },
                &crate::cli::progress::TerminalProgress::new(),
            )?
        }
        (None, Some(turf)) => {
            let Some(pdf) = &args.pdf else {
                bail!("porte export sheets --turf needs --pdf FILE");
            };
            export_turf_sheet(&c, turf, lang, pdf)?
        }
        (None, None) => bail!("porte export sheets needs --operation ID or --turf ID"),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{} walk sheets, {} pages in {} ms (routes {} ms, layout + PDF {} ms); largest {:.1} KB per sheet",
        report.sheets.len(),
        report.pages,
        report.elapsed_ms,
        report.route_ms,
        report.render_ms,
        report.max_bytes_per_sheet as f64 / 1024.0
    );
    for s in &report.sheets {
        println!(
            "  {}: {} doors, {} pages, {:.0} m, {:.0} min{}",
            s.turf,
            s.doors,
            s.pages,
            s.length_m,
            s.minutes,
            if s.team.is_empty() {
                String::new()
            } else {
                format!(" — {}", s.team)
            }
        );
    }
    for f in &report.files {
        println!(
            "  wrote {} ({} sheets, {} pages, {:.1} KB)",
            f.path.display(),
            f.sheets,
            f.pages,
            f.bytes as f64 / 1024.0
        );
    }
    Ok(())
}

/// `porte export gpx|geojson|csv|html`.
pub fn run_phone(format: PhoneFormat, args: PhoneArgs) -> anyhow::Result<()> {
    let lang = lang(&args.lang)?;
    let c = open_existing(&args.campaign)?;
    let turf = c.turf(args.turf)?;
    let op = args.operation.map(|id| c.operation(id)).transpose()?;
    // From the operation's meeting point, as on its walk sheets.
    let options = RouteOptions {
        start_wgs84: op.as_ref().and_then(|o| o.meeting_wgs84),
        ..RouteOptions::default()
    };
    let route = c.route_turf(args.turf, &options)?;
    let (text, kind) = match format {
        PhoneFormat::Gpx => (route_gpx(&route, &turf.name), "gpx"),
        PhoneFormat::GeoJson => (
            serde_json::to_string_pretty(&route_geojson(&route, &turf.name))?,
            "geojson",
        ),
        PhoneFormat::Csv => (route_csv(&route), "csv"),
        PhoneFormat::Html => {
            let settings = SheetSettings::load(c.connection())?;
            let campaign = stem(&args.campaign);
            let mut sub: Vec<String> = Vec::new();
            if let Some(op) = &op {
                sub.push(op.name.clone());
                sub.push(format_date(op.date, lang.french()));
                if let Some(team) = op.team_of_turf(turf.id) {
                    sub.push(team.name.clone());
                }
            }
            sub.push(format!(
                "{} {}",
                route.stops.len(),
                lang.pick("portes", "doors")
            ));
            let texts = WalkListTexts {
                campaign: campaign.clone(),
                turf: turf.name.clone(),
                subtitle: sub.join(" · "),
                notice: settings.privacy_notice(
                    lang,
                    &campaign,
                    op.as_ref().map_or("", |o| o.contact_phone.as_str()),
                ),
            };
            (walklist_html(&route, &texts, lang), "html")
        }
    };
    std::fs::write(&args.output, &text)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if args.json {
        let v = json!({
            "campaign": args.campaign,
            "turf_id": turf.id,
            "turf": turf.name,
            "format": kind,
            "path": args.output,
            "bytes": text.len(),
            "doors": route.stops.len(),
            "method": route.method,
            "length_m": (route.length_m * 10.0).round() / 10.0,
            "minutes": (route.minutes * 10.0).round() / 10.0,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{}: {} doors, {:.0} m → wrote {} ({kind}, {:.1} KB)",
            turf.name,
            route.stops.len(),
            route.length_m,
            args.output.display(),
            text.len() as f64 / 1024.0
        );
    }
    Ok(())
}

/// `porte export sheet-settings`: show or change the talking points and the notice.
pub fn run_settings(args: SheetSettingsArgs) -> anyhow::Result<()> {
    let c = open_existing(&args.campaign)?;
    let mut s = SheetSettings::load(c.connection())?;
    let mut changed = false;
    if let Some(file) = &args.talking_points_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
        s.talking_points = Some(text);
        changed = true;
    }
    if let Some(t) = &args.talking_points {
        s.talking_points = Some(t.clone());
        changed = true;
    }
    if let Some(n) = &args.notice {
        s.privacy_notice = Some(n.clone());
        changed = true;
    }
    if changed {
        s.save(c.connection())?;
        s = SheetSettings::load(c.connection())?;
    }
    let campaign = stem(&args.campaign);
    if args.json {
        let v = json!({
            "campaign": args.campaign,
            "changed": changed,
            "talking_points": s.talking_points,
            "privacy_notice": s.privacy_notice,
            "printed_fr": {
                "talking_points": s.talking_points_lines(SheetLang::Fr),
                "privacy_notice": s.privacy_notice(SheetLang::Fr, &campaign, ""),
            },
            "printed_en": {
                "talking_points": s.talking_points_lines(SheetLang::En),
                "privacy_notice": s.privacy_notice(SheetLang::En, &campaign, ""),
            },
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let origin = |o: &Option<String>| if o.is_some() { "campaign's" } else { "default" };
    println!("Talking points ({}):", origin(&s.talking_points));
    for l in s.talking_points_lines(SheetLang::Fr) {
        println!("  • {l}");
    }
    println!(
        "Data-protection notice ({}):\n  {}",
        origin(&s.privacy_notice),
        s.privacy_notice(SheetLang::Fr, &campaign, "")
    );
    Ok(())
}

#[derive(Args, Debug)]
pub struct SheetBenchArgs {
    /// Turfs of the benchmark operation (cut from the sample city's first ten precincts).
    #[arg(long, default_value_t = 50)]
    pub turfs: usize,
    /// How many runs (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct SheetBenchReport {
    turfs: usize,
    doors: usize,
    pages: usize,
    runs: usize,
    median_s: f64,
    median_route_s: f64,
    median_render_s: f64,
    all_s: Vec<f64>,
    pdf_bytes: u64,
    max_bytes_per_sheet: u64,
    mean_bytes_per_sheet: u64,
}

/// `porte bench sheets`: the sample city's first ten precincts cut into N turfs, one operation
/// over them, and its walk sheets written as one PDF (routes + layout + PDF), several runs.
pub fn run_bench(args: SheetBenchArgs) -> anyhow::Result<()> {
    use crate::model::operations::OperationDraft;
    use crate::model::turfs::autocut::{CutRequest, CutTarget};
    let dir = tempfile_dir()?;
    let path = dir.join("bench-sheets.gpkg");
    let files = crate::model::sample_campaign::bundled_sample_city();
    crate::model::sample_campaign::build_sample_campaign(&files, &path, &crate::model::NoProgress)?;
    let mut c = Campaign::open(&path)?;
    let mut codes: Vec<String> = c.precincts()?.into_iter().map(|p| p.code).collect();
    codes.sort_by_key(|c| c.parse::<u32>().unwrap_or(u32::MAX));
    codes.truncate(10);
    let req = CutRequest {
        precincts: codes,
        area_wgs84: None,
        target: CutTarget::Turfs(args.turfs.max(1)),
        replace: true,
        name_prefix: None,
    };
    let cut = c.cut_turfs(&req, None, &[], &crate::model::NoProgress)?;
    let turf_ids: Vec<i64> = c.turfs()?.iter().map(|t| t.id).collect();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 14).expect("a date");
    let op = c.create_operation(&OperationDraft {
        name: "Bench".into(),
        date,
        start: chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("a time"),
        end: chrono::NaiveTime::from_hms_opt(12, 30, 0).expect("a time"),
        meeting_point: String::new(),
        meeting_wgs84: None,
        contact_phone: "06 00 00 00 00".into(),
        notes: String::new(),
    })?;
    c.add_operation_turfs(op, &turf_ids)?;
    let pdf = dir.join("bench-sheets.pdf");
    let options = SheetOptions {
        lang: SheetLang::Fr,
        pdf: Some(pdf.clone()),
        per_team_dir: None,
    };
    let (mut all, mut route, mut render) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for run in 0..args.runs.max(1) {
        let start = std::time::Instant::now();
        let r = export_operation_sheets(&c, op, &options, &crate::model::NoProgress)?;
        let s = start.elapsed().as_secs_f64();
        if !args.json {
            eprintln!("run {}: {s:.3} s", run + 1);
        }
        all.push(s);
        route.push(r.route_ms as f64 / 1000.0);
        render.push(r.render_ms as f64 / 1000.0);
        last = Some(r);
    }
    let last = last.expect("at least one run");
    let _ = std::fs::remove_dir_all(&dir);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let pdf_bytes = last.files.first().map_or(0, |f| f.bytes);
    let report = SheetBenchReport {
        turfs: last.sheets.len(),
        doors: cut.doors,
        pages: last.pages,
        runs: all.len(),
        median_s: median(&mut all.clone()),
        median_route_s: median(&mut route),
        median_render_s: median(&mut render),
        all_s: all,
        pdf_bytes,
        max_bytes_per_sheet: last.max_bytes_per_sheet,
        mean_bytes_per_sheet: pdf_bytes / last.sheets.len().max(1) as u64,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "walk sheets of {} turfs ({} doors, {} pages): median {:.3} s over {} runs (routes {:.3} s, layout + PDF {:.3} s); {:.1} KB per sheet",
            report.turfs,
            report.doors,
            report.pages,
            report.median_s,
            report.runs,
            report.median_route_s,
            report.median_render_s,
            report.mean_bytes_per_sheet as f64 / 1024.0
        );
    }
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("porte-bench-sheets-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
