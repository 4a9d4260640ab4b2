"""Acceptance matches Apache Avro: what the `avro` package (Python) rejects, we reject.

Each probe is parsed by the installed Apache implementation and by ours; both must
accept, or both must reject (ours with a SchemaParseError, never a traceback).
"""

from __future__ import annotations

import json
from typing import Any

import avro.errors
import avro.schema
import pytest

from pytest_schemafed import SchemaParseError
from pytest_schemafed.formats.avro import AvroFormat

_RECORD = {"type": "record", "name": "Location", "fields": [{"name": "lat", "type": "double"}]}
PROBES: dict[str, Any] = {
    # 21 real public pairs register such items; Apache Avro (Java and Python) and the registry reject them.
    "array items whose type is a record schema": {"type": "array", "items": {"name": "location", "type": _RECORD}},
    "map values whose type is a schema": {"type": "map", "values": {"type": {"type": "string"}}},
    "top-level type holding a union": {"type": ["null", "string"]},
    "union branch whose type is a schema": ["null", {"type": _RECORD}],
    # accepted by both: a record field's type may be any schema.
    "field type is a record schema": {"type": "record", "name": "R", "fields": [{"name": "loc", "type": _RECORD}]},
    "field type is a union": {"type": "record", "name": "R", "fields": [{"name": "u", "type": ["null", "int"]}]},
    "array of records": {"type": "array", "items": _RECORD},
}


def _apache_accepts(schema: Any) -> bool:
    try:
        avro.schema.parse(json.dumps(schema))
    except avro.errors.SchemaParseException:
        return False
    return True


@pytest.mark.parametrize("name", sorted(PROBES))
def test_acceptance_equals_apache_avro(name: str) -> None:
    """Our parser accepts exactly what Apache Avro's Python implementation accepts."""
    schema = PROBES[name]
    expected = _apache_accepts(schema)
    try:
        AvroFormat().parse(json.dumps(schema), path="probe.avsc")
    except SchemaParseError as error:
        assert not expected, f"we reject what Apache accepts: {error}"
    else:
        assert expected, "we accept what Apache rejects"


def test_nested_type_object_error_says_where_and_what_to_do() -> None:
    """The error points at the inner "type" and says a schema there is only allowed in a field."""
    text = json.dumps(PROBES["array items whose type is a record schema"], indent=2)
    with pytest.raises(SchemaParseError, match="only in a record field") as info:
        AvroFormat().parse(text, path="probe.avsc")
    assert info.value.line == 5  # the line of "type": {...} inside "items"
