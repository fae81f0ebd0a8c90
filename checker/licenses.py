"""Licence ids checked against the SPDX licence list (the ``license-expression`` package).

A licence given by the user (``--license``) or by an article's metadata becomes an SPDX
id in its canonical spelling (``cc-by-4.0`` is ``CC-BY-4.0``), one of the project's own
ids (``LicenseRef-All-Rights-Reserved``, ...), or nothing: a typo such as ``CC-BY4.0``
must not be stored as a licence nobody knows (it would turn a credited CC BY reuse into
a failing reproduction). For the user, :func:`license_id` refuses it with a suggestion.
"""

from __future__ import annotations

import difflib
import functools
import re

from .errors import UsageError


@functools.cache
def _spdx_ids() -> dict[str, str]:
    """Lower-case id -> canonical SPDX licence id (licences only, not exceptions or
    scancode's own ``LicenseRef-scancode-*`` keys)."""
    from license_expression import get_spdx_licensing

    ids: dict[str, str] = {}
    for key, symbol in get_spdx_licensing().known_symbols.items():
        if getattr(symbol, "is_exception", False) or key.startswith("LicenseRef-"):
            continue
        ids[key.lower()] = key
    return ids


def spdx_id(value: str) -> str | None:
    """The canonical SPDX id for ``value`` in any case (``mit`` is ``MIT``), or None."""
    return _spdx_ids().get(value.strip().lower())


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def suggest(value: str, extra: tuple[str, ...] = ()) -> str | None:
    """The known id closest to ``value``: one spelled the same but for case and
    punctuation (``CC-BY4.0`` -> ``CC-BY-4.0``), else the closest by edit distance."""
    ids = {**_spdx_ids(), **{e.lower(): e for e in extra}}
    squashed = _squash(value)
    same = sorted(v for v in ids.values() if _squash(v) == squashed)
    if same:
        return same[0]
    close = difflib.get_close_matches(value.lower(), list(ids), n=1, cutoff=0.75)
    return ids[close[0]] if close else None


def license_id(value: str) -> str:
    """Check a licence given on the command line: an SPDX id, a Creative Commons name or
    URL, ``all-rights-reserved``, ``public-domain`` or one of the project's
    ``LicenseRef-*`` ids; returned in canonical form.

    Raises:
        UsageError: anything else, with the closest known id as a suggestion.
    """
    from .notices import ALL_RIGHTS_RESERVED, PUBLIC_DOMAIN, UNKNOWN, normalize_license

    own = (ALL_RIGHTS_RESERVED, PUBLIC_DOMAIN, UNKNOWN)
    found = normalize_license(value)
    if found is not None and (found in own or spdx_id(found) == found):
        return found
    hint = suggest(value, ("all-rights-reserved", "public-domain", *own))
    raise UsageError(f"--license {value!r} is not a known licence id"
                     + (f" (did you mean {hint!r}?)" if hint else "")
                     + "; use an SPDX id (CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ... see "
                     "https://spdx.org/licenses/) or all-rights-reserved")
