//! A killed import never leaves a half-written campaign: the file holds either everything the
//! import wrote or nothing of it, and opens fine afterwards.

use crate::common;

use std::time::Duration;

use common::{porte_bin, run_porte, temp_campaign};

#[test]
fn killing_an_import_leaves_all_or_nothing() {
    let files = porte::model::sample_campaign::bundled_sample_city();
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let (ok, _, err) = run_porte(&[
        "import",
        "precincts",
        c,
        files.precincts_shp.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let total_lines = std::fs::read_to_string(&files.addresses_csv)
        .unwrap()
        .lines()
        .count()
        - 1;
    for delay_ms in [5u64, 40, 120, 300, 2000] {
        let mut child = std::process::Command::new(porte_bin())
            .args([
                "import",
                "addresses",
                c,
                files.addresses_csv.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let (ok, out, err) = run_porte(&["info", c, "--json"]);
        assert!(
            ok,
            "campaign unreadable after a kill at {delay_ms} ms: {err}"
        );
        let info: serde_json::Value = serde_json::from_str(&out).unwrap();
        let n = info["addresses"].as_u64().unwrap() as usize;
        assert!(
            n == 0 || n == total_lines,
            "after a kill at {delay_ms} ms: {n} addresses of {total_lines}"
        );
        assert_eq!(info["precincts"], 40);
    }
}
