//! `porte operation create|list|show|assign|unassign|clear|delete|add-turfs|remove-turf`:
//! dated outings and who walks which turf, over the same model functions as the GUI's
//! operation panel.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use geo_types::Point;
use serde::Serialize;

use crate::cli::output::print;
use crate::model::Campaign;
use crate::model::operations::assign::{AssignmentPlan, TurfAssignment, UnassignedTurf};
use crate::model::operations::plan::window_label;
use crate::model::operations::{AssignOutcome, Operation, OperationDraft, PlanCoverage};
use crate::model::turfs::TurfStatus;
use crate::model::volunteers::Volunteer;

#[derive(Subcommand, Debug)]
pub enum OperationCommand {
    /// Create an operation: a dated outing with a time window, a meeting point and its turfs.
    Create(CreateArgs),
    /// List the operations: date, window, turfs, teams, coverage.
    List(CampaignArgs),
    /// Show one operation: each turf with its team, and the coverage of the plan.
    Show(OperationArgs),
    /// Assign volunteers: Porte's suggestion (--auto), or one volunteer onto a turf.
    Assign(AssignArgs),
    /// Take a volunteer out of their team.
    Unassign {
        campaign: PathBuf,
        /// Operation id (see `porte operation list`).
        id: i64,
        /// Volunteer: id, roster id (B01) or full name.
        #[arg(long)]
        volunteer: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove every team of the operation.
    Clear(OperationArgs),
    /// Delete the operation and its teams (turfs and volunteers stay).
    Delete(OperationArgs),
    /// Add turfs to the operation.
    #[command(name = "add-turfs")]
    AddTurfs {
        campaign: PathBuf,
        id: i64,
        /// `all` or turf ids: 1,2,3.
        #[arg(long)]
        turfs: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a turf from the operation (its team stays, without a turf).
    #[command(name = "remove-turf")]
    RemoveTurf {
        campaign: PathBuf,
        id: i64,
        #[arg(long)]
        turf: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct CampaignArgs {
    pub campaign: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct OperationArgs {
    pub campaign: PathBuf,
    /// Operation id (see `porte operation list`).
    pub id: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    pub campaign: PathBuf,
    #[arg(long)]
    pub name: String,
    /// 2026-03-14 or 14/03/2026.
    #[arg(long)]
    pub date: String,
    /// 10:00 (or 10h, 10h30).
    #[arg(long)]
    pub start: String,
    #[arg(long)]
    pub end: String,
    /// "12 rue X": located among the campaign's addresses unless --meeting-lonlat is given.
    #[arg(long, default_value = "")]
    pub meeting_point: String,
    /// LON,LAT of the meeting point (WGS84).
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub meeting_lonlat: Option<String>,
    /// The phone volunteers call on the day.
    #[arg(long, default_value = "")]
    pub contact_phone: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// `all` or turf ids: 1,2,3.
    #[arg(long)]
    pub turfs: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct AssignArgs {
    pub campaign: PathBuf,
    /// Operation id (see `porte operation list`).
    pub id: i64,
    /// Porte's suggestion for the turfs without a team (available volunteers, pairs kept
    /// together, nearest turfs, highest priority first).
    #[arg(long, conflicts_with_all = ["volunteer", "turf"], required_unless_present = "volunteer")]
    pub auto: bool,
    /// With --auto: show the suggestion without saving it.
    #[arg(long, requires = "auto")]
    pub dry_run: bool,
    /// Volunteer to put on --turf: id, roster id (B01) or full name.
    #[arg(long, requires = "turf")]
    pub volunteer: Option<String>,
    #[arg(long, requires = "volunteer")]
    pub turf: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

/// A team member as printed.
#[derive(Serialize)]
struct MemberView {
    id: i64,
    ext_id: Option<String>,
    name: String,
    phone: String,
}

#[derive(Serialize)]
struct TeamView {
    id: i64,
    name: String,
    members: Vec<MemberView>,
}

#[derive(Serialize)]
struct TurfView {
    id: i64,
    name: String,
    doors: usize,
    minutes: f64,
    status: TurfStatus,
    precincts: Vec<String>,
    team: Option<TeamView>,
}

/// An operation as `show`, `create` and `list` print it.
#[derive(Serialize)]
struct OperationView {
    id: i64,
    name: String,
    date: NaiveDate,
    start: String,
    end: String,
    window_minutes: f64,
    meeting_point: String,
    meeting_lonlat: Option<[f64; 2]>,
    contact_phone: String,
    notes: String,
    turfs: Vec<TurfView>,
    /// Teams without a turf.
    unplaced_teams: Vec<TeamView>,
    coverage: PlanCoverage,
}

#[derive(Serialize)]
struct ListReport {
    operations: Vec<OperationView>,
}

#[derive(Serialize)]
struct IdleView {
    id: i64,
    name: String,
    reason: String,
}

/// What `assign --auto` prints: each turf with its team, the unassigned with a reason.
#[derive(Serialize)]
struct AutoReport {
    operation_id: i64,
    /// False with --dry-run.
    applied: bool,
    teams: usize,
    assignments: Vec<TurfAssignment>,
    unassigned: Vec<UnassignedTurf>,
    idle: Vec<IdleView>,
    unavailable: Vec<i64>,
    total_distance_m: f64,
    coverage: PlanCoverage,
}

#[derive(Serialize)]
struct ManualReport {
    operation_id: i64,
    #[serde(flatten)]
    outcome: AssignOutcome,
    team: Option<TeamView>,
    coverage: PlanCoverage,
}

#[derive(Serialize)]
struct DoneReport {
    operation_id: i64,
    done: String,
    coverage: Option<PlanCoverage>,
}

/// `2026-03-14`, `14/03/2026`.
pub fn parse_date(s: &str) -> anyhow::Result<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .with_context(|| format!("date {s:?}: expected 2026-03-14 or 14/03/2026"))
}

/// `10:00`, `10h`, `10h30`, `9:5`.
pub fn parse_time(s: &str) -> anyhow::Result<NaiveTime> {
    let t = s.trim().to_ascii_lowercase().replace('h', ":");
    let t = if t.ends_with(':') {
        format!("{t}00")
    } else {
        t
    };
    NaiveTime::parse_from_str(&t, "%H:%M")
        .with_context(|| format!("time {s:?}: expected 10:00 (or 10h30)"))
}

/// `LON,LAT` in degrees.
pub fn parse_lonlat(s: &str) -> anyhow::Result<Point<f64>> {
    let bad = || anyhow::anyhow!("--meeting-lonlat {s:?}: expected LON,LAT, e.g. 1.6069,48.0515");
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let lon: f64 = a.trim().parse().map_err(|_| bad())?;
    let lat: f64 = b.trim().parse().map_err(|_| bad())?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        bail!("--meeting-lonlat {s:?}: longitude or latitude out of range");
    }
    Ok(Point::new(lon, lat))
}

/// `all` (every turf of the campaign) or `1,2,3`.
fn turf_ids(c: &Campaign, spec: &str) -> anyhow::Result<Vec<i64>> {
    if spec.trim().eq_ignore_ascii_case("all") {
        return Ok(c.turfs()?.iter().map(|t| t.id).collect());
    }
    spec.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .with_context(|| format!("--turfs {spec:?}: {s:?} is not a turf id (or use all)"))
        })
        .collect()
}

/// A volunteer by id, roster id (`B01`) or full name (case-insensitive).
fn find_volunteer(roster: &[Volunteer], key: &str) -> anyhow::Result<i64> {
    let k = key.trim();
    if let Ok(id) = k.parse::<i64>()
        && roster.iter().any(|v| v.id == id)
    {
        return Ok(id);
    }
    let found: Vec<&Volunteer> = roster
        .iter()
        .filter(|v| {
            v.ext_id
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(k))
                || v.full_name().to_lowercase() == k.to_lowercase()
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => bail!(
            "no volunteer {k:?} on the roster (give an id, a roster id like B01, or a full name)"
        ),
        many => bail!(
            "{} volunteers match {k:?} ({}): give the id",
            many.len(),
            many.iter()
                .map(|v| format!("{} = {}", v.id, v.full_name()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn team_view(team: &crate::model::operations::Team, roster: &HashMap<i64, Volunteer>) -> TeamView {
    TeamView {
        id: team.id,
        name: team.name.clone(),
        members: team
            .member_ids
            .iter()
            .map(|id| match roster.get(id) {
                Some(v) => MemberView {
                    id: *id,
                    ext_id: v.ext_id.clone(),
                    name: v.full_name(),
                    phone: v.phone.clone(),
                },
                None => MemberView {
                    id: *id,
                    ext_id: None,
                    name: format!("volunteer {id}"),
                    phone: String::new(),
                },
            })
            .collect(),
    }
}

fn roster_map(c: &Campaign) -> anyhow::Result<HashMap<i64, Volunteer>> {
    Ok(c.volunteers()?.into_iter().map(|v| (v.id, v)).collect())
}

fn operation_view(c: &Campaign, op: &Operation) -> anyhow::Result<OperationView> {
    let roster = roster_map(c)?;
    let turfs: HashMap<i64, crate::model::turfs::Turf> =
        c.turfs()?.into_iter().map(|t| (t.id, t)).collect();
    Ok(OperationView {
        id: op.id,
        name: op.name.clone(),
        date: op.date,
        start: op.start.format("%H:%M").to_string(),
        end: op.end.format("%H:%M").to_string(),
        window_minutes: op.window_minutes(),
        meeting_point: op.meeting_point.clone(),
        meeting_lonlat: op.meeting_lonlat(),
        contact_phone: op.contact_phone.clone(),
        notes: op.notes.clone(),
        turfs: op
            .turf_ids
            .iter()
            .filter_map(|id| turfs.get(id))
            .map(|t| TurfView {
                id: t.id,
                name: t.name.clone(),
                doors: t.doors(),
                minutes: t.minutes,
                status: t.status,
                precincts: t.precincts.clone(),
                team: op.team_of_turf(t.id).map(|team| team_view(team, &roster)),
            })
            .collect(),
        unplaced_teams: op
            .teams
            .iter()
            .filter(|t| t.turf_id.is_none_or(|id| !op.turf_ids.contains(&id)))
            .map(|t| team_view(t, &roster))
            .collect(),
        coverage: c.plan_coverage(op.id)?,
    })
}

fn coverage_line(cv: &PlanCoverage) -> String {
    format!(
        "{}/{} turfs staffed by {} teams ({} volunteers), {}/{} doors, {:.0} min of walking for {:.0} min of team time; {} available volunteers free",
        cv.turfs_assigned,
        cv.turfs,
        cv.teams,
        cv.volunteers_assigned,
        cv.doors_assigned,
        cv.doors_planned,
        cv.minutes_assigned,
        cv.minutes_capacity,
        cv.volunteers_available_free
    )
}

fn show_summary(v: &OperationView) -> String {
    let mut s = format!(
        "operation {} \"{}\": {} {}–{}{}{}\n{}",
        v.id,
        v.name,
        v.date.format("%a %-d %b %Y"),
        v.start,
        v.end,
        if v.meeting_point.is_empty() {
            String::new()
        } else {
            format!(", meeting point: {}", v.meeting_point)
        },
        match (v.meeting_lonlat, v.meeting_point.is_empty()) {
            (None, false) => " (not located)".to_string(),
            _ => String::new(),
        },
        coverage_line(&v.coverage)
    );
    for t in &v.turfs {
        s.push_str(&format!(
            "\n  {:>5}  {:<20} {:>4} doors {:>4.0} min  {:<8} {}",
            t.id,
            t.name,
            t.doors,
            t.minutes,
            t.status.as_str(),
            t.team
                .as_ref()
                .map(|team| team.name.clone())
                .unwrap_or_else(|| "—".into())
        ));
    }
    for u in &v.coverage.unassigned {
        s.push_str(&format!(
            "\n  turf {} without a team: {}",
            u.turf, u.message
        ));
    }
    for t in &v.unplaced_teams {
        s.push_str(&format!("\n  team {} has no turf", t.name));
    }
    s
}

fn list_summary(ops: &[OperationView]) -> String {
    if ops.is_empty() {
        return "no operations yet: porte operation create CAMPAIGN --name N --date 2026-03-14 --start 10:00 --end 12:30 --turfs all".into();
    }
    let mut s = format!("{} operations", ops.len());
    for v in ops {
        s.push_str(&format!(
            "\n  {:>4}  {} {}–{}  {:<24} {}/{} turfs staffed, {} teams, {} doors",
            v.id,
            v.date,
            v.start,
            v.end,
            v.name,
            v.coverage.turfs_assigned,
            v.coverage.turfs,
            v.coverage.teams,
            v.coverage.doors_planned
        ));
    }
    s
}

fn auto_summary(r: &AutoReport, op: &Operation) -> String {
    let mut s = format!(
        "{} for operation {} \"{}\" ({} {}): {} turfs get a team, {} stay without one; total distance {:.1} km",
        if r.applied {
            "assigned"
        } else {
            "suggestion (not saved)"
        },
        op.id,
        op.name,
        op.date,
        window_label(op),
        r.assignments.len(),
        r.unassigned.len(),
        r.total_distance_m / 1000.0
    );
    for a in &r.assignments {
        s.push_str(&format!(
            "\n  {:<20} {:>4} doors {:>4.0} min  ← {} ({:.0} m)",
            a.turf,
            a.doors,
            a.minutes,
            a.members.join(" & "),
            a.distance_m
        ));
    }
    for u in &r.unassigned {
        s.push_str(&format!("\n  {:<20} no team: {}", u.turf, u.message));
    }
    if !r.idle.is_empty() {
        s.push_str(&format!(
            "\n{} available volunteers without a turf:",
            r.idle.len()
        ));
        for i in &r.idle {
            s.push_str(&format!("\n  {}: {}", i.name, i.reason));
        }
    }
    s.push_str(&format!(
        "\n{} volunteers not available for the window; {}",
        r.unavailable.len(),
        coverage_line(&r.coverage)
    ));
    s
}

pub fn run(command: OperationCommand) -> anyhow::Result<()> {
    match command {
        OperationCommand::Create(a) => {
            let mut c = Campaign::open(&a.campaign)?;
            let draft = OperationDraft {
                name: a.name,
                date: parse_date(&a.date)?,
                start: parse_time(&a.start)?,
                end: parse_time(&a.end)?,
                meeting_point: a.meeting_point,
                meeting_wgs84: a.meeting_lonlat.as_deref().map(parse_lonlat).transpose()?,
                contact_phone: a.contact_phone,
                notes: a.notes,
            };
            let turfs = a
                .turfs
                .as_deref()
                .map(|s| turf_ids(&c, s))
                .transpose()?
                .unwrap_or_default();
            // Check the turfs before creating anything.
            let known: Vec<i64> = c.turfs()?.iter().map(|t| t.id).collect();
            if let Some(m) = turfs.iter().find(|t| !known.contains(t)) {
                bail!("no turf {m} in the campaign (see porte turfs list)");
            }
            let id = c.create_operation(&draft)?;
            if !turfs.is_empty() {
                c.add_operation_turfs(id, &turfs)?;
            }
            let op = c.operation(id)?;
            let view = operation_view(&c, &op)?;
            let mut human = format!("created operation {id}\n{}", show_summary(&view));
            if op.meeting_wgs84.is_none() && !op.meeting_point.is_empty() {
                human.push_str(&format!(
                    "\nthe meeting point \"{}\" matched no address of the campaign: give --meeting-lonlat LON,LAT to place it",
                    op.meeting_point
                ));
            }
            print(a.json, &view, human)
        }
        OperationCommand::List(a) => {
            let c = Campaign::open(&a.campaign)?;
            let views = c
                .operations()?
                .iter()
                .map(|op| operation_view(&c, op))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let human = list_summary(&views);
            print(a.json, &ListReport { operations: views }, human)
        }
        OperationCommand::Show(a) => {
            let c = Campaign::open(&a.campaign)?;
            let view = operation_view(&c, &c.operation(a.id)?)?;
            let human = show_summary(&view);
            print(a.json, &view, human)
        }
        OperationCommand::Assign(a) if a.auto => {
            let mut c = Campaign::open(&a.campaign)?;
            let op = c.operation(a.id)?;
            let plan: AssignmentPlan = c.suggest_assignment(a.id)?;
            if !a.dry_run {
                c.apply_assignment(a.id, &plan)?;
            }
            let roster = roster_map(&c)?;
            let report = AutoReport {
                operation_id: a.id,
                applied: !a.dry_run,
                teams: plan.assignments.len(),
                idle: plan
                    .idle
                    .iter()
                    .map(|(id, reason)| IdleView {
                        id: *id,
                        name: roster.get(id).map(|v| v.full_name()).unwrap_or_default(),
                        reason: reason.clone(),
                    })
                    .collect(),
                assignments: plan.assignments,
                unassigned: plan.unassigned,
                unavailable: plan.unavailable,
                total_distance_m: plan.total_distance_m,
                coverage: c.plan_coverage(a.id)?,
            };
            let human = auto_summary(&report, &op);
            print(a.json, &report, human)
        }
        OperationCommand::Assign(a) => {
            let (Some(key), Some(turf)) = (a.volunteer.as_deref(), a.turf) else {
                bail!("give --auto, or --volunteer V --turf T");
            };
            let mut c = Campaign::open(&a.campaign)?;
            let roster = c.volunteers()?;
            let vid = find_volunteer(&roster, key)?;
            let outcome = c.assign_volunteer(a.id, vid, turf)?;
            let op = c.operation(a.id)?;
            let roster = roster_map(&c)?;
            let team = op
                .teams
                .iter()
                .find(|t| t.id == outcome.team_id)
                .map(|t| team_view(t, &roster));
            let mut human = format!(
                "turf {turf} is walked by {}",
                team.as_ref().map(|t| t.name.as_str()).unwrap_or("?")
            );
            if let Some(p) = outcome.partner_moved.and_then(|p| roster.get(&p)) {
                human.push_str(&format!(" ({} came along as partner)", p.full_name()));
            }
            for w in &outcome.warnings {
                human.push_str(&format!("\nwarning: {w}"));
            }
            let report = ManualReport {
                operation_id: a.id,
                outcome,
                team,
                coverage: c.plan_coverage(a.id)?,
            };
            print(a.json, &report, human)
        }
        OperationCommand::Unassign {
            campaign,
            id,
            volunteer,
            json,
        } => {
            let mut c = Campaign::open(&campaign)?;
            let roster = c.volunteers()?;
            let vid = find_volunteer(&roster, &volunteer)?;
            c.unassign_volunteer(id, vid)?;
            let done = format!("volunteer {vid} taken out of their team");
            let report = DoneReport {
                operation_id: id,
                done: done.clone(),
                coverage: Some(c.plan_coverage(id)?),
            };
            print(json, &report, done)
        }
        OperationCommand::Clear(a) => {
            let mut c = Campaign::open(&a.campaign)?;
            let n = c.operation(a.id)?.teams.len();
            c.clear_assignment(a.id)?;
            let done = format!("{n} teams removed from operation {}", a.id);
            let report = DoneReport {
                operation_id: a.id,
                done: done.clone(),
                coverage: Some(c.plan_coverage(a.id)?),
            };
            print(a.json, &report, done)
        }
        OperationCommand::Delete(a) => {
            let mut c = Campaign::open(&a.campaign)?;
            let name = c.operation(a.id)?.name;
            c.delete_operation(a.id)?;
            let done = format!("operation {} \"{name}\" deleted", a.id);
            let report = DoneReport {
                operation_id: a.id,
                done: done.clone(),
                coverage: None,
            };
            print(a.json, &report, done)
        }
        OperationCommand::AddTurfs {
            campaign,
            id,
            turfs,
            json,
        } => {
            let mut c = Campaign::open(&campaign)?;
            let ids = turf_ids(&c, &turfs)?;
            c.add_operation_turfs(id, &ids)?;
            let view = operation_view(&c, &c.operation(id)?)?;
            let human = show_summary(&view);
            print(json, &view, human)
        }
        OperationCommand::RemoveTurf {
            campaign,
            id,
            turf,
            json,
        } => {
            let mut c = Campaign::open(&campaign)?;
            c.remove_operation_turf(id, turf)?;
            let view = operation_view(&c, &c.operation(id)?)?;
            let human = show_summary(&view);
            print(json, &view, human)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_positions_parse() {
        assert_eq!(
            parse_date("14/03/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()
        );
        assert_eq!(
            parse_date("2026-03-14").unwrap(),
            parse_date("14/03/2026").unwrap()
        );
        assert!(
            parse_date("samedi")
                .unwrap_err()
                .to_string()
                .contains("samedi")
        );
        assert_eq!(
            parse_time("10h30").unwrap(),
            NaiveTime::from_hms_opt(10, 30, 0).unwrap()
        );
        assert_eq!(parse_time("10h").unwrap(), parse_time("10:00").unwrap());
        assert!(parse_time("25:00").is_err());
        let p = parse_lonlat("1.6069, 48.0515").unwrap();
        assert_eq!((p.x(), p.y()), (1.6069, 48.0515));
        assert!(parse_lonlat("48.0515").is_err());
        assert!(parse_lonlat("200,48").is_err());
    }

    #[test]
    fn volunteers_are_found_by_id_roster_id_or_name() {
        let v = |id: i64, ext: &str, first: &str, last: &str| Volunteer {
            id,
            ext_id: Some(ext.into()),
            first_name: first.into(),
            last_name: last.into(),
            ..Volunteer::default()
        };
        let roster = vec![v(1, "B01", "José", "Dupré"), v(2, "B02", "Ana", "Dupré")];
        assert_eq!(find_volunteer(&roster, "2").unwrap(), 2);
        assert_eq!(find_volunteer(&roster, "b01").unwrap(), 1);
        assert_eq!(find_volunteer(&roster, "ana dupré").unwrap(), 2);
        assert!(find_volunteer(&roster, "Paul").is_err());
    }
}
