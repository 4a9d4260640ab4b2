"""Levels applied to a format's compatibility primitive: one place for all formats.

A format answers "can ``reader`` read ``writer``'s data?" (:meth:`Format.compare`).
This module decides which registered versions a level needs and in which direction
each is compared, and folds the findings into one :class:`Verdict`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace

from .errors import SchemaParseError
from .formats.base import Format, ParsedSchema
from .model import Finding, History, HistoryVersion, Level, Outcome, Verdict

__all__ = ["ParseCache", "check_compatibility", "compare_parsed"]

PreviousItem = str | HistoryVersion | ParsedSchema


class ParseCache:
    """Parses each distinct (format, text, references) once per run, thread-safely.

    Registered versions often repeat across backends (dev and prod hold the same
    history), so the gate shares one cache for all of them.
    """

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str, tuple[tuple[str, str], ...]], ParsedSchema | SchemaParseError] = {}
        self._lock = threading.Lock()

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
    """Compare a parsed local schema with parsed registered versions at ``level``.

    :param previous: (version id, parsed schema), oldest first. A non-transitive level
        compares with the last one only; a transitive level with each of them.
    :returns: a verdict whose findings carry the version and direction they came from.
    """
    if level is Level.NONE or not previous:
        return Verdict(True, outcome=Outcome.COMPATIBLE, level=level)
    chosen = previous if level.transitive else previous[-1:]
    findings: set[Finding] = set()
    for version, old in chosen:
        if level.backward:
            for f in fmt.compare(new, old, local="reader"):
                findings.add(replace(f, version=version, direction="backward"))
        if level.forward:
            for f in fmt.compare(old, new, local="writer"):
                findings.add(replace(f, version=version, direction="forward"))
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    breaking = any(f.breaking for f in ordered)
    return Verdict(
        compatible=not breaking,
        findings=ordered,
        outcome=Outcome.INCOMPATIBLE if breaking else Outcome.COMPATIBLE,
        level=level,
        versions=tuple(v for v, _ in chosen),
    )


def _as_version(item: PreviousItem, index: int) -> HistoryVersion | ParsedSchema:
    if isinstance(item, str):
        return HistoryVersion(version=str(index + 1), text=item)
    return item


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
        objects or a :class:`History`. Texts are numbered 1, 2, ... in findings.
    :param format: ``avro``, ``json``, ``protobuf`` or any registered format name.
    :param level: a :class:`Level` or its name (``BACKWARD``, ``FULL_TRANSITIVE``, ...),
        with Confluent's meaning.
    :param references: named types / imports defined elsewhere, name -> text; used
        for the new schema and for every previous version.
    :param path: where ``new`` came from, for messages and line numbers.
    :raises SchemaParseError: ``new`` or a previous version is not a valid schema.
    :raises KeyError: ``format`` is not a known format.
    """
    from .registry import default_registry

    fmt = default_registry().format(format)
    lvl = Level.parse(level)
    cache = cache or ParseCache()
    if isinstance(new, ParsedSchema):
        parsed_new = new
    else:
        parsed_new = cache.parse(fmt, new, path=path, references=references)
    items = previous.versions if isinstance(previous, History) else previous
    if lvl is not Level.NONE and not lvl.transitive:
        items = list(items)[-1:] if items else []
        offset = len(previous.versions if isinstance(previous, History) else previous) - len(items)
    else:
        offset = 0
    parsed_previous: list[tuple[str, ParsedSchema]] = []
    for index, item in enumerate(items):
        entry = _as_version(item, index + offset)
        if isinstance(entry, ParsedSchema):
            parsed_previous.append((str(index + offset + 1), entry))
            continue
        refs = dict(references or {})
        refs.update(entry.references or {})
        parsed_previous.append(
            (
                entry.version,
                cache.parse(fmt, entry.text, path=f"version {entry.version}", references=refs or None),
            )
        )
    return compare_parsed(fmt, parsed_new, parsed_previous, lvl)
