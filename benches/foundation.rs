//! Speed of the foundation, printed as figures (run: `cargo bench --bench foundation`).
//!
//! Targets (issue "Foundation"): import of the real release < 0.5 s with hashing,
//! loading the imported dataset < 50 ms, synth of 100k items < 5 s; (issue "export")
//! export of a 100k-item synth dataset to jsonl < 2 s.

use safeaware::import::{ImageMode, mmsafeaware, no_progress};
use safeaware::synth::{SynthOptions, write_synth};
use safeaware::{store, validate};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Runs `f` `runs` times and returns the median and the maximum.
fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], times[runs - 1])
}

fn report(name: &str, target: &str, (median, max): (Duration, Duration)) {
    println!(
        "{name:<44} median {:>9.2} ms   max {:>9.2} ms   target {target}",
        ms(median),
        ms(max)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let release = std::env::var_os("MMSAFEAWARE_RELEASE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/mmsafeaware"));
    if release.join("prompt.txt").is_file() {
        let out = tmp.path().join("mm");
        let import = measure(7, || {
            mmsafeaware::import(&release, &out, ImageMode::Copy, true, &no_progress).expect("import");
        });
        report("import real release (copy, blake3, headers)", "< 500 ms", import);
        let link = tmp.path().join("mm-link");
        report(
            "import real release (link)",
            "-",
            measure(7, || {
                mmsafeaware::import(&release, &link, ImageMode::Link, true, &no_progress).expect("import");
            }),
        );
        report(
            "load imported release (1,523 items)",
            "< 50 ms",
            measure(21, || {
                store::load(&out).expect("load");
            }),
        );
        let dataset = store::load(&out).expect("load");
        let options = validate::Options {
            decode_images: true,
            ..Default::default()
        };
        report(
            "validate real release (full decode)",
            "-",
            measure(3, || {
                validate::validate(&out, &dataset, options, &no_progress);
            }),
        );
    } else {
        println!(
            "(release not found at {}; set MMSAFEAWARE_RELEASE to measure import)",
            release.display()
        );
    }
    let synth = tmp.path().join("s100k");
    let options = SynthOptions {
        items: 100_000,
        images: 300,
        seed: 1,
        models: 0,
    };
    report(
        "synth 100k items",
        "< 5000 ms",
        measure(3, || {
            write_synth(&synth, options, true, &no_progress).expect("synth");
        }),
    );
    report(
        "load 100k-item synth dataset",
        "-",
        measure(3, || {
            store::load(&synth).expect("load");
        }),
    );
    let export_options = safeaware::export::Options {
        target: safeaware::export::Target::Jsonl,
        query: None,
        include_rejected: false,
        keep_duplicates: false,
        copy_images: true,
        with_responses: false,
        force: true,
    };
    let exported = tmp.path().join("s100k-jsonl");
    report(
        "export 100k items to jsonl (images copied)",
        "< 2000 ms",
        measure(3, || {
            safeaware::export::export(&synth, &exported, &export_options, &no_progress).expect("export");
        }),
    );
    let dataset = store::load(&synth).expect("load");
    let options = validate::Options {
        decode_images: false,
        ..Default::default()
    };
    report(
        "validate 100k items (no decode)",
        "-",
        measure(3, || {
            validate::validate(&synth, &dataset, options, &no_progress);
        }),
    );
}
