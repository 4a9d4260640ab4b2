"""Shared helpers of the Unity Catalog tests: a test workspace, a backend on it, checks, tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.unity_catalog import UnityCatalogBackend
from pytest_schemafed.errors import SchemafedError
from pytest_schemafed.gate import local_judge
from pytest_schemafed.model import Check, ErrorKind, Verdict
from pytest_schemafed.registry import default_registry
from pytest_schemafed.secrets import Secret
from pytest_schemafed.tables import TableJudgement, judge_table, local_table
from pytest_schemafed.tables.model import TableSchema
from pytest_schemafed.tables.spark import table_from_info
from tests.checks import make_check as _make_check
from tests.servers.uc_server import UCTestServer, column

__all__ = ["avro", "column", "judge_avro", "make_check", "record", "table"]

TOKEN = "dapi-canary-7f3e9b2c41d8a6"


class Sleeps(list[float]):
    """Records the waits the HTTP layer asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    """The retry waits of backends built by ``make_backend``."""
    return Sleeps()


@pytest.fixture
def uc() -> Iterator[UCTestServer]:
    """A Databricks-flavoured test workspace requiring the canary token."""
    with UCTestServer("databricks", token=TOKEN) as server:
        yield server


@pytest.fixture
def make_backend(tmp_path: Path, sleeps: Sleeps) -> Iterator[Callable[..., UnityCatalogBackend]]:
    """Build a UnityCatalogBackend (id ``lake``) on ``url`` with options; closed at teardown."""
    made: list[UnityCatalogBackend] = []

    def make(url: str, *, token: str | None = TOKEN, **options: Any) -> UnityCatalogBackend:
        opts: dict[str, Any] = {"url": url, "retries": 2, **options}
        if token is not None and "auth" not in opts:
            opts["auth"] = {"token": Secret(token)}
        spec = BackendSpec(id="lake", type="unity_catalog", options=opts)
        backend = UnityCatalogBackend(spec, RunContext(rootdir=tmp_path, registry=default_registry()), sleep=sleeps)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


def record(*fields: dict[str, Any], name: str = "Order") -> str:
    """An Avro record schema text (indented, so fields have their own lines)."""
    return json.dumps({"type": "record", "name": name, "namespace": "com.shop", "fields": list(fields)}, indent=2)


def avro(text: str, path: str = "schemas/orders-value.avsc") -> Any:
    """Parse an Avro text as the gate does."""
    return default_registry().format("avro").parse(text, path=path)


def make_check(text: str, subject: str = "orders-value", *, fmt: str = "avro",
               relpath: str = "schemas/orders-value.avsc") -> Check:
    """A check of ``text`` (parsed as the gate does) against ``subject`` on backend ``lake``."""
    return _make_check(text, fmt=fmt, subject=subject, relpath=relpath, backend_id="lake")


def evaluate(backend: UnityCatalogBackend, check: Check) -> Verdict:
    """``backend.evaluate`` with the gate's local judge (the backend fetches; the judge judges),
    a backend error turned into a failed verdict as the gate does."""
    try:
        return backend.evaluate(check, local_judge(default_registry()))
    except SchemafedError as exc:
        return Verdict.failed(str(exc), ErrorKind.REGISTRY)


run = evaluate


def table(*columns: dict[str, Any], fmt: str = "DELTA", properties: dict[str, str] | None = None,
          name: str = "main.sales.orders") -> TableSchema:
    """A table model built from UC column JSON (as the server serves it)."""
    catalog, schema, short = name.split(".")
    return table_from_info({"full_name": name, "catalog_name": catalog, "schema_name": schema, "name": short,
                            "data_source_format": fmt, "properties": properties or {},
                            "columns": [{**c, "position": i} for i, c in enumerate(columns)]})


def judge_avro(tbl: TableSchema, *fields: dict[str, Any]) -> TableJudgement:
    """Judge an Avro record with ``fields`` written into ``tbl``."""
    return judge_table(tbl, local_table(avro(record(*fields))))


def rules_of(judged: TableJudgement) -> list[str]:
    """Rule ids of the errors, then of the notes."""
    return [f.rule for f in judged.findings] + [n.split(":", 1)[0] for n in judged.notes]
