//! Priority and coverage side by side ("where the effort should go versus where it went"): the
//! central panel split into two maps that move together, the priority score on the left and
//! the coverage (the main map, with its turfs) on the right, each with a caption and a small
//! legend in its corner, and the gaps list under them.
//!
//! Per-frame cost: the left map draws a second [`PrecinctLayer`] made by
//! [`PrecinctLayer::share_geometry`]: the projected, triangulated geometry is shared (`Arc`), and
//! each layer keeps its own fill and its own cached batched meshes and rasters, so neither map
//! rebuilds anything when the other draws (drawing one layer twice with two colour arrays would
//! invalidate those caches every frame). A frame costs about two half-width maps.
//!
//! Synchronisation: the map under the pointer (or holding the drag) leads; it draws first, then
//! walkers' `MapMemory` (centre and zoom) is copied to the other, which draws with it in the
//! same frame. A pending fit (zoom to a gap, to the campaign) makes the main map lead.

use egui::{Rect, Ui, UiBuilder, vec2};
use walkers::MapMemory;

use crate::model::results::coverage_map::CoverageGap;
use crate::ui::command::Command;
use crate::ui::figures::Colouring;
use crate::ui::i18n::Strings;
use crate::ui::map::{MapView, PrecinctLayer};
use crate::ui::panels::coverage_gaps::gaps_ui;
use crate::ui::panels::legend::{colour_value_line, legend_rows_ui};

/// Height of a map's caption strip, points.
const CAPTION_POINTS: f32 = 22.0;
/// Largest share of the panel's height the gaps list takes.
const GAPS_SHARE: f32 = 0.3;

/// The side-by-side state: on or off, the priority layer and colours, the gaps, the left view.
#[derive(Default)]
pub struct CompareView {
    pub on: bool,
    /// The precincts again, coloured by priority (shares the main layer's geometry).
    layer: PrecinctLayer,
    /// The priority colouring, or why there is none (no camp saved).
    pub priority: Option<Result<Colouring, String>>,
    /// Priority class 1–2 precincts with under 20 % of their doors knocked, by rank.
    pub gaps: Vec<CoverageGap>,
    memory: MapMemory,
    left_led: bool,
    /// Where the left map was drawn last (tests drag on it).
    left_rect: Option<Rect>,
    /// The alpha the priority fill was set with (the main map's: lighter over tiles).
    fill_alpha: u8,
}

impl CompareView {
    /// Sets the priority colours and the gaps (read by the app from the model).
    pub fn set_priority(&mut self, priority: Result<Colouring, String>, gaps: Vec<CoverageGap>) {
        self.priority = Some(priority);
        self.gaps = gaps;
        self.fill_alpha = 0; // applied on the next frame, with the main map's alpha
    }

    /// Forgets the priority colours and the gaps (the side-by-side view is off).
    pub fn clear(&mut self) {
        self.priority = None;
        self.gaps.clear();
        self.layer.clear_fill();
        self.fill_alpha = 0;
    }

    /// The priority colouring, when there is one.
    pub fn priority_colouring(&self) -> Option<&Colouring> {
        self.priority.as_ref().and_then(|p| p.as_ref().ok())
    }

    /// The left map's view (centre, zoom), kept equal to the main map's.
    pub fn memory(&self) -> &MapMemory {
        &self.memory
    }

    /// The screen rectangle of the left map on the last frame.
    pub fn left_map_rect(&self) -> Option<Rect> {
        self.left_rect
    }

    /// The priority class colour precinct `index` of the left map is filled with.
    pub fn priority_fill_at(&self, index: usize) -> Option<egui::Color32> {
        self.layer.fill_color_at(index)
    }

    /// Keeps the left layer on the main layer's geometry and its fill up to date.
    fn sync_layer(&mut self, map: &MapView) {
        let alpha = map.fill_alpha();
        if !self.layer.shares_geometry_with(&map.layer) {
            self.layer = map.layer.share_geometry();
            self.fill_alpha = 0;
        }
        if self.fill_alpha == alpha {
            return;
        }
        self.fill_alpha = alpha;
        match self.priority_colouring() {
            Some(c) => {
                let colors = c
                    .colors
                    .iter()
                    .map(|c| {
                        c.map(|[r, g, b]| egui::Color32::from_rgba_unmultiplied(r, g, b, alpha))
                    })
                    .collect();
                self.layer.set_fill(colors);
            }
            None => self.layer.clear_fill(),
        }
    }
}

/// What the side-by-side view shows besides the maps' state.
pub struct CompareFrame<'a> {
    pub selected_fid: Option<i64>,
    /// The main (right) map's colouring and caption.
    pub right_colouring: Option<&'a Colouring>,
    pub right_caption: String,
    /// The precinct's figures (voters, turnout, doors) under the left map's priority line.
    pub figure_lines: &'a dyn Fn(usize) -> Vec<String>,
    pub right_tooltip: &'a dyn Fn(usize) -> String,
}

/// The caption over a map (cut with "…" when the half is narrow; the full text on hover).
fn caption_ui(ui: &mut Ui, rect: Rect, text: &str) {
    ui.scope_builder(
        UiBuilder::new().max_rect(rect.shrink2(vec2(6.0, 0.0))),
        |ui| {
            ui.set_clip_rect(rect.intersect(ui.clip_rect()));
            ui.horizontal_centered(|ui| {
                ui.add(egui::Label::new(egui::RichText::new(text).strong()).truncate());
            });
        },
    );
}

/// A small legend in the bottom-left corner of a map (an area over it that takes no input, so
/// the map keeps its hover and drags).
fn legend_overlay_ui(ui: &mut Ui, t: &Strings, rect: Rect, colouring: &Colouring, id: &str) {
    let fill = ui.visuals().extreme_bg_color.gamma_multiply(0.85);
    egui::Area::new(ui.scope_id().with(id))
        .order(egui::Order::Middle)
        .interactable(false)
        .pivot(egui::Align2::LEFT_BOTTOM)
        .fixed_pos(rect.left_bottom() + vec2(6.0, -6.0))
        .constrain_to(rect)
        .show(ui.ctx(), |ui| {
            egui::Frame::new()
                .fill(fill)
                .corner_radius(4.0)
                .inner_margin(egui::Margin::same(4))
                .show(ui, |ui| {
                    ui.style_mut().override_text_style = Some(egui::TextStyle::Small);
                    if colouring.coverage.is_none() {
                        ui.strong(colouring.variable.label(t));
                    }
                    legend_rows_ui(ui, t, colouring, id);
                });
        });
}

/// The two maps, their captions and legends, and the gaps list under them. Returns the
/// commands of clicks (precinct selection, turf edits on the main map, gaps).
pub fn compare_ui(
    ui: &mut Ui,
    t: &Strings,
    view: &mut CompareView,
    map: &mut MapView,
    frame: &CompareFrame,
) -> Vec<Command> {
    let mut commands = Vec::new();
    view.sync_layer(map);
    let full = ui.available_rect_before_wrap();
    let gaps_height = (full.height() * GAPS_SHARE).clamp(60.0, 200.0);
    let maps = Rect::from_min_max(full.min, egui::pos2(full.max.x, full.max.y - gaps_height));
    let gaps_rect = Rect::from_min_max(egui::pos2(full.min.x, maps.max.y), full.max);
    let half = (maps.width() - 4.0) / 2.0;
    let left = Rect::from_min_size(maps.min, vec2(half, maps.height()));
    let right = Rect::from_min_max(egui::pos2(maps.max.x - half, maps.min.y), maps.max);
    let split = |r: Rect| {
        let caption = Rect::from_min_size(r.min, vec2(r.width(), CAPTION_POINTS));
        (
            caption,
            Rect::from_min_max(egui::pos2(r.min.x, caption.max.y), r.max),
        )
    };
    let (left_caption, left_map) = split(left);
    let (right_caption, right_map) = split(right);

    // The leader: the map under the pointer, or the one holding the drag; the main map when it
    // has a fit to do.
    let (pointer, down) = ui.input(|i| (i.pointer.latest_pos(), i.pointer.any_down()));
    let left_leads = !map.fit_pending()
        && view.priority_colouring().is_some()
        && if down {
            view.left_led
        } else {
            pointer.is_some_and(|p| left_map.contains(p))
        };
    view.left_led = left_leads;
    view.left_rect = Some(left_map);

    caption_ui(ui, left_caption, t.compare_priority_caption);
    caption_ui(ui, right_caption, &frame.right_caption);

    if left_leads {
        left_map_ui(ui, t, view, map, frame, left_map, &mut commands);
        map.set_memory(view.memory.clone());
    }
    ui.scope_builder(UiBuilder::new().max_rect(right_map), |ui| {
        commands.extend(map.map_ui(ui, frame.selected_fid, frame.right_tooltip, t));
        if let Some(colouring) = frame.right_colouring {
            legend_overlay_ui(ui, t, right_map, colouring, "compare legend right");
        }
    });
    if !left_leads {
        view.memory = map.memory().clone();
        left_map_ui(ui, t, view, map, frame, left_map, &mut commands);
    }

    ui.scope_builder(UiBuilder::new().max_rect(gaps_rect.shrink(6.0)), |ui| {
        gaps_ui(
            ui,
            t,
            &view.gaps,
            view.priority.as_ref().is_some_and(|p| p.is_ok()),
            frame.selected_fid,
            &map.layer,
            &mut commands,
        );
    });
    ui.advance_cursor_after_rect(full);
    commands
}

/// The left map (priority), or why there is none.
fn left_map_ui(
    ui: &mut Ui,
    t: &Strings,
    view: &mut CompareView,
    map: &mut MapView,
    frame: &CompareFrame,
    rect: Rect,
    commands: &mut Vec<Command>,
) {
    ui.scope_builder(UiBuilder::new().max_rect(rect), |ui| match &view.priority {
        Some(Ok(priority)) => {
            let mut memory = view.memory.clone();
            let tooltip = |i: usize| {
                colour_value_line(t, Some(priority), i)
                    .into_iter()
                    .chain((frame.figure_lines)(i))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let (c, _) =
                map.side_map_ui(ui, &view.layer, &mut memory, frame.selected_fid, &tooltip);
            view.memory = memory;
            commands.extend(c);
            if let Some(colouring) = view.priority_colouring() {
                legend_overlay_ui(ui, t, rect, colouring, "compare legend left");
            }
        }
        Some(Err(message)) => {
            ui.centered_and_justified(|ui| {
                ui.label(egui::RichText::new(message.as_str()).weak());
            });
        }
        None => {
            ui.centered_and_justified(|ui| ui.spinner());
        }
    });
}
