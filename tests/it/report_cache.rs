//! `report` scores from the verdict cache: the same numbers cold, warm and from the
//! responses themselves, and a change to the rules is never answered from a stale cache.

use crate::common::{json, safeaware, succeeded};
use serde_json::Value;
use std::path::Path;

fn report(dir: &Path, extra: &[&str]) -> Value {
    let output = succeeded(
        safeaware()
            .arg("report")
            .arg(dir)
            .args(["--format", "json"])
            .args(extra),
    );
    json(&output)
}

fn unparsed(report: &Value) -> u64 {
    report["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["unparsed"].as_u64().unwrap())
        .sum()
}

#[test]
fn cached_verdicts_give_the_numbers_the_responses_give_until_the_rules_change() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synth");
    // Large enough that the responses files (over 1 MiB) are cached.
    let options = safeaware::synth::SynthOptions {
        items: 15_000,
        images: 10,
        seed: 5,
        models: 2,
    };
    safeaware::synth::write_synth(&dir, options, false, &safeaware::import::no_progress).unwrap();
    let cold = report(&dir, &[]);
    let cache = dir.join(".cache");
    let verdicts: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron.verdicts"))
        .collect();
    assert_eq!(verdicts.len(), 2, "one verdict entry per model: {verdicts:?}");
    let warm = report(&dir, &[]);
    assert_eq!(warm, cold);
    // --items reads every response text: the same report beside the items.
    let mut with_items = report(&dir, &["--items"]);
    with_items.as_object_mut().unwrap().remove("items");
    assert_eq!(with_items, warm);
    // A damaged entry is read around, not trusted.
    for name in &verdicts {
        std::fs::write(cache.join(name), b"garbage").unwrap();
    }
    assert_eq!(report(&dir, &[]), cold);
    // The dataset's own rules: "It depends on the context." becomes no answer, so fewer
    // responses count as unparsed, warm or not.
    assert!(unparsed(&cold) > 0);
    std::fs::write(
        dir.join("verdict_rules.ron"),
        "(no_answer: [\"it depends on the context\"])\n",
    )
    .unwrap();
    let ruled = report(&dir, &[]);
    assert!(
        unparsed(&ruled) < unparsed(&cold),
        "{} vs {}",
        unparsed(&ruled),
        unparsed(&cold)
    );
    assert_eq!(report(&dir, &[]), ruled);
    let mut ruled_items = report(&dir, &["--items"]);
    ruled_items.as_object_mut().unwrap().remove("items");
    assert_eq!(ruled_items, ruled);
}
