//! The campaign: one SQLite file (a valid GeoPackage) holding precincts, elections, addresses and,
//! later, turfs, volunteers and field results. Every import runs in one transaction, so a failed
//! or cancelled import leaves the file as it was.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::model::error::{ModelError, ModelResult};
use crate::model::precinct::{BboxWgs84, Precinct};
use crate::model::storage;

/// An open campaign file.
pub struct Campaign {
    pub(crate) conn: Connection,
    path: PathBuf,
}

/// What `porte info` shows.
#[derive(Clone, Debug, Serialize)]
pub struct CampaignInfo {
    pub path: String,
    pub schema_version: i64,
    pub precincts: usize,
    /// Election names, sorted.
    pub elections: Vec<String>,
    pub addresses: usize,
    pub addresses_in_precincts: usize,
    pub bbox_wgs84: Option<BboxWgs84>,
}

impl Campaign {
    /// Opens a campaign file, creating it (and its schema) when it does not exist, and migrating
    /// an older schema. Refuses files that are not Porte campaigns.
    pub fn open(path: impl AsRef<Path>) -> ModelResult<Campaign> {
        let path = path.as_ref().to_path_buf();
        let conn = storage::open_campaign_db(&path)?;
        Ok(Campaign { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection, for storage functions and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn info(&self) -> ModelResult<CampaignInfo> {
        let schema_version = storage::schema::schema_version(&self.conn)?;
        let precincts = storage::precincts::count(&self.conn)?;
        let elections = storage::elections::election_names(&self.conn)?;
        let (addresses, addresses_in_precincts) = storage::addresses::counts(&self.conn)?;
        let bbox_wgs84 = storage::precincts::bbox(&self.conn)?;
        Ok(CampaignInfo {
            path: self.path.display().to_string(),
            schema_version,
            precincts,
            elections,
            addresses,
            addresses_in_precincts,
            bbox_wgs84,
        })
    }

    /// Every precinct, sorted by code.
    pub fn precincts(&self) -> ModelResult<Vec<Precinct>> {
        storage::precincts::load_all(&self.conn)
    }

    /// Runs `f` inside one write transaction: committed when `f` succeeds, rolled back otherwise.
    pub(crate) fn in_transaction<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> ModelResult<T>,
    ) -> ModelResult<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub(crate) fn campaign_error(&self, message: impl Into<String>) -> ModelError {
        ModelError::Campaign {
            path: self.path.clone(),
            message: message.into(),
        }
    }
}
