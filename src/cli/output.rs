//! How CLI reports are printed: pretty JSON with `--json`, else a short human summary.

use serde::Serialize;

use crate::model::campaign::CampaignInfo;
use crate::model::import::addresses::AddressImportReport;
use crate::model::import::precincts::PrecinctImportReport;
use crate::model::import::results::ResultsImportReport;

pub fn print_report<T: Serialize>(
    report: &T,
    json: bool,
    summary: fn(&T) -> String,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!("{}", summary(report));
    }
    Ok(())
}

/// Prints `report` as pretty JSON with `--json`, else the already written `human` summary.
pub fn print<T: Serialize>(json: bool, report: &T, human: String) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!("{human}");
    }
    Ok(())
}

/// "\n{title} (n):" then up to `max` items as "  - item", and how many more.
pub fn list<T: std::fmt::Display>(title: &str, items: &[T], max: usize) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut s = format!("\n{title} ({}):", items.len());
    for i in items.iter().take(max) {
        s.push_str(&format!("\n  - {i}"));
    }
    if items.len() > max {
        s.push_str(&format!(
            "\n  … and {} more (see --json)",
            items.len() - max
        ));
    }
    s
}

pub fn precincts_summary(r: &PrecinctImportReport) -> String {
    let bbox = r
        .bbox_wgs84
        .map(|b| format!("{:.5}, {:.5} → {:.5}, {:.5}", b[0], b[1], b[2], b[3]))
        .unwrap_or_default();
    format!(
        "{} precincts imported from {} features ({}, {}), id field {}, name field {}\nextent (lon, lat): {bbox}{}",
        r.imported,
        r.features_read,
        r.format,
        r.crs,
        r.id_field,
        r.name_field.as_deref().unwrap_or("none"),
        list("warnings", &r.warnings, 20)
    )
}

pub fn results_summary(r: &ResultsImportReport) -> String {
    let unmatched: Vec<String> = r.unmatched_rows.iter().map(|u| format!("{u:?}")).collect();
    format!(
        "{} rows ({} format) → {} precincts matched; elections: {}{}{}{}{}",
        r.rows,
        r.format,
        r.matched,
        r.elections
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        list("result rows with no precinct", &unmatched, 20),
        list(
            "precincts without results",
            &r.precincts_without_results,
            20
        ),
        list("summary rows skipped", &r.summary_rows, 10),
        list("warnings", &r.warnings, 20)
    )
}

pub fn addresses_summary(r: &AddressImportReport) -> String {
    format!(
        "{} addresses imported ({}), {} in a precinct, {} outside every precinct, {} rows skipped{}{}",
        r.imported,
        r.format.name(),
        r.in_precincts,
        r.outside,
        r.skipped,
        list("skipped rows", &r.issues, 20),
        list("warnings", &r.warnings, 20)
    )
}

pub fn info_summary(i: &CampaignInfo) -> String {
    format!(
        "{}\n{} precincts, {} addresses ({} in a precinct)\nelections: {}",
        i.path,
        i.precincts,
        i.addresses,
        i.addresses_in_precincts,
        if i.elections.is_empty() {
            "none".to_string()
        } else {
            i.elections.join(", ")
        }
    )
}
