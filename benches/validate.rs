//! Speed of `validate` as the TUI runs it, printed as figures (run:
//! `cargo bench --bench validate`).
//!
//! Target (issue "variant families", wave 3 brief): every finding, the relation findings
//! included (families, spelling, perceptual hashes), without decoding images, < 100 ms on
//! the MMSafeAware release and < 2 s on a synthetic 100k-item dataset, warm (the
//! perceptual hashes in the dataset's `.cache/`). Three figures per dataset:
//! - cold: no hash cache, every distinct image decoded and hashed;
//! - warm: `validate` from scratch (families built, hashes read from the cache);
//! - again: the TUI worker's pass after an edit (families and hashes kept in memory),
//!   split into the cheap checks and the relation findings.
//!
//! The release is read from MMSAFEAWARE_RELEASE when set, imported into a temp folder
//! first (not timed).

use safeaware::families::{AttackPatterns, Families, affected_by_edit, suggestion, suggestions};
use safeaware::import::no_progress;
use safeaware::model::Dataset;

use safeaware::validate::{self, Options, Relations, Report, phash};
use std::path::Path;
mod common;

use std::process::Command;
use std::time::Instant;

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The options of the TUI's validation worker.
fn tui_options() -> Options {
    Options {
        decode_images: false,
        relations: true,
        ..Options::default()
    }
}

/// Sorted timings of `runs` calls of `work`.
fn timings(runs: usize, mut work: impl FnMut()) -> Vec<f64> {
    let mut out: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            ms(start)
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out
}

fn print_line(what: &str, t: &[f64], target_ms: f64) {
    println!(
        "  {what:<34} median {:>8.1} ms  max {:>8.1} ms  (target < {target_ms} ms)",
        t[t.len() / 2],
        t[t.len() - 1]
    );
}

fn measure(label: &str, dir: &Path, dataset: &Dataset, runs: usize, target_ms: f64) {
    println!("{label}: {} items", dataset.items.len());
    let cache = dir.join(".cache").join(phash::PHASH_CACHE_FILE);
    let _ = std::fs::remove_file(&cache);
    let start = Instant::now();
    let report: Report = validate::validate(dir, dataset, tui_options(), &no_progress);
    println!("  cold (hash every distinct image)  {:>8.1} ms", ms(start));
    let warm = timings(runs, || {
        validate::validate(dir, dataset, tui_options(), &no_progress);
    });
    print_line("warm (hash cache)", &warm, target_ms);
    let patterns = AttackPatterns::for_dataset(dir).unwrap_or_default();
    let families = Families::build(dataset, &patterns);
    let hashes = phash::perceptual_hashes(dir, dataset, tui_options().image_limits);
    let relations = Relations {
        families: &families,
        hashes: &hashes,
    };
    let again = timings(runs, || {
        validate::validate_with(dir, dataset, tui_options(), Some(relations), &no_progress);
    });
    print_line("again (families, hashes kept)", &again, target_ms);
    let cheap_options = Options {
        relations: false,
        ..tui_options()
    };
    let cheap = timings(runs, || {
        validate::validate(dir, dataset, cheap_options, &no_progress);
    });
    print_line("  of which the cheap checks", &cheap, target_ms);
    let related = timings(runs, || {
        validate::relation_findings(dir, dataset, &families, &hashes, tui_options());
    });
    print_line("  of which the relation findings", &related, target_ms);
    let build = timings(runs, || {
        Families::build(dataset, &patterns);
    });
    print_line("Families::build (warm only)", &build, target_ms);
    suggestions_after_an_edit(dataset, &families, runs);
    let mut by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for f in &report.findings {
        *by_kind.entry(f.kind.name()).or_default() += 1;
    }
    println!("  findings: {by_kind:?}");
}

/// What the TUI recomputes after labeling a base: every suggestion (before) or only the
/// items the edit can change (its image group and family), as the UI thread does now.
fn suggestions_after_an_edit(dataset: &Dataset, families: &Families, runs: usize) {
    let Some(base) = families.families.first().map(|f| f.base) else {
        return;
    };
    let full = timings(runs, || {
        suggestions(dataset, families);
    });
    let mut affected = 0;
    let local = timings(runs, || {
        let items = affected_by_edit(dataset, families, base);
        affected = items.len();
        for i in items {
            suggestion(dataset, families, i);
        }
    });
    println!(
        "  suggestions after labeling a base: every item median {:>8.3} ms, the {affected} it affects median {:>8.3} ms",
        full[full.len() / 2],
        local[local.len() / 2]
    );
}

fn release(tmp: &Path) -> Option<(std::path::PathBuf, Dataset)> {
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
    let dataset = safeaware::store::load(&out).expect("load the imported release");
    Some((out, dataset))
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp folder");
    match release(tmp.path()) {
        Some((dir, dataset)) => measure("MMSafeAware release", &dir, &dataset, 21, 100.0),
        None => println!("MMSafeAware release: skipped (set MMSAFEAWARE_RELEASE)"),
    }
    let dir = tmp.path().join("s100k");
    let dataset = common::synth(&dir, 100_000, 1000, 0);
    measure("synthetic 100k (1000 images)", &dir, &dataset, 5, 2000.0);
}
