"""Bulk build and archive audit on Spark (local master) against the real
PostgreSQL test server: the same documents, band rows and reports as a build
on one machine, the same verdicts as a local scan, a killed job resumed, and
malformed records counted and reported."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import ARTICLES, DRAFTS, SPARK_TEST_CONF, article, checker_command
from typer.testing import CliRunner

from benchmarks import datasets as ds
from checker import Index, Policy
from checker.cli import app
from checker.documents import Metadata
from checker.spark import jobs

pytestmark = pytest.mark.usefixtures("spark")
DOC_COLUMNS = ("id, key, title, publisher, license, notice, holder, years, url, date, "
               "content_hash, words, passages, mask, entries")


def rows(url: str) -> tuple[list[Any], list[Any], dict[str, str], dict[str, bytes]]:
    """Every document row (but its number and time), every band row (key, document
    key), every text and every story sketch (one for each document), in a stable
    order."""
    with psycopg.connect(url) as c:
        docs = c.execute(f'SELECT {DOC_COLUMNS} FROM checker.documents ORDER BY key COLLATE "C"'
                         ).fetchall()
        bands = c.execute('SELECT b.key, d.key FROM checker.bands b JOIN checker.documents d '
                          'ON d.num = b.doc ORDER BY b.key, d.key COLLATE "C"').fetchall()
    with Index.open(url) as idx:
        texts = idx.store.texts([d[0] for d in docs])
        sketches = idx.store.story_sketches([d[0] for d in docs])
    assert len(sketches) == len(docs)
    return docs, bands, texts, sketches


def report(url: str, drafts: list[Path]) -> str:
    with Index.open(url) as idx:
        r = idx.scan(drafts, Policy()).to_dict()
    r.pop("index")
    return json.dumps(r, sort_keys=True)


def second_db(pg_url: str, name: str) -> str:
    import pgcluster

    base = pg_url.rsplit("/", 1)[0]
    pgcluster.create_database(pg_url, name)
    return f"{base}/{name}"


def test_same_index_as_a_local_build_fixtures(pg_url: str) -> None:
    spark_url = second_db(pg_url, "spark_fixtures")
    with Index.open(pg_url, create=True) as idx:
        local = idx.add([ARTICLES])
    summary = jobs.build(spark_url, [ARTICLES], partitions=3, batch_documents=4)
    assert (summary.added, summary.skipped, summary.documents) == (local.added, 0, 16)
    assert summary.words > 0 and "words/s" in summary.line()
    assert rows(pg_url) == rows(spark_url)
    assert report(pg_url, [DRAFTS]) == report(spark_url, [DRAFTS])
    # Again: everything is there, nothing is written.
    again = jobs.build(spark_url, [ARTICLES])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 16)


@pytest.mark.shared
@pytest.mark.skipif(not ds.reuters_available(), reason="Reuters-21578 is not in ../shared")
def test_same_index_as_a_local_build_reuters(pg_url: str, tmp_path: Path) -> None:
    articles = [a for a in ds.load_reuters(limit=700) if a.text.strip()][:600]
    table = tmp_path / "reuters.jsonl"
    with table.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a.id, "title": a.title, "text": a.text}) + "\n")
    over = Metadata(publisher="Reuters", license="all-rights-reserved")
    spark_url = second_db(pg_url, "spark_reuters")
    with Index.open(pg_url, create=True) as idx:
        idx.add([table], over)
    summary = jobs.build(spark_url, [table], overrides=over, batch_documents=100)
    assert summary.added == len(articles) and not summary.skipped
    local_rows, spark_rows = rows(pg_url), rows(spark_url)
    assert len(local_rows[1]) > 10_000
    assert local_rows == spark_rows
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for i, a in enumerate(articles[::30]):  # copies and halves of indexed stories
        (drafts / f"d{i:02d}.txt").write_text(a.text[: len(a.text) // (1 + i % 2)])
    assert report(pg_url, [drafts]) == report(spark_url, [drafts])


def test_malformed_records_are_counted_and_reported(pg_url: str, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(article(1))
    (src / "empty.md").write_text("   \n")
    (src / "scan.epub").write_bytes(b"PK\x03\x04")
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "ok", "text": article(2)}) + "\n{broken\n"
        + json.dumps({"id": "ok", "text": article(3)}) + "\n")
    table = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "b", None], "text": [article(4), article(5),
                                                                   article(6), article(7)],
                             "publisher": ["P", "P", "P", "P"]}), table)
    warned: list[str] = []
    summary = jobs.build(pg_url, [src, table], warn=warned.append)
    assert summary.added == 3  # good.txt, feed.jsonl#ok, t.parquet#a
    assert dict(summary.reasons) == {"empty": 1, "unsupported": 1, "malformed": 2,
                                     "duplicate": 2}
    text = "\n".join(warned)
    for where in (f"{src}/feed.jsonl:2", f"{src}/feed.jsonl:3", f"{src}/empty.md",
                  f"{src}/scan.epub", f"{table}#b", "a row without id"):
        assert where in text
    with Index.open(pg_url) as idx:
        keys = [d.key for d in idx.documents()]
        assert keys == sorted([f"{src}/feed.jsonl#ok", f"{src}/good.txt", f"{table}#a"])
        assert idx.store.get(f"{table}#a").publisher == "P"  # type: ignore[union-attr]


def test_cli_build_and_audit_match_a_local_scan(pg_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(app, ["index", "add", str(ARTICLES), "--index", pg_url,
                                "--engine", "spark"])
    assert added.exit_code == 0, added.output
    assert "added 16, updated 0, unchanged 0, skipped 0" in added.output
    out = tmp_path / "audit.jsonl"
    audit = runner.invoke(app, ["scan", str(DRAFTS), "--index", pg_url, "--engine", "spark",
                                "--output", str(out)])
    local = runner.invoke(app, ["scan", str(DRAFTS), "--index", pg_url, "--format", "json"])
    assert audit.exit_code == local.exit_code == 1, audit.output
    files = json.loads(local.stdout)["files"]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(lines, key=lambda f: f["path"]) == sorted(files, key=lambda f: f["path"])
    summary = json.loads(Path(f"{out}.summary.json").read_text())
    counts = json.loads(local.stdout)["summary"]
    assert (summary["drafts"], summary["fail"], summary["warn"], summary["pass"]) == (
        counts["files"], counts["fail"], counts["warn"], counts["pass"])
    assert f"audited {counts['files']} drafts: fail {counts['fail']}" in audit.output


def test_audit_needs_an_output_and_a_server(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["scan", str(DRAFTS), "--index", str(tmp_path / "i"),
                            "--engine", "spark"])
    assert r.exit_code == 2 and "--output" in r.output
    r = runner.invoke(app, ["scan", str(DRAFTS), "--index", str(tmp_path / "i"),
                            "--engine", "spark", "--output", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "PostgreSQL" in r.output


def test_killed_build_resumes_with_only_what_is_missing(pg_url: str, tmp_path: Path) -> None:
    src = tmp_path / "articles"
    src.mkdir()
    n = 400
    for i in range(n):
        (src / f"a{i:04d}.txt").write_text(article(1000 + i, paragraphs=3))
    conf = [a for k, v in SPARK_TEST_CONF.items() for a in ("--spark-conf", f"{k}={v}")]
    cmd = [*checker_command(), "index", "add", str(src), "--index", pg_url, "--engine", "spark",
           "--spark-master", "local[1]", "--batch-documents", "4", *conf]
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    seen = 0
    try:
        with psycopg.connect(pg_url, autocommit=True) as c:
            while proc.poll() is None and seen == 0:
                if c.execute("SELECT to_regclass('checker.documents')").fetchone()[0]:
                    seen = c.execute("SELECT count(*) FROM checker.documents").fetchone()[0]
                time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver, its JVM and the Python workers
        proc.communicate()
    assert 0 < seen < n, "the job ended before it could be killed"
    with Index.open(pg_url) as idx:
        kept = idx.stats().documents
    assert kept < n
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"added {n - kept}, updated 0, unchanged {kept}, skipped 0" in done.stdout
    local_url = second_db(pg_url, "spark_resume_local")
    with Index.open(local_url, create=True) as idx:
        idx.add([src])
    assert rows(local_url)[:2] == rows(pg_url)[:2]


def test_a_normal_scan_never_imports_pyspark(fixture_index: Path) -> None:
    code = ("import sys\nfrom checker.cli import main\nsys.argv = ['checker', 'scan', "
            f"{str(DRAFTS)!r}, '--index', {str(fixture_index)!r}, '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print([m for m in sys.modules if m.startswith(('pyspark', 'pyarrow', 'py4j', "
            "'checker.spark'))], file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert '"files"' in out.stdout  # the scan ran
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_files_read_by_spark_from_a_url(pg_url: str) -> None:
    """A URL (here file://; hdfs:// or s3a:// on a cluster) is read by Spark's
    binaryFile source: the same documents and band rows, named by their URL."""
    spark_url = second_db(pg_url, "spark_url")
    with Index.open(pg_url, create=True) as idx:
        idx.add([ARTICLES])
    summary = jobs.build(spark_url, [f"file://{ARTICLES}"])
    assert (summary.added, summary.skipped) == (16, 0)

    def by_name(url: str) -> tuple[list[Any], list[Any]]:
        docs, bands, _, _ = rows(url)
        return (sorted((Path(d[1]).name, *d[2:]) for d in docs),
                sorted((k, Path(name).name) for k, name in bands))

    assert by_name(pg_url) == by_name(spark_url)
    with Index.open(spark_url) as idx:
        assert all(d.key.startswith("file:/") for d in idx.documents())


def test_audit_of_a_table_of_drafts(pg_url: str, tmp_path: Path) -> None:
    """Drafts as JSONL records and as a Parquet table: the same verdicts as a local
    scan of the JSONL file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with Index.open(pg_url, create=True) as idx:
        idx.add([ARTICLES])
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8")}
               for p in sorted(DRAFTS.glob("*.txt"))]
    assert len(records) >= 3
    feed = tmp_path / "drafts.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    table = tmp_path / "drafts.parquet"
    pq.write_table(pa.table({"id": [r["id"] for r in records],
                             "text": [r["text"] for r in records]}), table)
    with Index.open(pg_url) as idx:
        local = {f.path: f.verdict.value for f in idx.scan([feed], Policy()).files}
    out = tmp_path / "audit.jsonl"
    summary = jobs.audit(pg_url, [feed, table], str(out))
    got = {json.loads(line)["path"]: json.loads(line)["verdict"]
           for line in out.read_text().splitlines()}
    assert summary.drafts == 2 * len(records)
    assert {k: v for k, v in got.items() if k.startswith(str(feed))} == local
    assert {k.split("#")[1]: v for k, v in got.items() if k.startswith(str(table))} == {
        k.split("#")[1]: v for k, v in local.items()}
    assert "fail" in local.values()
