//! Contacts taken with consent: list, filter by tag or text, add, update, delete, export by tag
//! as CSV for mailing tools; and the data-protection duties around people.
//!
//! - [`sensitive`]: words of sensitive categories (religion, health…) found in free-text notes.
//! - [`person`]: how a person is looked for (name, phone, email) in rows and in free text.
//! - [`access`]: right of access: everything the campaign holds on one person.
//! - [`erasure`]: right to erasure: remove one person everywhere, results kept as anonymous tallies.

pub mod access;
pub mod erasure;
pub mod person;
pub mod sensitive;

use chrono::NaiveDate;

use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::storage::contacts as store;
pub use crate::model::storage::contacts::{ContactRow, NewContact};
use crate::model::volunteers::fold;
use crate::model::volunteers::import::parse_consent_date;

/// Which contacts to show: with a tag (case- and accent-insensitive) and/or containing a text
/// (in the name, phone, email, address, source or tags).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactFilter {
    pub tag: Option<String>,
    pub text: Option<String>,
}

impl ContactFilter {
    pub fn matches(&self, c: &ContactRow) -> bool {
        if let Some(tag) = self.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let tag = fold(tag);
            if !c.tags.iter().any(|t| fold(t) == tag) {
                return false;
            }
        }
        if let Some(text) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let text = fold(text);
            let hay = fold(&format!(
                "{} {} {} {} {} {}",
                c.name,
                c.phone,
                c.email,
                c.address,
                c.source,
                c.tags.join(" ")
            ));
            if !hay.contains(&text) {
                return false;
            }
        }
        true
    }
}

/// The consent date as typed ("2026-03-14", "14/03/2026"…); a contact cannot be recorded without
/// one, so an empty or unreadable date is an error naming what was typed.
pub fn consent_date_from_text(text: &str) -> ModelResult<NaiveDate> {
    if text.trim().is_empty() {
        return Err(ModelError::Invalid(
            "a contact can only be recorded with the date the person consented".into(),
        ));
    }
    parse_consent_date(text).ok_or_else(|| {
        ModelError::Invalid(format!(
            "consent date {text:?} is not a date (e.g. 2026-03-14 or 14/03/2026)"
        ))
    })
}

/// The header of [`contacts_csv`].
pub const CSV_HEADER: [&str; 7] = [
    "name",
    "phone",
    "email",
    "address",
    "tags",
    "consent_date",
    "source",
];

/// Contacts as CSV for mailing tools: `name,phone,email,address,tags,consent_date,source`, tags
/// joined with "; ".
pub fn contacts_csv(rows: &[ContactRow]) -> ModelResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| ModelError::Invalid(format!("cannot write the CSV: {e}"));
    w.write_record(CSV_HEADER).map_err(csv_err)?;
    for c in rows {
        w.write_record([
            c.name.as_str(),
            &c.phone,
            &c.email,
            &c.address,
            &c.tags.join("; "),
            &c.consent_date,
            &c.source,
        ])
        .map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ModelError::Invalid(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ModelError::Invalid(e.to_string()))
}

impl Campaign {
    /// Every contact with its tags and address text, by id.
    pub fn contacts(&self) -> ModelResult<Vec<ContactRow>> {
        store::load_all(&self.conn)
    }

    /// The contacts the filter keeps, by id.
    pub fn contacts_filtered(&self, filter: &ContactFilter) -> ModelResult<Vec<ContactRow>> {
        Ok(self
            .contacts()?
            .into_iter()
            .filter(|c| filter.matches(c))
            .collect())
    }

    /// Records a contact (refused without a name, phone or email); returns its id.
    pub fn add_contact(&mut self, c: &NewContact) -> ModelResult<i64> {
        let tx = self.conn.transaction()?;
        let id = store::insert_contact(&tx, c)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces contact `id` and its tags.
    pub fn update_contact(&mut self, id: i64, c: &NewContact) -> ModelResult<()> {
        let tx = self.conn.transaction()?;
        store::update_contact(&tx, id, c)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes contact `id`; an error when there is none.
    pub fn delete_contact(&mut self, id: i64) -> ModelResult<()> {
        if store::delete_contact(&self.conn, id)? {
            Ok(())
        } else {
            Err(ModelError::Invalid(format!("no contact {id}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, tags: &[&str]) -> ContactRow {
        ContactRow {
            id: 1,
            visit_id: None,
            address_fid: None,
            address: "3 rue des Lilas, 75011 Paris".into(),
            name: name.into(),
            phone: "06 12 34 56 78".into(),
            email: "a@example.org".into(),
            consent_date: "2026-03-14".into(),
            source: "porte à porte".into(),
            created_at: String::new(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn filter_by_tag_and_text_ignores_case_and_accents() {
        let c = row("Hélène Martin", &["Écoles", "logement"]);
        let by_tag = |t: &str| ContactFilter {
            tag: Some(t.into()),
            text: None,
        };
        assert!(by_tag("ecoles").matches(&c));
        assert!(!by_tag("sécurité").matches(&c));
        let by_text = |t: &str| ContactFilter {
            tag: None,
            text: Some(t.into()),
        };
        assert!(by_text("helene").matches(&c));
        assert!(by_text("lilas").matches(&c));
        assert!(!by_text("dupont").matches(&c));
        assert!(ContactFilter::default().matches(&c));
    }

    #[test]
    fn csv_has_the_mailing_columns_and_quotes_when_needed() {
        let csv = contacts_csv(&[row("Martin, Hélène", &["écoles", "logement"])]).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "name,phone,email,address,tags,consent_date,source"
        );
        assert_eq!(
            lines.next().unwrap(),
            "\"Martin, Hélène\",06 12 34 56 78,a@example.org,\"3 rue des Lilas, 75011 Paris\",écoles; logement,2026-03-14,porte à porte"
        );
    }

    #[test]
    fn consent_date_is_required_and_read() {
        assert!(consent_date_from_text("  ").is_err());
        assert!(consent_date_from_text("demain").is_err());
        assert_eq!(
            consent_date_from_text("14/03/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()
        );
    }
}
