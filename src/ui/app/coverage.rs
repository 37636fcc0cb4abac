//! The app's coverage map: fixed classes counted since a date, turfs coloured by their
//! coverage, and priority beside coverage with the gaps.

use super::*;

/// The coverage colouring of the precincts (layer order) from the model's precinct coverage,
/// counted since the choice's date.
pub(super) fn coverage_map_colouring(
    c: &Campaign,
    choice: &ColourChoice,
    layer: &crate::ui::map::PrecinctLayer,
    t: &'static Strings,
) -> Result<Colouring, String> {
    let since = choice
        .since_date()
        .map_err(|text| fill(t.coverage_since_invalid, &[&text]))?;
    let rows = c.precinct_coverage(since).map_err(|e| e.to_string())?;
    let codes: Vec<&str> = layer.shapes.iter().map(|s| s.code.as_str()).collect();
    coverage_colouring(rows, &codes, since, choice, t)
}

impl PorteApp {
    /// Colours the turfs with the coverage classes when the map shows the coverage (the
    /// model's turf coverage, counted since the same date); their own colours otherwise.
    pub(super) fn recolor_turfs(&mut self, campaign: Option<&Campaign>) {
        let t = self.t();
        let styles = match (campaign, &self.colouring) {
            (Some(c), Some(colouring)) if colouring.coverage.is_some() => {
                let since = colouring.coverage.as_ref().and_then(|f| f.since);
                match c.turf_coverage(since) {
                    Ok(rows) => turf_coverage_styles(t, colouring, &rows),
                    Err(e) => {
                        self.colour_error = Some(e.to_string());
                        Default::default()
                    }
                }
            }
            _ => Default::default(),
        };
        self.map.turfs.set_coverage(styles);
    }

    /// Reads the priority colours and the gaps of the side-by-side view (when it is on): the
    /// priority score needs a saved camp for `election`, else the left map says so.
    pub(super) fn refresh_compare(&mut self, campaign: Option<&Campaign>, election: Option<&str>) {
        if !self.compare.on {
            self.compare.clear();
            return;
        }
        let Some(c) = campaign else {
            return;
        };
        let t = self.t();
        let priority: Result<Colouring, String> = if !self.blocs_saved {
            Err(match (election, &self.campaign) {
                (Some(name), Some(view)) => fill(
                    t.priority_needs_blocs,
                    &[&name, &view.path.display(), &name],
                ),
                _ => t.no_election_data.to_owned(),
            })
        } else {
            let variable = crate::model::scoring::Variable::Priority {
                election: election.map(str::to_owned),
            };
            variable_values(c, &variable)
                .map_err(|e| e.to_string())
                .and_then(|values| {
                    let by_code: std::collections::HashMap<String, Option<f64>> =
                        values.into_iter().collect();
                    let aligned: Vec<Option<f64>> = self
                        .map
                        .layer
                        .shapes
                        .iter()
                        .map(|s| by_code.get(&s.code).copied().flatten())
                        .collect();
                    let choice = ColourChoice {
                        variable: Variable::Priority,
                        ..ColourChoice::default()
                    };
                    classify_values(&aligned, &choice, t)
                })
        };
        let since = self.colour.since_date().ok().flatten();
        let (priority, gaps) = match priority {
            Ok(p) => match c.coverage_gaps(election, since) {
                Ok(gaps) => (Ok(p), gaps),
                Err(e) => (Err(e.to_string()), Vec::new()),
            },
            Err(e) => (Err(e), Vec::new()),
        };
        self.compare.set_priority(priority, gaps);
    }
}
