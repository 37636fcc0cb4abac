//! Per-precinct figures the map and the table show before the scoring model plugs in: registered
//! voters and turnout of each election, and doors (addresses) per precinct, aligned with the
//! campaign's precinct list; and a small built-in quantile classification so the map can be
//! coloured by one of them. The scoring engineer's classification replaces [`classify_quantiles`]
//! through the same seam (`MapView::set_fill_colors_rgb`).

use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::ModelError;
use crate::model::precinct::Precinct;
use crate::model::storage::elections::load_election;
use crate::ui::i18n::Strings;

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

/// Everything the table and the built-in colouring read, aligned with the precinct list.
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

/// What the built-in colouring can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Variable {
    #[default]
    None,
    Registered,
    Turnout,
    Abstention,
    Doors,
}

impl Variable {
    pub const ALL: [Variable; 5] = [
        Variable::None,
        Variable::Registered,
        Variable::Turnout,
        Variable::Abstention,
        Variable::Doors,
    ];

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Variable::None => t.var_none,
            Variable::Registered => t.var_registered,
            Variable::Turnout => t.var_turnout,
            Variable::Abstention => t.var_abstention,
            Variable::Doors => t.var_doors,
        }
    }

    /// True for ratios (shown as percentages).
    pub fn is_ratio(self) -> bool {
        matches!(self, Variable::Turnout | Variable::Abstention)
    }

    /// True when the variable reads an election.
    pub fn needs_election(self) -> bool {
        matches!(
            self,
            Variable::Registered | Variable::Turnout | Variable::Abstention
        )
    }

    /// One value per precinct (`None` = no data); empty for [`Variable::None`].
    pub fn values(self, figures: &PrecinctFigures, election: Option<usize>) -> Vec<Option<f64>> {
        let e = election.and_then(|i| figures.elections.get(i));
        let n = figures.doors.len();
        match (self, e) {
            (Variable::None, _) => Vec::new(),
            (Variable::Doors, _) => figures.doors.iter().map(|d| d.map(|d| d as f64)).collect(),
            (_, None) => vec![None; n],
            (Variable::Registered, Some(e)) => {
                e.registered.iter().map(|r| r.map(|r| r as f64)).collect()
            }
            (Variable::Turnout, Some(e)) => (0..n).map(|i| e.turnout(i)).collect(),
            (Variable::Abstention, Some(e)) => {
                (0..n).map(|i| e.turnout(i).map(|t| 1.0 - t)).collect()
            }
        }
    }
}

/// One class of the legend (same fields as the scoring model's `LegendClass`).
#[derive(Clone, Debug, PartialEq)]
pub struct LegendClass {
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    pub color_rgb: [u8; 3],
}

/// A legend: classes from low to high values, and how many precincts had no data.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LegendView {
    pub classes: Vec<LegendClass>,
    pub no_data: usize,
}

/// Five-step sequential ramp (ColorBrewer YlGnBu).
pub const RAMP_RGB: [[u8; 3]; 5] = [
    [255, 255, 204],
    [161, 218, 180],
    [65, 182, 196],
    [44, 127, 184],
    [37, 52, 148],
];

/// Quantile classes of `values` (up to `ramp.len()`, fewer when there are few distinct values):
/// one colour per value (`None` stays `None`) and the legend.
pub fn classify_quantiles(
    values: &[Option<f64>],
    ramp: &[[u8; 3]],
) -> (Vec<Option<[u8; 3]>>, LegendView) {
    let mut sorted: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let no_data = values.len() - sorted.len();
    if sorted.is_empty() || ramp.is_empty() {
        return (
            vec![None; values.len()],
            LegendView {
                classes: Vec::new(),
                no_data,
            },
        );
    }
    // Upper bounds at the quantiles, deduplicated.
    let n = ramp.len();
    let mut uppers: Vec<f64> = (1..=n)
        .map(|k| sorted[((k * sorted.len()).div_ceil(n)).clamp(1, sorted.len()) - 1])
        .collect();
    uppers.dedup();
    let colors_of: Vec<[u8; 3]> = if uppers.len() == 1 {
        vec![ramp[n - 1]]
    } else {
        (0..uppers.len())
            .map(|k| ramp[k * (n - 1) / (uppers.len() - 1)])
            .collect()
    };
    let class_of = |v: f64| {
        uppers
            .iter()
            .position(|&u| v <= u)
            .unwrap_or(uppers.len() - 1)
    };
    let mut classes: Vec<LegendClass> = uppers
        .iter()
        .enumerate()
        .map(|(k, &upper)| LegendClass {
            lower: if k == 0 { sorted[0] } else { uppers[k - 1] },
            upper,
            count: 0,
            color_rgb: colors_of[k],
        })
        .collect();
    let colors = values
        .iter()
        .map(|v| {
            let v = (*v)?;
            if !v.is_finite() {
                return None;
            }
            let k = class_of(v);
            classes[k].count += 1;
            Some(colors_of[k])
        })
        .collect();
    (colors, LegendView { classes, no_data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_split_evenly_and_keep_no_data() {
        let values: Vec<Option<f64>> = (1..=10).map(|v| Some(v as f64)).chain([None]).collect();
        let (colors, legend) = classify_quantiles(&values, &RAMP_RGB);
        assert_eq!(legend.classes.len(), 5);
        assert_eq!(legend.no_data, 1);
        assert!(legend.classes.iter().all(|c| c.count == 2), "{legend:?}");
        assert_eq!(colors[0], Some(RAMP_RGB[0]));
        assert_eq!(colors[9], Some(RAMP_RGB[4]));
        assert_eq!(colors[10], None);
        let (_, one) = classify_quantiles(&[Some(3.0), Some(3.0)], &RAMP_RGB);
        assert_eq!(one.classes.len(), 1);
    }
}
