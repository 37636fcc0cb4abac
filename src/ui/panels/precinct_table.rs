//! The precinct table: code, name, registered voters and turnout of the chosen election, doors.
//! Sortable by clicking a column header, filtered by a search box (code or name, case- and
//! accent-insensitive), virtualised (only visible rows are laid out, so 69,000 rows scroll).
//! A click on a row selects the precinct (on the map too); a selection made on the map scrolls
//! the table to its row.

use std::cmp::Ordering;
use std::ops::Range;

use egui::{Align, Layout, RichText, Role, Sense, TextEdit, Ui, WidgetInfo};

use crate::ui::command::Command;
use crate::ui::figures::PrecinctFigures;
use crate::ui::i18n::{Strings, fill};
use crate::ui::map::PrecinctLayer;
use crate::ui::panels::table_row::sort_triangle;

/// Column widths in points (the name takes what is left).
const CODE_W: f32 = 64.0;
const NUMBER_W: f32 = 66.0;
const MIN_NAME_W: f32 = 80.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortColumn {
    #[default]
    Code,
    Name,
    Registered,
    Turnout,
    Doors,
}

/// What the table keeps between frames.
#[derive(Clone, Debug, Default)]
pub struct TableState {
    pub search: String,
    pub sort: SortColumn,
    pub descending: bool,
    /// Row order (indices in the precinct list) for the key below.
    order: Vec<usize>,
    order_key: Option<(String, SortColumn, bool, Option<usize>, u64)>,
    /// Rows laid out last frame, to scroll only when the selection is off screen.
    visible_rows: Range<usize>,
    last_selected: Option<i64>,
}

impl TableState {
    /// Indices (in the precinct list) of the rows shown, in order, as of the last frame.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// Clicking a header: sort by it, or flip the direction when it already sorts.
    pub fn click_header(&mut self, column: SortColumn) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = false;
        }
    }

    fn refresh(
        &mut self,
        layer: &PrecinctLayer,
        figures: &PrecinctFigures,
        election: Option<usize>,
        generation: u64,
    ) {
        let key = (
            self.search.clone(),
            self.sort,
            self.descending,
            election,
            generation,
        );
        if self.order_key.as_ref() == Some(&key) {
            return;
        }
        let needle = fold(self.search.trim());
        // Folded names, once per refresh (not once per comparison).
        let names: Vec<String> = if needle.is_empty() && self.sort != SortColumn::Name {
            Vec::new()
        } else {
            layer
                .shapes
                .iter()
                .map(|s| fold(s.name.as_deref().unwrap_or("")))
                .collect()
        };
        let mut order: Vec<usize> = (0..layer.shapes.len())
            .filter(|&i| {
                needle.is_empty()
                    || fold(&layer.shapes[i].code).contains(&needle)
                    || names[i].contains(&needle)
            })
            .collect();
        let e = election.and_then(|i| figures.elections.get(i));
        let num = |i: usize| -> Option<f64> {
            match self.sort {
                SortColumn::Registered => e?.registered.get(i).copied().flatten().map(|v| v as f64),
                SortColumn::Turnout => e?.turnout(i),
                SortColumn::Doors => figures.doors.get(i).copied().flatten().map(|v| v as f64),
                _ => None,
            }
        };
        let cmp = |a: &usize, b: &usize| -> Ordering {
            let (sa, sb) = (&layer.shapes[*a], &layer.shapes[*b]);
            let by_code = || natural_cmp(&sa.code, &sb.code);
            let ord = match self.sort {
                SortColumn::Code => by_code(),
                SortColumn::Name => names[*a].cmp(&names[*b]),
                // Missing values last whatever the direction.
                _ => match (num(*a), num(*b)) {
                    (Some(x), Some(y)) => {
                        let o = x.total_cmp(&y);
                        if self.descending { o.reverse() } else { o }
                    }
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                },
            };
            let ord = match self.sort {
                SortColumn::Code | SortColumn::Name if self.descending => ord.reverse(),
                _ => ord,
            };
            ord.then_with(by_code)
        };
        order.sort_by(cmp);
        self.order = order;
        self.order_key = Some(key);
    }
}

/// Lower case without accents ("École" → "ecole"), for searching and sorting names.
pub fn fold(text: &str) -> String {
    crate::model::fold::fold_with(text, |c, out| match c {
        '’' | '\'' | '-' => out.push(' '),
        c => out.push(c),
    })
}

/// Compares codes with digit runs as numbers ("2" < "10", "15-9" < "15-10").
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (trim_zeros(&a[..na]), trim_zeros(&b[..nb]));
                let o = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if o != Ordering::Equal {
                    return o;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                let o = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let z = d.iter().take_while(|&&c| c == b'0').count();
    &d[z.min(d.len().saturating_sub(1))..]
}

/// Everything the table reads this frame.
pub struct TableData<'a> {
    pub layer: &'a PrecinctLayer,
    pub figures: &'a PrecinctFigures,
    pub election: Option<usize>,
    /// Changes whenever the campaign view is replaced (new rows or figures).
    pub generation: u64,
    pub selected_fid: Option<i64>,
}

pub fn precinct_table_ui(
    ui: &mut Ui,
    t: &Strings,
    state: &mut TableState,
    data: &TableData<'_>,
    commands: &mut Vec<Command>,
) {
    state.refresh(data.layer, data.figures, data.election, data.generation);
    ui.heading(t.precincts_heading);
    ui.horizontal(|ui| {
        let label = ui.label(t.search);
        ui.add(
            TextEdit::singleline(&mut state.search)
                .hint_text(t.search_hint)
                .desired_width(ui.available_width() - 8.0),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        ui.weak(fill(
            t.rows_shown,
            &[
                &t.integer(state.order.len() as i64),
                &t.integer(data.layer.shapes.len() as i64),
            ],
        ));
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .add_enabled(
                    data.selected_fid.is_some(),
                    egui::Button::new(t.zoom_to_selection).small(),
                )
                .clicked()
            {
                commands.push(Command::ZoomToSelection);
            }
        });
    });
    if let Some(e) = data.election.and_then(|i| data.figures.elections.get(i)) {
        ui.weak(&e.name);
    }
    ui.separator();

    // Room for the scroll bar on the right.
    let gap = ui.spacing().item_spacing.x;
    let scroll_bar = ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin + 4.0;
    let name_w =
        (ui.available_width() - CODE_W - 3.0 * NUMBER_W - 4.0 * gap - scroll_bar).max(MIN_NAME_W);
    let widths = [CODE_W, name_w, NUMBER_W, NUMBER_W, NUMBER_W];
    // Header, aligned as the cells below (text left, numbers right), with a sort triangle.
    ui.horizontal(|ui| {
        let columns = [
            (SortColumn::Code, t.col_code, false),
            (SortColumn::Name, t.col_name, false),
            (SortColumn::Registered, t.col_registered, true),
            (SortColumn::Turnout, t.col_turnout, true),
            (SortColumn::Doors, t.col_doors, true),
        ];
        for ((column, title, right), w) in columns.into_iter().zip(widths) {
            let layout = if right {
                Layout::right_to_left(Align::Center)
            } else {
                Layout::left_to_right(Align::Center)
            };
            let button = egui::Button::new(RichText::new(title).strong()).frame(false);
            let response = ui
                .allocate_ui_with_layout(egui::vec2(w, 18.0), layout, |ui| {
                    ui.set_width(w);
                    if right {
                        ui.add_space(12.0);
                    }
                    ui.add(button)
                })
                .inner;
            if state.sort == column {
                sort_triangle(ui, response.rect, state.descending);
            }
            if response.clicked() {
                state.click_header(column);
            }
        }
    });
    state.refresh(data.layer, data.figures, data.election, data.generation);

    // Scroll to a selection made elsewhere (the map) when its row is off screen.
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let spacing = ui.spacing().item_spacing.y;
    let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if data.selected_fid != state.last_selected {
        state.last_selected = data.selected_fid;
        if let Some(index) = data.selected_fid.and_then(|f| data.layer.index_of_fid(f))
            && let Some(pos) = state.order.iter().position(|&i| i == index)
            && !(state.visible_rows.start + 1..state.visible_rows.end.saturating_sub(1))
                .contains(&pos)
        {
            let offset = (pos as f32 * (row_h + spacing) - 3.0 * row_h).max(0.0);
            scroll = scroll.vertical_scroll_offset(offset);
        }
    }
    let e = data.election.and_then(|i| data.figures.elections.get(i));
    let selected_index = data.selected_fid.and_then(|f| data.layer.index_of_fid(f));
    let mut visible = 0..0;
    scroll.show_rows(ui, row_h, state.order.len(), |ui, rows| {
        ui.style_mut().interaction.selectable_labels = false;
        visible = rows.clone();
        for pos in rows {
            let i = state.order[pos];
            let shape = &data.layer.shapes[i];
            let selected = selected_index == Some(i);
            let registered = e
                .and_then(|e| e.registered.get(i).copied().flatten())
                .map(|v| t.integer(v))
                .unwrap_or_else(|| "—".to_owned());
            let turnout = e
                .and_then(|e| e.turnout(i))
                .map(|v| t.percent(v))
                .unwrap_or_else(|| "—".to_owned());
            let doors = data
                .figures
                .doors
                .get(i)
                .copied()
                .flatten()
                .map(|v| t.integer(v as i64))
                .unwrap_or_else(|| "—".to_owned());
            let background = ui.painter().add(egui::Shape::Noop);
            let row = ui.horizontal(|ui| {
                ui.set_min_height(row_h);
                let cell = |ui: &mut Ui, w: f32, text: &str, right: bool| {
                    let layout = if right {
                        Layout::right_to_left(Align::Center)
                    } else {
                        Layout::left_to_right(Align::Center)
                    };
                    ui.allocate_ui_with_layout(egui::vec2(w, row_h), layout, |ui| {
                        ui.set_width(w);
                        ui.add(egui::Label::new(text).truncate());
                    });
                };
                cell(ui, widths[0], &shape.code, false);
                cell(ui, widths[1], shape.name.as_deref().unwrap_or(""), false);
                cell(ui, widths[2], &registered, true);
                cell(ui, widths[3], &turnout, true);
                cell(ui, widths[4], &doors, true);
            });
            let rect = row.response.rect;
            let response = ui
                .interact(
                    rect,
                    ui.scope_id().with(("precinct row", shape.fid)),
                    Sense::click(),
                )
                .on_hover_cursor(egui::CursorIcon::PointingHand);
            let title = shape.title();
            response.widget_info(|| WidgetInfo::selected(Role::Button, true, selected, &title));
            crate::ui::panels::table_row::paint_row_background(
                ui,
                background,
                rect,
                selected,
                response.hovered(),
            );
            if response.clicked() {
                commands.push(Command::SelectPrecinct(Some(shape.fid)));
            }
        }
    });
    state.visible_rows = visible;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_natural_order() {
        assert_eq!(fold("École Saint-Éloi"), "ecole saint eloi");
        assert_eq!(natural_cmp("2", "10"), Ordering::Less);
        assert_eq!(natural_cmp("15-9", "15-10"), Ordering::Less);
        assert_eq!(natural_cmp("007", "7"), Ordering::Equal);
        assert_eq!(natural_cmp("P2", "P10"), Ordering::Less);
    }
}
