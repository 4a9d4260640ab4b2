"""Advisories: changes Confluent accepts that commonly bite later, reported as warnings.

A warning (``Severity.WARNING``) is shown in reports but never makes a verdict
incompatible. Each advisory is one small function over a compatible
:class:`~.diff.Difference`, registered in :data:`ADVISORIES` under its rule id.

The local file is the *new* version: for BACKWARD it is the reader (the diff's
update side), for FORWARD the writer (the diff's original side), so "removed in the
new version" is FIELD_REMOVED in the first case and FIELD_ADDED in the second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model import Finding, Severity
from ..base import Rule, Side
from .diff import Difference
from .model import EnumDef, EnumValue, FieldDef, MessageDef, OneofDef

__all__ = ["ADVISORIES", "ADVISORY_RULES", "advisories"]

ADVISORY_RULES: tuple[Rule, ...] = (
    Rule(
        "FIELD_REMOVED_WITHOUT_RESERVED",
        "Checks that a removed field's number and name are reserved, so that they are never reused.",
        'Add `reserved <number>;` and `reserved "<name>";` to the message.',
    ),
    Rule(
        "ENUM_VALUE_REMOVED_WITHOUT_RESERVED",
        "Checks that a removed enum value's number and name are reserved, so that they are never reused.",
        'Add `reserved <number>;` and `reserved "<name>";` to the enum.',
    ),
    Rule(
        "FIELD_RENAMED",
        "Checks that a field keeps its name: the binary encoding ignores names, but JSON, "
        "field masks and generated code do not.",
        "Keep the old name, or add a new field and deprecate the old one.",
    ),
    Rule(
        "ONEOF_RENAMED",
        "Checks that a oneof keeps its name: the binary encoding ignores it, but generated code "
        "(the case enum and its accessors) does not.",
        "Keep the oneof's old name.",
    ),
)
_RULES = {r.id: r for r in ADVISORY_RULES}


def _reserved(container: MessageDef | EnumDef, number: int, name: str) -> list[str]:
    """The missing ``reserved`` statements for ``number`` and ``name`` in ``container``."""
    missing = []
    if not any(lo <= number <= hi for lo, hi in container.reserved_numbers):
        missing.append(f"`reserved {number};`")
    if name not in container.reserved_names:
        missing.append(f'`reserved "{name}";`')
    return missing


def _container(d: Difference, side: int) -> Any:
    for pair in reversed(d.scope):
        node = pair[side]
        if isinstance(node, (MessageDef, EnumDef)):
            return node
    return None


def _removed(d: Difference, local: Side) -> tuple[Any, Any] | None:
    """(removed element, local container) when ``d`` removes an element in the local (new) file."""
    side = 1 if local == "reader" else 0
    gone = d.original if local == "reader" else d.update
    kept = d.update if local == "reader" else d.original
    if gone is None or kept is not None:
        return None
    container = _container(d, side)
    if container is None or container.origin != "":
        return None
    if isinstance(container, MessageDef) and any(f.number == gone.number for f in container.all_fields()):
        return None  # moved into or out of a oneof, not removed
    return gone, container


def _unreserved(d: Difference, local: Side, rule: str, what: str) -> Finding | None:
    hit = _removed(d, local)
    if hit is None:
        return None
    gone, container = hit
    missing = _reserved(container, gone.number, gone.name)
    if not missing:
        return None
    kind = "message" if isinstance(container, MessageDef) else "enum"
    return Finding(
        rule=rule,
        message=f"{what} {gone.number} `{gone.name}` removed from {kind} `{container.full_name}` without "
        f"{' or '.join(missing)}: a later version may reuse it, and data written with the old meaning "
        f"is then read with the new one (Confluent accepts this change)",
        path=container.full_name,
        line=container.line,
        column=container.column,
        hint=_RULES[rule].hint,
        severity=Severity.WARNING,
    )


def field_removed_without_reserved(d: Difference, local: Side) -> Finding | None:
    """A field deleted in the new version whose number or name is not reserved."""
    if d.type not in ("FIELD_REMOVED", "FIELD_ADDED") or not isinstance(d.original or d.update, FieldDef):
        return None
    return _unreserved(d, local, "FIELD_REMOVED_WITHOUT_RESERVED", "field")


def enum_value_removed_without_reserved(d: Difference, local: Side) -> Finding | None:
    """An enum value deleted in the new version whose number or name is not reserved."""
    if d.type not in ("ENUM_CONST_REMOVED", "ENUM_CONST_ADDED") or not isinstance(d.original or d.update, EnumValue):
        return None
    return _unreserved(d, local, "ENUM_VALUE_REMOVED_WITHOUT_RESERVED", "enum value")


def field_renamed(d: Difference, local: Side) -> Finding | None:
    """A field whose number stays and whose name changes."""
    if d.type != "FIELD_NAME_CHANGED" or d.detail is None:
        return None
    node = d.update if local == "reader" else d.original
    if not isinstance(node, FieldDef) or node.origin != "":
        return None
    before, after = d.detail if local == "reader" else d.detail[::-1]
    container = _container(d, 1 if local == "reader" else 0)
    where = f" of message `{container.full_name}`" if container is not None else ""
    return Finding(
        rule="FIELD_RENAMED",
        message=f"field {node.number} `{before}`{where} is renamed to `{after}`: the wire format is unchanged "
        f"(Confluent accepts this change), but JSON data, field masks and code using the old name break",
        path=f"{container.full_name}.{node.name}" if container is not None else node.name,
        line=node.line,
        column=node.column,
        hint=_RULES["FIELD_RENAMED"].hint,
        severity=Severity.WARNING,
    )


def oneof_renamed(d: Difference, local: Side) -> Finding | None:
    """A oneof that holds all of an earlier oneof's fields under a new name (ONEOF_ADDED with the old one)."""
    if d.type != "ONEOF_ADDED" or d.detail is None:
        return None
    if not isinstance(d.original, OneofDef) or not isinstance(d.update, OneofDef):
        return None
    node = d.update if local == "reader" else d.original
    if node.origin != "":
        return None
    before, after = d.detail if local == "reader" else d.detail[::-1]
    container = _container(d, 1 if local == "reader" else 0)
    where = f" of message `{container.full_name}`" if container is not None else ""
    return Finding(
        rule="ONEOF_RENAMED",
        message=f"oneof `{before}`{where} is renamed to `{after}`: the wire format is unchanged "
        f"(Confluent accepts this change as ONEOF_REMOVED and ONEOF_ADDED), but code using the "
        f"generated `{before}` case and accessors breaks",
        path=f"{container.full_name}.{node.name}" if container is not None else node.name,
        line=node.line,
        column=node.column,
        hint=_RULES["ONEOF_RENAMED"].hint,
        severity=Severity.WARNING,
    )


ADVISORIES: dict[str, Callable[[Difference, Side], Finding | None]] = {
    "FIELD_REMOVED_WITHOUT_RESERVED": field_removed_without_reserved,
    "ENUM_VALUE_REMOVED_WITHOUT_RESERVED": enum_value_removed_without_reserved,
    "FIELD_RENAMED": field_renamed,
    "ONEOF_RENAMED": oneof_renamed,
}


def advisories(diffs: list[Difference], local: Side) -> list[Finding]:
    """The warnings for the compatible changes in ``diffs``, in diff order."""
    found: list[Finding] = []
    for d in diffs:
        if not d.compatible:
            continue
        for check in ADVISORIES.values():
            finding = check(d, local)
            if finding is not None:
                found.append(finding)
    return found
