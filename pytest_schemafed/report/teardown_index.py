"""Linear time for pytest's failure summary, which is quadratic in the number of tests.

For every failed test it shows, pytest's terminal reporter looks for that test's
teardown report to print its captured teardown output:
``TerminalReporter._get_teardown_reports`` scans every passed setup and teardown
report of the session, once per failure (and once per passed test under ``-rA``).
In a gate over 1000 schema files with 409 breaking changes that is 409 x 2000
comparisons: a quarter of the run's instructions (callgrind: 7.67 G with it, 5.76 G
without), about 0.35 s, more than all the checks cost the process. Ten times as many
files and failures make a hundred times as many comparisons: about half a minute.

:class:`TeardownReportIndex` answers the same question from an index built once:
the same reports, in the same order, for the same argument (a ``NodeId`` in pytest
9, the node id string before). It replaces the method on the run's terminal
reporter only while the gate is enabled, and only if the reporter has it: pytest has
no public API for this, so a reporter without the method is left as it is.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

__all__ = ["TeardownReportIndex", "install"]


class TeardownReportIndex:
    """``TerminalReporter._get_teardown_reports``, from an index of the passed teardown reports.

    The index is rebuilt whenever the reporter's list of passed setup/teardown
    reports has grown, so a call made while tests still run sees what pytest's own
    method would see.
    """

    def __init__(self, reporter: Any) -> None:
        self.reporter = reporter
        self._indexed = -1
        self._by_id: dict[Hashable, list[Any]] = {}

    def __call__(self, node_id: Hashable) -> list[Any]:
        reports = self.reporter.stats.get("", ())
        if len(reports) != self._indexed:
            self._build(reports)
        return list(self._by_id.get(node_id, ()))

    def _build(self, reports: list[Any]) -> None:
        by_id: dict[Hashable, list[Any]] = {}
        for report in reports:
            if getattr(report, "when", None) != "teardown" or hasattr(report, "_pdbshown"):
                continue
            # pytest 9 passes the structured id, earlier versions the string: index both
            keys = {report.nodeid, getattr(report, "id", report.nodeid)}
            for key in keys:
                by_id.setdefault(key, []).append(report)
        self._by_id = by_id
        self._indexed = len(reports)


def install(config: Any) -> bool:
    """Give the run's terminal reporter an indexed ``_get_teardown_reports``; True if it had one."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not callable(getattr(reporter, "_get_teardown_reports", None)):
        return False
    if not isinstance(getattr(reporter, "stats", None), dict):
        return False
    reporter._get_teardown_reports = TeardownReportIndex(reporter)
    return True
