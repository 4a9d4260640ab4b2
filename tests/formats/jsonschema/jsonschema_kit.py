"""Helpers for the JSON Schema tests (no package: this folder must not shadow the jsonschema library).

One (original, update) fixture per change type: the shortest schema pair that produces it.

``original`` is the writer (previous version), ``update`` the reader (new schema),
as in Confluent's ``SchemaDiff.compare(original, update)`` and our BACKWARD check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """The cases of one data file."""
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


S07 = "http://json-schema.org/draft-07/schema#"
S2020 = "https://json-schema.org/draft/2020-12/schema"


def _s(**kw: Any) -> dict[str, Any]:
    return {"type": "string", **kw}


def _n(**kw: Any) -> dict[str, Any]:
    return {"type": "number", **kw}


def _a(**kw: Any) -> dict[str, Any]:
    return {"type": "array", **kw}


def _o(**kw: Any) -> dict[str, Any]:
    return {"type": "object", **kw}


_P = {"a": {"type": "string"}}
_T2 = [{"type": "string"}, {"type": "number"}]

RULE_CASES: dict[str, tuple[Any, Any]] = {
    "ID_CHANGED": ({"$id": "urn:a"}, {"$id": "urn:b"}),
    "DESCRIPTION_CHANGED": ({"description": "x"}, {"description": "y"}),
    "TITLE_CHANGED": ({"title": "x"}, {"title": "y"}),
    "DEFAULT_CHANGED": (_s(default="x"), _s(default="y")),
    "SCHEMA_ADDED": (_a(), _a(items=_s())),
    "SCHEMA_REMOVED": (_a(items=_s()), _a()),
    "TYPE_EXTENDED": ({"type": "integer"}, _n()),
    "TYPE_NARROWED": (_n(), {"type": "integer"}),
    "TYPE_CHANGED": (_s(), _n()),
    "MAX_LENGTH_ADDED": (_s(), _s(maxLength=5)),
    "MAX_LENGTH_REMOVED": (_s(maxLength=5), _s()),
    "MAX_LENGTH_INCREASED": (_s(maxLength=5), _s(maxLength=6)),
    "MAX_LENGTH_DECREASED": (_s(maxLength=6), _s(maxLength=5)),
    "MIN_LENGTH_ADDED": (_s(), _s(minLength=1)),
    "MIN_LENGTH_REMOVED": (_s(minLength=1), _s()),
    "MIN_LENGTH_INCREASED": (_s(minLength=1), _s(minLength=2)),
    "MIN_LENGTH_DECREASED": (_s(minLength=2), _s(minLength=1)),
    "PATTERN_ADDED": (_s(), _s(pattern="^a")),
    "PATTERN_REMOVED": (_s(pattern="^a"), _s()),
    "PATTERN_CHANGED": (_s(pattern="^a"), _s(pattern="^b")),
    "MAXIMUM_ADDED": (_n(), _n(maximum=9)),
    "MAXIMUM_REMOVED": (_n(maximum=9), _n()),
    "MAXIMUM_INCREASED": (_n(maximum=9), _n(maximum=10)),
    "MAXIMUM_DECREASED": (_n(maximum=10), _n(maximum=9)),
    "MINIMUM_ADDED": (_n(), _n(minimum=1)),
    "MINIMUM_REMOVED": (_n(minimum=1), _n()),
    "MINIMUM_INCREASED": (_n(minimum=1), _n(minimum=2)),
    "MINIMUM_DECREASED": (_n(minimum=2), _n(minimum=1)),
    "EXCLUSIVE_MAXIMUM_ADDED": (_n(), _n(exclusiveMaximum=9)),
    "EXCLUSIVE_MAXIMUM_REMOVED": (_n(exclusiveMaximum=9), _n()),
    "EXCLUSIVE_MAXIMUM_INCREASED": (_n(exclusiveMaximum=9), _n(exclusiveMaximum=10)),
    "EXCLUSIVE_MAXIMUM_DECREASED": (_n(exclusiveMaximum=10), _n(exclusiveMaximum=9)),
    "EXCLUSIVE_MINIMUM_ADDED": (_n(), _n(exclusiveMinimum=1)),
    "EXCLUSIVE_MINIMUM_REMOVED": (_n(exclusiveMinimum=1), _n()),
    "EXCLUSIVE_MINIMUM_INCREASED": (_n(exclusiveMinimum=1), _n(exclusiveMinimum=2)),
    "EXCLUSIVE_MINIMUM_DECREASED": (_n(exclusiveMinimum=2), _n(exclusiveMinimum=1)),
    "MULTIPLE_OF_ADDED": (_n(), _n(multipleOf=2)),
    "MULTIPLE_OF_REMOVED": (_n(multipleOf=2), _n()),
    "MULTIPLE_OF_EXPANDED": (_n(multipleOf=2), _n(multipleOf=4)),
    "MULTIPLE_OF_REDUCED": (_n(multipleOf=4), _n(multipleOf=2)),
    "MULTIPLE_OF_CHANGED": (_n(multipleOf=2), _n(multipleOf=3)),
    "REQUIRED_ATTRIBUTE_ADDED": (_o(properties=_P), _o(properties=_P, required=["a"])),
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": (
        _o(properties={"a": _s(default="x")}),
        _o(properties={"a": _s(default="x")}, required=["a"]),
    ),
    "REQUIRED_ATTRIBUTE_REMOVED": (_o(properties=_P, required=["a"]), _o(properties=_P)),
    "MAX_PROPERTIES_ADDED": (_o(), _o(maxProperties=3)),
    "MAX_PROPERTIES_REMOVED": (_o(maxProperties=3), _o()),
    "MAX_PROPERTIES_INCREASED": (_o(maxProperties=3), _o(maxProperties=4)),
    "MAX_PROPERTIES_DECREASED": (_o(maxProperties=4), _o(maxProperties=3)),
    "MIN_PROPERTIES_ADDED": (_o(), _o(minProperties=1)),
    "MIN_PROPERTIES_REMOVED": (_o(minProperties=1), _o()),
    "MIN_PROPERTIES_INCREASED": (_o(minProperties=1), _o(minProperties=2)),
    "MIN_PROPERTIES_DECREASED": (_o(minProperties=2), _o(minProperties=1)),
    "ADDITIONAL_PROPERTIES_ADDED": (_o(additionalProperties=False), _o()),
    "ADDITIONAL_PROPERTIES_REMOVED": (_o(), _o(additionalProperties=False)),
    "ADDITIONAL_PROPERTIES_EXTENDED": (_o(additionalProperties=_s()), _o()),
    "ADDITIONAL_PROPERTIES_NARROWED": (_o(), _o(additionalProperties=_s())),
    "DEPENDENCY_ARRAY_ADDED": (_o(), _o(dependencies={"a": ["b"]})),
    "DEPENDENCY_ARRAY_REMOVED": (_o(dependencies={"a": ["b"]}), _o()),
    "DEPENDENCY_ARRAY_EXTENDED": (_o(dependencies={"a": ["b"]}), _o(dependencies={"a": ["b", "c"]})),
    "DEPENDENCY_ARRAY_NARROWED": (_o(dependencies={"a": ["b", "c"]}), _o(dependencies={"a": ["b"]})),
    "DEPENDENCY_ARRAY_CHANGED": (_o(dependencies={"a": ["b"]}), _o(dependencies={"a": ["c"]})),
    "DEPENDENCY_SCHEMA_ADDED": (_o(), _o(dependencies={"a": {"required": ["b"]}})),
    "DEPENDENCY_SCHEMA_REMOVED": (_o(dependencies={"a": {"required": ["b"]}}), _o()),
    "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": (_o(), _o(properties=_P)),
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL": (_o(), _o(properties={"a": {}})),
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": (
        _o(additionalProperties=False),
        _o(additionalProperties=False, properties=_P, required=["a"]),
    ),
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL": (
        _o(additionalProperties=False),
        _o(additionalProperties=False, properties={"a": _s(default="x")}, required=["a"]),
    ),
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": (
        _o(additionalProperties=False),
        _o(additionalProperties=False, properties=_P),
    ),
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL": (_o(properties=_P), _o()),
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        _o(additionalProperties=False, properties={"a": False}),
        _o(additionalProperties=False),
    ),
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        _o(additionalProperties=False, properties=_P),
        _o(additionalProperties=False),
    ),
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _o(additionalProperties=False, properties=_P),
        _o(additionalProperties=_s()),
    ),
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _o(additionalProperties=False, properties=_P),
        _o(additionalProperties=_n()),
    ),
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _o(patternProperties={"^a": _s()}),
        _o(patternProperties={"^a": _s()}, properties=_P),
    ),
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _o(patternProperties={"^a": _n()}),
        _o(patternProperties={"^a": _n()}, properties=_P),
    ),
    "UNEVALUATED_PROPERTIES_ADDED": (
        {"$schema": S2020, **_o(unevaluatedProperties=False)},
        {"$schema": S2020, **_o()},
    ),
    "UNEVALUATED_PROPERTIES_REMOVED": (
        {"$schema": S2020, **_o()},
        {"$schema": S2020, **_o(unevaluatedProperties=False)},
    ),
    "UNEVALUATED_PROPERTIES_EXTENDED": (
        {"$schema": S2020, **_o(unevaluatedProperties=_s())},
        {"$schema": S2020, **_o()},
    ),
    "UNEVALUATED_PROPERTIES_NARROWED": (
        {"$schema": S2020, **_o()},
        {"$schema": S2020, **_o(unevaluatedProperties=_s())},
    ),
    "MAX_ITEMS_ADDED": (_a(), _a(maxItems=3)),
    "MAX_ITEMS_REMOVED": (_a(maxItems=3), _a()),
    "MAX_ITEMS_INCREASED": (_a(maxItems=3), _a(maxItems=4)),
    "MAX_ITEMS_DECREASED": (_a(maxItems=4), _a(maxItems=3)),
    "MIN_ITEMS_ADDED": (_a(), _a(minItems=1)),
    "MIN_ITEMS_REMOVED": (_a(minItems=1), _a()),
    "MIN_ITEMS_INCREASED": (_a(minItems=1), _a(minItems=2)),
    "MIN_ITEMS_DECREASED": (_a(minItems=2), _a(minItems=1)),
    "MAX_CONTAINS_ADDED": ({"$schema": S2020, **_a()}, {"$schema": S2020, **_a(maxContains=2)}),
    "MAX_CONTAINS_REMOVED": ({"$schema": S2020, **_a(maxContains=2)}, {"$schema": S2020, **_a()}),
    "MAX_CONTAINS_INCREASED": ({"$schema": S2020, **_a(maxContains=2)}, {"$schema": S2020, **_a(maxContains=3)}),
    "MAX_CONTAINS_DECREASED": ({"$schema": S2020, **_a(maxContains=3)}, {"$schema": S2020, **_a(maxContains=2)}),
    "MIN_CONTAINS_ADDED": ({"$schema": S2020, **_a()}, {"$schema": S2020, **_a(minContains=2)}),
    "MIN_CONTAINS_REMOVED": ({"$schema": S2020, **_a(minContains=2)}, {"$schema": S2020, **_a()}),
    "MIN_CONTAINS_INCREASED": ({"$schema": S2020, **_a(minContains=2)}, {"$schema": S2020, **_a(minContains=3)}),
    "MIN_CONTAINS_DECREASED": ({"$schema": S2020, **_a(minContains=3)}, {"$schema": S2020, **_a(minContains=2)}),
    "UNIQUE_ITEMS_ADDED": (_a(), _a(uniqueItems=True)),
    "UNIQUE_ITEMS_REMOVED": (_a(uniqueItems=True), _a()),
    "ADDITIONAL_ITEMS_ADDED": (_a(items=_T2, additionalItems=False), _a(items=_T2)),
    "ADDITIONAL_ITEMS_REMOVED": (_a(items=_T2), _a(items=_T2, additionalItems=False)),
    "ADDITIONAL_ITEMS_EXTENDED": (_a(items=_T2, additionalItems=_s()), _a(items=_T2)),
    "ADDITIONAL_ITEMS_NARROWED": (_a(items=_T2), _a(items=_T2, additionalItems=_s())),
    "UNEVALUATED_ITEMS_ADDED": ({"$schema": S2020, **_a(unevaluatedItems=False)}, {"$schema": S2020, **_a()}),
    "UNEVALUATED_ITEMS_REMOVED": ({"$schema": S2020, **_a()}, {"$schema": S2020, **_a(unevaluatedItems=False)}),
    "UNEVALUATED_ITEMS_EXTENDED": ({"$schema": S2020, **_a(unevaluatedItems=_s())}, {"$schema": S2020, **_a()}),
    "UNEVALUATED_ITEMS_NARROWED": ({"$schema": S2020, **_a()}, {"$schema": S2020, **_a(unevaluatedItems=_s())}),
    "ITEM_ADDED_TO_OPEN_CONTENT_MODEL": (_a(items=_T2[:1]), _a(items=_T2)),
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL": (_a(items=_T2[:1]), _a(items=[_T2[0], {}])),
    "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL": (
        _a(items=_T2[:1], additionalItems=False),
        _a(items=_T2, additionalItems=False),
    ),
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL": (_a(items=_T2), _a(items=_T2[:1])),
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        _a(items=[_T2[0], False], additionalItems=False),
        _a(items=_T2[:1], additionalItems=False),
    ),
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        _a(items=_T2, additionalItems=False),
        _a(items=_T2[:1], additionalItems=False),
    ),
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _a(items=_T2, additionalItems=_n()),
        _a(items=_T2[:1], additionalItems=_n()),
    ),
    "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _a(items=_T2, additionalItems=_s()),
        _a(items=_T2[:1], additionalItems=_s()),
    ),
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _a(items=_T2[:1], additionalItems=_n()),
        _a(items=_T2, additionalItems=_n()),
    ),
    "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        _a(items=_T2[:1], additionalItems=_s()),
        _a(items=_T2, additionalItems=_s()),
    ),
    "ENUM_ARRAY_EXTENDED": ({"enum": ["a"]}, {"enum": ["a", "b"]}),
    "ENUM_ARRAY_NARROWED": ({"enum": ["a", "b"]}, {"enum": ["a"]}),
    "ENUM_ARRAY_CHANGED": ({"enum": ["a"]}, {"enum": ["b"]}),
    "COMBINED_TYPE_EXTENDED": ({"oneOf": [_s()]}, {"anyOf": [_s()]}),
    "COMBINED_TYPE_CHANGED": ({"anyOf": [_s(), _n()]}, {"oneOf": [_s()]}),
    "PRODUCT_TYPE_EXTENDED": ({"allOf": [_s()]}, {"allOf": [_s(), _s(maxLength=3)]}),
    "PRODUCT_TYPE_NARROWED": ({"allOf": [_s(), _s(maxLength=3)]}, {"allOf": [_s()]}),
    "SUM_TYPE_EXTENDED": ({"oneOf": [_s()]}, {"oneOf": [_s(), _n()]}),
    "SUM_TYPE_NARROWED": ({"oneOf": [_s(), _n()]}, {"oneOf": [_s()]}),
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": ({"oneOf": [_s()]}, {"oneOf": [_n()]}),
    "NOT_TYPE_EXTENDED": ({"not": {"type": "integer"}}, {"not": _n()}),
    "NOT_TYPE_NARROWED": ({"not": _n()}, {"not": {"type": "integer"}}),
}
"""Rule id -> (original, update) producing it; every rule of the table has one."""
