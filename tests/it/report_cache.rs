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

/// A synthetic set of `items` items answered by `models` models, in `tmp/synth`.
fn synth(tmp: &Path, items: usize, models: usize, seed: u64) -> std::path::PathBuf {
    let dir = tmp.join("synth");
    let options = safeaware::synth::SynthOptions {
        items,
        images: 10,
        seed,
        models,
    };
    safeaware::synth::write_synth(&dir, options, false, &safeaware::import::no_progress).unwrap();
    dir
}

#[test]
fn cached_verdicts_give_the_numbers_the_responses_give_until_the_rules_change() {
    let tmp = tempfile::tempdir().unwrap();
    // Large enough that the responses files (over 1 MiB) are cached.
    let dir = synth(tmp.path(), 15_000, 2, 5);
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

#[test]
fn a_hand_edited_responses_file_scores_as_the_file_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = synth(tmp.path(), 2_000, 1, 9);
    let as_written = report(&dir, &[]);
    // A comment before the closing bracket: the reader of the writer's layout reads every
    // response, then gives up at the end, and the `ron` crate reads the file again.
    let path = std::fs::read_dir(dir.join("responses"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "ron") && !p.ends_with("overrides.ron"))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("\n    ],\n)", "\n    // checked by hand\n    ],\n)", 1);
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let _ = std::fs::remove_dir_all(dir.join(".cache"));
    assert_eq!(report(&dir, &[]), as_written);
    assert_eq!(report(&dir, &[]), as_written, "warm");
}
