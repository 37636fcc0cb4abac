//! The Volunteers tab of the right-hand panel: the roster as a sortable table (name, phone,
//! availability, languages, home found, consent date, partner), filtered by the model's
//! [`RosterFilter`] (text, weekday and slot, date, distance to the selected operation's meeting
//! point, language, consent), with a count line, check boxes to pick recipients, and the
//! buttons that add, edit, delete, import and message volunteers.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::path::Path;

use chrono::{NaiveDate, Weekday};
use egui::{RichText, Role, Sense, TextEdit, Ui, WidgetInfo};
use geo_types::Point;

use crate::model::operations::Operation;
use crate::model::turfs::Turf;
use crate::model::volunteers::{
    Availability, AvailabilityItem, DaySlot, HomeSource, MessageTemplate, RosterFilter, Volunteer,
};
use crate::model::{Campaign, ModelError};
use crate::ui::command::{Command, ImportKind};
use crate::ui::i18n::{Strings, fill};
use crate::ui::panels::messages::{
    MessagesData, MessagesWindow, VolunteerExport, blank_template, messages_window_ui, write_export,
};
use crate::ui::panels::precinct_table::fold;
use crate::ui::panels::table_row::{cells_ui, details_text, header_ui, paint_row_background};
use crate::ui::panels::volunteer_window::{VolunteerForm, VolunteerSave, volunteer_window_ui};

/// What the Volunteers tab and its windows ask for, applied by the app after the frame
/// ([`VolunteersUi::apply`]).
#[derive(Clone, Debug, PartialEq)]
pub enum RosterCommand {
    /// Open the volunteer window on a volunteer (`None`: a new one).
    ShowEditor(Option<i64>),
    /// Add (`id == 0`) or update a volunteer, finding its home first when asked.
    Save(Box<VolunteerSave>),
    Delete(i64),
    Select(Option<i64>),
    /// Open the messages window on the current selection.
    ShowMessages,
    /// Save a message template (insert when `id == 0`).
    SaveTemplate(MessageTemplate),
    DeleteTemplate(i64),
    /// Start the save dialog of the messages window's export.
    BrowseExport,
    /// Write the selection as CSV or vCard.
    Export(VolunteerExport),
}

/// The volunteers' UI state: the tab, the volunteer window and the messages window.
#[derive(Default)]
pub struct VolunteersUi {
    pub roster: RosterState,
    pub form: VolunteerForm,
    pub messages: MessagesWindow,
}

/// What applying a [`RosterCommand`] needs from the app.
pub struct RosterEnv<'a> {
    pub campaign_path: Option<&'a Path>,
    /// The label of the running job, which writes the campaign: edits wait for it.
    pub running_job: Option<&'a str>,
    /// The operation selected in the Operations tab.
    pub selected_operation: Option<i64>,
}

impl VolunteersUi {
    /// Reads the roster again when stale, and refilters it; only while the tab or one of the
    /// windows shows it (`shown`).
    pub fn refresh(
        &mut self,
        t: &Strings,
        path: &Path,
        selected_operation: Option<i64>,
        shown: bool,
    ) {
        if shown || self.form.open || self.messages.open {
            self.roster.refresh(path);
            self.roster.refilter(t, selected_operation);
        }
        self.messages.poll();
    }

    /// The volunteer and messages windows.
    pub fn windows_ui(
        &mut self,
        ctx: &egui::Context,
        t: &Strings,
        turfs: &[Turf],
        commands: &mut Vec<Command>,
    ) {
        volunteer_window_ui(ctx, t, &mut self.form, &self.roster.volunteers, commands);
        let data = MessagesData {
            recipients: self.roster.recipients(),
            from_checked: !self.roster.checked.is_empty(),
            roster: &self.roster.volunteers,
            operations: &self.roster.operations,
            turfs,
            french: t.lang == crate::ui::i18n::Lang::Fr,
        };
        messages_window_ui(ctx, t, &mut self.messages, &data, commands);
    }

    /// Over the map (Volunteers tab shown): the homes of the volunteers the filter shows as
    /// dots, the selected one ringed with their name.
    pub fn homes_on_map_ui(&self, ui: &Ui, map: &crate::ui::map::MapView) {
        let painter = ui.painter();
        let visuals = ui.visuals();
        let dot = egui::Color32::from_rgb(30, 110, 200);
        let outline = egui::Stroke::new(1.0, egui::Color32::WHITE);
        let mut selected = None;
        for v in self.roster.shown() {
            let Some(p) = v
                .home_wgs84
                .and_then(|h| map.screen_from_wgs84(h.x(), h.y()))
            else {
                continue;
            };
            if !painter.clip_rect().contains(p) {
                continue;
            }
            painter.circle(p, 3.5, dot, outline);
            if self.roster.selected == Some(v.id) {
                selected = Some((p, v.full_name()));
            }
        }
        if let Some((p, name)) = selected {
            let ring = egui::Stroke::new(2.5, visuals.selection.bg_fill);
            painter.circle_stroke(p, 9.0, ring);
            let text = painter.layout_no_wrap(
                name,
                egui::FontId::proportional(13.0),
                visuals.strong_text_color(),
            );
            let at = p + egui::vec2(12.0, -text.size().y / 2.0);
            painter.rect_filled(
                egui::Rect::from_min_size(at, text.size()).expand(3.0),
                3.0,
                visuals.window_fill.gamma_multiply(0.9),
            );
            painter.galley(at, text, visuals.strong_text_color());
        }
    }

    /// Applies one command; returns the status line to show, if any.
    pub fn apply(
        &mut self,
        ctx: &egui::Context,
        t: &'static Strings,
        command: RosterCommand,
        env: &RosterEnv<'_>,
    ) -> Option<String> {
        let path = env.campaign_path?;
        let wait = env.running_job.map(|job| fill(t.wait_for_job, &[&job]));
        match command {
            RosterCommand::ShowEditor(None) => self.form.show(t, Volunteer::default()),
            RosterCommand::ShowEditor(Some(id)) => {
                self.roster.refresh(path);
                if let Some(v) = self.roster.volunteer(id).cloned() {
                    self.roster.selected = Some(id);
                    self.form.show(t, v);
                }
            }
            RosterCommand::Save(save) => {
                if let Some(wait) = wait {
                    self.form.error = Some(wait);
                    return None;
                }
                return self.save_volunteer(t, path, *save);
            }
            RosterCommand::Delete(id) => {
                if let Some(wait) = wait {
                    self.roster.notice = Some(wait);
                    return None;
                }
                let name = self.roster.volunteer(id).map(Volunteer::full_name);
                let result = Campaign::open(path).and_then(|mut c| c.delete_volunteer(id));
                self.roster.reload(path);
                match result {
                    Ok(()) => {
                        let done = fill(t.volunteer_deleted, &[&name.unwrap_or_default()]);
                        self.roster.notice = None;
                        return Some(done);
                    }
                    Err(e) => self.roster.notice = Some(edit_failed(t, &e)),
                }
            }
            RosterCommand::Select(id) => self.roster.selected = id,
            RosterCommand::ShowMessages => {
                self.roster.refresh(path);
                self.messages.show(t, path, env.selected_operation);
            }
            RosterCommand::SaveTemplate(template) => {
                if let Some(wait) = wait {
                    self.messages.error = Some(wait);
                    return None;
                }
                match Campaign::open(path).and_then(|mut c| c.save_message_template(&template)) {
                    Ok(id) => {
                        self.messages.load_templates(path, Some(id));
                        self.messages.error = None;
                        self.messages.notice =
                            Some(fill(t.messages_template_saved, &[&template.name]));
                    }
                    Err(e) => self.messages.error = Some(e.to_string()),
                }
            }
            RosterCommand::DeleteTemplate(id) => {
                if let Some(wait) = wait {
                    self.messages.error = Some(wait);
                    return None;
                }
                match Campaign::open(path).and_then(|mut c| c.delete_message_template(id)) {
                    Ok(()) => {
                        let name = std::mem::replace(&mut self.messages.draft, blank_template());
                        self.messages.load_templates(path, None);
                        self.messages.error = None;
                        self.messages.notice =
                            Some(fill(t.messages_template_deleted, &[&name.name]));
                    }
                    Err(e) => self.messages.error = Some(e.to_string()),
                }
            }
            RosterCommand::BrowseExport => self.messages.browse(ctx, t),
            RosterCommand::Export(export) => {
                let volunteers: Vec<Volunteer> = export
                    .ids
                    .iter()
                    .filter_map(|id| self.roster.volunteer(*id).cloned())
                    .collect();
                match write_export(t, &export, &volunteers) {
                    Ok(line) => {
                        self.messages.error = None;
                        self.messages.notice = Some(line.clone());
                        return Some(line);
                    }
                    Err(why) => self.messages.error = Some(why),
                }
            }
        }
        None
    }

    /// Adds or updates a volunteer (its home found among the campaign's addresses first when
    /// the window asks); the model's refusal stays in the window.
    fn save_volunteer(&mut self, t: &Strings, path: &Path, save: VolunteerSave) -> Option<String> {
        let mut v = save.volunteer;
        let mut campaign = match Campaign::open(path) {
            Ok(c) => c,
            Err(e) => {
                self.form.error = Some(e.to_string());
                return None;
            }
        };
        let mut not_found = false;
        if save.geocode {
            match campaign.geocode_address(&v.address) {
                Ok(Some((fid, point))) => {
                    v.home_wgs84 = Some(point);
                    v.home_address_fid = Some(fid);
                    v.home_source = HomeSource::Address;
                }
                Ok(None) => not_found = true,
                Err(e) => {
                    self.form.error = Some(e.to_string());
                    return None;
                }
            }
        }
        let result = if v.id == 0 {
            campaign.add_volunteer(&v)
        } else {
            campaign.update_volunteer(&v).map(|()| v.id)
        };
        match result {
            Ok(id) => {
                self.form.open = false;
                self.form.error = None;
                self.roster.reload(path);
                self.roster.selected = Some(id);
                let name = v.full_name();
                let home_found = self
                    .roster
                    .volunteer(id)
                    .is_some_and(|s| s.home_wgs84.is_some());
                self.roster.notice = (not_found && !home_found)
                    .then(|| fill(t.volunteer_home_not_found, &[&name, &v.address]));
                Some(fill(t.volunteer_saved, &[&name]))
            }
            Err(e) => {
                self.form.error = Some(e.to_string());
                None
            }
        }
    }
}

/// The weekdays in the order the day filter lists them.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The columns the table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RosterSort {
    #[default]
    Name,
    Phone,
    Availability,
    Languages,
    Home,
    Consent,
    Partner,
}

/// The filter as typed in the tab (the date and distance as text until they parse).
#[derive(Clone, Debug, PartialEq)]
pub struct RosterFilterForm {
    pub text: String,
    pub day: Option<Weekday>,
    pub slot: Option<DaySlot>,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`; empty: any date.
    pub date: String,
    /// Only volunteers living within `near_km` of the selected operation's meeting point.
    pub near: bool,
    pub near_km: f64,
    /// Empty: any language.
    pub language: String,
    pub consented_only: bool,
}

impl Default for RosterFilterForm {
    fn default() -> Self {
        RosterFilterForm {
            text: String::new(),
            day: None,
            slot: None,
            date: String::new(),
            near: false,
            near_km: 2.0,
            language: String::new(),
            consented_only: false,
        }
    }
}

/// Reads a date typed as `2026-03-14` or `14/03/2026`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

impl RosterFilterForm {
    /// The model's filter for this form; `meeting` is the selected operation's meeting point.
    /// Errors name the field that could not be read (the bad date, a missing meeting point).
    pub fn to_filter(
        &self,
        t: &Strings,
        meeting: Option<Point<f64>>,
    ) -> Result<RosterFilter, String> {
        let date = match self.date.trim() {
            "" => None,
            text => Some(parse_date(text).ok_or_else(|| fill(t.roster_bad_date, &[&text]))?),
        };
        let within_m_of = if self.near {
            let point = meeting.ok_or(t.roster_no_meeting_point)?;
            Some((point, self.near_km.max(0.0) * 1000.0))
        } else {
            None
        };
        let language = self.language.trim();
        Ok(RosterFilter {
            text: self.text.trim().to_owned(),
            day: self.day,
            slot: self.slot,
            date,
            within_m_of,
            language: (!language.is_empty()).then(|| language.to_owned()),
            consented_only: self.consented_only,
        })
    }
}

/// What the tab keeps between frames: the roster as last read from the model, the filter and
/// sort, the rows shown, the checked and selected volunteers.
#[derive(Debug)]
pub struct RosterState {
    pub form: RosterFilterForm,
    pub sort: RosterSort,
    pub descending: bool,
    /// Every volunteer, as last read from the campaign.
    pub volunteers: Vec<Volunteer>,
    /// The campaign's operations (for the meeting point and the messages' context).
    pub operations: Vec<Operation>,
    /// Why the roster could not be read.
    pub load_error: Option<String>,
    /// The roster must be read again (a new campaign view, an edit, an import).
    pub stale: bool,
    /// Indices in `volunteers` of the rows shown, in order.
    shown: Vec<usize>,
    shown_key: Option<(RosterFilterForm, RosterSort, bool, Option<i64>, u64)>,
    /// Why the filter cannot be applied (a bad date, no meeting point).
    pub filter_error: Option<String>,
    /// Bumped at each reload (the rows are recomputed then).
    generation: u64,
    /// Volunteers ticked as recipients (the messages window uses them when any).
    pub checked: BTreeSet<i64>,
    pub selected: Option<i64>,
    /// The volunteer whose deletion waits for confirmation.
    pub confirm_delete: Option<i64>,
    /// The last edit's notice or refusal.
    pub notice: Option<String>,
}

impl Default for RosterState {
    fn default() -> Self {
        RosterState {
            form: RosterFilterForm::default(),
            sort: RosterSort::default(),
            descending: false,
            volunteers: Vec::new(),
            operations: Vec::new(),
            load_error: None,
            stale: true,
            shown: Vec::new(),
            shown_key: None,
            filter_error: None,
            generation: 0,
            checked: BTreeSet::new(),
            selected: None,
            confirm_delete: None,
            notice: None,
        }
    }
}

impl RosterState {
    /// Reads the roster and the operations again from the campaign at `path`.
    pub fn reload(&mut self, path: &Path) {
        self.stale = false;
        self.generation += 1;
        // The rows index the old list: recomputed by the next refilter.
        self.shown.clear();
        self.shown_key = None;
        match Campaign::open(path).and_then(|c| Ok((c.volunteers()?, c.operations()?))) {
            Ok((volunteers, operations)) => {
                self.checked
                    .retain(|id| volunteers.iter().any(|v| v.id == *id));
                if self
                    .selected
                    .is_some_and(|id| !volunteers.iter().any(|v| v.id == id))
                {
                    self.selected = None;
                }
                self.volunteers = volunteers;
                self.operations = operations;
                self.load_error = None;
            }
            Err(e) => {
                self.volunteers.clear();
                self.operations.clear();
                self.load_error = Some(e.to_string());
            }
        }
    }

    /// Reloads only when something marked the roster stale.
    pub fn refresh(&mut self, path: &Path) {
        if self.stale {
            self.reload(path);
        }
    }

    pub fn volunteer(&self, id: i64) -> Option<&Volunteer> {
        self.volunteers.iter().find(|v| v.id == id)
    }

    /// The rows shown (filtered and sorted), as of the last frame.
    pub fn shown(&self) -> impl Iterator<Item = &Volunteer> {
        self.shown.iter().map(|&i| &self.volunteers[i])
    }

    pub fn shown_count(&self) -> usize {
        self.shown.len()
    }

    /// The recipients of a message or an export: the checked volunteers when any are, else the
    /// rows the filter shows.
    pub fn recipients(&self) -> Vec<&Volunteer> {
        if self.checked.is_empty() {
            self.shown().collect()
        } else {
            self.volunteers
                .iter()
                .filter(|v| self.checked.contains(&v.id))
                .collect()
        }
    }

    /// The meeting point of operation `id`, when it has one.
    pub fn meeting_point(&self, id: Option<i64>) -> Option<Point<f64>> {
        let id = id?;
        self.operations
            .iter()
            .find(|o| o.id == id)
            .and_then(|o| o.meeting_wgs84)
    }

    /// Clicking a header: sort by it, or flip the direction when it already sorts.
    pub fn click_header(&mut self, column: RosterSort) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = false;
        }
    }

    /// Filters (with the model's [`RosterFilter::matches`]) and sorts, when the filter, the
    /// sort, the operation or the roster changed.
    pub fn refilter(&mut self, t: &Strings, operation: Option<i64>) {
        let key = (
            self.form.clone(),
            self.sort,
            self.descending,
            operation,
            self.generation,
        );
        if self.shown_key.as_ref() == Some(&key) {
            return;
        }
        let filter = self.form.to_filter(t, self.meeting_point(operation));
        let mut shown: Vec<usize> = match &filter {
            Ok(filter) => (0..self.volunteers.len())
                .filter(|&i| filter.matches(&self.volunteers[i]))
                .collect(),
            // A filter that cannot be read shows every volunteer, with the reason.
            Err(_) => (0..self.volunteers.len()).collect(),
        };
        self.filter_error = filter.err();
        let vols = &self.volunteers;
        let names: Vec<String> = vols.iter().map(|v| fold(&sort_name(v))).collect();
        let partner_names: Vec<String> = vols
            .iter()
            .map(|v| fold(&partner_name(vols, v).unwrap_or_default()))
            .collect();
        let availability: Vec<String> = vols
            .iter()
            .map(|v| availability_text(t, &v.availability))
            .collect();
        let cmp = |a: &usize, b: &usize| -> Ordering {
            let (va, vb) = (&vols[*a], &vols[*b]);
            let ord = match self.sort {
                RosterSort::Name => Ordering::Equal,
                RosterSort::Phone => va.phone.cmp(&vb.phone),
                RosterSort::Availability => availability[*a].cmp(&availability[*b]),
                RosterSort::Languages => {
                    fold(&va.languages.join(", ")).cmp(&fold(&vb.languages.join(", ")))
                }
                RosterSort::Home => va.home_wgs84.is_some().cmp(&vb.home_wgs84.is_some()),
                RosterSort::Consent => va.consent_date.cmp(&vb.consent_date),
                RosterSort::Partner => partner_names[*a].cmp(&partner_names[*b]),
            };
            let ord = ord.then_with(|| names[*a].cmp(&names[*b]));
            if self.descending { ord.reverse() } else { ord }
        };
        shown.sort_by(cmp);
        self.shown = shown;
        self.shown_key = Some(key);
    }
}

/// The availability in the UI's language ("sam matin; dim", "sat morning; sun"), which the
/// model's parser reads back.
pub fn availability_text(t: &Strings, a: &Availability) -> String {
    a.items
        .iter()
        .map(|item| {
            let (head, slot) = match *item {
                AvailabilityItem::Weekly { day, slot } => (
                    t.roster_weekdays_short[day.num_days_from_monday() as usize].to_owned(),
                    slot,
                ),
                AvailabilityItem::Date { date, slot } => {
                    (date.format("%Y-%m-%d").to_string(), slot)
                }
            };
            match slot {
                DaySlot::AllDay => head,
                s => format!("{head} {}", t.day_slot(s)),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "Dupré José": last name first, for sorting.
fn sort_name(v: &Volunteer) -> String {
    format!("{} {}", v.last_name.trim(), v.first_name.trim())
}

/// The full name of `v`'s partner.
pub fn partner_name(volunteers: &[Volunteer], v: &Volunteer) -> Option<String> {
    let id = v.partner_id?;
    volunteers
        .iter()
        .find(|p| p.id == id)
        .map(Volunteer::full_name)
}

/// Every language spoken on the roster, sorted, without duplicates (accent- and
/// case-insensitively).
pub fn roster_languages(volunteers: &[Volunteer]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in volunteers.iter().flat_map(|v| &v.languages) {
        let l = l.trim();
        if !l.is_empty() && seen.insert(fold(l)) {
            out.push(l.to_owned());
        }
    }
    out.sort_by_key(|l| fold(l));
    out
}

/// What the tab reads from the app this frame.
pub struct RosterPanelData<'a> {
    /// The operation chosen in the Operations tab, when any (its meeting point for "within").
    pub selected_operation: Option<i64>,
    /// A job (an import) is running: the import button waits.
    pub busy: bool,
    pub campaign_path: &'a Path,
}

/// Column widths in points (a horizontal scroll bar appears when the panel is narrower).
const CHECK_W: f32 = 18.0;
const WIDTHS: [f32; 7] = [140.0, 100.0, 160.0, 90.0, 44.0, 78.0, 120.0];

/// The Volunteers tab.
pub fn roster_panel_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut RosterState,
    data: &RosterPanelData<'_>,
    commands: &mut Vec<Command>,
) {
    if let Some(error) = &state.load_error {
        ui.colored_label(
            ui.visuals().error_fg_color,
            fill(t.roster_load_failed, &[&error]),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button(t.roster_add).clicked() {
            commands.push(Command::Roster(RosterCommand::ShowEditor(None)));
        }
        let selected = state.selected;
        if ui
            .add_enabled(selected.is_some(), egui::Button::new(t.roster_edit))
            .clicked()
            && let Some(id) = selected
        {
            commands.push(Command::Roster(RosterCommand::ShowEditor(Some(id))));
        }
        if ui
            .add_enabled(selected.is_some(), egui::Button::new(t.roster_delete))
            .clicked()
        {
            state.confirm_delete = selected;
        }
        if ui
            .add_enabled(!data.busy, egui::Button::new(t.roster_import))
            .on_disabled_hover_text(t.another_job_running)
            .clicked()
        {
            commands.push(Command::ShowImport(ImportKind::Volunteers));
        }
        if ui.button(t.roster_messages).clicked() {
            commands.push(Command::Roster(RosterCommand::ShowMessages));
        }
    });
    if let Some(id) = state.confirm_delete {
        match state.volunteer(id).map(Volunteer::full_name) {
            Some(name) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(fill(t.roster_confirm_delete, &[&name]))
                            .color(ui.visuals().warn_fg_color),
                    );
                    if ui.button(t.roster_delete_yes).clicked() {
                        commands.push(Command::Roster(RosterCommand::Delete(id)));
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
    ui.separator();
    filter_ui(ui, t, state, data);
    state.refilter(t, data.selected_operation);
    if let Some(error) = &state.filter_error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.horizontal(|ui| {
        ui.label(fill(
            t.roster_count,
            &[
                &t.integer(state.shown.len() as i64),
                &t.integer(state.volunteers.len() as i64),
            ],
        ));
        if !state.checked.is_empty() {
            ui.weak(fill(t.roster_checked, &[&state.checked.len()]));
            if ui.small_button(t.roster_uncheck_all).clicked() {
                state.checked.clear();
            }
        }
    });
    ui.separator();
    if state.volunteers.is_empty() {
        ui.weak(t.roster_empty);
        return;
    }
    table_ui(ui, t, state, commands);
}

fn filter_ui(ui: &mut Ui, t: &Strings, state: &mut RosterState, data: &RosterPanelData<'_>) {
    let form = &mut state.form;
    ui.horizontal(|ui| {
        let label = ui.label(t.search);
        ui.add(
            TextEdit::singleline(&mut form.text)
                .hint_text(t.roster_search_hint)
                .desired_width((ui.available_width() - 8.0).max(80.0)),
        )
        .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t.roster_available);
        egui::ComboBox::from_id_salt("roster day")
            .selected_text(form.day.map_or(t.roster_any_day, |d| t.weekday(d)))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.day, None, t.roster_any_day);
                for d in WEEKDAYS {
                    ui.selectable_value(&mut form.day, Some(d), t.weekday(d));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t.roster_time);
        egui::ComboBox::from_id_salt("roster slot")
            .selected_text(form.slot.map_or(t.roster_any_slot, |s| t.day_slot(s)))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.slot, None, t.roster_any_slot);
                for s in DaySlot::PARTS {
                    ui.selectable_value(&mut form.slot, Some(s), t.day_slot(s));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t.roster_on_date);
        ui.add(
            TextEdit::singleline(&mut form.date)
                .hint_text(t.roster_date_hint)
                .desired_width(96.0),
        )
        .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        let meeting = meeting_label(&state.operations, data.selected_operation);
        ui.add_enabled_ui(meeting.is_some() || form.near, |ui| {
            ui.checkbox(&mut form.near, t.roster_within);
            ui.add(
                egui::DragValue::new(&mut form.near_km)
                    .range(0.1..=100.0)
                    .speed(0.1)
                    .suffix(" km"),
            );
        })
        .response
        .on_hover_text(match &meeting {
            Some(name) => fill(t.roster_within_hint, &[name]),
            None => t.roster_no_meeting_point.to_owned(),
        });
        ui.weak(meeting.as_deref().unwrap_or(t.roster_no_operation));
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t.roster_language);
        let languages = roster_languages(&state.volunteers);
        let current = if form.language.is_empty() {
            t.roster_any_language.to_owned()
        } else {
            form.language.clone()
        };
        egui::ComboBox::from_id_salt("roster language")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.language, String::new(), t.roster_any_language);
                for l in languages {
                    let text = l.clone();
                    ui.selectable_value(&mut form.language, l, text);
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(&mut form.consented_only, t.roster_consented_only);
        if *form != RosterFilterForm::default() && ui.small_button(t.roster_clear_filter).clicked()
        {
            *form = RosterFilterForm {
                near_km: form.near_km,
                ..RosterFilterForm::default()
            };
        }
    });
}

/// "Sortie du 14 mars: 12 rue X" when operation `id` has a meeting point.
fn meeting_label(operations: &[Operation], id: Option<i64>) -> Option<String> {
    let op = operations.iter().find(|o| Some(o.id) == id)?;
    op.meeting_wgs84?;
    Some(format!("{} ({})", op.name, op.meeting_point))
}

fn table_ui(ui: &mut Ui, t: &Strings, state: &mut RosterState, commands: &mut Vec<Command>) {
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let columns = [
        (RosterSort::Name, t.col_volunteer),
        (RosterSort::Phone, t.col_phone),
        (RosterSort::Availability, t.col_availability),
        (RosterSort::Languages, t.col_languages),
        (RosterSort::Home, t.col_home),
        (RosterSort::Consent, t.col_consent),
        (RosterSort::Partner, t.col_partner),
    ];
    egui::ScrollArea::horizontal()
        .id_salt("roster h")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.add_space(CHECK_W + ui.spacing().item_spacing.x);
                if let Some(column) = header_ui(ui, &columns, &WIDTHS, state.sort, state.descending)
                {
                    state.click_header(column);
                }
            });
            let spacing = ui.spacing().item_spacing.x;
            let width = CHECK_W + WIDTHS.iter().sum::<f32>() + spacing * WIDTHS.len() as f32;
            egui::ScrollArea::vertical()
                .id_salt("roster v")
                .auto_shrink([false, false])
                .show_rows(ui, row_h, state.shown.len(), |ui, rows| {
                    ui.set_min_width(width);
                    ui.style_mut().interaction.selectable_labels = false;
                    for pos in rows {
                        let id = state.volunteers[state.shown[pos]].id;
                        row_ui(ui, t, state, id, row_h, commands);
                    }
                });
        });
}

fn row_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut RosterState,
    id: i64,
    row_h: f32,
    commands: &mut Vec<Command>,
) {
    let Some(v) = state.volunteer(id) else {
        return;
    };
    let selected = state.selected == Some(id);
    let name = v.full_name();
    let cells = [
        name.clone(),
        v.phone.clone(),
        availability_text(t, &v.availability),
        v.languages.join(", "),
        if v.home_wgs84.is_some() { t.yes } else { t.no }.to_owned(),
        v.consent_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "—".to_owned()),
        partner_name(&state.volunteers, v).unwrap_or_default(),
    ];
    // Every field, on hover: the narrow panel hides the right-hand columns.
    let details = details_text(
        &name,
        &[
            (t.col_phone, cells[1].as_str()),
            (t.volunteer_email, v.email.as_str()),
            (t.volunteer_address, v.address.as_str()),
            (t.col_availability, cells[2].as_str()),
            (t.col_languages, cells[3].as_str()),
            (t.col_home, cells[4].as_str()),
            (t.col_consent, cells[5].as_str()),
            (t.col_partner, cells[6].as_str()),
            (t.volunteer_role, v.role.as_str()),
            (t.volunteer_mobility, v.mobility.as_str()),
            (t.volunteer_notes, v.notes.as_str()),
        ],
        t.colon,
    );
    let mut checked = state.checked.contains(&id);
    let background = ui.painter().add(egui::Shape::Noop);
    let row = ui.horizontal(|ui| {
        ui.set_min_height(row_h);
        let check = ui
            .add_sized([CHECK_W, row_h], egui::Checkbox::without_text(&mut checked))
            .on_hover_text(t.roster_check_hint);
        let check_label = fill(t.roster_check_label, &[&name]);
        check.widget_info(|| {
            WidgetInfo::selected(Role::CheckBox, true, checked, check_label.as_str())
        });
        cells_ui(ui, &cells, &WIDTHS, row_h);
        check.changed()
    });
    if row.inner {
        if checked {
            state.checked.insert(id);
        } else {
            state.checked.remove(&id);
        }
    }
    // The row minus its check box: a click selects, a double click edits.
    let mut rect = row.response.rect;
    rect.min.x += CHECK_W + ui.spacing().item_spacing.x;
    let response = ui
        .interact(
            rect,
            ui.scope_id().with(("volunteer row", id)),
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
        commands.push(Command::Roster(RosterCommand::ShowEditor(Some(id))));
    } else if response.clicked() {
        commands.push(Command::Roster(RosterCommand::Select(Some(id))));
    }
}

/// Why an edit of the roster failed, for the tab's notice.
pub fn edit_failed(t: &Strings, e: &ModelError) -> String {
    fill(t.roster_edit_failed, &[&e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_filter_form() {
        assert_eq!(
            parse_date("2026-03-14"),
            NaiveDate::from_ymd_opt(2026, 3, 14)
        );
        assert_eq!(
            parse_date(" 14/03/2026 "),
            NaiveDate::from_ymd_opt(2026, 3, 14)
        );
        assert_eq!(parse_date("14 mars"), None);
        let t = &crate::ui::i18n::EN;
        let mut form = RosterFilterForm {
            text: " dupré ".into(),
            day: Some(Weekday::Sat),
            language: "français".into(),
            ..Default::default()
        };
        let f = form.to_filter(t, None).unwrap();
        assert_eq!(f.text, "dupré");
        assert_eq!(f.day, Some(Weekday::Sat));
        assert_eq!(f.language.as_deref(), Some("français"));
        assert_eq!(f.within_m_of, None);
        form.near = true;
        assert!(form.to_filter(t, None).is_err(), "no meeting point");
        let p = Point::new(1.6, 48.05);
        assert_eq!(
            form.to_filter(t, Some(p)).unwrap().within_m_of,
            Some((p, 2000.0))
        );
        form.date = "someday".into();
        assert!(form.to_filter(t, Some(p)).unwrap_err().contains("someday"));
    }

    #[test]
    fn availability_reads_in_the_ui_language_and_parses_back() {
        let a = Availability::parse("samedi matin; dim; 2026-03-14 soir").unwrap();
        let en = availability_text(&crate::ui::i18n::EN, &a);
        let fr = availability_text(&crate::ui::i18n::FR, &a);
        assert_eq!(en, a.to_text());
        assert_eq!(fr, "sam matin; dim; 2026-03-14 soir");
        assert_eq!(Availability::parse(&fr).unwrap(), a);
        assert_eq!(Availability::parse(&en).unwrap(), a);
        let b = Availability::parse("mer après-midi").unwrap();
        let fr = availability_text(&crate::ui::i18n::FR, &b);
        assert_eq!(fr, "mer après-midi");
        assert_eq!(Availability::parse(&fr).unwrap(), b);
    }

    #[test]
    fn languages_are_listed_once() {
        let v = |langs: &[&str]| Volunteer {
            languages: langs.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let vols = [
            v(&["français", "anglais"]),
            v(&["Francais", "turc"]),
            v(&[]),
        ];
        assert_eq!(roster_languages(&vols), vec!["anglais", "français", "turc"]);
    }
}
