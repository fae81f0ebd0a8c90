"""kill -9 at random points of ``index add`` and ``index remove`` (checker.store): after
each kill the index checks clean (``checker index check``) and the next add completes.

Each round starts a process that adds and removes small batches of a small synthetic
corpus without end (so merges, tombstones and segment writes all happen), kills it
with SIGKILL after a random delay, checks the index and adds one more batch. The
processes come from a forkserver that has already imported checker, so a round costs
its delay, not an interpreter start-up. ``CHECKER_KILL_ROUNDS`` sets the number of
rounds (default 200).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest
from conftest import write_articles

from checker import Index
from checker.store.check import check_index

ROUNDS = int(os.environ.get("CHECKER_KILL_ROUNDS", "200"))
CORPUS = 60


def churn(index: str, articles: str, seed: int) -> None:
    """Add and remove random batches of ``articles`` in ``index`` until killed."""
    rng = random.Random(seed)
    files = sorted(Path(articles).iterdir())
    while True:
        with Index.open(index, create=True) as idx:
            if rng.random() < 0.6:
                idx.add(rng.sample(files, rng.randint(1, 8)))
            else:
                present = [d.key for d in idx.documents()]
                if present:
                    idx.remove(rng.sample(present, min(len(present), rng.randint(1, 5))))


@pytest.mark.slow
def test_kill_9_during_add_and_remove_leaves_an_index_that_checks_clean(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = tmp_path / "articles"
    write_articles(articles, CORPUS, seed=4000, paragraphs=2, words_per_paragraph=40)
    files = sorted(articles.iterdir())
    index = tmp_path / "index"
    ctx = multiprocessing.get_context("forkserver")
    # The forkserver is a new interpreter: it finds the tests' killwarm module (which
    # loads the compiled kernels once, so that a round's kill can land inside a write
    # rather than always in the kernels' loading) through PYTHONPATH, not sys.path.
    here = str(Path(__file__).parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [
        here, os.environ.get("PYTHONPATH")])))
    ctx.set_forkserver_preload(["checker.index", "checker.store.check", "killwarm"])
    rng = random.Random(16)
    killed_mid_write = 0
    for r in range(ROUNDS):
        proc = ctx.Process(target=churn, args=(str(index), str(articles), r), daemon=True)
        proc.start()
        time.sleep(rng.uniform(0.0, 0.5))
        assert proc.is_alive(), f"round {r}: the churn process ended on its own"
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        assert proc.exitcode == -signal.SIGKILL
        if not (index / "index.sqlite").exists():
            continue  # killed before it created the index
        report = check_index(index)
        assert report.clean, f"round {r}: {report.problems}"
        killed_mid_write += bool(report.notes)  # a segment written, never registered
        # create=True, as 'checker index add' opens it: a kill inside the very first
        # add can leave an index with no tables yet, which the next add creates.
        with Index.open(index, create=True) as idx:
            summary = idx.add(rng.sample(files, 2))
            assert summary.skipped == 0
        assert check_index(index).clean
    # The kills landed inside writes too, not only between them.
    print(f"{killed_mid_write} of {ROUNDS} kills landed between a segment write and its commit")
    assert killed_mid_write > 0 or ROUNDS < 50
