//! Accent folding shared by every accent- and case-insensitive search and match (roster, tables).

/// The plain letters of a lower-case accented letter or ligature ("é" → "e", "œ" → "oe"), or
/// `None` for any other character.
pub fn plain_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => return None,
    })
}

/// Lower case without accents or ligatures; each other character goes through `other`, which
/// pushes what it stands for (callers differ on punctuation).
pub fn fold_with(text: &str, mut other: impl FnMut(char, &mut String)) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match plain_letters(c) {
            Some(s) => out.push_str(s),
            None => other(c, &mut out),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_ligatures_fold_and_punctuation_is_the_callers() {
        assert_eq!(fold_with("Œuvre Ø-ß", |c, o| o.push(c)), "oeuvre o-ss");
        assert_eq!(
            fold_with("a-b", |c, o| o.push(if c == '-' { ' ' } else { c })),
            "a b"
        );
    }
}
