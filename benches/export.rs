//! Speed of the Parquet export, printed as figures (run: `cargo bench --bench export`).
//!
//! Target (issue "scale and interop"): Parquet export of 1M responses (100k items x 10
//! models, synthetic) < 2 s. Measured on the real binary, end to end (process start to the
//! renamed folder), after one warm-up run that writes the responses' parse cache; medians
//! of 3. The JSONL export of the same items is printed beside it for scale.

use safeaware::import::no_progress;
use safeaware::synth::{SynthOptions, write_synth};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn export(dataset: &Path, out: &Path, format: &str, with_responses: bool) -> f64 {
    let mut command = Command::new(env!("CARGO_BIN_EXE_safeaware"));
    command
        .arg("export")
        .arg(dataset)
        .args([
            "--format",
            format,
            "--images",
            "none",
            "--keep-duplicates",
            "--force",
            "--out",
        ])
        .arg(out);
    if with_responses {
        command.arg("--with-responses");
    }
    let start = Instant::now();
    let output = command.output().expect("run safeaware");
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn median_of_3(mut run: impl FnMut() -> f64) -> (f64, f64) {
    let mut times: Vec<f64> = (0..3).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    (times[1], times[2])
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("export folder")
        .map(|e| {
            let e = e.expect("entry");
            let meta = e.metadata().expect("metadata");
            if meta.is_dir() {
                folder_bytes(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path().join("s100k-10");
    write_synth(
        &dir,
        SynthOptions {
            items: 100_000,
            images: 300,
            seed: 1,
            models: 10,
        },
        false,
        &no_progress,
    )
    .expect("synth");
    let out = tmp.path().join("out");
    export(&dir, &out, "parquet", true);
    println!("export of 100k items x 10 models (1M responses), whole process");
    let (median, max) = median_of_3(|| export(&dir, &out, "parquet", true));
    println!(
        "  parquet --with-responses   median {median:>8.1} ms  max {max:>8.1} ms  (target < 2000 ms)  {:.1} MB",
        folder_bytes(&out) as f64 / 1e6
    );
    let (median, max) = median_of_3(|| export(&dir, &out, "parquet", false));
    println!(
        "  parquet, items only        median {median:>8.1} ms  max {max:>8.1} ms  {:.1} MB",
        folder_bytes(&out) as f64 / 1e6
    );
    let (median, max) = median_of_3(|| export(&dir, &out, "jsonl", true));
    println!(
        "  jsonl --with-responses     median {median:>8.1} ms  max {max:>8.1} ms  {:.1} MB",
        folder_bytes(&out) as f64 / 1e6
    );
}
