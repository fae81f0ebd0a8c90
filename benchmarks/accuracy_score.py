"""Scoring of ``benchmarks/accuracy.py``: the targets of issue 5, what a right answer is,
and the independent check (difflib, not checker) of real reuse inside a corpus.

Kept apart from the harness that builds and scans the drafts so that the rules deciding
what counts as a hit, a false fail or a duplicate set apart read on their own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Targets of issue 5.
TARGET_RECALL = 0.98
TARGET_RECALL_HEAVY = 0.90
TARGET_FALSE_FAIL = 0.005
TARGET_CLOUGH = {"cut": (">=", 0.95), "light": (">=", 0.95), "heavy": (">=", 0.70),
                 "non": ("<=", 0.05)}
# Targets of issue 15 for the full run (the reduced CI run keeps issue 5's: one draw of
# 20 drafts per kind cannot show 0.99).
FULL_RECALL = 0.99
FULL_RECALL_HEAVY = 0.95
FULL_FALSE_FAIL = 0.003


@dataclass(frozen=True)
class Case:
    """One draft file and what a right answer is."""

    kind: str
    file: str
    text: str
    sources: tuple[str, ...]  # reused article ids (empty for negatives)
    origin: tuple[str, ...]  # host or negative article ids: the draft's own material
    must_fail: bool


@dataclass
class Corpus:
    sources: dict[str, str]  # indexed id -> indexed text (with its notice)
    licences: dict[str, str]
    titles: dict[str, str]
    texts: dict[str, str]  # every article id -> body text, for the independent check
    group: dict[str, str]
    publisher: str
    license: str = ""  # given to the index; empty: read from each article's notice
    cases: list[Case] = field(default_factory=list)


_WORD_RE = re.compile(r"\w+")


#: Edited reuse, for the independent check: runs of at least ``min_run`` matching words,
#: chained across gaps of at most ``max_gap`` words (dropped, swapped or replaced words),
#: make a passage when at least ``min_density`` of its words match. "edited": at most a
#: fifth of the words edited, the benchmark's own light edit (15%) with room for its swaps.
#: "reworded": up to two fifths edited, runs of 2 words, and no gap where the two texts
#: state different figures (the same facts, not a template filled in again): the setting that
#: recognises at least 0.90 of the benchmark's own heavy edits (30% of words, which the
#: issue counts as reproductions) while calling no Clough & Stevenson "non" answer reuse;
#: "paraphrased" (since 2026-11-29): single matching words chained across gaps of up to 6,
#: at least half the words matching, the same figures: the reading that recognises Clough &
#: Stevenson's *heavy* revisions as often as the issue asks checker to flag them (0.70;
#: "reworded" recognised 11 of 19, so the check scored as false fails the very reuse the
#: target demands), while still calling none of the 38 "non" answers, written on the same
#: topics without the source, reuse. :func:`calibrate` measures every reading on every run.
_EDITED = {"edited": (3, 4, 0.8, False), "reworded": (2, 4, 0.6, True),
           "paraphrased": (1, 6, 0.5, True)}
#: The readings, strictest first.
READINGS = ("verbatim", *_EDITED)


def _figures(words: list[str]) -> set[str]:
    return {w for w in words if any(ch.isdigit() for ch in w)}


def _edited_passages(wa: list[str], wb: list[str], matching: list[difflib.Match],
                     min_run: int, max_gap: int, min_density: float,
                     same_figures: bool) -> list[int]:
    """Matched words of each passage that ``wa`` and ``wb`` share with edits
    (``matching``: their difflib matching blocks)."""
    blocks = [blk for blk in matching if blk.size >= min_run]
    # [a_start, a_end, b_start, b_end, matched, 1 when a gap states different figures]
    chains: list[list[int]] = []
    for blk in blocks:
        last = chains[-1] if chains else None
        if last is not None and 0 <= blk.a - last[1] <= max_gap \
                and 0 <= blk.b - last[3] <= max_gap:
            fa, fb = _figures(wa[last[1]:blk.a]), _figures(wb[last[3]:blk.b])
            last[5] |= bool(same_figures and fa and fb and fa != fb)
            last[1], last[3], last[4] = blk.a + blk.size, blk.b + blk.size, last[4] + blk.size
        else:
            chains.append([blk.a, blk.a + blk.size, blk.b, blk.b + blk.size, blk.size, 0])
    # A passage whose two sides state different figures is one template filled in twice
    # (Eurobond terms, crop estimates of two countries): shared wording, not shared text.
    return [m for a0, a1, b0, b1, m, other in chains
            if m >= 8 and m >= min_density * max(a1 - a0, b1 - b0) and not other]


def shared_text(a: str, b: str) -> str:
    """Real reuse between two texts, found independently of checker (difflib over
    lower-cased ``\\w+`` words) at checker's fail sizes (a passage of 25 words, or 40 words
    in passages of at least 8): ``"verbatim"`` when exact common runs reach them,
    ``"edited"`` when passages with at most a fifth of their words edited do (how the
    benchmark's light edits reuse text), ``"reworded"`` when passages with up to two
    fifths edited and the same figures do (its heavy edits), ``"paraphrased"`` when
    passages with half their words matching and the same figures do (people's heavy
    revision), else ``""``."""
    wa, wb = _WORD_RE.findall(a.lower()), _WORD_RE.findall(b.lower())
    blocks = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks()
    runs = [blk.size for blk in blocks if blk.size >= 8]
    if max(runs, default=0) >= 25 or sum(runs) >= 40:
        return "verbatim"
    for how, rule in _EDITED.items():
        edited = _edited_passages(wa, wb, blocks, *rule)
        if max(edited, default=0) >= 25 or sum(edited) >= 40:
            return how
    return ""


def calibrate(pairs: list[tuple[str, str, str]]) -> dict[str, dict[str, list[int]]]:
    """How the independent check rates texts whose relation is known: per ``(label,
    text, source)``, [called reuse, pairs] for each reading ("edited": verbatim or
    edited; "reworded": verbatim, edited or reworded; "paraphrased": any). Labels are the
    benchmark's light and heavy edits and Clough & Stevenson's human categories (``non``
    must stay at 0)."""
    out: dict[str, dict[str, list[int]]] = {r: {} for r in _EDITED}
    for label, text, source in pairs:
        how = shared_text(text, source)
        for reading in _EDITED:
            yes = bool(how) and READINGS.index(how) <= READINGS.index(reading)
            cell = out[reading].setdefault(label, [0, 0])
            cell[0] += yes
            cell[1] += 1
    return out


def count(corpus: Corpus, flags: Mapping[str, tuple[str, ...]],
          prefix: str = "") -> tuple[dict[str, dict[str, Any]], int]:
    """Per kind: drafts, hits (must fail) or false fails (must pass), set apart; and the
    must-fail drafts that failed naming only wrong sources. Missed files get ``prefix``."""
    g = corpus.group
    kinds: dict[str, dict[str, Any]] = {}
    wrong_source = 0
    for case in corpus.cases:
        k = kinds.setdefault(case.kind, {"n": 0, "must_fail": case.must_fail, "hits": 0,
                                         "fails": 0, "set_apart": 0, "set_apart_edited": 0,
                                         "set_apart_reworded": 0,
                                         "set_apart_paraphrased": 0, "missed": []})
        failing = flags.get(case.file, ())
        found = {g.get(s, s) for s in failing}
        want = {g.get(s, s) for s in case.sources}
        k["n"] += 1
        if case.must_fail:
            if want <= found:
                k["hits"] += 1
            else:
                k["missed"].append(prefix + case.file)
                wrong_source += bool(found)
            continue
        if not found:
            continue
        own = (*case.origin, *case.sources)
        # How each failing source relates to the draft's own material: another copy of
        # the same story ("verbatim"), text really shared (the closest reading of
        # shared_text), or "".
        how = {}
        for s in failing:
            if any(g.get(o, o) == g.get(s, s) for o in own):
                how[s] = "verbatim"
                continue
            shared = {shared_text(corpus.texts[o], corpus.texts.get(s, "")) for o in own}
            how[s] = next((h for h in READINGS if h in shared), "")
        # The draft's own source failing is a false fail. Otherwise, a draft that really
        # reproduces a failing source (a duplicate inside the corpus) is right to fail, even
        # when another source fails beside it: set apart, not scored.
        real = {v for v in how.values() if v}
        if not set(failing) & set(case.sources) and real:
            k["set_apart"] += 1
            k["set_apart_edited"] += "verbatim" not in real
            k["set_apart_reworded"] += real <= {"reworded", "paraphrased"}
            k["set_apart_paraphrased"] += real == {"paraphrased"}
        else:
            k["fails"] += 1
            k["missed"].append(prefix + case.file)
    return kinds, wrong_source


def summarize(kinds: dict[str, dict[str, Any]], wrong_source: int) -> dict[str, Any]:
    """Recall, false-fail rate, precision and F1 of per-kind counts (one seed or pooled)."""
    must_fail = [k for k in kinds.values() if k["must_fail"]]
    must_pass = [k for k in kinds.values() if not k["must_fail"]]
    hits = sum(k["hits"] for k in must_fail)
    positives = sum(k["n"] for k in must_fail)
    false_fails = sum(k["fails"] for k in must_pass)
    scored_pass = sum(k["n"] - k["set_apart"] for k in must_pass)
    recall = hits / positives if positives else 0.0
    precision = hits / (hits + wrong_source + false_fails) if hits else 0.0
    for k in kinds.values():
        scored = k["n"] - k["set_apart"]
        k["rate"] = round((k["hits"] if k["must_fail"] else k["fails"]) / max(1, scored), 4)
    edited = sum(k["set_apart_edited"] for k in must_pass)
    reworded = sum(k["set_apart_reworded"] for k in must_pass)
    paraphrased = sum(k.get("set_apart_paraphrased", 0) for k in must_pass)
    return {
        "kinds": kinds,
        "recall": round(recall, 4),
        "false_fail_rate": round(false_fails / max(1, scored_pass), 4),
        "false_fails": false_fails,
        "must_pass_scored": scored_pass,
        "set_apart": sum(k["set_apart"] for k in must_pass),
        "set_apart_edited": edited,
        "set_apart_reworded": reworded,
        "set_apart_paraphrased": paraphrased,
        # The rates when only verbatim reuse, or verbatim and lightly edited reuse (the
        # check before 2026-11-24), is set apart: the stricter readings.
        "false_fail_rate_verbatim_only": round(
            (false_fails + edited) / max(1, scored_pass + edited), 4),
        "false_fail_rate_light_only": round(
            (false_fails + reworded) / max(1, scored_pass + reworded), 4),
        # ... and with paraphrase not set apart (the check until 2026-11-29).
        "false_fail_rate_reworded_only": round(
            (false_fails + paraphrased) / max(1, scored_pass + paraphrased), 4),
        "wrong_source_fails": wrong_source,
        "precision": round(precision, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if hits else 0.0,
    }


def pool_counts(parts: list[tuple[dict[str, dict[str, Any]], int]]) -> dict[str, Any]:
    """The summary of several seeds' counts together."""
    kinds: dict[str, dict[str, Any]] = {}
    for part, _ in parts:
        for name, k in part.items():
            into = kinds.setdefault(name, {"n": 0, "must_fail": k["must_fail"], "hits": 0,
                                           "fails": 0, "set_apart": 0,
                                           "set_apart_edited": 0, "set_apart_reworded": 0,
                                           "set_apart_paraphrased": 0, "missed": []})
            for key in ("n", "hits", "fails", "set_apart", "set_apart_edited",
                        "set_apart_reworded", "set_apart_paraphrased"):
                into[key] += k.get(key, 0)
            into["missed"] += k["missed"]
    return summarize(kinds, sum(w for _, w in parts))


def longest_common_run(a: str, b: str) -> int:
    """Longest run of words (case-folded, split at spaces) common to two texts (difflib)."""
    wa, wb = a.lower().split(), b.lower().split()
    blocks = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks()
    return max((blk.size for blk in blocks), default=0)


def unreachable(corpus: Corpus) -> list[str]:
    """Answers labelled as reuse that share no run of more than 3 words with their
    labelled source: no text comparison can find them (two "cut" answers of the corpus
    were copied from other Wikipedia articles)."""
    return [c.file for c in corpus.cases if c.must_fail
            and longest_common_run(c.text, corpus.texts[c.sources[0]]) <= 3]


def score_clough(corpus: Corpus, flags: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Share flagged per category, on all answers and on the reachable ones."""
    skip = set(unreachable(corpus))
    per: dict[str, list[int]] = {}
    reach: dict[str, list[int]] = {}
    correct = 0
    for case in corpus.cases:
        found = set(flags.get(case.file, ()))
        flagged = bool(found & set(case.sources)) if case.must_fail else bool(found)
        for table, keep in ((per, True), (reach, case.file not in skip)):
            if keep:
                table.setdefault(case.kind, [0, 0])
                table[case.kind][0] += flagged
                table[case.kind][1] += 1
        correct += flagged == case.must_fail

    def rates(table: dict[str, list[int]]) -> dict[str, dict[str, Any]]:
        return {c: {"flagged": f, "n": n, "rate": round(f / n, 4)} for c, (f, n) in table.items()}

    return {"categories": rates(per), "reachable": rates(reach), "unreachable": sorted(skip),
            "binary_accuracy": round(correct / max(1, len(corpus.cases)), 4)}


def targets_missed(reuters: Mapping[str, Any], clough: Mapping[str, Any]) -> list[str]:
    """Which targets of issue 15 (Reuters) and 5 (Clough & Stevenson) a detector's
    results miss, as readable lines."""
    missed = []
    for kind, k in reuters["kinds"].items():
        if not k["must_fail"]:
            continue
        want = FULL_RECALL_HEAVY if kind == "heavy_edit" else FULL_RECALL
        if k["rate"] < want:
            missed.append(f"Reuters {kind}: recall {k['rate']:.3f} < {want}")
    if reuters["false_fail_rate"] > FULL_FALSE_FAIL:
        missed.append(f"Reuters false-fail rate {reuters['false_fail_rate']:.4f} "
                      f"> {FULL_FALSE_FAIL}")
    for table, label in (("categories", "all answers"), ("reachable", "reachable answers")):
        for cat, (op, want) in TARGET_CLOUGH.items():
            rate = clough[table].get(cat, {}).get("rate", 0.0)
            if (op == ">=" and rate < want) or (op == "<=" and rate > want):
                missed.append(f"Clough & Stevenson {cat} ({label}): flagged {rate:.3f}, "
                              f"target {op} {want}")
    return missed
