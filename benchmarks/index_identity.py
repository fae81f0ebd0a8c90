"""Check that two builds of the same articles write the same index, byte for byte.

Builds the first N articles of the :mod:`benchmarks.make_corpus` corpus (``Index.add``
of its JSONL shards, then ``compact``) with this checkout and with another one
(``--baseline DIR``: its ``checker`` package; or this checkout reading the files in
one process, ``--baseline inline``), each in a fresh subprocess, and compares
what the index stores: the LSH segment files (bytes, entry counts and layouts, in
registration order), every ``documents`` row but its ``added`` time, every text
frame with its size, and the text dictionaries. Exit code 0 when identical.

Usage::

    python3 -m benchmarks.index_identity --articles 20000 --baseline /tmp/main-checkout
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "out" / "corpus"
SHARD = 10_000
PARAMS: dict[str, dict[str, Any]] = {
    "default": {}, "archive": {"num_perm": 32, "bands": 16, "rows": 2, "passage_stride": 32}}

_BUILD = """
import json, sys
from pathlib import Path
import checker.index
from checker import Index
from checker.sketch import SketchParams
index, params, inline, *paths = sys.argv[1:]
if inline == "1":
    checker.index.SHARDED_MIN_BYTES = 1 << 62  # read in this process: the old path
with Index.open(Path(index), create=True, params=SketchParams(**json.loads(params))) as ix:
    s = ix.add(paths)
    ix.store.compact()
print(json.dumps({"added": s.added, "skipped": s.skipped, "warnings": s.warnings,
                  "file": checker.__file__}))
"""


def build(code: Path, index: Path, params: dict[str, Any], paths: list[Path],
          inline: bool) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", _BUILD, str(index), json.dumps(params),
                          "1" if inline else "0", *map(str, paths)],
                         env=env, cwd=code, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"index_identity: build failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["file"].startswith(str(code)):
        raise SystemExit(f"index_identity: built with {result['file']}, not {code}")
    return result


def contents(index: Path) -> dict[str, Any]:
    """What an index stores, without the ``added`` times and segment file names."""
    db = sqlite3.connect(f"file:{index / 'index.sqlite'}?mode=ro", uri=True)
    cols = [r[1] for r in db.execute("PRAGMA table_info(documents)") if r[1] != "added"]
    docs = db.execute(f"SELECT {', '.join(cols)} FROM documents ORDER BY num").fetchall()
    texts = db.execute("SELECT num, body, size FROM texts ORDER BY num").fetchall()
    dicts = db.execute("SELECT id, data FROM dictionaries ORDER BY id").fetchall()
    segs = [(entries, layout, (index / "lsh" / name).read_bytes())
            for name, entries, layout in
            db.execute("SELECT file, entries, layout FROM segments ORDER BY id")]
    db.close()
    return {"documents": docs, "texts": texts, "dictionaries": dicts, "segments": segs}


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    diffs = []
    for part in ("documents", "texts", "dictionaries", "segments"):
        x, y = a[part], b[part]
        if x != y:
            first = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q),
                         min(len(x), len(y)))
            diffs.append(f"{part}: {len(x)} vs {len(y)} rows, first difference at row {first}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--params", choices=sorted(PARAMS), default="default")
    parser.add_argument("--baseline", required=True,
                        help="another checkout, or 'inline' (this one, read in one process)")
    parser.add_argument("--paths", nargs="*", type=Path,
                        help="files to build from instead of the corpus")
    args = parser.parse_args(argv)
    paths = args.paths or [CORPUS / f"articles-{k:05d}.jsonl"
                           for k in range(-(-args.articles // SHARD))]
    if any(not p.exists() for p in paths):
        raise SystemExit("index_identity: corpus missing; run benchmarks.make_corpus first")
    inline = args.baseline == "inline"
    base = ROOT if inline else Path(args.baseline).resolve()
    params = PARAMS[args.params]
    with tempfile.TemporaryDirectory() as tmp:
        ours = build(ROOT, Path(tmp) / "ours", params, paths, inline=False)
        theirs = build(base, Path(tmp) / "theirs", params, paths, inline=inline)
        diffs = compare(contents(Path(tmp) / "ours"), contents(Path(tmp) / "theirs"))
    if ours["added"] != theirs["added"] or ours["skipped"] != theirs["skipped"]:
        diffs.append(f"summaries differ: {ours['added']}/{ours['skipped']} added/skipped vs "
                     f"{theirs['added']}/{theirs['skipped']}")
    if sorted(ours["warnings"]) != sorted(theirs["warnings"]):
        diffs.append("warnings differ")
    print(json.dumps({"articles": args.articles, "params": args.params,
                      "baseline": args.baseline, "identical": not diffs, "differences": diffs,
                      "added": ours["added"], "warnings": len(ours["warnings"])}))
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
