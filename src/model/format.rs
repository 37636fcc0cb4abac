//! Human formats shared by exports, messages and the UI: long dates ("samedi 14 mars 2026",
//! "1er mars 2026"), times ("10h00" / "10:00") and integers with thousands separators.

use chrono::{Datelike, NaiveDate, NaiveTime};

const FR_DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const EN_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "samedi 14 mars 2026" (the 1st is "1er") or "Saturday 14 March 2026".
pub fn format_date(date: NaiveDate, french: bool) -> String {
    let wd = date.weekday().num_days_from_monday() as usize;
    let days = if french { FR_DAYS } else { EN_DAYS };
    format!("{} {}", days[wd], format_day_month_year(date, french))
}

/// "14 mars 2026" (the 1st is "1er") or "14 March 2026".
pub fn format_day_month_year(date: NaiveDate, french: bool) -> String {
    let m = date.month0() as usize;
    if french {
        let day = if date.day() == 1 {
            "1er".to_owned()
        } else {
            date.day().to_string()
        };
        format!("{day} {} {}", FR_MONTHS[m], date.year())
    } else {
        format!("{} {} {}", date.day(), EN_MONTHS[m], date.year())
    }
}

/// "10h00" in French, "10:00" in English.
pub fn format_time(t: NaiveTime, french: bool) -> String {
    if french {
        t.format("%Hh%M").to_string()
    } else {
        t.format("%H:%M").to_string()
    }
}

/// `n` with `separator` between groups of three digits ("12 345", "12,345").
pub fn group_thousands(n: i64, separator: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_french_and_english() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        assert_eq!(format_date(d, true), "samedi 14 mars 2026");
        assert_eq!(format_date(d, false), "Saturday 14 March 2026");
        let d = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        assert_eq!(format_date(d, true), "samedi 1er août 2026");
        assert_eq!(format_date(d, false), "Saturday 1 August 2026");
    }

    #[test]
    fn day_month_year_and_thousands() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(format_day_month_year(d, true), "1er mars 2026");
        assert_eq!(format_day_month_year(d, false), "1 March 2026");
        assert_eq!(group_thousands(1_234_567, ","), "1,234,567");
        assert_eq!(group_thousands(-1234, " "), "-1 234");
        assert_eq!(group_thousands(12, ","), "12");
    }
}
