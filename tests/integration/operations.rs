//! Operations through the CLI on the sample city (`porte operation create|list|show|assign|
//! unassign|clear|delete --json`): the roster of `benevoles.csv`, turfs cut from three precincts,
//! a Saturday-morning operation, Porte's suggestion checked against the CSV's availability and
//! pairs (read here independently of Porte's parser), a drag-and-drop style assignment, and
//! everything read back from the file by fresh processes.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::{create_saturday_operation, json_of, run_porte, temp_campaign};
use serde_json::Value;

/// One row of the bundled roster, as this test reads it.
struct Row {
    availability: Vec<String>,
    partner: Option<String>,
}

fn roster_csv() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cities/saint-aubin-des-pres/benevoles.csv")
}

/// `id` → availability pieces and partner, straight from the CSV.
fn read_roster() -> HashMap<String, Row> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(roster_csv())
        .unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, dispo, binome) = (col("id"), col("disponibilites"), col("binome"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[id].to_string(),
                Row {
                    availability: rec[dispo]
                        .split(';')
                        .map(|s| s.trim().to_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    partner: Some(rec[binome].trim().to_string()).filter(|s| !s.is_empty()),
                },
            )
        })
        .collect()
}

/// Saturday 10:00–12:30 is covered (at least half of it) by a Saturday morning (08:00–12:00:
/// 120 of 150 min) or a whole Saturday; an afternoon (from 12:00) gives only 30 min.
fn free_saturday_morning(row: &Row) -> bool {
    row.availability
        .iter()
        .any(|a| a == "sam matin" || a == "sam" || a == "samedi")
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

#[test]
fn a_saturday_morning_is_assigned_and_edited_through_the_cli() {
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    json_of(&["sample-city", "build", c, "--json"]);
    let csv = roster_csv();
    let import = json_of(&["volunteers", "import", c, csv.to_str().unwrap(), "--json"]);
    assert_eq!(import["rows"], 60);
    let added = import["added"].as_u64().unwrap() as usize;
    let dups = import["duplicates"].as_array().unwrap().len();
    assert_eq!(added + dups, 60, "every row is on the roster: {import}");
    let list = json_of(&["volunteers", "list", c, "--json"]);
    let volunteers = list["volunteers"].as_array().unwrap();
    assert_eq!(volunteers.len(), 60);
    // Roster id (B01) ↔ volunteer id.
    let ext_of: HashMap<i64, String> = volunteers
        .iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap(),
                v["ext_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let id_of: HashMap<&str, i64> = ext_of.iter().map(|(i, e)| (e.as_str(), *i)).collect();
    let rows = read_roster();
    assert_eq!(rows.len(), 60);
    let free: HashSet<String> = rows
        .iter()
        .filter(|(_, r)| free_saturday_morning(r))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        free.len() >= 8,
        "the sample has a Saturday-morning crew: {free:?}"
    );

    // Turfs: precinct 39 as one long turf, 37 and 35 in turfs of ~60 doors.
    let mut turf_minutes: HashMap<i64, f64> = HashMap::new();
    for (code, doors) in [("39", "120"), ("37", "60"), ("35", "60")] {
        let cut = json_of(&[
            "turfs",
            "cut",
            c,
            "--precinct",
            code,
            "--doors-per-turf",
            doors,
            "--json",
        ]);
        for t in cut["turfs"].as_array().unwrap() {
            turf_minutes.insert(t["id"].as_i64().unwrap(), t["minutes"].as_f64().unwrap());
        }
    }
    let fitting = turf_minutes.values().filter(|&&m| m <= 150.0).count();
    let long = turf_minutes.len() - fitting;
    assert!(fitting >= 3 && long >= 1, "{turf_minutes:?}");

    // Saturday 14 March 2026, 10:00–12:30, meeting at José Dupré's street address.
    let created = create_saturday_operation(c);
    let op = created["id"].as_i64().unwrap().to_string();
    let op = op.as_str();
    assert!(
        created["meeting_lonlat"].is_array(),
        "meeting point located among the addresses: {created}"
    );
    assert_eq!(
        created["turfs"].as_array().unwrap().len(),
        turf_minutes.len()
    );
    assert_eq!(created["window_minutes"], 150.0);
    // A bad window is refused with a message.
    let (ok, _, err) = run_porte(&[
        "operation",
        "create",
        c,
        "--name",
        "x",
        "--date",
        "2026-03-14",
        "--start",
        "12:00",
        "--end",
        "10:00",
    ]);
    assert!(
        !ok && err.contains("end must come after the start"),
        "{err}"
    );

    // The dry run saves nothing.
    let dry = json_of(&[
        "operation",
        "assign",
        c,
        op,
        "--auto",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(dry["applied"], false);
    assert!(!dry["assignments"].as_array().unwrap().is_empty());
    let shown = json_of(&["operation", "show", c, op, "--json"]);
    assert_eq!(shown["coverage"]["teams"], 0);

    let auto = json_of(&["operation", "assign", c, op, "--auto", "--json"]);
    assert_eq!(auto["applied"], true);
    assert_eq!(
        auto,
        {
            let mut d = dry.clone();
            d["applied"] = Value::Bool(true);
            d["coverage"] = auto["coverage"].clone();
            d
        },
        "the saved assignment is the dry run's"
    );
    let assignments = auto["assignments"].as_array().unwrap();
    let mut used: HashSet<String> = HashSet::new();
    let mut team_of: HashMap<String, usize> = HashMap::new();
    let mut total = 0.0;
    for (k, a) in assignments.iter().enumerate() {
        let members = ids(&a["member_ids"]);
        assert!(members.len() >= 2, "teams walk in pairs: {a}");
        let turf = a["turf_id"].as_i64().unwrap();
        let pairs = (members.len() / 2) as f64;
        assert!(turf_minutes[&turf] <= 150.0 * pairs + 1e-9, "{a}");
        for m in members {
            let ext = ext_of[&m].clone();
            assert!(
                free.contains(&ext),
                "{ext} is not free on Saturday morning: {a}"
            );
            assert!(used.insert(ext.clone()), "{ext} in two teams");
            team_of.insert(ext, k);
        }
        total += a["distance_m"].as_f64().unwrap();
    }
    assert!((total - auto["total_distance_m"].as_f64().unwrap()).abs() < 1e-6);
    // No pair split: partners both free on Saturday morning are in the same team, or both idle.
    let idle: HashSet<String> = auto["idle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| ext_of[&i["id"].as_i64().unwrap()].clone())
        .collect();
    for id in &free {
        if let Some(p) = rows[id].partner.as_ref().filter(|p| free.contains(*p)) {
            assert_eq!(team_of.get(id), team_of.get(p), "pair {id}/{p} split");
            assert_eq!(idle.contains(id), idle.contains(p));
        }
        assert!(
            used.contains(id) != idle.contains(id),
            "{id} both or neither"
        );
    }
    // Everyone else is listed as unavailable.
    let unavailable: HashSet<String> = ids(&auto["unavailable"])
        .into_iter()
        .map(|i| ext_of[&i].clone())
        .collect();
    assert_eq!(unavailable.len() + free.len(), 60);
    assert!(unavailable.is_disjoint(&free));
    // Teams suffice for the turfs that fit the window: all of them are staffed; each turf left
    // is explained with its figures.
    let teams_possible = free.len() / 2;
    assert!(teams_possible >= fitting);
    let staffed: HashSet<i64> = assignments
        .iter()
        .map(|a| a["turf_id"].as_i64().unwrap())
        .collect();
    for (t, m) in &turf_minutes {
        if *m <= 150.0 {
            assert!(
                staffed.contains(t),
                "turf {t} ({m} min) fits but has no team"
            );
        }
    }
    for u in auto["unassigned"].as_array().unwrap() {
        let t = u["turf_id"].as_i64().unwrap();
        assert_eq!(u["reason"], "too_long_for_window", "{u}");
        let msg = u["message"].as_str().unwrap();
        assert!(
            msg.contains(&format!("needs {:.0} min", turf_minutes[&t]))
                && msg.contains("150 min (10:00–12:30)"),
            "{msg}"
        );
    }
    assert_eq!(
        auto["coverage"]["turfs_assigned"].as_u64().unwrap() as usize,
        staffed.len()
    );
    let turfs_now = json_of(&["turfs", "list", c, "--json"]);
    for t in turfs_now["turfs"].as_array().unwrap() {
        let id = t["id"].as_i64().unwrap();
        let want = if staffed.contains(&id) {
            "assigned"
        } else {
            "planned"
        };
        assert_eq!(t["status"], want, "turf {id}");
    }

    // Drag and drop: an unavailable volunteer onto a staffed turf joins its team, with a
    // warning; their partner (if any) comes only when free and available.
    let turf0 = assignments[0]["turf_id"].as_i64().unwrap();
    let turf0_s = turf0.to_string();
    let away = rows
        .iter()
        .filter(|(id, r)| !free.contains(*id) && r.partner.is_none())
        .map(|(id, _)| id.clone())
        .min()
        .unwrap();
    let before = ids(&assignments[0]["member_ids"]);
    let dropped = json_of(&[
        "operation",
        "assign",
        c,
        op,
        "--volunteer",
        &away,
        "--turf",
        &turf0_s,
        "--json",
    ]);
    assert_eq!(dropped["turf_id"], turf0);
    let after = ids(&dropped["member_ids"]);
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&id_of[away.as_str()]));
    assert!(
        dropped["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("is not available")),
        "{dropped}"
    );
    assert_eq!(
        dropped["team"]["members"].as_array().unwrap().len(),
        after.len()
    );
    // Taken out again.
    json_of(&[
        "operation",
        "unassign",
        c,
        op,
        "--volunteer",
        &away,
        "--json",
    ]);

    // A fresh process reads everything back from the file.
    let shown = json_of(&["operation", "show", c, op, "--json"]);
    assert_eq!(shown["name"], "Samedi matin");
    assert_eq!(shown["date"], "2026-03-14");
    assert_eq!(
        (shown["start"].as_str(), shown["end"].as_str()),
        (Some("10:00"), Some("12:30"))
    );
    assert_eq!(shown["contact_phone"], "06 00 00 00 00");
    let shown_turfs = shown["turfs"].as_array().unwrap();
    for a in assignments {
        let t = shown_turfs
            .iter()
            .find(|t| t["id"] == a["turf_id"])
            .unwrap();
        let members: Vec<i64> = t["team"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(members, ids(&a["member_ids"]), "turf {}", a["turf_id"]);
        assert!(t["team"]["name"].as_str().unwrap().contains(" & "));
    }
    assert_eq!(
        shown["coverage"]["teams"].as_u64().unwrap() as usize,
        assignments.len()
    );
    let listed = json_of(&["operation", "list", c, "--json"]);
    assert_eq!(listed["operations"].as_array().unwrap().len(), 1);

    // Clear, then delete.
    json_of(&["operation", "clear", c, op, "--json"]);
    let turfs_now = json_of(&["turfs", "list", c, "--json"]);
    assert!(
        turfs_now["turfs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "planned")
    );
    json_of(&["operation", "delete", c, op, "--json"]);
    let listed = json_of(&["operation", "list", c, "--json"]);
    assert!(listed["operations"].as_array().unwrap().is_empty());
    let (ok, _, err) = run_porte(&["operation", "show", c, op]);
    assert!(!ok && err.contains(&format!("no operation {op}")), "{err}");
}

#[test]
fn a_dragged_volunteer_brings_their_free_partner_along() {
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    json_of(&["sample-city", "build", c, "--json"]);
    let csv = roster_csv();
    json_of(&["volunteers", "import", c, csv.to_str().unwrap(), "--json"]);
    let cut = json_of(&[
        "turfs",
        "cut",
        c,
        "--precinct",
        "35",
        "--turfs",
        "1",
        "--json",
    ]);
    let turf = cut["turfs"][0]["id"].as_i64().unwrap().to_string();
    let rows = read_roster();
    // A pair with a slot in common: the operation is on that day of the week of 9 March 2026.
    let (a, b, slot) = rows
        .iter()
        .filter_map(|(id, r)| {
            let p = r.partner.as_ref()?;
            let common = r
                .availability
                .iter()
                .find(|s| rows[p].availability.contains(s))?;
            Some((id.clone(), p.clone(), common.clone()))
        })
        .min()
        .expect("the sample has a pair with a slot in common");
    let (day, part) = slot.split_once(' ').unwrap();
    let days = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];
    let date = format!(
        "{:02}/03/2026",
        9 + days.iter().position(|d| *d == day).unwrap()
    );
    let (start, end) = match part {
        "matin" => ("9h", "11h30"),
        "soir" => ("18h", "20h30"),
        _ => ("14h", "16h30"),
    };
    let created = json_of(&[
        "operation",
        "create",
        c,
        "--name",
        &format!("Sortie {slot}"),
        "--date",
        &date,
        "--start",
        start,
        "--end",
        end,
        "--meeting-lonlat",
        "1.6069,48.0515",
        "--json",
    ]);
    let op = created["id"].as_i64().unwrap().to_string();
    assert_eq!(created["meeting_lonlat"][0], 1.6069);
    let out = json_of(&[
        "operation",
        "assign",
        c,
        &op,
        "--volunteer",
        &a,
        "--turf",
        &turf,
        "--json",
    ]);
    let list = json_of(&["volunteers", "list", c, "--json"]);
    let id_of = |ext: &str| {
        list["volunteers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["ext_id"] == ext)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(ids(&out["member_ids"]), vec![id_of(&a), id_of(&b)]);
    assert_eq!(out["partner_moved"], id_of(&b));
    // The turf was not in the operation: it is now, and assigned.
    let shown = json_of(&["operation", "show", c, &op, "--json"]);
    assert_eq!(shown["turfs"].as_array().unwrap().len(), 1);
    assert_eq!(shown["turfs"][0]["status"], "assigned");
    assert_eq!(shown["coverage"]["turfs_assigned"], 1);
}
