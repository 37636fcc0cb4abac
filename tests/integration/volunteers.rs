//! Volunteers through the CLI (`porte volunteers import|list|export|add|delete`) on the bundled
//! sample city (60 volunteers in `benevoles.csv`), and on hand-made rosters: a duplicate phone
//! written two ways, a Latin-1 file, a garbage file, an explicit column mapping.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{json_of, run_porte, temp_campaign};
use serde_json::Value;

fn stdout_of(args: &[&str]) -> String {
    let (ok, out, err) = run_porte(args);
    assert!(ok, "porte {args:?} failed: {err}");
    out
}

fn benevoles_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cities/saint-aubin-des-pres/benevoles.csv")
}

/// The sample campaign built by `porte sample-city build` (which imports the roster).
fn sample_campaign() -> (tempfile::TempDir, String) {
    let (dir, path) = temp_campaign();
    let p = path.to_str().unwrap().to_owned();
    json_of(&["sample-city", "build", &p, "--json"]);
    (dir, p)
}

/// The roster CSV read independently of Porte: header → value, one map per row.
fn roster_rows() -> Vec<HashMap<String, String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(benevoles_csv())
        .unwrap();
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn count(v: &Value) -> usize {
    v["count"].as_u64().unwrap() as usize
}

#[test]
fn sample_city_roster_is_imported_with_homes_pairs_and_availability() {
    let (_dir, c) = sample_campaign();
    let rows = roster_rows();
    assert_eq!(rows.len(), 60);
    let list = json_of(&["volunteers", "list", &c, "--json"]);
    assert_eq!(count(&list), 60);
    let vols = list["volunteers"].as_array().unwrap();

    // Every home found through id_adresse (the BAN id of the campaign's addresses), at the
    // position the CSV gives.
    let by_ext: HashMap<&str, &Value> = vols
        .iter()
        .map(|v| (v["ext_id"].as_str().unwrap(), v))
        .collect();
    for r in &rows {
        let v = by_ext[r["id"].as_str()];
        assert_eq!(v["home_source"], "address", "{}", r["id"]);
        assert!(v["home_address_fid"].is_i64());
        let home = v["home_lonlat"].as_array().unwrap();
        let lon: f64 = r["lon"].parse().unwrap();
        let lat: f64 = r["lat"].parse().unwrap();
        assert!(
            (home[0].as_f64().unwrap() - lon).abs() < 2e-6,
            "{}",
            r["id"]
        );
        assert!(
            (home[1].as_f64().unwrap() - lat).abs() < 2e-6,
            "{}",
            r["id"]
        );
        assert_eq!(v["first_name"], r["prenom"].as_str());
    }

    // Pairs: symmetric, one per two non-empty binome cells, matching the CSV.
    let id_of: HashMap<i64, &str> = vols
        .iter()
        .map(|v| (v["id"].as_i64().unwrap(), v["ext_id"].as_str().unwrap()))
        .collect();
    let binome_rows = rows.iter().filter(|r| !r["binome"].is_empty()).count();
    let mut linked = 0;
    for v in vols {
        if let Some(p) = v["partner_id"].as_i64() {
            linked += 1;
            let partner = vols.iter().find(|o| o["id"] == p).unwrap();
            assert_eq!(partner["partner_id"], v["id"], "symmetric");
            let row = rows
                .iter()
                .find(|r| r["id"] == v["ext_id"].as_str().unwrap())
                .unwrap();
            assert_eq!(row["binome"], id_of[&p]);
        }
    }
    assert_eq!(linked, binome_rows);
    assert_eq!(binome_rows % 2, 0);
    assert!(binome_rows / 2 >= 5, "the sample city has several pairs");

    // Available on Saturday: Porte's count equals one computed from the CSV here.
    let saturday = rows
        .iter()
        .filter(|r| {
            r["disponibilites"]
                .split(';')
                .any(|p| p.trim().to_lowercase().starts_with("sam"))
        })
        .count();
    let sat = json_of(&["volunteers", "list", &c, "--available", "sat", "--json"]);
    assert_eq!(count(&sat), saturday);
    assert!(saturday > 0 && saturday < 60);
    let sat_morning = rows
        .iter()
        .filter(|r| {
            r["disponibilites"]
                .split(';')
                .any(|p| p.trim() == "sam matin")
        })
        .count();
    let got = json_of(&[
        "volunteers",
        "list",
        &c,
        "--available",
        "sat:morning",
        "--json",
    ]);
    assert_eq!(count(&got), sat_morning);
    // 2026-03-14 is a Saturday: same people for a whole-day question.
    let got = json_of(&[
        "volunteers",
        "list",
        &c,
        "--available",
        "2026-03-14",
        "--json",
    ]);
    assert_eq!(count(&got), saturday);
    let english = rows
        .iter()
        .filter(|r| r["langues"].contains("anglais"))
        .count();
    let got = json_of(&["volunteers", "list", &c, "--language", "en", "--json"]);
    assert_eq!(count(&got), english);

    // Within 1 km of the town centre: every listed one is, and the others are not.
    let near = json_of(&[
        "volunteers",
        "list",
        &c,
        "--near",
        "1.60,48.05",
        "--within-km",
        "1",
        "--json",
    ]);
    let within: Vec<f64> = near["volunteers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["distance_m"].as_f64().unwrap())
        .collect();
    assert!(!within.is_empty() && within.len() < 60);
    assert!(within.iter().all(|&d| d <= 1000.0));

    // vCard: one card per Saturday volunteer, CRLF only.
    let vcf = stdout_of(&[
        "volunteers",
        "export",
        &c,
        "--available",
        "sat",
        "--format",
        "vcard",
    ]);
    assert_eq!(vcf.matches("BEGIN:VCARD").count(), saturday);
    assert_eq!(vcf.matches("END:VCARD").count(), saturday);
    assert_eq!(vcf.matches('\n').count(), vcf.matches("\r\n").count());
    let inline = json_of(&[
        "volunteers",
        "export",
        &c,
        "--available",
        "sat",
        "--format",
        "vcard",
        "--json",
    ]);
    assert_eq!(count(&inline), saturday);
    assert_eq!(inline["content"].as_str().unwrap(), vcf);
    let phones = stdout_of(&[
        "volunteers",
        "export",
        &c,
        "--available",
        "sat",
        "--format",
        "phones",
    ]);
    assert_eq!(phones.lines().count(), saturday);
    let emails = stdout_of(&["volunteers", "export", &c, "--format", "emails"]);
    assert_eq!(emails.trim().split(", ").count(), 60);
    let sms = stdout_of(&[
        "volunteers",
        "export",
        &c,
        "--available",
        "sat",
        "--format",
        "sms",
        "--message",
        "Bonjour {first_name}, à samedi !",
    ]);
    assert_eq!(sms.lines().count(), saturday);
    assert!(
        sms.lines()
            .all(|l| l.starts_with("sms:+33") && l.contains("?body=Bonjour%20"))
    );

    // Re-importing the same file: 60 duplicates, nothing added.
    let again = json_of(&[
        "volunteers",
        "import",
        &c,
        benevoles_csv().to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(again["added"], 0);
    assert_eq!(again["duplicates"].as_array().unwrap().len(), 60);
    assert_eq!(count(&json_of(&["volunteers", "list", &c, "--json"])), 60);
}

#[test]
fn csv_export_imports_back_into_a_new_campaign() {
    let (dir, c) = sample_campaign();
    let out = dir.path().join("export.csv");
    let summary = json_of(&[
        "volunteers",
        "export",
        &c,
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(summary["count"], 60);
    let fresh = dir.path().join("fresh.gpkg");
    let r = json_of(&[
        "volunteers",
        "import",
        fresh.to_str().unwrap(),
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["added"], 60, "{r}");
    assert_eq!(
        r["homes_by_lonlat"], 60,
        "no addresses there: homes from lon/lat"
    );
    let pairs = roster_rows()
        .iter()
        .filter(|r| !r["binome"].is_empty())
        .count()
        / 2;
    assert_eq!(r["pairs"], pairs);
    let a = json_of(&["volunteers", "list", &c, "--available", "sat", "--json"]);
    let b = json_of(&[
        "volunteers",
        "list",
        fresh.to_str().unwrap(),
        "--available",
        "sat",
        "--json",
    ]);
    assert_eq!(count(&a), count(&b));
}

#[test]
fn a_phone_written_two_ways_is_one_volunteer() {
    let (dir, c) = temp_campaign();
    let c = c.to_str().unwrap();
    let f = dir.path().join("roster.csv");
    std::fs::write(
        &f,
        "prenom;nom;telephone;email\n\
         Ana;Silva;06 12 34 56 78;ana@example.org\n\
         Anna;Silva;+33 6 12 34 56 78;\n\
         Bob;Martin;07 00 00 00 01;BOB@example.org\n\
         Robert;Martin;;bob@example.org\n",
    )
    .unwrap();
    let r = json_of(&["volunteers", "import", c, f.to_str().unwrap(), "--json"]);
    assert_eq!(r["added"], 2, "{r}");
    let dups = r["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 2);
    assert_eq!(
        (dups[0]["line"].as_u64(), dups[0]["by"].as_str()),
        (Some(3), Some("phone"))
    );
    assert!(
        dups[0]["matched_name"]
            .as_str()
            .unwrap()
            .contains("Ana Silva")
    );
    assert_eq!(
        (dups[1]["line"].as_u64(), dups[1]["by"].as_str()),
        (Some(5), Some("email"))
    );

    // Against the sample roster: José Dupré's phone (06 77 94 71 79) in international form.
    let (_d2, sample) = sample_campaign();
    let g = dir.path().join("more.csv");
    std::fs::write(
        &g,
        "first_name,last_name,phone\nJ.,Dupré,+33 6 77 94 71 79\nNew,Person,0699999999\n",
    )
    .unwrap();
    let r = json_of(&[
        "volunteers",
        "import",
        &sample,
        g.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["added"], 1);
    assert_eq!(r["duplicates"][0]["matched_name"], "José Dupré");
    assert!(r["duplicates"][0]["matched_id"].is_i64());
    // The CLI's add refuses it too, naming who.
    let (ok, _, err) = run_porte(&[
        "volunteers",
        "add",
        &sample,
        "--first-name",
        "Jo",
        "--phone",
        "0677947179",
    ]);
    assert!(!ok);
    assert!(err.contains("José Dupré"), "{err}");
    // With --update-duplicates the row fills in the existing volunteer.
    let h = dir.path().join("upd.csv");
    std::fs::write(
        &h,
        "prenom;nom;telephone;role\nJosé;Dupré;+33677947179;coordinateur\n",
    )
    .unwrap();
    let r = json_of(&[
        "volunteers",
        "import",
        &sample,
        h.to_str().unwrap(),
        "--update-duplicates",
        "--json",
    ]);
    assert_eq!(
        (r["added"].as_u64(), r["updated"].as_u64()),
        (Some(0), Some(1))
    );
    let jose = json_of(&["volunteers", "list", &sample, "--search", "dupre", "--json"]);
    assert_eq!(count(&jose), 1);
    assert_eq!(jose["volunteers"][0]["role"], "coordinateur");
    assert_eq!(jose["volunteers"][0]["email"], "jose.dupre87@example.org");
}

#[test]
fn latin1_roster_with_typed_addresses_and_a_mapping() {
    let (dir, c) = sample_campaign();
    // Windows-1252: "Hélène", "Rue des Libellules" typed by hand, "sam après-midi".
    let mut bytes = b"Qui;Portable;Domicile;Quand;Consentement\n".to_vec();
    bytes.extend_from_slice(
        b"H\xe9l\xe8ne Fran\xe7ois;06 11 22 33 44;22 rue des libellules, 45310 Saint-Aubin-des-Pr\xe9s;sam apr\xe8s-midi, quand il peut;20/03/2026\n",
    );
    bytes.extend_from_slice(b"Zo\xe9 Martin;06 11 22 33 55;999 rue inconnue;dim;pas encore\n");
    let f = dir.path().join("latin1.csv");
    std::fs::write(&f, bytes).unwrap();
    // Without a mapping: "Qui" is not a name column, and the campaign is untouched.
    let (ok, _, err) = run_porte(&["volunteers", "import", &c, f.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("latin1.csv") && err.contains("name"), "{err}");
    let r = json_of(&[
        "volunteers",
        "import",
        &c,
        f.to_str().unwrap(),
        "--map",
        "full_name=Qui",
        "--map",
        "availability=Quand",
        "--json",
    ]);
    assert_eq!(r["encoding"], "windows-1252");
    assert_eq!(r["added"], 1, "{r}");
    assert_eq!(r["homes_by_address_text"], 1);
    assert_eq!(r["rejected"][0]["line"], 3);
    assert!(
        r["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("consent date")
    );
    assert!(
        r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("line 2")
                && w.as_str().unwrap().contains("quand il peut")),
        "{r}"
    );
    let h = json_of(&[
        "volunteers",
        "list",
        &c,
        "--search",
        "06 11 22 33 44",
        "--json",
    ]);
    assert_eq!(count(&h), 1);
    let v = &h["volunteers"][0];
    assert_eq!(v["first_name"], "Hélène");
    assert_eq!(v["last_name"], "François");
    assert_eq!(v["availability_text"], "sat afternoon");
    assert_eq!(v["consent_date"], "2026-03-20");
    // Same home as B01, who lives at 22 Rue des Libellules.
    let jose = json_of(&["volunteers", "list", &c, "--search", "B01", "--json"]);
    assert_eq!(
        v["home_address_fid"],
        jose["volunteers"][0]["home_address_fid"]
    );
}

#[test]
fn a_garbage_file_is_refused_naming_it_and_changes_nothing() {
    let (dir, c) = sample_campaign();
    let g = dir.path().join("garbage.csv");
    std::fs::write(
        &g,
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8, 9],
    )
    .unwrap();
    let (ok, _, err) = run_porte(&["volunteers", "import", &c, g.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("garbage.csv"), "{err}");
    let t = dir.path().join("notes.csv");
    std::fs::write(&t, "lorem, ipsum\ndolor, sit\n").unwrap();
    let (ok, _, err) = run_porte(&["volunteers", "import", &c, t.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("notes.csv") && err.contains("no name column"),
        "{err}"
    );
    let (ok, _, err) = run_porte(&[
        "volunteers",
        "import",
        &c,
        benevoles_csv().to_str().unwrap(),
        "--map",
        "phone=Portable",
    ]);
    assert!(!ok);
    assert!(
        err.contains("phone=Portable") && err.contains("benevoles.csv"),
        "{err}"
    );
    assert_eq!(count(&json_of(&["volunteers", "list", &c, "--json"])), 60);
}

#[test]
fn add_and_delete_from_the_command_line() {
    let (_dir, c) = sample_campaign();
    let v = json_of(&[
        "volunteers",
        "add",
        &c,
        "--first-name",
        "Inès",
        "--last-name",
        "Nouveau",
        "--phone",
        "06 98 76 54 32",
        "--address",
        "22 Rue des Libellules",
        "--availability",
        "sam matin, dim",
        "--consent-date",
        "2026-03-01",
        "--json",
    ]);
    assert_eq!(v["home_source"], "address");
    assert_eq!(v["availability_text"], "sat morning; sun");
    let id = v["id"].as_i64().unwrap().to_string();
    assert_eq!(count(&json_of(&["volunteers", "list", &c, "--json"])), 61);
    let (ok, _, err) = run_porte(&[
        "volunteers",
        "add",
        &c,
        "--first-name",
        "X",
        "--availability",
        "quand je peux",
    ]);
    assert!(!ok && err.contains("quand je peux"), "{err}");
    let d = json_of(&["volunteers", "delete", &c, &id, "--json"]);
    assert_eq!(d["remaining"], 60);
    let (ok, _, _) = run_porte(&["volunteers", "delete", &c, &id]);
    assert!(!ok, "already deleted");
}
