"""Sentences of JSON Schema findings: the property, the values, and who breaks."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pytest_schemafed import check_compatibility
from pytest_schemafed.formats.jsonschema.messages import subject_of
from pytest_schemafed.formats.jsonschema.rules import COMPATIBLE_CHANGES

from .jsonschema_kit import RULE_CASES


def _messages(old: Any, new: Any, level: str = "BACKWARD") -> dict[str, str]:
    verdict = check_compatibility(json.dumps(new), [json.dumps(old)], format="json", level=level)
    return {f.rule: f.message for f in verdict.findings}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def test_max_length_decreased__names_property_values_and_readers() -> None:
    """`maxLength` 200 -> 100 on `customer.name`: both values and the direction are in the sentence."""
    old = _obj(customer=_obj(name={"type": "string", "maxLength": 200}))
    new = _obj(customer=_obj(name={"type": "string", "maxLength": 100}))
    message = _messages(old, new)["MAX_LENGTH_DECREASED"]
    assert message.startswith("Property `customer.name`: `maxLength` goes down from 200 to 100:")
    assert "valid under the registered schema may fail validation against the new schema" in message
    assert message.endswith("(Confluent: MAX_LENGTH_DECREASED #/properties/customer/properties/name/maxLength)")


def test_required_attribute_added__names_the_property_not_the_keyword() -> None:
    """A property that becomes required is named by itself."""
    old = _obj(email={"type": "string"})
    new = {**_obj(email={"type": "string"}), "required": ["email"]}
    assert _messages(old, new)["REQUIRED_ATTRIBUTE_ADDED"].startswith("Property `email` becomes required:")


def test_enum_narrowed__lists_the_lost_values() -> None:
    """Removing an enum value says which one, and that old documents may hold it."""
    old, new = _obj(k={"enum": ["a", "b", "c"]}), _obj(k={"enum": ["a", "c"]})
    message = _messages(old, new)["ENUM_ARRAY_NARROWED"]
    assert 'the enum loses "b": documents written with the registered schema may hold it' in message


def test_forward__the_sides_swap_names() -> None:
    """Under FORWARD the local file is the writer: its documents may fail the registered schema."""
    old, new = _obj(n={"type": "integer"}), _obj(n={"type": "number"})
    message = _messages(old, new, level="FORWARD")["TYPE_NARROWED"]
    assert 'the type narrows from "number" to "integer"' in message
    assert "documents valid under the new schema may fail validation against the registered schema" in message


@pytest.mark.parametrize("rule_id", sorted(r for r in RULE_CASES if r not in COMPATIBLE_CHANGES))
def test_every_incompatible_fixture__reads_as_a_finished_sentence(rule_id: str) -> None:
    """No template is left half-filled, and each sentence ends with Confluent's id and path."""
    old, new = RULE_CASES[rule_id]
    messages = _messages(old, new)
    assert rule_id in messages
    text = messages[rule_id]
    assert re.search(r"\{[a-z_]+\}", text) is None, text
    assert text[0].isupper() and f"(Confluent: {rule_id} #" in text


def test_subject_of__paths_read_as_dotted_names() -> None:
    """Nested properties, items and combiners read as one name."""
    assert subject_of(["properties", "a", "properties", "b"]) == "property `a.b`"
    assert subject_of(["properties", "tags", "items"]) == "property `tags[]`"
    assert subject_of([]) == "the schema"
