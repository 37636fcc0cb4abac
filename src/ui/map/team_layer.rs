//! The selected operation on the map: each of its turfs labelled with its team ("José D. &
//! François L.", dark text on a light box so it reads on any fill), its meeting point as a
//! marker, and volunteers dropped on a turf (dragged from the Operations tab): the turf under
//! the pointer is outlined while dragging, and the release assigns them. Also the "pick the
//! meeting point on the map" click.

use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, Ui};
use geo::InteriorPoint;

use crate::model::operations::{Operation, Team};
use crate::model::turfs::Turf;
use crate::model::volunteers::Volunteer;
use crate::ui::command::Command;
use crate::ui::map::MapView;
use crate::ui::panels::operations::{OperationCommand, VolunteerDrag};

/// A team's label is drawn when its turf is at least this wide on screen, points.
const LABEL_MIN_WIDTH_POINTS: f32 = 50.0;
/// How far below the turf's own name (drawn at the same point) the team label starts, points.
const LABEL_OFFSET_POINTS: f32 = 10.0;
/// Radius of the meeting point marker, points.
const MEETING_RADIUS_POINTS: f32 = 7.0;

/// One team's label.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamLabel {
    pub turf_id: i64,
    /// The members' short names joined with " & ".
    pub text: String,
    /// A point inside the turf, WGS84 (lon, lat).
    pub pos_wgs84: [f64; 2],
}

/// What the map shows of the selected operation, rebuilt when it or the turfs change.
#[derive(Clone, Debug, Default)]
pub struct TeamLayer {
    pub operation_id: Option<i64>,
    pub labels: Vec<TeamLabel>,
    pub meeting_wgs84: Option<[f64; 2]>,
    /// The meeting point's text, shown beside the marker.
    pub meeting_text: String,
    /// Labels and marker are painted (an operation is selected).
    pub visible: bool,
    /// The next click on the map picks the meeting point.
    pub picking_point: bool,
    /// The turf under a dragged volunteer on the last frame.
    drop_target: Option<i64>,
}

/// The members' short names ("José D. & François L."), else the team's own name.
pub fn team_names(team: &Team, volunteers: &[Volunteer]) -> String {
    let names: Vec<String> = team
        .member_ids
        .iter()
        .filter_map(|id| volunteers.iter().find(|v| v.id == *id))
        .map(Volunteer::short_name)
        .collect();
    if names.is_empty() {
        team.name.clone()
    } else {
        names.join(" & ")
    }
}

impl TeamLayer {
    /// The labels of `op`'s placed teams, at a point inside their turf.
    pub fn new(op: &Operation, volunteers: &[Volunteer], turfs: &[Turf]) -> TeamLayer {
        let labels = op
            .teams
            .iter()
            .filter_map(|team| {
                let turf = turfs.iter().find(|t| Some(t.id) == team.turf_id)?;
                let p = turf.geom_wgs84.interior_point()?;
                Some(TeamLabel {
                    turf_id: turf.id,
                    text: team_names(team, volunteers),
                    pos_wgs84: [p.x(), p.y()],
                })
            })
            .collect();
        TeamLayer {
            operation_id: Some(op.id),
            labels,
            meeting_wgs84: op.meeting_lonlat(),
            meeting_text: op.meeting_point.clone(),
            ..TeamLayer::default()
        }
    }

    /// The turf a volunteer being dragged is over (highlighted), as of the last frame.
    pub fn drop_target(&self) -> Option<i64> {
        self.drop_target
    }
}

impl MapView {
    /// After the turfs: paints the selected operation's teams and meeting point, handles a
    /// volunteer dragged over and dropped on a turf, and the meeting point (or the route's
    /// start) picked by a click (which then replaces the click's selection commands).
    pub(super) fn operation_overlay_ui(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        clicked: bool,
        commands: &mut Vec<Command>,
    ) {
        let rect = response.rect;
        let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
        let Some(last) = self.last_frame else {
            return;
        };
        // A copy of the view's memory, so the layer can change while the projector reads it.
        let memory = self.memory.clone();
        let proj = walkers::Projector::new(
            rect,
            &walkers::MercatorProjection,
            &memory,
            last.my_position,
        );
        let to_screen = |w: [f64; 2]| proj.project(walkers::lon_lat(w[0], w[1])).to_pos2();

        if self.teams.visible {
            for label in &self.teams.labels {
                let wide_enough = self.turfs.by_id(label.turf_id).is_some_and(|s| {
                    let b = s.bbox_wgs84;
                    (to_screen([b[2], b[1]]).x - to_screen([b[0], b[1]]).x)
                        >= LABEL_MIN_WIDTH_POINTS
                });
                if wide_enough {
                    let pos = to_screen(label.pos_wgs84) + egui::vec2(0.0, LABEL_OFFSET_POINTS);
                    paint_boxed_text(&painter, pos, Align2::CENTER_TOP, &label.text);
                }
            }
            if let Some(m) = self.teams.meeting_wgs84 {
                let pos = to_screen(m);
                painter.circle(
                    pos,
                    MEETING_RADIUS_POINTS,
                    Color32::from_rgb(200, 30, 40),
                    Stroke::new(2.0, Color32::WHITE),
                );
                painter.circle_filled(pos, 2.5, Color32::WHITE);
                if !self.teams.meeting_text.is_empty() {
                    let at = pos + egui::vec2(MEETING_RADIUS_POINTS + 4.0, 0.0);
                    paint_boxed_text(&painter, at, Align2::LEFT_CENTER, &self.teams.meeting_text);
                }
            }
        }

        // A volunteer dragged from the Operations tab: outline the turf under the pointer, and
        // assign them to it on release.
        let ctx = ui.ctx();
        let dragging = egui::DragAndDrop::payload::<VolunteerDrag>(ctx);
        let pointer = ui.input(|i| i.pointer.latest_pos());
        let target = dragging
            .as_ref()
            .and(pointer)
            .filter(|p| rect.contains(*p))
            .and_then(|p| {
                let q = proj.unproject(p.to_vec2());
                self.turfs.hit_wgs84(q.x(), q.y())
            });
        self.teams.drop_target = target;
        if let Some(shape) = target.and_then(|id| self.turfs.by_id(id)) {
            let accent = ui.visuals().selection.stroke.color;
            for polygon in &shape.editable.polygons_wgs84 {
                for ring in polygon {
                    let pts: Vec<Pos2> = ring.iter().map(|w| to_screen(*w)).collect();
                    painter.add(Shape::closed_line(
                        pts.clone(),
                        Stroke::new(7.0, Color32::from_white_alpha(220)),
                    ));
                    painter.add(Shape::closed_line(pts, Stroke::new(4.0, accent)));
                }
            }
            ctx.request_repaint();
        }
        if let Some(turf_id) = target
            && ui.input(|i| i.pointer.any_released())
            && let Some(drag) = egui::DragAndDrop::take_payload::<VolunteerDrag>(ctx)
        {
            self.teams.drop_target = None;
            commands.push(Command::Operation(OperationCommand::DropOnTurf {
                volunteer_id: drag.0,
                turf_id,
            }));
        }

        if self.teams.picking_point
            && clicked
            && let Some(pos) = response.interact_pointer_pos()
        {
            let q = proj.unproject(pos.to_vec2());
            commands.retain(|c| !matches!(c, Command::SelectPrecinct(_) | Command::SelectTurf(_)));
            commands.push(Command::Operation(OperationCommand::MeetingPointPicked([
                q.x(),
                q.y(),
            ])));
        } else if self.route.picking_start
            && clicked
            && let Some(pos) = response.interact_pointer_pos()
        {
            // The route's start, picked the same way (the Route section's "Pick start on map").
            let q = proj.unproject(pos.to_vec2());
            commands.retain(|c| !matches!(c, Command::SelectPrecinct(_) | Command::SelectTurf(_)));
            commands.push(Command::Route(
                crate::ui::panels::route_panel::RouteCommand::StartPicked([q.x(), q.y()]),
            ));
        }
    }
}

/// Dark text on a light rounded box, anchored at `pos`.
fn paint_boxed_text(painter: &egui::Painter, pos: Pos2, anchor: Align2, text: &str) {
    let ink = Color32::from_gray(25);
    let galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(12.0), ink);
    let rect = anchor.anchor_size(pos, galley.size());
    painter.rect(
        rect.expand2(egui::vec2(3.0, 1.5)),
        3.0,
        Color32::from_white_alpha(225),
        Stroke::new(1.0, Color32::from_black_alpha(90)),
        egui::StrokeKind::Outside,
    );
    painter.galley(rect.min, galley, ink);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::turfs::TurfStatus;
    use chrono::{NaiveDate, NaiveTime};
    use geo_types::{MultiPolygon, polygon};

    #[test]
    fn labels_name_each_placed_team_inside_its_turf() {
        let turf = Turf {
            id: 4,
            name: "T4".into(),
            geom_wgs84: MultiPolygon(vec![polygon![
                (x: 2.30, y: 48.85), (x: 2.31, y: 48.85), (x: 2.31, y: 48.86), (x: 2.30, y: 48.86),
                (x: 2.30, y: 48.85)
            ]]),
            status: TurfStatus::Assigned,
            colour: "#1f78b4".into(),
            precincts: vec![],
            door_ids: vec![],
            area_m2: 0.0,
            path_m: 0.0,
            minutes: 0.0,
        };
        let person = |id, first: &str, last: &str| Volunteer {
            id,
            first_name: first.into(),
            last_name: last.into(),
            ..Volunteer::default()
        };
        let volunteers = [person(1, "José", "Dupré"), person(2, "François", "Lemaire")];
        let team = |id, turf_id, member_ids: Vec<i64>| Team {
            id,
            name: "team".into(),
            turf_id,
            member_ids,
        };
        let op = Operation {
            id: 9,
            name: "Samedi".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: "12 rue X".into(),
            meeting_wgs84: Some(geo_types::Point::new(2.305, 48.849)),
            contact_phone: String::new(),
            notes: String::new(),
            turf_ids: vec![4],
            teams: vec![team(1, Some(4), vec![1, 2]), team(2, None, vec![])],
        };
        let layer = TeamLayer::new(&op, &volunteers, &[turf]);
        assert_eq!(layer.operation_id, Some(9));
        assert_eq!(layer.labels.len(), 1, "the unplaced team has no label");
        assert_eq!(layer.labels[0].text, "José D. & François L.");
        let [lon, lat] = layer.labels[0].pos_wgs84;
        assert!((2.30..2.31).contains(&lon) && (48.85..48.86).contains(&lat));
        assert_eq!(layer.meeting_wgs84, Some([2.305, 48.849]));
        assert_eq!(team_names(&team(3, None, vec![]), &volunteers), "team");
    }
}
