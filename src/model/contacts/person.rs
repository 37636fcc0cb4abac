//! One person as the data-protection requests name them (name, phone, email): which rows are
//! theirs, and where their name, phone (in any formatting) or email appear in free text.

use serde::{Deserialize, Serialize};

use crate::model::volunteers::fold;
use crate::model::volunteers::roster::{email_key, phone_key};

/// What replaces a person's name, phone or email in free text after erasure.
pub const ERASED: &str = "[effacé]";

/// The person a request of access or erasure is about; any field may be empty, not all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonQuery {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// Folded words of a name, sorted: "José Dupré" and "DUPRE José" give the same key.
fn name_key(name: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(name)
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words
}

impl PersonQuery {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.phone.trim().is_empty() && self.email.trim().is_empty()
    }

    /// True when the row's name (in any word order, case and accents ignored), phone (any
    /// formatting) or email (case ignored) is the person's.
    pub fn matches(&self, name: &str, phone: &str, email: &str) -> bool {
        let n = name_key(&self.name);
        if !n.is_empty() && n == name_key(name) {
            return true;
        }
        if let Some(p) = phone_key(&self.phone)
            && phone_key(phone).as_deref() == Some(p.as_str())
        {
            return true;
        }
        if let Some(e) = email_key(&self.email)
            && email_key(email).as_deref() == Some(e.as_str())
        {
            return true;
        }
        false
    }
}

/// Digits a phone is recognised by in free text: the national number without trunk zero or
/// country code ("06 77 94 71 79" → "677947179"); `None` when too short to be found safely.
pub fn phone_digits(phone: &str) -> Option<String> {
    let key = phone_key(phone)?;
    let digits = key.strip_prefix("+33").unwrap_or(&key);
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 6).then_some(digits)
}

/// What identifies a person in free text: names (folded words), phones (digits), emails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needles {
    names: Vec<Vec<String>>,
    phones: Vec<String>,
    emails: Vec<String>,
}

impl Needles {
    /// Adds a name as written and with its last word first ("José Dupré", "Dupré José").
    pub fn add_name(&mut self, name: &str) {
        let words: Vec<String> = fold(name)
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        // A lone word ("Martin") would blank every Martin of the campaign, streets included: a
        // name is searched in text only with its first and last names.
        if words.len() < 2 {
            return;
        }
        let mut reversed = words.clone();
        reversed.rotate_right(1);
        for w in [words, reversed] {
            if !self.names.contains(&w) {
                self.names.push(w);
            }
        }
    }

    pub fn add_phone(&mut self, phone: &str) {
        if let Some(d) = phone_digits(phone)
            && !self.phones.contains(&d)
        {
            self.phones.push(d);
        }
    }

    pub fn add_email(&mut self, email: &str) {
        if let Some(e) = email_key(email)
            && !self.emails.contains(&e)
        {
            self.emails.push(e);
        }
    }

    pub fn from_query(q: &PersonQuery) -> Needles {
        let mut n = Needles::default();
        n.add_name(&q.name);
        n.add_phone(&q.phone);
        n.add_email(&q.email);
        n
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.phones.is_empty() && self.emails.is_empty()
    }

    /// Byte ranges of `text` holding the person's name, phone or email, sorted and merged.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let chars = folded_chars(text);
        let mut spans = Vec::new();
        for words in &self.names {
            find_words(&chars, words, &mut spans);
        }
        for email in &self.emails {
            find_words(&chars, std::slice::from_ref(email), &mut spans);
        }
        for digits in &self.phones {
            find_phone(text, digits, &mut spans);
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// `text` with every finding replaced by [`ERASED`], and how many were replaced.
    pub fn scrub(&self, text: &str) -> (String, usize) {
        let spans = self.find(text);
        if spans.is_empty() {
            return (text.to_string(), 0);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (s, e) in &spans {
            out.push_str(&text[at..*s]);
            out.push_str(ERASED);
            at = *e;
        }
        out.push_str(&text[at..]);
        (out, spans.len())
    }
}

/// The folded text as chars, each with the byte range of the original char it comes from.
pub(crate) fn folded_chars(text: &str) -> Vec<(char, usize, usize)> {
    let mut out = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        for f in fold(c.encode_utf8(&mut [0; 4])).chars() {
            out.push((f, i, end));
        }
    }
    out
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Finds the words in sequence (separated by any run of spaces, commas or dashes), on word
/// boundaries.
fn find_words(chars: &[(char, usize, usize)], words: &[String], spans: &mut Vec<(usize, usize)>) {
    let first: Vec<char> = match words.first() {
        Some(w) => w.chars().collect(),
        None => return,
    };
    for i in 0..chars.len() {
        if chars[i].0 != first[0] || (i > 0 && word_char(chars[i - 1].0)) {
            continue;
        }
        let mut j = i;
        let mut ok = true;
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                let gap = j;
                while j < chars.len()
                    && (chars[j].0.is_whitespace() || matches!(chars[j].0, ',' | '-'))
                {
                    j += 1;
                }
                if j == gap {
                    ok = false;
                    break;
                }
            }
            for c in w.chars() {
                if j < chars.len() && chars[j].0 == c {
                    j += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if !ok {
                break;
            }
        }
        if ok && (j == chars.len() || !word_char(chars[j].0)) {
            spans.push((chars[i].1, chars[j - 1].2));
        }
    }
}

fn phone_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '/' | '(' | ')' | '\u{a0}' | '\u{202f}')
}

/// Finds the phone's digits in runs of digits and separators, with the trunk zero, "33",
/// "0033" or "+" written before them.
fn find_phone(text: &str, digits: &str, spans: &mut Vec<(usize, usize)>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        // One run: digits and separators, ending on a digit.
        let mut run: Vec<(char, usize, usize)> = Vec::new();
        let mut j = i;
        while j < chars.len() {
            let (b, c) = chars[j];
            if c.is_ascii_digit() {
                run.push((c, b, b + 1));
                j += 1;
            } else if phone_separator(c)
                && chars.get(j + 1).is_some_and(|n| {
                    n.1.is_ascii_digit()
                        || (phone_separator(n.1)
                            && chars.get(j + 2).is_some_and(|m| m.1.is_ascii_digit()))
                })
            {
                j += 1;
            } else {
                break;
            }
        }
        let run_digits: String = run.iter().map(|d| d.0).collect();
        let mut from = 0;
        while let Some(k) = run_digits[from..].find(digits) {
            let mut start = from + k;
            let end = start + digits.len();
            if start >= 1 && &run_digits[start - 1..start] == "0" {
                start -= 1;
            }
            if start >= 2 && &run_digits[start - 2..start] == "33" {
                start -= 2;
                if start >= 2 && &run_digits[start - 2..start] == "00" {
                    start -= 2;
                }
            }
            let mut s = run[start].1;
            if s > 0 && text[..s].ends_with('+') {
                s -= 1;
            }
            spans.push((s, run[end - 1].2));
            from = end;
        }
        i = j.max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jose() -> PersonQuery {
        PersonQuery {
            name: "José Dupré".into(),
            phone: "06 77 94 71 79".into(),
            email: "jose.dupre87@example.org".into(),
        }
    }

    #[test]
    fn rows_match_by_name_in_any_order_phone_or_email() {
        let q = jose();
        assert!(q.matches("DUPRE Jose", "", ""));
        assert!(q.matches("", "+33 6 77 94 71 79", ""));
        assert!(q.matches("", "", "Jose.Dupre87@Example.org"));
        assert!(!q.matches("José Dupont", "06 77 94 71 80", "jose@example.org"));
        assert!(!PersonQuery::default().matches("", "", ""));
    }

    #[test]
    fn names_phones_and_emails_are_scrubbed_in_any_formatting() {
        let n = Needles::from_query(&jose());
        let (t, k) = n.scrub(
            "Vu jose  DUPRÉ (tél. +33 (0)6.77.94.71.79, 0677947179) puis Dupré José; mail JOSE.DUPRE87@example.org.",
        );
        assert_eq!(k, 5, "{t}");
        assert_eq!(
            t,
            "Vu [effacé] (tél. [effacé], [effacé]) puis [effacé]; mail [effacé]."
        );
        // Other people and numbers stay.
        let (t, k) = n.scrub("José Duprénaud, 06 77 94 71 78, 2026-03-14");
        assert_eq!(k, 0, "{t}");
        // JSON stays valid.
        let (t, _) = n.scrub(r#"{"name":"José Dupré","phone":"0677947179"}"#);
        assert_eq!(t, r#"{"name":"[effacé]","phone":"[effacé]"}"#);
    }

    #[test]
    fn single_words_and_short_numbers_are_not_searched_in_text() {
        let mut n = Needles::default();
        n.add_name("Ana");
        n.add_name("Martin");
        assert!(n.is_empty());
        n.add_name("Ana Martin");
        assert_eq!(
            n.scrub("Rue Saint-Martin; Ana est venue; Martin Ana").0,
            "Rue Saint-Martin; Ana est venue; [effacé]"
        );
        let mut p = Needles::default();
        p.add_phone("12");
        assert!(p.is_empty());
    }
}
