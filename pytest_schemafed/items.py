"""The pytest items of the gate: a schema file collects one item per registry; an item reports
the precomputed verdict of its check (pass, fail, skip) and renders it, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import pytest
from _pytest._code.code import ReprExceptionInfo, ReprFileLocation, ReprTracebackNative

from .errors import SchemafedError
from .model import Check, CheckResult, Outcome, SchemaSource, Verdict
from .report.collect import RESULT_PROPERTY
from .report.terminal import headline, render_failure

if TYPE_CHECKING:
    from .plugin import SchemafedPlugin

__all__ = ["PLUGIN_NAME", "PROPERTY_PREFIX", "UNCHANGED_KEYWORD", "SchemaFile", "SchemaIncompatible", "SchemaItem",
           "name_junit_case"]

PLUGIN_NAME = "schemafed-session"
PROPERTY_PREFIX = "schemafed."
UNCHANGED_KEYWORD = "schemafed_unchanged"  # on an item passed as unchanged since the base (for -v)


def name_junit_case(config: pytest.Config, report: pytest.TestReport) -> None:
    """``--junitxml``: a schema item's testcase is named ``path::registry``, not just ``registry``.

    junitxml names a testcase by the last part of the node id (``git``) and puts the
    path, dotted, in ``classname``; an attribute set on the testcase's reporter before it
    records the report wins over both (as ``record_xml_attribute`` does). The
    ``classname`` is left as pytest makes it.
    """
    from _pytest import junitxml

    key = getattr(junitxml, "xml_key", None)
    xml = config.stash.get(key, None) if key is not None else None
    if xml is None or not any(name == RESULT_PROPERTY for name, _ in report.user_properties):
        return
    xml.node_reporter(report).add_attribute("name", report.nodeid)


def _plugin(config: pytest.Config) -> SchemafedPlugin:
    from .plugin import session_plugin  # at call time: the plugin module imports this one

    return session_plugin(config)


class SchemaFile(pytest.File):
    """A schema file: collects one :class:`SchemaItem` per backend."""

    def __init__(self, *, source: SchemaSource, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source

    def collect(self) -> Iterator[SchemaItem]:
        """One item per configured (and selected) backend, named by its id."""
        gate = _plugin(self.config).gate
        for backend_id in gate.backend_ids(self.source):
            yield SchemaItem.from_parent(self, name=backend_id, check=gate.plan(self.source, backend_id))


class SchemaIncompatible(Exception):
    """Raised by a schema item whose verdict is not compatible (rendered by repr_failure)."""

    def __init__(self, result: CheckResult, trace: str | None = None) -> None:
        super().__init__(headline(result))
        self.result = result
        self.trace = trace


def failure_repr(text: str, crash: str, path: str, line: int) -> ReprExceptionInfo:
    """A failure in pytest's own form: ``text`` is the report, ``crash`` the one line pytest's
    short summary (``FAILED id - crash``), ``--tb=line`` and JUnit's ``message`` show.

    A plain string would make pytest cut its first line to the terminal's width there; this
    form also crosses pytest-xdist as it is (reports serialise ``reprcrash`` and a native
    traceback).
    """
    return ReprExceptionInfo(reprtraceback=ReprTracebackNative([text + "\n"]),
                             reprcrash=ReprFileLocation(path, line, crash))


class SchemaItem(pytest.Item):
    """``path/to/file.avsc::<backend-id>``: reports the precomputed verdict of one check."""

    def __init__(self, *, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    @property
    def plugin(self) -> SchemafedPlugin:
        """The run's plugin object."""
        return _plugin(self.config)

    def runtest(self) -> None:
        """Pass, fail or skip according to the verdict."""
        plugin = self.plugin
        gate = plugin.gate
        if not gate.planned(self.check):
            plugin.evaluate_pending(self)
        verdict = gate.verdict(self.check)
        result = self._record(verdict)
        if verdict.unchanged:
            self.keywords[UNCHANGED_KEYWORD] = True
        if verdict.outcome is Outcome.NEW:
            note = f" ({verdict.notes[0]})" if verdict.notes else ""
            self._skip(f"new subject {self.check.subject!r} on {self.check.backend_id}: "
                       f"nothing to be compatible with{note}")
        if verdict.outcome is Outcome.SKIPPED:
            self._skip(f"{self.check.backend_id} unavailable (on_unavailable: skip): {verdict.error}")
        if verdict.failing:
            trace = gate.tracebacks.get(f"{self.check.backend_id}::{self.check.source.relpath}") or \
                gate.tracebacks.get(self.check.backend_id)
            verbose = self.config.option.verbose > 0 or self.config.option.tbstyle == "long"
            raise SchemaIncompatible(result, trace if verbose else None)  # an internal error's traceback if asked

    def _skip(self, reason: str) -> None:
        """Skip, reported at the schema file (``SKIPPED [1] schemas/x.avsc:1: reason``), as pytest
        reports a skip mark: not at the line of this module that raised it."""
        raise pytest.skip.Exception(reason, _use_item_location=True)

    def _record(self, verdict: Verdict) -> CheckResult:
        check = self.check
        result = CheckResult(self.nodeid, check.source.relpath, check.source.format, check.backend_id,
                             check.subject, self._describe_backend(), verdict)
        self.user_properties.append((RESULT_PROPERTY, orjson.dumps(result.to_dict()).decode()))
        # for people reading JUnit XML; the reports read only the result above
        self.user_properties.extend((PROPERTY_PREFIX + k, v) for k, v in (
            ("registry", check.backend_id),
            ("subject", check.subject),
            ("outcome", verdict.outcome.value),
            ("level", verdict.level.value if verdict.level else ""),
            ("rules", ",".join(result.rules)),
            ("warnings", str(len(verdict.warnings))),
            ("waived", str(len(verdict.waived))),
        ))
        return result

    def _describe_backend(self) -> str:
        backend = self.plugin.gate.backends.get(self.check.backend_id)
        return backend.describe() if backend else self.check.backend_id

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
                     ) -> str | ReprExceptionInfo:
        """The verdict's report (:func:`render_failure`), not a Python traceback."""
        relpath = self.check.source.relpath
        if isinstance(excinfo.value, SchemaIncompatible):
            result = excinfo.value.result
            line = result.verdict.error_line or next((f.line for f in result.verdict.findings if f.line), None)
            text = render_failure(result) + (f"\n{excinfo.value.trace}" if excinfo.value.trace else "")
            return failure_repr(text, headline(result), relpath, line or 1)
        if isinstance(excinfo.value, SchemafedError):
            text = f"{relpath}: error: {excinfo.value}"
            return failure_repr(text, text, relpath, 1)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Point at the schema file, not at a Python line."""
        return self.path, 0, f"{self.check.source.relpath}::{self.check.backend_id} ({self.check.subject})"
