//! Curating the real release with variant families: a headless key script labels every
//! typical item with the picker, then accepts every suggestion in one confirmed bulk edit.
//! Ignored in a plain `cargo test` (needs MMSAFEAWARE_RELEASE).

use crate::common::*;
use safeaware::model::{Subset, Taxonomy};
use std::collections::HashSet;
use std::path::PathBuf;

fn release() -> PathBuf {
    let path = std::env::var_os("MMSAFEAWARE_RELEASE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/mmsafeaware"));
    assert!(
        path.join("prompt.txt").is_file(),
        "the release is not at {} (set MMSAFEAWARE_RELEASE)",
        path.display()
    );
    path
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn labeling_the_typical_items_then_accepting_suggestions_labels_the_attack_items() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mm");
    safeaware()
        .args(["import", "mmsafeaware"])
        .arg(release())
        .arg("--out")
        .arg(&dir)
        .assert()
        .success();
    let dataset = safeaware::store::load(&dir).unwrap();
    let typical = dataset
        .items
        .iter()
        .filter(|i| i.subset == Subset::Typical)
        .count();
    let attack: HashSet<String> = dataset
        .items
        .iter()
        .filter(|i| i.subset == Subset::Attack)
        .map(|i| i.id.clone())
        .collect();
    let keys: Vec<String> = Taxonomy::mmsafeaware()
        .scenarios
        .iter()
        .filter(|s| s.subset == Subset::Typical)
        .map(|s| s.key.clone())
        .collect();

    // Before: one picker choice per item (s, the scenario typed, Enter). The view holds
    // the unlabeled typical items; each labeled one leaves it, so the cursor stays put.
    let mut script = vec![
        "/".to_string(),
        "text:subset:typical scenario:none".into(),
        "Enter".into(),
    ];
    let mut picker_keys = 0;
    for n in 0..typical {
        let key = &keys[n % keys.len()];
        script.extend(["s".to_string(), format!("text:{key}"), "Enter".into()]);
        picker_keys += 2 + key.chars().count();
    }
    // After: the "suggestions to confirm" queue (4th in the menu), then bulk accept.
    let bulk = ["v", "j", "j", "j", "Enter", "B", "p", "y"];
    script.extend(bulk.iter().map(|k| k.to_string()));
    script.push("q".into());
    let script_path = tmp.path().join("keys.txt");
    std::fs::write(&script_path, script.join("\n")).unwrap();

    let output = safeaware()
        .arg("tui")
        .arg(&dir)
        .args(["--headless", "--keys"])
        .arg(&script_path)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{log}");
    let labeled: HashSet<&str> = log
        .lines()
        .filter(|l| l.starts_with("saved ") && l.contains(" field=scenario "))
        .filter_map(|l| l.strip_prefix("saved item=")?.split(' ').next())
        .collect();
    let attack_left = attack.iter().filter(|id| !labeled.contains(id.as_str())).count();
    let share = attack_left as f64 / attack.len() as f64;
    let bulk_keys = 2 + bulk.len(); // the filter prompt's / and Enter too
    let after = (picker_keys + bulk_keys) as f64 / labeled.len() as f64;
    let before = picker_keys as f64 / typical as f64;
    println!(
        "typical={typical} labeled={} attack_without_scenario={attack_left}/{} ({:.1}%) keys_per_item_before={before:.2} keys_per_item_after={after:.2}",
        labeled.len(),
        attack.len(),
        100.0 * share
    );
    if let Some(frames) = log.lines().find(|l| l.starts_with("frames=")) {
        println!("update+draw per key (debug build): {frames}");
    }
    assert!(labeled.len() >= typical, "every typical item got its scenario");
    assert!(
        share <= 0.05,
        "{attack_left} attack items left without a scenario"
    );
}
