"""``checker init``: a starter config and a pre-commit hook for a content repository.

The policy lines of the starter config come from :class:`Policy`'s fields, so
a new setting shows up in new projects' configs with its default.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .errors import UsageError
from .policy import Policy

CONFIG_NAME = "checker.toml"
PRECOMMIT_NAME = ".pre-commit-config.yaml"
#: Where the next steps suggest keeping the licensed articles (excluded from scans).
LICENSED_DIR = "licensed/"

HOOK = """\
  - repo: local
    hooks:
      - id: checker
        name: checker (reproduced licensed text)
        entry: checker scan
        language: system
        types_or: [markdown, text, html]
        files: \\.(md|markdown|mdx|txt|text|rst|adoc|asciidoc|org|html?|xhtml)$
        require_serial: true
"""


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list | frozenset | set):
        return json.dumps(list(value))
    return json.dumps(value)


def starter_config() -> str:
    """The text of a starter ``checker.toml``."""
    policy = Policy()
    lines = [
        "# checker configuration (see the README, \"Configuration\"). Paths are relative to",
        "# this file; command-line flags override these settings.",
        "",
        "# The index of licensed articles: build it with 'checker index add ARTICLES...'.",
        'index = ".checker/index"',
        "",
        "# Drafts to scan (globs; a pattern without '/' matches at any depth). The licensed",
        f"# articles themselves ({LICENSED_DIR}, see the next steps) are excluded, or every one",
        "# would be reported against itself; add their folder here if it has another name.",
        '# include = ["content/**", "docs/**"]',
        f'exclude = ["{LICENSED_DIR}", "node_modules/", "_site/", "public/", "vendor/"]',
        "",
        "# Exit 1 on: \"fail\" (a failing finding), \"warn\" (also warnings) or \"never\".",
        'fail_on = "fail"',
        "",
        "# Accepted findings ('checker baseline create'; checker-baseline.json next to this",
        "# file is used when it exists).",
        '# baseline = "checker-baseline.json"',
        "",
        "# Policy (defaults shown; uncomment to change).",
    ]
    for f in dataclasses.fields(Policy):
        if f.init:
            lines.append(f"# {f.name} = {_toml_value(getattr(policy, f.name))}")
    return "\n".join(lines) + "\n"


def init_project(root: Path, force: bool = False) -> list[str]:
    """Write ``checker.toml`` (and ``.pre-commit-config.yaml`` when there is none) in
    ``root``; return what to tell the user.

    Raises:
        UsageError: ``checker.toml`` exists and ``force`` is not set, or a write failed.
    """
    config = root / CONFIG_NAME
    if config.exists() and not force:
        raise UsageError(f"{config}: already exists; edit it, or run 'checker init --force' "
                         "to overwrite it")
    out: list[str] = []
    precommit = root / PRECOMMIT_NAME
    try:
        config.write_text(starter_config(), encoding="utf-8")
        out.append(f"wrote {config}")
        if not precommit.exists():
            precommit.write_text("repos:\n" + HOOK, encoding="utf-8")
            out.append(f"wrote {precommit} (a local hook running the installed checker)")
        elif "checker" not in precommit.read_text(encoding="utf-8", errors="replace"):
            out += [f"{precommit} exists: add this entry under 'repos:'", "", HOOK.rstrip()]
        else:
            out.append(f"{precommit} already mentions checker: left as it is")
    except OSError as exc:
        raise UsageError(f"{exc.filename}: cannot write ({exc.strerror})") from None
    out += [
        "",
        "Next steps:",
        f"  1. checker index add {LICENSED_DIR:<32}# build the index from the licensed",
        "                                                   # articles (excluded from scans)",
        "  2. checker scan                                  # scan the drafts once",
        "  3. pip install pre-commit && pre-commit install  # scan staged drafts on commit",
        "  4. checker baseline create                       # optional: accept what is there",
    ]
    return out
