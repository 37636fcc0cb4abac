//! Operations on [`Campaign`]: create, edit, delete, list; the turfs an operation covers; teams
//! and volunteers placed on turfs by hand (drag and drop) or by the suggested assignment; and
//! the coverage of the plan. Every change is one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use geo::{Centroid, InteriorPoint};
use geo_types::Point;
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::operations::assign::{
    self, AssignProblem, AssignmentPlan, Candidate, TurfSlot, UnassignedReason, UnassignedTurf,
    team_capacity_min,
};
use crate::model::operations::{Operation, OperationDraft};
use crate::model::storage;
use crate::model::turfs::{Turf, TurfStatus};
use crate::model::volunteers::Volunteer;

/// What dropping a volunteer on a turf did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssignOutcome {
    pub team_id: i64,
    pub turf_id: i64,
    /// Everyone now in that team.
    pub member_ids: Vec<i64>,
    /// Their partner, brought along when free and available.
    pub partner_moved: Option<i64>,
    /// The team they left, if any (deleted when it became empty).
    pub left_team: Option<i64>,
    /// Warnings for the user: not available that day, no consent, partner elsewhere, turf too
    /// long for the window…
    pub warnings: Vec<String>,
}

/// How much of the plan is staffed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanCoverage {
    pub turfs: usize,
    pub turfs_assigned: usize,
    pub doors_planned: usize,
    pub doors_assigned: usize,
    pub teams: usize,
    pub volunteers_assigned: usize,
    /// Volunteers available for the operation's window and not in a team.
    pub volunteers_available_free: usize,
    /// Minutes of walking of the assigned turfs, and the window × teams they have.
    pub minutes_assigned: f64,
    /// What the placed teams can walk in the window (a team of 2k walks as k pairs), minutes.
    pub minutes_capacity: f64,
    /// Each turf without a team, with the reason (from the last suggestion, or a computed one).
    pub unassigned: Vec<UnassignedTurf>,
}

/// "José D. & François L.", "José D., Ana M. & François L.".
pub fn team_name(short_names: &[String]) -> String {
    match short_names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} & {last}", init.join(", ")),
    }
}

/// "Saturday 14 March 2026, 10:00–12:30".
pub fn window_text(op: &Operation) -> String {
    format!("{}, {}", op.date.format("%A %-d %B %Y"), window_label(op))
}

/// "10:00–12:30".
pub fn window_label(op: &Operation) -> String {
    format!("{}–{}", op.start.format("%H:%M"), op.end.format("%H:%M"))
}

fn check_draft(draft: &OperationDraft) -> ModelResult<()> {
    if draft.name.trim().is_empty() {
        return Err(ModelError::Invalid("an operation needs a name".into()));
    }
    if draft.end <= draft.start {
        return Err(ModelError::Invalid(format!(
            "operation \"{}\" ends at {} but starts at {}: the end must come after the start",
            draft.name.trim(),
            draft.end.format("%H:%M"),
            draft.start.format("%H:%M")
        )));
    }
    Ok(())
}

fn available(v: &Volunteer, op: &Operation) -> bool {
    v.availability.covers(op.date, op.start, op.end)
}

/// Sets a turf's status (not an undoable turf edit: the teams say why it is assigned).
fn set_turf_status(tx: &rusqlite::Connection, turf_id: i64, status: TurfStatus) -> ModelResult<()> {
    if let Some(mut t) = storage::turfs::load(tx, turf_id)?
        && t.status != status
    {
        t.status = status;
        storage::turfs::write(tx, &t)?;
    }
    Ok(())
}

/// A turf that just got a team is assigned (a done turf stays done).
fn mark_assigned(tx: &rusqlite::Connection, turf_id: i64) -> ModelResult<()> {
    match storage::turfs::load(tx, turf_id)? {
        Some(t) if t.status == TurfStatus::Planned => {
            set_turf_status(tx, turf_id, TurfStatus::Assigned)
        }
        _ => Ok(()),
    }
}

/// A turf that lost its last team (in every operation) goes back to planned.
fn release_turf(tx: &rusqlite::Connection, turf_id: i64) -> ModelResult<()> {
    if storage::operations::turf_has_team(tx, turf_id)? {
        return Ok(());
    }
    match storage::turfs::load(tx, turf_id)? {
        Some(t) if t.status == TurfStatus::Assigned => {
            set_turf_status(tx, turf_id, TurfStatus::Planned)
        }
        _ => Ok(()),
    }
}

/// A point inside the turf (its centroid when the outline has no interior point).
fn turf_centre(t: &Turf) -> Option<Point<f64>> {
    t.geom_wgs84
        .interior_point()
        .or_else(|| t.geom_wgs84.centroid())
}

impl Campaign {
    /// Every operation, by date then start time.
    pub fn operations(&self) -> ModelResult<Vec<Operation>> {
        storage::operations::load_all(&self.conn)
    }

    /// Operation `id`, or an error naming it.
    pub fn operation(&self, id: i64) -> ModelResult<Operation> {
        storage::operations::load(&self.conn, id)?
            .ok_or_else(|| ModelError::Invalid(format!("no operation {id} in the campaign")))
    }

    /// The draft with its meeting point located: geocoded against the campaign's addresses when
    /// no position is given (left unlocated when no address matches).
    fn located(&self, draft: &OperationDraft) -> ModelResult<OperationDraft> {
        check_draft(draft)?;
        let mut d = draft.clone();
        d.name = d.name.trim().to_string();
        d.meeting_point = d.meeting_point.trim().to_string();
        if d.meeting_wgs84.is_none() && !d.meeting_point.is_empty() {
            d.meeting_wgs84 = self.geocode_address(&d.meeting_point)?.map(|(_, p)| p);
        }
        Ok(d)
    }

    /// Creates an operation; refuses an empty name or an end before the start. The meeting
    /// point is geocoded against the campaign's addresses when no position is given.
    pub fn create_operation(&mut self, draft: &OperationDraft) -> ModelResult<i64> {
        let d = self.located(draft)?;
        self.in_transaction(|tx| storage::operations::insert(tx, &d))
    }

    /// Saves the operation's fields (its turfs and teams stay).
    pub fn update_operation(&mut self, id: i64, draft: &OperationDraft) -> ModelResult<()> {
        self.operation(id)?;
        let d = self.located(draft)?;
        self.in_transaction(|tx| {
            storage::operations::update(tx, id, &d)?;
            Ok(())
        })
    }

    /// Deletes an operation with its teams (the turfs and volunteers stay; a turf left without
    /// a team in any operation goes back to planned).
    pub fn delete_operation(&mut self, id: i64) -> ModelResult<()> {
        let op = self.operation(id)?;
        self.in_transaction(|tx| {
            storage::operations::delete(tx, id)?;
            for t in op.teams.iter().filter_map(|t| t.turf_id) {
                release_turf(tx, t)?;
            }
            Ok(())
        })
    }

    /// Adds turfs to the operation (ignoring those already in it).
    pub fn add_operation_turfs(&mut self, id: i64, turf_ids: &[i64]) -> ModelResult<()> {
        self.operation(id)?;
        let known: HashSet<i64> = self.turfs()?.iter().map(|t| t.id).collect();
        if let Some(missing) = turf_ids.iter().find(|t| !known.contains(t)) {
            return Err(ModelError::Invalid(format!(
                "no turf {missing} in the campaign (see porte turfs list)"
            )));
        }
        self.in_transaction(|tx| {
            for &t in turf_ids {
                storage::operations::add_turf(tx, id, t)?;
            }
            Ok(())
        })
    }

    /// Removes a turf from the operation; its team stays, unplaced.
    pub fn remove_operation_turf(&mut self, id: i64, turf_id: i64) -> ModelResult<()> {
        let op = self.operation(id)?;
        if !op.turf_ids.contains(&turf_id) {
            return Err(ModelError::Invalid(format!(
                "turf {turf_id} is not in operation {id} \"{}\"",
                op.name
            )));
        }
        self.in_transaction(|tx| {
            storage::operations::remove_turf(tx, id, turf_id)?;
            release_turf(tx, turf_id)
        })
    }

    /// Puts a volunteer on a turf of the operation (drag and drop): into the turf's team, or a
    /// new one; out of any other team of this operation; their partner comes along when free.
    /// Adds the turf to the operation if it was not in it. Sets the turf's status to assigned.
    pub fn assign_volunteer(
        &mut self,
        id: i64,
        volunteer_id: i64,
        turf_id: i64,
    ) -> ModelResult<AssignOutcome> {
        let op = self.operation(id)?;
        let turf = self.turf(turf_id)?;
        let roster: HashMap<i64, Volunteer> =
            self.volunteers()?.into_iter().map(|v| (v.id, v)).collect();
        let v = roster.get(&volunteer_id).cloned().ok_or_else(|| {
            ModelError::Invalid(format!("no volunteer {volunteer_id} on the roster"))
        })?;
        let when = window_text(&op);
        let mut warnings = Vec::new();
        if !available(&v, &op) {
            warnings.push(format!(
                "{} is not available on {when} (they gave: {})",
                v.full_name(),
                if v.availability.is_empty() {
                    "nothing".to_string()
                } else {
                    v.availability.to_text()
                }
            ));
        }
        if v.consent_date.is_none() {
            warnings.push(format!(
                "{} has no consent date on record: ask before sending them messages",
                v.full_name()
            ));
        }
        if turf.status == TurfStatus::Done {
            warnings.push(format!("turf {} is already marked done", turf.name));
        }

        // Who ends up in the turf's team.
        let target = op.team_of_turf(turf_id).cloned();
        let current = op.team_of_volunteer(volunteer_id).cloned();
        let already_there = matches!((&target, &current), (Some(t), Some(c)) if t.id == c.id);
        let mut members: Vec<i64> = target
            .as_ref()
            .map(|t| t.member_ids.clone())
            .unwrap_or_default();
        if !members.contains(&volunteer_id) {
            members.push(volunteer_id);
        }
        let mut partner_moved = None;
        if let Some(p) = v.partner_id
            && !members.contains(&p)
            && let Some(partner) = roster.get(&p)
        {
            match op.team_of_volunteer(p) {
                None if available(partner, &op) => {
                    members.push(p);
                    partner_moved = Some(p);
                }
                None => warnings.push(format!(
                    "their partner {} is not available on {when}: left out",
                    partner.full_name()
                )),
                Some(other) => warnings.push(format!(
                    "their partner {} is in team {}{}: drag them too to keep the pair together",
                    partner.full_name(),
                    other.name,
                    other
                        .turf_id
                        .map(|t| format!(" on turf {t}"))
                        .unwrap_or_default()
                )),
            }
        }
        let capacity = team_capacity_min(op.window_minutes(), members.len());
        if turf.minutes > capacity + 1e-9 {
            warnings.push(format!(
                "turf {} needs {:.0} min; a team of {} has {:.0} min ({}): cut it smaller or add volunteers to its team",
                turf.name,
                turf.minutes,
                members.len(),
                capacity,
                window_label(&op)
            ));
        }
        let short = |ids: &[i64]| -> String {
            team_name(
                &ids.iter()
                    .filter_map(|i| roster.get(i))
                    .map(|v| v.short_name())
                    .collect::<Vec<_>>(),
            )
        };
        let left_team = current.as_ref().filter(|_| !already_there).map(|c| c.id);

        let team_id = self.in_transaction(|tx| {
            storage::operations::add_turf(tx, id, turf_id)?;
            // Out of their former team (deleted when emptied).
            if let Some(c) = current.as_ref().filter(|_| !already_there) {
                storage::operations::remove_member(tx, id, volunteer_id)?;
                let rest: Vec<i64> = c
                    .member_ids
                    .iter()
                    .copied()
                    .filter(|&m| m != volunteer_id)
                    .collect();
                if rest.is_empty() {
                    storage::operations::delete_team(tx, c.id)?;
                    if let Some(t) = c.turf_id {
                        release_turf(tx, t)?;
                    }
                } else if c.name == short(&c.member_ids) {
                    storage::operations::rename_team(tx, c.id, &short(&rest))?;
                }
            }
            let team_id = match &target {
                Some(t) => {
                    if t.name == short(&t.member_ids) || t.name.is_empty() {
                        storage::operations::rename_team(tx, t.id, &short(&members))?;
                    }
                    t.id
                }
                None => storage::operations::insert_team(tx, id, Some(turf_id), &short(&members))?,
            };
            for &m in &members {
                let in_target = target.as_ref().is_some_and(|t| t.member_ids.contains(&m));
                if !in_target {
                    storage::operations::add_member(tx, id, team_id, m)?;
                }
            }
            mark_assigned(tx, turf_id)?;
            Ok(team_id)
        })?;
        Ok(AssignOutcome {
            team_id,
            turf_id,
            member_ids: members,
            partner_moved,
            left_team,
            warnings,
        })
    }

    /// Takes a volunteer out of their team in this operation (an emptied team is deleted; a
    /// turf left without a team goes back to planned).
    pub fn unassign_volunteer(&mut self, id: i64, volunteer_id: i64) -> ModelResult<()> {
        let op = self.operation(id)?;
        let team = op.team_of_volunteer(volunteer_id).cloned().ok_or_else(|| {
            ModelError::Invalid(format!(
                "volunteer {volunteer_id} is in no team of operation {id} \"{}\"",
                op.name
            ))
        })?;
        let roster: HashMap<i64, Volunteer> =
            self.volunteers()?.into_iter().map(|v| (v.id, v)).collect();
        let short = |ids: &[i64]| -> String {
            team_name(
                &ids.iter()
                    .filter_map(|i| roster.get(i))
                    .map(|v| v.short_name())
                    .collect::<Vec<_>>(),
            )
        };
        let rest: Vec<i64> = team
            .member_ids
            .iter()
            .copied()
            .filter(|&m| m != volunteer_id)
            .collect();
        self.in_transaction(|tx| {
            storage::operations::remove_member(tx, id, volunteer_id)?;
            if rest.is_empty() {
                storage::operations::delete_team(tx, team.id)?;
                if let Some(t) = team.turf_id {
                    release_turf(tx, t)?;
                }
            } else if team.name == short(&team.member_ids) {
                storage::operations::rename_team(tx, team.id, &short(&rest))?;
            }
            Ok(())
        })
    }

    /// Removes every team of the operation.
    pub fn clear_assignment(&mut self, id: i64) -> ModelResult<()> {
        let op = self.operation(id)?;
        self.in_transaction(|tx| {
            storage::operations::delete_teams(tx, id)?;
            for t in op.teams.iter().filter_map(|t| t.turf_id) {
                release_turf(tx, t)?;
            }
            Ok(())
        })
    }

    /// The best priority rank of each precinct's code when a camp is saved (else empty).
    fn precinct_ranks(&self) -> BTreeMap<String, usize> {
        match crate::model::scoring::variables::priority_score(self, None) {
            Ok(r) => r.precincts.into_iter().map(|p| (p.code, p.rank)).collect(),
            Err(_) => BTreeMap::new(),
        }
    }

    /// The problem [`Campaign::suggest_assignment`] solves: the operation's turfs without a team,
    /// and the volunteers in no team of it (available = their slots cover the window).
    pub fn assignment_problem(&self, id: i64) -> ModelResult<AssignProblem> {
        let op = self.operation(id)?;
        let ranks = self.precinct_ranks();
        let turfs: HashMap<i64, Turf> = self.turfs()?.into_iter().map(|t| (t.id, t)).collect();
        let slots = op
            .turf_ids
            .iter()
            .filter(|&&t| op.team_of_turf(t).is_none())
            .filter_map(|t| turfs.get(t))
            .map(|t| TurfSlot {
                turf_id: t.id,
                name: t.name.clone(),
                doors: t.doors(),
                minutes: t.minutes,
                centre_wgs84: turf_centre(t)
                    .or(op.meeting_wgs84)
                    .unwrap_or(Point::new(0.0, 0.0)),
                priority_rank: t
                    .precincts
                    .iter()
                    .filter_map(|c| ranks.get(c))
                    .min()
                    .copied(),
            })
            .collect();
        let candidates = self
            .volunteers()?
            .into_iter()
            .filter(|v| op.team_of_volunteer(v.id).is_none())
            .map(|v| Candidate {
                volunteer_id: v.id,
                name: v.full_name(),
                home_wgs84: v.home_wgs84,
                partner_id: v.partner_id,
                available: available(&v, &op),
            })
            .collect();
        Ok(AssignProblem {
            candidates,
            turfs: slots,
            window_minutes: op.window_minutes(),
            meeting_wgs84: op.meeting_wgs84,
            window_label: window_label(&op),
        })
    }

    /// Porte's suggestion for the turfs of the operation that have no team, with the
    /// volunteers available for its window who are in no team yet (see [`super::assign`]).
    /// Reads only.
    pub fn suggest_assignment(&self, id: i64) -> ModelResult<AssignmentPlan> {
        Ok(assign::suggest(&self.assignment_problem(id)?))
    }

    /// Saves a suggestion's teams (as one transaction, one undo step of the user's mind).
    pub fn apply_assignment(&mut self, id: i64, plan: &AssignmentPlan) -> ModelResult<()> {
        let op = self.operation(id)?;
        let roster: HashMap<i64, Volunteer> =
            self.volunteers()?.into_iter().map(|v| (v.id, v)).collect();
        let known: HashSet<i64> = self.turfs()?.iter().map(|t| t.id).collect();
        let mut placed = HashSet::new();
        for a in &plan.assignments {
            if !known.contains(&a.turf_id) {
                return Err(ModelError::Invalid(format!(
                    "no turf {} in the campaign any more: suggest again",
                    a.turf_id
                )));
            }
            if let Some(t) = op.team_of_turf(a.turf_id) {
                return Err(ModelError::Invalid(format!(
                    "turf {} already has team {}: suggest again",
                    a.turf, t.name
                )));
            }
            for m in &a.member_ids {
                let v = roster.get(m).ok_or_else(|| {
                    ModelError::Invalid(format!("no volunteer {m} on the roster: suggest again"))
                })?;
                if let Some(t) = op.team_of_volunteer(*m) {
                    return Err(ModelError::Invalid(format!(
                        "{} is already in team {}: suggest again",
                        v.full_name(),
                        t.name
                    )));
                }
                if !placed.insert(*m) {
                    return Err(ModelError::Invalid(format!(
                        "{} is in two teams of the suggestion",
                        v.full_name()
                    )));
                }
            }
        }
        self.in_transaction(|tx| {
            for a in &plan.assignments {
                let name = team_name(
                    &a.member_ids
                        .iter()
                        .map(|m| roster[m].short_name())
                        .collect::<Vec<_>>(),
                );
                storage::operations::add_turf(tx, id, a.turf_id)?;
                let team = storage::operations::insert_team(tx, id, Some(a.turf_id), &name)?;
                for &m in &a.member_ids {
                    storage::operations::add_member(tx, id, team, m)?;
                }
                mark_assigned(tx, a.turf_id)?;
            }
            Ok(())
        })
    }

    /// How much of the operation is staffed.
    pub fn plan_coverage(&self, id: i64) -> ModelResult<PlanCoverage> {
        let op = self.operation(id)?;
        let turfs: HashMap<i64, Turf> = self.turfs()?.into_iter().map(|t| (t.id, t)).collect();
        let mut c = PlanCoverage {
            turfs: op.turf_ids.len(),
            teams: op.teams.len(),
            volunteers_assigned: op.teams.iter().map(|t| t.member_ids.len()).sum(),
            ..PlanCoverage::default()
        };
        for t in op.turf_ids.iter().filter_map(|t| turfs.get(t)) {
            c.doors_planned += t.doors();
            if op.team_of_turf(t.id).is_some() {
                c.turfs_assigned += 1;
                c.doors_assigned += t.doors();
                c.minutes_assigned += t.minutes;
            }
        }
        c.minutes_capacity = op
            .teams
            .iter()
            .filter(|t| t.turf_id.is_some())
            .map(|t| team_capacity_min(op.window_minutes(), t.member_ids.len()))
            .fold(0.0, |a, b| a + b);
        // Each turf without a team, with the suggestion's reason; those it would staff are
        // waiting for a team.
        let problem = self.assignment_problem(id)?;
        c.volunteers_available_free = problem.candidates.iter().filter(|v| v.available).count();
        let plan = assign::suggest(&problem);
        let mut reasons: HashMap<i64, UnassignedTurf> = plan
            .unassigned
            .into_iter()
            .map(|u| (u.turf_id, u))
            .collect();
        let proposed: HashMap<i64, _> = plan
            .assignments
            .into_iter()
            .map(|a| (a.turf_id, a))
            .collect();
        for &t in &op.turf_ids {
            if op.team_of_turf(t).is_some() {
                continue;
            }
            if let Some(mut u) = reasons.remove(&t) {
                if u.reason == UnassignedReason::NobodyAvailable && !op.teams.is_empty() {
                    // The available ones are all busy on this operation's other turfs.
                    u.reason = UnassignedReason::NoTeamLeft;
                    u.message = format!(
                        "every volunteer available {} is in one of the {} teams of this operation: recruit, or take fewer turfs",
                        window_label(&op),
                        op.teams.len()
                    );
                }
                c.unassigned.push(u);
            } else if let Some(a) = proposed.get(&t) {
                c.unassigned.push(UnassignedTurf {
                    turf_id: t,
                    turf: a.turf.clone(),
                    reason: UnassignedReason::NoTeamLeft,
                    message: format!(
                        "no team yet; free volunteers are available: the suggestion would send {} ({:.0} m away)",
                        a.members.join(" & "),
                        a.distance_m
                    ),
                });
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::progress::NoProgress;
    use crate::model::turfs::synthetic::build_synthetic_quarter;
    use crate::model::turfs::{CutRequest, CutTarget};
    use crate::model::volunteers::Availability;
    use chrono::{NaiveDate, NaiveTime};

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// Saturday 14 March 2026, 10:00–12:30.
    fn draft(meeting: Option<Point<f64>>) -> OperationDraft {
        OperationDraft {
            name: "Samedi matin".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: hm(10, 0),
            end: hm(12, 30),
            meeting_point: String::new(),
            meeting_wgs84: meeting,
            contact_phone: "06 00 00 00 00".into(),
            notes: String::new(),
        }
    }

    /// A synthetic quarter of 480 doors cut into turfs of about 40 doors, and a roster:
    /// 1 & 2 partners free on Saturday morning, 3 & 4 free then, 5 only on Sunday (partner of
    /// 6, free on Saturday), 7 free on Saturday without consent.
    fn fixture() -> (tempfile::TempDir, Campaign, Vec<i64>, Vec<i64>) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("op.gpkg")).unwrap();
        let code = build_synthetic_quarter(&mut c, 480).unwrap();
        c.cut_turfs(
            &CutRequest {
                precincts: vec![code],
                area_wgs84: None,
                target: CutTarget::DoorsPerTurf(40),
                replace: true,
                name_prefix: None,
            },
            None,
            &[],
            &NoProgress,
        )
        .unwrap();
        let turfs: Vec<i64> = c.turfs().unwrap().iter().map(|t| t.id).collect();
        let centre = turf_centre(&c.turf(turfs[0]).unwrap()).unwrap();
        let people = [
            ("José", "Dupré", "sam matin", true),
            ("François", "Lécuyer", "sam matin", true),
            ("Ana", "Moreau", "samedi", true),
            ("Paul", "Roux", "sat morning", true),
            ("Léa", "Petit", "dim", true),
            ("Marc", "Blanc", "sam", true),
            ("Inès", "Garnier", "sam matin", false),
        ];
        let mut ids = Vec::new();
        for (i, (first, last, avail, consent)) in people.iter().enumerate() {
            let v = Volunteer {
                first_name: first.to_string(),
                last_name: last.to_string(),
                phone: format!("06 10 00 00 0{i}"),
                availability: Availability::parse(avail).unwrap(),
                home_wgs84: Some(Point::new(
                    centre.x() + 0.001 * i as f64,
                    centre.y() + 0.0005 * i as f64,
                )),
                consent_date: consent.then(|| NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()),
                ..Volunteer::default()
            };
            ids.push(c.add_volunteer(&v).unwrap());
        }
        for (a, b) in [(0, 1), (4, 5)] {
            let mut v = c.volunteer(ids[a]).unwrap();
            v.partner_id = Some(ids[b]);
            c.update_volunteer(&v).unwrap();
        }
        (dir, c, turfs, ids)
    }

    #[test]
    fn operations_are_created_checked_edited_and_deleted() {
        let (_dir, mut c, turfs, _) = fixture();
        let mut bad = draft(None);
        bad.end = hm(9, 0);
        let e = c.create_operation(&bad).unwrap_err().to_string();
        assert!(e.contains("09:00") && e.contains("10:00"), "{e}");
        bad = draft(None);
        bad.name = "  ".into();
        assert!(c.create_operation(&bad).is_err());
        assert!(c.operations().unwrap().is_empty());

        // The meeting point is located among the campaign's addresses.
        let (number, street): (String, String) = c
            .connection()
            .query_row("SELECT number, street FROM addresses LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let mut d = draft(None);
        d.meeting_point = format!("{number} {street}");
        let id = c.create_operation(&d).unwrap();
        let op = c.operation(id).unwrap();
        assert!(
            op.meeting_wgs84.is_some(),
            "{:?} not located",
            d.meeting_point
        );
        assert_eq!(op.window_minutes(), 150.0);

        c.add_operation_turfs(id, &turfs[..3]).unwrap();
        c.add_operation_turfs(id, &turfs[1..4]).unwrap();
        assert_eq!(c.operation(id).unwrap().turf_ids, turfs[..4].to_vec());
        assert!(c.add_operation_turfs(id, &[9999]).is_err());
        c.remove_operation_turf(id, turfs[0]).unwrap();
        assert_eq!(c.operation(id).unwrap().turf_ids, turfs[1..4].to_vec());

        let mut d2 = draft(Some(Point::new(2.35, 48.85)));
        d2.name = "Samedi après-midi".into();
        d2.start = hm(14, 0);
        d2.end = hm(17, 0);
        c.update_operation(id, &d2).unwrap();
        let op = c.operation(id).unwrap();
        assert_eq!(
            (op.name.as_str(), op.start, op.end),
            ("Samedi après-midi", hm(14, 0), hm(17, 0))
        );
        assert_eq!(op.turf_ids.len(), 3, "turfs stay");

        let early = c.create_operation(&draft(None)).unwrap();
        let order: Vec<i64> = c.operations().unwrap().iter().map(|o| o.id).collect();
        assert_eq!(order, vec![early, id], "by date then start time");
        c.delete_operation(id).unwrap();
        assert!(
            c.operation(id)
                .unwrap_err()
                .to_string()
                .contains("no operation")
        );
        assert_eq!(c.turfs().unwrap().len(), turfs.len(), "turfs stay");
    }

    #[test]
    fn dropping_a_volunteer_on_a_turf_brings_the_partner_and_marks_the_turf() {
        let (dir, mut c, turfs, v) = fixture();
        let id = c
            .create_operation(&draft(Some(Point::new(2.35, 48.85))))
            .unwrap();
        c.add_operation_turfs(id, &turfs[..3]).unwrap();

        let out = c.assign_volunteer(id, v[0], turfs[0]).unwrap();
        assert_eq!(out.member_ids, vec![v[0], v[1]]);
        assert_eq!(out.partner_moved, Some(v[1]));
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let op = c.operation(id).unwrap();
        assert_eq!(
            op.team_of_turf(turfs[0]).unwrap().name,
            "José D. & François L."
        );
        assert_eq!(c.turf(turfs[0]).unwrap().status, TurfStatus::Assigned);

        // Not available that day, partner free and available: both come, with a warning.
        let out = c.assign_volunteer(id, v[4], turfs[1]).unwrap();
        assert_eq!(out.member_ids, vec![v[4], v[5]]);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("Léa Petit is not available")),
            "{:?}",
            out.warnings
        );
        // No consent: a warning; joins the existing team of the turf.
        let out = c.assign_volunteer(id, v[6], turfs[1]).unwrap();
        assert_eq!(out.member_ids, vec![v[4], v[5], v[6]]);
        assert!(
            out.warnings.iter().any(|w| w.contains("consent")),
            "{:?}",
            out.warnings
        );
        assert_eq!(
            c.operation(id)
                .unwrap()
                .team_of_turf(turfs[1])
                .unwrap()
                .name,
            "Léa P., Marc B. & Inès G."
        );

        // A turf outside the operation is added to it; José moves, his old team keeps François.
        let out = c.assign_volunteer(id, v[0], turfs[5]).unwrap();
        assert_eq!(
            out.member_ids,
            vec![v[0]],
            "the partner is in a team: not moved"
        );
        assert!(out.left_team.is_some());
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("François Lécuyer is in team")),
            "{:?}",
            out.warnings
        );
        let op = c.operation(id).unwrap();
        assert!(op.turf_ids.contains(&turfs[5]));
        assert_eq!(op.team_of_turf(turfs[0]).unwrap().member_ids, vec![v[1]]);
        assert_eq!(op.team_of_turf(turfs[0]).unwrap().name, "François L.");

        // François leaves: his team is deleted and the turf is planned again.
        c.unassign_volunteer(id, v[1]).unwrap();
        let op = c.operation(id).unwrap();
        assert!(op.team_of_turf(turfs[0]).is_none());
        assert_eq!(c.turf(turfs[0]).unwrap().status, TurfStatus::Planned);
        assert!(c.unassign_volunteer(id, v[1]).is_err());

        // Persisted: reopen the file.
        drop(c);
        let c = Campaign::open(dir.path().join("op.gpkg")).unwrap();
        let op = c.operation(id).unwrap();
        assert_eq!(op.teams.len(), 2);
        assert_eq!(op.team_of_volunteer(v[6]).unwrap().turf_id, Some(turfs[1]));
        assert_eq!(c.turf(turfs[1]).unwrap().status, TurfStatus::Assigned);
    }

    #[test]
    fn the_suggestion_is_applied_covered_and_cleared() {
        let (_dir, mut c, turfs, v) = fixture();
        let id = c
            .create_operation(&draft(Some(Point::new(2.35, 48.85))))
            .unwrap();
        c.add_operation_turfs(id, &turfs).unwrap();
        let problem = c.assignment_problem(id).unwrap();
        let mut available: Vec<i64> = problem
            .candidates
            .iter()
            .filter(|c| c.available)
            .map(|c| c.volunteer_id)
            .collect();
        available.sort_unstable();
        // Léa (Sunday only) is out; everyone else is free on Saturday morning.
        assert_eq!(available, vec![v[0], v[1], v[2], v[3], v[5], v[6]]);
        let plan = c.suggest_assignment(id).unwrap();
        assert_eq!(plan.unavailable, vec![v[4]]);
        assert_eq!(plan.assignments.len(), 3, "{plan:?}");
        assert!(
            plan.assignments
                .iter()
                .any(|a| a.member_ids == vec![v[0], v[1]])
        );
        c.apply_assignment(id, &plan).unwrap();
        // Applying a stale suggestion again is refused.
        assert!(
            c.apply_assignment(id, &plan)
                .unwrap_err()
                .to_string()
                .contains("suggest again")
        );

        let cov = c.plan_coverage(id).unwrap();
        assert_eq!(cov.turfs, turfs.len());
        assert_eq!(cov.turfs_assigned, 3);
        assert_eq!(cov.teams, 3);
        assert_eq!(cov.volunteers_assigned, 6);
        assert_eq!(cov.volunteers_available_free, 0);
        assert_eq!(cov.doors_planned, 480);
        assert!(cov.doors_assigned > 0 && cov.doors_assigned < 480);
        assert_eq!(cov.minutes_capacity, 3.0 * 150.0);
        assert_eq!(cov.unassigned.len(), turfs.len() - 3);
        assert!(
            cov.unassigned
                .iter()
                .all(|u| u.reason == UnassignedReason::NoTeamLeft
                    && u.message.contains("is in one of the 3 teams")),
            "only Léa is free, and she is not available; the others are busy: {:?}",
            cov.unassigned
        );
        for a in &plan.assignments {
            assert_eq!(c.turf(a.turf_id).unwrap().status, TurfStatus::Assigned);
        }
        // A second suggestion has nobody left.
        let again = c.suggest_assignment(id).unwrap();
        assert!(again.assignments.is_empty());

        c.clear_assignment(id).unwrap();
        assert!(c.operation(id).unwrap().teams.is_empty());
        assert!(
            c.turfs()
                .unwrap()
                .iter()
                .all(|t| t.status == TurfStatus::Planned)
        );
    }
}
