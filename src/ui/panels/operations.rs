//! The Operations tab: pick an operation (New…/Edit…/Delete), its header (date, time window,
//! meeting point, contact) and the coverage of its plan; add turfs to it (all, the selected
//! one, the top N by priority); its turfs, each a drop zone for volunteers dragged from the list
//! of those available and not placed yet, with its team (unassign a member) or why it has none;
//! Porte's suggested assignment (Apply / Discard) and Clear.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use egui::{RichText, Ui};

use crate::model::operations::{
    AssignmentPlan, Operation, OperationDraft, PlanCoverage, UnassignedReason, UnassignedTurf,
};
use crate::model::turfs::Turf;
use crate::model::volunteers::Volunteer;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::map::team_layer::team_names;
use crate::ui::map::turf_layer::colour_of;
use crate::ui::panels::operation_window::OperationWindow;

/// What a volunteer being dragged carries: their id (`volunteers.fid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VolunteerDrag(pub i64);

/// What the Operations tab, its window and the map ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum OperationCommand {
    /// Open the window on a new operation, or on operation `id`.
    ShowNew,
    ShowEdit(i64),
    /// Create (`id: None`) or save an operation from the window.
    Save {
        id: Option<i64>,
        draft: OperationDraft,
    },
    Delete(i64),
    Select(Option<i64>),
    AddTurfs(i64, Vec<i64>),
    RemoveTurf(i64, i64),
    /// A volunteer dropped on a turf row of operation `operation`.
    Assign {
        operation: i64,
        volunteer_id: i64,
        turf_id: i64,
    },
    /// A volunteer dropped on a turf of the map (for the selected operation).
    DropOnTurf {
        volunteer_id: i64,
        turf_id: i64,
    },
    Unassign {
        operation: i64,
        volunteer_id: i64,
    },
    /// Ask the model for a suggested assignment (shown, not saved).
    Suggest(i64),
    /// Save the suggestion shown for that operation.
    ApplySuggestion(i64),
    /// Remove every team of the operation.
    Clear(i64),
    /// Look the window's meeting point up among the campaign's addresses.
    GeocodeMeetingPoint(String),
    /// The next click on the map places the meeting point (or stop waiting for it).
    PickMeetingPoint(bool),
    MeetingPointPicked([f64; 2]),
}

/// The tab's state: what was read from the model, and the panel's own choices.
pub struct OperationsState {
    /// Every operation of the campaign, by date.
    pub operations: Vec<Operation>,
    /// The roster (names of team members, availability).
    pub volunteers: Vec<Volunteer>,
    /// The selected operation's coverage.
    pub coverage: Option<PlanCoverage>,
    /// Why the operations could not be read.
    pub load_error: Option<String>,
    /// The last assignment's warnings, or the model's last refusal.
    pub notice: Option<String>,
    /// The suggestion shown (not saved yet), for an operation.
    pub suggestion: Option<(i64, AssignmentPlan)>,
    /// The reasons of the last suggestion, kept after Apply / Discard.
    pub reasons: Option<(i64, Vec<UnassignedTurf>)>,
    /// "Top N by priority".
    pub top_n: usize,
    /// The operation waiting for a confirmation of its deletion.
    pub confirm_delete: Option<i64>,
    /// List the volunteers not available for the window too.
    pub show_unavailable: bool,
    /// The create/edit window.
    pub window: OperationWindow,
}

impl Default for OperationsState {
    fn default() -> Self {
        OperationsState {
            operations: Vec::new(),
            volunteers: Vec::new(),
            coverage: None,
            load_error: None,
            notice: None,
            suggestion: None,
            reasons: None,
            top_n: 5,
            confirm_delete: None,
            show_unavailable: false,
            window: OperationWindow::default(),
        }
    }
}

impl OperationsState {
    pub fn operation(&self, id: i64) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The reasons a turf of operation `id` has no team: the last suggestion's, else the
    /// coverage's.
    fn reason_of(&self, id: i64, turf_id: i64) -> Option<&UnassignedTurf> {
        let from_suggestion = self
            .reasons
            .as_ref()
            .filter(|(op, _)| *op == id)
            .and_then(|(_, r)| r.iter().find(|u| u.turf_id == turf_id));
        from_suggestion.or_else(|| {
            self.coverage
                .as_ref()
                .and_then(|c| c.unassigned.iter().find(|u| u.turf_id == turf_id))
        })
    }
}

/// What the tab reads from the app.
pub struct OperationPanelData<'a> {
    pub turfs: &'a [Turf],
    pub selected_operation: Option<i64>,
    /// The turf selected in the Turfs tab (or on the map).
    pub selected_turf: Option<i64>,
    /// Best priority rank of each turf's precincts (1 = most urgent), when scored.
    pub turf_ranks: &'a HashMap<i64, usize>,
}

/// "Saturday 14 March 2026" / "samedi 14 mars 2026" (the model's wording, as in messages).
pub fn long_date(t: &Strings, date: NaiveDate) -> String {
    crate::model::format::format_date(date, t.lang == crate::ui::i18n::Lang::Fr)
}

/// "10:00–12:30".
pub fn time_window(start: NaiveTime, end: NaiveTime) -> String {
    format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
}

/// The combo's line for an operation: "Name · 2026-03-14 · 10:00–12:30".
fn operation_title(op: &Operation) -> String {
    format!(
        "{} · {} · {}",
        op.name,
        op.date.format("%Y-%m-%d"),
        time_window(op.start, op.end)
    )
}

/// The coverage line: "7 of 9 turfs staffed · 812 of 1,040 doors · 8 teams · 3 free".
pub fn coverage_line(t: &Strings, c: &PlanCoverage) -> String {
    fill(
        t.op_coverage,
        &[
            &c.turfs_assigned,
            &c.turfs,
            &t.integer(c.doors_assigned as i64),
            &t.integer(c.doors_planned as i64),
            &c.teams,
            &c.volunteers_available_free,
        ],
    )
}

fn reason_text(t: &Strings, reason: UnassignedReason) -> &'static str {
    match reason {
        UnassignedReason::NoTeamLeft => t.op_reason_no_team_left,
        UnassignedReason::TooLongForWindow => t.op_reason_too_long,
        UnassignedReason::NoDoors => t.op_reason_no_doors,
        UnassignedReason::NobodyAvailable => t.op_reason_nobody,
    }
}

/// The Operations tab (the right-hand panel).
pub fn operations_panel_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut OperationsState,
    data: &OperationPanelData,
    commands: &mut Vec<Command>,
) {
    let push = |commands: &mut Vec<Command>, c| commands.push(Command::Operation(c));
    if let Some(e) = &state.load_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let selected = data
        .selected_operation
        .and_then(|id| state.operation(id))
        .cloned();
    ui.horizontal_wrapped(|ui| {
        let text = selected
            .as_ref()
            .map_or_else(|| t.op_none_selected.to_owned(), operation_title);
        egui::ComboBox::from_id_salt("operation choice")
            .selected_text(text)
            .width(220.0)
            .show_ui(ui, |ui| {
                for op in &state.operations {
                    let is = data.selected_operation == Some(op.id);
                    if ui.selectable_label(is, operation_title(op)).clicked() && !is {
                        push(commands, OperationCommand::Select(Some(op.id)));
                    }
                }
            });
        if ui.button(t.op_new).clicked() {
            push(commands, OperationCommand::ShowNew);
        }
        if let Some(op) = &selected {
            if ui.button(t.op_edit).clicked() {
                push(commands, OperationCommand::ShowEdit(op.id));
            }
            if ui.button(t.op_delete).clicked() {
                state.confirm_delete = Some(op.id);
            }
        }
    });
    if let Some(id) = state.confirm_delete {
        let name = state.operation(id).map_or("", |o| o.name.as_str());
        ui.label(fill(t.op_confirm_delete, &[&name]));
        ui.horizontal(|ui| {
            if ui.button(t.op_delete_confirmed).clicked() {
                push(commands, OperationCommand::Delete(id));
                state.confirm_delete = None;
            }
            if ui.button(t.cancel).clicked() {
                state.confirm_delete = None;
            }
        });
    }
    let Some(op) = selected else {
        ui.weak(if state.operations.is_empty() {
            t.op_no_operations
        } else {
            t.op_pick_one
        });
        return;
    };

    ui.separator();
    header_ui(ui, t, state, &op);
    if let Some(notice) = &state.notice {
        ui.label(RichText::new(notice).color(ui.visuals().warn_fg_color));
    }
    ui.separator();
    add_turfs_ui(ui, t, state, data, &op, commands);
    ui.horizontal_wrapped(|ui| {
        let has_turfs = !op.turf_ids.is_empty();
        if ui
            .add_enabled(has_turfs, egui::Button::new(t.op_suggest))
            .on_hover_text(t.op_suggest_hint)
            .clicked()
        {
            push(commands, OperationCommand::Suggest(op.id));
        }
        if ui
            .add_enabled(!op.teams.is_empty(), egui::Button::new(t.op_clear))
            .on_hover_text(t.op_clear_hint)
            .clicked()
        {
            push(commands, OperationCommand::Clear(op.id));
        }
        if ui
            .add_enabled(has_turfs, egui::Button::new(t.sheets_button))
            .on_hover_text(t.sheets_button_hint)
            .clicked()
        {
            commands.push(Command::Sheets(
                crate::ui::panels::sheets_window::SheetsCommand::Show(op.id),
            ));
        }
    });
    suggestion_ui(ui, t, state, &op, commands);
    ui.separator();
    available_ui(ui, t, state, &op);
    ui.separator();
    turf_rows_ui(ui, t, state, data, &op, commands);
}

fn header_ui(ui: &mut Ui, t: &Strings, state: &OperationsState, op: &Operation) {
    ui.heading(&op.name);
    ui.label(format!(
        "{}, {}",
        long_date(t, op.date),
        time_window(op.start, op.end)
    ));
    if !op.meeting_point.is_empty() {
        let located = if op.meeting_wgs84.is_some() {
            String::new()
        } else {
            format!(" ({})", t.op_meeting_not_located)
        };
        ui.label(format!(
            "{}{}{}{located}",
            t.op_meeting_point, t.colon, op.meeting_point
        ));
    }
    if !op.contact_phone.is_empty() {
        ui.label(format!("{}{}{}", t.op_contact, t.colon, op.contact_phone));
    }
    if !op.notes.is_empty() {
        ui.weak(&op.notes);
    }
    if let Some(c) = &state.coverage {
        ui.label(RichText::new(coverage_line(t, c)).strong());
    }
}

fn add_turfs_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut OperationsState,
    data: &OperationPanelData,
    op: &Operation,
    commands: &mut Vec<Command>,
) {
    let not_in = |id: &i64| !op.turf_ids.contains(id);
    ui.horizontal_wrapped(|ui| {
        ui.label(t.op_add_turfs);
        let all: Vec<i64> = data.turfs.iter().map(|t| t.id).filter(not_in).collect();
        if ui
            .add_enabled(!all.is_empty(), egui::Button::new(t.op_add_all))
            .clicked()
        {
            commands.push(Command::Operation(OperationCommand::AddTurfs(op.id, all)));
        }
        let selected = data.selected_turf.filter(not_in);
        if ui
            .add_enabled(selected.is_some(), egui::Button::new(t.op_add_selected))
            .on_hover_text(t.op_add_selected_hint)
            .clicked()
            && let Some(id) = selected
        {
            commands.push(Command::Operation(OperationCommand::AddTurfs(
                op.id,
                vec![id],
            )));
        }
        let mut ranked: Vec<(usize, i64)> = data
            .turfs
            .iter()
            .filter(|t| not_in(&t.id))
            .filter_map(|t| data.turf_ranks.get(&t.id).map(|r| (*r, t.id)))
            .collect();
        ranked.sort_unstable();
        let top: Vec<i64> = ranked.iter().take(state.top_n).map(|(_, id)| *id).collect();
        if ui
            .add_enabled(!top.is_empty(), egui::Button::new(t.op_add_top))
            .on_hover_text(if data.turf_ranks.is_empty() {
                t.op_add_top_needs_score
            } else {
                t.op_add_top_hint
            })
            .clicked()
        {
            commands.push(Command::Operation(OperationCommand::AddTurfs(op.id, top)));
        }
        ui.add(egui::DragValue::new(&mut state.top_n).range(1..=500));
    });
}

fn suggestion_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut OperationsState,
    op: &Operation,
    commands: &mut Vec<Command>,
) {
    let Some((_, plan)) = state.suggestion.clone().filter(|(id, _)| *id == op.id) else {
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(fill(
            t.op_suggestion_summary,
            &[
                &plan.assignments.len(),
                &t.decimal(plan.total_distance_m / 1000.0, 1),
            ],
        ));
        if plan.assignments.is_empty() {
            ui.weak(t.op_suggestion_empty);
        } else {
            egui::Grid::new("suggestion")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    ui.strong(t.col_turf);
                    ui.strong(t.op_col_team);
                    ui.strong(t.op_col_distance);
                    ui.end_row();
                    for a in &plan.assignments {
                        ui.label(&a.turf);
                        ui.label(a.members.join(" & "));
                        ui.label(format!("{} km", t.decimal(a.distance_m / 1000.0, 1)));
                        ui.end_row();
                    }
                });
        }
        // Turfs left without a team, grouped by reason.
        let mut groups: Vec<(UnassignedReason, Vec<&UnassignedTurf>)> = Vec::new();
        for u in &plan.unassigned {
            match groups.iter_mut().find(|(r, _)| *r == u.reason) {
                Some((_, turfs)) => turfs.push(u),
                None => groups.push((u.reason, vec![u])),
            }
        }
        for (reason, turfs) in groups {
            let names: Vec<&str> = turfs.iter().map(|u| u.turf.as_str()).collect();
            ui.label(fill(
                t.op_unassigned_group,
                &[&reason_text(t, reason), &names.join(", ")],
            ))
            .on_hover_text(&turfs[0].message);
        }
        if !plan.idle.is_empty() {
            ui.weak(fill(t.op_idle, &[&plan.idle.len()]));
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!plan.assignments.is_empty(), egui::Button::new(t.op_apply))
                .clicked()
            {
                commands.push(Command::Operation(OperationCommand::ApplySuggestion(op.id)));
            }
            if ui.button(t.op_discard).clicked() {
                state.suggestion = None;
            }
        });
    });
}

/// The volunteers to drag: available for the window and in no team (all of them when asked).
fn available_ui(ui: &mut Ui, t: &Strings, state: &mut OperationsState, op: &Operation) {
    ui.strong(t.op_available);
    ui.checkbox(&mut state.show_unavailable, t.op_show_unavailable);
    let mut shown = 0;
    ui.horizontal_wrapped(|ui| {
        for v in &state.volunteers {
            if op.team_of_volunteer(v.id).is_some() {
                continue;
            }
            let available = v.availability.covers(op.date, op.start, op.end);
            if !available && !state.show_unavailable {
                continue;
            }
            shown += 1;
            // A single widget (so the row wraps), dragged with its payload; while it moves, its
            // name follows the pointer.
            let name = RichText::new(v.full_name());
            let response = ui.add(
                egui::Button::new(if available { name } else { name.weak() })
                    .sense(egui::Sense::drag()),
            );
            response.dnd_set_drag_payload(VolunteerDrag(v.id));
            if response.dragged() {
                drag_ghost(ui, &v.full_name());
            }
            let mut hint = vec![t.op_drag_hint.to_owned()];
            if let Some(p) = v
                .partner_id
                .and_then(|p| state.volunteers.iter().find(|w| w.id == p))
            {
                hint.push(fill(t.op_partner, &[&p.full_name()]));
            }
            if !available {
                hint.push(t.op_not_available.to_owned());
            }
            if !v.phone.is_empty() {
                hint.push(v.phone.clone());
            }
            response.on_hover_text(hint.join("\n"));
        }
    });
    if shown == 0 {
        ui.weak(if state.volunteers.is_empty() {
            t.op_no_volunteers
        } else {
            t.op_nobody_free
        });
    }
}

/// The dragged volunteer's name, following the pointer (on top of everything).
fn drag_ghost(ui: &Ui, name: &str) {
    let Some(pos) = ui.ctx().pointer_interact_pos() else {
        return;
    };
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Tooltip,
        egui::Id::unique("volunteer drag ghost"),
    ));
    let visuals = ui.visuals();
    let galley = painter.layout_no_wrap(
        name.to_owned(),
        egui::TextStyle::Button.resolve(ui.style()),
        visuals.strong_text_color(),
    );
    let rect = egui::Align2::LEFT_BOTTOM.anchor_size(pos + egui::vec2(8.0, -4.0), galley.size());
    painter.rect(
        rect.expand2(egui::vec2(5.0, 2.0)),
        4.0,
        visuals.widgets.active.bg_fill,
        visuals.selection.stroke,
        egui::StrokeKind::Outside,
    );
    painter.galley(rect.min, galley, visuals.strong_text_color());
}

/// The operation's turfs, each a drop zone.
fn turf_rows_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &OperationsState,
    data: &OperationPanelData,
    op: &Operation,
    commands: &mut Vec<Command>,
) {
    ui.strong(fill(t.op_turfs_heading, &[&op.turf_ids.len()]));
    if op.turf_ids.is_empty() {
        ui.weak(t.op_no_turfs);
        return;
    }
    for &turf_id in &op.turf_ids {
        let turf = data.turfs.iter().find(|t| t.id == turf_id);
        let frame = egui::Frame::new()
            .inner_margin(egui::Margin::same(4))
            .corner_radius(4.0);
        // The row spans the panel: its width less the frame's margins and stroke.
        let width = ui.available_width() - 10.0;
        let (_, dropped) = ui.dnd_drop_zone::<VolunteerDrag, _>(frame, |ui| {
            ui.set_min_width(width);
            ui.set_max_width(width);
            ui.horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                let colour = turf.map_or(egui::Color32::GRAY, |t| colour_of(&t.colour));
                ui.painter().rect_filled(rect, 2.0, colour);
                let name = turf.map_or_else(|| format!("#{turf_id}"), |t| t.name.clone());
                let selected = data.selected_turf == Some(turf_id);
                if ui
                    .selectable_label(selected, RichText::new(name).strong())
                    .clicked()
                {
                    commands.push(Command::SelectTurf(Some(turf_id)));
                }
                if turf.is_some()
                    && ui
                        .small_button(t.route_button)
                        .on_hover_text(t.route_button_hint)
                        .clicked()
                {
                    commands.push(Command::Route(
                        crate::ui::panels::route_panel::RouteCommand::Compute(turf_id),
                    ));
                }
                if let Some(turf) = turf {
                    ui.label(fill(
                        t.turf_tooltip,
                        &[
                            &t.integer(turf.doors() as i64),
                            &format!("{:.0}", turf.minutes),
                        ],
                    ));
                }
                if ui
                    .small_button(t.op_remove_turf)
                    .on_hover_text(t.op_remove_turf_hint)
                    .clicked()
                {
                    commands.push(Command::Operation(OperationCommand::RemoveTurf(
                        op.id, turf_id,
                    )));
                }
            });
            match op.team_of_turf(turf_id) {
                Some(team) => {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(team_names(team, &state.volunteers));
                        for &member in &team.member_ids {
                            let who = state
                                .volunteers
                                .iter()
                                .find(|v| v.id == member)
                                .map_or_else(|| format!("#{member}"), Volunteer::short_name);
                            if ui
                                .small_button(fill(t.op_unassign, &[&who]))
                                .on_hover_text(t.op_unassign_hint)
                                .clicked()
                            {
                                commands.push(Command::Operation(OperationCommand::Unassign {
                                    operation: op.id,
                                    volunteer_id: member,
                                }));
                            }
                        }
                    });
                }
                None => {
                    let reason = state.reason_of(op.id, turf_id);
                    let text = match reason {
                        Some(u) => format!("{} — {}", t.op_unassigned, reason_text(t, u.reason)),
                        None => t.op_unassigned.to_owned(),
                    };
                    let label = ui.label(RichText::new(text).weak().italics());
                    if let Some(u) = reason {
                        label.on_hover_text(&u.message);
                    }
                }
            }
        });
        if let Some(drag) = dropped {
            commands.push(Command::Operation(OperationCommand::Assign {
                operation: op.id,
                volunteer_id: drag.0,
                turf_id,
            }));
        }
    }
    ui.weak(t.op_drop_help);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::{EN, FR};

    #[test]
    fn dates_and_windows_read_in_the_ui_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        assert_eq!(long_date(&EN, d), "Saturday 14 March 2026");
        assert_eq!(long_date(&FR, d), "samedi 14 mars 2026");
        let h = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(time_window(h(10, 0), h(12, 30)), "10:00–12:30");
        let c = PlanCoverage {
            turfs: 9,
            turfs_assigned: 7,
            doors_planned: 1040,
            doors_assigned: 812,
            teams: 8,
            volunteers_available_free: 3,
            ..PlanCoverage::default()
        };
        assert_eq!(
            coverage_line(&EN, &c),
            "7 of 9 turfs staffed · 812 of 1,040 doors · 8 teams · 3 available not placed"
        );
    }
}
