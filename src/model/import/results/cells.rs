//! What a cell's text means: vote counts (with thousand separators), the keys of total rows, and
//! the turnout pseudo-candidates of OpenElections files ("Registered Voters", "Over Votes"...).

use super::headers::fold;

/// Parses a count: spaces (also non-breaking) and `'` as thousand separators, `12.0`, `1,234`.
/// `Ok(None)` for an empty cell, `Err(())` for anything else.
pub(super) fn parse_count(s: &str) -> Result<Option<i64>, ()> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map(Some).map_err(|_| ());
    }
    if let Some((int, frac)) = s.split_once(['.', ','])
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
    {
        if frac.bytes().all(|b| b == b'0') && !frac.is_empty() && !frac.contains(['.', ',']) {
            return int.parse().map(Some).map_err(|_| ());
        }
        // 1,234 / 1.234.567: thousand separators
        let groups: Vec<&str> = s.split(['.', ',']).collect();
        let sep_count = s.matches(['.', ',']).count();
        let one_sep_kind = !(s.contains('.') && s.contains(','));
        if one_sep_kind
            && sep_count == groups.len() - 1
            && groups[0].len() <= 3
            && groups[1..]
                .iter()
                .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return groups.concat().parse().map(Some).map_err(|_| ());
        }
    }
    Err(())
}

/// Turnout pseudo-candidates of OpenElections files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pseudo {
    Registered,
    Voters,
    Ignored,
    Total,
}

/// The pseudo-candidate a candidate or office label names, if any.
pub(super) fn pseudo_candidate(label: &str) -> Option<Pseudo> {
    Some(match fold(label).as_str() {
        "registered_voters"
        | "registered"
        | "registration"
        | "voters_registered"
        | "total_registered_voters" => Pseudo::Registered,
        "ballots_cast" | "total_ballots_cast" | "ballots" | "total_ballots" | "voters"
        | "turnout" | "ballots_counted" | "times_cast" | "times_counted" => Pseudo::Voters,
        "over_votes" | "overvotes" | "under_votes" | "undervotes" | "over_vote" | "under_vote"
        | "blank_votes" | "rejected_ballots" | "invalid_votes" | "void" => Pseudo::Ignored,
        "total" | "total_votes" | "totals" | "total_votes_cast" | "votes_cast" => Pseudo::Total,
        _ => return None,
    })
}

/// True for a precinct key that names a total or summary row ("TOTAL", "County Total"...).
pub(super) fn is_total_key(key: &str) -> bool {
    let f = fold(key);
    matches!(
        f.as_str(),
        "total"
            | "totals"
            | "totaux"
            | "ensemble"
            | "tous"
            | "toutes"
            | "all"
            | "sum"
            | "somme"
            | "cumul"
    ) || f.starts_with("total_")
        || f.starts_with("grand_total")
        || f.ends_with("_total")
        || f.ends_with("_totals")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_keys() {
        for k in [
            "TOTAL",
            "Total général",
            "Ensemble",
            "County Total",
            "total_paris",
            "Grand Total",
        ] {
            assert!(is_total_key(k), "{k}");
        }
        for k in ["Totalville 1", "15-49", "ALLENTOWN 3", "Tousson"] {
            assert!(!is_total_key(k), "{k}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count(" 1 234 "), Ok(Some(1234)));
        assert_eq!(parse_count("1\u{a0}234"), Ok(Some(1234)));
        assert_eq!(parse_count("12.0"), Ok(Some(12)));
        assert_eq!(parse_count("1,234"), Ok(Some(1234)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("12.5"), Err(()));
        assert_eq!(parse_count("abc"), Err(()));
        assert_eq!(parse_count("-3"), Err(()));
    }
}
