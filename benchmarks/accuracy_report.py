"""Markdown tables of ``benchmarks/accuracy.py`` results, in ``docs/benchmarks.md``.

The section between ``<!-- accuracy:start -->`` and ``<!-- accuracy:end -->`` belongs to
the accuracy benchmark; the rest of the file is left as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks import docs_section
from benchmarks.accuracy_score import FULL_FALSE_FAIL, FULL_RECALL, FULL_RECALL_HEAVY

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

LABELS = {
    "verbatim": "verbatim copy, new headline",
    "pasted_paragraph": "paragraph (40–120 words) pasted into another article",
    "light_edit": "light edit (15% of words, a paragraph moved)",
    "stitched": "stitched excerpts (3–6 sentences)",
    "as_html": "copy in an HTML page",
    "as_markdown": "copy in Markdown with front matter",
    "heavy_edit": "heavy edit (30% of words, sentences shuffled)",
    "short_paste": "short unquoted paste (30–39 words)",
    "two_sources": "two sources in one draft (both named)",
    "reflowed": "reflowed (wraps, hyphens, curly quotes, NBSP)",
    "long_quote": "long quotation (60–120 words), attributed",
    "uncredited": "CC BY source, no credit",
    "short_quote": "short attributed quotation",
    "short_phrase": "10–15-word phrase, unquoted",
    "credited": "CC BY source with a credit line",
    "negative_random": "unindexed article",
    "negative_same_topic_day": "unindexed article, same topic and day as an indexed one",
}
DETECTORS = {
    "checker": "checker",
    "checker/before": "checker, alignment before #5",
    "copydetect/default": "copydetect (default, 33% of draft)",
    "copydetect/tuned": "copydetect (≥ 150 chars copied)",
    "datasketch/first": "datasketch MinHashLSH (doc-level, 0.5)",
}

# Why the figures are what they are; kept next to the tables they explain.
NOTE = """\
**Notes.** A reproduction draft is a hit when a *failing* finding names its source (both
sources for two-source drafts); a must-pass draft that fails is a false fail. Must-pass
drafts that really reproduce a failing source through their own material (duplicate
stories inside Reuters, confirmed independently of checker with difflib at checker's fail
sizes, 25 words in one passage or 40 in passages of 8 or more: verbatim runs; passages
with at most a fifth of their words edited, as the benchmark's own light edits reuse text;
passages with up to two fifths edited, runs of 2 words or more, and the same figures, as
its heavy edits do; or passages with half their words matching, across gaps of up to 6
words, and the same figures, as people's heavy revision does) are right to fail: they are
set apart and counted, not scored, even when another source fails beside the real one; a
draft whose own quoted or credited source fails is always a false fail. The rows "only
verbatim duplicates set apart", "reworded duplicates not set apart" and "paraphrased
duplicates not set apart" are the stricter readings that count the others as false fails;
the last two are the check as it was until 2026-11-24 and until 2026-11-29. The table "The
duplicate check" shows how the check rates pairs whose relation is known. A reproduction
draft is made only when it carries over enough words to fail, counting neither pieces
shorter than a reported passage (10 words: the lines of a results table) nor the words
of short quotations in it (a speaker's words that the source quoted too, fair quotation
once attributed). Precision counts
hits against all failing drafts (false fails and fails naming the wrong source); F1 combines
it with the overall recall. The peers know nothing of licences, credit or quotation, so
whatever they flag fails, and they read the draft files as they are (HTML markup included),
as a user running them would.
"""


CHANGES = """\
**What changed for issue 5, and why.** (1) LSH bands of 2 rows instead of 3
(`SketchParams.rows`, same 32 bands, so the same number of keys): the candidate stage
missed reworded text: a draft window sharing a fifth of its shingles with an indexed window
was a candidate with p ~ 0.2; with 2 rows p ~ 0.7. This is what lifts heavy edits (Reuters)
and light/heavy answers (Clough & Stevenson). (2) Wider chaining in the alignment
(`AlignParams`: gap 16 words instead of 10, shift 10 instead of 6, seed density 0.25
instead of 0.35): a reworded passage keeps runs of 3-8 source words between changed ones,
and the narrower rule cut it into pieces below the 25-word passage size. (3) Figures must
agree (`AlignParams.split_at_figures`): a passage ends where the draft states a number that
does not stand at its place in the source, because formulaic newswire (earnings tables,
SEC filings, Eurobond terms) shares wording but not facts; without it the wider chaining
joins two different stories into one "passage". Seeds stay 3 words: 2-word seeds found
more heavy edits but failed 5 of 20 short phrases and unrelated articles in the reduced
run. Each change was measured on both corpora. The column "alignment before #5" scans the
same index with the alignment of d0bd600 (`BEFORE_ALIGN`), so it isolates changes (2)
and (3); with 3-row bands as well (everything as before), a full run of this harness
during the change measured heavy-edit recall 0.80, overall recall 0.983, and Clough &
Stevenson heavy 0.58, light 0.89 (and with 3-row bands but the new alignment: heavy edits
0.83, Clough heavy 0.68, light 0.89). (4) Counted words and common phrasing (`Policy`):
a passage counts towards the 25/40-word limits by the share of words it keeps from its
source (all of them at similarity 0.85 or more, `full_similarity`), and a passage whose
draft text also matches 2 or more *other* indexed articles (`common_sources`) is common
phrasing that counts only when at least 0.95 similar (now `passage_similarity`). The false
fails left after (1)-(3) were loose paraphrases (similarity 0.5-0.75) of formulaic
wording matched by several indexed stories at once; on this harness (4) took the
false-fail rate from 0.068 to 0.035 with every recall target still met, and Clough &
Stevenson heavy stayed at 0.74 (a similarity floor instead cost Clough heavy and light
their targets; see the note of issue 5). (5) A quote inside a quote is a quotation of its
own (a speaker quoting a source: `"... According to Reuters, “...” ...," he added.`):
a passage is held by the innermost quote around it, so a 25-word quotation nested in a
longer quote is fair quotation. (6) Paraphrase counts only where the draft derives from
the source (`Policy.loose_similarity` 0.8, `loose_min_coverage` 0.2): a passage less than
0.8 similar counts only when the source's passages cover a fifth of the draft, not as a
few echoed phrases in an otherwise original story. Both corpora kept every recall figure
(Clough & Stevenson heavy 0.74 unchanged); false fails went from 20 to 16 of ~575.
(7) The independent duplicate check also recognises lightly edited reuse (above), which
set apart 8 more drafts whose own material reuses the flagged story with edits.
(8) An edited passage fails on its own only at 40 words (`Policy.passage_similarity`
0.95): the 25-word passage limit holds near-verbatim passages, while a sentence or two
retold with the same facts and other words (a follow-up story, seed after seed the
largest group of false fails) adds to the 40-word total like any passage. (9) One sentence
of a series' template copied word for word (shorter than 25 words, matching at least two
other indexed stories as well: weekly Treasury balances, bond terms) is common phrasing at
any similarity; other copies of the same story (sharing half its 5-word shingles) no longer
make its wording look common. (10) Numbers spelled out ("seven to nine pct") are figures
that must agree, like digits. (11) A straight quote that can only close (`sales," he
said`) ends a quote opened at its paragraph's start (wire copy drops that opening mark)
instead of running to the paragraph's end and swallowing the text after it. On seeds
5-14 with the harness as it was, (8)-(11) took the false fails from 71 to 30
of 6,000 must-pass drafts, and stitched excerpts went from 0.989 to 1.00 with (12); Clough &
Stevenson kept every figure (heavy 0.74). Tried and dropped, measured the same way:
month and weekday names as figures (not one false fail fewer on 4 seeds, a heavy edit
lost on two of them),
capitalised names that must agree (7 false fails fewer on 5 seeds, but heavy edits down to
0.90-0.95 and Clough & Stevenson light 18/19, heavy 13/19), a coverage gate for short edited
fragments (2-4 fewer on 4 seeds, but Clough & Stevenson heavy 13/19). (12) The harness: a draft
failing on a real duplicate is set apart even when another source fails beside it, and
reproduction drafts count neither short pieces nor quotations towards their size (above).
(13) The harness's duplicate check, measured against pairs whose relation is known (table
"The duplicate check"), recognised only 0.47 of the benchmark's own heavy edits as reuse
and 14 of 19 of the Clough & Stevenson answers that people labelled light revision: a
Reuters story reusing an earlier one the way those drafts do was scored as a false fail
although the issue counts that reuse as reproduction. It now also recognises reworded
passages (runs of 2 words or more, up to two fifths of the words edited, the same figures
on both sides): the setting that recognises at least 0.90 of the heavy edits (0.91 on the
fifteen seeds; light revision 17 of 19) while calling none of the 38 "non" answers
reuse. A passage that states other figures on each side is one template filled in twice
(bond terms, crop estimates of two countries) and stays a false fail. On the fifteen
seeds this set apart 10 more of the 53 false fails of c652bd2; checker itself did not
change, and the row "reworded duplicates not set apart" keeps the stricter figure.
(14) (Removed on 2026-11-30 with *copy* below: it paid on Reuters only, 4 false fails of
8,660, and on no second corpus; see "What each verdict rule buys".) A source's wording
filled in with other facts was common phrasing (`Alignment.templated`): a passage whose
chain states at least two numbers in digits that the source never states, more than the
figures it shares, counts only when
near-verbatim and a passage long (another issuer's bond terms, another country's crop
estimate, another buyer's soybean cargo), however few stories of the kind the index holds
(rule (9) needs two more of them indexed). Measured on the fifteen seeds' findings before
the full run: 5 false fails fewer, no hit lost on either corpus. Variants measured and
dropped: any number in digits out of its place (moved ones too) cleared 10 but lost 7 heavy
edits and 3 stitched excerpts, whose reordered sentences move figures; spelled-out numbers
as well lost 12 and 3 (the benchmark's edits put in words like "two"); counting per source
instead of per chain lost 17 heavy edits and 3 light ones; capitalised names that differ on
both sides (named at least twice in one text, never in the other) cleared 1.

**What changed for issue 15.** The verdict is decided in one place (`checker/verdict.py`,
steps shown by `checker explain`). Copies and versions of one story are one story:
boilerplate is text held by documents of at least 20 distinct *stories*, and copies that
are judged alike make one finding that names the others (the harness counts them as named).
A finding covering half of its source and of the draft at light-edit similarity was a copy,
never common phrasing, whatever figures differ (*copy*, removed with rule (14)); a quote
copied with three or more of the source's own framing words is not fair quotation; doubled
and unpaired quote marks are read
as a reader would; text that a permissive copy holds (credited CC BY, CC0, a partner) is
covered by that licence (`licensed-elsewhere`); draft coverage counts overlapping passages
once. The targets are issue 15's: recall at least 0.99 per kind (heavy edits 0.95),
false-fail rate at most 0.003.

**The duplicate check, 2026-11-29.** The false fails left (37 of 8,671 at `04e7d75`) are
nearly all one kind of text: a Reuters story retelling an earlier Reuters story, a sentence
or three reworded with the same facts (Santa Fe's merger appeal, Dome and Encor, the London
and New York exchanges), or the next issue of a series (monthly German trade figures, Italian
Treasury bill offers, USDA crop estimates, oil price postings, bond terms). The first is
reuse: the way Clough & Stevenson's people revised heavily. The check recognised only 11 of
those 19 heavy revisions as reuse, below the 0.70 that the issue asks checker to flag, so it
scored as false fails the very reuse the target demands. It now also recognises paraphrase
(single matching words chained across gaps of up to 6, half the words matching, the same
figures on both sides): 14 of 19 heavy revisions, still none of the 38 "non" answers, which
were written on the same topics without the source; the next issue of a series states other
figures, so it stays a false fail. The row "paraphrased duplicates not set apart" keeps the
figure of the check as it was. On the fifteen seeds' recorded findings this set apart 11
more drafts (37 to 26 false fails); checker's verdicts did not change.
"""

WHY = {
    "false-fail": "what is left is mostly the next issue of a series of Reuters stories "
                  "(monthly German trade figures, Italian Treasury bill offers, USDA crop "
                  "estimates, oil price postings, bond terms: the same wording, other "
                  "figures), and follow-ups retelling an earlier story more loosely than "
                  "even the paraphrase reading of the independent check calls reuse. The "
                  "same pairs of stories come back seed after seed; how many of them a draw "
                  "holds is most of the spread between seeds. Every rule tried that drops "
                  "more of them (a similarity floor, coverage gates for edited or short "
                  "passages, one near-verbatim threshold for the paraphrase gate, names "
                  "that must agree, a wider margin for common phrasing) took Clough & "
                  "Stevenson heavy below 0.70, cost reproductions, or cleared one or two.",
    "cut (all answers)": "two answers labelled cut were copied from other Wikipedia articles "
                         "and share no run of more than 3 words with their source (see "
                         "'Unreachable'); on the reachable answers the target is met.",
}


def _why(line: str) -> str:
    return next((f" Why: {text}" for key, text in WHY.items() if key in line), "")



def _pick(r: Mapping[str, Any], kind: str) -> str:
    k = r["kinds"].get(kind)
    return f"{k['rate']:.2f}" if k else "–"


def _summary(reuters: Mapping[str, Any], clough: Mapping[str, Any]) -> str:
    """The headline figures, now and with the alignment before issue 5."""
    out = []
    for det, label in (("checker", "checker"), ("checker/before", "before issue 5")):
        r = reuters["detectors"].get(det)
        c = clough["detectors"].get(det)
        if not r or not c:
            continue
        cat = c["categories"]
        out.append(
            f"{label}: Reuters recall {r['recall']:.3f} (heavy edits {_pick(r, 'heavy_edit')}, "
            f"light edits {_pick(r, 'light_edit')}), false-fail rate {r['false_fail_rate']:.4f} "
            f"({r['false_fails']}/{r['must_pass_scored']}), precision {r['precision']:.3f}, "
            f"F1 {r['f1']:.3f}; Clough & Stevenson cut {cat['cut']['rate']:.2f}, light "
            f"{cat['light']['rate']:.2f}, heavy {cat['heavy']['rate']:.2f}, non "
            f"{cat['non']['rate']:.2f}, binary accuracy {c['binary_accuracy']:.3f}")
    return "**Figures.** " + "; ".join(out) + "." if out else ""


def _false_fail_spread(reuters: Mapping[str, Any], target: float = FULL_FALSE_FAIL) -> list[str]:
    """How sure the pooled false-fail rate is, and how much the seeds differ."""
    r = reuters["detectors"]["checker"]
    n, ff = r["must_pass_scored"], r["false_fails"]
    seeds = [per["checker"] for per in (reuters.get("per_seed") or {}).values()]
    if not n or len(seeds) < 2:
        return []
    p = ff / n
    half = 1.96 * math.sqrt(max(p * (1 - p), 1e-12) / n)
    rates = [x["false_fail_rate"] for x in seeds]
    above = sum(x["false_fails"] / max(1, x["must_pass_scored"]) > target for x in seeds)
    if p + half <= target:
        reading = "under the target on any reasonable reading"
    elif p <= target:
        reading = "at the target rather than safely under it"
    elif p - half <= target:
        reading = "above the target, though the target is inside the 95% interval"
    else:
        reading = "above the target beyond the draw's uncertainty"
    return [f"- spread of the false-fail rate: {p:.4f} ({ff}/{n}) pooled, +-{half:.4f} "
            f"(95%); per seed {min(rates):.3f} to {max(rates):.3f}, {above} of {len(seeds)} "
            f"seeds above {target} on their own: {reading}."]


def _per_seed(reuters: Mapping[str, Any], dets: list[str]) -> list[str]:
    """Recall and false fails of each seed's draw, beside the pooled figures."""
    seeds = reuters.get("per_seed") or {}
    if len(seeds) < 2:
        return []
    out = ["", "Per seed: recall, and false fails of the scored must-pass drafts.", "",
           "| seed | " + " | ".join(DETECTORS[d] for d in dets) + " |",
           "|---|" + "---|" * len(dets)]
    for seed, per in sorted(seeds.items(), key=lambda item: int(item[0])):
        cells = [f"{per[d]['recall']:.3f}; {per[d]['false_fails']}/"
                 f"{per[d]['must_pass_scored']} ({per[d]['false_fail_rate']:.3f})"
                 if d in per else "–" for d in dets]
        out.append(f"| {seed} | " + " | ".join(cells) + " |")
    return out


def _duplicate_check(calib: Mapping[str, Mapping[str, list[int]]]) -> list[str]:
    """How the independent duplicate check rates pairs whose relation is known."""
    if not calib:
        return []
    labels = {"light_edit": "Reuters light edits (15% of words)",
              "heavy_edit": "Reuters heavy edits (30% of words, sentences shuffled)",
              "clough cut": "Clough & Stevenson cut", "clough light": "Clough & Stevenson light",
              "clough heavy": "Clough & Stevenson heavy",
              "clough non": "Clough & Stevenson non (must stay 0)"}
    out = ["", "The duplicate check (difflib, independent of checker): share of pairs it calls "
           "reuse, draft against its labelled source.", "",
           "| pair | verbatim or at most a fifth edited (until 2026-11-24) | "
           "also reworded (until 2026-11-29) | also paraphrased (now) |", "|---|---|---|---|"]
    for key, label in labels.items():
        cells = [f"{c[0] / max(1, c[1]):.2f} ({c[0]}/{c[1]})"
                 if (c := calib.get(r, {}).get(key)) else "–"
                 for r in ("edited", "reworded", "paraphrased")]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out


def _cell(k: Mapping[str, Any] | None) -> str:
    if not k:
        return "–"
    scored = k["n"] - k["set_apart"]
    num = k["hits"] if k["must_fail"] else k["fails"]
    extra = f" ({k['set_apart']} set apart)" if k["set_apart"] else ""
    return f"{k['rate']:.2f} ({num}/{scored}){extra}"


def _target(kind: str, must_fail: bool) -> str:
    if not must_fail:
        return f"fail rate ≤ {FULL_FALSE_FAIL} (all must-pass)"
    return f"recall ≥ {FULL_RECALL_HEAVY if kind == 'heavy_edit' else FULL_RECALL}"


def render(results: Mapping[str, Any]) -> str:
    cfg = results["config"]
    reuters = results["corpora"]["reuters"]
    clough = results["corpora"]["clough"]
    dets = [d for d in DETECTORS if d in reuters["detectors"]]
    head = "| | " + " | ".join(DETECTORS[d] for d in dets) + " |"
    rule = "|---|" + "---|" * len(dets)
    size = "" if cfg["name"] == "full" else " --size " + cfg["name"]
    lines = [
        "## Accuracy on real data",
        "",
        f"Measured {results['date']} at commit `{results['commit']}` with "
        f"`python -m benchmarks.accuracy{size}`"
        f" (seeds {', '.join(map(str, cfg['seeds']))}); figures also in `docs/accuracy.json`.",
        "",
        f"### Reuters-21578: {reuters['indexed']} articles indexed per seed "
        f"({cfg['ccby']} of them CC BY 4.0, the rest with a rights-reserved notice), "
        f"{reuters['drafts']} drafts in all",
        "",
        "Each seed draws another split and other drafts; the table pools them. Recall per "
        "reproduction kind (must fail), false-fail rate per must-pass kind.",
        "",
        "| kind | target " + head[1:],
        "|---" + rule,
    ]
    kinds = reuters["detectors"]["checker"]["kinds"]
    order = [k for k in LABELS if k in kinds] + [k for k in kinds if k not in LABELS]
    for kind in order:
        k = kinds[kind]
        cells = [_cell(reuters["detectors"][d]["kinds"].get(kind)) for d in dets]
        lines.append(f"| {LABELS.get(kind, kind)} | {_target(kind, k['must_fail'])} | "
                     + " | ".join(cells) + " |")
    for key, label in (("recall", "**recall, all reproductions**"),
                       ("false_fail_rate", "**false-fail rate, all must-pass**"),
                       ("false_fail_rate_verbatim_only",
                        "false-fail rate, only verbatim duplicates set apart"),
                       ("false_fail_rate_light_only",
                        "false-fail rate, reworded duplicates not set apart"),
                       ("false_fail_rate_reworded_only",
                        "false-fail rate, paraphrased duplicates not set apart"),
                       ("precision", "**precision**"), ("f1", "**F1**")):
        target = {"false_fail_rate": f"≤ {FULL_FALSE_FAIL}"}.get(key, "")
        cells = []
        for d in dets:
            r = reuters["detectors"][d]
            if key not in r:
                cells.append("–")
                continue
            extra = (f" ({r['false_fails']}/{r['must_pass_scored']}; "
                     f"{r['set_apart']} set apart, {r['set_apart_edited']} of them edited, "
                     f"{r.get('set_apart_reworded', 0)} reworded or paraphrased, "
                     f"{r.get('set_apart_paraphrased', 0)} of those paraphrased)"
                     if key == "false_fail_rate" else "")
            digits = 4 if key.startswith("false_fail") else 3
            value = f"{r[key]:.{digits}f}{extra}"
            cells.append(value if key.endswith("_only") else f"**{value}**")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    lines += _per_seed(reuters, dets)
    lines += _duplicate_check(results.get("duplicate_check") or {})
    timing = reuters["timing"]
    lines += [
        "",
        f"checker: index built in {timing['index_s']} s, scan {timing['scan_ms_per_draft']} ms "
        "per draft (informative; the speed benchmarks are elsewhere).",
        "",
        f"### Clough & Stevenson: 5 sources indexed, {clough['drafts']} answers",
        "",
        "Share of answers flagged (failing) with the right source; for `non`, flagged at all.",
        "",
        "| category | target " + head[1:],
        "|---" + rule,
    ]
    cdets = clough["detectors"]
    for cat in ("cut", "light", "heavy", "non"):
        op, want = {"cut": ("≥", 0.95), "light": ("≥", 0.95), "heavy": ("≥", 0.70),
                    "non": ("≤", 0.05)}[cat]
        cells = []
        for d in dets:
            c = cdets[d]["categories"].get(cat)
            r = cdets[d]["reachable"].get(cat)
            cell = f"{c['rate']:.2f} ({c['flagged']}/{c['n']})" if c else "–"
            if c and r and r["n"] != c["n"]:
                cell += f"; {r['rate']:.2f} ({r['flagged']}/{r['n']}) reachable"
            cells.append(cell)
        lines.append(f"| {cat} | {op} {want} | " + " | ".join(cells) + " |")
    gone = cdets["checker"]["unreachable"]
    lines.append("| **binary accuracy** | | "
                 + " | ".join(f"**{cdets[d]['binary_accuracy']:.3f}**" for d in dets) + " |")
    if gone:
        lines += ["", f"Unreachable: {', '.join(f'`{g}`' for g in gone)} share no run of more "
                  "than 3 words with their labelled source (they were copied from other "
                  "Wikipedia articles), so no detector comparing with the 5 sources can flag "
                  "them; \"reachable\" leaves them out."]
    missed = results["targets_missed"]
    lines += ["", "### Targets", ""]
    lines += ([f"- missed: {m}.{_why(m)}" for m in missed] if missed
              else ["All targets of checker are met on both corpora."])
    lines += _false_fail_spread(reuters)
    lines += ["", NOTE.rstrip(), "", _summary(reuters, clough), "", CHANGES.rstrip()]
    extra = str(results.get("note") or "")
    if extra:
        lines += ["", extra.rstrip()]
    return "\n".join(lines) + "\n"


def write_section(text: str, docs: Path = DOCS) -> None:
    """Replace the accuracy section of ``docs`` (append it when there is none)."""
    docs_section.write_section("accuracy", text, docs)
