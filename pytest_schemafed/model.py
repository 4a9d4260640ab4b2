"""The data that flows through a run: sources, checks, histories (and, re-exported, verdicts).

Only plain data lives here (frozen dataclasses and enums). Levels live in
:mod:`pytest_schemafed.levels`, verdicts and findings in :mod:`pytest_schemafed.verdict`;
both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .levels import Level, versions_needed
from .verdict import (
    REGISTRY_RULE,
    CheckResult,
    Decider,
    ErrorKind,
    Finding,
    Outcome,
    RemoteVerdict,
    Severity,
    Verdict,
)

__all__ = [
    "REGISTRY_RULE",
    "Check",
    "CheckResult",
    "Decider",
    "ErrorKind",
    "Finding",
    "History",
    "HistoryVersion",
    "Level",
    "Outcome",
    "RemoteVerdict",
    "SchemaContent",
    "SchemaSource",
    "Severity",
    "Verdict",
    "versions_needed",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


@dataclass(frozen=True, slots=True)
class HistoryVersion:
    """One registered version of a subject.

    :param version: the backend's id for it (``"3"``, a git ref, a file name).
    :param text: the schema text as registered.
    :param references: referenced schemas, import name -> text (Protobuf imports,
        Avro/JSON named references).
    :param metadata: the version's metadata properties, where the registry keeps them
        (Confluent data contracts; its ``compatibilityGroup`` names one of them).
    :param format: the format of ``text`` when it is not the local file's (a Unity Catalog
        table is registered as format ``table``); ``None`` = the local file's format.
    """

    version: str
    text: str
    references: Mapping[str, str] | None = None
    metadata: Mapping[str, str] | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class History:
    """Registered versions of a subject, oldest first, and what the backend says of them.

    :param versions: oldest first: at least the ones the level needs (see :meth:`needed`).
    :param level: the level the backend reports for the subject, if it has one.
    :param notes: remarks to show with the verdict (e.g. a PENDING version on Glue).
    :param group: Confluent's ``compatibilityGroup``: the metadata property whose value
        splits the subject into lineages that are compared only among themselves.
    :param group_value: the new schema's value of that property.
    """

    versions: tuple[HistoryVersion, ...]
    level: Level | None = None
    notes: tuple[str, ...] = ()
    group: str | None = None
    group_value: str | None = None

    def needed(self, level: Level) -> tuple[HistoryVersion, ...]:
        """The versions the new schema is compared with at ``level`` (:func:`versions_needed`)."""
        if self.group is None:
            return versions_needed(level, self.versions)
        group = self.group
        return versions_needed(level, self.versions, group_of=lambda v: (v.metadata or {}).get(group),
                               group_value=self.group_value)


@dataclass(frozen=True, slots=True)
class SchemaSource:
    """A local schema file as the configuration selects it; its content is :class:`SchemaContent`.

    :param path: absolute path of the file.
    :param relpath: path relative to the rootdir, with ``/`` separators.
    :param format: the format name (``avro``, ``json``, ``protobuf``, ...).
    :param subject: the subject named by the configuration (before a backend maps it).
    :param entry: the options of the configuration entry that selected the file.
    """

    path: Path
    relpath: str
    format: str
    subject: str = ""
    entry: Mapping[str, Any] = field(default_factory=_empty, compare=False)

    @property
    def stem(self) -> str:
        """The file name without its schema extension (``user`` for ``user.schema.json``)."""
        name = self.path.name
        for suffix in (".schema.json", ".avsc", ".proto", ".json", ".avro"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return self.path.stem


@dataclass(frozen=True, slots=True)
class SchemaContent:
    """What a source's file holds: read once, parsed once (see :func:`discovery.load_content`).

    :param text: the file's text (``""`` only when it could not be read: then ``error`` says why).
    :param parsed: the format's parsed form; ``None`` when ``error`` is set.
    :param references: referenced local files, import name -> text.
    :param error: one line saying why the file cannot be used (unreadable, does not parse).
    :param error_line: the line ``error`` is about, when known.
    """

    text: str
    parsed: Any = None
    references: Mapping[str, str] = field(default_factory=_empty, compare=False)
    error: str | None = None
    error_line: int | None = None

    def __post_init__(self) -> None:
        if (self.error is None) == (self.parsed is None):
            raise ValueError("a schema's content is either parsed or in error, never both or neither")


@dataclass(frozen=True, slots=True)
class Check:
    """One planned comparison: one local file against one backend (one pytest item).

    :param source: the local schema.
    :param backend_id: the ``id`` of the registry in the configuration.
    :param subject: the subject name on that backend.
    :param level: the level forced by configuration or option; ``None`` = the backend's own.
    :param content: the file's content; the gate sets it before a backend evaluates the check.
    """

    source: SchemaSource
    backend_id: str
    subject: str
    level: Level | None = None
    content: SchemaContent | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """Identifies the check within a run: (relpath, backend id)."""
        return (self.source.relpath, self.backend_id)

    @property
    def loaded(self) -> SchemaContent:
        """The file's content.

        :raises RuntimeError: the check was evaluated before the gate read its file (a bug).
        """
        if self.content is None:
            raise RuntimeError(f"{self.source.relpath}: evaluated before its file was read")
        return self.content

    @property
    def text(self) -> str:
        """The file's text."""
        return self.loaded.text

    @property
    def parsed(self) -> Any:
        """The file's parsed form (the gate never evaluates a check whose file does not parse)."""
        return self.loaded.parsed
