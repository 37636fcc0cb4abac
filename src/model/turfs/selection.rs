//! Which doors an auto-cut counts: only the precincts of priority classes 1..=N, and/or only the
//! doors not visited since a date (door-by-door visits; a turf tally names no door).

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::Campaign;
use crate::model::error::ModelResult;
use crate::model::storage::results as store;
use crate::model::turfs::Door;

/// The doors an auto-cut keeps, as read from the campaign once (see [`Campaign::door_selection`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DoorSelection {
    /// Codes of the precincts in the wanted priority classes; `None` = every precinct.
    priority_codes: Option<HashSet<String>>,
    /// Doors with a visit on or after the date; `None` = no date asked.
    visited_since: Option<HashSet<i64>>,
}

impl DoorSelection {
    /// True when no filter was asked: every door counts.
    pub fn keeps_all(&self) -> bool {
        self.priority_codes.is_none() && self.visited_since.is_none()
    }

    /// Whether `door` counts.
    pub fn keeps(&self, door: &Door) -> bool {
        let in_priority = self.priority_codes.as_ref().is_none_or(|codes| {
            door.precinct_code
                .as_ref()
                .is_some_and(|code| codes.contains(code))
        });
        let not_visited = self
            .visited_since
            .as_ref()
            .is_none_or(|visited| !visited.contains(&door.fid));
        in_priority && not_visited
    }

    /// How many doors were visited since the date (0 without a date).
    pub fn visited_count(&self) -> usize {
        self.visited_since.as_ref().map_or(0, HashSet::len)
    }
}

impl Campaign {
    /// The door selection of an auto-cut: precincts of priority classes 1..=`max_priority_class`
    /// (needs a saved camp), doors with no visit on or after `not_visited_since`.
    pub fn door_selection(
        &self,
        max_priority_class: Option<u8>,
        not_visited_since: Option<NaiveDate>,
    ) -> ModelResult<DoorSelection> {
        let priority_codes = match max_priority_class {
            Some(n) => Some(self.precincts_in_priority_classes(n)?),
            None => None,
        };
        let visited_since = match not_visited_since {
            Some(date) => Some(store::doors_visited_since(&self.conn, date)?),
            None => None,
        };
        Ok(DoorSelection {
            priority_codes,
            visited_since,
        })
    }
}

/// The date `days` days before `today` (YYYY-MM-DD): "not visited in the last N days" counts
/// the visits of the N days up to today, today included.
pub fn days_before(today: NaiveDate, days: u32) -> NaiveDate {
    today - chrono::Days::new(u64::from(days.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::Coord;

    fn door(fid: i64, precinct: &str) -> Door {
        Door {
            fid,
            pos_wgs84: Coord { x: 0.0, y: 0.0 },
            number: fid.to_string(),
            suffix: None,
            street: "rue A".into(),
            precinct_code: Some(precinct.into()),
        }
    }

    #[test]
    fn both_filters_must_keep_a_door() {
        let s = DoorSelection {
            priority_codes: Some(["1".to_string()].into()),
            visited_since: Some([10].into()),
        };
        assert!(s.keeps(&door(11, "1")));
        assert!(!s.keeps(&door(10, "1")), "visited since the date");
        assert!(!s.keeps(&door(11, "2")), "not a priority precinct");
        assert!(DoorSelection::default().keeps(&door(10, "2")));
        assert!(DoorSelection::default().keeps_all());
    }

    #[test]
    fn last_n_days_include_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        assert_eq!(days_before(today, 1), today);
        assert_eq!(
            days_before(today, 30),
            NaiveDate::from_ymd_opt(2026, 2, 13).unwrap()
        );
        assert_eq!(days_before(today, 0), today);
    }
}
