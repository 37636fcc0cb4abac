//! The Contacts tab of the right-hand panel: contacts taken with consent as a sortable table
//! (name, phone, email, tags, consent date, source, address) filtered by the model's
//! [`ContactFilter`] (text and tag), the contact window (add or edit: the consent date is
//! required by the model, themes as check boxes, free tags, an optional address found among the
//! campaign's addresses) with live warnings on sensitive words, and the CSV export of the
//! contacts shown or of every contact with a tag (the model's [`contacts_csv`]).

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::{Context, Id, RichText, Role, Sense, TextEdit, Ui, WidgetInfo};

use crate::model::Campaign;
use crate::model::contacts::person::PersonQuery;
use crate::model::contacts::{
    ContactFilter, ContactRow, NewContact, consent_date_from_text, contacts_csv,
};
use crate::model::volunteers::fold;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, poll_file_pick};
use crate::ui::panels::form_field::form_field;
use crate::ui::panels::person_window::PersonCommand;
use crate::ui::panels::sensitive_note::sensitive_warning_row;
use crate::ui::panels::table_row::{cells_ui, details_text, header_ui, paint_row_background};

/// What the Contacts tab and its windows ask for, applied by the app after the frame
/// ([`ContactsUi::apply`]).
#[derive(Clone, Debug, PartialEq)]
pub enum ContactsCommand {
    /// Open the contact window on a contact (`None`: a new one).
    ShowEditor(Option<i64>),
    /// Add (`id == 0`) or update a contact, finding its address first when one was typed.
    Save(Box<ContactSave>),
    Delete(i64),
    Select(Option<i64>),
    /// Open the export window.
    ShowExport,
    /// Start the save dialog of the export window.
    BrowseExport,
    /// Write the contacts the filter keeps as CSV.
    Export(ContactsExport),
}

/// A contact as the window describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactSave {
    /// 0 for a new contact.
    pub id: i64,
    pub contact: NewContact,
    /// An address typed in the window, found among the campaign's addresses on save; `None`
    /// keeps `contact.address_fid`.
    pub find_address: Option<String>,
}

/// A CSV export: the contacts `filter` keeps, written to `path`.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactsExport {
    pub filter: ContactFilter,
    pub path: PathBuf,
}

/// What applying a [`ContactsCommand`] needs from the app.
pub struct ContactsEnv<'a> {
    pub campaign_path: Option<&'a Path>,
    /// The label of the running job, which writes the campaign: edits wait for it.
    pub running_job: Option<&'a str>,
}

/// What applying a command did: the status line, and whether contacts were written (the
/// panels that read people then read again).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactsApplied {
    pub status: Option<String>,
    pub changed: bool,
}

/// The contacts' UI state: the tab, the contact window and the export window.
#[derive(Default)]
pub struct ContactsUi {
    pub tab: ContactsState,
    pub form: ContactForm,
    pub export: ContactsExportWindow,
}

/// The columns the table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ContactSort {
    #[default]
    Name,
    Phone,
    Email,
    Tags,
    Consent,
    Source,
    Address,
}

/// What the tab keeps between frames: the contacts as last read, the campaign's themes, the
/// filter and sort, the rows shown and the selected contact.
#[derive(Debug)]
pub struct ContactsState {
    pub contacts: Vec<ContactRow>,
    /// The campaign's active themes (`Campaign::result_tags`), offered as check boxes.
    pub themes: Vec<String>,
    pub load_error: Option<String>,
    /// The contacts must be read again (a new campaign view, an edit, an erasure).
    pub stale: bool,
    /// The search text (name, phone, email, address, source, tags).
    pub text: String,
    /// Only contacts with this tag.
    pub tag: Option<String>,
    pub sort: ContactSort,
    pub descending: bool,
    shown: Vec<usize>,
    shown_key: Option<(String, Option<String>, ContactSort, bool, u64)>,
    generation: u64,
    pub selected: Option<i64>,
    /// The contact whose deletion waits for confirmation.
    pub confirm_delete: Option<i64>,
    /// The last edit's notice or refusal.
    pub notice: Option<String>,
}

impl Default for ContactsState {
    fn default() -> Self {
        ContactsState {
            contacts: Vec::new(),
            themes: Vec::new(),
            load_error: None,
            stale: true,
            text: String::new(),
            tag: None,
            sort: ContactSort::default(),
            descending: false,
            shown: Vec::new(),
            shown_key: None,
            generation: 0,
            selected: None,
            confirm_delete: None,
            notice: None,
        }
    }
}

impl ContactsState {
    /// Reads the contacts and the campaign's themes again.
    pub fn reload(&mut self, path: &Path) {
        self.stale = false;
        self.generation += 1;
        self.shown.clear();
        self.shown_key = None;
        let read = Campaign::open(path).and_then(|mut c| Ok((c.contacts()?, c.result_tags()?)));
        match read {
            Ok((contacts, themes)) => {
                if self
                    .selected
                    .is_some_and(|id| !contacts.iter().any(|c| c.id == id))
                {
                    self.selected = None;
                }
                self.contacts = contacts;
                self.themes = themes
                    .into_iter()
                    .filter(|(_, _, active)| *active)
                    .map(|(_, name, _)| name)
                    .collect();
                self.load_error = None;
            }
            Err(e) => {
                self.contacts.clear();
                self.load_error = Some(e.to_string());
            }
        }
    }

    /// Reloads only when something marked the contacts stale.
    pub fn refresh(&mut self, path: &Path) {
        if self.stale {
            self.reload(path);
        }
    }

    pub fn contact(&self, id: i64) -> Option<&ContactRow> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// The model's filter for the search text and the tag chosen.
    pub fn filter(&self) -> ContactFilter {
        let text = self.text.trim();
        ContactFilter {
            tag: self.tag.clone(),
            text: (!text.is_empty()).then(|| text.to_owned()),
        }
    }

    /// The rows shown (filtered and sorted), as of the last frame.
    pub fn shown(&self) -> impl Iterator<Item = &ContactRow> {
        self.shown.iter().map(|&i| &self.contacts[i])
    }

    pub fn shown_count(&self) -> usize {
        self.shown.len()
    }

    /// Every tag: the campaign's themes and the tags the contacts carry, once each (accents and
    /// case ignored), sorted.
    pub fn all_tags(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<String> = Vec::new();
        for t in self
            .themes
            .iter()
            .chain(self.contacts.iter().flat_map(|c| &c.tags))
        {
            let t = t.trim();
            if !t.is_empty() && seen.insert(fold(t)) {
                out.push(t.to_owned());
            }
        }
        out.sort_by_cached_key(|t| fold(t));
        out
    }

    /// Clicking a header: sort by it, or flip the direction when it already sorts.
    pub fn click_header(&mut self, column: ContactSort) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = false;
        }
    }

    /// Filters (with the model's [`ContactFilter::matches`]) and sorts, when the filter, the
    /// sort or the contacts changed.
    pub fn refilter(&mut self) {
        let key = (
            self.text.clone(),
            self.tag.clone(),
            self.sort,
            self.descending,
            self.generation,
        );
        if self.shown_key.as_ref() == Some(&key) {
            return;
        }
        let filter = self.filter();
        let rows = &self.contacts;
        let mut shown: Vec<usize> = (0..rows.len())
            .filter(|&i| filter.matches(&rows[i]))
            .collect();
        let text = |c: &ContactRow| -> String {
            fold(&match self.sort {
                ContactSort::Name => String::new(),
                ContactSort::Phone => c.phone.clone(),
                ContactSort::Email => c.email.clone(),
                ContactSort::Tags => c.tags.join(", "),
                ContactSort::Consent => c.consent_date.clone(),
                ContactSort::Source => c.source.clone(),
                ContactSort::Address => c.address.clone(),
            })
        };
        let keys: Vec<(String, String)> = rows.iter().map(|c| (text(c), fold(&c.name))).collect();
        shown.sort_by(|a, b| {
            let ord: Ordering = keys[*a].cmp(&keys[*b]);
            if self.descending { ord.reverse() } else { ord }
        });
        self.shown = shown;
        self.shown_key = Some(key);
    }
}

/// The contact window's form, with the fields as typed.
#[derive(Clone, Debug, Default)]
pub struct ContactForm {
    pub open: bool,
    /// The contact as loaded (`id == 0` for a new one): its visit and door are kept.
    pub base: Option<ContactRow>,
    pub name: String,
    pub phone: String,
    pub email: String,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`; required (the model refuses without it).
    pub consent_date: String,
    pub source: String,
    /// The campaign's themes ticked, by name.
    pub themes: BTreeSet<String>,
    /// Other tags, comma-separated.
    pub free_tags: String,
    /// Optional; found among the campaign's addresses on save.
    pub address: String,
    /// The model's refusal of the last save, or why the form cannot be saved.
    pub error: Option<String>,
}

impl ContactForm {
    /// Opens the form on `row` (`None`: a new contact), its tags split between the campaign's
    /// `themes` and free tags.
    pub fn show(&mut self, row: Option<ContactRow>, themes: &[String]) {
        let mut form = ContactForm {
            open: true,
            ..ContactForm::default()
        };
        if let Some(c) = &row {
            form.name = c.name.clone();
            form.phone = c.phone.clone();
            form.email = c.email.clone();
            form.consent_date = c.consent_date.clone();
            form.source = c.source.clone();
            form.address = c.address.clone();
            let mut free = Vec::new();
            for tag in &c.tags {
                match themes.iter().find(|t| fold(t) == fold(tag)) {
                    Some(theme) => {
                        form.themes.insert(theme.clone());
                    }
                    None => free.push(tag.clone()),
                }
            }
            form.free_tags = free.join(", ");
        }
        form.base = row;
        *self = form;
    }

    pub fn is_edit(&self) -> bool {
        self.base.as_ref().is_some_and(|c| c.id != 0)
    }

    /// The ticked themes, then the free tags (split on commas and semicolons).
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self.themes.iter().cloned().collect();
        for t in self.free_tags.split([',', ';']).map(str::trim) {
            if !t.is_empty() && !tags.iter().any(|x| fold(x) == fold(t)) {
                tags.push(t.to_owned());
            }
        }
        tags
    }

    /// The contact the form describes, or the model's reason it cannot be recorded (the consent
    /// date is required and read by the model).
    pub fn to_save(&self) -> Result<ContactSave, String> {
        let consent_date = consent_date_from_text(&self.consent_date).map_err(|e| e.to_string())?;
        let base = self.base.as_ref();
        let address = self.address.trim();
        let loaded_address = base.map_or("", |c| c.address.as_str());
        let (address_fid, find_address) = if address.is_empty() {
            (None, None)
        } else if address == loaded_address.trim() {
            (base.and_then(|c| c.address_fid), None)
        } else {
            (None, Some(address.to_owned()))
        };
        let contact = NewContact {
            visit_id: base.and_then(|c| c.visit_id),
            address_fid,
            name: self.name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: self.email.trim().to_owned(),
            consent_date,
            source: self.source.trim().to_owned(),
            tags: self.tags(),
        };
        Ok(ContactSave {
            id: base.map_or(0, |c| c.id),
            contact,
            find_address,
        })
    }
}

/// The "Export CSV…" window: the contacts shown, or every contact with a tag, to a file typed or
/// chosen with the save dialog.
#[derive(Default)]
pub struct ContactsExportWindow {
    pub open: bool,
    /// Every contact with `tag` rather than the rows the tab shows.
    pub by_tag: bool,
    pub tag: String,
    pub path: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pick: Option<Job<Option<PathBuf>>>,
}

impl ContactsExportWindow {
    /// Opens the window; by tag when the tab filters by one.
    pub fn show(&mut self, tab_tag: Option<&str>) {
        self.open = true;
        self.notice = None;
        self.error = None;
        if let Some(tag) = tab_tag {
            self.by_tag = true;
            self.tag = tag.to_owned();
        }
    }

    /// Starts the system's save dialog on a job thread.
    pub fn browse(&mut self, ctx: &Context, t: &'static Strings) {
        if self.pick.is_some() {
            return;
        }
        let name = if self.by_tag && !self.tag.trim().is_empty() {
            format!("contacts-{}.csv", fold(self.tag.trim()).replace(' ', "-"))
        } else {
            "contacts.csv".to_owned()
        };
        self.pick = Some(Job::spawn(t.choosing_file, ctx, move |_| {
            rfd::FileDialog::new()
                .set_title(t.contacts_export_title)
                .set_file_name(name)
                .add_filter("CSV", &["csv"])
                .save_file()
        }));
    }

    /// Polls the file dialog.
    pub fn poll(&mut self) {
        poll_file_pick(&mut self.pick, &mut self.path);
    }

    /// The export the window describes (`shown`: the tab's filter), or why it cannot run.
    pub fn request(&self, t: &Strings, shown: &ContactFilter) -> Result<ContactsExport, String> {
        let path = self.path.trim();
        if path.is_empty() {
            return Err(t.export_needs_path.to_owned());
        }
        let mut path = PathBuf::from(path);
        if path.extension().is_none() {
            path.set_extension("csv");
        }
        let filter = if self.by_tag {
            let tag = self.tag.trim();
            if tag.is_empty() {
                return Err(t.contacts_export_needs_tag.to_owned());
            }
            ContactFilter {
                tag: Some(tag.to_owned()),
                text: None,
            }
        } else {
            shown.clone()
        };
        Ok(ContactsExport { filter, path })
    }
}

/// Writes the contacts `export.filter` keeps (read from the campaign by the model, as
/// `porte contacts export` does) as CSV; returns the line saying where they went.
pub fn write_contacts_csv(
    t: &Strings,
    campaign: &Path,
    export: &ContactsExport,
) -> Result<String, String> {
    let rows = Campaign::open(campaign)
        .and_then(|c| c.contacts_filtered(&export.filter))
        .map_err(|e| e.to_string())?;
    let csv = contacts_csv(&rows).map_err(|e| e.to_string())?;
    std::fs::write(&export.path, csv)
        .map_err(|e| fill(t.contacts_export_failed, &[&export.path.display(), &e]))?;
    Ok(fill(
        t.contacts_export_written,
        &[&rows.len(), &export.path.display()],
    ))
}

impl ContactsUi {
    /// Reads the contacts again when stale, while the tab or the contact window shows them.
    pub fn refresh(&mut self, path: &Path, shown: bool) {
        if shown || self.form.open || self.export.open {
            self.tab.refresh(path);
        }
        self.export.poll();
    }

    /// Applies one command.
    pub fn apply(
        &mut self,
        ctx: &Context,
        t: &'static Strings,
        command: ContactsCommand,
        env: &ContactsEnv<'_>,
    ) -> ContactsApplied {
        let mut out = ContactsApplied::default();
        let Some(path) = env.campaign_path else {
            return out;
        };
        let wait = env.running_job.map(|job| fill(t.wait_for_job, &[&job]));
        match command {
            ContactsCommand::ShowEditor(id) => {
                self.tab.reload(path);
                let row = id.and_then(|id| self.tab.contact(id).cloned());
                if id.is_some() && row.is_none() {
                    return out;
                }
                self.tab.selected = id.or(self.tab.selected);
                self.form.show(row, &self.tab.themes);
            }
            ContactsCommand::Save(save) => {
                if let Some(wait) = wait {
                    self.form.error = Some(wait);
                    return out;
                }
                match save_contact(t, path, *save) {
                    Ok((id, name)) => {
                        self.form.open = false;
                        self.form.error = None;
                        self.tab.reload(path);
                        self.tab.selected = Some(id);
                        self.tab.notice = None;
                        out.status = Some(fill(t.contacts_saved, &[&name]));
                        out.changed = true;
                    }
                    Err(why) => self.form.error = Some(why),
                }
            }
            ContactsCommand::Delete(id) => {
                if let Some(wait) = wait {
                    self.tab.notice = Some(wait);
                    return out;
                }
                let name = self.tab.contact(id).map(|c| c.name.clone());
                let result = Campaign::open(path).and_then(|mut c| c.delete_contact(id));
                self.tab.reload(path);
                match result {
                    Ok(()) => {
                        self.tab.notice = None;
                        out.status = Some(fill(t.contacts_deleted, &[&name.unwrap_or_default()]));
                        out.changed = true;
                    }
                    Err(e) => self.tab.notice = Some(e.to_string()),
                }
            }
            ContactsCommand::Select(id) => self.tab.selected = id,
            ContactsCommand::ShowExport => self.export.show(self.tab.tag.as_deref()),
            ContactsCommand::BrowseExport => self.export.browse(ctx, t),
            ContactsCommand::Export(export) => match write_contacts_csv(t, path, &export) {
                Ok(line) => {
                    self.export.error = None;
                    self.export.notice = Some(line.clone());
                    out.status = Some(line);
                }
                Err(why) => {
                    self.export.notice = None;
                    self.export.error = Some(why);
                }
            },
        }
        out
    }

    /// The contact and export windows.
    pub fn windows_ui(&mut self, ctx: &Context, t: &Strings, commands: &mut Vec<Command>) {
        contact_window_ui(ctx, t, &mut self.form, &self.tab.themes, commands);
        let shown = self.tab.filter();
        let tags = self.tab.all_tags();
        export_window_ui(
            ctx,
            t,
            &mut self.export,
            &shown,
            self.tab.shown_count(),
            &tags,
            commands,
        );
    }
}

/// Records the contact (its address found first when one was typed); returns its id and name,
/// or the model's refusal.
fn save_contact(t: &Strings, path: &Path, save: ContactSave) -> Result<(i64, String), String> {
    let mut campaign = Campaign::open(path).map_err(|e| e.to_string())?;
    let mut contact = save.contact;
    if let Some(text) = &save.find_address {
        match campaign.geocode_address(text).map_err(|e| e.to_string())? {
            Some((fid, _)) => contact.address_fid = Some(fid),
            None => return Err(fill(t.contact_address_not_found, &[text])),
        }
    }
    let id = if save.id == 0 {
        campaign.add_contact(&contact)
    } else {
        campaign.update_contact(save.id, &contact).map(|()| save.id)
    }
    .map_err(|e| e.to_string())?;
    let name = [&contact.name, &contact.email, &contact.phone]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    Ok((id, name))
}

/// The person a contact is, for the "Person's data" window.
pub fn person_of(c: &ContactRow) -> PersonQuery {
    PersonQuery {
        name: c.name.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
    }
}

/// Column widths in points (a horizontal scroll bar appears when the panel is narrower).
const WIDTHS: [f32; 7] = [130.0, 100.0, 160.0, 120.0, 80.0, 100.0, 200.0];

/// The Contacts tab.
pub fn contacts_panel_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut ContactsState,
    commands: &mut Vec<Command>,
) {
    if let Some(error) = &state.load_error {
        ui.colored_label(
            ui.visuals().error_fg_color,
            fill(t.contacts_load_failed, &[&error]),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button(t.contacts_add).clicked() {
            commands.push(Command::Contacts(ContactsCommand::ShowEditor(None)));
        }
        let selected = state.selected;
        if ui
            .add_enabled(selected.is_some(), egui::Button::new(t.contacts_edit))
            .clicked()
            && let Some(id) = selected
        {
            commands.push(Command::Contacts(ContactsCommand::ShowEditor(Some(id))));
        }
        if ui
            .add_enabled(selected.is_some(), egui::Button::new(t.contacts_delete))
            .clicked()
        {
            state.confirm_delete = selected;
        }
        if ui
            .button(t.contacts_person)
            .on_hover_text(t.contacts_person_hint)
            .clicked()
        {
            let query = selected
                .and_then(|id| state.contact(id))
                .map(person_of)
                .unwrap_or_default();
            commands.push(Command::Person(PersonCommand::Show(query)));
        }
        if ui.button(t.contacts_export_button).clicked() {
            commands.push(Command::Contacts(ContactsCommand::ShowExport));
        }
    });
    if let Some(id) = state.confirm_delete {
        match state.contact(id).map(|c| c.name.clone()) {
            Some(name) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(fill(t.contacts_confirm_delete, &[&name]))
                            .color(ui.visuals().warn_fg_color),
                    );
                    if ui.button(t.contacts_delete_yes).clicked() {
                        commands.push(Command::Contacts(ContactsCommand::Delete(id)));
                        state.confirm_delete = None;
                    }
                    if ui.button(t.cancel).clicked() {
                        state.confirm_delete = None;
                    }
                });
            }
            None => state.confirm_delete = None,
        }
    }
    if let Some(notice) = &state.notice {
        ui.label(RichText::new(notice).color(ui.visuals().warn_fg_color));
    }
    ui.weak(t.contacts_no_sensitive_fields);
    ui.separator();
    filter_ui(ui, t, state);
    state.refilter();
    ui.label(fill(
        t.contacts_count,
        &[
            &t.integer(state.shown.len() as i64),
            &t.integer(state.contacts.len() as i64),
        ],
    ));
    ui.separator();
    if state.contacts.is_empty() {
        ui.weak(t.contacts_empty);
        return;
    }
    table_ui(ui, t, state, commands);
}

fn filter_ui(ui: &mut Ui, t: &Strings, state: &mut ContactsState) {
    ui.horizontal(|ui| {
        let label = ui.label(t.search);
        ui.add(
            TextEdit::singleline(&mut state.text)
                .hint_text(t.contacts_search_hint)
                .desired_width((ui.available_width() - 8.0).max(80.0)),
        )
        .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t.contacts_tag_filter);
        let tags = state.all_tags();
        egui::ComboBox::from_id_salt("contacts tag")
            .selected_text(state.tag.as_deref().unwrap_or(t.contacts_any_tag))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.tag, None, t.contacts_any_tag);
                for tag in tags {
                    let text = tag.clone();
                    ui.selectable_value(&mut state.tag, Some(tag), text);
                }
            })
            .response
            .labelled_by(label.id);
        if (state.tag.is_some() || !state.text.is_empty())
            && ui.small_button(t.contacts_clear_filter).clicked()
        {
            state.tag = None;
            state.text.clear();
        }
    });
}

fn table_ui(ui: &mut Ui, t: &Strings, state: &mut ContactsState, commands: &mut Vec<Command>) {
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let columns = [
        (ContactSort::Name, t.contacts_col_name),
        (ContactSort::Phone, t.col_phone),
        (ContactSort::Email, t.contacts_col_email),
        (ContactSort::Tags, t.contacts_col_tags),
        (ContactSort::Consent, t.col_consent),
        (ContactSort::Source, t.contacts_col_source),
        (ContactSort::Address, t.contacts_col_address),
    ];
    egui::ScrollArea::horizontal()
        .id_salt("contacts h")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(column) = header_ui(ui, &columns, &WIDTHS, state.sort, state.descending)
                {
                    state.click_header(column);
                }
            });
            let spacing = ui.spacing().item_spacing.x;
            let width = WIDTHS.iter().sum::<f32>() + spacing * WIDTHS.len() as f32;
            egui::ScrollArea::vertical()
                .id_salt("contacts v")
                .auto_shrink([false, false])
                .show_rows(ui, row_h, state.shown.len(), |ui, rows| {
                    ui.set_min_width(width);
                    ui.style_mut().interaction.selectable_labels = false;
                    for pos in rows {
                        let id = state.contacts[state.shown[pos]].id;
                        row_ui(ui, t, state, id, row_h, commands);
                    }
                });
        });
}

fn row_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &ContactsState,
    id: i64,
    row_h: f32,
    commands: &mut Vec<Command>,
) {
    let Some(c) = state.contact(id) else {
        return;
    };
    let selected = state.selected == Some(id);
    let name = if c.name.trim().is_empty() {
        "—".to_owned()
    } else {
        c.name.clone()
    };
    let cells = [
        name.clone(),
        c.phone.clone(),
        c.email.clone(),
        c.tags.join(", "),
        c.consent_date.clone(),
        c.source.clone(),
        c.address.clone(),
    ];
    let details = details_text(
        &name,
        &[
            (t.col_phone, cells[1].as_str()),
            (t.contacts_col_email, cells[2].as_str()),
            (t.contacts_col_tags, cells[3].as_str()),
            (t.col_consent, cells[4].as_str()),
            (t.contacts_col_source, cells[5].as_str()),
            (t.contacts_col_address, cells[6].as_str()),
        ],
        t.colon,
    );
    let background = ui.painter().add(egui::Shape::Noop);
    let row = ui.horizontal(|ui| {
        ui.set_min_height(row_h);
        cells_ui(ui, &cells, &WIDTHS, row_h);
    });
    // A click selects, a double click edits.
    let response = ui
        .interact(
            row.response.rect,
            ui.scope_id().with(("contact row", id)),
            Sense::click(),
        )
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    response.widget_info(|| WidgetInfo::selected(Role::Button, true, selected, &name));
    let response = response.on_hover_text(details);
    paint_row_background(
        ui,
        background,
        row.response.rect,
        selected,
        response.hovered(),
    );
    if response.double_clicked() {
        commands.push(Command::Contacts(ContactsCommand::ShowEditor(Some(id))));
    } else if response.clicked() {
        commands.push(Command::Contacts(ContactsCommand::Select(Some(id))));
    }
}

/// The contact window (add or edit one contact).
pub fn contact_window_ui(
    ctx: &Context,
    t: &Strings,
    form: &mut ContactForm,
    themes: &[String],
    commands: &mut Vec<Command>,
) {
    if !form.open {
        return;
    }
    let mut open = true;
    let mut close = false;
    let title = if form.is_edit() {
        t.contact_edit_title
    } else {
        t.contact_add_title
    };
    egui::Window::new(title)
        .id(Id::unique("porte contact window"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("contact form")
                .num_columns(2)
                .show(ui, |ui| {
                    form_field(ui, t.contacts_col_name, &mut form.name, "");
                    form_field(ui, t.col_phone, &mut form.phone, "06 12 34 56 78");
                    form_field(ui, t.contacts_col_email, &mut form.email, "nom@example.org");
                    form_field(
                        ui,
                        t.contact_consent,
                        &mut form.consent_date,
                        t.contact_consent_hint,
                    );
                    form_field(
                        ui,
                        t.contacts_col_source,
                        &mut form.source,
                        t.contact_source_hint,
                    );
                    sensitive_warning_row(ui, t, &form.source);
                    ui.label(t.contact_themes);
                    // Three per line: a wrapped row in a grid cell loses its last line.
                    ui.vertical(|ui| {
                        if themes.is_empty() {
                            ui.weak(t.contact_no_themes);
                        }
                        for line in themes.chunks(3) {
                            ui.horizontal(|ui| {
                                for theme in line {
                                    let mut on = form.themes.contains(theme);
                                    if ui.checkbox(&mut on, theme.as_str()).changed() {
                                        if on {
                                            form.themes.insert(theme.clone());
                                        } else {
                                            form.themes.remove(theme);
                                        }
                                    }
                                }
                            });
                        }
                    });
                    ui.end_row();
                    form_field(
                        ui,
                        t.contact_free_tags,
                        &mut form.free_tags,
                        t.contact_free_tags_hint,
                    );
                    sensitive_warning_row(ui, t, &form.free_tags);
                    form_field(
                        ui,
                        t.contact_address,
                        &mut form.address,
                        t.contact_address_hint,
                    );
                });
            ui.weak(t.contacts_no_sensitive_fields);
            if let Some(error) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(t.contact_save).clicked() {
                    match form.to_save() {
                        Ok(save) => {
                            form.error = None;
                            commands.push(Command::Contacts(ContactsCommand::Save(Box::new(save))));
                        }
                        Err(why) => form.error = Some(why),
                    }
                }
                if ui.button(t.cancel).clicked() {
                    close = true;
                }
            });
        });
    form.open = open && !close;
}

/// The "Export CSV…" window.
fn export_window_ui(
    ctx: &Context,
    t: &Strings,
    window: &mut ContactsExportWindow,
    shown: &ContactFilter,
    shown_count: usize,
    tags: &[String],
    commands: &mut Vec<Command>,
) {
    if !window.open {
        return;
    }
    let mut open = true;
    let mut close = false;
    egui::Window::new(t.contacts_export_title)
        .id(Id::unique("porte contacts export"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.radio_value(
                &mut window.by_tag,
                false,
                fill(t.contacts_export_shown, &[&shown_count]),
            );
            ui.horizontal(|ui| {
                ui.radio_value(&mut window.by_tag, true, t.contacts_export_by_tag);
                let current = if window.tag.is_empty() {
                    t.contacts_choose_tag.to_owned()
                } else {
                    window.tag.clone()
                };
                ui.add_enabled_ui(window.by_tag, |ui| {
                    egui::ComboBox::from_id_salt("contacts export tag")
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            for tag in tags {
                                ui.selectable_value(&mut window.tag, tag.clone(), tag.as_str());
                            }
                        });
                });
            });
            ui.weak(t.contacts_export_columns);
            ui.horizontal(|ui| {
                let label = ui.label(t.export_file);
                ui.add(
                    TextEdit::singleline(&mut window.path)
                        .hint_text(t.contacts_export_hint)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                if ui.button(t.browse).clicked() {
                    commands.push(Command::Contacts(ContactsCommand::BrowseExport));
                }
            });
            ui.horizontal(|ui| {
                if ui.button(t.contacts_export_write).clicked() {
                    match window.request(t, shown) {
                        Ok(export) => {
                            window.error = None;
                            commands.push(Command::Contacts(ContactsCommand::Export(export)));
                        }
                        Err(why) => window.error = Some(why),
                    }
                }
                if ui.button(t.close).clicked() {
                    close = true;
                }
            });
            if let Some(notice) = &window.notice {
                ui.label(notice);
            }
            if let Some(error) = &window.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
        });
    window.open = open && !close;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::EN;

    fn row(id: i64, name: &str, tags: &[&str], consent: &str) -> ContactRow {
        ContactRow {
            id,
            visit_id: None,
            address_fid: None,
            address: String::new(),
            name: name.into(),
            phone: String::new(),
            email: format!("{id}@example.org"),
            consent_date: consent.into(),
            source: "marché".into(),
            created_at: String::new(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_tab_filters_by_tag_and_text_and_sorts() {
        let mut s = ContactsState {
            contacts: vec![
                row(1, "Zoé Martin", &["logement"], "2026-03-01"),
                row(2, "Ana Bernard", &["Écoles"], "2026-03-14"),
                row(3, "Éric Durand", &["logement", "écoles"], "2026-02-01"),
            ],
            themes: vec!["écoles".into(), "sécurité".into()],
            ..ContactsState::default()
        };
        s.refilter();
        let names = |s: &ContactsState| s.shown().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&s), ["Ana Bernard", "Éric Durand", "Zoé Martin"]);
        s.tag = Some("LOGEMENT".into());
        s.refilter();
        assert_eq!(names(&s), ["Éric Durand", "Zoé Martin"]);
        s.text = "zoe".into();
        s.refilter();
        assert_eq!(names(&s), ["Zoé Martin"]);
        s.tag = None;
        s.text.clear();
        s.click_header(ContactSort::Consent);
        s.refilter();
        assert_eq!(names(&s), ["Éric Durand", "Zoé Martin", "Ana Bernard"]);
        s.click_header(ContactSort::Consent);
        s.refilter();
        assert_eq!(names(&s), ["Ana Bernard", "Zoé Martin", "Éric Durand"]);
        assert_eq!(s.all_tags(), ["écoles", "logement", "sécurité"]);
    }

    #[test]
    fn the_form_needs_the_models_consent_date_and_splits_tags() {
        let themes = vec!["écoles".to_owned(), "logement".to_owned()];
        let mut f = ContactForm::default();
        f.show(
            Some(row(7, "Ana", &["Logement", "voisins"], "2026-03-14")),
            &themes,
        );
        assert!(f.is_edit());
        assert!(f.themes.contains("logement"));
        assert_eq!(f.free_tags, "voisins");
        f.free_tags = "voisins; logement, fête".into();
        let save = f.to_save().unwrap();
        assert_eq!(save.id, 7);
        assert_eq!(save.contact.tags, ["logement", "voisins", "fête"]);
        assert_eq!(save.find_address, None);
        f.address = "3 rue des Lilas".into();
        assert_eq!(
            f.to_save().unwrap().find_address.as_deref(),
            Some("3 rue des Lilas")
        );
        f.consent_date.clear();
        let why = f.to_save().unwrap_err();
        let model = consent_date_from_text("").unwrap_err().to_string();
        assert_eq!(why, model);
    }

    #[test]
    fn an_export_by_tag_needs_a_tag_and_a_file() {
        let t = &EN;
        let mut w = ContactsExportWindow::default();
        let shown = ContactFilter {
            tag: None,
            text: Some("ana".into()),
        };
        assert_eq!(w.request(t, &shown).unwrap_err(), t.export_needs_path);
        w.path = "/tmp/out".into();
        let e = w.request(t, &shown).unwrap();
        assert_eq!(e.filter, shown);
        assert_eq!(e.path, PathBuf::from("/tmp/out.csv"));
        w.by_tag = true;
        assert!(w.request(t, &shown).is_err());
        w.show(Some("logement"));
        let e = w.request(t, &shown).unwrap();
        assert_eq!(e.filter.tag.as_deref(), Some("logement"));
        assert_eq!(e.filter.text, None);
    }
}
