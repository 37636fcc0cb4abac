//! Field results: door visits with their outcome, per-turf tallies, and what they add up to.
//!
//! - [`record`]: recording one visit or one tally (operation and team resolved from turf + date).
//! - [`import`]: importing the walk list's results CSV or a spreadsheet typed from paper sheets.
//! - [`coverage`]: doors knocked per precinct and per turf, and the campaign's totals per day.
//! - [`coverage_map`]: the coverage map's fixed classes, the share since a date, the gaps.

pub mod coverage;
pub mod coverage_map;
pub mod import;
pub mod record;

use chrono::NaiveDate;
use serde::Serialize;

/// What happened at a door.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NotHome,
    Opened,
    Refused,
    ComeBack,
    Moved,
    DoNotContact,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::NotHome,
        Outcome::Opened,
        Outcome::Refused,
        Outcome::ComeBack,
        Outcome::Moved,
        Outcome::DoNotContact,
    ];

    /// The code stored in the campaign file and written by the walk list.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::NotHome => "not_home",
            Outcome::Opened => "opened",
            Outcome::Refused => "refused",
            Outcome::ComeBack => "come_back",
            Outcome::Moved => "moved",
            Outcome::DoNotContact => "do_not_contact",
        }
    }

    /// Parses a code or an English or French label ("absent", "ouvert", "à repasser"...),
    /// ignoring case, accents, spaces, dashes and underscores.
    pub fn parse(s: &str) -> Option<Outcome> {
        let key: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                'à' | 'â' => Some('a'),
                'é' | 'è' | 'ê' => Some('e'),
                ' ' | '_' | '-' | '\'' | '’' => None,
                c => Some(c),
            })
            .collect();
        Some(match key.as_str() {
            "nothome" | "absent" | "absente" | "nh" | "abs" => Outcome::NotHome,
            "opened" | "open" | "ouvert" | "ouverte" | "porteouverte" | "o" => Outcome::Opened,
            "refused" | "refusal" | "refus" | "refuse" | "r" => Outcome::Refused,
            "comeback" | "callagain" | "arepasser" | "repasser" | "revenir" => Outcome::ComeBack,
            "moved" | "demenage" | "demenagee" => Outcome::Moved,
            "donotcontact" | "dnc" | "nepluscontacter" | "nepascontacter" => Outcome::DoNotContact,
            _ => return None,
        })
    }

    /// The door was opened by someone (the outcomes that mean a conversation).
    pub fn is_opened(self) -> bool {
        matches!(
            self,
            Outcome::Opened | Outcome::Refused | Outcome::DoNotContact
        )
    }
}

/// Follow-ups asked at the door.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FollowUps {
    pub wants_to_volunteer: bool,
    pub wants_to_donate: bool,
    pub wants_callback: bool,
}

/// One visit to one door.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Visit {
    pub address_fid: i64,
    pub turf_id: Option<i64>,
    pub operation_id: Option<i64>,
    pub team_id: Option<i64>,
    pub visited_on: NaiveDate,
    /// When the volunteer recorded it (the walk list's ISO timestamp), when known.
    pub recorded_at: Option<String>,
    pub outcome: Outcome,
    pub contact_taken: bool,
    pub follow_ups: FollowUps,
    pub note: String,
    /// Theme names (the campaign's tag list).
    pub tags: Vec<String>,
    /// Where it came from ("import: file.csv", "manual").
    pub source: String,
}

/// A quick per-turf count at the end of an outing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tally {
    pub turf_id: i64,
    pub operation_id: Option<i64>,
    pub team_id: Option<i64>,
    pub tallied_on: NaiveDate,
    pub knocked: u32,
    pub opened: u32,
    pub contacts: u32,
    pub refusals: u32,
}

impl Tally {
    /// Checks the counts are consistent; the message names the offending numbers.
    pub fn validate(&self) -> Result<(), String> {
        if self.opened > self.knocked {
            return Err(format!(
                "{} doors opened but only {} knocked: opened cannot exceed knocked",
                self.opened, self.knocked
            ));
        }
        if self.refusals > self.opened {
            return Err(format!(
                "{} refusals but only {} doors opened: refusals cannot exceed opened",
                self.refusals, self.opened
            ));
        }
        if self.contacts > self.opened {
            return Err(format!(
                "{} contacts but only {} doors opened: contacts cannot exceed opened",
                self.contacts, self.opened
            ));
        }
        Ok(())
    }
}

/// A goal the campaign sets (e.g. 200,000 doors knocked by a date).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Goal {
    pub id: i64,
    pub name: String,
    /// One of [`GOAL_METRICS`].
    pub metric: String,
    pub target: i64,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
}

/// What a goal counts.
pub const GOAL_METRICS: [&str; 3] = ["doors_knocked", "doors_opened", "contacts"];

/// Default themes of a new campaign (no sensitive category: see the schema's note).
pub const DEFAULT_TAGS: [&str; 8] = [
    "impôts",
    "écoles",
    "sécurité",
    "logement",
    "transports",
    "emploi",
    "environnement",
    "propreté",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_parse_codes_and_labels() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.code()), Some(o));
        }
        assert_eq!(Outcome::parse("Absent"), Some(Outcome::NotHome));
        assert_eq!(Outcome::parse("À repasser"), Some(Outcome::ComeBack));
        assert_eq!(Outcome::parse("Déménagé"), Some(Outcome::Moved));
        assert_eq!(Outcome::parse("not home"), Some(Outcome::NotHome));
        assert_eq!(
            Outcome::parse("Ne pas contacter"),
            Some(Outcome::DoNotContact)
        );
        assert_eq!(Outcome::parse("maybe"), None);
        assert_eq!(Outcome::parse(""), None);
    }

    #[test]
    fn tally_rejects_more_opened_than_knocked() {
        let mut t = Tally {
            turf_id: 1,
            operation_id: None,
            team_id: None,
            tallied_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            knocked: 10,
            opened: 4,
            contacts: 2,
            refusals: 1,
        };
        assert!(t.validate().is_ok());
        t.opened = 11;
        let e = t.validate().unwrap_err();
        assert!(e.contains("cannot exceed knocked"), "{e}");
    }
}
