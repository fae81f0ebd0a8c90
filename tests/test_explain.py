"""``checker explain DRAFT SOURCE`` (checker.explain, checker.cli.explain)."""

from __future__ import annotations

from pathlib import Path

from conftest import DRAFTS
from typer.testing import CliRunner

from checker import Index, Policy
from checker.cli import app
from checker.explain import lines, pick

runner = CliRunner()


def test_explain_prints_every_step_of_a_failing_finding(fixture_index: Path) -> None:
    result = runner.invoke(app, ["explain", str(DRAFTS / "pasted-paragraph.md"),
                                 "harbor-times-crab-season.txt", "--index", str(fixture_index)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "fail (reproduction)" in out.splitlines()[0]
    for step in ("measured:", "passage 1:", "licence ", "counted:", "size:", "verdict: fail"):
        assert step in out, (step, out)


def test_explain_without_a_finding_says_so(fixture_index: Path) -> None:
    result = runner.invoke(app, ["explain", str(DRAFTS / "clean-original.md"),
                                 "harbor-times-crab-season.txt", "--index", str(fixture_index)])
    assert result.exit_code == 0 and "no finding about" in result.stdout


def test_explain_refuses_a_directory(fixture_index: Path) -> None:
    result = runner.invoke(app, ["explain", str(DRAFTS), "x", "--index", str(fixture_index)])
    assert result.exit_code == 2 and "one draft file" in result.stderr


def test_the_steps_agree_with_the_verdict(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        report = index.scan([DRAFTS], Policy())
    for fr in report.files:
        for f in fr.findings:
            assert f.steps[-1] == f"verdict: {f.verdict.value} ({f.reason})"
            assert pick(fr, f.source.id) is f
            text = lines(fr, f)
            assert len(text) >= len(f.steps) + len(f.passages) + 3
