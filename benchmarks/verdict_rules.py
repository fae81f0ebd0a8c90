"""What each verdict rule buys: every rule of :mod:`checker.verdict` turned off in turn.

The drafts of :mod:`benchmarks.accuracy` (Reuters-21578 seeds, Clough & Stevenson) and
the bundled fixtures are scanned once; every finding's measured facts
(:class:`checker.verdict.Facts`) are recorded, then decided again with one rule off at a
time (:func:`checker.verdict.decide` is pure, so this is exact for every rule that acts
on the facts). For each variant: Reuters recall and false fails, Clough & Stevenson
flagged per category, and fixture drafts whose expected verdict changes.

Usage::

    python -m benchmarks.verdict_rules --seeds 5 6 7      # writes docs/benchmarks.md
    python -m benchmarks.verdict_rules --seeds 5 --no-write
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.accuracy import SIZES, build_clough, build_reuters, run_checker
from benchmarks.accuracy_score import Corpus, count, score_clough, summarize
from checker import Index, Policy, scan, verdict
from checker import index as index_module
from checker.quotes import Quote
from checker.rights import Span
from checker.store import DocumentRecord
from checker.verdict import Cover, Facts

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
FIXTURES = ROOT / "fixtures"

Recorded = dict[str, dict[str, Facts]]  # draft file name -> source path -> facts
Variant = tuple[str, str, Callable[[Facts], Facts], Policy]


def _off(**fields: Any) -> Callable[[Facts], Facts]:
    def change(f: Facts) -> Facts:
        return replace(f, **{k: tuple(v for _ in f.spans) for k, v in fields.items()})
    return change


def _same(f: Facts) -> Facts:
    return f


#: The fixture set written as a second news corpus (see ``fixtures/README.md``).
NEWSROOM_SET = "newsroom/"
#: The fixtures' licensed partner (fixtures/expected.json, partner-wire.txt).
PARTNERS = ("Meridian Wire",)
COUNTS = ("n", "hits", "fails", "set_apart", "set_apart_edited", "set_apart_reworded",
          "set_apart_paraphrased")


@dataclass(frozen=True)
class _EditedAlone(Policy):
    """An edited passage fails alone at ``fail_passage_words``, like a near-verbatim one."""

    def fails_alone(self, words: int, similarity: float, coverage: float = 1.0) -> bool:
        return self.counted_words(words, similarity, coverage) >= self.fail_passage_words


TINY = 1e-6  # a threshold no passage is below: the rule never acts
VARIANTS: tuple[Variant, ...] = (
    ("all rules", "", _same, Policy()),
    ("counted words", "every passage counts all its words (no words x similarity / 0.85)",
     _same, Policy(full_similarity=TINY)),
    ("paraphrase gate", "a passage below 0.8 counts even where the source covers under a "
     "fifth of the draft", _same, Policy(loose_similarity=TINY)),
    ("edited passages judged by the total", "an edited passage fails alone at 25 words, "
     "like a near-verbatim one", _same, _EditedAlone()),
    ("common phrasing: other stories", "text other stories hold about as well counts",
     _off(common=False), Policy()),
    ("public speech", "quoted text another publisher holds counts", _off(shared=False),
     Policy()),
)


@contextmanager
def recording(into: Recorded) -> Iterator[None]:
    """Record the facts of every finding decided while inside, by draft file name and
    source path (the last decision of a finding wins: the one with covers)."""
    original_decide, original_scan = scan.decide, index_module.scan_document
    current = [""]

    def decide(facts: Facts, policy: Policy) -> verdict.Decision:
        into.setdefault(current[0], {})[facts.rec.key] = facts
        return original_decide(facts, policy)

    def scan_document(store: Any, draft: Any, *args: Any, **kwargs: Any) -> Any:
        current[0] = Path(draft.path).name
        return original_scan(store, draft, *args, **kwargs)

    scan.decide = decide  # type: ignore[assignment]
    index_module.scan_document = scan_document  # type: ignore[assignment]
    try:
        yield
    finally:
        scan.decide = original_decide
        index_module.scan_document = original_scan  # type: ignore[assignment]


def flags_of(rec: Recorded, variant: Variant,
             allow: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Failing sources per draft under a variant (``allow``: licensed partners)."""
    _, _, change, policy = variant
    policy = replace(policy, allowlist=allow)
    return {name: tuple(src for src, f in found.items()
                        if verdict.decide(change(f), policy).verdict == "fail")
            for name, found in rec.items()}


def facts_json(f: Facts) -> dict[str, Any]:
    """One finding's facts as JSON (ids and figures; the draft's quote contexts blanked)."""
    d = asdict(f)
    d["quotes"] = [{**q, "context": ""} for q in d["quotes"]]
    return d


def facts_from_json(d: dict[str, Any]) -> Facts:
    """The inverse of :func:`facts_json`."""
    rec = DocumentRecord(**{**d["rec"], "mask": tuple(map(tuple, d["rec"]["mask"]))})
    return Facts(
        rec=rec, spans=tuple(Span(**s) for s in d["spans"]),
        shared=tuple(d["shared"]), common=tuple(d["common"]),
        quotes=tuple(Quote(**q) for q in d["quotes"]),
        attributed=tuple(d["attributed"]), credit=d["credit"], draft_words=d["draft_words"],
        source_coverage=d["source_coverage"], draft_coverage=d["draft_coverage"],
        covers=tuple(Cover(**{**c, "spans": tuple(map(tuple, c["spans"]))})
                     for c in d["covers"]))


def _record_corpus(corpus: Corpus) -> Recorded:
    rec: Recorded = {}
    with tempfile.TemporaryDirectory() as tmp, recording(rec):
        run_checker(corpus, Path(tmp))
    return rec


def _fixtures() -> tuple[Recorded, dict[str, str]]:
    """Facts of the fixture drafts (the three sets) and their expected verdicts. The licensed
    partners (``PARTNERS``) are those of the bundled set; the rights and newsroom sets have none
    (no article of theirs is a partner's)."""
    rec: Recorded = {}
    expected: dict[str, str] = {}
    for articles, drafts, exp in ((FIXTURES / "articles", FIXTURES / "drafts",
                                   FIXTURES / "expected.json"),
                                  (FIXTURES / "rights" / "articles", FIXTURES / "rights" / "drafts",
                                   FIXTURES / "rights" / "expected.json"),
                                  (FIXTURES / "newsroom" / "articles",
                                   FIXTURES / "newsroom" / "drafts",
                                   FIXTURES / "newsroom" / "expected.json")):
        with tempfile.TemporaryDirectory() as tmp, Index.open(Path(tmp) / "ix", create=True) as ix:
            ix.add([articles])
            part: Recorded = {}
            with recording(part):
                ix.scan([drafts], Policy())
        want = json.loads(exp.read_text(encoding="utf-8"))
        for name, e in want.items():
            if isinstance(e, dict) and "verdict" in e:
                expected[f"{drafts.parent.name}/{name}"] = e["verdict"]
                rec[f"{drafts.parent.name}/{name}"] = part.get(Path(name).name, {})
    return rec, expected


def _cached(facts: Path | None, name: str, record: Callable[[], Recorded]) -> Recorded:
    """Recorded facts of one corpus, from ``facts/NAME.json`` when there (and written
    there when not): the scan is the slow part, the decisions take seconds."""
    path = facts / f"{name}.json" if facts else None
    if path is not None and path.is_file():
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {n: {s: facts_from_json(f) for s, f in d.items()} for n, d in raw.items()}
    rec = record()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({n: {s: facts_json(f) for s, f in d.items()}
                                    for n, d in rec.items()}), encoding="utf-8")
    return rec


def run(seeds: tuple[int, ...], log: Callable[[str], None] = print,
        facts: Path | None = None) -> dict[str, Any]:
    """Every variant on the seeds' Reuters drafts, Clough & Stevenson and the fixtures
    (``facts``: a directory of recorded facts to reuse, see :func:`_cached`)."""
    cfg = SIZES["full"]
    out: dict[str, Any] = {"seeds": list(seeds), "variants": {}}
    reuters: list[tuple[Corpus, Recorded]] = []
    for seed in seeds:
        corpus = build_reuters(cfg, seed)
        reuters.append((corpus, _cached(facts, str(seed),
                                        lambda c=corpus: _record_corpus(c))))
        log(f"reuters seed {seed} recorded")
    clough = build_clough()
    clough_rec = _cached(facts, "clough", lambda: _record_corpus(clough))
    fixtures, expected = _fixtures()
    out["newsroom_n"] = sum(n.startswith(NEWSROOM_SET) for n in expected)
    out["fixtures_n"] = len(expected) - out["newsroom_n"]
    for v in VARIANTS:
        kinds: dict[str, dict[str, Any]] = {}
        wrong = 0
        for corpus, rec in reuters:
            k, w = count(corpus, flags_of(rec, v))
            wrong += w
            for name, c in k.items():
                acc = kinds.setdefault(name, {"must_fail": c["must_fail"], "missed": [],
                                              **dict.fromkeys(COUNTS, 0)})
                for field in COUNTS:
                    acc[field] += c.get(field, 0)
        summary = summarize(kinds, wrong)
        cs = score_clough(clough, flags_of(clough_rec, v))["categories"]
        fx = flags_of(fixtures, v, PARTNERS)
        worst = {name: ("fail" if fx.get(name) else "pass/warn") for name in expected}
        changed = [name for name, want in expected.items()
                   if (want == "fail") != (worst[name] == "fail")]
        out["variants"][v[0]] = {
            "what": v[1], "recall": summary["recall"], "false_fails": summary["false_fails"],
            "must_pass_scored": summary["must_pass_scored"],
            "false_fail_rate": summary["false_fail_rate"],
            "false_fail_rate_old": summary["false_fail_rate_reworded_only"],
            "heavy_edit": kinds.get("heavy_edit", {}).get("hits", 0),
            "clough": {c: cs[c]["flagged"] for c in ("cut", "light", "heavy", "non")},
            "fixtures_wrong": [n for n in changed if not n.startswith(NEWSROOM_SET)],
            "newsroom_wrong": [n for n in changed if n.startswith(NEWSROOM_SET)]}
        log(f"{v[0]}: {json.dumps(out['variants'][v[0]])}")
    return out


def render(res: dict[str, Any], commit: str) -> str:
    rows = []
    for name, v in res["variants"].items():
        ff = (f"{v['false_fails']}/{v['must_pass_scored']} ({v['false_fail_rate']:.4f}; "
              f"{v['false_fail_rate_old']:.4f})")
        c = v["clough"]
        rows.append(f"| {name} | {v['what'] or '-'} | {v['recall']:.4f} | {v['heavy_edit']} "
                    f"| {ff} | {c['cut']}/{c['light']}/{c['heavy']}/{c['non']} "
                    f"| {len(v['fixtures_wrong'])} | {len(v.get('newsroom_wrong', []))} |")
    seeds = ", ".join(map(str, res["seeds"]))
    return (
        "## What each verdict rule buys\n\n"
        f"Measured at commit `{commit}` with `python -m benchmarks.verdict_rules --seeds "
        f"{' '.join(map(str, res['seeds']))}`: the drafts of the accuracy harness (Reuters "
        f"seeds {seeds}; Clough & Stevenson) and the fixture drafts, scanned once, their "
        "findings decided again with one rule off. Heavy edits: hits among the heavy-edit "
        "drafts; Clough & Stevenson: answers "
        "flagged cut/light/heavy/non (of 19/19/19/38); fixtures (`fixtures/drafts`, "
        f"`fixtures/rights/drafts`, {res.get('fixtures_n', '?')} drafts) and newsroom "
        f"(`fixtures/newsroom/drafts`, {res.get('newsroom_n', '?')} drafts whose verdicts an "
        "editor decided without looking at checker's rules): drafts "
        "whose fail/not-fail verdict is not the expected one. Reuters false fails: scored "
        "false fails (rate; the "
        "rate with the duplicate check until 2026-11-29, paraphrased duplicates not set "
        "apart).\n\n"
        "| rule off | what changes | Reuters recall | heavy edits | Reuters false fails "
        "| Clough & Stevenson | fixtures wrong | newsroom wrong |\n"
        "|---|---|---|---|---|---|---|---|\n"
        + "\n".join(rows) + "\n\n" + WHAT_EACH_BUYS)


#: What the table says, rule by rule (issue 15: keep a rule only if it pays on two corpora).
WHAT_EACH_BUYS = """\
**What the figures say (fifteen seeds and the newsroom set, 2026-11-30).** Two corpora
besides Reuters are measured: Clough & Stevenson, where no false-fail rule can pay (no
"non" answer comes near a limit even with every rule off), and the newsroom set
(`fixtures/newsroom`, 28 articles and 63 drafts: an editor's days of own reports in
formulaic genres, the same event, press releases several outlets rewrote, follow-ups,
public statements and templates, and disguised reproductions, written and judged by two
helpers blind to these rules, before checker was run on them). With every rule on, all 27
of its reproductions fail naming their source, and 9 of its 36 own reports fail: same-event
reports that keep the facts' order and the official wording (charges, a study's design,
replacement buses, a fire's times and places), background sentences, and two council
templates. The index holds one story of each, so nothing shows their wording is common;
`tests/test_fixtures_expected.py` lists each with what checker says.

- Quotes judged on the quoted words (a passage cut at the marks of a quote it runs into,
  rejoined when the quote counts; 2026-11-30): a transfer story's attributed quote joined
  to its background no longer fails it, a CEO's attributed fragment beside its own framing
  passes as quotation, and public statements joined to the facts around them are public
  speech; the Reuters figures hold (recall 0.9959 before and after, 1445 heavy edits before,
  1446 after, the same 24 false fails) and Clough & Stevenson is unchanged. Reading the
  source's framing from the 8 words next to a quote, and treating a quote cut out of copied
  reporting with the source's words beside it as that reporting, is what kept pastes that
  carry a quote failing (without them 9, then 4, Reuters reproductions passed).
- Kept on two corpora: *public speech* (without it statements that several publishers
  quote fail: one fixture, three newsroom drafts; Reuters is one publisher) and *counted
  words* (18 more Reuters false fails and one more newsroom one without it).
- Kept on Reuters alone, because the false-fail target fails without any one of them: the
  *paraphrase gate* (15 more false fails), *edited passages judged by the total* (15),
  *common phrasing: other stories* (23). None changes a newsroom or fixture verdict.
- Removed: *other figures* (a chain stating figures the source never does was a template,
  common phrasing) and *copy* (which stopped other figures excusing a light-edited whole
  copy, issue 15 case 1). Other figures paid on Reuters only (4 false fails of 8,660:
  0.0023 with it, 0.0028 without), on no fixture set, and needed copy to undo its own worst
  case. Figures that differ still end a passage (`matching`); rarity in the index decides
  what is a kind of story's wording (`tests/test_scan_series.py`: another issuer's bond
  terms are common phrasing once the index holds other issues). Removed earlier: the
  separate `common_similarity` setting (it equalled `passage_similarity`).
- Measured and not taken: an edited passage failing alone only when its *counted* words
  reach the total limit (today: its draft words), which would drop that clause from the
  model: Reuters false fails 22 instead of 24 and one newsroom false fail fewer, but one
  Clough & Stevenson heavy revision (14 to 13 of 19) and one Reuters heavy edit lost. A
  paraphrase gate at a quarter or 30% of the draft instead of a fifth: newsroom own
  reports failing 9 to 6 or 5, Reuters false fails 24 to 21 or 20, but Clough &
  Stevenson heavy revisions 14 to 12 (two answers whose one paraphrased passage covers 22%
  and 23% of the answer, as the same-event reports' do 21-29%: no share tells them apart).
"""


def main(argv: list[str] | None = None) -> int:
    from benchmarks.datasets import commit
    from benchmarks.docs_section import write_section

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[5, 6, 7])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--facts", type=Path, default=None,
                        help="directory of recorded facts to reuse (written when missing)")
    args = parser.parse_args(argv)
    if not (ds.reuters_available() and ds.clough_available()):
        print(f"skipped: the corpora are not in {ds.shared_dir()}")
        return 0
    res = run(tuple(args.seeds), facts=args.facts)
    if not args.no_write:
        write_section("verdict_rules", render(res, commit()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
