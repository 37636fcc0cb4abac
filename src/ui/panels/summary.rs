//! The campaign summary: file, precinct count, elections, addresses (share inside precincts) and
//! the selected precinct.

use egui::{RichText, Ui};

use crate::model::campaign::CampaignInfo;
use crate::ui::command::{Command, ImportKind};
use crate::ui::map::PrecinctShape;

/// "1 precinct", "3 precincts".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn summary_ui(
    ui: &mut Ui,
    info: &CampaignInfo,
    selected: Option<&PrecinctShape>,
    commands: &mut Vec<Command>,
) {
    ui.heading("Campaign");
    let file_name = std::path::Path::new(&info.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| info.path.clone());
    ui.label(RichText::new(file_name).strong())
        .on_hover_text(&info.path);

    ui.horizontal(|ui| {
        ui.label(plural(info.precincts, "precinct", "precincts"));
        if info.precincts == 0 && ui.small_button("Import…").clicked() {
            commands.push(Command::ShowImport(ImportKind::Precincts));
        }
    });

    if info.elections.is_empty() {
        ui.label("No elections");
    } else {
        ui.label(plural(info.elections.len(), "election", "elections"));
        ui.indent("elections", |ui| {
            for name in &info.elections {
                ui.label(name);
            }
        });
    }

    if info.addresses == 0 {
        ui.label("No addresses");
    } else {
        let share_pct = 100.0 * info.addresses_in_precincts as f64 / info.addresses as f64;
        ui.label(format!(
            "{} ({share_pct:.1}% in precincts)",
            plural(info.addresses, "address", "addresses")
        ));
    }

    ui.separator();
    match selected {
        Some(shape) => {
            ui.horizontal(|ui| {
                ui.label(format!("Selected: {}", shape.title()));
                if ui.small_button("Clear").clicked() {
                    commands.push(Command::SelectPrecinct(None));
                }
            });
        }
        None if info.precincts > 0 => {
            ui.weak("Click a precinct on the map to select it.");
        }
        None => {}
    }
}
