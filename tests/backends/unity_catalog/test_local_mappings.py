"""Local schemas as table columns: Avro, JSON Schema and Protobuf mapped the way Spark maps them."""

from __future__ import annotations

import json

import pytest

from pytest_schemafed.registry import default_registry
from pytest_schemafed.tables import LocalMappingError, judge_table, local_table

from .conftest import avro, column, record, table

DEC = {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}


def _columns(parsed: object) -> dict[str, tuple[str, bool]]:
    return {c.name: (c.type.sql(), c.nullable) for c in local_table(parsed).columns}


def test_avro__types_map_as_sparks_avro_reader() -> None:
    """Primitives, logical types, enums, records, arrays, maps and unions map as Spark's SchemaConverters."""
    text = record(
        {"name": "i", "type": "int"}, {"name": "l", "type": "long"}, {"name": "f", "type": "float"},
        {"name": "b", "type": "boolean"}, {"name": "s", "type": "string"}, {"name": "by", "type": "bytes"},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}},
        {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 4}},
        {"name": "d", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "lts", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "u", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "dec", "type": DEC},
        {"name": "arr", "type": {"type": "array", "items": ["null", "int"]}},
        {"name": "m", "type": {"type": "map", "values": "long"}},
        {"name": "opt", "type": ["null", "string"], "default": None},
        {"name": "il", "type": ["int", "long"]},
        {"name": "multi", "type": ["null", "int", "string"], "default": None},
    )
    assert _columns(avro(text)) == {
        "i": ("int", False), "l": ("bigint", False), "f": ("float", False), "b": ("boolean", False),
        "s": ("string", False), "by": ("binary", False), "e": ("string", False), "fx": ("binary", False),
        "d": ("date", False), "ts": ("timestamp", False), "lts": ("timestamp_ntz", False), "u": ("string", False),
        "dec": ("decimal(12,2)", False), "arr": ("array<int>", False), "m": ("map<string,bigint>", False),
        "opt": ("string", True), "il": ("bigint", False), "multi": ("struct<member0:int,member1:string>", True),
    }


def test_avro__array_items_nullability_becomes_contains_null() -> None:
    """`items: ["null", "int"]` maps to an array whose elements may be null."""
    (col,) = local_table(avro(record({"name": "a", "type": {"type": "array", "items": ["null", "int"]}}))).columns
    assert col.type.element_nullable is True


def test_avro__recursive_record_cannot_be_a_table() -> None:
    """A record that contains itself has no table form: a mapping error naming the record."""
    text = record({"name": "next", "type": ["null", "Order"], "default": None})
    with pytest.raises(LocalMappingError, match="refers to itself"):
        local_table(avro(text))


def test_avro__top_level_must_be_a_record() -> None:
    """A top-level array is not a table: a mapping error."""
    with pytest.raises(LocalMappingError, match="not a record"):
        local_table(avro(json.dumps({"type": "array", "items": "int"})))


def test_avro__named_type_reused_keeps_its_decimal() -> None:
    """A fixed decimal defined once and reused by name maps to the same decimal both times."""
    fixed = {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4}
    cols = _columns(avro(record({"name": "a", "type": fixed}, {"name": "b", "type": "Money"})))
    assert cols == {"a": ("decimal(18,4)", False), "b": ("decimal(18,4)", False)}


JSON_SCHEMA = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["id", "addr"],
    "properties": {
        "id": {"type": "integer"}, "email": {"type": ["string", "null"]},
        "ts": {"type": "string", "format": "date-time"}, "price": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "addr": {"$ref": "#/definitions/A"}, "status": {"enum": ["a", "b"]},
        "attrs": {"type": "object", "additionalProperties": {"type": "boolean"}},
    },
    "definitions": {"A": {"type": "object", "properties": {"zip": {"type": "string"}}, "required": ["zip"]}},
}, indent=2)


def test_jsonschema__objects_map_to_structs_required_to_not_null() -> None:
    """JSON Schema properties map to columns; `required` ones are NOT NULL; $ref is followed."""
    parsed = default_registry().format("json").parse(JSON_SCHEMA, path="schemas/orders.schema.json")
    assert _columns(parsed) == {
        "id": ("bigint", False), "email": ("string", True), "ts": ("timestamp", True), "price": ("double", True),
        "tags": ("array<string>", True), "addr": ("struct<zip:string not null>", False),
        "status": ("string", True), "attrs": ("map<string,boolean>", True),
    }


def test_jsonschema__finding_points_at_the_property_line() -> None:
    """A JSON Schema property that breaks a NOT NULL column is located at its line."""
    parsed = default_registry().format("json").parse(JSON_SCHEMA, path="schemas/orders.schema.json")
    tbl = table(column("id", "long", nullable=False), column("email", "string", nullable=False))
    judged = judge_table(tbl, local_table(parsed))
    assert sorted(f.rule for f in judged.findings) == ["COLUMN_ADDED_NOT_NULL", "NULLABLE_INTO_NOT_NULL"]
    finding = next(f for f in judged.findings if f.path == "email")
    assert finding.rule == "NULLABLE_INTO_NOT_NULL"
    assert '"email"' in JSON_SCHEMA.splitlines()[finding.line - 1]


def test_jsonschema__mixed_type_union_has_no_column_type() -> None:
    """A property that may be a string or an object cannot be one column: a mapping error."""
    text = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {
        "v": {"anyOf": [{"type": "string"}, {"type": "object", "properties": {"a": {"type": "string"}}}]}}})
    parsed = default_registry().format("json").parse(text, path="x.schema.json")
    with pytest.raises(LocalMappingError, match="no single table column type"):
        local_table(parsed)


PROTO = """syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";

message Order {
  int64 id = 1;
  repeated string tags = 2;
  map<string, int32> attrs = 3;
  Address addr = 4;
  google.protobuf.Timestamp ts = 5;
  Status status = 6;
  oneof pay { string card = 7; bytes token = 8; }
  uint32 qty = 9;
}
message Address { string zip = 1; }
enum Status { A = 0; }
"""


def test_protobuf__messages_map_as_sparks_from_protobuf() -> None:
    """Scalars, repeated, maps, nested messages, Timestamp, enums and oneof members map as Spark does."""
    parsed = default_registry().format("protobuf").parse(PROTO, path="schemas/orders.proto")
    assert _columns(parsed) == {
        "id": ("bigint", True), "tags": ("array<string>", True), "attrs": ("map<string,int>", True),
        "addr": ("struct<zip:string>", True), "ts": ("timestamp", True), "status": ("string", True),
        "card": ("string", True), "token": ("binary", True), "qty": ("int", True),
    }


def test_protobuf__finding_points_at_the_field_line() -> None:
    """A proto3 field (always nullable) written into a NOT NULL column fails at the field's line."""
    parsed = default_registry().format("protobuf").parse(PROTO, path="schemas/orders.proto")
    judged = judge_table(table(column("id", "long", nullable=False)), local_table(parsed))
    finding = next(f for f in judged.findings if f.rule == "NULLABLE_INTO_NOT_NULL")
    assert finding.path == "id" and finding.line == 6


def test_protobuf__proto2_required_is_not_null() -> None:
    """A proto2 `required` field maps to a NOT NULL column."""
    text = 'syntax = "proto2";\nmessage M { required int64 id = 1; optional string s = 2; }\n'
    parsed = default_registry().format("protobuf").parse(text, path="m.proto")
    assert _columns(parsed) == {"id": ("bigint", False), "s": ("string", True)}


def test_protobuf__recursive_message_cannot_be_a_table() -> None:
    """A message containing itself has no table form."""
    text = 'syntax = "proto3";\nmessage Node { string v = 1; Node next = 2; }\n'
    parsed = default_registry().format("protobuf").parse(text, path="n.proto")
    with pytest.raises(LocalMappingError, match="refers to itself"):
        local_table(parsed)


def test_jsonschema__bounded_integer_maps_to_int() -> None:
    """`integer` bounded to 32 bits (or `format: int32`) maps to int; unbounded to bigint."""
    text = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {
        "a": {"type": "integer", "minimum": 0, "maximum": 100}, "b": {"type": "integer"},
        "c": {"type": "integer", "format": "int32"}}})
    parsed = default_registry().format("json").parse(text, path="x.schema.json")
    assert _columns(parsed) == {"a": ("int", True), "b": ("bigint", True), "c": ("int", True)}
