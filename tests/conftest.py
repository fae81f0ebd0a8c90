"""Shared fixtures of the core tests: the bundled fixtures, built indexes, synthetic text.

Synthetic articles are made of invented words drawn from a seeded generator, so two
unrelated articles share no three-word run and every test text is reproducible.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker import Index
from checker.documents import TextDocument

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
ARTICLES = FIXTURES / "articles"
DRAFTS = FIXTURES / "drafts"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("CHECKER_UPDATE_GOLDEN") == "1"

_CONSONANTS = "bcdfghklmnprstvz"
_VOWELS = "aeiou"


def checker_command() -> list[str]:
    """The installed ``checker`` console script (next to this Python), as argv."""
    exe = Path(sys.executable).with_name("checker")
    found = str(exe) if exe.exists() else shutil.which("checker")
    if found is None:
        pytest.skip("the checker command is not installed (pip install -e .)")
    return [found]


def run_checker(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``checker`` command run in ``cwd`` as a user runs it (no
    ``$CHECKER_INDEX``, no colours)."""
    env = {k: v for k, v in os.environ.items() if k != "CHECKER_INDEX"}
    env["NO_COLOR"] = "1"
    return subprocess.run([*checker_command(), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def scanned_reports(cwd: Path, folder: str) -> dict[str, dict[str, Any]]:
    """``checker scan FOLDER --format json`` run as a user, which must exit 1 (a finding):
    each file's report by file name."""
    scanned = run_checker(cwd, "scan", folder, "--format", "json")
    assert scanned.returncode == 1, scanned.stderr
    return {Path(f["path"]).name: f for f in json.loads(scanned.stdout)["files"]}


def vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    """Invented, pronounceable words (unique), the same for a given seed."""
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < size:
        syllables = rng.randint(2, 4)
        words["".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))] \
            = None
    return list(words)


VOCAB = vocabulary()


def words(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(VOCAB) for _ in range(n)]


def sentence(rng: random.Random, n: int | None = None) -> str:
    w = words(rng, n or rng.randint(8, 18))
    return " ".join([w[0].capitalize(), *w[1:]]) + "."


def paragraph(rng: random.Random, n_words: int) -> str:
    out: list[str] = []
    total = 0
    while total < n_words:
        n = min(rng.randint(8, 18), n_words - total)
        out.append(sentence(rng, max(n, 1)))
        total += max(n, 1)
    return " ".join(out)


def article(seed: int, paragraphs: int = 5, words_per_paragraph: int = 60) -> str:
    """A synthetic article: a headline line, then paragraphs separated by blank lines."""
    rng = random.Random(seed)
    title = " ".join(w.capitalize() for w in words(rng, 5))
    body = "\n\n".join(paragraph(rng, words_per_paragraph) for _ in range(paragraphs))
    return f"{title}\n\n{body}\n"


def write_articles(directory: Path, count: int, seed: int = 1000, **kwargs: int) -> list[Path]:
    """Write ``count`` synthetic articles ``a00000.txt`` ... into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        p = directory / f"a{i:05d}.txt"
        p.write_text(article(seed + i, **kwargs), encoding="utf-8")
        paths.append(p)
    return paths


def doc(key: str, text: str) -> TextDocument:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return TextDocument(key=key, path=key, text=text, content_hash=digest)


def check_golden(name: str, actual: str) -> None:
    """Compare with ``tests/golden/NAME``; ``CHECKER_UPDATE_GOLDEN=1`` rewrites it."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"{path} is missing; run with CHECKER_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"output differs from {path}; if the change is intended, rerun with "
        "CHECKER_UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An index of ``fixtures/articles`` (absolute paths as keys), built once."""
    path = tmp_path_factory.mktemp("fixture-index") / "index"
    with Index.open(path, create=True) as index:
        summary = index.add([ARTICLES])
    assert summary.added == 16 and not summary.warnings
    yield path


@pytest.fixture
def empty_index(tmp_path: Path) -> Iterator[Index]:
    with Index.open(tmp_path / "index", create=True) as index:
        yield index


def source_name(path: str) -> str:
    """``articles/<file>`` or ``articles/<file>#<id>`` as written in ``expected.json``."""
    p = Path(path.split("#", 1)[0])
    suffix = "#" + path.split("#", 1)[1] if "#" in path else ""
    return f"{p.parent.name}/{p.name}{suffix}"


# -- a real PostgreSQL server (tests/pgcluster.py) --------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A PostgreSQL primary of its own for the session (initdb'd in a temporary
    directory, on a free port), stopped at the end; skips, saying so, only when
    Debian's PostgreSQL is not installed (``.ci/run`` installs it)."""
    import pgcluster

    bin_dir = pgcluster.bindir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb missing; "
                    ".ci/run installs Debian's postgresql): server tests skipped")
    base = pgcluster.make_base()
    cluster = pgcluster.Cluster(bin_dir, base, pgcluster.free_port())
    try:
        cluster.initdb()
        cluster.start()
        yield cluster
    finally:
        cluster.stop("immediate")
        pgcluster.cleanup(base)


@pytest.fixture
def pg_url(pg_cluster: object, request: pytest.FixtureRequest) -> str:
    """A new, empty database on the session's server: its URL (superuser, with password)."""
    import re

    import pgcluster

    assert isinstance(pg_cluster, pgcluster.Cluster)
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    pgcluster.create_database(pg_cluster.url(), name)
    return pg_cluster.url(name)


# -- Spark (local master, one session for the whole test run) ----------------------


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """A local[2] SparkSession (UI off, bound to 127.0.0.1), shared by every Spark
    test; skips, saying so, only when pyspark/pyarrow or Java are missing."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("pyspark/pyarrow are not installed (pip install -e '.[spark]'; .ci/run "
                    "installs them): Spark tests skipped")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime (apt-get install openjdk-17-jre-headless): Spark tests "
                    "skipped")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from checker.spark.jobs import session

    s = session("local[2]", SPARK_TEST_CONF)
    yield s
    s.stop()


SPARK_TEST_CONF = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                   "spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "2"}
