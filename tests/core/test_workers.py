"""Forked evaluation of CPU-bound checks: same verdicts as in-process, safe fallbacks."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from pytest_schemafed.config import load_settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.model import Check, Outcome, SchemaSource, Verdict
from pytest_schemafed.registry import default_registry
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


def _verdicts(root: Path, workers: int) -> dict[tuple[str, str], Verdict]:
    registry = default_registry()
    gate = Gate(load_settings(root, registry), registry, root, workers=workers)
    checks = []
    for path in sorted((root / "s").glob("*.avsc")):
        source = gate.source_for(path)
        assert source is not None
        checks.extend(gate.plan(source, rid) for rid in gate.backend_ids(source))
    gate.evaluate(checks)
    out = {c.key: gate.verdict(c) for c in checks}
    gate.close()
    return out


@needs_fork
def test_forked_workers__same_verdicts_as_in_process(repo: Path) -> None:
    """Two forked workers give exactly the verdicts one process gives, parse errors included."""
    assert can_fork(), "the test process must be single-threaded for this test"
    alone, forked = _verdicts(repo, 1), _verdicts(repo, 2)
    assert forked == alone
    outcomes = [v.outcome for v in forked.values()]
    assert outcomes.count(Outcome.INCOMPATIBLE) == 40
    assert outcomes.count(Outcome.ERROR) == 1
    broken = forked[("s/broken.avsc", "git")]
    assert broken.error_kind == "schema" and broken.error_line == 1


def _check(i: int) -> Check:
    source = SchemaSource(path=Path(f"/x/{i}.avsc"), relpath=f"{i}.avsc", format="avro", text="")
    return Check(source=source, backend_id="b", subject=str(i))


@needs_fork
def test_forked_evaluation__streams_every_verdict_in_any_order() -> None:
    """Each key's verdict arrives, whichever worker computed it."""
    work = [(None, _check(i)) for i in range(50)]
    pool = ForkedEvaluation(work, lambda _, c: Verdict(int(c.subject) % 2 == 0), workers=3)
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
    pool = ForkedEvaluation(work, lambda _, c: Verdict(True), workers=2, after_fork=boom)
    pool.start()
    assert pool.wait_for(work[0][1].key) is None
    pool.close()


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
    for workers in ("1", "2"):
        result = pytester.runpytest_subprocess("--schemafed", "-p", "no:randomly", "--schemafed-workers", workers)
        result.assert_outcomes(passed=60, failed=20)
        assert "READER_FIELD_MISSING_DEFAULT_VALUE" in result.stdout.str()
