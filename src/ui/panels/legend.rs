//! "Map colours": which variable colours the precincts, for which election, and the legend
//! (class bounds, colours and counts, plus "No data").

use egui::{Color32, Sense, Ui, vec2};

use crate::ui::command::Command;
use crate::ui::figures::{ElectionFigures, LegendView, Variable};
use crate::ui::i18n::{Strings, fill};

/// A value as the legend shows it: a percentage for ratios, else a rounded integer.
pub fn value_text(t: &Strings, variable: Variable, v: f64) -> String {
    if variable.is_ratio() {
        t.percent(v)
    } else {
        t.integer(v.round() as i64)
    }
}

fn swatch_ui(ui: &mut Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(vec2(16.0, 12.0), Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
    ui.painter().rect_stroke(
        rect,
        2.0,
        ui.visuals().widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
}

pub fn map_colours_ui(
    ui: &mut Ui,
    t: &Strings,
    variable: Variable,
    election: Option<usize>,
    elections: &[ElectionFigures],
    legend: Option<&LegendView>,
    commands: &mut Vec<Command>,
) {
    ui.heading(t.map_colours);
    egui::Grid::new("map colours")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(t.colour_by);
            egui::ComboBox::from_id_salt("colour variable")
                .selected_text(variable.label(t))
                .show_ui(ui, |ui| {
                    for v in Variable::ALL {
                        if ui.selectable_label(v == variable, v.label(t)).clicked() && v != variable
                        {
                            commands.push(Command::ShowVariable(v));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            if !elections.is_empty() {
                let label = ui.label(t.election);
                let current = election
                    .and_then(|i| elections.get(i))
                    .map(|e| e.name.as_str())
                    .unwrap_or("—");
                egui::ComboBox::from_id_salt("colour election")
                    .selected_text(current)
                    .width(180.0)
                    .show_ui(ui, |ui| {
                        for (i, e) in elections.iter().enumerate() {
                            if ui.selectable_label(Some(i) == election, &e.name).clicked()
                                && Some(i) != election
                            {
                                commands.push(Command::ChooseElection(i));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
    if variable.needs_election() && elections.is_empty() {
        ui.weak(t.no_election_data);
    }
    let Some(legend) = legend else {
        return;
    };
    if !legend.classes.is_empty() {
        ui.weak(fill(t.legend_method, &[&legend.classes.len()]));
    }
    egui::Grid::new("legend")
        .num_columns(3)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for class in &legend.classes {
                let [r, g, b] = class.color_rgb;
                swatch_ui(ui, Color32::from_rgb(r, g, b));
                ui.label(format!(
                    "{} – {}",
                    value_text(t, variable, class.lower),
                    value_text(t, variable, class.upper)
                ));
                ui.weak(format!("({})", t.integer(class.count as i64)));
                ui.end_row();
            }
            if legend.no_data > 0 {
                swatch_ui(ui, Color32::from_gray(150));
                ui.label(t.no_data);
                ui.weak(format!("({})", t.integer(legend.no_data as i64)));
                ui.end_row();
            }
        });
}
