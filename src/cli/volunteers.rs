//! `porte volunteers import|list|export|add|delete`: the roster from the command line, over the
//! same model functions as the GUI's roster panel.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use geo_types::Point;
use serde::Serialize;

use crate::cli::output::{list, print};
use crate::cli::progress::TerminalProgress;
use crate::model::Campaign;
use crate::model::volunteers::availability::{parse_date, parse_slot, parse_weekday};
use crate::model::volunteers::export::{
    email_list, mailto_link, phone_list, sms_link, to_csv_with_roster, to_vcard,
};
use crate::model::volunteers::import::{
    DuplicatePolicy, ROSTER_FIELDS, parse_consent_date, read_headers,
};
use crate::model::volunteers::roster::distance_m;
use crate::model::volunteers::templates::{MessageContext, render};
use crate::model::volunteers::{
    Availability, RosterColumns, RosterFilter, RosterImportOptions, RosterImportReport, Volunteer,
};

#[derive(Subcommand, Debug)]
pub enum VolunteersCommand {
    /// Import a roster CSV (`;`, `,` or tab; UTF-8 or Latin-1); duplicates by phone or email.
    Import(ImportArgs),
    /// List the roster, filtered (availability, language, distance, consent).
    List {
        campaign: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Export the filtered roster: CSV, vCard, phone or email list, mailto:/sms: links.
    Export(ExportArgs),
    /// Add one volunteer (the home is found from the address when it is one of the campaign's).
    Add(AddArgs),
    /// Delete a volunteer (also from every team).
    Delete {
        campaign: PathBuf,
        /// Volunteer id (see `porte volunteers list`).
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    pub campaign: PathBuf,
    pub file: PathBuf,
    /// Column mapping over the guessed one, e.g. --map first_name=Prénom --map phone=Mobile
    /// (`--map notes=` ignores a column). Fields: ext_id, first_name, last_name, full_name, phone,
    /// email, address, address_id, lon, lat, availability, languages, mobility, role,
    /// consent_date, partner, notes.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub mapping: Vec<String>,
    /// Update the volunteer already on the roster from a duplicate row (default: skip the row).
    #[arg(long)]
    pub update_duplicates: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    /// Available on a weekday, a weekday slot or a date: sat, sat:morning, "sam matin",
    /// 2026-03-14, 2026-03-14:evening.
    #[arg(long, value_name = "WHEN")]
    pub available: Option<String>,
    /// Speaks this language (fr, en, anglais, English…).
    #[arg(long)]
    pub language: Option<String>,
    /// Living near this point (WGS84 "LON,LAT"), with --within-km.
    #[arg(
        long,
        value_name = "LON,LAT",
        requires = "within_km",
        allow_hyphen_values = true
    )]
    pub near: Option<String>,
    /// Radius around --near, kilometres.
    #[arg(long, value_name = "KM", requires = "near")]
    pub within_km: Option<f64>,
    /// Only volunteers with a consent date (who may be contacted).
    #[arg(long)]
    pub consented: bool,
    /// Text found in the name, phone, email, address, languages, role or notes.
    #[arg(long)]
    pub search: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    pub campaign: PathBuf,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// csv, vcard, phones, emails, mailto or sms (links with --message / --subject).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// File to write (default: standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Message of mailto:/sms: links; {first_name} and {last_name} are filled per volunteer.
    #[arg(long)]
    pub message: Option<String>,
    /// Subject of mailto: links.
    #[arg(long, default_value = "")]
    pub subject: String,
    /// Print a JSON summary (with --output) or the content inside JSON (without).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    pub campaign: PathBuf,
    #[arg(long)]
    pub first_name: String,
    #[arg(long, default_value = "")]
    pub last_name: String,
    #[arg(long, default_value = "")]
    pub phone: String,
    #[arg(long, default_value = "")]
    pub email: String,
    /// Home address (located among the campaign's addresses when possible).
    #[arg(long, default_value = "")]
    pub address: String,
    /// Home as WGS84 "LON,LAT" (instead of locating the address).
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub home: Option<String>,
    /// e.g. "sam matin; dim", "Saturday afternoon, 2026-03-14".
    #[arg(long, default_value = "")]
    pub availability: String,
    /// Languages, separated by `;` or `,`.
    #[arg(long, default_value = "")]
    pub languages: String,
    #[arg(long, default_value = "")]
    pub role: String,
    #[arg(long, default_value = "")]
    pub mobility: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Date they agreed to be contacted (2026-03-20 or 20/03/2026).
    #[arg(long)]
    pub consent_date: Option<String>,
    /// Their roster id (e.g. B61).
    #[arg(long)]
    pub ext_id: Option<String>,
    /// The volunteer id of their partner (kept together in teams).
    #[arg(long)]
    pub partner: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

/// A volunteer as listed: every field, the home as [lon, lat], the partner's name and, with
/// --near, the distance.
#[derive(Serialize)]
struct ListedVolunteer {
    #[serde(flatten)]
    volunteer: Volunteer,
    home_lonlat: Option<[f64; 2]>,
    availability_text: String,
    partner_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    distance_m: Option<f64>,
}

#[derive(Serialize)]
struct ListReport {
    count: usize,
    roster: usize,
    volunteers: Vec<ListedVolunteer>,
}

fn parse_lonlat(s: &str, what: &str) -> anyhow::Result<Point<f64>> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| anyhow::anyhow!("{what} {s}: expected LON,LAT (e.g. 1.60,48.05)"))?;
    let lon: f64 = a
        .trim()
        .parse()
        .with_context(|| format!("{what} {s}: bad longitude"))?;
    let lat: f64 = b
        .trim()
        .parse()
        .with_context(|| format!("{what} {s}: bad latitude"))?;
    anyhow::ensure!(
        (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat),
        "{what} {s}: longitude or latitude out of range"
    );
    Ok(Point::new(lon, lat))
}

impl FilterArgs {
    /// The model's filter from the command-line options.
    pub fn to_filter(&self) -> anyhow::Result<RosterFilter> {
        let mut f = RosterFilter {
            text: self.search.clone().unwrap_or_default(),
            language: self.language.clone(),
            consented_only: self.consented,
            ..RosterFilter::default()
        };
        if let Some(when) = &self.available {
            let (head, slot) = match when.split_once([':', ' ']) {
                Some((h, s)) => (h.trim(), Some(s.trim())),
                None => (when.trim(), None),
            };
            if let Some(s) = slot.filter(|s| !s.is_empty()) {
                f.slot = Some(parse_slot(s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--available {when}: slot “{s}” not understood (morning, afternoon, evening, matin, après-midi, soir)"
                    )
                })?);
            }
            if let Some(d) = parse_date(head) {
                f.date = Some(d);
            } else if let Some(d) = parse_weekday(head) {
                f.day = Some(d);
            } else if let (Some(s), None) = (parse_slot(head), slot) {
                f.slot = Some(s);
            } else {
                anyhow::bail!(
                    "--available {when}: expected a weekday (sat, samedi), a date (2026-03-14) or a slot, optionally with :morning/:afternoon/:evening"
                );
            }
        }
        if let (Some(near), Some(km)) = (&self.near, self.within_km) {
            anyhow::ensure!(km >= 0.0, "--within-km {km}: expected a positive distance");
            f.within_m_of = Some((parse_lonlat(near, "--near")?, km * 1000.0));
        }
        Ok(f)
    }
}

fn import_summary(r: &RosterImportReport) -> String {
    let dups: Vec<String> = r
        .duplicates
        .iter()
        .map(|d| {
            format!(
                "line {}: {} has the {} of {}{}",
                d.line,
                d.name,
                d.by,
                d.matched_name,
                if d.updated {
                    " (updated)"
                } else {
                    " (skipped)"
                }
            )
        })
        .collect();
    let rejected: Vec<String> = r
        .rejected
        .iter()
        .map(|x| format!("line {}: {}", x.line, x.reason))
        .collect();
    format!(
        "{} rows ({}, `{}`-separated): {} added, {} updated, {} duplicates, {} rejected\nhomes: {} by address id, {} by typed address, {} by lon/lat, {} not found; {} pairs linked{}{}{}",
        r.rows,
        r.encoding,
        r.delimiter,
        r.added,
        r.updated,
        r.duplicates.len(),
        r.rejected.len(),
        r.homes_by_address_id,
        r.homes_by_address_text,
        r.homes_by_lonlat,
        r.homes_not_found,
        r.pairs,
        list("duplicates", &dups, 20),
        list("rejected rows", &rejected, 20),
        list("warnings", &r.warnings, 20),
    )
}

fn list_summary(r: &ListReport) -> String {
    if r.roster == 0 {
        return "no volunteers yet: porte volunteers import CAMPAIGN FILE".into();
    }
    let mut s = format!("{} of {} volunteers", r.count, r.roster);
    for l in &r.volunteers {
        let v = &l.volunteer;
        s.push_str(&format!(
            "\n  {:>4}  {:<26} {:<16} {:<34} {}{}{}",
            v.id,
            v.full_name(),
            v.phone,
            v.email,
            l.availability_text,
            l.partner_name
                .as_ref()
                .map(|p| format!("  [with {p}]"))
                .unwrap_or_default(),
            l.distance_m
                .map(|d| format!("  {:.1} km", d / 1000.0))
                .unwrap_or_default(),
        ));
    }
    s
}

fn listed(
    selection: Vec<Volunteer>,
    all: &[Volunteer],
    near: Option<Point<f64>>,
) -> Vec<ListedVolunteer> {
    selection
        .into_iter()
        .map(|v| ListedVolunteer {
            home_lonlat: v.home_lonlat(),
            availability_text: v.availability.to_text(),
            partner_name: v
                .partner_id
                .and_then(|p| all.iter().find(|o| o.id == p))
                .map(Volunteer::full_name),
            distance_m: near.zip(v.home_wgs84).map(|(a, b)| distance_m(a, b)),
            volunteer: v,
        })
        .collect()
}

#[derive(Serialize)]
struct ExportReport {
    format: String,
    count: usize,
    file: Option<PathBuf>,
    bytes: usize,
}

#[derive(Serialize)]
struct DeleteReport {
    deleted: i64,
    name: String,
    remaining: usize,
}

pub fn run(command: VolunteersCommand) -> anyhow::Result<()> {
    match command {
        VolunteersCommand::Import(a) => {
            let mut columns = None;
            if !a.mapping.is_empty() {
                let mut cols = RosterColumns::guess(&read_headers(&a.file)?);
                for m in &a.mapping {
                    let (field, header) = m.split_once('=').ok_or_else(|| {
                        anyhow::anyhow!(
                            "--map {m}: expected FIELD=HEADER (fields: {})",
                            ROSTER_FIELDS.join(", ")
                        )
                    })?;
                    cols.set(field.trim(), Some(header.trim().to_owned()))
                        .map_err(|e| anyhow::anyhow!("--map {m}: {e}"))?;
                }
                columns = Some(cols);
            }
            let opts = RosterImportOptions {
                columns,
                on_duplicate: if a.update_duplicates {
                    DuplicatePolicy::Update
                } else {
                    DuplicatePolicy::Skip
                },
            };
            let mut c = Campaign::open(&a.campaign)?;
            let report = super::guarded(&a.file, || {
                c.import_volunteers(&a.file, &opts, &TerminalProgress::new())
            })?;
            print(a.json, &report, import_summary(&report))
        }
        VolunteersCommand::List {
            campaign,
            filter,
            json,
        } => {
            let f = filter.to_filter()?;
            let c = Campaign::open(&campaign)?;
            let all = c.volunteers()?;
            let selection: Vec<Volunteer> = all.iter().filter(|v| f.matches(v)).cloned().collect();
            let report = ListReport {
                count: selection.len(),
                roster: all.len(),
                volunteers: listed(selection, &all, f.within_m_of.map(|(p, _)| p)),
            };
            print(json, &report, list_summary(&report))
        }
        VolunteersCommand::Export(a) => export(a),
        VolunteersCommand::Add(a) => add(a),
        VolunteersCommand::Delete { campaign, id, json } => {
            let mut c = Campaign::open(&campaign)?;
            let name = c.volunteer(id)?.full_name();
            c.delete_volunteer(id)?;
            let report = DeleteReport {
                deleted: id,
                name: name.clone(),
                remaining: c.volunteers()?.len(),
            };
            print(json, &report, format!("volunteer {id} ({name}) deleted"))
        }
    }
}

fn export(a: ExportArgs) -> anyhow::Result<()> {
    let f = a.filter.to_filter()?;
    let c = Campaign::open(&a.campaign)?;
    let all = c.volunteers()?;
    let selection: Vec<Volunteer> = all.iter().filter(|v| f.matches(v)).cloned().collect();
    let message = a.message.clone().unwrap_or_default();
    let links = |make: &dyn Fn(&Volunteer, &str) -> Option<String>| -> String {
        let mut out = String::new();
        for v in &selection {
            let ctx = MessageContext::for_volunteer(v, None, None, true);
            let (body, _) = render(&message, &ctx);
            if let Some(link) = make(v, &body) {
                out.push_str(&link);
                out.push('\n');
            }
        }
        out
    };
    let text = match a.format.to_ascii_lowercase().as_str() {
        "csv" => to_csv_with_roster(&selection, &all),
        "vcard" | "vcf" => to_vcard(&selection),
        "phones" | "phone" => phone_list(&selection),
        "emails" | "email" => {
            let mut s = email_list(&selection);
            if !s.is_empty() {
                s.push('\n');
            }
            s
        }
        "mailto" => {
            let subject = a.subject.clone();
            links(&|v, body| mailto_link(v, &subject, body))
        }
        "sms" => links(&|v, body| sms_link(v, body)),
        other => {
            anyhow::bail!("--format {other}: expected csv, vcard, phones, emails, mailto or sms")
        }
    };
    match &a.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let report = ExportReport {
                format: a.format.to_ascii_lowercase(),
                count: selection.len(),
                file: Some(path.clone()),
                bytes: text.len(),
            };
            print(
                a.json,
                &report,
                format!(
                    "{} of {} volunteers written to {} ({})",
                    selection.len(),
                    all.len(),
                    path.display(),
                    report.format
                ),
            )
        }
        None if a.json => {
            #[derive(Serialize)]
            struct Inline {
                format: String,
                count: usize,
                content: String,
            }
            let report = Inline {
                format: a.format.to_ascii_lowercase(),
                count: selection.len(),
                content: text,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

fn add(a: AddArgs) -> anyhow::Result<()> {
    let availability = Availability::parse(&a.availability).map_err(|e| anyhow::anyhow!(e))?;
    let consent_date: Option<NaiveDate> = a
        .consent_date
        .as_deref()
        .map(|d| {
            parse_consent_date(d).ok_or_else(|| {
                anyhow::anyhow!("--consent-date {d}: expected a date (2026-03-20 or 20/03/2026)")
            })
        })
        .transpose()?;
    let home = a
        .home
        .as_deref()
        .map(|h| parse_lonlat(h, "--home"))
        .transpose()?;
    let v = Volunteer {
        ext_id: a.ext_id.filter(|e| !e.trim().is_empty()),
        first_name: a.first_name.trim().to_owned(),
        last_name: a.last_name.trim().to_owned(),
        phone: a.phone.trim().to_owned(),
        email: a.email.trim().to_owned(),
        address: a.address.trim().to_owned(),
        home_wgs84: home,
        availability,
        languages: crate::model::storage::volunteers::split_languages(&a.languages),
        mobility: a.mobility,
        role: a.role,
        notes: a.notes,
        consent_date,
        partner_id: a.partner,
        ..Volunteer::default()
    };
    let mut c = Campaign::open(&a.campaign)?;
    let id = c.add_volunteer(&v)?;
    let saved = c.volunteer(id)?;
    let all = c.volunteers()?;
    let human = format!(
        "added volunteer {id}: {} (home: {}){}",
        saved.full_name(),
        match saved.home_lonlat() {
            Some([lon, lat]) => format!("{lon:.6}, {lat:.6} from {}", saved.home_source.as_str()),
            None if saved.address.is_empty() => "none given".into(),
            None => "address not found among the campaign's addresses".into(),
        },
        if saved.availability.is_empty() {
            String::new()
        } else {
            format!(", available {}", saved.availability.to_text())
        }
    );
    let listed = listed(vec![saved], &all, None);
    print(a.json, &listed[0], human)
}
