#!/usr/bin/env bash
# DuckDB check of the Parquet export: installs DuckDB with pip in a venv under the cargo
# target folder (never in the source tree), exports datasets with responses to Parquet and
# checks that the per-model accuracy per subset DuckDB computes from
# read_parquet('.../responses/**/*.parquet', hive_partitioning = true) joined to
# items.parquet equals `safeaware report --format json`'s (scripts/duckdb_check.py).
#
# Datasets: the bundled sample, a synthetic 3,000-item dataset with 4 responders and, when
# MMSAFEAWARE_RELEASE points at the release, the imported release with synthetic responders.
# Skips (exit 0, with a message) only when pip cannot reach its package index.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
venv="$target/duckdb-venv"
python="$venv/bin/python"

if ! { [ -x "$python" ] && "$python" -c 'import duckdb' 2>/dev/null; }; then
    echo "== installing duckdb with pip in $venv"
    python3 -m venv "$venv"
    if ! "$python" -m pip install --quiet --disable-pip-version-check duckdb; then
        if ! "$python" -c 'import urllib.request; urllib.request.urlopen("https://pypi.org/simple/duckdb/", timeout=15)' 2>/dev/null; then
            echo "SKIPPED the DuckDB check: pip cannot reach PyPI to install duckdb" >&2
            exit 0
        fi
        echo "pip could reach PyPI but failed to install duckdb" >&2
        exit 1
    fi
fi

cargo build --quiet --bin safeaware
exec "$python" scripts/duckdb_check.py "$target/debug/safeaware"
