"""Schema histories used by the Glue tests and the modes check: three versions per format.

Each format has ``VERSIONS`` (registered, oldest first), ``COMPATIBLE`` (passes every
level), ``BREAKS_BOTH`` (fails BACKWARD and FORWARD). Avro also has one-directional
breaks and a change that only a transitive level catches.
"""

from __future__ import annotations

import json
from typing import Any


def _avro(*fields: dict[str, Any]) -> str:
    return json.dumps({"type": "record", "name": "User", "namespace": "com.example", "fields": list(fields)},
                      indent=2)


_ID = {"name": "id", "type": "long"}
_EMAIL = {"name": "email", "type": "string", "default": ""}
_NAME = {"name": "name", "type": "string", "default": ""}

AVRO_VERSIONS = [_avro(_ID), _avro(_ID, _EMAIL), _avro(_ID, _EMAIL, _NAME)]
AVRO_COMPATIBLE = _avro(_ID, _EMAIL, _NAME, {"name": "age", "type": ["null", "int"], "default": None})
AVRO_BREAKS_BACKWARD = _avro(_ID, _EMAIL, _NAME, {"name": "age", "type": "int"})
"""A field added without a default: the new reader cannot read old data; old readers ignore it."""
AVRO_BREAKS_FORWARD = _avro(_EMAIL, _NAME)
"""``id`` (no default) removed: old readers cannot read new data; the new reader ignores it."""
AVRO_BREAKS_BOTH = _avro({"name": "id", "type": "string"}, _EMAIL, _NAME)
AVRO_BREAKS_ONLY_VERSION_1 = _avro(_ID, {"name": "email", "type": "string"}, _NAME)
"""``email`` loses its default: version 2 and 3 data carry it, version 1 data does not."""

def _json(description: str, id_type: str = "integer") -> str:
    return json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "title": "User", "type": "object",
                       "description": description,
                       "properties": {"id": {"type": id_type}, "email": {"type": "string"}}}, indent=2)


JSON_VERSIONS = [_json("A user."), _json("A user of the shop."), _json("A registered user of the shop.")]
"""Open content model: adding a property is not compatible there, so versions differ in text only."""
JSON_COMPATIBLE = _json("A registered user of the shop, with an email.")
JSON_BREAKS_BOTH = _json("A registered user of the shop.", id_type="string")

PROTO_VERSIONS = [
    'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  int64 id = 1;\n}\n',
    'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  int64 id = 1;\n  string note = 2;\n}\n',
    'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  int64 id = 1;\n  string note = 2;\n'
    '  int32 quantity = 3;\n}\n',
]
PROTO_COMPATIBLE = ('syntax = "proto3";\npackage shop;\n\nmessage Order {\n  int64 id = 1;\n  string note = 2;\n'
                    '  int32 quantity = 3;\n  string currency = 4;\n}\n')
PROTO_BREAKS_BOTH = ('syntax = "proto3";\npackage shop;\n\nmessage Order {\n  string id = 1;\n  string note = 2;\n'
                     '  int32 quantity = 3;\n}\n')

SAMPLES: dict[str, tuple[str, list[str], str, str]] = {
    "avro": ("AVRO", AVRO_VERSIONS, AVRO_COMPATIBLE, AVRO_BREAKS_BOTH),
    "json": ("JSON", JSON_VERSIONS, JSON_COMPATIBLE, JSON_BREAKS_BOTH),
    "protobuf": ("PROTOBUF", PROTO_VERSIONS, PROTO_COMPATIBLE, PROTO_BREAKS_BOTH),
}
"""format -> (Glue DataFormat, versions, compatible change, change that breaks both directions)."""
