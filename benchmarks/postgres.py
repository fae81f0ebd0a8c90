"""The shared index on PostgreSQL against the embedded index, on the same articles.

On the first N articles of :mod:`benchmarks.make_corpus`'s corpus (made when missing),
in one run (ratios, since the machine is shared):

* ingest: ``Index.add`` of the same JSONL shards into an embedded index and into a
  server index, each in a process of its own; words/s of each and their ratio, and
  the peak memory of the adding process (the merges that end an add run there);
* scan: p50/p95 of 1,000-word drafts (:func:`benchmarks.scale.make_drafts`: half hold
  a reproduction) in one process, server vs embedded, and recall on both;
* concurrency: 8 scanner processes for ``--seconds``: aggregate drafts/s and p99,
  against the server and against the embedded index;
* lookups only: 8 processes for ``--seconds`` doing only each draft's band lookup
  (``Store.lookup_pairs`` of the keys a scan looks up, keys computed beforehand):
  the index's share of a scan, apart from the checker's own CPU (alignment,
  scoring), as the issue's "134 drafts/s" figure was measured;
* size: bytes of the band table (partitions and index) per band entry;
* after ``index compact`` (both indexes merged into one segment, as a nightly compact
  leaves them): its time, then the scans, 8 scanners and lookups only again; and 8
  scanners and lookups only with the drafts cut to :data:`ISSUE_WORDS` words (~1,250
  distinct band keys: the size of the issue's 50-passage draft, whose lookups it
  measured at 134 drafts/s);
* server CPU per scanned draft: the cluster's CPU during the single-process scans,
  per draft (what a server core can serve when the scanners run elsewhere);
* server CPU: seconds of CPU the cluster's processes spent during the server
  ingest (own cluster only: its postmaster and its children; a backend that
  exits is counted once the postmaster has waited for it), against the
  ingest's wall time.

The server is a cluster of its own (tests/pgcluster.py: Debian's PostgreSQL,
initdb'd in a temporary directory on a free port; stopped at the end), or
``--server URL`` (an empty database). Results go to ``benchmarks/out/postgres.json``
and ``docs/benchmarks.md`` between ``<!-- postgres:start -->`` and ``<!-- postgres:end -->``.

Usage::

    python3 -m benchmarks.postgres --size 20000 [--seconds 30] [--server URL]
"""

from __future__ import annotations

import argparse
import glob
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.datasets import commit
from benchmarks.make_corpus import SHARD, make

ROOT = ds.PROJECT_ROOT
OUT = ROOT / "benchmarks" / "out"
CORPUS = OUT / "corpus"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- postgres:start -->", "<!-- postgres:end -->"


#: Words of the issue-sized drafts: ~1,250 distinct band keys, as the issue's draft of
#: 50 passages x 25 bands (a 1,000-word draft has ~3,000).
ISSUE_WORDS = 410


def band_keys(drafts: list[dict[str, Any]]) -> float:
    """Distinct band keys a scan looks up per draft, on average (default parameters)."""
    import numpy as np

    from checker.sketch import SketchParams, iter_text_keys
    from checker.text import tokenize

    p = SketchParams()
    return statistics.mean(
        len(np.unique(np.concatenate([k.ravel() for _, k in iter_text_keys(
            tokenize(d["text"]).words, p, p.query_stride)] or [np.empty(0, np.int64)])))
        for d in drafts)


def corpus(n: int) -> list[Path]:
    paths = [CORPUS / f"articles-{k:05d}.jsonl" for k in range(-(-n // SHARD))]
    if any(not p.exists() for p in paths):
        make(len(paths) * SHARD, CORPUS)
    return paths


def build(where: str | Path, shards: list[Path]) -> dict[str, Any]:
    from checker import Index

    started = time.perf_counter()
    with Index.open(where, create=True) as ix:
        ix.add(shards)
        seconds = time.perf_counter() - started
        stats = ix.stats()
    return {"seconds": seconds, "words": stats.words, "entries": stats.lsh_entries,
            "words_per_s": stats.words / seconds}


def build_apart(where: str | Path, shards: list[Path]) -> dict[str, Any]:
    """:func:`build` in a process of its own, with the peak memory (resident set) of
    that process, the writer's (the add's sketching workers are processes apart). Not
    a pool's worker: those may not start the add's own workers."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_build_measured, args=(where, shards, send))
    proc.start()
    send.close()
    try:
        ok, out = receive.recv()
    except EOFError:
        ok, out = False, "the build process died"
    proc.join()
    if not ok and proc.exitcode:
        out = f"{out} (exit code {proc.exitcode})"
    if not ok:
        raise SystemExit(f"building {where}: {out}")
    return out  # type: ignore[no-any-return]


def _build_measured(where: str | Path, shards: list[Path], send: Any) -> None:
    import resource
    import traceback

    try:
        out = build(where, shards)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        send.send((True, out))
    except BaseException:
        send.send((False, traceback.format_exc()))


def server_cpu(data: Path) -> float:
    """CPU seconds (user + system, with waited-for children) of the cluster in
    ``data``: its postmaster (``postmaster.pid``) and the processes it started
    (not another cluster's on this shared machine)."""
    try:
        root = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")
    total = 0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(Path(stat).parent.name) == root or int(fields[1]) == root:
            total += sum(int(x) for x in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def _lookup_worker(args: tuple[str, list[str], float]) -> list[float]:
    """Only the band lookups of ``texts`` (round robin) until ``seconds`` pass:
    per draft, ``lookup_pairs`` of each chunk of its keys, as a scan calls it;
    the latencies (s)."""
    where, texts, seconds = args
    import numpy as np

    from checker import Index, Policy
    from checker.sketch import iter_text_keys
    from checker.text import tokenize

    limit = Policy().boilerplate_documents
    out: list[float] = []
    with Index.open(where) as ix:
        p = ix.params
        queries = [[np.unique(k.ravel()) for _, k in iter_text_keys(tokenize(t).words, p,
                                                                   p.query_stride)]
                   for t in texts]
        for q in queries[0]:
            ix.store.lookup_pairs(q, limit=limit)  # warm
        end = time.monotonic() + seconds
        i = 0
        while time.monotonic() < end:
            t = time.perf_counter()
            for q in queries[i % len(queries)]:
                ix.store.lookup_pairs(q, limit=limit)
            out.append(time.perf_counter() - t)
            i += 1
    return out


def _scan_worker(args: tuple[str, list[str], float, bool]) -> list[float]:
    """Scan ``texts`` (round robin) until ``seconds`` pass; the latencies (s)."""
    where, texts, seconds, once = args
    from checker import Index

    out: list[float] = []
    with Index.open(where) as ix:
        ix.scan_text(texts[0])  # warm
        end = time.monotonic() + seconds
        i = 0
        while (i < len(texts)) if once else (time.monotonic() < end):
            t = time.perf_counter()
            ix.scan_text(texts[i % len(texts)])
            out.append(time.perf_counter() - t)
            i += 1
    return out


def single(where: str, drafts: list[dict[str, Any]],
           cpu: Callable[[], float] | None = None) -> dict[str, Any]:
    """p50/p95 of scanning each draft once, and recall; with ``cpu`` (the server's
    CPU seconds so far), the server's CPU per scan of the timed pass (its warm-up
    scan counted)."""
    from checker import Index

    before = cpu() if cpu is not None else 0.0
    times = _scan_worker((where, [d["text"] for d in drafts], 0, True))
    server_ms = 1000 * (cpu() - before) / (len(times) + 1) if cpu is not None else None
    found = total = 0
    with Index.open(where) as ix:
        for d in drafts:
            if d["source"]:
                total += 1
                found += any(f.source.path.endswith("#" + d["source"])
                             for f in ix.scan_text(d["text"]).findings)
    q = statistics.quantiles(times, n=100)
    out = {"p50_ms": 1000 * q[49], "p95_ms": 1000 * q[94], "recall": found / max(1, total)}
    if server_ms is not None:
        out["server_cpu_ms"] = server_ms
    return out


def concurrent(where: str, drafts: list[dict[str, Any]], workers: int,
               seconds: float, lookups_only: bool = False) -> dict[str, Any]:
    texts = [d["text"] for d in drafts]
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ctx.Pool(workers) as pool:
        if lookups_only:
            parts = pool.map(_lookup_worker, [(where, texts[i::workers] or texts, seconds)
                                              for i in range(workers)])
        else:
            parts = pool.map(_scan_worker, [(where, texts[i::workers] or texts, seconds, False)
                                            for i in range(workers)])
    wall = time.perf_counter() - started
    lat = sorted(t for p in parts for t in p)
    q = statistics.quantiles(lat, n=100)
    busy = max(sum(p) for p in parts)
    return {"drafts_per_s": len(lat) / busy, "p50_ms": 1000 * q[49], "p99_ms": 1000 * q[98],
            "drafts": len(lat), "wall_s": wall}




def report(r: dict[str, Any]) -> str:
    e, s = r["embedded"], r["server"]
    rows = [
        ("ingest words/s", f"{e['build']['words_per_s']:,.0f}",
         f"{s['build']['words_per_s']:,.0f}",
         f"{s['build']['words_per_s'] / e['build']['words_per_s']:.2f}x", ">= 0.5x"),
        ("scan p50 (1 process)", f"{e['single']['p50_ms']:.1f} ms",
         f"{s['single']['p50_ms']:.1f} ms",
         f"{s['single']['p50_ms'] / e['single']['p50_ms']:.2f}x", "<= 2x"),
        ("scan p95 (1 process)", f"{e['single']['p95_ms']:.1f} ms",
         f"{s['single']['p95_ms']:.1f} ms",
         f"{s['single']['p95_ms'] / e['single']['p95_ms']:.2f}x", "reported"),
        ("recall", f"{e['single']['recall']:.0%}", f"{s['single']['recall']:.0%}", "", "same"),
        (f"{r['workers']} scanners: drafts/s", f"{e['conc']['drafts_per_s']:.0f}",
         f"{s['conc']['drafts_per_s']:.0f}", "", ">= 100/s"),
        (f"{r['workers']} scanners: p99", f"{e['conc']['p99_ms']:.0f} ms",
         f"{s['conc']['p99_ms']:.0f} ms", "", "reported"),
        (f"{r['workers']} processes, band lookups only: drafts/s",
         f"{e['lookups']['drafts_per_s']:.0f}", f"{s['lookups']['drafts_per_s']:.0f}", "",
         "(issue: 134/s)"),
        (f"{r['workers']} processes, band lookups only: p99",
         f"{e['lookups']['p99_ms']:.0f} ms", f"{s['lookups']['p99_ms']:.0f} ms", "",
         "reported"),
        ("bytes per band entry", f"{r['embedded_bytes_per_entry']:.1f}",
         f"{r['server_bytes_per_entry']:.1f}", "", "<= 70 (server)"),
    ]
    if "peak_rss_mb" in s["build"]:
        rows.insert(1, ("ingest: peak memory of the adding process",
                        f"{e['build']['peak_rss_mb'] / 1024:.1f} GB",
                        f"{s['build']['peak_rss_mb'] / 1024:.1f} GB",
                        f"{s['build']['peak_rss_mb'] / e['build']['peak_rss_mb']:.2f}x",
                        "reported"))
    per = s["single"].get("server_cpu_ms")
    if per is not None:
        rows.append(("server CPU per scanned draft (1 process)", "", f"{per:.1f} ms", "",
                     "reported"))
    cpu = s["build"].get("server_cpu_s")
    if cpu is not None:
        rows.append(("server CPU during the server ingest", "",
                     f"{cpu:.1f} s of {s['build']['seconds']:.1f} s", "", "reported"))
    if "compacted" in s:  # after 'index compact': one segment on both
        ec, sc = e["compacted"], s["compacted"]
        rows += [
            ("after `index compact`: its time", f"{ec['seconds']:.1f} s",
             f"{sc['seconds']:.1f} s", "", "reported"),
            ("after compact: scan p50 (1 process)", f"{ec['single']['p50_ms']:.1f} ms",
             f"{sc['single']['p50_ms']:.1f} ms",
             f"{sc['single']['p50_ms'] / ec['single']['p50_ms']:.2f}x", "<= 2x"),
            (f"after compact: {r['workers']} scanners: drafts/s",
             f"{ec['conc']['drafts_per_s']:.0f}", f"{sc['conc']['drafts_per_s']:.0f}", "",
             ">= 100/s"),
            (f"after compact: {r['workers']} scanners: p99", f"{ec['conc']['p99_ms']:.0f} ms",
             f"{sc['conc']['p99_ms']:.0f} ms", "", "reported"),
            (f"after compact: {r['workers']} processes, band lookups only: drafts/s",
             f"{ec['lookups']['drafts_per_s']:.0f}", f"{sc['lookups']['drafts_per_s']:.0f}",
             "", "(issue: 134/s)"),
            (f"after compact: {r['workers']} processes, band lookups only: p99",
             f"{ec['lookups']['p99_ms']:.0f} ms", f"{sc['lookups']['p99_ms']:.0f} ms", "",
             "reported")]
        per = sc["single"].get("server_cpu_ms")
        if per is not None:
            rows.append(("after compact: server CPU per scanned draft (1 process)", "",
                         f"{per:.1f} ms", "", "reported"))
        if "issue" in sc:  # drafts the size of the issue's (its 50-passage draft)
            ei, si = ec["issue"], sc["issue"]
            size = f"{r['issue_words']}-word drafts ({r['issue_keys']:,.0f} band keys)"
            rows += [
                (f"after compact, {size}: {r['workers']} scanners: drafts/s",
                 f"{ei['conc']['drafts_per_s']:.0f}", f"{si['conc']['drafts_per_s']:.0f}", "",
                 ">= 100/s"),
                (f"after compact, {size}: {r['workers']} scanners: p99",
                 f"{ei['conc']['p99_ms']:.0f} ms", f"{si['conc']['p99_ms']:.0f} ms", "",
                 "reported"),
                (f"after compact, {size}: band lookups only: drafts/s",
                 f"{ei['lookups']['drafts_per_s']:.0f}", f"{si['lookups']['drafts_per_s']:.0f}",
                 "", "(issue: 134/s)"),
                (f"after compact, {size}: band lookups only: p99",
                 f"{ei['lookups']['p99_ms']:.0f} ms", f"{si['lookups']['p99_ms']:.0f} ms", "",
                 "reported")]
    lines = [START, "## Shared index on PostgreSQL", "",
             f"Latest: `python3 -m benchmarks.postgres --size {r['size']} "
             f"--drafts {r['drafts']} --seconds {r['seconds']:g}`; "
             f"measured {r['date']} at commit {r['commit']}, PostgreSQL {r['server_version']} "
             f"(a local cluster: fsync off), {r['size']:,} articles "
             f"({e['build']['words'] / 1e6:.0f}M words, {e['build']['entries'] / 1e6:.1f}M "
             f"band entries), {r['drafts']} drafts of 1,000 words (half with a reproduction).",
             "", "| | embedded | server | server / embedded | target |", "|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} | {t} |" for a, b, c, d, t in rows]
    lines += ["", r["note"]]
    if r.get("earlier"):
        lines += ["", "### Earlier measurements", "", r["earlier"]]
    lines.append(END)
    return "\n".join(lines)


def earlier_section() -> str:
    """The section's text before this run (its tables and notes, without the
    heading): kept below the new table, newest first."""
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc:
        return ""
    old = doc[doc.index(START) + len(START): doc.index(END)].strip()
    old = old.removeprefix("## Shared index on PostgreSQL").strip()
    return old.replace("### Earlier measurements\n\n", "").replace("Latest: `", "`")


def write_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if START in doc:
        doc = doc[: doc.index(START)] + text + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--drafts", type=int, default=200)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--server", help="an empty database's URL (default: a cluster of its own)")
    ap.add_argument("--note", default="")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    import pgcluster
    import psycopg

    from benchmarks.scale import make_drafts

    OUT.mkdir(parents=True, exist_ok=True)
    shards = corpus(args.size)
    if args.size % SHARD:
        raise SystemExit(f"--size must be a multiple of {SHARD}")
    drafts = make_drafts(args.size, args.drafts)
    # Drafts cut to ISSUE_WORDS words: the issue's draft size (1,250 band lookups).
    short = [{**d, "text": " ".join(d["text"].split(" ")[:ISSUE_WORDS])} for d in drafts]
    cluster = base = None
    url = args.server
    if url is None:
        bin_dir = pgcluster.bindir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
        base = pgcluster.make_base()
        cluster = pgcluster.Cluster(bin_dir, base, pgcluster.free_port())
        cluster.initdb()
        cluster.start()
        pgcluster.create_database(cluster.url(), "bench")
        url = cluster.url("bench")
    local = OUT / f"pg-embedded-{args.size}"
    shutil.rmtree(local, ignore_errors=True)
    try:
        res: dict[str, Any] = {"size": args.size, "drafts": len(drafts), "workers": args.workers,
                               "seconds": args.seconds, "commit": commit(),
                               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "note": args.note}
        res["earlier"] = earlier_section()
        res["issue_words"], res["issue_keys"] = ISSUE_WORDS, band_keys(short)
        res["embedded"] = {"build": build_apart(local, shards)}
        cpu = server_cpu(cluster.data) if cluster is not None else 0.0
        res["server"] = {"build": build_apart(url, shards)}
        if cluster is not None:
            res["server"]["build"]["server_cpu_s"] = server_cpu(cluster.data) - cpu
        with psycopg.connect(url, autocommit=True) as c:
            c.execute("VACUUM ANALYZE")
            res["server_version"] = c.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        from checker import Index

        with Index.open(url) as ix:
            res["server_bytes_per_entry"] = ix.store.band_bytes() / ix.stats().lsh_entries  # type: ignore[attr-defined]
        lsh = sum(f.stat().st_size for f in (local / "lsh").iterdir())
        res["embedded_bytes_per_entry"] = lsh / res["embedded"]["build"]["entries"]
        for name, where in (("embedded", str(local)), ("server", url)):
            data = cluster.data if cluster is not None and name == "server" else None
            res[name]["single"] = single(
                where, drafts, None if data is None else lambda d=data: server_cpu(d))
            res[name]["conc"] = concurrent(where, drafts, args.workers, args.seconds)
            res[name]["lookups"] = concurrent(where, drafts, args.workers, args.seconds,
                                              lookups_only=True)
        # After 'index compact' (one segment on both): the layout a nightly compact leaves.
        for name, where in (("embedded", str(local)), ("server", url)):
            data = cluster.data if cluster is not None and name == "server" else None
            started = time.perf_counter()
            with Index.open(where) as ix:
                ix.compact()
            after: dict[str, Any] = {"seconds": time.perf_counter() - started}
            if name == "server":
                with psycopg.connect(url, autocommit=True) as c:
                    c.execute("VACUUM ANALYZE")
            after["single"] = single(
                where, drafts, None if data is None else lambda d=data: server_cpu(d))
            after["conc"] = concurrent(where, drafts, args.workers, args.seconds)
            after["lookups"] = concurrent(where, drafts, args.workers, args.seconds,
                                          lookups_only=True)
            # The issue's figures were for a 50-passage draft: 1,250 band lookups.
            after["issue"] = {
                "conc": concurrent(where, short, args.workers, args.seconds),
                "lookups": concurrent(where, short, args.workers, args.seconds,
                                      lookups_only=True)}
            res[name]["compacted"] = after
        (OUT / "postgres.json").write_text(json.dumps(res, indent=2))
        write_doc(report(res))
        print(report(res))
    finally:
        if cluster is not None and base is not None:
            cluster.stop()
            pgcluster.cleanup(base)
        shutil.rmtree(local, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
