"""Scan CPU per draft and throughput, against a baseline checkout, results compared.

A long-lived scanner (one process, the index open, one :class:`checker.boilerplate.Stories`
shared by its drafts, as ``checker scan`` of a folder does) scans a list of 1,000-word
drafts; each draft's wall and CPU time is taken. The same drafts are scanned by

* 1 scanner process: p50/p95 per draft (wall and CPU), drafts/s;
* 8 concurrent scanner processes, each scanning every draft (from its own offset in the
  list) after all have opened the index: aggregate drafts/s and per-draft p50/p95/p99;

once with this checkout and once with a baseline checkout (``--base DIR``: a
``git worktree`` of another commit), alternating, in the same run. Every report of the
two codes is compared whole (findings, passages, steps, excerpts: more than the JSON
report holds); a difference stops the run.

``--scan-dir`` scans a folder of drafts (Index.scan, as the CLI does) with both codes and
compares the JSON reports byte for byte (the fixtures, the Reuters drafts of
:mod:`benchmarks.accuracy`).

Usage::

    python3 -m benchmarks.make_corpus 100000 benchmarks/out/corpus
    python3 -m benchmarks.scale --phase build 100000 IDX \
        '{"num_perm": 32, "bands": 16, "rows": 2, "passage_stride": 32}'
    python3 -m benchmarks.scan_speed drafts 100000 DRAFTS.json      # scale.make_drafts
    python3 -m benchmarks.scan_speed run IDX DRAFTS.json [DRAFTS2.json] --base /tmp/scan_base \
        [--write]
    python3 -m benchmarks.scan_speed compare-dir IDX DRAFT_DIR --base /tmp/scan_base
    python3 -m benchmarks.scan_speed reuters WORK      # accuracy drafts, seed 5, for compare-dir
    python3 -m benchmarks.scan_speed stories WORK      # the story_copies archive, for compare-dir

``--notes FILE`` appends markdown to the docs section; ``run ... --report result.json``
rewrites the section from a finished run.

The worker runs as a script (``python benchmarks/scan_speed.py worker ...``) so that
``PYTHONPATH`` chooses which ``checker`` it imports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()


# -- worker (imports only checker: runs with either checkout) ------------------------


def _report_form(report: Any) -> str:
    """The whole report of one draft as canonical JSON (every field, steps and excerpts
    included)."""
    from dataclasses import asdict

    return json.dumps(asdict(report), sort_keys=True, default=str, ensure_ascii=False)


def worker(index: str, drafts_file: str, offset: int, reports_out: str | None) -> None:
    import numpy as np

    from checker import Index, Policy
    from checker.boilerplate import Stories
    from checker.documents import TextDocument
    from checker.scan import scan_document

    drafts = json.loads(Path(drafts_file).read_text(encoding="utf-8"))
    texts = [d["text"] for d in drafts]
    texts = texts[offset:] + texts[:offset]
    ix = Index.open(index)
    policy = Policy()
    ix.store.lookup_pairs(np.zeros(1, dtype=np.int64))  # maps the LSH segments
    # Warm: page the index in, and the code paths (a scanner that stays up).
    scan_document(ix.store, TextDocument(key="warm", path="warm", text=texts[0]), policy)
    print("ready", flush=True)
    sys.stdin.readline()
    stories = Stories(ix.store, policy.boilerplate_documents)
    walls, cpus, digests = [], [], []
    forms = []
    start = time.time()
    for i, text in enumerate(texts):
        doc = TextDocument(key=f"draft-{i}", path=f"draft-{i}", text=text)
        w, c = time.perf_counter(), time.process_time()
        report = scan_document(ix.store, doc, policy, stories=stories)
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
        form = _report_form(report)
        digests.append(hashlib.sha256(form.encode()).hexdigest())
        if reports_out:
            forms.append(form)
    end = time.time()
    ix.close()
    if reports_out:
        Path(reports_out).write_text("\n".join(forms) + "\n", encoding="utf-8")
    print(json.dumps({"start": start, "end": end, "walls": walls, "cpus": cpus,
                      "digests": digests}), flush=True)


def scan_dir_worker(index: str, draft_dir: str, out: str) -> None:
    from checker import Index
    from checker.render.json import render_json

    with Index.open(index) as ix:
        report = ix.scan([draft_dir])
    Path(out).write_text(render_json(report), encoding="utf-8")


# -- driver ----------------------------------------------------------------------------


def _env(code: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code or ROOT)
    return env


def run_scanners(code: Path | None, index: Path, drafts_file: Path, procs: int,
                 reports_out: Path | None = None) -> dict[str, Any]:
    """``procs`` scanner processes of ``code`` (None: this checkout), each scanning every
    draft from its own offset, started together once all are ready."""
    n = len(json.loads(drafts_file.read_text(encoding="utf-8")))
    children = []
    for p in range(procs):
        args = [sys.executable, str(SCRIPT), "worker", str(index), str(drafts_file),
                str(p * n // procs)]
        if reports_out is not None and p == 0:
            args.append(str(reports_out))
        children.append(subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True, env=_env(code), cwd="/"))
    for ch in children:
        assert ch.stdout is not None
        line = ch.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"scan_speed: a scanner failed to start ({line!r})")
    for ch in children:
        assert ch.stdin is not None
        ch.stdin.write("go\n")
        ch.stdin.flush()
    results = []
    for ch in children:
        out, _ = ch.communicate()
        if ch.returncode != 0:
            raise SystemExit(f"scan_speed: a scanner failed (exit {ch.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    walls = sorted(w for r in results for w in r["walls"])
    cpus = sorted(c for r in results for c in r["cpus"])
    q = statistics.quantiles(walls, n=100)
    qc = statistics.quantiles(cpus, n=100)
    span = max(r["end"] for r in results) - min(r["start"] for r in results)
    # Each scanner starts at its own offset: put the digests back in draft order.
    digests = []
    for p, r in enumerate(results):
        off = p * n // procs
        digests.append(r["digests"][n - off:] + r["digests"][:n - off])
    return {"procs": procs, "drafts": len(walls), "p50_ms": 1000 * q[49],
            "p95_ms": 1000 * q[94], "p99_ms": 1000 * q[98], "cpu_p50_ms": 1000 * qc[49],
            "cpu_p95_ms": 1000 * qc[94], "cpu_mean_ms": 1000 * statistics.fmean(cpus),
            "drafts_per_s": len(walls) / span, "digests": digests}


def compare_dir(index: Path, draft_dir: Path, base: Path, work: Path) -> bool:
    """Scan a folder with both codes; True when the JSON reports are byte-identical."""
    outs = []
    for name, code in (("base", base), ("new", None)):
        out = work / f"dir-{name}.json"
        subprocess.run([sys.executable, str(SCRIPT), "scan-dir-worker", str(index),
                        str(draft_dir), str(out)], env=_env(code), cwd="/", check=True)
        outs.append(out.read_bytes())
    return outs[0] == outs[1]


def make_drafts_file(n: int, out: Path, count: int, hosts: str) -> None:
    """``hosts="web"``: the drafts of :func:`benchmarks.scale.make_drafts` (web-page
    paragraphs, half holding a reproduction). ``hosts="corpus"``: unindexed articles of
    the synthetic corpus (another seed) of about 1,000 words, every other one with 80
    consecutive words of an indexed article pasted in: text made of the same reworded
    Reuters sentences as the index, where many passages stand in many articles (the
    drafts that make the scan tell stories from boilerplate)."""
    import random

    from benchmarks.scale import make_drafts

    if hosts == "web":
        out.write_text(json.dumps(make_drafts(n, count)), encoding="utf-8")
        return
    from benchmarks import datasets as ds
    from benchmarks.make_corpus import articles, successors
    from benchmarks.scale import shards

    rng = random.Random(13)
    pool = [s for s in ds.sentence_pool(ds.load_reuters()) if ds.word_count(s) <= 100]
    follow = successors(pool)
    gen = articles(0, 10 * count, 91, pool, follow)
    with shards(n)[0].open(encoding="utf-8") as f:
        sources = [json.loads(line) for line in f][: 5 * count]
    drafts: list[dict[str, Any]] = []
    while len(drafts) < count:
        words: list[str] = []
        while len(words) < 950:
            words += next(gen)["text"].rsplit("\n\n", 1)[0].split()
        words = words[:950]
        src = None
        if len(drafts) % 2 == 0:
            art = sources[rng.randrange(len(sources))]
            body = art["text"].rsplit("\n\n", 1)[0].split()
            at = rng.randrange(max(1, len(body) - 80))
            cut = rng.randrange(len(words))
            words = words[:cut] + body[at:at + 80] + words[cut:]
            src = art["id"]
        drafts.append({"text": " ".join(words), "source": src, "kind": "pasted"})
    out.write_text(json.dumps(drafts), encoding="utf-8")


def make_reuters(work: Path, seed: int, size: str) -> None:
    """The Reuters index and draft files of :mod:`benchmarks.accuracy` for one seed
    (``work/index``, ``work/drafts``), to compare reports with :func:`compare_dir`."""
    from benchmarks.accuracy import SIZES, build_reuters
    from checker import Index
    from checker.documents import Metadata, TextDocument

    corpus = build_reuters(SIZES[size], seed)
    drafts = work / "drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    for case in corpus.cases:
        (drafts / case.file).write_text(case.text, encoding="utf-8")
    with Index.open(work / "index", create=True) as index:
        index.add_documents(
            TextDocument(key=sid, path=sid, text=text, content_hash=sid,
                         meta=Metadata(title=corpus.titles[sid], publisher=corpus.publisher,
                                       license=corpus.license))
            for sid, text in corpus.sources.items())


def make_stories(work: Path, articles: int, pastes: int) -> None:
    """The index and drafts of :mod:`benchmarks.story_copies` (stories stored under 40
    publishers' names beside synthetic articles of repeated sentences; drafts pasting
    80 words of either) as ``work/index`` and draft files in ``work/drafts``."""
    from benchmarks.story_copies import Config, archive
    from checker import Index

    docs, cases = archive(Config(articles=articles, pastes=pastes))
    drafts = work / "drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    for n, (_, text, _) in enumerate(cases):
        (drafts / f"draft-{n:03d}.txt").write_text(text, encoding="utf-8")
    with Index.open(work / "index", create=True) as index:
        index.add_documents(docs)


def load_average() -> float:
    return os.getloadavg()[0]


def run(index: Path, drafts_files: list[Path], base: Path, procs: list[int],
        work: Path) -> dict[str, Any]:
    from benchmarks.datasets import commit

    base_commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=base,
                                 capture_output=True, text=True, check=False).stdout.strip()
    res: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                           "commit": commit(), "base_commit": base_commit or str(base),
                           "index": str(index), "load_before": load_average(), "sets": {}}
    for drafts_file in drafts_files:
        sets: dict[str, Any] = {}
        for p in procs:
            # Alternate which code goes first (the machine is shared and noisy).
            order = [("base", base), ("new", None)]
            figures: dict[str, Any] = {}
            for name, code in order if p % 2 else order[::-1]:
                reports = work / f"reports-{drafts_file.stem}-{name}-{p}.jsonl" if p == 1 \
                    else None
                figures[name] = run_scanners(code, index, drafts_file, p, reports)
                print(json.dumps({"set": drafts_file.name, "code": name, "procs": p,
                                  **{k: v for k, v in figures[name].items()
                                     if k != "digests"}}), flush=True)
            same = figures["base"]["digests"] == figures["new"]["digests"]
            if not same:
                raise SystemExit(f"scan_speed: reports differ ({drafts_file}, {p} procs)")
            for f in figures.values():
                f["same_reports"] = same
                del f["digests"]
            sets[str(p)] = figures
        res["sets"][drafts_file.name] = sets
    res["load_after"] = load_average()
    return res


def render_section(res: dict[str, Any], command: str, notes: str = "") -> str:
    base = res.get("base_commit", "base")
    lines = [
        "## Scan speed: CPU per draft, one and eight scanners",
        "",
        f"Measured {res['date']} at commit `{res['commit']}` with `{command}` (index "
        f"`{Path(res['index']).name}`); load average {res['load_before']:.1f} before and "
        f"{res['load_after']:.1f} after (2 cores, shared with other jobs: compare within the "
        f"table). Baseline: commit `{base}`, scanned in the same run, alternating with this "
        "commit. Each scanner is a long-lived process (index open and warm, one `Stories` "
        "shared by its drafts, as `checker scan` of a folder); with 8 scanners each scans "
        "every draft from its own offset. p50/p95/p99: wall time per draft; CPU: the "
        "scanner's CPU time per draft; drafts/s: all scanners together, in wall time (on a "
        "machine shared with other jobs, the scanners got only part of its 2 cores); 2-core "
        "drafts/s: 2 s of CPU over the mean CPU per draft, what the scanners would do with "
        "both cores to themselves. Reports identical: "
        "every draft's whole report (findings, passages, steps, excerpts) equals the "
        "baseline's.",
        "",
        "| drafts | scanners | code | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU mean ms "
        "| drafts/s | 2-core drafts/s | reports identical |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, sets in res["sets"].items():
        for p, figures in sets.items():
            for code in ("base", "new"):
                f = figures[code]
                lines.append(
                    f"| {name} | {p} | {base if code == 'base' else res['commit']} | "
                    f"{f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['p99_ms']:.1f} | "
                    f"{f['cpu_p50_ms']:.1f} | {f['cpu_mean_ms']:.1f} | "
                    f"{f['drafts_per_s']:.1f} | {2000 / f['cpu_mean_ms']:.1f} | "
                    f"{'yes' if f['same_reports'] else 'NO'} |")
    if notes:
        lines += ["", notes.strip()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("worker")
    w.add_argument("index")
    w.add_argument("drafts")
    w.add_argument("offset", type=int)
    w.add_argument("reports", nargs="?")
    sw = sub.add_parser("scan-dir-worker")
    sw.add_argument("index")
    sw.add_argument("dir")
    sw.add_argument("out")
    d = sub.add_parser("drafts")
    d.add_argument("n", type=int, help="corpus size the index holds")
    d.add_argument("out", type=Path)
    d.add_argument("--count", type=int, default=100)
    d.add_argument("--hosts", choices=("web", "corpus"), default="web")
    r = sub.add_parser("run")
    r.add_argument("index", type=Path)
    r.add_argument("drafts", type=Path, nargs="+")
    r.add_argument("--base", type=Path, required=True)
    r.add_argument("--procs", type=int, nargs="+", default=[1, 8])
    r.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "scan_speed")
    r.add_argument("--write", action="store_true", help="write the docs section")
    r.add_argument("--notes", type=Path, help="markdown appended to the docs section")
    r.add_argument("--report", type=Path, help="only write the docs section of a result.json")
    rt = sub.add_parser("reuters")
    rt.add_argument("work", type=Path)
    rt.add_argument("--seed", type=int, default=5)
    rt.add_argument("--size", default="full")
    sc = sub.add_parser("stories")
    sc.add_argument("work", type=Path)
    sc.add_argument("--articles", type=int, default=2000)
    sc.add_argument("--pastes", type=int, default=50)
    c = sub.add_parser("compare-dir")
    c.add_argument("index", type=Path)
    c.add_argument("dir", type=Path)
    c.add_argument("--base", type=Path, required=True)
    c.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "scan_speed")
    args = parser.parse_args(argv)
    if hasattr(args, "work"):
        args.work = args.work.resolve()
    if args.cmd == "worker":
        worker(args.index, args.drafts, args.offset, args.reports)
    elif args.cmd == "scan-dir-worker":
        scan_dir_worker(args.index, args.dir, args.out)
    elif args.cmd == "drafts":
        make_drafts_file(args.n, args.out, args.count, args.hosts)
    elif args.cmd == "reuters":
        make_reuters(args.work, args.seed, args.size)
    elif args.cmd == "stories":
        make_stories(args.work, args.articles, args.pastes)
    elif args.cmd == "compare-dir":
        args.work.mkdir(parents=True, exist_ok=True)
        same = compare_dir(args.index.resolve(), args.dir.resolve(), args.base.resolve(),
                           args.work)
        print(json.dumps({"dir": str(args.dir), "identical": same}))
        return 0 if same else 1
    elif args.report:
        from benchmarks.docs_section import write_section

        res = json.loads(args.report.read_text(encoding="utf-8"))
        command = res.get("command", "python3 -m benchmarks.scan_speed run ...")
        notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
        write_section("scan_speed", render_section(res, command, notes))
    else:
        args.work.mkdir(parents=True, exist_ok=True)
        res = run(args.index.resolve(), [p.resolve() for p in args.drafts],
                  args.base.resolve(), args.procs, args.work)
        res["command"] = "python3 -m benchmarks.scan_speed " + " ".join(argv or sys.argv[1:])
        (args.work / "result.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
        if args.write:
            from benchmarks.docs_section import write_section

            command = res["command"]
            notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
            write_section("scan_speed", render_section(res, command, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
