"""Registry operations: ``registries``, ``subjects``, ``find``, ``levels``, ``audit``, ``levels set``.

Each goes through the public methods of :class:`~pytest_schemafed.backends.admin.RegistryAdmin`;
a backend type without one says so ("set level is not supported by backend type git",
exit 2). Only ``levels set`` writes, and only after a printed plan, an audit of the
histories the new level would govern (refused on violations unless ``--force``) and
``--yes``.

The audit replays what the registry would have checked when each version was
registered: version *n* against version *n-1* (non-transitive levels) or against every
earlier version (``*_TRANSITIVE``), with the local engine of the version's format (the
registry's ``schemaType``; ``--format`` overrides it). A version that cannot be parsed,
or whose schema type differs from a version it is compared with, is a violation too:
the level cannot be shown to hold.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..backends.admin import AdminUnsupported, RegisteredVersion, RegistryAdmin, admin_of, format_of_schema_type
from ..backends.base import Backend, BackendSpec, RunContext
from ..config import Settings, load_settings
from ..engine import ParseCache, compare_parsed
from ..errors import BackendError, ConfigError, SchemafedError, SchemaParseError, SubjectNotFound
from ..formats.base import ParsedSchema, Rule
from ..model import History, HistoryVersion, Level
from ..registry import Registry
from .output import INCOMPATIBLE, OK, UNREACHABLE, USAGE, Progress, fail

__all__ = ["AUDIT_RULES", "AdminUnsupported", "RegistryAdmin", "Violation", "audit_history", "guess_format",
           "run_admin"]

VERSION_UNREADABLE = "VERSION_UNREADABLE"
VERSION_SCHEMA_TYPE_CHANGED = "VERSION_SCHEMA_TYPE_CHANGED"
AUDIT_RULES: tuple[Rule, ...] = (
    Rule(VERSION_UNREADABLE, "Checks that every registered version can be parsed by the local engine of its format.",
         "fix or delete the version, or pass --format if the schema type is guessed wrong"),
    Rule(VERSION_SCHEMA_TYPE_CHANGED, "Checks that a registered version has the schema type of the versions it "
         "is compared with.", "registries compare different schema types as incompatible: use another subject"),
)
"""The findings the audit adds itself; the formats' rules supply every other one."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One reason a registered history breaks the audited level.

    :param version: the version that breaks it; :param against: the earlier version it
        was compared with (``None`` when it could not be read at all).
    :param direction: ``backward`` (the later version reads the earlier one's data) or
        ``forward`` (the earlier version reads the later one's data).
    """

    subject: str
    version: str
    against: str | None
    rule: str
    path: str
    message: str
    direction: str = ""

    def line(self) -> str:
        """``version 2 vs 1: RULE at /path (backward): message``."""
        pair = f"version {self.version}" + (f" vs {self.against}" if self.against else "")
        direction = f" ({self.direction})" if self.direction else ""
        return f"{pair}: {self.rule} at {self.path or '/'}{direction}: {self.message}"


def guess_format(text: str, registry: Registry) -> str:
    """The format of a registered text whose registry does not say: ``protobuf``, ``json`` or ``avro``."""
    if not text.lstrip().startswith(("{", "[", '"')) and "protobuf" in registry.formats:
        return "protobuf"
    try:
        doc = json.loads(text)
    except ValueError:
        return "avro"
    avro_kinds = {"record", "enum", "fixed", "array", "map", "error"}
    if isinstance(doc, dict) and doc.get("type") not in avro_kinds and "json" in registry.formats and (
        "$schema" in doc or "properties" in doc or doc.get("type") == "object" or "$ref" in doc
    ):
        return "json"
    return "avro"


@dataclass(slots=True)
class _Entry:
    version: str
    format: str | None
    parsed: ParsedSchema | None


def _read(subject: str, version: HistoryVersion, registry: Registry, forced: str | None,
          cache: ParseCache, out: list[Violation]) -> _Entry:
    """Parse one registered version once; an unreadable one becomes a violation."""
    schema_type = version.schema_type if isinstance(version, RegisteredVersion) else None
    name = forced or (format_of_schema_type(schema_type, registry) if schema_type else
                      guess_format(version.text, registry))
    if name is None or name not in registry.formats:
        out.append(Violation(subject, version.version, None, VERSION_UNREADABLE, "",
                             f"no local format for schema type {schema_type or name}"))
        return _Entry(version.version, name, None)
    try:
        parsed = cache.parse(registry.formats[name], version.text, path=f"{subject} version {version.version}",
                             references=version.references or None)
    except SchemaParseError as exc:
        out.append(Violation(subject, version.version, None, VERSION_UNREADABLE, "", f"cannot be parsed: {exc}"))
        return _Entry(version.version, name, None)
    return _Entry(version.version, name, parsed)


def audit_history(subject: str, history: History, level: Level, registry: Registry,
                  forced_format: str | None = None) -> list[Violation]:
    """Every way the registered ``history`` breaks ``level``, each version against the ones before it."""
    if level is Level.NONE or len(history.versions) < 2:
        return []
    violations: list[Violation] = []
    cache = ParseCache()
    entries = [_read(subject, v, registry, forced_format, cache, violations) for v in history.versions]
    for index in range(1, len(entries)):
        current = entries[index]
        if current.parsed is None or current.format is None:
            continue
        chosen = entries[:index] if level.transitive else entries[index - 1:index]
        comparable: list[tuple[str, ParsedSchema]] = []
        for earlier in chosen:
            if earlier.format != current.format:
                violations.append(Violation(subject, current.version, earlier.version, VERSION_SCHEMA_TYPE_CHANGED,
                                            "", f"version {current.version} is {current.format}, version "
                                            f"{earlier.version} is {earlier.format}"))
            elif earlier.parsed is not None:
                comparable.append((earlier.version, earlier.parsed))
        verdict = compare_parsed(registry.formats[current.format], current.parsed, comparable, level)
        violations.extend(Violation(subject, current.version, f.version, f.rule, f.path, f.message, f.direction)
                          for f in verdict.findings)
    return violations


# ------------------------------------------------------------------------ session
class Session:
    """The configuration and the backends opened by one command."""

    def __init__(self, registry: Registry, config: str | None) -> None:
        self.registry = registry
        self.rootdir = Path.cwd()
        self.settings: Settings = load_settings(self.rootdir, registry, explicit=config)
        self.context = RunContext(rootdir=self.rootdir, registry=registry)
        self.opened: list[Backend] = []

    def spec(self, registry_id: str) -> BackendSpec:
        """The configured registry ``registry_id``."""
        for spec in self.settings.registries:
            if spec.id == registry_id:
                return spec
        known = ", ".join(s.id for s in self.settings.registries)
        raise ConfigError(f"no registry with id {registry_id!r}; configured: {known}")

    def open(self, spec: BackendSpec) -> Backend:
        """Build the backend of ``spec`` (closed when the command ends)."""
        backend = self.registry.backends[spec.type](spec, self.context)
        self.opened.append(backend)
        return backend

    def admin(self, registry_id: str, operation: str) -> tuple[Backend, RegistryAdmin]:
        """Open ``registry_id`` and return it with its registry operations."""
        backend = self.open(self.spec(registry_id))
        return backend, admin_of(backend, operation)

    def close(self) -> None:
        """Close every backend opened."""
        for backend in self.opened:
            try:
                backend.close()
            except Exception:  # closing must not hide the command's result
                pass


@contextmanager
def _session(registry: Registry, config: str | None) -> Iterator[Session]:
    session = Session(registry, config)
    try:
        yield session
    finally:
        session.close()


# ------------------------------------------------------------------------ reading commands
def cmd_registries(session: Session, args: argparse.Namespace) -> int:
    """Each configured registry: reachable or not, response time, global level."""
    rows = [("id", "type", "status", "time", "global level")]
    code = OK
    for spec in session.settings.registries:
        elapsed, level = "-", "n/a"
        try:
            backend = session.open(spec)
            if isinstance(backend, RegistryAdmin):
                elapsed = f"{backend.ping() * 1000:.0f} ms"
                status = "reachable"
                try:
                    found = backend.global_level()
                    level = found.value if found else "none (per subject)"
                except AdminUnsupported:
                    pass
            else:
                status = f"not asked (backend type {spec.type} has no registry operations)"
        except AdminUnsupported as exc:
            status = str(exc)
        except BackendError as exc:
            status, level, code = f"unreachable: {exc}", "", UNREACHABLE
        except ConfigError as exc:
            status, level, code = f"misconfigured: {exc}", "", max(code, USAGE)
        rows.append((spec.id, spec.type, status, elapsed, level))
    _table(rows)
    return code


def cmd_subjects(session: Session, args: argparse.Namespace) -> int:
    """The subjects of one registry, optionally those starting with ``--prefix``."""
    _, admin = session.admin(args.id, "list subjects")
    for subject in admin.list_subjects(prefix=args.prefix):
        print(subject)
    return OK


def cmd_find(session: Session, args: argparse.Namespace) -> int:
    """The latest version of one subject on every registry, side by side."""
    rows = [("registry", "type", "version", "schema type", "sha256", "same as first")]
    first: str | None = None
    code = OK
    for spec in session.settings.registries:
        try:
            latest = admin_of(session.open(spec), "latest").latest(args.subject)
        except AdminUnsupported as exc:
            rows.append((spec.id, spec.type, "-", "-", "-", str(exc)))
            continue
        except BackendError as exc:
            rows.append((spec.id, spec.type, "-", "-", "-", f"unreachable: {exc}"))
            code = UNREACHABLE
            continue
        if latest is None:
            rows.append((spec.id, spec.type, "-", "-", "-", "not registered"))
            continue
        digest = hashlib.sha256(latest.text.encode()).hexdigest()[:12]
        same = "yes" if first is None or first == digest else "no: differs"
        first = first or digest
        schema_type = (latest.schema_type if isinstance(latest, RegisteredVersion) else None) or "-"
        rows.append((spec.id, spec.type, latest.version, schema_type, digest, same))
    print(f"subject {args.subject}:")
    _table(rows)
    return code


def cmd_levels(session: Session, args: argparse.Namespace) -> int:
    """The registry's global level and the level of each subject (named, else all of them)."""
    _, admin = session.admin(args.id, "levels")
    global_level = admin.global_level()
    print(f"global: {global_level.value if global_level else 'none (each subject has its own level)'}")
    subjects = list(args.subjects) or admin.list_subjects()
    progress = Progress(len(subjects), f"levels of {args.id}")
    lines: list[str] = []
    try:
        for subject in subjects:
            progress.step(subject)
            try:
                own = admin.subject_level(subject)
            except SubjectNotFound:
                lines.append(f"{subject}: not registered")
                continue
            if own is not None:
                lines.append(f"{subject}: {own.value}")
            elif global_level is not None:
                lines.append(f"{subject}: {global_level.value} (global)")
            else:
                lines.append(f"{subject}: no level (accepts no new version)")
    finally:
        progress.close()
    for line in lines:
        print(line)
    return OK


# ------------------------------------------------------------------------ audit
def _subjects_for(admin: RegistryAdmin, pattern: str | None) -> list[str]:
    """``--subjects``: a name is taken as is (no listing); a glob filters the listing."""
    if pattern is not None and not any(c in pattern for c in "*?["):
        return [pattern]
    prefix = None if pattern is None else pattern.split("*")[0].split("?")[0].split("[")[0] or None
    return sorted(s for s in admin.list_subjects(prefix=prefix)
                  if pattern is None or fnmatch.fnmatchcase(s, pattern))


def _audit(backend: Backend, admin: RegistryAdmin, subjects: Sequence[str], level: Level, registry: Registry,
           forced_format: str | None) -> tuple[dict[str, list[Violation]], list[str]]:
    """(subject -> violations, subjects that are not registered)."""
    violations: dict[str, list[Violation]] = {}
    missing: list[str] = []
    progress = Progress(len(subjects), f"audit {backend.id} at {level.value}")
    try:
        for subject in subjects:
            progress.step(subject)
            try:
                history = admin.versions(subject)
            except SubjectNotFound:
                missing.append(subject)
                continue
            found = audit_history(subject, history, level, registry, forced_format)
            if found:
                violations[subject] = found
    finally:
        progress.close()
    return violations, missing


def _print_audit(registry_id: str, level: Level, subjects: Sequence[str],
                 violations: dict[str, list[Violation]], missing: Sequence[str]) -> None:
    for subject, found in sorted(violations.items()):
        print(f"{subject}:")
        for violation in found:
            print(f"  {violation.line()}")
    for subject in missing:
        print(f"{subject}: not registered on {registry_id}")
    print(f"audit of {registry_id} at {level.value}: {len(subjects)} subject(s), "
          f"{len(violations)} with violations")


def cmd_audit(session: Session, args: argparse.Namespace) -> int:
    """Does every registered history already satisfy ``--level``? Exit 1 when one does not."""
    level = Level.parse(args.level)
    backend, admin = session.admin(args.id, "versions")
    subjects = _subjects_for(admin, args.subjects)
    violations, missing = _audit(backend, admin, subjects, level, session.registry, args.format)
    _print_audit(args.id, level, subjects, violations, missing)
    return INCOMPATIBLE if violations else OK


# ------------------------------------------------------------------------ the one write
def _global_followers(admin: RegistryAdmin, registry_id: str) -> tuple[list[str], int]:
    """The subjects without a level of their own (a global change governs them), and how many have one."""
    subjects = admin.list_subjects()
    followers: list[str] = []
    progress = Progress(len(subjects), f"levels of {registry_id}")
    try:
        for subject in subjects:
            progress.step(subject)
            try:
                if admin.subject_level(subject) is None:
                    followers.append(subject)
            except SubjectNotFound:
                continue
    finally:
        progress.close()
    return followers, len(subjects) - len(followers)


def cmd_levels_set(session: Session, args: argparse.Namespace) -> int:
    """Plan, audit, and (with ``--yes``) set a level globally or on ``--subject`` subjects."""
    level = Level.parse(args.level)
    backend, admin = session.admin(args.id, "set level")
    targets: list[str | None] = list(args.subject) or [None]
    print(f"plan for registry {args.id} ({backend.describe()}):")
    for target in targets:
        if target is None:
            current = admin.global_level()
            if current is None:
                raise AdminUnsupported("set level", type_name=backend.type_name, backend_id=backend.id,
                                       reason="the registry has no global level; name subjects with --subject")
            print(f"  global: {current.value} -> {level.value}")
            continue
        try:
            own = admin.subject_level(target)
            now = own.value if own else "global"
        except SubjectNotFound:
            now = "not registered yet"
        print(f"  subject {target}: {now} -> {level.value}")
    if targets == [None]:
        subjects, own_level = _global_followers(admin, args.id)
        print(f"  {len(subjects)} subject(s) follow the global level; {own_level} keep their own level")
    else:
        subjects = [t for t in targets if t is not None]
    violations, missing = _audit(backend, admin, subjects, level, session.registry, args.format)
    _print_audit(args.id, level, subjects, violations, missing)
    if violations and not args.force:
        print("refused: registered histories break the new level (fix them, or pass --force)")
        return INCOMPATIBLE
    if violations:
        print("--force: applying although registered histories break the new level")
    if not args.yes:
        print("dry run: nothing changed; add --yes to apply")
        return OK
    for target in targets:
        admin.set_level(level, subject=target)
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
    """Run one registry command; map errors onto the exit codes (2 usage, 3 registry)."""
    try:
        with _session(registry, args.config) as session:
            return COMMANDS[command](session, args)
    except ValueError as exc:
        return fail(str(exc), USAGE)
    except BackendError as exc:
        return fail(str(exc), UNREACHABLE)
    except SchemafedError as exc:  # AdminUnsupported, ConfigError, an unknown subject
        return fail(str(exc), USAGE)


def _table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
