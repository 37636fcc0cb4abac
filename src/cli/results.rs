//! `porte results import|visit|tally|doors|tags`, `porte coverage` and `porte dashboard`: field results,
//! where the effort went, and the campaign's totals, over the same model functions as the GUI.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::output::print_report;
use crate::model::Campaign;
use crate::model::contacts::{NewContact, consent_date_from_text};
use crate::model::export::dashboard_pdf::{DashboardPdfReport, export_dashboard_pdf};
use crate::model::export::sheets::SheetLang;
use crate::model::results::coverage::GoalProgress;
use crate::model::results::coverage::{CoverageRow, Dashboard, DashboardFilter};
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
    /// A turf's doors with their last visit (as the app's door-by-door entry lists them).
    Doors(DoorsArgs),
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
    /// A contact taken at the door (with --consent-date): name.
    #[arg(long, value_name = "NAME")]
    pub contact_name: Option<String>,
    #[arg(long, value_name = "PHONE")]
    pub contact_phone: Option<String>,
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// The date the person consented to be contacted (required with a contact).
    #[arg(long, value_name = "DATE")]
    pub consent_date: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct VisitReport {
    id: i64,
    /// The contact recorded with the visit (tagged with its themes), if any.
    contact_id: Option<i64>,
    turf_id: Option<i64>,
    operation_id: Option<i64>,
    team_id: Option<i64>,
    /// Words of sensitive categories found in the note (review it).
    sensitive_words: Vec<String>,
}

#[derive(Args, Debug)]
pub struct DoorsArgs {
    pub campaign: PathBuf,
    #[arg(long)]
    pub turf: i64,
    /// In the order of the turf's walking route (computed now), else by street and number.
    #[arg(long)]
    pub route_order: bool,
    /// Also list each door's visits (newest first).
    #[arg(long)]
    pub visits: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct DoorRow {
    #[serde(flatten)]
    door: crate::model::results::record::TurfDoor,
    #[serde(skip_serializing_if = "Option::is_none")]
    visits_list: Option<Vec<crate::model::results::record::DoorVisit>>,
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
    /// List the gaps instead: precincts of priority class 1–2 with under 20 % of their doors
    /// knocked (since --not-visited-since, when given), by priority rank; needs a saved camp.
    #[arg(long, conflicts_with = "turfs")]
    pub gaps: bool,
    /// The election the priority of --gaps is scored on (default: the score settings').
    #[arg(long, requires = "gaps")]
    pub election: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// What `porte coverage --gaps` reports (the side-by-side map's gaps list).
#[derive(Serialize)]
struct GapsReport {
    gaps: Vec<crate::model::results::coverage_map::CoverageGap>,
}

#[derive(Args, Debug)]
pub struct DashboardArgs {
    pub campaign: PathBuf,
    /// Also write the tables (per operation, team, volunteer, precinct, day, goals) as CSV.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Also write the dashboard as a printable A4 PDF (totals, goals with progress bars,
    /// charts per day and cumulative against the goals, tables by operation, team, volunteer,
    /// precinct).
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    /// Language of the PDF: fr (default) or en.
    #[arg(long, default_value = "fr")]
    pub lang: String,
    /// Count only this operation's results (its id); goals stay campaign-wide.
    #[arg(long)]
    pub operation: Option<i64>,
    /// Count only the results from this day on (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Count only the results up to this day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
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
            let contact = match (&a.contact_name, &a.contact_phone, &a.contact_email) {
                (None, None, None) => None,
                (name, phone, email) => Some(NewContact {
                    visit_id: None,
                    address_fid: None,
                    name: name.clone().unwrap_or_default(),
                    phone: phone.clone().unwrap_or_default(),
                    email: email.clone().unwrap_or_default(),
                    consent_date: consent_date_from_text(
                        a.consent_date.as_deref().unwrap_or_default(),
                    )?,
                    source: "manual".into(),
                    tags: visit.tags.clone(),
                }),
            };
            let done = c.record_door_result(&visit, contact.as_ref())?;
            let report = VisitReport {
                id: done.visit_id,
                contact_id: done.contact_id,
                turf_id: done.turf_id,
                operation_id: done.operation_id,
                team_id: done.team_id,
                sensitive_words: crate::model::contacts::sensitive::sensitive_words(&visit.note)
                    .into_iter()
                    .map(|h| h.word)
                    .collect(),
            };
            print_report(&report, a.json, |r| {
                let mut s = format!("visit {} recorded", r.id);
                if let Some(id) = r.contact_id {
                    s.push_str(&format!(", contact {id}"));
                }
                if !r.sensitive_words.is_empty() {
                    s.push_str(&format!(
                        "\nwarning: the note holds words of sensitive categories: {}",
                        r.sensitive_words.join(", ")
                    ));
                }
                s
            })
        }
        ResultsCommand::Doors(a) => {
            let c = open(&a.campaign)?;
            let route_fids: Option<Vec<i64>> = if a.route_order {
                let route = c.route_turf(a.turf, &Default::default())?;
                Some(route.stops.iter().map(|stop| stop.address_fid).collect())
            } else {
                None
            };
            let doors = c.turf_doors_with_last_visit(a.turf, route_fids.as_deref())?;
            let mut rows = Vec::with_capacity(doors.len());
            for door in doors {
                let visits_list = match a.visits {
                    true => Some(c.door_visits(door.address_fid)?),
                    false => None,
                };
                rows.push(DoorRow { door, visits_list });
            }
            print_report(&rows, a.json, |rows| {
                let visited = rows.iter().filter(|r| r.door.visits > 0).count();
                let mut s = format!("{} doors, {visited} visited", rows.len());
                for r in rows {
                    let last = match (&r.door.last_outcome, &r.door.last_date) {
                        (Some(o), Some(d)) => format!("{} on {d}", o.code()),
                        _ => "not visited".into(),
                    };
                    s.push_str(&format!(
                        "\n{:>6}  {:<40} {last}",
                        r.door.address_fid, r.door.label
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
    if a.gaps {
        let report = GapsReport {
            gaps: c.coverage_gaps(a.election.as_deref(), since)?,
        };
        return print_report(&report, a.json, |r| {
            r.gaps
                .iter()
                .map(|g| {
                    format!(
                        "#{} {} {} (class {}): {}/{} doors knocked ({:.0} %)",
                        g.priority_rank,
                        g.code,
                        g.name,
                        g.priority_class,
                        g.knocked,
                        g.doors,
                        g.share * 100.0
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
    }
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

/// What `porte dashboard` reports: the dashboard, and the PDF written when asked.
#[derive(Serialize)]
struct DashboardReport {
    #[serde(flatten)]
    dashboard: Dashboard,
    #[serde(skip_serializing_if = "Option::is_none")]
    pdf: Option<DashboardPdfReport>,
}

pub fn run_dashboard(a: DashboardArgs) -> anyhow::Result<()> {
    let lang = SheetLang::parse(&a.lang)
        .with_context(|| format!("--lang {}: expected fr or en", a.lang))?;
    let today = today_arg(&a.today)?;
    let day = |flag: &str, d: &Option<String>| d.as_deref().map(|d| date_arg(flag, d)).transpose();
    let filter = DashboardFilter {
        operation_id: a.operation,
        from: day("--from", &a.from)?,
        to: day("--to", &a.to)?,
    };
    let c = open(&a.campaign)?;
    if let Some(id) = a.operation {
        c.operation(id)
            .with_context(|| format!("--operation {id}: no such operation"))?;
    }
    let d = c.dashboard_filtered(today, &filter)?;
    if let Some(path) = &a.csv {
        d.write_csv(path)?;
    }
    let pdf = a
        .pdf
        .as_deref()
        .map(|path| {
            export_dashboard_pdf(
                &c,
                path,
                lang,
                today,
                &filter,
                &crate::cli::progress::TerminalProgress::new(),
            )
        })
        .transpose()?;
    let report = DashboardReport { dashboard: d, pdf };
    print_report(&report, a.json, |r| {
        let mut s = dashboard_summary(&r.dashboard);
        if let Some(p) = &r.pdf {
            s.push_str(&format!(
                "\nwritten: {} ({} pages, {:.0} KB)",
                p.path.display(),
                p.pages,
                p.bytes as f64 / 1024.0
            ));
        }
        s
    })
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
    if !d.goals.is_empty() {
        s.push_str("\ngoals:\n");
        s.push_str(&goals_summary(&d.goals));
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
