//! The app's side of the Operations tab: its commands, the operation window, volunteers
//! dropped on turfs, and the team layer on the map.

use super::*;

impl PorteApp {
    /// Applies a command of the Operations tab, its window or the map. Model changes are one
    /// transaction each, refused while a job writes the campaign; then the operations, the
    /// coverage and the turfs (whose status follows their team) are read again.
    pub(super) fn apply_operation(&mut self, command: OperationCommand) {
        use OperationCommand as O;
        let t = self.t();
        let command = match command {
            O::ShowNew => return self.operations.window.show_new(),
            O::ShowEdit(id) => {
                if let Some(op) = self.operations.operation(id).cloned() {
                    self.operations.window.show_edit(&op);
                }
                return;
            }
            O::Select(id) => {
                self.selected_operation = id;
                self.operations.suggestion = None;
                self.operations.notice = None;
                self.operations.confirm_delete = None;
                return self.reload_operations();
            }
            O::PickMeetingPoint(on) => {
                self.map.teams.picking_point = on;
                self.operations.window.picking = on;
                if on {
                    self.status = t.op_picking_help.to_owned();
                }
                return;
            }
            O::MeetingPointPicked(lonlat) => {
                self.map.teams.picking_point = false;
                let window = &mut self.operations.window;
                window.picking = false;
                window.meeting_wgs84 = Some(lonlat);
                window.lookup = Some(MeetingLookup::Picked(lonlat));
                return;
            }
            other => other,
        };
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        if let Some(job) = &self.job {
            let message = fill(t.wait_for_job, &[&job.label]);
            if self.operations.window.open {
                self.operations.window.error = Some(message.clone());
            }
            self.operations.notice = Some(message);
            return;
        }
        let mut campaign = match Campaign::open(&path) {
            Ok(c) => c,
            Err(e) => {
                self.operations.notice = Some(fill(t.op_refused, &[&e]));
                return;
            }
        };
        if !matches!(command, O::GeocodeMeetingPoint(_)) {
            self.operations.notice = None;
        }
        let outcome: Result<(), ModelError> = match command {
            O::Save { id, draft } => {
                let saved = match id {
                    Some(id) => campaign.update_operation(id, &draft).map(|()| id),
                    None => campaign.create_operation(&draft),
                };
                match saved {
                    Ok(id) => {
                        self.selected_operation = Some(id);
                        self.operations.window.open = false;
                        self.map.teams.picking_point = false;
                        self.status = fill(t.op_saved, &[&draft.name]);
                    }
                    Err(e) => self.operations.window.error = Some(e.to_string()),
                }
                Ok(())
            }
            O::Delete(id) => campaign.delete_operation(id).map(|()| {
                if self.selected_operation == Some(id) {
                    self.selected_operation = None;
                }
                self.status = t.op_deleted.to_owned();
            }),
            O::AddTurfs(id, turf_ids) => campaign.add_operation_turfs(id, &turf_ids),
            O::RemoveTurf(id, turf_id) => campaign.remove_operation_turf(id, turf_id),
            O::Assign {
                operation,
                volunteer_id,
                turf_id,
            } => self.assign_volunteer(&mut campaign, operation, volunteer_id, turf_id),
            O::DropOnTurf {
                volunteer_id,
                turf_id,
            } => match self.selected_operation {
                Some(operation) => {
                    self.assign_volunteer(&mut campaign, operation, volunteer_id, turf_id)
                }
                None => {
                    self.operations.notice = Some(t.op_select_first.to_owned());
                    self.status = t.op_select_first.to_owned();
                    Ok(())
                }
            },
            O::Unassign {
                operation,
                volunteer_id,
            } => campaign.unassign_volunteer(operation, volunteer_id),
            O::Suggest(id) => campaign.suggest_assignment(id).map(|plan| {
                self.operations.reasons = Some((id, plan.unassigned.clone()));
                self.operations.suggestion = Some((id, plan));
            }),
            O::ApplySuggestion(id) => match self.operations.suggestion.take() {
                Some((op, plan)) if op == id => campaign.apply_assignment(id, &plan).map(|()| {
                    self.status = fill(t.op_applied, &[&plan.assignments.len()]);
                }),
                other => {
                    self.operations.suggestion = other;
                    Ok(())
                }
            },
            O::Clear(id) => campaign.clear_assignment(id).map(|()| {
                self.operations.reasons = None;
                self.operations.suggestion = None;
                self.status = t.op_cleared.to_owned();
            }),
            O::GeocodeMeetingPoint(text) => campaign.geocode_address(&text).map(|found| {
                self.operations.window.lookup = Some(match found {
                    Some((_, p)) => MeetingLookup::Found {
                        text,
                        lonlat: [p.x(), p.y()],
                    },
                    None => MeetingLookup::NotFound { text },
                });
            }),
            O::ShowNew
            | O::ShowEdit(_)
            | O::Select(_)
            | O::PickMeetingPoint(_)
            | O::MeetingPointPicked(_) => Ok(()),
        };
        if let Err(e) = outcome {
            let message = fill(t.op_refused, &[&e]);
            self.status = message.clone();
            self.operations.notice = Some(message);
        }
        self.read_operations(&campaign);
        if let Err(e) = self.reload_turfs(&campaign) {
            self.operations.notice = Some(fill(t.op_refused, &[&e]));
        }
    }

    /// Puts a volunteer on a turf (a drop), and shows the model's warnings.
    pub(super) fn assign_volunteer(
        &mut self,
        campaign: &mut Campaign,
        operation: i64,
        volunteer_id: i64,
        turf_id: i64,
    ) -> Result<(), ModelError> {
        let t = self.t();
        let outcome = campaign.assign_volunteer(operation, volunteer_id, turf_id)?;
        let who = self
            .operations
            .volunteers
            .iter()
            .find(|v| v.id == volunteer_id)
            .map_or_else(|| format!("#{volunteer_id}"), |v| v.full_name());
        let turf = self
            .turfs()
            .iter()
            .find(|t| t.id == turf_id)
            .map_or_else(|| format!("#{turf_id}"), |t| t.name.clone());
        self.status = fill(t.op_placed, &[&who, &turf]);
        if !outcome.warnings.is_empty() {
            self.operations.notice = Some(outcome.warnings.join("\n"));
        }
        // A suggestion made before this drop may use the volunteer elsewhere.
        self.operations.suggestion = None;
        Ok(())
    }

    /// Reads the operations, the roster and the selected operation's coverage again.
    pub(super) fn reload_operations(&mut self) {
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        match Campaign::open(&path) {
            Ok(c) => self.read_operations(&c),
            Err(e) => self.operations.load_error = Some(e.to_string()),
        }
    }

    pub(super) fn read_operations(&mut self, c: &Campaign) {
        let state = &mut self.operations;
        match c.operations().and_then(|o| Ok((o, c.volunteers()?))) {
            Ok((operations, volunteers)) => {
                state.operations = operations;
                state.volunteers = volunteers;
                state.load_error = None;
            }
            Err(e) => state.load_error = Some(e.to_string()),
        }
        if self
            .selected_operation
            .is_some_and(|id| state.operation(id).is_none())
        {
            self.selected_operation = None;
        }
        state.coverage = None;
        if let Some(id) = self.selected_operation {
            match c.plan_coverage(id) {
                Ok(coverage) => state.coverage = Some(coverage),
                Err(e) => state.load_error = Some(e.to_string()),
            }
        }
        self.refresh_team_layer();
    }

    /// Hands the selected operation's teams and meeting point to the map.
    pub(super) fn refresh_team_layer(&mut self) {
        let picking = self.map.teams.picking_point;
        let op = self
            .selected_operation
            .and_then(|id| self.operations.operation(id));
        self.map.teams = match (op, &self.campaign) {
            (Some(op), Some(view)) => TeamLayer::new(op, &self.operations.volunteers, &view.turfs),
            _ => TeamLayer::default(),
        };
        self.map.teams.picking_point = picking;
    }
}
