"""Unity Catalog backend benchmark: N subjects mapped into one schema, judged against a local test workspace.

Run: ``python benchmarks/uc_bench.py [N]`` (default 500). Prints requests by kind and the wall time;
the point is the request count (a handful of listing pages, no per-table GET).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.unity_catalog import UnityCatalogBackend
from pytest_schemafed.gate import local_judge
from pytest_schemafed.registry import default_registry
from tests.backends.unity_catalog.conftest import make_check, record
from tests.servers.uc_server import UCTestServer, column


def run(n: int = 500) -> dict[str, float]:
    """Judge ``n`` subjects; return request counts and seconds."""
    text = record({"name": "id", "type": "long"}, {"name": "note", "type": ["null", "string"], "default": None})
    with UCTestServer("databricks", page_size=100) as server:
        for i in range(n):
            server.add_table(f"main.events.t{i:04d}", [column("id", "long", nullable=False), column("note", "string")])
        spec = BackendSpec(id="lake", type="unity_catalog",
                           options={"url": server.url, "tables": "main.events.{topic}", "page_size": 100})
        backend = UnityCatalogBackend(spec, RunContext(rootdir=Path("."), registry=default_registry()))
        checks = [make_check(text, subject=f"t{i:04d}-value") for i in range(n)]
        judge = local_judge(default_registry())
        start = time.perf_counter()
        backend.prepare(checks)
        verdicts = [backend.evaluate(c, judge) for c in checks]
        elapsed = time.perf_counter() - start
        backend.close()
        counts = server.counts()
    assert all(v.compatible for v in verdicts)
    return {"subjects": n, "list_requests": counts["list"], "get_requests": counts["get"], "seconds": elapsed}


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
