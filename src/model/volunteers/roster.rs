//! The roster on [`Campaign`]: list, add, update, delete, filter, pair volunteers, and find a
//! home among the campaign's addresses. Every change is one transaction.

use chrono::{NaiveDate, Weekday};
use geo_types::Point;
use rusqlite::Connection;

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::storage::volunteers as store;
use crate::model::volunteers::geocode::{AddressIndex, parse_typed_address};
use crate::model::volunteers::{DaySlot, HomeSource, Volunteer, fold};

/// Which volunteers to show or export (all conditions must hold; empty ones are ignored).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RosterFilter {
    /// Matched, accent- and case-insensitively, against name, phone, email, address, languages,
    /// role and notes.
    pub text: String,
    /// Available on that weekday …
    pub day: Option<Weekday>,
    /// … in that part of the day.
    pub slot: Option<DaySlot>,
    /// Available for that date's window (date + `slot`, or the whole day).
    pub date: Option<NaiveDate>,
    /// Living within `.1` metres of `.0` (WGS84); volunteers without a home are excluded.
    pub within_m_of: Option<(Point<f64>, f64)>,
    /// Speaks that language (case- and accent-insensitive).
    pub language: Option<String>,
    /// Only those with a consent date (the ones who may be contacted).
    pub consented_only: bool,
}

/// Languages under one key whichever way they are written ("anglais", "English", "en").
pub fn language_key(s: &str) -> String {
    let f = fold(s.trim());
    let key = match f.as_str() {
        "fr" | "fra" | "fre" | "francais" | "french" => "fr",
        "en" | "eng" | "anglais" | "english" => "en",
        "de" | "deu" | "ger" | "allemand" | "german" => "de",
        "es" | "spa" | "espagnol" | "spanish" | "castillan" => "es",
        "it" | "ita" | "italien" | "italian" => "it",
        "pt" | "por" | "portugais" | "portuguese" => "pt",
        "ar" | "ara" | "arabe" | "arabic" => "ar",
        "tr" | "tur" | "turc" | "turkish" => "tr",
        "wo" | "wol" | "wolof" => "wo",
        "lsf" | "langue des signes" | "langue des signes francaise" | "french sign language" => {
            "lsf"
        }
        "ru" | "rus" | "russe" | "russian" => "ru",
        "zh" | "chinois" | "chinese" | "mandarin" => "zh",
        "ro" | "roumain" | "romanian" => "ro",
        "pl" | "polonais" | "polish" => "pl",
        "nl" | "neerlandais" | "dutch" => "nl",
        "br" | "breton" => "br",
        "ber" | "berbere" | "amazigh" | "tamazight" | "berber" | "kabyle" => "ber",
        _ => return f,
    };
    key.to_owned()
}

impl RosterFilter {
    /// True when no condition is set.
    pub fn is_empty(&self) -> bool {
        *self == RosterFilter::default()
    }

    pub fn matches(&self, v: &Volunteer) -> bool {
        if self.consented_only && v.consent_date.is_none() {
            return false;
        }
        if let Some(lang) = self.language.as_deref().filter(|l| !l.trim().is_empty()) {
            let want = language_key(lang);
            if !v.languages.iter().any(|l| language_key(l) == want) {
                return false;
            }
        }
        if let Some((centre, radius_m)) = self.within_m_of {
            match v.home_wgs84 {
                Some(h) if distance_m(h, centre) <= radius_m => {}
                _ => return false,
            }
        }
        let available = match (self.date, self.day, self.slot) {
            (Some(date), _, Some(slot)) => {
                let (s, e) = slot.hours();
                if slot == DaySlot::AllDay {
                    v.availability.on_date(date, None)
                } else {
                    v.availability.covers(date, s, e)
                }
            }
            (Some(date), _, None) => v.availability.on_date(date, None),
            (None, Some(day), slot) => v.availability.on_weekday(day, slot),
            (None, None, Some(slot)) => v.availability.in_slot(slot),
            (None, None, None) => true,
        };
        if !available {
            return false;
        }
        self.text_matches(v)
    }

    /// Every word of `text` appears in one of the volunteer's fields; digits also match the
    /// phone whatever its spacing ("0612" finds "06 12 34 56 78").
    fn text_matches(&self, v: &Volunteer) -> bool {
        let q = self.text.trim();
        if q.is_empty() {
            return true;
        }
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 3
            && q.chars()
                .all(|c| c.is_ascii_digit() || " .+-()".contains(c))
        {
            let phone: String = v.phone.chars().filter(char::is_ascii_digit).collect();
            if phone.contains(&digits)
                || phone_key(&v.phone).is_some_and(|k| phone_key(q).is_some_and(|qk| qk == k))
            {
                return true;
            }
        }
        let hay = fold(
            &[
                v.first_name.as_str(),
                &v.last_name,
                &v.phone,
                &v.email,
                &v.address,
                &v.languages.join(" "),
                &v.role,
                &v.mobility,
                &v.notes,
                v.ext_id.as_deref().unwrap_or(""),
            ]
            .join("\u{1f}"),
        );
        fold(q).split_whitespace().all(|w| hay.contains(w))
    }
}

/// Normalised phone for duplicate detection: digits only, French national numbers as +33
/// ("06 12 34 56 78", "+33 6 12 34 56 78" and "0033612345678" give the same key); `None` when
/// too short to be a phone.
pub fn phone_key(phone: &str) -> Option<String> {
    let t = phone.trim();
    let plus = t.starts_with('+');
    // "+33 (0)6 12…": the bracketed trunk zero is not dialled.
    let t = t.replace("(0)", "");
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let key = match international {
        Some(rest) => {
            // "+33 06 12…": a trunk zero typed after the country code.
            match rest.strip_prefix("33") {
                Some(national) if national.len() == 10 && national.starts_with('0') => {
                    format!("+33{}", &national[1..])
                }
                _ => format!("+{rest}"),
            }
        }
        None if digits.len() == 10 && digits.starts_with('0') => format!("+33{}", &digits[1..]),
        // A spreadsheet dropped the leading zero of "06 12 34 56 78".
        None if digits.len() == 9 && !digits.starts_with('0') => format!("+33{digits}"),
        None => digits.clone(),
    };
    let n = key.trim_start_matches('+').len();
    (8..=15).contains(&n).then_some(key)
}

/// Normalised email (trimmed, lowercase); `None` without an `@`.
pub fn email_key(email: &str) -> Option<String> {
    let e = email.trim();
    let e = e
        .strip_prefix("mailto:")
        .or_else(|| e.strip_prefix("MAILTO:"))
        .unwrap_or(e)
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase();
    let (local, domain) = e.split_once('@')?;
    (!local.is_empty() && !domain.is_empty() && !e.contains(char::is_whitespace)).then_some(e)
}

/// Straight-line distance between two WGS84 points, metres (haversine).
pub fn distance_m(a: Point<f64>, b: Point<f64>) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (lat1, lat2) = (a.y().to_radians(), b.y().to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x() - a.x()).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Refuses a volunteer without a name, or whose phone or email is already someone else's.
pub(crate) fn check_volunteer(conn: &Connection, v: &Volunteer, except: i64) -> ModelResult<()> {
    if v.first_name.trim().is_empty() && v.last_name.trim().is_empty() {
        return Err(ModelError::Invalid(
            "a volunteer needs a first or last name".into(),
        ));
    }
    if let Some(k) = phone_key(&v.phone)
        && let Some((id, name)) = store::find_by_key(conn, "phone_key", &k, except)?
    {
        return Err(ModelError::Invalid(format!(
            "phone {} is already on the roster: {name} (volunteer {id})",
            v.phone.trim()
        )));
    }
    if let Some(k) = email_key(&v.email)
        && let Some((id, name)) = store::find_by_key(conn, "email_key", &k, except)?
    {
        return Err(ModelError::Invalid(format!(
            "email {} is already on the roster: {name} (volunteer {id})",
            v.email.trim()
        )));
    }
    Ok(())
}

/// Links `id` to `partner` both ways (or unlinks it when `None`), checking the partner exists.
fn apply_partner(conn: &Connection, id: i64, partner: Option<i64>) -> ModelResult<()> {
    match partner {
        Some(p) if p == id => Err(ModelError::Invalid(format!(
            "volunteer {id} cannot be their own partner"
        ))),
        Some(p) => {
            if store::load(conn, p)?.is_none() {
                return Err(ModelError::Invalid(format!(
                    "no volunteer {p} on the roster to pair with"
                )));
            }
            store::link_partners(conn, id, p)
        }
        None => store::unlink_partner(conn, id),
    }
}

impl Campaign {
    /// Every volunteer, by last then first name.
    pub fn volunteers(&self) -> ModelResult<Vec<Volunteer>> {
        store::load_all(&self.conn)
    }

    /// Volunteer `id`, or an error naming it.
    pub fn volunteer(&self, id: i64) -> ModelResult<Volunteer> {
        store::load(&self.conn, id)?
            .ok_or_else(|| self.campaign_error(format!("no volunteer {id} on the roster")))
    }

    /// The volunteers the filter keeps.
    pub fn volunteers_filtered(&self, filter: &RosterFilter) -> ModelResult<Vec<Volunteer>> {
        let mut all = self.volunteers()?;
        all.retain(|v| filter.matches(v));
        Ok(all)
    }

    /// Fills the home from the typed address when none is given.
    fn locate_home(&self, v: &mut Volunteer) -> ModelResult<()> {
        if v.home_wgs84.is_some() {
            if v.home_source == HomeSource::None {
                v.home_source = HomeSource::LonLat;
            }
            return Ok(());
        }
        v.home_address_fid = None;
        v.home_source = HomeSource::None;
        if !v.address.trim().is_empty()
            && let Some((fid, pos)) = self.geocode_address(&v.address)?
        {
            v.home_wgs84 = Some(pos);
            v.home_address_fid = Some(fid);
            v.home_source = HomeSource::Address;
        }
        Ok(())
    }

    /// Adds a volunteer (its `id` is ignored) and returns the new id. Refuses one without a
    /// name, and one whose phone or email is already on the roster (the error names who).
    /// When `home_wgs84` is `None` and `address` is given, the home is geocoded.
    pub fn add_volunteer(&mut self, v: &Volunteer) -> ModelResult<i64> {
        let mut v = v.clone();
        v.id = 0;
        self.locate_home(&mut v)?;
        let partner = v.partner_id.take();
        self.in_transaction(|tx| {
            check_volunteer(tx, &v, 0)?;
            let id = store::insert(tx, &v)?;
            if partner.is_some() {
                apply_partner(tx, id, partner)?;
            }
            store::refresh_extent(tx)?;
            Ok(id)
        })
    }

    /// Saves every field of `v` (by `v.id`); same checks as [`Campaign::add_volunteer`].
    /// Changing `partner_id` also updates the partner's own link (and unlinks former partners).
    /// A changed address re-locates a home that came from the old address.
    pub fn update_volunteer(&mut self, v: &Volunteer) -> ModelResult<()> {
        let old = self.volunteer(v.id)?;
        let mut v = v.clone();
        if old.address.trim() != v.address.trim()
            && v.home_source == HomeSource::Address
            && v.home_wgs84 == old.home_wgs84
        {
            v.home_wgs84 = None;
        }
        self.locate_home(&mut v)?;
        self.in_transaction(|tx| {
            check_volunteer(tx, &v, v.id)?;
            let partner = v.partner_id;
            let mut row = v.clone();
            row.partner_id = old.partner_id;
            store::update(tx, &row)?;
            if partner != old.partner_id || partner.is_some() {
                apply_partner(tx, v.id, partner)?;
            }
            store::refresh_extent(tx)?;
            Ok(())
        })
    }

    /// Removes a volunteer from the roster and from every team (a team left empty goes too);
    /// their partner is unlinked.
    pub fn delete_volunteer(&mut self, id: i64) -> ModelResult<()> {
        let path = self.path().to_path_buf();
        self.in_transaction(|tx| {
            if !store::delete(tx, id)? {
                return Err(ModelError::Campaign {
                    path,
                    message: format!("no volunteer {id} on the roster"),
                });
            }
            store::refresh_extent(tx)
        })
    }

    /// Finds a home among the campaign's addresses from a typed address ("12 rue de l'Église",
    /// "12 Rue de l'Eglise, 45310 …"): number + street, accent- and case-insensitive. Returns
    /// the address fid and its position.
    pub fn geocode_address(&self, text: &str) -> ModelResult<Option<(i64, Point<f64>)>> {
        let Some(typed) = parse_typed_address(text) else {
            return Ok(None);
        };
        let idx = AddressIndex::load_number(&self.conn, &typed.number)?;
        Ok(idx.find_typed(&typed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::volunteers::Availability;

    #[test]
    fn phone_keys_agree_across_spellings() {
        let k = Some("+33612345678".to_owned());
        for p in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "+33 06 12 34 56 78",
            "0033612345678",
            "612345678",
        ] {
            assert_eq!(phone_key(p), k, "{p}");
        }
        assert_eq!(
            phone_key("+1 (555) 123-4567").as_deref(),
            Some("+15551234567")
        );
        assert_eq!(
            phone_key("0044 20 7946 0958").as_deref(),
            Some("+442079460958")
        );
        assert_eq!(phone_key("12 34"), None);
        assert_eq!(phone_key(""), None);
    }

    #[test]
    fn email_keys() {
        assert_eq!(
            email_key("  José.Dupre@Example.ORG ").as_deref(),
            Some("josé.dupre@example.org")
        );
        assert_eq!(email_key("mailto:a@b.fr").as_deref(), Some("a@b.fr"));
        assert_eq!(email_key("pas d'email"), None);
        assert_eq!(email_key("@b.fr"), None);
    }

    #[test]
    fn haversine_distance() {
        // Paris Notre-Dame to the Eiffel Tower: about 4.1 km.
        let d = distance_m(Point::new(2.3499, 48.8530), Point::new(2.2945, 48.8584));
        assert!((d - 4_100.0).abs() < 100.0, "{d}");
        // One degree of latitude: ~111.2 km.
        let d = distance_m(Point::new(1.6, 48.0), Point::new(1.6, 49.0));
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
        assert_eq!(distance_m(Point::new(1.0, 2.0), Point::new(1.0, 2.0)), 0.0);
    }

    fn vol() -> Volunteer {
        Volunteer {
            id: 1,
            first_name: "Éloïse".into(),
            last_name: "Ferreira".into(),
            phone: "06 49 74 60 33".into(),
            email: "eloise@example.org".into(),
            address: "17 Rue des Longues-Raies".into(),
            home_wgs84: Some(Point::new(1.5839, 48.0538)),
            availability: Availability::parse("mar matin; sam après-midi").unwrap(),
            languages: vec!["français".into(), "anglais".into()],
            role: "responsable d'équipe".into(),
            consent_date: NaiveDate::from_ymd_opt(2026, 3, 6),
            ..Volunteer::default()
        }
    }

    #[test]
    fn filter_conditions() {
        let v = vol();
        let f = |g: fn(&mut RosterFilter)| {
            let mut r = RosterFilter::default();
            g(&mut r);
            r.matches(&v)
        };
        assert!(f(|_| {}));
        assert!(f(|r| r.text = "eloise".into()));
        assert!(f(|r| r.text = "FERREIRA élo".into()));
        assert!(f(|r| r.text = "equipe".into()));
        assert!(f(|r| r.text = "0649".into()));
        assert!(f(|r| r.text = "+33 6 49 74 60 33".into()));
        assert!(!f(|r| r.text = "dupré".into()));
        assert!(f(|r| r.day = Some(Weekday::Sat)));
        assert!(f(|r| {
            r.day = Some(Weekday::Sat);
            r.slot = Some(DaySlot::Afternoon)
        }));
        assert!(!f(|r| {
            r.day = Some(Weekday::Sat);
            r.slot = Some(DaySlot::Morning)
        }));
        assert!(!f(|r| r.day = Some(Weekday::Sun)));
        let sat = NaiveDate::from_ymd_opt(2026, 3, 14);
        assert!(f(|r| r.date = NaiveDate::from_ymd_opt(2026, 3, 14)));
        assert!(!f(|r| {
            r.date = NaiveDate::from_ymd_opt(2026, 3, 14);
            r.slot = Some(DaySlot::Evening)
        }));
        assert!(sat.is_some());
        assert!(f(|r| r.slot = Some(DaySlot::Morning)));
        assert!(!f(|r| r.slot = Some(DaySlot::Evening)));
        assert!(f(|r| r.language = Some("English".into())));
        assert!(f(|r| r.language = Some("FR".into())));
        assert!(!f(|r| r.language = Some("wolof".into())));
        assert!(f(
            |r| r.within_m_of = Some((Point::new(1.5839, 48.0628), 1_100.0))
        ));
        assert!(!f(
            |r| r.within_m_of = Some((Point::new(1.5839, 48.0628), 900.0))
        ));
        assert!(f(|r| r.consented_only = true));
        let mut no_home = vol();
        no_home.home_wgs84 = None;
        no_home.consent_date = None;
        let mut r = RosterFilter {
            within_m_of: Some((Point::new(1.5839, 48.0538), 10_000.0)),
            ..RosterFilter::default()
        };
        assert!(!r.matches(&no_home));
        r = RosterFilter {
            consented_only: true,
            ..RosterFilter::default()
        };
        assert!(!r.matches(&no_home));
    }

    fn campaign_with_addresses() -> (tempfile::TempDir, Campaign) {
        use crate::model::storage::addresses::{NewAddress, insert_batch};
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("r.gpkg")).unwrap();
        let a = |n: &str, suffix: Option<&str>, street: &str, lon: f64| NewAddress {
            pos_wgs84: geo_types::Coord { x: lon, y: 48.05 },
            number: n.into(),
            suffix: suffix.map(str::to_owned),
            street: street.into(),
            postcode: Some("45310".into()),
            city: Some("Saint-Aubin-des-Prés".into()),
            source_id: Some(format!("45999_{n}_{lon}")),
        };
        let rows = vec![
            a("12", None, "Rue de l'Église", 1.600),
            a("12", Some("bis"), "Rue de l'Église", 1.6001),
            a("17", None, "Rue des Longues-Raies", 1.59),
        ];
        c.in_transaction(|tx| {
            insert_batch(
                tx,
                "t.csv",
                &rows,
                &[None, None, None],
                &crate::model::NoProgress,
            )
        })
        .unwrap();
        (dir, c)
    }

    #[test]
    fn geocode_against_the_campaign() {
        let (_d, c) = campaign_with_addresses();
        let (_, p) = c
            .geocode_address("12 Rue de l'Eglise, 45310 Saint-Aubin-des-Prés")
            .unwrap()
            .unwrap();
        assert!((p.x() - 1.6).abs() < 1e-9);
        let (_, p) = c.geocode_address("12bis rue de l'église").unwrap().unwrap();
        assert!((p.x() - 1.6001).abs() < 1e-9);
        assert!(c.geocode_address("99 rue de l'église").unwrap().is_none());
        assert!(c.geocode_address("").unwrap().is_none());
    }

    #[test]
    fn add_update_delete_with_pairs_and_duplicates() {
        let (_d, mut c) = campaign_with_addresses();
        let mut a = vol();
        a.home_wgs84 = None;
        let ida = c.add_volunteer(&a).unwrap();
        let got = c.volunteer(ida).unwrap();
        assert_eq!(
            got.home_source,
            HomeSource::Address,
            "geocoded from the address"
        );
        assert!(got.home_address_fid.is_some());
        assert_eq!(got.availability, a.availability);
        assert_eq!(got.languages, a.languages);
        assert_eq!(got.consent_date, a.consent_date);

        // Same phone written differently: refused, naming who.
        let mut dup = vol();
        dup.first_name = "Autre".into();
        dup.email = String::new();
        dup.phone = "+33 6 49 74 60 33".into();
        let e = c.add_volunteer(&dup).unwrap_err().to_string();
        assert!(e.contains("Éloïse Ferreira"), "{e}");
        let nameless = Volunteer {
            phone: "0700000000".into(),
            ..Volunteer::default()
        };
        assert!(c.add_volunteer(&nameless).is_err());

        let b = Volunteer {
            first_name: "José".into(),
            last_name: "Dupré".into(),
            phone: "06 77 94 71 79".into(),
            partner_id: Some(ida),
            ..Volunteer::default()
        };
        let idb = c.add_volunteer(&b).unwrap();
        assert_eq!(
            c.volunteer(ida).unwrap().partner_id,
            Some(idb),
            "linked back"
        );
        let cc = Volunteer {
            first_name: "Chloé".into(),
            last_name: "Martin".into(),
            ..Volunteer::default()
        };
        let idc = c.add_volunteer(&cc).unwrap();
        // Re-pair A with C: B is unlinked.
        let mut a2 = c.volunteer(ida).unwrap();
        a2.partner_id = Some(idc);
        c.update_volunteer(&a2).unwrap();
        assert_eq!(c.volunteer(idc).unwrap().partner_id, Some(ida));
        assert_eq!(c.volunteer(idb).unwrap().partner_id, None);
        // Unpair from C's side.
        let mut c2 = c.volunteer(idc).unwrap();
        c2.partner_id = None;
        c.update_volunteer(&c2).unwrap();
        assert_eq!(c.volunteer(ida).unwrap().partner_id, None);
        // A pair with self is refused and changes nothing.
        let mut a3 = c.volunteer(ida).unwrap();
        a3.partner_id = Some(ida);
        a3.first_name = "Changed".into();
        assert!(c.update_volunteer(&a3).is_err());
        assert_eq!(c.volunteer(ida).unwrap().first_name, "Éloïse");
        // Updating with a phone taken by B is refused.
        let mut a4 = c.volunteer(ida).unwrap();
        a4.phone = "0677947179".into();
        assert!(
            c.update_volunteer(&a4)
                .unwrap_err()
                .to_string()
                .contains("José Dupré")
        );
        // A new address moves a home found from the old one.
        let mut a5 = c.volunteer(ida).unwrap();
        a5.address = "12 bis Rue de l'Église".into();
        c.update_volunteer(&a5).unwrap();
        assert!((c.volunteer(ida).unwrap().home_wgs84.unwrap().x() - 1.6001).abs() < 1e-9);

        // Delete B after pairing it with A: A unlinked, B gone from teams.
        let mut b2 = c.volunteer(idb).unwrap();
        b2.partner_id = Some(ida);
        c.update_volunteer(&b2).unwrap();
        c.connection()
            .execute_batch(&format!(
                "INSERT INTO operations (id, name, date, start_time, end_time) VALUES (1, 'op', '2026-03-14', '10:00', '12:00');
                 INSERT INTO operation_teams (id, operation_id, name) VALUES (1, 1, 't'), (2, 1, 'u');
                 INSERT INTO team_members (team_id, operation_id, volunteer_id) VALUES (1, 1, {idb}), (2, 1, {ida}), (2, 1, {idc});"
            ))
            .unwrap();
        c.delete_volunteer(idb).unwrap();
        assert!(c.volunteer(idb).is_err());
        assert_eq!(c.volunteer(ida).unwrap().partner_id, None);
        let members: i64 = c
            .connection()
            .query_row("SELECT count(*) FROM team_members", [], |r| r.get(0))
            .unwrap();
        assert_eq!(members, 2);
        let teams: i64 = c
            .connection()
            .query_row("SELECT count(*) FROM operation_teams", [], |r| r.get(0))
            .unwrap();
        assert_eq!(teams, 1, "B's emptied team is gone");
        assert!(c.delete_volunteer(idb).is_err());
        assert_eq!(c.volunteers().unwrap().len(), 2);
    }
}
