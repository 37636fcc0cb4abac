//! `porte dashboard --pdf` (and `--csv`) on the sample city: precinct 4 cut into turfs, the
//! Saturday operation assigned, two tallies and a goal; the PDF read back with `pdftotext`
//! (poppler-utils, installed by scripts/setup) holds the totals, the goal and its status, and
//! the tables, in English and in French.

use crate::common;

use common::{create_saturday_operation, json_of, run_porte, temp_campaign};

fn tally(c: &str, turf: i64, date: &str, counts: [&str; 4]) {
    json_of(&[
        "results",
        "tally",
        c,
        "--turf",
        &turf.to_string(),
        "--date",
        date,
        "--knocked",
        counts[0],
        "--opened",
        counts[1],
        "--contacts",
        counts[2],
        "--refusals",
        counts[3],
        "--json",
    ]);
}

#[test]
fn the_dashboard_pdf_holds_totals_goals_charts_and_tables() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let cut = common::sample_city_cut(c, "4", 75);
    let turfs: Vec<i64> = cut["turfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(turfs.len() >= 2, "{cut}");
    let op = create_saturday_operation(c)["id"].as_i64().unwrap();
    json_of(&[
        "operation",
        "assign",
        c,
        &op.to_string(),
        "--auto",
        "--json",
    ]);
    tally(c, turfs[0], "2026-03-14", ["40", "18", "5", "4"]);
    tally(c, turfs[1], "2026-03-15", ["25", "10", "3", "2"]);
    json_of(&[
        "goals",
        "add",
        c,
        "--name",
        "1000 portes",
        "--metric",
        "doors_knocked",
        "--target",
        "1000",
        "--due",
        "2026-03-31",
        "--json",
    ]);

    // English: 65 of 1,000 doors on 15 March (1 day of 17 gone: 5.9 %) is on track.
    let en = dir.path().join("dashboard-en.pdf");
    let csv = dir.path().join("dashboard.csv");
    let d = json_of(&[
        "dashboard",
        c,
        "--pdf",
        en.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--lang",
        "en",
        "--today",
        "2026-03-15",
        "--json",
    ]);
    assert_eq!(d["knocked"], 65, "{d}");
    assert_eq!(d["goals"][0]["on_track"], true, "{d}");
    assert_eq!(d["goals"][0]["expected"], 59, "1000 × 1/17: {d}");
    assert_eq!(d["first_day"], "2026-03-14", "{d}");
    let pages = d["pdf"]["pages"].as_u64().unwrap();
    assert!(pages >= 1, "{d}");
    assert_eq!(
        d["pdf"]["bytes"].as_u64().unwrap(),
        std::fs::metadata(&en).unwrap().len()
    );
    let text = common::pdf_text(&en);
    for needle in [
        "Campaign dashboard",
        "Knocked",
        "65",
        "1000 portes",
        "on track",
        "65 / 1,000 doors knocked (6.5%)",
        "Doors knocked per day",
        "Cumulative doors knocked and goals",
        "By operation",
        "Samedi matin",
        "By volunteer",
        "By precinct",
        "4 — ",
        "Mar 14",
        &format!("page 1/{pages}"),
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let table = std::fs::read_to_string(&csv).unwrap();
    assert!(table.lines().nth(1) == Some("total,,65,28,8,,,"), "{table}");

    // French, and the summary line without --json.
    let fr = dir.path().join("tableau.pdf");
    let (ok, out, err) = run_porte(&[
        "dashboard",
        c,
        "--pdf",
        fr.to_str().unwrap(),
        "--today",
        "2026-03-15",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("written: ") && out.contains("tableau.pdf"),
        "{out}"
    );
    let text = common::pdf_text(&fr);
    for needle in [
        "Tableau de bord de la campagne",
        "dimanche 15 mars 2026",
        "dans les temps",
        "Par bénévole",
        "Portes frappées par jour",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }

    // Filtered: one operation's results, or a date range; goals stay campaign-wide.
    let op_pdf = dir.path().join("samedi.pdf");
    let one = json_of(&[
        "dashboard",
        c,
        "--operation",
        &op.to_string(),
        "--pdf",
        op_pdf.to_str().unwrap(),
        "--lang",
        "en",
        "--today",
        "2026-03-15",
        "--json",
    ]);
    assert_eq!(
        (&one["knocked"], &one["opened"], &one["contacts"]),
        (&40.into(), &18.into(), &5.into()),
        "{one}"
    );
    assert_eq!(one["by_day"].as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one["goals"][0]["value"], 65, "{one}");
    assert_eq!(one["filter"]["operation_id"], op, "{one}");
    let text = common::pdf_text(&op_pdf);
    assert!(
        text.contains("Samedi matin · Sunday 15 March 2026"),
        "{text}"
    );
    assert!(text.contains("Goals (whole campaign)"), "{text}");
    let sunday = json_of(&[
        "dashboard",
        c,
        "--from",
        "2026-03-15",
        "--to",
        "2026-03-15",
        "--json",
    ]);
    assert_eq!(sunday["knocked"], 25, "{sunday}");
    let precincts = sunday["by_precinct"].as_array().unwrap();
    let sum: i64 = precincts
        .iter()
        .map(|r| r["knocked"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 25, "{sunday}");
    // Precinct rows carry "code — name" for display (the key stays the code).
    assert_eq!(precincts[0]["key"], "4", "{sunday}");
    assert!(
        precincts[0]["label"].as_str().unwrap().starts_with("4 — "),
        "{sunday}"
    );
    let (ok, _, err) = run_porte(&["dashboard", c, "--operation", "99"]);
    assert!(!ok && err.contains("--operation 99"), "{err}");
    let (ok, _, err) = run_porte(&["dashboard", c, "--from", "2026-13-45"]);
    assert!(!ok && err.contains("--from 2026-13-45"), "{err}");

    // A bad language or an unwritable file is a clear error.
    let (ok, _, err) = run_porte(&["dashboard", c, "--pdf", "x.pdf", "--lang", "de"]);
    assert!(!ok && err.contains("--lang de"), "{err}");
    let bad = dir.path().join("no/such/dir/d.pdf");
    let (ok, _, err) = run_porte(&["dashboard", c, "--pdf", bad.to_str().unwrap()]);
    assert!(!ok && err.contains("no/such/dir/d.pdf"), "{err}");
}
