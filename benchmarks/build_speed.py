"""Index build speed: words per second on two cores, against datasketch and rensa.

Builds an index of the first N articles of the :mod:`benchmarks.make_corpus` corpus
(``checker``'s ``Index.add`` of the JSONL shards, worker pool over all cores, SQLite
writes and text compression included, then a full merge of the LSH segments), with the
default and the archive sketch parameters, each in a fresh subprocess. Start-up is
excluded from the build time and measured on its own: Python's imports, and loading the
compiled kernels (numba's import and its on-disk cache; the first run after an install
compiles them, also measured, with an empty cache directory).

The peers of :mod:`benchmarks.references` (the plain datasketch pipeline, rensa; the
same 5-word shingle strings for both) are timed in the same run, before and after the
builds, on a fixed sample of the same corpus; the machine is shared, so ratios measured
in one run are what to compare. ``--baseline DIR`` also builds with the ``checker``
package of another checkout (``DIR/checker``), in the same run.

Usage::

    python3 -m benchmarks.make_corpus 50000 benchmarks/out/corpus
    python3 -m benchmarks.build_speed --articles 50000 [--baseline /path/to/old/checkout]

Results: ``benchmarks/out/build_speed.json`` and ``docs/benchmarks.md`` between
``<!-- build:start -->`` and ``<!-- build:end -->``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import docs_section
from benchmarks.datasets import commit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
CORPUS = OUT / "corpus"
RESULTS = OUT / "build_speed.json"
DOCS = ROOT / "docs" / "benchmarks.md"
SHARD = 10_000
PARAMS: dict[str, dict[str, Any]] = {
    "default": {}, "archive": {"num_perm": 32, "bands": 16, "rows": 2, "passage_stride": 32}}


def shards(n: int) -> list[Path]:
    paths = [CORPUS / f"articles-{k:05d}.jsonl" for k in range(-(-n // SHARD))]
    if any(not p.exists() for p in paths):
        raise SystemExit("build_speed: corpus missing; run benchmarks.make_corpus first")
    return paths


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def phase_build(n: int, index: Path, params: dict[str, Any]) -> dict[str, Any]:
    """One build in this (fresh) process; only ``checker`` is imported."""
    t0 = time.perf_counter()
    import checker
    from checker import Index
    from checker.sketch import SketchParams

    imported = time.perf_counter()
    kernels_s = 0.0
    if (Path(checker.__file__).parent / "kernels.py").exists():
        # The compiled kernels, when this checkout has them: loaded before the clock.
        from checker.fastsketch import batch_keys

        s = time.perf_counter()
        batch_keys(["warm up the kernels"], [()], SketchParams(**params))
        kernels_s = time.perf_counter() - s
    shutil.rmtree(index, ignore_errors=True)
    paths = shards(n)
    cpu0, started = _cpu(), time.perf_counter()
    with Index.open(index, create=True, params=SketchParams(**params)) as ix:
        summary = ix.add(paths)
        added = time.perf_counter() - started
        ix.store.compact()
        seconds = time.perf_counter() - started
        stats = ix.stats()
    cpu = _cpu() - cpu0
    disk = sum(f.stat().st_size for f in index.rglob("*") if f.is_file())
    shutil.rmtree(index, ignore_errors=True)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"documents": summary.added, "words": stats.words, "build_s": seconds, "add_s": added,
            "cpu_s": cpu, "import_s": imported - t0, "kernels_s": kernels_s,
            "lsh_entries": stats.lsh_entries, "disk_mb": disk / 2**20,
            "rss_mb": (own + kids) / 1024, "checker_file": checker.__file__}


def run_build(n: int, params: str, code: Path) -> dict[str, Any]:
    index = OUT / f"build-speed-index-{params}"
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--phase", str(n),
                          str(index), json.dumps(PARAMS[params])], env=env, cwd=code,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"build_speed: build failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["checker_file"].startswith(str(code)):
        raise SystemExit(f"build_speed: built with {result['checker_file']}, not {code}")
    return result


def jit_cost() -> dict[str, float]:
    """Seconds to import ``checker.cli`` (what ``checker scan`` pays), and to load the
    kernels and sketch one text: with an empty cache (compiles) and then cached."""
    def timed(code: str, env: dict[str, str]) -> float:
        out = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter()\n"
                              + code + "\nprint(time.perf_counter() - t)"], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1])

    sketch = ("from checker.fastsketch import batch_keys\nfrom checker.sketch import PROFILES\n"
              "batch_keys(['one short text'], [()], PROFILES['default'])")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        cli = min(timed("import checker.cli", env) for _ in range(3))
        first = timed(sketch, env)
        cached = min(timed(sketch, env) for _ in range(3))
        numba = min(timed("import numba", env) for _ in range(3))
    return {"import_cli_s": cli, "kernels_first_s": first, "kernels_cached_s": cached,
            "import_numba_s": numba}


def references_timing(n: int) -> dict[str, float]:
    from benchmarks import references

    texts: list[str] = []
    with shards(n)[0].open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    ds_t = references.datasketch_pipeline(texts[:1000])
    rs_t = references.rensa_pipeline(texts[:10_000])
    return {"datasketch_wps": ds_t.words_per_second,
            "rensa_wps": rs_t.words_per_second if rs_t else 0.0,
            "datasketch_wpcpu": ds_t.words_per_cpu_second,
            "rensa_wpcpu": rs_t.words_per_cpu_second if rs_t else 0.0}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())




def measure(n: int, params: list[str], baseline: Path | None) -> dict[str, Any]:
    res: dict[str, Any] = {"articles": n, "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                 time.gmtime()),
                           "commit": commit(), "python": platform.python_version(),
                           "load_before": load(), "builds": []}
    refs = [references_timing(n)]
    codes = [("checker", ROOT)] + ([("baseline", baseline)] if baseline else [])
    for p in params:
        for name, code in codes:
            b = run_build(n, p, code)
            b.update(code=name, params=p, load_after=load())
            res["builds"].append(b)
            print(json.dumps(b), flush=True)
    refs.append(references_timing(n))
    res["refs"] = {k: sum(r[k] for r in refs) / len(refs) for k in refs[0]}
    res["refs_runs"] = refs
    res["jit"] = jit_cost()
    res["load_after"] = load()
    return res


def report(runs: dict[str, dict[str, Any]]) -> str:
    """The docs section: one table per corpus size measured (the latest run of each)."""
    parts = ["## Build speed (`benchmarks/build_speed.py`)", ""]
    for n in sorted(runs, key=int):
        parts.append(f"### {int(n):,} articles\n")
        parts.append(report_run(runs[n], runs[n].get("baseline_label", "baseline")))
    return "\n".join(parts)


def report_run(res: dict[str, Any], baseline_label: str) -> str:
    refs = res["refs"]
    lines = [
        f"{res['date']}, commit {res['command_commit']}, Python {res['python']}, 2 cores "
        f"shared with other work: load average {res['load_before']} before, "
        f"{res['load_after']} after (1/5/15 min). `{res['command']}`. "
        f"{res['articles']:,} synthetic articles (`benchmarks.make_corpus`).", "",
        "| code | params | words | build (add + merge) | words/s | x datasketch | x rensa "
        "| CPU s per M words | words per CPU s x 2 cores | x datasketch (CPU) | x rensa (CPU) "
        "| peak RSS | disk |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for b in res["builds"]:
        wps = b["words"] / b["build_s"]
        cpu2 = 2 * b["words"] / b["cpu_s"]
        ds_cpu = cpu2 / refs["datasketch_wpcpu"] if refs.get("datasketch_wpcpu") else 0.0
        rs_cpu = cpu2 / refs["rensa_wpcpu"] if refs.get("rensa_wpcpu") else 0.0
        label = "this branch" if b["code"] == "checker" else baseline_label
        lines.append(
            f"| {label} | {b['params']} | {b['words'] / 1e6:.1f}M | {b['build_s']:.1f} s "
            f"| {wps / 1e6:.2f}M | {wps / refs['datasketch_wps']:.0f}x "
            f"| {wps / refs['rensa_wps']:.2f}x | {b['cpu_s'] / b['words'] * 1e6:.2f} "
            f"| {cpu2 / 1e6:.2f}M | {ds_cpu:.0f}x | {rs_cpu:.2f}x "
            f"| {b['rss_mb'] / 1024:.2f} GiB | {b['disk_mb']:.0f} MB |")
    jit = res["jit"]
    lines += [
        "", f"Peers in the same run (one core each, the same 5-word shingle strings, "
        f"mean of before and after the builds): datasketch {refs['datasketch_wps']:,.0f} "
        f"words/s ({refs.get('datasketch_wpcpu', 0):,.0f} per CPU second), rensa "
        f"{refs['rensa_wps'] / 1e6:.2f}M words/s ({refs.get('rensa_wpcpu', 0) / 1e6:.2f}M per "
        "CPU second). Wall-clock ratios suffer from the load of other processes at the time "
        "each was measured; the CPU columns compare CPU time (checker's main process and "
        "workers; x 2 cores: what two idle cores would give if the build kept both busy, "
        "which it does not quite, see the notes).", "",
        f"Start-up, not in the build time: `import checker.cli` {jit['import_cli_s']:.2f} s "
        f"(numba is not imported: `checker scan` never loads it); `import numba` alone "
        f"{jit['import_numba_s']:.2f} s; loading the kernels and sketching one text "
        f"{jit['kernels_first_s']:.1f} s the first time (compiling, empty cache) and "
        f"{jit['kernels_cached_s']:.2f} s from the cache (every later `index add`).", ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    notes = ROOT / "benchmarks" / "build_notes.md"
    body = text.rstrip() + ("\n\n" + notes.read_text(encoding="utf-8").rstrip()
                            if notes.exists() else "")
    docs_section.write_section("build", body, DOCS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--params", nargs="+", choices=sorted(PARAMS),
                        default=["default", "archive"])
    parser.add_argument("--baseline", type=Path, help="another checkout to build with too")
    parser.add_argument("--baseline-label", default="baseline")
    parser.add_argument("--report", action="store_true", help="only rewrite the docs section")
    parser.add_argument("--phase", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        n, index, params = args.phase
        print(json.dumps(phase_build(int(n), Path(index), json.loads(params))))
        return 0
    if not args.report:
        res = measure(args.articles, args.params, args.baseline)
        res["command"] = "python3 -m benchmarks.build_speed " + " ".join(
            sys.argv[1:] if argv is None else argv)
        res["command_commit"] = res["commit"]
        res["baseline_label"] = args.baseline_label
        runs = load_runs()
        runs[str(args.articles)] = res
        RESULTS.write_text(json.dumps({"runs": runs}, indent=1), encoding="utf-8")
    write_section(report(load_runs()))
    return 0


def load_runs() -> dict[str, dict[str, Any]]:
    """The latest run of each corpus size (a file of one run: that run)."""
    if not RESULTS.exists():
        return {}
    data: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8"))
    if "builds" in data:
        return {str(data["articles"]): data}
    runs: dict[str, dict[str, Any]] = data["runs"]
    return runs


if __name__ == "__main__":
    if __package__ in (None, ""):  # run as a script (a build phase): only checker is needed
        sys.path[:] = [p for p in sys.path if Path(p).resolve() != Path(__file__).parent]
    sys.exit(main())
