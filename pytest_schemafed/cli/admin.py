"""Registry operations: ``registries``, ``subjects``, ``find``, ``levels`` (here), ``audit`` and
``levels set`` (:mod:`.audit`).

Each goes through the public methods of :class:`~pytest_schemafed.backends.admin.RegistryAdmin`;
a backend type without one says so in one line ("levels is not supported by backend type
directory ...: a folder of exported versions has no compatibility levels", exit 2). Only
``levels set`` writes, and only after a printed plan, an audit of the histories the new
level would govern (refused on violations unless ``--force``) and ``--yes``.

With ``--json`` each command prints one document on stdout instead of its table (shapes
in docs/cli.md); an error is ``{"error": {"message", "exit_code"}}`` there too.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from ..backends.admin import AdminUnsupported, RegisteredVersion, RegistryAdmin, admin_of
from ..errors import BackendError, ConfigError, SchemafedError, SubjectNotFound
from ..registry import Registry
from .audit import AUDIT_RULES, Violation, audit_history, cmd_audit, cmd_levels_set
from .guess import guess_format
from .output import OK, UNREACHABLE, USAGE, Progress, emit_json, fail, table_lines
from .pool import map_bounded
from .session import Session, open_session

__all__ = ["AUDIT_RULES", "AdminUnsupported", "RegistryAdmin", "Violation", "audit_history", "guess_format",
           "run_admin"]


def _table(rows: Sequence[Sequence[object]]) -> None:
    for line in table_lines(rows):
        print(line)


def cmd_registries(session: Session, args: argparse.Namespace) -> int:
    """Each configured registry: reachable or not, response time, global level."""
    found: list[dict[str, Any]] = []
    code = OK
    for spec in session.settings.registries:
        entry: dict[str, Any] = {"id": spec.id, "type": spec.type, "status": "reachable", "detail": None,
                                 "ms": None, "global_level": None}
        try:
            admin = admin_of(session.open(spec), "ping")
            entry["ms"] = round(admin.ping() * 1000, 1)
            try:
                level = admin.global_level()
                entry["global_level"] = level.value if level else "none (per subject)"
            except AdminUnsupported:
                pass
        except AdminUnsupported as exc:
            entry.update(status="unsupported", detail=str(exc))
        except BackendError as exc:
            entry.update(status="unreachable", detail=str(exc))
            code = UNREACHABLE
        except ConfigError as exc:
            entry.update(status="misconfigured", detail=str(exc))
            code = max(code, USAGE)
        found.append(entry)
    if args.json:
        emit_json({"registries": found, "exit_code": code})
        return code
    rows: list[tuple[str, ...]] = [("id", "type", "status", "time", "global level")]
    for e in found:
        status = e["status"] if e["detail"] is None else f"{e['status']}: {e['detail']}"
        if e["status"] == "unsupported":
            status = f"not asked ({e['detail']})"
        rows.append((e["id"], e["type"], status, f"{e['ms']:.0f} ms" if e["ms"] is not None else "-",
                     e["global_level"] or ("n/a" if e["status"] in ("reachable", "unsupported") else "")))
    _table(rows)
    return code


def cmd_subjects(session: Session, args: argparse.Namespace) -> int:
    """The subjects of one registry, optionally those starting with ``--prefix``."""
    _, admin = session.admin(args.id, "list subjects")
    subjects = admin.list_subjects(prefix=args.prefix)
    if args.json:
        emit_json({"registry": args.id, "subjects": subjects, "exit_code": OK})
        return OK
    for subject in subjects:
        print(subject)
    return OK


def cmd_find(session: Session, args: argparse.Namespace) -> int:
    """The latest version of one subject on every registry, side by side."""
    found: list[dict[str, Any]] = []
    first: str | None = None
    code = OK
    for spec in session.settings.registries:
        entry: dict[str, Any] = {"id": spec.id, "type": spec.type, "status": "registered", "detail": None,
                                 "version": None, "schema_type": None, "sha256": None, "same_as_first": None}
        found.append(entry)
        try:
            latest = admin_of(session.open(spec), "latest").latest(args.subject)
        except AdminUnsupported as exc:
            entry.update(status="unsupported", detail=str(exc))
            continue
        except BackendError as exc:
            entry.update(status="unreachable", detail=str(exc))
            code = UNREACHABLE
            continue
        if latest is None:
            entry["status"] = "not registered"
            continue
        digest = hashlib.sha256(latest.text.encode()).hexdigest()
        entry.update(version=latest.version, sha256=digest, same_as_first=first is None or first == digest,
                     schema_type=latest.schema_type if isinstance(latest, RegisteredVersion) else None)
        first = first or digest
    if args.json:
        emit_json({"subject": args.subject, "registries": found, "exit_code": code})
        return code
    rows: list[tuple[str, ...]] = [("registry", "type", "version", "schema type", "sha256", "same as first")]
    for e in found:
        if e["status"] != "registered":
            note = {"unreachable": f"unreachable: {e['detail']}", "unsupported": e["detail"]}.get(e["status"])
            rows.append((e["id"], e["type"], "-", "-", "-", note or e["status"]))
            continue
        rows.append((e["id"], e["type"], e["version"], e["schema_type"] or "-", e["sha256"][:12],
                     "yes" if e["same_as_first"] else "no: differs"))
    print(f"subject {args.subject}:")
    _table(rows)
    return code


def cmd_levels(session: Session, args: argparse.Namespace) -> int:
    """The registry's global level and the level of each subject (named, else all of them)."""
    backend, admin = session.admin(args.id, "levels")
    global_level = admin.global_level()
    subjects = list(args.subjects) or admin.list_subjects()

    def one(subject: str) -> dict[str, str | None]:
        try:
            own = admin.subject_level(subject)
        except SubjectNotFound:
            return {"subject": subject, "level": None, "source": "not registered"}
        if own is not None:
            return {"subject": subject, "level": own.value, "source": "own"}
        if global_level is not None:
            return {"subject": subject, "level": global_level.value, "source": "global"}
        return {"subject": subject, "level": None, "source": "none"}

    progress = Progress(len(subjects), f"levels of {args.id}")
    try:
        found = map_bounded(one, subjects, backend.max_in_flight, progress)
    finally:
        progress.close()
    if args.json:
        emit_json({"registry": args.id, "global": global_level.value if global_level else None,
                   "subjects": found, "exit_code": OK})
        return OK
    print(f"global: {global_level.value if global_level else 'none (each subject has its own level)'}")
    for entry in found:
        said = {"own": f"{entry['level']}", "global": f"{entry['level']} (global)",
                "none": "no level (accepts no new version)", "not registered": "not registered"}
        print(f"{entry['subject']}: {said[str(entry['source'])]}")
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
    as_json = bool(getattr(args, "json", False))
    try:
        with open_session(registry, args.config) as session:
            return COMMANDS[command](session, args)
    except ValueError as exc:
        return fail(str(exc), USAGE, as_json=as_json)
    except BackendError as exc:
        return fail(str(exc), UNREACHABLE, as_json=as_json)
    except SchemafedError as exc:  # AdminUnsupported, ConfigError, an unknown subject
        return fail(str(exc), USAGE, as_json=as_json)
