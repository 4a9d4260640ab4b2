"""A JSON Schema object as table columns, the way a Spark job reading such JSON writes them.

==========================================  ==========================================
JSON Schema                                 Spark / table type
==========================================  ==========================================
``string`` (``format: date`` / ``date-time``) string (date / timestamp)
``integer`` / ``number``                    bigint (int when bounded to 32 bits or
                                            ``format: int32``) / double
``boolean``                                 boolean
``object`` with ``properties``              struct; properties in ``required`` are
                                            NOT NULL unless they allow ``null``
``object`` with only ``additionalProperties``  map<string, ...>
``array`` with ``items``                    array
``enum`` / ``const``                        the type of the values
a type list or ``anyOf``/``oneOf`` with ``null``  the other type, nullable
``{}`` (any value)                          string (the value's JSON text)
==========================================  ==========================================

Anything else (``not``, ``if``/``then``, a union of different non-null types) has no
single column type: :class:`~.from_avro.LocalMappingError` with where it is written.
"""

from __future__ import annotations

from typing import Any

from ..formats.jsonschema.model import Node
from ..formats.jsonschema.parsing import ParsedJsonSchema
from .from_avro import LocalMappingError
from .model import Column, TableSchema, TType, primitive

__all__ = ["jsonschema_to_table"]

_FORMATS = {"date": "date", "date-time": "timestamp"}


def _value_kind(values: list[Any], at: str) -> tuple[TType, bool]:
    nullable = any(v is None for v in values)
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {str}:
        return primitive("string"), nullable
    if kinds <= {bool}:
        return primitive("boolean"), nullable
    if kinds <= {int}:
        return primitive("long"), nullable
    if kinds <= {int, float}:
        return primitive("double"), nullable
    raise LocalMappingError("an enum mixing value types has no single column type", at)


class _Mapper:
    def __init__(self) -> None:
        self.stack: list[int] = []

    @staticmethod
    def at(node: Node, fallback: str) -> str:
        return node.ptr if node.doc == "" else fallback

    def map(self, node: Node, at: str) -> tuple[TType, bool]:
        """(type, nullable) of one schema node; ``at`` is the nearest local pointer."""
        seen = 0
        while node.kind == "ref" and node.referred is not None and seen < 64:
            node, seen = node.referred, seen + 1
        here = self.at(node, at)
        kind = node.kind
        if kind == "string":
            fmt = node.raw.get("format") if isinstance(node.raw, dict) else None
            return primitive(_FORMATS.get(fmt, "string") if isinstance(fmt, str) else "string"), False
        if kind == "number":
            return primitive(_number_kind(node)), False
        if kind == "boolean":
            return primitive("boolean"), False
        if kind == "null":
            return primitive("void"), True
        if kind in ("empty", "true"):
            return primitive("string"), True
        if kind == "enum":
            return _value_kind(_raw_values(node, "enum"), here)
        if kind == "const":
            return _value_kind(_raw_values(node, "const"), here)
        if kind == "object":
            return self.object(node, here)
        if kind == "array":
            return self.array(node, here)
        if kind == "combined":
            return self.combined(node, here)
        raise LocalMappingError(f"a `{kind}` schema has no table column type", here)

    def object(self, node: Node, at: str) -> tuple[TType, bool]:
        if id(node) in self.stack:
            raise LocalMappingError("a schema that refers to itself cannot be a table column", at)
        if not node.properties and node.additional_properties is not None:
            value, nullable = self.map(node.additional_properties, at)
            return TType("map", key=primitive("string"), value=value, value_nullable=nullable), False
        if not node.properties:
            return TType("map", key=primitive("string"), value=primitive("string")), False
        self.stack.append(id(node))
        try:
            columns = []
            for name, prop in node.properties.items():
                prop_at = self.at(prop, at)
                mapped, nullable = self.map(prop, prop_at)
                required = name in node.required
                columns.append(Column(name, mapped, nullable or not required, at=prop_at,
                                      native=_native(prop) + ("" if required else ", optional")))
        finally:
            self.stack.pop()
        return TType("struct", fields=tuple(columns)), False

    def array(self, node: Node, at: str) -> tuple[TType, bool]:
        items = node.all_items
        if items is None:
            return TType("array", element=primitive("string")), False
        element, nullable = self.map(items, at)
        return TType("array", element=element, element_nullable=nullable, element_at=self.at(items, at)), False

    def combined(self, node: Node, at: str) -> tuple[TType, bool]:
        subs = node.subschemas
        if node.criterion == "allOf":
            typed = [s for s in subs if s.kind not in ("empty", "true", "enum", "const")]
            if len(typed) == 1:
                return self.map(typed[0], at)
            if not typed and subs:
                return self.map(subs[0], at)
            raise LocalMappingError("an allOf of several typed schemas has no single table column type", at)
        others = [s for s in subs if s.kind != "null"]
        nullable = len(others) < len(subs)
        mapped_all = [self.map(s, at) for s in others]
        if not mapped_all:
            return primitive("void"), True
        first = mapped_all[0][0]
        if all(m[0] == first for m in mapped_all):
            return first, nullable or any(m[1] for m in mapped_all)
        kinds = {m[0].kind for m in mapped_all}
        if kinds <= {"long", "double"}:
            return primitive("double"), nullable
        names = ", ".join(sorted(m[0].sql() for m in mapped_all))
        raise LocalMappingError(f"a value that may be any of {names} has no single table column type", at)


def _number_kind(node: Node) -> str:
    """``integer`` -> bigint, or int when ``format: int32`` or bounds within 32 bits; else double."""
    if not node.requires_integer:
        return "double"
    fmt = node.raw.get("format") if isinstance(node.raw, dict) else None
    if fmt in ("int32", "int64"):
        return "integer" if fmt == "int32" else "long"
    low = node.minimum if node.minimum is not None else node.exclusive_minimum
    high = node.maximum if node.maximum is not None else node.exclusive_maximum
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low >= -(2**31) and high <= 2**31 - 1:
        return "integer"
    return "long"


def _raw_values(node: Node, key: str) -> list[Any]:
    raw = node.raw if isinstance(node.raw, dict) else {}
    if key == "const":
        return [raw.get("const")]
    values = raw.get("enum")
    return list(values) if isinstance(values, list) else []


def _native(node: Node) -> str:
    raw = node.raw if isinstance(node.raw, dict) else {}
    kind = raw.get("type")
    if isinstance(kind, list):
        return "type " + "|".join(str(k) for k in kind)
    if isinstance(kind, str):
        fmt = raw.get("format")
        return f"{kind} ({fmt})" if isinstance(fmt, str) else kind
    if "$ref" in raw:
        return f"$ref {raw['$ref']}"
    return node.kind


def jsonschema_to_table(schema: ParsedJsonSchema) -> TableSchema:
    """The columns a Spark job writes for JSON documents valid against ``schema``.

    :raises LocalMappingError: the top level is not an object, or a value has no column type.
    """
    mapped, _ = _Mapper().map(schema.root, "")
    if mapped.kind != "struct":
        raise LocalMappingError("the top level is not an object with properties: only an object maps onto "
                                "table columns", "")
    return TableSchema(name=schema.path or "schema", columns=mapped.fields, locate=schema.locate)
