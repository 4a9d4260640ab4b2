"""Shared data of the report tests: item results as schema items record them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_schemafed.report.collect import ItemResult

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif" / "sarif-schema-2.1.0.json"

FINDING = {
    "rule": "READER_FIELD_MISSING_DEFAULT_VALUE",
    "message": "field `email` of record `User` was added without a default: 100% of old records lack it",
    "path": "/fields/2",
    "line": 7,
    "column": 5,
    "version": "3",
    "direction": "backward",
    "hint": "add a \"default\" to the field",
}


def properties(**values: object) -> list[tuple[str, object]]:
    """``schemafed.*`` user properties, as SchemaItem._record writes them."""
    return [(f"schemafed.{k}", v) for k, v in values.items()]


@pytest.fixture
def results() -> list[ItemResult]:
    """One incompatible, one compatible, one new and one error item over two registries."""
    incompatible = ItemResult.from_properties("schemas/user.avsc::prod", properties(
        registry="prod", subject="user-value", outcome="incompatible", level="BACKWARD", versions="3",
        rules=FINDING["rule"], file="schemas/user.avsc", format="avro", backend="confluent prod",
        findings=json.dumps([FINDING]), error="", error_kind="", error_line="", notes=""))
    compatible = ItemResult.from_properties("schemas/user.avsc::git", properties(
        registry="git", subject="user", outcome="compatible", level="BACKWARD", versions="HEAD@abc",
        rules="", file="schemas/user.avsc", format="avro", backend="git HEAD@abc", findings=""))
    new = ItemResult.from_properties("schemas/order.avsc::prod", properties(
        registry="prod", subject="order-value", outcome="new", level="", versions="", file="schemas/order.avsc"))
    error = ItemResult.from_properties("schemas/broken.avsc::git", properties(
        registry="git", subject="broken", outcome="error", level="", versions="", file="schemas/broken.avsc",
        error="schemas/broken.avsc:3: expected ',' or '}'", error_kind="schema", error_line="3"))
    out = [incompatible, compatible, new, error]
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]
