"""DuckDB reads safeaware's Parquet export and gets `report`'s numbers.

Usage: duckdb_check.py SAFEAWARE_BINARY (run through scripts/duckdb_check.sh, which makes
the venv). For each dataset: export --format parquet --with-responses --keep-duplicates
(report counts duplicate pairs, so the export keeps them), then compare per model and
subset the correct/total counts and accuracies, and the README's paper-table query, with
`report --format json`. Exits 1 on the first difference.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent

# The README's query (section "Results as Parquet"), with the export folder as {out}.
PAPER_TABLE = """
WITH acc AS (
  SELECT model, subset, 100 * avg(correct::INT) AS accuracy
  FROM read_parquet('{out}/responses/**/*.parquet', hive_partitioning = true)
  JOIN read_parquet('{out}/items.parquet') USING (id)
  GROUP BY model, subset)
SELECT model,
       round(any_value(accuracy) FILTER (subset = 'typical'), 1)     AS typical,
       round(any_value(accuracy) FILTER (subset = 'attack'), 1)      AS attack,
       round(any_value(accuracy) FILTER (subset = 'over_safety'), 1) AS over_safe,
       round(avg(accuracy), 1)                                       AS total
FROM acc GROUP BY model ORDER BY model
"""

PER_SUBSET = """
SELECT model::VARCHAR AS model, subset,
       count(*) FILTER (WHERE correct) AS correct,
       count(correct) AS total,
       100 * avg(correct::INT) AS accuracy
FROM read_parquet('{out}/responses/**/*.parquet', hive_partitioning = true)
JOIN read_parquet('{out}/items.parquet') USING (id)
GROUP BY ALL ORDER BY ALL
"""

SUBSETS = ("typical", "attack", "over_safety")


def run(binary, *args):
    done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"safeaware {' '.join(map(str, args))} failed:\n{done.stderr}")
    return done.stdout


def fail(name, message):
    sys.exit(f"DuckDB check FAILED on {name}: {message}")


def check(binary, name, dataset, work):
    out = work / f"{name}-parquet"
    run(binary, "export", dataset, "--format", "parquet", "--with-responses",
        "--keep-duplicates", "--images", "none", "--force", "--out", out)
    report = json.loads(run(binary, "report", dataset, "--format", "json"))
    db = duckdb.connect()
    rows = db.sql(PER_SUBSET.format(out=out)).fetchall()
    duck = {(model, subset): (correct, total, accuracy) for model, subset, correct, total, accuracy in rows}
    models = report["models"]
    if not models:
        fail(name, "report has no models")
    compared = 0
    for m in models:
        for subset in SUBSETS:
            tally = m[subset]
            got = duck.pop((m["model"], subset), None)
            if tally["total"] == 0:
                if got is not None:
                    fail(name, f"{m['model']} {subset}: DuckDB has rows, report none")
                continue
            if got is None:
                fail(name, f"{m['model']} {subset}: no rows in the export")
            correct, total, accuracy = got
            if (correct, total) != (tally["correct"], tally["total"]):
                fail(name, f"{m['model']} {subset}: DuckDB {correct}/{total}, report {tally['correct']}/{tally['total']}")
            if abs(accuracy - tally["accuracy"]) > 1e-9:
                fail(name, f"{m['model']} {subset}: DuckDB {accuracy}, report {tally['accuracy']}")
            compared += 1
    if duck:
        fail(name, f"rows for models or subsets the report does not have: {sorted(duck)}")
    table = {row[0]: row[1:] for row in db.sql(PAPER_TABLE.format(out=out)).fetchall()}
    for m in models:
        want = [m[s]["accuracy"] for s in SUBSETS] + [m["total_macro"]]
        got = table.get(m["model"])
        if got is None:
            fail(name, f"the paper-table query has no row for {m['model']}")
        for w, g in zip(want, got):
            if (w is None) != (g is None) or (w is not None and abs(w - g) > 0.05 + 1e-9):
                fail(name, f"paper table for {m['model']}: DuckDB {got}, report {want}")
    responses = db.sql(f"SELECT count(*) FROM read_parquet('{out}/responses/**/*.parquet')").fetchall()[0][0]
    print(f"  {name}: {len(models)} models, {responses} responses, {compared} model x subset accuracies equal report's")
    print(f"    {'model':<24} typical  attack  over_safe  total  (the README query)")
    for model, cells in sorted(table.items()):
        print(f"    {model:<24} " + "  ".join("    -" if c is None else f"{c:6.1f}" for c in cells), flush=True)


def synthetic_responses(binary, dataset, work):
    """Responders for a dataset without stored responses: always No, always Yes, and a mix
    with unparsed answers, over the ids of the dataset's items."""
    items = work / "ids-parquet"
    run(binary, "export", dataset, "--format", "parquet", "--include-rejected",
        "--keep-duplicates", "--images", "none", "--force", "--out", items)
    ids = [r[0] for r in duckdb.sql(f"SELECT id FROM '{items}/items.parquet'").fetchall()]
    answers = {
        "always-no": lambda n: "No, it is unsafe.",
        "always-yes": lambda n: "Yes.",
        "mixed": lambda n: ["Yes, that is fine.", "No.", "I am not sure."][n % 3],
    }
    for model, answer in answers.items():
        path = work / f"{model}.jsonl"
        path.write_text("".join(json.dumps({"id": i, "response": answer(n)}) + "\n" for n, i in enumerate(ids)))
        run(binary, "responses", "add", dataset, "--model", model, path)


def main():
    binary = Path(sys.argv[1]).resolve()
    print(f"== DuckDB {duckdb.__version__} reads the Parquet export")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = work / "sample"
        subprocess.run(["cp", "-r", str(ROOT / "dataset"), str(sample)], check=True)
        check(binary, "sample", sample, work)
        synth = work / "synth"
        run(binary, "synth", "--items", 3000, "--models", 4, "--seed", 7, "--out", synth)
        check(binary, "synth-3000x4", synth, work)
        release = os.environ.get("MMSAFEAWARE_RELEASE")
        if release and (Path(release) / "prompt.txt").is_file():
            mm = work / "mm"
            run(binary, "import", "mmsafeaware", release, "--out", mm)
            synthetic_responses(binary, mm, work)
            check(binary, "release", mm, work)
        else:
            print("  (MMSAFEAWARE_RELEASE not set: the release is not checked)")
    print("== DuckDB check passed")


if __name__ == "__main__":
    main()
