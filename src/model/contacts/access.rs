//! Right of access: everything the campaign file holds on one person (volunteer rows, team
//! memberships, contacts, visit notes and any other text mentioning them), as one report.

use rusqlite::Connection;
use serde::Serialize;

use super::person::{Needles, PersonQuery};
use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::storage::contacts::{self as store, ContactRow};
use crate::model::storage::volunteers as volunteer_store;
use crate::model::volunteers::Volunteer;

/// A team the person belongs to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamMembership {
    pub volunteer_id: i64,
    pub operation_id: i64,
    pub operation_name: String,
    pub operation_date: String,
    pub team_id: i64,
    pub team_name: String,
    pub turf_id: Option<i64>,
}

/// A visit whose note mentions the person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitMention {
    pub visit_id: i64,
    pub address_fid: i64,
    pub visited_on: String,
    pub outcome: String,
    pub note: String,
}

/// Any other text cell of the campaign file that mentions the person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextMention {
    pub table: String,
    pub column: String,
    pub rowid: i64,
    pub text: String,
}

/// Everything held on one person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonReport {
    pub query: PersonQuery,
    pub volunteers: Vec<Volunteer>,
    pub team_memberships: Vec<TeamMembership>,
    pub contacts: Vec<ContactRow>,
    pub visits: Vec<VisitMention>,
    pub other_mentions: Vec<TextMention>,
}

impl PersonReport {
    /// The report as pretty JSON: what `porte person access --json` prints and the GUI's
    /// "Person's data" window exports.
    pub fn to_json(&self) -> ModelResult<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| ModelError::Invalid(format!("cannot write the report as JSON: {e}")))
    }

    /// Rows found in all.
    pub fn total(&self) -> usize {
        self.volunteers.len()
            + self.team_memberships.len()
            + self.contacts.len()
            + self.visits.len()
            + self.other_mentions.len()
    }
}

/// The user tables whose rows are searched, with their columns: every table but SQLite's own,
/// virtual tables (R-trees) and their shadow tables, which hold no text.
pub(crate) fn searchable_columns(conn: &Connection) -> ModelResult<Vec<(String, Vec<String>)>> {
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE 'rtree_%' AND sql NOT LIKE 'CREATE VIRTUAL%'
           AND upper(sql) NOT LIKE '%WITHOUT ROWID%'
         ORDER BY name",
    )?;
    let tables = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for t in tables {
        let mut st = conn.prepare(&format!(
            "PRAGMA table_info(\"{}\")",
            t.replace('"', "\"\"")
        ))?;
        let cols = st
            .query_map([], |r| r.get::<_, String>(1))?
            .collect::<Result<Vec<_>, _>>()?;
        out.push((t, cols));
    }
    Ok(out)
}

/// Every text cell (any column: SQLite stores text in any of them) mentioning the person.
pub(crate) fn text_mentions(conn: &Connection, needles: &Needles) -> ModelResult<Vec<TextMention>> {
    let mut out = Vec::new();
    if needles.is_empty() {
        return Ok(out);
    }
    for (table, columns) in searchable_columns(conn)? {
        for column in columns {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            let mut st = conn.prepare(&format!(
                "SELECT rowid, {c} FROM {t} WHERE typeof({c}) = 'text'",
                c = q(&column),
                t = q(&table)
            ))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let text: String = r.get(1)?;
                if !needles.find(&text).is_empty() {
                    out.push(TextMention {
                        table: table.clone(),
                        column: column.clone(),
                        rowid: r.get(0)?,
                        text,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The volunteers and contacts that are the person's, and what finds them in free text (the
/// query and every name, phone and email of those rows).
pub(crate) fn find_person(
    conn: &Connection,
    query: &PersonQuery,
) -> ModelResult<(Vec<Volunteer>, Vec<ContactRow>, Needles)> {
    if query.is_empty() {
        return Err(ModelError::Invalid(
            "give the person's name, phone or email".into(),
        ));
    }
    let volunteers: Vec<Volunteer> = volunteer_store::load_all(conn)?
        .into_iter()
        .filter(|v| query.matches(&v.full_name(), &v.phone, &v.email))
        .collect();
    let contacts: Vec<ContactRow> = store::load_all(conn)?
        .into_iter()
        .filter(|c| query.matches(&c.name, &c.phone, &c.email))
        .collect();
    let mut needles = Needles::from_query(query);
    for v in &volunteers {
        needles.add_name(&v.full_name());
        needles.add_phone(&v.phone);
        needles.add_email(&v.email);
    }
    for c in &contacts {
        needles.add_name(&c.name);
        needles.add_phone(&c.phone);
        needles.add_email(&c.email);
    }
    Ok((volunteers, contacts, needles))
}

/// The teams of the given volunteers.
pub(crate) fn memberships(
    conn: &Connection,
    volunteer_ids: &[i64],
) -> ModelResult<Vec<TeamMembership>> {
    let mut st = conn.prepare(
        "SELECT m.volunteer_id, o.id, o.name, o.date, t.id, t.name, t.turf_id
         FROM team_members m JOIN operation_teams t ON t.id = m.team_id
              JOIN operations o ON o.id = m.operation_id
         WHERE m.volunteer_id = ?1 ORDER BY o.date, o.id, t.id",
    )?;
    let mut out = Vec::new();
    for id in volunteer_ids {
        let rows = st
            .query_map([id], |r| {
                Ok(TeamMembership {
                    volunteer_id: r.get(0)?,
                    operation_id: r.get(1)?,
                    operation_name: r.get(2)?,
                    operation_date: r.get(3)?,
                    team_id: r.get(4)?,
                    team_name: r.get(5)?,
                    turf_id: r.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        out.extend(rows);
    }
    Ok(out)
}

impl Campaign {
    /// Everything the campaign holds on the person (right of access).
    pub fn person_data(&self, query: &PersonQuery) -> ModelResult<PersonReport> {
        let (volunteers, contacts, needles) = find_person(&self.conn, query)?;
        let ids: Vec<i64> = volunteers.iter().map(|v| v.id).collect();
        let team_memberships = memberships(&self.conn, &ids)?;
        let mut visits = Vec::new();
        let mut other_mentions = Vec::new();
        for m in text_mentions(&self.conn, &needles)? {
            match m.table.as_str() {
                // Their own rows are listed whole above.
                "volunteers" if ids.contains(&m.rowid) => {}
                "contacts" if contacts.iter().any(|c| c.id == m.rowid) => {}
                "visits" if m.column == "note" => {
                    let v = self.conn.query_row(
                        "SELECT id, address_fid, visited_on, outcome, note FROM visits WHERE rowid = ?1",
                        [m.rowid],
                        |r| {
                            Ok(VisitMention {
                                visit_id: r.get(0)?,
                                address_fid: r.get(1)?,
                                visited_on: r.get(2)?,
                                outcome: r.get(3)?,
                                note: r.get(4)?,
                            })
                        },
                    )?;
                    visits.push(v);
                }
                _ => other_mentions.push(m),
            }
        }
        Ok(PersonReport {
            query: query.clone(),
            volunteers,
            team_memberships,
            contacts,
            visits,
            other_mentions,
        })
    }
}
