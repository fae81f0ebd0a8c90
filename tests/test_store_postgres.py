"""The PostgreSQL backend against a real server (tests/pgcluster.py): the same
documents, band keys and findings as the embedded index, schema and parameter
checks, roles, push, evidence in reports and passwords never printed back."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
from pathlib import Path

import numpy as np
import psycopg
import pytest
from conftest import ARTICLES, DRAFTS, article, checker_command, doc
from pgcluster import PASSWORD

from benchmarks import datasets as ds
from checker import Index, Policy
from checker.config import config_from_mapping
from checker.documents import Metadata, TextDocument
from checker.errors import IndexOpenError
from checker.render import render
from checker.sketch import PROFILES
from checker.store import pgblocks
from checker.store.location import is_server, redact, server_name
from checker.store.pgadmin import push
from checker.store.pgblocks import MAX_SEGMENTS
from checker.store.pgschema import PG_SCHEMA_VERSION
from checker.store.postgres import PostgresStore

# -- locations and redaction (no server needed) -----------------------------------------


@pytest.mark.parametrize("location", [
    "postgresql://u:pw@h:5/db", "postgres://h/db", "host=a,b port=1,2 dbname=x",
    "  dbname=x", "service=archive"])
def test_server_locations(location: str) -> None:
    assert is_server(location)


@pytest.mark.parametrize("location", [".checker/index", "/srv/index", "host", "hosts=1/x"])
def test_directory_locations(location: str) -> None:
    assert not is_server(location)


@pytest.mark.parametrize("text", [
    "postgresql://alice:Sup3r-secret@db.example:5432/archive?sslmode=require",
    "host=db.example dbname=archive user=alice password=Sup3r-secret",
    "host=db.example password='Sup3r secret\\' more' dbname=archive",
    "postgres://h/archive?password=Sup3r-secret&sslmode=require",
])
def test_redact_hides_every_password(text: str) -> None:
    out = redact(text, text)
    assert "Sup3r" not in out and "***" in out
    assert "Sup3r" not in server_name(text)
    assert "db.example" in server_name(text) or "h:" in server_name(text)


def test_config_keeps_a_server_index_as_is(tmp_path: Path) -> None:
    url = "postgresql://ci@db.example:5432/archive"
    cfg = config_from_mapping({"index": url}, tmp_path / "checker.toml")
    assert cfg.index_path() == url
    conninfo = "host=db.example dbname=archive"
    assert config_from_mapping({"index": conninfo}, tmp_path / "c.toml").index_path() == conninfo
    assert cfg.index_path("host=x dbname=y") == "host=x dbname=y"
    local = config_from_mapping({"index": "idx"}, tmp_path / "checker.toml")
    assert local.index_path() == tmp_path.resolve() / "idx"


# -- same results as the embedded index -----------------------------------------------


def report_without_index(index: Index, drafts: list[Path] | list[str]) -> dict[str, object]:
    data = json.loads(render(index.scan(drafts, Policy()), "json"))
    data.pop("index")
    return data


def all_pairs(url: str) -> set[tuple[int, str]]:
    with psycopg.connect(url) as c:
        return {(int(k), str(i)) for k, i in c.execute(
            "SELECT b.key, d.id FROM checker.bands b JOIN checker.documents d ON d.num = b.doc")}


def compare(local: Path, url: str, drafts: list[Path] | list[str]) -> None:
    """Same documents, same (band key, document) entries, same findings."""
    with Index.open(local) as a, Index.open(url) as b:
        strip = [{k: v for k, v in d.to_dict().items() if k != "added"} for d in a.documents()]
        assert strip == [{k: v for k, v in d.to_dict().items() if k != "added"}
                         for d in b.documents()]
        pairs = all_pairs(url)
        keys = np.array(sorted({k for k, _ in pairs}), dtype=np.int64)
        assert set(a.store.lookup_pairs(keys)) == pairs
        assert a.stats().lsh_entries == b.stats().lsh_entries == len(pairs)
        assert a.stats().words == b.stats().words
        ids = [d.id for d in a.documents()]
        sketches = a.store.story_sketches(ids)  # each document's, the same on both
        assert sorted(sketches) == sorted(ids) and b.store.story_sketches(ids) == sketches
        assert report_without_index(a, drafts) == report_without_index(b, drafts)


def test_same_results_as_embedded_fixtures(pg_url: str, tmp_path: Path) -> None:
    local = tmp_path / "index"
    for where in (local, pg_url):
        with Index.open(where, create=True) as idx:
            idx.add([ARTICLES])
    compare(local, pg_url, [DRAFTS])


def test_a_big_add_to_the_server_is_sketched_by_worker_processes(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sharded add (workers read, sketch and compress; texts arrive as frames)
    gives the server the same documents, entries, texts and findings."""
    import checker.index as index_module

    monkeypatch.setattr(index_module, "SHARDED_MIN_BYTES", 0)
    monkeypatch.setattr(index_module, "use_workers", lambda: 2)
    sharded: list[object] = []
    real = index_module.Index._add_sharded
    monkeypatch.setattr(index_module.Index, "_add_sharded",
                        lambda self, store, *a: sharded.append(store) or real(self, store, *a))
    local = tmp_path / "index"
    for where in (local, pg_url):
        with Index.open(where, create=True) as idx:
            idx.add([ARTICLES])
    assert [type(s).__name__ for s in sharded] == ["SQLiteStore", "PostgresStore"]
    compare(local, pg_url, [DRAFTS])
    with Index.open(local) as a, Index.open(pg_url) as b:
        ids = [d.id for d in a.documents()]
        assert a.store.texts(ids) == b.store.texts(ids)


@pytest.mark.shared
@pytest.mark.skipif(not ds.reuters_available(), reason="Reuters-21578 is not in ../shared")
def test_same_results_as_embedded_reuters(pg_url: str, tmp_path: Path) -> None:
    articles = [a for a in ds.load_reuters(limit=4000) if a.text.strip()]
    indexed, hosts = articles[:3000], articles[3000:]
    docs = [TextDocument(key=a.id, path=a.id, text=a.text, content_hash=a.id,
                         meta=Metadata(title=a.title)) for a in indexed]
    over = Metadata(publisher="Reuters", license="all-rights-reserved")
    local = tmp_path / "index"
    for where in (local, pg_url):
        with Index.open(where, create=True) as idx:
            idx.add_documents(iter(docs), over)
    rng = random.Random(12)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    makers = [lambda a, h: ds.verbatim(a, rng), lambda a, h: ds.light_edit(a, rng),
              lambda a, h: ds.heavy_edit(a, rng), lambda a, h: ds.short_paste(a, h, rng),
              lambda a, h: ds.pasted_paragraph(a, h, rng)]
    for i in range(300):
        a, h = rng.choice(indexed), rng.choice(hosts)
        try:
            text = makers[i % len(makers)](a, h).text
        except (ValueError, IndexError):
            text = h.text  # an article too short for this kind: a clean draft
        (drafts / f"d{i:03d}.txt").write_text(text, encoding="utf-8")
    compare(local, pg_url, [drafts])


def test_cli_scan_json_is_byte_identical(pg_url: str, tmp_path: Path) -> None:
    local = tmp_path / "index"
    cmd = checker_command()
    outs = []
    for where in (str(local), pg_url):
        subprocess.run([*cmd, "index", "add", str(ARTICLES), "--index", where], check=True,
                       capture_output=True)
        r = subprocess.run([*cmd, "scan", str(DRAFTS), "--index", where, "-f", "json"],
                           capture_output=True, text=True)
        assert r.returncode == 1, r.stderr
        data = json.loads(r.stdout)
        data.pop("index")
        outs.append(json.dumps(data, indent=2))
    assert outs[0] == outs[1]


# -- schema, parameters, evidence ------------------------------------------------------


def test_refuses_newer_schema_and_other_parameters(pg_url: str) -> None:
    with Index.open(pg_url, create=True) as idx:
        idx.add([ARTICLES])
    with pytest.raises(IndexOpenError, match="other sketch parameters"):
        Index.open(pg_url, params=PROFILES["archive"])
    with psycopg.connect(pg_url) as c:
        c.execute("UPDATE checker.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(IndexOpenError, match="newer than this checker") as err:
        Index.open(pg_url)
    assert PASSWORD not in str(err.value)
    # Schema 1 (one hash-partitioned band table) is not read as if it were this one.
    with psycopg.connect(pg_url) as c:
        c.execute("UPDATE checker.meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(IndexOpenError, match=r"older than this checker's .*init-db"):
        Index.open(pg_url)


def test_absent_schema_is_refused_for_reading(pg_url: str) -> None:
    with pytest.raises(IndexOpenError, match="no checker index in this database"):
        Index.open(pg_url)


def test_report_names_the_index_without_credentials(pg_url: str, tmp_path: Path) -> None:
    with Index.open(pg_url, create=True) as idx:
        idx.add([ARTICLES])
        removed = idx.remove([idx.documents()[0].id])
        report = idx.scan([DRAFTS])
    info = report.index
    assert info["backend"] == "postgresql" and info["schema_version"] == PG_SCHEMA_VERSION
    assert info["host"].startswith("127.0.0.1:") and info["documents"] == 15
    assert info["last_ingest"] and info["params"]["bands"] == 32
    for fmt in ("json", "sarif", "text", "github"):
        assert PASSWORD not in render(report, fmt)
    with psycopg.connect(pg_url) as c:
        log = c.execute("SELECT action, documents, role FROM checker.ingest_log ORDER BY seq"
                        ).fetchall()
    assert log == [("add", 16, "postgres"), ("remove", 1, "postgres")]
    assert removed
    with Index.open(tmp_path / "local", create=True) as local:
        assert local.describe()["backend"] == "sqlite"
        assert local.describe()["documents"] == 0


def test_cli_never_prints_the_password(pg_url: str, tmp_path: Path) -> None:
    cmd = checker_command()
    subprocess.run([*cmd, "index", "add", str(ARTICLES), "--index", pg_url], check=True,
                   capture_output=True)
    env = {**os.environ, "CHECKER_INDEX": pg_url}
    for args in (["scan", str(DRAFTS), "-f", "json"], ["scan", str(DRAFTS), "-f", "sarif"],
                 ["scan", str(DRAFTS)], ["index", "stats"], ["index", "list"],
                 ["index", "add", str(ARTICLES)]):
        r = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env)
        assert r.returncode in (0, 1), r.stderr
        assert PASSWORD not in r.stdout + r.stderr


def test_boilerplate_storm_is_capped(pg_url: str) -> None:
    shared = " ".join(f"storm{i} word{i % 7} line{i % 13}" for i in range(60))
    docs = [TextDocument(key=f"s{i}", path=f"s{i}", text=f"Unique opening {i} alpha{i} "
                         f"beta{i} gamma{i} delta{i}. {shared}") for i in range(60)]
    with Index.open(pg_url, create=True) as idx:
        idx.add_documents(iter(docs))
        store = idx.store
        assert isinstance(store, PostgresStore)
        keys = np.array(sorted({k for k, _ in all_pairs(pg_url)}), dtype=np.int64)
        pairs = store.lookup_pairs(keys, limit=20)
        per_key = np.bincount(np.searchsorted(keys, [k for k, _ in pairs]))
        assert per_key.max() == 20
        counts = store.key_document_counts(keys)
        assert counts.max() == 60


# -- init-db, roles, push ----------------------------------------------------------------


def role_url(url: str, role: str, password: str) -> str:
    return url.replace(f"postgres:{PASSWORD}@", f"{role}:{password}@")


def test_init_db_roles(pg_url: str, tmp_path: Path) -> None:
    cmd = checker_command()
    env = {**os.environ, "CHECKER_READER_PASSWORD": "rd-pw-1", "CHECKER_WRITER_PASSWORD":
           "wr-pw-2"}
    r = subprocess.run([*cmd, "index", "init-db", "--index", pg_url], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    reader = role_url(pg_url, "checker_reader", "rd-pw-1")
    writer = role_url(pg_url, "checker_writer", "wr-pw-2")
    r = subprocess.run([*cmd, "index", "add", str(ARTICLES), "--index", reader],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "may only read the index" in r.stderr
    assert "rd-pw-1" not in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([*cmd, "index", "add", str(ARTICLES), "--index", writer],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*cmd, "scan", str(DRAFTS), "--index", reader, "-f", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 1 and json.loads(r.stdout)["index"]["documents"] == 16
    r = subprocess.run([*cmd, "index", "init-db", "--index", writer], capture_output=True,
                       text=True)
    assert r.returncode == 2 and "needs the database owner" in r.stderr, r.stderr
    r = subprocess.run([*cmd, "index", "compact", "--index", reader], capture_output=True,
                       text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "may only read the index" in r.stderr and "rd-pw-1" not in r.stderr
    assert "wr-pw-2" not in r.stderr
    with psycopg.connect(writer, autocommit=True) as c, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("DELETE FROM checker.ingest_log")  # append-only for the writer


def test_a_database_made_before_story_sketches_scans_alike_and_init_db_adds_them(
        pg_url: str, tmp_path: Path) -> None:
    with Index.open(pg_url, create=True) as idx:
        idx.add([ARTICLES])
        before = report_without_index(idx, [DRAFTS])
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP TABLE checker.stories")
    with Index.open(pg_url) as idx:
        assert idx.store.story_sketches([d.id for d in idx.documents()]) == {}
        assert report_without_index(idx, [DRAFTS]) == before  # from the texts
        idx.add_documents([doc("late/one.txt", article(4400))])  # written without one
    r = subprocess.run([*checker_command(), "index", "init-db", "--index", pg_url],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with Index.open(pg_url) as idx:
        late = idx.store.get("late/one.txt")
        assert late is not None and idx.store.story_sketches([late.id]) == {}
        idx.add_documents([doc("late/two.txt", article(4401))])
        two = idx.store.get("late/two.txt")
        assert two is not None and list(idx.store.story_sketches([two.id])) == [two.id]
        idx.remove(["late/two.txt"])
    with psycopg.connect(pg_url) as c:
        assert c.execute("SELECT count(*) FROM checker.stories").fetchone() == (0,)


def test_push_is_resumable(pg_url: str, tmp_path: Path) -> None:
    local = tmp_path / "index"
    with Index.open(local, create=True) as idx:
        idx.add([ARTICLES])
    calls = []

    def stop_after_first(done: int, total: int) -> None:
        calls.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(local, pg_url, batch=5, progress=stop_after_first)
    with Index.open(pg_url) as idx:
        assert len(idx.documents()) == 5
    summary = push(local, pg_url, batch=5)
    assert (summary.copied, summary.already, summary.total) == (11, 5, 16)
    compare(local, pg_url, [DRAFTS])


def test_remove_and_replace_delete_their_entries(pg_url: str, tmp_path: Path) -> None:
    import shutil

    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    local = tmp_path / "index"
    for where in (local, pg_url):
        with Index.open(where, create=True) as idx:
            idx.add([articles])
    first, second = sorted(articles.iterdir())[:2]
    first.write_text(first.read_text() + "\n\nA new closing paragraph about harbour dues.\n")
    for where in (local, pg_url):
        with Index.open(where) as idx:
            assert idx.add([articles]).updated == 1
            idx.remove([str(second)])
    compare(local, pg_url, [DRAFTS])
    with psycopg.connect(pg_url) as c:
        orphans = c.execute("SELECT count(*) FROM checker.bands b WHERE NOT EXISTS (SELECT 1 "
                            "FROM checker.documents d WHERE d.num = b.doc)").fetchone()
    assert orphans == (0,)


def test_segments_are_merged_and_keep_every_entry(pg_url: str, tmp_path: Path) -> None:
    """One write per article: a segment each, merged down to MAX_SEGMENTS, with
    the same entries and findings as the embedded index."""
    files = sorted(ARTICLES.iterdir())
    assert len(files) > MAX_SEGMENTS + 2
    local = tmp_path / "index"
    for where in (local, pg_url):
        with Index.open(where, create=True) as idx:
            for f in files:
                idx.add([f])
    with psycopg.connect(pg_url) as c:
        segs = c.execute("SELECT first, stop, entries FROM checker.segments ORDER BY first"
                         ).fetchall()
        per = dict(c.execute("SELECT seg, count(*) FROM checker.blocks GROUP BY seg").fetchall())
        (entries,) = c.execute("SELECT count(*) FROM checker.bands").fetchone() or (0,)
    assert 1 < len(segs) <= MAX_SEGMENTS
    assert set(per) == {s[0] for s in segs}  # every block belongs to a segment
    assert all(a[1] == b[0] for a, b in itertools.pairwise(segs))  # adjacent ranges
    assert sum(s[2] for s in segs) == entries
    compare(local, pg_url, [DRAFTS])
    # Compacted into one segment: the same entries and findings, and logged.
    with Index.open(pg_url) as idx, Index.open(local) as emb:
        assert idx.compact() == len(segs)
        emb.compact()
    with psycopg.connect(pg_url) as c:
        assert [s[2] for s in pgblocks.segments(c)] == [entries]
        assert c.execute("SELECT action, detail FROM checker.ingest_log ORDER BY seq DESC"
                         " LIMIT 1").fetchone() == ("compact", {"segments": len(segs)})
    compare(local, pg_url, [DRAFTS])
    with Index.open(pg_url) as idx:
        shown = idx.describe()["location"]
    assert PASSWORD not in shown
    r = subprocess.run([*checker_command(), "index", "compact", "--index", pg_url],
                       capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, f"compacted {shown}: 1 segment -> 1\n"), r.stderr
    assert PASSWORD not in r.stdout + r.stderr
