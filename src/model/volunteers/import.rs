//! Roster import from a CSV or spreadsheet export (`;`, `,` or tab separated; UTF-8 or
//! Windows-1252): column mapping (guessed from French and English headers, or given), one
//! volunteer per row, duplicates found by phone or email (against the roster and within the
//! file), partners linked by their roster id, homes geocoded against the campaign's addresses.
//! One transaction: a failed import changes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use geo_types::Point;
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::text::{TextRecord, TextTable, open_table};
use crate::model::progress::Progress;
use crate::model::storage::volunteers::{self as store, split_languages};
use crate::model::volunteers::availability::{Availability, parse_date};
use crate::model::volunteers::geocode::AddressIndex;
use crate::model::volunteers::roster::{check_volunteer, email_key, phone_key};
use crate::model::volunteers::{HomeSource, Volunteer, fold};

/// Which column holds what (header names, as in the file). `None`: not in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RosterColumns {
    pub ext_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// One column with the whole name, split on the first space, when first/last are absent.
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// The id of the home in the campaign's address file (BAN `id`).
    pub address_id: Option<String>,
    pub lon: Option<String>,
    pub lat: Option<String>,
    pub availability: Option<String>,
    pub languages: Option<String>,
    pub mobility: Option<String>,
    pub role: Option<String>,
    pub consent_date: Option<String>,
    /// The roster id (`ext_id`) of their partner.
    pub partner: Option<String>,
    pub notes: Option<String>,
}

/// The fields of [`RosterColumns`], as `--map FIELD=Header` names them.
pub const ROSTER_FIELDS: [&str; 17] = [
    "ext_id",
    "first_name",
    "last_name",
    "full_name",
    "phone",
    "email",
    "address",
    "address_id",
    "lon",
    "lat",
    "availability",
    "languages",
    "mobility",
    "role",
    "consent_date",
    "partner",
    "notes",
];

/// Header names recognised for each field (folded, punctuation as `_`), most specific first.
fn synonyms(field: &str) -> &'static [&'static str] {
    match field {
        "ext_id" => &[
            "id",
            "ref",
            "reference",
            "identifiant",
            "code",
            "matricule",
            "volunteer_id",
            "id_benevole",
            "id_militant",
            "numero",
            "no",
            "num",
        ],
        "first_name" => &[
            "prenom",
            "first_name",
            "firstname",
            "first",
            "given_name",
            "givenname",
            "forename",
            "prenoms",
        ],
        "last_name" => &[
            "nom",
            "nom_de_famille",
            "last_name",
            "lastname",
            "surname",
            "family_name",
            "name",
            "nom_famille",
        ],
        "full_name" => &[
            "nom_complet",
            "full_name",
            "fullname",
            "nom_prenom",
            "prenom_nom",
            "contact",
            "benevole",
            "volunteer",
            "display_name",
            "nom_et_prenom",
            "prenom_et_nom",
        ],
        "phone" => &[
            "telephone",
            "tel",
            "phone",
            "mobile",
            "portable",
            "cell",
            "gsm",
            "phone_number",
            "numero_de_telephone",
            "tel_portable",
            "mobile_phone",
            "cellphone",
            "telephone_mobile",
            "num_tel",
            "n_tel",
        ],
        "email" => &[
            "email",
            "e_mail",
            "mail",
            "courriel",
            "adresse_email",
            "adresse_mail",
            "email_address",
            "adresse_electronique",
            "mel",
        ],
        "address" => &[
            "adresse",
            "address",
            "adresse_postale",
            "domicile",
            "home_address",
            "street_address",
            "adresse_domicile",
            "home",
        ],
        "address_id" => &[
            "id_adresse",
            "address_id",
            "id_ban",
            "ban_id",
            "cle_interop",
            "adresse_id",
        ],
        "lon" => &["lon", "lng", "long", "longitude", "home_lon"],
        "lat" => &["lat", "latitude", "home_lat"],
        "availability" => &[
            "disponibilites",
            "disponibilite",
            "dispo",
            "dispos",
            "availability",
            "available",
            "availabilities",
            "creneaux",
            "creneau",
            "disponible",
        ],
        "languages" => &[
            "langues",
            "langue",
            "languages",
            "language",
            "langs",
            "langues_parlees",
            "spoken_languages",
        ],
        "mobility" => &[
            "mobilite",
            "mobility",
            "transport",
            "deplacement",
            "vehicule",
            "moyen_de_transport",
        ],
        "role" => &[
            "role", "fonction", "function", "position", "poste", "statut",
        ],
        "consent_date" => &[
            "consentement_date",
            "date_consentement",
            "consentement",
            "consent_date",
            "consent",
            "date_consent",
            "rgpd",
            "date_rgpd",
            "optin",
            "opt_in",
            "consent_given",
        ],
        "partner" => &[
            "binome",
            "partner",
            "partenaire",
            "pair",
            "buddy",
            "equipier",
            "id_binome",
            "partner_id",
            "binome_id",
        ],
        "notes" => &[
            "notes",
            "note",
            "remarques",
            "remarque",
            "commentaire",
            "commentaires",
            "comments",
            "comment",
            "observations",
        ],
        _ => &[],
    }
}

/// A header folded for matching: "Téléphone portable" → "telephone_portable".
fn header_key(h: &str) -> String {
    let mut out = String::new();
    for c in fold(h.trim()).chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

impl RosterColumns {
    /// Guesses the mapping from the header row (French and English names: prenom/first_name,
    /// nom/last_name, telephone/phone/mobile, courriel/email, adresse/address,
    /// disponibilites/availability, binome/partner, consentement_date/consent…).
    pub fn guess(headers: &[String]) -> RosterColumns {
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let mut used = vec![false; headers.len()];
        let mut cols = RosterColumns::default();
        // Exact names first, then headers starting with a known name ("telephone_portable").
        for exact in [true, false] {
            for field in ROSTER_FIELDS {
                if cols.get(field).is_some() {
                    continue;
                }
                let found = synonyms(field).iter().find_map(|syn| {
                    keys.iter().enumerate().position(|(i, k)| {
                        !used[i]
                            && !k.is_empty()
                            && if exact {
                                k == syn
                            } else {
                                syn.len() >= 3 && k.starts_with(&format!("{syn}_"))
                            }
                    })
                });
                if let Some(i) = found {
                    used[i] = true;
                    let _ = cols.set(field, Some(headers[i].clone()));
                }
            }
        }
        // A lone "nom" / "name" holds the whole name.
        if cols.first_name.is_none() && cols.full_name.is_none() && cols.last_name.is_some() {
            cols.full_name = cols.last_name.take();
        }
        cols
    }

    /// (field label, chosen header) for every field, in a stable order (the mapping UI).
    pub fn fields_mut(&mut self) -> Vec<(&'static str, &mut Option<String>)> {
        vec![
            ("ext_id", &mut self.ext_id),
            ("first_name", &mut self.first_name),
            ("last_name", &mut self.last_name),
            ("full_name", &mut self.full_name),
            ("phone", &mut self.phone),
            ("email", &mut self.email),
            ("address", &mut self.address),
            ("address_id", &mut self.address_id),
            ("lon", &mut self.lon),
            ("lat", &mut self.lat),
            ("availability", &mut self.availability),
            ("languages", &mut self.languages),
            ("mobility", &mut self.mobility),
            ("role", &mut self.role),
            ("consent_date", &mut self.consent_date),
            ("partner", &mut self.partner),
            ("notes", &mut self.notes),
        ]
    }

    /// The header chosen for `field` (one of [`ROSTER_FIELDS`]).
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "ext_id" => self.ext_id.as_deref(),
            "first_name" => self.first_name.as_deref(),
            "last_name" => self.last_name.as_deref(),
            "full_name" => self.full_name.as_deref(),
            "phone" => self.phone.as_deref(),
            "email" => self.email.as_deref(),
            "address" => self.address.as_deref(),
            "address_id" => self.address_id.as_deref(),
            "lon" => self.lon.as_deref(),
            "lat" => self.lat.as_deref(),
            "availability" => self.availability.as_deref(),
            "languages" => self.languages.as_deref(),
            "mobility" => self.mobility.as_deref(),
            "role" => self.role.as_deref(),
            "consent_date" => self.consent_date.as_deref(),
            "partner" => self.partner.as_deref(),
            "notes" => self.notes.as_deref(),
            _ => None,
        }
    }

    /// Sets the header of `field` (`None` or "": not in the file); an error names an unknown
    /// field.
    pub fn set(&mut self, field: &str, header: Option<String>) -> Result<(), String> {
        let field_key = header_key(field);
        let header = header.filter(|h| !h.trim().is_empty());
        match self.fields_mut().into_iter().find(|(f, _)| *f == field_key) {
            Some((_, slot)) => {
                *slot = header;
                Ok(())
            }
            None => Err(format!(
                "unknown roster field “{field}” (expected one of {})",
                ROSTER_FIELDS.join(", ")
            )),
        }
    }

    /// True when a name can be read (first, last or full name mapped).
    pub fn has_name(&self) -> bool {
        self.first_name.is_some() || self.last_name.is_some() || self.full_name.is_some()
    }
}

/// What to do with a row whose phone or email is already on the roster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Keep the roster as is and report the row.
    #[default]
    Skip,
    /// Fill in / replace the existing volunteer's fields from the row.
    Update,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RosterImportOptions {
    /// `None`: guessed from the headers.
    pub columns: Option<RosterColumns>,
    pub on_duplicate: DuplicatePolicy,
}

/// A row that matched a volunteer already on the roster (or an earlier row of the file).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DuplicateRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub name: String,
    /// "phone", "email", or "id" (same roster id and same name, for rows with neither).
    pub by: String,
    /// The roster volunteer it matched (`None` when it matched an earlier row of the file).
    pub matched_id: Option<i64>,
    pub matched_name: String,
    /// True when the existing volunteer was updated from the row.
    pub updated: bool,
}

/// A row that could not be imported, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RejectedRow {
    pub line: usize,
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RosterImportReport {
    pub file: PathBuf,
    pub columns: RosterColumns,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub duplicates: Vec<DuplicateRow>,
    pub rejected: Vec<RejectedRow>,
    /// Homes found: by the address id column, by matching the typed address, by lon/lat.
    pub homes_by_address_id: usize,
    pub homes_by_address_text: usize,
    pub homes_by_lonlat: usize,
    pub homes_not_found: usize,
    /// Pairs linked through the partner column.
    pub pairs: usize,
    /// Values kept but not understood (e.g. an availability piece), with their line.
    pub warnings: Vec<String>,
    /// "UTF-8" or "windows-1252" (Latin-1).
    pub encoding: String,
    /// ";", "," or "tab".
    pub delimiter: String,
}

/// The header row of a roster file (for the column-mapping UI).
pub fn read_headers(path: &Path) -> ModelResult<Vec<String>> {
    Ok(open_table(path)?.headers)
}

/// "2026-03-20", "20/03/2026", "2026-03-20 00:00:00", "2026-03-20T10:00:00Z".
pub fn parse_consent_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    parse_date(s).or_else(|| {
        let head = s.split([' ', 'T']).next().unwrap_or("");
        (head.len() < s.len()).then(|| parse_date(head)).flatten()
    })
}

/// Column indices of the mapped fields.
#[derive(Default)]
struct Cols {
    ext_id: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    full_name: Option<usize>,
    phone: Option<usize>,
    email: Option<usize>,
    address: Option<usize>,
    address_id: Option<usize>,
    lon: Option<usize>,
    lat: Option<usize>,
    availability: Option<usize>,
    languages: Option<usize>,
    mobility: Option<usize>,
    role: Option<usize>,
    consent_date: Option<usize>,
    partner: Option<usize>,
    notes: Option<usize>,
}

fn resolve(table: &TextTable, columns: &RosterColumns) -> Result<Cols, ImportError> {
    let mut missing = Vec::new();
    let mut find = |field: &str| -> Option<usize> {
        let h = columns.get(field)?;
        let i = table.column(h);
        if i.is_none() {
            missing.push(format!("{field}={h}"));
        }
        i
    };
    let cols = Cols {
        ext_id: find("ext_id"),
        first_name: find("first_name"),
        last_name: find("last_name"),
        full_name: find("full_name"),
        phone: find("phone"),
        email: find("email"),
        address: find("address"),
        address_id: find("address_id"),
        lon: find("lon"),
        lat: find("lat"),
        availability: find("availability"),
        languages: find("languages"),
        mobility: find("mobility"),
        role: find("role"),
        consent_date: find("consent_date"),
        partner: find("partner"),
        notes: find("notes"),
    };
    let row = format!("row {}", table.header_line);
    if !missing.is_empty() {
        return Err(ImportError::format(
            &table.path,
            row,
            format!(
                "mapped column not in the file: {} (columns: {})",
                missing.join(", "),
                table.headers.join(", ")
            ),
        ));
    }
    if cols.first_name.is_none() && cols.last_name.is_none() && cols.full_name.is_none() {
        return Err(ImportError::format(
            &table.path,
            row,
            format!(
                "not a volunteer roster: no name column (expected prenom/nom, first_name/last_name or a full-name column; found {}); map one with --map first_name=HEADER",
                table.headers.join(", ")
            ),
        ));
    }
    Ok(cols)
}

/// One row read into a volunteer, before duplicates and homes.
struct RowVolunteer {
    line: usize,
    v: Volunteer,
    address_id: String,
    lonlat: Option<Point<f64>>,
    partner: String,
}

fn read_row(
    rec: &TextRecord,
    c: &Cols,
    warnings: &mut Vec<String>,
) -> Result<RowVolunteer, String> {
    let get = |i: Option<usize>| i.map(|i| rec.get(i).to_owned()).unwrap_or_default();
    let line = rec.line as usize;
    let mut first_name = get(c.first_name);
    let mut last_name = get(c.last_name);
    if first_name.is_empty() && last_name.is_empty() {
        let full = get(c.full_name);
        match full.split_once(' ') {
            Some((f, l)) => {
                first_name = f.trim().to_owned();
                last_name = l.trim().to_owned();
            }
            None => first_name = full,
        }
    }
    if first_name.is_empty() && last_name.is_empty() {
        return Err("no name".into());
    }
    let consent_text = get(c.consent_date);
    let consent_date = if consent_text.is_empty() {
        None
    } else {
        Some(parse_consent_date(&consent_text).ok_or_else(|| {
            format!(
                "consent date “{consent_text}” is not a date (expected 2026-03-20 or 20/03/2026)"
            )
        })?)
    };
    let (lon_t, lat_t) = (get(c.lon), get(c.lat));
    let lonlat = match (lon_t.is_empty(), lat_t.is_empty()) {
        (true, true) => None,
        _ => {
            let num = |s: &str| s.replace(',', ".").parse::<f64>().ok();
            match (num(&lon_t), num(&lat_t)) {
                (Some(lon), Some(lat))
                    if lon.is_finite()
                        && lat.is_finite()
                        && (-180.0..=180.0).contains(&lon)
                        && (-90.0..=90.0).contains(&lat) =>
                {
                    Some(Point::new(lon, lat))
                }
                _ => {
                    return Err(format!(
                        "bad lon/lat “{lon_t}”, “{lat_t}” (expected WGS84 degrees, e.g. 1.6069, 48.0515)"
                    ));
                }
            }
        }
    };
    let mut notes = get(c.notes);
    let (availability, unknown) = Availability::parse_lenient(&get(c.availability));
    if !unknown.is_empty() {
        let pieces = unknown.join("; ");
        warnings.push(format!(
            "line {line}: availability “{pieces}” not understood (kept in the notes)"
        ));
        if !notes.is_empty() {
            notes.push('\n');
        }
        notes.push_str(&format!("availability as typed: {pieces}"));
    }
    let email = get(c.email);
    if !email.is_empty() && email_key(&email).is_none() {
        warnings.push(format!(
            "line {line}: email “{email}” has no @ (kept as typed)"
        ));
    }
    let phone = get(c.phone);
    if !phone.is_empty() && phone_key(&phone).is_none() {
        warnings.push(format!(
            "line {line}: phone “{phone}” is too short to be a phone number (kept as typed)"
        ));
    }
    let ext_id = Some(get(c.ext_id)).filter(|s| !s.is_empty());
    Ok(RowVolunteer {
        line,
        v: Volunteer {
            ext_id,
            first_name,
            last_name,
            phone,
            email,
            address: get(c.address),
            availability,
            languages: split_languages(&get(c.languages)),
            mobility: get(c.mobility),
            role: get(c.role),
            notes,
            consent_date,
            ..Volunteer::default()
        },
        address_id: get(c.address_id),
        lonlat,
        partner: get(c.partner),
    })
}

/// Fills `old` from the non-empty fields of `new` (the `Update` duplicate policy).
fn merge(old: &mut Volunteer, new: &Volunteer) {
    let put = |dst: &mut String, src: &String| {
        if !src.trim().is_empty() {
            dst.clone_from(src);
        }
    };
    put(&mut old.first_name, &new.first_name);
    put(&mut old.last_name, &new.last_name);
    put(&mut old.phone, &new.phone);
    put(&mut old.email, &new.email);
    put(&mut old.address, &new.address);
    put(&mut old.mobility, &new.mobility);
    put(&mut old.role, &new.role);
    put(&mut old.notes, &new.notes);
    if new.ext_id.is_some() {
        old.ext_id.clone_from(&new.ext_id);
    }
    if !new.availability.is_empty() {
        old.availability = new.availability.clone();
    }
    if !new.languages.is_empty() {
        old.languages = new.languages.clone();
    }
    if new.consent_date.is_some() {
        old.consent_date = new.consent_date;
    }
    if new.home_wgs84.is_some() {
        old.home_wgs84 = new.home_wgs84;
        old.home_address_fid = new.home_address_fid;
        old.home_source = new.home_source;
    }
}

/// How a home was found, for the report.
enum HomeBy {
    AddressId,
    AddressText,
    LonLat,
    NotFound,
}

fn locate(r: &mut RowVolunteer, index: &AddressIndex, warnings: &mut Vec<String>) -> HomeBy {
    if !r.address_id.is_empty() {
        if let Some((fid, pos)) = index.by_source_id(&r.address_id) {
            r.v.home_wgs84 = Some(pos);
            r.v.home_address_fid = Some(fid);
            r.v.home_source = HomeSource::Address;
            return HomeBy::AddressId;
        }
        warnings.push(format!(
            "line {}: address id “{}” is not among the campaign's addresses",
            r.line, r.address_id
        ));
    }
    if let Some(p) = r.lonlat {
        r.v.home_wgs84 = Some(p);
        r.v.home_source = HomeSource::LonLat;
        return HomeBy::LonLat;
    }
    if !r.v.address.trim().is_empty()
        && let Some((fid, pos)) = index.find(&r.v.address)
    {
        r.v.home_wgs84 = Some(pos);
        r.v.home_address_fid = Some(fid);
        r.v.home_source = HomeSource::Address;
        return HomeBy::AddressText;
    }
    HomeBy::NotFound
}

impl Campaign {
    /// Imports a roster file (see the module docs).
    pub fn import_volunteers(
        &mut self,
        path: &Path,
        options: &RosterImportOptions,
        progress: &dyn Progress,
    ) -> ModelResult<RosterImportReport> {
        progress.set(0.0, "reading the roster");
        let table = open_table(path)?;
        let columns = options
            .columns
            .clone()
            .unwrap_or_else(|| RosterColumns::guess(&table.headers));
        let cols = resolve(&table, &columns)?;
        let records: Vec<TextRecord> = table.records().collect::<Result<_, _>>()?;
        let mut report = RosterImportReport {
            file: path.to_path_buf(),
            columns,
            encoding: table.encoding.to_owned(),
            delimiter: table.delimiter_name(),
            ..RosterImportReport::default()
        };
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        progress.set(0.1, "reading the campaign's addresses");
        let homes_wanted = cols.address_id.is_some() || cols.address.is_some();
        let index = if homes_wanted {
            AddressIndex::load(&self.conn)?
        } else {
            AddressIndex::default()
        };
        let policy = options.on_duplicate;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        self.in_transaction(|tx| {
            let roster = store::load_all(tx)?;
            let mut by_phone: HashMap<String, (i64, String)> = HashMap::new();
            let mut by_email: HashMap<String, (i64, String)> = HashMap::new();
            let mut by_ext: HashMap<String, i64> = HashMap::new();
            // Roster id → (id, name, folded name): a re-imported row without phone or email.
            let mut by_ext_named: HashMap<String, (i64, String, String)> = HashMap::new();
            for v in &roster {
                if let Some(e) = &v.ext_id {
                    by_ext_named
                        .entry(e.clone())
                        .or_insert((v.id, v.full_name(), fold(&v.full_name())));
                }
                if let Some(k) = phone_key(&v.phone) {
                    by_phone.entry(k).or_insert((v.id, v.full_name()));
                }
                if let Some(k) = email_key(&v.email) {
                    by_email.entry(k).or_insert((v.id, v.full_name()));
                }
                if let Some(e) = &v.ext_id {
                    by_ext.entry(e.clone()).or_insert(v.id);
                }
            }
            // Keys of earlier rows of this file: (line, name).
            let mut file_phone: HashMap<String, (usize, String)> = HashMap::new();
            let mut file_email: HashMap<String, (usize, String)> = HashMap::new();
            // (line, volunteer id, partner's roster id as typed)
            let mut partner_requests: Vec<(usize, i64, String)> = Vec::new();
            let total = records.len().max(1);
            for (i, rec) in records.iter().enumerate() {
                if progress.is_cancelled() {
                    return Err(ModelError::Cancelled);
                }
                if i % 16 == 0 {
                    progress.set(0.15 + 0.75 * i as f32 / total as f32, "importing volunteers");
                }
                if rec.is_blank() {
                    continue;
                }
                report.rows += 1;
                let mut row = match read_row(rec, &cols, &mut report.warnings) {
                    Ok(r) => r,
                    Err(reason) => {
                        report.rejected.push(RejectedRow {
                            line: rec.line as usize,
                            reason,
                        });
                        continue;
                    }
                };
                let name = row.v.full_name();
                let pk = phone_key(&row.v.phone);
                let ek = email_key(&row.v.email);
                let in_roster = pk
                    .as_ref()
                    .and_then(|k| by_phone.get(k))
                    .map(|m| ("phone", m))
                    .or_else(|| ek.as_ref().and_then(|k| by_email.get(k)).map(|m| ("email", m)))
                    .map(|(by, (id, n))| (by, (*id, n.clone())))
                    .or_else(|| {
                        let e = row.v.ext_id.as_ref()?;
                        let (id, n, folded) = by_ext_named.get(e)?;
                        (*folded == fold(&name)).then(|| ("id", (*id, n.clone())))
                    });
                if let Some((by, (id, matched_name))) = in_roster {
                    let mut updated = false;
                    if policy == DuplicatePolicy::Update {
                        let home = locate(&mut row, &index, &mut report.warnings);
                        let mut old = store::load(tx, id)?.ok_or_else(|| {
                            ModelError::Invalid(format!("volunteer {id} vanished during the import"))
                        })?;
                        merge(&mut old, &row.v);
                        match check_volunteer(tx, &old, id) {
                            Ok(()) => {
                                store::update(tx, &old)?;
                                updated = true;
                                report.updated += 1;
                                count_home(&mut report, &home);
                                if let Some(e) = &old.ext_id {
                                    by_ext.insert(e.clone(), id);
                                }
                                if !row.partner.is_empty() {
                                    partner_requests.push((row.line, id, row.partner.clone()));
                                }
                            }
                            Err(e) => report.rejected.push(RejectedRow {
                                line: row.line,
                                reason: format!("cannot update {matched_name}: {e}"),
                            }),
                        }
                    }
                    report.duplicates.push(DuplicateRow {
                        line: row.line,
                        name,
                        by: by.into(),
                        matched_id: Some(id),
                        matched_name,
                        updated,
                    });
                    continue;
                }
                let in_file = pk
                    .as_ref()
                    .and_then(|k| file_phone.get(k))
                    .map(|m| ("phone", m))
                    .or_else(|| ek.as_ref().and_then(|k| file_email.get(k)).map(|m| ("email", m)));
                if let Some((by, (line, matched_name))) = in_file {
                    report.duplicates.push(DuplicateRow {
                        line: row.line,
                        name,
                        by: by.into(),
                        matched_id: None,
                        matched_name: format!("{matched_name} (line {line})"),
                        updated: false,
                    });
                    continue;
                }
                let home = locate(&mut row, &index, &mut report.warnings);
                let id = store::insert(tx, &row.v)?;
                report.added += 1;
                count_home(&mut report, &home);
                if let Some(k) = pk {
                    file_phone.insert(k, (row.line, name.clone()));
                }
                if let Some(k) = ek {
                    file_email.insert(k, (row.line, name.clone()));
                }
                if let Some(e) = &row.v.ext_id
                    && let Some(other) = by_ext.insert(e.clone(), id)
                    && other != id
                {
                    report.warnings.push(format!(
                        "line {}: roster id “{e}” was already used; partners naming it now mean {name}",
                        row.line
                    ));
                }
                if !row.partner.is_empty() {
                    partner_requests.push((row.line, id, row.partner.clone()));
                }
            }
            progress.set(0.92, "linking partners");
            link_requested_partners(tx, &partner_requests, &by_ext, &mut report)?;
            store::refresh_extent(tx)?;
            crate::model::storage::import_log::append(tx, "volunteers", &file_name, &report)?;
            progress.set(1.0, "done");
            Ok(())
        })?;
        Ok(report)
    }
}

fn count_home(report: &mut RosterImportReport, home: &HomeBy) {
    match home {
        HomeBy::AddressId => report.homes_by_address_id += 1,
        HomeBy::AddressText => report.homes_by_address_text += 1,
        HomeBy::LonLat => report.homes_by_lonlat += 1,
        HomeBy::NotFound => report.homes_not_found += 1,
    }
}

/// Links the partners the rows named (both ways), then counts the pairs that hold and warns
/// about the requests a later row overrode.
fn link_requested_partners(
    conn: &rusqlite::Connection,
    requests: &[(usize, i64, String)],
    by_ext: &HashMap<String, i64>,
    report: &mut RosterImportReport,
) -> ModelResult<()> {
    let mut linked: Vec<(usize, i64, i64, String)> = Vec::new();
    for (line, id, partner) in requests {
        match by_ext.get(partner.trim()) {
            None => report.warnings.push(format!(
                "line {line}: partner “{partner}” is not on the roster (no volunteer with that id)"
            )),
            Some(&p) if p == *id => report.warnings.push(format!(
                "line {line}: a volunteer cannot be their own partner"
            )),
            Some(&p) => {
                store::link_partners(conn, *id, p)?;
                linked.push((*line, *id, p, partner.clone()));
            }
        }
    }
    let mut pairs = std::collections::BTreeSet::new();
    for (line, id, p, partner) in linked {
        let a = store::load(conn, id)?.and_then(|v| v.partner_id);
        let b = store::load(conn, p)?.and_then(|v| v.partner_id);
        if a == Some(p) && b == Some(id) {
            pairs.insert((id.min(p), id.max(p)));
        } else {
            report.warnings.push(format!(
                "line {line}: partner “{partner}” was paired with someone else by a later row"
            ));
        }
    }
    report.pairs = pairs.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoProgress;
    use crate::model::progress::SharedProgress;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_french_and_english_headers() {
        let c = RosterColumns::guess(&headers(&[
            "id",
            "prenom",
            "nom",
            "telephone",
            "email",
            "adresse",
            "id_adresse",
            "lon",
            "lat",
            "disponibilites",
            "langues",
            "mobilite",
            "role",
            "consentement_date",
            "binome",
        ]));
        assert_eq!(c.ext_id.as_deref(), Some("id"));
        assert_eq!(c.first_name.as_deref(), Some("prenom"));
        assert_eq!(c.last_name.as_deref(), Some("nom"));
        assert_eq!(c.address_id.as_deref(), Some("id_adresse"));
        assert_eq!(c.availability.as_deref(), Some("disponibilites"));
        assert_eq!(c.consent_date.as_deref(), Some("consentement_date"));
        assert_eq!(c.partner.as_deref(), Some("binome"));
        assert_eq!(c.full_name, None);
        let c = RosterColumns::guess(&headers(&[
            "First Name",
            "Last Name",
            "Mobile phone",
            "E-mail",
            "Home address",
            "Availability",
            "Consent",
            "Notes",
        ]));
        assert_eq!(c.first_name.as_deref(), Some("First Name"));
        assert_eq!(c.last_name.as_deref(), Some("Last Name"));
        assert_eq!(c.phone.as_deref(), Some("Mobile phone"));
        assert_eq!(c.email.as_deref(), Some("E-mail"));
        assert_eq!(c.address.as_deref(), Some("Home address"));
        assert_eq!(c.consent_date.as_deref(), Some("Consent"));
        let c = RosterColumns::guess(&headers(&["Nom", "Téléphone portable", "Courriel"]));
        assert_eq!(
            c.full_name.as_deref(),
            Some("Nom"),
            "a lone Nom is the whole name"
        );
        assert_eq!(c.phone.as_deref(), Some("Téléphone portable"));
        assert_eq!(c.email.as_deref(), Some("Courriel"));
        let mut c = c;
        c.set("first_name", Some("X".into())).unwrap();
        assert_eq!(c.get("first_name"), Some("X"));
        assert!(c.set("shoe_size", None).is_err());
        assert_eq!(c.fields_mut().len(), ROSTER_FIELDS.len());
        assert!(c.has_name());
    }

    #[test]
    fn consent_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 20);
        assert_eq!(parse_consent_date("2026-03-20"), d);
        assert_eq!(parse_consent_date("20/03/2026"), d);
        assert_eq!(parse_consent_date("2026-03-20 00:00:00"), d);
        assert_eq!(parse_consent_date("2026-03-20T10:00:00Z"), d);
        assert_eq!(parse_consent_date("oui"), None);
        assert_eq!(parse_consent_date("31/02/2026"), None);
    }

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn rows_duplicates_rejections_and_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        let p = write(
            &dir,
            "roster.csv",
            "id,first_name,last_name,phone,email,availability,partner,consent,lon,lat\n\
             A1,Ana,Silva,06 12 34 56 78,ana@example.org,sat am; sun pm,A2,2026-01-02,1.6,48.05\n\
             A2,Bob,Martin,0700000001,,\"sam matin, quand il fait beau\",A1,,,\n\
             A3,Cléo,Durand,+33 6 12 34 56 78,cleo@example.org,,,,,\n\
             A4,,,0700000002,,,,,,\n\
             A5,Dan,Petit,0700000003,,,,hier,,\n\
             A6,Eve,Roux,0700000004,,,,,abc,48\n\
             A7,Fay,Blanc,0700000005,ANA@example.org,,A9,,,\n\
             \n\
             A8,Gil,Noir,,,,,,1.61,\n\
             A9,Hal,Vert,,,,,,,\n"
                .as_bytes(),
        );
        let r = c
            .import_volunteers(&p, &RosterImportOptions::default(), &NoProgress)
            .unwrap();
        assert_eq!(r.rows, 9);
        assert_eq!(r.added, 3, "{r:#?}");
        assert_eq!(r.pairs, 1);
        assert_eq!(r.homes_by_lonlat, 1);
        assert_eq!(r.encoding, "UTF-8");
        assert_eq!(r.delimiter, ",");
        let dups: Vec<(usize, &str)> = r
            .duplicates
            .iter()
            .map(|d| (d.line, d.by.as_str()))
            .collect();
        assert_eq!(dups, vec![(4, "phone"), (8, "email")]);
        assert!(r.duplicates[0].matched_name.contains("Ana Silva (line 2)"));
        let rejected: Vec<usize> = r.rejected.iter().map(|x| x.line).collect();
        assert_eq!(rejected, vec![5, 6, 7, 10]);
        assert_eq!(r.rejected[0].reason, "no name");
        assert!(r.rejected[1].reason.contains("consent date"));
        assert!(r.rejected[2].reason.contains("lon/lat"));
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("line 3") && w.contains("quand il fait beau")),
            "{:?}",
            r.warnings
        );
        let all = c.volunteers().unwrap();
        assert_eq!(all.len(), 3);
        let bob = all.iter().find(|v| v.first_name == "Bob").unwrap();
        assert!(bob.notes.contains("quand il fait beau"));
        assert_eq!(bob.availability.to_text(), "sat morning");
        let ana = all.iter().find(|v| v.first_name == "Ana").unwrap();
        assert_eq!(ana.partner_id, Some(bob.id));
        assert_eq!(bob.partner_id, Some(ana.id));
        assert_eq!(ana.consent_date, NaiveDate::from_ymd_opt(2026, 1, 2));

        // Again: every row is a duplicate of the roster now; with Update, fields are filled in.
        let r = c
            .import_volunteers(&p, &RosterImportOptions::default(), &NoProgress)
            .unwrap();
        assert_eq!(r.added, 0);
        assert_eq!(r.duplicates.len(), 5);
        assert_eq!(
            r.duplicates[4].by, "id",
            "no phone or email: same roster id and name"
        );
        let up = c
            .import_volunteers(
                &write(
                    &dir,
                    "up.csv",
                    b"prenom;nom;telephone;role\nAna;Silva;0612345678;responsable\n",
                ),
                &RosterImportOptions {
                    on_duplicate: DuplicatePolicy::Update,
                    ..RosterImportOptions::default()
                },
                &NoProgress,
            )
            .unwrap();
        assert_eq!((up.added, up.updated), (0, 1));
        assert!(up.duplicates[0].updated);
        let ana = c.volunteer(ana.id).unwrap();
        assert_eq!(ana.role, "responsable");
        assert_eq!(
            ana.email, "ana@example.org",
            "empty cells keep the old value"
        );
        assert_eq!(ana.partner_id, Some(bob.id));
    }

    #[test]
    fn latin1_semicolons_and_explicit_mapping() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        let p = write(
            &dir,
            "l1.csv",
            b"Qui;Portable;Quand\nH\xe9l\xe8ne Fran\xe7ois;06 00 00 00 01;samedi apr\xe8s-midi\n",
        );
        let e = c
            .import_volunteers(&p, &RosterImportOptions::default(), &NoProgress)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no name column") && e.contains("l1.csv"), "{e}");
        let mut cols = RosterColumns::guess(&read_headers(&p).unwrap());
        cols.set("full_name", Some("Qui".into())).unwrap();
        cols.set("availability", Some("Quand".into())).unwrap();
        let r = c
            .import_volunteers(
                &p,
                &RosterImportOptions {
                    columns: Some(cols.clone()),
                    ..RosterImportOptions::default()
                },
                &NoProgress,
            )
            .unwrap();
        assert_eq!(r.encoding, "windows-1252");
        assert_eq!(r.added, 1);
        let v = &c.volunteers().unwrap()[0];
        assert_eq!(
            (v.first_name.as_str(), v.last_name.as_str()),
            ("Hélène", "François")
        );
        assert_eq!(v.phone, "06 00 00 00 01");
        assert_eq!(v.availability.to_text(), "sat afternoon");
        cols.set("email", Some("Courriel".into())).unwrap();
        let e = c
            .import_volunteers(
                &p,
                &RosterImportOptions {
                    columns: Some(cols),
                    ..RosterImportOptions::default()
                },
                &NoProgress,
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("email=Courriel") && e.contains("l1.csv"), "{e}");
    }

    #[test]
    fn cancel_and_garbage_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("c.gpkg")).unwrap();
        let p = write(&dir, "r.csv", b"prenom;nom\nA;B\nC;D\n");
        let cancelled = SharedProgress::default();
        cancelled.cancel();
        assert!(matches!(
            c.import_volunteers(&p, &RosterImportOptions::default(), &cancelled),
            Err(ModelError::Cancelled)
        ));
        let g = write(&dir, "g.csv", &[0, 159, 146, 150, 0, 1, 2, 3, 255, 0]);
        let e = c
            .import_volunteers(&g, &RosterImportOptions::default(), &NoProgress)
            .unwrap_err()
            .to_string();
        assert!(e.contains("g.csv"), "{e}");
        assert!(c.volunteers().unwrap().is_empty());
    }
}
