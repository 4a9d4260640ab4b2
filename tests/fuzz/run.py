"""The longer fuzz campaign (``make fuzz``): N executions per format, counts of unique crashes.

Deterministic: execution ``i`` of format ``f`` uses ``random.Random(f"{f}:{i}")``, so
a crash is replayed with ``mutate(f, random.Random(f"{f}:{i}"))``. A crash is any
exception other than SchemaParseError out of parse, or any exception out of compare;
crashes are the same when they have the same type and innermost frame in our code.

    python -m tests.fuzz.run [--executions N] [--format avro|json|protobuf]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback

from .mutate import FORMATS, check, mutate


def _crash_key(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "pytest_schemafed" in f.filename]
    where = f"{frames[-1].filename.rsplit('pytest_schemafed', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at pytest_schemafed{where}"


def campaign(fmt: str, executions: int) -> tuple[int, dict[str, tuple[int, str]]]:
    """Run ``executions`` checks of ``fmt``; returns (executions, crash key -> (count, first input label))."""
    crashes: dict[str, tuple[int, str]] = {}
    for i in range(executions):
        text = mutate(fmt, random.Random(f"{fmt}:{i}"))
        try:
            check(fmt, text)
        except Exception as exc:  # the point: anything that escapes is a crash
            key = _crash_key(exc)
            count, first = crashes.get(key, (0, f"{fmt}:{i}"))
            crashes[key] = (count + 1, first)
    return executions, crashes


def main(argv: list[str] | None = None) -> int:
    """Print executions and unique crashes per format; exit 1 when anything crashed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=100_000)
    parser.add_argument("--format", choices=sorted(FORMATS), action="append")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(1000)
    total_crashes = 0
    for fmt in args.format or sorted(FORMATS):
        start = time.perf_counter()
        done, crashes = campaign(fmt, args.executions)
        seconds = time.perf_counter() - start
        print(f"{fmt}: {done} executions in {seconds:.0f} s, {len(crashes)} unique crashes "
              f"({sum(c for c, _ in crashes.values())} crashing inputs)")
        for key, (count, first) in sorted(crashes.items()):
            print(f"  {key}: {count} inputs, first random.Random({first!r})")
        total_crashes += len(crashes)
        sys.stdout.flush()
    return 1 if total_crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
