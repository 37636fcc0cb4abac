//! The menu bar: File (campaigns, imports, quit) and View.

use egui::Ui;

use crate::ui::command::{Command, ImportKind};

pub fn menu_bar_ui(
    ui: &mut Ui,
    has_campaign: bool,
    side_panel_visible: &mut bool,
    commands: &mut Vec<Command>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui.button("New campaign…").clicked() {
                commands.push(Command::ShowNewCampaign);
            }
            if ui.button("Open campaign…").clicked() {
                commands.push(Command::ShowOpenCampaign);
            }
            ui.separator();
            for (label, kind) in [
                ("Import precincts…", ImportKind::Precincts),
                ("Import results…", ImportKind::Results),
                ("Import addresses…", ImportKind::Addresses),
            ] {
                if ui
                    .add_enabled(has_campaign, egui::Button::new(label))
                    .clicked()
                {
                    commands.push(Command::ShowImport(kind));
                }
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                commands.push(Command::Quit);
            }
        });
        ui.menu_button("View", |ui| {
            if ui
                .add_enabled(has_campaign, egui::Button::new("Zoom to campaign"))
                .clicked()
            {
                commands.push(Command::ZoomToCampaign);
            }
            ui.checkbox(side_panel_visible, "Side panel");
        });
    });
}
