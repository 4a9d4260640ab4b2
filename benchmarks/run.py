"""`make bench`: every speed ratio the issues name, against its anchor, in one run.

Timings alternate between the two sides of each ratio (three rounds) and report
medians, so that a machine that slows down mid-run slows both sides alike. Corpora
are generated once under .bench/ by benchmarks/gen_corpus.py, which must give the
same bytes as the shared generator (checked first when that one is present).

    python benchmarks/run.py [--only avro,gate,scale,json,protobuf,googleapis,confluent,rerun,uc,nested,audit]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    audit_bench,
    avro_bench,
    compiled,
    confluent_bench,
    confluent_rerun,
    gate_bench,
    googleapis_bench,
    json_bench,
    jsonschema_nested,
    protobuf_bench,
    uc_bench,
)
from benchmarks.common import CACHE, GEN, ROOT, alternate, corpus

SHARED_GEN = next((p for p in (Path(__file__).resolve().parents[2] / "shared" / "bench" / "gen_corpus.py",
                                Path("/work/shared/bench/gen_corpus.py")) if p.exists()),
                  Path(__file__).resolve().parents[2] / "shared" / "bench" / "gen_corpus.py")


def check_generator() -> None:
    """Our generator must make the corpus the targets were measured on."""
    if not SHARED_GEN.exists():
        print("generator: shared gen_corpus.py not found beside the repo; not compared")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for gen, name in ((GEN, "ours"), (SHARED_GEN, "shared")):
            subprocess.run([sys.executable, str(gen), "avro", "--count", "50", "--out", f"{tmp}/{name}"], check=True)
        same = not filecmp.dircmp(f"{tmp}/ours", f"{tmp}/shared").diff_files
    print(f"generator: benchmarks/gen_corpus.py {'matches' if same else 'DIFFERS FROM'} the shared generator")


def bench_avro() -> None:
    r = avro_bench.measure(avro_bench.load_pairs(corpus("avro")))
    print(f"[issue 19] avro, 1000 pairs, the public check_compatibility(new, [old], format='avro', "
          f"level='BACKWARD') with the GC running, pure Python (editable install): {r['public']:.3f}s, Apache Avro "
          f"(Python) {r['apache']:.3f}s: {r['apache'] / r['public']:.1f}x faster (target >= 10x); beside it, not "
          f"the figure: the internal parse+compare path {r['ours']:.3f}s with the GC paused "
          f"({r['apache'] / r['ours']:.1f}x), {r['ours_gc']:.3f}s running ({r['apache'] / r['ours_gc']:.1f}x)")
    sys.stdout.flush()
    where, why = compiled.build(CACHE)
    if where is None:
        print(f"[issue 19] avro, compiled (mypyc): not measured, the build failed: {why}")
        return
    done = subprocess.run([sys.executable, "-m", "benchmarks.avro_bench", "--json"], cwd=where, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    if done.returncode != 0:
        print(f"[issue 19] avro, compiled (mypyc): the run failed: {done.stderr.strip()[-300:]}")
        return
    c = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"[issue 19] avro, 1000 pairs, the public check_compatibility compiled with mypyc (SCHEMAFED_MYPYC=1, as "
          f"the published wheels), GC running: {c['public']:.3f}s, Apache Avro (Python) {c['apache']:.3f}s in the "
          f"same process: {c['apache'] / c['public']:.1f}x faster (target >= 10x); internal path, GC paused "
          f"{c['ours']:.3f}s ({c['apache'] / c['ours']:.1f}x); verdicts disagreeing with Apache: "
          f"{c['disagree']}/{c['pairs']}; compiled modules loaded: {c['compiled']}")


def bench_gate() -> None:
    r = gate_bench.run("avro", "avsc")
    print(f"[issue 2] pytest --schemafed over a 1000-schema avro repo {r['schemafed']:.2f}s vs bare pytest with "
          f"1000 trivial items {r['baseline']:.2f}s: ratio {r['ratio']:.2f} (target <= 1.5); vs trivial items of "
          f"which as many fail {r['baseline_failing']:.2f}s: ratio {r['ratio_failing']:.2f} (pytest's own cost of "
          f"reporting {int(r['failing'])} failures: {r['baseline_failing'] - r['baseline']:+.2f}s); failing "
          f"{int(r['failing'])}/{int(r['expected_failing'])} breaking per edits.tsv, mismatches {int(r['mismatches'])}")


def bench_json() -> None:
    avro_pairs, json_pairs = corpus("avro"), corpus("json")
    r = alternate({"ours": lambda: json_bench.time_ours(json_pairs),
                   "apache": lambda: avro_bench.time_apache(avro_pairs)})
    ratio = 2.3 * r["apache"] / r["ours"]
    print(f"[issue 3] json engine, 1000 pairs parse+check {r['ours']:.3f}s; R = 2.3 x Apache Avro "
          f"{r['apache']:.3f}s / ours = {ratio:.1f} (target >= 10)")
    g = gate_bench.run("json", "json")
    print(f"[issue 3] pytest --schemafed over a 1000-schema json repo: failing {int(g['failing'])}/"
          f"{int(g['expected_failing'])} breaking per edits.tsv, mismatches {int(g['mismatches'])}")


def bench_protobuf() -> None:
    repo = corpus("repo", fmt="protobuf")
    buf = protobuf_bench.ensure_buf(CACHE / "buf")
    runs = {"schemafed": lambda: gate_bench.wall([*gate_bench.PYTEST, "--schemafed-only"], repo)[0]}
    if buf:
        runs["buf"] = lambda: protobuf_bench.time_buf(repo, buf) or 0.0
    r = alternate(runs)
    g = gate_bench.run("protobuf", "proto")
    verdict = f"vs buf breaking {r['buf']:.2f}s: ratio {r['schemafed'] / r['buf']:.2f} (target <= 1)" if buf \
        else "buf unavailable (npm missing or offline)"
    print(f"[issue 4] pytest --schemafed over a 1000-file protobuf repo {r['schemafed']:.2f}s {verdict}; failing "
          f"{int(g['failing'])}/{int(g['expected_failing'])} breaking per edits.tsv, mismatches {int(g['mismatches'])}")


def bench_confluent() -> None:
    r = confluent_bench.run(subjects=1000, max_in_flight=16)
    print(f"[issue 5] confluent backend, 1000 subjects, 20 ms per request: one after another "
          f"{r['sequential_s']:.1f}s, concurrent (max_in_flight 16) {r['concurrent_s']:.2f}s: {r['ratio']:.1f}x "
          f"(target >= 8x); requests {int(r['requests_concurrent'])} concurrent, "
          f"{int(r['requests_sequential'])} one after another")


def bench_uc() -> None:
    r = uc_bench.run(500)
    print(f"[issue 6] unity catalog, 500 subjects in one schema: {int(r['list_requests'])} listing requests, "
          f"{int(r['get_requests'])} table GETs, {r['seconds']:.2f}s")


def bench_scale() -> None:
    r = gate_bench.scale((1000, 10000))
    small, big = r[1000], r[10000]
    print(f"[issue 19] 10,000 avro schemas: pytest --schemafed {big['schemafed']:.1f}s (peak RSS "
          f"{big['schemafed_rss'] / 1024:.0f} MiB) vs bare pytest with 10,000 trivial items {big['baseline']:.1f}s "
          f"(peak RSS {big['baseline_rss'] / 1024:.0f} MiB): ratio {big['ratio']:.2f} (target <= 1.5); at 1,000: "
          f"{small['schemafed']:.2f}s (peak RSS {small['schemafed_rss'] / 1024:.0f} MiB) vs {small['baseline']:.2f}s "
          f"(peak RSS {small['baseline_rss'] / 1024:.0f} MiB): ratio {small['ratio']:.2f}; ratio at 10,000 / ratio "
          f"at 1,000 = {big['ratio'] / small['ratio']:.2f} (target <= 1.2)")


def bench_googleapis() -> None:
    print(googleapis_bench.line(googleapis_bench.run()))
    sys.stdout.flush()
    # the size of the public repository the issue was measured on (about 7,000 files, ~600 changed)
    print(googleapis_bench.line(googleapis_bench.run(7000, 600)))


def bench_rerun() -> None:
    for line in confluent_rerun.lines(confluent_rerun.run(200), 200):
        print(line)


def bench_nested() -> None:
    for name, (new, old) in jsonschema_nested.CASES.items():
        seconds, compatible = jsonschema_nested.timed(new, old)
        print(f"[issue 19] json schema nested combinations, {name}: {seconds * 1000:.1f} ms through "
              f"check_compatibility ({'compatible' if compatible else 'incompatible'}; target < 1000 ms)")


def bench_audit() -> None:
    r = audit_bench.run(subjects=200, max_in_flight=16)
    print(f"[issue 18] schemafed audit, 200 subjects x 2 versions (the fast mode; `python -m benchmarks.audit_bench` "
          f"runs 1000), 20 ms per request: one request at a time {r['sequential_s']:.1f}s, concurrent "
          f"(max_in_flight 16) {r['concurrent_s']:.2f}s: ratio {r['ratio']:.1f}x (target >= 8x); requests "
          f"{r['requests_concurrent']:.0f} each run, identical reports")


BENCHES = {"avro": bench_avro, "gate": bench_gate, "scale": bench_scale, "json": bench_json,
           "protobuf": bench_protobuf, "googleapis": bench_googleapis, "confluent": bench_confluent,
           "rerun": bench_rerun, "uc": bench_uc, "nested": bench_nested, "audit": bench_audit}


def compile_package() -> None:
    """Byte-compile the package, as `pip install` does: an editable checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module at every start."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "pytest_schemafed"), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated subset")
    args = parser.parse_args()
    compile_package()
    check_generator()
    for name in args.only.split(","):
        BENCHES[name.strip()]()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
