//! The "Import report" panel: the last import's report (counts, warnings, unmatched rows) and the
//! campaign's import history from the model's import log, each collapsible.
//!
//! Reports arrive as JSON (the model's report structs are `Serialize`, and the import log stores
//! them as JSON), so one viewer shows every kind: a headline from the fields it knows, then every
//! list field as a collapsible list, then the remaining scalar fields.

use egui::{CollapsingHeader, RichText, Ui};
use serde_json::Value;

use crate::model::storage::import_log::ImportLogEntry;
use crate::ui::i18n::{Strings, fill};

/// Most items listed per report list before "… and N more".
const MAX_LIST_ITEMS: usize = 200;

/// One import report ready to show.
#[derive(Clone, Debug)]
pub struct ReportView {
    /// "precincts", "results" or "addresses".
    pub kind: String,
    pub file: String,
    /// When it ran, as the import log says (absent for a report not yet reloaded from the log).
    pub imported_at: Option<String>,
    pub report: Value,
}

impl ReportView {
    pub fn from_log(entry: &ImportLogEntry) -> ReportView {
        let report = serde_json::from_str(&entry.report_json)
            .unwrap_or_else(|e| Value::String(format!("unreadable report: {e}")));
        ReportView {
            kind: entry.kind.clone(),
            file: entry.file.clone(),
            imported_at: Some(entry.imported_at.clone()),
            report,
        }
    }

    /// The file name without its folder.
    pub fn file_name(&self) -> &str {
        std::path::Path::new(&self.file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&self.file)
    }

    /// One-line summaries built from the fields each kind of report has.
    pub fn headline(&self, t: &Strings) -> Vec<String> {
        let n = |key: &str| count_of(self.report.get(key));
        let mut lines = Vec::new();
        match self.kind.as_str() {
            "precincts" => {
                if let Some(imported) = n("imported") {
                    match n("features_read") {
                        Some(read) => lines.push(fill(
                            t.precincts_imported_of,
                            &[&t.integer(imported as i64), &t.integer(read as i64)],
                        )),
                        None => {
                            lines.push(fill(t.precincts_imported, &[&t.integer(imported as i64)]))
                        }
                    }
                }
                if let Some(crs) = self.report.get("crs").and_then(Value::as_str) {
                    lines.push(fill(t.crs_is, &[&crs]));
                }
            }
            "results" => {
                if let (Some(matched), Some(rows)) = (n("matched"), n("rows")) {
                    lines.push(fill(
                        t.rows_read_matched,
                        &[&t.integer(rows as i64), &t.integer(matched as i64)],
                    ));
                }
                if let Some(unmatched) = n("unmatched_rows") {
                    lines.push(t.count(
                        unmatched as usize,
                        t.unmatched_row_one,
                        t.unmatched_row_many,
                    ));
                }
                if let Some(missing) = n("precincts_without_results") {
                    lines.push(t.count(
                        missing as usize,
                        t.without_results_one,
                        t.without_results_many,
                    ));
                }
            }
            "addresses" => {
                if let Some(imported) = n("imported") {
                    lines.push(fill(t.addresses_imported, &[&t.integer(imported as i64)]));
                }
                if let (Some(inside), Some(outside)) = (n("in_precincts"), n("outside")) {
                    lines.push(fill(
                        t.in_and_outside,
                        &[&t.integer(inside as i64), &t.integer(outside as i64)],
                    ));
                }
            }
            "volunteers" => {
                if let (Some(added), Some(updated)) = (n("added"), n("updated")) {
                    lines.push(fill(t.roster_report_added, &[&added, &updated]));
                }
                if let Some(dups) = n("duplicates") {
                    lines.push(t.count(
                        dups as usize,
                        t.roster_duplicate_one,
                        t.roster_duplicate_many,
                    ));
                }
                if let Some(rejected) = n("rejected") {
                    lines.push(t.count(
                        rejected as usize,
                        t.roster_rejected_one,
                        t.roster_rejected_many,
                    ));
                }
                if let (Some(by_id), Some(by_text), Some(by_lonlat), Some(none)) = (
                    n("homes_by_address_id"),
                    n("homes_by_address_text"),
                    n("homes_by_lonlat"),
                    n("homes_not_found"),
                ) {
                    lines.push(fill(
                        t.roster_report_homes,
                        &[
                            &(by_id + by_text + by_lonlat),
                            &by_id,
                            &by_text,
                            &by_lonlat,
                            &none,
                        ],
                    ));
                }
                if let Some(pairs) = n("pairs") {
                    lines.push(t.count(pairs as usize, t.roster_pair_one, t.roster_pair_many));
                }
            }
            _ => {}
        }
        if let Some(warnings) = n("warnings")
            && warnings > 0
        {
            lines.push(t.count(warnings as usize, t.warning_one, t.warning_many));
        }
        lines
    }
}

/// A number field, or the length of a list field.
fn count_of(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::Array(items) => Some(items.len() as u64),
        _ => None,
    }
}

/// How a list item reads: "row 12: unknown precinct 99 (skipped)" for issues, else compact JSON.
fn item_text(item: &Value) -> String {
    match item {
        Value::String(s) => s.clone(),
        Value::Object(map) => {
            let s = |k: &str| map.get(k).and_then(Value::as_str);
            if let (Some(row), Some(key)) = (map.get("row").and_then(Value::as_u64), s("key")) {
                return match s("reason") {
                    Some(reason) => format!("row {row}: {key} ({reason})"),
                    None => format!("row {row}: {key}"),
                };
            }
            match (s("location"), s("message")) {
                (Some(location), Some(message)) => match s("action") {
                    Some(action) => format!("{location}: {message} ({action})"),
                    None => format!("{location}: {message}"),
                },
                _ => map
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", scalar_text(v)))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        }
        other => scalar_text(other),
    }
}

/// A roster import's duplicate ("line 5: Anne Roux, same phone as Anne Roux-Martin, updated")
/// or rejected row ("line 7: no name").
fn roster_item_text(t: &Strings, item: &Value) -> Option<String> {
    let map = item.as_object()?;
    let line = map.get("line")?.as_u64()?;
    let s = |k: &str| map.get(k).and_then(Value::as_str);
    if let Some(reason) = s("reason") {
        return Some(fill(t.roster_rejected_item, &[&line, &reason]));
    }
    let (name, by, matched) = (s("name")?, s("by")?, s("matched_name")?);
    let by = match by {
        "phone" => t.roster_by_phone,
        "email" => t.roster_by_email,
        other => other,
    };
    let template = if map.get("updated").and_then(Value::as_bool) == Some(true) {
        t.roster_duplicate_updated
    } else {
        t.roster_duplicate_item
    };
    Some(fill(template, &[&line, &name, &by, &matched]))
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        Value::Array(a) => a.iter().map(scalar_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// "unmatched_rows" → "Unmatched rows" (or the language's title for known keys).
fn field_title(t: &Strings, key: &str) -> String {
    if let Some((_, title)) = t.field_titles.iter().find(|(k, _)| *k == key) {
        return (*title).to_owned();
    }
    let mut s = key.replace('_', " ");
    if let Some(first) = s.get(0..1) {
        s.replace_range(0..1, &first.to_uppercase());
    }
    s
}

/// The body of one report: headline, lists (collapsible), then the other fields.
pub fn report_ui(ui: &mut Ui, t: &Strings, report: &ReportView, id_salt: &str) {
    for line in report.headline(t) {
        ui.label(RichText::new(line).strong());
    }
    let Value::Object(fields) = &report.report else {
        ui.label(scalar_text(&report.report));
        return;
    };
    for (key, value) in fields {
        if let Value::Array(items) = value
            && !items.is_empty()
            && key != "bbox_wgs84"
        {
            let title = format!("{} ({})", field_title(t, key), items.len());
            CollapsingHeader::new(title)
                .id_salt((id_salt, key))
                .default_open(key == "warnings" && items.len() <= 10)
                .show(ui, |ui| {
                    for item in items.iter().take(MAX_LIST_ITEMS) {
                        ui.label(roster_item_text(t, item).unwrap_or_else(|| item_text(item)));
                    }
                    if items.len() > MAX_LIST_ITEMS {
                        ui.weak(fill(t.and_more, &[&(items.len() - MAX_LIST_ITEMS)]));
                    }
                });
        }
    }
    CollapsingHeader::new(t.details)
        .id_salt((id_salt, "details"))
        .show(ui, |ui| {
            egui::Grid::new((id_salt, "details grid"))
                .num_columns(2)
                .show(ui, |ui| {
                    for (key, value) in fields {
                        let is_list = matches!(value, Value::Array(items) if !items.is_empty())
                            && key != "bbox_wgs84";
                        if !is_list {
                            ui.label(field_title(t, key));
                            ui.label(scalar_text(value));
                            ui.end_row();
                        }
                    }
                });
        });
}

/// The whole panel: the last import (this session's, or the newest in the log) and the history.
pub fn import_report_panel_ui(
    ui: &mut Ui,
    t: &Strings,
    last: Option<&ReportView>,
    last_error: Option<&str>,
    log: &[ImportLogEntry],
) {
    ui.heading(t.import_report);
    if let Some(error) = last_error {
        ui.colored_label(
            ui.visuals().error_fg_color,
            fill(t.last_import_failed, &[&error]),
        );
    }
    let from_log;
    let (last, history) = match last {
        Some(last) => {
            // This session's report is also the newest log entry: do not list it twice.
            let skip = log
                .first()
                .is_some_and(|e| e.kind == last.kind && e.file == last.file);
            (Some(last), if skip { &log[1..] } else { log })
        }
        None => match log.first() {
            Some(first) => {
                from_log = ReportView::from_log(first);
                (Some(&from_log), &log[1..])
            }
            None => (None, log),
        },
    };
    match last {
        Some(report) => {
            ui.label(fill(
                t.kind_from_file,
                &[&t.kind_name(&report.kind), &report.file_name()],
            ))
            .on_hover_text(&report.file);
            if let Some(at) = &report.imported_at {
                ui.weak(at);
            }
            report_ui(ui, t, report, "last import");
        }
        None => {
            ui.weak(t.no_import_yet);
        }
    }
    if !history.is_empty() {
        ui.separator();
        CollapsingHeader::new(fill(t.import_history, &[&history.len()]))
            .id_salt("import history")
            .show(ui, |ui| {
                for entry in history {
                    let view = ReportView::from_log(entry);
                    CollapsingHeader::new(format!(
                        "{} · {} · {}",
                        entry.imported_at,
                        t.kind_name(&entry.kind),
                        view.file_name()
                    ))
                    .id_salt(("import log", entry.id))
                    .show(ui, |ui| {
                        report_ui(ui, t, &view, &format!("log {}", entry.id))
                    });
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_headline_and_rows() {
        let t = &crate::ui::i18n::EN;
        let view = ReportView {
            kind: "volunteers".into(),
            file: "/tmp/b.csv".into(),
            imported_at: None,
            report: serde_json::json!({"rows": 8, "added": 6, "updated": 0,
                "duplicates": [{"line": 7, "name": "Anne Roux", "by": "phone", "matched_id": 1, "matched_name": "José Dupré", "updated": false}],
                "rejected": [{"line": 8, "reason": "no name"}],
                "homes_by_address_id": 1, "homes_by_address_text": 0, "homes_by_lonlat": 3,
                "homes_not_found": 2, "pairs": 1, "warnings": []}),
        };
        assert_eq!(
            view.headline(t),
            vec![
                "6 added, 0 updated",
                "1 duplicate row",
                "1 rejected row",
                "Homes found: 4 (1 by address id, 0 by address, 3 by lon/lat); 2 not found",
                "1 pair linked",
            ]
        );
        assert_eq!(
            roster_item_text(t, &view.report["duplicates"][0]).unwrap(),
            "line 7: Anne Roux, same phone as José Dupré (skipped)"
        );
        assert_eq!(
            roster_item_text(t, &view.report["rejected"][0]).unwrap(),
            "line 8: no name"
        );
    }

    #[test]
    fn results_headline_counts_matches() {
        let view = ReportView {
            kind: "results".into(),
            file: "/tmp/r.csv".into(),
            imported_at: None,
            report: serde_json::json!({"rows": 4, "matched": 3, "unmatched_rows": [{"location": "row 5", "message": "unknown precinct 9", "action": "skipped"}], "precincts_without_results": [], "warnings": []}),
        };
        assert_eq!(
            view.headline(&crate::ui::i18n::EN),
            vec![
                "4 rows read, 3 precincts matched",
                "1 unmatched row",
                "0 precincts without results"
            ]
        );
        assert_eq!(view.file_name(), "r.csv");
        assert_eq!(
            item_text(&view.report["unmatched_rows"][0]),
            "row 5: unknown precinct 9 (skipped)"
        );
    }
}
