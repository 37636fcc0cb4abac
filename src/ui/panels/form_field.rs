//! One labelled single-line text field on a form grid's row, whose accessible name is its
//! label (the windows' forms: import, volunteer, contact, person).

use egui::{TextEdit, Ui};

/// The label, the field (with `hint` when empty), then the end of the grid row.
pub fn form_field(ui: &mut Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(280.0),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}
