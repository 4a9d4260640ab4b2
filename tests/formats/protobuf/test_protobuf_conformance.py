"""Karapace's Protobuf cases (copied from the shared conformance corpus, `source` kept per line).

Every case agrees with Karapace except where Karapace contradicts Confluent's documented
rules; each exception is its own test below, naming the rule and why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed import SchemaParseError, check_compatibility

CASES = [json.loads(line) for line in (Path(__file__).with_name("data") / "karapace-protobuf.jsonl").open()]
BY_ID = {c["id"]: c for c in CASES}
LEVEL = {"backward": "BACKWARD", "forward": "FORWARD", "full": "FULL"}

# Karapace verdicts that contradict Confluent: id -> why (each has its own test below).
EXCEPTIONS = {
    "karapace-protobuf-5": "Confluent: a renumbered field is FIELD_REMOVED + FIELD_ADDED, both compatible",
    "karapace-protobuf-17": "Confluent: a renumbered field is FIELD_REMOVED + FIELD_ADDED, both compatible",
    "karapace-protobuf-14": "field number 0 is invalid Protobuf (protoc and Confluent reject the schema)",
    "karapace-protobuf-9": "Confluent: PACKAGE_CHANGED is incompatible since February 2024; Karapace accepts it",
}


def _verdict(case: dict[str, Any]) -> bool:
    refs = dict(case.get("old_refs") or {})
    refs.update(case.get("new_refs") or {})
    level = case.get("level") or LEVEL[case["direction"]]
    previous = case.get("history") or [case["old"]]
    verdict = check_compatibility(case["new"], previous, format="protobuf", level=level, references=refs or None)
    return verdict.compatible


@pytest.mark.parametrize("case", [c for c in CASES if c["id"] not in EXCEPTIONS], ids=lambda c: c["id"])
def test_karapace_case__same_verdict(case: dict[str, Any]) -> None:
    """Our verdict equals Karapace's (source: the case's `source`)."""
    assert _verdict(case) is case["compatible"], case["source"]


@pytest.mark.parametrize("case_id", ["karapace-protobuf-5", "karapace-protobuf-17"])
def test_karapace_exception__renumbered_field_is_compatible_per_confluent(case_id: str) -> None:
    """FIELD_REMOVED + FIELD_ADDED: Confluent's COMPATIBLE_CHANGES hold both; Karapace rejects."""
    case = BY_ID[case_id]
    assert case["compatible"] is False
    assert _verdict(case) is True


def test_karapace_exception__field_number_zero_is_a_parse_error() -> None:
    """Field numbers start at 1 (protobuf language spec); Karapace's parser accepts 0, we refuse it."""
    case = BY_ID["karapace-protobuf-14"]
    with pytest.raises(SchemaParseError, match="has number 0") as info:
        _verdict(case)
    assert info.value.line is not None


def test_karapace_exception__package_change_is_incompatible_per_confluent() -> None:
    """Karapace accepts a new package; Confluent's current SchemaDiff rejects it (PACKAGE_CHANGED)."""
    case = BY_ID["karapace-protobuf-9"]
    assert case["compatible"] is True
    verdict = check_compatibility(case["new"], [case["old"]], format="protobuf", level="BACKWARD")
    assert not verdict.compatible
    assert [f.rule for f in verdict.findings if f.rule == "PACKAGE_CHANGED"] == ["PACKAGE_CHANGED"]


def test_karapace_corpus__every_case_is_either_agreed_or_a_named_exception() -> None:
    """Agreement on the shared corpus is 19/23, the 4 others being the named exceptions."""
    agreed = 0
    for case in CASES:
        if case["id"] in EXCEPTIONS:
            continue
        agreed += _verdict(case) is case["compatible"]
    assert agreed == len(CASES) - len(EXCEPTIONS) == 19
