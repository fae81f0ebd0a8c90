"""benchmarks.verdict_rules: recorded facts survive their JSON form, so every rule can be
measured again on saved findings without scanning (and without pickle)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from conftest import article, doc, paragraph

from benchmarks import verdict_rules as vr
from checker import Index, Policy, verdict


def test_facts_round_trip_through_json_and_decide_alike(tmp_path: Path) -> None:
    rng = random.Random(3)
    src = article(41)
    body = src.split("\n\n", 1)[1]
    draft = f'{paragraph(rng, 60)}\n\n"{body[:120]}," she said.\n\n{body[200:900]}'
    rec: vr.Recorded = {}
    with Index.open(tmp_path / "ix", create=True) as index, vr.recording(rec):
        index.add_documents([doc("src.txt", src), doc("other.txt", article(42))])
        index.scan_text(draft, "draft.md", Policy())
    facts = [f for found in rec.values() for f in found.values()]
    assert facts
    for f in facts:
        back = vr.facts_from_json(vr.facts_json(f))
        assert back == replace(f, quotes=tuple(replace(q, context="") for q in f.quotes))
        assert verdict.decide(back, Policy()) == verdict.decide(f, Policy())


def test_every_variant_turns_one_rule_off() -> None:
    names = [v[0] for v in vr.VARIANTS]
    assert names[0] == "all rules" and len(set(names)) == len(names)
    edited = vr._EditedAlone()
    # An edited 30-word passage fails alone only with the rule off.
    assert not Policy().fails_alone(30, 0.9) and edited.fails_alone(30, 0.9)
