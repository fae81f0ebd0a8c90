"""Project configuration: ``checker.toml``, ``.checker.toml`` or ``[tool.checker]``.

The file is found by walking up from the current directory (the first
directory holding ``checker.toml``, ``.checker.toml`` or a ``pyproject.toml``
with a ``[tool.checker]`` table wins, in that order), or named with
``--config``. Paths in it (``index``, ``baseline``) are relative to the file's
directory, so a hook run from anywhere in the repository finds the same index.

Keys: ``index``, ``baseline``, ``include``, ``exclude``, ``fail_on`` and every
field of :class:`checker.policy.Policy` (thresholds, quotation limits,
allowlisted publishers, ...): the policy keys are read from the dataclass's
fields, so a new policy field is configurable without touching this module.
Dashes and underscores are interchangeable in keys (``fail-on`` = ``fail_on``).
Unknown keys are warnings; invalid values raise :class:`ConfigError` naming the
key and the allowed values. Flags override the file.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ConfigError
from .policy import Policy
from .store.location import is_server

CONFIG_NAMES = ("checker.toml", ".checker.toml", "pyproject.toml")
FAIL_ON = ("fail", "warn", "never")
_OWN_KEYS = ("index", "baseline", "include", "exclude", "fail_on")


@dataclass(frozen=True)
class Config:
    """Validated settings; ``path`` is the file they came from (None: defaults).

    Attributes:
        root: the directory relative paths and globs are resolved against
            (the config file's directory, else the current directory).
        index: the index directory, or None for the default.
        baseline: the baseline file scans use, or None.
        include: globs a draft must match to be scanned (empty: every draft).
        exclude: globs of drafts never scanned, even when named.
        fail_on: ``fail`` (exit 1 on a failing finding), ``warn`` (also on a
            warning) or ``never``.
        policy: keyword arguments for :class:`Policy` set by the file.
        warnings: unknown keys and other things worth telling.
    """

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    index: Path | str | None = None
    baseline: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str = "fail"
    policy: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"{self._where('fail_on')}: {self.fail_on!r} is not one of: "
                              f"{', '.join(FAIL_ON)}")

    def _where(self, key: str) -> str:
        return f"{self.path}: {key}" if self.path else key

    def index_path(self, flag: str | Path | None = None) -> Path | str | None:
        """``--index``, else ``$CHECKER_INDEX``, else the file's ``index``, else
        ``.checker/index`` next to the file; None: the library default (here).
        A server (``postgresql://...`` or a libpq connection string) stays a string."""
        if flag is not None:
            return flag if is_server(str(flag)) else Path(flag)
        if os.environ.get("CHECKER_INDEX"):
            return None
        if self.index is not None:
            return self.index
        return self.root / ".checker" / "index" if self.path is not None else None

    def make_policy(self, **overrides: Any) -> Policy:
        """The :class:`Policy` of this file, with ``overrides`` (from flags) on top."""
        kwargs = {**self.policy, **overrides}
        try:
            return Policy(**kwargs)
        except ConfigError as exc:
            where = f"{self.path}: " if self.path and self.policy else ""
            raise ConfigError(f"{where}{exc}") from None

    def excludes(self, path: Path) -> bool:
        """Whether an exclude glob matches the directory ``path`` or all below it
        (``dir/``, ``dir/**``: a glob matching the literal ``dir/**``)."""
        rel = _relative(path, self.root) if self.exclude else ""
        return any(glob_match(rel, g) or glob_match(rel + "/**", g) for g in self.exclude)

    def selects(self, path: Path) -> bool:
        """Whether a draft at ``path`` passes the include and exclude globs."""
        if not self.include and not self.exclude:
            return True
        rel = _relative(path, self.root)
        if any(glob_match(rel, g) for g in self.exclude):
            return False
        return not self.include or any(glob_match(rel, g) for g in self.include)


def _relative(path: Path, root: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        # The folder is resolved, not the file: a file that is a looping or dangling
        # symlink is still matched by its own name (its reader reports it).
        resolved = absolute.parent.resolve() / absolute.name
        return resolved.relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (3.11)
        return absolute.as_posix()


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    # gitignore-like: a pattern without "/" matches a name at any depth; "**" spans
    # directories; a trailing "/" means everything below.
    pat = pattern.strip()
    if pat.endswith("/"):
        pat += "**"
    if "/" not in pat:
        pat = "**/" + pat
    pat = pat.removeprefix("./").lstrip("/")
    out, i = [], 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    # A pattern naming a directory also selects what is inside it.
    return re.compile("".join(out) + "(?:/.*)?")


def glob_match(rel_path: str, pattern: str) -> bool:
    """Whether a ``/``-separated relative path matches a glob (see :func:`_glob_regex`)."""
    return _glob_regex(pattern).fullmatch(str(PurePosixPath(rel_path))) is not None


# -- finding and reading ---------------------------------------------------------


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from ``start`` (default: the current directory) upwards."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # not ours to complain about unless it is named explicitly
    return isinstance(data.get("tool"), dict) and "checker" in data["tool"]


def load_config(path: Path | None = None, *, search: bool = True) -> Config:
    """Read ``path``, else the file :func:`find_config` finds, else defaults.

    Raises:
        ConfigError: unreadable or invalid TOML, or an invalid value.
    """
    if path is None and search:
        path = find_config()
    if path is None:
        return Config()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file; check --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the file") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("checker", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.checker] must be a table")
    return config_from_mapping(data, path)


def config_from_mapping(data: Mapping[str, Any], path: Path | None = None) -> Config:
    """Validate a parsed table into a :class:`Config` (``path`` names it in errors)."""
    root = path.resolve().parent if path is not None else Path.cwd()
    where = f"{path}: " if path is not None else ""
    policy_fields = {f.name: f for f in dataclasses.fields(Policy) if f.init}
    own: dict[str, Any] = {}
    policy: dict[str, Any] = {}
    warnings: list[str] = []
    for raw_key, value in data.items():
        key = raw_key.replace("-", "_")
        if key in _OWN_KEYS:
            own[key] = value
        elif key in policy_fields:
            policy[key] = _coerce(where, raw_key, value, policy_fields[key])
        else:
            known = ", ".join(sorted((*_OWN_KEYS, *policy_fields)))
            warnings.append(f"{where}unknown key {raw_key!r} ignored (known keys: {known})")

    def path_value(key: str) -> Path | None:
        if key not in own:
            return None
        value = own[key]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}{key} must be a path (a non-empty string), got {value!r}")
        p = Path(value).expanduser()
        return p if p.is_absolute() else root / p

    def index_value() -> Path | str | None:
        # A server is not a path: never resolved against the file's directory.
        value = own.get("index")
        return value if isinstance(value, str) and is_server(value) else path_value("index")

    fail_on = own.get("fail_on", "fail")
    if not isinstance(fail_on, str) or fail_on not in FAIL_ON:
        raise ConfigError(f"{where}fail_on = {fail_on!r} is not allowed; use one of: "
                          f"{', '.join(FAIL_ON)}")
    config = Config(path=path, root=root, index=index_value(),
                    baseline=path_value("baseline"),
                    include=_globs(where, "include", own.get("include", [])),
                    exclude=_globs(where, "exclude", own.get("exclude", [])),
                    fail_on=fail_on, policy=policy, warnings=tuple(warnings))
    config.make_policy()  # invalid thresholds fail now, naming the file
    return config


def _globs(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}{key} must be a list of glob strings, got {value!r}")
    return tuple(value)


def _coerce(where: str, key: str, value: Any, fld: dataclasses.Field[Any]) -> Any:
    """Check a policy value against the kind of the field's default."""
    if fld.default is not dataclasses.MISSING:
        default = fld.default
    elif fld.default_factory is not dataclasses.MISSING:
        default = fld.default_factory()
    else:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}{key} = {value!r} is not allowed; use true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}{key} = {value!r} is not allowed; use a whole number")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}{key} = {value!r} is not allowed; use a number")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where}{key} = {value!r} is not allowed; use a string")
        return value
    if isinstance(default, tuple | list | frozenset | set):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}{key} = {value!r} is not allowed; use a list of strings")
        return type(default)(value) if not isinstance(default, list) else tuple(value)
    return value
