"""Avro engine vs Apache Avro's Python checker on the 1000-pair generated corpus.

Target (issue 2): parse + BACKWARD check of the 1000 (old, new) pairs from
``gen_corpus.py avro --count 1000`` at least 10x faster than
``avro.compatibility.ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)``
with ``avro.schema.parse`` (parse included on both sides). File reading is not timed.
Both engines must also agree on every verdict, which the run checks on the way.

The figure is the public ``check_compatibility``, one call per pair, with the collector
running as a caller's is (issue 19). Each call pauses the collector inside and parses in
its own scope (``Format.parse_scope``): the new schema and its version share their
fields, and nothing is kept after the call, so the caller's collections have nothing of
ours to rescan. Printed beside it, not the figure: the internal path the gate runs
(``Format.parse`` and ``compare`` with the process-wide field table, collector paused
around the batch, then running). Apache's checker runs as its users run it.
Callgrind, the first 300 pairs, ``PYTHONHASHSEED=0`` (deterministic, unlike wall time on
a shared machine): Apache 4,854M instructions; the public function 569M before the scope
and the leaner call path, 485M after (10.0x). Wall time reads lower than that ratio
(~8x on an idle 2-core machine): decoding with orjson is a quarter of our instructions
and runs at a lower rate than Apache's pure-Python walk. The same source compiled with
mypyc (setup.py, ``SCHEMAFED_MYPYC=1``, as the published wheels) is timed the same way;
``make bench`` runs this module with ``--json`` in the compiled build's interpreter.

    python -m benchmarks.avro_bench [CORPUS_DIR]
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

from benchmarks import common

Pairs = common.Pairs


def load_pairs(corpus_dir: Path | str) -> Pairs:
    """(name, old text, new text) for every schema of the generated corpus."""
    return common.load_pairs(corpus_dir, "avsc")


def verdicts_ours(pairs: Pairs) -> dict[str, bool]:
    """BACKWARD verdicts of our engine: reader = new, writer = old (parse included)."""
    return common.backward_verdicts("avro", pairs)


def verdicts_apache(pairs: Pairs) -> dict[str, bool]:
    """BACKWARD verdicts of Apache Avro's Python checker (parse included)."""
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
    from avro.schema import parse

    out: dict[str, bool] = {}
    for name, old, new in pairs:
        result = ReaderWriterCompatibilityChecker().get_compatibility(parse(new), parse(old))
        out[name] = result.compatibility is SchemaCompatibilityType.compatible
    return out


def verdicts_public(pairs: Pairs) -> dict[str, bool]:
    """BACKWARD verdicts through the public ``check_compatibility``, one call per pair, as a caller makes them."""
    from pytest_schemafed import check_compatibility

    return {name: check_compatibility(new, [old], format="avro", level="BACKWARD").compatible
            for name, old, new in pairs}


def _timed(fn: object, pairs: Pairs, *, pause_gc: bool = False) -> float:
    from pytest_schemafed.formats.avro.reuse import clear

    clear()  # measure ours cold: no field remembered from an earlier run
    enabled = gc.isenabled()
    if pause_gc:  # as Gate.evaluate does around a batch of checks
        gc.disable()
    try:
        start = time.perf_counter()
        fn(pairs)  # type: ignore[operator]
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def time_ours(corpus_dir: Path | str, *, pause_gc: bool = True) -> float:
    """Seconds for our parse + BACKWARD check of every pair in ``corpus_dir`` (GC paused as the gate does)."""
    return _timed(verdicts_ours, load_pairs(corpus_dir), pause_gc=pause_gc)


def time_apache(corpus_dir: Path | str) -> float:
    """Seconds for Apache Avro's parse + BACKWARD check of every pair in ``corpus_dir``."""
    return _timed(verdicts_apache, load_pairs(corpus_dir))


def _default_corpus() -> Path:
    try:
        from benchmarks.common import corpus
    except ImportError:  # run from elsewhere: generate next to the shared generator
        import subprocess
        import tempfile

        out = Path(tempfile.gettempdir()) / "schemafed-avro-1000"
        if not (out / "edits.tsv").exists():
            subprocess.run(
                [sys.executable, "/work/shared/bench/gen_corpus.py", "avro", "--count", "1000", "--out", str(out)],
                check=True,
            )
        return out
    return corpus("avro", 1000)


def measure(pairs: Pairs, rounds: int = 3) -> dict[str, float]:
    """Medians of ``rounds`` alternating timings: the public ``check_compatibility`` (GC running), the
    internal path (GC paused, then running), Apache."""
    samples: dict[str, list[float]] = {"public": [], "ours": [], "ours_gc": [], "apache": []}
    for _ in range(rounds):
        samples["public"].append(_timed(verdicts_public, pairs))  # the collector running, as a caller's is
        samples["ours"].append(_timed(verdicts_ours, pairs, pause_gc=True))
        samples["ours_gc"].append(_timed(verdicts_ours, pairs))
        samples["apache"].append(_timed(verdicts_apache, pairs))
    return {name: statistics.median(values) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    """Print both timings (median of alternating runs), the ratio and any disagreement.

    ``--json``: print one JSON object instead (``make bench`` runs this in the compiled
    build's interpreter).
    """
    args = sys.argv[1:] if argv is None else argv
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    corpus_dir = Path(args[0]) if args else _default_corpus()
    pairs = load_pairs(corpus_dir)
    ours_v, apache_v = verdicts_ours(pairs), verdicts_apache(pairs)
    disagree = sorted(n for n in ours_v if ours_v[n] != apache_v[n])
    r = measure(pairs)
    ours, plain, apache, public = r["ours"], r["ours_gc"], r["apache"], r["public"]
    if as_json:
        from benchmarks.compiled import is_compiled
        from pytest_schemafed.formats.avro import parse

        print(json.dumps({**r, "pairs": len(pairs), "disagree": len(disagree), "compiled": is_compiled(parse)}))
        return 0
    print(f"avro: {len(pairs)} pairs, parse + BACKWARD check")
    print(f"  public {public:8.3f}s  (check_compatibility, one call per pair, GC running: {apache / public:.1f}x)")
    print(f"  ours   {ours:8.3f}s  (internal path, GC paused, as Gate.evaluate does around a batch)")
    print(f"  ours   {plain:8.3f}s  (GC running: {apache / plain:.1f}x)")
    print(f"  apache {apache:8.3f}s")
    print(f"  ratio  {apache / public:8.1f}x faster, public function (target >= 10x)")
    incompatible = sum(not v for v in ours_v.values())
    print(f"  verdicts: {len(pairs) - len(disagree)}/{len(pairs)} agree; incompatible: {incompatible}")
    for name in disagree[:10]:
        print(f"  DISAGREE {name}: ours={ours_v[name]} apache={apache_v[name]}")
    return 0 if not disagree and apache / public >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
