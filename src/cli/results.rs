//! `porte results import|tally|tags`, `porte coverage` and `porte dashboard`: field results,
//! where the effort went, and the campaign's totals, over the same model functions as the GUI.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::output::print_report;
use crate::model::Campaign;
use crate::model::results::coverage::GoalProgress;
use crate::model::results::coverage::{CoverageRow, Dashboard};
use crate::model::results::import::{VisitImportOptions, VisitImportReport};
use crate::model::results::{FollowUps, Goal, Outcome, Tally, Visit};

#[derive(Subcommand, Debug)]
pub enum ResultsCommand {
    /// Import results from CSV: the offline walk list's file, or a spreadsheet (with --map).
    Import {
        campaign: PathBuf,
        file: PathBuf,
        /// Date of every visit (YYYY-MM-DD); else each row's date or recorded_at.
        #[arg(long)]
        date: Option<String>,
        /// Column mapping, e.g. --map address_fid="N° porte" --map outcome=Résultat.
        #[arg(long = "map", value_name = "FIELD=HEADER")]
        mapping: Vec<String>,
        /// Replace the outcome already recorded for a door that day instead of reporting it.
        #[arg(long)]
        replace_conflicts: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record one door's visit (turf, operation and team found from the door and the date).
    Visit(VisitArgs),
    /// Record a quick per-turf tally (knocked, opened, contacts, refusals).
    Tally(TallyArgs),
    /// List the campaign's themes; add, rename or deactivate one.
    Tags {
        campaign: PathBuf,
        #[arg(long)]
        add: Option<String>,
        /// ID=NEW NAME.
        #[arg(long, value_name = "ID=NAME")]
        rename: Option<String>,
        /// Stop offering this theme (id); past visits keep it.
        #[arg(long, value_name = "ID")]
        deactivate: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct VisitArgs {
    pub campaign: PathBuf,
    /// The door's address fid.
    #[arg(long)]
    pub door: i64,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    /// not_home, opened, refused, come_back, moved, do_not_contact (or a French label).
    #[arg(long)]
    pub outcome: String,
    #[arg(long)]
    pub contact: bool,
    #[arg(long, default_value = "")]
    pub note: String,
    /// A theme raised (repeatable), from `porte results tags`.
    #[arg(long = "theme")]
    pub themes: Vec<String>,
    #[arg(long)]
    pub wants_to_volunteer: bool,
    #[arg(long)]
    pub wants_to_donate: bool,
    #[arg(long)]
    pub wants_callback: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct VisitReport {
    id: i64,
    /// Words of sensitive categories found in the note (review it).
    sensitive_words: Vec<String>,
}

#[derive(Args, Debug)]
pub struct TallyArgs {
    pub campaign: PathBuf,
    #[arg(long)]
    pub turf: i64,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    #[arg(long)]
    pub knocked: u32,
    #[arg(long, default_value_t = 0)]
    pub opened: u32,
    #[arg(long, default_value_t = 0)]
    pub contacts: u32,
    #[arg(long, default_value_t = 0)]
    pub refusals: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CoverageArgs {
    pub campaign: PathBuf,
    /// Per turf instead of per precinct.
    #[arg(long)]
    pub turfs: bool,
    /// Also count the doors not visited since this date (YYYY-MM-DD).
    #[arg(long)]
    pub not_visited_since: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DashboardArgs {
    pub campaign: PathBuf,
    /// Also write the tables (per operation, team, volunteer, precinct, day, goals) as CSV.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// The date goals are measured at (YYYY-MM-DD; default today).
    #[arg(long)]
    pub today: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum GoalsCommand {
    /// Add a goal, e.g. --name "200 000 portes" --metric doors_knocked --target 200000 --due 2026-06-01.
    Add {
        campaign: PathBuf,
        #[arg(long)]
        name: String,
        /// doors_knocked, doors_opened or contacts.
        #[arg(long, default_value = "doors_knocked")]
        metric: String,
        #[arg(long)]
        target: i64,
        /// Due date, YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the goals with their progress.
    List {
        campaign: PathBuf,
        /// The date progress is measured at (default today).
        #[arg(long)]
        today: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a goal.
    Delete {
        campaign: PathBuf,
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

/// Today's date (UTC), from the system clock.
fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Days::new(days)
}

fn today_arg(s: &Option<String>) -> anyhow::Result<NaiveDate> {
    s.as_deref()
        .map(|d| date_arg("--today", d))
        .transpose()
        .map(|d| d.unwrap_or_else(today))
}

fn goals_summary(goals: &[GoalProgress]) -> String {
    goals
        .iter()
        .map(|g| {
            format!(
                "{} {}: {} / {} {} ({:.0} %){}{}",
                g.id,
                g.name,
                g.value,
                g.target,
                g.metric,
                g.share * 100.0,
                g.due_date
                    .as_deref()
                    .map(|d| format!(", due {d}"))
                    .unwrap_or_default(),
                match g.on_track {
                    Some(true) => ", on track",
                    Some(false) => ", behind",
                    None => "",
                }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run_goals(command: GoalsCommand) -> anyhow::Result<()> {
    match command {
        GoalsCommand::Add {
            campaign,
            name,
            metric,
            target,
            due,
            json,
        } => {
            if let Some(d) = &due {
                date_arg("--due", d)?;
            }
            let goal = open(&campaign)?.add_goal(&Goal {
                id: 0,
                name,
                metric,
                target,
                due_date: due,
            })?;
            print_report(&goal, json, |g| format!("goal {} added: {}", g.id, g.name))
        }
        GoalsCommand::List {
            campaign,
            today,
            json,
        } => {
            let d = open(&campaign)?.dashboard(today_arg(&today)?)?;
            print_report(&d.goals, json, |g| goals_summary(g))
        }
        GoalsCommand::Delete { campaign, id, json } => {
            open(&campaign)?.delete_goal(id)?;
            print_report(&id, json, |id| format!("goal {id} deleted"))
        }
    }
}

fn date_arg(flag: &str, s: &str) -> anyhow::Result<NaiveDate> {
    crate::model::results::import::parse_date(s)
        .with_context(|| format!("{flag} {s}: expected a date YYYY-MM-DD"))
}

fn open(path: &PathBuf) -> anyhow::Result<Campaign> {
    Ok(Campaign::open(path)?)
}

#[derive(Serialize)]
struct TagRow {
    id: i64,
    name: String,
    active: bool,
}

#[derive(Serialize)]
struct CoverageReport {
    level: &'static str,
    rows: Vec<CoverageRow>,
}

pub fn run(command: ResultsCommand) -> anyhow::Result<()> {
    match command {
        ResultsCommand::Import {
            campaign,
            file,
            date,
            mapping,
            replace_conflicts,
            json,
        } => {
            let mapping = mapping
                .iter()
                .map(|m| {
                    m.split_once('=')
                        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                        .ok_or_else(|| anyhow::anyhow!("--map {m}: expected FIELD=HEADER"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let opts = VisitImportOptions {
                date: date.as_deref().map(|d| date_arg("--date", d)).transpose()?,
                mapping,
                replace_conflicts,
            };
            let report = open(&campaign)?.import_visits(&file, &opts)?;
            print_report(&report, json, import_summary)
        }
        ResultsCommand::Visit(a) => {
            let outcome = Outcome::parse(&a.outcome).with_context(|| {
                format!(
                    "--outcome {}: expected not_home, opened, refused, come_back, moved or do_not_contact",
                    a.outcome
                )
            })?;
            let mut c = open(&a.campaign)?;
            c.result_tags()?;
            let visit = Visit {
                address_fid: a.door,
                turf_id: None,
                operation_id: None,
                team_id: None,
                visited_on: date_arg("--date", &a.date)?,
                recorded_at: None,
                outcome,
                contact_taken: a.contact,
                follow_ups: FollowUps {
                    wants_to_volunteer: a.wants_to_volunteer,
                    wants_to_donate: a.wants_to_donate,
                    wants_callback: a.wants_callback,
                },
                note: a.note,
                tags: a.themes,
                source: "manual".into(),
            };
            let id = c.record_visit(&visit)?;
            let report = VisitReport {
                id,
                sensitive_words: crate::model::contacts::sensitive::sensitive_words(&visit.note)
                    .into_iter()
                    .map(|h| h.word)
                    .collect(),
            };
            print_report(&report, a.json, |r| {
                let mut s = format!("visit {} recorded", r.id);
                if !r.sensitive_words.is_empty() {
                    s.push_str(&format!(
                        "\nwarning: the note holds words of sensitive categories: {}",
                        r.sensitive_words.join(", ")
                    ));
                }
                s
            })
        }
        ResultsCommand::Tally(a) => {
            let tally = Tally {
                turf_id: a.turf,
                operation_id: None,
                team_id: None,
                tallied_on: date_arg("--date", &a.date)?,
                knocked: a.knocked,
                opened: a.opened,
                contacts: a.contacts,
                refusals: a.refusals,
            };
            let stored = open(&a.campaign)?.record_tally(&tally)?;
            print_report(&stored, a.json, |t| {
                format!(
                    "turf {} on {}: {} knocked, {} opened, {} contacts, {} refusals (operation {})",
                    t.turf_id,
                    t.tallied_on,
                    t.knocked,
                    t.opened,
                    t.contacts,
                    t.refusals,
                    t.operation_id
                        .map(|o| o.to_string())
                        .unwrap_or_else(|| "none".into())
                )
            })
        }
        ResultsCommand::Tags {
            campaign,
            add,
            rename,
            deactivate,
            json,
        } => {
            let mut c = open(&campaign)?;
            if let Some(name) = add {
                c.add_result_tag(&name)?;
            }
            if let Some(r) = rename {
                let (id, name) = r
                    .split_once('=')
                    .and_then(|(id, n)| Some((id.trim().parse::<i64>().ok()?, n)))
                    .with_context(|| format!("--rename {r}: expected ID=NAME"))?;
                c.result_tags()?;
                c.rename_result_tag(id, name)?;
            }
            if let Some(id) = deactivate {
                c.result_tags()?;
                c.deactivate_result_tag(id)?;
            }
            let tags: Vec<TagRow> = c
                .result_tags()?
                .into_iter()
                .map(|(id, name, active)| TagRow { id, name, active })
                .collect();
            print_report(&tags, json, |t| {
                t.iter()
                    .map(|t| {
                        format!(
                            "{} {}{}",
                            t.id,
                            t.name,
                            if t.active { "" } else { " (inactive)" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

pub fn run_coverage(a: CoverageArgs) -> anyhow::Result<()> {
    let since = a
        .not_visited_since
        .as_deref()
        .map(|d| date_arg("--not-visited-since", d))
        .transpose()?;
    let c = open(&a.campaign)?;
    let report = if a.turfs {
        CoverageReport {
            level: "turf",
            rows: c.turf_coverage(since)?,
        }
    } else {
        CoverageReport {
            level: "precinct",
            rows: c.precinct_coverage(since)?,
        }
    };
    print_report(&report, a.json, |r| {
        r.rows
            .iter()
            .map(|c| {
                format!(
                    "{} {}: {}/{} doors knocked ({:.0} %), {} opened, {} contacts{}",
                    r.level,
                    c.key,
                    c.knocked,
                    c.doors,
                    c.share * 100.0,
                    c.opened,
                    c.contacts,
                    c.not_visited_since
                        .map(|n| format!(", {n} not visited since"))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

pub fn run_dashboard(a: DashboardArgs) -> anyhow::Result<()> {
    let d = open(&a.campaign)?.dashboard(today_arg(&a.today)?)?;
    if let Some(path) = &a.csv {
        let mut w = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        w.write_record([
            "table", "key", "knocked", "opened", "contacts", "target", "due_date", "on_track",
        ])?;
        for (table, rows) in [
            ("operation", &d.by_operation),
            ("team", &d.by_team),
            ("volunteer", &d.by_volunteer),
            ("precinct", &d.by_precinct),
            ("day", &d.by_day),
        ] {
            for r in rows {
                w.write_record([
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
        for x in &d.goals {
            let value = x.value.to_string();
            let cell = |m: &str| if x.metric == m { value.as_str() } else { "" };
            w.write_record([
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
        w.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    print_report(&d, a.json, dashboard_summary)
}

fn dashboard_summary(d: &Dashboard) -> String {
    let mut s = format!(
        "{} doors: {} knocked, {} opened, {} contacts, {} refusals",
        d.doors, d.knocked, d.opened, d.contacts, d.refusals
    );
    for r in &d.by_day {
        s.push_str(&format!(
            "\n  {}: {} knocked, {} opened, {} contacts",
            r.key, r.knocked, r.opened, r.contacts
        ));
    }
    s
}

fn import_summary(r: &VisitImportReport) -> String {
    let mut s = format!(
        "{} ({}): {} rows, {} accepted, {} without outcome, {} rejected, {} duplicates, {} conflicts",
        r.file,
        r.format,
        r.rows,
        r.accepted,
        r.empty,
        r.rejected.len(),
        r.duplicates.len(),
        r.conflicts.len()
    );
    for x in r.rejected.iter().take(20) {
        s.push_str(&format!("\n  line {}: {}", x.line, x.reason));
    }
    for x in r.conflicts.iter().take(20) {
        s.push_str(&format!(
            "\n  line {}: door {} on {} already {} (file says {}){}",
            x.line,
            x.address_fid,
            x.date,
            x.recorded,
            x.incoming,
            if x.replaced { ", replaced" } else { "" }
        ));
    }
    s
}
