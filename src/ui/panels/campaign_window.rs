//! The "New campaign" / "Open campaign" window: a path field with Browse…, so a campaign can be
//! created or opened even where no system file dialog is available.

use std::path::PathBuf;

use egui::{Context, Id, TextEdit};

use crate::ui::command::{Command, PickTarget};
use crate::ui::i18n::{Strings, fill};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CampaignWindowMode {
    #[default]
    Open,
    New,
}

#[derive(Clone, Debug, Default)]
pub struct CampaignForm {
    pub open: bool,
    pub mode: CampaignWindowMode,
    pub path: String,
    pub error: Option<String>,
}

impl CampaignForm {
    pub fn show(&mut self, mode: CampaignWindowMode) {
        self.mode = mode;
        self.open = true;
        self.error = None;
    }
}

pub fn campaign_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut CampaignForm,
    busy: bool,
    commands: &mut Vec<Command>,
) {
    let (title, action, target) = match form.mode {
        CampaignWindowMode::Open => (t.open_campaign_title, t.open, PickTarget::OpenCampaign),
        CampaignWindowMode::New => (t.new_campaign_title, t.create, PickTarget::NewCampaign),
    };
    let mut open = form.open;
    let mut close = false;
    egui::Window::new(title)
        .id(Id::unique("porte campaign window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(t.campaign_file);
                ui.add(
                    TextEdit::singleline(&mut form.path)
                        .hint_text(t.campaign_file_hint)
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
                if ui.button(t.browse).clicked() {
                    commands.push(Command::Browse(target));
                }
            });
            if form.mode == CampaignWindowMode::New {
                ui.weak(t.new_campaign_note);
            }
            if let Some(error) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(!busy, egui::Button::new(action)).clicked() {
                    let path = form.path.trim();
                    if path.is_empty() {
                        form.error = Some(t.need_path.to_owned());
                    } else {
                        let mut path = PathBuf::from(path);
                        if form.mode == CampaignWindowMode::New && path.extension().is_none() {
                            path.set_extension("gpkg");
                        }
                        if form.mode == CampaignWindowMode::Open && !path.exists() {
                            form.error = Some(fill(t.no_such_file, &[&path.display()]));
                        } else {
                            commands.push(Command::OpenCampaign(path));
                            close = true;
                        }
                    }
                }
                if ui.button(t.cancel).clicked() {
                    close = true;
                }
            });
        });
    form.open = open && !close;
}
