"""Peak memory of ``checker scan`` per draft word, on a long draft.

Builds a small index of synthetic articles, writes a baseline draft (``--baseline-words``)
and a long one (``--megabytes``, default 20 MB: the default ``--max-size``) made of
invented prose with copies of indexed articles pasted in, and runs ``checker scan`` on
each in a child process, which reports its own peak RSS (``VmHWM``) at exit. The figure
is the extra peak RSS of the long draft over the baseline, per extra draft word: what a
draft's length costs, without the interpreter, libraries and index that every scan pays
for (measured in the same run, so the noise of a shared machine cancels).

    python benchmarks/scan_memory.py                  # 20 MB; writes docs/benchmarks.md
    python benchmarks/scan_memory.py --megabytes 2 --no-write
    git archive OLDREV checker | tar -x -C /tmp/old   # then, to compare in the same run:
    python benchmarks/scan_memory.py --compare /tmp/old

Results go to ``docs/benchmarks.md`` between ``<!-- scan_memory:start -->`` and
``<!-- scan_memory:end -->``. Nothing is committed but the figures (the drafts are
generated in a temporary directory).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.docs_section import write_section

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
TARGET_BYTES_PER_WORD = 200


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Invented, pronounceable words: no real text is copied into a draft."""
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou")
                      for _ in range(rng.randint(1, 4)))] = None
    return list(words)


def prose(rng: random.Random, vocab: list[str], n_words: int) -> str:
    """Sentences of 8-18 words in paragraphs of about 120 words."""
    out: list[str] = []
    para = 0
    total = 0
    while total < n_words:
        n = rng.randint(8, 18)
        words = [rng.choice(vocab) for _ in range(n)]
        out.append(" ".join([words[0].capitalize(), *words[1:]]) + ".")
        total += n
        para += n
        if para >= 120:
            out.append("\n\n")
            para = 0
        else:
            out.append(" ")
    return "".join(out)


def make_draft(path: Path, n_bytes: int, articles: list[str], rng: random.Random,
               vocab: list[str]) -> int:
    """Write a draft of about ``n_bytes``: prose with an indexed article pasted in every
    ~50 paragraphs. Returns its word count."""
    parts: list[str] = []
    size = 0
    i = 0
    while size < n_bytes:
        block = (articles[i % len(articles)] if i % 50 == 49
                 else prose(rng, vocab, 120) + "\n\n")
        parts.append(block)
        size += len(block)
        i += 1
    text = "".join(parts)
    path.write_text(text, encoding="utf-8")
    return len(text.split())


# The child reports its own peak RSS (VmHWM of its address space) at exit: wait4's
# ru_maxrss would also count the RSS of this process at the fork (Linux keeps it across
# exec), and this process holds the generated draft.
_CHILD = """
import atexit, os, sys
def _hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:") and os.environ.get("SCAN_MEMORY_OUT"):
            open(os.environ["SCAN_MEMORY_OUT"], "w").write(line.split()[1])
atexit.register(_hwm)
sys.argv[0] = "checker"
if {source!r}:
    sys.path.insert(0, {source!r})
from checker.cli import main
main()
"""


def checker_command(source: Path | None = None) -> list[str]:
    """``checker`` run by this Python, from the installed package or from another
    checkout (``source``, to measure an older version in the same run)."""
    return [sys.executable, "-c", _CHILD.format(source=str(source) if source else "")]


def peak_rss(args: list[str]) -> tuple[int, float, int]:
    """Run ``args``; its peak RSS in bytes, seconds, exit code."""
    with tempfile.NamedTemporaryFile("r", suffix=".hwm") as out:
        t0 = time.perf_counter()
        proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "SCAN_MEMORY_OUT": out.name}, check=False)
        seconds = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise SystemExit(f"checker exited {proc.returncode}: "
                             f"{proc.stderr.decode(errors='replace')}")
        return int(Path(out.name).read_text() or 0) * 1024, seconds, proc.returncode


def run(megabytes: float, baseline_words: int, seed: int,
        compare: Path | None = None) -> dict[str, float]:
    rng = random.Random(seed)
    vocab = vocabulary(20_000, rng)
    checker = checker_command()
    with tempfile.TemporaryDirectory(prefix="scan-memory-") as tmp:
        root = Path(tmp)
        arts = root / "articles"
        arts.mkdir()
        articles = [prose(rng, vocab, 600) for _ in range(40)]
        for i, text in enumerate(articles):
            (arts / f"a{i:03d}.txt").write_text(text, encoding="utf-8")
        index = root / "index"
        subprocess.run([*checker, "index", "add", str(arts), "--index", str(index)],
                       check=True, stdout=subprocess.DEVNULL)
        small, big = root / "small.txt", root / "big.txt"
        small_words = make_draft(small, baseline_words * 7, articles, rng, vocab)
        big_words = make_draft(big, int(megabytes * 1_000_000), articles, rng, vocab)
        big_bytes = big.stat().st_size
        opts = ["--index", str(index), "--format", "json", "--max-size",
                str(max(21.0, megabytes * 1.1))]
        small_rss, small_s, _ = peak_rss([*checker, "scan", *opts, str(small)])
        big_rss, big_s, code = peak_rss([*checker, "scan", *opts, str(big)])
        result = {"megabytes": big_bytes / 1e6, "words": big_words,
                  "baseline_words": small_words, "baseline_rss": small_rss, "rss": big_rss,
                  "per_word": (big_rss - small_rss) / (big_words - small_words),
                  "seconds": big_s, "baseline_seconds": small_s, "exit": code}
        if compare is not None:
            # The other checkout has no --max-size on scan: its limit is 20 MiB.
            old = [*checker_command(compare), "scan", "--index", str(index), "--format", "json"]
            old_small, _, _ = peak_rss([*old, str(small)])
            old_big, old_s, _ = peak_rss([*old, str(big)])
            result.update(before_per_word=(old_big - old_small) / (big_words - small_words),
                          before_rss=old_big, before_seconds=old_s)
    return result


def section(r: dict[str, float], command: str) -> str:
    verdict = "meets" if r["per_word"] <= TARGET_BYTES_PER_WORD else "misses"
    return (
        "## Scan memory per draft word\n\n"
        f"`{command}` on {platform.machine()}, Python {platform.python_version()}: the "
        "installed `checker scan` on a generated draft of invented prose with indexed "
        "articles pasted in (40 articles indexed), peak RSS of the child process (its "
        "`VmHWM`), against a baseline draft scanned in the same run.\n\n"
        "| draft | words | peak RSS | scan time |\n|---|---|---|---|\n"
        f"| baseline | {r['baseline_words']:,.0f} | {r['baseline_rss'] / 1e6:,.0f} MB | "
        f"{r['baseline_seconds']:.1f} s |\n"
        f"| {r['megabytes']:.1f} MB | {r['words']:,.0f} | {r['rss'] / 1e6:,.0f} MB | "
        f"{r['seconds']:.1f} s |\n"
        + (f"| {r['megabytes']:.1f} MB, before (`--compare`) | {r['words']:,.0f} | "
           f"{r['before_rss'] / 1e6:,.0f} MB | {r['before_seconds']:.1f} s |\n"
           if "before_rss" in r else "")
        + f"\n**{r['per_word']:.0f} bytes of peak RSS per extra draft word** ({verdict} the "
        f"target of {TARGET_BYTES_PER_WORD}"
        + (f"; {r['before_per_word']:.0f} before the draft's LSH lookup and tokenizer "
           "worked a chunk at a time" if "before_per_word" in r else "")
        + "). What stays per word: the text, one pointer per "
        "word (equal words share a string), its offsets and hashes, and a flag per "
        "window; the LSH keys, permutations and per-byte arrays of the tokenizer are "
        "computed a chunk at a time.\n"
    )




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=20.0, help="long draft size")
    parser.add_argument("--baseline-words", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="also measure the "
                        "checker package of another checkout (e.g. git archive of an old "
                        "commit unpacked in DIR)")
    args = parser.parse_args()
    r = run(args.megabytes, args.baseline_words, args.seed, args.compare)
    command = "python benchmarks/scan_memory.py" + (
        f" --megabytes {args.megabytes:g}" if args.megabytes != 20.0 else "") + (
        " --compare OLD" if args.compare else "")
    text = section(r, command)
    print(text)
    if not args.no_write:
        write_section('scan_memory', text, DOCS)


if __name__ == "__main__":
    main()
