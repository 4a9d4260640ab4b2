"""Unity Catalog answers of the wrong shape are one line naming the request, never a crash or a pass."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_schemafed.errors import BackendProtocolError
from pytest_schemafed.model import Outcome
from tests.servers.uc_server import UCTestServer

from .conftest import TOKEN, evaluate, make_check
from .test_uc_backend import GOOD, ORDERS, Make


@pytest.mark.parametrize(("body", "said"), [
    ({"tables": 5}, "expected tables to be a list"),
    ({"tables": [{"no_name": 1}]}, "expected tables to be a list"),
    ({"tables": [], "next_page_token": {"a": 1}}, "expected next_page_token to be a string"),
    ({"tables": [], "next_page_token": 7}, "expected next_page_token to be a string"),
])
def test_listing__a_wrong_shape_fails_every_item_with_one_line(make_backend: Make, body: Any, said: str) -> None:
    """Issue 15: a listing answer of the wrong shape is an error for that registry's items, with one line."""
    with UCTestServer("databricks", token=TOKEN) as server:
        for i in range(3):
            server.add_table(f"main.events.t{i}", ORDERS)
        server.add_schema("main.events")
        server.fail(200, body, path="/api/2.1/unity-catalog/tables", times=100)
        backend = make_backend(server.url, tables="main.events.{topic}")
        with pytest.raises(BackendProtocolError) as caught:
            backend._list("main", "events")
        checks = [make_check(GOOD, subject=f"t{i}-value") for i in range(3)]
        backend.prepare(checks)  # the listing is an optimisation: the tables are then read one by one
        verdicts = [evaluate(backend, c) for c in checks]
    message = str(caught.value)
    assert "unexpected answer to GET" in message and said in message and "\n" not in message
    assert all(v.outcome is Outcome.ERROR for v in verdicts)  # ... and those answers are checked too


def test_listing__a_repeated_page_token_is_an_error_not_a_partial_listing(make_backend: Make) -> None:
    """A server that hands out the same page token twice would end the listing early: an error, never fewer tables."""
    with UCTestServer("databricks", token=TOKEN) as server:
        server.add_schema("main.events")
        server.fail(200, {"tables": [], "next_page_token": "again"}, path="/api/2.1/unity-catalog/tables",
                    times=10)
        backend = make_backend(server.url, tables="main.events.{topic}")
        with pytest.raises(BackendProtocolError, match="was given before"):
            backend._list("main", "events")


@pytest.mark.parametrize("columns", [5, [{"type_text": "long"}], ["id"]])
def test_table__columns_of_the_wrong_shape_are_an_error(make_backend: Make, columns: Any) -> None:
    """A TableInfo whose columns are not a list of named columns fails its item with one line."""
    with UCTestServer("databricks", token=TOKEN) as server:
        server.add_table("main.sales.orders", ORDERS)
        server.fail(200, {"full_name": "main.sales.orders", "columns": columns},
                    path="/api/2.1/unity-catalog/tables/main.sales.orders")
        backend = make_backend(server.url, tables={"orders-value": "main.sales.orders"})
        verdict = evaluate(backend, make_check(GOOD))
    assert verdict.outcome is Outcome.ERROR and "columns that are not a list" in (verdict.error or "")
    assert "\n" not in (verdict.error or "")
