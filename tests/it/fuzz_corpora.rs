//! The fuzz corpora on stable Rust: every seed under `fuzz/corpus/<target>/` and every saved
//! reproducer under `fuzz/regressions/<target>/` goes through the same entry points the
//! fuzz targets call (`fuzz/src/lib.rs`, included here), and must not panic. An ignored
//! test (run by `.ci/run`) mutates the seeds and throws random bytes at every parser.

#[path = "../../fuzz/src/lib.rs"]
mod entries;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The fuzz folder of the repository.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The committed files of `fuzz/<kind>/<target>/` (none when the folder is absent), sorted:
/// in `corpus/` only the `seed-*` files (a local libFuzzer run adds its own beside them).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = dir
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            p.is_file() && name != ".gitkeep" && (kind != "corpus" || name.starts_with("seed-"))
        })
        .collect();
    files.sort();
    files
}

/// Runs `entry` on `data`; a panic comes back as its message.
fn run(entry: fn(&[u8]), data: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| entry(data))).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into())
    })
}

#[test]
fn every_fuzz_seed_and_saved_regression_parses_without_a_panic() {
    let mut failures = Vec::new();
    for &(name, entry) in entries::TARGETS {
        let seeds = inputs("corpus", name);
        assert!(seeds.len() >= 3, "fuzz/corpus/{name} has {} seeds", seeds.len());
        for path in seeds.iter().chain(&inputs("regressions", name)) {
            let data = std::fs::read(path).unwrap();
            if let Err(message) = run(entry, &data) {
                failures.push(format!("{}: {message}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "parsers panicked:\n{}", failures.join("\n"));
}

#[test]
fn every_fuzz_target_has_a_binary_and_a_seed_folder() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for &(name, _) in entries::TARGETS {
        assert!(
            manifest.contains(&format!("path = \"fuzz_targets/{name}.rs\"")),
            "fuzz/Cargo.toml lists {name}"
        );
        let target = std::fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{name}.rs"))).unwrap();
        assert!(
            target.contains(&format!("safeaware_fuzz::{name}(data)")),
            "{name} calls its entry point"
        );
    }
}

/// A small deterministic generator (the test needs no crate for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound.max(1) as u64) as usize
    }
}

/// Bytes the parsers treat specially: quotes, separators, brackets, escapes, bad UTF-8.
const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"\n",
    b"\r\n",
    b",",
    b"\t",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b"\\",
    b"\\u{",
    b"\xff",
    b"\x00",
    b"\xef\xbb\xbf",
    b"-",
    b"Some(",
    b"null",
    b"9999999999999999999999",
    b"\xe2\x80",
    b"\x1b[2J",
    b"\"end\":true",
    b"is:",
    b"IHDR",
    b"\xff\xff\xff\x7f",
];

/// One mutation of `input`, sometimes spliced with `other`.
fn mutate(rng: &mut Lcg, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.next(4) {
        let at = rng.next(data.len() + 1);
        match rng.next(7) {
            0 if !data.is_empty() => {
                let i = rng.next(data.len());
                data[i] ^= 1 << rng.next(8);
            }
            1 if !data.is_empty() => {
                let end = (at + 1 + rng.next(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            2 => {
                let token = INTERESTING[rng.next(INTERESTING.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 => data.truncate(at),
            4 if !other.is_empty() => {
                let from = rng.next(other.len());
                let end = (from + 1 + rng.next(64)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            5 if !data.is_empty() => {
                let from = rng.next(data.len());
                let end = (from + 1 + rng.next(32)).min(data.len());
                let copy = data[from..end].to_vec();
                data.splice(at..at, copy);
            }
            _ => data.insert(at, rng.next(256) as u8),
        }
    }
    data
}

/// Saves a panicking input as a regression (so the replay test keeps it) and names it.
fn save_regression(target: &str, data: &[u8]) -> PathBuf {
    let dir = fuzz_dir().join("regressions").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("crash-{}", &blake3::hash(data).to_hex()[..16]));
    std::fs::write(&path, data).unwrap();
    path
}

#[test]
#[ignore = "long: 20k mutated inputs per parser (SAFEAWARE_FUZZ_ITERATIONS, SAFEAWARE_FUZZ_TARGET); run by .ci/run"]
fn mutated_seeds_and_random_bytes_never_panic_a_parser() {
    let iterations: usize = std::env::var("SAFEAWARE_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let only = std::env::var("SAFEAWARE_FUZZ_TARGET").ok();
    let mut failures = Vec::new();
    let mut total = 0;
    for (number, &(name, entry)) in entries::TARGETS.iter().enumerate() {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        let seeds: Vec<Vec<u8>> = inputs("corpus", name)
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        let mut rng = Lcg(20261201 + number as u64);
        let mut panics = 0;
        for _ in 0..iterations {
            let data = if rng.next(10) == 0 {
                (0..rng.next(256)).map(|_| rng.next(256) as u8).collect()
            } else {
                let seed = &seeds[rng.next(seeds.len())];
                let other = &seeds[rng.next(seeds.len())];
                mutate(&mut rng, seed, other)
            };
            if let Err(message) = run(entry, &data) {
                panics += 1;
                if panics <= 3 {
                    let path = save_regression(name, &data);
                    failures.push(format!("{name}: {message} (saved {})", path.display()));
                }
            }
        }
        total += iterations;
        eprintln!("fuzz {name}: {iterations} inputs, {panics} panics");
    }
    eprintln!("fuzz: {total} inputs in all");
    assert!(failures.is_empty(), "parsers panicked:\n{}", failures.join("\n"));
}
