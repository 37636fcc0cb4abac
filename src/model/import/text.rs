//! Text tables shared by every CSV reader: bytes (gunzipped when the name ends in `.gz`), BOM,
//! encoding detection (UTF-8, UTF-16 with BOM, else Windows-1252), delimiter detection among
//! `;` `,` tab `|`, and a flexible `csv::Reader` over the decoded text with its header.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::error::ImportError;

/// Delimiters Porte recognises, in order of preference when scores tie.
pub const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// How many records after the header are used to confirm the delimiter.
const SNIFF_RECORDS: usize = 50;

/// A delimited text file, decoded to UTF-8, with its header row.
#[derive(Clone, Debug)]
pub struct TextTable {
    pub path: PathBuf,
    /// "UTF-8", "UTF-16LE", "UTF-16BE" or "windows-1252" (a superset of Latin-1).
    pub encoding: &'static str,
    /// The field delimiter, one of [`DELIMITERS`].
    pub delimiter: u8,
    /// Header names, trimmed, in file order (an empty name stays empty).
    pub headers: Vec<String>,
    /// 1-based line of the header in the file (2 when a `sep=;` line precedes it).
    pub header_line: u64,
    /// The decoded text, starting at the header line.
    text: String,
}

/// One data record with its 1-based line number in the file (the header is line 1, as a
/// spreadsheet numbers rows; a quoted field spanning lines makes later records' lines larger).
#[derive(Clone, Debug)]
pub struct TextRecord {
    pub line: u64,
    pub fields: csv::StringRecord,
}

impl TextRecord {
    /// Field `i`, trimmed, or "" when the record is short.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(str::trim).unwrap_or("")
    }
    /// True when every field is empty or blank.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

impl TextTable {
    /// The delimiter as a display string ("tab" for `\t`).
    pub fn delimiter_name(&self) -> String {
        match self.delimiter {
            b'\t' => "tab".to_owned(),
            d => (d as char).to_string(),
        }
    }

    /// Index of the column whose name equals `name` (trimmed, case-insensitive).
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.headers
            .iter()
            .position(|h| h == name)
            .or_else(|| {
                self.headers
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(name))
            })
            .or_else(|| {
                let n = name.to_lowercase();
                self.headers.iter().position(|h| h.to_lowercase() == n)
            })
    }

    /// A flexible `csv::Reader` over the data records (the header already consumed).
    pub fn reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(self.text.as_bytes())
    }

    /// Every data record with its file line. A record the CSV parser cannot read is an error
    /// naming the file and the line (with flexible records this only happens on I/O-like faults).
    pub fn records(&self) -> impl Iterator<Item = Result<TextRecord, ImportError>> + '_ {
        let offset = self.header_line - 1;
        let path = self.path.clone();
        let bytes = self.text.as_bytes();
        // Lines are counted from byte offsets (csv's own line counter is off by one on CRLF).
        let mut cursor = (0usize, 1u64); // (byte, line at that byte)
        let mut line_at = move |byte: usize| -> u64 {
            // The record starts at `byte`, or at the `\n` of a CRLF just before it.
            let end = (byte + 1).min(bytes.len());
            let (from, mut line) = if cursor.0 <= end { cursor } else { (0, 1) };
            line += bytes[from..end].iter().filter(|&&b| b == b'\n').count() as u64;
            cursor = (end, line);
            line
        };
        self.reader().into_records().map(move |r| match r {
            Ok(fields) => Ok(TextRecord {
                line: fields
                    .position()
                    .map(|p| line_at(p.byte() as usize))
                    .unwrap_or(0)
                    + offset,
                fields,
            }),
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| line_at(p.byte() as usize) + offset)
                    .unwrap_or(0);
                Err(ImportError::format(
                    &path,
                    if line > 0 {
                        format!("row {line}")
                    } else {
                        String::new()
                    },
                    format!("unreadable CSV record: {e}"),
                ))
            }
        })
    }

    /// Size of the decoded text in bytes (for progress estimates).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }
}

/// Reads a file's bytes, gunzipping when its name ends in `.gz`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    let raw = std::fs::read(path).map_err(|e| ImportError::io(path, e))?;
    let gz = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".gz"));
    if gz || raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| ImportError::format(path, "", format!("damaged gzip data: {e}")))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Decodes text bytes: a UTF-8 BOM is stripped, a UTF-16 BOM selects UTF-16, valid UTF-8 stays
/// UTF-8 and anything else is read as Windows-1252. Returns the text and the encoding's name.
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _) = encoding_rs::UTF_16LE.decode_with_bom_removal(bytes);
        return (text.into_owned(), "UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_with_bom_removal(bytes);
        return (text.into_owned(), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// Reads and decodes a whole text file (gunzipped when `.gz`). Refuses binary files.
pub fn read_text(path: &Path) -> Result<(String, &'static str), ImportError> {
    let bytes = read_bytes(path)?;
    let (text, encoding) = decode_text(&bytes);
    let sample: String = text.chars().take(8192).collect();
    let controls = sample
        .chars()
        .filter(|&c| c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')))
        .count();
    if controls > 0 && (sample.contains('\0') || controls * 20 > sample.chars().count().max(1)) {
        return Err(ImportError::format(
            path,
            "",
            "not a text file (binary content); expected a CSV text file",
        ));
    }
    Ok((text, encoding))
}

/// Counts `delim` in `line` outside double quotes.
fn count_outside_quotes(line: &str, delim: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delim && !in_quotes {
            n += 1;
        }
    }
    n
}

/// Picks the delimiter of `text` (which starts at the header line): candidates present in the
/// header outside quotes, scored by how many of the next records have the header's field count.
pub fn detect_delimiter(text: &str) -> Option<u8> {
    let header = text.lines().next().unwrap_or("");
    let mut best: Option<(u8, usize, usize)> = None; // (delim, consistent records, header count)
    for &d in &DELIMITERS {
        let count = count_outside_quotes(header, d);
        if count == 0 {
            continue;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut records = rdr.records();
        let width = match records.next() {
            Some(Ok(r)) => r.len(),
            _ => continue,
        };
        let mut consistent = 0;
        for r in records.take(SNIFF_RECORDS) {
            match r {
                // A trailing empty field or one extra field is common in exports.
                Ok(r) if r.len() == width || r.len() + 1 == width || r.len() == width + 1 => {
                    consistent += 1
                }
                _ => {}
            }
        }
        let better = match best {
            None => true,
            Some((_, c, h)) => consistent > c || (consistent == c && count > h),
        };
        if better {
            best = Some((d, consistent, count));
        }
    }
    best.map(|(d, _, _)| d)
}

/// Opens a delimited text file: decodes it, detects the delimiter (a first `sep=;` line, as Excel
/// writes, is honoured) and reads the header. A binary file, a file without a header line or with
/// a single column is an [`ImportError`] naming the file.
pub fn open_table(path: &Path) -> Result<TextTable, ImportError> {
    let (text, encoding) = read_text(path)?;
    open_table_from_text(path, text, encoding)
}

/// As [`open_table`], on text already decoded (`path` is only used in messages).
pub fn open_table_from_text(
    path: &Path,
    mut text: String,
    encoding: &'static str,
) -> Result<TextTable, ImportError> {
    // Skip blank lines before the header.
    let mut header_line = 1u64;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            header_line += 1;
            start += line.len();
        } else {
            break;
        }
    }
    let mut forced = None;
    let first = text[start..].lines().next().unwrap_or("").trim();
    if let Some(sep) = first
        .strip_prefix("sep=")
        .or_else(|| first.strip_prefix("SEP="))
        && sep.len() == 1
    {
        forced = Some(sep.as_bytes()[0]);
        let skip = text[start..]
            .find('\n')
            .map(|i| i + 1)
            .unwrap_or(text.len() - start);
        start += skip;
        header_line += 1;
    }
    if start > 0 {
        text.drain(..start);
    }
    if text.trim().is_empty() {
        return Err(ImportError::format(path, "", "empty file: no header line"));
    }
    let delimiter = match forced.or_else(|| detect_delimiter(&text)) {
        Some(d) => d,
        None => {
            return Err(ImportError::format(
                path,
                format!("row {header_line}"),
                "a single column: no `;`, `,`, tab or `|` delimiter found in the header line",
            ));
        }
    };
    let mut table = TextTable {
        path: path.to_path_buf(),
        encoding,
        delimiter,
        headers: Vec::new(),
        header_line,
        text,
    };
    let headers: Vec<String> = {
        let mut rdr = table.reader();
        let h = rdr.headers().map_err(|e| {
            ImportError::format(
                path,
                format!("row {header_line}"),
                format!("unreadable header: {e}"),
            )
        })?;
        h.iter().map(|s| s.trim().to_owned()).collect()
    };
    let named = headers.iter().filter(|h| !h.is_empty()).count();
    if named < 2 {
        return Err(ImportError::format(
            path,
            format!("row {header_line}"),
            "a single named column: expected a header line with several columns",
        ));
    }
    let numeric = headers
        .iter()
        .filter(|h| !h.is_empty())
        .filter(|h| {
            h.replace([',', '.', ' ', '-'], "")
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .count();
    if numeric == named {
        return Err(ImportError::format(
            path,
            format!("row {header_line}"),
            "no header line: the first line holds only numbers",
        ));
    }
    table.headers = headers;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn rows(t: &TextTable) -> Vec<(u64, Vec<String>)> {
        t.records()
            .map(|r| {
                let r = r.unwrap();
                (r.line, r.fields.iter().map(str::to_owned).collect())
            })
            .collect()
    }

    #[test]
    fn semicolon_utf8_with_bom_and_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "a.csv",
            "\u{feff}ID;Nom;geo\r\n1-1;Élysée;\"2.3, 48.8\"\r\n1-2;Hôtel;\"a;b\"\r\n".as_bytes(),
        );
        let t = open_table(&p).unwrap();
        assert_eq!(t.encoding, "UTF-8");
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.headers, vec!["ID", "Nom", "geo"]);
        let r = rows(&t);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].0, 2);
        assert_eq!(r[1].1, vec!["1-2", "Hôtel", "a;b"]);
        assert_eq!(t.column("nom"), Some(1));
    }

    #[test]
    fn latin1_accents_come_out_right() {
        let dir = tempfile::tempdir().unwrap();
        // "Libellé;Exprimés\nMÉLENCHON;12\n" in Latin-1.
        let mut bytes = b"Libell\xe9,Exprim\xe9s\n".to_vec();
        bytes.extend_from_slice(b"M\xc9LENCHON Fran\xe7ois,12\n");
        let p = write(&dir, "l1.csv", &bytes);
        let t = open_table(&p).unwrap();
        assert_eq!(t.encoding, "windows-1252");
        assert_eq!(t.delimiter, b',');
        assert_eq!(t.headers, vec!["Libellé", "Exprimés"]);
        assert_eq!(rows(&t)[0].1[0], "MÉLENCHON François");
    }

    #[test]
    fn gzip_tab_and_sep_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.tsv.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"a\tb\tc\n1\t2\t3\n4\t5\t6\n").unwrap();
        std::fs::write(&p, enc.finish().unwrap()).unwrap();
        let t = open_table(&p).unwrap();
        assert_eq!(t.delimiter, b'\t');
        assert_eq!(t.delimiter_name(), "tab");
        assert_eq!(rows(&t)[1], (3, vec!["4".into(), "5".into(), "6".into()]));

        let p = write(&dir, "sep.csv", b"sep=|\nx|y\n1|2\n");
        let t = open_table(&p).unwrap();
        assert_eq!(t.delimiter, b'|');
        assert_eq!(t.header_line, 2);
        assert_eq!(rows(&t)[0].0, 3);
    }

    #[test]
    fn delimiter_checked_on_next_lines() {
        // The header has one comma inside a name but `;` is consistent on the data lines.
        let text = "code;name, long;votes\n1;a;2\n2;b;3\n3;c;4\n";
        assert_eq!(detect_delimiter(text), Some(b';'));
        let text = "a|b,c|d\n1|2,3|4\n5|6,7|8\n";
        // both give consistent widths; `|` and `,` tie on consistency, `|` has more in the header
        assert_eq!(detect_delimiter(text), Some(b'|'));
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "bin.csv", &[0u8, 1, 2, 3, 0xff, 0xfe, 0, 0, 9, 8, 7]);
        let e = open_table(&p).unwrap_err().to_string();
        assert!(
            e.contains("not a text file") && e.contains("bin.csv"),
            "{e}"
        );
        let p = write(&dir, "empty.csv", b"\n\n");
        let e = open_table(&p).unwrap_err().to_string();
        assert!(e.contains("no header") && e.contains("empty.csv"), "{e}");
        let p = write(&dir, "one.csv", b"code\n1\n2\n");
        let e = open_table(&p).unwrap_err().to_string();
        assert!(e.contains("single column") && e.contains("one.csv"), "{e}");
        let p = write(&dir, "nohead.csv", b"1;2;3\n4;5;6\n");
        let e = open_table(&p).unwrap_err().to_string();
        assert!(e.contains("no header line"), "{e}");
        let p = dir.path().join("missing.csv");
        let e = open_table(&p).unwrap_err().to_string();
        assert!(e.contains("missing.csv"), "{e}");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a\tb\né\t2\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (text, enc) = decode_text(&bytes);
        assert_eq!(enc, "UTF-16LE");
        assert_eq!(text, "a\tb\né\t2\n");
    }
}
