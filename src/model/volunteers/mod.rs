//! Volunteers (issue 5): the roster, their availability, where they live, and what Porte sends
//! them.
//!
//! - [`availability`]: weekly slots ("sam matin", "sat afternoon") and dates, and whether a
//!   volunteer can come to an operation's time window.
//! - [`roster`]: the [`Campaign`](crate::model::Campaign) methods on the roster: list, add,
//!   update, delete, filter, pair, geocode a home against the campaign's addresses.
//! - [`geocode`]: a home found among the campaign's addresses (by BAN id or typed address).
//! - [`import`]: roster CSV import with column mapping and duplicate detection (phone / email).
//! - [`export`]: CSV, vCard, phone and email lists, `mailto:` and `sms:` links.
//! - [`templates`]: message templates with `{placeholders}` rendered per volunteer.
//!
//! Storage is `storage::volunteers` (feature table `volunteers`, table `message_templates`).

pub mod availability;
pub mod export;
pub mod geocode;
pub mod import;
pub mod roster;
pub mod templates;

pub use availability::{Availability, AvailabilityItem, DaySlot};
pub use import::{RosterColumns, RosterImportOptions, RosterImportReport};
pub use roster::RosterFilter;
pub use templates::{MessageContext, MessageTemplate};

use chrono::NaiveDate;
use geo_types::Point;
use serde::Serialize;

/// How a volunteer's home position was found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeSource {
    /// Not located.
    #[default]
    None,
    /// Given as longitude/latitude.
    LonLat,
    /// One of the campaign's addresses (by its id in the address file, or by matching the text).
    Address,
}

impl HomeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            HomeSource::None => "none",
            HomeSource::LonLat => "lonlat",
            HomeSource::Address => "address",
        }
    }

    pub fn parse(s: &str) -> HomeSource {
        match s {
            "lonlat" => HomeSource::LonLat,
            "address" => HomeSource::Address,
            _ => HomeSource::None,
        }
    }
}

/// One volunteer of the roster.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Volunteer {
    /// Row id in the `volunteers` table (`0` for one not saved yet).
    pub id: i64,
    /// Their id in the imported roster (e.g. `B01`), kept to link pairs and re-imports.
    pub ext_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// As typed (displayed and exported as is).
    pub phone: String,
    pub email: String,
    /// Home address as typed.
    pub address: String,
    /// Home, WGS84 lon/lat.
    #[serde(skip)]
    pub home_wgs84: Option<Point<f64>>,
    /// The campaign address (`addresses.fid`) their home was matched to.
    pub home_address_fid: Option<i64>,
    pub home_source: HomeSource,
    pub availability: Availability,
    pub languages: Vec<String>,
    /// On foot, bike, car… as typed.
    pub mobility: String,
    /// Team leader, volunteer… as typed.
    pub role: String,
    pub notes: String,
    /// When they agreed to be contacted by the campaign; `None`: no consent recorded.
    pub consent_date: Option<NaiveDate>,
    /// The volunteer they always walk with (`volunteers.fid`), kept together by assignments.
    pub partner_id: Option<i64>,
}

impl Volunteer {
    /// "José Dupré".
    pub fn full_name(&self) -> String {
        match (self.first_name.trim(), self.last_name.trim()) {
            ("", l) => l.to_string(),
            (f, "") => f.to_string(),
            (f, l) => format!("{f} {l}"),
        }
    }

    /// "José D." (team labels on the map).
    pub fn short_name(&self) -> String {
        let first = self.first_name.trim();
        match self.last_name.trim().chars().next() {
            Some(c) if !first.is_empty() => format!("{first} {c}."),
            _ => self.full_name(),
        }
    }

    /// Home as `[lon, lat]` (JSON output).
    pub fn home_lonlat(&self) -> Option<[f64; 2]> {
        self.home_wgs84.map(|p| [p.x(), p.y()])
    }
}

/// Lower case without accents or ligatures ("Éloïse" → "eloise", "Œuvre" → "oeuvre"), other
/// characters kept: the roster's accent-insensitive search, header and token matching. (The
/// results importer's `fold` also turns punctuation into `_`, which the roster does not want.)
pub fn fold(text: &str) -> String {
    crate::model::fold::fold_with(text, |c, out| match c {
        '’' | '‘' | 'ʼ' => out.push('\''),
        c => out.push(c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_folding() {
        assert_eq!(fold("Éloïse LÉCUYER"), "eloise lecuyer");
        assert_eq!(fold("Œuvre d’art"), "oeuvre d'art");
        let v = Volunteer {
            first_name: "José".into(),
            last_name: "Dupré".into(),
            ..Volunteer::default()
        };
        assert_eq!(v.full_name(), "José Dupré");
        assert_eq!(v.short_name(), "José D.");
        assert_eq!(
            HomeSource::parse(HomeSource::LonLat.as_str()),
            HomeSource::LonLat
        );
    }
}
