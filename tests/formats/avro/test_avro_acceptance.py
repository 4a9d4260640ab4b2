"""Acceptance matches Apache Avro: what the `avro` package (Python) rejects, we reject.

Each probe in ``PROBES`` is parsed by the installed Apache implementation and by ours;
both must accept, or both must reject (ours with a SchemaParseError, never a traceback).

``JAVA_PROBES`` are the places where Apache Avro Java (the parser Confluent's registry
runs) and Python disagree; there we follow Java, and each entry says which line of Java's
``Schema.java`` decides it (Java cannot run here, so its verdict is written down).
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


def _rec(fields: list[Any], name: str = "R", **kw: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": fields, **kw}


def _f(name: Any, t: Any, **kw: Any) -> dict[str, Any]:
    return {"name": name, "type": t, **kw}


_INT = _rec([_f("a", "int")])
PROBES.update(
    {
        # names and namespaces
        "record name with a dash": {**_INT, "name": "R-1"},
        "empty record name": {**_INT, "name": ""},
        "record name with a leading digit": {**_INT, "name": "1R"},
        "dotted record name": {**_INT, "name": "a.b.R"},
        "dotted record name with a bad part": {**_INT, "name": "a.1b.R"},
        "record name ending in a dot": {**_INT, "name": "a.R."},
        "namespace with a dash": {**_INT, "namespace": "a-b"},
        "namespace part with a leading digit": {**_INT, "namespace": "a.1b"},
        "empty namespace": {**_INT, "namespace": ""},
        "namespace ending in a dot": {**_INT, "namespace": "a."},
        "namespace not a string": {**_INT, "namespace": 1},
        "record name not a string": {**_INT, "name": 1},
        "record named after a primitive": {**_INT, "name": "int"},
        "type defined twice": _rec([_f("a", _rec([_f("x", "int")], name="R"))]),
        # fields
        "empty field name": _rec([_f("", "int")]),
        "field without a name": _rec([{"type": "int"}]),
        "field without a type": _rec([{"name": "a"}]),
        "field name not a string": _rec([_f(1, "int")]),
        "field that is a string": _rec(["a"]),
        "duplicate field names": _rec([_f("a", "int"), _f("a", "string")]),
        "record without fields": {"type": "record", "name": "R"},
        "record fields not a list": {"type": "record", "name": "R", "fields": {}},
        "record without a name": {"type": "record", "fields": []},
        "error type": {"type": "error", "name": "E", "fields": []},
        # enums
        "enum symbol with a dash": {"type": "enum", "name": "E", "symbols": ["A-B"]},
        "enum symbol with a leading digit": {"type": "enum", "name": "E", "symbols": ["1A"]},
        "duplicate enum symbols": {"type": "enum", "name": "E", "symbols": ["A", "A"]},
        "empty enum symbols": {"type": "enum", "name": "E", "symbols": []},
        "enum without symbols": {"type": "enum", "name": "E"},
        "enum symbol not a string": {"type": "enum", "name": "E", "symbols": [1]},
        "enum default not a symbol": {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"},
        "enum default a symbol": {"type": "enum", "name": "E", "symbols": ["A"], "default": "A"},
        # fixed
        "fixed with a negative size": {"type": "fixed", "name": "F", "size": -1},
        "fixed without a size": {"type": "fixed", "name": "F"},
        "fixed size a string": {"type": "fixed", "name": "F", "size": "4"},
        "fixed size a float": {"type": "fixed", "name": "F", "size": 4.0},
        "fixed of size 0": {"type": "fixed", "name": "F", "size": 0},
        # logical types on the wrong base type are ignored by Apache, not refused
        "date on a string": {"type": "string", "logicalType": "date"},
        "decimal on an int": {"type": "int", "logicalType": "decimal", "precision": 4},
        "decimal without precision": {"type": "bytes", "logicalType": "decimal"},
        "decimal scale above precision": {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3},
        "unknown logical type": {"type": "int", "logicalType": "foo"},
        "uuid on an int": {"type": "int", "logicalType": "uuid"},
        # order
        "unknown order": _rec([_f("a", "int", order="up")]),
        "order not a string": _rec([_f("a", "int", order=1)]),
        "order descending": _rec([_f("a", "int", order="descending")]),
        # unions
        "union with a primitive twice": ["int", "int"],
        "union with null twice": ["null", "null"],
        "union inside a union": ["null", ["int", "string"]],
        "union with a record twice": [_INT, _INT],
        "union of two records": [_rec([_f("a", "int")], name="A"), _rec([_f("a", "int")], name="B")],
        "union of int and long": ["int", "long"],
        "union with two arrays": [{"type": "array", "items": "int"}, {"type": "array", "items": "string"}],
        "union with two maps": [{"type": "map", "values": "int"}, {"type": "map", "values": "string"}],
        "empty union": [],
        # top level, maps and arrays
        'top-level "int"': "int",
        'top-level unknown name "foo"': "foo",
        "unknown type in an object": {"type": "foo"},
        "null type": {"type": None},
        "unknown name in a field": _rec([_f("a", "Nope")]),
        "map without values": {"type": "map"},
        "array without items": {"type": "array"},
        # defaults Python and Java both accept
        "union default matching a later branch": _rec([_f("a", ["null", "int"], default=1)]),
        "enum default not a symbol (field)": _rec(
            [_f("a", {"type": "enum", "name": "E", "symbols": ["A"]}, default="B")]
        ),
        "fixed default of another length": _rec([_f("a", {"type": "fixed", "name": "F", "size": 2}, default="abc")]),
        "doc not a string": {**_INT, "doc": 1},
    }
)

# name -> (schema, accepted by Apache Avro Java, the line of Java's Schema.java that decides it)
JAVA_PROBES: dict[str, tuple[Any, bool, str]] = {
    "field name with a dash": (_rec([_f("a-b", "int")]), False, "Field(): this.name = validateName(name)"),
    "field name with a leading digit": (_rec([_f("1a", "int")]), False, "Field(): validateName"),
    "dotted field name": (_rec([_f("a.b", "int")]), False, "Field(): validateName"),
    "record alias with a bad name": ({**_INT, "aliases": ["a-b"]}, False, "addAlias -> new Name(): validateName"),
    "record alias with a bad last part": ({**_INT, "aliases": ["x.1Z"]}, False, "Name(): validates the last part"),
    "record alias with a bad namespace part": ({**_INT, "aliases": ["1x.Z"]}, True, "Name(): space not validated"),
    "enum alias with a bad name": (
        {"type": "enum", "name": "E", "symbols": ["A"], "aliases": ["a-b"]},
        False,
        "parseAliases + addAlias -> Name()",
    ),
    "fixed alias with a bad name": (
        {"type": "fixed", "name": "F", "size": 1, "aliases": ["a-b"]},
        False,
        "parseAliases + addAlias -> Name()",
    ),
    "aliases not a list": ({**_INT, "aliases": "x"}, False, 'parseAliases: "aliases not an array"'),
    "alias not a string": ({**_INT, "aliases": [1]}, False, 'parseAliases: "alias not a string"'),
    "field aliases not a list": (_rec([_f("a", "int", aliases="x")]), False, "parseAliases(field)"),
    "field alias with a bad name": (_rec([_f("a", "int", aliases=["1x"])]), True, "field aliases are plain strings"),
    "order in upper case": (_rec([_f("a", "int", order="DESCENDING")]), True, "Order.valueOf(text.toUpperCase())"),
    "int default a string": (_rec([_f("a", "int", default="x")]), False, "isValidDefault INT: isIntegralNumber"),
    "string default a number": (_rec([_f("a", "string", default=1)]), False, "isValidDefault STRING: isTextual"),
    "int default null": (_rec([_f("a", "int", default=None)]), False, "isValidDefault INT"),
    "record default without a field": (
        _rec([_f("a", _rec([_f("x", "int")], name="In"), default={})]),
        False,
        "isValidDefault RECORD: each field, or its default",
    ),
    "array default of strings for ints": (
        _rec([_f("a", {"type": "array", "items": "int"}, default=["x"])]),
        False,
        "isValidDefault ARRAY: each element",
    ),
    "int default beyond 32 bits": (_rec([_f("a", "int", default=2**40)]), False, "INT: canConvertToInt"),
    "bytes default a number": (_rec([_f("a", "bytes", default=1)]), False, "BYTES: isTextual"),
    "boolean default a number": (_rec([_f("a", "boolean", default=1)]), False, "BOOLEAN: isBoolean"),
    "long default a fraction": (_rec([_f("a", "long", default=1.5)]), False, "LONG: isIntegralNumber"),
    "null default a number": (_rec([_f("a", "null", default=1)]), False, "NULL: isNull"),
    "map default with a wrong value": (
        _rec([_f("a", {"type": "map", "values": "int"}, default={"k": "v"})]),
        False,
        "MAP: each value",
    ),
    "float default a numeric text": (
        _rec([_f("a", "float", default="1.5")]),
        True,
        "parseField: a text default of a FLOAT/DOUBLE field goes through Double.parseDouble",
    ),
    "double default NaN text": (_rec([_f("a", "double", default="NaN")]), True, 'Double.parseDouble("NaN")'),
    "double default exponent text": (_rec([_f("a", "double", default="1e3")]), True, "Double.parseDouble"),
    "double default non-numeric text": (
        _rec([_f("a", "double", default="abc")]),
        False,
        "Double.parseDouble throws NumberFormatException",
    ),
    "union default a numeric text": (
        _rec([_f("a", ["float", "null"], default="1.5")]),
        False,
        "only a FLOAT/DOUBLE field's text is parsed; a union's is checked as is",
    ),
}


def _ours_accepts(schema: Any) -> bool:
    try:
        AvroFormat().parse(json.dumps(schema), path="probe.avsc")
    except SchemaParseError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(JAVA_PROBES))
def test_acceptance_equals_apache_avro_java_where_python_differs(name: str) -> None:
    """Where Java and Python disagree, we accept exactly what Java (the registry's parser) accepts."""
    schema, java_accepts, why = JAVA_PROBES[name]
    assert _ours_accepts(schema) is java_accepts, why


def test_float_default_text__is_read_as_the_number_java_reads() -> None:
    """A float field's "1.5" default is the number 1.5 in our model, as in Java's."""
    parsed = AvroFormat().parse(json.dumps(_rec([_f("a", "float", default="1.5")])), path="p.avsc")
    assert parsed.root.fields[0].default == 1.5  # type: ignore[attr-defined]


def _apache_accepts(schema: Any) -> bool:
    try:
        avro.schema.parse(json.dumps(schema))
    except avro.errors.AvroException:  # SchemaParseException and the plain AvroException some checks raise
        return False
    return True


@pytest.mark.parametrize("name", sorted(PROBES))
@pytest.mark.filterwarnings("ignore::avro.errors.IgnoredLogicalType")
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


_LOGICAL_PAIRS = [
    ({"type": "string", "logicalType": "date"}, "string"),
    ({"type": "bytes", "logicalType": "decimal"}, {"type": "bytes", "logicalType": "decimal", "precision": 4}),
    (
        {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2},
        {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2},
    ),
    ({"type": "long", "logicalType": "timestamp-millis"}, {"type": "long", "logicalType": "timestamp-micros"}),
]


@pytest.mark.filterwarnings("ignore::avro.errors.IgnoredLogicalType")
@pytest.mark.parametrize(("reader", "writer"), _LOGICAL_PAIRS, ids=[str(p[0]) for p in _LOGICAL_PAIRS])
def test_logical_types__ignored_by_the_comparison_as_by_apache(reader: Any, writer: Any) -> None:
    """Apache's checker reads the base type only; an invalid or changed logical type does not decide."""
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

    from pytest_schemafed import check_compatibility

    def rec(t: Any) -> str:
        return json.dumps(_rec([_f("a", t)]))

    apache = ReaderWriterCompatibilityChecker().get_compatibility(
        avro.schema.parse(rec(reader)), avro.schema.parse(rec(writer))
    )
    ours = check_compatibility(rec(reader), [rec(writer)], format="avro", level="BACKWARD")
    assert ours.compatible is (apache.compatibility is SchemaCompatibilityType.compatible)
