"""The data that flows through a run: levels, sources, checks, histories, verdicts.

Only plain data lives here (frozen dataclasses and enums), so that verdicts can be
turned into builtins for reports and for pytest-xdist without custom pickling.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Check",
    "Finding",
    "History",
    "HistoryVersion",
    "Level",
    "Outcome",
    "RemoteVerdict",
    "SchemaSource",
    "Severity",
    "Verdict",
]


class Level(str, enum.Enum):
    """A compatibility level, with Confluent Schema Registry's meaning.

    BACKWARD: a consumer using the new schema reads data written with the last
    registered version. FORWARD: a consumer using the last registered version reads
    data written with the new schema. FULL: both. The ``*_TRANSITIVE`` forms apply
    the same test to every registered version, not only the last.
    """

    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    @classmethod
    def parse(cls, value: str | Level) -> Level:
        """Read a level name, case-insensitively; Glue's ``*_ALL`` map to ``*_TRANSITIVE``.

        :raises ValueError: with the accepted names when ``value`` is not a level.
        """
        if isinstance(value, Level):
            return value
        name = str(value).strip().upper().replace("-", "_")
        if name.endswith("_ALL"):
            name = name[: -len("_ALL")] + "_TRANSITIVE"
        try:
            return cls(name)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown compatibility level {value!r}; expected one of {names}") from None

    @property
    def transitive(self) -> bool:
        """True when every registered version is compared, not only the latest."""
        return self.value.endswith("_TRANSITIVE")

    @property
    def backward(self) -> bool:
        """True when the new schema must read data written with previous versions."""
        return self.value.startswith(("BACKWARD", "FULL"))

    @property
    def forward(self) -> bool:
        """True when previous versions must read data written with the new schema."""
        return self.value.startswith(("FORWARD", "FULL"))


class Outcome(str, enum.Enum):
    """What a check ended in; maps onto pytest's passed / failed / skipped.

    ``SKIPPED`` is a backend that could not be reached and is configured with
    ``on_unavailable: skip``; ``NEW`` is a subject the backend does not hold yet.
    """

    COMPATIBLE = "compatible"
    INCOMPATIBLE = "incompatible"
    NEW = "new"
    ERROR = "error"
    SKIPPED = "skipped"


class Severity(str, enum.Enum):
    """How much a finding weighs: an ``ERROR`` breaks compatibility and fails the item;
    a ``WARNING`` (an advisory) is reported but never changes the verdict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason why a schema is (or may be) incompatible.

    :param rule: stable upper-case id, e.g. ``READER_FIELD_MISSING_DEFAULT_VALUE``.
    :param message: a sentence a person understands.
    :param path: the schema path of the element in the local (new) file, e.g.
        ``/fields/3/type`` (Avro), ``#/properties/email/maxLength`` (JSON Schema),
        ``Order.id`` (Protobuf).
    :param line: 1-based line of that element in the local file, ``None`` if unknown.
    :param column: 1-based column, ``None`` if unknown.
    :param version: the registered version this finding was found against.
    :param hint: one line saying what to do instead, when there is an obvious fix.
    :param direction: ``backward`` (new reads old) or ``forward`` (old reads new).
    :param end_line: 1-based last line of the element's span, ``None`` if unknown.
    :param end_column: 1-based column just after the element's span ends, ``None`` if unknown.
    :param severity: :attr:`Severity.ERROR` (breaks compatibility) or :attr:`Severity.WARNING`
        (an advisory: accepted by the registry, but likely to bite later).
    """

    rule: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    version: str | None = None
    hint: str | None = None
    direction: str = "backward"
    severity: Severity = Severity.ERROR
    end_line: int | None = None
    end_column: int | None = None

    @property
    def breaking(self) -> bool:
        """True for a finding that makes the schema incompatible (not an advisory)."""
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[Any, ...]:
        """The order findings are always reported in: by line, then rule, then path."""
        return (self.line or 0, self.column or 0, self.rule, self.path, self.version or "", self.message)

    def to_dict(self) -> dict[str, Any]:
        """Plain builtins, for reports and for crossing process boundaries."""
        return {
            "rule": self.rule,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "version": self.version,
            "hint": self.hint,
            "direction": self.direction,
            "severity": self.severity.value,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(frozen=True, slots=True)
class HistoryVersion:
    """One registered version of a subject.

    :param version: the backend's id for it (``"3"``, a git ref, a file name).
    :param text: the schema text as registered.
    :param references: referenced schemas, import name -> text (Protobuf imports,
        Avro/JSON named references).
    """

    version: str
    text: str
    references: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class History:
    """The registered versions a level needs, oldest first.

    :param versions: oldest first; for a non-transitive level the latest alone suffices.
    :param level: the level the backend reports for the subject, if it has one.
    :param notes: remarks to show with the verdict (e.g. a PENDING version on Glue).
    """

    versions: tuple[HistoryVersion, ...]
    level: Level | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RemoteVerdict:
    """A registry's own answer to a compatibility check (Confluent API).

    :param compatible: the registry's verdict.
    :param messages: the reasons it gave, as it gave them.
    :param versions: the versions it checked against, when it says.
    """

    compatible: bool
    messages: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()


@dataclass(slots=True)
class SchemaSource:
    """A local schema file: read once, parsed once.

    :param path: absolute path of the file.
    :param relpath: path relative to the rootdir, with ``/`` separators.
    :param format: the format name (``avro``, ``json``, ``protobuf``, ...).
    :param text: the file's text.
    :param subject: the subject named by the configuration (before a backend maps it).
    :param parsed: the format's parsed form, set once by :meth:`pytest_schemafed.gate.Gate.parse`.
    :param parse_error: why parsing failed, when it did (the item then fails).
    :param references: referenced local files, import name -> text.
    :param entry: the configuration entry that selected the file (its options).
    """

    path: Path
    relpath: str
    format: str
    text: str
    subject: str = ""
    parsed: Any = None
    parse_error: str | None = None
    parse_error_line: int | None = None
    references: dict[str, str] = field(default_factory=dict)
    entry: Mapping[str, Any] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """The file name without its schema extension (``user`` for ``user.schema.json``)."""
        name = self.path.name
        for suffix in (".schema.json", ".avsc", ".proto", ".json", ".avro"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return self.path.stem


@dataclass(frozen=True, slots=True)
class Check:
    """One planned comparison: one local file against one backend (one pytest item).

    :param source: the local schema.
    :param backend_id: the ``id`` of the registry in the configuration.
    :param subject: the subject name on that backend.
    :param level: the level forced by configuration or option; ``None`` = ask the backend.
    """

    source: SchemaSource
    backend_id: str
    subject: str
    level: Level | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Identifies the check within a run: (relpath, backend id)."""
        return (self.source.relpath, self.backend_id)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of comparing one schema with what a backend holds.

    :param compatible: True when the schema may be registered at ``level``.
    :param findings: every reason found, sorted (see :meth:`Finding.sort_key`).
    :param outcome: compatible / incompatible / new subject / error.
    :param level: the level applied (``None`` when it never got that far).
    :param versions: the registered versions compared, oldest first.
    :param error: for ``Outcome.ERROR``, one line saying what went wrong and what to fix.
    :param remote: the registry's own verdict, for backends that have a check endpoint.
    :param notes: remarks for the report (local and remote disagree, PENDING versions...).
    :param error_kind: with ``error``: ``"schema"`` (the local file cannot be used: it does
        not parse, or the registry rejects it as invalid) or ``"registry"`` (the backend
        failed, or a registered version cannot be parsed). The command exits 1 for the
        first and 3 for the second.
    :param error_line: with a ``"schema"`` error, the line of the local file it is about.
    """

    compatible: bool
    findings: tuple[Finding, ...] = ()
    outcome: Outcome = Outcome.COMPATIBLE
    level: Level | None = None
    versions: tuple[str, ...] = ()
    error: str | None = None
    remote: RemoteVerdict | None = None
    notes: tuple[str, ...] = ()
    error_kind: str | None = None
    error_line: int | None = None

    @classmethod
    def new_subject(cls, level: Level | None = None, note: str | None = None) -> Verdict:
        """The subject is unknown to the backend: nothing to be compatible with."""
        return cls(True, outcome=Outcome.NEW, level=level, notes=(note,) if note else ())

    @classmethod
    def failed(
        cls, error: str, level: Level | None = None, kind: str | None = None, line: int | None = None
    ) -> Verdict:
        """The check could not be made; ``error`` says why in one line, ``kind`` whose fault it is."""
        return cls(False, outcome=Outcome.ERROR, level=level, error=error, error_kind=kind, error_line=line)

    def to_dict(self) -> dict[str, Any]:
        """Plain builtins, for reports and for crossing process boundaries."""
        return {
            "compatible": self.compatible,
            "outcome": self.outcome.value,
            "level": self.level.value if self.level else None,
            "versions": list(self.versions),
            "error": self.error,
            "error_kind": self.error_kind,
            "error_line": self.error_line,
            "findings": [f.to_dict() for f in self.findings],
            "remote": None
            if self.remote is None
            else {
                "compatible": self.remote.compatible,
                "messages": list(self.remote.messages),
                "versions": list(self.remote.versions),
            },
            "notes": list(self.notes),
        }
