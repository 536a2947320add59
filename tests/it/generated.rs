//! The bundled sample and the synthetic generator.

use crate::common::*;
use safeaware::model::{Subset, Taxonomy};
use std::collections::HashSet;

/// Every file under `dir` (relative paths, sorted), leaving out caches and locks.
fn tree(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".cache" || name == ".safeaware.lock" || name == "journal.jsonl" || name == "history.jsonl"
        {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            out.extend(tree(&entry.path()).into_iter().map(|sub| format!("{name}/{sub}")));
        } else {
            out.push(name);
        }
    }
    out.sort();
    out
}

#[test]
fn the_bundled_sample_is_what_the_generator_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sample");
    safeaware()
        .arg("sample")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let bundled = bundled_dataset();
    assert_eq!(tree(&out), tree(&bundled));
    assert!(tree(&out).contains(&"responses/sample-noisy.ron".to_string()));
    for file in tree(&out) {
        assert!(
            std::fs::read(out.join(&file)).unwrap() == std::fs::read(bundled.join(&file)).unwrap(),
            "{file} differs: regenerate with `cargo run -- sample --out dataset --force`"
        );
    }
}

#[test]
fn the_sample_covers_every_scenario_and_both_sides_in_under_a_mebibyte() {
    // Loading writes a parse cache, so it reads a copy: tests never write into the source tree.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("sample");
    copy_dataset(&bundled_dataset(), &copy);
    let dataset = safeaware::store::load(&copy).unwrap();
    let scenarios: HashSet<&str> = dataset
        .items
        .iter()
        .filter_map(|i| i.scenario.as_deref())
        .collect();
    for s in Taxonomy::mmsafeaware().scenarios {
        assert!(scenarios.contains(s.key.as_str()), "no sample item for {}", s.key);
    }
    let subsets: HashSet<Subset> = dataset.items.iter().map(|i| i.subset).collect();
    assert_eq!(subsets.len(), 3);
    let bytes: u64 = walk_size(&bundled_dataset());
    assert!(bytes < 1024 * 1024, "sample is {bytes} bytes");
}

fn walk_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk_size(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}

#[test]
fn no_arguments_open_the_tui_which_refuses_to_run_without_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    safeaware()
        .env("XDG_DATA_HOME", data.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs a terminal"));
}

#[test]
fn headless_mode_opens_the_dataset_named_in_the_config() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &copy);
    let config = tmp.path().join("config.ron");
    std::fs::write(
        &config,
        format!("(dataset: Some({:?}))", copy.display().to_string()),
    )
    .unwrap();
    safeaware()
        .args(["--headless", "--size", "100x30", "--config"])
        .arg(&config)
        .assert()
        .success()
        .stdout(predicates::str::contains("1/34 of 34"))
        .stderr(predicates::str::contains("frames=0 p50_ms="));
}

#[test]
fn synth_is_deterministic_per_seed_and_covers_all_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, seed: &str| {
        let out = tmp.path().join(name);
        safeaware()
            .args([
                "synth", "--items", "2000", "--images", "50", "--seed", seed, "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let (a, b, c) = (run("a", "7"), run("b", "7"), run("c", "8"));
    let items = |d: &std::path::Path| std::fs::read(d.join("items.ron")).unwrap();
    assert_eq!(items(&a), items(&b));
    assert_ne!(items(&a), items(&c));
    let dataset = safeaware::store::load(&a).unwrap();
    assert_eq!(dataset.items.len(), 2000);
    assert_eq!(entries(&a.join("images")).len(), 50);
    let scenarios: HashSet<&str> = dataset
        .items
        .iter()
        .filter_map(|i| i.scenario.as_deref())
        .collect();
    assert_eq!(scenarios.len(), 29);
    let lengths: Vec<usize> = dataset.items.iter().map(|i| i.sentence.len()).collect();
    let mean = lengths.iter().sum::<usize>() / lengths.len();
    assert!(
        (25..120).contains(&mean),
        "mean sentence length {mean} is like the release's"
    );
    let output = safeaware()
        .arg("validate")
        .arg(&a)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn output_piped_into_a_closed_reader_ends_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("sample");
    copy_dataset(&bundled_dataset(), &copy);
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' validate '{}' | head -1",
            bin.display(),
            copy.display()
        ))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "no panic report on a broken pipe"
    );
}

#[test]
fn no_progress_bar_is_drawn_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let output = safeaware()
        .args(["synth", "--items", "3000", "--images", "20", "--out"])
        .arg(tmp.path().join("s"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
