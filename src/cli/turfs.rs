//! `porte turfs cut|list|undo|redo|delete`: turfs from the command line, over the same model
//! functions as the GUI's turf panel.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::output::print;
use crate::cli::progress::TerminalProgress;
use crate::model::Campaign;
use crate::model::turfs::edit::TurfSummary;
use crate::model::turfs::{CutReport, CutRequest, CutTarget, TurfHistory};

#[derive(Subcommand, Debug)]
pub enum TurfsCommand {
    /// Cut precincts into turfs of balanced door counts (one undoable edit).
    Cut(CutArgs),
    /// List the turfs: id, name, doors, area, precincts, walking minutes, status.
    List(CampaignArgs),
    /// Undo the last turf edit.
    Undo(CampaignArgs),
    /// Redo the last undone turf edit.
    Redo(CampaignArgs),
    /// Delete a turf (undoable).
    Delete {
        campaign: PathBuf,
        /// Turf id (see `porte turfs list`).
        id: i64,
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
pub struct CutArgs {
    pub campaign: PathBuf,
    /// Precinct code to cut (repeat for several: they are cut together).
    #[arg(long = "precinct", required_unless_present = "area_of_turf")]
    pub precincts: Vec<String>,
    /// Cut the area of this (drawn) turf instead; the new turfs replace it.
    #[arg(long, value_name = "TURF_ID", conflicts_with = "precincts")]
    pub area_of_turf: Option<i64>,
    /// About this many doors per turf.
    #[arg(long, conflicts_with = "turfs", required_unless_present = "turfs")]
    pub doors_per_turf: Option<usize>,
    /// Exactly this many turfs.
    #[arg(long)]
    pub turfs: Option<usize>,
    /// Delete the turfs already over these precincts first.
    #[arg(long)]
    pub replace: bool,
    /// Turf names: PREFIX · 1, PREFIX · 2... (default: the precinct codes).
    #[arg(long)]
    pub name: Option<String>,
    /// Count only the doors of precincts in priority classes 1..=N (needs a saved camp).
    #[arg(long, value_name = "N")]
    pub max_priority_class: Option<u8>,
    /// Count only the doors not visited in the last N days (today included; door-by-door
    /// visits recorded with `porte results`).
    #[arg(long, value_name = "N")]
    pub not_visited_days: Option<u32>,
    /// The day "the last N days" end on (YYYY-MM-DD; default today, UTC).
    #[arg(long, value_name = "DATE", requires = "not_visited_days")]
    pub today: Option<chrono::NaiveDate>,
    /// Ignore major roads (by default, with streets imported, a turf avoids straddling them).
    #[arg(long)]
    pub no_barriers: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct ListReport {
    turfs: Vec<TurfSummary>,
    history: TurfHistory,
}

#[derive(Serialize)]
struct HistoryReport {
    done: Option<String>,
    history: TurfHistory,
}

fn cut_summary(r: &CutReport) -> String {
    let mut s = format!(
        "{} doors of {} cut into {} turfs: {}–{} doors (max/min {:.2}), compactness {:.2} mean / {:.2} min, {}",
        r.doors,
        if r.precincts.is_empty() {
            "the drawn area".to_owned()
        } else {
            r.precincts.join(", ")
        },
        r.turfs.len(),
        r.doors_min,
        r.doors_max,
        r.doors_ratio,
        r.compactness_mean,
        r.compactness_min,
        if r.all_contiguous {
            "all contiguous"
        } else {
            "some in several pieces"
        }
    );
    if !r.replaced.is_empty() {
        s.push_str(&format!("\nreplaced turfs {:?}", r.replaced));
    }
    if r.doors_in_other_turfs > 0 {
        s.push_str(&format!(
            "\n{} doors already in other turfs were left to them ({:.0} m² of the area)",
            r.doors_in_other_turfs, r.clipped_m2
        ));
    }
    for t in &r.turfs {
        s.push_str(&format!(
            "\n  {:>5}  {:<20} {:>4} doors {:>9.0} m²  {:>4.0} min  compactness {:.2}{}",
            t.id,
            t.name,
            t.doors,
            t.area_m2,
            t.minutes,
            t.compactness,
            if t.contiguous {
                ""
            } else {
                "  (several pieces)"
            }
        ));
    }
    s
}

fn list_summary(turfs: &[TurfSummary]) -> String {
    if turfs.is_empty() {
        return "no turfs yet: porte turfs cut CAMPAIGN --precinct CODE --doors-per-turf 120"
            .into();
    }
    let mut s = format!("{} turfs", turfs.len());
    for t in turfs {
        s.push_str(&format!(
            "\n  {:>5}  {:<20} {:>4} doors {:>9.0} m²  {:>4.0} min  {:<8} {}",
            t.id,
            t.name,
            t.doors,
            t.area_m2,
            t.minutes,
            t.status.as_str(),
            t.precincts.join(", ")
        ));
    }
    s
}

pub fn run(command: TurfsCommand) -> anyhow::Result<()> {
    match command {
        TurfsCommand::Cut(a) => {
            let target = match (a.doors_per_turf, a.turfs) {
                (_, Some(n)) => CutTarget::Turfs(n),
                (Some(n), None) => CutTarget::DoorsPerTurf(n),
                (None, None) => anyhow::bail!("give --doors-per-turf N or --turfs N"),
            };
            let mut c = Campaign::open(&a.campaign)?;
            let req = match a.area_of_turf {
                Some(id) => {
                    let turf = c.turf(id)?;
                    CutRequest {
                        precincts: Vec::new(),
                        area_wgs84: Some(turf.geom_wgs84),
                        target,
                        replace: true,
                        name_prefix: a.name.or(Some(turf.name)),
                    }
                }
                None => CutRequest {
                    precincts: a.precincts,
                    area_wgs84: None,
                    target,
                    replace: a.replace,
                    name_prefix: a.name,
                },
            };
            let progress = TerminalProgress::new();
            let barriers = if a.no_barriers {
                Vec::new()
            } else {
                c.major_roads_wgs84()?
            };
            let today = match a.today {
                Some(d) => d,
                None => crate::model::export::today_utc().parse()?,
            };
            let since = a
                .not_visited_days
                .map(|n| crate::model::turfs::selection::days_before(today, n));
            let selection = c.door_selection(a.max_priority_class, since)?;
            let keeps = |d: &crate::model::turfs::Door| selection.keeps(d);
            let filter: Option<crate::model::turfs::DoorFilter<'_>> =
                (!selection.keeps_all()).then_some(&keeps as _);
            let report = c.cut_turfs(&req, filter, &barriers, &progress)?;
            let human = cut_summary(&report);
            print(a.json, &report, human)
        }
        TurfsCommand::List(a) => {
            let c = Campaign::open(&a.campaign)?;
            let turfs: Vec<TurfSummary> = c.turfs()?.iter().map(|t| t.summary()).collect();
            let human = list_summary(&turfs);
            let report = ListReport {
                turfs,
                history: c.turf_history()?,
            };
            print(a.json, &report, human)
        }
        TurfsCommand::Undo(a) => undo_redo(a, true),
        TurfsCommand::Redo(a) => undo_redo(a, false),
        TurfsCommand::Delete { campaign, id, json } => {
            let mut c = Campaign::open(&campaign)?;
            c.delete_turf(id)?;
            let report = HistoryReport {
                done: Some(format!("deleted turf {id}")),
                history: c.turf_history()?,
            };
            print(
                json,
                &report,
                format!("turf {id} deleted (porte turfs undo brings it back)"),
            )
        }
    }
}

fn undo_redo(a: CampaignArgs, undo: bool) -> anyhow::Result<()> {
    let mut c = Campaign::open(&a.campaign)?;
    let done = if undo {
        c.undo_turf_edit()?
    } else {
        c.redo_turf_edit()?
    };
    let verb = if undo { "undone" } else { "redone" };
    let human = match &done {
        Some(label) => format!("{verb}: {label}"),
        None => format!("nothing to {}", if undo { "undo" } else { "redo" }),
    };
    let report = HistoryReport {
        done,
        history: c.turf_history()?,
    };
    print(a.json, &report, human)
}
