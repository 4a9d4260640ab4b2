"""`pytest --schemafed-only --schemafed-against main` vs `buf breaking --against` on a googleapis-shaped repo.

Target (issue 19): the gate takes at most 1.0x buf's wall time on the repository that
``benchmarks/gen_googleapis.py`` generates (3000 files in nested packages, tangled imports,
300 changed files of which some break), and both name exactly the breaking files the
generator labelled. Runs alternate; medians and the peak RSS of each side are returned.

    python -m benchmarks.googleapis_bench [FILES [CHANGED]]
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import gen_googleapis  # noqa: E402
from benchmarks.common import CACHE, measured  # noqa: E402
from benchmarks.protobuf_bench import ensure_buf  # noqa: E402

GATE = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", ".", "--schemafed-only",
        "--schemafed-against", "main", "-rf"]


def repository(files: int = 3000, changed: int = 300) -> Path:
    """The generated repository under .bench/ (made once)."""
    out = CACHE / f"googleapis-{files}-{changed}"
    if not (out / "edits.tsv").exists():
        gen_googleapis.write(out, files, changed, seed=19)
    return out


def labels(repo: Path) -> set[str]:
    """The files the generator made breaking."""
    rows = (repo / "edits.tsv").read_text().splitlines()[1:]
    return {r.split("\t")[0] for r in rows if r.split("\t")[2] == "true"}


def run(files: int = 3000, changed: int = 300, rounds: int = 3) -> dict[str, float]:
    """Alternate the gate and buf ``rounds`` times; medians, peak RSS and the breaking sets compared."""
    repo = repository(files, changed)
    buf = ensure_buf(CACHE / "buf")
    if buf is None:
        raise SystemExit("googleapis bench: buf unavailable (npm missing or offline)")
    samples: dict[str, list[float]] = {"gate": [], "buf": [], "gate_rss": [], "buf_rss": []}
    gate_out = buf_out = ""
    for _ in range(rounds):
        seconds, rss, done = measured(GATE, repo)
        samples["gate"].append(seconds)
        samples["gate_rss"].append(rss)
        gate_out = done.stdout
        seconds, rss, done = measured([buf, "breaking", "--against", ".git#branch=main"], repo)
        if done.returncode not in (0, 100):
            raise SystemExit(f"buf breaking failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        samples["buf"].append(seconds)
        samples["buf_rss"].append(rss)
        buf_out = done.stdout
    expected = labels(repo)
    ours = set(re.findall(r"FAILED (\S+\.proto)::", gate_out))
    theirs = {line.split(":", 1)[0] for line in buf_out.splitlines() if ".proto:" in line}
    passed = re.search(r"(\d+) passed", gate_out)
    r = {k: statistics.median(v) for k, v in samples.items()}
    r.update(ratio=r["gate"] / r["buf"], breaking=float(len(expected)), gate_mismatches=float(len(ours ^ expected)),
             buf_mismatches=float(len(theirs ^ expected)), files=float(files), changed=float(changed),
             passed=float(passed.group(1)) if passed else 0.0, failed=float(len(ours)),
             unchanged=float(_unchanged(repo)))
    return r


def _unchanged(repo: Path) -> int:
    """How many items pass as unchanged (one -v run, not timed)."""
    _, _, done = measured([*(a for a in GATE if a != "-q"), "-v"], repo)
    return done.stdout.count("PASSED (unchanged)")


def line(r: dict[str, float]) -> str:
    """The `make bench` line."""
    return (f"[issue 19] googleapis-shaped repo ({int(r['files'])} files, {int(r['changed'])} changed, "
            f"{int(r['breaking'])} breaking): pytest --schemafed-only --schemafed-against main {r['gate']:.1f}s "
            f"(peak RSS {r['gate_rss'] / 1024:.0f} MiB) vs buf breaking --against {r['buf']:.1f}s "
            f"(peak RSS {r['buf_rss'] / 1024:.0f} MiB): ratio {r['ratio']:.2f} (target <= 1.0); "
            f"{int(r['unchanged'])} items unchanged (not parsed); breaking set vs the generator's labels: "
            f"gate {int(r['gate_mismatches'])} mismatches, buf {int(r['buf_mismatches'])}")


def main(argv: list[str] | None = None) -> int:
    """Print the line; exit 1 above the target or on any mismatch."""
    args = sys.argv[1:] if argv is None else argv
    r = run(int(args[0]) if args else 3000, int(args[1]) if len(args) > 1 else 300)
    print(line(r))
    return 0 if r["ratio"] <= 1.0 and not r["gate_mismatches"] and not r["buf_mismatches"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
