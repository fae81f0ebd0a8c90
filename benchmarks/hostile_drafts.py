"""Scan time of hostile drafts as they grow: linear, or quadratic?

A pull request can hold a draft built to make the gate slow: thousands of unclosed
HTML comments, quotation marks without a sentence end, ``a<b`` on one line. A pattern
whose cost grows with the square of the draft turns 300 KB into minutes, and the CI
job times out. Each draft here is a fixture article pasted whole (so the scan goes
all the way: alignment, quotes, rights, locations) followed by one pattern repeated
to ``--size`` characters, then to 4x that. The ratio of the two scan times is ~4 when
the cost is linear, ~16 when it is quadratic; a plain-prose draft of the same sizes
is the baseline.

Usage::

    python -m benchmarks.hostile_drafts [--size 50000] [--runs 3] [--no-write]
        [--json OUT.json] [--compare EARLIER.json]

Prints one line per draft and writes the figures to ``--json`` (default
``benchmarks/out/hostile_drafts.json``); ``--compare`` adds the growth measured by an
earlier run (of an older commit, say) as a column. Without ``--no-write`` the table
goes to ``docs/benchmarks.md`` (section ``hostile_drafts``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.docs_section import write_section
from checker import Index

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "articles" / "lakeside-ledger-water-rates.txt"

#: (name, file suffix, pattern repeated after the article). "prose" is the baseline.
PATTERNS = [
    ("prose", ".md", "The council met again on Tuesday and voted on the budget. "),
    ("unclosed tags, one line", ".md", "a<b"),
    ("link openings", ".md", "](a"),
    ("unclosed comments", ".md", "<!--"),
    ("unclosed ignore markers", ".md", "<!-- checker: ignore source=x "),
    ("quotes, no sentence end", ".md", '"a" '),
    ("unclosed <q>", ".md", "<q>a "),
    ("unclosed <blockquote>", ".txt", "<blockquote>a "),
    ("markup inside words", ".md", "wa**te**r "),
    ("unclosed hidden spans", ".md", "a<span hidden>b "),
    ("hidden spans in words", ".html", "wa<span hidden>q</span>ter "),
    ("class-hidden spans in words", ".html", "wa<i class=\"d-none\">q</i>ter "),
    ("class-hidden spans in words", ".md", "wa<i class=\"d-none\">q</i>ter "),
    ("style rules", ".md", "<style>.c{display:none}</style>wa<i class=c>q</i>ter "),
    ("unclosed <style>", ".md", "<style>a "),
    ("page with an aside of quotes", ".html", '<aside>"a" </aside>'),
    ("zero-width spaces", ".txt", "wa\u200bter "),
    ("leading blanks", ".txt", " "),
    ("unclosed <script>", ".html", "<script>a"),
    ("unclosed comments", ".html", "<!--"),
    ("Hangul fillers for spaces", ".txt", "water\u3164rates\u3164"),
    ("nested right-to-left overrides", ".html", '<bdo dir="rtl">ab '),
    ("nested right-to-left overrides, two children", ".html", '<bdo dir="rtl"><b>x</b>ab '),
    ("right-to-left overrides", ".html", '<bdo dir="rtl">ab</bdo> '),
    ("unclosed right-to-left overrides", ".md", '<bdo dir="rtl">ab '),
    ("right-to-left overrides", ".md", '<bdo dir="rtl">ab</bdo> '),
    ("SVG text elements", ".html", "<svg><text>water rates</text></svg>"),
    ("flex items with an order", ".html",
     '<div style="display:flex;gap:2px"><i style="order:1">a</i><i>b</i></div>'),
    ("nested flex containers", ".html",
     '<div style="display:flex;gap:1px"><i style="order:1">a</i>'),
    ("clear-colored spans in words", ".html", 'wa<span style="color:transparent">q</span>ter '),
    ("framed documents", ".html", '<iframe srcdoc="&lt;p&gt;water rates"></iframe>'),
    ("nested frames", ".html", '<iframe srcdoc="<iframe srcdoc=&quot;<p>a</p>&quot;>'),
    ("data file: string values", ".json", '"water rates", '),
    ("data file: unclosed strings", ".json", '"\\'),
    ("data file: unclosed comments", ".json", "/*"),
    ("data file: plain values", ".yaml", "- water rates\n"),
    ("data file: flow collections nested", ".yaml", "["),
    ("data file: cues", ".srt", "1\n00:00:01,000 --> 00:00:02,000\nwater rates\n\n"),
]


def _draft(directory: Path, name: str, suffix: str, pattern: str, size: int) -> Path:
    article = ARTICLE.read_text(encoding="utf-8")
    filler = pattern * max(1, size // len(pattern))
    if suffix == ".html":
        text = f"<html><body><p>{article}</p>{filler}</body></html>"
    elif pattern.isspace():
        # Blanks, then text with no line end for its first 200 characters: no headline.
        text = filler + article.replace("\n", " ")
    else:
        text = f"{article}\n\n{filler}\n"
    path = directory / f"{name.replace(' ', '-').replace(',', '').strip('<>')}-{size}{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def _seconds(index: Index, path: Path, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        index.scan([path])
        best = min(best, time.perf_counter() - started)
    return best


def measure(size: int, runs: int, only: str = "") -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Index.open(work / "index", create=True) as index:
            index.add([ROOT / "fixtures" / "articles"])
            index.scan([_draft(work, "warm", ".md", "x ", 1000)])  # imports, caches
            for name, suffix, pattern in PATTERNS:
                if only and only not in name:
                    continue
                small = _seconds(index, _draft(work, name, suffix, pattern, size), runs)
                large = _seconds(index, _draft(work, name, suffix, pattern, 4 * size), runs)
                rows.append({"draft": f"{name} ({suffix})", "size": size, "small_s": small,
                             "large_s": large, "ratio": large / small})
                print(f"{name} ({suffix}): {small:.3f} s -> {large:.3f} s, "
                      f"x{large / small:.1f}", flush=True)
    return rows


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True, check=False).stdout.strip()


def report(result: dict[str, Any], earlier: dict[str, Any] | None = None) -> str:
    size, runs, rows = result["size"], result["runs"], result["rows"]
    before = {r["draft"]: r for r in earlier["rows"]} if earlier else {}
    lines = [
        "## Hostile drafts: scan time as they grow (`benchmarks/hostile_drafts.py`)",
        "",
        f"`python -m benchmarks.hostile_drafts --size {size} --runs {runs}` at "
        f"{result['commit']}, {result['when']}. A fixture article pasted whole, then one "
        f"pattern repeated to {size // 1000} KB and to {4 * size // 1000} KB; best of {runs} "
        "scans each. Growing 4x, a linear cost grows ~4x, a quadratic one ~16x.",
    ]
    if earlier:
        lines += ["", f"Before: the same drafts at {earlier['commit']} (`--compare`; "
                      f"{earlier['size'] // 1000} KB and {4 * earlier['size'] // 1000} KB, "
                      f"best of {earlier['runs']})."]
    head = f"| draft | {size // 1000} KB | {4 * size // 1000} KB | growth |"
    rule = "|---|---|---|---|"
    if earlier:
        head += " before: large | before: growth |"
        rule += "---|---|"
    lines += ["", head, rule]
    for r in rows:
        line = (f"| {r['draft']} | {r['small_s']:.2f} s | {r['large_s']:.2f} s | "
                f"x{r['ratio']:.1f} |")
        if earlier:
            b = before.get(r["draft"])
            at = b.get("size", earlier["size"]) if b else 0
            line += (f" {b['large_s']:.2f} s ({4 * at / 1000:g} KB) | x{b['ratio']:.1f} |"
                     if b else " | |")
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--size", type=int, default=50_000, help="characters of the small drafts")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--only", default="", help="only the drafts whose name holds this")
    ap.add_argument("--json", type=Path,
                    default=ROOT / "benchmarks" / "out" / "hostile_drafts.json")
    ap.add_argument("--compare", type=Path, help="an earlier run's JSON, shown beside")
    args = ap.parse_args(argv)
    result = {"size": args.size, "runs": args.runs, "commit": commit(),
              "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
              "rows": measure(args.size, args.runs, args.only)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    earlier = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    if not args.no_write:
        write_section("hostile_drafts", report(result, earlier))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
