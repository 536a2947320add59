//! Speed of the Parquet export, printed as figures (run: `cargo bench --bench export`).
//!
//! Target (issue "scale and interop"): Parquet export of 1M responses (100k items x 10
//! models, synthetic) < 2 s. Measured on the real binary, end to end (process start to the
//! renamed folder), after one warm-up run that writes the responses' parse cache; medians
//! of 3, wall time and CPU time (user + system, all threads: what the run costs on a shared
//! machine). The JSONL export of the same items is printed beside it for scale.

use std::path::Path;
mod common;

use std::process::Command;
use std::time::Instant;

/// CPU seconds (user + system) used so far by finished child processes: on a shared
/// machine wall time also counts other people's work, CPU time does not.
fn children_cpu_ms() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

/// Wall and CPU milliseconds of one export run.
fn export(dataset: &Path, out: &Path, format: &str, with_responses: bool) -> (f64, f64) {
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
    let cpu = children_cpu_ms();
    let start = Instant::now();
    let output = command.output().expect("run safeaware");
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    let cpu = children_cpu_ms() - cpu;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (elapsed, cpu)
}

/// Median wall and median CPU milliseconds of 3 runs.
fn median_of_3(mut run: impl FnMut() -> (f64, f64)) -> (f64, f64) {
    let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..3).map(|_| run()).unzip();
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (wall[1], cpu[1])
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
    common::synth(&dir, 100_000, 300, 10);
    let out = tmp.path().join("out");
    export(&dir, &out, "parquet", true);
    println!("export of 100k items x 10 models (1M responses), whole process");
    let (wall, cpu) = median_of_3(|| export(&dir, &out, "parquet", true));
    println!(
        "  parquet --with-responses   median wall {wall:>8.1} ms  cpu {cpu:>8.1} ms  (target < 2000 ms)  {:.1} MB",
        folder_bytes(&out) as f64 / 1e6
    );
    let (wall, cpu) = median_of_3(|| export(&dir, &out, "parquet", false));
    println!(
        "  parquet, items only        median wall {wall:>8.1} ms  cpu {cpu:>8.1} ms  {:.1} MB",
        folder_bytes(&out) as f64 / 1e6
    );
    let (wall, cpu) = median_of_3(|| export(&dir, &out, "jsonl", true));
    println!(
        "  jsonl --with-responses     median wall {wall:>8.1} ms  cpu {cpu:>8.1} ms  {:.1} MB",
        folder_bytes(&out) as f64 / 1e6
    );
}
