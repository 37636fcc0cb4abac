//! `porte contacts list|export|add` and `porte person access|erase`: contacts taken with consent
//! and the data-protection requests, over the same model functions as the GUI.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::output::print;
use crate::model::Campaign;
use crate::model::contacts::person::PersonQuery;
use crate::model::contacts::sensitive::sensitive_words;
use crate::model::contacts::{ContactFilter, NewContact, consent_date_from_text, contacts_csv};

#[derive(Subcommand, Debug)]
pub enum ContactsCommand {
    /// List contacts (with tags, consent date, source, address), filtered by tag or text.
    List {
        campaign: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Export contacts as CSV for mailing tools: name,phone,email,address,tags,consent_date,source.
    Export {
        campaign: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// File to write (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print a JSON summary (with --output) or the CSV inside JSON (without).
        #[arg(long)]
        json: bool,
    },
    /// Record a contact: a consent date and a name, phone or email are required.
    Add(AddArgs),
    /// Replace a contact's fields and tags (same options as `add`).
    Update {
        #[command(flatten)]
        contact: AddArgs,
        /// Contact id (see `porte contacts list`).
        #[arg(long)]
        id: i64,
    },
    /// Delete a contact (its tags go with it).
    Delete {
        campaign: PathBuf,
        /// Contact id (see `porte contacts list`).
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Warn on words of sensitive categories (religion, health, orientation, origin, union,
    /// political opinion) in a note before it is stored.
    CheckNote {
        text: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    /// Only contacts with this tag (case and accents ignored).
    #[arg(long)]
    pub tag: Option<String>,
    /// Text found in the name, phone, email, address, source or tags.
    #[arg(long)]
    pub search: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> ContactFilter {
        ContactFilter {
            tag: self.tag.clone(),
            text: self.search.clone(),
        }
    }
}

#[derive(Args, Debug)]
pub struct AddArgs {
    pub campaign: PathBuf,
    #[arg(long, default_value = "")]
    pub name: String,
    #[arg(long, default_value = "")]
    pub phone: String,
    #[arg(long, default_value = "")]
    pub email: String,
    /// The date the person agreed to be contacted (2026-03-14 or 14/03/2026).
    #[arg(long, default_value = "")]
    pub consent_date: String,
    /// Where the contact comes from (e.g. "porte à porte", "marché").
    #[arg(long, default_value = "")]
    pub source: String,
    /// The door (`addresses.fid`) the contact was taken at.
    #[arg(long)]
    pub address_id: Option<i64>,
    /// A tag (repeat for several); missing tags are created.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum PersonCommand {
    /// Right of access: everything the campaign holds on one person, as JSON.
    Access(PersonArgs),
    /// Right to erasure: remove the person everywhere (visits kept as anonymous tallies).
    Erase(PersonArgs),
}

#[derive(Args, Debug)]
pub struct PersonArgs {
    pub campaign: PathBuf,
    #[arg(long, default_value = "")]
    pub name: String,
    #[arg(long, default_value = "")]
    pub phone: String,
    #[arg(long, default_value = "")]
    pub email: String,
    #[arg(long)]
    pub json: bool,
}

impl PersonArgs {
    fn query(&self) -> anyhow::Result<PersonQuery> {
        let q = PersonQuery {
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
        };
        if q.is_empty() {
            anyhow::bail!("give the person's --name, --phone or --email");
        }
        Ok(q)
    }
}

#[derive(Serialize)]
struct ExportSummary {
    output: Option<String>,
    contacts: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    csv: Option<String>,
}

#[derive(Serialize)]
struct AddReport {
    id: i64,
    tags: Vec<String>,
}

fn new_contact(a: &AddArgs) -> anyhow::Result<NewContact> {
    Ok(NewContact {
        visit_id: None,
        address_fid: a.address_id,
        name: a.name.clone(),
        phone: a.phone.clone(),
        email: a.email.clone(),
        consent_date: consent_date_from_text(&a.consent_date)?,
        source: a.source.clone(),
        tags: a.tags.clone(),
    })
}

pub fn run(command: ContactsCommand) -> anyhow::Result<()> {
    match command {
        ContactsCommand::List {
            campaign,
            filter,
            json,
        } => {
            let rows = Campaign::open(&campaign)?.contacts_filtered(&filter.filter())?;
            let human = rows
                .iter()
                .map(|c| {
                    format!(
                        "{:>4}  {}  {}  {}  {}  [{}]  consent {}  {}",
                        c.id,
                        c.name,
                        c.phone,
                        c.email,
                        c.address,
                        c.tags.join(", "),
                        c.consent_date,
                        c.source
                    )
                })
                .chain(std::iter::once(format!("{} contacts", rows.len())))
                .collect::<Vec<_>>()
                .join("\n");
            print(json, &rows, human)
        }
        ContactsCommand::Export {
            campaign,
            filter,
            output,
            json,
        } => {
            let rows = Campaign::open(&campaign)?.contacts_filtered(&filter.filter())?;
            let csv = contacts_csv(&rows)?;
            match &output {
                Some(path) => {
                    std::fs::write(path, &csv)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    let summary = ExportSummary {
                        output: Some(path.display().to_string()),
                        contacts: rows.len(),
                        csv: None,
                    };
                    let human = format!("{} contacts written to {}", rows.len(), path.display());
                    print(json, &summary, human)
                }
                None if json => print(
                    true,
                    &ExportSummary {
                        output: None,
                        contacts: rows.len(),
                        csv: Some(csv),
                    },
                    String::new(),
                ),
                None => {
                    print!("{csv}");
                    Ok(())
                }
            }
        }
        ContactsCommand::CheckNote { text, json } => {
            let hits = sensitive_words(&text);
            let human = if hits.is_empty() {
                "no sensitive word".to_string()
            } else {
                hits.iter()
                    .map(|h| format!("\"{}\": {}", h.word, h.category.key()))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            print(json, &hits, human)
        }
        ContactsCommand::Update { id, contact: a } => {
            let contact = new_contact(&a)?;
            Campaign::open(&a.campaign)?.update_contact(id, &contact)?;
            print(
                a.json,
                &serde_json::json!({ "updated": id }),
                format!("contact {id} updated"),
            )
        }
        ContactsCommand::Delete { campaign, id, json } => {
            Campaign::open(&campaign)?.delete_contact(id)?;
            print(
                json,
                &serde_json::json!({ "deleted": id }),
                format!("contact {id} deleted"),
            )
        }
        ContactsCommand::Add(a) => {
            let contact = new_contact(&a)?;
            let mut c = Campaign::open(&a.campaign)?;
            let id = c.add_contact(&contact)?;
            let tags = c
                .contacts()?
                .into_iter()
                .find(|r| r.id == id)
                .map(|r| r.tags)
                .unwrap_or_default();
            print(
                a.json,
                &AddReport {
                    id,
                    tags: tags.clone(),
                },
                format!("contact {id} recorded, tags: {}", tags.join(", ")),
            )
        }
    }
}

pub fn run_person(command: PersonCommand) -> anyhow::Result<()> {
    match command {
        PersonCommand::Access(a) => {
            let report = Campaign::open(&a.campaign)?.person_data(&a.query()?)?;
            let human = format!(
                "{} volunteer rows, {} team memberships, {} contacts, {} visit notes, {} other mentions (see --json for the data)",
                report.volunteers.len(),
                report.team_memberships.len(),
                report.contacts.len(),
                report.visits.len(),
                report.other_mentions.len()
            );
            if a.json {
                println!("{}", report.to_json()?);
                Ok(())
            } else {
                print(false, &report, human)
            }
        }
        PersonCommand::Erase(a) => {
            let query = a.query()?;
            let mut campaign = Campaign::open(&a.campaign)?;
            let report = campaign.erase_person(&query)?;
            drop(campaign);
            let human = format!(
                "erased: {} volunteer rows, {} team memberships, {} teams renamed, {} contacts; {} text cells blanked; {} rows changed in all",
                report.volunteers_deleted,
                report.team_memberships_removed,
                report.teams_renamed.len(),
                report.contacts_deleted,
                report.text_cells_scrubbed.values().sum::<usize>(),
                report.total()
            );
            print(a.json, &report, human)
        }
    }
}
