"""Shared helpers for the benchmarks: corpora on disk, alternating timed runs, medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
GEN = Path(__file__).resolve().parent / "gen_corpus.py"


def corpus(kind: str, count: int = 1000, fmt: str | None = None) -> Path:
    """Generate (once) and return a corpus folder under .bench/."""
    name = f"{kind}-{fmt or ''}-{count}".replace("--", "-")
    out = CACHE / name
    if not (out / "edits.tsv").exists():
        args = [sys.executable, str(GEN), kind, "--count", str(count), "--out", str(out)]
        if fmt:
            args += ["--format", fmt]
        subprocess.run(args, check=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    return out


def alternate(runs: dict[str, Callable[[], float]], rounds: int = 3) -> dict[str, float]:
    """Run each timing function in turn, ``rounds`` times, and return the medians."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, fn in runs.items():
            samples[name].append(fn())
    return {name: statistics.median(values) for name, values in samples.items()}


def wall(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of one command, and its result."""
    seconds, _, done = measured(cmd, cwd, env)
    return seconds, done


def measured(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Wall time, peak resident memory (KiB, the process and the children it waited for) and result."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(cmd, proc.returncode, out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))
    return seconds, int(usage.ru_maxrss), done


Pairs = list[tuple[str, str, str]]


def load_pairs(corpus_dir: Path | str, ext: str) -> Pairs:
    """(name, old text, new text) for every schema of a generated corpus with files ``*.<ext>``."""
    base = Path(corpus_dir)
    old_files = sorted((base / "old").glob(f"*.{ext}"))
    return [(p.stem, p.read_text(), (base / "new" / p.name).read_text()) for p in old_files]


def backward_verdicts(format_name: str, pairs: Pairs) -> dict[str, bool]:
    """BACKWARD verdicts of one of our engines, parse included: reader = new, writer = old."""
    from pytest_schemafed.registry import default_registry

    fmt = default_registry().format(format_name)
    out: dict[str, bool] = {}
    for name, old, new in pairs:
        reader = fmt.parse(new, path=f"new/{name}")
        writer = fmt.parse(old, path=f"old/{name}")
        out[name] = not fmt.compare(reader, writer, local="reader")
    return out


def breaking_names(corpus_dir: Path) -> set[str]:
    """Names whose edit breaks BACKWARD according to edits.tsv."""
    rows = (corpus_dir / "edits.tsv").read_text().splitlines()[1:]
    return {r.split("\t")[0] for r in rows if r.split("\t")[2] == "true"}
