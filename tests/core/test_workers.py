"""Forked evaluation of CPU-bound checks: same verdicts as in-process, safe fallbacks."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
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


def _stop_self(_: object, check: Check) -> Verdict:
    if check.subject == "0":
        os.kill(os.getpid(), signal.SIGSTOP)
    return _verdict(True)


def _kill_self(_: object, check: Check) -> Verdict:
    if check.subject == "0":
        os.kill(os.getpid(), signal.SIGKILL)
    return _verdict(True)


def _hang(_: object, check: Check) -> Verdict:
    if check.subject == "0":
        time.sleep(3600)
    return _verdict(True)


@needs_fork
@pytest.mark.parametrize(("compute", "said"), [
    pytest.param(_stop_self, "was stopped (SIGSTOP)", id="stopped"),
    pytest.param(_kill_self, "was killed by SIGKILL", id="killed"),
    pytest.param(_hang, "is still computing", id="hangs"),
])
def test_forked_evaluation__a_worker_that_dies_or_stalls_is_reported_by_name(compute, said: str) -> None:  # type: ignore[no-untyped-def]
    """Its check fails with one line naming the worker; its other checks come back unanswered
    (the gate reruns them in-process); the other worker's verdicts all arrive; nothing hangs."""
    work = [(None, _check(i)) for i in range(6)]  # worker 1: 0, 2, 4; worker 2: 1, 3, 5
    pool = ForkedEvaluation(work, compute, workers=2, budget=1.0)
    started = time.monotonic()
    pool.start()
    got = {c.subject: pool.wait_for(c.key) for _, c in work}
    pool.close()
    assert time.monotonic() - started < 30  # a generous bound: the budget is 1 s
    failed = got["0"]
    assert failed is not None and failed.error is not None and not failed.compatible
    assert "worker schemafed-worker-1 (pid " in failed.error and said in failed.error
    assert "\n" not in failed.error
    assert got["2"] is None and got["4"] is None  # rerun by the caller
    assert all(got[s] is not None and got[s].compatible for s in ("1", "3", "5"))  # type: ignore[union-attr]
    assert len(pool.incidents) == 1 and "schemafed-worker-1" in pool.incidents[0] and said in pool.incidents[0]
    assert "2 rerun in pytest's process" in pool.incidents[0]
    assert not pool._pids  # every worker collected, the stopped one too


@needs_fork
@pytest.mark.parametrize("order", ["completing_pipe_first", "ended_pipe_first"])
def test_forked_evaluation__reads_after_the_last_verdict_are_ignored(order: str) -> None:
    """The race: worker 2's verdict has been read, its pipe's end not yet; then one round of select()
    names both pipes. Reading worker 1's brings the last verdict in and drops every pipe; worker 2's
    must then be skipped, not read (it was a KeyError)."""
    work = [(None, _check(i)) for i in range(2)]  # worker 1 computes check 0, worker 2 check 1
    pool = ForkedEvaluation(work, lambda _, c: _verdict(True), workers=2)
    pool.start()
    first, second = (key.fd for key in pool._selector.get_map().values())  # in the order forked
    real_select = pool._selector.select

    def ready(wanted: set[int]):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 10
        while True:
            events = {key.fd: (key, mask) for key, mask in real_select(timeout=0.05)}
            if wanted <= set(events) or time.monotonic() > deadline:
                return events

    def rigged(timeout: float | None = None):  # type: ignore[no-untyped-def]
        if work[1][1].key not in pool.results:  # round 1: worker 2's verdict alone
            return [ready({second})[second]]
        events = ready({first, second})  # round 2: worker 2's end of pipe and worker 1's verdict
        order_fds = (first, second) if order == "completing_pipe_first" else (second, first)
        return [events[fd] for fd in order_fds if fd in events]

    pool._selector.select = rigged  # type: ignore[method-assign]
    assert pool.wait_for(work[1][1].key) is not None
    assert pool.wait_for(work[0][1].key) is not None
    pool.close()


STALL_SCRIPT = """
import os, signal, sys, time
from pathlib import Path
from pytest_schemafed.config import load_settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.registry import default_registry

root, how = Path(sys.argv[1]), sys.argv[2]
registry = default_registry()
gate = Gate(load_settings(root, registry), registry, root, workers=2)
checks = []
for path in sorted((root / "s").glob("*.avsc")):
    source = gate.source_for(path)
    checks.extend(gate.plan(source, rid) for rid in gate.backend_ids(source))
started = time.monotonic()
gate.evaluate(checks)
pool = gate._pools[0]
os.kill(pool._pids[0], signal.SIGSTOP if how == "stop" else signal.SIGKILL)
verdicts = [gate.verdict(c) for c in checks]
gate.close()
errors = [v.error for v in verdicts if v.error and "worker" in v.error]
print(len(verdicts), len(errors), time.monotonic() - started < 30)
print(pool.incidents[0] if pool.incidents else "no incident")
print(errors[0] if errors else "no error")
"""


@needs_fork
@pytest.mark.parametrize(("how", "said"), [
    pytest.param("stop", "was stopped (SIGSTOP)", id="stopped"),
    pytest.param("kill", "was killed by SIGKILL", id="killed"),
])
def test_gate__stopped_or_killed_worker_reported_rest_rerun(repo: Path, how: str, said: str) -> None:
    """Through the gate, with ``check_timeout: 2``: every check gets a verdict, at most one fails naming the
    worker, the run ends; a killed worker is reported, not recovered silently."""
    (repo / "schemafed.yaml").write_text("check_timeout: 2\n")
    done = subprocess.run([sys.executable, "-c", STALL_SCRIPT, str(repo), how], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    first, incident, error = done.stdout.splitlines()
    assert first == "121 1 True"  # every check has a verdict, one failed naming the worker, in time
    assert "worker schemafed-worker-1 (pid " in incident and said in incident
    assert "rerun in pytest's process" in incident
    assert "worker schemafed-worker-1" in error and said in error and "while checking this file" in error
