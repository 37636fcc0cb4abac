//! Message templates with placeholders, so each volunteer gets their own turf and meeting point:
//! `{first_name}`, `{last_name}`, `{turf}`, `{team}`, `{meeting_point}`, `{date}`, `{start}`,
//! `{end}`, `{operation}`, `{contact_phone}`. Saved in the campaign (`message_templates`).

use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::format::{format_date, format_time};
use crate::model::operations::Operation;
use crate::model::storage::volunteers as store;
use crate::model::volunteers::Volunteer;

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 10] = [
    "first_name",
    "last_name",
    "turf",
    "team",
    "meeting_point",
    "date",
    "start",
    "end",
    "operation",
    "contact_phone",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageTemplate {
    /// `0` for one not saved yet.
    pub id: i64,
    pub name: String,
    pub body: String,
}

/// The values of the placeholders for one volunteer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MessageContext {
    pub first_name: String,
    pub last_name: String,
    /// Their turf's name ("" when not assigned).
    pub turf: String,
    /// Their team ("José D. & François L.").
    pub team: String,
    pub meeting_point: String,
    /// "samedi 14 mars 2026" / "Saturday 14 March 2026" (per `lang` of [`MessageContext::for_volunteer`]).
    pub date: String,
    pub start: String,
    pub end: String,
    pub operation: String,
    pub contact_phone: String,
}

impl MessageContext {
    /// The value of a placeholder (`None` for an unknown name).
    pub fn value(&self, name: &str) -> Option<&str> {
        Some(match name {
            "first_name" => &self.first_name,
            "last_name" => &self.last_name,
            "turf" => &self.turf,
            "team" => &self.team,
            "meeting_point" => &self.meeting_point,
            "date" => &self.date,
            "start" => &self.start,
            "end" => &self.end,
            "operation" => &self.operation,
            "contact_phone" => &self.contact_phone,
            _ => return None,
        })
    }

    /// The context of `v` in operation `op` (their team and turf names looked up by the caller:
    /// `turf_name` of the turf of their team). `french`: date in French.
    pub fn for_volunteer(
        v: &Volunteer,
        op: Option<&Operation>,
        turf_name: Option<&str>,
        french: bool,
    ) -> MessageContext {
        let mut ctx = MessageContext {
            first_name: v.first_name.trim().to_owned(),
            last_name: v.last_name.trim().to_owned(),
            turf: turf_name.unwrap_or("").to_owned(),
            ..MessageContext::default()
        };
        if let Some(op) = op {
            ctx.team = op
                .team_of_volunteer(v.id)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            ctx.meeting_point = op.meeting_point.clone();
            ctx.date = format_date(op.date, french);
            ctx.start = format_time(op.start, french);
            ctx.end = format_time(op.end, french);
            ctx.operation = op.name.clone();
            ctx.contact_phone = op.contact_phone.clone();
        }
        ctx
    }
}

/// Fills the placeholders; an unknown `{name}` is left as typed. A line whose placeholders are
/// all empty for this volunteer (e.g. "Your turf: {turf}, with {team}." before any assignment)
/// is left out. Returns the text and the unknown placeholders found.
pub fn render(body: &str, ctx: &MessageContext) -> (String, Vec<String>) {
    let mut out = String::with_capacity(body.len() + 64);
    let mut unknown: Vec<String> = Vec::new();
    let mut first = true;
    for line in body.split('\n') {
        let (text, known, empty) = render_line(line, ctx, &mut unknown);
        if known > 0 && known == empty {
            continue;
        }
        if !first {
            out.push('\n');
        }
        out.push_str(&text);
        first = false;
    }
    (out, unknown.into_iter().filter(|u| !u.is_empty()).collect())
}

/// One line filled in, with the number of known placeholders and of those that were empty.
fn render_line(
    line: &str,
    ctx: &MessageContext,
    unknown: &mut Vec<String>,
) -> (String, usize, usize) {
    let mut out = String::with_capacity(line.len() + 32);
    let (mut known, mut empty) = (0, 0);
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // "{{" is a literal brace.
        if let Some(r) = after.strip_prefix('{') {
            out.push('{');
            rest = r;
            continue;
        }
        match after.find(['}', '{']) {
            Some(close) if after.as_bytes()[close] == b'}' => {
                let name = &after[..close];
                let key = name.trim();
                match ctx.value(key) {
                    Some(v) => {
                        known += 1;
                        if v.trim().is_empty() {
                            empty += 1;
                        }
                        out.push_str(v);
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                        if !unknown.iter().any(|u| u == key) {
                            unknown.push(key.to_owned());
                        }
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, known, empty)
}

/// The templates offered before the campaign saves its own (French and English invitations).
pub fn default_templates() -> Vec<MessageTemplate> {
    let t = |name: &str, body: &str| MessageTemplate {
        id: 0,
        name: name.to_owned(),
        body: body.to_owned(),
    };
    vec![
        t(
            "Invitation (EN)",
            "Hello {first_name},\n\nThank you for joining us for {operation} on {date}, \
             {start}–{end}. We meet at {meeting_point}.\nYour turf: {turf}, with {team}.\n\n\
             On the day, call {contact_phone} if anything comes up.\nSee you there!",
        ),
        t(
            "Invitation (FR)",
            "Bonjour {first_name},\n\nMerci de participer à {operation} le {date}, de {start} \
             à {end}. Rendez-vous : {meeting_point}.\nVotre secteur : {turf}, avec {team}.\n\n\
             Le jour même, appelez le {contact_phone} en cas d'imprévu.\nÀ bientôt !",
        ),
        t(
            "Reminder (EN)",
            "Reminder, {first_name}: {operation} tomorrow, {date} at {start}, meeting point \
             {meeting_point}. Turf: {turf}.",
        ),
        t(
            "Rappel (FR)",
            "Rappel, {first_name} : {operation} demain, {date} à {start}, rendez-vous \
             {meeting_point}. Secteur : {turf}.",
        ),
    ]
}

impl Campaign {
    /// Saved templates, by name (the defaults when none is saved).
    pub fn message_templates(&self) -> ModelResult<Vec<MessageTemplate>> {
        let saved = store::load_templates(&self.conn)?;
        Ok(if saved.is_empty() {
            default_templates()
        } else {
            saved
        })
    }

    /// Saves a template (insert when `id == 0`, else update); returns its id. Names are unique.
    pub fn save_message_template(&mut self, t: &MessageTemplate) -> ModelResult<i64> {
        let name = t.name.trim();
        if name.is_empty() {
            return Err(ModelError::Invalid(
                "a message template needs a name".into(),
            ));
        }
        if t.body.trim().is_empty() {
            return Err(ModelError::Invalid(format!(
                "message template “{name}” is empty"
            )));
        }
        let saved = MessageTemplate {
            id: t.id,
            name: name.to_owned(),
            body: t.body.clone(),
        };
        let path = self.path().to_path_buf();
        self.in_transaction(|tx| {
            if let Some(other) = store::template_named(tx, name)?
                && other != t.id
            {
                return Err(ModelError::Invalid(format!(
                    "a message template is already named “{name}”"
                )));
            }
            if t.id == 0 {
                store::insert_template(tx, &saved)
            } else if store::update_template(tx, &saved)? {
                Ok(t.id)
            } else {
                Err(ModelError::Campaign {
                    path,
                    message: format!("no message template {}", t.id),
                })
            }
        })
    }

    pub fn delete_message_template(&mut self, id: i64) -> ModelResult<()> {
        let path = self.path().to_path_buf();
        self.in_transaction(|tx| {
            if store::delete_template(tx, id)? {
                Ok(())
            } else {
                Err(ModelError::Campaign {
                    path,
                    message: format!("no message template {id}"),
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    #[test]
    fn a_line_whose_placeholders_are_all_empty_is_left_out() {
        let ctx = MessageContext {
            first_name: "Amina".into(),
            meeting_point: "12 rue X".into(),
            ..MessageContext::default()
        };
        let (text, unknown) = render(
            "Hello {first_name},\nYour turf: {turf}, with {team}.\nMeet at {meeting_point}.\nThanks!",
            &ctx,
        );
        assert_eq!(text, "Hello Amina,\nMeet at 12 rue X.\nThanks!");
        assert!(unknown.is_empty());
    }
    use crate::model::operations::Team;

    fn op() -> Operation {
        Operation {
            id: 1,
            name: "Porte-à-porte du centre".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: "12 rue X".into(),
            meeting_wgs84: None,
            contact_phone: "06 00 00 00 00".into(),
            notes: String::new(),
            turf_ids: vec![7],
            teams: vec![Team {
                id: 3,
                name: "José D. & Ana S.".into(),
                turf_id: Some(7),
                member_ids: vec![5, 6],
            }],
        }
    }

    #[test]
    fn context_and_render() {
        let v = Volunteer {
            id: 5,
            first_name: "José".into(),
            last_name: "Dupré".into(),
            ..Volunteer::default()
        };
        let ctx = MessageContext::for_volunteer(&v, Some(&op()), Some("Centre · 1"), true);
        assert_eq!(ctx.date, "samedi 14 mars 2026");
        assert_eq!(ctx.start, "10h00");
        assert_eq!(ctx.team, "José D. & Ana S.");
        let (text, unknown) = render(
            "Bonjour {first_name} ({ turf }), {date} {start}–{end} à {meeting_point}. {prenom} {{literal}} {oops",
            &ctx,
        );
        assert_eq!(
            text,
            "Bonjour José (Centre · 1), samedi 14 mars 2026 10h00–12h30 à 12 rue X. {prenom} {literal}} {oops"
        );
        assert_eq!(unknown, vec!["prenom"]);
        let en = MessageContext::for_volunteer(&v, Some(&op()), None, false);
        assert_eq!(
            (en.date.as_str(), en.start.as_str()),
            ("Saturday 14 March 2026", "10:00")
        );
        assert_eq!(en.turf, "");
        let none = MessageContext::for_volunteer(&v, None, None, false);
        assert_eq!(none.date, "");
        for t in default_templates() {
            let (_, unknown) = render(&t.body, &ctx);
            assert!(unknown.is_empty(), "{}: {unknown:?}", t.name);
        }
        for p in PLACEHOLDERS {
            assert!(ctx.value(p).is_some());
        }
    }

    #[test]
    fn saved_templates() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("t.gpkg")).unwrap();
        assert_eq!(c.message_templates().unwrap(), default_templates());
        let id = c
            .save_message_template(&MessageTemplate {
                id: 0,
                name: "Relance".into(),
                body: "Bonjour {first_name}".into(),
            })
            .unwrap();
        let dup = MessageTemplate {
            id: 0,
            name: "relance".into(),
            body: "x".into(),
        };
        assert!(c.save_message_template(&dup).is_err());
        let b = c
            .save_message_template(&MessageTemplate {
                id: 0,
                name: "Appel".into(),
                body: "x".into(),
            })
            .unwrap();
        let names: Vec<String> = c
            .message_templates()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, vec!["Appel", "Relance"]);
        c.save_message_template(&MessageTemplate {
            id,
            name: "Relance".into(),
            body: "Salut {first_name}".into(),
        })
        .unwrap();
        assert!(
            c.message_templates()
                .unwrap()
                .iter()
                .any(|t| t.body == "Salut {first_name}")
        );
        assert!(
            c.save_message_template(&MessageTemplate {
                id: 99,
                name: "Z".into(),
                body: "z".into()
            })
            .is_err()
        );
        c.delete_message_template(b).unwrap();
        assert!(c.delete_message_template(b).is_err());
        c.delete_message_template(id).unwrap();
        assert_eq!(c.message_templates().unwrap(), default_templates());
    }
}
