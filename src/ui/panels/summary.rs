//! The campaign summary: file, precinct count, elections, addresses (share inside precincts) and
//! the selected precinct with its figures.

use egui::{RichText, Ui};

use crate::model::campaign::CampaignInfo;
use crate::ui::command::{Command, ImportKind};
use crate::ui::i18n::{Strings, fill};
use crate::ui::map::PrecinctShape;

pub fn summary_ui(
    ui: &mut Ui,
    t: &Strings,
    info: &CampaignInfo,
    selected: Option<(&PrecinctShape, Vec<String>)>,
    commands: &mut Vec<Command>,
) {
    ui.heading(t.campaign);
    let file_name = std::path::Path::new(&info.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| info.path.clone());
    ui.label(RichText::new(file_name).strong())
        .on_hover_text(&info.path);

    ui.horizontal(|ui| {
        ui.label(t.count(info.precincts, t.precinct_one, t.precinct_many));
        if info.precincts == 0 && ui.small_button(t.import_short).clicked() {
            commands.push(Command::ShowImport(ImportKind::Precincts));
        }
    });

    if info.elections.is_empty() {
        ui.label(t.no_elections);
    } else {
        ui.label(t.count(info.elections.len(), t.election_one, t.election_many));
        ui.indent("elections", |ui| {
            for name in &info.elections {
                ui.label(name);
            }
        });
    }

    if info.addresses == 0 {
        ui.label(t.no_addresses);
    } else {
        let share = info.addresses_in_precincts as f64 / info.addresses as f64;
        ui.label(fill(
            t.in_precincts_pct,
            &[
                &t.count(info.addresses, t.address_one, t.address_many),
                &t.percent(share),
            ],
        ));
    }

    ui.separator();
    match selected {
        Some((shape, figures)) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(fill(t.selected, &[&shape.title()]));
                if ui.small_button(t.clear).clicked() {
                    commands.push(Command::SelectPrecinct(None));
                }
                if ui.small_button(t.zoom_to_selection).clicked() {
                    commands.push(Command::ZoomToSelection);
                }
            });
            for line in figures {
                ui.weak(line);
            }
        }
        None if info.precincts > 0 => {
            ui.weak(t.click_to_select);
        }
        None => {}
    }
}
