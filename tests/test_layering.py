"""The core is a library: importing it (and scanning) loads neither typer nor rich."""

from __future__ import annotations

import subprocess
import sys

CORE = ("checker", "checker.index", "checker.scan", "checker.report", "checker.render.json",
        "checker.render.sarif", "checker.render.github", "checker.config", "checker.gate",
        "checker.baseline", "checker.markers", "checker.ingest", "checker.store.sqlite")


def test_core_modules_import_neither_typer_nor_rich() -> None:
    code = ("import importlib, sys\n"
            f"for name in {CORE!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_cli_does_load_typer() -> None:
    # The check above would pass vacuously if the probe could not see typer at all.
    code = "import sys, checker.cli; print('typer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "True"
