//! `porte export map` (and the walk-sheet exports of [`crate::cli::export_sheets`]): the choropleth of a variable, classified exactly as `porte classify` does
//! (the model's variable values, classes and ramps), written as a PNG and/or a PDF with its
//! legend, scale bar and source.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::cli::colours::{ColourArgs, MapVariable};
use crate::cli::export_sheets::PhoneFormat;
use crate::model::Campaign;
use crate::model::export::{
    DEFAULT_PNG_WIDTH_PX, ExportRequest, MapExport, MapTexts, Paper, export_map, subtitle,
    today_utc,
};

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// The coloured precinct map with its legend, as PNG and/or PDF.
    Map(MapArgs),
    /// Walk sheets (A4 PDF): every turf of an operation (one PDF, or one per team) or one turf.
    Sheets(crate::cli::export_sheets::SheetsArgs),
    /// A turf's route as GPX 1.1 (track + numbered waypoints) for a phone's map app.
    Gpx(crate::cli::export_sheets::PhoneArgs),
    /// A turf's route as GeoJSON (the route line and the stops).
    #[command(name = "geojson")]
    GeoJson(crate::cli::export_sheets::PhoneArgs),
    /// A turf's doors in walking order as CSV (outcome columns empty).
    Csv(crate::cli::export_sheets::PhoneArgs),
    /// A turf's offline HTML walk list (one file; outcomes kept on the phone, exported as CSV).
    Html(crate::cli::export_sheets::PhoneArgs),
    /// Show or set the talking points and data-protection notice printed on walk sheets.
    SheetSettings(crate::cli::export_sheets::SheetSettingsArgs),
}

#[derive(Args, Debug)]
pub struct MapArgs {
    pub campaign: PathBuf,
    #[command(flatten)]
    pub colours: ColourArgs,
    /// Title printed on the map (default: the variable's label).
    #[arg(long)]
    pub title: Option<String>,
    /// PNG file to write.
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// PDF file to write.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Width of the PNG in pixels (height: width / √2).
    #[arg(long, value_name = "PX", default_value_t = DEFAULT_PNG_WIDTH_PX)]
    pub width: u32,
    /// Paper of the PDF, landscape: a4 or a3.
    #[arg(long, default_value = "a4")]
    pub paper: String,
    #[arg(long)]
    pub json: bool,
}

/// Runs `porte export ...`.
pub fn run(command: ExportCommand) -> anyhow::Result<()> {
    match command {
        ExportCommand::Map(args) => run_map(args),
        ExportCommand::Sheets(args) => crate::cli::export_sheets::run_sheets(args),
        ExportCommand::Gpx(args) => crate::cli::export_sheets::run_phone(PhoneFormat::Gpx, args),
        ExportCommand::GeoJson(args) => {
            crate::cli::export_sheets::run_phone(PhoneFormat::GeoJson, args)
        }
        ExportCommand::Csv(args) => crate::cli::export_sheets::run_phone(PhoneFormat::Csv, args),
        ExportCommand::Html(args) => crate::cli::export_sheets::run_phone(PhoneFormat::Html, args),
        ExportCommand::SheetSettings(args) => crate::cli::export_sheets::run_settings(args),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn run_map(args: MapArgs) -> anyhow::Result<()> {
    if args.png.is_none() && args.pdf.is_none() {
        bail!("porte export map needs --png FILE and/or --pdf FILE");
    }
    let paper = Paper::parse(&args.paper)
        .with_context(|| format!("--paper {}: expected a4 or a3", args.paper))?;
    if !args.campaign.exists() {
        bail!("no campaign file {}", args.campaign.display());
    }
    let c = Campaign::open(&args.campaign)?;
    let coloured = args.colours.classify(&c)?;
    let (values, cls, label) = (&coloured.values, &coloured.classification, &coloured.label);
    let election_name = &coloured.election;
    let variable = match &coloured.variable {
        MapVariable::Model(v) => json!(v),
        MapVariable::Doors => json!({ "variable": "doors" }),
    };
    let fill_by_code: HashMap<String, [u8; 3]> = values
        .iter()
        .zip(&cls.class_of)
        .filter_map(|((code, _), k)| Some((code.clone(), cls.legend.classes[(*k)?].color_rgb)))
        .collect();

    let precincts = c.precincts()?;
    let campaign_name = file_stem(&args.campaign);
    let file_name = args
        .campaign
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let texts = MapTexts {
        title: args.title.clone().unwrap_or_else(|| label.clone()),
        subtitle: subtitle(&[&campaign_name, election_name, &today_utc()]),
        legend_title: label.clone(),
        count_header: "precincts".into(),
        no_data: "No data".into(),
        source: format!(
            "Source: campaign file {file_name} (precinct boundaries and results as imported) · {} classes, {} (ColorBrewer) · made with Porte",
            cls.legend.method, cls.legend.ramp
        ),
        decimal_comma: false,
    };
    let map = MapExport::from_precincts(&precincts, &fill_by_code, Some(cls.legend.clone()), texts);
    let request = ExportRequest {
        png: args.png.clone(),
        png_width_px: args.width,
        pdf: args.pdf.clone(),
        paper,
    };
    let report = export_map(
        &map,
        &request,
        &crate::cli::progress::TerminalProgress::new(),
    )?;
    if args.json {
        let v = json!({
            "campaign": args.campaign,
            "variable": variable,
            "label": label,
            "files": report.files,
            "precincts_drawn": report.precincts_drawn,
            "classes": report.classes,
            "legend": cls.legend,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "{label}: {} precincts, {} classes ({}, {})",
        report.precincts_drawn, report.classes, cls.legend.method, cls.legend.ramp
    );
    for f in &report.files {
        println!(
            "  wrote {} ({}, {:.1} KB, {} × {}{}, {} ms)",
            f.path.display(),
            f.format,
            f.bytes as f64 / 1024.0,
            f.width,
            f.height,
            if f.format == "png" { " px" } else { " pt" },
            f.elapsed_ms
        );
    }
    Ok(())
}
