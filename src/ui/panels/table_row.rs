//! The pieces of the panels' fixed-width tables (roster, contacts): a header of sortable column
//! titles, a row's cells (the first painted so the row itself carries its name), its hover
//! details, and its background (the selection colour when selected, a light hover tint
//! otherwise, painted into a shape slot reserved before the cells).

use egui::layers::ShapeIdx;
use egui::{Align, Layout, RichText, Sense, Ui};

/// One line of column titles of `widths`; the sorted column gets a triangle (down when
/// `descending`). Returns the column whose title was clicked.
pub fn header_ui<C: PartialEq + Copy>(
    ui: &mut Ui,
    columns: &[(C, &str)],
    widths: &[f32],
    sort: C,
    descending: bool,
) -> Option<C> {
    let mut clicked = None;
    for (&(column, title), &w) in columns.iter().zip(widths) {
        let response = ui
            .allocate_ui_with_layout(
                egui::vec2(w, 18.0),
                Layout::left_to_right(Align::Center),
                |ui| {
                    ui.set_width(w);
                    ui.add(egui::Button::new(RichText::new(title).strong()).frame(false))
                },
            )
            .inner;
        if sort == column {
            sort_triangle(ui, response.rect, descending);
        }
        if response.clicked() {
            clicked = Some(column);
        }
    }
    clicked
}

/// The sort direction drawn right of a column title's `rect`.
pub fn sort_triangle(ui: &Ui, rect: egui::Rect, descending: bool) {
    // A painted triangle: the default fonts have no arrow glyphs.
    let c = egui::pos2(rect.right() + 6.0, rect.center().y);
    let (tip, base) = if descending { (4.0, -3.0) } else { (-4.0, 3.0) };
    let points = vec![
        egui::pos2(c.x, c.y + tip),
        egui::pos2(c.x - 4.0, c.y + base),
        egui::pos2(c.x + 4.0, c.y + base),
    ];
    let color = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

/// A row's cells, each truncated to its width. The first is painted, not a label, so that the
/// row's own widget (made by the caller over the whole row) is the one carrying the name for
/// screen readers and tests.
pub fn cells_ui(ui: &mut Ui, cells: &[String], widths: &[f32], row_h: f32) {
    for (k, (text, &w)) in cells.iter().zip(widths).enumerate() {
        if k == 0 {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(w, row_h), Sense::hover());
            let galley = egui::WidgetText::from(text.as_str()).into_galley(
                ui,
                Some(egui::TextWrapMode::Truncate),
                w,
                egui::TextStyle::Body,
            );
            let pos = egui::pos2(rect.left(), rect.center().y - galley.size().y / 2.0);
            ui.painter().galley(pos, galley, ui.visuals().text_color());
            continue;
        }
        ui.allocate_ui_with_layout(
            egui::vec2(w, row_h),
            Layout::left_to_right(Align::Center),
            |ui| {
                ui.set_width(w);
                ui.add(egui::Label::new(text.as_str()).truncate());
            },
        );
    }
}

/// The hover text of a row: its name, then every filled field as "label: value" (a narrow
/// panel hides the right-hand columns).
pub fn details_text(name: &str, fields: &[(&str, &str)], colon: &str) -> String {
    let lines: Vec<String> = fields
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(label, value)| format!("{label}{colon}{value}"))
        .collect();
    format!("{name}\n{}", lines.join("\n"))
}

/// Paints the background of a row covering `rect` into `background` (a
/// `ui.painter().add(Shape::Noop)` taken before the cells were laid out).
pub fn paint_row_background(
    ui: &egui::Ui,
    background: ShapeIdx,
    rect: egui::Rect,
    selected: bool,
    hovered: bool,
) {
    if !selected && !hovered {
        return;
    }
    let color = if selected {
        ui.visuals().selection.bg_fill.gamma_multiply(0.6)
    } else {
        ui.visuals()
            .widgets
            .hovered
            .weak_bg_fill
            .gamma_multiply(0.5)
    };
    ui.painter().set(
        background,
        egui::Shape::rect_filled(rect.expand(1.0), 2.0, color),
    );
}
