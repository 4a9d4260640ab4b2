"""Shared data of the report tests: item results as schema items record them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_schemafed.model import CheckResult, ErrorKind, Finding, Level, Verdict
from pytest_schemafed.report.collect import RESULT_PROPERTY, result_of

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


def _result(nodeid: str, fmt: str, subject: str, backend: str, verdict: Verdict) -> CheckResult:
    file, _, registry = nodeid.partition("::")
    return CheckResult(nodeid, file, fmt, registry, subject, backend, verdict)


@pytest.fixture
def results() -> list[CheckResult]:
    """One incompatible, one compatible, one new and one error item over two registries."""
    finding = Finding(**{**FINDING, "end_line": 7, "end_column": 40})  # type: ignore[arg-type]
    return [
        _result("schemas/user.avsc::prod", "avro", "user-value", "confluent prod",
                Verdict.judged((finding,), Level.BACKWARD, ("3",))),
        _result("schemas/user.avsc::git", "avro", "user", "git HEAD@abc",
                Verdict.judged((), Level.BACKWARD, ("merge-base(HEAD, origin/HEAD)@abc",))),
        _result("schemas/order.avsc::prod", "avro", "order-value", "confluent prod", Verdict.new_subject()),
        _result("schemas/broken.avsc::git", "avro", "broken", "git HEAD@abc",
                Verdict.failed("schemas/broken.avsc:3: expected ',' or '}'", ErrorKind.SCHEMA, line=3)),
    ]


def round_trip(result: CheckResult) -> CheckResult:
    """``result`` through the JUnit property and back, as every report reads it."""
    read = result_of(result.nodeid, [(RESULT_PROPERTY, json.dumps(result.to_dict()))])
    assert read is not None
    return read
