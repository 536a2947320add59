"""What a Python user would do instead of `safeaware import mmsafeaware --images link`:
parse prompt.txt (id, question, quoted sentence, blank lines) and hash every image
(blake3 when the `blake3` package is installed, else hashlib's blake2b). Prints the
counts and the in-process time.

usage: python import_release.py RELEASE_FOLDER"""
import os
import sys
import time

START = time.perf_counter()
release = sys.argv[1]
try:
    from blake3 import blake3 as hasher
except ImportError:
    from hashlib import blake2b as hasher

records = []
with open(os.path.join(release, "prompt.txt"), encoding="utf-8") as f:
    block = []
    for line in f.read().split("\n") + [""]:
        if line.strip():
            block.append(line)
        elif block:
            id_, question, sentence = block[0], "\n".join(block[1:-1]), block[-1].strip().strip('"')
            records.append((int(id_), question, sentence))
            block = []

hashes = {}
for folder in ("images", "images2"):
    path = os.path.join(release, folder)
    if not os.path.isdir(path):
        continue
    for name in os.listdir(path):
        stem = name.rsplit(".", 1)[0]
        with open(os.path.join(path, name), "rb") as f:
            hashes[stem] = hasher(f.read()).hexdigest()

print(f"{len(records)} records, {len(hashes)} images hashed")
print(f"# python import: {time.perf_counter() - START:.3f} s in-process", file=sys.stderr)
