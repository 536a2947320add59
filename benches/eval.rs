//! Speed of evaluation, printed as figures (run: `cargo bench --bench eval`).
//!
//! Target (issue "model responses and evaluation"): `report` over a 100k-item x 10-model
//! synth dataset < 1 s; cold cache (RON parsed, caches written) < 1.5x warm (issue "scale").
//! Measured on the real binary, end to end (process start to last byte). The side-by-side
//! comparison with DuckDB, pandas and polars is `benches/compare/run.sh`.

mod common;

use std::process::Command;
use std::time::Instant;

fn run(args: &[&str]) -> f64 {
    let start = Instant::now();
    common::succeeded(Command::new(env!("CARGO_BIN_EXE_safeaware")).args(args));
    start.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path().join("s100k-10");
    common::synth(&dir, 100_000, 300, 10);
    let path = dir.to_str().expect("utf-8 temp path");
    println!("report over 100k items x 10 models (1M responses)");
    println!(
        "  first run (RON parse + cache write)    {:>8.1} ms",
        run(&["report", path])
    );
    let mut cold: Vec<f64> = (0..3)
        .map(|_| {
            std::fs::remove_dir_all(dir.join(safeaware::store::cache::CACHE_DIR)).expect("drop the cache");
            run(&["report", path])
        })
        .collect();
    cold.sort_by(f64::total_cmp);
    println!(
        "  cold cache (caches deleted)            median {:>8.1} ms",
        cold[1]
    );
    let mut warm = Vec::new();
    for format in ["table", "json", "csv"] {
        let mut times: Vec<f64> = (0..5)
            .map(|_| run(&["report", path, "--format", format]))
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "  warm, --format {format:<6}               median {:>8.1} ms  max {:>8.1} ms  (target < 1000 ms)",
            times[2], times[4]
        );
        warm.push(times[2]);
    }
    println!(
        "  cold / warm (table)                    {:>8.2}x  (target < 1.5x)",
        cold[1] / warm[0]
    );
    let mut times: Vec<f64> = (0..3)
        .map(|_| run(&["report", path, "--by", "scenario"]))
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "  warm, --by scenario                    median {:>8.1} ms",
        times[1]
    );
}
