//! The `contacts` and `contact_tags` tables (tags by name in `result_tags`): rows in and out.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::{ModelError, ModelResult};
use crate::model::volunteers::fold;

/// A contact to record: taken at a door (`visit_id`/`address_fid`) or typed in, always with the
/// date the person consented to be contacted.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub visit_id: Option<i64>,
    pub address_fid: Option<i64>,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub consent_date: NaiveDate,
    pub source: String,
    pub tags: Vec<String>,
}

/// A stored contact with its tags (by name, sorted) and the text of its address when known.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContactRow {
    pub id: i64,
    pub visit_id: Option<i64>,
    pub address_fid: Option<i64>,
    pub address: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub consent_date: String,
    pub source: String,
    pub created_at: String,
    pub tags: Vec<String>,
}

/// Checks what every stored contact must have: some way to reach the person (name, phone or
/// email) besides the consent date the type already requires.
pub fn validate(c: &NewContact) -> ModelResult<()> {
    if c.name.trim().is_empty() && c.phone.trim().is_empty() && c.email.trim().is_empty() {
        return Err(ModelError::Invalid(
            "a contact needs a name, a phone or an email".into(),
        ));
    }
    Ok(())
}

/// The id of the tag named `name` (trimmed, matched case-insensitively), created when missing.
pub fn tag_id(conn: &Connection, name: &str) -> ModelResult<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ModelError::Invalid("a tag name cannot be empty".into()));
    }
    let found: Option<i64> = conn
        .query_row(
            "SELECT id FROM result_tags WHERE lower(name) = lower(?1) ORDER BY id LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.execute("INSERT INTO result_tags (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid())
}

fn set_tags(conn: &Connection, contact_id: i64, tags: &[String]) -> ModelResult<()> {
    conn.execute(
        "DELETE FROM contact_tags WHERE contact_id = ?1",
        [contact_id],
    )?;
    for t in tags.iter().filter(|t| !t.trim().is_empty()) {
        let tag = tag_id(conn, t)?;
        conn.execute(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)",
            params![contact_id, tag],
        )?;
    }
    Ok(())
}

/// Inserts a contact and its tags (missing tags are created); returns its id. Refuses a contact
/// with neither name, phone nor email. Call it inside the caller's transaction when several rows
/// go together.
pub fn insert_contact(conn: &Connection, c: &NewContact) -> ModelResult<i64> {
    validate(c)?;
    // A new row, then every field written by `update_contact` (one place lists the columns).
    conn.execute(
        "INSERT INTO contacts (consent_date) VALUES (?1)",
        [c.consent_date.format("%Y-%m-%d").to_string()],
    )?;
    let id = conn.last_insert_rowid();
    update_contact(conn, id, c)?;
    Ok(id)
}

/// Replaces every field and the tags of contact `id`.
pub fn update_contact(conn: &Connection, id: i64, c: &NewContact) -> ModelResult<()> {
    validate(c)?;
    let n = conn.execute(
        "UPDATE contacts SET visit_id = ?2, address_fid = ?3, name = ?4, phone = ?5, email = ?6,
             consent_date = ?7, source = ?8 WHERE id = ?1",
        params![
            id,
            c.visit_id,
            c.address_fid,
            c.name.trim(),
            c.phone.trim(),
            c.email.trim(),
            c.consent_date.format("%Y-%m-%d").to_string(),
            c.source.trim(),
        ],
    )?;
    if n == 0 {
        return Err(ModelError::Invalid(format!("no contact {id}")));
    }
    set_tags(conn, id, &c.tags)
}

/// Deletes contact `id` (its tags go with it); false when there was none.
pub fn delete_contact(conn: &Connection, id: i64) -> ModelResult<bool> {
    Ok(conn.execute("DELETE FROM contacts WHERE id = ?1", [id])? > 0)
}

/// Every contact with its tags and address text, by id.
pub fn load_all(conn: &Connection) -> ModelResult<Vec<ContactRow>> {
    let mut st = conn.prepare(
        "SELECT c.id, c.visit_id, c.address_fid, c.name, c.phone, c.email, c.consent_date,
                c.source, c.created_at,
                trim(trim(coalesce(a.number, '') || coalesce(a.suffix, '') || ' ' || coalesce(a.street, ''))
                     || ', ' || trim(coalesce(a.postcode, '') || ' ' || coalesce(a.city, '')), ', ')
         FROM contacts c LEFT JOIN addresses a ON a.fid = c.address_fid
         ORDER BY c.id",
    )?;
    let mut rows = st
        .query_map([], |r| {
            Ok(ContactRow {
                id: r.get(0)?,
                visit_id: r.get(1)?,
                address_fid: r.get(2)?,
                name: r.get(3)?,
                phone: r.get(4)?,
                email: r.get(5)?,
                consent_date: r.get(6)?,
                source: r.get(7)?,
                created_at: r.get(8)?,
                address: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                tags: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut st = conn.prepare(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN result_tags t ON t.id = ct.tag_id
         ORDER BY ct.contact_id",
    )?;
    let tags = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (contact_id, name) in tags {
        if let Ok(i) = rows.binary_search_by_key(&contact_id, |c| c.id) {
            rows[i].tags.push(name);
        }
    }
    for c in &mut rows {
        c.tags.sort_by_cached_key(|t| fold(t));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::storage::open_campaign_db;

    fn contact(name: &str, tags: &[&str]) -> NewContact {
        NewContact {
            visit_id: None,
            address_fid: None,
            name: name.into(),
            phone: "06 12 34 56 78".into(),
            email: String::new(),
            consent_date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            source: "porte à porte".into(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn contacts_round_trip_with_tags_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_campaign_db(&dir.path().join("c.gpkg")).unwrap();
        let a = insert_contact(&conn, &contact("Ana", &["écoles", "Logement"])).unwrap();
        let b = insert_contact(&conn, &contact("Bo", &["logement"])).unwrap();
        let tags: i64 = conn
            .query_row("SELECT count(*) FROM result_tags", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tags, 2, "\"logement\" reuses \"Logement\"");
        let all = load_all(&conn).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].id, a);
        assert_eq!(all[0].tags, vec!["écoles", "Logement"]);
        assert_eq!(all[1].tags, vec!["Logement"]);
        assert_eq!(all[0].consent_date, "2026-03-14");

        update_contact(&conn, b, &contact("Bob", &[])).unwrap();
        let all = load_all(&conn).unwrap();
        assert_eq!(all[1].name, "Bob");
        assert!(all[1].tags.is_empty());
        assert!(delete_contact(&conn, a).unwrap());
        assert!(!delete_contact(&conn, a).unwrap());
        assert_eq!(load_all(&conn).unwrap().len(), 1);
    }

    #[test]
    fn a_contact_without_any_way_to_reach_them_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_campaign_db(&dir.path().join("c.gpkg")).unwrap();
        let mut c = contact("  ", &[]);
        c.phone.clear();
        let e = insert_contact(&conn, &c).unwrap_err().to_string();
        assert!(e.contains("name, a phone or an email"), "{e}");
    }
}
