//! The turf drawing and editing tool: click vertices to draw a turf and close it (on its first
//! vertex, a double click or Enter); on the selected turf drag a vertex, drag an edge's middle
//! handle to insert one, right-click a vertex to delete it, or drag inside to move the turf.
//! Pure interaction: it reads pointer and key input in screen space through two projection
//! closures and emits [`TurfToolEvent`]s for the app to apply to the model, so it is tested
//! without walkers or a window.

use egui::{Color32, Key, Painter, PointerButton, Pos2, Shape, Stroke, Ui};

/// How close (points) the pointer must be to a handle to grab it.
pub const GRAB_RADIUS: f32 = 9.0;
/// Handle sizes, points.
const VERTEX_RADIUS: f32 = 5.0;
const MIDPOINT_RADIUS: f32 = 3.5;
/// A turf smaller than this on screen (points, longest side) shows no handles: they would
/// cover it; zoom in to edit it (it can still be moved).
const MIN_TURF_FOR_HANDLES: f32 = 80.0;
/// Edges shorter than this on screen (points) get no insert handle.
const MIN_EDGE_FOR_MIDPOINT: f32 = 4.0 * GRAB_RADIUS;

/// What the tool is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ToolMode {
    /// Map clicks select precincts and turfs.
    #[default]
    Select,
    /// Map clicks add vertices of a new turf.
    Draw,
}

/// A vertex of a turf: polygon part, ring (0 = exterior) and vertex index (rings are stored
/// without their closing vertex).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VertexRef {
    pub polygon: usize,
    pub ring: usize,
    pub vertex: usize,
}

/// The selected turf as the tool sees it: polygons → rings → lon/lat vertices, open rings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EditableTurf {
    pub id: i64,
    pub polygons_wgs84: Vec<Vec<Vec<[f64; 2]>>>,
}

impl EditableTurf {
    fn vertices(&self) -> impl Iterator<Item = (VertexRef, [f64; 2])> + '_ {
        self.polygons_wgs84
            .iter()
            .enumerate()
            .flat_map(|(p, rings)| {
                rings.iter().enumerate().flat_map(move |(r, ring)| {
                    ring.iter().enumerate().map(move |(v, &pos)| {
                        (
                            VertexRef {
                                polygon: p,
                                ring: r,
                                vertex: v,
                            },
                            pos,
                        )
                    })
                })
            })
    }

    /// Middles of every edge: the edge from vertex `v` to `v + 1` (wrapping), and its middle.
    fn midpoints(&self) -> impl Iterator<Item = (VertexRef, [f64; 2])> + '_ {
        self.vertices().filter_map(|(v, a)| {
            let ring = &self.polygons_wgs84[v.polygon][v.ring];
            let b = ring[(v.vertex + 1) % ring.len()];
            (ring.len() >= 2).then_some((v, [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]))
        })
    }

    /// The edge middles worth a handle: on edges long enough on screen for the handle not to
    /// crowd the vertices' (short edges of cut turfs would bury them in dots).
    fn midpoints_on_screen<'a>(
        &'a self,
        to_screen: &'a dyn Fn([f64; 2]) -> Pos2,
    ) -> impl Iterator<Item = (VertexRef, [f64; 2])> + 'a {
        self.midpoints().filter(move |(v, _)| {
            let ring = &self.polygons_wgs84[v.polygon][v.ring];
            let (a, b) = (ring[v.vertex], ring[(v.vertex + 1) % ring.len()]);
            to_screen(a).distance(to_screen(b)) >= MIN_EDGE_FOR_MIDPOINT
        })
    }

    /// Whether the turf is big enough on screen for vertex and edge handles.
    fn handles_shown(&self, to_screen: &dyn Fn([f64; 2]) -> Pos2) -> bool {
        let rect = egui::Rect::from_points(
            &self
                .vertices()
                .map(|(_, p)| to_screen(p))
                .collect::<Vec<_>>(),
        );
        rect.width().max(rect.height()) >= MIN_TURF_FOR_HANDLES
    }

    fn ring_len(&self, v: VertexRef) -> usize {
        self.polygons_wgs84
            .get(v.polygon)
            .and_then(|rings| rings.get(v.ring))
            .map_or(0, Vec::len)
    }

    /// True when `p` is inside one of the turf's polygons (even-odd over all rings).
    pub fn contains_wgs84(&self, p: [f64; 2]) -> bool {
        self.polygons_wgs84
            .iter()
            .any(|rings| rings.iter().filter(|ring| ring_contains(ring, p)).count() % 2 == 1)
    }
}

fn ring_contains(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
    }
    inside
}

/// What the user did with the tool, for the app to apply to the model (each one an undoable
/// turf edit there).
#[derive(Clone, Debug, PartialEq)]
pub enum TurfToolEvent {
    /// A new turf from a closed ring (lon/lat, at least three vertices, not closed).
    Create {
        ring_wgs84: Vec<[f64; 2]>,
    },
    MoveVertex {
        turf_id: i64,
        vertex: VertexRef,
        to_wgs84: [f64; 2],
    },
    /// A vertex inserted after `after` (on the edge from `after` to the next vertex).
    InsertVertex {
        turf_id: i64,
        after: VertexRef,
        at_wgs84: [f64; 2],
    },
    DeleteVertex {
        turf_id: i64,
        vertex: VertexRef,
    },
    /// The whole turf moved by the pointer's displacement.
    Translate {
        turf_id: i64,
        from_wgs84: [f64; 2],
        to_wgs84: [f64; 2],
    },
    /// Drawing was abandoned (Escape) or the tool left draw mode.
    Cancelled,
}

/// A drag in progress on the selected turf.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Drag {
    Vertex(VertexRef),
    Midpoint(VertexRef),
    Turf { from_wgs84: [f64; 2] },
}

/// The pointer and keys of one frame, in screen points (from egui, or made up by tests).
#[derive(Clone, Debug, Default)]
pub struct ToolInput {
    /// Pointer position over the map, if it is over the map.
    pub hover: Option<Pos2>,
    /// Primary click (press and release without a drag) at this position.
    pub clicked: Option<Pos2>,
    pub double_clicked: bool,
    /// Secondary (right) click at this position.
    pub secondary_clicked: Option<Pos2>,
    /// A primary drag began this frame, pressed at this position.
    pub drag_started: Option<Pos2>,
    /// The primary button is down (a drag goes on).
    pub dragging: bool,
    /// The primary button was released this frame.
    pub released: bool,
    pub enter: bool,
    pub escape: bool,
    pub backspace: bool,
}

impl ToolInput {
    /// Reads one frame's input for a map widget's response.
    pub fn from_response(ui: &Ui, response: &egui::Response) -> ToolInput {
        let pointer = response.interact_pointer_pos().or(response.hover_pos());
        let (enter, escape, backspace) = ui.input(|i| {
            (
                i.key_pressed(Key::Enter),
                i.key_pressed(Key::Escape),
                i.key_pressed(Key::Backspace),
            )
        });
        ToolInput {
            hover: response.hover_pos(),
            clicked: response.clicked().then_some(pointer).flatten(),
            double_clicked: response.double_clicked(),
            secondary_clicked: response
                .clicked_by(PointerButton::Secondary)
                .then_some(pointer)
                .flatten(),
            drag_started: response
                .drag_started_by(PointerButton::Primary)
                .then(|| ui.input(|i| i.pointer.press_origin()))
                .flatten(),
            dragging: response.dragged_by(PointerButton::Primary),
            released: response.drag_stopped_by(PointerButton::Primary),
            enter,
            escape,
            backspace,
        }
    }
}

/// The tool's state between frames.
#[derive(Clone, Debug, Default)]
pub struct TurfTool {
    pub mode: ToolMode,
    /// Vertices of the turf being drawn (lon/lat).
    draft_wgs84: Vec<[f64; 2]>,
    drag: Option<Drag>,
}

impl TurfTool {
    pub fn draft_wgs84(&self) -> &[[f64; 2]] {
        &self.draft_wgs84
    }

    /// Starts drawing a new turf (drops any draft).
    pub fn start_drawing(&mut self) {
        self.mode = ToolMode::Draw;
        self.draft_wgs84.clear();
        self.drag = None;
    }

    /// Back to selection; a draft in progress is dropped.
    pub fn stop(&mut self) {
        self.mode = ToolMode::Select;
        self.draft_wgs84.clear();
        self.drag = None;
    }

    pub fn is_dragging(&self) -> bool {
        self.drag.is_some()
    }

    /// Whether a primary press at `press` would grab the selected turf (a handle, or its
    /// inside): the map must not pan then. Called before the map is shown, with the last
    /// frame's projection.
    pub fn wants_pointer(
        &self,
        press: Pos2,
        selected: Option<&EditableTurf>,
        to_screen: &dyn Fn([f64; 2]) -> Pos2,
        to_wgs84: &dyn Fn(Pos2) -> [f64; 2],
    ) -> bool {
        if self.drag.is_some() {
            return true;
        }
        self.mode == ToolMode::Select
            && selected.is_some_and(|turf| grab(turf, press, to_screen, to_wgs84).is_some())
    }

    /// Handles one frame of input; returns what the user completed this frame.
    pub fn handle(
        &mut self,
        input: &ToolInput,
        selected: Option<&EditableTurf>,
        to_screen: &dyn Fn([f64; 2]) -> Pos2,
        to_wgs84: &dyn Fn(Pos2) -> [f64; 2],
    ) -> Option<TurfToolEvent> {
        self.handle_snapped(input, selected, to_screen, to_wgs84, to_wgs84)
    }

    /// As [`TurfTool::handle`], placing new and moved vertices at `snap(pointer)` (e.g. the
    /// nearest precinct boundary or street line) rather than under the pointer.
    pub fn handle_snapped(
        &mut self,
        input: &ToolInput,
        selected: Option<&EditableTurf>,
        to_screen: &dyn Fn([f64; 2]) -> Pos2,
        to_wgs84: &dyn Fn(Pos2) -> [f64; 2],
        snap: &dyn Fn(Pos2) -> [f64; 2],
    ) -> Option<TurfToolEvent> {
        match self.mode {
            ToolMode::Draw => self.handle_draw(input, to_screen, snap),
            ToolMode::Select => {
                selected.and_then(|t| self.handle_edit(input, t, to_screen, to_wgs84, snap))
            }
        }
    }

    fn handle_draw(
        &mut self,
        input: &ToolInput,
        to_screen: &dyn Fn([f64; 2]) -> Pos2,
        to_wgs84: &dyn Fn(Pos2) -> [f64; 2],
    ) -> Option<TurfToolEvent> {
        if input.escape {
            self.stop();
            return Some(TurfToolEvent::Cancelled);
        }
        if input.backspace {
            self.draft_wgs84.pop();
        }
        if let Some(p) = input.clicked {
            let closes = self.draft_wgs84.len() >= 3
                && to_screen(self.draft_wgs84[0]).distance(p) <= GRAB_RADIUS;
            if closes {
                return self.finish_draft();
            }
            let pos = to_wgs84(p);
            // A second click on the last vertex (the two halves of a double click) adds nothing.
            let repeat = self
                .draft_wgs84
                .last()
                .is_some_and(|&last| to_screen(last).distance(p) <= 2.0);
            if !repeat {
                self.draft_wgs84.push(pos);
            }
        }
        if (input.double_clicked || input.enter) && self.draft_wgs84.len() >= 3 {
            return self.finish_draft();
        }
        None
    }

    fn finish_draft(&mut self) -> Option<TurfToolEvent> {
        let ring_wgs84 = std::mem::take(&mut self.draft_wgs84);
        self.mode = ToolMode::Select;
        Some(TurfToolEvent::Create { ring_wgs84 })
    }

    fn handle_edit(
        &mut self,
        input: &ToolInput,
        turf: &EditableTurf,
        to_screen: &dyn Fn([f64; 2]) -> Pos2,
        to_wgs84: &dyn Fn(Pos2) -> [f64; 2],
        snap: &dyn Fn(Pos2) -> [f64; 2],
    ) -> Option<TurfToolEvent> {
        if let Some(p) = input.secondary_clicked
            && let Some(Drag::Vertex(v)) = grab(turf, p, to_screen, to_wgs84)
            && turf.ring_len(v) > 3
        {
            return Some(TurfToolEvent::DeleteVertex {
                turf_id: turf.id,
                vertex: v,
            });
        }
        if let Some(p) = input.drag_started {
            self.drag = grab(turf, p, to_screen, to_wgs84);
        }
        if input.released
            && let Some(drag) = self.drag.take()
        {
            // Released outside the map: no edit.
            let at = input.hover?;
            return Some(match drag {
                Drag::Vertex(vertex) => TurfToolEvent::MoveVertex {
                    turf_id: turf.id,
                    vertex,
                    to_wgs84: snap(at),
                },
                Drag::Midpoint(after) => TurfToolEvent::InsertVertex {
                    turf_id: turf.id,
                    after,
                    at_wgs84: snap(at),
                },
                Drag::Turf { from_wgs84 } => TurfToolEvent::Translate {
                    turf_id: turf.id,
                    from_wgs84,
                    to_wgs84: to_wgs84(at),
                },
            });
        }
        None
    }

    /// Paints the draft (with a rubber band to the pointer) or the selected turf's handles,
    /// and a preview of the drag in progress.
    pub fn paint(
        &self,
        painter: &Painter,
        hover: Option<Pos2>,
        selected: Option<&EditableTurf>,
        to_screen: &dyn Fn([f64; 2]) -> Pos2,
        accent: Color32,
    ) {
        let outline = Stroke::new(2.0, accent);
        let handle_fill = Color32::WHITE;
        match self.mode {
            ToolMode::Draw => {
                let mut points: Vec<Pos2> =
                    self.draft_wgs84.iter().map(|&p| to_screen(p)).collect();
                if let Some(h) = hover {
                    points.push(h);
                }
                if points.len() >= 2 {
                    painter.add(Shape::line(points.clone(), outline));
                }
                // Where closing would go: from the pointer back to the first vertex.
                if let (Some(h), Some(&first)) = (hover, self.draft_wgs84.first())
                    && self.draft_wgs84.len() >= 2
                {
                    painter.add(Shape::dashed_line(
                        &[h, to_screen(first)],
                        Stroke::new(1.0, accent),
                        5.0,
                        4.0,
                    ));
                }
                for (i, p) in self.draft_wgs84.iter().enumerate() {
                    let r = if i == 0 {
                        VERTEX_RADIUS + 2.0
                    } else {
                        VERTEX_RADIUS
                    };
                    painter.circle(to_screen(*p), r, handle_fill, outline);
                }
            }
            ToolMode::Select => {
                let Some(turf) = selected else {
                    return;
                };
                if !turf.handles_shown(to_screen) {
                    return;
                }
                for (_, m) in turf.midpoints_on_screen(to_screen) {
                    painter.circle(to_screen(m), MIDPOINT_RADIUS, accent, Stroke::NONE);
                }
                for (_, v) in turf.vertices() {
                    painter.circle(to_screen(v), VERTEX_RADIUS, handle_fill, outline);
                }
                let (Some(drag), Some(h)) = (self.drag, hover) else {
                    return;
                };
                let dashed = Stroke::new(1.5, accent);
                match drag {
                    Drag::Vertex(v) | Drag::Midpoint(v) => {
                        let n = turf.ring_len(v);
                        let ring = &turf.polygons_wgs84[v.polygon][v.ring];
                        let (prev, next) = match drag {
                            Drag::Vertex(_) => ((v.vertex + n - 1) % n, (v.vertex + 1) % n),
                            _ => (v.vertex, (v.vertex + 1) % n),
                        };
                        painter.add(Shape::dashed_line(
                            &[to_screen(ring[prev]), h, to_screen(ring[next])],
                            dashed,
                            6.0,
                            4.0,
                        ));
                        painter.circle(h, VERTEX_RADIUS, handle_fill, outline);
                    }
                    Drag::Turf { from_wgs84 } => {
                        let d = h - to_screen(from_wgs84);
                        for rings in &turf.polygons_wgs84 {
                            for ring in rings {
                                let moved: Vec<Pos2> =
                                    ring.iter().map(|&p| to_screen(p) + d).collect();
                                painter.add(Shape::closed_line(moved, dashed));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What a press at `p` grabs on `turf`: a vertex first, then an edge middle, then the inside.
fn grab(
    turf: &EditableTurf,
    p: Pos2,
    to_screen: &dyn Fn([f64; 2]) -> Pos2,
    to_wgs84: &dyn Fn(Pos2) -> [f64; 2],
) -> Option<Drag> {
    let nearest = |it: &mut dyn Iterator<Item = (VertexRef, [f64; 2])>| {
        it.map(|(v, pos)| (v, to_screen(pos).distance(p)))
            .filter(|&(_, d)| d <= GRAB_RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(v, _)| v)
    };
    if turf.handles_shown(to_screen) {
        if let Some(v) = nearest(&mut turf.vertices()) {
            return Some(Drag::Vertex(v));
        }
        if let Some(v) = nearest(&mut turf.midpoints_on_screen(to_screen)) {
            return Some(Drag::Midpoint(v));
        }
    }
    let at = to_wgs84(p);
    turf.contains_wgs84(at)
        .then_some(Drag::Turf { from_wgs84: at })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1 degree = 100 points, y down.
    fn to_screen(p: [f64; 2]) -> Pos2 {
        Pos2::new((p[0] * 100.0) as f32, (-p[1] * 100.0) as f32)
    }
    fn to_wgs84(p: Pos2) -> [f64; 2] {
        [p.x as f64 / 100.0, -p.y as f64 / 100.0]
    }
    fn click(p: [f64; 2]) -> ToolInput {
        ToolInput {
            hover: Some(to_screen(p)),
            clicked: Some(to_screen(p)),
            ..ToolInput::default()
        }
    }
    fn square() -> EditableTurf {
        EditableTurf {
            id: 7,
            polygons_wgs84: vec![vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]],
        }
    }
    fn drag(
        tool: &mut TurfTool,
        turf: &EditableTurf,
        from: [f64; 2],
        to: [f64; 2],
    ) -> Option<TurfToolEvent> {
        let start = ToolInput {
            hover: Some(to_screen(from)),
            drag_started: Some(to_screen(from)),
            dragging: true,
            ..ToolInput::default()
        };
        assert_eq!(tool.handle(&start, Some(turf), &to_screen, &to_wgs84), None);
        let end = ToolInput {
            hover: Some(to_screen(to)),
            released: true,
            ..ToolInput::default()
        };
        tool.handle(&end, Some(turf), &to_screen, &to_wgs84)
    }

    #[test]
    fn clicking_back_on_the_first_vertex_closes_the_turf() {
        let mut tool = TurfTool::default();
        tool.start_drawing();
        for p in [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0]] {
            assert_eq!(tool.handle(&click(p), None, &to_screen, &to_wgs84), None);
        }
        assert_eq!(tool.draft_wgs84().len(), 3);
        let event = tool.handle(&click([0.01, 0.0]), None, &to_screen, &to_wgs84);
        assert_eq!(
            event,
            Some(TurfToolEvent::Create {
                ring_wgs84: vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0]]
            })
        );
        assert_eq!(tool.mode, ToolMode::Select);
    }

    #[test]
    fn two_vertices_do_not_make_a_turf_and_escape_cancels() {
        let mut tool = TurfTool::default();
        tool.start_drawing();
        tool.handle(&click([0.0, 0.0]), None, &to_screen, &to_wgs84);
        tool.handle(&click([1.0, 0.0]), None, &to_screen, &to_wgs84);
        let enter = ToolInput {
            enter: true,
            ..ToolInput::default()
        };
        assert_eq!(tool.handle(&enter, None, &to_screen, &to_wgs84), None);
        let back = ToolInput {
            backspace: true,
            ..ToolInput::default()
        };
        tool.handle(&back, None, &to_screen, &to_wgs84);
        assert_eq!(tool.draft_wgs84(), &[[0.0, 0.0]]);
        let esc = ToolInput {
            escape: true,
            ..ToolInput::default()
        };
        assert_eq!(
            tool.handle(&esc, None, &to_screen, &to_wgs84),
            Some(TurfToolEvent::Cancelled)
        );
        assert!(tool.draft_wgs84().is_empty());
        assert_eq!(tool.mode, ToolMode::Select);
    }

    #[test]
    fn the_second_half_of_a_double_click_adds_no_vertex_and_closes() {
        let mut tool = TurfTool::default();
        tool.start_drawing();
        for p in [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0]] {
            tool.handle(&click(p), None, &to_screen, &to_wgs84);
        }
        let double = ToolInput {
            double_clicked: true,
            ..click([2.0, 2.0])
        };
        let event = tool.handle(&double, None, &to_screen, &to_wgs84);
        assert!(
            matches!(event, Some(TurfToolEvent::Create { ring_wgs84 }) if ring_wgs84.len() == 3)
        );
    }

    #[test]
    fn dragging_a_vertex_moves_it() {
        let (mut tool, turf) = (TurfTool::default(), square());
        let event = drag(&mut tool, &turf, [1.0, 1.0], [1.5, 1.5]);
        assert_eq!(
            event,
            Some(TurfToolEvent::MoveVertex {
                turf_id: 7,
                vertex: VertexRef {
                    polygon: 0,
                    ring: 0,
                    vertex: 2
                },
                to_wgs84: [1.5, 1.5]
            })
        );
        assert!(!tool.is_dragging());
    }

    #[test]
    fn dragging_an_edge_middle_inserts_a_vertex() {
        let (mut tool, turf) = (TurfTool::default(), square());
        let event = drag(&mut tool, &turf, [0.5, 0.0], [0.5, -0.5]);
        assert_eq!(
            event,
            Some(TurfToolEvent::InsertVertex {
                turf_id: 7,
                after: VertexRef {
                    polygon: 0,
                    ring: 0,
                    vertex: 0
                },
                at_wgs84: [0.5, -0.5]
            })
        );
    }

    #[test]
    fn dragging_inside_moves_the_turf_and_outside_does_nothing() {
        let (mut tool, turf) = (TurfTool::default(), square());
        let event = drag(&mut tool, &turf, [0.3, 0.6], [2.3, 0.6]);
        assert_eq!(
            event,
            Some(TurfToolEvent::Translate {
                turf_id: 7,
                from_wgs84: [0.3, 0.6],
                to_wgs84: [2.3, 0.6]
            })
        );
        assert_eq!(drag(&mut tool, &turf, [3.0, 3.0], [4.0, 4.0]), None);
        assert!(tool.wants_pointer(to_screen([0.5, 0.5]), Some(&turf), &to_screen, &to_wgs84));
        assert!(!tool.wants_pointer(to_screen([3.0, 3.0]), Some(&turf), &to_screen, &to_wgs84));
    }

    #[test]
    fn right_click_deletes_a_vertex_but_keeps_a_triangle() {
        let (mut tool, turf) = (TurfTool::default(), square());
        let right = |p: [f64; 2]| ToolInput {
            secondary_clicked: Some(to_screen(p)),
            ..ToolInput::default()
        };
        let event = tool.handle(&right([0.0, 1.0]), Some(&turf), &to_screen, &to_wgs84);
        assert_eq!(
            event,
            Some(TurfToolEvent::DeleteVertex {
                turf_id: 7,
                vertex: VertexRef {
                    polygon: 0,
                    ring: 0,
                    vertex: 3
                }
            })
        );
        let triangle = EditableTurf {
            id: 8,
            polygons_wgs84: vec![vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]]],
        };
        assert_eq!(
            tool.handle(&right([1.0, 1.0]), Some(&triangle), &to_screen, &to_wgs84),
            None
        );
    }

    #[test]
    fn containment_honours_holes() {
        let turf = EditableTurf {
            id: 1,
            polygons_wgs84: vec![vec![
                vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]],
                vec![[1.0, 1.0], [3.0, 1.0], [3.0, 3.0], [1.0, 3.0]],
            ]],
        };
        assert!(turf.contains_wgs84([0.5, 0.5]));
        assert!(!turf.contains_wgs84([2.0, 2.0]));
        assert!(!turf.contains_wgs84([5.0, 2.0]));
    }
}
