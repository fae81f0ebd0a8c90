"""Recall on Reuters-21578 under two sketch parameter sets: what the compact
"archive" parameters of :mod:`benchmarks.scale` cost against the defaults.

Four fifths of Reuters are indexed (the rest are hosts and clean drafts); for
each kind (pasted paragraph of 40-120 words, short paste of 30-39 words,
light edit 15%, heavy edit 30% with shuffled sentences) drafts are made from
indexed articles and scanned. Recall: the draft has a finding naming its
source; fail recall: that finding fails. Clean drafts (unindexed articles)
that fail are counted too. Prints one JSON line per parameter set, and the
index size per article.

Usage::

    python3 -m benchmarks.scale_recall [--per-kind 60]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.scale import PARAMS


def run(params: dict[str, Any], per_kind: int, work: Path) -> dict[str, Any]:
    from checker import Index, Verdict
    from checker.documents import TextDocument
    from checker.sketch import SketchParams

    articles = [a for a in ds.load_reuters() if a.text.strip()]
    indexed = [a for a in articles if int(a.id.rsplit("-", 1)[1]) % 5]
    others = [a for a in articles if not int(a.id.rsplit("-", 1)[1]) % 5]
    started = time.perf_counter()
    with Index.open(work, create=True, params=SketchParams(**params)) as ix:
        ix.add_documents(TextDocument(key=a.id, path=a.id, text=a.text, content_hash=a.id)
                         for a in indexed)
        build = time.perf_counter() - started
        stats = ix.stats()
        rng = random.Random(8)
        makers = {
            "pasted": lambda a, h: ds.pasted_paragraph(a, h, rng),
            "short": lambda a, h: ds.short_paste(a, h, rng),
            "light": lambda a, h: ds.light_edit(a, rng),
            "heavy": lambda a, h: ds.heavy_edit(a, rng),
        }
        out: dict[str, Any] = {"params": params, "build_s": build,
                               "bytes_per_article": stats.bytes_on_disk / stats.documents,
                               "lsh_entries_per_article": stats.lsh_entries / stats.documents}
        for kind, make in makers.items():
            found = failed = total = 0
            while total < per_kind:
                art, host = rng.choice(indexed), rng.choice(others)
                try:
                    draft = make(art, host)
                except ValueError:
                    continue
                total += 1
                hits = [f for f in ix.scan_text(draft.text).findings if f.source.path == art.id]
                found += bool(hits)
                failed += any(f.verdict is Verdict.FAIL for f in hits)
            out[kind] = {"recall": found / total, "fail_recall": failed / total}
        clean = rng.sample(others, per_kind)
        out["clean_failed"] = sum(ix.scan_text(a.text).verdict is Verdict.FAIL for a in clean)
        out["clean"] = len(clean)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=60)
    args = parser.parse_args(argv)
    for name, params in PARAMS.items():
        with tempfile.TemporaryDirectory() as tmp:
            res = run(params, args.per_kind, Path(tmp) / "index")
        print(json.dumps({"name": name, **res}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
