"""Accuracy of checker and its peers on real text: Reuters-21578 and Clough & Stevenson.

One command, deterministic (seeded)::

    python -m benchmarks.accuracy            # full run: docs/benchmarks.md + docs/accuracy.json
    python -m benchmarks.accuracy --size ci  # the reduced run of tests/test_accuracy.py

1. Reuters-21578, drawn once per seed (15 seeds in the full run, pooled): a split of the
   articles is indexed through the Python API, each
   indexed copy ending with its publisher's notice (rights reserved; a share of them
   CC BY 4.0 instead). Drafts of every kind of :mod:`benchmarks.datasets` are made from
   the indexed articles (hosts and negatives are unindexed articles), written as files
   (``.txt``, ``.html``, ``.md``) and scanned as a user would. A reproduction kind is hit
   when a failing finding names its source (every source, for ``two_sources``); a
   must-pass draft that fails is a false fail, unless a failing source really shares
   text with the draft's own material (a duplicate inside Reuters, checked with difflib:
   :func:`benchmarks.accuracy_score.shared_text`): set apart, counted, not scored.
2. Clough & Stevenson: the 5 sources indexed, the 95 answers scanned; the share flagged
   with the right source per category, and binary accuracy.
3. Peers (:mod:`benchmarks.peers`) see the same files and are scored the same way.

Only ids and figures are written out, never text of the corpora.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.accuracy_report import render, write_section
from benchmarks.accuracy_score import (
    Case,
    Corpus,
    calibrate,
    count,
    pool_counts,
    score_clough,
    summarize,
    targets_missed,
)
from benchmarks.datasets import commit
from checker import Index, Policy, Verdict
from checker.documents import Metadata, TextDocument
from checker.matching import AlignParams
from checker.readers import iter_files, read_file
from checker.report import FileReport
from checker.scan import scan_document

ROOT = Path(__file__).resolve().parent.parent
JSON_OUT = ROOT / "docs" / "accuracy.json"

MUST_FAIL = ("verbatim", "pasted_paragraph", "light_edit", "stitched", "as_html",
             "as_markdown", "heavy_edit", "short_paste", "two_sources", "reflowed",
             "long_quote", "uncredited")
DEFAULT_POLICY = Policy()
#: The alignment of commit d0bd600, before issue 5: measured beside the current one.
BEFORE_ALIGN = AlignParams(max_gap=10, max_shift=6, min_density=0.35, split_at_figures=False)
MIN_SOURCE_WORDS = 80  # shorter articles are too short to edit or paste from meaningfully
MIN_HOST_WORDS = 100

@dataclass(frozen=True)
class Config:
    """Size of a run. ``indexed`` articles are indexed, ``ccby`` of them as CC BY 4.0.

    Reuters is drawn once per seed (another split, other drafts) and the figures are pooled:
    one seed's ~550 must-pass drafts put a 0.5% false-fail rate within +-0.6% (95%), fifteen
    of them within +-0.15%. The first seed is the one the reduced run uses.
    """

    name: str
    seeds: tuple[int, ...]
    indexed: int
    ccby: int
    per_kind: int
    negatives: int  # per negative kind
    peers: bool = True
    before: bool = True  # also measure the alignment as it was before issue 5


SIZES = {
    "full": Config("full", tuple(range(5, 20)), indexed=6000, ccby=600, per_kind=100,
                   negatives=150),
    "ci": Config("ci", (5,), indexed=6000, ccby=600, per_kind=20, negatives=40, before=False),
}


def _ext(kind: str) -> str:
    return {"as_html": ".html", "as_markdown": ".md"}.get(kind, ".txt")


def _day(article: ds.Article) -> str:
    return article.date.split()[0] if article.date else ""


#: A quotation in a draft: straight or curly double quotes around up to 400 characters.
_QUOTE_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{1,400})[\"\u201d]")


def _unquoted_words(draft: ds.Draft, reuse: ds.Reuse, policy: Policy) -> int:
    """Words a reuse carries over outside short quotations (a speaker's words that the
    source quoted too: fair quotation when the draft attributes them, as the news does)."""
    if draft.quoted:  # the kinds that quote on purpose are judged as quotations
        return reuse.words
    quoted = sum(n for m in _QUOTE_RE.finditer(draft.text, reuse.start, reuse.end)
                 if (n := len(m.group(1).split())) <= policy.quote_max_words)
    return max(0, reuse.words - quoted)


def over_fail_size(draft: ds.Draft, policy: Policy = DEFAULT_POLICY) -> bool:
    """The draft carries over enough source words, unchanged, for the policy to fail it
    (e.g. a CC BY draft of two short paragraphs, 17 words, only warns, by design).

    Reuses shorter than a reported passage (``min_passage_words``: the lines of a results
    table stitched together) and the words of short quotations in them do not count."""
    sizes = [n for r in draft.reuses
             if (n := _unquoted_words(draft, r, policy)) >= policy.min_passage_words]
    return (sum(sizes) >= policy.fail_total_words
            or max(sizes, default=0) >= policy.fail_passage_words)


def build_reuters(cfg: Config, seed: int) -> Corpus:
    """Split, index texts and drafts: deterministic for ``seed``."""
    articles = [a for a in ds.load_reuters() if a.text.strip()]
    group = ds.duplicate_groups(articles)
    order = list(articles)
    random.Random(seed).shuffle(order)
    indexed, unindexed = order[: cfg.indexed], order[cfg.indexed :]
    ccby = {a.id for a in indexed[: cfg.ccby]}
    indexed_groups = {group[a.id] for a in indexed}
    corpus = Corpus({}, {}, {}, {a.id: a.text for a in articles}, group, "Reuters")
    for a in indexed:
        if a.id in ccby:
            text = (f"{a.text}\n\n\u00a9 1987 Reuters Ltd. Licensed under CC BY 4.0 "
                    "(https://creativecommons.org/licenses/by/4.0/).")
        else:
            text = ds.with_notice(a)
        corpus.sources[a.id] = text
        corpus.licences[a.id] = "CC-BY-4.0" if a.id in ccby else "all-rights-reserved"
        corpus.titles[a.id] = a.title

    def words(a: ds.Article) -> int:
        return len(a.text.split())

    arr = [a for a in indexed if a.id not in ccby and words(a) >= MIN_SOURCE_WORDS]
    by_cc = [a for a in indexed if a.id in ccby and words(a) >= MIN_SOURCE_WORDS]
    hosts = [a for a in unindexed
             if words(a) >= MIN_HOST_WORDS and group[a.id] not in indexed_groups]

    def credit(a: ds.Article) -> str:
        title = a.title.title() if a.title else "Reuters report"
        return f"Source: \u201c{title}\u201d, Reuters, licensed under CC BY 4.0."

    makers: dict[str, tuple[list[ds.Article], int, Callable[..., ds.Draft]]] = {
        "verbatim": (arr, 0, ds.verbatim),
        "pasted_paragraph": (arr, 1, ds.pasted_paragraph),
        "light_edit": (arr, 0, ds.light_edit),
        "stitched": (arr, 0, ds.stitched),
        "as_html": (arr, 0, ds.as_html),
        "as_markdown": (arr, 0, ds.as_markdown),
        "heavy_edit": (arr, 0, ds.heavy_edit),
        "short_paste": (arr, 1, ds.short_paste),
        "two_sources": (arr, 2, ds.two_sources),
        "reflowed": (arr, 0, ds.reflowed),
        "long_quote": (arr, 1, ds.long_quote),
        "uncredited": (by_cc, 0, ds.uncredited),
        "short_quote": (arr, 1, ds.short_quote),
        "short_phrase": (arr, 1, ds.short_phrase),
        "credited": (by_cc, 0, lambda a, rng: ds.credited(a, rng, credit(a))),
    }
    for k, (kind, (pool, extra, make)) in enumerate(makers.items()):
        rng = random.Random(seed * 1000 + k)
        shuffled = list(pool)
        rng.shuffle(shuffled)
        made = 0
        for i, a in enumerate(shuffled):
            if made == cfg.per_kind:
                break
            try:
                origin: tuple[str, ...] = ()
                if extra == 0:
                    draft = make(a, rng)
                elif extra == 1:
                    host = hosts[rng.randrange(len(hosts))]
                    draft, origin = make(a, host, rng), (host.id,)
                else:  # two sources and a host
                    other = shuffled[(i + 1 + rng.randrange(len(shuffled) - 1)) % len(shuffled)]
                    if group[other.id] == group[a.id]:
                        continue
                    host = hosts[rng.randrange(len(hosts))]
                    draft, origin = make(a, other, host, rng), (host.id,)
            except ValueError:
                continue  # unsuitable article (too short, too few sentences): pick another
            if kind in MUST_FAIL and not over_fail_size(draft):
                continue  # reuses less than the policy fails on: a warning is right
            corpus.cases.append(Case(kind, f"{kind}-{made:03d}{_ext(kind)}", draft.text,
                                     draft.sources, origin, kind in MUST_FAIL))
            made += 1
    # Negatives: unindexed articles, some on the topic and of the day of an indexed one.
    rng = random.Random(seed * 1000 + 99)
    topic_days = {(t, _day(a)) for a in indexed for t in a.topics}
    related = [a for a in unindexed if any((t, _day(a)) in topic_days for t in a.topics)]
    related_ids = {a.id for a in related}
    plain = [a for a in unindexed if a.id not in related_ids]
    for kind, pool in (("negative_random", plain), ("negative_same_topic_day", related)):
        for n, a in enumerate(rng.sample(pool, min(cfg.negatives, len(pool)))):
            corpus.cases.append(Case(kind, f"{kind}-{n:03d}.txt", a.text, (), (a.id,), False))
    return corpus


def build_clough() -> Corpus:
    sources, answers = ds.load_clough()
    ids = {t: f"orig_task{t}" for t in sources}
    corpus = Corpus({ids[t]: text for t, text in sources.items()},
                    dict.fromkeys(ids.values(), "all-rights-reserved"),
                    dict.fromkeys(ids.values(), ""),
                    {ids[t]: text for t, text in sources.items()},
                    {i: i for i in ids.values()}, "Wikipedia", "all-rights-reserved")
    for name, task, category, text in answers:
        corpus.cases.append(Case(category, name, text, (ids[task],), (), category != "non"))
    return corpus


# -- detectors ---------------------------------------------------------------------

Flags = dict[str, dict[str, tuple[str, ...]]]  # rule -> case file -> failing source ids


def run_checker(corpus: Corpus, work: Path,
                with_before: bool = False) -> tuple[Flags, dict[str, Any]]:
    """Index through the Python API, scan the draft files; failing findings' sources
    (``checker/before``: the same with :data:`BEFORE_ALIGN`)."""
    index_dir, draft_dir = work / "index", work / "drafts"
    draft_dir.mkdir(parents=True)
    for case in corpus.cases:
        (draft_dir / case.file).write_text(case.text, encoding="utf-8")
    started = time.perf_counter()
    with Index.open(index_dir, create=True) as index:
        index.add_documents(
            (TextDocument(key=sid, path=sid, text=text, content_hash=sid,
                          meta=Metadata(title=corpus.titles[sid], publisher=corpus.publisher,
                                        license=corpus.license))
             for sid, text in corpus.sources.items()))
        indexed = time.perf_counter() - started
        started = time.perf_counter()
        report = index.scan([draft_dir], Policy())
        scanned = time.perf_counter() - started
        before: list[FileReport] = []
        if with_before:  # the same index and files, the alignment as it was before issue 5
            for path, name in iter_files([draft_dir]):
                before += [scan_document(index.store, d, Policy(), BEFORE_ALIGN)
                           for d in read_file(path, name)]
    flags: Flags = {}
    detail: dict[str, list[tuple[str, str, str, int]]] = {}
    for det, files in (("checker", report.files), ("checker/before", tuple(before))):
        for fr in files:
            name = Path(fr.path).name
            flags.setdefault(det, {})[name] = tuple(  # a finding names its story's copies too
                p for f in fr.findings if f.verdict is Verdict.FAIL
                for p in (f.source.path, *(c.path for c in f.copies)))
            if det == "checker":
                detail[name] = [(f.source.path, str(f.verdict), f.reason, f.reproduced_words)
                                for f in fr.findings]
    timing = {"index_s": round(indexed, 1), "scan_ms_per_draft":
              round(1000 * scanned / max(1, len(corpus.cases)), 1)}
    return flags, {"timing": timing, "detail": detail}


def run_peer(name: str, corpus: Corpus) -> Flags:
    from benchmarks.peers import PEERS

    peer = PEERS[name]()
    peer.index(corpus.sources)
    out: Flags = {}
    for case in corpus.cases:
        for rule, found in peer.flags(case.text).by_rule.items():
            out.setdefault(f"{name}/{rule}", {})[case.file] = found
    return out




def _detect(corpus: Corpus, cfg: Config, name: str,
            log: Callable[[str], None]) -> tuple[Flags, dict[str, Any]]:
    """Failing sources per draft file of checker and (``cfg.peers``) its peers."""
    with tempfile.TemporaryDirectory() as tmp:
        flags, info = run_checker(corpus, Path(tmp), cfg.before)
    if cfg.peers:
        for peer in ("copydetect", "datasketch"):
            started = time.perf_counter()
            flags.update(run_peer(peer, corpus))
            log(f"{name}: {peer} in {time.perf_counter() - started:.0f} s")
    return flags, info


def run(cfg: Config, log: Callable[[str], None] = print) -> dict[str, Any]:
    """The whole evaluation; returns the results (as written to the JSON file)."""
    results: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                               "commit": commit(), "config": asdict(cfg),
                               "policy": asdict(Policy()), "corpora": {}}
    # Reuters: one draw per seed, pooled.
    parts: dict[str, list[tuple[dict[str, dict[str, Any]], int]]] = {}
    per_seed: dict[str, dict[str, Any]] = {}
    details: dict[str, Any] = {}
    drafts = indexed = 0
    known: list[tuple[str, str, str]] = []  # (label, text, source): to calibrate shared_text
    timing: dict[str, Any] = {}
    for seed in cfg.seeds:
        corpus = build_reuters(cfg, seed)
        log(f"reuters seed {seed}: {len(corpus.sources)} indexed, {len(corpus.cases)} drafts")
        flags, info = _detect(corpus, cfg, f"reuters seed {seed}", log)
        by_file = {c.file: c for c in corpus.cases}
        known += [(c.kind, c.text, corpus.texts[c.sources[0]]) for c in corpus.cases
                  if c.kind in ("light_edit", "heavy_edit")]
        for det, f in flags.items():
            counted = count(corpus, f, prefix=f"{seed}/")
            parts.setdefault(det, []).append(counted)
            one = summarize(*counted)
            per_seed.setdefault(str(seed), {})[det] = {k: v for k, v in one.items()
                                                       if k != "kinds"}
        for f, d in info["detail"].items():  # diagnostics of checker: ids and figures only
            c = by_file[f]
            details[f"{seed}/{f}"] = {"sources": c.sources, "origin": c.origin, "findings": d}
        drafts += len(corpus.cases)
        indexed = len(corpus.sources)
        timing = timing or info["timing"]
        log(f"reuters seed {seed}: checker "
            f"{json.dumps({k: v for k, v in per_seed[str(seed)]['checker'].items()})}")
    pooled = {det: pool_counts(p) for det, p in parts.items()}
    for det, scored in pooled.items():
        for k in scored["kinds"].values():
            k["missed"] = ({f: details[f] for f in k["missed"][:10]} if det == "checker"
                           else len(k["missed"]))
    results["corpora"]["reuters"] = {"indexed": indexed, "drafts": drafts, "timing": timing,
                                     "detectors": pooled, "per_seed": per_seed}
    log(f"reuters, {len(cfg.seeds)} seeds pooled: checker "
        f"{json.dumps({k: v for k, v in pooled['checker'].items() if k != 'kinds'})}")
    # Clough & Stevenson: the corpus itself, once.
    corpus = build_clough()
    log(f"clough: {len(corpus.sources)} indexed, {len(corpus.cases)} drafts")
    flags, info = _detect(corpus, cfg, "clough", log)
    scored = {det: score_clough(corpus, f) for det, f in flags.items()}
    results["corpora"]["clough"] = {"indexed": len(corpus.sources), "drafts": len(corpus.cases),
                                    "timing": info["timing"], "detectors": scored}
    log(f"clough: checker {json.dumps(scored['checker'])}")
    known += [(f"clough {c.kind}", c.text, corpus.texts[c.sources[0]]) for c in corpus.cases]
    results["duplicate_check"] = calibrate(known)
    results["targets_missed"] = targets_missed(
        results["corpora"]["reuters"]["detectors"]["checker"],
        results["corpora"]["clough"]["detectors"]["checker"])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--seeds", type=int, nargs="+", default=None,
                        help="Reuters draws to pool (default: the size's seeds)")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-before", action="store_true",
                        help="skip the alignment as it was before issue 5")
    parser.add_argument("--no-write", action="store_true",
                        help="write neither docs/benchmarks.md nor docs/accuracy.json")
    parser.add_argument("--json", type=Path, default=JSON_OUT, help="results file")
    args = parser.parse_args(argv)
    if not (ds.reuters_available() and ds.clough_available()):
        print(f"skipped: the corpora are not in {ds.shared_dir()}")
        return 0
    cfg = SIZES[args.size]
    if args.seeds or args.no_peers or args.no_before:
        cfg = Config(**{**asdict(cfg), "seeds": tuple(args.seeds or cfg.seeds),
                        "peers": cfg.peers and not args.no_peers,
                        "before": cfg.before and not args.no_before})
    results = run(cfg)
    if not args.no_write:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n",
                             encoding="utf-8")
        if args.json == JSON_OUT:
            write_section(render(results))
    for line in results["targets_missed"] or ["all targets met"]:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
