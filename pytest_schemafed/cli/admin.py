"""Registry operations: ``registries``, ``subjects``, ``find``, ``levels``, ``audit``, ``levels set``.

Each goes through methods of the backend object (see :class:`RegistryAdmin`); a backend
type without a method says so ("not supported by backend type git"). Only
``levels set`` writes, and only after an audit, a printed plan and ``--yes``.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..backends.base import Backend, BackendSpec, RunContext
from ..config import Settings, load_settings
from ..engine import check_compatibility
from ..errors import BackendError, ConfigError, SchemafedError, SchemaParseError, SubjectNotFound
from ..model import History, HistoryVersion, Level
from ..registry import Registry
from .output import INCOMPATIBLE, OK, UNREACHABLE, USAGE, Progress, fail

__all__ = ["AdminUnsupported", "RegistryAdmin", "audit_subject", "guess_format", "run_admin"]


@runtime_checkable
class RegistryAdmin(Protocol):
    """What the registry commands ask of a backend; each method is optional."""

    def list_subjects(self, prefix: str | None = None) -> list[str]:
        """Every subject, or those starting with ``prefix``."""

    def global_level(self) -> Level:
        """The registry's global compatibility level."""

    def subject_level(self, subject: str) -> Level | None:
        """The subject's level (its own, else the global one)."""

    def latest(self, subject: str) -> HistoryVersion:
        """The latest registered version; raises SubjectNotFound."""

    def fetch_history(self, subject: str, level: Level) -> History:
        """The versions ``level`` needs (all of them for a transitive level)."""

    def set_level(self, level: Level, subject: str | None = None) -> None:
        """Set the global level, or a subject's level."""


class AdminUnsupported(SchemafedError):
    """The backend type has no method for the operation asked."""


def _method(backend: Backend, name: str) -> Callable[..., Any]:
    method = getattr(backend, name, None)
    if method is None and name == "global_level":
        method = getattr(backend, "_global_level", None)
    if method is None and name == "latest" and hasattr(backend, "fetch_history"):
        def latest(subject: str) -> HistoryVersion:
            return backend.fetch_history(subject, Level.BACKWARD).versions[-1]
        method = latest
    if method is None:
        raise AdminUnsupported(f"{name.replace('_', ' ')} is not supported by backend type {backend.type_name} "
                               f"(registry {backend.id!r})")
    return method


def guess_format(text: str, registry: Registry, forced: str | None = None) -> str:
    """The format of a registered schema text: ``protobuf``, ``json`` (JSON Schema) or ``avro``."""
    if forced:
        return forced
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[", '"')) and "protobuf" in registry.formats:
        return "protobuf"
    try:
        doc = json.loads(text)
    except ValueError:
        return "protobuf" if "protobuf" in registry.formats else "avro"
    avro_kinds = {"record", "enum", "fixed", "array", "map", "error"}
    if isinstance(doc, dict) and doc.get("type") not in avro_kinds and "json" in registry.formats and (
        "$schema" in doc or "properties" in doc or doc.get("type") == "object" or "$ref" in doc
    ):
        return "json"
    return "avro"


# ------------------------------------------------------------------------ backends
class Session:
    """The configuration and the backends opened by one command."""

    def __init__(self, registry: Registry, config: str | None) -> None:
        self.registry = registry
        self.rootdir = Path.cwd()
        self.settings: Settings = load_settings(self.rootdir, registry, explicit=config)
        self.context = RunContext(rootdir=self.rootdir, registry=registry)
        self.opened: list[Backend] = []

    def spec(self, registry_id: str) -> BackendSpec:
        for spec in self.settings.registries:
            if spec.id == registry_id:
                return spec
        known = ", ".join(s.id for s in self.settings.registries)
        raise ConfigError(f"no registry with id {registry_id!r}; configured: {known}")

    def open(self, spec: BackendSpec) -> Backend:
        backend = self.registry.backends[spec.type](spec, self.context)
        self.opened.append(backend)
        return backend

    def close(self) -> None:
        for backend in self.opened:
            try:
                backend.close()
            except Exception:
                pass


@contextmanager
def _session(registry: Registry, config: str | None) -> Iterator[Session]:
    session = Session(registry, config)
    try:
        yield session
    finally:
        session.close()


# ------------------------------------------------------------------------ commands
def cmd_registries(session: Session, args: argparse.Namespace) -> int:
    """Each configured registry: reachable or not, response time, global level."""
    rows = [("id", "type", "status", "time", "global level")]
    code = OK
    for spec in session.settings.registries:
        start = time.perf_counter()
        try:
            backend = session.open(spec)
            try:
                level = _method(backend, "global_level")().value
            except AdminUnsupported:
                level = "n/a"
            status = "reachable"
        except BackendError as exc:
            status, level, code = f"unreachable: {exc}", "", UNREACHABLE
        except ConfigError as exc:
            status, level, code = f"misconfigured: {exc}", "", max(code, USAGE)
        elapsed = f"{(time.perf_counter() - start) * 1000:.0f} ms"
        rows.append((spec.id, spec.type, status, elapsed, level))
    _table(rows)
    return code


def cmd_subjects(session: Session, args: argparse.Namespace) -> int:
    """The subjects of one registry, optionally those starting with ``--prefix``."""
    backend = session.open(session.spec(args.id))
    subjects = _method(backend, "list_subjects")(prefix=args.prefix)
    for subject in sorted(subjects):
        if not args.prefix or subject.startswith(args.prefix):
            print(subject)
    return OK


def cmd_find(session: Session, args: argparse.Namespace) -> int:
    """The latest version of one subject on every registry, side by side."""
    rows = [("registry", "type", "version", "sha256", "same as first")]
    first: str | None = None
    code = OK
    for spec in session.settings.registries:
        try:
            backend = session.open(spec)
            latest = _method(backend, "latest")(args.subject)
        except AdminUnsupported as exc:
            rows.append((spec.id, spec.type, "-", "-", str(exc)))
            continue
        except SubjectNotFound:
            rows.append((spec.id, spec.type, "-", "-", "not registered"))
            continue
        except BackendError as exc:
            rows.append((spec.id, spec.type, "-", "-", f"unreachable: {exc}"))
            code = UNREACHABLE
            continue
        digest = hashlib.sha256(latest.text.encode()).hexdigest()[:12]
        same = "yes" if first is None or first == digest else "no: differs"
        first = first or digest
        rows.append((spec.id, spec.type, latest.version, digest, same))
    print(f"subject {args.subject}:")
    _table(rows)
    return code


def cmd_levels(session: Session, args: argparse.Namespace) -> int:
    """The registry's global level and the level of each subject named."""
    backend = session.open(session.spec(args.id))
    print(f"global: {_method(backend, 'global_level')().value}")
    subject_level = _method(backend, "subject_level") if args.subjects else None
    for subject in args.subjects:
        level = subject_level(subject) if subject_level else None
        print(f"{subject}: {level.value if level else 'global'}")
    return OK


def audit_subject(versions: tuple[HistoryVersion, ...], level: Level, fmt: str) -> list[str]:
    """Lines describing each registered version that breaks ``level`` against the ones before it."""
    problems: list[str] = []
    for index in range(1, len(versions)):
        current = versions[index]
        try:
            verdict = check_compatibility(current.text, versions[:index], format=fmt, level=level,
                                          references=current.references, path=f"version {current.version}")
        except SchemaParseError as exc:
            problems.append(f"version {current.version}: cannot be parsed: {exc}")
            continue
        for finding in verdict.findings:
            problems.append(f"version {current.version} vs {finding.version}: {finding.rule} at "
                            f"{finding.path or '/'}: {finding.message}")
    return problems


def _audit(backend: Backend, subjects: list[str], level: Level, registry: Registry,
           forced_format: str | None) -> dict[str, list[str]]:
    fetch = _method(backend, "fetch_history")
    violations: dict[str, list[str]] = {}
    progress = Progress(len(subjects), f"audit {backend.id} at {level.value}")
    try:
        for subject in subjects:
            progress.step(subject)
            try:
                history = fetch(subject, Level.FULL_TRANSITIVE)  # every registered version
            except SubjectNotFound:
                continue
            if not history.versions or level is Level.NONE:
                continue
            fmt = guess_format(history.versions[-1].text, registry, forced_format)
            problems = audit_subject(history.versions, level, fmt)
            if problems:
                violations[subject] = problems
    finally:
        progress.close()
    return violations


def _subjects_for(backend: Backend, pattern: str | None) -> list[str]:
    subjects = _method(backend, "list_subjects")()
    return sorted(s for s in subjects if pattern is None or fnmatch.fnmatchcase(s, pattern))


def cmd_audit(session: Session, args: argparse.Namespace) -> int:
    """Does every registered history already satisfy ``--level``?"""
    level = Level.parse(args.level)
    backend = session.open(session.spec(args.id))
    subjects = _subjects_for(backend, args.subjects)
    violations = _audit(backend, subjects, level, session.registry, args.format)
    _print_violations(violations)
    print(f"audit of {args.id} at {level.value}: {len(subjects)} subject(s), "
          f"{len(violations)} with violations")
    return INCOMPATIBLE if violations else OK


def _print_violations(violations: dict[str, list[str]]) -> None:
    for subject, problems in sorted(violations.items()):
        print(f"{subject}:")
        for problem in problems:
            print(f"  {problem}")


def cmd_levels_set(session: Session, args: argparse.Namespace) -> int:
    """Plan, audit, and (with ``--yes``) set a level globally or on ``--subject`` subjects."""
    level = Level.parse(args.level)
    backend = session.open(session.spec(args.id))
    setter = _method(backend, "set_level")
    targets: list[str | None] = list(args.subject) or [None]
    print(f"plan for registry {args.id} ({backend.describe()}):")
    for target in targets:
        if target is None:
            current = _method(backend, "global_level")()
        else:
            current = _method(backend, "subject_level")(target)
        name = "global" if target is None else f"subject {target}"
        print(f"  {name}: {current.value if current else 'global'} -> {level.value}")
    subjects = list(args.subject) or _subjects_for(backend, None)
    violations = _audit(backend, subjects, level, session.registry, args.format)
    _print_violations(violations)
    print(f"audit at {level.value}: {len(subjects)} subject(s), {len(violations)} with violations")
    if violations and not args.force:
        print("refused: registered histories break the new level (fix them, or pass --force)")
        return INCOMPATIBLE
    if not args.yes:
        print("dry run: nothing changed; add --yes to apply")
        return OK
    for target in targets:
        setter(level, subject=target)
        print(f"set {'global' if target is None else target} to {level.value}")
    return OK


COMMANDS: dict[str, Callable[[Session, argparse.Namespace], int]] = {
    "registries": cmd_registries,
    "subjects": cmd_subjects,
    "find": cmd_find,
    "levels": cmd_levels,
    "audit": cmd_audit,
    "levels-set": cmd_levels_set,
}


def run_admin(command: str, args: argparse.Namespace, registry: Registry) -> int:
    """Run one registry command; map errors onto the exit codes."""
    try:
        with _session(registry, args.config) as session:
            return COMMANDS[command](session, args)
    except ValueError as exc:
        return fail(str(exc), USAGE)
    except AdminUnsupported as exc:
        return fail(str(exc), USAGE)
    except ConfigError as exc:
        return fail(str(exc), USAGE)
    except BackendError as exc:
        return fail(str(exc), UNREACHABLE)


def _table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
