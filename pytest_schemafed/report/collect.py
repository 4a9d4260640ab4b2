"""Gather each schema item's result from its test report, and write the run's reports.

Each schema item records its :class:`~pytest_schemafed.verdict.CheckResult` as one JSON
property, ``schemafed.result`` (:meth:`CheckResult.to_dict`, the one serialisation), in
``user_properties``; a few plain properties beside it (registry, subject, outcome, level,
rules, warnings) are for people reading JUnit XML. So results are read back from the
reports alone: in one process and on the pytest-xdist controller alike.

``--schemafed-report`` takes, repeatably:

* ``json=PATH``: the stable JSON report (:mod:`pytest_schemafed.report.json`);
* ``sarif=PATH``: SARIF 2.1.0 (:mod:`pytest_schemafed.report.sarif`);
* ``summary=PATH``: the Markdown summary, appended to PATH;
* ``github=annotations,summary`` (or ``github=none``): GitHub workflow output. With
  ``GITHUB_ACTIONS=true`` both are on by default: one ``::error`` annotation per
  finding, and the summary appended to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..formats.base import Rule
from ..model import CheckResult, ErrorKind, Verdict

__all__ = [
    "RESULT_PROPERTY",
    "ReportPlugin",
    "ReportTargets",
    "ResultCollector",
    "parse_targets",
    "result_of",
    "rules_of",
    "workspace_prefix",
]

PREFIX = "schemafed."
GITHUB_PARTS = ("annotations", "summary")


#: the one property that carries an item's :class:`CheckResult` (``CheckResult.to_dict`` as JSON)
RESULT_PROPERTY = PREFIX + "result"


def result_of(nodeid: str, properties: Iterable[tuple[str, object]]) -> CheckResult | None:
    """The :class:`CheckResult` a schema item recorded; ``None`` for a report that is not one.

    A result that cannot be read back (it never should) becomes an ``ERROR`` result that
    says so: a report never shows such an item as anything that passes.
    """
    raw = next((v for k, v in properties if k == RESULT_PROPERTY), None)
    if raw is None:
        return None
    try:
        data = json.loads(str(raw))
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {type(data).__name__}")
        return CheckResult.from_dict(data)
    except ValueError as exc:
        verdict = Verdict.failed(f"the item's result could not be read back ({exc}); please report it",
                                 ErrorKind.INTERNAL)
        return CheckResult(nodeid, nodeid.split("::", 1)[0], "", nodeid.rpartition("::")[2], "", "", verdict)


class ResultCollector:
    """A pytest plugin object that keeps one :class:`CheckResult` per schema item."""

    def __init__(self) -> None:
        self.results: dict[str, CheckResult] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        """Keep the result of the phase that recorded the properties (``call``)."""
        result = result_of(report.nodeid, report.user_properties)
        if result is not None:
            self.results[report.nodeid] = result

    def sorted_results(self) -> list[CheckResult]:
        """Results by file, then registry: the order every report uses."""
        return sorted(self.results.values(), key=lambda r: (r.file, r.registry, r.nodeid))


@dataclass(slots=True)
class ReportTargets:
    """Where the reports of a run go (parsed from ``--schemafed-report``)."""

    json: Path | None = None
    sarif: Path | None = None
    summary: list[Path] = field(default_factory=list)
    annotations: bool = False

    def __bool__(self) -> bool:
        return bool(self.json or self.sarif or self.summary or self.annotations)


def parse_targets(values: Sequence[str], environ: Mapping[str, str] | None = None) -> ReportTargets:
    """Read ``--schemafed-report`` values (see the module docstring).

    :raises ValueError: naming the value that is not understood.
    """
    env = os.environ if environ is None else environ
    targets = ReportTargets()
    github: set[str] | None = None
    for value in values:
        kind, sep, arg = value.partition("=")
        kind = kind.strip().lower()
        if not sep or not arg.strip():
            raise ValueError(f"expected KIND=VALUE (json=PATH, sarif=PATH, summary=PATH, github=...), got {value!r}")
        if kind == "json":
            targets.json = Path(arg)
        elif kind == "sarif":
            targets.sarif = Path(arg)
        elif kind == "summary":
            targets.summary.append(Path(arg))
        elif kind == "github":
            parts = {p.strip().lower() for p in arg.split(",") if p.strip()}
            unknown = parts - {*GITHUB_PARTS, "none"}
            if unknown:
                raise ValueError(f"github={arg}: expected annotations, summary or none")
            github = parts - {"none"}
        else:
            raise ValueError(f"unknown report kind {kind!r} in {value!r}; expected json, sarif, summary or github")
    if github is None:
        github = set(GITHUB_PARTS) if env.get("GITHUB_ACTIONS") == "true" else set()
    targets.annotations = "annotations" in github
    step_summary = env.get("GITHUB_STEP_SUMMARY")
    if "summary" in github and step_summary:
        targets.summary.append(Path(step_summary))
    return targets


class ReportPlugin(ResultCollector):
    """Collects results and writes the requested reports at the end of the run.

    :param targets: where to write.
    :param rules: rule id -> :class:`Rule`, for SARIF help texts.
    :param rootdir: the run's rootdir (SARIF's ``%SRCROOT%``).
    :param unused_waivers: at the end of the run, one line per waiver that matched no finding.
    """

    def __init__(self, targets: ReportTargets, rules: Mapping[str, Rule], rootdir: Path, *,
                 unused_waivers: Callable[[], list[str]] | None = None) -> None:
        super().__init__()
        self.targets = targets
        self.rules = rules
        self.rootdir = rootdir
        self.unused_waivers = unused_waivers or list

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """GitHub annotations go to stdout, where the runner reads workflow commands."""
        if not self.targets.annotations:
            return
        from .github import annotation_lines

        lines = annotation_lines(self.sorted_results(), workspace_prefix(self.rootdir, os.environ))
        if lines:
            terminalreporter.ensure_newline()
        for line in lines:
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        """Write the JSON, SARIF and Markdown reports."""
        self.write(self.sorted_results())

    def write(self, results: list[CheckResult]) -> None:
        """Write every requested file report of ``results``."""
        targets = self.targets
        unused = self.unused_waivers()
        if targets.json is not None:
            from .json import render_json

            _write(targets.json, json.dumps(render_json(results, unused_waivers=unused), indent=2) + "\n")
        if targets.sarif is not None:
            from .sarif import render_sarif

            _write(targets.sarif, json.dumps(render_sarif(results, self.rules, self.rootdir), indent=2) + "\n")
        if targets.summary:
            from .github import step_summary

            text = step_summary(results, annotated=targets.annotations, unused_waivers=unused)
            for path in targets.summary:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as out:
                    out.write(text)


def workspace_prefix(rootdir: Path, environ: Mapping[str, str]) -> str:
    """Where ``rootdir`` is inside ``$GITHUB_WORKSPACE`` (``""`` when it is the workspace or outside it)."""
    workspace = environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        rel = rootdir.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def rules_of(formats: Iterable[Any]) -> dict[str, Rule]:
    """Rule id -> rule, over every registered format (the first format's rule wins on a shared id)."""
    table: dict[str, Rule] = {}
    for fmt in formats:
        for rule in getattr(fmt, "rules", ()):
            table.setdefault(rule.id, rule)
    return table
