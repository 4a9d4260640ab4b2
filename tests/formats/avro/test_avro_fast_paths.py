"""Fast paths of the parser: the same model, verdicts and error messages as the general path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.formats.avro import AvroFormat, parse
from pytest_schemafed.formats.avro.model import Array, Enum, Field, Fixed, Map, Node, Primitive, Record, Union
from pytest_schemafed.formats.avro.reuse import clear

FMT = AvroFormat()

#: field types the record loop handles without the general node parser
FAST_TYPES: list[Any] = [
    "int",
    "string",
    ["null", "long"],
    ["null", "string", "int"],
    {"type": "bytes"},
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2},
    {"type": "array", "items": "float"},
    {"type": "array", "items": "string", "doc": "extra keys are ignored"},
    {"type": "map", "values": "boolean"},
    {"type": "enum", "name": "E", "symbols": ["A", "B"]},
    {"type": "enum", "name": "x.E", "symbols": ["A", "B"], "default": "B", "aliases": ["F"], "doc": "d"},
]

#: bad field types that look like fast ones: each must still fail with the general path's message
BAD_TYPES: list[Any] = [
    {"type": "array"},
    {"type": "array", "items": "nosuch"},
    {"type": "array", "items": 3},
    {"type": "array", "items": ["int", "int"]},
    {"type": "map"},
    {"type": "map", "values": "nosuch"},
    {"type": "map", "values": None},
    {"type": "nosuch"},
    {"type": 7},
    {"type": None},
    {"logicalType": "date"},
    {"type": "enum", "name": "E", "symbols": ["A", "A"]},
    {"type": "enum", "name": "1E", "symbols": ["A"]},
    {"type": "enum", "symbols": ["A"]},
    {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"},
    {"type": "enum", "name": "E", "symbols": "A"},
    {"type": "enum", "name": "n.R", "symbols": ["A"]},
    ["null", "null"],
    ["null", "nosuch"],
    ["null", ["int"]],
    "nosuch",
]


def dump(node: Node, seen: set[int] | None = None) -> Any:
    """A plain structure of everything the model says about ``node`` (named types once)."""
    seen = set() if seen is None else seen
    if isinstance(node, Primitive):
        return [node.kind, node.logical]
    if isinstance(node, Array):
        return ["array", dump(node.items, seen)]
    if isinstance(node, Map):
        return ["map", dump(node.values, seen)]
    if isinstance(node, Union):
        return ["union", [dump(b, seen) for b in node.branches]]
    if isinstance(node, Enum | Fixed | Record):
        head = [node.kind, node.fullname, sorted(node.aliases)]
        if id(node) in seen:
            return head
        seen.add(id(node))
        if isinstance(node, Enum):
            return [*head, node.symbols, node.default]
        if isinstance(node, Fixed):
            return [*head, node.size, node.logical]
        return [*head, [_field(f, seen) for f in node.fields], sorted(node.by_name)]
    raise AssertionError(f"unexpected node {node!r}")


def _field(field: Field, seen: set[int]) -> Any:
    return [field.name, field.index, field.has_default, field.default, list(field.aliases), dump(field.type, seen)]


def _record(*fields: dict[str, Any]) -> str:
    return json.dumps({"type": "record", "name": "R", "namespace": "n", "fields": list(fields)}, indent=2)


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the fast paths off: every field type goes through the general node parser."""
    monkeypatch.setattr(parse, "_simple_object", lambda data: None)
    monkeypatch.setattr(parse, "_PARSED_AGAIN", "")


def _outcome(text: str) -> Any:
    clear()
    try:
        return dump(FMT.parse(text, path="f.avsc").root)
    except SchemaParseError as err:
        return ("error", err.reason, err.line, err.column)


@pytest.mark.parametrize("ftype", FAST_TYPES, ids=json.dumps)
def test_fast_field_type__same_model_as_the_general_path(ftype: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A field of a common type parses to the same model with and without the fast path."""
    nullable = isinstance(ftype, list) and ftype[0] == "null"
    extra = {"default": None} if nullable else {"aliases": ["bb"], "order": "descending"}
    other = {**ftype, "name": ftype["name"] + "2"} if isinstance(ftype, dict) and "name" in ftype else ftype
    text = _record({"name": "a", "type": ftype}, {"name": "b", "type": other, "doc": "d", **extra})
    fast = _outcome(text)
    _general(monkeypatch)
    assert fast == _outcome(text)
    assert fast[0] == "record"


@pytest.mark.parametrize("ftype", [t for t in FAST_TYPES if "name" not in t], ids=json.dumps)
def test_fast_field_type__same_node_as_the_type_parsed_alone(ftype: Any) -> None:
    """The field's type is the very node the same JSON parses to as a whole schema."""
    field_type = FMT.parse(_record({"name": "a", "type": ftype})).root.fields[0].type  # type: ignore[attr-defined]
    alone = FMT.parse(json.dumps(ftype)).root
    assert field_type is alone or dump(field_type) == dump(alone)


@pytest.mark.parametrize("ftype", BAD_TYPES, ids=json.dumps)
def test_fast_field_type__bad_types_fail_with_the_general_message(ftype: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad type in a field fails with the same message, line and column with or without the fast path."""
    text = _record({"name": "ok", "type": "int"}, {"name": "a", "type": ftype})
    fast = _outcome(text)
    _general(monkeypatch)
    assert fast == _outcome(text)
    assert fast[0] == "error" and fast[2] is not None


@pytest.mark.parametrize("ftype", FAST_TYPES, ids=json.dumps)
def test_fast_field_type__bad_defaults_fail_with_the_general_message(
    ftype: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A default of the wrong type on a fast-path field fails exactly as on the general path."""
    text = _record({"name": "a", "type": ftype, "default": {"x": [1]}})
    fast = _outcome(text)
    _general(monkeypatch)
    assert fast == _outcome(text)
    assert fast[0] == "error" and "default" in fast[1]


@pytest.mark.parametrize("ftype", FAST_TYPES, ids=json.dumps)
def test_fast_field_type__verdicts_match_the_general_path(ftype: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding, changing and removing a fast-path field gives the same BACKWARD findings either way."""
    old = _record({"name": "a", "type": ftype}, {"name": "b", "type": "int"})
    changed = _record({"name": "a", "type": "double"}, {"name": "c", "type": ftype})

    def findings() -> list[tuple[str, str, int | None]]:
        clear()
        reader, writer = FMT.parse(changed), FMT.parse(old)
        return [(f.rule, f.path, f.line) for f in FMT.compare(reader, writer, local="reader")]

    fast = findings()
    _general(monkeypatch)
    assert fast == findings()
    assert fast, "the change breaks BACKWARD compatibility"


@pytest.mark.parametrize(
    "ftype", [["null", "int"], ["null", "string", "long"], ["null", {"type": "array", "items": "int"}]]
)
@pytest.mark.parametrize("doc", [{}, {"doc": "d"}])
def test_optional_field__same_model_as_the_general_path(ftype: Any, doc: dict[str, str]) -> None:
    """An optional field (null first, default null) parses as it does with an order key (general path)."""
    fast = _outcome(_record({"name": "a", "type": ftype, "default": None, **doc}))
    general = _outcome(_record({"name": "a", "type": ftype, "default": None, "order": "ascending", **doc}))
    assert fast == general
    assert fast[3][0][2:4] == [True, None]


@pytest.mark.parametrize("default", ["x", [], {}, False, 1.5])
def test_optional_field__a_default_other_than_null_is_still_checked(default: Any) -> None:
    """A null-first union with a non-null default is rejected as before (it must match a branch)."""
    err = _outcome(_record({"name": "a", "type": ["null", "int"], "default": default}))
    assert err[0] == "error" and "the default" in err[1] and err[2] is not None


def test_record_fields__built_on_demand_agree_with_names_types_and_extras() -> None:
    """``fields``, ``by_name``, ``field()``, ``field_at()`` and ``type_at()`` describe the same fields, in order."""
    text = _record(
        {"name": "a", "type": "int"},
        {"name": "b", "type": ["null", "string"], "default": None},
        {"name": "c", "type": "long", "aliases": ["cc"]},
        {"name": "d", "type": {"type": "enum", "name": "E", "symbols": ["X"]}, "default": "X"},
        {"name": "e", "type": {"type": "array", "items": "E"}},
    )
    root = FMT.parse(text).root
    assert isinstance(root, Record)
    alone = [_field(root.field_at(i), set()) for i in range(len(root.types))]
    assert [f.name for f in root.fields] == list(root.types) == ["a", "b", "c", "d", "e"]
    assert alone == [_field(f, set()) for f in root.fields]
    for index, field in enumerate(root.fields):
        assert field.index == index and field.type is root.types[field.name]
        assert root.by_name[field.name] is field
        assert root.type_at(field.name) == field.type_at == f"/fields/{index}/type"
        assert _field(root.field(field.name), set()) == _field(field, set())
    assert [f.name for f in root.fields if f.has_default or f.aliases] == sorted(root.extras) == ["b", "c", "d"]


def test_record_fields__forward_references_resolve_in_plain_and_extra_fields() -> None:
    """A type used before its definition is resolved in fields with and without a default."""
    text = _record(
        {"name": "a", "type": "n.Later"},
        {"name": "b", "type": ["null", "n.Later"], "default": None},
        {"name": "c", "type": {"type": "record", "name": "Later", "fields": []}},
    )
    root = FMT.parse(text).root
    assert isinstance(root, Record)
    later = root.types["c"]
    assert root.types["a"] is later and root.by_name["a"].type is later
    assert root.by_name["b"].type is root.types["b"] and root.by_name["b"].has_default
    assert root.types["b"].branches[1] is later  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [None, 3, "1a", "a-b", ["a"], {"a": 1}, True, "", "a.b"], ids=json.dumps)
def test_field_name__bad_names_fail_with_the_name_message_and_line(name: Any) -> None:
    """A field name that is not a valid Avro name is rejected with a message and the name's line."""
    err = _outcome(_record({"name": "ok", "type": "int"}, {"name": name, "type": "int"}))
    assert err[0] == "error" and err[2] is not None
    expected = 'needs a "name"' if name is None else "is not a valid Avro name"
    assert expected in err[1]


def test_field_name__a_repeated_name_is_rejected_once_known() -> None:
    """A field name already validated (cached) is still rejected when it repeats in one record."""
    err = _outcome(_record({"name": "same", "type": "int"}, {"name": "same", "type": "string"}))
    assert err[0] == "error" and "two fields named `same`" in err[1] and err[2] == 11


_INNER = {"type": "record", "name": "Inner", "fields": [{"name": "x", "type": "int"}]}


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"doc": "d"},
        {"order": "ignore"},
        {"aliases": ["old"]},
        {"default": {"x": 1}},
        {"default": {"x": 1}, "doc": "d"},
    ],
    ids=json.dumps,
)
def test_complex_field__parsed_and_reused_fields_give_the_same_model(extra: dict[str, Any]) -> None:
    """A record-typed field parses to the same model the first time and when reused from memory."""
    text = _record({"name": "a", "type": _INNER, **extra}, {"name": "b", "type": "int"})
    first = _outcome(text)  # clears the memory first
    again = dump(FMT.parse(text).root)  # the field is reused
    assert first == again
    assert first[3][0][2:5] == ["default" in extra, extra.get("default"), extra.get("aliases", [])]


@pytest.mark.parametrize("kind", ["record", "error"])
def test_complex_field__a_bad_default_of_a_record_field_is_reported(kind: str) -> None:
    """A record-typed field whose default lacks a field is rejected with the default's line."""
    err = _outcome(_record({"name": "a", "type": {**_INNER, "type": kind}, "default": {"y": 1}}))
    assert err[0] == "error" and "the default" in err[1] and err[2] is not None


_TRICKY_FIELDS: list[dict[str, Any]] = [
    {"name": "plain", "type": "int"},
    {"type": "string", "name": "type_first"},
    {"name": "with_doc", "doc": "braces {here} and [there]", "type": "long"},
    {"name": "aliased", "aliases": ["x", "y"], "type": ["null", "int"], "default": None},
    {"name": "repeated", "doc": "repeated", "type": "int"},
    {"name": "nested", "type": {"type": "record", "name": "In", "fields": [{"name": "deep", "type": "int"}]}},
    {"name": "after", "default": {"type": 1}, "type": {"type": "map", "values": "int"}},
    {"name": "esc", "doc": 'a "quoted" word', "type": "int"},
]


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("escaped", [False, True])
def test_locate_field_type__the_shortcut_agrees_with_the_json_walk(indent: int | None, escaped: bool) -> None:
    """The ``"type"`` key found from a field's unique name is where the JSON walk finds it."""
    from pytest_schemafed.formats.jsonpos import JsonPositions

    fields = [f for f in _TRICKY_FIELDS if escaped or f["name"] != "esc"]
    text = json.dumps({"type": "record", "name": "R", "fields": fields}, indent=indent)
    schema = FMT.parse(text)
    walk = JsonPositions(text)
    for index, field in enumerate(fields):
        expected = walk.locate(f"/fields/{index}/type")
        assert schema.locate_field_type(f"/fields/{index}", field["name"]) == expected, field["name"]
        assert expected is not None


def test_locate_field_type__a_type_mismatch_points_at_the_type_key() -> None:
    """A changed top-level field type is reported on the line of that field's ``"type"`` key."""
    old = _record({"name": "a", "doc": "{a}", "type": "int"}, {"name": "b", "type": "string"})
    new = _record({"name": "a", "doc": "{a}", "type": "int"}, {"name": "b", "type": "boolean"})
    clear()
    findings = FMT.compare(FMT.parse(new), FMT.parse(old), local="reader")
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("TYPE_MISMATCH", "/fields/1/type", 13, 7)]
