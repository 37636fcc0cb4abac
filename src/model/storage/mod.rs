//! Storage of the campaign in one SQLite file that is also a valid GeoPackage.
//!
//! - [`schema`]: tables and migrations.
//! - [`gpkg`]: GeoPackage geometry blobs (header + WKB) and layer extents.
//! - [`precincts`], [`addresses`], [`elections`], [`import_log`]: one table group each.
//! - [`scoring`]: blocs of candidates and the priority-score settings.
//! - [`streets`]: streets (OSM ways) and their node ids (the street graph's topology).
//! - [`turfs`]: turfs, their doors and edit history; [`doors`]: doors as the turf code reads them.
//! - [`contacts`]: contacts taken with consent and their tags.
//! - [`results`]: door visits, per-turf tallies and the campaign's themes.
//! - [`volunteers`]: the roster and message templates; [`operations`]: operations, their turfs and teams.

pub mod addresses;
pub mod contacts;
pub mod doors;
pub mod elections;
pub mod gpkg;
pub mod import_log;
pub mod operations;
pub mod precincts;
pub mod results;
pub mod schema;
pub mod scoring;
pub mod streets;
pub mod turfs;
pub mod volunteers;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::model::error::{ModelError, ModelResult};

/// Opens (creating when missing) a campaign database: WAL journal, foreign keys, full sync, and
/// the schema migrated to [`schema::CURRENT_VERSION`].
pub fn open_campaign_db(path: &Path) -> ModelResult<Connection> {
    let err = |source: rusqlite::Error| ModelError::Storage {
        path: path.to_path_buf(),
        source,
    };
    let existed = path.exists();
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        std::fs::create_dir_all(dir).map_err(|e| ModelError::Campaign {
            path: path.to_path_buf(),
            message: format!("cannot create its folder: {e}"),
        })?;
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    // A file that is not SQLite fails here, before anything is written to it.
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| ModelError::Campaign {
            path: path.to_path_buf(),
            message: format!("not a Porte campaign file ({e})"),
        })?;
    let version = schema::schema_version(&conn)?;
    if existed && tables > 0 && version == 0 {
        return Err(ModelError::Campaign {
            path: path.to_path_buf(),
            message: "this SQLite/GeoPackage file is not a Porte campaign; import its layers into a new campaign instead".into(),
        });
    }
    if version > schema::CURRENT_VERSION {
        return Err(ModelError::Campaign {
            path: path.to_path_buf(),
            message: format!(
                "made by a newer Porte (schema {version}, this one knows up to {})",
                schema::CURRENT_VERSION
            ),
        });
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(err)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(err)?;
    schema::migrate(&mut conn)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_gets_the_current_schema_in_wal_mode_as_a_geopackage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/new.gpkg");
        let conn = open_campaign_db(&path).unwrap();
        assert_eq!(
            schema::schema_version(&conn).unwrap(),
            schema::CURRENT_VERSION
        );
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let app: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, schema::GPKG_APPLICATION_ID);
        drop(conn);
        // Reopening migrates nothing and keeps the version.
        let conn = open_campaign_db(&path).unwrap();
        assert_eq!(
            schema::schema_version(&conn).unwrap(),
            schema::CURRENT_VERSION
        );
    }

    #[test]
    fn foreign_or_newer_files_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.sqlite");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        let e = open_campaign_db(&other).unwrap_err().to_string();
        assert!(
            e.contains("not a Porte campaign") && e.contains("other.sqlite"),
            "{e}"
        );
        let n: i64 = Connection::open(&other)
            .unwrap()
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "nothing was added to the foreign file");

        let newer = dir.path().join("newer.gpkg");
        drop(open_campaign_db(&newer).unwrap());
        Connection::open(&newer)
            .unwrap()
            .execute(
                "UPDATE porte_meta SET value = '999' WHERE key = 'schema_version'",
                [],
            )
            .unwrap();
        let e = open_campaign_db(&newer).unwrap_err().to_string();
        assert!(e.contains("newer Porte"), "{e}");

        let text = dir.path().join("notes.gpkg");
        std::fs::write(
            &text,
            "just some text, not SQLite at all, long enough to have a header",
        )
        .unwrap();
        let e = open_campaign_db(&text).unwrap_err().to_string();
        assert!(e.contains("notes.gpkg"), "{e}");
        assert!(
            std::fs::read_to_string(&text)
                .unwrap()
                .starts_with("just some text")
        );
    }
}
