"""``python -m checker.spark index add ... --engine spark``: the checker command line."""

from __future__ import annotations

from checker.cli import main

main()
