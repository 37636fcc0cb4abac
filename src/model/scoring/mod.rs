//! The priority model and choropleth classification (issue 3): which precincts to work first.
//!
//! - [`blocs`]: blocs of candidates (our camp, near, rival), their resolution, nuance suggestions.
//! - [`score`]: per-precinct terms, normalisation, weighted score, rank, classes 1–5, explain.
//! - [`overlay`]: area-weighted interpolation of an overlay layer's variable (e.g. IRIS census).
//! - [`variables`]: what a choropleth can show per precinct (priority, turnout, share, swing...).
//! - [`classify`]: quantile, equal-interval, Jenks and manual breaks, and the legend.
//! - [`ramps`]: ColorBrewer sequential and diverging colour ramps as RGB data.
//!
//! [`Campaign::score`] is the entry point the GUI and the CLI share: it loads the election(s),
//! the stored blocs and the precinct codes once (no per-precinct query) and calls
//! [`score::score_precincts`].

pub mod blocs;
pub mod classify;
pub mod overlay;
pub mod ramps;
pub mod score;
pub mod variables;

pub use blocs::{Bloc, BlocRole};
pub use classify::{ClassMethod, Classification, Legend, LegendClass, classify};
pub use score::{
    Normalisation, OverlayValues, ScoreResult, ScoreSettings, TermExplanation, explain,
};
pub use variables::{ShareOf, Variable, variable_values};

use crate::model::campaign::Campaign;
use crate::model::election::ElectionResults;
use crate::model::error::{ModelError, ModelResult};
use crate::model::storage;

impl Campaign {
    /// The stored score settings, or the defaults.
    pub fn scoring_settings(&self) -> ModelResult<ScoreSettings> {
        Ok(storage::scoring::load_settings(&self.conn)?.unwrap_or_default())
    }

    /// Stores the score settings.
    pub fn save_scoring_settings(&mut self, settings: &ScoreSettings) -> ModelResult<()> {
        self.in_transaction(|tx| storage::scoring::save_settings(tx, settings))
    }

    /// The stored blocs of `election`, sorted by name.
    pub fn blocs(&self, election: &str) -> ModelResult<Vec<Bloc>> {
        storage::scoring::load_blocs(&self.conn, election)
    }

    /// Replaces the stored blocs of `election` (after checking they resolve against it).
    pub fn save_blocs(&mut self, election: &str, blocs: &[Bloc]) -> ModelResult<()> {
        let e = self.election(election)?;
        blocs::resolve_blocs(&e, blocs)?;
        self.in_transaction(|tx| storage::scoring::save_blocs(tx, election, blocs))
    }

    /// Election `name`, or an error listing the campaign's elections.
    pub fn election(&self, name: &str) -> ModelResult<ElectionResults> {
        storage::elections::load_election(&self.conn, name)?.ok_or_else(|| {
            ModelError::Invalid(format!(
                "no election \"{name}\" in the campaign ({})",
                self.election_list()
            ))
        })
    }

    fn election_list(&self) -> String {
        let names = storage::elections::election_names(&self.conn).unwrap_or_default();
        if names.is_empty() {
            "it has no election results yet: import some with porte import results".into()
        } else {
            format!("elections: {}", names.join(", "))
        }
    }

    /// The election to score: `wanted`, else the only election of the campaign.
    pub fn scoring_election(&self, wanted: Option<&str>) -> ModelResult<String> {
        if let Some(w) = wanted {
            return Ok(w.to_string());
        }
        let names = storage::elections::election_names(&self.conn)?;
        match names.as_slice() {
            [one] => Ok(one.clone()),
            _ => Err(ModelError::Invalid(format!(
                "which election should be scored? Give --election NAME ({})",
                self.election_list()
            ))),
        }
    }

    /// Scores every precinct: `settings.election` (or the only election), with `blocs` or, when
    /// `None`, the blocs stored for that election; the previous election (swing) uses its own
    /// stored blocs, else the same definitions matched against its candidates.
    pub fn score(
        &self,
        settings: &ScoreSettings,
        blocs: Option<&[Bloc]>,
        overlays: &[OverlayValues],
    ) -> ModelResult<ScoreResult> {
        let name = self.scoring_election(settings.election.as_deref())?;
        let current = self.election(&name)?;
        let stored;
        let blocs = match blocs {
            Some(b) if !b.is_empty() => b,
            _ => {
                stored = self.blocs(&name)?;
                &stored[..]
            }
        };
        if blocs.is_empty() {
            return Err(ModelError::Invalid(self.no_camp_message(&current)));
        }
        let previous = match &settings.previous {
            Some(p) => {
                let e = self.election(p)?;
                let own = self.blocs(p)?;
                let pblocs = if own.is_empty() { blocs.to_vec() } else { own };
                Some((e, pblocs))
            }
            None => None,
        };
        let codes = storage::precincts::codes(&self.conn)?;
        let settings = ScoreSettings {
            election: Some(name),
            ..settings.clone()
        };
        score::score_precincts(&score::ScoreInputs {
            precinct_codes: &codes,
            current: &current,
            current_blocs: blocs,
            previous: previous.as_ref().map(|(e, b)| (e, &b[..])),
            overlays,
            settings: &settings,
        })
        .map_err(|e| match (&previous, e) {
            (Some((p, _)), ModelError::Invalid(m)) if m.contains(&format!("\"{}\"", p.name)) => {
                ModelError::Invalid(format!(
                    "{m}\nfor the swing, define the blocs of \"{}\" too, e.g. porte blocs {} --election {} --bloc \"NAME=LABEL,...\" --ours NAME --save (or use party codes as members, which match across elections)",
                    p.name,
                    self.path().display(),
                    p.name
                ))
            }
            (_, e) => e,
        })
    }

    /// The message when no camp is defined: the candidates, suggested blocs and an example.
    pub fn no_camp_message(&self, e: &ElectionResults) -> String {
        let (suggested, _) = blocs::suggest_blocs(e);
        let example = suggested
            .iter()
            .find(|b| b.name == "gauche")
            .or(suggested.first())
            .map(|b| (b.name.clone(), b.members.join(",")))
            .unwrap_or_else(|| {
                (
                    "nous".into(),
                    e.candidates
                        .first()
                        .map(|c| c.label.clone())
                        .unwrap_or_default(),
                )
            });
        let path = self.path().display();
        format!(
            "no camp is defined for election \"{}\": Porte does not pick a political side for you. Say which candidates are ours, e.g.\n  porte score {path} --election {} --bloc \"{}={}\" --ours {} --save\nor start from blocs grouped by nuance:\n  porte blocs {path} --election {} --suggest\n{}",
            e.name,
            e.name,
            example.0,
            example.1,
            shell_word(&example.0),
            e.name,
            blocs::candidate_listing(e)
        )
    }
}

fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        s.to_string()
    } else {
        format!("\"{s}\"")
    }
}
