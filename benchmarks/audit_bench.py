"""``schemafed audit``: subjects audited concurrently vs one request at a time.

Target (issue 18): an audit of 1000 subjects on the test registry
(``tests/servers/confluent_server.py``, Karapace flavour) with 20 ms added to every request
finishes at least 8x faster concurrently than one request at a time. Both runs are the
real command (``pytest_schemafed.cli.main``) on the same registry; the sequential run has
``max_in_flight: 1``, the concurrent one ``max_in_flight: 16`` (the default 8 would cap the
ratio at 8). The two reports must be identical; exit 1 below the target.

    python -m benchmarks.audit_bench [SUBJECTS] [MAX_IN_FLIGHT]

``make bench`` runs the fast mode, 200 subjects (~16 s one request at a time instead of ~80 s);
the ratio is the same measure, over fewer subjects.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

V1 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]})
V2 = json.dumps({"type": "record", "name": "T", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0}]})
BREAKING = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "int"}]})


def _timed(url: str, max_in_flight: int) -> tuple[float, dict[str, object], int]:
    from pytest_schemafed.cli import main

    with tempfile.TemporaryDirectory(prefix="audit-bench-") as tmp:
        Path(tmp, "schemafed.yaml").write_text(f"registries:\n  - id: sr\n    type: confluent\n    url: {url}\n"
                                               f"    max_in_flight: {max_in_flight}\n")
        before = os.getcwd()
        os.chdir(tmp)
        out = io.StringIO()
        try:
            start = time.perf_counter()
            with contextlib.redirect_stdout(out):
                code = main(["audit", "sr", "--level", "BACKWARD", "--json"])
            elapsed = time.perf_counter() - start
        finally:
            os.chdir(before)
    return elapsed, json.loads(out.getvalue()), code


def run(subjects: int = 1000, max_in_flight: int = 16, latency: float = 0.02) -> dict[str, float]:
    """Time both modes against one test registry; returns seconds, ratio and request counts."""
    from tests.servers.confluent_server import ConfluentTestServer

    with ConfluentTestServer("karapace", latency=latency) as server:
        for i in range(subjects):
            server.register(f"s{i:04d}-value", V1)
            server.register(f"s{i:04d}-value", BREAKING if i % 10 == 0 else V2)
        concurrent, report_c, code_c = _timed(server.url, max_in_flight)
        requests_c = len(server.requests)
        sequential, report_s, code_s = _timed(server.url, 1)
        requests_s = len(server.requests) - requests_c
    if (report_c, code_c) != (report_s, code_s):
        raise SystemExit("concurrent and sequential audits differ")
    return {"sequential_s": sequential, "concurrent_s": concurrent, "ratio": sequential / concurrent,
            "requests_concurrent": requests_c, "requests_sequential": requests_s,
            "violating_subjects": len({v["subject"] for v in report_c["violations"]})}  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    """Print the ratio and the request counts; exit 1 below the 8x target."""
    args = sys.argv[1:] if argv is None else argv
    subjects = int(args[0]) if args else 1000
    in_flight = int(args[1]) if len(args) > 1 else 16
    r = run(subjects, in_flight)
    print(f"schemafed audit, {subjects} subjects x 2 versions, 20 ms per request, max_in_flight {in_flight}: "
          f"one request at a time {r['sequential_s']:.1f}s, concurrent {r['concurrent_s']:.2f}s, "
          f"ratio {r['ratio']:.1f}x (target >= 8x); requests {r['requests_concurrent']:.0f} each run, "
          f"{r['violating_subjects']:.0f} subjects with violations in both")
    return 0 if r["ratio"] >= 8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
