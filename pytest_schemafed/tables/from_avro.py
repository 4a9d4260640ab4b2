"""An Avro record as table columns, the way Spark's Avro reader (``SchemaConverters``) maps it.

======================================  ===========================================
Avro                                    Spark / table type
======================================  ===========================================
int / ``date``                          int / date
long / ``timestamp-millis|micros``      bigint / timestamp
``local-timestamp-millis|micros``       timestamp_ntz
float, double, boolean                  float, double, boolean
string (also ``uuid``), enum            string
bytes, fixed / ``decimal``              binary / decimal(p,s)
record                                  struct (fields NOT NULL unless a union with null)
array                                   array (containsNull when items are nullable)
map                                     map<string, ...>
union with null and one other type      that type, nullable
union of int and long / float, double   bigint / double
any other union                         struct<member0, member1, ...>
======================================  ===========================================

A recursive record cannot become a table (Spark refuses it): :class:`LocalMappingError`.
An Iceberg ``field-id`` on a field becomes the column's field id.
"""

from __future__ import annotations

import json
from typing import Any

from ..formats.avro.model import Array, AvroSchema, Enum, Fixed, Map, Node, Primitive, Record, Union
from .model import Column, TableSchema, TType, primitive

__all__ = ["LocalMappingError", "avro_to_table"]


class LocalMappingError(Exception):
    """The local schema has no table equivalent; ``at`` says where (for the line)."""

    def __init__(self, message: str, at: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.at = at


_LONG_LOGICAL = {
    "timestamp-millis": "timestamp", "timestamp-micros": "timestamp", "timestamp-nanos": "timestamp",
    "local-timestamp-millis": "timestamp_ntz", "local-timestamp-micros": "timestamp_ntz",
    "local-timestamp-nanos": "timestamp_ntz",
}
_SIMPLE = {"boolean": "boolean", "float": "float", "double": "double", "string": "string", "null": "void"}


def _plain(node: Node, mapped: TType | None = None) -> str:
    if mapped is not None and mapped.kind == "decimal":
        return f"{node.kind} {mapped.sql()}" if node.kind != "union" else node.describe().replace("`", "")
    return node.describe().replace("`", "")


class _Mapper:
    def __init__(self, schema: AvroSchema) -> None:
        self.schema = schema
        try:
            self.raw: Any = json.loads(schema.text)
        except ValueError:
            self.raw = None
        self.definitions: dict[int, Any] = {}
        self.stack: list[int] = []

    def raw_at(self, pointer: str) -> Any:
        value = self.raw
        for token in pointer.split("/")[1:]:
            if isinstance(value, dict):
                value = value.get(token.replace("~1", "/").replace("~0", "~"))
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                return None
        return value

    def definition(self, node: Node, pointer: str) -> Any:
        raw = self.raw_at(pointer)
        if isinstance(raw, dict):
            self.definitions.setdefault(id(node), raw)
            return raw
        return self.definitions.get(id(node))

    def decimal(self, node: Node, pointer: str) -> TType:
        raw = self.definition(node, pointer)
        precision = raw.get("precision") if isinstance(raw, dict) else None
        scale = raw.get("scale", 0) if isinstance(raw, dict) else 0
        if not isinstance(precision, int) or not isinstance(scale, int) or not 1 <= precision <= 38 \
                or not 0 <= scale <= precision:
            raise LocalMappingError("a decimal needs a precision between 1 and 38 and a scale between 0 and the "
                                    "precision to map onto a table column", pointer)
        return TType("decimal", precision=precision, scale=scale)

    def map(self, node: Node, pointer: str) -> tuple[TType, bool]:
        """(type, nullable) of one Avro node at ``pointer``."""
        if isinstance(node, Primitive):
            return self.primitive(node, pointer), node.kind == "null"
        if isinstance(node, Enum):
            return primitive("string"), False
        if isinstance(node, Fixed):
            return (self.decimal(node, pointer) if node.logical == "decimal" else primitive("binary")), False
        if isinstance(node, Record):
            return self.record(node, pointer), False
        if isinstance(node, Array):
            element, nullable = self.map(node.items, pointer + "/items")
            return TType("array", element=element, element_nullable=nullable, element_at=pointer + "/items"), False
        if isinstance(node, Map):
            value, nullable = self.map(node.values, pointer + "/values")
            return TType("map", key=primitive("string"), value=value, value_nullable=nullable,
                         value_at=pointer + "/values"), False
        if isinstance(node, Union):
            return self.union(node, pointer)
        raise LocalMappingError(f"the Avro type {_plain(node)} has no table equivalent", pointer)

    def primitive(self, node: Primitive, pointer: str) -> TType:
        if node.kind == "int":
            return primitive("date" if node.logical == "date" else "integer")
        if node.kind == "long":
            return primitive(_LONG_LOGICAL.get(node.logical or "", "long"))
        if node.kind == "bytes":
            return self.decimal(node, pointer) if node.logical == "decimal" else primitive("binary")
        return primitive(_SIMPLE[node.kind])

    def union(self, node: Union, pointer: str) -> tuple[TType, bool]:
        branches = [(i, b) for i, b in enumerate(node.branches) if b.kind != "null"]
        has_null = len(branches) < len(node.branches)
        if not branches:
            return primitive("void"), True
        if len(branches) == 1:
            index, branch = branches[0]
            mapped, _ = self.map(branch, f"{pointer}/{index}")
            return mapped, has_null
        kinds = {b.kind for _, b in branches if isinstance(b, Primitive) and not b.logical}
        if len(kinds) == len(branches) and kinds == {"int", "long"}:
            return primitive("long"), has_null
        if len(kinds) == len(branches) and kinds == {"float", "double"}:
            return primitive("double"), has_null
        members = []
        for n, (index, branch) in enumerate(branches):
            mapped, _ = self.map(branch, f"{pointer}/{index}")
            members.append(Column(f"member{n}", mapped, True, at=f"{pointer}/{index}", native=_plain(branch)))
        return TType("struct", fields=tuple(members)), has_null

    def record(self, node: Record, pointer: str) -> TType:
        if id(node) in self.stack:
            raise LocalMappingError(f"record {node.fullname} refers to itself; a recursive type cannot be a "
                                    "table column (Spark's Avro reader refuses it)", pointer)
        raw = self.definition(node, pointer)
        fields_raw = raw.get("fields") if isinstance(raw, dict) else None
        self.stack.append(id(node))
        try:
            columns = []
            for field in node.fields:
                at = f"{pointer}/fields/{field.index}" if raw is self.raw_at(pointer) else pointer
                mapped, nullable = self.map(field.type, at + "/type" if at != pointer else pointer)
                field_raw = fields_raw[field.index] if isinstance(fields_raw, list) else None
                fid = field_raw.get("field-id") if isinstance(field_raw, dict) else None
                columns.append(Column(field.name, mapped, nullable,
                                      field_id=fid if isinstance(fid, int) and not isinstance(fid, bool) else None,
                                      at=at, native=_plain(field.type, mapped)))
        finally:
            self.stack.pop()
        return TType("struct", fields=tuple(columns))


def avro_to_table(schema: AvroSchema) -> TableSchema:
    """The columns a Spark job reading ``schema``'s records writes into a table.

    :raises LocalMappingError: the top level is not a record, or a type has no table form.
    """
    if not isinstance(schema.root, Record):
        raise LocalMappingError(f"the top level is {_plain(schema.root)}, not a record: only a record maps onto "
                                "table columns", "")
    struct = _Mapper(schema).record(schema.root, "")
    return TableSchema(name=schema.path or "schema", columns=struct.fields, locate=schema.locate)
