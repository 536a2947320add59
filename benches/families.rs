//! Speed of variant families, printed as figures (run: `cargo bench --bench families`).
//!
//! Target (issue "variant families"): families + suggestions < 100 ms on the MMSafeAware
//! release and < 2 s on a synthetic 100k-item dataset, with image content hashes already
//! known (they are stored in each item). The release is read from MMSAFEAWARE_RELEASE
//! when set, imported into a temp folder first (not timed).

use safeaware::families::{AttackPatterns, Families, suggestions, wrapper_groups};
use safeaware::import::no_progress;
use safeaware::model::Dataset;
use safeaware::synth::{SynthOptions, write_synth};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

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
        Some(dataset) => measure("MMSafeAware release", &dataset, 21, 100.0),
        None => println!("MMSafeAware release: skipped (set MMSAFEAWARE_RELEASE)"),
    }
    let dir = tmp.path().join("s100k");
    let dataset = write_synth(
        &dir,
        SynthOptions {
            items: 100_000,
            images: 1000,
            seed: 1,
            models: 0,
        },
        false,
        &no_progress,
    )
    .expect("synth");
    measure("synthetic 100k (1000 images)", &dataset, 5, 2000.0);
}
