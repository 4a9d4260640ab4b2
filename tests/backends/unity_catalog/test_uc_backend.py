"""The backend against the test workspace on 127.0.0.1: reading, listing, errors, auth, secrets."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pytest_schemafed.backends.unity_catalog import UnityCatalogBackend
from pytest_schemafed.gate import local_judge
from pytest_schemafed.model import Outcome
from pytest_schemafed.registry import default_registry
from pytest_schemafed.secrets import Secret
from tests.servers.uc_server import UCTestServer

from .conftest import TOKEN, Sleeps, column, evaluate, make_check, record, run

Make = Callable[..., UnityCatalogBackend]
ORDERS = [column("id", "long", nullable=False), column("amount", "decimal(10,2)", nullable=False),
          column("customer", "string", nullable=False), column("note", "string")]
GOOD = record({"name": "id", "type": "long"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "customer", "type": "string"},
              {"name": "note", "type": ["null", "string"], "default": None})
NULLABLE_CUSTOMER = GOOD.replace('"type": "string"\n', '"type": ["null", "string"], "default": null\n', 1)


def _all_text(verdict: Any) -> str:
    return json.dumps(verdict.to_dict())


def test_get_table__compatible_schema_passes_with_one_get(uc: UCTestServer, make_backend: Make) -> None:
    """A schema that matches the table passes; the table is read with one GET and the token."""
    uc.add_table("main.sales.orders", ORDERS)
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders"})
    verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.COMPATIBLE, verdict
    assert uc.counts() == {"get": 1}
    assert uc.auth_headers == [f"Bearer {TOKEN}"]
    assert verdict.versions == ("main.sales.orders",)


def test_get_table__nullable_into_not_null_fails_with_line(uc: UCTestServer, make_backend: Make) -> None:
    """A field made nullable for a NOT NULL column fails the item at the field's line."""
    uc.add_table("main.sales.orders", ORDERS)
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders"})
    verdict = evaluate(backend, make_check(NULLABLE_CUSTOMER))
    assert verdict.outcome is Outcome.INCOMPATIBLE
    (finding,) = verdict.findings
    assert (finding.rule, finding.path) == ("NULLABLE_INTO_NOT_NULL", "customer")
    assert '"customer"' in NULLABLE_CUSTOMER.splitlines()[finding.line]  # the line after the field's "{"
    assert "main.sales.orders (DELTA)" in finding.message


@pytest.mark.parametrize("flavour", ["databricks", "oss", "oss-legacy"])
def test_missing_table__is_a_new_subject_in_every_error_spelling(flavour: str, make_backend: Make) -> None:
    """TABLE_DOES_NOT_EXIST, NOT_FOUND and TABLE_NOT_FOUND all mean: a new table."""
    with UCTestServer(flavour) as server:
        server.add_table("main.sales.other", ORDERS)
        backend = make_backend(server.url, token=None, tables={"orders-value": "main.sales.orders"})
        verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.NEW
    assert "main.sales.orders" in verdict.notes[0]


@pytest.mark.parametrize("flavour", ["databricks", "oss"])
def test_missing_schema__is_an_error_not_a_new_table(flavour: str, make_backend: Make) -> None:
    """A schema that does not exist is a mistake in the mapping: one clear error, not a pass."""
    with UCTestServer(flavour) as server:
        backend = make_backend(server.url, token=None, tables={"orders-value": "main.slaes.orders"})
        verdict = run(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.ERROR
    assert "slaes" in (verdict.error or "") and "\n" not in (verdict.error or "")


def test_oss_shape__table_without_full_name_is_read(make_backend: Make) -> None:
    """OSS TableInfo has no full_name: the table is still judged and named."""
    with UCTestServer("oss") as server:
        server.add_table("unity.default.orders", ORDERS[:1], data_source_format="DELTA")
        backend = make_backend(server.url, token=None, tables="unity.default.{stem}")
        verdict = evaluate(backend, make_check(record({"name": "id", "type": "string"}), subject="x",
                                               relpath="schemas/orders.avsc"))
    assert [f.rule for f in verdict.findings] == ["TYPE_CHANGED"]
    assert "unity.default.orders" in verdict.findings[0].message


def test_listing__500_subjects_cost_a_handful_of_list_requests(make_backend: Make) -> None:
    """500 subjects mapped into one schema are read with paged listings (empty pages too), no GETs."""
    with UCTestServer("databricks", token=TOKEN, page_size=100, empty_pages=True) as server:
        for i in range(500):
            server.add_table(f"main.events.t{i:03d}", ORDERS)
        server.add_schema("main.events")
        backend = make_backend(server.url, tables="main.events.{topic}", page_size=100)
        checks = [make_check(GOOD, subject=f"t{i:03d}-value") for i in range(500)]
        checks.append(make_check(GOOD, subject="brand_new-value"))
        backend.prepare(checks)
        verdicts = [evaluate(backend, c) for c in checks]
        counts = server.counts()
    assert counts["get"] == 0 and 1 <= counts["list"] <= 11, counts
    assert sum(v.outcome is Outcome.COMPATIBLE for v in verdicts) == 500
    assert verdicts[-1].outcome is Outcome.NEW


def test_listing__few_subjects_are_read_one_by_one(uc: UCTestServer, make_backend: Make) -> None:
    """Below list_threshold, each table is one GET and no listing is made."""
    uc.add_table("main.sales.orders", ORDERS)
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders"})
    check = make_check(GOOD)
    backend.prepare([check])
    evaluate(backend, check)
    assert uc.counts() == {"get": 1}


def test_rate_limited__retry_after_is_honoured(uc: UCTestServer, make_backend: Make, sleeps: Sleeps) -> None:
    """A 429 with Retry-After: 7 is retried after 7 seconds, then succeeds."""
    uc.add_table("main.sales.orders", ORDERS)
    uc.fail(429, {"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "rate limited"}, path="/tables/",
            headers={"Retry-After": "7"})
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders"})
    verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.COMPATIBLE
    assert sleeps == [7.0] and uc.counts()["get"] == 2


def test_invalid_token__one_clear_line_without_the_token(make_backend: Make) -> None:
    """A wrong token gives one line naming auth.token, never the token itself."""
    wrong = "dapi-wrong-0123456789abcdef"
    with UCTestServer("databricks", token=TOKEN) as server:
        server.add_table("main.sales.orders", ORDERS)
        backend = make_backend(server.url, token=wrong, tables={"orders-value": "main.sales.orders"})
        with pytest.raises(Exception) as info:
            backend.evaluate(make_check(GOOD), local_judge(default_registry()))
    message = str(info.value)
    assert "auth.token" in message and "\n" not in message and wrong not in message


def test_table_name_without_three_parts__one_clear_line(uc: UCTestServer, make_backend: Make) -> None:
    """`sales.orders` is not catalog.schema.table: the item fails saying so; nothing is requested."""
    backend = make_backend(uc.url, tables={"orders-value": "sales.orders"})
    verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.ERROR
    assert "three parts" in (verdict.error or "") and "sales.orders" in (verdict.error or "")
    assert uc.requests == []


def test_unmapped_subject__skipped_as_new_with_the_reason(uc: UCTestServer, make_backend: Make) -> None:
    """A subject that the tables map does not name is not judged (new subject, reason given)."""
    backend = make_backend(uc.url, tables={"payments-value": "main.sales.payments"})
    verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.NEW and "not mapped" in verdict.notes[0]


@pytest.mark.parametrize("spark_type", ["variant", "interval day to second", "geometry(4326)"])
def test_unknown_type_json__one_clear_error_never_a_pass(uc: UCTestServer, make_backend: Make,
                                                         spark_type: str) -> None:
    """A column type the model does not know fails the item with one line naming column and type."""
    uc.add_table("main.sales.orders", [*ORDERS, column("payload", spark_type)])
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders"})
    verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.ERROR and not verdict.compatible
    assert "`payload`" in (verdict.error or "") and spark_type in (verdict.error or "")
    assert "\n" not in (verdict.error or "")


def test_type_text_fallback__columns_without_type_json(uc: UCTestServer, make_backend: Make) -> None:
    """Columns with only type_text are parsed from it (nested and decimal types)."""
    uc.add_table("main.sales.orders", [
        column("id", "long", nullable=False, type_json=False),
        column("amount", "decimal(10,2)", nullable=False, type_json=False),
        column("tags", {"type": "array", "elementType": "string", "containsNull": True}, type_json=False)])
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders"})
    text = record({"name": "id", "type": "long"},
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12,
                                              "scale": 2}},
                  {"name": "tags", "type": {"type": "array", "items": "string"}})
    verdict = evaluate(backend, make_check(text))
    assert [f.rule for f in verdict.findings] == ["TYPE_WIDENING_REQUIRED"]
    assert verdict.findings[0].path == "amount"


def test_oauth_m2m__basic_auth_token_cached_for_many_checks(make_backend: Make) -> None:
    """OAuth M2M: one token request (basic auth, client_credentials, all-apis) serves every check."""
    secret = "dose-canary-secret-91ab27"
    with UCTestServer("databricks", client_id="sp-123", client_secret=secret) as server:
        server.add_table("main.sales.orders", ORDERS)
        server.add_table("main.sales.refunds", ORDERS)
        backend = make_backend(server.url, token=None, auth={"client_id": "sp-123", "client_secret": Secret(secret)},
                               tables={"orders-value": "main.sales.orders", "refunds-value": "main.sales.refunds"})
        verdicts = [evaluate(backend, make_check(GOOD, subject=s)) for s in ("orders-value", "refunds-value")]
        counts, token_requests = server.counts(), server.token_requests
    assert all(v.outcome is Outcome.COMPATIBLE for v in verdicts)
    assert counts == {"token": 1, "get": 2}
    assert token_requests[0]["authorization"].startswith("Basic ")
    assert token_requests[0]["form"] == {"grant_type": ["client_credentials"], "scope": ["all-apis"]}
    assert all(secret not in _all_text(v) for v in verdicts)


def test_oauth_m2m__wrong_secret_one_clear_line(make_backend: Make) -> None:
    """A wrong client secret fails with one line naming the keys to check, without the secret."""
    wrong = "wrong-secret-5d1c0e"
    with UCTestServer("databricks", client_id="sp-123", client_secret="right") as server:
        backend = make_backend(server.url, token=None, auth={"client_id": "sp-123", "client_secret": Secret(wrong)},
                               tables={"orders-value": "main.sales.orders"})
        with pytest.raises(Exception) as info:
            backend.evaluate(make_check(GOOD), local_judge(default_registry()))
    assert "client_secret" in str(info.value) and wrong not in str(info.value)


def test_token_canary__never_in_verdicts_findings_or_notes(uc: UCTestServer, make_backend: Make) -> None:
    """The token appears in no verdict, finding, note or error, whatever the outcome."""
    uc.add_table("main.sales.orders", [*ORDERS, column("payload", "variant")])
    uc.add_table("main.sales.refunds", ORDERS)
    backend = make_backend(uc.url, tables={"orders-value": "main.sales.orders", "refunds-value": "main.sales.refunds",
                                           "bad-value": "x.y"})
    verdicts = [run(backend, make_check(NULLABLE_CUSTOMER, subject=s))
                for s in ("orders-value", "refunds-value", "bad-value", "new-value")]
    assert [v.outcome for v in verdicts] == [Outcome.ERROR, Outcome.INCOMPATIBLE, Outcome.ERROR, Outcome.NEW]
    assert all(TOKEN not in _all_text(v) for v in verdicts)
    assert TOKEN not in repr(backend.spec) and TOKEN not in backend.describe()
