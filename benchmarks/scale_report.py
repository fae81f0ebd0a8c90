"""Table and plot of :mod:`benchmarks.scale` results (``benchmarks/out/scale.json``)."""

from __future__ import annotations

from typing import Any

from benchmarks import datasets as ds

ROOT = ds.PROJECT_ROOT
DOCS = ROOT / "docs" / "benchmarks.md"
PLOT = ROOT / "docs" / "scale.png"
START, END = "<!-- scale:start -->", "<!-- scale:end -->"
# Issue 13's targets (the 1M build: the archive parameters, as this benchmark runs them).
TARGETS = {"build words/s": ">= 4M (1M articles < 150 s)", "checker / datasketch": ">= 100x",
           "checker / rensa": "> 1x", "peak RSS building (main + workers)": "<= 3 GB at 1M",
           "index on disk": "<= 4 GB at 1M", "open (Index.open + first lookup)": "<= 2 s",
           "scan 1,000-word draft p50": "<= 25 ms", "scan p95": "<= 100 ms",
           "20-file CI scan (subprocess)": "<= 2 s", "peak RSS scanning": "<= 6 GB",
           "add 1,000 articles": "seconds", "remove 1 article": "immediate",
           "recall (reproductions found)": "no loss"}


def _refs(r: dict[str, Any], key: str) -> float | None:
    vals = [r[k][key] for k in ("refs_before", "refs_after") if r.get(k) and r[k].get(key)]
    return sum(vals) / len(vals) if vals else None


def rows(results: dict[str, Any]) -> list[tuple[str, list[str]]]:
    cols = sorted(results.values(), key=lambda r: (r["params"], r["n"]))
    out: list[tuple[str, list[str]]] = [("target", [])]

    def add(label: str, fn: Any) -> None:
        vals = []
        for r in cols:
            try:
                vals.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                vals.append("not reached")
        out.append((label, [*vals, TARGETS.get(label, "")]))

    add("articles (params)", lambda r: f"{r['n']:,} ({r['params']})")
    add("words indexed", lambda r: f"{r['words'] / 1e6:,.0f}M")
    add("build (add + merge)", lambda r: f"{r['build_s']:,.0f} s")
    add("build words/s", lambda r: f"{r['words'] / r['build_s'] / 1e6:.2f}M")
    add("datasketch words/s (same run)", lambda r: f"{_refs(r, 'datasketch_wps') or 0:,.0f}")
    add("checker / datasketch",
        lambda r: f"{r['words'] / r['build_s'] / (_refs(r, 'datasketch_wps') or 1):.0f}x")
    add("rensa words/s, 1 core (same run)", lambda r: f"{(_refs(r, 'rensa_wps') or 0) / 1e6:.2f}M")
    add("checker / rensa",
        lambda r: f"{r['words'] / r['build_s'] / (_refs(r, 'rensa_wps') or 1):.2f}x")
    add("peak RSS building (main + workers)", lambda r: f"{r['build_rss_mb'] / 1024:.2f} GiB")
    add("index on disk", lambda r: f"{r['disk_mb'] / 1024:.2f} GiB")
    add("LSH entries", lambda r: f"{r['lsh_entries'] / 1e6:,.1f}M")
    add("open (Index.open + first lookup)", lambda r: f"{r['open_s'] * 1000:.0f} ms")
    add("scan 1,000-word draft p50", lambda r: f"{r['scan_p50_ms']:.0f} ms")
    add("scan p95", lambda r: f"{r['scan_p95_ms']:.0f} ms")
    add("recall (reproductions found)", lambda r: f"{r['recall']:.0%}")
    add("recall pasted/short/light/heavy", lambda r: "/".join(
        f"{r['recall_by_kind'][k]:.0%}" for k in ("pasted", "short", "light", "heavy")))
    add("peak RSS scanning", lambda r: f"{r['scan_rss_mb'] / 1024:.2f} GiB")
    add("20-file CI scan (subprocess)", lambda r: f"{r['ci_20_files_s']:.1f} s")
    add("add 1,000 articles", lambda r: f"{r['add_1000_s']:.1f} s")
    add("remove 1 article", lambda r: f"{r['remove_1_s'] * 1000:.0f} ms")
    return out


def plot(results: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {
        "build (s)": lambda r: r["build_s"],
        "build words/s (M)": lambda r: r["words"] / r["build_s"] / 1e6,
        "peak RSS build (GiB)": lambda r: r["build_rss_mb"] / 1024,
        "disk (GiB)": lambda r: r["disk_mb"] / 1024,
        "open (s)": lambda r: r["open_s"],
        "scan p50 (ms)": lambda r: r["scan_p50_ms"],
        "scan p95 (ms)": lambda r: r["scan_p95_ms"],
        "CI 20 files (s)": lambda r: r["ci_20_files_s"],
    }
    # Targets are in GB (10**9 bytes); the plots are in GiB.
    goal = {"build words/s (M)": 4.0, "peak RSS build (GiB)": 3e9 / 2**30,
            "disk (GiB)": 4e9 / 2**30,
            "open (s)": 2.0, "scan p50 (ms)": 25.0, "scan p95 (ms)": 100.0,
            "CI 20 files (s)": 2.0, "build (s)": 150.0}
    fig, axes = plt.subplots(2, 4, figsize=(14, 6.5))
    for ax, (name, fn) in zip(axes.ravel(), series.items(), strict=True):
        ax.axhline(goal[name], color="red", linestyle="--", linewidth=1,
                   label="target (1M)" if name == "build (s)" else None)
        for params in sorted({r["params"] for r in results.values()}):
            pts = []
            for r in sorted(results.values(), key=lambda r: r["n"]):
                try:
                    pts.append((r["n"], fn(r))) if r["params"] == params else None
                except KeyError:
                    continue
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=params)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("articles")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].legend()
    fig.tight_layout()
    fig.savefig(PLOT, dpi=90)
    plt.close(fig)


def write_report(results: dict[str, Any], notes: str | None = None) -> None:
    if not results:
        return
    table = rows(results)[1:]
    lines = ["| | " + " | ".join(table[0][1][:-1]) + " | target |",
             "|---|" + "---|" * len(table[0][1])]
    lines += [f"| {label} | " + " | ".join(vals) + " |" for label, vals in table[1:]]
    runs = sorted({(r["date"], r["commit"]) for r in results.values()})
    head = ["## Scale: 10k to 1M articles", "",
            "`python3 -m benchmarks.scale` (see its docstring); measured "
            + "; ".join(f"{d} at commit {c}" for d, c in runs) + ".", "",
            *lines, "", "![scale](scale.png)", ""]
    notes_file = ROOT / "benchmarks" / "scale_notes.md"
    body = "\n".join(head) + (notes_file.read_text(encoding="utf-8")
                              if notes_file.exists() else "") + (notes or "")
    plot(results)
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if START in text and END in text:
        text = text[: text.index(START)] + f"{START}\n{body}\n{END}" + \
            text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + f"\n\n{START}\n{body}\n{END}\n"
    DOCS.write_text(text, encoding="utf-8")
