//! Where the effort went: doors knocked per precinct and per turf (with "not visited since" a
//! date), and the campaign's totals and per-day series for the dashboard.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};

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
    /// Doors with no visit on or after the `not_visited_since` date, when one is asked (less the
    /// knocks tallied since then, which name no door).
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
    /// The date of the first result (visit or tally), YYYY-MM-DD; goals' pace starts there.
    pub first_day: Option<String>,
    /// The results counted (everything when empty); goals stay campaign-wide.
    pub filter: DashboardFilter,
}

/// Which results a dashboard counts: one operation's, and/or those of a date range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DashboardFilter {
    pub operation_id: Option<i64>,
    /// First and last day counted (inclusive).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DashboardFilter {
    pub fn is_empty(&self) -> bool {
        self == &DashboardFilter::default()
    }

    /// " AND …" conditions on the results table `alias` (its date column `date_col`); only
    /// integers and dates are written in, never user text.
    fn sql(&self, alias: &str, date_col: &str) -> String {
        let mut s = String::new();
        if let Some(op) = self.operation_id {
            s.push_str(&format!(" AND {alias}.operation_id = {op}"));
        }
        if let Some(d) = self.from {
            s.push_str(&format!(" AND {alias}.{date_col} >= '{d}'"));
        }
        if let Some(d) = self.to {
            s.push_str(&format!(" AND {alias}.{date_col} <= '{d}'"));
        }
        s
    }
}

/// The `by_operation` key of results recorded outside any operation (shown translated).
pub const NO_OPERATION: &str = "(no operation)";

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
    /// The value a steady pace from the first result to the due date would have reached by
    /// `today` (the target once due); None without a due date or any result.
    pub expected: Option<i64>,
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

/// The value of a goal of `target` started on `start` and due on `due`, at a steady pace,
/// reached by `today` (0 before the start, `target` from the due date on).
pub fn expected_value(target: i64, start: NaiveDate, due: NaiveDate, today: NaiveDate) -> i64 {
    if today >= due {
        return target;
    }
    let total = (due - start).num_days().max(1) as f64;
    let elapsed = (today - start)
        .num_days()
        .clamp(0, (due - start).num_days()) as f64;
    (target as f64 * elapsed / total).round() as i64
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Dashboard {
    /// Doors knocked up to and including each day of `by_day` (visits count once per visit).
    pub fn cumulative_knocked(&self) -> Vec<(String, i64)> {
        let mut sum = 0;
        self.by_day
            .iter()
            .map(|r| {
                sum += r.knocked;
                (r.key.clone(), sum)
            })
            .collect()
    }

    /// The straight line a goal's pace follows: (first result, 0) to (due date, target); None
    /// without a due date or any result, or for a filtered dashboard (its cumulative line counts
    /// only part of the results).
    pub fn goal_line(&self, goal: &GoalProgress) -> Option<[(NaiveDate, i64); 2]> {
        if !self.filter.is_empty() {
            return None;
        }
        let start = parse_day(self.first_day.as_deref()?)?;
        let due = parse_day(goal.due_date.as_deref()?)?;
        Some([(start, 0), (due.max(start), goal.target)])
    }

    /// The days a chart of the dashboard spans: the first result to the last result or the
    /// latest due date of a goal, whichever is later; None without any result.
    /// With a filter, the days of its results only.
    pub fn chart_days(&self) -> Option<(NaiveDate, NaiveDate)> {
        if !self.filter.is_empty() {
            let days = self.by_day.iter().filter_map(|r| parse_day(&r.key));
            return Some((days.clone().min()?, days.max()?));
        }
        let first = parse_day(self.first_day.as_deref()?)?;
        let last = self
            .by_day
            .iter()
            .filter_map(|r| parse_day(&r.key))
            .chain(
                self.goals
                    .iter()
                    .filter_map(|g| parse_day(g.due_date.as_deref()?)),
            )
            .max()
            .unwrap_or(first)
            .max(first);
        Some((first, last))
    }

    /// Writes the dashboard as one CSV table: a `total` row, then the rows per operation,
    /// team, volunteer, precinct and day, then the goals (their value under their metric's
    /// column, target, due date, on track yes/no).
    pub fn write_csv(&self, path: &Path) -> ModelResult<()> {
        let cannot = |e: &dyn std::fmt::Display| {
            ModelError::Invalid(format!("cannot write {}: {e}", path.display()))
        };
        let mut w = csv::Writer::from_path(path).map_err(|e| cannot(&e))?;
        let mut write = |record: [&str; 8]| w.write_record(record).map_err(|e| cannot(&e));
        write([
            "table", "key", "knocked", "opened", "contacts", "target", "due_date", "on_track",
        ])?;
        let (knocked, opened, contacts) = (
            self.knocked.to_string(),
            self.opened.to_string(),
            self.contacts.to_string(),
        );
        write(["total", "", &knocked, &opened, &contacts, "", "", ""])?;
        for (table, rows) in [
            ("operation", &self.by_operation),
            ("team", &self.by_team),
            ("volunteer", &self.by_volunteer),
            ("precinct", &self.by_precinct),
            ("day", &self.by_day),
        ] {
            for r in rows {
                write([
                    table,
                    &r.key,
                    &r.knocked.to_string(),
                    &r.opened.to_string(),
                    &r.contacts.to_string(),
                    "",
                    "",
                    "",
                ])?;
            }
        }
        for x in &self.goals {
            let value = x.value.to_string();
            let cell = |m: &str| if x.metric == m { value.as_str() } else { "" };
            write([
                "goal",
                x.name.as_str(),
                cell("doors_knocked"),
                cell("doors_opened"),
                cell("contacts"),
                &x.target.to_string(),
                x.due_date.as_deref().unwrap_or(""),
                match x.on_track {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "",
                },
            ])?;
        }
        w.flush().map_err(|e| cannot(&e))
    }
}

/// Knocked / opened / contacts for one operation or one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesRow {
    pub key: String,
    /// What to show instead of the key (a precinct's "code — name").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub knocked: i64,
    pub opened: i64,
    pub contacts: i64,
}

impl SeriesRow {
    /// The label, else the key.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.key)
    }
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
        self.add_tallies_to_precincts(&mut rows, since_text.as_deref())?;
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
    /// With a `since` date (YYYY-MM-DD), the knocks tallied on or after it are shared the same
    /// way and taken off the rows' doors not visited since.
    fn add_tallies_to_precincts(
        &self,
        rows: &mut [CoverageRow],
        since: Option<&str>,
    ) -> ModelResult<()> {
        let mut st = self.conn.prepare(
            "SELECT turf_id, SUM(knocked), SUM(opened), SUM(contacts), MAX(tallied_on),
                SUM(CASE WHEN tallied_on >= ?1 THEN knocked ELSE 0 END)
             FROM turf_tallies GROUP BY turf_id",
        )?;
        let tallies = st
            .query_map([since.unwrap_or_default()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(5)?,
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
        for (turf_id, [knocked, opened, contacts, knocked_since], last) in tallies {
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
                largest_remainder(knocked_since.min(knocked), &weights),
            ];
            for (k, (code, _)) in per_precinct.iter().enumerate() {
                let Some(&i) = index.get(code) else { continue };
                let row = &mut rows[i];
                row.knocked = (row.knocked + shares[0][k]).min(row.doors);
                row.opened += shares[1][k];
                row.contacts += shares[2][k];
                row.share = share(row.knocked, row.doors);
                if let Some(n) = row.not_visited_since.as_mut() {
                    *n = (*n - shares[3][k]).max(0);
                }
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
                (SELECT MAX(tallied_on) FROM turf_tallies WHERE turf_id = t.fid),
                (SELECT COALESCE(SUM(knocked), 0) FROM turf_tallies
                    WHERE turf_id = t.fid AND tallied_on >= ?1)
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
                    // Knocks tallied since the date name no door: they are taken off the
                    // doors not visited since.
                    not_visited_since: match since_text {
                        Some(_) => Some((r.get::<_, i64>(7)? - r.get::<_, i64>(12)?).max(0)),
                        None => None,
                    },
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
        self.dashboard_filtered(today, &DashboardFilter::default())
    }

    /// Knocked, opened, contacts and refusals of the results `filter` keeps (visits plus
    /// tallies).
    fn dashboard_totals(&self, filter: &DashboardFilter) -> ModelResult<[i64; 4]> {
        let one =
            |sql: &str| -> ModelResult<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let (vf, tf) = (filter.sql("v", "visited_on"), filter.sql("t", "tallied_on"));
        let tally = |col: &str| {
            one(&format!(
                "SELECT COALESCE(SUM({col}), 0) FROM turf_tallies t WHERE 1 {tf}"
            ))
        };
        let visits =
            |what: &str, cond: &str| one(&format!("SELECT {what} FROM visits v WHERE {cond} {vf}"));
        let opened_outcome = "outcome IN ('opened', 'refused', 'do_not_contact')";
        Ok([
            visits("count(DISTINCT address_fid)", "1")? + tally("knocked")?,
            visits("count(DISTINCT address_fid)", opened_outcome)? + tally("opened")?,
            visits("count(*)", "contact_taken = 1")? + tally("contacts")?,
            visits("count(*)", "outcome IN ('refused', 'do_not_contact')")? + tally("refusals")?,
        ])
    }

    /// The dashboard of the results `filter` keeps (one operation, a date range): totals and
    /// tables; the goals' progress stays campaign-wide.
    pub fn dashboard_filtered(
        &self,
        today: NaiveDate,
        filter: &DashboardFilter,
    ) -> ModelResult<Dashboard> {
        let doors: i64 = self
            .conn
            .query_row("SELECT count(*) FROM addresses", [], |r| r.get(0))?;
        let [knocked, opened, contacts, refusals] = self.dashboard_totals(filter)?;
        let all = if filter.is_empty() {
            [knocked, opened, contacts, refusals]
        } else {
            self.dashboard_totals(&DashboardFilter::default())?
        };
        let (vf, tf) = (filter.sql("v", "visited_on"), filter.sql("t", "tallied_on"));
        let series = |visit_key: &str,
                      visit_join: &str,
                      tally: Option<(&str, &str)>|
         -> ModelResult<Vec<SeriesRow>> {
            let tally_part = tally
                .map(|(key, join)| {
                    format!(
                        "UNION ALL SELECT {key} AS k, knocked, opened, contacts
                         FROM turf_tallies t LEFT JOIN operations o ON o.id = t.operation_id {join}
                         WHERE 1 {tf}"
                    )
                })
                .unwrap_or_default();
            let sql = format!(
                "SELECT k, SUM(kn), SUM(op), SUM(ct) FROM (
                    SELECT {visit_key} AS k, 1 AS kn,
                        outcome IN ('opened', 'refused', 'do_not_contact') AS op, contact_taken AS ct
                    FROM visits v LEFT JOIN operations o ON o.id = v.operation_id {visit_join}
                    WHERE 1 {vf}
                    {tally_part})
                 WHERE k IS NOT NULL GROUP BY k ORDER BY k"
            );
            let mut st = self.conn.prepare(&sql)?;
            let rows = st
                .query_map([], |r| {
                    Ok(SeriesRow {
                        key: r.get(0)?,
                        label: None,
                        knocked: r.get(1)?,
                        opened: r.get(2)?,
                        contacts: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        };
        let op_name = format!("COALESCE(o.name, '{NO_OPERATION}')");
        let op_name = op_name.as_str();
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
                    "doors_opened" => all[1],
                    "contacts" => all[2],
                    _ => all[0],
                };
                let share = value as f64 / g.target.max(1) as f64;
                let due = g
                    .due_date
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                let (on_track, expected) = match (first, due) {
                    (Some(start), Some(due)) => (
                        Some(on_track(share, start, due, today)),
                        Some(expected_value(g.target, start, due, today)),
                    ),
                    _ => (None, None),
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
                    expected,
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
            by_precinct: if filter.is_empty() {
                // As the coverage map counts them: distinct doors visited plus the turf tallies
                // shared among the turf's precincts.
                self.precinct_coverage(None)?
                    .into_iter()
                    .filter(|r| r.knocked > 0 || r.opened > 0 || r.contacts > 0)
                    .map(|r| SeriesRow {
                        label: (!r.name.trim().is_empty())
                            .then(|| format!("{} — {}", r.key, r.name.trim())),
                        key: r.key,
                        knocked: r.knocked,
                        opened: r.opened,
                        contacts: r.contacts,
                    })
                    .collect()
            } else {
                self.filtered_precinct_rows(
                    series(
                        "a.precinct_code",
                        "JOIN addresses a ON a.fid = v.address_fid",
                        None,
                    )?,
                    &tf,
                )?
            },
            by_day: series("v.visited_on", "", Some(("t.tallied_on", "")))?,
            goals,
            first_day: first.map(|d| d.to_string()),
            filter: filter.clone(),
        })
    }

    /// Per precinct, the visits `rows` plus the tallies the filter keeps (`tally_filter`, on
    /// `turf_tallies t`), each shared among its turf's precincts in proportion to their doors.
    fn filtered_precinct_rows(
        &self,
        rows: Vec<SeriesRow>,
        tally_filter: &str,
    ) -> ModelResult<Vec<SeriesRow>> {
        let names: HashMap<String, String> = self
            .conn
            .prepare("SELECT code, COALESCE(name, '') FROM precincts")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut by_code: std::collections::BTreeMap<String, [i64; 3]> = rows
            .into_iter()
            .map(|r| (r.key, [r.knocked, r.opened, r.contacts]))
            .collect();
        let mut st = self.conn.prepare(&format!(
            "SELECT t.turf_id, SUM(t.knocked), SUM(t.opened), SUM(t.contacts)
             FROM turf_tallies t WHERE 1 {tally_filter} GROUP BY t.turf_id"
        ))?;
        let tallies = st
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, [r.get(1)?, r.get(2)?, r.get(3)?]))
            })?
            .collect::<Result<Vec<(i64, [i64; 3])>, _>>()?;
        let mut doors = self.conn.prepare(
            "SELECT COALESCE(a.precinct_code, ''), COUNT(*) FROM turf_doors td
             JOIN addresses a ON a.fid = td.address_fid
             WHERE td.turf_id = ?1 GROUP BY a.precinct_code ORDER BY a.precinct_code",
        )?;
        for (turf_id, counts) in tallies {
            let per_precinct = doors
                .query_map(params![turf_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let weights: Vec<i64> = per_precinct.iter().map(|(_, n)| *n).collect();
            let shares = counts.map(|c| largest_remainder(c, &weights));
            for (k, (code, _)) in per_precinct.into_iter().enumerate() {
                let row = by_code.entry(code).or_default();
                for m in 0..3 {
                    row[m] += shares[m][k];
                }
            }
        }
        Ok(by_code
            .into_iter()
            .filter(|(code, c)| !code.is_empty() && c.iter().any(|&v| v > 0))
            .map(|(key, [knocked, opened, contacts])| SeriesRow {
                label: names
                    .get(&key)
                    .filter(|n| !n.trim().is_empty())
                    .map(|n| format!("{key} — {}", n.trim())),
                key,
                knocked,
                opened,
                contacts,
            })
            .collect())
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

    #[test]
    fn expected_pace_goal_line_cumulative_and_csv() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(expected_value(1000, d(3, 1), d(3, 31), d(3, 16)), 500);
        assert_eq!(expected_value(1000, d(3, 1), d(3, 31), d(2, 1)), 0);
        assert_eq!(expected_value(1000, d(3, 1), d(3, 31), d(5, 1)), 1000);
        let row = |key: &str, knocked| SeriesRow {
            key: key.into(),
            label: None,
            knocked,
            opened: 1,
            contacts: 0,
        };
        let goal = GoalProgress {
            id: 1,
            name: "Objectif, \"mars\"".into(),
            metric: "doors_opened".into(),
            target: 10,
            due_date: Some("2026-03-31".into()),
            value: 2,
            share: 0.2,
            on_track: Some(false),
            expected: Some(5),
        };
        let dash = Dashboard {
            doors: 100,
            knocked: 7,
            opened: 2,
            contacts: 0,
            refusals: 0,
            by_operation: vec![row("Samedi", 7)],
            by_team: vec![],
            by_volunteer: vec![],
            by_precinct: vec![],
            by_day: vec![row("2026-03-14", 4), row("2026-03-16", 3)],
            goals: vec![goal.clone()],
            first_day: Some("2026-03-14".into()),
            filter: DashboardFilter::default(),
        };
        assert_eq!(
            dash.cumulative_knocked(),
            vec![("2026-03-14".to_owned(), 4), ("2026-03-16".to_owned(), 7)]
        );
        assert_eq!(dash.goal_line(&goal), Some([(d(3, 14), 0), (d(3, 31), 10)]));
        assert_eq!(dash.chart_days(), Some((d(3, 14), d(3, 31))));
        let filtered = Dashboard {
            filter: DashboardFilter {
                from: Some(d(3, 15)),
                ..DashboardFilter::default()
            },
            by_day: vec![row("2026-03-16", 3)],
            ..dash.clone()
        };
        assert_eq!(filtered.goal_line(&goal), None);
        assert_eq!(filtered.chart_days(), Some((d(3, 16), d(3, 16))));
        assert_eq!(
            filtered.filter.sql("v", "visited_on"),
            " AND v.visited_on >= '2026-03-15'"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        dash.write_csv(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "table,key,knocked,opened,contacts,target,due_date,on_track",
                "total,,7,2,0,,,",
                "operation,Samedi,7,1,0,,,",
                "day,2026-03-14,4,1,0,,,",
                "day,2026-03-16,3,1,0,,,",
                "goal,\"Objectif, \"\"mars\"\"\",,2,,10,2026-03-31,no",
            ]
        );
        let e = dash
            .write_csv(&dir.path().join("no/such/d.csv"))
            .unwrap_err();
        assert!(e.to_string().contains("no/such/d.csv"), "{e}");
    }
}
