//! The turf panel: every turf with its precincts, doors, walking time, status and colour (a
//! click selects it, on the map too), the drawing tool's switch, undo/redo with the edit they
//! would revert, and the auto-cut form (precincts, doors per turf or number of turfs, priority
//! filter) with the last cut's quality report.

use egui::{RichText, Ui};

use crate::model::turfs::{CutReport, Turf, TurfHistory, TurfStatus};
use crate::ui::command::{Command, CutForm};
use crate::ui::i18n::{Strings, fill};
use crate::ui::map::turf_layer::colour_of;

/// Width of the name and precinct-code fields, points (the panel keeps its width).
const NAME_WIDTH: f32 = 180.0;

/// What the panel keeps between frames.
#[derive(Clone, Debug, Default)]
pub struct TurfPanelState {
    pub cut: CutForm,
    /// The turf whose name is being edited, and the text.
    renaming: Option<(i64, String)>,
}

/// What the panel reads.
pub struct TurfPanelData<'a> {
    pub turfs: &'a [Turf],
    pub selected_turf: Option<i64>,
    pub drawing: bool,
    /// New and moved vertices snap to precinct boundaries and streets.
    pub snapping: bool,
    pub history: &'a TurfHistory,
    /// The precinct selected on the map (the default precinct to cut).
    pub selected_precinct: Option<&'a str>,
    /// The last edit's notice (clipped, repaired) or error.
    pub notice: Option<&'a str>,
    pub last_cut: Option<&'a CutReport>,
    /// A cut or another job runs.
    pub busy: bool,
    /// Whether priority classes exist (blocs saved): the filter is offered then.
    pub has_priority: bool,
}

/// The turf panel (the right-hand panel's "Turfs" tab).
pub fn turf_panel_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut TurfPanelState,
    data: &TurfPanelData,
    commands: &mut Vec<Command>,
) {
    let doors: usize = data.turfs.iter().map(Turf::doors).sum();
    ui.label(fill(
        t.turfs_summary,
        &[&data.turfs.len(), &t.integer(doors as i64)],
    ));
    ui.horizontal_wrapped(|ui| {
        let draw = ui
            .selectable_label(data.drawing, t.draw_turf)
            .on_hover_text(t.draw_turf_hint);
        if draw.clicked() {
            commands.push(if data.drawing {
                Command::StopDrawingTurf
            } else {
                Command::StartDrawingTurf
            });
        }
        let undo = ui
            .add_enabled(data.history.undo.is_some(), egui::Button::new(t.undo))
            .on_hover_text(match &data.history.undo {
                Some(label) => fill(t.undo_hint, &[label]),
                None => t.nothing_to_undo.to_owned(),
            });
        if undo.clicked() {
            commands.push(Command::UndoTurfEdit);
        }
        let redo = ui
            .add_enabled(data.history.redo.is_some(), egui::Button::new(t.redo))
            .on_hover_text(match &data.history.redo {
                Some(label) => fill(t.redo_hint, &[label]),
                None => t.nothing_to_redo.to_owned(),
            });
        if redo.clicked() {
            commands.push(Command::RedoTurfEdit);
        }
    });
    let mut snapping = data.snapping;
    if ui
        .checkbox(&mut snapping, t.snap_vertices)
        .on_hover_text(t.snap_vertices_hint)
        .changed()
    {
        commands.push(Command::SetTurfSnapping(snapping));
    }
    if data.drawing {
        ui.weak(t.drawing_help);
    }
    if let Some(notice) = data.notice {
        ui.label(RichText::new(notice).color(ui.visuals().warn_fg_color));
    }

    ui.separator();
    cut_form_ui(ui, t, state, data, commands);
    ui.separator();

    if data.turfs.is_empty() {
        ui.weak(t.no_turfs);
        return;
    }
    egui::Grid::new("turf list")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            ui.strong(t.col_turf);
            ui.strong(t.col_turf_precincts);
            ui.strong(t.col_doors);
            ui.strong(t.col_minutes);
            ui.strong(t.col_status);
            ui.end_row();
            for turf in data.turfs {
                let selected = data.selected_turf == Some(turf.id);
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, colour_of(&turf.colour));
                    let name = ui.selectable_label(selected, &turf.name);
                    if name.double_clicked() {
                        commands.push(Command::ZoomToTurf(turf.id));
                    } else if name.clicked() {
                        commands.push(Command::SelectTurf(Some(turf.id)));
                    }
                });
                ui.label(turf.precincts.join(", "));
                ui.label(t.integer(turf.doors() as i64));
                ui.label(format!("{:.0}", turf.minutes));
                ui.label(t.turf_status(turf.status));
                ui.end_row();
            }
        });

    if let Some(turf) = data
        .selected_turf
        .and_then(|id| data.turfs.iter().find(|t| t.id == id))
    {
        ui.separator();
        selected_turf_ui(ui, t, state, turf, commands);
    }
}

fn selected_turf_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut TurfPanelState,
    turf: &Turf,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(t.turf_name);
        let renaming = state.renaming.as_mut().filter(|(id, _)| *id == turf.id);
        match renaming {
            Some((_, text)) => {
                let response = ui.add(egui::TextEdit::singleline(text).desired_width(NAME_WIDTH));
                if response.lost_focus() {
                    if text.trim() != turf.name {
                        commands.push(Command::RenameTurf(turf.id, text.clone()));
                    }
                    state.renaming = None;
                }
            }
            None => {
                let mut text = turf.name.clone();
                if ui
                    .add(egui::TextEdit::singleline(&mut text).desired_width(NAME_WIDTH))
                    .gained_focus()
                    || text != turf.name
                {
                    state.renaming = Some((turf.id, text));
                }
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label(t.col_status);
        for status in TurfStatus::ALL {
            if ui
                .selectable_label(turf.status == status, t.turf_status(status))
                .clicked()
                && turf.status != status
            {
                commands.push(Command::SetTurfStatus(turf.id, status));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(t.turf_colour);
        for hex in crate::model::turfs::PALETTE {
            let current = turf.colour.eq_ignore_ascii_case(hex);
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::click());
            ui.painter().rect_filled(rect, 3.0, colour_of(hex));
            if current {
                ui.painter().rect_stroke(
                    rect.expand(1.5),
                    3.0,
                    egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
                    egui::StrokeKind::Outside,
                );
            }
            let response = response.on_hover_text(hex);
            response
                .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, current, hex));
            if response.clicked() && !current {
                commands.push(Command::SetTurfColour(turf.id, hex.to_owned()));
            }
        }
    });
    ui.label(fill(
        t.turf_figures,
        &[
            &t.integer(turf.doors() as i64),
            &t.decimal(turf.area_m2 / 10_000.0, 1),
            &t.decimal(turf.path_m / 1000.0, 1),
            &format!("{:.0}", turf.minutes),
        ],
    ));
    ui.horizontal(|ui| {
        if ui.button(t.zoom_to_turf).clicked() {
            commands.push(Command::ZoomToTurf(turf.id));
        }
        if ui.button(t.delete_turf).clicked() {
            commands.push(Command::DeleteTurf(turf.id));
        }
    });
    if ui
        .button(t.cut_turf_area)
        .on_hover_text(t.cut_turf_area_hint)
        .clicked()
    {
        commands.push(Command::CutTurfs(CutForm {
            area_of_turf: Some(turf.id),
            ..state.cut.clone()
        }));
    }
    ui.weak(t.edit_turf_help);
}

fn cut_form_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut TurfPanelState,
    data: &TurfPanelData,
    commands: &mut Vec<Command>,
) {
    let form = &mut state.cut;
    if form.precincts.is_empty()
        && let Some(code) = data.selected_precinct
    {
        form.precincts = code.to_owned();
    }
    egui::CollapsingHeader::new(RichText::new(t.auto_cut).strong())
        .default_open(true)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(t.cut_precincts);
                ui.add(egui::TextEdit::singleline(&mut form.precincts).desired_width(NAME_WIDTH))
                    .on_hover_text(t.cut_precincts_hint);
                if let Some(code) = data.selected_precinct
                    && ui.small_button(t.use_selected).clicked()
                {
                    form.precincts = code.to_owned();
                }
            });
            ui.horizontal(|ui| {
                ui.radio_value(&mut form.by_count, false, t.doors_per_turf);
                ui.add_enabled(
                    !form.by_count,
                    egui::DragValue::new(&mut form.doors_per_turf).range(5..=2000),
                );
            });
            ui.horizontal(|ui| {
                ui.radio_value(&mut form.by_count, true, t.number_of_turfs);
                ui.add_enabled(
                    form.by_count,
                    egui::DragValue::new(&mut form.turfs).range(1..=500),
                );
            });
            if data.has_priority {
                ui.horizontal(|ui| {
                    ui.checkbox(&mut form.priority_only, t.only_priority_classes);
                    ui.add_enabled(
                        form.priority_only,
                        egui::DragValue::new(&mut form.max_class).range(1..=5),
                    );
                });
            }
            ui.horizontal(|ui| {
                ui.checkbox(&mut form.not_visited_only, t.only_not_visited_days);
                ui.add_enabled(
                    form.not_visited_only,
                    egui::DragValue::new(&mut form.not_visited_days)
                        .range(1..=365)
                        .suffix(t.days_suffix),
                );
            });
            ui.checkbox(&mut form.replace, t.replace_turfs);
            let ready = !form.precincts.trim().is_empty() && !data.busy;
            if ui
                .add_enabled(ready, egui::Button::new(t.cut_button))
                .clicked()
            {
                commands.push(Command::CutTurfs(form.clone()));
            }
            if let Some(report) = data.last_cut {
                ui.label(fill(
                    t.cut_report,
                    &[
                        &report.turfs.len(),
                        &report.doors,
                        &report.doors_min,
                        &report.doors_max,
                        &t.decimal(report.doors_ratio, 2),
                        &t.decimal(report.compactness_mean, 2),
                        &if report.all_contiguous { t.yes } else { t.no },
                    ],
                ));
                ui.label(if report.barriers_given == 0 {
                    t.cut_no_barriers.to_owned()
                } else {
                    fill(t.cut_barriers, &[&report.barriers, &report.barriers_given])
                });
                if report.doors_filtered_out + report.doors_in_other_turfs > 0 {
                    ui.label(fill(
                        t.cut_left_out,
                        &[&report.doors_filtered_out, &report.doors_in_other_turfs],
                    ));
                }
            }
        });
}
