//! Per-precinct figures the table and the tooltips show: registered voters and turnout of each
//! election, and doors (addresses) per precinct, aligned with the campaign's precinct list; and
//! the "Map colours" choice (a variable of the scoring model, a classification method, classes and
//! a ColorBrewer ramp), classified by [`crate::model::scoring::classify`] into the colours handed
//! to the map (`MapView::set_fill_colors_rgb`) and the model's legend.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::ModelError;
use crate::model::precinct::Precinct;
use crate::model::scoring::ramps::{self, Ramp, RampKind};
use crate::model::scoring::{ClassMethod, Legend, ShareOf, Variable as ModelVariable, classify};
use crate::model::storage::elections::load_election;
use crate::ui::i18n::{Strings, fill};

/// Turnout figures of one election, aligned with the precinct list.
#[derive(Clone, Debug, Default)]
pub struct ElectionFigures {
    pub name: String,
    pub registered: Vec<Option<i64>>,
    pub voters: Vec<Option<i64>>,
}

impl ElectionFigures {
    /// Voters / registered of precinct `i`.
    pub fn turnout(&self, i: usize) -> Option<f64> {
        let r = self.registered.get(i).copied().flatten()?;
        let v = self.voters.get(i).copied().flatten()?;
        (r > 0).then(|| v as f64 / r as f64)
    }
}

/// Everything the table and the tooltips read, aligned with the precinct list.
#[derive(Clone, Debug, Default)]
pub struct PrecinctFigures {
    /// Doors per precinct; all `None` when the campaign has no addresses.
    pub doors: Vec<Option<u64>>,
    /// In the campaign's order (the last is the default).
    pub elections: Vec<ElectionFigures>,
}

impl PrecinctFigures {
    /// Reads doors per precinct and every election's turnout.
    pub fn load(
        conn: &Connection,
        precincts: &[Precinct],
        election_names: &[String],
    ) -> Result<PrecinctFigures, ModelError> {
        let index: HashMap<&str, usize> = precincts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.as_str(), i))
            .collect();
        let mut doors = vec![None; precincts.len()];
        let (total, _) = crate::model::storage::addresses::counts(conn)?;
        if total > 0 {
            doors.iter_mut().for_each(|d| *d = Some(0));
            for (code, n) in crate::model::storage::addresses::counts_by_precinct(conn)? {
                if let Some(&i) = index.get(code.as_str()) {
                    doors[i] = Some(n as u64);
                }
            }
        }
        let mut elections = Vec::new();
        for name in election_names {
            let Some(election) = load_election(conn, name)? else {
                continue;
            };
            let mut figures = ElectionFigures {
                name: name.clone(),
                registered: vec![None; precincts.len()],
                voters: vec![None; precincts.len()],
            };
            for result in &election.precincts {
                if let Some(&i) = index.get(result.precinct_code.as_str()) {
                    figures.registered[i] = result.turnout.registered;
                    figures.voters[i] = result.turnout.voters;
                }
            }
            elections.push(figures);
        }
        Ok(PrecinctFigures { doors, elections })
    }
}

/// What colours the map: the scoring model's variables (see
/// [`crate::model::scoring::variables`]) and the doors per precinct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Variable {
    #[default]
    None,
    /// The priority score; needs blocs saved in the campaign.
    Priority,
    Turnout,
    Abstention,
    Registered,
    /// A candidate's share of valid votes.
    Share,
    /// A candidate's share now minus in a previous election.
    Swing,
    Doors,
    /// Share of each precinct's doors knocked (the model's precinct coverage), in percent.
    Coverage,
}

impl Variable {
    pub const ALL: [Variable; 9] = [
        Variable::None,
        Variable::Priority,
        Variable::Turnout,
        Variable::Abstention,
        Variable::Registered,
        Variable::Share,
        Variable::Swing,
        Variable::Doors,
        Variable::Coverage,
    ];

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Variable::None => t.var_none,
            Variable::Priority => t.var_priority,
            Variable::Turnout => t.var_turnout,
            Variable::Abstention => t.var_abstention,
            Variable::Registered => t.var_registered,
            Variable::Share => t.var_share,
            Variable::Swing => t.var_swing,
            Variable::Doors => t.var_doors,
            Variable::Coverage => t.var_coverage,
        }
    }

    /// True for percentages (0..100).
    pub fn is_percent(self) -> bool {
        matches!(
            self,
            Variable::Turnout | Variable::Abstention | Variable::Share | Variable::Coverage
        )
    }

    /// True when the variable reads an election.
    pub fn needs_election(self) -> bool {
        !matches!(self, Variable::None | Variable::Doors | Variable::Coverage)
    }

    /// The model's variable for `election` (and `candidate`, `previous` for share and swing);
    /// `None` for the UI-only variables or when a choice is missing.
    pub fn model_variable(
        self,
        election: Option<&str>,
        share_of: Option<&ShareOf>,
        previous: Option<&str>,
    ) -> Option<ModelVariable> {
        let election = || election.map(str::to_owned);
        let of = || share_of.cloned();
        Some(match self {
            Variable::None | Variable::Doors | Variable::Coverage => return None,
            Variable::Priority => ModelVariable::Priority {
                election: election(),
            },
            Variable::Turnout => ModelVariable::Turnout {
                election: election()?,
            },
            Variable::Abstention => ModelVariable::Abstention {
                election: election()?,
            },
            Variable::Registered => ModelVariable::Registered {
                election: election()?,
            },
            Variable::Share => ModelVariable::Share {
                election: election()?,
                of: of()?,
            },
            Variable::Swing => ModelVariable::Swing {
                election: election()?,
                previous: previous?.to_owned(),
                of: of()?,
            },
        })
    }

    /// Diverging for the swing, sequential otherwise.
    pub fn ramp_kind(self) -> RampKind {
        match self {
            Variable::Swing => RampKind::Diverging,
            _ => RampKind::Sequential,
        }
    }

    /// The ramp used when none is chosen: red (not covered) to green (covered) for the
    /// coverage, the kind's default otherwise.
    pub fn default_ramp(self) -> &'static Ramp {
        match self {
            Variable::Coverage => {
                ramps::ramp("RdYlGn").unwrap_or_else(|| ramps::default_ramp(RampKind::Sequential))
            }
            _ => ramps::default_ramp(self.ramp_kind()),
        }
    }
}

/// How the classes are chosen (the model's [`ClassMethod`], manual breaks typed as text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MethodChoice {
    #[default]
    Quantile,
    EqualInterval,
    Jenks,
    Manual,
}

impl MethodChoice {
    pub const ALL: [MethodChoice; 4] = [
        MethodChoice::Quantile,
        MethodChoice::EqualInterval,
        MethodChoice::Jenks,
        MethodChoice::Manual,
    ];

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            MethodChoice::Quantile => t.method_quantile,
            MethodChoice::EqualInterval => t.method_equal,
            MethodChoice::Jenks => t.method_jenks,
            MethodChoice::Manual => t.method_manual,
        }
    }
}

/// Everything the "Map colours" panel chooses; the map is recoloured when it changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ColourChoice {
    pub variable: Variable,
    /// The candidate (a label of the chosen election) or the saved bloc whose share (or swing)
    /// is shown.
    pub share_of: Option<ShareOf>,
    /// The previous election of a swing (index into the campaign's elections).
    pub previous: Option<usize>,
    pub method: MethodChoice,
    /// Manual breaks, comma-separated ("40, 50.5, 60").
    pub breaks: String,
    /// 3..=9 (ignored by manual breaks: one more than the breaks).
    pub classes: usize,
    /// A ramp of [`crate::model::scoring::ramps`]; `None` = the variable's default.
    pub ramp: Option<&'static str>,
}

impl Default for ColourChoice {
    fn default() -> Self {
        ColourChoice {
            variable: Variable::None,
            share_of: None,
            previous: None,
            method: MethodChoice::Quantile,
            breaks: String::new(),
            classes: 5,
            ramp: None,
        }
    }
}

impl ColourChoice {
    /// The ramp used: the chosen one, else the variable's default.
    pub fn ramp(&self) -> &'static Ramp {
        self.ramp
            .and_then(ramps::ramp)
            .unwrap_or_else(|| self.variable.default_ramp())
    }

    /// The model's method and class count; `Err(word)` when a manual break is not a number.
    pub fn method(&self) -> Result<(ClassMethod, usize), String> {
        Ok(match self.method {
            MethodChoice::Quantile => (ClassMethod::Quantile, self.classes),
            MethodChoice::EqualInterval => (ClassMethod::EqualInterval, self.classes),
            MethodChoice::Jenks => (ClassMethod::Jenks, self.classes),
            MethodChoice::Manual => {
                let breaks = parse_breaks(&self.breaks)?;
                let k = breaks.len() + 1;
                (ClassMethod::Manual(breaks), k)
            }
        })
    }
}

/// "40, 50.5, 60" → [40, 50.5, 60]; `Err` names the first word that is not a number.
pub fn parse_breaks(text: &str) -> Result<Vec<f64>, String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| w.parse::<f64>().map_err(|_| w.to_owned()))
        .collect()
}

/// The classified map: the model's legend, the colour of each precinct (in the layer's order)
/// and how to show the values.
#[derive(Clone, Debug, PartialEq)]
pub struct Colouring {
    pub legend: Legend,
    pub colors: Vec<Option<[u8; 3]>>,
    pub variable: Variable,
    /// The classified values, aligned with the layer (the tooltip and the summary show them).
    pub values: Vec<Option<f64>>,
}

/// Classifies `values` (aligned with the layer) with the choice's method, classes and ramp.
pub fn classify_values(
    values: &[Option<f64>],
    choice: &ColourChoice,
    t: &Strings,
) -> Result<Colouring, String> {
    let (method, classes) = choice
        .method()
        .map_err(|word| fill(t.not_a_number, &[&word]))?;
    let c = classify(values, &method, classes, choice.ramp()).map_err(|e| e.to_string())?;
    let colors = c
        .class_of
        .iter()
        .map(|k| k.map(|k| c.legend.classes[k].color_rgb))
        .collect();
    Ok(Colouring {
        legend: c.legend,
        colors,
        variable: choice.variable,
        values: values.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jenks_classes_count_every_value_and_keep_no_data() {
        let values: Vec<Option<f64>> = (1..=10).map(|v| Some(v as f64)).chain([None]).collect();
        let choice = ColourChoice {
            variable: Variable::Turnout,
            method: MethodChoice::Jenks,
            classes: 4,
            ..ColourChoice::default()
        };
        let c = classify_values(&values, &choice, &crate::ui::i18n::EN).unwrap();
        assert_eq!(c.legend.classes.len(), 4);
        assert_eq!(c.legend.no_data, 1);
        assert_eq!(c.legend.classes.iter().map(|k| k.count).sum::<usize>(), 10);
        assert_eq!(c.colors[10], None);
        assert_eq!(c.colors[0], Some(c.legend.classes[0].color_rgb));
    }

    #[test]
    fn manual_breaks_parse_and_set_the_classes() {
        assert_eq!(parse_breaks("40, 50.5;60"), Ok(vec![40.0, 50.5, 60.0]));
        assert_eq!(parse_breaks("40, x"), Err("x".to_owned()));
        let choice = ColourChoice {
            method: MethodChoice::Manual,
            breaks: "3, 6".into(),
            ..ColourChoice::default()
        };
        let values: Vec<Option<f64>> = (1..=9).map(|v| Some(v as f64)).collect();
        let c = classify_values(&values, &choice, &crate::ui::i18n::EN).unwrap();
        assert_eq!(c.legend.classes.len(), 3);
        assert!(c.legend.classes.iter().all(|k| k.count == 3));
    }
}
