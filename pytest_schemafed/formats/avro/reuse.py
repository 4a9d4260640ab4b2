"""Reuse record fields already parsed and validated in this process.

The versions of one schema share most of their text: the local file and each
registered version differ by a few fields. A field whose type is an object or a
union is remembered (after its whole text parsed without error) under the
full name of its record and its own name, with its decoded JSON. A later field with
the same key whose JSON is equal reuses the parsed type: parsing skips it and the
comparison sees the very same nodes (compatible at once).

Only self-contained fields are remembered: every name the field's type uses is
defined inside it and was found under its first candidate name, so no definition
elsewhere can change what it means; the named types it defines are added to the
new text's names (a clash falls back to a normal parse, which reports it). Python's
``==`` takes ``1 == 1.0 == true``; where that could change the result (a default
that is not a string or null, a fixed ``size``), the field's exact JSON encoding
must match too.

The table is the process's by default (the gate parses a batch of versions with it).
Inside :func:`scope` the parses of the current context share a fresh table, dropped at
the end: :func:`~pytest_schemafed.check_compatibility` runs each call in one, so that
the new schema and its versions share their fields but nothing outlives the call (a
table that grows across calls keeps parsed nodes alive, which the caller's garbage
collector then rescans).
"""

from __future__ import annotations

import json
from contextvars import ContextVar, Token
from typing import Any

from .model import Named, Node

try:
    from orjson import dumps as _dumps
except ImportError:  # pragma: no cover - orjson is a dependency; json is the fallback
    _dumps = None  # type: ignore[assignment]

__all__ = ["ENTRIES", "Entry", "Table", "clear", "find", "remember", "scope", "strict", "table"]

_MAX_KEYS = 2_048
_MAX_PER_KEY = 4


class Entry:
    """A parsed, validated field: everything but its position in the record.

    ``exact`` is the field's exact JSON encoding when a number type inside matters
    (``numeric`` counts those values), else ``None``; ``names`` and ``nodes`` are the
    named types the field defines, in order; ``height`` is how many levels of types its
    type nests (a reuse still counts towards the parser's depth limit).
    """

    __slots__ = ("aliases", "default", "exact", "has_default", "height", "names", "nodes", "numeric", "raw", "type")

    def __init__(
        self,
        raw: dict[str, Any],
        exact: bytes | None,
        numeric: int,
        type_: Node,
        has_default: bool,
        default: Any,
        aliases: tuple[str, ...],
        names: tuple[str, ...],
        nodes: tuple[Named, ...],
    ) -> None:
        self.raw = raw
        self.exact = exact
        self.numeric = numeric
        self.type = type_
        self.has_default = has_default
        self.default = default
        self.aliases = aliases
        self.names = names
        self.nodes = nodes
        self.height = 0


Table = dict[tuple[str, str], list[Entry]]

#: the process's table: (record full name, field name) -> remembered fields, the latest first
ENTRIES: Table = {}

_CURRENT: ContextVar[Table] = ContextVar("schemafed_avro_reuse", default=ENTRIES)


def table() -> Table:
    """The table the parses of the current context use: the process's, or :func:`scope`'s."""
    return _CURRENT.get()


class scope:  # a class, not a generator: entered once per public call
    """Parses in this block (in this context) share a fresh table, forgotten at its end."""

    __slots__ = ("_token",)
    _token: Token[Table]

    def __enter__(self) -> Table:
        fresh: Table = {}
        self._token = _CURRENT.set(fresh)
        return fresh

    def __exit__(self, *exc: object) -> None:
        _CURRENT.reset(self._token)


def clear() -> None:
    """Forget every remembered field of the current table (for cold-cache measurements and tests)."""
    table().clear()


def strict(raw: Any) -> bytes | None:
    """The exact JSON encoding of ``raw`` (``1``, ``1.0`` and ``true`` differ); ``None`` if it has none."""
    try:
        if _dumps is not None:
            return _dumps(raw)
        return json.dumps(raw, allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError):
        return None


def find(key: tuple[str, str], raw: dict[str, Any]) -> Entry | None:
    """The remembered field with this key whose JSON equals ``raw`` exactly, if any."""
    bucket = table().get(key)
    if bucket is None:
        return None
    for entry in bucket:
        if entry.raw == raw and (entry.exact is None or strict(raw) == entry.exact):
            return entry
    return None


def remember(key: tuple[str, str], entry: Entry, into: Table | None = None) -> None:
    """Keep ``entry`` for later texts in ``into`` (default: the current table), bounded: the
    oldest keys go first when full."""
    entries = table() if into is None else into
    bucket = entries.get(key)
    if bucket is None:
        if len(entries) >= _MAX_KEYS:
            for old in list(entries)[: _MAX_KEYS // 4]:
                del entries[old]
        entries[key] = [entry]
    else:
        bucket.insert(0, entry)  # the latest first: the next text is most likely its next version
        del bucket[_MAX_PER_KEY:]
