"""Valid schemas of each format: the starting points of every mutation."""

from __future__ import annotations

AVRO = [
    """{"type": "record", "name": "User", "namespace": "com.example", "doc": "a user",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "email", "type": ["null", "string"], "default": null},
    {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
    {"name": "attrs", "type": {"type": "map", "values": "int"}, "default": {}},
    {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"], "default": "A"}},
    {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
    {"name": "when", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "address", "aliases": ["addr"], "order": "ascending", "type": {"type": "record", "name": "Address",
      "fields": [{"name": "street", "type": "string", "default": "x"}, {"name": "zip", "type": "int", "default": 0}]},
      "default": {"street": "a", "zip": 1}},
    {"name": "next", "type": ["null", "User"], "default": null}
  ]}""",
    """["null", "string", {"type": "record", "name": "Ping", "fields": [{"name": "at", "type": "double"}]}]""",
    """{"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"], "aliases": ["Colour"]}""",
]

JSON_SCHEMA = [
    """{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object",
  "properties": {
    "id": {"type": "integer", "minimum": 0},
    "name": {"type": "string", "maxLength": 10, "pattern": "^[a-z]+$"},
    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true},
    "status": {"enum": ["new", "done"]},
    "total": {"type": "number", "multipleOf": 0.5, "exclusiveMaximum": 100},
    "address": {"$ref": "#/definitions/address"},
    "either": {"oneOf": [{"type": "string"}, {"type": "null"}]},
    "fixed": {"const": 3}
  },
  "required": ["id"],
  "additionalProperties": false,
  "definitions": {"address": {"type": "object", "properties": {"street": {"type": "string"}},
    "dependencies": {"street": ["id"]}, "patternProperties": {"^x-": {"type": "string"}}}}}""",
    """{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array",
  "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false,
  "$defs": {"node": {"$anchor": "node", "type": "object", "properties": {"children": {"type": "array",
    "items": {"$ref": "#node"}}}}}, "if": {"minItems": 1}, "then": {"maxItems": 3}, "not": {"const": []}}""",
    """{"$schema": "http://json-schema.org/draft-04/schema#", "type": ["string", "null"], "minLength": 1,
  "allOf": [{"maxLength": 5}], "anyOf": [{"format": "email"}, {"format": "uri"}]}""",
]

PROTOBUF = [
    """syntax = "proto3";
package shop.v1;

import "google/protobuf/timestamp.proto";
option java_package = "com.shop";

// an order
message Order {
  int64 id = 1;
  string name = 2 [deprecated = true];
  repeated string tags = 3;
  map<string, int32> counts = 4;
  google.protobuf.Timestamp at = 5;
  Status status = 6;
  oneof payment {
    string card = 7;
    Wallet wallet = 8;
  }
  message Wallet { bytes key = 1; optional string label = 2; }
  reserved 9, 10 to 12;
  reserved "old";
  enum Status { STATUS_UNSPECIFIED = 0; STATUS_DONE = 1; }
}
""",
    """syntax = "proto2";
message Legacy {
  required int32 a = 1;
  optional string b = 2 [default = "x"];
  repeated group Item = 3 { optional int32 n = 4; }
  extensions 100 to 199;
}
enum Mode { option allow_alias = true; A = 0; B = 1; C = 1; }
""",
]

ICEBERG = [
    '{"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]}',
    '{"type": "struct", "schema-id": 1, "fields": ['
    '{"id": 1, "name": "id", "required": true, "type": "long"},'
    '{"id": 2, "name": "tags", "required": false, "type": {"type": "list", "element-id": 3, "element": "string",'
    ' "element-required": false}},'
    '{"id": 4, "name": "attrs", "required": false, "type": {"type": "map", "key-id": 5, "key": "string",'
    ' "value-id": 6, "value": "decimal(10, 2)", "value-required": false}},'
    '{"id": 7, "name": "where", "required": false, "type": {"type": "struct", "fields": ['
    '{"id": 8, "name": "lat", "required": true, "type": "double"}]}}]}',
]
