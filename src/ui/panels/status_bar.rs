//! The status bar: the running job's progress bar with Cancel, or the last status message.

use egui::{ProgressBar, Ui};

use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};

/// What the bar shows about the running job, read from `Job` by the app.
pub struct JobStatus {
    pub label: String,
    pub stage: String,
    pub fraction: f32,
    pub cancel_requested: bool,
}

pub fn status_bar_ui(
    ui: &mut Ui,
    t: &Strings,
    job: Option<&JobStatus>,
    message: &str,
    zoom: Option<f64>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        match job {
            Some(job) => {
                ui.spinner();
                let text = if job.stage.is_empty() {
                    job.label.clone()
                } else {
                    format!("{}: {}", job.label, job.stage)
                };
                ui.add(
                    ProgressBar::new(job.fraction)
                        .desired_width(220.0)
                        .show_percentage(),
                );
                if job.cancel_requested {
                    ui.add_enabled(false, egui::Button::new(t.cancelling));
                } else if ui.button(t.cancel).clicked() {
                    commands.push(Command::CancelJob);
                }
                ui.label(text);
            }
            None => {
                ui.label(message);
            }
        }
        if let Some(zoom) = zoom {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.weak(fill(t.zoom_level, &[&t.decimal(zoom, 1)]));
            });
        }
    });
}
