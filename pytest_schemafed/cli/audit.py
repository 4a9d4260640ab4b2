"""``schemafed audit`` and ``schemafed levels set``: do the registered histories satisfy a level?

The audit replays what the registry would have checked when each version was
registered: version *n* against version *n-1* (non-transitive levels) or against every
earlier version (``*_TRANSITIVE``). Two judges:

* ``local`` (default): the local engine of the version's format (the registry's
  ``schemaType``; ``--format`` overrides it). A version that cannot be parsed, or whose
  schema type differs from a version it is compared with, is a violation too: the level
  cannot be shown to hold.
* ``registry``: the registry's own check endpoint, for each pair, which applies the
  subject's own level only. So ``--level`` is optional there; a subject whose level differs
  from the one asked is a violation (``LEVEL_NOT_JUDGED``): the registry cannot answer for it.

Subjects are audited concurrently, at most the registry's ``max_in_flight`` at once; the
progress bar shows on a terminal only. Every run says which judge it used.
"""

from __future__ import annotations

import argparse
import fnmatch
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from ..backends.admin import AdminUnsupported, RegisteredVersion, RegistryAdmin, format_of_schema_type
from ..backends.base import Backend
from ..engine import ParseCache, compare_parsed
from ..errors import SchemaParseError, SubjectNotFound
from ..formats.base import ParsedSchema, Rule
from ..model import History, HistoryVersion, Level
from ..registry import Registry
from .guess import guess_format
from .output import INCOMPATIBLE, OK, USAGE, Progress, emit_json, fail
from .pool import map_bounded
from .session import Session

__all__ = ["AUDIT_RULES", "JUDGES", "AuditResult", "Violation", "audit_history", "cmd_audit", "cmd_levels_set"]

VERSION_UNREADABLE = "VERSION_UNREADABLE"
VERSION_SCHEMA_TYPE_CHANGED = "VERSION_SCHEMA_TYPE_CHANGED"
REGISTRY_INCOMPATIBLE = "REGISTRY_INCOMPATIBLE"
LEVEL_NOT_JUDGED = "LEVEL_NOT_JUDGED"
AUDIT_RULES: tuple[Rule, ...] = (
    Rule(VERSION_UNREADABLE, "Checks that every registered version can be parsed by the local engine of its format.",
         "fix or delete the version, or pass --format if the schema type is guessed wrong"),
    Rule(VERSION_SCHEMA_TYPE_CHANGED, "Checks that a registered version has the schema type of the versions it "
         "is compared with.", "registries compare different schema types as incompatible: use another subject"),
    Rule(REGISTRY_INCOMPATIBLE, "Checks that the registry itself finds a version compatible with an earlier one.",
         "the registry's messages say what breaks"),
    Rule(LEVEL_NOT_JUDGED, "Checks that the registry judge can answer for the level asked (its own level only).",
         "use --judge local to audit a level the subject does not have"),
)
"""The findings the audit adds itself; the formats' rules supply every other one."""

JUDGES = {
    "local": "local engine (pytest-schemafed's rules replay each version against the earlier ones)",
    "registry": "registry (its own compatibility check, at each subject's own level)",
}


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


def _pairs(count: int, level: Level) -> list[tuple[int, list[int]]]:
    """(index, earlier indexes) the level compares: the one before, or all before (transitive)."""
    return [(i, list(range(i)) if level.transitive else [i - 1]) for i in range(1, count)]


def audit_history(subject: str, history: History, level: Level, registry: Registry,
                  forced_format: str | None = None) -> list[Violation]:
    """Every way the registered ``history`` breaks ``level``, each version against the ones before it."""
    if level is Level.NONE or len(history.versions) < 2:
        return []
    violations: list[Violation] = []
    cache = ParseCache()
    entries = [_read(subject, v, registry, forced_format, cache, violations) for v in history.versions]
    for index, earlier_indexes in _pairs(len(entries), level):
        current = entries[index]
        if current.parsed is None or current.format is None:
            continue
        comparable: list[tuple[str, ParsedSchema]] = []
        for earlier in (entries[i] for i in earlier_indexes):
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


def registry_audit(admin: RegistryAdmin, subject: str, history: History, level: Level | None) -> list[Violation]:
    """The registry's own verdict on each pair of ``history`` at the subject's own level."""
    own = admin.effective_level(subject)
    if own is None or (level is not None and own is not level):
        have = own.value if own else "none"
        return [Violation(subject, history.versions[-1].version if history.versions else "-", None,
                          LEVEL_NOT_JUDGED, "", f"the registry judges at the subject's own level {have}, "
                          f"not at {level.value if level else 'a level'}")]
    if own is Level.NONE:
        return []
    versions = [v for v in history.versions if isinstance(v, RegisteredVersion)]
    violations: list[Violation] = []
    for index, earlier_indexes in _pairs(len(versions), own):
        current = versions[index]
        for earlier in (versions[i] for i in earlier_indexes):
            answer = admin.registry_judge(subject, current, earlier.version)
            if not answer.compatible:
                said = "; ".join(answer.messages) or "the registry gave no reason"
                violations.append(Violation(subject, current.version, earlier.version, REGISTRY_INCOMPATIBLE,
                                            "", said))
    return violations


@dataclass
class AuditResult:
    """What an audit found: violations per subject, the subjects not registered, the judge."""

    registry: str
    level: str
    judge: str
    subjects: list[str]
    violations: dict[str, list[Violation]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The ``--json`` shape (docs/cli.md)."""
        return {"registry": self.registry, "level": self.level, "judge": self.judge,
                "subjects": len(self.subjects),
                "violations": [asdict(v) for s in sorted(self.violations) for v in self.violations[s]],
                "missing": list(self.missing)}

    def print(self) -> None:
        """The human report."""
        print(f"judge: {JUDGES[self.judge]}")
        for subject, found in sorted(self.violations.items()):
            print(f"{subject}:")
            for violation in found:
                print(f"  {violation.line()}")
        for subject in self.missing:
            print(f"{subject}: not registered on {self.registry}")
        print(f"audit of {self.registry} at {self.level}: {len(self.subjects)} subject(s), "
              f"{len(self.violations)} with violations")


def _subjects_for(admin: RegistryAdmin, pattern: str | None) -> list[str]:
    """``--subjects``: a name is taken as is (no listing); a glob filters the listing."""
    if pattern is not None and not any(c in pattern for c in "*?["):
        return [pattern]
    prefix = None if pattern is None else pattern.split("*")[0].split("?")[0].split("[")[0] or None
    return sorted(s for s in admin.list_subjects(prefix=prefix)
                  if pattern is None or fnmatch.fnmatchcase(s, pattern))


def run_audit(backend: Backend, admin: RegistryAdmin, subjects: Sequence[str], level: Level | None,
              registry: Registry, forced_format: str | None, judge: str = "local") -> AuditResult:
    """Audit ``subjects`` concurrently (``max_in_flight`` at once) with ``judge``."""
    shown = level.value if level else "each subject's own level"
    result = AuditResult(backend.id, shown, judge, list(subjects))

    def one(subject: str) -> tuple[str, list[Violation] | None]:
        try:
            history = admin.versions(subject)
        except SubjectNotFound:
            return subject, None
        if judge == "registry":
            return subject, registry_audit(admin, subject, history, level)
        assert level is not None
        return subject, audit_history(subject, history, level, registry, forced_format)

    progress = Progress(len(subjects), f"audit {backend.id} at {shown}")
    try:
        for subject, found in map_bounded(one, subjects, backend.max_in_flight, progress):
            if found is None:
                result.missing.append(subject)
            elif found:
                result.violations[subject] = found
    finally:
        progress.close()
    return result


def cmd_audit(session: Session, args: argparse.Namespace) -> int:
    """Does every registered history already satisfy ``--level``? Exit 1 when one does not."""
    if args.judge == "local" and not args.level:
        return fail("audit: --level is required with the local judge (--judge registry uses each subject's "
                    "own level)", USAGE, as_json=args.json)
    level = Level.parse(args.level) if args.level else None
    backend, admin = session.admin(args.id, "versions")
    if args.judge == "registry" and type(admin).registry_judge is RegistryAdmin.registry_judge:
        raise AdminUnsupported("--judge registry", type_name=backend.type_name, backend_id=backend.id,
                               reason="the registry has no compatibility endpoint; use --judge local")
    subjects = _subjects_for(admin, args.subjects)
    result = run_audit(backend, admin, subjects, level, session.registry, args.format, args.judge)
    code = INCOMPATIBLE if result.violations else OK
    if args.json:
        emit_json({**result.to_dict(), "exit_code": code})
    else:
        result.print()
    return code


# ------------------------------------------------------------------------ the one write
def _global_followers(admin: RegistryAdmin, registry_id: str, workers: int) -> tuple[list[str], int]:
    """The subjects without a level of their own (a global change governs them), and how many have one."""
    subjects = admin.list_subjects()

    def own(subject: str) -> tuple[str, bool | None]:
        try:
            return subject, admin.subject_level(subject) is not None
        except SubjectNotFound:
            return subject, None

    progress = Progress(len(subjects), f"levels of {registry_id}")
    try:
        found = map_bounded(own, subjects, workers, progress)
    finally:
        progress.close()
    followers = [s for s, has_own in found if has_own is False]
    return followers, len(subjects) - len(followers)


def cmd_levels_set(session: Session, args: argparse.Namespace) -> int:
    """Plan, audit, and (with ``--yes``) set a level globally or on ``--subject`` subjects.

    A ``--subject`` the registry does not know is refused unless ``--create`` is given: a
    typo would otherwise write configuration for a subject nobody uses.
    """
    level = Level.parse(args.level)
    backend, admin = session.admin(args.id, "set level")
    targets: list[str | None] = list(args.subject) or [None]
    plan: list[dict[str, str]] = []
    for target in targets:
        if target is None:
            current = admin.global_level()
            if current is None:
                raise AdminUnsupported("set level", type_name=backend.type_name, backend_id=backend.id,
                                       reason="the registry has no global level; name subjects with --subject")
            plan.append({"target": "global", "from": current.value, "to": level.value})
            continue
        if admin.latest(target) is None:
            if not args.create:
                return fail(f"subject {target!r} is not registered on {args.id}: refusing to write a level for it "
                            "(check the name, or pass --create to write it anyway)", USAGE, as_json=args.json)
            now = "not registered yet"
        else:
            own = admin.subject_level(target)
            now = own.value if own else "global"
        plan.append({"target": target, "from": now, "to": level.value})
    out = print if not args.json else (lambda *a, **k: None)
    out(f"plan for registry {args.id} ({backend.describe()}):")
    for step in plan:
        name = "global" if step["target"] == "global" else f"subject {step['target']}"
        out(f"  {name}: {step['from']} -> {step['to']}")
    if targets == [None]:
        subjects, own_level = _global_followers(admin, args.id, backend.max_in_flight)
        out(f"  {len(subjects)} subject(s) follow the global level; {own_level} keep their own level")
    else:
        subjects = [t for t in targets if t is not None]
    result = run_audit(backend, admin, subjects, level, session.registry, args.format)
    refused = bool(result.violations) and not args.force
    applied = False
    if not args.json:
        result.print()
    if refused:
        out("refused: registered histories break the new level (fix them, or pass --force)")
    elif result.violations:
        out("--force: applying although registered histories break the new level")
    if not refused and not args.yes:
        out("dry run: nothing changed; add --yes to apply")
    if not refused and args.yes:
        for target in targets:
            admin.set_level(level, subject=target)
            out(f"set {'global' if target is None else target} to {level.value}")
        applied = True
    code = INCOMPATIBLE if refused else OK
    if args.json:
        emit_json({"registry": args.id, "level": level.value, "plan": plan, "audit": result.to_dict(),
                   "refused": refused, "applied": applied, "exit_code": code})
    return code
