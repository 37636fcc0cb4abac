//! Blocs: named sets of candidates (by label or party/nuance code) of one election, each with a
//! role in the priority model (our camp, a near bloc to persuade, a rival), their resolution to
//! candidates, and a nuance-based suggestion to start from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::election::ElectionResults;
use crate::model::error::{ModelError, ModelResult};

/// What a bloc is to the campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlocRole {
    /// Our camp: its voters are the ones to mobilise.
    Ours,
    /// A near bloc: its voters are persuadable.
    Near,
    /// A rival bloc: where it dominates, the ground is harder.
    Rival,
    /// Defined (e.g. suggested) but not used by the score.
    Other,
}

impl BlocRole {
    pub fn as_str(self) -> &'static str {
        match self {
            BlocRole::Ours => "ours",
            BlocRole::Near => "near",
            BlocRole::Rival => "rival",
            BlocRole::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<BlocRole> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ours" | "our" | "camp" => Some(BlocRole::Ours),
            "near" | "persuadable" => Some(BlocRole::Near),
            "rival" => Some(BlocRole::Rival),
            "other" | "" => Some(BlocRole::Other),
            _ => None,
        }
    }
}

/// A named set of candidates of one election. A member matches a candidate whose label or party
/// (nuance) code equals it, ignoring case and surrounding spaces, so `"FI"` takes every FI
/// candidate and `"HAMON Benoît"` one candidate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bloc {
    pub name: String,
    pub role: BlocRole,
    /// Candidate labels or party codes, sorted.
    pub members: Vec<String>,
}

impl Bloc {
    pub fn new(name: &str, role: BlocRole, members: &[&str]) -> Bloc {
        let mut members: Vec<String> = members.iter().map(|m| m.trim().to_string()).collect();
        members.sort();
        members.dedup();
        Bloc {
            name: name.trim().to_string(),
            role,
            members,
        }
    }
}

/// Parses `"gauche=MÉLENCHON Jean-Luc,HAMON Benoît"` (members separated by `,` or `;`) into a
/// bloc with role [`BlocRole::Other`]; roles are given separately.
pub fn parse_bloc_spec(spec: &str) -> ModelResult<Bloc> {
    let (name, members) = spec.split_once('=').ok_or_else(|| {
        ModelError::Invalid(format!(
            "bloc \"{spec}\": expected NAME=MEMBER,MEMBER (candidate labels or party codes)"
        ))
    })?;
    let members: Vec<&str> = members
        .split([',', ';'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    if name.trim().is_empty() || members.is_empty() {
        return Err(ModelError::Invalid(format!(
            "bloc \"{spec}\": needs a name and at least one member"
        )));
    }
    Ok(Bloc::new(name, BlocRole::Other, &members))
}

/// A bloc resolved against one election: the candidate indices it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedBloc {
    pub name: String,
    pub role: BlocRole,
    /// Indices into [`ElectionResults::candidates`], ascending.
    pub candidates: Vec<usize>,
    /// Members that matched no candidate of the election.
    pub unmatched_members: Vec<String>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Resolves blocs against an election. Fails when a candidate falls in two blocs (its votes
/// would count twice) or a bloc matches no candidate at all; members that match nothing are
/// reported in [`ResolvedBloc::unmatched_members`].
pub fn resolve_blocs(e: &ElectionResults, blocs: &[Bloc]) -> ModelResult<Vec<ResolvedBloc>> {
    let mut owner: BTreeMap<usize, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for b in blocs {
        let mut candidates = Vec::new();
        let mut unmatched_members = Vec::new();
        for m in &b.members {
            let m_n = norm(m);
            let hits: Vec<usize> = e
                .candidates
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    norm(&c.label) == m_n || c.party.as_deref().is_some_and(|p| norm(p) == m_n)
                })
                .map(|(i, _)| i)
                .collect();
            if hits.is_empty() {
                unmatched_members.push(m.clone());
            }
            candidates.extend(hits);
        }
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.is_empty() {
            return Err(ModelError::Invalid(format!(
                "bloc \"{}\" matches no candidate of election \"{}\" (members: {}); {}",
                b.name,
                e.name,
                b.members.join(", "),
                candidate_listing(e)
            )));
        }
        for &c in &candidates {
            if let Some(other) = owner.insert(c, &b.name)
                && other != b.name
            {
                return Err(ModelError::Invalid(format!(
                    "candidate \"{}\" is in two blocs, \"{other}\" and \"{}\"; a candidate can only count for one",
                    e.candidates[c].label, b.name
                )));
            }
        }
        out.push(ResolvedBloc {
            name: b.name.clone(),
            role: b.role,
            candidates,
            unmatched_members,
        });
    }
    Ok(out)
}

/// "candidates of X: A (FI), B (SOC), ..." for error messages.
pub fn candidate_listing(e: &ElectionResults) -> String {
    let list: Vec<String> = e
        .candidates
        .iter()
        .map(|c| match &c.party {
            Some(p) => format!("{} ({p})", c.label),
            None => c.label.clone(),
        })
        .collect();
    format!("candidates of \"{}\": {}", e.name, list.join(", "))
}

/// Political families of Ministère de l'Intérieur nuance codes (présidentielles, législatives,
/// municipales lists with their `L` prefix), used only to *suggest* blocs. Écologistes are
/// counted with the left, as the Ministère's own left/right aggregates do.
const FAMILIES: &[(&str, &[&str])] = &[
    ("extrême gauche", &["EXG", "LO", "NPA"]),
    (
        "gauche",
        &[
            "COM", "PCF", "FI", "LFI", "SOC", "PS", "RDG", "DVG", "UG", "UGE", "NUP", "NUPES",
            "UDG", "UGA", "ECO", "VEC", "EELV", "LUG", "LUGE",
        ],
    ),
    (
        "centre",
        &[
            "REM", "LREM", "ENS", "MDM", "MODEM", "UDI", "DVC", "HOR", "UC", "UCE", "CEN",
        ],
    ),
    (
        "droite",
        &["LR", "UMP", "DVD", "DLF", "DSV", "UD", "UDC", "UDR", "CPNT"],
    ),
    ("extrême droite", &["FN", "RN", "EXD", "REC", "UXD", "MNR"]),
    ("divers", &["DIV", "REG", "AUT", "DIVERS"]),
];

/// The family of a nuance code, trying `LFI`-style municipal list codes without their `L`.
pub fn nuance_family(party: &str) -> Option<&'static str> {
    let p = party.trim().to_ascii_uppercase();
    let find = |code: &str| {
        FAMILIES
            .iter()
            .find(|(_, codes)| codes.contains(&code))
            .map(|(f, _)| *f)
    };
    find(&p).or_else(|| p.strip_prefix('L').and_then(find))
}

/// Suggested blocs for an election: its candidates grouped by the political family of their
/// nuance code (role [`BlocRole::Other`]: the user chooses which is ours), members being the
/// candidate labels; candidates with no or an unknown nuance are left out and listed. Families
/// are in left-to-right order.
pub fn suggest_blocs(e: &ElectionResults) -> (Vec<Bloc>, Vec<String>) {
    let mut by_family: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let mut left_out = Vec::new();
    for c in &e.candidates {
        let family = c.party.as_deref().and_then(nuance_family);
        match family.and_then(|f| FAMILIES.iter().position(|(n, _)| *n == f)) {
            Some(i) => by_family.entry(i).or_default().push(&c.label),
            None => left_out.push(c.label.clone()),
        }
    }
    left_out.sort();
    let blocs = by_family
        .into_iter()
        .map(|(i, labels)| Bloc::new(FAMILIES[i].0, BlocRole::Other, &labels))
        .collect();
    (blocs, left_out)
}

/// Sets the role of the bloc named `name` (exact, then case-insensitive).
pub fn set_role(blocs: &mut [Bloc], name: &str, role: BlocRole) -> ModelResult<()> {
    let i = blocs
        .iter()
        .position(|b| b.name == name)
        .or_else(|| {
            blocs
                .iter()
                .position(|b| b.name.to_lowercase() == name.trim().to_lowercase())
        })
        .ok_or_else(|| {
            let names: Vec<&str> = blocs.iter().map(|b| b.name.as_str()).collect();
            ModelError::Invalid(format!(
                "no bloc named \"{name}\" (blocs: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })?;
    blocs[i].role = role;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::election::Candidate;

    fn election() -> ElectionResults {
        let c = |l: &str, p: &str| Candidate {
            label: l.into(),
            party: Some(p.into()),
        };
        ElectionResults {
            name: "p".into(),
            source_file: None,
            imported_at: None,
            candidates: vec![
                c("MÉLENCHON Jean-Luc", "FI"),
                c("HAMON Benoît", "SOC"),
                c("MACRON Emmanuel", "REM"),
                c("LE PEN Marine", "FN"),
                c("CHEMINADE Jacques", "DIV"),
                Candidate {
                    label: "X".into(),
                    party: None,
                },
            ],
            precincts: vec![],
        }
    }

    #[test]
    fn specs_resolve_by_label_or_party_case_insensitively() {
        let b = parse_bloc_spec("gauche = mélenchon jean-luc ; SOC").unwrap();
        assert_eq!(b.name, "gauche");
        let r = resolve_blocs(&election(), &[b]).unwrap();
        assert_eq!(r[0].candidates, vec![0, 1]);
        assert!(parse_bloc_spec("gauche").is_err());
        assert!(parse_bloc_spec("gauche=").is_err());
    }

    #[test]
    fn a_candidate_in_two_blocs_or_an_empty_bloc_is_refused() {
        let e = election();
        let a = Bloc::new("a", BlocRole::Ours, &["FI"]);
        let b = Bloc::new("b", BlocRole::Near, &["MÉLENCHON Jean-Luc"]);
        assert!(
            resolve_blocs(&e, &[a.clone(), b])
                .unwrap_err()
                .to_string()
                .contains("two blocs")
        );
        let none = Bloc::new("none", BlocRole::Near, &["NOBODY"]);
        let msg = resolve_blocs(&e, &[a, none]).unwrap_err().to_string();
        assert!(msg.contains("HAMON Benoît (SOC)"), "{msg}");
    }

    #[test]
    fn suggestions_group_by_nuance_family() {
        let (blocs, left_out) = suggest_blocs(&election());
        let names: Vec<&str> = blocs.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["gauche", "centre", "extrême droite", "divers"]);
        assert_eq!(blocs[0].members, ["HAMON Benoît", "MÉLENCHON Jean-Luc"]);
        assert_eq!(left_out, ["X"]);
        assert_eq!(nuance_family("LUG"), Some("gauche"));
        assert_eq!(nuance_family("LRN"), Some("extrême droite"));
    }
}
