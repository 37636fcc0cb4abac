//! The options `porte classify` and `porte export map` share to say what colours the map
//! (variable, election, candidate or bloc, previous election) and how (method, classes, breaks,
//! ramp), resolved once against the campaign into the model's variable and classification.

use anyhow::{Context, bail};
use clap::Args;

use crate::model::Campaign;
use crate::model::scoring::classify::{ClassMethod, Classification, classify};
use crate::model::scoring::ramps::{self, RampKind, default_ramp};
use crate::model::scoring::variables::{ShareOf, Variable, variable_values};
use crate::model::storage;

#[derive(Args, Debug, Clone)]
pub struct ColourArgs {
    /// priority, turnout, abstention, registered, share, swing or doors.
    #[arg(long, default_value = "turnout")]
    pub variable: String,
    /// Election (default: the saved one, else the only one).
    #[arg(long)]
    pub election: Option<String>,
    /// Earlier election, for swing.
    #[arg(long)]
    pub previous: Option<String>,
    /// For share and swing: a candidate label or party code.
    #[arg(long, value_name = "LABEL")]
    pub candidate: Option<String>,
    /// For share and swing: a saved bloc's name.
    #[arg(long = "of-bloc", value_name = "NAME")]
    pub of_bloc: Option<String>,
    /// quantile, equal, jenks or manual.
    #[arg(long, default_value = "quantile")]
    pub method: String,
    /// Number of classes, 3 to 9.
    #[arg(long, default_value_t = 5)]
    pub classes: usize,
    /// Manual interior breaks, e.g. 20,40,60,80.
    #[arg(long)]
    pub breaks: Option<String>,
    /// ColorBrewer ramp (default YlOrRd, or RdBu for swing).
    #[arg(long)]
    pub ramp: Option<String>,
}

/// What colours the map: a model variable, or the doors (addresses) counted per precinct.
#[derive(Clone, Debug, PartialEq)]
pub enum MapVariable {
    Model(Variable),
    Doors,
}

/// A classified map: every precinct's value (by code, sorted) and its classes and legend.
pub struct ColouredMap {
    pub variable: MapVariable,
    pub label: String,
    /// The election the values come from ("" for doors).
    pub election: String,
    pub values: Vec<(String, Option<f64>)>,
    pub classification: Classification,
}

impl MapVariable {
    pub fn model(&self) -> Option<&Variable> {
        match self {
            MapVariable::Model(v) => Some(v),
            MapVariable::Doors => None,
        }
    }
}

impl ColourArgs {
    /// The variable these options name, checked against the campaign's elections and settings.
    pub fn variable(&self, c: &Campaign) -> anyhow::Result<MapVariable> {
        let settings = c.scoring_settings()?;
        let wanted = self.election.as_deref().or(settings.election.as_deref());
        let election = || -> anyhow::Result<String> { Ok(c.scoring_election(wanted)?) };
        let of = || -> anyhow::Result<ShareOf> {
            match (&self.candidate, &self.of_bloc) {
                (Some(cand), None) => Ok(ShareOf::Candidate(cand.clone())),
                (None, Some(b)) => Ok(ShareOf::Bloc(b.clone())),
                _ => bail!(
                    "--variable {} needs --candidate LABEL or --of-bloc NAME",
                    self.variable
                ),
            }
        };
        Ok(MapVariable::Model(
            match self.variable.to_ascii_lowercase().as_str() {
                "doors" => return Ok(MapVariable::Doors),
                "priority" | "score" => Variable::Priority {
                    election: self.election.clone(),
                },
                "turnout" => Variable::Turnout {
                    election: election()?,
                },
                "abstention" => Variable::Abstention {
                    election: election()?,
                },
                "registered" => Variable::Registered {
                    election: election()?,
                },
                "share" => Variable::Share {
                    election: election()?,
                    of: of()?,
                },
                "swing" => Variable::Swing {
                    election: election()?,
                    previous: self
                        .previous
                        .clone()
                        .or(settings.previous.clone())
                        .context("--variable swing needs --previous ELECTION")?,
                    of: of()?,
                },
                other => bail!(
                    "--variable {other}: expected priority, turnout, abstention, registered, share, swing or doors"
                ),
            },
        ))
    }

    /// The classification method (manual breaks from `--breaks`).
    pub fn method(&self) -> anyhow::Result<ClassMethod> {
        Ok(match (self.method.as_str(), &self.breaks) {
            ("manual", Some(b)) => ClassMethod::Manual(
                b.split(',')
                    .map(|x| {
                        x.trim()
                            .parse::<f64>()
                            .with_context(|| format!("--breaks: {x:?} is not a number"))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?,
            ),
            ("manual", None) => bail!("--method manual needs --breaks B1,B2,..."),
            (m, _) => ClassMethod::parse(m).with_context(|| {
                format!("--method {m}: expected quantile, equal, jenks or manual")
            })?,
        })
    }

    /// Resolves the options and classifies the campaign's precincts.
    pub fn classify(&self, c: &Campaign) -> anyhow::Result<ColouredMap> {
        let variable = self.variable(c)?;
        let method = self.method()?;
        let classes = match &method {
            ClassMethod::Manual(b) => b.len() + 1,
            _ => self.classes,
        };
        let ramp_kind = variable
            .model()
            .map_or(RampKind::Sequential, Variable::ramp_kind);
        let ramp = match &self.ramp {
            Some(r) => ramps::ramp(r).with_context(|| {
                format!(
                    "--ramp {r}: expected one of {}",
                    ramps::ramp_names().join(", ")
                )
            })?,
            None => default_ramp(ramp_kind),
        };
        let (values, label, election) = match &variable {
            MapVariable::Model(v) => {
                let election = match v {
                    Variable::Turnout { election }
                    | Variable::Abstention { election }
                    | Variable::Registered { election }
                    | Variable::Share { election, .. }
                    | Variable::Swing { election, .. } => election.clone(),
                    Variable::Priority { election } => election
                        .clone()
                        .or_else(|| {
                            let settings = c.scoring_settings().ok()?;
                            c.scoring_election(settings.election.as_deref()).ok()
                        })
                        .unwrap_or_default(),
                };
                (variable_values(c, v)?, v.label(), election)
            }
            MapVariable::Doors => (
                door_values(c)?,
                "Doors (addresses)".to_owned(),
                String::new(),
            ),
        };
        let only: Vec<Option<f64>> = values.iter().map(|(_, v)| *v).collect();
        let classification = classify(&only, &method, classes, ramp)?;
        Ok(ColouredMap {
            variable,
            label,
            election,
            values,
            classification,
        })
    }
}

/// Doors (addresses) per precinct, by code (sorted); an error when the campaign has none.
fn door_values(c: &Campaign) -> anyhow::Result<Vec<(String, Option<f64>)>> {
    let (total, _) = storage::addresses::counts(c.connection())?;
    if total == 0 {
        bail!("--variable doors: the campaign has no addresses (porte import addresses)");
    }
    let counts = storage::addresses::counts_by_precinct(c.connection())?;
    let mut codes = storage::precincts::codes(c.connection())?;
    codes.sort();
    Ok(codes
        .into_iter()
        .map(|code| {
            let n = counts.get(&code).copied().unwrap_or(0) as f64;
            (code, Some(n))
        })
        .collect())
}
