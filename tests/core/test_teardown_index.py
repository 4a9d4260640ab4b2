"""The indexed teardown-report lookup answers exactly as pytest's own, in linear time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _pytest.reports import TestReport
from _pytest.terminal import TerminalReporter

from pytest_schemafed.report.teardown_index import TeardownReportIndex, install

from ..conftest import git, write_files

SCHEMA = json.dumps({"type": "record", "name": "R", "fields": [{"name": "id", "type": "long"}]}, indent=2)
BREAKING = json.dumps({"type": "record", "name": "R", "fields": [
    {"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}, indent=2)


def _report(nodeid: str, when: str, sections: list[tuple[str, str]] | None = None) -> TestReport:
    return TestReport(nodeid, ("t.py", 0, nodeid), {}, "passed", None, when, sections or [])


def _lookup_key(report: TestReport) -> Any:
    """What pytest passes to ``_get_teardown_reports``: the structured id (pytest 9) or the string."""
    return getattr(report, "id", report.nodeid)


def test_index__same_reports_in_the_same_order_as_pytest(pytester: pytest.Pytester) -> None:
    reporter = TerminalReporter(pytester.parseconfig())
    reports = []
    for i in range(6):
        reports.append(_report(f"t.py::test_{i}", "setup"))
        reports.append(_report(f"t.py::test_{i}", "teardown", [("Captured stdout teardown", f"bye {i}\n")]))
    reports.append(_report("t.py::test_2", "teardown", [("Captured stderr teardown", "again\n")]))
    shown = _report("t.py::test_3", "teardown")
    shown._pdbshown = True  # type: ignore[attr-defined]  # pytest skips a report pdb showed
    reports.append(shown)
    reporter.stats[""] = reports
    index = TeardownReportIndex(reporter)
    for report in [*reports, _report("t.py::never_ran", "teardown")]:
        key = _lookup_key(report)
        assert index(key) == TerminalReporter._get_teardown_reports(reporter, key)
    assert [r.sections[0][1] for r in index(_lookup_key(reports[4]))] == ["bye 2\n", "again\n"]


def test_index__sees_reports_added_after_a_first_call(pytester: pytest.Pytester) -> None:
    reporter = TerminalReporter(pytester.parseconfig())
    reporter.stats[""] = [_report("t.py::a", "teardown")]
    index = TeardownReportIndex(reporter)
    assert len(index(_lookup_key(reporter.stats[""][0]))) == 1
    later = _report("t.py::b", "teardown")
    reporter.stats[""].append(later)
    assert index(_lookup_key(later)) == [later]


def test_install__only_on_a_reporter_that_has_the_method(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfigure()
    assert install(config)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    assert isinstance(reporter._get_teardown_reports, TeardownReportIndex)
    config.pluginmanager.unregister(reporter)
    assert not install(config)


@pytest.fixture
def repo(pytester: pytest.Pytester) -> Path:
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/a.avsc": SCHEMA, "schemas/b.avsc": SCHEMA})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    write_files(root, {"schemas/a.avsc": BREAKING})
    pytester.makepyfile(test_teardown="""
        import pytest

        @pytest.fixture
        def noisy():
            yield
            print("teardown of the fixture ran")

        def test_fails(noisy):
            assert False

        def test_passes(noisy):
            pass
    """)
    return root


def test_gate_run__teardown_output_still_shown_under_its_test(pytester: pytest.Pytester, repo: Path) -> None:
    """With the gate on, a failing test's captured teardown output is printed as pytest prints it."""
    result = pytester.runpytest("--schemafed", "-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=2, failed=2)
    out = result.stdout.str()
    failures = out[out.index("= FAILURES ="):out.index("= PASSES =")]
    fails_section = failures[failures.index("test_fails"):]
    assert "Captured stdout teardown" in fails_section
    assert "teardown of the fixture ran" in fails_section
    passes = out[out.index("= PASSES ="):out.index("short test summary")]
    assert passes.count("teardown of the fixture ran") == 1  # test_passes's; the schema items print none
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in failures


def test_plugin__index_only_while_the_gate_is_enabled(pytester: pytest.Pytester, repo: Path) -> None:
    """Without --schemafed the plugin changes nothing in pytest's reporter."""
    enabled = pytester.parseconfigure("--schemafed").pluginmanager.get_plugin("terminalreporter")
    assert isinstance(enabled._get_teardown_reports, TeardownReportIndex)
    disabled = pytester.parseconfigure().pluginmanager.get_plugin("terminalreporter")
    assert not isinstance(disabled._get_teardown_reports, TeardownReportIndex)
