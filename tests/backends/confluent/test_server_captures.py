"""The test registry answers the captured JSON Schema and Protobuf checks exactly as the real Karapace did."""

from __future__ import annotations

import httpx
import pytest

from tests.servers.confluent_server import ConfluentTestServer
from tests.servers.labelled import CapturedCheck, captured_checks

CASES = captured_checks()


def test_captures__six_json_and_protobuf_checks_were_read() -> None:
    """The capture file holds 3 JSON Schema and 3 Protobuf checks against a registered version."""
    assert sorted(c.schema_type for c in CASES) == ["JSON"] * 3 + ["PROTOBUF"] * 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.schema_type}-{c.compatible}-{len(c.new)}")
def test_server__answers_each_captured_check_as_the_real_registry(case: CapturedCheck) -> None:
    """Same verdict and same messages as the real registry, over HTTP, for every captured check."""
    with ConfluentTestServer() as server:
        server.register("s-value", case.old, case.schema_type)
        server.set_level(case.level, "s-value")
        answer = httpx.post(f"{server.url}/compatibility/subjects/s-value/versions/latest?verbose=true",
                            json={"schemaType": case.schema_type, "schema": case.new}, timeout=10).json()
    assert answer["is_compatible"] is case.compatible
    assert tuple(answer.get("messages") or ()) == case.messages
