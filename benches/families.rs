//! Speed of variant families, printed as figures (run: `cargo bench --bench families`).
//!
//! Target (issue "variant families"): families + suggestions + the relation findings of
//! `validate` (attack_without_wrapper, cross_subset_duplicate, glued_digit, misspelling,
//! near_duplicate_image, family_anomaly) < 100 ms on the MMSafeAware release and < 2 s on
//! a synthetic 100k-item dataset with a warm perceptual-hash cache; the cold figure (no
//! `.cache/phash.json`, every distinct image decoded and hashed) is printed too. The
//! release is read from MMSAFEAWARE_RELEASE when set, imported into a temp folder first
//! (not timed).

use safeaware::families::{AttackPatterns, Families, suggestions, wrapper_groups};

use safeaware::media::ImageLimits;
use safeaware::model::Dataset;

use safeaware::validate::{self, Finding, Kind, phash};
use std::path::Path;
mod common;

use std::process::Command;
use std::time::Instant;

/// `Families::build` medians before the speed-up (commit 0ef5cab), measured by this bench
/// back to back with the speed-up on a quiet machine (2026-12-01, load average ~1), printed
/// beside each run's figure.
const BUILD_BEFORE_MS: [(&str, f64); 2] = [
    ("MMSafeAware release", 5.0),
    ("synthetic 100k (1000 images)", 762.9),
];

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Median and max of `runs` timings of families + suggestions; prints the parts too.
fn measure(label: &str, dataset: &Dataset, runs: usize, target_ms: f64) {
    let patterns = AttackPatterns::default();
    let mut build = Vec::new();
    let mut suggest = Vec::new();
    let mut total = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let families = Families::build(dataset, &patterns);
        build.push(ms(start));
        let again = Instant::now();
        let s = suggestions(dataset, &families);
        suggest.push(ms(again));
        total.push(ms(start));
        last = Some((families, s));
    }
    for t in [&mut build, &mut suggest, &mut total] {
        t.sort_by(f64::total_cmp);
    }
    let mid = runs / 2;
    println!("{label}: {} items", dataset.items.len());
    println!("  Families::build     median {:>8.1} ms", build[mid]);
    if let Some((_, before)) = BUILD_BEFORE_MS.iter().find(|(name, _)| label == *name) {
        println!("    (before the speed-up, commit 0ef5cab: {before:.1} ms)");
    }
    println!("  suggestions         median {:>8.1} ms", suggest[mid]);
    println!(
        "  together            median {:>8.1} ms  max {:>8.1} ms  (target < {target_ms} ms)",
        total[mid],
        total[runs - 1]
    );
    if let Some((families, s)) = last {
        let attack = dataset.subset_counts().attack;
        println!(
            "  {} families, {} of {attack} attack items joined, {} orphans, {} anomalies, {} suggestions, {} wrapper groups",
            families.families.len(),
            families.variant_count(),
            families.orphans.len(),
            families.anomalies.len(),
            s.iter().flatten().count(),
            wrapper_groups(dataset, &families).len()
        );
    }
}

/// Families + suggestions + perceptual hashes + relation findings, once.
fn relations_once(dir: &Path, dataset: &Dataset) -> Vec<Finding> {
    let families = Families::build(dataset, &AttackPatterns::default());
    let _ = suggestions(dataset, &families);
    let hashes = phash::perceptual_hashes(dir, dataset, ImageLimits::default());
    validate::relation_findings(dir, dataset, &families, &hashes, validate::Options::default())
}

/// Cold (no hash cache) and warm timings of families, suggestions and the new findings.
fn measure_findings(label: &str, dir: &Path, dataset: &Dataset, runs: usize, target_ms: f64) -> Vec<Finding> {
    let cache = dir.join(".cache").join(phash::PHASH_CACHE_FILE);
    let _ = std::fs::remove_file(&cache);
    let start = Instant::now();
    let findings = relations_once(dir, dataset);
    let cold = ms(start);
    let mut warm: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            relations_once(dir, dataset);
            ms(start)
        })
        .collect();
    warm.sort_by(f64::total_cmp);
    let mut by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for f in &findings {
        *by_kind.entry(f.kind.name()).or_default() += 1;
    }
    println!("{label}: families + suggestions + new findings");
    println!("  cold (hash every distinct image)  {cold:>8.1} ms");
    println!(
        "  warm (hash cache)  median {:>8.1} ms  max {:>8.1} ms  (target < {target_ms} ms)",
        warm[runs / 2],
        warm[runs - 1]
    );
    println!("  findings: {by_kind:?}");
    findings
}

/// Counts and five examples of a kind, as the report on the release asks.
fn examples(findings: &[Finding], kind: Kind) {
    let of_kind: Vec<&Finding> = findings.iter().filter(|f| f.kind == kind).collect();
    println!("  {}: {}", kind.name(), of_kind.len());
    for f in of_kind.iter().take(5) {
        println!("    [{}] {}", f.items.join(", "), f.message);
    }
}

fn release(tmp: &Path) -> Option<Dataset> {
    let release = std::env::var_os("MMSAFEAWARE_RELEASE")?;
    let out = tmp.join("mm");
    let status = Command::new(env!("CARGO_BIN_EXE_safeaware"))
        .args(["import", "mmsafeaware"])
        .arg(release)
        .arg("--out")
        .arg(&out)
        .args(["--images", "link"])
        .output()
        .expect("run safeaware import");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(safeaware::store::load(&out).expect("load the imported release"))
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp folder");
    match release(tmp.path()) {
        Some(dataset) => {
            measure("MMSafeAware release", &dataset, 21, 100.0);
            let findings =
                measure_findings("MMSafeAware release", &tmp.path().join("mm"), &dataset, 21, 100.0);
            examples(&findings, Kind::Misspelling);
            examples(&findings, Kind::NearDuplicateImage);
            examples(&findings, Kind::GluedDigit);
            examples(&findings, Kind::AttackWithoutWrapper);
            examples(&findings, Kind::CrossSubsetDuplicate);
        }
        None => println!("MMSafeAware release: skipped (set MMSAFEAWARE_RELEASE)"),
    }
    let dir = tmp.path().join("s100k");
    let dataset = common::synth(&dir, 100_000, 1000, 0);
    measure("synthetic 100k (1000 images)", &dataset, 5, 2000.0);
    measure_findings("synthetic 100k (1000 images)", &dir, &dataset, 5, 2000.0);
}
