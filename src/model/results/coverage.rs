//! Where the effort went: doors knocked per precinct and per turf (with "not visited since" a
//! date), and the campaign's totals and per-day series for the dashboard.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use crate::model::Campaign;
use crate::model::error::ModelResult;

/// Coverage of one precinct or one turf.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoverageRow {
    /// Precinct code, or turf id as text.
    pub key: String,
    pub name: String,
    pub doors: i64,
    /// Distinct doors with any visit (at turf level, plus tally knocks, capped at `doors`).
    pub knocked: i64,
    pub opened: i64,
    pub contacts: i64,
    /// knocked / doors (0 with no door).
    pub share: f64,
    pub last_visit: Option<String>,
    /// Doors with no visit on or after the `not_visited_since` date, when one is asked.
    pub not_visited_since: Option<i64>,
    /// The precinct's priority rank and score (1 = most priority) when a camp is saved.
    pub priority_rank: Option<usize>,
    pub priority_score: Option<f64>,
}

/// Campaign totals and the per-day series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dashboard {
    pub doors: i64,
    /// Distinct doors visited plus doors knocked in tallies.
    pub knocked: i64,
    pub opened: i64,
    pub contacts: i64,
    pub refusals: i64,
    pub by_operation: Vec<SeriesRow>,
    /// "operation / team" (visits and tallies of the team).
    pub by_team: Vec<SeriesRow>,
    /// Each member of a team is credited with the team's visits and tallies.
    pub by_volunteer: Vec<SeriesRow>,
    /// Door visits, plus turf tallies shared among the turf's precincts by their unvisited doors.
    pub by_precinct: Vec<SeriesRow>,
    pub by_day: Vec<SeriesRow>,
    pub goals: Vec<GoalProgress>,
}

/// A goal the campaign set, and how far it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalProgress {
    pub id: i64,
    pub name: String,
    /// doors_knocked, doors_opened or contacts.
    pub metric: String,
    pub target: i64,
    pub due_date: Option<String>,
    pub value: i64,
    /// value / target.
    pub share: f64,
    /// With a due date: the share reached is at least the share of time elapsed since the
    /// first result (or the target is met); None without a due date or any result.
    pub on_track: Option<bool>,
}

/// Whether `share` of a goal is on track at `today`, started on `start` and due on `due`.
pub fn on_track(share: f64, start: NaiveDate, due: NaiveDate, today: NaiveDate) -> bool {
    if share >= 1.0 {
        return true;
    }
    if today >= due {
        return false;
    }
    let total = (due - start).num_days().max(1) as f64;
    let elapsed = (today - start).num_days().max(0) as f64;
    share >= elapsed / total
}

/// Knocked / opened / contacts for one operation or one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesRow {
    pub key: String,
    pub knocked: i64,
    pub opened: i64,
    pub contacts: i64,
}

/// Per door: opened at least once, a contact taken, last visit date (only doors with visits).
const DOOR_VISITS: &str = "SELECT address_fid AS fid,
        MAX(outcome IN ('opened', 'refused', 'do_not_contact')) AS opened,
        MAX(contact_taken) AS contact, MAX(visited_on) AS last
    FROM visits GROUP BY address_fid";

/// `total` split in proportion to `weights` (largest remainder), summing to `total`.
fn largest_remainder(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    if sum <= 0 || total <= 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<i64> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * weights[i]) % sum));
    let left = total - parts.iter().sum::<i64>();
    for &i in order.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts
}

fn share(knocked: i64, doors: i64) -> f64 {
    if doors > 0 {
        knocked as f64 / doors as f64
    } else {
        0.0
    }
}

impl Campaign {
    /// Coverage of every precinct, by code.
    pub fn precinct_coverage(&self, since: Option<NaiveDate>) -> ModelResult<Vec<CoverageRow>> {
        let sql = format!(
            "SELECT p.code, COALESCE(p.name, ''), COUNT(a.fid), COUNT(d.fid),
                COALESCE(SUM(d.opened), 0), COALESCE(SUM(d.contact), 0), MAX(d.last),
                SUM(CASE WHEN a.fid IS NOT NULL AND (d.last IS NULL OR d.last < ?1) THEN 1 ELSE 0 END)
             FROM precincts p
             LEFT JOIN addresses a ON a.precinct_code = p.code
             LEFT JOIN ({DOOR_VISITS}) d ON d.fid = a.fid
             GROUP BY p.code ORDER BY p.code"
        );
        let since_text = since.map(|d| d.to_string());
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params![since_text.clone().unwrap_or_default()], |r| {
                let doors: i64 = r.get(2)?;
                let knocked: i64 = r.get(3)?;
                Ok(CoverageRow {
                    key: r.get(0)?,
                    name: r.get(1)?,
                    doors,
                    knocked,
                    opened: r.get(4)?,
                    contacts: r.get(5)?,
                    share: share(knocked, doors),
                    last_visit: r.get(6)?,
                    not_visited_since: since_text.as_ref().map(|_| r.get(7)).transpose()?,
                    priority_rank: None,
                    priority_score: None,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows = rows;
        self.add_tallies_to_precincts(&mut rows)?;
        // Priority beside coverage: only when the campaign's score can be computed (a camp saved).
        if let Ok(settings) = self.scoring_settings()
            && let Ok(scored) = self.score(&settings, None, &[])
        {
            let by_code: HashMap<&str, (usize, f64)> = scored
                .precincts
                .iter()
                .map(|p| (p.code.as_str(), (p.rank, p.score)))
                .collect();
            for row in &mut rows {
                if let Some(&(rank, score)) = by_code.get(row.key.as_str()) {
                    row.priority_rank = Some(rank);
                    row.priority_score = Some(score);
                }
            }
        }
        Ok(rows)
    }

    /// Adds the turf tallies (which name no door) to the precinct rows: each turf's tallied
    /// knocks, capped at its doors without a recorded visit, are shared among its precincts in
    /// proportion to those doors (largest remainder), and so are its opened doors and contacts.
    fn add_tallies_to_precincts(&self, rows: &mut [CoverageRow]) -> ModelResult<()> {
        let mut st = self.conn.prepare(
            "SELECT turf_id, SUM(knocked), SUM(opened), SUM(contacts), MAX(tallied_on)
             FROM turf_tallies GROUP BY turf_id",
        )?;
        let tallies = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                    ],
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut unvisited = self.conn.prepare(
            "SELECT COALESCE(a.precinct_code, ''), COUNT(*) FROM turf_doors td
             JOIN addresses a ON a.fid = td.address_fid
             WHERE td.turf_id = ?1 AND td.address_fid NOT IN (SELECT address_fid FROM visits)
             GROUP BY a.precinct_code ORDER BY a.precinct_code",
        )?;
        let index: HashMap<String, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        for (turf_id, [knocked, opened, contacts], last) in tallies {
            let per_precinct = unvisited
                .query_map(params![turf_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let free: i64 = per_precinct.iter().map(|(_, n)| n).sum();
            if free == 0 {
                continue;
            }
            let knocked = knocked.min(free);
            let weights: Vec<i64> = per_precinct.iter().map(|(_, n)| *n).collect();
            let shares = [
                largest_remainder(knocked, &weights),
                largest_remainder(opened.min(knocked), &weights),
                largest_remainder(contacts.min(knocked), &weights),
            ];
            for (k, (code, _)) in per_precinct.iter().enumerate() {
                let Some(&i) = index.get(code) else { continue };
                let row = &mut rows[i];
                row.knocked = (row.knocked + shares[0][k]).min(row.doors);
                row.opened += shares[1][k];
                row.contacts += shares[2][k];
                row.share = share(row.knocked, row.doors);
                if shares[0][k] > 0 {
                    row.last_visit = row.last_visit.clone().max(last.clone());
                }
            }
        }
        Ok(())
    }

    /// Coverage of every turf: door visits plus tally counts, capped at the turf's doors.
    pub fn turf_coverage(&self, since: Option<NaiveDate>) -> ModelResult<Vec<CoverageRow>> {
        let sql = format!(
            "SELECT t.fid, t.name, COUNT(td.address_fid), COUNT(d.fid),
                COALESCE(SUM(d.opened), 0), COALESCE(SUM(d.contact), 0), MAX(d.last),
                SUM(CASE WHEN td.address_fid IS NOT NULL AND (d.last IS NULL OR d.last < ?1) THEN 1 ELSE 0 END),
                (SELECT COALESCE(SUM(knocked), 0) FROM turf_tallies WHERE turf_id = t.fid),
                (SELECT COALESCE(SUM(opened), 0) FROM turf_tallies WHERE turf_id = t.fid),
                (SELECT COALESCE(SUM(contacts), 0) FROM turf_tallies WHERE turf_id = t.fid),
                (SELECT MAX(tallied_on) FROM turf_tallies WHERE turf_id = t.fid)
             FROM turfs t
             LEFT JOIN turf_doors td ON td.turf_id = t.fid
             LEFT JOIN ({DOOR_VISITS}) d ON d.fid = td.address_fid
             GROUP BY t.fid ORDER BY t.fid"
        );
        let since_text = since.map(|d| d.to_string());
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params![since_text.clone().unwrap_or_default()], |r| {
                let id: i64 = r.get(0)?;
                let doors: i64 = r.get(2)?;
                let knocked = (r.get::<_, i64>(3)? + r.get::<_, i64>(8)?).min(doors);
                let opened = (r.get::<_, i64>(4)? + r.get::<_, i64>(9)?).min(knocked);
                let contacts = (r.get::<_, i64>(5)? + r.get::<_, i64>(10)?).min(opened);
                let last: Option<String> = r.get(6)?;
                let tally_last: Option<String> = r.get(11)?;
                Ok(CoverageRow {
                    key: id.to_string(),
                    name: r.get(1)?,
                    doors,
                    knocked,
                    opened,
                    contacts,
                    share: share(knocked, doors),
                    last_visit: last.max(tally_last),
                    not_visited_since: since_text.as_ref().map(|_| r.get(7)).transpose()?,
                    priority_rank: None,
                    priority_score: None,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Campaign totals, per operation, team, volunteer, precinct and day (visits plus tallies),
    /// and the goals' progress at `today`.
    pub fn dashboard(&self, today: NaiveDate) -> ModelResult<Dashboard> {
        let one =
            |sql: &str| -> ModelResult<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let doors = one("SELECT count(*) FROM addresses")?;
        let tally = |col: &str| one(&format!("SELECT COALESCE(SUM({col}), 0) FROM turf_tallies"));
        let knocked = one("SELECT count(DISTINCT address_fid) FROM visits")? + tally("knocked")?;
        let opened = one("SELECT count(DISTINCT address_fid) FROM visits
             WHERE outcome IN ('opened', 'refused', 'do_not_contact')")?
            + tally("opened")?;
        let contacts =
            one("SELECT count(*) FROM visits WHERE contact_taken = 1")? + tally("contacts")?;
        let refusals =
            one("SELECT count(*) FROM visits WHERE outcome IN ('refused', 'do_not_contact')")?
                + tally("refusals")?;
        let series = |visit_key: &str,
                      visit_join: &str,
                      tally: Option<(&str, &str)>|
         -> ModelResult<Vec<SeriesRow>> {
            let tally_part = tally
                .map(|(key, join)| {
                    format!(
                        "UNION ALL SELECT {key} AS k, knocked, opened, contacts
                         FROM turf_tallies t LEFT JOIN operations o ON o.id = t.operation_id {join}"
                    )
                })
                .unwrap_or_default();
            let sql = format!(
                "SELECT k, SUM(kn), SUM(op), SUM(ct) FROM (
                    SELECT {visit_key} AS k, 1 AS kn,
                        outcome IN ('opened', 'refused', 'do_not_contact') AS op, contact_taken AS ct
                    FROM visits v LEFT JOIN operations o ON o.id = v.operation_id {visit_join}
                    {tally_part})
                 WHERE k IS NOT NULL GROUP BY k ORDER BY k"
            );
            let mut st = self.conn.prepare(&sql)?;
            let rows = st
                .query_map([], |r| {
                    Ok(SeriesRow {
                        key: r.get(0)?,
                        knocked: r.get(1)?,
                        opened: r.get(2)?,
                        contacts: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        };
        let op_name = "COALESCE(o.name, '(no operation)')";
        let team_name = "o.name || ' / ' || COALESCE(NULLIF(tm.name, ''), 'team ' || tm.id)";
        let member = "trim(vo.first_name || ' ' || vo.last_name)";
        let members = |alias: &str| {
            format!(
                "JOIN team_members m ON m.team_id = {alias}.team_id
                 JOIN volunteers vo ON vo.fid = m.volunteer_id"
            )
        };
        let first: Option<String> = self.conn.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(visited_on) AS d FROM visits
                UNION ALL SELECT MIN(tallied_on) FROM turf_tallies)",
            [],
            |r| r.get(0),
        )?;
        let first = first.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let goals = crate::model::storage::results::goals(&self.conn)?
            .into_iter()
            .map(|g| {
                let value = match g.metric.as_str() {
                    "doors_opened" => opened,
                    "contacts" => contacts,
                    _ => knocked,
                };
                let share = value as f64 / g.target.max(1) as f64;
                let due = g
                    .due_date
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                let on_track = match (first, due) {
                    (Some(start), Some(due)) => Some(on_track(share, start, due, today)),
                    _ => None,
                };
                GoalProgress {
                    id: g.id,
                    name: g.name,
                    metric: g.metric,
                    target: g.target,
                    due_date: g.due_date,
                    value,
                    share,
                    on_track,
                }
            })
            .collect();
        Ok(Dashboard {
            doors,
            knocked,
            opened,
            contacts,
            refusals,
            by_operation: series(op_name, "", Some((op_name, "")))?,
            by_team: series(
                team_name,
                "JOIN operation_teams tm ON tm.id = v.team_id",
                Some((team_name, "JOIN operation_teams tm ON tm.id = t.team_id")),
            )?,
            by_volunteer: series(member, &members("v"), Some((member, members("t").as_str())))?,
            by_precinct: series(
                "a.precinct_code",
                "JOIN addresses a ON a.fid = v.address_fid",
                None,
            )?,
            by_day: series("v.visited_on", "", Some(("t.tallied_on", "")))?,
            goals,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_splits_exactly() {
        assert_eq!(largest_remainder(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(largest_remainder(7, &[5, 0, 2]), vec![5, 0, 2]);
        assert_eq!(largest_remainder(0, &[5, 2]), vec![0, 0]);
        assert_eq!(largest_remainder(3, &[0, 0]), vec![0, 0]);
    }

    #[test]
    fn a_goal_is_on_track_when_ahead_of_the_calendar() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // Half-way through March with 60 % done: on track; with 40 %: behind.
        assert!(on_track(0.6, d(3, 1), d(3, 31), d(3, 16)));
        assert!(!on_track(0.4, d(3, 1), d(3, 31), d(3, 16)));
        // Past the due date only a met target counts.
        assert!(!on_track(0.99, d(3, 1), d(3, 31), d(4, 2)));
        assert!(on_track(1.0, d(3, 1), d(3, 31), d(4, 2)));
    }
}
