"""Parsing: valid schemas build the model; invalid ones raise SchemaParseError saying what and where."""

from __future__ import annotations

import json
import random

import pytest

from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.formats.avro import AvroFormat

FMT = AvroFormat()


def _error(text: str, **kwargs: object) -> SchemaParseError:
    with pytest.raises(SchemaParseError) as info:
        FMT.parse(text, path="user.avsc", **kwargs)  # type: ignore[arg-type]
    return info.value


def test_parse_error__not_json_gives_line_and_column() -> None:
    """A JSON syntax error reports json's own line and column."""
    err = _error('{\n  "type": "record",\n  "name": "A"\n  "fields": []\n}')
    assert (err.line, err.column) == (4, 3)
    assert "not JSON" in err.reason
    assert str(err).startswith("user.avsc:4:3: ")


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ('{"type": "recrod", "name": "A", "fields": []}', "unknown type `recrod`", 1),
        ('{\n "type": "record",\n "fields": []\n}', 'needs a "name"', 1),
        ('{"type": "record", "name": "A"}', 'needs a "fields" list', 1),
        ('{"type": "record", "name": "A", "fields": [\n {"name": "x"}\n]}', 'needs a "type"', 2),
        ('{"type": "record", "name": "A", "fields": [\n {"type": "int"}\n]}', 'needs a "name"', 2),
        ('{"type": "record", "name": "A", "fields": [{"name": "x", "type": "Missing"}]}', "unknown type `Missing`", 1),
        (
            '{"type": "record", "name": "A", "fields": [\n {"name": "x", "type": "int",\n  "default": "zero"}]}',
            'default "zero" of field `x`',
            3,
        ),
        (
            '{"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}, {"name": "x", "type": "long"}]}',
            "two fields named `x`",
            1,
        ),
        (
            '{"type": "record", "name": "A", "fields": [\n'
            '{"name": "b", "type": {"type": "record", "name": "A", "fields": []}}]}',
            "`A` is defined twice",
            2,
        ),
        ('{"type": "record", "name": "1A", "fields": []}', "not a valid Avro name", 1),
        ('{"type": "enum", "name": "E", "symbols": ["A", "A"]}', "symbol `A` twice", 1),
        ('{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}', "not one of its symbols", 1),
        ('{"type": "fixed", "name": "F", "size": -1}', "non-negative integer", 1),
        ('["int", ["null", "string"]]', "may not directly contain another union", 1),
        ('["int", "int"]', "lists `int` twice", 1),
        ('{"type": "array"}', 'needs "items"', 1),
        ('{"type": "map", "values": 3}', "3 is not a schema", 1),
        ("42", "42 is not a schema", 1),
    ],
)
def test_parse_error__invalid_schema_names_problem_and_line(text: str, words: str, line: int) -> None:
    """Each kind of invalid schema raises SchemaParseError with the reason and its line."""
    err = _error(text)
    assert words in err.reason
    assert err.line == line
    assert err.path == "user.avsc"


def test_parse_error__union_default_may_match_any_branch() -> None:
    """As Avro 1.11+ (Confluent) accepts, a union default may match a later branch."""
    parsed = FMT.parse(
        '{"type": "record", "name": "A", "fields": [{"name": "x", "type": ["null", "int"], "default": 3}]}'
    )
    assert FMT.record_name(parsed) == "A"


def test_parse_error__never_another_exception_type() -> None:
    """Random corruptions of a valid schema raise SchemaParseError or parse; nothing else."""
    base = json.dumps(
        {
            "type": "record",
            "name": "R",
            "namespace": "n",
            "fields": [
                {"name": "a", "type": ["null", {"type": "enum", "name": "E", "symbols": ["X", "Y"]}], "default": None},
                {"name": "b", "type": {"type": "array", "items": {"type": "map", "values": "E"}}, "default": []},
                {"name": "c", "type": {"type": "fixed", "name": "F", "size": 4}},
            ],
        }
    )
    rng = random.Random(7)
    alphabet = '{}[]":,0123456789abcdefnulltrue -'
    outcomes = set()
    for _ in range(400):
        chars = list(base)
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        try:
            FMT.parse("".join(chars))
            outcomes.add("ok")
        except SchemaParseError:
            outcomes.add("error")
    assert outcomes == {"ok", "error"}


def test_parse__names_namespaces_and_references_resolve() -> None:
    """Dotted names, inherited namespaces and null-namespace fallback all resolve."""
    text = json.dumps(
        {
            "type": "record",
            "name": "Outer",
            "namespace": "com.acme",
            "fields": [
                {"name": "a", "type": {"type": "enum", "name": "Color", "symbols": ["R"]}},
                {"name": "b", "type": "Color"},
                {"name": "c", "type": "com.acme.Color"},
                {
                    "name": "d",
                    "type": {
                        "type": "record",
                        "name": "org.other.Inner",
                        "fields": [
                            {"name": "e", "type": "Inner"},
                            {"name": "f", "type": ["null", "com.acme.Outer"], "default": None},
                        ],
                    },
                },
            ],
        }
    )
    parsed = FMT.parse(text)
    assert FMT.record_name(parsed) == "com.acme.Outer"
    assert parsed.defined == ["com.acme.Outer", "com.acme.Color", "org.other.Inner"]  # type: ignore[attr-defined]


def test_parse__forward_reference_in_the_same_file() -> None:
    """A name used before its definition in the same text resolves after the walk."""
    text = (
        '{"type": "record", "name": "A", "fields": [{"name": "x", "type": ["null", "B"], "default": null}, '
        '{"name": "y", "type": {"type": "record", "name": "B", "fields": []}}]}'
    )
    assert FMT.record_name(FMT.parse(text)) == "A"


def test_references__named_types_from_other_texts_are_known_and_imported() -> None:
    """References (in any order) define named types; imports() lists those the file uses."""
    refs = {
        "com.acme.Address": (
            '{"type": "record", "name": "Address", "namespace": "com.acme", '
            '"fields": [{"name": "zip", "type": "com.acme.Zip"}]}'
        ),
        "com.acme.Zip": '{"type": "fixed", "name": "Zip", "namespace": "com.acme", "size": 5}',
    }
    text = (
        '{"type": "record", "name": "User", "namespace": "com.acme", "fields": [{"name": "home", "type": "Address"}]}'
    )
    parsed = FMT.parse(text, references=refs)
    assert FMT.imports(parsed) == ["com.acme.Address"]
    with pytest.raises(SchemaParseError, match="unknown type `Address`"):
        FMT.parse(text)


def test_references__broken_reference_is_reported_by_name() -> None:
    """A reference that does not parse names itself in the error."""
    err = _error('"int"', references={"bad": '{"type": "record"}'})
    assert "reference 'bad'" in err.reason


def test_record_name__none_for_an_unnamed_top_level_schema() -> None:
    """An array or primitive schema has no record name."""
    assert FMT.record_name(FMT.parse('{"type": "array", "items": "int"}')) is None
    assert FMT.imports(FMT.parse('"string"')) == []


def test_parse_error__unqualified_name_does_not_leave_its_namespace() -> None:
    """Inside namespace org.other, `Outer` means org.other.Outer or the null-namespace Outer only."""
    text = json.dumps(
        {
            "type": "record",
            "name": "Outer",
            "namespace": "com.acme",
            "fields": [
                {
                    "name": "d",
                    "type": {
                        "type": "record",
                        "name": "org.other.Inner",
                        "fields": [{"name": "f", "type": ["null", "Outer"], "default": None}],
                    },
                }
            ],
        }
    )
    err = _error(text)
    assert "unknown type `Outer`" in err.reason and "`org.other.Outer`" in err.reason


@pytest.mark.parametrize(
    "value",
    [[], {}, 1, 1.5, True, None, ["x"], {"a": 1}],
    ids=["list", "object", "int", "float", "bool", "null", "list-of-str", "object-with-key"],
)
@pytest.mark.parametrize(
    "template",
    [
        '{"type": "record", "name": V, "fields": []}',
        '{"type": "record", "name": "R", "namespace": V, "fields": []}',
        '{"type": "record", "name": "R", "aliases": V, "fields": []}',
        '{"type": "record", "name": "R", "fields": V}',
        '{"type": "record", "name": "R", "fields": [V]}',
        '{"type": "record", "name": "R", "fields": [{"name": V, "type": "int"}]}',
        '{"type": "record", "name": "R", "fields": [{"name": "f", "type": V}]}',
        '{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "order": V}]}',
        '{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "aliases": V}]}',
        '{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "default": V}]}',
        '{"type": "enum", "name": "E", "symbols": V}',
        '{"type": "enum", "name": "E", "symbols": [V]}',
        '{"type": "enum", "name": "E", "symbols": ["A"], "default": V}',
        '{"type": "fixed", "name": "F", "size": V}',
        '{"type": "array", "items": V}',
        '{"type": "map", "values": V}',
        '{"type": V}',
        '["null", V]',
    ],
)
def test_parse_error__wrongly_typed_values_raise_schema_parse_error(template: str, value: object) -> None:
    """Any JSON value in any slot either parses or raises SchemaParseError, never TypeError."""
    text = template.replace("V", json.dumps(value))
    try:
        FMT.parse(text)
    except SchemaParseError as err:
        assert err.reason


def test_field_reuse__remembered_fields_are_still_checked_per_record() -> None:
    """A field reused from an earlier text still counts for duplicate names; bad defaults are never reused."""
    from pytest_schemafed.formats.avro import decode

    decode.clear()
    field = (
        '{\n      "name": "customer_email_address",\n      "type": ["null", "string"],\n      "default": null\n    }'
    )
    one = '{\n  "type": "record",\n  "name": "A",\n  "fields": [\n    ' + field + "\n  ]\n}"
    FMT.parse(one)
    assert decode._CHUNKS, "the context-free field was remembered"
    twice = '{\n  "type": "record",\n  "name": "A",\n  "fields": [\n    ' + field + ",\n    " + field + "\n  ]\n}"
    err = _error(twice)
    assert "two fields named `customer_email_address`" in err.reason and err.line == 10
    bad = field.replace('"default": null', '"default": 5')
    for _ in range(2):
        err = _error('{"type": "record", "name": "A", "fields": [' + bad + "]}")
        assert "default 5 of field `customer_email_address`" in err.reason


def test_field_reuse__decode_matches_json_loads() -> None:
    """Apart from field objects, the decoder returns what json.loads returns, and its errors."""
    from pytest_schemafed.formats.avro import decode

    text = '{"type": "record", "name": "A", "doc": "x", "fields": [], "type": "record", "n": [1, {"a": null}]}'
    assert decode.decode(text) == json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        decode.decode('{"type": "record", "fields": [ {"name": "a" } ] } extra')
