//! The warning shown under free-text fields (door notes, volunteer notes, a contact's source
//! and tags) as soon as they name a sensitive category: religion, health, sexual orientation,
//! ethnic origin, union membership, political opinion (the model's `sensitive_words`).

use egui::{RichText, Ui};

use crate::model::contacts::sensitive::{SensitiveCategory, sensitive_words};
use crate::ui::i18n::{Strings, fill};

pub fn sensitive_label(t: &Strings, c: SensitiveCategory) -> &'static str {
    match c {
        SensitiveCategory::Religion => t.sensitive_religion,
        SensitiveCategory::Health => t.sensitive_health,
        SensitiveCategory::SexualOrientation => t.sensitive_sexual_orientation,
        SensitiveCategory::EthnicOrigin => t.sensitive_ethnic_origin,
        SensitiveCategory::UnionMembership => t.sensitive_union_membership,
        SensitiveCategory::PoliticalOpinion => t.sensitive_political_opinion,
    }
}

/// "This note mentions religion, health: do not record sensitive categories", or `None`.
pub fn sensitive_warning(t: &Strings, note: &str) -> Option<String> {
    let mut categories: Vec<SensitiveCategory> = Vec::new();
    for hit in sensitive_words(note) {
        if !categories.contains(&hit.category) {
            categories.push(hit.category);
        }
    }
    (!categories.is_empty()).then(|| {
        let names: Vec<&str> = categories.iter().map(|&c| sensitive_label(t, c)).collect();
        fill(t.door_sensitive_warning, &[&names.join(", ")])
    })
}

/// The warning under a free-text field, as the user types (nothing when the text is clean):
/// [`sensitive_warning`] over the model's `sensitive_words`.
pub fn sensitive_warning_ui(ui: &mut Ui, t: &Strings, text: &str) {
    if let Some(warning) = sensitive_warning(t, text) {
        ui.label(RichText::new(warning).color(ui.visuals().warn_fg_color));
    }
}

/// The warning as a row of a two-column form grid (an empty first cell), when there is one.
pub fn sensitive_warning_row(ui: &mut Ui, t: &Strings, text: &str) {
    if sensitive_warning(t, text).is_some() {
        ui.label("");
        sensitive_warning_ui(ui, t, text);
        ui.end_row();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::{EN, FR};

    #[test]
    fn the_note_warns_with_the_categories_found() {
        assert_eq!(sensitive_warning(&EN, "parle des écoles"), None);
        let w = sensitive_warning(&EN, "musulmane, sort de l'hôpital, musulman aussi").unwrap();
        assert!(w.starts_with("This note mentions religion"), "{w}");
        assert!(w.contains("do not record sensitive categories"), "{w}");
        assert_eq!(w.matches("religion").count(), 1, "{w}");
        let fr = sensitive_warning(&FR, "catholique").unwrap();
        assert!(fr.contains("religion"), "{fr}");
    }
}
