"""How checker's cost grows with the archive: 10k, 100k and 1M articles.

For each size, on the corpus of :mod:`benchmarks.make_corpus` (its first N articles):

* build: ``Index.add`` of the JSONL shards (worker pool over all cores), then a full
  merge of the LSH segments; wall time, words/s, peak RSS (this process plus its
  workers), size on disk;
* references on the same articles, in the same run (so load from other processes hits
  both): the plain datasketch pipeline and rensa (:mod:`benchmarks.references`),
  timed on a fixed sample of the corpus (datasketch would need ~30 min at 100k);
* open (a fresh process: ``Index.open``), scan p50/p95 of 1,000-word drafts, half
  holding a reproduction of an indexed article (pasted paragraph, short paste, light
  edit, heavy edit: recall is reported with the timings), peak RSS while scanning;
* a 20-file CI scan: ``checker scan`` of 20 drafts in a subprocess, start-up included;
* incremental: adding 1,000 new articles and removing one.

Every size runs its phases in subprocesses (clean peak RSS) and merges its figures into
``benchmarks/out/scale.json``; the table and plot (``docs/scale.png``) are redrawn from
it into ``docs/benchmarks.md`` between ``<!-- scale:start -->`` and ``<!-- scale:end -->``.

Usage::

    python3 -m benchmarks.make_corpus 1000000 benchmarks/out/corpus
    python3 -m benchmarks.scale --sizes 10000 100000 [--params default|archive]
    python3 -m benchmarks.scale --report   # redraw table and plot only
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks import references
from benchmarks.datasets import commit
from benchmarks.make_corpus import SHARD, articles, successors

ROOT = ds.PROJECT_ROOT
OUT = ROOT / "benchmarks" / "out"
CORPUS = OUT / "corpus"
RESULTS = OUT / "scale.json"
DRAFTS = 100
EXTRA_SEED = 77
KINDS = ("pasted", "short", "light", "heavy")
# "archive": the parameters that keep a 1M-article index under 4 GB (see docs/benchmarks.md).
PARAMS = {"default": {}, "archive": {"num_perm": 32, "bands": 16, "rows": 2,
                                     "passage_stride": 32}}


def peak_rss_mb() -> float:
    """Peak RSS of this process plus its largest finished child (MB): the workers."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024 + kids / 1024


def shards(n: int) -> list[Path]:
    paths = [CORPUS / f"articles-{k:05d}.jsonl" for k in range(-(-n // SHARD))]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"scale: {missing[0]} missing; run benchmarks.make_corpus first")
    return paths


def _pool() -> tuple[list[str], dict[str, list[str]]]:
    pool = [s for s in ds.sentence_pool(ds.load_reuters()) if ds.word_count(s) <= 100]
    return pool, successors(pool)


# -- phases (each in its own process) ------------------------------------------------


def phase_build(n: int, index: Path, params: dict[str, Any]) -> dict[str, Any]:
    from checker import Index
    from checker.sketch import SketchParams

    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    log = (OUT / f"scale-progress-{n}.log").open("w", encoding="utf-8")

    def progress(done: int, total: int) -> None:
        print(f"{time.strftime('%H:%M:%S')} {done}/{total} shards "
              f"{time.perf_counter() - started:.0f} s", file=log, flush=True)

    with Index.open(index, create=True, params=SketchParams(**params)) as ix:
        summary = ix.add(shards(n), progress=progress)
        added = time.perf_counter() - started
        ix.store.compact()
        seconds = time.perf_counter() - started
        stats = ix.stats()
    return {"documents": summary.added, "words": stats.words, "build_s": seconds,
            "add_s": added, "lsh_entries": stats.lsh_entries, "build_rss_mb": peak_rss_mb()}


def host_paragraphs() -> list[str]:
    """Paragraphs of the web pages in ``../shared`` (text the archive does not hold)."""
    from checker.readers import read_file

    paras = []
    for page in sorted((ds.reuters_dir().parent / "web-pages" / "pages").glob("*.html")):
        for doc in read_file(page, str(page)):
            paras += [p for p in doc.text.split("\n\n") if len(p.split()) >= 20]
    return paras


def make_drafts(n: int, count: int, seed: int = 5) -> list[dict[str, Any]]:
    """1,000-word drafts: hosts are paragraphs of web pages (not in the archive);
    every other draft holds a reproduction (of a kind in KINDS) of an indexed article."""
    rng = random.Random(seed)
    paras = host_paragraphs()

    def host_text(words: int = 950) -> str:
        out: list[str] = []
        while words > 0:
            p = paras[rng.randrange(len(paras))].split()[:words]
            out.append(" ".join(p))
            words -= len(p)
        return "\n\n".join(out)

    hosts = [{"id": f"host-{i}", "title": "", "text": host_text()} for i in range(2 * count)]
    # Sources from the first shards only: reading all of a 1M corpus takes minutes.
    picks = sorted(rng.sample(range(min(n, 5 * SHARD)), count // 2))
    wanted = {f"s11-{i:07d}" for i in picks}
    sources: list[dict[str, str]] = []
    for path in shards(n):
        with path.open(encoding="utf-8") as f:
            sources += [a for a in map(json.loads, f) if a["id"] in wanted]
    drafts = []
    for i in range(count):
        h1 = hosts[2 * i]
        host_text = h1["text"]
        host = ds.Article(id=h1["id"], title="", text=host_text, date="", topics=())
        if i % 2 or not sources:
            drafts.append({"text": host_text, "source": None, "kind": "clean"})
            continue
        src = sources.pop()
        art = ds.Article(id=src["id"], title=src["title"], text=src["text"].rsplit("\n\n", 1)[0],
                         date="", topics=())
        kind = KINDS[(i // 2) % len(KINDS)]
        if kind == "pasted":
            d = ds.pasted_paragraph(art, host, rng)
        elif kind == "short":
            d = ds.short_paste(art, host, rng)
        else:
            edited = (ds.light_edit if kind == "light" else ds.heavy_edit)(art, rng)
            fill = host_text.split()[: max(0, 1000 - ds.word_count(edited.text))]
            d = ds.Draft(kind=kind, text=edited.text + "\n\n" + " ".join(fill), reuses=())
        drafts.append({"text": d.text, "source": src["id"], "kind": kind})
    return drafts


def phase_scan(index: Path, drafts_file: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    from checker import Index

    imported = time.perf_counter()
    drafts = json.loads(drafts_file.read_text(encoding="utf-8"))
    import numpy as np

    opened = time.perf_counter()
    ix = Index.open(index)
    ix.store.lookup_pairs(np.zeros(1, dtype=np.int64))  # maps the LSH segments
    open_s = time.perf_counter() - opened
    ix.scan_text(drafts[0]["text"])  # warm: page in the index and the code paths
    times, hits = [], {k: [0, 0] for k in KINDS}
    for d in drafts:
        s = time.perf_counter()
        report = ix.scan_text(d["text"])
        times.append(time.perf_counter() - s)
        if d["source"]:
            found = any(f.source.path.endswith("#" + d["source"]) for f in report.findings)
            hits[d["kind"]][0] += found
            hits[d["kind"]][1] += 1
    ix.close()
    times.sort()
    q = statistics.quantiles(times, n=100)
    total = [sum(v[0] for v in hits.values()), sum(v[1] for v in hits.values())]
    return {"import_s": imported - t0, "open_s": open_s, "scan_p50_ms": 1000 * q[49],
            "scan_p95_ms": 1000 * q[94], "recall": total[0] / max(1, total[1]),
            "recall_by_kind": {k: v[0] / max(1, v[1]) for k, v in hits.items()},
            "scan_rss_mb": peak_rss_mb()}


def phase_incremental(index: Path) -> dict[str, Any]:
    from checker import Index

    pool, follow = _pool()
    extra = OUT / "extra-1000.jsonl"
    lines = [json.dumps(a) for a in articles(0, 1000, EXTRA_SEED, pool, follow)]
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Index.open(index) as ix:
        s = time.perf_counter()
        ix.add([extra])
        add_s = time.perf_counter() - s
        victim = ix.store.get(f"{extra}#s{EXTRA_SEED}-0000000")
        assert victim is not None
        s = time.perf_counter()
        ix.remove([victim.id])
        remove_s = time.perf_counter() - s
    return {"add_1000_s": add_s, "remove_1_s": remove_s}


def run_phase(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--phase", *args],
                         capture_output=True, text=True, check=False, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"scale: phase {args[0]} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def ci_scan(index: Path, drafts: list[dict[str, Any]]) -> float:
    work = OUT / "ci-drafts"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = []
    for i, d in enumerate(drafts[:20]):
        files.append(work / f"draft-{i:02d}.md")
        files[-1].write_text(d["text"], encoding="utf-8")
    cmd = [shutil.which("checker") or "checker", "scan", *map(str, files), "--index", str(index),
           "--format", "json"]
    runs = []
    for _ in range(3):
        s = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        runs.append(time.perf_counter() - s)
    return statistics.median(runs)


def reference_figures(n: int) -> dict[str, Any]:
    texts: list[str] = []
    with shards(n)[0].open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
    ds_t = references.datasketch_pipeline(texts[:1000])
    rs_t = references.rensa_pipeline(texts[:10_000])
    return {"datasketch_wps": ds_t.words_per_second, "datasketch_docs": ds_t.documents,
            "rensa_wps": rs_t.words_per_second if rs_t else None,
            "rensa_docs": rs_t.documents if rs_t else 0}


def run_size(n: int, params_name: str) -> dict[str, Any]:
    index = OUT / f"scale-index-{n}"
    res: dict[str, Any] = {"n": n, "params": params_name, "date": time.strftime(
        "%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit()}
    key = f"{params_name}-{n}"
    res["refs_before"] = reference_figures(n)
    res.update(run_phase("build", str(n), str(index), json.dumps(PARAMS[params_name])))
    res["disk_mb"] = sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 2**20
    save(key, res)  # partial figures survive a run that is stopped
    if n <= 100_000:  # at 1M the references before the build are enough (time)
        res["refs_after"] = reference_figures(n)
    drafts = make_drafts(n, DRAFTS)
    drafts_file = OUT / f"scale-drafts-{n}.json"
    drafts_file.write_text(json.dumps(drafts), encoding="utf-8")
    res.update(run_phase("scan", str(index), str(drafts_file)))
    save(key, res)
    res["ci_20_files_s"] = ci_scan(index, drafts)
    res.update(run_phase("incremental", str(index)))
    save(key, res)
    return res


def save(key: str, res: dict[str, Any]) -> None:
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = res
    RESULTS.write_text(json.dumps(results, indent=1), encoding="utf-8")




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--params", choices=sorted(PARAMS), default="archive")
    parser.add_argument("--report", action="store_true", help="only redraw table and plot")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        name, *rest = args.phase
        if name == "build":
            out = phase_build(int(rest[0]), Path(rest[1]), json.loads(rest[2]))
        elif name == "scan":
            out = phase_scan(Path(rest[0]), Path(rest[1]))
        else:
            out = phase_incremental(Path(rest[0]))
        print(json.dumps(out))
        return 0
    from benchmarks.scale_report import write_report

    for n in [] if args.report else args.sizes:
        print(json.dumps(run_size(n, args.params)), flush=True)
    write_report(json.loads(RESULTS.read_text()) if RESULTS.exists() else {})
    return 0


if __name__ == "__main__":
    sys.exit(main())
