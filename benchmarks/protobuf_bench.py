"""Protobuf engine speed, and `buf breaking` as the anchor for `pytest --schemafed`.

Target (issue 4): `pytest --schemafed` on the 1000-file repo from
``gen_corpus.py repo --format protobuf --count 1000`` takes no longer than
``buf breaking --against '.git#branch=main'`` on the same repo (buf from npm
``@bufbuild/buf``). The integrator wires the pytest timing; this module gives:

* :func:`time_ours`: parse + BACKWARD check of the 1000 (old, new) pairs from
  ``gen_corpus.py protobuf --count 1000`` (file reading not timed); it also checks
  that every verdict matches the corpus label, as a sanity check;
* :func:`ensure_buf`: a ``buf`` binary, installed with npm into a cache folder when
  missing (it says so on stderr), or ``None`` when npm cannot install it;
* :func:`time_buf`: wall time of ``buf breaking --against '.git#branch=main'`` in a repo.

    python -m benchmarks.protobuf_bench [CORPUS_DIR [REPO_DIR]]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common

Pairs = common.Pairs


def load_pairs(corpus_dir: Path | str) -> Pairs:
    """(name, old text, new text) for every schema of the generated corpus."""
    return common.load_pairs(corpus_dir, "proto")


def verdicts_ours(pairs: Pairs) -> dict[str, bool]:
    """BACKWARD verdicts of our engine: reader = new, writer = old (parse included)."""
    return common.backward_verdicts("protobuf", pairs)


def label_mismatches(corpus_dir: Path | str, verdicts: dict[str, bool]) -> list[str]:
    """Names whose verdict differs from edits.tsv's ``breaks_backward`` label."""
    rows = (Path(corpus_dir) / "edits.tsv").read_text().splitlines()[1:]
    labels = {r.split("\t")[0]: r.split("\t")[2] == "true" for r in rows}
    return sorted(n for n, ok in verdicts.items() if ok == labels.get(n, not ok))


def time_ours(corpus_dir: Path | str) -> float:
    """Seconds for our parse + BACKWARD check of every pair in ``corpus_dir``."""
    pairs = load_pairs(corpus_dir)
    start = time.perf_counter()
    verdicts_ours(pairs)
    return time.perf_counter() - start


def ensure_buf(cache_dir: Path | str) -> str | None:
    """Path of a ``buf`` binary: on PATH, in ``cache_dir``, or installed there with npm.

    :returns: ``None`` when buf is not on PATH and npm is missing or fails.
    """
    found = shutil.which("buf")
    if found:
        return found
    cache = Path(cache_dir)
    local = cache / "node_modules" / ".bin" / "buf"
    if local.exists():
        return str(local)
    npm = shutil.which("npm")
    if npm is None:
        print("protobuf_bench: buf is missing and npm is not installed", file=sys.stderr)
        return None
    print(f"protobuf_bench: installing @bufbuild/buf with npm into {cache}", file=sys.stderr)
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache), "@bufbuild/buf"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not local.exists():
        print(f"protobuf_bench: npm could not install @bufbuild/buf: {done.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return str(local)


def time_buf(repo_dir: Path | str, buf: str | None = None, cache_dir: Path | str | None = None) -> float | None:
    """Wall seconds of ``buf breaking --against '.git#branch=main'`` in ``repo_dir``.

    :param buf: the binary; found or installed with :func:`ensure_buf` when ``None``.
    :returns: ``None`` when no buf binary can be had. buf's exit status 100 (breaking
        changes found) is the expected outcome on the generated repo.
    """
    repo = Path(repo_dir)
    buf = buf or ensure_buf(cache_dir or repo.parent / "buf-cache")
    if buf is None:
        return None
    start = time.perf_counter()
    done = subprocess.run(
        [buf, "breaking", "--against", ".git#branch=main"], cwd=repo, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 100):
        raise RuntimeError(f"buf breaking failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed


def main(argv: list[str]) -> int:
    """Time both on generated corpora (made under .bench/ unless given) and print the numbers."""
    from benchmarks.common import CACHE, corpus

    pairs_dir = Path(argv[0]) if argv else corpus("protobuf")
    repo_dir = Path(argv[1]) if len(argv) > 1 else corpus("repo", fmt="protobuf")
    ours = min(time_ours(pairs_dir) for _ in range(3))
    wrong = label_mismatches(pairs_dir, verdicts_ours(load_pairs(pairs_dir)))
    print(f"ours: parse+check of {len(load_pairs(pairs_dir))} pairs: {ours:.3f}s; label mismatches: {len(wrong)}")
    buf = ensure_buf(CACHE / "buf")
    theirs = min((time_buf(repo_dir, buf) or 0.0) for _ in range(3)) if buf else None
    print(f"buf breaking on the repo: {theirs:.3f}s" if theirs is not None else "buf breaking: unavailable")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
