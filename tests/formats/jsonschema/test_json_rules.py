"""The JSON Schema rule table and one fixture per change type."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from pytest_schemafed.formats.jsonschema.rules import (
    COMPATIBLE_CHANGES,
    COMPATIBLE_CHANGES_LENIENT,
    NOT_EMITTED,
    RULES,
    RULES_BY_ID,
)

from .jsonschema_kit import RULE_CASES


def test_rule_table__ids_unique_upper_snake_and_purposes_are_sentences() -> None:
    """Every rule id is unique UPPER_SNAKE and its purpose is a 'Checks ...' sentence."""
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", rule.id), rule.id
        assert rule.purpose.startswith("Checks ") and rule.purpose.endswith("."), rule.id


def test_rule_table__incompatible_rules_have_a_hint() -> None:
    """A breaking change type always tells the user what to do instead."""
    missing = [r.id for r in RULES if r.id not in COMPATIBLE_CHANGES and not r.hint]
    assert missing == []


def test_compatible_changes__is_confluents_strict_set_within_the_table() -> None:
    """The compatible set only names known ids and has the 65 members of Confluent's 2026 master."""
    assert set(RULES_BY_ID) >= COMPATIBLE_CHANGES
    assert len(COMPATIBLE_CHANGES) == 65
    assert "ENUM_ARRAY_NARROWED" not in COMPATIBLE_CHANGES
    assert "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" in COMPATIBLE_CHANGES_LENIENT - COMPATIBLE_CHANGES


def test_every_rule_has_a_fixture_or_is_documented_as_not_emitted() -> None:
    """The meta-test: each rule id has a producing fixture unless listed in NOT_EMITTED."""
    assert set(RULE_CASES) | NOT_EMITTED == set(RULES_BY_ID)
    assert not set(RULE_CASES) & NOT_EMITTED


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fixture_produces_its_change_type(rule_id: str, diff_of: Callable[[Any, Any], list[str]]) -> None:
    """The fixture pair yields the rule id, and the verdict follows COMPATIBLE_CHANGES."""
    original, update = RULE_CASES[rule_id]
    found = [c.split(" ", 1)[0] for c in diff_of(original, update)]
    assert rule_id in found
    if rule_id in COMPATIBLE_CHANGES:
        assert all(t in COMPATIBLE_CHANGES for t in found), found


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fixture_sides_compared_with_themselves_are_compatible(
    rule_id: str, diff_of: Callable[[Any, Any], list[str]]
) -> None:
    """A schema compared with itself is compatible (Confluent still notes NOT_TYPE_NARROWED for 'not')."""
    original, update = RULE_CASES[rule_id]
    for schema in (original, update):
        found = diff_of(schema, schema)
        assert all(c.startswith("NOT_TYPE_NARROWED ") for c in found), found


def test_max_length_decreased__path_is_the_keyword(diff_of: Callable[[Any, Any], list[str]]) -> None:
    """MAX_LENGTH_DECREASED is reported at #/properties/email/maxLength."""
    old = {"type": "object", "properties": {"email": {"type": "string", "maxLength": 10}}}
    new = {"type": "object", "properties": {"email": {"type": "string", "maxLength": 5}}}
    assert diff_of(old, new) == ["MAX_LENGTH_DECREASED #/properties/email/maxLength"]


def test_type_and_enum_in_one_object__removing_enum_is_product_type_narrowed(
    diff_of: Callable[[Any, Any], list[str]],
) -> None:
    """{type, enum} is a synthetic allOf; dropping the enum is PRODUCT_TYPE_NARROWED (compatible)."""
    assert diff_of({"type": "string", "enum": ["red"]}, {"type": "string"}) == ["PRODUCT_TYPE_NARROWED #/"]


def test_enum_value_removed_with_type__is_incompatible(diff_of: Callable[[Any, Any], list[str]]) -> None:
    """Removing an enum value next to 'type' breaks: the enum branches no longer match."""
    found = diff_of({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]})
    assert found == ["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"]


def test_reordered_one_of__is_compatible(diff_of: Callable[[Any, Any], list[str]]) -> None:
    """Sub-schemas are matched, not compared by position."""
    assert (
        diff_of({"oneOf": [{"type": "string"}, {"type": "null"}]}, {"oneOf": [{"type": "null"}, {"type": "string"}]})
        == []
    )


def test_multiple_of_fraction__reduced_when_new_divides_old(diff_of: Callable[[Any, Any], list[str]]) -> None:
    """multipleOf 0.5 -> 0.25 accepts more values: MULTIPLE_OF_REDUCED (no integer division error)."""
    assert diff_of({"multipleOf": 0.5}, {"multipleOf": 0.25}) == ["MULTIPLE_OF_REDUCED #/multipleOf"]


def test_property_changes__come_in_java_hash_set_order(diff_of: Callable[[Any, Any], list[str]]) -> None:
    """Property names are walked in the order of Confluent's Java HashSet ('bar' before 'foo')."""
    found = diff_of({"properties": {"foo": {"type": "string"}}}, {"properties": {"bar": {"type": "string"}}})
    assert found == [
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/bar",
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/foo",
    ]
