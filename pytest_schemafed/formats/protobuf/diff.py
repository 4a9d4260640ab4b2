"""A port of Confluent Schema Registry's Protobuf ``SchemaDiff`` (its wire-compatibility walk).

``schema_diff(original, update)`` lists every :class:`Difference` between a
writer's schema (``original``) and a reader's (``update``), with Confluent's
change types and paths (``#/Message/3``, ``#/Message/oneof_name/4``). The
change types in :data:`COMPATIBLE_CHANGES` are harmless; any other one makes the
pair incompatible. This is the same call Confluent makes for BACKWARD
(``SchemaDiff.compare(previous, new)``); FORWARD swaps the arguments.

Walking and pairing live here (messages by name, fields by number, oneofs by
name, enum constants by number); each kind of change is decided by one small
function (``_presence``, ``_field_pair``, ``_scalar_pair``, ``_named_pair``,
``oneofs.oneof_membership``, ...). One deliberate difference from Confluent (whose
parser leaves the label of a proto3 field without one unset and then skips the
label check): a field without a label is singular, so ``int32 x`` ->
``repeated int32 x`` is FIELD_NUMERIC_LABEL_CHANGED here, as it is on the wire
(a packed repeated number is not readable as a singular one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import EnumDef, EnumValue, FieldDef, MessageDef, OneofDef
from .oneofs import oneof_membership, renamed_oneofs
from .resolver import TypeInfo

__all__ = ["CHANGE_TYPES", "COMPATIBLE_CHANGES", "Difference", "schema_diff"]

CHANGE_TYPES = (
    "PACKAGE_CHANGED",
    "SYNTAX_CHANGED",
    "MESSAGE_ADDED",
    "MESSAGE_REMOVED",
    "MESSAGE_MOVED",
    "ENUM_ADDED",
    "ENUM_REMOVED",
    "ENUM_CONST_ADDED",
    "ENUM_CONST_CHANGED",
    "ENUM_CONST_REMOVED",
    "FIELD_ADDED",
    "FIELD_REMOVED",
    "FIELD_NAME_CHANGED",
    "FIELD_KIND_CHANGED",
    "FIELD_SCALAR_KIND_CHANGED",
    "FIELD_NAMED_TYPE_CHANGED",
    "FIELD_NUMERIC_LABEL_CHANGED",
    "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
    "REQUIRED_FIELD_ADDED",
    "REQUIRED_FIELD_REMOVED",
    "ONEOF_ADDED",
    "ONEOF_REMOVED",
    "ONEOF_FIELD_ADDED",
    "ONEOF_FIELD_REMOVED",
    "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
    "FIELD_MOVED_TO_EXISTING_ONEOF",
)
"""Confluent's ``Difference.Type`` values, plus SYNTAX_CHANGED (ours, always compatible)."""

COMPATIBLE_CHANGES = frozenset(
    {
        "SYNTAX_CHANGED",
        "MESSAGE_ADDED",
        "MESSAGE_MOVED",
        "ENUM_ADDED",
        "ENUM_REMOVED",
        "ENUM_CONST_ADDED",
        "ENUM_CONST_CHANGED",
        "ENUM_CONST_REMOVED",
        "FIELD_ADDED",
        "FIELD_REMOVED",
        "FIELD_NAME_CHANGED",
        "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
        "ONEOF_ADDED",
        "ONEOF_REMOVED",
        "ONEOF_FIELD_ADDED",
    }
)
"""Confluent's ``SchemaDiff.COMPATIBLE_CHANGES`` (plus SYNTAX_CHANGED).

PACKAGE_CHANGED left this set in February 2024: a new package renames every type,
and Confluent rejects it since."""

Node = Any  # MessageDef | EnumDef | FieldDef | OneofDef | EnumValue | None

_SCALAR_KIND = {
    "int32": "GENERAL_NUMBER",
    "int64": "GENERAL_NUMBER",
    "uint32": "GENERAL_NUMBER",
    "uint64": "GENERAL_NUMBER",
    "bool": "GENERAL_NUMBER",
    "sint32": "SIGNED_NUMBER",
    "sint64": "SIGNED_NUMBER",
    "string": "STRING_OR_BYTES",
    "bytes": "STRING_OR_BYTES",
    "fixed32": "FIXED32",
    "sfixed32": "FIXED32",
    "fixed64": "FIXED64",
    "sfixed64": "FIXED64",
    "float": "FLOAT",
    "double": "DOUBLE",
}


@dataclass(frozen=True, slots=True)
class Difference:
    """One change between writer (``original``) and reader (``update``).

    ``original``/``update`` are the elements the change is about on each side
    (``None`` where absent); ``scope`` the enclosing (original, update) element
    pairs, outermost first, for locating a change whose element is missing.
    """

    type: str
    path: str
    original: Node = None
    update: Node = None
    scope: tuple[tuple[Node, Node], ...] = ()
    detail: tuple[str, str] | None = None

    @property
    def compatible(self) -> bool:
        """True when Confluent accepts this change."""
        return self.type in COMPATIBLE_CHANGES


@dataclass(frozen=True, slots=True)
class _PType:
    """A field type as Wire's ProtoType sees it: scalar, map, or named (message/enum/opaque)."""

    written: str
    resolved: str | None = None
    key: _PType | None = None
    value: _PType | None = None


class _Ctx:
    def __init__(self, orig: dict[str, TypeInfo], upd: dict[str, TypeInfo]) -> None:
        self.types = (orig, upd)
        self.path: list[str] = []
        self.scope: list[tuple[Node, Node]] = []
        self.diffs: list[Difference] = []
        self.active: set[int] = set()

    def add(self, kind: str, o: Node = None, u: Node = None, detail: tuple[str, str] | None = None) -> None:
        self.diffs.append(Difference(kind, "#/" + "/".join(self.path), o, u, tuple(self.scope), detail))

    def info(self, full: str | None, side: int) -> TypeInfo | None:
        return None if full is None else self.types[side].get(full)


def schema_diff(original: Any, update: Any) -> list[Difference]:
    """Every difference from ``original`` (writer) to ``update`` (reader).

    Both arguments are :class:`~pytest_schemafed.formats.protobuf.ProtobufSchema`.
    """
    ctx = _Ctx(original.types, update.types)
    if original.main.package != update.main.package:
        ctx.add("PACKAGE_CHANGED", detail=(original.main.package, update.main.package))
    if original.main.syntax != update.main.syntax:
        ctx.add("SYNTAX_CHANGED", detail=(original.main.syntax, update.main.syntax))
    _types(ctx, original.main.types, update.main.types)
    return ctx.diffs


def _types(ctx: _Ctx, original: list[Any], update: list[Any]) -> None:
    """Pair messages and enums by name; a message's index among messages is its position."""
    om = [t for t in original if isinstance(t, MessageDef)]
    um = [t for t in update if isinstance(t, MessageDef)]
    o_index = {m.name: i for i, m in enumerate(om)}
    u_index = {m.name: i for i, m in enumerate(um)}
    o_msgs, u_msgs = {m.name: m for m in om}, {m.name: m for m in um}
    for name in _union(o_msgs, u_msgs):
        o, u = o_msgs.get(name), u_msgs.get(name)
        ctx.path.append(name)
        if u is None:
            assert o is not None
            if not o.is_map_entry:
                ctx.add("MESSAGE_REMOVED", o, None)
        elif o is None:
            if not u.is_map_entry:
                ctx.add("MESSAGE_ADDED", None, u)
        else:
            _message(ctx, o, u)
            if o_index[name] != u_index[name]:
                ctx.scope.append((o, u))
                ctx.add("MESSAGE_MOVED", o, u)
                ctx.scope.pop()
        ctx.path.pop()
    o_enums = {t.name: t for t in original if isinstance(t, EnumDef)}
    u_enums = {t.name: t for t in update if isinstance(t, EnumDef)}
    for name in _union(o_enums, u_enums):
        ctx.path.append(name)
        _enum(ctx, o_enums.get(name), u_enums.get(name))
        ctx.path.pop()


def _union(a: dict[Any, Any], b: dict[Any, Any]) -> list[Any]:
    return list(a) + [k for k in b if k not in a]


def _message(ctx: _Ctx, o: MessageDef, u: MessageDef) -> None:
    """Confluent's MessageSchemaDiff: oneof moves, oneofs, fields by number, nested types."""
    ctx.scope.append((o, u))
    if id(o) not in ctx.active:
        ctx.active.add(id(o))
        try:
            _message_fields(ctx, o, u)
        finally:
            ctx.active.discard(id(o))
    _types(ctx, o.types, u.types)
    ctx.scope.pop()


def _message_fields(ctx: _Ctx, o: MessageDef, u: MessageDef) -> None:
    o_top = {f.number: f for f in o.fields}
    u_top = {f.number: f for f in u.fields}
    o_all = {f.number: f for f in o.all_fields()}
    u_all = {f.number: f for f in u.all_fields()}
    o_in_oneof = {f.number: one.name for one in o.oneofs for f in one.fields}
    u_in_oneof = {f.number: one.name for one in u.oneofs for f in one.fields}
    o_oneofs, u_oneofs = {x.name: x for x in o.oneofs}, {x.name: x for x in u.oneofs}
    for one in u.oneofs:
        ctx.path.append(one.name)
        moved = oneof_membership(one, o_top, o_all, o_in_oneof)
        if moved is not None:
            ctx.add(moved[0], None, one, detail=(moved[1], ""))
        ctx.path.pop()
    renamed = renamed_oneofs(o, u, o_in_oneof)
    for name in sorted(set(o_oneofs) | set(u_oneofs)):
        ctx.path.append(name)
        _oneof(ctx, o_oneofs.get(name), u_oneofs.get(name), set(u_all), renamed)
        ctx.path.pop()
    for number in sorted(set(o_top) | set(u_top)):
        ctx.path.append(str(number))
        _field_presence(ctx, o_top.get(number), u_top.get(number))
        ctx.path.pop()
    for number in sorted(set(o_all) & set(u_all)):
        oo, uo = o_in_oneof.get(number), u_in_oneof.get(number)
        if (oo is None and uo is None) or (oo is not None and oo == uo):
            continue  # compared above, as top-level or same-oneof fields
        ctx.path.append(str(number))
        _field_pair(ctx, o_all[number], u_all[number])
        ctx.path.pop()


def _oneof(
    ctx: _Ctx, o: OneofDef | None, u: OneofDef | None, u_numbers: set[int], renamed: dict[str, OneofDef]
) -> None:
    if u is None:
        ctx.add("ONEOF_REMOVED", o, None)
        return
    if o is None:
        was = renamed.get(u.name)
        # A rename keeps the writer's oneof as ``original`` (for the advisory); still ONEOF_ADDED.
        ctx.add("ONEOF_ADDED", was, u, detail=(was.name, u.name) if was is not None else None)
        return
    ctx.scope.append((o, u))
    o_by, u_by = {f.number: f for f in o.fields}, {f.number: f for f in u.fields}
    for number in sorted(set(o_by) | set(u_by)):
        ctx.path.append(str(number))
        of, uf = o_by.get(number), u_by.get(number)
        if uf is None:
            if number not in u_numbers:  # only a field gone from the whole message was removed
                ctx.add("ONEOF_FIELD_REMOVED", of, None)
        elif of is None:
            ctx.add("ONEOF_FIELD_ADDED", None, uf)
        else:
            _field_pair(ctx, of, uf)
        ctx.path.pop()
    ctx.scope.pop()


def _field_presence(ctx: _Ctx, o: FieldDef | None, u: FieldDef | None) -> None:
    """Removed or added fields; a proto2 ``required`` one cannot come or go."""
    if u is None:
        assert o is not None
        ctx.add("REQUIRED_FIELD_REMOVED" if o.label == "required" else "FIELD_REMOVED", o, None)
    elif o is None:
        ctx.add("REQUIRED_FIELD_ADDED" if u.label == "required" else "FIELD_ADDED", None, u)
    else:
        _field_pair(ctx, o, u)


def _label(f: FieldDef) -> str | None:
    if f.is_map:
        return None
    return f.label or "optional"


def _ptype(f: FieldDef) -> _PType:
    if f.is_map:
        assert f.key_type is not None and f.value_type is not None
        return _PType(f.type, None, _PType(f.key_type), _PType(f.value_type, f.value_resolved))
    return _PType(f.type, f.resolved)


def _field_pair(ctx: _Ctx, o: FieldDef, u: FieldDef) -> None:
    """Confluent's FieldSchemaDiff: the name, then the kind, scalar kind, label or named type."""
    ctx.scope.append((o, u))
    if o.name != u.name:
        ctx.add("FIELD_NAME_CHANGED", o, u, detail=(o.name, u.name))
    _labels_and_types(ctx, o, u, _label(o), _label(u), _ptype(o), _ptype(u))
    ctx.scope.pop()


def _as_map(ctx: _Ctx, t: _PType, side: int) -> _PType:
    info = ctx.info(t.resolved, side)
    if info is not None and isinstance(info.node, MessageDef) and info.node.is_map_entry:
        fields = {f.name: f for f in info.node.fields}
        if "key" in fields and "value" in fields:
            return _PType(
                f"map<{fields['key'].type}, {fields['value'].type}>",
                None,
                _ptype(fields["key"]),
                _ptype(fields["value"]),
            )
    return t


def _kind(ctx: _Ctx, t: _PType, side: int) -> str:
    if t.key is not None:
        return "MAP"
    if t.written in _SCALAR_KIND:
        return "SCALAR"
    info = ctx.info(t.resolved, side)
    return "SCALAR" if info is not None and isinstance(info.node, EnumDef) else "MESSAGE"


def _labels_and_types(
    ctx: _Ctx, o: FieldDef, u: FieldDef, ol: str | None, ul: str | None, ot: _PType, ut: _PType
) -> None:
    ot, ut = _as_map(ctx, ot, 0), _as_map(ctx, ut, 1)
    ok, uk = _kind(ctx, ot, 0), _kind(ctx, ut, 1)
    if ok != uk:
        ctx.add("FIELD_KIND_CHANGED", o, u, detail=(ot.written, ut.written))
    elif ok == "SCALAR":
        _scalar_pair(ctx, o, u, ol, ul, ot, ut)
    elif ok == "MESSAGE":
        _named_pair(ctx, o, u, ot, ut)
    else:
        assert ot.key and ut.key and ot.value and ut.value
        _labels_and_types(ctx, o, u, None, None, ot.key, ut.key)
        _labels_and_types(ctx, o, u, None, None, ot.value, ut.value)


def _scalar_kind(ctx: _Ctx, t: _PType, side: int) -> str:
    info = ctx.info(t.resolved, side)
    if info is not None and isinstance(info.node, EnumDef):
        return "GENERAL_NUMBER"
    return _SCALAR_KIND[t.written]


def _scalar_pair(ctx: _Ctx, o: FieldDef, u: FieldDef, ol: str | None, ul: str | None, ot: _PType, ut: _PType) -> None:
    """Scalars (and enums, read as varints) must keep their wire group; labels matter for numbers."""
    ok, uk = _scalar_kind(ctx, ot, 0), _scalar_kind(ctx, ut, 1)
    if ok != uk:
        ctx.add("FIELD_SCALAR_KIND_CHANGED", o, u, detail=(ot.written, ut.written))
    elif ol is not None and ul is not None and ol != ul:
        kind = "FIELD_STRING_OR_BYTES_LABEL_CHANGED" if ok == "STRING_OR_BYTES" else "FIELD_NUMERIC_LABEL_CHANGED"
        ctx.add(kind, o, u, detail=(o.label or "singular", u.label or "singular"))


def _local_name(full: str, info: TypeInfo) -> str:
    return full[len(info.package) + 1 :] if info.package and full.startswith(info.package + ".") else full


def _named_pair(ctx: _Ctx, o: FieldDef, u: FieldDef, ot: _PType, ut: _PType) -> None:
    """Message-typed fields: same name relative to its package; if it is defined in different
    files on the two sides, its definition is compared too."""
    oi, ui = ctx.info(ot.resolved, 0), ctx.info(ut.resolved, 1)
    if oi is None or ui is None or ot.resolved is None or ut.resolved is None:
        if ot.written != ut.written:
            ctx.add("FIELD_NAMED_TYPE_CHANGED", o, u, detail=(ot.written, ut.written))
        return
    o_local, u_local = _local_name(ot.resolved, oi), _local_name(ut.resolved, ui)
    if o_local != u_local:
        ctx.add("FIELD_NAMED_TYPE_CHANGED", o, u, detail=(ot.resolved, ut.resolved))
        return
    if oi.ref == ui.ref or not isinstance(oi.node, MessageDef) or not isinstance(ui.node, MessageDef):
        return
    saved, ctx.path = ctx.path, o_local.split(".")
    mark = len(ctx.diffs)
    _message(ctx, oi.node, ui.node)
    ctx.path = saved
    if any(not d.compatible for d in ctx.diffs[mark:]):
        ctx.add("FIELD_NAMED_TYPE_CHANGED", o, u, detail=(ot.resolved, ut.resolved))


def _enum(ctx: _Ctx, o: EnumDef | None, u: EnumDef | None) -> None:
    if u is None:
        ctx.add("ENUM_REMOVED", o, None)
        return
    if o is None:
        ctx.add("ENUM_ADDED", None, u)
        return
    ctx.scope.append((o, u))
    o_by: dict[int, EnumValue] = {}
    u_by: dict[int, EnumValue] = {}
    for v in o.values:
        o_by[v.number] = v
    for v in u.values:
        u_by[v.number] = v
    for number in sorted(set(o_by) | set(u_by)):
        ctx.path.append(str(number))
        ov, uv = o_by.get(number), u_by.get(number)
        if uv is None:
            ctx.add("ENUM_CONST_REMOVED", ov, None)
        elif ov is None:
            ctx.add("ENUM_CONST_ADDED", None, uv)
        elif ov.name != uv.name:
            ctx.add("ENUM_CONST_CHANGED", ov, uv, detail=(ov.name, uv.name))
        ctx.path.pop()
    ctx.scope.pop()
