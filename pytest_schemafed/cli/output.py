"""What every ``schemafed`` subcommand shares: exit codes, error lines, tables, JSON, a progress bar.

Closed pipes (``schemafed subjects prod | head -1``): Python ignores ``SIGPIPE`` and
raises :class:`BrokenPipeError` on the next write instead. That is the behaviour we keep
(the Python documentation advises against ``SIG_DFL``: any socket write would then kill
the process). :class:`PipeGuard` wraps stdout and stderr: the first write the reader
refused points the file descriptor at ``os.devnull`` (so the interpreter's final flush
cannot fail either) and drops every later write. The command runs to its end and exits
with its own code: a listing exits 0, a verdict keeps its code, since a reader that stops
after one line does not make a schema compatible.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

from ..report.github import escape_data

__all__ = ["INCOMPATIBLE", "OK", "UNREACHABLE", "USAGE", "PipeGuard", "Progress", "emit_json", "fail", "in_ci",
           "table_lines"]

OK = 0
INCOMPATIBLE = 1
USAGE = 2
UNREACHABLE = 3


def in_ci(environ: dict[str, str] | None = None) -> bool:
    """True in a CI job (``CI`` or ``GITHUB_ACTIONS`` set): no progress bar there."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").lower() in ("1", "true", "yes") or env.get("GITHUB_ACTIONS") == "true"


class PipeGuard:
    """A text stream that turns a reader closing the pipe into silence (see the module docstring)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.cut = False

    def _closed_by_reader(self) -> None:
        self.cut = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # not a real file descriptor (captured in tests)
            pass

    def write(self, text: str) -> int:
        """Write ``text``; nothing once the reader has gone."""
        if self.cut:
            return len(text)
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._closed_by_reader()
            return len(text)

    def flush(self) -> None:
        """Flush; a reader that has gone is not an error."""
        if self.cut:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._closed_by_reader()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_streams() -> tuple[PipeGuard, PipeGuard]:
    """Wrap ``sys.stdout`` and ``sys.stderr`` in :class:`PipeGuard` (idempotent)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, PipeGuard):
            setattr(sys, name, PipeGuard(stream))
    return sys.stdout, sys.stderr  # type: ignore[return-value]


def fail(message: str, code: int, *, stream: TextIO | None = None, as_json: bool = False) -> int:
    """Print ``schemafed: error: <message>`` (and a GitHub ``::error`` in Actions); return ``code``.

    With ``as_json`` stdout also gets ``{"error": {"message": ..., "exit_code": ...}}``, so
    that a ``--json`` reader always has a document to parse.
    """
    out = stream or sys.stderr
    print(f"schemafed: error: {message}", file=out, flush=True)
    if as_json:
        emit_json({"error": {"message": message, "exit_code": code}})
    elif os.environ.get("GITHUB_ACTIONS") == "true":
        print(f"::error title=schemafed::{escape_data(message)}", flush=True)
    return code


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (``--json``)."""
    print(json.dumps(document, indent=2, ensure_ascii=False), flush=True)


def terminal_width() -> int | None:
    """``COLUMNS``, else the terminal's width when stdout is one; ``None`` (no wrapping) for a
    file or a pipe, so that each row stays one line for ``grep``."""
    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return None


def table_lines(rows: Sequence[Sequence[object]], width: int | None = None) -> list[str]:
    """Rows as aligned columns within ``width`` (default :func:`terminal_width`): long cells wrap.

    The widest columns give up room first, never below 12 characters (or their header);
    their cells continue on the next lines, in the same column.
    """
    if not rows:
        return []
    width = width or terminal_width() or 1 << 30
    cells = [[str(cell) for cell in row] for row in rows]
    count = len(cells[0])
    widths = [max(len(row[i]) for row in cells) for i in range(count)]
    floor = [max(len(cells[0][i]), 12) if widths[i] > 12 else widths[i] for i in range(count)]
    gaps = 2 * (count - 1)
    while sum(widths) + gaps > width:
        widest = max(range(count), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break  # cannot shrink further: the terminal is narrower than the headers
        widths[widest] -= 1
    lines: list[str] = []
    for row in cells:
        wrapped = [textwrap.wrap(cell, widths[i], break_long_words=True, break_on_hyphens=False) or [""]
                   for i, cell in enumerate(row)]
        for n in range(max(len(w) for w in wrapped)):
            parts = [(w[n] if n < len(w) else "").ljust(widths[i]) for i, w in enumerate(wrapped)]
            lines.append("  ".join(parts).rstrip())
    return lines


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
