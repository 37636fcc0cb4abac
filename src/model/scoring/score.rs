//! The priority score of every precinct: per-precinct terms (mobilisation, persuasion, swing,
//! rival strength, overlay variables), their normalisation, the weighted combination, ranks,
//! priority classes 1–5, and the per-precinct explanation. Pure functions over loaded data: no
//! SQL here (see `scoring::mod` for the campaign-level entry point).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::election::{ElectionResults, PrecinctResult};
use crate::model::error::{ModelError, ModelResult};
use crate::model::scoring::blocs::{Bloc, BlocRole, ResolvedBloc, resolve_blocs};

/// Term names.
pub const MOBILISATION: &str = "mobilisation";
pub const PERSUASION: &str = "persuasion";
pub const SWING: &str = "swing";
pub const RIVAL: &str = "rival";
/// Prefix of overlay terms: `overlay:<variable>`.
pub const OVERLAY_PREFIX: &str = "overlay:";

/// Default weights; an overlay term defaults to [`DEFAULT_OVERLAY_WEIGHT`].
pub const DEFAULT_WEIGHTS: &[(&str, f64)] = &[
    (MOBILISATION, 1.0),
    (PERSUASION, 0.5),
    (SWING, 0.5),
    (RIVAL, 0.25),
];
pub const DEFAULT_OVERLAY_WEIGHT: f64 = 0.5;

/// Number of priority classes (quintiles of the rank).
pub const PRIORITY_CLASSES: usize = 5;

/// How raw term values are brought to 0..1 before weighting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// `(x - min) / (max - min)` over the scored precincts (0 when all values are equal).
    #[default]
    MinMax,
    /// Percentile rank: `(r - 1) / (m - 1)` with `r` the 1-based ascending rank (ties get their
    /// average rank) among the `m` precincts with a value; robust to outliers.
    Rank,
}

impl Normalisation {
    pub fn parse(s: &str) -> Option<Normalisation> {
        match s.trim().to_ascii_lowercase().as_str() {
            "minmax" | "min-max" | "min_max" => Some(Normalisation::MinMax),
            "rank" | "percentile" => Some(Normalisation::Rank),
            _ => None,
        }
    }
}

/// The user's scoring choices, persisted in the campaign.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreSettings {
    /// The election whose results are scored.
    pub election: Option<String>,
    /// The earlier election the swing is measured against.
    pub previous: Option<String>,
    /// Weights by term name, overriding [`DEFAULT_WEIGHTS`].
    pub weights: BTreeMap<String, f64>,
    pub normalisation: Normalisation,
}

impl ScoreSettings {
    /// The weight of `term`: the user's, else the default.
    pub fn weight(&self, term: &str) -> f64 {
        if let Some(w) = self.weights.get(term) {
            return *w;
        }
        if term.starts_with(OVERLAY_PREFIX) {
            return DEFAULT_OVERLAY_WEIGHT;
        }
        DEFAULT_WEIGHTS
            .iter()
            .find(|(n, _)| *n == term)
            .map(|(_, w)| *w)
            .unwrap_or(0.0)
    }
}

/// Parses `"mobilisation=1,persuasion=0.5"` into weights.
pub fn parse_weights(spec: &str) -> ModelResult<BTreeMap<String, f64>> {
    let mut out = BTreeMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, w) = part.split_once('=').ok_or_else(|| {
            ModelError::Invalid(format!("weight \"{part}\": expected TERM=NUMBER"))
        })?;
        let w: f64 = w.trim().parse().map_err(|_| {
            ModelError::Invalid(format!("weight \"{part}\": {w:?} is not a number"))
        })?;
        out.insert(name.trim().to_string(), w);
    }
    Ok(out)
}

/// A per-precinct variable from an overlay layer (see [`crate::model::scoring::overlay`]).
#[derive(Clone, Debug, PartialEq)]
pub struct OverlayValues {
    /// Variable name, e.g. `C11_POP15P`; the term is `overlay:<name>`.
    pub name: String,
    /// Value per precinct code; precincts absent have no value.
    pub values: HashMap<String, f64>,
    /// False for a variable whose *low* values mean priority (e.g. median income).
    pub higher_is_priority: bool,
}

/// Everything the score is computed from.
pub struct ScoreInputs<'a> {
    /// Every precinct of the campaign (codes); precincts without results are listed as unscored.
    pub precinct_codes: &'a [String],
    pub current: &'a ElectionResults,
    pub current_blocs: &'a [Bloc],
    /// The previous election and its blocs, for the swing term.
    pub previous: Option<(&'a ElectionResults, &'a [Bloc])>,
    pub overlays: &'a [OverlayValues],
    pub settings: &'a ScoreSettings,
}

/// One term of the model as applied to this campaign.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermInfo {
    pub name: String,
    pub description: String,
    /// Weight as set (the score divides by the sum of the weights of the terms a precinct has).
    pub weight: f64,
    /// False when a high raw value lowers the priority (rival share): normalised = 1 − scaled.
    pub higher_is_priority: bool,
    pub raw_min: Option<f64>,
    pub raw_max: Option<f64>,
    /// Precincts with a value for this term.
    pub precincts_with_value: usize,
}

/// One term's value in one precinct.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TermValue {
    pub raw: Option<f64>,
    /// In 0..1, already oriented so that 1 = most priority.
    pub normalised: Option<f64>,
    /// Rank of the precinct on this term (1 = highest normalised value; ties share a rank).
    pub rank: Option<usize>,
}

/// A scored precinct.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecinctScore {
    pub code: String,
    /// Aligned with [`ScoreResult::terms`].
    pub terms: Vec<TermValue>,
    /// 0..100.
    pub score: f64,
    /// 1 = highest score; equal scores share a rank (1, 2, 2, 4).
    pub rank: usize,
    /// 1 (top fifth of the ranking: most priority) to 5.
    pub class: u8,
    /// Terms this precinct has no value for (their weight is left out of its score).
    pub missing_terms: Vec<String>,
}

/// A precinct that got no score, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unscored {
    pub code: String,
    pub reason: String,
}

/// How a bloc was resolved, for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlocSummary {
    pub election: String,
    pub name: String,
    pub role: BlocRole,
    /// Candidate labels, in the election's order.
    pub candidates: Vec<String>,
    pub unmatched_members: Vec<String>,
}

/// The score of every precinct.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreResult {
    pub election: String,
    pub previous: Option<String>,
    pub normalisation: Normalisation,
    pub blocs: Vec<BlocSummary>,
    pub terms: Vec<TermInfo>,
    /// Sorted by rank, then code.
    pub precincts: Vec<PrecinctScore>,
    /// Sorted by code.
    pub unscored: Vec<Unscored>,
    /// Result rows whose precinct is not in the campaign (ignored).
    pub results_without_precinct: usize,
    pub warnings: Vec<String>,
}

impl ScoreResult {
    /// The scored precinct `code`.
    pub fn precinct(&self, code: &str) -> Option<&PrecinctScore> {
        self.precincts.iter().find(|p| p.code == code)
    }
    /// Index of term `name`.
    pub fn term_index(&self, name: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.name == name)
    }
}

/// One line of the explain view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermExplanation {
    pub term: String,
    pub description: String,
    pub raw_value: Option<f64>,
    pub normalised: Option<f64>,
    pub weight: f64,
    /// Points of the 0..100 score this term gives: `100 × weight × normalised / Σ weights`;
    /// the contributions add up to the score.
    pub contribution: f64,
    /// The precinct's rank on this term alone.
    pub rank: Option<usize>,
}

/// The explanation of precinct `code`'s score, one line per term; `None` when it is not scored.
pub fn explain(result: &ScoreResult, code: &str) -> Option<Vec<TermExplanation>> {
    let p = result.precinct(code)?;
    let weight_sum: f64 = result
        .terms
        .iter()
        .zip(&p.terms)
        .filter(|(_, v)| v.normalised.is_some())
        .map(|(t, _)| t.weight)
        .sum();
    Some(
        result
            .terms
            .iter()
            .zip(&p.terms)
            .map(|(t, v)| TermExplanation {
                term: t.name.clone(),
                description: t.description.clone(),
                raw_value: v.raw,
                normalised: v.normalised,
                weight: t.weight,
                contribution: match v.normalised {
                    Some(n) if weight_sum > 0.0 => 100.0 * t.weight * n / weight_sum,
                    _ => 0.0,
                },
                rank: v.rank,
            })
            .collect(),
    )
}

/// Votes and shares of a precinct for the resolved blocs.
struct PrecinctVotes {
    abstentions: f64,
    valid: f64,
    ours: f64,
    near: f64,
    rival: f64,
}

/// Valid votes: the file's `valid` (exprimés), else the sum of the candidates' votes.
fn valid_votes(p: &PrecinctResult) -> Option<i64> {
    p.turnout.valid.or_else(|| {
        p.votes
            .iter()
            .any(Option::is_some)
            .then(|| p.candidate_total())
    })
}

fn bloc_votes(p: &PrecinctResult, blocs: &[ResolvedBloc], role: BlocRole) -> i64 {
    blocs
        .iter()
        .filter(|b| b.role == role)
        .flat_map(|b| b.candidates.iter())
        .filter_map(|&c| p.votes.get(c).copied().flatten())
        .sum()
}

fn precinct_votes(p: &PrecinctResult, blocs: &[ResolvedBloc]) -> Result<PrecinctVotes, String> {
    let abstentions = p
        .turnout
        .abstentions()
        .ok_or("no registered voters or ballots cast (abstentions unknown)")?;
    if !p.votes.iter().any(Option::is_some) {
        return Err("no candidate votes".into());
    }
    let valid = valid_votes(p).unwrap_or(0);
    if valid <= 0 {
        return Err("no valid votes".into());
    }
    Ok(PrecinctVotes {
        abstentions: abstentions.max(0) as f64,
        valid: valid as f64,
        ours: bloc_votes(p, blocs, BlocRole::Ours) as f64,
        near: bloc_votes(p, blocs, BlocRole::Near) as f64,
        rival: bloc_votes(p, blocs, BlocRole::Rival) as f64,
    })
}

/// Share (percent of valid votes) of the `Ours` bloc in a precinct, when computable.
pub fn ours_share_pct(p: &PrecinctResult, blocs: &[ResolvedBloc]) -> Option<f64> {
    let valid = valid_votes(p)?;
    (valid > 0 && p.votes.iter().any(Option::is_some))
        .then(|| 100.0 * bloc_votes(p, blocs, BlocRole::Ours) as f64 / valid as f64)
}

fn summaries(e: &ElectionResults, blocs: &[ResolvedBloc]) -> Vec<BlocSummary> {
    blocs
        .iter()
        .map(|b| BlocSummary {
            election: e.name.clone(),
            name: b.name.clone(),
            role: b.role,
            candidates: b
                .candidates
                .iter()
                .map(|&c| e.candidates[c].label.clone())
                .collect(),
            unmatched_members: b.unmatched_members.clone(),
        })
        .collect()
}

fn check_ours(e: &ElectionResults, blocs: &[ResolvedBloc]) -> ModelResult<()> {
    let ours = blocs.iter().filter(|b| b.role == BlocRole::Ours).count();
    if ours != 1 {
        return Err(ModelError::Invalid(format!(
            "election \"{}\" needs exactly one bloc with role \"ours\" (our camp), found {ours}",
            e.name
        )));
    }
    Ok(())
}

/// Normalises the values present, oriented so 1 = most priority.
fn normalise(
    values: &[Option<f64>],
    how: Normalisation,
    higher_is_priority: bool,
) -> Vec<Option<f64>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let mut out: Vec<Option<f64>> = match how {
        Normalisation::MinMax => {
            let min = present.iter().copied().fold(f64::INFINITY, f64::min);
            let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let range = max - min;
            values
                .iter()
                .map(|v| v.map(|x| if range > 0.0 { (x - min) / range } else { 0.0 }))
                .collect()
        }
        Normalisation::Rank => {
            let mut sorted = present.clone();
            sorted.sort_by(f64::total_cmp);
            let m = sorted.len();
            values
                .iter()
                .map(|v| {
                    v.map(|x| {
                        if m < 2 {
                            return 0.0;
                        }
                        // Average 1-based rank of the ties of x.
                        let lo = sorted.partition_point(|&y| y < x);
                        let hi = sorted.partition_point(|&y| y <= x);
                        let avg_rank = (lo + 1 + hi) as f64 / 2.0;
                        (avg_rank - 1.0) / (m - 1) as f64
                    })
                })
                .collect()
        }
    };
    let constant = present
        .iter()
        .all(|&x| present.first().is_none_or(|&f| x == f));
    if !higher_is_priority && !constant {
        for v in out.iter_mut().flatten() {
            *v = 1.0 - *v;
        }
    }
    out
}

/// Competition ranks (1 = highest) of `values` (None = unranked).
fn ranks_desc(values: &[Option<f64>]) -> Vec<Option<usize>> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    values
        .iter()
        .map(|v| v.map(|x| sorted.partition_point(|&y| y > x) + 1))
        .collect()
}

/// Scores every precinct. See the README's "Priority model" for the formulas.
pub fn score_precincts(inputs: &ScoreInputs<'_>) -> ModelResult<ScoreResult> {
    let settings = inputs.settings;
    if let Some((name, w)) = settings
        .weights
        .iter()
        .find(|(_, w)| !w.is_finite() || **w < 0.0)
    {
        return Err(ModelError::Invalid(format!(
            "weight of \"{name}\" is {w}: weights are numbers ≥ 0"
        )));
    }
    let current = inputs.current;
    let blocs = resolve_blocs(current, inputs.current_blocs)?;
    check_ours(current, &blocs)?;
    let mut warnings = Vec::new();
    let mut bloc_summaries = summaries(current, &blocs);
    for b in &blocs {
        if !b.unmatched_members.is_empty() {
            warnings.push(format!(
                "bloc \"{}\": no candidate of \"{}\" matches {}",
                b.name,
                current.name,
                b.unmatched_members.join(", ")
            ));
        }
    }
    let previous = match inputs.previous {
        Some((e, pblocs)) => {
            let resolved = resolve_blocs(e, pblocs)?;
            check_ours(e, &resolved)?;
            bloc_summaries.extend(summaries(e, &resolved));
            Some((e, resolved))
        }
        None => None,
    };

    // Which terms apply.
    let has_role = |r: BlocRole| blocs.iter().any(|b| b.role == r);
    let mut terms: Vec<TermInfo> = Vec::new();
    let mut add_term = |name: String, description: String, higher: bool| {
        let weight = settings.weight(&name);
        terms.push(TermInfo {
            name,
            description,
            weight,
            higher_is_priority: higher,
            raw_min: None,
            raw_max: None,
            precincts_with_value: 0,
        });
    };
    add_term(
        MOBILISATION.into(),
        "abstentions × our share of valid votes (likely supporters who stayed home)".into(),
        true,
    );
    if has_role(BlocRole::Near) {
        add_term(
            PERSUASION.into(),
            "votes of the near blocs (persuadable voters)".into(),
            true,
        );
    }
    if let Some((e, _)) = &previous {
        add_term(
            SWING.into(),
            format!(
                "points of our share lost since \"{}\" (previous share % − current share %)",
                e.name
            ),
            true,
        );
    }
    if has_role(BlocRole::Rival) {
        add_term(
            RIVAL.into(),
            "rival blocs' share of valid votes, % (high = harder ground, lowers priority)".into(),
            false,
        );
    }
    for o in inputs.overlays {
        add_term(
            format!("{OVERLAY_PREFIX}{}", o.name),
            format!(
                "{} from the overlay layer, interpolated to the precinct{}",
                o.name,
                if o.higher_is_priority {
                    ""
                } else {
                    " (low = priority)"
                }
            ),
            o.higher_is_priority,
        );
    }
    for name in settings.weights.keys() {
        if !terms.iter().any(|t| &t.name == name) {
            let known: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
            warnings.push(format!(
                "weight for \"{name}\" ignored: this score has no such term (terms: {})",
                known.join(", ")
            ));
        }
    }
    if terms.iter().all(|t| t.weight == 0.0) {
        return Err(ModelError::Invalid(
            "every term has weight 0: give at least one a positive weight".into(),
        ));
    }

    // Raw values of every precinct.
    let mut codes: Vec<&String> = inputs.precinct_codes.iter().collect();
    codes.sort();
    codes.dedup();
    let mut scored_codes: Vec<&str> = Vec::new();
    let mut raws: Vec<Vec<Option<f64>>> = vec![Vec::new(); terms.len()];
    let mut unscored = Vec::new();
    for code in &codes {
        let Some(p) = current.precinct(code) else {
            unscored.push(Unscored {
                code: code.to_string(),
                reason: format!("no results in \"{}\"", current.name),
            });
            continue;
        };
        let v = match precinct_votes(p, &blocs) {
            Ok(v) => v,
            Err(reason) => {
                unscored.push(Unscored {
                    code: code.to_string(),
                    reason: format!("{reason} in \"{}\"", current.name),
                });
                continue;
            }
        };
        scored_codes.push(code);
        for (t, column) in terms.iter().zip(raws.iter_mut()) {
            let raw = match t.name.as_str() {
                MOBILISATION => Some(v.abstentions * v.ours / v.valid),
                PERSUASION => Some(v.near),
                RIVAL => Some(100.0 * v.rival / v.valid),
                SWING => previous.as_ref().and_then(|(e, pb)| {
                    let before = ours_share_pct(e.precinct(code)?, pb)?;
                    Some(before - 100.0 * v.ours / v.valid)
                }),
                name => inputs
                    .overlays
                    .iter()
                    .find(|o| name.strip_prefix(OVERLAY_PREFIX) == Some(o.name.as_str()))
                    .and_then(|o| o.values.get(code.as_str()).copied())
                    .filter(|x| x.is_finite()),
            };
            column.push(raw);
        }
    }
    let code_set: std::collections::HashSet<&str> = codes.iter().map(|c| c.as_str()).collect();
    let results_without_precinct = current
        .precincts
        .iter()
        .filter(|p| !code_set.contains(p.precinct_code.as_str()))
        .count();

    // Normalise and rank each term.
    let mut normalised: Vec<Vec<Option<f64>>> = Vec::with_capacity(terms.len());
    let mut term_ranks: Vec<Vec<Option<usize>>> = Vec::with_capacity(terms.len());
    for (t, column) in terms.iter_mut().zip(&raws) {
        let present = column.iter().flatten();
        t.raw_min = present.clone().copied().reduce(f64::min);
        t.raw_max = present.clone().copied().reduce(f64::max);
        t.precincts_with_value = present.count();
        let n = normalise(column, settings.normalisation, t.higher_is_priority);
        term_ranks.push(ranks_desc(&n));
        normalised.push(n);
    }
    for t in &terms {
        if t.precincts_with_value == 0 {
            warnings.push(format!("no precinct has a value for term \"{}\"", t.name));
        }
    }

    // Combine.
    let mut scored: Vec<PrecinctScore> = Vec::with_capacity(scored_codes.len());
    for (i, code) in scored_codes.iter().enumerate() {
        let mut num = 0.0;
        let mut den = 0.0;
        let mut missing_terms = Vec::new();
        let values: Vec<TermValue> = terms
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let n = normalised[k][i];
                match n {
                    Some(n) => {
                        num += t.weight * n;
                        den += t.weight;
                    }
                    None => missing_terms.push(t.name.clone()),
                }
                TermValue {
                    raw: raws[k][i],
                    normalised: n,
                    rank: term_ranks[k][i],
                }
            })
            .collect();
        if den <= 0.0 {
            unscored.push(Unscored {
                code: code.to_string(),
                reason: format!(
                    "no value for any weighted term (missing: {})",
                    missing_terms.join(", ")
                ),
            });
            continue;
        }
        scored.push(PrecinctScore {
            code: code.to_string(),
            terms: values,
            score: 100.0 * num / den,
            rank: 0,
            class: 0,
            missing_terms,
        });
    }
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.code.cmp(&b.code))
    });
    let n = scored.len();
    let mut rank = 1;
    for i in 0..n {
        if i > 0 && scored[i].score < scored[i - 1].score {
            rank = i + 1;
        }
        scored[i].rank = rank;
        scored[i].class = (1 + (PRIORITY_CLASSES * (rank - 1)) / n) as u8;
    }
    unscored.sort_by(|a, b| a.code.cmp(&b.code));
    let missing_somewhere: BTreeMap<&str, usize> = scored
        .iter()
        .flat_map(|p| p.missing_terms.iter())
        .fold(BTreeMap::new(), |mut m, t| {
            *m.entry(t.as_str()).or_default() += 1;
            m
        });
    for (t, count) in missing_somewhere {
        warnings.push(format!(
            "{count} scored precinct(s) have no value for \"{t}\"; their score uses the other terms"
        ));
    }
    Ok(ScoreResult {
        election: current.name.clone(),
        previous: previous.as_ref().map(|(e, _)| e.name.clone()),
        normalisation: settings.normalisation,
        blocs: bloc_summaries,
        terms,
        precincts: scored,
        unscored,
        results_without_precinct,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::election::{Candidate, Turnout};

    fn cand(l: &str, p: &str) -> Candidate {
        Candidate {
            label: l.into(),
            party: Some(p.into()),
        }
    }

    fn pr(code: &str, reg: i64, voters: i64, valid: i64, votes: &[i64]) -> PrecinctResult {
        PrecinctResult {
            precinct_code: code.into(),
            turnout: Turnout {
                registered: Some(reg),
                voters: Some(voters),
                blank: None,
                null: None,
                valid: Some(valid),
            },
            votes: votes.iter().map(|v| Some(*v)).collect(),
        }
    }

    /// Three precincts, candidates A (ours), B (near), C (rival).
    fn election() -> ElectionResults {
        ElectionResults {
            name: "e".into(),
            source_file: None,
            imported_at: None,
            candidates: vec![cand("A", "FI"), cand("B", "SOC"), cand("C", "RN")],
            precincts: vec![
                pr("1", 1000, 600, 600, &[300, 200, 100]),
                pr("2", 800, 600, 500, &[100, 100, 300]),
                pr("3", 500, 200, 200, &[50, 100, 50]),
            ],
        }
    }

    fn blocs() -> Vec<Bloc> {
        vec![
            Bloc::new("nous", BlocRole::Ours, &["A"]),
            Bloc::new("proches", BlocRole::Near, &["B"]),
            Bloc::new("adversaires", BlocRole::Rival, &["C"]),
        ]
    }

    #[test]
    fn three_precincts_by_hand() {
        // mobilisation = abstentions × ours / valid:
        //   1: 400 × 300/600 = 200;  2: 200 × 100/500 = 40;  3: 300 × 50/200 = 75
        //   min-max: 1 → 1, 2 → 0, 3 → (75 − 40)/160 = 0.21875
        // persuasion = near votes: 200, 100, 100 → 1, 0, 0
        // rival share %: 16.667, 60, 25 → scaled 0, 1, 0.19231 → inverted 1, 0, 0.80769
        // weights 1, 0.5, 0.25 (Σ 1.75):
        //   1: (1 + 0.5 + 0.25)/1.75 = 1 → 100
        //   2: 0 → 0
        //   3: (0.21875 + 0 + 0.25 × 0.807692)/1.75 = 0.42067/1.75 = 0.240385 → 24.04
        let e = election();
        let codes: Vec<String> = ["1", "2", "3", "4"].iter().map(|s| s.to_string()).collect();
        let settings = ScoreSettings::default();
        let r = score_precincts(&ScoreInputs {
            precinct_codes: &codes,
            current: &e,
            current_blocs: &blocs(),
            previous: None,
            overlays: &[],
            settings: &settings,
        })
        .unwrap();
        let names: Vec<&str> = r.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, [MOBILISATION, PERSUASION, RIVAL]);
        let order: Vec<(&str, usize, u8)> = r
            .precincts
            .iter()
            .map(|p| (p.code.as_str(), p.rank, p.class))
            .collect();
        assert_eq!(order, [("1", 1, 1), ("3", 2, 2), ("2", 3, 4)]);
        let s = |c: &str| r.precinct(c).unwrap().score;
        assert!((s("1") - 100.0).abs() < 1e-9);
        assert!(s("2").abs() < 1e-9);
        let expected3 =
            100.0 * (0.21875 + 0.25 * (1.0 - (25.0 - 50.0 / 3.0) / (60.0 - 50.0 / 3.0))) / 1.75;
        assert!(
            (s("3") - expected3).abs() < 1e-9,
            "{} vs {expected3}",
            s("3")
        );
        assert!((s("3") - 24.0385).abs() < 1e-3);
        assert_eq!(
            r.unscored,
            vec![Unscored {
                code: "4".into(),
                reason: "no results in \"e\"".into()
            }]
        );
        let ex = explain(&r, "3").unwrap();
        assert_eq!(ex[0].raw_value, Some(75.0));
        assert_eq!(ex[0].rank, Some(2));
        assert_eq!(ex[1].rank, Some(2), "tie with precinct 2 on persuasion");
        let total: f64 = ex.iter().map(|t| t.contribution).sum();
        assert!((total - s("3")).abs() < 1e-9);
        assert!(explain(&r, "4").is_none());
    }

    #[test]
    fn swing_rank_normalisation_and_missing_terms() {
        let e = election();
        let mut before = election();
        before.name = "before".into();
        // Ours had 50 % in precinct 2 before (now 20 %): lost 30 points; precinct 3 absent.
        before.precincts = vec![
            pr("1", 1000, 600, 600, &[300, 200, 100]),
            pr("2", 800, 600, 500, &[250, 100, 150]),
        ];
        let codes: Vec<String> = ["1", "2", "3"].iter().map(|s| s.to_string()).collect();
        let only_ours = vec![Bloc::new("nous", BlocRole::Ours, &["FI"])];
        let settings = ScoreSettings {
            normalisation: Normalisation::Rank,
            weights: parse_weights("mobilisation=1, swing=1").unwrap(),
            ..Default::default()
        };
        let r = score_precincts(&ScoreInputs {
            precinct_codes: &codes,
            current: &e,
            current_blocs: &only_ours,
            previous: Some((&before, &only_ours)),
            overlays: &[],
            settings: &settings,
        })
        .unwrap();
        let swing = r.term_index(SWING).unwrap();
        let p2 = r.precinct("2").unwrap();
        assert!((p2.terms[swing].raw.unwrap() - 30.0).abs() < 1e-9);
        assert_eq!(p2.terms[swing].normalised, Some(1.0));
        // Rank normalisation of mobilisation 200, 40, 75 → 1, 0, 0.5.
        assert_eq!(r.precinct("3").unwrap().terms[0].normalised, Some(0.5));
        // Precinct 3 has no previous result: scored on mobilisation alone, and says so.
        let p3 = r.precinct("3").unwrap();
        assert_eq!(p3.missing_terms, vec![SWING.to_string()]);
        assert!((p3.score - 50.0).abs() < 1e-9);
        // 1: (1 + 0)/2 = 50 (swing 0 → rank-normalised 0); 2: (0 + 1)/2 = 50: ties share rank 1.
        assert_eq!(r.precinct("1").unwrap().rank, 1);
        assert_eq!(r.precinct("2").unwrap().rank, 1);
        assert!(r.warnings.iter().any(|w| w.contains("\"swing\"")));
    }

    #[test]
    fn bad_settings_are_refused() {
        let e = election();
        let codes = vec!["1".to_string()];
        let run = |blocs: &[Bloc], settings: &ScoreSettings| {
            score_precincts(&ScoreInputs {
                precinct_codes: &codes,
                current: &e,
                current_blocs: blocs,
                previous: None,
                overlays: &[],
                settings,
            })
        };
        let near_only = vec![Bloc::new("x", BlocRole::Near, &["A"])];
        assert!(
            run(&near_only, &ScoreSettings::default())
                .unwrap_err()
                .to_string()
                .contains("exactly one bloc")
        );
        let neg = ScoreSettings {
            weights: parse_weights("mobilisation=-1").unwrap(),
            ..Default::default()
        };
        assert!(run(&blocs(), &neg).is_err());
        let zero = ScoreSettings {
            weights: parse_weights("mobilisation=0,persuasion=0,rival=0").unwrap(),
            ..Default::default()
        };
        assert!(run(&blocs(), &zero).is_err());
        assert!(parse_weights("mobilisation").is_err());
    }

    #[test]
    fn sixty_nine_thousand_precincts_score_quickly() {
        let n = 69_000;
        let e = ElectionResults {
            name: "big".into(),
            source_file: None,
            imported_at: None,
            candidates: vec![cand("A", "FI"), cand("B", "SOC"), cand("C", "RN")],
            precincts: (0..n)
                .map(|i| {
                    let reg = 500 + (i * 37 % 900) as i64;
                    let voters = reg * (40 + (i * 13 % 50) as i64) / 100;
                    let a = voters * (10 + (i * 7 % 30) as i64) / 100;
                    let b = voters * (5 + (i * 11 % 20) as i64) / 100;
                    pr(
                        &format!("{i:06}"),
                        reg,
                        voters,
                        voters,
                        &[a, b, voters - a - b],
                    )
                })
                .collect(),
        };
        let codes: Vec<String> = e
            .precincts
            .iter()
            .map(|p| p.precinct_code.clone())
            .collect();
        let mut before = e.clone();
        before.name = "before".into();
        let settings = ScoreSettings::default();
        let t = std::time::Instant::now();
        let r = score_precincts(&ScoreInputs {
            precinct_codes: &codes,
            current: &e,
            current_blocs: &blocs(),
            previous: Some((&before, &blocs())),
            overlays: &[],
            settings: &settings,
        })
        .unwrap();
        let secs = t.elapsed().as_secs_f64();
        eprintln!("scored {n} precincts in {secs:.3} s");
        assert_eq!(r.precincts.len(), n);
        assert!(r.unscored.is_empty());
        let per_class = (1..=5u8)
            .map(|c| r.precincts.iter().filter(|p| p.class == c).count())
            .collect::<Vec<_>>();
        assert!(per_class.iter().all(|&k| k > n / 10), "{per_class:?}");
        assert!(secs < 5.0, "{secs} s");
    }
}
