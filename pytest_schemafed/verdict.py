"""The verdict of one check: made in one place, carried as one type, serialised once.

A :class:`Verdict` is built only through its named constructors (:meth:`Verdict.judged`,
:meth:`Verdict.by_registry`, :meth:`Verdict.new_subject`, :meth:`Verdict.failed`,
:meth:`Verdict.skipped`; :meth:`Verdict.rejudged` applies waivers), and its constructor
refuses every contradictory state: an ``INCOMPATIBLE`` verdict without a breaking finding,
a ``COMPATIBLE`` one with a breaking finding, an error without a reason or a kind, a
registry's decision without the registry's answer, or with an outcome other than the
registry's answer (except a rejection whose every breaking finding is waived, which
passes). :meth:`Verdict.to_dict` and :meth:`Verdict.from_dict` are the only
serialisation, used by forked workers, pytest's ``user_properties`` (JUnit and
pytest-xdist) and every report.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .model import Level

__all__ = [
    "REGISTRY_RULE",
    "CheckResult",
    "Decider",
    "ErrorKind",
    "Finding",
    "Outcome",
    "RemoteVerdict",
    "Severity",
    "Verdict",
    "registry_findings",
]

#: the rule id of a finding that carries only the registry's own reason
REGISTRY_RULE = "REGISTRY_INCOMPATIBLE"


class Outcome(str, enum.Enum):
    """What a check ended in; the single source of truth for pass, fail and skip.

    ``COMPATIBLE`` passes; ``NEW`` (a subject the backend does not hold yet) and ``SKIPPED``
    (a backend that could not be reached, configured with ``on_unavailable: skip``) skip;
    ``INCOMPATIBLE`` and ``ERROR`` fail.
    """

    COMPATIBLE = "compatible"
    INCOMPATIBLE = "incompatible"
    NEW = "new"
    ERROR = "error"
    SKIPPED = "skipped"


class ErrorKind(str, enum.Enum):
    """Whose fault an ``ERROR`` verdict is; the command exits 1 for ``SCHEMA``, 3 otherwise."""

    SCHEMA = "schema"  # the local file cannot be used: it does not parse, or the registry rejects it as invalid
    REGISTRY = "registry"  # the backend failed, answered something unexpected, or holds an unparsable version
    INTERNAL = "internal"  # a bug of ours or of a library: please report it


class Decider(str, enum.Enum):
    """Who made the verdict: the local engine, or the registry's own check endpoint."""

    LOCAL = "local"
    REGISTRY = "registry"


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
            rule=_str(data, "rule"),
            message=_str(data, "message"),
            path=_str(data, "path"),
            line=_opt_int(data, "line"),
            column=_opt_int(data, "column"),
            end_line=_opt_int(data, "end_line"),
            end_column=_opt_int(data, "end_column"),
            version=_opt_str(data, "version"),
            hint=_opt_str(data, "hint"),
            direction=_str(data, "direction"),
            severity=Severity(_str(data, "severity")),
            waived=_opt_str(data, "waived"),
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
        level = _opt_str(data, "level")
        return cls(compatible, _strs(data, "messages"), _strs(data, "versions"), Level(level) if level else None)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of comparing one schema with what a backend holds.

    Build it with the named constructors; the constructor itself checks that the
    fields agree with ``outcome`` (see the module docstring).

    :param outcome: the single source of truth: compatible / incompatible / new / error / skipped.
    :param level: the level applied (``None`` when it never got that far).
    :param versions: the registered versions compared, oldest first.
    :param findings: every reason found, sorted (see :meth:`Finding.sort_key`); advisories included.
    :param error: for ``ERROR`` and ``SKIPPED``, one line saying what went wrong and what to fix.
    :param error_kind: with ``error``: whose fault it is.
    :param error_line: with a ``SCHEMA`` error, the line of the local file it is about.
    :param remote: the registry's own verdict, for backends that have a check endpoint.
    :param decided_by: the local engine, or the registry (then ``remote`` is the decision).
    :param notes: remarks for the report (local and remote disagree, PENDING versions...).
    """

    outcome: Outcome
    level: Level | None = None
    versions: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    error_kind: ErrorKind | None = None
    error_line: int | None = None
    remote: RemoteVerdict | None = None
    decided_by: Decider = Decider.LOCAL
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.outcome, Outcome):
            raise TypeError(f"Verdict.outcome must be an Outcome, got {self.outcome!r}")
        problem = self._contradiction()
        if problem:
            raise ValueError(f"contradictory verdict ({self.outcome.value}): {problem}")

    def _contradiction(self) -> str | None:
        failed = self.outcome in (Outcome.ERROR, Outcome.SKIPPED)
        if failed and not (self.error and self.error_kind):
            return "an error or skip needs a reason and a kind"
        if not failed and (self.error is not None or self.error_kind is not None):
            return "only an error or skip carries a reason"
        breaking = any(f.breaking for f in self.findings)
        if self.outcome is Outcome.INCOMPATIBLE and not breaking:
            return "an incompatible verdict needs at least one breaking finding"
        if self.outcome in (Outcome.COMPATIBLE, Outcome.NEW) and breaking:
            return "a passing verdict cannot carry a breaking finding"
        if self.decided_by is Decider.REGISTRY:
            if self.remote is None:
                return "a registry's decision needs the registry's answer"
            waived_rejection = self.outcome is Outcome.COMPATIBLE and any(f.waived for f in self.findings)
            if self.outcome in (Outcome.COMPATIBLE, Outcome.INCOMPATIBLE) and not waived_rejection and \
                    self.remote.compatible != (self.outcome is Outcome.COMPATIBLE):
                return "the registry decided, but the outcome differs from its answer"
        return None

    # ------------------------------------------------------------ constructors
    @classmethod
    def judged(
        cls,
        findings: tuple[Finding, ...] | list[Finding],
        level: Level,
        versions: tuple[str, ...] = (),
        *,
        remote: RemoteVerdict | None = None,
        notes: tuple[str, ...] = (),
    ) -> Verdict:
        """The local engine's verdict: incompatible exactly when a finding is breaking.

        :param remote: the registry's own answer, shown beside the verdict as information.
        """
        ordered = tuple(sorted(set(findings), key=Finding.sort_key))
        outcome = Outcome.INCOMPATIBLE if any(f.breaking for f in ordered) else Outcome.COMPATIBLE
        return cls(outcome, level, versions, ordered, remote=remote, notes=notes)

    @classmethod
    def by_registry(
        cls,
        remote: RemoteVerdict,
        local: Verdict | None,
        level: Level,
        versions: tuple[str, ...],
        *,
        registry_id: str,
        notes: tuple[str, ...] = (),
    ) -> Verdict:
        """The registry decided (at the subject's own level); the local engine explains and locates.

        Where the registry rejects a schema the local engine accepts, each of the registry's
        reasons becomes a finding of its own (so every report shows the failure); where the
        registry accepts what the local engine rejects, the local findings become advisories.
        """
        findings = tuple(local.findings) if local is not None else ()
        said = list(notes)
        breaking = any(f.breaking for f in findings)
        if remote.compatible and breaking:
            findings = tuple(replace(f, severity=Severity.WARNING) if f.breaking else f for f in findings)
            said.append(f"registry {registry_id!r} accepts this schema but the local engine found a problem "
                        "(shown as a warning); the item follows the registry (a registry setting such as "
                        "normalize, or a bug on one side)")
        elif not remote.compatible and not breaking:
            findings += registry_findings(remote, registry_id)
            if local is not None:
                said.append(f"registry {registry_id!r} rejects this schema but the local engine found no problem; "
                            "the item follows the registry")
        outcome = Outcome.COMPATIBLE if remote.compatible else Outcome.INCOMPATIBLE
        return cls(outcome, level, versions, tuple(sorted(findings, key=Finding.sort_key)), remote=remote,
                   decided_by=Decider.REGISTRY, notes=tuple(said))

    def rejudged(self, findings: tuple[Finding, ...] | list[Finding], notes: tuple[str, ...] = ()) -> Verdict:
        """The same verdict with ``findings`` instead of its own (waivers applied), ``notes`` added.

        The outcome is derived again: incompatible exactly when a finding is breaking. For a
        registry's decision this keeps the registry's answer in ``remote``; a rejection whose
        every breaking finding is waived passes (the one case where the outcome may differ from
        the registry's answer: the team accepted the break in its configuration).
        Only a compatible or incompatible verdict can be judged again.
        """
        if self.outcome not in (Outcome.COMPATIBLE, Outcome.INCOMPATIBLE):
            raise ValueError(f"only a compatible or incompatible verdict can be judged again, not {self.outcome.value}")
        ordered = tuple(sorted(set(findings), key=Finding.sort_key))
        outcome = Outcome.INCOMPATIBLE if any(f.breaking for f in ordered) else Outcome.COMPATIBLE
        return replace(self, outcome=outcome, findings=ordered, notes=self.notes + tuple(n for n in notes if n))

    @classmethod
    def new_subject(cls, level: Level | None = None, note: str | None = None) -> Verdict:
        """The subject is unknown to the backend: nothing to be compatible with."""
        return cls(Outcome.NEW, level=level, notes=(note,) if note else ())

    @classmethod
    def failed(cls, error: str, kind: ErrorKind, level: Level | None = None, line: int | None = None) -> Verdict:
        """The check could not be made; ``error`` says why in one line, ``kind`` whose fault it is."""
        return cls(Outcome.ERROR, level=level, error=error, error_kind=kind, error_line=line)

    @classmethod
    def skipped(cls, reason: str, level: Level | None = None) -> Verdict:
        """The backend could not be reached and is configured with ``on_unavailable: skip``."""
        return cls(Outcome.SKIPPED, level=level, error=reason, error_kind=ErrorKind.REGISTRY)

    # ------------------------------------------------------------ reading
    @property
    def compatible(self) -> bool:
        """True when the schema may be registered: compatible, or a new subject."""
        return self.outcome in (Outcome.COMPATIBLE, Outcome.NEW)

    @property
    def failing(self) -> bool:
        """True when the item fails: incompatible, or the check could not be made."""
        return self.outcome in (Outcome.INCOMPATIBLE, Outcome.ERROR)

    @property
    def breaking(self) -> tuple[Finding, ...]:
        """The findings that break compatibility."""
        return tuple(f for f in self.findings if f.breaking)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The advisories: reported, never failing (waived findings are not advisories)."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def waived(self) -> tuple[Finding, ...]:
        """The breaks a waiver of the configuration accepted: reported, not failing."""
        return tuple(f for f in self.findings if f.waived is not None)

    def with_notes(self, *notes: str) -> Verdict:
        """The same verdict with ``notes`` added."""
        return replace(self, notes=self.notes + tuple(n for n in notes if n)) if notes else self

    # ------------------------------------------------------------ serialisation
    def to_dict(self) -> dict[str, Any]:
        """Plain builtins: the one serialisation (workers, JUnit properties, reports)."""
        return {
            "outcome": self.outcome.value,
            "level": self.level.value if self.level else None,
            "versions": list(self.versions),
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
            "error_kind": self.error_kind.value if self.error_kind else None,
            "error_line": self.error_line,
            "remote": self.remote.to_dict() if self.remote else None,
            "decided_by": self.decided_by.value,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """The inverse of :meth:`to_dict`.

        :raises ValueError: when a key is missing, has the wrong type, or the state is contradictory.
        """
        findings = data.get("findings")
        if not isinstance(findings, list) or not all(isinstance(f, Mapping) for f in findings):
            raise ValueError(f"findings: expected a list of objects, got {findings!r:.80}")
        remote = data.get("remote")
        if remote is not None and not isinstance(remote, Mapping):
            raise ValueError(f"remote: expected an object or null, got {remote!r:.80}")
        level = _opt_str(data, "level")
        kind = _opt_str(data, "error_kind")
        return cls(
            outcome=Outcome(_str(data, "outcome")),
            level=Level(level) if level else None,
            versions=_strs(data, "versions"),
            findings=tuple(Finding.from_dict(f) for f in findings),
            error=_opt_str(data, "error"),
            error_kind=ErrorKind(kind) if kind else None,
            error_line=_opt_int(data, "error_line"),
            remote=RemoteVerdict.from_dict(remote) if remote is not None else None,
            decided_by=Decider(_str(data, "decided_by")),
            notes=_strs(data, "notes"),
        )


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


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One item's result as the reports read it: which check, and its verdict.

    :param nodeid: the pytest node id (``path::registry``).
    :param file: the schema file, relative to the rootdir.
    :param format: the format name.
    :param registry: the registry id.
    :param subject: the subject on that registry.
    :param backend: how the backend describes itself (never a secret).
    :param verdict: the verdict.
    """

    nodeid: str
    file: str
    format: str
    registry: str
    subject: str
    backend: str
    verdict: Verdict

    @property
    def outcome(self) -> str:
        """The outcome's value (``compatible``, ``incompatible``, ...)."""
        return self.verdict.outcome.value

    @property
    def rules(self) -> list[str]:
        """The distinct rule ids of the findings, sorted."""
        return sorted({f.rule for f in self.verdict.findings})

    def to_dict(self) -> dict[str, Any]:
        """Plain builtins: the check's identity and :meth:`Verdict.to_dict`."""
        return {"nodeid": self.nodeid, "file": self.file, "format": self.format, "registry": self.registry,
                "subject": self.subject, "backend": self.backend, "verdict": self.verdict.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        """The inverse of :meth:`to_dict`.

        :raises ValueError: on a missing key, a wrong type or a contradictory verdict.
        """
        verdict = data.get("verdict")
        if not isinstance(verdict, Mapping):
            raise ValueError(f"verdict: expected an object, got {verdict!r:.80}")
        return cls(_str(data, "nodeid"), _str(data, "file"), _str(data, "format"), _str(data, "registry"),
                   _str(data, "subject"), _str(data, "backend"), Verdict.from_dict(verdict))


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected a string, got {value!r:.80}")
    return value


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key}: expected a string or null, got {value!r:.80}")
    return value


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(f"{key}: expected a whole number or null, got {value!r:.80}")
    return value


def _strs(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of strings, got {value!r:.80}")
    return tuple(value)
