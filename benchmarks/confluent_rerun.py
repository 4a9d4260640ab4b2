"""Confluent-API reruns: the requests of a first and a second gate run against an unchanged registry.

Schema bodies are kept in pytest's cache by schema id (``RunContext.cache_*``), the only
immutable name; a version number can go to another schema after a permanent delete, so a
second run confirms each held body's id with ``GET /schemas/ids/{id}/versions`` (no body,
once per id and run) and fetches no body again; listings, ``latest``, config and the
compatibility check are asked every run. 200 subjects with two versions each, at
FULL_TRANSITIVE (every version needed) and at the registry's own level (BACKWARD:
``latest`` only). The subjects share their schemas (3 distinct ids), as subjects
registered from one template do, so the confirmations are few; with 400 distinct schemas
there would be one per version.

    python -m benchmarks.confluent_rerun [SUBJECTS]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.confluent_bench import BREAKING, COMPATIBLE, V1  # noqa: E402


def _kind(path: str) -> str:
    path = path.split("?")[0]
    if path.startswith("/schemas/ids/") and path.endswith("/versions"):
        return "confirmation"
    if path.startswith("/compatibility/"):
        return "check"
    if path.startswith("/config"):
        return "config"
    if path.endswith("/versions"):
        return "listing"
    if path.endswith("/versions/latest"):
        return "latest"
    return "version body" if "/versions/" in path else "other"


def _run(url: str, subjects: int, level: str | None, cache: dict[str, Any]) -> dict[str, str]:
    from pytest_schemafed.backends.base import BackendSpec
    from pytest_schemafed.config import Settings
    from pytest_schemafed.gate import Gate
    from pytest_schemafed.model import Check, Level, SchemaSource
    from pytest_schemafed.registry import default_registry

    registry = default_registry()
    spec = BackendSpec(id="sr", type="confluent", options={"url": url})
    gate = Gate(Settings(source="bench", registries=(spec,)), registry, ROOT, cache_get=cache.get,
                cache_set=cache.__setitem__, level=Level.parse(level) if level else None, workers=0)
    checks = []
    for i in range(subjects):
        text = BREAKING if i % 3 == 0 else COMPATIBLE
        path = ROOT / f".bench/rerun/s{i}.avsc"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        source = SchemaSource(path=path, relpath=f"s{i}.avsc", format="avro", subject=f"s{i}-value")
        checks.append(Check(source=source, backend_id="sr", subject=f"s{i}-value", level=gate.level))
    gate.evaluate(checks)
    gate.close()
    return {k[0]: v.outcome.value for k, v in gate.verdicts.items()}


def run(subjects: int = 200) -> dict[str, dict[str, Counter[str]]]:
    """Requests by kind of a first and a second run, per level; raises if the verdicts differ."""
    from tests.servers.confluent_server import ConfluentTestServer

    out: dict[str, dict[str, Counter[str]]] = {}
    with ConfluentTestServer("karapace") as server:
        for i in range(subjects):
            server.register(f"s{i}-value", V1)
            server.register(f"s{i}-value", COMPATIBLE if i % 2 else V1.replace('"string"', '"bytes"'))
        for level in ("FULL_TRANSITIVE", None):
            cache: dict[str, Any] = {}
            counts: dict[str, Counter[str]] = {}
            verdicts = []
            for name in ("first", "second"):
                before = len(server.requests)
                verdicts.append(_run(server.url, subjects, level, cache))
                counts[name] = Counter(_kind(p) for _, p in server.requests[before:])
            uncached = _run(server.url, subjects, level, {})
            if not verdicts[0] == verdicts[1] == uncached:
                raise SystemExit("verdicts differ between the first, the second and an uncached run")
            out[level or "registry's own level"] = counts
    return out


def lines(result: dict[str, dict[str, Counter[str]]], subjects: int = 200) -> list[str]:
    """The `make bench` lines."""
    out = []
    for level, counts in result.items():
        said = "; ".join(f"{name} run {sum(c.values())} ({', '.join(f'{k} {v}' for k, v in sorted(c.items()))})"
                         for name, c in counts.items())
        bodies, confirmations = counts["second"]["version body"], counts["second"]["confirmation"]
        out.append(f"[issue 19] confluent reruns, {subjects} subjects x 2 versions, {level}: {said}; numbered "
                   f"version bodies fetched again by the second run: {bodies} (target 0), each held body confirmed "
                   f"by its id instead ({confirmations} body-free requests); verdicts identical with and without "
                   "the cache")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    subjects = int(args[0]) if args else 200
    result = run(subjects)
    for text in lines(result, subjects):
        print(text)
    return 0 if all(c["second"]["version body"] == 0 for c in result.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
