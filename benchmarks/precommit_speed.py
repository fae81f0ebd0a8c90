"""Pre-commit speed: 20 changed Markdown drafts against an index of 20,000 articles.

What a pre-commit hook costs a writer, start-up included: a temporary git repository
holds 20 staged Markdown drafts (some reproduce indexed articles, most do not); the real
``checker scan --staged`` runs in a subprocess several times and the median wall time is
reported. Start-up (``import checker.cli`` plus opening the index) gets its own line.

The index (19,043 Reuters-21578 articles topped up to 20,000 with synthetic articles made
of Reuters sentences) is built once under ``benchmarks/out/`` and reused by later runs.

Usage::

    python3 -m benchmarks.precommit_speed [--runs 5] [--rebuild] [--no-write]

Results go to ``docs/benchmarks.md`` between ``<!-- precommit:start -->`` and
``<!-- precommit:end -->``. Skips with a message when ``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import datasets as ds
from benchmarks.docs_section import write_section

ROOT = ds.PROJECT_ROOT
OUT = ROOT / "benchmarks" / "out"
INDEX = OUT / "precommit-index-20k"
DOCS = ROOT / "docs" / "benchmarks.md"
ARTICLES = 20_000
DRAFTS = 20
REUSING = 5  # drafts that reproduce an indexed article; the rest are original text


def corpus() -> list[ds.Article]:
    """20,000 articles: every Reuters body, then synthetic ones made of its sentences."""
    reuters = ds.load_reuters()
    missing = ARTICLES - len(reuters)
    if missing <= 0:
        return reuters[:ARTICLES]
    # min_words=1: with only 6+ word sentences, synthetic_corpus can loop forever when an
    # article is a few words short of its 1,200-word cap.
    pool = ds.sentence_pool(reuters, min_words=1)
    return reuters + list(ds.synthetic_corpus(missing, seed=7, sentences=pool))


def build_index(articles: list[ds.Article], rebuild: bool) -> float:
    """Build the index (or reuse a complete one); the build time, 0 when reused."""
    from checker import Index
    from checker.documents import Metadata, TextDocument
    from checker.errors import IndexOpenError

    marker = INDEX / "complete"
    if marker.exists() and not rebuild:
        try:
            Index.open(INDEX).close()
            return 0.0
        except IndexOpenError as exc:  # written by an older checker: build it again
            print(f"rebuilding: {exc}")
    shutil.rmtree(INDEX, ignore_errors=True)
    started = time.perf_counter()
    with Index.open(INDEX, create=True) as index:
        docs = (
            TextDocument(
                key=f"reuters/{a.id}",
                path=f"reuters/{a.id}",
                text=a.text,
                meta=Metadata(
                    title=a.title, publisher="Reuters", license="all-rights-reserved", date=a.date
                ),
            )
            for a in articles
        )
        index.add_documents(docs)
    elapsed = time.perf_counter() - started
    marker.write_text(f"{len(articles)} articles, built in {elapsed:.0f} s\n", encoding="utf-8")
    return elapsed


def make_repo(articles: list[ds.Article], where: Path) -> None:
    """A git repository with 20 staged Markdown drafts (REUSING of them reuse an article)."""
    rng = random.Random(20)
    env = _git_env()
    subprocess.run(["git", "init", "-q", str(where)], check=True, env=env)
    (where / "checker.toml").write_text(f'index = "{INDEX}"\n', encoding="utf-8")
    # A local hook running the installed checker: what 'checker init' writes.
    (where / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: checker\n        name: checker\n"
        "        entry: checker scan\n        language: system\n"
        "        types_or: [markdown, text, html]\n"
        "        files: \\.(md|markdown|mdx|txt|text|html?|xhtml)$\n"
        "        require_serial: true\n",
        encoding="utf-8")
    hosts = rng.sample(articles[:19_000], DRAFTS)
    sources = rng.sample(articles[:19_000], REUSING * 4)
    for n, host in enumerate(hosts):
        draft: ds.Draft | None = None
        while n < REUSING and draft is None and sources:
            try:
                draft = ds.pasted_paragraph(sources.pop(), host, rng)
            except ValueError:
                draft = None
        text = draft.text if draft is not None else _original(rng)
        md = ds.as_markdown(ds.Article(f"draft-{n}", host.title, text, host.date, ()), rng)
        (where / "posts").mkdir(exist_ok=True)
        (where / "posts" / f"draft-{n:02d}.md").write_text(md.text, encoding="utf-8")
    subprocess.run(["git", "-C", str(where), "add", "."], check=True, env=env)


def _original(rng: random.Random) -> str:
    """Original prose: common words in random order (shares no passage with the corpus)."""
    paras = []
    for _ in range(rng.randint(4, 8)):
        words = [rng.choice(ds.COMMON_WORDS) for _ in range(rng.randint(40, 90))]
        paras.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paras)


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
    )
    env.pop("CHECKER_INDEX", None)
    return env


Timing = tuple[list[float], list[float]]


def timed(cmd: list[str], cwd: Path, runs: int, expect: str = "") -> tuple[Timing, int]:
    """Wall and CPU (user + system) times of ``runs`` runs of ``cmd``, and the last exit
    code. CPU time says what the run costs when other processes share the cores."""
    times, cpu, code = [], [], 0
    outputs: set[tuple[int, str]] = set()
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_git_env())
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code = proc.returncode
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {code}: {proc.stderr.strip()}")
        if expect not in proc.stdout:
            raise SystemExit(f"{' '.join(cmd)}: no {expect!r} in its output:\n{proc.stdout}")
        lines = proc.stdout.strip().splitlines()
        outputs.add((code, lines[-1] if lines else ""))
    if len(outputs) > 1:  # every run must do the same work, or its time means nothing
        raise SystemExit(f"{' '.join(cmd)} gave different results: {sorted(outputs)}")
    return (times, cpu), code




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the 20k index")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    if not ds.reuters_available():
        print(f"skipped: Reuters-21578 not found in {ds.reuters_dir()}")
        return
    articles = corpus()
    OUT.mkdir(parents=True, exist_ok=True)
    build = build_index(articles, args.rebuild)
    if build:
        print(f"index: built {len(articles)} articles in {build:.0f} s")
    if args.build_only:
        return
    # The console script next to this Python, as a hook's environment runs it (a pyenv
    # shim in front of it would add its own start-up).
    script = Path(sys.executable).with_name("checker")
    exe = str(script) if script.exists() else shutil.which("checker") or "checker"
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "site"
        make_repo(articles, repo)
        load = os.getloadavg()[0]
        import_t, _ = timed([sys.executable, "-c", "import checker.cli"], repo, args.runs)
        open_code = (
            "import checker.cli; from checker.index import Index; "
            f"Index.open({str(INDEX)!r}).close()"
        )
        startup_t, _ = timed([sys.executable, "-c", open_code], repo, args.runs)
        bare_t, _ = timed([sys.executable, "-c", "pass"], repo, args.runs)
        done = f"{DRAFTS} files scanned: {REUSING} fail"
        scan_t, code = timed([exe, "scan", "--staged", "--no-color"], repo, args.runs, done)
        hook_t, _ = timed(
            [exe, "scan", *sorted(str(p.relative_to(repo)) for p in (repo / "posts").glob("*.md"))],
            repo,
            args.runs,
            done,
        )
        precommit = shutil.which("pre-commit")
        pc_t: Timing | None = None
        if precommit:
            os.environ.setdefault("PRE_COMMIT_HOME", str(OUT / "pre-commit-home"))
            timed([precommit, "run"], repo, 1)  # first run initialises PRE_COMMIT_HOME
            pc_t, _ = timed([precommit, "run"], repo, args.runs, expect=done)
    med = statistics.median
    rev = (
        subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    lines = [
        "## Pre-commit gate (`benchmarks/precommit_speed.py`)",
        "",
        f"{dt.date.today().isoformat()}, commit {rev} (plus working tree), {os.cpu_count()} "
        f"cores, Python {sys.version.split()[0]}; median of {args.runs} runs, wall time of "
        "a fresh subprocess.",
        f"Index: {len(articles):,} articles (Reuters-21578 + synthetic), "
        f"{DRAFTS} staged Markdown drafts ({REUSING} reproduce an article; exit code {code}).",
        "",
        f"Load average before the runs: {load:.2f} (colleagues share the cores: compare "
        "CPU times when it is high).",
        "",
        "| step | median wall | min wall | max wall | median CPU |",
        "|---|---|---|---|---|",
    ]
    for name, t in (
        ("python start (`python -c pass`)", bare_t),
        ("start-up: `import checker.cli`", import_t),
        ("start-up: import + open the index", startup_t),
        (f"`checker scan --staged` ({DRAFTS} drafts)", scan_t),
        ("`checker scan FILES...` as the pre-commit hook runs it", hook_t),
        *([("`pre-commit run` (local hook; pre-commit's own start-up included)", pc_t)]
          if pc_t is not None else []),
    ):
        wall, cpu = t
        lines.append(f"| {name} | {med(wall):.2f} s | {min(wall):.2f} s | {max(wall):.2f} s "
                     f"| {med(cpu):.2f} s |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section('precommit', text, DOCS)


if __name__ == "__main__":
    main()
