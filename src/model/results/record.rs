//! Recording results by hand: one visit or one per-turf tally, each in one transaction, tied to
//! the operation on that date holding the turf and the team walking it.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::results::{FollowUps, GOAL_METRICS, Goal, Outcome, Tally, Visit};
use crate::model::storage;
use crate::model::storage::contacts::NewContact;

/// One door of a turf as the door-by-door entry lists it, with its last recorded visit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurfDoor {
    pub address_fid: i64,
    /// "12 bis rue des Lilas".
    pub label: String,
    /// Visits recorded at this door (any date).
    pub visits: usize,
    pub last_outcome: Option<Outcome>,
    /// YYYY-MM-DD of the last visit.
    pub last_date: Option<String>,
}

/// One visit already recorded at a door (the door entry lists them: nothing is overwritten).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DoorVisit {
    pub id: i64,
    /// YYYY-MM-DD.
    pub visited_on: String,
    pub outcome: Outcome,
    pub themes: Vec<String>,
    pub follow_ups: FollowUps,
    pub contact_taken: bool,
    pub note: String,
    pub source: String,
}

/// What a visit to a turf on a date is tied to: the operation holding the turf that day and the
/// team walking it ("Porte-à-porte du samedi", "Amina D. & José D.").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitContext {
    pub operation_id: i64,
    pub operation_name: String,
    pub team_id: Option<i64>,
    /// The members' short names, else the team's own name; empty without a team.
    pub team_label: String,
}

/// What [`Campaign::record_door_result`] stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DoorResult {
    pub visit_id: i64,
    pub contact_id: Option<i64>,
    pub operation_id: Option<i64>,
    pub team_id: Option<i64>,
    pub turf_id: Option<i64>,
}

/// "12 bis rue des Lilas" from a door's number, suffix and street.
pub fn door_label(number: &str, suffix: &str, street: &str) -> String {
    [number.trim(), suffix.trim(), street.trim()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sort key of a house number: its leading digits as a number, then the rest ("12 bis" after "12").
fn number_key(number: &str) -> (u64, String) {
    let digits: String = number
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (
        digits.parse().unwrap_or(u64::MAX),
        number.trim()[digits.len()..].to_lowercase(),
    )
}

/// Checks a visit's door and turf and fills in the turf (the door's), the operation and the team
/// (from turf + date) when not given.
fn resolve_visit(conn: &Connection, visit: &Visit) -> ModelResult<Visit> {
    let doors = storage::results::doors_with_turf(conn)?;
    let Some(door_turf) = doors.get(&visit.address_fid) else {
        return Err(ModelError::Invalid(format!(
            "door {} is not an address of this campaign",
            visit.address_fid
        )));
    };
    if !visit.tags.is_empty() {
        // The default themes are seeded on first use.
        storage::results::tags(conn)?;
    }
    let mut v = visit.clone();
    if let Some(t) = v.turf_id {
        if *door_turf != Some(t) {
            return Err(ModelError::Invalid(format!(
                "door {} is not in turf {t}",
                v.address_fid
            )));
        }
    } else {
        v.turf_id = *door_turf;
    }
    if v.operation_id.is_none()
        && let Some(t) = v.turf_id
        && let Some((op, team)) =
            storage::results::operation_for_turf(conn, t, &v.visited_on.to_string())?
    {
        v.operation_id = Some(op);
        v.team_id = team;
    }
    Ok(v)
}

impl Campaign {
    /// Records one visit; the turf defaults to the door's, and the operation and team are
    /// resolved from the turf and the date when not given. Returns the visit id.
    pub fn record_visit(&mut self, visit: &Visit) -> ModelResult<i64> {
        let tx = self.conn.transaction()?;
        let v = resolve_visit(&tx, visit)?;
        let id = storage::results::insert_visit(&tx, &v)?;
        tx.commit()?;
        Ok(id)
    }

    /// Records one door's result entered by hand: the visit and, when given, the contact taken
    /// there (tied to the visit and the door), in one transaction. A contact is refused at a door
    /// that did not open to a conversation (not home, refused, moved, do not contact) and without
    /// a name, phone or email; the visit then is not stored either.
    pub fn record_door_result(
        &mut self,
        visit: &Visit,
        contact: Option<&NewContact>,
    ) -> ModelResult<DoorResult> {
        let tx = self.conn.transaction()?;
        let mut v = resolve_visit(&tx, visit)?;
        if contact.is_some() {
            if !matches!(v.outcome, Outcome::Opened | Outcome::ComeBack) {
                return Err(ModelError::Invalid(format!(
                    "a contact can only be taken at a door that opened (outcome opened or come back, not {})",
                    v.outcome.code()
                )));
            }
            v.contact_taken = true;
        }
        let visit_id = storage::results::insert_visit(&tx, &v)?;
        let contact_id = match contact {
            Some(c) => {
                let c = NewContact {
                    visit_id: Some(visit_id),
                    address_fid: Some(v.address_fid),
                    ..c.clone()
                };
                storage::contacts::validate(&c)?;
                Some(storage::contacts::insert_contact(&tx, &c)?)
            }
            None => None,
        };
        tx.commit()?;
        Ok(DoorResult {
            visit_id,
            contact_id,
            operation_id: v.operation_id,
            team_id: v.team_id,
            turf_id: v.turf_id,
        })
    }

    /// The doors of turf `turf_id` with their last visit: in `walk_order` (a route's stops, by
    /// address fid) when given, the doors it misses after; else by street and house number.
    pub fn turf_doors_with_last_visit(
        &self,
        turf_id: i64,
        walk_order: Option<&[i64]>,
    ) -> ModelResult<Vec<TurfDoor>> {
        if !storage::results::turf_exists(&self.conn, turf_id)? {
            return Err(ModelError::Invalid(format!(
                "turf {turf_id} does not exist"
            )));
        }
        let mut st = self.conn.prepare(
            "SELECT a.fid, COALESCE(a.number, ''), COALESCE(a.suffix, ''), COALESCE(a.street, ''),
                (SELECT count(*) FROM visits v WHERE v.address_fid = a.fid),
                (SELECT v.outcome || ' ' || v.visited_on FROM visits v WHERE v.address_fid = a.fid
                 ORDER BY v.visited_on DESC, v.id DESC LIMIT 1)
             FROM turf_doors d JOIN addresses a ON a.fid = d.address_fid
             WHERE d.turf_id = ?1",
        )?;
        let rows = st
            .query_map([turf_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut doors: Vec<(String, (u64, String), TurfDoor)> = rows
            .into_iter()
            .map(|(fid, number, suffix, street, visits, last)| {
                let (outcome, date) = match last.as_deref().and_then(|l| l.split_once(' ')) {
                    Some((o, d)) => (Outcome::parse(o), Some(d.to_string())),
                    None => (None, None),
                };
                let door = TurfDoor {
                    address_fid: fid,
                    label: door_label(&number, &suffix, &street),
                    visits: visits as usize,
                    last_outcome: outcome,
                    last_date: date,
                };
                let key = (
                    crate::model::volunteers::fold(&street),
                    number_key(&format!("{number} {suffix}")),
                );
                (key.0, key.1, door)
            })
            .collect();
        doors.sort_by(|a, b| (&a.0, &a.1, a.2.address_fid).cmp(&(&b.0, &b.1, b.2.address_fid)));
        let mut doors: Vec<TurfDoor> = doors.into_iter().map(|(_, _, d)| d).collect();
        if let Some(order) = walk_order {
            let rank: HashMap<i64, usize> =
                order.iter().enumerate().map(|(i, &fid)| (fid, i)).collect();
            // Stable: the doors missing from the route keep their street order, after.
            doors.sort_by_key(|d| rank.get(&d.address_fid).copied().unwrap_or(usize::MAX));
        }
        Ok(doors)
    }

    /// The visits recorded at one door, latest first, with their themes.
    pub fn door_visits(&self, address_fid: i64) -> ModelResult<Vec<DoorVisit>> {
        let mut st = self.conn.prepare(
            "SELECT v.id, v.visited_on, v.outcome, v.wants_to_volunteer, v.wants_to_donate,
                v.wants_callback, v.contact_taken, v.note, v.source,
                (SELECT group_concat(name, '|') FROM (SELECT t.name FROM visit_tags vt
                    JOIN result_tags t ON t.id = vt.tag_id WHERE vt.visit_id = v.id ORDER BY t.name))
             FROM visits v WHERE v.address_fid = ?1 ORDER BY v.visited_on DESC, v.id DESC",
        )?;
        let rows = st
            .query_map(params![address_fid], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    FollowUps {
                        wants_to_volunteer: r.get(3)?,
                        wants_to_donate: r.get(4)?,
                        wants_callback: r.get(5)?,
                    },
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<String>>(9)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(
                |(id, visited_on, outcome, follow_ups, contact_taken, note, source, themes)| {
                    let outcome = Outcome::parse(&outcome).ok_or_else(|| {
                        ModelError::Invalid(format!("visit {id}: unknown outcome \"{outcome}\""))
                    })?;
                    Ok(DoorVisit {
                        id,
                        visited_on,
                        outcome,
                        themes: themes
                            .map(|t| t.split('|').map(str::to_owned).collect())
                            .unwrap_or_default(),
                        follow_ups,
                        contact_taken,
                        note,
                        source,
                    })
                },
            )
            .collect()
    }

    /// The operation holding `turf` on `date` and the team walking it there, named.
    pub fn visit_context(&self, turf: i64, date: NaiveDate) -> ModelResult<Option<VisitContext>> {
        let Some((operation_id, team_id)) = self.operation_for_turf(turf, date)? else {
            return Ok(None);
        };
        let op = self.operation(operation_id)?;
        let team_label = match op.teams.iter().find(|t| Some(t.id) == team_id) {
            Some(team) => {
                let names = team
                    .member_ids
                    .iter()
                    .filter_map(|&id| self.volunteer(id).ok())
                    .map(|v| v.short_name())
                    .collect::<Vec<_>>();
                if names.is_empty() {
                    team.name.clone()
                } else {
                    crate::model::operations::plan::team_name(&names)
                }
            }
            None => String::new(),
        };
        Ok(Some(VisitContext {
            operation_id,
            operation_name: op.name,
            team_id,
            team_label,
        }))
    }

    /// Records a per-turf tally after checking its counts (opened ≤ knocked...); the operation
    /// and team are resolved from the turf and the date. Returns the tally as stored.
    pub fn record_tally(&mut self, tally: &Tally) -> ModelResult<Tally> {
        tally.validate().map_err(ModelError::Invalid)?;
        let tx = self.conn.transaction()?;
        if !storage::results::turf_exists(&tx, tally.turf_id)? {
            return Err(ModelError::Invalid(format!(
                "turf {} does not exist",
                tally.turf_id
            )));
        }
        let mut t = tally.clone();
        if t.operation_id.is_none()
            && let Some((op, team)) =
                storage::results::operation_for_turf(&tx, t.turf_id, &t.tallied_on.to_string())?
        {
            t.operation_id = Some(op);
            t.team_id = team;
        }
        storage::results::insert_tally(&tx, &t, "manual")?;
        tx.commit()?;
        Ok(t)
    }

    /// The operation on `date` holding `turf`, and its team there.
    pub fn operation_for_turf(
        &self,
        turf: i64,
        date: NaiveDate,
    ) -> ModelResult<Option<(i64, Option<i64>)>> {
        storage::results::operation_for_turf(&self.conn, turf, &date.to_string())
    }

    /// The campaign's themes (id, name, active); the default list on first use.
    pub fn result_tags(&mut self) -> ModelResult<Vec<(i64, String, bool)>> {
        let tx = self.conn.transaction()?;
        let tags = storage::results::tags(&tx)?;
        tx.commit()?;
        Ok(tags)
    }

    /// Adds a theme to the campaign's list (or reactivates it).
    pub fn add_result_tag(&mut self, name: &str) -> ModelResult<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ModelError::Invalid("a theme needs a name".into()));
        }
        let tx = self.conn.transaction()?;
        storage::results::tags(&tx)?;
        let id = storage::results::add_tag(&tx, name)?;
        tx.commit()?;
        Ok(id)
    }

    /// Renames a theme (the visits keep it under its new name).
    pub fn rename_result_tag(&mut self, id: i64, name: &str) -> ModelResult<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ModelError::Invalid("a theme needs a name".into()));
        }
        let taken: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM result_tags WHERE name = ?1 AND id != ?2",
            rusqlite::params![name, id],
            |r| r.get(0),
        )?;
        if taken {
            return Err(ModelError::Invalid(format!(
                "a theme is already named \"{name}\""
            )));
        }
        if storage::results::rename_tag(&self.conn, id, name)? {
            Ok(())
        } else {
            Err(ModelError::Invalid(format!("no theme {id}")))
        }
    }

    /// Stops offering a theme (past visits keep it).
    pub fn deactivate_result_tag(&mut self, id: i64) -> ModelResult<()> {
        if storage::results::deactivate_tag(&self.conn, id)? {
            Ok(())
        } else {
            Err(ModelError::Invalid(format!("no theme {id}")))
        }
    }

    /// Adds a goal after checking its metric and target; returns it with its id.
    pub fn add_goal(&mut self, goal: &Goal) -> ModelResult<Goal> {
        if goal.name.trim().is_empty() {
            return Err(ModelError::Invalid("a goal needs a name".into()));
        }
        if !GOAL_METRICS.contains(&goal.metric.as_str()) {
            return Err(ModelError::Invalid(format!(
                "unknown goal metric \"{}\" (expected one of {})",
                goal.metric,
                GOAL_METRICS.join(", ")
            )));
        }
        if goal.target <= 0 {
            return Err(ModelError::Invalid(format!(
                "a goal's target must be positive, not {}",
                goal.target
            )));
        }
        if let Some(d) = &goal.due_date
            && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
        {
            return Err(ModelError::Invalid(format!(
                "due date {d}: expected YYYY-MM-DD"
            )));
        }
        let tx = self.conn.transaction()?;
        let id = storage::results::insert_goal(&tx, goal)?;
        tx.commit()?;
        Ok(Goal { id, ..goal.clone() })
    }

    pub fn goals(&self) -> ModelResult<Vec<Goal>> {
        storage::results::goals(&self.conn)
    }

    /// Deletes a goal; an unknown id is an error.
    pub fn delete_goal(&mut self, id: i64) -> ModelResult<()> {
        if storage::results::delete_goal(&self.conn, id)? {
            Ok(())
        } else {
            Err(ModelError::Invalid(format!("no goal {id}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A campaign with turf 1 of three doors (2 rue B, 10 rue A, 2 bis rue A), one door in no
    /// turf, and operation 1 on 2026-03-14 holding turf 1 with a team of Amina D. and José D.
    fn campaign(dir: &tempfile::TempDir) -> Campaign {
        let c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        c.conn
            .execute_batch(
                "INSERT INTO addresses (fid, number, suffix, street, source) VALUES
                    (1, '2', NULL, 'rue B', 't'), (2, '10', NULL, 'rue A', 't'),
                    (3, '2', 'bis', 'rue A', 't'), (4, '1', NULL, 'rue C', 't');
                 INSERT INTO turfs (fid, name, colour) VALUES (1, 'T1', '#ff0000');
                 INSERT INTO turf_doors (turf_id, address_fid) VALUES (1, 1), (1, 2), (1, 3);
                 INSERT INTO volunteers (fid, first_name, last_name) VALUES
                    (1, 'Amina', 'Diallo'), (2, 'José', 'Dupré');
                 INSERT INTO operations (id, name, date, start_time, end_time) VALUES
                    (1, 'Porte-à-porte du samedi', '2026-03-14', '10:00', '12:30');
                 INSERT INTO operation_turfs (operation_id, turf_id) VALUES (1, 1);
                 INSERT INTO operation_teams (id, operation_id, turf_id) VALUES (1, 1, 1);
                 INSERT INTO team_members (team_id, operation_id, volunteer_id) VALUES
                    (1, 1, 1), (1, 1, 2);",
            )
            .unwrap();
        c
    }

    fn visit(fid: i64, outcome: Outcome) -> Visit {
        Visit {
            address_fid: fid,
            turf_id: None,
            operation_id: None,
            team_id: None,
            visited_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            recorded_at: None,
            outcome,
            contact_taken: false,
            follow_ups: FollowUps::default(),
            note: String::new(),
            tags: Vec::new(),
            source: "door entry".into(),
        }
    }

    fn contact(consent: &str) -> NewContact {
        NewContact {
            visit_id: None,
            address_fid: None,
            name: "Hélène Martin".into(),
            phone: "06 12 34 56 78".into(),
            email: String::new(),
            consent_date: NaiveDate::parse_from_str(consent, "%Y-%m-%d").unwrap(),
            source: "door entry".into(),
            tags: vec!["écoles".into()],
        }
    }

    #[test]
    fn doors_come_by_street_and_number_or_in_walking_order_with_their_last_visit() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = campaign(&dir);
        let labels = |doors: &[TurfDoor]| doors.iter().map(|d| d.label.clone()).collect::<Vec<_>>();
        let doors = c.turf_doors_with_last_visit(1, None).unwrap();
        assert_eq!(labels(&doors), ["2 bis rue A", "10 rue A", "2 rue B"]);
        assert!(
            doors
                .iter()
                .all(|d| d.visits == 0 && d.last_outcome.is_none())
        );
        let doors = c.turf_doors_with_last_visit(1, Some(&[1, 2])).unwrap();
        assert_eq!(labels(&doors), ["2 rue B", "10 rue A", "2 bis rue A"]);

        c.record_visit(&visit(2, Outcome::NotHome)).unwrap();
        let mut later = visit(2, Outcome::Opened);
        later.visited_on = NaiveDate::from_ymd_opt(2026, 3, 21).unwrap();
        c.record_visit(&later).unwrap();
        let door = c
            .turf_doors_with_last_visit(1, None)
            .unwrap()
            .into_iter()
            .find(|d| d.address_fid == 2)
            .unwrap();
        assert_eq!(door.visits, 2);
        assert_eq!(door.last_outcome, Some(Outcome::Opened));
        assert_eq!(door.last_date.as_deref(), Some("2026-03-21"));
        let e = c.turf_doors_with_last_visit(9, None).unwrap_err();
        assert!(e.to_string().contains("turf 9"), "{e}");
    }

    #[test]
    fn a_door_result_stores_the_visit_and_its_contact_together() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = campaign(&dir);
        let mut v = visit(3, Outcome::Opened);
        v.tags = vec!["écoles".into()];
        v.follow_ups.wants_callback = true;
        v.note = "parle des écoles".into();
        let stored = c
            .record_door_result(&v, Some(&contact("2026-03-14")))
            .unwrap();
        assert_eq!(stored.operation_id, Some(1));
        assert_eq!(stored.team_id, Some(1));
        assert_eq!(stored.turf_id, Some(1));
        let contacts = c.contacts().unwrap();
        assert_eq!(contacts.len(), 1);
        assert_eq!(contacts[0].visit_id, Some(stored.visit_id));
        assert_eq!(contacts[0].address_fid, Some(3));
        assert_eq!(contacts[0].tags, ["écoles"]);
        let visits = c.door_visits(3).unwrap();
        assert_eq!(visits.len(), 1);
        assert_eq!(visits[0].outcome, Outcome::Opened);
        assert_eq!(visits[0].themes, ["écoles"]);
        assert!(visits[0].contact_taken && visits[0].follow_ups.wants_callback);

        // A contact at a door that did not open, or without any way to reach the person: refused,
        // and the visit is not stored either.
        let e = c
            .record_door_result(&visit(3, Outcome::NotHome), Some(&contact("2026-03-14")))
            .unwrap_err();
        assert!(e.to_string().contains("not_home"), "{e}");
        let mut nobody = contact("2026-03-14");
        nobody.name.clear();
        nobody.phone.clear();
        let e = c
            .record_door_result(&visit(3, Outcome::Opened), Some(&nobody))
            .unwrap_err();
        assert!(e.to_string().contains("name, a phone or an email"), "{e}");
        assert_eq!(c.door_visits(3).unwrap().len(), 1);
        assert_eq!(c.contacts().unwrap().len(), 1);

        // A door outside the turf given, and a door of no turf (no operation then).
        let mut wrong = visit(4, Outcome::Opened);
        wrong.turf_id = Some(1);
        assert!(c.record_door_result(&wrong, None).is_err());
        let free = c
            .record_door_result(&visit(4, Outcome::Moved), None)
            .unwrap();
        assert_eq!((free.turf_id, free.operation_id), (None, None));
    }

    #[test]
    fn the_visit_context_names_the_operation_and_the_team() {
        let dir = tempfile::tempdir().unwrap();
        let c = campaign(&dir);
        let ctx = c
            .visit_context(1, NaiveDate::from_ymd_opt(2026, 3, 14).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(ctx.operation_name, "Porte-à-porte du samedi");
        assert_eq!(ctx.team_label, "Amina D. & José D.");
        assert_eq!(ctx.team_id, Some(1));
        assert!(
            c.visit_context(1, NaiveDate::from_ymd_opt(2026, 3, 15).unwrap())
                .unwrap()
                .is_none()
        );
    }
}
