"""The shared JSON Schema conformance cases, and each place where we follow Confluent, not Karapace.

``data/shared_conformance.jsonl`` is a copy of ``karapace-jsonschema.jsonl`` and
``confluent-jsonschema.jsonl`` (Apache-2.0 test data; each line keeps its ``source``).
``data/karapace_exceptions.jsonl`` lists the cases where Karapace's verdict
contradicts Confluent's documented SchemaDiff rules, each with the Confluent rule
that decides it and why; those are asserted with Confluent's verdict.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_schemafed import check_compatibility

from .jsonschema_kit import load_jsonl

LEVEL = {"backward": "BACKWARD", "forward": "FORWARD", "full": "FULL"}
SHARED = load_jsonl("shared_conformance.jsonl")
EXCEPTIONS = {c["id"]: c for c in load_jsonl("karapace_exceptions.jsonl")}


def _verdict(case: dict[str, Any]) -> bool:
    refs = dict(case.get("old_refs") or {})
    refs.update(case.get("new_refs") or {})
    previous = case.get("history") or [case["old"]]
    level = case.get("level") or LEVEL[case["direction"]]
    return check_compatibility(case["new"], previous, format="json", level=level, references=refs or None).compatible


@pytest.mark.parametrize("case", [c for c in SHARED if c["id"] not in EXCEPTIONS], ids=lambda c: c["id"])
def test_shared_case_agrees(case: dict[str, Any]) -> None:
    """Our verdict equals the source's verdict (Karapace or Confluent)."""
    assert _verdict(case) is case["compatible"], case["source"]


@pytest.mark.parametrize("case", list(EXCEPTIONS.values()), ids=lambda c: f"{c['id']}-{c['rule']}")
def test_karapace_exception_follows_confluent_rule(case: dict[str, Any]) -> None:
    """Where Karapace contradicts Confluent's rules, we give Confluent's verdict (rule and reason in the data)."""
    assert case["why"] and case["rule"]
    assert case["confluent_compatible"] is not case["karapace_compatible"]
    assert _verdict(case) is case["confluent_compatible"], case["why"]


def test_exceptions_are_few_and_named() -> None:
    """Only the documented kinds of disagreement exist (true/false schemas, empty-schema properties)."""
    kinds = {c["rule"] for c in EXCEPTIONS.values()}
    assert kinds <= {
        "EMPTY_SCHEMA_READS_ANYTHING",
        "FALSE_SCHEMA_WRITER",
        "TYPE_CHANGED",
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    }
    assert len(EXCEPTIONS) <= 72
