//! Coverage as the map shows it: fixed classes of the share of doors knocked ("not visited" —
//! exactly 0 % — on its own, then 20-point steps up to "80 % or more"), the share counted since
//! a date, and the "gaps": precincts of priority class 1–2 with under 20 % of their doors knocked.
//!
//! Fixed classes rather than quantiles: the share is already on a 0–100 scale that reads the same
//! on every campaign, and a campaign that visited 1 precinct of 40 must show 39 "not visited"
//! precincts in red, not spread them over quantile classes.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Campaign;
use crate::model::error::ModelResult;
use crate::model::results::coverage::CoverageRow;
use crate::model::scoring::ramps::Ramp;
use crate::model::scoring::variables::priority_score;
use crate::model::scoring::{Classification, Legend, LegendClass};

/// Interior breaks of the coverage classes, percent: 0 (exactly) | under 20 | 20–40 | 40–60 |
/// 60–80 | 80 and more.
pub const COVERAGE_BREAKS_PERCENT: [f64; 4] = [20.0, 40.0, 60.0, 80.0];
/// Number of coverage classes ("not visited" plus five 20-point steps).
pub const COVERAGE_CLASSES: usize = 6;
/// The legend's method name for the fixed coverage classes.
pub const COVERAGE_METHOD: &str = "coverage_fixed";
/// A gap: a precinct of priority class at most this (1 = top fifth of the ranking)…
pub const GAP_MAX_PRIORITY_CLASS: u8 = 2;
/// …with a share of doors knocked under this.
pub const GAP_MAX_SHARE: f64 = 0.20;

/// The class (0 = not visited, 5 = 80 % or more) of a share of doors knocked, in percent. Classes
/// hold their lower bound: 20 % is in "20–40".
pub fn coverage_class(percent: f64) -> usize {
    if percent <= 0.0 {
        0
    } else {
        1 + COVERAGE_BREAKS_PERCENT
            .iter()
            .filter(|&&b| percent >= b)
            .count()
    }
}

/// Classifies shares of doors knocked (percent, `None` = no door) into the fixed coverage
/// classes, coloured by `ramp` (6 colours; RdYlGn: red = not covered). Every class is kept in
/// the legend, empty or not, so its bounds read the same on every campaign.
pub fn classify_coverage(values_percent: &[Option<f64>], ramp: &Ramp) -> Classification {
    let colors = ramp
        .colors_rgb(COVERAGE_CLASSES)
        .expect("every ramp has 3 to 9 classes");
    let mut counts = [0usize; COVERAGE_CLASSES];
    let class_of: Vec<Option<usize>> = values_percent
        .iter()
        .map(|v| {
            v.filter(|v| v.is_finite()).map(|v| {
                let k = coverage_class(v);
                counts[k] += 1;
                k
            })
        })
        .collect();
    let no_data = class_of.iter().filter(|k| k.is_none()).count();
    let bounds = [0.0, 0.0, 20.0, 40.0, 60.0, 80.0, 100.0];
    Classification {
        legend: Legend {
            method: COVERAGE_METHOD.to_owned(),
            ramp: ramp.name.to_string(),
            classes: (0..COVERAGE_CLASSES)
                .map(|k| LegendClass {
                    lower: bounds[k],
                    upper: bounds[k + 1],
                    count: counts[k],
                    color_rgb: colors[k],
                })
                .collect(),
            no_data,
            notes: Vec::new(),
        },
        class_of,
    }
}

/// The doors a row counts as knocked: all of them, or with a `since` date (the row's
/// `not_visited_since` is then set) those visited or tallied on or after it.
pub fn counted_knocked(row: &CoverageRow) -> i64 {
    match row.not_visited_since {
        Some(not_visited) => (row.doors - not_visited).clamp(0, row.doors),
        None => row.knocked,
    }
}

/// [`counted_knocked`] over the row's doors, percent; `None` without a door.
pub fn counted_percent(row: &CoverageRow) -> Option<f64> {
    (row.doors > 0).then(|| 100.0 * counted_knocked(row) as f64 / row.doors as f64)
}

/// A precinct where the effort should go and has not gone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoverageGap {
    pub code: String,
    pub name: String,
    /// 1 = most priority.
    pub priority_rank: usize,
    /// 1 (top fifth) to 5.
    pub priority_class: u8,
    pub priority_score: f64,
    pub doors: i64,
    /// As counted by [`counted_knocked`].
    pub knocked: i64,
    /// knocked / doors.
    pub share: f64,
}

impl Campaign {
    /// The gaps: precincts of priority class 1–2 (scored for `election`, the settings' one when
    /// `None`) with doors and under 20 % of them knocked (since `since`, when given), by rank.
    /// Fails as the priority score does when no camp is saved.
    pub fn coverage_gaps(
        &self,
        election: Option<&str>,
        since: Option<NaiveDate>,
    ) -> ModelResult<Vec<CoverageGap>> {
        let score = priority_score(self, election)?;
        let rows = self.precinct_coverage(since)?;
        let by_code: std::collections::HashMap<&str, &CoverageRow> =
            rows.iter().map(|r| (r.key.as_str(), r)).collect();
        let mut gaps: Vec<CoverageGap> = score
            .precincts
            .iter()
            .filter(|p| p.class <= GAP_MAX_PRIORITY_CLASS)
            .filter_map(|p| {
                let row = by_code.get(p.code.as_str())?;
                let knocked = counted_knocked(row);
                let share = if row.doors > 0 {
                    knocked as f64 / row.doors as f64
                } else {
                    return None;
                };
                (share < GAP_MAX_SHARE).then(|| CoverageGap {
                    code: p.code.clone(),
                    name: row.name.clone(),
                    priority_rank: p.rank,
                    priority_class: p.class,
                    priority_score: p.score,
                    doors: row.doors,
                    knocked,
                    share,
                })
            })
            .collect();
        gaps.sort_by(|a, b| (a.priority_rank, &a.code).cmp(&(b.priority_rank, &b.code)));
        Ok(gaps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scoring::ramps;

    #[test]
    fn zero_is_its_own_class_and_classes_hold_their_lower_bound() {
        assert_eq!(coverage_class(0.0), 0);
        assert_eq!(coverage_class(0.1), 1);
        assert_eq!(coverage_class(19.99), 1);
        assert_eq!(coverage_class(20.0), 2);
        assert_eq!(coverage_class(59.0), 3);
        assert_eq!(coverage_class(79.9), 4);
        assert_eq!(coverage_class(80.0), 5);
        assert_eq!(coverage_class(100.0), 5);
    }

    #[test]
    fn one_visited_precinct_of_forty_leaves_39_not_visited_in_red() {
        let ramp = ramps::ramp("RdYlGn").unwrap();
        let mut values = vec![Some(0.0); 39];
        values.push(Some(12.0));
        values.push(None);
        let c = classify_coverage(&values, ramp);
        let counts: Vec<usize> = c.legend.classes.iter().map(|k| k.count).collect();
        assert_eq!(counts, [39, 1, 0, 0, 0, 0]);
        assert_eq!(c.legend.no_data, 1);
        assert_eq!(c.legend.method, COVERAGE_METHOD);
        // Red for "not visited", green for the top class.
        let [r, g, _] = c.legend.classes[0].color_rgb;
        assert!(r > 150 && g < 80, "{:?}", c.legend.classes[0].color_rgb);
        let [r, g, _] = c.legend.classes[5].color_rgb;
        assert!(g > 100 && r < 80, "{:?}", c.legend.classes[5].color_rgb);
        assert_eq!(c.class_of[39], Some(1));
        assert_eq!(c.class_of[40], None);
    }

    #[test]
    fn since_counts_only_the_doors_visited_after_the_date() {
        let row = CoverageRow {
            key: "1".into(),
            name: String::new(),
            doors: 10,
            knocked: 6,
            opened: 0,
            contacts: 0,
            share: 0.6,
            last_visit: None,
            not_visited_since: None,
            priority_rank: None,
            priority_score: None,
        };
        assert_eq!(counted_knocked(&row), 6);
        assert_eq!(counted_percent(&row), Some(60.0));
        let since = CoverageRow {
            not_visited_since: Some(8),
            ..row.clone()
        };
        assert_eq!(counted_knocked(&since), 2);
        let empty = CoverageRow { doors: 0, ..row };
        assert_eq!(counted_percent(&empty), None);
    }
}
