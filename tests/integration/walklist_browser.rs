//! The offline walk list's own JavaScript, run in jsdom (scripts/walklist-check/fill.js): a turf
//! exported with `porte export html`, filled door by door as on a phone (outcome buttons,
//! contact button, a typed note), the tab closed and reopened from localStorage, its CSV
//! exported and imported back with `porte results import`: every outcome lands on its door.

use std::collections::HashMap;

use crate::common;
use crate::common::{json_of, run_porte, temp_campaign};

#[test]
fn walk_list_filled_in_a_headless_browser_imports_back_door_by_door() {
    let Some((node, driver)) = common::walklist_driver() else {
        return;
    };
    let (dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let cut = common::sample_city_cut(c, "4", 75);
    let turf = cut["turfs"][0]["id"].as_i64().expect("a turf");
    let html = dir.path().join("walklist.html");
    let (ok, _, err) = run_porte(&[
        "export",
        "html",
        c,
        "--turf",
        &turf.to_string(),
        "--output",
        html.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");

    // The turf's doors in walking order, as the page lists them.
    let page = std::fs::read_to_string(&html).unwrap();
    let start = page.find("id=\"data\">").unwrap() + "id=\"data\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let fids: Vec<i64> = data["doors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["address_fid"].as_i64().unwrap())
        .collect();
    assert!(fids.len() >= 12, "{} doors", fids.len());

    // Every outcome once, spread over the list (first, middle, last doors), one with a contact
    // and a note holding a comma, quotes and an accent.
    let codes = [
        "opened",
        "not_home",
        "refused",
        "come_back",
        "moved",
        "do_not_contact",
    ];
    let picks = [
        0,
        1,
        fids.len() / 2,
        fids.len() / 2 + 1,
        fids.len() - 2,
        fids.len() - 1,
    ];
    let mut plan = Vec::new();
    let mut expected: HashMap<i64, (&str, bool, &str)> = HashMap::new();
    for (k, (&i, &code)) in picks.iter().zip(&codes).enumerate() {
        let (contact, note) = if k == 0 {
            (true, "Intéressée, \"rappeler\" samedi, après 18h")
        } else {
            (false, "")
        };
        plan.push(serde_json::json!({
            "address_fid": fids[i], "outcome": code, "contact": contact, "note": note,
        }));
        expected.insert(fids[i], (code, contact, note));
    }
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, serde_json::to_string(&plan).unwrap()).unwrap();
    let csv_path = dir.path().join("results.csv");
    let out = std::process::Command::new(&node)
        .arg(&driver)
        .args([&html, &plan_path, &csv_path])
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary["count_after_reload"], summary["count_before"],
        "the page keeps what was typed when reopened: {summary}"
    );
    assert!(
        summary["count_after_reload"]
            .as_str()
            .unwrap()
            .starts_with("6 / "),
        "{summary}"
    );

    let report = json_of(&[
        "results",
        "import",
        c,
        csv_path.to_str().unwrap(),
        "--date",
        "2026-03-14",
        "--json",
    ]);
    assert_eq!(report["accepted"], 6, "{report:#}");
    assert_eq!(
        report["rejected"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );

    let camp = porte::model::Campaign::open(&campaign).unwrap();
    let mut stmt = camp
        .connection()
        .prepare("SELECT address_fid, turf_id, outcome, contact_taken, note FROM visits")
        .unwrap();
    let visits: Vec<(i64, Option<i64>, String, bool, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(visits.len(), 6);
    for (fid, turf_id, outcome, contact, note) in visits {
        let (code, want_contact, want_note) = expected[&fid];
        assert_eq!(outcome, code, "door {fid}");
        assert_eq!(turf_id, Some(turf), "door {fid}");
        assert_eq!(
            (contact, note.as_str()),
            (want_contact, want_note),
            "door {fid}"
        );
    }

    // The same file again: nothing is recorded twice.
    let again = json_of(&[
        "results",
        "import",
        c,
        csv_path.to_str().unwrap(),
        "--date",
        "2026-03-14",
        "--json",
    ]);
    assert_eq!(again["accepted"], 0, "{again:#}");
}
