"""checker.licenses: licence ids checked against the SPDX licence list."""

from __future__ import annotations

import pytest

from checker.errors import UsageError
from checker.licenses import license_id, spdx_id, suggest
from checker.notices import ALL_RIGHTS_RESERVED, PUBLIC_DOMAIN, UNKNOWN, normalize_license


@pytest.mark.parametrize(("given", "expected"), [
    ("CC-BY-4.0", "CC-BY-4.0"), ("cc-by-4.0", "CC-BY-4.0"), ("CC BY 4.0", "CC-BY-4.0"),
    ("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"), ("cc0", "CC0-1.0"),
    ("mit", "MIT"), ("apache-2.0", "Apache-2.0"), ("all-rights-reserved", ALL_RIGHTS_RESERVED),
    ("public-domain", PUBLIC_DOMAIN), ("LicenseRef-Unknown", UNKNOWN),
])
def test_known_spellings_accepted(given: str, expected: str) -> None:
    assert license_id(given) == expected


@pytest.mark.parametrize(("given", "hint"), [
    ("CC-BY4.0", "CC-BY-4.0"), ("ccby-sa4.0", "CC-BY-SA-4.0"), ("Apache2.0", "Apache-2.0"),
    ("Made-Up-1.0", None), ("LicenseRef-Mine", None),
])
def test_unknown_ids_refused_with_a_suggestion(given: str, hint: str | None) -> None:
    with pytest.raises(UsageError, match="is not a known licence id") as exc:
        license_id(given)
    if hint:
        assert f"did you mean '{hint}'" in str(exc.value)
    assert "all-rights-reserved" in str(exc.value)


def test_metadata_typos_are_no_licence() -> None:
    # An article's "license: CC-BY4.0" is not stored as a new licence nobody knows.
    assert normalize_license("CC-BY4.0") is None
    assert normalize_license("gpl-3.0-or-later") == "GPL-3.0-or-later"
    assert spdx_id("cc-by-nd-4.0") == "CC-BY-ND-4.0" and spdx_id("nope") is None
    assert suggest("GPL3.0-only") == "GPL-3.0-only" and suggest("qqqq") is None
