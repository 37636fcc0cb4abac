//! When a volunteer can come: weekly slots ("sam matin", "sat afternoon", "dimanche"), or dates
//! ("2026-03-14", "14/03/2026 matin"); and whether that covers an operation's time window.
//!
//! Slots: morning 08:00–12:00, afternoon 12:00–18:00, evening 18:00–22:00; a day or date without
//! a slot is the whole day. A volunteer is available for a window when the slots they gave for
//! that date (or its weekday) cover at least half of it.
//!
//! A piece may name several days and slots: "sam et dim matin" is Saturday and Sunday mornings,
//! "sam matin et après-midi" two slots of Saturday, "week-end" Saturday and Sunday.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use serde::Serialize;

use crate::model::volunteers::fold;

/// A part of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DaySlot {
    Morning,
    Afternoon,
    Evening,
    AllDay,
}

impl DaySlot {
    pub const PARTS: [DaySlot; 3] = [DaySlot::Morning, DaySlot::Afternoon, DaySlot::Evening];

    /// Start and end of the slot (the whole day is 00:00–23:59:59).
    pub fn hours(self) -> (NaiveTime, NaiveTime) {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap_or_default();
        match self {
            DaySlot::Morning => (t(8, 0, 0), t(12, 0, 0)),
            DaySlot::Afternoon => (t(12, 0, 0), t(18, 0, 0)),
            DaySlot::Evening => (t(18, 0, 0), t(22, 0, 0)),
            DaySlot::AllDay => (t(0, 0, 0), t(23, 59, 59)),
        }
    }

    /// The slot as minutes since midnight, `start..end` (the whole day ends at 24:00).
    fn minutes(self) -> (u32, u32) {
        match self {
            DaySlot::Morning => (8 * 60, 12 * 60),
            DaySlot::Afternoon => (12 * 60, 18 * 60),
            DaySlot::Evening => (18 * 60, 22 * 60),
            DaySlot::AllDay => (0, 24 * 60),
        }
    }

    /// "morning" / "afternoon" / "evening" / "" (all day).
    pub fn as_str(self) -> &'static str {
        match self {
            DaySlot::Morning => "morning",
            DaySlot::Afternoon => "afternoon",
            DaySlot::Evening => "evening",
            DaySlot::AllDay => "",
        }
    }

    /// True when an item in slot `self` answers a question about `asked` (`AllDay` on either
    /// side matches every slot).
    fn answers(self, asked: DaySlot) -> bool {
        self == asked || self == DaySlot::AllDay || asked == DaySlot::AllDay
    }
}

/// One thing a volunteer said about when they can come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AvailabilityItem {
    /// Every week on that day.
    Weekly {
        #[serde(serialize_with = "ser_weekday")]
        day: Weekday,
        slot: DaySlot,
    },
    /// On that date only.
    Date { date: NaiveDate, slot: DaySlot },
}

impl AvailabilityItem {
    /// Sort key: weekly items first (Monday first), then dates, then slots in day order.
    /// (chrono's `Weekday` has no `Ord`.)
    fn key(&self) -> (u8, u32, NaiveDate, DaySlot) {
        match *self {
            AvailabilityItem::Weekly { day, slot } => {
                (0, day.num_days_from_monday(), NaiveDate::MIN, slot)
            }
            AvailabilityItem::Date { date, slot } => (1, 0, date, slot),
        }
    }

    pub fn slot(&self) -> DaySlot {
        match *self {
            AvailabilityItem::Weekly { slot, .. } | AvailabilityItem::Date { slot, .. } => slot,
        }
    }

    /// The weekday the item falls on.
    pub fn weekday(&self) -> Weekday {
        match *self {
            AvailabilityItem::Weekly { day, .. } => day,
            AvailabilityItem::Date { date, .. } => date.weekday(),
        }
    }

    /// True when the item speaks about `date` (its date, or its weekday).
    fn is_on(&self, date: NaiveDate) -> bool {
        match *self {
            AvailabilityItem::Weekly { day, .. } => day == date.weekday(),
            AvailabilityItem::Date { date: d, .. } => d == date,
        }
    }

    /// "sat morning", "sun", "2026-03-14 evening".
    pub fn to_text(&self) -> String {
        let head = match *self {
            AvailabilityItem::Weekly { day, .. } => weekday_code(day).to_owned(),
            AvailabilityItem::Date { date, .. } => date.format("%Y-%m-%d").to_string(),
        };
        match self.slot() {
            DaySlot::AllDay => head,
            s => format!("{head} {}", s.as_str()),
        }
    }
}

impl PartialOrd for AvailabilityItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AvailabilityItem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

fn ser_weekday<S: serde::Serializer>(d: &Weekday, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(weekday_code(*d))
}

/// "mon" … "sun".
pub fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// A token folded for matching: accents and case dropped, trailing dots removed ("Sam." → "sam").
fn token(s: &str) -> String {
    fold(s.trim()).trim_end_matches('.').to_owned()
}

fn weekday_of(t: &str) -> Option<Weekday> {
    Some(match t {
        "lundi" | "lun" | "lu" | "monday" | "mon" | "mo" => Weekday::Mon,
        "mardi" | "mar" | "tuesday" | "tue" | "tues" | "tu" => Weekday::Tue,
        "mercredi" | "mer" | "wednesday" | "wed" => Weekday::Wed,
        "jeudi" | "jeu" | "thursday" | "thu" | "thur" | "thurs" | "th" => Weekday::Thu,
        "vendredi" | "ven" | "ve" | "friday" | "fri" | "fr" => Weekday::Fri,
        "samedi" | "sam" | "sa" | "saturday" | "sat" => Weekday::Sat,
        "dimanche" | "dim" | "di" | "sunday" | "sun" | "su" => Weekday::Sun,
        _ => return None,
    })
}

/// Parses a weekday in English or French, full or abbreviated ("sat", "Saturday", "sam",
/// "samedi"), case- and accent-insensitive; plurals ("samedis", "Saturdays") too.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let t = token(s);
    weekday_of(&t).or_else(|| {
        t.strip_suffix('s')
            .filter(|r| r.len() > 3)
            .and_then(weekday_of)
    })
}

fn slot_of(t: &str) -> Option<DaySlot> {
    let t: String = t.split([' ', '-', '_']).filter(|w| !w.is_empty()).collect();
    Some(match t.as_str() {
        "matin" | "matins" | "matinee" | "morning" | "mornings" | "am" | "a.m" | "a.m." => {
            DaySlot::Morning
        }
        "apresmidi" | "apresmidis" | "aprem" | "afternoon" | "afternoons" | "pm" | "p.m"
        | "p.m." => DaySlot::Afternoon,
        "soir" | "soirs" | "soiree" | "soirees" | "evening" | "evenings" | "night" | "nuit" => {
            DaySlot::Evening
        }
        "journee" | "toutelajournee" | "jour" | "allday" | "wholeday" | "fullday" => {
            DaySlot::AllDay
        }
        _ => return None,
    })
}

/// Parses a slot in English or French ("morning", "matin", "am", "après-midi", "apres-midi",
/// "afternoon", "pm", "soir", "evening"; "journée" / "all day" is the whole day); `None` for
/// anything else.
pub fn parse_slot(s: &str) -> Option<DaySlot> {
    slot_of(&token(s))
}

/// "2026-03-14", "14/03/2026", "14-03-2026", "14.03.2026".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
        .filter(|_| s.len() >= 8)
}

/// Words joining days or slots inside a piece ("sam et dim", "Saturday and Sunday").
const FILLERS: [&str; 10] = [
    "et", "and", "&", "+", "le", "les", "the", "tous", "every", "on",
];

/// Splits a list on `;`, `,` and on `/` unless the slash is inside a date ("14/03/2026").
fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let in_date = c == '/'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if matches!(c, ';' | ',' | '\n') || (c == '/' && !in_date) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// What a word of a piece is.
enum Word {
    Days(Vec<Weekday>),
    Date(NaiveDate),
    Slot(DaySlot),
    Filler,
}

fn words_of(piece: &str) -> Option<Vec<Word>> {
    // Dates may hold `-` (ISO), so they are recognised before hyphens split words.
    let mut words = Vec::new();
    let raw: Vec<&str> = piece.split_whitespace().collect();
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i];
        if let Some(d) = parse_date(w) {
            words.push(Word::Date(d));
            i += 1;
            continue;
        }
        let t = token(w);
        // Two-word slots: "après midi", "all day", "whole day", "toute la journée".
        if i + 1 < raw.len()
            && let Some(s) = slot_of(&format!("{t}{}", token(raw[i + 1])))
        {
            words.push(Word::Slot(s));
            i += 2;
            continue;
        }
        if i + 2 < raw.len()
            && let Some(s) = slot_of(&format!("{t}{}{}", token(raw[i + 1]), token(raw[i + 2])))
        {
            words.push(Word::Slot(s));
            i += 3;
            continue;
        }
        i += 1;
        if let Some(s) = slot_of(&t) {
            words.push(Word::Slot(s));
            continue;
        }
        if matches!(
            t.as_str(),
            "weekend" | "week-end" | "weekends" | "week-ends"
        ) {
            words.push(Word::Days(vec![Weekday::Sat, Weekday::Sun]));
            continue;
        }
        if FILLERS.contains(&t.as_str()) {
            words.push(Word::Filler);
            continue;
        }
        // "sam-dim", "sat-sun" (a range), "samedi-matin".
        let parts: Vec<&str> = t.split('-').filter(|p| !p.is_empty()).collect();
        if parts.len() == 1 {
            words.push(Word::Days(vec![parse_weekday(parts[0])?]));
            continue;
        }
        if parts.len() == 2
            && let (Some(a), Some(b)) = (parse_weekday(parts[0]), parse_weekday(parts[1]))
        {
            let mut days = vec![a];
            let mut d = a;
            while d != b && days.len() < 7 {
                d = d.succ();
                days.push(d);
            }
            words.push(Word::Days(days));
            continue;
        }
        for p in parts {
            if let Some(s) = slot_of(p) {
                words.push(Word::Slot(s));
            } else {
                words.push(Word::Days(vec![parse_weekday(p)?]));
            }
        }
    }
    Some(words)
}

/// The items of one piece ("sam matin", "sam et dim soir", "2026-03-14 evening"), or `None`
/// when a word is not understood or no day or date is named.
fn parse_piece(piece: &str) -> Option<Vec<AvailabilityItem>> {
    enum Day {
        Weekly(Weekday),
        Date(NaiveDate),
    }
    let mut groups: Vec<(Vec<Day>, Vec<DaySlot>)> = Vec::new();
    for w in words_of(piece)? {
        let start_new =
            |g: &Vec<(Vec<Day>, Vec<DaySlot>)>| g.last().is_none_or(|l| !l.1.is_empty());
        match w {
            Word::Filler => {}
            Word::Days(days) => {
                if start_new(&groups) {
                    groups.push((Vec::new(), Vec::new()));
                }
                let g = groups.last_mut()?;
                g.0.extend(days.into_iter().map(Day::Weekly));
            }
            Word::Date(d) => {
                if start_new(&groups) {
                    groups.push((Vec::new(), Vec::new()));
                }
                groups.last_mut()?.0.push(Day::Date(d));
            }
            Word::Slot(s) => groups.last_mut()?.1.push(s),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (days, slots) in groups {
        let slots = if slots.is_empty() {
            vec![DaySlot::AllDay]
        } else {
            slots
        };
        for d in &days {
            for &slot in &slots {
                out.push(match *d {
                    Day::Weekly(day) => AvailabilityItem::Weekly { day, slot },
                    Day::Date(date) => AvailabilityItem::Date { date, slot },
                });
            }
        }
    }
    Some(out)
}

/// Everything a volunteer said about when they can come.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Availability {
    pub items: Vec<AvailabilityItem>,
}

impl Availability {
    /// Parses a list separated by `;`, `,` or `/` (e.g. "sam matin;dim", "Sat AM, 2026-03-14
    /// evening"); an error names the piece it could not read.
    pub fn parse(text: &str) -> Result<Availability, String> {
        let (a, unknown) = Availability::parse_lenient(text);
        match unknown.first() {
            None => Ok(a),
            Some(p) => Err(format!(
                "availability “{p}” not understood (expected e.g. “sam matin”, “Saturday afternoon”, “2026-03-14 soir”)"
            )),
        }
    }

    /// As [`Availability::parse`], keeping what it understands and returning the pieces it
    /// could not read (roster imports keep those as warnings).
    pub fn parse_lenient(text: &str) -> (Availability, Vec<String>) {
        let mut items = Vec::new();
        let mut unknown = Vec::new();
        for p in pieces(text) {
            match parse_piece(&p) {
                Some(its) => items.extend(its),
                None => unknown.push(p),
            }
        }
        (Availability::normalised(items), unknown)
    }

    /// Sorted, without repeats, and without slots of a day (or date) also given whole.
    fn normalised(mut items: Vec<AvailabilityItem>) -> Availability {
        items.sort();
        items.dedup();
        let whole: Vec<AvailabilityItem> = items
            .iter()
            .filter(|i| i.slot() == DaySlot::AllDay)
            .copied()
            .collect();
        items.retain(|i| {
            i.slot() == DaySlot::AllDay
                || !whole.iter().any(|w| match (*w, *i) {
                    (
                        AvailabilityItem::Weekly { day: a, .. },
                        AvailabilityItem::Weekly { day: b, .. },
                    ) => a == b,
                    (
                        AvailabilityItem::Date { date: a, .. },
                        AvailabilityItem::Date { date: b, .. },
                    ) => a == b,
                    _ => false,
                })
        });
        Availability { items }
    }

    /// Canonical text, parsed back by [`Availability::parse`]: "sat morning; sun; 2026-03-14
    /// evening".
    pub fn to_text(&self) -> String {
        self.items
            .iter()
            .map(AvailabilityItem::to_text)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// True when the slots given for `date` (by date or by its weekday) cover at least half of
    /// `start..end`. An empty window is covered when its instant falls in a slot.
    pub fn covers(&self, date: NaiveDate, start: NaiveTime, end: NaiveTime) -> bool {
        let minute = |t: NaiveTime| t.num_seconds_from_midnight() / 60;
        let (s, e) = (minute(start), minute(end));
        let mut spans: Vec<(u32, u32)> = self
            .items
            .iter()
            .filter(|i| i.is_on(date))
            .map(|i| i.slot().minutes())
            .collect();
        if e <= s {
            return spans.iter().any(|&(a, b)| a <= s && s < b);
        }
        spans.sort_unstable();
        // Length of the union of the spans inside the window.
        let mut covered = 0u32;
        let mut reach = s;
        for (a, b) in spans {
            let a = a.max(reach);
            let b = b.min(e);
            if b > a {
                covered += b - a;
                reach = b;
            }
        }
        2 * covered >= e - s
    }

    /// True when any item falls on that weekday (a dated item counts on its own weekday), in
    /// `slot` when given (`AllDay` matches every slot).
    pub fn on_weekday(&self, day: Weekday, slot: Option<DaySlot>) -> bool {
        self.items
            .iter()
            .any(|i| i.weekday() == day && slot.is_none_or(|s| i.slot().answers(s)))
    }

    /// True when any item speaks about `date` (that date, or its weekday), in `slot` when given.
    pub fn on_date(&self, date: NaiveDate, slot: Option<DaySlot>) -> bool {
        self.items
            .iter()
            .any(|i| i.is_on(date) && slot.is_none_or(|s| i.slot().answers(s)))
    }

    /// True when any item is in `slot`, whatever the day.
    pub fn in_slot(&self, slot: DaySlot) -> bool {
        self.items.iter().any(|i| i.slot().answers(slot))
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn weekly(day: Weekday, slot: DaySlot) -> AvailabilityItem {
        AvailabilityItem::Weekly { day, slot }
    }

    #[test]
    fn weekdays_and_slots_in_french_and_english() {
        for s in [
            "sam",
            "Samedi",
            "SAT",
            "saturday",
            "Sam.",
            "samedis",
            "Saturdays",
        ] {
            assert_eq!(parse_weekday(s), Some(Weekday::Sat), "{s}");
        }
        assert_eq!(parse_weekday("Mercredi"), Some(Weekday::Wed));
        assert_eq!(parse_weekday("thurs"), Some(Weekday::Thu));
        assert_eq!(parse_weekday("dim"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("samba"), None);
        for (s, slot) in [
            ("matin", DaySlot::Morning),
            ("AM", DaySlot::Morning),
            ("après-midi", DaySlot::Afternoon),
            ("apres-midi", DaySlot::Afternoon),
            ("Après midi", DaySlot::Afternoon),
            ("pm", DaySlot::Afternoon),
            ("afternoon", DaySlot::Afternoon),
            ("soir", DaySlot::Evening),
            ("Soirée", DaySlot::Evening),
            ("evening", DaySlot::Evening),
            ("journée", DaySlot::AllDay),
        ] {
            assert_eq!(parse_slot(s), Some(slot), "{s}");
        }
        assert_eq!(parse_slot("brunch"), None);
    }

    #[test]
    fn lists_with_every_separator() {
        let a = Availability::parse("sam matin;sam soir").unwrap();
        assert_eq!(
            a.items,
            vec![
                weekly(Weekday::Sat, DaySlot::Morning),
                weekly(Weekday::Sat, DaySlot::Evening)
            ]
        );
        let a = Availability::parse("Saturday afternoon, dim / mer soir").unwrap();
        assert_eq!(a.to_text(), "wed evening; sat afternoon; sun");
        let a = Availability::parse("sat am; 2026-03-14 evening, 21/03/2026 matin").unwrap();
        assert_eq!(
            a.to_text(),
            "sat morning; 2026-03-14 evening; 2026-03-21 morning"
        );
        let a = Availability::parse("14/03/2026").unwrap();
        assert_eq!(
            a.items,
            vec![AvailabilityItem::Date {
                date: d(2026, 3, 14),
                slot: DaySlot::AllDay
            }]
        );
        let a = Availability::parse("sam après-midi").unwrap();
        assert_eq!(a.items, vec![weekly(Weekday::Sat, DaySlot::Afternoon)]);
    }

    #[test]
    fn several_days_and_slots_in_one_piece() {
        let a = Availability::parse("sam et dim matin").unwrap();
        assert_eq!(a.to_text(), "sat morning; sun morning");
        let a = Availability::parse("samedi matin et après-midi").unwrap();
        assert_eq!(a.to_text(), "sat morning; sat afternoon");
        let a = Availability::parse("week-end").unwrap();
        assert_eq!(a.to_text(), "sat; sun");
        let a = Availability::parse("lun-mer soir").unwrap();
        assert_eq!(a.to_text(), "mon evening; tue evening; wed evening");
        // A whole day absorbs its slots; repeats are dropped.
        let a = Availability::parse("sam matin; sam; sam; Sunday evening").unwrap();
        assert_eq!(a.to_text(), "sat; sun evening");
    }

    #[test]
    fn unknown_pieces_are_named() {
        let e = Availability::parse("sam matin; quand je peux").unwrap_err();
        assert!(e.contains("quand je peux"), "{e}");
        assert!(
            Availability::parse("matin").is_err(),
            "a slot without a day"
        );
        let (a, unknown) = Availability::parse_lenient("dim; 32/13/2026; n'importe");
        assert_eq!(a.to_text(), "sun");
        assert_eq!(unknown, vec!["32/13/2026", "n'importe"]);
        assert!(Availability::parse("").unwrap().is_empty());
    }

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "sam matin;sam soir",
            "Saturday afternoon",
            "dim",
            "mer soir, ven matin, 2026-03-14, 15/03/2026 après-midi",
            "sat am / sun pm",
            "mon; tue morning; wed afternoon; thu evening; fri; sat; sun",
        ] {
            let a = Availability::parse(text).unwrap();
            let canon = a.to_text();
            let b = Availability::parse(&canon).unwrap();
            assert_eq!(a, b, "{text} → {canon}");
            assert_eq!(b.to_text(), canon);
        }
    }

    #[test]
    fn covers_half_of_the_window() {
        let sat = d(2026, 3, 14); // a Saturday
        assert_eq!(sat.weekday(), Weekday::Sat);
        let a = Availability::parse("sam matin").unwrap();
        assert!(a.covers(sat, t(10, 0), t(12, 30)), "2 h of 2.5 h");
        assert!(a.covers(sat, t(10, 0), t(14, 0)), "exactly half");
        assert!(!a.covers(sat, t(11, 0), t(14, 0)), "1 h of 3 h");
        assert!(!a.covers(d(2026, 3, 15), t(10, 0), t(12, 0)), "Sunday");
        // Adjacent slots add up; overlapping ones are not counted twice.
        let a = Availability::parse("sam matin; sam après-midi; sam; 2026-03-14 matin").unwrap();
        assert!(a.covers(sat, t(6, 0), t(20, 0)));
        let a = Availability::parse("sam matin; sam après-midi").unwrap();
        assert!(a.covers(sat, t(11, 0), t(13, 0)));
        assert!(!a.covers(sat, t(17, 0), t(21, 0)), "1 h of 4 h");
        // A date counts on that date only, whole day included.
        let a = Availability::parse("2026-03-14").unwrap();
        assert!(a.covers(sat, t(18, 0), t(21, 0)));
        assert!(!a.covers(d(2026, 3, 21), t(10, 0), t(12, 0)));
        let a = Availability::parse("14/03/2026 soir").unwrap();
        assert!(!a.covers(sat, t(10, 0), t(12, 0)));
        assert!(
            a.covers(sat, t(19, 0), t(19, 0)),
            "an instant inside a slot"
        );
        assert!(!Availability::default().covers(sat, t(10, 0), t(12, 0)));
    }

    #[test]
    fn weekday_questions() {
        let a = Availability::parse("sam matin; 2026-03-15 soir").unwrap();
        assert!(a.on_weekday(Weekday::Sat, None));
        assert!(a.on_weekday(Weekday::Sat, Some(DaySlot::Morning)));
        assert!(!a.on_weekday(Weekday::Sat, Some(DaySlot::Evening)));
        assert!(
            a.on_weekday(Weekday::Sun, Some(DaySlot::Evening)),
            "dated item"
        );
        assert!(!a.on_weekday(Weekday::Mon, None));
        let whole = Availability::parse("dimanche").unwrap();
        assert!(whole.on_weekday(Weekday::Sun, Some(DaySlot::Afternoon)));
        assert!(a.on_date(d(2026, 3, 21), Some(DaySlot::Morning)));
        assert!(!a.on_date(d(2026, 3, 22), None));
        assert!(a.in_slot(DaySlot::Evening) && !a.in_slot(DaySlot::Afternoon));
    }
}
