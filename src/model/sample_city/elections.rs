//! Two first rounds for the sample city (municipales 2020, présidentielle 2022) with turnout and
//! vote shares drawn from smooth fields over the town, so neighbouring precincts vote alike and the
//! political blocs are consistent across the two elections. All candidates are fictional.

use super::town::Town;
use super::{Rng, fbm};

const SEED: u64 = 0xE1EC_2020;
/// Political blocs: gauche, écologistes, centre, droite, extrême droite.
pub(crate) const BLOCS: [&str; 5] = [
    "gauche",
    "écologistes",
    "centre",
    "droite",
    "extrême droite",
];

pub(crate) struct Candidate {
    pub panneau: u32,
    pub nom: &'static str,
    pub prenom: &'static str,
    pub nuance: &'static str,
    bloc: usize,
    weight_in_bloc: f64,
}

pub(crate) struct PrecinctResult {
    pub code_bureau: String,
    pub inscrits: u32,
    pub votants: u32,
    pub abstentions: u32,
    pub blancs: u32,
    pub nuls: u32,
    pub exprimes: u32,
    /// One per candidate, in panneau order.
    pub voix: Vec<u32>,
}

pub(crate) struct Election {
    pub id: &'static str,
    pub label: &'static str,
    pub candidates: Vec<Candidate>,
    pub results: Vec<PrecinctResult>,
}

impl Election {
    pub(crate) fn totals(&self) -> (u32, u32, u32) {
        let s = |f: fn(&PrecinctResult) -> u32| self.results.iter().map(f).sum::<u32>();
        (s(|r| r.inscrits), s(|r| r.votants), s(|r| r.exprimes))
    }
}

fn cand(
    panneau: u32,
    nom: &'static str,
    prenom: &'static str,
    nuance: &'static str,
    bloc: usize,
    w: f64,
) -> Candidate {
    Candidate {
        panneau,
        nom,
        prenom,
        nuance,
        bloc,
        weight_in_bloc: w,
    }
}

/// Smooth sociology of a place (metres from the centre).
struct Place {
    urban: f64,
    wealth: f64,
    estate: f64,
    age: f64,
}

fn place(x: f64, y: f64) -> Place {
    let r = (x * x + y * y).sqrt() / 2300.0;
    let urban = (1.0 - r).clamp(0.0, 1.0);
    let wealth =
        (0.5 + 0.35 * fbm(SEED ^ 1, x / 1800.0, y / 1800.0) - 0.2 * x / 2300.0).clamp(0.0, 1.0);
    // The "Les Tilleuls" housing estate, east of the centre.
    let d2 = ((x - 1500.0).powi(2) + (y + 150.0).powi(2)) / (700.0 * 700.0);
    let estate = 1.0 / ((1.0 + d2) * (1.0 + d2));
    let age = (0.5 + 0.5 * fbm(SEED ^ 2, x / 1500.0, y / 1500.0)).clamp(0.0, 1.0);
    Place {
        urban,
        wealth,
        estate,
        age,
    }
}

/// Largest-remainder split of `total` by `weights`.
fn apportion(total: u32, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut rest = total - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &k in order.iter().cycle() {
        if rest == 0 {
            break;
        }
        out[k] += 1;
        rest -= 1;
    }
    out
}

pub(crate) fn build(town: &Town) -> Vec<Election> {
    let municipales = vec![
        cand(1, "ROUSSEL", "Martine", "LEXG", 0, 0.10),
        cand(2, "BENALI", "Nadia", "LUG", 0, 0.90),
        cand(3, "VASSEUR", "Thomas", "LECO", 1, 1.0),
        cand(4, "MARCHETTI", "Hélène", "LDVC", 2, 1.0),
        cand(5, "DELORME", "Jean-Marc", "LDVD", 3, 1.0),
        cand(6, "MOREAU", "Sébastien", "LRN", 4, 1.0),
    ];
    let presidentielle = vec![
        cand(1, "ARNAUD", "Claire", "EXG", 0, 0.07),
        cand(2, "DUCHÊNE", "Marc", "FI", 0, 0.68),
        cand(3, "LAGARDE", "Isabelle", "SOC", 0, 0.25),
        cand(4, "FONTAINE", "Julien", "ECO", 1, 1.0),
        cand(5, "VERNIER", "Laurent", "ENS", 2, 1.0),
        cand(6, "SAINT-CLAIR", "Valérie", "LR", 3, 1.0),
        cand(7, "MARCHAL", "Sandrine", "RN", 4, 0.78),
        cand(8, "BRÉMOND", "Philippe", "REC", 4, 0.22),
    ];
    // Per-precinct bloc leanings, shared by both elections.
    let mut rng = Rng::derived(SEED, 1);
    let leanings: Vec<([f64; 5], Place, f64)> = town
        .precincts
        .iter()
        .map(|p| {
            let [x, y] = p.centroid_local_m;
            let pl = place(x, y);
            let (u, w, e, a) = (pl.urban, pl.wealth, pl.estate, pl.age);
            let mut b = [
                0.20 + 0.10 * (1.0 - w) + 0.16 * e + 0.05 * u,
                0.07 + 0.10 * u + 0.04 * w * u,
                0.20 + 0.10 * w + 0.03 * u,
                0.10 + 0.16 * w + 0.06 * a - 0.03 * u,
                0.13 + 0.12 * (1.0 - u) + 0.09 * e + 0.05 * (1.0 - w),
            ];
            for v in &mut b {
                *v *= 1.0 + 0.06 * rng.gauss();
                *v = v.max(0.01);
            }
            (b, pl, rng.gauss())
        })
        .collect();
    let mut elections = Vec::new();
    for (k, (id, label, candidates, multipliers)) in [
        (
            "municipales-2020-1",
            "Municipales 2020, 1er tour",
            municipales,
            [1.0, 1.15, 0.8, 1.5, 0.7],
        ),
        (
            "presidentielle-2022-1",
            "Présidentielle 2022, 1er tour",
            presidentielle,
            [1.0, 0.5, 1.3, 0.6, 1.3],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut rng = Rng::derived(SEED, 10 + k as u64);
        let results = town
            .precincts
            .iter()
            .zip(&leanings)
            .map(|(p, (blocs, pl, g))| {
                let registered_per_door = 1.5 + 0.5 * pl.urban;
                let base = (p.doors as f64 * registered_per_door * (1.0 + 0.04 * g)).max(80.0);
                let inscrits_f = if k == 0 {
                    base.round()
                } else {
                    (base * (1.02 + 0.015 * rng.gauss())).round()
                };
                let inscrits = inscrits_f as u32;
                let turnout = if k == 0 {
                    0.43 + 0.10 * pl.wealth - 0.12 * pl.estate + 0.05 * pl.age - 0.03 * pl.urban
                        + 0.012 * rng.gauss()
                } else {
                    0.74 + 0.08 * pl.wealth - 0.13 * pl.estate + 0.04 * pl.age + 0.01 * rng.gauss()
                };
                let votants = (inscrits as f64 * turnout.clamp(0.2, 0.95)).round() as u32;
                let blancs = (votants as f64
                    * (if k == 0 { 0.010 } else { 0.016 } + 0.006 * rng.unit()))
                .round() as u32;
                let nuls = (votants as f64 * (0.005 + 0.006 * rng.unit())).round() as u32;
                let exprimes = votants - blancs - nuls;
                let weights: Vec<f64> = candidates
                    .iter()
                    .map(|c| {
                        blocs[c.bloc]
                            * multipliers[c.bloc]
                            * c.weight_in_bloc
                            * (1.0 + 0.05 * rng.gauss()).max(0.5)
                    })
                    .collect();
                PrecinctResult {
                    code_bureau: format!("{:04}", p.num),
                    inscrits,
                    votants,
                    abstentions: inscrits - votants,
                    blancs,
                    nuls,
                    exprimes,
                    voix: apportion(exprimes, &weights),
                }
            })
            .collect();
        elections.push(Election {
            id,
            label,
            candidates,
            results,
        });
    }
    elections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_adds_up() {
        let v = apportion(1001, &[0.2, 0.3, 0.5, 0.001]);
        assert_eq!(v.iter().sum::<u32>(), 1001);
        assert_eq!(apportion(0, &[1.0, 2.0]), vec![0, 0]);
    }
}
