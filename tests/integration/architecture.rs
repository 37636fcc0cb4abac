//! The model layer stays UI-free: no file under src/model mentions egui, eframe or walkers.

use std::path::Path;

fn visit(dir: &Path, offenders: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read src/model") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            visit(&path, offenders);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read source");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if ["egui", "eframe", "walkers"]
                    .iter()
                    .any(|c| code.contains(&format!("{c}::")) || code.contains(&format!("use {c}")))
                {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
}

#[test]
fn model_never_imports_ui_crates() {
    let mut offenders = Vec::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model"),
        &mut offenders,
    );
    assert!(
        offenders.is_empty(),
        "UI crates used in the model layer:\n{}",
        offenders.join("\n")
    );
}
