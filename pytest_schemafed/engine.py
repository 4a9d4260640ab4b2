"""Levels applied to a format's compatibility primitive: one place for all formats.

A format answers "can ``reader`` read ``writer``'s data?" (:meth:`Format.compare`).
This module decides which registered versions a level needs and in which direction
each is compared, and folds the findings into one :class:`Verdict`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping, Sequence

from .errors import SchemaParseError
from .formats.base import Format, ParsedSchema
from .levels import versions_needed
from .model import Finding, History, HistoryVersion, Level, Verdict

__all__ = ["ParseCache", "check_compatibility", "compare_parsed"]

PreviousItem = str | HistoryVersion | ParsedSchema


Parse = Callable[..., ParsedSchema]


def _once(fmt: Format) -> Parse:
    """The parse of one call without a cache: a text given twice is parsed once."""
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], ParsedSchema] = {}

    def parse(_: Format, text: str, *, path: str | None = None,
              references: Mapping[str, str] | None = None) -> ParsedSchema:
        key = (text, tuple(sorted(references.items())) if references else ())
        hit = seen.get(key)
        if hit is None:
            hit = seen[key] = fmt.parse(text, path=path, references=references)
        return hit

    return parse


class ParseCache:
    """Parses each distinct (format, text, references) once per run, thread-safely.

    Registered versions often repeat across backends (dev and prod hold the same
    history), so the gate shares one cache for all of them.
    """

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str, tuple[tuple[str, str], ...]], ParsedSchema | SchemaParseError] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._parsed)

    def clear(self) -> None:
        """Forget every parsed schema (the gate calls it after each batch)."""
        with self._lock:
            self._parsed.clear()

    def parse(
        self,
        fmt: Format,
        text: str,
        *,
        path: str | None = None,
        references: Mapping[str, str] | None = None,
    ) -> ParsedSchema:
        """Return ``fmt.parse(text)``, from the cache when the same text was parsed before.

        :raises SchemaParseError: as :meth:`Format.parse` does (also when cached).
        """
        # the texts themselves are the key: Python hashes a string once and keeps the hash
        key = (fmt.name, text, tuple(sorted(references.items())) if references else ())
        with self._lock:
            hit = self._parsed.get(key)
        if hit is None:
            try:
                hit = fmt.parse(text, path=path, references=references)
            except SchemaParseError as exc:
                hit = exc
            with self._lock:
                self._parsed[key] = hit
        if isinstance(hit, SchemaParseError):
            raise SchemaParseError(hit.reason, path=path or hit.path, line=hit.line, column=hit.column)
        return hit


def compare_parsed(
    fmt: Format,
    new: ParsedSchema,
    previous: Sequence[tuple[str, ParsedSchema]],
    level: Level,
) -> Verdict:
    """Compare a parsed local schema with each of the given parsed versions at ``level``.

    :param previous: (version id, parsed schema), oldest first: the versions the level
        needs, already chosen (:func:`pytest_schemafed.levels.versions_needed`).
    :returns: a verdict whose findings carry the version and direction they came from.
    """
    findings: list[Finding] = []
    if level is not Level.NONE:
        for version, old in previous:
            if level.backward:
                findings.extend(f.against(version, "backward") for f in fmt.compare(new, old, local="reader"))
            if level.forward:
                findings.extend(f.against(version, "forward") for f in fmt.compare(old, new, local="writer"))
    return Verdict.judged(findings, level, tuple(v for v, _ in previous))


def check_compatibility(
    new: str | ParsedSchema,
    previous: Sequence[PreviousItem] | History,
    *,
    format: str,
    level: str | Level,
    references: Mapping[str, str] | None = None,
    path: str | None = None,
    cache: ParseCache | None = None,
) -> Verdict:
    """Is ``new`` compatible with ``previous`` at ``level``? The library's front door.

    :param new: the candidate schema, as text (or already parsed).
    :param previous: registered versions, oldest first: texts, :class:`HistoryVersion`
        objects, parsed schemas, or a :class:`History`. Texts are numbered 1, 2, ... in findings.
    :param format: ``avro``, ``json``, ``protobuf`` or any registered format name.
    :param level: a :class:`Level` or its name (``BACKWARD``, ``FULL_TRANSITIVE``, ...),
        with Confluent's meaning.
    :param references: named types / imports defined elsewhere, name -> text; used
        for the new schema and for every previous version.
    :param path: where ``new`` came from, for messages and line numbers.
    :raises SchemaParseError: ``new`` or a previous version is not a valid schema.
    :raises KeyError: ``format`` is not a known format.

    The cyclic garbage collector is paused during the call (and left as it was found),
    and the parses of one call share their work (:meth:`Format.parse_scope`) but keep
    none of it after: a call leaves nothing behind for the caller's collector to rescan.
    """
    from .registry import default_registry

    fmt = default_registry().format(format)
    lvl = Level.parse(level)
    # As the gate does around a batch: parsing allocates many small objects that all stay
    # alive until the verdict is made, so collections meanwhile would only rescan them.
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        with fmt.parse_scope():
            return _check(fmt, new, previous, lvl, references, path, cache)
    finally:
        if enabled:
            gc.enable()


def _check(
    fmt: Format,
    new: str | ParsedSchema,
    previous: Sequence[PreviousItem] | History,
    lvl: Level,
    references: Mapping[str, str] | None,
    path: str | None,
    cache: ParseCache | None,
) -> Verdict:
    parse: Parse = cache.parse if cache is not None else _once(fmt)
    parsed_new = new if isinstance(new, ParsedSchema) else parse(fmt, new, path=path, references=references)
    if isinstance(previous, History):
        numbered: Sequence[tuple[str, PreviousItem]] = [(v.version, v) for v in previous.needed(lvl)]
    else:
        numbered = versions_needed(lvl, [(str(i + 1), item) for i, item in enumerate(previous)])
    parsed_previous: list[tuple[str, ParsedSchema]] = []
    for number, entry in numbered:
        if isinstance(entry, ParsedSchema):
            parsed_previous.append((number, entry))
        elif isinstance(entry, str):
            parsed_previous.append((number, parse(fmt, entry, path=f"version {number}",
                                                         references=references or None)))
        else:
            refs = {**references, **entry.references} if references and entry.references else \
                references or entry.references
            parsed_previous.append(
                (entry.version, parse(fmt, entry.text, path=f"version {entry.version}", references=refs or None))
            )
    return compare_parsed(fmt, parsed_new, parsed_previous, lvl)
