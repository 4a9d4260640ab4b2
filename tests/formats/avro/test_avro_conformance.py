"""The 414 Avro cases of the shared conformance corpus (Apache Avro Java/Python, Confluent).

Each line of ``conformance_cases.jsonl`` is copied unchanged from ``shared/conformance``
and keeps its ``source`` attribution.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed import check_compatibility

CASES: list[dict[str, Any]] = [
    json.loads(line)
    for line in (Path(__file__).parent / "conformance_cases.jsonl").read_text().splitlines()
    if line.strip()
]
LEVEL = {"backward": "BACKWARD", "forward": "FORWARD", "full": "FULL"}


def _verdict(case: dict[str, Any]) -> Any:
    refs = {**(case.get("old_refs") or {}), **(case.get("new_refs") or {})}
    return check_compatibility(
        case["new"],
        case.get("history") or [case["old"]],
        format="avro",
        level=case.get("level") or LEVEL[case["direction"]],
        references=refs or None,
    )


def test_conformance_corpus_is_complete() -> None:
    """The copied corpus holds every Avro case, each with its upstream source."""
    assert len(CASES) == 414
    assert all(case["format"] == "avro" and case["source"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_conformance_verdict(case: dict[str, Any]) -> None:
    """Our verdict equals the reference implementation's verdict for this case."""
    assert _verdict(case).compatible is case["compatible"], case.get("description", case["source"])


TYPED = [c for c in CASES if c.get("expect_types")]


@pytest.mark.parametrize("case", TYPED, ids=[c["id"] for c in TYPED])
def test_conformance_incompatibility_types(case: dict[str, Any]) -> None:
    """Every incompatibility type the source asserts is among our findings' rule ids."""
    got = Counter(f.rule for f in _verdict(case).findings)
    expected = Counter(case["expect_types"])
    assert not expected - got, f"expected {dict(expected)}, got {dict(got)}"


# Java's locations are the reference; Python's port differs where the writer is a union.
LOCATED = [c for c in CASES if c.get("expect_locations") and not c["id"].startswith("avro-py")]


@pytest.mark.parametrize("case", LOCATED, ids=[c["id"] for c in LOCATED])
def test_conformance_reader_locations(case: dict[str, Any]) -> None:
    """Every location Apache Avro (Java) asserts is the path of one of our findings."""
    paths = {f.path for f in _verdict(case).findings}
    assert set(case["expect_locations"]) <= paths, paths
