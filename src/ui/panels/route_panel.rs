//! The walking route of a turf, shown under the selected turf (Turfs and Operations tabs): the
//! side mode and "back to start" options, the "Route" button running the model's router on a
//! job (progress, cancel), and the result: method, length, time, doors and the first stops.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::model::Campaign;
use crate::model::export::phone::{route_csv, route_geojson, route_gpx, stop_address};
use crate::model::export::sheets::{SheetLang, SheetSettings};
use crate::model::export::walklist_html::{WalkListTexts, walklist_html};
use crate::model::operations::Operation;
use crate::model::routing::{Route, RouteMethod, RouteOptions, SideMode};
use crate::model::turfs::Turf;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, JobPoll};

/// How many stops the panel lists under the figures.
pub const STOPS_SHOWN: usize = 8;

/// Something asked of the route section.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteCommand {
    /// Route this turf with the panel's options (start resolved by the app).
    Compute(i64),
    /// Stop waiting for the running route (its result is dropped).
    Cancel,
    /// Forget the route shown (panel and map).
    Clear,
    /// Write the route shown to the panel's export path in this format.
    Export(PhoneFormat),
    /// Take (true) or stop taking (false) the next map click as the route's start.
    PickStart(bool),
    /// The map was clicked while picking: start routes there.
    StartPicked([f64; 2]),
    /// Back to the default start (the meeting point, else the door nearest the centre).
    ForgetStart,
}

/// The phone-ready files of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneFormat {
    /// GPX 1.1: the track and numbered waypoints.
    Gpx,
    /// The offline HTML walk list.
    Html,
    /// GeoJSON: the route line and one point per stop.
    GeoJson,
    /// CSV: the doors in walking order, with empty outcome columns.
    Csv,
}

impl PhoneFormat {
    pub fn extension(self) -> &'static str {
        match self {
            PhoneFormat::Gpx => "gpx",
            PhoneFormat::Html => "html",
            PhoneFormat::GeoJson => "geojson",
            PhoneFormat::Csv => "csv",
        }
    }
}

/// Where a route starts, as resolved by the app when it is asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteRequest {
    pub campaign_path: PathBuf,
    pub turf_id: i64,
    pub turf_name: String,
    pub options: RouteOptions,
    /// The operation whose meeting point is the start, if any.
    pub operation_name: Option<String>,
    /// The start is a point picked on the map.
    pub start_picked: bool,
}

/// What the route section keeps between frames: its options, the running job, the last route.
#[derive(Default)]
pub struct RoutePanel {
    pub side_mode: SideMode,
    pub back_to_start: bool,
    job: Option<(RouteRequest, Job<Result<Route, String>>)>,
    /// The last route computed, and where it started ("Start: …").
    route: Option<(Route, String)>,
    /// The last failure, with the turf it was for.
    error: Option<(i64, String)>,
    /// A start picked on the map (WGS84 lon/lat), used instead of the meeting point.
    pub start_pick_wgs84: Option<[f64; 2]>,
    /// The next map click picks the start.
    pub picking_start: bool,
    /// Where "GPX" / "HTML walk list" write (the extension is added when missing).
    pub export_path: String,
    /// The last export's line ("Written: …" or the failure).
    pub export_note: Option<String>,
}

impl RoutePanel {
    /// The options the panel's controls give, starting at `start_wgs84` (`None`: the default).
    pub fn options(&self, start_wgs84: Option<[f64; 2]>) -> RouteOptions {
        RouteOptions {
            start_wgs84: start_wgs84.map(|p| geo_types::Point::new(p[0], p[1])),
            return_to_start: self.back_to_start,
            side_mode: self.side_mode,
            ..RouteOptions::default()
        }
    }

    /// The last route computed.
    pub fn route(&self) -> Option<&Route> {
        self.route.as_ref().map(|(r, _)| r)
    }

    /// The last failure, with its turf.
    pub fn error(&self) -> Option<(i64, &str)> {
        self.error.as_ref().map(|(id, e)| (*id, e.as_str()))
    }

    /// The turf being routed, while the job runs.
    pub fn running_turf(&self) -> Option<i64> {
        self.job.as_ref().map(|(r, _)| r.turf_id)
    }

    /// Starts routing on a job (replacing a route being computed).
    pub fn start(&mut self, ctx: &egui::Context, t: &'static Strings, request: RouteRequest) {
        let label = fill(t.route_running, &[&request.turf_name]);
        let (path, turf_id, options) = (
            request.campaign_path.clone(),
            request.turf_id,
            request.options.clone(),
        );
        let job = Job::spawn(label.clone(), ctx, move |progress| {
            progress.set(0.1, &label);
            let route = crate::ui::tasks::run_route(&path, turf_id, &options);
            progress.set(1.0, t.stage_done);
            route
        });
        self.error = None;
        self.job = Some((request, job));
    }

    /// Drops the running job: the router cannot be interrupted, its result is ignored.
    pub fn cancel(&mut self, t: &Strings) -> Option<String> {
        self.job.take().map(|(_, job)| {
            job.cancel();
            t.route_cancelled.to_owned()
        })
    }

    pub fn clear(&mut self) {
        self.route = None;
        self.error = None;
        self.export_note = None;
    }

    /// Writes the route shown as `format` to the export path (a string: instant, on the UI
    /// thread); `operation` gives the walk list's subtitle and contact. Returns the status line.
    pub fn export(
        &mut self,
        t: &Strings,
        format: PhoneFormat,
        campaign_path: &Path,
        lang: SheetLang,
        operation: Option<&Operation>,
    ) -> String {
        let line = match self.export_text(t, format, campaign_path, lang, operation) {
            Ok((path, bytes)) => fill(
                t.route_written,
                &[&path.display(), &t.decimal(bytes as f64 / 1024.0, 1)],
            ),
            Err(e) => fill(t.export_failed, &[&e]),
        };
        self.export_note = Some(line.clone());
        line
    }

    fn export_text(
        &self,
        t: &Strings,
        format: PhoneFormat,
        campaign_path: &Path,
        lang: SheetLang,
        operation: Option<&Operation>,
    ) -> Result<(PathBuf, usize), String> {
        let (route, _) = self.route.as_ref().ok_or(t.route_none)?;
        let typed = self.export_path.trim();
        if typed.is_empty() {
            return Err(t.export_needs_path.to_owned());
        }
        let mut path = PathBuf::from(typed);
        if path.extension().is_none() {
            path.set_extension(format.extension());
        }
        let campaign = Campaign::open(campaign_path).map_err(|e| e.to_string())?;
        let turf = campaign.turf(route.turf_id).map_err(|e| e.to_string())?;
        let text = match format {
            PhoneFormat::Gpx => route_gpx(route, &turf.name),
            PhoneFormat::GeoJson => serde_json::to_string_pretty(&route_geojson(route, &turf.name))
                .map_err(|e| e.to_string())?,
            PhoneFormat::Csv => route_csv(route),
            PhoneFormat::Html => {
                let settings =
                    SheetSettings::load(campaign.connection()).map_err(|e| e.to_string())?;
                let stem = campaign_path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut subtitle: Vec<String> = Vec::new();
                if let Some(op) = operation {
                    subtitle.push(op.name.clone());
                    subtitle.push(op.date.to_string());
                    if let Some(team) = op.team_of_turf(turf.id) {
                        subtitle.push(team.name.clone());
                    }
                }
                subtitle.push(format!(
                    "{} {}",
                    route.stops.len(),
                    lang.pick("portes", "doors")
                ));
                let contact = operation.map_or("", |o| o.contact_phone.as_str());
                let texts = WalkListTexts {
                    campaign: stem.clone(),
                    turf: turf.name.clone(),
                    subtitle: subtitle.join(" - "),
                    notice: settings.privacy_notice(lang, &stem, contact),
                };
                walklist_html(route, &texts, lang)
            }
        };
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok((path, text.len()))
    }

    /// Polls the job once a frame; `Some(status)` when it ended (the route is then kept).
    pub fn poll(&mut self, t: &Strings) -> Option<String> {
        let (_, job) = self.job.as_mut()?;
        let outcome = match job.poll() {
            JobPoll::Running => return None,
            JobPoll::Done(outcome) => outcome,
            JobPoll::Lost => Err(t.job_stopped.to_owned()),
        };
        let (request, _) = self.job.take()?;
        Some(match outcome {
            Ok(route) => {
                let status = fill(
                    t.route_done,
                    &[
                        &request.turf_name,
                        &t.integer(route.stops.len() as i64),
                        &length_text(t, route.length_m),
                    ],
                );
                let start = if request.start_picked {
                    t.route_start_picked.to_owned()
                } else {
                    match request.operation_name {
                        Some(name) => fill(t.route_start_meeting, &[&name]),
                        None => t.route_start_default.to_owned(),
                    }
                };
                self.route = Some((route, start));
                status
            }
            Err(e) => {
                let message = fill(t.route_failed, &[&e]);
                self.error = Some((request.turf_id, e));
                message
            }
        })
    }
}

/// "4.2 km" (French "4,2 km"), or "850 m" under a kilometre.
pub fn length_text(t: &Strings, length_m: f64) -> String {
    if length_m >= 1000.0 {
        format!("{} km", t.decimal(length_m / 1000.0, 1))
    } else {
        format!("{} m", t.integer(length_m.max(0.0).round() as i64))
    }
}

/// "2 h 10" or "45 min".
pub fn duration_text(minutes: f64) -> String {
    let m = minutes.max(0.0).round() as i64;
    if m >= 60 {
        format!("{} h {:02}", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// The route section of `turf`: options, the button (or the running job), and the route.
pub fn route_section_ui(
    ui: &mut Ui,
    t: &Strings,
    panel: &mut RoutePanel,
    turf: &Turf,
    commands: &mut Vec<Command>,
) {
    ui.strong(t.route_heading);
    ui.horizontal_wrapped(|ui| {
        ui.label(t.route_sides);
        ui.radio_value(
            &mut panel.side_mode,
            SideMode::OneSideThenOther,
            t.route_one_side,
        );
        ui.radio_value(&mut panel.side_mode, SideMode::ZigZag, t.route_zigzag);
    });
    ui.checkbox(&mut panel.back_to_start, t.route_back_to_start);
    ui.horizontal_wrapped(|ui| {
        if panel.picking_start {
            ui.label(RichText::new(t.route_picking_help).italics());
            if ui.button(t.cancel).clicked() {
                commands.push(Command::Route(RouteCommand::PickStart(false)));
            }
        } else if let Some(p) = panel.start_pick_wgs84 {
            ui.label(fill(
                t.route_start_at,
                &[&format!("{:.5}, {:.5}", p[0], p[1])],
            ));
            if ui.button(t.route_start_forget).clicked() {
                commands.push(Command::Route(RouteCommand::ForgetStart));
            }
        } else if ui
            .button(t.route_pick_start)
            .on_hover_text(t.route_pick_start_hint)
            .clicked()
        {
            commands.push(Command::Route(RouteCommand::PickStart(true)));
        }
    });
    match &panel.job {
        Some((request, job)) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(140.0)
                        .text(fill(t.route_running, &[&request.turf_name])),
                );
                if ui.button(t.cancel).clicked() {
                    commands.push(Command::Route(RouteCommand::Cancel));
                }
            });
        }
        None => {
            ui.horizontal(|ui| {
                if ui
                    .button(t.route_button)
                    .on_hover_text(t.route_button_hint)
                    .clicked()
                {
                    commands.push(Command::Route(RouteCommand::Compute(turf.id)));
                }
                if panel.route().is_some() && ui.button(t.route_hide).clicked() {
                    commands.push(Command::Route(RouteCommand::Clear));
                }
            });
        }
    }
    if let Some((id, e)) = panel.error()
        && id == turf.id
    {
        ui.label(RichText::new(fill(t.route_failed, &[&e])).color(ui.visuals().warn_fg_color));
    }
    let Some((route, operation)) = panel.route.as_ref().filter(|(r, _)| r.turf_id == turf.id)
    else {
        return;
    };
    route_result_ui(ui, t, route, operation);
    ui.horizontal(|ui| {
        let label = ui.label(t.route_export_to);
        ui.add(egui::TextEdit::singleline(&mut panel.export_path).desired_width(180.0))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let ready = !panel.export_path.trim().is_empty();
        for (format, text) in [
            (PhoneFormat::Gpx, t.route_export_gpx),
            (PhoneFormat::Html, t.route_export_html),
            (PhoneFormat::GeoJson, "GeoJSON"),
            (PhoneFormat::Csv, "CSV"),
        ] {
            if ui.add_enabled(ready, egui::Button::new(text)).clicked() {
                commands.push(Command::Route(RouteCommand::Export(format)));
            }
        }
    });
    if let Some(note) = &panel.export_note {
        ui.label(note);
    }
}

fn route_result_ui(ui: &mut Ui, t: &Strings, route: &Route, start: &str) {
    ui.label(start);
    ui.label(match route.method {
        RouteMethod::StreetGraph => t.route_method_graph,
        RouteMethod::StreetOrder => t.route_method_order,
    });
    for note in &route.notes {
        ui.label(RichText::new(note).weak().italics());
    }
    ui.label(fill(t.route_length, &[&length_text(t, route.length_m)]));
    ui.label(fill(t.route_minutes, &[&duration_text(route.minutes)]));
    ui.label(fill(t.route_doors, &[&t.integer(route.stops.len() as i64)]));
    if route.stops.is_empty() {
        return;
    }
    ui.label(RichText::new(t.route_first_stops).strong());
    egui::Grid::new(("route stops", route.turf_id))
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            ui.strong(t.route_col_stop);
            ui.strong(t.route_col_address);
            ui.end_row();
            for stop in route.stops.iter().take(STOPS_SHOWN) {
                ui.label(stop.order.to_string());
                ui.label(stop_address(stop));
                ui.end_row();
            }
        });
    if route.stops.len() > STOPS_SHOWN {
        ui.weak(fill(
            t.route_more_stops,
            &[&(route.stops.len() - STOPS_SHOWN)],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::{EN, FR};

    #[test]
    fn lengths_and_durations_read_naturally() {
        assert_eq!(length_text(&EN, 4_213.0), "4.2 km");
        assert_eq!(length_text(&FR, 4_213.0), "4,2 km");
        assert_eq!(length_text(&EN, 849.6), "850 m");
        assert_eq!(duration_text(130.2), "2 h 10");
        assert_eq!(duration_text(45.0), "45 min");
        assert_eq!(duration_text(60.0), "1 h 00");
    }

    #[test]
    fn options_follow_the_controls() {
        let panel = RoutePanel {
            side_mode: SideMode::ZigZag,
            back_to_start: true,
            ..RoutePanel::default()
        };
        let o = panel.options(Some([2.3, 48.8]));
        assert_eq!(o.side_mode, SideMode::ZigZag);
        assert!(o.return_to_start);
        assert_eq!(o.start_wgs84, Some(geo_types::Point::new(2.3, 48.8)));
        assert_eq!(panel.options(None).start_wgs84, None);
    }
}
