"""The ``iceberg`` format: Iceberg table-schema JSON files, judged by the table rules.

A file is one Iceberg schema as the table metadata (and the REST catalog) writes it::

    {"type": "struct", "schema-id": 0, "fields": [
        {"id": 1, "name": "id", "required": true, "type": "long"},
        {"id": 2, "name": "tags", "required": false,
         "type": {"type": "list", "element-id": 3, "element": "string", "element-required": false}}]}

Detected by shape (a ``.json`` file whose start holds ``"schema-id"`` and
``"type": "struct"``), read only as far as needed. Two versions are compared with the
table evolution rules of :mod:`pytest_schemafed.tables.rules` on an Iceberg table, so
field ids make renames compatible and ``int`` -> ``long``, ``float`` -> ``double`` and
decimal precision increases are promotions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from ..errors import SchemaParseError
from ..formats.base import Format, ParsedSchema, Rule, Side
from ..formats.jsonpos import JsonPositions
from ..model import Finding
from .compare import judge_table
from .model import Column, TableSchema, TType, primitive
from .rules import RULES

__all__ = ["IcebergFormat", "IcebergSchema", "parse_iceberg"]

_HEAD = 4096
_SHAPE_ID = re.compile(r'"schema-id"\s*:')
_SHAPE_STRUCT = re.compile(r'"type"\s*:\s*"struct"')
_PRIMITIVES = {
    "boolean": "boolean", "int": "integer", "long": "long", "float": "float", "double": "double",
    "date": "date", "timestamp": "timestamp_ntz", "timestamptz": "timestamp", "timestamp_ns": "timestamp_ntz",
    "timestamptz_ns": "timestamp", "string": "string", "uuid": "string", "binary": "binary",
}
_DECIMAL = re.compile(r"decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)\Z")
_FIXED = re.compile(r"fixed\[\s*(\d+)\s*\]\Z")


class IcebergSchema(ParsedSchema):
    """A parsed Iceberg schema: the table model with JSON pointers into the file."""

    __slots__ = ("_positions", "schema_id", "table")

    def __init__(self, text: str, path: str | None, table: TableSchema, schema_id: Any) -> None:
        super().__init__(text, path)
        self.schema_id = schema_id
        self._positions: JsonPositions | None = None
        self.table = TableSchema(table.name, table.columns, "ICEBERG", {}, self.locate)

    def locate(self, schema_path: str) -> tuple[int, int] | None:
        """(line, column) of a JSON pointer (``/fields/2/type``) or its nearest ancestor."""
        if self._positions is None:
            self._positions = JsonPositions(self.text)
        return self._positions.locate(schema_path)


class _Invalid(Exception):
    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


#: nesting limit of struct, list and map types; a deeper schema is a parse error
MAX_DEPTH = 64


def _type(value: Any, pointer: str, depth: int = 0) -> TType:
    if depth > MAX_DEPTH:
        raise _Invalid(f"types are nested more than {MAX_DEPTH} deep", pointer)
    if isinstance(value, str):
        text = value.strip()
        if text in _PRIMITIVES:
            return primitive(_PRIMITIVES[text])
        match = _DECIMAL.match(text)
        if match:
            precision, scale = int(match.group(1)), int(match.group(2))
            if not 1 <= precision <= 38 or scale > precision:
                raise _Invalid(f"{text}: precision must be 1..38 and scale at most the precision", pointer)
            return TType("decimal", precision=precision, scale=scale)
        if _FIXED.match(text):
            return primitive("binary")
        raise _Invalid(f'unknown or unsupported Iceberg type "{text}" (supported: {", ".join(sorted(_PRIMITIVES))}, '
                       "decimal(P,S), fixed[L], struct, list, map)", pointer)
    if not isinstance(value, Mapping):
        raise _Invalid(f"a type must be a name or an object, not {json.dumps(value)[:40]}", pointer)
    kind = value.get("type")
    if kind == "struct":
        return TType("struct", fields=_fields(value.get("fields"), pointer + "/fields", depth + 1))
    if kind == "list":
        if "element" not in value:
            raise _Invalid('a list needs "element"', pointer)
        return TType("array", element=_type(value["element"], pointer + "/element", depth + 1),
                     element_nullable=not bool(value.get("element-required", False)),
                     element_at=pointer + "/element")
    if kind == "map":
        if "key" not in value or "value" not in value:
            raise _Invalid('a map needs "key" and "value"', pointer)
        return TType("map", key=_type(value["key"], pointer + "/key", depth + 1),
                     value=_type(value["value"], pointer + "/value", depth + 1),
                     value_nullable=not bool(value.get("value-required", False)), value_at=pointer + "/value")
    raise _Invalid(f'unknown nested type {json.dumps(kind)} (expected "struct", "list" or "map")', pointer + "/type")


def _fields(raw: Any, pointer: str, depth: int = 0) -> tuple[Column, ...]:
    if not isinstance(raw, list):
        raise _Invalid('a struct needs a "fields" list', pointer)
    columns: list[Column] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        at = f"{pointer}/{index}"
        if not isinstance(item, Mapping):
            raise _Invalid("a field must be an object", at)
        name, fid = item.get("name"), item.get("id")
        if not isinstance(name, str) or not name:
            raise _Invalid('a field needs a "name"', at)
        if not isinstance(fid, int) or isinstance(fid, bool):
            raise _Invalid(f'field `{name}` needs an integer "id"', at)
        if name.lower() in seen:
            raise _Invalid(f"two fields are named `{name}` (names are case-insensitive)", at + "/name")
        seen.add(name.lower())
        if "type" not in item:
            raise _Invalid(f'field `{name}` needs a "type"', at)
        ftype = _type(item["type"], at + "/type", depth)
        native = item["type"] if isinstance(item["type"], str) else str(item["type"].get("type"))
        columns.append(Column(name, ftype, not bool(item.get("required", False)), field_id=fid, at=at,
                              native=str(native)))
    return tuple(columns)


def parse_iceberg(text: str, *, path: str | None = None) -> IcebergSchema:
    """Parse an Iceberg schema JSON text.

    :raises SchemaParseError: not JSON, not a struct schema, or an unknown type, with the line.
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise SchemaParseError("the JSON is nested too deeply to read", path=path) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise SchemaParseError(f"not valid JSON ({getattr(exc, 'msg', exc)})", path=path, line=line) from None
    if not isinstance(data, dict) or data.get("type") != "struct":
        raise SchemaParseError('an Iceberg schema is an object with "type": "struct"', path=path, line=1)
    try:
        columns = _fields(data.get("fields"), "/fields")
    except _Invalid as exc:
        hit = JsonPositions(text).locate(exc.pointer)
        raise SchemaParseError(exc.message, path=path, line=hit[0] if hit else None,
                               column=hit[1] if hit else None) from None
    table = TableSchema(name=path or "schema", columns=columns, data_format="ICEBERG")
    return IcebergSchema(text, path, table, data.get("schema-id"))


class IcebergFormat(Format):
    """Iceberg table schemas (``.json`` of shape ``{"type": "struct", "schema-id": ...}``)."""

    name: ClassVar[str] = "iceberg"
    schema_type: ClassVar[str] = "ICEBERG"
    extensions: ClassVar[tuple[str, ...]] = ()
    rules: ClassVar[tuple[Rule, ...]] = RULES

    def detect(self, path: Path) -> bool:
        """True for a ``.json`` file whose first 4 KiB look like an Iceberg schema."""
        if not path.name.endswith(".json") or path.name.endswith(".schema.json"):
            return False
        try:
            with path.open("r", encoding="utf-8", errors="replace") as handle:
                head = handle.read(_HEAD)
        except OSError:
            return False
        return head.lstrip().startswith("{") and bool(_SHAPE_ID.search(head)) and bool(_SHAPE_STRUCT.search(head))

    def parse(
        self,
        text: str,
        *,
        path: str | None = None,
        references: Mapping[str, str] | None = None,
    ) -> IcebergSchema:
        """Parse an Iceberg schema (see :func:`parse_iceberg`); references are not used."""
        return parse_iceberg(text, path=path)

    def compare(self, reader: ParsedSchema, writer: ParsedSchema, *, local: Side) -> list[Finding]:
        """Can ``writer``'s rows be written into a table with ``reader``'s schema (table rules)?"""
        if not isinstance(reader, IcebergSchema) or not isinstance(writer, IcebergSchema):
            raise TypeError("IcebergFormat.compare needs two schemas parsed by IcebergFormat.parse")
        target = reader.table
        if local == "reader":  # the new schema is the table: it is final, its columns do not widen
            target = replace(target, can_widen=False)
        judged = judge_table(target, writer.table, locate_in="table" if local == "reader" else "local")
        return list(judged.findings)
