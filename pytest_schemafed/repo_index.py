"""What no single schema file names: the ``$id`` of every local JSON file, and whether any ``.proto`` exists.

Both come from one bounded walk of a folder (the repository, or a ref root), done
only when something asks: a ``$ref`` written as a URL looks for the local file whose
top-level ``$id`` is that URL; the run's header asks whether Protobuf files exist
before it names their import roots.

The walk skips what pytest skips by default (folders starting with ``.``,
``node_modules``, ``venv``, ``build``, ``dist``, ``__pycache__``, ``*.egg``), follows
no symlinked folder, visits at most :data:`MAX_ENTRIES` entries and reads no JSON
file above :data:`MAX_JSON_BYTES`. Answers are kept for the process; :func:`forget`
drops them (each gate does, so a run never sees the files of an earlier one).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["MAX_ENTRIES", "MAX_JSON_BYTES", "IdIndex", "files", "forget", "has_file", "id_index", "remember"]

MAX_ENTRIES = 200_000
MAX_JSON_BYTES = 8 * 1024 * 1024
SKIP_DIRS = frozenset(("node_modules", "venv", "build", "dist", "__pycache__", "_darcs", "CVS", "{arch}"))
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_lock = threading.Lock()
_indexes: dict[tuple[str, ...], IdIndex] = {}
_has: dict[tuple[str, str], bool] = {}
_remembered: dict[tuple[str, Hashable], Any] = {}
T = TypeVar("T")


def forget() -> None:
    """Drop every answer kept (the next question walks, or reads, again)."""
    with _lock:
        _indexes.clear()
        _has.clear()
        _remembered.clear()


def remember(namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept under ``(namespace, key)`` until :func:`forget` (an exception is kept too)."""
    slot = (namespace, key)
    with _lock:
        hit = _remembered.get(slot, _remembered)
    if hit is _remembered:
        try:
            hit = ("ok", compute())
        except Exception as exc:  # the same question gets the same error, without asking again
            hit = ("error", exc)
        with _lock:
            _remembered[slot] = hit
    kind, value = hit
    if kind == "error":
        raise value
    return value


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg")


def _files(root: Path, suffix: str) -> Iterator[Path]:
    """Files under ``root`` whose name ends with ``suffix``, bounded, without symlinked folders."""
    visited = 0
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            visited += 1
            if visited > MAX_ENTRIES:
                return
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not _skipped(entry.name):
                        stack.append(entry.path)
                elif entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False):
                    yield Path(entry.path)
            except OSError:
                continue


def files(root: Path, suffix: str) -> Iterator[Path]:
    """Files under ``root`` ending with ``suffix``, in a stable order (see the module for what is skipped)."""
    return _files(root, suffix)


def has_file(root: Path, suffix: str) -> bool:
    """True when some file under ``root`` ends with ``suffix`` (the walk stops at the first)."""
    key = (str(root), suffix)
    with _lock:
        known = _has.get(key)
    if known is None:
        known = next(_files(root, suffix), None) is not None
        with _lock:
            _has[key] = known
    return known


def _top_level_id(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if '"$id"' not in text and '"id"' not in text:
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    for key in ("$id", "id"):
        value = document.get(key)
        if isinstance(value, str) and _SCHEME.match(value):
            return value
    return None


class IdIndex:
    """Top-level ``$id`` (or draft-04 ``id``) URL -> the local files that declare it."""

    def __init__(self, roots: Sequence[Path]) -> None:
        from .formats.jsonschema.metaschemas import normalize_uri

        self.roots = tuple(roots)
        self._normalize = normalize_uri
        self.files: dict[str, list[Path]] = {}
        for root in self.roots:
            for path in _files(root, ".json"):
                found = _top_level_id(path)
                if found is not None:
                    self.files.setdefault(normalize_uri(found), []).append(path)

    def lookup(self, uri: str) -> list[Path]:
        """The files whose ``$id`` is ``uri`` (fragment ignored): none, one, or several (ambiguous)."""
        return self.files.get(self._normalize(uri.split("#", 1)[0]), [])


def _outermost(roots: Sequence[Path]) -> list[Path]:
    """``roots`` without those inside another one (each folder is walked once)."""
    unique = sorted({Path(os.path.abspath(r)) for r in roots}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for root in unique:
        if not any(root == k or root.is_relative_to(k) for k in kept):
            kept.append(root)
    return kept


def id_index(roots: Sequence[Path]) -> IdIndex:
    """The ``$id`` index of the JSON files under ``roots``, built once per set of roots."""
    outer = _outermost(roots)
    key = tuple(str(r) for r in outer)
    with _lock:
        found = _indexes.get(key)
    if found is None:
        found = IdIndex(outer)
        with _lock:
            found = _indexes.setdefault(key, found)
    return found
