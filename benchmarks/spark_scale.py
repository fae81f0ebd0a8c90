"""Spark build and audit throughput against a local build of the same corpus.

On one PostgreSQL server of our own (``tests/pgcluster.py``: initdb'd in a
temporary directory, on a free port), for the first N articles of
:mod:`benchmarks.make_corpus` (Reuters sentences, reworded; needs ``../shared``)
split into JSONL files of 500 articles (so Spark has tasks to spread):

- build words/s: ``index add`` on this machine (the local engine, worker pool
  over all cores) against ``--engine spark`` with ``local[1]`` and ``local[2]``,
  each into its own database;
- the server's write rate alone: prepared batches written with COPY and no
  sketching (the ceiling of any number of executors: writers of one index
  take its write lock in turn);
- audit drafts/s: a local scan of D drafts (half of them reproduce an indexed
  article: :func:`benchmarks.scale.make_drafts`) against ``scan --engine
  spark`` with 1 and 2 executors, and whether the verdicts are the same.

Results go to ``docs/benchmarks.md`` (section ``spark``) with the date, the
commit and the machine's load average. Usage::

    python3 -m benchmarks.spark_scale [--articles 10000] [--drafts 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.datasets import commit
from benchmarks.make_corpus import make
from benchmarks.scale import CORPUS, make_drafts

ROOT = ds.PROJECT_ROOT
OUT = ROOT / "benchmarks" / "out" / "spark"
DOC = ROOT / "docs" / "benchmarks.md"
PER_FILE = 500
LOCAL = "local (index add, this machine)"
WRITES = "server writes alone (COPY, no sketching)"
CONF = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "4"}


def split_corpus(n: int) -> Path:
    """The first ``n`` articles as JSONL files of :data:`PER_FILE` articles."""
    src = make(n, CORPUS)
    target = OUT / f"corpus-{n}"
    if target.exists() and len(list(target.glob("*.jsonl"))) == -(-n // PER_FILE):
        return target
    target.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for path in src:
        lines += path.read_text(encoding="utf-8").splitlines()
    lines = lines[:n]
    for k in range(0, n, PER_FILE):
        (target / f"part-{k // PER_FILE:04d}.jsonl").write_text(
            "\n".join(lines[k:k + PER_FILE]) + "\n", encoding="utf-8")
    return target


def server() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    import pgcluster

    bin_dir = pgcluster.bindir()
    if bin_dir is None:
        raise SystemExit("spark_scale: PostgreSQL is not installed")
    # A directory of our own name: other jobs on a shared machine clean checker-pg-*.
    base = Path(tempfile.mkdtemp(prefix="spark-scale-pg-"))
    base.chmod(0o700)
    pgcluster._chown(base)
    cluster = pgcluster.Cluster(bin_dir, base, pgcluster.free_port())
    cluster.initdb()
    cluster.start()
    return cluster, base, pgcluster


def database(cluster: Any, pgcluster: Any, name: str) -> str:
    pgcluster.create_database(cluster.url(), name)
    return str(cluster.url(name))


def local_build(url: str, corpus: Path) -> dict[str, Any]:
    from checker import Index

    start = time.perf_counter()
    with Index.open(url, create=True) as idx:
        s = idx.add([corpus])
        words = idx.stats().words
    seconds = time.perf_counter() - start
    return {"documents": s.added, "words": words, "seconds": seconds, "words_s": words / seconds}


def write_only(url: str, corpus: Path, limit: int = 3000) -> dict[str, Any]:
    """Words/s of the server's write path alone (COPY of prepared batches)."""
    from checker import Index
    from checker.documents import Metadata
    from checker.ingest import prepare_batch
    from checker.readers import iter_files, read_file

    docs = [d for p, name in iter_files([corpus]) for d in read_file(p, name)][:limit]
    with Index.open(url, create=True) as idx:
        prepared = prepare_batch(docs, Metadata(), idx.params)
        start = time.perf_counter()
        for k in range(0, len(prepared), 500):
            idx.store.write(prepared[k:k + 500], merge=False)
        seconds = time.perf_counter() - start
    words = sum(p.record.words for p in prepared)
    return {"documents": len(prepared), "words": words, "seconds": seconds,
            "words_s": words / seconds}


def spark_build(url: str, corpus: Path, master: str) -> dict[str, Any]:
    from checker.spark import jobs

    spark = jobs.session(master, CONF)
    start = time.perf_counter()
    s = jobs.build(url, [corpus], partitions=4 * int(master[6:-1]))
    total = time.perf_counter() - start
    spark.stop()
    return {"documents": s.added, "words": s.words, "seconds": s.seconds, "total_s": total,
            "words_s": s.words / s.seconds, "skipped": s.skipped,
            "prepare_cpu_s": s.prepare_cpu_s, "write_s": s.write_s}


def local_scan(url: str, drafts: Path) -> tuple[dict[str, Any], dict[str, str]]:
    from checker import Index, Policy

    start = time.perf_counter()
    with Index.open(url) as idx:
        report = idx.scan([drafts], Policy())
    seconds = time.perf_counter() - start
    verdicts = {f.path: f.verdict.value for f in report.files}
    return {"drafts": len(verdicts), "seconds": seconds,
            "drafts_s": len(verdicts) / seconds}, verdicts


def spark_audit(url: str, drafts: Path, master: str) -> tuple[dict[str, Any], dict[str, str]]:
    from checker.spark import jobs

    spark = jobs.session(master, CONF)
    out = OUT / f"audit-{master}.jsonl"
    s = jobs.audit(url, [drafts], str(out), partitions=4 * int(master[6:-1]))
    spark.stop()
    verdicts = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        verdicts[obj["path"]] = obj["verdict"]
    return {"drafts": s.drafts, "seconds": s.seconds, "drafts_s": s.drafts / s.seconds}, verdicts


def write_drafts(n: int, count: int) -> Path:
    target = OUT / f"drafts-{n}-{count}"
    target.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(make_drafts(n, count)):
        (target / f"d{i:04d}.txt").write_text(d["text"], encoding="utf-8")
    return target


def render(res: dict[str, Any]) -> str:
    b, a = res["build"], res["audit"]
    base = b[LOCAL]["words_s"]
    lines = [
        "<!-- spark:start -->",
        "## Spark: bulk build and archive audit (`--engine spark`)",
        "",
        f"`python3 -m benchmarks.spark_scale --articles {res['articles']} --drafts "
        f"{res['drafts']}`; measured {res['date']} at commit {res['commit']}, load average "
        f"{res['load_before']:.1f} before and {res['load_after']:.1f} after (2 cores shared "
        "with other jobs: absolute figures are noisy, compare within the table). Corpus: the "
        "first "
        f"{res['articles']:,} articles of `benchmarks.make_corpus` ({b[LOCAL]['words']:,} "
        "words) in JSONL files of 500 articles; one PostgreSQL server of our own "
        "(fsync off), one database per build.",
        "",
        "| build | documents | seconds | words/s | vs local | executors' sketch CPU s | "
        "executors' write s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in b.items():
        cpu = f"{r['prepare_cpu_s']:.1f}" if "prepare_cpu_s" in r else "-"
        wr = f"{r['write_s']:.1f}" if "write_s" in r else "-"
        lines.append(f"| {name} | {r['documents']:,} | {r['seconds']:.1f} | "
                     f"{r['words_s']:,.0f} | {r['words_s'] / base:.2f}x | {cpu} | {wr} |")
    lines += ["", "| audit | drafts | seconds | drafts/s | same verdicts as local |",
              "|---|---|---|---|---|"]
    for name, r in a.items():
        lines.append(f"| {name} | {r['drafts']} | {r['seconds']:.1f} | {r['drafts_s']:.1f} | "
                     f"{r.get('same', '-')} |")
    lines += ["", *extrapolation(res), "", "<!-- spark:end -->"]
    return "\n".join(lines) + "\n"


def extrapolation(res: dict[str, Any]) -> list[str]:
    """What the measurements say about a cluster (computed, not typed in)."""
    one = res["build"].get("spark local[1]")
    if not one or not one.get("prepare_cpu_s") or not one.get("write_s"):
        return []
    two = res["build"].get("spark local[2]", one)
    alone = res["build"].get(WRITES, {}).get("words_s", 0.0)
    core = one["words"] / one["prepare_cpu_s"]
    server = one["words"] / one["write_s"]
    ceiling = max(server, alone)
    sketch = 10 * 8 * core
    audits = res["audit"]
    a1, a2 = audits.get("spark local[1]"), audits.get("spark local[2]")
    return [
        "Why 10,000 articles and not 100,000: the machine's 2 cores are shared with other jobs "
        "(the load averages above), so compare figures within the table. Scaling: `local[2]` "
        f"built at {two['words_s'] / one['words_s']:.2f}x the rate of `local[1]`"
        + (f" and audited at {a2['drafts_s'] / a1['drafts_s']:.2f}x" if a1 and a2 else "")
        + ", on 2 cores that were never idle.",
        "",
        f"From the `local[1]` run (one executor: no writer waits for another), one executor "
        f"core sketches {core:,.0f} words per CPU second (rights, masks, signatures and band "
        f"keys of a batch), while its write transactions took {server:,.0f} words/s "
        "(compressing the texts, COPY of documents, texts and the batch's segment of band "
        "blocks, commit; "
        f"{one['write_s'] / one['seconds']:.0%} of the job's time); the same write path alone, "
        f"with nothing else running in the process, took {alone:,.0f} words/s. So a single "
        f"core already sketches {core / ceiling:,.1f}x faster than one index takes writes, "
        f"and a 10-node cluster of 8 cores each ({sketch / 1e6:,.0f}M words/s of sketching) "
        f"would build at the server's write rate, {server / 1e3:,.0f}k to {ceiling / 1e3:,.0f}k "
        "words/s here, not faster: writers of one index take its advisory write lock in turn "
        "(the store's rule, so that two ingesters queue), so more executors only queue on "
        f"the lock (`local[2]` spent {two.get('write_s', 0):.0f} s in write transactions, "
        "waiting included, for the same words). What the cluster does buy is reading and "
        "parsing at scale from HDFS/S3 and a resumable job; to go faster, the write path "
        "must take several COPY streams at once (document numbers reserved per batch instead "
        "of one lock) on a server with fast disks, measured on its own.",
        "",
        "Audits do not write: each executor scans against the server (one probe of the "
        "draft's keys in each segment, then the candidates' texts), so they scale with "
        "executors until the server's read capacity (CPU, the blocks' index in memory); read "
        "replicas (`host=a,b,c`) spread that load.",
        "",
        "Where the band entries stop scaling: they are segments of packed blocks on one "
        "server (a table per write batch, merged a key range at a time: "
        "`checker/store/pgmerge.py`), so every COPY and merge goes through one primary's WAL "
        "and disks. Spreading the blocks over several servers by key range (Citus) would let "
        "COPY and a draft's probes fan out to the shards holding its keys; the single "
        "advisory write lock would then have to go (batches made independent), or it would "
        "serialise the cluster again.",
    ]


def save_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    start, end = "<!-- spark:start -->", "<!-- spark:end -->\n"
    if start in doc:
        doc = doc[:doc.index(start)] + text + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--drafts", type=int, default=200)
    parser.add_argument("--report", action="store_true", help="only redraw the section")
    args = parser.parse_args(argv)
    results = OUT / "results.json"
    if args.report:
        save_doc(render(json.loads(results.read_text())))
        return 0
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    OUT.mkdir(parents=True, exist_ok=True)
    corpus = split_corpus(args.articles)
    drafts = write_drafts(args.articles, args.drafts)
    res: dict[str, Any] = {"articles": args.articles, "drafts": args.drafts,
                           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                           "commit": commit(), "load_before": os.getloadavg()[0]}
    cluster, base, pgcluster = server()
    try:
        local_url = database(cluster, pgcluster, "local")
        build = {LOCAL: local_build(local_url, corpus)}
        print(build, flush=True)
        for master in ("local[1]", "local[2]"):
            build[f"spark {master}"] = spark_build(database(cluster, pgcluster,
                                                            f"s{master[6]}"), corpus, master)
            print(build, flush=True)
        build[WRITES] = write_only(
            database(cluster, pgcluster, "writes"), corpus)
        res["build"] = build
        scan, want = local_scan(local_url, drafts)
        audit = {"local scan": scan}
        for master in ("local[1]", "local[2]"):
            r, got = spark_audit(local_url, drafts, master)
            differ = sum(got.get(k) != v for k, v in want.items())
            r["same"] = "yes" if got == want else f"no ({differ} differ)"
            audit[f"spark {master}"] = r
            print(audit, flush=True)
        res["audit"] = audit
    finally:
        cluster.stop("immediate")
        pgcluster.cleanup(base)
    res["load_after"] = os.getloadavg()[0]
    results.write_text(json.dumps(res, indent=1), encoding="utf-8")
    save_doc(render(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
