"""Pooling accuracy runs of disjoint seeds (benchmarks.accuracy_merge)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from benchmarks.accuracy_merge import merge
from benchmarks.accuracy_report import render

RESULTS = Path(__file__).resolve().parents[2] / "docs" / "accuracy.json"


def test_two_parts_pool_like_one_run() -> None:
    one = json.loads(RESULTS.read_text(encoding="utf-8"))
    other = copy.deepcopy(one)
    other["config"]["seeds"] = [s + 100 for s in one["config"]["seeds"]]
    other["corpora"]["reuters"]["per_seed"] = {
        str(int(s) + 100): v for s, v in one["corpora"]["reuters"]["per_seed"].items()}
    res = merge([one, other], peers=one)
    mine, before = res["corpora"]["reuters"]["detectors"]["checker"], \
        one["corpora"]["reuters"]["detectors"]["checker"]
    assert mine["false_fails"] == 2 * before["false_fails"]
    assert mine["must_pass_scored"] == 2 * before["must_pass_scored"]
    assert mine["false_fail_rate"] == before["false_fail_rate"]
    assert mine["recall"] == before["recall"]
    assert len(res["corpora"]["reuters"]["per_seed"]) == 2 * len(one["config"]["seeds"])
    clough = res["duplicate_check"]["reworded"]["clough non"]
    assert clough == one["duplicate_check"]["reworded"]["clough non"]  # counted once
    assert "Reuters-21578" in render(res)


def test_peers_are_credited_to_the_run_that_measured_them() -> None:
    one = json.loads(RESULTS.read_text(encoding="utf-8"))
    measured = {k: v for k, v in one.items() if k != "peers_from"}
    measured["commit"] = "aaaaaaa"
    assert merge([one], peers=measured)["peers_from"] == "aaaaaaa"
    pooled = {**measured, "commit": "bbbbbbb", "peers_from": "aaaaaaa"}
    assert merge([one], peers=pooled)["peers_from"] == "aaaaaaa"  # not the pooled run's
