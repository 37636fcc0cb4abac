//! Per-precinct figures the table and the tooltips show: registered voters and turnout of each
//! election, and doors (addresses) per precinct, aligned with the campaign's precinct list; and
//! the "Map colours" choice (a variable of the scoring model, a classification method, classes and
//! a ColorBrewer ramp), classified by [`crate::model::scoring::classify`] into the colours handed
//! to the map (`MapView::set_fill_colors_rgb`) and the model's legend.

use std::collections::HashMap;

use rusqlite::Connection;

use chrono::NaiveDate;

use crate::model::ModelError;
use crate::model::precinct::Precinct;
use crate::model::results::coverage::CoverageRow;
use crate::model::results::coverage_map::{
    COVERAGE_METHOD, classify_coverage, counted_knocked, counted_percent, coverage_class,
};
use crate::model::scoring::classify::class_index;
use crate::model::scoring::ramps::{self, Ramp, RampKind};
use crate::model::scoring::{ClassMethod, Legend, ShareOf, Variable as ModelVariable, classify};
use crate::model::storage::elections::load_election;
use crate::ui::i18n::{Strings, fill};
use crate::ui::map::turf_layer::TurfCoverage;

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

/// How the classes are chosen (the model's [`ClassMethod`], manual breaks typed as text, or the
/// coverage's fixed classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MethodChoice {
    #[default]
    Quantile,
    EqualInterval,
    Jenks,
    Manual,
    /// The coverage's fixed classes (0 % "not visited", under 20, 20–40, 40–60, 60–80, 80 % or
    /// more): see [`crate::model::results::coverage_map`]. Offered for the coverage only.
    CoverageFixed,
}

impl MethodChoice {
    pub const ALL: [MethodChoice; 5] = [
        MethodChoice::CoverageFixed,
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
            MethodChoice::CoverageFixed => t.method_coverage_fixed,
        }
    }

    /// Whether the method can classify `variable` (the fixed classes are the coverage's).
    pub fn fits(self, variable: Variable) -> bool {
        self != MethodChoice::CoverageFixed || variable == Variable::Coverage
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
    /// The coverage counts visits on or after this date, typed as text ("2026-03-01"); empty =
    /// all time.
    pub since: String,
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
            since: String::new(),
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

    /// Chooses the variable: the coverage gets its fixed classes, which another variable leaves
    /// for quantiles; a classification the user picked otherwise stays.
    pub fn set_variable(&mut self, variable: Variable) {
        if variable == self.variable {
            return;
        }
        if variable == Variable::Coverage {
            self.method = MethodChoice::CoverageFixed;
        } else if !self.method.fits(variable) {
            self.method = MethodChoice::Quantile;
        }
        self.variable = variable;
    }

    /// The coverage's "since" date: `Ok(None)` when empty, `Err(text)` when it is not a date.
    pub fn since_date(&self) -> Result<Option<NaiveDate>, String> {
        let text = self.since.trim();
        if text.is_empty() {
            return Ok(None);
        }
        crate::model::results::import::parse_date(text)
            .map(Some)
            .ok_or_else(|| text.to_owned())
    }

    /// The model's method and class count; `Err(word)` when a manual break is not a number.
    /// The coverage's fixed classes map to quantiles here (they never reach the model's
    /// [`classify`]: see [`coverage_colouring`]).
    pub fn method(&self) -> Result<(ClassMethod, usize), String> {
        Ok(match self.method {
            MethodChoice::Quantile | MethodChoice::CoverageFixed => {
                (ClassMethod::Quantile, self.classes)
            }
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
    /// With the coverage: each precinct's figures and the "since" date.
    pub coverage: Option<CoverageFigures>,
}

/// The coverage figures behind a coverage colouring, aligned with the layer.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageFigures {
    pub since: Option<NaiveDate>,
    pub rows: Vec<Option<CoverageRow>>,
}

/// "1 March 2026" / "1 mars 2026".
pub fn long_date(t: &Strings, date: NaiveDate) -> String {
    crate::model::format::format_day_month_year(date, t.lang == crate::ui::i18n::Lang::Fr)
}

/// What the coverage legend counts: "Share of doors knocked" (since a date, when given).
pub fn coverage_title(t: &Strings, since: Option<NaiveDate>) -> String {
    match since {
        Some(d) => fill(t.coverage_title_since, &[&long_date(t, d)]),
        None => t.coverage_title.to_owned(),
    }
}

/// Colours the precincts (layer order: `codes`) by the model's coverage `rows` (computed with
/// the choice's "since" date), with the fixed classes or the choice's method.
pub fn coverage_colouring(
    rows: Vec<CoverageRow>,
    codes: &[&str],
    since: Option<NaiveDate>,
    choice: &ColourChoice,
    t: &Strings,
) -> Result<Colouring, String> {
    let mut by_code: HashMap<String, CoverageRow> =
        rows.into_iter().map(|r| (r.key.clone(), r)).collect();
    let rows: Vec<Option<CoverageRow>> = codes.iter().map(|c| by_code.remove(*c)).collect();
    let values: Vec<Option<f64>> = rows
        .iter()
        .map(|r| r.as_ref().and_then(counted_percent))
        .collect();
    let mut colouring = if choice.method == MethodChoice::CoverageFixed {
        let c = classify_coverage(&values, choice.ramp());
        let colors = c
            .class_of
            .iter()
            .map(|k| k.map(|k| c.legend.classes[k].color_rgb))
            .collect();
        Colouring {
            legend: c.legend,
            colors,
            variable: Variable::Coverage,
            values,
            coverage: None,
        }
    } else {
        classify_values(&values, choice, t)?
    };
    colouring.coverage = Some(CoverageFigures { since, rows });
    Ok(colouring)
}

/// The turfs' coverage as the map shows it (by turf id): the class colour of each turf's share
/// of doors knocked (counted as the precincts' are) and its tooltip line.
pub fn turf_coverage_styles(
    t: &Strings,
    colouring: &Colouring,
    rows: &[CoverageRow],
) -> HashMap<i64, TurfCoverage> {
    rows.iter()
        .filter_map(|row| {
            let id: i64 = row.key.parse().ok()?;
            let percent = counted_percent(row)?;
            let [r, g, b] = colouring.color_of_value(percent)?;
            let line = fill(
                t.coverage_turf_line,
                &[
                    &t.integer(counted_knocked(row)),
                    &t.integer(row.doors),
                    &t.percent(percent / 100.0),
                ],
            );
            Some((
                id,
                TurfCoverage {
                    colour: egui::Color32::from_rgb(r, g, b),
                    line,
                },
            ))
        })
        .collect()
}

impl Colouring {
    /// True for the coverage's fixed classes.
    pub fn is_fixed_coverage(&self) -> bool {
        self.legend.method == COVERAGE_METHOD
    }

    /// The colour of the legend class holding `v` (a value of the coloured variable), e.g. a
    /// turf's coverage coloured with the precincts' classes.
    pub fn color_of_value(&self, v: f64) -> Option<[u8; 3]> {
        let classes = &self.legend.classes;
        let k = if self.is_fixed_coverage() {
            coverage_class(v)
        } else {
            let first = classes.first()?;
            let bounds: Vec<f64> = std::iter::once(first.lower)
                .chain(classes.iter().map(|c| c.upper))
                .collect();
            class_index(&bounds, v)
        };
        classes.get(k).map(|c| c.color_rgb)
    }

    /// The lines the tooltip and the summary show for precinct `i` of the coverage: doors,
    /// knocked, share and last visit (and the doors not visited since the date).
    pub fn coverage_lines(&self, t: &Strings, i: usize) -> Vec<String> {
        let Some(cov) = &self.coverage else {
            return Vec::new();
        };
        let Some(row) = cov.rows.get(i).and_then(Option::as_ref) else {
            return Vec::new();
        };
        let mut lines = vec![fill(
            t.coverage_doors_knocked,
            &[&t.integer(counted_knocked(row)), &t.integer(row.doors)],
        )];
        if let (Some(d), Some(n)) = (cov.since, row.not_visited_since) {
            lines.push(fill(
                t.coverage_not_visited_since,
                &[&long_date(t, d), &t.integer(n)],
            ));
        }
        lines.push(match &row.last_visit {
            Some(day) => {
                let day = crate::model::results::import::parse_date(day)
                    .map_or_else(|| day.clone(), |d| long_date(t, d));
                fill(t.coverage_last_visit, &[&day])
            }
            None => t.coverage_never_visited.to_owned(),
        });
        lines
    }
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
        coverage: None,
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
    fn coverage_gets_fixed_classes_which_other_variables_leave() {
        let mut choice = ColourChoice::default();
        choice.set_variable(Variable::Coverage);
        assert_eq!(choice.method, MethodChoice::CoverageFixed);
        choice.set_variable(Variable::Turnout);
        assert_eq!(choice.method, MethodChoice::Quantile);
        // A classification the user picked stays.
        choice.method = MethodChoice::Jenks;
        choice.set_variable(Variable::Doors);
        assert_eq!(choice.method, MethodChoice::Jenks);
        assert!(!MethodChoice::CoverageFixed.fits(Variable::Doors));
    }

    #[test]
    fn since_is_a_whole_date_or_empty() {
        let mut choice = ColourChoice::default();
        assert_eq!(choice.since_date(), Ok(None));
        choice.since = " 2026-03-01 ".into();
        assert_eq!(
            choice.since_date(),
            NaiveDate::from_ymd_opt(2026, 3, 1)
                .map(Some)
                .ok_or(String::new())
        );
        choice.since = "2026-13-01".into();
        assert_eq!(choice.since_date(), Err("2026-13-01".to_owned()));
        let t = &crate::ui::i18n::EN;
        assert_eq!(
            coverage_title(t, NaiveDate::from_ymd_opt(2026, 3, 1)),
            "Share of doors knocked since 1 March 2026"
        );
        assert_eq!(
            long_date(
                &crate::ui::i18n::FR,
                NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()
            ),
            "15 août 2026"
        );
    }

    fn row(key: &str, doors: i64, knocked: i64) -> CoverageRow {
        CoverageRow {
            key: key.into(),
            name: String::new(),
            doors,
            knocked,
            opened: 0,
            contacts: 0,
            share: if doors > 0 {
                knocked as f64 / doors as f64
            } else {
                0.0
            },
            last_visit: (knocked > 0).then(|| "2026-03-14".to_owned()),
            not_visited_since: None,
            priority_rank: None,
            priority_score: None,
        }
    }

    #[test]
    fn coverage_colouring_aligns_rows_and_colours_turfs_with_the_same_classes() {
        let t = &crate::ui::i18n::EN;
        let mut choice = ColourChoice::default();
        choice.set_variable(Variable::Coverage);
        let rows = vec![row("B", 100, 50), row("A", 10, 0), row("C", 0, 0)];
        let c = coverage_colouring(rows, &["A", "B", "C", "Z"], None, &choice, t).unwrap();
        assert!(c.is_fixed_coverage());
        assert_eq!(c.values, vec![Some(0.0), Some(50.0), None, None]);
        let counts: Vec<usize> = c.legend.classes.iter().map(|k| k.count).collect();
        assert_eq!(counts, [1, 0, 0, 1, 0, 0]);
        assert_eq!(c.legend.no_data, 2);
        assert_eq!(c.colors[0], Some(c.legend.classes[0].color_rgb));
        let lines = c.coverage_lines(t, 1);
        assert_eq!(lines[0], "Knocked: 50 of 100 doors");
        assert_eq!(lines[1], "Last visit: 14 March 2026");
        assert_eq!(c.coverage_lines(t, 0)[1], "Never visited");
        let turfs = turf_coverage_styles(t, &c, &[row("7", 75, 75), row("8", 75, 0)]);
        let [r, g, b] = c.legend.classes[5].color_rgb;
        assert_eq!(turfs[&7].colour, egui::Color32::from_rgb(r, g, b));
        let [r, g, b] = c.legend.classes[0].color_rgb;
        assert_eq!(turfs[&8].colour, egui::Color32::from_rgb(r, g, b));
        assert_eq!(turfs[&7].line, "Knocked: 75 of 75 doors (100.0%)");
        // Quantiles chosen by the user: turfs take the class of their share among its bounds.
        choice.method = MethodChoice::Quantile;
        let rows = (0..10).map(|i| row(&i.to_string(), 10, i)).collect();
        let codes: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        let q = coverage_colouring(rows, &codes, None, &choice, t).unwrap();
        assert!(!q.is_fixed_coverage());
        assert_eq!(
            q.color_of_value(95.0),
            Some(q.legend.classes.last().unwrap().color_rgb)
        );
        assert_eq!(q.color_of_value(0.0), Some(q.legend.classes[0].color_rgb));
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
