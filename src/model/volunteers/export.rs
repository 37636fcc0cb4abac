//! Getting in touch with a selection of volunteers: CSV and vCard 3.0 files, lists of phones and
//! emails to paste, and prepared `mailto:` / `sms:` links (percent-encoded).

use std::collections::HashMap;

use crate::model::volunteers::Volunteer;
use crate::model::volunteers::roster::{email_key, phone_key};

/// Header of [`to_csv`]; the roster import reads it back (id, partner and homes included).
pub const CSV_HEADER: [&str; 15] = [
    "id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "address",
    "availability",
    "languages",
    "role",
    "consent_date",
    "partner",
    "mobility",
    "notes",
    "lon",
    "lat",
];

/// The id a volunteer is exported under: their roster id, else `V<row id>`.
fn export_id(v: &Volunteer) -> String {
    v.ext_id
        .clone()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| format!("V{}", v.id))
}

/// CSV (`,`-separated, UTF-8, header row) of the volunteers: id, first name, last name, phone,
/// email, address, availability, languages, role, consent date, partner (then mobility, notes
/// and home lon/lat, so the file imports back as is).
pub fn to_csv(volunteers: &[Volunteer]) -> String {
    to_csv_with_roster(volunteers, volunteers)
}

/// As [`to_csv`], naming partners who are not in the selection through `roster`.
pub fn to_csv_with_roster(volunteers: &[Volunteer], roster: &[Volunteer]) -> String {
    let ids: HashMap<i64, String> = roster
        .iter()
        .chain(volunteers)
        .map(|v| (v.id, export_id(v)))
        .collect();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(CSV_HEADER);
    for v in volunteers {
        let home = v.home_lonlat();
        let _ = w.write_record([
            export_id(v),
            v.first_name.clone(),
            v.last_name.clone(),
            v.phone.clone(),
            v.email.clone(),
            v.address.clone(),
            v.availability.to_text(),
            v.languages.join("; "),
            v.role.clone(),
            v.consent_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            v.partner_id
                .and_then(|p| ids.get(&p).cloned())
                .unwrap_or_default(),
            v.mobility.clone(),
            v.notes.clone(),
            home.map(|h| format!("{:.6}", h[0])).unwrap_or_default(),
            home.map(|h| format!("{:.6}", h[1])).unwrap_or_default(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A vCard text value: `\`, `,`, `;` and newlines escaped (RFC 2426).
pub fn vcard_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (continuation lines start with a space), CRLF ended.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// vCard 3.0 cards (N, FN, TEL;TYPE=CELL, EMAIL, ADR, NOTE), CRLF line ends, escaped values.
pub fn to_vcard(volunteers: &[Volunteer]) -> String {
    let mut out = String::new();
    for v in volunteers {
        push_line(&mut out, "BEGIN:VCARD");
        push_line(&mut out, "VERSION:3.0");
        push_line(
            &mut out,
            &format!(
                "N:{};{};;;",
                vcard_escape(v.last_name.trim()),
                vcard_escape(v.first_name.trim())
            ),
        );
        push_line(&mut out, &format!("FN:{}", vcard_escape(&v.full_name())));
        if !v.phone.trim().is_empty() {
            let tel = phone_key(&v.phone).unwrap_or_else(|| v.phone.trim().to_owned());
            push_line(&mut out, &format!("TEL;TYPE=CELL:{}", vcard_escape(&tel)));
        }
        if !v.email.trim().is_empty() {
            push_line(
                &mut out,
                &format!("EMAIL;TYPE=INTERNET:{}", vcard_escape(v.email.trim())),
            );
        }
        if !v.address.trim().is_empty() {
            // The address as typed goes in the street component.
            push_line(
                &mut out,
                &format!("ADR;TYPE=HOME:;;{};;;;", vcard_escape(v.address.trim())),
            );
        }
        if let Some([lon, lat]) = v.home_lonlat() {
            push_line(&mut out, &format!("GEO:{lat:.6};{lon:.6}"));
        }
        if !v.role.trim().is_empty() {
            push_line(&mut out, &format!("ROLE:{}", vcard_escape(v.role.trim())));
        }
        let mut note = Vec::new();
        if !v.availability.is_empty() {
            note.push(format!("availability: {}", v.availability.to_text()));
        }
        if !v.languages.is_empty() {
            note.push(format!("languages: {}", v.languages.join(", ")));
        }
        if !v.notes.trim().is_empty() {
            note.push(v.notes.trim().to_owned());
        }
        if !note.is_empty() {
            push_line(
                &mut out,
                &format!("NOTE:{}", vcard_escape(&note.join("\n"))),
            );
        }
        push_line(&mut out, &format!("UID:porte-volunteer-{}", v.id));
        push_line(&mut out, "END:VCARD");
    }
    out
}

/// Phones, one per line, for volunteers that have one.
pub fn phone_list(volunteers: &[Volunteer]) -> String {
    let mut out = String::new();
    for v in volunteers.iter().filter(|v| !v.phone.trim().is_empty()) {
        out.push_str(v.phone.trim());
        out.push('\n');
    }
    out
}

/// Emails separated by ", " (paste into a mail client's To field).
pub fn email_list(volunteers: &[Volunteer]) -> String {
    volunteers
        .iter()
        .map(|v| v.email.trim())
        .filter(|e| !e.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Percent-encodes everything but RFC 3986 unreserved characters (UTF-8 bytes), so the text is
/// safe in a URI query or path.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Line ends as CRLF (RFC 6068 wants `%0D%0A` in a mailto body).
fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// `mailto:` link to one volunteer with subject and body; `None` without an email.
pub fn mailto_link(v: &Volunteer, subject: &str, body: &str) -> Option<String> {
    email_key(&v.email)?;
    let to = v.email.trim();
    let to = match to.split_once('@') {
        Some((local, domain)) => format!("{}@{}", percent_encode(local), percent_encode(domain)),
        None => percent_encode(to),
    };
    let mut link = format!("mailto:{to}");
    let mut sep = '?';
    if !subject.is_empty() {
        link.push_str(&format!("{sep}subject={}", percent_encode(subject)));
        sep = '&';
    }
    if !body.is_empty() {
        link.push_str(&format!("{sep}body={}", percent_encode(&crlf(body))));
    }
    Some(link)
}

/// `sms:` link to one volunteer with a body (`sms:+33612345678?body=…`); `None` without a
/// phone.
pub fn sms_link(v: &Volunteer, body: &str) -> Option<String> {
    let number = phone_key(&v.phone)?;
    let mut link = format!("sms:{number}");
    if !body.is_empty() {
        link.push_str(&format!("?body={}", percent_encode(body)));
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::volunteers::Availability;
    use chrono::NaiveDate;
    use geo_types::Point;

    fn vols() -> Vec<Volunteer> {
        vec![
            Volunteer {
                id: 1,
                ext_id: Some("B01".into()),
                first_name: "José".into(),
                last_name: "Dupré; Jr".into(),
                phone: "06 77 94 71 79".into(),
                email: "jose.dupre@example.org".into(),
                address: "22 Rue des Libellules, 45310 Saint-Aubin".into(),
                home_wgs84: Some(Point::new(1.606976, 48.051507)),
                availability: Availability::parse("sam matin; sam soir").unwrap(),
                languages: vec!["français".into(), "anglais".into()],
                role: "responsable d'équipe".into(),
                notes: "clé\\porte\nau fond".into(),
                consent_date: NaiveDate::from_ymd_opt(2026, 3, 20),
                partner_id: Some(2),
                ..Volunteer::default()
            },
            Volunteer {
                id: 2,
                first_name: "Ana".into(),
                last_name: "Silva".into(),
                partner_id: Some(1),
                ..Volunteer::default()
            },
        ]
    }

    #[test]
    fn csv_quotes_and_names_partners() {
        let csv = to_csv(&vols());
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            rdr.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER
        );
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "B01");
        assert_eq!(&rows[0][2], "Dupré; Jr");
        assert_eq!(&rows[0][5], "22 Rue des Libellules, 45310 Saint-Aubin");
        assert_eq!(&rows[0][6], "sat morning; sat evening");
        assert_eq!(&rows[0][9], "2026-03-20");
        assert_eq!(&rows[0][10], "V2");
        assert_eq!(&rows[1][10], "B01");
        assert_eq!(&rows[0][13], "1.606976");
        assert!(csv.contains("\r\n"));
    }

    #[test]
    fn vcards_are_escaped_and_crlf() {
        let vcf = to_vcard(&vols());
        assert_eq!(vcf.matches("BEGIN:VCARD\r\n").count(), 2);
        assert_eq!(vcf.matches("END:VCARD\r\n").count(), 2);
        assert!(vcf.contains("N:Dupré\\; Jr;José;;;\r\n"), "{vcf}");
        assert!(vcf.contains("TEL;TYPE=CELL:+33677947179\r\n"));
        assert!(vcf.contains("ADR;TYPE=HOME:;;22 Rue des Libellules\\, 45310 Saint-Aubin;;;;\r\n"));
        assert!(vcf.contains("clé\\\\porte\\nau fond"), "{vcf}");
        assert!(vcf.contains("GEO:48.051507;1.606976\r\n"));
        // No bare LF; no line over 75 octets.
        assert_eq!(vcf.matches('\n').count(), vcf.matches("\r\n").count());
        assert!(vcf.split("\r\n").all(|l| l.len() <= 75));
        assert!(!vcf.contains("EMAIL") || vcf.matches("EMAIL").count() == 1);
    }

    #[test]
    fn long_lines_fold_on_char_boundaries() {
        let mut out = String::new();
        push_line(&mut out, &format!("NOTE:{}", "é".repeat(60)));
        let lines: Vec<&str> = out.trim_end().split("\r\n").collect();
        assert!(lines.len() == 2 && lines[1].starts_with(' '));
        assert!(lines.iter().all(|l| l.len() <= 75));
        let joined: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(joined, format!("NOTE:{}", "é".repeat(60)));
    }

    #[test]
    fn lists_and_links() {
        let v = vols();
        assert_eq!(phone_list(&v), "06 77 94 71 79\n");
        assert_eq!(email_list(&v), "jose.dupre@example.org");
        let link =
            mailto_link(&v[0], "Samedi 14 mars", "Bonjour José,\nà samedi & merci ?").unwrap();
        assert_eq!(
            link,
            "mailto:jose.dupre@example.org?subject=Samedi%2014%20mars&body=Bonjour%20Jos%C3%A9%2C%0D%0A%C3%A0%20samedi%20%26%20merci%20%3F"
        );
        assert_eq!(mailto_link(&v[1], "x", "y"), None);
        assert_eq!(
            sms_link(&v[0], "RDV 10h #1").unwrap(),
            "sms:+33677947179?body=RDV%2010h%20%231"
        );
        assert_eq!(sms_link(&v[1], "x"), None);
        assert_eq!(percent_encode("a-b_c.d~e f+g/h"), "a-b_c.d~e%20f%2Bg%2Fh");
    }
}
