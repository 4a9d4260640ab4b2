"""What every ``schemafed`` subcommand shares: exit codes, error lines, a progress bar."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from ..report.github import escape_data

__all__ = ["INCOMPATIBLE", "OK", "UNREACHABLE", "USAGE", "Progress", "fail", "in_ci"]

OK = 0
INCOMPATIBLE = 1
USAGE = 2
UNREACHABLE = 3


def in_ci(environ: dict[str, str] | None = None) -> bool:
    """True in a CI job (``CI`` or ``GITHUB_ACTIONS`` set): no progress bar there."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").lower() in ("1", "true", "yes") or env.get("GITHUB_ACTIONS") == "true"


def fail(message: str, code: int, *, stream: TextIO | None = None) -> int:
    """Print ``schemafed: error: <message>`` (and a GitHub ``::error`` in Actions); return ``code``."""
    out = stream or sys.stderr
    print(f"schemafed: error: {message}", file=out, flush=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(f"::error title=schemafed::{escape_data(message)}", flush=True)
    return code


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal and never in CI logs."""

    def __init__(self, total: int, label: str, *, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        self.enabled = total > 1 and self.stream.isatty() and not in_ci()

    def step(self, note: str = "") -> None:
        """Count one unit of work done and redraw."""
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {note[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar."""
        if self.enabled:
            self.stream.write("\r" + " " * (len(self.label) + 85) + "\r")
            self.stream.flush()
