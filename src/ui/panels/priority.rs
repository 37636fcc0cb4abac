//! The priority model in the GUI: the "Blocs and weights" window (put each candidate of the
//! chosen election in a bloc, create/rename/delete blocs with a role, suggest blocs from the
//! nuance codes, edit the score settings, save through [`Command`]s), and the explain view of
//! the selected precinct's score, read from the model's [`ScoreResult`] and [`explain`].

use egui::{RichText, Ui};

use crate::model::election::{Candidate, ElectionResults};
use crate::model::scoring::blocs::{resolve_blocs, suggest_blocs};
use crate::model::scoring::score::{MOBILISATION, OVERLAY_PREFIX, PERSUASION, RIVAL, SWING};
use crate::model::scoring::{Bloc, BlocRole, Normalisation, ScoreResult, ScoreSettings, explain};
use crate::ui::command::Command;
use crate::ui::i18n::{Strings, fill};

/// The model's terms the window sets a weight for (overlay weights are kept as stored).
pub const TERMS: [&str; 4] = [MOBILISATION, PERSUASION, SWING, RIVAL];

/// A bloc being edited: its name and role (members are the candidates assigned to it).
#[derive(Clone, Debug, PartialEq)]
pub struct DraftBloc {
    pub name: String,
    pub role: BlocRole,
}

/// The window's form: a copy of the chosen election's blocs and of the score settings, edited
/// here and saved only by the Save buttons.
#[derive(Clone, Debug, Default)]
pub struct PriorityDraft {
    pub open: bool,
    /// The election edited (the one chosen in "Map colours"), with its candidates.
    pub election: Option<ElectionResults>,
    /// The campaign's elections (for the swing's previous election).
    pub elections: Vec<String>,
    pub blocs: Vec<DraftBloc>,
    /// The bloc of each candidate of [`Self::election`] (index into [`Self::blocs`]).
    pub bloc_of: Vec<Option<usize>>,
    pub settings: ScoreSettings,
    pub new_bloc: String,
    /// True when the campaign is the bundled sample city (its camp is only an example).
    pub is_sample: bool,
    /// The model's refusal of the last save (or of the stored blocs), shown in the window.
    pub error: Option<String>,
    pub notice: Option<String>,
}

impl PriorityDraft {
    /// A draft of `election`'s stored `blocs` and the stored `settings`. Candidates are put in
    /// the bloc their label or party code matches (the model's resolution); stored blocs that no
    /// longer resolve are kept with no candidate and the model's message.
    pub fn load(
        election: ElectionResults,
        elections: Vec<String>,
        blocs: &[Bloc],
        settings: ScoreSettings,
    ) -> PriorityDraft {
        let mut draft = PriorityDraft {
            open: true,
            elections,
            settings,
            ..PriorityDraft::default()
        };
        draft.set_blocs(&election, blocs);
        draft.election = Some(election);
        draft
    }

    fn set_blocs(&mut self, e: &ElectionResults, blocs: &[Bloc]) {
        self.blocs = blocs
            .iter()
            .map(|b| DraftBloc {
                name: b.name.clone(),
                role: b.role,
            })
            .collect();
        self.bloc_of = vec![None; e.candidates.len()];
        match resolve_blocs(e, blocs) {
            Ok(resolved) => {
                for (i, r) in resolved.iter().enumerate() {
                    for &c in &r.candidates {
                        self.bloc_of[c] = Some(i);
                    }
                }
            }
            Err(err) => self.error = Some(err.to_string()),
        }
    }

    pub fn election_name(&self) -> Option<&str> {
        self.election.as_ref().map(|e| e.name.as_str())
    }

    fn candidates(&self) -> &[Candidate] {
        self.election.as_ref().map_or(&[], |e| &e.candidates)
    }

    /// The blocs to save: each draft bloc with the labels of its candidates.
    pub fn blocs_to_save(&self) -> Vec<Bloc> {
        self.blocs
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let members: Vec<&str> = self
                    .candidates()
                    .iter()
                    .zip(&self.bloc_of)
                    .filter(|(_, of)| **of == Some(i))
                    .map(|(c, _)| c.label.as_str())
                    .collect();
                Bloc::new(&b.name, b.role, &members)
            })
            .collect()
    }

    /// Replaces the blocs by the model's nuance-based suggestion (roles "other": the user
    /// chooses which is ours); returns the candidates left out.
    pub fn suggest(&mut self) -> Vec<String> {
        let Some(e) = self.election.take() else {
            return Vec::new();
        };
        let (blocs, left_out) = suggest_blocs(&e);
        self.error = None;
        self.set_blocs(&e, &blocs);
        self.election = Some(e);
        left_out
    }

    fn delete_bloc(&mut self, i: usize) {
        self.blocs.remove(i);
        for of in &mut self.bloc_of {
            *of = match *of {
                Some(k) if k == i => None,
                Some(k) if k > i => Some(k - 1),
                other => other,
            };
        }
    }
}

pub fn role_label(t: &Strings, role: BlocRole) -> &'static str {
    match role {
        BlocRole::Ours => t.role_ours,
        BlocRole::Near => t.role_near,
        BlocRole::Rival => t.role_rival,
        BlocRole::Other => t.role_other,
    }
}

/// A term's name in the UI language (overlay terms keep their variable's name).
pub fn term_label(t: &Strings, term: &str) -> String {
    match term {
        MOBILISATION => t.term_mobilisation.to_owned(),
        PERSUASION => t.term_persuasion.to_owned(),
        SWING => t.term_swing.to_owned(),
        RIVAL => t.term_rival.to_owned(),
        other => other
            .strip_prefix(OVERLAY_PREFIX)
            .unwrap_or(other)
            .to_owned(),
    }
}

fn term_help(t: &Strings, term: &str) -> &'static str {
    match term {
        MOBILISATION => t.term_mobilisation_help,
        PERSUASION => t.term_persuasion_help,
        SWING => t.term_swing_help,
        RIVAL => t.term_rival_help,
        _ => t.term_overlay_help,
    }
}

/// A term's raw value with its unit: voters for mobilisation and persuasion, points for the
/// swing, a percentage for the rival share.
fn raw_text(t: &Strings, term: &str, v: f64) -> String {
    match term {
        MOBILISATION | PERSUASION => format!("{} {}", t.integer(v.round() as i64), t.unit_voters),
        SWING => {
            let sign = if v > 0.0 { "+" } else { "" };
            format!("{sign}{} {}", t.decimal(v, 1), t.points)
        }
        RIVAL => format!("{}{}", t.decimal(v, 1), t.percent_sign),
        _ => t.decimal(v, 2),
    }
}

fn labelled_combo<T: PartialEq + Clone>(
    ui: &mut Ui,
    label: egui::Response,
    id: impl std::hash::Hash + std::fmt::Debug,
    value: &mut T,
    items: &[(T, String)],
) {
    let text = items
        .iter()
        .find(|(v, _)| v == value)
        .map_or_else(String::new, |(_, s)| s.clone());
    egui::ComboBox::from_id_salt(id)
        .selected_text(text)
        .width(170.0)
        .show_ui(ui, |ui| {
            for (item, text) in items {
                if ui.selectable_label(item == value, text).clicked() {
                    *value = item.clone();
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// The "Blocs and weights" window. `busy` (a job writes the campaign) disables the saves.
pub fn priority_window_ui(
    ctx: &egui::Context,
    t: &Strings,
    draft: &mut PriorityDraft,
    busy: bool,
    commands: &mut Vec<Command>,
) {
    if !draft.open {
        return;
    }
    let mut open = true;
    egui::Window::new(t.priority_editor_title)
        .id(egui::Id::unique("porte priority window"))
        .open(&mut open)
        .default_pos([330.0, 40.0])
        .default_size([700.0, 690.0])
        .resizable(true)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| editor_ui(ui, t, draft, busy, commands));
        });
    draft.open &= open;
}

fn editor_ui(
    ui: &mut Ui,
    t: &Strings,
    draft: &mut PriorityDraft,
    busy: bool,
    commands: &mut Vec<Command>,
) {
    let Some(election) = draft.election_name().map(str::to_owned) else {
        ui.label(t.no_election_data);
        return;
    };
    ui.label(RichText::new(fill(t.blocs_of, &[&election])).strong());
    ui.weak(t.priority_no_side);
    if draft.is_sample {
        ui.weak(t.demo_camp_note);
    }
    if let Some(error) = &draft.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    if let Some(notice) = &draft.notice {
        ui.label(notice);
    }

    // Blocs: name, role, delete.
    ui.separator();
    ui.horizontal(|ui| {
        ui.heading(t.blocs_heading);
        if ui.button(t.suggest_from_parties).clicked() {
            let left_out = draft.suggest();
            draft.notice =
                (!left_out.is_empty()).then(|| fill(t.suggest_left_out, &[&left_out.join(", ")]));
        }
    });
    let roles: Vec<(BlocRole, String)> = [
        BlocRole::Ours,
        BlocRole::Near,
        BlocRole::Rival,
        BlocRole::Other,
    ]
    .into_iter()
    .map(|r| (r, role_label(t, r).to_owned()))
    .collect();
    let mut delete = None;
    egui::Grid::new("priority blocs")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (i, bloc) in draft.blocs.iter_mut().enumerate() {
                ui.add_sized(
                    [190.0, 20.0],
                    egui::TextEdit::singleline(&mut bloc.name).hint_text(t.bloc_name),
                );
                let role = ui.label(fill(t.role_of, &[&bloc.name]));
                labelled_combo(ui, role, ("bloc role", i), &mut bloc.role, &roles);
                if ui
                    .button(t.delete)
                    .on_hover_text(fill(t.delete_bloc, &[&bloc.name]))
                    .clicked()
                {
                    delete = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = delete {
        draft.delete_bloc(i);
    }
    ui.horizontal(|ui| {
        let label = ui.label(t.new_bloc);
        ui.add(
            egui::TextEdit::singleline(&mut draft.new_bloc)
                .desired_width(170.0)
                .hint_text(t.bloc_name),
        )
        .labelled_by(label.id);
        let name = draft.new_bloc.trim().to_owned();
        let taken = draft.blocs.iter().any(|b| b.name.trim() == name);
        if ui
            .add_enabled(!name.is_empty() && !taken, egui::Button::new(t.add_bloc))
            .clicked()
        {
            draft.blocs.push(DraftBloc {
                name,
                role: if draft.blocs.iter().any(|b| b.role == BlocRole::Ours) {
                    BlocRole::Near
                } else {
                    BlocRole::Ours
                },
            });
            draft.new_bloc.clear();
        }
    });

    // Candidates: label, nuance, bloc.
    ui.separator();
    ui.heading(t.candidates_heading);
    let mut choices: Vec<(Option<usize>, String)> = vec![(None, t.no_bloc.to_owned())];
    choices.extend(
        draft
            .blocs
            .iter()
            .enumerate()
            .map(|(i, b)| (Some(i), b.name.clone())),
    );
    let candidates: Vec<(String, String)> = draft
        .candidates()
        .iter()
        .map(|c| (c.label.clone(), c.party.clone().unwrap_or_default()))
        .collect();
    egui::Grid::new("priority candidates")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            ui.strong(t.candidate);
            ui.strong(t.col_party);
            ui.strong(t.col_bloc);
            ui.end_row();
            for (i, (label, party)) in candidates.iter().enumerate() {
                let l = ui.label(label);
                ui.label(party);
                labelled_combo(
                    ui,
                    l,
                    ("candidate bloc", i),
                    &mut draft.bloc_of[i],
                    &choices,
                );
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!busy, egui::Button::new(t.save_blocs))
            .clicked()
        {
            commands.push(Command::SaveBlocs {
                election: election.clone(),
                blocs: draft.blocs_to_save(),
            });
        }
        if busy {
            ui.weak(t.save_after_job);
        }
    });

    // Score settings: weights, normalisation, previous election.
    ui.separator();
    ui.heading(t.score_settings_heading);
    egui::Grid::new("priority settings")
        .num_columns(2)
        .show(ui, |ui| {
            for term in TERMS {
                let label = ui
                    .label(fill(t.weight_of, &[&term_label(t, term)]))
                    .on_hover_text(term_help(t, term));
                let mut w = draft.settings.weight(term);
                if ui
                    .add(egui::DragValue::new(&mut w).range(0.0..=10.0).speed(0.05))
                    .labelled_by(label.id)
                    .changed()
                {
                    draft.settings.weights.insert(term.to_owned(), w);
                }
                ui.end_row();
            }
            let label = ui.label(t.normalisation);
            labelled_combo(
                ui,
                label,
                "priority normalisation",
                &mut draft.settings.normalisation,
                &[
                    (Normalisation::MinMax, t.norm_minmax.to_owned()),
                    (Normalisation::Rank, t.norm_rank.to_owned()),
                ],
            );
            ui.end_row();
            let label = ui.label(t.swing_against);
            let mut previous: Vec<(Option<String>, String)> = vec![(None, t.none.to_owned())];
            previous.extend(
                draft
                    .elections
                    .iter()
                    .filter(|e| **e != election)
                    .map(|e| (Some(e.clone()), e.clone())),
            );
            labelled_combo(
                ui,
                label,
                "priority previous",
                &mut draft.settings.previous,
                &previous,
            );
            ui.end_row();
        });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!busy, egui::Button::new(t.save_settings))
            .clicked()
        {
            commands.push(Command::SaveScoreSettings(ScoreSettings {
                election: Some(election.clone()),
                ..draft.settings.clone()
            }));
        }
        if busy {
            ui.weak(t.save_after_job);
        }
    });
}

/// The explain view of precinct `code`: each term's raw and normalised value, weight,
/// contribution and rank, then the score, rank and class — all from the model's result.
pub fn explain_ui(ui: &mut Ui, t: &Strings, result: &Result<ScoreResult, String>, code: &str) {
    egui::CollapsingHeader::new(t.explain_heading)
        .id_salt("explain")
        .default_open(true)
        .show(ui, |ui| {
            let r = match result {
                Ok(r) => r,
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
            };
            ui.weak(fill(t.explain_election, &[&r.election]));
            let (Some(p), Some(lines)) = (r.precinct(code), explain(r, code)) else {
                let reason = r
                    .unscored
                    .iter()
                    .find(|u| u.code == code)
                    .map_or(t.not_in_results, |u| u.reason.as_str());
                ui.label(fill(t.not_scored, &[&reason]));
                return;
            };
            ui.label(
                RichText::new(fill(
                    t.explain_score,
                    &[&fill(t.score_out_of, &[&t.decimal(p.score, 1)])],
                ))
                .strong(),
            );
            ui.label(fill(
                t.explain_rank,
                &[
                    &t.integer(p.rank as i64),
                    &t.integer(r.precincts.len() as i64),
                ],
            ));
            ui.label(fill(t.explain_class, &[&p.class]));
            // The table scrolls sideways rather than widening the side panel.
            egui::ScrollArea::horizontal()
                .id_salt("explain terms scroll")
                .show(ui, |ui| {
                    egui::Grid::new("explain terms")
                        .num_columns(6)
                        .striped(true)
                        .spacing([10.0, 2.0])
                        .show(ui, |ui| {
                            for h in [
                                t.col_term,
                                t.col_value,
                                t.col_normalised,
                                t.col_weight,
                                t.col_points,
                                t.col_rank,
                            ] {
                                ui.strong(h);
                            }
                            ui.end_row();
                            let dash = || "—".to_owned();
                            for line in &lines {
                                ui.label(term_label(t, &line.term))
                                    .on_hover_text(&line.description);
                                ui.label(
                                    line.raw_value
                                        .map_or_else(dash, |v| raw_text(t, &line.term, v)),
                                );
                                let normalised =
                                    line.normalised.map_or_else(dash, |v| t.decimal(v, 2));
                                if line.term == RIVAL {
                                    ui.label(format!("{normalised} *"))
                                        .on_hover_text(t.term_rival_help);
                                } else {
                                    ui.label(normalised);
                                }
                                ui.label(t.decimal(line.weight, 2));
                                ui.label(t.decimal(line.contribution, 1));
                                ui.label(line.rank.map_or_else(dash, |k| t.integer(k as i64)));
                                ui.end_row();
                            }
                        });
                });
            if !p.missing_terms.is_empty() {
                let names: Vec<String> = p.missing_terms.iter().map(|m| term_label(t, m)).collect();
                ui.weak(fill(t.explain_missing, &[&names.join(", ")]));
            }
            ui.weak(t.explain_note);
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn election() -> ElectionResults {
        let c = |l: &str, p: &str| Candidate {
            label: l.into(),
            party: Some(p.into()),
        };
        ElectionResults {
            name: "p".into(),
            source_file: None,
            imported_at: None,
            candidates: vec![c("A", "FI"), c("B", "SOC"), c("C", "RN")],
            precincts: vec![],
        }
    }

    #[test]
    fn stored_blocs_by_party_load_per_candidate_and_save_as_labels() {
        let stored = [
            Bloc::new("gauche", BlocRole::Ours, &["FI", "SOC"]),
            Bloc::new("rn", BlocRole::Rival, &["C"]),
        ];
        let mut d = PriorityDraft::load(election(), vec![], &stored, ScoreSettings::default());
        assert_eq!(d.bloc_of, [Some(0), Some(0), Some(1)]);
        d.bloc_of[1] = None;
        let saved = d.blocs_to_save();
        assert_eq!(saved[0].members, ["A"]);
        assert_eq!(saved[1].role, BlocRole::Rival);
        d.delete_bloc(0);
        assert_eq!(d.bloc_of, [None, None, Some(0)]);
    }

    #[test]
    fn suggestions_come_from_the_model() {
        let mut d = PriorityDraft::load(election(), vec![], &[], ScoreSettings::default());
        assert!(d.suggest().is_empty());
        let names: Vec<&str> = d.blocs.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["gauche", "extrême droite"]);
        assert_eq!(d.bloc_of, [Some(0), Some(0), Some(1)]);
    }
}
