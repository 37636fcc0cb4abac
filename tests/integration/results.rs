//! Field results through the CLI on the sample city: the offline walk list's CSV imported back
//! (every outcome on its door, re-import = duplicates, conflicts not applied), a spreadsheet with
//! a column mapping, coverage per precinct and per turf, a tally, and the dashboard totals.

use std::collections::HashMap;

use crate::common;
use crate::common::{json_of, run_porte, temp_campaign};

/// RFC 4180 cell as the walk list's JavaScript writes it.
fn cell(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The walk list's results CSV: header, one CRLF row per filled door.
fn walk_list_csv(turf: i64, rows: &[(i64, i64, &str, bool, &str, &str)]) -> String {
    let mut s = String::from("turf_id,order,address_fid,outcome,contact,note,recorded_at\r\n");
    for (order, fid, outcome, contact, note, at) in rows {
        let cells = [
            turf.to_string(),
            order.to_string(),
            fid.to_string(),
            outcome.to_string(),
            if *contact { "1" } else { "0" }.to_string(),
            note.to_string(),
            at.to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        s.push_str(&line.join(","));
        s.push_str("\r\n");
    }
    s
}

fn precinct_row(cov: &serde_json::Value, code: &str) -> serde_json::Value {
    cov["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == code)
        .unwrap_or_else(|| panic!("precinct {code} in {cov}"))
        .clone()
}

#[test]
fn walk_list_results_round_trip_through_the_cli() {
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let cut = common::sample_city_cut(c, "4", 75);
    assert!(!cut["turfs"].as_array().unwrap().is_empty(), "{cut}");
    let created = common::create_saturday_operation(c);
    let op = created["id"].as_i64().unwrap();
    json_of(&[
        "operation",
        "assign",
        c,
        &op.to_string(),
        "--auto",
        "--json",
    ]);
    // A turf of precinct 4 that a team walks in this operation.
    let turf: i64 = {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let turf_ids: Vec<i64> = cut["turfs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        let walked: Vec<i64> = camp
            .connection()
            .prepare("SELECT turf_id FROM operation_teams WHERE operation_id = ?1 AND turf_id IS NOT NULL")
            .unwrap()
            .query_map([op], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        *turf_ids
            .iter()
            .find(|t| walked.contains(t))
            .expect("a team walks a turf of precinct 4")
    };

    // The offline walk list of the turf, and its doors as its JavaScript sees them.
    let html_path = dir.path().join("turf.html");
    let (ok, _, err) = run_porte(&[
        "export",
        "html",
        c,
        "--turf",
        &turf.to_string(),
        "--operation",
        &op.to_string(),
        "--output",
        html_path.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    let start = html.find("id=\"data\">").unwrap() + "id=\"data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(data["turf_id"], turf);
    let doors: Vec<(i64, i64)> = data["doors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["order"].as_i64().unwrap(),
                d["address_fid"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(doors.len() >= 15, "{} doors", doors.len());

    // The volunteers fill the first ten doors (and leave a note with a comma and quotes).
    let outcomes = [
        "opened",
        "not_home",
        "refused",
        "come_back",
        "moved",
        "do_not_contact",
        "opened",
        "not_home",
        "opened",
        "not_home",
    ];
    let mut rows = Vec::new();
    for (i, (order, fid)) in doors.iter().take(10).enumerate() {
        let note = if i == 0 {
            "Parle de \"propreté\", rappeler, svp"
        } else {
            ""
        };
        rows.push((
            *order,
            *fid,
            outcomes[i],
            i == 0 || i == 6,
            note,
            "2026-03-14T10:15:00.000Z",
        ));
    }
    let csv_path = dir.path().join("porte-turf-results.csv");
    std::fs::write(&csv_path, walk_list_csv(turf, &rows)).unwrap();
    let before = json_of(&["coverage", c, "--json"]);
    let before4 = precinct_row(&before, "4");
    assert_eq!(before4["knocked"], 0);

    let report = json_of(&["results", "import", c, csv_path.to_str().unwrap(), "--json"]);
    assert_eq!(report["format"], "walk_list", "{report}");
    assert_eq!(report["accepted"], 10, "{report}");
    assert_eq!(report["rejected"].as_array().unwrap().len(), 0, "{report}");

    // Every outcome on its door, tied to the operation, turf and a team.
    {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let conn = camp.connection();
        let mut st = conn
            .prepare(
                "SELECT address_fid, outcome, turf_id, operation_id, team_id, visited_on,
                    contact_taken, note FROM visits",
            )
            .unwrap();
        type Row = (
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            String,
            bool,
            String,
        );
        let got: HashMap<i64, Row> = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    (
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ),
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got.len(), 10);
        for (i, (_, fid)) in doors.iter().take(10).enumerate() {
            let v = &got[fid];
            assert_eq!(v.0, outcomes[i], "door {fid}");
            assert_eq!(v.1, Some(turf));
            assert_eq!(v.2, Some(op));
            assert!(v.3.is_some(), "the turf's team is recorded");
            assert_eq!(v.4, "2026-03-14");
            assert_eq!(v.5, i == 0 || i == 6);
        }
        assert_eq!(got[&doors[0].1].6, "Parle de \"propreté\", rappeler, svp");
    }

    // Re-import: all duplicates, nothing added.
    let again = json_of(&["results", "import", c, csv_path.to_str().unwrap(), "--json"]);
    assert_eq!(again["accepted"], 0, "{again}");
    assert_eq!(again["duplicates"].as_array().unwrap().len(), 10);

    // A conflicting file (door 2 opened instead of not_home, door 11 new): reported, not applied.
    let mut conflicting = vec![(
        doors[1].0,
        doors[1].1,
        "opened",
        false,
        "",
        "2026-03-14T11:00:00Z",
    )];
    conflicting.push((
        doors[10].0,
        doors[10].1,
        "opened",
        false,
        "",
        "2026-03-14T11:05:00Z",
    ));
    conflicting.push((
        doors[10].0,
        doors[10].1,
        "opened",
        false,
        "",
        "2026-03-14T11:05:00Z",
    ));
    conflicting.push((99, 999_999, "opened", false, "", "2026-03-14T11:05:00Z"));
    conflicting.push((
        98,
        doors[11].1,
        "peut-être",
        false,
        "",
        "2026-03-14T11:05:00Z",
    ));
    let conflict_path = dir.path().join("conflict.csv");
    std::fs::write(&conflict_path, walk_list_csv(turf, &conflicting)).unwrap();
    let r = json_of(&[
        "results",
        "import",
        c,
        conflict_path.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["accepted"], 1, "{r}");
    assert_eq!(r["conflicts"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["conflicts"][0]["address_fid"], doors[1].1);
    assert_eq!(r["conflicts"][0]["replaced"], false);
    assert_eq!(
        r["duplicates"].as_array().unwrap().len(),
        1,
        "twice in the file: {r}"
    );
    let rejected = r["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{r}");
    assert_eq!(rejected[0]["line"], 5);
    assert!(
        rejected[0]["reason"]
            .as_str()
            .unwrap()
            .contains("unknown door")
    );
    assert!(
        rejected[1]["reason"]
            .as_str()
            .unwrap()
            .contains("unknown outcome")
    );
    let outcome_of = |fid: i64| -> Vec<String> {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let mut st = camp
            .connection()
            .prepare("SELECT outcome FROM visits WHERE address_fid = ?1")
            .unwrap();
        st.query_map([fid], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(outcome_of(doors[1].1), vec!["not_home".to_string()]);
    // With --replace-conflicts the new outcome replaces the recorded one.
    let r = json_of(&[
        "results",
        "import",
        c,
        conflict_path.to_str().unwrap(),
        "--replace-conflicts",
        "--json",
    ]);
    assert_eq!(r["conflicts"][0]["replaced"], true, "{r}");
    assert_eq!(outcome_of(doors[1].1), vec!["opened".to_string()]);

    // A spreadsheet typed from paper sheets, with French headers mapped, dated with --date.
    let sheet = format!(
        "N° porte;Résultat;Remarque;Thèmes\n{};Absent;;\n{};Ouvert;très accueillant, catholique;Écoles|propreté\n{};Porte;;\n",
        doors[12].1, doors[13].1, doors[14].1
    );
    let sheet_path = dir.path().join("feuilles.csv");
    std::fs::write(&sheet_path, sheet).unwrap();
    let r = json_of(&[
        "results",
        "import",
        c,
        sheet_path.to_str().unwrap(),
        "--date",
        "2026-03-14",
        "--map",
        "address_fid=N° porte",
        "--map",
        "outcome=Résultat",
        "--map",
        "note=Remarque",
        "--json",
    ]);
    assert_eq!(r["format"], "spreadsheet");
    assert_eq!(r["accepted"], 2, "{r}");
    assert_eq!(r["rejected"][0]["line"], 4, "{r}");
    assert_eq!(r["sensitive_notes"][0]["line"], 3, "{r}");
    {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let n: i64 = camp
            .connection()
            .query_row(
                "SELECT count(*) FROM visit_tags vt JOIN visits v ON v.id = vt.visit_id
                 WHERE v.address_fid = ?1",
                [doors[13].1],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2, "two themes on the door");
    }
    assert_eq!(outcome_of(doors[13].1), vec!["opened".to_string()]);

    // One visit typed by hand, with a theme and a note that warns (health): tied to the turf,
    // the operation and its team; a door of another turf is refused.
    let manual = json_of(&[
        "results",
        "visit",
        c,
        "--door",
        &doors[20].1.to_string(),
        "--date",
        "2026-03-14",
        "--outcome",
        "à repasser",
        "--theme",
        "logement",
        "--note",
        "mari malade",
        "--json",
    ]);
    assert!(
        !manual["sensitive_words"].as_array().unwrap().is_empty(),
        "{manual}"
    );
    {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let (turf_id, op_id, team, theme): (i64, i64, Option<i64>, String) = camp
            .connection()
            .query_row(
                "SELECT v.turf_id, v.operation_id, v.team_id, t.name FROM visits v
                 JOIN visit_tags vt ON vt.visit_id = v.id JOIN result_tags t ON t.id = vt.tag_id
                 WHERE v.id = ?1",
                [manual["id"].as_i64().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((turf_id, op_id, theme.as_str()), (turf, op, "logement"));
        assert!(team.is_some());
    }
    let (ok, _, err) = run_porte(&[
        "results",
        "visit",
        c,
        "--door",
        "999999",
        "--date",
        "2026-03-14",
        "--outcome",
        "opened",
    ]);
    assert!(!ok && err.contains("not an address"), "{err}");
    let (ok, _, err) = run_porte(&[
        "results",
        "visit",
        c,
        "--door",
        &doors[21].1.to_string(),
        "--date",
        "2026-03-14",
        "--outcome",
        "opened",
        "--theme",
        "astrologie",
    ]);
    assert!(!ok && err.contains("unknown or inactive theme"), "{err}");

    // A spreadsheet by typed address ("number street", matched among the doors), with a
    // contact given with consent, and one without consent (rejected).
    let (typed, typed_fid) = {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let mut st = camp
            .connection()
            .prepare(
                "SELECT a.number || ' ' || a.street FROM addresses a
                 WHERE a.fid = ?1 AND COALESCE(a.suffix, '') = '' AND a.number IS NOT NULL
                   AND (SELECT count(*) FROM addresses b
                        WHERE b.number = a.number AND b.street = a.street) = 1",
            )
            .unwrap();
        doors[15..]
            .iter()
            .find_map(|(_, fid)| {
                st.query_row([fid], |r| r.get::<_, String>(0))
                    .ok()
                    .map(|t| (t, *fid))
            })
            .expect("a door with a unique number + street")
    };
    let sheet2 = format!(
        "Adresse;Résultat;Nom;Téléphone;Consentement\n{typed};ouvert;Jeanne Martin;06 11 22 33 44;2026-03-14\n{typed};ouvert;Paul Durand;06 99 88 77 66;\n1 Rue Qui N'Existe Pas;absent;;;\n"
    );
    let sheet2_path = dir.path().join("feuilles-adresses.csv");
    std::fs::write(&sheet2_path, sheet2).unwrap();
    let r = json_of(&[
        "results",
        "import",
        c,
        sheet2_path.to_str().unwrap(),
        "--date",
        "2026-03-14",
        "--json",
    ]);
    assert_eq!(r["accepted"], 1, "{r}");
    assert_eq!(r["contacts_created"], 1, "{r}");
    let reasons: Vec<&str> = r["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{r}");
    assert!(reasons[0].contains("without consent"), "{r}");
    assert!(reasons[1].contains("not found among the doors"), "{r}");
    assert_eq!(outcome_of(typed_fid), vec!["opened".to_string()]);
    {
        let camp = porte::model::Campaign::open(&campaign).unwrap();
        let (name, fid, consent): (String, i64, String) = camp
            .connection()
            .query_row(
                "SELECT name, address_fid, consent_date FROM contacts",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (name.as_str(), fid, consent.as_str()),
            ("Jeanne Martin", typed_fid, "2026-03-14")
        );
    }

    // Coverage of precinct 4: 15 distinct doors knocked (10 + 1 + 2 + 1 + 1), 9 opened (5 + 4),
    // 3 contacts.
    let after = json_of(&["coverage", c, "--json"]);
    let p4 = precinct_row(&after, "4");
    assert_eq!(p4["knocked"], 15, "{p4}");
    assert_eq!(p4["opened"], 9, "{p4}");
    assert_eq!(p4["contacts"], 3, "{p4}");
    assert_eq!(p4["doors"], before4["doors"]);
    let not_since = json_of(&["coverage", c, "--not-visited-since", "2026-03-14", "--json"]);
    let p4s = precinct_row(&not_since, "4");
    assert_eq!(
        p4s["not_visited_since"].as_i64().unwrap(),
        p4["doors"].as_i64().unwrap() - 15
    );

    // A tally on the turf raises its coverage and the dashboard totals.
    let turf_key = turf.to_string();
    let turf_row = |cov: &serde_json::Value| {
        cov["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == turf_key.as_str())
            .unwrap()
            .clone()
    };
    let t_before = turf_row(&json_of(&["coverage", c, "--turfs", "--json"]));
    assert_eq!(t_before["knocked"], 15);
    let d_before = json_of(&["dashboard", c, "--json"]);
    assert_eq!(d_before["knocked"], 15);
    let (ok, _, err) = run_porte(&[
        "results",
        "tally",
        c,
        "--turf",
        &turf.to_string(),
        "--date",
        "2026-03-14",
        "--knocked",
        "5",
        "--opened",
        "9",
        "--json",
    ]);
    assert!(!ok && err.contains("cannot exceed knocked"), "{err}");
    let tally = json_of(&[
        "results",
        "tally",
        c,
        "--turf",
        &turf.to_string(),
        "--date",
        "2026-03-14",
        "--knocked",
        "20",
        "--opened",
        "8",
        "--contacts",
        "3",
        "--refusals",
        "2",
        "--json",
    ]);
    assert_eq!(tally["operation_id"], op);
    let t_after = turf_row(&json_of(&["coverage", c, "--turfs", "--json"]));
    let doors_in_turf = t_after["doors"].as_i64().unwrap();
    assert_eq!(
        t_after["knocked"].as_i64().unwrap(),
        (15 + 20).min(doors_in_turf)
    );
    let csv_out = dir.path().join("dashboard.csv");
    // Goals: 1,000 doors by the end of March (behind on 15 March), 2 contacts (met).
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
    json_of(&[
        "goals", "add", c, "--name", "contacts", "--metric", "contacts", "--target", "2", "--json",
    ]);
    let (ok, _, err) = run_porte(&[
        "goals", "add", c, "--name", "x", "--metric", "votes", "--target", "2",
    ]);
    assert!(!ok && err.contains("unknown goal metric"), "{err}");
    let d_after = json_of(&[
        "dashboard",
        c,
        "--csv",
        csv_out.to_str().unwrap(),
        "--today",
        "2026-03-15",
        "--json",
    ]);
    assert_eq!(d_after["knocked"], 35);
    assert_eq!(d_after["opened"], 9 + 8);
    assert_eq!(d_after["contacts"], 3 + 3);
    let goals = d_after["goals"].as_array().unwrap();
    assert_eq!(goals[0]["value"], 35);
    assert_eq!(goals[0]["on_track"], false, "{d_after}");
    assert_eq!(goals[1]["value"], 6);
    assert!(goals[1]["on_track"].is_null());
    assert!(goals[1]["share"].as_f64().unwrap() >= 1.0);
    // Per team and per volunteer: the turf's team is credited with every visit and the tally.
    let team = &d_after["by_team"].as_array().unwrap();
    assert_eq!(team.len(), 1, "{d_after}");
    assert_eq!(team[0]["knocked"], 15 + 20);
    let volunteers = d_after["by_volunteer"].as_array().unwrap();
    assert!(!volunteers.is_empty(), "{d_after}");
    assert!(
        volunteers.iter().all(|v| v["knocked"] == 15 + 20),
        "{d_after}"
    );
    assert_eq!(d_after["by_precinct"][0]["key"], "4");
    assert!(table_has_goal(&csv_out));
    assert_eq!(d_after["by_day"][0]["key"], "2026-03-14");
    assert_eq!(d_after["by_operation"][0]["key"], "Samedi matin");
    let table = std::fs::read_to_string(&csv_out).unwrap();
    assert!(
        table.starts_with("table,key,knocked,opened,contacts"),
        "{table}"
    );
    assert!(table.contains("day,2026-03-14,"), "{table}");
}

fn table_has_goal(path: &std::path::Path) -> bool {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .any(|l| l == "goal,1000 portes,35,,,1000,2026-03-31,no")
}

#[test]
fn themes_are_listed_added_renamed_and_deactivated() {
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    json_of(&["info", c, "--json"]);
    let tags = json_of(&["results", "tags", c, "--json"]);
    let names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"logement") && names.contains(&"écoles"),
        "{tags}"
    );
    for sensitive in ["religion", "santé", "syndicat", "origine"] {
        assert!(!names.iter().any(|n| n.contains(sensitive)));
    }
    let tags = json_of(&["results", "tags", c, "--add", "commerces", "--json"]);
    let id = tags
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "commerces")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let rename = format!("{id}=commerces de proximité");
    let id_text = id.to_string();
    let tags = json_of(&[
        "results",
        "tags",
        c,
        "--rename",
        &rename,
        "--deactivate",
        &id_text,
        "--json",
    ]);
    let t = tags
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert_eq!(t["name"], "commerces de proximité");
    assert_eq!(t["active"], false);
    let (ok, _, err) = run_porte(&["results", "tags", c, "--rename", "1=logement"]);
    assert!(!ok && err.contains("already named"), "{err}");
}

/// `porte results visit` with a contact (consent required, only where the door opened) and
/// `porte results doors`: the turf's doors with their last visit, as the app's door entry lists them.
#[test]
fn a_door_visit_with_its_contact_and_the_turfs_doors_through_the_cli() {
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let cut = common::sample_city_cut(c, "4", 75);
    let turf = cut["turfs"][0]["id"].as_i64().unwrap().to_string();
    let doors = json_of(&["results", "doors", c, "--turf", &turf, "--json"]);
    let doors = doors.as_array().unwrap();
    assert_eq!(
        doors.len() as i64,
        cut["turfs"][0]["doors"].as_i64().unwrap()
    );
    assert!(
        doors
            .iter()
            .all(|d| d["visits"] == 0 && d["last_outcome"].is_null())
    );
    let fid = doors[2]["address_fid"].as_i64().unwrap().to_string();

    let visit = |extra: &[&str]| {
        let mut args = vec![
            "results",
            "visit",
            c,
            "--door",
            &fid,
            "--date",
            "2026-03-14",
        ];
        args.extend_from_slice(extra);
        args.push("--json");
        run_porte(&args)
    };
    // No consent date: nothing is recorded.
    let (ok, _, err) = visit(&["--outcome", "opened", "--contact-name", "Claire Martin"]);
    assert!(!ok && err.contains("consented"), "{err}");
    // A contact at a door that refused: refused too.
    let (ok, _, err) = visit(&[
        "--outcome",
        "refused",
        "--contact-name",
        "Claire Martin",
        "--consent-date",
        "2026-03-14",
    ]);
    assert!(!ok && err.contains("opened"), "{err}");
    let (ok, out, err) = visit(&[
        "--outcome",
        "opened",
        "--theme",
        "logement",
        "--wants-callback",
        "--contact-name",
        "Claire Martin",
        "--contact-phone",
        "06 11 22 33 44",
        "--consent-date",
        "14/03/2026",
    ]);
    assert!(ok, "{err}");
    let done: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(done["turf_id"].as_i64().unwrap().to_string(), turf);
    assert!(done["contact_id"].as_i64().is_some(), "{done}");

    let contacts = json_of(&["contacts", "list", c, "--json"]);
    let contacts = contacts.as_array().unwrap();
    assert_eq!(contacts.len(), 1, "{contacts:?}");
    assert_eq!(contacts[0]["name"], "Claire Martin");
    assert_eq!(contacts[0]["tags"], serde_json::json!(["logement"]));
    assert_eq!(contacts[0]["consent_date"], "2026-03-14");

    let doors = json_of(&["results", "doors", c, "--turf", &turf, "--visits", "--json"]);
    let door = doors
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["address_fid"].as_i64().unwrap().to_string() == fid)
        .unwrap();
    assert_eq!(
        door["visits"], 1,
        "the refused attempts left nothing: {door}"
    );
    assert_eq!(door["last_outcome"], "opened");
    assert_eq!(
        door["visits_list"][0]["themes"],
        serde_json::json!(["logement"])
    );
    assert_eq!(door["visits_list"][0]["follow_ups"]["wants_callback"], true);
    assert_eq!(door["visits_list"][0]["contact_taken"], true);

    // "Not visited since": the knocks of a tally dated after the date count, older ones do not.
    json_of(&[
        "results",
        "tally",
        c,
        "--turf",
        &turf,
        "--date",
        "2026-03-14",
        "--knocked",
        "40",
        "--json",
    ]);
    let not_visited_since = |date: &str| {
        let cov = json_of(&[
            "coverage",
            c,
            "--turfs",
            "--not-visited-since",
            date,
            "--json",
        ]);
        let row = cov["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == turf.as_str())
            .unwrap()
            .clone();
        (
            row["doors"].as_i64().unwrap(),
            row["not_visited_since"].as_i64().unwrap(),
        )
    };
    let (doors, before) = not_visited_since("2026-03-01");
    assert_eq!(
        before,
        doors - 1 - 40,
        "one door visit and 40 tallied knocks since 1 March"
    );
    assert_eq!(
        not_visited_since("2026-03-20").1,
        doors,
        "nothing since 20 March"
    );
    let precinct = precinct_row(
        &json_of(&["coverage", c, "--not-visited-since", "2026-03-01", "--json"]),
        "4",
    );
    assert_eq!(
        precinct["not_visited_since"].as_i64().unwrap(),
        precinct["doors"].as_i64().unwrap() - 41,
        "{precinct}"
    );
}
