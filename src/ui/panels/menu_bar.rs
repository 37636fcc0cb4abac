//! The menu bar: File (campaigns, imports, quit) and View (zooms, panels, basemap, language).

use egui::Ui;

use crate::ui::command::{Command, ImportKind, PickTarget};
use crate::ui::i18n::{Lang, Strings, fill};
use crate::ui::map::basemap::BasemapChoice;
use crate::ui::panels::dashboard::DashboardCommand;

/// What the menus read and toggle directly (layout prefs).
pub struct MenuState<'a> {
    pub has_campaign: bool,
    pub has_selection: bool,
    pub side_panel_visible: &'a mut bool,
    pub table_visible: &'a mut bool,
    /// The chosen language, `None` when following the system.
    pub lang_choice: Option<Lang>,
    /// The basemap drawn under the campaign layers.
    pub basemap: &'a BasemapChoice,
    /// Priority and coverage side by side.
    pub compare: bool,
}

pub fn menu_bar_ui(ui: &mut Ui, t: &Strings, state: MenuState<'_>, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(t.file, |ui| {
            if ui.button(t.new_campaign_menu).clicked() {
                commands.push(Command::ShowNewCampaign);
            }
            if ui.button(t.open_campaign_menu).clicked() {
                commands.push(Command::ShowOpenCampaign);
            }
            ui.separator();
            for (label, kind) in [
                (t.import_precincts_menu, ImportKind::Precincts),
                (t.import_results_menu, ImportKind::Results),
                (t.import_addresses_menu, ImportKind::Addresses),
                (t.import_streets_menu, ImportKind::Streets),
                (t.import_volunteers_menu, ImportKind::Volunteers),
            ] {
                if ui
                    .add_enabled(state.has_campaign, egui::Button::new(label))
                    .clicked()
                {
                    commands.push(Command::ShowImport(kind));
                }
            }
            if ui
                .add_enabled(state.has_campaign, egui::Button::new(t.rimport_menu))
                .clicked()
            {
                commands.push(Command::ResultsImport(
                    crate::ui::panels::results_import_window::ResultsImportCommand::Show,
                ));
            }
            ui.separator();
            if ui
                .add_enabled(state.has_campaign, egui::Button::new(t.export_map_menu))
                .clicked()
            {
                commands.push(Command::ShowExportMap);
            }
            ui.separator();
            if ui.button(t.quit).clicked() {
                commands.push(Command::Quit);
            }
        });
        ui.menu_button(t.view, |ui| {
            if ui
                .add_enabled(state.has_campaign, egui::Button::new(t.zoom_to_campaign))
                .clicked()
            {
                commands.push(Command::ZoomToCampaign);
            }
            if ui
                .add_enabled(state.has_selection, egui::Button::new(t.zoom_to_selection))
                .clicked()
            {
                commands.push(Command::ZoomToSelection);
            }
            if ui
                .add_enabled(state.has_campaign, egui::Button::new(t.edit_priority))
                .clicked()
            {
                commands.push(Command::ShowPriorityEditor);
            }
            if ui
                .add_enabled(state.has_campaign, egui::Button::new(t.dashboard_menu))
                .clicked()
            {
                commands.push(Command::Dashboard(DashboardCommand::Show));
            }
            let mut compare = state.compare;
            if ui
                .add_enabled(
                    state.has_campaign,
                    egui::Checkbox::new(&mut compare, t.compare_toggle),
                )
                .changed()
            {
                commands.push(Command::SetCompare(compare));
            }
            ui.separator();
            ui.checkbox(state.side_panel_visible, t.side_panel);
            ui.checkbox(state.table_visible, t.precinct_table);
            ui.separator();
            ui.menu_button(t.basemap, |ui| {
                basemap_menu_ui(ui, t, state.basemap, commands)
            });
            ui.menu_button(t.language, |ui| {
                let system = fill(t.follow_system, &[&Lang::from_system().native_name()]);
                if ui.radio(state.lang_choice.is_none(), system).clicked() {
                    commands.push(Command::SetLanguage(None));
                }
                for lang in Lang::ALL {
                    if ui
                        .radio(state.lang_choice == Some(lang), lang.native_name())
                        .clicked()
                    {
                        commands.push(Command::SetLanguage(Some(lang)));
                    }
                }
            });
        });
    });
}

/// View › Basemap: campaign layers only, a local .pmtiles file (file dialog), or online OSM.
fn basemap_menu_ui(ui: &mut Ui, t: &Strings, current: &BasemapChoice, commands: &mut Vec<Command>) {
    let only = BasemapChoice::CampaignOnly;
    if ui
        .radio(*current == only, t.basemap_campaign_only)
        .clicked()
    {
        commands.push(Command::SetBasemap(only));
    }
    if let BasemapChoice::PmTiles(path) = current {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Already chosen: shown selected; clicking keeps it.
        let _ = ui.radio(true, fill(t.basemap_pmtiles_chosen, &[&name]));
    }
    if ui.button(t.basemap_pmtiles_file).clicked() {
        commands.push(Command::Browse(PickTarget::BasemapFile));
    }
    let osm = BasemapChoice::OpenStreetMap;
    if ui.radio(*current == osm, t.basemap_osm).clicked() {
        commands.push(Command::SetBasemap(osm));
    }
}
