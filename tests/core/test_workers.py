"""Forked evaluation of CPU-bound checks: same verdicts as in-process, safe fallbacks."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pytest_schemafed.model import Check, Finding, Level, SchemaSource, Verdict
from pytest_schemafed.workers import ForkedEvaluation, can_fork

from ..conftest import git, write_files

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available on this platform")


def _schema(i: int, extra: str = "") -> str:
    fields = [{"name": "id", "type": "long"}]
    if extra:
        fields.append({"name": extra, "type": "string"})  # no default: breaks BACKWARD
    return json.dumps({"type": "record", "name": f"R{i}", "fields": fields}, indent=2)


@pytest.fixture
def repo(make_repo) -> Path:  # type: ignore[no-untyped-def]
    """120 released schemas; every third one then gains a field without a default."""
    root = make_repo({f"s/r{i}.avsc": _schema(i) for i in range(120)})
    write_files(root, {f"s/r{i}.avsc": _schema(i, "email") for i in range(0, 120, 3)})
    write_files(root, {"s/broken.avsc": "{ not json"})
    return root


COMPARE_SCRIPT = """
import sys
from collections import Counter
from pathlib import Path
from pytest_schemafed.config import load_settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.registry import default_registry
from pytest_schemafed.workers import can_fork

root = Path(sys.argv[1])
assert can_fork(), "a fresh interpreter runs no other thread"
registry = default_registry()
results = []
for workers in (0, 2):
    gate = Gate(load_settings(root, registry), registry, root, workers=workers)
    checks = []
    for path in sorted((root / "s").glob("*.avsc")):
        source = gate.source_for(path)
        checks.extend(gate.plan(source, rid) for rid in gate.backend_ids(source))
    gate.evaluate(checks)
    results.append({c.key: gate.verdict(c) for c in checks})
    forked = bool(gate._pools)
    gate.close()
    print("forked" if forked else "in-process")
alone, forked = results
assert forked == alone
print(sorted(Counter(v.outcome.value for v in forked.values()).items()))
broken = forked[("s/broken.avsc", "git")]
print(broken.error_kind.value, broken.error_line)
"""


@needs_fork
def test_forked_workers__same_verdicts_as_in_process(repo: Path) -> None:
    """Two forked workers give exactly the verdicts one process gives, parse errors included.

    Runs in a fresh interpreter: this test process may have other threads (test servers).
    """
    done = subprocess.run([sys.executable, "-c", COMPARE_SCRIPT, str(repo)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["in-process", "forked"]
    assert lines[2] == "[('compatible', 80), ('error', 1), ('incompatible', 40)]"
    assert lines[3] == "schema 1"


def _verdict(compatible: bool) -> Verdict:
    findings = () if compatible else (Finding("FIELD_NO_DELETE", "field removed"),)
    return Verdict.judged(findings, Level.BACKWARD)


def _check(i: int) -> Check:
    source = SchemaSource(path=Path(f"/x/{i}.avsc"), relpath=f"{i}.avsc", format="avro")
    return Check(source=source, backend_id="b", subject=str(i))


@needs_fork
def test_forked_evaluation__streams_every_verdict_in_any_order() -> None:
    """Each key's verdict arrives, whichever worker computed it."""
    work = [(None, _check(i)) for i in range(50)]
    pool = ForkedEvaluation(work, lambda _, c: _verdict(int(c.subject) % 2 == 0), workers=3)
    pool.start()
    got = {c.subject: pool.wait_for(c.key) for _, c in reversed(work)}
    pool.close()
    assert all(v is not None and v.compatible == (int(s) % 2 == 0) for s, v in got.items())


@needs_fork
def test_forked_evaluation__a_worker_that_dies_sends_nothing() -> None:
    """A worker that fails before computing leaves its keys unanswered (the gate computes them)."""

    def boom() -> None:
        raise RuntimeError("worker setup failed")

    work = [(None, _check(i)) for i in range(4)]
    pool = ForkedEvaluation(work, lambda _, c: Verdict.judged((), Level.BACKWARD), workers=2, after_fork=boom)
    pool.start()
    assert pool.wait_for(work[0][1].key) is None
    pool.close()


@needs_fork
def test_forked_evaluation__workers_run_at_the_parents_priority() -> None:
    """Not niced: on a busy machine a niced worker starves and pytest waits for every verdict."""
    parent = os.nice(0)
    work = [(None, _check(i)) for i in range(2)]
    pool = ForkedEvaluation(work, lambda _, c: Verdict.judged((), Level.BACKWARD, notes=(str(os.nice(0)),)), workers=2)
    pool.start()
    niceness = {int(v.notes[0]) for _, c in work if (v := pool.wait_for(c.key)) is not None}
    pool.close()
    assert niceness == {parent}


@needs_fork
def test_forked_evaluation__parent_objects_frozen_until_the_last_worker_ends() -> None:
    """The parent's objects leave the collector while workers share its pages, then return."""
    gc.unfreeze()
    work = [(None, _check(i)) for i in range(6)]
    pool = ForkedEvaluation(work, lambda _, c: Verdict.judged((), Level.BACKWARD), workers=2)
    pool.start()
    assert gc.get_freeze_count() > 0
    for _, check in work:
        assert pool.wait_for(check.key) is not None
    assert gc.get_freeze_count() == 0
    pool.close()


@needs_fork
def test_forked_evaluation__close_unfreezes_even_if_not_every_verdict_was_read() -> None:
    gc.unfreeze()
    pool = ForkedEvaluation([(None, _check(i)) for i in range(6)], lambda _, c: _verdict(True), workers=2)
    pool.start()
    pool.close()
    assert gc.get_freeze_count() == 0
    assert not pool._pids


def test_can_fork__not_with_another_thread_running() -> None:
    """A second live thread makes forking unsafe: the gate then stays in-process."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()


def test_plugin__workers_option_same_outcomes(pytester: pytest.Pytester) -> None:
    """`--schemafed-workers 2` (forked, in a subprocess) reports what one process reports."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {f"s/r{i}.avsc": _schema(i) for i in range(80)})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    write_files(root, {f"s/r{i}.avsc": _schema(i, "email") for i in range(0, 80, 4)})
    for workers in ("0", "1", "2"):
        result = pytester.runpytest_subprocess("--schemafed", "-p", "no:randomly", "--schemafed-workers", workers)
        result.assert_outcomes(passed=60, failed=20)
        assert "READER_FIELD_MISSING_DEFAULT_VALUE" in result.stdout.str()


def _released_repo(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"s/r0.avsc": _schema(0)})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")


@pytest.mark.parametrize(("cpus", "expected"), [(1, 0), (2, 1), (8, 7)])
def test_plugin__default_workers_leave_pytest_a_cpu(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, cpus: int, expected: int
) -> None:
    """By default pytest's own process keeps one CPU: it reports every item, the workers only compute."""
    _released_repo(pytester.path)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    config = pytester.parseconfigure("--schemafed")
    assert config.pluginmanager.get_plugin("schemafed-session").gate.workers == expected


def test_plugin__negative_workers_is_a_usage_error(pytester: pytest.Pytester) -> None:
    """`--schemafed-workers -1` is refused with one line, not a traceback."""
    _released_repo(pytester.path)
    result = pytester.runpytest("--schemafed", "--schemafed-workers", "-1")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--schemafed-workers: expected a number of at least 0*"])
    assert "Traceback" not in result.stderr.str()
