//! The campaign file's schema and its migrations.
//!
//! The file is a GeoPackage 1.3 (SQLite with `application_id` 'GPKG'): the GeoPackage metadata
//! tables, feature tables (`precincts`, `addresses`, `streets`, `turfs`) and attribute tables
//! (elections, results, import log, street nodes, turf doors and edit history). Porte's own
//! schema version lives in `porte_meta`, and each migration below upgrades it by one, inside
//! one transaction.

use rusqlite::{Connection, OptionalExtension};

use crate::model::error::ModelResult;

/// Ordered migrations; migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: GeoPackage core, precincts, addresses, elections and results, import log.
    r#"
    CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL PRIMARY KEY,
        organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL,
        definition TEXT NOT NULL,
        description TEXT
    );
    INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
        ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
        ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
        ('WGS 84 geodetic', 4326, 'EPSG', 4326,
         'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
         'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
    CREATE TABLE IF NOT EXISTS gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY,
        data_type TEXT NOT NULL,
        identifier TEXT UNIQUE,
        description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
        srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
    );
    CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
        table_name TEXT NOT NULL,
        column_name TEXT NOT NULL,
        geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL,
        m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
    );

    CREATE TABLE precincts (
        fid INTEGER PRIMARY KEY AUTOINCREMENT,
        geom MULTIPOLYGON,
        code TEXT NOT NULL UNIQUE,
        name TEXT,
        source_feature INTEGER,
        attributes TEXT
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
        VALUES ('precincts', 'features', 'precincts', 'Polling precincts (bureaux de vote)', 4326);
    INSERT INTO gpkg_geometry_columns VALUES ('precincts', 'geom', 'MULTIPOLYGON', 4326, 0, 0);

    CREATE TABLE addresses (
        fid INTEGER PRIMARY KEY AUTOINCREMENT,
        geom POINT,
        number TEXT,
        suffix TEXT,
        street TEXT,
        postcode TEXT,
        city TEXT,
        precinct_code TEXT,
        source TEXT NOT NULL,
        source_id TEXT
    );
    CREATE INDEX addresses_precinct ON addresses(precinct_code);
    CREATE INDEX addresses_source ON addresses(source);
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
        VALUES ('addresses', 'features', 'addresses', 'Doors (addresses) with their precinct', 4326);
    INSERT INTO gpkg_geometry_columns VALUES ('addresses', 'geom', 'POINT', 4326, 0, 0);

    CREATE TABLE elections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        source_file TEXT,
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE candidates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        election_id INTEGER NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        party TEXT,
        UNIQUE (election_id, label)
    );
    CREATE TABLE precinct_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        election_id INTEGER NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
        precinct_code TEXT NOT NULL,
        registered INTEGER,
        voters INTEGER,
        blank INTEGER,
        null_votes INTEGER,
        valid INTEGER,
        UNIQUE (election_id, precinct_code)
    );
    CREATE TABLE candidate_votes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        election_id INTEGER NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
        precinct_code TEXT NOT NULL,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
        votes INTEGER NOT NULL,
        UNIQUE (election_id, precinct_code, candidate_id)
    );
    CREATE TABLE import_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        file TEXT NOT NULL,
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        report_json TEXT NOT NULL
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
        ('elections', 'attributes', 'elections', 'Elections held by the campaign'),
        ('candidates', 'attributes', 'candidates', 'Candidates or lists per election'),
        ('precinct_results', 'attributes', 'precinct_results', 'Turnout per election and precinct'),
        ('candidate_votes', 'attributes', 'candidate_votes', 'Votes per election, precinct and candidate'),
        ('import_log', 'attributes', 'import_log', 'Every import and its report');
    "#,
    // 1 -> 2: priority model: blocs of candidates per election and the scoring settings.
    r#"
    CREATE TABLE blocs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        election_name TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('ours', 'near', 'rival', 'other')),
        UNIQUE (election_name, name)
    );
    CREATE TABLE bloc_members (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bloc_id INTEGER NOT NULL REFERENCES blocs(id) ON DELETE CASCADE,
        member TEXT NOT NULL,
        UNIQUE (bloc_id, member)
    );
    CREATE TABLE scoring_settings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        value TEXT NOT NULL
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
        ('blocs', 'attributes', 'blocs', 'Blocs of candidates per election and their role in the priority score'),
        ('bloc_members', 'attributes', 'bloc_members', 'Candidate labels or party codes of each bloc'),
        ('scoring_settings', 'attributes', 'scoring_settings', 'Priority score settings (election, weights...)');
    "#,
    // 2 -> 3: streets (OSM highway ways) as a feature table, and each street's ordered OSM node
    // ids (a node id in two streets is where they meet: the street graph's topology).
    r#"
    CREATE TABLE streets (
        fid INTEGER PRIMARY KEY AUTOINCREMENT,
        geom LINESTRING,
        osm_id INTEGER NOT NULL,
        name TEXT,
        highway TEXT NOT NULL,
        walkable BOOLEAN NOT NULL
    );
    CREATE INDEX streets_osm_id ON streets(osm_id);
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
        VALUES ('streets', 'features', 'streets', 'Streets (OpenStreetMap highway ways) and whether they can be walked', 4326);
    INSERT INTO gpkg_geometry_columns VALUES ('streets', 'geom', 'LINESTRING', 4326, 0, 0);
    CREATE TABLE street_nodes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        street_fid INTEGER NOT NULL REFERENCES streets(fid) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        osm_node_id INTEGER NOT NULL,
        UNIQUE (street_fid, seq)
    );
    CREATE INDEX street_nodes_node ON street_nodes(osm_node_id);
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
        ('street_nodes', 'attributes', 'street_nodes', 'Ordered OpenStreetMap node ids of each street (vertex seq of its line)');
    "#,
    // 3 -> 4: turfs (walkable areas) with their doors, their edit history (undo/redo) and the
    // walking-time settings.
    r#"
    CREATE TABLE turfs (
        fid INTEGER PRIMARY KEY AUTOINCREMENT,
        geom MULTIPOLYGON,
        name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'assigned', 'done')),
        colour TEXT NOT NULL,
        precincts TEXT NOT NULL DEFAULT '[]',
        area_m2 REAL NOT NULL DEFAULT 0,
        path_m REAL NOT NULL DEFAULT 0,
        minutes REAL NOT NULL DEFAULT 0
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
        VALUES ('turfs', 'features', 'turfs', 'Turfs: areas one pair of volunteers walks in one outing', 4326);
    INSERT INTO gpkg_geometry_columns VALUES ('turfs', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
    CREATE TABLE turf_doors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        turf_id INTEGER NOT NULL REFERENCES turfs(fid) ON DELETE CASCADE,
        address_fid INTEGER NOT NULL UNIQUE REFERENCES addresses(fid) ON DELETE CASCADE
    );
    CREATE INDEX turf_doors_turf ON turf_doors(turf_id);
    CREATE TABLE turf_edits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        label TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        made_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE turf_edit_states (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        edit_id INTEGER NOT NULL REFERENCES turf_edits(id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('before', 'after')),
        turf_id INTEGER NOT NULL,
        geom BLOB,
        state TEXT
    );
    CREATE INDEX turf_edit_states_edit ON turf_edit_states(edit_id);
    CREATE TABLE turf_settings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        value TEXT NOT NULL
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
        ('turf_doors', 'attributes', 'turf_doors', 'The doors (addresses) of each turf; a door is in at most one turf'),
        ('turf_edits', 'attributes', 'turf_edits', 'Turf edit history, for undo and redo'),
        ('turf_edit_states', 'attributes', 'turf_edit_states', 'Each turf before and after each edit (NULL state: absent)'),
        ('turf_settings', 'attributes', 'turf_settings', 'Walking-time model and turf settings');
    "#,
    // 4 -> 5: volunteers (a feature table: their homes), operations (dated outings) with their
    // turfs and teams, and message templates.
    r#"
    CREATE TABLE volunteers (
        fid INTEGER PRIMARY KEY AUTOINCREMENT,
        geom POINT,
        ext_id TEXT,
        first_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        phone_key TEXT,
        email TEXT NOT NULL DEFAULT '',
        email_key TEXT,
        address TEXT NOT NULL DEFAULT '',
        address_fid INTEGER REFERENCES addresses(fid) ON DELETE SET NULL,
        home_source TEXT NOT NULL DEFAULT 'none',
        availability TEXT NOT NULL DEFAULT '',
        languages TEXT NOT NULL DEFAULT '',
        mobility TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        consent_date TEXT,
        partner_id INTEGER REFERENCES volunteers(fid) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX volunteers_phone ON volunteers(phone_key);
    CREATE INDEX volunteers_email ON volunteers(email_key);
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
        VALUES ('volunteers', 'features', 'volunteers', 'Volunteer roster (point: home, when known)', 4326);
    INSERT INTO gpkg_geometry_columns VALUES ('volunteers', 'geom', 'POINT', 4326, 0, 0);
    CREATE TABLE operations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        date TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        meeting_point TEXT NOT NULL DEFAULT '',
        meeting_lon REAL,
        meeting_lat REAL,
        contact_phone TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE operation_turfs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        turf_id INTEGER NOT NULL REFERENCES turfs(fid) ON DELETE CASCADE,
        UNIQUE (operation_id, turf_id)
    );
    CREATE TABLE operation_teams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        turf_id INTEGER REFERENCES turfs(fid) ON DELETE SET NULL,
        name TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX operation_teams_operation ON operation_teams(operation_id);
    CREATE TABLE team_members (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        team_id INTEGER NOT NULL REFERENCES operation_teams(id) ON DELETE CASCADE,
        operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(fid) ON DELETE CASCADE,
        UNIQUE (operation_id, volunteer_id)
    );
    CREATE INDEX team_members_team ON team_members(team_id);
    CREATE TABLE message_templates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
        ('operations', 'attributes', 'operations', 'Dated outings: time window and meeting point'),
        ('operation_turfs', 'attributes', 'operation_turfs', 'The turfs each operation covers'),
        ('operation_teams', 'attributes', 'operation_teams', 'Teams of an operation and the turf each walks'),
        ('team_members', 'attributes', 'team_members', 'Volunteers of each team; one team per volunteer per operation'),
        ('message_templates', 'attributes', 'message_templates', 'Message templates with {placeholders}');
    "#,
    // 5 -> 6: field results: door visits (outcome, themes, follow-ups) tied to their operation,
    // turf and team; per-turf tallies; the campaign's theme list; contacts taken with consent;
    // goals. No column for sensitive categories (religion, health, orientation, origin, union).
    r#"
    CREATE TABLE result_tags (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        address_fid INTEGER NOT NULL REFERENCES addresses(fid) ON DELETE CASCADE,
        turf_id INTEGER REFERENCES turfs(fid) ON DELETE SET NULL,
        operation_id INTEGER REFERENCES operations(id) ON DELETE SET NULL,
        team_id INTEGER REFERENCES operation_teams(id) ON DELETE SET NULL,
        visited_on TEXT NOT NULL,
        recorded_at TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN
            ('not_home', 'opened', 'refused', 'come_back', 'moved', 'do_not_contact')),
        contact_taken INTEGER NOT NULL DEFAULT 0,
        wants_to_volunteer INTEGER NOT NULL DEFAULT 0,
        wants_to_donate INTEGER NOT NULL DEFAULT 0,
        wants_callback INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX visits_address ON visits(address_fid);
    CREATE INDEX visits_turf ON visits(turf_id);
    CREATE INDEX visits_operation ON visits(operation_id);
    CREATE TABLE visit_tags (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES result_tags(id) ON DELETE CASCADE,
        UNIQUE (visit_id, tag_id)
    );
    CREATE TABLE turf_tallies (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        turf_id INTEGER NOT NULL REFERENCES turfs(fid) ON DELETE CASCADE,
        operation_id INTEGER REFERENCES operations(id) ON DELETE SET NULL,
        team_id INTEGER REFERENCES operation_teams(id) ON DELETE SET NULL,
        tallied_on TEXT NOT NULL,
        knocked INTEGER NOT NULL DEFAULT 0 CHECK (knocked >= 0),
        opened INTEGER NOT NULL DEFAULT 0 CHECK (opened >= 0),
        contacts INTEGER NOT NULL DEFAULT 0 CHECK (contacts >= 0),
        refusals INTEGER NOT NULL DEFAULT 0 CHECK (refusals >= 0),
        source TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX turf_tallies_turf ON turf_tallies(turf_id);
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        visit_id INTEGER REFERENCES visits(id) ON DELETE SET NULL,
        address_fid INTEGER REFERENCES addresses(fid) ON DELETE SET NULL,
        name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        consent_date TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE contact_tags (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES result_tags(id) ON DELETE CASCADE,
        UNIQUE (contact_id, tag_id)
    );
    CREATE TABLE goals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        metric TEXT NOT NULL CHECK (metric IN ('doors_knocked', 'doors_opened', 'contacts')),
        target INTEGER NOT NULL CHECK (target > 0),
        due_date TEXT
    );
    INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
        ('result_tags', 'attributes', 'result_tags', 'Themes raised at the door (the campaign edits the list)'),
        ('visits', 'attributes', 'visits', 'Door visits: outcome, follow-ups, tied to operation, turf and team'),
        ('visit_tags', 'attributes', 'visit_tags', 'Themes of each visit'),
        ('turf_tallies', 'attributes', 'turf_tallies', 'Quick per-turf tallies (knocked, opened, contacts, refusals)'),
        ('contacts', 'attributes', 'contacts', 'Contacts taken at the door, only with a consent date'),
        ('contact_tags', 'attributes', 'contact_tags', 'Tags of each contact'),
        ('goals', 'attributes', 'goals', 'Campaign goals (e.g. 200,000 doors knocked by a date)');
    "#,
];

/// The schema version this build of Porte writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// GeoPackage `application_id` ("GPKG") and `user_version` (1.3.0).
pub const GPKG_APPLICATION_ID: i64 = 0x4750_4B47;
pub const GPKG_USER_VERSION: i64 = 10300;

/// The campaign's schema version (0 for an empty file).
pub fn schema_version(conn: &Connection) -> ModelResult<i64> {
    let has_meta: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'porte_meta'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !has_meta {
        return Ok(0);
    }
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM porte_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Applies every pending migration, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> ModelResult<()> {
    let mut version = schema_version(conn)?;
    while (version as usize) < MIGRATIONS.len() {
        let tx = conn.transaction()?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS porte_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        version += 1;
        tx.execute(
            "INSERT INTO porte_meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [version.to_string()],
        )?;
        tx.pragma_update(None, "application_id", GPKG_APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", GPKG_USER_VERSION)?;
        tx.commit()?;
    }
    Ok(())
}
