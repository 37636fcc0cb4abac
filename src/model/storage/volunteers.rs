//! The `volunteers` feature table and `message_templates`: rows in and out.

use chrono::NaiveDate;
use geo_types::{Geometry, Point};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::error::{ModelError, ModelResult};
use crate::model::storage::gpkg;
use crate::model::volunteers::roster::{email_key, phone_key};
use crate::model::volunteers::{Availability, HomeSource, MessageTemplate, Volunteer};

const COLUMNS: &str = "fid, geom, ext_id, first_name, last_name, phone, email, address, address_fid, \
     home_source, availability, languages, mobility, role, notes, consent_date, partner_id";

/// Languages as stored: "français; anglais".
pub fn join_languages(languages: &[String]) -> String {
    languages.join("; ")
}

/// "français; anglais", "fr, en" → ["français", "anglais"].
pub fn split_languages(text: &str) -> Vec<String> {
    text.split([';', ',', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Volunteer> {
    let blob: Option<Vec<u8>> = r.get(1)?;
    let home_wgs84 = match blob.as_deref().map(gpkg::decode) {
        Some(Ok(Geometry::Point(p))) => Some(p),
        _ => None,
    };
    let consent: Option<String> = r.get(15)?;
    Ok(Volunteer {
        id: r.get(0)?,
        home_wgs84,
        ext_id: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        address: r.get(7)?,
        home_address_fid: r.get(8)?,
        home_source: HomeSource::parse(&r.get::<_, String>(9)?),
        // Stored canonical; a hand-edited value keeps what can be read.
        availability: Availability::parse_lenient(&r.get::<_, String>(10)?).0,
        languages: split_languages(&r.get::<_, String>(11)?),
        mobility: r.get(12)?,
        role: r.get(13)?,
        notes: r.get(14)?,
        consent_date: consent.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
        partner_id: r.get(16)?,
    })
}

/// Every volunteer, by last then first name (case- and accent-insensitive), then id.
pub fn load_all(conn: &Connection) -> ModelResult<Vec<Volunteer>> {
    let mut st = conn.prepare(&format!("SELECT {COLUMNS} FROM volunteers"))?;
    let mut out: Vec<Volunteer> = st.query_map([], from_row)?.collect::<Result<_, _>>()?;
    out.sort_by_cached_key(|v| {
        (
            crate::model::volunteers::fold(&v.last_name),
            crate::model::volunteers::fold(&v.first_name),
            v.id,
        )
    });
    Ok(out)
}

/// Volunteer `id`, if any.
pub fn load(conn: &Connection, id: i64) -> ModelResult<Option<Volunteer>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM volunteers WHERE fid = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

fn geom_blob(v: &Volunteer) -> Option<Vec<u8>> {
    v.home_wgs84
        .map(|p: Point<f64>| gpkg::encode(&Geometry::Point(p), 4326))
}

/// Inserts a volunteer (its `id` is ignored); returns the new id. `partner_id` is written as
/// given: the caller keeps links symmetric.
pub fn insert(conn: &Connection, v: &Volunteer) -> ModelResult<i64> {
    // A new row, then every field written by `update` (one place lists the columns).
    conn.execute("INSERT INTO volunteers DEFAULT VALUES", [])?;
    let id = conn.last_insert_rowid();
    update(conn, &Volunteer { id, ..v.clone() })?;
    Ok(id)
}

/// Saves every field of `v` by `v.id`; an error when there is no such volunteer.
pub fn update(conn: &Connection, v: &Volunteer) -> ModelResult<()> {
    let n = conn.execute(
        "UPDATE volunteers SET geom = ?2, ext_id = ?3, first_name = ?4, last_name = ?5, phone = ?6,
             phone_key = ?7, email = ?8, email_key = ?9, address = ?10, address_fid = ?11,
             home_source = ?12, availability = ?13, languages = ?14, mobility = ?15, role = ?16,
             notes = ?17, consent_date = ?18, partner_id = ?19
         WHERE fid = ?1",
        params![
            v.id,
            geom_blob(v),
            v.ext_id,
            v.first_name,
            v.last_name,
            v.phone,
            phone_key(&v.phone),
            v.email,
            email_key(&v.email),
            v.address,
            v.home_address_fid,
            v.home_source.as_str(),
            v.availability.to_text(),
            join_languages(&v.languages),
            v.mobility,
            v.role,
            v.notes,
            v.consent_date.map(|d| d.format("%Y-%m-%d").to_string()),
            v.partner_id,
        ],
    )?;
    if n == 0 {
        return Err(ModelError::Invalid(format!(
            "no volunteer {} on the roster",
            v.id
        )));
    }
    Ok(())
}

/// Sets one volunteer's partner column only.
pub fn set_partner(conn: &Connection, id: i64, partner: Option<i64>) -> ModelResult<()> {
    conn.execute(
        "UPDATE volunteers SET partner_id = ?2 WHERE fid = ?1",
        params![id, partner],
    )?;
    Ok(())
}

/// Links `a` and `b` as partners both ways, unlinking whoever either was paired with before.
pub fn link_partners(conn: &Connection, a: i64, b: i64) -> ModelResult<()> {
    conn.execute(
        "UPDATE volunteers SET partner_id = NULL
         WHERE partner_id IN (?1, ?2) AND fid NOT IN (?1, ?2)",
        params![a, b],
    )?;
    set_partner(conn, a, Some(b))?;
    set_partner(conn, b, Some(a))
}

/// Clears `id`'s partner link and the partner's link back to `id`.
pub fn unlink_partner(conn: &Connection, id: i64) -> ModelResult<()> {
    conn.execute(
        "UPDATE volunteers SET partner_id = NULL WHERE partner_id = ?1",
        [id],
    )?;
    set_partner(conn, id, None)
}

/// Deletes a volunteer (team memberships go by the `team_members` foreign key cascade, partner
/// links by `ON DELETE SET NULL`); teams left without members are deleted too. Returns whether
/// it existed.
pub fn delete(conn: &Connection, id: i64) -> ModelResult<bool> {
    let teams: Vec<i64> = {
        let mut st = conn.prepare("SELECT team_id FROM team_members WHERE volunteer_id = ?1")?;
        st.query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    let n = conn.execute("DELETE FROM volunteers WHERE fid = ?1", [id])?;
    for t in teams {
        conn.execute(
            "DELETE FROM operation_teams WHERE id = ?1
             AND NOT EXISTS (SELECT 1 FROM team_members WHERE team_id = ?1)",
            [t],
        )?;
    }
    Ok(n > 0)
}

/// The volunteer (id, full name) with that phone key or email key, other than `except`.
pub fn find_by_key(
    conn: &Connection,
    column: &str,
    key: &str,
    except: i64,
) -> ModelResult<Option<(i64, String)>> {
    let sql = match column {
        "phone_key" => {
            "SELECT fid, first_name, last_name FROM volunteers WHERE phone_key = ?1 AND fid != ?2 ORDER BY fid LIMIT 1"
        }
        _ => {
            "SELECT fid, first_name, last_name FROM volunteers WHERE email_key = ?1 AND fid != ?2 ORDER BY fid LIMIT 1"
        }
    };
    Ok(conn
        .query_row(sql, params![key, except], |r| {
            let v = Volunteer {
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                ..Volunteer::default()
            };
            Ok((r.get::<_, i64>(0)?, v.full_name()))
        })
        .optional()?)
}

/// Refreshes the layer extent of `volunteers` in `gpkg_contents` from their homes.
pub fn refresh_extent(conn: &Connection) -> ModelResult<()> {
    let mut st = conn.prepare("SELECT geom FROM volunteers WHERE geom IS NOT NULL")?;
    let mut rows = st.query([])?;
    let mut b: Option<[f64; 4]> = None;
    while let Some(r) = rows.next()? {
        let blob = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        if let Ok(Geometry::Point(p)) = gpkg::decode(blob) {
            let bb = b.get_or_insert([p.x(), p.y(), p.x(), p.y()]);
            bb[0] = bb[0].min(p.x());
            bb[1] = bb[1].min(p.y());
            bb[2] = bb[2].max(p.x());
            bb[3] = bb[3].max(p.y());
        }
    }
    gpkg::refresh_extent(conn, "volunteers", b)
}

/// Saved message templates, by name.
pub fn load_templates(conn: &Connection) -> ModelResult<Vec<MessageTemplate>> {
    let mut st = conn
        .prepare("SELECT id, name, body FROM message_templates ORDER BY name COLLATE NOCASE, id")?;
    let rows = st.query_map([], |r| {
        Ok(MessageTemplate {
            id: r.get(0)?,
            name: r.get(1)?,
            body: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The id of the template named `name` (case-insensitive), if any.
pub fn template_named(conn: &Connection, name: &str) -> ModelResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM message_templates WHERE lower(name) = lower(?1) ORDER BY id LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn insert_template(conn: &Connection, t: &MessageTemplate) -> ModelResult<i64> {
    conn.execute(
        "INSERT INTO message_templates (name, body) VALUES (?1, ?2)",
        params![t.name, t.body],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Updates template `t.id`; returns whether it existed.
pub fn update_template(conn: &Connection, t: &MessageTemplate) -> ModelResult<bool> {
    Ok(conn.execute(
        "UPDATE message_templates SET name = ?2, body = ?3 WHERE id = ?1",
        params![t.id, t.name, t.body],
    )? > 0)
}

/// Deletes template `id`; returns whether it existed.
pub fn delete_template(conn: &Connection, id: i64) -> ModelResult<bool> {
    Ok(conn.execute("DELETE FROM message_templates WHERE id = ?1", [id])? > 0)
}
