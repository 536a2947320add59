#!/usr/bin/env bash
# Side-by-side timings: safeaware against the Python tools a researcher would use instead.
# usage: benches/compare/run.sh [RUNS]   (default 5; medians of whole-process wall times)
# Needs python3; makes a venv under ${TMPDIR:-/tmp} with duckdb, pandas, polars and blake3
# (COMPARE_VENV names another). SAFEAWARE_BIN times another build (e.g. an older one) instead
# of building this tree; its data goes to its own folder (caches differ between versions).
# MMSAFEAWARE_RELEASE (default ../shared/mmsafeaware) is the release for the import figure.
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/benches/compare"
WORK=${TMPDIR:-/tmp}/safeaware-compare${SAFEAWARE_BIN:+-$(basename "$SAFEAWARE_BIN")}
VENV=${COMPARE_VENV:-${TMPDIR:-/tmp}/safeaware-compare-venv}
RELEASE=${MMSAFEAWARE_RELEASE:-$ROOT/../shared/mmsafeaware}
mkdir -p "$WORK"

if [ -n "${SAFEAWARE_BIN:-}" ]; then
  BIN=$SAFEAWARE_BIN
else
  cargo build --release --bin safeaware --manifest-path "$ROOT/Cargo.toml"
  BIN="$ROOT/target/release/safeaware"
fi
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q duckdb pandas polars blake3; }
PY="$VENV/bin/python"

# Median wall time in seconds of RUNS runs of a command (output discarded), read from bash's
# clock ($EPOCHREALTIME): no `date` process around the command, which would add a
# millisecond or two to both sides of a 25 ms comparison.
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$EPOCHREALTIME; "$@" >/dev/null 2>&1; end=$EPOCHREALTIME
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# Like median, but runs the shell command PREP (untimed) before each timed run.
median_after() {
  local prep=$1; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    sh -c "$prep"
    local start end
    start=$EPOCHREALTIME; "$@" >/dev/null 2>&1; end=$EPOCHREALTIME
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# Peak RSS in MB of one run.
peak_mb() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
DS="$WORK/s100k-10"
if [ ! -d "$DS" ]; then
  "$BIN" synth --items 100000 --models 10 --out "$DS" >/dev/null
  "$BIN" export "$DS" --format jsonl --with-responses --images none --keep-duplicates \
    --include-rejected --out "$WORK/export" --force >/dev/null
  python3 "$HERE/flatten.py" "$WORK/export/items.jsonl" "$WORK/items.jsonl" "$WORK/responses.jsonl"
fi

echo "== report over 1M responses (100k items x 10 models)"
"$BIN" report "$DS" --format csv >/dev/null   # warm the cache
rust_numbers=$("$BIN" report "$DS" --format json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for m in d["models"]:
    subsets = [m[k]["accuracy"] for k in ("typical", "attack", "over_safety")]
    print(m["model"], *(f"{a:.1f}" for a in subsets + [m["total_macro"]]))' 2>/dev/null || true)
duck_numbers=$("$PY" "$HERE/report_duckdb.py" duckdb "$WORK/items.jsonl" "$WORK/responses.jsonl" 2>/dev/null)
if [ -n "$rust_numbers" ]; then
  [ "$rust_numbers" = "$duck_numbers" ] && echo "same numbers: yes" || echo "same numbers: NO"
fi
warm=$(median "$BIN" report "$DS")
cold=$(median_after "rm -rf '$DS/.cache'" "$BIN" report "$DS")
duck=$(median "$PY" "$HERE/report_duckdb.py" duckdb "$WORK/items.jsonl" "$WORK/responses.jsonl")
pandas=$(median "$PY" "$HERE/report_duckdb.py" pandas "$WORK/items.jsonl" "$WORK/responses.jsonl")
polars=$(median "$PY" "$HERE/report_duckdb.py" polars "$WORK/items.jsonl" "$WORK/responses.jsonl")
"$BIN" report "$DS" >/dev/null
echo "safeaware report, warm cache  ${warm} s  ($(peak_mb "$BIN" report "$DS") MB peak)"
echo "safeaware report, cold cache  ${cold} s  (cold/warm $(ratio "$cold" "$warm"))"
echo "DuckDB from JSONL             ${duck} s  (safeaware/DuckDB $(ratio "$warm" "$duck"), target <= 0.5)"
echo "pandas from JSONL             ${pandas} s"
echo "polars from JSONL             ${polars} s"

echo "== TUI: open 100k x 10 in headless mode, first frame, quit (waits for scoring and validation)"
printf 'q\n' > "$WORK/quit.txt"
"$BIN" tui "$DS" --headless --size 120x40 --image-protocol off --keys "$WORK/quit.txt" 2>&1 | grep open_ms || true
echo "peak RSS $(peak_mb "$BIN" tui "$DS" --headless --size 120x40 --image-protocol off --keys "$WORK/quit.txt") MB (target < 300)"

if [ -f "$RELEASE/prompt.txt" ]; then
  echo "== import of the release with --images link"
  rust=$(median_after "rm -rf '$WORK/imported'" "$BIN" import mmsafeaware "$RELEASE" --out "$WORK/imported" --images link)
  py=$(median "$PY" "$HERE/import_release.py" "$RELEASE")
  echo "safeaware import --images link  ${rust} s"
  echo "python parse + hash             ${py} s  (safeaware/python $(ratio "$rust" "$py"), target <= 0.5)"
fi

echo "== Parquet export of 100k items and 1M responses (warm cache, then no .cache/)"
"$BIN" report "$DS" >/dev/null
pq_warm=$(median_after "rm -rf '$WORK/parquet'" "$BIN" export "$DS" --format parquet --with-responses \
  --images none --keep-duplicates --out "$WORK/parquet")
pq_cold=$(median_after "rm -rf '$WORK/parquet' '$DS/.cache'" "$BIN" export "$DS" --format parquet \
  --with-responses --images none --keep-duplicates --out "$WORK/parquet")
echo "export --format parquet, warm  ${pq_warm} s (target < 2)"
echo "export --format parquet, cold  ${pq_cold} s"
