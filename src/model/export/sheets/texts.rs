//! The words of a walk sheet in French (default) or English: labels, the response-code legend,
//! the default talking points and data-protection notice, and the campaign's own texts stored
//! in the `turf_settings` table (keys `sheet_talking_points`, `sheet_privacy_notice`).

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::model::error::ModelResult;

/// Language of a printed sheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetLang {
    #[default]
    Fr,
    En,
}

impl SheetLang {
    pub fn parse(s: &str) -> Option<SheetLang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "french" | "français" => Some(SheetLang::Fr),
            "en" | "english" | "anglais" => Some(SheetLang::En),
            _ => None,
        }
    }

    pub fn french(self) -> bool {
        self == SheetLang::Fr
    }

    /// `fr` or `en` text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        if self.french() { fr } else { en }
    }
}

/// Default talking points (one point a line).
pub fn default_talking_points(lang: SheetLang) -> &'static str {
    lang.pick(
        "Se présenter : prénom, bénévole de la campagne, du quartier.\n\
         Demander si la personne compte voter et rappeler la date du scrutin.\n\
         Écouter : noter en quelques mots la préoccupation principale.\n\
         Laisser le tract ; proposer de garder le contact (avec accord).\n\
         Rester courtois, ne jamais insister après un refus.",
        "Introduce yourself: first name, a volunteer for the campaign, from the area.\n\
         Ask whether they plan to vote and remind them of the election date.\n\
         Listen: note their main concern in a few words.\n\
         Leave the leaflet; offer to keep in touch (with their consent).\n\
         Stay polite, never insist after a refusal.",
    )
}

/// Default data-protection notice; `{campaign}` and `{contact}` are replaced.
pub fn default_privacy_notice(lang: SheetLang) -> &'static str {
    lang.pick(
        "Protection des données : cette feuille sert uniquement à organiser le porte-à-porte de \
         {campaign}, responsable du traitement. N'y notez aucune donnée sensible (opinion \
         politique, religion, santé, origine). Toute personne peut demander l'accès à ses \
         données ou leur effacement auprès de la campagne{contact}. Ne laissez pas cette feuille \
         sans surveillance et rendez-la en fin de tournée.",
        "Data protection: this sheet is only used to organise {campaign}'s door-to-door \
         canvassing; the campaign is the data controller. Write no sensitive data (political \
         opinion, religion, health, origin). Anyone may ask the campaign for access to or \
         erasure of their data{contact}. Never leave this sheet unattended and hand it back \
         after the walk.",
    )
}

/// The campaign's own sheet texts (`None`: the default in the sheet's language).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SheetSettings {
    pub talking_points: Option<String>,
    pub privacy_notice: Option<String>,
}

const KEY_TALKING_POINTS: &str = "sheet_talking_points";
const KEY_PRIVACY_NOTICE: &str = "sheet_privacy_notice";

fn load_key(conn: &Connection, key: &str) -> ModelResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM turf_settings WHERE key = ?1",
            [key],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .filter(|v| !v.trim().is_empty()))
}

fn save_key(conn: &Connection, key: &str, value: Option<&str>) -> ModelResult<()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => conn.execute(
            "INSERT INTO turf_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, v],
        )?,
        None => conn.execute("DELETE FROM turf_settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

impl SheetSettings {
    pub fn load(conn: &Connection) -> ModelResult<SheetSettings> {
        Ok(SheetSettings {
            talking_points: load_key(conn, KEY_TALKING_POINTS)?,
            privacy_notice: load_key(conn, KEY_PRIVACY_NOTICE)?,
        })
    }

    /// Stores both texts (an empty or `None` text goes back to the default).
    pub fn save(&self, conn: &Connection) -> ModelResult<()> {
        save_key(conn, KEY_TALKING_POINTS, self.talking_points.as_deref())?;
        save_key(conn, KEY_PRIVACY_NOTICE, self.privacy_notice.as_deref())
    }

    /// The talking points to print, one a line.
    pub fn talking_points_lines(&self, lang: SheetLang) -> Vec<String> {
        self.talking_points
            .as_deref()
            .unwrap_or(default_talking_points(lang))
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches(['-', '*', '•'])
                    .trim()
                    .to_owned()
            })
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The notice to print, with the campaign's name and contact filled in.
    pub fn privacy_notice(&self, lang: SheetLang, campaign: &str, contact: &str) -> String {
        let contact = if contact.trim().is_empty() {
            String::new()
        } else {
            format!(" ({})", contact.trim())
        };
        self.privacy_notice
            .as_deref()
            .unwrap_or(default_privacy_notice(lang))
            .replace("{campaign}", campaign)
            .replace("{contact}", &contact)
    }
}

/// The fixed words of a sheet.
pub struct Labels {
    pub date: &'static str,
    pub team: &'static str,
    pub no_team: &'static str,
    pub meeting: &'static str,
    pub contact: &'static str,
    pub doors: &'static str,
    pub walk: &'static str,
    pub street_order: &'static str,
    pub start: &'static str,
    pub start_off_map: &'static str,
    pub legend_title: &'static str,
    pub talking_title: &'static str,
    pub talking_cont: &'static str,
    pub page: &'static str,
    pub no_doors: &'static str,
    pub left: &'static str,
    pub right: &'static str,
    /// Column headers: No., street, number, side, the five boxes, contact, notes.
    pub columns: [&'static str; 11],
    /// Legend lines (one per box column, then the notes codes).
    pub legend: [&'static str; 7],
}

pub fn labels(lang: SheetLang) -> Labels {
    match lang {
        SheetLang::Fr => Labels {
            date: "Date",
            team: "Équipe",
            no_team: "à désigner",
            meeting: "Rendez-vous",
            contact: "Contact",
            doors: "portes",
            walk: "à pied",
            street_order: "Ordre par rue et numéros (pas de réseau de rues)",
            start: "Départ",
            start_off_map: "Départ : depuis le rendez-vous (hors carte)",
            legend_title: "Codes de réponse",
            talking_title: "Argumentaire",
            talking_cont: "Argumentaire (suite)",
            page: "page",
            no_doors: "Aucune porte dans ce secteur.",
            left: "G",
            right: "D",
            columns: [
                "N°", "Rue", "Numéro", "Côté", "Frappé", "Ouvert", "Absent", "Refus", "Repasser",
                "Contact", "Notes",
            ],
            legend: [
                "Frappé : on a sonné ou frappé",
                "Ouvert : quelqu'un a ouvert",
                "Absent : personne n'a répondu",
                "Refus : ne souhaite pas parler",
                "Repasser : revenir plus tard (noter l'heure)",
                "Contact : coordonnées prises, avec accord",
                "Notes : DÉM = a déménagé ; NPC = ne pas recontacter",
            ],
        },
        SheetLang::En => Labels {
            date: "Date",
            team: "Team",
            no_team: "to be named",
            meeting: "Meeting point",
            contact: "Contact",
            doors: "doors",
            walk: "walking",
            street_order: "Ordered by street and house numbers (no street network)",
            start: "Start",
            start_off_map: "Start: from the meeting point (off the map)",
            legend_title: "Response codes",
            talking_title: "Talking points",
            talking_cont: "Talking points (continued)",
            page: "page",
            no_doors: "No door in this turf.",
            left: "L",
            right: "R",
            columns: [
                "No.",
                "Street",
                "Number",
                "Side",
                "Knocked",
                "Opened",
                "Not home",
                "Refused",
                "Come back",
                "Contact",
                "Notes",
            ],
            legend: [
                "Knocked: we rang or knocked",
                "Opened: someone opened",
                "Not home: nobody answered",
                "Refused: did not want to talk",
                "Come back: call again later (note the time)",
                "Contact: contact details taken, with consent",
                "Notes: MOV = moved out; DNC = do not contact",
            ],
        },
    }
}

/// "1 h 45" / "45 min".
pub fn format_minutes(minutes: f64) -> String {
    let m = minutes.max(0.0).round() as i64;
    if m >= 60 {
        format!("{} h {:02}", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// "1,8 km" (French) / "1.8 km", or "850 m".
pub fn format_km(length_m: f64, lang: SheetLang) -> String {
    if length_m >= 1000.0 {
        let s = format!("{:.1} km", length_m / 1000.0);
        if lang.french() {
            s.replace('.', ",")
        } else {
            s
        }
    } else {
        format!("{:.0} m", length_m.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_in_turf_settings_and_defaults_fill_in() {
        let dir = tempfile::tempdir().unwrap();
        let c = crate::model::Campaign::open(dir.path().join("c.gpkg")).unwrap();
        let conn = c.connection();
        let s = SheetSettings::load(conn).unwrap();
        assert_eq!(s, SheetSettings::default());
        assert_eq!(s.talking_points_lines(SheetLang::Fr).len(), 5);
        let notice = s.privacy_notice(SheetLang::Fr, "Saint-Aubin", "06 00");
        assert!(
            notice.contains("Saint-Aubin") && notice.contains("(06 00)"),
            "{notice}"
        );
        let custom = SheetSettings {
            talking_points: Some("- Bonjour\n\n* Merci".into()),
            privacy_notice: Some("Données : {campaign}.".into()),
        };
        custom.save(conn).unwrap();
        let back = SheetSettings::load(conn).unwrap();
        assert_eq!(back, custom);
        assert_eq!(
            back.talking_points_lines(SheetLang::En),
            ["Bonjour", "Merci"]
        );
        assert_eq!(back.privacy_notice(SheetLang::En, "X", ""), "Données : X.");
        SheetSettings::default().save(conn).unwrap();
        assert_eq!(SheetSettings::load(conn).unwrap(), SheetSettings::default());
    }

    #[test]
    fn durations_and_lengths_read_naturally() {
        assert_eq!(format_minutes(105.2), "1 h 45");
        assert_eq!(format_minutes(44.6), "45 min");
        assert_eq!(format_km(1840.0, SheetLang::Fr), "1,8 km");
        assert_eq!(format_km(1840.0, SheetLang::En), "1.8 km");
        assert_eq!(format_km(850.0, SheetLang::En), "850 m");
        assert_eq!(SheetLang::parse("EN"), Some(SheetLang::En));
        assert_eq!(SheetLang::parse("de"), None);
    }
}
