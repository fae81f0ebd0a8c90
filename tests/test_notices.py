"""Notices and licences: patterns, holder and years, and what is masked."""

from __future__ import annotations

import pytest

from checker.notices import (
    ALL_RIGHTS_RESERVED,
    PUBLIC_DOMAIN,
    UNKNOWN,
    asserts_rights,
    find_rights,
    license_from_text,
    normalize_license,
    notice_lines,
)

BODY = "The council met on Tuesday and voted to repair the old harbour wall before winter.\n\n"


@pytest.mark.parametrize(("notice", "license_id", "holder", "years"), [
    ("© 2025 The Harbor Times. All rights reserved.", ALL_RIGHTS_RESERVED, "The Harbor Times",
     "2025"),
    ("(c) 2025 Coastline Weekly Inc. All rights reserved.", ALL_RIGHTS_RESERVED,
     "Coastline Weekly Inc", "2025"),
    ("&copy; 2023 Example Media", ALL_RIGHTS_RESERVED, "Example Media", "2023"),
    ("Copyright 2024-2025 Lakeside Ledger Media LLC", ALL_RIGHTS_RESERVED,
     "Lakeside Ledger Media LLC", "2024-2025"),
    ("Copyright (c) 2019, 2021 by Jane Doe", ALL_RIGHTS_RESERVED, "Jane Doe", "2019, 2021"),
    ("© Reuters 2024", ALL_RIGHTS_RESERVED, "Reuters", "2024"),
    ("All rights reserved. Pellmoor Business Daily © 2026. Reproduction prohibited.",
     ALL_RIGHTS_RESERVED, "Pellmoor Business Daily", "2026"),
    ("Harbor Times (c) 2025", ALL_RIGHTS_RESERVED, "Harbor Times", "2025"),
    ("Photos by our staff and © 2025. All rights reserved.", ALL_RIGHTS_RESERVED, "", "2025"),
    ("Photo: Getty Images © 2025. All rights reserved.", ALL_RIGHTS_RESERVED, "", "2025"),
    ("Copyright 1987 Reuters Ltd", ALL_RIGHTS_RESERVED, "Reuters Ltd", "1987"),
    ("Copr. 2024 Example Press", ALL_RIGHTS_RESERVED, "Example Press", "2024"),
    ("All rights reserved.", ALL_RIGHTS_RESERVED, "", ""),
    ("Do not reproduce, republish or redistribute without prior written permission.",
     ALL_RIGHTS_RESERVED, "", ""),
    ("This article may not be copied without permission.", ALL_RIGHTS_RESERVED, "", ""),
    ("No part of this publication may be reproduced without written permission.",
     ALL_RIGHTS_RESERVED, "", ""),
    ("Reprinted with permission from The Bellweather Post.", ALL_RIGHTS_RESERVED,
     "The Bellweather Post", ""),
    ("Used with permission of the Ashby Cross Historical Society.", ALL_RIGHTS_RESERVED,
     "the Ashby Cross Historical Society", ""),
    ("This article is licensed under a Creative Commons Attribution 4.0 International License.",
     "CC-BY-4.0", "", ""),
    ("Licensed under a Creative Commons Attribution-ShareAlike 3.0 licence.", "CC-BY-SA-3.0", "",
     ""),
    ("This work is licensed under Creative Commons Attribution-NonCommercial-ShareAlike 4.0.",
     "CC-BY-NC-SA-4.0", "", ""),
    ("This work is licensed under Creative Commons Attribution-NonCommercial-NoDerivatives 4.0.",
     "CC-BY-NC-ND-4.0", "", ""),
    ("Creative Commons Attribution-NoDerivs 2.0 Generic license", "CC-BY-ND-2.0", "", ""),
    ("Creative Commons Attribution Non Commercial 2.5", "CC-BY-NC-2.5", "", ""),
    ("Published under CC BY-NC 4.0.", "CC-BY-NC-4.0", "", ""),
    ("CC BY-SA 4.0", "CC-BY-SA-4.0", "", ""),
    ("Text licensed CC-BY 3.0", "CC-BY-3.0", "", ""),
    ("https://creativecommons.org/licenses/by-nc-nd/3.0/", "CC-BY-NC-ND-3.0", "", ""),
    ("https://creativecommons.org/licenses/by-sa/2.5/", "CC-BY-SA-2.5", "", ""),
    ("https://creativecommons.org/licenses/by/2.0/", "CC-BY-2.0", "", ""),
    ("This work is dedicated to the public domain under CC0 1.0 Universal.", "CC0-1.0", "", ""),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", "", ""),
    ("This work is in the public domain.", PUBLIC_DOMAIN, "", ""),
    ("Public Domain Mark 1.0: https://creativecommons.org/publicdomain/mark/1.0/", PUBLIC_DOMAIN,
     "", ""),
    ("© 2025 Hillcrest Commons Journal. Licensed under CC BY-SA 4.0.", "CC-BY-SA-4.0",
     "Hillcrest Commons Journal", "2025"),
])
def test_footer_notice(notice: str, license_id: str, holder: str, years: str) -> None:
    text = BODY + notice + "\n"
    r = find_rights(text)
    assert (r.license, r.holder, r.years) == (license_id, holder, years)
    assert r.notice == notice
    assert [text[s:e] for s, e in r.spans] == [notice]


def test_no_notice_is_unknown_and_masks_nothing() -> None:
    r = find_rights(BODY)
    assert r.license == UNKNOWN and r.spans == () and r.notice == ""


def test_byline_notice_is_found_and_masked_whole() -> None:
    byline = ("By Priya Raman | Lakeside Ledger | Copyright 2024-2025 Lakeside Ledger Media LLC. "
              "All rights reserved.")
    text = f"Water bills to rise\n\n{byline}\nPublished January 15, 2025\n\n{BODY}"
    r = find_rights(text)
    assert r.license == ALL_RIGHTS_RESERVED and r.holder == "Lakeside Ledger Media LLC"
    assert [text[s:e] for s, e in r.spans] == [byline]


def test_notice_in_a_prose_paragraph_masks_only_the_notice() -> None:
    para = ("The council voted 6-3 on Tuesday to approve the plan, which residents had opposed "
            "for months. © 2025 The Harbor Times. All rights reserved.")
    r = find_rights(para)
    (span,) = r.spans
    assert para[span[0]:span[1]] == "© 2025 The Harbor Times. All rights reserved."
    assert r.holder == "The Harbor Times"


def test_byline_glued_to_the_first_sentence_does_not_swallow_it() -> None:
    line = ("By Jane Doe © 2025 Example Post PORT ALDER — The council voted on Tuesday to "
            "approve a plan that would rebuild the harbour wall, widen the ferry landing, add "
            "two new floats for the fishing fleet and raise the parking charges on Front Street "
            "by a quarter over the next three years")
    assert find_rights(f"{line}.\n\n{BODY}").spans == ()


@pytest.mark.parametrize("prose", [
    '"All rights reserved," the lawyer said, declining to comment further on the case.',
    "The museum said its photos were reprinted with permission from the family.",
    "We talked about CC BY licences and other topics at the meeting for a long while.",
    "She argued that the public domain should grow faster, according to the minutes.",
    "The author waived all copyright and related rights in the pamphlet, the archive told us.",
])
def test_prose_about_rights_is_not_a_notice(prose: str) -> None:
    r = find_rights(BODY + prose + "\n")
    assert r.spans == () and r.license == UNKNOWN


def test_front_matter_licence_field_is_metadata_not_a_notice() -> None:
    text = "---\ntitle: T\nlicense: CC-BY-4.0\n---\n\n" + BODY
    assert find_rights(text).spans == ()


def test_html_footer_with_navigation() -> None:
    footer = "About us | Contact | Terms of use © 2025 The Riverside Standard. All rights reserved."
    r = find_rights(footer)
    assert r.license == ALL_RIGHTS_RESERVED and r.holder == "The Riverside Standard"


def test_licence_grant_wins_over_a_copyright_line() -> None:
    text = BODY + "© 2025 Open Wire.\nThis story is licensed under CC BY 4.0.\n"
    r = find_rights(text)
    assert r.license == "CC-BY-4.0" and r.holder == "Open Wire" and len(r.spans) == 2


def test_notice_lines_and_asserts_rights() -> None:
    text = BODY + "© 2025 X Times. All rights reserved.\nSource: Open Wire, CC BY 4.0\n"
    lines = notice_lines(text)
    assert lines[0][2] == "© 2025 X Times. All rights reserved."
    assert asserts_rights(lines[0][2])
    assert not asserts_rights("Source: Open Wire, CC BY 4.0")


@pytest.mark.parametrize(("given", "expected"), [
    ("cc-by-4.0", "CC-BY-4.0"), ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"), ("cc0", "CC0-1.0"),
    ("all-rights-reserved", ALL_RIGHTS_RESERVED), ("public-domain", PUBLIC_DOMAIN),
    ("https://creativecommons.org/licenses/by-nd/4.0/", "CC-BY-ND-4.0"), ("MIT", "MIT"),
    ("licenseref-unknown", UNKNOWN), ("", None), ("not a licence!", None),
])
def test_normalize_license(given: str, expected: str | None) -> None:
    assert normalize_license(given) == expected


def test_license_from_text_none_for_plain_text() -> None:
    assert license_from_text("nothing to see here") is None


@pytest.mark.shared
def test_reuters_bodies_state_no_licence_and_the_archive_notice_is_read() -> None:
    from benchmarks import datasets as ds

    if not ds.reuters_available():
        pytest.skip("Reuters-21578 is not in ../shared")
    articles = ds.load_reuters(limit=500)
    assert {find_rights(a.text).license for a in articles} == {UNKNOWN}
    for a in articles[:50]:
        r = find_rights(ds.with_notice(a))
        assert (r.license, r.holder, r.years) == (ALL_RIGHTS_RESERVED, "Reuters Ltd", "1987")
