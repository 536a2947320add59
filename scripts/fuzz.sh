#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for N minutes each (default 1): `scripts/fuzz.sh [MINUTES] [TARGET...]`.
# Needs a nightly toolchain (libFuzzer's coverage instrumentation). With cargo-fuzz it uses
# `cargo +nightly fuzz run`; without it, it builds the targets with the same flags cargo-fuzz
# passes. Without nightly it says so and exits 0: the stable replay of the seeds runs in
# `cargo test` (tests/it/fuzz_corpora.rs) either way.
# A crash is copied to fuzz/regressions/<target>/ (replayed by `cargo test` from then on)
# and the script exits 1.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

minutes="${1:-1}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^safeaware-fuzz$')
fi
seconds=$((minutes * 60))

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz: no nightly toolchain here, so no libFuzzer run (install one with"
    echo "      'rustup toolchain install nightly', optionally 'cargo install cargo-fuzz')."
    echo "      The seeds and saved regressions are still replayed by 'cargo test'."
    exit 0
fi

triple="$(rustc -vV | sed -n 's/^host: //p')"
if cargo +nightly fuzz --help >/dev/null 2>&1; then
    build() { cargo +nightly fuzz build -O "$1"; }
    binary() { echo "target/$triple/release/$1"; }
else
    echo "fuzz: cargo-fuzz is not installed; building with the flags it uses"
    export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
    build() { cargo +nightly build --release --target "$triple" --bin "$1"; }
    binary() { echo "target/$triple/release/$1"; }
fi

status=0
for target in "${targets[@]}"; do
    build "$target"
    mkdir -p "corpus/$target" "artifacts/$target"
    log="artifacts/$target/run.log"
    echo "== $target for ${seconds}s"
    if "$(binary "$target")" "corpus/$target" \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="artifacts/$target/" -print_final_stats=1 >"$log" 2>&1; then
        runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
        echo "   ${runs:-?} executions, no crash"
    else
        echo "   CRASH: see fuzz/$log"
        mkdir -p "regressions/$target"
        for crash in artifacts/"$target"/crash-* artifacts/"$target"/timeout-* artifacts/"$target"/oom-*; do
            [ -f "$crash" ] && cp "$crash" "regressions/$target/" && echo "   saved fuzz/regressions/$target/$(basename "$crash")"
        done
        status=1
    fi
done
exit $status
