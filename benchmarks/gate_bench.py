"""`pytest --schemafed` over a 1000-schema repo vs bare pytest running 1000 trivial items.

Target (issue 2): the gate takes at most 1.5x the wall time of the baseline. Also
checks correctness on the way: the failing items must be exactly the schemas whose
edit breaks BACKWARD according to edits.tsv.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

from benchmarks.common import CACHE, alternate, breaking_names, corpus, measured, wall

TRIVIAL_CONFTEST = '''
import pytest

class TrivialItem(pytest.Item):
    def runtest(self):
        if self.path.read_text().startswith("fail"):
            raise AssertionError(f"{self.path.name}:1: incompatible")

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

class TrivialFile(pytest.File):
    def collect(self):
        yield TrivialItem.from_parent(self, name="trivial")

def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".item":
        return TrivialFile.from_parent(parent, path=file_path)
'''

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", "."]
#: whole pytest runs of about 1-2 s on a shared machine vary by +-20%: more rounds than elsewhere
ROUNDS = 5


def baseline_dir(count: int = 1000, failing: int = 0) -> Path:
    """A folder with ``count`` files, each one trivial custom item; the first ``failing`` fail."""
    out = CACHE / f"trivial-{count}-{failing}"
    if not (out / "conftest.py").exists():
        (out / "items").mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (out / "items" / f"item_{i:05d}.item").write_text("fail\n" if i < failing else "pass\n")
        (out / "conftest.py").write_text(TRIVIAL_CONFTEST)
    return out


def failing_names(output: str, ext: str) -> set[str]:
    """Schema names of the FAILED lines in pytest's short summary."""
    return set(re.findall(r"FAILED schemas/([\w.-]+)\." + re.escape(ext) + r"::", output))


def run(fmt: str = "avro", ext: str = "avsc", count: int = 1000) -> dict[str, float]:
    """Time both, check correctness; returns the medians and the ratio."""
    repo = corpus("repo", count, fmt)
    expected = breaking_names(repo)
    base = baseline_dir(count)
    base_failing = baseline_dir(count, len(expected))
    results = alternate({
        "schemafed": lambda: wall([*PYTEST, "--schemafed-only", "-rf"], repo)[0],
        "baseline": lambda: wall(PYTEST, base)[0],
        "baseline_failing": lambda: wall([*PYTEST, "-rf"], base_failing)[0],
    }, rounds=ROUNDS)
    _, done = wall([*PYTEST, "--schemafed-only", "-rf"], repo)
    got = failing_names(done.stdout, ext)
    results["ratio"] = results["schemafed"] / results["baseline"]
    results["ratio_failing"] = results["schemafed"] / results["baseline_failing"]
    results["mismatches"] = float(len(expected ^ got))
    results["failing"] = float(len(got))
    results["expected_failing"] = float(len(expected))
    return results


def scale(counts: tuple[int, ...] = (1000, 10000), rounds: int = 3) -> dict[int, dict[str, float]]:
    """Gate vs bare pytest with as many trivial items, at each count: medians of alternating runs and peak RSS."""
    out: dict[int, dict[str, float]] = {}
    for count in counts:
        repo = corpus("repo", count, "avro")
        base = baseline_dir(count)
        samples: dict[str, list[float]] = {"schemafed": [], "baseline": [], "schemafed_rss": [], "baseline_rss": []}
        for _ in range(rounds):
            for name, cmd, cwd in (("schemafed", [*PYTEST, "--schemafed-only", "-rf"], repo),
                                   ("baseline", PYTEST, base)):
                seconds, rss, _ = measured(cmd, cwd)
                samples[name].append(seconds)
                samples[name + "_rss"].append(rss)
        r = {k: statistics.median(v) for k, v in samples.items()}
        r["ratio"] = r["schemafed"] / r["baseline"]
        out[count] = r
    return out


def main() -> None:
    r = run()
    print(f"gate over 1000-schema avro repo: {r['schemafed']:.2f}s; bare pytest, 1000 trivial items: "
          f"{r['baseline']:.2f}s; ratio {r['ratio']:.2f} (target <= 1.5); against trivial items of which as "
          f"many fail: {r['baseline_failing']:.2f}s, ratio {r['ratio_failing']:.2f}")
    print(f"  failing items {int(r['failing'])}, breaking per edits.tsv {int(r['expected_failing'])}, "
          f"mismatches {int(r['mismatches'])} (target 0)")


if __name__ == "__main__":
    main()
