"""The Protobuf rule table and how a :class:`~.diff.Difference` becomes a :class:`Finding`.

One rule per *incompatible* Confluent change type (the compatible ones, listed
in :data:`~.diff.COMPATIBLE_CHANGES`, never fail a check). Sentences are
templates keyed by rule id; each names the message, the field name and number,
and where the element is (or was) on the other side.

``Finding.path`` for Protobuf is the dotted name of the element in the local
file: ``pkg.Order.items`` for a field, ``pkg.Order.payment`` for a oneof,
``pkg.Status.ACTIVE`` for an enum constant, ``pkg.Order`` for a message. When
the element only exists on the other side (a deletion), path, line and column
are those of the nearest enclosing element of the local file, and the message
gives the line where it was on the other side. Confluent's own path
(``#/Order/3``) ends every message, so that it can be matched with a
registry's verbose answer.
"""

from __future__ import annotations

from typing import Any

from ..base import Rule, Side
from .diff import COMPATIBLE_CHANGES, Difference
from .model import EnumDef, EnumValue, FieldDef, MessageDef, OneofDef, ProtoFile

__all__ = ["RULES", "TEMPLATES", "to_finding_args"]

RULES: tuple[Rule, ...] = (
    Rule(
        "PACKAGE_CHANGED",
        "Checks that the file's package is unchanged, since it is part of every type's full name.",
        "Keep the package; to move types to a new package, register them under a new subject.",
    ),
    Rule(
        "MESSAGE_REMOVED",
        "Checks that no message the writer uses is missing from the reader's schema.",
        "Keep the message (mark it deprecated) instead of deleting it.",
    ),
    Rule(
        "FIELD_KIND_CHANGED",
        "Checks that a field keeps its kind: scalar or enum, message, or map.",
        "Add a new field with a new number for the new kind; keep or reserve the old one.",
    ),
    Rule(
        "FIELD_SCALAR_KIND_CHANGED",
        "Checks that a scalar field keeps a type of the same wire group (varint, zigzag, "
        "length-delimited, fixed32, fixed64, float, double).",
        "Only change between types of one group (int32/int64/uint32/uint64/bool/enum, string/bytes, ...).",
    ),
    Rule(
        "FIELD_NAMED_TYPE_CHANGED",
        "Checks that a message-typed field keeps the same message type, compatibly changed.",
        "Add a new field with a new number for the new message type.",
    ),
    Rule(
        "FIELD_NUMERIC_LABEL_CHANGED",
        "Checks that a numeric field does not change between singular and repeated (or required).",
        "Add a new repeated field with a new number instead of changing the label.",
    ),
    Rule(
        "REQUIRED_FIELD_ADDED",
        "Checks that the reader does not require a field the writer does not write.",
        "Add the field as optional.",
    ),
    Rule(
        "REQUIRED_FIELD_REMOVED",
        "Checks that a proto2 required field is not removed.",
        "Keep the required field; proto2 readers of the old schema reject messages without it.",
    ),
    Rule(
        "ONEOF_FIELD_REMOVED",
        "Checks that no field is removed from a oneof.",
        "Keep the oneof member (mark it deprecated) instead of deleting it.",
    ),
    Rule(
        "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
        "Checks that a oneof takes in at most one field that was outside a oneof.",
        "Move at most one existing field into a new oneof; add new fields for the others.",
    ),
    Rule(
        "FIELD_MOVED_TO_EXISTING_ONEOF",
        "Checks that a oneof does not join fields the writer could set together: a top-level field "
        "moved into an existing oneof, a field moved from one oneof into another, or two oneofs merged.",
        "Keep the oneofs apart; add new oneof members with new numbers instead of moving fields.",
    ),
)

TEMPLATES: dict[str, str] = {
    "PACKAGE_CHANGED": "the package is {old} in the writer's schema ({writer}) and {new} in the reader's "
    "({reader}): every type's full name changes with it",
    "MESSAGE_REMOVED": "message {name} is in the writer's schema ({writer}) but not in the reader's ({reader}){was}",
    "FIELD_KIND_CHANGED": "{field}: its type is {old} in the writer's schema ({writer}) and {new} in the "
    "reader's ({reader}), a different kind (scalar/enum, message, map) with another wire format",
    "FIELD_SCALAR_KIND_CHANGED": "{field}: its type is {old} in the writer's schema ({writer}) and {new} in "
    "the reader's ({reader}), which is encoded differently on the wire",
    "FIELD_NAMED_TYPE_CHANGED": "{field}: its message type is {old} in the writer's schema ({writer}) and "
    "{new} in the reader's ({reader}), and the two are not compatible",
    "FIELD_NAMED_TYPE_CHANGED:definition": "{field}: its message type {old} keeps its name, but its "
    "definition in the file that defines it changes incompatibly between the writer's schema ({writer}) and "
    "the reader's ({reader}); the changes are reported at {old}'s own elements",
    "FIELD_NUMERIC_LABEL_CHANGED": "{field}: it is {old} in the writer's schema ({writer}) and {new} in the "
    "reader's ({reader}); a numeric field cannot change between singular and repeated",
    "REQUIRED_FIELD_ADDED": "{field}: required in the reader's schema ({reader}) but absent from the "
    "writer's ({writer}): data written without it is rejected",
    "REQUIRED_FIELD_REMOVED": "{field}: required in the writer's schema ({writer}) and absent from the "
    "reader's ({reader}){was}",
    "ONEOF_FIELD_REMOVED": "{field} of oneof {oneof}: in the writer's schema ({writer}) but not in the "
    "reader's ({reader}){was}",
    "MULTIPLE_FIELDS_MOVED_TO_ONEOF": "oneof {oneof} of message {name}: takes in several fields that were "
    "independent in the writer's schema ({writer}): {groups}; data setting more than one of them loses values",
    "FIELD_MOVED_TO_EXISTING_ONEOF": "oneof {oneof} of message {name}: makes fields exclusive that were "
    "independent in the writer's schema ({writer}): {groups}; data setting more than one of them loses values",
}


def _names(local: Side) -> tuple[str, str]:
    """(writer, reader) described as local / registered."""
    return (
        ("the registered schema", "the local schema")
        if local == "reader"
        else ("the local schema", "the registered schema")
    )


def _field_words(f: FieldDef | None, message: str) -> str:
    if f is None:
        return f"a field of message {message}"
    return f"field `{f.name}` = {f.number} of message `{message}`"


def _enclosing_message(d: Difference, local_side: int) -> str:
    for pair in reversed(d.scope):
        for node in (pair[local_side], pair[1 - local_side]):
            if isinstance(node, (MessageDef, EnumDef)):
                return node.full_name
    return ""


def _pick_local(d: Difference, local_side: int) -> Any:
    node = d.update if local_side == 1 else d.original
    if node is not None and node.origin == "":
        return node
    for pair in reversed(d.scope):
        cand = pair[local_side]
        if cand is not None and cand.origin == "":
            return cand
    return None


def _path_of(node: Any, d: Difference, local_side: int) -> str:
    if isinstance(node, (MessageDef, EnumDef)):
        return node.full_name
    message = _enclosing_message(d, local_side)
    if isinstance(node, (FieldDef, OneofDef, EnumValue)):
        return f"{message}.{node.name}" if message else node.name
    return message


def _subject(d: Difference, local_side: int) -> Any:
    """The element the change is about, preferring the local side; else the innermost one in scope."""
    for node in (d.update, d.original)[:: 1 if local_side == 1 else -1]:
        if node is not None:
            return node
    for pair in reversed(d.scope):
        for node in (pair[local_side], pair[1 - local_side]):
            if node is not None:
                return node
    return None


def _imported_where(d: Difference, subject: Any, local_side: int, writer: str, reader: str) -> str:
    """For a change inside an imported file: which file, which line, and which local field uses it."""
    own_side = subject is (d.update if local_side == 1 else d.original) or any(
        pair[local_side] is subject for pair in d.scope
    )
    side_name = (reader if local_side == 1 else writer) if own_side else (writer if local_side == 1 else reader)
    via = ""
    for i in range(len(d.scope) - 1, -1, -1):
        cand = d.scope[i][local_side]
        if isinstance(cand, FieldDef) and cand.origin == "":
            owner = next(
                (p[local_side].full_name for p in reversed(d.scope[:i]) if isinstance(p[local_side], MessageDef)), ""
            )
            via = f", the type of {_field_words(cand, owner)}"
            break
    return f"; this is line {subject.line} of the imported file `{subject.origin}` in {side_name}{via}"


def to_finding_args(d: Difference, local: Side, main: ProtoFile) -> dict[str, Any] | None:
    """The ``Finding`` fields (rule, message, path, line, column, hint) for an incompatible ``d``.

    :param main: the local file (its package line locates file-level changes).
    :returns: ``None`` for a compatible change.
    """
    if d.type in COMPATIBLE_CHANGES:
        return None
    local_side = 1 if local == "reader" else 0
    writer, reader = _names(local)
    own = d.update if local_side == 1 else d.original
    other = d.original if local_side == 1 else d.update
    message = _enclosing_message(d, local_side)
    subject_field = own if isinstance(own, FieldDef) else other if isinstance(other, FieldDef) else None
    if subject_field is None:
        for pair in reversed(d.scope):
            if isinstance(pair[local_side], FieldDef) or isinstance(pair[1 - local_side], FieldDef):
                subject_field = pair[local_side] or pair[1 - local_side]
                break
    oneof = own if isinstance(own, OneofDef) else other if isinstance(other, OneofDef) else None
    oneof_name = oneof.name if oneof else (subject_field.oneof if subject_field else None)
    was = ""
    if own is None and other is not None and getattr(other, "origin", "") == "":
        side_name = writer if local_side == 1 else reader
        was = f"; it was at line {other.line} of {side_name}"
    named = other if isinstance(other, (MessageDef, EnumDef)) else own
    old, new = d.detail or ("", "")
    subject = _subject(d, local_side)
    imported = getattr(subject, "origin", "") != ""
    key = d.type
    if d.type == "FIELD_NAMED_TYPE_CHANGED" and old == new:
        key = "FIELD_NAMED_TYPE_CHANGED:definition"
    text = TEMPLATES[key].format(
        field=_field_words(subject_field, message),
        name=f"`{named.full_name}`" if isinstance(named, (MessageDef, EnumDef)) else f"`{message}`",
        oneof=f"`{oneof_name}`" if oneof_name else "",
        old=f"`{old}`",
        new=f"`{new}`",
        writer=writer,
        reader=reader,
        was=was,
        groups=old,
    )
    node = _pick_local(d, local_side)
    if own is None and isinstance(other, OneofDef) and isinstance(node, MessageDef):
        # FORWARD: the oneof at fault is the registered reader's; point at the local one of that name.
        node = next((x for x in node.oneofs if x.name == other.name), node)
    if imported:
        # The element is in an imported file: its own path there, located (line, column) at
        # the local field that uses it, and the message says where it is in the imported file.
        text += _imported_where(d, subject, local_side, writer, reader)
        path = _path_of(subject, d, local_side)
    else:
        path = _path_of(node, d, local_side) if node is not None else main.package
    rule = next(r for r in RULES if r.id == d.type)
    return {
        "rule": d.type,
        "message": f"{text[0].upper()}{text[1:]} (Confluent: {d.type} {d.path}).",
        "path": path,
        "line": node.line if node is not None else main.package_line,
        "column": node.column if node is not None else main.package_column,
        "hint": rule.hint,
    }
