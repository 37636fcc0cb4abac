//! Recording results by hand: one visit or one per-turf tally, each in one transaction, tied to
//! the operation on that date holding the turf and the team walking it.

use chrono::NaiveDate;

use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::results::{GOAL_METRICS, Goal, Tally, Visit};
use crate::model::storage;

impl Campaign {
    /// Records one visit; the turf defaults to the door's, and the operation and team are
    /// resolved from the turf and the date when not given. Returns the visit id.
    pub fn record_visit(&mut self, visit: &Visit) -> ModelResult<i64> {
        let tx = self.conn.transaction()?;
        let doors = storage::results::doors_with_turf(&tx)?;
        let Some(door_turf) = doors.get(&visit.address_fid) else {
            return Err(ModelError::Invalid(format!(
                "door {} is not an address of this campaign",
                visit.address_fid
            )));
        };
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
                storage::results::operation_for_turf(&tx, t, &v.visited_on.to_string())?
        {
            v.operation_id = Some(op);
            v.team_id = team;
        }
        let id = storage::results::insert_visit(&tx, &v)?;
        tx.commit()?;
        Ok(id)
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
