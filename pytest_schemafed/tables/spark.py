"""Read Unity Catalog table JSON into the table model.

Each column of a ``TableInfo`` carries ``type_json``: Spark's ``StructField`` JSON
(``{"name", "type", "nullable", "metadata"}``, where ``type`` is a name such as
``"long"`` or ``"decimal(10,2)"``, or an object for ``struct`` / ``array``
(``elementType``, ``containsNull``) / ``map`` (``keyType``, ``valueType``,
``valueContainsNull``)). When ``type_json`` is absent, ``type_text`` (Spark SQL,
``struct<a:int,b:array<string>>``) is parsed instead. A type the model does not know
(``variant``, ``interval ...``, ``geometry``, a UDT) raises :class:`UnsupportedType`:
it is never skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .model import Column, TableSchema, TType, UnsupportedType, primitive

__all__ = ["parse_type_text", "table_from_info", "type_from_json"]

_SIMPLE = {
    "boolean": "boolean", "byte": "byte", "tinyint": "byte", "short": "short", "smallint": "short",
    "integer": "integer", "int": "integer", "long": "long", "bigint": "long", "float": "float",
    "real": "float", "double": "double", "string": "string", "binary": "binary", "date": "date",
    "timestamp": "timestamp", "timestamp_ltz": "timestamp", "timestamp_ntz": "timestamp_ntz",
    "void": "void", "null": "void",
}
_DECIMAL = re.compile(r"(?:decimal|dec|numeric)\s*(?:\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\))?\Z", re.I)
_CHARLIKE = re.compile(r"(?:char|varchar|character)\s*\(\s*\d+\s*\)\Z", re.I)
_ID_KEYS = ("parquet.field.id", "delta.columnMapping.id", "iceberg.field.id", "iceberg.id", "field-id", "field_id")


def _simple(name: str, where: str) -> TType:
    text = name.strip()
    kind = _SIMPLE.get(text.lower())
    if kind is not None:
        return primitive(kind)
    match = _DECIMAL.match(text)
    if match:
        precision = int(match.group(1) or 10)
        scale = int(match.group(2) or 0)
        if not 1 <= precision <= 38 or not 0 <= scale <= precision:
            raise UnsupportedType(text, where)
        return TType("decimal", precision=precision, scale=scale)
    if _CHARLIKE.match(text):
        return primitive("string")
    raise UnsupportedType(text, where)


def _field_id(metadata: Any) -> int | None:
    if not isinstance(metadata, Mapping):
        return None
    for key in _ID_KEYS:
        value = metadata.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _generated(metadata: Any) -> bool:
    if not isinstance(metadata, Mapping):
        return False
    return any(str(k).startswith(("delta.generationExpression", "delta.identity.")) for k in metadata)


def type_from_json(value: Any, where: str = "") -> TType:
    """One Spark ``DataType`` JSON value as a :class:`TType`.

    :raises UnsupportedType: an unknown type name or shape.
    """
    if isinstance(value, str):
        return _simple(value, where)
    if not isinstance(value, Mapping):
        raise UnsupportedType(json.dumps(value)[:60], where)
    kind = value.get("type")
    if kind == "struct":
        return TType("struct", fields=tuple(_struct_field(f, where) for f in value.get("fields") or ()))
    if kind == "array":
        element = type_from_json(value.get("elementType"), f"{where}.element" if where else "element")
        return TType("array", element=element, element_nullable=bool(value.get("containsNull", True)))
    if kind == "map":
        key = type_from_json(value.get("keyType"), f"{where}.key" if where else "key")
        val = type_from_json(value.get("valueType"), f"{where}.value" if where else "value")
        return TType("map", key=key, value=val, value_nullable=bool(value.get("valueContainsNull", True)))
    if kind == "udt":
        sql = value.get("sqlType")
        if sql is not None:
            return type_from_json(sql, where)
    raise UnsupportedType(str(kind or json.dumps(value)[:60]), where)


def _struct_field(value: Any, parent: str) -> Column:
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
        raise UnsupportedType(f"a struct field without a name: {json.dumps(value)[:60]}", parent)
    name = value["name"]
    where = f"{parent}.{name}" if parent else name
    metadata = value.get("metadata")
    return Column(name=name, type=type_from_json(value.get("type"), where), nullable=bool(value.get("nullable", True)),
                  field_id=_field_id(metadata), generated=_generated(metadata))


# ---------------------------------------------------------------- type_text

_TOKEN = re.compile(r"\s*(`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*|\d+|'(?:[^'\\]|\\.)*'|[<>(),:-])")


class _TextParser:
    """A small recursive-descent reader of Spark SQL type strings."""

    def __init__(self, text: str, where: str) -> None:
        self.text = text
        self.where = where
        self.tokens: list[str] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                if text[pos:].strip() == "":
                    break
                raise UnsupportedType(text, where)
            self.tokens.append(match.group(1))
            pos = match.end()
        self.i = 0

    def peek(self) -> str:
        return self.tokens[self.i] if self.i < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if not token or (expected is not None and token.lower() != expected):
            raise UnsupportedType(self.text, self.where)
        self.i += 1
        return token

    def parse(self) -> TType:
        result = self.type_()
        if self.peek():
            raise UnsupportedType(self.text, self.where)
        return result

    def type_(self) -> TType:
        word = self.take().lower()
        if word == "struct":
            self.take("<")
            fields: list[Column] = []
            while self.peek() != ">":
                if fields:
                    self.take(",")
                fields.append(self.field())
            self.take(">")
            return TType("struct", fields=tuple(fields))
        if word == "array":
            self.take("<")
            element = self.type_()
            self.take(">")
            return TType("array", element=element)
        if word == "map":
            self.take("<")
            key = self.type_()
            self.take(",")
            value = self.type_()
            self.take(">")
            return TType("map", key=key, value=value)
        if self.peek() == "(":
            args = [self.take("(")]
            while self.peek() != ")":
                args.append(self.take())
            args.append(self.take(")"))
            word += "".join(args)
        elif word in ("interval", "timestamp") and self.peek().isalpha():
            raise UnsupportedType(self.text, self.where)
        return _simple(word, self.where)

    def field(self) -> Column:
        name = self.take()
        if name.startswith("`"):
            name = name[1:-1].replace("``", "`")
        self.take(":")
        ftype = self.type_()
        nullable = True
        while self.peek() and self.peek() not in (",", ">"):
            word = self.take().lower()
            if word == "not":
                self.take("null")
                nullable = False
            elif word == "comment":
                self.take()
        return Column(name=name, type=ftype, nullable=nullable)


def parse_type_text(text: str, where: str = "") -> TType:
    """Parse a Spark SQL type string (``decimal(10,2)``, ``struct<a:int NOT NULL>``).

    :raises UnsupportedType: an unknown type or a string that is not a type.
    """
    return _TextParser(text, where).parse()


# ---------------------------------------------------------------- TableInfo


def _column(raw: Mapping[str, Any]) -> Column:
    name = str(raw.get("name") or "")
    type_json = raw.get("type_json")
    if isinstance(type_json, str) and type_json.strip():
        try:
            decoded = json.loads(type_json)
        except ValueError:
            raise UnsupportedType(f"type_json that is not JSON: {type_json[:60]}", name) from None
        if isinstance(decoded, Mapping) and "type" in decoded:
            decoded = {**decoded, "name": decoded.get("name") or name}
            column = _struct_field(decoded, "")
            if "nullable" in raw and "nullable" not in decoded:
                column = replace(column, nullable=bool(raw["nullable"]))
            return column
        return Column(name, type_from_json(decoded, name), bool(raw.get("nullable", True)))
    type_text = raw.get("type_text")
    if isinstance(type_text, str) and type_text.strip():
        return Column(name, parse_type_text(type_text, name), bool(raw.get("nullable", True)))
    raise UnsupportedType(f"a column with neither type_json nor type_text ({raw.get('type_name') or '?'})", name)


def table_from_info(info: Mapping[str, Any]) -> TableSchema:
    """Build the table model from one Unity Catalog ``TableInfo`` object.

    :raises UnsupportedType: a column whose type the model does not know.
    """
    name = info.get("full_name") or ".".join(
        str(info.get(k) or "") for k in ("catalog_name", "schema_name", "name")
    )
    columns = info.get("columns")
    if not isinstance(columns, list) or not all(
            isinstance(c, Mapping) and isinstance(c.get("name"), str) and c["name"] for c in columns):
        raise UnsupportedType(f"columns that are not a list of named columns ({str(columns)[:60]})")
    ordered = sorted(
        columns,
        key=lambda c: c["position"] if isinstance(c.get("position"), int) else 0,
    )
    properties = info.get("properties") or {}
    return TableSchema(
        name=str(name),
        columns=tuple(_column(c) for c in ordered),
        data_format=str(info.get("data_source_format") or "").upper(),
        properties={str(k): str(v) for k, v in properties.items()} if isinstance(properties, Mapping) else {},
    )
