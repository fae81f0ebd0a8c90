"""Pool accuracy runs of disjoint seed sets into one result, as one run would give.

The full run (``python -m benchmarks.accuracy``) takes long on a shared machine; its
seeds can run in parallel processes, each with ``--json PART``, and be pooled here::

    python -m benchmarks.accuracy --no-peers --no-before --seeds 5 6 7 --json a.json
    python -m benchmarks.accuracy --no-peers --no-before --seeds 8 9 --json b.json
    python -m benchmarks.accuracy_merge a.json b.json --peers-from OLD.json

writes ``docs/accuracy.json`` and the ``accuracy`` section of ``docs/benchmarks.md``.
Per-kind counts are summed (the pooled rates are those of one run over all seeds);
Clough & Stevenson, which every part measures alike, is taken from the first part.
``--peers-from`` copies the peers' figures (copydetect, datasketch) from an earlier
full run on the same drafts (they do not depend on checker) and says so in the report.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from benchmarks.accuracy import JSON_OUT
from benchmarks.accuracy_report import render, write_section
from benchmarks.accuracy_score import summarize, targets_missed

COUNTS = ("n", "hits", "fails", "set_apart", "set_apart_edited", "set_apart_reworded",
          "set_apart_paraphrased")
PEERS = ("copydetect/", "datasketch/")


def _pool(dets: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {}
    for det in dets:
        for name, k in det["kinds"].items():
            into = kinds.setdefault(name, {"must_fail": k["must_fail"], "missed": {},
                                           **dict.fromkeys(COUNTS, 0)})
            for key in COUNTS:
                into[key] += k.get(key, 0)
            missed = k["missed"]
            if isinstance(missed, dict) and isinstance(into["missed"], dict):
                for f, v in missed.items():
                    if len(into["missed"]) < 10:
                        into["missed"][f] = v
    return summarize(kinds, sum(d["wrong_source_fails"] for d in dets))


def merge(parts: list[dict[str, Any]], peers: dict[str, Any] | None = None) -> dict[str, Any]:
    """One result from runs of disjoint seeds (and the peers of an earlier run)."""
    first = parts[0]
    out: dict[str, Any] = {k: v for k, v in first.items() if k not in ("corpora",)}
    seeds = [s for p in parts for s in p["config"]["seeds"]]
    out["config"] = {**first["config"], "seeds": seeds}
    reuters = {**first["corpora"]["reuters"]}
    reuters["drafts"] = sum(p["corpora"]["reuters"]["drafts"] for p in parts)
    reuters["per_seed"] = {s: v for p in parts for s, v in p["corpora"]["reuters"]["per_seed"]
                           .items()}
    dets = {name for p in parts for name in p["corpora"]["reuters"]["detectors"]}
    reuters["detectors"] = {name: _pool([p["corpora"]["reuters"]["detectors"][name]
                                         for p in parts]) for name in sorted(dets)}
    clough = {**first["corpora"]["clough"]}
    # The duplicate check's calibration: Reuters pairs summed, Clough & Stevenson once.
    calib: dict[str, dict[str, list[int]]] = {}
    for i, p in enumerate(parts):
        for reading, labels in p["duplicate_check"].items():
            for label, (yes, n) in labels.items():
                if label.startswith("clough") and i:
                    continue
                cell = calib.setdefault(reading, {}).setdefault(label, [0, 0])
                cell[0] += yes
                cell[1] += n
    out["duplicate_check"] = calib
    if peers is not None:
        old = peers["corpora"]
        for corpus, mine in (("reuters", reuters), ("clough", clough)):
            mine["detectors"] = {**mine["detectors"], **{
                k: v for k, v in old[corpus]["detectors"].items() if k.startswith(PEERS)}}
        for seed, row in old["reuters"].get("per_seed", {}).items():
            if seed in reuters["per_seed"]:
                reuters["per_seed"][seed] = {**reuters["per_seed"][seed], **{
                    k: v for k, v in row.items() if k.startswith(PEERS)}}
        # A pooled run's peers came from an earlier run: name the run that measured them.
        out["peers_from"] = peers.get("peers_from") or peers.get("commit", "")
    out["corpora"] = {"reuters": reuters, "clough": clough}
    out["targets_missed"] = targets_missed(reuters["detectors"]["checker"],
                                           clough["detectors"]["checker"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", type=Path, nargs="+")
    parser.add_argument("--peers-from", type=Path, default=None)
    args = parser.parse_args(argv)
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in args.parts]
    peers = (json.loads(args.peers_from.read_text(encoding="utf-8"))
             if args.peers_from else None)
    res = merge(parts, peers)
    JSON_OUT.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    text = render(res)
    if peers is not None:
        note = (f"\nThe peers (copydetect, datasketch) were not re-run: their figures are "
                f"those of the run at commit `{res['peers_from']}` on the same drafts (they "
                "do not depend on checker). The seeds ran in parallel processes, pooled by "
                "`benchmarks/accuracy_merge.py`.\n")
        head, sep, rest = text.partition("\n\n### ")
        text = head + "\n" + note + sep + rest
    write_section(text)
    for line in res["targets_missed"] or ["all targets met"]:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
