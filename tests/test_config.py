"""Tests for checker.config: finding, reading and validating the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import Config, config_from_mapping, find_config, glob_match, load_config
from checker.errors import ConfigError
from checker.policy import Policy


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_by_walking_up(tmp_path: Path) -> None:
    cfg = write(tmp_path / "checker.toml", 'index = "idx"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == cfg


def test_file_order_in_one_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.checker]\nfail_on = 'warn'\n")
    hidden = write(tmp_path / ".checker.toml", "fail_on = 'never'\n")
    assert find_config(tmp_path) == hidden
    plain = write(tmp_path / "checker.toml", "")
    assert find_config(tmp_path) == plain


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / "checker.toml", "")
    write(tmp_path / "site" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "site") == outer


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml",
                 "[tool.checker]\nindex = 'build/idx'\nfail-on = 'warn'\n")
    config = load_config(path)
    assert config.fail_on == "warn"
    assert config.index == tmp_path.resolve() / "build" / "idx"


def test_paths_are_relative_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "checker.toml", 'index = "data/index"\nbaseline = "b.json"\n')
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    monkeypatch.delenv("CHECKER_INDEX", raising=False)
    config = load_config()
    assert config.index == tmp_path.resolve() / "data" / "index"
    assert config.baseline == tmp_path.resolve() / "b.json"
    assert config.index_path() == config.index
    assert config.index_path(Path("flag")) == Path("flag")
    monkeypatch.setenv("CHECKER_INDEX", "/elsewhere")
    assert config.index_path() is None  # the library default reads $CHECKER_INDEX


def test_default_index_is_next_to_the_file(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHECKER_INDEX", raising=False)
    config = load_config(write(tmp_path / "checker.toml", ""))
    assert config.index_path() == tmp_path.resolve() / ".checker" / "index"
    assert Config().index_path() is None


def test_no_file_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(search=False)
    assert config.path is None and config.fail_on == "fail"
    assert config.make_policy() == Policy()


def test_policy_keys_follow_the_dataclass() -> None:
    config = config_from_mapping({"fail_total_words": 60, "fail-passage-words": 30,
                                  "allowlist": ["Meridian Wire"], "commercial": True,
                                  "quote_max_words": 20})
    policy = config.make_policy()
    assert policy.fail_total_words == 60 and policy.fail_passage_words == 30
    assert policy.allowlist == ("Meridian Wire",)
    assert policy.commercial is True and policy.quote_max_words == 20


def test_flags_override_the_file() -> None:
    config = config_from_mapping({"fail_total_words": 60})
    assert config.make_policy(fail_total_words=45).fail_total_words == 45


def test_unknown_keys_warn() -> None:
    config = config_from_mapping({"fail_totl_words": 3}, Path("checker.toml"))
    assert len(config.warnings) == 1
    assert "fail_totl_words" in config.warnings[0] and "checker.toml" in config.warnings[0]


@pytest.mark.parametrize(("data", "named"), [
    ({"fail_on": "sometimes"}, ["fail_on", "fail, warn, never"]),
    ({"fail_total_words": "many"}, ["fail_total_words", "whole number"]),
    ({"fail_total_words": 0}, ["fail_total_words", "at least 1"]),
    ({"commercial": "yes"}, ["commercial", "true or false"]),
    ({"allowlist": [1, 2]}, ["allowlist", "list of strings"]),
    ({"include": "**/*.md", "exclude": [3]}, ["exclude", "glob"]),
    ({"index": ""}, ["index", "path"]),
])
def test_invalid_values_name_the_key(data: dict[str, object], named: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        config_from_mapping(data, Path("site/checker.toml"))
    message = str(err.value)
    assert "site/checker.toml" in message
    for part in named:
        assert part in message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "checker.toml", "index = \n")
    with pytest.raises(ConfigError, match=r"checker\.toml: invalid TOML"):
        load_config(path)


def test_missing_named_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(("path", "pattern", "matches"), [
    ("posts/a.md", "*.md", True),
    ("posts/deep/a.md", "*.md", True),
    ("posts/a.md", "posts/*.md", True),
    ("posts/deep/a.md", "posts/*.md", False),
    ("posts/deep/a.md", "posts/**/*.md", True),
    ("posts/a.md", "posts/**/*.md", True),
    ("node_modules/x/readme.md", "node_modules/", True),
    ("src/node_modules/x.md", "node_modules", True),
    ("drafts/a.md", "posts/", False),
    ("a.html", "*.md", False),
])
def test_globs(path: str, pattern: str, matches: bool) -> None:
    assert glob_match(path, pattern) is matches


def test_selects(tmp_path: Path) -> None:
    config = Config(path=tmp_path / "checker.toml", root=tmp_path, include=("content/**",),
                    exclude=("content/archive/",))
    assert config.selects(tmp_path / "content" / "a.md")
    assert not config.selects(tmp_path / "content" / "archive" / "a.md")
    assert not config.selects(tmp_path / "README.md")


def test_the_readme_example_is_valid() -> None:
    import tomllib

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config = config_from_mapping(tomllib.loads(example), Path("checker.toml"))
    assert config.warnings == ()
    assert config.make_policy().allowlist == ("Meridian Wire",)
