//! A clickable table row's background: the selection colour when selected, a light hover tint
//! otherwise, painted into a shape slot reserved before the row's cells.

use egui::layers::ShapeIdx;

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
