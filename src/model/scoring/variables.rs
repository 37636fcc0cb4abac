//! The variables a choropleth can show, per precinct: priority score, turnout %, abstention %,
//! a candidate's or bloc's share %, registered voters, and the swing (percentage points) of a
//! share between two elections.

use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::election::{ElectionResults, PrecinctResult};
use crate::model::error::{ModelError, ModelResult};
use crate::model::scoring::blocs::{Bloc, BlocRole, resolve_blocs};
use crate::model::scoring::ramps::RampKind;
use crate::model::scoring::score::{ScoreResult, ours_share_pct};
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
    /// The priority score (0..100) of `election` with its stored blocs and the campaign's score
    /// settings (weights, normalisation, previous election); `None` scores the settings'
    /// election, else the campaign's only election.
    Priority {
        election: Option<String>,
    },
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
            Variable::Priority { election: None } => "Priority score".into(),
            Variable::Priority {
                election: Some(election),
            } => format!("Priority score ({election})"),
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

/// The score behind [`Variable::Priority`]: `election` (else the settings' election, else the
/// only one) with its stored blocs and the campaign's stored score settings. A stored previous
/// election equal to the scored one is left out (a swing against itself is zero everywhere).
/// The map colours and the explain view both read this result, so they always agree.
pub fn priority_score(campaign: &Campaign, election: Option<&str>) -> ModelResult<ScoreResult> {
    let mut settings = campaign.scoring_settings()?;
    if let Some(e) = election {
        settings.election = Some(e.to_string());
    }
    let name = campaign.scoring_election(settings.election.as_deref())?;
    if settings.previous.as_deref() == Some(name.as_str()) {
        settings.previous = None;
    }
    settings.election = Some(name);
    campaign.score(&settings, None, &[])
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
        Variable::Priority { election } => {
            let r = priority_score(campaign, election.as_deref())?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoProgress;
    use crate::model::import::precincts::PrecinctImportOptions;
    use crate::model::import::results::ResultsImportOptions;
    use crate::model::scoring::ScoreSettings;

    /// Two precincts and two elections whose camps lead in opposite precincts.
    fn campaign(dir: &std::path::Path) -> Campaign {
        let square = |code: &str, x: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},48.0],[{x1},48.0],[{x1},48.01],[{x},48.01],[{x},48.0]]]}}}}"#,
                x1 = x + 0.01
            )
        };
        let geojson = dir.join("p.geojson");
        std::fs::write(
            &geojson,
            format!(
                r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
                square("A", 2.0),
                square("B", 2.01)
            ),
        )
        .unwrap();
        let mut c = Campaign::open(dir.join("c.gpkg")).unwrap();
        let opts = PrecinctImportOptions {
            id_field: Some("code".into()),
            ..Default::default()
        };
        c.import_precincts(&geojson, &opts, &NoProgress).unwrap();
        for (name, rows) in [
            ("e1", "A;100;50;50;40;10\nB;100;50;50;10;40\n"),
            ("e2", "A;100;50;50;10;40\nB;100;50;50;40;10\n"),
        ] {
            let csv = dir.join(format!("{name}.csv"));
            std::fs::write(
                &csv,
                format!("bureau;inscrits;votants;exprimes;DUPONT Jean;MARTIN Léa\n{rows}"),
            )
            .unwrap();
            let opts = ResultsImportOptions {
                election: Some(name.into()),
                ..Default::default()
            };
            c.import_results(&csv, &opts, &NoProgress).unwrap();
            c.save_blocs(name, &[Bloc::new("ours", BlocRole::Ours, &["DUPONT Jean"])])
                .unwrap();
        }
        c
    }

    fn score_of(values: &[(String, Option<f64>)], code: &str) -> f64 {
        values.iter().find(|(c, _)| c == code).unwrap().1.unwrap()
    }

    #[test]
    fn priority_scores_the_chosen_election_not_the_settings_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = campaign(dir.path());
        c.save_scoring_settings(&ScoreSettings {
            election: Some("e1".into()),
            ..Default::default()
        })
        .unwrap();
        // e1: DUPONT leads in A (more supporters who stayed home there); e2: in B.
        let settings_one = variable_values(&c, &Variable::Priority { election: None }).unwrap();
        assert!(score_of(&settings_one, "A") > score_of(&settings_one, "B"));
        let chosen = Variable::Priority {
            election: Some("e2".into()),
        };
        let values = variable_values(&c, &chosen).unwrap();
        assert!(
            score_of(&values, "B") > score_of(&values, "A"),
            "{values:?}"
        );
        let model = priority_score(&c, Some("e2")).unwrap();
        assert_eq!(model.election, "e2");
        for (code, v) in &values {
            assert_eq!(*v, model.precinct(code).map(|p| p.score), "{code}");
        }
        assert_eq!(chosen.label(), "Priority score (e2)");
    }

    #[test]
    fn a_previous_election_equal_to_the_scored_one_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = campaign(dir.path());
        c.save_scoring_settings(&ScoreSettings {
            election: Some("e2".into()),
            previous: Some("e1".into()),
            ..Default::default()
        })
        .unwrap();
        let r = priority_score(&c, Some("e2")).unwrap();
        assert_eq!(r.previous.as_deref(), Some("e1"));
        assert!(r.term_index("swing").is_some());
        let r = priority_score(&c, Some("e1")).unwrap();
        assert_eq!(r.previous, None);
        assert!(r.term_index("swing").is_none());
    }
}
