"""Worker processes for the server fault tests (run with ``python tests/pg_worker.py``).

``scan URL SECONDS DRAFTS_DIR EXPECTED_JSON``: scan the planted drafts again and
again for SECONDS; print one JSON line: rounds, misses (a planted draft whose source
was not found), errors, and the latencies.

``ingest URL SECONDS SEED``: add new synthetic articles in batches for SECONDS;
print the number added.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import article

from checker import Index, Policy
from checker.documents import TextDocument


def scan(url: str, seconds: float, drafts: Path, expected_file: Path) -> None:
    expected: dict[str, str] = json.loads(expected_file.read_text())
    rounds = misses = errors = 0
    latencies: list[float] = []
    end = time.monotonic() + seconds
    try:
        with Index.open(url) as idx:
            while time.monotonic() < end:
                for path in sorted(drafts.iterdir()):
                    t = time.perf_counter()
                    report = idx.scan_text(path.read_text(), path.name, Policy())
                    latencies.append(time.perf_counter() - t)
                    sources = {f.source.id for f in report.findings}
                    if expected[path.name] not in sources:
                        misses += 1
                rounds += 1
    except Exception:
        errors += 1
        traceback.print_exc()
    print(json.dumps({"rounds": rounds, "misses": misses, "errors": errors,
                      "latencies": latencies}))


def ingest(url: str, seconds: float, seed: int) -> None:
    added = 0
    end = time.monotonic() + seconds
    with Index.open(url) as idx:
        while time.monotonic() < end:
            docs = [TextDocument(key=f"new-{seed}-{added + i}", path=f"new-{seed}-{added + i}",
                                 text=article(seed * 100_000 + added + i)) for i in range(20)]
            idx.add_documents(iter(docs))
            added += len(docs)
    print(json.dumps({"added": added}))


if __name__ == "__main__":
    if sys.argv[1] == "scan":
        scan(sys.argv[2], float(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
    else:
        ingest(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
