"""Confluent-API backend: concurrent gate evaluation vs one check after another.

Target (issue 5): 1000 subjects on the test registry (``tests/servers/confluent_server.py``,
Karapace flavour) with 20 ms added to every request finish at least 8x faster when the
gate evaluates them concurrently than when it checks them one after another. Both runs go
through :class:`pytest_schemafed.gate.Gate` with the same backend code; the sequential run
has ``max_in_flight: 1``, the concurrent one ``max_in_flight: 16`` (the default is 8, which
caps the ratio at 8). Verdicts must be identical; the request count is printed.

    python -m benchmarks.confluent_bench [SUBJECTS] [MAX_IN_FLIGHT]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

V1 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]})
COMPATIBLE = json.dumps({"type": "record", "name": "T", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0}]})
BREAKING = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "int"}]})


def _timed(url: str, subjects: int, max_in_flight: int) -> tuple[float, dict[str, str], int]:
    from pytest_schemafed.backends.base import BackendSpec
    from pytest_schemafed.config import Settings
    from pytest_schemafed.gate import Gate
    from pytest_schemafed.model import Check, SchemaSource
    from pytest_schemafed.registry import default_registry

    registry = default_registry()
    spec = BackendSpec(id="sr", type="confluent", options={"url": url, "max_in_flight": max_in_flight})
    gate = Gate(Settings(source="bench", registries=(spec,)), registry, ROOT)
    checks = []
    for i in range(subjects):
        text = BREAKING if i % 3 == 0 else COMPATIBLE
        path = ROOT / f".bench/confluent/s{i}.avsc"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        source = SchemaSource(path=path, relpath=f"s{i}.avsc", format="avro", subject=f"s{i}-value")
        checks.append(Check(source=source, backend_id="sr", subject=f"s{i}-value"))
    start = time.perf_counter()
    gate.evaluate(checks)
    elapsed = time.perf_counter() - start
    sent = gate.backends["sr"].http.requests_sent  # type: ignore[attr-defined]
    gate.close()
    return elapsed, {k[0]: v.outcome.value for k, v in gate.verdicts.items()}, sent


def run(subjects: int = 1000, max_in_flight: int = 16, latency: float = 0.02) -> dict[str, float]:
    """Time both modes against one test registry; returns seconds, ratio and request counts."""
    from tests.servers.confluent_server import ConfluentTestServer

    with ConfluentTestServer("karapace", latency=latency) as server:
        for i in range(subjects - subjects // 10):  # the last tenth are new subjects
            server.register(f"s{i}-value", V1)
        before = len(server.requests)
        concurrent, verdicts_c, _ = _timed(server.url, subjects, max_in_flight)
        requests_c = len(server.requests) - before  # as the registry saw them
        sequential, verdicts_s, _ = _timed(server.url, subjects, 1)
        requests_s = len(server.requests) - before - requests_c
    if verdicts_c != verdicts_s:
        raise SystemExit("concurrent and sequential verdicts differ")
    return {"sequential_s": sequential, "concurrent_s": concurrent, "ratio": sequential / concurrent,
            "requests_concurrent": requests_c, "requests_sequential": requests_s}


def main(argv: list[str] | None = None) -> int:
    """Print the ratio and the request counts; exit 1 below the 8x target."""
    args = sys.argv[1:] if argv is None else argv
    subjects = int(args[0]) if args else 1000
    in_flight = int(args[1]) if len(args) > 1 else 16
    result = run(subjects, in_flight)
    print(f"confluent backend, {subjects} subjects, 20 ms per request, max_in_flight {in_flight}: "
          f"sequential {result['sequential_s']:.1f}s, concurrent {result['concurrent_s']:.2f}s, "
          f"ratio {result['ratio']:.1f}x (target >= 8x); requests {result['requests_concurrent']:.0f} "
          f"(sequential run {result['requests_sequential']:.0f})")
    return 0 if result["ratio"] >= 8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
