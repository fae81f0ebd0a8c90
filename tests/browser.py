"""Headless Debian Chromium for the HTML report's tests, driven by Playwright.

The browser is the system's ``/usr/bin/chromium`` (``.ci/run`` installs it when
missing); Playwright never downloads one. axe-core comes from the npm registry
(``npm pack axe-core``) into a cache directory, never into the repository.
Tests skip with the reason when either cannot be had.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-default-apps", "--disable-dev-shm-usage"]
AXE_VERSION = "4.14.1"
AXE_DIR = Path(os.environ.get("CHECKER_AXE_DIR")
               or Path.home() / ".cache" / "checker-tests" / f"axe-core-{AXE_VERSION}")


def launch() -> Iterator[Any]:
    """A Chromium browser (Playwright ``Browser``), closed after use; skips without one."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_source() -> str:
    """axe.min.js of axe-core ``AXE_VERSION``, fetched with ``npm pack`` once into
    ``AXE_DIR``; skips when npm or the registry cannot be reached."""
    script = AXE_DIR / "package" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is missing: cannot fetch axe-core for the accessibility check")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"],
                              cwd=AXE_DIR, capture_output=True, text=True, timeout=300,
                              check=False)
        tgz = AXE_DIR / f"axe-core-{AXE_VERSION}.tgz"
        if done.returncode or not tgz.exists():
            pytest.skip(f"npm pack axe-core@{AXE_VERSION} failed: {done.stderr.strip()[:200]}")
        with tarfile.open(tgz) as tar:
            tar.extract("package/axe.min.js", AXE_DIR, filter="data")
    return script.read_text(encoding="utf-8")


class PageLog:
    """What a page did besides showing the file: requests, console messages, errors."""

    def __init__(self, page: Any, url: str) -> None:
        self.url = url
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        # Anything but the report itself is refused (and recorded above).
        page.route("**/*", lambda route: route.continue_() if route.request.url == url
                   else route.abort())

    def assert_clean(self) -> None:
        """Only the report was requested; no console error, page error or dialog."""
        assert self.requests and set(self.requests) == {self.url}, self.requests
        assert not [c for c in self.console if c[0] in ("error", "warning")], self.console
        assert not self.errors and not self.dialogs, (self.errors, self.dialogs)


def open_report(browser: Any, path: Path, width: int = 1280, height: int = 900,
                bypass_csp: bool = False) -> tuple[Any, PageLog]:
    """A new page showing the report at ``path``, and its log.

    ``bypass_csp`` lets a test inject a script (axe-core) that the page's own
    Content-Security-Policy would refuse."""
    page = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
    url = path.resolve().as_uri()
    log = PageLog(page, url)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, log
