"""Done-when scenario: one `orders-value.avsc` checked against a Confluent-API registry and a UC workspace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_files
from tests.servers.confluent_server import ConfluentTestServer
from tests.servers.uc_server import UCTestServer, column

from .conftest import record

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
TOKEN = "dapi-scenario-canary-4b9d0e77"
RELEASED = record({"name": "id", "type": "long"}, {"name": "customer", "type": "string"},
                  {"name": "qty", "type": "int"},
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10,
                                              "scale": 2}})
# Fine for the topic (BACKWARD): a string may become nullable, an int may become a long.
CHANGED = record({"name": "id", "type": "long"}, {"name": "customer", "type": ["null", "string"], "default": None},
                 {"name": "qty", "type": "long"},
                 {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10,
                                             "scale": 2}})


@pytest.fixture
def servers() -> Iterator[tuple[ConfluentTestServer, UCTestServer]]:
    """A Karapace-like registry holding the released schema and a UC workspace holding the table."""
    with ConfluentTestServer("karapace") as registry, UCTestServer("databricks", token=TOKEN) as uc:
        registry.register("orders-value", RELEASED)
        uc.add_table("main.sales.orders", [
            column("id", "long", nullable=False), column("customer", "string", nullable=False),
            column("qty", "integer", nullable=False), column("amount", "decimal(10,2)", nullable=False)])
        yield registry, uc


def _project(root: Path, registry: ConfluentTestServer, uc: UCTestServer, schema: str) -> None:
    write_files(root, {"schemas/orders-value.avsc": schema, "schemafed.yaml": f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}"
registries:
  - id: topic
    type: confluent
    url: {registry.url}
  - id: lakehouse
    type: unity_catalog
    url: {uc.url}
    auth: {{token: "${{DATABRICKS_TOKEN}}"}}
    tables: {{"orders-value": "main.sales.orders"}}
"""})


def test_scenario__change_fine_for_topic_fails_only_the_table_item(
        pytester: pytest.Pytester, servers: tuple[ConfluentTestServer, UCTestServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Nullable customer and long qty pass the topic but fail the table, with line, column, types and fix."""
    registry, uc = servers
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    _project(pytester.path, registry, uc, CHANGED)
    report = pytester.path / "report.json"
    result = pytester.runpytest_subprocess("--schemafed-only", "-v", "-p", "no:cacheprovider",
                                           f"--schemafed-report=json={report}")
    out = result.stdout.str()
    result.stdout.fnmatch_lines_random(["*orders-value.avsc::topic PASSED*", "*orders-value.avsc::lakehouse FAILED*"])
    result.assert_outcomes(passed=1, failed=1)
    customer_line = next(i for i, t in enumerate(CHANGED.splitlines(), 1) if '"customer"' in t) - 1
    assert f"schemas/orders-value.avsc:{customer_line}" in out
    for words in ("NULLABLE_INTO_NOT_NULL", "column `customer` is string NOT NULL in table main.sales.orders",
                  "TYPE_WIDENING_REQUIRED", "`qty` is int NOT NULL", "ALTER TABLE main.sales.orders"):
        assert words in out, words
    assert TOKEN not in out and TOKEN not in result.stderr.str()
    assert report.exists() and TOKEN not in report.read_text()
    assert uc.counts() == {"get": 1}


def test_scenario__unchanged_schema_passes_both(
        pytester: pytest.Pytester, servers: tuple[ConfluentTestServer, UCTestServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The released schema matches both the topic and the table: two passing items."""
    registry, uc = servers
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    _project(pytester.path, registry, uc, RELEASED)
    result = pytester.runpytest_subprocess("--schemafed-only", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_scenario__invalid_token_one_clear_line(
        pytester: pytest.Pytester, servers: tuple[ConfluentTestServer, UCTestServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong token fails the table item with one line naming auth.token; the topic item still passes."""
    registry, uc = servers
    wrong = "dapi-wrong-token-0000aaaa"
    monkeypatch.setenv("DATABRICKS_TOKEN", wrong)
    _project(pytester.path, registry, uc, RELEASED)
    result = pytester.runpytest_subprocess("--schemafed-only", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "auth.token" in out and wrong not in out and "Traceback" not in out
    assert json.dumps(wrong) not in out
