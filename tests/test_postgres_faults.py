"""Faults of a server index, each caused for real on a real PostgreSQL server
(tests/pgcluster.py): bad connections, an ingester killed mid-COPY, a primary
stopped with ``-m immediate`` during scans, a replica down, and 8 scanners with
an ingester running at once.

The concurrent run lasts ``$CHECKER_PG_STRESS_SECONDS`` (default 20 s, the issue
asks for 60: set it to 60 for the full run); the outcome checked does not depend
on the machine's speed, only how many rounds are run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pgcluster
import psycopg
import pytest
from conftest import ARTICLES, DRAFTS, article, checker_command
from pgcluster import PASSWORD

from checker import Index
from checker.documents import TextDocument

WORKER = Path(__file__).resolve().parent / "pg_worker.py"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*checker_command(), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def one_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("checker: error: "), r.stderr
    assert "Traceback" not in r.stderr and PASSWORD not in r.stderr
    return r.stderr


# -- bad connections: exit 2, one line, the host named, never a pass ----------------------


def test_unreachable_server_fails_the_gate(pg_cluster: pgcluster.Cluster) -> None:
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{pgcluster.free_port()}/x"
    # Connection refused is retried (a restarting server) for the retry budget, then exit 2.
    err = one_line(run("scan", str(DRAFTS / "clean-original.md"), "--index", url,
                       env={"CHECKER_INDEX_RETRY_SECONDS": "2"}))
    assert "cannot reach the index server" in err and "127.0.0.1:" in err


def test_wrong_password(pg_url: str) -> None:
    url = pg_url.replace(PASSWORD, "Wr0ng-Pw-123")
    err = one_line(run("index", "list", "--index", url))
    assert "password authentication failed" in err and "Wr0ng-Pw-123" not in err


def test_missing_database(pg_cluster: pgcluster.Cluster) -> None:
    err = one_line(run("scan", str(DRAFTS), "--index", pg_cluster.url("no_such_db")))
    assert "database does not exist" in err and "no_such_db" in err


def test_schema_absent(pg_url: str) -> None:
    conninfo = pg_url.replace("postgresql://postgres:", "").split("@")
    host, db = conninfo[1].split("/")
    cs = f"host=127.0.0.1 port={host.split(':')[1]} dbname={db} user=postgres " \
         f"password={PASSWORD}"
    err = one_line(run("scan", str(DRAFTS), "--index", cs))
    assert "no checker index in this database" in err and "init-db" in err


def test_add_to_a_replica_is_one_clear_line(replica: tuple[str, str, pgcluster.Cluster],
                                            tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text(article(4242))
    err = one_line(run("index", "add", str(tmp_path / "new.txt"), "--index", replica[1]))
    assert "read-only replica" in err


# -- an ingester killed in the middle of a COPY ------------------------------------------


def whole_articles(url: str) -> int:
    """Every visible document has its text and all its band entries (one snapshot)."""
    with psycopg.connect(url) as c:
        bad, n = c.execute(
            "SELECT count(*) FILTER (WHERE t.num IS NULL OR d.entries <> coalesce(b.n, 0)),"
            " count(*) FROM checker.documents d LEFT JOIN checker.texts t ON t.num = d.num"
            " LEFT JOIN (SELECT doc, count(*) AS n FROM checker.bands GROUP BY doc) b"
            " ON b.doc = d.num").fetchone() or (1, 0)
    assert bad == 0
    return int(n)


def test_kill_ingester_mid_copy(pg_url: str, tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    with articles.open("w") as f:
        for i in range(3000):
            f.write(json.dumps({"id": f"a{i}", "text": article(50_000 + i, paragraphs=4)}) + "\n")
    with Index.open(pg_url, create=True):
        pass
    proc = subprocess.Popen([*checker_command(), "index", "add", str(articles), "--index",
                             pg_url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed_in_copy = False
    try:
        with psycopg.connect(pg_url, autocommit=True) as c:
            end = time.monotonic() + 300
            while proc.poll() is None and time.monotonic() < end:
                committed = c.execute("SELECT count(*) FROM checker.documents").fetchone()
                copying = c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'checker'"
                    " AND query LIKE 'COPY checker.%%' AND state = 'active'").fetchone()
                if committed and committed[0] > 0 and copying and copying[0] > 0:
                    os.kill(proc.pid, signal.SIGKILL)
                    killed_in_copy = True
                    break
                time.sleep(0.002)
    finally:
        proc.kill()
        proc.wait()
    assert killed_in_copy, "the ingester finished before a COPY could be interrupted"
    time.sleep(0.5)  # the server notices the dead client and rolls its transaction back
    partial = whole_articles(pg_url)
    assert 0 < partial < 3000
    r = run("index", "add", str(articles), "--index", pg_url)
    assert r.returncode == 0, r.stderr
    assert f"unchanged {partial}" in r.stdout
    assert whole_articles(pg_url) == 3000


# -- the primary stopped during scans, then restarted ----------------------------------------


@pytest.fixture
def scan_setup(pg_url: str, tmp_path: Path) -> tuple[str, dict[str, object]]:
    with Index.open(pg_url, create=True) as idx:
        idx.add([ARTICLES])
    r = run("scan", str(DRAFTS), "--index", pg_url, "-f", "json")
    assert r.returncode == 1
    expected = json.loads(r.stdout)
    expected.pop("index")
    return pg_url, expected


def test_primary_stopped_immediately_during_scans(pg_cluster: pgcluster.Cluster,
                                                  scan_setup: tuple[str, dict[str, object]]
                                                  ) -> None:
    url, expected = scan_setup
    outcomes = []
    for retry in ("60", "1"):
        procs = [subprocess.Popen([*checker_command(), "scan", str(DRAFTS), "--index", url,
                                   "-f", "json"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "CHECKER_INDEX_RETRY_SECONDS": retry})
                 for _ in range(4)]
        time.sleep(1.0)
        pg_cluster.stop("immediate")
        time.sleep(3.0)
        pg_cluster.start()
        for p in procs:
            out, err = p.communicate(timeout=300)
            outcomes.append((retry, p.returncode))
            assert "Traceback" not in err and PASSWORD not in out + err
            assert p.returncode in (1, 2), (p.returncode, err)  # never clean
            if p.returncode == 1:
                data = json.loads(out)
                data.pop("index")
                assert data == expected
            else:
                assert err.count("\n") == 1 and "index server" in err
    # With a minute to retry, every scan rode out the restart.
    assert all(code == 1 for retry, code in outcomes if retry == "60"), outcomes


def test_server_down_for_good_is_exit_2(pg_cluster: pgcluster.Cluster,
                                        scan_setup: tuple[str, dict[str, object]]) -> None:
    url, _ = scan_setup
    pg_cluster.stop("immediate")
    try:
        r = run("scan", str(DRAFTS), "--index", url, env={"CHECKER_INDEX_RETRY_SECONDS": "1"})
    finally:
        pg_cluster.start()
    assert "cannot reach the index server" in one_line(r)


# -- a streaming replica, and falling back to the primary ------------------------------------


@pytest.fixture(scope="module")
def replica(pg_cluster: pgcluster.Cluster) -> Iterator[tuple[str, str, pgcluster.Cluster]]:
    """A database with the fixture articles on the primary, and a ``pg_basebackup -R``
    replica of it on another free port: (primary URL, replica URL, replica)."""
    pgcluster.create_database(pg_cluster.url(), "replicated")
    primary = pg_cluster.url("replicated")
    with Index.open(primary, create=True) as idx:
        idx.add([ARTICLES])
    base = pgcluster.make_base()
    rep = pg_cluster.replica(base, pgcluster.free_port())
    try:
        replica_url = primary.replace(f":{pg_cluster.port}/", f":{rep.port}/")
        pgcluster.wait_replayed(primary, replica_url)
        yield primary, replica_url, rep
    finally:
        rep.stop("immediate")
        pgcluster.cleanup(base)
        sys.stdout.flush()


def test_replica_serves_scans_and_falls_back_to_the_primary(
        pg_cluster: pgcluster.Cluster,
        replica: tuple[str, str, pgcluster.Cluster]) -> None:
    primary, replica_url, rep = replica
    rport = replica_url.split(":")[-1].split("/")[0]
    both = (f"host=127.0.0.1,127.0.0.1 port={rport},{pg_cluster.port} dbname=replicated "
            f"user=postgres password={PASSWORD}")
    results = []
    for where in (primary, replica_url, both):
        r = run("scan", str(DRAFTS), "--index", where, "-f", "json")
        assert r.returncode == 1, r.stderr
        data = json.loads(r.stdout)
        data.pop("index")
        results.append(data)
    assert results[0] == results[1] == results[2]
    rep.stop("immediate")  # the replica goes down: libpq tries the next host
    r = run("scan", str(DRAFTS), "--index", both, "-f", "json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    data.pop("index")
    assert data == results[0]
    assert f"127.0.0.1:{rport},127.0.0.1:{pg_cluster.port}" in json.loads(r.stdout)["index"][
        "host"]


# -- 8 scanners and an ingester at once ----------------------------------------------------


def test_scanners_and_an_ingester_at_once(pg_url: str, tmp_path: Path) -> None:
    seconds = float(os.environ.get("CHECKER_PG_STRESS_SECONDS", "20"))
    docs = [TextDocument(key=f"base-{i}", path=f"base-{i}", text=article(70_000 + i))
            for i in range(300)]
    with Index.open(pg_url, create=True) as idx:
        idx.add_documents(iter(docs))
        ids = {d.key: d.id for d in idx.documents()}
    rng = random.Random(5)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    expected = {}
    for n in range(8):
        src = rng.randrange(300)
        paragraph = article(70_000 + src).split("\n\n")[2]
        host = article(90_000 + n).split("\n\n")
        (drafts / f"p{n}.txt").write_text("\n\n".join([*host[:3], paragraph, *host[3:]]))
        expected[f"p{n}.txt"] = ids[f"base-{src}"]
    (tmp_path / "expected.json").write_text(json.dumps(expected))
    py = sys.executable
    scanners = [subprocess.Popen([py, str(WORKER), "scan", pg_url, str(seconds), str(drafts),
                                  str(tmp_path / "expected.json")], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(8)]
    ingester = subprocess.Popen([py, str(WORKER), "ingest", pg_url, str(seconds), "3"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    checks = 0
    while ingester.poll() is None:
        whole_articles(pg_url)  # no half article is ever visible
        checks += 1
        time.sleep(0.2)
    out, err = ingester.communicate()
    assert ingester.returncode == 0, err
    added = json.loads(out)["added"]
    results = []
    for p in scanners:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0 and not err, err
        results.append(json.loads(out))
    assert all(r["errors"] == 0 and r["misses"] == 0 and r["rounds"] > 0 for r in results)
    assert added > 0 and checks > 0
    assert whole_articles(pg_url) == 300 + added
