//! The import log: every import's kind, file, time and full JSON report, newest first.

use rusqlite::Connection;
use serde::Serialize;

use crate::model::error::ModelResult;

/// One past import.
#[derive(Clone, Debug, Serialize)]
pub struct ImportLogEntry {
    pub id: i64,
    /// "precincts", "results" or "addresses".
    pub kind: String,
    pub file: String,
    pub imported_at: String,
    pub report_json: String,
}

/// Records an import's report (inside the import's own transaction).
pub fn append(
    conn: &Connection,
    kind: &str,
    file: &str,
    report: &impl Serialize,
) -> ModelResult<()> {
    let json = serde_json::to_string(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    conn.execute(
        "INSERT INTO import_log (kind, file, report_json) VALUES (?1, ?2, ?3)",
        rusqlite::params![kind, file, json],
    )?;
    Ok(())
}

/// The `limit` most recent imports, newest first.
pub fn recent(conn: &Connection, limit: usize) -> ModelResult<Vec<ImportLogEntry>> {
    let mut st = conn.prepare(
        "SELECT id, kind, file, imported_at, report_json FROM import_log ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = st
        .query_map([limit as i64], |r| {
            Ok(ImportLogEntry {
                id: r.get(0)?,
                kind: r.get(1)?,
                file: r.get(2)?,
                imported_at: r.get(3)?,
                report_json: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
