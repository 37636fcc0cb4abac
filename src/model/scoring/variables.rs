//! The variables a choropleth can show, per precinct: priority score, turnout %, abstention %,
//! a candidate's or bloc's share %, registered voters, and the swing (percentage points) of a
//! share between two elections.

use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::election::{ElectionResults, PrecinctResult};
use crate::model::error::{ModelError, ModelResult};
use crate::model::scoring::blocs::{Bloc, BlocRole, resolve_blocs};
use crate::model::scoring::ramps::RampKind;
use crate::model::scoring::score::ours_share_pct;
use crate::model::storage;

/// Whose share a variable measures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareOf {
    /// A candidate label or a party (nuance) code: every candidate of that party.
    Candidate(String),
    /// A bloc stored in the campaign for that election (for the previous election of a swing,
    /// its own bloc of that name, else the same definition).
    Bloc(String),
}

/// A variable to map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "variable")]
pub enum Variable {
    /// The priority score (0..100) with the campaign's stored blocs and settings.
    Priority,
    /// Voters / registered, %.
    Turnout {
        election: String,
    },
    /// 100 − turnout, %.
    Abstention {
        election: String,
    },
    Registered {
        election: String,
    },
    /// Votes / valid votes, %.
    Share {
        election: String,
        of: ShareOf,
    },
    /// Share in `election` − share in `previous`, percentage points (signed).
    Swing {
        election: String,
        previous: String,
        of: ShareOf,
    },
}

impl Variable {
    /// Diverging for signed variables (swing), sequential otherwise.
    pub fn ramp_kind(&self) -> RampKind {
        match self {
            Variable::Swing { .. } => RampKind::Diverging,
            _ => RampKind::Sequential,
        }
    }

    /// A legend title, e.g. "Turnout % (presidentielle-1)".
    pub fn label(&self) -> String {
        let of = |o: &ShareOf| match o {
            ShareOf::Candidate(c) => c.clone(),
            ShareOf::Bloc(b) => format!("bloc {b}"),
        };
        match self {
            Variable::Priority => "Priority score".into(),
            Variable::Turnout { election } => format!("Turnout % ({election})"),
            Variable::Abstention { election } => format!("Abstention % ({election})"),
            Variable::Registered { election } => format!("Registered voters ({election})"),
            Variable::Share { election, of: o } => format!("Share % of {} ({election})", of(o)),
            Variable::Swing {
                election,
                previous,
                of: o,
            } => format!("Swing of {} ({previous} → {election}), points", of(o)),
        }
    }
}

fn load(campaign: &Campaign, name: &str) -> ModelResult<ElectionResults> {
    storage::elections::load_election(campaign.connection(), name)?.ok_or_else(|| {
        let names = storage::elections::election_names(campaign.connection()).unwrap_or_default();
        ModelError::Invalid(format!(
            "no election \"{name}\" in the campaign (elections: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ))
    })
}

/// The bloc (role ours) measured by `of` in election `e`, `fallback` giving the definition to
/// reuse when `e` has no stored bloc of that name.
fn bloc_for(
    campaign: &Campaign,
    e: &ElectionResults,
    of: &ShareOf,
    fallback: Option<&Bloc>,
) -> ModelResult<Bloc> {
    match of {
        ShareOf::Candidate(c) => Ok(Bloc::new(c, BlocRole::Ours, &[c.as_str()])),
        ShareOf::Bloc(name) => {
            let stored = storage::scoring::load_blocs(campaign.connection(), &e.name)?;
            let found = stored
                .into_iter()
                .find(|b| b.name.eq_ignore_ascii_case(name))
                .or_else(|| fallback.cloned())
                .ok_or_else(|| {
                    ModelError::Invalid(format!(
                        "no bloc \"{name}\" is defined for election \"{}\" (define it with porte blocs)",
                        e.name
                    ))
                })?;
            Ok(Bloc {
                role: BlocRole::Ours,
                ..found
            })
        }
    }
}

/// Share % of `bloc` in every precinct of `e`, by code.
fn shares(e: &ElectionResults, bloc: &Bloc) -> ModelResult<impl Fn(&str) -> Option<f64>> {
    let resolved = resolve_blocs(e, std::slice::from_ref(bloc))?;
    let values: std::collections::HashMap<String, f64> = e
        .precincts
        .iter()
        .filter_map(|p| Some((p.precinct_code.clone(), ours_share_pct(p, &resolved)?)))
        .collect();
    Ok(move |code: &str| values.get(code).copied())
}

/// The value of `variable` for every precinct of the campaign, sorted by code; `None` where
/// the precinct has no (usable) data.
pub fn variable_values(
    campaign: &Campaign,
    variable: &Variable,
) -> ModelResult<Vec<(String, Option<f64>)>> {
    let codes = storage::precincts::codes(campaign.connection())?;
    let mut codes = codes;
    codes.sort();
    let per_precinct = |e: &ElectionResults, f: &dyn Fn(&PrecinctResult) -> Option<f64>| {
        codes
            .iter()
            .map(|c| (c.clone(), e.precinct(c).and_then(f)))
            .collect::<Vec<_>>()
    };
    Ok(match variable {
        Variable::Priority => {
            let settings = campaign.scoring_settings()?;
            let r = campaign.score(&settings, None, &[])?;
            let by_code: std::collections::HashMap<&str, f64> = r
                .precincts
                .iter()
                .map(|p| (p.code.as_str(), p.score))
                .collect();
            codes
                .iter()
                .map(|c| (c.clone(), by_code.get(c.as_str()).copied()))
                .collect()
        }
        Variable::Turnout { election } => per_precinct(&load(campaign, election)?, &|p| {
            p.turnout.turnout_ratio().map(|r| 100.0 * r)
        }),
        Variable::Abstention { election } => per_precinct(&load(campaign, election)?, &|p| {
            p.turnout.turnout_ratio().map(|r| 100.0 * (1.0 - r))
        }),
        Variable::Registered { election } => per_precinct(&load(campaign, election)?, &|p| {
            p.turnout.registered.map(|r| r as f64)
        }),
        Variable::Share { election, of } => {
            let e = load(campaign, election)?;
            let bloc = bloc_for(campaign, &e, of, None)?;
            let share = shares(&e, &bloc)?;
            codes.iter().map(|c| (c.clone(), share(c))).collect()
        }
        Variable::Swing {
            election,
            previous,
            of,
        } => {
            let e = load(campaign, election)?;
            let before = load(campaign, previous)?;
            let bloc = bloc_for(campaign, &e, of, None)?;
            let bloc_before = bloc_for(campaign, &before, of, Some(&bloc))?;
            let now = shares(&e, &bloc)?;
            let then = shares(&before, &bloc_before)?;
            codes
                .iter()
                .map(|c| (c.clone(), now(c).zip(then(c)).map(|(a, b)| a - b)))
                .collect()
        }
    })
}
