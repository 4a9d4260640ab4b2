"""The pytest layer: options, collection of schema files, one item per (file, backend).

Without ``--schemafed`` (or ``schemafed: true`` in the configuration) nothing is
registered beyond the options: no file is opened, nothing is collected.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import hookspecs, masking
from .config import CONFIG_NAMES, Settings, load_settings
from .discovery import broken_links, proto_roots_line
from .errors import ConfigError
from .gate import Gate
from .items import PLUGIN_NAME, PROPERTY_PREFIX, UNCHANGED_KEYWORD, SchemaFile, SchemaItem, name_junit_case
from .model import Check, Level, SchemaSource, Verdict
from .registry import ENTRY_POINT_GROUP, Registry, fill_registry
from .report import teardown_index
from .report.collect import result_of
from .report.terminal import render_summary, render_waived, warning_lines
from .waivers import unused_waivers

__all__ = ["SchemaFile", "SchemaItem", "SchemafedPlugin", "session_plugin"]



def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Add our hook specifications to pytest's plugin manager."""
    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``--schemafed*`` options, in one group."""
    group = parser.getgroup("schemafed", "schema compatibility gate (pytest-schemafed)")
    group.addoption("--schemafed", action="store_true", default=False,
                    help="collect schema files and check them against the configured registries")
    group.addoption("--schemafed-only", action="store_true", default=False,
                    help="run only schema items (implies --schemafed)")
    group.addoption("--schemafed-config", metavar="PATH", default=None,
                    help="configuration file (default: schemafed.yaml or [tool.schemafed] in pyproject.toml)")
    group.addoption("--schemafed-against", metavar="REF", default=None,
                    help="git ref the git backend compares with (default: merge-base with upstream, else HEAD)")
    group.addoption("--schemafed-level", metavar="LEVEL", default=None,
                    help="force a compatibility level on every registry (BACKWARD, FULL_TRANSITIVE, ...)")
    group.addoption("--schemafed-registry", metavar="ID", action="append", default=[],
                    help="check only against this registry id (repeatable)")
    group.addoption("--schemafed-workers", metavar="N", type=int, default=None,
                    help="worker processes for checks against git/directory backends (default: one per CPU "
                         "but the one pytest itself runs on; 0 = in pytest's own process, the default "
                         "under pytest-xdist, whose workers already use the CPUs)")
    group.addoption("--schemafed-report", metavar="KIND=VALUE", action="append", default=[],
                    help="write a report: json=PATH, sarif=PATH, summary=PATH (Markdown), "
                         "github=annotations,summary|none (default on when GITHUB_ACTIONS=true); repeatable")


def _wanted(config: pytest.Config) -> bool:
    return bool(config.getoption("schemafed") or config.getoption("schemafed_only"))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Build the run's registry, configuration and gate when the gate is enabled."""
    explicit = config.getoption("schemafed_config")
    forced = _wanted(config)
    if not forced and not _may_enable(config.rootpath, explicit):
        return
    masking.install(config)  # secrets masked in every log record and report of the run
    pm = config.pluginmanager
    from . import builtin

    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    if not pm.is_registered(builtin):  # running from a source tree without entry points
        pm.register(builtin, name="schemafed-builtin")
    registry = fill_registry(pm.hook)
    try:
        settings = load_settings(config.rootpath, registry, explicit=explicit)
    except ConfigError as exc:
        raise pytest.UsageError(f"schemafed: {exc}") from None
    if not (forced or settings.enabled):
        return
    level = config.getoption("schemafed_level")
    try:
        forced_level = Level.parse(level) if level else None
    except ValueError as exc:
        raise pytest.UsageError(f"--schemafed-level: {exc}") from None
    plugin = SchemafedPlugin(config, settings, registry, forced_level)
    plugin.gate  # noqa: B018 - open the backends now: a configuration mistake is a usage error
    pm.register(plugin, PLUGIN_NAME)
    _register_reports(config, registry)
    teardown_index.install(config)  # see the module: pytest's failure summary is quadratic


def _register_reports(config: pytest.Config, registry: Registry) -> None:
    """The ``--schemafed-report`` writers, on the controller only (not on xdist workers)."""
    from .report.collect import ReportPlugin, parse_targets, rules_of

    try:
        targets = parse_targets(config.getoption("schemafed_report"))
    except ValueError as exc:
        raise pytest.UsageError(f"--schemafed-report: {exc}") from None
    if targets and not hasattr(config, "workerinput"):
        reporter = ReportPlugin(targets, rules_of(registry.formats.values()), config.rootpath,
                                unused_waivers=lambda: session_plugin(config).unused_waivers())
        config.pluginmanager.register(reporter, "schemafed-report")


def session_plugin(config: pytest.Config) -> SchemafedPlugin:
    """The run's :class:`SchemafedPlugin` (registered in ``pytest_configure``)."""
    plugin = config.pluginmanager.get_plugin(PLUGIN_NAME)
    assert isinstance(plugin, SchemafedPlugin)
    return plugin


def _may_enable(rootdir: Path, explicit: str | None) -> bool:
    """Cheap test for a configuration that might say ``schemafed: true``."""
    if explicit:
        return True
    if any((rootdir / name).is_file() for name in CONFIG_NAMES):
        return True
    pyproject = rootdir / "pyproject.toml"
    if not pyproject.is_file():
        return False
    return re.search(r"^\s*\[tool\.schemafed[\].]", pyproject.read_text(encoding="utf-8", errors="replace"),
                     re.M) is not None


class SchemafedPlugin:
    """The per-run plugin object: collects schema files, evaluates in batches, summarizes."""

    def __init__(self, config: pytest.Config, settings: Settings, registry: Registry, level: Level | None) -> None:
        self.config = config
        self.settings = settings
        self.registry = registry
        self._gate: Gate | None = None
        self._forced_level = level
        # Only files with a claimed ending are looked at; `.json` may hold a JSON Schema.
        self._suffixes = registry.suffixes
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self._summarising = False
        self.matched: set[str] = set()
        self.advisories: list[str] = []  # one line per warning finding of the run
        self.waivers_used: set[str] = set()  # from xdist workers; this process's own are the gate's
        self.waived_lines: list[str] = []

    @property
    def gate(self) -> Gate:
        """The run's gate, opened on first use (backends are only set up when needed)."""
        if self._gate is None:
            config = self.config
            hook = config.pluginmanager.hook

            def subject(source: SchemaSource, backend_id: str, default: str) -> str:
                named = hook.pytest_schemafed_subject(source=source, backend_id=backend_id, default=default)
                return named or default

            def on_verdict(check: Check, verdict: Verdict) -> None:
                hook.pytest_schemafed_verdict(check=check, verdict=verdict)

            cache = config.cache if hasattr(config, "cache") else None
            try:
                self._gate = Gate(
                    self.settings,
                    self.registry,
                    config.rootpath,
                    against=config.getoption("schemafed_against"),
                    level=self._forced_level,
                    only=config.getoption("schemafed_registry"),
                    subject_hook=subject,
                    on_verdict=on_verdict,
                    cache_get=(lambda key: cache.get(f"schemafed/{key}", None)) if cache else None,
                    cache_set=(lambda key, value: cache.set(f"schemafed/{key}", value)) if cache else None,
                    workers=self._workers(),
                )
            except ConfigError as exc:
                raise pytest.UsageError(f"schemafed: {exc}") from None
        return self._gate

    def _workers(self) -> int:
        """Worker processes: pytest's own process keeps a CPU, as it reports every item."""
        workers: int | None = self.config.getoption("schemafed_workers")
        if workers is None:
            if hasattr(self.config, "workerinput"):
                return 0  # a pytest-xdist worker: the other workers use the other CPUs
            return (os.cpu_count() or 1) - 1
        if workers < 0:
            raise pytest.UsageError("--schemafed-workers: expected a number of at least 0")
        return workers

    def pytest_report_header(self, config: pytest.Config) -> list[str]:
        """Once per run: what each backend compares with (the git base: ref, short sha, how chosen)."""
        gate = self.gate
        lines = [f"schemafed: {rid}: {line}" for rid, backend in gate.backends.items()
                 if (line := backend.baseline())]
        lines.extend(f"schemafed: {rid}: cannot be used: {error}" for rid, error in gate.backend_errors.items())
        roots = proto_roots_line(self.settings, config.rootpath)
        if roots:
            lines.append(f"schemafed: {roots}")
        return lines

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
        """A schema file becomes a :class:`SchemaFile` collector."""
        if not file_path.name.endswith(self._suffixes):
            return None
        source = self.gate.source_for(file_path)
        if source is None:
            return None
        return SchemaFile.from_parent(parent, path=file_path, source=source)

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Iterator[None]:
        """A folder's schema-named symlink loops and dangling links, which pytest skips silently, fail too."""
        report: Any = yield
        directory = getattr(pytest, "Directory", None)  # pytest 8+
        if directory is not None and isinstance(collector, directory) and report.outcome == "passed":
            for path, _ in broken_links(collector.path, self._suffixes):
                node = self.pytest_collect_file(file_path=path, parent=collector)
                if node is not None:
                    report.result.append(node)
        return report

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """``--schemafed-only``: deselect everything that is not a schema item."""
        if not config.getoption("schemafed_only"):
            return
        keep = [i for i in items if isinstance(i, SchemaItem)]
        dropped = [i for i in items if not isinstance(i, SchemaItem)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep

    def evaluate_pending(self, item: SchemaItem) -> None:
        """Evaluate ``item`` with every schema item this process will run after it."""
        pending = [i for i in self._pending_items(item) if isinstance(i, SchemaItem)]
        if item not in pending:
            pending.insert(0, item)
        self.gate.evaluate([i.check for i in pending])

    def _pending_items(self, item: SchemaItem) -> list[pytest.Item]:
        items = item.session.items
        interactor = next((p for p in self.config.pluginmanager.get_plugins() if hasattr(p, "torun")), None)
        if interactor is not None:  # pytest-xdist worker: only what this worker was handed
            try:
                with interactor.torun.lock() as queued:
                    indices = [i for i in queued if isinstance(i, int)]
                nxt = getattr(interactor, "nextitem_index", None)
                if isinstance(nxt, int):
                    indices.append(nxt)
                return [item] + [items[i] for i in indices]
            except Exception:  # an xdist internals change: fall back to one item at a time
                return [item]
        try:
            start = items.index(item)
        except ValueError:
            return [item]
        return items[start:]

    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config) -> Any:
        """``-v`` says ``PASSED (unchanged)`` for a file passed as unchanged since the base, unparsed."""
        if self._summarising:
            return None
        if report.when == "call" and report.passed and UNCHANGED_KEYWORD in report.keywords:
            return "passed", ".", ("PASSED (unchanged)", {"green": True})
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count outcomes per backend for the summary (works on the xdist controller too); name
        the JUnit testcase (before junitxml records the report: hence ``tryfirst``)."""
        name_junit_case(self.config, report)
        if not (report.when == "call" or (report.when == "setup" and report.outcome != "passed")):
            return
        props = dict(report.user_properties)
        backend = props.get(PROPERTY_PREFIX + "registry")
        outcome = props.get(PROPERTY_PREFIX + "outcome")
        if backend is not None and outcome is not None:
            self.counts[str(backend)][str(outcome)] += 1
            if props.get(PROPERTY_PREFIX + "warnings") not in (None, "0"):
                result = result_of(report.nodeid, report.user_properties)
                if result is not None:
                    self.advisories.extend(warning_lines(result))
        if str(props.get(PROPERTY_PREFIX + "waived", "0")) != "0":
            self.waived_lines.extend(render_waived(report.nodeid, report.user_properties))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Remember which ``schemas:`` globs selected a file (an xdist worker sends them to the controller)."""
        self.matched.update(self.gate.matched_patterns)
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput["schemafed_matched"] = sorted(self.gate.matched_patterns)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist controller: the globs a worker's collection matched."""
        self.matched.update(getattr(node, "workeroutput", {}).get("schemafed_matched", ()))
        self.waivers_used.update(getattr(node, "workeroutput", {}).get("schemafed_waivers", ()))

    def unused_waivers(self) -> list[str]:
        """Warning lines for the waivers no finding of the run matched.

        None when nothing ran, and none for a run narrowed to some files (the pre-commit hook
        passes the staged ones) or by ``-k``/``-m``: it cannot tell a stale waiver from one of
        a file it did not check.
        """
        config, option = self.config, self.config.option
        if not self.counts or hasattr(config, "workerinput") or option.keyword or option.markexpr or \
                getattr(option, "lf", False) or getattr(option, "deselect", None):
            return []
        here = config.invocation_params.dir
        if any((here / str(a).split("::")[0]).is_file() for a in config.invocation_params.args
               if not str(a).startswith("-")):
            return []
        gate = self.gate
        return unused_waivers(self.settings.waivers, self.waivers_used | gate.waivers_used, list(gate.specs))

    def _unmatched(self) -> list[str]:
        if self.settings.zero_config:
            return []
        return [e.pattern for e in self.settings.schemas if e.pattern not in self.matched]

    def _nothing_selected(self) -> bool:
        """No schema item ran although the gate was asked for (fail closed, like "no tests collected")."""
        config = self.config
        if self.counts or config.option.collectonly or config.option.keyword or config.option.markexpr:
            return False
        if hasattr(config, "workerinput"):
            return False  # the controller decides
        explicit_paths = any(not str(a).startswith("-") for a in config.invocation_params.args)
        return _wanted(config) or not explicit_paths

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """A run that selected no schema file exits 5 (pytest's "no tests collected"), never 0."""
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None and self._gate is not None:  # the waivers this xdist worker used
            workeroutput["schemafed_waivers"] = sorted(self._gate.waivers_used)
        if self._nothing_selected() and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Counts per backend: compatible / incompatible / new / error; globs that matched nothing."""
        self._summarising = True  # the short summary that follows keeps the word PASSED
        unmatched = self._unmatched() if not hasattr(self.config, "workerinput") else []
        if not (self.counts or unmatched or self.advisories or self._nothing_selected()):
            return
        terminalreporter.section("schemafed")
        for pattern in unmatched:
            terminalreporter.write_line(f"warning: schemas: {pattern!r} matched no file", yellow=True)
        for line in self.unused_waivers():
            terminalreporter.write_line(f"warning: waiver {line}", yellow=True)
        for line in self.waived_lines:
            terminalreporter.write_line(line)
        if self._nothing_selected():
            what = (f"the schemas: globs ({', '.join(repr(e.pattern) for e in self.settings.schemas)})"
                    if not self.settings.zero_config else "no Avro, JSON Schema or Protobuf file under the rootdir")
            terminalreporter.write_line(f"error: no schema file was selected, so nothing was checked: {what}",
                                        red=True, bold=True)
        for line in self.advisories:  # advisories: shown, never failing
            terminalreporter.write_line(line, yellow=True)
        for line in render_summary(self.counts):
            terminalreporter.write_line(line)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """Close the backends."""
        if self._gate is not None:
            self._gate.close()
