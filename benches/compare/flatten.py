"""Turns `safeaware export --format jsonl --with-responses` into the raw files a researcher
would hold before using safeaware: items.jsonl (id, subset, gold, status) and
responses.jsonl (model, id, response). Data preparation only; not timed."""
import json
import sys

src, items_out, responses_out = sys.argv[1:4]
with open(src) as f, open(items_out, "w") as items, open(responses_out, "w") as responses:
    for line in f:
        row = json.loads(line)
        items.write(json.dumps({k: row[k] for k in ("id", "subset", "gold", "status")}) + "\n")
        for model, r in (row.get("responses") or {}).items():
            responses.write(json.dumps({"model": model, "id": row["id"], "response": r["text"]}) + "\n")
