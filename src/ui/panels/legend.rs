//! "Map colours": which variable of the scoring model colours the precincts (for which election,
//! candidate or previous election), the classification method, the number of classes and the
//! ColorBrewer ramp, and the model's legend (class bounds, colours and counts, plus "No data").
//! With the coverage: its fixed classes by default ("Not visited (0 %)", "under 20 %", …), the
//! "counting visits since" date, the legend's title saying what is counted, and the toggle of
//! priority and coverage side by side.

use std::path::Path;

use egui::{Color32, Sense, Ui, vec2};

use crate::model::scoring::ShareOf;
use crate::model::scoring::ramps::{RAMPS, RampKind};
use crate::ui::command::Command;
use crate::ui::figures::{
    ColourChoice, Colouring, ElectionFigures, MethodChoice, Variable, coverage_title,
};
use crate::ui::i18n::{Strings, fill};

/// A value as the legend shows it: percentages, signed points, a score or a rounded integer.
pub fn value_text(t: &Strings, variable: Variable, v: f64) -> String {
    match variable {
        _ if variable.is_percent() => format!("{}{}", t.decimal(v, 1), t.percent_sign),
        Variable::Swing => {
            let sign = if v > 0.0 { "+" } else { "" };
            format!("{sign}{} {}", t.decimal(v, 1), t.points)
        }
        Variable::Priority => t.decimal(v, 1),
        _ => t.integer(v.round() as i64),
    }
}

/// A value with its unit, for the tooltip and the summary: "63.2 / 100" for the priority score,
/// percentages and points as in the legend, voters and doors as integers.
pub fn value_with_unit(t: &Strings, variable: Variable, v: f64) -> String {
    match variable {
        Variable::Priority => fill(t.score_out_of, &[&t.decimal(v, 1)]),
        Variable::Registered => format!("{} {}", t.integer(v.round() as i64), t.unit_voters),
        _ => value_text(t, variable, v),
    }
}

/// "Priority score: 63.2 / 100": the coloured variable's value for precinct `i` of the layer
/// ("No data" when it has none), and with the coverage its doors, knocked and last visit on the
/// next lines; `None` when the map is not coloured.
pub fn colour_value_line(t: &Strings, colouring: Option<&Colouring>, i: usize) -> Option<String> {
    let c = colouring?;
    let value = match c.values.get(i).copied().flatten() {
        Some(v) => value_with_unit(t, c.variable, v),
        None => t.no_data.to_owned(),
    };
    let label = match &c.coverage {
        Some(coverage) => coverage_title(t, coverage.since),
        None => c.variable.label(t).to_owned(),
    };
    let line = format!("{label}{}{value}", t.colon);
    // The coverage adds the precinct's doors, knocked and last visit.
    Some(
        std::iter::once(line)
            .chain(c.coverage_lines(t, i))
            .collect::<Vec<_>>()
            .join("\n"),
    )
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

/// What the "Map colours" panel reads.
pub struct ColourPanel<'a> {
    pub choice: &'a ColourChoice,
    pub election: Option<usize>,
    pub elections: &'a [ElectionFigures],
    /// Candidates of the chosen election.
    /// The chosen election's candidates, then its saved blocs.
    pub share_options: &'a [ShareOf],
    /// True when blocs are saved for the chosen election (the priority score needs them).
    pub blocs_saved: bool,
    pub campaign_path: &'a Path,
    pub colouring: Option<&'a Colouring>,
    pub error: Option<&'a str>,
    /// Priority and coverage side by side in the central panel.
    pub compare: bool,
}

/// "20 %" (an integer percentage, for the fixed coverage classes).
fn whole_percent(t: &Strings, v: f64) -> String {
    format!("{}{}", t.integer(v.round() as i64), t.percent_sign)
}

/// The label of class `k` of a legend: the fixed coverage classes by name ("Not visited
/// (0 %)", "under 20 %", "20 – 40 %", "80 % or more"), other classes as "lower – upper".
pub fn class_label(t: &Strings, colouring: &Colouring, k: usize) -> String {
    let classes = &colouring.legend.classes;
    let class = &classes[k];
    if colouring.is_fixed_coverage() {
        if k == 0 {
            return t.coverage_class_none.to_owned();
        }
        if k == 1 {
            return fill(t.coverage_class_under, &[&whole_percent(t, class.upper)]);
        }
        if k + 1 == classes.len() {
            return fill(t.coverage_class_over, &[&whole_percent(t, class.lower)]);
        }
        return format!(
            "{} – {}",
            t.integer(class.lower.round() as i64),
            whole_percent(t, class.upper)
        );
    }
    let variable = colouring.variable;
    format!(
        "{} – {}",
        value_text(t, variable, class.lower),
        value_text(t, variable, class.upper)
    )
}

/// The legend's rows: a swatch, the class and its count (then "No data"), under the coverage's
/// title when the coverage is shown. `id` keeps two legends on one screen apart.
pub fn legend_rows_ui(ui: &mut Ui, t: &Strings, colouring: &Colouring, id: &str) {
    if let Some(coverage) = &colouring.coverage {
        ui.vertical(|ui| {
            ui.strong(coverage_title(t, coverage.since));
            legend_grid_ui(ui, t, colouring, id);
        });
    } else {
        legend_grid_ui(ui, t, colouring, id);
    }
}

fn legend_grid_ui(ui: &mut Ui, t: &Strings, colouring: &Colouring, id: &str) {
    let legend = &colouring.legend;
    egui::Grid::new(id)
        .num_columns(3)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for (k, class) in legend.classes.iter().enumerate() {
                let [r, g, b] = class.color_rgb;
                swatch_ui(ui, Color32::from_rgb(r, g, b));
                ui.label(class_label(t, colouring, k));
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

fn combo<T: PartialEq + Clone>(
    ui: &mut Ui,
    label: &str,
    id: &str,
    selected_text: String,
    value: &mut T,
    items: impl IntoIterator<Item = (T, String, bool)>,
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected_text)
        .width(180.0)
        .show_ui(ui, |ui| {
            for (item, text, enabled) in items {
                let selected = item == *value;
                let clicked = ui
                    .add_enabled_ui(enabled, |ui| ui.selectable_label(selected, text))
                    .inner
                    .clicked();
                if clicked {
                    *value = item;
                }
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

pub fn map_colours_ui(ui: &mut Ui, t: &Strings, panel: &ColourPanel, commands: &mut Vec<Command>) {
    let mut next = panel.choice.clone();
    let election_name = panel
        .election
        .and_then(|i| panel.elections.get(i))
        .map(|e| e.name.as_str());
    ui.heading(t.map_colours);
    egui::Grid::new("map colours")
        .num_columns(2)
        .show(ui, |ui| {
            combo(
                ui,
                t.colour_by,
                "colour variable",
                next.variable.label(t).to_owned(),
                &mut next.variable,
                Variable::ALL.map(|v| {
                    let enabled = v != Variable::Priority || panel.blocs_saved;
                    (v, v.label(t).to_owned(), enabled)
                }),
            );
            if next.variable != panel.choice.variable {
                // The coverage gets its fixed classes; leaving it goes back to quantiles.
                let chosen = next.variable;
                next.variable = panel.choice.variable;
                next.set_variable(chosen);
            }
            if !panel.elections.is_empty() {
                let label = ui.label(t.election);
                egui::ComboBox::from_id_salt("colour election")
                    .selected_text(election_name.unwrap_or("—"))
                    .width(180.0)
                    .show_ui(ui, |ui| {
                        for (i, e) in panel.elections.iter().enumerate() {
                            if ui
                                .selectable_label(Some(i) == panel.election, &e.name)
                                .clicked()
                                && Some(i) != panel.election
                            {
                                commands.push(Command::ChooseElection(i));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            }
            if matches!(next.variable, Variable::Share | Variable::Swing)
                && !panel.share_options.is_empty()
            {
                let name = |o: &ShareOf| match o {
                    ShareOf::Candidate(c) => c.clone(),
                    ShareOf::Bloc(b) => fill(t.bloc_option, &[b]),
                };
                combo(
                    ui,
                    t.candidate,
                    "colour candidate",
                    next.share_of.as_ref().map_or_else(|| "—".into(), name),
                    &mut next.share_of,
                    panel
                        .share_options
                        .iter()
                        .map(|o| (Some(o.clone()), name(o), true)),
                );
            }
            if next.variable == Variable::Swing && panel.elections.len() > 1 {
                let name = |i: Option<usize>| {
                    i.and_then(|i| panel.elections.get(i))
                        .map_or("—".to_owned(), |e| e.name.clone())
                };
                combo(
                    ui,
                    t.previous_election,
                    "colour previous",
                    name(next.previous),
                    &mut next.previous,
                    (0..panel.elections.len())
                        .filter(|&i| Some(i) != panel.election)
                        .map(|i| (Some(i), name(Some(i)), true)),
                );
            }
            combo(
                ui,
                t.method,
                "colour method",
                next.method.label(t).to_owned(),
                &mut next.method,
                MethodChoice::ALL
                    .into_iter()
                    .filter(|m| m.fits(next.variable))
                    .map(|m| (m, m.label(t).to_owned(), true)),
            );
            // The fixed coverage classes have no count or breaks to choose.
            if next.method == MethodChoice::Manual {
                let label = ui.label(t.breaks);
                ui.add(
                    egui::TextEdit::singleline(&mut next.breaks)
                        .hint_text(t.breaks_hint)
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            } else if next.method != MethodChoice::CoverageFixed {
                let label = ui.label(t.classes);
                ui.add(egui::Slider::new(&mut next.classes, 3..=9))
                    .labelled_by(label.id);
                ui.end_row();
            }
            let default = fill(t.ramp_default, &[&next.variable.default_ramp().name]);
            let label = ui.label(t.ramp);
            egui::ComboBox::from_id_salt("colour ramp")
                .selected_text(next.ramp.unwrap_or(&default))
                .width(180.0)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(next.ramp.is_none(), &default).clicked() {
                        next.ramp = None;
                    }
                    for (kind, heading) in [
                        (RampKind::Sequential, t.ramps_sequential),
                        (RampKind::Diverging, t.ramps_diverging),
                    ] {
                        ui.separator();
                        ui.weak(heading);
                        for r in RAMPS.iter().filter(|r| r.kind == kind) {
                            if ui
                                .selectable_label(next.ramp == Some(r.name), r.name)
                                .clicked()
                            {
                                next.ramp = Some(r.name);
                            }
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            if next.variable == Variable::Coverage {
                since_ui(ui, t, &mut next);
            }
        });
    if next.variable.needs_election() && panel.elections.is_empty() {
        ui.weak(t.no_election_data);
    }
    if election_name.is_some() && ui.button(t.edit_priority).clicked() {
        commands.push(Command::ShowPriorityEditor);
    }
    if !panel.blocs_saved
        && let Some(name) = election_name
    {
        let path = panel.campaign_path.display();
        ui.weak(fill(t.priority_needs_blocs, &[&name, &path, &name]));
    }
    if next.variable == Variable::Swing && panel.elections.len() < 2 {
        ui.weak(t.no_previous_election);
    }
    let mut compare = panel.compare;
    if ui.checkbox(&mut compare, t.compare_toggle).changed() {
        commands.push(Command::SetCompare(compare));
    }
    if next != *panel.choice {
        commands.push(Command::SetColours(next));
    }
    if let Some(error) = panel.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    let Some(colouring) = panel.colouring else {
        return;
    };
    let legend = &colouring.legend;
    let method = MethodChoice::ALL
        .into_iter()
        .find(|m| {
            matches!(
                (m, legend.method.as_str()),
                (MethodChoice::Quantile, "quantile")
                    | (MethodChoice::EqualInterval, "equal_interval")
                    | (MethodChoice::Jenks, "jenks")
                    | (MethodChoice::Manual, "manual")
                    | (MethodChoice::CoverageFixed, "coverage_fixed")
            )
        })
        .map_or(legend.method.as_str(), |m| m.label(t));
    ui.weak(fill(t.legend_method, &[&method, &legend.classes.len()]));
    for note in &legend.notes {
        ui.weak(note);
    }
    legend_rows_ui(ui, t, colouring, "legend");
}

/// "Counting visits since [YYYY-MM-DD]": a draft kept while typing; the choice changes (and the
/// map is recoloured) when the field is emptied or holds a whole date.
fn since_ui(ui: &mut Ui, t: &Strings, next: &mut ColourChoice) {
    let label = ui.label(t.coverage_since);
    let id = ui.make_persistent_id("coverage since draft");
    let mut draft: String = ui
        .data(|d| d.get_temp(id))
        .unwrap_or_else(|| next.since.clone());
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut draft)
                .hint_text(t.coverage_since_hint)
                .desired_width(180.0),
        )
        .labelled_by(label.id);
    if !response.has_focus() && !response.changed() && draft.trim() == next.since.trim() {
        ui.data_mut(|d| d.remove::<String>(id));
    } else {
        ui.data_mut(|d| d.insert_temp(id, draft.clone()));
    }
    ui.end_row();
    let candidate = ColourChoice {
        since: draft.trim().to_owned(),
        ..next.clone()
    };
    let whole_date = draft.trim().len() >= 10 && candidate.since_date().is_ok();
    if draft.trim().is_empty() || whole_date {
        next.since = candidate.since;
    } else if !response.has_focus() {
        ui.label("");
        ui.colored_label(
            ui.visuals().error_fg_color,
            fill(t.coverage_since_invalid, &[&draft.trim()]),
        );
        ui.end_row();
    }
}
