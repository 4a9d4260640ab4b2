"""Findings: one reason a schema is (or may be) incompatible, and a registry's own answer.

Both are plain frozen data with one serialisation each (``to_dict``/``from_dict``), read
back strictly: a missing or odd value is an error, never a default.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .levels import Level

__all__ = [
    "REGISTRY_RULE", "Finding", "RemoteVerdict", "Severity", "optional_int", "optional_str", "registry_findings",
    "required_str", "str_list",
]

#: the rule id of a finding that carries only the registry's own reason
REGISTRY_RULE = "REGISTRY_INCOMPATIBLE"


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
    :param severity: :attr:`Severity.ERROR` (breaks compatibility) or :attr:`Severity.WARNING`
        (an advisory: accepted by the registry, but likely to bite later).
    :param end_line: 1-based last line of the element's span, ``None`` if unknown.
    :param end_column: 1-based column just after the element's span ends, ``None`` if unknown.
    :param waived: for a break the team accepted in its configuration (``waivers:``), the
        waiver's one-line description (reason, owner, expiry); a waived finding keeps its
        rule and message but does not break (see :mod:`pytest_schemafed.waivers`).
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
    waived: str | None = None

    @property
    def breaking(self) -> bool:
        """True for a finding that makes the schema incompatible (not an advisory, not waived)."""
        return self.severity is Severity.ERROR and self.waived is None

    def against(self, version: str, direction: str) -> Finding:
        """This finding, found against ``version`` in ``direction`` (what the engine adds)."""
        return Finding(self.rule, self.message, self.path, self.line, self.column, version, self.hint, direction,
                       self.severity, self.end_line, self.end_column, self.waived)

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
            "end_line": self.end_line,
            "end_column": self.end_column,
            "version": self.version,
            "hint": self.hint,
            "direction": self.direction,
            "severity": self.severity.value,
            "waived": self.waived,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """The inverse of :meth:`to_dict`.

        :raises ValueError: when a key is missing or has the wrong type.
        """
        return cls(
            rule=required_str(data, "rule"),
            message=required_str(data, "message"),
            path=required_str(data, "path"),
            line=optional_int(data, "line"),
            column=optional_int(data, "column"),
            end_line=optional_int(data, "end_line"),
            end_column=optional_int(data, "end_column"),
            version=optional_str(data, "version"),
            hint=optional_str(data, "hint"),
            direction=required_str(data, "direction"),
            severity=Severity(required_str(data, "severity")),
            waived=optional_str(data, "waived"),
        )


@dataclass(frozen=True, slots=True)
class RemoteVerdict:
    """A registry's own answer to a compatibility check (Confluent API).

    :param compatible: the registry's verdict.
    :param messages: the reasons it gave, as it gave them.
    :param versions: the versions it checked against, when it says.
    :param level: the level the registry applied (the subject's own), when known.
    """

    compatible: bool
    messages: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    level: Level | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain builtins."""
        return {"compatible": self.compatible, "messages": list(self.messages), "versions": list(self.versions),
                "level": self.level.value if self.level else None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RemoteVerdict:
        """The inverse of :meth:`to_dict`."""
        compatible = data.get("compatible")
        if not isinstance(compatible, bool):
            raise ValueError(f"remote.compatible: expected true or false, got {compatible!r}")
        level = optional_str(data, "level")
        return cls(compatible, str_list(data, "messages"), str_list(data, "versions"), Level(level) if level else None)


_ERROR_TYPE = re.compile(r"errorType:\s*'?(?P<rule>[A-Z][A-Z0-9_]+)'?(?:,\s*description:\s*'(?P<text>.*?)')?",
                         re.S)


def registry_findings(remote: RemoteVerdict, registry_id: str) -> tuple[Finding, ...]:
    """Findings made of a registry's own reasons, located at the file's first line.

    Confluent's verbose entries (``{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE',
    description:'...'}``) keep their error type as the rule id; any other reason, or no
    reason at all, is one :data:`REGISTRY_RULE` finding with the registry's words.
    """
    found: list[Finding] = []
    for message in remote.messages:
        match = _ERROR_TYPE.search(message)
        rule = match.group("rule") if match else REGISTRY_RULE
        text = match.group("text") if match and match.group("text") else message
        found.append(Finding(rule, f"registry {registry_id!r} rejects the schema: {text}", line=1,
                             hint="the registry gave no location; its reason names the element"))
    if not found:
        found.append(Finding(REGISTRY_RULE, f"registry {registry_id!r} rejects the schema and gave no reason",
                             line=1, hint="ask the registry with verbose=true, or compare locally at this level"))
    return tuple(found)


def required_str(data: Mapping[str, Any], key: str) -> str:
    """``data[key]``, which must be a string (the strict readers of every ``from_dict``)."""
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected a string, got {value!r:.80}")
    return value


def optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key}: expected a string or null, got {value!r:.80}")
    return value


def optional_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(f"{key}: expected a whole number or null, got {value!r:.80}")
    return value


def str_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of strings, got {value!r:.80}")
    return tuple(value)
