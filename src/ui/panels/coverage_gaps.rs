//! The gaps list under the side-by-side maps: precincts of priority class 1–2 with under 20 %
//! of their doors knocked (the model's [`CoverageGap`]s, by rank). Clicking one selects it and
//! zooms to it.

use egui::Ui;

use crate::model::results::coverage_map::CoverageGap;
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};
use crate::ui::map::PrecinctLayer;

/// "#3 · 75112_04 Bureau 4 — 5.0 % knocked (6 of 120 doors)".
pub fn gap_text(t: &Strings, gap: &CoverageGap) -> String {
    let name = if gap.name.is_empty() {
        gap.code.clone()
    } else {
        format!("{} {}", gap.code, gap.name)
    };
    fill(
        t.gaps_row,
        &[
            &gap.priority_rank,
            &name,
            &t.percent(gap.share),
            &t.integer(gap.knocked),
            &t.integer(gap.doors),
        ],
    )
}

/// The list; `has_priority` is false when no priority score could be computed (the left map
/// says why, the list is then left out).
pub fn gaps_ui(
    ui: &mut Ui,
    t: &Strings,
    gaps: &[CoverageGap],
    has_priority: bool,
    selected_fid: Option<i64>,
    layer: &PrecinctLayer,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.strong(t.gaps_title);
        if !gaps.is_empty() {
            ui.weak(format!("({})", t.integer(gaps.len() as i64)));
            ui.weak(t.gaps_hint);
        }
    });
    if !has_priority {
        return;
    }
    if gaps.is_empty() {
        ui.weak(t.gaps_none);
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("coverage gaps")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for gap in gaps {
                let fid = layer
                    .shapes
                    .iter()
                    .find(|s| s.code == gap.code)
                    .map(|s| s.fid);
                let selected = fid.is_some() && fid == selected_fid;
                let response = ui.selectable_label(selected, gap_text(t, gap));
                if response.clicked()
                    && let Some(fid) = fid
                {
                    commands.push(Command::SelectPrecinct(Some(fid)));
                    commands.push(Command::ZoomToSelection);
                }
            }
        });
}
