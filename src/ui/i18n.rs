//! The UI's languages: French and English. [`Lang`] follows the system locale (`LC_ALL`, then
//! `LC_MESSAGES`, then `LANG`: `fr*` is French, anything else English) unless the user picks one
//! in View › Language (saved in the prefs). Every visible string of the UI is a field of
//! [`Strings`]; templates use `{}` placeholders filled in order by [`fill`].

use std::fmt::Display;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language of a POSIX locale name (`fr_FR.UTF-8` → French).
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The system's language, from the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`.
    pub fn from_system() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.trim().is_empty())
            .map(|v| Lang::from_locale(&v))
            .unwrap_or(Lang::En)
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    /// The language's name in itself.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }
}

/// Replaces each `{}` of `template` by the next argument.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        match args.next() {
            Some(a) => out.push_str(&a.to_string()),
            None => out.push_str("{}"),
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// Every visible string of the UI, in one language.
pub struct Strings {
    pub lang: Lang,
    // menus
    pub file: &'static str,
    pub new_campaign_menu: &'static str,
    pub open_campaign_menu: &'static str,
    pub import_precincts_menu: &'static str,
    pub import_results_menu: &'static str,
    pub import_addresses_menu: &'static str,
    pub quit: &'static str,
    pub view: &'static str,
    pub zoom_to_campaign: &'static str,
    pub zoom_to_selection: &'static str,
    pub side_panel: &'static str,
    pub precinct_table: &'static str,
    pub language: &'static str,
    /// "System ({})": follow the system locale.
    pub follow_system: &'static str,
    // summary
    pub campaign: &'static str,
    pub precinct_one: &'static str,
    pub precinct_many: &'static str,
    pub import_short: &'static str,
    pub no_elections: &'static str,
    pub election_one: &'static str,
    pub election_many: &'static str,
    pub no_addresses: &'static str,
    pub address_one: &'static str,
    pub address_many: &'static str,
    /// "{addresses} ({share}% in precincts)".
    pub in_precincts_pct: &'static str,
    pub selected: &'static str,
    pub clear: &'static str,
    pub click_to_select: &'static str,
    pub loading: &'static str,
    pub no_campaign: &'static str,
    pub no_campaign_hint: &'static str,
    pub empty_map_hint: &'static str,
    // map colours, legend, figures
    pub map_colours: &'static str,
    pub colour_by: &'static str,
    pub var_none: &'static str,
    pub var_registered: &'static str,
    pub var_turnout: &'static str,
    pub var_abstention: &'static str,
    pub var_doors: &'static str,
    pub var_priority: &'static str,
    pub var_share: &'static str,
    pub var_swing: &'static str,
    /// "Priority needs blocs saved for {election}: run porte blocs {path} --election {election}
    /// --suggest, then … --save".
    pub priority_needs_blocs: &'static str,
    pub candidate: &'static str,
    pub previous_election: &'static str,
    pub no_previous_election: &'static str,
    pub method: &'static str,
    pub method_quantile: &'static str,
    pub method_equal: &'static str,
    pub method_jenks: &'static str,
    pub method_manual: &'static str,
    pub classes: &'static str,
    pub breaks: &'static str,
    pub breaks_hint: &'static str,
    /// "\"{}\" is not a number".
    pub not_a_number: &'static str,
    pub ramp: &'static str,
    pub ramp_default: &'static str,
    pub ramps_sequential: &'static str,
    pub ramps_diverging: &'static str,
    pub points: &'static str,
    pub election: &'static str,
    pub no_data: &'static str,
    pub legend_method: &'static str,
    pub no_election_data: &'static str,
    pub colon: &'static str,
    pub decimal_comma: bool,
    pub percent_sign: &'static str,
    // precinct table
    pub precincts_heading: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub col_code: &'static str,
    pub col_name: &'static str,
    pub col_registered: &'static str,
    pub col_turnout: &'static str,
    pub col_doors: &'static str,
    /// "{shown} of {total} shown".
    pub rows_shown: &'static str,
    // import report
    pub import_report: &'static str,
    pub last_import_failed: &'static str,
    /// "{kind} from {file}".
    pub kind_from_file: &'static str,
    pub no_import_yet: &'static str,
    pub import_history: &'static str,
    pub details: &'static str,
    pub and_more: &'static str,
    pub precincts_imported_of: &'static str,
    pub precincts_imported: &'static str,
    pub crs_is: &'static str,
    pub rows_read_matched: &'static str,
    pub unmatched_row_one: &'static str,
    pub unmatched_row_many: &'static str,
    pub without_results_one: &'static str,
    pub without_results_many: &'static str,
    pub addresses_imported: &'static str,
    pub in_and_outside: &'static str,
    pub warning_one: &'static str,
    pub warning_many: &'static str,
    pub kind_precincts: &'static str,
    pub kind_results: &'static str,
    pub kind_addresses: &'static str,
    /// Report field titles worth translating: (JSON key, title).
    pub field_titles: &'static [(&'static str, &'static str)],
    // import window
    pub import_title: &'static str,
    pub tab_precincts: &'static str,
    pub tab_results: &'static str,
    pub tab_addresses: &'static str,
    pub file_to_import: &'static str,
    pub file_hint: &'static str,
    pub browse: &'static str,
    pub id_field: &'static str,
    pub name_field: &'static str,
    pub crs_epsg: &'static str,
    pub layer: &'static str,
    pub key_field: &'static str,
    pub office: &'static str,
    pub format: &'static str,
    pub hint_guess: &'static str,
    pub hint_crs: &'static str,
    pub hint_first_layer: &'static str,
    pub hint_from_file: &'static str,
    pub hint_all: &'static str,
    pub format_guess: &'static str,
    pub run_import: &'static str,
    pub another_job_running: &'static str,
    pub open_campaign_first: &'static str,
    pub close: &'static str,
    pub need_import_path: &'static str,
    pub not_epsg: &'static str,
    // campaign window
    pub open_campaign_title: &'static str,
    pub new_campaign_title: &'static str,
    pub open: &'static str,
    pub create: &'static str,
    pub campaign_file: &'static str,
    pub campaign_file_hint: &'static str,
    pub new_campaign_note: &'static str,
    pub need_path: &'static str,
    pub no_such_file: &'static str,
    pub cancel: &'static str,
    // status bar, app
    pub cancelling: &'static str,
    pub zoom_level: &'static str,
    pub error_title: &'static str,
    pub ok: &'static str,
    pub importing: &'static str,
    pub status_from: &'static str,
    pub open_before_import: &'static str,
    pub wait_for_job: &'static str,
    pub opening_sample: &'static str,
    pub opening: &'static str,
    pub choosing_file: &'static str,
    pub job_stopped: &'static str,
    pub job_stopped_error: &'static str,
    pub no_file_chosen: &'static str,
    pub opened: &'static str,
    pub could_not_open: &'static str,
    pub could_not_open_error: &'static str,
    pub imported_from: &'static str,
    pub import_cancelled: &'static str,
    pub import_failed: &'static str,
    pub stage_sample: &'static str,
    pub stage_opening: &'static str,
    pub stage_reading: &'static str,
    pub stage_figures: &'static str,
    pub stage_map: &'static str,
    pub stage_done: &'static str,
    // file dialogs
    pub filter_precincts: &'static str,
    pub filter_addresses: &'static str,
    pub filter_all: &'static str,
    pub filter_campaign: &'static str,
}

impl Strings {
    /// "1 precinct", "3 precincts"; French uses the singular for 0 and 1.
    pub fn count(&self, n: usize, one: &str, many: &str) -> String {
        let singular = match self.lang {
            Lang::En => n == 1,
            Lang::Fr => n <= 1,
        };
        format!(
            "{} {}",
            self.integer(n as i64),
            if singular { one } else { many }
        )
    }

    /// An integer with thousands separators ("12,345" / "12 345").
    pub fn integer(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self.lang {
            Lang::En => ",",
            Lang::Fr => "\u{a0}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// A decimal number with `decimals` digits, with the language's decimal mark.
    pub fn decimal(&self, x: f64, decimals: usize) -> String {
        let s = format!("{x:.decimals$}");
        if self.decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// A ratio (0..1) as a percentage: "78.2%" / "78,2 %".
    pub fn percent(&self, ratio: f64) -> String {
        format!("{}{}", self.decimal(100.0 * ratio, 1), self.percent_sign)
    }

    /// The name of an import kind from the model's log ("precincts" → "bureaux").
    pub fn kind_name<'a>(&self, log_kind: &'a str) -> &'a str {
        match log_kind {
            "precincts" => self.kind_precincts,
            "results" => self.kind_results,
            "addresses" => self.kind_addresses,
            other => other,
        }
    }
}

pub static EN: Strings = Strings {
    lang: Lang::En,
    file: "File",
    new_campaign_menu: "New campaign…",
    open_campaign_menu: "Open campaign…",
    import_precincts_menu: "Import precincts…",
    import_results_menu: "Import results…",
    import_addresses_menu: "Import addresses…",
    quit: "Quit",
    view: "View",
    zoom_to_campaign: "Zoom to campaign",
    zoom_to_selection: "Zoom to selection",
    side_panel: "Side panel",
    precinct_table: "Precinct table",
    language: "Language",
    follow_system: "System ({})",
    campaign: "Campaign",
    precinct_one: "precinct",
    precinct_many: "precincts",
    import_short: "Import…",
    no_elections: "No elections",
    election_one: "election",
    election_many: "elections",
    no_addresses: "No addresses",
    address_one: "address",
    address_many: "addresses",
    in_precincts_pct: "{} ({} in precincts)",
    selected: "Selected: {}",
    clear: "Clear",
    click_to_select: "Click a precinct on the map or in the table to select it.",
    loading: "Loading…",
    no_campaign: "No campaign open.",
    no_campaign_hint: "No campaign open — File › Open campaign…",
    empty_map_hint: "No precincts yet — File › Import precincts…",
    map_colours: "Map colours",
    colour_by: "Colour by",
    var_none: "Nothing (outlines)",
    var_registered: "Registered voters",
    var_turnout: "Turnout",
    var_abstention: "Abstention",
    var_doors: "Doors",
    var_priority: "Priority score",
    var_share: "Candidate share",
    var_swing: "Swing since an election",
    priority_needs_blocs: "The priority score needs blocs saved for {}: run porte blocs {} --election {} --suggest, then with --ours … --save.",
    candidate: "Candidate",
    previous_election: "Compared with",
    no_previous_election: "A swing needs a second election.",
    method: "Method",
    method_quantile: "Quantiles",
    method_equal: "Equal intervals",
    method_jenks: "Jenks (natural breaks)",
    method_manual: "Manual breaks",
    classes: "Classes",
    breaks: "Breaks",
    breaks_hint: "e.g. 40, 50, 60",
    not_a_number: "\"{}\" is not a number",
    ramp: "Colours",
    ramp_default: "{} (default)",
    ramps_sequential: "Sequential",
    ramps_diverging: "Diverging",
    points: "pts",
    election: "Election",
    no_data: "No data",
    legend_method: "{}, {} classes",
    no_election_data: "No election imported yet.",
    colon: ": ",
    decimal_comma: false,
    percent_sign: "%",
    precincts_heading: "Precincts",
    search: "Search",
    search_hint: "code or name",
    col_code: "Code",
    col_name: "Name",
    col_registered: "Registered",
    col_turnout: "Turnout",
    col_doors: "Doors",
    rows_shown: "{} of {} shown",
    import_report: "Import report",
    last_import_failed: "Last import failed: {}",
    kind_from_file: "{} from {}",
    no_import_yet: "No import yet.",
    import_history: "Import history ({})",
    details: "Details",
    and_more: "… and {} more",
    precincts_imported_of: "{} precincts imported of {} features",
    precincts_imported: "{} precincts imported",
    crs_is: "CRS: {}",
    rows_read_matched: "{} rows read, {} precincts matched",
    unmatched_row_one: "unmatched row",
    unmatched_row_many: "unmatched rows",
    without_results_one: "precinct without results",
    without_results_many: "precincts without results",
    addresses_imported: "{} addresses imported",
    in_and_outside: "{} in precincts, {} outside",
    warning_one: "warning",
    warning_many: "warnings",
    kind_precincts: "precincts",
    kind_results: "results",
    kind_addresses: "addresses",
    field_titles: &[],
    import_title: "Import",
    tab_precincts: "Precincts",
    tab_results: "Results",
    tab_addresses: "Addresses",
    file_to_import: "File to import",
    file_hint: "path of the file to import",
    browse: "Browse…",
    id_field: "Id field",
    name_field: "Name field",
    crs_epsg: "CRS (EPSG)",
    layer: "Layer",
    key_field: "Key field",
    office: "Office",
    format: "Format",
    hint_guess: "guess",
    hint_crs: "from the file, e.g. 2154",
    hint_first_layer: "first layer",
    hint_from_file: "from the file",
    hint_all: "all",
    format_guess: "Guess from the file",
    run_import: "Run import",
    another_job_running: "Another job is running.",
    open_campaign_first: "Open a campaign first.",
    close: "Close",
    need_import_path: "Type or paste the path of the file to import.",
    not_epsg: "“{}” is not an EPSG code (e.g. 2154)",
    open_campaign_title: "Open campaign",
    new_campaign_title: "New campaign",
    open: "Open",
    create: "Create",
    campaign_file: "Campaign file",
    campaign_file_hint: "e.g. ~/campagne.gpkg",
    new_campaign_note: "A new campaign is one .gpkg file; import precincts into it next.",
    need_path: "Type or paste a file path.",
    no_such_file: "No such file: {}",
    cancel: "Cancel",
    cancelling: "Cancelling…",
    zoom_level: "zoom {}",
    error_title: "Error",
    ok: "OK",
    importing: "Importing {}",
    status_from: "{} from {}",
    open_before_import: "Open a campaign before importing.",
    wait_for_job: "Wait for “{}” to finish (or cancel it) first.",
    opening_sample: "Opening the sample city",
    opening: "Opening {}",
    choosing_file: "Choosing a file",
    job_stopped: "The job stopped unexpectedly.",
    job_stopped_error: "The background job stopped unexpectedly (see the terminal).",
    no_file_chosen: "No file chosen: type or paste its path instead.",
    opened: "Opened {}",
    could_not_open: "Could not open the campaign.",
    could_not_open_error: "Could not open the campaign: {}",
    imported_from: "Imported {} from {}",
    import_cancelled: "Import cancelled; the campaign is unchanged.",
    import_failed: "Import of {} failed.",
    stage_sample: "preparing the sample city",
    stage_opening: "opening the campaign",
    stage_reading: "reading precincts",
    stage_figures: "reading figures and doors",
    stage_map: "preparing the map",
    stage_done: "done",
    filter_precincts: "Precinct boundaries",
    filter_addresses: "Addresses",
    filter_all: "All files",
    filter_campaign: "Porte campaign",
};

pub static FR: Strings = Strings {
    lang: Lang::Fr,
    file: "Fichier",
    new_campaign_menu: "Nouvelle campagne…",
    open_campaign_menu: "Ouvrir une campagne…",
    import_precincts_menu: "Importer des bureaux…",
    import_results_menu: "Importer des résultats…",
    import_addresses_menu: "Importer des adresses…",
    quit: "Quitter",
    view: "Affichage",
    zoom_to_campaign: "Zoomer sur la campagne",
    zoom_to_selection: "Zoomer sur la sélection",
    side_panel: "Panneau latéral",
    precinct_table: "Table des bureaux",
    language: "Langue",
    follow_system: "Système ({})",
    campaign: "Campagne",
    precinct_one: "bureau",
    precinct_many: "bureaux",
    import_short: "Importer…",
    no_elections: "Aucune élection",
    election_one: "élection",
    election_many: "élections",
    no_addresses: "Aucune adresse",
    address_one: "adresse",
    address_many: "adresses",
    in_precincts_pct: "{} ({} dans les bureaux)",
    selected: "Sélection : {}",
    clear: "Effacer",
    click_to_select: "Cliquez sur un bureau de la carte ou de la table pour le sélectionner.",
    loading: "Chargement…",
    no_campaign: "Aucune campagne ouverte.",
    no_campaign_hint: "Aucune campagne ouverte — Fichier › Ouvrir une campagne…",
    empty_map_hint: "Pas encore de bureaux — Fichier › Importer des bureaux…",
    map_colours: "Couleurs de la carte",
    colour_by: "Colorer selon",
    var_none: "Rien (contours)",
    var_registered: "Inscrits",
    var_turnout: "Participation",
    var_abstention: "Abstention",
    var_doors: "Portes",
    var_priority: "Score de priorité",
    var_share: "Score d’un candidat",
    var_swing: "Évolution depuis une élection",
    priority_needs_blocs: "Le score de priorité demande des blocs enregistrés pour {} : lancez porte blocs {} --election {} --suggest, puis avec --ours … --save.",
    candidate: "Candidat",
    previous_election: "Comparée à",
    no_previous_election: "Une évolution demande une deuxième élection.",
    method: "Méthode",
    method_quantile: "Quantiles",
    method_equal: "Intervalles égaux",
    method_jenks: "Jenks (seuils naturels)",
    method_manual: "Seuils manuels",
    classes: "Classes",
    breaks: "Seuils",
    breaks_hint: "ex. 40, 50, 60",
    not_a_number: "« {} » n’est pas un nombre",
    ramp: "Couleurs",
    ramp_default: "{} (par défaut)",
    ramps_sequential: "Séquentielles",
    ramps_diverging: "Divergentes",
    points: "pts",
    election: "Élection",
    no_data: "Sans donnée",
    legend_method: "{}, {} classes",
    no_election_data: "Aucune élection importée.",
    colon: " : ",
    decimal_comma: true,
    percent_sign: "\u{a0}%",
    precincts_heading: "Bureaux",
    search: "Rechercher",
    search_hint: "code ou nom",
    col_code: "Code",
    col_name: "Nom",
    col_registered: "Inscrits",
    col_turnout: "Particip.",
    col_doors: "Portes",
    rows_shown: "{} sur {} affichés",
    import_report: "Rapport d’import",
    last_import_failed: "Le dernier import a échoué : {}",
    kind_from_file: "{} depuis {}",
    no_import_yet: "Aucun import pour l’instant.",
    import_history: "Historique des imports ({})",
    details: "Détails",
    and_more: "… et {} de plus",
    precincts_imported_of: "{} bureaux importés sur {} entités",
    precincts_imported: "{} bureaux importés",
    crs_is: "SCR : {}",
    rows_read_matched: "{} lignes lues, {} bureaux appariés",
    unmatched_row_one: "ligne non appariée",
    unmatched_row_many: "lignes non appariées",
    without_results_one: "bureau sans résultats",
    without_results_many: "bureaux sans résultats",
    addresses_imported: "{} adresses importées",
    in_and_outside: "{} dans les bureaux, {} hors bureaux",
    warning_one: "avertissement",
    warning_many: "avertissements",
    kind_precincts: "bureaux",
    kind_results: "résultats",
    kind_addresses: "adresses",
    field_titles: &[
        ("warnings", "Avertissements"),
        ("unmatched_rows", "Lignes non appariées"),
        ("precincts_without_results", "Bureaux sans résultats"),
        ("imported", "Importés"),
        ("features_read", "Entités lues"),
        ("rows", "Lignes"),
        ("matched", "Appariés"),
        ("in_precincts", "Dans les bureaux"),
        ("outside", "Hors bureaux"),
        ("crs", "SCR"),
        ("file", "Fichier"),
        ("format", "Format"),
        ("election", "Élection"),
        ("elections", "Élections"),
        ("skipped", "Ignorés"),
        ("repaired", "Réparés"),
    ],
    import_title: "Importer",
    tab_precincts: "Bureaux",
    tab_results: "Résultats",
    tab_addresses: "Adresses",
    file_to_import: "Fichier à importer",
    file_hint: "chemin du fichier à importer",
    browse: "Parcourir…",
    id_field: "Champ identifiant",
    name_field: "Champ nom",
    crs_epsg: "SCR (EPSG)",
    layer: "Couche",
    key_field: "Champ clé",
    office: "Scrutin",
    format: "Format",
    hint_guess: "deviné",
    hint_crs: "celui du fichier, ex. 2154",
    hint_first_layer: "première couche",
    hint_from_file: "d’après le fichier",
    hint_all: "tous",
    format_guess: "Deviner d’après le fichier",
    run_import: "Lancer l’import",
    another_job_running: "Une autre tâche est en cours.",
    open_campaign_first: "Ouvrez d’abord une campagne.",
    close: "Fermer",
    need_import_path: "Saisissez ou collez le chemin du fichier à importer.",
    not_epsg: "« {} » n’est pas un code EPSG (ex. 2154)",
    open_campaign_title: "Ouvrir une campagne",
    new_campaign_title: "Nouvelle campagne",
    open: "Ouvrir",
    create: "Créer",
    campaign_file: "Fichier de campagne",
    campaign_file_hint: "ex. ~/campagne.gpkg",
    new_campaign_note: "Une campagne est un fichier .gpkg ; importez-y ensuite des bureaux.",
    need_path: "Saisissez ou collez un chemin de fichier.",
    no_such_file: "Fichier introuvable : {}",
    cancel: "Annuler",
    cancelling: "Annulation…",
    zoom_level: "zoom {}",
    error_title: "Erreur",
    ok: "OK",
    importing: "Import des {}",
    status_from: "{} depuis {}",
    open_before_import: "Ouvrez une campagne avant d’importer.",
    wait_for_job: "Attendez la fin de « {} » (ou annulez-la) d’abord.",
    opening_sample: "Ouverture de la ville exemple",
    opening: "Ouverture de {}",
    choosing_file: "Choix d’un fichier",
    job_stopped: "La tâche s’est arrêtée inopinément.",
    job_stopped_error: "La tâche de fond s’est arrêtée inopinément (voir le terminal).",
    no_file_chosen: "Aucun fichier choisi : saisissez ou collez son chemin.",
    opened: "{} ouvert",
    could_not_open: "Impossible d’ouvrir la campagne.",
    could_not_open_error: "Impossible d’ouvrir la campagne : {}",
    imported_from: "{} importés depuis {}",
    import_cancelled: "Import annulé ; la campagne est inchangée.",
    import_failed: "L’import de {} a échoué.",
    stage_sample: "préparation de la ville exemple",
    stage_opening: "ouverture de la campagne",
    stage_reading: "lecture des bureaux",
    stage_figures: "lecture des chiffres et des portes",
    stage_map: "préparation de la carte",
    stage_done: "terminé",
    filter_precincts: "Limites des bureaux",
    filter_addresses: "Adresses",
    filter_all: "Tous les fichiers",
    filter_campaign: "Campagne Porte",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_and_numbers() {
        assert_eq!(Lang::from_locale("fr_FR.UTF-8"), Lang::Fr);
        assert_eq!(Lang::from_locale("fr"), Lang::Fr);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(fill("{} of {}", &[&3, &"x"]), "3 of x");
        assert_eq!(EN.integer(1234567), "1,234,567");
        assert_eq!(FR.integer(1234), "1\u{a0}234");
        assert_eq!(EN.percent(0.5), "50.0%");
        assert_eq!(FR.percent(0.5), "50,0\u{a0}%");
        assert_eq!(EN.count(1, "precinct", "precincts"), "1 precinct");
        assert_eq!(FR.count(0, "bureau", "bureaux"), "0 bureau");
    }
}
