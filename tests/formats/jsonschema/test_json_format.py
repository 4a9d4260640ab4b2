"""The json format as a new user meets it: detection, parse errors, $ref, locations, levels."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed import check_compatibility
from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.formats.jsonschema import JsonSchemaFormat, ParsedJsonSchema

OBJ = {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False}


# ------------------------------------------------------------------ detection
def test_detect__schema_json_extension_is_claimed(tmp_path: Path, fmt: JsonSchemaFormat) -> None:
    """user.schema.json is a schema file whatever it holds."""
    path = tmp_path / "user.schema.json"
    path.write_text("{}")
    assert fmt.detect(path)


def test_detect__package_json_is_not_collected(tmp_path: Path, fmt: JsonSchemaFormat) -> None:
    """A .json without a top-level $schema (package.json) is not a schema."""
    path = tmp_path / "package.json"
    path.write_text(json.dumps({"name": "x", "scripts": {"$schema": "no"}, "version": "1.0.0"}))
    assert not fmt.detect(path)


def test_detect__json_with_top_level_schema_key_is_claimed(tmp_path: Path, fmt: JsonSchemaFormat) -> None:
    """order.json whose top level has a json-schema.org $schema (after nested objects) is a schema."""
    path = tmp_path / "order.json"
    path.write_text(json.dumps({"title": "Order", "definitions": {"a": {"type": "string"}},
                                "$schema": "http://json-schema.org/draft-07/schema#"}))
    assert fmt.detect(path)


def test_detect__json_whose_schema_is_not_a_meta_schema_is_an_instance(tmp_path: Path, fmt: JsonSchemaFormat) -> None:
    """order.json whose $schema names some other schema ("x", a renovate URL) is an instance, not claimed."""
    path = tmp_path / "order.json"
    path.write_text(json.dumps({"title": "Order", "definitions": {"a": {"type": "string"}}, "$schema": "x"}))
    assert not fmt.detect(path)


def test_detect__json_array_or_other_extension_is_not_claimed(tmp_path: Path, fmt: JsonSchemaFormat) -> None:
    """A JSON array file and a .yaml file are not claimed."""
    (tmp_path / "list.json").write_text('[{"$schema": "x"}]')
    (tmp_path / "s.yaml").write_text("$schema: x")
    assert not fmt.detect(tmp_path / "list.json")
    assert not fmt.detect(tmp_path / "s.yaml")


# --------------------------------------------------------------- parse errors
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"type": "string",\n  "maxLength": }', "not valid JSON"),
        ('{"type": "strin"}', "not a valid JSON Schema"),
        ('{"type": "object",\n "properties": {"a": {"minLength": -1}}}', "#/properties/a/minLength"),
        ('"just a string"', "must be an object"),
        ('{"items": {"$ref": "#/definitions/missing"}}', "cannot resolve $ref"),
        ('{"$ref": "address.json"}', "no such schema"),
        (
            '{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},'
            ' "$ref": "#/definitions/a"}',
            "$ref cycle",
        ),
    ],
    ids=["bad-json", "bad-type", "negative-count", "not-object", "missing-pointer", "missing-file", "ref-cycle"],
)
def test_parse__user_mistake_gives_one_clear_schema_parse_error(fmt: JsonSchemaFormat, text: str, words: str) -> None:
    """Each mistake is one SchemaParseError naming the file and the problem, never a crash."""
    with pytest.raises(SchemaParseError) as info:
        fmt.parse(text, path="bad.schema.json")
    assert words in str(info.value)
    assert "bad.schema.json" in str(info.value)


def test_parse__invalid_schema_error_carries_the_line(fmt: JsonSchemaFormat) -> None:
    """The meta-schema error points at the offending keyword's line."""
    text = '{\n  "type": "object",\n  "properties": {\n    "a": {"minLength": -1}\n  }\n}'
    with pytest.raises(SchemaParseError) as info:
        fmt.parse(text, path="bad.schema.json")
    assert info.value.line == 4


def test_parse__recursive_schema_is_fine_and_compares(
    parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat
) -> None:
    """A tree whose children refer to the root parses and compares without looping."""
    tree = {
        "type": "object",
        "properties": {"v": {"type": "string"}, "kids": {"type": "array", "items": {"$ref": "#"}}},
    }
    bigger = json.loads(json.dumps(tree))
    bigger["properties"]["v"]["maxLength"] = 3
    assert fmt.compare(parse(tree), parse(tree), local="reader") == []
    assert [f.rule for f in fmt.compare(parse(bigger), parse(tree), local="reader")] == ["MAX_LENGTH_ADDED"]


# ---------------------------------------------------------------- references
def test_references__relative_file_ref_is_followed_on_both_sides(
    parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat
) -> None:
    """A change inside address.json is found through {"$ref": "address.json"}."""
    order = {"type": "object", "properties": {"ship_to": {"$ref": "address.json"}}}
    old_addr = {"type": "object", "properties": {"zip": {"type": "string", "maxLength": 10}}}
    new_addr = {"type": "object", "properties": {"zip": {"type": "string", "maxLength": 5}}}
    new, old = parse(order, {"address.json": new_addr}), parse(order, {"address.json": old_addr})
    findings = fmt.compare(new, old, local="reader")
    assert [f.rule for f in findings] == ["MAX_LENGTH_DECREASED"]
    assert findings[0].path == "#/properties/ship_to"  # nearest element of the local file
    assert fmt.imports(new) == ["address.json"]


def test_references__defs_pointer_with_fragment_into_reference(parse: Callable[..., ParsedJsonSchema]) -> None:
    """common.json#/$defs/id resolves into the named reference."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "properties": {"id": {"$ref": "common.json#/$defs/id"}},
    }
    parsed = parse(schema, {"common.json": {"$defs": {"id": {"type": "integer"}}}})
    assert parsed.root.prop("id").referred is not None


# ----------------------------------------------------------------- locations
def test_finding__path_and_line_point_into_the_local_file(
    parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat
) -> None:
    """MAX_LENGTH_DECREASED carries #/properties/email/maxLength and the line of that key."""
    old = {"type": "object", "properties": {"email": {"type": "string", "maxLength": 80}}}
    new_text = "\n".join(
        [
            "{",
            '  "type": "object",',
            '  "properties": {',
            '    "email": {',
            '      "type": "string",',
            '      "maxLength": 40',
            "    }",
            "  }",
            "}",
        ]
    )
    findings = fmt.compare(fmt.parse(new_text), parse(old), local="reader")
    assert len(findings) == 1
    f = findings[0]
    assert (f.rule, f.path, f.line, f.column) == ("MAX_LENGTH_DECREASED", "#/properties/email/maxLength", 6, 7)
    assert "maxLength" in f.message and f.hint


def test_finding__forward_locates_in_the_writer_side(
    parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat
) -> None:
    """FORWARD compares (old reads new) with local='writer': the path is in the new file."""
    old = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "additionalProperties": False,
    }
    findings = fmt.compare(parse(old), parse(new), local="writer")
    assert [(f.rule, f.path) for f in findings] == [("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "#/properties/b")]


def test_finding__synthetic_allof_path_falls_back_to_an_existing_pointer(
    parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat
) -> None:
    """{type, enum} diffs at Confluent path #/properties/c; reported at the enum that lost a value.

    Confluent sees a synthetic allOf (#/properties/c/allOf/1/enum does not exist in the
    file); the finding keeps Confluent's rule id and points at the real change, the enum.
    """
    old = {"properties": {"c": {"type": "string", "enum": ["a", "b"]}}}
    new = {"properties": {"c": {"type": "string", "enum": ["a"]}}}
    findings = fmt.compare(parse(new), parse(old), local="reader")
    assert [(f.rule, f.path) for f in findings] == [("COMBINED_TYPE_SUBSCHEMAS_CHANGED", "#/properties/c/enum")]
    assert '"b"' in findings[0].message


# ------------------------------------------------------------------- levels
def _schema(**props: Any) -> str:
    return json.dumps({"type": "object", "properties": props, "additionalProperties": False})


def test_levels__closed_model_optional_property_added_is_backward_not_forward() -> None:
    """Adding an optional property to a closed object: BACKWARD ok, FORWARD and FULL break."""
    old, new = _schema(a={"type": "string"}), _schema(a={"type": "string"}, b={"type": "string"})
    assert check_compatibility(new, [old], format="json", level="BACKWARD").compatible
    assert not check_compatibility(new, [old], format="json", level="FORWARD").compatible
    assert not check_compatibility(new, [old], format="json", level="FULL").compatible


def test_levels__transitive_checks_every_version() -> None:
    """History [maxLength 30, maxLength 10] then 20: BACKWARD (vs 10) passes, BACKWARD_TRANSITIVE (vs 30) fails."""
    v1, v2 = _schema(a={"type": "string", "maxLength": 10}), _schema(a={"type": "string", "maxLength": 30})
    new = _schema(a={"type": "string", "maxLength": 20})
    assert check_compatibility(new, [v2, v1][::-1], format="json", level="BACKWARD").compatible is False
    assert check_compatibility(new, [v2, v1], format="json", level="BACKWARD").compatible is True
    assert check_compatibility(new, [v2, v1], format="json", level="BACKWARD_TRANSITIVE").compatible is False


def test_integer_to_number__is_widening_backward(parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat) -> None:
    """integer -> number is TYPE_EXTENDED (compatible); number -> integer is TYPE_NARROWED."""
    i, n = parse({"type": "integer"}), parse({"type": "number"})
    assert fmt.compare(n, i, local="reader") == []
    assert [f.rule for f in fmt.compare(i, n, local="reader")] == ["TYPE_NARROWED"]


def test_draft04_boolean_exclusive_maximum_parses(parse: Callable[..., ParsedJsonSchema]) -> None:
    """Draft-04's boolean exclusiveMaximum is valid there and read without error."""
    parsed = parse(
        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "maximum": 5, "exclusiveMaximum": True}
    )
    assert parsed.draft == 4 and parsed.root.maximum == 5


def test_record_name__is_the_title(parse: Callable[..., ParsedJsonSchema], fmt: JsonSchemaFormat) -> None:
    """record_name gives the schema's title (Confluent's record name strategy for JSON)."""
    assert fmt.record_name(parse({"title": "Order", "type": "object"})) == "Order"
    assert fmt.record_name(parse({"type": "object"})) is None
