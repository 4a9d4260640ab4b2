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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .findings import (
    REGISTRY_RULE,
    Finding,
    RemoteVerdict,
    Severity,
    optional_int,
    optional_str,
    registry_findings,
    required_str,
    str_list,
)
from .levels import Level

__all__ = [
    "REGISTRY_RULE",
    "UNCHANGED_NOTE",
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



#: how the note of a verdict reached without parsing begins (see :attr:`Verdict.unchanged`)
UNCHANGED_NOTE = "unchanged since "


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
        if not findings:
            return cls(Outcome.COMPATIBLE, level, versions, (), remote=remote, notes=notes)
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

    @property
    def unchanged(self) -> bool:
        """True for a pass reached without parsing: the file and all it imports are as at the base."""
        return self.outcome is Outcome.COMPATIBLE and bool(self.notes) and self.notes[0].startswith(UNCHANGED_NOTE)

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
        level = optional_str(data, "level")
        kind = optional_str(data, "error_kind")
        return cls(
            outcome=Outcome(required_str(data, "outcome")),
            level=Level(level) if level else None,
            versions=str_list(data, "versions"),
            findings=tuple(Finding.from_dict(f) for f in findings),
            error=optional_str(data, "error"),
            error_kind=ErrorKind(kind) if kind else None,
            error_line=optional_int(data, "error_line"),
            remote=RemoteVerdict.from_dict(remote) if remote is not None else None,
            decided_by=Decider(required_str(data, "decided_by")),
            notes=str_list(data, "notes"),
        )


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
        nodeid, file, fmt, registry, subject, backend = (
            required_str(data, k) for k in ("nodeid", "file", "format", "registry", "subject", "backend"))
        return cls(nodeid, file, fmt, registry, subject, backend, Verdict.from_dict(verdict))
