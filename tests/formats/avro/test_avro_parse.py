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


def _record_text(*fields: dict[str, object], name: str = "A", namespace: str = "n") -> str:
    return json.dumps({"type": "record", "name": name, "namespace": namespace, "fields": list(fields)}, indent=2)


_INNER = {
    "name": "address",
    "type": {
        "type": "record",
        "name": "Address",
        "fields": [{"name": "zip", "type": "int", "default": 1}, {"name": "city", "type": ["null", "string"]}],
    },
}


def test_field_reuse__remembered_fields_still_count_for_duplicate_names_and_types() -> None:
    """A field reused from an earlier text still clashes with a second field or type of the same name."""
    from pytest_schemafed.formats.avro import reuse

    reuse.clear()
    FMT.parse(_record_text(_INNER))
    assert reuse.ENTRIES, "the self-contained field was remembered"
    err = _error(_record_text(_INNER, _INNER))
    assert "two fields named `address`" in err.reason
    clash = {"name": "first", "type": {"type": "fixed", "name": "Address", "size": 2}}
    err = _error(_record_text(clash, _INNER))
    assert "`n.Address` is defined twice" in err.reason


def test_field_reuse__a_reused_field_keeps_its_named_types_for_later_references() -> None:
    """Named types defined inside a reused field can be referenced by later fields of the new text."""
    from pytest_schemafed.formats.avro import reuse

    reuse.clear()
    FMT.parse(_record_text(_INNER))
    parsed = FMT.parse(_record_text(_INNER, {"name": "other", "type": "Address"}))
    first, second = parsed.root.fields  # type: ignore[attr-defined]
    assert second.type is first.type and parsed.defined == ["n.A", "n.Address"]


def test_field_reuse__bad_defaults_are_never_reused() -> None:
    """A field whose default is wrong is rejected every time it is seen."""
    from pytest_schemafed.formats.avro import reuse

    reuse.clear()
    bad = {**_INNER, "default": 5}
    for _ in range(2):
        err = _error(_record_text(bad))
        assert "default 5 of field `address`" in err.reason


@pytest.mark.parametrize(("good", "bad", "kind"), [(1, 1.0, "int"), (1, True, "int"), (True, 1, "boolean")])
def test_field_reuse__equal_json_of_another_number_type_is_checked_again(good: object, bad: object, kind: str) -> None:
    """Python's 1 == 1.0 == True must not let an invalid default ride on a remembered valid one."""
    from pytest_schemafed.formats.avro import reuse

    reuse.clear()

    def text(default: object) -> str:
        inner = {"type": "record", "name": "B", "fields": [{"name": "x", "type": kind, "default": default}]}
        return _record_text({"name": "b", "type": inner})

    FMT.parse(text(good))
    err = _error(text(bad))
    assert "of field `x` in record `n.B`" in err.reason


def test_field_reuse__names_defined_outside_the_field_are_resolved_in_the_new_text() -> None:
    """A field using a type defined elsewhere is never reused: the other text may define it differently."""
    from pytest_schemafed.formats.avro import reuse

    reuse.clear()
    user = {"name": "u", "type": {"type": "record", "name": "U", "fields": [{"name": "k", "type": "Kind"}]}}
    FMT.parse(_record_text({"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["X"]}}, user))
    parsed = FMT.parse(_record_text({"name": "kind", "type": {"type": "fixed", "name": "Kind", "size": 3}}, user))
    assert parsed.root.fields[1].type.fields[0].type.kind == "fixed"  # type: ignore[attr-defined]


def test_field_reuse__an_inner_name_shadowed_by_an_outer_definition_is_not_reused() -> None:
    """`Foo` read in namespace n means n.Foo when the new text defines one, even if the field also defines Foo."""
    from pytest_schemafed.formats.avro import reuse

    reuse.clear()
    inner = {
        "type": "record",
        "name": "I",
        "fields": [
            {"name": "e", "type": {"type": "enum", "name": "Foo", "namespace": "", "symbols": ["X"]}},
            {"name": "g", "type": "Foo"},
        ],
    }
    FMT.parse(_record_text({"name": "i", "type": inner}))
    outer = {"name": "f", "type": {"type": "fixed", "name": "Foo", "size": 4}}
    parsed = FMT.parse(_record_text(outer, {"name": "i", "type": inner}))
    assert parsed.root.fields[1].type.fields[1].type.kind == "fixed"  # type: ignore[attr-defined]


def test_parse__texts_only_python_json_reads_still_parse() -> None:
    """A NaN default (which orjson refuses) is read by json as before; a huge long default is still refused."""
    text = '{"type": "record", "name": "A", "fields": [{"name": "x", "type": "double", "default": NaN}]}'
    assert FMT.parse(text).root.fields[0].has_default  # type: ignore[attr-defined]
    big = _record_text({"name": "x", "type": "long", "default": 10**30})
    err = _error(big)
    line = next(i for i, row in enumerate(big.splitlines(), 1) if '"default"' in row)
    assert "of field `x` in record `n.A` is not a valid `long` value" in err.reason and err.line == line
